import * as pulumi from "@pulumi/pulumi";
import type * as command from "@pulumi/command";
import { IncidentNames } from "../core/incidentNames";
import { shellCommand } from "./shell";

export interface NodeIsolationArgs {
    /** The incident's names (the isolation tag derives from them). */
    readonly names: IncidentNames;
    /** Project of the VM. */
    readonly project: string;
    /** Zone of the VM. */
    readonly zone: string;
    /** GCE instance name of the node. */
    readonly instance: string;
    /** Managed instance group that owns the VM. Default: none (no abandon step). */
    readonly mig?: { readonly name: string; readonly scope: "zone" | "region"; readonly location: string };
    /** External IP found on the VM; restored on destroy where GCE allows. Default: none (no removal step). */
    readonly externalIp?: string;
    /** Deletion protection as found, so destroy restores it instead of clearing it blindly. */
    readonly deletionProtection: boolean;
    /** The incident's deny rules: the VM is never tagged before they exist. */
    readonly firewallRules: pulumi.Resource[];
    /**
     * What must be done before the node is cut off: the pods' label and NetworkPolicy, and (unless
     * the responder chose `immediate`) the drain, since a cut-off kubelet can't stop drained pods.
     */
    readonly cutOffAfter: pulumi.Resource[];
    /**
     * A readiness stack's generic quarantine tag, added with the incident's own in one `setTags`
     * where its pre-staged rules cover the VM's networks. Default none.
     */
    readonly genericTag?: string;
    /**
     * Run the abandon beside the cut-off rather than before it: `immediate` with every rule
     * pre-staged, so the cut-off is one `setTags` deep. Default false.
     */
    readonly abandonBesideCutOff?: boolean;
}

/**
 * Takes the node's VM out of the fleet and off the network, in the runbook's order:
 * abandon from the managed instance group (so auto-repair does not recreate it mid-investigation)
 * and turn on deletion protection; then, once the firewall rules exist, add the isolation tag and
 * remove the external IP (firewall rules do not break established connections; this does).
 */
export class NodeIsolation extends pulumi.ComponentResource {
    /** Resources that, once created, mean the node is cut off. */
    public readonly isolated: pulumi.Resource[];
    /** The deletion-protection step: `delete-node` lifts the protection, so it must come after this. */
    public readonly protect: pulumi.Resource;
    /** Steps `pulumi destroy` can't undo, for the stack's outputs. */
    public readonly oneWay: string[] = [];
    /** What the cut-off's steps reported, e.g. `tagged; external IP removed`: set once they have run. */
    public readonly cutOff: pulumi.Output<string>;
    /**
     * The firewall policy check: `open:` for a hierarchical or network firewall policy rule that
     * allows the VM traffic ahead of the incident's VPC deny rules. It runs once the cut-off is in
     * place and nothing waits for it but the isolation verdict.
     */
    public readonly firewallCheck: command.local.Command;

    constructor(name: string, args: NodeIsolationArgs, opts?: pulumi.ComponentResourceOptions) {
        super("quarantine:node:NodeIsolation", name, {}, opts);
        const vm = { PROJECT: args.project, ZONE: args.zone, INSTANCE: args.instance };

        const before: pulumi.Resource[] = [];
        if (args.mig) {
            before.push(
                shellCommand(
                    `${name}/abandon`,
                    {
                        step: "Abandon the VM from its managed instance group so auto-repair can't recreate it",
                        // One-way: GCE has no call that puts an abandoned instance back into a group.
                        destroy: "one-way: the VM stays out of its group (resize the group to restore capacity)",
                        environment: {
                            ...vm,
                            MIG: args.mig.name,
                            MIG_SCOPE: args.mig.scope,
                            MIG_LOCATION: args.mig.location,
                        },
                        kind: "isolation",
                        script: "abandon",
                    },
                    { parent: this },
                ),
            );
            this.oneWay.push(`abandoned ${args.instance} from managed instance group ${args.mig.name}`);
        }

        this.protect = shellCommand(
            `${name}/protect`,
            {
                step: "Turn on the VM's deletion protection",
                destroy: "reversed: deletion protection goes back to what it was before the incident",
                kind: "isolation",
                script: "protect",
                environment: { ...vm, WAS_PROTECTED: String(args.deletionProtection), TAG: args.names.isolationTag },
            },
            { parent: this },
        );

        // Node auto-repair acts only on a node NotReady for about 10 minutes
        // (https://cloud.google.com/kubernetes-engine/docs/how-to/node-auto-repair): an abandon
        // started with the cut-off ends long before it could recreate the VM.
        const cutOff = { parent: this, dependsOn: [...(args.abandonBesideCutOff ? [] : before), ...args.firewallRules, ...args.cutOffAfter] };
        const tag = shellCommand(
            `${name}/tag`,
            {
                step: "Add the incident's isolation tag so the quarantine firewall rules apply",
                destroy: "reversed: the tag is removed",
                kind: "isolation",
                script: "tag",
                environment: {
                    ...vm,
                    TAG: args.names.isolationTag,
                    ...(args.genericTag ? { TAGS: `${args.names.isolationTag},${args.genericTag}`, GENERIC_TAG: args.genericTag } : {}),
                },
            },
            cutOff,
        );
        this.isolated = [tag, ...(args.abandonBesideCutOff ? before : [])];
        const reports = [tag.stdout];

        if (args.externalIp) {
            const removal = shellCommand(
                `${name}/remove-external-ip`,
                {
                    step: "Remove the VM's external IP, breaking established outside connections",
                    destroy:
                        "reversed where GCE allows: a static address comes back; an ephemeral one is gone for good and the VM gets a new one",
                    kind: "isolation",
                    script: "remove-external-ip",
                    environment: { ...vm, EXTERNAL_IP: args.externalIp, TAG: args.names.isolationTag },
                },
                cutOff,
            );
            this.isolated.push(removal);
            reports.push(removal.stdout);
            this.oneWay.push(`removed external IP ${args.externalIp} from ${args.instance} (an ephemeral address can't be reclaimed)`);
        }
        this.firewallCheck = shellCommand(
            `${name}/firewall-check`,
            {
                step: "Check that no hierarchical or network firewall policy allows the VM traffic ahead of the quarantine's deny rules",
                destroy: "nothing to undo: a read-only check",
                kind: "check",
                script: "firewall-check",
                environment: vm,
            },
            { parent: this, dependsOn: this.isolated },
        );
        this.cutOff = pulumi.all(reports).apply((r) => r.map((x) => x.trim()).filter(Boolean).join("; "));
        this.registerOutputs({ cutOff: this.cutOff });
    }
}
