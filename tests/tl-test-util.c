/* tl-test-util.c: see tl-test-util.h. */
#include "tl-test-util.h"

#include "tl-lesson.h"

static void
fixed_isn (TlScenario *sc,
           guint       host)
{
  sc->settings[host].isn_random = FALSE;
  sc->settings[host].isn = host == TL_CLIENT ? TL_CLIENT_ISN : TL_SERVER_ISN;
}

TlScenario *
tl_test_scenario (void)
{
  TlScenario *sc = tl_scenario_new ();

  for (guint h = 0; h < 2; h++)
    {
      fixed_isn (sc, h);
      sc->link[h].delay_us = TL_MS (20);
    }
  return sc;
}

void
tl_test_rfc_profile (TlScenario *sc, guint host)
{
  tl_settings_init_profile (&sc->settings[host], TL_PROFILE_RFC);
  fixed_isn (sc, host);
}

void
tl_test_open (TlScenario *sc)
{
  tl_test_listen (sc, 0, TL_SERVER, 80);
  tl_test_connect (sc, TL_MS (10), TL_CLIENT, 80, 0);
}

static TlStmt
stmt_at (gint64     t,
         TlStmtKind kind,
         guint      host)
{
  TlStmt s = { 0 };

  s.kind = kind;
  s.time_us = t;
  s.host = host;
  s.conn.host = host;
  return s;
}

void
tl_test_listen (TlScenario *sc, gint64 t, guint host, guint16 port)
{
  TlStmt s = stmt_at (t, TL_STMT_LISTEN, host);

  s.u.listen.port = port;
  tl_scenario_insert (sc, &s);
}

void
tl_test_connect (TlScenario *sc, gint64 t, guint host, guint16 port, guint16 from_port)
{
  TlStmt s = stmt_at (t, TL_STMT_CONNECT, host);

  s.u.connect.peer = 1 - host;
  s.u.connect.port = port;
  s.u.connect.from_port = from_port;
  tl_scenario_insert (sc, &s);
}

void
tl_test_conn (TlScenario *sc, gint64 t, TlStmtKind kind, guint host, guint ordinal, guint64 bytes)
{
  TlStmt s = stmt_at (t, kind, host);

  s.conn.ordinal = ordinal;
  s.u.data.bytes = bytes;
  tl_scenario_insert (sc, &s);
}

void
tl_test_host (TlScenario *sc, gint64 t, TlStmtKind kind, guint host)
{
  TlStmt s = stmt_at (t, kind, host);

  tl_scenario_insert (sc, &s);
}

void
tl_test_next (TlScenario *sc, gint64 t, TlStmtKind kind, int dir, guint8 flags, guint count)
{
  TlStmt s = stmt_at (t, kind, 0);

  s.u.drop.dir = dir;
  s.u.drop.flags = flags;
  s.u.drop.count = count;
  tl_scenario_insert (sc, &s);
}

void
tl_test_drop (TlScenario *sc, gint64 t, int dir, guint8 flags, guint count)
{
  tl_test_next (sc, t, TL_STMT_DROP, dir, flags, count);
}

void
tl_test_wire (TlScenario *sc, gint64 t, TlStmtKind kind, int dir, guint8 flags, gboolean any)
{
  TlStmt s = stmt_at (t, kind, 0);

  s.u.wire.dir = dir;
  s.u.wire.flags = flags;
  s.u.wire.any = any;
  tl_scenario_insert (sc, &s);
}

void
tl_test_link_down (TlScenario *sc, gint64 t, int dir, gboolean down)
{
  TlStmt s = stmt_at (t, TL_STMT_LINK, 0);
  TlLinkSetting ls = { down ? TL_LINK_DOWN : TL_LINK_UP, 0 };

  s.u.link.dir = dir;
  s.u.link.settings = &ls;
  s.u.link.n_settings = 1;
  tl_scenario_insert (sc, &s);
}

void
tl_test_flood (TlScenario *sc, gint64 t, guint target, guint16 port, guint count, guint32 rate)
{
  TlStmt s = stmt_at (t, TL_STMT_FLOOD, 1 - target);

  s.u.flood.target = target;
  s.u.flood.port = port;
  s.u.flood.count = count;
  s.u.flood.rate_per_s = rate;
  s.u.flood.net_addr = (198u << 24) | (51u << 16) | (100u << 8);
  s.u.flood.prefix_len = 24;
  tl_scenario_insert (sc, &s);
}

/* Each list tl_test_segments() made, and its trace (a list's address is
 * taken again only by a new list, which replaces the entry). */
static GHashTable *segs_traces;

GPtrArray *
tl_test_segments (const TlTrace *trace, int host)
{
  GPtrArray *segs = g_ptr_array_new ();
  guint32 max_id = 0;

  /* the trace whose segment table the assertions below read the ack from */
  if (segs_traces == NULL)
    segs_traces = g_hash_table_new (NULL, NULL);
  g_hash_table_insert (segs_traces, segs, (gpointer) trace);

  for (guint i = 0; i < tl_trace_n_records (trace); i++)
    {
      const TlRecord *r = tl_trace_record (trace, i);

      if (r->kind != TL_REC_SEGMENT)
        continue;
      /* a copy (a duplicate, or one `lose` took) repeats an earlier id */
      if (r->u.seg.fate != TL_FATE_DUPLICATE && r->u.seg.id > max_id
          && (host < 0 || r->host == host))
        g_ptr_array_add (segs, (gpointer) r);
      max_id = MAX (max_id, r->u.seg.id);
    }
  return segs;
}

GPtrArray *
tl_test_data_segments (const TlTrace *trace, int host)
{
  GPtrArray *segs = tl_test_segments (trace, host);
  guint kept = 0;

  for (guint i = 0; i < segs->len; i++)
    {
      const TlRecord *r = g_ptr_array_index (segs, i);

      if (r->u.seg.len > 0)
        g_ptr_array_index (segs, kept++) = (gpointer) r;
    }
  g_ptr_array_set_size (segs, kept);
  return segs;
}

char *
tl_test_acks_in (const TlTrace *trace, guint host, gint64 from_ms, gint64 to_ms, TlTestAcks how)
{
  g_autoptr (GPtrArray) segs = tl_test_segments (trace, (int) host);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < segs->len; i++)
    {
      const TlRecord *r = tl_test_seg (segs, i);
      TlSegmentOptions o;

      if (r->u.seg.flags != TL_FLAG_ACK || r->u.seg.len > 0 || r->time_us < TL_MS (from_ms)
          || r->time_us >= TL_MS (to_ms))
        continue;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append_printf (out, "%" G_GINT64_FORMAT, r->time_us / 1000);
      if (how & TL_TEST_ACKS_USEC)
        g_string_append_printf (out, ".%03" G_GINT64_FORMAT, r->time_us % 1000);
      g_string_append_printf (out, ":%u", tl_trace_segment (trace, r->u.seg.id)->win);
      if (!(how & TL_TEST_ACKS_SACK))
        continue;
      ck_assert (tl_trace_segment_options (trace, r, &o));
      for (guint b = 0; b < o.n_sack; b++)
        g_string_append_printf (out, "[%u-%u]", o.sack[b].start - tl_trace_conn (trace, r->conn)->irs,
                                o.sack[b].end - tl_trace_conn (trace, r->conn)->irs);
    }
  return g_string_free (out, FALSE);
}

/* The ack of a segment record of a list from tl_test_segments(). */
guint32
tl_test_seg_ack (GPtrArray *segs, const TlRecord *r)
{
  const TlTrace *trace = segs_traces != NULL ? g_hash_table_lookup (segs_traces, segs) : NULL;

  ck_assert_msg (trace != NULL, "segment list not made by tl_test_segments");
  return tl_trace_segment (trace, r->u.seg.id)->ack;
}

const TlRecord *
tl_test_seg (GPtrArray *segs, guint i)
{
  ck_assert_msg (i < segs->len, "segment %u missing (%u segments)", i, segs->len);
  return g_ptr_array_index (segs, i);
}

void
tl_test_assert_seg_at (const char *file, int line, GPtrArray *segs, guint i,
                       guint host, guint8 flags, guint32 rseq, guint32 rack)
{
  const TlRecord *r;
  guint32 ack;
  guint32 my_isn = host == TL_CLIENT ? TL_CLIENT_ISN : TL_SERVER_ISN;
  guint32 peer_isn = host == TL_CLIENT ? TL_SERVER_ISN : TL_CLIENT_ISN;
  char want[24], got[24];

  ck_assert_msg (i < segs->len, "%s:%d: segment %u missing (%u segments)", file, line, i, segs->len);
  r = g_ptr_array_index (segs, i);
  ack = tl_test_seg_ack (segs, r);
  tl_flags_to_string (flags, want);
  tl_flags_to_string (r->u.seg.flags, got);
  ck_assert_msg (r->host == host && r->u.seg.flags == flags
                 && r->u.seg.seq - my_isn == rseq
                 && ((flags & TL_FLAG_ACK) == 0 || ack - peer_isn == rack),
                 "%s:%d: segment %u: want host %u %s seq %u ack %u, got host %u %s seq %u ack %u",
                 file, line, i, host, want, rseq, rack, r->host, got,
                 r->u.seg.seq - my_isn, ack - peer_isn);
}

TlState
tl_test_state (const TlTrace *trace, guint host, guint ordinal, gint64 t)
{
  guint32 conn = tl_trace_resolve_conn (trace, host, ordinal, t);

  if (conn == TL_NO_CONN)
    return TL_STATE_CLOSED;
  return tl_trace_conn_state_at (trace, conn, t);
}

gint64
tl_test_state_time (const TlTrace *trace, guint host, guint ordinal, TlState to)
{
  guint32 conn = tl_trace_resolve_conn (trace, host, ordinal, G_MAXINT64);

  for (guint i = 0; i < tl_trace_n_records (trace); i++)
    {
      const TlRecord *r = tl_trace_record (trace, i);

      if (r->kind == TL_REC_STATE && r->conn == conn && r->u.state.to == to)
        return r->time_us;
    }
  return -1;
}

TlError
tl_test_error (const TlTrace *trace, guint host, guint ordinal)
{
  guint32 conn = tl_trace_resolve_conn (trace, host, ordinal, G_MAXINT64);

  return tl_trace_conn_error_at (trace, conn, G_MAXINT64);
}

GArray *
tl_test_timer_times (const TlTrace *trace, guint host, TlTimerKind timer, TlTimerAction action)
{
  GArray *times = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < tl_trace_n_records (trace); i++)
    {
      const TlRecord *r = tl_trace_record (trace, i);

      if (r->kind == TL_REC_TIMER && r->host == host && r->u.timer.timer == timer
          && r->u.timer.action == action)
        g_array_append_val (times, r->time_us);
    }
  return times;
}

char *
tl_test_trace_text (const TlTrace *trace)
{
  GString *out = g_string_new (NULL);

  tl_trace_write_text (trace, out);
  return g_string_free (out, FALSE);
}

TlScenario *
tl_test_parse (const char *text)
{
  g_autoptr (GError) error = NULL;
  TlScenario *sc = tl_lesson_parse (text, -1, "test.lesson", NULL, &error);

  ck_assert_msg (sc != NULL, "%s", error != NULL ? error->message : "");
  return sc;
}

TlTrace *
tl_test_simulate_text (const char *text)
{
  g_autoptr (TlScenario) sc = tl_test_parse (text);

  return tl_simulate (sc);
}

TlTrace *
tl_test_simulate_pair (const char *setup, const char *timed)
{
  g_autofree char *text = g_strconcat ("host client 10.0.0.1\nhost server 10.0.0.2\n"
                                       "link delay 50ms\n", setup,
                                       "0ms server listen 80\n"
                                       "100ms client connect server:80\n", timed, NULL);

  return tl_test_simulate_text (text);
}
