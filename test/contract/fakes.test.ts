import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAMPLE_NODE, sampleCluster } from "../../tools/mockEngine/sampleCluster";
import { blockingBudget } from "../fakes/seed";
import { Fakes, TOKENS } from "../fakes/tools";
import { CONTEXT } from "./scenario";

/**
 * The fakes are strict: what they don't implement fails, and is recorded as a violation the
 * contract tests assert is empty. A wrong API call or a misspelt field can't pass unnoticed.
 */

let f: Fakes;
beforeAll(async () => {
    f = await Fakes.start(sampleCluster(), CONTEXT);
});
afterAll(async () => f?.close());

const VM = `zones/us-central1-a/instances/${SAMPLE_NODE}`;

async function call(base: string, method: string, path: string, body?: unknown, contentType = "application/json") {
    const token = base === f.compute.base ? TOKENS.compute : TOKENS.kube;
    const res = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": contentType }) },
        body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
}

const compute = (method: string, path: string, body?: unknown) => call(f.compute.base, method, `/compute/v1/projects/acme-prod/${path}`, body);

describe("the Compute Engine fake", () => {
    it("listens on 127.0.0.1 only, and wants gcloud's dummy token", async () => {
        expect(f.compute.base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        expect(f.kube.base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        const before = f.violations().length;
        expect((await fetch(`${f.compute.base}/compute/v1/projects/acme-prod/${VM}`)).status).toBe(401);
        expect(f.violations().length - before).toBe(1);
    });

    it("answers a stale fingerprint with 412, and a current one with an operation", async () => {
        const vm = (await compute("GET", `${VM}?alt=json`)).body;
        const stale = await compute("POST", `${VM}/setTags?alt=json`, { items: ["x"], fingerprint: "stale" });
        expect(stale.status).toBe(412);
        expect(stale.body.error.errors[0].reason).toBe("conditionNotMet");
        const ok = await compute("POST", `${VM}/setTags?alt=json`, { items: ["x"], fingerprint: vm.tags.fingerprint });
        expect(ok.body).toMatchObject({ kind: "compute#operation", status: "RUNNING", operationType: "setTags" });
        const again = await compute("POST", `${VM}/setTags?alt=json`, { items: ["y"], fingerprint: vm.tags.fingerprint });
        expect(again.status, "the fingerprint changed with the tags").toBe(412);
        const done = await compute("POST", `zones/us-central1-a/operations/${ok.body.name}/wait?alt=json`);
        expect(done.body.status).toBe("DONE");
    });

    it("takes back the current fingerprint base64url-encoded, as gcloud sends it", async () => {
        f.compute.instance("us-central1-a", SAMPLE_NODE)!.tags.fingerprint = "+/+/+/+/+/8=";
        const ok = await compute("POST", `${VM}/setTags?alt=json`, { items: ["z"], fingerprint: "-_-_-_-_-_8=" });
        expect(ok.status).toBe(200);
    });

    it("says 'was not found' for a missing VM, as gcloud's gone_ok expects", async () => {
        const r = await compute("GET", "zones/us-central1-a/instances/nope?alt=json");
        expect(r.status).toBe(404);
        expect(r.body.error.message).toBe("The resource 'projects/acme-prod/zones/us-central1-a/instances/nope' was not found");
    });

    it("records an unknown path, method, query parameter or body field as a violation", async () => {
        const before = f.compute.violations.length;
        expect((await compute("POST", `${VM}/setMachineType?alt=json`, {})).status).toBe(404);
        expect((await compute("PUT", `${VM}?alt=json`, {})).status).toBe(404);
        expect((await compute("GET", `${VM}?alt=json&fields=name`)).status).toBe(400);
        expect((await compute("POST", `${VM}/setTags?alt=json`, { items: [], fingerprint: "x", tag: "typo" })).status).toBe(400);
        expect((await call(f.compute.base, "GET", "/storage/v1/b/x")).status).toBe(404);
        expect(f.compute.violations.length - before).toBe(5);
    });
});

const kube = (method: string, path: string, body?: unknown, contentType?: string) => call(f.kube.base, method, path, body, contentType);

describe("the Kubernetes API fake", () => {
    it("filters pods by label and field selectors", async () => {
        const q = encodeURIComponent;
        const names = async (query: string) => (await kube("GET", `/api/v1/pods?${query}`)).body.items.map((p: any) => p.metadata.name).sort();
        expect(await names(`fieldSelector=${q(`spec.nodeName=${SAMPLE_NODE}`)}&labelSelector=${q("!quarantine")}`)).toEqual(["bystander", "compromised-pod", "fluentbit-gke-0"]);
        expect(await names(`labelSelector=${q("app in (web,api),app!=api")}`)).toEqual(["compromised-pod"]);
        expect(await names(`fieldSelector=${q("metadata.namespace=kube-system")}`)).toEqual(["fluentbit-gke-0"]);
    });

    it("refuses an eviction a PodDisruptionBudget forbids with 429, naming the budget in the details", async () => {
        blockingBudget(f.kube, "default", "api-budget", "api");
        const eviction = { apiVersion: "policy/v1", kind: "Eviction", metadata: { name: "bystander", namespace: "default" } };
        const r = await kube("POST", "/api/v1/namespaces/default/pods/bystander/eviction", eviction);
        expect(r.status).toBe(429);
        expect(r.body.message).toBe("Cannot evict pod as it would violate the pod's disruption budget.");
        expect(r.body.details.causes[0].message).toContain("api-budget");
        f.kube.remove("poddisruptionbudgets", "default", "api-budget");
    });

    it("records an unknown resource, a watch, a patch outside its fields or a directive as a violation", async () => {
        const before = f.kube.violations.length;
        const merge = "application/merge-patch+json";
        expect((await kube("GET", "/api/v1/namespaces/default/configmaps")).status).toBe(404);
        expect((await kube("GET", "/api/v1/pods?watch=true")).status).toBe(400);
        expect((await kube("PATCH", "/api/v1/namespaces/default/pods/bystander", { spec: { containers: [] } }, merge)).status).toBe(422);
        expect((await kube("PATCH", "/api/v1/namespaces/default/pods/bystander", { metadata: { $patch: "replace" } }, merge)).status).toBe(422);
        expect((await kube("PATCH", "/api/v1/namespaces/default/pods/bystander", [{ op: "remove" }], "application/json-patch+json")).status).toBe(415);
        expect((await kube("GET", "/api/v1/pods?labelSelector=app%3D%3D%3Dweb")).status).toBe(400);
        expect(f.kube.violations.length - before).toBe(6);
    });
});

describe("through the real binaries", () => {
    it("a gcloud call the fake does not implement fails the command and is recorded", async () => {
        const before = f.compute.violations.length;
        const env = f.env({ INSTANCE: SAMPLE_NODE });
        const r = await f.run('gcloud compute instances set-machine-type --machine-type e2-small --zone us-central1-a --project acme-prod -- "$INSTANCE"', env);
        expect(r.code).not.toBe(0);
        expect(f.compute.violations.length).toBeGreaterThan(before);
    }, 30_000);

    it("a kubectl patch outside the allowed fields fails the command and is recorded", async () => {
        const before = f.kube.violations.length;
        const r = await f.run(`kubectl --context "$CONTEXT" -n default patch pod bystander --type=merge -p '{"spec":{"nodeName":"elsewhere"}}'`, f.env({ CONTEXT }));
        expect(r.code).not.toBe(0);
        expect(f.kube.violations.length).toBeGreaterThan(before);
    }, 30_000);

    it("kubectl outside the scripts' context reaches nothing: the kubeconfig has no current context", async () => {
        const r = await f.run("kubectl get pods -A", f.env());
        expect(r.code).not.toBe(0);
    }, 30_000);
});
