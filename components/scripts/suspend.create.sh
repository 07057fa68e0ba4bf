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
recorded=$(k -n "$NAMESPACE" get "$KIND/$NAME" -o go-template="$SUSPEND_BEFORE_TEMPLATE")
if [ -z "$recorded" ]; then
  before=$(k -n "$NAMESPACE" get "$KIND/$NAME" -o go-template='{{if .spec.suspend}}true{{else}}false{{end}}')
  k -n "$NAMESPACE" annotate "$KIND/$NAME" "quarantine/suspend-before=$before" >&2
fi
attempt "suspend $KIND $NAMESPACE/$NAME" k -n "$NAMESPACE" patch "$KIND/$NAME" --type=merge -p '{"spec":{"suspend":true}}' >&2
echo "suspended"
