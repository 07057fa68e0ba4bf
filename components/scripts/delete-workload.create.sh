#!/usr/bin/env bash
set -euo pipefail
# shellcheck source=lib/kubectl.sh
. "$QUARANTINE_LIB/kubectl.sh"

case "$KIND" in
  deployment | statefulset | replicaset | daemonset | job | cronjob) ;;
  *)
    echo "won't delete $KIND" >&2
    exit 1
    ;;
esac
attempt "delete $KIND $NAMESPACE/$NAME" k -n "$NAMESPACE" delete "$KIND/$NAME" --ignore-not-found --cascade=background --wait=false >&2
echo "workload deleted"
