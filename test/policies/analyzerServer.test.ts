import * as grpc from "@grpc/grpc-js";
import { spawn, type ChildProcessByStdio } from "node:child_process";
import * as path from "node:path";
import type { Readable } from "node:stream";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as rpc from "@pulumi/pulumi/proto/analyzer_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { firewallTargetTags } from "../../policies/rules/firewallTargetTags";
import { containmentComplete } from "../../policies/rules/containmentComplete";
import { PACK_NAME, POLICIES } from "../../policies/policies";
import { run } from "../harness";
import { engineView, type EngineResource } from "./engineView";

/**
 * Starts the pack as the Pulumi CLI does (`pulumi-analyzer-policy`: node runs
 * @pulumi/pulumi/cmd/run-policy-pack with the engine's address and `.`, in the pack's directory,
 * ts-node type-checking the TypeScript), reads the port it prints, and talks the analyzer gRPC
 * protocol to it on 127.0.0.1. Everything is bounded in time; the child is always killed.
 */
const ROOT = path.resolve(__dirname, "../..");
const PACK = path.join(ROOT, "policies");
const RUN_POLICY_PACK = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [ROOT] });
const START_TIMEOUT_MS = 60_000;
const CALL_TIMEOUT_MS = 30_000;

/** The CLI's environment: no ts-node overrides leaking in from the caller's shell. */
function cleanEnv(): NodeJS.ProcessEnv {
    return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("TS_NODE_") && k !== "NODE_OPTIONS"));
}

let child: ChildProcessByStdio<null, Readable, Readable>;
let client: AnalyzerClient;
let killer: NodeJS.Timeout;

beforeAll(async () => {
    child = spawn(process.execPath, [RUN_POLICY_PACK, "127.0.0.1:1", "."], { cwd: PACK, env: cleanEnv(), stdio: ["ignore", "pipe", "pipe"] });
    killer = setTimeout(() => child.kill("SIGKILL"), START_TIMEOUT_MS);
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const port = await new Promise<number>((resolve, reject) => {
        let stdout = "";
        child.stdout.setEncoding("utf8").on("data", (d: string) => {
            stdout += d;
            // The port is the first line that is only digits (the server prints nothing else on stdout).
            const m = /^(\d+)\r?\n/m.exec(stdout);
            if (m) resolve(Number(m[1]));
        });
        child.on("exit", (code, signal) => reject(new Error(`policy pack exited (${code ?? signal}) before printing its port:\n${stdout}\n${stderr}`)));
    });
    client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}, START_TIMEOUT_MS);

afterAll(() => {
    clearTimeout(killer);
    client?.close();
    child?.kill("SIGKILL");
});

/** One unary call with a deadline. */
type Unary<Req, Res> = (req: Req, metadata: grpc.Metadata, options: Partial<grpc.CallOptions>, cb: (e: grpc.ServiceError | null, r: Res) => void) => unknown;
function call<Req, Res>(method: Unary<Req, Res>, req: Req): Promise<Res> {
    return new Promise((resolve, reject) => {
        method.call(client, req, new grpc.Metadata(), { deadline: Date.now() + CALL_TIMEOUT_MS }, (e, r) => (e ? reject(e) : resolve(r)));
    });
}

function toWire(r: EngineResource): rpc.AnalyzerResource {
    const options = new rpc.AnalyzerResourceOptions();
    options.setProtect(false);
    if (r.deleteBeforeReplace !== undefined) {
        options.setDeletebeforereplace(r.deleteBeforeReplace);
        options.setDeletebeforereplacedefined(true);
    }
    const resource = new rpc.AnalyzerResource();
    resource.setUrn(r.urn);
    resource.setType(r.type);
    resource.setName(r.name);
    resource.setProperties(Struct.fromJavaScript(r.props));
    resource.setOptions(options);
    resource.setParent(r.parent ?? "");
    resource.setDependenciesList([...r.dependsOn]);
    return resource;
}

describe("the pack, served over the analyzer protocol", () => {
    it("describes itself: every policy of the pack, each mandatory", async () => {
        const info = await call<Empty, rpc.AnalyzerInfo>(client.getAnalyzerInfo, new Empty());
        expect(info.getName()).toBe(PACK_NAME);
        expect(info.getVersion()).toBe("0.1.0");
        const policies = info.getPoliciesList().map((p) => [p.getName(), p.getEnforcementlevel()]);
        expect(policies).toEqual(POLICIES.map((p) => [p.name, rpc.EnforcementLevel.MANDATORY]));
    });

    it("returns the violations of a rule without target tags from analyzeStack, and nothing else", async () => {
        const configure = new rpc.AnalyzerStackConfigureRequest();
        configure.setStack("incident-42");
        configure.setProject("quarantine");
        configure.setDryRun(true);
        await call<rpc.AnalyzerStackConfigureRequest, rpc.AnalyzerStackConfigureResponse>(client.configureStack, configure);

        const view = engineView((await run({ preview: true })).result);
        const rule = view.find((r) => r.name === "42/firewall/default/egress-deny")!;
        delete rule.props.targetTags;
        const tag = view.find((r) => r.name.endsWith("/tag") && r.type === "command:local:Command")!;
        const request = new rpc.AnalyzeStackRequest();
        request.setResourcesList(view.map(toWire));
        const response = await call<rpc.AnalyzeStackRequest, rpc.AnalyzeResponse>(client.analyzeStack, request);

        const found = response.getDiagnosticsList().map((d) => ({
            policy: d.getPolicyname(),
            pack: d.getPolicypackname(),
            urn: d.getUrn(),
            level: d.getEnforcementlevel(),
            message: d.getMessage(),
        }));
        expect(found).toEqual([
            {
                policy: "firewall-target-tags",
                pack: PACK_NAME,
                urn: rule.urn,
                level: rpc.EnforcementLevel.MANDATORY,
                message: `${firewallTargetTags.description}\nhas no target tags, so it applies to every VM in its VPC network: target quarantine-42 (or quarantine-42-bastion for the bastion's own rule)`,
            },
            // The tag step then has no egress deny for its tag: the VM would be marked and stay on the network.
            {
                policy: "containment-complete",
                pack: PACK_NAME,
                urn: tag.urn,
                level: rpc.EnforcementLevel.MANDATORY,
                message: `${containmentComplete.description}\n${tag.name} tags a VM quarantine-42, but no EGRESS deny rule over 0.0.0.0/0 targets that tag: the VM would be marked quarantined and stay on the network`,
            },
        ]);
    });
});
