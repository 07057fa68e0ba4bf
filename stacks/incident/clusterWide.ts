import * as pulumi from "@pulumi/pulumi";
import type { Level } from "../../core/levels";
import { reaches } from "../../core/levels";
import { DiscoveryError, type PodFacts, type WorkloadFacts } from "./facts";

/**
 * Workloads whose stopping reaches past the incident (issue #11.8). A DaemonSet runs a pod on
 * every node: `delete-workload` would remove it from the whole cluster. kube-system holds the
 * cluster's own machinery (gke-metadata-server, kube-proxy, the CNI): stopping one of its
 * workloads can take down every node's networking or credentials. Each is refused at the
 * workload levels unless `quarantine:confirmClusterWide` names it.
 */

export function clusterWideKey(w: WorkloadFacts): string {
    return `${w.kind.toLowerCase()}/${w.namespace}/${w.name}`;
}

function reachesPastIncident(w: WorkloadFacts): string | undefined {
    if (w.kind === "DaemonSet") return "a DaemonSet runs on every node: stopping it stops it on all of them";
    if (w.namespace === "kube-system") return "kube-system runs the cluster's own services: stopping one can break every node";
    return undefined;
}

export function refuseClusterWide(level: Level, workloads: readonly WorkloadFacts[], confirmed: readonly string[]): void {
    if (!reaches(level, "delete-workload")) return;
    for (const w of workloads) {
        const why = reachesPastIncident(w);
        const key = clusterWideKey(w);
        if (why && !confirmed.includes(key)) {
            throw new DiscoveryError(
                `quarantine:level ${level} would stop ${w.kind} ${w.namespace}/${w.name}, and ${why}; ` +
                    `to do it anyway: pulumi config set --path 'quarantine:confirmClusterWide[0]' ${key} (or stay at quarantine:level redeploy)`,
            );
        }
    }
}

/**
 * Warnings for pods whose quarantine touches more than the pod: a DaemonSet pod whose labels are
 * detached is orphaned, and its DaemonSet starts a replacement on the same node (DaemonSet pods
 * tolerate the cordon's unschedulable taint,
 * https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/#taints-and-tolerations),
 * which the drain then leaves in place; a kube-system pod may be part of the node's own machinery.
 */
export function warnClusterWidePods(pods: readonly PodFacts[], detachLabels: boolean): void {
    for (const p of pods) {
        const name = `quarantine:pods[${p.configIndex}] ${p.ref.namespace}/${p.ref.name}`;
        if (p.owner?.kind === "DaemonSet" && detachLabels) {
            void pulumi.log.warn(
                `${name} belongs to DaemonSet ${p.owner.name}: detaching its labels orphans it, and the DaemonSet starts a replacement on the same, cordoned node`,
            );
        }
        if (p.ref.namespace === "kube-system") {
            void pulumi.log.warn(`${name} is in kube-system: it may be part of the node's own machinery (networking, metadata, logging); its isolation can affect the node`);
        }
    }
}

/** A DaemonSet has no replica count: scaling it to zero is not a thing. */
export function checkWorkloadAction(w: WorkloadFacts, action: "scale-to-zero" | "delete"): void {
    if (w.kind === "DaemonSet" && action === "scale-to-zero") {
        throw new DiscoveryError(
            `quarantine:workloadAction "scale-to-zero" can't stop DaemonSet ${w.namespace}/${w.name} (it has no replica count); e.g. pulumi config set quarantine:workloadAction delete`,
        );
    }
}
