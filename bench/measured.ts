import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import * as path from "node:path";
import { scaledCluster } from "../tools/mockEngine/sampleCluster";
import { skipReason, CLUSTER_BINARIES, KUBERNETES_PROVIDER, PULUMI_BINARIES } from "../test/e2e/harness/bin";
import { startControlPlane, type ControlPlane } from "../test/e2e/harness/controlPlane";
import type { GoogleFakes } from "../test/e2e/harness/googleFakes";
import { CONTEXT, pods, setExampleConfig } from "../test/e2e/harness/isolateScenario";
import { waitFor } from "../test/e2e/harness/proc";
import { COMMAND_STAND_IN, GCP_STAND_IN, KUBERNETES, RANDOM_STAND_IN } from "../test/e2e/harness/pulumiCli";
import { nodeObject } from "../test/e2e/harness/sampleObjects";
import { newProject, type Project } from "../test/e2e/harness/stack";
import { milestones, parseEventLog, since, type Milestones } from "./eventLog";

/**
 * `npm run bench:measured [-- 1 10 50]`: time to containment under the real engine, measured, not
 * modelled. For each size, N compromised pods over ⌈N/4⌉ nodes (the bench's `scaledCluster`, so
 * the graph is the one `npm run bench` models), on the end-to-end suite's world: a real control
 * plane with kwok nodes, the real CLI built from source, the Compute, Storage and Kubernetes Engine
 * fakes behind the gcp stand-in and the real gcloud (test/e2e/README.md). One `pulumi up --yes
 * --event-log FILE` at the default `isolate`, after-drain, and the wall time from its spawn to each
 * milestone as the engine's event log stamps it (bench/eventLog.ts). Printed, never asserted.
 * Needs the e2e toolchain (`QUARANTINE_E2E_BIN`, test/e2e/tools/build.sh). Progress on stderr.
 */

const SIZES = [1, 10, 50];
const UP_TIMEOUT_MS = 40 * 60_000;

interface Measured {
    readonly pods: number;
    readonly nodes: number;
    readonly code: number | null;
    readonly wallS: number;
    readonly startMs: number;
    readonly m: Milestones;
}

const log = (s: string) => process.stderr.write(`${s}\n`);

const namespacesOf = (n: number) => [...new Set(scaledCluster(n).pods.map((p) => p.namespace))];

/** The scaled incident's nodes (kwok's) and namespaces, as Kubernetes objects. */
function places(n: number): Record<string, unknown>[] {
    const c = scaledCluster(n);
    return [
        ...c.nodes.map((node) => nodeObject(node, c.project)),
        ...namespacesOf(n)
            .filter((ns) => ns !== "default")
            .map((name) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name } })),
    ];
}

/**
 * Its pods, bare and pinned to their nodes: every pod on a node is quarantined, so the drain has
 * nothing to evict, and no controller is there to replace a detached pod.
 */
function podObjects(n: number): Record<string, unknown>[] {
    const c = scaledCluster(n);
    return [
        ...c.pods.map((p) => ({
            apiVersion: "v1",
            kind: "Pod",
            metadata: { namespace: p.namespace, name: p.name, labels: { ...p.labels } },
            spec: { nodeName: p.node, containers: [{ name: "app", image: "registry.example/web:1" }] },
        })),
    ];
}

async function measure(n: number, dir: string): Promise<Measured> {
    const cluster = scaledCluster(n);
    // Loaded here, after main() has lengthened the fakes' lifetime (test/fakes/http.ts reads it once).
    const { startGoogleFakes } = await import("../test/e2e/harness/googleFakes");
    const gcp: GoogleFakes = await startGoogleFakes(cluster);
    let cp: ControlPlane | undefined;
    let project: Project | undefined;
    try {
        cp = await startControlPlane({ context: CONTEXT, lifetimeMs: UP_TIMEOUT_MS + 10 * 60_000, stages: [path.join(__dirname, "../test/e2e/harness/kwok-capture-stage.yaml")] });
        const c = cp;
        await c.seed(places(n));
        // Admission refuses a pod until its namespace's default service account exists.
        for (const ns of namespacesOf(n)) await waitFor(`serviceaccount ${ns}/default`, 60_000, async () => ((await c.kubectl(["get", "serviceaccount", "-n", ns, "default"])).code === 0 ? true : undefined));
        await c.seed(podObjects(n));
        await waitFor(`${n} pods Running`, 180_000, async () => {
            const p = Object.values(await pods(c));
            return p.length >= n && p.every((x) => x.phase === "Running") ? true : undefined;
        });
        project = await newProject({
            kubeconfigPath: c.kubeconfigPath,
            plugins: [KUBERNETES, COMMAND_STAND_IN, GCP_STAND_IN, RANDOM_STAND_IN],
            env: {
                ...gcp.env,
                // The CLI registers `--event-log` only under this (pkg/cmd/pulumi/operations/up.go, v3.248.0).
                PULUMI_DEBUG_COMMANDS: "true",
            },
        });
        await project.cli.ok(["stack", "init", "incident-42"]);
        await setExampleConfig(project);
        // The example's one pod replaced by the N (index 0 is overwritten), in one CLI call.
        const podKeys = cluster.pods.map((p, i) => `quarantine:pods[${i}]=${p.namespace}/${p.name}`);
        await project.cli.ok(["config", "set-all", "--path", ...podKeys.flatMap((kv) => ["--plaintext", kv])]);

        const eventLog = path.join(dir, `events-${n}.jsonl`);
        log(`${n} pods over ${cluster.nodes.length} nodes: pulumi up …`);
        const startMs = Date.now();
        const r = await project.up({ args: ["--event-log", eventLog], timeoutMs: UP_TIMEOUT_MS });
        const wallS = (Date.now() - startMs) / 1000;
        if (r.code !== 0) log(`  pulumi up exited ${r.code}:\n${`${r.stdout}\n${r.stderr}`.slice(-4000)}`);
        if (!existsSync(eventLog)) throw new Error(`pulumi up wrote no event log (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
        const m = milestones(parseEventLog(readFileSync(eventLog, "utf8")));
        log(`  done in ${wallS.toFixed(1)} s (exit ${r.code}); seen ${JSON.stringify(m.counts)}`);
        return { pods: n, nodes: cluster.nodes.length, code: r.code, wallS, startMs, m };
    } finally {
        project?.cleanup();
        await cp?.stop();
        await gcp.close();
    }
}

function table(rows: readonly Measured[]): string {
    const head = [
        "| pods | nodes | `pulumi up` exit | update started | pods isolated (label + deny-all) | nodes cut off (tag) | update done | `pulumi up` wall | steps seen: labels / deny-alls / tags / failed |",
        "|---|---|---|---|---|---|---|---|---|",
    ];
    const lines = rows.map((r) => {
        const s = (t: number | undefined) => since(r.startMs, t);
        const c = r.m.counts;
        return `| ${r.pods} | ${r.nodes} | ${r.code} | ${s(r.m.updateStart)} | ${s(r.m.podsIsolated)} | ${s(r.m.nodesCutOff)} | ${s(r.m.updateDone)} | ${r.wallS.toFixed(1)} | ${c.labels} / ${c.denyAlls} / ${c.tags} / ${c.failed} |`;
    });
    return [...head, ...lines].join("\n");
}

async function main(): Promise<void> {
    // A 50-pod update on a loaded 2-core machine outlasts the fakes' default 10 minutes.
    process.env.QUARANTINE_FAKE_LIFETIME_MS ??= String(UP_TIMEOUT_MS + 10 * 60_000);
    const missing = skipReason("bench:measured", [...PULUMI_BINARIES, ...CLUSTER_BINARIES, KUBERNETES_PROVIDER]);
    if (missing) throw new Error(missing);
    const sizes = process.argv.slice(2).map(Number).filter((x) => Number.isInteger(x) && x > 0);
    const dir = mkdtempSync(path.join(tmpdir(), "quarantine-measured-"));
    const rows: Measured[] = [];
    for (const n of sizes.length ? sizes : SIZES) {
        try {
            rows.push(await measure(n, dir));
        } catch (e) {
            log(`  ${n} pods: ${e instanceof Error ? e.message : String(e)}`);
        }
    }
    const when = new Date().toISOString().slice(0, 16).replace("T", " ");
    process.stdout.write(
        `Run ${when} UTC, Node ${process.version}, ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(" ")} at the end; seconds from the spawn of \`pulumi up --yes\` (preview included), ` +
            `from the engine's event log (whole-second timestamps: ±1 s); event logs in ${dir}.\n\n${table(rows)}\n`,
    );
}

if (require.main === module) {
    main().catch((e: unknown) => {
        process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
        process.exit(1);
    });
}
