/* tl-tcp-sndbuf.c: the send buffer, and the lab's program writing into it.
 * The rfc profile's buffer is unbounded (within 2^30 bytes): a send
 * statement queues all its bytes at once.  The linux profile does what
 * Linux 6.18 and the lab's program (real/tl-real-app.c) do:
 *
 * - The program writes non-blocking, 16 KiB a send() call, until a call
 *   returns EAGAIN; what it still holds it writes when poll() says the
 *   socket is writable.  Each call ends with tcp_push: what may go, goes,
 *   before the next call.
 * - A call copies into the unsent tail skb up to the size goal
 *   (tcp_xmit_size_goal: whole segments, no more than half the largest
 *   window the peer offered) without asking the buffer; a new skb only
 *   while the memory queued is under the buffer (sk_stream_memory_free:
 *   sk_wmem_queued < sk_sndbuf), else the call stops (wait_for_space).
 *   notsent_lowat is unlimited (tcp_notsent_lowat, the default).
 * - The memory queued (sk_wmem_queued) is each skb's truesize: its bytes
 *   and 768 of overhead (alloc_skb_fclone of MAX_TCP_HEADER, 192 on this
 *   kernel: a 512-byte head, the sk_buff and skb_shared_info), for each
 *   unsent skb and each skb of the retransmission queue: a GSO packet sent
 *   (tso_fragment splits the skb) and not yet acknowledged, until a
 *   retransmission of one of its segments cuts it in two (tcp_fragment;
 *   TlTxChunk.gso_next says which chunks are one skb).
 * - The buffer starts at tcp_wmem[1] (16384) and at establishment
 *   (tcp_init_buffer_space) and on each ACK that finds the program blocked
 *   with the congestion window not filled (tcp_new_space,
 *   tcp_should_expand_sndbuf) grows to twice max(10, cwnd, reordering + 1)
 *   skbs of 2304 bytes (tcp_sndbuf_expand's per_mss: 1460 + 192 + 320
 *   rounded up to a power of two, and the sk_buff): 46080 at first.
 * - The blocked program is woken after an ACK (tcp_check_space,
 *   sk_stream_write_space) once the free space is half the memory queued
 *   (__sk_stream_is_writeable), and writes at once.  On the lab it ran
 *   tens of microseconds later, after a few more ACKs of the flight had
 *   come: where their window let the end of its first call go at once (a
 *   segment shorter than the MSS, with PSH), the rest of the write was
 *   cut differently and its last piece waited for an ACK (Nagle), seen
 *   in one run of four (tests/sweep/send-buffer.lesson).
 * - PSH: tcp_push marks the tail skb at the end of each call (a later
 *   call that extends that skb clears it: only where the data written so
 *   far ends does it stay, tl-tcp-out.c), and so it stays where the tail
 *   was full: the call the buffer stopped, a call that ended on a full skb,
 *   and forced_push (a full skb, with more than half the largest window
 *   written since the last mark).
 *
 * Seen on the kernel (`tcplab-cli real`, tests/sweep/send-buffer.lesson):
 * a write of 100000 bytes from idle with cwnd 10 took 46336 bytes (10
 * segments sent by the first call, then one skb of 22 segments), and a
 * close() 10 ms later sent those 32 segments and the FIN on the last. */
#include "tl-sim-private.h"

/* the truesize of an skb with no data (tcp_stream_alloc_skb) */
#define SKB_OVERHEAD 768
/* TCP_INIT_CWND, in tcp_sndbuf_expand */
#define SNDBUF_INIT_SEGS 10
/* net.ipv4.tcp_wmem */
#define SNDBUF_INITIAL 16384
#define SNDBUF_MAX 4194304

static gboolean
bounded (const TlTcb *tcb)
{
  return tcb->settings.profile == TL_PROFILE_LINUX;
}

/* Linux tcp_xmit_size_goal: how much one skb of new data holds. */
static guint32
size_goal (const TlTcb *tcb)
{
  guint32 mss = MAX (tcb->snd_mss, 1);
  /* tcp_bound_to_half_wnd of the device's GSO size (65536 on veth) */
  guint32 goal = 65536;

  if (tcb->max_window > 0)
    goal = MIN (goal, tcb->max_window > 536 ? tcb->max_window / 2 : tcb->max_window);
  return MAX (goal / mss, 1) * mss;
}

/* Linux's sk_wmem_queued, as the model counts it: the bytes not yet
 * acknowledged and each skb's overhead. */
static guint32
queued (const TlTcb *tcb)
{
  guint32 mss = MAX (tcb->snd_mss, 1);
  guint32 sent = TL_SEQ_LT (tcb->snd_nxt, tcb->data_end) ? tcb->snd_nxt : tcb->data_end;
  guint32 in_flight = TL_SEQ_GT (sent, tcb->snd_una) ? sent - tcb->snd_una : 0;
  guint32 unsent = tcb->data_end - sent;
  guint32 goal = size_goal (tcb);
  /* skbs of the size goal unsent; sent, the retransmission queue's: a
   * GSO packet of two is one until tcp_fragment cuts it (TlTxChunk) */
  guint32 skbs = (unsent + goal - 1) / goal;

  if (tcb->rtx != NULL && tcb->rtx->len > 0)
    {
      for (guint i = 0; i < tcb->rtx->len; i++)
        {
          const TlTxChunk *c = &g_array_index (tcb->rtx, TlTxChunk, i);

          if (TL_SEQ_GT (c->end, tcb->snd_una) && c->end != c->seq + (c->fin ? 1 : 0)
              && (i == 0 || !g_array_index (tcb->rtx, TlTxChunk, i - 1).gso_next))
            skbs++;
        }
    }
  else
    skbs += ((in_flight + mss - 1) / mss + 1) / 2;

  return in_flight + unsent + skbs * SKB_OVERHEAD;
}

/* The room left in the unsent tail skb (0: a write needs a new one). */
static guint32
tail_room (const TlTcb *tcb)
{
  guint32 start;
  guint32 goal = size_goal (tcb);

  if (!TL_SEQ_LT (tcb->snd_nxt, tcb->data_end))
    return 0;
  /* what tso_fragment left of a tail partly sent is an skb of its own */
  start = TL_SEQ_GT (tcb->snd_nxt, tcb->skb_start) ? tcb->snd_nxt : tcb->skb_start;
  return tcb->data_end - start < goal ? goal - (tcb->data_end - start) : 0;
}

static void
mark_push (TlTcb *tcb)
{
  guint n = 0;

  /* marks already sent are spent */
  for (guint i = 0; i < tcb->n_psh_marks; i++)
    if (TL_SEQ_GT (tcb->psh_marks[i], tcb->snd_nxt) && tcb->psh_marks[i] != tcb->data_end)
      tcb->psh_marks[n++] = tcb->psh_marks[i];
  if (n == G_N_ELEMENTS (tcb->psh_marks))
    {
      memmove (tcb->psh_marks, tcb->psh_marks + 1, (n - 1) * sizeof tcb->psh_marks[0]);
      n--;
    }
  tcb->psh_marks[n++] = tcb->data_end;
  tcb->n_psh_marks = n;
  tcb->pushed_seq = tcb->data_end;
}

gboolean
tl_tcp_sndbuf_psh_marked (const TlTcb *tcb,
                          guint32      end)
{
  for (guint i = 0; i < tcb->n_psh_marks; i++)
    if (tcb->psh_marks[i] == end)
      return TRUE;
  return FALSE;
}

/* One send() call of the program (tcp_sendmsg_locked): the bytes it
 * wrote, fewer than asked when the buffer stopped it. */
static guint32
write_call (TlSim   *sim,
            TlTcb   *tcb,
            guint32  asked)
{
  guint32 copied = 0;

  while (copied < asked)
    {
      guint32 room = tail_room (tcb);
      guint32 c;

      if (room == 0)
        {
          if (queued (tcb) >= tcb->sndbuf)
            break;
          tcb->skb_start = tcb->data_end;
          room = size_goal (tcb);
        }
      c = MIN (room, asked - copied);
      tcb->data_end += c;
      tcb->send_q += c;
      tcb->app_unwritten -= c;
      copied += c;
      /* forced_push: a full skb, more than half the largest window
       * written since the last mark */
      if (c == room && tcb->data_end - tcb->pushed_seq > tcb->max_window / 2)
        {
          mark_push (tcb);
          tl_tcb_queues_changed (sim, tcb);
          tl_tcp_output (sim, tcb);
        }
    }
  if (copied > 0)
    {
      /* tcp_push: the mark stays only on a full tail */
      if (tail_room (tcb) == 0)
        mark_push (tcb);
      tcb->pushed_seq = tcb->data_end;
      tl_tcb_queues_changed (sim, tcb);
      tl_tcp_output (sim, tcb);
    }
  return copied;
}

/* The program's flush: send() calls until one falls short. */
static void
write_pending (TlSim *sim,
               TlTcb *tcb)
{
  if (tcb->app_unwritten > 0)
    tl_tcp_cc_before_write (sim, tcb);
  while (tcb->app_unwritten > 0)
    {
      guint32 asked = (guint32) MIN (tcb->app_unwritten, TL_APP_WRITE_CHUNK);

      if (write_call (sim, tcb, asked) < asked)
        break;
    }
}

static void
expand (TlTcb *tcb)
{
  /* tcp_sndbuf_expand: per_mss = roundup_pow_of_two (mss + MAX_TCP_HEADER
   * + skb_shared_info) + sk_buff */
  guint32 per_mss = (1u << g_bit_storage (MAX (tcb->settings.mss, tcb->snd_mss) + 192 + 320 - 1))
                    + 256;
  guint32 segs = MAX (MAX (SNDBUF_INIT_SEGS, tcb->snd_cwnd), tcb->reordering + 1);
  guint64 mem = (guint64) 2 * segs * per_mss;

  if (tcb->sndbuf < mem)
    tcb->sndbuf = (guint32) MIN (mem, SNDBUF_MAX);
}

void
tl_tcp_sndbuf_init (TlTcb *tcb)
{
  if (!bounded (tcb))
    return;
  tcb->sndbuf = SNDBUF_INITIAL;
  tcb->skb_start = tcb->data_end;
  tcb->pushed_seq = tcb->data_end;
  expand (tcb);
}

static gboolean
may_write (const TlTcb *tcb)
{
  return !tcb->shut_wr && (tcb->state == TL_STATE_ESTABLISHED || tcb->state == TL_STATE_CLOSE_WAIT);
}

void
tl_tcp_sndbuf_send (TlSim   *sim,
                    TlTcb   *tcb,
                    guint64  bytes)
{
  if (!bounded (tcb))
    {
      /* bytes within 2^30 - send_q (tl_tcp_user_send) */
      if (bytes == 0)
        return;
      tl_tcp_cc_before_write (sim, tcb);
      tcb->data_end += (guint32) bytes;
      tcb->send_q += (guint32) bytes;
      tl_tcb_queues_changed (sim, tcb);
      tl_tcp_output (sim, tcb);
      return;
    }
  tcb->app_unwritten += bytes;
  /* before the handshake ends the call waits (sk_stream_wait_connect:
   * EAGAIN), and the program writes once it is connected */
  if (tcb->sndbuf > 0 && may_write (tcb))
    write_pending (sim, tcb);
}

/* __sk_stream_is_writeable: the free space at least half the queued */
static gboolean
writeable (const TlTcb *tcb)
{
  guint32 q = queued (tcb);

  return q < tcb->sndbuf && tcb->sndbuf - q >= q / 2;
}

void
tl_tcp_sndbuf_check (TlSim *sim,
                     TlTcb *tcb)
{
  if (tcb->app_unwritten == 0 || tcb->sndbuf == 0 || !may_write (tcb))
    return;
  /* tcp_new_space: tcp_should_expand_sndbuf, the window not filled */
  if (tl_tcp_cc_in_flight (tcb) < tcb->snd_cwnd)
    expand (tcb);
  /* sk_stream_write_space wakes the program, which writes at once */
  if (writeable (tcb))
    write_pending (sim, tcb);
}

guint64
tl_tcp_sndbuf_drop (TlTcb *tcb)
{
  guint64 dropped = tcb->app_unwritten;

  tcb->app_unwritten = 0;
  return dropped;
}
