/* test-trace.c: the trace's storage, its index ("the world at time t") and its writers. */
#include <check.h>

#include "tl-trace.h"

static const char *const host_names[2] = { "client", "server" };
static const guint32 host_addrs[2] = { 0x0a000001, 0x0a000002 };

static guint32
add_conn (TlTrace *trace,
          guint    host,
          gboolean listener,
          guint32  ordinal,
          gint64   created_us)
{
  TlTraceConn c = { 0 };

  c.host = host;
  c.listener = listener;
  c.ordinal = ordinal;
  c.local_addr = host_addrs[host];
  c.remote_addr = listener ? 0 : host_addrs[1 - host];
  c.local_port = listener ? 80 : 40000 + ordinal;
  c.remote_port = listener ? 0 : 80;
  c.parent = TL_NO_CONN;
  c.created_us = created_us;
  return tl_trace_add_conn (trace, &c);
}

START_TEST (test_append_keeps_records_in_order_and_zeroed)
{
  g_autoptr(TlTrace) trace = tl_trace_new (host_names, host_addrs);
  TlRecord *rec;

  ck_assert_uint_eq (tl_trace_n_records (trace), 0);
  ck_assert_int_eq (tl_trace_end_time (trace), 0);
  for (guint i = 0; i < 100000; i++)
    {
      rec = tl_trace_append (trace, TL_REC_SEGMENT, i / 3);
      ck_assert_uint_eq (rec->u.seg.seq, 0);
      ck_assert_uint_eq (rec->conn, TL_NO_CONN);
      rec->u.seg.seq = i;
    }
  tl_trace_seal (trace);
  ck_assert_uint_eq (tl_trace_n_records (trace), 100000);
  ck_assert_int_eq (tl_trace_end_time (trace), 99999 / 3);
  ck_assert_uint_eq (tl_trace_record (trace, 4242)->u.seg.seq, 4242);
  ck_assert_int_eq (tl_trace_record (trace, 4242)->time_us, 1414);
  ck_assert_int_eq (tl_trace_record (trace, 4242)->kind, TL_REC_SEGMENT);

  ck_assert_uint_eq (tl_trace_records_until (trace, -1), 0);
  ck_assert_uint_eq (tl_trace_records_until (trace, 0), 3);
  ck_assert_uint_eq (tl_trace_records_until (trace, 1414), 1415 * 3);
  ck_assert_uint_eq (tl_trace_records_until (trace, G_MAXINT64), 100000);
}
END_TEST

START_TEST (test_hosts_conns_and_texts_read_back)
{
  g_autoptr(TlTrace) trace = tl_trace_new (host_names, host_addrs);
  const char *locale = "x";
  guint32 c, t0, t1;

  c = add_conn (trace, 0, FALSE, 1, 0);
  ck_assert_uint_eq (c, 0);
  tl_trace_conn_mut (trace, c)->irs = 777;
  t0 = tl_trace_add_text (trace, NULL, "Hello");
  t1 = tl_trace_add_text (trace, "zh_CN", "你好");
  tl_trace_seal (trace);

  ck_assert_str_eq (tl_trace_host_name (trace, 1), "server");
  ck_assert_uint_eq (tl_trace_host_addr (trace, 0), 0x0a000001);
  ck_assert_uint_eq (tl_trace_n_conns (trace), 1);
  ck_assert_uint_eq (tl_trace_conn (trace, c)->irs, 777);
  ck_assert_str_eq (tl_trace_text (trace, t0, &locale), "Hello");
  ck_assert_ptr_null (locale);
  ck_assert_str_eq (tl_trace_text (trace, t1, &locale), "你好");
  ck_assert_str_eq (locale, "zh_CN");
  ck_assert_ptr_null (tl_trace_text (trace, TL_NO_TEXT, &locale));
}
END_TEST

START_TEST (test_resolve_conn_by_ordinal_and_most_recent)
{
  g_autoptr(TlTrace) trace = tl_trace_new (host_names, host_addrs);
  guint32 listener, c1, c2, s1;

  listener = add_conn (trace, 1, TRUE, 0, 0);
  c1 = add_conn (trace, 0, FALSE, 1, 100);
  s1 = add_conn (trace, 1, FALSE, 1, 150);
  c2 = add_conn (trace, 0, FALSE, 2, 5000);
  tl_trace_seal (trace);

  ck_assert_uint_ne (listener, TL_NO_CONN);
  ck_assert_uint_eq (tl_trace_resolve_conn (trace, 0, 0, 99), TL_NO_CONN);
  ck_assert_uint_eq (tl_trace_resolve_conn (trace, 0, 0, 100), c1);
  ck_assert_uint_eq (tl_trace_resolve_conn (trace, 0, 0, 4999), c1);
  ck_assert_uint_eq (tl_trace_resolve_conn (trace, 0, 0, 5000), c2);
  ck_assert_uint_eq (tl_trace_resolve_conn (trace, 0, 1, 9000), c1);
  ck_assert_uint_eq (tl_trace_resolve_conn (trace, 0, 2, 4000), TL_NO_CONN);
  ck_assert_uint_eq (tl_trace_resolve_conn (trace, 0, 3, 9000), TL_NO_CONN);
  /* The listener is not a connection a lesson can name. */
  ck_assert_uint_eq (tl_trace_resolve_conn (trace, 1, 0, 120), TL_NO_CONN);
  ck_assert_uint_eq (tl_trace_resolve_conn (trace, 1, 0, 150), s1);
}
END_TEST

Suite *
trace_suite (void)
{
  Suite *s = suite_create ("trace");
  TCase *tc = tcase_create ("storage");

  tcase_add_test (tc, test_append_keeps_records_in_order_and_zeroed);
  tcase_add_test (tc, test_hosts_conns_and_texts_read_back);
  tcase_add_test (tc, test_resolve_conn_by_ordinal_and_most_recent);
  suite_add_tcase (s, tc);
  return s;
}
