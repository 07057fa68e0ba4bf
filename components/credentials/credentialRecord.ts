import * as pulumi from "@pulumi/pulumi";
import type * as command from "@pulumi/command";
import type { IncidentNames } from "../../core/incidentNames";
import type { Credential } from "../../stacks/credentialConfig";
import { credentialKey } from "../../stacks/credentialConfig";
import { parseArtifacts, parseNotCaptured, type Artifact, type NotCaptured } from "../evidenceCapture";
import { shellCommand } from "../shell";
import { AUDIT_DAYS, AUDIT_LIMIT, SUBJECTS_TEMPLATE, auditFilter, credentialPath, iamMember, kubeSubject } from "./principals";

export interface CredentialRecordArgs {
    /** The incident's names (object prefixes and logical names derive from them). */
    readonly names: IncidentNames;
    /** Project the uploads are billed to, whose IAM and audit logs are read. */
    readonly project: string;
    /** kubectl context the Kubernetes reads go through. */
    readonly kubeContext: string;
    /** Name of the evidence bucket. */
    readonly bucket: pulumi.Input<string>;
    /** What the records wait for before uploading (the created bucket). Default: nothing. */
    readonly bucketReady?: pulumi.Resource;
    /** The principals whose credentials are stolen; at least one. */
    readonly credentials: readonly Credential[];
}

const KEPT = "kept: the uploaded records stay in the evidence bucket";

/**
 * Seed 003, "Stolen credentials", first step: per principal, what it may do and what it did,
 * uploaded to the evidence bucket like every capture (lib/capture.sh) and so in the custody
 * manifest. For a Kubernetes service account or a user: `kubectl auth can-i --list --as`, every
 * binding that names it or a group it is in, as YAML, its project roles and its audit trail. For
 * a Google service account (or one of its keys): the account, its IAM policy, its Workload
 * Identity bindings, its keys, its project roles and its audit trail. Every revocation waits for
 * the record of its principal; nothing here waits for, or delays, the pods' or nodes' cut-off.
 */
export class CredentialRecord extends pulumi.ComponentResource {
    /** Per principal (its config spelling), its record: the revocations of that principal wait for it. */
    public readonly records = new Map<string, command.local.Command>();
    public readonly artifacts: pulumi.Output<Artifact[]>;
    public readonly notCaptured: pulumi.Output<NotCaptured[]>;

    constructor(name: string, args: CredentialRecordArgs, opts?: pulumi.ComponentResourceOptions) {
        super("quarantine:credentials:CredentialRecord", name, {}, opts);
        if (args.credentials.length === 0) throw new pulumi.ResourceError("a credential record needs at least one principal", this);
        const base = { CONTEXT: args.kubeContext, PROJECT: args.project, BUCKET: args.bucket, INCIDENT: args.names.id, AUDIT_DAYS, AUDIT_LIMIT };
        for (const c of args.credentials) {
            const principal = credentialKey(c);
            const env = { ...base, PRINCIPAL: principal, PREFIX: `incident-${args.names.id}/credentials/${credentialPath(c)}`, AUDIT_FILTER: auditFilter(c, args.project) };
            const subject = kubeSubject(c);
            const step = subject
                ? {
                      step: `Capture evidence of stolen credentials ${principal}: what it may do (auth can-i), the bindings naming it or its groups, its audit trail`,
                      script: "cred-record-kube",
                      environment: {
                          ...env,
                          USERNAME: subject.username,
                          CAN_I_NAMESPACE: c.kind === "serviceaccount" ? c.namespace : "default",
                          SUBJECT_KIND: subject.kind,
                          SUBJECT_NAMESPACE: subject.namespace,
                          SUBJECT_NAME: subject.name,
                          SUBJECT_GROUPS: subject.groups.join("\n"),
                          SUBJECTS_TEMPLATE,
                          PROJECT_MEMBER: iamMember(c),
                      },
                  }
                : {
                      step: `Capture evidence of stolen credentials ${principal}: the service account, its IAM policy, Workload Identity bindings, keys and audit trail`,
                      script: "cred-record-gsa",
                      environment: { ...env, GSA: c.kind === "gsa" || c.kind === "key" ? c.email : "", PROJECT_MEMBER: iamMember(c) },
                  };
            const record = shellCommand(
                `${name}/${credentialPath(c)}`,
                { ...step, destroy: KEPT, kind: "capture" },
                { parent: this, dependsOn: args.bucketReady ? [args.bucketReady] : [] },
            );
            this.records.set(principal, record);
        }
        const outs = pulumi.all([...this.records.values()].map((r) => r.stdout));
        this.artifacts = outs.apply((o) => o.flatMap(parseArtifacts));
        this.notCaptured = outs.apply((o) => o.flatMap(parseNotCaptured));
        this.registerOutputs({ artifacts: this.artifacts, notCaptured: this.notCaptured });
    }
}
