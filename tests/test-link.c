/* test-link.c: the link's delay as a real path has it: a segment keeps the
 * delay in force when it was put on the wire (a shorter delay later lets a
 * later segment overtake it), and `hold next` holds one segment back. */
#include "tl-test-util.h"

#include <string.h>

#include "tl-lesson.h"

/* The arrival record of segment record seg. */
static const TlRecord *
arrival_of (const TlTrace  *trace,
            const TlRecord *seg)
{
  for (guint i = 0; i < tl_trace_n_records (trace); i++)
    {
      const TlRecord *r = tl_trace_record (trace, i);

      if (r->kind == TL_REC_ARRIVE && r->u.seg.id == seg->u.seg.id)
        return r;
    }
  return NULL;
}

/* Data at 200 ms with a 500 ms delay, more data at 210 ms with 20 ms: the
 * second arrives first, and the receiver holds it out of order.  (Before,
 * the second waited behind the first: both at 700 ms.) */
START_TEST (test_delay_change_reorders)
{
  g_autoptr (TlScenario) sc = tl_test_parse (
    "host client 10.0.0.1\nhost server 10.0.0.2\nlink delay 20ms\nset client isn 1000\nset server isn 5000\n"
    /* the second write goes at once, not after the first's ACK (Nagle) */
    "set client nodelay on\n"
    "0ms server listen 80\n10ms client connect server:80\n"
    "200ms link client->server delay 500ms\n200ms client send 100\n"
    "205ms link client->server delay 20ms\n210ms client send 100\n");
  g_autoptr (TlTrace) trace = tl_simulate (sc);
  g_autoptr (GPtrArray) c = tl_test_segments (trace, TL_CLIENT);
  g_autoptr (GPtrArray) s = tl_test_segments (trace, TL_SERVER);
  const TlRecord *first = tl_test_seg (c, 2);
  const TlRecord *second = tl_test_seg (c, 3);

  ck_assert_uint_eq (first->u.seg.seq, TL_CLIENT_ISN + 1);
  ck_assert_uint_eq (second->u.seg.seq, TL_CLIENT_ISN + 101);
  ck_assert_int_eq (arrival_of (trace, first)->time_us, TL_MS (700));
  ck_assert_int_eq (arrival_of (trace, second)->time_us, TL_MS (230));
  /* the server's duplicate ACK (with a SACK block) of the held segment at
   * 230 ms; RACK at the client finds the first one lost and sends it again
   * at once (out for an RTT plus min_rtt / 4 when the SACK comes) */
  tl_test_assert_seg (s, 1, TL_SERVER, TL_FLAG_ACK, 1, 1);
  ck_assert_int_eq (tl_test_seg (s, 1)->time_us, TL_MS (230));
  ck_assert_uint_eq (tl_test_seg (c, 4)->u.seg.seq, TL_CLIENT_ISN + 1);
  ck_assert_int_eq (tl_test_seg (c, 4)->time_us, TL_MS (250));
}
END_TEST

/* `hold next client->server SYN 2s`: that SYN arrives 2 s late; the next
 * segments keep the link's delay. */
START_TEST (test_hold_next_delays_one_segment)
{
  g_autoptr (TlScenario) sc = tl_test_parse (
    "host client 10.0.0.1\nhost server 10.0.0.2\nlink delay 20ms\n"
    "0ms server listen 80\n5ms hold next client->server SYN 2s\n"
    "10ms client connect server:80\n");
  g_autoptr (TlTrace) trace = tl_simulate (sc);
  g_autoptr (GPtrArray) c = tl_test_segments (trace, TL_CLIENT);

  ck_assert_uint_eq (tl_test_seg (c, 0)->u.seg.flags, TL_FLAG_SYN);
  ck_assert_int_eq (arrival_of (trace, tl_test_seg (c, 0))->time_us, TL_MS (2030));
  /* the retransmission at 1024 ms (the RTO of 1 s as the timer wheel runs
   * it: jiffy 2 + 250, rounded up to 256) is not held, and opens the
   * connection */
  ck_assert_uint_eq (tl_test_seg (c, 1)->u.seg.flags, TL_FLAG_SYN);
  ck_assert_int_eq (tl_test_seg (c, 1)->time_us, TL_MS (1024));
  ck_assert_int_eq (arrival_of (trace, tl_test_seg (c, 1))->time_us, TL_MS (1044));
  ck_assert_int_eq (tl_test_state_time (trace, TL_CLIENT, 1, TL_STATE_ESTABLISHED), TL_MS (1064));
}
END_TEST

/* An ACK overtaken on the link brings no window when it arrives: it
 * acknowledges less than snd_una (RFC 9293 section 3.10.7.4, SND.WL1 and
 * SND.WL2; Linux tcp_ack ignores an old ACK; seen on the kernel,
 * tests/sweep/old-ack-window.lesson).  The client offers 40000 bytes and
 * reads nothing; the server fills them (linux by 600 ms; rfc, with an
 * initial window of 30, at 500 ms); the client's first ACK (window 38552,
 * or 38540) is held until 620 ms, after the later ones.  Taking its window
 * would let the server send that much beyond the client's window. */
START_TEST (test_old_ack_window_not_taken)
{
  for (guint rfc = 0; rfc < 2; rfc++)
    {
      g_autofree char *text = g_strdup_printf (
        "host client 10.0.0.1\nhost server 10.0.0.2\nlink delay 50ms\n%s"
        "0ms server listen 80\n100ms client connect server:80\n"
        "500ms server send 300000\n540ms hold next client->server ACK 20ms\n"
        "700ms end\n",
        rfc ? "set all profile rfc window 40000 autoread off initcwnd 30\n"
            : "set client autoread off window 40000\n");
      g_autoptr (TlTrace) trace = tl_test_simulate_text (text);
      g_autoptr (GPtrArray) s = tl_test_data_segments (trace, TL_SERVER);
      const TlRecord *first = tl_test_seg (s, 0);
      const TlRecord *last = tl_test_seg (s, s->len - 1);

      ck_assert_msg (last->time_us == (rfc ? TL_MS (500) : TL_MS (600)),
                     "profile %s: data sent at %" G_GINT64_FORMAT " us",
                     rfc ? "rfc" : "linux", last->time_us);
      ck_assert_uint_eq (last->u.seg.seq + last->u.seg.len - first->u.seg.seq, 40000);
    }
}
END_TEST

/* A segment whose ACK is more than the largest window below snd_una is no
 * ACK of ours (RFC 5961 section 5.2): dropped, FIN and all, with a
 * challenge ACK; the FIN counts only when it comes again (seen on the
 * kernel, tests/sweep/too-old-ack.lesson).  The rfc profile does it too,
 * with MAX.SND.WND alone; its FIN goes again after its 1 s RTO. */
START_TEST (test_too_old_ack_dropped)
{
  for (guint rfc = 0; rfc < 2; rfc++)
    {
      g_autofree char *text = g_strdup_printf (
        "host client 10.0.0.1\nhost server 10.0.0.2\nlink delay 50ms\n%s\n"
        "0ms server listen 80\n100ms client connect server:80\n"
        "500ms server send 1000000\n790ms hold next client->server FIN,ACK 200ms\n"
        "800ms client shutdown\n2000ms end\n",
        rfc ? "set all profile rfc" : "set all timestamps off window_scaling off");
      g_autoptr (TlTrace) trace = tl_test_simulate_text (text);
      g_autoptr (GPtrArray) s = tl_test_segments (trace, TL_SERVER);
      gboolean challenged = FALSE;

      ck_assert_int_eq (tl_test_state (trace, TL_SERVER, 1, TL_MS (1100)), TL_STATE_ESTABLISHED);
      ck_assert_int_eq (tl_test_state_time (trace, TL_SERVER, 1, TL_STATE_CLOSE_WAIT),
                        rfc ? TL_MS (1850) : TL_MS (1170));
      for (guint i = 0; i < s->len; i++)
        challenged |= tl_test_seg (s, i)->time_us == TL_MS (1050)
                      && tl_test_seg (s, i)->u.seg.flags == TL_FLAG_ACK
                      && tl_test_seg (s, i)->u.seg.len == 0;
      ck_assert_msg (challenged, "profile %s: no challenge ACK at 1050 ms", rfc ? "rfc" : "linux");
    }
}
END_TEST

/* The statement reads back as it was written, and a wrong one says why. */
START_TEST (test_hold_next_parses_and_writes)
{
  g_autoptr (TlScenario) sc = tl_test_parse (
    "host client 10.0.0.1\nhost server 10.0.0.2\n"
    "1s hold next server->client SYN,ACK 1.5s\n2s hold next client->server 300ms\n");
  const TlStmt *a = &g_array_index (sc->stmts, TlStmt, 0);
  const TlStmt *b = &g_array_index (sc->stmts, TlStmt, 1);
  g_autoptr (GError) error = NULL;
  g_autoptr (TlScenario) bad = NULL;

  ck_assert_int_eq (a->kind, TL_STMT_HOLD_NEXT);
  ck_assert_int_eq (a->u.drop.dir, TL_SERVER);
  ck_assert_uint_eq (a->u.drop.flags, TL_FLAG_SYN | TL_FLAG_ACK);
  ck_assert (!a->u.drop.any);
  ck_assert_int_eq (a->u.drop.delay_us, TL_MS (1500));
  ck_assert_int_eq (b->kind, TL_STMT_HOLD_NEXT);
  ck_assert (b->u.drop.any);
  ck_assert_int_eq (b->u.drop.delay_us, TL_MS (300));

  bad = tl_lesson_parse ("host client 10.0.0.1\nhost server 10.0.0.2\n"
                         "1s hold next client->server SYN\n", -1, "bad.lesson", NULL, &error);
  ck_assert_ptr_null (bad);
  ck_assert_msg (strstr (error->message, "bad.lesson:3:") != NULL, "%s", error->message);
  ck_assert_msg (strstr (error->message, "how long to hold it") != NULL, "%s", error->message);
}
END_TEST

Suite *
link_suite (void)
{
  Suite *s = suite_create ("link");
  TCase *tc = tcase_create ("link");

  tcase_add_test (tc, test_delay_change_reorders);
  tcase_add_test (tc, test_hold_next_delays_one_segment);
  tcase_add_test (tc, test_hold_next_parses_and_writes);
  tcase_add_test (tc, test_old_ack_window_not_taken);
  tcase_add_test (tc, test_too_old_ack_dropped);
  suite_add_tcase (s, tc);
  return s;
}
