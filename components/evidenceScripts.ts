import { KUBECTL } from "./shell";

/**
 * Bash for evidence capture. Evidence never passes through stdout (stdout is stored in Pulumi
 * state): each artifact is written to a private temp dir, hashed, uploaded with `--no-clobber`
 * under a UTC timestamp (a re-run adds, never overwrites), and the script prints one JSON line
 * per artifact: what it is, where it went, its sha256, when and as whom. Those lines become the
 * chain-of-custody manifest.
 */

/** Shared prelude: `capture NAME WHAT cmd…` runs cmd into a file and uploads it. */
export const CAPTURE_PRELUDE = `${KUBECTL}
taken=$(date -u +%Y%m%dT%H%M%SZ)
# Two runs within one second still get distinct object names (and --no-clobber refuses a clash).
stamp="$taken-$$-$RANDOM"
who=$(gcloud config get-value account --quiet 2>/dev/null || true)
if [ -z "$who" ]; then who=unknown; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
upload() {
  local name="$1" what="$2" object="$PREFIX/$stamp/$1" sum
  # sha256sum on Linux, shasum on a responder's Mac.
  sum=$( (sha256sum "$work/$name" 2>/dev/null || shasum -a 256 "$work/$name") | cut -d' ' -f1)
  gcloud storage cp --no-clobber "$work/$name" "gs://$BUCKET/$object" --project "$PROJECT" >&2
  printf '{"what":"%s","object":"gs://%s/%s","sha256":"%s","takenAt":"%s","takenBy":"%s"}\\n' "$what" "$BUCKET" "$object" "$sum" "$taken" "$who"
}
capture() {
  local name="$1" what="$2"
  shift 2
  "$@" > "$work/$name"
  upload "$name" "$what"
}
# For artifacts that may legitimately not exist (no previous container, kubelet unreachable).
capture_optional() {
  local name="$1" what="$2"
  shift 2
  if "$@" > "$work/$name" 2>"$work/$name.err"; then
    upload "$name" "$what"
  else
    echo "not captured: $what ($(head -c 300 "$work/$name.err"))" >&2
  fi
}
`;

export const POD_CAPTURE = `${CAPTURE_PRELUDE}
capture pod.yaml "pod object" k -n "$NAMESPACE" get "pod/$POD" -o yaml
capture describe.txt "kubectl describe pod" k -n "$NAMESPACE" describe "pod/$POD"
containers=$(k -n "$NAMESPACE" get "pod/$POD" -o go-template='{{range .spec.initContainers}}{{.name}}{{"\\n"}}{{end}}{{range .spec.containers}}{{.name}}{{"\\n"}}{{end}}')
while IFS= read -r c; do
  if [ -z "$c" ]; then continue; fi
  capture_optional "logs-$c.txt" "logs of container $c" k -n "$NAMESPACE" logs "pod/$POD" -c "$c" --timestamps
  capture_optional "logs-$c-previous.txt" "previous logs of container $c" k -n "$NAMESPACE" logs "pod/$POD" -c "$c" --timestamps --previous
done <<< "$containers"
capture events.yaml "events of the pod" k -n "$NAMESPACE" get events --field-selector "involvedObject.kind=Pod,involvedObject.name=$POD" -o yaml
sa=$(k -n "$NAMESPACE" get "pod/$POD" -o go-template='{{.spec.serviceAccountName}}')
capture can-i.txt "what the pod's service account may do" k -n "$NAMESPACE" auth can-i --list --as="system:serviceaccount:$NAMESPACE:\${sa:-default}"
`;

export const NODE_CAPTURE = `${CAPTURE_PRELUDE}
capture node.yaml "node object" k get "node/$NODE" -o yaml
capture events.yaml "events of the node" k get events --all-namespaces --field-selector "involvedObject.kind=Node,involvedObject.name=$NODE" -o yaml
`;

/** Runs on the node's host (chroot /host): processes, connections, mounts, recent runtime files. */
export const HOST_COMMANDS = [
    "echo '== processes'; ps -eo pid,ppid,user,lstart,args 2>/dev/null || ls -l /proc/[0-9]*/exe 2>/dev/null",
    "echo '== network connections'; ss -tanpu 2>/dev/null || cat /proc/net/tcp /proc/net/tcp6 /proc/net/udp /proc/net/udp6",
    "echo '== mounts'; cat /proc/mounts",
    "echo '== files changed in the last 4 hours under the container runtime'; find /var/lib/containerd /var/lib/kubelet /home/kubernetes /etc -xdev -type f -mmin -240 2>/dev/null | head -n 20000",
].join("; ");

/** Passed as `HOST_COMMANDS_JSON` so the pod spec is built by printf from values, not script text. */
export const HOST_COMMANDS_JSON = JSON.stringify(HOST_COMMANDS);

/**
 * Volatile node state through a privileged capture pod pinned to the node (what
 * `kubectl debug node/…` creates), labelled `quarantine=true` so the concurrent drain skips it
 * instead of failing on an unmanaged pod. Must run while the node still reaches the API server.
 */
export const VOLATILE_CAPTURE = `${CAPTURE_PRELUDE}
# The node name and image are embedded in the pod's JSON: accept only what those names can be.
if ! [[ "$NODE" =~ ^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$ ]]; then echo "unexpected node name" >&2; exit 1; fi
if ! [[ "$IMAGE" =~ ^[a-z0-9][a-z0-9._/:@-]*$ ]]; then echo "unexpected image" >&2; exit 1; fi
pod="quarantine-capture-$INCIDENT-$(date -u +%s)"
overrides=$(printf '{"apiVersion":"v1","metadata":{"labels":{"quarantine":"true","quarantine/capture":"%s"}},"spec":{"nodeName":"%s","hostPID":true,"hostNetwork":true,"restartPolicy":"Never","tolerations":[{"operator":"Exists"}],"volumes":[{"name":"host","hostPath":{"path":"/"}}],"containers":[{"name":"capture","image":"%s","command":["chroot","/host","/bin/sh","-c",%s],"securityContext":{"privileged":true},"volumeMounts":[{"name":"host","mountPath":"/host"}]}]}}' "$INCIDENT" "$NODE" "$IMAGE" "$HOST_COMMANDS_JSON")
trap 'k -n "$CAPTURE_NAMESPACE" delete pod "$pod" --ignore-not-found --wait=false >&2 || true; rm -rf "$work"' EXIT
k -n "$CAPTURE_NAMESPACE" run --image="$IMAGE" --restart=Never --overrides="$overrides" -- "$pod" >&2
k -n "$CAPTURE_NAMESPACE" wait --for=jsonpath='{.status.phase}'=Succeeded pod/"$pod" --timeout=180s >&2
capture volatile.txt "node volatile state: processes, connections, mounts, changed files" k -n "$CAPTURE_NAMESPACE" logs "$pod"
`;

/** Optional (touches the live container, seed 003): /etc and per-process /proc entries. */
export const EXEC_CAPTURE = `${CAPTURE_PRELUDE}
capture_optional container-fs.tar.gz "archive of /etc and /proc process entries from the container" k -n "$NAMESPACE" exec "pod/$POD" -- sh -c 'tar czf - /etc /proc/[0-9]*/cmdline /proc/[0-9]*/environ /proc/[0-9]*/status /proc/net 2>/dev/null; true'
`;
