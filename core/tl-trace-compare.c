/* tl-trace-compare.c: when two records tell the same event, and what
 * caused a state change (tl-trace-compare.h).  Where two traces part is
 * tl-trace-diff.c's walk, exact.
 *
 * A state change's cause is written at its own instant: the cost is the
 * records of one instant.
 */
#include "tl-trace-compare.h"

static gboolean
same_text (const TlTrace *a,
           guint32        ta,
           const TlTrace *b,
           guint32        tb)
{
  const char *la = NULL, *lb = NULL;

  if (ta == TL_NO_TEXT || tb == TL_NO_TEXT)
    return ta == tb;
  return g_strcmp0 (tl_trace_text (a, ta, &la), tl_trace_text (b, tb, &lb)) == 0
         && g_strcmp0 (la, lb) == 0;
}

gboolean
tl_trace_records_same (const TlTrace  *a,
                       const TlRecord *ra,
                       const TlTrace  *b,
                       const TlRecord *rb)
{
  g_return_val_if_fail (ra != NULL && rb != NULL, FALSE);

  if (ra->time_us != rb->time_us || ra->kind != rb->kind || ra->host != rb->host
      || ra->conn != rb->conn)
    return FALSE;
  switch ((TlRecordKind) ra->kind)
    {
    case TL_REC_SEGMENT:
    case TL_REC_ARRIVE:
      {
        /* the header fields a segment's records share, by their ids */
        const TlTraceSegment *sa = tl_trace_segment (a, ra->u.seg.id);
        const TlTraceSegment *sb = tl_trace_segment (b, rb->u.seg.id);

        return ra->u.seg.seq == rb->u.seg.seq && ra->u.seg.delay_us == rb->u.seg.delay_us
               && ra->u.seg.len == rb->u.seg.len && ra->u.seg.flags == rb->u.seg.flags
               && ra->u.seg.fate == rb->u.seg.fate
               && sa->ack == sb->ack && sa->win == sb->win
               && tl_trace_segment_peer (a, ra->u.seg.id) == tl_trace_segment_peer (b, rb->u.seg.id)
               && sa->mss == sb->mss && sa->src_port == sb->src_port
               && sa->dst_port == sb->dst_port;
      }
    case TL_REC_STATE:
      return ra->u.state.from == rb->u.state.from && ra->u.state.to == rb->u.state.to
             && ra->u.state.cause == rb->u.state.cause && ra->u.state.flags == rb->u.state.flags;
    case TL_REC_TIMER:
      return ra->u.timer.deadline_us == rb->u.timer.deadline_us
             && ra->u.timer.timer == rb->u.timer.timer && ra->u.timer.action == rb->u.timer.action
             && ra->u.timer.attempt == rb->u.timer.attempt;
    case TL_REC_APP:
    case TL_REC_HOST:
      return ra->u.app.value == rb->u.app.value && ra->u.app.call == rb->u.app.call
             && ra->u.app.error == rb->u.app.error;
    case TL_REC_LINK:
      return ra->u.link.value == rb->u.link.value && ra->u.link.dir == rb->u.link.dir
             && ra->u.link.param == rb->u.link.param;
    case TL_REC_QUEUES:
      return ra->u.queues.send_q == rb->u.queues.send_q
             && ra->u.queues.recv_q == rb->u.queues.recv_q;
    case TL_REC_CWND:
      return ra->u.cwnd.cwnd == rb->u.cwnd.cwnd && ra->u.cwnd.ssthresh == rb->u.cwnd.ssthresh
             && ra->u.cwnd.bytes == rb->u.cwnd.bytes;
    case TL_REC_SAY:
    case TL_REC_PAUSE:
      return same_text (a, ra->u.text.text, b, rb->u.text.text);
    case TL_REC_END:
      return ra->u.end.reason == rb->u.end.reason;
    }
  return FALSE;
}

/* Whether rec is the kind of record cause names, for a state change on
 * host and connection conn. */
static gboolean
is_cause (const TlRecord *rec,
          TlCause         cause,
          guint           host,
          guint32         conn)
{
  static const TlCall calls[] = {
    [TL_CAUSE_APP_LISTEN] = TL_CALL_LISTEN,
    [TL_CAUSE_APP_CONNECT] = TL_CALL_CONNECT,
    [TL_CAUSE_APP_CLOSE] = TL_CALL_CLOSE,
    [TL_CAUSE_APP_SHUTDOWN] = TL_CALL_SHUTDOWN,
    [TL_CAUSE_APP_ABORT] = TL_CALL_ABORT,
    [TL_CAUSE_APP_UNLISTEN] = TL_CALL_UNLISTEN,
  };

  switch (cause)
    {
    case TL_CAUSE_APP_LISTEN:
    case TL_CAUSE_APP_CONNECT:
    case TL_CAUSE_APP_CLOSE:
    case TL_CAUSE_APP_SHUTDOWN:
    case TL_CAUSE_APP_ABORT:
    case TL_CAUSE_APP_UNLISTEN:
      return rec->kind == TL_REC_APP && rec->host == host && rec->u.app.call == calls[cause];
    case TL_CAUSE_RCV_SYN:
    case TL_CAUSE_RCV_SYN_ACK:
    case TL_CAUSE_RCV_ACK:
    case TL_CAUSE_RCV_FIN:
    case TL_CAUSE_RCV_RST:
      /* an arrival's record belongs to its sender */
      return rec->kind == TL_REC_ARRIVE && rec->host == 1 - host
             && rec->u.seg.fate == TL_FATE_DELIVERED;
    case TL_CAUSE_TIMEOUT:
    case TL_CAUSE_TIME_WAIT_DONE:
    case TL_CAUSE_FIN_WAIT_2_DONE:
      return rec->kind == TL_REC_TIMER && rec->conn == conn
             && rec->u.timer.action == TL_TIMER_FIRED;
    case TL_CAUSE_CRASH:
      return rec->kind == TL_REC_HOST && rec->host == host;
    case TL_CAUSE_QUEUE_OVERFLOW:
      return FALSE;
    }
  return FALSE;
}

guint
tl_trace_state_cause (const TlTrace *trace,
                      guint          index)
{
  const TlRecord *rec;
  guint n;

  g_return_val_if_fail (trace != NULL, G_MAXUINT);
  g_return_val_if_fail (index < tl_trace_n_records (trace), G_MAXUINT);

  rec = tl_trace_record (trace, index);
  g_return_val_if_fail (rec->kind == TL_REC_STATE, G_MAXUINT);
  if (rec->u.state.flags & TL_STATE_FLAG_INFERRED)
    return G_MAXUINT;

  for (guint i = index; i > 0; i--)
    {
      const TlRecord *r = tl_trace_record (trace, i - 1);

      if (r->time_us != rec->time_us)
        break;
      if (is_cause (r, rec->u.state.cause, rec->host, rec->conn))
        return i - 1;
    }
  /* connect() closes the TIME_WAIT whose port it reuses before it records
   * itself (tl-tcp-user.c) */
  n = tl_trace_n_records (trace);
  for (guint i = index + 1; i < n; i++)
    {
      const TlRecord *r = tl_trace_record (trace, i);

      if (r->time_us != rec->time_us)
        break;
      if (r->kind == TL_REC_APP && is_cause (r, rec->u.state.cause, rec->host, rec->conn))
        return i;
    }
  return G_MAXUINT;
}

void
tl_trace_segment_effects (const TlTrace *trace,
                          guint          index,
                          GArray        *states)
{
  const TlRecord *seg;
  guint n, i;
  gint64 at_us;

  g_return_if_fail (trace != NULL && states != NULL);
  g_return_if_fail (index < tl_trace_n_records (trace));

  seg = tl_trace_record (trace, index);
  g_return_if_fail (seg->kind == TL_REC_SEGMENT);
  if (seg->u.seg.fate != TL_FATE_DELIVERED && seg->u.seg.fate != TL_FATE_DUPLICATE)
    return;

  /* Its arrival: the copy of a duplicate arrives after the first, so the
   * nth record with this id is the nth arrival. */
  at_us = seg->time_us + seg->u.seg.delay_us;
  n = tl_trace_n_records (trace);
  {
    guint copy = 0;

    for (i = index; i > 0; i--)
      {
        const TlRecord *r = tl_trace_record (trace, i - 1);

        if (r->time_us != seg->time_us)
          break;
        copy += r->kind == TL_REC_SEGMENT && r->host == seg->host && r->u.seg.id == seg->u.seg.id;
      }
    for (i = tl_trace_records_until (trace, at_us - 1); i < n; i++)
      {
        const TlRecord *r = tl_trace_record (trace, i);

        if (r->time_us > at_us)
          return;
        if (r->kind == TL_REC_ARRIVE && r->host == seg->host && r->u.seg.id == seg->u.seg.id
            && copy-- == 0)
          break;
      }
  }
  if (i >= n || tl_trace_record (trace, i)->u.seg.fate != TL_FATE_DELIVERED)
    return;

  for (guint j = i + 1; j < n; j++)
    {
      const TlRecord *r = tl_trace_record (trace, j);

      if (r->time_us != at_us)
        break;
      /* the next segment reaching that host: its own effects follow */
      if (r->kind == TL_REC_ARRIVE && r->host == seg->host)
        break;
      if (r->kind == TL_REC_STATE && tl_trace_state_cause (trace, j) == i)
        g_array_append_val (states, j);
    }
}
