import type { MetricSignal, SignalContext } from "./signal";

/**
 * The fallback when nothing in the logs gives a miner away: GKE's per-node CPU use as a share of
 * what the node can allocate, sustained.
 */
export const nodeCpu: MetricSignal = {
    kind: "metric",
    id: "node-cpu",
    title: "node CPU sustained near its allocatable limit",
    what: "A node's CPU use stayed above the threshold of its allocatable CPU for the whole duration.",
    rationale:
        "Seed 000: 'alerting on high CPU usage on your GKE nodes may indicate they are compromised for cryptomining'. A miner keeps every core busy for hours, unlike a traffic peak.",
    falsePositives: ["Batch jobs, builds and load tests that saturate a node on purpose.", "Node pools sized to run hot (bin-packing)."],
    severity: "WARNING",
    target: "node",
    filter: (ctx: SignalContext) => {
        const clusters = ctx.clusters.length > 0 ? ` AND resource.label.cluster_name=(${ctx.clusters.map((c) => JSON.stringify(c)).join(" OR ")})` : "";
        return `resource.type="k8s_node" AND metric.type="kubernetes.io/node/cpu/allocatable_utilization"${clusters}`;
    },
};
