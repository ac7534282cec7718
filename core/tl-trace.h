/* tl-trace.h: what happened, as time-ordered records; immutable once sealed.
 *
 * The simulator appends records and connections while it runs, then seals the
 * trace, which builds the indexes.  Views and checks only read a sealed trace:
 * "the world at time t" (tl_trace_world_at) is the one question they ask.
 *
 * A record is 32 bytes (G_STATIC_ASSERT in tl-trace.c): an open and close
 * makes 43 of them, so 100,000 connections take 4.3 million.  A segment's
 * header fields that its records share (ack, window, MSS, ports, a flood's
 * address) are kept once, in the segment table (TlTraceSegment), by id.
 */
#pragma once

#include <glib.h>

#include "tl-types.h"

G_BEGIN_DECLS

typedef enum
{
  TL_REC_SEGMENT,   /* a segment put on the link (u.seg); its fate decided by the link */
  TL_REC_ARRIVE,    /* a segment reached the other end (u.seg, same id) */
  TL_REC_STATE,     /* a connection changed state (u.state) */
  TL_REC_TIMER,     /* a timer armed, cancelled or fired (u.timer) */
  TL_REC_APP,       /* an application call and its result, or what the application saw (u.app) */
  TL_REC_LINK,      /* the link changed, or a scripted drop was armed (u.link) */
  TL_REC_HOST,      /* a host crashed or rebooted (u.app.call) */
  TL_REC_QUEUES,    /* a connection's Send-Q or Recv-Q changed (u.queues) */
  TL_REC_SAY,       /* narration (u.text) */
  TL_REC_PAUSE,     /* a pause with its question (u.text; text -1 if none) */
  TL_REC_END,       /* the simulation stopped (u.end) */
  TL_REC_CWND,      /* a connection's congestion window or slow start threshold changed (u.cwnd) */
} TlRecordKind;

typedef enum
{
  TL_FATE_DELIVERED,
  TL_FATE_DUPLICATE,       /* this record is the extra copy a duplicating link made of the
                              segment with the same id; `expect segments` does not count it */
  TL_FATE_LOST_RANDOM,     /* `link loss` */
  TL_FATE_LOST_SCRIPTED,   /* `drop next`, or `lose` (then delay_us is how far it got) */
  TL_FATE_LOST_LINK_DOWN,  /* `link down` */
  TL_FATE_LOST_HOST_DOWN,  /* on TL_REC_ARRIVE: the receiver had crashed */
  TL_FATE_DISCARDED,       /* to a flood's spoofed address: nobody there to receive it */
} TlFate;

typedef enum
{
  TL_CAUSE_APP_LISTEN,
  TL_CAUSE_APP_CONNECT,
  TL_CAUSE_APP_CLOSE,
  TL_CAUSE_APP_SHUTDOWN,
  TL_CAUSE_APP_ABORT,
  TL_CAUSE_APP_UNLISTEN,
  TL_CAUSE_RCV_SYN,
  TL_CAUSE_RCV_SYN_ACK,
  TL_CAUSE_RCV_ACK,
  TL_CAUSE_RCV_FIN,
  TL_CAUSE_RCV_RST,
  TL_CAUSE_TIMEOUT,        /* retries exhausted (SYN, SYN,ACK, data/FIN, keepalive) */
  TL_CAUSE_TIME_WAIT_DONE, /* 2*MSL elapsed */
  TL_CAUSE_FIN_WAIT_2_DONE,/* the orphan's fin_timeout elapsed */
  TL_CAUSE_CRASH,
  TL_CAUSE_QUEUE_OVERFLOW, /* a request dropped from a full queue */
} TlCause;

/* A state change read from a capture (the simulator sets none of these):
 * INFERRED, no segment the host sent while in this state confirms it (a
 * FIN_WAIT_2, the CLOSED after LAST_ACK, the end of TIME_WAIT); JOINED, the
 * capture began after the connection was set up, so it starts ESTABLISHED. */
typedef enum
{
  TL_STATE_FLAG_INFERRED = 1 << 0,
  TL_STATE_FLAG_JOINED   = 1 << 1,
} TlStateFlags;

typedef enum
{
  TL_TIMER_RETRANSMIT,     /* SYN, data and FIN (RFC 6298) */
  TL_TIMER_SYNACK,         /* a half-open request's SYN,ACK */
  TL_TIMER_TIME_WAIT,      /* 2 * MSL */
  TL_TIMER_FIN_WAIT_2,     /* an orphan's fin_timeout */
  TL_TIMER_KEEPALIVE,      /* RFC 1122 section 4.2.3.6 */
  TL_TIMER_DELACK,         /* a delayed ACK (RFC 9293 section 3.8.6.3) */
  TL_TIMER_PERSIST,        /* zero-window probes (RFC 9293 section 3.8.6.1) */
  TL_TIMER_COMP_SACK,      /* Linux's compressed SACK: a held-back duplicate ACK */
  TL_N_TIMERS
} TlTimerKind;

typedef enum
{
  TL_TIMER_ARMED,
  TL_TIMER_CANCELLED,
  TL_TIMER_FIRED,
} TlTimerAction;

typedef enum
{
  /* calls, from the scenario's statements */
  TL_CALL_LISTEN,
  TL_CALL_UNLISTEN,
  TL_CALL_CONNECT,
  TL_CALL_ACCEPT,
  TL_CALL_SEND,
  TL_CALL_READ,
  TL_CALL_CLOSE,
  TL_CALL_SHUTDOWN,
  TL_CALL_ABORT,
  TL_CALL_CRASH,           /* on TL_REC_HOST */
  TL_CALL_REBOOT,          /* on TL_REC_HOST */
  /* what the application sees by itself */
  TL_CALL_CONNECTED,       /* connect() completed */
  TL_CALL_ACCEPTED,        /* autoaccept took a connection */
  TL_CALL_RECEIVED,        /* autoread read value bytes */
  TL_CALL_EOF,             /* read() returned 0: the peer's FIN */
  TL_CALL_ERROR,           /* an error reported on the socket (u.app.error) */
} TlCall;

#define TL_NO_CONN G_MAXUINT32
#define TL_NO_TEXT G_MAXUINT32

typedef struct
{
  gint64  time_us;
  guint32 kind : 4;      /* TlRecordKind */
  guint32 host : 4;      /* 0 or 1: the host it happened on (for segments: the sender) */
  guint32 stmt : 24;     /* index+1 of the scenario statement that caused it, 0 if none
                            (a lesson has at most TL_BUDGET_STATEMENTS, far below 2^24;
                            16 bits stopped at 65535) */
  guint32 conn;          /* index in the connection table, or TL_NO_CONN */
  union
  {
    struct
    {
      guint32 id;            /* the same for TL_REC_SEGMENT and its TL_REC_ARRIVE (and a
                                duplicate's copy): the key of its TlTraceSegment, which
                                holds the header fields they share (tl_trace_segment) */
      guint32 seq;           /* absolute */
      guint32 delay_us;      /* to the arrival, or to the point of loss */
      guint16 len;
      guint8  flags;         /* TlFlags */
      guint8  fate;          /* TlFate */
    } seg;                   /* 16 bytes */
    struct
    {
      guint8 from;           /* TlState */
      guint8 to;
      guint8 cause;          /* TlCause */
      guint8 flags;          /* TlStateFlags: how an imported capture knows it */
    } state;
    struct
    {
      gint64  deadline_us;   /* for ARMED: when it will fire */
      guint8  timer;         /* TlTimerKind */
      guint8  action;        /* TlTimerAction */
      guint16 attempt;       /* retransmissions so far (backoff exponent) */
    } timer;
    struct
    {
      guint64 value;         /* bytes, or port */
      guint8  call;          /* TlCall */
      guint8  error;         /* TlError: the result of the call, or what it saw */
    } app;
    struct
    {
      gint64  value;
      gint8   dir;           /* 0, 1, or TL_DIR_BOTH */
      guint8  param;         /* TlLinkParam, or one of TL_LINK_REC_ below */
    } link;
    struct
    {
      guint32 send_q;        /* bytes written and not yet acknowledged */
      guint32 recv_q;        /* bytes received and not yet read */
    } queues;
    struct
    {
      guint32 cwnd;          /* segments (linux profile) or bytes (rfc profile, bytes set) */
      guint32 ssthresh;      /* in the same unit; 0x7fffffff (linux) or G_MAXUINT32 (rfc): none yet */
      guint8  bytes;
    } cwnd;
    struct
    {
      guint32 text;          /* index in the text table */
    } text;
    struct
    {
      guint64 limit;         /* the figure of the limit reached (events, records, bytes) */
      guint32 stmt;          /* index+1 of the last statement started, 0 if none */
      guint8  reason;        /* TlEndReason */
    } end;
  } u;
} TlRecord;

/* A TL_REC_CWND's ssthresh has been set (before the first reduction it is
 * Linux's TCP_INFINITE_SSTHRESH, or G_MAXUINT32 under the rfc profile). */
static inline gboolean
tl_cwnd_ssthresh_set (const TlRecord *r)
{
  return r->u.cwnd.ssthresh < (r->u.cwnd.bytes ? G_MAXUINT32 : 0x7fffffffu);
}

/* What a segment's records (its TL_REC_SEGMENT, its TL_REC_ARRIVE, a
 * duplicate's copy) share, kept once per segment id.  An id never described
 * reads as zeros.  12 bytes: a flood's address is in a table of its own
 * (tl_trace_segment_peer), which a trace without floods does not have. */
typedef struct
{
  guint32 ack;
  guint16 win;
  guint16 mss;           /* the MSS option, 0 if none */
  guint16 src_port;
  guint16 dst_port;
} TlTraceSegment;

/* u.link.param of a TL_REC_LINK that records a scripted rule, not a link
 * parameter (TL_N_LINK_PARAMS is in tl-scenario.h). */
#define TL_LINK_REC_DROP_NEXT      (TL_N_LINK_PARAMS)      /* `drop next` armed; value: its count */
#define TL_LINK_REC_LOSE           (TL_N_LINK_PARAMS + 1)  /* `lose` ran; value: segments lost */
#define TL_LINK_REC_DUPLICATE      (TL_N_LINK_PARAMS + 2)  /* `duplicate` ran; value: copies made */
#define TL_LINK_REC_DUPLICATE_NEXT (TL_N_LINK_PARAMS + 3)  /* `duplicate next` armed; value: its count */
#define TL_LINK_REC_HOLD_NEXT      (TL_N_LINK_PARAMS + 4)  /* `hold next` armed; value: the extra delay, us */

typedef enum
{
  TL_END_NOTHING_LEFT,   /* no event was pending */
  TL_END_STATEMENT,      /* the lesson's `end` */
  TL_END_TIME_LIMIT,     /* one hour of simulated time, or the caller's limit */
  TL_END_EVENT_LIMIT,    /* the event budget was spent (tl-budget.h) */
  TL_END_RECORD_LIMIT,   /* the trace record budget was spent */
  TL_END_MEMORY_LIMIT,   /* the memory budget was spent */
} TlEndReason;

/* TRUE for a run stopped by a budget before it ended: what happened after
 * the end record's time is unknown, and expectations there cannot be
 * checked.  (The hour of TL_END_TIME_LIMIT is the horizon of every lesson,
 * whose statements all lie within it: a run that reaches it is complete.) */
#define TL_END_REASON_IS_CUT(r) \
  ((r) == TL_END_EVENT_LIMIT || (r) == TL_END_RECORD_LIMIT || (r) == TL_END_MEMORY_LIMIT)

/* TCP options as bits (RFC 2018 SACK-permitted, RFC 7323 timestamps and
 * window scale).  On a connection: what its SYN offered, and what both SYNs
 * carried (then SACK blocks may follow, and timestamps go on every segment). */
typedef enum
{
  TL_OPT_SACK_PERM = 1 << 0,
  TL_OPT_TS        = 1 << 1,
  TL_OPT_WSCALE    = 1 << 2,
} TlOptBits;

#define TL_OPT_ALL (TL_OPT_SACK_PERM | TL_OPT_TS | TL_OPT_WSCALE)

/* A SACK block (RFC 2018): Linux sends at most 4 (3 with timestamps). */
#define TL_SACK_MAX 4

typedef struct
{
  guint32 start;
  guint32 end;
} TlSackBlock;

/* A socket: a connection, or a listener (listener TRUE, ordinal 0).  48
 * bytes: host and listener share a byte and ts_off stands before created_us
 * (56 before: 1.6 MB of 100,000 connections' 200,000 sockets). */
typedef struct
{
  guint8  host : 7;
  guint8  listener : 1;
  guint8  opt_offer;      /* TlOptBits its SYN carried (see below) */
  guint8  opt_agreed;     /* TlOptBits both SYNs carried */
  guint8  wscale;         /* the shift its SYN announces */
  guint32 ordinal;        /* HOST#N: the Nth connection created on its host, from 1 */
  guint32 local_addr;     /* IPv4, host byte order */
  guint32 remote_addr;
  guint16 local_port;
  guint16 remote_port;
  guint32 iss;
  guint32 irs;            /* 0 until known */
  guint32 parent;         /* the listener that made it, or TL_NO_CONN */
  guint32 backlog;        /* a listener's backlog (its Send-Q in `ss -ltn`), else 0 */
  /* Its TCP options (opt_offer, opt_agreed, wscale above and ts_off).  A
   * segment's options follow from them and its time (tl_trace_segment_options),
   * so the 48-byte record carries none but MSS: a SYN carries opt_offer, a
   * SYN,ACK opt_agreed, any other segment the timestamps of opt_agreed, and
   * its window field is scaled by wscale when both SYNs carried one.  TSval
   * is ts_off + the send time in ms (Linux: tcp_clock_ms plus an offset per
   * address pair and boot). */
  guint32 ts_off;
  gint64  created_us;
} TlTraceConn;

typedef struct _TlTrace TlTrace;

/* Writing: by the simulator only. */
TlTrace        *tl_trace_new              (const char * const  host_names[2],
                                           const guint32       host_addrs[2]);

/* Addresses.  Every address a trace holds as a guint32 (its hosts', a
 * connection's local_addr and remote_addr, tl_trace_segment_peer) is an IPv4
 * address in host byte order; in an IPv6 trace (an imported IPv6 capture)
 * it is a number standing for an IPv6 address of the trace's address table,
 * 1 + its index, the hosts being 1 and 2.  0 is no address either way, and
 * equal numbers are equal addresses; tl_trace_format_addr writes them. */
#define TL_ADDR_STRLEN 46         /* INET6_ADDRSTRLEN: "fd00::1", "10.0.0.1" */
TlTrace        *tl_trace_new_v6           (const char * const  host_names[2],
                                           const guint8        host_addrs[2][16]);
/* The number of addr (16 bytes, network order) in an IPv6 trace, added to
 * its table if new. */
guint32         tl_trace_add_addr6        (TlTrace            *trace,
                                           const guint8       *addr);
guint32         tl_trace_add_conn         (TlTrace            *trace,
                                           const TlTraceConn  *conn);
TlTraceConn    *tl_trace_conn_mut         (TlTrace            *trace,
                                           guint32             conn);
/* A record already written, to correct before the trace is sealed: a segment
 * on the wire that a `lose` statement takes (its fate and delay_us).  The
 * caller keeps the record's time and kind. */
TlRecord       *tl_trace_record_mut       (TlTrace            *trace,
                                           guint               index);
/* A zeroed record with time and kind set, to fill in; times never go backwards. */
TlRecord       *tl_trace_append           (TlTrace            *trace,
                                           TlRecordKind        kind,
                                           gint64              time_us);
/* Room for n_records records and n_segments segment ids (and their peer
 * addresses) before the arrays grow, asked for before the first record: a flood's 300,000 records are
 * then written in place instead of copied from array to twice the array as
 * they come (the pages the copies touch were a third of the flood's time). */
void            tl_trace_reserve          (TlTrace            *trace,
                                           guint               n_records,
                                           guint               n_segments);
/* The segment table's entry for id, made (zeroed) if new; valid until the
 * next call.  Every record of the segment reads it (tl_trace_segment). */
TlTraceSegment *tl_trace_segment_mut      (TlTrace            *trace,
                                           guint32             id);
/* A segment's other address: a flood's spoofed one, the source of its SYNs
 * and the destination of the replies (in an imported capture, the address of
 * a third party); 0 between the two hosts. */
guint32         tl_trace_segment_peer     (const TlTrace      *trace,
                                           guint32             id);
void            tl_trace_set_segment_peer (TlTrace            *trace,
                                           guint32             id,
                                           guint32             addr);
/* What of a segment's options its connection cannot tell: the TSecr (0:
 * none), SACK blocks, and the whole option set of a segment sent without a
 * connection (a SYN cookie's SYN,ACK).  Ids in increasing order. */
void            tl_trace_set_tsecr        (TlTrace            *trace,
                                           guint32             id,
                                           guint32             tsecr);
void            tl_trace_set_sack         (TlTrace            *trace,
                                           guint32             id,
                                           guint               n_blocks,
                                           const TlSackBlock  *blocks);
void            tl_trace_set_loose_options (TlTrace           *trace,
                                            guint32            id,
                                            guint8             bits,
                                            guint8             wscale,
                                            guint32            tsval,
                                            guint32            tsecr);
guint32         tl_trace_add_text         (TlTrace            *trace,
                                           const char         *locale,
                                           const char         *text);
void            tl_trace_seal             (TlTrace            *trace);
void            tl_trace_free             (TlTrace            *trace);

/* Reading. */
guint           tl_trace_n_records        (const TlTrace      *trace);
const TlRecord *tl_trace_record           (const TlTrace      *trace,
                                           guint               index);
/* The latest TL_REC_CWND of record index's connection at or before it, or
 * NULL (none: the connection had sent no data yet, or no connection); a
 * sealed trace, found by its index. */
const TlRecord *tl_trace_cwnd_before      (const TlTrace      *trace,
                                           guint               index);
guint           tl_trace_n_conns          (const TlTrace      *trace);
const TlTraceConn *tl_trace_conn          (const TlTrace      *trace,
                                           guint32             conn);
/* The shared fields of segment id (a record's u.seg.id); zeros if none. */
const TlTraceSegment *tl_trace_segment    (const TlTrace      *trace,
                                           guint32             id);
const char     *tl_trace_host_name        (const TlTrace      *trace,
                                           guint               host);
guint32         tl_trace_host_addr        (const TlTrace      *trace,
                                           guint               host);
gboolean        tl_trace_is_v6            (const TlTrace      *trace);
/* The 16 bytes of addr in an IPv6 trace; NULL in an IPv4 one, or for a
 * number it does not hold. */
const guint8   *tl_trace_addr6            (const TlTrace      *trace,
                                           guint32             addr);
/* addr as text ("10.0.0.1", "fd00::1"; "?" for a number an IPv6 trace does
 * not hold) into buf. */
void            tl_trace_format_addr      (const TlTrace      *trace,
                                           guint32             addr,
                                           char                buf[TL_ADDR_STRLEN]);
const char     *tl_trace_text             (const TlTrace      *trace,
                                           guint32             text,
                                           const char        **locale);
gint64          tl_trace_end_time         (const TlTrace      *trace);
/* Why the run ended (the last record's u.end), TL_END_NOTHING_LEFT for a
 * trace without an end record; *stmt (if not NULL) receives the index of the
 * last statement started, or -1. */
TlEndReason     tl_trace_end_reason       (const TlTrace      *trace,
                                           gint               *stmt);
/* What the trace holds takes about this many bytes (records, connections,
 * texts; not the indexes of a sealed trace). */
guint64         tl_trace_memory_bytes     (const TlTrace      *trace);
/* The number of records with time <= time_us (binary search). */
guint           tl_trace_records_until    (const TlTrace      *trace,
                                           gint64              time_us);
/* The connection a lesson's name means at time_us (created at or before it),
 * or TL_NO_CONN.  ordinal 0 is the host's most recent one. */
guint32         tl_trace_resolve_conn     (const TlTrace      *trace,
                                           guint               host,
                                           guint               ordinal,
                                           gint64              time_us);
/* The narration shown at time_us in the language asked for ("zh_CN", or NULL
 * for the untranslated text), falling back to the untranslated text; NULL if none. */
const char     *tl_trace_narration_at     (const TlTrace      *trace,
                                           gint64              time_us,
                                           const char         *locale);
/* The question of the pause at exactly time_us, the same way (a `pause` and
 * its `pause.LOCALE` translations); NULL if no pause with a question is there. */
const char     *tl_trace_question_at      (const TlTrace      *trace,
                                           gint64              time_us,
                                           const char         *locale);

/* "The world at time t": everything that has happened at or before t. */
typedef struct
{
  guint32 conn;
  guint8  state;          /* TlState */
  guint8  last_error;     /* TlError */
  guint32 send_q;         /* bytes written and not yet acknowledged */
  guint32 recv_q;         /* bytes received and not yet read */
} TlWorldSocket;

typedef struct
{
  guint32 conn;
  guint8  timer;          /* TlTimerKind */
  guint16 attempt;
  gint64  armed_us;
  gint64  deadline_us;
} TlWorldTimer;

typedef struct
{
  gint64  time_us;
  guint   n_records;        /* records [0, n_records) have happened */
  GArray *sockets;          /* of TlWorldSocket: every socket not CLOSED, by conn index */
  GArray *in_flight;        /* of guint: TL_REC_SEGMENT record indices sent and not yet
                               arrived or lost at time_us (a duplicate's second copy too) */
  GArray *timers;           /* of TlWorldTimer: running timers, by conn then kind */
  guint   counts[2][TL_N_STATES];   /* sockets per host per state (listeners in LISTEN) */
  gboolean crashed[2];
} TlWorld;

void            tl_world_init             (TlWorld            *world);
void            tl_world_clear            (TlWorld            *world);
/* Fills world for time_us.  Fast: keyframes and binary search, never a replay
 * from the start (DESIGN.md: a frame is drawn in under 4 ms at 10^6 records). */
void            tl_trace_world_at         (const TlTrace      *trace,
                                           gint64              time_us,
                                           TlWorld            *world);
/* The state of one connection at time_us (CLOSED before it exists and after it is gone). */
TlState         tl_trace_conn_state_at    (const TlTrace      *trace,
                                           guint32             conn,
                                           gint64              time_us);
/* The STATE record in force on a connection at time_us (its u.state.flags
 * tell whether an imported capture confirmed it), or NULL while CLOSED. */
const TlRecord *tl_trace_conn_state_record_at (const TlTrace *trace,
                                               guint32        conn,
                                               gint64         time_us);
/* The last error the application saw on a connection at or before time_us. */
TlError         tl_trace_conn_error_at    (const TlTrace      *trace,
                                           guint32             conn,
                                           gint64              time_us);
/* Segments put on the link in dir (0: host 0 -> host 1) at or before time_us,
 * with exactly these flags (or any, if any is TRUE); lost ones count, copies
 * (a duplicate, or a copy `lose` took on the wire) do not. */
guint64         tl_trace_count_segments   (const TlTrace      *trace,
                                           int                 dir,
                                           guint8              flags,
                                           gboolean            any,
                                           gint64              time_us);

/* A segment's seq and ack relative to the sender's iss and the receiver's,
 * as Wireshark shows them; FALSE (and the numbers untouched) for a segment
 * with no connection to relate them to. */
gboolean        tl_trace_relative_numbers (const TlTrace      *trace,
                                           const TlRecord     *record,
                                           guint32            *rel_seq,
                                           guint32            *rel_ack);

/* "segment", "state"...: a record kind's name in the writers. */
const char     *tl_record_kind_name       (TlRecordKind        kind);
gboolean        tl_record_kind_from_name  (const char         *name,
                                           TlRecordKind       *kind);

/* The TCP options a segment carried on the wire. */
typedef struct
{
  guint16 mss;            /* 0: none */
  guint8  bits;           /* TlOptBits: SACK_PERM and WSCALE on SYNs only */
  guint8  wscale;         /* with TL_OPT_WSCALE */
  guint8  win_shift;      /* the window field on the wire is the window >> win_shift */
  guint8  n_sack;
  guint32 tsval;          /* with TL_OPT_TS */
  guint32 tsecr;
  TlSackBlock sack[TL_SACK_MAX];
} TlSegmentOptions;

/* A TL_REC_SEGMENT record's options (its TL_REC_ARRIVE has the same, but
 * only the send record knows the time TSval comes from: FALSE for any other
 * record). */
gboolean        tl_trace_segment_options  (const TlTrace      *trace,
                                           const TlRecord     *record,
                                           TlSegmentOptions   *options);
/* The window in bytes a segment advertised (its field scaled). */
guint32         tl_trace_segment_window   (const TlTrace      *trace,
                                           const TlRecord     *record);

/* Writers: one line per record.  Text for people; JSON one object per line
 * (fields documented in lessons/README.md). */
char           *tl_trace_record_to_text   (const TlTrace      *trace,
                                           guint               index);
void            tl_trace_write_text       (const TlTrace      *trace,
                                           GString            *out);
void            tl_trace_write_json       (const TlTrace      *trace,
                                           GString            *out);
/* The same, streamed: sink gets the text in order, in pieces of about 64
 * KiB, and returns FALSE to stop (a failed write); then so does the writer. */
typedef gboolean (*TlTraceSink) (const char *data,
                                 gsize       len,
                                 gpointer    user_data);
gboolean        tl_trace_stream_text      (const TlTrace      *trace,
                                           TlTraceSink         sink,
                                           gpointer            user_data);
gboolean        tl_trace_stream_json      (const TlTrace      *trace,
                                           TlTraceSink         sink,
                                           gpointer            user_data);
/* s as a JSON string (RFC 8259 section 7), quotes included; null for NULL. */
void            tl_json_append_string     (GString            *out,
                                           const char         *s);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlTrace, tl_trace_free)

G_END_DECLS
