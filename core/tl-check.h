/* tl-check.h: a lesson's `expect` lines, evaluated on the trace of its run. */
#pragma once

#include <glib.h>

#include "tl-lesson.h"
#include "tl-scenario.h"
#include "tl-trace.h"

G_BEGIN_DECLS

typedef struct
{
  guint    stmt;      /* index in scenario->stmts */
  gboolean ok;
  char    *expected;  /* "client TIME_WAIT", "segments client->server FIN,ACK = 1" */
  char    *actual;    /* "FIN_WAIT_1", "2" */
} TlExpectResult;

/* One result per expect statement, in file order (GArray of TlExpectResult,
 * with a clear func). */
GArray *tl_check_expectations (const TlScenario *scenario,
                               const TlTrace    *trace);
/* "FILE:LINE: expected client TIME_WAIT at 420ms, was FIN_WAIT_1" */
char   *tl_check_format_failure (const TlScenario     *scenario,
                                 const TlExpectResult *result);

/* For a run stopped by a budget (TL_END_REASON_IS_CUT): "FILE:LINE:COLUMN:
 * error: the run was stopped at 1.011s: it reached the limit of 20000000
 * events (...)", at the last statement started; NULL for a complete run.
 * Expectations at or after the time it gives cannot be checked. */
char   *tl_check_format_cut   (const TlScenario *scenario,
                               const TlTrace    *trace);
/* The same with its words through translate (the front end's gettext). */
char   *tl_check_format_cut_translated (const TlScenario *scenario,
                                        const TlTrace    *trace,
                                        TlTranslateFunc   translate);
/* "the limit of 20000000 events" for a cut run's reason, through translate;
 * NULL for a reason that is no limit. */
char   *tl_check_format_limit (TlEndReason      reason,
                               guint64          limit,
                               TlTranslateFunc  translate);
/* Where and why a run was stopped, for callers that word it themselves:
 * the reason (TL_END_NOTHING_LEFT etc. for a complete run: then nothing
 * else is set), the line and column of the last statement started (1:1 if
 * none), the limit's figure (events, records or bytes). */
TlEndReason tl_check_cut (const TlScenario *scenario,
                          const TlTrace    *trace,
                          guint            *line,
                          guint            *column,
                          guint64          *limit);
/* FALSE for an expectation the trace cannot answer: at or after the time a
 * cut run stopped. */
gboolean tl_check_is_checkable (const TlScenario *scenario,
                                const TlTrace    *trace,
                                guint             stmt);

G_END_DECLS
