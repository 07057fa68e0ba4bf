import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunResult } from "../../tools/mockEngine/engine";
import { SAMPLE_NODE, sampleCluster, type FakeCluster } from "../../tools/mockEngine/sampleCluster";
import { blockingBudget } from "../fakes/seed";
import { Fakes } from "../fakes/tools";
import { Quarantine, StepFailed } from "./runner";
import { CONTEXT, planFor } from "./scenario";

/**
 * The drain through the real `kubectl drain`: a PodDisruptionBudget that allows no disruption
 * makes it fail within its timeout, naming the budget, with the node cordoned but not cut off; a
 * relaxed budget lets a second `pulumi up` finish; in `immediate` mode the drain gives way; and an
 * unmanaged pod is refused (never deleted for good), by name.
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
    it("fails within its timeout, names the budget, and the node stays cordoned; once relaxed, a re-run finishes", async ({ expect }) => {
        const f = await start();
        blockingBudget(f.kube, "default", "api-budget", "api");
        const q = new Quarantine(blocked, f);

        const failure = await drainOnly(q).then(
            () => undefined,
            (e: unknown) => e,
        );
        expect(failure).toBeInstanceOf(StepFailed);
        const run = (failure as StepFailed).run;
        expect(run.step).toMatch(/\/drain$/);
        expect(run.ms, "fails within the 5 s timeout (plus kubectl's own start and the diagnosis)").toBeLessThan(15_000);
        expect(run.stderr).toContain("PodDisruptionBudget default/api-budget allows no disruption now");
        expect(run.stderr).toContain(`drain of ${SAMPLE_NODE} failed`);

        expect(f.kube.get("nodes", "", SAMPLE_NODE).spec.unschedulable, "cordoned").toBe(true);
        expect(f.kube.get("pods", "default", "bystander"), "the budget kept its pod").toBeDefined();
        // The node is cut off only after the drain: with the drain failed, `pulumi up` stops there.
        const cutOff = ["/tag", "/remove-external-ip"].map((s) => q.step(s).resource);
        for (const r of cutOff) expect(r.dependencies).toContain(q.step("/drain").resource.urn);

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
        expect(run.stderr).toContain(`drain of ${SAMPLE_NODE} incomplete`);
        expect(f.kube.get("pods", "default", "bystander")).toBeDefined();
        expect(f.violations()).toEqual([]);
    }, 60_000);
});

describe("a drain that meets an unmanaged pod", () => {
    it("refuses to delete it for good, and names it", async () => {
        const s = sampleCluster();
        const f = await start(s);
        f.kube.put("pods", {
            metadata: { name: "debug-shell", namespace: "default", labels: { run: "debug-shell" } },
            spec: { nodeName: SAMPLE_NODE, containers: [{ name: "sh", image: "busybox" }] },
            status: { phase: "Running" },
        });
        const q = new Quarantine(blocked, f);
        const failure = await drainOnly(q).then(
            () => undefined,
            (e: unknown) => e,
        );
        expect(failure).toBeInstanceOf(StepFailed);
        expect((failure as StepFailed).run.stderr).toMatch(/declare no controller.*default\/debug-shell/);
        expect(f.kube.get("pods", "default", "debug-shell"), "never deleted without --force").toBeDefined();
        expect(f.violations()).toEqual([]);
    }, 60_000);
});
