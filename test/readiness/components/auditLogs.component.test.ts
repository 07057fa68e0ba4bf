import { describe, expect, it } from "vitest";
import { AUDITED_SERVICES, AuditLogs, replacedAuditConfigs } from "../../../components/readiness/auditLogs";
import { mockEngine, resolve } from "../../components/componentMocks";

const POLICY = {
    bindings: [{ role: "roles/owner", members: ["user:owner@acme.com"] }],
    auditConfigs: [
        { service: "allServices", auditLogConfigs: [{ logType: "ADMIN_READ" }] },
        { service: "container.googleapis.com", auditLogConfigs: [{ logType: "DATA_READ", exemptedMembers: ["serviceAccount:ci@acme-prod.iam.gserviceaccount.com"] }] },
    ],
};

const engine = mockEngine({
    calls: {
        "gcp:projects/getIamPolicy:getIamPolicy": (inputs) => ({ project: inputs.project, etag: "BwXhq", policyData: JSON.stringify(POLICY) }),
    },
});

const audit = new AuditLogs("t", { project: "acme-prod" });

describe("AuditLogs", () => {
    it("turns on ADMIN_READ, DATA_READ and DATA_WRITE for GKE, IAP and OS Login, one authoritative config per service", async () => {
        const children = (await engine.children(audit)).filter((r) => r.type === "gcp:projects/iAMAuditConfig:IAMAuditConfig");
        expect(children.map((c) => [c.name, c.inputs])).toEqual(
            AUDITED_SERVICES.map((service) => [
                `t/${service}`,
                { project: "acme-prod", service, auditLogConfigs: [{ logType: "ADMIN_READ" }, { logType: "DATA_READ" }, { logType: "DATA_WRITE" }] },
            ]),
        );
        expect(AUDITED_SERVICES).toEqual(["container.googleapis.com", "iap.googleapis.com", "oslogin.googleapis.com"]);
    });

    it("keeps the audit logs on when the stack is destroyed", async () => {
        const configs = await Promise.all(audit.configs.map((c) => engine.registrationOf(c)));
        expect(configs.map((c) => c.retainOnDelete)).toEqual([true, true, true]);
    });

    it("reads the project's current policy, and reports the exemption its config would drop", async () => {
        const replaced = await resolve(audit.replaced);
        expect(engine.invocations.filter((i) => i.token === "gcp:projects/getIamPolicy:getIamPolicy").map((i) => i.inputs)).toEqual([{ project: "acme-prod" }]);
        expect(replaced).toEqual([
            "gcp.projects.IAMAuditConfig for container.googleapis.com is authoritative and replaces the project's current audit config for it: " +
                "DATA_READ exempts serviceAccount:ci@acme-prod.iam.gserviceaccount.com will be lost. Agree with its owner first; the exempted members' reads will then be logged (and billed).",
        ]);
    });
});

describe("replacedAuditConfigs", () => {
    const ours = { service: "iap.googleapis.com", auditLogConfigs: [{ logType: "ADMIN_READ" }, { logType: "DATA_READ" }, { logType: "DATA_WRITE" }] };
    it.each([
        ["no audit config at all", {}, []],
        ["an empty policy (a new project)", "", []],
        ["our own config, from the last update", { auditConfigs: [ours] }, []],
        ["another service's exemptions", { auditConfigs: [{ service: "storage.googleapis.com", auditLogConfigs: [{ logType: "DATA_READ", exemptedMembers: ["user:a@acme.com"] }] }] }, []],
        ["allServices is a separate entry, left alone", { auditConfigs: [{ service: "allServices", auditLogConfigs: [{ logType: "DATA_READ", exemptedMembers: ["user:a@acme.com"] }] }] }, []],
        [
            "two exemptions on one of ours",
            { auditConfigs: [{ service: "iap.googleapis.com", auditLogConfigs: [{ logType: "DATA_WRITE", exemptedMembers: ["user:a@acme.com", "group:sre@acme.com"] }] }] },
            ["iap.googleapis.com: DATA_WRITE exempts user:a@acme.com, group:sre@acme.com"],
        ],
    ])("%s", (_what, policy, want) => {
        const got = replacedAuditConfigs(typeof policy === "string" ? policy : JSON.stringify(policy), ["iap.googleapis.com", "oslogin.googleapis.com"]);
        expect(got.map((g) => g.replace(/^gcp\.projects\.IAMAuditConfig for (\S+) is authoritative and replaces the project's current audit config for it: (.*) will be lost\..*$/, "$1: $2"))).toEqual(want);
    });

    it("says so when the policy can't be read", () => {
        expect(replacedAuditConfigs("{not json", ["iap.googleapis.com"])).toEqual([
            "the project's IAM policy could not be read as JSON, so its current audit config for iap.googleapis.com was not checked",
        ]);
    });
});
