import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type * as command from "@pulumi/command";
import type { IncidentNames } from "../../core/incidentNames";
import { secretKey, type SecretRef } from "../../stacks/secretConfig";
import { parseArtifacts, parseNotCaptured, type Artifact, type NotCaptured } from "../evidenceCapture";
import { shellCommand } from "../shell";

/** What the rotation can't do: said per secret in the `secrets` output and the preview. */
export const AT_THE_ISSUER =
    "the upstream credential it held (a database password, an API token, a cloud key) still works wherever it was issued until it is rotated there too: replacing the Secret only stops this cluster's workloads from using it";

export interface SecretRecordArgs {
    /** The incident's names (object prefixes and logical names derive from them). */
    readonly names: IncidentNames;
    /** Project the uploads are billed to. */
    readonly project: string;
    /** kubectl context of the cluster. */
    readonly kubeContext: string;
    /** Name of the evidence bucket. */
    readonly bucket: pulumi.Input<string>;
    /** What the records wait for before uploading (the created bucket). Default: nothing. */
    readonly bucketReady?: pulumi.Resource;
    /** The Secrets whose values are stolen; at least one. */
    readonly secrets: readonly SecretRef[];
}

/**
 * Seed 003, "Stolen credentials": per Secret, its key names and a sha256 of each value, uploaded
 * to the evidence bucket like every capture (lib/capture.sh) and so in the custody manifest. The
 * values never leave the script: the bucket, stdout (state) and stderr get only names and hashes.
 */
export class SecretRecord extends pulumi.ComponentResource {
    /** Per secret (`namespace/name`), its record: its rotation waits for it. */
    public readonly records = new Map<string, command.local.Command>();
    public readonly artifacts: pulumi.Output<Artifact[]>;
    public readonly notCaptured: pulumi.Output<NotCaptured[]>;

    constructor(name: string, args: SecretRecordArgs, opts?: pulumi.ComponentResourceOptions) {
        super("quarantine:credentials:SecretRecord", name, {}, opts);
        if (args.secrets.length === 0) throw new pulumi.ResourceError("a secret record needs at least one secret", this);
        for (const s of args.secrets) {
            const key = secretKey(s);
            const record = shellCommand(
                `${name}/${key}`,
                {
                    step: `Capture evidence of stolen secret ${key}: its key names and a sha256 of each value, never the values`,
                    destroy: "kept: the uploaded record stays in the evidence bucket",
                    kind: "capture",
                    script: "secret-record",
                    environment: {
                        CONTEXT: args.kubeContext,
                        PROJECT: args.project,
                        BUCKET: args.bucket,
                        INCIDENT: args.names.id,
                        NAMESPACE: s.namespace,
                        NAME: s.name,
                        PREFIX: `incident-${args.names.id}/secrets/${key}`,
                    },
                },
                { parent: this, dependsOn: args.bucketReady ? [args.bucketReady] : [] },
            );
            this.records.set(key, record);
        }
        const outs = pulumi.all([...this.records.values()].map((r) => r.stdout));
        this.artifacts = outs.apply((o) => o.flatMap(parseArtifacts));
        this.notCaptured = outs.apply((o) => o.flatMap(parseNotCaptured));
        this.registerOutputs({ artifacts: this.artifacts, notCaptured: this.notCaptured });
    }
}

export interface SecretRotationArgs {
    /** The incident's names. */
    readonly names: IncidentNames;
    /** kubectl context of the cluster. */
    readonly kubeContext: string;
    /** The Secrets whose values are stolen; at least one. */
    readonly secrets: readonly SecretRef[];
    /** Per secret, its record: its rotation waits for it. */
    readonly recordOf: (secret: string) => pulumi.Resource;
    /** What every rotation also waits for: the incident's evidence (snapshots, captures, the manifest). */
    readonly after: pulumi.Input<pulumi.Resource>[];
}

/**
 * Seed 003, "Stolen credentials", one-way (`isolate` and above, behind `quarantine:confirm`):
 * every value of each Secret replaced with a fresh random one, then the Deployments, StatefulSets
 * and DaemonSets of its namespace that mount or reference it restarted (`kubectl rollout
 * restart`); pods no rollout reaches (a Job's, a bare or quarantined pod) are named, not touched.
 * A command, not a `SecretPatch`: server-side apply would make Pulumi own the data
 * fields, so destroy would remove the keys (the workloads would lose them), and it needs the key
 * names at preview. The values come from one `RandomPassword` per secret (a Pulumi secret) that
 * the script derives each key's value from, reaching it only through `environment`; stdout
 * holds each key's name with the sha256 of the value it replaced, and what it restarted.
 */
export class SecretRotation extends pulumi.ComponentResource {
    public readonly steps: command.local.Command[] = [];
    /** Per secret, what the rotation reported: the keys replaced and the workloads restarted. */
    public readonly reports: Record<string, pulumi.Output<string>> = {};
    public readonly oneWay: string[] = [];

    constructor(name: string, args: SecretRotationArgs, opts?: pulumi.ComponentResourceOptions) {
        super("quarantine:credentials:SecretRotation", name, {}, opts);
        for (const s of args.secrets) {
            const key = secretKey(s);
            // Kept across updates (a re-run writes the same values), new after a destroy.
            const seed = new random.RandomPassword(`${name}/${key}/seed`, { length: 64, special: false, keepers: { incident: args.names.id, secret: key } }, { parent: this });
            const what = `every value of secret ${key} replaced and the workloads using it restarted: destroy never puts a compromised value back`;
            const step = shellCommand(
                `${name}/${key}`,
                {
                    step: `Replace every value of secret ${key} with a fresh random one, then restart the workloads that mount or reference it`,
                    destroy: `one-way: ${what}`,
                    kind: "destructive",
                    script: "secret-rotate",
                    environment: { CONTEXT: args.kubeContext, INCIDENT: args.names.id, NAMESPACE: s.namespace, NAME: s.name, SEED: pulumi.secret(seed.result) },
                },
                { parent: this, dependsOn: [args.recordOf(key), ...args.after] },
            );
            this.steps.push(step);
            this.reports[key] = step.stdout;
            this.oneWay.push(what);
        }
        this.registerOutputs({});
    }
}
