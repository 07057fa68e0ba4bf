#!/usr/bin/env bash
set -euo pipefail
# shellcheck source=lib/gcloud.sh
. "$QUARANTINE_LIB/gcloud.sh"

# Enables again each key the create disabled, from its record in state; a deleted key stays gone.
enabled=0
while IFS= read -r line; do
  case "$line" in
    "key"$'\t'*) key="${line#key$'\t'}" ;;
    *) continue ;;
  esac
  if ! [[ "$key" =~ ^[0-9a-f]{40}$ ]]; then
    echo "skipped a recorded line that is not a key id: $key" >&2
    continue
  fi
  gone_ok "enable key $key of $GSA" gcloud iam service-accounts keys enable "$key" --iam-account "$GSA" --project "$PROJECT"
  enabled=$((enabled + 1))
done <<<"${PULUMI_COMMAND_STDOUT:-}"
echo "enabled $enabled keys"
