import { SAMPLE_NODE, SAMPLE_PROJECT, sampleCluster, type FakeNode } from "../../../tools/mockEngine/sampleCluster";
import { FAKE_NODE_ANNOTATION } from "./controlPlane";

/**
 * The mock engine's sample cluster (tools/mockEngine/sampleCluster.ts) as real Kubernetes objects,
 * so a scenario and the mock suite describe the same incident: node gke-cluster-pool-1-abcdeffff-zgt8,
 * pod default/compromised-pod owned by ReplicaSet web-5d9f owned by Deployment web, and a bare
 * bystander pod. Only the Kubernetes half: the VM, disks and group live in the gcp stand-in.
 */

type Obj = Record<string, unknown>;

const CONTAINERS = [{ name: "app", image: "registry.example/web:1" }];

export function nodeObject(n: FakeNode, project = SAMPLE_PROJECT): Obj {
    return {
        apiVersion: "v1",
        kind: "Node",
        metadata: {
            name: n.name,
            labels: { ...n.labels, "kubernetes.io/hostname": n.name },
            // Only nodes with this annotation are kwok's: it makes them Ready and runs their pods.
            annotations: { [FAKE_NODE_ANNOTATION]: "fake" },
        },
        spec: { providerID: n.providerID ?? `gce://${project}/${n.zone}/${n.name}` },
    };
}

function pod(namespace: string, name: string, labels: Record<string, string>, node: string): Obj {
    return { apiVersion: "v1", kind: "Pod", metadata: { namespace, name, labels }, spec: { nodeName: node, containers: CONTAINERS } };
}

/**
 * The sample's owner chain, built so the pod keeps its sample name: the bare pod exists first,
 * ReplicaSet web-5d9f adopts it (it matches the selector and has no controller), and Deployment web
 * adopts the ReplicaSet because their templates are equal apart from pod-template-hash.
 */
export function samplePodChain(node = SAMPLE_NODE): Obj[] {
    const sample = sampleCluster().pods[0];
    const labels = { ...sample.labels } as Record<string, string>;
    const { "pod-template-hash": hash, ...deploymentLabels } = labels;
    const template = (l: Record<string, string>, withNode: boolean) => ({
        metadata: { labels: l },
        spec: withNode ? { nodeName: node, containers: CONTAINERS } : { containers: CONTAINERS },
    });
    return [
        pod(sample.namespace, sample.name, labels, node),
        {
            apiVersion: "apps/v1",
            kind: "ReplicaSet",
            metadata: { namespace: sample.namespace, name: `web-${hash}`, labels },
            spec: { replicas: 1, selector: { matchLabels: labels }, template: template(labels, true) },
        },
        {
            apiVersion: "apps/v1",
            kind: "Deployment",
            metadata: { namespace: sample.namespace, name: "web", labels: deploymentLabels },
            spec: { replicas: 1, selector: { matchLabels: deploymentLabels }, template: template(deploymentLabels, true) },
        },
    ];
}

/** The sample node, its compromised pod with owners, and the bare bystander pod. */
export function sampleObjects(): Obj[] {
    const c = sampleCluster();
    const bystander = c.pods[1];
    return [
        ...c.nodes.map((n) => nodeObject(n, c.project)),
        ...samplePodChain(),
        pod(bystander.namespace, bystander.name, { ...bystander.labels }, bystander.node ?? SAMPLE_NODE),
    ];
}

/** A PodDisruptionBudget that allows no voluntary disruption of `app=<app>` (minAvailable 1 of 1). */
export function blockingPdb(app: string, namespace = "default"): Obj {
    return {
        apiVersion: "policy/v1",
        kind: "PodDisruptionBudget",
        metadata: { namespace, name: `${app}-pdb` },
        spec: { minAvailable: 1, selector: { matchLabels: { app } } },
    };
}
