#!/bin/sh
# shellcheck disable=SC2312 # POSIX sh has no pipefail: a pipeline here is judged by its output
# Runs in the guard pod, in the host's network namespace (hostNetwork), not chrooted: the image's
# conntrack is used when it has one (e.g. nicolaka/netshoot), else the host's. Deletes the
# connection-tracking entries from and to each of the pod's addresses ($IPS, space-separated,
# each checked as an IP address by the program), so that with Calico every later packet of a flow
# established before the deny-all is judged as a new flow, and dropped.
# Prints one "conntrack: …" line per address and direction; never fails.
set -u
if command -v conntrack >/dev/null 2>&1; then
  run() { conntrack "$@"; }
elif [ -x /host/usr/sbin/conntrack ] || [ -x /host/sbin/conntrack ] || [ -x /host/usr/bin/conntrack ]; then
  run() { chroot /host conntrack "$@"; }
else
  echo "conntrack: not flushed: no conntrack in the capture image or on the node; set quarantine:capture.debugImage to an image with conntrack-tools, e.g. nicolaka/netshoot"
  exit 0
fi
flush() {
  ip=$1 dir=$2 word=$3
  case $ip in
    *:*) out=$(run -f ipv6 -D "$dir" "$ip" 2>&1) ;;
    *) out=$(run -D "$dir" "$ip" 2>&1) ;;
  esac
  n=$(printf '%s\n' "$out" | sed -n 's/.* \([0-9][0-9]*\) flow entries have been deleted.*/\1/p' | head -n 1)
  if [ -n "$n" ]; then
    echo "conntrack: $n flow(s) $word $ip flushed"
  else
    why=$(printf '%s' "$out" | tr '\n' ' ' | head -c 200)
    echo "conntrack: not flushed $word $ip: $why"
  fi
}
for ip in $IPS; do
  flush "$ip" -s from
  flush "$ip" -d to
done
