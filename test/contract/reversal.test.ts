import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunResult } from "../../tools/mockEngine/engine";
import { SAMPLE_NODE, sampleCluster, type FakeCluster } from "../../tools/mockEngine/sampleCluster";
import { Fakes, requireTools } from "../fakes/tools";
import { Quarantine } from "./runner";
import { CONTEXT, planFor } from "./scenario";

/**
 * What destroy does where the sample's lifecycle can't show it: a static external IP comes back
 * as it was; deletion protection that was on before the incident stays on; and every delete of
 * something already gone (VM, pod, node) succeeds. Also: without gcloud or kubectl, the suite says
 * which binary is missing and how to install it.
 */

const ZONE = "us-central1-a";
const open: Fakes[] = [];
afterAll(async () => Promise.all(open.map((f) => f.close())));

async function start(cluster: FakeCluster = sampleCluster(), staticIps = false): Promise<Fakes> {
    const f = await Fakes.start(cluster, CONTEXT, { staticIps });
    open.push(f);
    return f;
}

const protectedCluster: FakeCluster = { ...sampleCluster(), nodes: sampleCluster().nodes.map((n) => ({ ...n, deletionProtection: true })) };
let plan: RunResult;
let protectedPlan: RunResult;
beforeAll(async () => {
    // Plans first, one at a time: the mock engine is one global runtime.
    plan = await planFor("isolate");
    protectedPlan = await planFor("isolate", protectedCluster);
});

describe.concurrent("destroy", () => {
    it("gives a static external IP back to the VM", async ({ expect }) => {
        const f = await start(sampleCluster(), true);
        const q = new Quarantine(plan, f);
        const step = q.step("/remove-external-ip");
        await q.run(step, "create");
        expect(f.compute.instance(ZONE, SAMPLE_NODE)!.nic.accessConfigs).toEqual([]);
        expect(f.compute.state.addresses["203.0.113.7"].status).toBe("RESERVED");
        await q.run(step, "delete");
        expect(f.compute.instance(ZONE, SAMPLE_NODE)!.nic.accessConfigs.map((a) => a.natIP)).toEqual(["203.0.113.7"]);
        expect(f.compute.state.addresses["203.0.113.7"].status).toBe("IN_USE");
        expect(f.violations()).toEqual([]);
    }, 60_000);

    it("keeps the external IP off while another incident still quarantines the VM", async ({ expect }) => {
        const f = await start(sampleCluster(), true);
        const q = new Quarantine(plan, f);
        const step = q.step("/remove-external-ip");
        await q.run(step, "create");
        f.compute.instance(ZONE, SAMPLE_NODE)!.tags.items.push("quarantine-43");
        const run = await q.run(step, "delete");
        expect(run!.stdout).toContain("another incident still quarantines this VM (quarantine-43)");
        expect(f.compute.instance(ZONE, SAMPLE_NODE)!.nic.accessConfigs).toEqual([]);
        expect(f.violations()).toEqual([]);
    }, 60_000);

    it("leaves deletion protection on when it was on before the incident", async ({ expect }) => {
        const f = await start(protectedCluster);
        const q = new Quarantine(protectedPlan, f);
        const step = q.step("/protect");
        expect(step.resource.inputs.environment.WAS_PROTECTED).toBe("true");
        await q.run(step, "create");
        await q.run(step, "delete");
        expect(f.compute.instance(ZONE, SAMPLE_NODE)!.deletionProtection).toBe(true);
        expect(f.compute.effects).toEqual([]);
        expect(f.violations()).toEqual([]);
    }, 60_000);

    it("succeeds when the VM, the pods and the node are already gone", async ({ expect }) => {
        const f = await start();
        const q = new Quarantine(plan, f);
        // The quarantine is up (its creates are what the lifecycle tests run), then someone, or a
        // later escalation, deleted the VM, the pods and the node.
        for (const s of q.steps) q.created.add(s.resource.urn);
        delete f.compute.state.instances[`${ZONE}/${SAMPLE_NODE}`];
        for (const p of f.kube.list("pods")) f.kube.remove("pods", p.metadata.namespace, p.metadata.name);
        f.kube.remove("nodes", "", SAMPLE_NODE);
        const runs = await q.destroy();
        expect(runs.map((r) => r.code)).toEqual(runs.map(() => 0));
        expect(runs.map((r) => r.stdout).join("")).toMatch(/already gone|VM gone/);
        expect(f.violations()).toEqual([]);
    }, 120_000);
});

describe("the suite without gcloud or kubectl", () => {
    it("fails saying which binary is missing and how to install it", () => {
        expect(() => requireTools(["gcloud", "kubectl"], "/nonexistent")).toThrow(/gcloud and kubectl are not on the PATH/);
        expect(() => requireTools(["kubectl"], "/nonexistent")).toThrow(/kubectl: install kubectl: `apt-get install kubectl`/);
        expect(() => requireTools(["gcloud"], "/nonexistent")).toThrow(/gcloud: install the Google Cloud CLI/);
        expect(() => requireTools()).not.toThrow();
    });
});
