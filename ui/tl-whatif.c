/* tl-whatif.c: a what-if that knows it changed the story (tl-whatif.h).
 *
 * Beside the window, as tl-questions.c is: the state lives on the window as
 * object data; everything shown is a function of the session (its two
 * traces, the departure it found, the playhead).
 */
#include "tl-config.h"

#include "tl-whatif.h"

#include <glib/gi18n.h>

#include "tl-causes.h"
#include "tl-window-private.h"
#include "tl-render.h"

#define WHATIF_KEY "tl-whatif"

typedef struct
{
  TlWindow  *window;   /* not owned */
  GtkWidget *box;      /* the line and its buttons, above the narration */
  GtkWidget *line;
  gboolean   shown;    /* the line says where the run departed */
} Whatif;

static Whatif *
whatif_of (TlWindow *window)
{
  return g_object_get_data (G_OBJECT (window), WHATIF_KEY);
}

static char *
format_ms (gint64 us)
{
  return g_strdup_printf (_("%.0f ms"), (double) us / TL_USEC_PER_MSEC);
}

static gboolean
same_segment (const TlRecord *a,
              const TlRecord *b)
{
  return a->kind == TL_REC_SEGMENT && b->kind == TL_REC_SEGMENT && a->host == b->host
         && a->u.seg.flags == b->u.seg.flags && a->u.seg.seq == b->u.seg.seq;
}

static gboolean
is_lost (const TlRecord *rec)
{
  return rec->u.seg.fate == TL_FATE_LOST_RANDOM || rec->u.seg.fate == TL_FATE_LOST_SCRIPTED
         || rec->u.seg.fate == TL_FATE_LOST_LINK_DOWN;
}

/* What happened at the departure, as the end of "Your change at 548 ms: ...":
 * rc is the changed run's first record that differs, rw the written run's
 * (either NULL where that run had ended). */
static char *
describe_difference (const TlTrace  *trace,
                     const TlRecord *rw,
                     const TlRecord *rc)
{
  /* the host of each record, cut as the views cut it */
  g_autofree char *rc_host = rc != NULL ? tl_render_host_name (trace, rc->host) : NULL;
  g_autofree char *rw_host = rw != NULL ? tl_render_host_name (trace, rw->host) : NULL;
  char f1[24], f2[24];

  if (rc != NULL && rc->kind == TL_REC_SEGMENT)
    {
      const char *from = rc_host;

      tl_flags_to_string (rc->u.seg.flags, f1);
      if (rw != NULL && same_segment (rw, rc) && is_lost (rc) && !is_lost (rw))
        return g_strdup_printf (_("the %s from %s was lost"), f1, from);
      if (rc->u.seg.fate == TL_FATE_DUPLICATE)
        return g_strdup_printf (_("the link delivered the %s from %s twice"), f1, from);
      if (rw != NULL && same_segment (rw, rc) && rw->u.seg.delay_us != rc->u.seg.delay_us)
        {
          g_autofree char *took = format_ms (rc->u.seg.delay_us);
          g_autofree char *was = format_ms (rw->u.seg.delay_us);

          return g_strdup_printf (_("the %s from %s took %s to cross instead of %s"),
                                  f1, from, took, was);
        }
      if (rw != NULL && rw->kind == TL_REC_SEGMENT && rw->host == rc->host)
        return g_strdup_printf (_("%s sent %s where the lesson sends %s"), from, f1,
                                tl_flags_to_string (rw->u.seg.flags, f2));
      return g_strdup_printf (_("%s sent %s"), from, f1);
    }
  if (rc != NULL && rc->kind == TL_REC_HOST)
    return g_strdup_printf (rc->u.app.call == TL_CALL_CRASH ? _("%s crashed") : _("%s rebooted"),
                            rc_host);
  if (rc != NULL && rc->kind == TL_REC_APP && tl_causes_call_name (rc->u.app.call) != NULL)
    return g_strdup_printf (_("%s called %s"), rc_host,
                            tl_causes_call_name (rc->u.app.call));
  if (rc != NULL && rc->kind == TL_REC_STATE)
    {
      const char *who = rc_host;

      if (rw != NULL && rw->kind == TL_REC_STATE && rw->host == rc->host)
        return g_strdup_printf (_("%s went to %s, not to %s"), who,
                                tl_state_name (rc->u.state.to), tl_state_name (rw->u.state.to));
      return g_strdup_printf (_("%s went to %s"), who, tl_state_name (rc->u.state.to));
    }
  if (rw != NULL && rw->kind == TL_REC_SEGMENT)
    return g_strdup_printf (_("%s did not send the %s of the lesson"),
                            rw_host, tl_flags_to_string (rw->u.seg.flags, f1));
  if (rw != NULL && rw->kind == TL_REC_STATE)
    return g_strdup_printf (_("%s did not go to %s"), rw_host,
                            tl_state_name (rw->u.state.to));
  return g_strdup (_("the run took another course"));
}

char *
tl_whatif_describe (TlSession *session)
{
  TlSessionDeparture d;
  const TlTrace *written, *trace;
  const TlRecord *rw, *rc;
  g_autofree char *when = NULL;
  g_autofree char *what = NULL;

  g_return_val_if_fail (TL_IS_SESSION (session), NULL);

  if (!tl_session_get_departure (session, &d))
    return NULL;
  written = tl_session_get_written_trace (session);
  trace = tl_session_get_trace (session);
  rw = d.written < tl_trace_n_records (written) ? tl_trace_record (written, d.written) : NULL;
  rc = d.changed < tl_trace_n_records (trace) ? tl_trace_record (trace, d.changed) : NULL;
  when = format_ms (d.change_us);
  what = describe_difference (trace, rw, rc);
  /* TRANSLATORS: the first %s is a time ("548 ms"), the second what
   * changed there ("the FIN,ACK from client was lost") */
  return g_strdup_printf (_("Your change at %s: %s. From here the lesson's text describes "
                            "the original run."), when, what);
}

static const char *const action_names[] = { "undo", "back-to-lesson" };

/* The line follows the playhead: it says where the run departs once the
 * playhead is there; before, only that the lesson was changed. */
static void
update (Whatif *w)
{
  TlSession *session = w->window->session;
  TlSessionDeparture d;
  gboolean departs = tl_session_get_departure (session, &d);
  gint64 now = tl_session_get_time (session);
  g_autofree char *text = NULL;

  gtk_widget_set_visible (w->box, tl_session_get_modified (session));
  w->shown = departs && now >= d.time_us;
  if (w->shown)
    text = tl_whatif_describe (session);
  else if (departs)
    {
      g_autofree char *at = format_ms (d.time_us);

      text = g_strdup_printf (_("You changed this lesson: its run departs from the lesson as "
                                "written at %s."), at);
    }
  else
    text = g_strdup (_("You changed this lesson, but its run is the same as the lesson as "
                       "written."));
  gtk_label_set_text (GTK_LABEL (w->line), text);
  if (w->shown)
    gtk_widget_add_css_class (w->line, "departed");
  else
    gtk_widget_remove_css_class (w->line, "departed");
  for (guint i = 0; i < G_N_ELEMENTS (action_names); i++)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (
                                   G_ACTION_MAP (w->window), action_names[i])),
                                 tl_session_get_modified (session));
  tl_whatif_mark_narration (w->window);
}

static void
session_changed_cb (TlWindow *window)
{
  update (whatif_of (window));
}

void
tl_whatif_mark_narration (TlWindow *window)
{
  Whatif *w = whatif_of (window);
  TlSessionDeparture d;
  GtkWidget *label = GTK_WIDGET (window->narration_label);
  gboolean original;

  if (w == NULL)
    return;
  original = tl_session_get_departure (window->session, &d)
             && tl_session_get_time (window->session) >= d.time_us;
  if (original)
    gtk_widget_add_css_class (label, "as-written");
  else
    gtk_widget_remove_css_class (label, "as-written");
  /* The mark is in the text too, for a projector that washes out grey. */
  if (original && *gtk_label_get_text (GTK_LABEL (label)) != '\0'
      && !g_str_has_prefix (gtk_label_get_text (GTK_LABEL (label)), _("As written: ")))
    {
      g_autofree char *marked = g_strconcat (_("As written: "),
                                             gtk_label_get_text (GTK_LABEL (label)), NULL);

      gtk_label_set_text (GTK_LABEL (label), marked);
    }
}

static void
undo_cb (GSimpleAction *action,
         GVariant      *parameter,
         gpointer       user_data)
{
  Whatif *w = user_data;

  tl_session_undo (w->window->session);
}

static void
back_cb (GSimpleAction *action,
         GVariant      *parameter,
         gpointer       user_data)
{
  Whatif *w = user_data;

  tl_session_back_to_written (w->window->session);
}

static const GActionEntry whatif_actions[] = {
  { .name = "undo", .activate = undo_cb },
  { .name = "back-to-lesson", .activate = back_cb },
};

static GtkWidget *
button_new (const char *label,
            const char *action,
            const char *tooltip)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_focus_on_click (button, FALSE);
  return button;
}

void
tl_whatif_init (TlWindow *window)
{
  Whatif *w = g_new0 (Whatif, 1);
  GtkWidget *narration_parent = gtk_widget_get_parent (GTK_WIDGET (window->narration_label));
  GtkEventController *keys = gtk_shortcut_controller_new ();

  g_return_if_fail (TL_IS_WINDOW (window));

  w->window = window;
  g_object_set_data_full (G_OBJECT (window), WHATIF_KEY, w, g_free);
  g_action_map_add_action_entries (G_ACTION_MAP (window), whatif_actions,
                                   G_N_ELEMENTS (whatif_actions), w);

  w->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_add_css_class (w->box, "whatif");
  w->line = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (w->line), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (w->line), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (w->line), 0.0);
  gtk_widget_set_hexpand (w->line, TRUE);
  gtk_box_append (GTK_BOX (w->box), w->line);
  gtk_box_append (GTK_BOX (w->box),
                  button_new (_("_Undo"), "win.undo", _("Take back the last change (Ctrl+Z)")));
  gtk_box_append (GTK_BOX (w->box),
                  button_new (_("_Back to the Lesson as Written"), "win.back-to-lesson",
                              _("Take back every change (Ctrl+Shift+Z)")));
  gtk_box_prepend (GTK_BOX (narration_parent), w->box);

  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
    gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("<Control>z"),
                      gtk_named_action_new ("win.undo")));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
    gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("<Control><Shift>z"),
                      gtk_named_action_new ("win.back-to-lesson")));
  gtk_widget_add_controller (GTK_WIDGET (window), keys);

  /* Through the window, so that they end with it. */
  g_signal_connect_object (window->session, "notify::time", G_CALLBACK (session_changed_cb), window,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (window->session, "notify::trace", G_CALLBACK (session_changed_cb), window,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (window->session, "notify::modified", G_CALLBACK (session_changed_cb), window,
                           G_CONNECT_SWAPPED);
  update (w);
}

const char *
tl_whatif_get_line (TlWindow *window)
{
  Whatif *w = whatif_of (window);

  return w != NULL && gtk_widget_get_visible (w->box) ? gtk_label_get_text (GTK_LABEL (w->line))
                                                      : NULL;
}
