/* test-capture.c: real captures made on this kernel in network namespaces
 * (tests/captures/make-captures) import with the states Linux was really
 * in, as its tracepoint sock:inet_sock_set_state recorded them during the
 * capture (NAME.states); and the reader takes every link type it promises.
 */
#include "tl-config.h"

#include <check.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "tl-capture.h"
#include "tl-import.h"
#include "tl-import-private.h"
#include "tl-trace-file.h"

/* How far the kernel's clock (tracefs "mono", turned to real time by the
 * script) and the capture's may disagree. */
#define CLOCK_SLACK_US 3000

typedef struct
{
  gint64  time_us;
  char    laddr[64];
  guint   lport;
  char    raddr[64];
  guint   rport;
  TlState from, to;
} KernelChange;

typedef struct
{
  char   laddr[64];
  guint  lport;
  char   raddr[64];
  guint  rport;
  GArray *changes;   /* of KernelChange */
  gint64 tw_before_us, tw_seen_us;   /* ss: not yet TIME_WAIT, then TIME_WAIT; -1 if never */
} KernelSocket;

static void
kernel_socket_free (gpointer data)
{
  KernelSocket *s = data;

  g_array_unref (s->changes);
  g_free (s);
}

static char *
capture_path (const char *name)
{
  g_autofree char *pcap = g_strdup_printf ("%s/captures/%s.pcap", TL_SOURCE_TESTS_DIR, name);

  if (g_file_test (pcap, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&pcap);
  return g_strdup_printf ("%s/captures/%s.pcapng", TL_SOURCE_TESTS_DIR, name);
}

/* The kernel's sockets of NAME.states, each with its changes in order.  A
 * connecting socket has no port until its SYN_SENT: that first change joins
 * the next socket of the same local address.  ss lines go to ss_time_us and
 * ss_syn_rcvd. */
static KernelSocket *
kernel_socket (GPtrArray   *sockets,
               const char  *laddr,
               guint        lport,
               const char  *raddr,
               guint        rport)
{
  KernelSocket *sock;

  for (guint k = 0; k < sockets->len; k++)
    {
      KernelSocket *s = g_ptr_array_index (sockets, k);

      if (strcmp (s->laddr, laddr) == 0 && s->lport == lport
          && strcmp (s->raddr, raddr) == 0 && s->rport == rport)
        return s;
    }
  sock = g_new0 (KernelSocket, 1);
  g_strlcpy (sock->laddr, laddr, sizeof sock->laddr);
  sock->lport = lport;
  g_strlcpy (sock->raddr, raddr, sizeof sock->raddr);
  sock->rport = rport;
  sock->changes = g_array_new (FALSE, FALSE, sizeof (KernelChange));
  sock->tw_before_us = sock->tw_seen_us = -1;
  g_ptr_array_add (sockets, sock);
  return sock;
}

/* The kernel's sockets of NAME.states, each with its changes in order.  A
 * connecting socket has no port until its SYN_SENT: that first change joins
 * the next socket of the same local address.  The ss count of SYN_RCVD goes
 * to ss_time_us and ss_syn_rcvd. */
static GPtrArray *
read_kernel_states (const char *name,
                    gint64     *ss_time_us,
                    int        *ss_syn_rcvd)
{
  g_autofree char *path = g_strdup_printf ("%s/captures/%s.states", TL_SOURCE_TESTS_DIR, name);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *sockets = g_ptr_array_new_with_free_func (kernel_socket_free);
  g_autoptr(GArray) unbound = g_array_new (FALSE, FALSE, sizeof (KernelChange));

  ck_assert_msg (g_file_get_contents (path, &text, NULL, NULL), "cannot read %s", path);
  lines = g_strsplit (text, "\n", -1);
  *ss_syn_rcvd = -1;
  for (guint i = 0; lines[i] != NULL; i++)
    {
      KernelChange c;
      char from[32], to[32];
      KernelSocket *sock;
      gint64 t, t2;
      int n;

      if (lines[i][0] == '#' || lines[i][0] == '\0')
        continue;
      if (sscanf (lines[i], "%" G_GINT64_FORMAT " ss %63s SYN_RCVD %d", &t, c.laddr, &n) == 3)
        {
          *ss_time_us = t;
          *ss_syn_rcvd = n;
          continue;
        }
      if (sscanf (lines[i], "%" G_GINT64_FORMAT " %" G_GINT64_FORMAT " ss %63s %u %63s %u TIME_WAIT",
                  &t, &t2, c.laddr, &c.lport, c.raddr, &c.rport) == 6)
        {
          sock = kernel_socket (sockets, c.laddr, c.lport, c.raddr, c.rport);
          sock->tw_before_us = t;
          sock->tw_seen_us = t2;
          continue;
        }
      ck_assert_int_eq (sscanf (lines[i], "%" G_GINT64_FORMAT " %63s %u %63s %u %31s %31s",
                                &c.time_us, c.laddr, &c.lport, c.raddr, &c.rport, from, to), 7);
      ck_assert (tl_state_from_name (from, &c.from));
      ck_assert (tl_state_from_name (to, &c.to));
      if (c.lport == 0)
        {
          g_array_append_val (unbound, c);
          continue;
        }
      sock = kernel_socket (sockets, c.laddr, c.lport, c.raddr, c.rport);
      if (sock->changes->len == 0)
        for (guint k = 0; k < unbound->len; k++)
          if (strcmp (g_array_index (unbound, KernelChange, k).laddr, c.laddr) == 0)
            {
              g_array_append_val (sock->changes, g_array_index (unbound, KernelChange, k));
              g_array_remove_index (unbound, k);
              break;
            }
      /* An orphan's FIN_WAIT_2 -> CLOSED hands the connection to a timewait
       * socket that stays in FIN_WAIT_2 (tcp_time_wait with TCP_FIN_WAIT2),
       * unseen by the tracepoint: the connection lives on. */
      if (c.from == TL_STATE_FIN_WAIT_2 && c.to == TL_STATE_CLOSED)
        continue;
      g_array_append_val (sock->changes, c);
    }
  return sockets;
}

static gboolean
addr_is (const TlImport *import,
         guint           host,
         const char     *text)
{
  TlAddr a;

  return tl_addr_parse (text, &a) && tl_addr_equal (&a, &import->hosts[host]);
}

/* The trace's connection of a kernel socket, or TL_NO_CONN. */
static guint32
find_conn (const TlImport     *import,
           const KernelSocket *s)
{
  const TlTrace *trace = import->trace;

  for (guint32 i = 0; i < tl_trace_n_conns (trace); i++)
    {
      const TlTraceConn *c = tl_trace_conn (trace, i);

      if (addr_is (import, c->host, s->laddr) && c->local_port == s->lport
          && (c->listener ? s->rport == 0
                          : addr_is (import, 1 - c->host, s->raddr) && c->remote_port == s->rport))
        return i;
    }
  return TL_NO_CONN;
}

/* The kernel's state changes as TCP Lab names them: its full socket going
 * from CLOSING to CLOSED is the hand-over to a timewait socket in
 * TIME_WAIT, which the tracepoint does not see. */
static TlState
kernel_to (const KernelChange *c)
{
  if (c->to == TL_STATE_CLOSED && c->from == TL_STATE_CLOSING)
    return TL_STATE_TIME_WAIT;
  return c->to;
}

static void
assert_states_as_linux (const char *name)
{
  g_autofree char *path = capture_path (name);
  g_autoptr(GError) error = NULL;
  g_autoptr(TlCapture) capture = tl_capture_read (path, &error);
  g_autoptr(TlImport) import = NULL;
  g_autoptr(GPtrArray) sockets = NULL;
  gint64 ss_time_us = 0;
  int ss_syn_rcvd;
  guint n_conns = 0;

  ck_assert_msg (capture != NULL, "%s", error != NULL ? error->message : "");
  import = tl_import_new (capture, NULL, &error);
  ck_assert_msg (import != NULL, "%s", error != NULL ? error->message : "");
  sockets = read_kernel_states (name, &ss_time_us, &ss_syn_rcvd);

  for (guint k = 0; k < sockets->len; k++)
    {
      const KernelSocket *s = g_ptr_array_index (sockets, k);
      guint32 conn = find_conn (import, s);
      gboolean tw_checked = FALSE;
      guint j = 0;

      ck_assert_msg (conn != TL_NO_CONN, "%s: the kernel's socket %s:%u-%s:%u is not in the trace",
                     name, s->laddr, s->lport, s->raddr, s->rport);
      if (tl_trace_conn (import->trace, conn)->listener)
        continue;  /* listen() and close() of a listener are not on the wire */
      n_conns++;
      for (guint i = 0; i < tl_trace_n_records (import->trace); i++)
        {
          const TlRecord *r = tl_trace_record (import->trace, i);
          const KernelChange *kc;
          gint64 kernel_us;

          if (r->kind != TL_REC_STATE || r->conn != conn)
            continue;
          if (r->u.state.from == TL_STATE_TIME_WAIT)
            continue;  /* 60 s after the capture: the kernel's trace ended before */
          if (r->u.state.to == TL_STATE_TIME_WAIT)
            {
              /* ss saw the socket in TIME_WAIT first between two polls */
              ck_assert_msg (s->tw_seen_us >= 0, "%s: %s:%u: TIME_WAIT, but ss never saw it",
                             name, s->laddr, s->lport);
              ck_assert_msg (r->time_us >= s->tw_before_us + import->base_us - CLOCK_SLACK_US
                             && r->time_us <= s->tw_seen_us + import->base_us + CLOCK_SLACK_US,
                             "%s: %s:%u: TIME_WAIT at %" G_GINT64_FORMAT " us, ss between %"
                             G_GINT64_FORMAT " and %" G_GINT64_FORMAT, name, s->laddr, s->lport,
                             r->time_us, s->tw_before_us, s->tw_seen_us);
              tw_checked = TRUE;
              if (r->u.state.from == TL_STATE_FIN_WAIT_2)
                continue;  /* the tracepoint saw nothing here (see read_kernel_states) */
            }
          ck_assert_msg (j < s->changes->len, "%s: %s:%u: the import has more changes (%s -> %s)",
                         name, s->laddr, s->lport, tl_state_name (r->u.state.from),
                         tl_state_name (r->u.state.to));
          kc = &g_array_index (s->changes, KernelChange, j++);
          ck_assert_msg (r->u.state.to == kernel_to (kc),
                         "%s: %s:%u: change %u: the import says %s, Linux %s", name, s->laddr,
                         s->lport, j, tl_state_name (r->u.state.to),
                         tl_state_name (kernel_to (kc)));
          /* When: a request socket's SYN_RCVD is not traced (the kernel
           * reports the child it makes at the ACK), and what happened
           * before the first packet was not captured. */
          kernel_us = kc->time_us + import->base_us;
          if (kc->to != TL_STATE_SYN_RCVD && kc->time_us >= 0)
            ck_assert_msg (ABS (r->time_us - kernel_us) <= CLOCK_SLACK_US,
                           "%s: %s:%u: %s at %" G_GINT64_FORMAT " us, Linux at %" G_GINT64_FORMAT,
                           name, s->laddr, s->lport, tl_state_name (r->u.state.to), r->time_us,
                           kernel_us);
        }
      ck_assert_msg (j == s->changes->len, "%s: %s:%u: the import has %u changes, Linux %u",
                     name, s->laddr, s->lport, j, s->changes->len);
      ck_assert_msg (tw_checked == (s->tw_seen_us >= 0), "%s: %s:%u: ss saw TIME_WAIT, the import "
                     "did not", name, s->laddr, s->lport);
    }
  /* and no connection between the two hosts that Linux did not have (a
   * flood's half-open requests are no full sockets: ss counts them below) */
  for (guint32 i = 0; i < tl_trace_n_conns (import->trace); i++)
    {
      const TlTraceConn *c = tl_trace_conn (import->trace, i);

      n_conns -= !c->listener && c->remote_addr == tl_trace_host_addr (import->trace, 1 - c->host);
    }
  ck_assert_int_eq (n_conns, 0);

  if (ss_syn_rcvd >= 0)
    {
      TlWorld world;

      tl_world_init (&world);
      tl_trace_world_at (import->trace, ss_time_us + import->base_us, &world);
      ck_assert_int_eq (world.counts[1][TL_STATE_SYN_RCVD], ss_syn_rcvd);
      tl_world_clear (&world);
    }
}

START_TEST (test_client_first_close_as_linux)
{
  assert_states_as_linux ("client-first-close");
}
END_TEST

START_TEST (test_server_first_close_as_linux)
{
  assert_states_as_linux ("server-first-close");
}
END_TEST

START_TEST (test_simultaneous_close_as_linux)
{
  assert_states_as_linux ("simultaneous-close");
}
END_TEST

START_TEST (test_lost_fin_as_linux)
{
  assert_states_as_linux ("lost-fin");
}
END_TEST

START_TEST (test_refused_as_linux)
{
  assert_states_as_linux ("refused");
}
END_TEST

START_TEST (test_syn_flood_as_linux)
{
  assert_states_as_linux ("syn-flood");
}
END_TEST

START_TEST (test_ipv6_pcapng_as_linux)
{
  assert_states_as_linux ("handshake-ipv6");
}
END_TEST

/* The IPv6 capture's trace holds its IPv6 addresses (it held IPv4 only: the
 * hosts and every connection's ends were 0.0.0.0): the hosts', each
 * connection's local and remote address, as text for the views. */
START_TEST (test_ipv6_addresses_in_the_trace)
{
  g_autofree char *path = g_build_filename (TL_SOURCE_TESTS_DIR, "captures",
                                            "handshake-ipv6.pcapng", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TlCapture) capture = tl_capture_read (path, &error);
  g_autoptr(TlImport) import = NULL;
  const TlTrace *trace;
  char text[TL_ADDR_STRLEN];
  guint n_conns = 0;

  ck_assert_msg (capture != NULL, "%s", error ? error->message : "");
  import = tl_import_new (capture, NULL, &error);
  ck_assert_ptr_nonnull (import);
  trace = import->trace;
  ck_assert (tl_trace_is_v6 (trace));
  tl_trace_format_addr (trace, tl_trace_host_addr (trace, 0), text);
  ck_assert_str_eq (text, "fd18::1");
  tl_trace_format_addr (trace, tl_trace_host_addr (trace, 1), text);
  ck_assert_str_eq (text, "fd18::2");
  for (guint32 i = 0; i < tl_trace_n_conns (trace); i++)
    {
      const TlTraceConn *c = tl_trace_conn (trace, i);

      tl_trace_format_addr (trace, c->local_addr, text);
      ck_assert_str_eq (text, c->host == 0 ? "fd18::1" : "fd18::2");
      if (c->listener)
        continue;
      tl_trace_format_addr (trace, c->remote_addr, text);
      ck_assert_str_eq (text, c->host == 0 ? "fd18::2" : "fd18::1");
      n_conns++;
    }
  ck_assert_uint_eq (n_conns, 2);
  /* and no lesson can say it: refused, saying why */
  ck_assert (!tl_import_lesson_possible (import, &error));
  ck_assert_msg (strstr (error->message, "the hosts fd18::1 and fd18::2 are IPv6") != NULL, "%s",
                 error->message);
}
END_TEST

/* Both ways out keep an IPv6 capture's addresses: the JSON trace names
 * each record's connection's addresses, and the trace file (FILE.lesson.real)
 * writes them as IPv6 text and reads them back: written again, byte for
 * byte the same, and the same addresses.  (Both wrote them as IPv4 before:
 * "0.0.0.1".)  An IPv4 capture's too. */
static void
assert_addresses_round_trip (const char *name,
                             const char *addr0,
                             const char *addr1)
{
  g_autofree char *path = capture_path (name);
  g_autoptr(TlCapture) capture = tl_capture_read (path, NULL);
  g_autoptr(TlImport) import = tl_import_new (capture, NULL, NULL);
  g_autoptr(GString) file = g_string_new (NULL);
  g_autoptr(GString) again = g_string_new (NULL);
  g_autoptr(GString) json = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TlTrace) back = NULL;
  g_autofree char *local0 = g_strdup_printf ("\"kind\":\"state\",\"host\":0,\"conn\":1,"
                                             "\"local_addr\":\"%s\",\"remote_addr\":\"%s\"",
                                             addr0, addr1);
  g_autofree char *host0 = g_strdup_printf ("host \"client\" %s\n", addr0);
  TlTraceFileInfo info = { 0 };
  char text[TL_ADDR_STRLEN];

  tl_trace_write_json (import->trace, json);
  ck_assert_msg (strstr (json->str, local0) != NULL, "%s", json->str);

  tl_trace_file_write (import->trace, "0000000000000000000000000000000000000000000000000000000000000000",
                       name, file);
  ck_assert_msg (strstr (file->str, host0) != NULL, "%s", file->str);
  back = tl_trace_file_read (file->str, file->len, name, NULL, &info, &error);
  ck_assert_msg (back != NULL, "%s", error != NULL ? error->message : "");
  tl_trace_file_info_clear (&info);
  ck_assert (tl_trace_is_v6 (back) == tl_trace_is_v6 (import->trace));
  tl_trace_file_write (back, "0000000000000000000000000000000000000000000000000000000000000000",
                       name, again);
  ck_assert_str_eq (again->str, file->str);
  ck_assert_uint_eq (tl_trace_n_conns (back), tl_trace_n_conns (import->trace));
  for (guint32 i = 0; i < tl_trace_n_conns (back); i++)
    {
      const TlTraceConn *c = tl_trace_conn (back, i);

      tl_trace_format_addr (back, c->local_addr, text);
      ck_assert_str_eq (text, c->host == 0 ? addr0 : addr1);
      if (!c->listener)
        {
          tl_trace_format_addr (back, c->remote_addr, text);
          ck_assert_str_eq (text, c->host == 0 ? addr1 : addr0);
        }
    }
}

START_TEST (test_addresses_round_trip_json_and_trace_file)
{
  assert_addresses_round_trip ("handshake-ipv6", "fd18::1", "fd18::2");
  assert_addresses_round_trip ("client-first-close", "10.18.0.1", "10.18.0.2");
}
END_TEST

/* A trace file whose hosts mix the families is refused, FILE:LINE:COLUMN. */
START_TEST (test_trace_file_refuses_mixed_families)
{
  static const char text[] =
    "tcplab-trace 1\n"
    "lesson 0000000000000000000000000000000000000000000000000000000000000000\n"
    "origin \"\"\n"
    "host \"client\" fd18::1\n"
    "host \"server\" 10.0.0.2\n";
  g_autoptr(GError) error = NULL;
  TlTraceFileInfo info = { 0 };
  TlTrace *trace = tl_trace_file_read (text, strlen (text), "mixed.real", NULL, &info, &error);

  tl_trace_file_info_clear (&info);
  ck_assert_ptr_null (trace);
  ck_assert_msg (g_str_has_prefix (error->message, "mixed.real:5:"), "%s", error->message);
  ck_assert_msg (strstr (error->message, "must both be IPv4 or both IPv6") != NULL, "%s", error->message);
}
END_TEST

/* The state's flags at the trace's STATE record that enters `to` on host's
 * first connection. */
static guint8
flags_entering (const TlTrace *trace,
                guint          host,
                TlState        to)
{
  for (guint i = 0; i < tl_trace_n_records (trace); i++)
    {
      const TlRecord *r = tl_trace_record (trace, i);

      if (r->kind == TL_REC_STATE && r->host == host && r->u.state.to == to
          && !tl_trace_conn (trace, r->conn)->listener)
        return r->u.state.flags;
    }
  ck_abort_msg ("no change to %s on host %u", tl_state_name (to), host);
  return 0;
}

START_TEST (test_unconfirmed_states_are_inferred)
{
  g_autofree char *path = capture_path ("client-first-close");
  g_autoptr(TlCapture) capture = tl_capture_read (path, NULL);
  g_autoptr(TlImport) import = tl_import_new (capture, NULL, NULL);
  const TlTrace *trace = import->trace;

  /* the client sends nothing in FIN_WAIT_2; it ACKs the FIN in TIME_WAIT */
  ck_assert_int_eq (flags_entering (trace, 0, TL_STATE_FIN_WAIT_2), TL_STATE_FLAG_INFERRED);
  ck_assert_int_eq (flags_entering (trace, 0, TL_STATE_TIME_WAIT), 0);
  ck_assert_int_eq (flags_entering (trace, 0, TL_STATE_SYN_SENT), 0);
  /* the server ACKs the FIN in CLOSE_WAIT; its end after LAST_ACK no segment shows */
  ck_assert_int_eq (flags_entering (trace, 1, TL_STATE_CLOSE_WAIT), 0);
  ck_assert_int_eq (flags_entering (trace, 1, TL_STATE_CLOSED), TL_STATE_FLAG_INFERRED);
  ck_assert_int_eq (import->point, TL_CAPTURE_POINT_CLOSE);
}
END_TEST

/* NAME's capture imported with the hosts chosen, asserting it reads. */
static TlImport *
import_named (const char *name)
{
  g_autofree char *path = capture_path (name);
  g_autoptr(GError) error = NULL;
  g_autoptr(TlCapture) capture = tl_capture_read (path, &error);
  TlImport *import;

  ck_assert_msg (capture != NULL, "%s: %s", name, error ? error->message : "");
  import = tl_import_new (capture, NULL, &error);
  ck_assert_msg (import != NULL, "%s: %s", name, error ? error->message : "");
  /* the import keeps a pointer to its capture, which goes here */
  import->capture = NULL;
  return import;
}

/* Where the capture was taken, judged from the handshake's timings, on
 * real captures (tests/captures/make-capture-points): run-lesson's
 * forwarder delays 20 ms each way, and tcpdump captured in the client's
 * namespace, on the forwarder's side toward the client, on its side toward
 * the server and in the server's namespace.  The near host is within a
 * millisecond, the far one 20 ms away (one way). */
START_TEST (test_capture_point_judged_from_real_delays)
{
  const struct
  {
    const char     *name;
    TlCapturePoint  point;
    guint           far;     /* the host 20 ms away */
  } cases[] = {
    { "point-at-client", TL_CAPTURE_POINT_HOST0, 1 },
    { "point-at-link-client", TL_CAPTURE_POINT_HOST0, 1 },
    { "point-at-link-server", TL_CAPTURE_POINT_HOST1, 0 },
    { "point-at-server", TL_CAPTURE_POINT_HOST1, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TlImport) import = import_named (cases[i].name);
      g_autofree char *about = NULL;

      ck_assert_msg (import->point == cases[i].point, "%s: point %d", cases[i].name,
                     import->point);
      ck_assert_uint_eq (import->n_handshakes, 1);
      ck_assert_msg (import->delay_us[cases[i].far] >= 19000
                     && import->delay_us[cases[i].far] <= 23000, "%s: %" G_GINT64_FORMAT,
                     cases[i].name, import->delay_us[cases[i].far]);
      ck_assert_int_lt (import->delay_us[1 - cases[i].far], 1000);
      about = tl_import_describe (import);
      ck_assert_msg (strstr (about, cases[i].point == TL_CAPTURE_POINT_HOST0
                                    ? "Captured at the client" : "Captured at the server") != NULL,
                     "%s", about);
    }
}
END_TEST

/* A capture on the link between the hosts (make-capture-points' own
 * forwarder: 10 ms to the client, 20 ms to the server): the import says
 * so, measures both delays, and infers the states Linux was in, as its
 * tracepoint recorded them during the capture (point-middle.states). */
START_TEST (test_capture_point_between_the_hosts_as_linux)
{
  g_autoptr(TlImport) import = import_named ("point-middle");
  g_autofree char *about = NULL;

  ck_assert_int_eq (import->point, TL_CAPTURE_POINT_MIDDLE);
  ck_assert_uint_eq (import->n_handshakes, 1);
  ck_assert_msg (import->delay_us[0] >= 9500 && import->delay_us[0] <= 12000,
                 "to the client: %" G_GINT64_FORMAT, import->delay_us[0]);
  ck_assert_msg (import->delay_us[1] >= 19500 && import->delay_us[1] <= 22000,
                 "to the server: %" G_GINT64_FORMAT, import->delay_us[1]);
  about = tl_import_describe (import);
  ck_assert_msg (strstr (about, "Captured between the hosts") != NULL, "%s", about);
  assert_states_as_linux ("point-middle");
}
END_TEST

/* A capture joined after the handshake: both ends start ESTABLISHED, joined. */
START_TEST (test_joined_midway_starts_established)
{
  g_autofree char *path = capture_path ("client-first-close");
  g_autoptr(TlCapture) capture = tl_capture_read (path, NULL);
  g_autoptr(TlImport) import = NULL;

  g_array_remove_range (capture->packets, 0, 3);      /* SYN, SYN,ACK, ACK */
  import = tl_import_new (capture, NULL, NULL);
  ck_assert_int_eq (import->n_joined, 2);
  for (guint h = 0; h < 2; h++)
    {
      ck_assert (flags_entering (import->trace, h, TL_STATE_ESTABLISHED) & TL_STATE_FLAG_JOINED);
    }
  ck_assert_int_eq (import->point, TL_CAPTURE_POINT_UNKNOWN);
}
END_TEST

/* RFC 7323: the window field of a segment after the SYNs counts units of
 * 2^shift, the shift its sender's SYN announced, when both SYNs carried the
 * option; a SYN's window is never scaled (section 2.2).  Linux (6.18)
 * announces 10, so the client's ACK with the field 63 offers 64512 bytes. */
START_TEST (test_windows_scaled_as_the_kernel_does)
{
  g_autofree char *path = capture_path ("client-first-close");
  g_autoptr(TlCapture) capture = tl_capture_read (path, NULL);
  g_autoptr(TlImport) import = tl_import_new (capture, NULL, NULL);
  const TlTrace *trace = import->trace;
  guint n_scaled = 0, n_syn = 0;

  for (guint i = 0; i < tl_trace_n_records (trace); i++)
    {
      const TlRecord *r = tl_trace_record (trace, i);
      const TlImportSeg *s;
      const TlPacket *p;
      TlSegmentOptions o;

      if (r->kind != TL_REC_SEGMENT)
        continue;
      s = &g_array_index (import->segs, TlImportSeg, r->u.seg.id);
      p = &g_array_index (capture->packets, TlPacket, s->pkt);
      ck_assert (tl_trace_segment_options (trace, r, &o));
      if (p->flags & TL_FLAG_SYN)
        {
          n_syn++;
          ck_assert_uint_eq (tl_trace_segment_window (trace, r), p->win);
          ck_assert_uint_eq (o.bits, TL_OPT_SACK_PERM | TL_OPT_TS | TL_OPT_WSCALE);
          ck_assert_uint_eq (o.wscale, 10);
        }
      else
        {
          n_scaled++;
          ck_assert_uint_eq (tl_trace_segment_window (trace, r), (guint32) p->win << 10);
          ck_assert_uint_eq (o.bits, TL_OPT_TS);
        }
      /* TSval: the SYN's offset plus the send time in ms, as captured */
      ck_assert_uint_eq (o.tsval, p->tsval);
      ck_assert_uint_eq (o.tsecr, p->tsecr);
    }
  ck_assert_uint_eq (n_syn, 2);
  ck_assert_uint_ge (n_scaled, 5);
}
END_TEST

/* Joined midway, no SYN says a scale: the windows stay as their fields. */
START_TEST (test_joined_windows_stay_unscaled)
{
  g_autofree char *path = capture_path ("client-first-close");
  g_autoptr(TlCapture) capture = tl_capture_read (path, NULL);
  g_autoptr(TlImport) import = NULL;
  guint n = 0;

  g_array_remove_range (capture->packets, 0, 3);      /* SYN, SYN,ACK, ACK */
  import = tl_import_new (capture, NULL, NULL);
  for (guint i = 0; i < tl_trace_n_records (import->trace); i++)
    {
      const TlRecord *r = tl_trace_record (import->trace, i);

      if (r->kind != TL_REC_SEGMENT)
        continue;
      n++;
      ck_assert_uint_eq (tl_trace_segment_window (import->trace, r),
                         tl_trace_segment (import->trace, r->u.seg.id)->win);
    }
  ck_assert_uint_ge (n, 4);
}
END_TEST

/* ------------------------------------------------------------ link types */

/* Writes the IP packets of an Ethernet capture again under another link
 * header, with libpcap's own writer. */
static char *
rewrap (const char   *src,
        int           dlt,
        const guint8 *header,
        gsize         header_len,
        gboolean      family_header)
{
  char errbuf[PCAP_ERRBUF_SIZE];
  pcap_t *in = pcap_open_offline (src, errbuf);
  pcap_t *dead = pcap_open_dead (dlt, 65535);
  g_autofree char *dir = g_dir_make_tmp ("tl-capture-XXXXXX", NULL);
  char *out = g_build_filename (dir, "rewrapped.pcap", NULL);
  pcap_dumper_t *dumper = pcap_dump_open (dead, out);
  struct pcap_pkthdr *hdr;
  const u_char *data;

  ck_assert (in != NULL && dumper != NULL);
  while (pcap_next_ex (in, &hdr, &data) == 1)
    {
      struct pcap_pkthdr h = *hdr;
      g_autofree guint8 *buf = g_malloc (hdr->caplen + header_len);
      guint16 ethertype = (data[12] << 8) | data[13];

      memcpy (buf, header, header_len);
      if (family_header)   /* DLT_NULL: host order; DLT_LOOP: network order */
        {
          guint32 af = ethertype == 0x86dd ? 24 : 2;

          if (dlt == DLT_LOOP)
            af = GUINT32_TO_BE (af);
          memcpy (buf, &af, 4);
        }
      else if (dlt == DLT_LINUX_SLL)
        {
          buf[14] = data[12];
          buf[15] = data[13];
        }
      else if (dlt == 276)
        {
          buf[0] = data[12];
          buf[1] = data[13];
        }
      memcpy (buf + header_len, data + 14, hdr->caplen - 14);
      h.caplen = hdr->caplen - 14 + header_len;
      h.len = hdr->len - 14 + header_len;
      pcap_dump ((u_char *) dumper, &h, buf);
    }
  pcap_dump_close (dumper);
  pcap_close (dead);
  pcap_close (in);
  return out;
}

static void
assert_same_segments (const TlCapture *a,
                      const TlCapture *b)
{
  ck_assert_uint_eq (a->packets->len, b->packets->len);
  for (guint i = 0; i < a->packets->len; i++)
    ck_assert (memcmp (&g_array_index (a->packets, TlPacket, i),
                       &g_array_index (b->packets, TlPacket, i), sizeof (TlPacket)) == 0);
}

START_TEST (test_every_link_type_reads_the_same_segments)
{
  static const guint8 zeros[20] = { 0 };
  static const guint8 vlan[18] = { 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2, 0x81, 0x00, 0, 7, 0x08, 0x00 };
  struct { int dlt; const guint8 *header; gsize len; gboolean family; } kinds[] = {
    { DLT_LINUX_SLL, zeros, 16, FALSE },
    { 276 /* LINUX_SLL2 */, zeros, 20, FALSE },
    { DLT_RAW, zeros, 0, FALSE },
    { DLT_NULL, zeros, 4, TRUE },
    { DLT_LOOP, zeros, 4, TRUE },
    { DLT_EN10MB, vlan, 18, FALSE },
  };
  g_autofree char *path = capture_path ("server-first-close");
  g_autoptr(TlCapture) ethernet = tl_capture_read (path, NULL);

  ck_assert (ethernet != NULL);
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autofree char *out = rewrap (path, kinds[k].dlt, kinds[k].header, kinds[k].len,
                                     kinds[k].family);
      g_autoptr(GError) error = NULL;
      g_autoptr(TlCapture) other = tl_capture_read (out, &error);
      g_autofree char *dir = g_path_get_dirname (out);

      ck_assert_msg (other != NULL, "link type %d: %s", kinds[k].dlt, error->message);
      ck_assert_int_eq (other->link_type, kinds[k].dlt);
      assert_same_segments (ethernet, other);
      g_unlink (out);
      g_rmdir (dir);
    }
}
END_TEST

/* client-first-close was captured with tcpdump -s 96: every segment's
 * length comes from its IP header, not from the bytes kept. */
START_TEST (test_snap_length_keeps_segment_lengths)
{
  g_autofree char *path = capture_path ("client-first-close");
  g_autoptr(TlCapture) capture = tl_capture_read (path, NULL);
  guint32 data = 0;

  for (guint i = 0; i < capture->packets->len; i++)
    data += g_array_index (capture->packets, TlPacket, i).len;
  ck_assert_uint_eq (data, 5);      /* "hello" */
  ck_assert_uint_eq (capture->n_skipped, 0);
}
END_TEST

Suite *
capture_suite (void)
{
  Suite *s = suite_create ("capture");
  TCase *tc = tcase_create ("capture");

  tcase_add_test (tc, test_client_first_close_as_linux);
  tcase_add_test (tc, test_server_first_close_as_linux);
  tcase_add_test (tc, test_simultaneous_close_as_linux);
  tcase_add_test (tc, test_lost_fin_as_linux);
  tcase_add_test (tc, test_refused_as_linux);
  tcase_add_test (tc, test_syn_flood_as_linux);
  tcase_add_test (tc, test_ipv6_pcapng_as_linux);
  tcase_add_test (tc, test_ipv6_addresses_in_the_trace);
  tcase_add_test (tc, test_capture_point_judged_from_real_delays);
  tcase_add_test (tc, test_capture_point_between_the_hosts_as_linux);
  tcase_add_test (tc, test_unconfirmed_states_are_inferred);
  tcase_add_test (tc, test_windows_scaled_as_the_kernel_does);
  tcase_add_test (tc, test_addresses_round_trip_json_and_trace_file);
  tcase_add_test (tc, test_trace_file_refuses_mixed_families);
  tcase_add_test (tc, test_joined_windows_stay_unscaled);
  tcase_add_test (tc, test_joined_midway_starts_established);
  tcase_add_test (tc, test_every_link_type_reads_the_same_segments);
  tcase_add_test (tc, test_snap_length_keeps_segment_lengths);
  suite_add_tcase (s, tc);
  return s;
}
