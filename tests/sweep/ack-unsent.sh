#!/bin/bash
# The sweep's kernel check of an ACK of data never sent (ack = snd_nxt +
# 1000), which no lesson can make: as root, two network namespaces, the
# server in ESTABLISHED (argument est, the default) or CLOSE_WAIT (cw: the
# client shut down), and a bare ACK made with a raw socket from the client's
# port at the server's rcv_nxt.  Prints the capture.
# Seen on Linux 6.18: the server answers with an ACK in both states.
set -e
MODE=${1:-est}
. "$(dirname "$0")/raw-pair.sh"
raw_pair_up au
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
raw_segment $SEQ $ACK 0x10 63
sleep 0.8
kill $TD; sleep 0.2
echo "--- capture (made ACK seq $SEQ ack $ACK):"; cat $OUT | cut -c1-140
