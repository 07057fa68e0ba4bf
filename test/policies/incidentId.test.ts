import { describe, expect, it } from "vitest";
import { incidentId } from "../../policies/rules/incidentId";
import { resourceArgs, skipReason, UNKNOWN, violations } from "./args";
import { bastion, command, firewall, networkPolicy, snapshot } from "./fixtures";

describe("incident-id", () => {
    it.each([
        ["a firewall rule, by name", firewall.egressDeny()],
        ["a snapshot, by name and label", snapshot("disk-1")],
        ["the bastion, by name and label", bastion()],
        ["a NetworkPolicy, by name and label", networkPolicy()],
        ["a command, by name", command("vm/n1/tag", { create: "true" })],
        ["a component, by name", { type: "quarantine:network:QuarantineFirewall", name: "42/firewall/default", props: {} }],
        ["a GCE resource named otherwise, by label", { ...bastion(), name: "bastion" }],
        ["a Kubernetes resource named otherwise, by label", { ...networkPolicy(), name: "deny-all" }],
    ])("passes %s", async (_, d) => {
        expect(await violations(incidentId, resourceArgs(d))).toEqual([]);
    });

    it.each([
        ["a command", { ...command("x", { create: "true" }), name: "tag" }, "quarantine-incident"],
        ["a Kubernetes resource", { ...networkPolicy(), name: "deny-all", props: { metadata: { name: "deny-all" }, spec: {} } }, "quarantine/incident"],
    ])("refuses %s that carries no incident id", async (_, d, key) => {
        expect(await violations(incidentId, resourceArgs(d))).toEqual([`carries no incident id: name it "42/…" or label it ${key}=42`]);
    });

    it("refuses a name that only looks like the id", async () => {
        expect(await violations(incidentId, resourceArgs(command("x", { create: "true" }, { name: "420/vm/n1/tag" })))).toEqual([
            'carries no incident id: name it "42/…" or label it quarantine-incident=42',
        ]);
    });

    it.each([
        ["a GCE label", bastion({ labels: { "quarantine-incident": "43" } }), "quarantine-incident=43"],
        ["a Kubernetes label", { ...networkPolicy(), props: { metadata: { labels: { "quarantine/incident": "43" } } } }, "quarantine/incident=43"],
    ])("refuses %s naming another incident, even under the right name", async (_, d, label) => {
        expect(await violations(incidentId, resourceArgs(d))).toEqual([`is labelled ${label}, but this stack quarantines incident 42`]);
    });

    it("fails closed on a stack that names no incident", async () => {
        expect(await violations(incidentId, resourceArgs(snapshot("disk-1"), { name: "dev" }))).toEqual([
            'cannot tell which incident stack "dev" quarantines: name the stack incident-<id>, or run pulumi stack tag set quarantine:incident <id>',
        ]);
    });

    it("fails closed when the labels are unknown at preview", async () => {
        expect(await violations(incidentId, resourceArgs(bastion({ labels: UNKNOWN })))).toEqual([
            "string value at .labels can't be known during preview: this guardrail fails closed on a value it cannot see; declare it from config or a constant, not from another resource's output",
        ]);
    });

    it.each([
        ["the stack", "pulumi:pulumi:Stack", "quarantine-incident-42"],
        ["a default provider", "pulumi:providers:gcp", "default_9_37_0"],
    ])("skips the engine's own resources: %s", async (_, type, name) => {
        expect(await skipReason(incidentId, resourceArgs({ type, name, props: {} }))).toBe("applies to the quarantine's resources (not the engine's pulumi:* resources) only");
    });
});
