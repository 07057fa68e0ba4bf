#!/usr/bin/env bash
set -euo pipefail
# shellcheck source=lib/gcloud.sh
. "$QUARANTINE_LIB/gcloud.sh"

# Removes every unconditional roles/iam.workloadIdentityUser binding on the service account: no
# Kubernetes service account can act as it through Workload Identity any more. The members
# removed are this step's record (stdout, in state), restored on destroy. A conditional binding
# is left and reported: re-adding it needs its condition, and the disabled account mints no
# token for anyone in the meantime.
role=roles/iam.workloadIdentityUser
if ! rows=$(gcloud iam service-accounts get-iam-policy "$GSA" --project "$PROJECT" --flatten="bindings[].members" \
  --filter="bindings.role=$role" --format="value(bindings.members,bindings.condition.expression)" 2>&1); then
  could_not "read the IAM policy of $GSA" "$rows"
  exit 1
fi
removed=0
while IFS=$'\t' read -r member condition; do
  if [ -z "$member" ]; then continue; fi
  if [ -n "$condition" ]; then
    echo "left conditional binding of $member (condition: $condition)"
    continue
  fi
  attempt "remove $member from $role on $GSA" gcloud iam service-accounts remove-iam-policy-binding "$GSA" \
    --project "$PROJECT" --member="$member" --role="$role" --condition=None --format=none >&2
  printf 'member\t%s\n' "$member"
  removed=$((removed + 1))
done <<<"$rows"
echo "removed $removed Workload Identity bindings"
