/* test-trace-collect.c: records made out of order reach the trace in order
 * (core/tl-trace-collect.c, shared by the capture import and the trace of
 * a real run). */
#include "tl-config.h"

#include <check.h>

#include "tl-trace-collect.h"

static const char *const names[2] = { "client", "server" };
static const guint32 addrs[2] = { 0x0a000001, 0x0a000002 };

static guint
add (TlTraceCollector *collector,
     gint64            time_us,
     guint64           key,
     guint32           conn,
     guint8            to)
{
  TlRecord r = { 0 };

  r.kind = TL_REC_STATE;
  r.time_us = time_us;
  r.conn = conn;
  r.u.state.to = to;
  return tl_trace_collector_add (collector, &r, key);
}

/* Sorted by time, then key, then the order added; conns mapped; a time
 * before the one before it (or not_before) comes at that time. */
START_TEST (test_records_come_in_time_key_and_added_order)
{
  g_autoptr(TlTraceCollector) collector = tl_trace_collector_new ();
  TlTrace *trace = tl_trace_new (names, addrs);
  const guint32 map[2] = { 1, 0 };
  TlTraceConn c = { 0 };
  const struct { gint64 time_us; guint32 conn; guint8 to; } want[] = {
    { 10, 1, TL_STATE_SYN_SENT },      /* earliest kept at not_before */
    { 10, 0, TL_STATE_LISTEN },
    { 20, 0, TL_STATE_SYN_RCVD },      /* key 1 before key 2 */
    { 20, 1, TL_STATE_ESTABLISHED },
    { 20, TL_NO_CONN, TL_STATE_CLOSED }, /* same key: as added */
    { 30, 1, TL_STATE_CLOSED },
  };
  guint changed;

  c.parent = TL_NO_CONN;
  tl_trace_add_conn (trace, &c);
  tl_trace_add_conn (trace, &c);
  add (collector, 30, 0, 0, TL_STATE_CLOSED);
  add (collector, 20, 2, 0, TL_STATE_ESTABLISHED);
  add (collector, 20, 2, TL_NO_CONN, TL_STATE_CLOSED);
  add (collector, 20, 1, 1, TL_STATE_SYN_RCVD);
  add (collector, 10, 0, 1, TL_STATE_LISTEN);
  changed = add (collector, 5, 0, 0, TL_STATE_CLOSED);
  /* corrected before the flush */
  tl_trace_collector_get (collector, changed)->u.state.to = TL_STATE_SYN_SENT;
  ck_assert_uint_eq (tl_trace_collector_len (collector), 6);

  ck_assert_int_eq (tl_trace_collector_flush (collector, trace, map, 2, 10), 30);
  ck_assert_uint_eq (tl_trace_collector_len (collector), 0);
  ck_assert_uint_eq (tl_trace_n_records (trace), G_N_ELEMENTS (want));
  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    {
      const TlRecord *r = tl_trace_record (trace, i);

      ck_assert_int_eq (r->time_us, want[i].time_us);
      ck_assert_uint_eq (r->conn, want[i].conn);
      ck_assert_uint_eq (r->u.state.to, want[i].to);
    }
  tl_trace_free (trace);
}
END_TEST

START_TEST (test_an_empty_flush_returns_not_before)
{
  g_autoptr(TlTraceCollector) collector = tl_trace_collector_new ();
  TlTrace *trace = tl_trace_new (names, addrs);

  ck_assert_int_eq (tl_trace_collector_flush (collector, trace, NULL, 0, 7), 7);
  ck_assert_uint_eq (tl_trace_n_records (trace), 0);
  tl_trace_free (trace);
}
END_TEST

Suite *
trace_collect_suite (void)
{
  Suite *s = suite_create ("trace-collect");
  TCase *tc = tcase_create ("collect");

  tcase_add_test (tc, test_records_come_in_time_key_and_added_order);
  tcase_add_test (tc, test_an_empty_flush_returns_not_before);
  suite_add_tcase (s, tc);
  return s;
}
