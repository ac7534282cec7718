/* test-tcp-options.c: the TCP options as Linux 6.18 sends them (seen with
 * tcpdump in two network namespaces of this machine): the SYN says
 * "mss 1460,sackOK,TS val V ecr 0,nop,wscale 10", win 64240; the SYN,ACK
 * the same with the SYN's TSval echoed, win 65160; every later segment
 * "nop,nop,TS val ecr", its window field scaled (63 = 64512 bytes), and a
 * full segment carries 1448 bytes (MSS 1460 less 12 of timestamps).  The
 * keys timestamps and window_scaling mirror net.ipv4.tcp_timestamps and
 * net.ipv4.tcp_window_scaling; the rfc profile sends MSS only. */
#include "tl-test-util.h"

#include "tl-lesson.h"
#include "tl-pcap.h"

static const char transfer[] =
  "host client 10.0.0.1\n"
  "host server 10.0.0.2\n"
  "link delay 20ms\n"
  "%s"
  "0ms server listen 80\n"
  "10ms client connect server:80\n"
  "100ms client send 3000\n"
  "300ms client close\n";

static TlTrace *
simulate_with (const char *setup)
{
  g_autofree char *text = g_strdup_printf (transfer, setup);

  return tl_test_simulate_text (text);
}

static TlSegmentOptions
options_of (const TlTrace *trace,
            GPtrArray     *segs,
            guint          i)
{
  TlSegmentOptions o;

  ck_assert (tl_trace_segment_options (trace, tl_test_seg (segs, i), &o));
  return o;
}

/* The window field on the wire of segs[i]. */
static guint16
win_of (const TlTrace *trace,
        GPtrArray     *segs,
        guint          i)
{
  return tl_trace_segment (trace, tl_test_seg (segs, i)->u.seg.id)->win;
}

START_TEST (test_linux_syn_offers_every_option)
{
  g_autoptr (TlTrace) trace = simulate_with ("");
  g_autoptr (GPtrArray) c = tl_test_segments (trace, TL_CLIENT);
  g_autoptr (GPtrArray) s = tl_test_segments (trace, TL_SERVER);
  TlSegmentOptions syn = options_of (trace, c, 0);
  TlSegmentOptions synack = options_of (trace, s, 0);
  TlSegmentOptions ack = options_of (trace, c, 1);

  ck_assert_uint_eq (tl_test_seg (c, 0)->u.seg.flags, TL_FLAG_SYN);
  ck_assert_uint_eq (syn.mss, 1460);
  ck_assert_uint_eq (syn.bits, TL_OPT_SACK_PERM | TL_OPT_TS | TL_OPT_WSCALE);
  ck_assert_uint_eq (syn.wscale, 10);
  ck_assert_uint_eq (syn.tsecr, 0);
  ck_assert_uint_eq (win_of (trace, c, 0), 64240);

  ck_assert_uint_eq (synack.bits, TL_OPT_SACK_PERM | TL_OPT_TS | TL_OPT_WSCALE);
  ck_assert_uint_eq (synack.mss, 1460);
  ck_assert_uint_eq (synack.tsecr, syn.tsval);
  ck_assert_uint_eq (win_of (trace, s, 0), 65160);

  /* the handshake's ACK: timestamps only, 40 ms of the client's clock
   * later, the window scaled */
  ck_assert_uint_eq (ack.bits, TL_OPT_TS);
  ck_assert_uint_eq (ack.mss, 0);
  ck_assert_uint_eq (ack.tsval, syn.tsval + 40);
  ck_assert_uint_eq (ack.tsecr, synack.tsval);
  ck_assert_uint_eq (ack.win_shift, 10);
  ck_assert_uint_eq (win_of (trace, c, 1), 63);
  ck_assert_uint_eq (tl_trace_segment_window (trace, tl_test_seg (c, 1)), 63 * 1024);
}
END_TEST

/* 3000 bytes: 1448 + 1448 + 104, each with timestamps. */
START_TEST (test_linux_full_segment_carries_1448)
{
  g_autoptr (TlTrace) trace = simulate_with ("");
  g_autoptr (GPtrArray) c = tl_test_segments (trace, TL_CLIENT);

  ck_assert_uint_eq (tl_test_seg (c, 2)->u.seg.len, 1448);
  ck_assert_uint_eq (tl_test_seg (c, 3)->u.seg.len, 1448);
  ck_assert_uint_eq (tl_test_seg (c, 4)->u.seg.len, 104);
  for (guint i = 1; i < c->len; i++)
    ck_assert_uint_eq (options_of (trace, c, i).bits, TL_OPT_TS);
}
END_TEST

/* RFC 7323 section 4.3: the ACK of two segments received together echoes
 * the earlier one's TSval (Linux: ts_recent moves only for a segment at or
 * before the last ACK sent, rcv_wup). */
START_TEST (test_tsecr_echoes_the_earliest_unacknowledged)
{
  g_autoptr (TlTrace) trace = simulate_with ("");
  g_autoptr (GPtrArray) c = tl_test_segments (trace, TL_CLIENT);
  g_autoptr (GPtrArray) s = tl_test_segments (trace, TL_SERVER);
  TlSegmentOptions first = options_of (trace, c, 2);

  for (guint i = 1; i < s->len; i++)
    {
      const TlRecord *r = tl_test_seg (s, i);

      if (tl_trace_segment (trace, r->u.seg.id)->ack > tl_test_seg (c, 2)->u.seg.seq + 1)
        {
          ck_assert_uint_eq (options_of (trace, s, i).tsecr, first.tsval);
          return;
        }
    }
  ck_abort_msg ("no ACK of the data");
}
END_TEST

START_TEST (test_rfc_profile_sends_mss_only)
{
  g_autoptr (TlTrace) trace = simulate_with ("set all profile rfc\n");
  g_autoptr (GPtrArray) c = tl_test_segments (trace, TL_CLIENT);
  g_autoptr (GPtrArray) s = tl_test_segments (trace, TL_SERVER);

  ck_assert_uint_eq (options_of (trace, c, 0).bits, 0);
  ck_assert_uint_eq (options_of (trace, c, 0).mss, 1460);
  ck_assert_uint_eq (options_of (trace, s, 0).bits, 0);
  ck_assert_uint_eq (win_of (trace, c, 0), 65535);
  ck_assert_uint_eq (tl_test_seg (c, 2)->u.seg.len, 1460);
  ck_assert_uint_eq (options_of (trace, c, 2).win_shift, 0);
}
END_TEST

/* An option counts only when both SYNs carry it (RFC 7323 section 1.3):
 * the server without timestamps leaves them off both ends after its
 * SYN,ACK, and full segments carry 1460; without window scaling, the
 * fields are the windows themselves: the handshake's ACK keeps the SYN's
 * 64240 (the kernel, `tcplab-cli real --out` with either host's
 * window_scaling off: win=64240). */
START_TEST (test_options_need_both_syns)
{
  g_autoptr (TlTrace) trace = simulate_with ("set server timestamps off window_scaling off\n");
  g_autoptr (GPtrArray) c = tl_test_segments (trace, TL_CLIENT);
  g_autoptr (GPtrArray) s = tl_test_segments (trace, TL_SERVER);

  ck_assert_uint_eq (options_of (trace, c, 0).bits, TL_OPT_SACK_PERM | TL_OPT_TS | TL_OPT_WSCALE);
  ck_assert_uint_eq (options_of (trace, s, 0).bits, TL_OPT_SACK_PERM);
  ck_assert_uint_eq (options_of (trace, c, 1).bits, 0);
  ck_assert_uint_eq (options_of (trace, c, 1).win_shift, 0);
  ck_assert_uint_eq (win_of (trace, c, 1), 64240);
  ck_assert_uint_eq (tl_test_seg (c, 2)->u.seg.len, 1460);
}
END_TEST

/* SO_RCVBUF (the key window) makes Linux announce the shift its buffer
 * needs: 0 for 65535 (checked with setsockopt on this kernel). */
START_TEST (test_set_window_announces_its_own_shift)
{
  g_autoptr (TlTrace) trace = simulate_with ("set client window 65535\n");
  g_autoptr (GPtrArray) c = tl_test_segments (trace, TL_CLIENT);
  g_autoptr (GPtrArray) s = tl_test_segments (trace, TL_SERVER);

  ck_assert_uint_eq (options_of (trace, c, 0).wscale, 0);
  ck_assert_uint_eq (options_of (trace, c, 0).bits & TL_OPT_WSCALE, TL_OPT_WSCALE);
  ck_assert_uint_eq (options_of (trace, s, 0).wscale, 10);
  ck_assert_uint_eq (options_of (trace, c, 1).win_shift, 0);
  ck_assert_uint_eq (options_of (trace, s, 1).win_shift, 10);
}
END_TEST

/* The text trace shows them as tcpdump names them, the JSON as fields. */
START_TEST (test_writers_show_the_options)
{
  g_autoptr (TlTrace) trace = simulate_with ("");
  g_autoptr (GString) json = g_string_new (NULL);
  g_autofree char *text = tl_test_trace_text (trace);

  ck_assert_ptr_nonnull (strstr (text, "SYN  seq=0 win=64240 len=0 mss=1460 sackOK ts="));
  ck_assert_ptr_nonnull (strstr (text, "/0 wscale=10  delivered"));
  ck_assert_ptr_nonnull (strstr (text, "ACK  seq=1 ack=1 win=64512 len=0 ts="));
  tl_trace_write_json (trace, json);
  ck_assert_ptr_nonnull (strstr (json->str, "\"win\":63,\"window\":64512,"));
  ck_assert_ptr_nonnull (strstr (json->str, "\"options\":{\"sack_perm\":true,\"tsval\":"));
  ck_assert_ptr_nonnull (strstr (json->str, ",\"tsecr\":0,\"wscale\":10,\"sack\":[],\"win_shift\":0}"));
}
END_TEST

/* SACK blocks beside timestamps: the data is lost, the FIN arrives; the
 * duplicate ACK reports the FIN's sequence number (Linux, lessons/
 * lost-data-then-fin.lesson). */
START_TEST (test_sack_block_is_in_the_trace)
{
  g_autoptr (TlScenario) sc = tl_test_scenario ();
  g_autoptr (TlTrace) trace = NULL;
  g_autoptr (GPtrArray) s = NULL;
  gboolean seen = FALSE;

  tl_test_open (sc);
  tl_test_conn (sc, TL_MS (200), TL_STMT_SEND, TL_CLIENT, 0, 100);
  tl_test_conn (sc, TL_MS (200), TL_STMT_CLOSE, TL_CLIENT, 0, 0);
  tl_test_drop (sc, TL_MS (150), TL_CLIENT, TL_FLAG_PSH | TL_FLAG_ACK, 1);
  trace = tl_simulate (sc);
  s = tl_test_segments (trace, TL_SERVER);
  for (guint i = 0; i < s->len; i++)
    {
      TlSegmentOptions o = options_of (trace, s, i);

      if (o.n_sack > 0)
        {
          ck_assert_uint_eq (o.n_sack, 1);
          ck_assert_uint_eq (o.bits, TL_OPT_TS);
          ck_assert_uint_eq (o.sack[0].end - o.sack[0].start, 1);
          ck_assert_uint_eq (o.sack[0].start, tl_trace_segment (trace, tl_test_seg (s, i)->u.seg.id)->ack + 100);
          seen = TRUE;
        }
    }
  ck_assert (seen);
}
END_TEST

/* A SYN cookie keeps the peer's window scale and SACK-permitted in its
 * TSval's low 6 bits (Linux cookie_init_timestamp), so the connection the
 * final ACK makes still scales and SACKs. */
START_TEST (test_cookie_keeps_options_in_its_tsval)
{
  g_autoptr (TlTrace) trace = simulate_with ("set server syncookies always\n");
  g_autoptr (GPtrArray) c = tl_test_segments (trace, TL_CLIENT);
  g_autoptr (GPtrArray) s = tl_test_segments (trace, TL_SERVER);
  TlSegmentOptions synack = options_of (trace, s, 0);
  const TlTraceConn *conn;

  ck_assert_uint_eq (tl_test_seg (s, 0)->conn, TL_NO_CONN);
  ck_assert_uint_eq (synack.bits, TL_OPT_SACK_PERM | TL_OPT_TS | TL_OPT_WSCALE);
  ck_assert_uint_eq (synack.tsecr, options_of (trace, c, 0).tsval);
  /* the low bits: the client's shift 10 and SACK (0x10) */
  conn = tl_trace_conn (trace, tl_test_seg (s, 1)->conn);
  ck_assert_uint_eq ((synack.tsval - conn->ts_off) & 0x3f, 0x10 | 10);
  ck_assert_uint_eq (conn->opt_agreed, TL_OPT_SACK_PERM | TL_OPT_TS | TL_OPT_WSCALE);
  ck_assert_uint_eq (options_of (trace, s, 1).win_shift, 10);
  ck_assert_uint_eq (tl_test_state (trace, TL_SERVER, 1, TL_MS (200)), TL_STATE_ESTABLISHED);
}
END_TEST

/* Linux's receive window grows by two full segments for each one that
 * arrives (tcp_grow_window), from the last window announced (64512, the
 * field 63: the first full segment's truesize sets the clamp and
 * tcp_set_window_clamp lifts rcv_ssthresh to it) up to the free space (79:
 * 128 KiB less the segment's 2304 bytes of truesize, at 160/256); the
 * kernel, for seven 1448-byte writes 20 ms apart, said 63 (the handshake's
 * ACK), 66, 69, 72, 75, 78, 79, 79.  With the key window set it does not grow. */
START_TEST (test_linux_window_grows)
{
  static const guint16 want[] = { 63, 66, 69, 72, 75, 78, 79, 79 };

  for (guint set = 0; set < 2; set++)
    {
      g_autoptr (GString) text = g_string_new ("host client 10.0.0.1\nhost server 10.0.0.2\n"
                                               "link delay 50ms\n");
      g_autoptr (GError) error = NULL;
      g_autoptr (TlScenario) sc = NULL;
      g_autoptr (TlTrace) trace = NULL;
      g_autoptr (GPtrArray) c = NULL;
      guint n = 0;

      if (set)
        g_string_append (text, "set client window 65535\n");
      g_string_append (text, "0ms server listen 80\n100ms client connect server:80\n");
      for (guint i = 0; i < 7; i++)
        g_string_append_printf (text, "%ums server send 1448\n", 500 + 20 * i);
      sc = tl_lesson_parse (text->str, -1, "test.lesson", NULL, &error);
      ck_assert_msg (sc != NULL, "%s", error != NULL ? error->message : "");
      trace = tl_simulate (sc);
      c = tl_test_segments (trace, TL_CLIENT);
      for (guint i = 0; i < c->len; i++)
        if (tl_test_seg (c, i)->u.seg.flags == TL_FLAG_ACK)
          {
            ck_assert_uint_lt (n, G_N_ELEMENTS (want));
            if (set)
              ck_assert_uint_ge (win_of (trace, c, i), 64000);   /* no scale: the bytes */
            else
              ck_assert_uint_eq (win_of (trace, c, i), want[n]);
            n++;
          }
      ck_assert_uint_eq (n, G_N_ELEMENTS (want));
    }
}
END_TEST

/* A copy of a segment made while it crosses the link (`duplicate`, here
 * 30 ms after it was sent, and a copy that `lose` then takes) carries the
 * bytes of the original: its TSval is the time the original was sent, in
 * the options, the text and JSON writers and the pcap file, whose two
 * packets are the same bytes. */
START_TEST (test_copy_carries_the_original_tsval)
{
  g_autoptr (TlTrace) trace = tl_test_simulate_pair (
    "", "500ms client send 100\n530ms duplicate client->server\n"
    "1000ms client send 100\n1030ms duplicate client->server\n1040ms lose client->server\n");
  g_autofree char *text = tl_test_trace_text (trace);
  g_autoptr (GString) json = g_string_new (NULL);
  guint copies = 0;

  tl_trace_write_json (trace, json);
  for (guint i = 0; i < tl_trace_n_records (trace); i++)
    {
      const TlRecord *copy = tl_trace_record (trace, i);
      TlSegmentOptions o, oc;

      if (copy->kind != TL_REC_SEGMENT || (copy->u.seg.fate != TL_FATE_DUPLICATE
                                           && copy->u.seg.fate != TL_FATE_LOST_SCRIPTED))
        continue;
      for (guint j = 0; j < i; j++)
        {
          const TlRecord *orig = tl_trace_record (trace, j);
          g_autoptr (GByteArray) a = g_byte_array_new ();
          g_autoptr (GByteArray) b = g_byte_array_new ();
          g_autofree char *ts = NULL;
          g_autofree char *ts_json = NULL;

          if (orig->kind != TL_REC_SEGMENT || orig->u.seg.id != copy->u.seg.id)
            continue;
          ck_assert_int_eq (copy->time_us - orig->time_us, TL_MS (30));
          ck_assert (tl_trace_segment_options (trace, orig, &o));
          ck_assert (tl_trace_segment_options (trace, copy, &oc));
          ck_assert_uint_eq (o.bits, TL_OPT_TS);
          ck_assert_uint_eq (oc.tsval, o.tsval);
          ck_assert_uint_eq (oc.tsecr, o.tsecr);
          ts = g_strdup_printf (" ts=%u/%u ", o.tsval, o.tsecr);
          ck_assert_ptr_nonnull (strstr (text, ts));
          ck_assert_ptr_nonnull (strstr (strstr (text, ts) + 1, ts));
          ts_json = g_strdup_printf ("\"tsval\":%u,", o.tsval);
          ck_assert_ptr_nonnull (strstr (json->str, ts_json));
          ck_assert_ptr_nonnull (strstr (strstr (json->str, ts_json) + 1, ts_json));
          ck_assert_uint_gt (tl_pcap_packet_append (trace, orig, a), 0);
          ck_assert_uint_gt (tl_pcap_packet_append (trace, copy, b), 0);
          ck_assert_mem_eq (a->data, b->data, MIN (a->len, b->len));
          ck_assert_uint_eq (a->len, b->len);
          copies++;
          break;
        }
    }
  /* the first copy, and the second (lost with its original) */
  ck_assert_uint_eq (copies, 2);
}
END_TEST

/* D-SACK (RFC 2883; Linux tcp_send_dupack and tcp_data_queue with
 * net.ipv4.tcp_dsack 1): the server's ACK to a copy of data it has reports
 * the copy in a SACK block below its ack field, once; with a retransmission
 * that covers data it has and data it lacks, the part it had.  Not without
 * SACK. */
static char *
server_sacks (const TlTrace *trace)
{
  g_autoptr (GPtrArray) s = tl_test_segments (trace, TL_SERVER);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < s->len; i++)
    {
      TlSegmentOptions o = options_of (trace, s, i);
      guint32 irs = tl_trace_conn (trace, tl_test_seg (s, i)->conn)->irs;

      g_string_append_printf (out, "%s%u", out->len > 0 ? " " : "",
                              tl_trace_segment (trace, tl_test_seg (s, i)->u.seg.id)->ack - irs);
      for (guint b = 0; b < o.n_sack; b++)
        g_string_append_printf (out, "[%u-%u]", o.sack[b].start - irs, o.sack[b].end - irs);
    }
  return g_string_free (out, FALSE);
}

START_TEST (test_dsack_reports_what_came_twice)
{
  for (guint sack = 0; sack < 2; sack++)
    {
      g_autofree char *copy = g_strdup_printf (
        "host client 10.0.0.1\nhost server 10.0.0.2\nlink delay 50ms\n%s"
        "0ms server listen 80\n100ms client connect server:80\n"
        "500ms client send 100\n530ms duplicate client->server\n900ms client send 100\n",
        sack ? "" : "set all sack off\n");
      g_autofree char *partial = g_strdup_printf (
        "host client 10.0.0.1\nhost server 10.0.0.2\nlink delay 50ms\nset client nodelay on\n%s"
        "0ms server listen 80\n100ms client connect server:80\n"
        "450ms drop next server->client ACK\n500ms client send 100\n"
        "510ms drop next client->server PSH,ACK count 2\n510ms client send 100\n",
        sack ? "" : "set all sack off\n");
      g_autoptr (TlTrace) t1 = tl_test_simulate_text (copy);
      g_autoptr (TlTrace) t2 = tl_test_simulate_text (partial);
      g_autofree char *s1 = server_sacks (t1);
      g_autofree char *s2 = server_sacks (t2);

      /* the SYN,ACK, the ACK of the data, the ACK of its copy, the ACK of
       * the next data */
      ck_assert_str_eq (s1, sack ? "1 101 101[1-101] 201" : "1 101 101 201");
      /* the ACK of the first 100 (lost), the second 100 lost, and the tail
       * loss probe's copy of it (the last segment) too: the RTO sends both
       * again in one segment */
      ck_assert_str_eq (s2, sack ? "1 101 201[1-101]" : "1 101 201");
    }
}
END_TEST

/* Linux tcp_data_queue_ofo: a copy of data held out of order is reported
 * in a D-SACK block (tcp_dsack_set), before the block of what is held;
 * before, the duplicate ACK carried the held block only. */
START_TEST (test_dsack_reports_a_copy_held_out_of_order)
{
  g_autoptr (TlTrace) t = tl_test_simulate_text (
    "host client 10.0.0.1\nhost server 10.0.0.2\nlink delay 50ms\nset client nodelay on\n"
    "0ms server listen 80\n100ms client connect server:80\n"
    "500ms drop next client->server PSH,ACK\n500ms client send 100\n"
    "505ms duplicate next client->server PSH,ACK\n510ms client send 100\n");
  g_autofree char *s = server_sacks (t);

  /* the SYN,ACK; the second 100 held: its SACK block; its copy: the D-SACK
   * block first; the first 100 again (the tail loss probe): all of it */
  ck_assert_str_eq (s, "1 1[101-201] 1[101-201][101-201] 201");
}
END_TEST

/* Linux tcp_check_req: PAWS with the request's ts_recent before the test
 * for a retransmitted SYN: an old SYN (held on the link, its TSval older
 * than the SYN that made the request) gets a bare ACK, not the SYN,ACK
 * again (tests/sweep/paws-syn-rcvd.lesson, seen on the kernel). */
START_TEST (test_request_rejects_an_old_syn_by_paws)
{
  g_autoptr (TlTrace) t = tl_test_simulate_text (
    "host client 10.0.0.1\nhost server 10.0.0.2\nlink delay 50ms\n"
    "0ms server listen 80\n90ms hold next client->server SYN 1500ms\n"
    "90ms drop next server->client SYN,ACK\n100ms client connect server:80\n2600ms end\n");
  g_autoptr (GPtrArray) s = tl_test_segments (t, TL_SERVER);
  guint acks = 0;
  guint synacks = 0;

  for (guint i = 0; i < s->len; i++)
    {
      const TlRecord *r = tl_test_seg (s, i);

      if (r->time_us >= TL_MS (1750))
        break;
      if (r->u.seg.flags == TL_FLAG_ACK)
        {
          ck_assert_int_eq (r->time_us, TL_MS (1650));
          acks++;
        }
      else if (r->u.seg.flags == (TL_FLAG_SYN | TL_FLAG_ACK))
        synacks++;
    }
  ck_assert_uint_eq (acks, 1);
  ck_assert_uint_eq (synacks, 1);
  ck_assert_int_eq (tl_test_state (t, TL_SERVER, 1, TL_MS (2500)), TL_STATE_ESTABLISHED);
}
END_TEST

Suite *
tcp_options_suite (void)
{
  Suite *s = suite_create ("tcp-options");
  TCase *tc = tcase_create ("options");

  tcase_add_test (tc, test_linux_syn_offers_every_option);
  tcase_add_test (tc, test_linux_full_segment_carries_1448);
  tcase_add_test (tc, test_tsecr_echoes_the_earliest_unacknowledged);
  tcase_add_test (tc, test_rfc_profile_sends_mss_only);
  tcase_add_test (tc, test_options_need_both_syns);
  tcase_add_test (tc, test_set_window_announces_its_own_shift);
  tcase_add_test (tc, test_writers_show_the_options);
  tcase_add_test (tc, test_sack_block_is_in_the_trace);
  tcase_add_test (tc, test_cookie_keeps_options_in_its_tsval);
  tcase_add_test (tc, test_linux_window_grows);
  tcase_add_test (tc, test_copy_carries_the_original_tsval);
  tcase_add_test (tc, test_dsack_reports_what_came_twice);
  tcase_add_test (tc, test_dsack_reports_a_copy_held_out_of_order);
  tcase_add_test (tc, test_request_rejects_an_old_syn_by_paws);
  suite_add_tcase (s, tc);
  return s;
}
