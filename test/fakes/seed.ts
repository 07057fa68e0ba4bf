import type { FakeCluster } from "../../tools/mockEngine/sampleCluster";
import { KubeFake } from "./kube";

/**
 * The Kubernetes objects behind a mock-engine `FakeCluster`, made whole enough for kubectl drain:
 * a pod's declared owner chain (`owner`, `owned`) exists; a pod with none is given an ordinary
 * ReplicaSet owned by a Deployment (the sample's bystanders; drain refuses unmanaged pods); and
 * each node also runs a DaemonSet pod, which the drain must leave and whose DaemonSet it reads.
 * Each pod has a `Started` event, for `kubectl describe` and `kubectl get events`.
 */

const KINDS: Record<string, { resource: string; apiVersion: string }> = {
    Deployment: { resource: "deployments", apiVersion: "apps/v1" },
    ReplicaSet: { resource: "replicasets", apiVersion: "apps/v1" },
    StatefulSet: { resource: "statefulsets", apiVersion: "apps/v1" },
    DaemonSet: { resource: "daemonsets", apiVersion: "apps/v1" },
    Job: { resource: "jobs", apiVersion: "batch/v1" },
    CronJob: { resource: "cronjobs", apiVersion: "batch/v1" },
};

type Ref = { readonly kind: string; readonly name: string };

export function seedKube(kube: KubeFake, cluster: FakeCluster): void {
    for (const ns of new Set(["default", "kube-system", ...cluster.pods.map((p) => p.namespace)])) {
        kube.put("namespaces", { metadata: { name: ns }, status: { phase: "Active" } });
    }
    for (const n of cluster.nodes) {
        kube.put("nodes", {
            metadata: { name: n.name, labels: { ...(n.labels ?? {}) } },
            spec: { providerID: n.providerID ?? `gce://${cluster.project}/${n.zone}/${n.name}` },
            status: { conditions: [{ type: "Ready", status: "True" }] },
        });
    }
    const ds = ensure(kube, cluster, "kube-system", { kind: "DaemonSet", name: "fluentbit-gke" }, "fluentbit-gke");
    cluster.nodes.forEach((n, i) => {
        kube.put("pods", {
            metadata: { name: `fluentbit-gke-${i}`, namespace: "kube-system", labels: { app: "fluentbit-gke" }, ownerReferences: [ds] },
            spec: { nodeName: n.name, containers: [{ name: "fluentbit", image: "fluent-bit" }] },
            status: { phase: "Running" },
        });
    });
    for (const p of cluster.pods) {
        const app = p.labels?.app ?? p.name;
        let owner = p.owner;
        if (!owner) {
            owner = { kind: "ReplicaSet", name: `${app}-${p.labels?.["pod-template-hash"] ?? "6c4f"}` };
        }
        const ref = ensure(kube, cluster, p.namespace, owner, app, p.owner ? undefined : { kind: "Deployment", name: app });
        kube.put("events", {
            metadata: { name: `${p.name}.started`, namespace: p.namespace },
            involvedObject: { kind: "Pod", name: p.name, namespace: p.namespace, uid: `uid-pods-${p.namespace}-${p.name}` },
            reason: "Started",
            message: "Started container main",
            type: "Normal",
            count: 1,
        });
        kube.put("pods", {
            metadata: {
                name: p.name,
                namespace: p.namespace,
                labels: { ...(p.labels ?? {}) },
                ...(p.annotations ? { annotations: { ...p.annotations } } : {}),
                ownerReferences: [ref],
            },
            spec: { nodeName: p.node, containers: [{ name: "main", image: `${app}:1` }], volumes: [{ name: "scratch", emptyDir: {} }] },
            status: { phase: p.phase ?? "Running" },
        });
    }
}

/** Makes the workload `ref` (and the chain above it) exist; returns an owner reference to it. */
function ensure(kube: KubeFake, cluster: FakeCluster, namespace: string, ref: Ref, app: string, parent?: Ref): Record<string, unknown> {
    const k = KINDS[ref.kind];
    if (!k) throw new Error(`seed: no fake for owner kind ${ref.kind}`);
    if (!kube.get(k.resource, namespace, ref.name)) {
        const declared = (cluster.owned ?? []).find((o) => o.namespace === namespace && o.kind === ref.kind && o.name === ref.name)?.owner;
        const up = declared ?? parent;
        const upRef = up ? [ensure(kube, cluster, namespace, up, app)] : [];
        const spec = ref.kind === "Job" || ref.kind === "CronJob" ? { suspend: false } : { replicas: 2, selector: { matchLabels: { app } } };
        kube.put(k.resource, { metadata: { name: ref.name, namespace, labels: { app }, ...(upRef.length ? { ownerReferences: upRef } : {}) }, spec });
    }
    const o = kube.get(k.resource, namespace, ref.name);
    return { apiVersion: k.apiVersion, kind: ref.kind, name: ref.name, uid: o.metadata.uid, controller: true, blockOwnerDeletion: true };
}

/** A PodDisruptionBudget over `app`, with no disruption allowed: evicting its pods is refused. */
export function blockingBudget(kube: KubeFake, namespace: string, name: string, app: string): void {
    kube.put("poddisruptionbudgets", {
        metadata: { name, namespace },
        spec: { minAvailable: 2, selector: { matchLabels: { app } } },
        status: { disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 2, expectedPods: 2 },
    });
}
