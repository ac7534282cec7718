/* tl-real-net.c: the namespaces of a real run, made with unshare/setns and
 * rtnetlink (no `ip`), their veth pairs with offloads off (the ethtool
 * ioctl), the hosts' addresses, routes and static neighbours; sysctls per
 * namespace; sock_diag dumps and SOCK_DESTROY.
 *
 * The topology: host a's v0 <-> l0 in the link namespace, host b's v0 <->
 * l1; the forwarder (tl-real.c) moves frames between l0 and l1.  Each host
 * has its address on v0 and a /32 route to the other through it; the
 * neighbours are static, so no ARP crosses the link.
 */
#include "tl-config.h"

#include "tl-real-private.h"
#include "tl-sockdiag.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <linux/ethtool.h>
#include <linux/if_link.h>
#include <linux/inet_diag.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/sockios.h>
#include <linux/veth.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *const ns_suffix[3] = { "a", "b", "link" };

char *
tl_real_ns_name (int   pid,
                 guint which)
{
  g_return_val_if_fail (which < 3, NULL);
  return g_strdup_printf (TL_REAL_NS_PREFIX "%d-%s", pid, ns_suffix[which]);
}

int
tl_real_ns_pid (const char *name)
{
  const char *p;
  char *end;
  gint64 pid;

  if (!g_str_has_prefix (name, TL_REAL_NS_PREFIX))
    return -1;
  p = name + strlen (TL_REAL_NS_PREFIX);
  if (!g_ascii_isdigit (*p))
    return -1;
  pid = g_ascii_strtoll (p, &end, 10);
  if (*end != '-' || pid <= 0 || pid > G_MAXINT)
    return -1;
  for (guint i = 0; i < 3; i++)
    if (strcmp (end + 1, ns_suffix[i]) == 0)
      return (int) pid;
  return -1;
}

static void
ns_unlink (const char *path)
{
  umount2 (path, MNT_DETACH);
  g_unlink (path);
}

guint
tl_real_ns_remove_stale (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  if (d == NULL)
    return 0;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      int pid = tl_real_ns_pid (name);

      /* A run of this PID still alive keeps its namespaces. */
      if (pid < 0 || (kill (pid, 0) == 0 || errno == EPERM))
        continue;
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);

        ns_unlink (path);
        n++;
      }
    }
  return n;
}

/* ------------------------------------------------------------ netlink */

typedef struct
{
  struct nlmsghdr *h;
  char             buf[1024];
} NlMsg;

static struct nlmsghdr *
nl_begin (NlMsg *m,
          int    type,
          int    flags,
          gsize  header)
{
  memset (m, 0, sizeof *m);
  m->h = (struct nlmsghdr *) (void *) m->buf;
  m->h->nlmsg_len = NLMSG_LENGTH (header);
  m->h->nlmsg_type = type;
  m->h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
  return m->h;
}

static struct rtattr *
nl_attr (NlMsg      *m,
         int         type,
         const void *data,
         gsize       len)
{
  struct rtattr *a = (struct rtattr *) (void *) (m->buf + NLMSG_ALIGN (m->h->nlmsg_len));

  g_assert (NLMSG_ALIGN (m->h->nlmsg_len) + RTA_SPACE (len) <= sizeof m->buf);
  a->rta_type = type;
  a->rta_len = RTA_LENGTH (len);
  if (len > 0)
    memcpy (RTA_DATA (a), data, len);
  m->h->nlmsg_len = NLMSG_ALIGN (m->h->nlmsg_len) + RTA_ALIGN (a->rta_len);
  return a;
}

static void
nl_nest_end (NlMsg         *m,
             struct rtattr *nest)
{
  nest->rta_len = (unsigned short) ((m->buf + m->h->nlmsg_len) - (char *) nest);
}

/* Sends the message and waits for its acknowledgement. */
static gboolean
nl_talk (int         fd,
         NlMsg      *m,
         const char *what,
         GError    **error)
{
  char reply[4096];
  ssize_t n;

  m->h->nlmsg_seq = 1;
  if (send (fd, m->buf, m->h->nlmsg_len, 0) < 0)
    goto fail;
  n = recv (fd, reply, sizeof reply, 0);
  if (n < 0)
    goto fail;
  for (struct nlmsghdr *h = (struct nlmsghdr *) (void *) reply; NLMSG_OK (h, (guint) n);
       h = NLMSG_NEXT (h, n))
    if (h->nlmsg_type == NLMSG_ERROR)
      {
        const struct nlmsgerr *e = NLMSG_DATA (h);

        if (e->error == 0)
          return TRUE;
        errno = -e->error;
        goto fail;
      }
  errno = EPROTO;
fail:
  g_set_error (error, TL_REAL_ERROR, TL_REAL_ERROR_SETUP,
               _("setting up the network namespaces failed (%s): %s"), what, g_strerror (errno));
  return FALSE;
}

/* veth v0 (in ns_fd) with peer l<i> in the link namespace. */
static gboolean
make_veth (int      rt,
           int      host_ns,
           int      link_ns,
           guint    i,
           GError **error)
{
  NlMsg m;
  struct ifinfomsg ifi = { 0 };
  struct rtattr *linkinfo, *data, *peer;
  char peer_name[8];

  nl_begin (&m, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, sizeof ifi);
  memcpy (NLMSG_DATA (m.h), &ifi, sizeof ifi);
  nl_attr (&m, IFLA_IFNAME, "v0", 3);
  nl_attr (&m, IFLA_NET_NS_FD, &host_ns, sizeof host_ns);
  linkinfo = nl_attr (&m, IFLA_LINKINFO, NULL, 0);
  nl_attr (&m, IFLA_INFO_KIND, "veth", 5);
  data = nl_attr (&m, IFLA_INFO_DATA, NULL, 0);
  peer = nl_attr (&m, VETH_INFO_PEER, &ifi, sizeof ifi);
  g_snprintf (peer_name, sizeof peer_name, "l%u", i);
  nl_attr (&m, IFLA_IFNAME, peer_name, strlen (peer_name) + 1);
  nl_attr (&m, IFLA_NET_NS_FD, &link_ns, sizeof link_ns);
  nl_nest_end (&m, peer);
  nl_nest_end (&m, data);
  nl_nest_end (&m, linkinfo);
  return nl_talk (rt, &m, "veth", error);
}

static gboolean
link_up (int         rt,
         const char *ifname,
         GError    **error)
{
  NlMsg m;
  struct ifinfomsg ifi = { 0 };

  ifi.ifi_family = AF_UNSPEC;
  ifi.ifi_index = (int) if_nametoindex (ifname);
  ifi.ifi_flags = IFF_UP;
  ifi.ifi_change = IFF_UP;
  nl_begin (&m, RTM_NEWLINK, 0, sizeof ifi);
  memcpy (NLMSG_DATA (m.h), &ifi, sizeof ifi);
  return nl_talk (rt, &m, ifname, error);
}

static gboolean
add_addr (int      rt,
          int      ifindex,
          guint32  addr,
          GError **error)
{
  NlMsg m;
  struct ifaddrmsg ifa = { 0 };
  guint32 a = g_htonl (addr);

  ifa.ifa_family = AF_INET;
  ifa.ifa_prefixlen = 32;
  ifa.ifa_index = ifindex;
  nl_begin (&m, RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE, sizeof ifa);
  memcpy (NLMSG_DATA (m.h), &ifa, sizeof ifa);
  nl_attr (&m, IFA_LOCAL, &a, 4);
  nl_attr (&m, IFA_ADDRESS, &a, 4);
  return nl_talk (rt, &m, "address", error);
}

/* A route to net/prefix on ifindex: direct (via 0) or through via, onlink;
 * with the metric initcwnd unless it is 0 (`ip route ... initcwnd N`). */
static gboolean
add_route (int      rt,
           int      ifindex,
           guint32  net_addr,
           guint8   prefix,
           guint32  via,
           guint32  initcwnd,
           GError **error)
{
  NlMsg m;
  struct rtmsg r = { 0 };
  guint32 dst = g_htonl (net_addr), gw = g_htonl (via);

  r.rtm_family = AF_INET;
  r.rtm_dst_len = prefix;
  r.rtm_table = RT_TABLE_MAIN;
  r.rtm_protocol = RTPROT_STATIC;
  r.rtm_scope = via == 0 ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
  r.rtm_type = RTN_UNICAST;
  r.rtm_flags = via == 0 ? 0 : RTNH_F_ONLINK;
  nl_begin (&m, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, sizeof r);
  memcpy (NLMSG_DATA (m.h), &r, sizeof r);
  nl_attr (&m, RTA_DST, &dst, 4);
  nl_attr (&m, RTA_OIF, &ifindex, sizeof ifindex);
  if (via != 0)
    nl_attr (&m, RTA_GATEWAY, &gw, 4);
  if (initcwnd != 0)
    {
      struct rtattr *metrics = nl_attr (&m, RTA_METRICS, NULL, 0);

      nl_attr (&m, RTAX_INITCWND, &initcwnd, sizeof initcwnd);
      nl_nest_end (&m, metrics);
    }
  return nl_talk (rt, &m, "route", error);
}

static gboolean
add_neigh (int            rt,
           int            ifindex,
           guint32        addr,
           const guint8   mac[6],
           GError       **error)
{
  NlMsg m;
  struct ndmsg nd = { 0 };
  guint32 a = g_htonl (addr);

  nd.ndm_family = AF_INET;
  nd.ndm_ifindex = ifindex;
  nd.ndm_state = NUD_PERMANENT;
  nl_begin (&m, RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE, sizeof nd);
  memcpy (NLMSG_DATA (m.h), &nd, sizeof nd);
  nl_attr (&m, NDA_DST, &a, 4);
  nl_attr (&m, NDA_LLADDR, mac, 6);
  return nl_talk (rt, &m, "neighbour", error);
}

/* Checksums, segmentation and coalescing off: the forwarder moves each
 * segment as the host sent it, with its checksum filled in. */
static void
offloads_off (const char *ifname)
{
  static const guint32 cmds[] = {
    ETHTOOL_STXCSUM, ETHTOOL_SRXCSUM, ETHTOOL_SSG, ETHTOOL_STSO, ETHTOOL_SGSO, ETHTOOL_SGRO,
  };
  int fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

  if (fd < 0)
    return;
  for (gsize i = 0; i < G_N_ELEMENTS (cmds); i++)
    {
      struct ethtool_value v = { cmds[i], 0 };
      struct ifreq ifr = { 0 };

      g_strlcpy (ifr.ifr_name, ifname, sizeof ifr.ifr_name);
      ifr.ifr_data = (void *) &v;
      ioctl (fd, SIOCETHTOOL, &ifr);   /* a feature veth lacks stays as it is */
    }
  close (fd);
}

static gboolean
get_mac (const char *ifname,
         guint8      mac[6])
{
  struct ifreq ifr = { 0 };
  int fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  gboolean ok;

  g_strlcpy (ifr.ifr_name, ifname, sizeof ifr.ifr_name);
  ok = fd >= 0 && ioctl (fd, SIOCGIFHWADDR, &ifr) == 0;
  if (ok)
    memcpy (mac, ifr.ifr_hwaddr.sa_data, 6);
  if (fd >= 0)
    close (fd);
  return ok;
}

/* ------------------------------------------------------------ namespaces */

gboolean
tl_real_net_enter (TlRealNet *net,
                   guint      which)
{
  g_assert (which < 3 && net->fd[which] >= 0);
  return setns (net->fd[which], CLONE_NEWNET) == 0;
}

void
tl_real_net_leave (TlRealNet *net)
{
  if (setns (net->orig_fd, CLONE_NEWNET) != 0)
    g_warning ("could not return to the original network namespace: %s", g_strerror (errno));
}

int
tl_real_net_socket (TlRealNet *net,
                    guint      which,
                    int        domain,
                    int        type,
                    int        protocol)
{
  int fd;

  if (!tl_real_net_enter (net, which))
    return -1;
  fd = socket (domain, type | SOCK_CLOEXEC, protocol);
  tl_real_net_leave (net);
  return fd;
}

gboolean
tl_real_write_file (const char *path,
                    const char *text)
{
  int fd = open (path, O_WRONLY | O_CLOEXEC);
  gssize n;
  int saved;

  if (fd < 0)
    return FALSE;
  n = write (fd, text, strlen (text));
  saved = errno;
  close (fd);
  errno = saved;
  return n == (gssize) strlen (text);
}

gboolean
tl_real_net_sysctl (TlRealNet   *net,
                    guint        which,
                    const char  *key,
                    const char  *value,
                    GError     **error)
{
  g_autofree char *path = g_strconcat ("/proc/sys/", key, NULL);
  gboolean ok = FALSE;
  int saved;

  if (tl_real_net_enter (net, which))
    {
      ok = tl_real_write_file (path, value);
      saved = errno;
      tl_real_net_leave (net);
    }
  else
    saved = errno;
  if (!ok)
    g_set_error (error, TL_REAL_ERROR, TL_REAL_ERROR_SETUP,
                 _("cannot set %s to %s: %s"), key, value, g_strerror (saved));
  return ok;
}

/* Makes a new namespace, bound under TL_REAL_NETNS_DIR as name; a host's
 * is made from within the link's (see tl_real_net_make). */
static gboolean
make_ns (TlRealNet *net,
         guint      which,
         GError   **error)
{
  g_autofree char *path = g_build_filename (TL_REAL_NETNS_DIR, net->name[which], NULL);
  int fd;

  if (which < 2 && !tl_real_net_enter (net, 2))
    {
      g_set_error (error, TL_REAL_ERROR, TL_REAL_ERROR_UNAVAILABLE,
                   _("cannot enter a network namespace: %s"), g_strerror (errno));
      return FALSE;
    }
  if (unshare (CLONE_NEWNET) != 0)
    {
      g_set_error (error, TL_REAL_ERROR, TL_REAL_ERROR_UNAVAILABLE,
                   _("cannot make a network namespace: %s"), g_strerror (errno));
      return FALSE;
    }
  net->fd[which] = open ("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  tl_real_net_leave (net);
  if (net->fd[which] < 0)
    {
      g_set_error (error, TL_REAL_ERROR, TL_REAL_ERROR_SETUP,
                   _("cannot open a network namespace: %s"), g_strerror (errno));
      return FALSE;
    }
  /* Named, so that `ip netns` shows it and a later run finds it if this
   * one dies; without /run/netns (a user namespace) it lives unnamed. */
  g_mkdir_with_parents (TL_REAL_NETNS_DIR, 0755);
  fd = open (path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
  if (fd >= 0)
    {
      close (fd);
      {
        g_autofree char *src = g_strdup_printf ("/proc/%d/fd/%d", getpid (), net->fd[which]);

        net->mounted[which] = mount (src, path, "none", MS_BIND, NULL) == 0;
      }
      if (!net->mounted[which])
        g_unlink (path);
    }
  return TRUE;
}

/* In namespace which: lo up, IPv6 off (nothing but the lesson's IPv4). */
static gboolean
ns_basics (TlRealNet *net,
           guint      which,
           int        rt,
           GError   **error)
{
  tl_real_net_sysctl (net, which, "net/ipv6/conf/all/disable_ipv6", "1", NULL);
  tl_real_net_sysctl (net, which, "net/ipv6/conf/default/disable_ipv6", "1", NULL);
  if (!tl_real_net_enter (net, which))
    return FALSE;
  {
    gboolean ok = link_up (rt, "lo", error);

    tl_real_net_leave (net);
    return ok;
  }
}

gboolean
tl_real_net_make (TlRealNet     *net,
                  const guint32  addrs[2],
                  guint          conns,
                  GError       **error)
{
  g_autofree char *buckets = g_strdup_printf ("%u", MAX (1024u, 1u << g_bit_storage (MIN (conns, 1u << 20))));
  int rt[3] = { -1, -1, -1 };
  guint8 mac[2][6];
  gboolean ok = FALSE;

  for (guint i = 0; i < 3; i++)
    {
      net->fd[i] = -1;
      net->name[i] = tl_real_ns_name (getpid (), i);
      net->mounted[i] = FALSE;
    }
  net->orig_fd = open ("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (net->orig_fd < 0)
    {
      g_set_error (error, TL_REAL_ERROR, TL_REAL_ERROR_UNAVAILABLE,
                   _("cannot open this thread's network namespace: %s"), g_strerror (errno));
      return FALSE;
    }
  tl_real_ns_remove_stale (TL_REAL_NETNS_DIR);
  /* The hosts' namespaces are children of the link's, with a TCP hash
   * table of their own (net.ipv4.tcp_child_ehash_entries of the parent):
   * a sock_diag dump then walks a few buckets, not the machine's whole
   * table (2.7 ms a dump on this machine, measured, instead of microseconds).
   * A lesson of many connections gets a bucket for each: connect() walks
   * the ports for a free one, and a bucket's chain for each port
   * (__inet_check_established); with 28,000 time-wait sockets in 1024
   * buckets the walk took all of a core once half the ports were used. */
  if (!make_ns (net, 2, error))
    return FALSE;
  tl_real_net_sysctl (net, 2, "net/ipv4/tcp_child_ehash_entries", buckets, NULL);
  for (guint i = 0; i < 2; i++)
    if (!make_ns (net, i, error))
      return FALSE;
  /* A namespace may hold half its table's size of time-wait sockets
   * (tcp_max_tw_buckets, 512 with a table of 1024), where a machine holds
   * half of its own (131072 on this project's): past it a connection that
   * should wait in TIME_WAIT is gone at once (tcp_time_wait: "time wait
   * bucket table overflow").  The hosts get the machine's, read in the
   * link's namespace, which shares the machine's table. */
  if (tl_real_net_enter (net, 2))
    {
      g_autofree char *tw = NULL;

      g_file_get_contents ("/proc/sys/net/ipv4/tcp_max_tw_buckets", &tw, NULL, NULL);
      tl_real_net_leave (net);
      for (guint i = 0; i < 2 && tw != NULL; i++)
        tl_real_net_sysctl (net, i, "net/ipv4/tcp_max_tw_buckets", g_strstrip (tw), NULL);
    }
  for (guint i = 0; i < 3; i++)
    if ((rt[i] = tl_real_net_socket (net, i, AF_NETLINK, SOCK_RAW, NETLINK_ROUTE)) < 0)
      {
        g_set_error (error, TL_REAL_ERROR, TL_REAL_ERROR_SETUP,
                     _("cannot open a netlink socket: %s"), g_strerror (errno));
        goto out;
      }
  for (guint i = 0; i < 3; i++)
    {
      struct timeval tv = { 2, 0 };

      setsockopt (rt[i], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      if (!ns_basics (net, i, rt[i], error))
        goto out;
    }
  for (guint i = 0; i < 2; i++)
    if (!make_veth (rt[i], net->fd[i], net->fd[2], i, error))
      goto out;
  /* Offloads off and interfaces up, on both ends of each pair. */
  for (guint i = 0; i < 3; i++)
    {
      static const char *const ifs[3][2] = { { "v0", NULL }, { "v0", NULL }, { "l0", "l1" } };

      if (!tl_real_net_enter (net, i))
        goto out;
      for (guint j = 0; j < 2 && ifs[i][j] != NULL; j++)
        {
          offloads_off (ifs[i][j]);
          if (!link_up (rt[i], ifs[i][j], error))
            {
              tl_real_net_leave (net);
              goto out;
            }
        }
      if (i < 2 && !get_mac ("v0", mac[i]))
        {
          tl_real_net_leave (net);
          g_set_error (error, TL_REAL_ERROR, TL_REAL_ERROR_SETUP,
                       _("cannot read the address of a veth interface"));
          goto out;
        }
      tl_real_net_leave (net);
    }
  for (guint i = 0; i < 2; i++)
    {
      int ifindex;

      if (!tl_real_net_enter (net, i))
        goto out;
      ifindex = (int) if_nametoindex ("v0");
      tl_real_net_leave (net);
      if (!add_addr (rt[i], ifindex, addrs[i], error)
          || !add_route (rt[i], ifindex, addrs[1 - i], 32, 0, 0, error)
          || !add_neigh (rt[i], ifindex, addrs[1 - i], mac[1 - i], error))
        goto out;
      /* A flood's replies go to made-up addresses: no reverse-path check. */
      tl_real_net_sysctl (net, i, "net/ipv4/conf/all/rp_filter", "0", NULL);
      tl_real_net_sysctl (net, i, "net/ipv4/conf/default/rp_filter", "0", NULL);
      tl_real_net_sysctl (net, i, "net/ipv4/conf/v0/rp_filter", "0", NULL);
    }
  ok = TRUE;
out:
  for (guint i = 0; i < 3; i++)
    if (rt[i] >= 0)
      close (rt[i]);
  return ok;
}

gboolean
tl_real_net_route_via (TlRealNet *net,
                       guint      which,
                       guint32    net_addr,
                       guint8     prefix_len,
                       guint32    via,
                       guint32    initcwnd,
                       GError   **error)
{
  int rt = tl_real_net_socket (net, which, AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
  int ifindex;
  gboolean ok;

  if (rt < 0 || !tl_real_net_enter (net, which))
    {
      if (rt >= 0)
        close (rt);
      g_set_error (error, TL_REAL_ERROR, TL_REAL_ERROR_SETUP,
                   _("cannot open a netlink socket: %s"), g_strerror (errno));
      return FALSE;
    }
  ifindex = (int) if_nametoindex ("v0");
  tl_real_net_leave (net);
  ok = add_route (rt, ifindex, net_addr, prefix_len, via, initcwnd, error);
  close (rt);
  return ok;
}

void
tl_real_net_destroy (TlRealNet *net,
                     gboolean   keep)
{
  for (guint i = 0; i < 3; i++)
    {
      if (net->mounted[i] && !keep)
        {
          g_autofree char *path = g_build_filename (TL_REAL_NETNS_DIR, net->name[i], NULL);

          ns_unlink (path);
        }
      if (net->fd[i] >= 0)
        close (net->fd[i]);
      net->fd[i] = -1;
      g_clear_pointer (&net->name[i], g_free);
    }
  if (net->orig_fd >= 0)
    close (net->orig_fd);
  net->orig_fd = -1;
}

/* ------------------------------------------------------------ sock_diag */

gboolean
tl_real_state_from_kernel (int      kstate,
                           TlState *state)
{
  return kstate > 0 && kstate < 256 && tl_sockdiag_linux_state ((guint8) kstate, state);
}

gboolean
tl_real_state_from_name (const char *name,
                         TlState    *state)
{
  static const char *const names[] = {
    NULL, "TCP_ESTABLISHED", "TCP_SYN_SENT", "TCP_SYN_RECV", "TCP_FIN_WAIT1",
    "TCP_FIN_WAIT2", "TCP_TIME_WAIT", "TCP_CLOSE", "TCP_CLOSE_WAIT", "TCP_LAST_ACK",
    "TCP_LISTEN", "TCP_CLOSING", "TCP_NEW_SYN_RECV",
  };

  for (guint i = 1; i < G_N_ELEMENTS (names); i++)
    if (strcmp (name, names[i]) == 0)
      return tl_real_state_from_kernel ((int) i, state);
  return FALSE;
}

static gboolean
diag_request (int     fd,
              guint32 states)
{
  struct
  {
    struct nlmsghdr         h;
    struct inet_diag_req_v2 r;
  } req = { 0 };

  req.h.nlmsg_len = sizeof req;
  req.h.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  req.r.sdiag_family = AF_INET;
  req.r.sdiag_protocol = IPPROTO_TCP;
  req.r.idiag_states = states;
  return send (fd, &req, sizeof req, 0) == (ssize_t) sizeof req;
}

/* Calls func on every inet_diag_msg of a dump; FALSE on an error. */
static gboolean
diag_walk (int     fd,
           guint32 states,
           void  (*func) (const struct inet_diag_msg *msg, gpointer data),
           gpointer data)
{
  static char buf[32768];

  if (!diag_request (fd, states))
    return FALSE;
  for (;;)
    {
      ssize_t n = recv (fd, buf, sizeof buf, 0);

      if (n <= 0)
        return FALSE;
      for (struct nlmsghdr *h = (struct nlmsghdr *) (void *) buf; NLMSG_OK (h, (guint) n);
           h = NLMSG_NEXT (h, n))
        {
          if (h->nlmsg_type == NLMSG_DONE)
            return TRUE;
          if (h->nlmsg_type == NLMSG_ERROR)
            return FALSE;
          func (NLMSG_DATA (h), data);
        }
    }
}

static void
collect_sock (const struct inet_diag_msg *msg,
              gpointer                    data)
{
  GArray *socks = data;
  TlRealSock s = { 0 };
  TlState state;

  if (!tl_real_state_from_kernel (msg->idiag_state, &state))
    return;
  s.laddr = g_ntohl (msg->id.idiag_src[0]);
  s.raddr = g_ntohl (msg->id.idiag_dst[0]);
  s.lport = g_ntohs (msg->id.idiag_sport);
  s.rport = g_ntohs (msg->id.idiag_dport);
  s.state = state;
  /* The small sockets: a request (shown as SYN_RECV), a time-wait socket
   * (TIME_WAIT, or FIN_WAIT2 with the time-wait timer, 3).  A full socket
   * is in SYN_RECV only for the moment its handshake completes. */
  s.mini = state == TL_STATE_SYN_RCVD || state == TL_STATE_TIME_WAIT
           || (state == TL_STATE_FIN_WAIT_2 && msg->idiag_timer == 3);
  g_array_append_val (socks, s);
}

gboolean
tl_real_diag_dump (int      fd,
                   guint32  states,
                   GArray  *socks,
                   GError **error)
{
  g_array_set_size (socks, 0);
  if (!diag_walk (fd, states, collect_sock, socks))
    {
      g_set_error (error, TL_REAL_ERROR, TL_REAL_ERROR_FAILED,
                   _("reading the sockets (sock_diag) failed: %s"), g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  GArray *ids;
} Victims;

static void
collect_id (const struct inet_diag_msg *msg,
            gpointer                    data)
{
  Victims *v = data;

  g_array_append_val (v->ids, msg->id);
}

guint
tl_real_diag_destroy_all (int fd)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (struct inet_diag_sockid));
  Victims v = { ids };
  guint n = 0;

  if (!diag_walk (fd, 0xffffffffu, collect_id, &v))
    return 0;
  for (guint i = 0; i < ids->len; i++)
    {
      struct
      {
        struct nlmsghdr         h;
        struct inet_diag_req_v2 r;
      } req = { 0 };
      char reply[512];

      req.h.nlmsg_len = sizeof req;
      req.h.nlmsg_type = SOCK_DESTROY;
      req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
      req.r.sdiag_family = AF_INET;
      req.r.sdiag_protocol = IPPROTO_TCP;
      req.r.idiag_states = 0xffffffffu;
      req.r.id = g_array_index (ids, struct inet_diag_sockid, i);
      if (send (fd, &req, sizeof req, 0) == (ssize_t) sizeof req
          && recv (fd, reply, sizeof reply, 0) > 0)
        {
          const struct nlmsghdr *h = (const struct nlmsghdr *) (void *) reply;

          if (h->nlmsg_type == NLMSG_ERROR && ((const struct nlmsgerr *) NLMSG_DATA (h))->error == 0)
            n++;
        }
    }
  return n;
}
