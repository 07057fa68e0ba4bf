import { createHash } from "crypto";
import type { FakeCluster } from "../../tools/mockEngine/sampleCluster";

/** The Compute Engine fake's state: plain data, so a snapshot restores into any instance of it. */

export interface AccessConfig {
    name: string;
    natIP: string;
    type: string;
    networkTier: string;
}

export interface Instance {
    name: string;
    zone: string;
    id: string;
    tags: { items: string[]; fingerprint: string };
    deletionProtection: boolean;
    nic: { network: string; subnetwork: string; networkIP: string; accessConfigs: AccessConfig[] };
    disks: string[];
    metadata: Record<string, string>;
    /** Set only for a VM created through instances.insert (the bastion); seeded VMs render as before. */
    created?: { machineType: string; labels: Record<string, string>; creationTimestamp: string };
}

export interface ComputeState {
    project: string;
    /** `zone/name` → instance. */
    instances: Record<string, Instance>;
    /** `zone/name` → zonal managed instance group and the names of its instances. */
    migs: Record<string, { name: string; zone: string; targetSize: number; members: string[] }>;
    /** Reserved (static) external addresses by IP; an ephemeral IP has no entry. */
    addresses: Record<string, { name: string; region: string; status: "RESERVED" | "IN_USE"; user?: string }>;
    operations: Record<string, Record<string, unknown>>;
    counter: number;
    /**
     * The collections only the stand-in gcp provider uses (computeResources.ts). Optional, so a
     * state built by `computeStateFor` is unchanged; `withResources` adds them.
     */
    networks?: string[];
    /** Name → firewall rule, as `firewalls.get` returns it. */
    firewalls?: Record<string, Record<string, any>>;
    /** `zone/name` → disk; `users` are the `zone/name` keys of the instances it is attached to. */
    disks?: Record<string, { name: string; zone: string; id: string; sizeGb: string; users: string[]; autoDelete: boolean }>;
    /** Name → snapshot, as `snapshots.get` returns it. */
    snapshots?: Record<string, Record<string, any>>;
    /** `zone/name` → what `instances.getEffectiveFirewalls` answers for nic0 (computeEffectiveFirewalls.ts). */
    effectiveFirewalls?: Record<string, { firewalls?: Record<string, any>[]; firewallPolicys?: Record<string, any>[] }>;
}

export interface ComputeSeed {
    /** External IPs are reserved (static) addresses rather than ephemeral ones. */
    readonly staticIps?: boolean;
}

/**
 * An 8-byte fingerprint in standard base64, as Compute Engine returns one (`"fingerprint":
 * "42WmSpB8rSM="`; the field is `format: byte`). gcloud decodes it and sends it back base64url
 * encoded (apitools' bytes encoding), so `+` and `/` come back as `-` and `_`.
 */
export const fingerprint = (x: unknown) => createHash("sha256").update(JSON.stringify(x)).digest().subarray(0, 8).toString("base64");

/** Whether two `format: byte` values are the same bytes, in either base64 alphabet. */
export const sameFingerprint = (a: string, b: string) => Buffer.from(a, "base64").equals(Buffer.from(b, "base64"));
export const regionOf = (zone: string) => zone.replace(/-[a-z]$/, "");

/** The VMs, groups and addresses behind a mock-engine `FakeCluster`. */
export function computeStateFor(cluster: FakeCluster, seed: ComputeSeed = {}): ComputeState {
    const s: ComputeState = { project: cluster.project, instances: {}, migs: {}, addresses: {}, operations: {}, counter: 100 };
    for (const n of cluster.nodes) {
        const instance = n.providerID?.split("/").pop() ?? n.name;
        const key = `${n.zone}/${instance}`;
        const tags = ["gke-prod-node"];
        s.instances[key] = {
            name: instance,
            zone: n.zone,
            id: String(4_000_000 + Object.keys(s.instances).length),
            tags: { items: tags, fingerprint: fingerprint(tags) },
            deletionProtection: n.deletionProtection ?? false,
            nic: {
                network: n.network,
                subnetwork: n.subnetwork,
                networkIP: "10.128.0.12",
                accessConfigs: n.externalIp ? [{ name: "external-nat", natIP: n.externalIp, type: "ONE_TO_ONE_NAT", networkTier: "PREMIUM" }] : [],
            },
            disks: [...n.disks],
            metadata: n.mig ? { "created-by": `projects/123456789/zones/${n.zone}/instanceGroupManagers/${n.mig}` } : {},
        };
        if (n.mig) {
            const g = (s.migs[`${n.zone}/${n.mig}`] ??= { name: n.mig, zone: n.zone, targetSize: 0, members: [] });
            g.members.push(instance);
            g.targetSize += 1;
        }
        if (n.externalIp && seed.staticIps) {
            s.addresses[n.externalIp] = { name: `${instance}-ip`.slice(0, 63), region: regionOf(n.zone), status: "IN_USE", user: key };
        }
    }
    return s;
}

/**
 * `s` with the collections the stand-in gcp provider needs: the networks the VMs are on, no
 * firewall rules or snapshots, and one disk per disk name of each VM, attached to it (the first
 * is the boot disk and auto-deletes with the VM, as a GKE node's does).
 */
export function withResources(s: ComputeState): ComputeState {
    const out: ComputeState = { ...structuredClone(s), firewalls: {}, snapshots: {}, disks: {} };
    out.networks = [...new Set(Object.values(s.instances).map((v) => v.nic.network))];
    for (const [key, v] of Object.entries(s.instances)) {
        v.disks.forEach((d, i) => {
            const disk = (out.disks![`${v.zone}/${d}`] ??= { name: d, zone: v.zone, id: String(7_000_000 + out.counter++), sizeGb: "100", users: [], autoDelete: i === 0 });
            disk.users.push(key);
        });
    }
    return out;
}

/** An instance as `instances.get` returns it; `url` makes a full link from a project-relative path. */
export function renderInstance(v: Instance, url: (path: string) => string): unknown {
    return {
        kind: "compute#instance",
        id: v.id,
        name: v.name,
        zone: url(`zones/${v.zone}`),
        status: "RUNNING",
        tags: v.tags,
        deletionProtection: v.deletionProtection,
        networkInterfaces: [
            {
                kind: "compute#networkInterface",
                name: "nic0",
                network: url(`global/networks/${v.nic.network}`),
                subnetwork: `https://www.googleapis.com/compute/v1/${v.nic.subnetwork}`,
                networkIP: v.nic.networkIP,
                fingerprint: fingerprint(v.nic),
                accessConfigs: v.nic.accessConfigs.map((a) => ({ kind: "compute#accessConfig", ...a })),
            },
        ],
        disks: v.disks.map((d, i) => ({ kind: "compute#attachedDisk", boot: i === 0, deviceName: d, source: url(`zones/${v.zone}/disks/${d}`) })),
        metadata: { kind: "compute#metadata", fingerprint: fingerprint(v.metadata), items: Object.entries(v.metadata).map(([key, value]) => ({ key, value })) },
        selfLink: url(`zones/${v.zone}/instances/${v.name}`),
        ...(v.created
            ? { machineType: url(`zones/${v.zone}/machineTypes/${v.created.machineType}`), labels: v.created.labels, creationTimestamp: v.created.creationTimestamp }
            : {}),
    };
}

export function renderMig(g: ComputeState["migs"][string], url: (path: string) => string): unknown {
    return {
        kind: "compute#instanceGroupManager",
        name: g.name,
        zone: url(`zones/${g.zone}`),
        targetSize: g.targetSize,
        instanceGroup: url(`zones/${g.zone}/instanceGroups/${g.name}`),
        baseInstanceName: g.name.replace(/-grp$/, ""),
        selfLink: url(`zones/${g.zone}/instanceGroupManagers/${g.name}`),
    };
}
