import { describe, expect, it } from "vitest";
import { sampleCluster, SAMPLE_NODE, type FakeCluster, type FakePod } from "../../../tools/mockEngine/sampleCluster";
import { scriptHeader } from "../../../core/stepHeader";
import type { Recorded } from "../../../tools/mockEngine/engine";
import { run } from "../../harness";

/** The kind and script file a command declares in its header. */
const declared = (r: Recorded) => {
    const h = scriptHeader(r.inputs.create);
    return { kind: h.kind, script: h.script };
};

const confirm = { "quarantine:confirm": "incident-42" };
const at = (level: string, extra: Record<string, string> = {}) => ({ "quarantine:level": level, ...confirm, ...extra });

function withPod(patch: Partial<FakePod>, owned: FakeCluster["owned"] = []): FakeCluster {
    const c = sampleCluster();
    return { ...c, pods: [{ ...c.pods[0], ...patch }], owned };
}

describe("redeploy", () => {
    it("deletes each pod with a 10 s grace period, after every snapshot and capture, keeping the isolation", async () => {
        const plan = await run({ config: at("redeploy") });
        const del = plan.one("/escalate/redeploy/default/compromised-pod");
        // The 10 s grace period, for real: test/contract/escalation.test.ts.
        expect(declared(del)).toEqual({ kind: "destructive", script: "redeploy" });
        expect(del.inputs.environment).toMatchObject({ NAMESPACE: "default", POD: "compromised-pod" });
        const evidence = [
            ...plan.ofType("gcp:compute/snapshot:Snapshot"),
            ...plan.commands().filter((c) => /^# step: Capture evidence/.test(c.inputs.create)),
            ...plan.ofType("gcp:storage/bucketObject:BucketObject"),
        ];
        expect(evidence.length).toBe(6);
        for (const e of evidence) expect(plan.waits(del, e), `after ${e.name}`).toBe(true);
        expect(plan.ofType("kubernetes:core/v1:PodPatch")).toHaveLength(1);
        expect(plan.outputs.oneWayActions).toContain("deleted pod default/compromised-pod");
        expect(del.inputs.delete).toMatch(/^# step: .*\n# destroy: one-way: the pod stays deleted/);
    });
});

describe("delete-workload: the owner is found by following owner references", () => {
    it.each<[string, FakeCluster, string | undefined]>([
        [
            "Pod → ReplicaSet → Deployment",
            withPod({ owner: { kind: "ReplicaSet", name: "web-5d9f" } }, [
                { namespace: "default", kind: "ReplicaSet", name: "web-5d9f", owner: { kind: "Deployment", name: "web" } },
            ]),
            "deployment/web",
        ],
        ["a ReplicaSet without a Deployment", withPod({ owner: { kind: "ReplicaSet", name: "rs" } }, [{ namespace: "default", kind: "ReplicaSet", name: "rs" }]), "replicaset/rs"],
        ["a StatefulSet", withPod({ owner: { kind: "StatefulSet", name: "db" } }), "statefulset/db"],
        [
            "Pod → Job → CronJob",
            withPod({ owner: { kind: "Job", name: "nightly-29" } }, [
                { namespace: "default", kind: "Job", name: "nightly-29", owner: { kind: "CronJob", name: "nightly" } },
            ]),
            "cronjob/nightly",
        ],
        ["a pod whose annotations claim an owner (attacker-writable, never read)", withPod({ owner: undefined, annotations: { "quarantine/detached-owner": "StatefulSet/db" } }), undefined],
        ["a bare pod (it owns itself: redeploy deletes it)", withPod({ owner: undefined }), undefined],
    ])("%s", async (_what, cluster, want) => {
        const plan = await run({ cluster, config: at("delete-workload") });
        const steps = plan.all("").filter((r) => r.name.includes("/escalate/workload/"));
        expect(steps.map((s) => s.name.split("/escalate/workload/default/")[1])).toEqual(want ? [want] : []);
        expect(plan.all("/escalate/redeploy/default/compromised-pod")).toHaveLength(1);
    });

    it("a pod detached by an earlier isolate keeps the owner the stack found then (from state, not from the pod)", async () => {
        const first = await run({ cluster: withPod({ owner: { kind: "StatefulSet", name: "db" } }) });
        // After the detach, the StatefulSet has released the pod: no owner reference is left.
        const second = await run({ cluster: withPod({ owner: undefined }), config: at("delete-workload"), previous: first.outputs });
        expect(second.all("").filter((r) => r.name.includes("/escalate/workload/")).map((r) => r.name.split("/escalate/workload/default/")[1])).toEqual(["statefulset/db"]);
    });

    it("scales to zero by default and restores the recorded replica count on destroy", async () => {
        const plan = await run({ config: at("delete-workload") });
        const w = plan.one("/escalate/workload/default/deployment/web");
        expect(w.inputs.environment).toMatchObject({ KIND: "deployment", NAME: "web", NAMESPACE: "default" });
        // Scaled to zero and restored on destroy, for real: test/contract/levels.test.ts.
        expect(declared(w)).toEqual({ kind: "destructive", script: "scale-to-zero" });
        expect(plan.waits(w, plan.one("/escalate/redeploy/default/compromised-pod"))).toBe(true);
        expect(plan.outputs.oneWayActions).not.toContain("deleted Deployment default/web");
    });

    it("suspends a CronJob instead, and resumes it to its recorded state on destroy", async () => {
        const cluster = withPod({ owner: { kind: "Job", name: "j" } }, [{ namespace: "default", kind: "Job", name: "j", owner: { kind: "CronJob", name: "c" } }]);
        const w = (await run({ cluster, config: at("delete-workload") })).one("/escalate/workload/default/cronjob/c");
        // Suspended and resumed on destroy, for real: test/contract/escalation.test.ts.
        expect(declared(w)).toEqual({ kind: "destructive", script: "suspend" });
    });

    it("deletes the workload when asked, and says that is one-way", async () => {
        const plan = await run({ config: at("delete-workload", { "quarantine:workloadAction": "delete" }) });
        const w = plan.one("/escalate/workload/default/deployment/web");
        // Deleted for real, and not brought back: test/contract/escalation.test.ts.
        expect(declared(w)).toEqual({ kind: "destructive", script: "delete-workload" });
        expect(plan.outputs.oneWayActions).toContain("deleted Deployment default/web");
    });

    it("refuses to scale a DaemonSet to zero, naming the key to change", async () => {
        const cluster = withPod({ owner: { kind: "DaemonSet", name: "agent" } });
        await expect(run({ cluster, config: at("delete-workload") })).rejects.toThrow(
            'quarantine:workloadAction "scale-to-zero" can\'t stop DaemonSet default/agent (it has no replica count); e.g. pulumi config set quarantine:workloadAction delete',
        );
    });
});

describe("delete-node", () => {
    it("deletes the VM after the node's quarantine and all evidence, then its Node object", async () => {
        const plan = await run({ config: at("delete-node") });
        const vm = plan.one(`/escalate/delete-vm/${SAMPLE_NODE}`);
        const node = plan.one(`/escalate/delete-node/${SAMPLE_NODE}`);
        // The VM deleted, for real: test/contract/levels.test.ts (delete-node).
        expect(declared(vm)).toEqual({ kind: "destructive", script: "delete-vm" });
        expect(vm.inputs.create.indexOf("--no-deletion-protection")).toBeLessThan(vm.inputs.create.indexOf("instances delete"));
        for (const before of [`/vm/${SAMPLE_NODE}/tag`, `/node/${SAMPLE_NODE}/drain`, "/custody/manifest", `/escalate/workload/default/deployment/web`]) {
            expect(plan.waits(vm, plan.one(before)), before).toBe(true);
        }
        expect(plan.waits(node, vm)).toBe(true);
        expect(plan.outputs.oneWayActions).toContain(`deleted VM ${SAMPLE_NODE} and its Node object`);
    });
});

describe("after a one-way step", () => {
    it("a later update works from what the earlier one found, without reading the deleted pod", async () => {
        const first = await run({ config: at("redeploy") });
        const gone = { ...sampleCluster(), pods: [] };
        const second = await run({ cluster: gone, config: at("delete-workload"), previous: first.outputs });
        expect(second.resources.filter((r) => r.read && r.type === "kubernetes:core/v1:Pod")).toEqual([]);
        expect(second.all("/escalate/workload/default/deployment/web")).toHaveLength(1);
        expect(second.outputs.nodes[0].node).toBe(SAMPLE_NODE);
    });

    it("lowering the level says what stays gone instead of pretending to restore it", async () => {
        const first = await run({ config: at("redeploy") });
        const gone = { ...sampleCluster(), pods: [] };
        const lower = await run({ cluster: gone, config: { "quarantine:level": "isolate" }, previous: first.outputs });
        expect(lower.outputs.stillGone).toEqual(["deleted pod default/compromised-pod"]);
        expect(lower.result.warnings.join("\n")).toContain(
            "Lowering quarantine:level from redeploy to isolate does not bring anything back. Still gone: deleted pod default/compromised-pod",
        );
        expect(lower.all("/escalate/redeploy/default/compromised-pod")).toEqual([]);
    });
});

describe("a VM another incident also quarantines", () => {
    const shared = () => {
        const c = sampleCluster();
        return { ...c, nodes: [{ ...c.nodes[0], tags: ["gke-prod-node", "quarantine-42", "quarantine-43", "quarantine-43-bastion"] }] };
    };

    it("is not deleted by delete-node: the refusal names the other incident", async () => {
        await expect(run({ cluster: shared(), config: at("delete-node") })).rejects.toThrow(
            `quarantine:level delete-node would delete VM ${SAMPLE_NODE}, which incident 43 still quarantines (tag quarantine-43): release that incident first (pulumi destroy on its stack), or stay at quarantine:level delete-workload`,
        );
    });

    it("is quarantined at isolate, and preview says the other incident holds it too", async () => {
        const plan = await run({ cluster: shared() });
        expect(plan.all("/tag").filter((r) => r.custom)).toHaveLength(1);
        expect(plan.result.warnings.join("\n")).toContain(`VM ${SAMPLE_NODE} is also quarantined by incident 43`);
    });
});
