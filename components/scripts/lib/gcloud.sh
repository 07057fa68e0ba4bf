#!/usr/bin/env bash
# gone_ok WHAT CMD…: for deletes and re-runs, a gcloud "was not found" means the thing is already
# gone, which is what was wanted; any other failure ends in one line naming WHAT and why, as
# `attempt` does. gcloud's own output goes to stderr: stdout is stored in state.
# other_holders TAGS: other incidents' isolation tags among a VM's network tags (gcloud's
# `value(tags.items)`, `;`-separated), one per line. This incident's own tag is $TAG; a bastion's
# tag marks the bastion, not a quarantined VM.
other_holders() {
  tr ';' '\n' <<<"$1" | tr ',' '\n' | grep -E '^quarantine-' | grep -v -E -- '-bastion$' | grep -vxF -- "$TAG" || true
}

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
