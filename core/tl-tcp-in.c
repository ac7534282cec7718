/* tl-tcp-in.c: a segment reaches a connection: RFC 9293 section 3.10.7.3
 * (SYN_SENT) and 3.10.7.4 (the other states), in the RFC's order: sequence
 * acceptability, RST, SYN, ACK, text, FIN.  Listeners are tl-host.c's. */
#include "tl-sim-private.h"

#include <string.h>

void
tl_tcb_set_state (TlSim   *sim,
                  TlTcb   *tcb,
                  TlState  state,
                  TlCause  cause)
{
  TlRecord *rec = tl_sim_record (sim, TL_REC_STATE, tcb->host, tcb->conn);

  rec->u.state.from = tcb->state;
  rec->u.state.to = state;
  rec->u.state.cause = cause;
  tcb->state = state;
}

void
tl_tcb_close (TlSim   *sim,
              TlTcb   *tcb,
              TlCause  cause)
{
  for (guint t = 0; t < TL_N_TIMERS; t++)
    tl_tcp_timer_cancel (sim, tcb, t);
  if (tcb->state != TL_STATE_CLOSED)
    tl_tcb_set_state (sim, tcb, TL_STATE_CLOSED, cause);
  tl_host_free_socket (sim, tcb);
}

void
tl_tcb_report_error (TlSim   *sim,
                     TlTcb   *tcb,
                     TlError  error)
{
  if (tcb->app_owned && !tcb->orphan)
    tl_sim_record_app (sim, tcb->host, tcb->conn, TL_CALL_ERROR, 0, error);
}

void
tl_tcb_queues_changed (TlSim *sim,
                       TlTcb *tcb)
{
  TlRecord *rec = tl_sim_record (sim, TL_REC_QUEUES, tcb->host, tcb->conn);

  rec->u.queues.send_q = tcb->send_q;
  rec->u.queues.recv_q = tcb->recv_q;
}

/* A listener's Recv-Q is its accept queue's length, as `ss -ltn` shows it:
 * recorded when it changes (an autoaccepted connection passes through in
 * an instant and changes nothing). */
void
tl_tcb_accept_queue_changed (TlSim *sim,
                             TlTcb *listener)
{
  if (listener->recv_q == listener->accept_queue.length)
    return;
  listener->recv_q = listener->accept_queue.length;
  tl_tcb_queues_changed (sim, listener);
}

/* The application sees a new connection: connect() returns, or a listener's
 * child enters the accept queue (and autoaccept takes it). */
void
tl_tcb_established (TlSim *sim,
                    TlTcb *tcb)
{
  TlTcb *listener = tcb->parent;

  tl_tcp_timer_cancel (sim, tcb, TL_TIMER_SYNACK);
  tl_tcp_cc_init (sim, tcb, tcb->retransmits);
  tl_tcp_sndbuf_init (tcb);
  tcb->retransmits = 0;
  tcb->snd_sml = tcb->snd_una;
  tl_tcp_metrics_init (sim, tcb);
  tl_tcp_rearm_rto (sim, tcb);
  if (tcb->active_open)
    {
      tl_sim_record_app (sim, tcb->host, tcb->conn, TL_CALL_CONNECTED, tcb->remote_port, TL_ERR_NONE);
    }
  else if (listener != NULL)
    {
      if (tcb->place == TL_CHILD_SYN_QUEUE)
        {
          listener->syn_qlen--;
          if (tcb->synack_timeouts == 0)
            listener->syn_young--;
        }
      tcb->place = TL_CHILD_ACCEPT_QUEUE;
      g_queue_push_tail_link (&listener->accept_queue, &tcb->accept_link);
      if (sim->hosts[tcb->host].settings.autoaccept)
        tl_host_accept (sim, listener, TL_CALL_ACCEPTED);
      else
        tl_tcb_accept_queue_changed (sim, listener);
    }
  tl_tcp_keepalive_start (sim, tcb);
}

static void
enter_time_wait (TlSim   *sim,
                 TlTcb   *tcb,
                 TlCause  cause)
{
  tl_tcp_timer_cancel (sim, tcb, TL_TIMER_RETRANSMIT);
  tl_tcp_timer_cancel (sim, tcb, TL_TIMER_KEEPALIVE);
  tl_tcp_timer_cancel (sim, tcb, TL_TIMER_FIN_WAIT_2);
  tl_tcp_timer_cancel (sim, tcb, TL_TIMER_DELACK);
  /* Linux tcp_time_wait: the timewait socket starts with no
   * last_oow_ack_time, unless it is the orphan's FIN_WAIT2 one already */
  if (!tcb->mini_fin_wait_2)
    {
      tcb->oow_acked = FALSE;
      tl_tcp_metrics_save (sim, tcb);
    }
  tl_tcb_set_state (sim, tcb, TL_STATE_TIME_WAIT, cause);
  tl_tcp_timer_arm (sim, tcb, TL_TIMER_TIME_WAIT, 2 * tcb->settings.msl_us);
}

static gboolean
our_fin_acked (const TlTcb *tcb)
{
  return tcb->fin_sent && tcb->snd_una == tcb->data_end + 1;
}

static void
syn_sent_input (TlSim           *sim,
                TlTcb           *tcb,
                const TlSegment *seg)
{
  gboolean ack = (seg->flags & TL_FLAG_ACK) != 0;

  /* first: the ACK bit */
  if (ack && (TL_SEQ_LEQ (seg->ack, tcb->iss) || TL_SEQ_GT (seg->ack, tcb->snd_nxt)))
    {
      tl_tcp_send_reset_reply (sim, tcb->host, seg);
      /* Linux tcp_rcv_synsent_state_process: "Previous FIN/ACK or RST/ACK
       * might be ignored": the peer holds an old connection on this
       * 4-tuple (its challenge ACK) which our RST now ends, so a SYN not
       * yet retransmitted goes again after TCP_TIMEOUT_MIN, not the RTO. */
      if (tcb->settings.profile == TL_PROFILE_LINUX && tcb->retransmits == 0)
        tl_tcp_timer_arm (sim, tcb, TL_TIMER_RETRANSMIT, TL_TCP_TIMEOUT_MIN_US);
      return;
    }
  /* second: the RST bit; acceptable only with an acceptable ACK */
  if (seg->flags & TL_FLAG_RST)
    {
      if (ack)
        {
          tl_tcb_report_error (sim, tcb, TL_ERR_ECONNREFUSED);
          tl_tcb_close (sim, tcb, TL_CAUSE_RCV_RST);
        }
      return;
    }
  /* fourth: the SYN bit */
  if (!(seg->flags & TL_FLAG_SYN))
    return;

  tcb->irs = seg->seq;
  tcb->rcv_nxt = seg->seq + 1;
  tl_tcp_take_window (tcb, seg);
  tl_tcp_negotiate (sim, tcb, seg);
  tl_trace_conn_mut (sim->trace, tcb->conn)->irs = tcb->irs;

  if (ack)
    {
      tcb->snd_una = seg->ack;
      tl_tcp_ack_rtt (sim, tcb, seg,
                      tl_rtt_one (tcb->rtt_pending && tcb->retransmits == 0
                                  ? tl_sim_time (sim) - tcb->rtt_sent_us : -1), TRUE);
      tcb->rtt_pending = FALSE;
      tl_tcb_set_state (sim, tcb, TL_STATE_ESTABLISHED, TL_CAUSE_RCV_SYN_ACK);
      tl_tcp_send_ack (sim, tcb);
      tl_tcb_established (sim, tcb);
      tl_tcp_output (sim, tcb);
      tl_tcp_sndbuf_check (sim, tcb);
    }
  else
    {
      /* Simultaneous open (RFC 9293 Figure 8): SYN_RCVD, and a SYN,ACK with
       * our own ISN; the retransmission timer keeps running. */
      tl_tcb_set_state (sim, tcb, TL_STATE_SYN_RCVD, TL_CAUSE_RCV_SYN);
      tl_tcp_send_syn (sim, tcb);
    }
}

static gboolean
acceptable (const TlTcb     *tcb,
            const TlSegment *seg)
{
  guint32 len = tl_segment_seq_len (seg);
  guint32 wnd = tl_tcp_rcv_window (tcb);
  guint32 nxt = tcb->rcv_nxt;

  /* RFC 9293 section 3.10.7.4, the four cases of the acceptability test. */
  if (len == 0)
    {
      if (wnd == 0)
        return seg->seq == nxt;
      return TL_SEQ_LEQ (nxt, seg->seq) && TL_SEQ_LT (seg->seq, nxt + wnd);
    }
  if (wnd == 0)
    return FALSE;
  return (TL_SEQ_LEQ (nxt, seg->seq) && TL_SEQ_LT (seg->seq, nxt + wnd))
         || (TL_SEQ_LEQ (nxt, seg->seq + len - 1) && TL_SEQ_LT (seg->seq + len - 1, nxt + wnd));
}

/* Linux tcp_in_window, the timewait mini sockets' test of a segment. */
static gboolean
in_window (guint32 seq,
           guint32 end,
           guint32 s_win,
           guint32 e_win)
{
  if (seq == s_win)
    return TRUE;
  if (TL_SEQ_GT (end, s_win) && TL_SEQ_LT (seq, e_win))
    return TRUE;
  return seq == e_win && seq == end;
}

/* Linux __tcp_oow_rate_limited (the key invalid_ratelimit:
 * net.ipv4.tcp_invalid_ratelimit, 500 ms): an ACK to a segment out of
 * window or failing PAWS, or a challenge ACK, goes at most once per
 * interval per connection, so that two hosts that disagree do not answer
 * each other's ACKs forever (RFC 5961 section 10).  TRUE: not now.  The
 * interval is the host's as it is now (a sysctl, read at each segment);
 * the RFC profile's 0 answers every one. */
static gboolean
oow_ack_limited (TlSim *sim,
                 TlTcb *tcb)
{
  gint64 now = tl_sim_time (sim);

  if (tcb->oow_acked && now - tcb->last_oow_ack_us < sim->hosts[tcb->host].settings.invalid_ratelimit_us)
    return TRUE;
  tcb->oow_acked = TRUE;
  tcb->last_oow_ack_us = now;
  return FALSE;
}

/* Linux tcp_oow_rate_limited: a segment with data or a FIN and no SYN is
 * no part of an ACK loop, and always answered. */
static gboolean
oow_seg_limited (TlSim           *sim,
                 TlTcb           *tcb,
                 const TlSegment *seg)
{
  if (tl_segment_seq_len (seg) > 0 && !(seg->flags & TL_FLAG_SYN))
    return FALSE;
  return oow_ack_limited (sim, tcb);
}

/* RFC 5961 sections 3.2, 4 and 7, Linux tcp_send_challenge_ack: limited
 * per connection as above, then per host by the key challenge_ack_limit
 * (net.ipv4.tcp_challenge_ack_limit): INT_MAX, no limit, since Linux 6.0
 * (2147483647 on this machine); any other limit lets through a number drawn
 * each second between half of it and one and a half times it, so that an
 * attacker cannot count them (CVE-2016-5696). */
static void
send_challenge_ack (TlSim *sim,
                    TlTcb *tcb)
{
  TlHost *host = &sim->hosts[tcb->host];
  guint32 limit = host->settings.challenge_ack_limit;

  if (oow_ack_limited (sim, tcb))
    return;
  if (limit < TL_CHALLENGE_ACK_UNLIMITED)
    {
      gint64 second = tl_sim_time (sim) / TL_USEC_PER_SEC;

      if (second != host->challenge_second)
        {
          guint32 half = (limit + 1) >> 1;

          host->challenge_second = second;
          host->challenge_left = half + (guint32) tl_rng_below (&sim->rng, limit);
        }
      if (host->challenge_left == 0)
        return;
      host->challenge_left--;
    }
  tl_tcp_send_ack (sim, tcb);
}

/* RFC 7323 section 5.3, Linux tcp_paws_check: the segment's TSval is older
 * than the one we echo by more than `window` (a ts_recent of 0 checks
 * nothing).  Only where both SYNs agreed timestamps, the linux profile. */
static gboolean
paws_fails (const TlTcb     *tcb,
            const TlSegment *seg,
            gint32           window)
{
  return tcb->settings.profile == TL_PROFILE_LINUX && tcb->ts_ok && seg->ts
         && tcb->ts_recent != 0 && (gint32) (tcb->ts_recent - seg->tsval) > window;
}

/* Linux tcp_paws_reject, the mini sockets' PAWS (TIME_WAIT, an orphan's
 * FIN_WAIT_2): no older TSval at all, but a RST passes once ts_recent is
 * TCP_PAWS_MSL (60 s) old. */
static gboolean
paws_rejects (const TlTcb     *tcb,
              const TlSegment *seg,
              gint64           now_us)
{
  if (!paws_fails (tcb, seg, 0))
    return FALSE;
  return !((seg->flags & TL_FLAG_RST)
           && now_us / TL_USEC_PER_SEC >= tcb->ts_recent_us / TL_USEC_PER_SEC + 60);
}

void
tl_tcp_take_window (TlTcb           *tcb,
                    const TlSegment *seg)
{
  tcb->snd_wnd = (seg->flags & TL_FLAG_SYN) ? seg->win : (guint32) seg->win << tcb->snd_wscale;
  tcb->max_window = MAX (tcb->max_window, tcb->snd_wnd);
  tcb->snd_wl1 = seg->seq;
  tcb->snd_wl2 = seg->ack;
}

/* Whether an ACK at or above una (the one before it) brings a window to
 * take, so that an older segment overtaken on the way cannot take back a
 * newer one's.  RFC 9293 section 3.10.7.4: it comes from a later segment,
 * or from the same one with an ACK as high.  Linux (tcp_may_update_window):
 * it acknowledges something new, or comes from a later segment, or from the
 * same one with a larger window or a zero one.  (Linux's fast path leaves
 * snd_wl1 behind on data that acknowledges nothing, with the window
 * unchanged: a later update is only the more welcome.) */
static gboolean
may_update_window (const TlTcb     *tcb,
                   const TlSegment *seg,
                   guint32          una)
{
  guint32 wnd = (guint32) seg->win << tcb->snd_wscale;

  if (tcb->settings.profile != TL_PROFILE_LINUX)
    return TL_SEQ_LT (tcb->snd_wl1, seg->seq)
           || (tcb->snd_wl1 == seg->seq && TL_SEQ_LEQ (tcb->snd_wl2, seg->ack));
  return TL_SEQ_GT (seg->ack, una) || TL_SEQ_GT (seg->seq, tcb->snd_wl1)
         || (seg->seq == tcb->snd_wl1 && (wnd > tcb->snd_wnd || wnd == 0));
}

/* Linux tcp_disordered_ack_check: a pure duplicate ACK at rcv_nxt that
 * moves nothing (ACKs overtaking each other), its TSval within about an
 * RTO (in ms) of ts_recent, is taken although it fails PAWS; not one that
 * would update the window. */
static gboolean
disordered_ack (const TlTcb     *tcb,
                const TlSegment *seg)
{
  return (seg->flags & (TL_FLAG_SYN | TL_FLAG_FIN | TL_FLAG_RST | TL_FLAG_ACK)) == TL_FLAG_ACK
         && seg->len == 0 && seg->seq == tcb->rcv_nxt && seg->ack == tcb->snd_una
         && !may_update_window (tcb, seg, tcb->snd_una)
         && (gint64) (gint32) (tcb->ts_recent - seg->tsval) <= tcb->rto_us * 1024 / TL_USEC_PER_SEC;
}

static guint32
data_bytes_acked (const TlTcb *tcb,
                  guint32      ack)
{
  guint32 lo = tcb->iss + 1;
  guint32 from = TL_SEQ_GT (tcb->snd_una, lo) ? tcb->snd_una : lo;
  guint32 to = TL_SEQ_LT (ack, tcb->data_end) ? ack : tcb->data_end;

  return TL_SEQ_GT (to, from) ? to - from : 0;
}

/* Returns FALSE if the connection is gone. */
static gboolean
rst_input (TlSim           *sim,
           TlTcb           *tcb,
           const TlSegment *seg)
{
  /* RFC 5961 section 3.2 (RFC 9293 section 3.10.7.4): only an exact match
   * resets; an in-window RST elsewhere gets a challenge ACK. */
  if (seg->seq != tcb->rcv_nxt)
    {
      send_challenge_ack (sim, tcb);
      return TRUE;
    }
  switch (tcb->state)
    {
    case TL_STATE_SYN_RCVD:
      if (!tcb->active_open)
        {
          /* Passive open: back to LISTEN, that is, the listener carries on
           * and this request is gone (RFC 9293 Figure 5's edge).  Linux's
           * request mini socket simply ends, SYN_RCVD -> CLOSED (the
           * kernel's trace, tests/sweep/syn-rcvd-segments.lesson). */
          if (tcb->settings.profile != TL_PROFILE_LINUX)
            tl_tcb_set_state (sim, tcb, TL_STATE_LISTEN, TL_CAUSE_RCV_RST);
        }
      else
        {
          tl_tcb_report_error (sim, tcb, TL_ERR_ECONNREFUSED);
        }
      break;
    case TL_STATE_CLOSE_WAIT:
      /* Linux tcp_reset: a reset in CLOSE_WAIT is EPIPE (the application
       * has seen the EOF; what it writes next cannot go). */
      tl_tcb_report_error (sim, tcb, tcb->settings.profile == TL_PROFILE_LINUX
                                     ? TL_ERR_EPIPE : TL_ERR_ECONNRESET);
      break;
    case TL_STATE_ESTABLISHED:
    case TL_STATE_FIN_WAIT_1:
    case TL_STATE_FIN_WAIT_2:
      tl_tcb_report_error (sim, tcb, TL_ERR_ECONNRESET);
      break;
    case TL_STATE_CLOSING:
    case TL_STATE_LAST_ACK:
      /* RFC 9293 tells the user nothing here; Linux's tcp_reset sets
       * ECONNRESET, which an application that shut down and still holds
       * the socket reads (seen on the lab with tcplab-cli real,
       * tests/sweep/closing-states.lesson) */
      if (tcb->settings.profile == TL_PROFILE_LINUX)
        tl_tcb_report_error (sim, tcb, TL_ERR_ECONNRESET);
      break;
    case TL_STATE_TIME_WAIT:   /* Linux: tcp_rfc1337 is 0, a RST ends TIME_WAIT */
      break;
    case TL_STATE_CLOSED:
    case TL_STATE_LISTEN:
    case TL_STATE_SYN_SENT:
      g_assert_not_reached ();
    }
  tl_tcb_close (sim, tcb, TL_CAUSE_RCV_RST);
  return FALSE;
}

/* Returns FALSE if the segment is done with (dropped, or the connection
 * is gone). */
static gboolean
ack_input (TlSim           *sim,
           TlTcb           *tcb,
           const TlSegment *seg)
{
  gboolean nothing_in_flight;
  guint32 prior_una;
  guint32 prior_wnd;

  if (tcb->state == TL_STATE_SYN_RCVD)
    {
      /* RFC 9293 section 3.10.7.4, fifth, SYN-RECEIVED: an unacceptable
       * ACK gets a reset and the segment goes no further (its text is not
       * for a connection that is not synchronized). */
      if (!(TL_SEQ_LT (tcb->snd_una, seg->ack) && TL_SEQ_LEQ (seg->ack, tcb->snd_nxt)))
        {
          tl_tcp_send_reset_reply (sim, tcb->host, seg);
          return FALSE;
        }
      if (!tcb->active_open && tcb->parent != NULL
          && tcb->parent->accept_queue.length > tcb->parent->backlog)
        {
          /* Linux (sk_acceptq_is_full, tcp_abort_on_overflow 0): the accept
           * queue holds backlog + 1; beyond, the final ACK is dropped and
           * the request keeps retransmitting its SYN,ACK. */
          tcb->acked_on_overflow = TRUE;
          return FALSE;
        }
      tcb->snd_una = seg->ack;
      tl_tcp_take_window (tcb, seg);
      /* Linux tcp_synack_rtt_meas */
      tl_tcp_ack_rtt (sim, tcb, seg,
                      tl_rtt_one (tcb->synack_timeouts == 0 && tcb->retransmits == 0
                                  && tcb->rtt_pending
                                  ? tl_sim_time (sim) - tcb->rtt_sent_us : -1), TRUE);
      tcb->rtt_pending = FALSE;
      tl_tcb_set_state (sim, tcb, TL_STATE_ESTABLISHED, TL_CAUSE_RCV_ACK);
      tl_tcb_established (sim, tcb);
    }

  /* RFC 9293 section 3.10.7.4, fifth: an ACK of what was never sent gets
   * an ACK (Linux: a challenge ACK, rate-limited; seen on the kernel in
   * ESTABLISHED and CLOSE_WAIT, tests/sweep/ack-unsent.sh) */
  if (TL_SEQ_GT (seg->ack, tcb->snd_nxt))
    {
      send_challenge_ack (sim, tcb);
      return FALSE;
    }
  /* RFC 5961 section 5.2 (RFC 9293 MAY-12): an ACK below SND.UNA -
   * MAX.SND.WND is no ACK of ours (a blind injection): the segment is
   * dropped, a challenge ACK sent.  Linux (tcp_ack) takes the window no
   * larger than what was acknowledged so far, the SYN included. */
  if (TL_SEQ_LT (seg->ack, tcb->snd_una - (guint32) MIN ((guint64) tcb->max_window,
                                                          tcb->bytes_acked + 1)))
    {
      send_challenge_ack (sim, tcb);
      return FALSE;
    }
  /* Linux tcp_ack, FLAG_UPDATE_TS_RECENT */
  tl_tcp_update_ts_recent (tcb, seg, tl_sim_time (sim));
  nothing_in_flight = tcb->snd_una == tcb->snd_nxt;
  prior_una = tcb->snd_una;
  if (TL_SEQ_LT (tcb->snd_una, seg->ack))
    {
      guint32 acked = data_bytes_acked (tcb, seg->ack);

      if (tcb->settings.profile != TL_PROFILE_LINUX && tcb->rtt_pending
          && TL_SEQ_GT (seg->ack, tcb->rtt_seq))
        {
          /* RFC 6298: the one timed segment of the flight */
          tl_tcp_rtt_sample (tcb, tl_sim_time (sim) - tcb->rtt_sent_us);
          tcb->rtt_pending = FALSE;
        }
      tcb->bytes_acked += seg->ack - tcb->snd_una;
      tcb->snd_una = seg->ack;
      /* Linux: a sample from every ACK (tcp_clean_rtx_queue), before the
       * timer is set again */
      if (tcb->settings.profile == TL_PROFILE_LINUX)
        tl_tcp_ack_rtt (sim, tcb, seg, tl_tcp_rack_rtt (tcb, seg, tl_sim_time (sim)), TRUE);
      tcb->retransmits = 0;
      tcb->tlp_sent = FALSE;
      tcb->retrans_stamp_us = tl_sim_time (sim);
      if (acked > 0)
        {
          tcb->send_q -= acked;
          tl_tcb_queues_changed (sim, tcb);
        }
      tl_tcp_rearm_rto (sim, tcb);
    }
  else if (tcb->settings.profile == TL_PROFILE_LINUX && seg->n_sack > 0)
    {
      /* what it newly SACKs, never sent again (tcp_sacktag_one) */
      tl_tcp_ack_rtt (sim, tcb, seg, tl_tcp_rack_rtt (tcb, seg, tl_sim_time (sim)), FALSE);
    }
  prior_wnd = tcb->snd_wnd;
  if (TL_SEQ_GEQ (seg->ack, prior_una) && may_update_window (tcb, seg, prior_una))
    tl_tcp_take_window (tcb, seg);
  if (tcb->snd_wnd != prior_wnd)
    tl_tcp_cc_window_update (sim, tcb, nothing_in_flight);
  if (tcb->settings.profile == TL_PROFILE_LINUX)
    {
      /* FLAG_NOT_DUP: data, a window update or new data acknowledged */
      tl_tcp_rack_ack (sim, tcb, seg,
                       seg->len > 0 || tcb->snd_wnd != prior_wnd || tcb->snd_una != prior_una);
    }
  else
    {
      TlAckInfo ack = {
        .bytes_acked = tcb->snd_una - prior_una,
        .data_acked = tcb->snd_una != prior_una,
        .una_advanced = tcb->snd_una != prior_una,
      };

      tl_tcp_cc_ack (sim, tcb, &ack);
    }
  /* Linux tcp_ack_probe: an ACK with nothing in flight (the answer to a
   * zero-window probe) starts the persist timer again, or stops it if the
   * window opened; the output below sends what it lets through. */
  if (nothing_in_flight)
    tl_tcp_persist_check (sim, tcb, TRUE);

  switch (tcb->state)
    {
    case TL_STATE_FIN_WAIT_1:
      if (our_fin_acked (tcb))
        {
          tl_tcb_set_state (sim, tcb, TL_STATE_FIN_WAIT_2, TL_CAUSE_RCV_ACK);
          if (tcb->orphan)
            tl_tcb_orphan_fin_wait_2 (sim, tcb);
        }
      break;
    case TL_STATE_CLOSING:
      if (our_fin_acked (tcb))
        enter_time_wait (sim, tcb, TL_CAUSE_RCV_ACK);
      break;
    case TL_STATE_LAST_ACK:
      if (our_fin_acked (tcb))
        {
          tl_tcp_metrics_save (sim, tcb);
          tl_tcb_close (sim, tcb, TL_CAUSE_RCV_ACK);
          return FALSE;
        }
      break;
    case TL_STATE_ESTABLISHED:
    case TL_STATE_FIN_WAIT_2:
    case TL_STATE_CLOSE_WAIT:
    case TL_STATE_TIME_WAIT:
      break;
    case TL_STATE_CLOSED:
    case TL_STATE_LISTEN:
    case TL_STATE_SYN_SENT:
    case TL_STATE_SYN_RCVD:
      g_assert_not_reached ();
    }
  return TRUE;
}

/* Linux tcp_incr_quickack: up to 16 ACKs of data sent at once, fewer with a
 * small window (its receive MSS starts at 536). */
static void
incr_quickack (TlTcb *tcb)
{
  guint quick = tcb->settings.window / (2 * MIN (tcb->settings.mss, 536u));

  quick = MIN (quick == 0 ? 2 : quick, 16u);
  tcb->quick_acks = MAX (tcb->quick_acks, quick);
}

/* RFC 2883 (Linux tcp_dsack_set, net.ipv4.tcp_dsack 1): [seq, end) arrived
 * again; the next segment reports it in a D-SACK block. */
static void
dsack_set (TlTcb   *tcb,
           guint32  seq,
           guint32  end)
{
  if (tcb->settings.profile != TL_PROFILE_LINUX || !tcb->sack_ok)
    return;
  tcb->dsack = (TlSackBlock) { seq, end };
  tcb->dsack_pending = TRUE;
}

/* Linux tcp_send_dupack: a retransmission of what we have means our ACK
 * was lost; ACK at once and leave interactive mode (tcp_enter_quickack_mode),
 * the part we had in a D-SACK block. */
static void
send_dupack (TlSim           *sim,
             TlTcb           *tcb,
             const TlSegment *seg)
{
  guint32 end = seg->seq + tl_segment_seq_len (seg);

  if (end != seg->seq && TL_SEQ_LT (seg->seq, tcb->rcv_nxt))
    {
      incr_quickack (tcb);
      tcb->pingpong = FALSE;
      if (tcb->ato_us != 0)
        tcb->ato_us = TL_TCP_ATO_MIN_US;
      dsack_set (tcb, seg->seq, TL_SEQ_GT (end, tcb->rcv_nxt) ? tcb->rcv_nxt : end);
    }
  tl_tcp_send_ack (sim, tcb);
}

/* Linux tcp_event_data_recv: the first data starts the quick-ack mode and
 * an ATO of TCP_ATO_MIN; later the ATO follows the gaps between arrivals,
 * and a gap longer than the RTO starts quick acks again. */
static void
data_received (TlSim           *sim,
               TlTcb           *tcb,
               guint32          len,
               const TlSegment *seg)
{
  gint64 now = tl_sim_time (sim);

  if (!tl_tcp_rcvbuf_linux (tcb))
    tcb->rcv_mss = MAX (tcb->rcv_mss, len);
  /* the memory first: a segment that overfills the buffer ends quick ACKs
   * (tcp_clamp_window), and a long gap below starts them again (seen on
   * the kernel: the segment after a persist timeout ACKed at once) */
  tl_tcp_rcvbuf_queue (tcb, len, seg, now);
  if (tcb->ato_us == 0)
    {
      incr_quickack (tcb);
      tcb->ato_us = TL_TCP_ATO_MIN_US;
    }
  else
    {
      gint64 m = now - tcb->last_data_us;

      if (m <= TL_TCP_ATO_MIN_US / 2)
        tcb->ato_us = tcb->ato_us / 2 + TL_TCP_ATO_MIN_US / 2;
      else if (m < tcb->ato_us)
        tcb->ato_us = MIN (tcb->ato_us / 2 + m, tcb->rto_us);
      else if (m > tcb->rto_us)
        incr_quickack (tcb);
    }
  tcb->last_data_us = now;
  /* last, as in tcp_event_data_recv: the window's growth asks a quick ACK */
  tl_tcp_rcvbuf_data (tcb, len, seg, now);
}

/* Linux's tcp_comp_sack_slack_ns: the compressed SACK's hrtimer may fire
 * this much after its delay, and on an idle machine does (the kernel's
 * ACK 1.15 ms after the segment, tests/sweep/slow-start-loss.lesson). */
#define LINUX_COMP_SACK_SLACK_US 100
/* TCP_FASTRETRANS_THRESH: duplicate ACKs for one rcv_nxt sent at once. */
#define LINUX_FASTRETRANS_THRESH 3

/* The rest of __tcp_ack_snd_check with data held out of order: SACK
 * compression (the keys comp_sack_nr and comp_sack_delay, read at each
 * segment as Linux reads its sysctls).  The first three duplicate ACKs
 * for one rcv_nxt go at once, for the sender's fast retransmit; the next
 * ones wait, up to comp_sack_nr of them, for a timer of
 * min(comp_sack_delay, 5 % of the RTT) that sends one for all (the RTT the
 * receiver's, or the smoothed one if that is less; any segment we send
 * carries them sooner, tcp_event_ack_sent).  Without SACK, or with
 * comp_sack_nr 0, each goes at once. */
static void
ack_held_data (TlSim *sim,
               TlTcb *tcb)
{
  const TlSettings *host = &sim->hosts[tcb->host].settings;
  gint64 rtt_us;

  if (!tcb->sack_ok || tcb->comp_sack_count >= host->comp_sack_nr)
    {
      tl_tcp_send_ack (sim, tcb);
      return;
    }
  if (tcb->comp_sack_rcv_nxt != tcb->rcv_nxt)
    {
      tcb->comp_sack_rcv_nxt = tcb->rcv_nxt;
      tcb->dup_ack_counter = 0;
    }
  if (tcb->dup_ack_counter < LINUX_FASTRETRANS_THRESH)
    {
      tcb->dup_ack_counter++;
      tl_tcp_send_ack (sim, tcb);
      return;
    }
  tcb->comp_sack_count++;
  if (tcb->timer_id[TL_TIMER_COMP_SACK] != 0)
    return;
  /* rcv_rtt_est, 0 until measured; srtt if less */
  rtt_us = tcb->rcv_rtt_us;
  if (tcb->have_rtt && tcb->srtt_us > 0 && tcb->srtt_us < rtt_us)
    rtt_us = tcb->srtt_us;
  tl_tcp_timer_arm (sim, tcb, TL_TIMER_COMP_SACK,
                    MIN (host->comp_sack_delay_us, rtt_us / 20) + LINUX_COMP_SACK_SLACK_US);
}

/* Linux's TCP_DELACK_MIN (HZ / 25) and TCP_DELACK_MAX (HZ / 5, the default
 * icsk_delack_max), in jiffies. */
#define LINUX_DELACK_MIN_J 10
#define LINUX_DELACK_MAX_J 50

/* Linux's tcp_send_delayed_ack (Linux 6.18), in jiffies as the kernel
 * keeps icsk_ack.ato and icsk_ack.timeout: an ATO above TCP_DELACK_MIN is
 * capped by the smoothed RTT (in whole jiffies, at least TCP_DELACK_MIN),
 * and every ATO by icsk_delack_max (200 ms; the caps of HZ / 2 and of
 * interactive mode are above it).  With the timer armed, one due within a
 * quarter of the ATO (ato >> 2: 2 jiffies of 10) sends the ACK now, before
 * the timer could inflate the ATO; else the earlier of the deadline armed
 * and now + ATO ("use new timeout only if there wasn't a older one
 * earlier"): as a burst of segments brings the ATO back down from a missed
 * delayed ACK's doubling, the timer moves up (seen on the kernel,
 * tests/sweep/zero-window.lesson: the ACK of a burst 40 ms after it, not
 * 80).  The jiffies count from the lesson's time 0 (the kernel's phase is
 * unknown): whether a segment 30 ms after the one that armed a 40 ms timer
 * finds it within the quarter depends on where the ticks fall (seen on the
 * kernel, tests/sweep/README.md: the ACK of a FIN after a simultaneous
 * open). */
static void
send_delayed_ack (TlSim *sim,
                  TlTcb *tcb)
{
  gint64 now_j = tl_sim_time (sim) / TL_LINUX_JIFFY_US;
  gint64 ato_j = (tcb->ato_us + TL_LINUX_JIFFY_US - 1) / TL_LINUX_JIFFY_US;
  gint64 due_j;

  if (ato_j > LINUX_DELACK_MIN_J && tcb->srtt8_us > 0)
    {
      gint64 rtt_j = MAX (tl_linux_jiffies_us (tcb->srtt8_us >> 3) / TL_LINUX_JIFFY_US,
                          LINUX_DELACK_MIN_J);

      ato_j = MIN (ato_j, rtt_j);
    }
  ato_j = MIN (ato_j, LINUX_DELACK_MAX_J);
  due_j = now_j + ato_j;
  if (tcb->timer_id[TL_TIMER_DELACK] != 0)
    {
      if (tcb->delack_due_us <= (now_j + (ato_j >> 2)) * TL_LINUX_JIFFY_US)
        {
          tl_tcp_send_ack (sim, tcb);
          return;
        }
      if (due_j * TL_LINUX_JIFFY_US >= tcb->delack_due_us)
        return;
    }
  tl_tcp_timer_arm (sim, tcb, TL_TIMER_DELACK, ato_j * TL_LINUX_JIFFY_US);
  tcb->delack_due_us = due_j * TL_LINUX_JIFFY_US;
}

/* ACKs what just arrived, at once, delayed or compressed.  The RFC profile
 * ACKs at once (RFC 9293 section 3.8.6.3 allows a delay, requires none;
 * RFC 5681 section 4.2 wants a duplicate ACK at once for data out of
 * order).  Linux (__tcp_ack_snd_check, tcp_send_delayed_ack) ACKs at once
 * when `now` (the state machine wants it: a FIN in FIN_WAIT_1 or
 * FIN_WAIT_2, the hole filled), when more than a full segment is
 * unacknowledged, in quick-ack mode (not interactive); with data held out
 * of order as ack_held_data says; otherwise after the ATO, 40 ms at least,
 * unless something it sends first carries the ACK.  Before any data came
 * the ATO is 0 (inet_csk_clone_lock and tcp_connect_init leave it so): the
 * delayed-ACK timer is armed for now, and the timer wheel runs it at the
 * next tick, within 4 ms (a FIN's ACK 1 ms after it, seen on the lab,
 * tests/sweep/close-races.lesson). */
static void
ack_received (TlSim    *sim,
              TlTcb    *tcb,
              gboolean  now)
{
  guint32 rcv_mss = MAX (tcb->rcv_mss, MIN (tcb->settings.mss, 536u));

  tcb->ack_pending = TRUE;
  if (tcb->settings.profile != TL_PROFILE_LINUX || now
      || (tcb->rcv_nxt - tcb->rcv_wup > rcv_mss && tl_tcp_rcvbuf_edge_advances (tcb))
      || (tcb->quick_acks > 0 && !tcb->pingpong))
    {
      tl_tcp_send_ack (sim, tcb);
      return;
    }
  if (tcb->n_ooo > 0)
    {
      ack_held_data (sim, tcb);
      return;
    }
  send_delayed_ack (sim, tcb);
}

/* Linux's tcp_rcv_state_process, which takes a full socket's segments in
 * every state but ESTABLISHED (tcp_rcv_established's), ends with
 * tcp_ack_snd_check for any segment it keeps, data or not: with an ACK
 * scheduled, __tcp_ack_snd_check and tcp_send_delayed_ack look again, so a
 * bare ACK that comes while the delayed ACK is about to expire sends it
 * (a FIN's ACK in CLOSE_WAIT sent when the peer's ACK of a SYN,ACK came 34
 * ms after the FIN, not at the timer's 40: seen on the kernel,
 * tests/sweep/syn-rcvd-close.lesson).  In ESTABLISHED a bare ACK takes the
 * fast path (header prediction), which does not look; an orphan's
 * FIN_WAIT_2 is a mini socket. */
static gboolean
ack_check_on_any_segment (const TlTcb *tcb)
{
  if (tcb->settings.profile != TL_PROFILE_LINUX)
    return FALSE;
  switch (tcb->state)
    {
    case TL_STATE_FIN_WAIT_1:
    case TL_STATE_CLOSE_WAIT:
    case TL_STATE_CLOSING:
    case TL_STATE_LAST_ACK:
      return TRUE;
    case TL_STATE_FIN_WAIT_2:
      return !tcb->mini_fin_wait_2;
    case TL_STATE_CLOSED:
    case TL_STATE_LISTEN:
    case TL_STATE_SYN_SENT:
    case TL_STATE_SYN_RCVD:
    case TL_STATE_ESTABLISHED:
    case TL_STATE_TIME_WAIT:
      return FALSE;
    }
  return FALSE;
}

/* Holds [seq, end) (and a FIN after it) for later: inserted in order and
 * merged with ranges it overlaps or touches.  FALSE if there was no room. */
static gboolean
ooo_hold (TlTcb    *tcb,
          guint32   seq,
          guint32   end,
          gboolean  fin)
{
  guint i = 0;
  guint j;

  while (i < tcb->n_ooo && TL_SEQ_LT (tcb->ooo[i].end, seq))
    i++;
  /* ranges i..j-1 overlap or touch the new one: merge them into it */
  for (j = i; j < tcb->n_ooo && TL_SEQ_LEQ (tcb->ooo[j].seq, end); j++)
    {
      if (TL_SEQ_LT (tcb->ooo[j].seq, seq))
        seq = tcb->ooo[j].seq;
      if (TL_SEQ_GT (tcb->ooo[j].end, end))
        {
          end = tcb->ooo[j].end;
          fin = tcb->ooo[j].fin;
        }
      else if (tcb->ooo[j].end == end)
        fin = fin || tcb->ooo[j].fin;
    }
  if (j == i && tcb->n_ooo == TL_TCP_OOO_MAX)
    return FALSE;
  if (j == i)
    {
      memmove (&tcb->ooo[i + 1], &tcb->ooo[i], (tcb->n_ooo - i) * sizeof tcb->ooo[0]);
      tcb->n_ooo++;
    }
  else if (j > i + 1)
    {
      memmove (&tcb->ooo[i + 1], &tcb->ooo[j], (tcb->n_ooo - j) * sizeof tcb->ooo[0]);
      tcb->n_ooo -= j - i - 1;
    }
  tcb->ooo[i] = (TlOooRange) { .seq = seq, .end = end, .fin = fin };
  return TRUE;
}

/* Linux tcp_data_queue_ofo: data out of order that we already hold (all
 * of it, or where it overlaps what we hold) is reported in a D-SACK block
 * (tcp_dsack_set, tcp_dsack_extend): the first held range it meets. */
static void
ooo_dsack (TlTcb   *tcb,
           guint32  seq,
           guint32  end)
{
  for (guint i = 0; i < tcb->n_ooo; i++)
    {
      const TlOooRange *r = &tcb->ooo[i];

      if (TL_SEQ_LT (seq, r->end) && TL_SEQ_LT (r->seq, end))
        {
          dsack_set (tcb, TL_SEQ_GT (seq, r->seq) ? seq : r->seq,
                     TL_SEQ_LT (end, r->end) ? end : r->end);
          return;
        }
    }
}

/* Linux tcp_data_queue_ofo: seg's [seq, end) (and a FIN after it) arrived
 * beyond rcv_nxt, an ACK scheduled.  What it adds to the SACK blocks: if it
 * does not extend one of the first two (TCP_SACK_BLOCKS_EXPECTED; a block
 * further down may not fit beside timestamps, or its ACK be lost), the ACKs
 * held back go first, with the blocks as they were
 * (tcp_sack_new_ofo_skb, tcp_sack_compress_send_ack), and that ACK is the
 * one this segment gets.  Then its memory and the window's growth, and it
 * is held.  TRUE if its ACK is still to be decided. */
static gboolean
ooo_arrive (TlSim           *sim,
            TlTcb           *tcb,
            const TlSegment *seg,
            guint32          end,
            gboolean         fin)
{
  guint32 seq = seg->seq;
  guint pos = tcb->n_ooo;

  tcb->ack_pending = TRUE;
  ooo_dsack (tcb, seq, end);
  for (guint i = 0; i < tcb->n_ooo; i++)
    if (TL_SEQ_LEQ (tcb->ooo[i].seq, end) && TL_SEQ_LEQ (seq, tcb->ooo[i].end))
      pos = MIN (pos, tl_tcp_sack_position (tcb, i));
  if (tcb->comp_sack_count > 0 && pos >= 2)
    tl_tcp_send_ack (sim, tcb);
  tl_tcp_rcvbuf_ofo (tcb, end - seq, seg, tl_sim_time (sim));
  ooo_hold (tcb, seq, end, fin);
  tcb->ooo_recent = seq;
  return tcb->ack_pending;
}

/* Takes in what the held ranges add now that rcv_nxt moved: TRUE if a held
 * FIN has become the next thing in sequence. */
static gboolean
ooo_drain (TlSim *sim,
           TlTcb *tcb)
{
  gboolean fin = FALSE;
  guint32 before = tcb->rcv_nxt;
  guint taken = 0;

  while (taken < tcb->n_ooo && TL_SEQ_LEQ (tcb->ooo[taken].seq, tcb->rcv_nxt))
    {
      const TlOooRange *r = &tcb->ooo[taken++];

      if (TL_SEQ_GT (r->end, tcb->rcv_nxt))
        {
          guint32 n = r->end - tcb->rcv_nxt;

          tcb->rcv_nxt = r->end;
          tcb->recv_q += n;
          data_received (sim, tcb, n, NULL);
        }
      if (r->fin && r->end == tcb->rcv_nxt)
        fin = TRUE;
    }
  memmove (&tcb->ooo[0], &tcb->ooo[taken], (tcb->n_ooo - taken) * sizeof tcb->ooo[0]);
  tcb->n_ooo -= taken;
  if (tcb->rcv_nxt != before)
    tl_tcb_queues_changed (sim, tcb);
  return fin;
}

void
tl_tcb_deliver_to_app (TlSim *sim,
                TlTcb *tcb)
{
  if (!tcb->app_owned || tcb->orphan || !sim->hosts[tcb->host].settings.autoread)
    return;
  if (tcb->recv_q > 0)
    {
      tl_sim_record_app (sim, tcb->host, tcb->conn, TL_CALL_RECEIVED, tcb->recv_q, TL_ERR_NONE);
      /* autoread reads as app_read does, and reopens the window alike */
      tl_tcp_app_read (sim, tcb, tcb->recv_q);
      tl_tcb_queues_changed (sim, tcb);
    }
  if (tcb->fin_rcvd && !tcb->eof_seen)
    {
      tcb->eof_seen = TRUE;
      tl_sim_record_app (sim, tcb->host, tcb->conn, TL_CALL_EOF, 0, TL_ERR_NONE);
    }
}

/* Linux tcp_timewait_state_process, TIME_WAIT proper (tcp_rfc1337 0): a
 * bare ACK or RST exactly at rcv_nxt, passing PAWS, restarts the 60 s or
 * ends TIME_WAIT, silently; a SYN above rcv_nxt (or with timestamps, a
 * TSval above the last one) makes TIME_WAIT give way to
 * a new connection (RFC 1122 section 4.2.2.13) whose ISN is the old
 * snd_nxt + 65537, if something listens; any other RST is ignored, and
 * anything else gets an ACK (rate-limited) and restarts the 60 s if it has
 * the ACK bit or failed PAWS. */
static void
linux_time_wait_input (TlSim           *sim,
                       TlTcb           *tcb,
                       const TlSegment *seg)
{
  guint8 flags = seg->flags;
  gint64 tw_len = 2 * tcb->settings.msl_us;
  gboolean paws_reject = paws_rejects (tcb, seg, tl_sim_time (sim));

  if (!paws_reject && seg->seq == tcb->rcv_nxt
      && (tl_segment_seq_len (seg) == 0 || (flags & TL_FLAG_RST)))
    {
      if (flags & TL_FLAG_RST)
        {
          tl_tcb_close (sim, tcb, TL_CAUSE_RCV_RST);
          return;
        }
      tl_tcp_timer_arm (sim, tcb, TL_TIMER_TIME_WAIT, tw_len);
      if (tcb->ts_ok && seg->ts)
        {
          tcb->ts_recent = seg->tsval;
          tcb->ts_recent_us = tl_sim_time (sim);
        }
      return;
    }
  if ((flags & (TL_FLAG_SYN | TL_FLAG_RST | TL_FLAG_ACK)) == TL_FLAG_SYN && !paws_reject
      && (TL_SEQ_GT (seg->seq, tcb->rcv_nxt)
          || (tcb->ts_ok && seg->ts && (gint32) (tcb->ts_recent - seg->tsval) < 0)))
    {
      TlTcb *listener = tl_host_listener (&sim->hosts[tcb->host], tcb->local_port);
      guint32 isn = tcb->snd_nxt + 65535 + 2;

      if (listener != NULL)
        {
          tl_tcb_close (sim, tcb, TL_CAUSE_RCV_SYN);
          tl_host_listen_syn (sim, listener, seg, isn != 0 ? isn : 1);
          return;
        }
    }
  if (flags & TL_FLAG_RST)
    return;
  if (paws_reject || (flags & TL_FLAG_ACK))
    tl_tcp_timer_arm (sim, tcb, TL_TIMER_TIME_WAIT, tw_len);
  if (!oow_seg_limited (sim, tcb, seg))
    tl_tcp_send_ack (sim, tcb);
}

void
tl_tcb_orphan_fin_wait_2 (TlSim *sim,
                          TlTcb *tcb)
{
  const TlSettings *s = &tcb->settings;

  if (s->fin_timeout_us == 0)
    return;
  tl_tcp_timer_arm (sim, tcb, TL_TIMER_FIN_WAIT_2, s->fin_timeout_us);
  /* Linux tcp_time_wait(TCP_FIN_WAIT2): with fin_timeout at most
   * TCP_TIMEWAIT_LEN the socket becomes a timewait mini socket, with
   * its own rules for what arrives and no rate-limit history. */
  if (s->profile == TL_PROFILE_LINUX && s->fin_timeout_us <= 2 * s->msl_us)
    {
      tcb->mini_fin_wait_2 = TRUE;
      tcb->oow_acked = FALSE;
      tl_tcp_metrics_save (sim, tcb);
      tl_tcp_timer_cancel (sim, tcb, TL_TIMER_KEEPALIVE);
      tl_tcp_timer_cancel (sim, tcb, TL_TIMER_DELACK);
    }
}

/* Linux tcp_timewait_state_process, substate FIN_WAIT2 ("just repeat all
 * the checks of tcp_rcv_state_process()", in short): what is outside the
 * window or fails PAWS gets an ACK (rate-limited; a RST too); a RST inside
 * it ends the connection silently, wherever it lies (no challenge ACK); a
 * SYN inside it is answered with a RST and ends it (TCP_TW_RST); a bare
 * ACK is dropped; data gets a RST; the peer's FIN makes it TIME_WAIT. */
static void
linux_mini_fin_wait_2_input (TlSim           *sim,
                             TlTcb           *tcb,
                             const TlSegment *seg)
{
  guint8 flags = seg->flags;
  guint32 end = seg->seq + tl_segment_seq_len (seg);

  if (paws_rejects (tcb, seg, tl_sim_time (sim))
      || !in_window (seg->seq, end, tcb->rcv_nxt, tcb->rcv_nxt + tl_tcp_rcv_window (tcb)))
    {
      if (!oow_seg_limited (sim, tcb, seg))
        tl_tcp_send_ack (sim, tcb);
      return;
    }
  if (flags & TL_FLAG_RST)
    {
      tl_tcb_close (sim, tcb, TL_CAUSE_RCV_RST);
      return;
    }
  if ((flags & TL_FLAG_SYN) && TL_SEQ_GEQ (seg->seq, tcb->rcv_nxt))
    {
      tl_tcp_send_reset_reply (sim, tcb->host, seg);
      tl_tcb_close (sim, tcb, TL_CAUSE_RCV_SYN);
      return;
    }
  if (!(flags & TL_FLAG_ACK) || !TL_SEQ_GT (end, tcb->rcv_nxt) || end == seg->seq)
    return;
  if (!(flags & TL_FLAG_FIN) || end != tcb->rcv_nxt + 1)
    {
      /* data after close() (TCPAbortOnData) */
      tl_tcp_send_reset_reply (sim, tcb->host, seg);
      tl_tcb_close (sim, tcb, TL_CAUSE_APP_CLOSE);
      return;
    }
  tcb->rcv_nxt = end;
  tcb->fin_rcvd = TRUE;
  if (tcb->ts_ok && seg->ts)
    {
      tcb->ts_recent = seg->tsval;
      tcb->ts_recent_us = tl_sim_time (sim);
    }
  enter_time_wait (sim, tcb, TL_CAUSE_RCV_FIN);
  tl_tcp_send_ack (sim, tcb);
}

void
tl_tcp_input (TlSim           *sim,
              TlTcb           *tcb,
              const TlSegment *seg)
{
  gboolean need_ack = FALSE;
  gboolean ack_now = FALSE;
  gboolean held_fin = FALSE;
  guint8 flags = seg->flags;

  switch (tcb->state)
    {
    case TL_STATE_CLOSED:
    case TL_STATE_LISTEN:
      g_assert_not_reached ();   /* listeners are not in the connection table */
    case TL_STATE_SYN_SENT:
      syn_sent_input (sim, tcb, seg);
      return;
    case TL_STATE_SYN_RCVD:
      /* Linux tcp_v4_rcv: a request whose listener closed is dropped, and
       * the segment looked up again (no socket: a RST). */
      if (tcb->listener_gone)
        {
          tl_tcb_close (sim, tcb, TL_CAUSE_APP_UNLISTEN);
          tl_host_receive (sim, seg->to_host, seg);
          return;
        }
      /* Simultaneous open: the peer's SYN,ACK carries the SYN we already
       * have.  Linux (tcp_validate_incoming) takes it as the ACK of ours and
       * answers with an ACK; so does RFC 9293 Figure 8, line 7. */
      if (tcb->active_open && (flags & TL_FLAG_SYN) && (flags & TL_FLAG_ACK)
          && seg->seq + 1 == tcb->rcv_nxt && seg->ack == tcb->snd_nxt)
        {
          tcb->snd_una = seg->ack;
          tl_tcp_take_window (tcb, seg);
          tl_tcb_set_state (sim, tcb, TL_STATE_ESTABLISHED, TL_CAUSE_RCV_SYN_ACK);
          if (tcb->shut_wr)
            {
              /* shutdown() in SYN_RCVD (linux profile): its FIN now,
               * before the ACK, as on the lab */
              tl_tcb_set_state (sim, tcb, TL_STATE_FIN_WAIT_1, TL_CAUSE_APP_SHUTDOWN);
              tl_tcp_output (sim, tcb);
              tl_tcp_sndbuf_check (sim, tcb);
            }
          if (tcb->settings.profile == TL_PROFILE_LINUX)
            {
              /* Linux tcp_data_queue takes the SYN,ACK's SYN as a
               * retransmission: tcp_enter_quickack_mode, so the ATO is
               * TCP_ATO_MIN from here (the ACK of a later FIN waits 40 ms,
               * seen on the lab) */
              incr_quickack (tcb);
              tcb->pingpong = FALSE;
              tcb->ato_us = TL_TCP_ATO_MIN_US;
            }
          tl_tcp_send_ack (sim, tcb);
          tl_tcb_established (sim, tcb);
          tl_tcp_output (sim, tcb);
          tl_tcp_sndbuf_check (sim, tcb);
          return;
        }
      /* A retransmitted SYN: the request sends its SYN,ACK again (Linux
       * tcp_check_req), unless PAWS rejects it first: a TSval older than
       * the request's ts_recent (from the SYN that made it) marks an old
       * duplicate, answered like a segment out of the window, with an ACK
       * (rate-limited), and dropped (seen on the kernel,
       * tests/sweep/paws-syn-rcvd.lesson) */
      if (!tcb->active_open && (flags & (TL_FLAG_SYN | TL_FLAG_ACK | TL_FLAG_RST)) == TL_FLAG_SYN
          && seg->seq == tcb->irs)
        {
          if (tcb->settings.profile == TL_PROFILE_LINUX && tcb->ts_ok && seg->ts
              && tcb->ts_recent != 0 && (gint32) (tcb->ts_recent - seg->tsval) > 0)
            {
              if (!oow_seg_limited (sim, tcb, seg))
                tl_tcp_send_ack (sim, tcb);
              return;
            }
          tl_tcp_send_syn (sim, tcb);
          return;
        }
      break;
    case TL_STATE_TIME_WAIT:
      if (tcb->settings.profile == TL_PROFILE_LINUX)
        {
          linux_time_wait_input (sim, tcb, seg);
          return;
        }
      /* RFC 9293 section 3.10.7.4, TIME-WAIT: "The only thing that can arrive
       * in this state is a retransmission of the remote FIN.  Acknowledge it,
       * and restart the 2 MSL timeout." */
      if ((flags & TL_FLAG_FIN) && !(flags & TL_FLAG_RST)
          && seg->seq + tl_segment_seq_len (seg) == tcb->rcv_nxt)
        {
          tl_tcp_send_ack (sim, tcb);
          tl_tcp_timer_arm (sim, tcb, TL_TIMER_TIME_WAIT, 2 * tcb->settings.msl_us);
          return;
        }
      break;
    case TL_STATE_FIN_WAIT_2:
      if (tcb->mini_fin_wait_2)
        {
          linux_mini_fin_wait_2_input (sim, tcb, seg);
          return;
        }
      break;
    case TL_STATE_ESTABLISHED:
    case TL_STATE_FIN_WAIT_1:
    case TL_STATE_CLOSE_WAIT:
    case TL_STATE_CLOSING:
    case TL_STATE_LAST_ACK:
      break;
    }

  /* RFC 7323 section 5.3 (Linux tcp_validate_incoming, before anything
   * else): a TSval older than the last one taken marks an old duplicate,
   * dropped with a duplicate ACK (rate-limited); a SYN gets a challenge
   * ACK, a RST passes, a pure ACK from before rcv_nxt is dropped without
   * a word (Linux 6.15's PAWS_OLD_ACK). */
  if (tcb->state != TL_STATE_SYN_RCVD && !(flags & TL_FLAG_RST)
      && paws_fails (tcb, seg, TL_TCP_PAWS_WINDOW) && !disordered_ack (tcb, seg))
    {
      if (flags & TL_FLAG_SYN)
        send_challenge_ack (sim, tcb);
      else if (!(tl_segment_seq_len (seg) == 0 && TL_SEQ_LT (seg->seq, tcb->rcv_nxt))
               && !oow_seg_limited (sim, tcb, seg))
        send_dupack (sim, tcb, seg);
      return;
    }

  /* first: sequence number.  Linux answers a SYN with a challenge ACK,
   * anything else but a RST with a duplicate ACK, both rate-limited. */
  if (!acceptable (tcb, seg))
    {
      if (flags & TL_FLAG_RST)
        return;
      /* Linux tcp_sequence keeps a segment that ends at rcv_wup, a copy
       * of what was last acknowledged, and tcp_ack takes its TSval
       * (tcp_replace_ts_recent): the duplicate ACK echoes the
       * retransmission's, whose sender then samples the RTT from it
       * (seen on the kernel: a sample of 100.5 ms in sweep/metrics.lesson,
       * not the 715 ms since the first transmission). */
      if (tcb->settings.profile == TL_PROFILE_LINUX && !(flags & TL_FLAG_SYN)
          && TL_SEQ_GEQ (seg->seq + tl_segment_seq_len (seg), tcb->rcv_wup))
        tl_tcp_update_ts_recent (tcb, seg, tl_sim_time (sim));
      if ((flags & TL_FLAG_SYN) && tcb->settings.profile == TL_PROFILE_LINUX
          && tcb->state != TL_STATE_SYN_RCVD)
        send_challenge_ack (sim, tcb);
      else if (!oow_seg_limited (sim, tcb, seg))
        send_dupack (sim, tcb, seg);
      return;
    }
  tcb->last_rcv_us = tl_sim_time (sim);
  tcb->probes_out = 0;

  /* second: RST */
  if (flags & TL_FLAG_RST)
    {
      rst_input (sim, tcb, seg);
      return;
    }
  /* fourth: SYN in a synchronized state: a challenge ACK (RFC 5961 section 4) */
  if (flags & TL_FLAG_SYN)
    {
      send_challenge_ack (sim, tcb);
      return;
    }
  /* fifth: ACK */
  if (!(flags & TL_FLAG_ACK))
    return;
  if (!ack_input (sim, tcb, seg))
    return;

  /* seventh: text.  A segment that starts beyond rcv_nxt (after a loss, a
   * duplicate, a retransmission) is held for later processing and answered
   * with a duplicate ACK, at once or, under linux after the third,
   * compressed (Linux tcp_data_queue_ofo, __tcp_ack_snd_check); the segment
   * that fills the hole takes the held ones in and is ACKed at once (RFC
   * 5681 section 4.2; Linux ICSK_ACK_NOW). */
  if (seg->len > 0)
    {
      switch (tcb->state)
        {
        case TL_STATE_ESTABLISHED:
        case TL_STATE_FIN_WAIT_1:
        case TL_STATE_FIN_WAIT_2:
          if (tcb->orphan)
            {
              /* Linux (tcp_rcv_state_process, TCPAbortOnData): data for an
               * application that has closed resets the connection. */
              tl_tcp_send_reset_reply (sim, tcb->host, seg);
              tl_tcb_close (sim, tcb, TL_CAUSE_APP_CLOSE);
              return;
            }
          if (TL_SEQ_GT (seg->seq, tcb->rcv_nxt))
            {
              if (ooo_arrive (sim, tcb, seg, seg->seq + seg->len, (flags & TL_FLAG_FIN) != 0))
                ack_received (sim, tcb, FALSE);
              /* its ACK field may have opened our send window: what waited
               * for it goes now, as after any ACK (Linux tcp_data_snd_check
               * follows tcp_data_queue; RFC 9293 section 3.10.7.4, fifth,
               * updates SND.WND whatever the text) */
              tl_tcp_output (sim, tcb);
              tl_tcp_sndbuf_check (sim, tcb);
              return;
            }
          {
            /* acceptable, so it ends beyond rcv_nxt: skip what we have */
            guint32 skip = tcb->rcv_nxt - seg->seq;
            guint32 n = MIN ((guint32) seg->len - skip, tl_tcp_rcv_window (tcb));
            gboolean had_ooo = tcb->n_ooo > 0;

            /* Linux tcp_data_queue: the part we had, in a D-SACK block */
            if (skip > 0)
              dsack_set (tcb, seg->seq, tcb->rcv_nxt);
            tcb->rcv_nxt += n;
            tcb->recv_q += n;
            data_received (sim, tcb, n, seg);
            tl_tcb_queues_changed (sim, tcb);
            if (n < seg->len - skip)
              flags &= ~TL_FLAG_FIN;   /* the FIN lies beyond what fitted */
            /* the hole filled: ICSK_ACK_NOW (RFC 5681 section 4.2) */
            if (had_ooo)
              {
                if (ooo_drain (sim, tcb))
                  held_fin = TRUE;
                ack_now = tcb->n_ooo == 0;
              }
          }
          need_ack = TRUE;
          break;
        case TL_STATE_CLOSE_WAIT:
        case TL_STATE_CLOSING:
        case TL_STATE_LAST_ACK:
        case TL_STATE_TIME_WAIT:
          break;   /* "This should not occur, since a FIN has been received" */
        case TL_STATE_CLOSED:
        case TL_STATE_LISTEN:
        case TL_STATE_SYN_SENT:
        case TL_STATE_SYN_RCVD:
          g_assert_not_reached ();
        }
    }

  /* eighth: FIN */
  if (held_fin || ((flags & TL_FLAG_FIN) && seg->seq + seg->len == tcb->rcv_nxt))
    {
      tcb->rcv_nxt++;
      tcb->fin_rcvd = TRUE;
      need_ack = TRUE;
      switch (tcb->state)
        {
        case TL_STATE_ESTABLISHED:
          /* Linux tcp_fin: interactive mode, so the ACK of the FIN waits
           * for the ATO (40 ms after data, seen on the lab) in the hope of
           * riding on our own FIN. */
          tcb->pingpong = TRUE;
          tl_tcb_set_state (sim, tcb, TL_STATE_CLOSE_WAIT, TL_CAUSE_RCV_FIN);
          break;
        case TL_STATE_FIN_WAIT_1:
          /* our FIN not yet acknowledged, else ack_input made it FIN_WAIT_2;
           * Linux tcp_fin ACKs at once here and in FIN_WAIT_2 */
          ack_now = TRUE;
          tl_tcb_set_state (sim, tcb, TL_STATE_CLOSING, TL_CAUSE_RCV_FIN);
          break;
        case TL_STATE_FIN_WAIT_2:
          ack_now = TRUE;
          enter_time_wait (sim, tcb, TL_CAUSE_RCV_FIN);
          break;
        case TL_STATE_TIME_WAIT:
          ack_now = TRUE;
          tl_tcp_timer_arm (sim, tcb, TL_TIMER_TIME_WAIT, 2 * tcb->settings.msl_us);
          break;
        case TL_STATE_CLOSE_WAIT:
        case TL_STATE_CLOSING:
        case TL_STATE_LAST_ACK:
          break;
        case TL_STATE_CLOSED:
        case TL_STATE_LISTEN:
        case TL_STATE_SYN_SENT:
        case TL_STATE_SYN_RCVD:
          g_assert_not_reached ();
        }
    }
  else if ((flags & TL_FLAG_FIN) && seg->len == 0 && seg->seq != tcb->rcv_nxt)
    {
      /* a FIN beyond a hole: held too, until the data before it comes */
      if (TL_SEQ_GT (seg->seq, tcb->rcv_nxt) && !tcb->fin_rcvd)
        need_ack = ooo_arrive (sim, tcb, seg, seg->seq, TRUE);
      else
        {
          need_ack = TRUE;
          ack_now = TRUE;
        }
    }

  if (need_ack)
    ack_received (sim, tcb, ack_now);
  else if (tcb->ack_pending && ack_check_on_any_segment (tcb))
    ack_received (sim, tcb, FALSE);
  tl_tcb_deliver_to_app (sim, tcb);
  tl_tcp_output (sim, tcb);
  tl_tcp_sndbuf_check (sim, tcb);
}
