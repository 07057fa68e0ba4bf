#!/usr/bin/env bash
# audit_trail: the principal's Cloud Logging entries ($AUDIT_FILTER) over the last $AUDIT_DAYS
# days, oldest first, with explicit time bounds (GNU date, else BSD date on a responder's Mac):
# without a timestamp in the filter, gcloud logging read looks back one day only.
audit_trail() {
  local end start
  end=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  start=$(date -u -d "-$AUDIT_DAYS days" +%Y-%m-%dT%H:%M:%SZ 2>/dev/null || date -u -v "-${AUDIT_DAYS}d" +%Y-%m-%dT%H:%M:%SZ)
  gcloud logging read "($AUDIT_FILTER) AND timestamp>=\"$start\" AND timestamp<=\"$end\"" --project "$PROJECT" --order=asc --limit="$AUDIT_LIMIT" --format=json
}

# project_roles: the roles $PROJECT_MEMBER (user:…, serviceAccount:…) holds on the project itself.
project_roles() {
  gcloud projects get-iam-policy "$PROJECT" --flatten="bindings[].members" --filter="bindings.members=\"$PROJECT_MEMBER\"" --format="value(bindings.role)"
}
