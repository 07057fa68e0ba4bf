import { describe, expect, it } from "vitest";
import { firewallTargetTags } from "../../policies/rules/firewallTargetTags";
import { resourceArgs, skipReason, stackArgs, stackViolations, UNKNOWN_ARRAY, urnOf, violations } from "./args";
import { firewall, snapshot } from "./fixtures";

const ALLOWED = "target quarantine-42 (or quarantine-42-bastion for the bastion's own rule)";

describe("firewall-target-tags", () => {
    it.each(Object.entries(firewall))("passes the program's %s rule", async (_, make) => {
        expect(await violations(firewallTargetTags, resourceArgs(make()))).toEqual([]);
    });

    it.each([
        ["no target tags", undefined],
        ["an empty list of target tags", []],
    ])("refuses a deny rule with %s: it would apply to the whole VPC", async (_, targetTags) => {
        expect(await violations(firewallTargetTags, resourceArgs(firewall.egressDeny({ targetTags })))).toEqual([
            `has no target tags, so it applies to every VM in its VPC network: ${ALLOWED}`,
        ]);
    });

    it.each([
        ["the cluster's node tag", ["gke-prod-node"], '"gke-prod-node"'],
        ["another incident's tag", ["quarantine-42", "quarantine-43"], '"quarantine-43"'],
        ["another incident's bastion tag", ["quarantine-4-bastion"], '"quarantine-4-bastion"'],
    ])("refuses a rule targeting %s", async (_, targetTags, named) => {
        expect(await violations(firewallTargetTags, resourceArgs(firewall.ingressDeny({ targetTags })))).toEqual([
            `targets ${named}, which is not this incident's: target only quarantine-42 (or quarantine-42-bastion for the bastion's own rule)`,
        ]);
    });

    it("fails closed when the target tags are unknown at preview", async () => {
        expect(await violations(firewallTargetTags, resourceArgs(firewall.egressDeny({ targetTags: UNKNOWN_ARRAY })))).toEqual([
            "Array value at .targetTags can't be known during preview: this guardrail fails closed on a value it cannot see; declare it from config or a constant, not from another resource's output",
        ]);
    });

    it("takes the incident from the stack tag quarantine:incident when the stack is not incident-<id>", async () => {
        const args = resourceArgs(firewall.egressDeny(), { name: "prod-ir", tags: { "quarantine:incident": "42" } });
        expect(await violations(firewallTargetTags, args)).toEqual([]);
    });

    it("prefers the stack tag over the stack name", async () => {
        const args = resourceArgs(firewall.egressDeny(), { name: "incident-42", tags: { "quarantine:incident": "43" } });
        expect(await violations(firewallTargetTags, args)).toEqual([
            'targets "quarantine-42", which is not this incident\'s: target only quarantine-43 (or quarantine-43-bastion for the bastion\'s own rule)',
        ]);
    });

    it("fails closed on a stack that names no incident", async () => {
        expect(await violations(firewallTargetTags, resourceArgs(firewall.egressDeny(), { name: "prod-ir" }))).toEqual([
            'cannot tell which incident stack "prod-ir" quarantines: name the stack incident-<id>, or run pulumi stack tag set quarantine:incident <id>',
        ]);
    });

    it("refuses a stack tag that is not an incident id", async () => {
        const args = resourceArgs(firewall.egressDeny(), { tags: { "quarantine:incident": "Incident 42" } });
        expect(await violations(firewallTargetTags, args)).toEqual([
            "stack tag quarantine:incident \"Incident 42\" is not an incident id (lowercase letters, digits, '-'; at most 20), e.g. 42",
        ]);
    });

    it("skips resources that are not firewall rules", async () => {
        expect(await skipReason(firewallTargetTags, resourceArgs(snapshot("disk-1")))).toBe("applies to firewall rules only");
    });

    it("checks every rule of the stack in analyzeStack, reporting against the rule", async () => {
        const bad = firewall.egressDeny({ targetTags: [] });
        const args = stackArgs([bad, firewall.ingressDeny(), firewall.sshBastion(), firewall.iapBastion(), snapshot("disk-1")]);
        expect(await stackViolations(firewallTargetTags as any, args)).toEqual([
            { urn: urnOf(bad.type, bad.name), message: `has no target tags, so it applies to every VM in its VPC network: ${ALLOWED}` },
        ]);
    });
});
