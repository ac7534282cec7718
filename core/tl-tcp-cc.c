/* tl-tcp-cc.c: the congestion window.
 *
 * The linux profile is Linux 6.18 with CUBIC (tcp_cubic.c, Linux's usual
 * default; tcplab-cli real asks for it on every socket), in segments as
 * Linux counts them: an initial window of 10 (TCP_INIT_CWND, tcp_init_cwnd;
 * 1 after more than one SYN retransmission, tcp_init_transfer); slow start
 * adds what each ACK delivers (tcp_slow_start), but only while the window
 * is what limits the sender (tcp_is_cwnd_limited); CUBIC's growth after
 * ssthresh (bictcp_update, tcp_cong_avoid_ai, HZ 250 as this kernel); a
 * loss that RACK finds (without SACK: the third duplicate ACK, NewReno in
 * tl-tcp-rack.c) starts Recovery with ssthresh = cwnd * 717 / 1024 and
 * Proportional Rate Reduction (RFC 6937, tcp_cwnd_reduction), cwnd =
 * ssthresh when it ends (without SACK at an ACK above high_seq: see
 * reno_holds); a retransmission timeout sets ssthresh the same way once,
 * cwnd = 1 and everything not SACKed lost (tcp_enter_loss); an
 * application that left the window unused for an RTO gets it halved toward
 * what it used (tcp_cwnd_application_limited), and a write after an idle
 * longer than the RTO, or a window update then with data waiting unsent,
 * restarts from the initial window (tcp_slow_start_after_idle 1,
 * tcp_cwnd_restart).  After a timeout,
 * F-RTO (RFC 5682, tcp_frto 2, tcp_process_loss): when the timeout's
 * retransmission is acknowledged, new data goes first, and only when its
 * SACK shows the loss real what was marked lost; a timeout found spurious
 * (data never sent again acknowledged, or a TSecr older than the first
 * retransmission: tcp_try_undo_loss) gets its window and ssthresh back
 * (without SACK at snd_una exactly high_seq Loss still holds, F-RTO's
 * undo too: tcp_is_non_sack_preventing_reopen, see reno_holds).
 * A Recovery found spurious by the timestamps (an ACK echoing a TSval older
 * than the first retransmission: the original arrived, delayed) is undone
 * the same way, when it ends (tcp_try_undo_recovery) or at a partial ACK
 * with no retransmission outstanding (tcp_try_undo_partial, which also
 * records the reordering); on a path that reorders (tp->reordering above
 * 3) SACKed data grows the window too (tcp_may_raise_cwnd).
 * HyStart (hystart 1, hystart_detect 3: hystart_update) ends slow start,
 * ssthresh = cwnd, from cwnd 16 on, when a round's RTT samples rise above
 * CUBIC's own delay_min (its least ca_rtt since the connection began or
 * the last timeout, none taken for a second after an epoch starts) by an
 * eighth of it, 4 to 16 ms, or its ACKs come as a train longer than half
 * of delay_min; seen on the kernel when the link's delay rises in slow
 * start (tests/sweep/hystart-delay.lesson).
 * An ACK beyond a tail loss probe that sent data again, with no D-SACK of
 * the probe, shows the probe repaired a loss: ssthresh as for a Recovery
 * and cwnd = ssthresh at once (tcp_process_tlp_ack: CWR begun and ended).
 * Between those states the connection is Open, or in Disorder while SACKed,
 * lost or retransmitted data is out (tcp_try_keep_open), where Linux
 * schedules no tail loss probe.  Without timestamps a reduction is
 * undone when every retransmission since it has been D-SACKed
 * (undo_retrans 0: tcp_try_undo_dsack, also after the Recovery ended).
 *
 * The rfc profile is RFC 5681 in bytes: IW from its section 3.1 (3 segments
 * of 1460), slow start by min(N, SMSS) per ACK, congestion avoidance by
 * SMSS * SMSS / cwnd, RTO: ssthresh = max(FlightSize / 2, 2 * SMSS) and
 * cwnd = 1 SMSS, and the restart window after an idle RTO (section 4.1).
 * The rfc profile has no fast retransmit (a loss waits for the timer), so
 * it has no fast recovery either. */
#include "tl-sim-private.h"

#define LINUX_TCP_INIT_CWND   10u
#define LINUX_INFINITE_SSTHRESH 0x7fffffffu
/* tcp_cubic.c's parameters (module defaults) */
#define CUBIC_BETA            717u
#define CUBIC_BETA_SCALE      1024u
#define CUBIC_HZ_SHIFT        10u     /* BICTCP_HZ */
#define CUBIC_BIC_SCALE       41u
#define HYSTART_LOW_WINDOW    16u
#define HYSTART_ACK_DELTA_US  2000
#define HYSTART_MIN_SAMPLES   8u
#define HYSTART_DELAY_MIN_US  4000u
#define HYSTART_DELAY_MAX_US  16000u

static gboolean
is_linux (const TlTcb *tcb)
{
  return tcb->settings.profile == TL_PROFILE_LINUX;
}

static guint32
jiffies (TlSim *sim)
{
  return tl_tcp_jiffies (sim);
}

guint32
tl_tcp_cc_initial (const TlTcb *tcb)
{
  guint32 mss = MAX (tcb->snd_mss, 1);

  if (is_linux (tcb))
    return tcb->settings.initcwnd != 0 ? tcb->settings.initcwnd : 10;   /* 0: the metric unset */
  if (tcb->settings.initcwnd > 0)
    return tcb->settings.initcwnd * mss;
  /* RFC 5681 section 3.1, equation (1) */
  if (mss > 2190)
    return 2 * mss;
  if (mss > 1095)
    return 3 * mss;
  return 4 * mss;
}

static void
record_now (TlSim *sim,
            TlTcb *tcb)
{
  TlRecord *rec;

  tcb->cwnd_shown = tcb->snd_cwnd;
  tcb->ssthresh_shown = tcb->snd_ssthresh;
  rec = tl_sim_record (sim, TL_REC_CWND, tcb->host, tcb->conn);
  rec->u.cwnd.cwnd = tcb->snd_cwnd;
  rec->u.cwnd.ssthresh = tcb->snd_ssthresh;
  rec->u.cwnd.bytes = !is_linux (tcb);
}

/* The trace says the window when it changes, from the connection's first
 * data segment on (cwnd_shown 0 until then: a window is never 0): a
 * connection that sends none, as in a flood or a bare open and close, has
 * no window to show and costs no record. */
static void
record (TlSim *sim,
        TlTcb *tcb)
{
  if (tcb->cwnd_shown == 0
      || (tcb->cwnd_shown == tcb->snd_cwnd && tcb->ssthresh_shown == tcb->snd_ssthresh))
    return;
  record_now (sim, tcb);
}

void
tl_tcp_cc_data_first (TlSim *sim,
                      TlTcb *tcb)
{
  if (tcb->cc_ready && tcb->cwnd_shown == 0)
    record_now (sim, tcb);
}

/* bictcp_hystart_reset: a new round of HyStart, which ends when snd_una
 * passes what is sent now */
static void
hystart_reset (TlSim *sim,
               TlTcb *tcb)
{
  TlCubic *ca = &tcb->cubic;

  ca->round_start = ca->last_ack = (guint32) tl_sim_time (sim);   /* bictcp_clock_us */
  ca->end_seq = tcb->snd_nxt;
  ca->curr_rtt = G_MAXUINT32;
  ca->sample_cnt = 0;
}

/* bictcp_reset and bictcp_hystart_reset (cubictcp_init, and
 * cubictcp_state at TCP_CA_Loss): delay_min and found too */
static void
cubic_reset (TlSim *sim,
             TlTcb *tcb)
{
  tcb->cubic = (TlCubic) { 0 };
  hystart_reset (sim, tcb);
}

void
tl_tcp_cc_init (TlSim *sim,
                TlTcb *tcb,
                guint  syn_retransmits)
{
  cubic_reset (sim, tcb);
  tcb->ca_state = TL_CA_OPEN;
  tcb->snd_cwnd_cnt = 0;
  tcb->snd_ssthresh = is_linux (tcb) ? LINUX_INFINITE_SSTHRESH : G_MAXUINT32;
  /* tcp_init_transfer: "we only reset cwnd when more than 1 SYN/SYN-ACK
   * retransmission has occurred" (the active side; a request's child
   * keeps no undo marker).  RFC 5681 section 3.1: LW after a lost SYN. */
  if (syn_retransmits > (is_linux (tcb) ? 1u : 0u) && tcb->active_open)
    tcb->snd_cwnd = is_linux (tcb) ? 1 : tcb->snd_mss;
  else
    tcb->snd_cwnd = tl_tcp_cc_initial (tcb);
  tcb->lsndtime_us = tl_sim_time (sim);
  tcb->snd_cwnd_stamp_us = tl_sim_time (sim);
  tcb->snd_cwnd_used = 0;
  tcb->max_packets_out = 0;
  tcb->is_cwnd_limited = FALSE;
  tcb->cwnd_usage_seq = tcb->snd_nxt;
  /* tcp_init_sock: net.ipv4.tcp_reordering, one step of RACK's window */
  tcb->reordering = 3;
  tcb->reo_wnd_steps = 1;
  tcb->cc_ready = TRUE;
  record (sim, tcb);
}

guint32
tl_tcp_cc_in_flight (const TlTcb *tcb)
{
  guint32 n = 0;

  if (!is_linux (tcb))
    return tcb->snd_nxt - tcb->snd_una;
  /* tcp_packets_in_flight: packets_out - (sacked_out + lost_out) + retrans_out;
   * without SACK sacked_out counts duplicate ACKs (reno_sacked) */
  if (tcb->rtx != NULL)
    for (guint i = 0; i < tcb->rtx->len; i++)
      {
        const TlTxChunk *c = &g_array_index (tcb->rtx, TlTxChunk, i);

        if (!c->sacked && !c->lost)
          n++;
      }
  return n > tcb->reno_sacked ? n - tcb->reno_sacked : 0;
}

static guint32
packets_out (const TlTcb *tcb)
{
  return tcb->rtx != NULL ? tcb->rtx->len : 0;
}

gboolean
tl_tcp_cc_may_send (const TlTcb *tcb,
                    guint32      len)
{
  if (!tcb->cc_ready)
    return TRUE;
  if (is_linux (tcb))
    return tl_tcp_cc_in_flight (tcb) < tcb->snd_cwnd;   /* tcp_cwnd_test */
  /* RFC 5681 section 3.1: nothing beyond SND.UNA + cwnd */
  return (guint64) (tcb->snd_nxt - tcb->snd_una) + len <= tcb->snd_cwnd;
}

static gboolean
in_slow_start (const TlTcb *tcb)
{
  return tcb->snd_cwnd < tcb->snd_ssthresh;
}

static gboolean
in_cwnd_reduction (const TlTcb *tcb)
{
  return tcb->ca_state == TL_CA_RECOVERY;
}

/* tcp_is_cwnd_limited */
static gboolean
cwnd_limited (const TlTcb *tcb)
{
  if (tcb->is_cwnd_limited)
    return TRUE;
  if (in_slow_start (tcb))
    return tcb->snd_cwnd < 2 * tcb->max_packets_out;
  return FALSE;
}

/* tcp_current_ssthresh */
static guint32
current_ssthresh (const TlTcb *tcb)
{
  if (in_cwnd_reduction (tcb))
    return tcb->snd_ssthresh;
  return MAX (tcb->snd_ssthresh, (tcb->snd_cwnd >> 1) + (tcb->snd_cwnd >> 2));
}

/* cubictcp_recalc_ssthresh (fast convergence on) */
static guint32
cubic_ssthresh (TlTcb *tcb)
{
  guint32 cwnd = tcb->snd_cwnd;

  tcb->cubic.epoch_start = 0;
  if (cwnd < tcb->cubic.last_max_cwnd)
    tcb->cubic.last_max_cwnd = cwnd * (CUBIC_BETA_SCALE + CUBIC_BETA) / (2 * CUBIC_BETA_SCALE);
  else
    tcb->cubic.last_max_cwnd = cwnd;
  return MAX (cwnd * CUBIC_BETA / CUBIC_BETA_SCALE, 2u);
}

/* The cube root as tcp_cubic.c's cubic_root computes it: a table, then one
 * Newton-Raphson step. */
static guint32
cubic_root (guint64 a)
{
  static const guint8 v[] = {
    0, 54, 54, 54, 118, 118, 118, 118, 123, 129, 134, 138, 143, 147, 151, 156,
    157, 161, 164, 168, 170, 173, 176, 179, 181, 185, 187, 190, 192, 194, 197, 199,
    200, 202, 204, 206, 209, 211, 213, 215, 217, 219, 221, 222, 224, 225, 227, 229,
    231, 232, 234, 236, 237, 239, 240, 242, 244, 245, 246, 248, 250, 251, 252, 254,
  };
  guint32 x, b, shift;

  b = a == 0 ? 0 : (guint32) g_bit_storage (a);
  if (b < 7)
    return ((guint32) v[(guint32) a] + 35) >> 6;
  b = ((b * 84) >> 8) - 1;
  shift = (guint32) (a >> (b * 3));
  x = ((guint32) (((guint32) v[shift] + 10) << b)) >> 6;
  x = 2 * x + (guint32) (a / ((guint64) x * (guint64) (x - 1)));
  return (x * 341) >> 10;
}

/* bictcp_update: how many ACKed segments make cwnd grow by one (cubic.cnt) */
static void
cubic_update (TlSim   *sim,
              TlTcb   *tcb,
              guint32  acked)
{
  TlCubic *ca = &tcb->cubic;
  guint32 cwnd = tcb->snd_cwnd;
  guint32 now = jiffies (sim);
  /* beta_scale, cube_rtt_scale and cube_factor as cubictcp_register */
  const guint32 beta_scale = 8 * (CUBIC_BETA_SCALE + CUBIC_BETA) / 3 / (CUBIC_BETA_SCALE - CUBIC_BETA);
  const guint32 cube_rtt_scale = CUBIC_BIC_SCALE * 10;
  const guint64 cube_factor = (G_GUINT64_CONSTANT (1) << (10 + 3 * CUBIC_HZ_SHIFT)) / (CUBIC_BIC_SCALE * 10);
  guint64 t, offs;
  guint32 delta, bic_target;

  ca->ack_cnt += acked;
  if (ca->last_cwnd == cwnd && (gint32) (now - ca->last_time) <= TL_LINUX_HZ / 32)
    return;
  if (!(ca->epoch_start != 0 && now == ca->last_time))
    {
      ca->last_cwnd = cwnd;
      ca->last_time = now;
      if (ca->epoch_start == 0)
        {
          ca->epoch_start = now;
          ca->ack_cnt = acked;
          ca->tcp_cwnd = cwnd;
          if (ca->last_max_cwnd <= cwnd)
            {
              ca->bic_K = 0;
              ca->bic_origin_point = cwnd;
            }
          else
            {
              ca->bic_K = cubic_root (cube_factor * (ca->last_max_cwnd - cwnd));
              ca->bic_origin_point = ca->last_max_cwnd;
            }
        }
      t = (guint64) (gint64) (gint32) (now - ca->epoch_start);
      /* usecs_to_jiffies (rounding up) of CUBIC's delay_min */
      t += ((guint64) ca->delay_min + TL_LINUX_JIFFY_US - 1) / TL_LINUX_JIFFY_US;
      t = (t << CUBIC_HZ_SHIFT) / TL_LINUX_HZ;
      offs = t < ca->bic_K ? ca->bic_K - t : t - ca->bic_K;
      delta = (guint32) ((cube_rtt_scale * offs * offs * offs) >> (10 + 3 * CUBIC_HZ_SHIFT));
      bic_target = t < ca->bic_K ? ca->bic_origin_point - delta : ca->bic_origin_point + delta;
      ca->cnt = bic_target > cwnd ? cwnd / (bic_target - cwnd) : 100 * cwnd;
      if (ca->last_max_cwnd == 0 && ca->cnt > 20)
        ca->cnt = 20;
    }
  /* TCP friendliness */
  delta = (cwnd * beta_scale) >> 3;
  while (delta > 0 && ca->ack_cnt > delta)
    {
      ca->ack_cnt -= delta;
      ca->tcp_cwnd++;
    }
  if (ca->tcp_cwnd > cwnd)
    ca->cnt = MIN (ca->cnt, cwnd / (ca->tcp_cwnd - cwnd));
  ca->cnt = MAX (ca->cnt, 2u);
}

/* tcp_cong_avoid_ai */
static void
cong_avoid_ai (TlTcb   *tcb,
               guint32  w,
               guint32  acked)
{
  if (tcb->snd_cwnd_cnt >= w)
    {
      tcb->snd_cwnd_cnt = 0;
      tcb->snd_cwnd++;
    }
  tcb->snd_cwnd_cnt += acked;
  if (tcb->snd_cwnd_cnt >= w)
    {
      guint32 delta = tcb->snd_cwnd_cnt / w;

      tcb->snd_cwnd_cnt -= delta * w;
      tcb->snd_cwnd += delta;
    }
}

/* hystart_ack_delay: room for TSO and GRO, sk_gso_max_size * 4 s over the
 * pacing rate, at most 1 ms.  The rate as tcp_update_pacing_rate sets it:
 * cwnd (or what is out, if more) segments a smoothed RTT, twice that below
 * half ssthresh (tcp_pacing_ss_ratio 200), else 1.2 times (ca_ratio 120);
 * gso_max_size 65536 less MAX_TCP_HEADER + 1 (321 at x86-64's 320).  At
 * the lab's RTTs of milliseconds and more it is 1 ms. */
static guint32
hystart_ack_delay (const TlTcb *tcb)
{
  guint64 rate = (guint64) MAX (tcb->snd_mss, 1) * (TL_USEC_PER_SEC / 100) * 8;

  rate *= tcb->snd_cwnd < tcb->snd_ssthresh / 2 ? 200 : 120;
  rate *= MAX (tcb->snd_cwnd, packets_out (tcb));
  if (tcb->srtt8_us > 0)
    rate /= (guint64) tcb->srtt8_us;
  if (rate == 0)
    return 0;
  return (guint32) MIN ((guint64) TL_USEC_PER_MSEC,
                        (guint64) (65536 - 321) * 4 * TL_USEC_PER_SEC / rate);
}

/* hystart_update (hystart_detect 3): slow start ends (ssthresh = cwnd)
 * when a round's ACKs keep coming closer than 2 ms apart for longer than
 * half of delay_min (a train: the path's queue is full), or when the least
 * of a round's first eight or more RTT samples exceeds delay_min by an
 * eighth of it, 4 to 16 ms (the queue grows).  From cwnd 16 on. */
static void
hystart_update (TlSim   *sim,
                TlTcb   *tcb,
                guint32  delay)
{
  TlCubic *ca = &tcb->cubic;
  guint32 now = (guint32) tl_sim_time (sim);

  if (TL_SEQ_GT (tcb->snd_una, ca->end_seq))
    hystart_reset (sim, tcb);
  if (tcb->snd_cwnd < HYSTART_LOW_WINDOW)
    return;
  /* the ACK train (pacing off: sk_pacing_status SK_PACING_NONE, the
   * lab's qdiscs are not fq) */
  if ((gint32) (now - ca->last_ack) <= HYSTART_ACK_DELTA_US)
    {
      guint32 threshold = (ca->delay_min + hystart_ack_delay (tcb)) >> 1;

      ca->last_ack = now;
      if ((gint32) (now - ca->round_start) > (gint32) threshold)
        {
          ca->found = TRUE;
          tcb->snd_ssthresh = tcb->snd_cwnd;
        }
    }
  /* the delay */
  ca->curr_rtt = MIN (ca->curr_rtt, delay);
  if (ca->sample_cnt < HYSTART_MIN_SAMPLES)
    ca->sample_cnt++;
  else if (ca->curr_rtt > ca->delay_min
                          + CLAMP (ca->delay_min >> 3, HYSTART_DELAY_MIN_US, HYSTART_DELAY_MAX_US))
    {
      ca->found = TRUE;
      tcb->snd_ssthresh = tcb->snd_cwnd;
    }
}

void
tl_tcp_cc_rtt (TlSim  *sim,
               TlTcb  *tcb,
               gint64  ca_rtt_us)
{
  TlCubic *ca = &tcb->cubic;
  guint32 delay;

  /* cubictcp_acked */
  if (!tcb->cc_ready || !is_linux (tcb) || ca_rtt_us < 0)
    return;
  /* "Discard delay samples right after fast recovery" (a second from the
   * epoch's start) */
  if (ca->epoch_start != 0 && (gint32) (jiffies (sim) - ca->epoch_start) < (gint32) TL_LINUX_HZ)
    return;
  delay = (guint32) MAX (MIN (ca_rtt_us, (gint64) G_MAXUINT32), 1);
  if (ca->delay_min == 0 || ca->delay_min > delay)
    ca->delay_min = delay;
  if (!ca->found && in_slow_start (tcb))
    hystart_update (sim, tcb, delay);
}

/* cubictcp_cong_avoid */
static void
linux_cong_avoid (TlSim   *sim,
                  TlTcb   *tcb,
                  guint32  acked)
{
  if (!cwnd_limited (tcb))
    return;
  if (in_slow_start (tcb))
    {
      /* tcp_slow_start */
      guint32 cwnd = MIN (tcb->snd_cwnd + acked, tcb->snd_ssthresh);

      acked -= cwnd - tcb->snd_cwnd;
      tcb->snd_cwnd = cwnd;
      if (acked == 0)
        return;
    }
  cubic_update (sim, tcb, acked);
  cong_avoid_ai (tcb, tcb->cubic.cnt, acked);
}

/* RFC 5681 sections 3.1 (slow start, equation 2; congestion avoidance,
 * equation 3) */
static void
rfc_cong_avoid (TlTcb   *tcb,
                guint32  bytes)
{
  guint32 mss = MAX (tcb->snd_mss, 1);

  if (in_slow_start (tcb))
    tcb->snd_cwnd += MIN (bytes, mss);
  else
    tcb->snd_cwnd += MAX (1u, (guint32) ((guint64) mss * mss / MAX (tcb->snd_cwnd, 1)));
}

/* tcp_init_undo: the window to go back to if the reduction proves
 * spurious; undo_retrans counts the retransmissions out (-1: none) */
static void
init_undo (TlTcb *tcb)
{
  gint retrans_out = 0;

  if (tcb->rtx != NULL)
    for (guint i = 0; i < tcb->rtx->len; i++)
      {
        const TlTxChunk *c = &g_array_index (tcb->rtx, TlTxChunk, i);

        if (c->retrans && !c->sacked && !c->lost)
          retrans_out++;
      }
  tcb->prior_ssthresh = current_ssthresh (tcb);
  tcb->undo_armed = TRUE;
  tcb->undo_marker = tcb->snd_una;
  tcb->undo_retrans = retrans_out > 0 ? retrans_out : -1;
}

/* tcp_init_cwnd_reduction: it ends a tail loss probe's episode */
static void
init_cwnd_reduction (TlTcb *tcb)
{
  tcb->high_seq = tcb->snd_nxt;
  tcb->tlp_high_set = FALSE;
  tcb->snd_cwnd_cnt = 0;
  tcb->prior_cwnd = tcb->snd_cwnd;
  tcb->prr_delivered = 0;
  tcb->prr_out = 0;
  tcb->snd_ssthresh = cubic_ssthresh (tcb);
}

/* tcp_enter_recovery */
static void
enter_recovery (TlTcb *tcb)
{
  init_undo (tcb);
  init_cwnd_reduction (tcb);
  tcb->ca_state = TL_CA_RECOVERY;
}

/* tcp_any_retrans_done: a retransmission out, or the head ever sent again */
static gboolean
any_retrans_done (const TlTcb *tcb)
{
  if (tcb->rtx == NULL || tcb->rtx->len == 0)
    return FALSE;
  if (g_array_index (tcb->rtx, TlTxChunk, 0).retrans)
    return TRUE;
  for (guint i = 0; i < tcb->rtx->len; i++)
    {
      const TlTxChunk *c = &g_array_index (tcb->rtx, TlTxChunk, i);

      if (c->retrans && !c->sacked && !c->lost)
        return TRUE;
    }
  return FALSE;
}

/* tcp_try_keep_open: Disorder while SACKed or lost data (tcp_left_out) or
 * a retransmission is out, else Open; a change moves high_seq */
static void
try_keep_open (TlTcb *tcb)
{
  TlCaState state = TL_CA_OPEN;

  if (any_retrans_done (tcb) || tcb->reno_sacked > 0)
    state = TL_CA_DISORDER;
  else if (tcb->rtx != NULL)
    for (guint i = 0; i < tcb->rtx->len && state == TL_CA_OPEN; i++)
      {
        const TlTxChunk *c = &g_array_index (tcb->rtx, TlTxChunk, i);

        if (c->sacked || c->lost)
          state = TL_CA_DISORDER;
      }
  if (tcb->ca_state != state)
    {
      tcb->ca_state = state;
      tcb->high_seq = tcb->snd_nxt;
    }
}

/* tcp_cwnd_reduction (RFC 6937) */
static void
cwnd_reduction (TlTcb    *tcb,
                guint32   newly_acked_sacked,
                gboolean  newly_lost,
                gboolean  una_advanced)
{
  gint64 in_flight = tl_tcp_cc_in_flight (tcb);
  gint64 delta = (gint64) tcb->snd_ssthresh - in_flight;
  gint64 sndcnt;

  if (newly_acked_sacked == 0 || tcb->prior_cwnd == 0)
    return;
  tcb->prr_delivered += newly_acked_sacked;
  if (delta < 0)
    {
      guint64 dividend = (guint64) tcb->snd_ssthresh * tcb->prr_delivered + tcb->prior_cwnd - 1;

      sndcnt = (gint64) (dividend / tcb->prior_cwnd) - tcb->prr_out;
    }
  else
    {
      sndcnt = MAX ((gint64) tcb->prr_delivered - tcb->prr_out, (gint64) newly_acked_sacked);
      if (una_advanced && !newly_lost)
        sndcnt++;
      sndcnt = MIN (delta, sndcnt);
    }
  /* a fast retransmission on entering recovery */
  sndcnt = MAX (sndcnt, tcb->prr_out != 0 ? 0 : 1);
  tcb->snd_cwnd = (guint32) MAX (in_flight + sndcnt, 1);
}

/* tcp_undo_cwnd_reduction: the window and ssthresh as before the
 * reduction (CUBIC's undo_cwnd is tcp_reno_undo_cwnd); unmark_loss: what
 * was marked lost is not */
static void
undo_cwnd_reduction (TlSim    *sim,
                     TlTcb    *tcb,
                     gboolean  unmark_loss)
{
  if (unmark_loss && tcb->rtx != NULL)
    for (guint i = 0; i < tcb->rtx->len; i++)
      g_array_index (tcb->rtx, TlTxChunk, i).lost = FALSE;
  if (tcb->prior_ssthresh != 0)
    {
      tcb->snd_cwnd = MAX (tcb->snd_cwnd, tcb->prior_cwnd);
      tcb->snd_ssthresh = MAX (tcb->snd_ssthresh, tcb->prior_ssthresh);
    }
  tcb->snd_cwnd_stamp_us = tl_sim_time (sim);
  tcb->undo_armed = FALSE;
}

static void
set_open (TlTcb *tcb)
{
  tcb->ca_state = TL_CA_OPEN;
  tcb->frto = FALSE;
  tcb->undo_ts_set = FALSE;   /* no retransmission outstanding: retrans_stamp 0 */
}

/* tcp_may_undo: every retransmission D-SACKed (undo_retrans 0), or the
 * TSecr shows the original arrived */
static gboolean
may_undo (const TlTcb     *tcb,
          const TlAckInfo *ack)
{
  return tcb->undo_armed && (tcb->undo_retrans == 0 || ack->ts_delayed);
}

/* tcp_try_undo_recovery's rule for a peer without SACK ("Reno"): Recovery
 * or Loss holds while snd_una is exactly high_seq, until something above
 * it is acknowledged (RFC 6582: the duplicate ACKs of what was sent again
 * must start no false fast retransmit) */
static gboolean
reno_holds (const TlTcb *tcb)
{
  return !tcb->sack_ok && tcb->snd_una == tcb->high_seq;
}

/* tcp_try_undo_loss: a timeout found spurious (F-RTO: data never sent
 * again was acknowledged; or the timestamps) gets the window it had back.
 * Then tcp_is_non_sack_preventing_reopen: without SACK, at snd_una exactly
 * high_seq, Loss holds, F-RTO's undo too (retrans_stamp 0 if no
 * retransmission is out); else F-RTO's undo, or any with SACK, opens
 * (without SACK and without F-RTO Loss holds until high_seq) */
static gboolean
try_undo_loss (TlSim           *sim,
               TlTcb           *tcb,
               const TlAckInfo *ack,
               gboolean         frto_undo)
{
  if (!frto_undo && !may_undo (tcb, ack))
    return FALSE;
  undo_cwnd_reduction (sim, tcb, TRUE);
  tcb->retransmits = 0;
  if (reno_holds (tcb))
    {
      if (!any_retrans_done (tcb))
        tcb->undo_ts_set = FALSE;   /* retrans_stamp = 0 */
      return TRUE;
    }
  if (frto_undo || tcb->sack_ok)
    set_open (tcb);
  return TRUE;
}

/* tcp_try_undo_recovery, once snd_una reaches high_seq in Recovery or
 * Loss: the window back if the reduction was spurious.  TRUE if the state
 * holds (reno_holds), and the ACK goes no further.  Else the caller opens
 * (Linux sets Open here; the Recovery not undone ends in tl_tcp_cc_ack,
 * with tcp_end_cwnd_reduction). */
static gboolean
try_undo_recovery (TlSim           *sim,
                   TlTcb           *tcb,
                   const TlAckInfo *ack)
{
  if (may_undo (tcb, ack))
    undo_cwnd_reduction (sim, tcb, FALSE);
  else if (tcb->reo_wnd_persist > 0)
    tcb->reo_wnd_persist--;
  if (!reno_holds (tcb))
    return FALSE;
  if (!any_retrans_done (tcb))
    tcb->undo_ts_set = FALSE;   /* retrans_stamp = 0 */
  return TRUE;
}

gboolean
tl_tcp_cc_try_undo (TlSim           *sim,
                    TlTcb           *tcb,
                    const TlAckInfo *ack,
                    guint32          prior_una)
{
  if (!tcb->cc_ready || !is_linux (tcb) || tcb->ca_state == TL_CA_LOSS)
    return FALSE;
  if (tcb->ca_state <= TL_CA_DISORDER)
    {
      /* tcp_try_undo_dsack, after a Recovery that ended unresolved: the
       * D-SACKs of every retransmission came (tcp_fastretrans_alert, which
       * a dubious ACK calls) */
      if (ack->dubious && tcb->undo_armed && tcb->undo_retrans == 0)
        undo_cwnd_reduction (sim, tcb, FALSE);
      return FALSE;
    }
  if (TL_SEQ_GEQ (tcb->snd_una, tcb->high_seq))
    {
      /* tcp_fastretrans_alert's exit from Recovery: tcp_reset_reno_sack,
       * tcp_try_undo_recovery ("Happy end!"), then tcp_end_cwnd_reduction
       * (tl_tcp_cc_ack, for the Recovery not undone: the state is still
       * Recovery here) */
      gboolean undone = may_undo (tcb, ack);

      tcb->reno_sacked = 0;
      if (try_undo_recovery (sim, tcb, ack))
        return TRUE;
      if (undone)
        set_open (tcb);
      return FALSE;
    }
  if (!ack->una_advanced || !ack->ts_delayed || !tcb->undo_armed)
    {
      /* tcp_try_undo_dsack in Recovery, then tcp_try_keep_open */
      if (tcb->undo_armed && tcb->undo_retrans == 0)
        {
          undo_cwnd_reduction (sim, tcb, FALSE);
          set_open (tcb);
          tcb->high_seq = tcb->snd_nxt;
        }
      return FALSE;
    }
  /* tcp_try_undo_partial: "Plain luck! Hole if filled with delayed packet,
   * rather than with a retransmit." */
  tl_tcp_rack_reordered (tcb, prior_una);
  if (tcb->rtx != NULL)
    for (guint i = 0; i < tcb->rtx->len; i++)
      {
        const TlTxChunk *c = &g_array_index (tcb->rtx, TlTxChunk, i);

        if (c->retrans && !c->sacked && !c->lost)
          return TRUE;   /* retrans_out: clock out new data, mark nothing lost */
      }
  undo_cwnd_reduction (sim, tcb, TRUE);
  set_open (tcb);   /* tcp_try_keep_open */
  tcb->high_seq = tcb->snd_nxt;
  return FALSE;
}

TlRexmit
tl_tcp_cc_process_loss (TlSim           *sim,
                        TlTcb           *tcb,
                        const TlAckInfo *ack)
{
  gboolean recovered = TL_SEQ_GEQ (tcb->snd_una, tcb->high_seq);

  if (!tcb->cc_ready || !is_linux (tcb) || tcb->ca_state != TL_CA_LOSS)
    return TL_REXMIT_LOST;
  if (ack->una_advanced && try_undo_loss (sim, tcb, ack, FALSE))
    return TL_REXMIT_NONE;
  if (tcb->frto)
    {
      /* RFC 5682 section 3.1, SACK-enhanced, as tcp_process_loss:
       * step 3b, data never sent again was (S)ACKed: the timeout was
       * spurious */
      if (ack->orig_sack_acked && try_undo_loss (sim, tcb, ack, TRUE))
        return TL_REXMIT_NONE;
      if (TL_SEQ_GT (tcb->snd_nxt, tcb->high_seq))
        {
          /* step 3a: the new data's SACK, or a duplicate ACK: the loss was real */
          if (ack->data_sacked || ack->dupack)
            tcb->frto = FALSE;
        }
      else if (ack->una_advanced && !recovered)
        {
          /* step 2b: the timeout's retransmission acknowledged: send new
           * data, if there is some and the peer's window takes it */
          guint32 wnd_end = tcb->snd_una + tcb->snd_wnd;

          tcb->high_seq = tcb->snd_nxt;
          if ((TL_SEQ_LT (tcb->snd_nxt, tcb->data_end) || (tcb->shut_wr && !tcb->fin_sent))
              && TL_SEQ_GT (wnd_end, tcb->snd_nxt))
            return TL_REXMIT_NEW;
          tcb->frto = FALSE;
        }
    }
  if (recovered)
    {
      /* tcp_try_undo_recovery, and Open */
      if (!try_undo_recovery (sim, tcb, ack))
        set_open (tcb);
      record (sim, tcb);
      return TL_REXMIT_NONE;
    }
  return TL_REXMIT_LOST;
}

void
tl_tcp_cc_retransmitted (TlSim *sim,
                         TlTcb *tcb)
{
  /* tcp_retransmit_skb: each retransmission counts in undo_retrans, the
   * first stamps retrans_stamp (a tail loss probe, sent in Open, does not) */
  if (!tcb->cc_ready || !is_linux (tcb))
    return;
  if (tcb->undo_armed)
    tcb->undo_retrans = MAX (tcb->undo_retrans, 0) + 1;
  if (tcb->ca_state <= TL_CA_DISORDER || tcb->undo_ts_set)
    return;
  tcb->undo_ts_set = TRUE;
  tcb->undo_tsval = tl_tcp_ts_now (tcb, tl_sim_time (sim));
}

void
tl_tcp_cc_ack (TlSim           *sim,
               TlTcb           *tcb,
               const TlAckInfo *ack)
{
  if (!tcb->cc_ready)
    return;
  if (!is_linux (tcb))
    {
      if (ack->data_acked && ack->bytes_acked > 0)
        rfc_cong_avoid (tcb, ack->bytes_acked);
      if (tcb->ca_state == TL_CA_LOSS && TL_SEQ_GEQ (tcb->snd_una, tcb->high_seq))
        tcb->ca_state = TL_CA_OPEN;
      record (sim, tcb);
      return;
    }
  /* tcp_fastretrans_alert: Recovery ends when high_seq is acknowledged
   * (Loss ends in tl_tcp_cc_process_loss) */
  if (tcb->ca_state == TL_CA_RECOVERY && TL_SEQ_GEQ (tcb->snd_una, tcb->high_seq)
      && !reno_holds (tcb))
    {
      /* tcp_end_cwnd_reduction (cwnd = ssthresh unless undone) */
      if (tcb->snd_ssthresh < LINUX_INFINITE_SSTHRESH && tcb->undo_armed)
        {
          tcb->snd_cwnd = tcb->snd_ssthresh;
          tcb->snd_cwnd_stamp_us = tl_sim_time (sim);
        }
      set_open (tcb);
    }
  /* tcp_fastretrans_alert in Open or Disorder: Recovery, or
   * tcp_try_to_open */
  if (ack->newly_lost && tcb->ca_state <= TL_CA_DISORDER)
    enter_recovery (tcb);
  else if (ack->dubious && tcb->ca_state <= TL_CA_DISORDER)
    try_keep_open (tcb);
  /* tcp_cong_control */
  if (in_cwnd_reduction (tcb))
    cwnd_reduction (tcb, ack->delivered, ack->newly_lost, ack->una_advanced);
  else if (ack->data_acked || (tcb->reordering > 3 && ack->data_sacked))
    linux_cong_avoid (sim, tcb, ack->delivered);   /* tcp_may_raise_cwnd */
  record (sim, tcb);
}

void
tl_tcp_cc_tlp_loss (TlSim *sim,
                    TlTcb *tcb)
{
  if (!tcb->cc_ready || !is_linux (tcb))
    return;
  /* tcp_init_cwnd_reduction, TCP_CA_CWR, tcp_end_cwnd_reduction (cwnd =
   * ssthresh in CWR), tcp_try_keep_open; no undo is armed for it */
  init_cwnd_reduction (tcb);
  if (tcb->snd_ssthresh < LINUX_INFINITE_SSTHRESH)
    {
      tcb->snd_cwnd = tcb->snd_ssthresh;
      tcb->snd_cwnd_stamp_us = tl_sim_time (sim);
    }
  try_keep_open (tcb);
  record (sim, tcb);
}

void
tl_tcp_cc_reo_loss (TlSim *sim,
                    TlTcb *tcb)
{
  /* tcp_rack_reo_timeout: a loss found by the reordering timer */
  if (!tcb->cc_ready || !is_linux (tcb))
    return;
  if (tcb->ca_state != TL_CA_RECOVERY)
    {
      enter_recovery (tcb);
      cwnd_reduction (tcb, 1, FALSE, FALSE);
    }
  record (sim, tcb);
}

void
tl_tcp_cc_timeout (TlSim *sim,
                   TlTcb *tcb)
{
  if (!tcb->cc_ready)
    return;
  if (is_linux (tcb))
    {
      /* tcp_enter_loss: ssthresh once per loss episode, every chunk not
       * SACKed lost (tcp_timeout_mark_lost), cwnd = in flight + 1 */
      gboolean new_recovery = tcb->ca_state <= TL_CA_DISORDER;

      if (tcb->ca_state <= TL_CA_DISORDER || TL_SEQ_LEQ (tcb->high_seq, tcb->snd_una)
          || (tcb->ca_state == TL_CA_LOSS && tcb->retransmits == 0))
        {
          init_undo (tcb);
          tcb->prior_cwnd = tcb->snd_cwnd;
          tcb->snd_ssthresh = cubic_ssthresh (tcb);
        }
      tcb->reno_sacked = 0;   /* tcp_timeout_mark_lost: tcp_reset_reno_sack */
      if (tcb->rtx != NULL)
        for (guint i = 0; i < tcb->rtx->len; i++)
          {
            TlTxChunk *c = &g_array_index (tcb->rtx, TlTxChunk, i);

            if (!c->sacked)
              c->lost = TRUE;
          }
      tcb->snd_cwnd = tl_tcp_cc_in_flight (tcb) + 1;
      cubic_reset (sim, tcb);   /* cubictcp_state(TCP_CA_Loss) */
      /* F-RTO (RFC 5682 section 3.1 step 1, the key frto: tcp_frto, read
       * at each timeout): unless a recovery was under way, but for a
       * timeout again on the same snd_una */
      tcb->frto = sim->hosts[tcb->host].settings.frto
                  && (new_recovery || tcb->retransmits > 0);
    }
  else
    {
      /* RFC 5681 equation (4), for a segment not yet resent by the timer,
       * and LW */
      if (tcb->retransmits == 0)
        tcb->snd_ssthresh = MAX ((tcb->snd_nxt - tcb->snd_una) / 2, 2u * tcb->snd_mss);
      tcb->snd_cwnd = tcb->snd_mss;
    }
  tcb->snd_cwnd_cnt = 0;
  tcb->snd_cwnd_stamp_us = tl_sim_time (sim);
  tcb->ca_state = TL_CA_LOSS;
  tcb->high_seq = tcb->snd_nxt;
  tcb->tlp_high_set = FALSE;   /* tcp_enter_loss */
  record (sim, tcb);
}

/* tcp_slow_start_after_idle_check (RFC 5681 section 4.1), with nothing in
 * flight: idle longer than the RTO since data last went (lsndtime, which
 * zero-window probes without data leave alone) restarts the window */
static void
restart_after_idle (TlSim *sim,
                    TlTcb *tcb)
{
  gint64 delta = tl_sim_time (sim) - tcb->lsndtime_us;

  if (delta <= tcb->rto_us)
    return;
  if (is_linux (tcb))
    {
      /* tcp_cwnd_restart: halved per RTO of idle, down to the initial
       * window */
      guint32 restart = MIN (tl_tcp_cc_initial (tcb), tcb->snd_cwnd);
      guint32 cwnd = tcb->snd_cwnd;

      tcb->snd_ssthresh = current_ssthresh (tcb);
      while ((delta -= tcb->rto_us) > 0 && cwnd > restart)
        cwnd >>= 1;
      tcb->snd_cwnd = MAX (cwnd, restart);
      tcb->snd_cwnd_stamp_us = tl_sim_time (sim);
      tcb->snd_cwnd_used = 0;
    }
  else
    {
      tcb->snd_cwnd = MIN (tl_tcp_cc_initial (tcb), tcb->snd_cwnd);
    }
  record (sim, tcb);
}

void
tl_tcp_cc_before_write (TlSim *sim,
                        TlTcb *tcb)
{
  /* Linux: tcp_skb_entail */
  if (tcb->cc_ready && tcb->snd_una == tcb->snd_nxt)
    restart_after_idle (sim, tcb);
}

void
tl_tcp_cc_window_update (TlSim    *sim,
                         TlTcb    *tcb,
                         gboolean  was_idle)
{
  /* tcp_ack_update_window: the send window changed, data waits unsent
   * (!tcp_write_queue_empty), and nothing was in flight before the ACK
   * (packets_out, before tcp_clean_rtx_queue): the window update that ends
   * a zero window restarts an idle sender as a write would */
  if (!tcb->cc_ready || !is_linux (tcb) || !was_idle)
    return;
  if (TL_SEQ_LT (tcb->snd_nxt, tcb->data_end) || (tcb->shut_wr && !tcb->fin_sent))
    restart_after_idle (sim, tcb);
}

void
tl_tcp_cc_sent (TlSim    *sim,
                TlTcb    *tcb,
                gboolean  new_data,
                guint32   retransmitted_bytes,
                gboolean  was_idle)
{
  if (!tcb->cc_ready)
    return;
  if (new_data)
    {
      /* tcp_event_data_sent: CA_EVENT_TX_START shifts CUBIC's epoch by the
       * idle time */
      if (is_linux (tcb) && was_idle && tcb->cubic.epoch_start != 0)
        {
          guint32 now = jiffies (sim);
          gint32 delta = (gint32) (now - (guint32) (tcb->lsndtime_us / TL_LINUX_JIFFY_US + 1));

          if (delta > 0)
            {
              tcb->cubic.epoch_start += (guint32) delta;
              if ((gint32) (tcb->cubic.epoch_start - now) > 0)
                tcb->cubic.epoch_start = now;
            }
        }
      tcb->lsndtime_us = tl_sim_time (sim);
    }
  else if (retransmitted_bytes > 0)
    {
      /* tcp_event_data_sent, from __tcp_transmit_skb for every segment
       * with data: a retransmission or a probe restarts the idle clock too
       * (RFC 5681 section 4.1 counts any data sent) */
      tcb->lsndtime_us = tl_sim_time (sim);
    }
  if (in_cwnd_reduction (tcb))
    tcb->prr_out++;
}

void
tl_tcp_cc_validate (TlSim    *sim,
                    TlTcb    *tcb,
                    gboolean  sent,
                    gboolean  deferred_cwnd)
{
  gboolean limited;

  if (!tcb->cc_ready || !is_linux (tcb))
    return;
  /* end of tcp_write_xmit, and tcp_cwnd_validate */
  limited = deferred_cwnd || tl_tcp_cc_in_flight (tcb) >= tcb->snd_cwnd;
  if (!sent && !limited)
    return;
  if (TL_SEQ_GEQ (tcb->snd_una, tcb->cwnd_usage_seq) || limited
      || (!tcb->is_cwnd_limited && packets_out (tcb) > tcb->max_packets_out))
    {
      tcb->is_cwnd_limited = limited;
      tcb->max_packets_out = packets_out (tcb);
      tcb->cwnd_usage_seq = tcb->snd_nxt;
    }
  if (cwnd_limited (tcb))
    {
      tcb->snd_cwnd_used = 0;
      tcb->snd_cwnd_stamp_us = tl_sim_time (sim);
      return;
    }
  tcb->snd_cwnd_used = MAX (tcb->snd_cwnd_used, packets_out (tcb));
  if (tl_sim_time (sim) - tcb->snd_cwnd_stamp_us >= tcb->rto_us)
    {
      /* tcp_cwnd_application_limited (RFC 2861) */
      if (tcb->ca_state == TL_CA_OPEN)
        {
          guint32 used = MAX (tcb->snd_cwnd_used, tl_tcp_cc_initial (tcb));

          if (used < tcb->snd_cwnd)
            {
              tcb->snd_ssthresh = current_ssthresh (tcb);
              tcb->snd_cwnd = (tcb->snd_cwnd + used) >> 1;
            }
          tcb->snd_cwnd_used = 0;
        }
      tcb->snd_cwnd_stamp_us = tl_sim_time (sim);
      record (sim, tcb);
    }
}
