/* test-real.c: the real runner's pieces that need no root: namespace names
 * and the removal of a dead run's, the tracepoint's lines, the `set` keys
 * as Linux settings (and what is refused), and what the kernel's reports
 * (state changes, polls, segments) make as a trace. */
#include "tl-test-util.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tl-check.h"
#include "tl-lesson.h"
#include "tl-real-private.h"

#define CLIENT_ADDR 0x0a000001u
#define SERVER_ADDR 0x0a000002u

/* The lesson most of the logs below are of: the server listening on 80. */
#define LISTENING "host client 10.0.0.1\nhost server 10.0.0.2\n0ms server listen 80\n"

/* An empty log of a run that ended at end_us, told by the tracepoint
 * (traced) or by the programs' calls and the polls alone. */
static void
log_start (TlRealLog *log,
           gboolean   traced,
           gint64     end_us)
{
  tl_real_log_init (log);
  log->traced = traced;
  log->end_us = end_us;
}

START_TEST (test_namespace_names_carry_the_pid)
{
  g_autofree char *a = tl_real_ns_name (4242, 0);
  g_autofree char *link = tl_real_ns_name (4242, 2);

  ck_assert_str_eq (a, "tcplab-4242-a");
  ck_assert_str_eq (link, "tcplab-4242-link");
  ck_assert_int_eq (tl_real_ns_pid (a), 4242);
  ck_assert_int_eq (tl_real_ns_pid (link), 4242);
  ck_assert_int_eq (tl_real_ns_pid ("tcplab-4242-c"), -1);
  ck_assert_int_eq (tl_real_ns_pid ("tcplab--a"), -1);
  ck_assert_int_eq (tl_real_ns_pid ("other-4242-a"), -1);
  ck_assert_int_eq (tl_real_ns_pid ("tcplab-x-a"), -1);
}
END_TEST

/* A dead run's names go, a live one's (ours) and other names stay. */
START_TEST (test_stale_namespaces_of_dead_runs_removed)
{
  g_autofree char *dir = g_dir_make_tmp ("tl-real-XXXXXX", NULL);
  g_autofree char *mine = tl_real_ns_name (getpid (), 0);
  /* PIDs above pid_max never live (4194304 is the largest pid_max). */
  const char *names[] = { "tcplab-4194305-a", "tcplab-4194305-link", "ip-netns-of-someone" };
  g_autofree char *mine_path = g_build_filename (dir, mine, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *p = g_build_filename (dir, names[i], NULL);

      ck_assert (g_file_set_contents (p, "", 0, NULL));
    }
  ck_assert (g_file_set_contents (mine_path, "", 0, NULL));
  ck_assert_uint_eq (tl_real_ns_remove_stale (dir), 2);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *p = g_build_filename (dir, names[i], NULL);

      ck_assert (g_file_test (p, G_FILE_TEST_EXISTS) == (i == 2));
      g_unlink (p);
    }
  ck_assert (g_file_test (mine_path, G_FILE_TEST_EXISTS));
  g_unlink (mine_path);
  g_rmdir (dir);
}
END_TEST

START_TEST (test_trace_line_parsed)
{
  const char *line = "          <idle>-0       [001] ..s2. 10931.480717: inet_sock_set_state: "
                     "family=AF_INET protocol=IPPROTO_TCP sport=80 dport=51178 saddr=10.0.0.2 "
                     "daddr=10.0.0.1 saddrv6=::ffff:10.0.0.2 daddrv6=::ffff:10.0.0.1 "
                     "oldstate=TCP_LISTEN newstate=TCP_SYN_RECV";
  gint64 t;
  guint32 sa, da;
  guint16 sp, dp;
  guint64 sk;
  TlState from, to;

  ck_assert (tl_real_parse_trace_line (line, &t, &sk, &sa, &sp, &da, &dp, &from, &to));
  ck_assert_int_eq (t, G_GINT64_CONSTANT (10931480717));
  ck_assert_uint_eq (sa, SERVER_ADDR);
  ck_assert_uint_eq (da, CLIENT_ADDR);
  ck_assert_uint_eq (sp, 80);
  ck_assert_uint_eq (dp, 51178);
  ck_assert_int_eq (from, TL_STATE_LISTEN);
  ck_assert_int_eq (to, TL_STATE_SYN_RCVD);
  /* IPv6, another event, a cut line: not ours. */
  ck_assert (!tl_real_parse_trace_line ("x-1 [0] ..... 1.000001: inet_sock_set_state: family=AF_INET6 "
                                        "protocol=IPPROTO_TCP sport=1 dport=2", &t, &sk, &sa, &sp, &da,
                                        &dp, &from, &to));
  ck_assert (!tl_real_parse_trace_line ("x-1 [0] ..... 1.000001: sched_switch: prev=1", &t, &sk, &sa,
                                        &sp, &da, &dp, &from, &to));
  ck_assert (!tl_real_parse_trace_line ("x-1 [0] ..... 1.000001: inet_sock_set_state: family=AF_INET "
                                        "protocol=IPPROTO_TCP sport=80 dport=5 saddr=10.0.0.2",
                                        &t, &sk, &sa, &sp, &da, &dp, &from, &to));
  /* The fields option: the socket's address, numbers as the kernel holds them. */
  ck_assert (tl_real_parse_trace_line ("python3-1 [000] ..... 12804.728681: inet_sock_set_state: "
                                       "skaddr=0xffff888105cc8940 (-131387247261376) oldstate=0x7 (7) "
                                       "newstate=0xa (10) sport=0x50 (80) dport=0x0 (0) family=0x2 (2) "
                                       "protocol=0x6 (6) saddr=0x200000a (33554442) daddr=0x0 (0) "
                                       "saddr_v6=<INVALID-SIZE> daddr_v6=<INVALID-SIZE>",
                                       &t, &sk, &sa, &sp, &da, &dp, &from, &to));
  ck_assert_int_eq (t, G_GINT64_CONSTANT (12804728681));
  ck_assert_uint_eq (sk, G_GUINT64_CONSTANT (0xffff888105cc8940));
  ck_assert_uint_eq (sa, SERVER_ADDR);
  ck_assert_uint_eq (da, 0);
  ck_assert_uint_eq (sp, 80);
  ck_assert_int_eq (from, TL_STATE_CLOSED);
  ck_assert_int_eq (to, TL_STATE_LISTEN);
}
END_TEST

START_TEST (test_keys_as_linux_settings)
{
  static const struct
  {
    TlKey       key;
    gint64      value;
    const char *sysctl;
    const char *text;
  } keys[] = {
    { TL_KEY_SYN_RETRIES, 2, "net/ipv4/tcp_syn_retries", "2" },
    { TL_KEY_RTO_MAX, 120 * TL_USEC_PER_SEC, "net/ipv4/tcp_rto_max_ms", "120000" },
    { TL_KEY_FIN_TIMEOUT, 5 * TL_USEC_PER_SEC, "net/ipv4/tcp_fin_timeout", "5" },
    { TL_KEY_SYNCOOKIES, TL_SYNCOOKIES_ALWAYS, "net/ipv4/tcp_syncookies", "2" },
    { TL_KEY_PORT_RANGE, (gint64) 40000 << 16 | 40003, "net/ipv4/ip_local_port_range",
      "40000 40003" },
    /* the rate limits: the sysctls, so that real --check compares like with like */
    { TL_KEY_INVALID_RATELIMIT, 500 * TL_USEC_PER_MSEC, "net/ipv4/tcp_invalid_ratelimit", "500" },
    { TL_KEY_CHALLENGE_ACK_LIMIT, 1, "net/ipv4/tcp_challenge_ack_limit", "1" },
    /* metrics_save on is tcp_no_metrics_save 0 */
    { TL_KEY_METRICS_SAVE, 0, "net/ipv4/tcp_no_metrics_save", "1" },
    /* SACK compression: the count, and the delay in nanoseconds */
    { TL_KEY_COMP_SACK_NR, 0, "net/ipv4/tcp_comp_sack_nr", "0" },
    { TL_KEY_COMP_SACK_DELAY, 30 * TL_USEC_PER_MSEC, "net/ipv4/tcp_comp_sack_delay_ns",
      "30000000" },
    /* F-RTO: on is tcp_frto 2, off 0 */
    { TL_KEY_FRTO, 1, "net/ipv4/tcp_frto", "2" },
    { TL_KEY_FRTO, 0, "net/ipv4/tcp_frto", "0" },
  };
  const char *key;
  char *none = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autofree char *text = NULL;

      ck_assert (tl_real_key_sysctl (keys[i].key, keys[i].value, &key, &text));
      ck_assert_str_eq (key, keys[i].sysctl);
      ck_assert_str_eq (text, keys[i].text);
    }
  /* TCP_NODELAY is a socket option */
  ck_assert (!tl_real_key_sysctl (TL_KEY_NODELAY, 1, &key, &none));
  /* Socket options and the program's behaviour have no sysctl. */
  ck_assert (!tl_real_key_sysctl (TL_KEY_KEEPALIVE_IDLE, TL_USEC_PER_SEC, &key, &none));
  ck_assert (!tl_real_key_sysctl (TL_KEY_BACKLOG, 8, &key, &none));
  ck_assert_ptr_null (none);
}
END_TEST

START_TEST (test_unsupported_settings_refused)
{
  static const char *const refused[] = {
    "set client profile rfc\n",
    "set server isn 0\n",
    "set all msl 1s\n",
    "set client rto_initial 3s\n",
    "set client fin_timeout 500ms\n",
    "set server window 1000\n",
    "0ms server listen 80\n2s set server msl 2s\n",
    "set server invalid_ratelimit 0.5ms\n",
  };
  g_autoptr (TlScenario) ok = tl_test_parse ("host client 10.0.0.1\nhost server 10.0.0.2\n"
                                     "set server syn_retries 2 syncookies off keepalive on "
                                     "keepalive_idle 10s\n0ms server listen 80\n");
  g_autoptr (GError) error = NULL;

  ck_assert (tl_real_check_supported (ok, &error));
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *text = g_strconcat ("host client 10.0.0.1\nhost server 10.0.0.2\n", refused[i], NULL);
      g_autoptr (TlScenario) sc = tl_test_parse (text);
      g_autoptr (GError) err = NULL;

      ck_assert_msg (!tl_real_check_supported (sc, &err), "%s", refused[i]);
      ck_assert (g_error_matches (err, TL_REAL_ERROR, TL_REAL_ERROR_UNSUPPORTED));
      ck_assert_msg (strstr (err->message, "test.lesson") != NULL, "%s", err->message);
    }
  {
    g_autoptr (TlScenario) sc = tl_test_parse ("host client 10.0.0.1\nhost server 10.0.0.2\n"
                                       "0ms server listen 80\n2s set server msl 2s\n");
    g_autoptr (GError) err = NULL;

    ck_assert (!tl_real_check_supported (sc, &err));
    ck_assert_msg (strstr (err->message, "test.lesson:4:") != NULL, "%s", err->message);
  }
}
END_TEST

/* A connect may hold two descriptors (its socket, the one its peer
 * accepts), a listen or a flood one; the statement past a limit is named. */
START_TEST (test_descriptors_a_lesson_needs)
{
  g_autoptr (TlScenario) sc = tl_test_parse ("host client 10.0.0.1\nhost server 10.0.0.2\n"
                                             "0ms server listen 80\n"
                                             "5ms client connect server:80\n"
                                             "10ms client connect server:80\n"
                                             "10ms flood server:80 count 10 rate 10/s from 192.0.2.0/24\n"
                                             "15ms client connect server:80\n"
                                             "1s end\n");
  const TlStmt *over = NULL;

  ck_assert_uint_eq (tl_real_fds_needed (sc, G_MAXUINT64, &over), TL_REAL_FDS_BASE + 1 + 2 + 2 + 1 + 2);
  ck_assert_ptr_null (over);
  /* 64 + listen 65, 67, 69, flood 70, 72: past 69 at the flood (line 6),
   * past 70 at the third connect (line 7) */
  tl_real_fds_needed (sc, TL_REAL_FDS_BASE + 5, &over);
  ck_assert_ptr_nonnull (over);
  ck_assert_uint_eq (over->line, 6);
  tl_real_fds_needed (sc, TL_REAL_FDS_BASE + 6, &over);
  ck_assert_ptr_nonnull (over);
  ck_assert_uint_eq (over->line, 7);
  ck_assert_uint_eq (over->column, 6);
}
END_TEST

/* A close or an abort gives its connection's descriptor back (a TIME_WAIT
 * or an orphan holds none), once: what counts is the most held at once. */
START_TEST (test_descriptors_given_back_by_close)
{
  g_autoptr (TlScenario) sc = tl_test_parse ("host client 10.0.0.1\nhost server 10.0.0.2\n"
                                             "0ms server listen 80\n"
                                             "5ms repeat 100 every 1ms client connect server:80\n"
                                             "35ms repeat 100 every 1ms client#i close\n"
                                             "55ms repeat 100 every 1ms server#i close\n"
                                             "60ms client#1 close\n"
                                             "200ms client connect server:80\n"
                                             "210ms client abort\n"
                                             "1s end\n");
  const TlStmt *over = NULL;

  /* by 34 ms 30 connections (60 descriptors); from 35 ms one connects and
   * one closes each millisecond, and from 55 ms the server closes one too:
   * at most 64 + 1 + 2 * 51 - 20 (at 55 ms, its connect counted before its
   * closes: 51 connects, 20 closes), not the 64 + 1 + 2 * 101 that hold
   * when nothing is given back */
  ck_assert_uint_eq (tl_real_fds_needed (sc, G_MAXUINT64, &over), TL_REAL_FDS_BASE + 1 + 102 - 20);
  ck_assert_ptr_null (over);
  tl_real_fds_needed (sc, TL_REAL_FDS_BASE + 1 + 2 * 30, &over);
  ck_assert_ptr_nonnull (over);
  ck_assert_uint_eq (over->line, 4);
}
END_TEST

/* A lesson needing more descriptors than the hard limit lets this process
 * open: no run, an error naming the statement and the limit. */
START_TEST (test_descriptors_past_the_hard_limit_refused)
{
  GString *text = g_string_new ("host client 10.0.0.1\nhost server 10.0.0.2\n0ms server listen 80\n");
  g_autoptr (TlScenario) sc = NULL;
  g_autoptr (GError) err = NULL;
  struct rlimit cur, old, lim = { 100, 100 };
  guint64 need;

  /* 64 + 1 + 2 each: the 18th connect (line 21) passes 100 */
  for (guint i = 0; i < 30; i++)
    g_string_append_printf (text, "%ums client connect server:80\n", 5 * (i + 1));
  sc = tl_test_parse (text->str);
  g_string_free (text, TRUE);
  need = tl_real_fds_needed (sc, G_MAXUINT64, NULL);
  ck_assert_uint_eq (need, TL_REAL_FDS_BASE + 1 + 60);
  /* in a child: the limit lowered for good */
  if (fork () == 0)
    {
      if (setrlimit (RLIMIT_NOFILE, &lim) != 0 || tl_real_fds_raise (sc, &old, &err)
          || !g_error_matches (err, TL_REAL_ERROR, TL_REAL_ERROR_UNAVAILABLE)
          || strstr (err->message, "test.lesson:21:6:") == NULL || strstr (err->message, " 100 ") == NULL
          || strstr (err->message, " 125;") == NULL)
        {
          g_printerr ("%s\n", err != NULL ? err->message : "no error");
          _exit (1);
        }
      /* the limit as it was */
      getrlimit (RLIMIT_NOFILE, &cur);
      _exit (cur.rlim_cur == 100 && cur.rlim_max == 100 ? 0 : 2);
    }
  {
    int status = 0;

    wait (&status);
    ck_assert (WIFEXITED (status));
    ck_assert_int_eq (WEXITSTATUS (status), 0);
  }
  /* Within the limit: raised as far as needed, and put back. */
  getrlimit (RLIMIT_NOFILE, &cur);
  if (cur.rlim_max >= need)
    {
      lim.rlim_cur = 70;
      lim.rlim_max = cur.rlim_max;
      ck_assert (setrlimit (RLIMIT_NOFILE, &lim) == 0);
      ck_assert (tl_real_fds_raise (sc, &old, NULL));
      ck_assert_uint_eq (old.rlim_cur, 70);
      getrlimit (RLIMIT_NOFILE, &lim);
      ck_assert_uint_eq (lim.rlim_cur, need);
      ck_assert (setrlimit (RLIMIT_NOFILE, &cur) == 0);
    }
}
END_TEST

/* A log as a real run of a handshake and a close writes it. */
static void
add_state_sk (TlRealLog *log, gint64 t, guint64 sk, guint host, guint16 lport, guint32 raddr,
              guint16 rport, TlState from, TlState to)
{
  TlRealStateEv e = { t, sk, host, from, to, lport, raddr, rport };

  g_array_append_val (log->states, e);
}

static void
add_state (TlRealLog *log, gint64 t, guint host, guint16 lport, guint32 raddr, guint16 rport,
           TlState from, TlState to)
{
  add_state_sk (log, t, 0, host, lport, raddr, rport, from, to);
}

static void
add_seg (TlRealLog *log, gint64 sent, gint64 arrive, guint dir, guint8 flags, guint32 seq,
         guint16 sport, guint16 dport, guint32 id)
{
  TlRealSeg s = { 0 };

  s.sent_us = sent;
  s.arrive_us = arrive;
  s.delay_us = arrive - sent;
  s.id = id;
  s.dir = dir;
  s.flags = flags;
  s.seq = seq;
  s.sport = sport;
  s.dport = dport;
  g_array_append_val (log->segs, s);
}

static void
add_poll (TlRealLog *log, gint64 t, guint host, guint16 lport, guint32 raddr, guint16 rport,
          TlState state, gboolean present)
{
  TlRealPollMark m = { t, host };

  if (present)
    {
      TlRealPollEv e = { 0 };

      e.t = t;
      e.host = host;
      e.sock.lport = lport;
      e.sock.raddr = raddr;
      e.sock.rport = rport;
      e.sock.state = state;
      e.sock.mini = TRUE;
      g_array_append_val (log->polls, e);
    }
  g_array_append_val (log->marks, m);
}

/* The request the server's kernel kept from the SYN's arrival, seen by a
 * poll only, starts SYN_RCVD at that arrival; the tracepoint's CLOSE from
 * FIN_WAIT_2, then a time-wait socket in the polls, is FIN_WAIT_2 until
 * the server's FIN arrives, then TIME_WAIT. */
START_TEST (test_small_sockets_from_polls)
{
  g_autoptr (TlScenario) sc = tl_test_parse ("host client 10.0.0.1\nhost server 10.0.0.2\nlink delay 50ms\n"
                                     "0ms server listen 80\n100ms client connect server:80\n"
                                     "300ms client close\n1s end\n");
  TlRealLog log;
  g_autoptr (TlTrace) trace = NULL;
  guint32 c1, s1;

  log_start (&log, TRUE, 1000000);
  add_state (&log, 10, 1, 80, 0, 0, TL_STATE_CLOSED, TL_STATE_LISTEN);
  add_state (&log, 100000, 0, 40000, SERVER_ADDR, 80, TL_STATE_CLOSED, TL_STATE_SYN_SENT);
  add_seg (&log, 100010, 150010, 0, TL_FLAG_SYN, 1000, 40000, 80, 1);
  add_poll (&log, 152000, 1, 80, CLIENT_ADDR, 40000, TL_STATE_SYN_RCVD, TRUE);
  add_seg (&log, 150020, 200020, 1, TL_FLAG_SYN | TL_FLAG_ACK, 5000, 80, 40000, 2);
  add_state (&log, 200030, 0, 40000, SERVER_ADDR, 80, TL_STATE_SYN_SENT, TL_STATE_ESTABLISHED);
  add_seg (&log, 200040, 250040, 0, TL_FLAG_ACK, 1001, 40000, 80, 3);
  add_state (&log, 250050, 1, 80, CLIENT_ADDR, 40000, TL_STATE_LISTEN, TL_STATE_SYN_RCVD);
  add_state (&log, 250051, 1, 80, CLIENT_ADDR, 40000, TL_STATE_SYN_RCVD, TL_STATE_ESTABLISHED);
  add_state (&log, 300000, 0, 40000, SERVER_ADDR, 80, TL_STATE_ESTABLISHED, TL_STATE_FIN_WAIT_1);
  add_state (&log, 400000, 0, 40000, SERVER_ADDR, 80, TL_STATE_FIN_WAIT_1, TL_STATE_FIN_WAIT_2);
  add_state (&log, 400001, 0, 40000, SERVER_ADDR, 80, TL_STATE_FIN_WAIT_2, TL_STATE_CLOSED);
  add_poll (&log, 405000, 0, 40000, SERVER_ADDR, 80, TL_STATE_FIN_WAIT_2, TRUE);
  add_seg (&log, 500000, 550000, 1, TL_FLAG_FIN | TL_FLAG_ACK, 5001, 80, 40000, 4);
  add_poll (&log, 553000, 0, 40000, SERVER_ADDR, 80, TL_STATE_TIME_WAIT, TRUE);
  trace = tl_real_build_trace (sc, &log);

  c1 = tl_trace_resolve_conn (trace, 0, 1, 900000);
  s1 = tl_trace_resolve_conn (trace, 1, 1, 900000);
  ck_assert_uint_ne (c1, TL_NO_CONN);
  ck_assert_uint_ne (s1, TL_NO_CONN);
  ck_assert_uint_eq (tl_trace_conn (trace, c1)->iss, 1000);
  ck_assert_uint_eq (tl_trace_conn (trace, c1)->irs, 5000);
  ck_assert_int_eq (tl_trace_conn (trace, s1)->created_us, 150010);
  ck_assert_int_eq (tl_trace_conn_state_at (trace, s1, 150009), TL_STATE_CLOSED);
  ck_assert_int_eq (tl_trace_conn_state_at (trace, s1, 150010), TL_STATE_SYN_RCVD);
  ck_assert_int_eq (tl_trace_conn_state_at (trace, s1, 250050), TL_STATE_SYN_RCVD);
  ck_assert_int_eq (tl_trace_conn_state_at (trace, s1, 250051), TL_STATE_ESTABLISHED);
  ck_assert_int_eq (tl_trace_conn_state_at (trace, c1, 400001), TL_STATE_FIN_WAIT_2);
  ck_assert_int_eq (tl_trace_conn_state_at (trace, c1, 549999), TL_STATE_FIN_WAIT_2);
  ck_assert_int_eq (tl_trace_conn_state_at (trace, c1, 550000), TL_STATE_TIME_WAIT);
  ck_assert_int_eq (tl_trace_conn_state_at (trace, c1, 999999), TL_STATE_TIME_WAIT);
  ck_assert_uint_eq (tl_trace_count_segments (trace, 0, TL_FLAG_SYN, FALSE, 900000), 1);
  for (guint i = 0; i < tl_trace_n_records (trace); i++)
    {
      const TlRecord *r = tl_trace_record (trace, i);

      if (r->kind == TL_REC_SEGMENT || r->kind == TL_REC_ARRIVE)
        {
          const TlTraceSegment *shared = tl_trace_segment (trace, r->u.seg.id);

          ck_assert_uint_eq (shared->src_port, r->host == 0 ? 40000 : 80);
          ck_assert_uint_eq (shared->dst_port, r->host == 0 ? 80 : 40000);
        }
    }
  ck_assert_uint_eq (tl_trace_count_segments (trace, 1, TL_FLAG_FIN | TL_FLAG_ACK, FALSE, 900000), 1);
  ck_assert_int_eq (tl_trace_end_time (trace), 1000000);
  tl_real_log_clear (&log);
}
END_TEST

/* A request gone from a poll without a child is CLOSED at that poll. */
START_TEST (test_request_gone_closes)
{
  g_autoptr (TlScenario) sc = tl_test_parse (LISTENING);
  TlRealLog log;
  g_autoptr (TlTrace) trace = NULL;
  guint32 s1;

  log_start (&log, TRUE, 20000000);
  add_state (&log, 10, 1, 80, 0, 0, TL_STATE_CLOSED, TL_STATE_LISTEN);
  add_seg (&log, 1000, 11000, 0, TL_FLAG_SYN, 7, 40000, 80, 1);
  add_poll (&log, 12000, 1, 80, CLIENT_ADDR, 40000, TL_STATE_SYN_RCVD, TRUE);
  add_poll (&log, 9000000, 1, 80, CLIENT_ADDR, 40000, TL_STATE_SYN_RCVD, TRUE);
  add_poll (&log, 9005000, 1, 0, 0, 0, TL_STATE_SYN_RCVD, FALSE);
  trace = tl_real_build_trace (sc, &log);
  s1 = tl_trace_resolve_conn (trace, 1, 1, 10000000);
  ck_assert_uint_ne (s1, TL_NO_CONN);
  ck_assert_int_eq (tl_trace_conn_state_at (trace, s1, 9004999), TL_STATE_SYN_RCVD);
  ck_assert_int_eq (tl_trace_conn_state_at (trace, s1, 9005000), TL_STATE_CLOSED);
  tl_real_log_clear (&log);
}
END_TEST

/* A SYN on a tuple in TIME_WAIT (a client reconnecting from its port):
 * the old connection ends at the SYN's arrival, a new one starts there. */
START_TEST (test_syn_on_time_wait_starts_new_connection)
{
  g_autoptr (TlScenario) sc = tl_test_parse (LISTENING);
  TlRealLog log;
  g_autoptr (TlTrace) trace = NULL;
  guint32 s1, s2;

  log_start (&log, TRUE, 5000000);
  add_state (&log, 10, 1, 80, 0, 0, TL_STATE_CLOSED, TL_STATE_LISTEN);
  add_seg (&log, 1000, 2000, 0, TL_FLAG_SYN, 7, 5000, 80, 1);
  add_state (&log, 3000, 1, 80, CLIENT_ADDR, 5000, TL_STATE_LISTEN, TL_STATE_SYN_RCVD);
  add_state (&log, 3001, 1, 80, CLIENT_ADDR, 5000, TL_STATE_SYN_RCVD, TL_STATE_ESTABLISHED);
  add_state (&log, 100000, 1, 80, CLIENT_ADDR, 5000, TL_STATE_ESTABLISHED, TL_STATE_FIN_WAIT_1);
  add_state (&log, 200000, 1, 80, CLIENT_ADDR, 5000, TL_STATE_FIN_WAIT_1, TL_STATE_CLOSED);
  add_poll (&log, 201000, 1, 80, CLIENT_ADDR, 5000, TL_STATE_TIME_WAIT, TRUE);
  add_seg (&log, 2000000, 2050000, 0, TL_FLAG_SYN, 99999, 5000, 80, 2);
  add_poll (&log, 2052000, 1, 80, CLIENT_ADDR, 5000, TL_STATE_SYN_RCVD, TRUE);
  trace = tl_real_build_trace (sc, &log);
  s1 = tl_trace_resolve_conn (trace, 1, 1, 4000000);
  s2 = tl_trace_resolve_conn (trace, 1, 2, 4000000);
  ck_assert_uint_ne (s2, TL_NO_CONN);
  ck_assert_int_eq (tl_trace_conn_state_at (trace, s1, 2049999), TL_STATE_TIME_WAIT);
  ck_assert_int_eq (tl_trace_conn_state_at (trace, s1, 2050000), TL_STATE_CLOSED);
  ck_assert_int_eq (tl_trace_conn_state_at (trace, s2, 2050000), TL_STATE_SYN_RCVD);
  ck_assert_uint_eq (tl_trace_conn (trace, s2)->irs, 99999);
  tl_real_log_clear (&log);
}
END_TEST

/* A connect() from a port whose tuple an ESTABLISHED socket holds fails
 * at once (EADDRNOTAVAIL): its socket's SYN_SENT and CLOSE, told by the
 * tracepoint with the socket's address, make no connection and leave the
 * established one as it is. */
START_TEST (test_second_socket_on_a_tuple_is_no_connection)
{
  g_autoptr (TlScenario) sc = tl_test_parse (LISTENING);
  TlRealLog log;
  g_autoptr (TlTrace) trace = NULL;
  guint32 c1;

  log_start (&log, TRUE, 2000000);
  add_state_sk (&log, 1000, 0xa1, 0, 5000, SERVER_ADDR, 80, TL_STATE_CLOSED, TL_STATE_SYN_SENT);
  add_state_sk (&log, 2000, 0xa1, 0, 5000, SERVER_ADDR, 80, TL_STATE_SYN_SENT, TL_STATE_ESTABLISHED);
  add_state_sk (&log, 500000, 0xb2, 0, 5000, SERVER_ADDR, 80, TL_STATE_CLOSED, TL_STATE_SYN_SENT);
  add_state_sk (&log, 500001, 0xb2, 0, 5000, SERVER_ADDR, 80, TL_STATE_SYN_SENT, TL_STATE_CLOSED);
  add_state_sk (&log, 900000, 0xa1, 0, 5000, SERVER_ADDR, 80, TL_STATE_ESTABLISHED, TL_STATE_FIN_WAIT_1);
  trace = tl_real_build_trace (sc, &log);
  c1 = tl_trace_resolve_conn (trace, 0, 1, 1000000);
  ck_assert_uint_eq (tl_trace_n_conns (trace), 1);
  ck_assert_int_eq (tl_trace_conn_state_at (trace, c1, 600000), TL_STATE_ESTABLISHED);
  ck_assert_int_eq (tl_trace_conn_state_at (trace, c1, 900000), TL_STATE_FIN_WAIT_1);
  ck_assert_uint_eq (tl_trace_resolve_conn (trace, 0, 2, 1000000), TL_NO_CONN);
  tl_real_log_clear (&log);
}
END_TEST

/* A connect() that finds no free ephemeral port: tcp_v4_connect tells
 * SYN_SENT before it looks for one, then CLOSE, both without a port: no
 * connection (it was client#5 now and then, tests/sweep/port-range.lesson). */
START_TEST (test_connect_without_a_port_is_no_connection)
{
  g_autoptr (TlScenario) sc = tl_test_parse (LISTENING);
  TlRealLog log;
  g_autoptr (TlTrace) trace = NULL;

  log_start (&log, TRUE, 2000000);
  add_state_sk (&log, 1000, 0xa1, 0, 0, SERVER_ADDR, 80, TL_STATE_CLOSED, TL_STATE_SYN_SENT);
  add_state_sk (&log, 2000, 0xa1, 0, 40000, SERVER_ADDR, 80, TL_STATE_SYN_SENT, TL_STATE_ESTABLISHED);
  add_state_sk (&log, 500000, 0xb2, 0, 0, SERVER_ADDR, 80, TL_STATE_CLOSED, TL_STATE_SYN_SENT);
  add_state_sk (&log, 500001, 0xb2, 0, 0, SERVER_ADDR, 80, TL_STATE_SYN_SENT, TL_STATE_CLOSED);
  tl_real_log_settle (&log);
  trace = tl_real_build_trace (sc, &log);
  ck_assert_uint_eq (tl_trace_n_conns (trace), 1);
  ck_assert_uint_eq (tl_trace_conn (trace, tl_trace_resolve_conn (trace, 0, 1, 1000000))->local_port, 40000);
  ck_assert_uint_eq (tl_trace_resolve_conn (trace, 0, 2, 1000000), TL_NO_CONN);
  tl_real_log_clear (&log);
}
END_TEST

/* The program's listen() on host's port at t. */
static void
add_listen_call (TlRealLog *log, gint64 t, guint host, guint16 port)
{
  TlRealAppEv listen = { 0 };

  listen.t = t;
  listen.host = host;
  listen.call = TL_CALL_LISTEN;
  listen.value = port;
  listen.lport = port;
  g_array_append_val (log->apps, listen);
}

/* Another socket in the poll add_poll added last (a full socket). */
static void
add_poll_more (TlRealLog *log, guint16 lport, guint32 raddr, guint16 rport, TlState state)
{
  TlRealPollEv e = g_array_index (log->polls, TlRealPollEv, log->polls->len - 1);

  g_array_index (log->polls, TlRealPollEv, log->polls->len - 1).sock.mini = FALSE;
  e.sock.lport = lport;
  e.sock.raddr = raddr;
  e.sock.rport = rport;
  e.sock.state = state;
  e.sock.mini = FALSE;
  g_array_append_val (log->polls, e);
}

/* Without the tracepoint the polls leave listeners out: a listener lives
 * from the program's listen() to the host's crash. */
START_TEST (test_untraced_listener_from_calls)
{
  g_autoptr (TlScenario) sc = tl_test_parse (LISTENING);
  TlRealLog log;
  g_autoptr (TlTrace) trace = NULL;
  TlRecord crash = { 0 };
  TlWorld world;

  log_start (&log, FALSE, 3000000);
  add_listen_call (&log, 100, 1, 80);
  add_poll (&log, 5000, 1, 0, 0, 0, TL_STATE_LISTEN, FALSE);
  crash.time_us = 2000000;
  crash.kind = TL_REC_HOST;
  crash.host = 1;
  crash.conn = TL_NO_CONN;
  crash.u.app.call = TL_CALL_CRASH;
  g_array_append_val (log.others, crash);
  g_ptr_array_add (log.texts, NULL);
  add_poll (&log, 2005000, 1, 0, 0, 0, TL_STATE_LISTEN, FALSE);
  trace = tl_real_build_trace (sc, &log);
  tl_world_init (&world);
  tl_trace_world_at (trace, 1000000, &world);
  ck_assert_uint_eq (world.counts[1][TL_STATE_LISTEN], 1);
  tl_trace_world_at (trace, 2000000, &world);
  ck_assert_uint_eq (world.counts[1][TL_STATE_LISTEN], 0);
  tl_world_clear (&world);
  tl_real_log_clear (&log);
}
END_TEST

/* Without the tracepoint, a poll that comes late (the program's loop held
 * up) sees the connections made since the last at once, in the kernel's
 * table order: each is dated back to the SYN that began it, so HOST#N is
 * the order they were made in on both hosts (sweep/port-exhaustion.lesson
 * on a loaded machine named the server's connections out of order). */
START_TEST (test_late_poll_numbers_by_syn)
{
  g_autoptr (TlScenario) sc = tl_test_parse (LISTENING);
  TlRealLog log;
  g_autoptr (TlTrace) trace = NULL;
  const guint16 ports[2] = { 40001, 40002 };

  log_start (&log, FALSE, 1000000);
  add_listen_call (&log, 100, 1, 80);
  add_seg (&log, 1000, 11000, 0, TL_FLAG_SYN, 7, ports[0], 80, 1);
  add_seg (&log, 3000, 13000, 0, TL_FLAG_SYN, 9, ports[1], 80, 2);
  /* one poll of each host after both handshakes, the later connection first */
  for (guint h = 0; h < 2; h++)
    {
      gint64 t = 50000 + h * 1000;

      add_poll (&log, t, h, h == 0 ? ports[1] : 80, h == 0 ? SERVER_ADDR : CLIENT_ADDR,
                h == 0 ? 80 : ports[1], TL_STATE_ESTABLISHED, TRUE);
      add_poll_more (&log, h == 0 ? ports[0] : 80, h == 0 ? SERVER_ADDR : CLIENT_ADDR,
                     h == 0 ? 80 : ports[0], TL_STATE_ESTABLISHED);
    }
  trace = tl_real_build_trace (sc, &log);
  for (guint h = 0; h < 2; h++)
    for (guint n = 1; n <= 2; n++)
      {
        guint32 c = tl_trace_resolve_conn (trace, h, n, 900000);
        const TlTraceConn *tc;

        ck_assert_uint_ne (c, TL_NO_CONN);
        tc = tl_trace_conn (trace, c);
        ck_assert_uint_eq ((h == 0 ? tc->local_port : tc->remote_port), ports[n - 1]);
        /* made at its SYN: sent by the client, arrived at the server */
        ck_assert_int_eq (tc->created_us, h == 0 ? (n == 1 ? 1000 : 3000) : (n == 1 ? 11000 : 13000));
        ck_assert_int_eq (tl_trace_conn_state_at (trace, c, 40000), h == 0 ? TL_STATE_SYN_SENT : TL_STATE_SYN_RCVD);
        ck_assert_int_eq (tl_trace_conn_state_at (trace, c, 60000), TL_STATE_ESTABLISHED);
      }
  tl_real_log_clear (&log);
}
END_TEST

/* Appends full's elements of one array up to time until (read_by: when each
 * is read, for the states) to part's, from *done on. */
#define COPY_UNTIL(full, part, type, read_by, until, done)                      \
  while (*(done) < (full)->len && (read_by) (&g_array_index ((full), type, *(done))) <= (until)) \
    {                                                                                   \
      type e = g_array_index ((full), type, *(done));                                   \
      g_array_append_val ((part), e);                                                   \
      (*(done))++;                                                                      \
    }

static gint64 state_read (const TlRealStateEv *e) { return e->t + (e->sk == 0x1ff ? 30000 : 0); }
static gint64 seg_read (const TlRealSeg *s) { return s->sent_us; }
static gint64 app_read (const TlRealAppEv *a) { return a->t; }
static gint64 poll_read (const TlRealPollEv *p) { return p->t; }
static gint64 mark_read (const TlRealPollMark *m) { return m->t; }

static int
by_read_time (gconstpointer a,
              gconstpointer b)
{
  gint64 x = state_read (a), y = state_read (b);

  return (x > y) - (x < y);
}

/* The names a run resolves while it goes on (tl_real_conns_update, read by
 * parts) are the trace's of the log so far (tl_real_build_trace of all of
 * it, as each name was found before): 20 connections a millisecond apart,
 * the server's requests seen by polls or first by their child and dated
 * back to their SYNs, the
 * client's ports from its connect() calls, and one change read 30 ms late
 * (before changes already read: the names are found again from the start). */
START_TEST (test_names_as_the_log_grows)
{
  g_autoptr (TlScenario) sc = tl_test_parse (LISTENING);
  TlRealLog full, log;
  TlRealConns *conns = NULL;
  guint done[5] = { 0 };
  guint found = 0;

  log_start (&full, TRUE, 100000);
  log_start (&log, TRUE, 100000);
  add_state (&full, 10, 1, 80, 0, 0, TL_STATE_CLOSED, TL_STATE_LISTEN);
  for (guint k = 0; k < 20; k++)
    {
      gint64 t = 1000 + k * 1000;
      guint16 port = (guint16) (40000 + k * 7);
      TlRealAppEv a = { 0 };

      add_state_sk (&full, t, 0x100 + k, 0, 0, SERVER_ADDR, 80, TL_STATE_CLOSED, TL_STATE_SYN_SENT);
      a.t = t + 5;
      a.call = TL_CALL_CONNECT;
      a.value = 80;
      a.lport = port;
      a.raddr = SERVER_ADDR;
      a.rport = 80;
      g_array_append_val (full.apps, a);
      add_seg (&full, t + 10, t + 10010, 0, TL_FLAG_SYN, 1000 + k, port, 80, 2 * k + 1);
    }
  /* The children (k even) and the clients' ESTABLISHED, in time order; the
   * one of k == 3 read late (sk 0x1ff). */
  for (guint k = 0; k < 20; k++)
    {
      gint64 t = 1000 + k * 1000;
      guint16 port = (guint16) (40000 + k * 7);

      add_state_sk (&full, t + 20010, k == 3 ? 0x1ff : 0x100 + k, 0, port, SERVER_ADDR, 80,
                    TL_STATE_SYN_SENT, TL_STATE_ESTABLISHED);
      if (k % 2 == 0)
        add_state_sk (&full, t + 30020, 0x200 + k, 1, 80, CLIENT_ADDR, port,
                      TL_STATE_LISTEN, TL_STATE_ESTABLISHED);
    }
  g_array_sort (full.states, by_read_time);
  /* Polls every 2 ms from 11 ms: the requests alive then (from the SYN's
   * arrival; those of an even k until their child), but those of k = 2, 6,
   * 10, ...: the tracepoint's child is the first the run hears of them,
   * after the requests of later SYNs (numbered by their SYNs, before them). */
  for (gint64 p = 11000; p < 60000; p += 2000)
    {
      for (guint k = 0; k < 20; k++)
        {
          gint64 t = 1000 + k * 1000;

          if (t + 10010 <= p && (k % 2 == 1 || p < t + 30020) && k % 4 != 2)
            {
              TlRealPollEv e = { 0 };

              e.t = p;
              e.host = 1;
              e.sock.lport = 80;
              e.sock.raddr = CLIENT_ADDR;
              e.sock.rport = (guint16) (40000 + k * 7);
              e.sock.state = TL_STATE_SYN_RCVD;
              e.sock.mini = TRUE;
              g_array_append_val (full.polls, e);
            }
        }
      add_poll (&full, p, 1, 0, 0, 0, TL_STATE_SYN_RCVD, FALSE);
    }

  for (gint64 until = 500; until <= 80000; until += 1500)
    {
      g_autoptr (TlTrace) trace = NULL;

      COPY_UNTIL (full.states, log.states, TlRealStateEv, state_read, until, &done[0]);
      COPY_UNTIL (full.segs, log.segs, TlRealSeg, seg_read, until, &done[1]);
      COPY_UNTIL (full.apps, log.apps, TlRealAppEv, app_read, until, &done[2]);
      COPY_UNTIL (full.polls, log.polls, TlRealPollEv, poll_read, until, &done[3]);
      COPY_UNTIL (full.marks, log.marks, TlRealPollMark, mark_read, until, &done[4]);
      log.complete_us = until;
      tl_real_log_settle (&log);
      tl_real_conns_update (&conns, sc, &log);
      trace = tl_real_build_trace (sc, &log);
      for (guint h = 0; h < 2; h++)
        for (guint n = 0; n <= 21; n++)
          {
            guint32 ci = tl_trace_resolve_conn (trace, h, n, until);
            guint16 lport = 0, rport = 0;
            guint32 raddr = 0;
            gboolean ok = tl_real_conns_find (conns, h, n, until, &lport, &raddr, &rport);

            ck_assert_msg (ok == (ci != TL_NO_CONN), "host %u #%u at %" G_GINT64_FORMAT, h, n, until);
            if (!ok)
              continue;
            found++;
            ck_assert_uint_eq (lport, tl_trace_conn (trace, ci)->local_port);
            ck_assert_uint_eq (raddr, tl_trace_conn (trace, ci)->remote_addr);
            ck_assert_uint_eq (rport, tl_trace_conn (trace, ci)->remote_port);
          }
    }
  /* by the end: 20 connections each side, #1 to #20 and the last */
  ck_assert_uint_ge (found, 2 * 21);
  ck_assert_uint_eq (log.generation, 1);
  tl_real_conns_free (conns);
  tl_real_log_clear (&full);
  tl_real_log_clear (&log);
}
END_TEST

START_TEST (test_causes_guessed)
{
  ck_assert_int_eq (tl_real_guess_cause (TL_STATE_CLOSED, TL_STATE_SYN_SENT, FALSE, FALSE, FALSE, FALSE),
                    TL_CAUSE_APP_CONNECT);
  ck_assert_int_eq (tl_real_guess_cause (TL_STATE_SYN_SENT, TL_STATE_ESTABLISHED, FALSE, FALSE, FALSE, FALSE),
                    TL_CAUSE_RCV_SYN_ACK);
  ck_assert_int_eq (tl_real_guess_cause (TL_STATE_ESTABLISHED, TL_STATE_FIN_WAIT_1, FALSE, TRUE, FALSE, FALSE),
                    TL_CAUSE_APP_SHUTDOWN);
  ck_assert_int_eq (tl_real_guess_cause (TL_STATE_ESTABLISHED, TL_STATE_CLOSED, TRUE, FALSE, FALSE, TRUE),
                    TL_CAUSE_APP_ABORT);
  ck_assert_int_eq (tl_real_guess_cause (TL_STATE_ESTABLISHED, TL_STATE_CLOSED, FALSE, FALSE, FALSE, TRUE),
                    TL_CAUSE_RCV_RST);
  ck_assert_int_eq (tl_real_guess_cause (TL_STATE_ESTABLISHED, TL_STATE_CLOSED, FALSE, FALSE, TRUE, FALSE),
                    TL_CAUSE_CRASH);
  ck_assert_int_eq (tl_real_guess_cause (TL_STATE_TIME_WAIT, TL_STATE_CLOSED, FALSE, FALSE, FALSE, FALSE),
                    TL_CAUSE_TIME_WAIT_DONE);
  ck_assert_int_eq (tl_real_guess_cause (TL_STATE_SYN_SENT, TL_STATE_CLOSED, FALSE, FALSE, FALSE, FALSE),
                    TL_CAUSE_TIMEOUT);
}
END_TEST

Suite *
real_suite (void)
{
  Suite *s = suite_create ("real");
  TCase *tc = tcase_create ("real");

  tcase_add_test (tc, test_namespace_names_carry_the_pid);
  tcase_add_test (tc, test_stale_namespaces_of_dead_runs_removed);
  tcase_add_test (tc, test_trace_line_parsed);
  tcase_add_test (tc, test_keys_as_linux_settings);
  tcase_add_test (tc, test_unsupported_settings_refused);
  tcase_add_test (tc, test_descriptors_a_lesson_needs);
  tcase_add_test (tc, test_descriptors_given_back_by_close);
  tcase_add_test (tc, test_descriptors_past_the_hard_limit_refused);
  tcase_add_test (tc, test_small_sockets_from_polls);
  tcase_add_test (tc, test_request_gone_closes);
  tcase_add_test (tc, test_syn_on_time_wait_starts_new_connection);
  tcase_add_test (tc, test_second_socket_on_a_tuple_is_no_connection);
  tcase_add_test (tc, test_connect_without_a_port_is_no_connection);
  tcase_add_test (tc, test_untraced_listener_from_calls);
  tcase_add_test (tc, test_late_poll_numbers_by_syn);
  tcase_add_test (tc, test_causes_guessed);
  tcase_add_test (tc, test_names_as_the_log_grows);
  suite_add_tcase (s, tc);
  return s;
}
