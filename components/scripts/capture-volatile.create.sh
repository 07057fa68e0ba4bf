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
#
# The node's cut-off waits for this capture, so it never fails and its waits are bounded: a
# capture pod refused (PodSecurity, an admission policy), an image that can't be pulled, a pod
# that does not finish within its bounded wait or a bucket not there yet is recorded as "not captured"
# with the reason, and the script exits 0.
what="node volatile state: processes, connections, mounts, changed files"
pod="$CAPTURE_POD_PREFIX-$(date -u +%s)-$RANDOM"
# The trap removes only the pod this script created. kubectl directly: in an `||` list bash turns
# `set -e` off inside a function.
trap 'kubectl --context "$CONTEXT" -n "$CAPTURE_NAMESPACE" delete pod "$pod" --ignore-not-found --wait=false >&2 || true; cleanup_work' EXIT

if ! out=$(kubectl --context "$CONTEXT" -n "$CAPTURE_NAMESPACE" run --image="$IMAGE" --restart=Never --overrides="$OVERRIDES" -- "$pod" 2>&1); then
  printf '%s\n' "$out" >&2
  not_captured "$what" "capture pod refused: $out"
  exit 0
fi
if ! out=$(kubectl --context "$CONTEXT" -n "$CAPTURE_NAMESPACE" wait --for=jsonpath='{.status.phase}'=Succeeded "pod/$pod" --timeout="$CAPTURE_WAIT" 2>&1); then
  printf '%s\n' "$out" >&2
  state=$(kubectl --context "$CONTEXT" -n "$CAPTURE_NAMESPACE" get "pod/$pod" --request-timeout=10s -o go-template="$POD_STATE_TEMPLATE" 2>/dev/null || true)
  not_captured "$what" "capture pod did not finish within $CAPTURE_WAIT: ${state:-$out}"
  exit 0
fi
if ! kubectl --context "$CONTEXT" -n "$CAPTURE_NAMESPACE" logs "$pod" >"$work/volatile.txt" 2>"$work/volatile.err"; then
  err=$(head -c 300 "$work/volatile.err")
  not_captured "$what" "capture pod's output could not be read: $err"
  exit 0
fi
# shellcheck disable=SC2310 # upload checks each of its own steps; its failure is handled here
if ! upload volatile.txt "$what"; then
  not_captured "$what" "upload to gs://$BUCKET failed (is the bucket there yet?)"
fi
