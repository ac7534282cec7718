/* test-window-state.c: what the window remembers between runs (its size,
 * the lesson last played, opened again when no file is given) and what
 * survives the language switch (a free play, the interventions made on a
 * lesson, the time). */
#include "tl-config.h"

#include <check.h>
#include <string.h>

#include "tl-settings.h"
#include "tl-test-app.h"
#include "tl-window.h"

static char *
lesson_path (const char *name)
{
  return g_build_filename (TL_SOURCE_LESSONS_DIR, name, NULL);
}

static void
play_and_resize (TlWindow *window)
{
  g_autofree char *path = lesson_path ("simultaneous-close.lesson");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GSettings) settings = tl_settings_new ();

  ck_assert_ptr_nonnull (settings);
  tl_window_open_file (window, file);
  gtk_window_unmaximize (GTK_WINDOW (window));
  gtk_window_set_default_size (GTK_WINDOW (window), 1300, 900);
  tl_test_app_settle ();
  g_autofree char *last = g_settings_get_string (settings, "last-lesson");
  ck_assert_str_eq (last, path);
  ck_assert_int_eq (g_settings_get_int (settings, "window-width"), 1300);
  ck_assert_int_eq (g_settings_get_int (settings, "window-height"), 900);
  ck_assert (!g_settings_get_boolean (settings, "window-maximized"));
}

static void
comes_back (TlWindow *window)
{
  g_autofree char *path = lesson_path ("simultaneous-close.lesson");
  GFile *file = tl_session_get_file (tl_window_get_session (window));
  g_autofree char *playing = file != NULL ? g_file_get_path (file) : NULL;
  int width, height;

  ck_assert_str_eq (playing, path);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  ck_assert_int_eq (width, 1300);
  ck_assert_int_eq (height, 900);
}

static void
file_wins (TlWindow *window)
{
  g_autofree char *path = lesson_path ("syn-flood.lesson");
  GFile *file = tl_session_get_file (tl_window_get_session (window));
  g_autofree char *playing = file != NULL ? g_file_get_path (file) : NULL;

  ck_assert_str_eq (playing, path);
}

START_TEST (test_window_state_size_and_lesson_come_back)
{
  g_autofree char *flood = lesson_path ("syn-flood.lesson");
  g_autoptr(GSettings) settings = tl_settings_new ();

  tl_test_app_run (play_and_resize, NULL, TRUE, NULL);
  tl_test_app_run (comes_back, NULL, TRUE, NULL);
  /* A file given wins over the last lesson, and becomes the last. */
  tl_test_app_run (file_wins, flood, TRUE, NULL);
  g_autofree char *last = g_settings_get_string (settings, "last-lesson");
  ck_assert_str_eq (last, flood);
}
END_TEST

/* A lesson file that is gone is not opened: the window starts empty. */
static void
starts_empty (TlWindow *window)
{
  ck_assert_ptr_null (tl_session_get_file (tl_window_get_session (window)));
}

START_TEST (test_window_state_lesson_gone_is_not_opened)
{
  g_autoptr(GSettings) settings = tl_settings_new ();

  g_settings_set_string (settings, "last-lesson", "/nonexistent/gone.lesson");
  tl_test_app_run (starts_empty, NULL, TRUE, NULL);
}
END_TEST

static char *
lesson_text (TlWindow *window)
{
  return tl_scenario_to_lesson (tl_session_get_scenario (tl_window_get_session (window)));
}

/* Free play (no file): the server listens, the client connects; the switch
 * keeps both, and the time. */
static void
free_play_survives (TlWindow *window)
{
  TlSession *session = tl_window_get_session (window);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gint64 time_us;
  TlWindow *fresh;

  ck_assert_ptr_null (tl_session_get_file (session));
  tl_test_app_activate (window, "free-play", g_variant_new ("(yu)", 1, 0));
  tl_session_set_time (session, 50000);
  tl_test_app_activate (window, "free-play", g_variant_new ("(yu)", 0, 1));
  tl_session_set_time (session, 120000);
  time_us = tl_session_get_time (session);
  ck_assert_int_gt (time_us, 0);
  before = lesson_text (window);
  ck_assert_msg (strstr (before, "listen") != NULL && strstr (before, "connect") != NULL,
                 "%s", before);

  fresh = tl_test_app_switch_language (window, "en");
  after = lesson_text (fresh);
  ck_assert_str_eq (after, before);
  ck_assert_ptr_null (tl_session_get_file (tl_window_get_session (fresh)));
  ck_assert_int_eq (tl_session_get_time (tl_window_get_session (fresh)), time_us);
}

START_TEST (test_window_state_free_play_survives_the_language_switch)
{
  g_autoptr(GSettings) settings = tl_settings_new ();

  /* No lesson reopened: free play. */
  g_settings_set_string (settings, "last-lesson", "");
  tl_test_app_run (free_play_survives, NULL, TRUE, NULL);
}
END_TEST

/* A lesson with a "what if?" on it: the file stays the lesson's, the
 * intervention stays played. */
static void
interventions_survive (TlWindow *window)
{
  TlSession *session = tl_window_get_session (window);
  g_autofree char *path = lesson_path ("simultaneous-close.lesson");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *playing = NULL;
  TlWindow *fresh;

  tl_session_set_time (session, 300000);
  /* The client crashes at 300 ms. */
  tl_test_app_activate (window, "free-play", g_variant_new ("(yu)", 0, 6));
  before = lesson_text (window);
  ck_assert_msg (strstr (before, "crash") != NULL, "%s", before);

  fresh = tl_test_app_switch_language (window, "en");
  after = lesson_text (fresh);
  ck_assert_str_eq (after, before);
  playing = g_file_get_path (tl_session_get_file (tl_window_get_session (fresh)));
  ck_assert_str_eq (playing, path);
  ck_assert_int_eq (tl_session_get_time (tl_window_get_session (fresh)), 300000);
}

START_TEST (test_window_state_interventions_survive_the_language_switch)
{
  g_autofree char *path = lesson_path ("simultaneous-close.lesson");

  tl_test_app_run (interventions_survive, path, TRUE, NULL);
}
END_TEST

/* The "Free Play" button starts one: no lesson, no statement, its buttons
 * shown, the narration saying what to do. */
static void
free_play_button_starts_one (TlWindow *window)
{
  TlSession *session = tl_window_get_session (window);
  GtkWidget *buttons = GTK_WIDGET (tl_test_app_child (window, "freeplay_box"));
  GtkLabel *narration = GTK_LABEL (tl_test_app_child (window, "narration_label"));

  ck_assert_ptr_nonnull (tl_session_get_file (session));
  gtk_widget_set_visible (buttons, FALSE);
  tl_test_app_activate (window, "free-play-new", NULL);
  ck_assert_ptr_null (tl_session_get_file (session));
  ck_assert_uint_eq (tl_session_get_scenario (session)->stmts->len, 0);
  ck_assert (gtk_widget_get_visible (buttons));
  ck_assert_msg (g_str_has_prefix (gtk_label_get_text (narration), "Free play:"), "%s",
                 gtk_label_get_text (narration));
}

START_TEST (test_window_state_free_play_button_starts_one)
{
  g_autofree char *path = lesson_path ("simultaneous-close.lesson");

  tl_test_app_run (free_play_button_starts_one, path, TRUE, NULL);
}
END_TEST

Suite *
window_state_suite (void)
{
  Suite *s = suite_create ("window-state");
  TCase *tc = tcase_create ("ui");

  tl_test_app_set_timeout (tc, 120);
  tcase_add_test (tc, test_window_state_size_and_lesson_come_back);
  tcase_add_test (tc, test_window_state_lesson_gone_is_not_opened);
  tcase_add_test (tc, test_window_state_free_play_survives_the_language_switch);
  tcase_add_test (tc, test_window_state_interventions_survive_the_language_switch);
  tcase_add_test (tc, test_window_state_free_play_button_starts_one);
  suite_add_tcase (s, tc);
  return s;
}
