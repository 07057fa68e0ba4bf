#!/usr/bin/env bash
# Label selectors, evaluated the way the API server and Calico do, against a label set given as
# space-separated `key=value` words (neither label keys nor values can contain a space or `=`).

# label_of KEY LABELS: prints KEY's value and returns 0 when LABELS has KEY; returns 1 otherwise.
label_of() {
  local kv
  local -a all
  read -r -a all <<<"$2"
  for kv in "${all[@]}"; do
    if [ "${kv%%=*}" = "$1" ]; then
      printf '%s' "${kv#*=}"
      return 0
    fi
  done
  return 1
}

# selects SELECTOR LABELS [cilium]: 0 when the Kubernetes LabelSelector, printed by the
# templates of components/clusterPolicies.ts as `{k=v;k|Op|v1,v2;}`, selects LABELS; 1 when it
# does not. `-` selects nothing. With `cilium`, a key's source prefix (`k8s:`, `any:`) is dropped,
# another source (`reserved:`, `cidr:`) never names a pod label, and the cluster-name label,
# which this check can't know, is taken to match.
selects() {
  local sel="$1" labels="$2" mode="${3:-}" term key op vals value present v hit
  local -a terms values
  if [ "$sel" = "-" ]; then return 1; fi
  sel=${sel#\{}
  sel=${sel%\}}
  IFS=';' read -r -a terms <<<"$sel"
  for term in "${terms[@]}"; do
    if [ -z "$term" ]; then continue; fi
    if [[ "$term" == *"|"* ]]; then
      key=${term%%|*}
      op=${term#*|}
      vals=${op#*|}
      op=${op%%|*}
    else
      key=${term%%=*}
      op=In
      vals=${term#*=}
    fi
    if [ "$mode" = "cilium" ]; then
      key=${key#k8s:}
      key=${key#any:}
      if [[ "$key" == *:* ]]; then return 1; fi
      if [ "$key" = "io.cilium.k8s.policy.cluster" ]; then continue; fi
    fi
    present=true
    value=$(label_of "$key" "$labels") || present=false
    IFS=',' read -r -a values <<<"$vals"
    hit=false
    for v in "${values[@]}"; do
      if [ "$present" = "true" ] && [ "$v" = "$value" ]; then hit=true; fi
    done
    case "$op" in
      In) if [ "$hit" = "false" ]; then return 1; fi ;;
      NotIn) if [ "$hit" = "true" ]; then return 1; fi ;;
      Exists) if [ "$present" = "false" ]; then return 1; fi ;;
      DoesNotExist) if [ "$present" = "true" ]; then return 1; fi ;;
      *) return 1 ;;
    esac
  done
  return 0
}

# calico_selects EXPRESSION LABELS: 0 when the Calico selector selects LABELS, 1 when it does
# not, 2 when it is more than this reads: `&&`-joined `all()`, `has(k)`, `!has(k)`, `k == 'v'`,
# `k != 'v'`, `k in {'a', 'b'}`, `k not in {…}` (https://docs.tigera.io/calico/latest/reference/resources/networkpolicy#selectors).
# An empty selector is `all()`.
calico_selects() {
  local expr="$1" labels="$2" term key value present want v hit
  local -a terms wanted
  local re_has='^(!)?[[:space:]]*has\(([^()]+)\)$'
  local re_eq="^([A-Za-z0-9_./-]+)[[:space:]]*(==|!=)[[:space:]]*['\"]([^'\"]*)['\"]$"
  local re_in="^([A-Za-z0-9_./-]+)[[:space:]]+(in|not in)[[:space:]]*\{([^{}]*)\}$"
  if [[ "$expr" == *"||"* ]]; then return 2; fi
  expr=${expr//&&/$'\n'}
  mapfile -t terms <<<"$expr"
  for term in "${terms[@]}"; do
    term=$(sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' <<<"$term")
    if [ -z "$term" ] || [ "$term" = "all()" ]; then continue; fi
    if [[ "$term" =~ $re_has ]]; then
      present=true
      label_of "${BASH_REMATCH[2]// /}" "$labels" >/dev/null || present=false
      if [ -n "${BASH_REMATCH[1]}" ]; then want=false; else want=true; fi
      if [ "$present" != "$want" ]; then return 1; fi
    elif [[ "$term" =~ $re_eq ]]; then
      key=${BASH_REMATCH[1]}
      want=${BASH_REMATCH[3]}
      hit=false
      if value=$(label_of "$key" "$labels") && [ "$value" = "$want" ]; then hit=true; fi
      if [ "${BASH_REMATCH[2]}" = "==" ] && [ "$hit" = "false" ]; then return 1; fi
      if [ "${BASH_REMATCH[2]}" = "!=" ] && [ "$hit" = "true" ]; then return 1; fi
    elif [[ "$term" =~ $re_in ]]; then
      key=${BASH_REMATCH[1]}
      local op=${BASH_REMATCH[2]}
      IFS=',' read -r -a wanted <<<"${BASH_REMATCH[3]//[\'\" ]/}"
      hit=false
      if value=$(label_of "$key" "$labels"); then
        for v in "${wanted[@]}"; do
          if [ "$v" = "$value" ]; then hit=true; fi
        done
      fi
      if [ "$op" = "in" ] && [ "$hit" = "false" ]; then return 1; fi
      if [ "$op" = "not in" ] && [ "$hit" = "true" ]; then return 1; fi
    else
      return 2
    fi
  done
  return 0
}
