# Sourced by the sweep's raw-socket kernel checks (ack-unsent.sh,
# fin-wait-2-in-window.sh): what both need, written once.
#
# raw_pair_up NAME: namespaces tl-NAME-a (10.9.0.1, the client's) and
# tl-NAME-b (10.9.0.2, the server's) joined by a veth pair, tcpdump on the
# client's side writing to $OUT, and an exit trap that kills $TD, $SV, $CL
# and removes the namespaces and $OUT.  Sets A, B, OUT and TD.
raw_pair_up () {
  A=tl-$1-a; B=tl-$1-b; OUT=$(mktemp)
  trap 'kill $TD $SV $CL 2>/dev/null; ip netns del $A 2>/dev/null; ip netns del $B 2>/dev/null; rm -f $OUT' EXIT
  ip netns add $A; ip netns add $B
  ip link add tl-$1a netns $A type veth peer name tl-$1b netns $B
  ip -n $A addr add 10.9.0.1/24 dev tl-$1a; ip -n $B addr add 10.9.0.2/24 dev tl-$1b
  ip -n $A link set tl-$1a up; ip -n $B link set tl-$1b up
  ip netns exec $A tcpdump -i tl-$1a -nn -S -l -U tcp > $OUT 2>/dev/null & TD=$!
  sleep 1
}

# raw_segment SEQ ACK FLAGS WINDOW: one bare TCP segment (no options, no
# data) from 10.9.0.1:5000 to 10.9.0.2:80, made on a raw socket in $A.
raw_segment () {
  ip netns exec $A python3 - "$@" <<'PY'
import socket, struct, sys
seq, ack, flags, window = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3], 0), int(sys.argv[4])
src, dst = socket.inet_aton("10.9.0.1"), socket.inet_aton("10.9.0.2")
def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff); s += s >> 16
    return ~s & 0xffff
h = struct.pack("!HHIIBBHHH", 5000, 80, seq, ack, 5 << 4, flags, window, 0, 0)
c = csum(src + dst + struct.pack("!BBH", 0, 6, len(h)) + h)
h = h[:16] + struct.pack("!H", c) + h[18:]
socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP).sendto(h, ("10.9.0.2", 0))
PY
}
