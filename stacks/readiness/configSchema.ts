import { z } from "zod";
import { parseNet } from "../../core/ipNet";
import { GCE_NAME } from "../../components/naming";

/** The zod schema of every `quarantine-readiness:*` key; `config.ts` runs it and words the refusals. */

const EMAIL = /^[^\s@"'`$\\]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;
const TOPIC = /^projects\/[a-z][-a-z0-9]{4,28}[a-z0-9]\/topics\/[A-Za-z][-A-Za-z0-9_.~+%]{2,254}$/;

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
    })
    .strict();
