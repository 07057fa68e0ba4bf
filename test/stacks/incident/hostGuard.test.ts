import { beforeAll, describe, expect, it } from "vitest";
import { scriptHeader } from "../../../core/stepHeader";
import { sampleCluster, SAMPLE_NODE, type FakeCluster } from "../../../tools/mockEngine/sampleCluster";
import { Plan, run } from "../../harness";

/** Issue #11, points 2 and 3: the node's metadata block and the pods' conntrack flush. */

const guard = (plan: Plan, step: string) => plan.resources.filter((r) => r.name.endsWith(`/guard/${SAMPLE_NODE}/${step}`));
const cutOff = (plan: Plan) => [plan.one(`/vm/${SAMPLE_NODE}/tag`), plan.one(`/vm/${SAMPLE_NODE}/remove-external-ip`)];

/** The sample cluster with only its compromised pod (a given cluster's pods are all quarantined), changed. */
function withCluster(change: (c: FakeCluster) => FakeCluster): FakeCluster {
    const c = sampleCluster();
    return change({ ...c, pods: c.pods.filter((p) => p.name === "compromised-pod") });
}

describe("the conntrack flush (Calico keeps established flows past a policy change)", () => {
    let plan: Plan;
    beforeAll(async () => {
        plan = await run({ cluster: withCluster((c) => ({ ...c, pods: c.pods.map((p) => ({ ...p, ip: "10.4.0.7" })) })) });
    });

    it("flushes the compromised pod's address on its node, on a cluster that is not on Dataplane V2", () => {
        const [flush] = guard(plan, "conntrack-flush");
        expect(flush.inputs.environment.IPS).toBe("10.4.0.7");
        expect(flush.inputs.environment.NODE).toBe(SAMPLE_NODE);
        expect(scriptHeader(flush.inputs.create).kind).toBe("isolation");
    });

    it("flushes only once the pod's deny-all and label exist: before them, the flows would just be re-admitted", () => {
        const [flush] = guard(plan, "conntrack-flush");
        expect(plan.waits(flush, plan.one("/pods/default/deny-all"))).toBe(true);
        expect(plan.waits(flush, plan.one("/pods/default/compromised-pod/label"))).toBe(true);
    });

    it("flushes only after the volatile capture, which lists the connection-tracking table it changes", () => {
        const [flush] = guard(plan, "conntrack-flush");
        expect(plan.waits(flush, plan.one(`/capture/volatile/${SAMPLE_NODE}`))).toBe(true);
    });

    it("cuts the node off only after the flush, which needs the node to still reach the API server", () => {
        const [flush] = guard(plan, "conntrack-flush");
        for (const step of cutOff(plan)) expect(plan.waits(step, flush), step.name).toBe(true);
    });

    it("runs the flush in the host's network namespace from the capture image, pinned to the node", () => {
        const [flush] = guard(plan, "conntrack-flush");
        const pod = JSON.parse(flush.inputs.environment.OVERRIDES);
        expect(pod.spec).toMatchObject({ nodeName: SAMPLE_NODE, hostNetwork: true });
        expect(pod.spec.containers[0].command.slice(0, 2)).toEqual(["/bin/sh", "-c"]);
        expect(pod.spec.containers[0].env).toEqual([{ name: "IPS", value: "10.4.0.7" }]);
        expect(pod.metadata.labels).toMatchObject({ quarantine: "true", "quarantine/guard": "42" });
    });

    it("reports what the guard did per node in the outputs", () => {
        expect(Object.keys(plan.outputs.hostGuard)).toEqual([SAMPLE_NODE]);
    });
});

describe("no conntrack flush", () => {
    it("on Dataplane V2, which judges every packet against the policy in force", async () => {
        const plan = await run({ cluster: withCluster((c) => ({ ...c, clusters: c.clusters.map((k) => ({ ...k, datapathProvider: "ADVANCED_DATAPATH" })) })) });
        expect(guard(plan, "conntrack-flush")).toEqual([]);
    });

    it("for a hostNetwork pod, whose address is the node's own (flushing it would cut the kubelet's flows)", async () => {
        const plan = await run({ cluster: withCluster((c) => ({ ...c, pods: c.pods.map((p) => ({ ...p, spec: { hostNetwork: true } })) })) });
        expect(guard(plan, "conntrack-flush")).toEqual([]);
    });

    it("at observe, which isolates nothing", async () => {
        const plan = await run({ config: { "quarantine:level": "observe", "quarantine:node": '{"blockMetadata":true}' } });
        expect(plan.resources.filter((r) => r.name.includes("/guard/"))).toEqual([]);
    });
});

describe("quarantine:node.blockMetadata", () => {
    let plan: Plan;
    beforeAll(async () => {
        plan = await run({ config: { "quarantine:node": '{"blockMetadata":true}' } });
    });

    it("is off by default: no host rule is declared", async () => {
        expect(guard(await run(), "metadata-block")).toEqual([]);
    });

    it("installs the host rule through a guard pod on the node, marked with the incident, and keeps its record in state for the undo", () => {
        const [block] = guard(plan, "metadata-block");
        expect(block.inputs.environment.MARK).toBe("quarantine-42");
        expect(block.inputs.addPreviousOutputInEnv).toBe(true);
        for (const key of ["OVERRIDES", "UNDO_OVERRIDES"]) {
            const pod = JSON.parse(block.inputs.environment[key]);
            expect(pod.spec).toMatchObject({ nodeName: SAMPLE_NODE, hostNetwork: true, hostPID: true });
            expect(pod.spec.containers[0].command.slice(0, 2)).toEqual(["chroot", "/host"]);
            expect(pod.spec.containers[0].env).toEqual([{ name: "MARK", value: "quarantine-42" }]);
        }
    });

    it("blocks before the cut-off, after which no pod could reach the node", () => {
        const [block] = guard(plan, "metadata-block");
        for (const step of cutOff(plan)) expect(plan.waits(step, block), step.name).toBe(true);
    });

    it("waits for nothing itself: it needs no evidence, no bucket and no pod isolation", () => {
        const [block] = guard(plan, "metadata-block");
        expect(block.dependencies).toEqual([]);
    });
});

describe("nodeIsolation immediate", () => {
    it("cuts the node off without waiting for the guard, which runs beside it", async () => {
        const plan = await run({ config: { "quarantine:nodeIsolation": "immediate", "quarantine:node": '{"blockMetadata":true}' } });
        const steps = [...guard(plan, "metadata-block"), ...guard(plan, "conntrack-flush")];
        expect(steps).toHaveLength(2);
        for (const step of cutOff(plan)) for (const g of steps) expect(plan.waits(step, g), `${step.name} after ${g.name}`).toBe(false);
    });
});
