/* tl-window-state.c: the window's size and the lesson last played,
 * remembered in GSettings (io.github.tcplab.TcpLab: window-width,
 * window-height, window-maximized, last-lesson) and restored at the next
 * start; and what a window carries over to the one that replaces it when
 * the language changes, so that neither a free play nor the "what if?"
 * interventions on a lesson are lost.
 */
#include "tl-config.h"


#include "tl-session-private.h"
#include "tl-sim.h"
#include "tl-window-private.h"
#include "tl-window-state.h"

/* A size smaller than this was not a window one could use. */
#define MIN_SIDE 200

static void
size_changed_cb (TlWindow *self)
{
  int width, height;

  if (self->settings == NULL || gtk_window_is_fullscreen (GTK_WINDOW (self)))
    return;
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  if (gtk_window_is_maximized (GTK_WINDOW (self)))
    return;
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  if (width >= MIN_SIDE && height >= MIN_SIDE)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
}

static void
file_changed_cb (TlWindow *self)
{
  GFile *file = tl_session_get_file (self->session);
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

  if (self->settings != NULL && path != NULL)
    g_settings_set_string (self->settings, "last-lesson", path);
}

void
tl_window_state_init (TlWindow *self)
{
  g_return_if_fail (TL_IS_WINDOW (self));

  if (self->settings != NULL)
    {
      int width = g_settings_get_int (self->settings, "window-width");
      int height = g_settings_get_int (self->settings, "window-height");
      GListModel *monitors = gdk_display_get_monitors (gtk_widget_get_display (GTK_WIDGET (self)));
      g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, 0);

      if (width >= MIN_SIDE && height >= MIN_SIDE)
        {
          GdkRectangle screen = { 0, 0, G_MAXINT, G_MAXINT };

          if (monitor != NULL)
            gdk_monitor_get_geometry (monitor, &screen);
          gtk_window_set_default_size (GTK_WINDOW (self), MIN (width, screen.width),
                                       MIN (height, screen.height));
          if (!g_settings_get_boolean (self->settings, "window-maximized"))
            gtk_window_unmaximize (GTK_WINDOW (self));
        }
    }
  g_signal_connect (self, "notify::default-width", G_CALLBACK (size_changed_cb), NULL);
  g_signal_connect (self, "notify::default-height", G_CALLBACK (size_changed_cb), NULL);
  g_signal_connect (self, "notify::maximized", G_CALLBACK (size_changed_cb), NULL);
  g_signal_connect_object (self->session, "notify::file", G_CALLBACK (file_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

gboolean
tl_window_state_reopen_last (TlWindow *self)
{
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;

  g_return_val_if_fail (TL_IS_WINDOW (self), FALSE);

  if (self->settings == NULL)
    return FALSE;
  path = g_settings_get_string (self->settings, "last-lesson");
  if (*path == '\0' || !g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return FALSE;
  file = g_file_new_for_path (path);
  tl_window_open_file (self, file);
  return TRUE;
}

/* Two scenarios are the same lesson when they write the same text. */
static gboolean
same_scenario (const TlScenario *a,
               const TlScenario *b)
{
  g_autofree char *text_a = tl_scenario_to_lesson (a);
  g_autofree char *text_b = tl_scenario_to_lesson (b);

  return g_strcmp0 (text_a, text_b) == 0;
}

void
tl_window_state_carry (TlWindow *from,
                       TlWindow *to)
{
  GFile *file;
  const TlScenario *played;

  g_return_if_fail (TL_IS_WINDOW (from));
  g_return_if_fail (TL_IS_WINDOW (to));

  file = tl_session_get_file (from->session);
  played = tl_session_get_scenario (from->session);
  if (file != NULL)
    {
      /* The file, watched for changes again; the interventions on top. */
      tl_window_open_file (to, file);
      if (!same_scenario (played, tl_session_get_scenario (to->session)))
        {
          TlScenario *copy = tl_scenario_copy (played);

          tl_session_replace_scenario (to->session, copy, tl_simulate (copy));
        }
    }
  else
    tl_session_load_scenario (to->session, tl_scenario_copy (played));
  tl_session_set_time (to->session, tl_session_get_time (from->session));
  if (gtk_window_is_maximized (GTK_WINDOW (from)))
    gtk_window_maximize (GTK_WINDOW (to));
}
