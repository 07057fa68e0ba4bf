#!/usr/bin/env bash
# First in every command script (after its header): fail on any error, unset variable or failed
# pipe stage, and never let gcloud stop to ask a question nobody is there to answer.
set -euo pipefail
export CLOUDSDK_CORE_DISABLE_PROMPTS=1
