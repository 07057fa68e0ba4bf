import { incidentNames } from "../../core/incidentNames";
import { describeEntry, FIREWALL_TYPE, IAP_RANGE, type FirewallProps } from "../lib/network";
import { incidentOfSubject, resourceRule } from "../lib/policy";

const OPEN = ["0.0.0.0/0", "::/0"];
/** Deny priorities: egress at 0 so nothing outranks it; ingress at 1 so only the bastion's SSH allow (0) does. */
const DENY_PRIORITY: Record<string, number> = { EGRESS: 0, INGRESS: 1 };

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * A deny must apply to all traffic of its direction: a disabled rule denies nothing, and a range
 * narrower than 0.0.0.0/0 (or ::/0), or a source narrowed to tags or service accounts, leaves the
 * rest through. An ingress rule without any source applies to 0.0.0.0/0 (GCE's default), as does
 * a rule without destination ranges.
 */
function denyCoversEverything(fw: FirewallProps, direction: string, report: (m: string) => void): void {
    if (fw.disabled === true) report("is a disabled deny: it denies nothing; remove disabled");
    const narrower = (field: string, ranges: readonly string[] | undefined) => {
        if (ranges !== undefined && ranges.length > 0 && !ranges.some((x) => OPEN.includes(x))) {
            report(`is an ${direction} deny whose ${field} (${ranges.join(", ")}) is narrower than 0.0.0.0/0: traffic outside it is not denied`);
        }
    };
    narrower("destinationRanges", fw.destinationRanges);
    if (direction !== "INGRESS") return;
    narrower("sourceRanges", fw.sourceRanges);
    const sources = [...(fw.sourceTags ?? []).map((t) => `tag ${t}`), ...(fw.sourceServiceAccounts ?? []).map((a) => `service account ${a}`)];
    if (sources.length > 0) {
        report(`is an INGRESS deny narrowed to ${sources.join(", ")}: a quarantine deny names no source but 0.0.0.0/0, or traffic from anything else is not denied`);
    }
}

/**
 * The quarantine's firewall, rule by rule: denies cover every protocol at the runbook's priorities,
 * and the only allows are SSH from the bastion to the quarantined VM and from IAP to the bastion.
 */
export const firewallDenyAllow = resourceRule({
    name: "firewall-deny-allow",
    description:
        "Deny rules cover all protocols (egress at priority 0, ingress at priority 1); the only allows are tcp:22 from the bastion tag, and from IAP's range to the bastion, never from 0.0.0.0/0.",
    appliesTo: (type) => type === FIREWALL_TYPE,
    scope: "firewall rules",
    check: (r, report) => {
        const fw = r.props as FirewallProps;
        const direction = fw.direction ?? "INGRESS";
        const denies = fw.denies ?? [];
        const allows = fw.allows ?? [];

        if (denies.length > 0) {
            const partial = denies.filter((d) => d.protocol !== "all");
            if (partial.length > 0) {
                report(`denies only ${partial.map(describeEntry).join(", ")}: a quarantine deny covers all protocols (protocol "all"), since UDP and ICMP exfiltrate too`);
            }
            const priority = fw.priority ?? 1000;
            const wanted = DENY_PRIORITY[direction];
            if (priority !== wanted) {
                report(`is an ${direction} deny at priority ${priority}: ${direction} denies run at priority ${wanted}`);
            }
            denyCoversEverything(fw, direction, report);
        }
        if (allows.length === 0) return;

        const incident = incidentOfSubject(r);
        if (incident.problem !== undefined) return report(incident.problem);
        const names = incidentNames(incident.id);
        const only = `the only allows are tcp:22 from ${names.bastionTag} to ${names.isolationTag}, and from IAP (${IAP_RANGE}) to ${names.bastionTag}`;

        if (direction !== "INGRESS") return report(`allows ${direction} traffic: ${only}`);
        const other = allows.filter((a) => !(a.protocol === "tcp" && same(a.ports ?? [], ["22"])));
        if (other.length > 0) report(`allows ${other.map(describeEntry).join(", ")}: ${only}`);

        const ranges = fw.sourceRanges ?? [];
        const tags = fw.sourceTags ?? [];
        const accounts = fw.sourceServiceAccounts ?? [];
        const targets = fw.targetTags ?? [];
        const open = ranges.filter((x) => OPEN.includes(x));
        if (open.length > 0) return report(`allows from ${open.join(", ")}, i.e. from anywhere: ${only}`);
        if (ranges.length === 0 && tags.length === 0 && accounts.length === 0) {
            return report(`allows from anywhere (an ingress rule without a source defaults to 0.0.0.0/0): ${only}`);
        }
        const fromBastion = same(tags, [names.bastionTag]) && ranges.length === 0 && accounts.length === 0 && same(targets, [names.isolationTag]);
        const fromIap = same(ranges, [IAP_RANGE]) && tags.length === 0 && accounts.length === 0 && same(targets, [names.bastionTag]);
        if (!fromBastion && !fromIap) {
            const from = [...tags.map((t) => `tag ${t}`), ...ranges, ...accounts.map((a) => `service account ${a}`)].join(", ");
            report(`allows from ${from} to ${targets.join(", ") || "every VM"}: ${only}`);
        }
    },
});
