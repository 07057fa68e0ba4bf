/**
 * A small, fake GKE cluster that the offline plan and the tests read instead of a real one:
 * what `Pod.get`, `Node.get`, `getInstance` and `getCluster` return. The default incident is the
 * GKE runbook's own example node, with one compromised pod, two disks and an external IP.
 */

export interface FakePod {
    readonly namespace: string;
    readonly name: string;
    /** Unset for a pod that is not scheduled. */
    readonly node?: string;
    readonly labels?: Record<string, string>;
    readonly phase?: string;
    /** Controller owner reference, e.g. ReplicaSet web-5d9f; unset for a bare pod. */
    readonly owner?: { readonly kind: string; readonly name: string };
    readonly annotations?: Record<string, string>;
    /** The pod's uid. Default: derived from its namespace and name. */
    readonly uid?: string;
    /** Its pod IP. Default: one derived from its name, as every scheduled pod has; none for hostNetwork (the node's). */
    readonly ip?: string;
    /** Set once the pod is Terminating (e.g. evicted from a NotReady node). */
    readonly deletionTimestamp?: string;
    /** Extra pod spec fields (hostNetwork, containers with their images and securityContext, volumes). */
    readonly spec?: Record<string, unknown>;
    /** Its containers' statuses: the image each runs and the digest it resolved to. Default: none. */
    readonly containerStatuses?: readonly { readonly name: string; readonly image: string; readonly imageID: string }[];
}

/** A ReplicaSet or Job, with the controller that owns it (a Deployment, a CronJob) if any. */
export interface FakeOwned {
    readonly namespace: string;
    readonly kind: "ReplicaSet" | "Job";
    readonly name: string;
    readonly owner?: { readonly kind: string; readonly name: string };
}

export interface FakeNode {
    readonly name: string;
    readonly zone: string;
    /** Defaults to `gce://PROJECT/ZONE/NAME`. */
    readonly providerID?: string;
    readonly labels?: Record<string, string>;
    /** Disk names; the first is the boot disk. */
    readonly disks: readonly string[];
    readonly externalIp?: string;
    /** Name of the zonal managed instance group; unset for a VM outside any group. */
    readonly mig?: string;
    readonly network: string;
    readonly subnetwork: string;
    readonly deletionProtection?: boolean;
    /** The Node object is there but its VM was deleted (e.g. by an update that failed after it). */
    readonly vmGone?: boolean;
    /** Network tags on the VM. Default: `gke-prod-node`. */
    readonly tags?: readonly string[];
    /** The cluster GKE's instance metadata names (cluster-name, cluster-location). Default prod in us-central1; null: none. */
    readonly gkeCluster?: { readonly name: string; readonly location: string } | null;
    /** The VM's service account. Default: a node account of its own with the cloud-platform scope. */
    readonly serviceAccount?: { readonly email: string; readonly scopes: readonly string[] };
    /** The first interface's stack type. Default IPV4_ONLY. */
    readonly stackType?: "IPV4_ONLY" | "IPV4_IPV6" | "IPV6_ONLY";
    /** Networks of further interfaces (nic1, nic2, …). Default: none. */
    readonly extraNetworks?: readonly string[];
    /** Device names of local SSD (scratch) disks. Default: none. */
    readonly localSsds?: readonly string[];
}

export interface FakeGkeCluster {
    readonly name: string;
    readonly location: string;
    readonly enableAutopilot?: boolean;
    readonly datapathProvider?: string;
    readonly networkPolicyEnabled?: boolean;
}

export interface FakeCluster {
    readonly project: string;
    readonly pods: readonly FakePod[];
    readonly nodes: readonly FakeNode[];
    readonly clusters: readonly FakeGkeCluster[];
    readonly owned?: readonly FakeOwned[];
    /** Existing Cloud Storage buckets (for `quarantine:evidenceBucket`, or kept by a destroy). */
    readonly buckets?: readonly string[];
    /** Readiness stacks by name (`organization/quarantine-readiness/<stack>`), as their outputs. Default none. */
    readonly readinessStacks?: Readonly<Record<string, Record<string, unknown>>>;
    /** Existing snapshots' names (a destroyed quarantine's evidence). */
    readonly snapshots?: readonly string[];
    /** What the random provider generates for this quarantine run's RandomId. Default 9f3c1a2b. */
    readonly runHex?: string;
    /** RoleBindings and ClusterRoleBindings, for the stolen-credential preview's read. Default none. */
    readonly bindings?: readonly FakeBinding[];
    /** Project IAM roles per member (`user:…`, `serviceAccount:…`). Default none. */
    readonly projectRoles?: Readonly<Record<string, readonly string[]>>;
    /** Why listing RBAC bindings fails (e.g. a Forbidden), if it does. Default: it succeeds. */
    readonly bindingsError?: string;
}

export interface FakeBinding {
    readonly kind: "RoleBinding" | "ClusterRoleBinding";
    /** A RoleBinding's namespace; unset for a ClusterRoleBinding. */
    readonly namespace?: string;
    readonly name: string;
    /** Its roleRef, `Role/edit` or `ClusterRole/view`. */
    readonly role: string;
    readonly subjects: readonly { readonly kind: "ServiceAccount" | "User" | "Group"; readonly namespace?: string; readonly name: string }[];
}

export const SAMPLE_PROJECT = "acme-prod";
export const SAMPLE_NODE = "gke-cluster-pool-1-abcdeffff-zgt8";
export const SAMPLE_POD = "default/compromised-pod";

const SUBNET = "projects/acme-prod/regions/us-central1/subnetworks/default";

function node(name: string, zone = "us-central1-a", extra: Partial<FakeNode> = {}): FakeNode {
    return {
        name,
        zone,
        disks: [name, `${name}-data`],
        externalIp: "203.0.113.7",
        mig: "gke-cluster-pool-1-abcdeffff-grp",
        network: "default",
        subnetwork: SUBNET,
        labels: { "topology.kubernetes.io/zone": zone, "cloud.google.com/gke-nodepool": "pool-1" },
        ...extra,
    };
}

/** The runbook's incident: one pod on `gke-cluster-pool-1-abcdeffff-zgt8`. */
export function sampleCluster(): FakeCluster {
    return {
        project: SAMPLE_PROJECT,
        pods: [
            {
                namespace: "default",
                name: "compromised-pod",
                node: SAMPLE_NODE,
                labels: { app: "web", "pod-template-hash": "5d9f" },
                owner: { kind: "ReplicaSet", name: "web-5d9f" },
            },
            { namespace: "default", name: "bystander", node: SAMPLE_NODE, labels: { app: "api" } },
        ],
        nodes: [node(SAMPLE_NODE)],
        owned: [{ namespace: "default", kind: "ReplicaSet", name: "web-5d9f", owner: { kind: "Deployment", name: "web" } }],
        buckets: ["acme-ir-evidence"],
        clusters: [{ name: "prod", location: "us-central1", networkPolicyEnabled: true, datapathProvider: "LEGACY_DATAPATH" }],
    };
}

/**
 * A larger incident for scaling tests and benchmarks: `pods` compromised pods spread round-robin
 * over `nodes` nodes in two zones and two namespaces.
 */
export function scaledCluster(pods: number, nodes = Math.max(1, Math.ceil(pods / 4))): FakeCluster {
    const nodeNames = Array.from({ length: nodes }, (_, i) => `gke-prod-pool-1-abcdeffff-n${i}`);
    return {
        project: SAMPLE_PROJECT,
        pods: Array.from({ length: pods }, (_, i) => ({
            namespace: i % 2 === 0 ? "default" : "payments",
            name: `web-${i}`,
            node: nodeNames[i % nodes],
            labels: { app: "web" },
            owner: { kind: "ReplicaSet", name: "web-5d9f" },
        })),
        owned: ["default", "payments"].map((namespace) => ({
            namespace,
            kind: "ReplicaSet" as const,
            name: "web-5d9f",
            owner: { kind: "Deployment", name: "web" },
        })),
        nodes: nodeNames.map((n, i) => node(n, i % 2 === 0 ? "us-central1-a" : "us-central1-b")),
        clusters: sampleCluster().clusters,
    };
}

export const SAMPLE_IMAGE_NODE = "gke-cluster-pool-1-abcdeffff-k2m4";
/** The digest the sample's `ghcr.io/acme/tool:v3` resolved to: only its status says so. */
export const SAMPLE_TOOL_DIGEST = `sha256:${"ab".repeat(32)}`;

/**
 * The runbook's incident with a malicious image: the sample's pods plus pods that run
 * `nginx:1.25` under its several spellings (a container, an init container), one that runs
 * `ghcr.io/acme/tool:v3` (whose digest only its status shows), one not scheduled yet, all over the
 * sample node and a second one.
 */
export function imageCluster(): FakeCluster {
    const base = sampleCluster();
    const uses = (image: string) => ({ containers: [{ name: "app", image }] });
    const pods: FakePod[] = [
        { ...base.pods[0], spec: uses("ghcr.io/acme/web:1.0") },
        { ...base.pods[1], spec: uses("busybox:1.36") },
        { namespace: "default", name: "web-2", node: SAMPLE_NODE, spec: uses("docker.io/library/nginx:1.25") },
        { namespace: "batch", name: "report-1", node: SAMPLE_IMAGE_NODE, spec: { ...uses("busybox:1.36"), initContainers: [{ name: "fetch", image: "index.docker.io/library/nginx:1.25" }] } },
        {
            namespace: "payments",
            name: "miner-1",
            node: SAMPLE_IMAGE_NODE,
            spec: uses("ghcr.io/acme/tool:v3"),
            containerStatuses: [{ name: "app", image: "ghcr.io/acme/tool:v3", imageID: `ghcr.io/acme/tool@${SAMPLE_TOOL_DIGEST}` }],
        },
        { namespace: "default", name: "web-pending", spec: uses("nginx:1.25") },
        { namespace: "default", name: "web-unrelated", node: SAMPLE_IMAGE_NODE, spec: uses("nginx:1.25.1") },
    ];
    return { ...base, pods, nodes: [...base.nodes, node(SAMPLE_IMAGE_NODE)] };
}
