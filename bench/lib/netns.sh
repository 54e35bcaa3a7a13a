# Shared by the bench runners that build a two-host LAN out of two network namespaces joined by a
# veth pair (source it; bash only; needs root). Each runner adds only what differs: addresses,
# routes, sysctls. Usage:
#   netns_pair TAG; trap '...; netns_remove' EXIT; netns_veth IFNAME

# netns_pair TAG: sets ns_a and ns_b, named as the test harness names them (p2p-PID-TAG-SIDE), so
# its sweeper removes them if the runner is ever killed before its trap runs.
netns_pair() {
  ns_a="p2p-$$-$1-a"
  ns_b="p2p-$$-$1-b"
}

# netns_veth IFNAME: makes both namespaces, joined by a veth pair named IFNAME on both sides, with
# loopback up. The veth ends stay down until the caller has set their addresses.
netns_veth() {
  ip netns add "$ns_a"
  ip netns add "$ns_b"
  ip link add "$1" netns "$ns_a" type veth peer name "$1" netns "$ns_b"
  ip -n "$ns_a" link set lo up
  ip -n "$ns_b" link set lo up
}

# netns_remove: for the EXIT trap. Whatever still runs inside a namespace goes with it.
netns_remove() {
  local ns
  for ns in "$ns_a" "$ns_b"; do
    if ip netns list | grep -qw "$ns"; then
      ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true
      ip netns del "$ns" 2>/dev/null || true
    fi
  done
}
