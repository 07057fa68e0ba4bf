import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import type { Plugin } from "./pulumiCli";

/**
 * `--policy-pack policies` under language host v3.68.0 (test/e2e/README.md, "Deviations"). CLI
 * v3.248.0 starts a pack of runtime R through the language plugin R's `RunPlugin`, which v3.68.0
 * does not implement, and only when no language plugin R exists through the analyzer plugin
 * `pulumi-analyzer-policy-R` (sdk/go/common/resource/plugin/analyzer_plugin.go `NewPolicyAnalyzer`).
 * So the project copy's pack declares runtime `nodejs-e2e`, for which no language plugin exists,
 * and `pulumi-analyzer-policy-nodejs-e2e` runs the pack with its own @pulumi/pulumi's
 * `cmd/run-policy-pack`, as CLIs did before `RunPlugin`. The pack's code, its node_modules and the
 * engine's analyzer calls are the real ones; only the launcher is the harness's.
 */

export const PACK_RUNTIME = "nodejs-e2e";

/** The launcher as an analyzer plugin, installed with `installPlugin`. */
export const POLICY_LAUNCHER: Plugin = {
    kind: "analyzer",
    name: `policy-${PACK_RUNTIME}`,
    version: "0.0.1",
    file: path.join(__dirname, `pulumi-analyzer-policy-${PACK_RUNTIME}`),
};

/** Points the project copy's `policies/PulumiPolicy.yaml` at the launcher (never the repo's own). */
export function launchPackWithoutHost(projectDir: string): void {
    const file = path.join(projectDir, "policies", "PulumiPolicy.yaml");
    const yaml = readFileSync(file, "utf8");
    if (!/^runtime: nodejs$/m.test(yaml)) throw new Error(`${file}: expected "runtime: nodejs", found:\n${yaml}`);
    writeFileSync(file, yaml.replace(/^runtime: nodejs$/m, `runtime: ${PACK_RUNTIME}`));
}
