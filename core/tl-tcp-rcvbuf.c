/* tl-tcp-rcvbuf.c: the receive window a connection offers.  The rfc
 * profile (and the linux profile with the key window set, which is
 * SO_RCVBUF and no window scale) offers its buffer less what is unread.
 *
 * The linux profile with its default buffer does what Linux 6.18 does
 * (tcp_input.c, tcp_output.c), measured on this project's lab:
 *
 * - Memory, not bytes: each segment queued costs its skb's truesize
 *   (sk_rmem_alloc), which on the lab's veth links is the kmalloc bucket
 *   its frame needs plus the sk_buff: 2304 bytes for 1448 of data, 1280
 *   for 300, 832 for 100; a small segment that fits the tailroom of the
 *   unread skb before it is copied there and costs nothing (tcp_try_coalesce).
 *   Seen with `ss -tm` on a receiver that does not read: 100, 100, 300,
 *   1000, 1448, 1448, 1200 and 60 bytes cost 832, 832, 1280, 2304, 2304,
 *   2304, 2304 and 0.
 * - The buffer (sk_rcvbuf, tcp_rmem[1] = 128 KiB at first) becomes a window
 *   by the ratio of payload to truesize the connection measured
 *   (scaling_ratio, 1448 / 2304 = 160/256 here; 128/256 until a segment of
 *   rcv_mss or more arrives).  The window offered is the free space
 *   (tcp_space), no more than rcv_ssthresh, aligned up to the scale
 *   (__tcp_select_window); once the free space is under half the buffer it
 *   is rounded down, and under a sixteenth of it (or under rcv_mss) the
 *   window is zero.  An announced window is never taken back
 *   (tcp_select_window): the right edge stays, so the window closes only
 *   when the data fills what was offered.
 * - Without a window scale (net.ipv4.tcp_window_scaling 0 on either host)
 *   the window is a multiple of rcv_mss, the one last offered kept while
 *   it is within a segment of the free space (__tcp_select_window); past
 *   65535 the field says 65535 and rcv_wnd keeps the whole
 *   (tcp_select_window).  Seen with `tcplab-cli real --out`: a client
 *   that does not read says 65535 while its right edge grows to 81749,
 *   then 64360, 62900 ... 636; a sender that receives only ACKs keeps its
 *   SYN,ACK's 64240 (tests/sweep/no-window-scaling.lesson).
 * - rcv_ssthresh starts at the window clamp (64088 = 64 KiB less a segment,
 *   tcp_init_buffer_space), rises to the last window announced when the
 *   ratio is first measured (tcp_set_window_clamp) and grows by two
 *   segments for each segment of 128 bytes or more, within the free space
 *   (tcp_grow_window, __tcp_grow_window: a segment whose truesize is poorly
 *   used grows it only while rcv_ssthresh is small).
 * - Data arriving while the memory exceeds the buffer makes the buffer
 *   that large (tcp_prune_queue, tcp_clamp_window), and ends quick ACKs.
 * - Data held out of order takes memory too (tcp_data_queue_ofo,
 *   skb_set_owner_r), counted here from the held ranges as full segments;
 *   it measures the receive MSS and the ratio (tcp_measure_rcv_mss, Linux
 *   6.17 on) and with SACK grows rcv_ssthresh as data in order does, before
 *   it is charged (tcp_grow_window): the window's growth asks for a quick
 *   ACK (seen on the kernel: tests/sweep/slow-start-loss.lesson, the first
 *   segment after the hole ACKed at once before the three duplicate ACKs
 *   SACK compression lets go; tests/sweep/sack-compress.lesson, the
 *   first flight's 9 segments after a hole, the window 66, 69, 72, 75).
 *   Linux 6.16 on, it grows the buffer of a socket the program holds as a
 *   read would, with the last measure (tcp_rcvbuf_grow): twice that, and
 *   the span up to its end (seen with `ss -tm`: 10 segments held 57920
 *   bytes beyond rcv_nxt after a measure of 14480, the buffer 139008).
 * - Dynamic right-sizing (tcp_rcv_space_adjust, tcp_rcvbuf_grow): at most
 *   once per receive RTT (measured from the timestamps echoed, or the time
 *   a window of data takes), a read that finds more bytes read in the last
 *   RTT than ever before makes the buffer hold twice that, so a long
 *   transfer's window keeps growing.
 */
#include "tl-sim-private.h"

#define LINUX_RCVBUF_INIT   131072       /* tcp_rmem[1] */
#define LINUX_RCVBUF_MAX    33554432     /* tcp_rmem[2] */
#define LINUX_RATIO_INIT    128          /* TCP_DEFAULT_SCALING_RATIO */
#define LINUX_RATIO_SHIFT   8            /* TCP_RMEM_TO_WIN_SCALE */
#define LINUX_RCV_MSS_INIT  536          /* TCP_MSS_DEFAULT */
/* The lab's skbs: the frame behind LL_RESERVED_SPACE (16) in a head of
 * SKB_HEAD_ALIGN(size), from the small-head cache (576) or a power-of-two
 * kmalloc bucket, whose last 320 bytes are skb_shared_info; truesize adds
 * the sk_buff (256). */
#define SKB_RESERVE         16
#define SKB_FRAME_HEADERS   (14 + 20)    /* Ethernet and IPv4 */
#define SKB_SHINFO          320
#define SKB_SMALL_HEAD      576
#define SKB_STRUCT          256

typedef struct
{
  guint32 end;        /* sequence number after its data */
  guint32 truesize;
  guint32 tailroom;   /* what a following small segment may be copied into */
} TlRxSkb;

/* Linux's default buffer: no SO_RCVBUF (the key window), so a window
 * scale of 10 if both SYNs had the option, else none. */
static gboolean
linux_settings (const TlTcb *tcb)
{
  return tcb->settings.profile == TL_PROFILE_LINUX && !tcb->settings.window_set
         && tcb->settings.window == TL_DEFAULT_WINDOW;
}

static gboolean
linux_buffer (const TlTcb *tcb)
{
  return linux_settings (tcb) && tcb->rcvbuf != 0;
}

static gint64
win_from_space (const TlTcb *tcb,
                gint64       space)
{
  return (space * tcb->scaling_ratio) >> LINUX_RATIO_SHIFT;
}

static guint32
align_up (guint32 window,
          guint8  wscale)
{
  guint32 unit = 1u << wscale;

  return (window + unit - 1) / unit * unit;
}

/* Linux's advmss: the MSS we announced, less the timestamps option. */
static guint32
advmss (const TlTcb *tcb)
{
  return tcb->settings.mss - (tcb->ts_ok ? TL_TCP_TS_LEN : 0);
}

static guint32
rcv_mss (const TlTcb *tcb)
{
  return tcb->rcv_mss != 0 ? tcb->rcv_mss : MIN (advmss (tcb), LINUX_RCV_MSS_INIT);
}

/* The skb a segment of len bytes arrives in, on the lab's veth links. */
static TlRxSkb
skb_of (const TlTcb *tcb,
        guint32      len)
{
  guint32 frame = SKB_RESERVE + SKB_FRAME_HEADERS + 20 + (tcb->ts_ok ? TL_TCP_TS_LEN : 0) + len;
  guint32 head = ((frame + 63) & ~63u) + SKB_SHINFO;
  guint32 bucket = SKB_SMALL_HEAD;

  if (head > SKB_SMALL_HEAD)
    for (bucket = 1024; bucket < head; bucket <<= 1)
      ;
  return (TlRxSkb) { .truesize = bucket + SKB_STRUCT, .tailroom = bucket - SKB_SHINFO - frame };
}

/* The end of what is held out of order (ooo_last_skb), or end if that
 * lies beyond it. */
static guint32
ooo_end (const TlTcb *tcb,
         guint32      end)
{
  for (guint i = 0; i < tcb->n_ooo; i++)
    if (TL_SEQ_GT (tcb->ooo[i].end, end))
      end = tcb->ooo[i].end;
  return end;
}

/* sk_rmem_alloc: what is unread, and what is held out of order (its
 * ranges taken as full segments, as they came in a bulk transfer). */
static gint64
rmem_alloc (const TlTcb *tcb)
{
  gint64 mem = tcb->rmem;
  guint32 mss = advmss (tcb);

  for (guint i = 0; i < tcb->n_ooo; i++)
    {
      guint32 len = tcb->ooo[i].end - tcb->ooo[i].seq;

      mem += (gint64) (len / mss) * skb_of (tcb, mss).truesize;
      if (len % mss != 0)
        mem += skb_of (tcb, len % mss).truesize;
    }
  return mem;
}

/* tcp_try_rmem_schedule: over its buffer, the socket takes the memory it
 * holds as its buffer (tcp_prune_queue, tcp_clamp_window), and quick ACKs
 * end. */
static void
rmem_schedule (TlTcb *tcb)
{
  gint64 mem = rmem_alloc (tcb);

  if (mem > tcb->rcvbuf)
    {
      tcb->rcvbuf = (guint32) MIN (mem, LINUX_RCVBUF_MAX);
      tcb->quick_acks = 0;
    }
}

void
tl_tcp_rcvbuf_init (TlTcb  *tcb,
                    gint64  now_us)
{
  guint32 maxwin;

  if (!linux_settings (tcb))
    return;
  tcb->rcvbuf = LINUX_RCVBUF_INIT;
  tcb->rmem = 0;
  tcb->scaling_ratio = LINUX_RATIO_INIT;
  tcb->rcv_mss = MIN (advmss (tcb), LINUX_RCV_MSS_INIT);
  /* tcp_init_buffer_space: the clamp is the whole buffer's window less one
   * segment (tcp_app_win 31 takes nothing; without a window scale
   * tcp_select_initial_window made it 65535, and the segment reserved
   * makes it the same); the SYN's window announced */
  maxwin = (guint32) win_from_space (tcb, tcb->rcvbuf);
  tcb->window_clamp = MAX (2 * advmss (tcb), maxwin - advmss (tcb));
  tcb->rcv_wnd = tl_tcp_syn_window (tcb, tcb->state != TL_STATE_SYN_SENT);
  tcb->rcv_wup = tcb->rcv_nxt;
  tcb->rcv_ssthresh = MIN (tcb->rcv_wnd, tcb->window_clamp);
  tcb->rcvq_space = MIN (MIN (tcb->rcv_ssthresh, tcb->rcv_wnd), 10 * advmss (tcb));
  tcb->rcvq_seq = tcb->rcv_nxt;
  tcb->rcvq_time_us = now_us;
  tcb->rcv_rtt_time_us = -1;
}

void
tl_tcp_rcvbuf_free (TlTcb *tcb)
{
  g_clear_pointer (&tcb->rxq, g_array_unref);
}

/* tcp_receive_window: what the last announcement still lets the peer send. */
static guint32
announced_left (const TlTcb *tcb)
{
  gint32 left = (gint32) (tcb->rcv_wup + tcb->rcv_wnd - tcb->rcv_nxt);

  return left > 0 ? (guint32) left : 0;
}

/* __tcp_select_window: the window the free space allows now. */
static guint32
free_window (const TlTcb *tcb)
{
  gint64 free_space = win_from_space (tcb, (gint64) tcb->rcvbuf - rmem_alloc (tcb));
  gint64 allowed = win_from_space (tcb, tcb->rcvbuf);
  gint64 full = MIN ((gint64) tcb->window_clamp, allowed);
  gint64 mss = MIN ((gint64) rcv_mss (tcb), full);
  gint64 window = tcb->rcv_wnd;

  if (mss <= 0)
    return 0;
  if (free_space < full / 2)
    {
      free_space -= free_space > 0 ? free_space % (1 << tcb->rcv_wscale) : 0;
      if (free_space < allowed / 16 || free_space < mss)
        return 0;
    }
  free_space = MIN (free_space, (gint64) tcb->rcv_ssthresh);
  if (tcb->rcv_wscale != 0)
    return align_up ((guint32) free_space, tcb->rcv_wscale);
  /* Without a scale, a multiple of the receive MSS; the window last
   * offered stays while it is within a segment of the free space. */
  if (window <= free_space - mss || window > free_space)
    window = free_space / mss * mss;
  else if (mss == full && free_space > window + (full >> 1))
    window = free_space;
  return (guint32) window;
}

guint32
tl_tcp_window (const TlTcb *tcb)
{
  guint32 window = tcb->settings.window;

  if (linux_buffer (tcb))
    {
      /* tcp_select_window: never less than what was offered; more than the
       * field can say (65535 without a scale) is offered as the most it
       * can, and rcv_wnd keeps the whole */
      guint32 left = announced_left (tcb);
      guint32 now = free_window (tcb);

      return now < left ? align_up (left, tcb->rcv_wscale) : now;
    }
  window = window > tcb->recv_q ? window - tcb->recv_q : 0;
  window = MIN (window, (guint32) G_MAXUINT16 << tcb->rcv_wscale);
  /* What the scaled field can say.  Linux aligns its free space (64240 at
   * first) up to the scale, and says 63 * 1024 as here. */
  return window >> tcb->rcv_wscale << tcb->rcv_wscale;
}

guint32
tl_tcp_rcv_window (const TlTcb *tcb)
{
  return linux_buffer (tcb) ? announced_left (tcb) : tl_tcp_window (tcb);
}

void
tl_tcp_window_announced (TlTcb   *tcb,
                         guint32  window)
{
  gint64 free_space;

  if (!linux_buffer (tcb))
    return;
  tcb->rcv_wnd = window;
  /* __tcp_select_window: a buffer half full ends quick ACKs */
  free_space = win_from_space (tcb, (gint64) tcb->rcvbuf - rmem_alloc (tcb));
  if (free_space < MIN ((gint64) tcb->window_clamp, win_from_space (tcb, tcb->rcvbuf)) / 2)
    tcb->quick_acks = 0;
}

/* tcp_set_window_clamp */
static void
set_window_clamp (TlTcb   *tcb,
                  guint32  clamp)
{
  guint32 old = tcb->window_clamp;

  tcb->window_clamp = clamp;
  if (clamp < old)
    tcb->rcv_ssthresh = MIN (tcb->rcv_ssthresh, clamp);
  else
    tcb->rcv_ssthresh = MAX (MIN (tcb->rcv_wnd, clamp), tcb->rcv_ssthresh);
}

/* tcp_measure_rcv_mss, for a segment as long as rcv_mss or longer: the
 * ratio of payload to truesize measured again, the clamp following it. */
static void
measure_rcv_mss (TlTcb         *tcb,
                 guint32        len,
                 const TlRxSkb *skb)
{
  if (len < rcv_mss (tcb))
    return;
  if (len != rcv_mss (tcb))
    {
      guint32 ratio = (guint32) (((guint64) len << LINUX_RATIO_SHIFT) / skb->truesize);

      ratio = CLAMP (ratio, 1u, 255u);
      if (ratio != tcb->scaling_ratio)
        {
          tcb->scaling_ratio = (guint8) ratio;
          set_window_clamp (tcb, (guint32) win_from_space (tcb, tcb->rcvbuf));
          tcb->rcvq_space = MIN (tcb->rcvq_space, tcb->window_clamp);
        }
    }
  tcb->rcv_mss = MIN (len, advmss (tcb));
}

/* tcp_rcv_rtt_update: the receiver's RTT is the least sample (Linux 6.16
 * on: "always seek for minimal rtt"). */
static void
rcv_rtt_sample (TlTcb  *tcb,
                gint64  sample_us)
{
  sample_us = MAX (sample_us, 1);
  if (tcb->rcv_rtt_us == 0 || sample_us < tcb->rcv_rtt_us)
    tcb->rcv_rtt_us = sample_us;
}

/* tcp_rcv_rtt_measure_ts, for every segment with data, in order or not:
 * the TSecr of a full segment tells how long since we sent what it
 * answers. */
static void
rcv_rtt_measure_ts (TlTcb           *tcb,
                    guint32          len,
                    const TlSegment *seg,
                    gint64           now_us)
{
  gint32 ms;

  if (!seg->ts || !tcb->ts_ok || seg->tsecr == tcb->rcv_rtt_tsecr)
    return;
  ms = (gint32) (tl_tcp_ts_now (tcb, now_us) - seg->tsecr);
  tcb->rcv_rtt_tsecr = seg->tsecr;
  if (len >= rcv_mss (tcb) && ms >= 0)
    rcv_rtt_sample (tcb, (gint64) ms * TL_USEC_PER_MSEC);
}

/* tcp_grow_window */
static void
grow_window (TlTcb         *tcb,
             guint32        len,
             const TlRxSkb *skb)
{
  gint64 space = win_from_space (tcb, (gint64) tcb->rcvbuf - rmem_alloc (tcb));
  gint64 room = MIN ((gint64) tcb->window_clamp, space) - tcb->rcv_ssthresh;
  guint32 incr = 0;

  if (room <= 0)
    return;
  if (win_from_space (tcb, skb->truesize) <= len)
    incr = 2 * advmss (tcb);
  else
    {
      /* __tcp_grow_window: a poorly used truesize still grows a small
       * window, less as it grows */
      gint64 truesize = win_from_space (tcb, skb->truesize) >> 1;
      gint64 window = win_from_space (tcb, LINUX_RCVBUF_MAX) >> 1;

      while (tcb->rcv_ssthresh <= window)
        {
          if (truesize <= len)
            {
              incr = 2 * rcv_mss (tcb);
              break;
            }
          truesize >>= 1;
          window >>= 1;
        }
    }
  if (incr == 0)
    return;
  incr = MAX (incr, 2 * len);
  tcb->rcv_ssthresh += (guint32) MIN (room, (gint64) incr);
  /* icsk_ack.quick |= 1: the window grew, so the next ACK goes at once */
  tcb->quick_acks |= 1;
}

/* tcp_rcvbuf_grow: the buffer made to hold twice newval, the bytes read
 * in a receive RTT, and for a sender in slow start twice the growth over
 * the last measure again (seen: 86880 read after 14480 made the buffer
 * 11 x 173760 / (160/256) = 3058176 bytes), and the span from rcv_nxt to
 * held_end, the end of what is held out of order; the clamp follows it. */
static void
rcvbuf_grow (TlTcb   *tcb,
             guint32  newval,
             guint32  held_end)
{
  guint32 oldval = tcb->rcvq_space;
  guint64 rcvwin = (guint64) newval << 1;
  guint64 rcvbuf;

  tcb->rcvq_space = newval;
  if (newval > oldval)
    rcvwin += (rcvwin * (guint64) (newval - oldval) / oldval) << 1;
  rcvwin += held_end - tcb->rcv_nxt;
  rcvbuf = MIN ((rcvwin << LINUX_RATIO_SHIFT) / tcb->scaling_ratio, (guint64) LINUX_RCVBUF_MAX);
  if (rcvbuf > tcb->rcvbuf)
    {
      tcb->rcvbuf = (guint32) rcvbuf;
      tcb->window_clamp = (guint32) win_from_space (tcb, tcb->rcvbuf);
    }
}

/* Queues an skb of len bytes ending at end: copied into the tailroom of
 * the unread one before it if it fits (tcp_try_coalesce), else charged. */
static TlRxSkb
queue_skb (TlTcb   *tcb,
           guint32  len,
           guint32  end)
{
  TlRxSkb skb = skb_of (tcb, len);
  TlRxSkb *tail;

  skb.end = end;
  if (tcb->rxq == NULL)
    tcb->rxq = g_array_new (FALSE, FALSE, sizeof (TlRxSkb));
  tail = tcb->rxq->len > 0 ? &g_array_index (tcb->rxq, TlRxSkb, tcb->rxq->len - 1) : NULL;
  if (tail != NULL && tail->tailroom >= len)
    {
      tail->tailroom -= len;
      tail->end = end;
    }
  else
    {
      g_array_append_val (tcb->rxq, skb);
      tcb->rmem += skb.truesize;
    }
  return skb;
}

void
tl_tcp_rcvbuf_queue (TlTcb           *tcb,
                     guint32          len,
                     const TlSegment *seg,
                     gint64           now_us)
{
  if (!linux_buffer (tcb) || len == 0)
    return;
  if (seg == NULL)
    {
      /* data held out of order, now in order: queued as the segments it
       * came in (taken as full ones), already charged (tcp_ofo_queue) */
      guint32 seq = tcb->rcv_nxt - len;

      while (seq != tcb->rcv_nxt)
        {
          guint32 n = MIN (tcb->rcv_nxt - seq, advmss (tcb));

          seq += n;
          queue_skb (tcb, n, seq);
        }
      return;
    }
  rcv_rtt_measure_ts (tcb, len, seg, now_us);
  rmem_schedule (tcb);
  queue_skb (tcb, len, tcb->rcv_nxt);
}

void
tl_tcp_rcvbuf_ofo (TlTcb           *tcb,
                   guint32          len,
                   const TlSegment *seg,
                   gint64           now_us)
{
  TlRxSkb skb;

  if (!linux_buffer (tcb) || len == 0)
    return;
  rcv_rtt_measure_ts (tcb, len, seg, now_us);
  rmem_schedule (tcb);
  /* Linux 6.17 on measures the receive MSS here too */
  skb = skb_of (tcb, len);
  measure_rcv_mss (tcb, len, &skb);
  /* "for non sack flows, do not grow window to force DUPACK" */
  if (tcb->sack_ok)
    grow_window (tcb, len, &skb);
  /* the buffer grows to hold it (Linux 6.16 on: tcp_rcvbuf_grow with the
   * last measure), for a socket the program holds: "do not grow rcvbuf
   * for not-yet-accepted or orphaned sockets" */
  if (tcb->app_owned && !tcb->orphan)
    rcvbuf_grow (tcb, tcb->rcvq_space, ooo_end (tcb, seg->seq + len));
}

void
tl_tcp_rcvbuf_data (TlTcb           *tcb,
                    guint32          len,
                    const TlSegment *seg,
                    gint64           now_us)
{
  TlRxSkb skb;

  if (!linux_buffer (tcb) || len == 0 || seg == NULL)
    return;
  /* tcp_event_data_recv, for the skb the segment came in */
  skb = skb_of (tcb, len);
  measure_rcv_mss (tcb, len, &skb);
  if (tcb->rcv_rtt_time_us < 0 || TL_SEQ_GEQ (tcb->rcv_nxt, tcb->rcv_rtt_seq))
    {
      /* tcp_rcv_rtt_measure: the time a window's worth of data takes */
      if (tcb->rcv_rtt_time_us >= 0)
        rcv_rtt_sample (tcb, now_us - tcb->rcv_rtt_time_us);
      tcb->rcv_rtt_seq = tcb->rcv_nxt + tcb->rcv_wnd;
      tcb->rcv_rtt_time_us = now_us;
    }
  if (len >= 128)
    grow_window (tcb, len, &skb);
}

/* tcp_rcv_space_adjust, after the first skb of a read: once per receive
 * RTT, more read in it than ever before (less what is still unread: Linux
 * 6.16 on) grows the buffer (tcp_rcvbuf_grow). */
static void
space_adjust (TlTcb   *tcb,
              guint32  copied_seq,
              gint64   now_us)
{
  guint32 data_end = tcb->rcv_nxt - (tcb->fin_rcvd ? 1 : 0);
  gint64 copied;

  if (tcb->rcv_rtt_us == 0 || now_us - tcb->rcvq_time_us < tcb->rcv_rtt_us)
    return;
  copied = (gint64) (copied_seq - tcb->rcvq_seq) - (gint64) (data_end - copied_seq);
  if (copied > (gint64) tcb->rcvq_space)
    rcvbuf_grow (tcb, (guint32) copied, ooo_end (tcb, tcb->rcv_nxt));
  tcb->rcvq_seq = copied_seq;
  tcb->rcvq_time_us = now_us;
}

void
tl_tcp_rcvbuf_read (TlTcb   *tcb,
                    guint32  n,
                    gint64   now_us)
{
  /* recv_q already less the n bytes read */
  guint32 copied_seq = tcb->rcv_nxt - tcb->recv_q - (tcb->fin_rcvd ? 1 : 0);
  guint32 first;
  guint taken = 0;

  if (!linux_buffer (tcb) || n == 0 || tcb->rxq == NULL || tcb->rxq->len == 0)
    return;
  /* Linux adjusts after each skb copied, but only the first of one read
   * can find an RTT gone by */
  first = g_array_index (tcb->rxq, TlRxSkb, 0).end;
  space_adjust (tcb, TL_SEQ_LT (first, copied_seq) ? first : copied_seq, now_us);
  /* the skbs read whole are freed */
  while (taken < tcb->rxq->len
         && TL_SEQ_LEQ (g_array_index (tcb->rxq, TlRxSkb, taken).end, copied_seq))
    tcb->rmem -= g_array_index (tcb->rxq, TlRxSkb, taken++).truesize;
  g_array_remove_range (tcb->rxq, 0, taken);
}

gboolean
tl_tcp_rcvbuf_read_acks (const TlTcb *tcb)
{
  /* tcp_cleanup_rbuf: an ACK if two segments wait for one (the ACK input
   * held back while the window's edge would not advance), or if the read
   * lets the window at least double */
  guint32 left = announced_left (tcb);
  guint32 now;

  if (tcb->ack_pending && tcb->rcv_nxt - tcb->rcv_wup > rcv_mss (tcb))
    return TRUE;
  if (2 * (guint64) left > tcb->window_clamp)
    return FALSE;
  now = free_window (tcb);
  return now != 0 && now >= 2 * (guint64) left;
}

gboolean
tl_tcp_rcvbuf_edge_advances (const TlTcb *tcb)
{
  /* __tcp_ack_snd_check: more than a segment unacknowledged is ACKed at
   * once only if the window offered would reach as far (else the read
   * that frees the space sends the ACK), or nothing is unread */
  return !linux_buffer (tcb) || tcb->recv_q == 0 || free_window (tcb) >= tcb->rcv_wnd;
}

gboolean
tl_tcp_rcvbuf_linux (const TlTcb *tcb)
{
  return linux_buffer (tcb);
}
