#!/usr/bin/env bash
set -euo pipefail
# shellcheck source=lib/kubectl.sh
. "$QUARANTINE_LIB/kubectl.sh"
# shellcheck source=lib/hostpod.sh
. "$QUARANTINE_LIB/hostpod.sh"

# The record is the create's stdout (state, never the node): nothing blocked, nothing to undo.
if ! grep -qE '^metadata: blocked ' <<<"${PULUMI_COMMAND_STDOUT:-}"; then
  echo "metadata: nothing was blocked; nothing to undo"
  exit 0
fi
exit_if_gone "node $NODE is gone; nothing to undo" node "$NODE"

pod="$GUARD_POD_PREFIX-undo-$(date -u +%s)-$RANDOM"
log=$(mktemp)
trap 'kubectl --context "$CONTEXT" -n "$POD_NAMESPACE" delete pod "$pod" --ignore-not-found --wait=false >&2 || true; rm -f "$log"' EXIT

# shellcheck disable=SC2310 # host_pod_run reports its own failure in host_pod_problem
if ! host_pod_run "$UNDO_OVERRIDES" "$log"; then
  could_not "remove the metadata block from node $NODE" "$host_pod_problem; on the node, delete the raw-table rules commented $MARK (iptables -t raw -S | grep $MARK)"
  exit 1
fi
host_pod_lines metadata "$log"
