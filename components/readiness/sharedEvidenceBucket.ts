import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import { GCE_LABELS } from "../../core/labels";

export interface SharedEvidenceBucketArgs {
    /** Bucket name (global; 3-63 lowercase letters, digits, '-', '_', '.'). */
    readonly name: string;
    /** The project that owns the bucket: ideally a forensics project apart from the clusters'. */
    readonly project: string;
    /** Region or multi-region, e.g. `us-central1`: where the evidence may be stored. */
    readonly location: string;
    /** Retention, in days: no object can be deleted or replaced before it is this old. */
    readonly retentionDays: number;
    /**
     * Lock the retention policy: irreversible, and the bucket can't be deleted until every
     * object in it has met the retention period. The evidence owner's decision. Default false.
     */
    readonly lockRetention?: boolean;
}

/**
 * The evidence bucket every incident stack writes to (issue #13.5), created once, before any
 * incident, so an incident's first minute spends nothing on it. Uniform bucket-level access,
 * public access prevention enforced, and a retention policy: "objects in the bucket can only be
 * deleted or replaced once their age is greater than the retention period"
 * (https://cloud.google.com/storage/docs/bucket-lock). No Object Versioning: Cloud Storage
 * refuses it beside a retention policy (same page: "Retention policies and Object Versioning are
 * mutually exclusive"), and the retention policy already forbids overwrite and delete. The lock
 * is off unless asked for: "you cannot delete a bucket with a locked policy unless every object
 * in the bucket has met the retention period" (same page). `retainOnDelete` and the provider's
 * `deletionPolicy: ABANDON`: `pulumi destroy` of the readiness stack leaves bucket and objects.
 */
export class SharedEvidenceBucket extends pulumi.ComponentResource {
    public readonly bucket: gcp.storage.Bucket;
    /** The bucket's name, as created. */
    public readonly bucketName: pulumi.Output<string>;

    constructor(name: string, args: SharedEvidenceBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("quarantine:readiness:SharedEvidenceBucket", name, {}, opts);
        this.bucket = new gcp.storage.Bucket(
            `${name}/bucket`,
            {
                name: args.name,
                project: args.project,
                location: args.location,
                uniformBucketLevelAccess: true,
                publicAccessPrevention: "enforced",
                retentionPolicy: { retentionPeriod: String(args.retentionDays * 86400), isLocked: args.lockRetention === true },
                labels: { [GCE_LABELS.evidence]: "bucket" },
                forceDestroy: false,
                deletionPolicy: "ABANDON",
            },
            { parent: this, retainOnDelete: true },
        );
        this.bucketName = this.bucket.name;
        this.registerOutputs({ bucketName: this.bucketName });
    }
}
