#!/bin/sh
# Runs on the node's host (chroot /host) in the guard pod: removes every rule metadata-block.sh
# added for this incident (comment "$MARK"), however many runs added one, and nothing else.
# Prints one "metadata: …" line per chain.
set -u
unblock() {
  bin=$1 dst=$2 chain=$3
  command -v "$bin" >/dev/null 2>&1 || return 0
  n=0
  while "$bin" -w 5 -t raw -D "$chain" -d "$dst" -p tcp ! --dport 53 -m comment --comment "$MARK" -j DROP 2>/dev/null; do
    n=$((n + 1))
  done
  echo "metadata: unblocked for $dst in raw $chain ($n rule(s) removed)"
}
for chain in OUTPUT PREROUTING; do
  unblock iptables 169.254.169.254/32 "$chain"
  unblock ip6tables fd20:ce::254/128 "$chain"
done
