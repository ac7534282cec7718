/* test-tcp-defer.c: Linux's TSO deferral (tcp_tso_should_defer, 6.18) in
 * the linux profile: a GSO packet that the windows would cut short waits
 * for the next ACK, when one is due within a millisecond and the sender
 * sent within the last one.  Seen on this machine's kernel
 * (tests/sweep/reorder-spurious.lesson): the first segment of a flight
 * of ten held 20 ms, the SACKs of the nine others came at 600.5 ms; the
 * first sent one new segment, the second none (the segment it let go
 * waited), the third the retransmission (Recovery), then the new ones. */
#include "tl-test-util.h"

#include "tl-lesson.h"

/* The server's data segments sent in [from_ms, to_ms), each as its
 * sequence number from the first data byte in segments of 1448 bytes, one
 * after another with a space. */
static char *
data_order (const TlTrace *trace,
            gint64         from_ms,
            gint64         to_ms)
{
  g_autoptr (GPtrArray) s = tl_test_data_segments (trace, TL_SERVER);
  GString *out = g_string_new (NULL);
  guint32 first;

  ck_assert_uint_gt (s->len, 0);
  first = tl_test_seg (s, 0)->u.seg.seq;
  for (guint i = 0; i < s->len; i++)
    {
      const TlRecord *r = tl_test_seg (s, i);

      if (r->time_us < TL_MS (from_ms) || r->time_us >= TL_MS (to_ms))
        continue;
      g_string_append_printf (out, "%s%u", out->len > 0 ? " " : "", (r->u.seg.seq - first) / 1448);
    }
  return g_string_free (out, FALSE);
}

/* The first of ten segments held 20 ms on the link: the nine after it
 * arrive first, and their SACKs reach the server at 600 ms (the segments
 * left at 500 ms, RTT 100 ms).  setup: the lesson's `set` lines; handshake:
 * its timed lines before the write. */
static TlTrace *
reordered_flight (const char *setup,
                  const char *handshake)
{
  g_autofree char *timed = g_strconcat (handshake,
                                        "490ms hold next server->client 20ms\n"
                                        "500ms server send 60000\n"
                                        "700ms end\n", NULL);

  return tl_test_simulate_pair (setup, timed);
}

START_TEST (test_linux_defers_the_segment_a_sack_frees)
{
  g_autoptr (TlTrace) trace = reordered_flight ("", "");
  g_autofree char *order = data_order (trace, 600, 601);

  /* the first SACK: the last send 100 ms ago, segment 10 goes; the second
   * (the same instant): room for one segment, less than a GSO packet of
   * two and a third of the window, the held head's ACK due now: segment
   * 11 waits; the third: Recovery, the head again, then 11 and on */
  ck_assert_str_eq (order, "10 0 11 12 13 14");
}
END_TEST

START_TEST (test_linux_sends_when_no_ack_is_due)
{
  /* The handshake's ACK held 30 ms: the server's first RTT sample is
   * 130 ms, its SRTT after the first SACK's 100 ms sample 126 ms, so the
   * held head's ACK is not due until 626 ms, more than a millisecond
   * away: nothing waits (the order before the deferral was modelled). */
  g_autoptr (TlTrace) trace = reordered_flight ("", "190ms hold next client->server 30ms\n");
  g_autofree char *order = data_order (trace, 600, 601);

  ck_assert_str_eq (order, "10 11 0 12 13 14");
}
END_TEST

START_TEST (test_linux_defers_for_the_peer_window)
{
  /* A receive window of nine segments (the key window 14480; Linux has no
   * such setting, so this is the rule read from tcp_tso_should_defer, not
   * a run of the kernel): the ACKs of the first flight, one a segment,
   * reach the server at 600 ms, each opening the window by one segment.
   * The second opens it for segment 10, which goes (the last send 100 ms
   * ago); the third for one more, less than a GSO packet and a third of
   * the window, the head's ACK due: it waits, and goes with the next as
   * a packet of two, PSH on its second segment. */
  g_autoptr (TlTrace) trace = tl_test_simulate_pair ("set client window 14480\n",
                                                     "500ms server send 30000\n"
                                                     "650ms end\n");
  g_autoptr (GPtrArray) s = tl_test_data_segments (trace, TL_SERVER);
  GString *flags = g_string_new (NULL);
  g_autofree char *got = NULL;

  for (guint i = 0; i < s->len; i++)
    if (tl_test_seg (s, i)->time_us == TL_MS (600))
      g_string_append_c (flags, (tl_test_seg (s, i)->u.seg.flags & TL_FLAG_PSH) ? 'P' : 'A');
  got = g_string_free (flags, FALSE);
  ck_assert_str_eq (got, "AAPAPAPAP");
}
END_TEST

Suite *
tcp_defer_suite (void)
{
  Suite *s = suite_create ("tcp-defer");
  TCase *tc = tcase_create ("defer");

  tcase_add_test (tc, test_linux_defers_the_segment_a_sack_frees);
  tcase_add_test (tc, test_linux_sends_when_no_ack_is_due);
  tcase_add_test (tc, test_linux_defers_for_the_peer_window);
  suite_add_tcase (s, tc);
  return s;
}
