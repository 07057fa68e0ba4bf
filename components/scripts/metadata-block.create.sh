#!/usr/bin/env bash
set -euo pipefail
# shellcheck source=lib/hostpod.sh
. "$QUARANTINE_LIB/hostpod.sh"

# Before the cut-off, through a guard pod on the node (components/hostGuard.ts): a host firewall
# rule that drops the host's traffic to the metadata server, which no VPC firewall rule can filter.
# The node's cut-off waits for this step (unless it is immediate), so it never fails and its
# wait is bounded: a guard pod refused or not finishing is recorded as "not blocked", exit 0.
# Stdout is the record, in state: the delete removes the rules only where they were added.
pod="$GUARD_POD_PREFIX-$(date -u +%s)-$RANDOM"
log=$(mktemp)
trap 'kubectl --context "$CONTEXT" -n "$POD_NAMESPACE" delete pod "$pod" --ignore-not-found --wait=false >&2 || true; rm -f "$log"' EXIT

# shellcheck disable=SC2310 # host_pod_run reports its own failure in host_pod_problem
if ! host_pod_run "$OVERRIDES" "$log"; then
  echo "metadata: not blocked on node $NODE: $host_pod_problem" | cut -c1-400
  exit 0
fi
lines=$(host_pod_lines metadata "$log")
printf '%s\n' "${lines:-metadata: not blocked on node $NODE: the guard pod reported nothing}"
