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
 * The hosts use addresses of their own in 100.64.0.0/10, from the PID, so
 * that runs side by side (CI runs lessons in parallel) never see each
 * other's state changes on the tracepoint, which carries no namespace; the
 * trace shows the lesson's addresses.
 */
#include "tl-config.h"

#include "tl-real-private.h"

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
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tl-link.h"
#include "tl-pcap.h"
#include "tl-rng.h"

#define POLL_US        5000     /* each host's sockets read this often */
#define START_US       300000   /* from the end of setup to lesson time 0 */
#define TAIL_US        1000000  /* after the last statement, when there is no `end` */
#define TRACEFS        "/sys/kernel/tracing"
#define MAX_FRAME      2048

G_DEFINE_QUARK (tl-real-error-quark, tl_real_error)

typedef enum
{
  SOCK_LISTENER,
  SOCK_CONNECTING,
  SOCK_CONN,
} SockKind;

typedef struct
{
  int      fd;
  SockKind kind;
  guint16  lport;
  guint32  raddr;        /* the lesson's address */
  guint16  rport;
  gboolean eof;
  gboolean dead;
  guint64  pending;      /* bytes the program still has to write */
} AppSock;

typedef struct
{
  TlSettings settings;
  GArray    *socks;      /* of AppSock */
  int        diag;       /* NETLINK_SOCK_DIAG in its namespace */
  gboolean   crashed;
  gint64     next_poll;
} Host;

typedef struct
{
  gint64  due;
  guint   seg;           /* index in log.segs */
  guint8  to;
  guint16 len;
  guint8  frame[MAX_FRAME];
} Flight;

typedef struct
{
  guint    target;
  guint16  port;
  guint    count, sent;
  guint32  rate;
  gint64   start;
  guint32  net_addr, host_mask;
  guint32  stmt;
  int      fd;           /* raw, in the other host's namespace */
} Flood;

typedef struct
{
  const TlScenario *sc;
  TlRealNet   net;
  gboolean    net_made;
  TlRealLog   log;
  guint32     addr[2];   /* the kernel's */
  gint64      t0_ns;
  gint64      rt_offset_ns;  /* CLOCK_REALTIME - CLOCK_MONOTONIC, for packet stamps */
  int         pkt[2];
  TlLink      link;
  TlRng       rng;
  GPtrArray  *flights;   /* of Flight*, unordered */
  guint32     next_id;
  Host        host[2];
  GArray     *floods;
  TlRng       flood_rng;
  int         trace_fd;
  char       *instance;
  GString    *trace_buf;
  guint       next_stmt;
  guint32     cur_stmt;  /* index + 1 */
  gint64      end_us;
  gboolean    ended;
} Run;

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

static gint64
now_us (const Run *run)
{
  return (mono_ns () - run->t0_ns) / 1000;
}

/* The lesson's address of a kernel's one (a flood's made-up ones stay). */
static guint32
lesson_addr (const Run *run,
             guint32    addr)
{
  for (guint h = 0; h < 2; h++)
    if (addr == run->addr[h])
      return run->sc->hosts[h].addr;
  return addr;
}

static int
host_of_addr (const Run *run,
              guint32    addr)
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
write_proc (const char *path,
            const char *text)
{
  int fd = open (path, O_WRONLY | O_CLOEXEC);
  gboolean ok;

  if (fd < 0)
    return FALSE;
  ok = write (fd, text, strlen (text)) == (ssize_t) strlen (text);
  close (fd);
  return ok;
}

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
  return write_proc ("/proc/self/setgroups", "deny") && write_proc ("/proc/self/uid_map", umap)
         && write_proc ("/proc/self/gid_map", gmap) && unshare (CLONE_NEWNET) == 0;
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

/* ------------------------------------------------------------ tracefs */

static void
remove_stale_instances (void)
{
  g_autoptr(GDir) d = g_dir_open (TRACEFS "/instances", 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      int pid;

      if (!g_str_has_prefix (name, TL_REAL_NS_PREFIX))
        continue;
      pid = atoi (name + strlen (TL_REAL_NS_PREFIX));
      if (pid > 0 && kill (pid, 0) != 0 && errno == ESRCH)
        {
          g_autofree char *path = g_build_filename (TRACEFS "/instances", name, NULL);

          g_rmdir (path);
        }
    }
}

static gboolean
write_file (const char *dir,
            const char *file,
            const char *text)
{
  g_autofree char *path = g_build_filename (dir, file, NULL);
  int fd = open (path, O_WRONLY | O_TRUNC | O_CLOEXEC);
  gboolean ok;

  if (fd < 0)
    return FALSE;
  ok = write (fd, text, strlen (text)) == (ssize_t) strlen (text);
  close (fd);
  return ok;
}

/* An instance of our own, the monotonic clock, IPv4 state changes only. */
static gboolean
trace_start (Run *run)
{
  g_autofree char *pipe = NULL;

  remove_stale_instances ();
  run->instance = g_strdup_printf (TRACEFS "/instances/" TL_REAL_NS_PREFIX "%d", getpid ());
  if (g_mkdir (run->instance, 0700) != 0 && errno != EEXIST)
    {
      g_clear_pointer (&run->instance, g_free);
      return FALSE;
    }
  if (!write_file (run->instance, "trace_clock", "mono")
      || !write_file (run->instance, "buffer_size_kb", "4096")
      || !write_file (run->instance, "events/sock/inet_sock_set_state/filter", "family == 2")
      || !write_file (run->instance, "events/sock/inet_sock_set_state/enable", "1"))
    return FALSE;
  pipe = g_build_filename (run->instance, "trace_pipe", NULL);
  run->trace_fd = open (pipe, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  return run->trace_fd >= 0;
}

static void
trace_stop (Run *run)
{
  if (run->trace_fd >= 0)
    close (run->trace_fd);
  run->trace_fd = -1;
  if (run->instance != NULL)
    {
      write_file (run->instance, "events/sock/inet_sock_set_state/enable", "0");
      g_rmdir (run->instance);
      g_clear_pointer (&run->instance, g_free);
    }
}

static const char *
field (const char *line,
       const char *name)
{
  const char *p = strstr (line, name);

  return p != NULL ? p + strlen (name) : NULL;
}

static gboolean
parse_ip (const char *p,
          guint32    *addr)
{
  guint a, b, c, d;

  if (p == NULL || sscanf (p, "%u.%u.%u.%u", &a, &b, &c, &d) != 4 || a > 255 || b > 255
      || c > 255 || d > 255)
    return FALSE;
  *addr = a << 24 | b << 16 | c << 8 | d;
  return TRUE;
}

static gboolean
parse_state_field (const char *p,
                   TlState    *state)
{
  char name[24];
  gsize n = 0;

  if (p == NULL)
    return FALSE;
  while (n < sizeof name - 1 && (g_ascii_isalnum (p[n]) || p[n] == '_'))
    {
      name[n] = p[n];
      n++;
    }
  name[n] = '\0';
  return tl_real_state_from_name (name, state);
}

gboolean
tl_real_parse_trace_line (const char *line,
                          gint64     *t_us,
                          guint32    *saddr,
                          guint16    *sport,
                          guint32    *daddr,
                          guint16    *dport,
                          TlState    *from,
                          TlState    *to)
{
  const char *ev = strstr (line, ": inet_sock_set_state: ");
  const char *p;
  guint sp, dp;
  guint64 sec, usec;

  if (ev == NULL || strstr (ev, "family=AF_INET ") == NULL || strstr (ev, "protocol=IPPROTO_TCP") == NULL)
    return FALSE;
  /* The stamp "SECONDS.MICROS" just before the event's name. */
  for (p = ev; p > line && p[-1] != ' '; p--)
    ;
  if (sscanf (p, "%" G_GUINT64_FORMAT ".%6" G_GUINT64_FORMAT, &sec, &usec) != 2)
    return FALSE;
  *t_us = (gint64) (sec * 1000000 + usec);
  if (field (ev, "sport=") == NULL || sscanf (field (ev, "sport="), "%u", &sp) != 1
      || field (ev, "dport=") == NULL || sscanf (field (ev, "dport="), "%u", &dp) != 1
      || sp > 65535 || dp > 65535)
    return FALSE;
  *sport = sp;
  *dport = dp;
  return parse_ip (field (ev, " saddr="), saddr) && parse_ip (field (ev, " daddr="), daddr)
         && parse_state_field (field (ev, "oldstate="), from)
         && parse_state_field (field (ev, "newstate="), to);
}

static void
trace_read (Run *run)
{
  char buf[8192];
  ssize_t n;

  if (run->trace_fd < 0)
    return;
  while ((n = read (run->trace_fd, buf, sizeof buf)) > 0)
    g_string_append_len (run->trace_buf, buf, n);
  for (;;)
    {
      char *nl = memchr (run->trace_buf->str, '\n', run->trace_buf->len);
      gint64 t;
      guint32 sa, da;
      guint16 sp, dp;
      TlState from, to;
      int h;

      if (nl == NULL)
        break;
      *nl = '\0';
      if (tl_real_parse_trace_line (run->trace_buf->str, &t, &sa, &sp, &da, &dp, &from, &to)
          && (h = host_of_addr (run, sa)) >= 0
          && (da == 0 || host_of_addr (run, da) == 1 - h || host_of_addr (run, da) < 0))
        {
          TlRealStateEv e = { 0 };

          e.t = t - run->t0_ns / 1000;
          e.host = h;
          e.from = from;
          e.to = to;
          e.lport = sp;
          e.raddr = lesson_addr (run, da);
          e.rport = dp;
          g_array_append_val (run->log.states, e);
        }
      g_string_erase (run->trace_buf, 0, nl - run->trace_buf->str + 1);
    }
}

/* ------------------------------------------------------------ polls */

static void
poll_host (Run  *run,
           guint h)
{
  g_autoptr(GArray) socks = g_array_new (FALSE, FALSE, sizeof (TlRealSock));
  TlRealPollMark mark;
  gint64 t;

  /* With the tracepoint only the small sockets are needed. */
  if (!tl_real_diag_dump (run->host[h].diag, run->log.traced ? TL_REAL_DIAG_SMALL : TL_REAL_DIAG_ALL,
                          socks, NULL))
    return;
  t = now_us (run);
  for (guint i = 0; i < socks->len; i++)
    {
      TlRealPollEv e = { 0 };

      e.t = t;
      e.host = h;
      e.sock = g_array_index (socks, TlRealSock, i);
      if (e.sock.laddr != run->addr[h] && e.sock.laddr != 0)
        continue;
      e.sock.raddr = lesson_addr (run, e.sock.raddr);
      g_array_append_val (run->log.polls, e);
    }
  mark.t = t;
  mark.host = h;
  g_array_append_val (run->log.marks, mark);
}

/* ------------------------------------------------------------ the link */

static gboolean
parse_frame (const guint8 *d,
             gsize         n,
             guint32      *src,
             guint32      *dst,
             TlRealSeg    *s)
{
  gsize ihl, t, doff;
  guint tot;

  if (n < 34 || d[12] != 0x08 || d[13] != 0x00 || (d[14] >> 4) != 4)
    return FALSE;
  ihl = (d[14] & 0x0f) * 4;
  tot = d[16] << 8 | d[17];
  *src = (guint32) d[26] << 24 | d[27] << 16 | d[28] << 8 | d[29];
  *dst = (guint32) d[30] << 24 | d[31] << 16 | d[32] << 8 | d[33];
  if (d[23] != IPPROTO_TCP || n < 14 + ihl + 20)
    return FALSE;
  t = 14 + ihl;
  s->sport = d[t] << 8 | d[t + 1];
  s->dport = d[t + 2] << 8 | d[t + 3];
  s->seq = (guint32) d[t + 4] << 24 | d[t + 5] << 16 | d[t + 6] << 8 | d[t + 7];
  s->ack = (guint32) d[t + 8] << 24 | d[t + 9] << 16 | d[t + 10] << 8 | d[t + 11];
  doff = (d[t + 12] >> 4) * 4;
  s->flags = (d[t + 13] & 0x01 ? TL_FLAG_FIN : 0) | (d[t + 13] & 0x02 ? TL_FLAG_SYN : 0)
             | (d[t + 13] & 0x04 ? TL_FLAG_RST : 0) | (d[t + 13] & 0x08 ? TL_FLAG_PSH : 0)
             | (d[t + 13] & 0x10 ? TL_FLAG_ACK : 0);
  s->win = d[t + 14] << 8 | d[t + 15];
  s->len = tot > ihl + doff ? tot - ihl - doff : 0;
  s->mss = 0;
  for (gsize o = t + 20; o + 1 < t + doff && o + 1 < n;)
    {
      guint8 kind = d[o];

      if (kind == 0)
        break;
      if (kind == 1)
        {
          o++;
          continue;
        }
      if (kind == 2 && d[o + 1] == 4 && o + 3 < n)
        s->mss = d[o + 2] << 8 | d[o + 3];
      if (d[o + 1] < 2)
        break;
      o += d[o + 1];
    }
  return TRUE;
}

static void
flight_add (Run          *run,
            guint         seg,
            guint8        to,
            gint64        due,
            const guint8 *frame,
            gsize         len)
{
  Flight *f = g_new (Flight, 1);

  f->due = due;
  f->seg = seg;
  f->to = to;
  f->len = (guint16) MIN (len, MAX_FRAME);
  memcpy (f->frame, frame, f->len);
  g_ptr_array_add (run->flights, f);
}

static guint
seg_add (Run             *run,
         const TlRealSeg *s)
{
  g_array_append_val (run->log.segs, *s);
  return run->log.segs->len - 1;
}

/* A frame host `from` put on its veth at time t. */
static void
link_frame (Run          *run,
            guint         from,
            const guint8 *d,
            gsize         n,
            gint64        t)
{
  TlRealSeg s = { 0 };
  guint32 src, dst;
  guint to = 1 - from;
  TlLinkVerdict v;
  guint si;

  if (!parse_frame (d, n, &src, &dst, &s))
    return;   /* the hosts send nothing else: IPv6 is off, neighbours static */
  if (run->host[from].crashed)
    return;   /* a crashed host sends nothing */
  s.sent_us = t;
  s.arrive_us = -1;
  s.dir = from;
  s.stmt = run->cur_stmt;
  s.id = run->next_id++;
  if (src != run->addr[from])
    s.peer_addr = src;               /* a flood's made-up source */
  if (dst != run->addr[to])
    {
      if (src != run->addr[from])
        return;
      s.peer_addr = dst;             /* a reply to a made-up address */
      s.fate = TL_FATE_DISCARDED;
      s.arrive_fate = TL_FATE_DISCARDED;
      s.delay_us = run->link.dir[from].delay_us;
      seg_add (run, &s);
      return;
    }
  tl_link_send (&run->link, &run->rng, from, s.flags, t, &v);
  s.fate = v.fate;
  s.arrive_fate = v.fate;
  s.delay_us = v.delay_us;
  si = seg_add (run, &s);
  if (v.fate != TL_FATE_DELIVERED)
    return;
  flight_add (run, si, to, t + v.delay_us, d, n);
  if (v.duplicated)
    {
      s.fate = TL_FATE_DUPLICATE;
      s.arrive_fate = TL_FATE_DELIVERED;
      flight_add (run, seg_add (run, &s), to, t + v.delay_us, d, n);
    }
}

static void
link_read (Run  *run,
           guint from)
{
  guint8 buf[MAX_FRAME];
  char control[256];

  for (guint k = 0; k < 1000; k++)
    {
      struct sockaddr_ll sll;
      struct iovec iov = { buf, sizeof buf };
      struct msghdr msg = { &sll, sizeof sll, &iov, 1, control, sizeof control, 0 };
      ssize_t n = recvmsg (run->pkt[from], &msg, MSG_DONTWAIT);
      gint64 t = now_us (run);

      if (n < 0)
        return;
      if (sll.sll_pkttype == PACKET_OUTGOING)
        continue;
      /* The kernel's stamp of the frame's arrival, not our reading's. */
      for (struct cmsghdr *c = CMSG_FIRSTHDR (&msg); c != NULL; c = CMSG_NXTHDR (&msg, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_TIMESTAMPNS)
          {
            struct timespec ts;

            memcpy (&ts, CMSG_DATA (c), sizeof ts);
            t = MIN (t, ((gint64) ts.tv_sec * 1000000000 + ts.tv_nsec - run->rt_offset_ns
                         - run->t0_ns) / 1000);
          }
      link_frame (run, from, buf, (gsize) n, t);
    }
}

static void
link_deliver (Run   *run,
              gint64 now)
{
  for (guint i = 0; i < run->flights->len;)
    {
      Flight *f = g_ptr_array_index (run->flights, i);
      TlRealSeg *s;

      if (f->due > now)
        {
          i++;
          continue;
        }
      s = &g_array_index (run->log.segs, TlRealSeg, f->seg);
      /* When it reached the host, which a loaded machine makes a little
       * later than it was due. */
      s->arrive_us = MAX (f->due, now_us (run));
      s->delay_us = s->arrive_us - s->sent_us;
      if (run->host[f->to].crashed)
        s->arrive_fate = TL_FATE_LOST_HOST_DOWN;
      else
        send (run->pkt[f->to], f->frame, f->len, MSG_DONTWAIT);
      g_ptr_array_remove_index_fast (run->flights, i);
    }
}

/* `lose` and `duplicate`: the matching segments on the wire now. */
static guint
link_wire (Run          *run,
           const TlStmt *st,
           gint64        now)
{
  gboolean lose = st->kind == TL_STMT_LOSE;
  guint n = 0, len = run->flights->len;

  for (guint i = 0; i < len;)
    {
      Flight *f = g_ptr_array_index (run->flights, i);
      TlRealSeg *s = &g_array_index (run->log.segs, TlRealSeg, f->seg);

      if ((st->u.wire.dir != TL_DIR_BOTH && st->u.wire.dir != s->dir)
          || !tl_link_flags_match (st->u.wire.flags, st->u.wire.any, s->flags))
        {
          i++;
          continue;
        }
      n++;
      if (lose)
        {
          s->fate = TL_FATE_LOST_SCRIPTED;
          s->arrive_fate = TL_FATE_LOST_SCRIPTED;
          s->delay_us = now - s->sent_us;
          g_ptr_array_remove_index_fast (run->flights, i);
          len--;
          continue;
        }
      {
        TlRealSeg copy = *s;

        copy.fate = TL_FATE_DUPLICATE;
        copy.arrive_fate = TL_FATE_DELIVERED;
        copy.sent_us = now;
        flight_add (run, seg_add (run, &copy), f->to,
                    tl_link_copy_arrival (&run->link, s->dir, now), f->frame, f->len);
      }
      i++;
    }
  for (int d = 0; d < 2; d++)
    if (st->u.wire.dir == TL_DIR_BOTH || st->u.wire.dir == d)
      tl_link_add_wire_rule (&run->link, d, st->u.wire.flags, st->u.wire.any, lose, now);
  return n;
}

/* ------------------------------------------------------------ floods */

static guint16
csum (const guint8 *d,
      gsize         n,
      guint32       sum)
{
  for (gsize i = 0; i + 1 < n; i += 2)
    sum += d[i] << 8 | d[i + 1];
  if (n & 1)
    sum += d[n - 1] << 8;
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  return (guint16) ~sum;
}

static void
flood_send_one (Run   *run,
                Flood *f)
{
  guint8 p[44] = { 0 };
  guint32 src = f->net_addr | ((guint32) tl_rng_next (&run->flood_rng) & f->host_mask);
  guint32 dst = run->addr[f->target];
  guint16 sport = 1024 + (guint16) tl_rng_below (&run->flood_rng, 64512);
  guint32 seq = (guint32) tl_rng_next (&run->flood_rng);
  guint8 pseudo[12];
  guint32 sum = 0;
  struct sockaddr_in to = { 0 };

  if (f->host_mask != 0 && (src & f->host_mask) == 0)
    src |= 1;
  p[0] = 0x45;
  p[3] = sizeof p;
  p[8] = 64;
  p[9] = IPPROTO_TCP;
  for (int i = 0; i < 4; i++)
    {
      p[12 + i] = src >> (24 - 8 * i);
      p[16 + i] = dst >> (24 - 8 * i);
    }
  p[20] = sport >> 8, p[21] = sport & 0xff;
  p[22] = f->port >> 8, p[23] = f->port & 0xff;
  p[24] = seq >> 24, p[25] = seq >> 16, p[26] = seq >> 8, p[27] = seq;
  p[32] = 6 << 4;               /* 24 bytes: one option */
  p[33] = 0x02;                 /* SYN */
  p[34] = 0xfa, p[35] = 0xf0;   /* window 64240 */
  p[40] = 2, p[41] = 4, p[42] = 1460 >> 8, p[43] = 1460 & 0xff;
  memcpy (pseudo, p + 12, 8);
  pseudo[8] = 0, pseudo[9] = IPPROTO_TCP, pseudo[10] = 0, pseudo[11] = 24;
  for (int i = 0; i < 12; i += 2)
    sum += pseudo[i] << 8 | pseudo[i + 1];
  {
    guint16 c = csum (p + 20, 24, sum);

    p[36] = c >> 8, p[37] = c & 0xff;
  }
  {
    guint16 c = csum (p, 20, 0);

    p[10] = c >> 8, p[11] = c & 0xff;
  }
  to.sin_family = AF_INET;
  to.sin_addr.s_addr = g_htonl (dst);
  sendto (f->fd, p, sizeof p, MSG_DONTWAIT, (struct sockaddr *) &to, sizeof to);
}

static void
floods_run (Run   *run,
            gint64 now,
            gint64 *next)
{
  for (guint i = 0; i < run->floods->len; i++)
    {
      Flood *f = &g_array_index (run->floods, Flood, i);

      while (f->sent < f->count)
        {
          gint64 due = f->start + (gint64) f->sent * TL_USEC_PER_SEC / f->rate;

          if (due > now)
            {
              *next = MIN (*next, due);
              break;
            }
          flood_send_one (run, f);
          f->sent++;
        }
    }
}

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
    case EADDRINUSE:
      return TL_ERR_EADDRNOTAVAIL;
    default:
      return TL_ERR_NONE;
    }
}

static void
app_record (Run           *run,
            guint          h,
            TlCall         call,
            TlError        error,
            guint64        value,
            const AppSock *s)
{
  TlRealAppEv e = { 0 };

  e.t = now_us (run);
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
  if (set->mss != 1460)
    {
      int mss = (int) set->mss;

      setsockopt (fd, IPPROTO_TCP, TCP_MAXSEG, &mss, sizeof mss);
    }
}

static AppSock *
sock_add (Run          *run,
          guint         h,
          const AppSock *s)
{
  g_array_append_val (run->host[h].socks, *s);
  return &g_array_index (run->host[h].socks, AppSock, run->host[h].socks->len - 1);
}

static void
sock_tuple (Run     *run,
            AppSock *s)
{
  struct sockaddr_in a = { 0 };
  socklen_t len = sizeof a;

  if (getsockname (s->fd, (struct sockaddr *) &a, &len) == 0)
    s->lport = g_ntohs (a.sin_port);
  len = sizeof a;
  if (getpeername (s->fd, (struct sockaddr *) &a, &len) == 0)
    {
      s->raddr = lesson_addr (run, g_ntohl (a.sin_addr.s_addr));
      s->rport = g_ntohs (a.sin_port);
    }
}

static void
do_listen (Run          *run,
           guint         h,
           const TlStmt *st)
{
  const TlSettings *set = &run->host[h].settings;
  AppSock s = { 0 };
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
      app_record (run, h, TL_CALL_LISTEN, error_of (errno), st->u.listen.port, NULL);
      close (fd);
      return;
    }
  s.fd = fd;
  s.kind = SOCK_LISTENER;
  s.lport = st->u.listen.port;
  app_record (run, h, TL_CALL_LISTEN, TL_ERR_NONE, st->u.listen.port, sock_add (run, h, &s));
}

static AppSock *
listener (Run    *run,
          guint   h,
          guint16 port)
{
  AppSock *found = NULL;

  for (guint i = 0; i < run->host[h].socks->len; i++)
    {
      AppSock *s = &g_array_index (run->host[h].socks, AppSock, i);

      if (s->kind == SOCK_LISTENER && !s->dead && (port == 0 || s->lport == port))
        found = s;
    }
  return found;
}

static void
sock_close (AppSock *s)
{
  if (s->fd >= 0)
    close (s->fd);
  s->fd = -1;
  s->dead = TRUE;
}

/* accept() once on l; TRUE if it took a connection. */
static gboolean
accept_one (Run    *run,
            guint   h,
            guint16 port,
            TlCall  call)
{
  AppSock *l = listener (run, h, port);
  AppSock s = { 0 };
  guint16 lport;
  int fd;

  if (l == NULL)
    return FALSE;
  lport = l->lport;
  fd = accept4 (l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (fd < 0)
    {
      if (call == TL_CALL_ACCEPT)
        app_record (run, h, call, TL_ERR_NONE, port, NULL);
      return FALSE;
    }
  sock_options (&run->host[h].settings, fd);
  s.fd = fd;
  s.kind = SOCK_CONN;
  sock_tuple (run, &s);
  app_record (run, h, call, TL_ERR_NONE, lport, sock_add (run, h, &s));
  return TRUE;
}

static void
do_connect (Run          *run,
            guint         h,
            const TlStmt *st)
{
  AppSock s = { 0 };
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
          app_record (run, h, TL_CALL_CONNECT, error_of (errno), st->u.connect.port, NULL);
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
      app_record (run, h, TL_CALL_CONNECT, error_of (errno), st->u.connect.port, NULL);
      close (fd);
      return;
    }
  s.fd = fd;
  s.kind = r == 0 ? SOCK_CONN : SOCK_CONNECTING;
  sock_tuple (run, &s);
  s.raddr = run->sc->hosts[st->u.connect.peer].addr;
  s.rport = st->u.connect.port;
  app_record (run, h, TL_CALL_CONNECT, TL_ERR_NONE, st->u.connect.port, sock_add (run, h, &s));
}

static int
state_ev_cmp (gconstpointer a,
              gconstpointer b)
{
  const TlRealStateEv *x = a, *y = b;

  return (x->t > y->t) - (x->t < y->t);
}

/* A connect()'s first state change comes before its port is chosen
 * (sport 0): the port is the one the program's connect() got, in order. */
static void
resolve_syn_sent_ports (TlRealLog *log)
{
  g_array_sort (log->states, state_ev_cmp);
  for (guint i = 0; i < log->states->len; i++)
    {
      TlRealStateEv *e = &g_array_index (log->states, TlRealStateEv, i);
      guint nth = 0, seen = 0;

      if (e->lport != 0 || e->to != TL_STATE_SYN_SENT)
        continue;
      for (guint j = 0; j < i; j++)
        {
          const TlRealStateEv *o = &g_array_index (log->states, TlRealStateEv, j);

          nth += o->host == e->host && o->to == TL_STATE_SYN_SENT && o->from == TL_STATE_CLOSED
                 && o->raddr == e->raddr && o->rport == e->rport;
        }
      for (guint j = 0; j < log->apps->len; j++)
        {
          const TlRealAppEv *a = &g_array_index (log->apps, TlRealAppEv, j);

          if (a->host == e->host && a->call == TL_CALL_CONNECT && a->raddr == e->raddr
              && a->rport == e->rport && a->lport != 0 && seen++ == nth)
            {
              e->lport = a->lport;
              break;
            }
        }
    }
}

/* The program's socket for a lesson's name of a connection, by the
 * numbering of the trace so far. */
static AppSock *
resolve (Run          *run,
         const TlStmt *st)
{
  g_autoptr(TlTrace) trace = NULL;
  const TlTraceConn *c;
  guint32 ci;
  GArray *socks = run->host[st->conn.host].socks;

  trace_read (run);
  poll_host (run, st->conn.host);
  resolve_syn_sent_ports (&run->log);
  trace = tl_real_build_trace (run->sc, &run->log);
  ci = tl_trace_resolve_conn (trace, st->conn.host, st->conn.ordinal, now_us (run));
  if (ci == TL_NO_CONN)
    return NULL;
  c = tl_trace_conn (trace, ci);
  for (guint i = socks->len; i-- > 0;)
    {
      AppSock *s = &g_array_index (socks, AppSock, i);

      if (s->kind != SOCK_LISTENER && s->lport == c->local_port && s->raddr == c->remote_addr
          && s->rport == c->remote_port)
        return s;
    }
  /* Made by the kernel, not yet taken by the program (autoaccept off):
   * take it now from its listener's queue, as a program would. */
  return NULL;
}

static void
flush (Run     *run,
       guint    h,
       AppSock *s)
{
  static const char zeros[16384];

  while (s->pending > 0 && !s->dead)
    {
      ssize_t n = send (s->fd, zeros, MIN (s->pending, sizeof zeros), MSG_DONTWAIT | MSG_NOSIGNAL);

      if (n < 0)
        {
          if (errno != EAGAIN)
            {
              app_record (run, h, TL_CALL_ERROR, error_of (errno), 0, s);
              s->pending = 0;
            }
          return;
        }
      s->pending -= (guint64) n;
    }
}

static void
read_some (Run     *run,
           guint    h,
           AppSock *s,
           guint64  want,
           TlCall   call)
{
  char buf[16384];
  guint64 got = 0;

  while (!s->eof && !s->dead && (want == 0 || got < want))
    {
      ssize_t n = recv (s->fd, buf, want == 0 ? sizeof buf : MIN (sizeof buf, want - got), MSG_DONTWAIT);

      if (n == 0)
        {
          if (call == TL_CALL_RECEIVED && got > 0)
            app_record (run, h, call, TL_ERR_NONE, got, s);
          s->eof = TRUE;
          app_record (run, h, TL_CALL_EOF, TL_ERR_NONE, 0, s);
          if (call == TL_CALL_READ)
            app_record (run, h, call, TL_ERR_NONE, got, s);
          return;
        }
      if (n < 0)
        {
          if (errno != EAGAIN)
            {
              app_record (run, h, TL_CALL_ERROR, error_of (errno), 0, s);
              s->dead = TRUE;
            }
          break;
        }
      got += (guint64) n;
    }
  if (call == TL_CALL_READ || got > 0)
    app_record (run, h, call, TL_ERR_NONE, got, s);
}

static void
do_conn_stmt (Run          *run,
              const TlStmt *st)
{
  guint h = st->conn.host;
  AppSock *s = resolve (run, st);
  static const TlCall calls[] = {
    [TL_STMT_SEND] = TL_CALL_SEND, [TL_STMT_READ] = TL_CALL_READ, [TL_STMT_CLOSE] = TL_CALL_CLOSE,
    [TL_STMT_SHUTDOWN] = TL_CALL_SHUTDOWN, [TL_STMT_ABORT] = TL_CALL_ABORT,
  };
  TlCall call = calls[st->kind];

  if (s == NULL || s->dead || s->fd < 0)
    {
      /* No such connection for the program: the call does nothing. */
      app_record (run, h, call, TL_ERR_NONE, 0, s);
      return;
    }
  if (st->kind == TL_STMT_SEND)
    {
      s->pending += st->u.data.bytes;
      app_record (run, h, call, TL_ERR_NONE, st->u.data.bytes, s);
      flush (run, h, s);
    }
  else if (st->kind == TL_STMT_READ)
    read_some (run, h, s, st->u.data.bytes, TL_CALL_READ);
  else if (st->kind == TL_STMT_SHUTDOWN)
    {
      shutdown (s->fd, SHUT_WR);
      app_record (run, h, call, TL_ERR_NONE, 0, s);
    }
  else
    {
      if (st->kind == TL_STMT_ABORT)
        {
          struct linger lg = { 1, 0 };

          setsockopt (s->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
        }
      app_record (run, h, call, TL_ERR_NONE, 0, s);
      sock_close (s);
    }
}

/* crash and reboot: every socket of the host gone (SOCK_DESTROY), the
 * program's too; the link drops everything to and from a crashed host. */
static void
wipe_host (Run  *run,
           guint h)
{
  GArray *socks = run->host[h].socks;

  tl_real_diag_destroy_all (run->host[h].diag);
  for (guint i = 0; i < socks->len; i++)
    sock_close (&g_array_index (socks, AppSock, i));
  g_array_set_size (socks, 0);
}

static void
host_record (Run    *run,
             guint   h,
             TlCall  call)
{
  TlRecord r = { 0 };

  r.time_us = now_us (run);
  r.kind = TL_REC_HOST;
  r.host = h;
  r.stmt = run->cur_stmt;
  r.conn = TL_NO_CONN;
  r.u.app.call = call;
  g_array_append_val (run->log.others, r);
  g_ptr_array_add (run->log.texts, NULL);
}

static void
link_record (Run    *run,
             int     dir,
             guint8  param,
             gint64  value)
{
  TlRecord r = { 0 };

  r.time_us = now_us (run);
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
text_record (Run          *run,
             TlRecordKind  kind,
             const char   *locale,
             const char   *text)
{
  TlRecord r = { 0 };

  r.time_us = now_us (run);
  r.kind = kind;
  r.stmt = run->cur_stmt;
  r.conn = TL_NO_CONN;
  r.u.text.text = TL_NO_TEXT;
  g_array_append_val (run->log.others, r);
  g_ptr_array_add (run->log.texts, text != NULL
                   ? g_strconcat (locale != NULL ? locale : "", "\x1f", text, NULL) : NULL);
}

static gboolean
apply_settings (Run              *run,
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
      if (tl_real_key_sysctl (settings[i].key, settings[i].value, &key, &value)
          && !tl_real_net_sysctl (&run->net, h, key, value, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
run_stmt (Run           *run,
          const TlStmt  *st,
          GError       **error)
{
  gint64 now = now_us (run);

  switch (st->kind)
    {
    case TL_STMT_LISTEN:
      if (!run->host[st->host].crashed)
        do_listen (run, st->host, st);
      break;
    case TL_STMT_UNLISTEN:
      {
        AppSock *l = listener (run, st->host, st->u.listen.port);

        app_record (run, st->host, TL_CALL_UNLISTEN, TL_ERR_NONE, st->u.listen.port, l);
        if (l != NULL)
          sock_close (l);
      }
      break;
    case TL_STMT_CONNECT:
      if (!run->host[st->host].crashed)
        do_connect (run, st->host, st);
      break;
    case TL_STMT_ACCEPT:
      accept_one (run, st->host, st->u.listen.port, TL_CALL_ACCEPT);
      break;
    case TL_STMT_SEND:
    case TL_STMT_READ:
    case TL_STMT_CLOSE:
    case TL_STMT_SHUTDOWN:
    case TL_STMT_ABORT:
      if (!run->host[st->conn.host].crashed)
        do_conn_stmt (run, st);
      break;
    case TL_STMT_CRASH:
      run->host[st->host].crashed = TRUE;
      host_record (run, st->host, TL_CALL_CRASH);
      wipe_host (run, st->host);
      break;
    case TL_STMT_REBOOT:
      wipe_host (run, st->host);
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
          if (!apply_settings (run, h, st->u.set.settings, st->u.set.n_settings, error))
            return FALSE;
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
        guint n = link_wire (run, st, now);

        link_record (run, st->u.wire.dir,
                     st->kind == TL_STMT_LOSE ? TL_LINK_REC_LOSE : TL_LINK_REC_DUPLICATE, n);
      }
      break;
    case TL_STMT_FLOOD:
      if (st->u.flood.count > 0 && st->u.flood.target < 2)
        {
          guint8 prefix = MIN (st->u.flood.prefix_len, 32);
          Flood f = { 0 };

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

/* What the programs' sockets have to say. */
static void
app_event (Run     *run,
           guint    h,
           guint    i,
           short    revents)
{
  AppSock *s = &g_array_index (run->host[h].socks, AppSock, i);
  int err = 0;
  socklen_t len = sizeof err;

  if (s->dead || s->fd < 0)
    return;
  switch (s->kind)
    {
    case SOCK_LISTENER:
      if (run->host[h].settings.autoaccept)
        while (accept_one (run, h, s->lport, TL_CALL_ACCEPTED))
          s = &g_array_index (run->host[h].socks, AppSock, i);
      return;
    case SOCK_CONNECTING:
      getsockopt (s->fd, SOL_SOCKET, SO_ERROR, &err, &len);
      if (err == 0)
        {
          s->kind = SOCK_CONN;
          app_record (run, h, TL_CALL_CONNECTED, TL_ERR_NONE, 0, s);
        }
      else
        {
          app_record (run, h, TL_CALL_ERROR, error_of (err), 0, s);
          s->dead = TRUE;
        }
      return;
    case SOCK_CONN:
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
            app_record (run, h, TL_CALL_ERROR, error_of (err), 0, s);
          s->dead = TRUE;
        }
      return;
    }
}

/* ------------------------------------------------------------ set-up and loop */

static int
packet_socket (Run        *run,
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
setup (Run     *run,
       GError **error)
{
  guint32 base = 0x64400000u | ((guint32) (getpid () & 0xfffff) << 2);   /* 100.64.0.0/10 */

  run->addr[0] = base + 1;
  run->addr[1] = base + 2;
  if (geteuid () != 0 && !has_caps () && !enter_user_ns ())
    {
      g_set_error (error, TL_REAL_ERROR, TL_REAL_ERROR_UNAVAILABLE,
                   _("cannot make a user namespace: %s"), g_strerror (errno));
      return FALSE;
    }
  run->net_made = TRUE;
  if (!tl_real_net_make (&run->net, run->addr, error))
    return FALSE;
  for (guint h = 0; h < 2; h++)
    {
      run->host[h].settings = run->sc->settings[h];
      /* Every key with a sysctl, from the lesson's setup (or the defaults). */
      for (guint k = 0; k < TL_N_KEYS; k++)
        {
          TlSetting s = { k, 0 };
          const TlSettings *set = &run->sc->settings[h];
          const char *key;
          g_autofree char *value = NULL;

          switch ((TlKey) k)
            {
            case TL_KEY_SYN_QUEUE: s.value = set->syn_queue; break;
            case TL_KEY_SYNCOOKIES: s.value = set->syncookies; break;
            case TL_KEY_SYN_RETRIES: s.value = set->syn_retries; break;
            case TL_KEY_SYN_LINEAR_TIMEOUTS: s.value = set->syn_linear_timeouts; break;
            case TL_KEY_SYNACK_RETRIES: s.value = set->synack_retries; break;
            case TL_KEY_RETRIES: s.value = set->retries; break;
            case TL_KEY_RTO_MIN: s.value = set->rto_min_us; break;
            case TL_KEY_RTO_MAX: s.value = set->rto_max_us; break;
            case TL_KEY_FIN_TIMEOUT: s.value = set->fin_timeout_us; break;
            case TL_KEY_SACK: s.value = set->sack; break;
            case TL_KEY_PROFILE:
            case TL_KEY_ISN:
            case TL_KEY_BACKLOG:
            case TL_KEY_RTO_INITIAL:
            case TL_KEY_MSL:
            case TL_KEY_KEEPALIVE:
            case TL_KEY_KEEPALIVE_IDLE:
            case TL_KEY_KEEPALIVE_INTERVAL:
            case TL_KEY_KEEPALIVE_PROBES:
            case TL_KEY_AUTOACCEPT:
            case TL_KEY_AUTOREAD:
            case TL_KEY_WINDOW:
            case TL_KEY_MSS:
            case TL_N_KEYS:
              continue;
            }
          if (tl_real_key_sysctl (k, s.value, &key, &value))
            {
              /* rto_max and syn_linear_timeouts are newer than some kernels:
               * their defaults may be missing, a lesson's value may not. */
              gboolean optional = (k == TL_KEY_RTO_MAX || k == TL_KEY_SYN_LINEAR_TIMEOUTS);

              if (!tl_real_net_sysctl (&run->net, h, key, value, optional ? NULL : error) && !optional)
                return FALSE;
            }
        }
      run->host[h].socks = g_array_new (FALSE, FALSE, sizeof (AppSock));
      run->host[h].diag = tl_real_net_socket (&run->net, h, AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG);
      if (run->host[h].diag < 0)
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
                                  run->addr[1 - t], error))
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
  run->log.traced = trace_start (run);
  return TRUE;
}

static void
teardown (Run                 *run,
          const TlRealOptions *opts)
{
  trace_stop (run);
  for (guint i = 0; i < 2; i++)
    {
      if (run->pkt[i] >= 0)
        close (run->pkt[i]);
      if (run->host[i].socks != NULL)
        {
          for (guint j = 0; j < run->host[i].socks->len; j++)
            sock_close (&g_array_index (run->host[i].socks, AppSock, j));
          g_array_unref (run->host[i].socks);
        }
      if (run->host[i].diag >= 0)
        close (run->host[i].diag);
    }
  for (guint i = 0; run->floods != NULL && i < run->floods->len; i++)
    close (g_array_index (run->floods, Flood, i).fd);
  g_clear_pointer (&run->floods, g_array_unref);
  g_clear_pointer (&run->flights, g_ptr_array_unref);
  if (run->net_made)
    tl_real_net_destroy (&run->net, opts != NULL && opts->keep_namespaces);
  tl_link_clear (&run->link);
  if (run->trace_buf != NULL)
    g_string_free (run->trace_buf, TRUE);
  tl_real_log_clear (&run->log);
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

static gboolean
loop (Run          *run,
      GCancellable *cancel,
      GError      **error)
{
  GArray *fds = g_array_new (FALSE, FALSE, sizeof (struct pollfd));
  GArray *which = g_array_new (FALSE, FALSE, sizeof (guint));   /* h << 24 | index */
  gboolean ok = TRUE;

  for (;;)
    {
      gint64 now = now_us (run), next = run->end_us;
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
      link_deliver (run, now);
      floods_run (run, now, &next);
      for (guint i = 0; i < run->flights->len; i++)
        next = MIN (next, ((Flight *) g_ptr_array_index (run->flights, i))->due);
      for (guint h = 0; h < 2; h++)
        {
          if (now >= run->host[h].next_poll)
            {
              poll_host (run, h);
              run->host[h].next_poll = now + POLL_US;
            }
          next = MIN (next, run->host[h].next_poll);
        }
      g_array_set_size (fds, 0);
      g_array_set_size (which, 0);
      for (guint i = 0; i < 2; i++)
        {
          struct pollfd p = { run->pkt[i], POLLIN, 0 };
          guint w = G_MAXUINT - i;

          g_array_append_val (fds, p);
          g_array_append_val (which, w);
        }
      for (guint h = 0; h < 2; h++)
        for (guint i = 0; i < run->host[h].socks->len; i++)
          {
            const AppSock *s = &g_array_index (run->host[h].socks, AppSock, i);
            struct pollfd p = { s->fd, 0, 0 };
            guint w = h << 24 | i;

            if (s->dead || s->fd < 0)
              continue;
            p.events = s->kind == SOCK_LISTENER ? (run->host[h].settings.autoaccept ? POLLIN : 0)
                       : s->kind == SOCK_CONNECTING ? POLLOUT
                       : ((run->host[h].settings.autoread && !s->eof ? POLLIN : 0)
                          | (s->pending > 0 ? POLLOUT : 0));
            g_array_append_val (fds, p);
            g_array_append_val (which, w);
          }
      now = now_us (run);
      next = MAX (next, now);
      /* The trace pipe is read at least every millisecond. */
      next = MIN (next, now + 1000);
      ts.tv_sec = (next - now) / TL_USEC_PER_SEC;
      ts.tv_nsec = ((next - now) % TL_USEC_PER_SEC) * 1000;
      n = ppoll ((struct pollfd *) (void *) fds->data, fds->len, &ts, NULL);
      if (n < 0 && errno != EINTR)
        {
          g_set_error (error, TL_REAL_ERROR, TL_REAL_ERROR_FAILED, "ppoll: %s", g_strerror (errno));
          ok = FALSE;
          break;
        }
      trace_read (run);
      for (guint i = 0; n > 0 && i < fds->len; i++)
        {
          const struct pollfd *p = &g_array_index (fds, struct pollfd, i);
          guint w = g_array_index (which, guint, i);

          if (p->revents == 0)
            continue;
          if (w >= G_MAXUINT - 1)
            link_read (run, G_MAXUINT - w);
          else
            app_event (run, w >> 24, w & 0xffffff, p->revents);
        }
    }
out:
  trace_read (run);
  g_array_unref (fds);
  g_array_unref (which);
  return ok;
}

TlTrace *
tl_real_play (const TlScenario     *scenario,
              const TlRealOptions  *opts,
              GCancellable         *cancel,
              GError              **error)
{
  Run run = { 0 };
  struct sigaction sa = { 0 }, old_int, old_term;
  TlTrace *trace = NULL;
  gboolean ok;

  g_return_val_if_fail (scenario != NULL, NULL);
  if (!tl_real_check_supported (scenario, error))
    return NULL;
  run.sc = scenario;
  run.pkt[0] = run.pkt[1] = -1;
  run.host[0].diag = run.host[1].diag = -1;
  run.trace_fd = -1;
  run.net.orig_fd = -1;
  for (guint i = 0; i < 3; i++)
    run.net.fd[i] = -1;
  run.flights = g_ptr_array_new_with_free_func (g_free);
  run.floods = g_array_new (FALSE, FALSE, sizeof (Flood));
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
      resolve_syn_sent_ports (&run.log);
      trace = tl_real_build_trace (scenario, &run.log);
      if (opts != NULL && opts->pcap_path != NULL && !tl_pcap_write (trace, opts->pcap_path, error))
        g_clear_pointer (&trace, tl_trace_free);
    }
  teardown (&run, opts);
  sigaction (SIGINT, &old_int, NULL);
  sigaction (SIGTERM, &old_term, NULL);
  return trace;
}
