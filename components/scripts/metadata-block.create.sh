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

guard_pod_run metadata "not blocked"
