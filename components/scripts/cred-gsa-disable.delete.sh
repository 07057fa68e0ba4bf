#!/usr/bin/env bash
set -euo pipefail
# shellcheck source=lib/gcloud.sh
. "$QUARANTINE_LIB/gcloud.sh"

# Only an account this step disabled is enabled again (its record in state says so).
if ! grep -qx "was enabled: disabled" <<<"${PULUMI_COMMAND_STDOUT:-}"; then
  echo "it was disabled before the incident (or never disabled by it): left as it is"
  exit 0
fi
gone_ok "enable service account $GSA" gcloud iam service-accounts enable "$GSA" --project "$PROJECT"
echo "enabled"
