import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import { responderPermissions } from "./permissions";
import { responderRules } from "./rbacRules";

export interface ResponderRoleArgs {
    /** Project the custom role is defined in (the incident stacks' `gcp:project`). */
    readonly project: string;
    /** IAM custom role id, e.g. `quarantineResponder`. */
    readonly roleId: string;
    /** kubeconfig context of the cluster the ClusterRole is declared in. */
    readonly kubeContext: string;
    /** Name of the ClusterRole (and of its binding). */
    readonly clusterRoleName: string;
    /** Kubernetes group bound to the ClusterRole (GKE's Google Groups for RBAC); unset: no binding. */
    readonly group?: string;
}

/**
 * The least-privilege responder (issue #13.6): an IAM custom role with exactly the permissions of
 * `permissions.ts`, and a ClusterRole with exactly the rules of `rbacRules.ts`, both derived from
 * the one table of what the incident program's resources and commands call. Cluster-wide on
 * purpose: an incident may be in any namespace, and nodes are not namespaced.
 *
 * The ClusterRole is declared through a provider pinned to the configured context, never the
 * shell's current one: a role granted on the wrong cluster is no readiness at all.
 */
export class ResponderRole extends pulumi.ComponentResource {
    public readonly role: gcp.projects.IAMCustomRole;
    public readonly clusterRole: k8s.rbac.v1.ClusterRole;
    public readonly binding?: k8s.rbac.v1.ClusterRoleBinding;
    /** `projects/<project>/roles/<id>`: what an IAM binding names. */
    public readonly roleName: pulumi.Output<string>;
    public readonly permissions: readonly string[];

    constructor(name: string, args: ResponderRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("quarantine:readiness:ResponderRole", name, {}, opts);
        this.permissions = responderPermissions();
        this.role = new gcp.projects.IAMCustomRole(
            `${name}/role`,
            {
                project: args.project,
                roleId: args.roleId,
                title: "quarantine responder",
                description:
                    "What a quarantine incident stack needs (stacks/incident): discovery, snapshots, abandon, tags, external IP, deletion protection, firewall rules, bastion, " +
                    "evidence objects created but never deleted. Generated from components/readiness/permissions.ts.",
                permissions: [...this.permissions],
                stage: "GA",
            },
            { parent: this },
        );
        this.roleName = this.role.name;

        const provider = new k8s.Provider(`${name}/cluster`, { context: args.kubeContext }, { parent: this });
        const labels = { "app.kubernetes.io/managed-by": "quarantine-readiness" };
        this.clusterRole = new k8s.rbac.v1.ClusterRole(
            `${name}/cluster-role`,
            {
                metadata: {
                    name: args.clusterRoleName,
                    labels,
                    annotations: { "quarantine/source": "components/readiness/rbacRules.ts" },
                },
                rules: responderRules().map((r) => ({ apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] })),
            },
            { parent: this, provider },
        );
        if (args.group !== undefined) {
            this.binding = new k8s.rbac.v1.ClusterRoleBinding(
                `${name}/binding`,
                {
                    metadata: { name: args.clusterRoleName, labels },
                    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: this.clusterRole.metadata.name },
                    subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: args.group }],
                },
                { parent: this, provider },
            );
        }
        this.registerOutputs({ roleName: this.roleName });
    }
}
