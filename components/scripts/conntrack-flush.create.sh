#!/usr/bin/env bash
set -euo pipefail
# shellcheck source=lib/hostpod.sh
. "$QUARANTINE_LIB/hostpod.sh"

# Once the pods' deny-all exists, and before the node's cut-off: deletes the node's
# connection-tracking entries of the pods' addresses through a guard pod, because Calico lets a
# flow that conntrack already knows through after a policy change (Dataplane V2 judges every
# packet, so the program does not declare this step there). The cut-off waits for it (unless it
# is immediate): it never fails and its wait is bounded, and what it did is its stdout.
pod="$GUARD_POD_PREFIX-$(date -u +%s)-$RANDOM"
log=$(mktemp)
trap 'kubectl --context "$CONTEXT" -n "$POD_NAMESPACE" delete pod "$pod" --ignore-not-found --wait=false >&2 || true; rm -f "$log"' EXIT

guard_pod_run conntrack "not flushed"
