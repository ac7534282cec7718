/* tl-cli-import.h: `tcplab-cli import`, and what it shares with the other
 * subcommands of tcplab-cli.c. */
#pragma once

#include <glib.h>

#include "tl-scenario.h"
#include "tl-trace.h"

G_BEGIN_DECLS

int         tl_cli_import        (int               argc,
                                  char            **argv);

/* tcplab-cli.c */
TlScenario *tl_cli_load_lesson   (const char       *path);
int         tl_cli_report_check  (const TlScenario *scenario,
                                  const TlTrace    *trace,
                                  const char       *name);
/* The ladder diagram, streamed to sink; FALSE when a write failed.
 * scenario (may be NULL) gives the pauses' questions and choices; locale
 * ("zh_CN", or NULL as written) the language of the narration and the
 * questions. */
gboolean    tl_cli_write_ladder  (const TlScenario *scenario,
                                  const TlTrace    *trace,
                                  const char       *locale,
                                  TlTraceSink       sink,
                                  gpointer          user_data);

G_END_DECLS
