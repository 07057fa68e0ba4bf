import type { Signal } from "./signals";

/**
 * Cloud Monitoring fills `${log.extracted_label.KEY}` (log-based alerts) and
 * `${resource.label.KEY}` (metric alerts) in the documentation when it notifies; any other `${`
 * would be read as a variable too, so the shell lines below use `$NAME`, never `${NAME}`.
 */
const label = (signal: Signal, key: string) => (signal.kind === "log" ? `\${log.extracted_label.${key}}` : `\${resource.label.${key}}`);

/** Cloud Monitoring refuses documentation content over 10,240 bytes. */
export const DOCUMENTATION_LIMIT = 10_240;

export interface AlertDocumentation {
    readonly subject: string;
    readonly content: string;
}

/**
 * What the responder reads in the notification: what happened, on what, why it matters, what
 * else trips it, and the exact commands (README, "A responder's walkthrough") that open the
 * quarantine for it, evidence first (`quarantine:level observe`).
 */
export function alertDocumentation(signal: Signal, project: string): AlertDocumentation {
    const l = (key: string) => label(signal, key);
    const facts =
        signal.kind === "metric"
            ? [`- node: ${l("node_name")}`, `- cluster: ${l("cluster_name")} (${l("location")})`]
            : signal.id === "node-ssh"
              ? [`- principal: ${l("principal")}`, `- VM: ${l("node")} (id ${l("instanceId")}, zone ${l("zone")})`]
              : [`- principal: ${l("principal")}`, `- pod: ${l("namespace")}/${l("pod")}`, `- node: ${l("node")}`, `- cluster: ${l("cluster")} (${l("location")})`];
    const content = [
        `**What happened.** ${signal.what}`,
        "",
        ...facts,
        "",
        `**Why it matters.** ${signal.rationale}`,
        "",
        "**Known false positives.**",
        ...signal.falsePositives.map((f) => `- ${f}`),
        "",
        "**Open the quarantine** (from a checkout of quarantine, with the Pulumi CLI, gcloud and kubectl; pick the incident id):",
        "",
        "```sh",
        ...commands(signal, project, l),
        "pulumi config set quarantine:level observe   # evidence first; raise it after reading the preview",
        "pulumi preview --diff",
        "pulumi up",
        "```",
    ].join("\n");
    return { subject: `[quarantine] ${signal.title} (${project})`, content };
}

function commands(signal: Signal, project: string, l: (key: string) => string): string[] {
    const open = ["pulumi login --local                      # or the team's state bucket", "ID=<incident id, e.g. 42>", 'pulumi stack init "incident-$ID"', `pulumi config set gcp:project ${project}`];
    const cluster = (name: string, location: string) => [
        `CTX=gke_${project}_${location}_${name}`,
        'pulumi config set kubernetes:context "$CTX"',
        `pulumi config set --path quarantine:cluster.name ${name}`,
        `pulumi config set --path quarantine:cluster.location ${location}`,
    ];
    if (signal.target === "node") {
        const node = signal.kind === "metric" ? l("node_name") : l("node");
        const where =
            signal.kind === "metric"
                ? cluster(l("cluster_name"), l("location"))
                : [
                      // A node VM's labels name its cluster; the audit entry does not.
                      `read -r CLUSTER LOCATION < <(gcloud compute instances describe ${node} --zone ${l("zone")} --project ${project} --format='value(labels.goog-k8s-cluster-name,labels.goog-k8s-cluster-location)')`,
                      // Quoted: `$LOCATION_` would read as another variable, and braces are Monitoring's.
                      ...cluster('"$CLUSTER"', '"$LOCATION"'),
                  ];
        return [...open, ...where, `pulumi config set --path 'quarantine:nodes[0]' ${node}`];
    }
    const base = [...open, ...cluster(l("cluster"), l("location"))];
    if (signal.target === "pod") return [...base, `pulumi config set --path 'quarantine:pods[0]' ${l("namespace")}/${l("pod")}`];
    // A principal: when it is a pod's service account, quarantine the pods that run as it.
    return [
        ...base,
        `P='${l("principal")}'   # system:serviceaccount:<namespace>:<name> is a pod's identity; anything else: revoke it (seed 003) rather than quarantine`,
        'NS=$(echo "$P" | cut -d: -f3); SA=$(echo "$P" | cut -d: -f4)',
        `i=0; for pod in $(kubectl --context "$CTX" get pods -n "$NS" --field-selector "spec.serviceAccountName=$SA" -o jsonpath='{.items[*].metadata.name}'); do pulumi config set --path "quarantine:pods[$i]" "$NS/$pod"; i=$((i + 1)); done`,
    ];
}
