#!/bin/bash
# The sweep's kernel check of an orphaned FIN_WAIT_2 (Linux's timewait mini
# socket, substate FIN_WAIT2) getting a segment inside its window, which no
# lesson can make (the lab cannot choose a sequence number).  As root: two
# network namespaces, a server that accepts and closes, a client that stays
# in CLOSE_WAIT; then a SYN (FLAGS 0x02, the default) or a RST (0x04) made
# with a raw socket from the client's port at the server's rcv_nxt + 100.
# Prints the server's sockets before and after, and the capture.
# Seen on Linux 6.18: SYN -> RST,ACK (seq 0, ack = the SYN's + 1), the
# FIN-WAIT-2 gone; RST -> nothing sent, the FIN-WAIT-2 gone.  (A RST outside
# the window instead, at seq 100, got an ACK and left it there.)
set -e
FLAGS=${1:-0x02}
. "$(dirname "$0")/raw-pair.sh"
raw_pair_up fw2
ip netns exec $B python3 -c '
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.9.0.2", 80)); s.listen(5)
c, _ = s.accept(); time.sleep(0.3); c.close(); time.sleep(5)' & SV=$!
sleep 0.3
ip netns exec $A python3 -c '
import socket, time
s = socket.socket(); s.bind(("10.9.0.1", 5000)); s.connect(("10.9.0.2", 80)); time.sleep(6)' & CL=$!
sleep 1.2
echo "--- server before:"; ip netns exec $B ss -tan state fin-wait-2
for i in $(seq 30); do
  RCV_NXT=$(sed -n 's/.*10.9.0.2.80 > 10.9.0.1.5000: Flags \[F.*ack \([0-9]*\),.*/\1/p' $OUT | head -1)
  [ -n "$RCV_NXT" ] && break; sleep 0.1
done
[ -n "$RCV_NXT" ] || { echo "no FIN from the server seen" >&2; exit 1; }
raw_segment $(( (RCV_NXT + 100) % 4294967296 )) 0 $FLAGS 64240
sleep 0.3
echo "--- server after:"; ip netns exec $B ss -tan state fin-wait-2
kill $TD; sleep 0.2
echo "--- capture (made segment at rcv_nxt $RCV_NXT + 100):"; cat $OUT
