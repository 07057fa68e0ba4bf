import { beforeAll, describe, expect, it } from "vitest";
import type { Level } from "../../../core/levels";
import { sampleCluster, type FakeCluster } from "../../../tools/mockEngine/sampleCluster";
import { sampleScenario } from "../../../tools/mockEngine/scenario";
import { Plan, run } from "../../harness";

/** Issue 14: the preview says, per stolen principal, what isolation unbinds and which project IAM roles it leaves. */
const GSA = "web-app@acme-prod.iam.gserviceaccount.com";
const KEY = "0123456789abcdef0123456789abcdef01234567";
const PRINCIPALS = ["serviceaccount:default/web", `gsa:${GSA}`, "user:mallory@acme.com", `key:${GSA}/${KEY}`];

const withRbac = (extra: Partial<FakeCluster> = {}): FakeCluster => ({
    ...sampleCluster(),
    bindings: [
        { kind: "RoleBinding", namespace: "default", name: "web-edit", role: "Role/edit", subjects: [{ kind: "ServiceAccount", namespace: "default", name: "web" }, { kind: "User", name: "alice@acme.com" }] },
        { kind: "ClusterRoleBinding", name: "web-view", role: "ClusterRole/view", subjects: [{ kind: "ServiceAccount", namespace: "default", name: "web" }] },
        // Another namespace's `web` is another service account.
        { kind: "RoleBinding", namespace: "payments", name: "web-edit", role: "Role/edit", subjects: [{ kind: "ServiceAccount", namespace: "payments", name: "web" }] },
        { kind: "ClusterRoleBinding", name: "mallory-admin", role: "ClusterRole/cluster-admin", subjects: [{ kind: "User", name: "mallory@acme.com" }] },
    ],
    projectRoles: { "user:mallory@acme.com": ["roles/viewer", "roles/container.developer"], [`serviceAccount:${GSA}`]: ["roles/storage.admin"] },
    ...extra,
});

async function preview(cluster: FakeCluster, level?: Level): Promise<Plan> {
    const s = sampleScenario({ cluster, level, config: { "quarantine:credentials": JSON.stringify(PRINCIPALS) } });
    return run({ cluster, rawConfig: s.config, preview: true });
}
const line = (plan: Plan, principal: string) => plan.result.warnings.filter((w) => w.startsWith(`${principal}, as read now: `));

describe("the preview of stolen credentials at isolate", () => {
    let plan: Plan;
    beforeAll(async () => {
        plan = await preview(withRbac());
    });

    it("lists exactly the bindings a service account will be unbound from, in one line", () => {
        const l = line(plan, "serviceaccount:default/web");
        expect(l).toHaveLength(1);
        expect(l[0]).toBe("serviceaccount:default/web, as read now: unbound from ClusterRoleBinding web-view (ClusterRole/view), RoleBinding default/web-edit (Role/edit)");
    });

    it("says a user's project IAM roles are not revoked, and the command that would remove them", () => {
        const l = line(plan, "user:mallory@acme.com");
        expect(l).toHaveLength(1);
        expect(l[0]).toContain("unbound from ClusterRoleBinding mallory-admin (ClusterRole/cluster-admin)");
        expect(l[0]).toContain("project IAM roles the quarantine does NOT revoke (project IAM is outside the quarantine): roles/container.developer, roles/viewer");
        expect(l[0]).toContain("gcloud projects remove-iam-policy-binding acme-prod --member=user:mallory@acme.com --role=ROLE");
    });

    it("says a disabled Google service account's project roles stay on the policy", () => {
        expect(line(plan, `gsa:${GSA}`)).toEqual([
            `gsa:${GSA}, as read now: project IAM roles the quarantine does NOT revoke (project IAM is outside the quarantine) (unusable while the account is disabled): roles/storage.admin; ` +
                `to remove one: gcloud projects remove-iam-policy-binding acme-prod --member=serviceAccount:${GSA} --role=ROLE`,
        ]);
    });

    it("keeps the holdings in the credentials output", () => {
        expect(plan.outputs.credentials.holdings["user:mallory@acme.com"]).toEqual({
            bindings: ["ClusterRoleBinding mallory-admin (ClusterRole/cluster-admin)"],
            projectRoles: ["roles/container.developer", "roles/viewer"],
            removeProjectRoles: [
                "gcloud projects remove-iam-policy-binding acme-prod --member=user:mallory@acme.com --role=roles/container.developer",
                "gcloud projects remove-iam-policy-binding acme-prod --member=user:mallory@acme.com --role=roles/viewer",
            ],
            couldNot: [],
        });
        expect(Object.keys(plan.outputs.credentials.holdings).sort()).toEqual(["gsa:" + GSA, "serviceaccount:default/web", "user:mallory@acme.com"]);
    });
});

describe("the preview of stolen credentials at observe", () => {
    it("names the bindings and says isolate would unbind them", async () => {
        const plan = await preview(withRbac(), "observe");
        expect(line(plan, "serviceaccount:default/web")[0]).toContain("named in ClusterRoleBinding web-view (ClusterRole/view), RoleBinding default/web-edit (Role/edit) (not unbound: quarantine:level isolate unbinds it)");
    });
});

describe("a read of the bindings that fails", () => {
    it("is said as could not list, and the quarantine is still declared", async () => {
        const plan = await preview(withRbac({ bindingsError: "Forbidden: cannot list rolebindings" }));
        expect(line(plan, "serviceaccount:default/web")).toEqual(["serviceaccount:default/web, as read now: could not list bindings: Forbidden: cannot list rolebindings"]);
        expect(plan.outputs.credentials.holdings["serviceaccount:default/web"].couldNot).toEqual(["could not list bindings: Forbidden: cannot list rolebindings"]);
        expect(plan.resources.some((r) => r.name.startsWith("42/credentials/contain/serviceaccount/default/web/"))).toBe(true);
    });
});
