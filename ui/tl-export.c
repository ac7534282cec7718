/* tl-export.c: Export (Ctrl+E): the views as the window shows them, written
 * as a picture for slides and handouts.
 *
 * What is exported is chosen in the file chooser itself (a "choice" of
 * GtkFileChooser, which the native and portal choosers show too): every
 * view at the playhead, one view as shown, or the ladder over the time it
 * shows or over the whole lesson.  The picture is drawn by the same
 * renderers as the window and written by tl_render_to_file, the CLI's
 * path: a temporary file renamed into place, every write and the final
 * flush checked.  The chooser asks before replacing a file (GTK 4 always
 * confirms an overwrite in a save dialog).
 */
#include "tl-config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "tl-export.h"
#include "tl-render.h"
#include "tl-window-private.h"

/* All four views are drawn at full HD, as `tcplab-cli render` does. */
#define ALL_WIDTH  1920
#define ALL_HEIGHT 1080

static const struct
{
  TlExportWhat what;
  const char  *id;
  const char  *label;
} choices[] = {
  { TL_EXPORT_ALL,          "all",          N_("All views at the playhead") },
  { TL_EXPORT_DIAGRAM,      "diagram",      N_("The state diagram") },
  { TL_EXPORT_LADDER,       "ladder",       N_("The ladder as shown") },
  { TL_EXPORT_TIMERS,       "timers",       N_("The timers") },
  { TL_EXPORT_SOCKETS,      "sockets",      N_("The socket tables") },
  { TL_EXPORT_LADDER_SHOWN, "ladder-shown", N_("The ladder over the time it shows, to its end") },
  { TL_EXPORT_LADDER_WHOLE, "ladder-whole", N_("The ladder over the whole lesson") },
};

#define CHOICE_ID "what"

static TlViewWidget *
view_of (TlWindow     *self,
         TlExportWhat  what)
{
  switch (what)
    {
    case TL_EXPORT_DIAGRAM:
      return self->diagram_view;
    case TL_EXPORT_TIMERS:
      return self->timers_view;
    case TL_EXPORT_SOCKETS:
      return self->sockets_view;
    case TL_EXPORT_LADDER:
    case TL_EXPORT_LADDER_SHOWN:
    case TL_EXPORT_LADDER_WHOLE:
      return self->ladder_view;
    case TL_EXPORT_ALL:
      break;
    }
  return NULL;
}

gboolean
tl_export_write (TlWindow      *self,
                 TlExportWhat   what,
                 GFile         *file,
                 GError       **error)
{
  TlSession *session;
  const TlTrace *trace;
  TlViewWidget *view;
  g_autofree char *path = NULL;
  TlRenderStyle style;
  gint64 time_us;
  TlView kind = TL_VIEW_ALL;
  int width = ALL_WIDTH;
  int height = ALL_HEIGHT;

  g_return_val_if_fail (TL_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("%s: only a local file can be written"), uri);
      return FALSE;
    }
  session = self->session;
  trace = tl_session_get_trace (session);
  time_us = tl_session_get_time (session);
  view = view_of (self, what);
  if (view == NULL)
    {
      /* The four as the CLI draws them, in the window's language and ink. */
      tl_view_widget_get_style (self->diagram_view, &style);
      style.font_scale = 1.0;
      style.selected_record = G_MAXUINT32;
    }
  else
    {
      /* The view as it is shown, at its size on the screen. */
      tl_view_widget_get_style (view, &style);
      kind = tl_view_widget_get_view (view);
      width = MAX (gtk_widget_get_width (GTK_WIDGET (view)), 1);
      height = MAX (gtk_widget_get_height (GTK_WIDGET (view)), 1);
    }
  if (what == TL_EXPORT_LADDER_SHOWN || what == TL_EXPORT_LADDER_WHOLE)
    {
      gint64 t0_us = 0, span_us = MAX (tl_trace_end_time (trace), 1);

      if (what == TL_EXPORT_LADDER_SHOWN)
        tl_render_ladder_window (trace, time_us, &style, &t0_us, &span_us);
      style.ladder_t0_us = t0_us;
      style.ladder_span_us = span_us;
      /* Everything in the range drawn: the playhead at its end (or at the
       * lesson's end, if the range goes past it). */
      time_us = MIN (t0_us + span_us, tl_trace_end_time (trace));
    }
  return tl_render_to_file (kind, trace, time_us, width, height, &style, path, error);
}

static TlExportWhat
chosen (GtkFileChooser *chooser)
{
  const char *id = gtk_file_chooser_get_choice (chooser, CHOICE_ID);

  for (guint i = 0; id != NULL && i < G_N_ELEMENTS (choices); i++)
    if (strcmp (id, choices[i].id) == 0)
      return choices[i].what;
  return TL_EXPORT_ALL;
}

static void
export_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    TlWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GError) error = NULL;
      g_autofree char *name = g_file_get_basename (file);
      g_autofree char *text = NULL;

      if (tl_export_write (self, chosen (GTK_FILE_CHOOSER (dialog)), file, &error))
        text = g_strdup_printf (_("Exported as %s"), name);
      else
        text = g_strdup_printf (_("Could not export: %s"), error->message);
      tl_window_toast (self, text);
    }
  g_clear_object (&self->chooser);
}

/* PNG, SVG and PDF, in one filter: the name's ending picks the type. */
static void
add_filter (GtkFileChooser *chooser)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Pictures (PNG, SVG, PDF)"));
  gtk_file_filter_add_pattern (filter, "*.png");
  gtk_file_filter_add_pattern (filter, "*.svg");
  gtk_file_filter_add_pattern (filter, "*.pdf");
  gtk_file_chooser_add_filter (chooser, filter);
}

/* "simultaneous-close-0.350s.png" */
static char *
suggested_name (TlWindow *self)
{
  GFile *file = tl_session_get_file (self->session);
  g_autofree char *base = file != NULL ? g_file_get_basename (file) : g_strdup ("tcplab");
  g_autofree char *stem = g_strndup (base, strcspn (base, "."));

  return g_strdup_printf ("%s-%.3fs.png", stem,
                          (double) tl_session_get_time (self->session) / G_USEC_PER_SEC);
}

static void
export_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  TlWindow *self = user_data;
  GtkFileChooser *chooser;
  const char *ids[G_N_ELEMENTS (choices) + 1];
  const char *labels[G_N_ELEMENTS (choices) + 1];
  g_autofree char *name = NULL;

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Export a Picture"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                               _("_Cancel"));
  chooser = GTK_FILE_CHOOSER (self->chooser);
  for (guint i = 0; i < G_N_ELEMENTS (choices); i++)
    {
      ids[i] = choices[i].id;
      labels[i] = _(choices[i].label);
    }
  ids[G_N_ELEMENTS (choices)] = NULL;
  labels[G_N_ELEMENTS (choices)] = NULL;
  gtk_file_chooser_add_choice (chooser, CHOICE_ID, _("Export"), ids, labels);
  gtk_file_chooser_set_choice (chooser, CHOICE_ID, "all");
  add_filter (chooser);
  name = suggested_name (self);
  gtk_file_chooser_set_current_name (chooser, name);
  g_signal_connect (self->chooser, "response", G_CALLBACK (export_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

void
tl_export_init (TlWindow *self)
{
  static const GActionEntry actions[] = {
    { .name = "export", .activate = export_activated },
  };

  g_return_if_fail (TL_IS_WINDOW (self));

  g_action_map_add_action_entries (G_ACTION_MAP (self), actions, G_N_ELEMENTS (actions), self);
}
