import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import { GCE_LABELS } from "../core/labels";
import { IncidentNames } from "../core/incidentNames";
import { evidenceBucketName } from "./naming";

export interface EvidenceBucketArgs {
    /** The incident's names (a created bucket's name and labels derive from them). */
    readonly names: IncidentNames;
    /** Project a created bucket belongs to. */
    readonly project: string;
    /** Region for a bucket the stack creates: the affected nodes' region. */
    readonly location: string;
    /** The quarantine run's random part, in a created bucket's name (see `evidenceBucketName`). */
    readonly run: pulumi.Input<string>;
    /** An existing bucket to use instead of creating one. Default: the stack creates one. */
    readonly existing?: string;
    /** Retention of a created bucket, in days. Default 90. */
    readonly retentionDays?: number;
    /**
     * Lock the created bucket's retention policy: irreversible, and the bucket can't be deleted
     * until its newest object's retention ends. The evidence owner's decision. Default false.
     */
    readonly lockRetention?: boolean;
}

/**
 * Where artifacts go. A bucket the stack creates is evidence itself: uniform access, public access
 * prevention enforced, a retention policy (objects can't be deleted or overwritten before it
 * expires), and `retainOnDelete` plus the provider's `deletionPolicy: ABANDON`, so
 * `pulumi destroy` leaves it and its objects in place. No Object Versioning: Cloud Storage refuses
 * it beside a retention policy ("Retention policies and Object Versioning are mutually exclusive",
 * https://cloud.google.com/storage/docs/bucket-lock), and the retention policy already forbids
 * overwrite and delete. The lock is off unless asked for (`lockRetention`): it is irreversible.
 */
export class EvidenceBucket extends pulumi.ComponentResource {
    public readonly bucketName: pulumi.Output<string>;
    /**
     * The bucket's name, known before the bucket is created (it waits only for the run's random
     * part): for the volatile capture, which runs before the node's cut-off and so must not wait
     * for the bucket (containment first).
     */
    public readonly name: pulumi.Output<string>;
    /** The created bucket, for what must wait for it; none for an existing bucket. */
    public readonly bucket?: gcp.storage.Bucket;

    constructor(name: string, args: EvidenceBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("quarantine:evidence:EvidenceBucket", name, {}, opts);
        this.name = args.existing ? pulumi.output(args.existing) : pulumi.output(args.run).apply((run) => evidenceBucketName(args.names, args.project, run));
        if (args.existing) {
            // A read, so preview shows the bucket was found (and fails if it was not).
            this.bucketName = gcp.storage.getBucketOutput({ name: args.existing }, { parent: this }).name;
        } else {
            const days = args.retentionDays ?? 90;
            const bucket = new gcp.storage.Bucket(
                `${name}/bucket`,
                {
                    name: this.name,
                    project: args.project,
                    location: args.location,
                    uniformBucketLevelAccess: true,
                    publicAccessPrevention: "enforced",
                    retentionPolicy: { retentionPeriod: String(days * 86400), isLocked: args.lockRetention === true },
                    labels: { [GCE_LABELS.incident]: args.names.id, [GCE_LABELS.evidence]: "bucket" },
                    forceDestroy: false,
                    deletionPolicy: "ABANDON",
                },
                { parent: this, retainOnDelete: true },
            );
            this.bucket = bucket;
            this.bucketName = bucket.name;
        }
        this.registerOutputs({ bucketName: this.bucketName });
    }
}
