#!/usr/bin/env bash
set -euo pipefail
# shellcheck source=lib/kubectl.sh
. "$QUARANTINE_LIB/kubectl.sh"

# The record of what was removed is this script's stdout, which Pulumi keeps in state and hands
# to the delete script (PULUMI_COMMAND_STDOUT): never an annotation on the pod, which whoever can
# edit the pod (the attacker) could pre-set to choose what destroy restores.
exit_if_gone "pod gone (deleted by an escalation step); nothing to detach" -n "$NAMESPACE" pod -- "$POD"
# Two steps: a failed get must fail the script, not read as "no other labels" (`|| true` is for grep).
labels=$(k -n "$NAMESPACE" get pod -o go-template="$LABELS_TEMPLATE" -- "$POD")
others=$(grep -v -E '^quarantine(/incident)?=' <<<"$labels" || true)
remove=()
while IFS='=' read -r key _; do
  if [ -n "$key" ]; then remove+=("$key-"); fi
done <<<"$others"
# One label call removes them all or none. If its answer is lost (a timeout after the change was
# made), the record must still be printed: a re-run would find the labels gone and record nothing.
# kubectl directly: in an `if` bash turns `set -e` off inside a function.
if [ ${#remove[@]} -gt 0 ] && ! kubectl --context "$CONTEXT" -n "$NAMESPACE" label pod -- "$POD" "${remove[@]}" >/dev/null; then
  after=$(k -n "$NAMESPACE" get pod -o go-template="$LABELS_TEMPLATE" -- "$POD")
  if grep -q -v -E '^quarantine(/incident)?=' <<<"$after"; then
    could_not "remove the other labels of pod $NAMESPACE/$POD" "they are still on the pod after the label call failed"
    exit 1
  fi
  echo "the label call failed, but the labels are gone: recording them" >&2
fi
echo "detached ${#remove[@]} labels"
while IFS= read -r pair; do
  if [ -n "$pair" ]; then printf 'label %s\n' "$pair"; fi
done <<<"$others"
