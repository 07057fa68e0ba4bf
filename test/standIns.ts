import { execFileSync } from "child_process";
import { chmodSync, mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";

/**
 * Stand-in `kubectl` and `gcloud` for running a command's real script without a cluster: a temp
 * dir with a `bin/` of small bash scripts, and a way to run a script with only them on the PATH.
 * (The contract suite, test/contract, runs the real binaries against API fakes instead.)
 */
export interface StandIns {
    readonly dir: string;
    run(script: string, env: Record<string, string>, opts?: { timeout?: number }): string;
}

export function standIns(prefix: string, tools: Record<string, string>): StandIns {
    const dir = mkdtempSync(join(tmpdir(), `quarantine-${prefix}-`));
    const bin = join(dir, "bin");
    execFileSync("mkdir", ["-p", bin]);
    for (const [tool, body] of Object.entries(tools)) {
        writeFileSync(join(bin, tool), `#!/bin/bash\n${body}\n`);
        chmodSync(join(bin, tool), 0o755);
    }
    return {
        dir,
        run: (script, env, opts = {}) =>
            execFileSync("/bin/bash", ["-c", script], {
                env: { PATH: `${bin}:/usr/bin:/bin`, ...env },
                encoding: "utf8",
                stdio: ["ignore", "pipe", "pipe"],
                timeout: opts.timeout ?? 20_000,
            }),
    };
}
