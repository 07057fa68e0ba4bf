#!/usr/bin/env bash
set -euo pipefail
# shellcheck source=lib/selectors.sh
. "$QUARANTINE_LIB/selectors.sh"

# The NetworkPolicy check's question for the policy kinds a NetworkPolicy deny-all can't
# override (why each can, with its documentation: components/clusterPolicies.ts). Each kind is
# read only when its CRD exists on the cluster; a cluster without any prints nothing. A check
# reports and never holds containment up, so it exits 0 whatever it finds:
#   open: …       a policy that selects the quarantined pods and lets traffic through
#   unchecked: …  a kind that could not be read, or a policy whose selector this can't evaluate
#   clear: …      the kinds read, none of which lets the quarantined pods' traffic through
# Selectors are evaluated against the pods' live labels and their namespace's, as the dataplane
# sees them. kubectl directly: in an `if` bash turns `set -e` off inside a function.

if ! pods=$(kubectl --context "$CONTEXT" -n "$NAMESPACE" get pods -l "quarantine/incident=$INCIDENT" --request-timeout=20s -o go-template="$POD_LABELS_TEMPLATE" 2>&1); then
  echo "unchecked: the quarantined pods of namespace $NAMESPACE could not be read (${pods:0:200}); check cluster-wide policies by hand"
  exit 0
fi
# shellcheck disable=SC2016 # a Go template, not shell
if ! ns_labels=$(kubectl --context "$CONTEXT" get namespace --request-timeout=20s -o go-template='{{range $k, $v := .metadata.labels}}{{$k}}={{$v}} {{end}}' -- "$NAMESPACE" 2>&1); then
  echo "unchecked: namespace $NAMESPACE could not be read (${ns_labels:0:200}); check cluster-wide policies by hand"
  exit 0
fi
# The API server sets this label on every namespace (Kubernetes 1.21 and later).
ns_labels="kubernetes.io/metadata.name=$NAMESPACE $ns_labels"

checked=()
reported=0

# evaluate KIND: reads the policy lines in $policies and prints what lets traffic through.
evaluate() {
  local kind="$1" name pod_sel ns_sel what pod sa labels selected undecidable rc_pod rc_ns pod_set ns_set reason l pod_show ns_show
  while IFS=$'\t' read -r name pod_sel ns_sel what; do
    if [ -z "$name" ] || [ -z "${what// /}" ]; then continue; fi
    selected=()
    undecidable=false
    while IFS=$'\t' read -r pod sa labels; do
      if [ -z "$pod" ]; then continue; fi
      rc_pod=0
      rc_ns=0
      # The selectors answer with their status: 0 selects, 1 does not, 2 can't tell.
      case "$kind" in
        GlobalNetworkPolicy)
          pod_set="$labels projectcalico.org/namespace=$NAMESPACE projectcalico.org/orchestrator=k8s projectcalico.org/serviceaccount=$sa"
          ns_set="$ns_labels projectcalico.org/name=$NAMESPACE"
          # shellcheck disable=SC2310
          calico_selects "${pod_sel#@}" "$pod_set" || rc_pod=$?
          # shellcheck disable=SC2310
          calico_selects "${ns_sel#@}" "$ns_set" || rc_ns=$?
          ;;
        CiliumClusterwideNetworkPolicy)
          # Cilium gives every pod its namespace, service account and namespace labels as labels.
          pod_set="$labels io.kubernetes.pod.namespace=$NAMESPACE io.cilium.k8s.policy.serviceaccount=$sa"
          for l in $ns_labels; do pod_set="$pod_set io.cilium.k8s.namespace.labels.$l"; done
          # shellcheck disable=SC2310
          selects "$pod_sel" "$pod_set" cilium || rc_pod=$?
          ;;
        *)
          # shellcheck disable=SC2310
          selects "$pod_sel" "$labels" || rc_pod=$?
          # shellcheck disable=SC2310
          selects "$ns_sel" "$ns_labels" || rc_ns=$?
          ;;
      esac
      if [ "$rc_pod" -eq 2 ] || [ "$rc_ns" -eq 2 ]; then undecidable=true; fi
      if [ "$rc_pod" -eq 0 ] && [ "$rc_ns" -eq 0 ]; then selected+=("$NAMESPACE/$pod"); fi
    done <<<"$pods"
    pod_show=${pod_sel#@}
    ns_show=${ns_sel#@}
    what=${what%"; "}
    what=${what%";"}
    if [ ${#selected[@]} -gt 0 ]; then
      reported=$((reported + 1))
      reason=$(why "$kind")
      echo "open: $kind $name allows ${what//; /, } for pods selected by ${pod_show:-all()} in namespaces ${ns_show:-all()} (here: ${selected[*]}): $reason, so the deny-all does not hold against it; narrow its selector or delete it, then run pulumi up again"
    elif [ "$undecidable" = "true" ]; then
      reported=$((reported + 1))
      echo "unchecked: $kind $name allows ${what//; /, } for pods selected by ${pod_show:-all()} in namespaces ${ns_show:-all()}, a selector this check can't evaluate (only &&-joined all(), has(), ==, !=, in, not in); check by hand whether it selects the quarantined pods in $NAMESPACE"
    fi
  done <<<"$policies"
}

why() {
  case "$1" in
    GlobalNetworkPolicy) echo "a Calico Allow ends policy evaluation and a Pass skips the rest of its tier" ;;
    CiliumClusterwideNetworkPolicy) echo "Cilium policies are allow-lists that add up" ;;
    AdminNetworkPolicy) echo "every AdminNetworkPolicy is evaluated before any NetworkPolicy, and its Allow ends evaluation" ;;
    *) echo "an FQDNNetworkPolicy adds to the NetworkPolicies that select the pod" ;;
  esac
}

# check KIND CRD TEMPLATE: a namespaced kind is read in the pods' namespace (kubectl ignores the
# namespace for a cluster-wide one).
check() {
  local kind="$1" crd="$2" template="$3" found
  if ! found=$(kubectl --context "$CONTEXT" get crd --ignore-not-found -o name --request-timeout=20s -- "$crd" 2>&1); then
    reported=$((reported + 1))
    echo "unchecked: could not tell whether $kind is installed (${found:0:200}); check for $crd by hand"
    return 0
  fi
  if [ -z "$found" ]; then return 0; fi
  if ! policies=$(kubectl --context "$CONTEXT" -n "$NAMESPACE" get "$crd" --request-timeout=20s -o go-template="$template" 2>&1); then
    reported=$((reported + 1))
    echo "unchecked: the ${kind}s could not be read (${policies:0:200}); check them by hand"
    return 0
  fi
  checked+=("$kind")
  evaluate "$kind"
}

policies=""
check GlobalNetworkPolicy globalnetworkpolicies.crd.projectcalico.org "$CALICO_TEMPLATE"
check CiliumClusterwideNetworkPolicy ciliumclusterwidenetworkpolicies.cilium.io "$CILIUM_TEMPLATE"
check AdminNetworkPolicy adminnetworkpolicies.policy.networking.k8s.io "$ANP_TEMPLATE"
check FQDNNetworkPolicy fqdnnetworkpolicies.networking.gke.io "$FQDN_TEMPLATE"
if [ "$reported" -eq 0 ] && [ ${#checked[@]} -gt 0 ]; then
  echo "clear: no ${checked[*]} lets the quarantined pods in $NAMESPACE through"
fi
