/* tl-view-widget.h: one of the four views (TlView of tl-render.h), a thin
 * widget that draws with the cairo renderer of that view. */
#pragma once

#include <gtk/gtk.h>

#include "tl-render.h"
#include "tl-render-enums.h"
#include "tl-session.h"

G_BEGIN_DECLS

#define TL_TYPE_VIEW_WIDGET (tl_view_widget_get_type ())
G_DECLARE_FINAL_TYPE (TlViewWidget, tl_view_widget, TL, VIEW_WIDGET, GtkWidget)

GtkWidget *tl_view_widget_new            (TlView         view,
                                          TlSession     *session);
TlView     tl_view_widget_get_view       (TlViewWidget  *self);
void       tl_view_widget_set_view       (TlViewWidget  *self,
                                          TlView         view);
TlSession *tl_view_widget_get_session    (TlViewWidget  *self);
void       tl_view_widget_set_session    (TlViewWidget  *self,
                                          TlSession     *session);
void       tl_view_widget_set_font_scale (TlViewWidget  *self,
                                          double         font_scale);
/* The width the view would like (its natural width; its least stays what
 * it is): the window gives the timers the width their rows need and the
 * tables the rest.  0: no wish. */
void       tl_view_widget_set_natural_width (TlViewWidget *self,
                                             int           width);
/* The style the view draws with now: dark, selection, glide, locale. */
void       tl_view_widget_get_style      (TlViewWidget  *self,
                                          TlRenderStyle *style);
/* The ladder: selects the segment under (x, y) and shows its fields in a
 * popover; with no segment there, a state change (tl_view_widget_pick_state).
 * FALSE when there is neither (the selection is cleared). */
gboolean   tl_view_widget_pick_segment   (TlViewWidget  *self,
                                          double         x,
                                          double         y);
/* A click on a state change written beside a timeline: a popover names
 * what caused it, and the segment that did is picked.  FALSE if none is
 * under (x, y). */
gboolean   tl_view_widget_pick_state     (TlViewWidget  *self,
                                          double         x,
                                          double         y);
/* The ladder's keyboard (Up, Down, Enter, Escape while it has the focus):
 * the event it is on (a segment's or a state change's record, or
 * G_MAXUINT32; a click puts it on what it picked); move it to the next
 * (direction > 0) or previous (< 0) event in view (tl_render_ladder_step),
 * or with 0 to the last at the playhead, TRUE if it moved; open the popover
 * a click on that event opens, FALSE if there is none in view. */
guint32    tl_view_widget_get_cursor     (TlViewWidget  *self);
gboolean   tl_view_widget_move_cursor    (TlViewWidget  *self,
                                          int            direction);
gboolean   tl_view_widget_open_cursor    (TlViewWidget  *self);
/* The socket tables' tooltip: what each ss spelling shown stands for, each
 * host's settings (its name cut as the views cut it); NULL for the other
 * views.  Free it. */
char      *tl_view_widget_get_tooltip_text (TlViewWidget *self);
/* The diagram: the state being explained (-1: none) and the colouring of
 * its edges by role (TlRenderStyle's explained_state and role_colours). */
void       tl_view_widget_set_diagram_marks (TlViewWidget *self,
                                             int           explained_state,
                                             gboolean      role_colours);

/* The ladder's window of time: zoom by factor (> 1 closer) around the
 * playhead; scroll by pages (a page is the window's length, negative
 * earlier; it stops following the playhead until the playhead leaves it);
 * fit the whole lesson, and again to follow the playhead. */
void       tl_view_widget_ladder_zoom    (TlViewWidget  *self,
                                          double         factor);
void       tl_view_widget_ladder_scroll  (TlViewWidget  *self,
                                          double         pages);
void       tl_view_widget_ladder_fit     (TlViewWidget  *self);
/* A widget over the bottom of the ladder when shown (the question's
 * card): the ladder draws its timelines above it.  NULL: none. */
void       tl_view_widget_set_cover      (TlViewWidget  *self,
                                          GtkWidget     *cover);
/* The socket tables: opens or closes the group row under (x, y) (a click
 * does); FALSE if there is none. */
gboolean   tl_view_widget_toggle_group_at (TlViewWidget *self,
                                           double        x,
                                           double        y);
gboolean   tl_view_widget_ladder_follows (TlViewWidget  *self);

G_END_DECLS
