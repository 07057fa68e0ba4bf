#!/usr/bin/env bash
set -euo pipefail
# shellcheck source=lib/kubectl.sh
. "$QUARANTINE_LIB/kubectl.sh"
# shellcheck source=lib/cred.sh
. "$QUARANTINE_LIB/cred.sh"
# shellcheck source=lib/cred-restore.sh
. "$QUARANTINE_LIB/cred-restore.sh"

# Puts the principal back into each binding the create removed it from, by the create's own
# record in state (`removed` lines). The subject is $SUBJECT_JSON from the step's environment,
# never text from the record; a binding deleted since, or that names it again, is left as it is.
# The order of a binding's subjects means nothing to RBAC: it is appended.
recorded="${PULUMI_COMMAND_STDOUT:-}"
valid="^(rolebinding|clusterrolebinding)"$'\t'"(-|[a-z0-9]([-a-z0-9]*[a-z0-9])?)"$'\t'"[A-Za-z0-9]([-A-Za-z0-9.:_@]*[A-Za-z0-9])?\$"
restored=0
while IFS= read -r line; do
  case "$line" in
    "removed"$'\t'*) b="${line#removed$'\t'}" ;;
    *) continue ;;
  esac
  if ! [[ "$b" =~ $valid ]]; then
    echo "skipped a recorded line that is not a binding: $b" >&2
    continue
  fi
  IFS=$'\t' read -r res ns name <<<"$b"
  # shellcheck disable=SC2310 # put_back says what failed; the script ends on it
  put_back "$res" "$ns" "$name" || exit 1
  restored=$((restored + 1))
done <<<"$recorded"
echo "restored $PRINCIPAL in $restored bindings"
