import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAMPLE_NODE } from "../../tools/mockEngine/sampleCluster";
import { expectCutOff, POD, skipE2e, startIncident, text, UP_TIMEOUT_MS, type IncidentWorld } from "./harness/incident";
import { getJson } from "./harness/isolateScenario";
import type { RunResult } from "./harness/proc";

// Issue 12, scenario 5: quarantine, destroy, quarantine again with the same incident id (the same
// stack, after its destroy). The second `up` must succeed and cut the node off again, and the
// first run's snapshots, bucket and manifest, which destroy keeps, must still be there beside the
// new ones (bucket and snapshot names carry the run's RandomId, so the second run asks for new ones).
// Run: npx vitest run --config vitest.e2e.config.mts test/e2e/requarantine.e2e.ts

const skip = skipE2e("requarantine.e2e");

interface Evidence {
    bucket: string;
    snapshots: string[];
    manifest: string;
}

describe.skipIf(skip !== undefined)("scenario 5: quarantine, destroy, quarantine again", () => {
    let w: IncidentWorld;
    let first: Evidence;
    const timed = async (name: string, run: () => Promise<RunResult>) => {
        const t0 = Date.now();
        const r = w.keep(name, await run());
        console.log(`requarantine.e2e: ${name} took ${((Date.now() - t0) / 1000).toFixed(1)} s (exit ${r.code})`);
        expect(r.code, text(r)).toBe(0);
    };
    const evidence = async (): Promise<Evidence> => {
        const o = (await w.project.outputs()).values as Record<string, any>;
        return { bucket: o.evidenceBucket, snapshots: [...o.snapshotNames].sort(), manifest: o.custodyManifestObject };
    };
    const expectKept = (e: Evidence) => {
        const snapshots = Object.values(w.gcp.compute.state.snapshots!).map((s) => s.name);
        for (const s of e.snapshots) expect(snapshots, s).toContain(s);
        expect(w.gcp.storage.state.buckets[e.bucket], e.bucket).toBeDefined();
        expect(w.gcp.storage.object(e.bucket, e.manifest), e.manifest).toBeDefined();
    };

    beforeAll(async () => {
        w = await startIncident();
    });
    afterAll(async () => w?.close());

    it("up, then destroy: the node is given back, the evidence stays", async () => {
        await timed("up-1", () => w.project.up({ timeoutMs: UP_TIMEOUT_MS }));
        expectCutOff(w);
        first = await evidence();
        expect(first.snapshots).toHaveLength(2);
        await timed("destroy-1", () => w.project.destroy({ timeoutMs: UP_TIMEOUT_MS }));
        expect(w.vm().tags.items).toEqual(["gke-prod-node"]);
        expectKept(first);
    });

    it("up again with the same incident id: it succeeds, cuts the node off, and the first run's evidence is beside the new", async () => {
        await timed("up-2", () => w.project.up({ timeoutMs: UP_TIMEOUT_MS }));
        expectCutOff(w);
        expect(w.vm().tags.items).toEqual(["gke-prod-node", "quarantine-42"]);
        expect((await getJson(w.cp, ["node", SAMPLE_NODE])).spec.unschedulable).toBe(true);
        expect((await getJson(w.cp, ["pod", "-n", "default", POD])).metadata.labels).toEqual({ quarantine: "true", "quarantine/incident": "42" });
        const second = await evidence();
        expect(second.bucket).not.toBe(first.bucket);
        expect(second.snapshots).toHaveLength(2);
        expect(second.snapshots.filter((s) => first.snapshots.includes(s))).toEqual([]);
        expectKept(first);
        expectKept(second);
        expect(Object.keys(w.gcp.storage.state.buckets).sort()).toEqual([first.bucket, second.bucket].sort());
        expect(Object.values(w.gcp.compute.state.snapshots!)).toHaveLength(4);
        expect(w.gcp.violations()).toEqual([]);
    });
});
