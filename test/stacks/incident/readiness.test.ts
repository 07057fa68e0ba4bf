import { describe, expect, it } from "vitest";
import { PRESTAGED_RULE_IDS, PRESTAGED_TAGS, prestagedRuleName } from "../../../components/readiness/prestagedRules";
import { sampleCluster, SAMPLE_NODE, SAMPLE_PROJECT, type FakeCluster } from "../../../tools/mockEngine/sampleCluster";
import { Plan, run } from "../../harness";

/** Issue #13.4, the incident side: with quarantine:readinessStack, the cut-off is one setTags. */

const STACK = "organization/quarantine-readiness/readiness-prod";

/** What a readiness stack exports for `networks` (PrestagedContainment.output). */
function readiness(networks: string[], project = SAMPLE_PROJECT): Record<string, unknown> {
    return {
        prestagedContainment: {
            version: 1,
            project,
            isolationTag: PRESTAGED_TAGS.isolation,
            bastionTag: PRESTAGED_TAGS.bastion,
            networks: networks.map((network) => ({ network, rules: Object.fromEntries(PRESTAGED_RULE_IDS.map((id) => [id, prestagedRuleName(network, id)])) })),
        },
        evidenceBucket: "acme-prod-quarantine-evidence",
    };
}

function withReadiness(outputs: Record<string, unknown>): FakeCluster {
    const c = sampleCluster();
    const buckets = [...(c.buckets ?? []), "acme-prod-quarantine-evidence"];
    return { ...c, buckets, pods: c.pods.filter((p) => p.name === "compromised-pod"), readinessStacks: { [STACK]: outputs } };
}

const config = (extra: Record<string, string> = {}) => ({ "quarantine:readinessStack": STACK, ...extra });
const tag = (plan: Plan) => plan.one(`/vm/${SAMPLE_NODE}/tag`);

describe("with a readiness stack that pre-stages the network", () => {
    it("declares no firewall rule of its own", async () => {
        const plan = await run({ cluster: withReadiness(readiness(["default"])), config: config() });
        expect(plan.ofType("gcp:compute/firewall:Firewall")).toEqual([]);
    });

    it("adds the incident's tag and the generic one in one setTags, and says so to the delete", async () => {
        const plan = await run({ cluster: withReadiness(readiness(["default"])), config: config() });
        expect(tag(plan).inputs.environment).toMatchObject({ TAG: "quarantine-42", TAGS: "quarantine-42,quarantined-vm", GENERIC_TAG: "quarantined-vm" });
    });

    it("gives the bastion the generic bastion tag the pre-staged SSH rule allows", async () => {
        const plan = await run({ cluster: withReadiness(readiness(["default"])), config: config() });
        const [bastion] = plan.ofType("gcp:compute/instance:Instance");
        expect(bastion.inputs.tags).toEqual(["quarantine-42-bastion", "quarantined-vm-bastion"]);
    });

    it("writes the evidence to the readiness stack's bucket when quarantine:evidenceBucket is unset", async () => {
        const plan = await run({ cluster: withReadiness(readiness(["default"])), config: config() });
        expect(plan.ofType("gcp:storage/bucket:Bucket")).toEqual([]);
        expect(plan.outputs.evidenceBucket).toBe("acme-prod-quarantine-evidence");
    });

    it("in immediate mode cuts the node off after the pods' isolation only: the abandon runs beside it", async () => {
        const plan = await run({ cluster: withReadiness(readiness(["default"])), config: config({ "quarantine:nodeIsolation": "immediate" }) });
        const abandon = plan.one(`/vm/${SAMPLE_NODE}/abandon`);
        expect(plan.waits(tag(plan), abandon)).toBe(false);
        const waited = [...plan.waitsFor(tag(plan))].map((u) => plan.resources.find((r) => r.urn === u)!.name).sort();
        expect(waited).toEqual(["42/pods/default/compromised-pod/label", "42/pods/default/deny-all"]);
    });

    it("still makes delete-node wait for the abandon, which it now runs beside the cut-off", async () => {
        const plan = await run({
            cluster: withReadiness(readiness(["default"])),
            config: config({ "quarantine:nodeIsolation": "immediate", "quarantine:level": "delete-node", "quarantine:confirm": "incident-42" }),
        });
        const deleteVm = plan.resources.find((r) => r.name.endsWith(`/delete-vm`) || /delete-vm/.test(r.inputs?.create ?? ""))!;
        expect(plan.waits(deleteVm, plan.one(`/vm/${SAMPLE_NODE}/abandon`))).toBe(true);
    });

    it("after the drain, still waits for the abandon: only immediate gains the one-step cut-off", async () => {
        const plan = await run({ cluster: withReadiness(readiness(["default"])), config: config() });
        expect(plan.waits(tag(plan), plan.one(`/vm/${SAMPLE_NODE}/abandon`))).toBe(true);
    });
});

describe("falling back to the incident's own rules", () => {
    it.each([
        ["pre-stages another network", readiness(["other-vpc"])],
        ["is for another project", readiness(["default"], "acme-staging")],
        ["exports no prestagedContainment", { evidenceBucket: "acme-prod-quarantine-evidence" }],
    ])("when the readiness stack %s", async (_, outputs) => {
        const plan = await run({ cluster: withReadiness(outputs), config: config() });
        expect(plan.ofType("gcp:compute/firewall:Firewall").length).toBeGreaterThan(0);
        expect(tag(plan).inputs.environment.TAGS).toBeUndefined();
    });
});

describe("the readiness stack's bucket", () => {
    it("is not used when it is not a bucket name: a stack output is data, checked like config", async () => {
        const plan = await run({ cluster: withReadiness({ ...readiness(["default"]), evidenceBucket: "gs://x; rm" }), config: config() });
        expect(plan.ofType("gcp:storage/bucket:Bucket")).toHaveLength(1);
    });
});

describe("without quarantine:readinessStack", () => {
    it("reads no readiness stack and tags with the incident's tag alone, as before", async () => {
        const plan = await run();
        expect(plan.resources.filter((r) => r.name.endsWith("/read/readiness"))).toEqual([]);
        expect(tag(plan).inputs.environment.TAGS).toBeUndefined();
    });
});
