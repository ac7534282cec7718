#!/bin/bash
# The sweep's kernel check of an ACK of data never sent (ack = snd_nxt +
# 1000), which no lesson can make: as root, two network namespaces, the
# server in ESTABLISHED (argument est, the default) or CLOSE_WAIT (cw: the
# client shut down), and a bare ACK made with a raw socket from the client's
# port at the server's rcv_nxt.  Prints the capture.
# Seen on Linux 6.18: the server answers with an ACK in both states.
set -e
MODE=${1:-est}
A=tl-au-a; B=tl-au-b; OUT=$(mktemp)
trap 'kill $TD $SV $CL 2>/dev/null; ip netns del $A 2>/dev/null; ip netns del $B 2>/dev/null; rm -f $OUT' EXIT
ip netns add $A; ip netns add $B
ip link add tl-aua netns $A type veth peer name tl-aub netns $B
ip -n $A addr add 10.9.0.1/24 dev tl-aua; ip -n $B addr add 10.9.0.2/24 dev tl-aub
ip -n $A link set tl-aua up; ip -n $B link set tl-aub up
ip netns exec $A tcpdump -i tl-aua -nn -S -l -U tcp > $OUT 2>/dev/null & TD=$!
sleep 1
ip netns exec $B python3 -c '
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.9.0.2", 80)); s.listen(5)
c, _ = s.accept(); time.sleep(6)' & SV=$!
sleep 0.8
ip netns exec $A python3 -c '
import socket, time, sys
s = socket.socket(); s.bind(("10.9.0.1", 5000)); s.connect(("10.9.0.2", 80))
if sys.argv[1] == "cw": s.shutdown(socket.SHUT_WR)
time.sleep(6)' $MODE & CL=$!
sleep 1.2
echo "--- server:"; ip netns exec $B ss -tan | grep 5000
SYN=$(sed -n 's/.*10.9.0.1.5000 > 10.9.0.2.80: Flags \[S\], seq \([0-9]*\),.*/\1/p' $OUT | head -1)
SNDNXT=$(sed -n 's/.*10.9.0.2.80 > 10.9.0.1.5000: Flags \[S\.\], seq \([0-9]*\),.*/\1/p' $OUT | head -1)
SEQ=$(( (SYN + 1) % 4294967296 )); ACK=$(( (SNDNXT + 1 + 1000) % 4294967296 ))
[ "$MODE" = cw ] && SEQ=$(( (SYN + 2) % 4294967296 ))   # after the client's FIN
ip netns exec $A python3 - $SEQ $ACK <<'PY'
import socket, struct, sys
seq, ack = int(sys.argv[1]), int(sys.argv[2])
src, dst = socket.inet_aton("10.9.0.1"), socket.inet_aton("10.9.0.2")
def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff); s += s >> 16
    return ~s & 0xffff
h = struct.pack("!HHIIBBHHH", 5000, 80, seq, ack, 5 << 4, 0x10, 63, 0, 0)
c = csum(src + dst + struct.pack("!BBH", 0, 6, len(h)) + h)
h = h[:16] + struct.pack("!H", c) + h[18:]
socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP).sendto(h, ("10.9.0.2", 0))
PY
sleep 0.8
kill $TD; sleep 0.2
echo "--- capture (made ACK seq $SEQ ack $ACK):"; cat $OUT | cut -c1-140
