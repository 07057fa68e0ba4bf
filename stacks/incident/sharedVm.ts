import { DiscoveryError, type VmFacts } from "./facts";

/** The ids of the other incidents whose isolation tag (`quarantine-<id>`, not `…-bastion`) is in `tags`. */
export function otherIncidentsOn(tags: readonly string[], incidentId: string): string[] {
    return tags
        .map((t) => /^quarantine-(.+)$/.exec(t)?.[1])
        .filter((id): id is string => id !== undefined && id !== incidentId && !id.endsWith("-bastion"));
}

/**
 * `delete-node` must not delete a VM another incident still quarantines: its evidence and its
 * investigation would go with it.
 */
export function refuseSharedVmDeletion(level: string, nodes: readonly Omit<VmFacts, "pods">[]): void {
    if (level !== "delete-node") return;
    for (const n of nodes) {
        const others = n.otherIncidents ?? [];
        if (others.length > 0) {
            throw new DiscoveryError(
                `quarantine:level delete-node would delete VM ${n.instance}, which incident ${others.join(", ")} still quarantines (tag ${others.map((o) => `quarantine-${o}`).join(", ")}): ` +
                    `release that incident first (pulumi destroy on its stack), or stay at quarantine:level delete-workload`,
            );
        }
    }
}
