/* test-tcp-rcvbuf.c: the receive window of the linux profile as Linux 6.18
 * offers it from its buffer (core/tl-tcp-rcvbuf.c), each figure what this
 * machine's kernel said over a 50 ms link (tests/sweep/receive-window.lesson
 * and tests/sweep/nagle.lesson under `tcplab-cli real`). */
#include "tl-test-util.h"

#include "tl-lesson.h"

/* tests/sweep/receive-window.lesson without its expect lines: its setup
 * and timed lines for tl_test_simulate_pair */
static const char receive_window_setup[] = "set client autoread off\n";
static const char receive_window[] =
  "500ms repeat 60 every 20ms server send 1448\n"
  "2000ms client read\n2100ms set client autoread on\n"
  "2200ms repeat 150 every 10ms server send 1448\n4100ms end\n";

/* A receiver that does not read: its window grows while the buffer has
 * room (each 1448-byte segment costs 2304 bytes of it), then every ACK
 * offers what the last window left (never taking it back), one ACK a
 * segment while quick ACKs last (16, and one more for each growth), then
 * one every third segment: the delayed ACK's timer, due as the third
 * arrives, is beaten by it (tcp_send_delayed_ack), so the ATO stays 40 ms;
 * the last segment's ACK is the timer's, 40 ms after it and 2 more to the
 * tick the timer wheel runs it at (jiffy 432 + 10, and one: 1772 ms). */
START_TEST (test_window_offers_what_is_left)
{
  g_autoptr (TlTrace) trace = tl_test_simulate_pair (receive_window_setup, receive_window);
  g_autofree char *w = tl_test_acks_in (trace, TL_CLIENT, 500, 1800, TL_TEST_ACKS_MS);

  ck_assert_str_eq (w, "550:66 570:69 590:72 610:75 630:74 650:73 670:72 690:71 710:70 "
                       "730:69 750:68 770:67 790:66 810:65 830:64 850:63 870:62 890:61 "
                       "910:60 930:59 990:55 1050:51 1110:47 1170:43 1230:39 1290:35 "
                       "1350:31 1410:27 1470:23 1530:19 1590:15 1650:11 1710:7 1772:6");
}
END_TEST

/* Reading as data comes, after a read of 86880 bytes: the buffer grows
 * (dynamic right-sizing) and the window by two segments a segment, past
 * the 80 a 128 KiB buffer holds (the kernel: the same fields). */
START_TEST (test_window_grows_as_the_program_reads)
{
  g_autoptr (TlTrace) trace = tl_test_simulate_pair (receive_window_setup, receive_window);
  g_autofree char *w = tl_test_acks_in (trace, TL_CLIENT, 2200, 2410, TL_TEST_ACKS_MS);

  ck_assert_str_eq (w, "2250:78 2260:80 2270:83 2280:86 2290:89 2300:92 2310:95 2320:97 "
                       "2330:100 2340:103 2350:106 2360:109 2370:112 2380:114 2390:117 "
                       "2400:120");
}
END_TEST

/* The window of a SYN,ACK (65160, unscaled) is never taken back: after
 * 100 bytes the server offers 64 x 1024, not the 63 its buffer would
 * (tcp_select_window); a 100-byte segment does not grow it (under 128
 * bytes: tcp_event_data_recv). */
START_TEST (test_small_segment_keeps_the_synack_window)
{
  g_autoptr (TlTrace) trace = tl_test_simulate_pair (
    "", "500ms client send 100\n1000ms client send 300\n1500ms end\n");
  g_autofree char *w = tl_test_acks_in (trace, TL_SERVER, 500, 1500, TL_TEST_ACKS_MS);

  ck_assert_str_eq (w, "550:64 1050:64");
}
END_TEST

/* A program that never reads: a segment that the window still allows but
 * the buffer cannot hold is taken all the same (the buffer becomes what it
 * holds, tcp_clamp_window), and the window closes only when the data
 * reaches the edge it offered. */
START_TEST (test_window_closes_at_the_edge_it_offered)
{
  g_autoptr (TlTrace) trace = tl_test_simulate_pair (
    "set client autoread off\n", "500ms repeat 100 every 20ms server send 1448\n3000ms end\n");
  g_autoptr (GPtrArray) c = tl_test_segments (trace, TL_CLIENT);
  guint32 edge = 0;
  gboolean closed = FALSE;

  for (guint i = 0; i < c->len; i++)
    {
      const TlRecord *r = tl_test_seg (c, i);
      guint32 ack = tl_test_seg_ack (c, r);
      guint32 win = tl_trace_segment_window (trace, r);

      if (r->u.seg.flags != TL_FLAG_ACK || r->time_us < TL_MS (500))
        continue;
      /* the right edge never moves back */
      ck_assert_uint_ge (ack + win, edge);
      edge = ack + win;
      if (win == 0)
        {
          closed = TRUE;
          /* well beyond the 128 KiB buffer's 56 segments of 2304 bytes */
          ck_assert_uint_gt (ack, 56 * 1448);
          break;
        }
    }
  ck_assert (closed);
}
END_TEST

/* Data held out of order grows the buffer (Linux 6.16 on: tcp_rcvbuf_grow
 * from tcp_data_queue_ofo, with the last measure): the 39 segments after
 * the first of tests/sweep/sack-compress.lesson's flight end 56928 bytes
 * beyond rcv_nxt, so the buffer becomes (2 x 14480 + 56928) / (160/256)
 * = 137420 bytes; when the hole fills, the 40 segments unread take 91136
 * of it, and the window is the 28 x 1024 left (the kernel: 28 in 3 runs
 * of 3; the 128 KiB buffer it had would leave 24). */
START_TEST (test_data_out_of_order_grows_the_buffer)
{
  g_autoptr (TlTrace) trace = tl_test_simulate_pair (
    "set server initcwnd 40\nset client autoread off\n",
    "100ms set client comp_sack_nr 0\n450ms drop next server->client\n"
    "500ms server send 56928\n1000ms end\n");
  g_autofree char *w = tl_test_acks_in (trace, TL_CLIENT, 640, 700, TL_TEST_ACKS_MS);

  ck_assert_str_eq (w, "650:28");
}
END_TEST

/* Without window scaling (both sides: net.ipv4.tcp_window_scaling 0) the
 * window is in bytes (tcp_select_window, __tcp_select_window's unscaled
 * branch).  A receiver that does not read, the segments 1460 bytes: the
 * window it chooses (rcv_wnd) grows past 65535 by a segment a segment
 * (rcv_ssthresh), the field saying 65535; then the free space falls
 * under it and the right edge it offered stays (81749), the window
 * closing a segment at a time.  A late read opens it in steps rounded
 * down to the MSS (16060, 32120), then to the field's most.  The
 * kernel, 3 runs of tests/sweep/no-window-scaling.lesson under `tcplab-cli
 * real --out`: these fields at these times (the ACKs after 1 s come at
 * times the sender's writes vary). */
static const char unscaled_setup[] =
  "set all timestamps off window_scaling off\nset client autoread off\n";

START_TEST (test_unscaled_window_closes_and_opens_by_the_mss)
{
  g_autoptr (TlTrace) trace = tl_test_simulate_pair (unscaled_setup, receive_window);
  g_autofree char *closing = tl_test_acks_in (trace, TL_CLIENT, 500, 1000, TL_TEST_ACKS_MS);
  g_autofree char *read = tl_test_acks_in (trace, TL_CLIENT, 2000, 2010, TL_TEST_ACKS_MS);

  ck_assert_str_eq (closing, "550:65535 590:65535 610:65535 630:65535 650:65535 650:65535 "
                             "690:65535 710:65535 730:65535 750:65535 750:65535 790:64360 "
                             "810:62900 830:61440 850:59980 850:58580 890:57120 910:55660 "
                             "930:54200 950:52740 990:49880");
  ck_assert_str_eq (read, "2000:16060 2000:32120 2000:65535");
}
END_TEST

/* A receiver that never reads, sent 200000 bytes at once: the window
 * closes at the right edge it offered (81761), the persist timer's probes
 * are answered with 0, and the read at 3 s opens it 16060, 32120, 64240
 * (rounded down to the MSS, not the field's 65535).  The kernel, 2 runs
 * under `tcplab-cli real --out`: 0 at 836 and 841 ms, the probes' ACKs 0
 * at 1263 to 1271 and 1999 to 2007 ms, then the same three fields. */
START_TEST (test_unscaled_zero_window_opens_by_the_mss)
{
  g_autoptr (TlTrace) trace = tl_test_simulate_pair (
    unscaled_setup, "500ms server send 200000\n3000ms client read\n3100ms end\n");
  g_autofree char *w = tl_test_acks_in (trace, TL_CLIENT, 800, 3010, TL_TEST_ACKS_MS);

  ck_assert_str_eq (w, "836:0 1266:0 2002:0 3000:16060 3000:32120 3000:64240");
}
END_TEST

/* A sender that receives no data keeps the SYN,ACK's window, 65535
 * rounded down to the MSS: the window its rcv_ssthresh (64076, the
 * buffer's 65536 less a segment) allows, 62780, would take back what it
 * offered (the kernel: 64240 on each of its 687 segments, 3 runs). */
START_TEST (test_unscaled_sender_keeps_the_synack_window)
{
  g_autoptr (TlTrace) trace = tl_test_simulate_pair (
    "set all timestamps off window_scaling off\n", "500ms server send 1000000\n5000ms end\n");
  g_autoptr (GPtrArray) s = tl_test_segments (trace, TL_SERVER);
  guint n = 0;

  for (guint i = 0; i < s->len; i++)
    if (tl_test_seg (s, i)->time_us >= TL_MS (500))
      {
        ck_assert_uint_eq (tl_trace_segment (trace, tl_test_seg (s, i)->u.seg.id)->win, 64240);
        n++;
      }
  ck_assert_uint_ge (n, 680);
}
END_TEST

Suite *
tcp_rcvbuf_suite (void)
{
  Suite *s = suite_create ("tcp-rcvbuf");
  TCase *tc = tcase_create ("linux");

  tcase_add_test (tc, test_window_offers_what_is_left);
  tcase_add_test (tc, test_window_grows_as_the_program_reads);
  tcase_add_test (tc, test_small_segment_keeps_the_synack_window);
  tcase_add_test (tc, test_window_closes_at_the_edge_it_offered);
  tcase_add_test (tc, test_data_out_of_order_grows_the_buffer);
  tcase_add_test (tc, test_unscaled_window_closes_and_opens_by_the_mss);
  tcase_add_test (tc, test_unscaled_zero_window_opens_by_the_mss);
  tcase_add_test (tc, test_unscaled_sender_keeps_the_synack_window);
  suite_add_tcase (s, tc);
  return s;
}
