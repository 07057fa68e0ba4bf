import { describe, expect, it } from "vitest";
import { sampleCluster, SAMPLE_NODE, type FakeCluster } from "../../../tools/mockEngine/sampleCluster";
import { selfReferenceName } from "../../../stacks/incident/memory";
import { run } from "../../harness";

/**
 * The stack's memory when things went wrong between updates (issue #17.3): a node or VM an
 * earlier, failed update deleted; a level lowered below isolate after redeploy; a name that now
 * belongs to another pod.
 */

const at = (level: string) => ({ "quarantine:level": level, "quarantine:confirm": "incident-42" });
const withNode = (patch: Record<string, unknown>): FakeCluster => {
    const c = sampleCluster();
    return { ...c, nodes: c.nodes.map((n) => (n.name === SAMPLE_NODE ? { ...n, ...patch } : n)) };
};

describe("a node an earlier update deleted, whose memory is of the update before", () => {
    // The last good update was at isolate; the delete-node update then failed after deleting.
    const remembered = async () => (await run({ config: at("isolate") })).outputs;

    it("goes on when the VM is gone but its Node object is not: the re-run of delete-node works from memory", async () => {
        const plan = await run({ cluster: withNode({ vmGone: true }), config: at("delete-node"), previous: await remembered() });
        expect(plan.all(`/escalate/delete-node/${SAMPLE_NODE}`)).toHaveLength(1);
        expect(plan.result.warnings.join("\n")).toContain(`VM ${SAMPLE_NODE} is gone (an earlier update, perhaps one that failed, deleted it, or someone else did)`);
    });

    it("goes on when the Node object is gone too", async () => {
        const previous = await remembered();
        const c = sampleCluster();
        const plan = await run({ cluster: { ...c, nodes: c.nodes.filter((n) => n.name !== SAMPLE_NODE) }, config: at("delete-node"), previous });
        expect(plan.result.warnings.join("\n")).toContain(`Node ${SAMPLE_NODE} is gone`);
        expect(plan.outputs.nodes.map((n: { node: string }) => n.node)).toContain(SAMPLE_NODE);
    });

    it("still fails on a VM the stack has never seen", async () => {
        await expect(run({ cluster: withNode({ vmGone: true }) })).rejects.toThrow(/was not found/);
    });
});

describe("lowering the level below isolate after redeploy", () => {
    it("is refused while the VM the deleted pods ran on stands, naming the key and the VM", async () => {
        const first = await run({ config: at("redeploy") });
        const gone = { ...sampleCluster(), pods: [] };
        await expect(run({ cluster: gone, config: { "quarantine:level": "observe" }, previous: first.outputs })).rejects.toThrow(
            `quarantine:level observe would take the quarantine off VM ${SAMPLE_NODE}, where the pods an earlier update deleted may still run`,
        );
    });

    it("is allowed once delete-node deleted the VM", async () => {
        const first = await run({ config: at("delete-node") });
        const gone = { ...sampleCluster(), pods: [] };
        await expect(run({ cluster: gone, config: { "quarantine:level": "observe" }, previous: first.outputs })).resolves.toBeDefined();
    });
});

describe("a remembered pod's name taken by another pod", () => {
    const replaced = (): FakeCluster => {
        const c = sampleCluster();
        return { ...c, pods: c.pods.map((p, i) => (i === 0 ? { ...p, uid: "uid-clean-replacement" } : p)) };
    };

    it("is not isolated again when the level goes back up", async () => {
        const first = await run({ config: at("redeploy") });
        await run({ cluster: { ...sampleCluster(), pods: [] }, config: { "quarantine:level": "isolate" }, previous: first.outputs });
        const again = await run({ cluster: replaced(), config: at("delete-workload"), previous: first.outputs });
        expect(again.ofType("kubernetes:core/v1:PodPatch").map((p) => p.inputs.metadata.name)).not.toContain("compromised-pod");
        expect(again.all("/escalate/redeploy/default/compromised-pod")).toEqual([]);
    });

    it("says so in preview, and keeps its node quarantined", async () => {
        const first = await run({ config: at("isolate") });
        const again = await run({ cluster: replaced(), config: at("isolate"), previous: first.outputs });
        expect(again.result.warnings.join("\n")).toContain("quarantine:pods[0] default/compromised-pod is now another pod (uid uid-clean-replacement");
        expect(again.all(`/vm/${SAMPLE_NODE}/tag`).filter((r) => r.custom)).toHaveLength(1);
    });
});

describe("the memory's size", () => {
    const labelled = (): FakeCluster => {
        const c = sampleCluster();
        const labels = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`owner.example/label-${i}`, "x"]));
        return { ...c, pods: c.pods.map((p, i) => (i === 0 ? { ...p, labels: { ...p.labels, ...labels } } : p)) };
    };

    it("keeps none of a pod's labels, however many its owner set", async () => {
        const memory = JSON.stringify((await run({ cluster: labelled() })).outputs.memory);
        expect(memory).not.toContain("owner.example/label-");
    });

    it("keeps each pod once, not again under its node", async () => {
        const memory = JSON.stringify((await run()).outputs.memory);
        expect(memory.split('"compromised-pod"').length - 1).toBe(1);
    });

    it("still carries what a later update reads: the pod's ref, uid, node and owner", async () => {
        const [pod] = (await run()).outputs.memory.incident.pods;
        expect(pod).toMatchObject({ ref: { namespace: "default", name: "compromised-pod" }, uid: expect.any(String), nodeName: SAMPLE_NODE, owner: { kind: "ReplicaSet" } });
    });
});

describe("the stack reference to itself", () => {
    it("is the bare stack name on a DIY backend, the only form its legacy layout accepts (the project layout accepts it too)", () => {
        expect(selfReferenceName("organization", "quarantine", "incident-42")).toBe("incident-42");
    });

    it("is organization/project/stack on Pulumi Cloud, where a bare name means the user's default organization", () => {
        expect(selfReferenceName("acme-ir", "quarantine", "incident-42")).toBe("acme-ir/quarantine/incident-42");
    });
});
