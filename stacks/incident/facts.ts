import { lastSegment } from "../../components/naming";
import type { PodRef } from "../config";

/**
 * Pure interpretation of what discovery read. Kept free of Pulumi so every refusal can be tested
 * with a table, and so the messages a responder sees are written in one place.
 */

export interface PodFacts {
    readonly ref: PodRef;
    readonly configIndex: number;
    readonly nodeName: string;
    readonly labels: Readonly<Record<string, string>>;
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
    readonly subnetwork: string;
    readonly internalIp: string;
    readonly externalIp?: string;
    readonly mig?: MigRef;
    readonly deletionProtection: boolean;
    readonly pods: readonly PodFacts[];
}

export interface ClusterFacts {
    readonly name: string;
    /** `enforced` when NetworkPolicy is on or Dataplane V2 enforces it natively. */
    readonly networkPolicy: "enforced";
    readonly network: string;
}

export interface Incident {
    readonly pods: readonly PodFacts[];
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
    metadata?: { labels?: Record<string, string> };
    spec?: { nodeName?: string };
    status?: { phase?: string };
}

export function parsePod(ref: PodRef, index: number, raw: RawPod): PodFacts {
    const nodeName = raw.spec?.nodeName;
    if (!nodeName) {
        throw new DiscoveryError(
            `quarantine:pods[${index}] "${ref.namespace}/${ref.name}" is not running on a node (phase ${raw.status?.phase ?? "unknown"}): there is no node to quarantine; remove it from quarantine:pods`,
        );
    }
    return { ref, configIndex: index, nodeName, labels: raw.metadata?.labels ?? {} };
}

interface RawNode {
    metadata?: { labels?: Record<string, string> };
    spec?: { providerID?: string };
}

const GCE_PROVIDER_ID = /^gce:\/\/([^/]+)\/([^/]+)\/([^/]+)$/;

export function parseNode(nodeName: string, raw: RawNode, project: string): NodeFacts {
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
    networkInterfaces: { network: string; subnetwork: string; networkIp: string; accessConfigs: { natIp: string }[] }[];
    metadata: Record<string, string>;
    deletionProtection: boolean;
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

export function parseInstance(node: NodeFacts, raw: RawInstance): Omit<VmFacts, "pods"> {
    const nic = raw.networkInterfaces[0];
    if (!nic) {
        throw new DiscoveryError(`VM ${node.instance} has no network interface; nothing to firewall`);
    }
    const disks: DiskFacts[] = [
        ...raw.bootDisks.map((d) => ({ name: lastSegment(d.source), source: d.source, boot: true })),
        ...raw.attachedDisks.map((d) => ({ name: lastSegment(d.source), source: d.source, boot: false })),
    ];
    return {
        ...node,
        disks,
        network: lastSegment(nic.network),
        subnetwork: nic.subnetwork,
        internalIp: nic.networkIp,
        externalIp: nic.accessConfigs.find((a) => a.natIp)?.natIp,
        mig: parseCreatedBy(raw.metadata["created-by"]),
        deletionProtection: raw.deletionProtection,
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
    return { name, networkPolicy: "enforced", network: raw.network };
}

/**
 * Attaches pods to their nodes. Each node appears once however many pods share it, and each disk
 * once even when it is attached read-only to several nodes (its first node snapshots it).
 */
export function groupIncident(
    pods: readonly PodFacts[],
    vms: readonly Omit<VmFacts, "pods">[],
    cluster?: ClusterFacts,
): Incident {
    const seen = new Set<string>();
    const nodes = vms.map((vm) => ({
        ...vm,
        disks: vm.disks.filter((d) => !seen.has(d.source) && seen.add(d.source)),
        pods: pods.filter((p) => p.nodeName === vm.name),
    }));
    return { pods, nodes, cluster };
}
