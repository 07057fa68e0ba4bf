import { z } from "zod";
import { K8S_DNS_LABEL, isK8sSubdomain } from "../components/naming";
import { show } from "./configProblems";

/**
 * `quarantine:credentials` (seed 003, "Stolen credentials"): the principals whose credentials are
 * stolen. Each entry is checked strictly here, before anything is registered: the values go into
 * kubectl and gcloud arguments, RBAC JSON patches and an admission policy's CEL.
 */

/** A Kubernetes service account; its API username is `system:serviceaccount:<namespace>:<name>`. */
export interface ServiceAccountCredential {
    readonly kind: "serviceaccount";
    readonly namespace: string;
    readonly name: string;
}
/** A Google service account, `<name>@<project>.iam.gserviceaccount.com`. */
export interface GsaCredential {
    readonly kind: "gsa";
    readonly email: string;
}
/** A person's Google identity (on GKE also their Kubernetes username). */
export interface UserCredential {
    readonly kind: "user";
    readonly email: string;
}
/** One user-managed key of a Google service account. */
export interface KeyCredential {
    readonly kind: "key";
    readonly email: string;
    readonly keyId: string;
}
export type Credential = ServiceAccountCredential | GsaCredential | UserCredential | KeyCredential;

const EXAMPLES = "e.g. serviceaccount:default/web, gsa:web-app@acme-prod.iam.gserviceaccount.com, user:mallory@acme.com or key:web-app@acme-prod.iam.gserviceaccount.com/0123456789abcdef0123456789abcdef01234567";

/**
 * A user-created service account's email: its account id (6-30 characters, a lowercase letter
 * first, then lowercase letters, digits, '-', not ending in '-') at its project id (6-30, the same
 * alphabet) (https://cloud.google.com/iam/docs/service-accounts-create#creating,
 * https://cloud.google.com/resource-manager/docs/creating-managing-projects#before_you_begin).
 */
export const GSA_EMAIL = /^[a-z][-a-z0-9]{4,28}[a-z0-9]@[a-z][-a-z0-9]{4,28}[a-z0-9]\.iam\.gserviceaccount\.com$/;
/** A service account key's id: 40 hex digits, as `gcloud iam service-accounts keys list` shows it. */
export const KEY_ID = /^[0-9a-f]{40}$/;
/** An email address a Google account can have: no spaces, quotes, backslashes or shell characters. */
export const USER_EMAIL = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}@[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?)+$/;

export function parseCredential(v: string): Credential | { problem: string } {
    const colon = v.indexOf(":");
    const kind = colon < 0 ? "" : v.slice(0, colon);
    const rest = v.slice(colon + 1);
    switch (kind) {
        case "serviceaccount": {
            const parts = rest.split("/");
            if (parts.length !== 2) return { problem: `is not serviceaccount:<namespace>/<name>, e.g. serviceaccount:default/web` };
            const [namespace, name] = parts;
            if (!K8S_DNS_LABEL.test(namespace)) {
                return { problem: `is not a valid service account: namespace ${show(namespace)} is not a Kubernetes namespace name (lowercase letters, digits, '-'; ≤ 63), e.g. serviceaccount:default/web` };
            }
            if (!isK8sSubdomain(name)) {
                return { problem: `is not a valid service account: name ${show(name)} is not a Kubernetes object name (lowercase letters, digits, '-', '.'; ≤ 253), e.g. serviceaccount:default/web` };
            }
            return { kind, namespace, name };
        }
        case "gsa":
            if (!GSA_EMAIL.test(rest)) return { problem: `is not a Google service account: expected gsa:<name>@<project>.iam.gserviceaccount.com, e.g. gsa:web-app@acme-prod.iam.gserviceaccount.com` };
            return { kind, email: rest };
        case "user":
            if (!USER_EMAIL.test(rest) || rest.endsWith(".iam.gserviceaccount.com")) {
                return { problem: `is not a user's email address (a service account is gsa:…), e.g. user:mallory@acme.com` };
            }
            return { kind, email: rest };
        case "key": {
            const slash = rest.lastIndexOf("/");
            const email = rest.slice(0, Math.max(slash, 0));
            const keyId = rest.slice(slash + 1);
            if (slash < 0 || !GSA_EMAIL.test(email)) return { problem: `is not key:<service account email>/<key id>, e.g. key:web-app@acme-prod.iam.gserviceaccount.com/0123456789abcdef0123456789abcdef01234567` };
            if (!KEY_ID.test(keyId)) return { problem: `has key id ${show(keyId)}, which is not 40 hex digits as gcloud iam service-accounts keys list shows it, e.g. key:${email}/0123456789abcdef0123456789abcdef01234567` };
            return { kind, email, keyId };
        }
        default:
            return { problem: `is not a principal: expected serviceaccount:, gsa:, user: or key:, ${EXAMPLES}` };
    }
}

/** The schema entry of one `quarantine:credentials` item. */
export const credentialRef = z
    .string({ error: `must be a string naming a principal, ${EXAMPLES}` })
    .superRefine((v, ctx) => {
        const r = parseCredential(v);
        if ("problem" in r) ctx.addIssue({ code: "custom", message: r.problem });
    })
    .transform((v) => parseCredential(v) as Credential);

export const credentialList = z
    .array(credentialRef, { error: `must be a list of principals, e.g. pulumi config set --path 'quarantine:credentials[0]' serviceaccount:default/web` })
    .default([]);

/** How the entry is written in config: `serviceaccount:default/web`. */
export function credentialKey(c: Credential): string {
    switch (c.kind) {
        case "serviceaccount":
            return `serviceaccount:${c.namespace}/${c.name}`;
        case "key":
            return `key:${c.email}/${c.keyId}`;
        default:
            return `${c.kind}:${c.email}`;
    }
}

/** The Kubernetes username a principal acts as, for those RBAC and admission can name. */
export function kubeUsername(c: Credential): string | undefined {
    if (c.kind === "serviceaccount") return `system:serviceaccount:${c.namespace}:${c.name}`;
    return c.kind === "user" ? c.email : undefined;
}

/** Cross-entry checks, run once the schema has parsed. */
export function credentialProblems(credentials: readonly Credential[]): string[] {
    const problems: string[] = [];
    const seen = new Map<string, number>();
    credentials.forEach((c, i) => {
        const k = credentialKey(c);
        const first = seen.get(k);
        if (first !== undefined) problems.push(`quarantine:credentials[${i}] ${show(k)} is quarantine:credentials[${first}] again; list each principal once`);
        else seen.set(k, i);
    });
    return problems;
}
