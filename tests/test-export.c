/* test-export.c: Export (Ctrl+E) from the window: every choice of what to
 * export written as PNG, SVG and PDF, the views at their size on the
 * screen, the ladder over a range, atomically (nothing left beside the
 * picture) and with errors that name the file asked for. */
#include "tl-config.h"

#include <check.h>
#include <string.h>
#include <glib/gstdio.h>
#include <cairo.h>

#include "tl-export.h"
#include "tl-test-app.h"
#include "tl-test-files.h"
#include "tl-view-widget.h"
#include "tl-window.h"

static char *dir;

static void
setup (void)
{
  dir = g_dir_make_tmp ("tl-export-XXXXXX", NULL);
  ck_assert_ptr_nonnull (dir);
}

static void
teardown (void)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
  g_clear_pointer (&dir, g_free);
}

static void
export_ok (TlWindow     *window,
           TlExportWhat  what,
           const char   *name,
           int           width,
           int           height)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  ck_assert_msg (tl_export_write (window, what, file, &error), "%s: %s", name,
                 error != NULL ? error->message : "");
  if (g_str_has_suffix (name, ".png"))
    {
      cairo_surface_t *surface = cairo_image_surface_create_from_png (path);

      ck_assert_int_eq (cairo_surface_status (surface), CAIRO_STATUS_SUCCESS);
      ck_assert_int_eq (cairo_image_surface_get_width (surface), width);
      ck_assert_int_eq (cairo_image_surface_get_height (surface), height);
      cairo_surface_destroy (surface);
    }
  else if (g_str_has_suffix (name, ".svg"))
    ck_assert (tl_test_file_starts_with (path, "<?xml"));
  else
    ck_assert (tl_test_file_starts_with (path, "%PDF-"));
}

static gboolean
same_file (const char *a,
           const char *b)
{
  g_autofree char *pa = g_build_filename (dir, a, NULL);
  g_autofree char *pb = g_build_filename (dir, b, NULL);
  g_autofree char *ca = NULL;
  g_autofree char *cb = NULL;
  gsize la, lb;

  ck_assert (g_file_get_contents (pa, &ca, &la, NULL));
  ck_assert (g_file_get_contents (pb, &cb, &lb, NULL));
  return la == lb && memcmp (ca, cb, la) == 0;
}

static void
exports_every_choice (TlWindow *window)
{
  g_autofree char *lesson = g_build_filename (TL_SOURCE_LESSONS_DIR, "syn-flood.lesson", NULL);
  g_autoptr(GFile) lesson_file = g_file_new_for_path (lesson);
  GtkWidget *diagram = tl_test_app_child (window, "diagram_view");
  GtkWidget *ladder = tl_test_app_child (window, "ladder_view");
  const char *types[] = { "png", "svg", "pdf" };
  int dw, dh, lw, lh;
  guint n = 0;

  ck_assert (g_action_group_has_action (G_ACTION_GROUP (window), "export"));
  tl_window_open_file (window, lesson_file);
  tl_session_set_time (tl_window_get_session (window), 2000000);
  tl_test_app_settle ();
  dw = gtk_widget_get_width (diagram);
  dh = gtk_widget_get_height (diagram);
  lw = gtk_widget_get_width (ladder);
  lh = gtk_widget_get_height (ladder);
  ck_assert_int_gt (dw, 100);
  ck_assert_int_gt (lw, 100);

  for (guint t = 0; t < G_N_ELEMENTS (types); t++)
    {
      g_autofree char *all = g_strdup_printf ("all.%s", types[t]);
      g_autofree char *dia = g_strdup_printf ("diagram.%s", types[t]);
      g_autofree char *lad = g_strdup_printf ("ladder.%s", types[t]);
      g_autofree char *shown = g_strdup_printf ("ladder-shown.%s", types[t]);
      g_autofree char *whole = g_strdup_printf ("ladder-whole.%s", types[t]);

      export_ok (window, TL_EXPORT_ALL, all, 1920, 1080);
      export_ok (window, TL_EXPORT_DIAGRAM, dia, dw, dh);
      export_ok (window, TL_EXPORT_LADDER, lad, lw, lh);
      export_ok (window, TL_EXPORT_LADDER_SHOWN, shown, lw, lh);
      export_ok (window, TL_EXPORT_LADDER_WHOLE, whole, lw, lh);
      n += 5;
    }
  /* The timers and tables as shown (F7 brings them back where they fold). */
  if (!gtk_widget_get_visible (tl_test_app_child (window, "tables_box")))
    g_action_group_activate_action (G_ACTION_GROUP (window), "show-tables", NULL);
  tl_test_app_settle ();
  export_ok (window, TL_EXPORT_TIMERS, "timers.png",
             gtk_widget_get_width (tl_test_app_child (window, "timers_view")),
             gtk_widget_get_height (tl_test_app_child (window, "timers_view")));
  export_ok (window, TL_EXPORT_SOCKETS, "sockets.png",
             gtk_widget_get_width (tl_test_app_child (window, "sockets_view")),
             gtk_widget_get_height (tl_test_app_child (window, "sockets_view")));
  n += 2;
  /* Written whole, renamed into place: nothing else is left. */
  ck_assert_uint_eq (tl_test_count_files (dir), n);

  /* The whole lesson is not the window around the playhead. */
  ck_assert (!same_file ("ladder-whole.png", "ladder-shown.png"));
  /* Replaced when the chooser has asked: the same picture again (at the
   * ladder's size now, which the tables brought back may have changed). */
  export_ok (window, TL_EXPORT_LADDER_WHOLE, "ladder-whole.png", gtk_widget_get_width (ladder),
             gtk_widget_get_height (ladder));
  export_ok (window, TL_EXPORT_LADDER_WHOLE, "ladder.png", gtk_widget_get_width (ladder),
             gtk_widget_get_height (ladder));
  ck_assert (same_file ("ladder-whole.png", "ladder.png"));
  ck_assert_uint_eq (tl_test_count_files (dir), n);
}

START_TEST (test_export_every_choice_and_type)
{
  tl_test_app_run (exports_every_choice, NULL, TRUE, NULL);
}
END_TEST

/* The error names the file the user chose, not the temporary one. */
static void
errors_name_the_file (TlWindow *window)
{
  g_autofree char *missing = g_build_filename (dir, "no-such-dir", "flood.png", NULL);
  g_autofree char *jpeg = g_build_filename (dir, "flood.jpg", NULL);
  g_autoptr(GFile) missing_file = g_file_new_for_path (missing);
  g_autoptr(GFile) jpeg_file = g_file_new_for_path (jpeg);
  g_autoptr(GError) error = NULL;

  ck_assert (!tl_export_write (window, TL_EXPORT_ALL, missing_file, &error));
  ck_assert_msg (strstr (error->message, missing) != NULL, "%s", error->message);
  ck_assert_msg (strstr (error->message, ".flood.png.") == NULL, "%s", error->message);
  g_clear_error (&error);
  ck_assert (!tl_export_write (window, TL_EXPORT_DIAGRAM, jpeg_file, &error));
  ck_assert_msg (strstr (error->message, jpeg) != NULL, "%s", error->message);
  ck_assert_uint_eq (tl_test_count_files (dir), 0);
}

START_TEST (test_export_errors_name_the_file)
{
  tl_test_app_run (errors_name_the_file, NULL, TRUE, NULL);
}
END_TEST

Suite *
export_suite (void)
{
  Suite *s = suite_create ("export");
  TCase *tc = tcase_create ("ui");

  tcase_add_checked_fixture (tc, setup, teardown);
  tl_test_app_set_timeout (tc, 120);
  tcase_add_test (tc, test_export_every_choice_and_type);
  tcase_add_test (tc, test_export_errors_name_the_file);
  suite_add_tcase (s, tc);
  return s;
}
