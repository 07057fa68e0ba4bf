import * as pulumi from "@pulumi/pulumi";
import { MockMonitor, type MockCallArgs, type MockResourceArgs } from "@pulumi/pulumi/runtime/mocks";
import * as runtimeState from "@pulumi/pulumi/runtime/state";
import { unsecret } from "../mockEngine/engine";

/**
 * Runs the readiness program (`stacks/readiness/`) in-process under the SDK's mock engine, as a
 * `pulumi preview` would, and records what it declares: for `npm run plan -- --readiness FILE`.
 * Nothing is read from the cloud; the two reads the program makes are answered as an empty
 * project would answer them, and the plan says so.
 */

export interface ReadinessRecord {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, any>;
    readonly retainOnDelete: boolean;
}

export interface ReadinessRun {
    readonly stack: string;
    readonly resources: ReadinessRecord[];
    readonly outputs: Record<string, any>;
    readonly warnings: string[];
    /** What the offline run assumed in place of a read. */
    readonly assumed: string[];
}

/** The program's reads, answered offline; each says what it assumes. */
const OFFLINE_READS: Record<string, { answer: Record<string, any>; assumed: string }> = {
    "gcp:projects/getIamPolicy:getIamPolicy": {
        answer: { etag: "offline", policyData: JSON.stringify({ bindings: [] }) },
        assumed: "the project has no audit config yet (preview reads the real one and warns about what it replaces)",
    },
    "gcp:organizations/getProject:getProject": {
        answer: { number: "000000000000" },
        assumed: "project number 000000000000 (preview reads the real one, for the Monitoring service agent)",
    },
};

class Recorder extends MockMonitor {
    readonly records: ReadinessRecord[] = [];

    async registerResource(req: any, callback: (err: any, resp: any) => void): Promise<void> {
        this.records.push({
            type: req.getType(),
            name: req.getName(),
            inputs: unsecret(pulumi.runtime.deserializeProperties(req.getObject())),
            retainOnDelete: req.getRetainondelete() === true,
        });
        return super.registerResource(req, callback);
    }
}

/** Runs the readiness program once with `config` (the `allConfig()` shape). Throws its refusals. */
export async function runReadiness(config: Record<string, string>, stack: string): Promise<ReadinessRun> {
    const assumed = new Set<string>();
    const monitor = new Recorder({
        newResource: (args: MockResourceArgs) => ({ id: `${args.name}_id`, state: args.inputs }),
        call: (args: MockCallArgs) => {
            const read = OFFLINE_READS[args.token];
            if (!read) throw new Error(`the offline readiness plan has no answer for ${args.token}`);
            assumed.add(read.assumed);
            return read.answer;
        },
    });
    pulumi.runtime.setMockOptions(monitor, "quarantine-readiness", stack, true, "organization");
    const store = (runtimeState as unknown as { getStore(): Record<string, unknown> }).getStore();
    Object.assign(store, { supportsSecrets: true, supportsResourceReferences: true, supportsOutputValues: false });
    pulumi.runtime.setAllConfig(config);

    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args.map(String).join(" ").replace(/^warning: \[runtime\] /, ""));
    try {
        const { readiness } = await import("../../stacks/readiness/program");
        const lifted = pulumi.output(readiness()) as unknown as { promise(withUnknowns: boolean): Promise<Record<string, any>> };
        const outputs = await lifted.promise(true);
        await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
        return { stack, resources: monitor.records, outputs, warnings, assumed: [...assumed] };
    } finally {
        console.warn = warn;
    }
}
