import * as pulumi from "@pulumi/pulumi";
import { MockMonitor, type MockCallArgs, type MockResourceArgs, type Mocks } from "@pulumi/pulumi/runtime/mocks";
import * as runtimeState from "@pulumi/pulumi/runtime/state";
import type { FakeCluster } from "./sampleCluster";

/**
 * Runs the incident program in-process under the SDK's mock engine, against a fake cluster, and
 * records what a real `pulumi preview` would be told: every resource registered or read, its
 * inputs, its parent, its dependencies and its resource options. The offline plan, the tests and
 * the benchmarks all read the program through this one recorder.
 */

export interface Recorded {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly custom: boolean;
    /** A read (`Pod.get`, `Node.get`): shown as `=read` in a preview, never changed. */
    readonly read: boolean;
    readonly parent: string;
    readonly inputs: Record<string, any>;
    /** URNs this resource waits for: `dependsOn` plus inputs taken from other resources. */
    readonly dependencies: string[];
    readonly retainOnDelete: boolean;
    readonly deleteBeforeReplace: boolean;
    readonly protect: boolean;
}

/** Every URN `r` waits for, directly or through other resources of `index`. */
export function waitsFor(r: { readonly dependencies: readonly string[] }, index: ReadonlyMap<string, { readonly dependencies: readonly string[] }>): Set<string> {
    const seen = new Set<string>();
    const todo = [...r.dependencies];
    while (todo.length) {
        const u = todo.pop()!;
        if (seen.has(u)) continue;
        seen.add(u);
        todo.push(...(index.get(u)?.dependencies ?? []));
    }
    return seen;
}

export interface Invocation {
    readonly token: string;
    readonly inputs: Record<string, any>;
}

export interface RunResult {
    readonly resources: Recorded[];
    readonly invokes: Invocation[];
    readonly outputs: Record<string, any>;
    readonly warnings: string[];
}

const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** Secret-wrapped inputs (the provider marks some, e.g. a bucket object's content) as plain values. */
function unsecret(v: any): any {
    if (Array.isArray(v)) return v.map(unsecret);
    if (v && typeof v === "object") {
        if (Object.values(v).includes(SECRET_SIG) && "value" in v) return unsecret(v.value);
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unsecret(x)]));
    }
    return v;
}

function urnOf(stack: string, parent: string, type: string, name: string): string {
    const qualified = parent ? `${parent.split("::")[2].split("$").pop()}$${type}` : type;
    return `urn:pulumi:${stack}::quarantine::${qualified}::${name}`;
}

class RecordingMonitor extends MockMonitor {
    readonly records: Recorded[] = [];
    readonly invokes: Invocation[] = [];

    constructor(
        mocks: Mocks,
        private readonly stack: string,
    ) {
        super(mocks);
    }

    async registerResource(req: any, callback: (err: any, resp: any) => void): Promise<void> {
        this.records.push({
            urn: urnOf(this.stack, req.getParent(), req.getType(), req.getName()),
            type: req.getType(),
            name: req.getName(),
            custom: req.getCustom(),
            read: false,
            parent: req.getParent(),
            inputs: unsecret(pulumi.runtime.deserializeProperties(req.getObject())),
            dependencies: req.getDependenciesList(),
            retainOnDelete: req.getRetainondelete() === true,
            deleteBeforeReplace: req.getDeletebeforereplace() === true,
            protect: req.getProtect() === true,
        });
        return super.registerResource(req, callback);
    }

    async readResource(req: any, callback: (err: any, resp: any) => void): Promise<void> {
        this.records.push({
            urn: urnOf(this.stack, req.getParent(), req.getType(), req.getName()),
            type: req.getType(),
            name: req.getName(),
            custom: true,
            read: true,
            parent: req.getParent(),
            inputs: { id: req.getId() },
            dependencies: req.getDependenciesList(),
            retainOnDelete: false,
            deleteBeforeReplace: false,
            protect: false,
        });
        return super.readResource(req, callback);
    }

    async invoke(req: any, callback: (err: any, resp: any) => void): Promise<void> {
        this.invokes.push({ token: req.getTok(), inputs: pulumi.runtime.deserializeProperties(req.getArgs()) });
        return super.invoke(req, callback);
    }
}

/** Mocks answering reads and invokes from the fake cluster; anything unmocked fails loudly. */
export function clusterMocks(cluster: FakeCluster, previous: Record<string, any> = {}): Mocks {
    return {
        newResource(args: MockResourceArgs) {
            if (args.id !== undefined && args.id !== "") return read(cluster, args.type, args.id, previous);
            return { id: `${args.name}-id`, state: { ...args.inputs, ...computed(args) } };
        },
        call(args: MockCallArgs) {
            switch (args.token) {
                case "gcp:compute/getInstance:getInstance":
                    return instance(cluster, args.inputs);
                case "gcp:container/getCluster:getCluster":
                    return gkeCluster(cluster, args.inputs);
                case "gcp:organizations/getClientOpenIdUserInfo:getClientOpenIdUserInfo":
                    return { email: "responder@acme.example", id: "responder" };
                case "gcp:storage/getBucket:getBucket":
                    if (!(cluster.buckets ?? []).includes(args.inputs.name)) throw new Error(`bucket ${args.inputs.name} not found`);
                    return { name: args.inputs.name, location: "US-CENTRAL1" };
                default:
                    throw new Error(`unmocked invoke ${args.token}`);
            }
        },
    };
}

/** Values the cloud computes on create, so outputs built from them resolve in a run. */
function computed(args: MockResourceArgs): Record<string, any> {
    switch (args.type) {
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
    if (!/^# step: Capture evidence/.test(inputs.create ?? "")) return "";
    const env = inputs.environment ?? {};
    const line = {
        what: /^# step: (.*)$/m.exec(inputs.create)![1],
        object: `gs://${env.BUCKET}/${env.PREFIX}/20261125T120000Z/artifact`,
        sha256: "0".repeat(64),
        takenAt: "20261125T120000Z",
        takenBy: "responder@acme.example",
    };
    return `${JSON.stringify(line)}\n`;
}

function read(cluster: FakeCluster, type: string, id: string, previous: Record<string, any>) {
    if (type === "pulumi:pulumi:StackReference") {
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
                metadata: { name: pod.name, namespace: pod.namespace, labels: pod.labels ?? {}, annotations: pod.annotations ?? {}, ownerReferences },
                spec: pod.node ? { nodeName: pod.node } : {},
                status: { phase: pod.phase ?? (pod.node ? "Running" : "Pending") },
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
    if (!node || inputs.project !== cluster.project) {
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
            },
        ],
        metadata: node.mig ? { "created-by": `projects/123456789/zones/${node.zone}/instanceGroupManagers/${node.mig}` } : {},
        deletionProtection: node.deletionProtection ?? false,
        tags: ["gke-prod-node"],
    };
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

export interface RunOptions {
    readonly config: Record<string, string>;
    readonly cluster: FakeCluster;
    /** Defaults to `incident-42`. */
    readonly stack?: string;
    /** Run as `pulumi preview` (dry run). Default false. */
    readonly preview?: boolean;
    /** The stack's outputs from its previous update (what its self-reference reads). */
    readonly previous?: Record<string, any>;
}

/** Runs the incident program once. Throws what the program throws (config and discovery refusals). */
export async function runIncident(opts: RunOptions): Promise<RunResult> {
    const stack = opts.stack ?? "incident-42";
    const monitor = new RecordingMonitor(clusterMocks(opts.cluster, opts.previous), stack);
    pulumi.runtime.setMockOptions(monitor, "quarantine", stack, opts.preview ?? false, "organization");
    // What `setMocks` turns on; its store accessor is internal to the SDK.
    const store = (runtimeState as unknown as { getStore(): Record<string, unknown> }).getStore();
    Object.assign(store, { supportsSecrets: true, supportsResourceReferences: true, supportsOutputValues: false });
    pulumi.runtime.setAllConfig(opts.config);

    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args.map(String).join(" ").replace(/^warning: \[runtime\] /, ""));
    try {
        // Loaded late so the program binds to the runtime configured above.
        const { incident } = await import("../incident/program");
        const raw = await incident();
        // With unknowns: in a preview, a value computed by the cloud is unknown and must not hang.
        const lifted = pulumi.output(raw) as unknown as { promise(withUnknowns: boolean): Promise<Record<string, any>> };
        const outputs = await lifted.promise(true);
        await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
        return { resources: monitor.records, invokes: monitor.invokes, outputs, warnings };
    } catch (e) {
        await reportOnce(e);
        // What was registered before the refusal: tests assert it is nothing that changes anything.
        throw Object.assign(e as Error, { recorded: monitor.records });
    } finally {
        console.warn = warn;
    }
}

/**
 * A failed read rejects every output of the resource, so the one error that stopped the program
 * also surfaces as unhandled rejections of outputs nobody awaited. The CLI reports such an error
 * once (run.js de-duplicates it); so does this runner, forwarding any other rejection untouched.
 */
async function reportOnce(error: unknown): Promise<void> {
    const others = process.listeners("unhandledRejection");
    process.removeAllListeners("unhandledRejection");
    const filter = (reason: unknown, promise: Promise<unknown>) => {
        if (reason !== error) others.forEach((l) => l(reason, promise));
    };
    process.on("unhandledRejection", filter);
    try {
        await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
        process.removeListener("unhandledRejection", filter);
        others.forEach((l) => process.on("unhandledRejection", l));
    }
}
