import { existsSync, statSync } from "node:fs";
import * as path from "node:path";

/**
 * What the CLI says when it can't start, or another responder holds the stack: one actionable
 * message each, because the reader is mid-incident.
 */

export const INSTALL_PULUMI =
    "quarantine needs the Pulumi CLI on the PATH: install it with `curl -fsSL https://get.pulumi.com | sh` (or `brew install pulumi/tap/pulumi`), then open a new shell.";

/** The `pulumi` binary on PATH, or undefined: checked before the Automation API tries to run it. */
export function findPulumi(env: NodeJS.ProcessEnv): string | undefined {
    for (const dir of (env.PATH ?? "").split(path.delimiter).filter(Boolean)) {
        const p = path.join(dir, "pulumi");
        try {
            if (existsSync(p) && statSync(p).isFile() && (statSync(p).mode & 0o111) !== 0) return p;
        } catch {
            // An unreadable PATH entry is simply not where pulumi is.
        }
    }
    return undefined;
}

export interface LockHolder {
    readonly by: string;
    readonly pid?: string;
    readonly since: string;
    readonly lockFile?: string;
}

/**
 * Who holds the stack, from the CLI's own refusal. A DIY backend (file://, gs://) prints
 * `<lock file>: created by user@host (pid N) at <time>` per lock; Pulumi Cloud only `[409] Conflict`.
 */
export function lockHolders(stderr: string): LockHolder[] {
    const out: LockHolder[] = [];
    for (const m of stderr.matchAll(/^\s*(\S+): created by (\S+) \(pid (\d+)\) at (.+?)\s*$/gm)) {
        out.push({ lockFile: m[1], by: m[2], pid: m[3], since: m[4] });
    }
    return out;
}

export function lockedMessage(stack: string, stderr: string): string {
    const holders = lockHolders(stderr);
    const who = holders.length
        ? holders.map((h) => `  held by ${h.by} (pid ${h.pid}) since ${h.since}${h.lockFile ? `, lock ${h.lockFile}` : ""}`).join("\n")
        : "  held by another update (Pulumi Cloud does not say by whom here: see the stack's activity page, or pulumi stack history)";
    return [
        `Stack ${stack} is locked by another update:`,
        who,
        "Ask them first: their update may be cutting the node off right now.",
        `If it is stale (the process is gone): pulumi cancel --stack ${stack} --yes, then run this command again.`,
    ].join("\n");
}
