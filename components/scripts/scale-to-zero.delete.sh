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
attempt "remove incident $INCIDENT's hold on $KIND $NAMESPACE/$NAME" k -n "$NAMESPACE" annotate "$KIND/$NAME" "$HOLD_PREFIX$INCIDENT-" >&2
held=$(holds "$KIND/$NAME")
others=$(others_of "$held")
if [ -n "$others" ]; then
  echo "another incident still holds $KIND $NAMESPACE/$NAME ($others); left at zero"
  exit 0
fi
# What the create recorded, from its stdout in state; nothing on the workload is read as a record.
recorded=$(sed -n 's/^replicas \([0-9][0-9]*\)$/\1/p' <<<"${PULUMI_COMMAND_STDOUT:-}" | head -n 1)
if [ -z "$recorded" ]; then
  echo "no replica count of this incident's to restore (another incident stopped it first): left at zero; scale it back by hand"
  exit 0
fi
attempt "scale $KIND $NAMESPACE/$NAME back to $recorded" k -n "$NAMESPACE" scale "$KIND/$NAME" --replicas="$recorded" >&2
echo "replicas restored to $recorded"
