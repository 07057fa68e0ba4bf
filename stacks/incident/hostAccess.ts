/**
 * What lets a pod reach past its NetworkPolicy or out of its sandbox. For such a pod the node is
 * the boundary: only the node's cut-off (and `delete-node`) contains it.
 *
 * - NetworkPolicy does not hold a `hostNetwork` pod: the Kubernetes documentation leaves it
 *   undefined ("NetworkPolicy and hostNetwork pods", https://kubernetes.io/docs/concepts/services-networking/network-policies/),
 *   and implementations treat its traffic as the node's ("A network policy does not apply to the
 *   host network namespace", OpenShift's Network policy guide);
 * - `hostPID`, `hostIPC`, a privileged container, a `hostPath` volume, or the SYS_ADMIN or
 *   NET_ADMIN capability each let a process leave the container's isolation (Kubernetes Pod
 *   Security Standards, "Baseline" controls: host namespaces, privileged, hostPath, capabilities).
 */

interface Container {
    readonly name?: string;
    readonly securityContext?: { readonly privileged?: boolean; readonly capabilities?: { readonly add?: readonly string[] } };
}

export interface PodSpecForHostAccess {
    readonly hostNetwork?: boolean;
    readonly hostPID?: boolean;
    readonly hostIPC?: boolean;
    readonly containers?: readonly Container[];
    readonly initContainers?: readonly Container[];
    readonly ephemeralContainers?: readonly Container[];
    readonly volumes?: readonly { readonly name?: string; readonly hostPath?: { readonly path?: string } }[];
}

const ESCAPING_CAPABILITIES = ["SYS_ADMIN", "NET_ADMIN", "ALL"];

/** Each reason the pod can reach past NetworkPolicy or its sandbox, e.g. `hostNetwork`, `privileged container app`. */
export function hostAccessOf(spec: PodSpecForHostAccess | undefined): string[] {
    if (!spec) return [];
    const out: string[] = [];
    if (spec.hostNetwork) out.push("hostNetwork");
    if (spec.hostPID) out.push("hostPID");
    if (spec.hostIPC) out.push("hostIPC");
    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])]) {
        if (c.securityContext?.privileged) out.push(`privileged container ${c.name ?? "?"}`);
        for (const cap of c.securityContext?.capabilities?.add ?? []) {
            const name = cap.toUpperCase().replace(/^CAP_/, "");
            if (ESCAPING_CAPABILITIES.includes(name)) out.push(`capability ${name} in container ${c.name ?? "?"}`);
        }
    }
    for (const v of spec.volumes ?? []) if (v.hostPath) out.push(`hostPath volume ${v.hostPath.path ?? "?"}`);
    return out;
}
