#!/usr/bin/env bash
set -euo pipefail
# shellcheck source=lib/gcloud.sh
. "$QUARANTINE_LIB/gcloud.sh"

# A deleted key can't be restored or used again (https://cloud.google.com/iam/docs/keys-create-delete#deleting).
gone_ok "delete key $KEY_ID of $GSA" gcloud iam service-accounts keys delete "$KEY_ID" --iam-account "$GSA" --project "$PROJECT"
echo "deleted key $KEY_ID of $GSA"
