import { K8S_LABELS, k8sAudit, methodIn, type LogSignal } from "./signal";

export const ephemeralContainer: LogSignal = {
    kind: "log",
    id: "ephemeral-container",
    title: "ephemeral container added to a pod (kubectl debug)",
    what: "An ephemeral container was added to a running pod, as `kubectl debug <pod>` does.",
    rationale:
        "An ephemeral container runs any image inside the pod's namespaces, beside the workload and its secrets, without changing the pod's spec history: a quiet way in (seed 003, 'Unexpected processes'). `kubectl debug node/…` creates a privileged pod instead (privileged-pod).",
    falsePositives: ["Engineers debugging a distroless container with kubectl debug."],
    severity: "WARNING",
    target: "pod",
    needsDataAccess: false,
    filter: (ctx) => `${k8sAudit(ctx)} AND ${methodIn(["io.k8s.core.v1.pods.ephemeralcontainers.patch", "io.k8s.core.v1.pods.ephemeralcontainers.update"])}`,
    labels: K8S_LABELS,
};
