#!/usr/bin/env bash
set -euo pipefail

# Firewall policies are evaluated before the VPC firewall rules that hold the quarantine: every
# hierarchical (organization, folder) policy first, and an `allow` there ends evaluation, so it
# beats the incident's priority-0 deny; a network firewall policy comes before the VPC rules too
# when the network's enforcement order is BEFORE_CLASSIC_FIREWALL, and Google-managed system
# policies right after the hierarchical ones
# (https://cloud.google.com/firewall/docs/firewall-policies-rule-eval-order). This reads the VM's
# effective firewalls, per network interface, and reports every enabled policy rule whose action
# is `allow` and that applies to the VM (no target, or a target naming its network or service
# account; secure-tag targets aren't in gcloud's listing and count as applying). `goto_next`
# hands on to the next level and `deny` denies, so neither is reported. A check reports and
# never holds containment up, so it exits 0 whatever it finds:
#   open: …       a rule that lets traffic to or from the VM past the quarantine's deny rules
#   unchecked: …  a read that failed
#   clear: …      no such rule
# gcloud flattens the policies into one row per rule for any format but json (type,
# firewall_policy_name, priority, direction, action, disabled, ip_ranges, target_svc_acct,
# target_resources, rule_type); the rule's protocols and ports are only in --format=json.
if ! vm=$(gcloud compute instances describe --zone "$ZONE" --project "$PROJECT" --format='value[separator="|"](networkInterfaces[].name.list(),networkInterfaces[].network.basename().list(),serviceAccounts[].email.list())' -- "$INSTANCE" 2>&1); then
  echo "unchecked: the network interfaces of VM $INSTANCE could not be read (${vm:0:200}); check its firewall policies by hand (network-interfaces get-effective-firewalls)"
  exit 0
fi
IFS='|' read -r nic_list network_list accounts <<<"$vm"
IFS=',' read -r -a nics <<<"$nic_list"
IFS=',' read -r -a networks <<<"$network_list"
opened=0
unread=0
for i in "${!nics[@]}"; do
  nic=${nics[$i]}
  network=${networks[$i]:-}
  if ! rows=$(gcloud compute instances network-interfaces get-effective-firewalls "$INSTANCE" --zone "$ZONE" --project "$PROJECT" --network-interface "$nic" --format='value[separator="|"](type,firewall_policy_name,priority,direction,action,disabled,ip_ranges.list(),target_svc_acct.list(),target_resources.list(),rule_type)' 2>&1); then
    unread=$((unread + 1))
    echo "unchecked: the effective firewalls of VM $INSTANCE interface $nic could not be read (${rows:0:200}); check its hierarchical and network firewall policies by hand"
    continue
  fi
  while IFS='|' read -r type policy priority direction action disabled ranges targets resources rule_type; do
    case "$type" in
      org-firewall | network-firewall-policy | network-regional-firewall-policy | system-network-firewall-policy | system-network-regional-firewall-policy) ;;
      *) continue ;; # the VPC rules themselves (network-firewall), evaluated after
    esac
    if [ "$action" != "ALLOW" ] || [ "$disabled" = "True" ] || [ "$rule_type" = "PACKET_MIRRORING_RULE" ]; then continue; fi
    applies=true
    if [ -n "$targets" ]; then
      applies=false
      IFS=',' read -r -a mine <<<"$accounts"
      for a in "${mine[@]}"; do
        if [[ ",$targets," == *",$a,"* ]]; then applies=true; fi
      done
    fi
    if [ -n "$resources" ] && [[ ",$resources," != *"/networks/$network,"* ]]; then applies=false; fi
    if [ "$applies" = "false" ]; then continue; fi
    opened=$((opened + 1))
    case "$type" in
      org-firewall) what="hierarchical firewall policy $policy" when="hierarchical policies are evaluated before every VPC rule and an allow ends evaluation" ;;
      system-*) what="system firewall policy $policy" when="system policies are evaluated right after the hierarchical ones, before every VPC rule" ;;
      *) what="network firewall policy $policy" when="network policies are evaluated before the VPC rules when the network's enforcement order is BEFORE_CLASSIC_FIREWALL (see networkFirewallPolicyEnforcementOrder of network $network)" ;;
    esac
    if [ "$direction" = "EGRESS" ]; then dir="egress to ${ranges:-any destination}"; else dir="ingress from ${ranges:-any source}"; fi
    echo "open: $what rule priority $priority allows $dir for VM $INSTANCE (interface $nic${targets:+, targets $targets}): $when, so the quarantine's deny rules do not hold against it; change the rule to deny or goto_next for the isolation tag, or ask whoever owns the policy, then run pulumi up again (its protocols and ports: network-interfaces get-effective-firewalls --format=json)"
  done <<<"$rows"
done
if [ "$opened" -eq 0 ] && [ "$unread" -eq 0 ]; then echo "clear: no hierarchical, network or system firewall policy rule allows traffic to or from VM $INSTANCE"; fi
