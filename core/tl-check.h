/* tl-check.h: a lesson's `expect` lines, evaluated on the trace of its run. */
#pragma once

#include <glib.h>

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

G_END_DECLS
