import type { Workload, WorkloadKind } from "../../components/escalation";
import { isK8sSubdomain, lastSegment } from "../../components/naming";
import { hostAccessOf, type PodSpecForHostAccess } from "./hostAccess";
import type { NodeExposure } from "./nodeExposure";
import { otherIncidentsOn } from "./sharedVm";
import type { PodRef } from "../config";

/**
 * Pure interpretation of what discovery read. Kept free of Pulumi so every refusal can be tested
 * with a table, and so the messages a responder sees are written in one place.
 */

export interface OwnerRef {
    readonly kind: string;
    readonly name: string;
}

export interface PodFacts {
    readonly ref: PodRef;
    /** The pod's uid as first found: a new pod of the same name (a StatefulSet's replacement) is another pod. */
    readonly uid?: string;
    /** Set when the name now belongs to another pod than the one remembered: its uid. That pod is not touched. */
    readonly replacedBy?: string;
    readonly configIndex: number;
    readonly nodeName: string;
    readonly labels: Readonly<Record<string, string>>;
    /** The controller that owns the pod, or the one it had before the quarantine detached it. */
    readonly owner?: OwnerRef;
    /** What lets it reach past NetworkPolicy or its sandbox (hostNetwork, privileged, …); unset when nothing does. */
    readonly hostAccess?: readonly string[];
    /** Its own IPs (not a hostNetwork pod's, which are the node's), each a valid address: the conntrack flush's targets. */
    readonly ips?: readonly string[];
    /** The top workload owning it, resolved for the destructive levels; unset for a bare pod. */
    readonly workload?: WorkloadFacts;
}

export interface MigRef {
    readonly name: string;
    /** `zone` for zonal groups (GKE node pools), `region` for regional ones. */
    readonly scope: "zone" | "region";
    readonly location: string;
}

export interface DiskFacts {
    readonly name: string;
    /** Self link or partial URL from the instance; regional disks keep their region here. */
    readonly source: string;
    readonly boot: boolean;
}

export interface NodeFacts {
    readonly name: string;
    readonly instance: string;
    readonly project: string;
    readonly zone: string;
}

export interface VmFacts extends NodeFacts {
    readonly disks: readonly DiskFacts[];
    readonly network: string;
    /** Every interface's network, the first one's first: each needs the deny rules. */
    readonly networks?: readonly string[];
    /** An interface is dual-stack or IPv6-only: deny rules for ::/0 too (a GCE rule can't mix IPv4 and IPv6). */
    readonly ipv6?: boolean;
    readonly subnetwork: string;
    readonly internalIp: string;
    readonly externalIp?: string;
    readonly mig?: MigRef;
    readonly deletionProtection: boolean;
    /** What the VM keeps or loses whatever the cut-off does (service account, local SSDs, cluster). */
    readonly exposure?: NodeExposure;
    /** Other incidents whose isolation tag the VM carries, as read now (never from memory). */
    readonly otherIncidents?: readonly string[];
    readonly pods: readonly PodFacts[];
}

export interface ClusterFacts {
    readonly name: string;
    /** `enforced` when NetworkPolicy is on or Dataplane V2 enforces it natively. */
    readonly networkPolicy: "enforced";
    readonly network: string;
    /**
     * Dataplane V2 (Cilium) judges every packet against the current policy; with Calico, flows
     * already in the node's conntrack table outlive a policy change until they are flushed.
     */
    readonly dataplaneV2?: boolean;
}

export interface Incident {
    readonly pods: readonly PodFacts[];
    /** Workloads owning the pods, each once; resolved for the destructive levels only. */
    readonly workloads: readonly WorkloadFacts[];
    readonly nodes: readonly VmFacts[];
    /** Unset when `quarantine:cluster` is not named: enforcement was not verified. */
    readonly cluster?: ClusterFacts;
}

export class DiscoveryError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "DiscoveryError";
    }
}

interface RawPod {
    metadata?: {
        uid?: string;
        labels?: Record<string, string>;
        annotations?: Record<string, string>;
        ownerReferences?: { kind: string; name: string; controller?: boolean }[];
        deletionTimestamp?: string;
    };
    spec?: { nodeName?: string } & PodSpecForHostAccess;
    status?: { phase?: string; podIP?: string; podIPs?: { ip?: string }[] };
}

export function parsePod(ref: PodRef, index: number, raw: RawPod): PodFacts {
    const nodeName = raw.spec?.nodeName;
    if (!nodeName) {
        throw new DiscoveryError(
            `quarantine:pods[${index}] "${ref.namespace}/${ref.name}" is not running on a node (phase ${raw.status?.phase ?? "unknown"}): there is no node to quarantine; remove it from quarantine:pods`,
        );
    }
    const hostAccess = hostAccessOf(raw.spec);
    const ips = raw.spec?.hostNetwork ? [] : podIps(raw.status);
    return {
        ref,
        ...(raw.metadata?.uid ? { uid: raw.metadata.uid } : {}),
        configIndex: index,
        nodeName,
        labels: raw.metadata?.labels ?? {},
        owner: controllerOf(raw.metadata),
        ...(hostAccess.length > 0 ? { hostAccess } : {}),
        ...(ips.length > 0 ? { ips } : {}),
    };
}

const IPV4 = /^(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}$/;
const IPV6 = /^[0-9a-f:]{2,39}$/i;

/**
 * The pod's addresses from its status, kept only when each is an IPv4 or IPv6 address: they
 * become `conntrack` arguments on the node, and the status is the kubelet's to write.
 */
export function podIps(status: RawPod["status"]): string[] {
    const all = [...(status?.podIPs ?? []).map((p) => p.ip ?? ""), status?.podIP ?? ""].filter(Boolean);
    return [...new Set(all)].filter((ip) => IPV4.test(ip) || (IPV6.test(ip) && ip.includes(":")));
}

/**
 * The controller owning an object, from its owner references. Annotations are never read as a
 * record: whoever can edit the pod can write them. (A detached pod's ReplicaSet releases it; the
 * owner it had then comes from the stack's memory, see discovery.)
 */
export function controllerOf(meta: RawPod["metadata"]): OwnerRef | undefined {
    const ref = meta?.ownerReferences?.find((o) => o.controller);
    return ref ? { kind: ref.kind, name: ref.name } : undefined;
}

/** The workload owning a pod, as the escalation component takes it. */
export type WorkloadFacts = Workload;

const WORKLOAD_KINDS: readonly string[] = ["Deployment", "StatefulSet", "ReplicaSet", "DaemonSet", "Job", "CronJob"];

/**
 * Follows owner references to the top workload: Pod → ReplicaSet → Deployment, Pod → Job →
 * CronJob, StatefulSet and DaemonSet directly. `ownerOf(kind, name)` reads an intermediate
 * object's controller. A bare pod owns itself: undefined.
 */
export async function resolveWorkload(
    pod: PodFacts,
    ownerOf: (kind: "ReplicaSet" | "Job", name: string) => Promise<OwnerRef | undefined>,
): Promise<WorkloadFacts | undefined> {
    let owner = pod.owner;
    if (!owner) return undefined;
    if (owner.kind === "ReplicaSet" || owner.kind === "Job") {
        owner = (await ownerOf(owner.kind, owner.name)) ?? owner;
    }
    if (!WORKLOAD_KINDS.includes(owner.kind)) {
        throw new DiscoveryError(
            `quarantine:pods[${pod.configIndex}] "${pod.ref.namespace}/${pod.ref.name}" is owned by ${owner.kind} ${owner.name}, which quarantine does not know how to stop; delete it by hand or use quarantine:level redeploy`,
        );
    }
    return { namespace: pod.ref.namespace, kind: owner.kind as WorkloadKind, name: owner.name };
}

interface RawNode {
    metadata?: { labels?: Record<string, string> };
    spec?: { providerID?: string };
}

// Strict: the project, zone and instance become gcloud arguments.
const GCE_PROVIDER_ID = /^gce:\/\/([a-z][-a-z0-9]{4,28}[a-z0-9])\/([a-z]+-[a-z]+[0-9]+-[a-z])\/([a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)$/;

export function parseNode(nodeName: string, raw: RawNode, project: string): NodeFacts {
    // The name comes from the cluster (a pod's spec.nodeName), which an attacker may have shaped.
    if (!isK8sSubdomain(nodeName)) {
        throw new DiscoveryError(
            `node ${JSON.stringify(nodeName)} (the pod's spec.nodeName) is not a valid Kubernetes node name; refusing to pass it to kubectl or gcloud`,
        );
    }
    const labels = raw.metadata?.labels ?? {};
    if (nodeName.startsWith("gk3-") || labels["cloud.google.com/gke-provisioning"] === "autopilot") {
        throw new DiscoveryError(
            `node ${nodeName} belongs to a GKE Autopilot cluster: its VM can't be abandoned, tagged or inspected; contain the pod with quarantine:level observe and a NetworkPolicy instead`,
        );
    }
    const providerId = raw.spec?.providerID ?? "";
    const m = GCE_PROVIDER_ID.exec(providerId);
    if (!m) {
        throw new DiscoveryError(
            `node ${nodeName} is not a Compute Engine VM (providerID "${providerId}"): quarantine only isolates GKE nodes on GCE`,
        );
    }
    const [, vmProject, zone, instance] = m;
    if (vmProject !== project) {
        throw new DiscoveryError(
            `node ${nodeName} runs in project ${vmProject} but gcp:project is ${project}; e.g. pulumi config set gcp:project ${vmProject}`,
        );
    }
    const zoneLabel = labels["topology.kubernetes.io/zone"];
    if (zoneLabel && zoneLabel !== zone) {
        throw new DiscoveryError(`node ${nodeName}: zone label ${zoneLabel} disagrees with providerID zone ${zone}; refusing to guess`);
    }
    return { name: nodeName, instance, project: vmProject, zone };
}

interface RawInstance {
    bootDisks: { source: string }[];
    attachedDisks: { source: string }[];
    networkInterfaces: { network: string; subnetwork: string; networkIp: string; accessConfigs: { natIp: string }[]; stackType?: string }[];
    metadata: Record<string, string>;
    deletionProtection: boolean;
    tags?: string[];
}

// Strict on purpose: the group's name and location become gcloud arguments, and the metadata is
// writable by whoever controls the VM. Anything unexpected means "no group found".
const CREATED_BY =
    /^projects\/[a-z0-9-]+\/(zones|regions)\/([a-z]+-[a-z]+[0-9]+(?:-[a-z])?)\/instanceGroupManagers\/([a-z]([-a-z0-9]{0,61}[a-z0-9])?)$/;

/** The managed instance group that owns a VM, from the `created-by` metadata GCE writes. */
export function parseCreatedBy(createdBy: string | undefined): MigRef | undefined {
    if (!createdBy) return undefined;
    const m = CREATED_BY.exec(createdBy);
    if (!m) return undefined;
    return { scope: m[1] === "zones" ? "zone" : "region", location: m[2], name: m[3] };
}

/** `incidentId`: this stack's incident, so its own tag is not counted as another incident's. */
export function parseInstance(node: NodeFacts, raw: RawInstance, incidentId = ""): Omit<VmFacts, "pods"> {
    const nic = raw.networkInterfaces[0];
    if (!nic) {
        throw new DiscoveryError(`VM ${node.instance} has no network interface; nothing to firewall`);
    }
    const disks: DiskFacts[] = [
        ...raw.bootDisks.map((d) => ({ name: lastSegment(d.source), source: d.source, boot: true })),
        ...raw.attachedDisks.map((d) => ({ name: lastSegment(d.source), source: d.source, boot: false })),
    ];
    const otherIncidents = otherIncidentsOn(raw.tags ?? [], incidentId);
    return {
        ...node,
        disks,
        network: lastSegment(nic.network),
        networks: [...new Set(raw.networkInterfaces.map((n) => lastSegment(n.network)))],
        ipv6: raw.networkInterfaces.some((n) => n.stackType === "IPV4_IPV6" || n.stackType === "IPV6_ONLY"),
        subnetwork: nic.subnetwork,
        internalIp: nic.networkIp,
        externalIp: nic.accessConfigs.find((a) => a.natIp)?.natIp,
        mig: parseCreatedBy(raw.metadata["created-by"]),
        deletionProtection: raw.deletionProtection,
        ...(otherIncidents.length > 0 ? { otherIncidents } : {}),
    };
}

interface RawCluster {
    enableAutopilot: boolean;
    datapathProvider: string;
    networkPolicyEnabled: boolean;
    network: string;
}

/** Refuses clusters where the quarantine would silently not hold. */
export function inspectCluster(name: string, raw: RawCluster): ClusterFacts {
    if (raw.enableAutopilot) {
        throw new DiscoveryError(
            `quarantine:cluster ${name} is an Autopilot cluster: nodes can't be abandoned or firewalled there`,
        );
    }
    const dataplaneV2 = raw.datapathProvider === "ADVANCED_DATAPATH";
    if (!raw.networkPolicyEnabled && !dataplaneV2) {
        throw new DiscoveryError(
            `quarantine:cluster ${name} does not enforce NetworkPolicy (network policy off, datapath ${raw.datapathProvider || "legacy"}): a deny-all policy would be a silent no-op; enable it (gcloud container clusters update ${name} --enable-network-policy) or use Dataplane V2`,
        );
    }
    return { name, networkPolicy: "enforced", network: raw.network, dataplaneV2 };
}
