/* tl-tcp-out.c: what a connection puts on the wire: SYN and SYN,ACK, data cut
 * to the MSS with PSH on the segment that empties the send buffer, the FIN on
 * the last data segment when close() found data still queued (as Linux
 * does), bare ACKs, and the RST replies of RFC 9293 section 3.10.7.1. */
#include "tl-sim-private.h"

guint16
tl_tcp_window (const TlTcb *tcb)
{
  guint32 window = tcb->settings.window;

  window = window > tcb->recv_q ? window - tcb->recv_q : 0;
  return (guint16) MIN (window, G_MAXUINT16);
}

gboolean
tl_tcp_wants_sack (const TlSettings *settings)
{
  return settings->sack;
}

/* RFC 2018 section 4: while out-of-order data is held, every ACK reports
 * it, the block holding the latest arrival first, then the others. */
static void
add_sack_blocks (const TlTcb *tcb,
                 TlSegment   *seg)
{
  guint first = 0;

  for (guint i = 0; i < tcb->n_ooo; i++)
    if (TL_SEQ_LEQ (tcb->ooo[i].seq, tcb->ooo_recent) && TL_SEQ_LEQ (tcb->ooo_recent, tcb->ooo[i].end))
      first = i;
  for (guint k = 0; k < tcb->n_ooo && seg->n_sack < TL_SACK_MAX; k++)
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
    .win = tl_tcp_window (tcb),
    .len = len,
    .flags = flags,
    .conn = tcb->conn,
  };
  if (tcb->sack_ok && tcb->n_ooo > 0 && (flags & TL_FLAG_ACK) && !(flags & TL_FLAG_RST))
    add_sack_blocks (tcb, seg);
}

/* Puts one of tcb's segments on the wire.  One that carries an ACK
 * acknowledges everything received so far: a delayed ACK is no longer
 * needed (Linux tcp_event_ack_sent: the quick-ack budget counts ACKs of
 * new data only). */
static void
transmit (TlSim     *sim,
          TlTcb     *tcb,
          TlSegment *seg)
{
  tl_sim_transmit (sim, tcb->host, seg);
  if (!(seg->flags & TL_FLAG_ACK))
    return;
  if (tcb->ack_pending)
    {
      tcb->ack_pending = FALSE;
      if (tcb->quick_acks > 0 && --tcb->quick_acks == 0)
        tcb->ato_us = TL_TCP_ATO_MIN_US;
    }
  tcb->rcv_wup = tcb->rcv_nxt;
  if (tcb->timer_id[TL_TIMER_DELACK] != 0)
    tl_tcp_timer_cancel (sim, tcb, TL_TIMER_DELACK);
}

void
tl_tcp_send_ctl (TlSim   *sim,
                 TlTcb   *tcb,
                 guint32  seq,
                 guint8   flags)
{
  TlSegment seg;

  fill (tcb, &seg, seq, flags, 0);
  if (flags & TL_FLAG_RST)
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
                      guint16  old_wnd)
{
  guint32 worth = MIN (tcb->snd_mss, tcb->settings.window / 2);

  /* A window too small for a segment (or half the buffer) opens again:
   * tell the peer (RFC 9293 section 3.8.6.2.2, receiver's SWS avoidance). */
  if (old_wnd < worth && tl_tcp_window (tcb) >= worth)
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
  seg.sack_perm = tcb->state == TL_STATE_SYN_SENT ? tl_tcp_wants_sack (&tcb->settings) : tcb->sack_ok;
  transmit (sim, tcb, &seg);
  /* the first SYN starts the give-up clock (Linux's retrans_stamp) */
  if (tcb->retransmits == 0)
    tcb->retrans_stamp_us = tl_sim_time (sim);
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

void
tl_tcp_output (TlSim *sim,
               TlTcb *tcb)
{
  if (!may_send_data (tcb->state))
    return;

  for (;;)
    {
      guint32 avail = TL_SEQ_LT (tcb->snd_nxt, tcb->data_end) ? tcb->data_end - tcb->snd_nxt : 0;
      guint32 wnd_end = tcb->snd_una + tcb->snd_wnd;
      guint32 room = TL_SEQ_GT (wnd_end, tcb->snd_nxt) ? wnd_end - tcb->snd_nxt : 0;
      guint32 n = MIN (MIN (avail, tcb->snd_mss), room);
      gboolean fin = tcb->shut_wr && !tcb->fin_sent && tcb->snd_nxt + n == tcb->data_end;
      guint8 flags = TL_FLAG_ACK;
      TlSegment seg;

      if (n == 0 && !fin)
        break;
      if (n > 0 && tcb->snd_nxt + n == tcb->data_end)
        flags |= TL_FLAG_PSH;
      if (fin)
        flags |= TL_FLAG_FIN;

      fill (tcb, &seg, tcb->snd_nxt, flags, (guint16) n);
      transmit (sim, tcb, &seg);
      if (tcb->settings.profile == TL_PROFILE_LINUX)
        tl_tcp_rack_sent (tcb, seg.seq, seg.seq + n + (fin ? 1 : 0), fin, tl_sim_time (sim));

      if (tcb->snd_una == tcb->snd_nxt)
        tcb->retrans_stamp_us = tl_sim_time (sim);
      if (!tcb->rtt_pending)
        {
          tcb->rtt_pending = TRUE;
          tcb->rtt_seq = tcb->snd_nxt;
          tcb->rtt_sent_us = tl_sim_time (sim);
        }
      tcb->snd_nxt += n + (fin ? 1 : 0);
      if (fin)
        tcb->fin_sent = TRUE;
      if (tcb->timer_id[TL_TIMER_RETRANSMIT] == 0)
        tl_tcp_rearm_rto (sim, tcb);
    }
  tl_tcp_persist_check (sim, tcb, FALSE);
}

/* Sends again the first unacknowledged segment.  Linux's tail loss probe
 * sends the last one instead; for the one-segment flights of the lessons it
 * is the same segment. */
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
    n = MIN (sent_end - tcb->snd_una, tcb->snd_mss);
  tl_tcp_send_chunk (sim, tcb, tcb->snd_una, n,
                     tcb->fin_sent && tcb->snd_una + n == tcb->data_end);
}

void
tl_tcp_send_chunk (TlSim    *sim,
                   TlTcb    *tcb,
                   guint32   seq,
                   guint32   len,
                   gboolean  fin)
{
  guint8 flags = TL_FLAG_ACK;
  TlSegment seg;

  if (len > 0 && seq + len == tcb->data_end)
    flags |= TL_FLAG_PSH;
  if (fin)
    flags |= TL_FLAG_FIN;
  fill (tcb, &seg, seq, flags, (guint16) len);
  transmit (sim, tcb, &seg);
  if (tcb->settings.profile == TL_PROFILE_LINUX)
    tl_tcp_rack_sent (tcb, seq, seq + len + (fin ? 1 : 0), fin, tl_sim_time (sim));
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
