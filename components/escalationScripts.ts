import { GCLOUD_GONE_OK, KUBECTL } from "./shell";

/**
 * Bash for the escalation ladder. Kinds arrive through `$KIND` and are checked against a fixed
 * list before use; names only through the environment, quoted, and as `kind/name` (or after
 * `--` for gcloud) so that no name can ever be read as a flag.
 */

// Assigned first: a failed get inside \`[ -z "$(...)" ]\` would not stop the script and would read
// as "gone".
const GONE = (what: string) => `found=$(k -n "$NAMESPACE" get --ignore-not-found -o name ${what})
if [ -z "$found" ]; then
  echo "already gone"
  exit 0
fi`;

/**
 * `--wait=false`: once the node is cut off, its kubelet can't confirm the deletion; the API marks
 * the pod terminating, its controller starts a clean replacement elsewhere, and the container
 * itself stops only when the node can act again or is deleted (the `delete-node` level).
 */
export const DELETE_POD = `${KUBECTL}
k -n "$NAMESPACE" delete "pod/$POD" --grace-period=10 --ignore-not-found --wait=false >&2
echo "pod deleted"
`;

const ANNOTATION = (key: string) =>
    `{{with .metadata.annotations}}{{with index . "${key}"}}{{.}}{{end}}{{end}}`;

export const SCALE_TO_ZERO = `${KUBECTL}
case "$KIND" in deployment|statefulset|replicaset) ;; *) echo "can't scale $KIND to zero" >&2; exit 1 ;; esac
${GONE('"$KIND/$NAME"')}
recorded=$(k -n "$NAMESPACE" get "$KIND/$NAME" -o go-template='${ANNOTATION("quarantine/replicas-before")}')
# Record once: a re-run after the scale must not record zero as the count to restore.
if [ -z "$recorded" ]; then
  replicas=$(k -n "$NAMESPACE" get "$KIND/$NAME" -o go-template='{{.spec.replicas}}')
  k -n "$NAMESPACE" annotate "$KIND/$NAME" "quarantine/replicas-before=$replicas" >&2
fi
k -n "$NAMESPACE" scale "$KIND/$NAME" --replicas=0 >&2
echo "scaled to zero"
`;

export const RESTORE_SCALE = `${KUBECTL}
case "$KIND" in deployment|statefulset|replicaset) ;; *) echo "can't scale $KIND" >&2; exit 1 ;; esac
${GONE('"$KIND/$NAME"')}
recorded=$(k -n "$NAMESPACE" get "$KIND/$NAME" -o go-template='${ANNOTATION("quarantine/replicas-before")}')
if ! [[ "$recorded" =~ ^[0-9]+$ ]]; then
  echo "no recorded replica count; left as it is" >&2
  exit 0
fi
k -n "$NAMESPACE" scale "$KIND/$NAME" --replicas="$recorded" >&2
k -n "$NAMESPACE" annotate "$KIND/$NAME" "quarantine/replicas-before-" >&2
echo "replicas restored"
`;

export const SUSPEND = `${KUBECTL}
case "$KIND" in job|cronjob) ;; *) echo "can't suspend $KIND" >&2; exit 1 ;; esac
${GONE('"$KIND/$NAME"')}
recorded=$(k -n "$NAMESPACE" get "$KIND/$NAME" -o go-template='${ANNOTATION("quarantine/suspend-before")}')
if [ -z "$recorded" ]; then
  before=$(k -n "$NAMESPACE" get "$KIND/$NAME" -o go-template='{{if .spec.suspend}}true{{else}}false{{end}}')
  k -n "$NAMESPACE" annotate "$KIND/$NAME" "quarantine/suspend-before=$before" >&2
fi
k -n "$NAMESPACE" patch "$KIND/$NAME" --type=merge -p '{"spec":{"suspend":true}}' >&2
echo "suspended"
`;

export const RESUME = `${KUBECTL}
case "$KIND" in job|cronjob) ;; *) echo "can't resume $KIND" >&2; exit 1 ;; esac
${GONE('"$KIND/$NAME"')}
recorded=$(k -n "$NAMESPACE" get "$KIND/$NAME" -o go-template='${ANNOTATION("quarantine/suspend-before")}')
case "$recorded" in
  true|false) ;;
  *) echo "no recorded suspend state; left as it is" >&2; exit 0 ;;
esac
k -n "$NAMESPACE" patch "$KIND/$NAME" --type=merge -p "{\\"spec\\":{\\"suspend\\":$recorded}}" >&2
k -n "$NAMESPACE" annotate "$KIND/$NAME" "quarantine/suspend-before-" >&2
echo "suspend state restored"
`;

export const DELETE_WORKLOAD = `${KUBECTL}
case "$KIND" in deployment|statefulset|replicaset|daemonset|job|cronjob) ;; *) echo "won't delete $KIND" >&2; exit 1 ;; esac
k -n "$NAMESPACE" delete "$KIND/$NAME" --ignore-not-found --cascade=background --wait=false >&2
echo "workload deleted"
`;

/** Deletion protection was turned on by the quarantine; it has to come off for the delete. */
export const DELETE_VM = `${GCLOUD_GONE_OK}
gone_ok gcloud compute instances update --no-deletion-protection --zone "$ZONE" --project "$PROJECT" -- "$INSTANCE"
gone_ok gcloud compute instances delete --zone "$ZONE" --project "$PROJECT" --quiet -- "$INSTANCE"
echo "VM deleted"
`;

export const DELETE_NODE_OBJECT = `${KUBECTL}
k delete "node/$NODE" --ignore-not-found --wait=false >&2
echo "node object deleted"
`;
