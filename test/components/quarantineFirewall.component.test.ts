import { describe, expect, it } from "vitest";
import { QuarantineFirewall } from "../../components/quarantineFirewall";
import { incidentNames } from "../../core/incidentNames";
import { GCE_NAME } from "../../components/naming";
import { mockEngine, type Registration } from "./componentMocks";

const engine = mockEngine();

const names = incidentNames("42");
const firewall = new QuarantineFirewall("t", { names, project: "acme-prod", network: "prod" });
const otherNetwork = new QuarantineFirewall("t-batch", { names, project: "acme-prod", network: "batch" });
const dualStack = new QuarantineFirewall("t-v6", { names, project: "acme-prod", network: "v6", ipv6: true });
const noBastion = new QuarantineFirewall("t-no-bastion", { names, project: "acme-prod", network: "edge", bastion: false });

/** What a rule does, without its name, description and logging. */
function what(rule: Registration) {
    return Object.fromEntries(Object.entries(rule.inputs).filter(([k]) => !["name", "description", "logConfig"].includes(k)));
}

describe("QuarantineFirewall", () => {
    it("the egress deny rule is priority 0 over 0.0.0.0/0 targeting the isolation tag", async () => {
        expect(what(await engine.child(firewall, "t/egress-deny"))).toEqual({
            network: "prod",
            project: "acme-prod",
            direction: "EGRESS",
            denies: [{ protocol: "all" }],
            destinationRanges: ["0.0.0.0/0"],
            priority: 0,
            targetTags: ["quarantine-42"],
        });
    });

    it("the ingress deny rule is priority 1 from 0.0.0.0/0 targeting the isolation tag", async () => {
        expect(what(await engine.child(firewall, "t/ingress-deny"))).toEqual({
            network: "prod",
            project: "acme-prod",
            direction: "INGRESS",
            denies: [{ protocol: "all" }],
            sourceRanges: ["0.0.0.0/0"],
            priority: 1,
            targetTags: ["quarantine-42"],
        });
    });

    it("lets SSH in from the incident's bastion only, ahead of the ingress deny", async () => {
        expect(what(await engine.child(firewall, "t/ssh-bastion"))).toEqual({
            network: "prod",
            project: "acme-prod",
            direction: "INGRESS",
            allows: [{ protocol: "tcp", ports: ["22"] }],
            sourceTags: ["quarantine-42-bastion"],
            priority: 0,
            targetTags: ["quarantine-42"],
        });
    });

    it("lets only Google's IAP range reach the bastion, on port 22", async () => {
        expect(what(await engine.child(firewall, "t/iap-bastion"))).toEqual({
            network: "prod",
            project: "acme-prod",
            direction: "INGRESS",
            allows: [{ protocol: "tcp", ports: ["22"] }],
            sourceRanges: ["35.235.240.0/20"],
            priority: 1000,
            targetTags: ["quarantine-42-bastion"],
        });
    });

    it("denies IPv6 egress at priority 0 and ingress at priority 1 where a VM is dual-stack, in rules of their own", async () => {
        const v6 = await Promise.all(["t-v6/egress-deny-v6", "t-v6/ingress-deny-v6"].map(async (n) => what(await engine.child(dualStack, n))));
        expect(v6).toEqual([
            { network: "v6", project: "acme-prod", direction: "EGRESS", denies: [{ protocol: "all" }], destinationRanges: ["::/0"], priority: 0, targetTags: ["quarantine-42"] },
            { network: "v6", project: "acme-prod", direction: "INGRESS", denies: [{ protocol: "all" }], sourceRanges: ["::/0"], priority: 1, targetTags: ["quarantine-42"] },
        ]);
    });

    it("hands on the IPv6 deny rules with the IPv4 ones, for the cut-off to wait for", async () => {
        expect(dualStack.denyRules).toHaveLength(4);
    });

    it("declares no IPv6 rules for an IPv4-only network", async () => {
        expect((await engine.children(firewall)).map((r) => r.name)).not.toContain("t/egress-deny-v6");
    });

    it("adds no SSH rules to a network without a bastion", async () => {
        expect((await engine.children(noBastion)).map((r) => r.name).sort()).toEqual(["t-no-bastion/egress-deny", "t-no-bastion/ingress-deny"]);
    });

    it("names the rules per incident and network, so a second network's rules never collide", async () => {
        const rules = [...(await engine.children(firewall)), ...(await engine.children(otherNetwork))];
        expect(rules).toHaveLength(8);
        expect(new Set(rules.map((r) => r.inputs.name)).size).toBe(8);
        for (const r of rules) {
            expect(r.inputs.name, r.name).toMatch(GCE_NAME);
            expect(r.inputs.name, r.name).toMatch(/^quarantine-42-/);
        }
    });

    it("logs every connection a rule matches, with all metadata, for the investigation", async () => {
        const rules = await engine.children(firewall);
        expect(rules.map((r) => r.inputs.logConfig)).toEqual(Array(4).fill({ metadata: "INCLUDE_ALL_METADATA" }));
    });
});
