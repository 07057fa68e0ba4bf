import { spawn } from "child_process";
import { existsSync, readFileSync } from "fs";
import { createRequire } from "module";
import * as path from "path";
import { performance } from "perf_hooks";
import { load } from "js-yaml";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { clusterMocks } from "../tools/mockEngine/engine";
import { sampleCluster } from "../tools/mockEngine/sampleCluster";
import { sampleScenario } from "../tools/mockEngine/scenario";

/**
 * Runs the program the way `pulumi up` does, minus the Go binaries: the SDK's own launcher
 * (`@pulumi/pulumi/cmd/run`) started as the nodejs language host starts it — `node <nodeargs>
 * run … <main>`, `PULUMI_NODEJS_TYPESCRIPT=true` when the `typescript` option is on — against a
 * gRPC resource monitor backed by the SDK's MockMonitor and the sample cluster. This is what
 * `runtime.options` in Pulumi.yaml actually changes.
 */

const ROOT = path.resolve(__dirname, "..");
const sdk = createRequire(require.resolve("@pulumi/pulumi/package.json"));
/* eslint-disable @typescript-eslint/no-explicit-any -- generated gRPC stubs are untyped here */
const grpc: any = sdk("@grpc/grpc-js");
const resrpc: any = sdk("./proto/resource_grpc_pb");
const resproto: any = sdk("./proto/resource_pb");
const engrpc: any = sdk("./proto/engine_grpc_pb");
const engproto: any = sdk("./proto/engine_pb");
const empty: any = sdk("google-protobuf/google/protobuf/empty_pb");

export interface RuntimeOptions {
    readonly typescript: boolean;
    readonly nodeargs: string[];
}

/** `runtime.options` of Pulumi.yaml, with the nodejs runtime's defaults. */
export function runtimeOptions(pulumiYaml: string): RuntimeOptions {
    const doc = load(pulumiYaml) as { runtime?: string | { options?: { typescript?: boolean; nodeargs?: string } } };
    const options = typeof doc.runtime === "object" ? (doc.runtime.options ?? {}) : {};
    return { typescript: options.typescript !== false, nodeargs: (options.nodeargs ?? "").split(/\s+/).filter(Boolean) };
}

export function committedOptions(): RuntimeOptions {
    return runtimeOptions(readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));
}

export interface Engine {
    readonly address: string;
    registrations(): number;
    close(): Promise<void>;
}

export async function startEngine(): Promise<Engine> {
    const monitor: any = new MockMonitor(clusterMocks(sampleCluster()));
    let count = 0;
    const pass = (method: string) => (call: any, cb: any) => monitor[method](call.request, cb);
    const server = new grpc.Server();
    server.addService(resrpc.ResourceMonitorService, {
        supportsFeature: (call: any, cb: any) => {
            const r = new resproto.SupportsFeatureResponse();
            r.setHassupport(call.request.getId() !== "outputValues"); // as the SDK's own mocks
            cb(null, r);
        },
        registerResource: (call: any, cb: any) => {
            count++;
            monitor.registerResource(call.request, cb);
        },
        registerResourceOutputs: (call: any, cb: any) => monitor.registerResourceOutputs(call.request, (e: unknown) => cb(e, new empty.Empty())),
        readResource: pass("readResource"),
        invoke: pass("invoke"),
        registerPackage: pass("registerPackage"),
    });
    server.addService(engrpc.EngineService, {
        log: (_call: any, cb: any) => cb(null, new empty.Empty()),
        getRootResource: (_call: any, cb: any) => cb(null, new engproto.GetRootResourceResponse()),
        setRootResource: (_call: any, cb: any) => cb(null, new engproto.SetRootResourceResponse()),
    });
    const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e: Error | null, p: number) => (e ? reject(e) : resolve(p))),
    );
    return {
        address: `127.0.0.1:${port}`,
        registrations: () => count,
        close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
    };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

export interface CliRun {
    readonly ms: number;
    readonly maxRssMb?: number;
    readonly registrations: number;
}

/** One cold run of `main` through run.js with the given runtime options. Rejects on failure. */
export async function runLikeCli(engine: Engine, options: RuntimeOptions, main: string, env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
    const run = path.dirname(require.resolve("@pulumi/pulumi/cmd/run"));
    const { config } = sampleScenario();
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("TS_NODE_") && !k.startsWith("PULUMI_") && k !== "NODE_OPTIONS"));
    const childEnv = { ...clean, ...env, PULUMI_CONFIG: JSON.stringify(config), ...(options.typescript ? { PULUMI_NODEJS_TYPESCRIPT: "true" } : {}) };
    const args = [...options.nodeargs, run, "--monitor", engine.address, "--engine", engine.address, "--project", "quarantine", "--stack", "incident-42", "--organization", "organization", "--pwd", ROOT, main];
    const time = existsSync("/usr/bin/time");
    const before = engine.registrations();
    const t = performance.now();
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
        const child = time
            ? spawn("/usr/bin/time", ["-f", "BENCH_MAXRSS %M", process.execPath, ...args], { cwd: ROOT, env: childEnv })
            : spawn(process.execPath, args, { cwd: ROOT, env: childEnv });
        let err = "";
        child.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
        child.stdout.resume();
        const timer = setTimeout(() => child.kill("SIGKILL"), 240_000);
        child.on("error", reject);
        child.on("close", (c) => {
            clearTimeout(timer);
            resolve({ code: c, stderr: err });
        });
    });
    const ms = performance.now() - t;
    const registrations = engine.registrations() - before;
    if (code !== 0 || registrations === 0) {
        throw new Error(`run.js with ${JSON.stringify(options)} failed (exit ${code}, ${registrations} registrations):\n${stderr.slice(-2000)}`);
    }
    const rss = /BENCH_MAXRSS (\d+)/.exec(stderr);
    return { ms, maxRssMb: rss ? Number(rss[1]) / 1024 : undefined, registrations };
}
