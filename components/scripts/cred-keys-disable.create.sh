#!/usr/bin/env bash
set -euo pipefail
# shellcheck source=lib/gcloud.sh
. "$QUARANTINE_LIB/gcloud.sh"

# Disables the service account's user-managed keys ($ONLY_KEY: just that one), recording each it
# disabled (stdout, in state); a key already disabled is left to stay so on destroy. System-managed
# keys can't be disabled and rotate themselves; disabling the account stops them.
if ! rows=$(gcloud iam service-accounts keys list --iam-account "$GSA" --project "$PROJECT" --managed-by=user --format="value(name.basename(),disabled)" 2>&1); then
  could_not "list the keys of $GSA" "$rows"
  exit 1
fi
disabled=0
found=false
while IFS=$'\t' read -r key state; do
  if [ -z "$key" ] || { [ -n "$ONLY_KEY" ] && [ "$key" != "$ONLY_KEY" ]; }; then continue; fi
  found=true
  if [ "$state" = "True" ]; then continue; fi
  attempt "disable key $key of $GSA" gcloud iam service-accounts keys disable "$key" --iam-account "$GSA" --project "$PROJECT" >&2
  printf 'key\t%s\n' "$key"
  disabled=$((disabled + 1))
done <<<"$rows"
if [ -n "$ONLY_KEY" ] && [ "$found" = false ]; then
  could_not "disable key $ONLY_KEY of $GSA" "no user-managed key with that id (gcloud iam service-accounts keys list --iam-account $GSA)"
  exit 1
fi
echo "disabled $disabled keys"
