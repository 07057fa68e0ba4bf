#!/usr/bin/env bash
set -euo pipefail

# A check reports; it never holds containment up, so it exits 0 whatever it finds. Its stdout
# (state, and the stack's isolationFindings output) has one line per finding:
#   open: … a policy that defeats the deny-all (isolation-verdict fails the update at its end)
#   dns:  … a policy that still lets the pod reach DNS on port 53 only (an exfiltration channel)
# kubectl directly: in an `if` bash turns `set -e` off inside a function.
if ! found=$(kubectl --context "$CONTEXT" -n "$NAMESPACE" get networkpolicy --request-timeout=20s -o go-template="$STILL_SELECTING_TEMPLATE" 2>&1); then
  echo "unchecked: the NetworkPolicies of namespace $NAMESPACE could not be read (${found:0:200}); check them by hand"
  exit 0
fi
findings=0
while read -r name rules; do
  if [ -z "$name" ]; then continue; fi
  findings=$((findings + 1))
  ingress=false
  dns_only=true
  ports=()
  for r in $rules; do
    case "$r" in
      ingress) ingress=true ;;
      egress=*)
        IFS=',' read -r -a each <<<"${r#egress=}"
        for p in "${each[@]}"; do
          ports+=("$p")
          case "$p" in
            UDP/53 | TCP/53) ;;
            *) dns_only=false ;;
          esac
        done
        ;;
      *) dns_only=false ;;
    esac
  done
  allowed=$(printf '%s, ' "${ports[@]}")
  if [ "$ingress" = "false" ] && [ "$dns_only" = "true" ]; then
    echo "dns: the quarantined pods in $NAMESPACE can still reach DNS on ${allowed%, } through NetworkPolicy $name (DNS is an exfiltration channel): narrow its podSelector so it does not select pods without labels, or accept the channel"
  else
    what="egress to ${allowed%, }"
    if [ ${#ports[@]} -eq 0 ]; then what="ingress"; elif [ "$ingress" = "true" ]; then what="ingress and $what"; fi
    echo "open: NetworkPolicy $NAMESPACE/$name can select the quarantined pods and allows $what: NetworkPolicies are additive, so the deny-all does not hold against it; narrow its podSelector or delete it, then run pulumi up again"
  fi
done <<<"$found"
if [ "$findings" -eq 0 ]; then echo "clear: no allowing NetworkPolicy in $NAMESPACE can select the quarantined pods"; fi
