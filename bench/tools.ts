import { spawnSync } from "child_process";
import { existsSync, mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { ESTIMATED_TOOLS, type ToolStart, type Tools } from "./latency";
import { median } from "./programCost";

/**
 * Start-up of gcloud and kubectl, measured when they are installed: each in a fresh process, wall
 * time and CPU time (user + sys, from /usr/bin/time), median of `reps`.
 *
 * gcloud runs a real quarantine command (`compute instances add-tags`) against an empty, throwaway
 * configuration directory: it loads the whole command surface and stops at "no active account"
 * before any network request. No credentials are read or needed. kubectl prints its client version.
 */

const TIME = "/usr/bin/time";

function run(argv: string[], env: NodeJS.ProcessEnv): { wall: number; cpu: number } | undefined {
    const r = spawnSync(TIME, ["-f", "BENCH %e %U %S", ...argv], { env, encoding: "utf8", timeout: 60_000 });
    const m = /BENCH ([\d.]+) ([\d.]+) ([\d.]+)/.exec(r.stderr ?? "");
    return m ? { wall: Number(m[1]), cpu: Number(m[2]) + Number(m[3]) } : undefined;
}

function measure(argv: string[], env: NodeJS.ProcessEnv, reps: number, what: string): ToolStart | undefined {
    const xs = Array.from({ length: reps }, () => run(argv, env));
    if (xs.some((x) => x === undefined)) return undefined;
    const ok = xs as { wall: number; cpu: number }[];
    return {
        wall: median(ok.map((x) => x.wall)),
        cpu: median(ok.map((x) => x.cpu)),
        source: `measured here: ${what}, median of ${reps} fresh processes`,
    };
}

function onPath(bin: string): boolean {
    return (process.env.PATH ?? "").split(path.delimiter).some((d) => d && existsSync(path.join(d, bin)));
}

export function measureTools(reps: number): Tools {
    if (!existsSync(TIME)) return ESTIMATED_TOOLS;
    const config = mkdtempSync(path.join(tmpdir(), "quarantine-bench-gcloud-"));
    try {
        const env = {
            PATH: process.env.PATH,
            HOME: config,
            CLOUDSDK_CONFIG: config,
            CLOUDSDK_CORE_DISABLE_PROMPTS: "1",
            CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK: "1",
        };
        const gcloud = onPath("gcloud")
            ? measure(
                  ["gcloud", "compute", "instances", "add-tags", "vm", "--tags", "t", "--zone", "us-central1-a", "--project", "acme-prod"],
                  env,
                  reps,
                  "`gcloud compute instances add-tags` up to its first request",
              )
            : undefined;
        const kubectl = onPath("kubectl") ? measure(["kubectl", "version", "--client"], env, reps, "`kubectl version --client`") : undefined;
        return { gcloud: gcloud ?? ESTIMATED_TOOLS.gcloud, kubectl: kubectl ?? ESTIMATED_TOOLS.kubectl };
    } finally {
        rmSync(config, { recursive: true, force: true });
    }
}
