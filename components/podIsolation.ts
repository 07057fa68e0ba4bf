import * as pulumi from "@pulumi/pulumi";
import type * as command from "@pulumi/command";
import * as k8s from "@pulumi/kubernetes";
import { LABELS } from "../core/labels";
import { IncidentNames } from "../core/incidentNames";
import { shellCommand } from "./shell";
import { CLUSTER_POLICY_TEMPLATES, POD_LABELS_TEMPLATE } from "./clusterPolicies";

export interface PodIsolationArgs {
    /** The incident's names (labels, field manager and NetworkPolicy name derive from them). */
    readonly names: IncidentNames;
    /** Namespace of the pods; one NetworkPolicy per namespace covers all of them. */
    readonly namespace: string;
    /** Names of the compromised pods in this namespace. */
    readonly pods: readonly string[];
    /** kubectl context the commands use (the same one the provider reads). */
    readonly kubeContext: string;
    /**
     * Remove the pods' other labels so no existing NetworkPolicy or Service still selects them.
     * Default true.
     */
    readonly detachLabels?: boolean;
}

/**
 * Cuts the compromised pods off at once: nothing here waits for anything.
 *
 * - A `PodPatch` labels each pod `quarantine=true` (the runbook's label, which the drain skips)
 *   and with the incident label. Server-side apply with a field manager per incident; never
 *   `patchForce`. `pulumi.com/skipAwait` because a compromised pod may never be Ready.
 * - A deny-all NetworkPolicy (Ingress and Egress, no rules) selects the incident label.
 * - NetworkPolicies are additive: any other policy that selects the pod and allows traffic wins
 *   over a deny-all. So each pod is detached from its other labels (seed 001: "change pod label
 *   name"; cloud-forensics-utils does the same). Label-selecting policies and Services stop
 *   matching it, and its controller starts a clean replacement while the pod stays for forensics.
 *   The removed labels are recorded in the detach step's stdout (state, not the pod) and restored on destroy.
 * - Policies with an empty podSelector still select every pod. A check reports each one that lets
 *   traffic through, precisely (a DNS-only egress policy is named as the DNS channel it leaves);
 *   it never holds containment up. `IsolationVerdict` fails the update at its end where the
 *   pods' isolation really does not hold.
 */
/** The ReplicaSet controller scales down pods with a lower cost first (an int32). */
export const POD_DELETION_COST = "controller.kubernetes.io/pod-deletion-cost";

export class PodIsolation extends pulumi.ComponentResource {
    public readonly patches: k8s.core.v1.PodPatch[];
    public readonly networkPolicy: k8s.networking.v1.NetworkPolicy;
    /** The resources that, once created, mean the pods are cut off. */
    public readonly isolated: pulumi.Resource[];
    /** What the NetworkPolicy check found: one `open:` or `dns:` line per policy, or an all-clear. */
    public readonly policyCheck: command.local.Command;
    /** What the cluster-wide policy check found, in the same `open:`/`clear:`/`unchecked:` lines. */
    public readonly clusterPolicyCheck: command.local.Command;

    constructor(name: string, args: PodIsolationArgs, opts?: pulumi.ComponentResourceOptions) {
        super("quarantine:pod:PodIsolation", name, {}, opts);
        const { names, namespace } = args;
        const incidentLabels = { [LABELS.quarantine]: "true", [LABELS.incident]: names.id };

        // The deny-all first: it is the step that cuts traffic, and registrations reach the engine
        // in the order they are declared.
        this.networkPolicy = new k8s.networking.v1.NetworkPolicy(
            `${name}/deny-all`,
            {
                metadata: { name: names.networkPolicy, namespace, labels: { [LABELS.incident]: names.id } },
                spec: {
                    podSelector: { matchLabels: { [LABELS.incident]: names.id } },
                    policyTypes: ["Ingress", "Egress"],
                },
            },
            { parent: this },
        );

        this.patches = args.pods.map(
            (pod) =>
                new k8s.core.v1.PodPatch(
                    `${name}/${pod}/label`,
                    {
                        metadata: {
                            name: pod,
                            namespace,
                            labels: incidentLabels,
                            annotations: {
                                "pulumi.com/patchFieldManager": names.fieldManager,
                                "pulumi.com/skipAwait": "true",
                                // Destroy gives the pod its labels back and its ReplicaSet adopts it
                                // again, one replica too many: the highest deletion cost makes the
                                // controller delete the replacement, never the evidence
                                // (https://kubernetes.io/docs/reference/labels-annotations-taints/#pod-deletion-cost).
                                [POD_DELETION_COST]: "2147483647",
                            },
                        },
                    },
                    { parent: this },
                ),
        );

        const env = { CONTEXT: args.kubeContext, NAMESPACE: namespace, INCIDENT: names.id };
        const detaches =
            args.detachLabels === false
                ? []
                : args.pods.map((pod, i) =>
                      shellCommand(
                          `${name}/${pod}/detach`,
                          {
                              step: "Detach the pod from its other labels (recorded in state)",
                              destroy: "reversed: the labels recorded in state are put back",
                              kind: "isolation",
                              script: "detach",
                              environment: { ...env, POD: pod, LABELS_TEMPLATE },
                              recordsInState: true,
                          },
                          { parent: this, dependsOn: [this.patches[i]] },
                      ),
                  );

        this.policyCheck = shellCommand(
            `${name}/policy-check`,
            {
                step: "Check that no other NetworkPolicy can still select the pods and allow them traffic",
                destroy: "nothing to undo: a read-only check",
                kind: "check",
                script: "policy-check",
                environment: { ...env, STILL_SELECTING_TEMPLATE: stillSelecting(names.id) },
            },
            { parent: this, dependsOn: [this.networkPolicy, ...detaches] },
        );

        // The same question for the policy kinds a NetworkPolicy can't override: cluster-wide
        // (Calico, Cilium, AdminNetworkPolicy) and GKE's FQDNNetworkPolicy. Also a check.
        this.clusterPolicyCheck = shellCommand(
            `${name}/cluster-policy-check`,
            {
                step: "Check that no cluster-wide or FQDN policy can still select the pods and allow them traffic",
                destroy: "nothing to undo: a read-only check",
                kind: "check",
                script: "cluster-policy-check",
                environment: { ...env, POD_LABELS_TEMPLATE, ...CLUSTER_POLICY_TEMPLATES },
            },
            { parent: this, dependsOn: [this.networkPolicy, ...detaches] },
        );

        this.isolated = [...this.patches, this.networkPolicy];
        this.registerOutputs({ networkPolicy: this.networkPolicy.metadata.name });
    }
}

/** One `key=value` line per label of the pod. */
export const LABELS_TEMPLATE = "{{range $k, $v := .metadata.labels}}{{$k}}={{$v}}\n{{end}}";

/**
 * One line per NetworkPolicy that can still select a detached pod and allows it traffic:
 * `name [ingress] [egress=PROTO/PORT,…|egress=any]…`. The detached pod keeps exactly two labels,
 * `quarantine=true` and `quarantine/incident=<id>`, and the podSelector is evaluated against
 * them as the API does (every matchLabels entry and every expression must hold): an empty
 * podSelector, a label's absence (DoesNotExist, NotIn) and our own labels (`quarantine Exists`,
 * `matchLabels: {quarantine: "true"}`) all select it. The incident's own deny-all has no rules, so
 * it never appears. The check script tells a DNS-only egress policy from one that defeats the
 * deny-all.
 */
export function stillSelecting(incidentId: string): string {
    const own = (k: string, v: string) => `(or (and (eq ${k} "quarantine") (eq ${v} "true")) (and (eq ${k} "quarantine/incident") (eq ${v} "${incidentId}")))`;
    return (
        "{{range .items}}{{$sel := true}}" +
        `{{range $k, $v := .spec.podSelector.matchLabels}}{{if not ${own("$k", "$v")}}}{{$sel = false}}{{end}}{{end}}` +
        '{{range .spec.podSelector.matchExpressions}}{{$key := .key}}{{$has := or (eq .key "quarantine") (eq .key "quarantine/incident")}}{{$in := false}}' +
        `{{range .values}}{{if ${own("$key", ".")}}}{{$in = true}}{{end}}{{end}}` +
        '{{if and (eq .operator "Exists") (not $has)}}{{$sel = false}}{{end}}{{if and (eq .operator "DoesNotExist") $has}}{{$sel = false}}{{end}}' +
        '{{if and (eq .operator "In") (not $in)}}{{$sel = false}}{{end}}{{if and (eq .operator "NotIn") $in}}{{$sel = false}}{{end}}{{end}}' +
        "{{if and $sel (or .spec.ingress .spec.egress)}}{{.metadata.name}}{{if .spec.ingress}} ingress{{end}}" +
        "{{range .spec.egress}} egress={{if .ports}}{{range $i, $p := .ports}}{{if $i}},{{end}}{{if $p.protocol}}{{$p.protocol}}{{else}}TCP{{end}}/{{with $p.port}}{{.}}{{else}}all{{end}}{{with $p.endPort}}-{{.}}{{end}}{{end}}{{else}}any{{end}}{{end}}\n{{end}}{{end}}"
    );
}
