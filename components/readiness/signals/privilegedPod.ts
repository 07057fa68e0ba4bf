import { K8S_LABELS, k8sAudit, methodIn, type LogSignal } from "./signal";

/**
 * What lets a pod reach past its sandbox, as fields of a pod spec at `spec`: the same list the
 * incident program's host-access check reads (stacks/incident/hostAccess.ts).
 */
export function hostAccess(spec: string): string {
    const containers = ["containers", "initContainers"].map((c) => `${spec}.${c}.securityContext`);
    return [
        `${spec}.hostNetwork=true`,
        `${spec}.hostPID=true`,
        `${spec}.hostIPC=true`,
        `${spec}.volumes.hostPath:*`,
        ...containers.map((sc) => `${sc}.privileged=true`),
        // `=` ignores case; the CAP_ spelling is accepted by container runtimes too.
        ...containers.map((sc) => `${sc}.capabilities.add=("SYS_ADMIN" OR "NET_ADMIN" OR "CAP_SYS_ADMIN" OR "CAP_NET_ADMIN")`),
    ].join(" OR ");
}

/**
 * Kubernetes' own controllers: they create the pods of every workload, so a privileged
 * DaemonSet's pods would alert once per node. The workload itself is caught by
 * privileged-workload when it is created or changed.
 */
export const CONTROLLERS = `protoPayload.authenticationInfo.principalEmail=~"^system:(addon-manager|kube-controller-manager|kube-scheduler|serviceaccount:kube-system:[-a-z0-9]+)$"`;

export const privilegedPod: LogSignal = {
    kind: "log",
    id: "privileged-pod",
    title: "privileged or host-namespace pod created",
    what: "A pod was created with privileged containers, SYS_ADMIN or NET_ADMIN, hostNetwork, hostPID, hostIPC or a hostPath volume, by someone other than a Kubernetes controller.",
    rationale:
        "A privileged or host-namespace pod is a root shell on the node: the usual escape from a compromised pod, and what `kubectl debug node/…` creates (seed 000: the node is what the quarantine must then contain). Request and response are both read: the request holds what was asked for, the response what admission (and its mutations) let through.",
    falsePositives: [
        "`kubectl debug node/<node>` by an administrator (hostPID, hostNetwork and a hostPath of /).",
        "Pods created by hand from a DaemonSet's manifest by a CSI driver, CNI or security agent's installer.",
    ],
    severity: "ERROR",
    target: "pod",
    needsDataAccess: false,
    filter: (ctx) =>
        `${k8sAudit(ctx)} AND ${methodIn(["io.k8s.core.v1.pods.create"])} AND (${hostAccess("protoPayload.request.spec")} OR ${hostAccess("protoPayload.response.spec")}) AND NOT ${CONTROLLERS}`,
    // A create's resourceName may stop at `…/pods`: the stored object names the pod, and its node
    // when the pod was bound directly (as `kubectl debug node/…` does).
    labels: { ...K8S_LABELS, pod: "EXTRACT(protoPayload.response.metadata.name)", node: "EXTRACT(protoPayload.response.spec.nodeName)" },
};
