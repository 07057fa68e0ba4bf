#!/usr/bin/env bash
set -euo pipefail
# shellcheck source=lib/gcloud.sh
. "$QUARANTINE_LIB/gcloud.sh"

# The generic tag of a readiness stack (GENERIC_TAG) isolates the VM for every incident that uses
# it: it goes only when no other incident's tag is on the VM. Two destroys at once may both leave
# it, which keeps the VM isolated: the safe side.
remove="$TAG"
if [ -n "${GENERIC_TAG:-}" ]; then
  if ! tags=$(gcloud compute instances describe --zone "$ZONE" --project "$PROJECT" --format='value(tags.items)' -- "$INSTANCE" 2>&1); then
    if grep -q "was not found" <<<"$tags"; then
      echo "VM gone; nothing to untag"
      exit 0
    fi
    could_not "read the tags of VM $INSTANCE" "$tags"
    exit 1
  fi
  others=$(other_holders "$tags")
  if [ -z "$others" ]; then
    remove="$TAG,$GENERIC_TAG"
  else
    echo "another incident still quarantines this VM (${others//$'\n'/ }): $GENERIC_TAG stays" >&2
  fi
fi
gone_ok "remove tag $remove from VM $INSTANCE" gcloud compute instances remove-tags --tags "$remove" --zone "$ZONE" --project "$PROJECT" -- "$INSTANCE"
echo "untagged"
