#!/usr/bin/env bash
set -euo pipefail
# shellcheck source=lib/gcloud.sh
. "$QUARANTINE_LIB/gcloud.sh"

# gone_ok: re-run after delete-node deleted the VM, there is nothing left to protect.
gone_ok "turn deletion protection on for VM $INSTANCE" gcloud compute instances update --deletion-protection --zone "$ZONE" --project "$PROJECT" -- "$INSTANCE"
echo "deletion protection on"
