#!/usr/bin/env bash
set -euo pipefail
# shellcheck source=lib/kubectl.sh
. "$QUARANTINE_LIB/kubectl.sh"

attempt "delete Node object $NODE" k delete "node/$NODE" --ignore-not-found --wait=false >&2
echo "node object deleted"
