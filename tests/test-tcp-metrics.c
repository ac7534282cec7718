/* test-tcp-metrics.c: Linux's TCP metrics cache (tl-tcp-metrics.c): a later
 * connection to a peer starts its first RTO from the RTT the earlier ones
 * left (tests/sweep/metrics.lesson, checked on the kernel). */
#include "tl-test-util.h"

/* Connection 1 over a 100 ms link, closed well (the client's TIME_WAIT, the
 * server's LAST_ACK); connection 2 over 50 ms sends 100 bytes at 2500 ms,
 * whose ACK is lost: the timed lines after tl_test_simulate_pair's start,
 * BETWEEN at 1800 ms (the 100 ms link and SETUP are second_rto_ms's setup). */
static const char two_connections_timed[] =
  "600ms client send 100\n"
  "1000ms client close\n"
  "1300ms server close\n"
  "1800ms %s\n"
  "2000ms link delay 50ms\n"
  "2100ms client connect server:80\n"
  "2500ms drop next server->client ACK\n"
  "2500ms client send 100\n"
  "4000ms end\n";

/* When the client sent connection 2's data again, in ms after 2500. */
static gint64
second_rto_ms (const char *setup,
               const char *between)
{
  g_autofree char *lines = g_strdup_printf ("link delay 100ms\nset all sack off\n%s\n", setup);
  g_autofree char *timed = g_strdup_printf (two_connections_timed, between);
  g_autoptr (TlTrace) trace = tl_test_simulate_pair (lines, timed);
  g_autoptr (GPtrArray) c = tl_test_data_segments (trace, TL_CLIENT);

  /* the first connection's 100 bytes, the second's, then the second's again */
  return c->len >= 3 ? (tl_test_seg (c, 2)->time_us - TL_MS (2500)) / TL_USEC_PER_MSEC : -1;
}

/* The cached RTT (205 ms: 200, and 240 for the FIN, whose ACK waited 40
 * ms) is longer than the handshake's (100 ms): RTO = 205 + max(410, 200)
 * ms (tcp_init_metrics), 154 jiffies from jiffy 625, which the timer wheel
 * runs at jiffy 784: after 636 ms; the kernel sent it again after 635 ms
 * (tests/sweep/metrics.lesson). */
START_TEST (test_later_connection_starts_from_the_cached_rtt)
{
  ck_assert_int_eq (second_rto_ms ("", "say \"-\""), 636);
}
END_TEST

/* metrics_save off (tcp_no_metrics_save 1), from the start or before the
 * first connection ends: nothing saved, 2 RTT + 200 ms (run by the timer
 * wheel 316 ms after); the rfc profile keeps no cache (RFC 6298's RTO, at
 * least 1 s, on time). */
START_TEST (test_nothing_cached_without_metrics_save)
{
  ck_assert_int_eq (second_rto_ms ("set all metrics_save off", "say \"-\""), 316);
  ck_assert_int_eq (second_rto_ms ("", "say \"-\""), 636);
  ck_assert_int_eq (second_rto_ms ("set all profile rfc sack off", "say \"-\""), 1000);
}
END_TEST

/* The key is read when the connection ends: set off at 900 ms, before the
 * close, nothing is saved; a crash forgets the cache. */
START_TEST (test_cache_saved_at_the_end_and_lost_in_a_crash)
{
  g_autofree char *late = g_strdup_printf (two_connections_timed, "say \"-\"");
  g_autoptr (GString) off = g_string_new (late);

  g_string_replace (off, "1000ms client close\n", "900ms set client metrics_save off\n"
                    "1000ms client close\n", 1);
  {
    g_autoptr (TlTrace) trace = tl_test_simulate_pair ("link delay 100ms\nset all sack off\n",
                                                       off->str);
    g_autoptr (GPtrArray) c = tl_test_segments (trace, TL_CLIENT);

    /* the data again at 2816 ms: the client saved nothing (the server's
     * cache, which it saved, has no say in the client's RTO) */
    ck_assert_int_eq (tl_test_seg (c, c->len - 1)->time_us, TL_MS (2816));
  }
  ck_assert_int_eq (second_rto_ms ("", "client crash\n1900ms client reboot"), 316);
}
END_TEST

Suite *
tcp_metrics_suite (void)
{
  Suite *s = suite_create ("tcp-metrics");
  TCase *tc = tcase_create ("metrics");

  tcase_add_test (tc, test_later_connection_starts_from_the_cached_rtt);
  tcase_add_test (tc, test_nothing_cached_without_metrics_save);
  tcase_add_test (tc, test_cache_saved_at_the_end_and_lost_in_a_crash);
  suite_add_tcase (s, tc);
  return s;
}
