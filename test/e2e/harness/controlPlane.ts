import { generateKeyPairSync } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { get as httpGet } from "node:http";
import { request } from "node:https";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { BIN, KEEP } from "./bin";
import { freePort, run, startDaemon, waitFor, type Daemon, type RunResult } from "./proc";

/**
 * A fresh Kubernetes 1.33 control plane for one test file: etcd, kube-apiserver,
 * kube-controller-manager and kwok, all on 127.0.0.1 in a temp dir. No scheduler: the seeded
 * pods set spec.nodeName, as the design says. kwok plays the kubelets: it makes the
 * nodes annotated `kwok.x-k8s.io/node: fake` Ready, their pods Running, and removes pods once
 * they are deleted or evicted. The controller-manager is what makes a PodDisruptionBudget's status
 * real (without it every eviction is refused) and a ReplicaSet replace an evicted pod.
 */

export const FAKE_NODE_ANNOTATION = "kwok.x-k8s.io/node";
const ADMIN_TOKEN = "e2e-admin-token";
const START_TIMEOUT_MS = 60_000;
/** Each daemon is SIGKILLed after this long even if the test process dies without stopping it. */
const DEFAULT_LIFETIME_MS = 20 * 60_000;

export interface ControlPlaneOptions {
    /** The kubeconfig context name, e.g. the example stack's `kubernetes:context`. */
    context: string;
    lifetimeMs?: number;
    /** More kwok stage files, after kwok-stages.yaml (e.g. kwok-capture-stage.yaml). */
    stages?: readonly string[];
    /**
     * Write the apiserver's audit log (`<dir>/audit.log`, JSON lines, Metadata level, pods and
     * their subresources only): how a scenario sees that a pod left through the eviction API.
     */
    auditLog?: boolean;
}

const AUDIT_POLICY = JSON.stringify({
    apiVersion: "audit.k8s.io/v1",
    kind: "Policy",
    omitStages: ["RequestReceived"],
    rules: [{ level: "Metadata", resources: [{ group: "", resources: ["pods", "pods/*"] }] }, { level: "None" }],
});

export interface ControlPlane {
    readonly dir: string;
    /** `<dir>/audit.log` when started with `auditLog` (read it with `auditEvents`). */
    readonly auditLogPath?: string;
    readonly kubeconfigPath: string;
    readonly context: string;
    readonly server: string;
    /** Milliseconds from the first spawn to every component ready. */
    readonly startMs: number;
    /** kubectl against this cluster (explicit --kubeconfig and --context, never the ambient ones). */
    kubectl(args: string[], opts?: { input?: string; timeoutMs?: number }): Promise<RunResult>;
    /** kubectl that throws with its output on a non-zero exit; returns stdout. */
    kubectlOk(args: string[], opts?: { input?: string; timeoutMs?: number }): Promise<string>;
    /** `kubectl apply` of the objects, in order (one List, so the API sees them in one call). */
    seed(objects: readonly object[]): Promise<void>;
    stop(): Promise<void>;
}

/** GET with the admin token; resolves with the status code (the serving cert is self-signed). */
function probe(url: string): Promise<number> {
    return new Promise((resolve, reject) => {
        const req = request(url, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` }, rejectUnauthorized: false, timeout: 2_000 }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
        });
        req.once("timeout", () => req.destroy(new Error("timeout")));
        req.once("error", reject);
        req.end();
    });
}

function httpOk(url: string): Promise<boolean> {
    return new Promise((resolve) => {
        const req = httpGet(url, { timeout: 2_000 }, (res) => {
            res.resume();
            resolve(res.statusCode === 200);
        });
        req.once("error", () => resolve(false));
        req.once("timeout", () => req.destroy());
    });
}

/** Waits until `url` answers 200, failing at once (with the log's tail) if the daemon died. */
async function ready(d: Daemon, what: string, check: () => Promise<boolean>): Promise<void> {
    try {
        await waitFor(`${d.name} ${what}`, START_TIMEOUT_MS, async () => {
            const dead = d.died();
            if (dead) throw Object.assign(new Error(dead), { fatal: true });
            return (await check().catch(() => false)) ? true : undefined;
        });
    } catch (e) {
        const tail = d.log().split("\n").slice(-30).join("\n");
        throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- ${d.logPath} (tail)\n${tail}`, { cause: e });
    }
}

function kubeconfig(server: string, context: string): string {
    // insecure-skip-tls-verify: kube-apiserver serves only https, with a cert it generates itself
    // in --cert-dir; nothing here is reachable from outside 127.0.0.1.
    return JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: "e2e", cluster: { server, "insecure-skip-tls-verify": true } }],
        users: [{ name: "admin", user: { token: ADMIN_TOKEN } }],
        contexts: [{ name: context, context: { cluster: "e2e", user: "admin" } }],
        "current-context": context,
    });
}

export async function startControlPlane(opts: ControlPlaneOptions): Promise<ControlPlane> {
    const t0 = Date.now();
    const lifetimeMs = opts.lifetimeMs ?? DEFAULT_LIFETIME_MS;
    const dir = mkdtempSync(path.join(tmpdir(), "quarantine-cp-"));
    const f = (name: string) => path.join(dir, name);
    const [etcdClient, etcdPeer, apiPort, kcmPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const daemons: Daemon[] = [];
    const bin = (b: string) => path.join(BIN, b);
    // Daemons get a minimal environment: no KUBECONFIG or proxy settings of the caller leak in.
    const env = { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: dir };

    const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    writeFileSync(f("sa.pub"), publicKey.export({ type: "spki", format: "pem" }));
    writeFileSync(f("sa.key"), privateKey.export({ type: "pkcs1", format: "pem" }));
    // token,user,uid,"groups": system:masters passes every RBAC check.
    writeFileSync(f("tokens.csv"), `${ADMIN_TOKEN},admin,admin,"system:masters"\n`);
    const server = `https://127.0.0.1:${apiPort}`;
    const kubeconfigPath = f("kubeconfig");
    writeFileSync(kubeconfigPath, kubeconfig(server, opts.context));
    for (const d of ["etcd", "apiserver-certs", "kcm-certs"]) mkdirSync(f(d));
    // Pods and their subresources (eviction, binding, status) at Metadata level; nothing else.
    if (opts.auditLog) writeFileSync(f("audit-policy.yaml"), AUDIT_POLICY);

    const stopAll = async () => {
        // Reverse start order: the clients go before the API server, etcd last.
        for (const d of [...daemons].reverse()) await d.stop();
    };
    try {
        const etcd = startDaemon("etcd", bin("etcd"), [
            "--name=e2e",
            `--data-dir=${f("etcd")}`,
            `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
            `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
            `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
            `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
            `--initial-cluster=e2e=http://127.0.0.1:${etcdPeer}`,
            // A throwaway cluster: skip the fsync per write, which dominates on a shared disk.
            "--unsafe-no-fsync",
        ], f("etcd.log"), { env, lifetimeMs });
        daemons.push(etcd);
        await ready(etcd, "/health", () => httpOk(`http://127.0.0.1:${etcdClient}/health`));

        const apiserver = startDaemon("kube-apiserver", bin("kube-apiserver"), [
            `--etcd-servers=http://127.0.0.1:${etcdClient}`,
            "--bind-address=127.0.0.1",
            "--advertise-address=127.0.0.1",
            `--secure-port=${apiPort}`,
            `--cert-dir=${f("apiserver-certs")}`,
            `--token-auth-file=${f("tokens.csv")}`,
            "--authorization-mode=Node,RBAC",
            "--service-cluster-ip-range=10.96.0.0/16",
            `--service-account-key-file=${f("sa.pub")}`,
            `--service-account-signing-key-file=${f("sa.key")}`,
            "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
            // The default plugin set (it includes PodSecurity, NamespaceLifecycle, ServiceAccount…),
            // stated so a scenario's PodSecurity expectations do not depend on a version default.
            "--enable-admission-plugins=NamespaceLifecycle,LimitRanger,ServiceAccount,PodSecurity,DefaultStorageClass,ResourceQuota,MutatingAdmissionWebhook,ValidatingAdmissionWebhook",
            // The node capture pod is privileged, as it is on GKE.
            "--allow-privileged=true",
            "--profiling=false",
            ...(opts.auditLog ? [`--audit-policy-file=${f("audit-policy.yaml")}`, `--audit-log-path=${f("audit.log")}`, "--audit-log-format=json"] : []),
        ], f("kube-apiserver.log"), { env, lifetimeMs });
        daemons.push(apiserver);
        await ready(apiserver, "/readyz", async () => (await probe(`${server}/readyz`)) === 200);

        const kcm = startDaemon("kube-controller-manager", bin("kube-controller-manager"), [
            `--kubeconfig=${kubeconfigPath}`,
            `--authentication-kubeconfig=${kubeconfigPath}`,
            `--authorization-kubeconfig=${kubeconfigPath}`,
            "--controllers=*",
            "--leader-elect=false",
            "--bind-address=127.0.0.1",
            `--secure-port=${kcmPort}`,
            `--cert-dir=${f("kcm-certs")}`,
            `--service-account-private-key-file=${f("sa.key")}`,
            "--use-service-account-credentials=false",
            "--profiling=false",
        ], f("kube-controller-manager.log"), { env, lifetimeMs });
        daemons.push(kcm);
        await ready(kcm, "/healthz", async () => (await probe(`https://127.0.0.1:${kcmPort}/healthz`)) === 200);

        const kwok = startDaemon("kwok", bin("kwok"), [
            `--kubeconfig=${kubeconfigPath}`,
            `--config=${path.join(__dirname, "kwok-stages.yaml")}`,
            ...(opts.stages ?? []).map((st) => `--config=${st}`),
            // Heartbeats through a Lease, as kubelets do; the node controller reads it.
            "--node-lease-duration-seconds=40",
            "--manage-all-nodes=false",
            `--manage-nodes-with-annotation-selector=${FAKE_NODE_ANNOTATION}=fake`,
            "--node-ip=127.0.0.1",
        ], f("kwok.log"), { env, lifetimeMs });
        daemons.push(kwok);
        // kwok has no health endpoint here: it is up once it has logged in and not died. A seeded
        // node turning Ready (seed's callers wait for that) is the real readiness check.
        await new Promise((r) => setTimeout(r, 500));
        if (kwok.died()) throw new Error(`${kwok.died()}\n${kwok.log()}`);
    } catch (e) {
        // The temp dir stays: its logs are what explains the failure (the error names the log).
        await stopAll();
        throw e;
    }

    const kubectl = (args: string[], o: { input?: string; timeoutMs?: number } = {}) =>
        run("kubectl", [`--kubeconfig=${kubeconfigPath}`, `--context=${opts.context}`, ...args], {
            env: { PATH: env.PATH, HOME: dir },
            timeoutMs: o.timeoutMs ?? 60_000,
            input: o.input,
        });
    const kubectlOk = async (args: string[], o: { input?: string; timeoutMs?: number } = {}) => {
        const r = await kubectl(args, o);
        if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")}: exit ${r.code}\n${r.stdout}${r.stderr}`);
        return r.stdout;
    };
    return {
        dir,
        ...(opts.auditLog ? { auditLogPath: f("audit.log") } : {}),
        kubeconfigPath,
        context: opts.context,
        server,
        startMs: Date.now() - t0,
        kubectl,
        kubectlOk,
        async seed(objects) {
            await kubectlOk(["apply", "-f", "-"], { input: JSON.stringify({ apiVersion: "v1", kind: "List", items: objects }) });
        },
        async stop() {
            await stopAll();
            if (!KEEP) rmSync(dir, { recursive: true, force: true });
        },
    };
}
