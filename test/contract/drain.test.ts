import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunResult } from "../../tools/mockEngine/engine";
import { SAMPLE_NODE, sampleCluster, type FakeCluster } from "../../tools/mockEngine/sampleCluster";
import { blockingBudget } from "../fakes/seed";
import { Fakes } from "../fakes/tools";
import { Quarantine } from "./runner";
import { CONTEXT, planFor } from "./scenario";

/**
 * The drain through the real `kubectl drain`. Containment first: a PodDisruptionBudget that allows
 * no disruption, or an unmanaged pod, holds the drain up until its timeout; the drain then ends
 * with exit 0, naming what it left and why, so the node's cut-off that waits for it still runs;
 * a relaxed budget lets a second `pulumi up` finish the drain; an unmanaged pod is never deleted
 * for good.
 */

let blocked: RunResult;
let immediate: RunResult;
beforeAll(async () => {
    // Plans first, one at a time: the mock engine is one global runtime.
    blocked = await planFor("isolate", sampleCluster(), { "quarantine:drainTimeout": "5s" });
    immediate = await planFor("isolate", sampleCluster(), { "quarantine:drainTimeout": "5s", "quarantine:nodeIsolation": "immediate" });
});
const open: Fakes[] = [];
afterAll(async () => Promise.all(open.map((f) => f.close())));

async function start(cluster: FakeCluster = sampleCluster()): Promise<Fakes> {
    const f = await Fakes.start(cluster, CONTEXT);
    open.push(f);
    return f;
}

/** The provider-side steps (pod label, cordon, policy), then the drain alone. */
async function drainOnly(q: Quarantine): Promise<void> {
    for (const s of q.steps.filter((x) => x.kind === "emulated")) await q.run(s, "create");
    await q.run(q.step("/drain"), "create");
}

describe.concurrent("a drain blocked by a PodDisruptionBudget", () => {
    it("ends within its timeout, names the budget and the pod it left, and the node is still cut off; once relaxed, a re-run finishes", async ({ expect }) => {
        const f = await start();
        blockingBudget(f.kube, "default", "api-budget", "api");
        const q = new Quarantine(blocked, f);

        await drainOnly(q);
        const run = q.runs[q.runs.length - 1];
        expect(run.step).toMatch(/\/drain$/);
        expect(run.code, "the drain never fails the update").toBe(0);
        expect(run.ms, "ends within the 5 s timeout (plus kubectl's own start and the diagnosis)").toBeLessThan(15_000);
        expect(run.stdout.trim()).toBe(
            `drain of ${SAMPLE_NODE} incomplete (exit 1): left on the node: default/bystander; PodDisruptionBudget default/api-budget allows no disruption now: evicting its pods waits for it; the node is cut off with them on it`,
        );
        expect(f.kube.get("nodes", "", SAMPLE_NODE).spec.unschedulable, "cordoned").toBe(true);
        expect(f.kube.get("pods", "default", "bystander"), "the budget kept its pod").toBeDefined();

        // The cut-off waits for the drain to end, and then runs.
        for (const s of ["/abandon", "/tag", "/remove-external-ip"]) await q.run(q.step(s), "create");
        const vm = f.compute.instance("us-central1-a", SAMPLE_NODE)!;
        expect(vm.tags.items, "tagged").toContain("quarantine-42");
        expect(vm.nic.accessConfigs, "no external IP").toEqual([]);

        f.kube.get("poddisruptionbudgets", "default", "api-budget").status.disruptionsAllowed = 1;
        await q.run(q.step("/drain"), "create");
        expect(f.kube.get("pods", "default", "bystander"), "evicted once the budget allows it").toBeUndefined();
        expect(f.violations()).toEqual([]);
    }, 90_000);

    it("gives way in immediate mode: the node is cut off anyway, so the drain is best effort", async ({ expect }) => {
        const f = await start();
        blockingBudget(f.kube, "default", "api-budget", "api");
        const q = new Quarantine(immediate, f);
        await drainOnly(q);
        const run = q.runs[q.runs.length - 1];
        expect(run.code).toBe(0);
        expect(run.stdout).toContain(`drain of ${SAMPLE_NODE} incomplete`);
        expect(f.kube.get("pods", "default", "bystander")).toBeDefined();
        expect(f.violations()).toEqual([]);
    }, 60_000);
});

/** A pod without a controller on the node, as someone's `kubectl run` debug shell leaves one. */
function withBarePod(f: Fakes): void {
    f.kube.put("pods", {
        metadata: { name: "debug-shell", namespace: "default", labels: { run: "debug-shell" } },
        spec: { nodeName: SAMPLE_NODE, containers: [{ name: "sh", image: "busybox" }] },
        status: { phase: "Running" },
    });
}

describe("a drain that meets an unmanaged pod", () => {
    it("leaves it on the node, never deleted for good, names it, and does not fail the update", async () => {
        const s = sampleCluster();
        const f = await start(s);
        withBarePod(f);
        const q = new Quarantine(blocked, f);
        await drainOnly(q);
        const run = q.runs[q.runs.length - 1];
        expect(run.code).toBe(0);
        expect(run.stderr).toMatch(/declare no controller.*default\/debug-shell/);
        expect(run.stdout).toContain("default/debug-shell (no controller: drain never deletes it without --force)");
        expect(f.kube.get("pods", "default", "debug-shell"), "never deleted without --force").toBeDefined();
        expect(f.violations()).toEqual([]);
    }, 60_000);

    it("still evicts the managed pods beside it, through the eviction API", async () => {
        const f = await start(sampleCluster());
        withBarePod(f);
        const q = new Quarantine(blocked, f);
        await drainOnly(q);
        // kubectl drain alone refuses the whole node over one bare pod and evicts nothing.
        expect(f.kube.calls.filter((c) => c.op === "pods.eviction").length).toBeGreaterThan(0);
        expect(f.kube.get("pods", "default", "bystander"), "the managed pod was evicted").toBeUndefined();
        expect(f.kube.get("pods", "default", "debug-shell"), "the bare one stays").toBeDefined();
        expect(q.runs[q.runs.length - 1].stdout).toContain("left on the node: default/debug-shell (no controller");
        expect(f.violations()).toEqual([]);
    }, 60_000);
});
