/* test-tcp-psh.c: where PSH goes on data segments.  The rfc profile sets it
 * where the data written so far ends (RFC 9293 section 3.9.1: the sender
 * may set it at the end of each SEND; one per write here).  Linux 6.18 also
 * sets it on the last segment of every GSO packet of more than one segment
 * (__tcp_transmit_skb), two segments at the lab's rates: seen on this
 * machine's kernel (tests/sweep/psh.lesson), a write of 30000 bytes went as
 * 21 segments with PSH on the 2nd, 4th, ... 20th and the 21st. */
#include "tl-test-util.h"

#include "tl-lesson.h"

/* The server's data segments for a write of `bytes`, as flags: "A" for
 * ACK, "P" for PSH,ACK. */
static char *
data_flags (const char *profile,
            guint       bytes)
{
  g_autofree char *setup = g_strdup_printf ("set all profile %s\n", profile);
  g_autofree char *timed = g_strdup_printf ("500ms server send %u\n1500ms end\n", bytes);
  g_autoptr (TlTrace) trace = tl_test_simulate_pair (setup, timed);
  g_autoptr (GPtrArray) s = tl_test_data_segments (trace, TL_SERVER);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < s->len; i++)
    g_string_append_c (out, (tl_test_seg (s, i)->u.seg.flags & TL_FLAG_PSH) ? 'P' : 'A');
  return g_string_free (out, FALSE);
}

START_TEST (test_linux_psh_ends_each_pair)
{
  g_autofree char *big = data_flags ("linux", 30000);
  g_autofree char *small = data_flags ("linux", 3000);
  g_autofree char *one = data_flags ("linux", 1000);

  ck_assert_str_eq (big, "APAPAPAPAPAPAPAPAPAPP");
  ck_assert_str_eq (small, "APP");
  ck_assert_str_eq (one, "P");
}
END_TEST

/* The flags ("A", "P") of the server's data segments sent from from_ms
 * until before to_ms, and the first one's sequence number (from the ISN). */
static char *
flags_between (const TlTrace *trace,
               gint64         from_ms,
               gint64         to_ms,
               guint32       *first_seq)
{
  g_autoptr (GPtrArray) all = tl_test_segments (trace, TL_SERVER);
  g_autoptr (GPtrArray) s = tl_test_data_segments (trace, TL_SERVER);
  guint32 iss = tl_test_seg (all, 0)->u.seg.seq;
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < s->len; i++)
    {
      const TlRecord *r = tl_test_seg (s, i);

      if (r->time_us < TL_MS (from_ms) || r->time_us >= TL_MS (to_ms))
        continue;
      if (out->len == 0)
        *first_seq = r->u.seg.seq - iss;
      g_string_append_c (out, (r->u.seg.flags & TL_FLAG_PSH) ? 'P' : 'A');
    }
  return g_string_free (out, FALSE);
}

/* Linux keeps PSH on the skb: a retransmission has it where its skb was
 * marked (tcp_push, here where the buffer stopped the program: 44889, sent
 * by F-RTO as new data), not where the first transmission had it only as
 * the last of a GSO packet.  tests/sweep/retransmit-psh.lesson: the second
 * flight, lost to a cut link, went again one segment at a time, none with
 * PSH, as on the kernel (tcplab-cli real); the simulator had kept the GSO
 * PSH of 15929, 18825 ... */
START_TEST (test_linux_retransmission_has_only_its_skbs_psh)
{
  g_autoptr (TlTrace) trace = tl_test_simulate_pair ("", "500ms server send 100000\n"
                                                     "590ms link server->client down\n"
                                                     "1500ms link server->client up\n"
                                                     "3000ms end\n");
  guint32 seq = 0;
  g_autofree char *timeout = flags_between (trace, 1700, 1800, &seq);
  g_autofree char *frto = flags_between (trace, 1800, 1900, &seq);
  g_autofree char *again = NULL;

  ck_assert_str_eq (timeout, "A");
  ck_assert_str_eq (frto, "P");
  ck_assert_uint_eq (seq, 44889);
  again = flags_between (trace, 1900, 2200, &seq);
  ck_assert_str_eq (again, "AAAAAAAAAAAAAA");
  ck_assert_uint_eq (seq, 15929);
}
END_TEST

/* A GSO packet takes at most half the congestion window (tcp_cwnd_test):
 * with cwnd 2, F-RTO's two new segments go as packets of one, neither with
 * the GSO PSH (tests/sweep/frto.lesson; the kernel: 15929 and 17377, no
 * PSH); so do the lost ones after them, one at a time. */
START_TEST (test_linux_small_window_sends_packets_of_one)
{
  g_autoptr (TlTrace) trace = tl_test_simulate_pair ("", "490ms link server->client down\n"
                                                     "500ms server send 50000\n"
                                                     "900ms link server->client up\n"
                                                     "1500ms end\n");
  guint32 seq = 0;
  g_autofree char *frto = flags_between (trace, 1100, 1200, &seq);
  g_autofree char *again = NULL;

  ck_assert_str_eq (frto, "AA");
  ck_assert_uint_eq (seq, 15929);
  again = flags_between (trace, 1200, 1400, &seq);
  ck_assert_str_eq (again, "AAAAAA");
  ck_assert_uint_eq (seq, 1449);
}
END_TEST

/* An skb of two lost whole goes again whole when the window takes both
 * (__tcp_retransmit_skb): one GSO packet, PSH on its second, which no
 * write marked (tests/sweep/retransmit-psh-pair.lesson; the kernel: 46337
 * and 47785 again at ~802 ms, PSH on 47785, five runs of five).  The skb
 * before it went first one segment at a time (PRR's share of one). */
START_TEST (test_linux_pair_sent_again_whole_has_psh)
{
  g_autoptr (TlTrace) trace = tl_test_simulate_pair ("", "500ms server send 200000\n"
                                                     "650ms drop next server->client count 4\n"
                                                     "1600ms end\n");
  g_autoptr (GPtrArray) all = tl_test_segments (trace, TL_SERVER);
  g_autoptr (GPtrArray) s = tl_test_data_segments (trace, TL_SERVER);
  guint32 iss = tl_test_seg (all, 0)->u.seg.seq;
  GString *again = g_string_new (NULL);
  g_autofree char *flags = NULL;

  /* the four sent again, in order */
  for (guint i = 0; i < s->len; i++)
    {
      const TlRecord *r = tl_test_seg (s, i);

      if (r->time_us > TL_MS (750) && r->u.seg.seq - iss < 49233)
        g_string_append_printf (again, "%u%c ", r->u.seg.seq - iss,
                                (r->u.seg.flags & TL_FLAG_PSH) ? 'P' : 'A');
    }
  flags = g_string_free (again, FALSE);
  ck_assert_str_eq (flags, "43441A 44889P 46337A 47785P ");
}
END_TEST

START_TEST (test_rfc_psh_ends_the_write)
{
  g_autofree char *small = data_flags ("rfc", 3000);

  ck_assert_str_eq (small, "AAP");
}
END_TEST

Suite *
tcp_psh_suite (void)
{
  Suite *s = suite_create ("tcp-psh");
  TCase *tc = tcase_create ("psh");

  tcase_add_test (tc, test_linux_psh_ends_each_pair);
  tcase_add_test (tc, test_linux_retransmission_has_only_its_skbs_psh);
  tcase_add_test (tc, test_linux_small_window_sends_packets_of_one);
  tcase_add_test (tc, test_linux_pair_sent_again_whole_has_psh);
  tcase_add_test (tc, test_rfc_psh_ends_the_write);
  suite_add_tcase (s, tc);
  return s;
}
