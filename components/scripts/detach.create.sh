#!/usr/bin/env bash
set -euo pipefail
# shellcheck source=lib/kubectl.sh
. "$QUARANTINE_LIB/kubectl.sh"

exit_if_gone "pod gone (deleted by an escalation step); nothing to detach" -n "$NAMESPACE" pod -- "$POD"
recorded=$(k -n "$NAMESPACE" get pod -o go-template="$RECORDED_TEMPLATE" -- "$POD")
# Two steps: a failed get must fail the script, not read as "no other labels" (`|| true` is for grep).
labels=$(k -n "$NAMESPACE" get pod -o go-template="$LABELS_TEMPLATE" -- "$POD")
others=$(grep -v -E '^quarantine(/incident)?=' <<<"$labels" || true)
# Record once: a re-run finds the labels gone and must not overwrite the record with nothing.
# The controller is recorded too: once the labels go, a ReplicaSet releases the pod and its owner
# reference with it, and the delete-workload level still needs to know whose pod it was.
if [ -z "$recorded" ] && [ -n "$others" ]; then
  owner=$(k -n "$NAMESPACE" get pod -o go-template="$OWNER_TEMPLATE" -- "$POD")
  k -n "$NAMESPACE" annotate pod -- "$POD" "$ANNOTATION=$others" "$OWNER_ANNOTATION=$owner" >&2
fi
remove=()
while IFS='=' read -r key _; do
  if [ -n "$key" ]; then remove+=("$key-"); fi
done <<<"$others"
if [ ${#remove[@]} -gt 0 ]; then
  k -n "$NAMESPACE" label pod -- "$POD" "${remove[@]}" >/dev/null
fi
echo "detached ${#remove[@]} labels"
