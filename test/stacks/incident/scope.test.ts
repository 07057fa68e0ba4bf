import { describe, expect, it } from "vitest";
import { sampleCluster, scaledCluster, SAMPLE_NODE } from "../../../tools/mockEngine/sampleCluster";
import { sampleScenario } from "../../../tools/mockEngine/scenario";
import { run } from "../../harness";

describe("observe", () => {
    it("declares evidence only: snapshots, the evidence bucket, captures and the manifest (and their names' random part); nothing disruptive", async () => {
        const plan = await run({ config: { "quarantine:level": "observe" } });
        const declared = new Set(plan.resources.filter((r) => r.custom && !r.read).map((r) => r.type));
        expect(declared).toEqual(
            new Set([
                "gcp:compute/snapshot:Snapshot",
                "gcp:storage/bucket:Bucket",
                "gcp:storage/bucketObject:BucketObject",
                "command:local:Command",
                "random:index/randomId:RandomId",
            ]),
        );
        for (const c of plan.commands()) expect(c.inputs.create, c.name).toMatch(/^# step: Capture evidence/);
        expect(plan.outputs.oneWayActions).toEqual([]);
        expect(plan.outputs.level).toBe("observe");
    });
});

describe("two incidents", () => {
    const physicalNames = (r: Awaited<ReturnType<typeof run>>) =>
        r.resources
            .filter((x) => !x.read && x.custom)
            .map((x) => x.inputs.name ?? x.inputs.metadata?.name ?? x.inputs.environment?.TAG)
            .filter((n) => n !== undefined && !n.startsWith("gke-") && n !== "compromised-pod");

    it("never collide: every name, tag and field manager derives from the incident id", async () => {
        const a = await run({ stack: "incident-42" });
        const b = await run({ stack: "incident-43" });
        const na = physicalNames(a);
        const nb = physicalNames(b);
        expect(na.length).toBeGreaterThan(8);
        expect(na.filter((n) => nb.includes(n))).toEqual([]);
        expect(a.outputs.isolationTag).not.toBe(b.outputs.isolationTag);
        const managers = (p: typeof a) =>
            p.resources.map((r) => r.inputs.metadata?.annotations?.["pulumi.com/patchFieldManager"]).filter(Boolean);
        expect(new Set(managers(a))).toEqual(new Set(["quarantine-42"]));
        expect(new Set(managers(b))).toEqual(new Set(["quarantine-43"]));
    });

    it("takes the incident id from quarantine:incident when the stack is not incident-<id>", async () => {
        const plan = await run({ stack: "dev", config: { "quarantine:incident": "7" } });
        expect(plan.outputs.incidentId).toBe("7");
        expect(plan.outputs.isolationTag).toBe("quarantine-7");
    });
});

describe("several pods over several nodes", () => {
    it("handles each node and each disk once, and drains a node only after all its pods are labelled", async () => {
        const cluster = scaledCluster(10, 3);
        const plan = await run({ cluster });
        expect(plan.ofType("kubernetes:core/v1:PodPatch")).toHaveLength(10);
        expect(plan.ofType("kubernetes:core/v1:NodePatch")).toHaveLength(3);
        expect(plan.all("/tag")).toHaveLength(3);
        expect(plan.ofType("gcp:compute/snapshot:Snapshot")).toHaveLength(6);
        expect(plan.ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy").map((n) => n.inputs.metadata.namespace).sort()).toEqual([
            "default",
            "payments",
        ]);
        // One network, one subnetwork: one set of rules and one bastion for the whole incident.
        expect(plan.ofType("gcp:compute/firewall:Firewall")).toHaveLength(4);
        expect(plan.ofType("gcp:compute/instance:Instance")).toHaveLength(1);
        for (const node of cluster.nodes) {
            const drain = plan.one(`/node/${node.name}/drain`);
            for (const pod of cluster.pods) {
                const label = plan.one(`/pods/${pod.namespace}/${pod.name}/label`);
                expect(plan.waits(drain, label), `${node.name} drain vs ${pod.name}`).toBe(pod.node === node.name);
            }
        }
    });

    it("reads a node shared by two pods once", async () => {
        const cluster = scaledCluster(2, 1);
        const plan = await run({ cluster });
        expect(plan.resources.filter((r) => r.read && r.type === "kubernetes:core/v1:Node")).toHaveLength(1);
        expect(plan.outputs.nodes).toHaveLength(1);
    });
});

describe("names", () => {
    it("stay valid GCE names of at most 63 characters for the longest node and disk names", async () => {
        const long = `gke-${"a".repeat(40)}-pool-1-abcdeffff-zgt8`.slice(0, 63);
        const base = sampleCluster();
        const cluster = {
            ...base,
            pods: [{ ...base.pods[0], node: long }],
            nodes: [{ ...base.nodes[0], name: long, disks: [long, `${long.slice(0, 58)}-data`] }],
        };
        const plan = await run({ cluster, stack: "incident-2026-11-25-abcdef" });
        const gceNames = plan.resources
            .filter((r) => r.type.startsWith("gcp:compute/") && !r.read)
            .flatMap((r) => [r.inputs.name, ...(r.inputs.targetTags ?? []), ...(r.inputs.tags ?? [])]);
        expect(gceNames.length).toBeGreaterThan(8);
        for (const n of gceNames) expect(n).toMatch(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/);
        const [bucket] = plan.ofType("gcp:storage/bucket:Bucket");
        expect(bucket.inputs.name).toMatch(/^[a-z0-9][-a-z0-9_.]{1,61}[a-z0-9]$/);
    });
});

describe("preview", () => {
    it("shows the same quarantine as the update, because discovery reads resolve during preview", async () => {
        const up = await run();
        const preview = await run({ preview: true });
        expect(preview.resources.map((r) => r.urn)).toEqual(up.resources.map((r) => r.urn));
        expect(preview.one(`/vm/${SAMPLE_NODE}/tag`).inputs).toEqual(up.one(`/vm/${SAMPLE_NODE}/tag`).inputs);
    });

    it("says when NetworkPolicy enforcement was not verified", async () => {
        const cluster = sampleCluster();
        const plan = await run({ cluster, rawConfig: sampleScenario({ cluster, pods: [cluster.pods[0]], verifyCluster: false }).config, preview: true });
        expect(plan.outputs.networkPolicyEnforcement).toBe(
            "not verified: set quarantine:cluster.name and quarantine:cluster.location",
        );
        expect(plan.result.warnings.join("\n")).toContain("NetworkPolicy enforcement was not verified");
    });
});

describe("a node named directly (quarantine:nodes)", () => {
    it("is quarantined with no pod named: snapshots, cordon, drain, cut-off, and no pod-level step", async () => {
        const plan = await run({ rawConfig: sampleScenario({ pods: [], config: { "quarantine:nodes": JSON.stringify([SAMPLE_NODE]) } }).config });
        expect(plan.ofType("kubernetes:core/v1:PodPatch")).toEqual([]);
        expect(plan.ofType("gcp:compute/snapshot:Snapshot")).toHaveLength(2);
        for (const step of ["/cordon", "/drain", "/tag", "/remove-external-ip"]) expect(plan.all(step).filter((r) => r.custom), step).toHaveLength(1);
    });

    it("is read once when a named pod runs on it too", async () => {
        const plan = await run({ config: { "quarantine:nodes": JSON.stringify([SAMPLE_NODE]) } });
        expect(plan.resources.filter((r) => r.read && r.type === "kubernetes:core/v1:Node")).toHaveLength(1);
        expect(plan.all("/tag").filter((r) => r.custom)).toHaveLength(1);
    });
});

describe("a pod gone since the previous update (deleted by the attacker)", () => {
    it("does not stop the quarantine: its node's quarantine goes on from the stack's memory", async () => {
        const first = await run();
        const cluster = sampleCluster();
        const gone = { ...cluster, pods: cluster.pods.filter((p) => p.name !== "compromised-pod") };
        const second = await run({ cluster: gone, rawConfig: sampleScenario({ cluster: gone, pods: [cluster.pods[0]] }).config, previous: first.outputs });
        expect(second.all("/tag").filter((r) => r.custom)).toHaveLength(1);
        expect(second.resources.filter((r) => r.read && r.type === "kubernetes:core/v1:Pod")).toEqual([]);
    });
});
