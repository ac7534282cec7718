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
  tcase_add_test (tc, test_rfc_psh_ends_the_write);
  suite_add_tcase (s, tc);
  return s;
}
