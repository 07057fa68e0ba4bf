import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import type { Recorded } from "../../../tools/mockEngine/engine";
import { sampleCluster, SAMPLE_NODE, type FakeCluster } from "../../../tools/mockEngine/sampleCluster";
import { sampleScenario } from "../../../tools/mockEngine/scenario";
import { run } from "../../harness";

async function refusal(cluster: FakeCluster, config: Record<string, string>): Promise<{ message: string; recorded: Recorded[]; error: unknown }> {
    try {
        await run({ cluster, rawConfig: config });
    } catch (e) {
        return { message: (e as Error).message, recorded: (e as { recorded: Recorded[] }).recorded, error: e };
    }
    throw new Error("the program accepted what it should refuse");
}

const sample = sampleCluster();
const pod = sample.pods[0];
const withCluster = (extra: Record<string, string> = {}) => sampleScenario({ pods: [pod], config: extra }).config;

describe("config refused before anything is read or registered", () => {
    it.each([
        [
            { "quarantine:pods": '["default/Bad_Name"]' },
            'quarantine:pods[0] "default/Bad_Name" is not a valid pod name: expected namespace/name, e.g. default/web-5d9f',
        ],
        [
            { "quarantine:level": "redeploy" },
            'quarantine:confirm (unset) is required: quarantine:level "redeploy" deletes the quarantined pod(s) and needs an acknowledgement naming this incident; e.g. pulumi config set quarantine:confirm incident-42',
        ],
        [
            { "quarantine:level": "delete-node", "quarantine:confirm": "incident-41" },
            'quarantine:confirm "incident-41" does not match incident 42',
        ],
        [{ "quarantine:nodeIsolation": "now" }, 'quarantine:nodeIsolation "now" must be one of after-drain | immediate, e.g. after-drain'],
        [{ "kubernetes:context": "" }, "kubernetes:context (unset) is required"],
    ])("%j", async (bad, expected) => {
        const r = await refusal(sample, withCluster(bad));
        expect(r.message).toContain(expected);
        expect(r.recorded).toEqual([]);
        // A RunError prints as a plain message in the CLI, with no stack trace around it.
        expect(pulumi.RunError.isInstance(r.error)).toBe(true);
    });
});

describe("discovery refusals: nothing is declared from a node we can't quarantine", () => {
    const declared = (recorded: Recorded[]) => recorded.filter((r) => !r.read);
    const variant = (patch: (c: FakeCluster) => FakeCluster) => patch(sampleCluster());

    it.each<[string, FakeCluster, string]>([
        [
            "a pod that does not exist",
            variant((c) => ({ ...c, pods: [] })),
            `quarantine:pods[0] default/compromised-pod was not found: it may have been deleted since (an attacker deleting their own pod, as the runbook warns). Quarantine the node it ran on instead: pulumi config set --path 'quarantine:nodes[0]' <node>, and remove it from quarantine:pods`,
        ],
        [
            "an unscheduled pod",
            variant((c) => ({ ...c, pods: [{ ...pod, node: undefined }] })),
            'quarantine:pods[0] "default/compromised-pod" is not running on a node (phase Pending)',
        ],
        [
            "a node that is not a GCE VM",
            variant((c) => ({ ...c, nodes: [{ ...c.nodes[0], providerID: "aws:///us-east-1a/i-0abc" }] })),
            `node ${SAMPLE_NODE} is not a Compute Engine VM`,
        ],
        [
            "a node in another project",
            variant((c) => ({ ...c, nodes: [{ ...c.nodes[0], providerID: `gce://other-proj/us-central1-a/${SAMPLE_NODE}` }] })),
            `node ${SAMPLE_NODE} runs in project other-proj but gcp:project is acme-prod`,
        ],
        [
            "a cluster that does not enforce NetworkPolicy",
            variant((c) => ({ ...c, clusters: [{ ...c.clusters[0], networkPolicyEnabled: false }] })),
            "quarantine:cluster prod does not enforce NetworkPolicy",
        ],
        [
            "an Autopilot cluster",
            variant((c) => ({ ...c, clusters: [{ ...c.clusters[0], enableAutopilot: true }] })),
            "quarantine:cluster prod is an Autopilot cluster",
        ],
    ])("%s", async (_what, cluster, expected) => {
        const r = await refusal(cluster, withCluster());
        expect(r.message).toContain(expected);
        expect(declared(r.recorded)).toEqual([]);
    });

    it("accepts a cluster that enforces NetworkPolicy through Dataplane V2", async () => {
        const cluster = variant((c) => ({
            ...c,
            clusters: [{ ...c.clusters[0], networkPolicyEnabled: false, datapathProvider: "ADVANCED_DATAPATH" }],
        }));
        const plan = await run({ cluster, rawConfig: withCluster() });
        expect(plan.outputs.networkPolicyEnforcement).toBe("verified on cluster prod");
    });
});
