import { describe, expect, it } from "vitest";
import { bastionHardening } from "../../policies/rules/bastionHardening";
import { resourceArgs, skipReason, UNKNOWN, violations } from "./args";
import { bastion, firewall } from "./fixtures";

const check = (d: Parameters<typeof resourceArgs>[0]) => violations(bastionHardening, resourceArgs(d));
const nic = { network: "default", subnetwork: "projects/acme-prod/regions/us-central1/subnetworks/default" };

describe("bastion-hardening", () => {
    it("passes the program's bastion", async () => {
        expect(await check(bastion())).toEqual([]);
    });

    it.each([
        ["an ephemeral external IP", [{ ...nic, accessConfigs: [{}] }], "networkInterfaces[0] has an access config, i.e. an external IP: reach the bastion through IAP only"],
        ["a static external IP on a second NIC", [nic, { ...nic, accessConfigs: [{ natIp: "203.0.113.9" }] }], "networkInterfaces[1] has an access config, i.e. an external IP: reach the bastion through IAP only"],
        ["an external IPv6 address", [{ ...nic, ipv6AccessConfigs: [{ networkTier: "PREMIUM" }] }], "networkInterfaces[0] has an IPv6 access config, i.e. an external IPv6 address: reach the bastion through IAP only"],
    ])("refuses %s", async (_, networkInterfaces, message) => {
        expect(await check(bastion({ networkInterfaces }))).toEqual([message]);
    });

    it.each([
        ["secure boot off", { enableSecureBoot: false, enableVtpm: true }],
        ["no shielded VM config", undefined],
    ])("refuses %s", async (_, shieldedInstanceConfig) => {
        expect(await check(bastion({ shieldedInstanceConfig }))).toEqual(["is not a Shielded VM with secure boot: set shieldedInstanceConfig.enableSecureBoot to true"]);
    });

    it.each([
        ["OS Login off", { "enable-oslogin": "FALSE" }],
        ["no OS Login metadata", { "block-project-ssh-keys": "TRUE" }],
        ["no metadata at all", undefined],
    ])("refuses %s", async (_, metadata) => {
        expect(await check(bastion({ metadata }))).toEqual(["does not turn on OS Login: set metadata enable-oslogin to TRUE, so access is by IAM identity and audited"]);
    });

    it("accepts OS Login spelled in lower case", async () => {
        expect(await check(bastion({ metadata: { "enable-oslogin": "true" } }))).toEqual([]);
    });

    it.each([
        ["by email", "123456789012-compute@developer.gserviceaccount.com", ["cloud-platform"]],
        ["implicitly (no email)", undefined, ["https://www.googleapis.com/auth/cloud-platform"]],
    ])("refuses the default compute service account %s with the cloud-platform scope", async (_, email, scopes) => {
        expect(await check(bastion({ serviceAccount: { email, scopes } }))).toEqual([
            `runs as the default compute service account (${email ?? "default"}) with the cloud-platform scope: a VM next to a compromised node holds no broad credentials; drop serviceAccount`,
        ]);
    });

    it.each([
        ["a dedicated service account with cloud-platform", { email: "bastion@acme-prod.iam.gserviceaccount.com", scopes: ["cloud-platform"] }],
        ["the default service account with a narrow scope", { email: "123456789012-compute@developer.gserviceaccount.com", scopes: ["logging-write"] }],
    ])("accepts %s", async (_, serviceAccount) => {
        expect(await check(bastion({ serviceAccount }))).toEqual([]);
    });

    it("fails closed when the network interfaces are unknown at preview", async () => {
        expect(await check(bastion({ networkInterfaces: UNKNOWN }))).toEqual([
            "string value at .networkInterfaces can't be known during preview: this guardrail fails closed on a value it cannot see; declare it from config or a constant, not from another resource's output",
        ]);
    });

    it("skips resources that are not VMs", async () => {
        expect(await skipReason(bastionHardening, resourceArgs(firewall.egressDeny()))).toBe("applies to VM instances only");
    });
});
