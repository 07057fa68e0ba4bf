#!/usr/bin/env bash
set -euo pipefail
# shellcheck source=lib/gcloud.sh
. "$QUARANTINE_LIB/gcloud.sh"

# Deletion protection was turned on by the quarantine; it has to come off for the delete.
gone_ok "turn deletion protection off on VM $INSTANCE" gcloud compute instances update --no-deletion-protection --zone "$ZONE" --project "$PROJECT" -- "$INSTANCE"
gone_ok "delete VM $INSTANCE" gcloud compute instances delete --zone "$ZONE" --project "$PROJECT" --quiet -- "$INSTANCE"
echo "VM deleted"
