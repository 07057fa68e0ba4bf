import { describe, expect, it } from "vitest";
import { NodeIsolation, type NodeIsolationArgs } from "../../components/nodeIsolation";
import { incidentNames } from "../../core/incidentNames";
import { declared, mockEngine, resolve, StandIn, urns } from "./componentMocks";

// What the cut-off's scripts print on success (components/scripts/tag.create.sh, remove-external-ip.create.sh).
const SAYS: Record<string, string> = { tag: "tagged\n", "remove-external-ip": "external IP removed\n" };
const engine = mockEngine({
    computed: (a) => (a.type === "command:local:Command" ? { stdout: SAYS[String(a.name).split("/").pop()!] ?? "" } : {}),
});

const firewallRules = [new StandIn("egress-deny"), new StandIn("ingress-deny")];
const cutOffAfter = [new StandIn("pod-label"), new StandIn("deny-all"), new StandIn("drain")];
const args: NodeIsolationArgs = {
    names: incidentNames("42"),
    project: "acme-prod",
    zone: "us-central1-a",
    instance: "gke-prod-pool-1-abcdef-zgt8",
    mig: { name: "gke-prod-pool-1-abcdef-grp", scope: "zone", location: "us-central1-a" },
    externalIp: "34.66.1.2",
    deletionProtection: false,
    firewallRules,
    cutOffAfter,
};
const isolation = new NodeIsolation("t", args);
const bare = new NodeIsolation("t-bare", { ...args, instance: "standalone-vm", mig: undefined, externalIp: undefined, deletionProtection: true });

describe("NodeIsolation", () => {
    it("abandons the VM from its managed instance group, right away, and says destroy can't put it back", async () => {
        const abandon = await engine.child(isolation, "t/abandon");
        expect([declared(abandon).kind, declared(abandon).script]).toEqual(["isolation", "abandon"]);
        expect(declared(abandon).destroy).toMatch(/^one-way: /);
        expect(abandon.dependencies).toEqual([]);
        expect(abandon.inputs.environment).toMatchObject({ INSTANCE: "gke-prod-pool-1-abcdef-zgt8", MIG: "gke-prod-pool-1-abcdef-grp", MIG_SCOPE: "zone", MIG_LOCATION: "us-central1-a" });
        expect(isolation.oneWay).toContain("abandoned gke-prod-pool-1-abcdef-zgt8 from managed instance group gke-prod-pool-1-abcdef-grp");
    });

    it("checks the VM's firewall policies, declared a check, only once the tag and the IP removal have run", async () => {
        const check = await engine.child(isolation, "t/firewall-check");
        const cut = await Promise.all(["t/tag", "t/remove-external-ip"].map((n) => engine.child(isolation, n)));
        expect([declared(check).kind, declared(check).script]).toEqual(["check", "firewall-check"]);
        expect(new Set(check.dependencies)).toEqual(new Set(cut.map((c) => c.urn)));
        expect(check.inputs.environment).toMatchObject({ PROJECT: "acme-prod", ZONE: "us-central1-a", INSTANCE: "gke-prod-pool-1-abcdef-zgt8" });
        for (const c of cut) expect(c.dependencies, `${c.name} never waits for the check`).not.toContain(check.urn);
    });

    it("creates no abandon step when the VM is in no group", async () => {
        expect((await engine.children(bare)).map((c) => c.name).sort()).toEqual(["t-bare/firewall-check", "t-bare/protect", "t-bare/tag"]);
        expect(bare.oneWay).toEqual([]);
    });

    it("turns on deletion protection at once, telling destroy what it was before", async () => {
        const [protect, bareProtect] = await Promise.all([engine.child(isolation, "t/protect"), engine.child(bare, "t-bare/protect")]);
        expect([declared(protect).kind, declared(protect).script, protect.dependencies]).toEqual(["isolation", "protect", []]);
        expect([protect.inputs.environment.WAS_PROTECTED, bareProtect.inputs.environment.WAS_PROTECTED]).toEqual(["false", "true"]);
    });

    it("tags the VM only once it is out of its group, the firewall rules exist and the pods and drain are done", async () => {
        const tag = await engine.child(isolation, "t/tag");
        const abandon = await engine.child(isolation, "t/abandon");
        expect(new Set(tag.dependencies)).toEqual(new Set([abandon.urn, ...(await urns([...firewallRules, ...cutOffAfter]))]));
        expect([declared(tag).kind, declared(tag).script, tag.inputs.environment.TAG]).toEqual(["isolation", "tag", "quarantine-42"]);
    });

    it("removes the external IP together with the tag, and lists the address as possibly lost", async () => {
        const [tag, ip] = await Promise.all([engine.child(isolation, "t/tag"), engine.child(isolation, "t/remove-external-ip")]);
        expect(new Set(ip.dependencies)).toEqual(new Set(tag.dependencies));
        expect([declared(ip).script, ip.inputs.environment.EXTERNAL_IP]).toEqual(["remove-external-ip", "34.66.1.2"]);
        expect(isolation.oneWay).toContain("removed external IP 34.66.1.2 from gke-prod-pool-1-abcdef-zgt8 (an ephemeral address can't be reclaimed)");
    });

    it("counts the node cut off once its tag is on and its external IP is gone", async () => {
        const expected = await Promise.all([engine.child(isolation, "t/tag"), engine.child(isolation, "t/remove-external-ip")]);
        expect(await urns(isolation.isolated)).toEqual(expected.map((c) => c.urn));
        expect(await urns(bare.isolated)).toEqual([(await engine.child(bare, "t-bare/tag")).urn]);
    });

    it("reports what its cut-off did, for the stack's nodesCutOff output", async () => {
        expect(await resolve(isolation.cutOff)).toBe("tagged; external IP removed");
        expect(await resolve(bare.cutOff)).toBe("tagged");
    });
});
