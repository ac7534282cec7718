/* tl-real.c: the real runner's loop.
 *
 * One thread does everything, in lesson time (CLOCK_MONOTONIC from a start
 * a little after setup): it runs the lesson's statements at their times,
 * moves frames between the two veth ends of the link namespace (each
 * frame's fate and delay from core's link model, tl-link.h, with the
 * lesson's seed), sends a flood's SYNs, drives the programs' sockets, reads
 * the kernel's state changes from its tracefs instance, and polls each
 * host's sockets every POLL_US.  Sockets are made in a namespace by
 * entering it for the call (setns) and coming back: a socket stays in the
 * namespace it was made in.
 *
 * Its pieces: tl-real-link.c (the
 * forwarder), tl-real-app.c (the programs), tl-real-tracefs.c (the
 * tracepoint), tl-real-build.c (the trace), tl-real-net.c (namespaces).
 *
 * The hosts use addresses of their own in 100.64.0.0/10, from the PID, so
 * that runs side by side (CI runs lessons in parallel) never see each
 * other's state changes on the tracepoint, which carries no namespace; the
 * trace shows the lesson's addresses.
 */
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

#define POLL_US        5000     /* each host's sockets read this often */
#define POLL_SHARE     20       /* or less often: a dump's time times this */
#define START_US       300000   /* from the end of setup to lesson time 0 */
#define TAIL_US        1000000  /* after the last statement, when there is no `end` */

G_DEFINE_QUARK (tl-real-error-quark, tl_real_error)

static volatile sig_atomic_t stop_signal;

static void
on_signal (int sig)
{
  stop_signal = sig;
}

static gint64
mono_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

gint64
tl_real_now_us (const TlRealRun *run)
{
  return (mono_ns () - run->t0_ns) / 1000;
}

/* The lesson's address of a kernel's one (a flood's made-up ones stay). */
guint32
tl_real_lesson_addr (const TlRealRun *run,
                     guint32          addr)
{
  for (guint h = 0; h < 2; h++)
    if (addr == run->addr[h])
      return run->sc->hosts[h].addr;
  return addr;
}

int
tl_real_host_of_addr (const TlRealRun *run,
                      guint32          addr)
{
  return addr == run->addr[0] ? 0 : addr == run->addr[1] ? 1 : -1;
}

/* ------------------------------------------------------------ availability */

static gboolean
has_caps (void)
{
  struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct data[2] = { { 0 } };
  static const int need[] = { CAP_NET_ADMIN, CAP_NET_RAW, CAP_SYS_ADMIN };

  if (syscall (SYS_capget, &hdr, data) != 0)
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (need); i++)
    if (!(data[need[i] / 32].effective & (1u << (need[i] % 32))))
      return FALSE;
  return TRUE;
}

/* Tries, in a child, to make a network namespace (directly, or inside a
 * user namespace when unprivileged). */
static gboolean
can_unshare (gboolean user_ns)
{
  pid_t pid = fork ();
  int status = 0;

  if (pid < 0)
    return FALSE;
  if (pid == 0)
    _exit (unshare (CLONE_NEWNET | (user_ns ? CLONE_NEWUSER : 0)) == 0 ? 0 : 1);
  if (waitpid (pid, &status, 0) != pid)
    return FALSE;
  return WIFEXITED (status) && WEXITSTATUS (status) == 0;
}

/* Becomes root of a new user namespace (uid and gid mapped to ours), so
 * that an unprivileged user may make network namespaces.  Single-threaded
 * processes only (unshare(2)). */
static gboolean
enter_user_ns (void)
{
  g_autofree char *umap = g_strdup_printf ("0 %u 1", (guint) getuid ());
  g_autofree char *gmap = g_strdup_printf ("0 %u 1", (guint) getgid ());

  if (unshare (CLONE_NEWUSER) != 0)
    return FALSE;
  /* /proc files: written in place (g_file_set_contents would rename).
   * Then a network namespace of the user namespace's own to come back to:
   * the one we came from belongs to the machine, setns() to it is refused. */
  return tl_real_write_file ("/proc/self/setgroups", "deny") && tl_real_write_file ("/proc/self/uid_map", umap)
         && tl_real_write_file ("/proc/self/gid_map", gmap) && unshare (CLONE_NEWNET) == 0;
}

gboolean
tl_real_available (GError **error)
{
  if ((geteuid () == 0 || has_caps ()) && can_unshare (FALSE))
    return TRUE;
  if (can_unshare (TRUE))
    return TRUE;
  g_set_error (error, TL_REAL_ERROR, TL_REAL_ERROR_UNAVAILABLE,
               _("playing a lesson on the real kernel needs network namespaces: run as root, "
                 "or give the program the capabilities (sudo setcap "
                 "cap_sys_admin,cap_net_admin,cap_net_raw+ep tcplab-cli), or allow "
                 "unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1)"));
  return FALSE;
}

/* ------------------------------------------------------------ polls */

void
tl_real_poll_host (TlRealRun *run,
                   guint      h)
{
  g_autoptr(GArray) socks = g_array_new (FALSE, FALSE, sizeof (TlRealSock));
  TlRealPollMark mark;
  gint64 t, started = tl_real_now_us (run);

  /* With the tracepoint only the small sockets are needed. */
  if (!tl_real_diag_dump (run->host[h].diag, run->log.traced ? TL_REAL_DIAG_SMALL : TL_REAL_DIAG_ALL,
                          socks, NULL))
    return;
  t = tl_real_now_us (run);
  run->host[h].poll_took = t - started;
  run->host[h].poll_socks = socks->len;
  for (guint i = 0; i < socks->len; i++)
    {
      TlRealPollEv e = { 0 };

      e.t = t;
      e.host = h;
      e.sock = g_array_index (socks, TlRealSock, i);
      if (e.sock.laddr != run->addr[h] && e.sock.laddr != 0)
        continue;
      e.sock.raddr = tl_real_lesson_addr (run, e.sock.raddr);
      g_array_append_val (run->log.polls, e);
    }
  mark.t = t;
  mark.host = h;
  g_array_append_val (run->log.marks, mark);
}

/* A dump that takes less than this, of fewer sockets, is made whenever a
 * name is resolved. */
#define POLL_CHEAP_US    200
#define POLL_CHEAP_SOCKS 64
/* Each socket a poll saw puts the next this much further off: every poll is
 * kept (the log's array of them grows by copying itself, tens of
 * milliseconds at a time with a million) and read again when a connection
 * is named.  5000 time-wait sockets in sweep/port-exhaustion.lesson: a
 * poll each 100 ms.  A time-wait socket's start is dated back to the FIN
 * that made it, a request's to its SYN; an end is seen at the next poll. */
#define POLL_SOCK_US     20

void
tl_real_poll_due (TlRealRun      *run,
                  guint           h,
                  TlRealPollWhen  when)
{
  gint64 now = tl_real_now_us (run);

  if (when == TL_REAL_POLL_IF_CHEAP && run->host[h].poll_took < POLL_CHEAP_US
      && run->host[h].poll_socks < POLL_CHEAP_SOCKS)
    {
      tl_real_poll_host (run, h);
      return;
    }
  if (when != TL_REAL_POLL_NOW && now < run->host[h].next_poll)
    return;
  tl_real_poll_host (run, h);
  /* A dump walks the host's TCP table: with thousands of sockets in it
   * (sweep/port-exhaustion.lesson) the polls come further apart, a dump
   * at most 1/POLL_SHARE of the time. */
  run->host[h].next_poll = now + MAX (MAX (POLL_US, run->host[h].poll_took * POLL_SHARE),
                                      (gint64) run->host[h].poll_socks * POLL_SOCK_US);
}

static void
host_record (TlRealRun *run,
             guint      h,
             TlCall     call)
{
  TlRecord r = { 0 };

  r.time_us = tl_real_now_us (run);
  r.kind = TL_REC_HOST;
  r.host = h;
  r.stmt = run->cur_stmt;
  r.conn = TL_NO_CONN;
  r.u.app.call = call;
  g_array_append_val (run->log.others, r);
  g_ptr_array_add (run->log.texts, NULL);
}

static void
link_record (TlRealRun *run,
             int        dir,
             guint8     param,
             gint64     value)
{
  TlRecord r = { 0 };

  r.time_us = tl_real_now_us (run);
  r.kind = TL_REC_LINK;
  r.stmt = run->cur_stmt;
  r.conn = TL_NO_CONN;
  r.u.link.dir = (gint8) dir;
  r.u.link.param = param;
  r.u.link.value = value;
  g_array_append_val (run->log.others, r);
  g_ptr_array_add (run->log.texts, NULL);
}

static void
text_record (TlRealRun    *run,
             TlRecordKind  kind,
             const char   *locale,
             const char   *text)
{
  TlRecord r = { 0 };

  r.time_us = tl_real_now_us (run);
  r.kind = kind;
  r.stmt = run->cur_stmt;
  r.conn = TL_NO_CONN;
  r.u.text.text = TL_NO_TEXT;
  g_array_append_val (run->log.others, r);
  g_ptr_array_add (run->log.texts, text != NULL
                   ? g_strconcat (locale != NULL ? locale : "", "\x1f", text, NULL) : NULL);
}

static gboolean
apply_settings (TlRealRun        *run,
                guint             h,
                const TlSetting  *settings,
                guint             n,
                GError          **error)
{
  for (guint i = 0; i < n; i++)
    {
      const char *key;
      g_autofree char *value = NULL;

      tl_settings_apply (&run->host[h].settings, &settings[i]);
      /* initcwnd is a metric of the route to the other host */
      if (settings[i].key == TL_KEY_INITCWND
          && !tl_real_net_route_via (&run->net, h, run->addr[1 - h], 32, 0,
                                     (guint32) settings[i].value, error))
        return FALSE;
      if (tl_real_key_sysctl (settings[i].key, settings[i].value, &key, &value)
          && !tl_real_net_sysctl (&run->net, h, key, value, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
run_stmt (TlRealRun     *run,
          const TlStmt  *st,
          GError       **error)
{
  gint64 now = tl_real_now_us (run);

  switch (st->kind)
    {
    case TL_STMT_LISTEN:
      if (!run->host[st->host].crashed)
        tl_real_app_listen (run, st->host, st);
      break;
    case TL_STMT_UNLISTEN:
      {
        TlRealAppSock *l = tl_real_app_listener (run, st->host, st->u.listen.port);

        tl_real_app_record (run, st->host, TL_CALL_UNLISTEN, TL_ERR_NONE, st->u.listen.port, l);
        if (l != NULL)
          tl_real_app_close (l);
      }
      break;
    case TL_STMT_CONNECT:
      if (!run->host[st->host].crashed)
        tl_real_app_connect (run, st->host, st);
      break;
    case TL_STMT_ACCEPT:
      tl_real_app_accept (run, st->host, st->u.listen.port, TL_CALL_ACCEPT);
      break;
    case TL_STMT_SEND:
    case TL_STMT_READ:
    case TL_STMT_CLOSE:
    case TL_STMT_SHUTDOWN:
    case TL_STMT_ABORT:
      if (!run->host[st->conn.host].crashed)
        tl_real_app_conn_stmt (run, st);
      break;
    case TL_STMT_CRASH:
      run->host[st->host].crashed = TRUE;
      host_record (run, st->host, TL_CALL_CRASH);
      tl_real_app_wipe (run, st->host);
      break;
    case TL_STMT_REBOOT:
      tl_real_app_wipe (run, st->host);
      run->host[st->host].crashed = FALSE;
      host_record (run, st->host, TL_CALL_REBOOT);
      break;
    case TL_STMT_LINK:
      for (guint i = 0; i < st->u.link.n_settings; i++)
        {
          tl_link_apply (&run->link, st->u.link.dir, &st->u.link.settings[i]);
          link_record (run, st->u.link.dir, st->u.link.settings[i].param, st->u.link.settings[i].value);
        }
      break;
    case TL_STMT_SET:
      for (guint h = 0; h < 2; h++)
        if (st->u.set.host < 0 || (guint) st->u.set.host == h)
          {
            if (!apply_settings (run, h, st->u.set.settings, st->u.set.n_settings, error))
              return FALSE;
            /* autoaccept, autoread: what the programs wait for */
            for (guint i = 0; i < run->host[h].socks->len; i++)
              tl_real_app_watch (run, h, &g_array_index (run->host[h].socks, TlRealAppSock, i));
          }
      break;
    case TL_STMT_DROP:
    case TL_STMT_DUPLICATE_NEXT:
      tl_link_add_drop (&run->link, st->u.drop.dir, st->u.drop.flags, st->u.drop.any,
                        MAX (st->u.drop.count, 1), st->kind == TL_STMT_DUPLICATE_NEXT);
      link_record (run, st->u.drop.dir,
                   st->kind == TL_STMT_DROP ? TL_LINK_REC_DROP_NEXT : TL_LINK_REC_DUPLICATE_NEXT,
                   MAX (st->u.drop.count, 1));
      break;
    case TL_STMT_HOLD_NEXT:
      tl_link_add_hold (&run->link, st->u.drop.dir, st->u.drop.flags, st->u.drop.any,
                        st->u.drop.delay_us);
      link_record (run, st->u.drop.dir, TL_LINK_REC_HOLD_NEXT, st->u.drop.delay_us);
      break;
    case TL_STMT_LOSE:
    case TL_STMT_DUPLICATE:
      {
        guint n = tl_real_link_wire (run, st, now);

        link_record (run, st->u.wire.dir,
                     st->kind == TL_STMT_LOSE ? TL_LINK_REC_LOSE : TL_LINK_REC_DUPLICATE, n);
      }
      break;
    case TL_STMT_FLOOD:
      if (st->u.flood.count > 0 && st->u.flood.target < 2)
        {
          guint8 prefix = MIN (st->u.flood.prefix_len, 32);
          TlRealFlood f = { 0 };

          f.target = st->u.flood.target;
          f.port = st->u.flood.port;
          f.count = st->u.flood.count;
          f.rate = MAX (st->u.flood.rate_per_s, 1);
          f.start = now;
          f.host_mask = prefix == 0 ? G_MAXUINT32
                        : (guint32) ((G_GUINT64_CONSTANT (1) << (32 - prefix)) - 1);
          f.net_addr = st->u.flood.net_addr & ~f.host_mask;
          f.stmt = run->cur_stmt;
          f.fd = tl_real_net_socket (&run->net, 1 - f.target, AF_INET, SOCK_RAW, IPPROTO_RAW);
          if (f.fd < 0)
            {
              g_set_error (error, TL_REAL_ERROR, TL_REAL_ERROR_FAILED,
                           _("cannot open a raw socket for the flood: %s"), g_strerror (errno));
              return FALSE;
            }
          g_array_append_val (run->floods, f);
        }
      break;
    case TL_STMT_SAY:
      text_record (run, TL_REC_SAY, st->u.say.locale, st->u.say.text);
      break;
    case TL_STMT_PAUSE:
      text_record (run, TL_REC_PAUSE, st->u.pause.locale, st->u.pause.question);
      break;
    case TL_STMT_END:
      run->ended = TRUE;
      break;
    case TL_STMT_CHOICE:
    case TL_STMT_EXPLAIN:
    case TL_STMT_EXPECT_STATE:
    case TL_STMT_EXPECT_SOCKETS:
    case TL_STMT_EXPECT_SEGMENTS:
    case TL_STMT_EXPECT_ERROR:
      break;
    }
  return TRUE;
}

/* ------------------------------------------------------------ set-up and loop */

static int
packet_socket (TlRealRun  *run,
               const char *ifname)
{
  int fd = tl_real_net_socket (&run->net, 2, AF_PACKET, SOCK_RAW | SOCK_NONBLOCK, g_htons (ETH_P_ALL));
  struct sockaddr_ll sll = { 0 };
  int on = 1, size = 8 << 20;

  if (fd < 0)
    return -1;
  if (!tl_real_net_enter (&run->net, 2))
    {
      close (fd);
      return -1;
    }
  sll.sll_family = AF_PACKET;
  sll.sll_protocol = g_htons (ETH_P_ALL);
  sll.sll_ifindex = (int) if_nametoindex (ifname);
  tl_real_net_leave (&run->net);
  if (bind (fd, (struct sockaddr *) &sll, sizeof sll) != 0)
    {
      close (fd);
      return -1;
    }
  setsockopt (fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  setsockopt (fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on);
  return fd;
}

static gboolean
setup (TlRealRun  *run,
       GError    **error)
{
  guint32 base = 0x64400000u | ((guint32) (getpid () & 0xfffff) << 2);   /* 100.64.0.0/10 */
  guint conns = 0;

  run->addr[0] = base + 1;
  run->addr[1] = base + 2;
  run->epfd = epoll_create1 (EPOLL_CLOEXEC);
  if (run->epfd < 0)
    {
      g_set_error (error, TL_REAL_ERROR, TL_REAL_ERROR_SETUP, "epoll_create1: %s", g_strerror (errno));
      return FALSE;
    }
  if (geteuid () != 0 && !has_caps () && !enter_user_ns ())
    {
      g_set_error (error, TL_REAL_ERROR, TL_REAL_ERROR_UNAVAILABLE,
                   _("cannot make a user namespace: %s"), g_strerror (errno));
      return FALSE;
    }
  run->net_made = TRUE;
  for (guint i = 0; i < run->sc->stmts->len; i++)
    conns += g_array_index (run->sc->stmts, TlStmt, i).kind == TL_STMT_CONNECT;
  if (!tl_real_net_make (&run->net, run->addr, conns, error))
    return FALSE;
  for (guint h = 0; h < 2; h++)
    {
      run->host[h].settings = run->sc->settings[h];
      /* Every key with a sysctl, from the lesson's setup (or the defaults). */
      for (guint k = 0; k < TL_N_KEYS; k++)
        {
          const char *key;
          g_autofree char *value = NULL;

          if (tl_real_key_sysctl (k, tl_real_settings_value (&run->sc->settings[h], k), &key, &value))
            {
              /* rto_max and syn_linear_timeouts are newer than some kernels:
               * their defaults may be missing, a lesson's value may not. */
              gboolean optional = (k == TL_KEY_RTO_MAX || k == TL_KEY_SYN_LINEAR_TIMEOUTS);

              if (!tl_real_net_sysctl (&run->net, h, key, value, optional ? NULL : error) && !optional)
                return FALSE;
            }
        }
      /* initcwnd: a metric of the route to the other host (0 and 10 are
       * the kernel's own TCP_INIT_CWND) */
      if (run->sc->settings[h].initcwnd != 0 && run->sc->settings[h].initcwnd != 10
          && !tl_real_net_route_via (&run->net, h, run->addr[1 - h], 32, 0,
                                     run->sc->settings[h].initcwnd, error))
        return FALSE;
      run->host[h].socks = g_array_new (FALSE, FALSE, sizeof (TlRealAppSock));
      run->host[h].listeners = g_array_new (FALSE, FALSE, sizeof (guint));
      run->host[h].hups = g_array_new (FALSE, FALSE, sizeof (guint));
      run->host[h].diag = tl_real_net_socket (&run->net, h, AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG);
      if (run->host[h].diag >= 0)
        {
          struct timeval tv = { 1, 0 };   /* bounded: the kernel answers at once */

          setsockopt (run->host[h].diag, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        }
      else
        {
          g_set_error (error, TL_REAL_ERROR, TL_REAL_ERROR_SETUP,
                       _("cannot open a sock_diag socket: %s"), g_strerror (errno));
          return FALSE;
        }
    }
  /* A flood's made-up network is reached through the link. */
  for (guint i = 0; i < run->sc->stmts->len; i++)
    {
      const TlStmt *st = &g_array_index (run->sc->stmts, TlStmt, i);
      guint t;

      if (st->kind != TL_STMT_FLOOD || st->u.flood.target >= 2)
        continue;
      t = st->u.flood.target;
      if (!tl_real_net_route_via (&run->net, t, st->u.flood.net_addr, MIN (st->u.flood.prefix_len, 32),
                                  run->addr[1 - t], 0, error))
        return FALSE;
    }
  for (guint i = 0; i < 2; i++)
    {
      run->pkt[i] = packet_socket (run, i == 0 ? "l0" : "l1");
      if (run->pkt[i] < 0)
        {
          g_set_error (error, TL_REAL_ERROR, TL_REAL_ERROR_SETUP,
                       _("cannot open a packet socket on the link: %s"), g_strerror (errno));
          return FALSE;
        }
    }
  tl_link_init (&run->link, run->sc->link);
  tl_rng_init (&run->rng, run->sc->seed);
  tl_rng_init (&run->flood_rng, run->sc->seed ^ G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));
  run->log.traced = tl_real_tracefs_start (run);
  return TRUE;
}

static void
teardown (TlRealRun           *run,
          const TlRealOptions *opts)
{
  tl_real_tracefs_stop (run);
  for (guint i = 0; i < 2; i++)
    {
      if (run->pkt[i] >= 0)
        close (run->pkt[i]);
      if (run->host[i].socks != NULL)
        {
          for (guint j = 0; j < run->host[i].socks->len; j++)
            tl_real_app_close (&g_array_index (run->host[i].socks, TlRealAppSock, j));
          g_array_unref (run->host[i].socks);
        }
      g_clear_pointer (&run->host[i].listeners, g_array_unref);
      g_clear_pointer (&run->host[i].hups, g_array_unref);
      if (run->host[i].diag >= 0)
        close (run->host[i].diag);
    }
  if (run->epfd >= 0)
    close (run->epfd);
  for (guint i = 0; run->floods != NULL && i < run->floods->len; i++)
    close (g_array_index (run->floods, TlRealFlood, i).fd);
  g_clear_pointer (&run->floods, g_array_unref);
  g_clear_pointer (&run->flights, g_ptr_array_unref);
  if (run->net_made)
    tl_real_net_destroy (&run->net, opts != NULL && opts->keep_namespaces);
  tl_link_clear (&run->link);
  if (run->trace_buf != NULL)
    g_string_free (run->trace_buf, TRUE);
  tl_real_log_clear (&run->log);
  g_clear_pointer (&run->conns, tl_real_conns_free);
}

/* The loop sleeps in ppoll between events, and its events are due to the
 * millisecond: on a loaded machine it asks for real-time scheduling (when
 * allowed), so that a statement or a frame is not a scheduler's slice late.
 * RLIMIT_RTTIME bounds it: a loop that stopped sleeping would be stopped by
 * SIGXCPU after 2 s of CPU, not take the machine.  FALSE if not allowed. */
static gboolean
realtime_begin (int                *old_policy,
                struct sched_param *old_param)
{
  struct sched_param p = { 10 };
  struct rlimit rt = { 2000000, 3000000 };

  *old_policy = sched_getscheduler (0);
  sched_getparam (0, old_param);
  if (setrlimit (RLIMIT_RTTIME, &rt) != 0)
    return FALSE;
  return sched_setscheduler (0, SCHED_FIFO | SCHED_RESET_ON_FORK, &p) == 0;
}

static gint64
scenario_end (const TlScenario *sc)
{
  gint64 last = 0;

  if (sc->end_us >= 0)
    return sc->end_us;
  for (guint i = 0; i < sc->stmts->len; i++)
    last = MAX (last, g_array_index (sc->stmts, TlStmt, i).time_us);
  return last + TAIL_US;
}

/* The sockets shut both ways (POLLHUP at once, whatever is asked), asked
 * at the polls for a RST's POLLERR; those closed since leave the list. */
static void
poll_hups (TlRealRun *run,
           guint      h)
{
  GArray *hups = run->host[h].hups;
  g_autoptr(GArray) fds = g_array_new (FALSE, FALSE, sizeof (struct pollfd));
  guint kept = 0;

  for (guint k = 0; k < hups->len; k++)
    {
      guint i = g_array_index (hups, guint, k);
      TlRealAppSock *s = &g_array_index (run->host[h].socks, TlRealAppSock, i);
      struct pollfd p = { s->fd, 0, 0 };

      if (s->dead || s->fd < 0)
        {
          s->hup_listed = FALSE;
          continue;
        }
      p.events = tl_real_app_wants (run, h, s);
      g_array_index (hups, guint, kept++) = i;
      g_array_append_val (fds, p);
    }
  g_array_set_size (hups, kept);
  if (fds->len == 0 || poll ((struct pollfd *) (void *) fds->data, fds->len, 0) <= 0)
    return;
  for (guint k = 0; k < fds->len; k++)
    if (g_array_index (fds, struct pollfd, k).revents != 0)
      tl_real_app_event (run, h, g_array_index (hups, guint, k),
                         g_array_index (fds, struct pollfd, k).revents);
}

static gboolean
loop (TlRealRun     *run,
      GCancellable  *cancel,
      GError       **error)
{
  struct epoll_event evs[256];
  gboolean ok = TRUE;

  for (;;)
    {
      gint64 now = tl_real_now_us (run), next = run->end_us;
      gboolean polled = FALSE;
      /* the link's two ends, and the programs' sockets through epoll */
      struct pollfd fds[3] = {
        { run->pkt[0], POLLIN, 0 }, { run->pkt[1], POLLIN, 0 }, { run->epfd, POLLIN, 0 },
      };
      struct timespec ts;
      int n;

      if (stop_signal != 0 || g_cancellable_is_cancelled (cancel))
        {
          g_set_error (error, TL_REAL_ERROR, TL_REAL_ERROR_CANCELLED, _("the real run was stopped"));
          ok = FALSE;
          break;
        }
      while (run->next_stmt < run->sc->stmts->len && !run->ended)
        {
          const TlStmt *st = &g_array_index (run->sc->stmts, TlStmt, run->next_stmt);

          if (st->time_us > now)
            {
              next = MIN (next, st->time_us);
              break;
            }
          run->cur_stmt = run->next_stmt + 1;
          run->next_stmt++;
          if (!run_stmt (run, st, error))
            {
              ok = FALSE;
              goto out;
            }
          run->cur_stmt = 0;
        }
      if (run->ended || now >= run->end_us)
        break;
      tl_real_link_deliver (run, now);
      tl_real_floods_run (run, now, &next);
      for (guint i = 0; i < run->flights->len; i++)
        next = MIN (next, ((TlRealFlight *) g_ptr_array_index (run->flights, i))->due);
      for (guint h = 0; h < 2; h++)
        {
          if (now >= run->host[h].next_poll)
            {
              tl_real_poll_due (run, h, TL_REAL_POLL_IF_DUE);
              polled = TRUE;
            }
          next = MIN (next, run->host[h].next_poll);
        }
      now = tl_real_now_us (run);
      next = MAX (next, now);
      /* The trace pipe is read at least every millisecond. */
      next = MIN (next, now + 1000);
      ts.tv_sec = (next - now) / TL_USEC_PER_SEC;
      ts.tv_nsec = ((next - now) % TL_USEC_PER_SEC) * 1000;
      n = ppoll (fds, G_N_ELEMENTS (fds), &ts, NULL);
      if (n < 0 && errno != EINTR)
        {
          g_set_error (error, TL_REAL_ERROR, TL_REAL_ERROR_FAILED, "ppoll: %s", g_strerror (errno));
          ok = FALSE;
          break;
        }
      tl_real_tracefs_read (run);
      for (guint i = 0; n > 0 && i < 2; i++)
        if (fds[i].revents != 0)
          tl_real_link_read (run, i);
      if (n > 0 && fds[2].revents != 0)
        {
          int m = epoll_wait (run->epfd, evs, G_N_ELEMENTS (evs), 0);

          for (int k = 0; k < m; k++)
            tl_real_app_event (run, (guint) (evs[k].data.u64 >> 32), (guint) (evs[k].data.u64 & G_MAXUINT32),
                               (short) evs[k].events);
        }
      if (polled)
        for (guint h = 0; h < 2; h++)
          poll_hups (run, h);
    }
out:
  tl_real_tracefs_read (run);
  return ok;
}

TlTrace *
tl_real_play (const TlScenario     *scenario,
              const TlRealOptions  *opts,
              GCancellable         *cancel,
              GError              **error)
{
  TlRealRun run = { 0 };
  struct sigaction sa = { 0 }, old_int, old_term;
  TlTrace *trace = NULL;
  struct rlimit old_nofile;
  gboolean ok;

  g_return_val_if_fail (scenario != NULL, NULL);
  if (!tl_real_check_supported (scenario, error) || !tl_real_fds_raise (scenario, &old_nofile, error))
    return NULL;
  run.sc = scenario;
  run.pkt[0] = run.pkt[1] = -1;
  run.host[0].diag = run.host[1].diag = -1;
  run.trace_fd = -1;
  run.epfd = -1;
  run.net.orig_fd = -1;
  for (guint i = 0; i < 3; i++)
    run.net.fd[i] = -1;
  run.flights = g_ptr_array_new_with_free_func (g_free);
  run.floods = g_array_new (FALSE, FALSE, sizeof (TlRealFlood));
  run.trace_buf = g_string_new (NULL);
  tl_real_log_init (&run.log);
  stop_signal = 0;
  sa.sa_handler = on_signal;
  sigemptyset (&sa.sa_mask);
  sigaction (SIGINT, &sa, &old_int);
  sigaction (SIGTERM, &sa, &old_term);

  ok = setup (&run, error);
  if (ok)
    {
      int old_policy = SCHED_OTHER;
      struct sched_param old_param = { 0 };
      gboolean realtime = realtime_begin (&old_policy, &old_param);

      struct timespec rt, mono;

      clock_gettime (CLOCK_REALTIME, &rt);
      clock_gettime (CLOCK_MONOTONIC, &mono);
      run.rt_offset_ns = ((gint64) rt.tv_sec - mono.tv_sec) * 1000000000 + (rt.tv_nsec - mono.tv_nsec);
      run.end_us = scenario_end (scenario);
      run.t0_ns = mono_ns () + START_US * 1000;
      for (guint h = 0; h < 2; h++)
        run.host[h].next_poll = 0;
      ok = loop (&run, cancel, error);
      if (realtime)
        sched_setscheduler (0, old_policy, &old_param);
    }
  if (ok)
    {
      run.log.end_us = run.end_us;
      tl_real_log_settle (&run.log);
      trace = tl_real_build_trace (scenario, &run.log);
      if (opts != NULL && opts->pcap_path != NULL && !tl_pcap_write (trace, opts->pcap_path, error))
        g_clear_pointer (&trace, tl_trace_free);
    }
  teardown (&run, opts);
  if (old_nofile.rlim_max > 0)
    setrlimit (RLIMIT_NOFILE, &old_nofile);
  sigaction (SIGINT, &old_int, NULL);
  sigaction (SIGTERM, &old_term, NULL);
  return trace;
}
