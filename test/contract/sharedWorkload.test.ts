import { afterAll, beforeAll, describe, it } from "vitest";
import { runIncident, type RunResult } from "../../tools/mockEngine/engine";
import { sampleCluster } from "../../tools/mockEngine/sampleCluster";
import { sampleScenario } from "../../tools/mockEngine/scenario";
import { Fakes } from "../fakes/tools";
import { Quarantine } from "./runner";
import { CONTEXT } from "./scenario";

/**
 * Two incidents stop one workload (issue #17.1): each records the replica count it found in its
 * own state, marks the workload as held, and on destroy gives it back only when no other incident
 * still holds it. Nothing on the workload is read as the count to restore.
 */

const cluster = sampleCluster();
const open: Fakes[] = [];
afterAll(async () => Promise.all(open.map((f) => f.close())));

async function planOf(id: string): Promise<RunResult> {
    const stack = `incident-${id}`;
    const s = sampleScenario({ cluster, pods: [cluster.pods[0]], level: "delete-workload", stack });
    return runIncident({ cluster, config: s.config, stack });
}

let plans: Record<"42" | "43", RunResult>;
beforeAll(async () => {
    // One at a time: the mock engine is one global runtime.
    plans = { "42": await planOf("42"), "43": await planOf("43") };
});

async function start(): Promise<Fakes> {
    const f = await Fakes.start(cluster, CONTEXT);
    open.push(f);
    return f;
}

const replicas = (f: Fakes) => f.kube.get("deployments", "default", "web").spec.replicas as number;
const scale = (q: Quarantine) => q.step("/workload/default/deployment/web");

describe.concurrent("one Deployment stopped by two incidents", () => {
    it("stays at zero when one incident is destroyed, and comes back when the other is", async ({ expect }) => {
        const f = await start();
        const [q42, q43] = [new Quarantine(plans["42"], f), new Quarantine(plans["43"], f)];
        await q42.run(scale(q42), "create");
        await q43.run(scale(q43), "create");
        const released = await q43.run(scale(q43), "delete");
        expect(released!.stdout).toContain("another incident still holds deployment default/web (42); left at zero");
        expect(replicas(f)).toBe(0);
        await q42.run(scale(q42), "delete");
        expect(replicas(f)).toBe(2);
        expect(f.violations()).toEqual([]);
    }, 90_000);

    it("says so, and leaves it at zero, when the incident that found the count is destroyed first", async ({ expect }) => {
        const f = await start();
        const [q42, q43] = [new Quarantine(plans["42"], f), new Quarantine(plans["43"], f)];
        await q42.run(scale(q42), "create");
        await q43.run(scale(q43), "create");
        expect(q43.stdout.get(scale(q43).resource.urn)).toContain("replicas unknown: already stopped under incident 42");
        await q42.run(scale(q42), "delete");
        expect(replicas(f)).toBe(0);
        const last = await q43.run(scale(q43), "delete");
        expect(last!.stdout).toContain("left at zero; scale it back by hand");
        expect(replicas(f)).toBe(0);
    }, 90_000);

    it("restores the count it recorded, never one an annotation on the workload claims", async ({ expect }) => {
        const f = await start();
        const web = f.kube.get("deployments", "default", "web");
        web.metadata.annotations = { ...web.metadata.annotations, "quarantine/replicas-before": "100", "quarantine.incident/42": "held" };
        f.kube.put("deployments", web);
        const q = new Quarantine(plans["42"], f);
        await q.run(scale(q), "create");
        await q.run(scale(q), "delete");
        expect(replicas(f)).toBe(2);
    }, 90_000);

    it("keeps its record when the step runs again on a later update", async ({ expect }) => {
        const f = await start();
        const q = new Quarantine(plans["42"], f);
        await q.run(scale(q), "create");
        // The command provider hands the previous stdout to the re-run (addPreviousOutputInEnv).
        const again = await q.run(scale(q), "create", { PULUMI_COMMAND_STDOUT: q.stdout.get(scale(q).resource.urn)! });
        expect(again!.stdout).toContain("replicas 2");
    }, 90_000);
});
