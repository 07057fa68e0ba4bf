import { GCE_LABELS } from "../../core/labels";
import { INCIDENT_ID } from "../../core/incidentNames";

/**
 * Which incident a stack quarantines. The policies need the id to tell the incident's own tags,
 * labels and names from anything else (a rule targeting `gke-prod-node` would isolate the cluster).
 *
 * The pack reads it from the stack, never from the resource under check (a resource can't vouch
 * for itself):
 * 1. the stack tag `quarantine:incident`, when set (`pulumi stack tag set quarantine:incident 42`);
 * 2. otherwise the stack's name, `incident-<id>`, as the program itself derives it. CrossGuard does
 *    not hand policies the stack name, so it is read from the resource's URN.
 * A stack that has neither can't be checked, and every policy that needs the id fails closed.
 */

/** Stack tag that names the incident when the stack is not called `incident-<id>`. */
export const INCIDENT_TAG = "quarantine:incident";
/** GCE label carrying the incident id (GCE label keys can't contain `/`). */
export const GCE_INCIDENT_LABEL = GCE_LABELS.incident;

export type IncidentLookup = { readonly id: string; readonly problem?: undefined } | { readonly id?: undefined; readonly problem: string };

/** Stack name in `urn:pulumi:<stack>::<project>::<type>::<name>`. */
export function stackOfUrn(urn: string): string | undefined {
    const m = /^urn:pulumi:(.+?)::/.exec(urn);
    return m ? m[1] : undefined;
}

export function incidentOf(stackTags: ReadonlyMap<string, string>, urn: string | undefined): IncidentLookup {
    const tag = stackTags.get(INCIDENT_TAG);
    if (tag !== undefined) {
        return INCIDENT_ID.test(tag)
            ? { id: tag }
            : { problem: `stack tag ${INCIDENT_TAG} "${tag}" is not an incident id (lowercase letters, digits, '-'; at most 20), e.g. 42` };
    }
    const stack = urn === undefined ? undefined : stackOfUrn(urn);
    const m = stack === undefined ? null : /^incident-(.+)$/.exec(stack);
    if (m && INCIDENT_ID.test(m[1])) return { id: m[1] };
    return {
        problem: `cannot tell which incident stack "${stack ?? "(unknown)"}" quarantines: name the stack incident-<id>, or run pulumi stack tag set ${INCIDENT_TAG} <id>`,
    };
}
