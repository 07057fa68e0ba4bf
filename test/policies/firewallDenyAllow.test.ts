import { describe, expect, it } from "vitest";
import { IAP_RANGE as PROGRAM_IAP_RANGE } from "../../core/labels";
import { IAP_RANGE } from "../../policies/lib/network";
import { firewallDenyAllow } from "../../policies/rules/firewallDenyAllow";
import { resourceArgs, skipReason, UNKNOWN_NUMBER, violations } from "./args";
import { bastion, firewall } from "./fixtures";

const ONLY = `the only allows are tcp:22 from quarantine-42-bastion to quarantine-42, and from IAP (${IAP_RANGE}) to quarantine-42-bastion`;
const check = (d: Parameters<typeof resourceArgs>[0]) => violations(firewallDenyAllow, resourceArgs(d));

describe("firewall-deny-allow", () => {
    it("knows IAP's range as the program does", () => {
        expect(IAP_RANGE).toBe(PROGRAM_IAP_RANGE);
    });

    it.each(Object.entries(firewall))("passes the program's %s rule", async (_, make) => {
        expect(await check(make())).toEqual([]);
    });

    it.each([
        ["tcp only, as the runbook's example", [{ protocol: "tcp" }], "denies only tcp"],
        ["tcp and udp on some ports", [{ protocol: "all" }, { protocol: "tcp", ports: ["443"] }, { protocol: "udp", ports: ["53"] }], "denies only tcp:443, udp:53"],
    ])("refuses a deny of %s", async (_, denies, what) => {
        expect(await check(firewall.egressDeny({ denies }))).toEqual([
            `${what}: a quarantine deny covers all protocols (protocol "all"), since UDP and ICMP exfiltrate too`,
        ]);
    });

    it.each([
        ["an egress deny at priority 1", firewall.egressDeny({ priority: 1 }), "is an EGRESS deny at priority 1: EGRESS denies run at priority 0"],
        ["an ingress deny at priority 0", firewall.ingressDeny({ priority: 0 }), "is an INGRESS deny at priority 0: INGRESS denies run at priority 1"],
        ["an ingress deny at the default priority", firewall.ingressDeny({ priority: undefined }), "is an INGRESS deny at priority 1000: INGRESS denies run at priority 1"],
        ["a deny with no direction (ingress) at priority 0", firewall.egressDeny({ direction: undefined }), "is an INGRESS deny at priority 0: INGRESS denies run at priority 1"],
    ])("refuses %s", async (_, rule, message) => {
        expect(await check(rule)).toEqual([message]);
    });

    it.each([
        ["a disabled egress deny", firewall.egressDeny({ disabled: true }), "is a disabled deny: it denies nothing; remove disabled"],
        [
            "an egress deny to one range only",
            firewall.egressDeny({ destinationRanges: ["10.0.0.0/8"] }),
            "is an EGRESS deny whose destinationRanges (10.0.0.0/8) is narrower than 0.0.0.0/0: traffic outside it is not denied",
        ],
        [
            "an ingress deny from one range only",
            firewall.ingressDeny({ sourceRanges: ["192.168.0.0/16"] }),
            "is an INGRESS deny whose sourceRanges (192.168.0.0/16) is narrower than 0.0.0.0/0: traffic outside it is not denied",
        ],
        [
            "an ingress deny narrowed to a source tag",
            firewall.ingressDeny({ sourceRanges: [], sourceTags: ["web"] }),
            "is an INGRESS deny narrowed to tag web: a quarantine deny names no source but 0.0.0.0/0, or traffic from anything else is not denied",
        ],
    ])("refuses %s", async (_, rule, message) => {
        expect(await check(rule)).toEqual([message]);
    });

    it("passes an IPv6 deny to ::/0", async () => {
        expect(await check(firewall.egressDeny({ destinationRanges: ["::/0"] }))).toEqual([]);
    });

    it.each([
        ["SSH from anywhere", firewall.sshBastion({ sourceTags: [], sourceRanges: ["0.0.0.0/0"] }), `allows from 0.0.0.0/0, i.e. from anywhere: ${ONLY}`],
        ["SSH to the bastion from anywhere as well as IAP", firewall.iapBastion({ sourceRanges: [IAP_RANGE, "0.0.0.0/0"] }), `allows from 0.0.0.0/0, i.e. from anywhere: ${ONLY}`],
        ["SSH with no source at all", firewall.sshBastion({ sourceTags: undefined }), `allows from anywhere (an ingress rule without a source defaults to 0.0.0.0/0): ${ONLY}`],
        ["SSH from the office range", firewall.sshBastion({ sourceTags: ["quarantine-42-bastion"], sourceRanges: ["198.51.100.0/24"] }), `allows from tag quarantine-42-bastion, 198.51.100.0/24 to quarantine-42: ${ONLY}`],
        ["SSH from IAP straight to the quarantined VM", firewall.iapBastion({ targetTags: ["quarantine-42"] }), `allows from ${IAP_RANGE} to quarantine-42: ${ONLY}`],
        ["SSH from the bastion to the bastion", firewall.sshBastion({ targetTags: ["quarantine-42-bastion"] }), `allows from tag quarantine-42-bastion to quarantine-42-bastion: ${ONLY}`],
        ["SSH from a service account", firewall.sshBastion({ sourceTags: undefined, sourceServiceAccounts: ["ir@acme-prod.iam.gserviceaccount.com"] }), `allows from service account ir@acme-prod.iam.gserviceaccount.com to quarantine-42: ${ONLY}`],
        ["HTTPS from the bastion", firewall.sshBastion({ allows: [{ protocol: "tcp", ports: ["22", "443"] }] }), `allows tcp:22,443: ${ONLY}`],
        ["everything from the bastion", firewall.sshBastion({ allows: [{ protocol: "all" }] }), `allows all: ${ONLY}`],
        ["egress from the quarantined VM", firewall.sshBastion({ direction: "EGRESS", sourceTags: undefined, destinationRanges: ["0.0.0.0/0"] }), `allows EGRESS traffic: ${ONLY}`],
    ])("refuses an allow of %s", async (_, rule, message) => {
        expect(await check(rule)).toEqual([message]);
    });

    it("fails closed when a deny's priority is unknown at preview", async () => {
        expect(await check(firewall.ingressDeny({ priority: UNKNOWN_NUMBER }))).toEqual([
            "number value at .priority can't be known during preview: this guardrail fails closed on a value it cannot see; declare it from config or a constant, not from another resource's output",
        ]);
    });

    it("skips resources that are not firewall rules", async () => {
        expect(await skipReason(firewallDenyAllow, resourceArgs(bastion()))).toBe("applies to firewall rules only");
    });
});
