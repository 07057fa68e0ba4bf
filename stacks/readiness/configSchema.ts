import { z } from "zod";
import { parseNet } from "../../core/ipNet";
import { GCE_NAME, K8S_DNS_SUBDOMAIN } from "../../components/naming";
import { GCP_PROJECT } from "../configProblems";

/** The zod schema of every `quarantine-readiness:*` key; `config.ts` runs it and words the refusals. */

const EMAIL = /^[^\s@"'`$\\]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;
const TOPIC = /^projects\/[a-z][-a-z0-9]{4,28}[a-z0-9]\/topics\/[A-Za-z][-A-Za-z0-9_.~+%]{2,254}$/;

// IAM: "3 to 64 characters: letters, digits, underscores and periods"
// (https://cloud.google.com/iam/docs/reference/rest/v1/projects.roles/create).
const ROLE_ID = /^[A-Za-z0-9_.]{3,64}$/;
// As the incident program checks kubernetes:context (stacks/config.ts).
const KUBE_CONTEXT = /^[A-Za-z0-9_.@:][-A-Za-z0-9_.@:/]{0,252}$/;
const GROUP = /^[^\s"'`$\\]{1,256}$/;
const CONTEXT_EXAMPLE = "e.g. pulumi config set --path 'quarantine-readiness:responder.context' gke_acme-prod_us-central1_prod";

/** The least-privilege responder role (issue #13.6); unset, none is declared. */
const responder = z
    .object(
        {
            roleId: z
                .string({ error: "must be a string: an IAM custom role id, e.g. quarantineResponder" })
                .regex(ROLE_ID, { message: "is not an IAM custom role id (3-64 letters, digits, '_' or '.'), e.g. quarantineResponder" })
                .default("quarantineResponder"),
            // Required: the ClusterRole must never land on whatever cluster the shell points at.
            context: z
                .string({ error: (i) => (i.input === undefined ? `is required: the kubeconfig context of the cluster the ClusterRole goes in, ${CONTEXT_EXAMPLE}` : `must be a string: a kubeconfig context, ${CONTEXT_EXAMPLE}`) })
                .regex(KUBE_CONTEXT, { message: `is not a kubeconfig context name, ${CONTEXT_EXAMPLE}` }),
            clusterRole: z
                .string({ error: "must be a string: a Kubernetes name, e.g. quarantine-responder" })
                .max(253, { message: "is longer than a Kubernetes name (253), e.g. quarantine-responder" })
                .regex(K8S_DNS_SUBDOMAIN, { message: "is not a Kubernetes name (lowercase letters, digits, '-', '.'), e.g. quarantine-responder" })
                .default("quarantine-responder"),
            group: z
                .string({ error: "must be a string: a Kubernetes group, e.g. gke-responders@acme.com" })
                .regex(GROUP, { message: "is not a Kubernetes group name (no spaces or quotes), e.g. gke-responders@acme.com" })
                // Every authenticated caller is in system:authenticated: binding it gives everyone the role.
                .refine((g) => !g.startsWith("system:"), { message: "is a Kubernetes system group: binding it would give the responder role to every member, e.g. gke-responders@acme.com" })
                .optional(),
        },
        { error: `must be an object {roleId, context, clusterRole, group}, ${CONTEXT_EXAMPLE}` },
    )
    .strict()
    .optional();

// https://cloud.google.com/storage/docs/buckets#naming: 3-63 lowercase letters, digits, '-', '_',
// '.', starting and ending with a letter or digit; not starting with "goog", not containing "google".
const BUCKET_NAME = /^(?!goog)(?!.*google)[a-z0-9][-a-z0-9_.]{1,61}[a-z0-9]$/;
// A region (us-central1), dual-region (nam4) or multi-region (US, EU).
const LOCATION = /^[A-Za-z][A-Za-z0-9-]{1,30}$/;
const LOCATION_EXAMPLE = "e.g. pulumi config set --path 'quarantine-readiness:evidenceBucket.location' us-central1";

/** The evidence bucket every incident stack writes to (issue #13.5). */
const evidenceBucket = z
    .object(
        {
            name: z
                .string({ error: "must be a string: a Cloud Storage bucket name, e.g. acme-forensics-quarantine-evidence" })
                .regex(BUCKET_NAME, { message: "is not a Cloud Storage bucket name (3-63 lowercase letters, digits, '-', '_', '.'; no \"goog\" prefix, no \"google\"), e.g. acme-forensics-quarantine-evidence" })
                .optional(),
            // Required: where evidence may be stored is the evidence owner's decision (data residency).
            location: z
                .string({ error: (i) => (i.input === undefined ? `is required: where the evidence bucket stores objects, ${LOCATION_EXAMPLE}` : `must be a string: a Cloud Storage location, ${LOCATION_EXAMPLE}`) })
                .regex(LOCATION, { message: `is not a Cloud Storage location (a region, dual-region or multi-region), ${LOCATION_EXAMPLE}` }),
            retentionDays: z
                .union([z.string(), z.number()], { error: "must be a number of days, e.g. 90" })
                .transform((v) => String(v))
                .pipe(z.string().regex(/^([1-9][0-9]{0,2}|[1-2][0-9]{3}|3[0-5][0-9]{2}|36[0-4][0-9]|3650)$/, { message: "is not a number of days from 1 to 3650, e.g. 90" }))
                .transform(Number)
                .default(90),
            lockRetention: z.boolean({ error: "must be true or false, e.g. false" }).default(false),
        },
        { error: `must be an object {name, location, retentionDays, lockRetention}, ${LOCATION_EXAMPLE}` },
    )
    .strict()
    // Parsed when unset, so the missing location is refused by its own key (the cast: an input
    // without it is exactly what the parse must see and refuse).
    .prefault({} as { location: string });

/** `5m`, `2h`: minutes or hours, as seconds. */
const duration = (example: string, minSeconds: number, what: string) =>
    z
        .string({ error: `must be a string: minutes or hours, e.g. ${example}` })
        .regex(/^[1-9][0-9]{0,3}[mh]$/, { message: `is not minutes or hours, e.g. ${example}` })
        .transform((v) => Number(v.slice(0, -1)) * (v.endsWith("h") ? 3600 : 60))
        .refine((s) => s >= minSeconds, { message: `is shorter than ${what} (${minSeconds / 60}m), e.g. ${example}` });

export const schema = z
    .object({
        notifications: z
            .object(
                {
                    emails: z
                        .array(z.string({ error: "must be a string: an email address, e.g. secops@acme.com" }).regex(EMAIL, { message: "is not an email address, e.g. secops@acme.com" }), {
                            error: "must be a list of email addresses, e.g. pulumi config set --path 'quarantine-readiness:notifications.emails[0]' secops@acme.com",
                        })
                        .default([]),
                    pubsubTopics: z
                        .array(
                            z.string({ error: "must be a string: a topic as projects/<project>/topics/<topic>, e.g. projects/acme-secops/topics/gke-alerts" }).regex(TOPIC, {
                                message: "is not a Pub/Sub topic as projects/<project>/topics/<topic>, e.g. projects/acme-secops/topics/gke-alerts",
                            }),
                            {
                                error: "must be a list of topics, e.g. pulumi config set --path 'quarantine-readiness:notifications.pubsubTopics[0]' projects/acme-secops/topics/gke-alerts",
                            },
                        )
                        .default([]),
                },
                { error: "must be an object {emails, pubsubTopics}, e.g. pulumi config set --path 'quarantine-readiness:notifications.emails[0]' secops@acme.com" },
            )
            .strict()
            .default({ emails: [], pubsubTopics: [] }),
        // Where the Kubernetes API is expected to be called from: offices, VPN egress, CI, the
        // nodes' and control plane's own ranges. Unset: the unexpected-IP alert is not declared.
        trustedCidrs: z
            .array(
                z
                    .string({ error: "must be a string: a CIDR range, e.g. 203.0.113.0/24" })
                    .refine((v) => parseNet(v) !== undefined, { message: "is not a CIDR range (IPv4 or IPv6), e.g. 203.0.113.0/24" }),
                { error: "must be a list of CIDR ranges, e.g. pulumi config set --path 'quarantine-readiness:trustedCidrs[0]' 203.0.113.0/24" },
            )
            .default([]),
        // Unset: every cluster of the project.
        clusters: z
            .array(
                z.string({ error: "must be a string: a GKE cluster name, e.g. prod" }).regex(GCE_NAME, {
                    message: "is not a GKE cluster name (lowercase letter first, then letters, digits, '-'; ≤ 63), e.g. prod",
                }),
                { error: "must be a list of cluster names, e.g. pulumi config set --path 'quarantine-readiness:clusters[0]' prod" },
            )
            .default([]),
        // Cloud Monitoring refuses a log-based alert's rate limit below 5 minutes.
        notificationRateLimit: duration("5m", 300, "Cloud Monitoring's minimum for log-based alerts").default(300),
        cpu: z
            .object({
                threshold: z
                    .union([z.string(), z.number()], { error: "must be a fraction of allocatable CPU, e.g. 0.9" })
                    .transform((v) => String(v))
                    .pipe(z.string().regex(/^(0?\.[0-9]{1,3}|1(\.0{1,3})?)$/, { message: "is not a fraction of allocatable CPU above 0 and at most 1, e.g. 0.9" }))
                    .transform(Number)
                    .refine((n) => n > 0, { message: "is not a fraction of allocatable CPU above 0 and at most 1, e.g. 0.9" })
                    .default(0.9),
                duration: duration("15m", 60, "one minute, the metric's sampling period").default(900),
            })
            .strict()
            .default({ threshold: 0.9, duration: 900 }),
        responder,
        // Unset: the bucket is in gcp:project. A forensics project of its own keeps the evidence
        // out of reach of whoever compromised the clusters' project.
        evidenceProject: z
            .string({ error: "must be a string: a GCP project id, e.g. acme-forensics" })
            .regex(GCP_PROJECT, { message: "is not a GCP project id, e.g. acme-forensics" })
            .optional(),
        evidenceBucket,
        // The quarantine firewall, pre-staged on a tag no VM carries (issue #13.4).
        containment: z
            .object(
                {
                    networks: z
                        .array(z.string({ error: "must be a string: a VPC network name, e.g. default" }).regex(GCE_NAME, { message: "is not a VPC network name (lowercase letter first, then letters, digits, '-'; ≤ 63), e.g. default" }), {
                            error: "must be a list of VPC network names, e.g. pulumi config set --path 'quarantine-readiness:containment.networks[0]' default",
                        })
                        .default([]),
                },
                { error: "must be an object {networks}, e.g. pulumi config set --path 'quarantine-readiness:containment.networks[0]' default" },
            )
            .strict()
            .default({ networks: [] }),
    })
    .strict();
