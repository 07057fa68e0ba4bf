import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import type { Artifact, NotCaptured } from "./evidenceCapture";
import { IncidentNames } from "../core/incidentNames";

export interface ChainOfCustodyArgs {
    /** The incident's names (the manifest's object name derives from them). */
    readonly names: IncidentNames;
    /** Evidence bucket the manifest is written to. */
    readonly bucket: pulumi.Input<string>;
    /** What the capture scripts reported as uploaded. */
    readonly artifacts: pulumi.Input<Artifact[]>;
    /** What they reported as not captured, and why. Default: nothing. */
    readonly notCaptured?: pulumi.Input<NotCaptured[]>;
    /** Every disk snapshot of the incident, as the provider reported it. */
    readonly snapshots: readonly {
        readonly name: pulumi.Input<string>;
        readonly id: pulumi.Input<string>;
        readonly sourceDisk: pulumi.Input<string>;
        readonly takenAt: pulumi.Input<string>;
    }[];
    /** Identity the provider acts as (snapshots are taken by it). */
    readonly identity: pulumi.Input<string>;
}

export interface Manifest {
    readonly incident: string;
    readonly artifacts: Artifact[];
    /** Every artifact a capture could not take, and why: a gap in the evidence is recorded, not hidden. */
    readonly notCaptured: NotCaptured[];
    readonly snapshots: { what: string; object: string; snapshotId: string; takenAt: string; takenBy: string }[];
}

/**
 * The chain-of-custody manifest: for every artifact and every snapshot, what it is, where, its
 * sha256 (or snapshot id), when (UTC) and as whom. Stored in the bucket under a name derived from
 * its content: a new capture makes a new manifest object next to the old ones (retained), never
 * an overwrite; and exported as a stack output.
 */
export class ChainOfCustody extends pulumi.ComponentResource {
    public readonly manifest: pulumi.Output<Manifest>;
    public readonly object: gcp.storage.BucketObject;

    constructor(name: string, args: ChainOfCustodyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("quarantine:evidence:ChainOfCustody", name, {}, opts);
        const snapshots = pulumi
            .all([pulumi.output(args.identity), pulumi.all(args.snapshots.map((s) => pulumi.all([s.name, s.id, s.sourceDisk, s.takenAt])))])
            .apply(([who, snaps]) =>
                snaps.map(([snapshot, id, disk, at]) => ({
                    what: `snapshot of disk ${disk.split("/").pop()}`,
                    object: `snapshots/${snapshot}`,
                    snapshotId: id,
                    takenAt: at,
                    takenBy: who,
                })),
            );
        this.manifest = pulumi
            .all([pulumi.output(args.artifacts), pulumi.output(args.notCaptured ?? []), snapshots])
            .apply(([artifacts, notCaptured, snaps]) => ({ incident: args.names.id, artifacts, notCaptured, snapshots: snaps }));
        const content = this.manifest.apply((m) => `${JSON.stringify(m, null, 2)}\n`);
        this.object = new gcp.storage.BucketObject(
            `${name}/manifest`,
            {
                bucket: args.bucket,
                name: content.apply((c) => `incident-${args.names.id}/custody/manifest-${sha256(c).slice(0, 16)}.json`),
                content,
                contentType: "application/json",
                deletionPolicy: "ABANDON",
            },
            { parent: this, retainOnDelete: true },
        );
        this.registerOutputs({ manifest: this.manifest });
    }
}

function sha256(s: string): string {
    return createHash("sha256").update(s).digest("hex");
}
