import { spawn } from "child_process";
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { delimiter, join } from "path";
import type { FakeCluster } from "../../tools/mockEngine/sampleCluster";
import { ComputeFake } from "./compute";
import { computeStateFor, type ComputeSeed } from "./computeState";
import { KubeFake } from "./kube";
import { seedKube } from "./seed";

/**
 * Starts both fakes and builds the environment that points the real `gcloud` and `kubectl` at
 * them and at nothing else: a throwaway gcloud config with a dummy access token, a kubeconfig
 * whose context is the one the scripts pin, and a proxy that refuses anything not on 127.0.0.1.
 */

const INSTALL: Record<string, string> = {
    gcloud:
        "install the Google Cloud CLI: on Debian/Ubuntu add Google's apt repository and `apt-get install google-cloud-cli` (https://cloud.google.com/sdk/docs/install)",
    kubectl:
        "install kubectl: `apt-get install kubectl` from Google's or the Kubernetes apt repository, or `gcloud components install kubectl` (https://kubernetes.io/docs/tasks/tools/)",
};

/** Throws, naming the binary and how to install it, unless every tool is on `path`. */
export function requireTools(tools: readonly string[] = ["gcloud", "kubectl"], path = process.env.PATH ?? ""): void {
    const missing = tools.filter(
        (t) =>
            !path.split(delimiter).some((dir) => {
                try {
                    accessSync(join(dir, t), constants.X_OK);
                    return true;
                } catch {
                    return false;
                }
            }),
    );
    if (missing.length) {
        throw new Error(
            `the contract tests run the quarantine's commands through the real binaries, and ${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} not on the PATH:\n` +
                missing.map((t) => `  - ${t}: ${INSTALL[t] ?? "install it"}`).join("\n"),
        );
    }
}

/** APIs the quarantine does not call yet: gcloud is pointed at the compute fake, which refuses them loudly. */
const UNFAKED_APIS = ["storage", "container", "iam", "logging", "cloudresourcemanager", "serviceusage", "oslogin", "iap"];

/** Dummy credentials: the compute fake refuses a request without its token (gcloud ignoring its config). */
export const TOKENS = { compute: "fake-access-token", kube: "fake-bearer-token" } as const;

export interface ScriptResult {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
    readonly ms: number;
}

/**
 * gcloud that never asks, reports or updates, and reaches nothing but the fakes: anything that is
 * not 127.0.0.1 goes to a port where nothing listens. Upper-case proxy names only: grpc-js (the
 * engine's plugin channels) reads the lower-case ones, and Go skips loopback.
 */
export const GCLOUD_OFFLINE: Readonly<Record<string, string>> = {
    CLOUDSDK_CORE_DISABLE_PROMPTS: "1",
    CLOUDSDK_CORE_DISABLE_USAGE_REPORTING: "1",
    CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK: "1",
    CLOUDSDK_SURVEY_DISABLE_PROMPTS: "1",
    CLOUDSDK_CORE_DISABLE_FILE_LOGGING: "1",
    HTTP_PROXY: "http://127.0.0.1:9",
    HTTPS_PROXY: "http://127.0.0.1:9",
    NO_PROXY: "127.0.0.1,localhost",
};

export class Fakes {
    readonly compute: ComputeFake;
    readonly kube: KubeFake;
    readonly dir: string;
    private runs = 0;

    constructor(
        readonly cluster: FakeCluster,
        readonly context: string,
        seed: ComputeSeed = {},
    ) {
        this.compute = new ComputeFake(computeStateFor(cluster, seed), TOKENS.compute);
        // kubectl sends no credentials to an http:// server, so the Kubernetes fake can't ask for them.
        this.kube = new KubeFake({ objects: {}, rv: 1000 });
        seedKube(this.kube, cluster);
        this.dir = mkdtempSync(join(tmpdir(), "quarantine-contract-"));
    }

    static async start(cluster: FakeCluster, context: string, seed: ComputeSeed = {}): Promise<Fakes> {
        requireTools();
        const f = new Fakes(cluster, context, seed);
        await f.compute.start();
        await f.kube.start();
        f.writeConfig();
        return f;
    }

    private writeConfig(): void {
        mkdirSync(join(this.dir, "home"), { recursive: true });
        mkdirSync(join(this.dir, "gcloud"), { recursive: true });
        writeFileSync(join(this.dir, "token"), `${TOKENS.compute}\n`);
        const kubeconfig = [
            "apiVersion: v1",
            "kind: Config",
            "clusters:",
            "- name: fake",
            `  cluster: {server: "${this.kube.base}"}`,
            "users:",
            "- name: fake",
            `  user: {token: ${TOKENS.kube}}`,
            "contexts:",
            `- name: "${this.context}"`,
            "  context: {cluster: fake, user: fake}",
            // No current context: a kubectl that is not pinned to the scripts' context fails.
            'current-context: ""',
            "",
        ].join("\n");
        writeFileSync(join(this.dir, "kubeconfig"), kubeconfig);
    }

    /** The environment a script runs in: the fakes' settings, then the command's own environment. */
    env(extra: Record<string, string> = {}): Record<string, string> {
        const cache = join(this.dir, `kube-cache-${this.runs++}`);
        const overrides = Object.fromEntries(
            UNFAKED_APIS.map((api) => [`CLOUDSDK_API_ENDPOINT_OVERRIDES_${api.toUpperCase()}`, `${this.compute.base}/unfaked/${api}/`]),
        );
        return {
            PATH: process.env.PATH ?? "/usr/bin:/bin",
            HOME: join(this.dir, "home"),
            LANG: "C.UTF-8",
            KUBECONFIG: join(this.dir, "kubeconfig"),
            KUBECACHEDIR: cache,
            CLOUDSDK_CONFIG: join(this.dir, "gcloud"),
            CLOUDSDK_AUTH_ACCESS_TOKEN_FILE: join(this.dir, "token"),
            ...overrides,
            CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE: this.compute.endpoint,
            ...GCLOUD_OFFLINE,
            ...extra,
        };
    }

    /** Runs a script with bash as the command provider would, killing its whole process group on timeout. */
    run(script: string, env: Record<string, string>, timeoutMs = 90_000): Promise<ScriptResult> {
        const started = Date.now();
        return new Promise((resolve) => {
            const child = spawn("/bin/bash", ["-c", script], { env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
            let stdout = "";
            let stderr = "";
            child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
            child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
            const timer = setTimeout(() => {
                stderr += `\n[contract runner] killed after ${timeoutMs} ms`;
                try {
                    process.kill(-child.pid!, "SIGKILL");
                } catch {
                    // already gone
                }
            }, timeoutMs);
            child.on("close", (code) => {
                clearTimeout(timer);
                resolve({ code: code ?? -1, stdout, stderr, ms: Date.now() - started });
            });
        });
    }

    /** Every strictness violation either fake saw: a test asserts this is empty. */
    violations(): string[] {
        return [...this.compute.violations, ...this.kube.violations];
    }

    snapshot() {
        return { compute: this.compute.snapshot(), kube: this.kube.snapshot() };
    }

    restore(s: ReturnType<Fakes["snapshot"]>): void {
        this.compute.restore(s.compute);
        this.kube.restore(s.kube);
    }

    async close(): Promise<void> {
        await Promise.all([this.compute.close(), this.kube.close()]);
        rmSync(this.dir, { recursive: true, force: true });
    }
}
