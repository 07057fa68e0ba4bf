#!/usr/bin/env bash
# kubectl pinned to the configured context: `k get pod "$POD"`. Never the shell's current one.
k() { kubectl --context "$CONTEXT" "$@"; }

# exit_if_gone MESSAGE GET-ARGS…: ends the script with 0, saying MESSAGE, when
# `kubectl get --ignore-not-found -o name GET-ARGS…` finds nothing. The lookup is assigned first:
# a failed get inside `[ -z "$(…)" ]` would not stop the script and would read as "gone".
exit_if_gone() {
  local message="$1" found
  shift
  found=$(k get --ignore-not-found -o name "$@")
  if [ -z "$found" ]; then
    echo "$message"
    exit 0
  fi
}
