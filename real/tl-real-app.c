/* tl-real-app.c: the two programs, real sockets in their hosts'
 * namespaces driven by the lesson's statements (listen, connect from a
 * port, accept, send, read, close, shutdown, abort as SO_LINGER 0), with
 * what they see by themselves (autoaccept, autoread, connect() completing,
 * errors) recorded as the simulator records it.  A lesson's name of a
 * connection (HOST#N) is resolved on the trace so far. */
#include "tl-config.h"

#include "tl-real-run.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <linux/net_tstamp.h>
#include <linux/sock_diag.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tl-pcap.h"

/* ------------------------------------------------------------ programs */

static TlError
error_of (int e)
{
  switch (e)
    {
    case ECONNREFUSED:
      return TL_ERR_ECONNREFUSED;
    case ECONNRESET:
      return TL_ERR_ECONNRESET;
    case ETIMEDOUT:
      return TL_ERR_ETIMEDOUT;
    case EPIPE:
      return TL_ERR_EPIPE;
    case EADDRNOTAVAIL:
      return TL_ERR_EADDRNOTAVAIL;
    case EADDRINUSE:
      return TL_ERR_EADDRINUSE;
    case ENOTCONN:
      return TL_ERR_ENOTCONN;
    default:
      return TL_ERR_NONE;
    }
}

void
tl_real_app_record (TlRealRun           *run,
                    guint                h,
                    TlCall               call,
                    TlError              error,
                    guint64              value,
                    const TlRealAppSock *s)
{
  TlRealAppEv e = { 0 };

  e.t = tl_real_now_us (run);
  e.host = h;
  e.call = call;
  e.error = error;
  e.value = value;
  e.stmt = run->cur_stmt;
  if (s != NULL)
    {
      e.lport = s->lport;
      e.raddr = s->raddr;
      e.rport = s->rport;
    }
  g_array_append_val (run->log.apps, e);
}

static void
sock_options (const TlSettings *set,
              int               fd)
{
  int one = 1;

  setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  /* The simulator's linux profile models CUBIC, Linux's usual default
   * (tcp_cubic.c).  A kernel built with another default (this project's
   * machine: CONFIG_DEFAULT_TCP_CONG="bbr", which the hosts' namespaces
   * inherit, and which a namespace may not change to one outside
   * tcp_allowed_congestion_control) is asked for it on every socket; a
   * listener's children keep their listener's. */
  setsockopt (fd, IPPROTO_TCP, TCP_CONGESTION, "cubic", strlen ("cubic"));
  if (set->keepalive)
    {
      int idle = (int) (set->keepalive_idle_us / TL_USEC_PER_SEC);
      int intvl = (int) (set->keepalive_interval_us / TL_USEC_PER_SEC);
      int cnt = (int) set->keepalive_probes;

      setsockopt (fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
      setsockopt (fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
      setsockopt (fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof intvl);
      setsockopt (fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof cnt);
    }
  if (set->nodelay)
    setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (set->mss != 1460)
    {
      int mss = (int) set->mss;

      setsockopt (fd, IPPROTO_TCP, TCP_MAXSEG, &mss, sizeof mss);
    }
}

short
tl_real_app_wants (const TlRealRun     *run,
                   guint                h,
                   const TlRealAppSock *s)
{
  const TlSettings *set = &run->host[h].settings;

  switch (s->kind)
    {
    case TL_REAL_SOCK_LISTENER:
      return set->autoaccept ? POLLIN : 0;
    case TL_REAL_SOCK_CONNECTING:
      return POLLOUT;
    case TL_REAL_SOCK_CONN:
      return (set->autoread && !s->eof ? POLLIN : 0) | (s->pending > 0 ? POLLOUT : 0);
    }
  return 0;
}

/* epoll, not poll() over every socket each turn: a lesson may hold 56,000
 * of them (sweep/port-exhaustion.lesson), and a turn comes every
 * millisecond.  POLLIN, POLLOUT, POLLERR and POLLHUP are epoll's values. */
void
tl_real_app_watch (TlRealRun     *run,
                   guint          h,
                   TlRealAppSock *s)
{
  guint i = (guint) (s - (TlRealAppSock *) (void *) run->host[h].socks->data);
  struct epoll_event e = { 0 };

  if (s->dead || s->fd < 0 || s->hup)
    {
      if (s->watched && s->fd >= 0)
        epoll_ctl (run->epfd, EPOLL_CTL_DEL, s->fd, NULL);
      s->watched = FALSE;
      /* POLLHUP comes at once from now on: asked only at the polls */
      if (s->hup && !s->dead && s->fd >= 0 && !s->hup_listed)
        {
          g_array_append_val (run->host[h].hups, i);
          s->hup_listed = TRUE;
        }
      return;
    }
  e.events = (guint32) tl_real_app_wants (run, h, s);
  e.data.u64 = (guint64) h << 32 | i;
  if (!s->watched)
    s->watched = epoll_ctl (run->epfd, EPOLL_CTL_ADD, s->fd, &e) == 0;
  else if (e.events != s->events)
    epoll_ctl (run->epfd, EPOLL_CTL_MOD, s->fd, &e);
  s->events = e.events;
}

static TlRealAppSock *
sock_add (TlRealRun           *run,
          guint                h,
          const TlRealAppSock *s)
{
  GArray *socks = run->host[h].socks;
  guint i = socks->len;

  g_array_append_val (socks, *s);
  if (s->kind == TL_REAL_SOCK_LISTENER)
    g_array_append_val (run->host[h].listeners, i);
  tl_real_app_watch (run, h, &g_array_index (socks, TlRealAppSock, i));
  return &g_array_index (socks, TlRealAppSock, i);
}

static void
sock_tuple (TlRealRun     *run,
            TlRealAppSock *s)
{
  struct sockaddr_in a = { 0 };
  socklen_t len = sizeof a;

  if (getsockname (s->fd, (struct sockaddr *) &a, &len) == 0)
    s->lport = g_ntohs (a.sin_port);
  len = sizeof a;
  if (getpeername (s->fd, (struct sockaddr *) &a, &len) == 0)
    {
      s->raddr = tl_real_lesson_addr (run, g_ntohl (a.sin_addr.s_addr));
      s->rport = g_ntohs (a.sin_port);
    }
}

void
tl_real_app_listen (TlRealRun    *run,
                    guint         h,
                    const TlStmt *st)
{
  const TlSettings *set = &run->host[h].settings;
  TlRealAppSock s = { 0 };
  struct sockaddr_in a = { 0 };
  int fd = tl_real_net_socket (&run->net, h, AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

  if (fd < 0)
    return;
  sock_options (set, fd);
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = g_htonl (run->addr[h]);
  a.sin_port = g_htons (st->u.listen.port);
  if (bind (fd, (struct sockaddr *) &a, sizeof a) != 0 || listen (fd, (int) set->backlog) != 0)
    {
      tl_real_app_record (run, h, TL_CALL_LISTEN, error_of (errno), st->u.listen.port, NULL);
      close (fd);
      return;
    }
  s.fd = fd;
  s.kind = TL_REAL_SOCK_LISTENER;
  s.lport = st->u.listen.port;
  tl_real_app_record (run, h, TL_CALL_LISTEN, TL_ERR_NONE, st->u.listen.port, sock_add (run, h, &s));
}

TlRealAppSock *
tl_real_app_listener (TlRealRun *run,
                      guint      h,
                      guint16    port)
{
  TlRealAppSock *found = NULL;

  for (guint j = 0; j < run->host[h].listeners->len; j++)
    {
      TlRealAppSock *s = &g_array_index (run->host[h].socks, TlRealAppSock,
                                         g_array_index (run->host[h].listeners, guint, j));

      if (s->kind == TL_REAL_SOCK_LISTENER && !s->dead && (port == 0 || s->lport == port))
        found = s;
    }
  return found;
}

void
tl_real_app_close (TlRealAppSock *s)
{
  if (s->fd >= 0)
    close (s->fd);   /* out of the epoll set with it */
  s->fd = -1;
  s->dead = TRUE;
  s->watched = FALSE;
}

/* accept() once on l; TRUE if it took a connection. */
gboolean
tl_real_app_accept (TlRealRun *run,
                    guint      h,
                    guint16    port,
                    TlCall     call)
{
  TlRealAppSock *l = tl_real_app_listener (run, h, port);
  TlRealAppSock s = { 0 };
  guint16 lport;
  int fd;

  if (l == NULL)
    return FALSE;
  lport = l->lport;
  fd = accept4 (l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (fd < 0)
    {
      if (call == TL_CALL_ACCEPT)
        tl_real_app_record (run, h, call, TL_ERR_NONE, port, NULL);
      return FALSE;
    }
  sock_options (&run->host[h].settings, fd);
  s.fd = fd;
  s.kind = TL_REAL_SOCK_CONN;
  sock_tuple (run, &s);
  tl_real_app_record (run, h, call, TL_ERR_NONE, lport, sock_add (run, h, &s));
  return TRUE;
}

void
tl_real_app_connect (TlRealRun    *run,
                     guint         h,
                     const TlStmt *st)
{
  TlRealAppSock s = { 0 };
  struct sockaddr_in a = { 0 };
  int fd = tl_real_net_socket (&run->net, h, AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  int r;

  if (fd < 0)
    return;
  sock_options (&run->host[h].settings, fd);
  if (st->u.connect.from_port != 0)
    {
      a.sin_family = AF_INET;
      a.sin_addr.s_addr = g_htonl (run->addr[h]);
      a.sin_port = g_htons (st->u.connect.from_port);
      if (bind (fd, (struct sockaddr *) &a, sizeof a) != 0)
        {
          tl_real_app_record (run, h, TL_CALL_CONNECT, error_of (errno), st->u.connect.port, NULL);
          close (fd);
          return;
        }
    }
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = g_htonl (run->addr[st->u.connect.peer]);
  a.sin_port = g_htons (st->u.connect.port);
  r = connect (fd, (struct sockaddr *) &a, sizeof a);
  if (r != 0 && errno != EINPROGRESS)
    {
      tl_real_app_record (run, h, TL_CALL_CONNECT, error_of (errno), st->u.connect.port, NULL);
      close (fd);
      return;
    }
  s.fd = fd;
  s.kind = r == 0 ? TL_REAL_SOCK_CONN : TL_REAL_SOCK_CONNECTING;
  sock_tuple (run, &s);
  s.raddr = run->sc->hosts[st->u.connect.peer].addr;
  s.rport = st->u.connect.port;
  tl_real_app_record (run, h, TL_CALL_CONNECT, TL_ERR_NONE, st->u.connect.port, sock_add (run, h, &s));
}


/* The program's socket for a lesson's name of a connection, by the
 * numbering of the trace so far. */
static TlRealAppSock *
resolve (TlRealRun    *run,
         const TlStmt *st)
{
  GArray *socks = run->host[st->conn.host].socks;
  guint16 lport, rport;
  guint32 raddr;

  /* The poll first, then the state changes up to after it.  A connection
   * no poll has seen yet (they come further apart with thousands of
   * sockets, or after the loop was held up) is looked for at once, as a
   * program knows its sockets. */
  for (TlRealPollWhen when = TL_REAL_POLL_IF_CHEAP;; when = TL_REAL_POLL_NOW)
    {
      tl_real_poll_due (run, st->conn.host, when);
      tl_real_tracefs_read (run);
      tl_real_log_settle (&run->log);
      tl_real_conns_update (&run->conns, run->sc, &run->log);
      if (tl_real_conns_find (run->conns, st->conn.host, st->conn.ordinal, tl_real_now_us (run),
                              &lport, &raddr, &rport))
        break;
      if (when == TL_REAL_POLL_NOW)
        return NULL;
    }
  for (guint i = socks->len; i-- > 0;)
    {
      TlRealAppSock *s = &g_array_index (socks, TlRealAppSock, i);

      if (s->kind != TL_REAL_SOCK_LISTENER && s->lport == lport && s->raddr == raddr && s->rport == rport)
        return s;
    }
  /* Made by the kernel, not yet taken by the program (autoaccept off):
   * take it now from its listener's queue, as a program would. */
  return NULL;
}

static void
flush (TlRealRun     *run,
       guint          h,
       TlRealAppSock *s)
{
  static const char zeros[16384];

  while (s->pending > 0 && !s->dead)
    {
      ssize_t n = send (s->fd, zeros, MIN (s->pending, sizeof zeros), MSG_DONTWAIT | MSG_NOSIGNAL);

      if (n < 0)
        {
          if (errno != EAGAIN)
            {
              tl_real_app_record (run, h, TL_CALL_ERROR, error_of (errno), 0, s);
              s->pending = 0;
            }
          return;
        }
      s->pending -= (guint64) n;
    }
}

static void
read_some (TlRealRun     *run,
           guint          h,
           TlRealAppSock *s,
           guint64        want,
           TlCall         call)
{
  char buf[16384];
  guint64 got = 0;

  while (!s->eof && !s->dead && (want == 0 || got < want))
    {
      ssize_t n = recv (s->fd, buf, want == 0 ? sizeof buf : MIN (sizeof buf, want - got), MSG_DONTWAIT);

      if (n == 0)
        {
          if (call == TL_CALL_RECEIVED && got > 0)
            tl_real_app_record (run, h, call, TL_ERR_NONE, got, s);
          s->eof = TRUE;
          tl_real_app_record (run, h, TL_CALL_EOF, TL_ERR_NONE, 0, s);
          if (call == TL_CALL_READ)
            tl_real_app_record (run, h, call, TL_ERR_NONE, got, s);
          return;
        }
      if (n < 0)
        {
          if (errno != EAGAIN)
            {
              tl_real_app_record (run, h, TL_CALL_ERROR, error_of (errno), 0, s);
              s->dead = TRUE;
            }
          break;
        }
      got += (guint64) n;
    }
  if (call == TL_CALL_READ || got > 0)
    tl_real_app_record (run, h, call, TL_ERR_NONE, got, s);
}

static TlRealAppSock *
conn_stmt (TlRealRun    *run,
           const TlStmt *st)
{
  guint h = st->conn.host;
  TlRealAppSock *s = resolve (run, st);
  static const TlCall calls[] = {
    [TL_STMT_SEND] = TL_CALL_SEND, [TL_STMT_READ] = TL_CALL_READ, [TL_STMT_CLOSE] = TL_CALL_CLOSE,
    [TL_STMT_SHUTDOWN] = TL_CALL_SHUTDOWN, [TL_STMT_ABORT] = TL_CALL_ABORT,
  };
  TlCall call = calls[st->kind];

  if (st->kind == TL_STMT_SHUTDOWN && s != NULL && s->fd >= 0)
    {
      /* Also on a socket whose connection is over (reset, timed out, in
       * TIME_WAIT): the kernel says ENOTCONN there, as the simulator does. */
      TlError error = shutdown (s->fd, SHUT_WR) == 0 ? TL_ERR_NONE : error_of (errno);

      tl_real_app_record (run, h, call, error, 0, s);
      return s;
    }
  if (s == NULL || s->dead || s->fd < 0)
    {
      /* No such connection for the program: the call does nothing. */
      tl_real_app_record (run, h, call, TL_ERR_NONE, 0, s);
      return s;
    }
  if (st->kind == TL_STMT_SEND)
    {
      s->pending += st->u.data.bytes;
      tl_real_app_record (run, h, call, TL_ERR_NONE, st->u.data.bytes, s);
      flush (run, h, s);
    }
  else if (st->kind == TL_STMT_READ)
    read_some (run, h, s, st->u.data.bytes, TL_CALL_READ);
  else
    {
      if (st->kind == TL_STMT_ABORT)
        {
          struct linger lg = { 1, 0 };

          setsockopt (s->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
        }
      tl_real_app_record (run, h, call, TL_ERR_NONE, 0, s);
      tl_real_app_close (s);
    }
  return s;
}

void
tl_real_app_conn_stmt (TlRealRun    *run,
                       const TlStmt *st)
{
  TlRealAppSock *s = conn_stmt (run, st);

  if (s != NULL)
    tl_real_app_watch (run, st->conn.host, s);
}

/* crash and reboot: every socket of the host gone (SOCK_DESTROY), the
 * program's too; the link drops everything to and from a crashed host. */
void
tl_real_app_wipe (TlRealRun *run,
                  guint      h)
{
  GArray *socks = run->host[h].socks;

  tl_real_diag_destroy_all (run->host[h].diag);
  for (guint i = 0; i < socks->len; i++)
    tl_real_app_close (&g_array_index (socks, TlRealAppSock, i));
  g_array_set_size (socks, 0);
  g_array_set_size (run->host[h].listeners, 0);
  g_array_set_size (run->host[h].hups, 0);
}

/* What the programs' sockets have to say. */
static void
event_of (TlRealRun *run,
          guint      h,
          guint      i,
          short      revents)
{
  TlRealAppSock *s = &g_array_index (run->host[h].socks, TlRealAppSock, i);
  int err = 0;
  socklen_t len = sizeof err;

  if (s->dead || s->fd < 0)
    return;
  switch (s->kind)
    {
    case TL_REAL_SOCK_LISTENER:
      if (run->host[h].settings.autoaccept)
        while (tl_real_app_accept (run, h, s->lport, TL_CALL_ACCEPTED))
          s = &g_array_index (run->host[h].socks, TlRealAppSock, i);
      return;
    case TL_REAL_SOCK_CONNECTING:
      getsockopt (s->fd, SOL_SOCKET, SO_ERROR, &err, &len);
      if (err == 0)
        {
          s->kind = TL_REAL_SOCK_CONN;
          tl_real_app_record (run, h, TL_CALL_CONNECTED, TL_ERR_NONE, 0, s);
        }
      else
        {
          tl_real_app_record (run, h, TL_CALL_ERROR, error_of (err), 0, s);
          s->dead = TRUE;
        }
      return;
    case TL_REAL_SOCK_CONN:
      if ((revents & POLLOUT) && s->pending > 0)
        flush (run, h, s);
      if ((revents & POLLIN) && run->host[h].settings.autoread && !s->eof)
        {
          read_some (run, h, s, 0, TL_CALL_RECEIVED);
          return;
        }
      if (revents & POLLERR)
        {
          getsockopt (s->fd, SOL_SOCKET, SO_ERROR, &err, &len);
          if (err != 0)
            tl_real_app_record (run, h, TL_CALL_ERROR, error_of (err), 0, s);
          s->dead = TRUE;
        }
      else if (revents & POLLHUP)
        {
          /* shut down both ways (its shutdown, the peer's FIN): poll()
           * says POLLHUP at once from now on, whatever it is asked, so the
           * loop asks it only at its 5 ms polls, for a RST's POLLERR */
          s->hup = TRUE;
        }
      return;
    }
}

void
tl_real_app_event (TlRealRun *run,
                   guint      h,
                   guint      i,
                   short      revents)
{
  if (i >= run->host[h].socks->len)
    return;
  event_of (run, h, i, revents);
  tl_real_app_watch (run, h, &g_array_index (run->host[h].socks, TlRealAppSock, i));
}
