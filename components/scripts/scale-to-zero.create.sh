#!/usr/bin/env bash
set -euo pipefail
# shellcheck source=lib/kubectl.sh
. "$QUARANTINE_LIB/kubectl.sh"

# The kind arrives through the environment and is checked against a fixed list before use.
case "$KIND" in
  deployment | statefulset | replicaset) ;;
  *)
    echo "can't scale $KIND to zero" >&2
    exit 1
    ;;
esac
exit_if_gone "already gone" -n "$NAMESPACE" "$KIND/$NAME"
recorded=$(k -n "$NAMESPACE" get "$KIND/$NAME" -o go-template="$REPLICAS_BEFORE_TEMPLATE")
# Record once: a re-run after the scale must not record zero as the count to restore.
if [ -z "$recorded" ]; then
  replicas=$(k -n "$NAMESPACE" get "$KIND/$NAME" -o go-template='{{.spec.replicas}}')
  k -n "$NAMESPACE" annotate "$KIND/$NAME" "quarantine/replicas-before=$replicas" >&2
fi
attempt "scale $KIND $NAMESPACE/$NAME to zero" k -n "$NAMESPACE" scale "$KIND/$NAME" --replicas=0 >&2
echo "scaled to zero"
