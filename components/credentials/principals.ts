import { K8S_DNS_LABEL, isK8sSubdomain } from "../naming";
import type { Credential } from "../../stacks/credentialConfig";
import { GSA_EMAIL, KEY_ID, USER_EMAIL, credentialKey } from "../../stacks/credentialConfig";

/**
 * What the stolen-credential steps say about a principal, as plain data: how Kubernetes and Cloud
 * Logging name it, the groups RBAC grants it through, the subject its bindings carry. Every value
 * is checked again here against the same strict patterns as the config, because these strings go
 * into JSON patches, CEL and a logging filter: a quote in any of them would change the text, not
 * the value.
 */

/** Lines that do not start with `system:serviceaccount:` or an email can't reach CEL or a filter. */
const SA_USERNAME = /^system:serviceaccount:[a-z0-9]([-a-z0-9]*[a-z0-9])?:[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** Throws unless the credential is exactly what the config's patterns accept. */
export function checkCredential(c: Credential): void {
    const ok =
        c.kind === "serviceaccount"
            ? K8S_DNS_LABEL.test(c.namespace) && isK8sSubdomain(c.name)
            : c.kind === "user"
              ? USER_EMAIL.test(c.email)
              : GSA_EMAIL.test(c.email) && (c.kind !== "key" || KEY_ID.test(c.keyId));
    if (!ok) throw new Error(`${JSON.stringify(c)} is not a checked principal; refusing to write it into a command, a filter or an admission policy`);
}

/** The Kubernetes RBAC subject a binding names the principal by, and its groups; undefined for Google-only principals. */
export function kubeSubject(c: Credential): { kind: "ServiceAccount" | "User"; namespace: string; name: string; json: string; username: string; groups: string[] } | undefined {
    checkCredential(c);
    if (c.kind === "serviceaccount") {
        return {
            kind: "ServiceAccount",
            namespace: c.namespace,
            name: c.name,
            json: JSON.stringify({ kind: "ServiceAccount", name: c.name, namespace: c.namespace }),
            username: `system:serviceaccount:${c.namespace}:${c.name}`,
            // The groups the API server puts every service account token in
            // (https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-subjects).
            groups: ["system:serviceaccounts", `system:serviceaccounts:${c.namespace}`, "system:authenticated"],
        };
    }
    if (c.kind === "user") {
        return {
            kind: "User",
            namespace: "-",
            name: c.email,
            json: JSON.stringify({ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: c.email }),
            username: c.email,
            groups: ["system:authenticated"],
        };
    }
    return undefined;
}

/** How the principal appears in the project's IAM policy, e.g. `serviceAccount:web-app@…`. */
export function iamMember(c: Credential): string {
    checkCredential(c);
    if (c.kind === "serviceaccount") return "";
    return c.kind === "user" ? `user:${c.email}` : `serviceAccount:${c.email}`;
}

/**
 * The Cloud Logging filter of the principal's audit trail, without time bounds (the script adds
 * them when it runs). Fields from the AuditLog payload
 * (https://cloud.google.com/logging/docs/reference/audit/auditlog/rest/Shared.Types/AuditLog#authenticationinfo):
 * `principalEmail` is who called; `serviceAccountDelegationInfo` names who acted through a service
 * account, for Workload Identity the Kubernetes service account as
 * `serviceAccount:<project>.svc.id.goog[<namespace>/<name>]`; `serviceAccountKeyName` the key used.
 */
export function auditFilter(c: Credential, project: string): string {
    checkCredential(c);
    const auth = "protoPayload.authenticationInfo";
    switch (c.kind) {
        case "serviceaccount":
            return (
                `${auth}.principalEmail="system:serviceaccount:${c.namespace}:${c.name}" OR ` +
                `${auth}.serviceAccountDelegationInfo.principalSubject="serviceAccount:${project}.svc.id.goog[${c.namespace}/${c.name}]"`
            );
        case "user":
            return `${auth}.principalEmail="${c.email}"`;
        case "gsa":
            return (
                `${auth}.principalEmail="${c.email}" OR ${auth}.serviceAccountDelegationInfo.firstPartyPrincipal.principalEmail="${c.email}" OR ` +
                `protoPayload.resourceName:"serviceAccounts/${c.email}"`
            );
        case "key":
            return `${auth}.serviceAccountKeyName:"${c.keyId}" OR protoPayload.resourceName:"keys/${c.keyId}"`;
    }
}

/**
 * The admission policy's validation: true (allowed) unless the request's user is one of the
 * stolen identities. The list is inline, each username checked before it is written into CEL.
 */
export function denyExpression(usernames: readonly string[]): string {
    if (usernames.length === 0) throw new Error("a credential deny policy needs at least one username");
    for (const u of usernames) {
        if (!SA_USERNAME.test(u) && !USER_EMAIL.test(u)) throw new Error(`${JSON.stringify(u)} is not a username that can be written into the admission policy's CEL`);
    }
    return `!(request.userInfo.username in [${usernames.map((u) => `'${u}'`).join(", ")}])`;
}

/** A logical-name and object-path part for the principal: `serviceaccount/default/web`, `gsa/web-app@…`. */
export function credentialPath(c: Credential): string {
    return credentialKey(c).replace(":", "/");
}

/**
 * One line per subject of every binding in a RoleBindingList or ClusterRoleBindingList, for
 * `kubectl -o go-template`: namespace (- for a cluster binding), binding, index, kind, subject
 * namespace (-), subject name, tab-separated (lib/cred.sh reads it).
 */
export const SUBJECTS_TEMPLATE =
    '{{range .items}}{{$ns := "-"}}{{with .metadata.namespace}}{{$ns = .}}{{end}}{{$n := .metadata.name}}' +
    "{{range $i, $s := .subjects}}{{$ns}}\t{{$n}}\t{{$i}}\t{{$s.kind}}\t{{with $s.namespace}}{{.}}{{else}}-{{end}}\t{{$s.name}}\n{{end}}{{end}}";

/** How far back the audit trail reaches: Data Access logs are kept 30 days in the _Default bucket (https://cloud.google.com/logging/quotas#logs_retention_periods). */
export const AUDIT_DAYS = "30";
/** At most this many entries per principal: a bound on the capture, said in the record. */
export const AUDIT_LIMIT = "20000";
