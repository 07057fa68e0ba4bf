import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { load } from "js-yaml";
import { KEEP, ROOT } from "./bin";
import type { RunResult } from "./proc";
import { COMMAND_STAND_IN, KUBERNETES, PulumiCli, type NodejsRuntimeOptions, type Plugin } from "./pulumiCli";

/**
 * The quarantine project under the real CLI, driven the way README.md tells a responder:
 * `pulumi stack init`, `pulumi config set`, `pulumi preview`, `pulumi up`, `pulumi destroy`.
 * It runs from a temp copy of what a clean checkout ships (never the work tree, which other
 * sessions edit), with the repo's node_modules symlinked in.
 */

/** What the program needs at run time; tests, tools and bench stay behind. */
const PROJECT_FILES = ["Pulumi.yaml", "package.json", "tsconfig.json", "stacks", "components", "core", "policies"];

export interface StackOptions {
    /** KUBECONFIG for the CLI, its providers and the kubectl the commands run. */
    kubeconfigPath?: string;
    /** Plugins to install; default: the kubernetes provider and the command stand-in. */
    plugins?: readonly Plugin[];
    /** Extra environment for the CLI (and so for every plugin and command it runs). */
    env?: Record<string, string>;
}

export interface PreviewOptions {
    /** Pass `--policy-pack policies`, as the README tells a responder. */
    policyPack?: boolean;
    args?: string[];
    timeoutMs?: number;
}

export interface Project {
    /** The temp copy the CLI runs in. */
    readonly dir: string;
    readonly cli: PulumiCli;
    stackInit(name: string): Promise<RunResult>;
    configSet(key: string, value: string, opts?: { path?: boolean; secret?: boolean }): Promise<RunResult>;
    preview(opts?: PreviewOptions): Promise<RunResult>;
    up(opts?: PreviewOptions): Promise<RunResult>;
    destroy(opts?: { args?: string[]; timeoutMs?: number }): Promise<RunResult>;
    /** `pulumi stack output --json --show-secrets`, parsed into `values` when it succeeds. */
    outputs(): Promise<RunResult & { values?: Record<string, unknown> }>;
    /** `pulumi stack export`: the deployment's resources (throws when the export fails). */
    resources(): Promise<{ urn: string; type: string }[]>;
    cleanup(): void;
}

export async function newProject(opts: StackOptions = {}): Promise<Project> {
    const root = mkdtempSync(path.join(tmpdir(), "quarantine-stack-"));
    const dir = path.join(root, "project");
    for (const f of PROJECT_FILES) {
        cpSync(path.join(ROOT, f), path.join(dir, f), {
            recursive: true,
            // The policy pack's own node_modules is linked below, not copied (116 MB).
            filter: (src) => path.basename(src) !== "node_modules",
        });
    }
    symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
    symlinkSync(path.join(ROOT, "policies/node_modules"), path.join(dir, "policies/node_modules"));

    const env: Record<string, string> = { ...opts.env };
    if (opts.kubeconfigPath) env.KUBECONFIG = opts.kubeconfigPath;
    // Pulumi.yaml's runtime options (typescript: false, the transpile-only nodeargs), so the
    // language host runs the program the way Pulumi.yaml says whatever its version.
    const runtime = (load(readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) as { runtime?: { options?: NodejsRuntimeOptions } }).runtime;
    const cli = new PulumiCli(root, dir, env, runtime?.options ?? {});
    try {
        await cli.login();
        for (const p of opts.plugins ?? [KUBERNETES, COMMAND_STAND_IN]) await cli.installPlugin(p);
    } catch (e) {
        if (!KEEP) rmSync(root, { recursive: true, force: true });
        throw e;
    }

    const updateArgs = (o: PreviewOptions) => [...(o.policyPack ? ["--policy-pack", "policies"] : []), ...(o.args ?? [])];
    return {
        dir,
        cli,
        stackInit: (name) => cli.run(["stack", "init", name]),
        configSet: (key, value, o = {}) =>
            cli.run(["config", "set", ...(o.path ? ["--path"] : []), ...(o.secret ? ["--secret"] : []), key, value]),
        preview: (o = {}) => cli.run(["preview", "--diff", ...updateArgs(o)], { timeoutMs: o.timeoutMs }),
        up: (o = {}) => cli.run(["up", "--yes", ...updateArgs(o)], { timeoutMs: o.timeoutMs }),
        destroy: (o = {}) => cli.run(["destroy", "--yes", ...(o.args ?? [])], { timeoutMs: o.timeoutMs }),
        async outputs() {
            const r = await cli.run(["stack", "output", "--json", "--show-secrets"]);
            return r.code === 0 ? { ...r, values: JSON.parse(r.stdout) as Record<string, unknown> } : r;
        },
        async resources() {
            const r = await cli.ok(["stack", "export"]);
            return (JSON.parse(r.stdout).deployment?.resources ?? []) as { urn: string; type: string }[];
        },
        cleanup() {
            if (!KEEP) rmSync(root, { recursive: true, force: true });
        },
    };
}
