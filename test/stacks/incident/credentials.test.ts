import { beforeAll, describe, expect, it } from "vitest";
import { scriptHeader } from "../../../core/stepHeader";
import type { Level } from "../../../core/levels";
import type { Recorded } from "../../../tools/mockEngine/engine";
import { SAMPLE_NODE } from "../../../tools/mockEngine/sampleCluster";
import { SAMPLE_CONTEXT, sampleScenario } from "../../../tools/mockEngine/scenario";
import { Plan, run } from "../../harness";

/** quarantine:credentials (seed 003, "Stolen credentials"), beside the sample's compromised pod. */
const GSA = "web-app@acme-prod.iam.gserviceaccount.com";
const KEY = "0123456789abcdef0123456789abcdef01234567";
const PRINCIPALS = ["serviceaccount:default/web", `gsa:${GSA}`, "user:mallory@acme.com", `key:${GSA}/${KEY}`];
const VAP = "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy";
const VAP_BINDING = "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding";

const config = (level?: Level) => sampleScenario({ level, config: { "quarantine:credentials": JSON.stringify(PRINCIPALS) } }).config;
const kind = (r: Recorded) => scriptHeader(r.inputs.create).kind;
const script = (r: Recorded) => scriptHeader(r.inputs.create).script;
const credentialSteps = (plan: Plan) => plan.resources.filter((r) => r.custom && !r.read && r.name.includes("/credentials/"));

describe("stolen credentials at isolate", () => {
    let plan: Plan;
    beforeAll(async () => {
        plan = await run({ rawConfig: config() });
    });
    const records = () => plan.all("").filter((r) => r.name.startsWith("42/credentials/record/") && r.custom);
    const revocations = () => credentialSteps(plan).filter((r) => r.name.startsWith("42/credentials/contain/"));

    it("records each principal once, as evidence into the incident's bucket", () => {
        expect(records().map((r) => [r.name, kind(r), script(r), r.inputs.environment.PREFIX]).sort()).toEqual([
            ["42/credentials/record/serviceaccount/default/web", "capture", "cred-record-kube", "incident-42/credentials/serviceaccount/default/web"],
            [`42/credentials/record/gsa/${GSA}`, "capture", "cred-record-gsa", `incident-42/credentials/gsa/${GSA}`],
            ["42/credentials/record/user/mallory@acme.com", "capture", "cred-record-kube", "incident-42/credentials/user/mallory@acme.com"],
            [`42/credentials/record/key/${GSA}/${KEY}`, "capture", "cred-record-gsa", `incident-42/credentials/key/${GSA}/${KEY}`],
        ].sort());
    });

    it("puts every record in the custody manifest", () => {
        const manifest = plan.outputs.custodyManifest as { artifacts: { what: string; object: string }[] };
        const ours = manifest.artifacts.filter((a) => a.object.includes("/incident-42/credentials/"));
        expect(ours.map((a) => a.what.split(": ")[0]).sort()).toEqual(PRINCIPALS.map((p) => `Capture evidence of stolen credentials ${p}`).sort());
    });

    it("reads the audit trail by the identity's own fields, Workload Identity's delegation included", () => {
        const sa = plan.one("/credentials/record/serviceaccount/default/web").inputs.environment.AUDIT_FILTER;
        expect(sa).toBe(
            'protoPayload.authenticationInfo.principalEmail="system:serviceaccount:default:web" OR ' +
                'protoPayload.authenticationInfo.serviceAccountDelegationInfo.principalSubject="serviceAccount:acme-prod.svc.id.goog[default/web]"',
        );
        expect(plan.one(`/credentials/record/key/${GSA}/${KEY}`).inputs.environment.AUDIT_FILTER).toContain(`protoPayload.authenticationInfo.serviceAccountKeyName:"${KEY}"`);
    });

    it("revokes each principal only after its own record", () => {
        for (const r of revocations()) {
            const principal = r.name.startsWith("42/credentials/contain/deny-") ? undefined : r.name.split("/").slice(3, -1).join("/");
            const own = principal ? records().filter((x) => x.name === `42/credentials/record/${principal}`) : records().filter((x) => /serviceaccount|user/.test(x.name));
            expect(own.length, r.name).toBeGreaterThan(0);
            for (const rec of own) expect(plan.waits(r, rec), `${r.name} after ${rec.name}`).toBe(true);
        }
    });

    it("declares the reversible revocations, each with its undo", () => {
        expect(revocations().filter((r) => r.type === "command:local:Command").map((r) => [r.name.replace("42/credentials/contain/", ""), script(r), kind(r)]).sort()).toEqual([
            ["serviceaccount/default/web/unbind", "cred-unbind", "isolation"],
            [`gsa/${GSA}/disable`, "cred-gsa-disable", "isolation"],
            [`gsa/${GSA}/workload-identity`, "cred-gsa-unbind-wi", "isolation"],
            [`gsa/${GSA}/keys`, "cred-keys-disable", "isolation"],
            ["user/mallory@acme.com/unbind", "cred-unbind", "isolation"],
            [`key/${GSA}/${KEY}/disable`, "cred-keys-disable", "isolation"],
        ].sort());
        for (const r of revocations().filter((x) => x.type === "command:local:Command")) {
            // The record of what was changed is the create's stdout, handed to the delete.
            expect(r.inputs.addPreviousOutputInEnv, r.name).toBe(true);
            expect(scriptHeader(r.inputs.delete).script, r.name).toBe(script(r));
            expect(r.inputs.delete).not.toContain("one-way");
        }
    });

    it("denies the Kubernetes identities' writes, exec and attach by username, not their reads", () => {
        const [policy] = plan.ofType(VAP).filter((r) => r.name.includes("/credentials/"));
        expect(policy.inputs.metadata.name).toBe("quarantine-42-deny-credentials");
        expect(policy.inputs.spec.failurePolicy).toBe("Fail");
        expect(policy.inputs.spec.matchConstraints.resourceRules).toEqual([
            { apiGroups: ["*"], apiVersions: ["*"], operations: ["CREATE", "UPDATE", "DELETE", "CONNECT"], resources: ["*", "*/*"] },
        ]);
        // auth can-i is a create of a review: a question, not a write, and how the record runs again.
        expect(policy.inputs.spec.matchConstraints.excludeResourceRules).toEqual([
            { apiGroups: ["authorization.k8s.io"], apiVersions: ["*"], operations: ["CREATE"], resources: ["selfsubjectrulesreviews", "selfsubjectaccessreviews"] },
        ]);
        expect(policy.inputs.spec.validations[0].expression).toBe("!(request.userInfo.username in ['system:serviceaccount:default:web', 'mallory@acme.com'])");
        const [binding] = plan.ofType(VAP_BINDING).filter((r) => r.name.includes("/credentials/"));
        expect(binding.inputs.spec.validationActions).toEqual(["Deny", "Audit"]);
        expect(plan.result.warnings.join("\n")).toContain("reads (get, list, watch) by the stolen identity are not blocked");
    });

    it("takes nothing from the pod's and node's isolation, and their cut-off waits for none of it", () => {
        const ours = credentialSteps(plan);
        const isolation = plan.resources.filter((r) => r.custom && !r.read && (r.name.includes("/pods/") || r.name.includes(`/node/${SAMPLE_NODE}/`) || r.name.includes(`/vm/${SAMPLE_NODE}/`)));
        expect(isolation.length).toBeGreaterThan(5);
        for (const step of isolation) for (const c of ours) expect(plan.waits(step, c), `${step.name} after ${c.name}`).toBe(false);
        for (const c of ours) for (const step of isolation) expect(plan.waits(c, step), `${c.name} after ${step.name}`).toBe(false);
    });

    it("has nothing one-way at isolate", () => {
        expect(credentialSteps(plan).filter((r) => r.name.includes("/one-way/"))).toEqual([]);
        expect(plan.outputs.oneWayActions.join("\n")).not.toMatch(/deleted and recreated|key .* deleted/);
        expect(plan.outputs.credentials).toEqual({ principals: PRINCIPALS, contained: true, holdings: expect.any(Object), notBlocked: expect.stringContaining("serviceaccount:default/web, user:mallory@acme.com") });
    });
});

describe("stolen credentials at observe", () => {
    it("are recorded and nothing is revoked, and preview says they still work", async () => {
        const plan = await run({ rawConfig: config("observe") });
        expect(credentialSteps(plan).map((r) => kind(r))).toEqual(["capture", "capture", "capture", "capture"]);
        expect(plan.result.warnings.join("\n")).toContain("revokes nothing: the stolen credentials still work");
    });
});

describe("stolen credentials at redeploy (with quarantine:confirm)", () => {
    let plan: Plan;
    beforeAll(async () => {
        plan = await run({ rawConfig: config("redeploy") });
    });
    const oneWay = () => credentialSteps(plan).filter((r) => r.name.startsWith("42/credentials/one-way/"));

    it("deletes and recreates the service account and deletes the key, one-way", () => {
        expect(oneWay().map((r) => [r.name, script(r), kind(r), scriptHeader(r.inputs.delete).script]).sort()).toEqual([
            ["42/credentials/one-way/serviceaccount/default/web/recreate", "cred-sa-recreate", "destructive", "cred-sa-recreate"],
            [`42/credentials/one-way/key/${GSA}/${KEY}/delete`, "cred-key-delete", "destructive", "cred-key-delete"],
        ].sort());
        for (const r of oneWay()) expect(r.inputs.delete).toMatch(/^# step: .*\n# destroy: one-way/);
    });

    it("lists both in oneWayActions", () => {
        expect(plan.outputs.oneWayActions).toEqual(
            expect.arrayContaining([expect.stringMatching(/^service account default\/web deleted and recreated/), `key ${KEY} of ${GSA} deleted: a deleted key can't be restored`]),
        );
    });

    it("runs them after every record, every revocation, the snapshots, the captures and the custody manifest", () => {
        const before = [
            ...credentialSteps(plan).filter((r) => !r.name.includes("/one-way/")),
            ...plan.ofType("gcp:compute/snapshot:Snapshot"),
            ...plan.commands().filter((c) => kind(c) === "capture"),
            ...plan.ofType("gcp:storage/bucketObject:BucketObject"),
        ];
        for (const r of oneWay()) for (const b of before) expect(plan.waits(r, b), `${r.name} after ${b.name}`).toBe(true);
    });

    it("makes the pods' deletion wait for the credentials' records too, as for every capture", () => {
        const redeploy = plan.commands().filter((c) => script(c) === "redeploy");
        expect(redeploy.length).toBeGreaterThan(0);
        for (const r of redeploy) for (const rec of plan.all("").filter((x) => x.name.startsWith("42/credentials/record/") && x.custom)) expect(plan.waits(r, rec)).toBe(true);
    });
});

describe("stolen credentials alone", () => {
    const alone = {
        "gcp:project": "acme-prod",
        "kubernetes:context": SAMPLE_CONTEXT,
        "quarantine:credentials": JSON.stringify(["serviceaccount:default/web"]),
        "quarantine:cluster": JSON.stringify({ name: "prod", location: "us-central1" }),
    };

    it("make an incident with no pod or node: recorded and revoked, nothing else isolated", async () => {
        const plan = await run({ rawConfig: alone });
        expect(plan.ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy")).toEqual([]);
        expect(plan.ofType("kubernetes:core/v1:NodePatch")).toEqual([]);
        expect(credentialSteps(plan).map((r) => r.name).sort()).toEqual([
            "42/credentials/contain/deny-binding",
            "42/credentials/contain/deny-policy",
            "42/credentials/contain/serviceaccount/default/web/unbind",
            "42/credentials/record/serviceaccount/default/web",
        ]);
    });

    it("recreate the service account at redeploy, with nothing else to delete", async () => {
        const plan = await run({ rawConfig: { ...alone, "quarantine:level": "redeploy", "quarantine:confirm": "incident-42" } });
        expect(plan.commands().filter((c) => kind(c) === "destructive").map((c) => c.name)).toEqual(["42/credentials/one-way/serviceaccount/default/web/recreate"]);
        expect(plan.outputs.oneWayActions).toEqual([expect.stringMatching(/^service account default\/web deleted and recreated/)]);
    });

    it("put a created evidence bucket in the cluster's region", async () => {
        const plan = await run({ rawConfig: alone });
        expect(plan.ofType("gcp:storage/bucket:Bucket").map((b) => b.inputs.location)).toEqual(["us-central1"]);
    });
});
