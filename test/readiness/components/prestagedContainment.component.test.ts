import { describe, expect, it } from "vitest";
import { PrestagedContainment } from "../../../components/readiness/prestagedContainment";
import { PRESTAGED_TAGS, prestagedRuleName } from "../../../components/readiness/prestagedRules";
import { mockEngine, resolve } from "../../components/componentMocks";

const engine = mockEngine();

const staged = new PrestagedContainment("t", { project: "acme-prod", networks: ["default", "prod-vpc"] });

async function rule(network: string, id: string) {
    return engine.child(staged, `t/${network}/${id}`);
}

describe("PrestagedContainment", () => {
    it("declares six rules per network, each named apart from every incident's", async () => {
        const children = await engine.children(staged);
        expect(children).toHaveLength(12);
        expect(children.every((c) => c.type === "gcp:compute/firewall:Firewall" && c.inputs.project === "acme-prod")).toBe(true);
        const names = children.map((c) => c.inputs.name);
        expect(new Set(names).size).toBe(12);
        for (const n of names) expect(n).toMatch(/^prestaged-quarantine-[-a-z0-9]+$/);
        expect((await rule("prod-vpc", "egress-deny")).inputs).toMatchObject({ network: "prod-vpc", name: prestagedRuleName("prod-vpc", "egress-deny") });
    });

    it.each([
        ["egress-deny", { direction: "EGRESS", priority: 0, denies: [{ protocol: "all" }], destinationRanges: ["0.0.0.0/0"] }],
        ["ingress-deny", { direction: "INGRESS", priority: 1, denies: [{ protocol: "all" }], sourceRanges: ["0.0.0.0/0"] }],
        ["egress-deny-v6", { direction: "EGRESS", priority: 0, denies: [{ protocol: "all" }], destinationRanges: ["::/0"] }],
        ["ingress-deny-v6", { direction: "INGRESS", priority: 1, denies: [{ protocol: "all" }], sourceRanges: ["::/0"] }],
    ])("denies all protocols with %s on the generic isolation tag only", async (id, want) => {
        const r = await rule("default", id);
        expect(r.inputs).toMatchObject({ ...want, targetTags: [PRESTAGED_TAGS.isolation] });
        expect(r.inputs.allows).toBeUndefined();
    });

    it("lets only the bastions' tag reach a quarantined VM's SSH, before the ingress deny", async () => {
        const r = await rule("default", "ssh-bastion");
        expect(r.inputs).toMatchObject({ direction: "INGRESS", priority: 0, allows: [{ protocol: "tcp", ports: ["22"] }], sourceTags: [PRESTAGED_TAGS.bastion], targetTags: [PRESTAGED_TAGS.isolation] });
        expect(r.inputs.sourceRanges).toBeUndefined();
    });

    it("lets IAP reach the bastions, and nothing else", async () => {
        const r = await rule("default", "iap-bastion");
        expect(r.inputs).toMatchObject({ direction: "INGRESS", allows: [{ protocol: "tcp", ports: ["22"] }], sourceRanges: ["35.235.240.0/20"], targetTags: [PRESTAGED_TAGS.bastion] });
    });

    it("exports the tags and every rule's name per network, as the incident side reads them", async () => {
        const out = await resolve(staged.output);
        expect(out).toMatchObject({ version: 1, project: "acme-prod", isolationTag: "quarantined-vm", bastionTag: "quarantined-vm-bastion" });
        expect(out.networks.map((n) => n.network)).toEqual(["default", "prod-vpc"]);
        expect(out.networks[1].rules["ingress-deny-v6"]).toBe(prestagedRuleName("prod-vpc", "ingress-deny-v6"));
        expect(Object.keys(out.networks[0].rules).sort()).toEqual(["egress-deny", "egress-deny-v6", "iap-bastion", "ingress-deny", "ingress-deny-v6", "ssh-bastion"]);
    });
});
