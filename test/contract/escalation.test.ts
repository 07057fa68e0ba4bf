import { afterAll, describe, expect, it } from "vitest";
import { sampleCluster, type FakeCluster } from "../../tools/mockEngine/sampleCluster";
import { Fakes } from "../fakes/tools";
import { Quarantine } from "./runner";
import { CONTEXT, planFor } from "./scenario";

/**
 * What the escalation steps do, through the real kubectl and gcloud against the fakes: the
 * behaviour behind the steps the program declares (the stack tests check the declarations).
 */

const open: Fakes[] = [];
afterAll(async () => Promise.all(open.map((f) => f.close())));

async function up(level: string, cluster: FakeCluster = sampleCluster(), extra: Record<string, string> = {}): Promise<{ f: Fakes; q: Quarantine }> {
    const plan = await planFor(level, cluster, extra);
    const f = await Fakes.start(cluster, CONTEXT);
    open.push(f);
    const q = new Quarantine(plan, f);
    await q.create();
    return { f, q };
}

function cronJobPod(): FakeCluster {
    const c = sampleCluster();
    return {
        ...c,
        pods: [{ ...c.pods[0], owner: { kind: "Job", name: "nightly-29" } }, ...c.pods.slice(1)],
        owned: [{ namespace: "default", kind: "Job", name: "nightly-29", owner: { kind: "CronJob", name: "nightly" } }],
    };
}

describe("escalation, for real", () => {
    it("redeploy deletes the compromised pod with a 10 s grace period", async () => {
        const { f } = await up("redeploy");
        const deletes = f.kube.calls.filter((c) => c.op === "pods.delete" && c.path.endsWith("/pods/compromised-pod"));
        // kubectl sends it in the DeleteOptions body.
        expect(deletes.map((c) => (c.body as { gracePeriodSeconds?: number } | undefined)?.gracePeriodSeconds)).toEqual([10]);
        expect(f.kube.get("pods", "default", "compromised-pod")).toBeUndefined();
    }, 90_000);

    it("delete-workload suspends the CronJob that owns the pod, and destroy resumes it", async () => {
        const { f, q } = await up("delete-workload", cronJobPod());
        expect(f.kube.get("cronjobs", "default", "nightly").spec.suspend).toBe(true);
        await q.destroy();
        expect(f.kube.get("cronjobs", "default", "nightly").spec.suspend).toBe(false);
    }, 90_000);

    it("delete-workload with workloadAction delete deletes the Deployment, and destroy does not bring it back", async () => {
        const { f, q } = await up("delete-workload", sampleCluster(), { "quarantine:workloadAction": "delete" });
        expect(f.kube.get("deployments", "default", "web")).toBeUndefined();
        await q.destroy();
        expect(f.kube.get("deployments", "default", "web")).toBeUndefined();
    }, 90_000);
});
