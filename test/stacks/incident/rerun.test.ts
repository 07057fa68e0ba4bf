import { describe, expect, it } from "vitest";
import { sampleCluster, SAMPLE_NODE, type FakeCluster } from "../../../tools/mockEngine/sampleCluster";
import { run } from "../../harness";

/**
 * A later update of a quarantined stack reads its VM after the cut-off: no external IP, deletion
 * protection on. What the quarantine changed must still be declared as first found, or the
 * engine deletes the IP removal (its delete gives the VM an external IP again) and destroy
 * leaves the protection on. Seen under the real engine (test/e2e/escalation.e2e.ts).
 */

const at = (level: string) => ({ "quarantine:level": level, "quarantine:confirm": "incident-42" });

/** The sample cluster as the first update left it: the VM tagged, without its IP, protected. */
function cutOff(): FakeCluster {
    const c = sampleCluster();
    return { ...c, nodes: c.nodes.map((n) => (n.name === SAMPLE_NODE ? { ...n, externalIp: undefined, deletionProtection: true, tags: ["gke-prod-node", "quarantine-42"] } : n)) };
}

describe.each(["isolate", "redeploy"])("the update after isolate, at %s, on the cut-off VM", (level) => {
    it("keeps the external IP's removal, with the address first found", async () => {
        const first = await run({ config: at("isolate") });
        const again = await run({ cluster: cutOff(), config: at(level), previous: first.outputs });
        expect(again.one(`/vm/${SAMPLE_NODE}/remove-external-ip`).inputs.environment).toMatchObject({ EXTERNAL_IP: "203.0.113.7" });
    });

    it("keeps the deletion protection as it was before the incident, for destroy to restore", async () => {
        const first = await run({ config: at("isolate") });
        const again = await run({ cluster: cutOff(), config: at(level), previous: first.outputs });
        expect(again.one(`/vm/${SAMPLE_NODE}/protect`).inputs.environment).toMatchObject({ WAS_PROTECTED: "false" });
    });
});
