import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import { GCE_LABELS } from "../core/labels";
import { IncidentNames } from "../core/incidentNames";
import { bastionName } from "./naming";

export interface BastionArgs {
    /** The incident's names (the bastion's name and tag derive from them). */
    readonly names: IncidentNames;
    /** Project the bastion runs in. */
    readonly project: string;
    /** Zone to run in: the first quarantined node's zone in this subnetwork. */
    readonly zone: string;
    /** VPC network of the quarantined node(s). */
    readonly network: string;
    /** Subnetwork of the quarantined node(s), so the bastion reaches them on internal IPs. */
    readonly subnetwork: string;
    /** Default `e2-small`. */
    readonly machineType?: string;
    /** Image as `project/family`. Default `debian-cloud/debian-12`. */
    readonly image?: string;
    /** Tags beside the incident's bastion tag: a readiness stack's generic bastion tag, which its pre-staged SSH rule allows. Default none. */
    readonly extraTags?: readonly string[];
}

/**
 * The runbook's intermediate VM: the one place the quarantined node accepts SSH from.
 * No external IP (reached through IAP only), Shielded VM with secure boot, OS Login so access is
 * by IAM identity and audited, and no service account at all: a bastion next to a compromised
 * node holds no cloud credentials worth stealing.
 */
export class Bastion extends pulumi.ComponentResource {
    public readonly instance: gcp.compute.Instance;
    /** The exact command a responder runs to reach the bastion. */
    public readonly sshCommand: pulumi.Output<string>;

    constructor(name: string, args: BastionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("quarantine:bastion:Bastion", name, {}, opts);
        const vmName = bastionName(args.names, args.subnetwork);
        this.instance = new gcp.compute.Instance(
            `${name}/vm`,
            {
                name: vmName,
                project: args.project,
                zone: args.zone,
                machineType: args.machineType ?? "e2-small",
                tags: [args.names.bastionTag, ...(args.extraTags ?? [])],
                labels: { [GCE_LABELS.incident]: args.names.id, "quarantine-role": "bastion" },
                bootDisk: { initializeParams: { image: args.image ?? "debian-cloud/debian-12" } },
                // No accessConfigs: no external IP.
                networkInterfaces: [{ network: args.network, subnetwork: args.subnetwork }],
                shieldedInstanceConfig: { enableSecureBoot: true, enableVtpm: true, enableIntegrityMonitoring: true },
                metadata: { "enable-oslogin": "TRUE", "block-project-ssh-keys": "TRUE" },
                deletionProtection: false,
            },
            { parent: this },
        );
        this.sshCommand = pulumi.interpolate`gcloud compute ssh ${this.instance.name} --zone ${args.zone} --project ${args.project} --tunnel-through-iap`;
        this.registerOutputs({ sshCommand: this.sshCommand });
    }
}
