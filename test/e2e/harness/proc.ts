import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { createServer } from "node:net";

/** What every CLI call of the harness returns. `code` is null when the process was killed. */
export interface RunResult {
    code: number | null;
    stdout: string;
    stderr: string;
}

/** Nothing a test starts may outlive it: every daemon is killed here too if the worker exits early. */
const live = new Set<ChildProcess>();
process.on("exit", () => {
    for (const child of live) killGroup(child, "SIGKILL");
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
    // Each child leads its own process group (detached), so this also reaches what it spawned
    // (pulumi's plugins, the process `timeout` runs).
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
        process.kill(-child.pid, signal);
    } catch {
        // already gone
    }
}

/** Resolves once the child has exited, or after `ms` (then false). */
function exited(child: ChildProcess, ms: number): Promise<boolean> {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
    return new Promise((resolve) => {
        const t = setTimeout(() => resolve(false), ms);
        child.once("exit", () => {
            clearTimeout(t);
            resolve(true);
        });
    });
}

export interface Daemon {
    readonly name: string;
    readonly logPath: string;
    /** SIGTERM, then SIGKILL after `graceMs`. */
    stop(graceMs?: number): Promise<void>;
    /** The exit status if it already died (for a readiness wait to fail fast), else undefined. */
    died(): string | undefined;
    log(): string;
}

export interface DaemonOptions {
    env?: NodeJS.ProcessEnv;
    cwd?: string;
    /** Hard bound on the process's life, enforced by coreutils `timeout -s KILL` even if node dies. */
    lifetimeMs: number;
}

/** Starts a long-running process, stdout and stderr to `logPath`. */
export function startDaemon(name: string, bin: string, args: string[], logPath: string, opts: DaemonOptions): Daemon {
    const fd = openSync(logPath, "a");
    const child = spawn("timeout", ["-s", "KILL", `${Math.ceil(opts.lifetimeMs / 1000)}s`, bin, ...args], {
        cwd: opts.cwd,
        env: opts.env ?? process.env,
        stdio: ["ignore", fd, fd],
        detached: true,
    });
    closeSync(fd);
    live.add(child);
    child.once("exit", () => live.delete(child));
    return {
        name,
        logPath,
        async stop(graceMs = 5_000) {
            killGroup(child, "SIGTERM");
            if (!(await exited(child, graceMs))) {
                killGroup(child, "SIGKILL");
                await exited(child, 2_000);
            }
        },
        died() {
            if (child.exitCode === null && child.signalCode === null) return undefined;
            return `${name} exited (${child.exitCode ?? child.signalCode})`;
        },
        log: () => readFileSync(logPath, "utf8"),
    };
}

export interface RunOptions {
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    timeoutMs: number;
    input?: string;
}

/**
 * Runs a command to completion. On timeout the whole process group is killed and the result
 * says so in stderr, so a hung CLI fails the test with its output instead of hanging the suite.
 */
export function run(cmd: string, args: string[], opts: RunOptions): Promise<RunResult> {
    return new Promise((resolve) => {
        const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, detached: true, stdio: "pipe" });
        live.add(child);
        let stdout = "";
        let stderr = "";
        let timedOut = false;
        child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
        child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
        const timer = setTimeout(() => {
            timedOut = true;
            killGroup(child, "SIGKILL");
        }, opts.timeoutMs);
        child.stdin.end(opts.input ?? "");
        child.once("error", (e) => (stderr += `\n${cmd}: ${e.message}`));
        child.once("close", (code) => {
            clearTimeout(timer);
            live.delete(child);
            if (timedOut) stderr += `\n${cmd} ${args.join(" ")}: killed after ${opts.timeoutMs} ms`;
            resolve({ code: timedOut ? null : code, stdout, stderr });
        });
    });
}

/** A port nothing listens on right now (the kernel picks it; a tiny race we accept on 127.0.0.1). */
export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const srv = createServer();
        srv.once("error", reject);
        srv.listen(0, "127.0.0.1", () => {
            const addr = srv.address();
            srv.close(() => (typeof addr === "object" && addr ? resolve(addr.port) : reject(new Error("no port"))));
        });
    });
}

/**
 * Polls `check` until it returns a value (not undefined), or throws after `timeoutMs` with `what`
 * and the last error `check` threw; an error with `fatal: true` ends the wait at once.
 */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>, intervalMs = 250): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last = "";
    for (;;) {
        try {
            const v = await check();
            if (v !== undefined) return v;
        } catch (e) {
            // A check that knows waiting is pointless (the daemon died) marks its error fatal.
            if ((e as { fatal?: boolean }).fatal) throw e;
            last = e instanceof Error ? e.message : String(e);
        }
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last}` : ""}`);
        await new Promise((r) => setTimeout(r, intervalMs));
    }
}
