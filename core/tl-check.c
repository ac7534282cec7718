/* tl-check.c: a lesson's `expect` lines, evaluated on the trace of its run.
 *
 * Each expectation is evaluated at its time after everything that happened
 * at that time (the trace's readers count the records with time <= t).
 */
#include "tl-check.h"

static const char *const cmp_names[] = {
  [TL_CMP_EQ] = "=",
  [TL_CMP_GE] = ">=",
  [TL_CMP_LE] = "<=",
};

static void
clear_result (gpointer data)
{
  TlExpectResult *result = data;

  g_free (result->expected);
  g_free (result->actual);
}

static char *
conn_name (const TlScenario *scenario,
           const TlConnRef  *ref)
{
  const char *host = scenario->hosts[ref->host < 2 ? ref->host : 0].name;

  if (ref->ordinal == 0)
    return g_strdup (host);
  return g_strdup_printf ("%s#%u", host, ref->ordinal);
}

static gboolean
compare (TlCmp   cmp,
         guint64 actual,
         guint64 n)
{
  switch (cmp)
    {
    case TL_CMP_EQ:
      return actual == n;
    case TL_CMP_GE:
      return actual >= n;
    case TL_CMP_LE:
      return actual <= n;
    }
  return FALSE;
}

/* The error of a call of host's application that failed before making a
 * connection (connect(): EADDRNOTAVAIL, EADDRINUSE), at or before time_us and not
 * before since_us, or TL_ERR_NONE.  A scan of the records: only `expect
 * HOST error` lines ask, and a lesson has few. */
static TlError
host_error_without_conn (const TlTrace *trace,
                         guint          host,
                         gint64         since_us,
                         gint64         time_us)
{
  guint n = tl_trace_records_until (trace, time_us);

  for (guint i = n; i-- > 0;)
    {
      const TlRecord *r = tl_trace_record (trace, i);

      if (r->time_us < since_us)
        break;
      if (r->kind == TL_REC_APP && r->host == host && r->conn == TL_NO_CONN
          && r->u.app.error != TL_ERR_NONE)
        return r->u.app.error;
    }
  return TL_ERR_NONE;
}

/* expect CONN STATE and expect CONN error ERROR.  A connection that does not
 * exist (yet, or any more) is CLOSED, with no error. */
static void
evaluate_conn (const TlScenario *scenario,
               const TlTrace    *trace,
               const TlStmt     *stmt,
               TlExpectResult   *result)
{
  g_autofree char *name = conn_name (scenario, &stmt->conn);
  guint32 conn = stmt->conn.host < 2
                 ? tl_trace_resolve_conn (trace, stmt->conn.host, stmt->conn.ordinal, stmt->time_us)
                 : TL_NO_CONN;
  const char *what = "";
  const char *expected;
  const char *actual;

  if (stmt->kind == TL_STMT_EXPECT_STATE)
    {
      TlState state = conn == TL_NO_CONN ? TL_STATE_CLOSED
                                         : tl_trace_conn_state_at (trace, conn, stmt->time_us);

      result->ok = state == stmt->u.expect_state.state;
      expected = tl_state_name (stmt->u.expect_state.state);
      actual = tl_state_name (state);
    }
  else
    {
      TlError error = conn == TL_NO_CONN ? TL_ERR_NONE
                                         : tl_trace_conn_error_at (trace, conn, stmt->time_us);

      /* HOST without #N: a connect() that failed since the host's most
       * recent connection appeared is what the application saw last. */
      if (stmt->conn.ordinal == 0 && stmt->conn.host < 2)
        {
          gint64 since = conn == TL_NO_CONN ? 0 : tl_trace_conn (trace, conn)->created_us;
          TlError failed = host_error_without_conn (trace, stmt->conn.host, since, stmt->time_us);

          if (failed != TL_ERR_NONE)
            error = failed;
        }

      result->ok = error == stmt->u.expect_error.error;
      what = " error";
      expected = tl_error_name (stmt->u.expect_error.error);
      actual = tl_error_name (error);
    }
  result->expected = g_strdup_printf ("%s%s %s", name, what, expected);
  result->actual = g_strdup (actual);
}

/* Fills result for an expect statement. */
static void
evaluate (const TlScenario *scenario,
          const TlTrace    *trace,
          const TlStmt     *stmt,
          TlExpectResult   *result)
{
  char flags[24];
  guint64 count;
  TlWorld world;
  int dir;

  if (stmt->kind == TL_STMT_EXPECT_SOCKETS)
    {
      /* The world's counts include listeners, in LISTEN; CLOSED ones are gone. */
      tl_world_init (&world);
      tl_trace_world_at (trace, stmt->time_us, &world);
      count = stmt->host < 2 ? world.counts[stmt->host][stmt->u.expect_sockets.state] : 0;
      tl_world_clear (&world);
      result->ok = compare (stmt->u.expect_sockets.cmp, count, stmt->u.expect_sockets.n);
      result->expected = g_strdup_printf ("%s sockets %s %s %" G_GUINT64_FORMAT,
                                          scenario->hosts[stmt->host < 2 ? stmt->host : 0].name,
                                          tl_state_name (stmt->u.expect_sockets.state),
                                          cmp_names[stmt->u.expect_sockets.cmp],
                                          stmt->u.expect_sockets.n);
      result->actual = g_strdup_printf ("%" G_GUINT64_FORMAT, count);
    }
  else if (stmt->kind == TL_STMT_EXPECT_SEGMENTS)
    {
      dir = stmt->u.expect_segments.dir == 1 ? 1 : 0;
      count = tl_trace_count_segments (trace, dir, stmt->u.expect_segments.flags,
                                       stmt->u.expect_segments.any, stmt->time_us);
      result->ok = compare (stmt->u.expect_segments.cmp, count, stmt->u.expect_segments.n);
      result->expected = g_strdup_printf ("segments %s->%s %s %s %" G_GUINT64_FORMAT,
                                          scenario->hosts[dir].name, scenario->hosts[1 - dir].name,
                                          stmt->u.expect_segments.any
                                            ? "any"
                                            : tl_flags_to_string (stmt->u.expect_segments.flags, flags),
                                          cmp_names[stmt->u.expect_segments.cmp],
                                          stmt->u.expect_segments.n);
      result->actual = g_strdup_printf ("%" G_GUINT64_FORMAT, count);
    }
  else
    {
      evaluate_conn (scenario, trace, stmt, result);
    }
}

GArray *
tl_check_expectations (const TlScenario *scenario,
                       const TlTrace    *trace)
{
  GArray *results;

  g_return_val_if_fail (scenario != NULL, NULL);
  g_return_val_if_fail (trace != NULL, NULL);

  results = g_array_new (FALSE, TRUE, sizeof (TlExpectResult));
  g_array_set_clear_func (results, clear_result);
  for (guint i = 0; i < scenario->stmts->len; i++)
    {
      const TlStmt *stmt = &g_array_index (scenario->stmts, TlStmt, i);
      TlExpectResult result = { 0 };

      if (!tl_stmt_kind_is_expectation (stmt->kind))
        continue;
      result.stmt = i;
      evaluate (scenario, trace, stmt, &result);
      g_array_append_val (results, result);
    }
  return results;
}

char *
tl_check_format_failure (const TlScenario     *scenario,
                         const TlExpectResult *result)
{
  const TlStmt *stmt;
  g_autofree char *when = NULL;

  g_return_val_if_fail (scenario != NULL, NULL);
  g_return_val_if_fail (result != NULL, NULL);
  g_return_val_if_fail (result->stmt < scenario->stmts->len, NULL);

  stmt = &g_array_index (scenario->stmts, TlStmt, result->stmt);
  when = tl_duration_to_string (stmt->time_us);
  return g_strdup_printf ("%s:%u: expected %s at %s, was %s",
                          scenario->filename != NULL ? scenario->filename : "<lesson>",
                          stmt->line, result->expected, when, result->actual);
}

TlEndReason
tl_check_cut (const TlScenario *scenario,
              const TlTrace    *trace,
              guint            *line,
              guint            *column,
              guint64          *limit)
{
  TlEndReason reason;
  gint stmt;

  g_return_val_if_fail (scenario != NULL, TL_END_NOTHING_LEFT);
  g_return_val_if_fail (trace != NULL, TL_END_NOTHING_LEFT);
  g_return_val_if_fail (line != NULL && column != NULL && limit != NULL, TL_END_NOTHING_LEFT);

  reason = tl_trace_end_reason (trace, &stmt);
  if (!TL_END_REASON_IS_CUT (reason))
    return reason;
  *line = *column = 1;
  *limit = tl_trace_record (trace, tl_trace_n_records (trace) - 1)->u.end.limit;
  if (stmt >= 0 && (guint) stmt < scenario->stmts->len)
    {
      const TlStmt *s = &g_array_index (scenario->stmts, TlStmt, stmt);

      *line = MAX (s->line, 1);
      *column = MAX (s->column, 1);
    }
  return reason;
}

#ifndef N_
#define N_(s) (s)
#endif

/* translate's text of msgid, or msgid itself. */
static const char *
tr (TlTranslateFunc  translate,
    const char      *msgid)
{
  return translate != NULL ? translate (msgid) : msgid;
}

char *
tl_check_format_limit (TlEndReason      reason,
                       guint64          limit,
                       TlTranslateFunc  translate)
{
  switch (reason)
    {
    case TL_END_EVENT_LIMIT:
      return g_strdup_printf (tr (translate, N_("the limit of %llu events")),
                              (unsigned long long) limit);
    case TL_END_RECORD_LIMIT:
      return g_strdup_printf (tr (translate, N_("the limit of %llu trace records")),
                              (unsigned long long) limit);
    case TL_END_MEMORY_LIMIT:
      return g_strdup_printf (tr (translate, N_("the limit of %llu MiB of memory")),
                              (unsigned long long) (limit >> 20));
    case TL_END_NOTHING_LEFT:
    case TL_END_STATEMENT:
    case TL_END_TIME_LIMIT:
      break;
    }
  return NULL;
}

char *
tl_check_format_cut_translated (const TlScenario *scenario,
                                const TlTrace    *trace,
                                TlTranslateFunc   translate)
{
  const char *file;
  g_autofree char *when = NULL;
  g_autofree char *what = NULL;
  guint line, column;
  TlEndReason reason;
  guint64 limit;

  g_return_val_if_fail (scenario != NULL, NULL);
  g_return_val_if_fail (trace != NULL, NULL);

  reason = tl_check_cut (scenario, trace, &line, &column, &limit);
  if (!TL_END_REASON_IS_CUT (reason))
    return NULL;
  file = scenario->filename != NULL ? scenario->filename : "<lesson>";
  when = tl_duration_to_string (tl_trace_end_time (trace));
  what = tl_check_format_limit (reason, limit, translate);
  return g_strdup_printf (tr (translate, N_("%s:%u:%u: error: the run was stopped at %s, at %s "
                                            "(the last statement started is this one); what it "
                                            "did after is unknown, and expectations from then "
                                            "on were not checked")),
                          file, line, column, what, when);
}

char *
tl_check_format_cut (const TlScenario *scenario,
                     const TlTrace    *trace)
{
  return tl_check_format_cut_translated (scenario, trace, NULL);
}

gboolean
tl_check_is_checkable (const TlScenario *scenario,
                       const TlTrace    *trace,
                       guint             stmt)
{
  g_return_val_if_fail (scenario != NULL && trace != NULL, FALSE);
  g_return_val_if_fail (stmt < scenario->stmts->len, FALSE);

  if (!TL_END_REASON_IS_CUT (tl_trace_end_reason (trace, NULL)))
    return TRUE;
  return g_array_index (scenario->stmts, TlStmt, stmt).time_us < tl_trace_end_time (trace);
}
