/* tl-real-view.h: "Real Linux" beside "Simulated": the lesson as the real
 * kernel played it (its sidecar, FILE.lesson.real), side by side with the
 * simulation on one time axis, the differences marked. */
#pragma once

#include <gtk/gtk.h>

#include "tl-session.h"
#include "tl-window.h"

G_BEGIN_DECLS

#define TL_TYPE_REAL_VIEW (tl_real_view_get_type ())
G_DECLARE_FINAL_TYPE (TlRealView, tl_real_view, TL, REAL_VIEW, GtkBox)

GtkWidget     *tl_real_view_new         (TlSession  *session);
/* The real run shown, or NULL (no sidecar, a stale or broken one). */
const TlTrace *tl_real_view_get_real    (TlRealView *self);
/* The differences from the simulation (TlDiff), or NULL without a real run. */
const GArray  *tl_real_view_get_diffs   (TlRealView *self);
/* What the view says above the two runs. */
const char    *tl_real_view_get_status  (TlRealView *self);
/* How many difference marks the last frame drew. */
guint          tl_real_view_marks_drawn (TlRealView *self);

/* Adds the view to the window: the stateful action win.real-linux (F6, and
 * a "Real Linux" toggle in the header bar) shows it in place of the diagram
 * and the ladder. */
void           tl_real_view_add_to_window (TlWindow *window);
/* The window's view (made by tl_real_view_add_to_window). */
TlRealView    *tl_real_view_get         (TlWindow   *window);

G_END_DECLS
