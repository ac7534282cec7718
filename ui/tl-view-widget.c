/* tl-view-widget.c: a view of the session, drawn by the cairo renderers.
 *
 * The widget is thin: snapshot() hands (trace, playhead, size, style) to
 * tl_render_view().  It redraws when the session notifies, animates the
 * diagram's tokens along the edge just taken from the frame clock, and in
 * the ladder lets the user pick a segment to see its fields, or a state
 * change to see its cause, with the mouse or the keyboard.
 */
#include "tl-config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tl-causes.h"
#include "tl-segment-popover.h"
#include "tl-view-widget.h"

/* How long a token takes to glide along an edge, in wall time. */
#define GLIDE_US (700 * G_TIME_SPAN_MILLISECOND)
/* How far back a jump of the playhead is searched for state changes to
 * animate: a jump over more records than this just shows where it lands. */
#define GLIDE_SCAN_RECORDS 4096

struct _TlViewWidget
{
  GtkWidget   parent_instance;

  TlView      view;
  TlSession  *session;
  double      font_scale;

  gint64      last_time_us;
  gint64      glide_start[2];   /* frame time the glide began, 0: none */
  guint       tick_id;

  GtkWidget  *popover;
  GtkWidget  *state_popover;  /* a state change's cause (tl-causes.c) */
  guint32     cursor;         /* the ladder's event the keyboard is on, or G_MAXUINT32 */

  /* The ladder's window of time (TlRenderStyle.ladder_*): span 0 follows
   * the playhead; t0 -1 places a zoomed window around it. */
  gint64      ladder_t0_us;
  gint64      ladder_span_us;
  int         explained_state;  /* the diagram's marks: see TlRenderStyle */
  gboolean    role_colours;
  char       *host_settings[2]; /* the scenario's hosts: see TlRenderStyle */

  /* GtkScrollable: the socket tables and the timers scroll in a
   * GtkScrolledWindow (the other views fill their room and ignore these). */
  GtkAdjustment *hadjustment;
  GtkAdjustment *vadjustment;
  guint32     sockets_expanded[2];  /* see TlRenderStyle */
  GtkWidget  *cover;                /* tl_view_widget_set_cover (weak) */
  int         natural_width;        /* tl_view_widget_set_natural_width, 0: none */
};

G_DEFINE_FINAL_TYPE_WITH_CODE (TlViewWidget, tl_view_widget, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SCROLLABLE, NULL))

enum
{
  PROP_0,
  PROP_VIEW,
  PROP_SESSION,
  PROP_FONT_SCALE,
  N_PROPS,
  /* GtkScrollable's */
  PROP_HADJUSTMENT = N_PROPS,
  PROP_VADJUSTMENT,
  PROP_HSCROLL_POLICY,
  PROP_VSCROLL_POLICY,
};

static GParamSpec *properties[N_PROPS];

enum
{
  NOTICE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gint64
now_us (TlViewWidget *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  return clock != NULL ? gdk_frame_clock_get_frame_time (clock) : g_get_monotonic_time ();
}

static double
glide_progress (TlViewWidget *self,
                guint         host,
                gint64        now)
{
  if (self->glide_start[host] == 0)
    return 1.0;
  return CLAMP ((double) (now - self->glide_start[host]) / GLIDE_US, 0.0, 1.0);
}

void
tl_view_widget_get_style (TlViewWidget  *self,
                          TlRenderStyle *style)
{
  gint64 now;

  g_return_if_fail (TL_IS_VIEW_WIDGET (self));
  g_return_if_fail (style != NULL);

  now = now_us (self);
  tl_render_style_init (style);
  style->dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  style->font_scale = self->font_scale;
  if (self->session != NULL)
    {
      TlSessionDeparture departure;

      style->selected_record = tl_session_get_selected (self->session);
      /* ringed while the keys act on it: the ladder focused, or its popover open */
      if (self->view == TL_VIEW_LADDER
          && (gtk_widget_has_focus (GTK_WIDGET (self))
              || (self->popover != NULL && gtk_widget_get_visible (self->popover))
              || (self->state_popover != NULL && gtk_widget_get_visible (self->state_popover))))
        style->focus_record = self->cursor;
      style->locale = tl_session_get_locale (self->session);
      /* a what-if's original run, ghosted in the ladder where it differs */
      if (tl_session_get_departure (self->session, &departure))
        {
          style->ghost = tl_session_get_written_trace (self->session);
          style->ghost_from = departure.written;
        }
    }
  for (guint h = 0; h < 2; h++)
    style->glide[h] = glide_progress (self, h, now);
  style->ladder_t0_us = self->ladder_t0_us;
  style->ladder_span_us = self->ladder_span_us;
  /* its window as long as its height (and the cover's) lets a class read */
  if (self->view == TL_VIEW_LADDER)
    {
      style->ladder_view_w = gtk_widget_get_width (GTK_WIDGET (self));
      style->ladder_view_h = gtk_widget_get_height (GTK_WIDGET (self));
    }
  style->explained_state = self->explained_state;
  style->role_colours = self->role_colours;
  for (guint h = 0; h < 2; h++)
    style->host_settings[h] = self->host_settings[h];
  if (self->view == TL_VIEW_SOCKETS && self->vadjustment != NULL)
    style->sockets_scroll_px = gtk_adjustment_get_value (self->vadjustment);
  if (self->view == TL_VIEW_TIMERS && self->vadjustment != NULL)
    style->timers_scroll_px = gtk_adjustment_get_value (self->vadjustment);
  for (guint h = 0; h < 2; h++)
    style->sockets_expanded[h] = self->sockets_expanded[h];
  if (self->cover != NULL && gtk_widget_get_visible (self->cover) &&
      gtk_widget_get_mapped (self->cover))
    {
      graphene_rect_t b;
      int w = gtk_widget_get_width (GTK_WIDGET (self));
      int h = gtk_widget_get_height (GTK_WIDGET (self));

      /* with a little room between the last line of time and the cover */
      if (gtk_widget_compute_bounds (self->cover, GTK_WIDGET (self), &b) &&
          b.origin.x < w && b.origin.x + b.size.width > 0 && b.origin.y < h)
        style->ladder_cover_px = h - MAX (b.origin.y - 6, 0);
    }
}

void
tl_view_widget_set_cover (TlViewWidget *self,
                          GtkWidget    *cover)
{
  g_return_if_fail (TL_IS_VIEW_WIDGET (self));

  if (self->cover != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->cover), (gpointer *) &self->cover);
  self->cover = cover;
  if (cover != NULL)
    g_object_add_weak_pointer (G_OBJECT (cover), (gpointer *) &self->cover);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The socket tables' and the timers' adjustment: their whole height, the
 * view's as the page; the value kept in range as the rows come and go. */
static void
update_adjustments (TlViewWidget *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  double content = height;
  TlRenderStyle style;

  if (self->hadjustment != NULL)
    gtk_adjustment_configure (self->hadjustment, 0, 0, width, width * 0.1, width * 0.9, width);
  if (self->vadjustment == NULL)
    return;
  if ((self->view == TL_VIEW_SOCKETS || self->view == TL_VIEW_TIMERS) && self->session != NULL &&
      width > 0 && height > 0)
    {
      double (*content_height) (const TlTrace *, gint64, double, double, const TlRenderStyle *)
        = self->view == TL_VIEW_SOCKETS ? tl_render_sockets_height : tl_render_timers_height;

      tl_view_widget_get_style (self, &style);
      content = MAX (content_height (tl_session_get_trace (self->session),
                                     tl_session_get_time (self->session), width, height, &style),
                     height);
    }
  gtk_adjustment_configure (self->vadjustment,
                            MIN (gtk_adjustment_get_value (self->vadjustment), content - height),
                            0, content, height * 0.1, height * 0.9, height);
}

static void
set_adjustment (TlViewWidget   *self,
                GtkAdjustment **slot,
                GtkAdjustment  *adjustment)
{
  if (*slot == adjustment)
    return;
  if (*slot != NULL)
    g_signal_handlers_disconnect_by_func (*slot, gtk_widget_queue_draw, self);
  g_set_object (slot, adjustment);
  if (adjustment != NULL)
    g_signal_connect_swapped (adjustment, "value-changed", G_CALLBACK (gtk_widget_queue_draw),
                              self);
  update_adjustments (self);
}

/* Each host's profile and settings, as the socket tables show them. */
static void
session_scenario_cb (TlViewWidget *self)
{
  const TlScenario *scenario = self->session != NULL ? tl_session_get_scenario (self->session)
                                                     : NULL;

  for (guint h = 0; h < 2; h++)
    {
      g_clear_pointer (&self->host_settings[h], g_free);
      if (scenario != NULL)
        self->host_settings[h] = tl_settings_describe (&scenario->settings[h]);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
glide_tick (GtkWidget     *widget,
            GdkFrameClock *clock,
            gpointer       user_data)
{
  TlViewWidget *self = TL_VIEW_WIDGET (widget);
  gint64 now = gdk_frame_clock_get_frame_time (clock);

  gtk_widget_queue_draw (widget);
  if (glide_progress (self, 0, now) < 1.0 || glide_progress (self, 1, now) < 1.0)
    return G_SOURCE_CONTINUE;
  self->glide_start[0] = self->glide_start[1] = 0;
  self->tick_id = 0;
  return G_SOURCE_REMOVE;
}

/* A token glides when its host changed state as the playhead moved forward;
 * backwards, or onto another trace, it just sits in its state. */
static void
start_glides (TlViewWidget *self,
              gint64        from_us,
              gint64        to_us)
{
  const TlTrace *trace = tl_session_get_trace (self->session);
  guint first = tl_trace_records_until (trace, from_us);
  guint last = tl_trace_records_until (trace, to_us);
  gboolean any = FALSE, animations = TRUE;

  /* The desktop's reduced motion (GtkSettings' gtk-enable-animations off):
   * a token jumps to its state. */
  g_object_get (gtk_widget_get_settings (GTK_WIDGET (self)), "gtk-enable-animations",
                &animations, NULL);
  if (!animations)
    return;

  if (last - first > GLIDE_SCAN_RECORDS)
    first = last - GLIDE_SCAN_RECORDS;
  for (guint i = first; i < last; i++)
    {
      const TlRecord *rec = tl_trace_record (trace, i);

      if (rec->kind == TL_REC_STATE && rec->host < 2)
        {
          self->glide_start[rec->host] = now_us (self);
          any = TRUE;
        }
    }
  if (any && self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), glide_tick, NULL, NULL);
}

static void
stop_glides (TlViewWidget *self)
{
  self->glide_start[0] = self->glide_start[1] = 0;
  if (self->tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
  self->tick_id = 0;
}

static void
session_time_cb (TlViewWidget *self)
{
  gint64 time_us = tl_session_get_time (self->session);

  if (self->view == TL_VIEW_DIAGRAM || self->view == TL_VIEW_ALL)
    {
      if (time_us > self->last_time_us)
        start_glides (self, self->last_time_us, time_us);
      else
        stop_glides (self);
    }
  self->last_time_us = time_us;
  /* A ladder scrolled away follows the playhead again once it leaves the
   * window, keeping the zoom. */
  if (self->ladder_t0_us >= 0 &&
      (time_us < self->ladder_t0_us || time_us > self->ladder_t0_us + self->ladder_span_us))
    self->ladder_t0_us = -1;
  update_adjustments (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
session_trace_cb (TlViewWidget *self)
{
  stop_glides (self);
  /* the records of another run: the keyboard starts again at the playhead */
  self->cursor = G_MAXUINT32;
  if (self->popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (self->popover));
  if (self->state_popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (self->state_popover));
  update_adjustments (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
tl_view_widget_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  TlViewWidget *self = TL_VIEW_WIDGET (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  TlRenderStyle style;
  cairo_t *cr;

  if (width <= 0 || height <= 0 || self->session == NULL)
    return;

  tl_view_widget_get_style (self, &style);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  tl_render_view (cr, self->view, tl_session_get_trace (self->session),
                  tl_session_get_time (self->session), width, height, &style);
  cairo_destroy (cr);
}

static void
tl_view_widget_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  TlViewWidget *self = TL_VIEW_WIDGET (widget);
  int width = 0, height = 0;

  switch (self->view)
    {
    case TL_VIEW_DIAGRAM:
    case TL_VIEW_ALL:
      width = 400;
      height = 240;
      break;
    case TL_VIEW_LADDER:
      width = 280;
      height = 200;
      break;
    case TL_VIEW_TIMERS:
    case TL_VIEW_SOCKETS:
      width = 200;
      height = 100;
      break;
    }
  *minimum = *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? width : height;
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *natural = MAX (width, self->natural_width);
  *minimum_baseline = *natural_baseline = -1;
}

static void
tl_view_widget_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  TlViewWidget *self = TL_VIEW_WIDGET (widget);

  if (self->popover != NULL)
    gtk_popover_present (GTK_POPOVER (self->popover));
  if (self->state_popover != NULL)
    gtk_popover_present (GTK_POPOVER (self->state_popover));
  update_adjustments (self);
}

static void
popover_notice_cb (TlViewWidget *self,
                   const char   *notice)
{
  g_signal_emit (self, signals[NOTICE], 0, notice);
}

static void show_segment (TlViewWidget *self, guint32 record, double x, double y);
static void show_state   (TlViewWidget *self, guint32 record, double x, double y);

gboolean
tl_view_widget_pick_segment (TlViewWidget *self,
                             double        x,
                             double        y)
{
  TlRenderStyle style;
  guint32 record;

  g_return_val_if_fail (TL_IS_VIEW_WIDGET (self), FALSE);
  g_return_val_if_fail (self->session != NULL, FALSE);

  tl_view_widget_get_style (self, &style);
  record = tl_render_ladder_hit (tl_session_get_trace (self->session),
                                 tl_session_get_time (self->session),
                                 gtk_widget_get_width (GTK_WIDGET (self)),
                                 gtk_widget_get_height (GTK_WIDGET (self)),
                                 &style, x, y);
  if (record == G_MAXUINT32)
    return tl_view_widget_pick_state (self, x, y);
  show_segment (self, record, x, y);
  return TRUE;
}

/* Selects the segment record and shows its fields, pointing at (x, y). */
static void
show_segment (TlViewWidget *self,
              guint32       record,
              double        x,
              double        y)
{
  tl_session_set_selected (self->session, record);
  self->cursor = record;
  if (self->popover == NULL)
    {
      self->popover = GTK_WIDGET (tl_segment_popover_new ());
      gtk_widget_set_parent (self->popover, GTK_WIDGET (self));
      g_signal_connect_swapped (self->popover, "notice", G_CALLBACK (popover_notice_cb), self);
    }
  tl_segment_popover_show (TL_SEGMENT_POPOVER (self->popover), self->session, record);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->popover), &(GdkRectangle) { x, y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->popover));
}

gboolean
tl_view_widget_pick_state (TlViewWidget *self,
                           double        x,
                           double        y)
{
  const TlTrace *trace;
  TlRenderStyle style;
  guint32 record;

  g_return_val_if_fail (TL_IS_VIEW_WIDGET (self), FALSE);
  g_return_val_if_fail (self->session != NULL, FALSE);

  trace = tl_session_get_trace (self->session);
  tl_view_widget_get_style (self, &style);
  record = tl_render_ladder_hit_state (trace, tl_session_get_time (self->session),
                                       gtk_widget_get_width (GTK_WIDGET (self)),
                                       gtk_widget_get_height (GTK_WIDGET (self)),
                                       &style, x, y);
  if (record == G_MAXUINT32)
    {
      tl_session_set_selected (self->session, G_MAXUINT32);
      return FALSE;
    }
  show_state (self, record, x, y);
  return TRUE;
}

/* Names what caused the state change record, pointing at (x, y), and picks
 * the segment that did, so the ladder shows which. */
static void
show_state (TlViewWidget *self,
            guint32       record,
            double        x,
            double        y)
{
  const TlTrace *trace = tl_session_get_trace (self->session);

  tl_session_set_selected (self->session, tl_causes_segment_of_state (trace, record));
  self->cursor = record;
  if (self->state_popover == NULL)
    {
      self->state_popover = tl_causes_popover_new ();
      gtk_widget_set_parent (self->state_popover, GTK_WIDGET (self));
    }
  tl_causes_popover_show (self->state_popover, trace, record);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->state_popover),
                               &(GdkRectangle) { x, y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->state_popover));
}

guint32
tl_view_widget_get_cursor (TlViewWidget *self)
{
  g_return_val_if_fail (TL_IS_VIEW_WIDGET (self), G_MAXUINT32);
  return self->cursor;
}

gboolean
tl_view_widget_move_cursor (TlViewWidget *self,
                            int           direction)
{
  TlRenderStyle style;
  guint32 to;

  g_return_val_if_fail (TL_IS_VIEW_WIDGET (self), FALSE);

  if (self->view != TL_VIEW_LADDER || self->session == NULL)
    return FALSE;
  tl_view_widget_get_style (self, &style);
  to = tl_render_ladder_step (tl_session_get_trace (self->session),
                              tl_session_get_time (self->session),
                              gtk_widget_get_width (GTK_WIDGET (self)),
                              gtk_widget_get_height (GTK_WIDGET (self)), &style,
                              direction == 0 ? G_MAXUINT32 : self->cursor, direction);
  if (to == self->cursor)
    return FALSE;
  self->cursor = to;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return to != G_MAXUINT32;
}

gboolean
tl_view_widget_open_cursor (TlViewWidget *self)
{
  const TlTrace *trace;
  TlRenderStyle style;
  double x, y;

  g_return_val_if_fail (TL_IS_VIEW_WIDGET (self), FALSE);

  if (self->view != TL_VIEW_LADDER || self->session == NULL)
    return FALSE;
  trace = tl_session_get_trace (self->session);
  tl_view_widget_get_style (self, &style);
  /* one that scrolled out of view: the last one at the playhead instead */
  if (!tl_render_ladder_event_point (trace, tl_session_get_time (self->session),
                                     gtk_widget_get_width (GTK_WIDGET (self)),
                                     gtk_widget_get_height (GTK_WIDGET (self)), &style,
                                     self->cursor, &x, &y))
    {
      tl_view_widget_move_cursor (self, 0);
      if (!tl_render_ladder_event_point (trace, tl_session_get_time (self->session),
                                         gtk_widget_get_width (GTK_WIDGET (self)),
                                         gtk_widget_get_height (GTK_WIDGET (self)), &style,
                                         self->cursor, &x, &y))
        return FALSE;
    }
  if (tl_trace_record (trace, self->cursor)->kind == TL_REC_STATE)
    show_state (self, self->cursor, x, y);
  else
    show_segment (self, self->cursor, x, y);
  return TRUE;
}

gboolean
tl_view_widget_toggle_group_at (TlViewWidget *self,
                                double        x,
                                double        y)
{
  TlRenderStyle style;
  TlState state;
  guint host;

  g_return_val_if_fail (TL_IS_VIEW_WIDGET (self), FALSE);

  if (self->view != TL_VIEW_SOCKETS || self->session == NULL)
    return FALSE;
  tl_view_widget_get_style (self, &style);
  if (!tl_render_sockets_hit_group (tl_session_get_trace (self->session),
                                    tl_session_get_time (self->session),
                                    gtk_widget_get_width (GTK_WIDGET (self)),
                                    gtk_widget_get_height (GTK_WIDGET (self)), &style, x, y,
                                    &host, &state))
    return FALSE;
  self->sockets_expanded[host] ^= 1u << state;
  update_adjustments (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return TRUE;
}

/* The ladder's keys, while it has the focus: Up and Down go from event to
 * event, Enter opens what a click would, Escape closes it. */
static gboolean
cursor_key_cb (GtkWidget *widget,
               GVariant  *args,
               gpointer   user_data)
{
  TlViewWidget *self = TL_VIEW_WIDGET (widget);
  int key = GPOINTER_TO_INT (user_data);

  if (self->view != TL_VIEW_LADDER || self->session == NULL)
    return FALSE;
  switch (key)
    {
    case 'u':
    case 'd':
      /* the first press shows where the keyboard is */
      if (self->cursor == G_MAXUINT32)
        tl_view_widget_move_cursor (self, 0);
      else
        tl_view_widget_move_cursor (self, key == 'd' ? 1 : -1);
      return TRUE;
    case 'o':
      return tl_view_widget_open_cursor (self);
    default:
      break;
    }
  /* Escape: only when there is something to close, else it is the window's
   * (presentation mode) */
  if ((self->popover != NULL && gtk_widget_get_visible (self->popover))
      || (self->state_popover != NULL && gtk_widget_get_visible (self->state_popover)))
    {
      if (self->popover != NULL)
        gtk_popover_popdown (GTK_POPOVER (self->popover));
      if (self->state_popover != NULL)
        gtk_popover_popdown (GTK_POPOVER (self->state_popover));
      return TRUE;
    }
  return FALSE;
}

static const struct
{
  const char *trigger;
  int         key;
} cursor_keys[] = {
  { "Up|KP_Up", 'u' },
  { "Down|KP_Down", 'd' },
  { "Return|KP_Enter|ISO_Enter", 'o' },
  { "Escape", 'c' },
};

static void
add_cursor_keys (TlViewWidget *self)
{
  GtkEventController *keys = gtk_shortcut_controller_new ();
  GtkEventController *focus = gtk_event_controller_focus_new ();

  gtk_event_controller_set_name (keys, "tl-ladder-keys");
  for (guint i = 0; i < G_N_ELEMENTS (cursor_keys); i++)
    gtk_shortcut_controller_add_shortcut (
      GTK_SHORTCUT_CONTROLLER (keys),
      gtk_shortcut_new (gtk_shortcut_trigger_parse_string (cursor_keys[i].trigger),
                        gtk_callback_action_new (cursor_key_cb,
                                                 GINT_TO_POINTER (cursor_keys[i].key), NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  /* the ring comes and goes with the focus */
  g_signal_connect_swapped (focus, "enter", G_CALLBACK (gtk_widget_queue_draw), self);
  g_signal_connect_swapped (focus, "leave", G_CALLBACK (gtk_widget_queue_draw), self);
  gtk_widget_add_controller (GTK_WIDGET (self), focus);
}

static void
pressed_cb (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            TlViewWidget    *self)
{
  TlRenderStyle style;
  gint64 at_us;

  if (self->view == TL_VIEW_SOCKETS && self->session != NULL)
    {
      tl_view_widget_toggle_group_at (self, x, y);
      return;
    }
  if (self->view != TL_VIEW_LADDER || self->session == NULL)
    return;
  /* the keys go on from what the click picked */
  gtk_widget_grab_focus (GTK_WIDGET (self));
  /* The overview strip seeks; elsewhere a click picks a segment. */
  tl_view_widget_get_style (self, &style);
  if (tl_render_ladder_overview_time (tl_session_get_trace (self->session),
                                      tl_session_get_time (self->session),
                                      gtk_widget_get_width (GTK_WIDGET (self)),
                                      gtk_widget_get_height (GTK_WIDGET (self)), &style, x, y,
                                      &at_us))
    tl_session_set_time (self->session, at_us);
  else
    tl_view_widget_pick_segment (self, x, y);
}

/* The window shown now, as a fixed one to zoom or scroll from. */
static void
ladder_window (TlViewWidget *self,
               gint64       *t0_us,
               gint64       *span_us)
{
  TlRenderStyle style;

  tl_view_widget_get_style (self, &style);
  tl_render_ladder_window (tl_session_get_trace (self->session),
                           tl_session_get_time (self->session), &style, t0_us, span_us);
}

void
tl_view_widget_ladder_zoom (TlViewWidget *self,
                            double        factor)
{
  gint64 t0, span, now;

  g_return_if_fail (TL_IS_VIEW_WIDGET (self));
  g_return_if_fail (factor > 0);

  if (self->session == NULL)
    return;
  ladder_window (self, &t0, &span);
  now = tl_session_get_time (self->session);
  /* Between a millisecond and ten minutes; around the playhead. */
  self->ladder_span_us = CLAMP ((gint64) (span / factor), 1000, 600 * G_USEC_PER_SEC);
  if (self->ladder_t0_us >= 0)
    self->ladder_t0_us = MAX (0, now - (gint64) ((now - t0) / factor));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
tl_view_widget_ladder_scroll (TlViewWidget *self,
                              double        pages)
{
  gint64 t0, span;

  g_return_if_fail (TL_IS_VIEW_WIDGET (self));

  if (self->session == NULL)
    return;
  ladder_window (self, &t0, &span);
  self->ladder_span_us = span;
  self->ladder_t0_us = CLAMP (t0 + (gint64) (pages * span), 0,
                              MAX (tl_session_get_end_time (self->session) - span / 2, 0));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
tl_view_widget_ladder_fit (TlViewWidget *self)
{
  g_return_if_fail (TL_IS_VIEW_WIDGET (self));

  if (self->session == NULL)
    return;
  /* Again: back to following the playhead. */
  if (self->ladder_t0_us == 0 &&
      self->ladder_span_us == MAX (tl_session_get_end_time (self->session) * 21 / 20, 1))
    self->ladder_t0_us = -1, self->ladder_span_us = 0;
  else
    {
      self->ladder_t0_us = 0;
      self->ladder_span_us = MAX (tl_session_get_end_time (self->session) * 21 / 20, 1);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
tl_view_widget_ladder_follows (TlViewWidget *self)
{
  g_return_val_if_fail (TL_IS_VIEW_WIDGET (self), FALSE);
  return self->ladder_t0_us < 0;
}

/* Ctrl+wheel zooms the ladder, the wheel scrolls it in time. */
static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           TlViewWidget             *self)
{
  GdkModifierType mods = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));

  if (self->view != TL_VIEW_LADDER || self->session == NULL || dy == 0)
    return FALSE;
  if (mods & GDK_CONTROL_MASK)
    tl_view_widget_ladder_zoom (self, dy < 0 ? 1.25 : 0.8);
  else
    tl_view_widget_ladder_scroll (self, dy * 0.1);
  return TRUE;
}

static void
dark_changed_cb (TlViewWidget *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
tl_view_widget_dispose (GObject *object)
{
  TlViewWidget *self = TL_VIEW_WIDGET (object);

  tl_view_widget_set_session (self, NULL);
  g_clear_pointer (&self->popover, gtk_widget_unparent);
  g_clear_pointer (&self->state_popover, gtk_widget_unparent);
  for (guint h = 0; h < 2; h++)
    g_clear_pointer (&self->host_settings[h], g_free);
  set_adjustment (self, &self->hadjustment, NULL);
  set_adjustment (self, &self->vadjustment, NULL);
  tl_view_widget_set_cover (self, NULL);

  G_OBJECT_CLASS (tl_view_widget_parent_class)->dispose (object);
}

static void
tl_view_widget_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TlViewWidget *self = TL_VIEW_WIDGET (object);

  switch (prop_id)
    {
    case PROP_VIEW:
      g_value_set_enum (value, self->view);
      break;
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_FONT_SCALE:
      g_value_set_double (value, self->font_scale);
      break;
    case PROP_HADJUSTMENT:
      g_value_set_object (value, self->hadjustment);
      break;
    case PROP_VADJUSTMENT:
      g_value_set_object (value, self->vadjustment);
      break;
    case PROP_HSCROLL_POLICY:
    case PROP_VSCROLL_POLICY:
      g_value_set_enum (value, GTK_SCROLL_MINIMUM);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tl_view_widget_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  TlViewWidget *self = TL_VIEW_WIDGET (object);

  switch (prop_id)
    {
    case PROP_VIEW:
      tl_view_widget_set_view (self, g_value_get_enum (value));
      break;
    case PROP_SESSION:
      tl_view_widget_set_session (self, g_value_get_object (value));
      break;
    case PROP_FONT_SCALE:
      tl_view_widget_set_font_scale (self, g_value_get_double (value));
      break;
    case PROP_HADJUSTMENT:
      set_adjustment (self, &self->hadjustment, g_value_get_object (value));
      break;
    case PROP_VADJUSTMENT:
      set_adjustment (self, &self->vadjustment, g_value_get_object (value));
      break;
    case PROP_HSCROLL_POLICY:
    case PROP_VSCROLL_POLICY:
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tl_view_widget_class_init (TlViewWidgetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tl_view_widget_dispose;
  object_class->get_property = tl_view_widget_get_property;
  object_class->set_property = tl_view_widget_set_property;
  widget_class->snapshot = tl_view_widget_snapshot;
  widget_class->measure = tl_view_widget_measure;
  widget_class->size_allocate = tl_view_widget_size_allocate;

  properties[PROP_VIEW] =
    g_param_spec_enum ("view", NULL, NULL, TL_TYPE_VIEW, TL_VIEW_DIAGRAM,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, TL_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FONT_SCALE] =
    g_param_spec_double ("font-scale", NULL, NULL, 0.5, 4.0, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  g_object_class_override_property (object_class, PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, PROP_VSCROLL_POLICY, "vscroll-policy");

  /* Something to tell the user (an intervention that could not be made). */
  signals[NOTICE] = g_signal_new ("notice", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_css_name (widget_class, "tlview");
}

char *
tl_view_widget_get_tooltip_text (TlViewWidget *self)
{
  g_autofree char *text = NULL;
  GString *all;

  g_return_val_if_fail (TL_IS_VIEW_WIDGET (self), NULL);

  if (self->view != TL_VIEW_SOCKETS || self->session == NULL)
    return NULL;
  text = tl_render_sockets_tooltip (tl_session_get_trace (self->session),
                                    tl_session_get_time (self->session));
  /* Each host's profile and settings, which a short table leaves out. */
  all = g_string_new (text);
  for (guint h = 0; h < 2; h++)
    if (self->host_settings[h] != NULL)
      {
        g_autofree char *name = tl_render_host_name (tl_session_get_trace (self->session), h);

        g_string_append_printf (all, "%s%s: %s", all->len > 0 ? "\n" : "", name,
                                self->host_settings[h]);
      }
  return g_string_free (all, FALSE);
}

/* The socket tables: what each ss spelling shown stands for. */
static gboolean
query_tooltip_cb (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip,
                  gpointer    user_data)
{
  g_autofree char *text = tl_view_widget_get_tooltip_text (TL_VIEW_WIDGET (widget));

  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
tl_view_widget_init (TlViewWidget *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  self->font_scale = 1.0;
  GtkEventController *scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);

  self->ladder_t0_us = -1;
  self->explained_state = -1;
  self->cursor = G_MAXUINT32;
  add_cursor_keys (self);
  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  g_signal_connect (scroll, "scroll", G_CALLBACK (scroll_cb), self);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (dark_changed_cb), self, G_CONNECT_SWAPPED);
}

GtkWidget *
tl_view_widget_new (TlView     view,
                    TlSession *session)
{
  return g_object_new (TL_TYPE_VIEW_WIDGET, "view", view, "session", session, NULL);
}

TlView
tl_view_widget_get_view (TlViewWidget *self)
{
  g_return_val_if_fail (TL_IS_VIEW_WIDGET (self), TL_VIEW_DIAGRAM);
  return self->view;
}

void
tl_view_widget_set_view (TlViewWidget *self,
                         TlView        view)
{
  g_return_if_fail (TL_IS_VIEW_WIDGET (self));
  g_return_if_fail (view <= TL_VIEW_ALL);

  if (view == self->view)
    return;
  self->view = view;
  /* the ladder's events can be gone through with the keys */
  gtk_widget_set_focusable (GTK_WIDGET (self), view == TL_VIEW_LADDER);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW]);
}

TlSession *
tl_view_widget_get_session (TlViewWidget *self)
{
  g_return_val_if_fail (TL_IS_VIEW_WIDGET (self), NULL);
  return self->session;
}

void
tl_view_widget_set_session (TlViewWidget *self,
                            TlSession    *session)
{
  g_return_if_fail (TL_IS_VIEW_WIDGET (self));
  g_return_if_fail (session == NULL || TL_IS_SESSION (session));

  if (session == self->session)
    return;
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  stop_glides (self);
  g_set_object (&self->session, session);
  if (session != NULL)
    {
      self->last_time_us = tl_session_get_time (session);
      g_signal_connect_swapped (session, "notify::time", G_CALLBACK (session_time_cb), self);
      g_signal_connect_swapped (session, "notify::trace", G_CALLBACK (session_trace_cb), self);
      g_signal_connect_swapped (session, "notify::selected", G_CALLBACK (gtk_widget_queue_draw), self);
      g_signal_connect_swapped (session, "notify::scenario", G_CALLBACK (session_scenario_cb), self);
    }
  session_scenario_cb (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

void
tl_view_widget_set_natural_width (TlViewWidget *self,
                                  int           width)
{
  g_return_if_fail (TL_IS_VIEW_WIDGET (self));

  width = MAX (width, 0);
  if (width == self->natural_width)
    return;
  self->natural_width = width;
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
tl_view_widget_set_font_scale (TlViewWidget *self,
                               double        font_scale)
{
  g_return_if_fail (TL_IS_VIEW_WIDGET (self));

  if (font_scale == self->font_scale)
    return;
  self->font_scale = font_scale;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FONT_SCALE]);
}

void
tl_view_widget_set_diagram_marks (TlViewWidget *self,
                                  int           explained_state,
                                  gboolean      role_colours)
{
  g_return_if_fail (TL_IS_VIEW_WIDGET (self));
  g_return_if_fail (explained_state >= -1 && explained_state < TL_N_STATES);

  if (explained_state == self->explained_state && !!role_colours == self->role_colours)
    return;
  self->explained_state = explained_state;
  self->role_colours = !!role_colours;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
