#!/usr/bin/env bash
set -euo pipefail
# shellcheck source=lib/kubectl.sh
. "$QUARANTINE_LIB/kubectl.sh"

case "$KIND" in
  job | cronjob) ;;
  *)
    echo "can't resume $KIND" >&2
    exit 1
    ;;
esac
exit_if_gone "already gone" -n "$NAMESPACE" "$KIND/$NAME"
attempt "remove incident $INCIDENT's hold on $KIND $NAMESPACE/$NAME" k -n "$NAMESPACE" annotate "$KIND/$NAME" "$HOLD_PREFIX$INCIDENT-" >&2
held=$(holds "$KIND/$NAME")
others=$(others_of "$held")
if [ -n "$others" ]; then
  echo "another incident still holds $KIND $NAMESPACE/$NAME ($others); left suspended"
  exit 0
fi
# What the create recorded, from its stdout in state; nothing on the job is read as a record.
recorded=$(sed -n 's/^suspend-before \(true\|false\)$/\1/p' <<<"${PULUMI_COMMAND_STDOUT:-}" | head -n 1)
if [ -z "$recorded" ]; then
  echo "no suspend state of this incident's to restore (another incident suspended it first): left suspended; resume it by hand"
  exit 0
fi
attempt "set $KIND $NAMESPACE/$NAME's suspend back to $recorded" k -n "$NAMESPACE" patch "$KIND/$NAME" --type=merge -p "{\"spec\":{\"suspend\":$recorded}}" >&2
echo "suspend state restored to $recorded"
