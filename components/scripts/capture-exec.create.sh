#!/usr/bin/env bash
set -euo pipefail
# shellcheck source=lib/kubectl.sh
. "$QUARANTINE_LIB/kubectl.sh"
# shellcheck source=lib/capture.sh
. "$QUARANTINE_LIB/capture.sh"

# Optional (touches the live container, seed 003): /etc and per-process /proc entries.
# shellcheck disable=SC2016 # the single-quoted script runs in the container's shell, not here
capture container-fs.tar.gz "archive of /etc and /proc process entries from the container" k -n "$NAMESPACE" exec "pod/$POD" -- sh -c 'tar czf - /etc /proc/[0-9]*/cmdline /proc/[0-9]*/environ /proc/[0-9]*/status /proc/net 2>/dev/null; true'
