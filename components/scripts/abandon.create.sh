#!/usr/bin/env bash
set -euo pipefail

scope="--$MIG_SCOPE"
members=$(attempt "list the members of instance group $MIG" gcloud compute instance-groups managed list-instances "$MIG" "$scope" "$MIG_LOCATION" --project "$PROJECT" --format='value(instance.basename())')
if printf '%s\n' "$members" | grep -qxF -- "$INSTANCE"; then
  attempt "abandon VM $INSTANCE from instance group $MIG" gcloud compute instance-groups managed abandon-instances "$MIG" --instances="$INSTANCE" "$scope" "$MIG_LOCATION" --project "$PROJECT" >&2
  echo "abandoned"
else
  echo "not in the group (already abandoned)"
fi
