#!/usr/bin/env bash
set -euo pipefail
# shellcheck source=lib/gcloud.sh
. "$QUARANTINE_LIB/gcloud.sh"

# A disabled service account can't authenticate, and its existing access tokens are rejected
# (https://cloud.google.com/iam/docs/service-accounts-disable-enable). Whether it was enabled
# before is this step's record (stdout, in state): destroy enables only an account it disabled.
if ! was=$(gcloud iam service-accounts describe "$GSA" --project "$PROJECT" --format='value(disabled)' 2>&1); then
  could_not "read service account $GSA" "$was"
  exit 1
fi
if [ "$was" = "True" ]; then
  echo "was disabled: left disabled"
  exit 0
fi
attempt "disable service account $GSA" gcloud iam service-accounts disable "$GSA" --project "$PROJECT" >&2
echo "was enabled: disabled"
