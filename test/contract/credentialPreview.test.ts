import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assemble } from "../../components/shell";
import { parseCredential, type Credential } from "../../stacks/credentialConfig";
import { BINDINGS_READ, bindingsReadEnv, parseHoldings } from "../../stacks/incident/credentialPreview";
import { CredentialWorld, GSA } from "./credentialWorld";
import { CONTEXT } from "./scenario";

/**
 * The preview's read of what each stolen principal holds (cred-bindings.read.sh), through the real
 * kubectl and gcloud against the RBAC and IAM fakes: exactly the bindings naming it, its project
 * roles, and a failed list said on stdout with exit 0.
 */
const SCRIPT = assemble({ step: BINDINGS_READ.step, destroy: "nothing to undo: a read", kind: "check", script: BINDINGS_READ.script }, "cred-bindings.read.sh");
const credential = (p: string): Credential => {
    const c = parseCredential(p);
    if ("problem" in c) throw new Error(c.problem);
    return c;
};

describe("the read of a principal's bindings and project roles", () => {
    let w: CredentialWorld;
    const read = async (principal: string, project = "acme-prod") => {
        const env = bindingsReadEnv(credential(principal), project, CONTEXT)!;
        return w.fakes.run(SCRIPT, w.fakes.env({ ...env, ...w.iam.endpoints() }));
    };
    beforeAll(async () => {
        w = await CredentialWorld.start();
    }, 600_000);
    afterAll(async () => w?.close());

    it("lists exactly the bindings naming the service account, not another namespace's of the same name nor its groups'", async () => {
        const out = await read("serviceaccount:default/web");
        expect(out.code).toBe(0);
        expect(parseHoldings(out.stdout, "", "acme-prod").bindings).toEqual(["ClusterRoleBinding web-view (ClusterRole/view)", "RoleBinding default/web-edit (Role/edit)"]);
    });

    it("lists a user's bindings and project IAM roles", async () => {
        const out = await read("user:mallory@acme.com");
        expect(out.stdout.split("\n").filter(Boolean)).toEqual(["bound\tClusterRoleBinding\t-/mallory-admin\tClusterRole/cluster-admin", "project-role\troles/viewer"]);
    });

    it("lists a Google service account's project roles, and no binding", async () => {
        const out = await read(`gsa:${GSA}`);
        expect(out.stdout).toBe("project-role\troles/storage.admin\n");
    });

    it("says it could not list project roles, and exits 0, when the policy can't be read", async () => {
        const out = await read("user:mallory@acme.com", "other-project");
        expect(out.code).toBe(0);
        const h = parseHoldings(out.stdout, "user:mallory@acme.com", "other-project");
        expect(h.bindings).toEqual(["ClusterRoleBinding mallory-admin (ClusterRole/cluster-admin)"]);
        expect(h.couldNot).toEqual([expect.stringMatching(/^could not list project roles: .+/)]);
        expect(h.projectRoles).toEqual([]);
    });

    it("changes nothing it reads", () => {
        expect(w.violations()).toEqual([]);
        expect(w.subjects("clusterrolebindings", "", "mallory-admin")).toEqual([{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "mallory@acme.com" }]);
    });
});
