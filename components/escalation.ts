import * as pulumi from "@pulumi/pulumi";
import { IncidentNames } from "../core/incidentNames";
import { shellCommand } from "./shell";

import { reaches, type DestructiveLevel } from "../core/levels";

export type WorkloadKind = "Deployment" | "StatefulSet" | "ReplicaSet" | "DaemonSet" | "Job" | "CronJob";

export interface Workload {
    readonly namespace: string;
    readonly kind: WorkloadKind;
    readonly name: string;
}

export interface EscalationArgs {
    /** The incident's names. */
    readonly names: IncidentNames;
    /** Project of the quarantined VMs. */
    readonly project: string;
    /** kubectl context of the escalation commands. */
    readonly kubeContext: string;
    /** The level to reach; each includes the ones before it. */
    readonly level: DestructiveLevel;
    /** The quarantined pods (`redeploy` deletes them). */
    readonly pods: readonly { readonly namespace: string; readonly name: string }[];
    /** Workloads owning the pods (bare pods own themselves and are covered by `redeploy`). */
    readonly workloads: readonly Workload[];
    /** `scale-to-zero` (default; reversed on destroy) or `delete` (one-way). */
    readonly workloadAction?: "scale-to-zero" | "delete";
    /** Their nodes and VMs (`delete-node` deletes them). */
    readonly nodes: readonly { readonly name: string; readonly instance: string; readonly zone: string; readonly project: string }[];
    /**
     * Every snapshot and evidence capture of the incident (and the isolation): nothing here runs
     * before all of it has completed, so nothing is destroyed before it is preserved.
     */
    readonly after: pulumi.Resource[];
    /** Node-level steps also wait for the node's quarantine (drain, tag) to finish. Default: nothing more. */
    readonly nodeAfter?: pulumi.Resource[];
}

const ONE_WAY = "one-way: ";

/**
 * Redeploy (delete the pods), delete or scale away the workload, delete the host VM. Every step is
 * a command that waits for all evidence; the one-way ones say so in their `# destroy:` line and
 * in `oneWay`, and their delete only reports what stays gone.
 */
export class Escalation extends pulumi.ComponentResource {
    public readonly oneWay: string[] = [];
    public readonly steps: pulumi.Resource[] = [];

    constructor(name: string, args: EscalationArgs, opts?: pulumi.ComponentResourceOptions) {
        super("quarantine:escalation:Escalation", name, {}, opts);
                const ctx = { CONTEXT: args.kubeContext, INCIDENT: args.names.id };
        const after = { parent: this, dependsOn: args.after };

        const podSteps = args.pods.map((p) =>
            shellCommand(
                `${name}/redeploy/${p.namespace}/${p.name}`,
                {
                    step: "Delete the compromised pod (grace period 10 s); its controller starts a clean replacement",
                    // Pod deletion is irreversible: the pod object and its container are gone.
                    destroy: `${ONE_WAY}the pod stays deleted; a replacement, if any, is its controller's`,
                    kind: "destructive",
                    script: "redeploy",
                    environment: { ...ctx, NAMESPACE: p.namespace, POD: p.name },
                },
                after,
            ),
        );
        this.oneWay.push(...args.pods.map((p) => `deleted pod ${p.namespace}/${p.name}`));
        this.steps.push(...podSteps);

        const workloadSteps =
            reaches(args.level, "delete-workload") ? args.workloads.map((w) => this.workload(name, w, args.workloadAction ?? "scale-to-zero", ctx, [...args.after, ...podSteps])) : [];
        this.steps.push(...workloadSteps);

        if (reaches(args.level, "delete-node")) {
            for (const n of args.nodes) {
                const vm = shellCommand(
                    `${name}/delete-vm/${n.name}`,
                    {
                        step: "Delete the host VM (its deletion protection is lifted first); its boot disk goes with it",
                        // VM deletion is irreversible; the disks' snapshots are what remains.
                        destroy: `${ONE_WAY}the VM stays deleted; its snapshots are the evidence of its disks`,
                        kind: "destructive",
                        script: "delete-vm",
                        environment: { PROJECT: n.project, ZONE: n.zone, INSTANCE: n.instance },
                    },
                    { parent: this, dependsOn: [...args.after, ...(args.nodeAfter ?? []), ...podSteps, ...workloadSteps] },
                );
                const nodeObject = shellCommand(
                    `${name}/delete-node/${n.name}`,
                    {
                        step: "Delete the Node object of the deleted VM",
                        destroy: `${ONE_WAY}the Node object stays deleted (a deleted VM does not come back)`,
                        kind: "destructive",
                        script: "delete-node-object",
                        environment: { ...ctx, NODE: n.name },
                    },
                    { parent: this, dependsOn: [vm] },
                );
                this.steps.push(vm, nodeObject);
                this.oneWay.push(`deleted VM ${n.instance} and its Node object`);
            }
        }
        this.registerOutputs({ oneWay: this.oneWay });
    }

    private workload(
        name: string,
        w: Workload,
        action: "scale-to-zero" | "delete",
        ctx: Record<string, string>,
        dependsOn: pulumi.Resource[],
    ): pulumi.Resource {
        const kind = w.kind.toLowerCase();
        const environment = { ...ctx, NAMESPACE: w.namespace, KIND: kind, NAME: w.name };
        const logical = `${name}/workload/${w.namespace}/${kind}/${w.name}`;
        const ref = `${w.kind} ${w.namespace}/${w.name}`;
        if (action === "delete") {
            this.oneWay.push(`deleted ${ref}`);
            return shellCommand(
                logical,
                {
                    step: "Delete the workload that owns the compromised pod",
                    // Workload deletion is irreversible: its spec is kept only in the evidence.
                    destroy: `${ONE_WAY}the workload stays deleted; its spec is in the evidence bucket (pod object)`,
                    kind: "destructive",
                    script: "delete-workload",
                    environment,
                },
                { parent: this, dependsOn },
            );
        }
        const suspend = w.kind === "Job" || w.kind === "CronJob";
        return shellCommand(
            logical,
            suspend
                ? {
                      step: "Suspend the job that owns the compromised pod",
                      destroy: "reversed: the job's suspend state recorded in state is restored, unless another incident still holds the job",
                      kind: "destructive",
                      script: "suspend",
                      environment,
                      recordsInState: true,
                  }
                : {
                      step: "Scale the workload that owns the compromised pod to zero",
                      destroy: "reversed: the replica count recorded in state is restored, unless another incident still holds the workload",
                      kind: "destructive",
                      script: "scale-to-zero",
                      environment,
                      recordsInState: true,
                  },
            { parent: this, dependsOn },
        );
    }
}
