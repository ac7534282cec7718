/* test-window-real.c: "Real Linux" beside "Simulated" in the window (Xvfb):
 * a lesson with a sidecar (FILE.lesson.real) shows both runs side by side
 * with the differences marked; a stale sidecar is said so and not shown. */
#include <check.h>
#include <string.h>
#include <glib/gstdio.h>

#include "tl-lesson.h"
#include "tl-real-view.h"
#include "tl-sim.h"
#include "tl-test-app.h"
#include "tl-test-files.h"
#include "tl-trace-diff.h"
#include "tl-trace-file.h"
#include "tl-window.h"

#define LESSON \
  "title \"Real test\"\n" \
  "host client 10.0.0.1\n" \
  "host server 10.0.0.2\n" \
  "link delay 50ms\n" \
  "%s" \
  "0ms     server listen 80\n" \
  "10ms    client connect server:80\n" \
  "300ms   client close\n" \
  "400ms   server close\n"

static char *tmp_dir;
static char *lesson_path;

/* The lesson, and as its sidecar the run of the same lesson with its first
 * SYN dropped: a stand-in for a kernel that differs. */
static void
write_lesson (gboolean stale)
{
  g_autofree char *text = g_strdup_printf (LESSON, "");
  g_autofree char *other = g_strdup_printf (LESSON, "0ms drop next client->server SYN\n");
  g_autofree char *hash = NULL;
  g_autofree char *sidecar = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TlTrace) trace = NULL;
  TlScenario *scenario;

  tmp_dir = g_dir_make_tmp ("tl-window-real-XXXXXX", NULL);
  lesson_path = g_build_filename (tmp_dir, "real.lesson", NULL);
  ck_assert (g_file_set_contents (lesson_path, text, -1, NULL));
  scenario = tl_lesson_parse (other, -1, "other.lesson", NULL, &error);
  ck_assert_ptr_nonnull (scenario);
  trace = tl_simulate (scenario);
  tl_scenario_free (scenario);
  /* A stale one was recorded from another text of the lesson. */
  hash = stale ? tl_trace_file_lesson_hash (other, strlen (other))
               : tl_trace_file_lesson_hash (text, strlen (text));
  sidecar = tl_trace_file_sidecar_path (lesson_path);
  ck_assert (tl_trace_file_save (sidecar, trace, hash, "Linux test", FALSE, &error));
  g_setenv ("TL_LESSONS_DIR", tmp_dir, TRUE);
}

static void
teardown (void)
{
  tl_test_remove_tree (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);
  g_clear_pointer (&lesson_path, g_free);
}

static GtkWidget *
start_child (TlWindow *window)
{
  GtkPaned *paned = GTK_PANED (tl_test_app_child (window, "tables_paned"));

  return gtk_paned_get_start_child (paned);
}

static void
shows_both_runs_and_their_differences (TlWindow *window)
{
  TlRealView *view = tl_real_view_get (window);
  TlSession *session = tl_window_get_session (window);
  const GArray *diffs;

  ck_assert_ptr_nonnull (view);
  ck_assert_ptr_ne (start_child (window), GTK_WIDGET (view));
  tl_test_app_activate (window, "real-linux", NULL);
  ck_assert_ptr_eq (start_child (window), GTK_WIDGET (view));

  ck_assert_ptr_nonnull (tl_real_view_get_real (view));
  ck_assert_msg (strstr (tl_real_view_get_status (view), "real.lesson.real") != NULL,
                 "%s", tl_real_view_get_status (view));
  ck_assert (strstr (tl_real_view_get_status (view), "Linux test") != NULL);
  diffs = tl_real_view_get_diffs (view);
  ck_assert_ptr_nonnull (diffs);
  ck_assert_uint_gt (diffs->len, 0);
  ck_assert_int_eq (g_array_index (diffs, TlDiff, 0).kind, TL_DIFF_SEGMENT_FATE);

  /* Before the first difference (the SYN at 10 ms), no mark; at the end,
   * the differences are marked on the ladders. */
  tl_session_set_time (session, 5000);
  tl_test_app_settle ();
  ck_assert_uint_eq (tl_real_view_marks_drawn (view), 0);
  tl_session_set_time (session, tl_session_get_end_time (session));
  tl_test_app_settle ();
  ck_assert_uint_gt (tl_real_view_marks_drawn (view), 0);

  /* And back to the simulation's two views. */
  tl_test_app_activate (window, "real-linux", NULL);
  ck_assert_ptr_ne (start_child (window), GTK_WIDGET (view));
}

START_TEST (test_a_sidecar_shows_beside_the_simulation)
{
  write_lesson (FALSE);
  tl_test_app_run (shows_both_runs_and_their_differences, lesson_path, TRUE, NULL);
}
END_TEST

static void
says_the_sidecar_is_stale (TlWindow *window)
{
  TlRealView *view = tl_real_view_get (window);

  tl_test_app_activate (window, "real-linux", NULL);
  tl_test_app_settle ();
  ck_assert_ptr_null (tl_real_view_get_real (view));
  ck_assert_ptr_null (tl_real_view_get_diffs (view));
  ck_assert_msg (strstr (tl_real_view_get_status (view), "stale") != NULL,
                 "%s", tl_real_view_get_status (view));
  ck_assert_uint_eq (tl_real_view_marks_drawn (view), 0);
}

START_TEST (test_a_stale_sidecar_is_said_so_and_not_shown)
{
  write_lesson (TRUE);
  tl_test_app_run (says_the_sidecar_is_stale, lesson_path, TRUE, NULL);
}
END_TEST

Suite *
window_real_suite (void)
{
  Suite *s = suite_create ("window-real");
  TCase *tc = tcase_create ("real");

  tl_test_app_set_timeout (tc, 120);
  tcase_add_checked_fixture (tc, NULL, teardown);
  tcase_add_test (tc, test_a_sidecar_shows_beside_the_simulation);
  tcase_add_test (tc, test_a_stale_sidecar_is_said_so_and_not_shown);
  suite_add_tcase (s, tc);
  return s;
}
