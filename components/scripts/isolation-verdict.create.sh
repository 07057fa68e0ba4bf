#!/usr/bin/env bash
set -euo pipefail

# Runs last: every containment step, every capture and every escalation step has run before it,
# so failing here holds nothing up. It fails the update when a NetworkPolicy check found a policy
# that defeats the pods' deny-all: the responder must not read a green update as "isolated".
open=$(grep '^open: ' <<<"$FINDINGS" || true)
if [ -n "$open" ]; then
  printf '%s\n' "$open" >&2
  echo "the quarantined pods' isolation does not hold (see isolationFindings); the node's cut-off and the evidence are in place" >&2
  exit 1
fi
if grep -q '^dns: ' <<<"$FINDINGS"; then
  echo "pods isolated but for DNS (see isolationFindings)"
else
  echo "pods isolated"
fi
