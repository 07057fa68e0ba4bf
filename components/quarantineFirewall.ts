import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import { IAP_RANGE } from "../core/labels";
import { IncidentNames } from "../core/incidentNames";
import { firewallRuleName } from "./naming";

export interface QuarantineFirewallArgs {
    /** The incident's names (rule names and tags derive from them). */
    readonly names: IncidentNames;
    /** Project of the VPC network. */
    readonly project: string;
    /** VPC network name of the quarantined VMs. */
    readonly network: string;
    /** Whether a bastion exists in this network (adds the SSH allow rules). Default true. */
    readonly bastion?: boolean;
    /** Whether a quarantined VM has IPv6 in this network (adds the ::/0 deny rules). Default false. */
    readonly ipv6?: boolean;
}

/**
 * The runbook's firewall, per network, every rule scoped to the incident's own tags (a rule
 * without target tags would black out the whole VPC):
 *
 * | rule          | direction | action | what                 | priority | targets        |
 * |---------------|-----------|--------|----------------------|----------|----------------|
 * | egress-deny   | EGRESS    | deny   | all, to 0.0.0.0/0    | 0        | isolation tag  |
 * | ingress-deny  | INGRESS   | deny   | all, from 0.0.0.0/0  | 1        | isolation tag  |
 * | ssh-bastion   | INGRESS   | allow  | tcp:22 from bastion  | 0        | isolation tag  |
 * | iap-bastion   | INGRESS   | allow  | tcp:22 from IAP      | 1000     | bastion tag    |
 *
 * Where a quarantined VM's interface is dual-stack, `egress-deny-v6` and `ingress-deny-v6` do
 * the same for ::/0 (priorities 0 and 1): a rule can't mix IPv4 and IPv6 ranges
 * (https://cloud.google.com/firewall/docs/firewalls, "Sources for ingress rules"), so 0.0.0.0/0 alone leaves
 * IPv6 open.
 *
 * The runbook's rules deny TCP only; we deny all protocols, since UDP (DNS tunnelling) and ICMP
 * exfiltrate too. Firewalls are stateful, so the bastion's SSH replies pass the egress deny.
 * The rules exist before the tag is applied, so the VM is never tagged without them.
 */
export class QuarantineFirewall extends pulumi.ComponentResource {
    public readonly rules: gcp.compute.Firewall[];
    /** The egress and ingress deny rules: all the node's cut-off waits for (never the SSH allows). */
    public readonly denyRules: gcp.compute.Firewall[];

    constructor(name: string, args: QuarantineFirewallArgs, opts?: pulumi.ComponentResourceOptions) {
        super("quarantine:network:QuarantineFirewall", name, {}, opts);
        const { names, network, project } = args;
        const rule = (suffix: string, spec: Omit<gcp.compute.FirewallArgs, "network" | "project" | "name">) =>
            new gcp.compute.Firewall(
                `${name}/${suffix}`,
                {
                    name: firewallRuleName(names, network, suffix),
                    network,
                    project,
                    description: `Quarantine of incident ${names.id}: ${suffix}`,
                    logConfig: { metadata: "INCLUDE_ALL_METADATA" },
                    ...spec,
                },
                { parent: this },
            );

        this.rules = [
            rule("egress-deny", {
                direction: "EGRESS",
                denies: [{ protocol: "all" }],
                destinationRanges: ["0.0.0.0/0"],
                priority: 0,
                targetTags: [names.isolationTag],
            }),
            rule("ingress-deny", {
                direction: "INGRESS",
                denies: [{ protocol: "all" }],
                sourceRanges: ["0.0.0.0/0"],
                priority: 1,
                targetTags: [names.isolationTag],
            }),
        ];
        if (args.ipv6) {
            this.rules.push(
                rule("egress-deny-v6", {
                    direction: "EGRESS",
                    denies: [{ protocol: "all" }],
                    destinationRanges: ["::/0"],
                    priority: 0,
                    targetTags: [names.isolationTag],
                }),
                rule("ingress-deny-v6", {
                    direction: "INGRESS",
                    denies: [{ protocol: "all" }],
                    sourceRanges: ["::/0"],
                    priority: 1,
                    targetTags: [names.isolationTag],
                }),
            );
        }
        this.denyRules = [...this.rules];
        if (args.bastion !== false) {
            this.rules.push(
                rule("ssh-bastion", {
                    direction: "INGRESS",
                    allows: [{ protocol: "tcp", ports: ["22"] }],
                    sourceTags: [names.bastionTag],
                    priority: 0,
                    targetTags: [names.isolationTag],
                }),
                rule("iap-bastion", {
                    direction: "INGRESS",
                    allows: [{ protocol: "tcp", ports: ["22"] }],
                    sourceRanges: [IAP_RANGE],
                    priority: 1000,
                    targetTags: [names.bastionTag],
                }),
            );
        }
        this.registerOutputs({ ruleNames: pulumi.all(this.rules.map((r) => r.name)) });
    }
}
