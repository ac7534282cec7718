/* test-tcp-open.c: opening a connection: simultaneous open, a refused
 * connect, a lost SYN, SYN retries to ETIMEDOUT, SYN_RCVD reset back to LISTEN,
 * and the edges of Figure 5 that only the application takes. */
#include "tl-test-util.h"

/* Both (RFC 9293 Figure 8 and the Linux lab): SYN, SYN crossing; SYN,ACK
 * with the own ISN from SYN_RCVD; then an ACK each, ESTABLISHED. */
START_TEST (test_simultaneous_open)
{
  g_autoptr (TlScenario) sc = tl_test_scenario ();
  g_autoptr (TlTrace) trace = NULL;
  g_autoptr (GPtrArray) c = NULL;
  g_autoptr (GPtrArray) s = NULL;

  tl_test_connect (sc, TL_MS (10), TL_CLIENT, 2000, 1000);
  tl_test_connect (sc, TL_MS (10), TL_SERVER, 1000, 2000);
  trace = tl_simulate (sc);
  c = tl_test_segments (trace, TL_CLIENT);
  s = tl_test_segments (trace, TL_SERVER);

  ck_assert_uint_eq (c->len, 3);
  ck_assert_uint_eq (s->len, 3);
  tl_test_assert_seg (c, 0, TL_CLIENT, TL_FLAG_SYN, 0, 0);
  tl_test_assert_seg (c, 1, TL_CLIENT, TL_FLAG_SYN | TL_FLAG_ACK, 0, 1);
  tl_test_assert_seg (c, 2, TL_CLIENT, TL_FLAG_ACK, 1, 1);
  tl_test_assert_seg (s, 1, TL_SERVER, TL_FLAG_SYN | TL_FLAG_ACK, 0, 1);
  ck_assert_int_eq (tl_test_state_time (trace, TL_CLIENT, 1, TL_STATE_SYN_RCVD), TL_MS (30));
  ck_assert_int_eq (tl_test_state_time (trace, TL_CLIENT, 1, TL_STATE_ESTABLISHED), TL_MS (50));
  ck_assert_int_eq (tl_test_state_time (trace, TL_SERVER, 1, TL_STATE_ESTABLISHED), TL_MS (50));
}
END_TEST

/* Both: close() in SYN_RCVD sends a FIN, FIN_WAIT_1 (Figure 5). */
START_TEST (test_close_in_syn_rcvd_sends_fin)
{
  g_autoptr (TlScenario) sc = tl_test_scenario ();
  g_autoptr (TlTrace) trace = NULL;
  g_autoptr (GPtrArray) c = NULL;

  tl_test_connect (sc, TL_MS (10), TL_CLIENT, 2000, 1000);
  tl_test_connect (sc, TL_MS (10), TL_SERVER, 1000, 2000);
  tl_test_conn (sc, TL_MS (40), TL_STMT_CLOSE, TL_CLIENT, 0, 0);
  trace = tl_simulate (sc);
  c = tl_test_segments (trace, TL_CLIENT);

  ck_assert_int_eq (tl_test_state (trace, TL_CLIENT, 1, TL_MS (35)), TL_STATE_SYN_RCVD);
  ck_assert_int_eq (tl_test_state (trace, TL_CLIENT, 1, TL_MS (45)), TL_STATE_FIN_WAIT_1);
  tl_test_assert_seg (c, 2, TL_CLIENT, TL_FLAG_FIN | TL_FLAG_ACK, 1, 1);
}
END_TEST

/* Found by test-property (seed 1817): closed in SYN_RCVD with its SYN,ACK
 * lost, a connection retransmits the SYN,ACK (its SYN heads the
 * retransmission queue), never the SYN's sequence number as a byte of data. */
START_TEST (test_close_in_syn_rcvd_retransmits_the_syn)
{
  g_autoptr (TlScenario) sc = tl_test_scenario ();
  g_autoptr (TlTrace) trace = NULL;
  g_autoptr (GPtrArray) c = NULL;
  const TlRecord *r;

  tl_test_connect (sc, TL_MS (10), TL_CLIENT, 2000, 1000);
  tl_test_connect (sc, TL_MS (10), TL_SERVER, 1000, 2000);
  tl_test_link_down (sc, TL_MS (15), 0, TRUE);
  tl_test_conn (sc, TL_MS (40), TL_STMT_CLOSE, TL_CLIENT, 0, 0);
  tl_test_host (sc, TL_MS (1500), TL_STMT_END, TL_CLIENT);
  sc->end_us = TL_MS (1500);
  trace = tl_simulate (sc);
  c = tl_test_segments (trace, TL_CLIENT);

  tl_test_assert_seg (c, 1, TL_CLIENT, TL_FLAG_SYN | TL_FLAG_ACK, 0, 1);
  tl_test_assert_seg (c, 2, TL_CLIENT, TL_FLAG_FIN | TL_FLAG_ACK, 1, 1);
  /* 3: the ACK of the server's SYN,ACK, which is out of the window */
  ck_assert_uint_eq (c->len, 6);
  /* at the RTO (1 s after the SYN, as the timer wheel runs it: jiffy 2 +
   * 250 rounded up past a multiple of 8, 256): the SYN,ACK again */
  tl_test_assert_seg (c, 4, TL_CLIENT, TL_FLAG_SYN | TL_FLAG_ACK, 0, 1);
  r = g_ptr_array_index (c, 4);
  ck_assert_int_eq (r->time_us, TL_MS (1024));
  ck_assert_uint_eq (r->u.seg.len, 0);
  tl_test_assert_seg (c, 5, TL_CLIENT, TL_FLAG_ACK, 2, 1);
}
END_TEST

/* Both (RFC 9293 section 3.10.7.1): a SYN to a closed port gets
 * RST,ACK <SEQ=0><ACK=SEG.SEQ+1>; connect() fails with ECONNREFUSED. */
START_TEST (test_refused_connect)
{
  g_autoptr (TlScenario) sc = tl_test_scenario ();
  g_autoptr (TlTrace) trace = NULL;
  g_autoptr (GPtrArray) segs = NULL;
  const TlRecord *r;

  tl_test_connect (sc, TL_MS (10), TL_CLIENT, 80, 0);
  trace = tl_simulate (sc);
  segs = tl_test_segments (trace, -1);

  ck_assert_uint_eq (segs->len, 2);
  r = tl_test_seg (segs, 1);
  ck_assert_uint_eq (r->u.seg.flags, TL_FLAG_RST | TL_FLAG_ACK);
  ck_assert_uint_eq (r->u.seg.seq, 0);
  ck_assert_uint_eq (tl_trace_segment (trace, r->u.seg.id)->ack, TL_CLIENT_ISN + 1);
  ck_assert_int_eq (tl_test_error (trace, TL_CLIENT, 1), TL_ERR_ECONNREFUSED);
  ck_assert_int_eq (tl_test_state_time (trace, TL_CLIENT, 1, TL_STATE_CLOSED), TL_MS (50));
}
END_TEST

/* Linux: a lost SYN is sent again after the initial RTO, 1 s. */
START_TEST (test_lost_syn_retransmitted)
{
  g_autoptr (TlScenario) sc = tl_test_scenario ();
  g_autoptr (TlTrace) trace = NULL;
  g_autoptr (GPtrArray) segs = NULL;
  const TlRecord *r;

  tl_test_listen (sc, 0, TL_SERVER, 80);
  tl_test_drop (sc, 0, 0, TL_FLAG_SYN, 1);
  tl_test_connect (sc, TL_MS (10), TL_CLIENT, 80, 0);
  trace = tl_simulate (sc);
  segs = tl_test_segments (trace, -1);

  tl_test_assert_seg (segs, 0, TL_CLIENT, TL_FLAG_SYN, 0, 0);
  r = tl_test_seg (segs, 0);
  ck_assert_int_eq (r->u.seg.fate, TL_FATE_LOST_SCRIPTED);
  tl_test_assert_seg (segs, 1, TL_CLIENT, TL_FLAG_SYN, 0, 0);
  r = tl_test_seg (segs, 1);
  ck_assert_int_eq (r->time_us, TL_MS (1024));
  tl_test_assert_seg (segs, 2, TL_SERVER, TL_FLAG_SYN | TL_FLAG_ACK, 0, 1);
  ck_assert_int_eq (tl_test_state_time (trace, TL_CLIENT, 1, TL_STATE_ESTABLISHED), TL_MS (1064));
}
END_TEST

/* The client's SYNs went at these times (ms), and no other segment; the
 * connection ended at fail_ms with ETIMEDOUT. */
static void
assert_syns_then_etimedout (const TlTrace *trace,
                            const gint64  *at_ms,
                            guint          n,
                            gint64         fail_ms)
{
  g_autoptr (GPtrArray) segs = tl_test_segments (trace, TL_CLIENT);

  ck_assert_uint_eq (segs->len, n);
  for (guint i = 0; i < n; i++)
    ck_assert_int_eq (tl_test_seg (segs, i)->time_us, TL_MS (at_ms[i]));
  ck_assert_int_eq (tl_test_state_time (trace, TL_CLIENT, 1, TL_STATE_CLOSED), TL_MS (fail_ms));
  ck_assert_int_eq (tl_test_error (trace, TL_CLIENT, 1), TL_ERR_ETIMEDOUT);
}

/* Linux 6.18 (this machine's kernel, seen on the lab), syn_retries 6 and
 * tcp_syn_linear_timeouts 4: the first four retransmissions keep the 1 s
 * timer, then it doubles, and the linear ones come on top of syn_retries:
 * SYNs at 0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67 s of timeouts, ETIMEDOUT at
 * 131 s; as the timer wheel runs them (1 s and 2 s at level 1, 8 jiffies;
 * 4 to 16 s at level 2, 64; 32 and 64 s at level 3, 512), each later than
 * the last: 1.024, 2.048 ... 5.12, 7.136, 11.264, 19.456, 35.584, 69.632 s,
 * ETIMEDOUT at 135.168 s. */
START_TEST (test_syn_retries_then_etimedout)
{
  g_autoptr (TlScenario) sc = tl_test_scenario ();
  g_autoptr (TlTrace) trace = NULL;
  const gint64 at[] = { 0, 1024, 2048, 3072, 4096, 5120, 7136, 11264, 19456, 35584, 69632 };

  sc->link[0].down = TRUE;
  tl_test_connect (sc, 0, TL_CLIENT, 80, 0);
  trace = tl_simulate (sc);

  assert_syns_then_etimedout (trace, at, G_N_ELEMENTS (at), 135168);
}
END_TEST

/* Linux 6.18 (lab), syn_retries 2 and 1: the time limit of syn_retries
 * doubling timeouts ends it before the count: syn_retries 2 gives SYNs at
 * 0, 1, 2, 3, 4, 5 s and ETIMEDOUT at 7 s; syn_retries 1 SYNs at 0, 1, 2 s
 * and ETIMEDOUT at 3 s (as the timer wheel runs them, 1.024 s apart, the
 * last 2.016 s after the sixth SYN). */
START_TEST (test_syn_retries_small)
{
  const guint n_syns[] = { 0, 3, 6 };
  const gint64 fail_at[] = { 0, 3072, 7136 };
  const gint64 at[] = { 0, 1024, 2048, 3072, 4096, 5120 };

  for (guint retries = 1; retries <= 2; retries++)
    {
      g_autoptr (TlScenario) sc = tl_test_scenario ();
      g_autoptr (TlTrace) trace = NULL;

      sc->settings[TL_CLIENT].syn_retries = retries;
      sc->link[0].down = TRUE;
      tl_test_connect (sc, 0, TL_CLIENT, 80, 0);
      trace = tl_simulate (sc);

      assert_syns_then_etimedout (trace, at, n_syns[retries], fail_at[retries]);
    }
}
END_TEST

/* The RFC profile (syn_linear_timeouts 0; RFC 6298 (5.5) doubles the timer
 * every time), and Linux before 6.10: syn_retries 6 gives SYNs at 0, 1, 3,
 * 7, 15, 31, 63 s and ETIMEDOUT at 127 s.  rto_max is raised so that the
 * RFC's 60 s bound does not cut the last interval. */
START_TEST (test_syn_retries_exponential)
{
  g_autoptr (TlScenario) sc = tl_test_scenario ();
  g_autoptr (TlTrace) trace = NULL;
  const gint64 at[] = { 0, 1000, 3000, 7000, 15000, 31000, 63000 };

  tl_settings_init_profile (&sc->settings[TL_CLIENT], TL_PROFILE_RFC);
  sc->settings[TL_CLIENT].rto_max_us = TL_S (120);
  ck_assert_uint_eq (sc->settings[TL_CLIENT].syn_linear_timeouts, 0);
  sc->link[0].down = TRUE;
  tl_test_connect (sc, 0, TL_CLIENT, 80, 0);
  trace = tl_simulate (sc);

  assert_syns_then_etimedout (trace, at, G_N_ELEMENTS (at), 127000);
}
END_TEST

/* Linux, synack_retries 5: SYN,ACKs at 1, 3, 7, 15, 31 s of timeouts, the
 * request dropped at 63 s (the lab shows the same on Linux 6.18); as the
 * timer wheel runs them, from the request at 30 ms: 1.056, 3.072, 7.168,
 * 15.36, 31.488 s, dropped at 65.536 s. */
START_TEST (test_synack_retries_then_dropped)
{
  g_autoptr (TlScenario) sc = tl_test_scenario ();
  g_autoptr (TlTrace) trace = NULL;
  g_autoptr (GPtrArray) segs = NULL;
  const gint64 at[] = { 30, 1056, 3072, 7168, 15360, 31488 };
  guint n = 0;

  tl_test_listen (sc, 0, TL_SERVER, 80);
  tl_test_drop (sc, 0, 0, TL_FLAG_ACK, 100);
  tl_test_connect (sc, TL_MS (10), TL_CLIENT, 80, 0);
  tl_test_host (sc, TL_S (70), TL_STMT_END, 0);
  sc->end_us = TL_S (70);
  trace = tl_simulate (sc);
  segs = tl_test_segments (trace, TL_SERVER);

  for (guint i = 0; i < segs->len; i++)
    {
      const TlRecord *r = tl_test_seg (segs, i);

      if (r->u.seg.flags == (TL_FLAG_SYN | TL_FLAG_ACK))
        {
          ck_assert_uint_lt (n, G_N_ELEMENTS (at));
          ck_assert_int_eq (r->time_us, TL_MS (at[n]));
          n++;
        }
    }
  ck_assert_uint_eq (n, G_N_ELEMENTS (at));
  ck_assert_int_eq (tl_test_state_time (trace, TL_SERVER, 1, TL_STATE_CLOSED), TL_MS (65536));
  /* the client believed it was ESTABLISHED all along */
  ck_assert_int_eq (tl_test_state (trace, TL_CLIENT, 1, TL_S (65)), TL_STATE_ESTABLISHED);
}
END_TEST

/* A RST in a passive SYN_RCVD: under rfc the request returns to LISTEN
 * (Figure 5), then is gone; under linux the request mini socket simply ends,
 * SYN_RCVD -> CLOSED, as the kernel's trace says
 * (tests/sweep/syn-rcvd-segments.lesson).  The listener stays in both. */
START_TEST (test_syn_rcvd_reset_returns_to_listen)
{
  for (guint rfc = 0; rfc < 2; rfc++)
    {
      g_autoptr (TlScenario) sc = tl_test_scenario ();
      g_autoptr (TlTrace) trace = NULL;
      guint to_listen = 0, to_closed = 0;

      if (rfc)
        tl_test_rfc_profile (sc, TL_SERVER);
      tl_test_open (sc);
      tl_test_conn (sc, TL_MS (35), TL_STMT_ABORT, TL_CLIENT, 0, 0);  /* in SYN_SENT: no RST */
      trace = tl_simulate (sc);
      /* the closed client answers the SYN,ACK with a RST */
      for (guint i = 0; i < tl_trace_n_records (trace); i++)
        {
          const TlRecord *r = tl_trace_record (trace, i);

          if (r->kind == TL_REC_STATE && r->host == TL_SERVER && r->conn != TL_NO_CONN
              && r->u.state.from == TL_STATE_SYN_RCVD)
            {
              to_listen += r->u.state.to == TL_STATE_LISTEN;
              to_closed += r->u.state.to == TL_STATE_CLOSED;
            }
        }
      ck_assert_uint_eq (to_listen, rfc ? 1 : 0);
      ck_assert_uint_eq (to_closed, rfc ? 0 : 1);
      ck_assert_int_eq (tl_test_state (trace, TL_SERVER, 1, TL_MS (100)), TL_STATE_CLOSED);
    }
}
END_TEST

/* Found by test-property (seed 159934): a request timed out, the client's
 * SYN again made a new one with another ISS, and then the first SYN,ACK
 * reached the client late.  Its ACK and data acknowledge the old ISS: the
 * new request in SYN_RCVD answers each with a RST and takes nothing from
 * the data (RFC 9293 section 3.10.7.4, fifth); it used to carry the data on
 * to the text step and abort the simulator. */
START_TEST (test_syn_rcvd_bad_ack_with_data_gets_reset)
{
  g_autoptr (TlScenario) sc = tl_test_scenario ();
  g_autoptr (TlTrace) trace = NULL;
  g_autoptr (GPtrArray) s = NULL;
  guint resets = 0;

  sc->settings[TL_SERVER].isn_random = TRUE;
  sc->settings[TL_SERVER].synack_retries = 0;
  sc->settings[TL_SERVER].rto_initial_us = TL_MS (100);
  sc->settings[TL_CLIENT].rto_initial_us = TL_MS (100);
  sc->link[TL_SERVER].delay_us = TL_MS (150);
  tl_test_open (sc);
  tl_test_conn (sc, TL_MS (10), TL_STMT_SEND, TL_CLIENT, 0, 500);
  tl_test_host (sc, TL_MS (210), TL_STMT_END, TL_CLIENT);
  sc->end_us = TL_MS (210);
  trace = tl_simulate (sc);

  /* the first request timed out at 132 ms (100 ms from 30 ms, as the timer
   * wheel runs it: jiffy 7 + 25, and one); the second came then (the
   * client's SYN again at 112 ms, jiffy 2 + 25, and one) */
  ck_assert_int_eq (tl_test_state_time (trace, TL_SERVER, 1, TL_STATE_CLOSED), TL_MS (132));
  ck_assert_int_eq (tl_test_state_time (trace, TL_SERVER, 2, TL_STATE_SYN_RCVD), TL_MS (132));
  /* the first SYN,ACK came at 180 ms: ACK and 500 bytes, both with the old ISS */
  ck_assert_int_eq (tl_test_state_time (trace, TL_CLIENT, 1, TL_STATE_ESTABLISHED), TL_MS (180));
  s = tl_test_segments (trace, TL_SERVER);
  for (guint i = 0; i < s->len; i++)
    {
      const TlRecord *r = tl_test_seg (s, i);

      if (r->u.seg.flags == TL_FLAG_RST)
        {
          ck_assert_int_eq (r->time_us, TL_MS (200));
          resets++;
        }
    }
  ck_assert_uint_eq (resets, 2);
  ck_assert_int_eq (tl_test_state (trace, TL_SERVER, 2, TL_MS (205)), TL_STATE_SYN_RCVD);
}
END_TEST

/* Both: close() in SYN_SENT deletes the connection (Figure 5), silently. */
START_TEST (test_close_in_syn_sent)
{
  g_autoptr (TlScenario) sc = tl_test_scenario ();
  g_autoptr (TlTrace) trace = NULL;
  g_autoptr (GPtrArray) segs = NULL;

  sc->link[0].down = TRUE;
  tl_test_connect (sc, TL_MS (10), TL_CLIENT, 80, 0);
  tl_test_conn (sc, TL_MS (500), TL_STMT_CLOSE, TL_CLIENT, 0, 0);
  trace = tl_simulate (sc);
  segs = tl_test_segments (trace, -1);

  ck_assert_uint_eq (segs->len, 1);
  ck_assert_int_eq (tl_test_state_time (trace, TL_CLIENT, 1, TL_STATE_CLOSED), TL_MS (500));
}
END_TEST

/* Both: unlisten closes a LISTEN socket (Figure 5, LISTEN -> CLOSED). */
START_TEST (test_unlisten_closes_listener)
{
  g_autoptr (TlScenario) sc = tl_test_scenario ();
  g_autoptr (TlTrace) trace = NULL;
  TlStmt st = { 0 };
  gboolean seen = FALSE;

  tl_test_listen (sc, 0, TL_SERVER, 80);
  st.kind = TL_STMT_UNLISTEN;
  st.time_us = TL_MS (100);
  st.host = TL_SERVER;
  st.u.listen.port = 80;
  tl_scenario_insert (sc, &st);
  trace = tl_simulate (sc);
  for (guint i = 0; i < tl_trace_n_records (trace); i++)
    {
      const TlRecord *r = tl_trace_record (trace, i);

      if (r->kind == TL_REC_STATE && r->u.state.from == TL_STATE_LISTEN
          && r->u.state.to == TL_STATE_CLOSED && r->time_us == TL_MS (100))
        seen = TRUE;
    }
  ck_assert (seen);
}
END_TEST

Suite *
tcp_open_suite (void)
{
  Suite *s = suite_create ("tcp-open");
  TCase *tc = tcase_create ("open");

  tcase_add_test (tc, test_simultaneous_open);
  tcase_add_test (tc, test_close_in_syn_rcvd_sends_fin);
  tcase_add_test (tc, test_close_in_syn_rcvd_retransmits_the_syn);
  tcase_add_test (tc, test_refused_connect);
  tcase_add_test (tc, test_lost_syn_retransmitted);
  tcase_add_test (tc, test_syn_retries_then_etimedout);
  tcase_add_test (tc, test_syn_retries_small);
  tcase_add_test (tc, test_syn_retries_exponential);
  tcase_add_test (tc, test_synack_retries_then_dropped);
  tcase_add_test (tc, test_syn_rcvd_reset_returns_to_listen);
  tcase_add_test (tc, test_syn_rcvd_bad_ack_with_data_gets_reset);
  tcase_add_test (tc, test_close_in_syn_sent);
  tcase_add_test (tc, test_unlisten_closes_listener);
  suite_add_tcase (s, tc);
  return s;
}
