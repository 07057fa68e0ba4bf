#!/usr/bin/env bash
set -euo pipefail

# Runs last: every containment step, every capture and every escalation step has run before it,
# so failing here holds nothing up. It fails the update when a check found a policy that defeats
# the pods' deny-all or the node's deny rules (a NetworkPolicy, a cluster-wide network policy, a
# firewall policy): the responder must not read a green update as "isolated".
open=$(grep '^open: ' <<<"$FINDINGS" || true)
if [ -n "$open" ]; then
  printf '%s\n' "$open" >&2
  echo "the quarantine does not hold where the open: lines above say (see isolationFindings); every other step, the evidence included, has run" >&2
  exit 1
fi
if grep -q '^dns: ' <<<"$FINDINGS"; then
  echo "pods isolated but for DNS (see isolationFindings)"
else
  echo "pods isolated"
fi
