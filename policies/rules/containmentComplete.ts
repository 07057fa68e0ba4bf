import type { PolicyResource, ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { LABELS } from "../../core/labels";
import { COMMAND_TYPES } from "../lib/evidence";
import { FIREWALL_TYPE, type FirewallProps } from "../lib/network";
import { commands } from "../lib/script";
import { failClosed, isUnknownValueError } from "../lib/unknown";

const NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const POD_PATCH = "kubernetes:core/v1:PodPatch";
const READINESS = /\/quarantine-readiness\//;

/** The network tags a command's create script adds with `gcloud compute instances add-tags`. */
function tagsAdded(r: PolicyResource): string[] {
    const script = r.props.create;
    if (typeof script !== "string") return [];
    const env = (r.props.environment ?? {}) as Record<string, unknown>;
    const out: string[] = [];
    for (const cmd of commands(script)) {
        if (!cmd.includes("gcloud") || !cmd.includes("add-tags")) continue;
        const at = cmd.findIndex((w) => w === "--tags" || w.startsWith("--tags="));
        const value = at < 0 ? undefined : cmd[at].startsWith("--tags=") ? cmd[at].slice("--tags=".length) : cmd[at + 1];
        const v = value?.match(/^\$\{?([A-Z_][A-Z0-9_]*)\}?$/);
        const tag = v ? env[v[1]] : value;
        out.push(...String(tag ?? "").split(",").filter(Boolean));
    }
    return out;
}

function covers(f: FirewallProps, direction: "EGRESS" | "INGRESS", tag: string): boolean {
    const ranges = direction === "EGRESS" ? f.destinationRanges : f.sourceRanges;
    return f.direction === direction && (f.denies ?? []).length > 0 && f.disabled !== true && (f.targetTags ?? []).includes(tag) && (ranges ?? []).includes("0.0.0.0/0");
}

interface PodPatchProps {
    readonly metadata?: { readonly namespace?: string; readonly name?: string; readonly labels?: Record<string, string> };
}
interface NetworkPolicyProps {
    readonly metadata?: { readonly namespace?: string };
    readonly spec?: { readonly podSelector?: { readonly matchLabels?: Record<string, string> }; readonly policyTypes?: readonly string[]; readonly ingress?: readonly unknown[]; readonly egress?: readonly unknown[] };
}

/** A deny-all in `namespace` that selects `incident`'s label, both ways, with no rules. */
function isDenyAll(np: NetworkPolicyProps, namespace: string, incident: string): boolean {
    const spec = np.spec ?? {};
    return (
        np.metadata?.namespace === namespace &&
        spec.podSelector?.matchLabels?.[LABELS.incident] === incident &&
        ["Ingress", "Egress"].every((t) => (spec.policyTypes ?? []).includes(t)) &&
        (spec.ingress ?? []).length === 0 &&
        (spec.egress ?? []).length === 0
    );
}

/**
 * The quarantine's marks are promises the stack must keep: a VM tagged for quarantine is cut off
 * only if deny rules for that tag exist (egress and ingress, over 0.0.0.0/0), and a pod labelled
 * for the incident is cut off only if its namespace has the incident's deny-all. Either mark
 * without its rules reads as "quarantined" in every status and blocks nothing. A readiness stack
 * may pre-stage the deny rules; a stack that reads one is trusted to have them. Unknown values
 * fail closed.
 */
export const containmentComplete: StackValidationPolicy = {
    name: "containment-complete",
    description: "A VM tagged for quarantine has egress and ingress deny rules for its tag; a pod labelled for the incident has a deny-all NetworkPolicy in its namespace.",
    enforcementLevel: "mandatory",
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
        const read = <T>(r: PolicyResource, f: () => T, fallback: T): T => {
            try {
                return f();
            } catch (e) {
                if (!isUnknownValueError(e)) throw e;
                report(failClosed(e), r.urn);
                return fallback;
            }
        };
        const firewalls = args.resources.filter((r) => r.type === FIREWALL_TYPE).map((r) => read(r, () => ({ ...(r.props as FirewallProps) }), {} as FirewallProps));
        const prestaged = args.resources.some((r) => r.type === "pulumi:pulumi:StackReference" && READINESS.test(String(r.props.name ?? "")));
        for (const r of args.resources.filter((x) => COMMAND_TYPES.includes(x.type))) {
            for (const tag of read(r, () => tagsAdded(r), [])) {
                if (prestaged) continue;
                for (const dir of ["EGRESS", "INGRESS"] as const) {
                    if (!firewalls.some((f) => covers(f, dir, tag))) {
                        report(`${r.name} tags a VM ${tag}, but no ${dir} deny rule over 0.0.0.0/0 targets that tag: the VM would be marked quarantined and stay on the network`, r.urn);
                    }
                }
            }
        }
        const policies = args.resources.filter((r) => r.type === NETWORK_POLICY).map((r) => read(r, () => r.props as NetworkPolicyProps, {}));
        for (const r of args.resources.filter((x) => x.type === POD_PATCH)) {
            const meta = read(r, () => (r.props as PodPatchProps).metadata ?? {}, {});
            const incident = meta.labels?.[LABELS.incident];
            if (incident === undefined || meta.namespace === undefined) continue;
            if (!policies.some((np) => isDenyAll(np, meta.namespace!, incident))) {
                report(`${r.name} labels pod ${meta.namespace}/${meta.name} for incident ${incident}, but no deny-all NetworkPolicy in ${meta.namespace} selects ${LABELS.incident}=${incident}: the pod would be marked and still reachable`, r.urn);
            }
        }
    },
};
