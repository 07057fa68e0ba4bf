import { LABELS } from "../../core/labels";
import { incidentOfSubject, resourceRule } from "../lib/policy";

interface NetworkPolicyProps {
    readonly spec?: {
        readonly podSelector?: {
            readonly matchLabels?: Record<string, string>;
            readonly matchExpressions?: readonly unknown[];
        };
        readonly policyTypes?: readonly string[];
        readonly ingress?: readonly unknown[];
        readonly egress?: readonly unknown[];
    };
}

const BOTH = ["Ingress", "Egress"];

/**
 * An empty podSelector selects every pod in the namespace: a deny-all with one isolates the whole
 * namespace. Every NetworkPolicy (or patch of one) the stack declares selects the incident's own
 * label and lists both policy types, so it cuts the pods off in both directions.
 */
export const networkPolicySelector = resourceRule({
    name: "network-policy-incident-selector",
    description: "Every NetworkPolicy selects pods by this incident's label (never an empty selector), lists both Ingress and Egress, and has no rules, which would allow traffic.",
    appliesTo: (type) => /^kubernetes:[^:]+:NetworkPolicy(Patch)?$/.test(type),
    scope: "NetworkPolicies",
    check: (r, report) => {
        const incident = incidentOfSubject(r);
        if (incident.problem !== undefined) return report(incident.problem);
        const wanted = `${LABELS.incident}=${incident.id}`;
        const spec = (r.props as NetworkPolicyProps).spec ?? {};
        const matchLabels = spec.podSelector?.matchLabels ?? {};
        const matchExpressions = spec.podSelector?.matchExpressions ?? [];
        const selected = matchLabels[LABELS.incident];
        if (Object.keys(matchLabels).length === 0 && matchExpressions.length === 0) {
            report(`has an empty podSelector, which selects every pod in its namespace: select ${wanted}`);
        } else if (selected === undefined) {
            report(`does not select by the incident label: select ${wanted}`);
        } else if (selected !== incident.id) {
            report(`selects ${LABELS.incident}=${selected}, another incident's pods: select ${wanted}`);
        }

        // NetworkPolicies are additive: a rule on the incident's own policy allows what it names.
        for (const dir of ["ingress", "egress"] as const) {
            const rules = spec[dir] ?? [];
            if (rules.length > 0) report(`has ${rules.length} ${dir} rule(s), which allow ${dir} traffic: the quarantine's deny-all has none; remove spec.${dir}`);
        }

        const types = spec.policyTypes ?? [];
        const missing = BOTH.filter((t) => !types.includes(t));
        if (missing.length > 0) {
            const listed = types.length > 0 ? `lists only ${types.join(", ")}` : "is not set";
            report(`policyTypes ${listed}: list both Ingress and Egress, or the pods' ${missing.join(" and ").toLowerCase()} traffic is not denied`);
        }
    },
});
