#!/usr/bin/env bash
set -euo pipefail

# Containment first: the node's cut-off waits for the drain to end, never for it to succeed. A
# drain that a PodDisruptionBudget or an unmanaged pod holds up ends at its timeout, says what it
# left on the node and why, and exits 0, so the cut-off still happens. kubectl directly, not `k`:
# in an `||` list bash turns `set -e` off inside a function.
# The whole step is bounded by the drain timeout (Ns or Nm, checked by the config schema).
n="${TIMEOUT%[ms]}"
case "$TIMEOUT" in
  *m) budget=$((n * 60)) ;;
  *) budget=$((n)) ;;
esac
deadline=$((SECONDS + budget))
status=0
kubectl --context "$CONTEXT" drain --pod-selector='!quarantine' --ignore-daemonsets --delete-emptydir-data --timeout="$TIMEOUT" -- "$NODE" >&2 || status=$?
if [ "$status" -eq 0 ]; then
  echo "drained $NODE"
  exit 0
fi
echo "drain of $NODE incomplete (exit $status) within $TIMEOUT" >&2

# One pod without a controller makes kubectl refuse the whole node and evict nothing (it would
# have to delete that pod: --force). The managed pods are then evicted one by one through the
# same eviction API, so PodDisruptionBudgets still hold (429), until none is left or the step's
# time is up (a drain held by a budget has used it all already); the bare pods stay, reported below.
while [ "$SECONDS" -lt "$deadline" ]; do
  managed=$(kubectl --context "$CONTEXT" get pods --all-namespaces --request-timeout=10s --field-selector "spec.nodeName=$NODE" -l '!quarantine' -o go-template="$LEFT_PODS_TEMPLATE" 2>/dev/null | sed -n 's/ managed$//p') || break
  if [ -z "$managed" ]; then break; fi
  while IFS= read -r pod; do
    ns=${pod%%/*}
    name=${pod#*/}
    # Names come from the API server: DNS labels and subdomains, nothing a JSON string must escape.
    eviction=$(printf '{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"namespace":"%s","name":"%s"}}' "$ns" "$name")
    kubectl --context "$CONTEXT" create --raw "/api/v1/namespaces/$ns/pods/$name/eviction" -f - <<<"$eviction" >/dev/null 2>&1 || true
  done <<<"$managed"
  sleep 5
done

# What is left (DaemonSet pods aside, which a drain never evicts), and why.
if ! left=$(kubectl --context "$CONTEXT" get pods --all-namespaces --request-timeout=10s --field-selector "spec.nodeName=$NODE" -l '!quarantine' -o go-template="$LEFT_PODS_TEMPLATE" 2>&1); then
  echo "drain of $NODE incomplete (exit $status); the pods left could not be listed: ${left:0:300}; the node is cut off anyway"
  exit 0
fi
pods=()
namespaces=()
while read -r pod how; do
  if [ -z "$pod" ]; then continue; fi
  if [ "$how" = "bare" ]; then
    pods+=("$pod (no controller: drain never deletes it without --force)")
  else
    pods+=("$pod")
  fi
  namespaces+=("${pod%%/*}")
done <<<"$left"
# kubectl only says an eviction "would violate the pod's disruption budget": name the budgets
# that allow no disruption in the namespaces of the pods still on the node (best effort).
budgets=()
if [ ${#namespaces[@]} -gt 0 ]; then
  unique=$(printf '%s\n' "${namespaces[@]}" | sort -u)
  while IFS= read -r ns; do
    found=$(kubectl --context "$CONTEXT" -n "$ns" get poddisruptionbudgets --request-timeout=10s -o go-template="$BLOCKING_BUDGETS_TEMPLATE" 2>/dev/null || true)
    while IFS= read -r b; do
      if [ -n "$b" ]; then budgets+=("$b"); fi
    done <<<"$found"
  done <<<"$unique"
fi
for b in "${budgets[@]}"; do echo "$b" >&2; done
if [ ${#pods[@]} -eq 0 ]; then pods=("none listed any more (pods may still be terminating)"); fi
joined=$(printf '%s, ' "${pods[@]}")
why=""
if [ ${#budgets[@]} -gt 0 ]; then why=$(printf '; %s' "${budgets[@]}"); fi
echo "drain of $NODE incomplete (exit $status): left on the node: ${joined%, }${why}; the node is cut off with them on it"
