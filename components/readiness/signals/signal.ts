/**
 * A detection signal: one alert policy. Each signal's file holds its filter, why it matters
 * (the seed it comes from) and what else trips it, so a responder reading the alert and an
 * engineer tuning the filter read the same text.
 */

/** What a filter is built from: the readiness stack's config, nothing read from the cloud. */
export interface SignalContext {
    /** Clusters the Kubernetes signals watch; empty: every cluster of the project. */
    readonly clusters: readonly string[];
    /** Ranges the Kubernetes API is expected to be called from. */
    readonly trustedCidrs: readonly string[];
}

/** Which quarantine the alert's documentation opens: the pod named in the entry, or its node. */
export type Target = "pod" | "node" | "principal";

interface SignalBase {
    /** Short id: the policy's logical name and `signal` user label, e.g. `pod-exec`. */
    readonly id: string;
    /** The policy's display name. */
    readonly title: string;
    /** What happened, in one sentence, for the responder. */
    readonly what: string;
    /** Why it matters, citing the seed. */
    readonly rationale: string;
    /** What else trips it, so the responder weighs the alert before opening a quarantine. */
    readonly falsePositives: readonly string[];
    readonly severity: "CRITICAL" | "ERROR" | "WARNING";
    readonly target: Target;
}

export interface LogSignal extends SignalBase {
    readonly kind: "log";
    /** True when the entries it matches are Data Access logs (off unless `AuditLogs` turns them on). */
    readonly needsDataAccess: boolean;
    /** Absent when config gives it nothing to watch (no trusted ranges). */
    readonly filter: (ctx: SignalContext) => string | undefined;
    /** Label extractors: principal, namespace, pod, node at least (see `K8S_LABELS`). */
    readonly labels: Readonly<Record<string, string>>;
}

export interface MetricSignal extends SignalBase {
    readonly kind: "metric";
    /** Cloud Monitoring time-series filter. */
    readonly filter: (ctx: SignalContext) => string;
}

export type Signal = LogSignal | MetricSignal;

/** GKE's Kubernetes audit entries, of the watched clusters. */
export function k8sAudit(ctx: SignalContext): string {
    const clusters = ctx.clusters.length > 0 ? ` AND resource.labels.cluster_name=(${ctx.clusters.map((c) => JSON.stringify(c)).join(" OR ")})` : "";
    return `resource.type="k8s_cluster" AND protoPayload.serviceName="k8s.io"${clusters}`;
}

/** Anyone but Kubernetes' own components, whose usernames all start with `system:`. */
export const NOT_SYSTEM = `NOT protoPayload.authenticationInfo.principalEmail=~"^system:"`;

/** `methodName` is one of these (exact, as GKE writes them: `io.k8s.core.v1.pods.exec.create`). */
export function methodIn(methods: readonly string[]): string {
    return `protoPayload.methodName=(${methods.map((m) => JSON.stringify(m)).join(" OR ")})`;
}

/**
 * The labels every Kubernetes signal extracts. `resourceName` is
 * `core/v1/namespaces/<ns>/pods/<pod>[/<subresource>]`: its namespace and pod become the
 * `quarantine:pods` entry; a node appears there only for node resources (`core/v1/nodes/<node>`).
 */
export const K8S_LABELS: Readonly<Record<string, string>> = {
    principal: "EXTRACT(protoPayload.authenticationInfo.principalEmail)",
    namespace: `REGEXP_EXTRACT(protoPayload.resourceName, "namespaces/([^/]+)")`,
    pod: `REGEXP_EXTRACT(protoPayload.resourceName, "/pods/([^/]+)")`,
    node: `REGEXP_EXTRACT(protoPayload.resourceName, "/nodes/([^/]+)")`,
    cluster: "EXTRACT(resource.labels.cluster_name)",
    location: "EXTRACT(resource.labels.location)",
    callerIp: "EXTRACT(protoPayload.requestMetadata.callerIp)",
};
