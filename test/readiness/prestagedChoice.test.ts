import { describe, expect, it } from "vitest";
import { chooseContainment, incidentTagOwner, type ContainmentVm } from "../../components/readiness/prestagedChoice";
import { PRESTAGED_RULE_IDS, PRESTAGED_TAGS, prestagedRuleName } from "../../components/readiness/prestagedRules";
import { incidentNames } from "../../core/incidentNames";
import { otherIncidentsOn } from "../../stacks/incident/sharedVm";

const names = incidentNames("42");
const STACK = "organization/quarantine-readiness/prod";
const rulesIn = (network: string, ids = PRESTAGED_RULE_IDS) => ({ network, rules: Object.fromEntries(ids.map((id) => [id, prestagedRuleName(network, id)])) });
const OUTPUT = { version: 1, project: "acme-prod", isolationTag: PRESTAGED_TAGS.isolation, bastionTag: PRESTAGED_TAGS.bastion, networks: [rulesIn("default")] };
const vm = (name: string, networks: string[], extra: Partial<ContainmentVm> = {}): ContainmentVm => ({ name, networks, ipv6: false, immediate: false, ...extra });

describe("chooseContainment without a readiness stack", () => {
    it("declares the incident's own rules in every network, as today, and tags with the incident's tag only", () => {
        const c = chooseContainment(names, "acme-prod", [vm("n1", ["default", "storage"], { ipv6: true, immediate: true })]);
        expect(c.ownFirewalls).toEqual([
            { network: "default", ipv6: true, bastion: true },
            { network: "storage", ipv6: true, bastion: false },
        ]);
        expect(c.prestagedNetworks).toEqual([]);
        expect(c.vmTags).toEqual({ n1: ["quarantine-42"] });
        expect(c.genericTag).toBeUndefined();
        expect(c.bastionTags).toEqual({ default: ["quarantine-42-bastion"] });
        expect(c.cutOffWaitsForRulesIn).toEqual({ n1: ["default", "storage"] });
        expect(c.abandonBesideCutOff).toEqual({ n1: false });
        expect(c.warnings).toEqual([]);
    });
});

describe("chooseContainment with a readiness stack that covers the VM's network", () => {
    const c = chooseContainment(names, "acme-prod", [vm("n1", ["default"], { ipv6: true, immediate: true }), vm("n2", ["default"])], STACK, OUTPUT);

    it("declares no firewall rule of the incident's own", () => {
        expect([c.ownFirewalls, c.prestagedNetworks]).toEqual([[], ["default"]]);
    });

    it("adds the incident's tag and the generic one in one setTags, and names the generic tag for destroy", () => {
        expect(c.vmTags).toEqual({ n1: ["quarantine-42", "quarantined-vm"], n2: ["quarantine-42", "quarantined-vm"] });
        expect(c.genericTag).toBe("quarantined-vm");
    });

    it("gives the bastion the generic bastion tag, the one source the pre-staged SSH rule allows", () => {
        expect(c.bastionTags).toEqual({ default: ["quarantine-42-bastion", "quarantined-vm-bastion"] });
    });

    it("cuts the VM off without waiting for any rule, and in immediate mode beside the abandon", () => {
        expect(c.cutOffWaitsForRulesIn).toEqual({ n1: [], n2: [] });
        expect(c.abandonBesideCutOff).toEqual({ n1: true, n2: false });
        expect(c.warnings).toEqual([]);
    });
});

describe("chooseContainment falls back to the incident's own rules", () => {
    it("in a network the readiness stack did not pre-stage, and says so", () => {
        const c = chooseContainment(names, "acme-prod", [vm("n1", ["default", "storage"], { immediate: true })], STACK, OUTPUT);
        expect(c.ownFirewalls).toEqual([{ network: "storage", ipv6: false, bastion: false }]);
        expect(c.vmTags.n1).toEqual(["quarantine-42", "quarantined-vm"]);
        expect(c.cutOffWaitsForRulesIn.n1).toEqual(["storage"]);
        expect(c.abandonBesideCutOff.n1).toBe(false);
        expect(c.warnings).toEqual([`readiness stack ${STACK} has no egress-deny, ingress-deny rule in network storage: this incident declares its own firewall rules there`]);
    });

    it("where the VM has IPv6 and the ::/0 rules are missing", () => {
        const v4only = { ...OUTPUT, networks: [rulesIn("default", ["egress-deny", "ingress-deny", "ssh-bastion", "iap-bastion"])] };
        const c = chooseContainment(names, "acme-prod", [vm("n1", ["default"], { ipv6: true })], STACK, v4only);
        expect(c.ownFirewalls).toEqual([{ network: "default", ipv6: true, bastion: true }]);
        expect(c.vmTags.n1).toEqual(["quarantine-42"]);
        expect(c.genericTag).toBeUndefined();
        expect(c.warnings[0]).toContain("has no egress-deny-v6, ingress-deny-v6 rule in network default");
    });

    it("when the readiness stack is another project's", () => {
        const c = chooseContainment(names, "acme-staging", [vm("n1", ["default"])], STACK, OUTPUT);
        expect(c.ownFirewalls.map((f) => f.network)).toEqual(["default"]);
        expect(c.warnings).toEqual([`readiness stack ${STACK} pre-stages containment in project acme-prod, not acme-staging: this incident declares its own firewall rules`]);
    });

    it.each([
        ["no output at all", undefined],
        ["an unknown version", { ...OUTPUT, version: 2 }],
        ["an incident's own tag as the generic one", { ...OUTPUT, isolationTag: "quarantine-7" }],
        ["a tag GCE would refuse", { ...OUTPUT, bastionTag: "Quarantine VM" }],
    ])("when the readiness stack exports %s", (_what, output) => {
        const c = chooseContainment(names, "acme-prod", [vm("n1", ["default"])], STACK, output);
        expect([c.ownFirewalls.length, c.vmTags.n1]).toEqual([1, ["quarantine-42"]]);
        expect(c.warnings[0]).toMatch(/^readiness stack organization\/quarantine-readiness\/prod exports no usable prestagedContainment \(.+\): this incident declares its own firewall rules$/);
    });
});

describe("the generic tags", () => {
    it.each([
        ["quarantine-42", "42"],
        ["quarantine-42-bastion", "42"],
        // Why the generic bastion tag is not quarantine-bastion: incident "bastion" tags its VMs so.
        ["quarantine-bastion", "bastion"],
        ["quarantine-bastion-of-every-incident", undefined],
        [PRESTAGED_TAGS.isolation, undefined],
        [PRESTAGED_TAGS.bastion, undefined],
    ])("%s is incident %s's own tag", (tag, owner) => {
        expect(incidentTagOwner(tag)).toBe(owner);
    });

    it("never count as another incident holding the VM (what destroy and delete-node read)", () => {
        expect(otherIncidentsOn([PRESTAGED_TAGS.isolation, PRESTAGED_TAGS.bastion, "quarantine-42", "quarantine-7"], "42")).toEqual(["7"]);
    });
});
