/* test-window.c: tcplab opens its window, shows it, and quits cleanly.
 * Runs under Xvfb (see tests/meson.build). */
#include <check.h>
#include <gtk/gtk.h>

#include "tl-application.h"
#include "tl-window.h"

typedef struct
{
  gboolean shown;
  gboolean timed_out;
  char    *title;
} WindowProbe;

static gboolean
check_window (gpointer user_data)
{
  GApplication *app = user_data;
  WindowProbe *probe = g_object_get_data (G_OBJECT (app), "probe");
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL || !gtk_widget_get_mapped (GTK_WIDGET (window)))
    return G_SOURCE_CONTINUE;

  probe->shown = TL_IS_WINDOW (window) && gtk_widget_get_visible (GTK_WIDGET (window));
  probe->title = g_strdup (gtk_window_get_title (window));
  g_application_quit (app);
  return G_SOURCE_REMOVE;
}

static gboolean
give_up (gpointer user_data)
{
  GApplication *app = user_data;
  WindowProbe *probe = g_object_get_data (G_OBJECT (app), "probe");

  probe->timed_out = TRUE;
  g_application_quit (app);
  return G_SOURCE_REMOVE;
}

static void
on_activate (GApplication *app)
{
  g_timeout_add (20, check_window, app);
  g_timeout_add_seconds (20, give_up, app);
}

START_TEST (test_window_is_shown_and_quits)
{
  g_autoptr(TlApplication) app = tl_application_new ();
  WindowProbe probe = { 0 };
  char *argv[] = { (char *) "tcplab", NULL };
  int status;

  g_object_set_data (G_OBJECT (app), "probe", &probe);
  /* Connected after the class handler, which creates and presents the window. */
  g_signal_connect_after (app, "activate", G_CALLBACK (on_activate), NULL);
  status = g_application_run (G_APPLICATION (app), 1, argv);

  ck_assert_int_eq (status, 0);
  ck_assert (!probe.timed_out);
  ck_assert (probe.shown);
  ck_assert_str_eq (probe.title, "TCP Lab");
  g_free (probe.title);
}
END_TEST

Suite *
window_suite (void)
{
  Suite *s = suite_create ("window");
  TCase *tc = tcase_create ("ui");

  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_window_is_shown_and_quits);
  suite_add_tcase (s, tc);
  return s;
}
