/* tl-real-link.c: the link's forwarder and the floods.  Each frame a host
 * puts on its veth is read from the link namespace's end (AF_PACKET, with
 * the kernel's stamp), given its fate and delay by core's link model
 * (tl-link.h, with the lesson's seed), recorded, and written to the other
 * end when due; `lose` and `duplicate` act on what is in flight.  A flood
 * is made-up SYNs from a raw socket in the other host's namespace. */
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
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tl-pcap.h"

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
flight_add (TlRealRun    *run,
            guint         seg,
            guint8        to,
            gint64        due,
            const guint8 *frame,
            gsize         len)
{
  TlRealFlight *f = g_new (TlRealFlight, 1);

  f->due = due;
  f->seg = seg;
  f->to = to;
  f->len = (guint16) MIN (len, TL_REAL_MAX_FRAME);
  memcpy (f->frame, frame, f->len);
  g_ptr_array_add (run->flights, f);
}

static guint
seg_add (TlRealRun       *run,
         const TlRealSeg *s)
{
  g_array_append_val (run->log.segs, *s);
  return run->log.segs->len - 1;
}

/* A frame host `from` put on its veth at time t. */
static void
link_frame (TlRealRun    *run,
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

void
tl_real_link_read (TlRealRun *run,
                   guint      from)
{
  guint8 buf[TL_REAL_MAX_FRAME];
  char control[256];

  for (guint k = 0; k < 1000; k++)
    {
      struct sockaddr_ll sll;
      struct iovec iov = { buf, sizeof buf };
      struct msghdr msg = { &sll, sizeof sll, &iov, 1, control, sizeof control, 0 };
      ssize_t n = recvmsg (run->pkt[from], &msg, MSG_DONTWAIT);
      gint64 t = tl_real_now_us (run);

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

/* The frames due by now leave in the order they are due, and those due at
 * the same moment in the order they came (a link does not reorder what
 * went on it with the same delay: Linux's recovery would take it for loss). */
void
tl_real_link_deliver (TlRealRun *run,
                      gint64     now)
{
  for (;;)
    {
      TlRealFlight *f = NULL;
      TlRealSeg *s;
      guint i = 0;

      for (guint j = 0; j < run->flights->len; j++)
        {
          TlRealFlight *g = g_ptr_array_index (run->flights, j);

          if (g->due <= now && (f == NULL || g->due < f->due))
            {
              f = g;
              i = j;
            }
        }
      if (f == NULL)
        return;
      s = &g_array_index (run->log.segs, TlRealSeg, f->seg);
      /* When it reached the host, which a loaded machine makes a little
       * later than it was due. */
      s->arrive_us = MAX (f->due, tl_real_now_us (run));
      s->delay_us = s->arrive_us - s->sent_us;
      if (run->host[f->to].crashed)
        s->arrive_fate = TL_FATE_LOST_HOST_DOWN;
      else
        send (run->pkt[f->to], f->frame, f->len, MSG_DONTWAIT);
      g_ptr_array_remove_index (run->flights, i);
    }
}

/* `lose` and `duplicate`: the matching segments on the wire now. */
guint
tl_real_link_wire (TlRealRun    *run,
                   const TlStmt *st,
                   gint64        now)
{
  gboolean lose = st->kind == TL_STMT_LOSE;
  guint n = 0, len = run->flights->len;

  for (guint i = 0; i < len;)
    {
      TlRealFlight *f = g_ptr_array_index (run->flights, i);
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
          g_ptr_array_remove_index (run->flights, i);
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
flood_send_one (TlRealRun   *run,
                TlRealFlood *f)
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

void
tl_real_floods_run (TlRealRun *run,
                    gint64     now,
                    gint64    *next)
{
  for (guint i = 0; i < run->floods->len; i++)
    {
      TlRealFlood *f = &g_array_index (run->floods, TlRealFlood, i);

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
