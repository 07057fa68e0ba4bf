import { describe, expect, it } from "vitest";
import { GCLOUD_PERMISSIONS, responderPermissions, TYPE_PERMISSIONS } from "../../../components/readiness/permissions";
import { KUBECTL_RULES, responderRules } from "../../../components/readiness/rbacRules";
import { ResponderRole } from "../../../components/readiness/responderRole";
import { mockEngine, resolve } from "../../components/componentMocks";

const engine = mockEngine({ computed: (args) => (args.type === "gcp:projects/iAMCustomRole:IAMCustomRole" ? { name: `projects/acme-prod/roles/${args.inputs.roleId}` } : {}) });

const bound = new ResponderRole("t", { project: "acme-prod", roleId: "quarantineResponder", kubeContext: "gke_acme-prod_us-central1_prod", clusterRoleName: "quarantine-responder", group: "gke-responders@acme.com" });
const unbound = new ResponderRole("u", { project: "acme-prod", roleId: "qr2", kubeContext: "gke_acme-prod_us-central1_prod", clusterRoleName: "qr2" });

describe("ResponderRole", () => {
    it("declares a GA custom role with exactly the table's permissions, sorted and each once", async () => {
        const role = await engine.child(bound, "t/role");
        expect(role.type).toBe("gcp:projects/iAMCustomRole:IAMCustomRole");
        expect(role.inputs).toMatchObject({ project: "acme-prod", roleId: "quarantineResponder", stage: "GA", title: "quarantine responder" });
        const want = [...new Set([...Object.values(GCLOUD_PERMISSIONS), ...Object.values(TYPE_PERMISSIONS)].flat())].sort();
        expect(role.inputs.permissions).toEqual(want);
        expect(role.inputs.permissions).toEqual(responderPermissions());
        expect(new Set(role.inputs.permissions).size).toBe(role.inputs.permissions.length);
        expect(await resolve(bound.roleName)).toBe("projects/acme-prod/roles/quarantineResponder");
    });

    it("grants the isolation steps and create-only evidence, and nothing that deletes evidence", async () => {
        const perms: string[] = (await engine.child(bound, "t/role")).inputs.permissions;
        expect(perms).toEqual(
            expect.arrayContaining([
                "compute.instances.setTags",
                "compute.instances.deleteAccessConfig",
                "compute.instances.addAccessConfig",
                "compute.instances.setDeletionProtection",
                "compute.instanceGroupManagers.update",
                "compute.disks.createSnapshot",
                "compute.firewalls.create",
                "compute.networks.updatePolicy",
                "compute.instances.create",
                "storage.objects.create",
                "container.clusters.get",
            ]),
        );
        expect(perms.filter((p) => /^storage\.objects\.(delete|update|setRetention)$|^compute\.snapshots\.delete$|^storage\.buckets\.delete$/.test(p))).toEqual([]);
        // Every permission is `service.resource.verb`, as IAMCustomRole requires.
        for (const p of perms) expect(p).toMatch(/^[a-z]+\.[A-Za-z]+\.[A-Za-z]+$/);
    });

    it("declares the ClusterRole from the table, one rule per group and resource, through the configured context", async () => {
        const cr = await engine.child(bound, "t/cluster-role");
        expect(cr.type).toBe("kubernetes:rbac.authorization.k8s.io/v1:ClusterRole");
        expect(cr.inputs.metadata.name).toBe("quarantine-responder");
        expect(cr.inputs.rules).toEqual(responderRules());
        const keys = cr.inputs.rules.map((r: any) => `${r.apiGroups[0]}/${r.resources[0]}`);
        expect(new Set(keys).size).toBe(keys.length);
        const rule = (group: string, resource: string) => cr.inputs.rules.find((r: any) => r.apiGroups[0] === group && r.resources[0] === resource)?.verbs;
        expect(rule("", "pods/eviction")).toEqual(["create"]);
        expect(rule("", "pods/exec")).toEqual(["create", "get"]);
        expect(rule("", "nodes")).toEqual(["delete", "get", "patch"]);
        expect(rule("apps", "deployments/scale")).toEqual(["patch"]);
        // Stolen credentials (issue #14): a service account impersonated, read, deleted and recreated.
        expect(rule("", "serviceaccounts")).toEqual(["create", "delete", "get", "impersonate"]);
        // A stolen Secret read and its data replaced: never a list of every Secret.
        expect(rule("", "secrets")).toEqual(["get", "patch"]);
        // Nothing the incident program never does: no wildcards, no RBAC verb that creates a binding or grants (bind, escalate).
        expect(cr.inputs.rules.some((r: any) => [...r.resources, ...r.verbs, ...r.apiGroups].includes("*"))).toBe(false);
        const rbacVerbs = cr.inputs.rules.filter((r: any) => r.apiGroups.includes("rbac.authorization.k8s.io")).flatMap((r: any) => r.verbs);
        expect(new Set(rbacVerbs)).toEqual(new Set(["get", "list", "patch"]));

        const provider = engine.registrations.find((r) => r.type === "pulumi:providers:kubernetes" && r.name === "t/cluster")!;
        expect(provider.inputs.context).toBe("gke_acme-prod_us-central1_prod");
        expect(cr.provider.startsWith(provider.urn)).toBe(true);
    });

    it("binds the ClusterRole to the configured group only", async () => {
        const binding = await engine.child(bound, "t/binding");
        expect(binding.inputs.roleRef).toEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "quarantine-responder" });
        expect(binding.inputs.subjects).toEqual([{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "gke-responders@acme.com" }]);
        expect((await engine.children(unbound)).map((c) => c.type)).not.toContain("kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding");
    });

    it("merges the rules of one resource from several kubectl uses", () => {
        // get pods (capture), label pods (detach), delete pods (redeploy): one pods rule.
        expect(KUBECTL_RULES["label pods"]).toBeDefined();
        expect(responderRules().find((r) => r.apiGroups[0] === "" && r.resources[0] === "pods")?.verbs).toEqual(["create", "delete", "get", "list", "patch", "watch"]);
    });
});
