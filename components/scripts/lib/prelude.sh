#!/usr/bin/env bash
# First in every command script (after its header): fail on any error, unset variable or failed
# pipe stage, and never let gcloud stop to ask a question nobody is there to answer.
set -euo pipefail
export CLOUDSDK_CORE_DISABLE_PROMPTS=1

# could_not WHAT OUTPUT: the one line a failed step ends with, naming what could not be done and
# why (the failed call's output, squeezed onto the line).
could_not() {
  local why
  why=$(tr -s ' \n' '  ' <<<"$2" | cut -c1-400) || true
  printf 'could not %s: %s\n' "$1" "$why" >&2
}

# attempt WHAT CMD…: runs CMD (its stdout passes through); if it fails, the script ends with
# could_not's line, e.g. "could not tag VM gke-x with quarantine-42: ERROR: … Supplied fingerprint
# does not match current fingerprint." The engine shows that line in the update's failure
# summary, where a responder reads it first.
attempt() {
  local what="$1" err out rc=0
  shift
  err=$(mktemp)
  "$@" 2>"$err" || rc=$?
  out=$(<"$err")
  rm -f "$err"
  if [ "$rc" -ne 0 ]; then
    could_not "$what" "$out"
    exit "$rc"
  fi
  if [ -n "$out" ]; then printf '%s\n' "$out" >&2; fi
}
