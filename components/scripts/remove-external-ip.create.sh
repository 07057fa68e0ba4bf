#!/usr/bin/env bash
set -euo pipefail

name=$(attempt "read the external IP of VM $INSTANCE" gcloud compute instances describe --zone "$ZONE" --project "$PROJECT" --format='value(networkInterfaces[0].accessConfigs[0].name)' -- "$INSTANCE")
if [ -z "$name" ]; then
  echo "no external IP"
  exit 0
fi
attempt "remove the external IP of VM $INSTANCE" gcloud compute instances delete-access-config --access-config-name "$name" --network-interface nic0 --zone "$ZONE" --project "$PROJECT" -- "$INSTANCE" >&2
echo "external IP removed"
