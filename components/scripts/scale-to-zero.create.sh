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
# The record is this script's stdout (state), per incident: `replicas N`, kept from the previous
# run when there is one. A count of zero under a hold is no count to restore: another incident
# stopped the workload first, or an earlier run of this step did before its record reached state.
held=$(holds "$KIND/$NAME")
others=$(others_of "$held")
previous=$(sed -n 's/^replicas \([0-9][0-9]*\)$/\1/p' <<<"${PULUMI_COMMAND_STDOUT:-}" | head -n 1)
replicas=$(k -n "$NAMESPACE" get "$KIND/$NAME" -o go-template='{{.spec.replicas}}')
attempt "mark $KIND $NAMESPACE/$NAME as held by incident $INCIDENT" k -n "$NAMESPACE" annotate --overwrite "$KIND/$NAME" "$HOLD_PREFIX$INCIDENT=held" >&2
attempt "scale $KIND $NAMESPACE/$NAME to zero" k -n "$NAMESPACE" scale "$KIND/$NAME" --replicas=0 >&2
echo "scaled to zero"
if [ -n "$previous" ]; then
  echo "replicas $previous"
elif [ "$replicas" = "0" ] && [ -n "$held" ]; then
  echo "replicas unknown: already stopped under incident ${others:-$INCIDENT}"
else
  echo "replicas $replicas"
fi
