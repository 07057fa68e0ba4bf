import { UsageError } from "./flags";

/**
 * `quarantine open --from-alert FILE`: the pod and node a readiness alert names, read from the
 * notification Cloud Monitoring publishes to the readiness stack's Pub/Sub channel
 * (components/readiness/notificationChannels.ts). The notification is the documented JSON
 * (schema version 1.2: `{"incident": {…}, "version": "1.2"}`,
 * https://cloud.google.com/monitoring/support/notification-options#pubsub). The values the alert
 * policies extract (components/readiness/signals/signal.ts `K8S_LABELS`: principal, namespace,
 * pod, node, cluster, location) are the incident's labels, which the notification carries in
 * `incident.metric.labels` ("Incident labels are included in the metric field of the JSON
 * structure", https://cloud.google.com/monitoring/alerts/labels); a metric policy's (the CPU
 * fallback) are its monitored resource's, in `incident.resource.labels` (`node_name`,
 * `cluster_name`, `location`, `project_id`). Accepted as the notification itself, as a Pub/Sub
 * push request (`{"message": {"data": base64}}`), or as `gcloud pubsub subscriptions pull
 * --format=json` prints it (a list of those).
 */

export interface Alert {
    readonly policy: string;
    readonly condition: string;
    readonly incidentId: string;
    readonly state: string;
    readonly url?: string;
    readonly startedAt?: string;
    readonly principal?: string;
    /** `namespace/name`, as `--pod` takes it. */
    readonly pod: string;
    readonly node?: string;
    readonly project?: string;
    /** `gke_<project>_<location>_<cluster>`, the context `gcloud container clusters get-credentials` writes. */
    readonly context?: string;
}

type Json = Record<string, any>;

const refuse = (file: string, why: string): never => {
    throw new UsageError([`--from-alert ${JSON.stringify(file)}: ${why}`]);
};

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** The notification inside a Pub/Sub envelope, or the notification itself. */
function unwrap(file: string, doc: unknown): Json {
    const first = Array.isArray(doc) ? doc[0] : doc;
    if (Array.isArray(doc) && doc.length !== 1) refuse(file, `holds ${doc.length} Pub/Sub messages; pull or save one alert at a time`);
    const data = isObject(first) && isObject(first.message) ? first.message.data : undefined;
    if (typeof data !== "string") return isObject(first) ? first : refuse(file, "is not a JSON object");
    try {
        return JSON.parse(Buffer.from(data, "base64").toString("utf8"));
    } catch {
        return refuse(file, "message.data is not a base64-encoded JSON notification");
    }
}

/** A label's value, and where it was looked for (for the refusal). */
function label(inc: Json, key: string, resourceKey?: string): { value?: string; looked: string } {
    const v = inc.metric?.labels?.[key];
    const r = resourceKey ? inc.resource?.labels?.[resourceKey] : undefined;
    const value = [v, r].find((x) => typeof x === "string" && x.trim() !== "");
    return { value: value?.trim(), looked: `incident.metric.labels.${key}${resourceKey ? ` or incident.resource.labels.${resourceKey}` : ""}` };
}

/** Why a label is absent: the policy does not extract it at all, or the log entry it matched had none. */
function missing(inc: Json, key: string, looked: string): string {
    const extractors = inc.condition?.conditionMatchedLog?.labelExtractors;
    const policy = JSON.stringify(inc.policy_name ?? "?");
    if (isObject(extractors) && !(key in extractors)) return `${looked} is missing: policy ${policy} does not extract a ${key} (its labelExtractors: ${Object.keys(extractors).join(", ") || "none"})`;
    if (isObject(extractors)) return `${looked} is missing or empty: the log entry policy ${policy} matched named no ${key} (${key}: ${extractors[key]})`;
    return `${looked} is missing: policy ${policy} names no ${key}`;
}

export function parseAlert(file: string, text: string): Alert {
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch (e) {
        return refuse(file, `is not JSON (${(e as Error).message})`);
    }
    const n = unwrap(file, doc);
    const inc = n.incident;
    if (!isObject(inc)) return refuse(file, `has no "incident" object: not a Cloud Monitoring notification (schema version 1.2: {"incident": {…}, "version": "1.2"})`);
    const pod = label(inc, "pod");
    const namespace = label(inc, "namespace");
    const node = label(inc, "node", "node_name");
    if (!pod.value) {
        const hint = node.value ? `; it names node ${node.value}: quarantine open <id> --node ${node.value} quarantines that directly` : "";
        return refuse(file, `names no pod, so there is nothing to quarantine from it: ${missing(inc, "pod", pod.looked)}${hint}`);
    }
    if (!namespace.value) return refuse(file, `names pod ${pod.value} but not its namespace: ${missing(inc, "namespace", namespace.looked)}`);
    const project = [inc.resource?.labels?.project_id, inc.scoping_project_id].find((x) => typeof x === "string" && x !== "");
    const cluster = label(inc, "cluster", "cluster_name").value;
    const location = label(inc, "location", "location").value;
    return {
        policy: String(inc.policy_name ?? ""),
        condition: String(inc.condition_name ?? inc.condition?.displayName ?? ""),
        incidentId: String(inc.incident_id ?? ""),
        state: String(inc.state ?? ""),
        url: typeof inc.url === "string" ? inc.url : undefined,
        startedAt: typeof inc.started_at === "number" ? new Date(inc.started_at * 1000).toISOString() : undefined,
        principal: label(inc, "principal").value,
        pod: `${namespace.value}/${pod.value}`,
        node: node.value,
        project,
        context: project && cluster && location ? `gke_${project}_${location}_${cluster}` : undefined,
    };
}

/** The lines that head the preview: which alert this is about, so the channel reads it in context. */
export function alertLines(a: Alert): string[] {
    return [
        `Alert ${JSON.stringify(a.policy)} (${a.state || "state unknown"}${a.startedAt ? `, started ${a.startedAt}` : ""}${a.incidentId ? `, Monitoring incident ${a.incidentId}` : ""})`,
        `  pod ${a.pod}${a.node ? ` on node ${a.node}` : ""}${a.principal ? `, by ${a.principal}` : ""}${a.context ? `, context ${a.context}` : ""}`,
        ...(a.url ? [`  ${a.url}`] : []),
    ];
}
