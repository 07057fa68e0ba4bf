import type { ClusterFacts, Incident, PodFacts, VmFacts, WorkloadFacts } from "./facts";

/**
 * Attaches pods to their nodes. Each node appears once however many pods share it, and each disk
 * once even when it is attached read-only to several nodes (its first node snapshots it); each
 * workload once however many of its pods are quarantined.
 */
export function groupIncident(
    pods: readonly PodFacts[],
    vms: readonly Omit<VmFacts, "pods">[],
    cluster?: ClusterFacts,
): Incident {
    const seen = new Set<string>();
    const workloads = new Map<string, WorkloadFacts>();
    for (const w of pods.map((p) => p.workload)) if (w) workloads.set(`${w.namespace}/${w.kind}/${w.name}`, w);
    const nodes = vms.map((vm) => ({
        ...vm,
        disks: vm.disks.filter((d) => !seen.has(d.source) && seen.add(d.source)),
        pods: pods.filter((p) => p.nodeName === vm.name),
    }));
    return { pods, nodes, cluster, workloads: [...workloads.values()] };
}
