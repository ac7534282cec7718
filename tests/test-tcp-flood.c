/* test-tcp-flood.c: a SYN flood from spoofed addresses, with SYN cookies off
 * (the queue fills and a real client times out) and on (it gets through).
 * Linux behaviour, checked against the lab. */
#include "tl-test-util.h"

static guint
count_in_state (const TlTrace *trace, guint host, TlState state, gint64 t)
{
  TlWorld world;
  guint n;

  tl_world_init (&world);
  tl_trace_world_at (trace, t, &world);
  n = world.counts[host][state];
  tl_world_clear (&world);
  return n;
}

/* Linux, syncookies off, tcp_max_syn_backlog 16: requests stop at 13 (the
 * last quarter is kept for known peers); the client's SYNs are dropped and
 * connect() fails (syn_retries 2 on Linux 6.18, seen on the lab: SYNs 1 s
 * apart, ETIMEDOUT 7 s after the connect).  The SYN,ACKs to the
 * spoofed addresses are discarded. */
START_TEST (test_flood_without_cookies_starves_client)
{
  g_autoptr (TlScenario) sc = tl_test_scenario ();
  g_autoptr (TlTrace) trace = NULL;
  g_autoptr (GPtrArray) s = NULL;
  guint discarded = 0;

  sc->settings[TL_SERVER].syn_queue = 16;
  sc->settings[TL_SERVER].syncookies = TL_SYNCOOKIES_OFF;
  sc->settings[TL_CLIENT].syn_retries = 2;
  tl_test_listen (sc, 0, TL_SERVER, 80);
  tl_test_flood (sc, TL_MS (10), TL_SERVER, 80, 40, 1000);
  tl_test_connect (sc, TL_MS (200), TL_CLIENT, 80, 0);
  sc->end_us = TL_S (9);
  trace = tl_simulate (sc);

  ck_assert_uint_eq (count_in_state (trace, TL_SERVER, TL_STATE_SYN_RCVD, TL_MS (200)), 13);
  ck_assert_uint_eq (tl_trace_count_segments (trace, 0, TL_FLAG_SYN, FALSE, TL_MS (100)), 40);
  s = tl_test_segments (trace, TL_SERVER);
  for (guint i = 0; i < s->len; i++)
    {
      const TlRecord *r = tl_test_seg (s, i);

      if (r->u.seg.fate == TL_FATE_DISCARDED)
        {
          ck_assert_uint_ne (tl_trace_segment_peer (trace, r->u.seg.id), 0);
          discarded++;
        }
    }
  ck_assert_uint_ge (discarded, 13);
  ck_assert_int_eq (tl_test_error (trace, TL_CLIENT, 0), TL_ERR_ETIMEDOUT);
  ck_assert_int_eq (tl_test_state (trace, TL_CLIENT, 0, TL_MS (7100)), TL_STATE_SYN_SENT);
  /* the SYNs as the timer wheel runs the RTO: 1.216, 2.24, 3.264, 4.288,
   * 5.312 s, the timeout at 7.328 s (7.128 s after the connect) */
  ck_assert_int_eq (tl_test_state (trace, TL_CLIENT, 0, TL_MS (7320)), TL_STATE_SYN_SENT);
  ck_assert_int_eq (tl_test_state (trace, TL_CLIENT, 0, TL_MS (7330)), TL_STATE_CLOSED);
}
END_TEST

/* Linux, syncookies on, backlog 8: 9 requests (backlog + 1, as the lab
 * shows), then cookies; the real client gets through and its connection
 * starts to exist only at its final ACK. */
START_TEST (test_flood_with_cookies_lets_client_through)
{
  g_autoptr (TlScenario) sc = tl_test_scenario ();
  g_autoptr (TlTrace) trace = NULL;

  sc->settings[TL_SERVER].backlog = 8;
  tl_test_listen (sc, 0, TL_SERVER, 80);
  tl_test_flood (sc, TL_MS (10), TL_SERVER, 80, 40, 1000);
  tl_test_connect (sc, TL_MS (200), TL_CLIENT, 80, 0);
  sc->end_us = TL_S (2);
  trace = tl_simulate (sc);

  ck_assert_uint_eq (count_in_state (trace, TL_SERVER, TL_STATE_SYN_RCVD, TL_MS (200)), 9);
  ck_assert_int_eq (tl_test_state (trace, TL_CLIENT, 0, TL_S (1)), TL_STATE_ESTABLISHED);
  ck_assert_int_eq (tl_test_state (trace, TL_SERVER, 0, TL_S (1)), TL_STATE_ESTABLISHED);
  ck_assert_int_eq (tl_test_state_time (trace, TL_SERVER, 0, TL_STATE_ESTABLISHED), TL_MS (260));
}
END_TEST

/* Linux, autoaccept off, backlog 1: the accept queue takes 2 (backlog + 1);
 * the third client's SYN came while there was room, its final ACK does not:
 * the ACK is dropped, the client thinks ESTABLISHED while the server keeps
 * the request and retransmits its SYN,ACK. */
START_TEST (test_full_accept_queue_drops_final_ack)
{
  g_autoptr (TlScenario) sc = tl_test_scenario ();
  g_autoptr (TlTrace) trace = NULL;
  g_autoptr (GPtrArray) s = NULL;
  guint synacks = 0;

  sc->settings[TL_SERVER].backlog = 1;
  sc->settings[TL_SERVER].autoaccept = FALSE;
  tl_test_open (sc);
  tl_test_connect (sc, TL_MS (100), TL_CLIENT, 80, 0);
  tl_test_connect (sc, TL_MS (105), TL_CLIENT, 80, 0);
  sc->end_us = TL_S (2);
  trace = tl_simulate (sc);

  ck_assert_int_eq (tl_test_state (trace, TL_CLIENT, 3, TL_S (1)), TL_STATE_ESTABLISHED);
  ck_assert_int_eq (tl_test_state (trace, TL_SERVER, 3, TL_S (1)), TL_STATE_SYN_RCVD);
  ck_assert_int_eq (tl_test_state (trace, TL_SERVER, 2, TL_S (1)), TL_STATE_ESTABLISHED);
  s = tl_test_segments (trace, TL_SERVER);
  for (guint i = 0; i < s->len; i++)
    if (tl_test_seg (s, i)->u.seg.flags == (TL_FLAG_SYN | TL_FLAG_ACK))
      synacks++;
  ck_assert_uint_eq (synacks, 4);   /* three, and one retransmission at 1.125 s */
}
END_TEST

/* Found by test-property (seed 468412); Linux 6.18 on the lab does the
 * same: with cookies and the final ACK lost, the client's keepalive probe
 * <SEQ=ISN> is not a cookie's ACK (the cookie holds the client's ISN and
 * is checked against seq - 1), so the listener answers with a RST
 * <SEQ=SEG.ACK> and the client sees ECONNRESET.  It used to make a
 * connection expecting the client's ISN as its next byte, where no data
 * could ever arrive in order. */
START_TEST (test_cookie_rejects_a_keepalive_probe)
{
  g_autoptr (TlScenario) sc = tl_test_scenario ();
  g_autoptr (TlTrace) trace = NULL;
  g_autoptr (GPtrArray) s = NULL;
  const TlRecord *r;

  sc->settings[TL_SERVER].syncookies = TL_SYNCOOKIES_ALWAYS;
  sc->settings[TL_CLIENT].keepalive = TRUE;
  sc->settings[TL_CLIENT].keepalive_idle_us = TL_S (1);
  tl_test_listen (sc, 0, TL_SERVER, 80);
  tl_test_drop (sc, TL_MS (5), 0, TL_FLAG_ACK, 1);
  tl_test_connect (sc, TL_MS (10), TL_CLIENT, 80, 0);
  tl_test_host (sc, TL_MS (1500), TL_STMT_END, TL_CLIENT);
  sc->end_us = TL_MS (1500);
  trace = tl_simulate (sc);

  s = tl_test_segments (trace, TL_SERVER);
  ck_assert_uint_eq (s->len, 2);
  r = tl_test_seg (s, 1);
  ck_assert_uint_eq (r->u.seg.flags, TL_FLAG_RST);
  /* the probe left at 1056 ms (1 s after ESTABLISHED at 50 ms, as the timer
   * wheel runs it: jiffy 12 + 250, at 264) */
  ck_assert_int_eq (r->time_us, TL_MS (1076));
  ck_assert_uint_eq (r->u.seg.seq, tl_test_seg (s, 0)->u.seg.seq + 1);
  ck_assert_int_eq (count_in_state (trace, TL_SERVER, TL_STATE_ESTABLISHED, TL_MS (1100)), 0);
  ck_assert_int_eq (tl_test_error (trace, TL_CLIENT, 1), TL_ERR_ECONNRESET);
  ck_assert_int_eq (tl_test_state_time (trace, TL_CLIENT, 1, TL_STATE_CLOSED), TL_MS (1096));
}
END_TEST

Suite *
tcp_flood_suite (void)
{
  Suite *s = suite_create ("tcp-flood");
  TCase *tc = tcase_create ("flood");

  tcase_add_test (tc, test_flood_without_cookies_starves_client);
  tcase_add_test (tc, test_flood_with_cookies_lets_client_through);
  tcase_add_test (tc, test_full_accept_queue_drops_final_ack);
  tcase_add_test (tc, test_cookie_rejects_a_keepalive_probe);
  suite_add_tcase (s, tc);
  return s;
}
