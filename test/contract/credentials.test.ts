import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseArtifacts, parseNotCaptured } from "../../components/evidenceCapture";
import { CredentialWorld, GSA, KEY_OFF, KEY_ON, KEY_SYSTEM, WI_MEMBER } from "./credentialWorld";

/**
 * quarantine:credentials through the real kubectl and gcloud: the records land in the evidence
 * bucket, the revocations change exactly what they say, and destroy puts it all back.
 */
const SA_PREFIX = "incident-42/credentials/serviceaccount/default/web/";
const USER_PREFIX = "incident-42/credentials/user/mallory@acme.com/";
const GSA_PREFIX = `incident-42/credentials/gsa/${GSA}/`;
const names = (subjects: unknown[] | undefined) => (subjects ?? []).map((s: any) => `${s.kind}:${s.namespace ?? ""}/${s.name}`).sort();

describe("records, revocations and their reversal", () => {
    let w: CredentialWorld;
    const records: Record<string, string> = {};
    const revoked = new Map<string, string>();
    let before: { bindings: Record<string, string[]>; gsa: unknown };
    let during: typeof before;
    let after: typeof before;
    const state = () => ({
        bindings: Object.fromEntries(
            [
                ["rolebindings", "default", "web-edit"],
                ["rolebindings", "payments", "web-edit"],
                ["clusterrolebindings", "", "web-view"],
                ["clusterrolebindings", "", "all-view"],
                ["clusterrolebindings", "", "mallory-admin"],
            ].map(([r, ns, n]) => [`${r}/${ns}/${n}`, names(w.subjects(r, ns, n))]),
        ),
        gsa: structuredClone(w.iam.account(GSA)),
    });

    beforeAll(async () => {
        w = await CredentialWorld.start();
        before = state();
        for (const r of w.steps("record/")) records[r.name.replace("42/credentials/record/", "")] = await w.create(r);
        for (const r of w.steps("contain/").filter((x) => x.type === "command:local:Command")) revoked.set(r.name, await w.create(r));
        during = state();
        for (const r of w.steps("contain/").filter((x) => x.type === "command:local:Command").reverse()) await w.delete(r, revoked.get(r.name)!);
        after = state();
    }, 600_000);
    afterAll(async () => w?.close());

    it("uploads every record, and misses none", () => {
        expect(Object.keys(records).sort()).toEqual([`gsa/${GSA}`, "serviceaccount/default/web", "user/mallory@acme.com"]);
        for (const [p, out] of Object.entries(records)) {
            expect(parseNotCaptured(out), p).toEqual([]);
            expect(parseArtifacts(out).length, p).toBeGreaterThanOrEqual(3);
        }
    });

    it("records what the service account may do, as kubectl auth can-i --list prints it", () => {
        const canI = w.object(SA_PREFIX, "can-i.txt") ?? "";
        expect(canI).toMatch(/configmaps\s+\[\]\s+\[\]\s+\[get update\]/);
        expect(canI).toMatch(/pods\s+\[\]\s+\[\]\s+\[get list\]/);
    });

    it("records every binding naming the service account or its groups, and no other", () => {
        const yaml = w.object(SA_PREFIX, "bindings.yaml") ?? "";
        const bound = [...yaml.matchAll(/^kind: (\w+)\nmetadata:\n(?: {2}.*\n)*? {2}name: (\S+)/gm)].map((m) => `${m[1]}/${m[2]}`);
        expect(bound.sort()).toEqual(["ClusterRoleBinding/all-view", "ClusterRoleBinding/web-view", "RoleBinding/web-edit"]);
        expect(yaml).not.toContain("namespace: payments");
    });

    it("records the audit trail within its bounds: the identity's own calls and those made through Workload Identity", () => {
        const ids = (file: string, prefix: string) => (JSON.parse(w.object(prefix, file) ?? "[]") as { insertId: string }[]).map((e) => e.insertId).sort();
        expect(ids("audit.json", SA_PREFIX)).toEqual(["sa-1", "wi-1"]);
        // The 45-day-old call is outside the 30 days; bob's is someone else's.
        expect(ids("audit.json", GSA_PREFIX)).toEqual(["wi-1"]);
        expect(ids("audit.json", USER_PREFIX)).toEqual(["mallory-1"]);
    });

    it("records the Google service account's Workload Identity bindings, keys and project roles", () => {
        expect(w.object(GSA_PREFIX, "workload-identity.txt")?.trim()).toBe(WI_MEMBER);
        expect((JSON.parse(w.object(GSA_PREFIX, "keys.json") ?? "[]") as { name: string }[]).map((k) => k.name.split("/").pop()).sort()).toEqual([KEY_ON, KEY_OFF, KEY_SYSTEM]);
        expect(w.object(GSA_PREFIX, "project-roles.txt")?.trim()).toBe("roles/storage.admin");
        expect(w.object(USER_PREFIX, "project-roles.txt")?.trim()).toBe("roles/viewer");
    });

    it("removes the service account and the user from the bindings that name them, and nobody else", () => {
        expect(during.bindings).toEqual({
            ...before.bindings,
            "rolebindings/default/web-edit": ["User:/alice@acme.com"],
            "clusterrolebindings//web-view": [],
            "clusterrolebindings//mallory-admin": [],
        });
    });

    it("disables the Google service account, removes its Workload Identity binding and disables its enabled user-managed key", () => {
        const gsa = during.gsa as any;
        expect(gsa.disabled).toBe(true);
        expect(gsa.policy.bindings).toEqual([{ role: "roles/iam.serviceAccountTokenCreator", members: ["user:bob@acme.com"] }]);
        expect(gsa.keys.map((k: any) => [k.id, Boolean(k.disabled)])).toEqual([
            [KEY_ON, true],
            [KEY_OFF, true],
            [KEY_SYSTEM, false],
        ]);
    });

    it("puts every binding, the account, its Workload Identity binding and its key back on destroy; a key disabled before stays disabled", () => {
        expect(after.bindings).toEqual(before.bindings);
        const gsa = after.gsa as any;
        expect(gsa.disabled).toBeUndefined();
        expect(gsa.policy.bindings.map((b: any) => [b.role, b.members]).sort()).toEqual([
            ["roles/iam.serviceAccountTokenCreator", ["user:bob@acme.com"]],
            ["roles/iam.workloadIdentityUser", [WI_MEMBER]],
        ]);
        expect(gsa.keys.map((k: any) => [k.id, Boolean(k.disabled)])).toEqual([
            [KEY_ON, false],
            [KEY_OFF, true],
            [KEY_SYSTEM, false],
        ]);
    });

    it("asks the fakes for nothing they do not implement", () => {
        expect(w.violations()).toEqual([]);
    });
});

describe("a re-run after a partial failure", () => {
    let w: CredentialWorld;
    beforeAll(async () => {
        w = await CredentialWorld.start("isolate", ["serviceaccount:default/web", `gsa:${GSA}`]);
    }, 120_000);
    afterAll(async () => w?.close());

    it("unbinds on the re-run after a refused patch, and records what the lost answer of a patch that took effect did", async () => {
        const unbind = w.step("contain/serviceaccount/default/web/unbind");
        w.fakes.kube.arm("rolebindings.patch", "500");
        const failed = await w.run(unbind, "create");
        expect(failed.code).not.toBe(0);
        expect(failed.stderr).toContain("could not remove serviceaccount:default/web from rolebinding default/web-edit");
        expect(names(w.subjects("rolebindings", "default", "web-edit"))).toEqual(["ServiceAccount:default/web", "User:/alice@acme.com"]);
        // Whatever it had removed before the refusal is back: its record would never reach state.
        expect(names(w.subjects("clusterrolebindings", "", "web-view"))).toEqual(["ServiceAccount:default/web"]);
        // The re-run: this time the ClusterRoleBinding's patch is applied but its answer never arrives.
        w.fakes.kube.arm("clusterrolebindings.patch", "timeout");
        const out = await w.create(unbind);
        expect(out).toContain("removed\tclusterrolebinding\t-\tweb-view");
        expect(names(w.subjects("clusterrolebindings", "", "web-view"))).toEqual([]);
        await w.delete(unbind, out);
        expect(names(w.subjects("clusterrolebindings", "", "web-view"))).toEqual(["ServiceAccount:default/web"]);
        expect(names(w.subjects("rolebindings", "default", "web-edit"))).toEqual(["ServiceAccount:default/web", "User:/alice@acme.com"]);
    }, 300_000);

    it("leaves an account that was disabled before the incident disabled on destroy", async () => {
        w.iam.account(GSA)!.disabled = true;
        const disable = w.step(`contain/gsa/${GSA}/disable`);
        const out = await w.create(disable);
        expect(out.trim()).toBe("was disabled: left disabled");
        await w.delete(disable, out);
        expect(w.iam.account(GSA)!.disabled).toBe(true);
        expect(w.iam.effects.filter((e) => e.op.startsWith("serviceAccounts."))).toEqual([]);
    }, 120_000);
});

describe("the one-way steps", () => {
    let w: CredentialWorld;
    beforeAll(async () => {
        w = await CredentialWorld.start("redeploy", ["serviceaccount:default/web", `key:${GSA}/${KEY_ON}`]);
    }, 120_000);
    afterAll(async () => w?.close());

    it("recreate the service account under a new uid: the old one's tokens name a uid that no longer exists", async () => {
        const old = w.fakes.kube.get("serviceaccounts", "default", "web").metadata.uid;
        const out = await w.create(w.step("one-way/serviceaccount/default/web/recreate"));
        const now = w.fakes.kube.get("serviceaccounts", "default", "web").metadata.uid;
        expect(now).not.toBe(old);
        expect(out.trim()).toBe(`recreated serviceaccount default/web: uid ${old} -> ${now}`);
    }, 120_000);

    it("disable the stolen key only, then delete it", async () => {
        await w.create(w.step(`contain/key/${GSA}/${KEY_ON}/disable`));
        expect(w.iam.effects.map((e) => `${e.op} ${e.target}`)).toEqual([`keys.disable ${GSA}/${KEY_ON}`]);
        await w.create(w.step(`one-way/key/${GSA}/${KEY_ON}/delete`));
        expect(w.iam.account(GSA)!.keys.map((k) => k.id)).toEqual([KEY_OFF, KEY_SYSTEM]);
        expect(w.violations()).toEqual([]);
    }, 120_000);
});
