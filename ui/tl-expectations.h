/* tl-expectations.h: the lesson's expect lines in the window.
 *
 * Under the lesson list, each expect line of the lesson with a tick or a
 * cross once the playhead has passed its time (a dot before), its FILE:LINE
 * and, when it fails, what the run showed instead.  The results are
 * core/tl-check.c's, on the run playing: the lesson as written, or a
 * what-if's run (whose changes the lesson's expectations then judge); a
 * lesson saved in an editor is checked again as it reloads.
 */
#pragma once

#include "tl-window.h"

G_BEGIN_DECLS

void        tl_expectations_init      (TlWindow *window);
/* For tests: how many rows show a tick, a cross, and are still to come;
 * the text of row i, or NULL past the last. */
void        tl_expectations_count     (TlWindow *window,
                                       guint    *passed,
                                       guint    *failed,
                                       guint    *pending);
const char *tl_expectations_row_text  (TlWindow *window,
                                       guint     i);

G_END_DECLS
