import { incidentNames } from "../../core/incidentNames";
import { FIREWALL_TYPE, type FirewallProps } from "../lib/network";
import { incidentOfSubject, resourceRule } from "../lib/policy";

/**
 * A firewall rule without target tags applies to every VM in the VPC: a deny rule without them
 * blacks out production. Every rule the stack declares targets the incident's isolation tag or its
 * bastion tag, nothing else. Checked before each rule is created, and again over the stack.
 */
export const firewallTargetTags = resourceRule({
    name: "firewall-target-tags",
    description: "Every firewall rule targets only this incident's isolation tag or bastion tag, never the whole VPC.",
    appliesTo: (type) => type === FIREWALL_TYPE,
    scope: "firewall rules",
    alsoOverStack: true,
    check: (r, report) => {
        const incident = incidentOfSubject(r);
        if (incident.problem !== undefined) return report(incident.problem);
        const names = incidentNames(incident.id);
        const allowed = `${names.isolationTag} (or ${names.bastionTag} for the bastion's own rule)`;
        const tags = (r.props as FirewallProps).targetTags ?? [];
        if (tags.length === 0) {
            return report(`has no target tags, so it applies to every VM in its VPC network: target ${allowed}`);
        }
        const foreign = tags.filter((t) => t !== names.isolationTag && t !== names.bastionTag);
        if (foreign.length > 0) {
            report(`targets ${foreign.map((t) => JSON.stringify(t)).join(", ")}, which is not this incident's: target only ${allowed}`);
        }
    },
});
