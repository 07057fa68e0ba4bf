import { K8S_LABELS, k8sAudit, methodIn, type LogSignal } from "./signal";

/**
 * kubectl up to 1.29 opens exec, attach and port-forward with a POST (audit verb `create`);
 * kubectl 1.30 and later speaks WebSockets, whose upgrade is a GET, so the audit log records
 * `io.k8s.core.v1.pods.exec.get`. Stock rules that match `create` only miss every exec from a
 * current kubectl. The `get` entries are Data Access logs: without `AuditLogs` they don't exist.
 */
const SUBRESOURCES = ["exec", "attach", "portforward"] as const;

export const podExec: LogSignal = {
    kind: "log",
    id: "pod-exec",
    title: "exec, attach or port-forward into a pod",
    what: "Someone opened a shell (exec), attached to, or port-forwarded into a running pod.",
    rationale:
        "An interactive session in a production container is how an attacker works inside a compromised pod, and how one is inspected (seed 000, 'Inspect the VM while the workload continues to run'); either way the pod deserves a look.",
    falsePositives: [
        "Engineers debugging in production with kubectl exec or port-forward.",
        "A quarantine's own `quarantine:capture.exec` archive (its principal is the responder).",
        "Tools that exec on a schedule (backup agents, some operators): exclude their principal here once known.",
    ],
    severity: "WARNING",
    target: "pod",
    needsDataAccess: true,
    filter: (ctx) => `${k8sAudit(ctx)} AND ${methodIn(SUBRESOURCES.flatMap((s) => [`io.k8s.core.v1.pods.${s}.create`, `io.k8s.core.v1.pods.${s}.get`]))}`,
    labels: K8S_LABELS,
};
