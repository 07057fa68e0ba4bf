import { K8S_LABELS, k8sAudit, methodIn, type LogSignal } from "./signal";

export const tokenCreation: LogSignal = {
    kind: "log",
    id: "token-creation",
    title: "service-account token minted outside the kubelets and controllers",
    what: "Someone other than a kubelet or a Kubernetes controller requested a token for a service account (TokenRequest).",
    rationale:
        "Kubelets mint the tokens their pods mount and controllers mint their own; anyone else minting one holds that service account's rights for the token's lifetime (seed 003, 'Stolen Credentials', 'Privilege escalation attempts').",
    falsePositives: [
        "Administrators running kubectl create token.",
        "CI/CD systems and secret managers (e.g. Vault's Kubernetes secrets engine) that mint tokens by design.",
    ],
    severity: "ERROR",
    target: "principal",
    needsDataAccess: false,
    filter: (ctx) =>
        `${k8sAudit(ctx)} AND ${methodIn(["io.k8s.core.v1.serviceaccounts.token.create"])}` +
        ` AND NOT protoPayload.authenticationInfo.principalEmail=~"^system:(node:[^:]+|kube-controller-manager|kube-scheduler|serviceaccount:kube-system:[-a-z0-9]+)$"`,
    labels: { ...K8S_LABELS, serviceAccount: `REGEXP_EXTRACT(protoPayload.resourceName, "serviceaccounts/([^/]+)")` },
};
