import { scriptHeader } from "../../../core/stepHeader";
import { beforeAll, describe, expect, it } from "vitest";
import { SAMPLE_NODE } from "../../../tools/mockEngine/sampleCluster";
import { Plan, run } from "../../harness";

/** Order is a safety property: each rule here is a `dependsOn` in the program. */
describe.each([
    ["after-drain", {}],
    ["immediate", { "quarantine:nodeIsolation": "immediate" }],
])("node isolation %s", (mode, config) => {
    let plan: Plan;
    beforeAll(async () => {
        plan = await run({ config });
    });
    const node = (s: string) => plan.one(`/node/${SAMPLE_NODE}/${s}`);
    const vm = (s: string) => plan.one(`/vm/${SAMPLE_NODE}/${s}`);
    const cutOff = () => [vm("tag"), vm("remove-external-ip")];

    it("starts the snapshots once the run's random name part exists; only the custody manifest and the final verdict wait for them, never the isolation", () => {
        const snaps = plan.ofType("gcp:compute/snapshot:Snapshot");
        const [run] = plan.ofType("random:index/randomId:RandomId");
        for (const s of snaps) expect(s.dependencies).toEqual([run.urn]);
        const verdict = plan.one("/isolation/verdict");
        const waiting = plan.resources.filter((r) => r !== verdict && snaps.some((s) => plan.waits(r, s))).map((r) => r.type);
        expect(new Set(waiting)).toEqual(new Set(["gcp:storage/bucketObject:BucketObject"]));
        expect(plan.resources.filter((r) => plan.waits(r, verdict)), "nothing waits for the verdict").toEqual([]);
    });

    it("cuts the node off after its volatile-state capture (unless immediate), and after no other evidence", () => {
        const captures = plan.commands().filter((c) => /^# step: Capture evidence/.test(c.inputs.create));
        const volatile = captures.filter((c) => c.name.includes("/capture/volatile/"));
        expect(volatile).toHaveLength(mode === "immediate" ? 0 : 1);
        for (const step of cutOff()) {
            for (const c of captures) expect(plan.waits(step, c), `${step.name} after ${c.name}`).toBe(volatile.includes(c));
        }
    });

    it("cuts the pod off at once: its label and NetworkPolicy wait for nothing", () => {
        expect(plan.one("/pods/default/compromised-pod/label").dependencies).toEqual([]);
        expect(plan.one("/pods/default/deny-all").dependencies).toEqual([]);
    });

    it("drains only after the cordon and the pod's quarantine label", () => {
        expect(plan.waits(node("drain"), node("cordon"))).toBe(true);
        expect(plan.waits(node("drain"), plan.one("/pods/default/compromised-pod/label"))).toBe(true);
    });

    it("tags the VM and removes its IP only after the abandon, both deny rules, and the pod's isolation", () => {
        const denyRules = plan.ofType("gcp:compute/firewall:Firewall").filter((r) => Array.isArray(r.inputs.denies));
        expect(denyRules).toHaveLength(2);
        const prerequisites = [
            vm("abandon"),
            ...denyRules,
            plan.one("/pods/default/compromised-pod/label"),
            plan.one("/pods/default/deny-all"),
        ];
        for (const step of cutOff()) {
            for (const p of prerequisites) expect(plan.waits(step, p), `${step.name} after ${p.name}`).toBe(true);
        }
    });

    if (mode === "after-drain") {
        it("cuts the node off only after the drain, so its kubelet can still stop drained pods", () => {
            for (const step of cutOff()) expect(plan.waits(step, node("drain"))).toBe(true);
            expect(scriptHeader(node("drain").inputs.create).step).not.toContain("best effort");
        });
    } else {
        it("cuts the node off without waiting for the drain, which becomes best effort", () => {
            for (const step of cutOff()) expect(plan.waits(step, node("drain"))).toBe(false);
            expect(scriptHeader(node("drain").inputs.create).step).toContain("best effort");
            expect(plan.outputs.nodeIsolation).toBe("immediate");
        });
    }
});
