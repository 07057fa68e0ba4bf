#!/usr/bin/env bash
set -euo pipefail
# shellcheck source=lib/kubectl.sh
. "$QUARANTINE_LIB/kubectl.sh"
# shellcheck source=lib/capture.sh
. "$QUARANTINE_LIB/capture.sh"

# A privileged capture pod pinned to the node (what `kubectl debug node/…` creates), labelled
# quarantine=true so the concurrent drain skips it. Its spec, the overrides, is built as data by
# components/evidenceCapture.ts; only the run's name suffix is added here, so two runs (or two
# nodes of one incident, which have distinct prefixes) never share a pod name.
pod="$CAPTURE_POD_PREFIX-$(date -u +%s)-$RANDOM"
# The trap removes only the pod this script created. kubectl directly: in an `||` list bash turns
# `set -e` off inside a function.
trap 'kubectl --context "$CONTEXT" -n "$CAPTURE_NAMESPACE" delete pod "$pod" --ignore-not-found --wait=false >&2 || true; cleanup_work' EXIT
k -n "$CAPTURE_NAMESPACE" run --image="$IMAGE" --restart=Never --overrides="$OVERRIDES" -- "$pod" >&2
k -n "$CAPTURE_NAMESPACE" wait --for=jsonpath='{.status.phase}'=Succeeded pod/"$pod" --timeout=180s >&2
capture volatile.txt "node volatile state: processes, connections, mounts, changed files" k -n "$CAPTURE_NAMESPACE" logs "$pod"
