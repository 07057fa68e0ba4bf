import { createHash } from "crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseArtifacts, parseNotCaptured } from "../../components/evidenceCapture";
import type { Recorded } from "../../tools/mockEngine/engine";
import { CredentialWorld } from "./credentialWorld";

/**
 * quarantine:secrets through the real kubectl against the Kubernetes fake: the record holds key
 * names and hashes only, the rotation changes every value, restarts exactly the workloads that use
 * the Secret, prints no value, and destroy puts nothing back.
 */
const b64 = (s: string) => Buffer.from(s).toString("base64");
const sha = (s: string) => createHash("sha256").update(s).digest("hex");
const OLD = { username: "app", password: "hunter2-Stolen" };
const template = (spec: Record<string, unknown>) => ({ selector: { matchLabels: { app: "x" } }, template: { metadata: { labels: { app: "x" } }, spec: { containers: [{ name: "c", image: "nginx", ...spec }] } } });

describe("secret rotation", () => {
    let w: CredentialWorld;
    let record: string;
    let rotation: { stdout: string; stderr: string; code: number };
    let again: { stdout: string; stderr: string; code: number };
    let rotated: Record<string, string>;
    let afterDestroy: Record<string, string>;
    const step = (name: string): Recorded => w.plan.resources.find((r) => r.name === name)!;
    const restartedAt = (resource: string, name: string) => w.fakes.kube.get(resource, "default", name)?.spec.template.metadata?.annotations?.["kubectl.kubernetes.io/restartedAt"];

    beforeAll(async () => {
        w = await CredentialWorld.start("isolate", ["serviceaccount:default/web"], { "quarantine:secrets": '["default/db-credentials"]', "quarantine:confirm": "incident-42" });
        const k = w.fakes.kube;
        k.put("secrets", { metadata: { name: "db-credentials", namespace: "default" }, type: "Opaque", data: { username: b64(OLD.username), password: b64(OLD.password) } });
        k.put("secrets", { metadata: { name: "db-credentials", namespace: "payments" }, type: "Opaque", data: { password: b64("other") } });
        k.put("deployments", { metadata: { name: "api", namespace: "default" }, spec: template({ env: [{ name: "PW", valueFrom: { secretKeyRef: { name: "db-credentials", key: "password" } } }] }) });
        k.put("statefulsets", { metadata: { name: "cache", namespace: "default" }, spec: { ...template({}), serviceName: "cache", template: { ...template({}).template, spec: { containers: [{ name: "c", image: "redis" }], volumes: [{ name: "s", secret: { secretName: "db-credentials" } }] } } } });
        k.put("daemonsets", { metadata: { name: "agent", namespace: "default" }, spec: template({ envFrom: [{ secretRef: { name: "db-credentials" } }] }) });
        k.put("deployments", { metadata: { name: "unrelated", namespace: "default" }, spec: template({ envFrom: [{ secretRef: { name: "db-credentials-old" } }] }) });
        const podSpec = { containers: [{ name: "c", image: "nginx", envFrom: [{ secretRef: { name: "db-credentials" } }] }] };
        k.put("pods", { metadata: { name: "migrate-x1", namespace: "default", ownerReferences: [{ apiVersion: "batch/v1", kind: "Job", name: "migrate", uid: "u1", controller: true }] }, spec: podSpec });
        k.put("pods", { metadata: { name: "api-7d-x2", namespace: "default", ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "api-7d", uid: "u2", controller: true }] }, spec: podSpec });
        k.put("pods", { metadata: { name: "debug", namespace: "default" }, spec: podSpec });
        k.put("deployments", { metadata: { name: "api", namespace: "payments" }, spec: template({ envFrom: [{ secretRef: { name: "db-credentials" } }] }) });

        record = await w.create(step("42/secrets/record/default/db-credentials"));
        const rotate = step("42/secrets/rotate/default/db-credentials");
        rotation = await w.run(rotate, "create");
        rotated = { ...k.get("secrets", "default", "db-credentials").data };
        // A re-run is a later update: kubectl refuses a second restart within the same second
        // ("if restart has already been triggered within the past second, please wait").
        await new Promise((resolve) => setTimeout(resolve, 1100));
        again = await w.run(rotate, "create");
        await w.delete(rotate, rotation.stdout);
        afterDestroy = { ...k.get("secrets", "default", "db-credentials").data };
    }, 600_000);
    afterAll(async () => w?.close());

    it("records key names and a sha256 of each value, never a value", () => {
        expect(parseNotCaptured(record)).toEqual([]);
        expect(parseArtifacts(record).length).toBe(1);
        const uploaded = w.object("incident-42/secrets/default/db-credentials/", "hashes.txt") ?? "";
        expect(uploaded).toContain(`password\tsha256:${sha(OLD.password)}\n`);
        expect(uploaded).toContain(`username\tsha256:${sha(OLD.username)}\n`);
        for (const v of [OLD.password, b64(OLD.password)]) {
            expect(uploaded).not.toContain(v);
            expect(record).not.toContain(v);
        }
    });

    it("replaces every value with a fresh one, in this namespace only", () => {
        expect(rotation.code, rotation.stderr).toBe(0);
        expect(Object.keys(rotated).sort()).toEqual(["password", "username"]);
        const values = Object.values(rotated).map((v) => Buffer.from(v, "base64").toString());
        for (const v of values) expect(v).toMatch(/^[0-9a-f]{64}$/);
        expect(new Set(values).size).toBe(2);
        expect(values).not.toContain(OLD.password);
        expect(w.fakes.kube.get("secrets", "payments", "db-credentials").data).toEqual({ password: b64("other") });
    });

    it("prints neither the old values nor the new ones, only the hash of what it replaced", () => {
        const values = [OLD.password, b64(OLD.password), ...Object.values(rotated), ...Object.values(rotated).map((v) => Buffer.from(v, "base64").toString())];
        for (const v of values) {
            expect(rotation.stdout).not.toContain(v);
            expect(rotation.stderr).not.toContain(v);
        }
        expect(rotation.stdout).toContain(`replaced password: was sha256:${sha(OLD.password)}`);
    });

    it("restarts exactly the workloads that reference the secret, and lists them", () => {
        expect(rotation.stdout.split("\n").filter((l) => l.startsWith("restarted")).sort()).toEqual(["restarted daemonset/agent", "restarted deployment/api", "restarted statefulset/cache"]);
        for (const [r, n] of [["deployments", "api"], ["statefulsets", "cache"], ["daemonsets", "agent"]]) expect(restartedAt(r, n), `${r}/${n}`).toMatch(/^\d{4}-\d\d-\d\dT/);
        expect(restartedAt("deployments", "unrelated")).toBeUndefined();
        // Pods no rollout reaches are named, not touched: they keep the old value in their environment.
        expect(rotation.stdout.split("\n").filter((l) => l.startsWith("not restarted")).map((l) => l.slice(l.indexOf("): ") + 3)).sort()).toEqual([
            "pod/debug (controller: none)",
            "pod/migrate-x1 (controller: Job)",
        ]);
        expect(w.fakes.kube.get("deployments", "payments", "api").spec.template.metadata.annotations).toBeUndefined();
    });

    it("writes a registry secret's config as an empty one (the API server takes only JSON there), and refuses a service account token", async () => {
        const k = w.fakes.kube;
        k.put("secrets", { metadata: { name: "pull", namespace: "default" }, type: "kubernetes.io/dockerconfigjson", data: { ".dockerconfigjson": b64('{"auths":{"ghcr.io":{"auth":"c3RvbGVu"}}}') } });
        k.put("secrets", { metadata: { name: "web-token", namespace: "default" }, type: "kubernetes.io/service-account-token", data: { token: b64("eyJ.stolen") } });
        const rotate = step("42/secrets/rotate/default/db-credentials");
        const on = (name: string): Recorded => ({ ...rotate, inputs: { ...rotate.inputs, environment: { ...rotate.inputs.environment, NAME: name } } });
        expect((await w.run(on("pull"), "create")).code).toBe(0);
        expect(Buffer.from(k.get("secrets", "default", "pull").data[".dockerconfigjson"], "base64").toString()).toBe('{"auths":{}}');
        const token = await w.run(on("web-token"), "create");
        expect(token.code).toBe(1);
        expect(token.stderr).toContain("could not rotate secret default/web-token: it is a service account token");
        expect(k.get("secrets", "default", "web-token").data.token).toBe(b64("eyJ.stolen"));
        const missing = await w.run(on("gone"), "create");
        expect([missing.code, missing.stderr]).toEqual([1, expect.stringMatching(/could not read secret default\/gone: .*not found/)]);
    });

    it("the fake refuses a patch on a changed Secret (409), a value that is not base64, and a registry config that is not JSON, as the API server does", async () => {
        const patch = (body: unknown, name = "db-credentials") =>
            w.fakes.run(`kubectl --context "$CONTEXT" -n default patch secret "$NAME" --type=merge -p "$BODY"`, w.fakes.env({ CONTEXT: step("42/secrets/rotate/default/db-credentials").inputs.environment.CONTEXT, NAME: name, BODY: JSON.stringify(body) }));
        const stale = await patch({ metadata: { resourceVersion: "1" }, data: { password: b64("x") } });
        expect([stale.code, stale.stderr]).toEqual([1, expect.stringContaining("the object has been modified")]);
        expect((await patch({ data: { password: "not base64!" } })).code).toBe(1);
        expect((await patch({ data: { ".dockerconfigjson": b64("not json") } }, "pull")).code).toBe(1);
        expect(w.fakes.kube.get("secrets", "default", "db-credentials").data).toEqual(rotated);
    });

    it("writes the same values on a re-run, and destroy puts no compromised value back", () => {
        expect(again.code, again.stderr).toBe(0);
        expect(afterDestroy).toEqual(rotated);
        expect(w.violations()).toEqual([]);
    });
});
