/**
 * Incident ids end up inside GCE names, network tags, GCE labels and Kubernetes label values;
 * 20 characters leave room for the longest derived name within GCE's 63. An id may not end in
 * `-bastion`: incident `42-bastion`'s isolation tag would be incident 42's bastion tag.
 */
export const INCIDENT_ID = /^(?!.*-bastion$)[a-z0-9]([-a-z0-9]{0,18}[a-z0-9])?$/;

/** Every name an incident uses, derived from its id so two incidents in one VPC never collide. */
export interface IncidentNames {
    readonly id: string;
    /** Network tag that the quarantine firewall rules target. */
    readonly isolationTag: string;
    /** Network tag of the bastion: the only source allowed to reach the quarantined VM. */
    readonly bastionTag: string;
    /**
     * Field manager of the pods' label patches: a second incident's patch of the same pod conflicts
     * on its `quarantine/incident` label anyway, and the conflict then names this incident. Not the
     * node's cordon, which two incidents co-own (components/cordonDrain.ts).
     */
    readonly fieldManager: string;
    /** Name of the deny-all NetworkPolicy in each affected namespace. */
    readonly networkPolicy: string;
}

export function incidentNames(id: string): IncidentNames {
    if (!INCIDENT_ID.test(id)) {
        throw new Error(`incident id "${id}" must match ${INCIDENT_ID} (e.g. 42 or 2026-11-25a)`);
    }
    return {
        id,
        isolationTag: `quarantine-${id}`,
        bastionTag: `quarantine-${id}-bastion`,
        fieldManager: `quarantine-${id}`,
        networkPolicy: `quarantine-${id}-deny-all`,
    };
}
