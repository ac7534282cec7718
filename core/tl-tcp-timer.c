/* tl-tcp-timer.c: every timer of a connection, each an event in the
 * simulation queue that remembers its id (re-arming cancels the old one), and
 * each armed, cancelled and fired visibly in the trace.
 *
 * Retransmission per RFC 6298 with Linux's variations under the `linux`
 * profile: Linux's RTT estimator (tcp_rtt_estimator, an RTT sample from
 * every ACK and from timestamps, tcp_ack_update_rtt) and RTO = SRTT +
 * rttvar, rttvar at least rto_min (tcp_set_rto), a tail loss probe before
 * the first backoff (RFC 8985), and tcp_retries2 turned into a time limit
 * (tcp_model_timeout). */
#include "tl-sim-private.h"

/* Linux's TCP_RTO_MIN, the base of the tail loss probe's allowance for a
 * delayed ACK (tcp_schedule_loss_probe); not the rto_min setting. */
#define LINUX_TCP_RTO_MIN_US (200 * TL_USEC_PER_MSEC)
/* net.ipv4.tcp_orphan_retries is 0, which tcp_orphan_retries() reads as 8. */
#define LINUX_ORPHAN_RETRIES 8u

static guint16
attempt_of (const TlTcb *tcb,
            TlTimerKind  timer)
{
  switch (timer)
    {
    case TL_TIMER_RETRANSMIT:
      return (guint16) MIN (tcb->retransmits, G_MAXUINT16);
    case TL_TIMER_SYNACK:
      return (guint16) MIN (tcb->synack_timeouts, G_MAXUINT16);
    case TL_TIMER_KEEPALIVE:
    case TL_TIMER_PERSIST:
      return (guint16) MIN (tcb->probes_out, G_MAXUINT16);
    case TL_TIMER_TIME_WAIT:
    case TL_TIMER_FIN_WAIT_2:
    case TL_TIMER_DELACK:
    case TL_TIMER_COMP_SACK:
    case TL_N_TIMERS:
      break;
    }
  return 0;
}

static void
record_timer (TlSim         *sim,
              TlTcb         *tcb,
              TlTimerKind    timer,
              TlTimerAction  action,
              gint64         deadline_us)
{
  TlRecord *rec = tl_sim_record (sim, TL_REC_TIMER, tcb->host, tcb->conn);

  rec->u.timer.timer = timer;
  rec->u.timer.action = action;
  rec->u.timer.deadline_us = deadline_us;
  rec->u.timer.attempt = attempt_of (tcb, timer);
}

void
tl_tcp_timer_cancel (TlSim       *sim,
                     TlTcb       *tcb,
                     TlTimerKind  timer)
{
  if (tcb->timer_id[timer] == 0)
    return;
  tl_event_queue_cancel (sim->queue, tcb->timer_id[timer]);
  tcb->timer_id[timer] = 0;
  record_timer (sim, tcb, timer, TL_TIMER_CANCELLED, 0);
}

/* Linux's timer wheel (kernel/time/timer.c, Linux 6.18, HZ 250):
 * LVL_CLK_SHIFT 3, LVL_BITS 6, LVL_DEPTH 9.  calc_wheel_index puts a timer
 * `delta` = expires - clk jiffies away into the first level n whose
 * LVL_START(n + 1) = 63 << 3n exceeds delta, and calc_index rounds its
 * expiry UP past the next multiple of that level's granularity 8^n jiffies,
 * level 0 included ("expires = (expires >> LVL_SHIFT(lvl)) + 1"): the bucket
 * runs at that tick, so a timer never fires early and fires up to a jiffy
 * late below 252 ms, up to 32 ms late below 2.016 s, 256 ms below 16.1 s,
 * 2.048 s below 129 s, 16.384 s below 17.2 min ...  base->clk is taken as
 * the jiffy now (forward_timer_base; inside a timer's callback the kernel's
 * is one more, which moves the level's edge by a jiffy). */
#define LINUX_LVL_CLK_SHIFT 3
#define LINUX_LVL_SIZE 64
#define LINUX_LVL_DEPTH 9
#define LINUX_LVL_START(n) ((guint64) (LINUX_LVL_SIZE - 1) << (((n) - 1) * LINUX_LVL_CLK_SHIFT))

gint64
tl_linux_timer_wheel_us (gint64 now_us,
                         gint64 delay_us)
{
  guint64 clk = (guint64) MAX (now_us, 0) / TL_LINUX_JIFFY_US;
  guint64 expires = clk + (guint64) (MAX (delay_us, 0) + TL_LINUX_JIFFY_US - 1) / TL_LINUX_JIFFY_US;
  guint lvl = 0;

  while (lvl < LINUX_LVL_DEPTH - 1 && expires - clk >= LINUX_LVL_START (lvl + 1))
    lvl++;
  if (expires - clk >= LINUX_LVL_START (LINUX_LVL_DEPTH))
    {
      /* WHEEL_TIMEOUT_MAX: "force expire obscene large timeouts" */
      expires = clk + LINUX_LVL_START (LINUX_LVL_DEPTH)
                - ((guint64) 1 << ((LINUX_LVL_DEPTH - 1) * LINUX_LVL_CLK_SHIFT));
    }
  expires = ((expires >> (lvl * LINUX_LVL_CLK_SHIFT)) + 1) << (lvl * LINUX_LVL_CLK_SHIFT);
  return (gint64) expires * TL_LINUX_JIFFY_US;
}

/* The linux profile's timers are the kernel's timer_list timers, run by the
 * timer wheel (sk_reset_timer, inet_csk_reset_xmit_timer, the request's and
 * TIME_WAIT's mod_timer); SACK compression is an hrtimer, on time. */
static gboolean
on_timer_wheel (const TlTcb *tcb,
                TlTimerKind  timer)
{
  return tcb->settings.profile == TL_PROFILE_LINUX && timer != TL_TIMER_COMP_SACK;
}

void
tl_tcp_timer_arm (TlSim       *sim,
                  TlTcb       *tcb,
                  TlTimerKind  timer,
                  gint64       delay_us)
{
  gint64 deadline = on_timer_wheel (tcb, timer)
                    ? tl_linux_timer_wheel_us (tl_sim_time (sim), delay_us)
                    : tl_sim_time (sim) + MAX (delay_us, 0);

  tl_tcp_timer_cancel (sim, tcb, timer);
  if (timer == TL_TIMER_RETRANSMIT)
    tcb->reo_pending = FALSE;
  tcb->timer_id[timer] = tl_event_queue_push (sim->queue, deadline, TL_EV_TIMER, timer, tcb);
  record_timer (sim, tcb, timer, TL_TIMER_ARMED, deadline);
}

static gint64
compute_rto (const TlTcb *tcb)
{
  const TlSettings *s = &tcb->settings;
  gint64 rto;

  if (s->profile == TL_PROFILE_LINUX)
    {
      /* __tcp_set_rto: in whole jiffies, rounded up (usecs_to_jiffies) */
      rto = tl_linux_jiffies_us ((tcb->srtt8_us >> 3) + tcb->rttvar_us);
    }
  else
    rto = MAX (tcb->srtt_us + MAX (4 * tcb->rttvar_us, 1), s->rto_min_us);  /* RFC 6298 (2.3), (2.4) */
  return MIN (rto, s->rto_max_us);
}

/* Linux tcp_rtt_estimator: SRTT as RFC 6298's (kept scaled by 8); the mean
 * deviation mdev (scaled by 4) as RFC 6298's RTTVAR, except that a sample
 * below SRTT by more than mdev / 4 raises it by 1/32 of the excess only;
 * what the RTO adds (rttvar_us) is the largest mdev of an RTT window
 * (until snd_una passes rtt_seq), at least rto_min, decaying a quarter of
 * the way to it once a window.  The first sample gives RTO = 3 RTT, at
 * least RTT + rto_min.  Seen on the kernel (tcp:tcp_probe,
 * sweep/rtt-estimator.lesson): SRTT 500.2, 450.2, 406.5, 368.2, 334.7 ms
 * where this gives 500, 450, 406.25, 367.97, 334.47. */
static void
linux_rtt_estimator (TlTcb  *tcb,
                     gint64  m)
{
  gint64 rto_min = tcb->settings.rto_min_us;
  gint64 srtt8 = tcb->srtt8_us;

  if (tcb->have_rtt)
    {
      m -= srtt8 >> 3;
      srtt8 += m;
      if (m < 0)
        {
          m = -m - (tcb->mdev_us >> 2);
          if (m > 0)
            m >>= 3;
        }
      else
        {
          m -= tcb->mdev_us >> 2;
        }
      tcb->mdev_us += m;
      if (tcb->mdev_us > tcb->mdev_max_us)
        {
          tcb->mdev_max_us = tcb->mdev_us;
          tcb->rttvar_us = MAX (tcb->rttvar_us, tcb->mdev_max_us);
        }
      if (TL_SEQ_GT (tcb->snd_una, tcb->rtt_win_seq))
        {
          if (tcb->mdev_max_us < tcb->rttvar_us)
            tcb->rttvar_us -= (tcb->rttvar_us - tcb->mdev_max_us) >> 2;
          tcb->rtt_win_seq = tcb->snd_nxt;
          tcb->mdev_max_us = rto_min;
        }
    }
  else
    {
      srtt8 = m << 3;
      tcb->mdev_us = m << 1;
      tcb->rttvar_us = MAX (tcb->mdev_us, rto_min);
      tcb->mdev_max_us = tcb->rttvar_us;
      tcb->rtt_win_seq = tcb->snd_nxt;
    }
  tcb->srtt8_us = MAX (srtt8, 1);
  tcb->srtt_us = tcb->srtt8_us >> 3;
}

void
tl_tcp_rtt_sample (TlTcb  *tcb,
                   gint64  rtt_us)
{
  rtt_us = MAX (rtt_us, 1);
  if (tcb->settings.profile == TL_PROFILE_LINUX)
    {
      linux_rtt_estimator (tcb, rtt_us);
      tcb->have_rtt = TRUE;
    }
  else if (!tcb->have_rtt)
    {
      /* RFC 6298 (2.2) */
      tcb->srtt_us = rtt_us;
      tcb->rttvar_us = rtt_us / 2;
      tcb->have_rtt = TRUE;
      tcb->min_rtt_us = rtt_us;
    }
  else
    {
      /* RFC 6298 (2.3), beta 1/4, alpha 1/8 */
      gint64 err = tcb->srtt_us - rtt_us;

      tcb->rttvar_us = (3 * tcb->rttvar_us + ABS (err)) / 4;
      tcb->srtt_us = (7 * tcb->srtt_us + rtt_us) / 8;
      tcb->min_rtt_us = MIN (tcb->min_rtt_us, rtt_us);
    }
  tcb->rto_us = compute_rto (tcb);
}

guint32
tl_tcp_jiffies (TlSim *sim)
{
  return (guint32) (tl_sim_time (sim) / TL_LINUX_JIFFY_US) + 1;
}

/* lib/win_minmax.c, minmax_running_min and minmax_subwin_update (Kathleen
 * Nichols' algorithm): the least of what was measured within the last
 * `win` ticks, from three choices spread over the window */
static void
minmax_reset (TlMinmax *m,
              guint32   t,
              guint32   v)
{
  m->s[0].t = m->s[1].t = m->s[2].t = t;
  m->s[0].v = m->s[1].v = m->s[2].v = v;
}

void
tl_minmax_running_min (TlMinmax *m,
                       guint32   win,
                       guint32   t,
                       guint32   v)
{
  TlMinmaxSample val = { t, v };
  guint32 dt;

  if (v <= m->s[0].v || t - m->s[2].t > win)
    {
      minmax_reset (m, t, v);   /* a new minimum, or nothing left in the window */
      return;
    }
  if (v <= m->s[1].v)
    m->s[2] = m->s[1] = val;
  else if (v <= m->s[2].v)
    m->s[2] = val;
  dt = t - m->s[0].t;
  if (dt > win)
    {
      /* the best choice has left the window: the second is the best */
      m->s[0] = m->s[1];
      m->s[1] = m->s[2];
      m->s[2] = val;
      if (t - m->s[0].t > win)
        {
          m->s[0] = m->s[1];
          m->s[1] = m->s[2];
          m->s[2] = val;
        }
    }
  else if (m->s[1].t == m->s[0].t && dt > win / 4)
    {
      /* a quarter of the window without a new minimum: a second choice */
      m->s[2] = m->s[1] = val;
    }
  else if (m->s[2].t == m->s[1].t && dt > win / 2)
    {
      /* half of it: a third choice */
      m->s[2] = val;
    }
}

/* Linux tcp_update_rtt_min: the windowed minimum of the last segment's
 * RTT over net.ipv4.tcp_min_rtt_wlen (300 s), in jiffies; a suspected
 * delayed ACK's sample above the minimum is skipped. */
static void
update_rtt_min (TlSim             *sim,
                TlTcb             *tcb,
                const TlRttSample *rtt)
{
  guint32 v = (guint32) MIN (rtt->ca_us, (gint64) G_MAXUINT32);

  if (tcb->rtt_min.s[0].v == 0)
    minmax_reset (&tcb->rtt_min, tl_tcp_jiffies (sim), G_MAXUINT32);   /* tcp_init_sock */
  if (rtt->maybe_delayed && v > tcb->rtt_min.s[0].v)
    return;
  tl_minmax_running_min (&tcb->rtt_min, TL_LINUX_MIN_RTT_WLEN_S * TL_LINUX_HZ,
                         tl_tcp_jiffies (sim), v != 0 ? v : TL_LINUX_JIFFY_US);
  tcb->min_rtt_us = tcb->rtt_min.s[0].v;
}

/* Linux tcp_ack_update_rtt: without a sample timed from a send time (Karn:
 * an ACK of a retransmitted segment has none), the linux profile takes one
 * from the TSecr of an ACK of something new, "now - TSecr" in ms
 * (tcp_rtt_tsopt_us); the new RTO ends the backoff.  The rfc profile keeps
 * Karn's rule.  Then CUBIC's pkts_acked. */
void
tl_tcp_ack_rtt (TlSim           *sim,
                TlTcb           *tcb,
                const TlSegment *seg,
                TlRttSample      rtt,
                gboolean         acked)
{
  gboolean linux = tcb->settings.profile == TL_PROFILE_LINUX;

  if (rtt.seq_us < 0 && acked && linux && tcb->ts_ok && seg->ts && seg->tsecr != 0)
    {
      guint32 delta = tl_tcp_ts_now (tcb, tl_sim_time (sim)) - seg->tsecr;

      if (delta < G_MAXINT32 / TL_USEC_PER_MSEC)
        rtt.seq_us = rtt.ca_us = (gint64) MAX (delta, 1) * TL_USEC_PER_MSEC;
    }
  if (rtt.seq_us >= 0)
    {
      if (linux)
        update_rtt_min (sim, tcb, &rtt);
      tl_tcp_rtt_sample (tcb, rtt.seq_us);
    }
  if (linux)
    tl_tcp_cc_rtt (sim, tcb, rtt.seq_us >= 0 ? rtt.ca_us : -1);
}

TlRttSample
tl_rtt_one (gint64 rtt_us)
{
  return (TlRttSample) { rtt_us, rtt_us, FALSE };
}

static guint32
packets_out (const TlTcb *tcb)
{
  guint32 bytes = tcb->snd_nxt - tcb->snd_una;

  return MAX (1, (bytes + tcb->snd_mss - 1) / MAX (tcb->snd_mss, 1));
}

/* Linux's tail loss probe is due (tcp_schedule_loss_probe): once per
 * flight, before any backoff, and only where both SYNs agreed SACK
 * (tcp_is_sack; seen on the kernel: with sack off the RTO sends the first
 * segment again, tests/test-tcp-nagle.c). */
static gboolean
tlp_due (const TlTcb *tcb)
{
  return tcb->settings.profile == TL_PROFILE_LINUX && tcb->sack_ok && tcb->have_rtt
         && !tcb->tlp_sent && tcb->retransmits == 0 && tcb->ca_state == TL_CA_OPEN;
}

void
tl_tcp_rearm_rto (TlSim *sim,
                  TlTcb *tcb)
{
  gint64 delay = tcb->rto_us;

  if (tcb->snd_una == tcb->snd_nxt)
    {
      tl_tcp_timer_cancel (sim, tcb, TL_TIMER_RETRANSMIT);
      return;
    }
  /* Linux schedules a tail loss probe first (tcp_schedule_loss_probe):
   * 2 * SRTT in whole jiffies, plus room for a delayed ACK when one segment is out, but never
   * later than the RTO.  With the lessons' short links it comes at the RTO,
   * and the RTO proper follows one RTO later, not yet backed off. */
  if (tlp_due (tcb) && tcb->state != TL_STATE_SYN_SENT && tcb->state != TL_STATE_SYN_RCVD)
    {
      gint64 pto = tl_linux_jiffies_us (2 * tcb->srtt_us)
                   + (packets_out (tcb) == 1 ? LINUX_TCP_RTO_MIN_US : TL_TCP_TIMEOUT_MIN_US);

      delay = MIN (pto, delay);
    }
  tl_tcp_timer_arm (sim, tcb, TL_TIMER_RETRANSMIT, delay);
}

/* tcp_model_timeout (Linux 6.1): the time the RTO would take to go through
 * `boundary` retransmissions starting at rto_base and doubling up to rto_max. */
static gint64
linux_model_timeout (guint  boundary,
                     gint64 rto_base,
                     gint64 rto_max)
{
  guint thresh = 0;

  rto_base = MAX (rto_base, 1);
  while ((rto_base << (thresh + 1)) <= rto_max && thresh < 62)
    thresh++;
  if (boundary <= thresh)
    return ((G_GINT64_CONSTANT (2) << boundary) - 1) * rto_base;
  return ((G_GINT64_CONSTANT (2) << thresh) - 1) * rto_base + (gint64) (boundary - thresh) * rto_max;
}

static void
give_up (TlSim *sim,
         TlTcb *tcb)
{
  tl_tcb_report_error (sim, tcb, TL_ERR_ETIMEDOUT);
  tl_tcb_close (sim, tcb, TL_CAUSE_TIMEOUT);
}

static void
retransmit_timeout (TlSim *sim,
                    TlTcb *tcb)
{
  const TlSettings *s = &tcb->settings;

  switch (tcb->state)
    {
    case TL_STATE_SYN_SENT:
    case TL_STATE_SYN_RCVD:
      /* Linux 6.18 tcp_write_timeout: give up after syn_retries
       * retransmissions, plus syn_linear_timeouts in SYN_SENT, or as soon
       * as the time since the first SYN reaches the time syn_retries
       * doubling timeouts would take (retransmits_timed_out, from
       * rto_initial).  Seen on the lab with the defaults (syn_retries 6,
       * syn_linear_timeouts 4): SYNs at 0, 1, 2, 3, 4, 5, 7, 11, 19, 35,
       * 67 s, ETIMEDOUT at 131 s (the count ends it); syn_retries 2: SYNs at
       * 0..5 s, ETIMEDOUT at 7 s; syn_retries 1: SYNs at 0, 1, 2 s,
       * ETIMEDOUT at 3 s (the time ends it).  The RFC profile counts
       * syn_retries only. */
      if (tcb->retransmits >= s->syn_retries
                              + (tcb->state == TL_STATE_SYN_SENT ? s->syn_linear_timeouts : 0)
          || (s->profile == TL_PROFILE_LINUX && tcb->retransmits > 0
              && tl_sim_time (sim) - tcb->retrans_stamp_us
                 >= linux_model_timeout (s->syn_retries, s->rto_initial_us, s->rto_max_us)))
        {
          give_up (sim, tcb);
          return;
        }
      break;
    case TL_STATE_ESTABLISHED:
    case TL_STATE_FIN_WAIT_1:
    case TL_STATE_CLOSE_WAIT:
    case TL_STATE_CLOSING:
    case TL_STATE_LAST_ACK:
      if (tcb->snd_una == tcb->snd_nxt)
        return;
      if (tlp_due (tcb) && tcb->tlp_high_set && tcb->rtx != NULL && tcb->rtx->len > 0)
        {
          /* tcp_send_loss_probe: at most one probe outstanding (its
           * episode not ended by an ACK, tcp_process_tlp_ack); the RTO then,
           * counted from the head's last send (tcp_rearm_rto) */
          gint64 head_us = g_array_index (tcb->rtx, TlTxChunk, 0).xmit_us;

          tcb->tlp_sent = TRUE;
          tl_tcp_timer_arm (sim, tcb, TL_TIMER_RETRANSMIT,
                            MAX (tcb->rto_us - (tl_sim_time (sim) - head_us), 1));
          return;
        }
      if (tlp_due (tcb))
        {
          /* The tail loss probe: sent again without backoff (RFC 8985 section 7.3). */
          guint32 prior_nxt = tcb->snd_nxt;

          tcb->tlp_sent = TRUE;
          tcb->rtt_pending = FALSE;
          tl_tcp_send_loss_probe (sim, tcb);
          /* tlp_high_seq, and whether the probe sent data again */
          tcb->tlp_high_set = TRUE;
          tcb->tlp_high_seq = tcb->snd_nxt;
          tcb->tlp_retrans = tcb->snd_nxt == prior_nxt;
          tl_tcp_timer_arm (sim, tcb, TL_TIMER_RETRANSMIT, tcb->rto_us);
          return;
        }
      if (s->profile == TL_PROFILE_LINUX)
        {
          /* retransmits_timed_out(): tcp_retries2 as a time since the head
           * was first sent, as if the RTO began at rto_min and doubled.  An
           * orphan (close()d: FIN_WAIT_1, CLOSING, LAST_ACK) counts
           * tcp_orphan_retries instead, whose 0 means 8 (tcp_orphan_retries()):
           * 102.2 s of model time, so with an RTO of 300 ms ten FINs in all
           * (the first, the tail loss probe, eight backed-off ones) and the
           * connection gone at the timeout after the last, 153.6 s after the
           * first FIN.  Those 8 are for an orphan still "alive", its RTO
           * below rto_max (tcp_write_timeout); once the RTO has reached
           * rto_max they are 0, and this timeout ends it (seen on the lab
           * with rto_max 1 s: FINs at 0, 0.33, 0.65, 1.29 s, gone at 2.3 s,
           * tests/sweep/orphan-rto-max.lesson). */
          guint retries = !tcb->orphan ? s->retries
                          : tcb->rto_us < s->rto_max_us ? LINUX_ORPHAN_RETRIES : 0;

          if (tcb->retransmits > 0
              && tl_sim_time (sim) - tcb->retrans_stamp_us
                 >= linux_model_timeout (retries, s->rto_min_us, s->rto_max_us))
            {
              give_up (sim, tcb);
              return;
            }
        }
      else if (tcb->retransmits >= s->retries)
        {
          give_up (sim, tcb);
          return;
        }
      break;
    case TL_STATE_CLOSED:
    case TL_STATE_LISTEN:
    case TL_STATE_FIN_WAIT_2:
    case TL_STATE_TIME_WAIT:
      return;
    }

  /* The congestion window: Linux's tcp_enter_loss, RFC 5681 section 3.1. */
  if (tcb->state != TL_STATE_SYN_SENT && tcb->state != TL_STATE_SYN_RCVD)
    tl_tcp_cc_timeout (sim, tcb);
  /* Linux's give-up clock (retrans_stamp) starts at the first
   * retransmission (tcp_retransmit_skb: "Save stamp of the first
   * (attempted) retransmit"; the tail loss probe's __tcp_retransmit_skb
   * does not), a SYN's at the first SYN.  Seen on the kernel
   * (tests/sweep/peer-gone.lesson, rto_max 1 s): the data 17 times, the
   * last at 15.2 s, gone at 16.2 s, 14.4 s of model time after the first
   * timeout's retransmission at 1.25 s, not after the write at 0.6 s. */
  if (s->profile == TL_PROFILE_LINUX && tcb->retransmits == 0
      && tcb->state != TL_STATE_SYN_SENT && tcb->state != TL_STATE_SYN_RCVD)
    tcb->retrans_stamp_us = tl_sim_time (sim);
  /* RFC 6298 (5.5)-(5.6): back off, send the earliest segment again, and
   * take no RTT sample from it (Karn). */
  tcb->retransmits++;
  /* Linux 6.18 tcp_retransmit_timer: in SYN_SENT the first
   * syn_linear_timeouts retransmissions keep the timer (no backoff). */
  if (tcb->state != TL_STATE_SYN_SENT || tcb->retransmits > s->syn_linear_timeouts)
    tcb->rto_us = MIN (tcb->rto_us * 2, s->rto_max_us);
  tcb->rtt_pending = FALSE;
  tl_tcp_retransmit_head (sim, tcb);
  tl_tcp_timer_arm (sim, tcb, TL_TIMER_RETRANSMIT, tcb->rto_us);
}

/* Linux tcp_delack_timer_handler: the ACK goes out; a missed delayed ACK
 * in interactive mode leaves that mode, otherwise the next wait doubles. */
static void
delack_timeout (TlSim *sim,
                TlTcb *tcb)
{
  if (!tcb->ack_pending)
    return;
  if (tcb->pingpong)
    {
      tcb->pingpong = FALSE;
      tcb->ato_us = TL_TCP_ATO_MIN_US;
    }
  else
    {
      tcb->ato_us = MIN (tcb->ato_us * 2, tcb->rto_us);
    }
  tl_tcp_send_ack (sim, tcb);
}

/* A half-open request's SYN,ACK timer: Linux's reqsk_timer_handler. */
static void
synack_timeout (TlSim *sim,
                TlTcb *tcb)
{
  const TlSettings *s = &tcb->settings;
  TlTcb *listener = tcb->parent;
  guint thresh = s->synack_retries;

  /* reqsk_timer_handler: the listener is gone, so is the request */
  if (tcb->listener_gone)
    {
      tl_tcb_close (sim, tcb, TL_CAUSE_APP_UNLISTEN);
      return;
    }
  if (s->profile == TL_PROFILE_LINUX && listener != NULL)
    {
      /* "we reserve half of room for young embrions; and abort old ones
       * without pity, if old ones are about to clog our table": with the
       * queue more than half full of requests that already timed out, the
       * retries drop to as few as 2. */
      guint qlen = listener->syn_qlen;

      if ((qlen << 1) > MAX (8u, listener->backlog))
        {
          guint young = listener->syn_young << 1;

          while (thresh > 2)
            {
              if (qlen < young)
                break;
              thresh--;
              young <<= 1;
            }
        }
    }

  if (tcb->synack_timeouts >= thresh)
    {
      tl_tcb_close (sim, tcb, TL_CAUSE_TIMEOUT);
      return;
    }
  tl_tcp_send_syn (sim, tcb);
  if (tcb->synack_timeouts++ == 0 && listener != NULL)
    listener->syn_young--;
  tl_tcp_timer_arm (sim, tcb, TL_TIMER_SYNACK,
                    MIN (s->rto_initial_us << MIN (tcb->synack_timeouts, 30), s->rto_max_us));
}

void
tl_tcp_keepalive_start (TlSim *sim,
                        TlTcb *tcb)
{
  if (tcb->settings.keepalive)
    tl_tcp_timer_arm (sim, tcb, TL_TIMER_KEEPALIVE, tcb->settings.keepalive_idle_us);
}

/* RFC 1122 section 4.2.3.6, as Linux's tcp_keepalive_timer does it: probes
 * after `idle` without anything received, every `interval`, and after
 * `probes` unanswered ones a RST and ETIMEDOUT.  Linux runs it in every
 * state of a full socket but SYN_SENT: after shutdown() an idle FIN_WAIT_2
 * is probed too (seen on the lab, tests/sweep/keepalive-states.lesson); in
 * FIN_WAIT_1, CLOSING and LAST_ACK the FIN is in flight, so it only waits.
 * An orphan's FIN_WAIT_2 is Linux's mini socket, or has the timer as its
 * fin_timeout: no probes. */
static void
keepalive_timeout (TlSim *sim,
                   TlTcb *tcb)
{
  const TlSettings *s = &tcb->settings;
  gint64 elapsed;

  switch (tcb->state)
    {
    case TL_STATE_ESTABLISHED:
    case TL_STATE_CLOSE_WAIT:
    case TL_STATE_FIN_WAIT_1:
    case TL_STATE_CLOSING:
    case TL_STATE_LAST_ACK:
      break;
    case TL_STATE_FIN_WAIT_2:
      if (tcb->orphan || s->profile != TL_PROFILE_LINUX)
        return;
      break;
    case TL_STATE_CLOSED:
    case TL_STATE_LISTEN:
    case TL_STATE_SYN_SENT:
    case TL_STATE_SYN_RCVD:
    case TL_STATE_TIME_WAIT:
      return;
    }

  if (tcb->snd_una != tcb->snd_nxt || TL_SEQ_LT (tcb->snd_nxt, tcb->data_end))
    {
      /* data in flight, or waiting for a window: the retransmission or the
       * persist timer is in charge (Linux: packets_out, or a write queue
       * not empty) */
      tl_tcp_timer_arm (sim, tcb, TL_TIMER_KEEPALIVE, s->keepalive_idle_us);
      return;
    }
  elapsed = tl_sim_time (sim) - tcb->last_rcv_us;
  if (elapsed < s->keepalive_idle_us)
    {
      tl_tcp_timer_arm (sim, tcb, TL_TIMER_KEEPALIVE, s->keepalive_idle_us - elapsed);
      return;
    }
  if (tcb->probes_out >= s->keepalive_probes)
    {
      tl_tcp_send_ctl (sim, tcb, tcb->snd_nxt, TL_FLAG_RST | TL_FLAG_ACK);
      give_up (sim, tcb);
      return;
    }
  /* The probe: one byte below snd_una, so the peer must answer with an ACK. */
  tl_tcp_send_ctl (sim, tcb, tcb->snd_una - 1, TL_FLAG_ACK);
  tcb->probes_out++;
  tl_tcp_timer_arm (sim, tcb, TL_TIMER_KEEPALIVE, s->keepalive_interval_us);
}

/* Data waits for a closed window (or, linux, one too small for the next
 * segment), and nothing is in flight to bring a window update back. */
static gboolean
window_blocked (const TlTcb *tcb)
{
  return tcb->snd_una == tcb->snd_nxt && tl_tcp_window_holds_back (tcb);
}

/* The probe interval: the RTO (RFC 9293 section 3.8.6.1), at least
 * TCP_RTO_MIN on Linux (tcp_probe0_base), doubled per probe up to rto_max
 * (tcp_probe0_when). */
static gint64
persist_interval (const TlTcb *tcb)
{
  gint64 base = tcb->rto_us;

  if (tcb->settings.profile == TL_PROFILE_LINUX)
    base = MAX (base, LINUX_TCP_RTO_MIN_US);
  return MIN (base << MIN (tcb->persist_backoff, 30u), tcb->settings.rto_max_us);
}

/* RFC 9293 section 3.8.6.1 and RFC 1122 section 4.2.2.17: a closed window
 * is probed, or a lost window update would leave both ends waiting for
 * ever; as RFC 6298 (5.1) keeps a timer running for data in flight, this
 * one runs for data held back by the window.  As Linux: tcp_check_probe_timer
 * after output (first interval not backed off), tcp_ack_probe on an ACK
 * with nothing in flight (again, backed off), and the timer stopped when the
 * window opens or data goes out. */
void
tl_tcp_persist_check (TlSim    *sim,
                      TlTcb    *tcb,
                      gboolean  probe_answer)
{
  if (!window_blocked (tcb))
    {
      tcb->persist_backoff = 0;
      tl_tcp_timer_cancel (sim, tcb, TL_TIMER_PERSIST);
    }
  else if (probe_answer || tcb->timer_id[TL_TIMER_PERSIST] == 0)
    {
      tl_tcp_timer_arm (sim, tcb, TL_TIMER_PERSIST, persist_interval (tcb));
    }
}

static gboolean
linux_orphan (const TlTcb *tcb)
{
  return tcb->orphan && tcb->settings.profile == TL_PROFILE_LINUX;
}

/* Linux tcp_probe_timer and tcp_send_probe0: a probe (one byte below
 * snd_una, as a keepalive probe, so the peer answers with its window);
 * the peer that answers is probed for as long as it keeps its window
 * closed (an answer clears probes_out), one that does not is given up after
 * `retries` probes (tcp_retries2); an orphan is given up as its backoff
 * reaches rto_max, answered or not (below).  A window that opened unseen
 * lets the data go (tcp_write_wakeup). */
static void
persist_timeout (TlSim *sim,
                 TlTcb *tcb)
{
  switch (tcb->state)
    {
    case TL_STATE_ESTABLISHED:
    case TL_STATE_CLOSE_WAIT:
    case TL_STATE_FIN_WAIT_1:
    case TL_STATE_CLOSING:
    case TL_STATE_LAST_ACK:
      break;
    case TL_STATE_CLOSED:
    case TL_STATE_LISTEN:
    case TL_STATE_SYN_SENT:
    case TL_STATE_SYN_RCVD:
    case TL_STATE_FIN_WAIT_2:
    case TL_STATE_TIME_WAIT:
      return;
    }
  if (tcb->snd_una != tcb->snd_nxt || !TL_SEQ_LT (tcb->snd_nxt, tcb->data_end))
    {
      tcb->probes_out = 0;
      tcb->persist_backoff = 0;
      return;
    }
  if (tcb->probes_out >= tcb->settings.retries && !linux_orphan (tcb))
    {
      give_up (sim, tcb);
      return;
    }
  if (linux_orphan (tcb))
    {
      /* tcp_probe_timer for an orphan: tcp_orphan_retries (0, which means 8)
       * while it is "alive", its RTO backed off by the probes still below
       * rto_max, and none after: it is given up at the first timeout once
       * the backed-off RTO reaches rto_max, however the peer answers
       * (answers clear probes_out, not the backoff).  Nothing is sent. */
      gboolean alive = MIN (tcb->rto_us << MIN (tcb->persist_backoff, 30u), tcb->settings.rto_max_us)
                       < tcb->settings.rto_max_us;
      guint max_probes = alive ? LINUX_ORPHAN_RETRIES : 0;

      if ((!alive && tcb->persist_backoff >= max_probes) || tcb->probes_out >= max_probes)
        {
          give_up (sim, tcb);
          return;
        }
    }
  if (tcb->snd_wnd > 0)
    {
      /* a window too small for a segment, or one that opened unseen */
      if (tcb->settings.profile == TL_PROFILE_LINUX && window_blocked (tcb))
        {
          tcb->probes_out = 0;
          tcb->persist_backoff = 0;
          tl_tcp_window_wakeup (sim, tcb);
        }
      else
        tl_tcp_output (sim, tcb);
      return;
    }
  tl_tcp_send_ctl (sim, tcb, tcb->snd_una - 1, TL_FLAG_ACK);
  tcb->probes_out++;
  if (tcb->persist_backoff < tcb->settings.retries)
    tcb->persist_backoff++;
  tl_tcp_timer_arm (sim, tcb, TL_TIMER_PERSIST, persist_interval (tcb));
}

void
tl_tcp_timer_fire (TlSim       *sim,
                   TlTcb       *tcb,
                   TlTimerKind  timer)
{
  tcb->timer_id[timer] = 0;
  record_timer (sim, tcb, timer, TL_TIMER_FIRED, tl_sim_time (sim));

  switch (timer)
    {
    case TL_TIMER_RETRANSMIT:
      if (tcb->reo_pending)
        tl_tcp_rack_timeout (sim, tcb);
      else
        retransmit_timeout (sim, tcb);
      break;
    case TL_TIMER_SYNACK:
      synack_timeout (sim, tcb);
      break;
    case TL_TIMER_TIME_WAIT:
      tl_tcb_close (sim, tcb, TL_CAUSE_TIME_WAIT_DONE);
      break;
    case TL_TIMER_FIN_WAIT_2:
      /* Linux: the orphan vanishes without a word; a later FIN gets a RST. */
      tl_tcb_close (sim, tcb, TL_CAUSE_FIN_WAIT_2_DONE);
      break;
    case TL_TIMER_KEEPALIVE:
      keepalive_timeout (sim, tcb);
      break;
    case TL_TIMER_DELACK:
      delack_timeout (sim, tcb);
      break;
    case TL_TIMER_PERSIST:
      persist_timeout (sim, tcb);
      break;
    case TL_TIMER_COMP_SACK:
      /* Linux tcp_compressed_ack_kick: the ACKs held back go as one */
      if (tcb->comp_sack_count > 0)
        tl_tcp_send_ack (sim, tcb);
      break;
    case TL_N_TIMERS:
      g_assert_not_reached ();
    }
}
