import { describe, expect, it } from "vitest";
import { exposureFindings, exposureOf, refuseOtherCluster } from "../../../stacks/incident/nodeExposure";
import { sampleCluster, SAMPLE_NODE, type FakeCluster, type FakeNode } from "../../../tools/mockEngine/sampleCluster";
import { sampleScenario } from "../../../tools/mockEngine/scenario";
import { run } from "../../harness";

/**
 * What the node keeps or loses whatever the cut-off does (issue #11): the wrong cluster is
 * refused, the node's service account is reported, local SSDs are reported and listed as lost at
 * delete-node.
 */

const withNode = (patch: Partial<FakeNode>): FakeCluster => {
    const c = sampleCluster();
    return { ...c, nodes: c.nodes.map((n) => (n.name === SAMPLE_NODE ? { ...n, ...patch } : n)) };
};
const DEFAULT_SA = "123456789-compute@developer.gserviceaccount.com";
const CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform";

describe("the cluster the node belongs to", () => {
    it("refuses a node whose VM says it belongs to another cluster than quarantine:cluster, naming both", async () => {
        const cluster = withNode({ gkeCluster: { name: "staging", location: "europe-west1" } });
        await expect(run({ cluster })).rejects.toThrow(
            `node ${SAMPLE_NODE} belongs to GKE cluster staging in europe-west1 (its VM's cluster-name metadata), but quarantine:cluster names prod in us-central1`,
        );
    });

    it("declares nothing when it refuses", async () => {
        const cluster = withNode({ gkeCluster: { name: "prod", location: "us-central1-a" } });
        const recorded = await run({ cluster }).then(
            () => [],
            (e: { recorded?: { read: boolean }[] }) => e.recorded ?? [],
        );
        expect(recorded.filter((r) => !r.read)).toEqual([]);
    });

    it("accepts a node of the named cluster", async () => {
        await expect(run()).resolves.toBeDefined();
    });

    it("has nothing to compare when quarantine:cluster is not named", () => {
        expect(() => refuseOtherCluster(undefined, "n", { cluster: { name: "x", location: "y" }, localSsds: [] })).not.toThrow();
    });
});

describe("the node's service account", () => {
    it("is reported: the metadata server answers whatever the firewall does", async () => {
        const plan = await run();
        expect(plan.outputs.nodeFindings).toEqual([
            `${SAMPLE_NODE}: service account gke-nodes@acme-prod.iam.gserviceaccount.com with the cloud-platform scope: a process on the node can still get its tokens from the metadata server, which no firewall rule blocks; quarantine:node.blockMetadata: true drops the host's traffic to it`,
        ]);
    });

    it("says that quarantine:node.blockMetadata drops the host's traffic to it, and that root on the node can undo that", () => {
        const [line] = exposureFindings("n", exposureOf({ metadata: {}, serviceAccounts: [{ email: DEFAULT_SA, scopes: [CLOUD_PLATFORM] }] }), true);
        expect(line).toContain("quarantine:node.blockMetadata drops the host's traffic to it before the cut-off (root on the node can undo that)");
    });

    it("is called out when it is the default Compute Engine account with the cloud-platform scope", () => {
        const [line] = exposureFindings("n", exposureOf({ metadata: {}, serviceAccounts: [{ email: DEFAULT_SA, scopes: [CLOUD_PLATFORM] }] }));
        expect(line).toContain("the default Compute Engine account, often Editor on the project");
    });

    it("lists narrower scopes as they are", () => {
        const scopes = ["https://www.googleapis.com/auth/logging.write"];
        const [line] = exposureFindings("n", exposureOf({ metadata: {}, serviceAccounts: [{ email: DEFAULT_SA, scopes }] }));
        expect(line).toContain(`with scopes ${scopes[0]}`);
        expect(line).not.toContain("default Compute Engine account");
    });
});

describe("a private node (issue #11.3)", () => {
    it("is reported: it has no external IP for the cut-off to remove, so the host's established connections through Cloud NAT stay open", async () => {
        const plan = await run({ cluster: withNode({ externalIp: undefined }) });
        expect(plan.outputs.nodeFindings).toContain(
            `${SAMPLE_NODE}: no external IP to remove (a private node egresses through Cloud NAT, if its network has one): the deny rules stop new connections, but connections the host already has stay open until they end; the pods' flows end at their deny-all (and conntrack flush); only quarantine:level delete-node ends the host's for certain`,
        );
    });

    it("is not reported for a node with an external IP: removing it breaks the outside connections", async () => {
        const plan = await run();
        expect(plan.outputs.nodeFindings.join("\n")).not.toContain("no external IP");
    });
});

describe("local SSDs", () => {
    const cluster = withNode({ localSsds: ["local-ssd-0"] });

    it("are reported in preview: they can't be snapshotted", async () => {
        const plan = await run({ cluster });
        expect(plan.outputs.nodeFindings).toContain(
            `${SAMPLE_NODE}: local SSD local-ssd-0 can't be snapshotted; its contents are lost when the VM is deleted (the volatile capture lists its files)`,
        );
        expect(plan.ofType("gcp:compute/snapshot:Snapshot").map((s) => s.inputs.sourceDisk).join(" ")).not.toContain("local-ssd");
    });

    it("are listed among what delete-node does not undo", async () => {
        const s = sampleScenario({ cluster, level: "delete-node" });
        const plan = await run({ cluster, rawConfig: s.config });
        expect(plan.outputs.oneWayActions).toContain(`lost local SSD local-ssd-0 of ${SAMPLE_NODE} with its VM (local SSDs can't be snapshotted)`);
    });

    it("are not a one-way action below delete-node", async () => {
        const plan = await run({ cluster });
        expect(plan.outputs.oneWayActions.join("\n")).not.toContain("local SSD");
    });
});

describe("every interface and IPv6 (issue #11.4)", () => {
    it("declares ::/0 deny rules where the node is dual-stack, and cuts it off only after them", async () => {
        const plan = await run({ cluster: withNode({ stackType: "IPV4_IPV6" }) });
        const v6 = plan.ofType("gcp:compute/firewall:Firewall").filter((r) => /-v6$/.test(r.name));
        expect(v6.map((r) => [r.inputs.direction, r.inputs.priority, r.inputs.destinationRanges ?? r.inputs.sourceRanges])).toEqual([
            ["EGRESS", 0, ["::/0"]],
            ["INGRESS", 1, ["::/0"]],
        ]);
        const tag = plan.one(`${SAMPLE_NODE}/tag`);
        for (const r of v6) expect(plan.waits(tag, r), r.name).toBe(true);
    });

    it("declares deny rules in the network of every interface, and cuts the node off only after them", async () => {
        const plan = await run({ cluster: withNode({ extraNetworks: ["storage-net"] }) });
        const denies = plan.ofType("gcp:compute/firewall:Firewall").filter((r) => r.inputs.network === "storage-net");
        expect(denies.map((r) => r.name.split("/").pop()).sort()).toEqual(["egress-deny", "ingress-deny"]);
        const tag = plan.one(`${SAMPLE_NODE}/tag`);
        for (const r of denies) expect(plan.waits(tag, r), r.name).toBe(true);
    });
});

describe("after the cut-off made the node NotReady (issue #11.11)", () => {
    const evicted = (): FakeCluster => {
        const c = sampleCluster();
        return { ...c, pods: c.pods.map((p, i) => (i === 0 ? { ...p, deletionTimestamp: "2026-11-25T12:06:00Z" } : p)) };
    };

    it("goes on quarantining a pod the taint-based eviction marked Terminating", async () => {
        const plan = await run({ cluster: evicted() });
        expect(plan.all("/tag").filter((r) => r.custom)).toHaveLength(1);
        expect(plan.ofType("kubernetes:core/v1:PodPatch").map((p) => p.inputs.metadata.name)).toContain("compromised-pod");
    });

    it("says in preview that the Terminating pod's container still runs on the cut-off node", async () => {
        const plan = await run({ cluster: evicted() });
        expect(plan.result.warnings.join("\n")).toContain(
            `quarantine:pods[0] default/compromised-pod is Terminating (evicted after its node ${SAMPLE_NODE} went NotReady, as a cut-off node does): its container still runs on the cut-off node`,
        );
    });
});
