/* tl-tcp-out.c: what a connection puts on the wire: SYN and SYN,ACK, data cut
 * to the MSS with PSH on the segment that empties the send buffer (and, as
 * Linux does, on every second segment of a burst), the FIN on
 * the last data segment when close() found data still queued (as Linux
 * does), bare ACKs, and the RST replies of RFC 9293 section 3.10.7.1. */
#include "tl-sim-private.h"

/* The window of a SYN or SYN,ACK, never scaled (RFC 7323 section 2.2).
 * Linux tcp_select_initial_window rounds it down to a multiple of the MSS
 * it expects (the SYN,ACK takes off the 12 bytes of timestamps): 64240 on
 * the SYN, 65160 on the SYN,ACK with timestamps, for a 1500-byte MTU. */
guint32
tl_tcp_syn_window (const TlTcb *tcb,
                   gboolean     synack)
{
  guint32 window = MIN (tcb->settings.window, G_MAXUINT16);
  guint32 mss = tcb->settings.mss - (synack && tcb->ts_ok ? TL_TCP_TS_LEN : 0);

  if (tcb->settings.profile == TL_PROFILE_LINUX && mss > 0 && window > mss)
    window -= window % mss;
  return window;
}

guint8
tl_tcp_wscale_of (const TlSettings *settings)
{
  /* Linux tcp_select_initial_window: the shift that lets the largest
   * buffer be announced, ilog2(space) - 15.  Without SO_RCVBUF the space is
   * tcp_rmem[2], 32 MiB on this project's kernel (checked: its SYNs say
   * wscale 10); with it (the key window, at most 65535 here) the window
   * itself, so 0 (and so for any window but the default one, which only
   * SO_RCVBUF makes).  The rfc profile announces what its window needs. */
  if (settings->profile == TL_PROFILE_LINUX && !settings->window_set
      && settings->window == TL_DEFAULT_WINDOW)
    return 10;
  return (guint8) CLAMP ((gint) g_bit_storage (MAX (settings->window, 1)) - 1 - 15, 0, 14);
}

guint32
tl_tcp_ts_now (const TlTcb *tcb,
               gint64       now_us)
{
  return tcb->ts_off + (guint32) (now_us / TL_USEC_PER_MSEC);
}

void
tl_tcp_negotiate (TlSim           *sim,
                  TlTcb           *tcb,
                  const TlSegment *syn)
{
  TlTraceConn *tc = tl_trace_conn_mut (sim->trace, tcb->conn);
  guint32 mss = MIN (tcb->settings.mss, syn->mss != 0 ? syn->mss : 536);

  tcb->sack_ok = tl_tcp_wants_sack (&tcb->settings) && syn->sack_perm;
  tcb->ts_ok = tcb->settings.timestamps && syn->ts;
  tcb->ws_ok = tcb->settings.window_scaling && syn->ws;
  tcb->rcv_wscale = tcb->ws_ok ? tl_tcp_wscale_of (&tcb->settings) : 0;
  /* RFC 7323 section 2.3: a shift above 14 is taken as 14 */
  tcb->snd_wscale = tcb->ws_ok ? MIN (syn->wscale, 14) : 0;
  if (tcb->ts_ok)
    {
      tcb->ts_recent = syn->tsval;
      tcb->ts_recent_us = tl_sim_time (sim);
      /* Linux tcp_sync_mss: every full segment gives 12 bytes to timestamps
       * (1448 of a 1460-byte MSS); the MSS option itself stays 1460. */
      mss = mss > TL_TCP_TS_LEN ? mss - TL_TCP_TS_LEN : 1;
    }
  tcb->snd_mss = (guint16) MIN (mss, G_MAXUINT16);
  tc->opt_agreed = (tcb->sack_ok ? TL_OPT_SACK_PERM : 0) | (tcb->ts_ok ? TL_OPT_TS : 0)
                   | (tcb->ws_ok ? TL_OPT_WSCALE : 0);
  tl_tcp_rcvbuf_init (tcb, tl_sim_time (sim));
}

void
tl_tcp_update_ts_recent (TlTcb           *tcb,
                         const TlSegment *seg,
                         gint64           now_us)
{
  /* tcp_paws_check(rx_opt, 0): never an older TSval */
  if (tcb->ts_ok && seg->ts && TL_SEQ_LEQ (seg->seq, tcb->rcv_wup)
      && (gint32) (seg->tsval - tcb->ts_recent) >= 0)
    {
      tcb->ts_recent = seg->tsval;
      tcb->ts_recent_us = now_us;
    }
}

gboolean
tl_tcp_wants_sack (const TlSettings *settings)
{
  return settings->sack;
}

/* RFC 2018 section 4: while out-of-order data is held, every ACK reports
 * it, the block holding the latest arrival first, then the others: the
 * held range that goes first. */
static guint
sack_first (const TlTcb *tcb)
{
  guint first = 0;

  for (guint i = 0; i < tcb->n_ooo; i++)
    if (TL_SEQ_LEQ (tcb->ooo[i].seq, tcb->ooo_recent) && TL_SEQ_LEQ (tcb->ooo_recent, tcb->ooo[i].end))
      first = i;
  return first;
}

guint
tl_tcp_sack_position (const TlTcb *tcb,
                      guint        i)
{
  guint first = sack_first (tcb);

  return i == first ? 0 : i < first ? i + 1 : i;
}

static void
add_sack_blocks (const TlTcb *tcb,
                 TlSegment   *seg)
{
  guint first = sack_first (tcb);
  /* Linux: 4 blocks fit in the 40 bytes of options, 3 beside timestamps */
  guint max = tcb->ts_ok ? TL_SACK_MAX - 1 : TL_SACK_MAX;

  /* RFC 2883 section 4: a D-SACK block comes first (Linux's duplicate_sack) */
  if (tcb->dsack_pending)
    seg->sack[seg->n_sack++] = tcb->dsack;
  for (guint k = 0; k < tcb->n_ooo && seg->n_sack < max; k++)
    {
      guint i = k == 0 ? first : (k <= first ? k - 1 : k);
      const TlOooRange *r = &tcb->ooo[i];

      seg->sack[seg->n_sack++] = (TlSackBlock) { r->seq, r->end + (r->fin ? 1 : 0) };
    }
}

static void
fill (const TlTcb *tcb,
      TlSegment   *seg,
      guint32      seq,
      guint8       flags,
      guint16      len)
{
  *seg = (TlSegment) {
    .src_addr = tcb->local_addr,
    .dst_addr = tcb->remote_addr,
    .src_port = tcb->local_port,
    .dst_port = tcb->remote_port,
    .seq = seq,
    .ack = (flags & TL_FLAG_ACK) ? tcb->rcv_nxt : 0,
    .win = (guint16) MIN (tl_tcp_window (tcb) >> tcb->rcv_wscale, G_MAXUINT16),
    .len = len,
    .flags = flags,
    .conn = tcb->conn,
  };
  /* RFC 7323 section 3.2: once both SYNs had them, on every segment */
  if (tcb->ts_ok)
    {
      seg->ts = TRUE;
      seg->tsecr = tcb->ts_recent;
    }
  if (tcb->sack_ok && (tcb->n_ooo > 0 || tcb->dsack_pending) && (flags & TL_FLAG_ACK)
      && !(flags & TL_FLAG_RST))
    add_sack_blocks (tcb, seg);
}

/* Puts one of tcb's segments on the wire.  One that carries an ACK
 * acknowledges everything received so far: a delayed or compressed ACK is
 * no longer needed (Linux tcp_event_ack_sent: the quick-ack budget counts
 * ACKs of new data only). */
static void
transmit (TlSim     *sim,
          TlTcb     *tcb,
          TlSegment *seg)
{
  /* tcp_select_window: rcv_wnd is the window chosen, before the field's
   * cap (65535 << rcv_wscale) */
  guint32 window = (guint32) seg->win << tcb->rcv_wscale;

  if (seg->win == G_MAXUINT16 && !(seg->flags & TL_FLAG_SYN))
    window = MAX (window, tl_tcp_window (tcb));
  if (seg->ts)
    seg->tsval = tl_tcp_ts_now (tcb, tl_sim_time (sim));
  /* a D-SACK block goes once (Linux clears rx_opt.dsack as it writes it) */
  if (seg->n_sack > 0 && tcb->dsack_pending)
    tcb->dsack_pending = FALSE;
  tl_sim_transmit (sim, tcb->host, seg);
  /* __tcp_transmit_skb stamps every segment, a bare ACK too */
  tcb->wstamp_us = tl_sim_time (sim);
  if (!(seg->flags & TL_FLAG_ACK))
    return;
  if (tcb->ack_pending)
    {
      tcb->ack_pending = FALSE;
      if (tcb->quick_acks > 0 && --tcb->quick_acks == 0)
        tcb->ato_us = TL_TCP_ATO_MIN_US;
    }
  tcb->rcv_wup = tcb->rcv_nxt;
  if (!(seg->flags & TL_FLAG_RST))
    tl_tcp_window_announced (tcb, (seg->flags & TL_FLAG_SYN) ? seg->win : window);
  if (tcb->timer_id[TL_TIMER_DELACK] != 0)
    tl_tcp_timer_cancel (sim, tcb, TL_TIMER_DELACK);
  /* tcp_event_ack_sent: it carries the ACKs held back too */
  tcb->comp_sack_count = 0;
  if (tcb->timer_id[TL_TIMER_COMP_SACK] != 0)
    tl_tcp_timer_cancel (sim, tcb, TL_TIMER_COMP_SACK);
}

void
tl_tcp_send_ctl (TlSim   *sim,
                 TlTcb   *tcb,
                 guint32  seq,
                 guint8   flags)
{
  TlSegment seg;

  fill (tcb, &seg, seq, flags, 0);
  /* A connection's own RST (abort, a close with data unread, a listener's
   * queued connections, keepalive's end): Linux's tcp_send_active_reset
   * goes through tcp_transmit_skb, which writes the window as on any
   * segment (tcplab-cli real: RST,ACK win=63 after an abort,
   * tests/sweep/old-rst.lesson); the RFC profile says nothing of it, 0. */
  if ((flags & TL_FLAG_RST) && tcb->settings.profile != TL_PROFILE_LINUX)
    seg.win = 0;
  transmit (sim, tcb, &seg);
}

void
tl_tcp_send_ack (TlSim *sim,
                 TlTcb *tcb)
{
  tl_tcp_send_ctl (sim, tcb, tcb->snd_nxt, TL_FLAG_ACK);
}

void
tl_tcp_window_opened (TlSim   *sim,
                      TlTcb   *tcb,
                      guint32  old_wnd)
{
  guint32 worth = MIN (tcb->snd_mss, tcb->settings.window / 2);

  /* A window too small for a segment (or half the buffer) opens again:
   * tell the peer (RFC 9293 section 3.8.6.2.2, receiver's SWS avoidance);
   * Linux's buffer, when the window at least doubles (tcp_cleanup_rbuf). */
  if (tl_tcp_rcvbuf_linux (tcb) ? tl_tcp_rcvbuf_read_acks (tcb)
                                : old_wnd < worth && tl_tcp_window (tcb) >= worth)
    switch (tcb->state)
      {
      case TL_STATE_ESTABLISHED:
      case TL_STATE_FIN_WAIT_1:
      case TL_STATE_FIN_WAIT_2:
        tl_tcp_send_ack (sim, tcb);
        break;
      case TL_STATE_CLOSED:
      case TL_STATE_LISTEN:
      case TL_STATE_SYN_SENT:
      case TL_STATE_SYN_RCVD:
      case TL_STATE_CLOSE_WAIT:
      case TL_STATE_CLOSING:
      case TL_STATE_LAST_ACK:
      case TL_STATE_TIME_WAIT:
        break;
      }
}

/* The SYN of SYN_SENT, or the SYN,ACK of SYN_RCVD, first sent or again. */
void
tl_tcp_send_syn (TlSim *sim,
                 TlTcb *tcb)
{
  TlSegment seg;
  guint8 flags = tcb->state == TL_STATE_SYN_SENT ? TL_FLAG_SYN : TL_FLAG_SYN | TL_FLAG_ACK;

  fill (tcb, &seg, tcb->iss, flags, 0);
  seg.mss = (guint16) MIN (tcb->settings.mss, G_MAXUINT16);
  seg.win = (guint16) tl_tcp_syn_window (tcb, (flags & TL_FLAG_ACK) != 0);
  if (tcb->state == TL_STATE_SYN_SENT)
    {
      /* what this host offers (RFC 2018, RFC 7323) */
      seg.sack_perm = tl_tcp_wants_sack (&tcb->settings);
      seg.ts = tcb->settings.timestamps;
      seg.tsecr = 0;
      seg.ws = tcb->settings.window_scaling;
      seg.wscale = tl_tcp_wscale_of (&tcb->settings);
    }
  else
    {
      /* what both SYNs carry */
      seg.sack_perm = tcb->sack_ok;
      seg.ws = tcb->ws_ok;
      seg.wscale = tcb->rcv_wscale;
    }
  transmit (sim, tcb, &seg);
  /* the first SYN starts the give-up clock (Linux's retrans_stamp) */
  if (tcb->retransmits == 0)
    tcb->retrans_stamp_us = tl_sim_time (sim);
}

/* Linux tcp_current_mss (tcp_bound_to_half_wnd): against a peer whose
 * windows are tiny, segments of half the largest window it offered (of all
 * of it up to 536 bytes), never below 68 bytes of headers and data; the
 * rfc profile sends full segments. */
static guint32
mss_now (const TlTcb *tcb)
{
  guint32 mss = tcb->snd_mss;

  if (tcb->settings.profile == TL_PROFILE_LINUX && tcb->max_window > 0)
    {
      guint32 cutoff = tcb->max_window > 536 ? tcb->max_window / 2 : tcb->max_window;
      guint32 least = 68 - 20 - (tcb->ts_ok ? TL_TCP_TS_LEN : 0);

      if (mss > cutoff)
        mss = MAX (cutoff, least);
    }
  return mss;
}

static gboolean
may_send_data (TlState state)
{
  switch (state)
    {
    case TL_STATE_ESTABLISHED:
    case TL_STATE_CLOSE_WAIT:
    case TL_STATE_FIN_WAIT_1:   /* close() with data still queued, or after SYN_RCVD */
    case TL_STATE_CLOSING:      /* the peer's FIN came while our data and FIN were queued
                                   (RFC 9293 section 3.10.4: the FIN follows the data) */
    case TL_STATE_LAST_ACK:
      return TRUE;
    case TL_STATE_CLOSED:
    case TL_STATE_LISTEN:
    case TL_STATE_SYN_SENT:
    case TL_STATE_SYN_RCVD:
    case TL_STATE_FIN_WAIT_2:
    case TL_STATE_TIME_WAIT:
      return FALSE;
    }
  return FALSE;
}

/* Nagle's algorithm (RFC 9293 section 3.7.4, RFC 1122 section 4.2.3.4):
 * the last piece of what was written, shorter than a full segment, waits
 * while something is unacknowledged, until an ACK comes or a full segment
 * gathers; a segment that carries the FIN goes.  The linux profile holds it
 * only while a small segment is unacknowledged (Minshall's variant, Linux
 * tcp_nagle_check and tcp_minshall_check: snd_sml); the key nodelay
 * (TCP_NODELAY) turns it off. */
static gboolean
nagle_holds (const TlTcb *tcb,
             guint32      n,
             guint32      avail,
             gboolean     fin)
{
  if (tcb->settings.nodelay || fin || n != avail || n >= mss_now (tcb)
      || tcb->snd_una == tcb->snd_nxt)
    return FALSE;
  if (tcb->settings.profile == TL_PROFILE_LINUX)
    return TL_SEQ_GT (tcb->snd_sml, tcb->snd_una) && TL_SEQ_LEQ (tcb->snd_sml, tcb->snd_nxt);
  return TRUE;
}

/* New data (n bytes from snd_nxt, and the FIN after them) goes out;
 * gso: its place in its GSO packet (below); push: Linux's
 * tcp_write_wakeup marks PSH on the skb it sends. */
static void
send_new (TlSim    *sim,
          TlTcb    *tcb,
          guint32   n,
          gboolean  fin,
          TlGso     gso,
          gboolean  push)
{
  guint8 flags = TL_FLAG_ACK;
  TlSegment seg;
  gboolean was_idle = tl_tcp_cc_in_flight (tcb) == 0;
  /* PSH where the data written so far ends (tcp_push at the end of a
   * write: under linux each send() call of the program), and where a mark
   * stayed on a full skb (tl-tcp-sndbuf.c): on the skb, so a
   * retransmission that ends there has it too */
  gboolean marked = n > 0 && (push || tcb->snd_nxt + n == tcb->data_end
                              || tl_tcp_sndbuf_psh_marked (tcb, tcb->snd_nxt + n));

  /* Linux also on the last segment of every GSO packet of more than one
   * (__tcp_transmit_skb, to help the receiver's GRO), on the wire only:
   * it sets the flag on the clone it sends */
  if (marked || (n > 0 && gso == TL_GSO_TAIL && tcb->settings.profile == TL_PROFILE_LINUX))
    flags |= TL_FLAG_PSH;
  if (fin)
    flags |= TL_FLAG_FIN;

  if (n > 0)
    tl_tcp_cc_data_first (sim, tcb);
  fill (tcb, &seg, tcb->snd_nxt, flags, (guint16) n);
  transmit (sim, tcb, &seg);
  tl_tcp_cc_sent (sim, tcb, TRUE, 0, was_idle);
  if (tcb->settings.profile == TL_PROFILE_LINUX)
    tl_tcp_rack_sent (tcb, seg.seq, seg.seq + n + (fin ? 1 : 0), fin, marked, gso,
                      tl_sim_time (sim));

  if (tcb->snd_una == tcb->snd_nxt)
    tcb->retrans_stamp_us = tl_sim_time (sim);
  if (!tcb->rtt_pending)
    {
      tcb->rtt_pending = TRUE;
      tcb->rtt_seq = tcb->snd_nxt;
      tcb->rtt_sent_us = tl_sim_time (sim);
    }
  tcb->snd_nxt += n + (fin ? 1 : 0);
  /* tcp_minshall_update */
  if (n < mss_now (tcb))
    tcb->snd_sml = tcb->snd_nxt;
  if (fin)
    tcb->fin_sent = TRUE;
}

/* What may go now from snd_nxt: *n bytes (the MSS, the data written and
 * the peer's window allowing), and whether the FIN follows them. */
static guint32
next_segment (const TlTcb *tcb,
              guint32     *n,
              gboolean    *fin)
{
  guint32 avail = TL_SEQ_LT (tcb->snd_nxt, tcb->data_end) ? tcb->data_end - tcb->snd_nxt : 0;
  guint32 wnd_end = tcb->snd_una + tcb->snd_wnd;
  guint32 room = TL_SEQ_GT (wnd_end, tcb->snd_nxt) ? wnd_end - tcb->snd_nxt : 0;

  *n = MIN (MIN (avail, mss_now (tcb)), room);
  *fin = tcb->shut_wr && !tcb->fin_sent && tcb->snd_nxt + *n == tcb->data_end;
  return avail;
}

/* Linux's sender-side silly window avoidance (RFC 1122 section 4.2.3.4):
 * a segment that the window would cut below the MSS (or below what is
 * left to send) does not go while more data is queued (tcp_snd_wnd_test:
 * the first full segment of the skb must fit); only as the second segment
 * of a GSO packet of two may a piece cut by the window ride along, and
 * then only if Nagle lets it (tcp_mss_split_point, tcp_nagle_check: no
 * small segment unacknowledged, or TCP_NODELAY, or TCP_NAGLE_OFF).  n bytes
 * may go of avail queued; pair_second: a segment went first in this packet.  The rfc
 * profile fills the window. */
static gboolean
window_cuts (const TlTcb *tcb,
             guint32      n,
             guint32      avail,
             gboolean     pair_second,
             gboolean     nagle_off)
{
  if (tcb->settings.profile != TL_PROFILE_LINUX || n >= MIN (avail, mss_now (tcb)))
    return FALSE;
  if (pair_second && n > 0)
    return !tcb->settings.nodelay && !nagle_off && TL_SEQ_GT (tcb->snd_sml, tcb->snd_una)
           && TL_SEQ_LEQ (tcb->snd_sml, tcb->snd_nxt);
  return TRUE;
}

gboolean
tl_tcp_window_holds_back (const TlTcb *tcb)
{
  guint32 n;
  gboolean fin;
  guint32 avail = next_segment (tcb, &n, &fin);

  return avail > 0 && (n == 0 || window_cuts (tcb, n, avail, FALSE, FALSE));
}

void
tl_tcp_window_wakeup (TlSim *sim,
                      TlTcb *tcb)
{
  guint32 n;
  gboolean fin;

  /* Linux tcp_write_wakeup: what the window takes, up to a segment, with
   * PSH; the retransmission timer then runs for it (not a loss probe) */
  next_segment (tcb, &n, &fin);
  if (n == 0 || !may_send_data (tcb->state))
    return;
  send_new (sim, tcb, n, fin, TL_GSO_ALONE, TRUE);
  tl_tcp_timer_arm (sim, tcb, TL_TIMER_RETRANSMIT, tcb->rto_us);
}

/* Linux sends what may go now in GSO packets of two segments at the lab's
 * rates: tcp_tso_autosize's least, tcp_min_tso_segs 2 (a millisecond of
 * the pacing rate, rate >> 10, is less than a segment below some 150
 * segments of cwnd at an RTT of 100 ms); seen on the kernel: PSH on every
 * second segment of a flight.  TCP builds them though the lab's veths
 * have segmentation offloads off (sk_setup_caps gives TCP GSO always; the
 * stack cuts them before the device). */
#define LINUX_TSO_SEGS 2

/* How many segments the next GSO packet may take: tcp_write_xmit's
 * cwnd_quota, tcp_cwnd_test's min(cwnd / 2, cwnd - in flight) ("at least
 * 2 GSO packets in flight"), at most LINUX_TSO_SEGS: below a window of 4
 * every segment is a packet of its own, without the GSO rule's PSH (seen
 * on the kernel: tests/sweep/frto.lesson's two new segments with cwnd 2,
 * neither with PSH). */
static guint
packet_segs (const TlTcb *tcb)
{
  guint32 in_flight;

  if (tcb->settings.profile != TL_PROFILE_LINUX || !tcb->cc_ready)
    return LINUX_TSO_SEGS;
  in_flight = tl_tcp_cc_in_flight (tcb);
  if (in_flight >= tcb->snd_cwnd)
    return 1;
  return MIN (MIN (MAX (tcb->snd_cwnd / 2, 1), tcb->snd_cwnd - in_flight), LINUX_TSO_SEGS);
}

/* Linux tcp_tso_should_defer (6.18, with commit 295ce1eb36ae's rule for
 * long RTTs), a Nagle test for GSO packets, before a packet goes with
 * more than one segment still to send (tso_segs > 1: avail bytes queued,
 * which the simulator takes for one skb, the write queue's tail).  It
 * waits for the next ACK rather than send a short packet when all of
 * these hold: the connection is not in Recovery or Loss; it sent
 * something within the last millisecond (tcp_wstamp_ns); the windows (the
 * congestion window less what is in flight, the peer's from snd_nxt) take
 * fewer than LINUX_TSO_SEGS segments and less than a third of the smaller
 * window (tcp_tso_win_divisor 3); the oldest segment unacknowledged is due
 * back (its last send plus SRTT) within min(SRTT / 2, 1 ms); and the
 * window that limits takes no more than what is queued, or else no FIN
 * is queued (the application might write more).  *cwnd_limited: the
 * congestion window held it (is_cwnd_limited). */
static gboolean
tso_should_defer (TlSim       *sim,
                  const TlTcb *tcb,
                  guint32      avail,
                  gboolean    *cwnd_limited)
{
  gint64 now_us = tl_sim_time (sim);
  guint32 mss = mss_now (tcb);
  guint32 wnd_end = tcb->snd_una + tcb->snd_wnd;
  guint32 in_flight, send_win, cong_win, limit, chunk;
  const TlTxChunk *head;
  gint64 srtt_ns, how_far_ns;

  if (tcb->settings.profile != TL_PROFILE_LINUX || !tcb->cc_ready || avail <= mss
      || tcb->ca_state >= TL_CA_RECOVERY || now_us - tcb->wstamp_us > TL_USEC_PER_MSEC)
    return FALSE;
  in_flight = tl_tcp_cc_in_flight (tcb);
  send_win = TL_SEQ_GT (wnd_end, tcb->snd_nxt) ? wnd_end - tcb->snd_nxt : 0;
  cong_win = tcb->snd_cwnd > in_flight ? (tcb->snd_cwnd - in_flight) * mss : 0;
  limit = MIN (send_win, cong_win);
  if (limit >= LINUX_TSO_SEGS * mss)
    return FALSE;
  chunk = (guint32) MIN ((guint64) tcb->snd_wnd, (guint64) tcb->snd_cwnd * mss) / 3;
  if (limit >= chunk)
    return FALSE;
  if (tcb->rtx == NULL || tcb->rtx->len == 0)
    return FALSE;
  /* the head of the retransmission queue: when its ACK is due */
  head = &g_array_index (tcb->rtx, TlTxChunk, 0);
  srtt_ns = tcb->srtt8_us * 125;
  how_far_ns = (head->xmit_us - now_us) * 1000 + srtt_ns;
  if (how_far_ns > MIN (srtt_ns / 2, 1000000))
    return FALSE;
  if (cong_win < send_win)
    {
      if (cong_win <= avail)
        {
          *cwnd_limited = TRUE;
          return TRUE;
        }
    }
  else if (send_win <= avail)
    return TRUE;
  return !tcb->shut_wr || tcb->fin_sent;
}

static void
output (TlSim    *sim,
        TlTcb    *tcb,
        gboolean  nagle_off)
{
  guint pkt_segs = 0;   /* the segments the GSO packet being built may take */
  guint in_pkt = 0;     /* and has taken */
  gboolean sent = FALSE;
  gboolean deferred_cwnd = FALSE;

  if (!may_send_data (tcb->state))
    return;

  for (;;)
    {
      guint32 n;
      gboolean fin;
      guint32 avail = next_segment (tcb, &n, &fin);
      gboolean second = in_pkt > 0 && in_pkt < pkt_segs;

      if ((n == 0 && !fin) || (!nagle_off && nagle_holds (tcb, n, avail, fin))
          || window_cuts (tcb, n, avail, second, nagle_off))
        break;
      /* the congestion window (tcp_cwnd_test; RFC 5681 section 3.1) */
      if (!tl_tcp_cc_may_send (tcb, n))
        break;
      /* each GSO packet, before it goes (tcp_write_xmit) */
      if (!second)
        {
          if (tso_should_defer (sim, tcb, avail, &deferred_cwnd))
            break;
          pkt_segs = packet_segs (tcb);
          in_pkt = 0;
        }
      in_pkt++;
      send_new (sim, tcb, n, fin, second ? TL_GSO_TAIL : TL_GSO_HEAD, FALSE);
      sent = TRUE;
    }
  /* A flight from idle starts the timer once it is out (Linux: the end of
   * tcp_write_xmit schedules the loss probe, with packets_out counting the
   * whole flight: 2 RTT + 2 jiffies for ten segments, not the 200 ms of a
   * lone segment's delayed ACK) */
  if (sent && tcb->timer_id[TL_TIMER_RETRANSMIT] == 0)
    tl_tcp_rearm_rto (sim, tcb);
  tl_tcp_cc_validate (sim, tcb, sent, deferred_cwnd);
  tl_tcp_persist_check (sim, tcb, FALSE);
}

void
tl_tcp_output (TlSim *sim,
               TlTcb *tcb)
{
  output (sim, tcb, FALSE);
}

void
tl_tcp_output_nagle_off (TlSim *sim,
                         TlTcb *tcb)
{
  output (sim, tcb, TRUE);
}

void
tl_tcp_send_loss_probe (TlSim *sim,
                        TlTcb *tcb)
{
  guint32 n = 0;
  gboolean fin = FALSE;
  guint32 avail = may_send_data (tcb->state) ? next_segment (tcb, &n, &fin) : 0;

  /* Linux tcp_send_loss_probe: data not sent yet goes first, one segment,
   * Nagle or not (TCP_NAGLE_OFF), if the window takes all of it
   * (tcp_snd_wnd_test); else the last segment sent goes again (the tail
   * of the retransmission queue, skb_rb_last: RFC 8985 section 7.3), not
   * the first. */
  if (avail > 0 && n == MIN (avail, mss_now (tcb)))
    {
      send_new (sim, tcb, n, fin, TL_GSO_ALONE, FALSE);
      return;
    }
  if (tcb->rtx != NULL && tcb->rtx->len > 0)
    {
      TlTxChunk last = g_array_index (tcb->rtx, TlTxChunk, tcb->rtx->len - 1);
      guint32 seq = TL_SEQ_LT (last.seq, tcb->snd_una) ? tcb->snd_una : last.seq;

      if (TL_SEQ_LT (seq, last.end))
        {
          tl_tcp_send_chunk (sim, tcb, seq, last.end - seq - (last.fin ? 1 : 0), last.fin,
                             TL_GSO_ALONE);
          return;
        }
    }
  tl_tcp_retransmit_head (sim, tcb);
}

/* Sends again the first unacknowledged segment. */
void
tl_tcp_retransmit_head (TlSim *sim,
                        TlTcb *tcb)
{
  guint32 sent_end;
  guint32 n = 0;

  switch (tcb->state)
    {
    case TL_STATE_SYN_SENT:
    case TL_STATE_SYN_RCVD:
      tl_tcp_send_syn (sim, tcb);
      return;
    case TL_STATE_ESTABLISHED:
    case TL_STATE_FIN_WAIT_1:
    case TL_STATE_CLOSE_WAIT:
    case TL_STATE_CLOSING:
    case TL_STATE_LAST_ACK:
      break;
    case TL_STATE_CLOSED:
    case TL_STATE_LISTEN:
    case TL_STATE_FIN_WAIT_2:
    case TL_STATE_TIME_WAIT:
      return;
    }
  /* Closed in SYN_RCVD (RFC 9293 section 3.10.4) before its SYN was
   * acknowledged: the SYN is the head of the retransmission queue. */
  if (tcb->snd_una == tcb->iss)
    {
      tl_tcp_send_syn (sim, tcb);
      return;
    }

  sent_end = TL_SEQ_LT (tcb->snd_nxt, tcb->data_end) ? tcb->snd_nxt : tcb->data_end;
  if (TL_SEQ_LT (tcb->snd_una, sent_end))
    n = MIN (sent_end - tcb->snd_una, mss_now (tcb));
  /* Linux tcp_retransmit_timer: one segment (tcp_retransmit_skb's segs 1) */
  tl_tcp_send_chunk (sim, tcb, tcb->snd_una, n,
                     tcb->fin_sent && tcb->snd_una + n == tcb->data_end, TL_GSO_ALONE);
}

/* A retransmission's PSH: the rfc profile's where the data written ends;
 * Linux's where its skb has it (TlTxChunk.psh: only the piece that ends
 * where the skb ends keeps it, tcp_fragment), or as the last segment of a
 * GSO packet of two (__tcp_transmit_skb).  The first transmission's GSO
 * PSH does not come back: seen on the kernel, the timeout's and the
 * recovery's single segments had none (tests/sweep/frto.lesson). */
void
tl_tcp_send_chunk (TlSim    *sim,
                   TlTcb    *tcb,
                   guint32   seq,
                   guint32   len,
                   gboolean  fin,
                   TlGso     gso)
{
  guint8 flags = TL_FLAG_ACK;
  TlSegment seg;
  gboolean on_linux = tcb->settings.profile == TL_PROFILE_LINUX;
  gboolean marked = tl_tcp_rack_had_psh (tcb, seq, seq + len + (fin ? 1 : 0));

  if (len > 0 && (seq + len == tcb->data_end || marked || (on_linux && gso == TL_GSO_TAIL)))
    flags |= TL_FLAG_PSH;
  if (fin)
    flags |= TL_FLAG_FIN;
  fill (tcb, &seg, seq, flags, (guint16) len);
  transmit (sim, tcb, &seg);
  tl_tcp_cc_sent (sim, tcb, FALSE, len, FALSE);
  tl_tcp_cc_retransmitted (sim, tcb);
  if (on_linux)
    tl_tcp_rack_sent (tcb, seq, seq + len + (fin ? 1 : 0), fin, marked, gso, tl_sim_time (sim));
}

void
tl_tcp_send_reset_reply (TlSim           *sim,
                         guint            host,
                         const TlSegment *seg)
{
  TlSegment rst;

  if (seg->flags & TL_FLAG_RST)
    return;

  rst = (TlSegment) {
    .src_addr = seg->dst_addr,
    .dst_addr = seg->src_addr,
    .src_port = seg->dst_port,
    .dst_port = seg->src_port,
    .conn = TL_NO_CONN,
  };
  /* RFC 9293 section 3.10.7.1: "If the incoming segment has the ACK bit set,
   * the reset takes its sequence number from the ACK field of the segment,
   * otherwise the reset has sequence number zero and the ACK field is set to
   * the sum of the sequence number and segment length of the incoming segment." */
  if (seg->flags & TL_FLAG_ACK)
    {
      rst.seq = seg->ack;
      rst.flags = TL_FLAG_RST;
    }
  else
    {
      rst.ack = seg->seq + tl_segment_seq_len (seg);
      rst.flags = TL_FLAG_RST | TL_FLAG_ACK;
    }
  tl_sim_transmit (sim, host, &rst);
}
