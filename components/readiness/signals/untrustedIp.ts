import { K8S_LABELS, k8sAudit, type LogSignal } from "./signal";

/** The API server's own loopback calls. */
const LOOPBACK = ["127.0.0.0/8", "::1/128"] as const;

export const untrustedIp: LogSignal = {
    kind: "log",
    id: "untrusted-ip",
    title: "Kubernetes API called from an unexpected address",
    what: "The Kubernetes API was called from an address outside quarantine-readiness:trustedCidrs.",
    rationale:
        "Seed 003 lists 'API calls from unexpected IPs' first among the signs of stolen credentials: a token or kubeconfig used from the attacker's machine. Every caller counts, in-cluster service accounts included, since a pod's stolen token is a system:serviceaccount. Reads are Data Access logs.",
    falsePositives: [
        "A range missing from trustedCidrs: the nodes' and pods' ranges, the control plane's range of a private cluster, a new office or VPN egress, CI runners, Cloud Build's pools.",
        "Google-run callers that reach the API from Google addresses (Config Sync, Backup for GKE): add their ranges or exclude their principal.",
    ],
    severity: "ERROR",
    target: "principal",
    needsDataAccess: true,
    filter: (ctx) => {
        if (ctx.trustedCidrs.length === 0) return undefined;
        const trusted = [...ctx.trustedCidrs, ...LOOPBACK].map((c) => `NOT ip_in_net(protoPayload.requestMetadata.callerIp, "${c}")`);
        return `${k8sAudit(ctx)} AND protoPayload.requestMetadata.callerIp:* AND ${trusted.join(" AND ")}`;
    },
    labels: K8S_LABELS,
};
