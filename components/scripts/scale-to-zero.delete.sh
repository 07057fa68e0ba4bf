#!/usr/bin/env bash
set -euo pipefail
# shellcheck source=lib/kubectl.sh
. "$QUARANTINE_LIB/kubectl.sh"

case "$KIND" in
  deployment | statefulset | replicaset) ;;
  *)
    echo "can't scale $KIND" >&2
    exit 1
    ;;
esac
exit_if_gone "already gone" -n "$NAMESPACE" "$KIND/$NAME"
recorded=$(k -n "$NAMESPACE" get "$KIND/$NAME" -o go-template="$REPLICAS_BEFORE_TEMPLATE")
if ! [[ "$recorded" =~ ^[0-9]+$ ]]; then
  echo "no recorded replica count; left as it is" >&2
  exit 0
fi
k -n "$NAMESPACE" scale "$KIND/$NAME" --replicas="$recorded" >&2
k -n "$NAMESPACE" annotate "$KIND/$NAME" "quarantine/replicas-before-" >&2
echo "replicas restored"
