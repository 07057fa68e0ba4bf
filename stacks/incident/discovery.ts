import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import { lastSegment } from "../../components/naming";
import { shellRead } from "../../components/shell";
import { isDestructive } from "../../core/levels";
import type { PodRef, QuarantineConfig } from "../config";
import {
    controllerOf,
    inspectCluster,
    parsePod,
    resolveWorkload,
    type ClusterFacts,
    type Incident,
    type OwnerRef,
    type PodFacts,
    type VmFacts,
    type WorkloadFacts,
    DiscoveryError,
} from "./facts";
import { groupIncident } from "./group";
import { checkWorkloadAction, refuseClusterWide, warnClusterWidePods } from "./clusterWide";
import { refuseOtherCluster } from "./nodeExposure";
import { readVm } from "./readVm";
import { refuseSharedVmDeletion } from "./sharedVm";
import type { Memory } from "./memory";
import { settle } from "./settle";

/**
 * Discovery: the responder names pods; everything else is read. Reads are Pulumi reads and data
 * sources, so `pulumi preview` lists what was found (`=read`) before it lists what will change.
 *
 * The program awaits the read values before declaring the quarantine because the set of nodes,
 * disks and networks decides which resources exist; reads and invokes resolve during preview.
 * Pods that an earlier update deleted (and their nodes) come from that update's memory instead.
 */
export async function discover(cfg: QuarantineConfig, memory?: Memory): Promise<Incident> {
    const id = cfg.incidentId;
    const gone = new Map<string, PodFacts>(memory?.podsDeleted ? memory.incident.pods.map((p) => [key(p.ref), p]) : []);
    // Other incidents' hold on a VM is read fresh or not at all: a remembered one may be released.
    const rememberedVms = new Map<string, Omit<VmFacts, "pods">>((memory?.incident.nodes ?? []).map((n) => [n.name, { ...n, otherIncidents: undefined }]));
    const knownVms = memory?.podsDeleted ? rememberedVms : new Map<string, Omit<VmFacts, "pods">>();
    const destructive = isDestructive(cfg.level);
    const ownerReads = new Map<string, Promise<OwnerRef | undefined>>();

    const pods = await Promise.all(
        cfg.pods.map(async (ref, i) => {
            const known = memory?.incident.pods.find((p) => key(p.ref) === key(ref));
            const uid = await podUid(cfg, ref, i);
            // The name may now be another pod's (a StatefulSet's clean replacement): not ours to touch.
            if (known?.uid && uid && uid !== known.uid) return replaced(known, uid, i);
            const remembered = gone.get(key(ref));
            if (remembered) return { ...remembered, configIndex: i };
            if (!uid) {
                // Quarantined by an earlier update: its node's quarantine goes on from what was found then.
                if (known) return { ...known, configIndex: i };
                throw new DiscoveryError(
                    `${podKey(ref, i)} was not found: it may have been deleted since (an attacker deleting their own pod, as the runbook warns). ` +
                        `Quarantine the node it ran on instead: pulumi config set --path 'quarantine:nodes[0]' <node>, and remove it from quarantine:pods`,
                );
            }
            const pod = k8s.core.v1.Pod.get(`${id}/read/pod/${ref.namespace}/${ref.name}`, key(ref));
            const raw = await settle(
                pulumi.all([pod.metadata, pod.spec, pod.status]).apply(([metadata, spec, status]) => ({ metadata, spec, status })),
                podKey(ref, i),
            );
            const parsed = parsePod(ref, i, raw);
            if (raw.metadata?.deletionTimestamp) warnTerminating(podKey(ref, i), parsed.nodeName);
            // Detaching the pod's labels makes its ReplicaSet release it: the owner it had when the
            // stack first found it is in the stack's memory (state), never in the pod.
            const facts = parsed.owner || !known?.owner ? parsed : { ...parsed, owner: known.owner };
            return destructive ? { ...facts, workload: await workloadOf(id, facts, ownerReads) } : facts;
        }),
    );

    // The pods' nodes, and the nodes named directly (quarantine:nodes), each read once.
    const nodes = await Promise.all(
        [...new Set([...pods.map((p) => p.nodeName), ...cfg.nodes])].map(
            async (nodeName) => knownVms.get(nodeName) ?? readVm(id, cfg.kubeContext, nodeName, cfg.project, rememberedVms.get(nodeName)),
        ),
    );

    let cluster: ClusterFacts | undefined;
    if (cfg.cluster) {
        const c = await settle(
            gcp.container
                .getClusterOutput({ name: cfg.cluster.name, location: cfg.cluster.location, project: cfg.project })
                .apply((r) => ({
                    enableAutopilot: r.enableAutopilot,
                    datapathProvider: r.datapathProvider,
                    networkPolicyEnabled: (r.networkPolicies ?? []).some((p) => p.enabled),
                    network: lastSegment(r.network ?? ""),
                })),
            `cluster ${cfg.cluster.name}`,
        );
        cluster = inspectCluster(cfg.cluster.name, c);
    }

    for (const n of nodes) if (n.exposure) refuseOtherCluster(cfg.cluster, n.name, n.exposure);
    refuseSharedVmDeletion(cfg.level, nodes);
    for (const n of nodes.filter((x) => (x.otherIncidents ?? []).length > 0)) {
        void pulumi.log.warn(`VM ${n.instance} is also quarantined by incident ${(n.otherIncidents ?? []).join(", ")}: quarantine:level delete-node is refused while it is`);
    }
    const incident = groupIncident(pods, nodes, cluster);
    if (cfg.level === "delete-workload" || cfg.level === "delete-node") {
        incident.workloads.forEach((w) => checkWorkloadAction(w, cfg.workloadAction));
    }
    refuseClusterWide(cfg.level, incident.workloads, cfg.confirmClusterWide);
    warnClusterWidePods(pods, cfg.detachLabels);
    return incident;
}

/**
 * Owner references, read: Pod → ReplicaSet → Deployment, Pod → Job → CronJob. Pods of one
 * ReplicaSet share its read: each object is read once.
 */
async function workloadOf(id: string, pod: PodFacts, reads: Map<string, Promise<OwnerRef | undefined>>): Promise<WorkloadFacts | undefined> {
    const ns = pod.ref.namespace;
    return resolveWorkload(pod, (kind, name) => {
        const logical = `${id}/read/${kind.toLowerCase()}/${ns}/${name}`;
        let owner = reads.get(logical);
        if (!owner) {
            const obj = kind === "ReplicaSet" ? k8s.apps.v1.ReplicaSet.get(logical, `${ns}/${name}`) : k8s.batch.v1.Job.get(logical, `${ns}/${name}`);
            owner = settle(obj.metadata, `${kind} ${ns}/${name}`).then(controllerOf);
            reads.set(logical, owner);
        }
        return owner;
    });
}

/**
 * A cut-off node goes NotReady, and after the default 300 s toleration of the
 * `node.kubernetes.io/unreachable` taint its pods are evicted: marked Terminating, which the
 * kubelet, cut off, never completes (https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/#taint-based-evictions).
 * The pod object stays and its container keeps running, contained, on the node; the quarantine
 * goes on with it. Its controller has started a replacement elsewhere.
 */
function warnTerminating(pod: string, node: string): void {
    void pulumi.log.warn(
        `${pod} is Terminating (evicted after its node ${node} went NotReady, as a cut-off node does): its container still runs on the cut-off node until quarantine:level delete-node; the quarantine goes on`,
    );
}

/** The pod's uid now, or "" when it does not exist: asked without a read that would fail the update. */
async function podUid(cfg: QuarantineConfig, ref: PodRef, i: number): Promise<string> {
    const out = shellRead(
        { step: "Check that the named pod still exists", script: "pod-exists" },
        { CONTEXT: cfg.kubeContext, NAMESPACE: ref.namespace, POD: ref.name },
    );
    return (await settle(out, podKey(ref, i))).trim();
}

/**
 * The remembered pod, marked as replaced: its name is now another pod's. Isolation, redeploy and
 * the workload steps leave that pod alone; the node the original ran on stays quarantined.
 */
function replaced(known: PodFacts, uid: string, i: number): PodFacts {
    void pulumi.log.warn(
        `${podKey(known.ref, i)} is now another pod (uid ${uid}; the quarantined one was ${known.uid}), likely a clean replacement of the same name: ` +
            `it is not touched, and the quarantine goes on for node ${known.nodeName}`,
    );
    return { ...known, configIndex: i, replacedBy: uid };
}

function key(ref: PodRef): string {
    return `${ref.namespace}/${ref.name}`;
}

function podKey(ref: PodRef, i: number): string {
    return `quarantine:pods[${i}] ${key(ref)}`;
}
