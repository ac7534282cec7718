/* tl-whatif.h: a what-if that knows it changed the story.
 *
 * After an intervention the window says, in one line at the moment the run
 * leaves the lesson as written, what changed there ("Your change at 548 ms:
 * the FIN,ACK from client was lost.  From here the lesson's text describes
 * the original run."); from that moment the narration is marked and dimmed
 * as the original story.  Undo (Ctrl+Z, one change at a time) and "Back to
 * the lesson as written" (Ctrl+Shift+Z) sit beside the line.  The ladder
 * draws the original run's segments and state changes ghosted where they
 * differ (TlRenderStyle.ghost, set by the views from the session).
 */
#pragma once

#include "tl-session.h"
#include "tl-window.h"

G_BEGIN_DECLS

/* Adds the actions win.undo and win.back-to-lesson, their keys, and the
 * line above the narration. */
void        tl_whatif_init             (TlWindow   *window);
/* Marks the narration label as the original story when the playhead is
 * past the departure (called by the window after it sets the narration). */
void        tl_whatif_mark_narration   (TlWindow   *window);
/* The line for the session's departure, in the user's language, or NULL
 * when the run has not departed from the lesson as written. */
char       *tl_whatif_describe         (TlSession  *session);
/* The line shown now (for tests), or NULL when hidden. */
const char *tl_whatif_get_line         (TlWindow   *window);

G_END_DECLS
