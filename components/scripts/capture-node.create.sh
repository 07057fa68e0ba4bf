#!/usr/bin/env bash
set -euo pipefail
# shellcheck source=lib/kubectl.sh
. "$QUARANTINE_LIB/kubectl.sh"
# shellcheck source=lib/capture.sh
. "$QUARANTINE_LIB/capture.sh"

capture node.yaml "node object" k get "node/$NODE" -o yaml
capture events.yaml "events of the node" k get events --all-namespaces --field-selector "involvedObject.kind=Node,involvedObject.name=$NODE" -o yaml
