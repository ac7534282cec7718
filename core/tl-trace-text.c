/* tl-trace-text.c: the trace written out, one line per record: text for
 * people, JSON for programs.
 *
 * Text: the time, who, and what, with sequence numbers relative to each
 * connection's iss and irs as Wireshark shows them:
 *      110.000ms  client -> server  ACK  seq=1 ack=1 win=64512 len=0 ts=1010/3005  delivered
 * where win is the window in bytes (its field scaled) and a sent segment's
 * options follow its MSS.
 *      110.000ms  client#1  SYN_SENT -> ESTABLISHED  (rcv SYN,ACK)
 *
 * JSON: one object per line (JSON Lines).  Every object has
 *   "t_us"    integer   simulated time in microseconds
 *   "kind"    string    "segment", "arrive", "state", "timer", "app", "link",
 *                       "host", "queues", "say", "pause", "end"
 *   "host"    integer   0 or 1: the host it happened on (a segment's sender)
 *   "conn"    integer   index of the connection, or null
 *   "local_addr", "remote_addr"  strings  with a connection: its addresses,
 *                       "10.0.0.1" or "fd18::1" (an IPv6 capture); remote null
 *                       for a listener.  A segment's and an arrival's
 *                       connection is its sender's: local is the source
 *   "stmt"    integer   1-based index of the scenario statement that caused it, 0 if none
 * and per kind:
 *   segment, arrive: "id", "seq", "ack" (absolute), "rel_seq", "rel_ack" (relative
 *                    to the connection's iss/irs; absent without a connection,
 *                    and "rel_ack" absent without the ACK flag),
 *                    "flags" ("SYN,ACK"; "none"), "len", "win" (the header's
 *                    field), "window" (in bytes: the field scaled), "mss" (0: no option),
 *                    "src_port", "dst_port", "delay_us", "fate" ("delivered",
 *                    "duplicate", "lost_random", "lost_scripted", "lost_link_down",
 *                    "lost_host_down", "discarded"), "peer_addr" (a flood's spoofed
 *                    address as "a.b.c.d", or null); a segment (not an arrive)
 *                    also "options": {"sack_perm" (true/false), "tsval" and
 *                    "tsecr" (only with timestamps), "wscale" (only on a SYN
 *                    that carries it), "sack" ([[start, end], ...], absolute),
 *                    "win_shift" (the window is the field << this)}
 *   state:           "from", "to" (state names), "cause" ("app_listen", "app_connect",
 *                    "app_close", "app_shutdown", "app_abort", "app_unlisten",
 *                    "rcv_syn", "rcv_syn_ack", "rcv_ack", "rcv_fin", "rcv_rst",
 *                    "timeout", "time_wait_done", "fin_wait_2_done", "crash",
 *                    "queue_overflow")
 *   timer:           "timer" ("retransmit", "synack", "time_wait", "fin_wait_2",
 *                    "keepalive", "delack", "persist", "comp_sack"), "action" ("armed", "cancelled", "fired"),
 *                    "attempt", "deadline_us"
 *   app, host:       "call" ("listen", "unlisten", "connect", "accept", "send",
 *                    "read", "close", "shutdown", "abort", "crash", "reboot",
 *                    "connected", "accepted", "received", "eof", "error"),
 *                    "value" (bytes or port), "error" (an error name, "none" if none)
 *   link:            "dir" (0, 1 or "both"), "param" ("delay", "jitter", "loss",
 *                    "duplicate", "down", "up", "drop_next", "lose",
 *                    "duplicate_on_wire", "duplicate_next"), "value" (us, or ppm)
 *   queues:          "send_q", "recv_q"
 *   say, pause:      "text" (string, or null for a pause without a question),
 *                    "locale" ("zh_CN", or null for the untranslated text)
 *   end:             "reason" ("nothing_left", "statement", "time_limit", "event_limit",
 *                    "record_limit", "memory_limit")
 */
#include "tl-trace-private.h"

#include "tl-scenario.h"

static const char *const kind_names[] = {
  [TL_REC_SEGMENT] = "segment",
  [TL_REC_ARRIVE]  = "arrive",
  [TL_REC_STATE]   = "state",
  [TL_REC_TIMER]   = "timer",
  [TL_REC_APP]     = "app",
  [TL_REC_LINK]    = "link",
  [TL_REC_HOST]    = "host",
  [TL_REC_QUEUES]  = "queues",
  [TL_REC_SAY]     = "say",
  [TL_REC_PAUSE]   = "pause",
  [TL_REC_END]     = "end",
  [TL_REC_CWND]    = "cwnd",
};

static const char *const fate_names[] = {
  [TL_FATE_DELIVERED]       = "delivered",
  [TL_FATE_DUPLICATE]       = "duplicate",
  [TL_FATE_LOST_RANDOM]     = "lost_random",
  [TL_FATE_LOST_SCRIPTED]   = "lost_scripted",
  [TL_FATE_LOST_LINK_DOWN]  = "lost_link_down",
  [TL_FATE_LOST_HOST_DOWN]  = "lost_host_down",
  [TL_FATE_DISCARDED]       = "discarded",
};

/* For people: what happened to the segment. */
static const char *const fate_texts[] = {
  [TL_FATE_DELIVERED]       = "delivered",
  [TL_FATE_DUPLICATE]       = "duplicate copy",
  [TL_FATE_LOST_RANDOM]     = "lost (link loss)",
  [TL_FATE_LOST_SCRIPTED]   = "lost (scripted)",
  [TL_FATE_LOST_LINK_DOWN]  = "lost (link down)",
  [TL_FATE_LOST_HOST_DOWN]  = "lost (host down)",
  [TL_FATE_DISCARDED]       = "discarded (nobody there)",
};

static const char *const cause_names[] = {
  [TL_CAUSE_APP_LISTEN]       = "app_listen",
  [TL_CAUSE_APP_CONNECT]      = "app_connect",
  [TL_CAUSE_APP_CLOSE]        = "app_close",
  [TL_CAUSE_APP_SHUTDOWN]     = "app_shutdown",
  [TL_CAUSE_APP_ABORT]        = "app_abort",
  [TL_CAUSE_APP_UNLISTEN]     = "app_unlisten",
  [TL_CAUSE_RCV_SYN]          = "rcv_syn",
  [TL_CAUSE_RCV_SYN_ACK]      = "rcv_syn_ack",
  [TL_CAUSE_RCV_ACK]          = "rcv_ack",
  [TL_CAUSE_RCV_FIN]          = "rcv_fin",
  [TL_CAUSE_RCV_RST]          = "rcv_rst",
  [TL_CAUSE_TIMEOUT]          = "timeout",
  [TL_CAUSE_TIME_WAIT_DONE]   = "time_wait_done",
  [TL_CAUSE_FIN_WAIT_2_DONE]  = "fin_wait_2_done",
  [TL_CAUSE_CRASH]            = "crash",
  [TL_CAUSE_QUEUE_OVERFLOW]   = "queue_overflow",
};

/* The labels of the state diagram's edges. */
static const char *const cause_texts[] = {
  [TL_CAUSE_APP_LISTEN]       = "listen",
  [TL_CAUSE_APP_CONNECT]      = "connect",
  [TL_CAUSE_APP_CLOSE]        = "close",
  [TL_CAUSE_APP_SHUTDOWN]     = "shutdown",
  [TL_CAUSE_APP_ABORT]        = "abort",
  [TL_CAUSE_APP_UNLISTEN]     = "unlisten",
  [TL_CAUSE_RCV_SYN]          = "rcv SYN",
  [TL_CAUSE_RCV_SYN_ACK]      = "rcv SYN,ACK",
  [TL_CAUSE_RCV_ACK]          = "rcv ACK",
  [TL_CAUSE_RCV_FIN]          = "rcv FIN",
  [TL_CAUSE_RCV_RST]          = "rcv RST",
  [TL_CAUSE_TIMEOUT]          = "timeout",
  [TL_CAUSE_TIME_WAIT_DONE]   = "2*MSL elapsed",
  [TL_CAUSE_FIN_WAIT_2_DONE]  = "fin_timeout elapsed",
  [TL_CAUSE_CRASH]            = "crash",
  [TL_CAUSE_QUEUE_OVERFLOW]   = "queue overflow",
};

static const char *const timer_names[] = {
  [TL_TIMER_RETRANSMIT]  = "retransmit",
  [TL_TIMER_SYNACK]      = "synack",
  [TL_TIMER_TIME_WAIT]   = "time_wait",
  [TL_TIMER_FIN_WAIT_2]  = "fin_wait_2",
  [TL_TIMER_KEEPALIVE]   = "keepalive",
  [TL_TIMER_DELACK]      = "delack",
  [TL_TIMER_PERSIST]     = "persist",
  [TL_TIMER_COMP_SACK]   = "comp_sack",
};

static const char *const action_names[] = {
  [TL_TIMER_ARMED]     = "armed",
  [TL_TIMER_CANCELLED] = "cancelled",
  [TL_TIMER_FIRED]     = "fired",
};

static const char *const call_names[] = {
  [TL_CALL_LISTEN]    = "listen",
  [TL_CALL_UNLISTEN]  = "unlisten",
  [TL_CALL_CONNECT]   = "connect",
  [TL_CALL_ACCEPT]    = "accept",
  [TL_CALL_SEND]      = "send",
  [TL_CALL_READ]      = "read",
  [TL_CALL_CLOSE]     = "close",
  [TL_CALL_SHUTDOWN]  = "shutdown",
  [TL_CALL_ABORT]     = "abort",
  [TL_CALL_CRASH]     = "crash",
  [TL_CALL_REBOOT]    = "reboot",
  [TL_CALL_CONNECTED] = "connected",
  [TL_CALL_ACCEPTED]  = "accepted",
  [TL_CALL_RECEIVED]  = "received",
  [TL_CALL_EOF]       = "eof",
  [TL_CALL_ERROR]     = "error",
};

static const char *const link_param_names[] = {
  [TL_LINK_DELAY]     = "delay",
  [TL_LINK_JITTER]    = "jitter",
  [TL_LINK_LOSS]      = "loss",
  [TL_LINK_DUPLICATE] = "duplicate",
  [TL_LINK_DOWN]      = "down",
  [TL_LINK_UP]        = "up",
  [TL_LINK_REC_DROP_NEXT]      = "drop_next",
  [TL_LINK_REC_LOSE]           = "lose",
  [TL_LINK_REC_DUPLICATE]      = "duplicate_on_wire",
  [TL_LINK_REC_DUPLICATE_NEXT] = "duplicate_next",
  [TL_LINK_REC_HOLD_NEXT]      = "hold_next",
};

static const char *const end_names[] = {
  [TL_END_NOTHING_LEFT] = "nothing_left",
  [TL_END_STATEMENT]    = "statement",
  [TL_END_TIME_LIMIT]   = "time_limit",
  [TL_END_EVENT_LIMIT]  = "event_limit",
  [TL_END_RECORD_LIMIT] = "record_limit",
  [TL_END_MEMORY_LIMIT] = "memory_limit",
};

/* A name from a table, "?" for a value out of range (a damaged record). */
#define NAME(table, value) \
  ((guint) (value) < G_N_ELEMENTS (table) && (table)[value] != NULL ? (table)[value] : "?")

static const char *
state_name (guint8 state)
{
  return state < TL_N_STATES ? tl_state_name (state) : "?";
}

static const char *
error_name (guint8 error)
{
  return error < TL_N_ERRORS ? tl_error_name (error) : "?";
}

/* An address as "a.b.c.d", or as "2001:db8::7" in an IPv6 trace (an
 * imported IPv6 capture's peer_addr). */
static void
append_addr (GString       *out,
             const TlTrace *trace,
             guint32        addr)
{
  char text[TL_ADDR_STRLEN];

  tl_trace_format_addr (trace, addr, text);
  g_string_append (out, text);
}

/* A flood's spoofed address is the source of its SYNs (a lone SYN: the
 * flood never sends anything else) and the destination of the replies. */
/* A segment's options after its MSS, as tcpdump names them: sackOK,
 * ts=TSVAL/TSECR, wscale=N, sack=START-END,... (relative to base, the
 * number its ack field is relative to). */
static void
append_options_text (const TlTrace  *trace,
                     const TlRecord *r,
                     guint32         base,
                     GString        *out)
{
  TlSegmentOptions o;

  tl_trace_segment_options (trace, r, &o);
  if (o.bits & TL_OPT_SACK_PERM)
    g_string_append (out, " sackOK");
  if (o.bits & TL_OPT_TS)
    g_string_append_printf (out, " ts=%u/%u", o.tsval, o.tsecr);
  if (o.bits & TL_OPT_WSCALE)
    g_string_append_printf (out, " wscale=%u", o.wscale);
  for (guint b = 0; b < o.n_sack; b++)
    g_string_append_printf (out, "%s%u-%u", b == 0 ? " sack=" : ",",
                            o.sack[b].start - base, o.sack[b].end - base);
}

static void
append_options_json (const TlTrace  *trace,
                     const TlRecord *r,
                     GString        *out)
{
  TlSegmentOptions o;

  tl_trace_segment_options (trace, r, &o);
  g_string_append_printf (out, ",\"options\":{\"sack_perm\":%s", (o.bits & TL_OPT_SACK_PERM) ? "true" : "false");
  if (o.bits & TL_OPT_TS)
    g_string_append_printf (out, ",\"tsval\":%u,\"tsecr\":%u", o.tsval, o.tsecr);
  if (o.bits & TL_OPT_WSCALE)
    g_string_append_printf (out, ",\"wscale\":%u", o.wscale);
  g_string_append (out, ",\"sack\":[");
  for (guint b = 0; b < o.n_sack; b++)
    g_string_append_printf (out, "%s[%u,%u]", b == 0 ? "" : ",", o.sack[b].start, o.sack[b].end);
  g_string_append_printf (out, "],\"win_shift\":%u}", o.win_shift);
}

/* peer: the segment's tl_trace_segment_peer */
static gboolean
spoofed_source (const TlRecord *r,
                guint32         peer)
{
  return peer != 0
         && (r->u.seg.flags & (TL_FLAG_SYN | TL_FLAG_ACK)) == TL_FLAG_SYN;
}

gboolean
tl_trace_relative_numbers (const TlTrace  *trace,
                           const TlRecord *r,
                           guint32        *rel_seq,
                           guint32        *rel_ack)
{
  const TlTraceConn *c;

  if (r->conn >= trace->conns->len)
    return FALSE;
  c = &g_array_index (trace->conns, TlTraceConn, r->conn);
  if (c->host == r->host)
    {
      *rel_seq = r->u.seg.seq - c->iss;
      *rel_ack = tl_trace_segment (trace, r->u.seg.id)->ack - c->irs;
    }
  else
    {
      *rel_seq = r->u.seg.seq - c->irs;
      *rel_ack = tl_trace_segment (trace, r->u.seg.id)->ack - c->iss;
    }
  return TRUE;
}

static void
append_conn_label (const TlTrace  *trace,
                   const TlRecord *r,
                   GString        *out)
{
  const TlTraceConn *c;

  if (r->conn >= trace->conns->len)
    {
      g_string_append (out, NAME (trace->host_names, r->host));
      return;
    }
  c = &g_array_index (trace->conns, TlTraceConn, r->conn);
  if (c->listener)
    g_string_append_printf (out, "%s:%u (listener)", trace->host_names[c->host], c->local_port);
  else
    g_string_append_printf (out, "%s#%u", trace->host_names[c->host], c->ordinal);
}

static void
append_text_line (const TlTrace *trace,
                  guint          index,
                  GString       *out)
{
  const TlRecord *r = &g_array_index (trace->records, TlRecord, index);
  gint64 t = r->time_us;
  char flags[24];
  const char *locale;
  const char *text;
  guint32 rel_seq, rel_ack;
  const TlTraceSegment *sh;
  guint32 peer;

  g_string_append_printf (out, "%6" G_GINT64_FORMAT ".%03dms  ",
                          t / 1000, (int) ABS (t % 1000));

  switch ((TlRecordKind) r->kind)
    {
    case TL_REC_SEGMENT:
    case TL_REC_ARRIVE:
      sh = tl_trace_segment (trace, r->u.seg.id);
      peer = tl_trace_segment_peer (trace, r->u.seg.id);
      if (spoofed_source (r, peer))
        append_addr (out, trace, peer);
      else
        g_string_append (out, NAME (trace->host_names, r->host));
      g_string_append (out, " -> ");
      if (peer != 0 && !spoofed_source (r, peer))
        append_addr (out, trace, peer);
      else
        g_string_append (out, NAME (trace->host_names, 1 - r->host));
      g_string_append_printf (out, "  %s  ", tl_flags_to_string (r->u.seg.flags, flags));
      if (!tl_trace_relative_numbers (trace, r, &rel_seq, &rel_ack))
        {
          rel_seq = r->u.seg.seq;
          rel_ack = sh->ack;
        }
      g_string_append_printf (out, "seq=%u", rel_seq);
      if (r->u.seg.flags & TL_FLAG_ACK)
        g_string_append_printf (out, " ack=%u", rel_ack);
      g_string_append_printf (out, " win=%u len=%u", tl_trace_segment_window (trace, r), r->u.seg.len);
      if (sh->mss != 0)
        g_string_append_printf (out, " mss=%u", sh->mss);
      if (r->kind == TL_REC_SEGMENT)
        append_options_text (trace, r, sh->ack - rel_ack, out);
      if (r->kind == TL_REC_SEGMENT)
        g_string_append_printf (out, "  %s", NAME (fate_texts, r->u.seg.fate));
      else if (r->u.seg.fate == TL_FATE_LOST_HOST_DOWN)
        g_string_append (out, "  arrives: receiver down");
      else
        g_string_append (out, "  arrives");
      break;

    case TL_REC_STATE:
      append_conn_label (trace, r, out);
      g_string_append_printf (out, "  %s -> %s  (%s)", state_name (r->u.state.from),
                              state_name (r->u.state.to), NAME (cause_texts, r->u.state.cause));
      if (r->u.state.flags & TL_STATE_FLAG_JOINED)
        g_string_append (out, "  joined");
      if (r->u.state.flags & TL_STATE_FLAG_INFERRED)
        g_string_append (out, "  inferred");
      break;

    case TL_REC_TIMER:
      append_conn_label (trace, r, out);
      g_string_append_printf (out, "  timer %s %s", NAME (timer_names, r->u.timer.timer),
                              NAME (action_names, r->u.timer.action));
      if (r->u.timer.action == TL_TIMER_ARMED)
        {
          g_autofree char *in = tl_duration_to_string (r->u.timer.deadline_us - t);

          g_string_append_printf (out, ", fires in %s", in);
        }
      if (r->u.timer.attempt != 0)
        g_string_append_printf (out, " (attempt %u)", r->u.timer.attempt);
      break;

    case TL_REC_APP:
      append_conn_label (trace, r, out);
      g_string_append_printf (out, "  %s", NAME (call_names, r->u.app.call));
      if (r->u.app.value != 0)
        g_string_append_printf (out, " %" G_GUINT64_FORMAT, r->u.app.value);
      if (r->u.app.error != TL_ERR_NONE)
        g_string_append_printf (out, " -> %s", error_name (r->u.app.error));
      break;

    case TL_REC_HOST:
      g_string_append_printf (out, "%s  %s", NAME (trace->host_names, r->host),
                              NAME (call_names, r->u.app.call));
      break;

    case TL_REC_LINK:
      g_string_append (out, "link ");
      if (r->u.link.dir == 0 || r->u.link.dir == 1)
        g_string_append_printf (out, "%s->%s ", trace->host_names[r->u.link.dir],
                                trace->host_names[1 - r->u.link.dir]);
      g_string_append_printf (out, "%s %" G_GINT64_FORMAT,
                              NAME (link_param_names, r->u.link.param), r->u.link.value);
      break;

    case TL_REC_QUEUES:
      append_conn_label (trace, r, out);
      g_string_append_printf (out, "  Send-Q %u Recv-Q %u", r->u.queues.send_q, r->u.queues.recv_q);
      break;

    case TL_REC_CWND:
      /* as `ss -i` says it (segments), or in bytes (the rfc profile) */
      append_conn_label (trace, r, out);
      g_string_append_printf (out, "  cwnd %u%s ssthresh ", r->u.cwnd.cwnd, r->u.cwnd.bytes ? " bytes" : "");
      if (tl_cwnd_ssthresh_set (r))
        g_string_append_printf (out, "%u%s", r->u.cwnd.ssthresh, r->u.cwnd.bytes ? " bytes" : "");
      else
        g_string_append (out, "-");
      break;

    case TL_REC_SAY:
    case TL_REC_PAUSE:
      text = tl_trace_text (trace, r->u.text.text, &locale);
      g_string_append (out, r->kind == TL_REC_SAY ? "say" : "pause");
      if (locale != NULL)
        g_string_append_printf (out, ".%s", locale);
      if (text != NULL)
        g_string_append_printf (out, " \"%s\"", text);
      break;

    case TL_REC_END:
      g_string_append_printf (out, "end (%s)", NAME (end_names, r->u.end.reason));
      break;
    }
}

char *
tl_trace_record_to_text (const TlTrace *trace,
                         guint          index)
{
  GString *out;

  g_return_val_if_fail (trace != NULL, NULL);
  g_return_val_if_fail (index < trace->records->len, NULL);

  out = g_string_new (NULL);
  append_text_line (trace, index, out);
  return g_string_free (out, FALSE);
}

static void
append_text_record (const TlTrace *trace,
                    guint          index,
                    GString       *out)
{
  append_text_line (trace, index, out);
  g_string_append_c (out, '\n');
}

/* The writers' one loop: lines into a buffer handed to sink whenever it
 * holds STREAM_CHUNK bytes, so that a trace of 10^7 records is written in
 * memory bounded by the chunk, not by the trace (the whole text was built
 * first: 8.6 GB for a flood's JSON). */
#define STREAM_CHUNK (64 * 1024)

static gboolean
stream (const TlTrace  *trace,
        void          (*append) (const TlTrace *, guint, GString *),
        TlTraceSink     sink,
        gpointer        user_data)
{
  GString *buf = g_string_sized_new (STREAM_CHUNK + 1024);
  gboolean ok = TRUE;

  for (guint i = 0; ok && i < trace->records->len; i++)
    {
      append (trace, i, buf);
      if (buf->len >= STREAM_CHUNK || i + 1 == trace->records->len)
        {
          ok = sink (buf->str, buf->len, user_data);
          g_string_truncate (buf, 0);
        }
    }
  g_string_free (buf, TRUE);
  return ok;
}

static gboolean
append_to_string (const char *data,
                  gsize       len,
                  gpointer    user_data)
{
  g_string_append_len (user_data, data, len);
  return TRUE;
}

gboolean
tl_trace_stream_text (const TlTrace *trace,
                      TlTraceSink    sink,
                      gpointer       user_data)
{
  g_return_val_if_fail (trace != NULL, FALSE);
  g_return_val_if_fail (sink != NULL, FALSE);

  return stream (trace, append_text_record, sink, user_data);
}

void
tl_trace_write_text (const TlTrace *trace,
                     GString       *out)
{
  g_return_if_fail (trace != NULL);
  g_return_if_fail (out != NULL);

  stream (trace, append_text_record, append_to_string, out);
}

/* RFC 8259 section 7: quote, backslash and control characters escaped;
 * everything else (UTF-8 included) passes as it is. */
void
tl_json_append_string (GString    *out,
                       const char *s)
{
  if (s == NULL)
    {
      g_string_append (out, "null");
      return;
    }
  g_string_append_c (out, '"');
  for (; *s != '\0'; s++)
    {
      guchar c = *s;

      switch (c)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, c);
        }
    }
  g_string_append_c (out, '"');
}

static void
append_json_field (GString    *out,
                   const char *name,
                   const char *value)
{
  g_string_append_printf (out, ",\"%s\":", name);
  tl_json_append_string (out, value);
}

/* ,"name":"10.0.0.1" (or an IPv6 one), or ,"name":null for no address. */
static void
append_json_addr (GString       *out,
                  const TlTrace *trace,
                  const char    *name,
                  guint32        addr)
{
  g_string_append_printf (out, ",\"%s\":", name);
  if (addr == 0)
    {
      g_string_append (out, "null");
      return;
    }
  g_string_append_c (out, '"');
  append_addr (out, trace, addr);
  g_string_append_c (out, '"');
}

static void
append_json_line (const TlTrace *trace,
                  guint          index,
                  GString       *out)
{
  const TlRecord *r = &g_array_index (trace->records, TlRecord, index);
  char flags[24];
  const char *locale;
  const char *text;
  guint32 rel_seq, rel_ack;
  const TlTraceSegment *sh;

  g_string_append_printf (out, "{\"t_us\":%" G_GINT64_FORMAT, r->time_us);
  append_json_field (out, "kind", NAME (kind_names, r->kind));
  g_string_append_printf (out, ",\"host\":%u", r->host);
  if (r->conn == TL_NO_CONN)
    g_string_append (out, ",\"conn\":null");
  else
    g_string_append_printf (out, ",\"conn\":%u", r->conn);
  if (r->conn < trace->conns->len)
    {
      const TlTraceConn *c = &g_array_index (trace->conns, TlTraceConn, r->conn);

      append_json_addr (out, trace, "local_addr", c->local_addr);
      append_json_addr (out, trace, "remote_addr", c->remote_addr);
    }
  g_string_append_printf (out, ",\"stmt\":%u", r->stmt);

  switch ((TlRecordKind) r->kind)
    {
    case TL_REC_SEGMENT:
    case TL_REC_ARRIVE:
      sh = tl_trace_segment (trace, r->u.seg.id);
      g_string_append_printf (out, ",\"id\":%u,\"seq\":%u,\"ack\":%u",
                              r->u.seg.id, r->u.seg.seq, sh->ack);
      if (tl_trace_relative_numbers (trace, r, &rel_seq, &rel_ack))
        {
          /* Without the ACK flag the ack field means nothing (RFC 9293
           * section 3.1): no relative number is made of it. */
          g_string_append_printf (out, ",\"rel_seq\":%u", rel_seq);
          if (r->u.seg.flags & TL_FLAG_ACK)
            g_string_append_printf (out, ",\"rel_ack\":%u", rel_ack);
        }
      append_json_field (out, "flags", tl_flags_to_string (r->u.seg.flags, flags));
      g_string_append_printf (out, ",\"len\":%u,\"win\":%u,\"window\":%u,\"mss\":%u,\"src_port\":%u,"
                              "\"dst_port\":%u,\"delay_us\":%u",
                              r->u.seg.len, sh->win, tl_trace_segment_window (trace, r),
                              sh->mss, sh->src_port,
                              sh->dst_port, r->u.seg.delay_us);
      append_json_field (out, "fate", NAME (fate_names, r->u.seg.fate));
      append_json_addr (out, trace, "peer_addr", tl_trace_segment_peer (trace, r->u.seg.id));
      if (r->kind == TL_REC_SEGMENT)
        append_options_json (trace, r, out);
      break;

    case TL_REC_STATE:
      append_json_field (out, "from", state_name (r->u.state.from));
      append_json_field (out, "to", state_name (r->u.state.to));
      append_json_field (out, "cause", NAME (cause_names, r->u.state.cause));
      if (r->u.state.flags & TL_STATE_FLAG_JOINED)
        g_string_append (out, ",\"joined\":true");
      if (r->u.state.flags & TL_STATE_FLAG_INFERRED)
        g_string_append (out, ",\"inferred\":true");
      break;

    case TL_REC_TIMER:
      append_json_field (out, "timer", NAME (timer_names, r->u.timer.timer));
      append_json_field (out, "action", NAME (action_names, r->u.timer.action));
      g_string_append_printf (out, ",\"attempt\":%u,\"deadline_us\":%" G_GINT64_FORMAT,
                              r->u.timer.attempt, r->u.timer.deadline_us);
      break;

    case TL_REC_APP:
    case TL_REC_HOST:
      append_json_field (out, "call", NAME (call_names, r->u.app.call));
      g_string_append_printf (out, ",\"value\":%" G_GUINT64_FORMAT, r->u.app.value);
      append_json_field (out, "error", error_name (r->u.app.error));
      break;

    case TL_REC_LINK:
      if (r->u.link.dir == 0 || r->u.link.dir == 1)
        g_string_append_printf (out, ",\"dir\":%d", r->u.link.dir);
      else
        g_string_append (out, ",\"dir\":\"both\"");
      append_json_field (out, "param", NAME (link_param_names, r->u.link.param));
      g_string_append_printf (out, ",\"value\":%" G_GINT64_FORMAT, r->u.link.value);
      break;

    case TL_REC_QUEUES:
      g_string_append_printf (out, ",\"send_q\":%u,\"recv_q\":%u",
                              r->u.queues.send_q, r->u.queues.recv_q);
      break;

    case TL_REC_CWND:
      g_string_append_printf (out, ",\"cwnd\":%u,\"ssthresh\":", r->u.cwnd.cwnd);
      if (tl_cwnd_ssthresh_set (r))
        g_string_append_printf (out, "%u", r->u.cwnd.ssthresh);
      else
        g_string_append (out, "null");
      g_string_append_printf (out, ",\"unit\":\"%s\"", r->u.cwnd.bytes ? "bytes" : "segments");
      break;

    case TL_REC_SAY:
    case TL_REC_PAUSE:
      text = tl_trace_text (trace, r->u.text.text, &locale);
      append_json_field (out, "text", text);
      append_json_field (out, "locale", locale);
      break;

    case TL_REC_END:
      append_json_field (out, "reason", NAME (end_names, r->u.end.reason));
      break;
    }
  g_string_append (out, "}\n");
}

const char *
tl_record_kind_name (TlRecordKind kind)
{
  return NAME (kind_names, kind);
}

gboolean
tl_record_kind_from_name (const char   *name,
                          TlRecordKind *kind)
{
  int i = tl_name_index (kind_names, G_N_ELEMENTS (kind_names), name);

  if (i < 0)
    return FALSE;
  *kind = i;
  return TRUE;
}

gboolean
tl_trace_stream_json (const TlTrace *trace,
                      TlTraceSink    sink,
                      gpointer       user_data)
{
  g_return_val_if_fail (trace != NULL, FALSE);
  g_return_val_if_fail (sink != NULL, FALSE);

  return stream (trace, append_json_line, sink, user_data);
}

void
tl_trace_write_json (const TlTrace *trace,
                     GString       *out)
{
  g_return_if_fail (trace != NULL);
  g_return_if_fail (out != NULL);

  stream (trace, append_json_line, append_to_string, out);
}
