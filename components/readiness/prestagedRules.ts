import { IAP_RANGE } from "../../core/labels";
import { fitGceName, shortHash } from "../naming";

/**
 * The pre-staged containment's facts (issue #13.4), shared by the readiness component that
 * declares the rules and the incident side that decides whether to rely on them
 * (`prestagedChoice.ts`): the two generic tags and the rules that target them, per VPC.
 *
 * Neither tag can be an incident's own: those are `quarantine-<id>` and `quarantine-<id>-bastion`
 * (`core/incidentNames.ts`), and both generic tags start with `quarantined-`, which no
 * `quarantine-` name does. (`quarantine-bastion` would be incident `bastion`'s isolation tag, and
 * make the VM it quarantines a source every quarantined VM accepts SSH from.)
 */
export const PRESTAGED_TAGS = {
    /** Carried by every VM a quarantine holds; no VM carries it otherwise, so the rules are inert until one does. */
    isolation: "quarantined-vm",
    /** Carried by every incident's bastion: the one source the isolation tag accepts SSH from. */
    bastion: "quarantined-vm-bastion",
} as const;

export type PrestagedRuleId = "egress-deny" | "ingress-deny" | "egress-deny-v6" | "ingress-deny-v6" | "ssh-bastion" | "iap-bastion";

export interface PrestagedRuleSpec {
    readonly direction: "EGRESS" | "INGRESS";
    readonly action: "deny" | "allow";
    readonly priority: number;
    /** Destination ranges (egress) or source ranges (ingress); empty for a tag source. */
    readonly ranges: readonly string[];
    readonly sourceTags: readonly string[];
    readonly targetTag: string;
    /** `all`, or `tcp` with its ports. */
    readonly protocol: "all" | "tcp";
    readonly ports: readonly string[];
}

/**
 * The incident firewall's table (`components/quarantineFirewall.ts`), on the generic tags. All
 * protocols are denied (DNS tunnelling and ICMP exfiltrate too); a rule can't mix IPv4 and IPv6
 * ranges (https://cloud.google.com/firewall/docs/firewalls, "Sources for ingress rules"), so the
 * ::/0 pair is its own. The SSH allow (priority 0) is evaluated before the ingress deny
 * (priority 1); rules are stateful, so its replies pass the egress deny.
 */
export const PRESTAGED_RULES: Readonly<Record<PrestagedRuleId, PrestagedRuleSpec>> = {
    "egress-deny": { direction: "EGRESS", action: "deny", priority: 0, ranges: ["0.0.0.0/0"], sourceTags: [], targetTag: PRESTAGED_TAGS.isolation, protocol: "all", ports: [] },
    "ingress-deny": { direction: "INGRESS", action: "deny", priority: 1, ranges: ["0.0.0.0/0"], sourceTags: [], targetTag: PRESTAGED_TAGS.isolation, protocol: "all", ports: [] },
    "egress-deny-v6": { direction: "EGRESS", action: "deny", priority: 0, ranges: ["::/0"], sourceTags: [], targetTag: PRESTAGED_TAGS.isolation, protocol: "all", ports: [] },
    "ingress-deny-v6": { direction: "INGRESS", action: "deny", priority: 1, ranges: ["::/0"], sourceTags: [], targetTag: PRESTAGED_TAGS.isolation, protocol: "all", ports: [] },
    "ssh-bastion": { direction: "INGRESS", action: "allow", priority: 0, ranges: [], sourceTags: [PRESTAGED_TAGS.bastion], targetTag: PRESTAGED_TAGS.isolation, protocol: "tcp", ports: ["22"] },
    // IAP TCP forwarding's range reaches the bastions (as the incident's own iap-bastion rule).
    "iap-bastion": { direction: "INGRESS", action: "allow", priority: 1000, ranges: [IAP_RANGE], sourceTags: [], targetTag: PRESTAGED_TAGS.bastion, protocol: "tcp", ports: ["22"] },
};

export const PRESTAGED_RULE_IDS = Object.keys(PRESTAGED_RULES) as PrestagedRuleId[];

/** The deny rules: what a VM's cut-off relies on. */
export const PRESTAGED_DENY_RULE_IDS = PRESTAGED_RULE_IDS.filter((r) => PRESTAGED_RULES[r].action === "deny");

/**
 * A pre-staged rule's name, e.g. `prestaged-quarantine-egress-deny-1a2b3c`. Incident rules are
 * `quarantine-<id>-…` (`firewallRuleName`), so no incident's rule can take this name in the project.
 */
export function prestagedRuleName(network: string, rule: PrestagedRuleId): string {
    return fitGceName("prestaged-quarantine", rule, shortHash(network));
}
