import { K8S_LABELS, NOT_SYSTEM, k8sAudit, type LogSignal } from "./signal";

export const csrApproval: LogSignal = {
    kind: "log",
    id: "csr-approval",
    title: "CertificateSigningRequest approved outside system:",
    what: "A person or a Google service account approved a CertificateSigningRequest.",
    rationale:
        "An approved CSR is a client certificate the cluster trusts, valid until it expires and not revocable: a credential that outlives any password rotation (seed 003, 'Stolen Credentials'). Kubelet certificates are approved by the controller manager (system:…), which is excluded.",
    falsePositives: ["Administrators approving a certificate by hand (kubectl certificate approve) for a new user or a node outside a managed pool."],
    severity: "CRITICAL",
    target: "principal",
    needsDataAccess: false,
    filter: (ctx) => `${k8sAudit(ctx)} AND protoPayload.methodName=~"^io[.]k8s[.]certificates[.]v1(beta1)?[.]certificatesigningrequests[.]approval[.](update|patch)$" AND ${NOT_SYSTEM}`,
    labels: { ...K8S_LABELS, csr: `REGEXP_EXTRACT(protoPayload.resourceName, "certificatesigningrequests/([^/]+)")` },
};
