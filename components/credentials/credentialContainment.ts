import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { LABELS } from "../../core/labels";
import type { IncidentNames } from "../../core/incidentNames";
import type { Credential } from "../../stacks/credentialConfig";
import { credentialKey } from "../../stacks/credentialConfig";
import { shellCommand } from "../shell";
import { SUBJECTS_TEMPLATE, credentialPath, denyExpression, kubeSubject } from "./principals";

export interface CredentialContainmentArgs {
    /** The incident's names (the admission policy's name derives from them). */
    readonly names: IncidentNames;
    /** Project of the Google service accounts. */
    readonly project: string;
    /** kubectl context of the cluster. */
    readonly kubeContext: string;
    /** The principals whose credentials are stolen; at least one. */
    readonly credentials: readonly Credential[];
    /** Per principal (its config spelling), the record its revocations wait for. */
    readonly recordOf: (principal: string) => pulumi.Resource;
}

/** What the cluster's admission can and can't do about a stolen Kubernetes identity, said in preview and the README. */
export const ADMISSION_LIMIT =
    "admission sees only writes (create, update, delete) and connections (exec, attach, port-forward): reads (get, list, watch) by the stolen identity are not blocked, only unbound from its RBAC grants";

/**
 * Seed 003, "Stolen credentials", contained reversibly (`isolate` and above), each step after
 * its principal's record:
 * - a Kubernetes service account or a user: removed from every RoleBinding and ClusterRoleBinding
 *   that names it (the bindings' prior subjects in state, put back on destroy), and a
 *   ValidatingAdmissionPolicy that denies its writes, exec and attach by
 *   `request.userInfo.username` (removed on destroy);
 * - a Google service account: disabled (enabled on destroy if it was enabled before), its
 *   `roles/iam.workloadIdentityUser` bindings removed (added back), its user-managed keys disabled
 *   (re-enabled);
 * - a key: disabled (re-enabled).
 */
export class CredentialContainment extends pulumi.ComponentResource {
    /** Every revocation: a one-way step waits for them. */
    public readonly revoked: pulumi.Resource[] = [];

    constructor(name: string, args: CredentialContainmentArgs, opts?: pulumi.ComponentResourceOptions) {
        super("quarantine:credentials:CredentialContainment", name, {}, opts);
        const usernames: string[] = [];
        const records: pulumi.Resource[] = [];
        for (const c of args.credentials) {
            const principal = credentialKey(c);
            const record = args.recordOf(principal);
            records.push(record);
            const base = { CONTEXT: args.kubeContext, PROJECT: args.project, INCIDENT: args.names.id, PRINCIPAL: principal };
            const step = (logical: string, s: { step: string; destroy: string; script: string; environment: Record<string, string> }) => {
                const cmd = shellCommand(`${name}/${credentialPath(c)}/${logical}`, { ...s, kind: "isolation", recordsInState: true, environment: { ...base, ...s.environment } }, { parent: this, dependsOn: [record] });
                this.revoked.push(cmd);
            };
            const subject = kubeSubject(c);
            if (subject) {
                usernames.push(subject.username);
                step("unbind", {
                    step: `Remove ${principal} from every RoleBinding and ClusterRoleBinding that names it`,
                    destroy: "reversed: puts it back into each binding it was removed from (recorded in state)",
                    script: "cred-unbind",
                    environment: {
                        SUBJECT_KIND: subject.kind,
                        SUBJECT_NAMESPACE: subject.namespace,
                        SUBJECT_NAME: subject.name,
                        SUBJECT_JSON: subject.json,
                        SUBJECTS_TEMPLATE,
                    },
                });
            }
            if (c.kind === "gsa") {
                const gsa = { GSA: c.email };
                step("disable", {
                    step: `Disable Google service account ${c.email} (its access tokens are rejected from then on)`,
                    destroy: "reversed: enabled again, if it was enabled before the incident",
                    script: "cred-gsa-disable",
                    environment: gsa,
                });
                step("workload-identity", {
                    step: `Remove the Workload Identity bindings (roles/iam.workloadIdentityUser) on ${c.email}`,
                    destroy: "reversed: each removed member is added back (recorded in state)",
                    script: "cred-gsa-unbind-wi",
                    environment: gsa,
                });
                step("keys", {
                    step: `Disable every user-managed key of ${c.email}`,
                    destroy: "reversed: the keys it disabled are enabled again (recorded in state)",
                    script: "cred-keys-disable",
                    environment: { ...gsa, ONLY_KEY: "" },
                });
            }
            if (c.kind === "key") {
                step("disable", {
                    step: `Disable key ${c.keyId} of ${c.email}`,
                    destroy: "reversed: enabled again, if it was enabled before the incident",
                    script: "cred-keys-disable",
                    environment: { GSA: c.email, ONLY_KEY: c.keyId },
                });
            }
        }
        if (usernames.length > 0) this.denyWrites(name, args.names, usernames, records);
        this.registerOutputs({});
    }

    /**
     * The admission policy and binding that deny the stolen Kubernetes identities' writes and
     * connections, after the records as every revocation. Admission sees no reads (get, list,
     * watch): those only lose what the unbinding takes.
     */
    private denyWrites(name: string, names: IncidentNames, usernames: string[], records: pulumi.Resource[]): void {
        const policyName = `quarantine-${names.id}-deny-credentials`;
        const labels = { [LABELS.incident]: names.id };
        const expression = denyExpression(usernames);
        const policy = new k8s.admissionregistration.v1.ValidatingAdmissionPolicy(
            `${name}/deny-policy`,
            {
                metadata: { name: policyName, labels },
                spec: {
                    // The expression can't fail on any request (a username is always a string); Fail
                    // so that an API server that can't evaluate it does not let the identity through.
                    failurePolicy: "Fail",
                    matchConstraints: {
                        // CONNECT is what exec, attach and port-forward are
                        // (https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#what-does-each-admission-controller-do).
                        resourceRules: [{ apiGroups: ["*"], apiVersions: ["*"], operations: ["CREATE", "UPDATE", "DELETE", "CONNECT"], resources: ["*", "*/*"] }],
                        // Questions about one's own rights are reads sent as creates: left alone, so
                        // that the record (auth can-i --list --as) can run again under the policy.
                        excludeResourceRules: [{ apiGroups: ["authorization.k8s.io"], apiVersions: ["*"], operations: ["CREATE"], resources: ["selfsubjectrulesreviews", "selfsubjectaccessreviews"] }],
                    },
                    validations: [
                        {
                            expression,
                            message: `stolen credentials under quarantine incident ${names.id}: writes and exec are denied`,
                            reason: "Forbidden",
                        },
                    ],
                },
            },
            { parent: this, dependsOn: records },
        );
        const binding = new k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding(
            `${name}/deny-binding`,
            { metadata: { name: policyName, labels }, spec: { policyName: policy.metadata.name, validationActions: ["Deny", "Audit"] } },
            { parent: this, dependsOn: records },
        );
        this.revoked.push(policy, binding);
    }
}
