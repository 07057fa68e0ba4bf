import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { responderPermissions } from "../../../components/readiness/permissions";
import { ConfigError, parseReadinessConfig } from "../../../stacks/readiness/config";
import { mockEngine, resolve } from "../../components/componentMocks";

const engine = mockEngine({
    calls: {
        "gcp:projects/getIamPolicy:getIamPolicy": () => ({ etag: "BwXhq", policyData: JSON.stringify({ bindings: [] }) }),
        "gcp:organizations/getProject:getProject": () => ({ number: "123456789012" }),
    },
    computed: (args) =>
        args.type.startsWith("gcp:monitoring/") ? { name: `projects/acme-prod/x/${args.name}` } : args.type.endsWith(":IAMCustomRole") ? { name: `projects/acme-prod/roles/${args.inputs.roleId}` } : {},
});

const BASE: Record<string, string> = {
    "gcp:project": "acme-prod",
    "quarantine-readiness:notifications": JSON.stringify({ emails: ["secops@acme.com"] }),
    "quarantine-readiness:evidenceBucket": JSON.stringify({ location: "us-central1" }),
};
const CONTEXT = "gke_acme-prod_us-central1_prod";
const responder = (v: Record<string, unknown>) => ({ ...BASE, "quarantine-readiness:responder": JSON.stringify(v) });

function problemsOf(all: Record<string, string>): string[] {
    try {
        parseReadinessConfig(all);
    } catch (e) {
        if (e instanceof ConfigError) return e.problems;
        throw e;
    }
    throw new Error("parseReadinessConfig accepted the config");
}

describe("quarantine-readiness:responder", () => {
    it("is off unless set, and fills its defaults around the context", () => {
        expect(parseReadinessConfig(BASE).responder).toBeUndefined();
        expect(parseReadinessConfig(responder({ context: CONTEXT })).responder).toEqual({ roleId: "quarantineResponder", kubeContext: CONTEXT, clusterRole: "quarantine-responder" });
    });

    const EXAMPLE = "e.g. pulumi config set --path 'quarantine-readiness:responder.context' gke_acme-prod_us-central1_prod";
    it.each([
        [{}, `quarantine-readiness:responder.context (unset) is required: the kubeconfig context of the cluster the ClusterRole goes in, ${EXAMPLE}`],
        [{ context: "my context" }, `quarantine-readiness:responder.context "my context" is not a kubeconfig context name, ${EXAMPLE}`],
        [{ context: CONTEXT, roleId: "quarantine-responder" }, 'quarantine-readiness:responder.roleId "quarantine-responder" is not an IAM custom role id (3-64 letters, digits, \'_\' or \'.\'), e.g. quarantineResponder'],
        [{ context: CONTEXT, roleId: "qr" }, 'quarantine-readiness:responder.roleId "qr" is not an IAM custom role id (3-64 letters, digits, \'_\' or \'.\'), e.g. quarantineResponder'],
        [{ context: CONTEXT, clusterRole: "Quarantine" }, 'quarantine-readiness:responder.clusterRole "Quarantine" is not a Kubernetes name (lowercase letters, digits, \'-\', \'.\'), e.g. quarantine-responder'],
        [
            { context: CONTEXT, group: "system:authenticated" },
            'quarantine-readiness:responder.group "system:authenticated" is a Kubernetes system group: binding it would give the responder role to every member, e.g. gke-responders@acme.com',
        ],
        [{ context: CONTEXT, group: "sec ops" }, 'quarantine-readiness:responder.group "sec ops" is not a Kubernetes group name (no spaces or quotes), e.g. gke-responders@acme.com'],
        [{ context: CONTEXT, groups: ["a@acme.com"] }, "quarantine-readiness:responder.groups is not a known setting; known: roleId, context, clusterRole, group"],
    ])("refuses %j", (bad, problem) => {
        expect(problemsOf(responder(bad))).toEqual([problem]);
    });

    it("refuses a value that is not an object", () => {
        expect(problemsOf({ ...BASE, "quarantine-readiness:responder": "quarantineResponder" })).toEqual([
            `quarantine-readiness:responder "quarantineResponder" must be an object {roleId, context, clusterRole, group}, ${EXAMPLE}`,
        ]);
    });
});

describe("the readiness program with a responder", () => {
    async function run(config: Record<string, string>) {
        pulumi.runtime.setAllConfig(config);
        const { readiness } = await import("../../../stacks/readiness/program");
        return readiness();
    }

    it("declares nothing when the responder config is wrong", async () => {
        await expect(run(responder({ context: CONTEXT, group: "system:masters" }))).rejects.toThrow("quarantine-readiness:responder.group");
        await engine.settled();
        expect(engine.registrations).toEqual([]);
    });

    it("declares the custom role in gcp:project and the bound ClusterRole, and outputs them", async () => {
        const out = await run(responder({ context: CONTEXT, roleId: "irResponder", group: "gke-responders@acme.com" }));
        expect(await resolve(out.responderRole!)).toBe("projects/acme-prod/roles/irResponder");
        expect(out.responderPermissions).toEqual(responderPermissions());
        await engine.settled();
        const of = (t: string) => engine.registrations.filter((r) => r.type === t);
        expect(of("gcp:projects/iAMCustomRole:IAMCustomRole").map((r) => [r.inputs.project, r.inputs.roleId])).toEqual([["acme-prod", "irResponder"]]);
        expect(of("kubernetes:rbac.authorization.k8s.io/v1:ClusterRole")).toHaveLength(1);
        expect(of("kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding").map((r) => r.inputs.subjects[0].name)).toEqual(["gke-responders@acme.com"]);
        expect(of("pulumi:providers:kubernetes").map((r) => r.inputs.context)).toEqual([CONTEXT]);
    });
});
