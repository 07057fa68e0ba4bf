#!/usr/bin/env bash
set -euo pipefail
# shellcheck source=lib/capture.sh
. "$QUARANTINE_LIB/capture.sh"
# shellcheck source=lib/audit.sh
. "$QUARANTINE_LIB/audit.sh"

# Seed 003, "Stolen credentials", for a Google service account (or one of its keys): the account,
# who may act as it, its keys and the Workload Identity bindings on it, and its audit trail,
# recorded before anything is revoked (the revocations wait for this step).

capture service-account.json "the Google service account $GSA" gcloud iam service-accounts describe "$GSA" --project "$PROJECT" --format=json
capture iam-policy.json "IAM policy on $GSA (who may act as it)" gcloud iam service-accounts get-iam-policy "$GSA" --project "$PROJECT" --format=json
capture workload-identity.txt "Workload Identity bindings on $GSA (roles/iam.workloadIdentityUser)" gcloud iam service-accounts get-iam-policy "$GSA" --project "$PROJECT" \
  --flatten="bindings[].members" --filter="bindings.role=roles/iam.workloadIdentityUser" --format="value(bindings.members)"
capture keys.json "keys of $GSA" gcloud iam service-accounts keys list --iam-account "$GSA" --project "$PROJECT" --format=json
capture project-roles.txt "roles $GSA holds on project $PROJECT" project_roles
capture audit.json "audit trail of $PRINCIPAL, last $AUDIT_DAYS days" audit_trail
