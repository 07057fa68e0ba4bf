#!/usr/bin/env bash
set -euo pipefail
# shellcheck source=lib/gcloud.sh
. "$QUARANTINE_LIB/gcloud.sh"

# Adds back each member the create removed, from its record in state.
role=roles/iam.workloadIdentityUser
# `]` first and `-` last: the only places a bracket expression takes them literally.
valid='^(serviceAccount|principal|principalSet|user|group):[]A-Za-z0-9.@_/:[-]+$'
restored=0
while IFS= read -r line; do
  case "$line" in
    "member"$'\t'*) member="${line#member$'\t'}" ;;
    *) continue ;;
  esac
  if ! [[ "$member" =~ $valid ]]; then
    echo "skipped a recorded line that is not a member: $member" >&2
    continue
  fi
  gone_ok "add $member back to $role on $GSA" gcloud iam service-accounts add-iam-policy-binding "$GSA" \
    --project "$PROJECT" --member="$member" --role="$role" --condition=None --format=none
  restored=$((restored + 1))
done <<<"${PULUMI_COMMAND_STDOUT:-}"
echo "restored $restored Workload Identity bindings"
