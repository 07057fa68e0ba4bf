/** Label keys and values the quarantine writes; the components, the pack and the tests agree on them here. */
export const LABELS = {
    /** The runbook's own label: `kubectl drain --pod-selector='!quarantine'` keys off it. */
    quarantine: "quarantine",
    /** Selects the pods of one incident; the NetworkPolicy selects on this, never on `quarantine`. */
    incident: "quarantine/incident",
    /** Marks a node as under investigation (seed 001). Same value for every incident so two co-own it. */
    investigation: "quarantine/investigation",
} as const;

/** GCE label keys on what the quarantine creates; the policy pack checks the same keys. */
export const GCE_LABELS = {
    /** The incident a resource belongs to. */
    incident: "quarantine-incident",
    /** Marks evidence (`disk`, `bucket`): kept on destroy, waited for by every destructive step. */
    evidence: "quarantine-evidence",
} as const;

/** Google's range for IAP TCP forwarding: the only way in to the bastion. */
export const IAP_RANGE = "35.235.240.0/20";
