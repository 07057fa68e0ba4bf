import { K8S_LABELS, NOT_SYSTEM, k8sAudit, methodIn, type LogSignal } from "./signal";

export const secretRead: LogSignal = {
    kind: "log",
    id: "secret-read",
    title: "secret read by a principal outside system:",
    what: "A person or a Google service account read, listed or watched Kubernetes Secrets.",
    rationale:
        "Reading secrets is the first move with stolen credentials (seed 003, 'Stolen Credentials': kubectl get secrets -A). Reads are Data Access logs, so this signal exists only with AuditLogs on. In-cluster service accounts (system:serviceaccount:…) are excluded because controllers read secrets all day; a stolen pod token is caught where it is minted (token-creation) or used from outside (untrusted-ip).",
    falsePositives: [
        "Administrators listing secrets with kubectl, and the GKE console's workload pages (they list secrets as the signed-in user).",
        "CI/CD or GitOps tools that authenticate with a Google service account (Cloud Build, Config Sync's Google identity).",
    ],
    severity: "ERROR",
    target: "principal",
    needsDataAccess: true,
    filter: (ctx) => `${k8sAudit(ctx)} AND ${methodIn(["io.k8s.core.v1.secrets.get", "io.k8s.core.v1.secrets.list", "io.k8s.core.v1.secrets.watch"])} AND ${NOT_SYSTEM}`,
    labels: { ...K8S_LABELS, secret: `REGEXP_EXTRACT(protoPayload.resourceName, "/secrets/([^/]+)")` },
};
