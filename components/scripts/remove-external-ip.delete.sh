#!/usr/bin/env bash
set -euo pipefail
# shellcheck source=lib/gcloud.sh
. "$QUARANTINE_LIB/gcloud.sh"

if ! current=$(gcloud compute instances describe --zone "$ZONE" --project "$PROJECT" --format='value(networkInterfaces[0].accessConfigs[0].name)' -- "$INSTANCE" 2>&1); then
  if grep -q "was not found" <<<"$current"; then
    echo "VM gone; nothing to restore"
    exit 0
  fi
  could_not "read the external IP of VM $INSTANCE" "$current"
  exit 1
fi
if [ -n "$current" ]; then
  echo "external IP already present"
  exit 0
fi
# Another incident quarantining the same VM still needs it off the internet: its tag says so.
tags=$(attempt "read the tags of VM $INSTANCE" gcloud compute instances describe --zone "$ZONE" --project "$PROJECT" --format='value(tags.items)' -- "$INSTANCE")
others=$(other_holders "$tags")
if [ -n "$others" ]; then
  echo "another incident still quarantines this VM ($others); external IP not restored"
  exit 0
fi
if ! gcloud compute instances add-access-config --access-config-name external-nat --address "$EXTERNAL_IP" --network-interface nic0 --zone "$ZONE" --project "$PROJECT" -- "$INSTANCE" >&2; then
  echo "could not reclaim $EXTERNAL_IP (ephemeral addresses are released when removed); assigning a new ephemeral one" >&2
  attempt "give VM $INSTANCE a new external IP" gcloud compute instances add-access-config --access-config-name external-nat --network-interface nic0 --zone "$ZONE" --project "$PROJECT" -- "$INSTANCE" >&2
fi
echo "external IP restored"
