import { K8S_LABELS, k8sAudit, type LogSignal } from "./signal";

/** The groups every request, or every signed-in Google account, belongs to. */
export const EVERYONE = ["system:anonymous", "system:unauthenticated", "system:authenticated"] as const;

export const privilegedBinding: LogSignal = {
    kind: "log",
    id: "privileged-binding",
    title: "binding to cluster-admin or to everyone",
    what: "A RoleBinding or ClusterRoleBinding now grants cluster-admin, or grants a role to system:anonymous, system:unauthenticated or system:authenticated.",
    rationale:
        "Granting cluster-admin, or anything to every caller, is privilege escalation and persistence (seed 003, 'Privilege escalation attempts'). The filter reads protoPayload.response, the binding as stored: a patch's request is only the patch and may not name the role or the subject.",
    falsePositives: [
        "Installation guides that bind the installer's account to cluster-admin (kubectl create clusterrolebinding cluster-admin-binding …).",
        "Helm charts or operators that ship a cluster-admin binding for their controller.",
    ],
    severity: "CRITICAL",
    target: "principal",
    needsDataAccess: false,
    filter: (ctx) =>
        `${k8sAudit(ctx)} AND protoPayload.methodName=~"^io[.]k8s[.]authorization[.]rbac[.]v1[.](cluster)?rolebindings[.](create|update|patch)$"` +
        ` AND (protoPayload.response.roleRef.name="cluster-admin" OR protoPayload.response.subjects.name=(${EVERYONE.map((g) => `"${g}"`).join(" OR ")}))` +
        // GKE's own reconciler keeps the default bindings (system:discovery for system:authenticated, …).
        ` AND NOT protoPayload.authenticationInfo.principalEmail="system:addon-manager"`,
    labels: { ...K8S_LABELS, binding: `REGEXP_EXTRACT(protoPayload.resourceName, "rolebindings/([^/]+)")` },
};
