/**
 * The responder ClusterRole's one source (issue #13.6): every kubectl verb and resource the
 * incident program's scripts use, and every Kubernetes type it declares or reads, mapped to the
 * RBAC rules the API server checks for it. The ClusterRole is the merge of this table and nothing
 * else; `test/readiness/` fails on a kubectl use or a type it does not cover, and on an entry
 * nothing uses.
 *
 * Verbs are RBAC's request verbs (https://kubernetes.io/docs/reference/access-authn-authz/authorization/#determine-the-request-verb):
 * a `kubectl get` of one named object is `get`, of a collection `list`; kubectl's label,
 * annotate, patch and scale read the object before they change it (its resource builder
 * retrieves it), delete does not.
 */

export interface Rule {
    /** "" is the core group. */
    readonly apiGroups: readonly string[];
    readonly resources: readonly string[];
    readonly verbs: readonly string[];
}

const core = (resources: string[], verbs: string[]): Rule => ({ apiGroups: [""], resources, verbs });
const apps = (resources: string[], verbs: string[]): Rule => ({ apiGroups: ["apps"], resources, verbs });
const batch = (resources: string[], verbs: string[]): Rule => ({ apiGroups: ["batch"], resources, verbs });
const rbac = (resources: string[], verbs: string[]): Rule => ({ apiGroups: ["rbac.authorization.k8s.io"], resources, verbs });

/** The workloads an escalation may stop: `$KIND` of scale-to-zero, suspend and delete-workload. */
const SCALABLE = { deployments: apps, statefulsets: apps, replicasets: apps } as const;
const SUSPENDABLE = { jobs: batch, cronjobs: batch } as const;
const DELETABLE = { ...SCALABLE, ...SUSPENDABLE, daemonsets: apps } as const;

const each = <K extends string>(kinds: Record<K, (r: string[], v: string[]) => Rule>, key: (k: K) => string, rules: (k: K, group: (r: string[], v: string[]) => Rule) => Rule[]) =>
    Object.fromEntries((Object.keys(kinds) as K[]).map((k) => [key(k), rules(k, kinds[k])]));

/**
 * `<verb> <resource>` of a kubectl call (scriptNeeds in test/readiness derives the key from the
 * script) → rules. `list` is a `get` without a name.
 */
export const KUBECTL_RULES: Readonly<Record<string, readonly Rule[]>> = {
    "get pods": [core(["pods"], ["get"])],
    "list pods": [core(["pods"], ["list"])],
    // describe pod: the pod, then its events by field selector.
    "describe pods": [core(["pods"], ["get"]), core(["events"], ["list"])],
    "list events": [core(["events"], ["list"])],
    "get nodes": [core(["nodes"], ["get"])],
    "delete nodes": [core(["nodes"], ["delete"])],
    "list networkpolicies": [{ apiGroups: ["networking.k8s.io"], resources: ["networkpolicies"], verbs: ["list"] }],
    "list poddisruptionbudgets": [{ apiGroups: ["policy"], resources: ["poddisruptionbudgets"], verbs: ["list"] }],
    "label pods": [core(["pods"], ["get", "patch"])],
    "delete pods": [core(["pods"], ["delete"])],
    // The capture pod: created, waited for (a list and watch by name), its output read.
    "run pods": [core(["pods"], ["create"])],
    "wait pods": [core(["pods"], ["get", "list", "watch"])],
    "logs pods": [core(["pods"], ["get"]), core(["pods/log"], ["get"])],
    // kubectl ≤ 1.29 execs with a POST (create), ≥ 1.30 over a WebSocket GET, which the API
    // server authorizes as `get` (https://kubernetes.io/docs/reference/access-authn-authz/authorization/,
    // "pods/exec"; GKE's audit log records `io.k8s.core.v1.pods.exec.get`): both.
    "exec pods": [core(["pods"], ["get"]), core(["pods/exec"], ["create", "get"])],
    // https://kubernetes.io/docs/tasks/administer-cluster/safely-drain-node/ and
    // https://kubernetes.io/docs/concepts/scheduling-eviction/api-eviction/: cordon (patch the
    // node), list its pods, post evictions, check each DaemonSet pod's owner
    // (`--ignore-daemonsets`), and wait for the evicted pods to go.
    "drain nodes": [core(["nodes"], ["get", "patch"]), core(["pods"], ["get", "list"]), core(["pods/eviction"], ["create"]), apps(["daemonsets"], ["get"])],
    "create pods/eviction": [core(["pods/eviction"], ["create"])],
    // `auth can-i --list --as=system:serviceaccount:…`: impersonating a service account
    // (https://kubernetes.io/docs/reference/access-authn-authz/authentication/#user-impersonation)
    // and its SelfSubjectRulesReview, which the API server evaluates as that account.
    "auth can-i": [core(["serviceaccounts"], ["impersonate"]), { apiGroups: ["authorization.k8s.io"], resources: ["selfsubjectrulesreviews"], verbs: ["create"] }],
    // The cluster-wide policy check: whether each policy kind is installed (its CRD), the
    // pod's namespace labels, and the policies of each installed kind (resource.group).
    "get customresourcedefinitions": [{ apiGroups: ["apiextensions.k8s.io"], resources: ["customresourcedefinitions"], verbs: ["get"] }],
    "get namespaces": [core(["namespaces"], ["get"])],
    // Stolen credentials (issue #14): the bindings naming a principal, read and their subjects
    // patched (a JSON patch, read first), and a service account read, deleted and recreated.
    "list rolebindings": [rbac(["rolebindings"], ["list"])],
    "list clusterrolebindings": [rbac(["clusterrolebindings"], ["list"])],
    "get rolebinding": [rbac(["rolebindings"], ["get"])],
    "get clusterrolebinding": [rbac(["clusterrolebindings"], ["get"])],
    "patch rolebinding": [rbac(["rolebindings"], ["get", "patch"])],
    "patch clusterrolebinding": [rbac(["clusterrolebindings"], ["get", "patch"])],
    "get serviceaccount": [core(["serviceaccounts"], ["get"])],
    "create serviceaccount": [core(["serviceaccounts"], ["create"])],
    "delete serviceaccount": [core(["serviceaccounts"], ["delete"])],
    // Stolen secrets: a Secret read and its data patched (read first); the workloads using it
    // listed and restarted (`rollout restart` reads the workload, then patches its pod template).
    "get secret": [core(["secrets"], ["get"])],
    "patch secret": [core(["secrets"], ["get", "patch"])],
    "list deployments": [apps(["deployments"], ["list"])],
    "list statefulsets": [apps(["statefulsets"], ["list"])],
    "list daemonsets": [apps(["daemonsets"], ["list"])],
    "rollout restart": [apps(["deployments", "statefulsets", "daemonsets"], ["get", "patch"])],
    ...Object.fromEntries(
        [
            "globalnetworkpolicies.crd.projectcalico.org",
            "ciliumclusterwidenetworkpolicies.cilium.io",
            "adminnetworkpolicies.policy.networking.k8s.io",
            "fqdnnetworkpolicies.networking.gke.io",
        ].map((crd) => [`list ${crd}`, [{ apiGroups: [crd.slice(crd.indexOf(".") + 1)], resources: [crd.slice(0, crd.indexOf("."))], verbs: ["list"] }]]),
    ),
    // Workloads by `$KIND`: the hold annotation, scale through the scale subresource
    // (https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/deployment-v1/#Scale),
    // suspend by a merge patch, delete.
    ...each(SCALABLE, (k) => `get ${k}`, (k, g) => [g([k], ["get"])]),
    ...each(SUSPENDABLE, (k) => `get ${k}`, (k, g) => [g([k], ["get"])]),
    ...each({ ...SCALABLE, ...SUSPENDABLE }, (k) => `annotate ${k}`, (k, g) => [g([k], ["get", "patch"])]),
    ...each(SCALABLE, (k) => `scale ${k}`, (k, g) => [g([k], ["get"]), g([`${k}/scale`], ["patch"])]),
    ...each(SUSPENDABLE, (k) => `patch ${k}`, (k, g) => [g([k], ["get", "patch"])]),
    ...each(DELETABLE, (k) => `delete ${k}`, (k, g) => [g([k], ["delete"])]),
};

/**
 * Kubernetes types → rules, for what the provider sends: reads are a `get`; declared objects
 * are server-side applied (a `patch`, also in preview as a dry run), created, read back and
 * deleted; a Patch resource (PodPatch, NodePatch) applies its fields to an object it does not own
 * and, on destroy, releases them with another apply.
 * https://www.pulumi.com/registry/packages/kubernetes/how-to-guides/managing-resources-with-server-side-apply/
 */
export const KUBERNETES_TYPE_RULES: Readonly<Record<string, readonly Rule[]>> = {
    "kubernetes:core/v1:Pod": [core(["pods"], ["get"])],
    "kubernetes:core/v1:Node": [core(["nodes"], ["get"])],
    "kubernetes:apps/v1:ReplicaSet": [apps(["replicasets"], ["get"])],
    "kubernetes:batch/v1:Job": [batch(["jobs"], ["get"])],
    "kubernetes:core/v1:PodPatch": [core(["pods"], ["get", "patch"])],
    "kubernetes:core/v1:NodePatch": [core(["nodes"], ["get", "patch"])],
    "kubernetes:networking.k8s.io/v1:NetworkPolicy": [{ apiGroups: ["networking.k8s.io"], resources: ["networkpolicies"], verbs: ["create", "delete", "get", "patch"] }],
    "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy": [
        { apiGroups: ["admissionregistration.k8s.io"], resources: ["validatingadmissionpolicies"], verbs: ["create", "delete", "get", "patch"] },
    ],
    "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding": [
        { apiGroups: ["admissionregistration.k8s.io"], resources: ["validatingadmissionpolicybindings"], verbs: ["create", "delete", "get", "patch"] },
    ],
};

/**
 * The ClusterRole's rules: both tables merged, one rule per API group and resource with its
 * verbs, sorted, so the same table always yields the same role (no diff in preview).
 */
export function responderRules(): Rule[] {
    const verbs = new Map<string, Set<string>>();
    for (const rule of [...Object.values(KUBECTL_RULES), ...Object.values(KUBERNETES_TYPE_RULES)].flat()) {
        for (const group of rule.apiGroups) {
            for (const resource of rule.resources) {
                const key = `${group}\u0000${resource}`;
                const set = verbs.get(key) ?? new Set<string>();
                rule.verbs.forEach((v) => set.add(v));
                verbs.set(key, set);
            }
        }
    }
    return [...verbs.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, set]) => {
            const [group, resource] = key.split("\u0000");
            return { apiGroups: [group], resources: [resource], verbs: [...set].sort() };
        });
}
