#!/usr/bin/env bash
set -euo pipefail

# A read for discovery (a `command:local:run` invoke, not a resource): does the named pod still
# exist? Prints its uid, or nothing. Asked before `Pod.get`, because the engine fails the whole
# update on a read of a missing object, and a pod can vanish between preview and `up` (an
# attacker deleting their own pod, as the runbook warns). The uid tells a remembered pod from a
# new one of the same name (a StatefulSet's clean replacement). An API error fails the read.
kubectl --context "$CONTEXT" -n "$NAMESPACE" get pod --ignore-not-found --request-timeout=20s -o 'go-template={{.metadata.uid}}' -- "$POD"
