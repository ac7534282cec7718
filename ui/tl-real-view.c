/* tl-real-view.c: "Real Linux" beside "Simulated".
 *
 * The real kernel's run of a lesson is recorded once (as root) and kept
 * beside the lesson as its sidecar, FILE.lesson.real (core/tl-trace-file.c);
 * this view reads it whenever the session's file changes, checks that it was
 * recorded from the lesson as it is now (a stale recording is said so, and
 * not shown as this lesson's), compares it with the simulation
 * (tl_trace_diff) whenever the simulation changes, and draws both with the
 * session's playhead (tl_render_compare).  A line above says what is shown,
 * or why nothing is.  "Record on this kernel…" plays the lesson as its file
 * says on the kernel (tl_real_play, in a thread: real time, with progress
 * and Cancel) and saves the sidecar; where a real run cannot start
 * (tl_real_available), the line says why and the sidecar still plays.
 */
#include "tl-config.h"

#include <sys/utsname.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tl-lesson.h"
#include "tl-real-view.h"
#include "tl-real.h"
#include "tl-render.h"
#include "tl-trace-diff.h"
#include "tl-trace-file.h"
#include "tl-window-private.h"

struct _TlRealView
{
  GtkBox          parent_instance;

  TlSession      *session;
  GtkLabel       *status_label;
  GtkButton      *record_button;
  GtkProgressBar *progress;
  GtkButton      *cancel_button;
  GtkDrawingArea *area;

  gboolean        available;     /* a real run can start here */
  char           *unavailable;   /* else why not */
  GCancellable   *cancel;        /* a recording runs */
  gint64          started_us;
  double          expected_s;
  guint           progress_id;

  TlTrace        *real;       /* the sidecar's run, or NULL */
  GArray         *diffs;      /* of TlDiff, or NULL */
  char           *status;
  guint           marks_drawn;
};

G_DEFINE_FINAL_TYPE (TlRealView, tl_real_view, GTK_TYPE_BOX)

static const char *
translate (const char *msgid)
{
  return _(msgid);
}

/* The status, and why a recording cannot be made here when it cannot. */
static void
set_status (TlRealView *self,
            char       *status)
{
  g_free (self->status);
  if (!self->available && self->unavailable != NULL)
    {
      /* TRANSLATORS: the status line, then why this machine cannot record */
      self->status = g_strdup_printf (_("%s Recording here is not possible: %s"), status,
                                      self->unavailable);
      g_free (status);
    }
  else
    self->status = status;
  gtk_label_set_text (self->status_label, self->status);
}

static void
update_diffs (TlRealView *self)
{
  const TlTrace *sim = self->session != NULL ? tl_session_get_trace (self->session) : NULL;

  g_clear_pointer (&self->diffs, g_array_unref);
  if (self->real != NULL && sim != NULL)
    self->diffs = tl_trace_diff (sim, self->real, NULL);
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
}

/* The sidecar of the session's file: read, checked against the lesson. */
static void
load_sidecar (TlRealView *self)
{
  GFile *file = self->session != NULL ? tl_session_get_file (self->session) : NULL;
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
  g_autofree char *sidecar = NULL;
  g_autofree char *base = NULL;
  g_autofree char *lesson = NULL;
  g_autoptr (GError) error = NULL;
  TlTraceFileInfo info = { 0 };
  gsize len = 0;

  g_clear_pointer (&self->real, tl_trace_free);
  if (path == NULL)
    {
      set_status (self, g_strdup (_("This lesson has no file: a real run is recorded for a "
                                    "lesson file.")));
      update_diffs (self);
      return;
    }
  sidecar = tl_trace_file_sidecar_path (path);
  base = g_path_get_basename (sidecar);
  if (!g_file_test (sidecar, G_FILE_TEST_EXISTS))
    set_status (self, g_strdup_printf (_("No recording of this lesson on a real kernel (%s)."),
                                       base));
  else if ((self->real = tl_trace_file_load (sidecar, translate, &info, &error)) == NULL)
    set_status (self, g_strdup_printf (_("The recording cannot be read: %s"), error->message));
  else if (!g_file_get_contents (path, &lesson, &len, NULL)
           || !tl_trace_file_matches (&info, lesson, len))
    {
      /* Recorded from another version of the lesson: its differences
       * would be the edits', not the kernel's. */
      g_clear_pointer (&self->real, tl_trace_free);
      set_status (self, g_strdup_printf (_("%s is stale: the lesson changed since it was "
                                           "recorded. Record it again."), base));
    }
  else
    set_status (self, g_strdup_printf (_("Real Linux: %s, recorded on %s."), base,
                                       *info.origin != '\0' ? info.origin : _("an unnamed kernel")));
  tl_trace_file_info_clear (&info);
  update_diffs (self);
}

/* ---------------------------------------------------------- recording */

/* What the thread plays: the lesson as its file says, not the session's
 * interventions; the hash of the text it was read from. */
typedef struct
{
  TlScenario *scenario;
  char       *lesson_path;
  char       *hash;
} Recording;

static void
recording_free (gpointer data)
{
  Recording *rec = data;

  tl_scenario_free (rec->scenario);
  g_free (rec->lesson_path);
  g_free (rec->hash);
  g_free (rec);
}

static void
record_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancel)
{
  Recording *rec = task_data;
  TlRealOptions opts = { FALSE, NULL };
  GError *error = NULL;
  TlTrace *trace = tl_real_play (rec->scenario, &opts, cancel, &error);

  if (trace == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, trace, (GDestroyNotify) tl_trace_free);
}

static void
recording_shown (TlRealView *self,
                 gboolean    recording)
{
  gtk_widget_set_visible (GTK_WIDGET (self->progress), recording);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), recording);
  gtk_widget_set_sensitive (GTK_WIDGET (self->record_button), !recording && self->available);
  if (!recording)
    g_clear_handle_id (&self->progress_id, g_source_remove);
}

static void
record_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  TlRealView *self = TL_REAL_VIEW (source);
  Recording *rec = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  g_autoptr (TlTrace) trace = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *sidecar = tl_trace_file_sidecar_path (rec->lesson_path);
  g_autofree char *origin = NULL;
  struct utsname un;

  g_clear_object (&self->cancel);
  recording_shown (self, FALSE);
  if (trace == NULL)
    {
      set_status (self, g_strdup_printf (_("The recording failed: %s"), error->message));
      return;
    }
  origin = uname (&un) == 0 ? g_strdup_printf ("%s %s", un.sysname, un.release) : g_strdup ("");
  /* Asked before it started (confirm_record): the old recording is replaced. */
  if (!tl_trace_file_save (sidecar, trace, rec->hash, origin, TRUE, &error))
    {
      set_status (self, g_strdup_printf (_("The recording cannot be saved: %s"), error->message));
      return;
    }
  load_sidecar (self);
}

static gboolean
progress_tick (gpointer user_data)
{
  TlRealView *self = user_data;
  double elapsed = (g_get_monotonic_time () - self->started_us) / (double) G_USEC_PER_SEC;

  gtk_progress_bar_set_fraction (self->progress, CLAMP (elapsed / self->expected_s, 0.0, 1.0));
  return G_SOURCE_CONTINUE;
}

static void
start_recording (TlRealView *self)
{
  GFile *file = tl_session_get_file (self->session);
  Recording *rec = g_new0 (Recording, 1);
  g_autoptr (GTask) task = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  const TlTrace *sim = tl_session_get_trace (self->session);
  gsize len = 0;

  rec->lesson_path = g_file_get_path (file);
  if (rec->lesson_path == NULL || !g_file_get_contents (rec->lesson_path, &text, &len, &error)
      || (rec->scenario = tl_lesson_parse (text, len, rec->lesson_path, NULL, &error)) == NULL)
    {
      set_status (self, g_strdup_printf (_("The recording failed: %s"),
                                         error != NULL ? error->message : ""));
      recording_free (rec);
      return;
    }
  rec->hash = tl_trace_file_lesson_hash (text, len);
  self->cancel = g_cancellable_new ();
  task = g_task_new (self, self->cancel, record_done, NULL);
  g_task_set_task_data (task, rec, recording_free);
  /* Real time: the lesson's length, and about a second to set up. */
  self->started_us = g_get_monotonic_time ();
  self->expected_s = (sim != NULL ? tl_trace_end_time (sim) / (double) G_USEC_PER_SEC : 0) + 1.0;
  gtk_progress_bar_set_fraction (self->progress, 0);
  self->progress_id = g_timeout_add (100, progress_tick, self);
  recording_shown (self, TRUE);
  set_status (self, g_strdup_printf (_("Recording on this kernel, in real time (about %.0f s)…"),
                                     self->expected_s));
  g_task_run_in_thread (task, record_thread);
}

static void
confirm_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     TlRealView       *self)
{
  if (g_str_equal (response, "record"))
    start_recording (self);
}

static void
record_clicked_cb (TlRealView *self)
{
  GFile *file = tl_session_get_file (self->session);
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
  g_autofree char *sidecar = path != NULL ? tl_trace_file_sidecar_path (path) : NULL;
  g_autofree char *base = sidecar != NULL ? g_path_get_basename (sidecar) : NULL;
  GtkWidget *dialog;

  if (path == NULL || self->cancel != NULL)
    return;
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   _("Record on this kernel?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
    g_file_test (sidecar, G_FILE_TEST_EXISTS)
    ? _("The lesson plays on this machine's kernel in real time, in network namespaces of its "
        "own, and replaces the recording %s.")
    : _("The lesson plays on this machine's kernel in real time, in network namespaces of its "
        "own, and is saved as %s."), base);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "record", _("_Record"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "record",
                                              ADW_RESPONSE_SUGGESTED);
  g_signal_connect_object (dialog, "response", G_CALLBACK (confirm_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
cancel_clicked_cb (TlRealView *self)
{
  if (self->cancel != NULL)
    g_cancellable_cancel (self->cancel);
}

static void
draw_cb (GtkDrawingArea *area,
         cairo_t        *cr,
         int             width,
         int             height,
         gpointer        user_data)
{
  TlRealView *self = user_data;
  const TlTrace *sim = self->session != NULL ? tl_session_get_trace (self->session) : NULL;
  TlRenderStyle style;

  self->marks_drawn = 0;
  tl_render_style_init (&style);
  style.dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  style.locale = tl_session_get_locale (self->session);
  if (sim == NULL || self->real == NULL)
    {
      /* The simulation alone, as the window shows it, under the status line. */
      if (sim != NULL)
        tl_render_view (cr, TL_VIEW_LADDER, sim, tl_session_get_time (self->session),
                        width, height, &style);
      return;
    }
  self->marks_drawn = tl_render_compare (cr, sim, self->real, self->diffs,
                                         tl_session_get_time (self->session),
                                         width, height, &style);
}

static void
time_changed_cb (TlRealView *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
}

static void
tl_real_view_dispose (GObject *object)
{
  TlRealView *self = TL_REAL_VIEW (object);

  if (self->cancel != NULL)
    g_cancellable_cancel (self->cancel);
  g_clear_object (&self->cancel);
  g_clear_handle_id (&self->progress_id, g_source_remove);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  g_clear_pointer (&self->real, tl_trace_free);
  g_clear_pointer (&self->diffs, g_array_unref);
  g_clear_pointer (&self->status, g_free);
  g_clear_pointer (&self->unavailable, g_free);
  G_OBJECT_CLASS (tl_real_view_parent_class)->dispose (object);
}

static void
tl_real_view_class_init (TlRealViewClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = tl_real_view_dispose;
}

static void
tl_real_view_init (TlRealView *self)
{
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  self->status_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->status_label, TRUE);
  gtk_label_set_xalign (self->status_label, 0);
  gtk_widget_set_margin_start (GTK_WIDGET (self->status_label), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->status_label), 12);
  /* Read from the back of a room: at least the views' smallest text. */
  {
    PangoAttrList *attrs = pango_attr_list_new ();

    pango_attr_list_insert (attrs, pango_attr_size_new_absolute (18 * PANGO_SCALE));
    gtk_label_set_attributes (self->status_label, attrs);
    pango_attr_list_unref (attrs);
  }
  gtk_widget_set_hexpand (GTK_WIDGET (self->status_label), TRUE);

  self->record_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("Record on this _kernel…")));
  self->progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_widget_set_valign (GTK_WIDGET (self->progress), GTK_ALIGN_CENTER);
  gtk_widget_set_size_request (GTK_WIDGET (self->progress), 160, -1);
  self->cancel_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Cancel")));
  g_signal_connect_swapped (self->record_button, "clicked", G_CALLBACK (record_clicked_cb), self);
  g_signal_connect_swapped (self->cancel_button, "clicked", G_CALLBACK (cancel_clicked_cb), self);
  {
    GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);

    gtk_widget_set_margin_end (bar, 12);
    gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->status_label));
    gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->progress));
    gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->cancel_button));
    gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->record_button));
    gtk_box_append (GTK_BOX (self), bar);
  }

  self->area = GTK_DRAWING_AREA (gtk_drawing_area_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (self->area), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self->area), TRUE);
  gtk_drawing_area_set_draw_func (self->area, draw_cb, self, NULL);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->area));
}

GtkWidget *
tl_real_view_new (TlSession *session)
{
  TlRealView *self = g_object_new (TL_TYPE_REAL_VIEW, NULL);

  g_return_val_if_fail (TL_IS_SESSION (session), NULL);

  self->session = g_object_ref (session);
  {
    g_autoptr (GError) error = NULL;

    self->available = tl_real_available (&error);
    if (!self->available)
      self->unavailable = g_strdup (error->message);
  }
  recording_shown (self, FALSE);
  g_signal_connect_swapped (session, "notify::file", G_CALLBACK (load_sidecar), self);
  g_signal_connect_swapped (session, "notify::trace", G_CALLBACK (update_diffs), self);
  g_signal_connect_swapped (session, "notify::time", G_CALLBACK (time_changed_cb), self);
  load_sidecar (self);
  return GTK_WIDGET (self);
}

const TlTrace *
tl_real_view_get_real (TlRealView *self)
{
  g_return_val_if_fail (TL_IS_REAL_VIEW (self), NULL);
  return self->real;
}

const GArray *
tl_real_view_get_diffs (TlRealView *self)
{
  g_return_val_if_fail (TL_IS_REAL_VIEW (self), NULL);
  return self->diffs;
}

const char *
tl_real_view_get_status (TlRealView *self)
{
  g_return_val_if_fail (TL_IS_REAL_VIEW (self), NULL);
  return self->status;
}

guint
tl_real_view_marks_drawn (TlRealView *self)
{
  g_return_val_if_fail (TL_IS_REAL_VIEW (self), 0);
  return self->marks_drawn;
}

/* ------------------------------------------------------------ the window */

#define REAL_VIEW_KEY "tl-real-view"

TlRealView *
tl_real_view_get (TlWindow *window)
{
  g_return_val_if_fail (TL_IS_WINDOW (window), NULL);
  return g_object_get_data (G_OBJECT (window), REAL_VIEW_KEY);
}

/* Shown: the real view takes the place of the diagram and the ladder (the
 * timers and tables below stay the simulation's). */
static void
real_linux_change_cb (GSimpleAction *action,
                      GVariant      *value,
                      TlWindow      *window)
{
  TlRealView *self = tl_real_view_get (window);
  gboolean on = g_variant_get_boolean (value);

  g_simple_action_set_state (action, value);
  gtk_paned_set_start_child (window->tables_paned,
                             on ? GTK_WIDGET (self) : GTK_WIDGET (window->views_paned));
}

void
tl_real_view_add_to_window (TlWindow *window)
{
  g_autoptr (GSimpleAction) action = NULL;
  GtkEventController *keys;
  GtkWidget *view;

  g_return_if_fail (TL_IS_WINDOW (window));

  view = tl_real_view_new (window->session);
  /* Both stay alive while the other is in the paned. */
  g_object_set_data_full (G_OBJECT (window), REAL_VIEW_KEY, g_object_ref_sink (view),
                          g_object_unref);
  g_object_set_data_full (G_OBJECT (window), "tl-real-view-views",
                          g_object_ref (window->views_paned), g_object_unref);

  action = g_simple_action_new_stateful ("real-linux", NULL, g_variant_new_boolean (FALSE));
  g_signal_connect (action, "change-state", G_CALLBACK (real_linux_change_cb), window);
  g_action_map_add_action (G_ACTION_MAP (window), G_ACTION (action));

  /* In the main menu, not the header bar: at 1024 px the header bar has no
   * room left for another button (the window grew past the screen). */
  keys = gtk_shortcut_controller_new ();
  gtk_event_controller_set_name (keys, "tl-real-view-keys");
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
    gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_F6, 0),
                      gtk_named_action_new ("win.real-linux")));
  gtk_widget_add_controller (GTK_WIDGET (window), keys);
}
