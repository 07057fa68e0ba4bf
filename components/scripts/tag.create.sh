#!/usr/bin/env bash
set -euo pipefail

attempt "tag VM $INSTANCE with $TAG" gcloud compute instances add-tags --tags "$TAG" --zone "$ZONE" --project "$PROJECT" -- "$INSTANCE" >&2
echo "tagged"
