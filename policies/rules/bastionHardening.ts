import { resourceRule } from "../lib/policy";

interface InstanceProps {
    readonly networkInterfaces?: readonly {
        readonly accessConfigs?: readonly unknown[];
        readonly ipv6AccessConfigs?: readonly unknown[];
    }[];
    readonly shieldedInstanceConfig?: { readonly enableSecureBoot?: boolean };
    readonly metadata?: Record<string, string>;
    readonly serviceAccount?: { readonly email?: string; readonly scopes?: readonly string[] };
}

const CLOUD_PLATFORM = ["cloud-platform", "https://www.googleapis.com/auth/cloud-platform"];
/** The project's default compute service account; an empty email or `default` means it too. */
const DEFAULT_SA = /^(|default|\d+-compute@developer\.gserviceaccount\.com)$/;

/**
 * The intermediate VM sits next to a compromised node, so it is held to the runbook's hardening.
 * The stack creates no other VM, so the policy applies to every `gcp.compute.Instance` in it.
 */
export const bastionHardening = resourceRule({
    name: "bastion-hardening",
    description: "The bastion has no external IP, runs as a Shielded VM with secure boot and OS Login, and does not hold the default compute service account with the cloud-platform scope.",
    appliesTo: (type) => type === "gcp:compute/instance:Instance",
    scope: "VM instances",
    check: (r, report) => {
        const vm = r.props as InstanceProps;
        (vm.networkInterfaces ?? []).forEach((nic, i) => {
            if ((nic.accessConfigs ?? []).length > 0) {
                report(`networkInterfaces[${i}] has an access config, i.e. an external IP: reach the bastion through IAP only`);
            }
            if ((nic.ipv6AccessConfigs ?? []).length > 0) {
                report(`networkInterfaces[${i}] has an IPv6 access config, i.e. an external IPv6 address: reach the bastion through IAP only`);
            }
        });
        if (vm.shieldedInstanceConfig?.enableSecureBoot !== true) {
            report("is not a Shielded VM with secure boot: set shieldedInstanceConfig.enableSecureBoot to true");
        }
        const osLogin = vm.metadata?.["enable-oslogin"];
        if (String(osLogin ?? "").toUpperCase() !== "TRUE") {
            report("does not turn on OS Login: set metadata enable-oslogin to TRUE, so access is by IAM identity and audited");
        }
        const sa = vm.serviceAccount;
        if (sa !== undefined && sa !== null) {
            const email = sa.email ?? "";
            if (DEFAULT_SA.test(email) && (sa.scopes ?? []).some((s) => CLOUD_PLATFORM.includes(s))) {
                report(`runs as the default compute service account (${email || "default"}) with the cloud-platform scope: a VM next to a compromised node holds no broad credentials; drop serviceAccount`);
            }
        }
    },
});
