/* test-tcp-timers.c: the timers that end connections: the orphan's
 * FIN_WAIT_2 timeout against a CLOSE_WAIT that never closes, keepalive, a
 * crashed and a rebooted peer; and determinism. */
#include "tl-test-util.h"
#include "tl-tcp.h"

/* Linux: the closer's orphan FIN_WAIT_2 lasts fin_timeout from the ACK of its
 * FIN, then vanishes silently; the CLOSE_WAIT side's late FIN gets a RST
 * <SEQ=SEG.ACK> (lab: client closed at 3.25 s, RST seq 2). */
START_TEST (test_close_wait_forever_and_orphan_fin_wait_2_timeout)
{
  g_autoptr (TlScenario) sc = tl_test_scenario ();
  g_autoptr (TlTrace) trace = NULL;
  g_autoptr (GPtrArray) segs = NULL;
  const TlRecord *r;

  sc->settings[TL_CLIENT].fin_timeout_us = TL_S (3);
  tl_test_open (sc);
  tl_test_conn (sc, TL_MS (200), TL_STMT_CLOSE, TL_CLIENT, 0, 0);
  tl_test_conn (sc, TL_S (5), TL_STMT_CLOSE, TL_SERVER, 0, 0);
  trace = tl_simulate (sc);

  ck_assert_int_eq (tl_test_state (trace, TL_SERVER, 1, TL_S (4)), TL_STATE_CLOSE_WAIT);
  ck_assert_int_eq (tl_test_state (trace, TL_CLIENT, 1, TL_S (3)), TL_STATE_FIN_WAIT_2);
  /* fin_timeout from 240 ms, as the timer wheel runs it (jiffy 60 + 750,
   * level 2: rounded up past a multiple of 64 jiffies, 832) */
  ck_assert_int_eq (tl_test_state_time (trace, TL_CLIENT, 1, TL_STATE_CLOSED), TL_MS (3328));
  segs = tl_test_segments (trace, TL_CLIENT);
  r = tl_test_seg (segs, segs->len - 1);
  ck_assert_uint_eq (r->u.seg.flags, TL_FLAG_RST);
  ck_assert_uint_eq (r->u.seg.seq - TL_CLIENT_ISN, 2);
  ck_assert_int_eq (r->time_us, TL_S (5) + TL_MS (20));
  ck_assert_int_eq (tl_test_state_time (trace, TL_SERVER, 1, TL_STATE_CLOSED), TL_S (5) + TL_MS (40));
}
END_TEST

/* Both (RFC 1122 section 4.2.3.6) with Linux's timing: probes <SEQ=SND.UNA-1>
 * after idle, then every interval; after `probes` unanswered ones RST,ACK
 * and ETIMEDOUT (lab: 2.06, 3.08, 4.11 s, RST at 5.13 s; as the timer wheel
 * runs them, from ESTABLISHED at 50 ms: 2.08, 3.104, 4.128, 5.152 s, 1.024
 * s apart as on the lab). */
START_TEST (test_keepalive_probes_then_etimedout)
{
  g_autoptr (TlScenario) sc = tl_test_scenario ();
  g_autoptr (TlTrace) trace = NULL;
  g_autoptr (GPtrArray) segs = NULL;

  sc->settings[TL_CLIENT].keepalive = TRUE;
  sc->settings[TL_CLIENT].keepalive_idle_us = TL_S (2);
  sc->settings[TL_CLIENT].keepalive_interval_us = TL_S (1);
  sc->settings[TL_CLIENT].keepalive_probes = 3;
  tl_test_open (sc);
  tl_test_host (sc, TL_MS (500), TL_STMT_CRASH, TL_SERVER);
  trace = tl_simulate (sc);
  segs = tl_test_segments (trace, TL_CLIENT);

  ck_assert_uint_eq (segs->len, 6);
  for (guint i = 0; i < 3; i++)
    {
      const TlRecord *r = tl_test_seg (segs, 2 + i);

      tl_test_assert_seg (segs, 2 + i, TL_CLIENT, TL_FLAG_ACK, 0, 1);
      ck_assert_int_eq (r->time_us, TL_MS (2080) + TL_MS (1024) * i);
    }
  tl_test_assert_seg (segs, 5, TL_CLIENT, TL_FLAG_RST | TL_FLAG_ACK, 1, 1);
  ck_assert_int_eq (tl_test_seg (segs, 5)->time_us, TL_MS (5152));
  ck_assert_int_eq (tl_test_error (trace, TL_CLIENT, 1), TL_ERR_ETIMEDOUT);
}
END_TEST

/* Linux: a crashed peer: data retransmitted at the RTO (240 ms: a tail loss
 * probe, then the RTO, then doubling); after the reboot the peer answers
 * with RST <SEQ=SEG.ACK> (3.10.7.1) and the client sees ECONNRESET.  The lab:
 * 501, 749, 997, 1505, 2497, 4481 ms, RST at 4501 ms: 248, 248, 508, 992,
 * 1984 ms apart, its RTO 61 jiffies (an RTT of 40.x ms) as the timer wheel
 * runs it (one jiffy more below 63, rounded up past a multiple of 8 jiffies
 * above).  Here the RTO is 60 jiffies: 244, 244, 484, 992, 1952 ms apart. */
START_TEST (test_crashed_then_rebooted_peer)
{
  g_autoptr (TlScenario) sc = tl_test_scenario ();
  g_autoptr (TlTrace) trace = NULL;
  g_autoptr (GPtrArray) c = NULL;
  g_autoptr (GPtrArray) s = NULL;
  const gint64 at[] = { 500, 744, 988, 1472, 2464, 4416 };
  const TlRecord *r;

  tl_test_open (sc);
  tl_test_host (sc, TL_MS (300), TL_STMT_CRASH, TL_SERVER);
  tl_test_conn (sc, TL_MS (500), TL_STMT_SEND, TL_CLIENT, 0, 100);
  tl_test_host (sc, TL_S (3), TL_STMT_REBOOT, TL_SERVER);
  trace = tl_simulate (sc);
  c = tl_test_segments (trace, TL_CLIENT);
  s = tl_test_segments (trace, TL_SERVER);

  ck_assert_uint_eq (c->len, 2 + G_N_ELEMENTS (at));
  for (guint i = 0; i < G_N_ELEMENTS (at); i++)
    {
      tl_test_assert_seg (c, 2 + i, TL_CLIENT, TL_FLAG_PSH | TL_FLAG_ACK, 1, 1);
      ck_assert_int_eq (tl_test_seg (c, 2 + i)->time_us, TL_MS (at[i]));
    }
  /* the server's half-open connection vanished in the crash */
  ck_assert_int_eq (tl_test_state_time (trace, TL_SERVER, 1, TL_STATE_CLOSED), TL_MS (300));
  r = tl_test_seg (s, s->len - 1);
  ck_assert_uint_eq (r->u.seg.flags, TL_FLAG_RST);
  ck_assert_uint_eq (r->u.seg.seq, TL_SERVER_ISN + 1);
  ck_assert_int_eq (tl_test_error (trace, TL_CLIENT, 1), TL_ERR_ECONNRESET);
  ck_assert_int_eq (tl_test_state_time (trace, TL_CLIENT, 1, TL_STATE_CLOSED), TL_MS (4416 + 40));
}
END_TEST

/* Found by test-property (shrinking seed 49): a second `crash` of a host
 * already down aborted the simulator (call_of had no call for it).  Now it
 * is seen and does nothing. */
START_TEST (test_crash_of_a_crashed_host_is_a_no_op)
{
  g_autoptr (TlScenario) sc = tl_test_scenario ();
  g_autoptr (TlTrace) trace = NULL;
  guint crashes = 0, app_crashes = 0;

  tl_test_open (sc);
  tl_test_host (sc, TL_MS (200), TL_STMT_CRASH, TL_SERVER);
  tl_test_host (sc, TL_MS (300), TL_STMT_CRASH, TL_SERVER);
  tl_test_host (sc, TL_MS (400), TL_STMT_END, TL_SERVER);
  sc->end_us = TL_MS (400);
  trace = tl_simulate (sc);
  for (guint i = 0; i < tl_trace_n_records (trace); i++)
    {
      const TlRecord *r = tl_trace_record (trace, i);

      crashes += r->kind == TL_REC_HOST && r->u.app.call == TL_CALL_CRASH;
      app_crashes += r->kind == TL_REC_APP && r->u.app.call == TL_CALL_CRASH
                     && r->time_us == TL_MS (300);
    }
  ck_assert_uint_eq (crashes, 1);
  ck_assert_uint_eq (app_crashes, 1);
  ck_assert_int_eq (tl_test_state (trace, TL_CLIENT, 1, TL_MS (400)), TL_STATE_ESTABLISHED);
}
END_TEST

/* Two runs of one scenario (with random ISNs, ports, loss and jitter) give
 * the same trace text. */
START_TEST (test_two_runs_identical)
{
  g_autoptr (TlScenario) sc = tl_test_scenario ();
  g_autoptr (TlTrace) a = NULL;
  g_autoptr (TlTrace) b = NULL;
  g_autofree char *ta = NULL;
  g_autofree char *tb = NULL;

  for (guint h = 0; h < 2; h++)
    {
      sc->settings[h].isn_random = TRUE;
      sc->link[h].loss_ppm = 200000;
      sc->link[h].jitter_us = TL_MS (5);
      sc->link[h].duplicate_ppm = 100000;
    }
  sc->seed = 42;
  tl_test_open (sc);
  tl_test_conn (sc, TL_MS (500), TL_STMT_SEND, TL_CLIENT, 0, 5000);
  tl_test_conn (sc, TL_S (2), TL_STMT_CLOSE, TL_CLIENT, 0, 0);
  tl_test_conn (sc, TL_S (3), TL_STMT_CLOSE, TL_SERVER, 0, 0);
  a = tl_simulate (sc);
  b = tl_simulate (sc);
  ta = tl_test_trace_text (a);
  tb = tl_test_trace_text (b);
  ck_assert_uint_gt (tl_trace_n_records (a), 20);
  ck_assert_str_eq (ta, tb);
}
END_TEST

static const TlRecord *
last_record (const TlTrace *trace)
{
  return tl_trace_record (trace, tl_trace_n_records (trace) - 1);
}

/* The event budget: a run that would take more events ends with
 * TL_END_EVENT_LIMIT after exactly that many, at the time of the last one;
 * a budget large enough changes nothing. */
START_TEST (test_max_events)
{
  g_autoptr (TlScenario) sc = tl_test_scenario ();
  g_autoptr (TlSim) full = NULL;
  g_autoptr (TlSim) cut = NULL;
  g_autoptr (TlSim) zero = NULL;
  g_autoptr (TlSim) ample = NULL;
  g_autoptr (TlTrace) t_full = NULL;
  g_autoptr (TlTrace) t_cut = NULL;
  g_autoptr (TlTrace) t_zero = NULL;
  g_autoptr (TlTrace) t_ample = NULL;
  g_autofree char *text_full = NULL;
  g_autofree char *text_ample = NULL;
  const TlRecord *r;
  guint64 n;

  tl_test_open (sc);
  tl_test_conn (sc, TL_MS (200), TL_STMT_CLOSE, TL_CLIENT, 0, 0);
  tl_test_conn (sc, TL_MS (500), TL_STMT_CLOSE, TL_SERVER, 0, 0);

  full = tl_sim_new (sc);
  tl_sim_run (full);
  n = tl_sim_n_events (full);
  ck_assert_uint_gt (n, 10);
  t_full = tl_sim_steal_trace (full);
  ck_assert_uint_eq (last_record (t_full)->u.end.reason, TL_END_NOTHING_LEFT);

  cut = tl_sim_new (sc);
  tl_sim_set_max_events (cut, 5);
  tl_sim_run (cut);
  ck_assert_uint_eq (tl_sim_n_events (cut), 5);
  /* listen, connect, and the arrivals of SYN, SYN,ACK and ACK */
  ck_assert_int_eq (tl_sim_now (cut), TL_MS (70));
  t_cut = tl_sim_steal_trace (cut);
  r = last_record (t_cut);
  ck_assert_uint_eq (r->kind, TL_REC_END);
  ck_assert_uint_eq (r->u.end.reason, TL_END_EVENT_LIMIT);
  ck_assert_int_eq (r->time_us, TL_MS (70));
  ck_assert_int_eq (tl_test_state (t_cut, TL_SERVER, 1, TL_MS (70)), TL_STATE_ESTABLISHED);
  ck_assert_int_eq (tl_test_state (t_cut, TL_CLIENT, 1, TL_S (1)), TL_STATE_ESTABLISHED);

  zero = tl_sim_new (sc);
  tl_sim_set_max_events (zero, 0);
  ck_assert (!tl_sim_step (zero));
  t_zero = tl_sim_steal_trace (zero);
  ck_assert_uint_eq (tl_trace_n_records (t_zero), 1);
  ck_assert_uint_eq (last_record (t_zero)->u.end.reason, TL_END_EVENT_LIMIT);

  ample = tl_sim_new (sc);
  tl_sim_set_max_events (ample, n);
  t_ample = tl_sim_steal_trace (ample);
  text_full = tl_test_trace_text (t_full);
  text_ample = tl_test_trace_text (t_ample);
  ck_assert_str_eq (text_full, text_ample);
}
END_TEST

/* Found by test-property (seeds 33885, 141864): a sender left with data
 * and a closed window had no timer at all, so a lost window update stalled
 * it for ever.  Now (RFC 9293 section 3.8.6.1, Linux tcp_probe0_base and
 * tcp_ack_probe) the persist timer starts at the zero-window ACK (140 ms)
 * with max(RTO, 200 ms) = 240 ms (run by the timer wheel at 384 ms: jiffy
 * 35 + 60, and one); its probe <SEQ=SND.UNA-1> brings the window back and
 * the rest of the data goes at once. */
START_TEST (test_persist_probe_recovers_a_lost_window_update)
{
  g_autoptr (TlScenario) sc = tl_test_scenario ();
  g_autoptr (TlTrace) trace = NULL;
  g_autoptr (GPtrArray) s = NULL;
  g_autoptr (GArray) armed = NULL;
  g_autoptr (GArray) fired = NULL;
  g_autoptr (GArray) cancelled = NULL;
  const TlRecord *r;

  sc->settings[TL_CLIENT].window = 1000;
  sc->settings[TL_CLIENT].autoread = FALSE;
  tl_test_open (sc);
  tl_test_conn (sc, TL_MS (100), TL_STMT_SEND, TL_SERVER, 0, 1500);
  /* the window update of the read at 200 ms is lost */
  tl_test_drop (sc, TL_MS (150), 0, TL_FLAG_ACK, 1);
  tl_test_conn (sc, TL_MS (200), TL_STMT_READ, TL_CLIENT, 0, 0);
  tl_test_host (sc, TL_S (1), TL_STMT_END, TL_CLIENT);
  sc->end_us = TL_S (1);
  trace = tl_simulate (sc);

  armed = tl_test_timer_times (trace, TL_SERVER, TL_TIMER_PERSIST, TL_TIMER_ARMED);
  fired = tl_test_timer_times (trace, TL_SERVER, TL_TIMER_PERSIST, TL_TIMER_FIRED);
  ck_assert_uint_eq (armed->len, 2);
  ck_assert_int_eq (g_array_index (armed, gint64, 0), TL_MS (140));
  ck_assert_uint_eq (fired->len, 1);
  ck_assert_int_eq (g_array_index (fired, gint64, 0), TL_MS (384));

  s = tl_test_segments (trace, TL_SERVER);
  /* SYN,ACK, 1000 bytes in two segments (against a window of 1000, half
   * of it: tcp_bound_to_half_wnd), probe, 500 bytes */
  ck_assert_uint_eq (s->len, 5);
  tl_test_assert_seg (s, 1, TL_SERVER, TL_FLAG_ACK, 1, 1);
  tl_test_assert_seg (s, 2, TL_SERVER, TL_FLAG_PSH | TL_FLAG_ACK, 501, 1);
  tl_test_assert_seg (s, 3, TL_SERVER, TL_FLAG_ACK, 1000, 1);
  r = tl_test_seg (s, 3);
  ck_assert_int_eq (r->time_us, TL_MS (384));
  ck_assert_uint_eq (r->u.seg.len, 0);
  tl_test_assert_seg (s, 4, TL_SERVER, TL_FLAG_PSH | TL_FLAG_ACK, 1001, 1);
  r = tl_test_seg (s, 4);
  ck_assert_int_eq (r->time_us, TL_MS (424));
  ck_assert_uint_eq (r->u.seg.len, 500);
  /* everything acknowledged, and no timer left behind */
  ck_assert_int_eq (tl_test_state (trace, TL_SERVER, 1, TL_S (1)), TL_STATE_ESTABLISHED);
  cancelled = tl_test_timer_times (trace, TL_SERVER, TL_TIMER_PERSIST, TL_TIMER_CANCELLED);
  ck_assert_uint_eq (cancelled->len, 1);
  ck_assert_int_eq (g_array_index (cancelled, gint64, 0), TL_MS (424));
}
END_TEST

/* Seed 141864: the receiver aborted with its window closed and its RST was
 * lost; the sender's zero-window probe meets the RST reply and the
 * connection ends (ECONNRESET) instead of waiting for ever. */
START_TEST (test_persist_probe_finds_an_aborted_peer)
{
  g_autoptr (TlScenario) sc = tl_test_scenario ();
  g_autoptr (TlTrace) trace = NULL;

  sc->settings[TL_CLIENT].window = 1000;
  sc->settings[TL_CLIENT].autoread = FALSE;
  tl_test_open (sc);
  tl_test_conn (sc, TL_MS (100), TL_STMT_SEND, TL_SERVER, 0, 1500);
  tl_test_drop (sc, TL_MS (150), 0, TL_FLAG_RST | TL_FLAG_ACK, 1);
  tl_test_conn (sc, TL_MS (200), TL_STMT_ABORT, TL_CLIENT, 0, 0);
  tl_test_host (sc, TL_S (1), TL_STMT_END, TL_CLIENT);
  sc->end_us = TL_S (1);
  trace = tl_simulate (sc);

  ck_assert_int_eq (tl_test_state (trace, TL_SERVER, 1, TL_MS (370)), TL_STATE_ESTABLISHED);
  /* probe at 384 ms (the timer wheel), the RST reply back at 424 ms */
  ck_assert_int_eq (tl_test_state_time (trace, TL_SERVER, 1, TL_STATE_CLOSED), TL_MS (424));
  ck_assert_int_eq (tl_test_error (trace, TL_SERVER, 1), TL_ERR_ECONNRESET);
}
END_TEST

/* The first segment of s sent at or after t_ms, its index (s->len if none). */
static guint
first_seg_from (GPtrArray *s,
                gint64     t_ms)
{
  guint i = 0;

  while (i < s->len && tl_test_seg (s, i)->time_us < TL_MS (t_ms))
    i++;
  return i;
}

/* tests/sweep/zero-window.lesson as the kernel played it (Linux 6.18,
 * tcplab-cli real, twice): the client's delayed ACK of a burst comes
 * 40 ms after it (tcp_send_delayed_ack moves the timer up as the burst
 * brings the ATO down from 80 ms), its window then 1024 bytes, less than a
 * segment: the server holds the rest (tcp_snd_wnd_test) until its persist
 * timer sends the 1024 bytes with PSH (tcp_write_wakeup), and the client
 * ACKs them at once (a long gap restarts quick ACKs after the overfilled
 * buffer ended them, tcp_clamp_window then tcp_event_data_recv): the
 * window closes after 90545 bytes, as on the kernel.  Before, the server
 * filled the small window at once and the window closed after 89520.
 * The persist timer runs for the RTO, Linux's estimator's from every ACK
 * of the burst (srtt 100.4 ms), in whole jiffies (4 ms, rounded up as
 * __tcp_set_rto does), as the timer wheel runs it (armed at 886 ms, jiffy
 * 221, for 82 jiffies, run at jiffy 304): the 1024 bytes at 1216.0 ms (the
 * kernel's at 1233.0 and 1233.5 ms in two runs of tcplab-cli real, its
 * wheel's phase another; 1196.0 ms before the wheel, 1193.2 ms with the RTO
 * not rounded, 1185 ms with RFC 6298's one sample a flight). */
START_TEST (test_small_window_waits_for_the_persist_timer)
{
  g_autoptr (TlTrace) trace = tl_test_simulate_text (
    "host client 10.0.0.1\nhost server 10.0.0.2\nlink delay 50ms\n"
    "set client autoread off\n0ms server listen 80\n100ms client connect server:80\n"
    "500ms server send 300000\n2s end\n");
  g_autoptr (GPtrArray) c = tl_test_segments (trace, TL_CLIENT);
  g_autoptr (GPtrArray) s = tl_test_segments (trace, TL_SERVER);
  guint32 iss = tl_test_seg (s, 0)->u.seg.seq;   /* its SYN,ACK's */
  guint i;

  /* the ACK of the burst that arrived at 750 ms: at 792 ms (40 ms and the
   * timer wheel's tick), not 832 */
  i = first_seg_from (c, 760);
  ck_assert_uint_lt (i, c->len);
  ck_assert_int_eq (tl_test_seg (c, i)->time_us, TL_MS (792));
  /* the last window, 1024 bytes after 89521, waits for the persist timer */
  i = first_seg_from (s, 743);
  ck_assert_uint_lt (i, s->len);
  ck_assert_uint_eq (tl_test_seg (s, i)->u.seg.flags, TL_FLAG_PSH | TL_FLAG_ACK);
  ck_assert_uint_eq (tl_test_seg (s, i)->u.seg.seq - iss, 89521);
  ck_assert_int_eq (tl_test_seg (s, i)->time_us, 1216000);
  ck_assert_uint_eq (tl_test_seg (s, i)->u.seg.len, 1024);
  /* its ACK at once, closing the window after 90545 bytes */
  i = first_seg_from (c, 1206);
  ck_assert_uint_lt (i, c->len);
  ck_assert_uint_eq (tl_test_seg (c, i)->u.seg.flags, TL_FLAG_ACK);
  ck_assert_uint_eq (tl_test_seg_ack (c, tl_test_seg (c, i)) - iss, 90545);
  ck_assert_int_eq (tl_test_seg (c, i)->time_us, 1266000);
  ck_assert_uint_eq (tl_trace_segment (trace, tl_test_seg (c, i)->u.seg.id)->win, 0);
}
END_TEST

/* Linux's timer wheel (kernel/time/timer.c calc_wheel_index, calc_index):
 * a timer `timeout` jiffies away runs at the next multiple of its level's
 * granularity above its expiry (1 jiffy below 63, 8 below 504, 64 below
 * 4032, 512 below 32256), never early.  The figures are the kernel's, the
 * tracepoint timer:timer_start on this machine (Linux 6.18, HZ 250) under
 * tcplab-cli real: jiffies then, expires, bucket_expiry, for the delayed
 * ACK (timeout 0), the RTO and probe (76 ... 19456), the SYN,ACK (250) and
 * TIME_WAIT (15000); the simulation's microseconds are jiffies * 4000, the
 * timer armed anywhere inside its jiffy.  Before the wheel the simulator
 * fired each at its expiry. */
START_TEST (test_timer_wheel_as_the_kernel)
{
  static const struct { guint64 expires, timeout, bucket; } seen[] = {
    { 4304830707u, 0, 4304830708u },
    { 4304830770u, 76, 4304830776u },
    { 4304830844u, 250, 4304830848u },
    { 4304883000u, 608, 4304883008u },
    { 4304884224u, 1216, 4304884288u },
    { 4304886720u, 2432, 4304886784u },
    { 4304887424u, 4864, 4304887808u },
    { 4304893568u, 9856, 4304893952u },
    { 4304845722u, 15000, 4304845824u },
    { 4304901120u, 19456, 4304901632u },
  };

  for (guint i = 0; i < G_N_ELEMENTS (seen); i++)
    for (gint64 within = 0; within < TL_LINUX_JIFFY_US; within += 1999)
      {
        gint64 now = (gint64) (seen[i].expires - seen[i].timeout) * TL_LINUX_JIFFY_US + within;

        ck_assert_int_eq (tl_linux_timer_wheel_us (now, (gint64) seen[i].timeout * TL_LINUX_JIFFY_US),
                          (gint64) seen[i].bucket * TL_LINUX_JIFFY_US);
      }
  /* a delay not in whole jiffies is rounded up first (usecs_to_jiffies) */
  ck_assert_int_eq (tl_linux_timer_wheel_us (TL_MS (1), 1), TL_MS (8));
  /* the level's edge: 62 jiffies at level 0, 63 at level 1 */
  ck_assert_int_eq (tl_linux_timer_wheel_us (0, 62 * TL_LINUX_JIFFY_US), 63 * TL_LINUX_JIFFY_US);
  ck_assert_int_eq (tl_linux_timer_wheel_us (0, 63 * TL_LINUX_JIFFY_US), 64 * TL_LINUX_JIFFY_US);
  ck_assert_int_eq (tl_linux_timer_wheel_us (TL_LINUX_JIFFY_US, 63 * TL_LINUX_JIFFY_US),
                    72 * TL_LINUX_JIFFY_US);
}
END_TEST

/* Which timers the wheel runs: the linux profile's timer_list timers, not
 * SACK compression (an hrtimer) and nothing of the rfc profile.  An RTO of
 * 1 s from 10 ms: 1024 ms (jiffy 2 + 250, rounded up past a multiple of 8);
 * the rfc profile's at 1010 ms. */
START_TEST (test_timer_wheel_only_linux)
{
  for (guint rfc = 0; rfc < 2; rfc++)
    {
      g_autoptr (TlScenario) sc = tl_test_scenario ();
      g_autoptr (TlTrace) trace = NULL;
      g_autoptr (GArray) fired = NULL;

      if (rfc)
        tl_test_rfc_profile (sc, TL_CLIENT);
      tl_test_listen (sc, 0, TL_SERVER, 80);
      tl_test_drop (sc, 0, 0, TL_FLAG_SYN, 1);
      tl_test_connect (sc, TL_MS (10), TL_CLIENT, 80, 0);
      trace = tl_simulate (sc);
      fired = tl_test_timer_times (trace, TL_CLIENT, TL_TIMER_RETRANSMIT, TL_TIMER_FIRED);
      ck_assert_uint_ge (fired->len, 1);
      ck_assert_int_eq (g_array_index (fired, gint64, 0), rfc ? TL_MS (1010) : TL_MS (1024));
    }
}
END_TEST

Suite *
tcp_timers_suite (void)
{
  Suite *s = suite_create ("tcp-timers");
  TCase *tc = tcase_create ("timers");

  tcase_add_test (tc, test_close_wait_forever_and_orphan_fin_wait_2_timeout);
  tcase_add_test (tc, test_timer_wheel_as_the_kernel);
  tcase_add_test (tc, test_timer_wheel_only_linux);
  tcase_add_test (tc, test_keepalive_probes_then_etimedout);
  tcase_add_test (tc, test_crashed_then_rebooted_peer);
  tcase_add_test (tc, test_crash_of_a_crashed_host_is_a_no_op);
  tcase_add_test (tc, test_two_runs_identical);
  tcase_add_test (tc, test_max_events);
  tcase_add_test (tc, test_persist_probe_recovers_a_lost_window_update);
  tcase_add_test (tc, test_persist_probe_finds_an_aborted_peer);
  tcase_add_test (tc, test_small_window_waits_for_the_persist_timer);
  suite_add_tcase (s, tc);
  return s;
}
