#!/usr/bin/env bash
set -euo pipefail
# shellcheck source=lib/kubectl.sh
. "$QUARANTINE_LIB/kubectl.sh"

# What the create removed, from its own stdout in state (`label key=value` lines); nothing the
# pod carries is read as a record.
exit_if_gone "pod already gone; no labels to restore" -n "$NAMESPACE" pod -- "$POD"
recorded="${PULUMI_COMMAND_STDOUT:-}"
# Still checked: a well-formed label pair is all that may reach kubectl.
valid='^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?=([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$'
restore=()
while IFS= read -r line; do
  case "$line" in
    "label "*) pair="${line#label }" ;;
    *) continue ;;
  esac
  if [[ "$pair" =~ $valid ]]; then
    restore+=("$pair")
  else
    echo "skipped a recorded line that is not a label: $pair" >&2
  fi
done <<<"$recorded"
if [ ${#restore[@]} -gt 0 ]; then
  # After `--`: the pairs are never flags.
  k -n "$NAMESPACE" label pod --overwrite -- "$POD" "${restore[@]}" >/dev/null
fi
echo "restored ${#restore[@]} labels"
