#!/usr/bin/env bash
set -euo pipefail

gcloud compute instances add-tags --tags "$TAG" --zone "$ZONE" --project "$PROJECT" -- "$INSTANCE" >&2
echo "tagged"
