import { describe, expect, it } from "vitest";
import { sampleCluster, type FakeCluster, type FakePod } from "../../../tools/mockEngine/sampleCluster";
import { sampleScenario } from "../../../tools/mockEngine/scenario";
import type { Level } from "../../../core/levels";
import { run } from "../../harness";

/** Workloads whose stopping reaches past the incident: DaemonSets and kube-system (issue #11.8). */

const withPod = (pod: FakePod): FakeCluster => ({ ...sampleCluster(), pods: [pod] });
const base = sampleCluster().pods[0];
const daemonPod: FakePod = { ...base, namespace: "kube-system", name: "fluentbit-x7k2p", owner: { kind: "DaemonSet", name: "fluentbit" } };
const systemPod: FakePod = { ...base, namespace: "kube-system", name: "dns-autoscaler-5d9f-abcde", owner: { kind: "ReplicaSet", name: "dns-autoscaler-5d9f" } };
const systemCluster: FakeCluster = {
    ...withPod(systemPod),
    owned: [{ namespace: "kube-system", kind: "ReplicaSet", name: "dns-autoscaler-5d9f", owner: { kind: "Deployment", name: "dns-autoscaler" } }],
};

async function at(level: Level, cluster: FakeCluster, config: Record<string, string> = {}) {
    const s = sampleScenario({ cluster, pods: cluster.pods, level, config: { "quarantine:workloadAction": "delete", ...config } });
    return run({ cluster, rawConfig: s.config });
}

describe("stopping a workload that reaches past the incident", () => {
    it("is refused for a DaemonSet, naming the key that acknowledges it", async () => {
        await expect(at("delete-workload", withPod(daemonPod))).rejects.toThrow(
            "quarantine:level delete-workload would stop DaemonSet kube-system/fluentbit, and a DaemonSet runs on every node: stopping it stops it on all of them; " +
                "to do it anyway: pulumi config set --path 'quarantine:confirmClusterWide[0]' daemonset/kube-system/fluentbit",
        );
    });

    it("is refused for a Deployment in kube-system", async () => {
        await expect(at("delete-workload", systemCluster)).rejects.toThrow("would stop Deployment kube-system/dns-autoscaler, and kube-system runs the cluster's own services");
    });

    it("is refused at delete-node too, which stops the workload as well", async () => {
        await expect(at("delete-node", withPod(daemonPod))).rejects.toThrow("would stop DaemonSet kube-system/fluentbit");
    });

    it("goes ahead when quarantine:confirmClusterWide names the workload", async () => {
        const plan = await at("delete-workload", withPod(daemonPod), { "quarantine:confirmClusterWide": '["daemonset/kube-system/fluentbit"]' });
        expect(plan.commands().some((c) => c.inputs.environment?.KIND === "daemonset" && c.inputs.environment?.NAME === "fluentbit")).toBe(true);
    });

    it("is still refused when quarantine:confirmClusterWide names another workload", async () => {
        await expect(at("delete-workload", withPod(daemonPod), { "quarantine:confirmClusterWide": '["daemonset/kube-system/other"]' })).rejects.toThrow(
            "would stop DaemonSet kube-system/fluentbit",
        );
    });

    it("is not in question at redeploy, which deletes the pod only", async () => {
        await expect(at("redeploy", withPod(daemonPod))).resolves.toBeDefined();
    });
});

describe("isolating a DaemonSet or kube-system pod", () => {
    it("warns that detaching a DaemonSet pod's labels orphans it and a replacement starts on the same node", async () => {
        const plan = await at("isolate", withPod(daemonPod));
        expect(plan.result.warnings.join("\n")).toContain(
            "quarantine:pods[0] kube-system/fluentbit-x7k2p belongs to DaemonSet fluentbit: detaching its labels orphans it, and the DaemonSet starts a replacement on the same, cordoned node",
        );
    });

    it("warns that a kube-system pod may be part of the node's machinery", async () => {
        const plan = await at("isolate", withPod(daemonPod));
        expect(plan.result.warnings.join("\n")).toContain("quarantine:pods[0] kube-system/fluentbit-x7k2p is in kube-system");
    });
});
