import { K8S_LABELS, NOT_SYSTEM, k8sAudit, type LogSignal } from "./signal";

export const kubeSystemWrite: LogSignal = {
    kind: "log",
    id: "kube-system-write",
    title: "write in kube-system outside system:",
    what: "A person or a Google service account created, changed or deleted an object in kube-system.",
    rationale:
        "kube-system runs the cluster's own services with powerful service accounts; a change there by a human is rare and a favourite place to hide persistence (seed 003, 'Privilege escalation attempts'). GKE's service agent (service-<number>@container-engine-robot) is excluded: it manages the namespace. Sessions into its pods are pod-exec's.",
    falsePositives: ["Administrators installing or patching cluster add-ons by hand.", "CI/CD pipelines that deploy into kube-system with a Google service account."],
    severity: "ERROR",
    target: "principal",
    needsDataAccess: false,
    filter: (ctx) =>
        `${k8sAudit(ctx)} AND protoPayload.resourceName=~"^[^/]+/[^/]+/namespaces/kube-system/" AND protoPayload.methodName=~"[.](create|update|patch|delete|deletecollection)$"` +
        ` AND NOT protoPayload.methodName=~"[.](exec|attach|portforward)[.]" AND ${NOT_SYSTEM}` +
        ` AND NOT protoPayload.authenticationInfo.principalEmail=~"^service-[0-9]+@container-engine-robot[.]iam[.]gserviceaccount[.]com$"`,
    labels: K8S_LABELS,
};
