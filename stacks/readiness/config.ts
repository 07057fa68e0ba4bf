import { ConfigError } from "../config";
import { GCP_PROJECT, namespaceValues, schemaProblems, show } from "../configProblems";
import { schema } from "./configSchema";

export { ConfigError };

export const NAMESPACE = "quarantine-readiness";

/** The readiness program's whole config, validated before anything is registered. */
export interface ReadinessConfig {
    /** The project whose audit logs, alerts and channels this stack declares. */
    readonly project: string;
    readonly emails: readonly string[];
    /** Topics as `projects/<project>/topics/<topic>`. */
    readonly pubsubTopics: readonly string[];
    /** Ranges the Kubernetes API is expected to be called from; empty: that alert is not declared. */
    readonly trustedCidrs: readonly string[];
    /** Clusters the Kubernetes alerts watch; empty: every cluster of the project. */
    readonly clusters: readonly string[];
    readonly notificationRateLimitSeconds: number;
    readonly cpu: { readonly threshold: number; readonly durationSeconds: number };
    /** The least-privilege responder role and ClusterRole; unset: not declared. */
    readonly responder?: { readonly roleId: string; readonly kubeContext: string; readonly clusterRole: string; readonly group?: string };
    /** The evidence bucket every incident stack writes to, in `project` (the forensics project, or `gcp:project`). */
    readonly evidence: { readonly project: string; readonly bucket: string; readonly location: string; readonly retentionDays: number; readonly lockRetention: boolean };
    /** VPC networks the quarantine firewall is pre-staged in; empty: none. */
    readonly containmentNetworks: readonly string[];
}

/** The evidence bucket's name unless `evidenceBucket.name` says otherwise: project ids are globally unique, so is this. */
export function defaultEvidenceBucket(evidenceProject: string): string {
    return `${evidenceProject}-quarantine-evidence`;
}

/**
 * Validates every `quarantine-readiness:*` key and `gcp:project` (`allConfig()` shape) and
 * throws one `ConfigError` listing every problem, each naming the key, the value and an example.
 */
export function parseReadinessConfig(all: Record<string, string>): ReadinessConfig {
    const ours = namespaceValues(all, NAMESPACE);
    const parsed = schema.safeParse(ours);
    const problems = parsed.success ? [] : schemaProblems(schema, NAMESPACE, ours, parsed.error);

    const project = all["gcp:project"];
    if (!project) {
        problems.push("gcp:project (unset) is required: the project whose audit logs and alerts this stack declares, e.g. pulumi config set gcp:project acme-prod");
    } else if (!GCP_PROJECT.test(project)) {
        problems.push(`gcp:project ${show(project)} is not a GCP project id, e.g. acme-prod`);
    }

    if (parsed.success) {
        const { emails, pubsubTopics } = parsed.data.notifications;
        if (emails.length + pubsubTopics.length === 0) {
            // An alert nobody receives only waits in the console for someone to look.
            problems.push(
                `${NAMESPACE}:notifications ${show(ours.notifications)} must name at least one email or Pub/Sub topic, e.g. pulumi config set --path '${NAMESPACE}:notifications.emails[0]' secops@acme.com`,
            );
        }
        const twice = (key: string, list: readonly string[]) =>
            list.flatMap((v, i) => (list.indexOf(v) !== i ? [`${NAMESPACE}:${key}[${i}] ${show(v)} is listed twice; list each once`] : []));
        problems.push(...twice("notifications.emails", emails), ...twice("notifications.pubsubTopics", pubsubTopics), ...twice("trustedCidrs", parsed.data.trustedCidrs), ...twice("clusters", parsed.data.clusters), ...twice("containment.networks", parsed.data.containment.networks));
    }

    if (problems.length > 0 || !parsed.success || !project) throw new ConfigError(problems);
    const d = parsed.data;
    return {
        project,
        emails: d.notifications.emails,
        pubsubTopics: d.notifications.pubsubTopics,
        trustedCidrs: d.trustedCidrs,
        clusters: d.clusters,
        notificationRateLimitSeconds: d.notificationRateLimit,
        cpu: { threshold: d.cpu.threshold, durationSeconds: d.cpu.duration },
        evidence: {
            project: d.evidenceProject ?? project,
            bucket: d.evidenceBucket.name ?? defaultEvidenceBucket(d.evidenceProject ?? project),
            location: d.evidenceBucket.location,
            retentionDays: d.evidenceBucket.retentionDays,
            lockRetention: d.evidenceBucket.lockRetention,
        },
        containmentNetworks: d.containment.networks,
        ...(d.responder
            ? { responder: { roleId: d.responder.roleId, kubeContext: d.responder.context, clusterRole: d.responder.clusterRole, ...(d.responder.group ? { group: d.responder.group } : {}) } }
            : {}),
    };
}
