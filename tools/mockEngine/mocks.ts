import type { MockCallArgs, MockResourceArgs, Mocks } from "@pulumi/pulumi/runtime/mocks";
import { scriptHeader, stepKind } from "../../core/stepHeader";
import type { FakeCluster, FakePod } from "./sampleCluster";

/**
 * The fake cluster behind the mock engine: what reads (`Pod.get`, `Node.get`, owners, the stack's
 * own previous outputs) and invokes (`getInstance`, `getCluster`, …) return, and the values the
 * cloud would compute on create.
 */

/** Mocks answering reads and invokes from the fake cluster; anything unmocked fails loudly. */
export function clusterMocks(cluster: FakeCluster, previous: Record<string, any> = {}): Mocks {
    return {
        newResource(args: MockResourceArgs) {
            if (args.id !== undefined && args.id !== "") return read(cluster, args.type, args.id, previous);
            refuseWhatTheApiRefuses(cluster, args);
            return { id: `${args.name}-id`, state: { ...args.inputs, ...computed(cluster, args) } };
        },
        call(args: MockCallArgs) {
            try {
                return answer(cluster, args);
            } catch (e) {
                // A provider's error reaches the SDK as gRPC details, which it makes the message of
                // the invoke's rejection; a plain Error's message would arrive empty.
                throw Object.assign(e as Error, { details: (e as Error).message });
            }
        },
    };
}

function answer(cluster: FakeCluster, args: MockCallArgs): Record<string, any> {
    switch (args.token) {
        case "gcp:compute/getInstance:getInstance":
            return instance(cluster, args.inputs);
        case "gcp:container/getCluster:getCluster":
            return gkeCluster(cluster, args.inputs);
        case "command:local:run":
            return localRead(cluster, args.inputs);
        case "gcp:organizations/getClientOpenIdUserInfo:getClientOpenIdUserInfo":
            return { email: "responder@acme.example", id: "responder" };
        case "gcp:storage/getBucket:getBucket":
            if (!(cluster.buckets ?? []).includes(args.inputs.name)) throw new Error(`bucket ${args.inputs.name} not found`);
            return { name: args.inputs.name, location: "US-CENTRAL1" };
        default:
            throw new Error(`unmocked invoke ${args.token}`);
    }
}

/** A scheduled pod's IP, stable per name; a hostNetwork pod's would be its node's. */
function podIp(p: FakePod): { podIP?: string; podIPs?: { ip: string }[] } {
    if (!p.node) return {};
    let h = 0;
    for (const c of `${p.namespace}/${p.name}`) h = (h * 31 + c.charCodeAt(0)) % 65023;
    const ip = p.ip ?? `10.4.${Math.floor(h / 254)}.${(h % 254) + 1}`;
    return { podIP: ip, podIPs: [{ ip }] };
}

/** A pod's uid: its own, or one derived from its name (stable across runs of one fake cluster). */
function podUid(p: FakePod): string {
    return p.uid ?? `uid-${p.namespace}-${p.name}`;
}

function localRead(cluster: FakeCluster, inputs: Record<string, any>): Record<string, any> {
    const script = scriptHeader(inputs.command).script;
    const env = inputs.environment ?? {};
    if (script === "pod-exists") {
        const found = cluster.pods.find((p) => p.namespace === env.NAMESPACE && p.name === env.POD);
        return { stdout: found ? podUid(found) : "", stderr: "", command: inputs.command };
    }
    if (script === "node-exists") {
        return { stdout: cluster.nodes.some((n) => n.name === env.NODE) ? `node/${env.NODE}\n` : "", stderr: "", command: inputs.command };
    }
    if (script === "pods-by-image") return { stdout: podListing(cluster), stderr: "", command: inputs.command };
    if (script === "cred-bindings") return { stdout: holdings(cluster, env), stderr: "", command: inputs.command };
    throw new Error(`unmocked read script ${script}`);
}

/** What `cred-bindings.read.sh` prints for the fake cluster: the bindings naming the subject, then the member's project roles. */
function holdings(cluster: FakeCluster, env: Record<string, string>): string {
    const lines: string[] = [];
    if (env.SUBJECT_KIND && cluster.bindingsError) lines.push(`could-not\tbindings\t${cluster.bindingsError}`);
    else if (env.SUBJECT_KIND) {
        for (const b of cluster.bindings ?? []) {
            const named = b.subjects.some((s) => s.kind === env.SUBJECT_KIND && (s.namespace ?? "-") === env.SUBJECT_NAMESPACE && s.name === env.SUBJECT_NAME);
            if (named) lines.push(`bound\t${b.kind}\t${b.namespace ?? "-"}/${b.name}\t${b.role}`);
        }
    }
    if (env.PROJECT_MEMBER) for (const r of cluster.projectRoles?.[env.PROJECT_MEMBER] ?? []) lines.push(`project-role\t${r}`);
    return lines.map((l) => `${l}\n`).join("");
}

/**
 * What `pods-by-image.read.sh`'s Go template prints for the fake cluster: one JSON object a line,
 * values escaped (`urlquery`; encodeURIComponent's escapes decode alike), lists led by "".
 */
function podListing(cluster: FakeCluster): string {
    const esc = (v: unknown) => (typeof v === "string" ? encodeURIComponent(v) : "");
    const images = (list: unknown) => (Array.isArray(list) ? list.map((c: { image?: unknown }) => esc(c.image)) : []);
    return cluster.pods
        .map((p) => {
            const spec = p.spec ?? {};
            const line = {
                namespace: esc(p.namespace),
                name: esc(p.name),
                node: esc(p.node),
                images: ["", ...images(spec.containers), ...images(spec.initContainers), ...images(spec.ephemeralContainers)],
                running: ["", ...(p.containerStatuses ?? []).flatMap((c) => [esc(c.image), esc(c.imageID)])],
            };
            return `${JSON.stringify(line)}\n`;
        })
        .join("");
}

/**
 * The documented constraints of the real APIs that the quarantine relies on: a mock that accepts
 * what the API refuses hides the bug until the incident.
 */
function refuseWhatTheApiRefuses(cluster: FakeCluster, args: MockResourceArgs): void {
    // Bucket names are global and snapshot names unique per project: both answer 409
    // (https://cloud.google.com/storage/docs/buckets#naming, https://cloud.google.com/compute/docs/naming-resources).
    if (args.type === "gcp:storage/bucket:Bucket" && (cluster.buckets ?? []).includes(args.inputs.name)) {
        throw new Error(`bucket ${args.inputs.name}: 409 Your previous request to create the named bucket succeeded and you already own it.`);
    }
    if (args.type === "gcp:compute/snapshot:Snapshot" && (cluster.snapshots ?? []).includes(args.inputs.name)) {
        throw new Error(`snapshot ${args.inputs.name}: 409 The resource 'projects/${cluster.project}/global/snapshots/${args.inputs.name}' already exists`);
    }
    if (args.type === "gcp:storage/bucket:Bucket" && args.inputs.versioning?.enabled && args.inputs.retentionPolicy) {
        // "Retention policies and Object Versioning are mutually exclusive features in Cloud
        // Storage": https://cloud.google.com/storage/docs/bucket-lock
        throw new Error(`bucket ${args.inputs.name}: Object Versioning can't be enabled on a bucket with a retention policy (400)`);
    }
}

/** Values the cloud computes on create, so outputs built from them resolve in a run. */
function computed(cluster: FakeCluster, args: MockResourceArgs): Record<string, any> {
    switch (args.type) {
        case "random:index/randomId:RandomId":
            return { hex: cluster.runHex ?? "9f3c1a2b" };
        case "random:index/randomPassword:RandomPassword":
            return { result: `fake-password-of-${args.name}` };
        case "command:local:Command":
            return { stdout: fakeCaptureOutput(args.inputs), stderr: "" };
        case "gcp:compute/snapshot:Snapshot":
            return { snapshotId: 4242, creationTimestamp: "2026-11-25T12:00:00.000-00:00", selfLink: `projects/x/global/snapshots/${args.inputs.name}` };
        default:
            return {};
    }
}

/** A capture script prints one manifest line per artifact; the fake prints one per capture. */
function fakeCaptureOutput(inputs: Record<string, any>): string {
    if (stepKind(inputs.create) !== "capture") return "";
    const env = inputs.environment ?? {};
    const line = {
        what: scriptHeader(inputs.create).step,
        object: `gs://${env.BUCKET}/${env.PREFIX}/20261125T120000Z/artifact`,
        sha256: "0".repeat(64),
        takenAt: "20261125T120000Z",
        takenBy: "responder@acme.example",
    };
    return `${JSON.stringify(line)}\n`;
}

/** The project the mock engine runs the program as (engine.ts), Pulumi.yaml's name. */
export const MOCK_PROJECT = "quarantine";

function read(cluster: FakeCluster, type: string, id: string, previous: Record<string, any>) {
    if (type === "pulumi:pulumi:StackReference") {
        // The mock engine's organization is a DIY backend's ("organization"). The legacy DIY
        // layout takes only a bare stack name (pkg/backend/diy/store.go
        // legacyReferenceStore.ParseReference; the real CLI's words below), which names a stack of
        // this project in either layout: refused here for a stack of this project, the one case
        // with a form every layout takes. Another project's stack needs the project layout.
        const parts = id.split("/");
        if (parts.length === 2 || (parts.length === 3 && parts[1] === MOCK_PROJECT)) {
            throw new Error(`a stack name may only contain alphanumeric, hyphens, underscores, or periods: invalid character '/' at position ${id.indexOf("/")}`);
        }
        if (parts.length === 3 && parts[1] === "quarantine-readiness") {
            const outputs = cluster.readinessStacks?.[id];
            if (!outputs) throw new Error(`unknown stack "${id}"`);
            return { id, state: { name: id, outputs, secretOutputNames: [] } };
        }
        return { id, state: { name: id, outputs: previous, secretOutputNames: [] } };
    }
    if (type === "kubernetes:apps/v1:ReplicaSet" || type === "kubernetes:batch/v1:Job") {
        const kind = type.endsWith("ReplicaSet") ? "ReplicaSet" : "Job";
        const o = (cluster.owned ?? []).find((x) => x.kind === kind && `${x.namespace}/${x.name}` === id);
        if (!o) throw new Error(`${kind.toLowerCase()}s "${id}" not found`);
        const ownerReferences = o.owner ? [{ ...o.owner, controller: true, apiVersion: "v1", uid: "u" }] : [];
        return { id, state: { metadata: { name: o.name, namespace: o.namespace, ownerReferences } } };
    }
    if (type === "kubernetes:core/v1:Pod") {
        const pod = cluster.pods.find((p) => `${p.namespace}/${p.name}` === id);
        if (!pod) throw new Error(`pods "${id}" not found`);
        const ownerReferences = pod.owner ? [{ ...pod.owner, controller: true, apiVersion: "apps/v1", uid: "u" }] : [];
        return {
            id,
            state: {
                metadata: {
                    name: pod.name,
                    namespace: pod.namespace,
                    labels: pod.labels ?? {},
                    annotations: pod.annotations ?? {},
                    ownerReferences,
                    uid: podUid(pod),
                    ...(pod.deletionTimestamp ? { deletionTimestamp: pod.deletionTimestamp } : {}),
                },
                spec: { ...(pod.spec ?? {}), ...(pod.node ? { nodeName: pod.node } : {}) },
                status: { phase: pod.phase ?? (pod.node ? "Running" : "Pending"), ...podIp(pod) },
            },
        };
    }
    if (type === "kubernetes:core/v1:Node") {
        const node = cluster.nodes.find((n) => n.name === id);
        if (!node) throw new Error(`nodes "${id}" not found`);
        return {
            id,
            state: {
                metadata: { name: node.name, labels: node.labels ?? {} },
                spec: { providerID: node.providerID ?? `gce://${cluster.project}/${node.zone}/${node.name}` },
            },
        };
    }
    throw new Error(`unmocked read of ${type} ${id}`);
}

function instance(cluster: FakeCluster, inputs: Record<string, any>) {
    const node = cluster.nodes.find((n) => n.name === inputs.name && n.zone === inputs.zone);
    if (!node || node.vmGone || inputs.project !== cluster.project) {
        throw new Error(`The resource 'projects/${inputs.project}/zones/${inputs.zone}/instances/${inputs.name}' was not found`);
    }
    const disk = (d: string) => `https://www.googleapis.com/compute/v1/projects/${cluster.project}/zones/${node.zone}/disks/${d}`;
    return {
        name: node.name,
        zone: node.zone,
        bootDisks: [{ source: disk(node.disks[0]) }],
        attachedDisks: node.disks.slice(1).map((d) => ({ source: disk(d) })),
        networkInterfaces: [
            {
                network: `https://www.googleapis.com/compute/v1/projects/${cluster.project}/global/networks/${node.network}`,
                subnetwork: node.subnetwork,
                networkIp: "10.128.0.12",
                accessConfigs: node.externalIp ? [{ natIp: node.externalIp }] : [],
                stackType: node.stackType ?? "IPV4_ONLY",
            },
            ...(node.extraNetworks ?? []).map((net, i) => ({
                network: `https://www.googleapis.com/compute/v1/projects/${cluster.project}/global/networks/${net}`,
                subnetwork: `projects/${cluster.project}/regions/us-central1/subnetworks/${net}`,
                networkIp: `10.${129 + i}.0.12`,
                accessConfigs: [],
                stackType: "IPV4_ONLY",
            })),
        ],
        metadata: {
            ...(node.mig ? { "created-by": `projects/123456789/zones/${node.zone}/instanceGroupManagers/${node.mig}` } : {}),
            ...gkeMetadata(node.gkeCluster === undefined ? { name: "prod", location: "us-central1" } : node.gkeCluster),
        },
        serviceAccounts: [node.serviceAccount ?? { email: `gke-nodes@${cluster.project}.iam.gserviceaccount.com`, scopes: ["https://www.googleapis.com/auth/cloud-platform"] }],
        scratchDisks: (node.localSsds ?? []).map((deviceName) => ({ deviceName, interface: "NVME", size: 375 })),
        deletionProtection: node.deletionProtection ?? false,
        tags: [...(node.tags ?? ["gke-prod-node"])],
    };
}

/** The instance attributes GKE writes on every node VM. */
function gkeMetadata(c: { name: string; location: string } | null): Record<string, string> {
    return c ? { "cluster-name": c.name, "cluster-location": c.location } : {};
}

function gkeCluster(cluster: FakeCluster, inputs: Record<string, any>) {
    const c = cluster.clusters.find((x) => x.name === inputs.name && x.location === inputs.location);
    if (!c) throw new Error(`cluster ${inputs.name} in ${inputs.location} not found`);
    return {
        name: c.name,
        location: c.location,
        enableAutopilot: c.enableAutopilot ?? false,
        datapathProvider: c.datapathProvider ?? "LEGACY_DATAPATH",
        networkPolicies: [{ enabled: c.networkPolicyEnabled ?? false, provider: "CALICO" }],
        network: `projects/${cluster.project}/global/networks/default`,
    };
}

