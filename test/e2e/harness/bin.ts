import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import * as path from "node:path";

/** The repo root: the project every scenario copies, and where node_modules lives. */
export const ROOT = path.resolve(__dirname, "../../..");
const TOOLS = path.resolve(__dirname, "../tools");

/**
 * The bin dir test/e2e/tools/build.sh fills. Its key is computed the way build.sh computes it,
 * so a pin change points at a new (empty) dir instead of silently using stale binaries; nothing is
 * built here. QUARANTINE_E2E_BIN overrides it (a laptop with its own Pulumi CLI).
 */
export function binDir(): string {
    if (process.env.QUARANTINE_E2E_BIN) return process.env.QUARANTINE_E2E_BIN;
    const keyScript =
        "find . -type f \\( -name go.mod -o -name go.sum -o -name '*.go' \\) -print0 | " +
        "LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-12";
    const key = spawnSync("bash", ["-c", keyScript], { cwd: TOOLS, encoding: "utf8", timeout: 30_000 }).stdout.trim();
    const cache = process.env.QUARANTINE_E2E_CACHE ?? path.join(homedir(), ".cache/quarantine-e2e");
    return path.join(cache, key, "bin");
}

export const BIN = binDir();

export const PULUMI_BINARIES = ["pulumi", "pulumi-language-nodejs"] as const;
export const CLUSTER_BINARIES = ["etcd", "kube-apiserver", "kube-controller-manager", "kwok"] as const;
export const KUBERNETES_PROVIDER = "pulumi-resource-kubernetes";

/**
 * Why a suite must skip, or undefined when every binary it needs is in BIN. Printed once, so a
 * skipped suite says what to run instead of passing silently.
 */
export function skipReason(suite: string, binaries: readonly string[]): string | undefined {
    const missing = binaries.filter((b) => !existsSync(path.join(BIN, b)));
    if (missing.length === 0) return undefined;
    const reason = `no ${missing.join(", ")} in ${BIN}: run test/e2e/tools/build.sh, or set QUARANTINE_E2E_BIN`;
    // CI builds the toolchain first: there, a missing binary is a failure, never a green skip.
    if (process.env.QUARANTINE_E2E_REQUIRED) throw new Error(`${suite}: ${reason}`);
    console.warn(`${suite}: skipped, ${reason}`);
    return reason;
}

/** True when the temp dirs should be left behind for a post-mortem (QUARANTINE_E2E_KEEP=1). */
export const KEEP = Boolean(process.env.QUARANTINE_E2E_KEEP);
