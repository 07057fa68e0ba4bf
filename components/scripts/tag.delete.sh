#!/usr/bin/env bash
set -euo pipefail
# shellcheck source=lib/gcloud.sh
. "$QUARANTINE_LIB/gcloud.sh"

gone_ok "remove tag $TAG from VM $INSTANCE" gcloud compute instances remove-tags --tags "$TAG" --zone "$ZONE" --project "$PROJECT" -- "$INSTANCE"
echo "untagged"
