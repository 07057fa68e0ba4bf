#!/usr/bin/env bash
# gone_ok CMD…: for deletes and re-runs, a gcloud "was not found" means the thing is already
# gone, which is what was wanted. gcloud's own output goes to stderr: stdout is stored in state.
gone_ok() {
  local out
  if out=$("$@" 2>&1); then
    printf '%s\n' "$out" >&2
    return 0
  fi
  if grep -q "was not found" <<<"$out"; then
    echo "already gone" >&2
    return 0
  fi
  printf '%s\n' "$out" >&2
  return 1
}
