/* tl-segment-popover.c: a segment picked in the ladder.
 *
 * Its fields (relative numbers as Wireshark shows them, with the absolute
 * ones), its fate, and two interventions at the playhead: on the wire, `lose`
 * or `duplicate` it (and any other segment like it on the wire then, which
 * the statement takes too: the labels say so); not sent yet, `drop next` or
 * `duplicate next` of the next segment like it.  A segment already arrived,
 * or lost by the link, is history and offers none.
 */
#include "tl-config.h"

#include <glib/gi18n.h>

#include "tl-causes.h"
#include "tl-segment-popover.h"
#include "tl-render.h"

typedef gboolean (*TlInterveneFunc) (TlSession  *session,
                                     int         dir,
                                     guint8      flags,
                                     GError    **error);

struct _TlSegmentPopover
{
  GtkPopover       parent_instance;

  TlSession       *session;
  int              dir;
  guint8           flags;
  TlInterveneFunc  drop_func;
  TlInterveneFunc  duplicate_func;
  char            *dropped;       /* the notice once it is done */
  char            *duplicated;

  GtkLabel        *heading;
  GtkLabel        *flags_value;
  GtkLabel        *seq_value;
  GtkLabel        *ack_value;
  GtkLabel        *win_value;
  GtkLabel        *cwnd_label;
  GtkLabel        *cwnd_value;
  GtkLabel        *len_value;
  GtkLabel        *options_value;
  GtkLabel        *fate_value;
  GtkLabel        *note;
  GtkLabel        *effects;       /* the state changes its arrival made */
  GtkButton       *drop_button;
  GtkButton       *duplicate_button;
};

G_DEFINE_FINAL_TYPE (TlSegmentPopover, tl_segment_popover, GTK_TYPE_POPOVER)

enum
{
  NOTICE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* "20 segments, ssthresh 28" (linux) or "4380 bytes, ssthresh none" (rfc) */
static char *
cwnd_text (const TlRecord *cw)
{
  g_autofree char *cwnd = NULL;
  g_autofree char *ssthresh = NULL;

  if (cw->u.cwnd.bytes)
    cwnd = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u byte", "%u bytes", cw->u.cwnd.cwnd),
                            cw->u.cwnd.cwnd);
  else
    cwnd = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u segment", "%u segments", cw->u.cwnd.cwnd),
                            cw->u.cwnd.cwnd);
  if (tl_cwnd_ssthresh_set (cw))
    ssthresh = g_strdup_printf ("%u", cw->u.cwnd.ssthresh);
  else
    /* TRANSLATORS: no slow start threshold yet (before the first loss) */
    ssthresh = g_strdup (_("none yet"));
  /* TRANSLATORS: the congestion window, then the slow start threshold */
  return g_strdup_printf (_("%s (ssthresh %s)"), cwnd, ssthresh);
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
intervene (TlSegmentPopover *self,
           TlInterveneFunc   func,
           const char       *done)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlSession) session = g_object_ref (self->session);
  g_autofree char *notice = g_strdup (done);

  gtk_popover_popdown (GTK_POPOVER (self));
  if (func (session, self->dir, self->flags, &error))
    g_signal_emit (self, signals[NOTICE], 0, notice);
  else
    g_signal_emit (self, signals[NOTICE], 0, error->message);
}

static void
drop_clicked_cb (TlSegmentPopover *self)
{
  intervene (self, self->drop_func, self->dropped);
}

static void
duplicate_clicked_cb (TlSegmentPopover *self)
{
  intervene (self, self->duplicate_func, self->duplicated);
}

/* The labels and actions for a segment on the wire, n of them like it. */
static void
set_on_wire (TlSegmentPopover *self,
             const char       *flags,
             const char       *from,
             const char       *to,
             guint             n)
{
  g_autofree char *drop = NULL;
  g_autofree char *dup = NULL;

  self->drop_func = tl_session_lose_on_wire;
  self->duplicate_func = tl_session_duplicate_on_wire;
  gtk_label_set_label (self->note, _("This segment is on the wire now. "
                                     "What if it met another fate?"));
  if (n == 1)
    {
      drop = g_strdup (_("Drop this segment"));
      dup = g_strdup (_("Duplicate this segment"));
      self->dropped = g_strdup_printf (_("The %s from %s to %s is lost on the wire"),
                                       flags, from, to);
      self->duplicated = g_strdup_printf (_("The %s from %s to %s will arrive twice"),
                                          flags, from, to);
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
      self->dropped = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                    "%u %s segment from %s to %s is lost on the wire",
                                                    "%u %s segments from %s to %s are lost on the wire", n),
                                       n, flags, from, to);
      self->duplicated = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                       "%u %s segment from %s to %s will arrive twice",
                                                       "%u %s segments from %s to %s will arrive twice", n),
                                          n, flags, from, to);
    }
  gtk_button_set_label (self->drop_button, drop);
  gtk_button_set_label (self->duplicate_button, dup);
}

/* The labels and actions for a segment not sent yet: the next one like it. */
static void
set_next (TlSegmentPopover *self,
          const char       *flags,
          const char       *from,
          const char       *to)
{
  g_autofree char *drop = g_strdup_printf (_("Drop the next %s from %s to %s"), flags, from, to);
  g_autofree char *dup = g_strdup_printf (_("Duplicate the next %s from %s to %s"),
                                          flags, from, to);

  self->drop_func = tl_session_drop_next;
  self->duplicate_func = tl_session_duplicate_next;
  gtk_label_set_label (self->note, _("This segment is not sent yet. "
                                     "What if the next one like it met another fate?"));
  self->dropped = g_strdup_printf (_("The next %s from %s to %s will be lost"), flags, from, to);
  self->duplicated = g_strdup_printf (_("The next %s from %s to %s will arrive twice"),
                                      flags, from, to);
  gtk_button_set_label (self->drop_button, drop);
  gtk_button_set_label (self->duplicate_button, dup);
}

/* One line per option: what tcpdump shows, in words (SACK blocks relative
 * to base, as the ack field is). */
static char *
options_text (const TlSegmentOptions *o,
              guint32                 base)
{
  GString *text = g_string_new (NULL);

  if (o->mss != 0)
    g_string_append_printf (text, _("MSS %u"), o->mss);
  if (o->bits & TL_OPT_SACK_PERM)
    g_string_append_printf (text, "%s%s", text->len > 0 ? "\n" : "", _("SACK permitted"));
  if (o->bits & TL_OPT_TS)
    {
      g_string_append (text, text->len > 0 ? "\n" : "");
      g_string_append_printf (text, _("timestamps: TSval %u, TSecr %u"), o->tsval, o->tsecr);
    }
  if (o->bits & TL_OPT_WSCALE)
    {
      g_string_append (text, text->len > 0 ? "\n" : "");
      g_string_append_printf (text, _("window scale: shift %u (× %u)"), o->wscale, 1u << o->wscale);
    }
  for (guint b = 0; b < o->n_sack; b++)
    {
      g_string_append (text, text->len > 0 ? "\n" : "");
      /* TRANSLATORS: a SACK block (RFC 2018): the sequence numbers it covers */
      g_string_append_printf (text, _("SACK %u to %u"), o->sack[b].start - base, o->sack[b].end - base);
    }
  if (text->len == 0)
    g_string_append (text, _("none"));
  return g_string_free (text, FALSE);
}

void
tl_segment_popover_show (TlSegmentPopover *self,
                         TlSession        *session,
                         guint32           record)
{
  TlSegmentOptions opts;
  const TlTrace *trace;
  const TlRecord *rec;
  const TlTraceSegment *sh;
  const TlTraceConn *conn;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  gboolean related;
  gboolean on_wire = FALSE, next = FALSE;
  char flags[24];
  g_autofree char *heading = NULL;
  g_autofree char *seq = NULL;
  g_autofree char *ack = NULL;
  g_autofree char *win = NULL;
  g_autofree char *len = NULL;
  g_autofree char *options = NULL;

  g_return_if_fail (TL_IS_SEGMENT_POPOVER (self));
  g_return_if_fail (TL_IS_SESSION (session));

  trace = tl_session_get_trace (session);
  g_return_if_fail (record < tl_trace_n_records (trace));
  rec = tl_trace_record (trace, record);
  g_return_if_fail (rec->kind == TL_REC_SEGMENT);
  sh = tl_trace_segment (trace, rec->u.seg.id);

  g_set_object (&self->session, session);
  g_clear_pointer (&self->dropped, g_free);
  g_clear_pointer (&self->duplicated, g_free);
  self->dir = rec->host;
  self->flags = rec->u.seg.flags;

  conn = rec->conn != TL_NO_CONN ? tl_trace_conn (trace, rec->conn) : NULL;
  related = conn != NULL && tl_trace_segment_peer (trace, rec->u.seg.id) == 0;
  from = tl_render_host_name (trace, rec->host);
  to = tl_render_host_name (trace, 1 - rec->host);
  tl_flags_to_string (rec->u.seg.flags, flags);
  heading = g_strdup_printf (_("%s from %s to %s"), flags, from, to);

  /* Relative numbers, as Wireshark shows them, with the absolute ones. */
  if (related)
    seq = g_strdup_printf (_("%u (absolute %u)"), rec->u.seg.seq - conn->iss, rec->u.seg.seq);
  else
    seq = g_strdup_printf ("%u", rec->u.seg.seq);
  if (!(rec->u.seg.flags & TL_FLAG_ACK))
    ack = g_strdup (_("none (no ACK flag)"));
  else if (related)
    ack = g_strdup_printf (_("%u (absolute %u)"), sh->ack - conn->irs, sh->ack);
  else
    ack = g_strdup_printf ("%u", sh->ack);
  tl_trace_segment_options (trace, rec, &opts);
  if (opts.win_shift > 0)
    /* TRANSLATORS: a scaled window: bytes, then the header's field and the scale factor */
    win = g_strdup_printf (_("%u (field %u × %u)"), tl_trace_segment_window (trace, rec),
                           sh->win, 1u << opts.win_shift);
  else
    win = g_strdup_printf ("%u", sh->win);
  len = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u byte", "%u bytes", rec->u.seg.len),
                         rec->u.seg.len);
  options = options_text (&opts, related && (rec->u.seg.flags & TL_FLAG_ACK) ? conn->irs : 0);

  gtk_label_set_label (self->heading, heading);
  gtk_label_set_label (self->flags_value, flags);
  gtk_label_set_label (self->seq_value, seq);
  gtk_label_set_label (self->ack_value, ack);
  gtk_label_set_label (self->win_value, win);
  {
    /* the sender's congestion window when it sent data (tl-tcp-cc.c) */
    const TlRecord *cw = rec->u.seg.len > 0 && related ? tl_trace_cwnd_before (trace, record) : NULL;
    g_autofree char *cwnd = cw != NULL ? cwnd_text (cw) : NULL;

    gtk_label_set_label (self->cwnd_value, cwnd != NULL ? cwnd : "");
    gtk_widget_set_visible (GTK_WIDGET (self->cwnd_label), cwnd != NULL);
    gtk_widget_set_visible (GTK_WIDGET (self->cwnd_value), cwnd != NULL);
  }
  gtk_label_set_label (self->len_value, len);
  gtk_label_set_label (self->options_value, options);
  gtk_label_set_label (self->fate_value, fate_text (rec->u.seg.fate));
  {
    /* not before it arrived: that is what a class is asked to predict */
    g_autofree char *effects = rec->time_us + rec->u.seg.delay_us <= tl_session_get_time (session)
                               ? tl_causes_of_segment (trace, record) : NULL;

    gtk_label_set_label (self->effects, effects != NULL ? effects : "");
    gtk_widget_set_visible (GTK_WIDGET (self->effects), effects != NULL);
  }

  if (tl_trace_segment_peer (trace, rec->u.seg.id) == 0
      && (rec->u.seg.fate == TL_FATE_DELIVERED || rec->u.seg.fate == TL_FATE_DUPLICATE))
    {
      gint64 now = tl_session_get_time (session);
      guint n = tl_session_count_on_wire (session, rec->host, rec->u.seg.flags);

      on_wire = rec->time_us <= now && rec->time_us + rec->u.seg.delay_us > now && n > 0;
      next = rec->time_us > now;
      if (on_wire)
        set_on_wire (self, flags, from, to, n);
      else if (next)
        set_next (self, flags, from, to);
    }
  {
    /* an IPv6 capture: the buttons stay, greyed, saying why */
    const char *off = tl_session_get_whatifs_off (session);

    gtk_widget_set_sensitive (GTK_WIDGET (self->drop_button), off == NULL);
    gtk_widget_set_sensitive (GTK_WIDGET (self->duplicate_button), off == NULL);
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->drop_button), off);
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->duplicate_button), off);
    if (off != NULL && (on_wire || next))
      gtk_label_set_label (self->note, off);
  }
  gtk_widget_set_visible (GTK_WIDGET (self->note), on_wire || next);
  gtk_widget_set_visible (GTK_WIDGET (self->drop_button), on_wire || next);
  gtk_widget_set_visible (GTK_WIDGET (self->duplicate_button), on_wire || next);
  if (!on_wire && !next)
    {
      /* history: no labels left behind that name an intervention */
      gtk_button_set_label (self->drop_button, NULL);
      gtk_button_set_label (self->duplicate_button, NULL);
    }
}

TlSegmentPopover *
tl_segment_popover_new (void)
{
  return g_object_new (TL_TYPE_SEGMENT_POPOVER, NULL);
}

static void
tl_segment_popover_dispose (GObject *object)
{
  TlSegmentPopover *self = TL_SEGMENT_POPOVER (object);

  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), TL_TYPE_SEGMENT_POPOVER);

  G_OBJECT_CLASS (tl_segment_popover_parent_class)->dispose (object);
}

static void
tl_segment_popover_finalize (GObject *object)
{
  TlSegmentPopover *self = TL_SEGMENT_POPOVER (object);

  g_free (self->dropped);
  g_free (self->duplicated);

  G_OBJECT_CLASS (tl_segment_popover_parent_class)->finalize (object);
}

static void
tl_segment_popover_class_init (TlSegmentPopoverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tl_segment_popover_dispose;
  object_class->finalize = tl_segment_popover_finalize;

  /* What an intervention did, or why it could not: for a toast. */
  signals[NOTICE] = g_signal_new ("notice", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tcplab/TcpLab/tl-segment-popover.ui");
  gtk_widget_class_bind_template_child (widget_class, TlSegmentPopover, heading);
  gtk_widget_class_bind_template_child (widget_class, TlSegmentPopover, flags_value);
  gtk_widget_class_bind_template_child (widget_class, TlSegmentPopover, seq_value);
  gtk_widget_class_bind_template_child (widget_class, TlSegmentPopover, ack_value);
  gtk_widget_class_bind_template_child (widget_class, TlSegmentPopover, win_value);
  gtk_widget_class_bind_template_child (widget_class, TlSegmentPopover, cwnd_label);
  gtk_widget_class_bind_template_child (widget_class, TlSegmentPopover, cwnd_value);
  gtk_widget_class_bind_template_child (widget_class, TlSegmentPopover, len_value);
  gtk_widget_class_bind_template_child (widget_class, TlSegmentPopover, options_value);
  gtk_widget_class_bind_template_child (widget_class, TlSegmentPopover, fate_value);
  gtk_widget_class_bind_template_child (widget_class, TlSegmentPopover, note);
  gtk_widget_class_bind_template_child (widget_class, TlSegmentPopover, drop_button);
  gtk_widget_class_bind_template_child (widget_class, TlSegmentPopover, duplicate_button);
  gtk_widget_class_bind_template_callback (widget_class, drop_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, duplicate_clicked_cb);
}

static void
tl_segment_popover_init (TlSegmentPopover *self)
{
  GtkWidget *note;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* What its arrival did, under its fields (tl-causes.c). */
  note = GTK_WIDGET (self->note);
  self->effects = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->effects, 0.0);
  gtk_label_set_wrap (self->effects, TRUE);
  gtk_label_set_wrap_mode (self->effects, PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (GTK_WIDGET (self->effects), "heading");
  gtk_box_insert_child_after (GTK_BOX (gtk_widget_get_parent (note)), GTK_WIDGET (self->effects),
                              gtk_widget_get_prev_sibling (note));
}
