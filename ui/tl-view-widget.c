/* tl-view-widget.c: a view of the session, drawn by the cairo renderers.
 *
 * The widget is thin: snapshot() hands (trace, playhead, size, style) to
 * tl_render_view().  It redraws when the session notifies, animates the
 * diagram's tokens along the edge just taken from the frame clock, and in
 * the ladder lets the user pick a segment to see its fields.
 */
#include "tl-config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

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
};

G_DEFINE_FINAL_TYPE (TlViewWidget, tl_view_widget, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_VIEW,
  PROP_SESSION,
  PROP_FONT_SCALE,
  N_PROPS
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
      style->selected_record = tl_session_get_selected (self->session);
      style->locale = tl_session_get_locale (self->session);
    }
  for (guint h = 0; h < 2; h++)
    style->glide[h] = glide_progress (self, h, now);
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
  gboolean any = FALSE;

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
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
session_trace_cb (TlViewWidget *self)
{
  stop_glides (self);
  if (self->popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (self->popover));
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
}

static const char *
fate_text (TlFate fate)
{
  switch (fate)
    {
    case TL_FATE_DELIVERED:
      return _("delivered");
    case TL_FATE_DUPLICATE:
      return _("an extra copy made by the link");
    case TL_FATE_LOST_RANDOM:
      return _("lost (link loss)");
    case TL_FATE_LOST_SCRIPTED:
      return _("lost (dropped on purpose)");
    case TL_FATE_LOST_LINK_DOWN:
      return _("lost (the link was down)");
    case TL_FATE_LOST_HOST_DOWN:
      return _("lost (the receiver had crashed)");
    case TL_FATE_DISCARDED:
      return _("discarded (sent to a spoofed address)");
    }
  g_return_val_if_reached ("");
}

static void
add_field (GtkGrid    *grid,
           int         row,
           const char *name,
           const char *value)
{
  GtkWidget *key = gtk_label_new (name);
  GtkWidget *val = gtk_label_new (value);

  gtk_label_set_xalign (GTK_LABEL (key), 1.0);
  gtk_widget_add_css_class (key, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (val), 0.0);
  gtk_grid_attach (grid, key, 0, row, 1, 1);
  gtk_grid_attach (grid, val, 1, row, 1, 1);
}

typedef struct
{
  int    dir;
  guint8 flags;
  char  *done;     /* the notice once it is done */
} NextSegment;

static void
next_segment_free (gpointer data)
{
  NextSegment *next = data;

  g_free (next->done);
  g_free (next);
}

typedef gboolean (*InterveneFunc) (TlSession  *session,
                                    int         dir,
                                    guint8      flags,
                                    GError    **error);

static void
intervene_clicked (GtkButton    *button,
                   TlViewWidget *self)
{
  NextSegment *next = g_object_get_data (G_OBJECT (button), "next");
  InterveneFunc func = g_object_get_data (G_OBJECT (button), "func");
  g_autoptr(GError) error = NULL;

  gtk_popover_popdown (GTK_POPOVER (self->popover));
  if (func (self->session, next->dir, next->flags, &error))
    g_signal_emit (self, signals[NOTICE], 0, next->done);
  else
    g_signal_emit (self, signals[NOTICE], 0, error->message);
}

static GtkWidget *
intervention_button (TlViewWidget  *self,
                     const char    *label,
                     const char    *done,
                     int            dir,
                     guint8         flags,
                     InterveneFunc  func)
{
  GtkWidget *button = gtk_button_new_with_label (label);
  NextSegment *next = g_new (NextSegment, 1);

  next->dir = dir;
  next->flags = flags;
  next->done = g_strdup (done);
  g_object_set_data_full (G_OBJECT (button), "next", next, next_segment_free);
  g_object_set_data (G_OBJECT (button), "func", func);
  g_signal_connect (button, "clicked", G_CALLBACK (intervene_clicked), self);
  return button;
}

static GtkWidget *
intervention_note (const char *text)
{
  GtkWidget *note = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (note), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (note), 36);
  gtk_label_set_xalign (GTK_LABEL (note), 0.0);
  return note;
}

/* For a segment on the wire at the playhead: `lose` and `duplicate` of it
 * (and of any other segment like it on the wire at that moment, which the
 * statement takes too: the labels say so). */
static void
add_on_wire_interventions (TlViewWidget *self,
                           GtkBox       *box,
                           const char   *flags,
                           const char   *from,
                           const char   *to,
                           int           dir,
                           guint8        seg_flags,
                           guint         n)
{
  g_autofree char *drop = NULL;
  g_autofree char *dup = NULL;
  g_autofree char *dropped = NULL;
  g_autofree char *duplicated = NULL;

  gtk_box_append (box, intervention_note (_("This segment is on the wire now. "
                                            "What if it met another fate?")));
  if (n == 1)
    {
      drop = g_strdup (_("Drop this segment"));
      dup = g_strdup (_("Duplicate this segment"));
      dropped = g_strdup_printf (_("The %s from %s to %s is lost on the wire"), flags, from, to);
      duplicated = g_strdup_printf (_("The %s from %s to %s will arrive twice"), flags, from, to);
    }
  else
    {
      drop = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Drop the %u %s segment on the wire from %s to %s",
                                           "Drop the %u %s segments on the wire from %s to %s", n),
                              n, flags, from, to);
      dup = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "Duplicate the %u %s segment on the wire from %s to %s",
                                          "Duplicate the %u %s segments on the wire from %s to %s", n),
                             n, flags, from, to);
      dropped = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "%u %s segment from %s to %s is lost on the wire",
                                              "%u %s segments from %s to %s are lost on the wire", n),
                                 n, flags, from, to);
      duplicated = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "%u %s segment from %s to %s will arrive twice",
                                                 "%u %s segments from %s to %s will arrive twice", n),
                                    n, flags, from, to);
    }
  gtk_box_append (box, intervention_button (self, drop, dropped, dir, seg_flags,
                                            tl_session_lose_on_wire));
  gtk_box_append (box, intervention_button (self, dup, duplicated, dir, seg_flags,
                                            tl_session_duplicate_on_wire));
}

/* For a segment not sent yet: `drop next` and the link's duplication of
 * the next segment like it, sent after the playhead. */
static void
add_next_interventions (TlViewWidget *self,
                        GtkBox       *box,
                        const char   *flags,
                        const char   *from,
                        const char   *to,
                        int           dir,
                        guint8        seg_flags)
{
  g_autofree char *drop = g_strdup_printf (_("Drop the next %s from %s to %s"), flags, from, to);
  g_autofree char *dup = g_strdup_printf (_("Duplicate the next %s from %s to %s"), flags, from, to);
  g_autofree char *dropped = g_strdup_printf (_("The next %s from %s to %s will be lost"),
                                              flags, from, to);
  g_autofree char *duplicated = g_strdup_printf (_("The next %s from %s to %s will arrive twice"),
                                                 flags, from, to);

  gtk_box_append (box, intervention_note (_("This segment is not sent yet. "
                                            "What if the next one like it met another fate?")));
  gtk_box_append (box, intervention_button (self, drop, dropped, dir, seg_flags,
                                            tl_session_drop_next));
  gtk_box_append (box, intervention_button (self, dup, duplicated, dir, seg_flags,
                                            tl_session_duplicate_next));
}

/* The fields of a segment, and the interventions on it: on the wire at the
 * playhead, `lose` or `duplicate` it there; not sent yet, the same for the
 * next segment like it (`drop next`).  A segment already arrived, or lost
 * by the link, is history. */
static GtkWidget *
segment_details (TlViewWidget *self,
                 guint32       index)
{
  const TlTrace *trace = tl_session_get_trace (self->session);
  const TlRecord *rec = tl_trace_record (trace, index);
  const TlTraceConn *conn = rec->conn != TL_NO_CONN ? tl_trace_conn (trace, rec->conn) : NULL;
  const char *from = tl_trace_host_name (trace, rec->host);
  const char *to = tl_trace_host_name (trace, 1 - rec->host);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *title;
  char flags[24];
  g_autofree char *heading = NULL;
  g_autofree char *seq = NULL;
  g_autofree char *ack = NULL;
  g_autofree char *win = NULL;
  g_autofree char *len = NULL;
  g_autofree char *options = NULL;

  gtk_widget_add_css_class (box, "segment-details");
  tl_flags_to_string (rec->u.seg.flags, flags);
  heading = g_strdup_printf (_("%s from %s to %s"), flags, from, to);
  title = gtk_label_new (heading);
  gtk_widget_add_css_class (title, "title-3");
  gtk_box_append (GTK_BOX (box), title);

  /* Relative numbers, as Wireshark shows them, with the absolute ones. */
  if (conn != NULL && rec->u.seg.peer_addr == 0)
    seq = g_strdup_printf (_("%u (absolute %u)"), rec->u.seg.seq - conn->iss, rec->u.seg.seq);
  else
    seq = g_strdup_printf ("%u", rec->u.seg.seq);
  if (!(rec->u.seg.flags & TL_FLAG_ACK))
    ack = g_strdup (_("none (no ACK flag)"));
  else if (conn != NULL && rec->u.seg.peer_addr == 0)
    ack = g_strdup_printf (_("%u (absolute %u)"), rec->u.seg.ack - conn->irs, rec->u.seg.ack);
  else
    ack = g_strdup_printf ("%u", rec->u.seg.ack);
  win = g_strdup_printf ("%u", rec->u.seg.win);
  len = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u byte", "%u bytes", rec->u.seg.len),
                         rec->u.seg.len);
  options = rec->u.seg.mss != 0 ? g_strdup_printf (_("MSS %u"), rec->u.seg.mss) : g_strdup (_("none"));

  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  add_field (GTK_GRID (grid), 0, _("Flags"), flags);
  add_field (GTK_GRID (grid), 1, _("Sequence number"), seq);
  add_field (GTK_GRID (grid), 2, _("Acknowledgment number"), ack);
  add_field (GTK_GRID (grid), 3, _("Window"), win);
  add_field (GTK_GRID (grid), 4, _("Length"), len);
  add_field (GTK_GRID (grid), 5, _("Options"), options);
  add_field (GTK_GRID (grid), 6, _("Fate"), fate_text (rec->u.seg.fate));
  gtk_box_append (GTK_BOX (box), grid);

  if (rec->u.seg.peer_addr == 0
      && (rec->u.seg.fate == TL_FATE_DELIVERED || rec->u.seg.fate == TL_FATE_DUPLICATE))
    {
      gint64 now = tl_session_get_time (self->session);
      guint n = tl_session_count_on_wire (self->session, rec->host, rec->u.seg.flags);

      if (rec->time_us <= now && rec->time_us + rec->u.seg.delay_us > now && n > 0)
        add_on_wire_interventions (self, GTK_BOX (box), flags, from, to, rec->host,
                                   rec->u.seg.flags, n);
      else if (rec->time_us > now)
        add_next_interventions (self, GTK_BOX (box), flags, from, to, rec->host,
                                rec->u.seg.flags);
    }
  return box;
}

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
  tl_session_set_selected (self->session, record);
  if (record == G_MAXUINT32)
    return FALSE;

  if (self->popover == NULL)
    {
      self->popover = gtk_popover_new ();
      gtk_widget_set_parent (self->popover, GTK_WIDGET (self));
    }
  gtk_popover_set_child (GTK_POPOVER (self->popover), segment_details (self, record));
  gtk_popover_set_pointing_to (GTK_POPOVER (self->popover), &(GdkRectangle) { x, y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->popover));
  return TRUE;
}

static void
pressed_cb (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            TlViewWidget    *self)
{
  if (self->view == TL_VIEW_LADDER && self->session != NULL)
    tl_view_widget_pick_segment (self, x, y);
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
      g_value_set_uint (value, self->view);
      break;
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_FONT_SCALE:
      g_value_set_double (value, self->font_scale);
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
      tl_view_widget_set_view (self, g_value_get_uint (value));
      break;
    case PROP_SESSION:
      tl_view_widget_set_session (self, g_value_get_object (value));
      break;
    case PROP_FONT_SCALE:
      tl_view_widget_set_font_scale (self, g_value_get_double (value));
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

  /* A TlView value: 0 diagram, 1 ladder, 2 timers, 3 sockets. */
  properties[PROP_VIEW] =
    g_param_spec_uint ("view", NULL, NULL, TL_VIEW_DIAGRAM, TL_VIEW_ALL, TL_VIEW_DIAGRAM,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, TL_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FONT_SCALE] =
    g_param_spec_double ("font-scale", NULL, NULL, 0.5, 4.0, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Something to tell the user (an intervention that could not be made). */
  signals[NOTICE] = g_signal_new ("notice", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_css_name (widget_class, "tlview");
}

static void
tl_view_widget_init (TlViewWidget *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  self->font_scale = 1.0;
  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
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
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
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
