/* test-sockdiag.c: this machine's table as diagnose/tl-sockdiag.c reads it
 * from the kernel: sockets the test opens on the loopback (a listener, a
 * connection before and after accept(), each side of a close) appear with
 * their ports, queues, states and owner.  Where the kernel has no sock_diag
 * (not Linux, or a sandbox without NETLINK_SOCK_DIAG) the program exits 77,
 * meson's SKIP. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "tl-sockdiag.h"

/* How long the loopback may take to move a connection to its next state. */
#define SETTLE_US (2 * G_USEC_PER_SEC)

/* A listener on 127.0.0.1 (or ::1) at a port the kernel picks. */
static int
listen_on (int       family,
           int       backlog,
           guint16  *port)
{
  struct sockaddr_storage ss = { 0 };
  socklen_t len;
  int fd = socket (family, SOCK_STREAM | SOCK_CLOEXEC, 0);

  ck_assert_int_ge (fd, 0);
  if (family == AF_INET)
    {
      struct sockaddr_in *sin = (struct sockaddr_in *) &ss;

      sin->sin_family = AF_INET;
      sin->sin_addr.s_addr = htonl (INADDR_LOOPBACK);
      len = sizeof *sin;
    }
  else
    {
      struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *) &ss;

      sin6->sin6_family = AF_INET6;
      sin6->sin6_addr = in6addr_loopback;
      len = sizeof *sin6;
    }
  if (bind (fd, (struct sockaddr *) &ss, len) != 0)
    {
      close (fd);
      return -1;
    }
  ck_assert_int_eq (listen (fd, backlog), 0);
  ck_assert_int_eq (getsockname (fd, (struct sockaddr *) &ss, &len), 0);
  *port = ntohs (family == AF_INET ? ((struct sockaddr_in *) &ss)->sin_port
                                   : ((struct sockaddr_in6 *) &ss)->sin6_port);
  return fd;
}

static int
connect_to (guint16  port,
            guint16 *local_port)
{
  struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons (port),
                             .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t len = sizeof sin;
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  ck_assert_int_ge (fd, 0);
  ck_assert_int_eq (connect (fd, (struct sockaddr *) &sin, sizeof sin), 0);
  ck_assert_int_eq (getsockname (fd, (struct sockaddr *) &sin, &len), 0);
  *local_port = ntohs (sin.sin_port);
  return fd;
}

static TlSockTable *
read_table (gboolean with_processes)
{
  g_autoptr(GError) error = NULL;
  TlSockTable *table = tl_sockdiag_read (with_processes, &error);

  ck_assert_msg (table != NULL, "%s", error != NULL ? error->message : "");
  ck_assert_int_eq (table->format, TL_SOCK_FORMAT_KERNEL);
  ck_assert (table->has_timers);
  return table;
}

/* The entry with these ports (peer_port 0: a listener's "*"), or NULL. */
static const TlSockEntry *
find (const TlSockTable *table,
      guint16            local_port,
      guint16            peer_port)
{
  for (guint i = 0; i < table->entries->len; i++)
    {
      const TlSockEntry *e = &g_array_index (table->entries, TlSockEntry, i);

      if (e->local.port == local_port && e->peer.port == peer_port)
        return e;
    }
  return NULL;
}

/* Reads the table until the socket with these ports is in state, for at most
 * SETTLE_US: the loopback's segments cross in softirq, soon but not at once. */
static TlSockTable *
read_until (guint16 local_port,
            guint16 peer_port,
            TlState state)
{
  gint64 deadline = g_get_monotonic_time () + SETTLE_US;

  for (;;)
    {
      TlSockTable *table = read_table (FALSE);
      const TlSockEntry *e = find (table, local_port, peer_port);

      if ((e != NULL && e->state == state) || g_get_monotonic_time () > deadline)
        return table;
      tl_socktable_free (table);
      g_usleep (10000);
    }
}

START_TEST (test_listener_shows_its_port_backlog_and_queue)
{
  guint16 port, client_port;
  int listener = listen_on (AF_INET, 7, &port);
  int client;
  g_autoptr(TlSockTable) before = NULL;
  g_autoptr(TlSockTable) after = NULL;
  const TlSockEntry *e;

  ck_assert_int_ge (listener, 0);
  before = read_table (FALSE);
  e = find (before, port, 0);
  ck_assert_ptr_nonnull (e);
  ck_assert_int_eq (e->state, TL_STATE_LISTEN);
  ck_assert_str_eq (e->local.addr, "127.0.0.1");
  ck_assert_str_eq (e->peer.addr, "0.0.0.0");
  ck_assert_uint_eq (e->send_q, 7);   /* a listener's Send-Q is its backlog, as ss shows */
  ck_assert_uint_eq (e->recv_q, 0);
  ck_assert_uint_eq (e->line, 0);

  /* A connection not yet accepted waits in the accept queue: Recv-Q 1. */
  client = connect_to (port, &client_port);
  after = read_until (port, client_port, TL_STATE_ESTABLISHED);
  e = find (after, port, 0);
  ck_assert_ptr_nonnull (e);
  ck_assert_uint_eq (e->recv_q, 1);
  e = find (after, port, client_port);
  ck_assert_ptr_nonnull (e);
  ck_assert_int_eq (e->state, TL_STATE_ESTABLISHED);
  e = find (after, client_port, port);
  ck_assert_ptr_nonnull (e);
  ck_assert_int_eq (e->state, TL_STATE_ESTABLISHED);
  ck_assert_str_eq (e->peer.addr, "127.0.0.1");
  close (client);
  close (listener);
}
END_TEST

START_TEST (test_close_shows_each_side_state)
{
  guint16 port, client_port;
  int listener = listen_on (AF_INET, 8, &port);
  int client = connect_to (port, &client_port);
  int server = accept (listener, NULL, NULL);
  g_autoptr(TlSockTable) half = NULL;
  g_autoptr(TlSockTable) acked = NULL;
  g_autoptr(TlSockTable) closed = NULL;
  const TlSockEntry *e;

  ck_assert_int_ge (server, 0);
  /* The client closes first: it waits in FIN_WAIT_2, the server, whose
   * application has not closed, in CLOSE_WAIT (RFC 9293 3.6). */
  close (client);
  half = read_until (port, client_port, TL_STATE_CLOSE_WAIT);
  e = find (half, port, client_port);
  ck_assert_ptr_nonnull (e);
  ck_assert_int_eq (e->state, TL_STATE_CLOSE_WAIT);
  /* the FIN's ACK reaches the client a moment after the FIN the server */
  acked = read_until (client_port, port, TL_STATE_FIN_WAIT_2);
  e = find (acked, client_port, port);
  ck_assert_ptr_nonnull (e);
  ck_assert_int_eq (e->state, TL_STATE_FIN_WAIT_2);

  /* Then the server closes: the side that closed first keeps TIME_WAIT,
   * with its timer. */
  close (server);
  closed = read_until (client_port, port, TL_STATE_TIME_WAIT);
  e = find (closed, client_port, port);
  ck_assert_ptr_nonnull (e);
  ck_assert_int_eq (e->state, TL_STATE_TIME_WAIT);
  ck_assert_int_eq (e->timer, TL_SOCK_TIMER_TIMEWAIT);
  ck_assert_uint_gt (e->timer_ms, 0);
  ck_assert_uint_le (e->timer_ms, 60000);
  close (listener);
}
END_TEST

START_TEST (test_ipv6_listener_reads)
{
  guint16 port;
  int listener = listen_on (AF_INET6, 4, &port);
  g_autoptr(TlSockTable) table = NULL;
  const TlSockEntry *e;

  if (listener < 0)
    {
      /* No ::1 here (IPv6 disabled): nothing to show, and that is right. */
      ck_assert_int_eq (errno, EADDRNOTAVAIL);
      return;
    }
  table = read_table (FALSE);
  e = find (table, port, 0);
  ck_assert_ptr_nonnull (e);
  ck_assert_int_eq (e->state, TL_STATE_LISTEN);
  ck_assert_str_eq (e->local.addr, "::1");
  ck_assert_str_eq (e->peer.addr, "::");
  close (listener);
}
END_TEST

START_TEST (test_processes_name_this_program)
{
  guint16 port;
  int listener = listen_on (AF_INET, 3, &port);
  g_autoptr(TlSockTable) named = NULL;
  g_autoptr(TlSockTable) unnamed = NULL;
  g_autofree char *comm = NULL;
  const TlSockEntry *e;

  ck_assert (g_file_get_contents ("/proc/self/comm", &comm, NULL, NULL));
  g_strchomp (comm);
  named = read_table (TRUE);
  ck_assert (named->has_processes);
  e = find (named, port, 0);
  ck_assert_ptr_nonnull (e);
  ck_assert_ptr_nonnull (e->process);
  ck_assert_str_eq (e->process, comm);
  ck_assert_uint_eq (e->pid, (guint) getpid ());

  unnamed = read_table (FALSE);
  ck_assert (!unnamed->has_processes);
  e = find (unnamed, port, 0);
  ck_assert_ptr_nonnull (e);
  ck_assert_ptr_null (e->process);
  ck_assert_uint_eq (e->pid, 0);
  close (listener);
}
END_TEST

Suite *
sockdiag_suite (void)
{
  Suite *s = suite_create ("sockdiag");
  TCase *tc = tcase_create ("kernel");
  g_autoptr(GError) error = NULL;
  g_autoptr(TlSockTable) probe = tl_sockdiag_read (FALSE, &error);

  if (probe == NULL && g_error_matches (error, TL_SOCKDIAG_ERROR, TL_SOCKDIAG_ERROR_UNSUPPORTED))
    {
      printf ("SKIP: no sock_diag here (%s)\n", error->message);
      exit (77);
    }
  tcase_set_timeout (tc, 30);
  tcase_add_test (tc, test_listener_shows_its_port_backlog_and_queue);
  tcase_add_test (tc, test_close_shows_each_side_state);
  tcase_add_test (tc, test_ipv6_listener_reads);
  tcase_add_test (tc, test_processes_name_this_program);
  suite_add_tcase (s, tc);
  return s;
}
