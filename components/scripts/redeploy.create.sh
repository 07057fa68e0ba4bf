#!/usr/bin/env bash
set -euo pipefail
# shellcheck source=lib/kubectl.sh
. "$QUARANTINE_LIB/kubectl.sh"

# --wait=false: once the node is cut off, its kubelet can't confirm the deletion; the API marks
# the pod terminating, its controller starts a clean replacement elsewhere, and the container
# itself stops only when the node can act again or is deleted (the delete-node level).
attempt "delete pod $NAMESPACE/$POD" k -n "$NAMESPACE" delete "pod/$POD" --grace-period=10 --ignore-not-found --wait=false >&2
echo "pod deleted"
