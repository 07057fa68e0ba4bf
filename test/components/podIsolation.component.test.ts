import { describe, expect, it } from "vitest";
import { PodIsolation } from "../../components/podIsolation";
import { incidentNames } from "../../core/incidentNames";
import { declared, mockEngine, urns } from "./componentMocks";

const engine = mockEngine();

const pods = ["web-7d4b9c-x2x9q", "web-7d4b9c-p8k2m"];
const isolation = new PodIsolation("t", { names: incidentNames("42"), namespace: "payments", pods, kubeContext: "ctx" });
const attached = new PodIsolation("t-attached", { names: incidentNames("42"), namespace: "billing", pods: ["api-0"], kubeContext: "ctx", detachLabels: false });

describe("PodIsolation", () => {
    it("denies all ingress and egress to the pods that carry the incident's label, in their namespace", async () => {
        const policy = await engine.registrationOf(isolation.networkPolicy);
        expect(policy.inputs.metadata).toMatchObject({ name: "quarantine-42-deny-all", namespace: "payments" });
        expect(policy.inputs.spec).toEqual({ podSelector: { matchLabels: { "quarantine/incident": "42" } }, policyTypes: ["Ingress", "Egress"] });
    });

    it("labels each pod quarantine=true with the incident, with a field manager per incident, never forced nor awaited", async () => {
        const patches = await Promise.all(isolation.patches.map((p) => engine.registrationOf(p)));
        expect(patches.map((p) => p.inputs.metadata)).toEqual(
            pods.map((name) => ({
                name,
                namespace: "payments",
                labels: { quarantine: "true", "quarantine/incident": "42" },
                annotations: { "pulumi.com/patchFieldManager": "quarantine-42", "pulumi.com/skipAwait": "true", "controller.kubernetes.io/pod-deletion-cost": "2147483647" },
            })),
        );
    });

    it("cuts the pods off without waiting for anything", async () => {
        for (const r of await Promise.all([isolation.networkPolicy, ...isolation.patches].map((p) => engine.registrationOf(p)))) {
            expect(r.dependencies, r.name).toEqual([]);
        }
    });

    it("detaches each pod from its other labels only after its own label patch", async () => {
        const patches = await urns(isolation.patches);
        const detaches = await Promise.all(pods.map((p) => engine.child(isolation, `t/${p}/detach`)));
        expect(detaches.map((d) => [declared(d).kind, declared(d).script, d.inputs.environment.POD, d.dependencies])).toEqual(
            pods.map((p, i) => ["isolation", "detach", p, [patches[i]]]),
        );
    });

    it("declares no detach step when detachLabels is false", async () => {
        expect((await engine.children(attached)).filter((c) => c.name.endsWith("/detach"))).toEqual([]);
    });

    it("checks, after the deny-all and every detach, that no other policy still selects the pods", async () => {
        const check = await engine.child(isolation, "t/policy-check");
        const detaches = await Promise.all(pods.map((p) => engine.child(isolation, `t/${p}/detach`)));
        expect([declared(check).kind, declared(check).script]).toEqual(["check", "policy-check"]);
        expect(new Set(check.dependencies)).toEqual(new Set([...(await urns([isolation.networkPolicy])), ...detaches.map((d) => d.urn)]));
    });

    it("checks the cluster-wide policy kinds too, as a check after the deny-all and every detach, which nothing in the pod's cut-off waits for", async () => {
        const check = await engine.child(isolation, "t/cluster-policy-check");
        const detaches = await Promise.all(pods.map((p) => engine.child(isolation, `t/${p}/detach`)));
        expect([declared(check).kind, declared(check).script]).toEqual(["check", "cluster-policy-check"]);
        expect(new Set(check.dependencies)).toEqual(new Set([...(await urns([isolation.networkPolicy])), ...detaches.map((d) => d.urn)]));
        expect(Object.keys(check.inputs.environment).sort()).toEqual(
            ["ANP_TEMPLATE", "CALICO_TEMPLATE", "CILIUM_TEMPLATE", "CONTEXT", "FQDN_TEMPLATE", "INCIDENT", "NAMESPACE", "POD_LABELS_TEMPLATE", "QUARANTINE_STEP"],
        );
        for (const r of [...detaches, ...(await Promise.all([isolation.networkPolicy, ...isolation.patches].map((p) => engine.registrationOf(p))))]) {
            expect(r.dependencies, r.name).not.toContain(check.urn);
        }
    });
});
