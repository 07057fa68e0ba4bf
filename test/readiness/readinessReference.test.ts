import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { chooseContainment } from "../../components/readiness/prestagedChoice";
import { PRESTAGED_RULE_IDS, PRESTAGED_TAGS, prestagedRuleName } from "../../components/readiness/prestagedRules";
import { readReadinessStack } from "../../components/readiness/readinessReference";
import { incidentNames } from "../../core/incidentNames";

// What each readiness stack exports, as the backend would hand it to a StackReference.
const STACKS: Record<string, Record<string, unknown>> = {
    "organization/quarantine-readiness/prod": {
        evidenceBucket: "acme-forensics-quarantine-evidence",
        prestagedContainment: {
            version: 1,
            project: "acme-prod",
            isolationTag: PRESTAGED_TAGS.isolation,
            bastionTag: PRESTAGED_TAGS.bastion,
            networks: [{ network: "default", rules: Object.fromEntries(PRESTAGED_RULE_IDS.map((id) => [id, prestagedRuleName("default", id)])) }],
        },
    },
    // A readiness stack from before pre-staged containment: it exports neither.
    "organization/quarantine-readiness/old": { alertPolicies: {} },
};
const reads: string[] = [];

void pulumi.runtime.setMocks(
    {
        newResource: (args) => {
            if (args.type !== "pulumi:pulumi:StackReference") throw new Error(`unexpected ${args.type}`);
            reads.push(args.inputs.name ?? args.id);
            const outputs = STACKS[args.inputs.name ?? args.id];
            if (!outputs) throw new Error(`stack ${args.inputs.name} not found`);
            return { id: args.inputs.name, state: { name: args.inputs.name, outputs, secretOutputNames: [] } };
        },
        call: (args) => {
            throw new Error(`unmocked ${args.token}`);
        },
    },
    "quarantine",
    "incident-42",
    true,
);

describe("readReadinessStack", () => {
    it("reads the pre-staged containment and the evidence bucket, known in preview", async () => {
        const r = await readReadinessStack("42/read/readiness", "organization/quarantine-readiness/prod");
        expect(r.evidenceBucket).toBe("acme-forensics-quarantine-evidence");
        const choice = chooseContainment(incidentNames("42"), "acme-prod", [{ name: "n1", networks: ["default"], ipv6: true, immediate: true }], "organization/quarantine-readiness/prod", r.prestaged);
        expect([choice.ownFirewalls, choice.vmTags.n1, choice.warnings]).toEqual([[], ["quarantine-42", "quarantined-vm"], []]);
        expect(reads).toContain("organization/quarantine-readiness/prod");
    });

    it("hands on nothing from a stack that exports neither, so the incident declares its own rules", async () => {
        const r = await readReadinessStack("43/read/readiness", "organization/quarantine-readiness/old");
        expect([r.prestaged, r.evidenceBucket]).toEqual([undefined, undefined]);
        const choice = chooseContainment(incidentNames("43"), "acme-prod", [{ name: "n1", networks: ["default"], ipv6: false, immediate: false }], "organization/quarantine-readiness/old", r.prestaged);
        expect(choice.ownFirewalls).toEqual([{ network: "default", ipv6: false, bastion: true }]);
    });
});
