/* tl-sockdiag.c: the kernel's socket table by sock_diag netlink (Linux).
 *
 * One dump request per address family (inet_diag_req_v2 with every state
 * bit set, as `ss -ta` asks), answered by a stream of inet_diag_msg, one per
 * socket, ended by NLMSG_DONE.  Request sockets (TCP_NEW_SYN_RECV) are the
 * SYN_RCVD that ss and netstat show.  Process names: each /proc/PID/fd/N that
 * links to "socket:[INODE]" names its owner, as ss -p finds them; processes
 * of other users are skipped quietly when /proc refuses.
 */
#include "tl-sockdiag.h"

#include <errno.h>
#include <string.h>

#ifdef __linux__
#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

G_DEFINE_QUARK (tl-sockdiag-error-quark, tl_sockdiag_error)

gboolean
tl_sockdiag_linux_state (guint8   s,
                         TlState *state)
{
  static const TlState map[] = {
    [1] = TL_STATE_ESTABLISHED, [2] = TL_STATE_SYN_SENT, [3] = TL_STATE_SYN_RCVD,
    [4] = TL_STATE_FIN_WAIT_1, [5] = TL_STATE_FIN_WAIT_2, [6] = TL_STATE_TIME_WAIT,
    [7] = TL_STATE_CLOSED, [8] = TL_STATE_CLOSE_WAIT, [9] = TL_STATE_LAST_ACK,
    [10] = TL_STATE_LISTEN, [11] = TL_STATE_CLOSING, [12] = TL_STATE_SYN_RCVD,
  };

  if (s == 0 || s >= G_N_ELEMENTS (map))
    return FALSE;
  *state = map[s];
  return TRUE;
}

#ifdef __linux__

static TlSockTimer
linux_timer (guint8 t)
{
  switch (t)
    {
    case 0: return TL_SOCK_TIMER_NONE;
    case 1: return TL_SOCK_TIMER_ON;
    case 2: return TL_SOCK_TIMER_KEEPALIVE;
    case 3: return TL_SOCK_TIMER_TIMEWAIT;
    case 4: return TL_SOCK_TIMER_PERSIST;
    default: return TL_SOCK_TIMER_OTHER;
    }
}

static void
set_addr (TlSockAddr   *addr,
          int           family,
          const __be32 *raw,
          __be16        port)
{
  if (inet_ntop (family, raw, addr->addr, sizeof addr->addr) == NULL)
    g_strlcpy (addr->addr, "?", sizeof addr->addr);
  addr->port = ntohs (port);
  tl_sock_addr_normalize (addr);
}

typedef struct
{
  guint32 pid;
  char   *name;
} Owner;

static void
owner_free (gpointer data)
{
  Owner *owner = data;

  g_free (owner->name);
  g_free (owner);
}

/* inode -> Owner, for the sockets this user may see in /proc. */
static GHashTable *
socket_owners (void)
{
  GHashTable *owners = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, owner_free);
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *pid_name;

  if (proc == NULL)
    return owners;
  while ((pid_name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *fd_path = NULL;
      g_autofree char *comm_path = NULL;
      g_autofree char *comm = NULL;
      g_autoptr(GDir) fds = NULL;
      const char *fd_name;
      guint64 pid;

      if (!g_ascii_string_to_unsigned (pid_name, 10, 1, G_MAXUINT32, &pid, NULL))
        continue;
      fd_path = g_strdup_printf ("/proc/%s/fd", pid_name);
      fds = g_dir_open (fd_path, 0, NULL);
      if (fds == NULL)
        continue;   /* another user's process, or gone */
      while ((fd_name = g_dir_read_name (fds)) != NULL)
        {
          char link[64];
          g_autofree char *path = g_strdup_printf ("%s/%s", fd_path, fd_name);
          gssize n = readlink (path, link, sizeof link - 1);
          gint64 inode;
          Owner *owner;

          if (n <= 9 || strncmp (link, "socket:[", 8) != 0)
            continue;
          link[n] = '\0';
          inode = g_ascii_strtoll (link + 8, NULL, 10);
          if (inode <= 0 || g_hash_table_contains (owners, &inode))
            continue;
          if (comm == NULL)
            {
              comm_path = g_strdup_printf ("/proc/%s/comm", pid_name);
              if (!g_file_get_contents (comm_path, &comm, NULL, NULL))
                comm = g_strdup ("?");
              g_strchomp (comm);
            }
          owner = g_new0 (Owner, 1);
          owner->pid = (guint32) pid;
          owner->name = g_strdup (comm);
          g_hash_table_insert (owners, g_memdup2 (&inode, sizeof inode), owner);
        }
    }
  return owners;
}

/* One family's dump into table.  FALSE with error set on failure. */
static gboolean
dump_family (int           fd,
             guint8        family,
             TlSockTable  *table,
             GHashTable   *owners,
             GError      **error)
{
  struct
  {
    struct nlmsghdr         nlh;
    struct inet_diag_req_v2 req;
  } request = { 0 };
  struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
  g_autofree char *buf = g_malloc (64 * 1024);
  int saved_errno;

  request.nlh.nlmsg_len = sizeof request;
  request.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  request.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  request.nlh.nlmsg_seq = family;
  request.req.sdiag_family = family;
  request.req.sdiag_protocol = IPPROTO_TCP;
  request.req.idiag_states = ~0u;
  if (sendto (fd, &request, sizeof request, 0, (struct sockaddr *) &kernel, sizeof kernel) < 0)
    goto failed;
  for (;;)
    {
      gssize n = recv (fd, buf, 64 * 1024, 0);
      struct nlmsghdr *h;

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        goto failed;
      if (n == 0)
        return TRUE;
      for (h = (struct nlmsghdr *) buf; NLMSG_OK (h, (guint) n); h = NLMSG_NEXT (h, n))
        {
          const struct inet_diag_msg *msg;
          TlSockEntry entry = { 0 };

          if (h->nlmsg_type == NLMSG_DONE)
            return TRUE;
          if (h->nlmsg_type == NLMSG_ERROR)
            {
              const struct nlmsgerr *err = NLMSG_DATA (h);

              errno = h->nlmsg_len >= NLMSG_LENGTH (sizeof *err) && err->error < 0
                      ? -err->error : EIO;
              goto failed;
            }
          if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY
              || h->nlmsg_len < NLMSG_LENGTH (sizeof *msg))
            continue;
          msg = NLMSG_DATA (h);
          if (!tl_sockdiag_linux_state (msg->idiag_state, &entry.state))
            continue;
          set_addr (&entry.local, msg->idiag_family, msg->id.idiag_src, msg->id.idiag_sport);
          set_addr (&entry.peer, msg->idiag_family, msg->id.idiag_dst, msg->id.idiag_dport);
          entry.recv_q = msg->idiag_rqueue;
          entry.send_q = msg->idiag_wqueue;
          entry.timer = linux_timer (msg->idiag_timer);
          entry.timer_ms = msg->idiag_expires;
          entry.retrans = msg->idiag_retrans;
          if (owners != NULL && msg->idiag_inode != 0)
            {
              gint64 inode = msg->idiag_inode;
              const Owner *owner = g_hash_table_lookup (owners, &inode);

              if (owner != NULL)
                {
                  entry.process = owner->name;
                  entry.pid = owner->pid;
                }
            }
          tl_socktable_add (table, &entry);
        }
    }

failed:
  saved_errno = errno;
  g_set_error (error, TL_SOCKDIAG_ERROR, TL_SOCKDIAG_ERROR_FAILED, "sock_diag: %s",
               g_strerror (saved_errno));
  return FALSE;
}

TlSockTable *
tl_sockdiag_read (gboolean   with_processes,
                  GError   **error)
{
  g_autoptr(TlSockTable) table = tl_socktable_new (TL_SOCK_FORMAT_KERNEL);
  g_autoptr(GHashTable) owners = with_processes ? socket_owners () : NULL;
  int fd = socket (AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  gboolean ok;

  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, TL_SOCKDIAG_ERROR, TL_SOCKDIAG_ERROR_UNSUPPORTED, "sock_diag: %s",
                   g_strerror (saved_errno));
      return NULL;
    }
  table->has_timers = TRUE;
  table->has_processes = with_processes;
  ok = dump_family (fd, AF_INET, table, owners, error)
       && dump_family (fd, AF_INET6, table, owners, error);
  close (fd);
  return ok ? g_steal_pointer (&table) : NULL;
}

#else

TlSockTable *
tl_sockdiag_read (gboolean   with_processes,
                  GError   **error)
{
  g_set_error_literal (error, TL_SOCKDIAG_ERROR, TL_SOCKDIAG_ERROR_UNSUPPORTED,
                       "sock_diag: only Linux has it");
  return NULL;
}

#endif
