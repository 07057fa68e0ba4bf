import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { mockEngine, resolve } from "../../components/componentMocks";

const engine = mockEngine({
    calls: {
        "gcp:projects/getIamPolicy:getIamPolicy": () => ({ etag: "BwXhq", policyData: JSON.stringify({ bindings: [] }) }),
        "gcp:organizations/getProject:getProject": () => ({ number: "123456789012" }),
    },
    computed: (args) => (args.type.startsWith("gcp:monitoring/") ? { name: `projects/acme-prod/x/${args.name}` } : {}),
});

pulumi.runtime.setAllConfig({
    "gcp:project": "acme-prod",
    "quarantine-readiness:notifications": JSON.stringify({ emails: ["secops@acme.com"] }),
    "quarantine-readiness:evidenceProject": "acme-forensics",
    "quarantine-readiness:evidenceBucket": JSON.stringify({ location: "us-central1", retentionDays: 30 }),
    "quarantine-readiness:containment": JSON.stringify({ networks: ["default", "prod-vpc"] }),
});

const outputs = import("../../../stacks/readiness/program").then((m) => m.readiness());

describe("the readiness program's evidence bucket and pre-staged containment", () => {
    it("creates the evidence bucket once, in the forensics project, and exports its name", async () => {
        const out = await outputs;
        expect(await resolve(out.evidenceBucket)).toBe("acme-forensics-quarantine-evidence");
        expect(out.evidenceProject).toBe("acme-forensics");
        const buckets = engine.registrations.filter((r) => r.type === "gcp:storage/bucket:Bucket");
        expect(buckets.map((b) => [b.inputs.project, b.inputs.retentionPolicy.retentionPeriod, b.retainOnDelete])).toEqual([["acme-forensics", String(30 * 86400), true]]);
    });

    it("pre-stages the firewall in the clusters' project, in every network named, and exports it", async () => {
        const out = await outputs;
        const staged = await resolve(out.prestagedContainment!);
        expect([staged.project, staged.networks.map((n) => n.network)]).toEqual(["acme-prod", ["default", "prod-vpc"]]);
        const rules = engine.registrations.filter((r) => r.type === "gcp:compute/firewall:Firewall");
        expect(rules).toHaveLength(12);
        expect(new Set(rules.map((r) => r.inputs.project))).toEqual(new Set(["acme-prod"]));
        // Inert until a quarantine tags a VM: no rule targets anything but the generic tags.
        expect(new Set(rules.flatMap((r) => r.inputs.targetTags))).toEqual(new Set(["quarantined-vm", "quarantined-vm-bastion"]));
    });

    it("registers each resource once", async () => {
        await outputs;
        await engine.settled();
        const urns = engine.registrations.map((r) => r.urn);
        expect(new Set(urns).size).toBe(urns.length);
    });
});
