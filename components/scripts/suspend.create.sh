#!/usr/bin/env bash
set -euo pipefail
# shellcheck source=lib/kubectl.sh
. "$QUARANTINE_LIB/kubectl.sh"

case "$KIND" in
  job | cronjob) ;;
  *)
    echo "can't suspend $KIND" >&2
    exit 1
    ;;
esac
exit_if_gone "already gone" -n "$NAMESPACE" "$KIND/$NAME"
# The record is this script's stdout (state), per incident: `suspend-before true|false`, kept
# from the previous run when there is one (see scale-to-zero.create.sh).
held=$(holds "$KIND/$NAME")
others=$(others_of "$held")
previous=$(sed -n 's/^suspend-before \(true\|false\)$/\1/p' <<<"${PULUMI_COMMAND_STDOUT:-}" | head -n 1)
before=$(k -n "$NAMESPACE" get "$KIND/$NAME" -o go-template='{{if .spec.suspend}}true{{else}}false{{end}}')
attempt "mark $KIND $NAMESPACE/$NAME as held by incident $INCIDENT" k -n "$NAMESPACE" annotate --overwrite "$KIND/$NAME" "$HOLD_PREFIX$INCIDENT=held" >&2
attempt "suspend $KIND $NAMESPACE/$NAME" k -n "$NAMESPACE" patch "$KIND/$NAME" --type=merge -p '{"spec":{"suspend":true}}' >&2
echo "suspended"
if [ -n "$previous" ]; then
  echo "suspend-before $previous"
elif [ "$before" = "true" ] && [ -n "$held" ]; then
  echo "suspend-before unknown: already suspended under incident ${others:-$INCIDENT}"
else
  echo "suspend-before $before"
fi
