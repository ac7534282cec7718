/* test-budget.c: the one resource budget of a lesson (tl-budget.h): a lesson
 * that cannot fit is refused at the statement that goes over; a run that
 * reaches a limit stops, says so at the last statement it started, and its
 * later expectations are not compared.  And the tables of a host: ephemeral
 * ports and listeners stay correct in the thousands. */
#include <check.h>
#include <string.h>

#include "tl-budget.h"
#include "tl-check.h"
#include "tl-lesson.h"
#include "tl-sim.h"
#include "tl-test-util.h"

#define HOSTS "host client 10.0.0.1\nhost server 10.0.0.2\n"

static char *
parse_error (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlScenario) sc = tl_lesson_parse (text, -1, "t.lesson", NULL, &error);

  ck_assert_ptr_null (sc);
  ck_assert (g_error_matches (error, TL_LESSON_ERROR, TL_LESSON_ERROR_LIMIT));
  return g_strdup (error->message);
}

START_TEST (test_charge_names_first_limit)
{
  TlBudget limits = { .statements = 10, .events = 100, .records = 50, .bytes = 1 << 20 };
  TlBudget spent = { 0 };
  TlBudget cost = { .statements = 1, .events = 40, .records = 40, .bytes = 10 };

  ck_assert_int_eq (tl_budget_charge (&spent, &cost, &limits), TL_LIMIT_NONE);
  ck_assert_int_eq (tl_budget_charge (&spent, &cost, &limits), TL_LIMIT_RECORDS);
  ck_assert_uint_eq (spent.records, 80);
  ck_assert_uint_eq (tl_budget_get (&limits, TL_LIMIT_RECORDS), 50);
}
END_TEST

/* The audit's four-line lesson: ten million SYNs at 10M/s took 18.8 s and
 * 1.6 GB to check.  Now it is refused before anything runs, at the flood. */
START_TEST (test_giant_flood_refused_at_the_statement)
{
  g_autofree char *message = parse_error (HOSTS "0ms server listen 80\n"
                                          "0ms flood server:80 count 10000000 rate 10000000/s\n");

  ck_assert_str_eq (message, "t.lesson:4:1: error: with this statement the lesson makes at "
                    "least 10000001 trace records, more than the limit of 10000000 (see "
                    "'Limits' in lessons/README.md)");
}
END_TEST

/* 100 floods, each within the flood limit: the second one goes over. */
START_TEST (test_many_floods_refused_at_the_one_over)
{
  GString *text = g_string_new (HOSTS "0ms server listen 80\n");
  g_autofree char *message = NULL;

  for (guint i = 0; i < 100; i++)
    g_string_append (text, "+1ms flood server:80 count 6000000 rate 1000000/s\n");
  message = parse_error (text->str);
  g_string_free (text, TRUE);
  ck_assert (g_str_has_prefix (message, "t.lesson:5:1: error: with this statement the lesson "
                               "makes at least 12000001 trace records"));
}
END_TEST

/* A count past 64 bits named the uint64 range; the flood's limit is 10^7. */
START_TEST (test_huge_flood_count_names_the_real_limit)
{
  g_autofree char *message = parse_error (HOSTS "0ms flood server:80 count "
                                          "99999999999999999999999 rate 1/s\n");

  ck_assert_str_eq (message, "t.lesson:3:27: error: a flood of 99999999999999999999999 SYNs is "
                    "more than the limit of 10000000");
}
END_TEST

static TlScenario *
flood_scenario (guint count)
{
  TlScenario *sc = tl_test_scenario ();

  tl_test_listen (sc, 0, TL_SERVER, 80);
  tl_test_flood (sc, TL_MS (1), TL_SERVER, 80, count, 100000);
  /* an expectation long after the flood, and one before it */
  {
    TlStmt st = { .kind = TL_STMT_EXPECT_STATE, .time_us = TL_S (50 * 60), .line = 9,
                  .column = 1, .host = TL_SERVER };

    st.u.expect_state.state = TL_STATE_CLOSED;
    tl_scenario_insert (sc, &st);
    st.time_us = 0;
    st.line = 8;
    st.u.expect_state.state = TL_STATE_LISTEN;
    tl_scenario_insert (sc, &st);
  }
  return sc;
}

static TlTrace *
run_with (const TlScenario *sc,
          const TlBudget   *limits)
{
  g_autoptr(TlSim) sim = tl_sim_new (sc);

  tl_sim_set_limits (sim, limits);
  return tl_sim_steal_trace (sim);
}

static guint
find_stmt (const TlScenario *sc,
           TlStmtKind        kind)
{
  for (guint i = 0; i < sc->stmts->len; i++)
    if (g_array_index (sc->stmts, TlStmt, i).kind == kind)
      return i;
  ck_abort_msg ("no such statement");
  return 0;
}

/* Records: the run stops within a few records of the limit, names the
 * flood, and the expectation at 50 min is not compared (the audit's run
 * said "ok" on a simulation that had stopped at 1 s). */
START_TEST (test_record_limit_stops_and_says_where)
{
  g_autoptr(TlScenario) sc = flood_scenario (100000);
  TlBudget limits;
  g_autoptr(TlTrace) trace = NULL;
  g_autofree char *cut = NULL;
  gint stmt;
  guint flood = find_stmt (sc, TL_STMT_FLOOD);
  guint late = sc->stmts->len - 1;

  g_array_index (sc->stmts, TlStmt, flood).line = 4;
  g_array_index (sc->stmts, TlStmt, flood).column = 5;
  sc->filename = g_strdup ("f.lesson");
  tl_budget_init_limits (&limits);
  limits.records = 1000;
  trace = run_with (sc, &limits);
  ck_assert_int_eq (tl_trace_end_reason (trace, &stmt), TL_END_RECORD_LIMIT);
  ck_assert_int_eq (stmt, (gint) flood);
  ck_assert_uint_ge (tl_trace_n_records (trace), 1000);
  ck_assert_uint_le (tl_trace_n_records (trace), 1010);
  cut = tl_check_format_cut (sc, trace);
  ck_assert_ptr_nonnull (cut);
  ck_assert_msg (g_str_has_prefix (cut, "f.lesson:4:5: error: the run was stopped at the limit "
                                   "of 1000 trace records, at "), "%s", cut);
  ck_assert (!tl_check_is_checkable (sc, trace, late));
  ck_assert_int_eq (g_array_index (sc->stmts, TlStmt, late).time_us, TL_S (3000));
  ck_assert (tl_check_is_checkable (sc, trace, find_stmt (sc, TL_STMT_EXPECT_STATE)));
}
END_TEST

START_TEST (test_memory_and_event_limits_stop)
{
  g_autoptr(TlScenario) sc = flood_scenario (100000);
  TlBudget limits;
  g_autoptr(TlTrace) t_mem = NULL;
  g_autoptr(TlTrace) t_ev = NULL;
  g_autoptr(TlTrace) t_full = NULL;
  g_autofree char *cut = NULL;

  tl_budget_init_limits (&limits);
  limits.bytes = 1 << 20;
  t_mem = run_with (sc, &limits);
  ck_assert_int_eq (tl_trace_end_reason (t_mem, NULL), TL_END_MEMORY_LIMIT);
  ck_assert_uint_le (tl_trace_memory_bytes (t_mem), (1 << 20) + 4096);
  cut = tl_check_format_cut (sc, t_mem);
  ck_assert_msg (strstr (cut, "the limit of 1 MiB of memory") != NULL, "%s", cut);

  tl_budget_init_limits (&limits);
  limits.events = 500;
  t_ev = run_with (sc, &limits);
  ck_assert_int_eq (tl_trace_end_reason (t_ev, NULL), TL_END_EVENT_LIMIT);

  /* within the default budget the same flood ends by itself: nothing to say */
  t_full = tl_simulate (sc);
  ck_assert (!TL_END_REASON_IS_CUT (tl_trace_end_reason (t_full, NULL)));
  ck_assert_ptr_null (tl_check_format_cut (sc, t_full));
}
END_TEST

/* The JSON trace names the reason. */
START_TEST (test_json_end_reason)
{
  g_autoptr(TlScenario) sc = flood_scenario (1000);
  TlBudget limits;
  g_autoptr(TlTrace) trace = NULL;
  GString *out = g_string_new (NULL);

  tl_budget_init_limits (&limits);
  limits.records = 100;
  trace = run_with (sc, &limits);
  tl_trace_write_json (trace, out);
  ck_assert_msg (strstr (out->str, "\"reason\":\"record_limit\"") != NULL, "%s",
                 out->str + MAX (out->len, 200) - 200);
  g_string_free (out, TRUE);
}
END_TEST

/* Every ephemeral port to server:80 taken (28,232 of Linux's range), the
 * next connect() gets none: no socket, no SYN.  (Each failing connect used
 * to scan the whole range: 99,990 connects took 25 s.) */
START_TEST (test_ephemeral_ports_run_out)
{
  g_autoptr(TlScenario) sc = tl_test_scenario ();
  g_autoptr(TlTrace) trace = NULL;
  guint n_conns = 0, n_failed = 0, n_syn = 0;
  const guint range = 61000 - 32768;

  /* nobody listens, and the link drops every SYN: each stays in SYN_SENT */
  tl_test_link_down (sc, 0, TL_DIR_BOTH, TRUE);
  for (guint i = 0; i < range + 10; i++)
    tl_test_connect (sc, TL_MS (1), TL_CLIENT, 80, 0);
  trace = tl_simulate (sc);
  for (guint i = 0; i < tl_trace_n_records (trace); i++)
    {
      const TlRecord *r = tl_trace_record (trace, i);

      if (r->kind == TL_REC_APP && r->u.app.call == TL_CALL_CONNECT && r->time_us == TL_MS (1))
        {
          if (r->conn == TL_NO_CONN)
            n_failed++;
          else
            n_conns++;
        }
      if (r->kind == TL_REC_SEGMENT && r->time_us == TL_MS (1))
        n_syn++;
    }
  ck_assert_uint_eq (n_conns, range);
  ck_assert_uint_eq (n_failed, 10);
  ck_assert_uint_eq (n_syn, range);
  /* all distinct ports */
  {
    g_autoptr(GHashTable) ports = g_hash_table_new (NULL, NULL);

    for (guint c = 0; c < tl_trace_n_conns (trace); c++)
      {
        const TlTraceConn *tc = tl_trace_conn (trace, c);

        ck_assert_uint_ge (tc->local_port, 32768);
        ck_assert_uint_lt (tc->local_port, 61000);
        g_hash_table_add (ports, GUINT_TO_POINTER (tc->local_port));
      }
    ck_assert_uint_eq (g_hash_table_size (ports), range);
  }
}
END_TEST

/* 5,000 listeners: each port answers its own SYN, closing one leaves the
 * others, a second listen on a port is a no-op. */
START_TEST (test_many_listeners)
{
  g_autoptr(TlScenario) sc = tl_test_scenario ();
  g_autoptr(TlTrace) trace = NULL;
  TlStmt st = { .kind = TL_STMT_UNLISTEN, .time_us = TL_MS (5), .host = TL_SERVER };

  for (guint p = 1000; p < 6000; p++)
    tl_test_listen (sc, 0, TL_SERVER, (guint16) p);
  /* a second listen on a port that has one is a no-op */
  tl_test_listen (sc, TL_MS (1), TL_SERVER, 4000);
  st.u.listen.port = 3000;
  tl_scenario_insert (sc, &st);
  tl_test_connect (sc, TL_MS (10), TL_CLIENT, 2999, 0);
  tl_test_connect (sc, TL_MS (10), TL_CLIENT, 3000, 0);
  tl_test_connect (sc, TL_MS (10), TL_CLIENT, 5999, 0);
  trace = tl_simulate (sc);
  ck_assert_int_eq (tl_test_state (trace, TL_CLIENT, 1, TL_S (1)), TL_STATE_ESTABLISHED);
  ck_assert_int_eq (tl_test_state (trace, TL_CLIENT, 2, TL_S (1)), TL_STATE_CLOSED);
  ck_assert_int_eq (tl_test_error (trace, TL_CLIENT, 2), TL_ERR_ECONNREFUSED);
  ck_assert_int_eq (tl_test_state (trace, TL_CLIENT, 3, TL_S (1)), TL_STATE_ESTABLISHED);
  {
    TlWorld world;

    tl_world_init (&world);
    tl_trace_world_at (trace, TL_S (1), &world);
    ck_assert_uint_eq (world.counts[TL_SERVER][TL_STATE_LISTEN], 4999);
    tl_world_clear (&world);
  }
}
END_TEST

/* What the socket tables looked at over a run of sc, or the first count
 * past bound (the run stops there: a quadratic path would take minutes). */
static guint64
probes_of (const TlScenario *sc,
           guint64           bound)
{
  g_autoptr(TlSim) sim = tl_sim_new (sc);

  while (tl_sim_n_probes (sim) <= bound && tl_sim_step (sim))
    ;
  return tl_sim_n_probes (sim);
}

/* The socket tables' work grows with the lesson, not with its square: the
 * audit's 99,990 connects to one port (the ephemeral ports run out after
 * 28,232; each connect after that scanned the whole range: 25 s) and 65,535
 * listeners (each listen looked for its port in a list: 30 s).  A clock would
 * make a flaky test, so the tables count the listeners and ports they look
 * at (tl_sim_n_probes): ten a statement at most (the connects take five,
 * filling the range from random ports); without c47ca1d's tables, some 10^9. */
START_TEST (test_socket_tables_do_linear_work)
{
  g_autoptr(TlScenario) connects = tl_test_scenario ();
  g_autoptr(TlScenario) listeners = tl_test_scenario ();
  guint64 n;

  tl_test_link_down (connects, 0, TL_DIR_BOTH, TRUE);
  tl_test_listen (connects, 0, TL_SERVER, 80);
  for (guint i = 0; i < 99990; i++)
    tl_test_connect (connects, TL_MS (1), TL_CLIENT, 80, 0);
  n = probes_of (connects, 10 * 99990);
  ck_assert_msg (n <= 10 * 99990, "99,990 connects looked at %" G_GUINT64_FORMAT " ports", n);

  for (guint port = 1; port <= 65535; port++)
    tl_test_listen (listeners, 0, TL_SERVER, (guint16) port);
  n = probes_of (listeners, 10 * 65535);
  ck_assert_msg (n <= 10 * 65535, "65,535 listens looked at %" G_GUINT64_FORMAT " listeners", n);
}
END_TEST

/* A lesson may have 100,000 statements; the trace's stmt stopped at 65535,
 * so the JSON named the wrong line for every statement after it. */
START_TEST (test_stmt_beyond_65535)
{
  GString *text = g_string_new (HOSTS);
  g_autoptr(TlScenario) sc = NULL;
  g_autoptr(TlTrace) trace = NULL;
  g_autoptr(GError) error = NULL;
  GString *json = g_string_new (NULL);
  const TlRecord *last_say = NULL;

  for (guint i = 0; i < 70000; i++)
    g_string_append (text, "+0ms say \"x\"\n");
  sc = tl_lesson_parse (text->str, -1, "t.lesson", NULL, &error);
  g_string_free (text, TRUE);
  ck_assert_msg (sc != NULL, "%s", error ? error->message : "");
  trace = tl_simulate (sc);
  for (guint i = 0; i < tl_trace_n_records (trace); i++)
    if (tl_trace_record (trace, i)->kind == TL_REC_SAY)
      last_say = tl_trace_record (trace, i);
  ck_assert_ptr_nonnull (last_say);
  ck_assert_uint_eq (last_say->stmt, 70000);
  tl_trace_write_json (trace, json);
  ck_assert_msg (strstr (json->str, "\"kind\":\"say\",\"host\":0,\"conn\":null,\"stmt\":70000")
                 != NULL, "%s", json->str + json->len - 300);
  g_string_free (json, TRUE);
}
END_TEST

Suite *
budget_suite (void)
{
  Suite *suite = suite_create ("budget");
  TCase *tc = tcase_create ("core");

  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_charge_names_first_limit);
  tcase_add_test (tc, test_giant_flood_refused_at_the_statement);
  tcase_add_test (tc, test_many_floods_refused_at_the_one_over);
  tcase_add_test (tc, test_huge_flood_count_names_the_real_limit);
  tcase_add_test (tc, test_record_limit_stops_and_says_where);
  tcase_add_test (tc, test_memory_and_event_limits_stop);
  tcase_add_test (tc, test_json_end_reason);
  tcase_add_test (tc, test_ephemeral_ports_run_out);
  tcase_add_test (tc, test_many_listeners);
  tcase_add_test (tc, test_socket_tables_do_linear_work);
  tcase_add_test (tc, test_stmt_beyond_65535);
  suite_add_tcase (suite, tc);
  return suite;
}
