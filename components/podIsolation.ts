import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { DETACHED_LABELS_ANNOTATION, DETACHED_OWNER_ANNOTATION, IncidentNames, LABELS } from "./naming";
import { KUBECTL, shellCommand } from "./shell";

export interface PodIsolationArgs {
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

export { DETACHED_LABELS_ANNOTATION, DETACHED_OWNER_ANNOTATION } from "./naming";

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
 *   The removed labels are kept in an annotation and restored on destroy.
 * - Policies with an empty podSelector still select every pod; a check fails the update, naming
 *   them, rather than report an isolation that does not hold.
 */
export class PodIsolation extends pulumi.ComponentResource {
    public readonly patches: k8s.core.v1.PodPatch[];
    public readonly networkPolicy: k8s.networking.v1.NetworkPolicy;
    /** The resources that, once created, mean the pods are cut off. */
    public readonly isolated: pulumi.Resource[];

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
                              step: "Detach the pod from its other labels (kept in an annotation)",
                              destroy: "reversed: the recorded labels are put back and the annotation removed",
                              environment: { ...env, POD: pod, ANNOTATION: DETACHED_LABELS_ANNOTATION, OWNER_ANNOTATION: DETACHED_OWNER_ANNOTATION },
                              create: DETACH,
                              delete: REATTACH,
                          },
                          { parent: this, dependsOn: [this.patches[i]] },
                      ),
                  );

        shellCommand(
            `${name}/policy-check`,
            {
                step: "Check that no other NetworkPolicy can still select the pods and allow them traffic",
                destroy: "nothing to undo: a read-only check",
                environment: env,
                create: POLICY_CHECK,
            },
            { parent: this, dependsOn: [this.networkPolicy, ...detaches] },
        );

        this.isolated = [...this.patches, this.networkPolicy];
        this.registerOutputs({ networkPolicy: this.networkPolicy.metadata.name });
    }
}

const LABEL_LINES = `{{range $k, $v := .metadata.labels}}{{$k}}={{$v}}{{"\\n"}}{{end}}`;
const RECORDED = `{{with .metadata.annotations}}{{with index . "${DETACHED_LABELS_ANNOTATION}"}}{{.}}{{end}}{{end}}`;

const DETACH = `${KUBECTL}
found=$(k -n "$NAMESPACE" get pod --ignore-not-found -o name -- "$POD")
if [ -z "$found" ]; then
  echo "pod gone (deleted by an escalation step); nothing to detach"
  exit 0
fi
recorded=$(k -n "$NAMESPACE" get pod -o go-template='${RECORDED}' -- "$POD")
# Two steps: a failed get must fail the script, not read as "no other labels" (\`|| true\` is for grep).
labels=$(k -n "$NAMESPACE" get pod -o go-template='${LABEL_LINES}' -- "$POD")
others=$(grep -v -E '^quarantine(/incident)?=' <<< "$labels" || true)
# Record once: a re-run finds the labels gone and must not overwrite the record with nothing.
# The controller is recorded too: once the labels go, a ReplicaSet releases the pod and its owner
# reference with it, and the delete-workload level still needs to know whose pod it was.
if [ -z "$recorded" ] && [ -n "$others" ]; then
  owner=$(k -n "$NAMESPACE" get pod -o go-template='{{range .metadata.ownerReferences}}{{if .controller}}{{.kind}}/{{.name}}{{end}}{{end}}' -- "$POD")
  k -n "$NAMESPACE" annotate pod -- "$POD" "$ANNOTATION=$others" "$OWNER_ANNOTATION=$owner" >&2
fi
remove=()
while IFS='=' read -r key _; do
  if [ -n "$key" ]; then remove+=("$key-"); fi
done <<< "$others"
if [ \${#remove[@]} -gt 0 ]; then
  k -n "$NAMESPACE" label pod -- "$POD" "\${remove[@]}" >/dev/null
fi
echo "detached \${#remove[@]} labels"
`;

const REATTACH = `${KUBECTL}
# Assigned first: a failed get inside \`[ -z "$(...)" ]\` would read as "gone" and skip the restore.
found=$(k -n "$NAMESPACE" get pod --ignore-not-found -o name -- "$POD")
if [ -z "$found" ]; then
  echo "pod already gone; no labels to restore"
  exit 0
fi
recorded=$(k -n "$NAMESPACE" get pod -o go-template='${RECORDED}' -- "$POD")
# The annotation is writable by whoever can edit the pod: restore only well-formed label pairs.
valid='^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?=([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$'
restore=()
while IFS= read -r pair; do
  if [[ "$pair" =~ $valid ]]; then
    restore+=("$pair")
  elif [ -n "$pair" ]; then
    echo "skipped a recorded line that is not a label: $pair" >&2
  fi
done <<< "$recorded"
if [ \${#restore[@]} -gt 0 ]; then
  # After \`--\`: the recorded pairs are annotation text the pod's owner could write, never flags.
  k -n "$NAMESPACE" label pod --overwrite -- "$POD" "\${restore[@]}" >/dev/null
  k -n "$NAMESPACE" annotate pod -- "$POD" "$ANNOTATION-" "$OWNER_ANNOTATION-" >/dev/null
fi
echo "restored \${#restore[@]} labels"
`;

/**
 * Policies that can still select a detached pod: an empty podSelector (every pod), or one that
 * selects by a label's absence (DoesNotExist, NotIn) — the detached pod lacks every label.
 */
export const STILL_SELECTING =
    '{{range .items}}{{$open := false}}{{if not .spec.podSelector.matchLabels}}{{if not .spec.podSelector.matchExpressions}}{{$open = true}}{{end}}{{end}}' +
    '{{range .spec.podSelector.matchExpressions}}{{if or (eq .operator "DoesNotExist") (eq .operator "NotIn")}}{{$open = true}}{{end}}{{end}}' +
    "{{if and $open (or .spec.ingress .spec.egress)}}{{.metadata.name}} {{end}}{{end}}";

const POLICY_CHECK = `${KUBECTL}
open=$(k -n "$NAMESPACE" get networkpolicy -o go-template='${STILL_SELECTING}')
if [ -n "$open" ]; then
  echo "NetworkPolicy in namespace $NAMESPACE that can select the quarantined pods allows traffic: $open" >&2
  echo "(an empty podSelector selects every pod; DoesNotExist and NotIn select a pod without labels)" >&2
  echo "NetworkPolicies are additive, so the quarantine's deny-all does not hold against it." >&2
  echo "Narrow its podSelector or delete it, then run pulumi up again." >&2
  exit 1
fi
echo "no allowing NetworkPolicy in $NAMESPACE can select the quarantined pods"
`;
