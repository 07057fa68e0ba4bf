import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as yaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { SIGNALS } from "../../../components/readiness/signals";
import { mockEngine, resolve } from "../../components/componentMocks";

const engine = mockEngine({
    calls: {
        "gcp:projects/getIamPolicy:getIamPolicy": () => ({ etag: "BwXhq", policyData: JSON.stringify({ bindings: [] }) }),
        "gcp:organizations/getProject:getProject": () => ({ number: "123456789012" }),
    },
    computed: (args) => (args.type.startsWith("gcp:monitoring/") ? { name: `projects/acme-prod/x/${args.name}` } : {}),
});

const CONFIG = {
    "gcp:project": "acme-prod",
    "quarantine-readiness:notifications": JSON.stringify({ emails: ["secops@acme.com"], pubsubTopics: ["projects/acme-secops/topics/gke-alerts"] }),
    "quarantine-readiness:clusters": '["prod"]',
    "quarantine-readiness:evidenceBucket": JSON.stringify({ location: "us-central1" }),
};

/** Runs the program with `config`; returns its outputs, or the error it refused with. */
async function run(config: Record<string, string>) {
    pulumi.runtime.setAllConfig(config);
    const { readiness } = await import("../../../stacks/readiness/program");
    return readiness();
}

describe("the readiness program, refusing bad config", () => {
    it("registers nothing when a key is wrong, and says which", async () => {
        await expect(run({ ...CONFIG, "quarantine-readiness:clusters": '["Prod"]', "quarantine-readiness:alerts": "x" })).rejects.toThrow(pulumi.RunError);
        await expect(run({ ...CONFIG, "quarantine-readiness:alerts": "x" })).rejects.toThrow("quarantine-readiness:alerts is not a known setting");
        await engine.settled();
        expect(engine.registrations).toEqual([]);
        expect(engine.invocations).toEqual([]);
    });
});

describe("the readiness program", () => {
    it("declares audit logs, channels and one alert per signal, each once", async () => {
        const out = await run(CONFIG);
        await resolve(out.alertPolicies);
        const types = engine.registrations.map((r) => r.type);
        const count = (t: string) => types.filter((x) => x === t).length;
        expect(count("gcp:projects/iAMAuditConfig:IAMAuditConfig")).toBe(3);
        expect(count("gcp:monitoring/notificationChannel:NotificationChannel")).toBe(2);
        expect(count("gcp:pubsub/topicIAMMember:TopicIAMMember")).toBe(1);
        // No trusted ranges in this config: the unexpected-IP alert is left out, and said so.
        expect(count("gcp:monitoring/alertPolicy:AlertPolicy")).toBe(SIGNALS.length - 1);
        expect(out.signalsNotDeclared).toEqual([
            "untrusted-ip: nothing to watch; set quarantine-readiness:trustedCidrs, e.g. pulumi config set --path 'quarantine-readiness:trustedCidrs[0]' 203.0.113.0/24",
        ]);
        const urns = engine.registrations.map((r) => r.urn);
        expect(new Set(urns).size).toBe(urns.length);
    });

    it("makes the alert policies wait for the audit configs, and notify both channels", async () => {
        const policies = engine.registrations.filter((r) => r.type === "gcp:monitoring/alertPolicy:AlertPolicy");
        const audit = engine.registrations.filter((r) => r.type === "gcp:projects/iAMAuditConfig:IAMAuditConfig").map((r) => r.urn);
        const alerts = engine.registrations.find((r) => r.type === "quarantine:readiness:DetectionAlerts")!;
        expect(alerts.dependencies).toEqual(expect.arrayContaining(audit));
        for (const p of policies) {
            expect(p.parent).toBe(alerts.urn);
            expect(p.inputs.notificationChannels).toHaveLength(2);
            expect(p.inputs.project).toBe("acme-prod");
        }
        expect(policies.find((p) => p.name.endsWith("/pod-exec"))!.inputs.conditions[0].conditionMatchedLog.filter).toContain('resource.labels.cluster_name=("prod")');
    });

    it("runs under its own project, with the incident program's runtime options", () => {
        const root = yaml.load(fs.readFileSync(path.join(__dirname, "../../../Pulumi.yaml"), "utf8")) as Record<string, any>;
        const ours = yaml.load(fs.readFileSync(path.join(__dirname, "../../../stacks/readiness/Pulumi.yaml"), "utf8")) as Record<string, any>;
        expect(ours.name).toBe("quarantine-readiness");
        expect(ours.runtime).toEqual(root.runtime);
        expect(fs.existsSync(path.join(__dirname, "../../../stacks/readiness", ours.main))).toBe(true);
    });
});
