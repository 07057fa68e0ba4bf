import { describe, expect, it } from "vitest";
import { networkPolicySelector } from "../../policies/rules/networkPolicySelector";
import { resourceArgs, skipReason, UNKNOWN, violations } from "./args";
import { firewall, networkPolicy } from "./fixtures";

const check = (d: Parameters<typeof resourceArgs>[0]) => violations(networkPolicySelector, resourceArgs(d));

describe("network-policy-incident-selector", () => {
    it("passes the program's deny-all", async () => {
        expect(await check(networkPolicy())).toEqual([]);
    });

    it("passes a deny-all that narrows further with matchExpressions", async () => {
        const podSelector = { matchLabels: { "quarantine/incident": "42" }, matchExpressions: [{ key: "app", operator: "In", values: ["web"] }] };
        expect(await check(networkPolicy({ podSelector }))).toEqual([]);
    });

    it.each([
        ["an empty podSelector", {}],
        ["empty matchLabels", { matchLabels: {} }],
        ["no podSelector at all", undefined],
    ])("refuses %s: it isolates the whole namespace", async (_, podSelector) => {
        expect(await check(networkPolicy({ podSelector }))).toEqual([
            "has an empty podSelector, which selects every pod in its namespace: select quarantine/incident=42",
        ]);
    });

    it.each([
        ["the runbook's quarantine label alone", { matchLabels: { quarantine: "true" } }],
        ["the app label", { matchLabels: { app: "web" } }],
        ["an expression only", { matchExpressions: [{ key: "quarantine/incident", operator: "Exists" }] }],
    ])("refuses a selector on %s", async (_, podSelector) => {
        expect(await check(networkPolicy({ podSelector }))).toEqual(["does not select by the incident label: select quarantine/incident=42"]);
    });

    it.each([
        ["an egress rule that allows everything", { egress: [{}] }, "has 1 egress rule(s), which allow egress traffic: the quarantine's deny-all has none; remove spec.egress"],
        ["an ingress rule from one namespace", { ingress: [{ from: [{ namespaceSelector: {} }] }] }, "has 1 ingress rule(s), which allow ingress traffic: the quarantine's deny-all has none; remove spec.ingress"],
    ])("refuses the incident's own policy with %s", async (_, rules, message) => {
        const np = networkPolicy();
        const spec = { ...(np.props as { spec: Record<string, unknown> }).spec, ...rules };
        expect(await check({ ...np, props: { ...np.props, spec } })).toEqual([message]);
    });

    it("refuses a selector on another incident's pods", async () => {
        expect(await check(networkPolicy({ podSelector: { matchLabels: { "quarantine/incident": "43" } } }))).toEqual([
            "selects quarantine/incident=43, another incident's pods: select quarantine/incident=42",
        ]);
    });

    it.each([
        [["Ingress"], "policyTypes lists only Ingress: list both Ingress and Egress, or the pods' egress traffic is not denied"],
        [["Egress"], "policyTypes lists only Egress: list both Ingress and Egress, or the pods' ingress traffic is not denied"],
        [undefined, "policyTypes is not set: list both Ingress and Egress, or the pods' ingress and egress traffic is not denied"],
    ])("refuses policyTypes %j", async (policyTypes, message) => {
        expect(await check(networkPolicy({ policyTypes }))).toEqual([message]);
    });

    it("checks a NetworkPolicyPatch too", async () => {
        const patch = { ...networkPolicy({ podSelector: {} }), type: "kubernetes:networking.k8s.io/v1:NetworkPolicyPatch" };
        expect(await check(patch)).toEqual(["has an empty podSelector, which selects every pod in its namespace: select quarantine/incident=42"]);
    });

    it("fails closed when the selector is unknown at preview", async () => {
        expect(await check(networkPolicy({ podSelector: { matchLabels: UNKNOWN } }))).toEqual([
            "string value at .spec.podSelector.matchLabels can't be known during preview: this guardrail fails closed on a value it cannot see; declare it from config or a constant, not from another resource's output",
        ]);
    });

    it("skips resources that are not NetworkPolicies", async () => {
        expect(await skipReason(networkPolicySelector, resourceArgs(firewall.egressDeny()))).toBe("applies to NetworkPolicies only");
    });
});
