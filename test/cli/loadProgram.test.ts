import { spawn } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

// Loads Pulumi.yaml's `main` the way the Pulumi CLI's Node.js language host does (the loader
// Pulumi.yaml configures, the project's own typescript and tsconfig.json) in a fresh `node`
// process, under the SDK's mock engine. See test/cli/driver.js.

const ROOT = path.resolve(__dirname, "../..");
const DRIVER = path.join(__dirname, "driver.js");
const CHILD_TIMEOUT_MS = 120_000;

interface Run {
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
}

/** The CLI's defaults: no ts-node / transpile-only overrides leaking in from the caller's shell. */
function cleanEnv(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) {
        if (k.startsWith("TS_NODE_") || k.startsWith("PULUMI_NODEJS_") || k === "NODE_OPTIONS") continue;
        env[k] = v;
    }
    return env;
}

function runDriver(configOverrides?: Record<string, string>, env: NodeJS.ProcessEnv = {}): Promise<Run> {
    const args = [DRIVER, ...(configOverrides ? [JSON.stringify(configOverrides)] : [])];
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...cleanEnv(), ...env }, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
        child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
        const timer = setTimeout(() => child.kill("SIGKILL"), CHILD_TIMEOUT_MS);
        child.on("error", (e) => {
            clearTimeout(timer);
            reject(e);
        });
        child.on("close", (code, signal) => {
            clearTimeout(timer);
            resolve({ code, signal, stdout, stderr });
        });
    });
}

function line(out: string, prefix: string): string | undefined {
    return out
        .split("\n")
        .find((l) => l.startsWith(`${prefix} `))
        ?.slice(prefix.length + 1);
}

function explain(run: Run): string {
    return `exit ${run.code} signal ${run.signal}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
}

describe.concurrent("the program, loaded like `pulumi up` loads it", () => {
    it(
        "loads through Pulumi.yaml's nodeargs (ts-node, transpile-only, the project's TypeScript 5) and resolves the stack outputs",
        async () => {
            const run = await runDriver();
            expect(run.code, explain(run)).toBe(0);
            expect(line(run.stdout, "NODEARGS"), explain(run)).toBe("--require ts-node/register/transpile-only");
            const [tsVersion, tsPath] = (line(run.stdout, "TYPESCRIPT") ?? "").split(" ");
            expect(tsVersion, explain(run)).toMatch(/^5\.\d+\.\d+/);
            expect(tsPath).toBe(path.join(ROOT, "node_modules", "typescript", "lib", "typescript.js"));
            // Type errors are CI's to catch (tsc --noEmit): this loader does not check types.
            expect(line(run.stdout, "TSNODE"), explain(run)).toMatch(/^transpileOnly=true /);
            expect(line(run.stdout, "TYPECHECK_PROBE")).toBe("none");

            const json = line(run.stdout, "OUTPUTS");
            expect(json, explain(run)).toBeDefined();
            const outputs = JSON.parse(json!) as Record<string, unknown>;
            expect(outputs).toMatchObject({ incidentId: "42", isolationTag: "quarantine-42" });
            expect(outputs.snapshotNames).toEqual([expect.any(String), expect.any(String)]);
            expect(new Set(outputs.snapshotNames as string[]).size).toBe(2);
        },
        CHILD_TIMEOUT_MS + 30_000,
    );

    it(
        "also loads with the language host's own type-checking loader (typescript: true)",
        async () => {
            const run = await runDriver(undefined, { DRIVER_TYPESCRIPT: "true" });
            expect(run.code, explain(run)).toBe(0);
            expect(line(run.stdout, "TSNODE"), explain(run)).toMatch(/^transpileOnly=false /);
            // A deliberately ill-typed snippet is rejected: type-checking really is on.
            expect(line(run.stdout, "TYPECHECK_PROBE")).toBe("TS2322");
            expect(JSON.parse(line(run.stdout, "OUTPUTS")!)).toMatchObject({ incidentId: "42" });
        },
        CHILD_TIMEOUT_MS + 30_000,
    );

    it(
        "fails the run, naming the key, for an invalid pod name",
        async () => {
            const run = await runDriver({ "quarantine:pods": JSON.stringify(["Default/Bad_Pod"]) });
            expect(run.signal, explain(run)).toBeNull();
            expect(run.code, explain(run)).not.toBe(0);
            expect(run.stdout + run.stderr).toContain("quarantine:pods[0]");
            expect(line(run.stdout, "OUTPUTS")).toBeUndefined();
        },
        CHILD_TIMEOUT_MS + 30_000,
    );
});
