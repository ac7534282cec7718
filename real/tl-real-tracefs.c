/* tl-real-tracefs.c: the kernel's state changes, from the tracepoint
 * sock:inet_sock_set_state in a tracefs instance of our own
 * (instances/tcplab-PID, the monotonic clock), timed to the microsecond;
 * an instance left by a run that died is removed at the next start.  Where
 * tracefs is not mounted (a container, a minimal system) the run mounts it
 * on a directory of its own for its time, as root may; one left by a run
 * that died is unmounted at the next start. */
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
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tl-pcap.h"

#define TRACEFS "/sys/kernel/tracing"

/* ------------------------------------------------------------ tracefs */

/* Our mounts of tracefs (tl_real_tracefs_start): TMPDIR/tcplab-tracefs-PID-XXXXXX. */
#define MOUNT_PREFIX "tcplab-tracefs-"

/* What runs that died left in dir: the entries PREFIXPID... of a process
 * gone, unmounted first if they are mounts. */
static void
remove_stale (const char *dir,
              const char *prefix,
              gboolean    mounts)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      int pid;

      if (!g_str_has_prefix (name, prefix))
        continue;
      pid = atoi (name + strlen (prefix));
      if (pid > 0 && kill (pid, 0) != 0 && errno == ESRCH)
        {
          g_autofree char *path = g_build_filename (dir, name, NULL);

          if (mounts)
            umount2 (path, MNT_DETACH);
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

  return tl_real_write_file (path, text);
}

/* An instance of our own, the monotonic clock, IPv4 state changes only. */
gboolean
tl_real_tracefs_start (TlRealRun *run)
{
  g_autofree char *pipe = NULL, *instances = NULL;
  const char *root = TRACEFS;

  if (!g_file_test (TRACEFS "/instances", G_FILE_TEST_IS_DIR))
    {
      g_autofree char *tmpl = g_strdup_printf (MOUNT_PREFIX "%d-XXXXXX", getpid ());

      remove_stale (g_get_tmp_dir (), MOUNT_PREFIX, TRUE);
      run->tracefs_mount = g_dir_make_tmp (tmpl, NULL);
      if (run->tracefs_mount == NULL)
        return FALSE;
      if (mount ("tracefs", run->tracefs_mount, "tracefs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0)
        {
          g_rmdir (run->tracefs_mount);
          g_clear_pointer (&run->tracefs_mount, g_free);
          return FALSE;
        }
      root = run->tracefs_mount;
    }
  instances = g_build_filename (root, "instances", NULL);
  remove_stale (instances, TL_REAL_NS_PREFIX, FALSE);
  run->instance = g_strdup_printf ("%s/" TL_REAL_NS_PREFIX "%d", instances, getpid ());
  if (g_mkdir (run->instance, 0700) != 0 && errno != EEXIST)
    {
      g_clear_pointer (&run->instance, g_free);
      return FALSE;
    }
  /* fields: each socket's address too, to tell two sockets on one tuple
   * apart (a connect() that fails on a port in use); kernels without the
   * option print the event's own format, which the parser reads too. */
  write_file (run->instance, "options/fields", "1");
  if (!write_file (run->instance, "trace_clock", "mono")
      || !write_file (run->instance, "buffer_size_kb", "4096")
      || !write_file (run->instance, "events/sock/inet_sock_set_state/filter", "family == 2")
      || !write_file (run->instance, "events/sock/inet_sock_set_state/enable", "1"))
    return FALSE;
  pipe = g_build_filename (run->instance, "trace_pipe", NULL);
  run->trace_fd = open (pipe, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  return run->trace_fd >= 0;
}

void
tl_real_tracefs_stop (TlRealRun *run)
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
  if (run->tracefs_mount != NULL)
    {
      umount2 (run->tracefs_mount, MNT_DETACH);
      g_rmdir (run->tracefs_mount);
      g_clear_pointer (&run->tracefs_mount, g_free);
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

/* A field "NAME=0xHEX (DECIMAL)" of the fields option. */
static gboolean
hex_field (const char *ev,
           const char *name,
           guint64    *value)
{
  g_autofree char *key = g_strconcat (" ", name, "=0x", NULL);
  const char *p = strstr (ev, key);
  char *end;

  if (p == NULL)
    return FALSE;
  *value = g_ascii_strtoull (p + strlen (key), &end, 16);
  return end != p + strlen (key);
}

/* The fields option's line: every field as NAME=0xHEX (DECIMAL), the
 * socket's address among them; the addresses as the kernel holds them
 * (network order, read as a number). */
static gboolean
parse_fields (const char *ev,
              guint64    *sk,
              guint32    *saddr,
              guint16    *sport,
              guint32    *daddr,
              guint16    *dport,
              TlState    *from,
              TlState    *to)
{
  guint64 v[8];
  static const char *const names[8] = {
    "skaddr", "oldstate", "newstate", "sport", "dport", "family", "protocol", "saddr",
  };
  guint64 d;

  for (guint i = 0; i < 8; i++)
    if (!hex_field (ev, names[i], &v[i]))
      return FALSE;
  if (!hex_field (ev, "daddr", &d) || v[5] != 2 || v[6] != 6 || v[3] > 65535 || v[4] > 65535
      || v[7] > G_MAXUINT32 || d > G_MAXUINT32)
    return FALSE;
  *sk = v[0];
  *sport = (guint16) v[3];
  *dport = (guint16) v[4];
  *saddr = g_ntohl ((guint32) v[7]);
  *daddr = g_ntohl ((guint32) d);
  return tl_real_state_from_kernel ((int) MIN (v[1], 255), from)
         && tl_real_state_from_kernel ((int) MIN (v[2], 255), to);
}

gboolean
tl_real_parse_trace_line (const char *line,
                          gint64     *t_us,
                          guint64    *sk,
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

  if (ev == NULL)
    return FALSE;
  /* The stamp "SECONDS.MICROS" just before the event's name. */
  for (p = ev; p > line && p[-1] != ' '; p--)
    ;
  if (sscanf (p, "%" G_GUINT64_FORMAT ".%6" G_GUINT64_FORMAT, &sec, &usec) != 2)
    return FALSE;
  *t_us = (gint64) (sec * 1000000 + usec);
  if (strstr (ev, " skaddr=0x") != NULL)
    return parse_fields (ev + 1, sk, saddr, sport, daddr, dport, from, to);
  /* The event's own format (without the fields option): no socket address. */
  *sk = 0;
  if (strstr (ev, "family=AF_INET ") == NULL || strstr (ev, "protocol=IPPROTO_TCP") == NULL)
    return FALSE;
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

void
tl_real_tracefs_read (TlRealRun *run)
{
  char buf[8192];
  ssize_t n;
  gint64 complete = tl_real_now_us (run);
  gsize done = 0;

  if (run->trace_fd < 0)
    return;
  while ((n = read (run->trace_fd, buf, sizeof buf)) > 0)
    g_string_append_len (run->trace_buf, buf, n);
  /* Every change before the read began is in what it read. */
  run->log.complete_us = complete;
  for (;;)
    {
      char *line = run->trace_buf->str + done;
      char *nl = memchr (line, '\n', run->trace_buf->len - done);
      gint64 t;
      guint32 sa, da;
      guint16 sp, dp;
      guint64 sk;
      TlState from, to;
      int h;

      if (nl == NULL)
        break;
      *nl = '\0';
      if (tl_real_parse_trace_line (line, &t, &sk, &sa, &sp, &da, &dp, &from, &to)
          && (h = tl_real_host_of_addr (run, sa)) >= 0
          && (da == 0 || tl_real_host_of_addr (run, da) == 1 - h || tl_real_host_of_addr (run, da) < 0))
        {
          TlRealStateEv e = { 0 };

          e.t = t - run->t0_ns / 1000;
          e.sk = sk;
          e.host = h;
          e.from = from;
          e.to = to;
          e.lport = sp;
          e.raddr = tl_real_lesson_addr (run, da);
          e.rport = dp;
          g_array_append_val (run->log.states, e);
        }
      done = nl + 1 - run->trace_buf->str;
    }
  g_string_erase (run->trace_buf, 0, done);
}
