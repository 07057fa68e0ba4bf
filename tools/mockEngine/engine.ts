import * as pulumi from "@pulumi/pulumi";
import { MockMonitor, type Mocks } from "@pulumi/pulumi/runtime/mocks";
import * as runtimeState from "@pulumi/pulumi/runtime/state";
import { clusterMocks, MOCK_PROJECT } from "./mocks";
import type { FakeCluster } from "./sampleCluster";

export { clusterMocks } from "./mocks";

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

export { waitsFor } from "../../core/graph";

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


/** Secret-wrapped inputs (the provider marks some, e.g. a bucket object's content) as plain values. */
export function unsecret(v: any): any {
    if (Array.isArray(v)) return v.map(unsecret);
    if (v && typeof v === "object") {
        if (Object.values(v).includes(pulumi.runtime.specialSecretSig) && "value" in v) return unsecret(v.value);
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
    pulumi.runtime.setMockOptions(monitor, MOCK_PROJECT, stack, opts.preview ?? false, "organization");
    // What `setMocks` turns on; its store accessor is internal to the SDK.
    const store = (runtimeState as unknown as { getStore(): Record<string, unknown> }).getStore();
    Object.assign(store, { supportsSecrets: true, supportsResourceReferences: true, supportsOutputValues: false });
    pulumi.runtime.setAllConfig(opts.config);

    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args.map(String).join(" ").replace(/^warning: \[runtime\] /, ""));
    try {
        // Loaded late so the program binds to the runtime configured above.
        const { incident } = await import("../../stacks/incident/program");
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
