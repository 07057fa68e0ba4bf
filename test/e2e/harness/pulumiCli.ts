import { spawnSync } from "node:child_process";
import { copyFileSync, linkSync, mkdirSync } from "node:fs";
import * as path from "node:path";
import { BIN, KUBERNETES_PROVIDER, ROOT } from "./bin";
import { run, type RunResult } from "./proc";

/**
 * The real Pulumi CLI in a sealed environment: a private PULUMI_HOME and file:// backend, no
 * update check, no plugin downloads, no ambient plugins, and none of the caller's PULUMI_*,
 * TS_NODE_* or NODE_* settings. Plugins come only from `installPlugin`.
 */

export interface Plugin {
    readonly kind: "resource" | "analyzer" | "language";
    readonly name: string;
    readonly version: string;
    readonly file: string;
}

/** The stand-in for pulumi-resource-command 1.2.1 (test/e2e/standIns/command), as @pulumi/command asks. */
export const COMMAND_STAND_IN: Plugin = {
    kind: "resource",
    name: "command",
    version: "1.2.1",
    file: path.join(ROOT, "test/e2e/standIns/command/pulumi-resource-command"),
};

/** The stand-in for pulumi-resource-gcp 9.37.0 (test/e2e/standIns/gcp), as @pulumi/gcp asks; it needs googleFakes.ts's env. */
export const GCP_STAND_IN: Plugin = { kind: "resource", name: "gcp", version: "9.37.0", file: path.join(ROOT, "test/e2e/standIns/gcp/pulumi-resource-gcp") };

/** The stand-in for pulumi-resource-random 4.21.2 (test/e2e/standIns/random), as @pulumi/random 4.21.2 asks. */
export const RANDOM_STAND_IN: Plugin = { kind: "resource", name: "random", version: "4.21.2", file: path.join(ROOT, "test/e2e/standIns/random/pulumi-resource-random") };

/**
 * The kubernetes provider built from the v4.25.0 tag, installed under 4.34.2: the version
 * @pulumi/kubernetes 4.34.2 asks the engine for, so it never tries to download one.
 */
export const KUBERNETES: Plugin = { kind: "resource", name: "kubernetes", version: "4.34.2", file: path.join(BIN, KUBERNETES_PROVIDER) };

/** Pulumi.yaml's `runtime.options` for nodejs that the language host takes. */
export interface NodejsRuntimeOptions {
    typescript?: boolean;
    nodeargs?: string;
}

/** True when the language host in BIN reads its runtime options from flags only (v3.68.0 does). */
function hostTakesOptionFlags(): boolean {
    const help = spawnSync(path.join(BIN, "pulumi-language-nodejs"), ["--help"], { encoding: "utf8", timeout: 10_000 });
    return /-nodeargs\b/.test(`${help.stdout}${help.stderr}`);
}

/**
 * A bin dir where the CLI finds our flag-passing wrapper (./pulumi-language-nodejs) beside itself.
 * The CLI resolves its own path through symlinks, so it is a hard link (a copy across filesystems).
 */
function wrapperBin(root: string): string {
    const dir = path.join(root, "bin");
    mkdirSync(dir, { recursive: true });
    try {
        linkSync(path.join(BIN, "pulumi"), path.join(dir, "pulumi"));
    } catch {
        copyFileSync(path.join(BIN, "pulumi"), path.join(dir, "pulumi"));
    }
    copyFileSync(path.join(__dirname, "pulumi-language-nodejs"), path.join(dir, "pulumi-language-nodejs"));
    return dir;
}

/** Default bound on one CLI call; a preview of the program takes well under this. */
export const CLI_TIMEOUT_MS = 240_000;

export class PulumiCli {
    readonly home: string;
    readonly stateDir: string;
    readonly env: NodeJS.ProcessEnv;
    /** The CLI binary: BIN's, or its hard link beside the language-host wrapper. */
    readonly pulumi: string;

    /**
     * `root` holds the CLI's home and state; `cwd` is the program dir the commands run in.
     * `runtime` is the program's Pulumi.yaml runtime options, for a language host that needs them
     * as flags.
     */
    constructor(
        root: string,
        readonly cwd: string,
        extraEnv: Record<string, string> = {},
        runtime?: NodejsRuntimeOptions,
    ) {
        this.home = path.join(root, "pulumi-home");
        this.stateDir = path.join(root, "state");
        const env = Object.fromEntries(
            Object.entries(process.env).filter(([k]) => !/^(PULUMI_|TS_NODE_|NODE_OPTIONS$|NODE_PATH$|KUBECONFIG$)/.test(k)),
        );
        this.env = {
            ...env,
            // Only system dirs besides node's: no other pulumi-resource-* can be found on PATH.
            PATH: `${path.dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
            PULUMI_HOME: this.home,
            PULUMI_CONFIG_PASSPHRASE: "e2e-not-secret",
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            PULUMI_IGNORE_AMBIENT_PLUGINS: "true",
            // `plugin install --file` copies the command stand-in's launcher; this is where its sources are.
            QUARANTINE_REPO: ROOT,
            ...extraEnv,
        };
        this.pulumi = path.join(BIN, "pulumi");
        if (runtime && hostTakesOptionFlags()) {
            this.pulumi = path.join(wrapperBin(root), "pulumi");
            Object.assign(this.env, {
                QUARANTINE_E2E_LANGHOST: path.join(BIN, "pulumi-language-nodejs"),
                QUARANTINE_E2E_TYPESCRIPT: String(runtime.typescript ?? true),
                QUARANTINE_E2E_NODEARGS: runtime.nodeargs ?? "",
            });
        }
    }

    /** Runs `pulumi ARGS --non-interactive` in the program dir. */
    run(args: string[], opts: { timeoutMs?: number; input?: string } = {}): Promise<RunResult> {
        return run(this.pulumi, [...args, "--non-interactive"], {
            cwd: this.cwd,
            env: this.env,
            timeoutMs: opts.timeoutMs ?? CLI_TIMEOUT_MS,
            input: opts.input,
        });
    }

    /** Like `run`, but a non-zero exit throws with the whole output; for setup steps. */
    async ok(args: string[], opts: { timeoutMs?: number; input?: string } = {}): Promise<RunResult> {
        const r = await this.run(args, opts);
        if (r.code !== 0) throw new Error(`pulumi ${args.join(" ")}: exit ${r.code}\n${r.stdout}${r.stderr}`);
        return r;
    }

    /** `pulumi login file://<root>/state` (the file backend does not create its dir). */
    async login(): Promise<void> {
        mkdirSync(this.stateDir, { recursive: true });
        await this.ok(["login", `file://${this.stateDir}`]);
    }

    async installPlugin(p: Plugin): Promise<void> {
        await this.ok(["plugin", "install", p.kind, p.name, p.version, "--file", p.file]);
    }
}
