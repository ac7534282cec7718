/* tl-tcp-rack.c: SACK (RFC 2018) and RACK loss detection (RFC 8985) as the
 * linux profile does them.  A connection keeps what it sent and has not seen
 * cumulatively acknowledged, one chunk per segment with its send time (Linux's
 * retransmission queue); the SACK blocks of an ACK mark chunks delivered,
 * and a chunk sent before a delivered one is lost once it has been out for
 * an RTT plus a reordering window, min_rtt / 4 (tcp_rack_detect_loss).  A
 * chunk not yet due arms the reordering timer (on the retransmission timer,
 * as Linux's ICSK_TIME_REO_TIMEOUT) for when it will be, plus
 * TCP_TIMEOUT_MIN.  Lost chunks are sent again at once: the lost-data-
 * then-FIN case of the lab retransmits about 30 ms after the SACK arrives,
 * not at the RTO.
 *
 * What is marked lost goes again as the congestion window lets it
 * (tcp_xmit_retransmit_queue), before new data; tl-tcp-cc.c reduces the
 * window.
 *
 * The reordering window (tcp_rack_reo_wnd): until the connection has seen
 * reordering it is 0 in Recovery and once tp->reordering chunks (3) are
 * SACKed, so a segment overtaken by three is sent again at once; after,
 * min_rtt / 4 times reo_wnd_steps (never more than SRTT).  Reordering is
 * seen when a hole never sent again fills (tcp_clean_rtx_queue,
 * tcp_sacktag_one) or a delayed original ends a Recovery
 * (tcp_try_undo_partial): tcp_check_sack_reordering raises tp->reordering
 * to the distance.  A D-SACK of a retransmission on a path known to
 * reorder widens the window by a step at the next ACK that delivers data
 * sent since the last widening (tcp_dsack_seen, tcp_rack_update_reo_wnd),
 * for 16 recoveries.
 *
 * Without SACK there is no RACK: duplicate ACKs count as segments
 * delivered and NewReno finds the losses (reno_ack, below). */
#include "tl-sim-private.h"

static void
ensure_rtx (TlTcb *tcb)
{
  if (tcb->rtx == NULL)
    tcb->rtx = g_array_new (FALSE, FALSE, sizeof (TlTxChunk));
}

/* The chunk that ends at seq, if any. */
static TlTxChunk *
chunk_ending_at (TlTcb   *tcb,
                 guint32  seq)
{
  for (guint i = 0; i < tcb->rtx->len; i++)
    if (g_array_index (tcb->rtx, TlTxChunk, i).end == seq)
      return &g_array_index (tcb->rtx, TlTxChunk, i);
  return NULL;
}

void
tl_tcp_rack_sent (TlTcb    *tcb,
                  guint32   seq,
                  guint32   end,
                  gboolean  fin,
                  gboolean  psh,
                  TlGso     gso,
                  gint64    now_us)
{
  TlTxChunk chunk = { seq, end, now_us, fin, FALSE, FALSE, FALSE, psh, FALSE,
                      ++tcb->xmit_count, tcb->delivered };
  TlTxChunk *before;

  if (seq == end)
    return;
  ensure_rtx (tcb);
  /* The skbs of the queue: the second of a GSO packet joins the first;
   * a segment sent alone is an skb of its own, cut from the one it was
   * part of (tcp_fragment: the retransmission's first segment, or the
   * tail loss probe's last). */
  before = chunk_ending_at (tcb, seq);
  if (before != NULL && gso != TL_GSO_HEAD)
    before->gso_next = gso == TL_GSO_TAIL;
  /* A retransmission covers chunks already there: they are sent again. */
  for (guint i = 0; i < tcb->rtx->len; i++)
    {
      TlTxChunk *c = &g_array_index (tcb->rtx, TlTxChunk, i);

      if (TL_SEQ_LEQ (seq, c->seq) && TL_SEQ_LEQ (c->end, end))
        {
          c->xmit_us = now_us;
          c->order = tcb->xmit_count;
          c->tx_delivered = tcb->delivered;
          c->retrans = TRUE;
          tcb->total_retrans++;
          c->lost = FALSE;
          if (gso == TL_GSO_ALONE && c->end == end)
            c->gso_next = FALSE;
          chunk.seq = chunk.end;   /* nothing new */
        }
    }
  if (chunk.seq != chunk.end)
    g_array_append_val (tcb->rtx, chunk);
}

gboolean
tl_tcp_rack_had_psh (const TlTcb *tcb,
                     guint32      seq,
                     guint32      end)
{
  if (tcb->rtx != NULL)
    for (guint i = 0; i < tcb->rtx->len; i++)
      {
        const TlTxChunk *c = &g_array_index (tcb->rtx, TlTxChunk, i);

        if (c->psh && TL_SEQ_GT (c->end, seq) && TL_SEQ_LEQ (c->end, end))
          return TRUE;
      }
  return FALSE;
}

/* Linux tcp_rack_advance: a delivered chunk; a retransmitted one whose
 * sample is shorter than min_rtt may have been delivered by its first
 * transmission, and teaches nothing. */
/* Linux tcp_skb_sent_after: sent later, or at the same time and further on.
 * The simulator sends many segments in the same microsecond, where Linux's
 * clock would have moved on: a tie goes by the order they were sent in (a
 * retransmission sent after new data in the same instant is the later). */
static gboolean
sent_after (gint64  t1,
            guint32 order1,
            gint64  t2,
            guint32 order2)
{
  return t1 > t2 || (t1 == t2 && (gint32) (order1 - order2) > 0);
}

static void
advance (TlTcb           *tcb,
         const TlTxChunk *c,
         gint64           now_us)
{
  gint64 rtt = now_us - c->xmit_us;

  if (c->retrans && rtt < tcb->min_rtt_us)
    return;
  tcb->rack_rtt_us = rtt;
  if (sent_after (c->xmit_us, c->order, tcb->rack_xmit_us, tcb->rack_order))
    {
      tcb->rack_xmit_us = c->xmit_us;
      tcb->rack_order = c->order;
    }
}

static gboolean
in_block (const TlSegment *seg,
          guint32          seq,
          guint32          end)
{
  for (guint b = 0; b < seg->n_sack; b++)
    if (TL_SEQ_LEQ (seg->sack[b].start, seq) && TL_SEQ_LEQ (end, seg->sack[b].end))
      return TRUE;
  return FALSE;
}

TlRttSample
tl_tcp_rack_rtt (const TlTcb     *tcb,
                 const TlSegment *seg,
                 gint64           now_us)
{
  TlRttSample rtt = { -1, -1, FALSE };
  gint64 first_ackt = -1, last_ackt = -1;
  gint64 first_sackt = -1, last_sackt = -1;
  gboolean retrans_acked = FALSE, prior_sacked = FALSE;
  guint n_acked = 0;
  guint32 acked_len = 0;

  if (tcb->rtx == NULL)
    return rtt;
  for (guint i = 0; i < tcb->rtx->len; i++)
    {
      const TlTxChunk *c = &g_array_index (tcb->rtx, TlTxChunk, i);

      prior_sacked |= c->sacked;
      if (TL_SEQ_LEQ (c->end, tcb->snd_una))
        {
          n_acked++;
          acked_len += c->end - c->seq;
          /* FLAG_RETRANS_DATA_ACKED: Karn's rule for the whole ACK */
          if (c->retrans)
            retrans_acked = TRUE;
          else if (!c->sacked)
            {
              last_ackt = c->xmit_us;
              if (first_ackt < 0)
                first_ackt = c->xmit_us;
            }
        }
      else if (!c->sacked && !c->retrans && tcb->sack_ok
               && in_block (seg, TL_SEQ_LT (c->seq, tcb->snd_una) ? tcb->snd_una : c->seq, c->end))
        {
          last_sackt = c->xmit_us;
          if (first_sackt < 0)
            first_sackt = c->xmit_us;
        }
    }
  if (first_ackt >= 0 && !retrans_acked)
    {
      rtt.seq_us = now_us - first_ackt;
      rtt.ca_us = now_us - last_ackt;
      /* FLAG_ACK_MAYBE_DELAYED: one runt acknowledged, nothing SACKed */
      rtt.maybe_delayed = n_acked == 1 && !prior_sacked && acked_len < tcb->snd_mss;
    }
  if (first_sackt >= 0)
    {
      if (rtt.seq_us < 0)
        rtt.seq_us = now_us - first_sackt;
      rtt.ca_us = now_us - last_sackt;
      rtt.maybe_delayed = FALSE;   /* FLAG_DATA_SACKED is a CA alert */
    }
  return rtt;
}

static guint
sacked_out (const TlTcb *tcb)
{
  guint sacked = 0;

  for (guint i = 0; i < tcb->rtx->len; i++)
    if (g_array_index (tcb->rtx, TlTxChunk, i).sacked)
      sacked++;
  return sacked;
}

/* tcp_rack_reo_wnd */
static gint64
reo_window (const TlTcb *tcb)
{
  if (tcb->reord_seen == 0
      && (tcb->ca_state >= TL_CA_RECOVERY || sacked_out (tcb) >= tcb->reordering))
    return 0;
  return MIN (tcb->min_rtt_us / 4 * MAX (tcb->reo_wnd_steps, 1u), tcb->srtt_us);
}

/* tcp_highest_sack_seq: the end of the highest chunk SACKed, una if none
 * is */
static guint32
highest_sack_seq (const TlTcb *tcb,
                  guint32      una)
{
  guint32 fack = una;

  if (tcb->rtx != NULL)
    for (guint i = 0; i < tcb->rtx->len; i++)
      {
        const TlTxChunk *c = &g_array_index (tcb->rtx, TlTxChunk, i);

        if (c->sacked && TL_SEQ_GT (c->end, fack))
          fack = c->end;
      }
  return fack;
}

void
tl_tcp_rack_reordered (TlTcb   *tcb,
                       guint32  low_seq)
{
  guint32 fack = highest_sack_seq (tcb, tcb->snd_una);
  guint32 mss = MAX (tcb->snd_mss, 1);
  guint32 metric;

  if (!TL_SEQ_LT (low_seq, fack))
    return;
  metric = fack - low_seq;
  if (metric > tcb->reordering * mss)
    tcb->reordering = MIN ((metric + mss - 1) / mss, 300u);   /* tcp_max_reordering */
  tcb->reord_seen++;
}

/* tcp_check_dsack and tcp_dsack_seen: the first SACK block below the ACK,
 * or inside the second, reports data that arrived twice; counted if the
 * sender did send that much again, and heeded (rack.dsack_seen) on a path
 * known to reorder unless it is the D-SACK of a tail loss probe (one
 * segment ending at tlp_high_seq: FLAG_DSACK_TLP, *dsack_tlp).  prior_una:
 * snd_una before the ACK. */
static guint32
check_dsack (TlTcb           *tcb,
             const TlSegment *seg,
             guint32          prior_una,
             gboolean        *dsack_tlp)
{
  const TlSackBlock *b = &seg->sack[0];
  guint32 mss = MAX (tcb->snd_mss, 1);
  guint32 len, dups;

  if (seg->n_sack == 0 || !TL_SEQ_LT (b->start, b->end))
    return 0;
  if (!TL_SEQ_LT (b->start, seg->ack)
      && !(seg->n_sack > 1 && TL_SEQ_GEQ (b->start, seg->sack[1].start)
           && TL_SEQ_LEQ (b->end, seg->sack[1].end)))
    return 0;
  len = b->end - b->start;
  if (len > tcb->max_window)
    return 0;
  dups = len > mss ? (len + mss - 1) / mss : 1;
  if (len <= mss && tcb->tlp_high_set && tcb->tlp_high_seq == b->end)
    *dsack_tlp = TRUE;
  tcb->dsack_dups += dups;
  if (tcb->dsack_dups > tcb->total_retrans)
    return 0;
  /* a retransmission since the reduction was not needed: for data already
   * acknowledged the "dumb counting" of tcp_check_dsack; above snd_una
   * only a chunk that was sent again counts (tcp_sacktag_one) */
  if (tcb->undo_armed && tcb->undo_retrans > 0 && TL_SEQ_GT (b->end, tcb->undo_marker))
    {
      guint32 undone = 0;

      if (TL_SEQ_LEQ (b->end, prior_una))
        undone = dups;
      else
        for (guint i = 0; i < tcb->rtx->len; i++)
          {
            const TlTxChunk *c = &g_array_index (tcb->rtx, TlTxChunk, i);

            if (c->retrans && TL_SEQ_GT (c->end, prior_una) && TL_SEQ_LEQ (b->start, c->seq)
                && TL_SEQ_LEQ (c->end, b->end))
              undone++;
          }
      tcb->undo_retrans = MAX (tcb->undo_retrans - (gint) undone, 0);
    }
  if (tcb->reord_seen > 0 && !*dsack_tlp)
    tcb->dsack_seen = TRUE;
  return dups;   /* a spurious retransmission is delivered */
}

/* tcp_process_tlp_ack: the ACK that ends a tail loss probe's episode.  A
 * probe of new data, a D-SACK of the probe (the original arrived too) or a
 * pure duplicate ACK of it: no loss; an ACK beyond it: the probe repaired
 * a loss, the window is reduced.  An ACK of exactly tlp_high_seq that
 * advances leaves the episode open, as Linux does. */
static void
process_tlp_ack (TlSim           *sim,
                 TlTcb           *tcb,
                 const TlSegment *seg,
                 const TlAckInfo *ack,
                 gboolean         not_dup,
                 gboolean         dsack_tlp)
{
  if (!tcb->tlp_high_set || TL_SEQ_LT (seg->ack, tcb->tlp_high_seq))
    return;
  if (!tcb->tlp_retrans || dsack_tlp)
    tcb->tlp_high_set = FALSE;
  else if (TL_SEQ_GT (seg->ack, tcb->tlp_high_seq))
    tl_tcp_cc_tlp_loss (sim, tcb);
  else if (!ack->una_advanced && !not_dup && !ack->data_sacked)
    tcb->tlp_high_set = FALSE;
}

/* tcp_rack_update_reo_wnd: an ACK that delivered data sent at
 * prior_delivered */
static void
update_reo_wnd (TlTcb   *tcb,
                guint32  prior_delivered)
{
  if ((gint32) (prior_delivered - tcb->reo_last_delivered) < 0)
    tcb->dsack_seen = FALSE;   /* sent before the window last grew */
  if (tcb->dsack_seen)
    {
      tcb->reo_wnd_steps = MIN (tcb->reo_wnd_steps + 1, 0xffu);
      tcb->dsack_seen = FALSE;
      tcb->reo_last_delivered = tcb->delivered;
      tcb->reo_wnd_persist = 16;   /* TCP_RACK_RECOVERY_THRESH */
    }
  else if (tcb->reo_wnd_persist == 0)
    {
      tcb->reo_wnd_steps = 1;
    }
}

/* What the chunks an ACK delivers tell: Linux's rate sample
 * (tcp_rate_skb_delivered: the latest sent gives rs->prior_delivered) and
 * the lowest hole never sent again that filled below the highest SACK
 * before the ACK (reordering: tcp_clean_rtx_queue, tcp_sacktag_one). */
typedef struct
{
  gint64  latest_us;            /* -1: nothing delivered */
  guint32 latest_order;
  guint32 prior_delivered;
  guint32 prior_fack;
  guint32 reord;
} Delivery;

/* A chunk newly acknowledged or SACKed */
static void
deliver (TlTcb           *tcb,
         const TlTxChunk *c,
         gint64           now_us,
         TlAckInfo       *ack,
         Delivery        *d)
{
  /* without SACK tcp_clean_rtx_queue neither advances RACK nor counts
   * what it acknowledges: reno_remove_sacks does */
  if (tcb->sack_ok)
    {
      advance (tcb, c, now_us);
      ack->delivered++;
      tcb->delivered++;
    }
  if (!c->retrans && TL_SEQ_LEQ (c->end, tcb->high_seq))
    ack->orig_sack_acked = TRUE;
  if (d->latest_us < 0 || sent_after (c->xmit_us, c->order, d->latest_us, d->latest_order))
    {
      d->latest_us = c->xmit_us;
      d->latest_order = c->order;
      d->prior_delivered = c->tx_delivered;
    }
  if (!c->retrans && TL_SEQ_LT (c->seq, d->reord) && TL_SEQ_LT (c->seq, d->prior_fack))
    d->reord = c->seq;
}

/* The chunks sent before the latest delivered one and out for longer than
 * its RTT plus the reordering window are lost.  Returns the time until the
 * next one is due (0: none waits). */
static gint64
detect_loss (TlSim *sim,
             TlTcb *tcb,
             guint *n_lost)
{
  gint64 now = tl_sim_time (sim);
  gint64 reo_wnd;
  gint64 wait = 0;

  reo_wnd = reo_window (tcb);
  *n_lost = 0;
  for (guint i = 0; i < tcb->rtx->len; i++)
    {
      TlTxChunk *c = &g_array_index (tcb->rtx, TlTxChunk, i);
      gint64 remaining;

      if (c->sacked || c->lost || !sent_after (tcb->rack_xmit_us, tcb->rack_order, c->xmit_us, c->order))
        continue;
      remaining = c->xmit_us + tcb->rack_rtt_us + reo_wnd - now;
      if (remaining <= 0)
        {
          c->lost = TRUE;
          (*n_lost)++;
        }
      else
        {
          wait = MAX (wait, remaining);
        }
    }
  return wait;
}

/* Linux tcp_xmit_retransmit_queue gives a lost skb min(cwnd - in flight,
 * max_segs) segments (__tcp_retransmit_skb): an skb of two, both still
 * lost, goes whole as one GSO packet when the congestion window and the
 * peer's take both (the GSO rule puts PSH on its second); else its first
 * segment goes alone, cut off by tcp_fragment (which leaves the skb's PSH
 * on the second piece).  Seen on the kernel: tests/sweep/frto.lesson's
 * lost flight went again one segment at a time, each ACK letting two go,
 * the first the piece left of an skb cut before: no PSH on any; in
 * tests/sweep/retransmit-psh-pair.lesson a compressed SACK let a lost skb
 * of two go whole: PSH on its second. */
static gboolean
pair_goes_whole (const TlTcb *tcb,
                 guint        i)
{
  const TlTxChunk *c = &g_array_index (tcb->rtx, TlTxChunk, i);
  const TlTxChunk *next;

  if (!c->gso_next || i + 1 >= tcb->rtx->len)
    return FALSE;
  next = &g_array_index (tcb->rtx, TlTxChunk, i + 1);
  return next->lost && !next->sacked && next->seq == c->end
         && tl_tcp_cc_in_flight (tcb) + 2 <= tcb->snd_cwnd
         && TL_SEQ_LEQ (next->end - (next->fin ? 1 : 0), tcb->snd_una + tcb->snd_wnd);
}

/* Sends the lost chunks again as the congestion window lets them (Linux
 * tcp_xmit_retransmit_queue), then the RTO runs for them (no tail loss
 * probe in recovery).  FALSE if none went. */
static gboolean
retransmit_lost (TlSim *sim,
                 TlTcb *tcb)
{
  gboolean sent = FALSE;

  for (guint i = 0; i < tcb->rtx->len; i++)
    {
      TlTxChunk c = g_array_index (tcb->rtx, TlTxChunk, i);

      if (!c.lost)
        continue;
      if (!tl_tcp_cc_may_send (tcb, c.end - c.seq))
        break;
      if (pair_goes_whole (tcb, i))
        {
          TlTxChunk next = g_array_index (tcb->rtx, TlTxChunk, i + 1);

          tl_tcp_send_chunk (sim, tcb, c.seq, c.end - c.seq, FALSE, TL_GSO_HEAD);
          tl_tcp_send_chunk (sim, tcb, next.seq, next.end - next.seq - (next.fin ? 1 : 0),
                             next.fin, TL_GSO_TAIL);
          i++;
        }
      else
        tl_tcp_send_chunk (sim, tcb, c.seq, c.end - c.seq - (c.fin ? 1 : 0), c.fin,
                           TL_GSO_ALONE);
      sent = TRUE;
    }
  if (sent)
    {
      tcb->tlp_sent = TRUE;
      tl_tcp_timer_arm (sim, tcb, TL_TIMER_RETRANSMIT, tcb->rto_us);
    }
  return sent;
}

static void
arm_reo (TlSim  *sim,
         TlTcb  *tcb,
         gint64  wait)
{
  tl_tcp_timer_arm (sim, tcb, TL_TIMER_RETRANSMIT, wait + TL_TCP_TIMEOUT_MIN_US);
  tcb->reo_pending = TRUE;
}

/* Loss recovery without SACK, as Linux 6.18 does it for a peer that did
 * not permit SACK ("Reno" in tcp_input.c; RACK needs SACK, and no tail
 * loss probe goes: tcp_schedule_loss_probe).  Each duplicate ACK counts
 * as a segment delivered out of order (tcp_add_reno_sack: sacked_out,
 * reno_sacked here, which leaves the flight and counts for PRR); an ACK
 * that advances takes them back but one per segment it acknowledges
 * (tcp_remove_reno_sacks).  Once reno_sacked reaches tp->reordering (3),
 * the third duplicate ACK, the head is lost (tcp_newreno_mark_lost,
 * from tcp_identify_packet_loss), Recovery begins (tcp_time_to_recover:
 * lost_out) and the head goes again: fast retransmit.  In Recovery each
 * partial ACK marks the new head lost: NewReno's one retransmission a
 * round trip (RFC 6582). */

/* lost_out: chunks marked lost, sent again or not (TCPCB_LOST stays on a
 * retransmitted skb; without SACK only a loss marks one for sending
 * again, no tail loss probe) */
static guint32
lost_out (const TlTcb *tcb)
{
  guint32 n = 0;

  for (guint i = 0; i < tcb->rtx->len; i++)
    {
      const TlTxChunk *c = &g_array_index (tcb->rtx, TlTxChunk, i);

      if (c->lost || c->retrans)
        n++;
    }
  return n;
}

/* tcp_check_reno_reordering: more duplicate ACKs than segments out
 * beyond the holes (tcp_limit_reno_sacked) means reordering */
static void
reno_check_reordering (TlTcb   *tcb,
                       guint32  addend)
{
  guint32 packets = tcb->rtx->len;
  guint32 holes = MIN (MAX (lost_out (tcb), 1u), packets);

  if (tcb->reno_sacked + holes <= packets)
    return;
  tcb->reno_sacked = packets - holes;
  tcb->reordering = MIN (packets + addend, 300u);   /* tcp_max_reordering */
  tcb->reord_seen++;
}

/* tcp_add_reno_sack: a duplicate ACK */
static void
reno_add_sack (TlTcb     *tcb,
               TlAckInfo *ack)
{
  guint32 prior = tcb->reno_sacked;

  if (!ack->dupack)
    return;
  tcb->reno_sacked++;
  reno_check_reordering (tcb, 0);
  if (tcb->reno_sacked > prior)
    {
      ack->delivered += tcb->reno_sacked - prior;   /* tcp_count_delivered */
      tcb->delivered += tcb->reno_sacked - prior;
    }
}

/* tcp_remove_reno_sacks: an ACK of n_acked segments filled a hole; the
 * rest had been counted by duplicate ACKs */
static void
reno_remove_sacks (TlTcb     *tcb,
                   guint32    n_acked,
                   TlAckInfo *ack)
{
  guint32 delivered = n_acked > tcb->reno_sacked ? n_acked - tcb->reno_sacked : 1;

  ack->delivered += delivered;
  tcb->delivered += delivered;
  if (n_acked - 1 >= tcb->reno_sacked)
    tcb->reno_sacked = 0;
  else
    tcb->reno_sacked -= n_acked - 1;
  reno_check_reordering (tcb, n_acked);
}

/* tcp_newreno_mark_lost: the head is lost after reordering duplicate
 * ACKs, and in Recovery at each partial ACK.  TRUE if it newly is. */
static gboolean
newreno_mark_lost (TlTcb    *tcb,
                   gboolean  recovery,
                   gboolean  una_advanced)
{
  TlTxChunk *head;

  if (tcb->rtx->len == 0)
    return FALSE;
  /* not in Loss: there it waits for the timeout's retransmissions */
  if (!(recovery ? una_advanced
                 : tcb->ca_state != TL_CA_LOSS && tcb->reno_sacked >= tcb->reordering))
    return FALSE;
  head = &g_array_index (tcb->rtx, TlTxChunk, 0);
  if (head->lost || head->retrans)
    return FALSE;
  head->lost = TRUE;   /* one segment: tcp_fragment of a GSO skb */
  return TRUE;
}

/* tcp_fastretrans_alert without SACK, for a dubious ACK; prior_state:
 * the state before it (the Recovery that ends at this ACK is over here,
 * though tl_tcp_cc_ack sets Open); loss_end: in Loss, tcp_process_loss
 * went to its end (TL_REXMIT_LOST: no undo, no F-RTO new data, snd_una
 * short of high_seq).  Returns the chunks newly lost. */
static guint
reno_ack (TlTcb     *tcb,
          TlCaState  prior_state,
          gboolean   loss_end,
          TlAckInfo *ack)
{
  gboolean recovery = tcb->ca_state == TL_CA_RECOVERY && TL_SEQ_LT (tcb->snd_una, tcb->high_seq);
  guint n_lost = 0;

  if (tcb->rtx->len == 0)
    tcb->reno_sacked = 0;
  if (recovery)
    {
      if (!ack->una_advanced)
        reno_add_sack (tcb, ack);
      return newreno_mark_lost (tcb, TRUE, ack->una_advanced) ? 1 : 0;
    }
  if (prior_state == TL_CA_LOSS)
    {
      /* tcp_process_loss: a duplicate ACK of the new data F-RTO sent */
      if (tcb->ca_state == TL_CA_LOSS && loss_end)
        {
          if (TL_SEQ_GT (tcb->snd_nxt, tcb->high_seq) && ack->dupack)
            reno_add_sack (tcb, ack);
          else if (ack->una_advanced)
            tcb->reno_sacked = 0;
        }
      n_lost = newreno_mark_lost (tcb, FALSE, ack->una_advanced) ? 1 : 0;
      if (tcb->ca_state != TL_CA_OPEN)
        return n_lost;
    }
  if (ack->una_advanced)
    tcb->reno_sacked = 0;   /* tcp_reset_reno_sack */
  reno_add_sack (tcb, ack);
  return n_lost + (newreno_mark_lost (tcb, FALSE, ack->una_advanced) ? 1 : 0);
}

void
tl_tcp_rack_ack (TlSim           *sim,
                 TlTcb           *tcb,
                 const TlSegment *seg,
                 gboolean         not_dup)
{
  gint64 now = tl_sim_time (sim);
  gboolean any_sacked = FALSE;
  TlAckInfo ack = { 0 };
  guint n_lost = 0;
  gint64 wait = 0;
  TlCaState prior_state = tcb->ca_state;
  TlRexmit rexmit = TL_REXMIT_LOST;
  guint kept = 0;
  guint32 prior_una;
  Delivery d = { .latest_us = -1, .reord = tcb->snd_nxt };
  gboolean had_packets;
  gboolean hold = FALSE;
  gboolean dsack_tlp = FALSE;
  guint32 dsacked = 0;
  guint32 n_acked = 0;
  gboolean retrans_acked = FALSE;

  if (tcb->rtx == NULL)
    return;
  had_packets = tcb->rtx->len > 0;
  prior_una = had_packets ? g_array_index (tcb->rtx, TlTxChunk, 0).seq : tcb->snd_una;
  d.prior_fack = highest_sack_seq (tcb, prior_una);
  if (tcb->sack_ok)
    dsacked = check_dsack (tcb, seg, prior_una, &dsack_tlp);
  ack.delivered += dsacked;
  for (guint i = 0; i < tcb->rtx->len; i++)
    {
      TlTxChunk *c = &g_array_index (tcb->rtx, TlTxChunk, i);

      if (TL_SEQ_LEQ (c->end, tcb->snd_una))
        {
          /* tcp_clean_rtx_queue: delivered unless SACKed before */
          if (!c->sacked)
            deliver (tcb, c, now, &ack, &d);
          n_acked++;
          retrans_acked |= c->retrans;
          ack.data_acked = TRUE;
          ack.bytes_acked += c->end - c->seq;
          continue;   /* cumulatively acknowledged: gone */
        }
      if (TL_SEQ_LT (c->seq, tcb->snd_una))
        {
          ack.bytes_acked += tcb->snd_una - c->seq;
          c->seq = tcb->snd_una;   /* partly acknowledged (the peer's window took part) */
        }
      if (!c->sacked && tcb->sack_ok && in_block (seg, c->seq, c->end))
        {
          /* tcp_sacktag_one */
          c->sacked = TRUE;
          c->lost = FALSE;
          deliver (tcb, c, now, &ack, &d);
          ack.data_sacked = TRUE;
        }
      any_sacked |= c->sacked;
      g_array_index (tcb->rtx, TlTxChunk, kept++) = *c;
    }
  g_array_set_size (tcb->rtx, kept);
  if (TL_SEQ_LT (d.reord, d.prior_fack))
    tl_tcp_rack_reordered (tcb, d.reord);
  if (had_packets && d.latest_us >= 0)
    update_reo_wnd (tcb, d.prior_delivered);
  ack.una_advanced = ack.bytes_acked > 0 || ack.data_acked;
  ack.dupack = !not_dup && !ack.una_advanced;
  if (!tcb->sack_ok && n_acked > 0)
    {
      reno_remove_sacks (tcb, n_acked, &ack);
      /* a retransmission acknowledged: without SACK nothing shows that
       * the originals got there */
      if (retrans_acked)
        ack.orig_sack_acked = FALSE;
    }
  process_tlp_ack (sim, tcb, seg, &ack, not_dup, dsack_tlp);
  /* tcp_ack_is_dubious; with nothing in flight a D-SACK (no_queue) */
  ack.dubious = !not_dup || ack.data_sacked || tcb->ca_state != TL_CA_OPEN
                || (!had_packets && dsacked > 0);
  /* tcp_packet_delayed: the TSecr echoes a segment sent before the first
   * retransmission, so the original got there */
  ack.ts_delayed = tcb->undo_ts_set && seg->ts && seg->tsecr != 0
                   && (gint32) (seg->tsecr - tcb->undo_tsval) < 0;
  /* tcp_fastretrans_alert: Loss first (F-RTO, undo), then RACK */
  if (tcb->ca_state == TL_CA_LOSS)
    rexmit = tl_tcp_cc_process_loss (sim, tcb, &ack);
  else
    hold = tl_tcp_cc_try_undo (sim, tcb, &ack, prior_una);
  if (hold)
    rexmit = TL_REXMIT_NONE;
  if (any_sacked && !hold)
    wait = detect_loss (sim, tcb, &n_lost);
  else if (!tcb->sack_ok && had_packets && ack.dubious && !hold)
    n_lost = reno_ack (tcb, prior_state, rexmit == TL_REXMIT_LOST, &ack);   /* not at tcp_ack's no_queue */
  ack.newly_lost = n_lost > 0;
  if (ack.newly_lost && rexmit == TL_REXMIT_NONE)
    rexmit = TL_REXMIT_LOST;
  /* tcp_cong_control, then tcp_xmit_recovery */
  tl_tcp_cc_ack (sim, tcb, &ack);
  /* tcp_set_xmit_timer after the state changed: no loss probe in recovery */
  if (tcb->ca_state != prior_state && ack.data_acked)
    tl_tcp_rearm_rto (sim, tcb);
  if (rexmit == TL_REXMIT_NEW)
    {
      /* F-RTO step 2b: new data first, Nagle off; only if none could go,
       * what was marked lost */
      tl_tcp_output_nagle_off (sim, tcb);
      if (TL_SEQ_GT (tcb->snd_nxt, tcb->high_seq))
        rexmit = TL_REXMIT_NONE;
      else
        tcb->frto = FALSE;
    }
  if (rexmit != TL_REXMIT_NONE)
    retransmit_lost (sim, tcb);
  if (wait > 0)
    arm_reo (sim, tcb, wait);
}

void
tl_tcp_rack_timeout (TlSim *sim,
                     TlTcb *tcb)
{
  guint n_lost = 0;
  gint64 wait = 0;
  gboolean sent = FALSE;

  tcb->reo_pending = FALSE;
  if (tcb->rtx != NULL)
    {
      wait = detect_loss (sim, tcb, &n_lost);
      /* tcp_rack_reo_timeout */
      if (n_lost > 0)
        {
          tl_tcp_cc_reo_loss (sim, tcb);
          sent = retransmit_lost (sim, tcb);
        }
      if (wait > 0)
        arm_reo (sim, tcb, wait);
    }
  if (!sent && wait == 0)
    tl_tcp_rearm_rto (sim, tcb);
}
