#!/usr/bin/env bash
# A pod on the node's host (components/hostPod.ts builds its spec, $OVERRIDES), run to its end
# within a bounded wait ($HOST_POD_WAIT), its output read back. The calling script names it
# (`pod=…`) and deletes it in its EXIT trap, so the policy pack sees it delete only its own pod.
# kubectl directly: called from `if`, a function runs with `set -e` off.

# host_pod_run OVERRIDES OUT: runs "$pod" with OVERRIDES, writes its log to OUT. Returns 1, with
# the reason in $host_pod_problem, when the pod is refused, does not finish or its log can't be read.
host_pod_problem=""
# shellcheck disable=SC2034,SC2154 # host_pod_problem is the caller's to read, pod the caller's to name
host_pod_run() {
  local out state
  if ! out=$(kubectl --context "$CONTEXT" -n "$POD_NAMESPACE" run --image="$IMAGE" --restart=Never --overrides="$1" -- "$pod" 2>&1); then
    host_pod_problem="its pod was refused: $out"
    return 1
  fi
  if ! out=$(kubectl --context "$CONTEXT" -n "$POD_NAMESPACE" wait --for=jsonpath='{.status.phase}'=Succeeded "pod/$pod" --timeout="$HOST_POD_WAIT" 2>&1); then
    state=$(kubectl --context "$CONTEXT" -n "$POD_NAMESPACE" get "pod/$pod" --request-timeout=10s -o go-template="$POD_STATE_TEMPLATE" 2>/dev/null || true)
    host_pod_problem="its pod did not finish within $HOST_POD_WAIT: ${state:-$out}"
    return 1
  fi
  if ! kubectl --context "$CONTEXT" -n "$POD_NAMESPACE" logs "$pod" >"$2" 2>&1; then
    host_pod_problem="its pod's output could not be read: $(head -c 300 "$2")"
    return 1
  fi
}

# host_pod_lines PREFIX OUT: the lines of OUT the host script printed as PREFIX records, at most
# 50, each cut to 300 characters. The host is the attacker's: anything else it printed is ignored.
host_pod_lines() {
  grep -E "^$1: " "$2" | head -n 50 | cut -c1-300 || true
}

# guard_pod_run PREFIX NOT_DONE: a guard step's body. Runs "$pod" with $OVERRIDES and prints the
# host's PREFIX lines, or one "PREFIX: NOT_DONE on node …" line saying why; never fails, since the
# node's cut-off waits for the step. The caller names "$pod" and "$log" and sets the trap.
# shellcheck disable=SC2154 # log is the caller's
guard_pod_run() {
  local prefix="$1" not_done="$2" lines
  # shellcheck disable=SC2310 # host_pod_run reports its own failure in host_pod_problem
  if ! host_pod_run "$OVERRIDES" "$log"; then
    echo "$prefix: $not_done on node $NODE: $host_pod_problem" | cut -c1-400
    return 0
  fi
  lines=$(host_pod_lines "$prefix" "$log")
  printf '%s\n' "${lines:-$prefix: $not_done on node $NODE: the guard pod reported nothing}"
}
