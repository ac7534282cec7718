/* tl-cli-compare.h: tcplab-cli real --compare and --save: the simulation
 * against the kernel's run, and the real run kept as the lesson's sidecar. */
#pragma once

#include <glib.h>

#include "tl-scenario.h"
#include "tl-trace.h"

G_BEGIN_DECLS

/* Writes, per connection, the first point where sim and real differ (the
 * kind, and each trace's text line, or what is missing), then a count;
 * "agree" when they do not differ.  Returns the number of differences, or
 * -1 when the output could not be written. */
gint64   tl_cli_compare_write     (const TlTrace *sim,
                                   const TlTrace *real);
/* The real run of lesson_path read from its sidecar (or path, if not NULL):
 * NULL after printing why when it cannot be read, or it was recorded from
 * another text of the lesson. */
TlTrace *tl_cli_compare_load_real (const char    *prgname,
                                   const char    *lesson_path,
                                   const char    *path);
/* Saves real as lesson_path's sidecar (FILE.lesson.real), never over one
 * that is there unless force; FALSE after printing why. */
gboolean tl_cli_compare_save      (const char    *prgname,
                                   const char    *lesson_path,
                                   const TlTrace *real,
                                   gboolean       force);

G_END_DECLS
