#!/usr/bin/env bash
set -euo pipefail
# shellcheck source=lib/gcloud.sh
. "$QUARANTINE_LIB/gcloud.sh"

if [ "$WAS_PROTECTED" = "true" ]; then
  echo "deletion protection was on before the incident; left on"
  exit 0
fi
# Another incident quarantining the same VM still needs it protected: its tag says so.
if ! tags=$(gcloud compute instances describe --zone "$ZONE" --project "$PROJECT" --format='value(tags.items)' -- "$INSTANCE" 2>&1); then
  if grep -q "was not found" <<<"$tags"; then
    echo "VM gone; nothing to unprotect"
    exit 0
  fi
  printf '%s\n' "$tags" >&2
  exit 1
fi
others=$(other_holders "$tags")
if [ -n "$others" ]; then
  echo "another incident still quarantines this VM ($others); deletion protection left on"
  exit 0
fi
gone_ok "turn deletion protection off on VM $INSTANCE" gcloud compute instances update --no-deletion-protection --zone "$ZONE" --project "$PROJECT" -- "$INSTANCE"
echo "deletion protection off"
