/* test-check.c: each kind of expectation, passing and failing, with the exact message. */
#include <check.h>

#include "tl-check.h"

static const char *const host_names[2] = { "client", "server" };
static const guint32 host_addrs[2] = { 0x0a000001, 0x0a000002 };

/* client#1 connects at 0 and is ESTABLISHED at 110ms, closes at 400ms
 * (FIN_WAIT_1), reaches TIME_WAIT at 500ms; a listener and 3 half-open
 * requests on the server; client#2 times out at 130s. */
static TlTrace *
make_trace (void)
{
  TlTrace *trace = tl_trace_new (host_names, host_addrs);
  TlTraceConn c = { .host = 0, .ordinal = 1, .parent = TL_NO_CONN };
  TlTraceConn l = { .host = 1, .listener = TRUE, .parent = TL_NO_CONN };
  guint32 c1, c2, lis, req[3];
  TlRecord *r;

  lis = tl_trace_add_conn (trace, &l);
  c1 = tl_trace_add_conn (trace, &c);
  r = tl_trace_append (trace, TL_REC_STATE, 0);
  r->conn = lis, r->host = 1, r->u.state.to = TL_STATE_LISTEN;
  r = tl_trace_append (trace, TL_REC_STATE, 0);
  r->conn = c1, r->u.state.to = TL_STATE_SYN_SENT;
  r = tl_trace_append (trace, TL_REC_SEGMENT, 0);
  r->host = 0, r->u.seg.flags = TL_FLAG_SYN;
  for (guint i = 0; i < 3; i++)
    {
      TlTraceConn q = { .host = 1, .ordinal = i + 1, .parent = lis, .created_us = 50000 };

      req[i] = tl_trace_add_conn (trace, &q);
      r = tl_trace_append (trace, TL_REC_STATE, 50000);
      r->conn = req[i], r->host = 1, r->u.state.to = TL_STATE_SYN_RCVD;
    }
  r = tl_trace_append (trace, TL_REC_STATE, 110000);
  r->conn = c1, r->u.state.from = TL_STATE_SYN_SENT, r->u.state.to = TL_STATE_ESTABLISHED;
  r = tl_trace_append (trace, TL_REC_STATE, 400000);
  r->conn = c1, r->u.state.to = TL_STATE_FIN_WAIT_1;
  r = tl_trace_append (trace, TL_REC_SEGMENT, 400000);
  r->host = 0, r->u.seg.flags = TL_FLAG_FIN | TL_FLAG_ACK;
  r = tl_trace_append (trace, TL_REC_SEGMENT, 420000);
  r->host = 0, r->u.seg.flags = TL_FLAG_FIN | TL_FLAG_ACK, r->u.seg.fate = TL_FATE_DUPLICATE;
  r = tl_trace_append (trace, TL_REC_SEGMENT, 450000);
  r->host = 0, r->u.seg.flags = TL_FLAG_FIN | TL_FLAG_ACK, r->u.seg.fate = TL_FATE_LOST_RANDOM;
  r = tl_trace_append (trace, TL_REC_STATE, 500000);
  r->conn = c1, r->u.state.to = TL_STATE_TIME_WAIT;

  c.ordinal = 2;
  c.created_us = 1000000;
  c2 = tl_trace_add_conn (trace, &c);
  r = tl_trace_append (trace, TL_REC_STATE, 1000000);
  r->conn = c2, r->u.state.to = TL_STATE_SYN_SENT;
  r = tl_trace_append (trace, TL_REC_STATE, 130000000);
  r->conn = c2, r->u.state.to = TL_STATE_CLOSED, r->u.state.cause = TL_CAUSE_TIMEOUT;
  r = tl_trace_append (trace, TL_REC_APP, 130000000);
  r->conn = c2, r->u.app.call = TL_CALL_ERROR, r->u.app.error = TL_ERR_ETIMEDOUT;
  tl_trace_seal (trace);
  return trace;
}

static void
add_stmt (TlScenario *scenario, TlStmt *stmt, gint64 t, guint line)
{
  stmt->time_us = t;
  stmt->line = line;
  stmt->column = 1;
  tl_scenario_insert (scenario, stmt);
}

static void
expect_state (TlScenario *scenario, guint line, gint64 t, guint host, guint ordinal, TlState state)
{
  TlStmt stmt = { .kind = TL_STMT_EXPECT_STATE, .host = host, .conn = { host, ordinal } };

  stmt.u.expect_state.state = state;
  add_stmt (scenario, &stmt, t, line);
}

static void
expect_sockets (TlScenario *scenario, guint line, gint64 t, guint host, TlState state,
                TlCmp cmp, guint64 n)
{
  TlStmt stmt = { .kind = TL_STMT_EXPECT_SOCKETS, .host = host };

  stmt.u.expect_sockets.state = state;
  stmt.u.expect_sockets.cmp = cmp;
  stmt.u.expect_sockets.n = n;
  add_stmt (scenario, &stmt, t, line);
}

static void
expect_segments (TlScenario *scenario, guint line, gint64 t, int dir, guint8 flags,
                 gboolean any, TlCmp cmp, guint64 n)
{
  TlStmt stmt = { .kind = TL_STMT_EXPECT_SEGMENTS };

  stmt.u.expect_segments.dir = dir;
  stmt.u.expect_segments.flags = flags;
  stmt.u.expect_segments.any = any;
  stmt.u.expect_segments.cmp = cmp;
  stmt.u.expect_segments.n = n;
  add_stmt (scenario, &stmt, t, line);
}

static void
expect_error (TlScenario *scenario, guint line, gint64 t, guint host, guint ordinal, TlError error)
{
  TlStmt stmt = { .kind = TL_STMT_EXPECT_ERROR, .host = host, .conn = { host, ordinal } };

  stmt.u.expect_error.error = error;
  add_stmt (scenario, &stmt, t, line);
}

/* Runs the checker and returns the failures' messages, one a line. */
static char *
failures (TlScenario *scenario, guint *n_ok)
{
  g_autoptr(TlTrace) trace = make_trace ();
  g_autoptr(GArray) results = NULL;
  GString *out = g_string_new (NULL);

  results = tl_check_expectations (scenario, trace);
  *n_ok = 0;
  for (guint i = 0; i < results->len; i++)
    {
      const TlExpectResult *r = &g_array_index (results, TlExpectResult, i);

      if (r->ok)
        (*n_ok)++;
      else
        {
          g_autofree char *msg = tl_check_format_failure (scenario, r);

          g_string_append_printf (out, "%s\n", msg);
        }
    }
  return g_string_free (out, FALSE);
}

static TlScenario *
new_scenario (void)
{
  TlScenario *scenario = tl_scenario_new ();

  g_free (scenario->filename);
  scenario->filename = g_strdup ("close.lesson");
  return scenario;
}

START_TEST (test_state_expectations)
{
  g_autoptr(TlScenario) scenario = new_scenario ();
  g_autofree char *msgs = NULL;
  guint n_ok;

  expect_state (scenario, 10, 110000, 0, 0, TL_STATE_ESTABLISHED);   /* at the change itself */
  expect_state (scenario, 11, 109999, 0, 1, TL_STATE_SYN_SENT);
  expect_state (scenario, 12, 420000, 0, 0, TL_STATE_TIME_WAIT);
  expect_state (scenario, 13, 600000, 0, 2, TL_STATE_CLOSED);        /* not created yet */
  expect_state (scenario, 14, 2000000, 0, 0, TL_STATE_SYN_SENT);      /* client now means #2 */
  expect_state (scenario, 15, 200000000, 0, 2, TL_STATE_CLOSED);
  expect_state (scenario, 16, 200000000, 0, 2, TL_STATE_SYN_SENT);
  msgs = failures (scenario, &n_ok);
  ck_assert_uint_eq (n_ok, 5);
  ck_assert_str_eq (msgs,
                    "close.lesson:12: expected client TIME_WAIT at 420ms, was FIN_WAIT_1\n"
                    "close.lesson:16: expected client#2 SYN_SENT at 200s, was CLOSED\n");
}
END_TEST

START_TEST (test_sockets_expectations_count_listeners)
{
  g_autoptr(TlScenario) scenario = new_scenario ();
  g_autofree char *msgs = NULL;
  guint n_ok;

  expect_sockets (scenario, 20, 50000, 1, TL_STATE_SYN_RCVD, TL_CMP_EQ, 3);
  expect_sockets (scenario, 21, 50000, 1, TL_STATE_LISTEN, TL_CMP_EQ, 1);
  expect_sockets (scenario, 22, 49999, 1, TL_STATE_SYN_RCVD, TL_CMP_LE, 0);
  expect_sockets (scenario, 23, 2000000, 1, TL_STATE_SYN_RCVD, TL_CMP_GE, 100);
  expect_sockets (scenario, 24, 2000000, 0, TL_STATE_TIME_WAIT, TL_CMP_EQ, 0);
  msgs = failures (scenario, &n_ok);
  ck_assert_uint_eq (n_ok, 3);
  ck_assert_str_eq (msgs,
                    "close.lesson:23: expected server sockets SYN_RCVD >= 100 at 2s, was 3\n"
                    "close.lesson:24: expected client sockets TIME_WAIT = 0 at 2s, was 1\n");
}
END_TEST

START_TEST (test_segments_expectations_skip_duplicates)
{
  g_autoptr(TlScenario) scenario = new_scenario ();
  g_autofree char *msgs = NULL;
  guint n_ok;
  const guint8 fin_ack = TL_FLAG_FIN | TL_FLAG_ACK;

  expect_segments (scenario, 30, 420000, 0, fin_ack, FALSE, TL_CMP_EQ, 1);
  expect_segments (scenario, 31, 450000, 0, fin_ack, FALSE, TL_CMP_EQ, 2);  /* the lost one counts */
  expect_segments (scenario, 32, 2500000, 0, fin_ack, FALSE, TL_CMP_EQ, 1);
  expect_segments (scenario, 33, 2500000, 0, 0, TRUE, TL_CMP_EQ, 3);
  expect_segments (scenario, 34, 2500000, 1, 0, TRUE, TL_CMP_GE, 1);
  msgs = failures (scenario, &n_ok);
  ck_assert_uint_eq (n_ok, 3);
  ck_assert_str_eq (msgs,
                    "close.lesson:32: expected segments client->server FIN,ACK = 1 at 2.5s, was 2\n"
                    "close.lesson:34: expected segments server->client any >= 1 at 2.5s, was 0\n");
}
END_TEST

START_TEST (test_error_expectations)
{
  g_autoptr(TlScenario) scenario = new_scenario ();
  g_autofree char *msgs = NULL;
  guint n_ok;

  expect_error (scenario, 40, 130000000, 0, 0, TL_ERR_ETIMEDOUT);
  expect_error (scenario, 41, 129999999, 0, 2, TL_ERR_NONE);
  expect_error (scenario, 42, 100, 1, 0, TL_ERR_NONE);             /* no such connection */
  expect_error (scenario, 43, 129000000, 0, 0, TL_ERR_ETIMEDOUT);
  expect_error (scenario, 44, 200000000, 0, 1, TL_ERR_ECONNRESET);
  msgs = failures (scenario, &n_ok);
  ck_assert_uint_eq (n_ok, 3);
  ck_assert_str_eq (msgs,
                    "close.lesson:43: expected client error ETIMEDOUT at 129s, was none\n"
                    "close.lesson:44: expected client#1 error ECONNRESET at 200s, was none\n");
}
END_TEST

Suite *
check_suite (void)
{
  Suite *s = suite_create ("check");
  TCase *tc = tcase_create ("expectations");

  tcase_add_test (tc, test_state_expectations);
  tcase_add_test (tc, test_sockets_expectations_count_listeners);
  tcase_add_test (tc, test_segments_expectations_skip_duplicates);
  tcase_add_test (tc, test_error_expectations);
  suite_add_tcase (s, tc);
  return s;
}
