import * as pulumi from "@pulumi/pulumi";
import type * as command from "@pulumi/command";
import * as k8s from "@pulumi/kubernetes";
import { LABELS } from "../core/labels";
import { shellCommand } from "./shell";

export interface CordonDrainArgs {
    /** Kubernetes node name. */
    readonly node: string;
    /** kubectl context of the drain (the one the Kubernetes provider uses). */
    readonly kubeContext: string;
    /** kubectl duration bounding the drain, e.g. `5m`. */
    readonly drainTimeout: string;
    /**
     * `true` when the node is cut off at once (`quarantine:nodeIsolation: immediate`): its kubelet
     * then can't stop drained pods, so the drain is best effort. Only the step's wording changes:
     * in either mode the drain never fails the update. Default false.
     */
    readonly bestEffort?: boolean;
    /**
     * Resources that label the quarantined pods on this node. The drain must wait for them:
     * without the `quarantine` label, the drain would evict the compromised pod itself.
     */
    readonly podsLabelled: pulumi.Input<pulumi.Resource>[];
}

/**
 * Cordons the node, labels it as under investigation, then drains every other pod.
 *
 * The cordon is a `NodePatch`: server-side apply, never `patchForce`, under the field manager the
 * provider names for each Patch resource (`pulumi-kubernetes-<random>`, kept in state). When two
 * incidents share a node both managers own `spec.unschedulable` and the investigation label,
 * which they apply with the same value, and destroying one (the provider's relinquish) leaves the
 * node cordoned for the other. It sets no `pulumi.com/patchFieldManager`: the provider applies
 * that annotation to the node like any other field, so two incidents' different names for it are
 * a field conflict and the second cordon fails (test/e2e/twoIncidents.e2e.ts).
 *
 * The drain skips `quarantine=true` pods, DaemonSet pods (they can't move), and leaves unmanaged
 * pods rather than delete them for good (no `--force`). Containment first: a drain held up by a
 * PodDisruptionBudget or an unmanaged pod ends at its timeout, exits 0 and says what it left on
 * the node and why (its stdout, the `drains` stack output), so the node's cut-off, which waits
 * for it, still happens.
 */
export class CordonDrain extends pulumi.ComponentResource {
    public readonly cordon: k8s.core.v1.NodePatch;
    public readonly drain: command.local.Command;

    constructor(name: string, args: CordonDrainArgs, opts?: pulumi.ComponentResourceOptions) {
        super("quarantine:node:CordonDrain", name, {}, opts);

        this.cordon = new k8s.core.v1.NodePatch(
            `${name}/cordon`,
            {
                metadata: {
                    name: args.node,
                    labels: { [LABELS.investigation]: "true" },
                },
                spec: { unschedulable: true },
            },
            { parent: this },
        );

        this.drain = shellCommand(
            `${name}/drain`,
            {
                step: args.bestEffort
                    ? "Drain every pod but the quarantined ones (best effort: the node is already cut off)"
                    : "Drain every pod but the quarantined ones (bounded; the node is cut off when it ends)",
                destroy:
                    "one-way: evicted pods were rescheduled elsewhere by their controllers; the node becomes schedulable again when the cordon is removed",
                kind: "isolation",
                script: "drain",
                environment: {
                    CONTEXT: args.kubeContext,
                    NODE: args.node,
                    TIMEOUT: args.drainTimeout,
                    LEFT_PODS_TEMPLATE,
                    BLOCKING_BUDGETS_TEMPLATE,
                },
            },
            { parent: this, dependsOn: [this.cordon, ...args.podsLabelled] },
        );

        this.registerOutputs({});
    }
}

/** `namespace/name managed|bare` per pod a drain left, DaemonSet pods (which it never evicts) aside. */
export const LEFT_PODS_TEMPLATE =
    "{{range .items}}{{$ds := false}}{{$owned := false}}{{range .metadata.ownerReferences}}{{$owned = true}}{{if eq .kind \"DaemonSet\"}}{{$ds = true}}{{end}}{{end}}" +
    "{{if not $ds}}{{.metadata.namespace}}/{{.metadata.name}} {{if $owned}}managed{{else}}bare{{end}}\n{{end}}{{end}}";
/** One line per PodDisruptionBudget that allows no disruption now. */
export const BLOCKING_BUDGETS_TEMPLATE =
    "{{range .items}}{{if not .status.disruptionsAllowed}}PodDisruptionBudget {{.metadata.namespace}}/{{.metadata.name}} allows no disruption now: evicting its pods waits for it\n{{end}}{{end}}";
