#!/usr/bin/env bash
set -euo pipefail
# shellcheck source=lib/kubectl.sh
. "$QUARANTINE_LIB/kubectl.sh"

# kubectl directly, not `k`: in an `||` list bash turns `set -e` off inside a function.
status=0
kubectl --context "$CONTEXT" drain --pod-selector='!quarantine' --ignore-daemonsets --delete-emptydir-data --timeout="$TIMEOUT" -- "$NODE" >&2 || status=$?
if [ "$status" -ne 0 ]; then
  if [ "$BEST_EFFORT" = "true" ]; then
    echo "drain of $NODE incomplete (exit $status); continuing: the node is cut off and its pods may stay Terminating" >&2
    exit 0
  fi
  echo "drain of $NODE failed (exit $status) within $TIMEOUT; the node is cordoned but not yet cut off" >&2
  # kubectl only says an eviction "would violate the pod's disruption budget": name the budgets
  # that allow no disruption in the namespaces of the pods still on the node (best effort).
  left=$(kubectl --context "$CONTEXT" get pods --all-namespaces --request-timeout=10s --field-selector "spec.nodeName=$NODE" -l '!quarantine' -o go-template="$LEFT_NAMESPACES_TEMPLATE" || true)
  namespaces=$(sort -u <<<"$left")
  while IFS= read -r ns; do
    if [ -n "$ns" ]; then
      kubectl --context "$CONTEXT" -n "$ns" get poddisruptionbudgets --request-timeout=10s -o go-template="$BLOCKING_BUDGETS_TEMPLATE" >&2 || true
    fi
  done <<<"$namespaces"
  exit "$status"
fi
echo "drained $NODE"
