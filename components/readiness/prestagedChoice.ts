import { z } from "zod";
import { INCIDENT_ID, type IncidentNames } from "../../core/incidentNames";
import { GCE_NAME } from "../naming";
import type { PrestagedRuleId } from "./prestagedRules";

/**
 * The incident side of pre-staged containment (issue #13.4), pure: given what a readiness stack
 * exported (`prestagedContainment`, read through `quarantine:readinessStack`'s StackReference) and
 * the incident's VMs, which firewall rules the incident still declares itself, which tags each VM
 * and bastion gets, and what each VM's cut-off waits for. Anything short of a complete set of
 * rules for a network means the incident's own rules there, as without a readiness stack: a
 * missing or malformed output costs a few seconds of cut-off, never the cut-off.
 */

/** `prestagedContainment`, as the readiness stack exports it (`PrestagedContainment.output`). */
export interface PrestagedContainmentOutput {
    readonly version: 1;
    /** Project of the networks (the readiness stack's `gcp:project`). */
    readonly project: string;
    readonly isolationTag: string;
    readonly bastionTag: string;
    readonly networks: readonly { readonly network: string; readonly rules: Partial<Record<PrestagedRuleId, string>> }[];
}

/** A tag that is some incident's own (`quarantine-<id>`, `quarantine-<id>-bastion`): the incident id, else undefined. */
export function incidentTagOwner(tag: string): string | undefined {
    const id = /^quarantine-(.+)$/.exec(tag)?.[1];
    if (id === undefined) return undefined;
    if (INCIDENT_ID.test(id)) return id;
    const bastionOf = /^(.+)-bastion$/.exec(id)?.[1];
    return bastionOf !== undefined && INCIDENT_ID.test(bastionOf) ? bastionOf : undefined;
}

const tag = z
    .string()
    .regex(GCE_NAME)
    // Another incident's tag would hand that incident's VMs this quarantine's rules, and its destroy.
    .refine((t) => incidentTagOwner(t) === undefined, { message: "is an incident's own tag" });

const outputSchema = z.object({
    version: z.literal(1),
    project: z.string().min(1),
    isolationTag: tag,
    bastionTag: tag,
    // Rule ids this version does not know are ignored: a newer readiness stack may add some.
    networks: z.array(z.object({ network: z.string().regex(GCE_NAME), rules: z.record(z.string(), z.string().regex(GCE_NAME)) })),
});

/** What the incident's VMs need of the firewall: each VM's networks, IPv6, and its bastion's network. */
export interface ContainmentVm {
    readonly name: string;
    /** Every interface's network, the first one's first (the bastion is in the first). */
    readonly networks: readonly string[];
    readonly ipv6: boolean;
    /** The node's effective speed: `immediate`, or cut off after its drain. */
    readonly immediate: boolean;
}

export interface ContainmentChoice {
    /** Networks whose quarantine firewall is pre-staged: the incident declares no rule there. */
    readonly prestagedNetworks: readonly string[];
    /** Networks the incident declares its own `QuarantineFirewall` in, with that component's args. */
    readonly ownFirewalls: readonly { readonly network: string; readonly ipv6: boolean; readonly bastion: boolean }[];
    /** Per VM, the tags one `setTags` adds: the incident's own first, then the generic one where its networks are pre-staged. */
    readonly vmTags: Readonly<Record<string, readonly string[]>>;
    /** The generic tag, when any VM carries it: destroy removes it only when no other incident holds the VM. */
    readonly genericTag?: string;
    /** Per bastion network, the tags its bastion carries. */
    readonly bastionTags: Readonly<Record<string, readonly string[]>>;
    /** Per VM, the networks whose own deny rules its cut-off waits for (none: the cut-off is the `setTags` alone). */
    readonly cutOffWaitsForRulesIn: Readonly<Record<string, readonly string[]>>;
    /**
     * Per VM, whether its abandon runs beside the cut-off instead of before it: `immediate` and
     * fully pre-staged. Node auto-repair acts on a node NotReady for about 10 minutes
     * (https://cloud.google.com/kubernetes-engine/docs/how-to/node-auto-repair), so an abandon
     * started with the cut-off ends long before.
     */
    readonly abandonBesideCutOff: Readonly<Record<string, boolean>>;
    /** Why a network falls back to the incident's own rules, for preview. */
    readonly warnings: readonly string[];
}

const DENY_V4: PrestagedRuleId[] = ["egress-deny", "ingress-deny"];
const DENY_V6: PrestagedRuleId[] = ["egress-deny-v6", "ingress-deny-v6"];
const BASTION: PrestagedRuleId[] = ["ssh-bastion", "iap-bastion"];

/**
 * Decides, for `vms` in `project`, what the readiness stack `stack`'s `output` covers. `output`
 * undefined (no `quarantine:readinessStack`): everything is the incident's own, as today.
 */
export function chooseContainment(names: IncidentNames, project: string, vms: readonly ContainmentVm[], stack?: string, output?: unknown): ContainmentChoice {
    const warnings: string[] = [];
    let prestaged: PrestagedContainmentOutput | undefined;
    if (stack !== undefined) {
        const parsed = outputSchema.safeParse(output);
        if (!parsed.success) {
            warnings.push(`readiness stack ${stack} exports no usable prestagedContainment (${parsed.error.issues.map((i) => `${i.path.join(".") || "value"}: ${i.message}`).join("; ")}): this incident declares its own firewall rules`);
        } else if (parsed.data.project !== project) {
            warnings.push(`readiness stack ${stack} pre-stages containment in project ${parsed.data.project}, not ${project}: this incident declares its own firewall rules`);
        } else {
            prestaged = parsed.data;
        }
    }
    const networks = [...new Set(vms.flatMap((v) => v.networks))];
    const needs = (network: string) => {
        const ipv6 = vms.some((v) => v.ipv6 && v.networks.includes(network));
        const bastion = vms.some((v) => v.networks[0] === network);
        return { ipv6, bastion, rules: [...DENY_V4, ...(ipv6 ? DENY_V6 : []), ...(bastion ? BASTION : [])] };
    };
    const covered = new Set<string>();
    for (const network of networks) {
        if (!prestaged) continue;
        const have: Partial<Record<string, string>> = prestaged.networks.find((n) => n.network === network)?.rules ?? {};
        const missing = needs(network).rules.filter((r) => have[r] === undefined);
        if (missing.length === 0) covered.add(network);
        else warnings.push(`readiness stack ${stack} has no ${missing.join(", ")} rule in network ${network}: this incident declares its own firewall rules there`);
    }
    const vmTags: Record<string, string[]> = {};
    const cutOffWaitsForRulesIn: Record<string, string[]> = {};
    const abandonBesideCutOff: Record<string, boolean> = {};
    for (const vm of vms) {
        const anyCovered = vm.networks.some((n) => covered.has(n));
        vmTags[vm.name] = [names.isolationTag, ...(anyCovered && prestaged ? [prestaged.isolationTag] : [])];
        cutOffWaitsForRulesIn[vm.name] = vm.networks.filter((n) => !covered.has(n));
        abandonBesideCutOff[vm.name] = vm.immediate && cutOffWaitsForRulesIn[vm.name].length === 0;
    }
    const bastionTags: Record<string, string[]> = {};
    for (const network of new Set(vms.map((v) => v.networks[0]))) {
        bastionTags[network] = [names.bastionTag, ...(covered.has(network) && prestaged ? [prestaged.bastionTag] : [])];
    }
    const generic = prestaged && Object.values(vmTags).some((t) => t.includes(prestaged.isolationTag));
    return {
        prestagedNetworks: networks.filter((n) => covered.has(n)),
        ownFirewalls: networks.filter((n) => !covered.has(n)).map((network) => ({ network, ipv6: needs(network).ipv6, bastion: needs(network).bastion })),
        vmTags,
        ...(generic ? { genericTag: prestaged!.isolationTag } : {}),
        bastionTags,
        cutOffWaitsForRulesIn,
        abandonBesideCutOff,
        warnings,
    };
}
