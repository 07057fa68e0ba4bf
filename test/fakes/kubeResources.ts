import { Violation } from "./http";

/** What the Kubernetes fake serves (its discovery is generated from this table), and how it patches. */

export interface ResDef {
    readonly group: string;
    /** The served version; default v1 (a CustomResourceDefinition's is its first served one). */
    readonly version?: string;
    readonly kind: string;
    readonly namespaced: boolean;
    readonly singular: string;
    readonly short: string[];
    readonly verbs: string[];
    readonly patchable?: string[];
    readonly sub?: Record<string, { group: string; version: string; kind: string; verbs: string[] }>;
}

const META = ["metadata.labels", "metadata.annotations"];
const RBAC = "rbac.authorization.k8s.io";
const SCALE = { scale: { group: "autoscaling", version: "v1", kind: "Scale", verbs: ["get", "patch", "update"] } };
// `kubectl rollout restart` patches the pod template's annotations (kubectl.kubernetes.io/restartedAt).
const WORKLOAD = { group: "apps", namespaced: true, verbs: ["get", "list", "patch", "delete"], patchable: [...META, "spec.template.metadata.annotations"] };
const JOB = { group: "batch", namespaced: true, verbs: ["get", "list", "patch", "delete"], patchable: [...META, "spec.suspend"] };

export const RESOURCES: Record<string, ResDef> = {
    pods: {
        group: "", kind: "Pod", namespaced: true, singular: "pod", short: ["po"], verbs: ["get", "list", "patch", "delete"], patchable: META,
        sub: { eviction: { group: "policy", version: "v1", kind: "Eviction", verbs: ["create"] } },
    },
    nodes: { group: "", kind: "Node", namespaced: false, singular: "node", short: ["no"], verbs: ["get", "list", "patch", "delete"], patchable: [...META, "spec.unschedulable"] },
    namespaces: { group: "", kind: "Namespace", namespaced: false, singular: "namespace", short: ["ns"], verbs: ["get", "list"] },
    events: { group: "", kind: "Event", namespaced: true, singular: "event", short: ["ev"], verbs: ["get", "list"] },
    networkpolicies: { group: "networking.k8s.io", kind: "NetworkPolicy", namespaced: true, singular: "networkpolicy", short: ["netpol"], verbs: ["get", "list"] },
    poddisruptionbudgets: { group: "policy", kind: "PodDisruptionBudget", namespaced: true, singular: "poddisruptionbudget", short: ["pdb"], verbs: ["get", "list"] },
    deployments: { ...WORKLOAD, kind: "Deployment", singular: "deployment", short: ["deploy"], sub: SCALE },
    replicasets: { ...WORKLOAD, kind: "ReplicaSet", singular: "replicaset", short: ["rs"], sub: SCALE },
    statefulsets: { ...WORKLOAD, kind: "StatefulSet", singular: "statefulset", short: ["sts"], sub: SCALE },
    daemonsets: { ...WORKLOAD, kind: "DaemonSet", singular: "daemonset", short: ["ds"] },
    jobs: { ...JOB, kind: "Job", singular: "job", short: [] },
    cronjobs: { ...JOB, kind: "CronJob", singular: "cronjob", short: ["cj"] },
    // The stolen-credential steps (kubeRbac.ts): bindings' subjects are patched (JSON patch), a
    // service account deleted and created, a rules review created by `auth can-i --list`.
    rolebindings: { group: RBAC, kind: "RoleBinding", namespaced: true, singular: "rolebinding", short: [], verbs: ["get", "list", "patch"] },
    clusterrolebindings: { group: RBAC, kind: "ClusterRoleBinding", namespaced: false, singular: "clusterrolebinding", short: [], verbs: ["get", "list", "patch"] },
    roles: { group: RBAC, kind: "Role", namespaced: true, singular: "role", short: [], verbs: ["get", "list"] },
    clusterroles: { group: RBAC, kind: "ClusterRole", namespaced: false, singular: "clusterrole", short: [], verbs: ["get", "list"] },
    serviceaccounts: { group: "", kind: "ServiceAccount", namespaced: true, singular: "serviceaccount", short: ["sa"], verbs: ["get", "list", "create", "delete"] },
    // A stolen Secret's values are replaced (kubeSecrets.ts): data only.
    secrets: { group: "", kind: "Secret", namespaced: true, singular: "secret", short: [], verbs: ["get", "list", "patch"] },
    selfsubjectrulesreviews: { group: "authorization.k8s.io", kind: "SelfSubjectRulesReview", namespaced: false, singular: "selfsubjectrulesreview", short: [], verbs: ["create"] },
    // Read-only: the cluster policy check asks whether a policy kind's CRD exists (kubeCrds.ts).
    customresourcedefinitions: { group: "apiextensions.k8s.io", kind: "CustomResourceDefinition", namespaced: false, singular: "customresourcedefinition", short: ["crd", "crds"], verbs: ["get", "list"] },
};

export const gvOf = (d: ResDef) => (d.group ? `${d.group}/${d.version ?? "v1"}` : "v1");

/** The API server omits empty label and annotation maps. */
export function prune(obj: any): void {
    for (const f of ["labels", "annotations"]) {
        if (obj.metadata?.[f] && Object.keys(obj.metadata[f]).length === 0) delete obj.metadata[f];
    }
}

/** Patches may only touch `allowed` paths (a dotted path, or a map under it); never directives. */
export function checkPatch(patch: unknown, allowed: string[], path: string): void {
    if (allowed.includes(path)) {
        if (path.startsWith("metadata.") && (typeof patch !== "object" || patch === null || Object.values(patch).some((v) => v !== null && typeof v !== "string"))) {
            throw new Violation(`patch of ${path} must map keys to strings or null`);
        }
        return;
    }
    if (typeof patch !== "object" || patch === null || Array.isArray(patch)) throw new Violation(`patch of ${path || "the object"} must be an object`);
    for (const [k, v] of Object.entries(patch)) {
        const p = path ? `${path}.${k}` : k;
        if (k.startsWith("$") || !allowed.some((a) => a === p || a.startsWith(`${p}.`))) throw new Violation(`patch touches ${p}, which the fake does not allow`, 422);
        checkPatch(v, allowed, p);
    }
}

/** RFC 7386 merge patch (what strategic merge also does for maps and scalars). */
export function mergePatch(target: any, patch: any): void {
    for (const [k, v] of Object.entries(patch)) {
        if (v === null) delete target[k];
        else if (typeof v === "object" && !Array.isArray(v)) {
            if (typeof target[k] !== "object" || target[k] === null) target[k] = {};
            mergePatch(target[k], v);
        } else target[k] = v;
    }
}
