import * as pulumi from "@pulumi/pulumi";
import { IncidentNames } from "./naming";
import { GCLOUD_GONE_OK, shellCommand } from "./shell";

export interface NodeIsolationArgs {
    readonly names: IncidentNames;
    readonly project: string;
    readonly zone: string;
    /** GCE instance name of the node. */
    readonly instance: string;
    /** Managed instance group that owns the VM, if any. */
    readonly mig?: { readonly name: string; readonly scope: "zone" | "region"; readonly location: string };
    /** External IP found on the VM, if any; restored on destroy where GCE allows. */
    readonly externalIp?: string;
    /** Deletion protection as found, so destroy restores it instead of clearing it blindly. */
    readonly deletionProtection: boolean;
    /** The incident's firewall rules: the VM is never tagged before they exist. */
    readonly firewallRules: pulumi.Resource[];
    /**
     * What must be done before the node is cut off: the pods' label and NetworkPolicy, and (unless
     * the responder chose `immediate`) the drain, since a cut-off kubelet can't stop drained pods.
     */
    readonly cutOffAfter: pulumi.Resource[];
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
    /** Steps `pulumi destroy` can't undo, for the stack's outputs. */
    public readonly oneWay: string[] = [];

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
                        create: ABANDON,
                    },
                    { parent: this },
                ),
            );
            this.oneWay.push(`abandoned ${args.instance} from managed instance group ${args.mig.name}`);
        }

        shellCommand(
            `${name}/protect`,
            {
                step: "Turn on the VM's deletion protection",
                destroy: "reversed: deletion protection goes back to what it was before the incident",
                environment: { ...vm, WAS_PROTECTED: String(args.deletionProtection), TAG: args.names.isolationTag },
                // gone_ok: re-run after delete-node deleted the VM, there is nothing left to protect.
                create: `${GCLOUD_GONE_OK}gone_ok gcloud compute instances update --deletion-protection --zone "$ZONE" --project "$PROJECT" -- "$INSTANCE"\necho "deletion protection on"`,
                delete: UNPROTECT,
            },
            { parent: this },
        );

        const cutOff = { parent: this, dependsOn: [...before, ...args.firewallRules, ...args.cutOffAfter] };
        const tag = shellCommand(
            `${name}/tag`,
            {
                step: "Add the incident's isolation tag so the quarantine firewall rules apply",
                destroy: "reversed: the tag is removed",
                environment: { ...vm, TAG: args.names.isolationTag },
                create: `gcloud compute instances add-tags --tags "$TAG" --zone "$ZONE" --project "$PROJECT" -- "$INSTANCE" >&2\necho "tagged"`,
                delete: `${GCLOUD_GONE_OK}gone_ok gcloud compute instances remove-tags --tags "$TAG" --zone "$ZONE" --project "$PROJECT" -- "$INSTANCE"\necho "untagged"`,
            },
            cutOff,
        );
        this.isolated = [tag];

        if (args.externalIp) {
            this.isolated.push(
                shellCommand(
                    `${name}/remove-external-ip`,
                    {
                        step: "Remove the VM's external IP, breaking established outside connections",
                        destroy:
                            "reversed where GCE allows: a static address comes back; an ephemeral one is gone for good and the VM gets a new one",
                        environment: { ...vm, EXTERNAL_IP: args.externalIp },
                        create: REMOVE_IP,
                        delete: RESTORE_IP,
                    },
                    cutOff,
                ),
            );
            this.oneWay.push(`removed external IP ${args.externalIp} from ${args.instance} (an ephemeral address can't be reclaimed)`);
        }
        this.registerOutputs({});
    }
}

const ABANDON = `
scope="--$MIG_SCOPE"
members=$(gcloud compute instance-groups managed list-instances "$MIG" "$scope" "$MIG_LOCATION" --project "$PROJECT" --format='value(instance.basename())')
if printf '%s\\n' "$members" | grep -qxF -- "$INSTANCE"; then
  gcloud compute instance-groups managed abandon-instances "$MIG" --instances="$INSTANCE" "$scope" "$MIG_LOCATION" --project "$PROJECT" >&2
  echo "abandoned"
else
  echo "not in the group (already abandoned)"
fi
`;

const UNPROTECT = `${GCLOUD_GONE_OK}
if [ "$WAS_PROTECTED" = "true" ]; then
  echo "deletion protection was on before the incident; left on"
  exit 0
fi
# Another incident quarantining the same VM still needs it protected: its tag says so.
if ! tags=$(gcloud compute instances describe --zone "$ZONE" --project "$PROJECT" --format='value(tags.items)' -- "$INSTANCE" 2>&1); then
  if grep -q "was not found" <<<"$tags"; then echo "VM gone; nothing to unprotect"; exit 0; fi
  printf '%s\\n' "$tags" >&2
  exit 1
fi
others=$(tr ';,' '\\n\\n' <<< "$tags" | grep -E '^quarantine-' | grep -v -E -- '-bastion$' | grep -vxF -- "$TAG" || true)
if [ -n "$others" ]; then
  echo "another incident still quarantines this VM ($others); deletion protection left on"
  exit 0
fi
gone_ok gcloud compute instances update --no-deletion-protection --zone "$ZONE" --project "$PROJECT" -- "$INSTANCE"
echo "deletion protection off"
`;

const ACCESS_CONFIG = `gcloud compute instances describe --zone "$ZONE" --project "$PROJECT" --format='value(networkInterfaces[0].accessConfigs[0].name)' -- "$INSTANCE"`;

const REMOVE_IP = `
name=$(${ACCESS_CONFIG})
if [ -z "$name" ]; then
  echo "no external IP"
  exit 0
fi
gcloud compute instances delete-access-config --access-config-name "$name" --network-interface nic0 --zone "$ZONE" --project "$PROJECT" -- "$INSTANCE" >&2
echo "external IP removed"
`;

const RESTORE_IP = `${GCLOUD_GONE_OK}
if ! current=$(${ACCESS_CONFIG} 2>&1); then
  if grep -q "was not found" <<<"$current"; then echo "VM gone; nothing to restore"; exit 0; fi
  printf '%s\\n' "$current" >&2
  exit 1
fi
if [ -n "$current" ]; then
  echo "external IP already present"
  exit 0
fi
if ! gcloud compute instances add-access-config --access-config-name external-nat --address "$EXTERNAL_IP" --network-interface nic0 --zone "$ZONE" --project "$PROJECT" -- "$INSTANCE" >&2; then
  echo "could not reclaim $EXTERNAL_IP (ephemeral addresses are released when removed); assigning a new ephemeral one" >&2
  gcloud compute instances add-access-config --access-config-name external-nat --network-interface nic0 --zone "$ZONE" --project "$PROJECT" -- "$INSTANCE" >&2
fi
echo "external IP restored"
`;
