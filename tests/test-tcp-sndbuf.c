/* test-tcp-sndbuf.c: the send buffer (core/tl-tcp-sndbuf.c).  The linux
 * profile's is Linux 6.18's, written into as the lab's program writes (16
 * KiB a non-blocking send() call); the rfc profile's is unbounded.  The
 * figures are the kernel's (tcplab-cli real, tests/sweep/send-buffer.lesson
 * and the lesson of a write whose second flight a cut link lost): a write
 * of 100000 bytes from idle, cwnd 10, took 46336 bytes (ten segments sent
 * by the first call, then an skb of 22 segments, half the client's window);
 * close() 10 ms later sent those 32 segments, the FIN on the last; with
 * the link cut, the program was held until the lost data was recovered, so
 * F-RTO's new data after the timeout was one segment (seq 44889, PSH). */
#include "tl-test-util.h"

/* The last Send-Q host#1 recorded at or before t_ms. */
static guint32
send_q_at (const TlTrace *trace,
           guint          host,
           gint64         t_ms)
{
  guint32 q = 0;

  for (guint i = 0; i < tl_trace_n_records (trace); i++)
    {
      const TlRecord *r = tl_trace_record (trace, i);

      if (r->time_us > TL_MS (t_ms))
        break;
      if (r->kind == TL_REC_QUEUES && r->conn != TL_NO_CONN
          && tl_trace_conn (trace, r->conn)->host == host && !tl_trace_conn (trace, r->conn)->listener)
        q = r->u.queues.send_q;
    }
  return q;
}

/* Where the server's last data segment of d ends, relative to its ISN. */
static guint32
data_end (const TlTrace *trace,
          GPtrArray     *d)
{
  g_autoptr (GPtrArray) s = tl_test_segments (trace, TL_SERVER);
  const TlRecord *last = tl_test_seg (d, d->len - 1);

  return last->u.seg.seq + last->u.seg.len - tl_test_seg (s, 0)->u.seg.seq;
}

START_TEST (test_linux_buffer_takes_46336_bytes)
{
  g_autoptr (TlTrace) trace = tl_test_simulate_pair ("", "500ms server send 100000\n"
                                                     "510ms server close\n1500ms end\n");
  g_autoptr (GPtrArray) d = tl_test_data_segments (trace, TL_SERVER);

  ck_assert_uint_eq (send_q_at (trace, TL_SERVER, 500), 46336);
  /* close() gave up what the program had not written */
  ck_assert_uint_eq (d->len, 32);
  ck_assert_uint_eq (tl_test_seg (d, 31)->u.seg.flags, TL_FLAG_FIN | TL_FLAG_PSH | TL_FLAG_ACK);
  ck_assert_uint_eq (data_end (trace, d), 1 + 46336);
  ck_assert_int_eq (tl_test_seg (d, 31)->time_us, TL_MS (700));
}
END_TEST

START_TEST (test_linux_write_goes_on_as_acks_free_the_buffer)
{
  g_autoptr (TlTrace) trace = tl_test_simulate_pair ("", "500ms server send 100000\n1500ms end\n");
  g_autoptr (GPtrArray) d = tl_test_data_segments (trace, TL_SERVER);

  ck_assert_uint_eq (send_q_at (trace, TL_SERVER, 550), 46336);
  /* all of it, 10, 20, 40 segments a round trip apart */
  ck_assert_uint_eq (data_end (trace, d), 1 + 100000);
  ck_assert_uint_eq (d->len, 70);
  ck_assert_int_eq (tl_test_seg (d, 69)->time_us, TL_MS (700));
  ck_assert_uint_eq (tl_test_error (trace, TL_SERVER, 1), TL_ERR_NONE);
}
END_TEST

START_TEST (test_rfc_buffer_is_unbounded)
{
  g_autoptr (TlTrace) trace = tl_test_simulate_pair ("set all profile rfc\n",
                                                     "500ms server send 100000\n"
                                                     "510ms server close\n3000ms end\n");
  g_autoptr (GPtrArray) d = tl_test_data_segments (trace, TL_SERVER);

  ck_assert_uint_eq (send_q_at (trace, TL_SERVER, 500), 100000);
  ck_assert_uint_eq (data_end (trace, d), 1 + 100000);
}
END_TEST

/* The kernel's lesson: the second flight (20 segments at 600 ms) lost to
 * the cut link, the timeout's retransmission, then F-RTO's new data: one
 * segment, the program still held (the kernel: 44889 at 1875 ms, PSH; the
 * simulator's 1828 ms, its timeouts as the timer wheel runs them, 1808 ms
 * before it was modelled); unbounded, two (cwnd 2). */
START_TEST (test_linux_frto_finds_one_new_segment)
{
  g_autoptr (TlTrace) trace = tl_test_simulate_pair ("", "500ms server send 100000\n"
                                                     "590ms link server->client down\n"
                                                     "1500ms link server->client up\n"
                                                     "4000ms end\n");
  g_autoptr (GPtrArray) s = tl_test_segments (trace, TL_SERVER);
  guint32 iss = tl_test_seg (s, 0)->u.seg.seq;
  guint in_round = 0;

  for (guint i = 0; i < s->len; i++)
    {
      const TlRecord *r = tl_test_seg (s, i);

      if (r->time_us > TL_MS (1750) && r->time_us < TL_MS (1850) && r->u.seg.len > 0)
        {
          in_round++;
          ck_assert_uint_eq (r->u.seg.seq - iss, 44889);
          /* where the program stopped: tcp_push marked the full skb */
          ck_assert_uint_eq (r->u.seg.flags, TL_FLAG_PSH | TL_FLAG_ACK);
          ck_assert_int_eq (r->time_us, TL_MS (1828));
        }
    }
  ck_assert_uint_eq (in_round, 1);
  /* held from 500 ms until the ACKs of 2228 ms (the kernel's 2265 ms):
   * what it wrote, less what was acknowledged since */
  ck_assert_uint_eq (send_q_at (trace, TL_SERVER, 2227), 46336 - 24616);
  ck_assert_uint_gt (send_q_at (trace, TL_SERVER, 2228), 46336 - 24616);
}
END_TEST

/* A mark that stays: the program stopped by the buffer at 97016 bytes,
 * tcp_push marked that full skb; it wrote on before the skb went, and the
 * segment that ends it (seq 95569) still carries PSH (so did the kernel's,
 * tcplab-cli real, one run).  The data written so far ended further on. */
START_TEST (test_linux_psh_stays_where_the_buffer_stopped)
{
  g_autoptr (TlTrace) trace = tl_test_simulate_pair ("", "500ms server send 100000\n"
                                                     "590ms link server->client down\n"
                                                     "1500ms link server->client up\n"
                                                     "2300ms server send 100000\n"
                                                     "5000ms end\n");
  g_autoptr (GPtrArray) s = tl_test_segments (trace, TL_SERVER);
  guint32 iss = tl_test_seg (s, 0)->u.seg.seq;
  gboolean seen = FALSE;

  for (guint i = 0; i < s->len; i++)
    {
      const TlRecord *r = tl_test_seg (s, i);

      if (r->u.seg.len > 0 && r->u.seg.seq - iss == 95569 && !seen)
        {
          seen = TRUE;
          ck_assert_uint_eq (r->u.seg.flags, TL_FLAG_PSH | TL_FLAG_ACK);
          /* the segment after it was written already: it went at once */
          ck_assert_uint_lt (i + 1, s->len);
          ck_assert_uint_eq (tl_test_seg (s, i + 1)->u.seg.seq - iss, 97017);
          ck_assert_int_le (tl_test_seg (s, i + 1)->time_us, r->time_us + TL_MS (40));
        }
    }
  ck_assert (seen);
}
END_TEST

/* shutdown() while the program still holds data: its next send() fails
 * with EPIPE (real/tl-real-app.c records it), and the FIN follows what the
 * buffer took. */
START_TEST (test_linux_shutdown_gives_up_the_rest)
{
  g_autoptr (TlTrace) trace = tl_test_simulate_pair ("", "500ms server send 100000\n"
                                                     "510ms server shutdown\n1500ms end\n");
  g_autoptr (GPtrArray) d = tl_test_data_segments (trace, TL_SERVER);

  ck_assert_uint_eq (tl_test_error (trace, TL_SERVER, 1), TL_ERR_EPIPE);
  ck_assert_uint_eq (data_end (trace, d), 1 + 46336);
}
END_TEST

Suite *
tcp_sndbuf_suite (void)
{
  Suite *s = suite_create ("tcp-sndbuf");
  TCase *tc = tcase_create ("sndbuf");

  tcase_add_test (tc, test_linux_buffer_takes_46336_bytes);
  tcase_add_test (tc, test_linux_write_goes_on_as_acks_free_the_buffer);
  tcase_add_test (tc, test_rfc_buffer_is_unbounded);
  tcase_add_test (tc, test_linux_frto_finds_one_new_segment);
  tcase_add_test (tc, test_linux_psh_stays_where_the_buffer_stopped);
  tcase_add_test (tc, test_linux_shutdown_gives_up_the_rest);
  suite_add_tcase (s, tc);
  return s;
}
