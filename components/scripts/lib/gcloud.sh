#!/usr/bin/env bash
# gone_ok WHAT CMD…: for deletes and re-runs, a gcloud "was not found" means the thing is already
# gone, which is what was wanted; any other failure ends in one line naming WHAT and why, as
# `attempt` does. gcloud's own output goes to stderr: stdout is stored in state.
gone_ok() {
  local what="$1" out
  shift
  if out=$("$@" 2>&1); then
    printf '%s\n' "$out" >&2
    return 0
  fi
  if grep -q "was not found" <<<"$out"; then
    echo "already gone" >&2
    return 0
  fi
  could_not "$what" "$out"
  return 1
}
