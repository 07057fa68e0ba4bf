import { CONTROLLERS, hostAccess } from "./privilegedPod";
import { K8S_LABELS, k8sAudit, type LogSignal } from "./signal";

/** Where each workload kind keeps its pod template. */
const TEMPLATES = ["spec.template.spec", "spec.jobTemplate.spec.template.spec"] as const;

export const privilegedWorkload: LogSignal = {
    kind: "log",
    id: "privileged-workload",
    title: "privileged or host-namespace workload template",
    what: "A Deployment, DaemonSet, StatefulSet, ReplicaSet, Job or CronJob was created or changed so that its pods run privileged or in the host's namespaces.",
    rationale:
        "A privileged DaemonSet is a root shell on every node, and it survives the deletion of any one pod: persistence (seed 003). The template is read from the response, the object as stored, so a patch that only flips `privileged` is caught too.",
    falsePositives: [
        "Installing or upgrading node agents: CSI drivers, CNI plugins, log and metric collectors, runtime security tools.",
        "GKE-managed add-ons are excluded (system:addon-manager); self-managed ones are not.",
    ],
    severity: "ERROR",
    target: "principal",
    needsDataAccess: false,
    filter: (ctx) => {
        const specs = TEMPLATES.flatMap((t) => [`protoPayload.request.${t}`, `protoPayload.response.${t}`]);
        return (
            `${k8sAudit(ctx)} AND protoPayload.methodName=~"^io[.]k8s[.](apps[.]v1[.](deployments|daemonsets|statefulsets|replicasets)|batch[.]v1[.](jobs|cronjobs))[.](create|update|patch)$"` +
            ` AND (${specs.map(hostAccess).join(" OR ")}) AND NOT ${CONTROLLERS}`
        );
    },
    labels: { ...K8S_LABELS, workload: `REGEXP_EXTRACT(protoPayload.resourceName, "namespaces/[^/]+/([^/]+/[^/]+)")` },
};
