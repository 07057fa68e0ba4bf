#!/usr/bin/env bash
set -euo pipefail
# shellcheck source=lib/kubectl.sh
. "$QUARANTINE_LIB/kubectl.sh"
# shellcheck source=lib/capture.sh
. "$QUARANTINE_LIB/capture.sh"
# shellcheck source=lib/secret.sh
. "$QUARANTINE_LIB/secret.sh"

# Seed 003, "Stolen credentials": what the Secret held, before its rotation (which waits for this
# step), as key names and a sha256 of each value: enough to tell later which value an attacker
# used, never the value. Its annotations are left out: kubectl apply's last-applied-configuration
# would hold the values.

# hashes: the Secret's type, version and one "key<TAB>sha256:…" line per key.
hashes() {
  local rows first keys key value sum
  # shellcheck disable=SC2310 # its failure is this function's, handled by capture
  rows=$(secret_rows) || return 1
  first=$(head -n 1 <<<"$rows")
  keys=$(tail -n +2 <<<"$rows")
  printf 'secret\t%s/%s\nresourceVersion\t%s\ntype\t%s\n' "$NAMESPACE" "$NAME" "${first%%$'\t'*}" "${first#*$'\t'}"
  while IFS=$'\t' read -r key value; do
    if [ -z "$key" ]; then continue; fi
    # shellcheck disable=SC2310 # checked here: a value that is not base64 fails the record
    sum=$(sha256_of "$value") || return 1
    printf '%s\tsha256:%s\n' "$key" "$sum"
  done <<<"$keys"
}

capture hashes.txt "the key names of secret $NAMESPACE/$NAME and a sha256 of each value (not the values)" hashes
