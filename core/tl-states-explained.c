/* tl-states-explained.c: the eleven states explained (tl-states-explained.h).
 *
 * The figures are Linux's defaults (the `linux` profile) beside RFC 9293's
 * where they differ; each was checked against lessons/README.md's settings
 * table, which the shipped lessons check against a real kernel.
 */
#include "tl-config.h"

#include "tl-states-explained.h"

/* Marks a string for xgettext; ui/ and app/ translate it when they show it. */
#define N_(text) (text)

#define AO TL_ROLE_ACTIVE_OPENER
#define PO TL_ROLE_PASSIVE_OPENER
#define AC TL_ROLE_ACTIVE_CLOSER
#define PC TL_ROLE_PASSIVE_CLOSER
#define ANY_STATE TL_N_STATES

/* RFC 9293 section 3.3.2, Figure 5, and the transitions the figure leaves
 * out but a real stack takes (section 3.10.7 and Linux's timers). */
static const TlStateEdge edges[] = {
  { TL_STATE_CLOSED, TL_STATE_LISTEN, PO,
    N_("listen() (passive OPEN)") },
  { TL_STATE_LISTEN, TL_STATE_CLOSED, PO,
    N_("close() of the listening socket") },
  { TL_STATE_CLOSED, TL_STATE_SYN_SENT, AO,
    N_("connect() (active OPEN) / snd SYN") },
  { TL_STATE_LISTEN, TL_STATE_SYN_SENT, PO,
    N_("SEND on a listening connection / snd SYN (in the RFC's model only: the sockets API has no such call)") },
  { TL_STATE_SYN_SENT, TL_STATE_CLOSED, AO,
    N_("close(); rcv RST,ACK (ECONNREFUSED); no answer after the SYN retries (ETIMEDOUT)") },
  { TL_STATE_LISTEN, TL_STATE_SYN_RCVD, PO,
    N_("rcv SYN / snd SYN,ACK (a new connection; the listener itself stays in LISTEN)") },
  { TL_STATE_SYN_SENT, TL_STATE_SYN_RCVD, AO,
    N_("rcv SYN without ACK / snd SYN,ACK (simultaneous open)") },
  { TL_STATE_SYN_RCVD, TL_STATE_LISTEN, PO,
    N_("rcv RST, or no ACK after the SYN,ACK retries: the half-open connection is dropped") },
  { TL_STATE_SYN_SENT, TL_STATE_ESTABLISHED, AO,
    N_("rcv SYN,ACK / snd ACK") },
  { TL_STATE_SYN_RCVD, TL_STATE_ESTABLISHED, PO | AO,
    N_("rcv ACK of SYN") },
  { TL_STATE_SYN_RCVD, TL_STATE_FIN_WAIT_1, PO | AC,
    N_("close() / snd FIN") },
  { TL_STATE_ESTABLISHED, TL_STATE_FIN_WAIT_1, AC,
    N_("close() or shutdown() / snd FIN (this side closes first)") },
  { TL_STATE_ESTABLISHED, TL_STATE_CLOSE_WAIT, PC,
    N_("rcv FIN / snd ACK (the peer closed first)") },
  { TL_STATE_FIN_WAIT_1, TL_STATE_FIN_WAIT_2, AC,
    N_("rcv ACK of FIN") },
  { TL_STATE_FIN_WAIT_1, TL_STATE_CLOSING, AC,
    N_("rcv FIN / snd ACK (simultaneous close: our FIN is not yet acknowledged)") },
  { TL_STATE_FIN_WAIT_1, TL_STATE_TIME_WAIT, AC,
    N_("rcv FIN with the ACK of our FIN / snd ACK") },
  { TL_STATE_FIN_WAIT_2, TL_STATE_TIME_WAIT, AC,
    N_("rcv FIN / snd ACK") },
  { TL_STATE_FIN_WAIT_2, TL_STATE_CLOSED, AC,
    N_("Linux only: fin_timeout (60 s) runs out for a connection its program has closed") },
  { TL_STATE_CLOSING, TL_STATE_TIME_WAIT, AC,
    N_("rcv ACK of FIN") },
  { TL_STATE_CLOSE_WAIT, TL_STATE_LAST_ACK, PC,
    N_("close() / snd FIN (the program closes in its turn)") },
  { TL_STATE_LAST_ACK, TL_STATE_CLOSED, PC,
    N_("rcv ACK of FIN") },
  { TL_STATE_TIME_WAIT, TL_STATE_CLOSED, AC,
    N_("timeout = 2 MSL (Linux: 60 s; RFC 9293: 4 min)") },
  { ANY_STATE, TL_STATE_CLOSED, TL_ROLE_ANY,
    N_("from any state: abort() / snd RST; rcv RST; too many retransmissions; keepalive probes unanswered") },
};

static const TlStateExplained states[TL_N_STATES] = {
  [TL_STATE_CLOSED] = {
    TL_STATE_CLOSED, TL_ROLE_ANY,
    N_("No connection at all. CLOSED is where every connection starts and where it ends; "
       "it is a fiction of the diagram, since a connection that is closed no longer exists, "
       "and ss and netstat never show it."),
    N_("Both sides, before the first segment and after the last."),
    N_("Not a wait: nothing happens in CLOSED."),
    N_("Nothing to count. A SYN that reaches a port where nothing listens gets an RST, and "
       "the client sees ECONNREFUSED: check with ss -tln that the program listens, on the "
       "address and port you think."),
    "connection-refused.lesson abort-rst.lesson",
  },
  [TL_STATE_LISTEN] = {
    TL_STATE_LISTEN, PO,
    N_("A server program has called listen() on a port: the socket waits for SYNs. Each SYN "
       "that arrives makes a new connection (in SYN_RCVD); the listening socket itself stays "
       "in LISTEN. It holds two queues: half-open connections (the SYN queue) and connections "
       "that are established but not yet accepted (the accept queue, sized by the backlog)."),
    N_("The passive opener only: the server."),
    N_("As long as the server program keeps its listening socket open: usually as long as it "
       "runs."),
    N_("One per listening port: ss -tln lists them. For a listener, ss shows the accept queue "
       "in Recv-Q and its limit (the backlog) in Send-Q: a Recv-Q at its limit means the "
       "program does not call accept() fast enough and new connections are dropped."),
    "three-way-handshake.lesson connection-refused.lesson syn-flood.lesson",
  },
  [TL_STATE_SYN_SENT] = {
    TL_STATE_SYN_SENT, AO,
    N_("The program has called connect(): a SYN has gone out and the connection waits for the "
       "SYN,ACK. If none comes, the SYN is sent again with a growing timeout."),
    N_("The active opener: the client. In a simultaneous open both sides pass through it."),
    N_("One round trip when the server answers. Unanswered, connect() gives up after the SYN "
       "retries: about two minutes with Linux's defaults (syn_retries 6), then ETIMEDOUT. An "
       "RST,ACK in answer ends it at once with ECONNREFUSED."),
    N_("Many SYN_SENT on one machine: the peers do not answer. The address is unreachable, or "
       "a firewall drops the SYNs silently (filtered; a firewall that rejects answers at once "
       "and the connect fails fast instead), or this machine is scanning or infected and "
       "tries many addresses. Look with ss -tanp state syn-sent: which peers, which program."),
    "lost-syn.lesson connect-timeout.lesson simultaneous-open.lesson",
  },
  [TL_STATE_SYN_RCVD] = {
    TL_STATE_SYN_RCVD, PO,
    N_("A SYN has arrived at a listener and the SYN,ACK has gone back: the connection is "
       "half-open, waiting for the client's ACK, the third segment of the handshake. Linux "
       "keeps it in the listener's SYN queue (ss shows SYN-RECV)."),
    N_("The passive opener: the server. In a simultaneous open both sides pass through it, "
       "from SYN_SENT."),
    N_("One round trip. Without the ACK the SYN,ACK is sent again (Linux: synack_retries 5, "
       "1 + 2 + 4 + 8 + 16 + 32 s) and the half-open connection is dropped after about a "
       "minute."),
    N_("A few are normal. Hundreds from many addresses that never complete: a SYN flood, "
       "made-up source addresses that never send the ACK, filling the SYN queue so that real "
       "clients are turned away. Linux's answer is SYN cookies (net.ipv4.tcp_syncookies = 1, "
       "the default): once the queue is full, the SYN,ACK carries the connection's state in "
       "its sequence number and the server keeps nothing. A larger backlog "
       "(net.ipv4.tcp_max_syn_backlog, net.core.somaxconn and listen()'s argument) and fewer "
       "synack_retries help; count with ss -tan state syn-recv. Many SYN_RCVD from real "
       "clients instead means their ACKs are lost on the way."),
    "three-way-handshake.lesson lost-syn-ack.lesson syn-flood.lesson syn-flood-cookies.lesson",
  },
  [TL_STATE_ESTABLISHED] = {
    TL_STATE_ESTABLISHED, AO | PO,
    N_("The handshake is done: both sides may send data. This is where a connection spends its "
       "life."),
    N_("Both sides."),
    N_("As long as the programs keep the connection: milliseconds for one request, days for a "
       "database connection. TCP itself sends nothing on an idle connection, unless keepalive "
       "is on."),
    N_("Many are normal on a busy server. But an ESTABLISHED may outlive its peer: if the peer "
       "crashed, lost power or a NAT box forgot the connection, no FIN or RST ever comes, and an "
       "idle connection stays ESTABLISHED forever (half-open). TCP keepalive (SO_KEEPALIVE; "
       "Linux probes after 7200 s idle, every 75 s, 9 times) or the application's own "
       "heartbeat finds it; sending data finds it too, after the retransmissions give up "
       "(about 15 minutes), or at once when a rebooted peer answers with an RST."),
    "three-way-handshake.lesson half-open-keepalive.lesson reboot-rst.lesson",
  },
  [TL_STATE_FIN_WAIT_1] = {
    TL_STATE_FIN_WAIT_1, AC,
    N_("This side's program has called close() or shutdown(): its FIN has gone out and it waits "
       "for the FIN to be acknowledged (and perhaps for the peer's FIN)."),
    N_("The active closer: whichever side closes first, client or server."),
    N_("One round trip. If the FIN is lost it is sent again when the retransmission timer "
       "fires."),
    N_("Many FIN_WAIT_1: the peers do not acknowledge. They are gone, or their receive window "
       "is zero and data is still queued before the FIN. They end when the retransmissions "
       "give up."),
    "normal-close.lesson lost-fin.lesson simultaneous-close.lesson",
  },
  [TL_STATE_FIN_WAIT_2] = {
    TL_STATE_FIN_WAIT_2, AC,
    N_("Our FIN is acknowledged: this direction is closed. The connection waits for the peer's "
       "FIN, and can still receive data meanwhile (a half-close)."),
    N_("The active closer: whichever side closes first."),
    N_("Until the peer's program closes. Linux gives a connection whose program has already "
       "closed it (an orphan) fin_timeout, 60 s by default, then drops it silently; after "
       "shutdown() it waits as long as the program keeps the socket. The RFC has no such timer."),
    N_("Many FIN_WAIT_2: the peers acknowledged our FIN but never send theirs: their programs "
       "never call close() (on their side those connections sit in CLOSE_WAIT). The fix is in "
       "the peer's program; on our side Linux's fin_timeout clears the orphans."),
    "normal-close.lesson half-close.lesson orphan-fin-wait-2.lesson",
  },
  [TL_STATE_CLOSE_WAIT] = {
    TL_STATE_CLOSE_WAIT, PC,
    N_("The peer has closed (its FIN arrived and was acknowledged). The connection waits for "
       "this side's program to call close(): its read() returns 0 (end of file) to tell it."),
    N_("The passive closer: the side that closes second."),
    N_("As long as the program takes to call close(): normally at once. TCP has no timer here: "
       "a program that never closes keeps the connection in CLOSE_WAIT forever."),
    N_("Many CLOSE_WAIT, growing: a bug in the program, which does not close its sockets (a "
       "forgotten close() on an error path, a connection pool that never notices the peer left). "
       "Find the program with ss -tanp state close-wait or lsof -i (lsof -iTCP -sTCP:CLOSE_WAIT) "
       "and fix it to close when read() returns 0. Restarting it frees them; no kernel setting "
       "does."),
    "normal-close.lesson close-wait-leak.lesson half-close.lesson",
  },
  [TL_STATE_CLOSING] = {
    TL_STATE_CLOSING, AC,
    N_("Both sides sent a FIN before receiving the other's: the peer's FIN has arrived and was "
       "acknowledged, and this side still waits for the ACK of its own FIN."),
    N_("Both sides, in a simultaneous close (each is an active closer)."),
    N_("One round trip."),
    N_("Rare. Many CLOSING mean simultaneous closes whose ACKs get lost."),
    "simultaneous-close.lesson",
  },
  [TL_STATE_LAST_ACK] = {
    TL_STATE_LAST_ACK, PC,
    N_("The peer closed first, and now this side's program has closed too: its FIN has gone out "
       "and it waits for the last ACK."),
    N_("The passive closer: the side that closes second."),
    N_("One round trip; a lost FIN or a lost final ACK makes it send the FIN again."),
    N_("Many LAST_ACK: the peers went away after sending their FIN and never acknowledge ours. "
       "They end when the FIN retransmissions give up."),
    "normal-close.lesson lost-final-ack.lesson",
  },
  [TL_STATE_TIME_WAIT] = {
    TL_STATE_TIME_WAIT, AC,
    N_("The connection is over; this side waits twice the maximum segment lifetime before "
       "forgetting it, for two reasons: if its last ACK is lost the peer sends its FIN again, "
       "and it must be answered; and an old duplicate segment still in the network must not be "
       "taken for part of a new connection with the same addresses and ports."),
    N_("The side that closes first, client or server (in a simultaneous close, both). The "
       "side that closes second never enters it."),
    N_("2 MSL: 60 s on Linux (a fixed value), 4 minutes by RFC 9293 (MSL 2 minutes)."),
    N_("Thousands of TIME_WAIT are normal on a busy machine that closes first, and are not a "
       "leak: each one costs little memory and goes away by itself. The real limit is a client "
       "making many short connections to one server and port, which can run out of ephemeral "
       "ports (net.ipv4.ip_local_port_range: about 28,000). Reuse connections (keep-alive, "
       "pools), let the client close first, or allow net.ipv4.tcp_tw_reuse for outgoing "
       "connections; do not shorten TIME_WAIT."),
    "normal-close.lesson lost-final-ack.lesson time-wait-pileup.lesson rfc-vs-linux-timers.lesson",
  },
};

const TlStateExplained *
tl_state_explained (TlState state)
{
  g_return_val_if_fail ((guint) state < TL_N_STATES, NULL);
  return &states[state];
}

const TlStateEdge *
tl_state_edges (guint *n)
{
  g_return_val_if_fail (n != NULL, NULL);
  *n = G_N_ELEMENTS (edges);
  return edges;
}

guint
tl_state_edge_roles (TlState from,
                     TlState to)
{
  for (guint i = 0; i < G_N_ELEMENTS (edges); i++)
    if (edges[i].from == from && edges[i].to == to)
      return edges[i].roles;
  return to == TL_STATE_CLOSED ? TL_ROLE_ANY : 0;
}

const char *
tl_role_name (TlRole role)
{
  switch (role)
    {
    case TL_ROLE_ACTIVE_OPENER:
      return N_("active opener (connect(): usually the client)");
    case TL_ROLE_PASSIVE_OPENER:
      return N_("passive opener (listen(): the server)");
    case TL_ROLE_ACTIVE_CLOSER:
      return N_("active closer (closes first: either side)");
    case TL_ROLE_PASSIVE_CLOSER:
      return N_("passive closer (closes second: either side)");
    }
  g_return_val_if_reached (NULL);
}
