#!/usr/bin/env bash
set -euo pipefail

# A read for discovery, as pod-exists.read.sh: does the remembered node still exist? Prints
# `node/<name>`, or nothing. A node that an earlier, failed update deleted (delete-node) must not
# fail every later update's read. An API error fails the read.
kubectl --context "$CONTEXT" get node --ignore-not-found --request-timeout=20s -o name -- "$NODE"
