/**
 * The responder role's one source (issue #13.6): every gcloud command the incident program's
 * scripts run, and every resource type and invoke token it declares, mapped to the IAM
 * permissions that call needs. The custom role is exactly the union of this table, so a permission
 * is added here, next to the call that needs it, or not at all. `test/readiness/` runs the
 * incident program at every level and fails on a command or type this table does not cover, and
 * on an entry the program never uses.
 *
 * Evidence is create-only: no `storage.objects.delete` (nor the overwrite it implies), no
 * `compute.snapshots.delete`. The snapshots, bucket and manifest are kept on destroy
 * (`retainOnDelete`, `deletionPolicy: ABANDON`), so destroy never asks for them.
 */

/** What Kubernetes needs from IAM on GKE: the cluster's endpoint and credentials. */
const GKE_ACCESS = ["container.clusters.get"];

/**
 * gcloud command path (the words before the first flag or value) → IAM permissions. A gcloud
 * mutation waits on the operation it returns, so it also needs that operation's `get`.
 */
export const GCLOUD_PERMISSIONS: Readonly<Record<string, readonly string[]>> = {
    // https://cloud.google.com/compute/docs/reference/rest/v1/instances/get (IAM Permissions)
    "compute instances describe": ["compute.instances.get"],
    // https://cloud.google.com/compute/docs/reference/rest/v1/instances/setTags: gcloud reads
    // the tags' fingerprint with a get first, then sets the whole list.
    "compute instances add-tags": ["compute.instances.get", "compute.instances.setTags", "compute.zoneOperations.get"],
    "compute instances remove-tags": ["compute.instances.get", "compute.instances.setTags", "compute.zoneOperations.get"],
    // https://cloud.google.com/compute/docs/reference/rest/v1/instances/deleteAccessConfig
    "compute instances delete-access-config": ["compute.instances.deleteAccessConfig", "compute.zoneOperations.get"],
    // https://cloud.google.com/compute/docs/reference/rest/v1/instances/addAccessConfig and
    // https://cloud.google.com/compute/docs/access/iam#instances_permissions: an external IP
    // needs `useExternalIp` on the subnetwork, and a reserved address (a VM whose external IP was
    // static, put back on destroy) `compute.addresses.use`.
    "compute instances add-access-config": ["compute.addresses.use", "compute.instances.addAccessConfig", "compute.subnetworks.useExternalIp", "compute.zoneOperations.get"],
    // `update --[no-]deletion-protection` is instances.setDeletionProtection:
    // https://cloud.google.com/compute/docs/reference/rest/v1/instances/setDeletionProtection
    "compute instances update": ["compute.instances.get", "compute.instances.setDeletionProtection", "compute.zoneOperations.get"],
    // https://cloud.google.com/compute/docs/reference/rest/v1/instances/delete: the node's disks
    // are auto-delete and go with the VM under this one permission.
    "compute instances delete": ["compute.instances.delete", "compute.zoneOperations.get"],
    // The firewall check: https://cloud.google.com/compute/docs/reference/rest/v1/instances/getEffectiveFirewalls
    "compute instances network-interfaces get-effective-firewalls": ["compute.instances.getEffectiveFirewalls"],
    // list-instances is instanceGroupManagers.listManagedInstances, which checks `get`:
    // https://cloud.google.com/compute/docs/reference/rest/v1/instanceGroupManagers/listManagedInstances
    "compute instance-groups managed list-instances": ["compute.instanceGroupManagers.get"],
    // https://cloud.google.com/compute/docs/reference/rest/v1/instanceGroupManagers/abandonInstances
    // (and regionInstanceGroupManagers/abandonInstances): the node's group is zonal or regional
    // (`MIG_SCOPE`), so its operation is a zone or a region operation.
    "compute instance-groups managed abandon-instances": ["compute.instanceGroupManagers.update", "compute.regionOperations.get", "compute.zoneOperations.get"],
    // https://cloud.google.com/storage/docs/access-control/iam-json: an upload is objects.create;
    // `--no-clobber` checks for the object first (objects.get). Replacing an object would also
    // need storage.objects.delete, which is left out on purpose: evidence is written once.
    "storage cp": ["storage.objects.create", "storage.objects.get"],
    // Stolen credentials (issue #14): the records, then the revocations and their undo, each with
    // the permission IAM's reference lists for its method
    // (https://cloud.google.com/iam/docs/permissions-reference, roles/iam.serviceAccountAdmin and
    // roles/iam.serviceAccountKeyAdmin). A binding change is read-modify-write of the policy.
    "iam service-accounts describe": ["iam.serviceAccounts.get"],
    "iam service-accounts get-iam-policy": ["iam.serviceAccounts.getIamPolicy"],
    "iam service-accounts keys list": ["iam.serviceAccountKeys.list"],
    "iam service-accounts disable": ["iam.serviceAccounts.disable"],
    "iam service-accounts enable": ["iam.serviceAccounts.enable"],
    "iam service-accounts remove-iam-policy-binding": ["iam.serviceAccounts.getIamPolicy", "iam.serviceAccounts.setIamPolicy"],
    "iam service-accounts add-iam-policy-binding": ["iam.serviceAccounts.getIamPolicy", "iam.serviceAccounts.setIamPolicy"],
    "iam service-accounts keys disable": ["iam.serviceAccountKeys.disable"],
    "iam service-accounts keys enable": ["iam.serviceAccountKeys.enable"],
    "iam service-accounts keys delete": ["iam.serviceAccountKeys.delete"],
    "projects get-iam-policy": ["resourcemanager.projects.getIamPolicy"],
    // entries.list (https://cloud.google.com/logging/docs/reference/v2/rest/v2/entries/list): Data
    // Access audit logs are private logs, which need privateLogEntries.list besides.
    "logging read": ["logging.logEntries.list", "logging.privateLogEntries.list"],
    // Reads gcloud's own local configuration (the custody manifest's `takenBy`): no API call.
    "config get-value account": [],
};

/**
 * Resource type or invoke token → IAM permissions, for what the provider calls on create, read,
 * update and delete. Types that never reach Google Cloud map to none, on purpose: listing them
 * keeps the coverage test strict (a new type must be looked at before it is allowed).
 */
export const TYPE_PERMISSIONS: Readonly<Record<string, readonly string[]>> = {
    // https://cloud.google.com/compute/docs/reference/rest/v1/firewalls/insert (and patch,
    // delete): a rule on a network also needs `networks.updatePolicy` on that network; firewall
    // operations are global.
    "gcp:compute/firewall:Firewall": [
        "compute.firewalls.create",
        "compute.firewalls.delete",
        "compute.firewalls.get",
        "compute.firewalls.update",
        "compute.globalOperations.get",
        "compute.networks.updatePolicy",
    ],
    // https://cloud.google.com/compute/docs/reference/rest/v1/snapshots/insert and the gcloud
    // reference of `compute disks snapshot` ("compute.disks.createSnapshot, compute.snapshots.create,
    // compute.snapshots.get"); labels set at create need setLabels. No delete: kept on destroy.
    "gcp:compute/snapshot:Snapshot": [
        "compute.disks.createSnapshot",
        "compute.globalOperations.get",
        "compute.snapshots.create",
        "compute.snapshots.get",
        "compute.snapshots.setLabels",
    ],
    // The bastion. https://cloud.google.com/compute/docs/reference/rest/v1/instances/insert:
    // its boot disk from a public image, a NIC on the node's subnetwork (no external IP, no
    // service account), tags, labels and OS Login metadata, each its own permission; destroy
    // deletes it.
    "gcp:compute/instance:Instance": [
        "compute.disks.create",
        "compute.images.useReadOnly",
        "compute.instances.create",
        "compute.instances.delete",
        "compute.instances.get",
        "compute.instances.setLabels",
        "compute.instances.setMetadata",
        "compute.instances.setTags",
        "compute.subnetworks.use",
        "compute.zoneOperations.get",
    ],
    // https://cloud.google.com/storage/docs/access-control/iam-json: buckets.insert, get, and
    // update for a label change or `lockRetentionPolicy` (quarantine:evidenceLock). No delete:
    // kept on destroy.
    "gcp:storage/bucket:Bucket": ["storage.buckets.create", "storage.buckets.get", "storage.buckets.update"],
    // The custody manifest: objects.insert and the provider's read-back; never delete.
    "gcp:storage/bucketObject:BucketObject": ["storage.objects.create", "storage.objects.get"],
    // Discovery's reads.
    "gcp:compute/getInstance:getInstance": ["compute.instances.get"],
    // https://cloud.google.com/kubernetes-engine/docs/how-to/iam#predefined
    "gcp:container/getCluster:getCluster": ["container.clusters.get"],
    "gcp:storage/getBucket:getBucket": ["storage.buckets.get"],
    // The caller's own identity from its token (OpenID userinfo): no permission.
    "gcp:organizations/getClientOpenIdUserInfo:getClientOpenIdUserInfo": [],
    // Kubernetes types: their rights are RBAC (rbacRules.ts); reaching the API server needs the cluster.
    "kubernetes:core/v1:PodPatch": GKE_ACCESS,
    "kubernetes:core/v1:NodePatch": GKE_ACCESS,
    "kubernetes:networking.k8s.io/v1:NetworkPolicy": GKE_ACCESS,
    "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy": GKE_ACCESS,
    "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding": GKE_ACCESS,
    "kubernetes:core/v1:Pod": GKE_ACCESS,
    "kubernetes:core/v1:Node": GKE_ACCESS,
    "kubernetes:apps/v1:ReplicaSet": GKE_ACCESS,
    "kubernetes:batch/v1:Job": GKE_ACCESS,
    // Scripts: what they run is read from their text and looked up in GCLOUD_PERMISSIONS and
    // rbacRules.ts's KUBECTL_RULES; kubectl reaches the cluster as the provider does.
    "command:local:Command": GKE_ACCESS,
    "command:local:run": GKE_ACCESS,
    // Local or Pulumi-service only: the random provider, and the stack's reference to itself
    // (read from the state backend, whose access is the backend's, see README "State").
    "random:index/randomId:RandomId": [],
    "random:index/randomPassword:RandomPassword": [],
    "pulumi:pulumi:StackReference": [],
};

/** The custom role's permissions: every entry of both tables, sorted, each once. */
export function responderPermissions(): string[] {
    const all = [...Object.values(GCLOUD_PERMISSIONS), ...Object.values(TYPE_PERMISSIONS)].flat();
    return [...new Set(all)].sort();
}
