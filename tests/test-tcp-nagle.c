/* test-tcp-nagle.c: small writes and Nagle's algorithm (RFC 9293 section
 * 3.7.4, RFC 1122 section 4.2.3.4).  The linux profile as Linux 6.18 does
 * it (tcp_nagle_check with Minshall's variant: a short segment waits only
 * while a short one is unacknowledged), seen on this machine's kernel over
 * a 50 ms link (tests/sweep/nagle.lesson): four writes of 100 bytes 10 ms
 * apart went as 100 bytes at once and 300 when its ACK came back; with that
 * ACK lost, the 300 went as the tail loss probe, ~300 ms after the first. */
#include "tl-test-util.h"

#include "tl-lesson.h"

/* The four writes of the kernel's check, after `setup` lines and `before`
 * timed lines. */
static TlTrace *
four_writes (const char *setup,
             const char *before)
{
  g_autofree char *timed = g_strconcat (before, "500ms client send 100\n510ms client send 100\n"
                                        "520ms client send 100\n530ms client send 100\n", NULL);

  return tl_test_simulate_pair (setup, timed);
}

/* The client's segments that carry data: time in ms and length, as
 * "500:100 600:300". */
static char *
data_segments (const TlTrace *trace)
{
  g_autoptr (GPtrArray) c = tl_test_data_segments (trace, TL_CLIENT);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < c->len; i++)
    {
      const TlRecord *r = tl_test_seg (c, i);

      g_string_append_printf (out, "%s%" G_GINT64_FORMAT ":%u%s", out->len > 0 ? " " : "",
                              r->time_us / TL_USEC_PER_MSEC, r->u.seg.len,
                              (r->u.seg.flags & TL_FLAG_FIN) ? "F" : "");
    }
  return g_string_free (out, FALSE);
}

START_TEST (test_linux_holds_small_writes_until_the_ack)
{
  g_autoptr (TlTrace) trace = four_writes ("", "");
  g_autofree char *data = data_segments (trace);

  /* the kernel: 502 ms 100 bytes, 602.7 ms 300 bytes */
  ck_assert_str_eq (data, "500:100 600:300");
}
END_TEST

START_TEST (test_tail_loss_probe_sends_what_nagle_holds)
{
  g_autoptr (TlTrace) trace = four_writes ("", "450ms drop next server->client ACK\n");
  g_autofree char *data = data_segments (trace);

  /* the kernel: 505.5 ms 100 bytes, 819 ms 300 bytes (its timer wheel: the
   * probe's 300 ms, 75 jiffies, rounded up past a multiple of 8 jiffies);
   * here the probe at jiffy 208, 832 ms; the probe is new data, not the 100
   * bytes again */
  ck_assert_str_eq (data, "500:100 832:300");
}
END_TEST

/* Without SACK Linux sends no tail loss probe (tcp_schedule_loss_probe):
 * the RTO sends the 100 bytes again, their ACK lets the 300 go.  The
 * kernel: 500 ms 100 bytes, 804.7 ms the 100 again, 904.9 ms 300; here the
 * timer wheel runs the RTO at jiffy 208 (832 ms), its phase another. */
START_TEST (test_no_probe_without_sack)
{
  g_autoptr (TlTrace) trace = four_writes ("set all sack off\n", "450ms drop next server->client ACK\n");
  g_autofree char *data = data_segments (trace);

  ck_assert_str_eq (data, "500:100 832:100 932:300");
}
END_TEST

START_TEST (test_nodelay_sends_every_write)
{
  g_autoptr (TlTrace) trace = four_writes ("set client nodelay on\n", "");
  g_autofree char *data = data_segments (trace);

  ck_assert_str_eq (data, "500:100 510:100 520:100 530:100");
}
END_TEST

/* close() while a small write waits: the FIN goes on it at once (Linux
 * tcp_send_fin pushes with TCP_NAGLE_OFF). */
START_TEST (test_fin_goes_with_held_data)
{
  g_autoptr (TlTrace) trace = tl_test_simulate_pair (
    "", "500ms client send 100\n510ms client send 100\n520ms client close\n");
  g_autofree char *data = data_segments (trace);

  ck_assert_str_eq (data, "500:100 520:100F");
}
END_TEST

/* Minshall's variant: behind full segments the short end of a write goes
 * at once under linux; the RFC's algorithm holds it while anything is
 * unacknowledged, until the ACK of the full ones (the RFC profile ACKs at
 * once: one round trip). */
START_TEST (test_short_end_behind_full_segments)
{
  for (guint rfc = 0; rfc < 2; rfc++)
    {
      g_autoptr (TlTrace) trace = tl_test_simulate_pair (rfc ? "set all profile rfc\n" : "",
                                                         "500ms client send 4000\n");
      g_autofree char *data = data_segments (trace);

      /* no timestamps under rfc: full segments of 1460 */
      ck_assert_str_eq (data, rfc ? "500:1460 500:1460 600:1080" : "500:1448 500:1448 500:1104");
    }
}
END_TEST

/* Linux's snd_sml: a write behind a short segment in flight goes as far
 * as it fills full segments; its short end waits for the ACK. */
START_TEST (test_linux_small_segment_in_flight_holds)
{
  g_autoptr (TlTrace) trace = tl_test_simulate_pair (
    "", "500ms client send 100\n510ms client send 2000\n");
  g_autofree char *data = data_segments (trace);

  ck_assert_str_eq (data, "500:100 510:1448 600:552");
}
END_TEST

Suite *
tcp_nagle_suite (void)
{
  Suite *s = suite_create ("tcp-nagle");
  TCase *tc = tcase_create ("nagle");

  tcase_add_test (tc, test_linux_holds_small_writes_until_the_ack);
  tcase_add_test (tc, test_tail_loss_probe_sends_what_nagle_holds);
  tcase_add_test (tc, test_no_probe_without_sack);
  tcase_add_test (tc, test_nodelay_sends_every_write);
  tcase_add_test (tc, test_fin_goes_with_held_data);
  tcase_add_test (tc, test_short_end_behind_full_segments);
  tcase_add_test (tc, test_linux_small_segment_in_flight_holds);
  suite_add_tcase (s, tc);
  return s;
}
