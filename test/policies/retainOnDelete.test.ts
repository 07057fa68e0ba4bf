import { describe, expect, it } from "vitest";
import { COMMAND_TYPES, isEvidence } from "../../policies/lib/evidence";
import { LEVELS } from "../../core/levels";
import { scaledCluster } from "../../tools/mockEngine/sampleCluster";
import { run } from "../harness";

/**
 * What the pack cannot check: CrossGuard hands policies a resource's properties and a few options
 * (protect, deleteBeforeReplace, ignoreChanges…), but not `retainOnDelete`. So the stack's evidence
 * is checked here, on the program under the mock engine, at every level: every resource that holds
 * evidence (by the pack's own definition: snapshots, resources labelled `quarantine-evidence`)
 * stays through `pulumi destroy`. Capture commands hold nothing themselves: their artifacts are in
 * the (retained) bucket.
 */
describe.each(LEVELS)("at the %s level", (level) => {
    it("every resource that holds evidence has retainOnDelete", async () => {
        const plan = await run({ cluster: scaledCluster(4, 2), config: { "quarantine:level": level, "quarantine:confirm": "incident-42" } });
        const evidence = plan.resources.filter((r) => !r.read && !COMMAND_TYPES.includes(r.type) && isEvidence({ type: r.type, props: r.inputs }));
        // Two nodes, two disks each: four snapshots at least.
        expect(evidence.length).toBeGreaterThanOrEqual(4);
        for (const r of evidence) expect(r.retainOnDelete, `${r.name} is evidence but not retainOnDelete`).toBe(true);
    });
});
