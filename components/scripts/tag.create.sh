#!/usr/bin/env bash
set -euo pipefail

# shellcheck disable=SC2153 # TAG and TAGS are both the environment's
# TAGS, when set, is the incident's tag and a readiness stack's generic one: one setTags for both.
# Each form names its variable outright, so the policy pack reads which tags are added.
if [ -n "${TAGS:-}" ]; then
  attempt "tag VM $INSTANCE with $TAGS" gcloud compute instances add-tags --tags "$TAGS" --zone "$ZONE" --project "$PROJECT" -- "$INSTANCE" >&2
else
  attempt "tag VM $INSTANCE with $TAG" gcloud compute instances add-tags --tags "$TAG" --zone "$ZONE" --project "$PROJECT" -- "$INSTANCE" >&2
fi
echo "tagged"
