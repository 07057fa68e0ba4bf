import { readFileSync } from "node:fs";
import * as path from "node:path";
import { load } from "js-yaml";
import { SAMPLE_NODE } from "../../../tools/mockEngine/sampleCluster";
import { ROOT } from "./bin";
import type { ControlPlane } from "./controlPlane";
import { nodeObject, sampleObjects } from "./sampleObjects";
import type { Project } from "./stack";

/**
 * Helpers of test/e2e/isolate.e2e.ts (issue 12, scenario 1): the example stack's config as a
 * responder sets it, the sample cluster with somewhere for replacements to go, the apiserver's
 * audit of evictions, and small kubectl readers.
 */

export const EXAMPLE = load(readFileSync(path.join(ROOT, "stacks/Pulumi.incident-42.example.yaml"), "utf8")) as { config: Record<string, unknown> };
export const CONTEXT = String(EXAMPLE.config["kubernetes:context"]);

/**
 * The `pulumi config set` calls the README's walkthrough makes, with the example stack's values
 * (stacks/Pulumi.incident-42.example.yaml), in its order: each key of the example, a list or
 * object one `--path` entry per element.
 */
export function exampleConfig(): { key: string; value: string; path: boolean }[] {
    const out: { key: string; value: string; path: boolean }[] = [];
    for (const [key, value] of Object.entries(EXAMPLE.config)) {
        if (Array.isArray(value)) value.forEach((v, i) => out.push({ key: `${key}[${i}]`, value: String(v), path: true }));
        else if (typeof value === "object" && value !== null) for (const [k, v] of Object.entries(value)) out.push({ key: `${key}.${k}`, value: String(v), path: true });
        else out.push({ key, value: String(value), path: false });
    }
    return out;
}

export async function setExampleConfig(project: Project): Promise<void> {
    for (const c of exampleConfig()) {
        const r = await project.configSet(c.key, c.value, { path: c.path });
        if (r.code !== 0) throw new Error(`pulumi config set ${c.key}: exit ${r.code}\n${r.stdout}${r.stderr}`);
    }
}

/** A second kwok node, where the sample's controllers put their replacement pods. */
export const OTHER_NODE = "gke-cluster-pool-1-abcdeffff-x2k9";

/**
 * A pod on the quarantined node that a controller owns (ReplicaSet worker-6b7c), so the drain can
 * evict it. It takes the place of the sample's bare `bystander` pod, which this scenario leaves
 * out: `kubectl drain` without --force refuses a node with a pod that declares no controller and
 * then evicts nothing at all, not even the managed pods beside it (seen under the real CLI: the
 * drain's output lists both pods as left on the node). That is a scenario-3 fault, not scenario 1.
 */
export const MANAGED_POD = { namespace: "default", name: "worker-6b7c-pq4xz", replicaSet: "worker-6b7c" };

/**
 * The sample cluster (harness/sampleObjects.ts) without its bare pod, plus MANAGED_POD and a
 * second node, with the ReplicaSets' and
 * Deployment's templates pinned to it. There is no scheduler: a replacement lands where its
 * template's nodeName says, and the sample's templates name the quarantined node, so without
 * this every replacement would be put back on the node being drained (a scheduler would skip the
 * cordoned node). The compromised pod itself stays on the sample node: a ReplicaSet adopts by
 * selector, whatever the pod's spec.
 */
export function scenarioObjects(): Record<string, any>[] {
    const objects = (sampleObjects() as Record<string, any>[]).filter((o) => !(o.kind === "Pod" && o.metadata.name === "bystander"));
    const other = nodeObject({ name: OTHER_NODE, zone: "us-central1-a", disks: [], network: "default", subnetwork: "default", labels: { "topology.kubernetes.io/zone": "us-central1-a" } });
    for (const o of objects) {
        if (o.kind !== "ReplicaSet" && o.kind !== "Deployment") continue;
        o.spec.template.spec.nodeName = OTHER_NODE;
        // On destroy the detach step puts the pod's labels back, its ReplicaSet re-adopts it, has
        // one pod too many and deletes one: the program's PodPatch gives the quarantined pod the
        // highest deletion cost, so the replacement goes. Replacements carry no cost of their own
        // here, so the scenario tests the program's choice, not the seed's.
    }
    const labels = { app: "worker", "pod-template-hash": "6b7c" };
    const containers = [{ name: "worker", image: "registry.example/worker:1" }];
    const managed = [
        { apiVersion: "v1", kind: "Pod", metadata: { namespace: MANAGED_POD.namespace, name: MANAGED_POD.name, labels }, spec: { nodeName: SAMPLE_NODE, containers } },
        {
            apiVersion: "apps/v1",
            kind: "ReplicaSet",
            metadata: { namespace: MANAGED_POD.namespace, name: MANAGED_POD.replicaSet, labels },
            spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { nodeName: OTHER_NODE, containers } } },
        },
    ];
    return [other, ...objects, ...managed];
}

export interface AuditEvent {
    verb: string;
    user: { username: string };
    userAgent?: string;
    objectRef?: { resource?: string; subresource?: string; namespace?: string; name?: string };
    responseStatus?: { code?: number };
    stage: string;
}

/** The apiserver's audit log (ControlPlane `auditLog`), completed requests only. */
export function auditEvents(cp: ControlPlane): AuditEvent[] {
    if (!cp.auditLogPath) throw new Error("the control plane was started without auditLog");
    return readFileSync(cp.auditLogPath, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as AuditEvent)
        .filter((e) => e.stage === "ResponseComplete");
}

/** Accepted evictions (`POST pods/NAME/eviction` answered 201), as `namespace/name` (user agent). */
export function evictions(cp: ControlPlane): { pod: string; userAgent: string }[] {
    return auditEvents(cp)
        .filter((e) => e.verb === "create" && e.objectRef?.subresource === "eviction" && e.responseStatus?.code === 201)
        .map((e) => ({ pod: `${e.objectRef?.namespace}/${e.objectRef?.name}`, userAgent: e.userAgent ?? "" }));
}

/** `kubectl get -o json`, parsed. */
export async function getJson(cp: ControlPlane, args: string[]): Promise<any> {
    return JSON.parse(await cp.kubectlOk(["get", ...args, "-o", "json"]));
}

/** Every pod: `namespace/name` → node, labels and whether it is terminating. */
export async function pods(cp: ControlPlane): Promise<Record<string, { node: string; labels: Record<string, string>; terminating: boolean; phase: string }>> {
    const list = await getJson(cp, ["pods", "-A"]);
    return Object.fromEntries(
        list.items.map((p: any) => [
            `${p.metadata.namespace}/${p.metadata.name}`,
            { node: p.spec.nodeName, labels: p.metadata.labels ?? {}, terminating: Boolean(p.metadata.deletionTimestamp), phase: p.status?.phase },
        ]),
    );
}
