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

# Holds on a shared workload: each incident that stops it marks it `quarantine.incident/<id>=held`.
# A mark is only a "someone still needs this stopped" flag, never a record of what to restore:
# that is in the step's stdout, in state. Whoever could remove a mark can edit the workload, and
# so could scale it up anyway: trusting the marks gives an attacker nothing new.
HOLD_PREFIX="quarantine.incident/"

# holds KIND/NAME: the incidents holding the workload, this one included, space-separated.
holds() {
  local marks ids
  # shellcheck disable=SC2016 # a Go template, not shell
  marks=$(k -n "$NAMESPACE" get "$1" -o go-template='{{range $k, $v := .metadata.annotations}}{{$k}}{{"\n"}}{{end}}')
  ids=$(grep -F -- "$HOLD_PREFIX" <<<"$marks" | sed "s|^$HOLD_PREFIX||") || true
  printf '%s' "${ids//$'\n'/ }"
}

# others_of HOLDS: the holds of `holds` without this incident's own.
others_of() {
  local id out=()
  for id in $1; do
    if [ "$id" != "$INCIDENT" ]; then out+=("$id"); fi
  done
  printf '%s' "${out[*]}"
}
