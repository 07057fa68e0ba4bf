#!/bin/sh
# Runs on the node's host (chroot /host) in the guard pod. Drops the host's TCP traffic to the
# metadata server (169.254.169.254, and fd20:ce::254 for IPv6) in the raw table, ahead of NAT and
# connection tracking, so established flows stop too. Port 53 stays open: on GKE the metadata
# server is also the node's DNS resolver, and the kubelet still resolves registries to pull images.
# Each rule carries the comment "$MARK" (quarantine-<id>), so metadata-unblock.sh removes exactly
# this incident's rules. Prints one "metadata: …" line per rule; never fails.
set -u
block() {
  bin=$1 dst=$2 chain=$3
  if ! command -v "$bin" >/dev/null 2>&1; then
    echo "metadata: not blocked for $dst in raw $chain: no $bin on the node"
    return 0
  fi
  if "$bin" -w 5 -t raw -C "$chain" -d "$dst" -p tcp ! --dport 53 -m comment --comment "$MARK" -j DROP 2>/dev/null; then
    echo "metadata: blocked for $dst in raw $chain (already in place)"
  elif err=$("$bin" -w 5 -t raw -I "$chain" -d "$dst" -p tcp ! --dport 53 -m comment --comment "$MARK" -j DROP 2>&1); then
    echo "metadata: blocked for $dst in raw $chain"
  else
    echo "metadata: not blocked for $dst in raw $chain: $err" | head -c 300
    echo
  fi
}
# OUTPUT: the host's own processes. PREROUTING: what pods send through the host's stack.
for chain in OUTPUT PREROUTING; do
  block iptables 169.254.169.254/32 "$chain"
  block ip6tables fd20:ce::254/128 "$chain"
done
