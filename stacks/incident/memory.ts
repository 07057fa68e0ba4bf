import * as pulumi from "@pulumi/pulumi";
import { reaches, type Level } from "../../core/levels";
import { DiscoveryError, type Incident } from "./facts";
import type { ResolvedOutputs } from "./outputs";
import { settle } from "./settle";

/**
 * What the previous update of this stack found and did, read back from its own outputs through a
 * StackReference to itself (a read, shown in preview). It matters once a one-way step has run:
 * after `redeploy` the pods are gone and after `delete-node` the VM is, so a later update (a
 * higher level, a lower one, a re-run) can't read them again and works from what was recorded.
 */
export interface Memory {
    readonly level: string;
    /** True once any update deleted the pods (redeploy and above). Stays true. */
    readonly podsDeleted: boolean;
    /** One-way actions taken so far, across updates. */
    readonly oneWay: readonly string[];
    readonly incident: Incident;
    /** Pods quarantined because they ran a blocked image (`quarantine:images`), as namespace/name. */
    readonly imagePods?: readonly string[];
}

export const MEMORY_OUTPUT = "memory";

/** The organization every DIY backend (file://, gs://, s3://) reports, in either layout. */
export const DIY_ORGANIZATION = "organization";

/**
 * The name under which the backend the update runs on finds this stack. A DIY backend in the
 * legacy layout (state under `.pulumi/stacks/<stack>.json`, no `meta.yaml`) accepts only the bare
 * stack name: `organization/quarantine/<stack>` is refused with "a stack name may only contain
 * alphanumeric, hyphens, underscores, or periods: invalid character '/'"; the project layout
 * (`meta.yaml` version 1) accepts the bare name too, completing it with the current project
 * (pkg/backend/diy/store.go, both verified with CLI v3.248.0). Pulumi Cloud completes a bare name
 * with the user's default organization, which need not be the stack's: there it is the full
 * `<org>/<project>/<stack>` (pkg/backend/httpstate/backend.go `ParseStackReference`).
 */
export function selfReferenceName(organization = pulumi.getOrganization(), project = pulumi.getProject(), stack = pulumi.getStack()): string {
    return organization === DIY_ORGANIZATION ? stack : `${organization}/${project}/${stack}`;
}

export async function recall(id: string): Promise<Memory | undefined> {
    const self = new pulumi.StackReference(`${id}/read/previous-update`, { name: selfReferenceName() });
    const outputs = await settle(self.outputs, "the stack's previous outputs");
    // The previous update's outputs (QuarantineOutputs); an older stack may lack the memory.
    const m = (outputs as Partial<Pick<ResolvedOutputs, typeof MEMORY_OUTPUT>> | undefined)?.[MEMORY_OUTPUT] as Memory | undefined;
    if (!m || typeof m !== "object" || !m.incident || !Array.isArray(m.incident.pods)) return undefined;
    return m;
}

/** What the next update should remember. */
export function remember(previous: Memory | undefined, level: string, podsDeletedNow: boolean, oneWay: string[], incident: Incident): Memory {
    const before = previous?.oneWay ?? [];
    return {
        level,
        podsDeleted: (previous?.podsDeleted ?? false) || podsDeletedNow,
        oneWay: [...before, ...oneWay.filter((a) => !before.includes(a))],
        incident: slim(incident),
    };
}

/**
 * Only what later updates read: each pod once (the nodes' pod lists are rebuilt from the pods by
 * groupIncident) and without its labels, which nothing reads back and whose number the pod's
 * owner (or the attacker) chooses: a pod with 2,000 labels made the memory 379 KB.
 */
function slim(incident: Incident): Incident {
    return {
        ...incident,
        pods: incident.pods.map((p) => ({ ...p, labels: {} })),
        nodes: incident.nodes.map((n) => ({ ...n, pods: [] })),
    };
}

/**
 * After `redeploy` the pods' containers may still run on their cut-off VMs: a cut-off kubelet
 * never stops them. Lowering the level below `isolate` would put those VMs back on the network
 * with the containers running, so it is refused while a VM of the incident was not deleted
 * (`delete-node` is what ends that).
 */
export function refuseReleasingDeletedPods(level: Level, memory: Memory | undefined): void {
    if (!memory?.podsDeleted || reaches(level, "isolate")) return;
    const standing = memory.incident.nodes.filter((n) => !memory.oneWay.some((a) => a.startsWith(`deleted VM ${n.instance} `)));
    if (standing.length === 0) return;
    const vms = standing.map((n) => n.instance).join(", ");
    throw new DiscoveryError(
        `quarantine:level ${level} would take the quarantine off VM ${vms}, where the pods an earlier update deleted may still run (a cut-off kubelet never stops their containers): ` +
            `keep quarantine:level at isolate or above, e.g. pulumi config set quarantine:level isolate, until quarantine:level delete-node has deleted the VM`,
    );
}
