import { K8S_LABELS, k8sAudit, type LogSignal } from "./signal";

export const anonymousAllowed: LogSignal = {
    kind: "log",
    id: "anonymous-allowed",
    title: "anonymous request allowed",
    what: "The API server authorised a request that carried no credentials (system:anonymous).",
    rationale:
        "An anonymous request that gets through means a binding grants something to system:anonymous or system:unauthenticated: the cluster is open to anyone who can reach it (seed 003, 'Stolen Credentials'; seed 000 'Detecting incidents'). The health and version endpoints Kubernetes opens to everyone by default are excluded.",
    falsePositives: ["Load balancers or uptime checks probing another non-resource path that a custom ClusterRole opened to system:unauthenticated."],
    severity: "CRITICAL",
    target: "principal",
    needsDataAccess: true,
    filter: (ctx) =>
        `${k8sAudit(ctx)} AND protoPayload.authenticationInfo.principalEmail="system:anonymous" AND labels."authorization.k8s.io/decision"="allow"` +
        ` AND NOT protoPayload.resourceName=~"^/?(healthz|livez|readyz|version)([/?]|$)"`,
    labels: K8S_LABELS,
};
