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
recorded=$(k -n "$NAMESPACE" get "$KIND/$NAME" -o go-template="$SUSPEND_BEFORE_TEMPLATE")
case "$recorded" in
  true | false) ;;
  *)
    echo "no recorded suspend state; left as it is" >&2
    exit 0
    ;;
esac
k -n "$NAMESPACE" patch "$KIND/$NAME" --type=merge -p "{\"spec\":{\"suspend\":$recorded}}" >&2
k -n "$NAMESPACE" annotate "$KIND/$NAME" "quarantine/suspend-before-" >&2
echo "suspend state restored"
