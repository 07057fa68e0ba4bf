import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PRESTAGED_RULE_IDS, PRESTAGED_TAGS, prestagedRuleName } from "../../components/readiness/prestagedRules";
import { runIncident, type RunResult } from "../../tools/mockEngine/engine";
import { SAMPLE_NODE, SAMPLE_PROJECT, sampleCluster, type FakeCluster } from "../../tools/mockEngine/sampleCluster";
import { sampleScenario } from "../../tools/mockEngine/scenario";
import { Fakes } from "../fakes/tools";
import { Quarantine } from "./runner";
import { CONTEXT } from "./scenario";

/**
 * Issue #13.4 through the real gcloud and the compute fake: with a readiness stack, the cut-off
 * is one setTags adding the incident's tag and the generic one, and destroy takes the generic tag
 * off only with the last incident that holds the VM.
 */

const STACK = "organization/quarantine-readiness/readiness-prod";
const base = sampleCluster();
const cluster: FakeCluster = {
    ...base,
    buckets: [...(base.buckets ?? []), "acme-prod-quarantine-evidence"],
    readinessStacks: {
        [STACK]: {
            prestagedContainment: {
                version: 1,
                project: SAMPLE_PROJECT,
                isolationTag: PRESTAGED_TAGS.isolation,
                bastionTag: PRESTAGED_TAGS.bastion,
                networks: [{ network: "default", rules: Object.fromEntries(PRESTAGED_RULE_IDS.map((id) => [id, prestagedRuleName("default", id)])) }],
            },
            evidenceBucket: "acme-prod-quarantine-evidence",
        },
    },
};
let f: Fakes;
let plans: RunResult[];
beforeAll(async () => {
    const planOf = (id: string) => {
        const stack = `incident-${id}`;
        const config = { ...sampleScenario({ cluster, pods: [cluster.pods[0]], stack }).config, "quarantine:readinessStack": STACK };
        return runIncident({ cluster, config, stack });
    };
    plans = [await planOf("42"), await planOf("43")];
    f = await Fakes.start(cluster, CONTEXT);
});
afterAll(async () => f?.close());

const tags = () => [...f.compute.instance("us-central1-a", SAMPLE_NODE)!.tags.items].sort();

describe("the generic quarantine tag", () => {
    it("is added with the incident's own in one setTags", async () => {
        const q42 = new Quarantine(plans[0], f);
        await q42.run(q42.step("/tag"), "create");
        expect(tags()).toEqual(expect.arrayContaining(["quarantine-42", "quarantined-vm"]));
        await q42.run(q42.step("/tag"), "delete");
    });

    it("stays while another incident holds the VM, and goes with the last one", async () => {
        const [q42, q43] = plans.map((p) => new Quarantine(p, f));
        await q42.run(q42.step("/tag"), "create");
        await q43.run(q43.step("/tag"), "create");
        await q42.run(q42.step("/tag"), "delete");
        expect(tags()).toEqual(expect.arrayContaining(["quarantine-43", "quarantined-vm"]));
        expect(tags()).not.toContain("quarantine-42");
        await q43.run(q43.step("/tag"), "delete");
        expect(tags().filter((t) => t.startsWith("quarantine"))).toEqual([]);
    });
});
