/* test-tcp-linux.c: what the real kernel (Linux 6.18, run-lesson on this
 * machine) does where the RFC leaves room or Linux goes its own way, each
 * case seen on the lab first (the lessons named beside each test hold on
 * the real kernel). */
#include "tl-test-util.h"

#include "tl-check.h"
#include "tl-lesson.h"

static void
set_delay (TlScenario *sc,
           gint64      delay_us)
{
  for (guint d = 0; d < 2; d++)
    sc->link[d].delay_us = delay_us;
}

static guint
count_flags (GPtrArray *segs,
             guint8     flags)
{
  guint n = 0;

  for (guint i = 0; i < segs->len; i++)
    if (tl_test_seg (segs, i)->u.seg.flags == flags)
      n++;
  return n;
}

/* Linux tcp_reset: a RST in CLOSE_WAIT is EPIPE, not ECONNRESET.  The
 * client closes; the server, in CLOSE_WAIT, writes; the client's orphan
 * answers data with RST (lessons/close-wait-write.lesson). */
START_TEST (test_rst_in_close_wait_is_epipe)
{
  g_autoptr (TlScenario) sc = tl_test_scenario ();
  g_autoptr (TlTrace) trace = NULL;

  tl_test_open (sc);
  tl_test_conn (sc, TL_MS (200), TL_STMT_CLOSE, TL_CLIENT, 0, 0);
  tl_test_conn (sc, TL_MS (400), TL_STMT_SEND, TL_SERVER, 0, 100);
  trace = tl_simulate (sc);

  ck_assert_int_eq (tl_test_state (trace, TL_SERVER, 1, TL_MS (300)), TL_STATE_CLOSE_WAIT);
  ck_assert_int_eq (tl_test_state (trace, TL_SERVER, 1, TL_MS (500)), TL_STATE_CLOSED);
  ck_assert_int_eq (tl_test_error (trace, TL_SERVER, 1), TL_ERR_EPIPE);
}
END_TEST

/* The RFC profile keeps RFC 9293's "connection reset". */
START_TEST (test_rst_in_close_wait_rfc_is_reset)
{
  g_autoptr (TlScenario) sc = tl_test_scenario ();
  g_autoptr (TlTrace) trace = NULL;

  tl_test_rfc_profile (sc, TL_SERVER);
  tl_test_open (sc);
  tl_test_conn (sc, TL_MS (200), TL_STMT_CLOSE, TL_CLIENT, 0, 0);
  tl_test_conn (sc, TL_MS (400), TL_STMT_SEND, TL_SERVER, 0, 100);
  trace = tl_simulate (sc);

  ck_assert_int_eq (tl_test_error (trace, TL_SERVER, 1), TL_ERR_ECONNRESET);
}
END_TEST

/* A rebooted client reconnects from its old port to a server still
 * ESTABLISHED there: challenge ACK, RST from SYN_SENT (no ACK bit, its seq
 * the ACK's ack: the old connection's rcv_nxt), and the SYN again TCP_TIMEOUT_MIN (8 ms) later, not after
 * the RTO; the old connection is reset and the new one opens
 * (lessons/reboot-reconnect.lesson). */
START_TEST (test_syn_sent_rst_rearms_syn_timer)
{
  /* the rebooted client's ISN is not the old one's (set isn at 350 ms) */
  g_autoptr (TlTrace) trace = NULL;
  g_autoptr (GPtrArray) c = NULL;
  g_autoptr (GPtrArray) s = NULL;
  const char *text =
    "host client 10.0.0.1\n"
    "host server 10.0.0.2\n"
    "link delay 20ms\n"
    "set client isn 1000\n"
    "set server isn 5000\n"
    "0ms server listen 80\n"
    "10ms client connect server:80 from 5000\n"
    "200ms client crash\n"
    "300ms client reboot\n"
    "350ms set client isn 9000\n"
    "400ms client connect server:80 from 5000\n";

  trace = tl_test_simulate_text (text);
  c = tl_test_segments (trace, TL_CLIENT);
  s = tl_test_segments (trace, TL_SERVER);

  /* client: SYN, ACK (first connection); SYN, RST, SYN, ACK */
  ck_assert_uint_eq (c->len, 6);
  ck_assert_uint_eq (tl_test_seg (c, 2)->u.seg.flags, TL_FLAG_SYN);
  ck_assert_uint_eq (tl_test_seg (c, 2)->u.seg.seq, 9000);
  ck_assert_int_eq (tl_test_seg (c, 2)->time_us, TL_MS (400));
  /* the challenge ACK: the old connection's seq and ack */
  tl_test_assert_seg (s, 1, TL_SERVER, TL_FLAG_ACK, 1, 1);
  ck_assert_int_eq (tl_test_seg (s, 1)->time_us, TL_MS (420));
  ck_assert_uint_eq (tl_test_seg (c, 3)->u.seg.flags, TL_FLAG_RST);
  ck_assert_uint_eq (tl_test_seg (c, 3)->u.seg.seq, TL_CLIENT_ISN + 1);
  ck_assert_int_eq (tl_test_seg (c, 3)->time_us, TL_MS (440));
  ck_assert_uint_eq (tl_test_seg (c, 4)->u.seg.flags, TL_FLAG_SYN);
  /* TCP_TIMEOUT_MIN (2 jiffies) from jiffy 110, and one: the timer wheel */
  ck_assert_int_eq (tl_test_seg (c, 4)->time_us, TL_MS (452));

  ck_assert_int_eq (tl_test_error (trace, TL_SERVER, 1), TL_ERR_ECONNRESET);
  ck_assert_int_eq (tl_test_state_time (trace, TL_SERVER, 1, TL_STATE_CLOSED), TL_MS (460));
  ck_assert_int_eq (tl_test_state_time (trace, TL_CLIENT, 2, TL_STATE_ESTABLISHED), TL_MS (492));
  ck_assert_int_eq (tl_test_state (trace, TL_SERVER, 2, TL_MS (600)), TL_STATE_ESTABLISHED);
}
END_TEST

/* An orphan whose FIN is never acknowledged: tcp_orphan_retries 0 means 8,
 * so ten FINs in all (the first, the tail loss probe, eight backed off) and
 * the connection gone 153.6 s of timeouts after the first at an RTT of 100
 * ms, 156.7 s as the timer wheel runs them (the RTO of 75 jiffies, the
 * first FIN at jiffy 250: the others at jiffies 328, 408, 560, 864, 1472,
 * 2688, 5120, 10240, 19968, gone at 39424: 157.696 s).  The lab (lessons/orphan-fin-retries.lesson
 * under tcplab-cli real, the tracepoints timer:timer_start and
 * tcp:tcp_retransmit_skb): gone 161.4 s after the first, its RTO 76 jiffies
 * (an RTT of 100.2 ms), every timeout at the bucket this model gives. */
START_TEST (test_orphan_gives_up_after_orphan_retries)
{
  g_autoptr (TlScenario) sc = tl_test_scenario ();
  g_autoptr (TlTrace) trace = NULL;
  g_autoptr (GPtrArray) c = NULL;

  set_delay (sc, TL_MS (50));
  tl_test_open (sc);
  tl_test_link_down (sc, TL_S (1), TL_SERVER, TRUE);
  tl_test_conn (sc, TL_S (1), TL_STMT_CLOSE, TL_CLIENT, 0, 0);
  trace = tl_simulate (sc);
  c = tl_test_segments (trace, TL_CLIENT);

  ck_assert_uint_eq (count_flags (c, TL_FLAG_FIN | TL_FLAG_ACK), 10);
  ck_assert_int_eq (tl_test_state_time (trace, TL_CLIENT, 1, TL_STATE_CLOSED), TL_MS (157696));
}
END_TEST

/* Not an orphan (shutdown(), the application still holds it): tcp_retries2. */
START_TEST (test_shutdown_keeps_retries2)
{
  g_autoptr (TlScenario) sc = tl_test_scenario ();
  g_autoptr (TlTrace) trace = NULL;

  set_delay (sc, TL_MS (50));
  tl_test_open (sc);
  tl_test_link_down (sc, TL_S (1), TL_SERVER, TRUE);
  tl_test_conn (sc, TL_S (1), TL_STMT_SHUTDOWN, TL_CLIENT, 0, 0);
  trace = tl_simulate (sc);

  ck_assert_int_eq (tl_test_state (trace, TL_CLIENT, 1, TL_S (200)), TL_STATE_FIN_WAIT_1);
  /* 924.6 s of model time */
  ck_assert_int_ge (tl_test_state_time (trace, TL_CLIENT, 1, TL_STATE_CLOSED), TL_S (900));
}
END_TEST

/* The server closed first and holds TIME_WAIT; the client comes back from
 * the same port.  Linux tcp_timewait_state_process: a SYN above the old
 * rcv_nxt makes TIME_WAIT give way, and the new connection's ISN is the old
 * snd_nxt + 65537; no RST anywhere (lessons/time-wait-reconnect.lesson). */
static const char time_wait_reconnect[] =
  "host client 10.0.0.1\n"
  "host server 10.0.0.2\n"
  "link delay 20ms\n"
  "set client isn 1000\n"
  "set server isn 5000\n"
  "0ms server listen 80\n"
  "10ms client connect server:80 from 5000\n"
  "200ms server close\n"
  "300ms client close\n"
  "450ms set client isn %u\n"
  "500ms client connect server:80 from 5000\n";

START_TEST (test_time_wait_gives_way_to_a_higher_syn)
{
  g_autofree char *text = g_strdup_printf (time_wait_reconnect, 9000);
  g_autoptr (TlTrace) trace = tl_test_simulate_text (text);
  g_autoptr (GPtrArray) s = tl_test_segments (trace, TL_SERVER);
  g_autoptr (GPtrArray) all = tl_test_segments (trace, -1);
  const TlRecord *synack = tl_test_seg (s, s->len - 1);

  ck_assert_int_eq (tl_test_state (trace, TL_SERVER, 1, TL_MS (450)), TL_STATE_TIME_WAIT);
  ck_assert_int_eq (tl_test_state_time (trace, TL_SERVER, 1, TL_STATE_CLOSED), TL_MS (520));
  ck_assert_uint_eq (synack->u.seg.flags, TL_FLAG_SYN | TL_FLAG_ACK);
  ck_assert_uint_eq (synack->u.seg.seq, TL_SERVER_ISN + 2 + 65537);
  ck_assert_uint_eq (tl_trace_segment (trace, synack->u.seg.id)->ack, 9001);
  ck_assert_int_eq (tl_test_state (trace, TL_CLIENT, 2, TL_MS (600)), TL_STATE_ESTABLISHED);
  ck_assert_int_eq (tl_test_state (trace, TL_SERVER, 2, TL_MS (600)), TL_STATE_ESTABLISHED);
  for (guint i = 0; i < all->len; i++)
    ck_assert (!(tl_test_seg (all, i)->u.seg.flags & TL_FLAG_RST));
}
END_TEST

/* Without timestamps, a SYN at or below the old rcv_nxt (here the old ISN
 * again) is answered with the TIME_WAIT's ACK; the client in SYN_SENT resets
 * it (its seq is exactly the TIME_WAIT's rcv_nxt, which ends TIME_WAIT:
 * tcp_rfc1337 0) and sends its SYN again TCP_TIMEOUT_MIN later (2 jiffies
 * and one, the timer wheel: 12 ms), which the listener takes. */
START_TEST (test_time_wait_acks_a_lower_syn)
{
  g_autofree char *with = g_strdup_printf (time_wait_reconnect, 1000);
  g_autoptr (GString) text = g_string_new (with);
  g_autoptr (TlTrace) trace = NULL;

  g_string_replace (text, "link delay 20ms\n", "link delay 20ms\nset all timestamps off\n", 1);
  trace = tl_test_simulate_text (text->str);
  g_autoptr (GPtrArray) s = tl_test_segments (trace, TL_SERVER);
  g_autoptr (GPtrArray) c = tl_test_segments (trace, TL_CLIENT);

  tl_test_assert_seg (s, s->len - 2, TL_SERVER, TL_FLAG_ACK, 2, 2);
  ck_assert_int_eq (tl_test_seg (s, s->len - 2)->time_us, TL_MS (520));
  ck_assert_uint_eq (tl_test_seg (c, c->len - 3)->u.seg.flags, TL_FLAG_RST);
  ck_assert_int_eq (tl_test_state_time (trace, TL_SERVER, 1, TL_STATE_CLOSED), TL_MS (560));
  ck_assert_uint_eq (tl_test_seg (c, c->len - 2)->u.seg.flags, TL_FLAG_SYN);
  ck_assert_int_eq (tl_test_seg (c, c->len - 2)->time_us, TL_MS (552));
  ck_assert_int_eq (tl_test_state (trace, TL_SERVER, 2, TL_MS (700)), TL_STATE_ESTABLISHED);
}
END_TEST

/* With timestamps (Linux's default) the same lower SYN carries a TSval
 * above the one TIME_WAIT last saw, and that is enough: TIME_WAIT gives way
 * at once, ISN old snd_nxt + 65537, no ACK, no RST (tcp_timewait_state_process:
 * after(seq, rcv_nxt) || tw_ts_recent < rcv_tsval). */
START_TEST (test_time_wait_gives_way_to_a_higher_tsval)
{
  g_autofree char *text = g_strdup_printf (time_wait_reconnect, 1000);
  g_autoptr (TlTrace) trace = tl_test_simulate_text (text);
  g_autoptr (GPtrArray) s = tl_test_segments (trace, TL_SERVER);
  g_autoptr (GPtrArray) all = tl_test_segments (trace, -1);
  const TlRecord *synack = tl_test_seg (s, s->len - 1);

  ck_assert_int_eq (tl_test_state_time (trace, TL_SERVER, 1, TL_STATE_CLOSED), TL_MS (520));
  ck_assert_uint_eq (synack->u.seg.flags, TL_FLAG_SYN | TL_FLAG_ACK);
  ck_assert_uint_eq (synack->u.seg.seq, TL_SERVER_ISN + 2 + 65537);
  ck_assert_uint_eq (tl_trace_segment (trace, synack->u.seg.id)->ack, 1001);
  ck_assert_int_eq (tl_test_state (trace, TL_CLIENT, 2, TL_MS (600)), TL_STATE_ESTABLISHED);
  for (guint i = 0; i < all->len; i++)
    ck_assert (!(tl_test_seg (all, i)->u.seg.flags & TL_FLAG_RST));
}
END_TEST

/* The last app record of host with a call of kind call, or NULL. */
static const TlRecord *
last_call (const TlTrace *trace,
           guint          host,
           TlCall         call)
{
  const TlRecord *last = NULL;

  for (guint i = 0; i < tl_trace_n_records (trace); i++)
    {
      const TlRecord *r = tl_trace_record (trace, i);

      if (r->kind == TL_REC_APP && r->host == host && r->u.app.call == call)
        last = r;
    }
  return last;
}

/* Every ephemeral port (32768 to 60999: 28232) holds a connection to the
 * server: the next connect() fails with EADDRNOTAVAIL and makes nothing
 * (the lab: connect() returns EADDRNOTAVAIL; tests/sweep/port-exhaustion.lesson). */
START_TEST (test_connect_without_a_free_port_fails)
{
  g_autoptr (GString) text = g_string_new ("host client 10.0.0.1\nhost server 10.0.0.2\n"
                                           "link delay 10ms\n0ms server listen 80\n");
  g_autoptr (TlTrace) trace = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TlScenario) sc = NULL;
  g_autoptr (GArray) results = NULL;
  const TlRecord *r;

  for (guint i = 0; i < 28232; i++)
    g_string_append (text, "+0.1ms client connect server:80\n");
  g_string_append (text, "5s client connect server:80\n"
                         "5s expect client error EADDRNOTAVAIL\n"
                         "5s expect client#28232 ESTABLISHED\n"
                         "5s expect client sockets ESTABLISHED = 28232\n");
  sc = tl_lesson_parse (text->str, text->len, "test.lesson", NULL, &error);
  ck_assert_msg (sc != NULL, "%s", error != NULL ? error->message : "");
  trace = tl_simulate (sc);
  r = last_call (trace, TL_CLIENT, TL_CALL_CONNECT);
  ck_assert_int_eq (r->time_us, TL_S (5));
  ck_assert_int_eq (r->u.app.error, TL_ERR_EADDRNOTAVAIL);
  ck_assert_uint_eq (r->conn, TL_NO_CONN);
  results = tl_check_expectations (sc, trace);
  ck_assert_uint_eq (results->len, 3);
  for (guint i = 0; i < results->len; i++)
    ck_assert_msg (g_array_index (results, TlExpectResult, i).ok, "%s, was %s",
                   g_array_index (results, TlExpectResult, i).expected,
                   g_array_index (results, TlExpectResult, i).actual);
}
END_TEST

/* connect() from a port the application names: a 4-tuple in use is
 * EADDRNOTAVAIL; the host's own TIME_WAIT on it is taken over (Linux
 * tcp_twsk_unique with timestamps), the ISN its snd_nxt + 65537. */
START_TEST (test_connect_from_a_bound_port)
{
  g_autoptr (TlTrace) trace = tl_test_simulate_text (
    "host client 10.0.0.1\nhost server 10.0.0.2\nlink delay 20ms\n"
    "set client isn 1000\n"
    "0ms server listen 80\n"
    "10ms client connect server:80 from 5000\n"
    "100ms client connect server:80 from 5000\n"
    "200ms client#1 close\n"
    "300ms server close\n"
    "400ms client connect server:80 from 5000\n");
  g_autoptr (GPtrArray) c = tl_test_segments (trace, TL_CLIENT);
  const TlRecord *syn = tl_test_seg (c, c->len - 2);

  ck_assert_int_eq (tl_test_state (trace, TL_CLIENT, 1, TL_MS (390)), TL_STATE_TIME_WAIT);
  ck_assert_int_eq (tl_test_state_time (trace, TL_CLIENT, 1, TL_STATE_CLOSED), TL_MS (400));
  ck_assert_uint_eq (syn->u.seg.flags, TL_FLAG_SYN);
  ck_assert_uint_eq (syn->u.seg.seq, TL_CLIENT_ISN + 2 + 65537);
  ck_assert_int_eq (tl_test_state (trace, TL_CLIENT, 2, TL_MS (500)), TL_STATE_ESTABLISHED);
  for (guint i = 0; i < tl_trace_n_records (trace); i++)
    {
      const TlRecord *r = tl_trace_record (trace, i);

      if (r->kind == TL_REC_APP && r->u.app.call == TL_CALL_CONNECT && r->time_us == TL_MS (100))
        {
          ck_assert_int_eq (r->u.app.error, TL_ERR_EADDRNOTAVAIL);
          ck_assert_uint_eq (r->conn, TL_NO_CONN);
        }
    }
}
END_TEST

/* connect() from a port a listener of the host holds: bind() fails with
 * EADDRINUSE, no connection, no SYN (seen on the lab,
 * tests/sweep/bound-port.lesson); once the listener is gone it goes. */
START_TEST (test_connect_from_a_listening_port)
{
  g_autoptr (TlTrace) trace = tl_test_simulate_pair (
    "", "100ms client listen 5000\n200ms client connect server:80 from 5000\n"
    "300ms client unlisten 5000\n400ms client connect server:80 from 5000\n");
  g_autoptr (GPtrArray) c = tl_test_segments (trace, TL_CLIENT);
  guint failed = 0;

  for (guint i = 0; i < tl_trace_n_records (trace); i++)
    {
      const TlRecord *r = tl_trace_record (trace, i);

      if (r->kind == TL_REC_APP && r->u.app.call == TL_CALL_CONNECT && r->time_us == TL_MS (200))
        {
          ck_assert_int_eq (r->u.app.error, TL_ERR_EADDRINUSE);
          ck_assert_uint_eq (r->conn, TL_NO_CONN);
          failed++;
        }
    }
  ck_assert_uint_eq (failed, 1);
  /* the SYN of 100 ms (the usual start's), then the one of 400 ms */
  ck_assert_uint_eq (tl_test_seg (c, 0)->time_us, TL_MS (100));
  ck_assert_uint_eq (tl_test_seg (c, 2)->time_us, TL_MS (400));
  ck_assert_uint_eq (tl_test_seg (c, 2)->u.seg.flags, TL_FLAG_SYN);
  ck_assert_int_eq (tl_test_state (trace, TL_CLIENT, 2, TL_MS (600)), TL_STATE_ESTABLISHED);
}
END_TEST

/* Lost data then the FIN (lessons/lost-data-then-fin.lesson at 20 ms): with
 * SACK the data goes again 58 ms after it was first sent (RACK); with the
 * key sack off on either host (net.ipv4.tcp_sack 0) the duplicate ACK says
 * nothing of the FIN, and the data waits for the retransmission timeout
 * (Linux sends no tail loss probe without SACK). */
START_TEST (test_sack_key)
{
  for (guint off = 0; off < 2; off++)
    {
      g_autofree char *text = g_strdup_printf (
        "host client 10.0.0.1\nhost server 10.0.0.2\nlink delay 20ms\n"
        "set client isn 1000\nset server isn 5000 sack %s\n"
        "0ms server listen 80\n10ms client connect server:80\n"
        "200ms drop next client->server PSH,ACK\n200ms client send 100\n200ms client close\n",
        off ? "off" : "on");
      g_autoptr (TlTrace) trace = tl_test_simulate_text (text);
      g_autoptr (GPtrArray) c = tl_test_segments (trace, TL_CLIENT);
      const TlRecord *again = tl_test_seg (c, 4);

      tl_test_assert_seg (c, 4, TL_CLIENT, again->u.seg.flags, 1, 1);
      ck_assert (again->u.seg.len == 100);
      if (off)
        ck_assert_int_ge (again->time_us, TL_MS (200) + TL_MS (200));
      else
        ck_assert_int_eq (again->time_us, TL_MS (264));
    }
}
END_TEST

/* PAWS (RFC 7323 section 5; Linux tcp_validate_incoming): the client's ACKs
 * of four segments, the first three held back on the link, arrive after
 * the fourth with older TSvals; each is dropped and answered with a
 * duplicate ACK at most once per 500 ms (net.ipv4.tcp_invalid_ratelimit):
 * at 1020 ms and 1700 ms, not at 1410 ms.  Without timestamps they are old
 * ACKs, taken silently (tests/sweep/paws-old-ack.lesson, on the kernel). */
static const char paws_old_acks[] =
  "500ms hold next client->server ACK 1100ms\n"
  "500ms hold next client->server ACK 800ms\n"
  "500ms hold next client->server ACK 400ms\n"
  "500ms server send 1448\n510ms server send 1448\n"
  "520ms server send 1448\n530ms server send 1448\n"
  "1800ms end\n";

START_TEST (test_paws_drops_old_acks_rate_limited)
{
  for (guint ts = 0; ts < 2; ts++)
    {
      g_autoptr (TlTrace) trace = tl_test_simulate_pair (ts ? "" : "set all timestamps off\n",
                                                         paws_old_acks);
      g_autoptr (GPtrArray) s = tl_test_segments (trace, TL_SERVER);
      g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));

      for (guint i = 0; i < s->len; i++)
        if (tl_test_seg (s, i)->u.seg.flags == TL_FLAG_ACK && tl_test_seg (s, i)->u.seg.len == 0)
          g_array_append_val (times, tl_test_seg (s, i)->time_us);
      if (!ts)
        {
          ck_assert_uint_eq (times->len, 0);
          continue;
        }
      ck_assert_uint_eq (times->len, 2);
      ck_assert_int_eq (g_array_index (times, gint64, 0), TL_MS (1020));
      ck_assert_int_eq (g_array_index (times, gint64, 1), TL_MS (1700));
      ck_assert_int_eq (tl_test_state (trace, TL_SERVER, 1, TL_MS (1800)), TL_STATE_ESTABLISHED);
    }
}
END_TEST

/* The key invalid_ratelimit (net.ipv4.tcp_invalid_ratelimit): 0 answers
 * every held ACK, 1 s only the first; the host's setting at the time of
 * the segment counts, as Linux reads the sysctl at each one
 * (tests/sweep/rate-limits.lesson: 0 on the kernel). */
START_TEST (test_invalid_ratelimit_key)
{
  static const struct { const char *set; guint n; } cases[] = {
    { "set server invalid_ratelimit 0ms\n", 3 },
    { "set server invalid_ratelimit 1s\n", 1 },
  };

  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_autoptr (TlTrace) trace = tl_test_simulate_pair (cases[k].set, paws_old_acks);
      g_autoptr (GPtrArray) s = tl_test_segments (trace, TL_SERVER);
      guint n = 0;

      for (guint i = 0; i < s->len; i++)
        if (tl_test_seg (s, i)->u.seg.flags == TL_FLAG_ACK && tl_test_seg (s, i)->u.seg.len == 0)
          n++;
      ck_assert_msg (n == cases[k].n, "%s: %u ACKs", cases[k].set, n);
    }
}
END_TEST

/* The key challenge_ack_limit (net.ipv4.tcp_challenge_ack_limit), for the
 * whole host: a rebooted client's two SYNs on two ESTABLISHED 4-tuples in
 * the same second; with the limit 1 the second gets no challenge ACK until
 * its SYN comes again, 1 s later (1.028 s as the timer wheel runs the RTO;
 * tests/sweep/rate-limits.lesson). */
START_TEST (test_challenge_ack_limit_key)
{
  for (guint limit = 0; limit < 2; limit++)
    {
      g_autofree char *text = g_strdup_printf (
        "host client 10.0.0.1\nhost server 10.0.0.2\nlink delay 50ms\n%s"
        "0ms server listen 80\n100ms client connect server:80 from 5000\n"
        "100ms client connect server:80 from 5001\n500ms client crash\n600ms client reboot\n"
        "700ms client connect server:80 from 5000\n700ms client connect server:80 from 5001\n"
        "2500ms end\n", limit ? "set server challenge_ack_limit 1\n" : "");
      g_autoptr (TlTrace) trace = tl_test_simulate_text (text);
      g_autoptr (GPtrArray) s = tl_test_segments (trace, TL_SERVER);
      g_autoptr (GString) acks = g_string_new (NULL);

      for (guint i = 0; i < s->len; i++)
        if (tl_test_seg (s, i)->u.seg.flags == TL_FLAG_ACK)
          g_string_append_printf (acks, " %" G_GINT64_FORMAT, tl_test_seg (s, i)->time_us / TL_USEC_PER_MSEC);
      ck_assert_str_eq (acks->str, limit ? " 750 1778" : " 750 750");
      ck_assert_int_eq (tl_test_state (trace, TL_CLIENT, 4, TL_MS (1200)),
                        limit ? TL_STATE_SYN_SENT : TL_STATE_ESTABLISHED);
    }
}
END_TEST

/* An orphaned FIN_WAIT_2 is Linux's timewait mini socket in substate
 * FIN_WAIT2: a SYN inside its window gets a RST (TCP_TW_RST: RST,ACK, ack
 * = the SYN's seq + 1) and ends it, where a full socket would send a
 * challenge ACK; the client in SYN_SENT takes the RST: ECONNREFUSED.  Seen
 * on the kernel with a SYN made at rcv_nxt + 100 (tests/sweep/README.md). */
START_TEST (test_orphan_fin_wait_2_resets_an_in_window_syn)
{
  g_autoptr (TlTrace) trace = tl_test_simulate_text (
    "host client 10.0.0.1\nhost server 10.0.0.2\nlink delay 20ms\n"
    "set client isn 1000\n"
    "0ms server listen 80\n"
    "10ms client connect server:80 from 5000\n"
    "200ms server close\n"
    "300ms client crash\n"
    "400ms client reboot\n"
    "450ms set client isn 1100\n"
    "500ms client connect server:80 from 5000\n");
  g_autoptr (GPtrArray) s = tl_test_segments (trace, TL_SERVER);
  const TlRecord *rst = tl_test_seg (s, s->len - 1);

  ck_assert_int_eq (tl_test_state (trace, TL_SERVER, 1, TL_MS (450)), TL_STATE_FIN_WAIT_2);
  ck_assert_uint_eq (rst->u.seg.flags, TL_FLAG_RST | TL_FLAG_ACK);
  ck_assert_int_eq (rst->time_us, TL_MS (520));
  ck_assert_uint_eq (rst->u.seg.seq, 0);
  ck_assert_uint_eq (tl_trace_segment (trace, rst->u.seg.id)->ack, 1101);
  ck_assert_int_eq (tl_test_state_time (trace, TL_SERVER, 1, TL_STATE_CLOSED), TL_MS (520));
  ck_assert_int_eq (tl_test_state_time (trace, TL_CLIENT, 2, TL_STATE_CLOSED), TL_MS (540));
  ck_assert_int_eq (tl_test_error (trace, TL_CLIENT, 2), TL_ERR_ECONNREFUSED);
}
END_TEST

/* Linux hands a TIME_WAIT to a timewait mini socket (tcp_time_wait) and
 * the application's own socket is CLOSE: after shutdown(), the peer's FIN
 * and the final ACK, an abort (SO_LINGER 0) or a close() with data unread
 * sends nothing and the TIME_WAIT stays its 60 s; the RFC profile's ABORT
 * deletes the TCB (RFC 9293 section 3.10.5).  Seen on the lab
 * (tests/sweep/time-wait-app.lesson). */
static const char time_wait_app_text[] =
  "host client 10.0.0.1\nhost server 10.0.0.2\nlink delay 20ms\n"
  "set client autoread off\n"
  "0ms server listen 80\n"
  "10ms client connect server:80\n"
  "100ms server send 100\n"
  "200ms client shutdown\n"
  "300ms server close\n"
  "500ms client %s\n";

START_TEST (test_time_wait_outlives_the_application)
{
  const char *calls[] = { "abort", "close" };

  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    {
      g_autofree char *text = g_strdup_printf (time_wait_app_text, calls[i]);
      g_autoptr (TlTrace) trace = tl_test_simulate_text (text);
      g_autoptr (GPtrArray) c = tl_test_segments (trace, TL_CLIENT);

      ck_assert_int_eq (tl_test_state (trace, TL_CLIENT, 1, TL_MS (400)), TL_STATE_TIME_WAIT);
      ck_assert_int_eq (tl_test_state (trace, TL_CLIENT, 1, TL_S (50)), TL_STATE_TIME_WAIT);
      ck_assert_uint_eq (count_flags (c, TL_FLAG_RST | TL_FLAG_ACK), 0);
      ck_assert_uint_eq (count_flags (c, TL_FLAG_RST), 0);
    }
}
END_TEST

/* The last error client#ordinal's application saw at t. */
static TlError
client_error_at (const TlTrace *trace,
                 guint          ordinal,
                 gint64         t)
{
  return tl_trace_conn_error_at (trace, tl_trace_resolve_conn (trace, TL_CLIENT, ordinal, t), t);
}

/* shutdown() on a socket whose connection is over fails with ENOTCONN
 * (Linux inet_shutdown on a CLOSE socket): in TIME_WAIT (the mini socket
 * has the 4-tuple), after a RST, and after connect() was refused; once
 * close() let the socket go, nothing is reported.  Seen on the lab
 * (tests/sweep/time-wait-app.lesson). */
START_TEST (test_shutdown_of_a_connection_that_is_over_is_enotconn)
{
  g_autofree char *text = g_strdup_printf (time_wait_app_text, "shutdown");
  g_autoptr (GString) more = g_string_new (text);
  g_autoptr (TlTrace) trace = NULL;
  g_autoptr (TlTrace) rfc = NULL;

  g_string_append (more,
                   "600ms client connect server:80\n"
                   "800ms server#2 abort\n"
                   "900ms client#2 shutdown\n"
                   "1000ms client connect server:81\n"
                   "1100ms client#3 shutdown\n"
                   "1200ms client#3 close\n"
                   "1300ms client#3 shutdown\n");
  trace = tl_test_simulate_text (more->str);
  ck_assert_int_eq (tl_test_state (trace, TL_CLIENT, 1, TL_MS (500)), TL_STATE_TIME_WAIT);
  ck_assert_int_eq (client_error_at (trace, 1, TL_MS (550)), TL_ERR_ENOTCONN);
  ck_assert_int_eq (client_error_at (trace, 2, TL_MS (850)), TL_ERR_ECONNRESET);
  ck_assert_int_eq (tl_test_error (trace, TL_CLIENT, 2), TL_ERR_ENOTCONN);
  ck_assert_int_eq (client_error_at (trace, 3, TL_MS (1050)), TL_ERR_ECONNREFUSED);
  ck_assert_int_eq (client_error_at (trace, 3, TL_MS (1150)), TL_ERR_ENOTCONN);
  /* the last shutdown, after close(), finds no socket: no record with an error at 1300 ms */
  for (guint i = 0; i < tl_trace_n_records (trace); i++)
    {
      const TlRecord *r = tl_trace_record (trace, i);

      if (r->kind == TL_REC_APP && r->time_us == TL_MS (1300))
        ck_assert_int_eq (r->u.app.error, TL_ERR_NONE);
    }

  /* RFC 9293 section 3.10.4: CLOSE in TIME_WAIT is "connection closing",
   * not an error the socket API names: the rfc profile reports none */
  g_string_replace (more, "link delay 20ms\n", "link delay 20ms\nset all profile rfc\n", 1);
  rfc = tl_test_simulate_text (more->str);
  ck_assert_int_eq (client_error_at (rfc, 1, TL_MS (550)), TL_ERR_NONE);
}
END_TEST

START_TEST (test_time_wait_abort_rfc_deletes)
{
  g_autofree char *abort_text = g_strdup_printf (time_wait_app_text, "abort");
  g_autoptr (GString) text = g_string_new (abort_text);
  g_autoptr (TlTrace) trace = NULL;

  g_string_replace (text, "link delay 20ms\n", "link delay 20ms\nset all profile rfc\n", 1);
  trace = tl_test_simulate_text (text->str);
  ck_assert_int_eq (tl_test_state (trace, TL_CLIENT, 1, TL_MS (400)), TL_STATE_TIME_WAIT);
  ck_assert_int_eq (tl_test_state (trace, TL_CLIENT, 1, TL_MS (600)), TL_STATE_CLOSED);
}
END_TEST

/* Linux's keepalive timer runs on after shutdown(): an idle FIN_WAIT_2
 * whose application still holds the socket is probed, and given up with
 * RST,ACK and ETIMEDOUT when the peer is gone; an orphan's is not probed.
 * Seen on the lab (tests/sweep/keepalive-states.lesson). */
START_TEST (test_keepalive_probes_fin_wait_2_after_shutdown)
{
  const char *calls[] = { "shutdown", "close" };

  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    {
      g_autofree char *text = g_strdup_printf (
        "host client 10.0.0.1\nhost server 10.0.0.2\nlink delay 50ms\n"
        "set all keepalive on keepalive_idle 1s keepalive_interval 1s keepalive_probes 2\n"
        "set client fin_timeout 10s\n"
        "0ms server listen 80\n"
        "100ms client connect server:80\n"
        "500ms client %s\n"
        "800ms server crash\n", calls[i]);
      g_autoptr (TlTrace) trace = tl_test_simulate_text (text);
      g_autoptr (GPtrArray) c = tl_test_segments (trace, TL_CLIENT);
      gboolean held = i == 0;

      ck_assert_int_eq (tl_test_state (trace, TL_CLIENT, 1, TL_MS (700)), TL_STATE_FIN_WAIT_2);
      /* the handshake's ACK, then the probes at 1.632 s and 2.656 s (1 s
       * from 0.6 s, as the timer wheel runs it: jiffy 150 + 250 rounded up
       * past a multiple of 8, 408; then 408 + 250, at 664) */
      ck_assert_uint_eq (count_flags (c, TL_FLAG_ACK), held ? 3 : 1);
      ck_assert_uint_eq (count_flags (c, TL_FLAG_RST | TL_FLAG_ACK), held ? 1 : 0);
      if (held)
        {
          ck_assert_int_eq (tl_test_seg (c, 3)->time_us, TL_MS (1632));
          ck_assert_int_eq (tl_test_state_time (trace, TL_CLIENT, 1, TL_STATE_CLOSED), TL_MS (3680));
          ck_assert_int_eq (tl_test_error (trace, TL_CLIENT, 1), TL_ERR_ETIMEDOUT);
        }
      else
        {
          ck_assert_int_eq (tl_test_state_time (trace, TL_CLIENT, 1, TL_STATE_CLOSED), TL_MS (10752));
        }
    }
}
END_TEST

/* A simultaneous open, shutdown() in SYN_RCVD: Linux's tcp_shutdown
 * leaves SYN_RECV alone and the FIN goes when the peer's SYN,ACK completes
 * the handshake, before the ACK; close() sends it at once.  The peer, put
 * in quick-ack mode by that SYN,ACK's SYN (a retransmission to Linux),
 * ACKs the FIN after TCP_ATO_MIN (40 ms), not at the next tick.  Seen on
 * the lab (tests/sweep/syn-rcvd-close.lesson). */
START_TEST (test_shutdown_in_syn_rcvd_waits_for_the_handshake)
{
  g_autoptr (TlTrace) trace = tl_test_simulate_text (
    "host client 10.0.0.1\nhost server 10.0.0.2\nlink delay 50ms\n"
    "100ms client connect server:5000 from 4000\n"
    "100ms server connect client:4000 from 5000\n"
    "170ms client shutdown\n");
  g_autoptr (GPtrArray) c = tl_test_segments (trace, TL_CLIENT);
  g_autoptr (GPtrArray) s = tl_test_segments (trace, TL_SERVER);

  ck_assert_int_eq (tl_test_state (trace, TL_CLIENT, 1, TL_MS (190)), TL_STATE_SYN_RCVD);
  ck_assert_int_eq (tl_test_state_time (trace, TL_CLIENT, 1, TL_STATE_FIN_WAIT_1), TL_MS (200));
  /* SYN, SYN,ACK, then FIN,ACK before the ACK of the peer's SYN,ACK */
  ck_assert_uint_eq (c->len, 4);
  ck_assert_uint_eq (tl_test_seg (c, 2)->u.seg.flags, TL_FLAG_FIN | TL_FLAG_ACK);
  ck_assert_int_eq (tl_test_seg (c, 2)->time_us, TL_MS (200));
  ck_assert_uint_eq (tl_test_seg (c, 3)->u.seg.flags, TL_FLAG_ACK);
  /* the server's ACK of the FIN (its last segment) 40 ms after the FIN
   * arrived, and 2 more to the next tick: the timer wheel */
  ck_assert_uint_eq (tl_test_seg (s, s->len - 1)->u.seg.flags, TL_FLAG_ACK);
  ck_assert_int_eq (tl_test_seg (s, s->len - 1)->time_us, TL_MS (292));
  ck_assert_int_eq (tl_test_state_time (trace, TL_CLIENT, 1, TL_STATE_FIN_WAIT_2), TL_MS (342));
}
END_TEST

/* The same simultaneous open, close() in SYN_RCVD at 166 ms: the FIN
 * reaches the server at 216 ms (jiffy 54, the delayed ACK due at 64), the
 * client's ACK of the server's SYN,ACK at 250 (jiffy 62).  Linux's
 * tcp_rcv_state_process runs tcp_ack_snd_check for that bare ACK in
 * CLOSE_WAIT, and tcp_send_delayed_ack finds the timer due within a quarter
 * of the ATO (2 jiffies): the ACK of the FIN goes at 250 ms, not at the
 * timer's 260.  Seen on the lab, 6 runs of 6 (the ACK 33.6 to 34.2 ms
 * after the FIN; tests/sweep/syn-rcvd-close.lesson). */
START_TEST (test_bare_ack_sends_a_due_delayed_ack)
{
  g_autoptr (TlTrace) trace = tl_test_simulate_text (
    "host client 10.0.0.1\nhost server 10.0.0.2\nlink delay 50ms\n"
    "100ms client connect server:5000 from 4000\n"
    "100ms server connect client:4000 from 5000\n"
    "166ms client close\n");
  g_autoptr (GPtrArray) s = tl_test_segments (trace, TL_SERVER);

  ck_assert_uint_eq (tl_test_seg (s, s->len - 1)->u.seg.flags, TL_FLAG_ACK);
  ck_assert_int_eq (tl_test_seg (s, s->len - 1)->time_us, TL_MS (250));
  ck_assert_int_eq (tl_test_state_time (trace, TL_CLIENT, 1, TL_STATE_FIN_WAIT_2), TL_MS (300));
}
END_TEST

/* tcp_write_timeout gives an orphan its 8 retries only while its RTO is
 * below rto_max ("alive"): with rto_max 1 s the FIN goes at 0.5, 0.8 (the
 * tail loss probe), 1.1 and 1.7 s of timeouts and the orphan is gone at the
 * next timeout, 2.7 s, without a RST; as the timer wheel runs them (level 1,
 * 8 jiffies) at 0.5, 0.832, 1.152, 1.76 and 2.784 s; seen on the lab at
 * 0.50, 0.84, 1.15, 1.79 and 2.82 s (tests/sweep/orphan-rto-max.lesson). */
START_TEST (test_orphan_at_rto_max_gives_up)
{
  g_autoptr (TlTrace) trace = tl_test_simulate_text (
    "host client 10.0.0.1\nhost server 10.0.0.2\nlink delay 50ms\n"
    "set client rto_max 1s\n"
    "0ms server listen 80\n"
    "100ms client connect server:80\n"
    "500ms link server->client down\n"
    "500ms client close\n"
    "10s end\n");
  g_autoptr (GPtrArray) c = tl_test_segments (trace, TL_CLIENT);

  ck_assert_uint_eq (count_flags (c, TL_FLAG_FIN | TL_FLAG_ACK), 4);
  ck_assert_int_eq (tl_test_seg (c, c->len - 1)->time_us, TL_MS (1760));
  ck_assert_uint_eq (count_flags (c, TL_FLAG_RST | TL_FLAG_ACK), 0);
  ck_assert_int_eq (tl_test_state_time (trace, TL_CLIENT, 1, TL_STATE_CLOSED), TL_MS (2784));
}
END_TEST

/* port_range (net.ipv4.ip_local_port_range): with two ports, two
 * connections to server:80 hold them and a third connect() fails with
 * EADDRNOTAVAIL and sends nothing, also once they wait in TIME_WAIT;
 * another destination can use them again; a timed `set` that widens the
 * range lets the next one through (tests/sweep/port-range.lesson). */
START_TEST (test_port_range_runs_out)
{
  g_autoptr (TlTrace) trace = tl_test_simulate_text (
    "host client 10.0.0.1\nhost server 10.0.0.2\nlink delay 20ms\n"
    "set client port_range 40000-40001\n"
    "0ms server listen 80\n"
    "0ms server listen 81\n"
    "10ms client connect server:80\n"
    "20ms client connect server:80\n"
    "200ms client connect server:80\n"
    "300ms client connect server:81\n"
    "400ms client#1 close\n"
    "400ms client#2 close\n"
    "500ms server#1 close\n"
    "500ms server#2 close\n"
    "700ms client connect server:80\n"
    "800ms set client port_range 40000-40002\n"
    "900ms client connect server:80\n"
    "1200ms end\n");
  g_autoptr (GPtrArray) c = tl_test_segments (trace, TL_CLIENT);
  guint syns = count_flags (c, TL_FLAG_SYN);
  guint16 port3 = tl_trace_conn (trace, tl_trace_resolve_conn (trace, TL_CLIENT, 3, TL_MS (1000)))->local_port;
  guint16 port4 = tl_trace_conn (trace, tl_trace_resolve_conn (trace, TL_CLIENT, 4, TL_MS (1000)))->local_port;

  /* 80 twice, 81, then 80 from the new port */
  ck_assert_uint_eq (syns, 4);
  ck_assert_uint_ge (port3, 40000);
  ck_assert_uint_le (port3, 40001);
  ck_assert_uint_eq (port4, 40002);
  ck_assert_int_eq (tl_test_state (trace, TL_CLIENT, 1, TL_MS (750)), TL_STATE_TIME_WAIT);
  ck_assert_int_eq (tl_test_state (trace, TL_CLIENT, 4, TL_MS (1100)), TL_STATE_ESTABLISHED);
  /* two listeners, four connections on each side */
  ck_assert_uint_eq (tl_trace_n_conns (trace), 2 + 4 + 4);
}
END_TEST

/* Linux tcp_send_loss_probe sends the last segment of the flight again,
 * not the first: three segments of one write, their ACKs lost, the probe
 * is the 104 bytes at 2896 (seen on the lab, tests/sweep/tlp-last.lesson). */
START_TEST (test_tail_loss_probe_sends_the_last_segment)
{
  g_autoptr (TlTrace) trace = tl_test_simulate_pair (
    "", "500ms drop next server->client ACK count 3\n500ms client send 3000\n1200ms end\n");
  g_autoptr (GPtrArray) all = tl_test_segments (trace, TL_CLIENT);
  g_autoptr (GPtrArray) c = tl_test_data_segments (trace, TL_CLIENT);
  guint32 iss = tl_test_seg (all, 0)->u.seg.seq;
  const TlRecord *probe = tl_test_seg (c, 3);

  ck_assert_uint_eq (c->len, 4);
  ck_assert_uint_eq (probe->u.seg.seq - iss, 2897);
  ck_assert_uint_eq (probe->u.seg.len, 104);
  ck_assert_int_gt (probe->time_us, TL_MS (600));
}
END_TEST

/* Linux tcp_probe_timer: an orphan's zero-window probes stop once the
 * backed-off RTO reaches rto_max, however the peer answers: gone without a
 * RST; the application's own socket is probed on (RFC 1122 section
 * 4.2.2.17).  Seen on the lab (tests/sweep/orphan-zero-window.lesson). */
START_TEST (test_orphan_zero_window_probes_give_up)
{
  const char *setup = "set server autoread off\nset client rto_max 2s\n";
  const char *text = "500ms client send 200000\n4000ms client %s\n20s end\n";
  g_autofree char *closed = g_strdup_printf (text, "close");
  g_autofree char *held = g_strdup_printf (text, "send 1");
  g_autoptr (TlTrace) orphan = tl_test_simulate_pair (setup, closed);
  g_autoptr (TlTrace) app = tl_test_simulate_pair (setup, held);
  g_autoptr (GPtrArray) c = tl_test_segments (orphan, TL_CLIENT);
  gint64 gone = tl_test_state_time (orphan, TL_CLIENT, 1, TL_STATE_CLOSED);

  ck_assert_int_gt (gone, TL_MS (4000));
  ck_assert_int_lt (gone, TL_MS (9000));
  ck_assert_uint_eq (count_flags (c, TL_FLAG_RST), 0);
  ck_assert_uint_eq (count_flags (c, TL_FLAG_RST | TL_FLAG_ACK), 0);
  ck_assert_int_eq (tl_test_state (app, TL_CLIENT, 1, TL_S (20)), TL_STATE_ESTABLISHED);
}
END_TEST

/* A connection's own RST carries its receive window under linux
 * (tcp_send_active_reset through tcp_transmit_skb: the kernel's RST,ACK
 * after an abort said win=63, tests/sweep/old-rst.lesson); a reply to a
 * segment that finds no connection says 0 (tcp_v4_send_reset), and so
 * does every RST under rfc. */
START_TEST (test_abort_rst_carries_the_window)
{
  for (guint rfc = 0; rfc < 2; rfc++)
    {
      g_autoptr (TlTrace) trace = tl_test_simulate_pair (
        rfc ? "set all profile rfc\n" : "",
        "500ms client abort\n600ms client send 100\n700ms client connect server:80\n"
        "800ms server crash\n900ms server reboot\n1000ms client#2 send 100\n1500ms end\n");
      g_autoptr (GPtrArray) c = tl_test_segments (trace, TL_CLIENT);
      g_autoptr (GPtrArray) s = tl_test_segments (trace, TL_SERVER);
      guint seen = 0;

      for (guint i = 0; i < c->len; i++)
        if (tl_test_seg (c, i)->u.seg.flags == (TL_FLAG_RST | TL_FLAG_ACK))
          {
            ck_assert_uint_eq (tl_trace_segment_window (trace, tl_test_seg (c, i)),
                               rfc ? 0 : 63 * 1024);
            seen++;
          }
      for (guint i = 0; i < s->len; i++)
        if (tl_test_seg (s, i)->u.seg.flags & TL_FLAG_RST)
          {
            ck_assert_uint_eq (tl_trace_segment_window (trace, tl_test_seg (s, i)), 0);
            seen++;
          }
      ck_assert_uint_eq (seen, 2);
    }
}
END_TEST

/* When the client sent its data segments, in ms (the first NMAX). */
static guint
data_times_ms (const char *setup,
               const char *timed,
               gint64     *ms,
               guint       nmax)
{
  g_autoptr (TlTrace) trace = tl_test_simulate_pair (setup, timed);
  g_autoptr (GPtrArray) c = tl_test_data_segments (trace, TL_CLIENT);
  guint n = MIN (c->len, nmax);

  for (guint i = 0; i < n; i++)
    ms[i] = tl_test_seg (c, i)->time_us / (TL_USEC_PER_MSEC / 10);   /* tenths of ms */
  return n;
}

static const char two_writes_lost_twice[] =
  "500ms drop next client->server PSH,ACK count 2\n500ms client send 100\n"
  "1500ms drop next client->server PSH,ACK count 2\n1500ms client send 100\n3000ms end\n";

/* Linux tcp_ack_update_rtt: the ACK of a retransmission has no sample of
 * its own (Karn), but its TSecr gives one (100 ms), and the RTO computed
 * from it ends the backoff.  Each write's segment and its loss probe are
 * lost: the first goes again at 1152 ms (RTO 600 ms after it, the probe and
 * the timeout as the timer wheel runs them); the second write's probe comes
 * at 1824 ms and its timeout 320 ms later, at 2144 ms, as on the kernel
 * (tests/sweep/rtt-timestamps.lesson: 1833.9 and 2154.0 ms, 320.1 ms
 * apart).  Without timestamps, or before, Karn's rule kept the RTO at
 * 600 ms. */
START_TEST (test_timestamps_sample_a_retransmission)
{
  gint64 t[8];

  ck_assert_uint_eq (data_times_ms ("", two_writes_lost_twice, t, 8), 6);
  ck_assert_int_eq (t[2], 11520);
  ck_assert_int_eq (t[4], 18240);
  ck_assert_int_eq (t[5], 21440);
  ck_assert_uint_eq (data_times_ms ("set all timestamps off\n", two_writes_lost_twice, t, 8), 6);
  ck_assert_int_eq (t[4], 19200);
  ck_assert_int_eq (t[5], 25280);
}
END_TEST

/* Linux tcp_sequence keeps a copy of what was last acknowledged (it ends
 * at rcv_wup) and takes its TSval: the server's duplicate ACK of the
 * retransmitted 100 bytes echoes the retransmission's, and the client's
 * sample is 100 ms, not 715 (sweep/metrics.lesson on the kernel: srtt
 * 100.18 ms before that ACK, 100.22 after). */
START_TEST (test_duplicate_segment_updates_ts_recent)
{
  g_autoptr (TlTrace) trace = tl_test_simulate_pair (
    "", "500ms drop next server->client ACK\n500ms client send 100\n2000ms end\n");
  g_autoptr (GPtrArray) c = tl_test_data_segments (trace, TL_CLIENT);
  g_autoptr (GPtrArray) s = tl_test_segments (trace, TL_SERVER);
  TlSegmentOptions rexmit, dupack;

  ck_assert_uint_eq (c->len, 2);
  ck_assert (tl_trace_segment_options (trace, tl_test_seg (c, 1), &rexmit));
  ck_assert (tl_trace_segment_options (trace, tl_test_seg (s, s->len - 1), &dupack));
  ck_assert_int_gt (tl_test_seg (s, s->len - 1)->time_us, tl_test_seg (c, 1)->time_us);
  ck_assert_uint_eq (dupack.tsecr, rexmit.tsval);
}
END_TEST

/* The rfc profile keeps Karn's rule (RFC 6298 section 5): the
 * retransmission's ACK at 3600 ms leaves the RTO at 4 s, backed off twice,
 * timestamps or not. */
START_TEST (test_rfc_keeps_karn)
{
  const char *timed = "500ms drop next client->server PSH,ACK count 2\n500ms client send 100\n"
                      "5000ms drop next client->server PSH,ACK\n5000ms client send 100\n"
                      "12s end\n";
  gint64 t[8];

  ck_assert_uint_eq (data_times_ms ("set all profile rfc sack off\n", timed, t, 8), 5);
  ck_assert_int_eq (t[2], 35000);
  ck_assert_int_eq (t[4], 90000);
}
END_TEST

/* Linux tcp_rtt_estimator: the handshake over a 500 ms path (SRTT 500 ms,
 * mdev 1 s), then four writes over a 100 ms one.  Each sample below SRTT
 * by more than a quarter of mdev moves mdev by 1/32 of the excess only,
 * and rttvar keeps the largest mdev of each RTT window: SRTT 334.5 ms
 * (tcp:tcp_probe on the kernel: 334.7 ms), the fifth write's loss probe at
 * 2 SRTT (in whole jiffies of 4 ms, rounded up: 672 ms) + 200 ms, armed at
 * jiffy 625 for 218 jiffies and run by the timer wheel (level 1, 8 jiffies)
 * at jiffy 848, 3392.0 ms (kernel 3378.9, its wheel's phase another), its
 * RTO (1372.3 ms, in jiffies 344) later, run at jiffy 1200, 1408 ms after
 * the probe: 4800.0 ms (kernel 4786.9, 1408.0 ms after its probe), where
 * RFC 6298's RTTVAR, a quarter of each deviation, gave 1514.2 ms
 * (tests/sweep/rtt-estimator.lesson).  Before the RTO and the probe were
 * kept in jiffies, 3368.9 and 4741.3 ms; before the timer wheel, 3372.0 and
 * 4748.0 ms. */
START_TEST (test_linux_rtt_estimator)
{
  const char *timed = "700ms link delay 50ms\n1000ms client send 100\n1300ms client send 100\n"
                      "1600ms client send 100\n1900ms client send 100\n"
                      "2500ms drop next client->server PSH,ACK count 2\n2500ms client send 100\n"
                      "6000ms end\n";
  gint64 t[8];

  ck_assert_uint_eq (data_times_ms ("link delay 250ms\n", timed, t, 8), 7);
  ck_assert_int_eq (t[5], 33920);
  ck_assert_int_eq (t[6], 48000);
}
END_TEST

/* Linux samples the RTT on every ACK of new data (tcp_clean_rtx_queue):
 * sweep/spurious-rto.lesson's late ACKs (550 ms back) raise SRTT from
 * 100 ms, so the two segments sent at 1312 ms (the timeout at 1300 ms as
 * the timer wheel runs it) are not probed (at 1516 ms with one sample a
 * flight) but acknowledged, and the last three go at their ACK, 1700 ms, as
 * on the kernel (1308.6, 1700.8 ms). */
START_TEST (test_linux_samples_every_ack)
{
  const char *timed = "480ms link client->server delay 550ms\n500ms server send 50000\n2000ms end\n";
  g_autoptr (TlTrace) trace = tl_test_simulate_pair ("", timed);
  g_autoptr (GPtrArray) s = tl_test_data_segments (trace, TL_SERVER);

  ck_assert_uint_eq (s->len, 36);
  ck_assert_int_eq (tl_test_seg (s, 31)->time_us, TL_MS (1312));
  ck_assert_int_eq (tl_test_seg (s, 32)->time_us, TL_MS (1312));
  ck_assert_int_eq (tl_test_seg (s, 33)->time_us, TL_MS (1700));
  ck_assert_int_eq (tl_test_seg (s, 35)->time_us, TL_MS (1700));
}
END_TEST

Suite *
tcp_linux_suite (void)
{
  Suite *s = suite_create ("tcp-linux");
  TCase *tc = tcase_create ("linux");

  tcase_add_test (tc, test_rst_in_close_wait_is_epipe);
  tcase_add_test (tc, test_rst_in_close_wait_rfc_is_reset);
  tcase_add_test (tc, test_syn_sent_rst_rearms_syn_timer);
  tcase_add_test (tc, test_orphan_gives_up_after_orphan_retries);
  tcase_add_test (tc, test_shutdown_keeps_retries2);
  tcase_add_test (tc, test_time_wait_gives_way_to_a_higher_syn);
  tcase_add_test (tc, test_time_wait_acks_a_lower_syn);
  tcase_add_test (tc, test_time_wait_gives_way_to_a_higher_tsval);
  tcase_add_test (tc, test_connect_without_a_free_port_fails);
  tcase_add_test (tc, test_connect_from_a_bound_port);
  tcase_add_test (tc, test_connect_from_a_listening_port);
  tcase_add_test (tc, test_sack_key);
  tcase_add_test (tc, test_paws_drops_old_acks_rate_limited);
  tcase_add_test (tc, test_invalid_ratelimit_key);
  tcase_add_test (tc, test_challenge_ack_limit_key);
  tcase_add_test (tc, test_orphan_fin_wait_2_resets_an_in_window_syn);
  tcase_add_test (tc, test_time_wait_outlives_the_application);
  tcase_add_test (tc, test_time_wait_abort_rfc_deletes);
  tcase_add_test (tc, test_shutdown_of_a_connection_that_is_over_is_enotconn);
  tcase_add_test (tc, test_keepalive_probes_fin_wait_2_after_shutdown);
  tcase_add_test (tc, test_shutdown_in_syn_rcvd_waits_for_the_handshake);
  tcase_add_test (tc, test_bare_ack_sends_a_due_delayed_ack);
  tcase_add_test (tc, test_orphan_at_rto_max_gives_up);
  tcase_add_test (tc, test_port_range_runs_out);
  tcase_add_test (tc, test_tail_loss_probe_sends_the_last_segment);
  tcase_add_test (tc, test_orphan_zero_window_probes_give_up);
  tcase_add_test (tc, test_abort_rst_carries_the_window);
  tcase_add_test (tc, test_timestamps_sample_a_retransmission);
  tcase_add_test (tc, test_duplicate_segment_updates_ts_recent);
  tcase_add_test (tc, test_rfc_keeps_karn);
  tcase_add_test (tc, test_linux_rtt_estimator);
  tcase_add_test (tc, test_linux_samples_every_ack);
  suite_add_tcase (s, tc);
  return s;
}
