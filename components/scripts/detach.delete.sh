#!/usr/bin/env bash
set -euo pipefail
# shellcheck source=lib/kubectl.sh
. "$QUARANTINE_LIB/kubectl.sh"

exit_if_gone "pod already gone; no labels to restore" -n "$NAMESPACE" pod -- "$POD"
recorded=$(k -n "$NAMESPACE" get pod -o go-template="$RECORDED_TEMPLATE" -- "$POD")
# The annotation is writable by whoever can edit the pod: restore only well-formed label pairs.
valid='^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?=([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$'
restore=()
while IFS= read -r pair; do
  if [[ "$pair" =~ $valid ]]; then
    restore+=("$pair")
  elif [ -n "$pair" ]; then
    echo "skipped a recorded line that is not a label: $pair" >&2
  fi
done <<<"$recorded"
if [ ${#restore[@]} -gt 0 ]; then
  # After `--`: the recorded pairs are annotation text the pod's owner could write, never flags.
  k -n "$NAMESPACE" label pod --overwrite -- "$POD" "${restore[@]}" >/dev/null
  k -n "$NAMESPACE" annotate pod -- "$POD" "$ANNOTATION-" "$OWNER_ANNOTATION-" >/dev/null
fi
echo "restored ${#restore[@]} labels"
