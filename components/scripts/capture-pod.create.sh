#!/usr/bin/env bash
set -euo pipefail
# shellcheck source=lib/kubectl.sh
. "$QUARANTINE_LIB/kubectl.sh"
# shellcheck source=lib/capture.sh
. "$QUARANTINE_LIB/capture.sh"

capture pod.yaml "pod object" k -n "$NAMESPACE" get "pod/$POD" -o yaml
capture describe.txt "kubectl describe pod" k -n "$NAMESPACE" describe "pod/$POD"
# Reads the captures below depend on: a failure is recorded, never fatal (see lib/capture.sh).
if ! containers=$(kubectl --context "$CONTEXT" -n "$NAMESPACE" get "pod/$POD" -o go-template="$CONTAINERS_TEMPLATE" 2>&1); then
  not_captured "container logs" "the pod's containers could not be listed: $containers"
  containers=""
fi
while IFS= read -r c; do
  if [ -z "$c" ]; then continue; fi
  capture "logs-$c.txt" "logs of container $c" k -n "$NAMESPACE" logs "pod/$POD" -c "$c" --timestamps
  capture "logs-$c-previous.txt" "previous logs of container $c" k -n "$NAMESPACE" logs "pod/$POD" -c "$c" --timestamps --previous
done <<<"$containers"
capture events.yaml "events of the pod" k -n "$NAMESPACE" get events --field-selector "involvedObject.kind=Pod,involvedObject.name=$POD" -o yaml
sa=$(kubectl --context "$CONTEXT" -n "$NAMESPACE" get "pod/$POD" -o go-template='{{.spec.serviceAccountName}}' 2>/dev/null) || sa=""
capture can-i.txt "what the pod's service account may do" k -n "$NAMESPACE" auth can-i --list --as="system:serviceaccount:$NAMESPACE:${sa:-default}"
