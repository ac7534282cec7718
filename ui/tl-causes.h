/* tl-causes.h: what made a connection change state, and what a segment
 * made happen, in words for the ladder (core/tl-trace-compare.c finds the
 * records; this says them in the user's language).
 *
 * A click on a state change in the ladder opens a popover naming its cause
 * (the segment that arrived, the call, the timer that fired, the crash),
 * and picks the segment that caused it; a segment's popover names the state
 * changes its arrival made.
 */
#pragma once

#include <gtk/gtk.h>

#include "tl-session.h"

G_BEGIN_DECLS

/* "client: FIN_WAIT_1 → FIN_WAIT_2 at 700 ms" for a TL_REC_STATE record. */
char      *tl_causes_state_heading   (const TlTrace *trace,
                                      guint          record);
/* "Caused by the ACK from server, sent at 600 ms, arriving at 700 ms." */
char      *tl_causes_of_state        (const TlTrace *trace,
                                      guint          record);
/* "On arrival: server ESTABLISHED → CLOSE_WAIT." (one line per change),
 * or NULL for a segment whose arrival changed no state. */
char      *tl_causes_of_segment      (const TlTrace *trace,
                                      guint          record);
/* The TL_REC_SEGMENT record that caused a state change (its arrival is
 * the cause), or G_MAXUINT32. */
guint32    tl_causes_segment_of_state (const TlTrace *trace,
                                       guint          record);
/* A call as a sentence names it ("close()", "close() with SO_LINGER 0"),
 * or NULL for what the application only sees. */
const char *tl_causes_call_name      (TlCall         call);
/* A popover on parent for a state change; the caller owns it (unparent). */
GtkWidget *tl_causes_popover_new     (void);
void       tl_causes_popover_show    (GtkWidget     *popover,
                                      const TlTrace *trace,
                                      guint          record);

G_END_DECLS
