import { spawnSync } from "child_process";
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { committedOptions, runLikeCli, startEngine, type RuntimeOptions } from "./cliRun";
import { SIZES } from "./scenario";

/**
 * Program cost, each figure from fresh child processes so every run starts cold:
 * - evaluating the program under the recording mock engine, precompiled, for each incident size
 *   (bench/child.ts);
 * - TypeScript start-up as the Pulumi CLI runs the program (bench/cliRun.ts): ts-node
 *   type-checked (the nodejs runtime's default), ts-node transpile-only, Pulumi.yaml as
 *   committed, and plain `node` on `tsc` output.
 */

const ROOT = path.resolve(__dirname, "..");

export interface Sample {
    /** Median over the repetitions. */
    readonly lastRegistrationMs: number;
    readonly outputsMs: number;
    readonly maxRssMb: number;
    readonly registrations: number;
    readonly runs: number[];
}

export interface Startup {
    readonly loader: string;
    readonly how: string;
    /** Median wall time of the run.js process, start to exit. */
    readonly ms: number;
    readonly maxRssMb?: number;
    readonly runs: number[];
}

export interface ProgramCost {
    readonly build: { readonly ms: number; readonly dir: string; readonly tscErrors: boolean };
    readonly sizes: { readonly pods: number; readonly sample: Sample }[];
    readonly startup: Startup[];
}

/** Names of the start-up rows the report refers to. */
export const COMMITTED = "Pulumi.yaml as committed";
export const PRECOMPILED = "precompiled JS";

export function median(xs: readonly number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    const mid = s.length >> 1;
    return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** The CLI's environment: nothing from the caller's shell that changes how ts-node loads. */
function cleanEnv(): NodeJS.ProcessEnv {
    return Object.fromEntries(
        Object.entries(process.env).filter(([k]) => !k.startsWith("TS_NODE_") && !k.startsWith("PULUMI_NODEJS_") && k !== "NODE_OPTIONS"),
    );
}

function child(nodeArgs: string[], args: string[]): { lastRegistrationMs: number; outputsMs: number; registrations: number; maxRssKb: number } {
    const r = spawnSync(process.execPath, [...nodeArgs, ...args], { cwd: ROOT, env: cleanEnv(), encoding: "utf8", timeout: 240_000 });
    const line = (r.stdout ?? "").split("\n").find((l) => l.startsWith("{"));
    if (r.status !== 0 || !line) {
        throw new Error(`bench child ${[...nodeArgs, ...args].join(" ")} failed (exit ${r.status}, ${r.signal ?? "no signal"}):\n${r.stderr}`);
    }
    return JSON.parse(line);
}

function sample(reps: number, run: () => ReturnType<typeof child>): Sample {
    const xs = Array.from({ length: reps }, run);
    return {
        lastRegistrationMs: median(xs.map((x) => x.lastRegistrationMs)),
        outputsMs: median(xs.map((x) => x.outputsMs)),
        maxRssMb: median(xs.map((x) => x.maxRssKb / 1024)),
        registrations: median(xs.map((x) => x.registrations)),
        runs: xs.map((x) => Math.round(x.outputsMs)),
    };
}

/**
 * `tsc` into a temporary directory that resolves packages from the project's node_modules (a
 * symlink). Type errors elsewhere in the tree still emit; the flag records them.
 */
function build(): ProgramCost["build"] {
    const dir = mkdtempSync(path.join(tmpdir(), "quarantine-bench-"));
    symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    const t = performance.now();
    const tsc = spawnSync(
        process.execPath,
        [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", ROOT, "--outDir", dir, "--noEmit", "false", "--sourceMap", "false", "--incremental", "false"],
        { cwd: ROOT, encoding: "utf8" },
    );
    const ms = performance.now() - t;
    // The command scripts are files the components read at run time: tsc does not copy them.
    cpSync(path.join(ROOT, "components", "scripts"), path.join(dir, "components", "scripts"), { recursive: true });
    if (!existsSync(path.join(dir, "bench", "child.js"))) {
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`tsc emitted nothing:\n${tsc.stdout}${tsc.stderr}`);
    }
    return { ms, dir, tscErrors: tsc.status !== 0 };
}

export async function measureProgramCost(reps: number, log: (s: string) => void): Promise<ProgramCost> {
    log("  building with tsc --outDir …");
    const built = build();
    try {
        const compiled = path.join(built.dir, "bench", "child.js");
        const sizes = SIZES.map((pods) => {
            log(`  program, ${pods} pods (${reps} cold runs) …`);
            return { pods, sample: sample(reps, () => child([], [compiled, String(pods)])) };
        });
        const main = path.join("stacks", "incident", "index.ts");
        const committed = committedOptions();
        const variants: { loader: string; how: string; options: RuntimeOptions; main: string; env?: NodeJS.ProcessEnv }[] = [
            { loader: "ts-node, type-checked", how: "`typescript: true` (the nodejs runtime's default)", options: { typescript: true, nodeargs: [] }, main },
            { loader: "ts-node, transpile-only", how: "`typescript: true` + `PULUMI_NODEJS_TRANSPILE_ONLY=true`", options: { typescript: true, nodeargs: [] }, main, env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" } },
            { loader: COMMITTED, how: `\`typescript: ${committed.typescript}\`${committed.nodeargs.length ? `, \`nodeargs: ${committed.nodeargs.join(" ")}\`` : ""}`, options: committed, main },
            { loader: PRECOMPILED, how: "`typescript: false`, main → `tsc --outDir` output", options: { typescript: false, nodeargs: [] }, main: path.join(built.dir, "stacks", "incident", "index.js") },
        ];
        const engine = await startEngine();
        const startup: Startup[] = [];
        try {
            for (const v of variants) {
                log(`  start-up through run.js, ${v.loader} (${reps} cold runs) …`);
                const xs = [];
                for (let i = 0; i < reps; i++) xs.push(await runLikeCli(engine, v.options, v.main, v.env));
                const rss = xs.map((x) => x.maxRssMb).filter((x): x is number => x !== undefined);
                startup.push({ loader: v.loader, how: v.how, ms: median(xs.map((x) => x.ms)), maxRssMb: rss.length ? median(rss) : undefined, runs: xs.map((x) => Math.round(x.ms)) });
            }
        } finally {
            await engine.close();
        }
        return { build: built, sizes, startup };
    } finally {
        rmSync(built.dir, { recursive: true, force: true });
    }
}
