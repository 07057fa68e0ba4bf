import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import { PRESTAGED_RULE_IDS, PRESTAGED_RULES, PRESTAGED_TAGS, prestagedRuleName, type PrestagedRuleId } from "./prestagedRules";
import type { PrestagedContainmentOutput } from "./prestagedChoice";

export interface PrestagedContainmentArgs {
    /** Project of the VPC networks (the clusters' project). */
    readonly project: string;
    /** VPC network names to pre-stage the quarantine firewall in, each once. */
    readonly networks: readonly string[];
}

/**
 * The quarantine firewall declared before any incident (issue #13.4): in each network, deny all
 * egress (priority 0) and all ingress (priority 1) over IPv4 and IPv6, allow SSH from the
 * bastions, and allow IAP to reach the bastions, all on the generic tags of `prestagedRules.ts`,
 * which no VM carries: the rules change nothing until a quarantine tags a VM. An incident stack
 * that reads this stack then declares no firewall rules, so its VM's cut-off is one `setTags`.
 * `destroy` removes the rules (nothing is evidence here), which releases any VM still tagged: an
 * incident stack still open keeps relying on them, so tear this stack down only with none open.
 */
export class PrestagedContainment extends pulumi.ComponentResource {
    /** Every rule, by network then rule id. */
    public readonly rules: ReadonlyMap<string, ReadonlyMap<PrestagedRuleId, gcp.compute.Firewall>>;
    /** What the incident program reads through its StackReference (`parsePrestaged`). */
    public readonly output: pulumi.Output<PrestagedContainmentOutput>;

    constructor(name: string, args: PrestagedContainmentArgs, opts?: pulumi.ComponentResourceOptions) {
        super("quarantine:readiness:PrestagedContainment", name, {}, opts);
        const rules = new Map<string, Map<PrestagedRuleId, gcp.compute.Firewall>>();
        for (const network of args.networks) {
            const byId = new Map<PrestagedRuleId, gcp.compute.Firewall>();
            for (const id of PRESTAGED_RULE_IDS) {
                const spec = PRESTAGED_RULES[id];
                const what = [{ protocol: spec.protocol, ...(spec.ports.length > 0 ? { ports: [...spec.ports] } : {}) }];
                const ranges = spec.ranges.length > 0 ? (spec.direction === "EGRESS" ? { destinationRanges: [...spec.ranges] } : { sourceRanges: [...spec.ranges] }) : {};
                byId.set(
                    id,
                    new gcp.compute.Firewall(
                        `${name}/${network}/${id}`,
                        {
                            name: prestagedRuleName(network, id),
                            project: args.project,
                            network,
                            description: `Pre-staged quarantine (inert until a VM carries tag ${spec.targetTag}): ${id}`,
                            direction: spec.direction,
                            priority: spec.priority,
                            ...(spec.action === "deny" ? { denies: what } : { allows: what }),
                            ...ranges,
                            ...(spec.sourceTags.length > 0 ? { sourceTags: [...spec.sourceTags] } : {}),
                            targetTags: [spec.targetTag],
                            // Logs only what a quarantined VM tries: nothing until one is tagged.
                            logConfig: { metadata: "INCLUDE_ALL_METADATA" },
                        },
                        { parent: this },
                    ),
                );
            }
            rules.set(network, byId);
        }
        this.rules = rules;
        const names = [...rules].map(([network, byId]) =>
            pulumi.all([...byId].map(([id, fw]) => fw.name.apply((n) => [id, n] as const))).apply((pairs) => ({ network, rules: Object.fromEntries(pairs) as Record<PrestagedRuleId, string> })),
        );
        this.output = pulumi.all(names).apply((networks) => ({ version: 1 as const, project: args.project, isolationTag: PRESTAGED_TAGS.isolation, bastionTag: PRESTAGED_TAGS.bastion, networks }));
        this.registerOutputs({ prestagedContainment: this.output });
    }
}
