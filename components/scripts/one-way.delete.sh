#!/usr/bin/env bash
set -euo pipefail

# A one-way step's delete still runs, to say in the destroy log what stays as it is.
echo "one-way step, nothing to undo: $QUARANTINE_STEP" >&2
