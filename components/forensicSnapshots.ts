import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import { GCE_LABELS } from "../core/labels";
import { IncidentNames } from "../core/incidentNames";
import { fitGceName, shortHash, snapshotName } from "./naming";

export interface SnapshotDisk {
    /** Disk name (last segment of its source), used for the snapshot's name. */
    readonly name: string;
    /** The disk's self link or partial URL as the instance reports it (zonal or regional). */
    readonly source: string;
    /** Node the disk belongs to; recorded in the snapshot's description for the chain of custody. */
    readonly node: string;
}

export interface ForensicSnapshotsArgs {
    /** The incident's names (snapshot names and labels derive from them). */
    readonly names: IncidentNames;
    /** Project the snapshots are created in. */
    readonly project: string;
    /** Every disk of every affected node, each once. */
    readonly disks: readonly SnapshotDisk[];
    /** The quarantine run's random part, in every snapshot's name (see `snapshotName`). */
    readonly run: pulumi.Input<string>;
}

/**
 * One snapshot per disk, taken before anything destructive. Snapshots depend on nothing, so they
 * all start at once and never sit on the isolation's critical path; destructive steps depend on
 * them instead. They are evidence: `retainOnDelete` keeps them through `pulumi destroy`, and the
 * provider's `deletionPolicy: ABANDON` keeps them even if the option is lost in a refactor.
 */
export class ForensicSnapshots extends pulumi.ComponentResource {
    public readonly snapshots: gcp.compute.Snapshot[];
    public readonly snapshotNames: pulumi.Output<string[]>;

    constructor(name: string, args: ForensicSnapshotsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("quarantine:forensics:ForensicSnapshots", name, {}, opts);
        this.snapshots = args.disks.map(
            (disk) =>
                new gcp.compute.Snapshot(
                    // The logical name has no run part: it must be known in preview, and stays the
                    // same across updates of one run.
                    `${name}/${fitGceName(`q-${args.names.id}`, disk.name, shortHash(disk.source))}`,
                    {
                        name: pulumi.output(args.run).apply((run) => snapshotName(args.names, disk.name, disk.source, run)),
                        project: args.project,
                        sourceDisk: disk.source,
                        description: `Forensic snapshot of ${disk.name} on node ${disk.node}, incident ${args.names.id}`,
                        labels: { [GCE_LABELS.incident]: args.names.id, [GCE_LABELS.evidence]: "disk" },
                        deletionPolicy: "ABANDON",
                    },
                    { parent: this, retainOnDelete: true },
                ),
        );
        this.snapshotNames = pulumi.all(this.snapshots.map((s) => s.name));
        this.registerOutputs({ snapshotNames: this.snapshotNames });
    }
}
