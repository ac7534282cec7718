/* test-property.c: the simulator checked on thousands of random scenarios
 * (tests/tl-random-scenario.c), each run against these properties:
 *
 * EDGE      every state change is an edge of RFC 9293 Figure 5 or one of the
 *           documented paths in `extra_edges` (each with its reason), with a
 *           cause that fits it, starting where the previous change ended.
 * SEQUENCE  per connection (its own segments; RST replies to strays carry no
 *           connection and are not counted):
 *           - a SYN or SYN,ACK carries seq = ISS;
 *           - data lies within what the buffer took of what the
 *             application wrote (the bytes taken: the sum of Send-Q's rises,
 *             from its QUEUES records, never more than its send calls
 *             asked; under the linux profile the program writes as the
 *             buffer frees): seq >= the snd_una its own Send-Q implies (ISS
 *             + 1 + bytes taken - Send-Q), so a retransmission may repeat
 *             but never goes below snd_una, and seq + len <= ISS + 1 + bytes
 *             taken;
 *           - no hole: seq <= snd_max, the highest seq + length sent so far;
 *           - a FIN sits at ISS + 1 + bytes taken;
 *           - a bare ACK or RST carries seq = snd_max, or snd_max - 1 for an
 *             ACK (the keepalive probe, RFC 1122 section 4.2.3.6, or the
 *             zero-window probe, RFC 9293 section 3.8.6.1);
 *           all compared wrap-safe (the generator puts ISNs near 2^32).
 * ACK       per connection, the acknowledgement numbers it sends never go
 *           backwards (wrap-safe): rcv_nxt only grows.
 * DELIVERY  every TL_REC_ARRIVE matches an earlier TL_REC_SEGMENT with the
 *           same id, sender and fields, and a copy of it (the segment or a
 *           duplicate) sent `delay` before; only a delivered segment or copy
 *           arrives, once; a copy `lose` took arrives never.
 * ENDING    the run stops at its `end` (TL_END_STATEMENT), within an event
 *           budget far above what these small scenarios need.
 * FINAL     each connection's state at the end is explained by `end_rules`.
 * DETERMINISM  a second run gives a byte-identical text trace.
 * WORLD     tl_trace_world_at() equals a naive replay of the records up to t,
 *           at record times and random times.
 *
 * A failing seed is shrunk (statements dropped one by one while the same
 * property still fails) and printed as a lesson, which is parsed back and
 * run again to show that it reproduces the failure.
 *
 * TL_PROPERTY_SCENARIOS=N sets the number of scenarios; TL_PROPERTY_SEED=S
 * runs the one scenario S (to debug a failure).
 */
#include <stdlib.h>
#include <string.h>

#include "tl-lesson.h"
#include "tl-random-scenario.h"
#include "tl-test-util.h"

/* About 10 s in a normal build, within 60 s under AddressSanitizer. */
#define DEFAULT_SCENARIOS 40000
/* Events a run may take; the random scenarios need a few thousand. */
#define EVENT_BUDGET 500000
#define WORLD_SAMPLES 4

#define SEQ_LT(a, b)  ((gint32) ((guint32) (a) - (guint32) (b)) < 0)
#define SEQ_LEQ(a, b) ((gint32) ((guint32) (a) - (guint32) (b)) <= 0)
#define SEQ_GT(a, b)  SEQ_LT (b, a)

typedef enum
{
  PROP_OK,
  PROP_EDGE,
  PROP_SEQUENCE,
  PROP_ACK,
  PROP_DELIVERY,
  PROP_ENDING,
  PROP_FINAL,
  PROP_DETERMINISM,
  PROP_WORLD,
} Prop;

static const char *const prop_names[] = {
  "ok", "EDGE", "SEQUENCE", "ACK", "DELIVERY", "ENDING", "FINAL", "DETERMINISM", "WORLD",
};

/* ---- the state machine ---- */

#define C(cause) (1u << TL_CAUSE_##cause)
#define ANY_STATE G_MAXUINT8

typedef struct
{
  guint8      from;       /* TlState, or ANY_STATE */
  guint8      to;
  guint32     causes;     /* mask of TlCause */
  gboolean    child_only; /* only for a connection a listener made */
  const char *reason;
} Edge;

/* RFC 9293 section 3.3.2, Figure 5, with the event that takes each edge. */
static const Edge figure5_edges[] = {
  { TL_STATE_CLOSED, TL_STATE_LISTEN, C (APP_LISTEN), FALSE, "passive OPEN" },
  { TL_STATE_CLOSED, TL_STATE_SYN_SENT, C (APP_CONNECT), FALSE, "active OPEN / snd SYN" },
  { TL_STATE_LISTEN, TL_STATE_SYN_RCVD, C (RCV_SYN), TRUE, "rcv SYN / snd SYN,ACK" },
  { TL_STATE_LISTEN, TL_STATE_CLOSED, C (APP_UNLISTEN), FALSE, "CLOSE / delete TCB" },
  { TL_STATE_SYN_SENT, TL_STATE_SYN_RCVD, C (RCV_SYN), FALSE, "rcv SYN / snd SYN,ACK" },
  { TL_STATE_SYN_SENT, TL_STATE_ESTABLISHED, C (RCV_SYN_ACK), FALSE, "rcv SYN,ACK / snd ACK" },
  { TL_STATE_SYN_SENT, TL_STATE_CLOSED, C (APP_CLOSE) | C (APP_SHUTDOWN), FALSE,
    "CLOSE / delete TCB (Linux deletes it on shutdown() too)" },
  { TL_STATE_SYN_RCVD, TL_STATE_ESTABLISHED, C (RCV_ACK) | C (RCV_SYN_ACK), FALSE,
    "rcv ACK of SYN (in a simultaneous open, the peer's SYN,ACK, Figure 8)" },
  { TL_STATE_SYN_RCVD, TL_STATE_FIN_WAIT_1, C (APP_CLOSE) | C (APP_SHUTDOWN), FALSE,
    "CLOSE / snd FIN" },
  { TL_STATE_SYN_RCVD, TL_STATE_LISTEN, C (RCV_RST), TRUE, "rcv RST: back to LISTEN" },
  { TL_STATE_ESTABLISHED, TL_STATE_FIN_WAIT_1, C (APP_CLOSE) | C (APP_SHUTDOWN), FALSE,
    "CLOSE / snd FIN" },
  { TL_STATE_ESTABLISHED, TL_STATE_CLOSE_WAIT, C (RCV_FIN), FALSE, "rcv FIN / snd ACK" },
  { TL_STATE_FIN_WAIT_1, TL_STATE_FIN_WAIT_2, C (RCV_ACK), FALSE, "rcv ACK of FIN" },
  { TL_STATE_FIN_WAIT_1, TL_STATE_CLOSING, C (RCV_FIN), FALSE, "rcv FIN / snd ACK" },
  { TL_STATE_FIN_WAIT_2, TL_STATE_TIME_WAIT, C (RCV_FIN), FALSE, "rcv FIN / snd ACK" },
  { TL_STATE_CLOSING, TL_STATE_TIME_WAIT, C (RCV_ACK), FALSE, "rcv ACK of FIN" },
  { TL_STATE_CLOSE_WAIT, TL_STATE_LAST_ACK, C (APP_CLOSE) | C (APP_SHUTDOWN), FALSE,
    "CLOSE / snd FIN" },
  { TL_STATE_LAST_ACK, TL_STATE_CLOSED, C (RCV_ACK), FALSE, "rcv ACK of FIN" },
  { TL_STATE_TIME_WAIT, TL_STATE_CLOSED, C (TIME_WAIT_DONE), FALSE, "Timeout=2MSL" },
};

/* The paths outside Figure 5, each with its reason. */
static const Edge extra_edges[] = {
  { ANY_STATE, TL_STATE_CLOSED, C (CRASH), FALSE,
    "a crash loses every socket of the host at once" },
  { ANY_STATE, TL_STATE_CLOSED, C (APP_ABORT), FALSE,
    "ABORT (RFC 9293 section 3.10.5): SO_LINGER 0, RST where Linux's tcp_need_reset says" },
  { TL_STATE_LISTEN, TL_STATE_CLOSED, C (RCV_RST), TRUE,
    "the request a listener made goes back to LISTEN on a RST (3.10.7.4) and is deleted: "
    "the listener itself carries on" },
  { TL_STATE_SYN_RCVD, TL_STATE_CLOSED, C (APP_UNLISTEN), TRUE,
    "unlisten: Linux's inet_csk_listen_stop drops the pending requests" },
  { TL_STATE_ESTABLISHED, TL_STATE_CLOSED, C (APP_UNLISTEN), TRUE,
    "unlisten: a connection not yet accepted is reset (inet_csk_listen_stop)" },
  { TL_STATE_CLOSE_WAIT, TL_STATE_CLOSED, C (APP_UNLISTEN), TRUE,
    "unlisten: a connection not yet accepted is reset (inet_csk_listen_stop)" },
  { TL_STATE_SYN_SENT, TL_STATE_CLOSED, C (RCV_RST) | C (TIMEOUT), FALSE,
    "an acceptable RST,ACK (3.10.7.3), or syn_retries exhausted (3.8.3, R2)" },
  { TL_STATE_SYN_RCVD, TL_STATE_CLOSED, C (RCV_RST) | C (TIMEOUT), FALSE,
    "a RST in a simultaneous open (3.10.7.4: 'connection refused'), or the "
    "SYN,ACK retries exhausted (synack_retries, syn_retries)" },
  { TL_STATE_ESTABLISHED, TL_STATE_CLOSED, C (RCV_RST) | C (TIMEOUT) | C (APP_CLOSE), FALSE,
    "a RST (3.10.7.4); retries, keepalive or zero-window probes exhausted (3.8.3, "
    "RFC 1122 4.2.3.6, 3.8.6.1); "
    "close() with unread data sends a RST (RFC 2525 section 2.17)" },
  { TL_STATE_FIN_WAIT_1, TL_STATE_CLOSED, C (RCV_RST) | C (TIMEOUT) | C (APP_CLOSE), FALSE,
    "a RST; retries exhausted; close() with unread data, or data reaching a closed "
    "application (Linux TCPAbortOnData)" },
  { TL_STATE_FIN_WAIT_2, TL_STATE_CLOSED,
    C (RCV_RST) | C (FIN_WAIT_2_DONE) | C (APP_CLOSE) | C (TIMEOUT), FALSE,
    "a RST; the orphan's fin_timeout (Linux tcp_fin_timeout); close() with unread data, "
    "or data reaching a closed application; keepalive exhausted after shutdown() (Linux)" },
  { TL_STATE_CLOSE_WAIT, TL_STATE_CLOSED, C (RCV_RST) | C (TIMEOUT) | C (APP_CLOSE), FALSE,
    "a RST; retries or keepalive exhausted; close() with unread data" },
  { TL_STATE_CLOSING, TL_STATE_CLOSED, C (RCV_RST) | C (TIMEOUT) | C (APP_CLOSE), FALSE,
    "a RST (3.10.7.4: 'enter CLOSED'); retries exhausted; close() after shutdown() "
    "with unread data" },
  { TL_STATE_LAST_ACK, TL_STATE_CLOSED, C (RCV_RST) | C (TIMEOUT) | C (APP_CLOSE), FALSE,
    "a RST; retries exhausted; close() after shutdown() with unread data" },
  { TL_STATE_TIME_WAIT, TL_STATE_CLOSED, C (RCV_RST), FALSE,
    "a RST ends TIME_WAIT (Linux, tcp_rfc1337 0)" },
  { TL_STATE_CLOSED, TL_STATE_ESTABLISHED, C (RCV_ACK), TRUE,
    "a SYN cookie's final ACK: the request kept no state (RFC 4987 section 3.6)" },
};

static const Edge *
find_edge (const Edge *table,
           gsize       n,
           TlState     from,
           TlState     to,
           TlCause     cause,
           gboolean    child)
{
  for (gsize i = 0; i < n; i++)
    if ((table[i].from == ANY_STATE || table[i].from == from) && table[i].to == to
        && (table[i].causes & (1u << cause)) != 0 && (child || !table[i].child_only))
      return &table[i];
  return NULL;
}

static gboolean
edge_allowed (TlState  from,
              TlState  to,
              TlCause  cause,
              gboolean child)
{
  if (to == TL_STATE_CLOSED && from == TL_STATE_CLOSED)
    return FALSE;
  return find_edge (figure5_edges, G_N_ELEMENTS (figure5_edges), from, to, cause, child) != NULL
         || find_edge (extra_edges, G_N_ELEMENTS (extra_edges), from, to, cause, child) != NULL;
}

/* ---- a naive replay, the reference for tl_trace_world_at ---- */

typedef struct
{
  gboolean running;
  gint64   armed_us;
  gint64   deadline_us;
  guint16  attempt;
} NaiveTimer;

typedef struct
{
  TlState    state;
  TlError    last_error;
  guint32    send_q;
  guint32    recv_q;
  NaiveTimer timers[TL_N_TIMERS];
} NaiveConn;

typedef struct
{
  const TlTrace *trace;
  NaiveConn     *conns;
  guint          n_records;
  gboolean       crashed[2];
} Naive;

static void
naive_init (Naive         *nv,
            const TlTrace *trace)
{
  nv->trace = trace;
  nv->conns = g_new0 (NaiveConn, MAX (tl_trace_n_conns (trace), 1));
  nv->n_records = 0;
  nv->crashed[0] = nv->crashed[1] = FALSE;
}

static void
naive_set_state (Naive   *nv,
                 guint32  conn,
                 TlState  state)
{
  nv->conns[conn].state = state;
  if (state == TL_STATE_CLOSED)
    for (guint k = 0; k < TL_N_TIMERS; k++)
      nv->conns[conn].timers[k].running = FALSE;
}

/* Applies record nv->n_records. */
static void
naive_step (Naive *nv)
{
  const TlRecord *r = tl_trace_record (nv->trace, nv->n_records++);
  NaiveConn *c = r->conn < tl_trace_n_conns (nv->trace) ? &nv->conns[r->conn] : NULL;

  switch ((TlRecordKind) r->kind)
    {
    case TL_REC_STATE:
      naive_set_state (nv, r->conn, r->u.state.to);
      break;
    case TL_REC_TIMER:
      if (r->u.timer.action == TL_TIMER_ARMED)
        c->timers[r->u.timer.timer] = (NaiveTimer) {
          TRUE, r->time_us, r->u.timer.deadline_us, r->u.timer.attempt
        };
      else
        c->timers[r->u.timer.timer].running = FALSE;
      break;
    case TL_REC_APP:
      if (c != NULL && r->u.app.error != TL_ERR_NONE)
        c->last_error = r->u.app.error;
      break;
    case TL_REC_QUEUES:
      c->send_q = r->u.queues.send_q;
      c->recv_q = r->u.queues.recv_q;
      break;
    case TL_REC_HOST:
      nv->crashed[r->host] = r->u.app.call == TL_CALL_CRASH;
      if (r->u.app.call == TL_CALL_CRASH)
        for (guint32 i = 0; i < tl_trace_n_conns (nv->trace); i++)
          if (tl_trace_conn (nv->trace, i)->host == r->host)
            naive_set_state (nv, i, TL_STATE_CLOSED);
      break;
    case TL_REC_SEGMENT:
    case TL_REC_ARRIVE:
    case TL_REC_LINK:
    case TL_REC_CWND:
    case TL_REC_SAY:
    case TL_REC_PAUSE:
    case TL_REC_END:
      break;
    }
}

static gboolean
naive_compare (const Naive   *nv,
               gint64         t,
               const TlWorld *w,
               GString       *why)
{
  guint counts[2][TL_N_STATES] = { { 0 } };
  guint si = 0, ti = 0;

  if (w->n_records != nv->n_records)
    {
      g_string_printf (why, "at %" G_GINT64_FORMAT " us: n_records %u, replay %u",
                       t, w->n_records, nv->n_records);
      return FALSE;
    }
  for (guint32 i = 0; i < tl_trace_n_conns (nv->trace); i++)
    {
      const NaiveConn *c = &nv->conns[i];
      const TlWorldSocket *s;

      if (c->state == TL_STATE_CLOSED)
        continue;
      counts[tl_trace_conn (nv->trace, i)->host][c->state]++;
      s = si < w->sockets->len ? &g_array_index (w->sockets, TlWorldSocket, si) : NULL;
      si++;
      if (s == NULL || s->conn != i || s->state != c->state || s->last_error != c->last_error
          || s->send_q != c->send_q || s->recv_q != c->recv_q)
        {
          g_string_printf (why, "at %" G_GINT64_FORMAT " us: socket %u is %s error %s "
                           "Send-Q %u Recv-Q %u in the replay; the world says %s",
                           t, i, tl_state_name (c->state), tl_error_name (c->last_error),
                           c->send_q, c->recv_q, s == NULL ? "nothing" : "otherwise");
          if (s != NULL)
            g_string_append_printf (why, " (socket %u %s error %s Send-Q %u Recv-Q %u)",
                                    s->conn, tl_state_name (s->state),
                                    tl_error_name (s->last_error), s->send_q, s->recv_q);
          return FALSE;
        }
      for (guint k = 0; k < TL_N_TIMERS; k++)
        {
          const NaiveTimer *nt = &c->timers[k];
          const TlWorldTimer *wt;

          if (!nt->running)
            continue;
          wt = ti < w->timers->len ? &g_array_index (w->timers, TlWorldTimer, ti) : NULL;
          ti++;
          if (wt == NULL || wt->conn != i || wt->timer != k || wt->armed_us != nt->armed_us
              || wt->deadline_us != nt->deadline_us || wt->attempt != nt->attempt)
            {
              g_string_printf (why, "at %" G_GINT64_FORMAT " us: timer %u of socket %u "
                               "(armed %" G_GINT64_FORMAT ", deadline %" G_GINT64_FORMAT
                               ") differs in the world", t, k, i, nt->armed_us, nt->deadline_us);
              return FALSE;
            }
        }
    }
  /* a timer of a CLOSED socket cannot run: the replay stops them */
  if (si != w->sockets->len || ti != w->timers->len)
    {
      g_string_printf (why, "at %" G_GINT64_FORMAT " us: the world has %u sockets and %u "
                       "timers, the replay %u and %u", t, w->sockets->len, w->timers->len, si, ti);
      return FALSE;
    }
  if (memcmp (counts, w->counts, sizeof counts) != 0
      || w->crashed[0] != nv->crashed[0] || w->crashed[1] != nv->crashed[1])
    {
      g_string_printf (why, "at %" G_GINT64_FORMAT " us: state counts or crashed hosts differ", t);
      return FALSE;
    }

  /* in flight: sent at or before t, arriving (or lost) after t */
  {
    guint fi = 0;

    for (guint i = 0; i < nv->n_records; i++)
      {
        const TlRecord *r = tl_trace_record (nv->trace, i);

        if (r->kind != TL_REC_SEGMENT || r->time_us + (gint64) r->u.seg.delay_us <= t)
          continue;
        if (fi >= w->in_flight->len || g_array_index (w->in_flight, guint, fi) != i)
          {
            g_string_printf (why, "at %" G_GINT64_FORMAT " us: segment record %u is in "
                             "flight, the world says otherwise", t, i);
            return FALSE;
          }
        fi++;
      }
    if (fi != w->in_flight->len)
      {
        g_string_printf (why, "at %" G_GINT64_FORMAT " us: the world has %u segments in "
                         "flight, the replay %u", t, w->in_flight->len, fi);
        return FALSE;
      }
  }
  return TRUE;
}

/* ---- one run ---- */

typedef struct
{
  gboolean  seen;
  TlState   state;
  gboolean  sent_any;
  guint32   snd_max;
  gboolean  sent_ack;
  guint32   last_ack;
  guint64   written;         /* what the application's send calls asked */
  guint64   taken;           /* what the buffer took: the rises of Send-Q (the
                                linux profile's program writes as the buffer
                                frees, tl-tcp-sndbuf.c) */
  guint32   send_q;
  gboolean  held;            /* the application holds it */
  gboolean  app_closed;      /* close() was called on it */
  gboolean  keepalive_armed; /* a keepalive timer was ever armed */
} ConnCheck;

typedef struct
{
  Prop     prop;
  GString *why;
} Verdict;

static void
verdict_fail (Verdict    *v,
      Prop        prop,
      const char *format,
      ...) G_GNUC_PRINTF (3, 4);

static void
verdict_fail (Verdict    *v,
      Prop        prop,
      const char *format,
      ...)
{
  va_list args;

  if (v->prop != PROP_OK)
    return;
  v->prop = prop;
  va_start (args, format);
  g_string_vprintf (v->why, format, args);
  va_end (args);
}

static void
check_segment (Verdict        *v,
               const TlTrace  *trace,
               ConnCheck      *cc,
               const TlRecord *r)
{
  const TlTraceConn *tc = tl_trace_conn (trace, r->conn);
  guint32 seq = r->u.seg.seq;
  guint32 len = r->u.seg.len;
  guint8 flags = r->u.seg.flags;
  guint32 data_end = tc->iss + 1 + (guint32) cc->taken;
  guint32 una = data_end - cc->send_q;
  guint32 seq_len = len + ((flags & TL_FLAG_SYN) ? 1 : 0) + ((flags & TL_FLAG_FIN) ? 1 : 0);
  char fl[24];

  tl_flags_to_string (flags, fl);
  if (flags & TL_FLAG_ACK)
    {
      guint32 ack = tl_trace_segment (trace, r->u.seg.id)->ack;

      if (cc->sent_ack && SEQ_LT (ack, cc->last_ack))
        verdict_fail (v, PROP_ACK, "at %" G_GINT64_FORMAT " us: connection %u sent %s ack %u "
              "after ack %u", r->time_us, r->conn, fl, ack, cc->last_ack);
      cc->sent_ack = TRUE;
      cc->last_ack = ack;
    }

  if (flags & TL_FLAG_SYN)
    {
      if (seq != tc->iss)
        verdict_fail (v, PROP_SEQUENCE, "at %" G_GINT64_FORMAT " us: connection %u sent %s seq %u, "
              "ISS %u", r->time_us, r->conn, fl, seq, tc->iss);
    }
  else if (len > 0 || (flags & TL_FLAG_FIN))
    {
      if (cc->sent_any && SEQ_GT (seq, cc->snd_max))
        verdict_fail (v, PROP_SEQUENCE, "at %" G_GINT64_FORMAT " us: connection %u sent %s seq %u "
              "beyond snd_max %u (a hole)", r->time_us, r->conn, fl, seq, cc->snd_max);
      if (len > 0 && SEQ_LT (seq, una))
        verdict_fail (v, PROP_SEQUENCE, "at %" G_GINT64_FORMAT " us: connection %u sent %s seq %u "
              "below snd_una %u", r->time_us, r->conn, fl, seq, una);
      if (SEQ_GT (seq + len, data_end))
        verdict_fail (v, PROP_SEQUENCE, "at %" G_GINT64_FORMAT " us: connection %u sent %s seq %u "
              "len %u beyond the %" G_GUINT64_FORMAT " bytes written (end %u)",
              r->time_us, r->conn, fl, seq, len, cc->taken, data_end);
      if ((flags & TL_FLAG_FIN) && seq + len != data_end)
        verdict_fail (v, PROP_SEQUENCE, "at %" G_GINT64_FORMAT " us: connection %u sent %s seq %u "
              "len %u: the FIN is not at the end of the data (%u)",
              r->time_us, r->conn, fl, seq, len, data_end);
    }
  else if (cc->sent_any && seq != cc->snd_max
           && !((flags == TL_FLAG_ACK) && seq == cc->snd_max - 1))
    {
      verdict_fail (v, PROP_SEQUENCE, "at %" G_GINT64_FORMAT " us: connection %u sent %s seq %u, "
            "snd_max %u", r->time_us, r->conn, fl, seq, cc->snd_max);
    }

  if (!cc->sent_any || SEQ_GT (seq + seq_len, cc->snd_max))
    cc->snd_max = seq + seq_len;
  cc->sent_any = TRUE;
}

/* Why a connection may be in its state when the run stops. */
static void
check_final (Verdict         *v,
             const TlTrace   *trace,
             guint32          conn,
             const ConnCheck *cc,
             const NaiveConn *nc)
{
  const TlTraceConn *tc = tl_trace_conn (trace, conn);
  gboolean rto = nc->timers[TL_TIMER_RETRANSMIT].running;
  /* Data held back by a closed window: the persist timer probes it (RFC
   * 9293 section 3.8.6.1), so a lost window update leaves nobody waiting
   * for ever (seeds 3337, 4106, 33885, 141864). */
  gboolean persist = nc->send_q > 0 && nc->timers[TL_TIMER_PERSIST].running;
  const char *rule = NULL;
  gboolean ok = FALSE;

  switch (nc->state)
    {
    case TL_STATE_CLOSED:
      ok = TRUE;
      break;
    case TL_STATE_LISTEN:
      rule = "a listener (never a listener's request)";
      ok = tc->listener;
      break;
    case TL_STATE_SYN_SENT:
      rule = "connect() with its SYN retransmission timer running";
      ok = rto;
      break;
    case TL_STATE_SYN_RCVD:
      rule = "a request with its SYN,ACK timer running (a simultaneous open: its "
             "retransmission timer)";
      ok = nc->timers[TL_TIMER_SYNACK].running || rto;
      break;
    case TL_STATE_ESTABLISHED:
    case TL_STATE_CLOSE_WAIT:
      /* CLOSE_WAIT: the application never closed (or never accepted). */
      rule = "idle (nothing unacknowledged), or with the retransmission timer running, "
             "or the persist timer (data held back by a closed window); with keepalive, "
             "its timer running";
      ok = (nc->send_q == 0 || rto || persist)
           && (!cc->keepalive_armed || nc->timers[TL_TIMER_KEEPALIVE].running);
      break;
    case TL_STATE_FIN_WAIT_1:
    case TL_STATE_CLOSING:
    case TL_STATE_LAST_ACK:
      rule = "its FIN unacknowledged, the retransmission timer running (or the persist "
             "timer: data before it held back by a closed window)";
      ok = rto || persist;
      break;
    case TL_STATE_FIN_WAIT_2:
      rule = "shutdown() and not close() (waits for the peer's FIN for ever), or an "
             "orphan with its fin_timeout running";
      ok = !cc->app_closed || nc->timers[TL_TIMER_FIN_WAIT_2].running;
      break;
    case TL_STATE_TIME_WAIT:
      rule = "its 2*MSL timer running";
      ok = nc->timers[TL_TIMER_TIME_WAIT].running;
      break;
    }
  if (!ok)
    verdict_fail (v, PROP_FINAL, "connection %u (%s#%u) ends in %s (Send-Q %u), not explained: "
          "the rule is \"%s\"", conn, tl_trace_host_name (trace, tc->host), tc->ordinal,
          tl_state_name (nc->state), nc->send_q, rule);
}

/* A segment id and an arrival time (under one hour: 32 bits), as a key. */
static gpointer
arrival_key (guint32 id,
             gint64  time_us)
{
  return GSIZE_TO_POINTER (((gsize) id << 32) | (guint32) time_us);
}

static void
check_trace (Verdict       *v,
             const TlTrace *trace,
             GRand         *rand)
{
  guint n = tl_trace_n_records (trace);
  guint n_conns = tl_trace_n_conns (trace);
  g_autofree ConnCheck *cc = g_new0 (ConnCheck, MAX (n_conns, 1));
  g_autoptr(GHashTable) sent = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr(GHashTable) copies = g_hash_table_new (g_direct_hash, g_direct_equal);
  const TlRecord *last = n > 0 ? tl_trace_record (trace, n - 1) : NULL;
  gint64 samples[WORLD_SAMPLES];
  Naive nv;

  if (last == NULL || last->kind != TL_REC_END || last->u.end.reason != TL_END_STATEMENT)
    {
      verdict_fail (v, PROP_ENDING, "the run did not stop at its `end` (reason %d)",
            last != NULL && last->kind == TL_REC_END ? last->u.end.reason : -1);
      return;
    }

  for (guint i = 0; i < n; i++)
    {
      const TlRecord *r = tl_trace_record (trace, i);
      ConnCheck *c = r->conn < n_conns ? &cc[r->conn] : NULL;

      switch ((TlRecordKind) r->kind)
        {
        case TL_REC_STATE:
          {
            const TlTraceConn *tc = tl_trace_conn (trace, r->conn);
            gboolean child = tc->parent != TL_NO_CONN;
            TlState expected_from = c->seen ? c->state
                                    : (child && r->u.state.from == TL_STATE_LISTEN
                                       ? TL_STATE_LISTEN : TL_STATE_CLOSED);

            if (r->u.state.from != expected_from
                || !edge_allowed (r->u.state.from, r->u.state.to, r->u.state.cause, child)
                || (c->seen && c->state == TL_STATE_CLOSED))
              verdict_fail (v, PROP_EDGE, "at %" G_GINT64_FORMAT " us: connection %u (%s#%u%s) "
                    "%s -> %s, cause %d, after %s: not an edge of Figure 5 nor a "
                    "documented path", r->time_us, r->conn,
                    tl_trace_host_name (trace, tc->host), tc->ordinal,
                    tc->listener ? ", listener" : "",
                    tl_state_name (r->u.state.from), tl_state_name (r->u.state.to),
                    r->u.state.cause, c->seen ? tl_state_name (c->state) : "its creation");
            /* a SYN cookie's connection: its SYN,ACK went out before it existed */
            if (!c->seen && r->u.state.from == TL_STATE_CLOSED
                && r->u.state.to == TL_STATE_ESTABLISHED && !c->sent_any)
              {
                c->sent_any = TRUE;
                c->snd_max = tc->iss + 1;
              }
            c->seen = TRUE;
            c->state = r->u.state.to;
          }
          break;
        case TL_REC_SEGMENT:
          {
            /* a copy: the link's duplicate, or one `lose` took on the wire
             * (then recorded lost under the id it copies) */
            gboolean copy = r->u.seg.fate == TL_FATE_DUPLICATE
                            || g_hash_table_contains (sent, GUINT_TO_POINTER (r->u.seg.id));

            if (!copy)
              g_hash_table_insert (sent, GUINT_TO_POINTER (r->u.seg.id), GUINT_TO_POINTER (i + 1));
            else if (r->u.seg.fate != TL_FATE_DUPLICATE && r->u.seg.fate != TL_FATE_LOST_SCRIPTED)
              verdict_fail (v, PROP_DELIVERY, "segment id %u sent twice", r->u.seg.id);
            if (r->u.seg.fate == TL_FATE_DELIVERED || r->u.seg.fate == TL_FATE_DUPLICATE)
              {
                gpointer key = arrival_key (r->u.seg.id, r->time_us + (gint64) r->u.seg.delay_us);

                g_hash_table_insert (copies, key, GUINT_TO_POINTER (
                                       GPOINTER_TO_UINT (g_hash_table_lookup (copies, key)) + 1));
              }
            if (c != NULL && !copy)
              check_segment (v, trace, c, r);
          }
          break;
        case TL_REC_ARRIVE:
          {
            guint at = GPOINTER_TO_UINT (g_hash_table_lookup (sent, GUINT_TO_POINTER (r->u.seg.id)));
            gpointer key = arrival_key (r->u.seg.id, r->time_us);
            guint left = GPOINTER_TO_UINT (g_hash_table_lookup (copies, key));
            const TlRecord *s = at > 0 ? tl_trace_record (trace, at - 1) : NULL;

            if (s == NULL || left == 0)
              {
                verdict_fail (v, PROP_DELIVERY, "at %" G_GINT64_FORMAT " us: segment id %u arrived, "
                      "but %s", r->time_us, r->u.seg.id,
                      s == NULL ? "it was never sent" : "no copy of it was due then");
                break;
              }
            g_hash_table_insert (copies, key, GUINT_TO_POINTER (left - 1));
            /* (ack, window, MSS, ports and address are the segment table's
             * entry for the id: the same for both by construction) */
            if (s->host != r->host || s->conn != r->conn || s->u.seg.seq != r->u.seg.seq
                || s->u.seg.len != r->u.seg.len || s->u.seg.flags != r->u.seg.flags
                || (r->u.seg.fate != TL_FATE_DELIVERED && r->u.seg.fate != TL_FATE_LOST_HOST_DOWN))
              verdict_fail (v, PROP_DELIVERY, "at %" G_GINT64_FORMAT " us: segment id %u arrived "
                    "other than it was sent (record %u)", r->time_us, r->u.seg.id, at - 1);
          }
          break;
        case TL_REC_APP:
          if (c == NULL || r->u.app.error != TL_ERR_NONE)
            break;
          /* a call on a connection the application does not hold is
           * recorded and does nothing */
          if (r->u.app.call == TL_CALL_CONNECT || r->u.app.call == TL_CALL_ACCEPT
              || r->u.app.call == TL_CALL_ACCEPTED)
            c->held = TRUE;
          else if (r->u.app.call == TL_CALL_SEND)
            c->written += r->u.app.value;
          else if (r->u.app.call == TL_CALL_CLOSE && c->held)
            {
              c->app_closed = TRUE;
              c->held = FALSE;
            }
          break;
        case TL_REC_QUEUES:
          if (c != NULL && r->u.queues.send_q > c->send_q)
            {
              c->taken += r->u.queues.send_q - c->send_q;
              if (c->taken > c->written)
                verdict_fail (v, PROP_SEQUENCE, "at %" G_GINT64_FORMAT " us: connection %u "
                      "took %" G_GUINT64_FORMAT " bytes, the application wrote %"
                      G_GUINT64_FORMAT, r->time_us, r->conn, c->taken, c->written);
            }
          c->send_q = r->u.queues.send_q;
          break;
        case TL_REC_TIMER:
          if (r->u.timer.timer == TL_TIMER_KEEPALIVE && r->u.timer.action == TL_TIMER_ARMED)
            c->keepalive_armed = TRUE;
          break;
        case TL_REC_CWND:
          /* a congestion window is never empty (RFC 5681's LW, Linux's 1) */
          ck_assert_uint_ge (r->u.cwnd.cwnd, 1);
          break;
        case TL_REC_HOST:
        case TL_REC_LINK:
        case TL_REC_SAY:
        case TL_REC_PAUSE:
        case TL_REC_END:
          break;
        }
      if (v->prop != PROP_OK)
        return;
    }

  /* The world at a few times: two record times (the edges where an off-by-one
   * hides) and two random times. */
  for (guint k = 0; k < WORLD_SAMPLES; k++)
    samples[k] = k < 2 ? tl_trace_record (trace, g_rand_int_range (rand, 0, (gint32) n))->time_us
                       : g_rand_int_range (rand, 0, (gint32) MIN (last->time_us + 1, G_MAXINT32));
  samples[WORLD_SAMPLES - 1] = last->time_us;
  for (guint a = 1; a < WORLD_SAMPLES; a++)
    for (guint b = a; b > 0 && samples[b - 1] > samples[b]; b--)
      {
        gint64 x = samples[b];

        samples[b] = samples[b - 1];
        samples[b - 1] = x;
      }

  naive_init (&nv, trace);
  for (guint k = 0; k < WORLD_SAMPLES && v->prop == PROP_OK; k++)
    {
      TlWorld w;

      while (nv.n_records < n && tl_trace_record (trace, nv.n_records)->time_us <= samples[k])
        naive_step (&nv);
      tl_world_init (&w);
      tl_trace_world_at (trace, samples[k], &w);
      if (!naive_compare (&nv, samples[k], &w, v->why))
        v->prop = PROP_WORLD;
      tl_world_clear (&w);
    }

  /* the last sample is the end: every connection's final state */
  for (guint32 i = 0; i < n_conns && v->prop == PROP_OK; i++)
    check_final (v, trace, i, &cc[i], &nv.conns[i]);
  g_free (nv.conns);
}

/* Runs a scenario within the event budget, or returns NULL. */
static TlTrace *
run_bounded (const TlScenario *scenario)
{
  g_autoptr(TlSim) sim = tl_sim_new (scenario);

  while (tl_sim_step (sim))
    if (tl_sim_n_events (sim) > EVENT_BUDGET)
      return NULL;
  return tl_sim_steal_trace (sim);
}

static char *
trace_text (const TlTrace *trace)
{
  GString *out = g_string_new (NULL);

  tl_trace_write_text (trace, out);
  return g_string_free (out, FALSE);
}

/* Every property of one scenario; the first that fails is in v. */
static void
check_scenario (const TlScenario *scenario,
                Verdict          *v)
{
  g_autoptr(TlTrace) trace = run_bounded (scenario);
  g_autoptr(TlTrace) again = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;
  g_autoptr(GRand) rand = NULL;

  v->prop = PROP_OK;
  g_string_truncate (v->why, 0);
  if (trace == NULL)
    {
      verdict_fail (v, PROP_ENDING, "more than %d events", EVENT_BUDGET);
      return;
    }
  rand = g_rand_new_with_seed ((guint32) scenario->seed);
  check_trace (v, trace, rand);
  if (v->prop != PROP_OK)
    return;

  again = tl_simulate (scenario);
  text = trace_text (trace);
  text_again = trace_text (again);
  if (strcmp (text, text_again) != 0)
    verdict_fail (v, PROP_DETERMINISM, "two runs gave different text traces");
}

/* Delta debugging, one statement at a time: drops each statement (never the
 * `end`) whose removal keeps the same property failing, until none can go. */
static TlScenario *
shrink (const TlScenario *scenario,
        Prop              prop)
{
  TlScenario *best = tl_scenario_copy (scenario);
  Verdict v = { PROP_OK, g_string_new (NULL) };
  gboolean progress = TRUE;

  while (progress)
    {
      progress = FALSE;
      for (guint i = best->stmts->len; i-- > 0;)
        {
          g_autoptr(TlScenario) smaller = NULL;

          if (g_array_index (best->stmts, TlStmt, i).kind == TL_STMT_END)
            continue;
          smaller = tl_scenario_copy (best);
          g_array_remove_index (smaller->stmts, i);
          check_scenario (smaller, &v);
          if (v.prop == prop)
            {
              tl_scenario_free (best);
              best = g_steal_pointer (&smaller);
              progress = TRUE;
            }
        }
    }
  g_string_free (v.why, TRUE);
  return best;
}

/* The failure message: the property, the minimal lesson, and whether the
 * lesson as written reproduces it. */
static char *
describe_failure (const TlScenario *scenario,
                  const Verdict    *v)
{
  g_autoptr(TlScenario) small = shrink (scenario, v->prop);
  g_autofree char *lesson = NULL;
  g_autoptr(TlScenario) parsed = NULL;
  g_autoptr(GError) error = NULL;
  Verdict again = { PROP_OK, g_string_new (NULL) };
  Verdict first = { PROP_OK, g_string_new (NULL) };
  GString *out = g_string_new (NULL);

  check_scenario (small, &first);
  small->title = g_strdup_printf ("property %s, seed %" G_GUINT64_FORMAT,
                                  prop_names[v->prop], scenario->seed);
  lesson = tl_scenario_to_lesson (small);
  parsed = tl_lesson_parse (lesson, -1, "shrunk.lesson", NULL, &error);
  if (parsed != NULL)
    check_scenario (parsed, &again);

  g_string_append_printf (out, "seed %" G_GUINT64_FORMAT ": %s: %s\n",
                          scenario->seed, prop_names[v->prop], v->why->str);
  g_string_append_printf (out, "shrunk from %u to %u statements: %s\n",
                          scenario->stmts->len, small->stmts->len, first.why->str);
  g_string_append_printf (out, "--- minimal lesson (%s) ---\n%s---\n",
                          parsed == NULL ? error->message
                          : again.prop == v->prop ? "reproduces the failure"
                          : "does NOT reproduce it when parsed back", lesson);
  g_string_free (again.why, TRUE);
  g_string_free (first.why, TRUE);
  return g_string_free (out, FALSE);
}

static guint64
env_number (const char *name,
            guint64     fallback)
{
  const char *text = g_getenv (name);
  guint64 n;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, &n, NULL))
    return fallback;
  return n;
}

START_TEST (test_random_scenarios_keep_every_property)
{
  guint64 n = env_number ("TL_PROPERTY_SCENARIOS", DEFAULT_SCENARIOS);
  guint64 only = env_number ("TL_PROPERTY_SEED", 0);
  guint64 first = only != 0 ? only : 1;
  guint64 last = only != 0 ? only : n;
  Verdict v = { PROP_OK, g_string_new (NULL) };
  guint failures = 0;
  g_autofree char *report = NULL;
  gint64 start = g_get_monotonic_time ();

  for (guint64 seed = first; seed <= last; seed++)
    {
      g_autoptr(TlScenario) scenario = tl_random_scenario (seed);

      check_scenario (scenario, &v);
      if (v.prop == PROP_OK)
        continue;
      failures++;
      if (report == NULL)
        {
          report = describe_failure (scenario, &v);
          g_printerr ("%s", report);
        }
      else
        g_printerr ("seed %" G_GUINT64_FORMAT ": %s: %s\n", seed, prop_names[v.prop], v.why->str);
    }
  g_printerr ("%" G_GUINT64_FORMAT " random scenarios in %.1f s, %u failed\n",
              last - first + 1, (g_get_monotonic_time () - start) / 1e6, failures);
  g_string_free (v.why, TRUE);
  ck_assert_msg (failures == 0, "%u of %" G_GUINT64_FORMAT " scenarios failed; the first:\n%s",
                 failures, last - first + 1, report);
}
END_TEST

/* The checks themselves must be able to fail: a trace with a forbidden edge,
 * and a shrink that keeps only what the failure needs. */
START_TEST (test_edge_table_refuses_a_jump)
{
  ck_assert (edge_allowed (TL_STATE_SYN_SENT, TL_STATE_ESTABLISHED, TL_CAUSE_RCV_SYN_ACK, FALSE));
  ck_assert (edge_allowed (TL_STATE_FIN_WAIT_2, TL_STATE_CLOSED, TL_CAUSE_FIN_WAIT_2_DONE, FALSE));
  ck_assert (!edge_allowed (TL_STATE_ESTABLISHED, TL_STATE_TIME_WAIT, TL_CAUSE_RCV_FIN, FALSE));
  ck_assert (!edge_allowed (TL_STATE_SYN_SENT, TL_STATE_LISTEN, TL_CAUSE_RCV_RST, FALSE));
  ck_assert (!edge_allowed (TL_STATE_CLOSED, TL_STATE_ESTABLISHED, TL_CAUSE_RCV_ACK, FALSE));
  ck_assert (edge_allowed (TL_STATE_CLOSED, TL_STATE_ESTABLISHED, TL_CAUSE_RCV_ACK, TRUE));
  ck_assert (!edge_allowed (TL_STATE_LAST_ACK, TL_STATE_CLOSED, TL_CAUSE_TIME_WAIT_DONE, FALSE));
}
END_TEST

START_TEST (test_generator_is_a_function_of_the_seed)
{
  g_autoptr(TlScenario) a = tl_random_scenario (77);
  g_autoptr(TlScenario) b = tl_random_scenario (77);
  g_autoptr(TlScenario) c = tl_random_scenario (78);
  g_autofree char *la = tl_scenario_to_lesson (a);
  g_autofree char *lb = tl_scenario_to_lesson (b);
  g_autofree char *lc = tl_scenario_to_lesson (c);
  g_autoptr(GError) error = NULL;
  g_autoptr(TlScenario) parsed = tl_lesson_parse (la, -1, "random.lesson", NULL, &error);
  g_autofree char *lp = NULL;

  ck_assert_str_eq (la, lb);
  ck_assert_str_ne (la, lc);
  ck_assert_msg (parsed != NULL, "%s\n%s", error ? error->message : "", la);
  lp = tl_scenario_to_lesson (parsed);
  ck_assert_str_eq (la, lp);
}
END_TEST

/* Regressions: minimal scenarios of the seeds the property found. */

/* Seed 121: autoread emptied a receive queue that had closed the window, but
 * only app_read() sent the window update; the sender, with no zero-window
 * probe, waited for ever.  Now autoread reopens the window as read does
 * (RFC 9293 section 3.8.6.2.2). */
START_TEST (test_autoread_reopens_a_closed_window)
{
  g_autoptr(TlScenario) sc = tl_test_scenario ();
  g_autoptr(TlTrace) trace = NULL;
  g_autoptr(GPtrArray) c = NULL;
  TlWorld w;

  sc->settings[TL_CLIENT].window = 400;
  tl_test_open (sc);
  tl_test_conn (sc, TL_MS (100), TL_STMT_SEND, TL_SERVER, 0, 1000);
  trace = tl_simulate (sc);
  c = tl_test_segments (trace, TL_CLIENT);

  /* 400 bytes arrive at 120 ms: the ACK shows the full queue (window 0),
   * the read empties it and a window update follows at once. */
  tl_test_assert_seg (c, 2, TL_CLIENT, TL_FLAG_ACK, 1, 401);
  ck_assert_uint_eq (tl_trace_segment (trace, tl_test_seg (c, 2)->u.seg.id)->win, 0);
  tl_test_assert_seg (c, 3, TL_CLIENT, TL_FLAG_ACK, 1, 401);
  ck_assert_uint_eq (tl_trace_segment (trace, tl_test_seg (c, 3)->u.seg.id)->win, 400);
  ck_assert_int_eq (tl_test_seg (c, 3)->time_us, TL_MS (120));
  tl_world_init (&w);
  tl_trace_world_at (trace, tl_trace_end_time (trace), &w);
  ck_assert_uint_eq (w.sockets->len, 3);
  for (guint i = 0; i < w.sockets->len; i++)
    ck_assert_uint_eq (g_array_index (w.sockets, TlWorldSocket, i).send_q, 0);
  tl_world_clear (&w);
}
END_TEST

Suite *
property_suite (void)
{
  Suite *s = suite_create ("property");
  TCase *tc = tcase_create ("property");

  tcase_set_timeout (tc, 600);
  tcase_add_test (tc, test_edge_table_refuses_a_jump);
  tcase_add_test (tc, test_generator_is_a_function_of_the_seed);
  tcase_add_test (tc, test_autoread_reopens_a_closed_window);
  tcase_add_test (tc, test_random_scenarios_keep_every_property);
  suite_add_tcase (s, tc);
  return s;
}
