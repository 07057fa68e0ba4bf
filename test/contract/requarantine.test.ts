import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunResult } from "../../tools/mockEngine/engine";
import { SAMPLE_NODE, sampleCluster, type FakeCluster } from "../../tools/mockEngine/sampleCluster";
import { Fakes } from "../fakes/tools";
import { Quarantine } from "./runner";
import { CONTEXT, planFor } from "./scenario";

/**
 * The same incident quarantined, destroyed and quarantined again (issue #10.6): destroy keeps the
 * snapshots and the bucket, so the second run must not ask for their names again (Compute and
 * Cloud Storage answer 409, as the mock engine does: test/tools/mockEngine/mocks.test.ts), and
 * its containment must hold as the first one's did.
 */

const ZONE = "us-central1-a";
const SECOND_RUN = "00c0ffee";
let first: RunResult;
let kept: FakeCluster;
let fakes: Fakes;
afterAll(async () => fakes?.close());

const evidenceNames = (r: RunResult) => ({
    snapshots: r.resources.filter((x) => x.type === "gcp:compute/snapshot:Snapshot").map((x) => x.inputs.name as string),
    bucket: r.outputs.evidenceBucket as string,
});

beforeAll(async () => {
    first = await planFor("isolate");
    const left = evidenceNames(first);
    kept = { ...sampleCluster(), snapshots: left.snapshots, buckets: [left.bucket] };
    fakes = await Fakes.start(sampleCluster(), CONTEXT);
});

describe("a quarantine run again after a destroy", () => {
    it("names its snapshots and bucket apart from the kept evidence", async () => {
        const second = evidenceNames(await planFor("isolate", { ...kept, runHex: SECOND_RUN }));
        const left = evidenceNames(first);
        expect(second.snapshots.filter((n) => left.snapshots.includes(n))).toEqual([]);
        expect(second.bucket).not.toBe(left.bucket);
    });

    it("cuts the node off again: the VM is tagged and has no external IP", async () => {
        const second = await planFor("isolate", { ...kept, runHex: SECOND_RUN });
        const q1 = new Quarantine(first, fakes);
        await q1.create();
        await q1.destroy();
        expect(fakes.compute.instance(ZONE, SAMPLE_NODE)!.tags.items).not.toContain("quarantine-42");
        await new Quarantine(second, fakes).create();
        const vm = fakes.compute.instance(ZONE, SAMPLE_NODE)!;
        expect(vm.tags.items).toContain("quarantine-42");
        expect(vm.nic.accessConfigs).toEqual([]);
        expect(fakes.violations()).toEqual([]);
    }, 180_000);
});
