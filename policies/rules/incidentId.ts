import { LABELS } from "../../core/labels";
import { GCE_INCIDENT_LABEL } from "../lib/incident";
import { incidentOfSubject, resourceRule } from "../lib/policy";

interface LabelledProps {
    readonly labels?: Record<string, string>;
    readonly metadata?: { readonly labels?: Record<string, string> };
}

/**
 * Every resource says which incident it belongs to, so two incidents in one project never touch
 * each other's resources and a responder can find everything of one incident. The program names
 * every resource `<id>/…`; GCE resources also carry the `quarantine-incident` label and Kubernetes
 * resources the `quarantine/incident` label. A label naming another incident is a violation even
 * when the name is right (a copy from another incident's stack). The engine's own resources (the
 * stack, providers: `pulumi:*`) are not the quarantine's.
 */
export const incidentId = resourceRule({
    name: "incident-id",
    description: `Every resource carries this incident's id: its name starts with "<id>/", or its ${GCE_INCIDENT_LABEL} (GCE) or ${LABELS.incident} (Kubernetes) label is the id.`,
    appliesTo: (type) => !type.startsWith("pulumi:"),
    scope: "the quarantine's resources (not the engine's pulumi:* resources)",
    check: (r, report) => {
        const incident = incidentOfSubject(r);
        if (incident.problem !== undefined) return report(incident.problem);
        const id = incident.id;
        const props = r.props as LabelledProps;
        const [key, label] = r.type.startsWith("kubernetes:")
            ? [LABELS.incident, props.metadata?.labels?.[LABELS.incident]]
            : [GCE_INCIDENT_LABEL, props.labels?.[GCE_INCIDENT_LABEL]];
        if (label !== undefined && label !== id) {
            report(`is labelled ${key}=${label}, but this stack quarantines incident ${id}`);
        } else if (label === undefined && !r.name.startsWith(`${id}/`)) {
            report(`carries no incident id: name it "${id}/…" or label it ${key}=${id}`);
        }
    },
});
