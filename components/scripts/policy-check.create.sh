#!/usr/bin/env bash
set -euo pipefail
# shellcheck source=lib/kubectl.sh
. "$QUARANTINE_LIB/kubectl.sh"

open=$(k -n "$NAMESPACE" get networkpolicy -o go-template="$STILL_SELECTING_TEMPLATE")
if [ -n "$open" ]; then
  echo "NetworkPolicy in namespace $NAMESPACE that can select the quarantined pods allows traffic: $open" >&2
  echo "(an empty podSelector selects every pod; DoesNotExist and NotIn select a pod without labels)" >&2
  echo "NetworkPolicies are additive, so the quarantine's deny-all does not hold against it." >&2
  echo "Narrow its podSelector or delete it, then run pulumi up again." >&2
  exit 1
fi
echo "no allowing NetworkPolicy in $NAMESPACE can select the quarantined pods"
