/* test-tcp-close.c: handshake and teardown segment by segment: normal close,
 * data with close, simultaneous close, a lost final ACK, close with unread
 * data.  Sequences checked against Linux 6.x captures from the lab. */
#include "tl-test-util.h"

/* Linux and RFC agree: SYN, SYN,ACK, ACK; FIN,ACK / ACK / FIN,ACK / ACK. */
START_TEST (test_handshake_and_close_segments)
{
  g_autoptr (TlScenario) sc = tl_test_scenario ();
  g_autoptr (TlTrace) trace = NULL;
  g_autoptr (GPtrArray) segs = NULL;

  tl_test_open (sc);
  tl_test_conn (sc, TL_MS (200), TL_STMT_CLOSE, TL_CLIENT, 0, 0);
  tl_test_conn (sc, TL_MS (500), TL_STMT_CLOSE, TL_SERVER, 0, 0);
  trace = tl_simulate (sc);
  segs = tl_test_segments (trace, -1);

  ck_assert_uint_eq (segs->len, 7);
  tl_test_assert_seg (segs, 0, TL_CLIENT, TL_FLAG_SYN, 0, 0);
  tl_test_assert_seg (segs, 1, TL_SERVER, TL_FLAG_SYN | TL_FLAG_ACK, 0, 1);
  tl_test_assert_seg (segs, 2, TL_CLIENT, TL_FLAG_ACK, 1, 1);
  tl_test_assert_seg (segs, 3, TL_CLIENT, TL_FLAG_FIN | TL_FLAG_ACK, 1, 1);
  tl_test_assert_seg (segs, 4, TL_SERVER, TL_FLAG_ACK, 1, 2);
  tl_test_assert_seg (segs, 5, TL_SERVER, TL_FLAG_FIN | TL_FLAG_ACK, 1, 2);
  tl_test_assert_seg (segs, 6, TL_CLIENT, TL_FLAG_ACK, 2, 2);

  ck_assert_int_eq (tl_test_state (trace, TL_CLIENT, 1, TL_MS (100)), TL_STATE_ESTABLISHED);
  ck_assert_int_eq (tl_test_state (trace, TL_SERVER, 1, TL_MS (100)), TL_STATE_ESTABLISHED);
  ck_assert_int_eq (tl_test_state (trace, TL_CLIENT, 1, TL_MS (230)), TL_STATE_FIN_WAIT_1);
  ck_assert_int_eq (tl_test_state (trace, TL_CLIENT, 1, TL_MS (300)), TL_STATE_FIN_WAIT_2);
  ck_assert_int_eq (tl_test_state (trace, TL_SERVER, 1, TL_MS (300)), TL_STATE_CLOSE_WAIT);
  ck_assert_int_eq (tl_test_state (trace, TL_SERVER, 1, TL_MS (510)), TL_STATE_LAST_ACK);
  ck_assert_int_eq (tl_test_state (trace, TL_SERVER, 1, TL_MS (560)), TL_STATE_CLOSED);
  ck_assert_int_eq (tl_test_state (trace, TL_CLIENT, 1, TL_MS (560)), TL_STATE_TIME_WAIT);
  /* Linux: TIME_WAIT is 60 s (2 * msl 30 s), from the FIN's arrival at 520
   * ms, as the timer wheel's level 3 runs it: jiffy 130 + 15000 rounded up
   * past a multiple of 512 jiffies (2.048 s), 15360: 61.44 s */
  ck_assert_int_eq (tl_test_state_time (trace, TL_CLIENT, 1, TL_STATE_CLOSED), TL_MS (61440));
}
END_TEST

/* Linux: send and close at the same moment: the data goes at once, the FIN
 * after it in its own segment (the lab shows PSH,ACK then FIN,ACK). */
START_TEST (test_data_then_close)
{
  g_autoptr (TlScenario) sc = tl_test_scenario ();
  g_autoptr (TlTrace) trace = NULL;
  g_autoptr (GPtrArray) segs = NULL;

  tl_test_open (sc);
  tl_test_conn (sc, TL_MS (200), TL_STMT_SEND, TL_CLIENT, 0, 100);
  tl_test_conn (sc, TL_MS (200), TL_STMT_CLOSE, TL_CLIENT, 0, 0);
  trace = tl_simulate (sc);
  segs = tl_test_segments (trace, -1);

  tl_test_assert_seg (segs, 3, TL_CLIENT, TL_FLAG_PSH | TL_FLAG_ACK, 1, 1);
  tl_test_assert_seg (segs, 4, TL_CLIENT, TL_FLAG_FIN | TL_FLAG_ACK, 101, 1);
  tl_test_assert_seg (segs, 5, TL_SERVER, TL_FLAG_ACK, 1, 101);
  tl_test_assert_seg (segs, 6, TL_SERVER, TL_FLAG_ACK, 1, 102);
}
END_TEST

/* Linux: when close() finds data still queued (here held back by a full
 * receive window), the FIN rides on the last data segment: FIN,PSH,ACK.
 * Against the window of 1000 bytes, segments of 500 (tcp_bound_to_half_wnd). */
START_TEST (test_fin_piggybacked_on_queued_data)
{
  g_autoptr (TlScenario) sc = tl_test_scenario ();
  g_autoptr (TlTrace) trace = NULL;
  g_autoptr (GPtrArray) segs = NULL;

  sc->settings[TL_SERVER].window = 1000;
  sc->settings[TL_SERVER].autoread = FALSE;
  tl_test_open (sc);
  tl_test_conn (sc, TL_MS (200), TL_STMT_SEND, TL_CLIENT, 0, 2000);
  tl_test_conn (sc, TL_MS (200), TL_STMT_CLOSE, TL_CLIENT, 0, 0);
  tl_test_conn (sc, TL_MS (400), TL_STMT_READ, TL_SERVER, 0, 0);
  trace = tl_simulate (sc);
  segs = tl_test_segments (trace, TL_CLIENT);

  tl_test_assert_seg (segs, 2, TL_CLIENT, TL_FLAG_ACK, 1, 1);
  ck_assert_uint_eq (tl_test_seg (segs, 2)->u.seg.len, 500);
  tl_test_assert_seg (segs, 3, TL_CLIENT, TL_FLAG_PSH | TL_FLAG_ACK, 501, 1);
  tl_test_assert_seg (segs, 4, TL_CLIENT, TL_FLAG_ACK, 1001, 1);
  tl_test_assert_seg (segs, 5, TL_CLIENT, TL_FLAG_FIN | TL_FLAG_PSH | TL_FLAG_ACK, 1501, 1);
  ck_assert_uint_eq (tl_test_seg (segs, 5)->u.seg.len, 500);
}
END_TEST

/* Both: FIN_WAIT_1 -> CLOSING -> TIME_WAIT on each side. */
START_TEST (test_simultaneous_close_passes_closing)
{
  g_autoptr (TlScenario) sc = tl_test_scenario ();
  g_autoptr (TlTrace) trace = NULL;
  g_autoptr (GPtrArray) segs = NULL;

  tl_test_open (sc);
  tl_test_conn (sc, TL_MS (300), TL_STMT_CLOSE, TL_CLIENT, 0, 0);
  tl_test_conn (sc, TL_MS (300), TL_STMT_CLOSE, TL_SERVER, 0, 0);
  trace = tl_simulate (sc);
  segs = tl_test_segments (trace, -1);

  ck_assert_uint_eq (segs->len, 7);
  g_clear_pointer (&segs, g_ptr_array_unref);
  /* each side: FIN,ACK then the ACK of the other's FIN, with no ACK between */
  for (guint h = 0; h < 2; h++)
    {
      segs = tl_test_segments (trace, h);
      ck_assert_uint_eq (segs->len, h == TL_CLIENT ? 4 : 3);
      tl_test_assert_seg (segs, segs->len - 2, h, TL_FLAG_FIN | TL_FLAG_ACK, 1, 1);
      tl_test_assert_seg (segs, segs->len - 1, h, TL_FLAG_ACK, 2, 2);
      g_clear_pointer (&segs, g_ptr_array_unref);
    }
  for (guint h = 0; h < 2; h++)
    {
      ck_assert_int_eq (tl_test_state (trace, h, 1, TL_MS (310)), TL_STATE_FIN_WAIT_1);
      ck_assert_int_eq (tl_test_state (trace, h, 1, TL_MS (330)), TL_STATE_CLOSING);
      ck_assert_int_eq (tl_test_state (trace, h, 1, TL_MS (350)), TL_STATE_TIME_WAIT);
    }
}
END_TEST

/* Linux: LAST_ACK retransmits its FIN one RTO (240 ms: SRTT 40 ms + rto_min)
 * later; TIME_WAIT answers with an ACK and restarts its 60 s. */
START_TEST (test_lost_final_ack)
{
  g_autoptr (TlScenario) sc = tl_test_scenario ();
  g_autoptr (TlTrace) trace = NULL;
  g_autoptr (GPtrArray) segs = NULL;
  const TlRecord *r;

  tl_test_open (sc);
  tl_test_conn (sc, TL_MS (200), TL_STMT_CLOSE, TL_CLIENT, 0, 0);
  tl_test_conn (sc, TL_MS (400), TL_STMT_CLOSE, TL_SERVER, 0, 0);
  tl_test_drop (sc, TL_MS (410), 0, TL_FLAG_ACK, 1);
  trace = tl_simulate (sc);
  segs = tl_test_segments (trace, -1);

  ck_assert_uint_eq (segs->len, 9);
  tl_test_assert_seg (segs, 5, TL_SERVER, TL_FLAG_FIN | TL_FLAG_ACK, 1, 2);
  tl_test_assert_seg (segs, 6, TL_CLIENT, TL_FLAG_ACK, 2, 2);
  r = tl_test_seg (segs, 6);
  ck_assert_int_eq (r->u.seg.fate, TL_FATE_LOST_SCRIPTED);
  tl_test_assert_seg (segs, 7, TL_SERVER, TL_FLAG_FIN | TL_FLAG_ACK, 1, 2);
  r = tl_test_seg (segs, 7);
  /* 240 ms (60 jiffies) from jiffy 100, and one more: the timer wheel */
  ck_assert_int_eq (r->time_us, TL_MS (400) + TL_MS (244));
  tl_test_assert_seg (segs, 8, TL_CLIENT, TL_FLAG_ACK, 2, 2);
  ck_assert_int_eq (tl_test_state_time (trace, TL_SERVER, 1, TL_STATE_CLOSED), TL_MS (684));
  /* TIME_WAIT restarted at 664 ms by the retransmitted FIN: jiffy 166 +
   * 15000, run by the wheel at 15360 */
  ck_assert_int_eq (tl_test_state_time (trace, TL_CLIENT, 1, TL_STATE_CLOSED), TL_MS (61440));
}
END_TEST

/* Linux and RFC 2525 section 2.17: close() with unread data sends RST,ACK;
 * the peer sees ECONNRESET. */
START_TEST (test_close_with_unread_data_resets)
{
  g_autoptr (TlScenario) sc = tl_test_scenario ();
  g_autoptr (TlTrace) trace = NULL;
  g_autoptr (GPtrArray) segs = NULL;

  sc->settings[TL_SERVER].autoread = FALSE;
  tl_test_open (sc);
  tl_test_conn (sc, TL_MS (200), TL_STMT_SEND, TL_CLIENT, 0, 100);
  tl_test_conn (sc, TL_MS (400), TL_STMT_CLOSE, TL_SERVER, 0, 0);
  trace = tl_simulate (sc);
  segs = tl_test_segments (trace, -1);

  ck_assert_uint_eq (segs->len, 6);
  tl_test_assert_seg (segs, 4, TL_SERVER, TL_FLAG_ACK, 1, 101);
  tl_test_assert_seg (segs, 5, TL_SERVER, TL_FLAG_RST | TL_FLAG_ACK, 1, 101);
  ck_assert_int_eq (tl_test_state_time (trace, TL_SERVER, 1, TL_STATE_CLOSED), TL_MS (400));
  ck_assert_int_eq (tl_test_state_time (trace, TL_CLIENT, 1, TL_STATE_CLOSED), TL_MS (420));
  ck_assert_int_eq (tl_test_error (trace, TL_CLIENT, 1), TL_ERR_ECONNRESET);
}
END_TEST

/* Found by test-property (seed 11692): the peer's FIN came while close()
 * still had data queued behind a small window: CLOSING must go on sending
 * the data, then the FIN (RFC 9293 section 3.10.4), and reach TIME_WAIT. */
START_TEST (test_closing_sends_the_queued_data_then_fin)
{
  g_autoptr (TlScenario) sc = tl_test_scenario ();
  g_autoptr (TlTrace) trace = NULL;
  g_autoptr (GPtrArray) c = NULL;
  const TlRecord *last_fin = NULL;

  sc->settings[TL_SERVER].window = 300;
  tl_test_open (sc);
  tl_test_conn (sc, TL_MS (100), TL_STMT_SEND, TL_CLIENT, 0, 1000);
  tl_test_conn (sc, TL_MS (101), TL_STMT_CLOSE, TL_CLIENT, 0, 0);
  tl_test_conn (sc, TL_MS (101), TL_STMT_SHUTDOWN, TL_SERVER, 0, 0);
  trace = tl_simulate (sc);
  c = tl_test_segments (trace, TL_CLIENT);

  ck_assert_int_eq (tl_test_state (trace, TL_CLIENT, 1, TL_MS (125)), TL_STATE_CLOSING);
  for (guint i = 0; i < c->len; i++)
    {
      const TlRecord *r = g_ptr_array_index (c, i);

      if (r->u.seg.flags & TL_FLAG_FIN)
        last_fin = r;
    }
  ck_assert_ptr_nonnull (last_fin);
  ck_assert_uint_eq (last_fin->u.seg.seq + last_fin->u.seg.len - TL_CLIENT_ISN, 1001);
  ck_assert_int_ge (tl_test_state_time (trace, TL_CLIENT, 1, TL_STATE_TIME_WAIT), 0);
}
END_TEST

Suite *
tcp_close_suite (void)
{
  Suite *s = suite_create ("tcp-close");
  TCase *tc = tcase_create ("close");

  tcase_add_test (tc, test_handshake_and_close_segments);
  tcase_add_test (tc, test_data_then_close);
  tcase_add_test (tc, test_fin_piggybacked_on_queued_data);
  tcase_add_test (tc, test_simultaneous_close_passes_closing);
  tcase_add_test (tc, test_lost_final_ack);
  tcase_add_test (tc, test_close_with_unread_data_resets);
  tcase_add_test (tc, test_closing_sends_the_queued_data_then_fin);
  suite_add_tcase (s, tc);
  return s;
}
