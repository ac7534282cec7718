/* tl-tcp.h: the segment and the connection block, and TCP split by concern
 * as lwIP does: tl-tcp-in.c (arrival, the state switch), tl-tcp-out.c
 * (output), tl-tcp-timer.c (every timer of a connection). */
#pragma once

#include <glib.h>

#include "tl-event-queue.h"
#include "tl-scenario.h"
#include "tl-trace.h"

G_BEGIN_DECLS

typedef struct _TlSim TlSim;
typedef struct _TlTcb TlTcb;

/* Wrap-safe sequence comparisons (RFC 9293 section 3.4). */
#define TL_SEQ_LT(a, b)  ((gint32) ((guint32) (a) - (guint32) (b)) < 0)
#define TL_SEQ_LEQ(a, b) ((gint32) ((guint32) (a) - (guint32) (b)) <= 0)
#define TL_SEQ_GT(a, b)  TL_SEQ_LT (b, a)
#define TL_SEQ_GEQ(a, b) TL_SEQ_LEQ (b, a)

/* Out-of-order data a connection holds: at most this many separate ranges
 * (a range that would need one more is dropped, and the sender's
 * retransmission brings it again). */
#define TL_TCP_OOO_MAX 8

typedef struct
{
  guint32  seq;
  guint32  end;                 /* seq + data length */
  gboolean fin;                 /* a FIN follows end */
} TlOooRange;

/* Where a segment sits in a GSO packet (Linux 6.18: tcp_write_xmit builds
 * packets of at most two, tcp_xmit_retransmit_queue sends again an skb of
 * two whole when the window takes both, else its first segment alone). */
typedef enum
{
  TL_GSO_ALONE,                 /* a packet of its own */
  TL_GSO_HEAD,                  /* the first of two */
  TL_GSO_TAIL,                  /* the second of two: PSH on the wire */
} TlGso;

/* A piece of what a connection sent and has not yet seen cumulatively
 * acknowledged: Linux's retransmission queue as RACK (RFC 8985) needs it,
 * one entry per segment sent. */
typedef struct
{
  guint32  seq;
  guint32  end;                 /* seq + data length (+1 for a FIN) */
  gint64   xmit_us;             /* when it was last sent */
  gboolean fin;
  gboolean sacked;
  gboolean lost;                /* marked lost, not yet sent again */
  gboolean retrans;             /* sent more than once */
  gboolean psh;                 /* PSH marked on its skb (tcp_push at a write's end,
                                   forced_push, tcp_write_wakeup), which every
                                   retransmission that ends there carries; not the
                                   PSH that the GSO rule puts on the wire only */
  gboolean gso_next;            /* it and the next chunk are one skb, sent as one
                                   GSO packet of two and not split since */
  guint32  order;               /* when it was last sent, in the order of sending */
  guint32  tx_delivered;        /* the connection's delivered count when it was last
                                   sent (Linux's tx.delivered, rs->prior_delivered) */
} TlTxChunk;

/* Linux's congestion-avoidance states (icsk_ca_state) that the model keeps,
 * in Linux's order: Open, Disorder (SACKed, lost or retransmitted data
 * outstanding without a reduction: tcp_try_keep_open; no tail loss probe),
 * Recovery (a loss found by SACK/RACK: PRR) and Loss (the RTO).  Linux's CWR
 * lasts no longer than the tail loss probe's reduction here
 * (tcp_process_tlp_ack). */
typedef enum
{
  TL_CA_OPEN,
  TL_CA_DISORDER,
  TL_CA_RECOVERY,
  TL_CA_LOSS,
} TlCaState;

/* tcp_cubic.c's struct bictcp (times in jiffies of HZ 250 from the
 * simulation's clock, HyStart's in microseconds) */
typedef struct
{
  guint32 cnt;                  /* ACKed segments that make cwnd grow by one */
  guint32 last_max_cwnd;
  guint32 last_cwnd;
  guint32 last_time;
  guint32 bic_origin_point;
  guint32 bic_K;
  guint32 delay_min;            /* CUBIC's own least RTT (us), 0: none yet */
  guint32 epoch_start;
  guint32 ack_cnt;
  guint32 tcp_cwnd;
  /* HyStart (bictcp_hystart_reset, hystart_update) */
  guint32 sample_cnt;           /* RTT samples this round */
  gboolean found;               /* HyStart ended slow start */
  guint32 round_start;          /* when the round began (us) */
  guint32 end_seq;              /* snd_nxt when it began: the round ends past it */
  guint32 last_ack;             /* the last ACK of the train (us) */
  guint32 curr_rtt;             /* the least RTT of the round (us) */
} TlCubic;

/* lib/win_minmax.c's struct minmax: the best, second and third choices of
 * a windowed minimum, each a value and the jiffy it was taken */
typedef struct
{
  guint32 t;
  guint32 v;
} TlMinmaxSample;

typedef struct
{
  TlMinmaxSample s[3];
} TlMinmax;

/* An ACK's RTT samples, as tcp_clean_rtx_queue takes them: seq_us (the
 * first segment newly acknowledged, or SACKed) feeds the estimator, ca_us
 * (the last) the windowed minimum and CUBIC; -1: none.  maybe_delayed:
 * FLAG_ACK_MAYBE_DELAYED, a lone runt's ACK that may have been delayed. */
typedef struct
{
  gint64   seq_us;
  gint64   ca_us;
  gboolean maybe_delayed;
} TlRttSample;

typedef struct
{
  guint32 src_addr;
  guint32 dst_addr;
  guint32 seq;
  guint32 ack;
  guint32 id;        /* the trace's segment id */
  guint32 conn;      /* the sender's connection, or TL_NO_CONN */
  guint16 src_port;
  guint16 dst_port;
  guint16 len;
  guint16 win;       /* the field: scaled by the sender's shift but on SYNs */
  guint16 mss;       /* the MSS option, 0 if none */
  guint8  flags;
  guint8  to_host;
  gboolean sack_perm;           /* the SACK-permitted option (SYN, SYN,ACK) */
  gboolean ws;                  /* the window scale option (SYN, SYN,ACK) */
  guint8  wscale;
  gboolean ts;                  /* the timestamps option (RFC 7323) */
  guint32 tsval;
  guint32 tsecr;
  guint8  n_sack;
  TlSackBlock sack[TL_SACK_MAX];
} TlSegment;

/* Sequence space a segment occupies: data, plus one each for SYN and FIN. */
static inline guint32
tl_segment_seq_len (const TlSegment *seg)
{
  return seg->len + ((seg->flags & TL_FLAG_SYN) ? 1 : 0) + ((seg->flags & TL_FLAG_FIN) ? 1 : 0);
}

/* Where a listener's child is. */
typedef enum
{
  TL_CHILD_NONE,          /* not a listener's child (connect()) */
  TL_CHILD_SYN_QUEUE,     /* half-open request */
  TL_CHILD_ACCEPT_QUEUE,  /* established, waiting for accept() */
  TL_CHILD_ACCEPTED,
} TlChildPlace;

struct _TlTcb
{
  guint     host;
  guint32   conn;               /* index in the trace's connection table */
  TlState   state;
  TlSettings settings;          /* the host's settings when it was created */

  guint64   key;                /* demultiplexing key: remote addr, remote port, local port */
  guint32   local_addr;
  guint32   remote_addr;
  guint16   local_port;
  guint16   remote_port;

  /* the host's list of sockets, in creation order */
  TlTcb    *prev;
  TlTcb    *next;

  /* listener: its queues (Linux's request queue and accept queue) */
  guint     syn_qlen;
  guint     syn_young;          /* requests whose SYN,ACK has not timed out yet */
  GQueue    accept_queue;       /* of TlTcb */
  guint     backlog;
  guint     n_children;         /* sockets whose parent it is */
  GList     listen_link;        /* its link in the host's listeners */
  /* child of a listener */
  TlTcb    *parent;
  TlChildPlace place;
  GList     accept_link;        /* its link in the parent's accept_queue */
  guint     synack_timeouts;    /* Linux's req->num_timeout */
  gboolean  acked_on_overflow;  /* the final ACK came with the accept queue full */
  gboolean  listener_gone;      /* a request whose listener closed: it waits for its timer */
  gboolean  active_open;        /* connect(), or simultaneous open */

  /* the application's view */
  gboolean  app_owned;          /* the application holds it (connect, or accepted) */
  gboolean  orphan;             /* close()d: no application any more */
  gboolean  shut_wr;            /* close() or shutdown(): FIN queued */
  gboolean  eof_seen;

  /* send sequence variables (RFC 9293 section 3.3.1) */
  guint32   iss;
  guint32   snd_una;
  guint32   snd_nxt;
  guint32   snd_wnd;
  guint32   snd_wl1;            /* the segment's seq and ack of the last window */
  guint32   snd_wl2;            /*   taken (RFC 9293 section 3.10.7.4) */
  guint32   data_end;           /* iss + 1 + bytes written: where a FIN would go */
  guint32   snd_sml;            /* the end of the last small segment sent (Nagle,
                                   Minshall's variant: Linux's snd_sml) */
  guint16   snd_mss;
  guint32   max_window;         /* the largest window the peer offered (Linux max_window) */
  guint64   bytes_acked;        /* what the peer acknowledged, the SYN left out
                                   (Linux's bytes_acked less 1) */
  gboolean  fin_sent;
  guint32   send_q;             /* bytes written and not yet acknowledged */
  /* Linux's bounded send buffer (the linux profile; tl-tcp-sndbuf.c) */
  guint64   app_unwritten;      /* what the program's send statements have yet to write */
  guint32   sndbuf;             /* sk_sndbuf; 0 (unbounded): rfc, or not yet established */
  guint32   skb_start;          /* where the last skb the program wrote into starts */
  guint32   pushed_seq;         /* tp->pushed_seq: the end of the last write PSH marked */
  guint32   psh_marks[4];       /* ends of unsent full skbs marked PSH, which no later
                                   write extends */
  guint     n_psh_marks;

  /* receive sequence variables */
  guint32   irs;
  guint32   rcv_nxt;
  guint32   recv_q;             /* bytes received and not yet read */
  gboolean  fin_rcvd;

  /* round-trip time: RFC 6298, or Linux's tcp_rtt_estimator (the linux profile) */
  gboolean  have_rtt;
  gint64    srtt_us;
  gint64    rttvar_us;          /* rfc: RTTVAR; linux: Linux's rttvar_us, what the
                                   RTO adds to SRTT (at least rto_min) */
  gint64    srtt8_us;           /* linux: Linux's srtt_us, SRTT scaled by 8 */
  gint64    mdev_us;            /* linux: mean deviation, scaled by 4 */
  gint64    mdev_max_us;        /* linux: the largest mdev_us in this RTT window */
  guint32   rtt_win_seq;        /* linux: Linux's rtt_seq, where this window ends */
  gint64    rto_us;
  gboolean  rtt_pending;        /* Karn: timing one segment, none retransmitted (the
                                   rfc profile; under linux the handshake only) */
  guint32   rtt_seq;
  gint64    rtt_sent_us;

  /* timers: the queue's event ids (0: not armed) */
  TlEventId timer_id[TL_N_TIMERS];
  guint     retransmits;        /* of the segment at snd_una: the backoff exponent */
  gboolean  tlp_sent;           /* Linux's tail loss probe for this flight (RFC 8985) */
  gboolean  tlp_high_set;       /* tp->tlp_high_seq set: a probe's episode not yet
                                   ended by an ACK (tcp_process_tlp_ack) */
  guint32   tlp_high_seq;       /* snd_nxt after the probe */
  gboolean  tlp_retrans;        /* the probe sent data again (not new data) */
  gint64    retrans_stamp_us;   /* when the unacknowledged head was first sent */
  guint     probes_out;         /* keepalive or zero-window probes unanswered */
  guint     persist_backoff;    /* zero-window probes: the backoff exponent */
  gint64    last_rcv_us;

  /* out-of-order segments held for later processing (RFC 9293 section
   * 3.10.7.4, seventh): sorted ranges of sequence space, merged */
  TlOooRange ooo[TL_TCP_OOO_MAX];
  guint     n_ooo;
  guint32   ooo_recent;         /* seq of the latest out-of-order arrival: its SACK block first */
  /* D-SACK (RFC 2883, Linux net.ipv4.tcp_dsack 1): what arrived twice,
   * reported first in the next segment's SACK option, once */
  gboolean  dsack_pending;
  TlSackBlock dsack;

  /* SACK (RFC 2018, the linux profile: net.ipv4.tcp_sack 1) and RACK-TLP
   * loss detection (RFC 8985) */
  gboolean  sack_ok;            /* both SYNs carried SACK-permitted */
  /* RFC 7323: timestamps and window scale, when both SYNs carried them */
  gboolean  ts_ok;
  guint32   ts_off;             /* TSval = ts_off + now in ms */
  guint32   ts_recent;          /* the TSval to echo (Linux rx_opt.ts_recent) */
  gint64    ts_recent_us;       /* when it was stored (ts_recent_stamp) */
  gboolean  ws_ok;
  guint8    rcv_wscale;         /* our window fields are the window >> this */
  guint8    snd_wscale;         /* the peer's are << this */
  GArray   *rtx;                /* of TlTxChunk, in sequence order; NULL until data or FIN goes */
  gint64    rack_xmit_us;       /* send time of the latest-sent segment delivered */
  guint32   rack_order;         /* and its place in the order of sending (xmit_count) */
  guint32   xmit_count;         /* segments recorded in rtx so far */
  gint64    rack_rtt_us;        /* its round-trip time */
  gint64    min_rtt_us;         /* 0 until a sample; linux: rtt_min's minimum */
  TlMinmax  rtt_min;            /* linux: tp->rtt_min, tcp_update_rtt_min's window */
  gboolean  reo_pending;        /* the retransmission timer is RACK's reordering timer */
  /* Reordering (Linux 6.18): what the sender has learnt of its path */
  guint32   delivered;          /* tp->delivered: segments delivered, the SYN counted */
  guint32   reordering;         /* tp->reordering, in segments (net.ipv4.tcp_reordering 3) */
  guint     reord_seen;         /* tp->reord_seen: reorderings seen */
  guint32   reno_sacked;        /* without SACK, tp->sacked_out: duplicate ACKs
                                   counted as segments delivered (tcp_add_reno_sack) */
  guint32   total_retrans;      /* segments sent again */
  guint32   dsack_dups;         /* segments D-SACKed */
  gboolean  dsack_seen;         /* rack.dsack_seen: a D-SACK not yet acted on */
  guint     reo_wnd_steps;      /* rack.reo_wnd_steps: the window in min_rtt / 4 */
  guint     reo_wnd_persist;    /* rack.reo_wnd_persist: recoveries it outlives */
  guint32   reo_last_delivered; /* rack.last_delivered: delivered when it last grew */

  /* delayed ACK, the linux profile (Linux's icsk_ack) */
  gint64    ato_us;             /* 0 until data arrives, then from TCP_ATO_MIN */
  guint     quick_acks;         /* ACKs of data still sent at once */
  gboolean  pingpong;           /* interactive: an ACK waits for a reply */
  gboolean  ack_pending;        /* received something not acknowledged yet */
  gint64    delack_due_us;      /* when the delayed-ACK timer armed fires */
  gint64    last_data_us;       /* when data last arrived (lrcvtime) */
  guint32   rcv_wup;            /* rcv_nxt when the last ACK went out */
  guint32   rcv_mss;            /* largest segment received, from 536 */
  /* SACK compression (Linux's compressed_ack, the keys comp_sack_nr and
   * comp_sack_delay): with data held out of order, the duplicate ACKs
   * after the third for one rcv_nxt wait for the comp_sack timer */
  guint     comp_sack_count;    /* ACKs held back since the last one sent */
  guint     dup_ack_counter;    /* duplicate ACKs sent at once for comp_sack_rcv_nxt */
  guint32   comp_sack_rcv_nxt;

  /* Linux's receive buffer (the linux profile with its default buffer,
   * tl-tcp-rcvbuf.c; rcvbuf 0 otherwise) */
  guint32   rcv_wnd;            /* the window last announced, in bytes */
  guint32   rcv_ssthresh;       /* the window as it grows */
  guint32   window_clamp;
  guint32   rcvbuf;             /* sk_rcvbuf */
  guint32   rmem;               /* sk_rmem_alloc: the truesize of what is unread */
  guint8    scaling_ratio;      /* payload per truesize, in 256ths */
  GArray   *rxq;                /* of its skbs unread, in order; NULL until data */
  guint32   rcvq_space;         /* dynamic right-sizing: the most read in an RTT */
  guint32   rcvq_seq;
  gint64    rcvq_time_us;
  gint64    rcv_rtt_us;         /* the receiver's RTT, 0 until measured */
  guint32   rcv_rtt_tsecr;
  guint32   rcv_rtt_seq;
  gint64    rcv_rtt_time_us;    /* -1: not measuring */

  /* Linux's last_oow_ack_time: when an ACK last went to a segment out of
   * window, failing PAWS, or asking for a challenge ACK (the linux profile
   * sends at most one per invalid_ratelimit) */
  gboolean  oow_acked;
  gint64    last_oow_ack_us;
  /* an orphan in FIN_WAIT_2 that Linux keeps as a timewait mini socket
   * (substate FIN_WAIT2, tcp_timewait_state_process) */
  gboolean  mini_fin_wait_2;

  /* congestion control (tl-tcp-cc.c): linux in segments, rfc in bytes */
  gboolean  cc_ready;           /* set when the connection is established */
  TlCaState ca_state;
  guint32   snd_cwnd;
  guint32   snd_ssthresh;
  guint32   snd_cwnd_cnt;
  guint32   high_seq;           /* snd_nxt when Recovery or Loss began */
  guint32   prior_cwnd;         /* PRR (RFC 6937) */
  guint32   prr_delivered;
  guint32   prr_out;
  guint32   max_packets_out;    /* tcp_cwnd_validate */
  gboolean  is_cwnd_limited;
  guint32   cwnd_usage_seq;
  guint32   snd_cwnd_used;
  gint64    snd_cwnd_stamp_us;
  gint64    lsndtime_us;        /* when new data last went */
  gint64    wstamp_us;          /* when it last put a segment on the wire (Linux's
                                   tcp_wstamp_ns, no pacing: pfifo_fast on the lab) */
  guint32   cwnd_shown;         /* what the trace last said, 0 before the first data */
  guint32   ssthresh_shown;
  TlCubic   cubic;
  /* Linux's undo of a reduction found spurious and F-RTO (RFC 5682,
   * tcp_frto 2): the window before the reduction, and the TSval of the
   * first retransmission since (tp->retrans_stamp) */
  gboolean  frto;
  gboolean  undo_armed;         /* tp->undo_marker set */
  guint32   undo_marker;        /* snd_una when the reduction began */
  gint      undo_retrans;       /* retransmissions not yet D-SACKed; -1: none sent */
  guint32   prior_ssthresh;
  gboolean  undo_ts_set;
  guint32   undo_tsval;
};

/* What an ACK did, as Linux's tcp_ack flags say it (tl-tcp-rack.c fills it,
 * tl-tcp-cc.c reads it). */
typedef struct
{
  guint32  delivered;           /* segments newly acknowledged or SACKed */
  guint32  bytes_acked;
  gboolean data_acked;          /* FLAG_DATA_ACKED (data or a FIN) */
  gboolean una_advanced;        /* FLAG_SND_UNA_ADVANCED */
  gboolean data_sacked;         /* FLAG_DATA_SACKED: a chunk newly SACKed */
  gboolean orig_sack_acked;     /* FLAG_ORIG_SACK_ACKED: a chunk never sent
                                   again, below high_seq, (S)ACKed */
  gboolean dupack;              /* neither advances, carries data, nor moves the window */
  gboolean newly_lost;          /* RACK marked a chunk lost */
  gboolean ts_delayed;          /* its TSecr is older than the first
                                   retransmission (tcp_packet_delayed) */
  gboolean dubious;             /* tcp_ack_is_dubious: a duplicate, new SACKs or
                                   a state other than Open (tcp_fastretrans_alert runs) */
} TlAckInfo;

/* What an ACK in Loss sends (Linux's REXMIT_*): F-RTO's new data, or what
 * is marked lost. */
typedef enum
{
  TL_REXMIT_NONE,
  TL_REXMIT_LOST,
  TL_REXMIT_NEW,
} TlRexmit;

/* tl-tcp-in.c */
void     tl_tcp_input             (TlSim           *sim,
                                   TlTcb           *tcb,
                                   const TlSegment *seg);
/* The send window from seg (a SYN's unscaled), and where it came from
 * (SND.WL1, SND.WL2). */
void     tl_tcp_take_window       (TlTcb           *tcb,
                                   const TlSegment *seg);
void     tl_tcb_set_state         (TlSim           *sim,
                                   TlTcb           *tcb,
                                   TlState          state,
                                   TlCause          cause);
/* The connection is gone: state CLOSED, timers cancelled, the block freed. */
void     tl_tcb_close             (TlSim           *sim,
                                   TlTcb           *tcb,
                                   TlCause          cause);
/* What the application sees on a connection it holds. */
void     tl_tcb_report_error      (TlSim           *sim,
                                   TlTcb           *tcb,
                                   TlError          error);
void     tl_tcb_queues_changed    (TlSim           *sim,
                                   TlTcb           *tcb);
void     tl_tcb_accept_queue_changed (TlSim       *sim,
                                      TlTcb       *listener);
void     tl_tcb_established       (TlSim           *sim,
                                   TlTcb           *tcb);
/* autoread: the application reads what is queued, and sees the EOF. */
void     tl_tcb_deliver_to_app    (TlSim           *sim,
                                   TlTcb           *tcb);
/* An orphan reached FIN_WAIT_2 (its FIN acknowledged, or close() after
 * shutdown()): fin_timeout starts. */
void     tl_tcb_orphan_fin_wait_2 (TlSim           *sim,
                                   TlTcb           *tcb);

/* tl-tcp-rcvbuf.c */
/* The receive window a segment sent now offers, in bytes (a multiple of
 * 1 << rcv_wscale). */
guint32  tl_tcp_window            (const TlTcb     *tcb);
/* What the peer may still send (RCV.WND; Linux tcp_receive_window). */
guint32  tl_tcp_rcv_window        (const TlTcb     *tcb);
/* A segment carrying ACK offered window bytes. */
void     tl_tcp_window_announced  (TlTcb           *tcb,
                                   guint32          window);
/* Linux's buffer as the handshake sets it (the SYN's window announced). */
void     tl_tcp_rcvbuf_init       (TlTcb           *tcb,
                                   gint64           now_us);
void     tl_tcp_rcvbuf_free       (TlTcb           *tcb);
/* len bytes arrived in order (rcv_nxt after them), in seg; seg NULL for
 * data held out of order that now follows.  First the memory they take
 * (tcp_data_queue, tcp_try_rmem_schedule: a buffer overfilled ends quick
 * ACKs), then, after the ATO's update, what they tell
 * (tcp_event_data_recv: the receive MSS, the receiver's RTT, the window's
 * growth). */
void     tl_tcp_rcvbuf_queue      (TlTcb           *tcb,
                                   guint32          len,
                                   const TlSegment *seg,
                                   gint64           now_us);
void     tl_tcp_rcvbuf_data       (TlTcb           *tcb,
                                   guint32          len,
                                   const TlSegment *seg,
                                   gint64           now_us);
/* len bytes arrive out of order in seg, before they are held (the
 * receiver's RTT from its TSecr; tcp_data_queue_ofo: the memory, then with
 * SACK the window's growth, which asks a quick ACK). */
void     tl_tcp_rcvbuf_ofo        (TlTcb           *tcb,
                                   guint32          len,
                                   const TlSegment *seg,
                                   gint64           now_us);
/* The application read n bytes (recv_q already less them). */
void     tl_tcp_rcvbuf_read       (TlTcb           *tcb,
                                   guint32          n,
                                   gint64           now_us);
/* After a read, Linux's buffer: whether the window it frees is worth an ACK. */
gboolean tl_tcp_rcvbuf_read_acks  (const TlTcb     *tcb);
/* Whether an ACK now would offer a window reaching beyond the last one
 * (TRUE but for Linux's buffer). */
gboolean tl_tcp_rcvbuf_edge_advances (const TlTcb  *tcb);
gboolean tl_tcp_rcvbuf_linux      (const TlTcb     *tcb);

/* tl-tcp-out.c */
/* The window of a SYN (synack FALSE) or SYN,ACK, unscaled. */
guint32  tl_tcp_syn_window        (const TlTcb     *tcb,
                                   gboolean         synack);
/* Options: the shift a host's SYN announces (Linux tcp_select_initial_window),
 * its timestamp offset toward a peer, and what a received SYN or SYN,ACK
 * agrees (RFC 7323 section 1.3: an option counts only when both SYNs carry it). */
guint8   tl_tcp_wscale_of         (const TlSettings *settings);
guint32  tl_tcp_ts_now            (const TlTcb     *tcb,
                                   gint64           now_us);
void     tl_tcp_negotiate         (TlSim           *sim,
                                   TlTcb           *tcb,
                                   const TlSegment *syn);
/* Linux tcp_replace_ts_recent: an acceptable segment's TSval is echoed from
 * now on if it starts at or before what we last acknowledged. */
void     tl_tcp_update_ts_recent  (TlTcb           *tcb,
                                   const TlSegment *seg,
                                   gint64           now_us);
void     tl_tcp_send_ctl          (TlSim           *sim,
                                   TlTcb           *tcb,
                                   guint32          seq,
                                   guint8           flags);
void     tl_tcp_send_ack          (TlSim           *sim,
                                   TlTcb           *tcb);
/* The application read: if that opened a closed window, a window update. */
void     tl_tcp_window_opened     (TlSim           *sim,
                                   TlTcb           *tcb,
                                   guint32          old_wnd);
void     tl_tcp_send_syn          (TlSim           *sim,
                                   TlTcb           *tcb);
void     tl_tcp_output            (TlSim           *sim,
                                   TlTcb           *tcb);
/* New data as the windows let it, Nagle or not (F-RTO's TCP_NAGLE_OFF). */
void     tl_tcp_output_nagle_off  (TlSim           *sim,
                                   TlTcb           *tcb);
/* Data waits that the window does not let go (closed, or for the linux
 * profile too small for the next segment). */
gboolean tl_tcp_window_holds_back (const TlTcb     *tcb);
/* The persist timer found a window open but too small: Linux sends what
 * fits (tcp_write_wakeup). */
void     tl_tcp_window_wakeup     (TlSim           *sim,
                                   TlTcb           *tcb);
void     tl_tcp_retransmit_head   (TlSim           *sim,
                                   TlTcb           *tcb);
/* The tail loss probe (RFC 8985 section 7.3): new data, or what was sent
 * again. */
void     tl_tcp_send_loss_probe   (TlSim           *sim,
                                   TlTcb           *tcb);
/* RFC 9293 section 3.10.7.1: the reply to a segment that matches no connection. */
void     tl_tcp_send_reset_reply  (TlSim           *sim,
                                   guint            host,
                                   const TlSegment *seg);

/* Sends seq..seq+len again (and the FIN after it): a chunk RACK found lost. */
void     tl_tcp_send_chunk        (TlSim           *sim,
                                   TlTcb           *tcb,
                                   guint32          seq,
                                   guint32          len,
                                   gboolean         fin,
                                   TlGso            gso);
/* Where held range i goes among the SACK blocks an ACK carries (0: first). */
guint    tl_tcp_sack_position     (const TlTcb     *tcb,
                                   guint            i);
/* The SACK-permitted option goes on this host's SYN (the key sack: net.ipv4.tcp_sack). */
gboolean tl_tcp_wants_sack        (const TlSettings *settings);

/* tl-tcp-rack.c */
/* Records a segment put on the wire (a retransmission marks what it
 * covers); psh: marked on its skb (TlTxChunk.psh); gso: its place in its
 * packet, which joins or splits the skbs of the retransmission queue. */
void     tl_tcp_rack_sent         (TlTcb           *tcb,
                                   guint32          seq,
                                   guint32          end,
                                   gboolean         fin,
                                   gboolean         psh,
                                   TlGso            gso,
                                   gint64           now_us);
/* Whether a chunk that ends within seq..end (a retransmission there) has
 * PSH marked on its skb (tcp_collapse_retrans merges the flags). */
gboolean tl_tcp_rack_had_psh      (const TlTcb     *tcb,
                                   guint32          seq,
                                   guint32          end);
/* After an ACK moved snd_una: SACK blocks, delivery, loss detection;
 * not_dup: it carried data, moved snd_una or changed the window. */
void     tl_tcp_rack_ack          (TlSim           *sim,
                                   TlTcb           *tcb,
                                   const TlSegment *seg,
                                   gboolean         not_dup);
/* Linux tcp_clean_rtx_queue's and tcp_sacktag_one's RTT, with snd_una
 * already the ACK's: from the first chunk newly acknowledged and never sent
 * again, or else newly SACKed (ca_us: the last); -1: none. */
TlRttSample tl_tcp_rack_rtt       (const TlTcb     *tcb,
                                   const TlSegment *seg,
                                   gint64           now_us);
/* The reordering timer fired. */
void     tl_tcp_rack_timeout      (TlSim           *sim,
                                   TlTcb           *tcb);

/* tl-tcp-cc.c: the congestion window */
/* The initial window: segments (linux) or bytes (rfc, RFC 5681 section 3.1). */
guint32  tl_tcp_cc_initial        (const TlTcb     *tcb);
/* The connection is established; syn_retransmits: its SYN's. */
void     tl_tcp_cc_init           (TlSim           *sim,
                                   TlTcb           *tcb,
                                   guint            syn_retransmits);
/* The connection's first data segment is about to go: the trace says its
 * window from here on. */
void     tl_tcp_cc_data_first     (TlSim           *sim,
                                   TlTcb           *tcb);
/* Segments (linux) or bytes (rfc) in flight. */
guint32  tl_tcp_cc_in_flight      (const TlTcb     *tcb);
/* The window lets a segment of len bytes go now. */
gboolean tl_tcp_cc_may_send       (const TlTcb     *tcb,
                                   guint32          len);
/* A segment went (new_data: from snd_nxt; else retransmitted_bytes of
 * data sent again; was_idle: nothing was in flight). */
void     tl_tcp_cc_sent           (TlSim           *sim,
                                   TlTcb           *tcb,
                                   gboolean         new_data,
                                   guint32          retransmitted_bytes,
                                   gboolean         was_idle);
/* After output: whether the window is what limits the sender
 * (deferred_cwnd: output held data back for the congestion window,
 * tcp_tso_should_defer's is_cwnd_limited). */
void     tl_tcp_cc_validate       (TlSim           *sim,
                                   TlTcb           *tcb,
                                   gboolean         sent,
                                   gboolean         deferred_cwnd);
/* An ACK in Loss (linux: tcp_process_loss, F-RTO and its undo), before
 * RACK looks for losses; says what the ACK sends. */
TlRexmit tl_tcp_cc_process_loss   (TlSim           *sim,
                                   TlTcb           *tcb,
                                   const TlAckInfo *ack);
/* CUBIC's pkts_acked (cubictcp_acked): an ACK's RTT (the last segment
 * (S)ACKed, -1: none) for its delay_min and HyStart, before the window
 * grows. */
void     tl_tcp_cc_rtt            (TlSim           *sim,
                                   TlTcb           *tcb,
                                   gint64           ca_rtt_us);
/* An ACK: the state's end, Recovery, and the window. */
void     tl_tcp_cc_ack            (TlSim           *sim,
                                   TlTcb           *tcb,
                                   const TlAckInfo *ack);
/* An ACK in Recovery (linux: tcp_try_undo_recovery, tcp_try_undo_partial),
 * before RACK looks for losses; prior_una is snd_una before the ACK.  TRUE:
 * the ACK marks nothing lost (its hole filled by a delayed original while
 * a retransmission is still out). */
gboolean tl_tcp_cc_try_undo       (TlSim           *sim,
                                   TlTcb           *tcb,
                                   const TlAckInfo *ack,
                                   guint32          prior_una);
/* tcp_check_sack_reordering: data from low_seq on was delivered late, not
 * lost. */
void     tl_tcp_rack_reordered    (TlTcb           *tcb,
                                   guint32          low_seq);
/* A chunk is sent again (the first since the reduction stamps the undo). */
void     tl_tcp_cc_retransmitted  (TlSim           *sim,
                                   TlTcb           *tcb);
/* The tail loss probe's ACK (tcp_process_tlp_ack): an ACK beyond the
 * probe's tlp_high_seq shows it repaired a loss; the window is reduced at
 * once (tcp_init_cwnd_reduction, CWR, tcp_end_cwnd_reduction). */
void     tl_tcp_cc_tlp_loss       (TlSim           *sim,
                                   TlTcb           *tcb);
/* RACK's reordering timer found a loss. */
void     tl_tcp_cc_reo_loss       (TlSim           *sim,
                                   TlTcb           *tcb);
/* The retransmission timer fired with data outstanding. */
void     tl_tcp_cc_timeout        (TlSim           *sim,
                                   TlTcb           *tcb);
/* The application writes: the restart window after an idle. */
void     tl_tcp_cc_before_write   (TlSim           *sim,
                                   TlTcb           *tcb);
/* An ACK changed the send window (was_idle: nothing was in flight
 * before it): linux's restart window after an idle, with data unsent. */
void     tl_tcp_cc_window_update  (TlSim           *sim,
                                   TlTcb           *tcb,
                                   gboolean         was_idle);

/* tl-tcp-timer.c */
void     tl_tcp_timer_arm         (TlSim           *sim,
                                   TlTcb           *tcb,
                                   TlTimerKind      timer,
                                   gint64           delay_us);
void     tl_tcp_timer_cancel      (TlSim           *sim,
                                   TlTcb           *tcb,
                                   TlTimerKind      timer);
void     tl_tcp_timer_fire        (TlSim           *sim,
                                   TlTcb           *tcb,
                                   TlTimerKind      timer);
/* Arms the retransmission timer for what is outstanding, or cancels it. */
void     tl_tcp_rearm_rto         (TlSim           *sim,
                                   TlTcb           *tcb);
/* tl-tcp-metrics.c: Linux's TCP metrics cache (the peer's RTT) */
void     tl_tcp_metrics_save      (TlSim           *sim,
                                   TlTcb           *tcb);
void     tl_tcp_metrics_init      (TlSim           *sim,
                                   TlTcb           *tcb);
void     tl_tcp_rtt_sample        (TlTcb           *tcb,
                                   gint64           rtt_us);
/* An ACK's RTT sample (Linux tcp_ack_update_rtt under the linux profile):
 * rtt.seq_us -1 where none was timed; acked: it acknowledged something new. */
void     tl_tcp_ack_rtt           (TlSim           *sim,
                                   TlTcb           *tcb,
                                   const TlSegment *seg,
                                   TlRttSample      rtt,
                                   gboolean         acked);
/* The same for an RTT timed on one segment (a SYN's, a SYN,ACK's). */
TlRttSample tl_rtt_one            (gint64           rtt_us);
/* Linux's tcp_jiffies32 from the simulation's clock (never 0: CUBIC reads
 * 0 as "no epoch"). */
guint32  tl_tcp_jiffies           (TlSim           *sim);
/* lib/win_minmax.c's minmax_running_min: v taken at tick t into a
 * minimum over the last win ticks (m->s[0].v). */
void     tl_minmax_running_min    (TlMinmax        *m,
                                   guint32          win,
                                   guint32          t,
                                   guint32          v);
/* net.ipv4.tcp_min_rtt_wlen: the window of the least RTT, in seconds */
#define TL_LINUX_MIN_RTT_WLEN_S 300u
void     tl_tcp_keepalive_start   (TlSim           *sim,
                                   TlTcb           *tcb);
/* After output: the persist timer runs while data waits for a closed window
 * with nothing in flight, and stops otherwise.  After an ACK that found
 * nothing in flight (probe_answer), it starts again, backed off. */
void     tl_tcp_persist_check     (TlSim           *sim,
                                   TlTcb           *tcb,
                                   gboolean         probe_answer);
/* Linux's TCP_ATO_MIN, the shortest delayed ACK (HZ / 25). */
#define TL_TCP_ATO_MIN_US (40 * TL_USEC_PER_MSEC)
/* The timestamps option as Linux aligns it: NOP, NOP, kind 8, length 10. */
#define TL_TCP_TS_LEN 12
/* Linux's TCP_PAWS_WINDOW: a TSval this much older than ts_recent still passes. */
#define TL_TCP_PAWS_WINDOW 1
/* This machine's kernel ticks (CONFIG_HZ=250): a jiffy is 4 ms. */
#define TL_LINUX_HZ 250
#define TL_LINUX_JIFFY_US (TL_USEC_PER_SEC / TL_LINUX_HZ)
/* A time as the kernel keeps it in jiffies (usecs_to_jiffies rounds up). */
static inline gint64
tl_linux_jiffies_us (gint64 us)
{
  return (us + TL_LINUX_JIFFY_US - 1) / TL_LINUX_JIFFY_US * TL_LINUX_JIFFY_US;
}
/* Linux's TCP_TIMEOUT_MIN: two jiffies. */
#define TL_TCP_TIMEOUT_MIN_US (2 * TL_LINUX_JIFFY_US)
/* When Linux's timer wheel (kernel/time/timer.c) runs a timer armed at
 * now_us for delay_us: the delay in whole jiffies, rounded up, then the
 * wheel's bucket, always later (see tl-tcp-timer.c).  Jiffies count from the
 * simulation's time 0; the kernel's phase is unknown. */
gint64   tl_linux_timer_wheel_us  (gint64           now_us,
                                   gint64           delay_us);

/* tl-tcp-user.c: the application's calls (RFC 9293 sections 3.10.1 to 3.10.5) */
/* FALSE when the statement's host has crashed: the call is recorded as seen. */
gboolean tl_tcp_user_host_up      (TlSim           *sim,
                                   const TlStmt    *stmt,
                                   TlCall           call);
/* The TCB a connection's statement acts on, or NULL (the call recorded as seen). */
TlTcb   *tl_tcp_user_tcb          (TlSim           *sim,
                                   const TlStmt    *stmt,
                                   TlCall           call);
void     tl_tcp_user_listen       (TlSim           *sim,
                                   const TlStmt    *stmt);
void     tl_tcp_user_unlisten     (TlSim           *sim,
                                   const TlStmt    *stmt);
void     tl_tcp_user_connect      (TlSim           *sim,
                                   const TlStmt    *stmt);
void     tl_tcp_user_accept       (TlSim           *sim,
                                   const TlStmt    *stmt);
void     tl_tcp_user_send         (TlSim           *sim,
                                   TlTcb           *tcb,
                                   guint64          bytes);
void     tl_tcp_user_read         (TlSim           *sim,
                                   TlTcb           *tcb,
                                   guint64          bytes);
/* The application takes n bytes of what is queued (a read, or autoread). */
void     tl_tcp_app_read          (TlSim           *sim,
                                   TlTcb           *tcb,
                                   guint32          n);
/* What the lab's program asks of one recv() call. */
#define TL_APP_READ_CHUNK 16384

/* tl-tcp-sndbuf.c: Linux's send buffer, and the lab's program writing into it */
/* What the lab's program gives one send() call (tl-real-app.c's flush). */
#define TL_APP_WRITE_CHUNK 16384
/* The program's send statement: bytes for the buffer (linux profile: as
 * much as it takes now, the rest as ACKs free it). */
void     tl_tcp_sndbuf_send       (TlSim           *sim,
                                   TlTcb           *tcb,
                                   guint64          bytes);
/* The connection is established: the buffer's first size (tcp_init_buffer_space). */
void     tl_tcp_sndbuf_init       (TlTcb           *tcb);
/* After an ACK's output (tcp_check_space): the buffer may grow, and the
 * program, blocked, writes again if there is room. */
void     tl_tcp_sndbuf_check      (TlSim           *sim,
                                   TlTcb           *tcb);
/* The program gives up what it has not written (close, shutdown, abort). */
guint64  tl_tcp_sndbuf_drop       (TlTcb           *tcb);
/* A new segment ending at end carries PSH from its skb (a write's end on
 * a full skb, forced_push, or the write the buffer stopped). */
gboolean tl_tcp_sndbuf_psh_marked (const TlTcb     *tcb,
                                   guint32          end);
/* close() (orphan TRUE) and shutdown(SHUT_WR) (orphan FALSE). */
void     tl_tcp_user_close        (TlSim           *sim,
                                   TlTcb           *tcb,
                                   gboolean         orphan);
void     tl_tcp_user_abort        (TlSim           *sim,
                                   TlTcb           *tcb);

G_END_DECLS
