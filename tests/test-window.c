/* test-window.c: the TCP Lab window under Xvfb (see tests/meson.build):
 * it opens, lists and plays lessons through its actions, shows narration,
 * questions and errors, and lets the user pick a segment in the ladder. */
#include "tl-config.h"

#include <check.h>
#include <string.h>
#include <adwaita.h>
#include <glib/gstdio.h>

#include "tl-application.h"
#include "tl-lesson.h"
#include "tl-segment-popover.h"
#include "tl-view-widget.h"
#include "tl-test-app.h"
#include "tl-test-files.h"
#include "tl-window.h"

static const char handshake_lesson[] =
  "title \"Test handshake\"\n"
  "summary \"A handshake and a close.\"\n"
  "host client 10.0.0.1\n"
  "host server 10.0.0.2\n"
  "link delay 50ms\n"
  "set all isn 0\n"
  "0ms     server listen 80\n"
  "10ms    client connect server:80\n"
  "10ms    say \"The client sends SYN.\"\n"
  "200ms   pause \"Which states now?\"\n"
  "300ms   client close\n"
  "400ms   server close\n";

static const char broken_lesson[] =
  "title \"Broken\"\n"
  "host client 10.0.0.1\n"
  "host server 10.0.0.2\n"
  "10ms client conect server:80\n";

static const char bulk_lesson[] =
  "title \"A large write\"\n"
  "host client 10.0.0.1\n"
  "host server 10.0.0.2\n"
  "link delay 50ms\n"
  "0ms server listen 80\n"
  "100ms client connect server:80\n"
  "500ms server send 200000\n";

static char *tmp_dir;

static void
setup (void)
{
  tmp_dir = tl_test_app_lessons_dir ("tl-window-XXXXXX",
                                     "handshake.lesson", handshake_lesson,
                                     "broken.lesson", broken_lesson,
                                     NULL);
}

static void
teardown (void)
{
  tl_test_remove_tree (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);
}

/* Runs the main loop until the session stops playing, at most 30 s. */
static void
wait_until_stopped (TlSession *session)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (tl_session_get_playing (session) && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  ck_assert (!tl_session_get_playing (session));
}

/* TCP Lab picks the cairo renderer unless GSK_RENDERER names one, and with
 * it GDK is asked not to load GL; other flags kept. */
START_TEST (test_cairo_renderer_skips_gl)
{
  g_autofree char *renderer = g_strdup (g_getenv ("GSK_RENDERER"));
  g_autofree char *debug = g_strdup (g_getenv ("GDK_DEBUG"));

  g_setenv ("GSK_RENDERER", "ngl", TRUE);
  g_unsetenv ("GDK_DEBUG");
  tl_application_choose_renderer ();
  ck_assert_ptr_null (g_getenv ("GDK_DEBUG"));
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_setenv ("GDK_DEBUG", "events", TRUE);
  tl_application_choose_renderer ();
  ck_assert_str_eq (g_getenv ("GDK_DEBUG"), "events,gl-disable");
  tl_application_choose_renderer ();
  ck_assert_str_eq (g_getenv ("GDK_DEBUG"), "events,gl-disable");
  g_unsetenv ("GDK_DEBUG");
  tl_application_choose_renderer ();
  ck_assert_str_eq (g_getenv ("GDK_DEBUG"), "gl-disable");
  g_unsetenv ("GSK_RENDERER");
  g_unsetenv ("GDK_DEBUG");
  tl_application_choose_renderer ();
  ck_assert_str_eq (g_getenv ("GSK_RENDERER"), "cairo");
  ck_assert_str_eq (g_getenv ("GDK_DEBUG"), "gl-disable");

  if (renderer != NULL)
    g_setenv ("GSK_RENDERER", renderer, TRUE);
  else
    g_unsetenv ("GSK_RENDERER");
  if (debug != NULL)
    g_setenv ("GDK_DEBUG", debug, TRUE);
  else
    g_unsetenv ("GDK_DEBUG");
}
END_TEST

START_TEST (test_window_is_shown_and_quits)
{
  tl_test_app_run_empty (NULL, FALSE);
}
END_TEST

static void
lists_lessons_and_binds_keys (TlWindow *window)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (window));
  g_auto(GStrv) play = gtk_application_get_accels_for_action (app, "win.play");
  g_auto(GStrv) step = gtk_application_get_accels_for_action (app, "win.step-forward");
  GtkListBox *list = tl_test_app_child (window, "lesson_list");
  GtkListBoxRow *first = gtk_list_box_get_row_at_index (list, 0);
  GtkListBoxRow *second = gtk_list_box_get_row_at_index (list, 1);

  /* The playback keys are the window's shortcuts, not accelerators, which
   * would take them from the link's fields (see playback_keys below). */
  ck_assert_ptr_null (play[0]);
  ck_assert_ptr_null (step[0]);
  /* gtk/help-overlay.ui in the resources gives the shortcuts window. */
  ck_assert (g_action_group_has_action (G_ACTION_GROUP (window), "show-help-overlay"));
  ck_assert_ptr_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  /* Sorted by file name: broken.lesson, then handshake.lesson by its title. */
  ck_assert_ptr_nonnull (first);
  ck_assert_ptr_nonnull (second);
  ck_assert_ptr_null (gtk_list_box_get_row_at_index (list, 2));
  ck_assert_str_eq (gtk_label_get_text (GTK_LABEL (gtk_widget_get_first_child (
                      gtk_list_box_row_get_child (second)))), "Test handshake");
}

/* What the key does: TRUE if the window took it, FALSE if it went on to the
 * focused widget. */
static gboolean
press (TlWindow   *window,
       const char *key)
{
  return tl_test_app_press (GTK_WIDGET (window), "tl-playback-keys", key);
}

static void
playback_keys_spare_text_fields (TlWindow *window)
{
  TlSession *session = tl_window_get_session (window);
  g_autoptr(GFile) file = tl_test_app_file (tmp_dir, "handshake.lesson");
  GtkWidget *delay = tl_test_app_child (window, "delay_spin");
  GtkWidget *loss = tl_test_app_child (window, "loss_spin");
  guint n_stmts;
  double speed;

  tl_window_open_file (window, file);
  /* Before the focused widget: the window's keys act in the capture phase. */
  ck_assert_int_eq (gtk_event_controller_get_propagation_phase (
                      tl_test_app_controller (GTK_WIDGET (window), "tl-playback-keys")),
                    GTK_PHASE_CAPTURE);
  /* With a button focused, the keys still drive playback. */
  gtk_widget_grab_focus (tl_test_app_child (window, "play_button"));
  ck_assert (press (window, "Right"));
  ck_assert_int_eq (tl_session_get_time (session), 10000);
  ck_assert (press (window, "Right"));
  ck_assert (press (window, "Left"));
  ck_assert_int_eq (tl_session_get_time (session), 10000);
  speed = tl_session_get_speed (session);
  ck_assert (press (window, "plus"));
  ck_assert (press (window, "KP_Add"));
  ck_assert_double_gt (tl_session_get_speed (session), speed);
  ck_assert (press (window, "minus"));
  ck_assert (press (window, "KP_Subtract"));
  ck_assert_double_eq (tl_session_get_speed (session), speed);
  ck_assert (press (window, "space"));
  ck_assert (tl_session_get_playing (session));
  ck_assert (press (window, "space"));
  ck_assert (!tl_session_get_playing (session));
  ck_assert (press (window, "Home"));
  ck_assert_int_eq (tl_session_get_time (session), 0);

  /* In the link's fields the keys edit the text: the window lets them by. */
  ck_assert (press (window, "Right"));
  ck_assert (gtk_widget_grab_focus (delay));
  ck_assert (gtk_widget_has_focus (delay) || gtk_widget_is_ancestor (
               gtk_root_get_focus (GTK_ROOT (window)), delay));
  ck_assert (!press (window, "Left"));
  ck_assert (!press (window, "Home"));
  ck_assert (!press (window, "space"));
  ck_assert (!press (window, "minus"));
  ck_assert (gtk_widget_grab_focus (loss));
  ck_assert (!press (window, "plus"));
  ck_assert (!press (window, "Right"));
  ck_assert_int_eq (tl_session_get_time (session), 10000);
  ck_assert (!tl_session_get_playing (session));
  ck_assert_double_eq (tl_session_get_speed (session), speed);

  /* Typed into the field, the value changes the link at the playhead. */
  n_stmts = tl_session_get_scenario (session)->stmts->len;
  gtk_editable_set_text (GTK_EDITABLE (delay), "80");
  gtk_spin_button_update (GTK_SPIN_BUTTON (delay));
  ck_assert_double_eq (gtk_spin_button_get_value (GTK_SPIN_BUTTON (delay)), 80.0);
  ck_assert_uint_eq (tl_session_get_scenario (session)->stmts->len, n_stmts + 1);
}

static void
text_size_scales_every_view (TlWindow *window)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (window));
  g_auto(GStrv) larger = gtk_application_get_accels_for_action (app, "win.text-larger");
  g_auto(GStrv) reset = gtk_application_get_accels_for_action (app, "win.text-reset");
  const char *views[] = { "diagram_view", "ladder_view", "timers_view", "sockets_view" };
  double base[4], scale;

  ck_assert (g_strv_contains ((const char * const *) larger, "<Control>plus"));
  ck_assert (g_strv_contains ((const char * const *) reset, "<Control>0"));
  for (guint i = 0; i < 4; i++)
    g_object_get (tl_test_app_child (window, views[i]), "font-scale", &base[i], NULL);
  ck_assert_double_eq (tl_window_get_text_scale (window), 1.0);

  tl_test_app_activate (window, "text-larger", NULL);
  tl_test_app_activate (window, "text-larger", NULL);
  ck_assert_double_eq_tol (tl_window_get_text_scale (window), 1.3, 1e-9);
  for (guint i = 0; i < 4; i++)
    {
      g_object_get (tl_test_app_child (window, views[i]), "font-scale", &scale, NULL);
      ck_assert_double_eq_tol (scale, base[i] * 1.3, 1e-9);
    }
  for (guint i = 0; i < 10; i++)
    tl_test_app_activate (window, "text-smaller", NULL);
  ck_assert_double_eq_tol (tl_window_get_text_scale (window), 0.7, 1e-9);
  tl_test_app_activate (window, "text-reset", NULL);
  ck_assert_double_eq (tl_window_get_text_scale (window), 1.0);
  g_object_get (tl_test_app_child (window, "diagram_view"), "font-scale", &scale, NULL);
  ck_assert_double_eq_tol (scale, base[0], 1e-9);
}

START_TEST (test_window_text_size_scales_every_view)
{
  tl_test_app_run_empty (text_size_scales_every_view, FALSE);
}
END_TEST

/* An IPv6 capture plays as captured, but no what-if can re-run it: a
 * lesson's hosts are IPv4, and the re-run would swap its addresses for
 * made-up ones (it did, silently).  The window says why above the views,
 * greys the link's fields (with the reason as their tooltip), the
 * free-play buttons and Save as Lesson; the session refuses a what-if,
 * saying why.  A lesson opened next has them all back. */
static void
ipv6_capture_turns_whatifs_off (TlWindow *window)
{
  TlSession *session = tl_window_get_session (window);
  g_autofree char *path = g_build_filename (TL_SOURCE_TESTS_DIR, "captures",
                                            "handshake-ipv6.pcapng", NULL);
  g_autoptr(GFile) capture = g_file_new_for_path (path);
  g_autoptr(GFile) lesson = tl_test_app_file (tmp_dir, "handshake.lesson");
  GtkWidget *delay = tl_test_app_child (window, "delay_spin");
  GtkLabel *notice = tl_test_app_child (window, "whatifs_off_label");
  GtkRevealer *revealer = tl_test_app_child (window, "whatifs_off_revealer");
  g_autoptr(GError) error = NULL;
  TlStmt close = { .kind = TL_STMT_CLOSE };

  tl_window_open_file (window, capture);
  ck_assert_ptr_nonnull (tl_session_get_whatifs_off (session));
  ck_assert_msg (strstr (gtk_label_get_text (notice), "fd18::1 and fd18::2 have IPv6 addresses")
                 != NULL, "%s", gtk_label_get_text (notice));
  ck_assert (gtk_revealer_get_reveal_child (revealer));
  ck_assert (!gtk_widget_get_sensitive (delay));
  ck_assert_str_eq (gtk_widget_get_tooltip_text (delay), gtk_label_get_text (notice));
  ck_assert (!g_action_group_get_action_enabled (G_ACTION_GROUP (window), "free-play"));
  ck_assert (!g_action_group_get_action_enabled (G_ACTION_GROUP (window), "save-as"));
  /* the session too: nothing re-runs */
  ck_assert (!tl_session_drop_next (session, 0, TL_FLAG_ACK, &error));
  ck_assert_int_eq (error->code, TL_SESSION_ERROR_WHATIFS_OFF);
  tl_session_intervene (session, &close);
  ck_assert (!tl_session_get_modified (session));
  ck_assert (tl_trace_is_v6 (tl_session_get_trace (session)));

  tl_window_open_file (window, lesson);
  ck_assert_ptr_null (tl_session_get_whatifs_off (session));
  ck_assert (!gtk_revealer_get_reveal_child (revealer));
  ck_assert (gtk_widget_get_sensitive (delay));
  ck_assert_ptr_null (gtk_widget_get_tooltip_text (delay));
  ck_assert (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "free-play"));
  ck_assert (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "save-as"));
}

START_TEST (test_window_ipv6_capture_turns_whatifs_off)
{
  tl_test_app_run_empty (ipv6_capture_turns_whatifs_off, FALSE);
}
END_TEST

START_TEST (test_window_playback_keys_spare_text_fields)
{
  tl_test_app_run_empty (playback_keys_spare_text_fields, FALSE);
}
END_TEST

START_TEST (test_window_lists_lessons_and_binds_keys)
{
  tl_test_app_run_empty (lists_lessons_and_binds_keys, FALSE);
}
END_TEST

/* A step over a state change glides the diagram's token along its edge,
 * unless the desktop asks for reduced motion (gtk-enable-animations off):
 * then the token is at its state at once. */
static void
reduced_motion_stops_the_glide (TlWindow *window)
{
  TlSession *session = tl_window_get_session (window);
  g_autoptr(GFile) file = tl_test_app_file (tmp_dir, "handshake.lesson");
  TlViewWidget *diagram = tl_test_app_child (window, "diagram_view");
  GtkSettings *settings = gtk_widget_get_settings (GTK_WIDGET (window));
  TlRenderStyle style;

  tl_window_open_file (window, file);
  tl_test_app_activate (window, "step-forward", NULL);  /* the client's SYN_SENT */
  tl_view_widget_get_style (diagram, &style);
  ck_assert_double_lt (style.glide[0], 1.0);

  tl_test_app_activate (window, "restart", NULL);
  g_object_set (settings, "gtk-enable-animations", FALSE, NULL);
  tl_test_app_activate (window, "step-forward", NULL);
  ck_assert_int_eq (tl_session_get_time (session), 10000);
  tl_view_widget_get_style (diagram, &style);
  ck_assert_double_eq (style.glide[0], 1.0);
  g_object_set (settings, "gtk-enable-animations", TRUE, NULL);
}

START_TEST (test_window_reduced_motion_stops_the_glide)
{
  tl_test_app_run_empty (reduced_motion_stops_the_glide, FALSE);
}
END_TEST

static void
steps_and_plays (TlWindow *window)
{
  TlSession *session = tl_window_get_session (window);
  g_autoptr(GFile) file = tl_test_app_file (tmp_dir, "handshake.lesson");
  GtkLabel *narration = tl_test_app_child (window, "narration_label");
  GtkLabel *question = tl_test_app_child (window, "question_label");
  GtkLabel *time_label = tl_test_app_child (window, "time_label");
  guint n_stmts;

  tl_window_open_file (window, file);
  ck_assert_str_eq (adw_window_title_get_subtitle (tl_test_app_child (window, "window_title")),
                    "Test handshake");
  ck_assert_int_eq (tl_session_get_time (session), 0);

  tl_test_app_activate (window, "step-forward", NULL);
  ck_assert_int_eq (tl_session_get_time (session), 10000);
  ck_assert_str_eq (gtk_label_get_text (narration), "The client sends SYN.");
  ck_assert_msg (strstr (gtk_label_get_text (time_label), "0.010") != NULL, "%s",
                 gtk_label_get_text (time_label));
  tl_test_app_activate (window, "step-forward", NULL);
  ck_assert_int_eq (tl_session_get_time (session), 60000);
  tl_test_app_activate (window, "step-back", NULL);
  ck_assert_int_eq (tl_session_get_time (session), 10000);

  /* Played on the frame clock, playback stops at the pause and asks. */
  ck_assert (!gtk_widget_get_visible (GTK_WIDGET (question)));
  tl_test_app_activate (window, "play", NULL);
  ck_assert (tl_session_get_playing (session));
  wait_until_stopped (session);
  ck_assert_int_eq (tl_session_get_time (session), 200000);
  ck_assert (gtk_widget_get_visible (GTK_WIDGET (question)));
  ck_assert_str_eq (gtk_label_get_text (question), "Which states now?");

  /* Free play: the server aborts here; the playhead stays. */
  n_stmts = tl_session_get_scenario (session)->stmts->len;
  tl_test_app_activate (window, "free-play", g_variant_new ("(yu)", 1, 5));
  ck_assert_uint_eq (tl_session_get_scenario (session)->stmts->len, n_stmts + 1);
  ck_assert_int_eq (g_array_index (tl_session_get_scenario (session)->stmts, TlStmt, 4).kind,
                    TL_STMT_ABORT);
  ck_assert_int_eq (tl_session_get_time (session), 200000);

  tl_test_app_activate (window, "restart", NULL);
  ck_assert_int_eq (tl_session_get_time (session), 0);
  ck_assert (!gtk_widget_get_visible (GTK_WIDGET (question)));
}

START_TEST (test_window_steps_and_plays_a_lesson)
{
  tl_test_app_run_empty (steps_and_plays, FALSE);
}
END_TEST

static void
shows_errors_and_keeps_working (TlWindow *window)
{
  TlSession *session = tl_window_get_session (window);
  g_autoptr(GFile) good = tl_test_app_file (tmp_dir, "handshake.lesson");
  g_autoptr(GFile) broken = tl_test_app_file (tmp_dir, "broken.lesson");
  g_autofree char *path = g_file_get_path (broken);
  g_autofree char *place = g_strdup_printf ("%s:4:", path);
  GtkRevealer *revealer = tl_test_app_child (window, "errors_revealer");
  GtkLabel *errors = tl_test_app_child (window, "errors_label");

  tl_window_open_file (window, good);
  ck_assert (!gtk_revealer_get_reveal_child (revealer));
  tl_window_open_file (window, broken);
  ck_assert (gtk_revealer_get_reveal_child (revealer));
  ck_assert_msg (strstr (gtk_label_get_text (errors), place) != NULL, "%s", gtk_label_get_text (errors));

  /* The last good lesson keeps playing. */
  tl_test_app_activate (window, "step-forward", NULL);
  ck_assert_int_eq (tl_session_get_time (session), 10000);

  tl_window_open_file (window, good);
  ck_assert (!gtk_revealer_get_reveal_child (revealer));
}

START_TEST (test_window_shows_errors_and_keeps_working)
{
  tl_test_app_run_empty (shows_errors_and_keeps_working, FALSE);
}
END_TEST

/* "PATH:LINE:COLUMN: error: WHAT" of the first problem in tests/bad/NAME.expected. */
static char *
first_bad_error (const char *name,
                 const char *path)
{
  g_autofree char *expected_path = g_strdup_printf ("%s/%s.expected", TL_BAD_DIR, name);
  g_autofree char *expected = NULL;
  g_autofree char *prefix = g_strdup_printf ("%s.lesson:", name);
  g_auto(GStrv) lines = NULL;

  ck_assert (g_file_get_contents (expected_path, &expected, NULL, NULL));
  lines = g_strsplit (expected, "\n", -1);
  ck_assert_str_eq (lines[0], "exit 2");
  ck_assert (g_str_has_prefix (lines[1], prefix));
  return g_strdup_printf ("%s:%s", path, lines[1] + strlen (prefix));
}

/* Broken files of tests/bad/ one after another, and one over the size
 * limit: each shows its errors, and the last good lesson keeps stepping. */
static void
shows_bad_files_and_keeps_working (TlWindow *window)
{
  static const char *const names[] = {
    "truncated-mid-string", "binary-junk", "nul-bytes", "utf8-invalid-keyword", "utf16",
    "control-chars", "setup-set", "timed-expect",
  };
  TlSession *session = tl_window_get_session (window);
  g_autoptr(GFile) good = tl_test_app_file (tmp_dir, "handshake.lesson");
  g_autofree char *huge_dir = g_build_filename (tmp_dir, "huge", NULL);
  g_autofree char *huge = g_build_filename (huge_dir, "huge.lesson", NULL);
  GtkRevealer *revealer = tl_test_app_child (window, "errors_revealer");
  GtkLabel *errors = tl_test_app_child (window, "errors_label");
  GString *text = g_string_new (handshake_lesson);
  gint64 time = 0;

  tl_window_open_file (window, good);
  ck_assert (!gtk_revealer_get_reveal_child (revealer));
  for (guint i = 0; i <= G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = NULL;
      g_autofree char *error = NULL;
      g_autoptr(GFile) file = NULL;

      if (i < G_N_ELEMENTS (names))
        {
          path = g_strdup_printf ("%s/%s.lesson", TL_BAD_DIR, names[i]);
          error = first_bad_error (names[i], path);
        }
      else
        {
          /* One byte over 4 MiB: refused without being read whole. */
          while (text->len <= TL_LESSON_MAX_BYTES)
            g_string_append (text, "# padding padding padding padding padding padding\n");
          ck_assert (g_mkdir (huge_dir, 0700) == 0);
          ck_assert (g_file_set_contents (huge, text->str, text->len, NULL));
          path = g_strdup (huge);
          error = g_strdup_printf ("%s:1:1: error: the file is more than %d bytes, the limit "
                                   "of a lesson", huge, TL_LESSON_MAX_BYTES);
        }
      file = g_file_new_for_path (path);
      tl_window_open_file (window, file);
      ck_assert_msg (gtk_revealer_get_reveal_child (revealer), "%s", path);
      ck_assert_msg (strstr (gtk_label_get_text (errors), error) != NULL, "%s\nwants\n%s",
                     gtk_label_get_text (errors), error);
      while (g_main_context_iteration (NULL, FALSE))
        ;

      /* The handshake is still there and steps on. */
      ck_assert_str_eq (tl_session_get_scenario (session)->title, "Test handshake");
      tl_test_app_activate (window, "step-forward", NULL);
      ck_assert_int_gt (tl_session_get_time (session), time);
      time = tl_session_get_time (session);
    }
  g_string_free (text, TRUE);

  tl_window_open_file (window, good);
  ck_assert (!gtk_revealer_get_reveal_child (revealer));
  tl_test_app_activate (window, "step-forward", NULL);
  ck_assert_int_eq (tl_session_get_time (session), 10000);
}

/* A file of a thousand mistakes grew the window to 1600x8191 and pushed
 * the controls off the screen; a host name of 4000 characters did the same
 * across.  Now the banner shows the first 20 and a count, scrolls, and the
 * window keeps its size; a lesson without a title is named by its file, and
 * is not free play. */
static void
banner_stays_in_bounds (TlWindow *window)
{
  g_autofree char *many_path = g_build_filename (tmp_dir, "many.lesson", NULL);
  g_autofree char *long_path = g_build_filename (tmp_dir, "long-names.lesson", NULL);
  g_autoptr(GFile) many = g_file_new_for_path (many_path);
  g_autoptr(GFile) long_names = g_file_new_for_path (long_path);
  GString *text = g_string_new ("host client 10.0.0.1\nhost server 10.0.0.2\n");
  GtkLabel *errors = tl_test_app_child (window, "errors_label");
  g_auto(GStrv) lines = NULL;
  int width, height;

  tl_test_app_settle ();
  width = gtk_widget_get_width (GTK_WIDGET (window));
  height = gtk_widget_get_height (GTK_WIDGET (window));

  for (guint i = 0; i < 1500; i++)
    g_string_append (text, "10ms bogus\n");
  ck_assert (g_file_set_contents (many_path, text->str, text->len, NULL));
  tl_window_open_file (window, many);
  tl_test_app_settle ();
  lines = g_strsplit (gtk_label_get_text (errors), "\n", -1);
  ck_assert_uint_eq (g_strv_length (lines), 21);
  ck_assert_msg (strstr (lines[0], "many.lesson:3:6: error: unknown statement 'bogus'") != NULL,
                 "%s", lines[0]);
  ck_assert_str_eq (lines[20], "… and 981 more errors");
  ck_assert_int_eq (gtk_widget_get_width (GTK_WIDGET (window)), width);
  ck_assert_int_eq (gtk_widget_get_height (GTK_WIDGET (window)), height);

  g_string_assign (text, "host ");
  for (guint i = 0; i < 4000; i++)
    g_string_append_c (text, 'a' + i % 26);
  g_string_append (text, " 10.0.0.1\nhost server 10.0.0.2\n0ms server listen 80\n");
  ck_assert (g_file_set_contents (long_path, text->str, text->len, NULL));
  g_string_free (text, TRUE);
  tl_window_open_file (window, long_names);
  tl_test_app_settle ();
  ck_assert (!gtk_revealer_get_reveal_child (tl_test_app_child (window, "errors_revealer")));
  ck_assert_uint_eq (strlen (tl_session_get_scenario (tl_window_get_session (window))->hosts[0].name),
                     4000);
  ck_assert_int_eq (gtk_widget_get_width (GTK_WIDGET (window)), width);
  ck_assert_int_eq (gtk_widget_get_height (GTK_WIDGET (window)), height);
  ck_assert_str_eq (adw_window_title_get_subtitle (tl_test_app_child (window, "window_title")),
                    "long-names.lesson");
  /* nor does its narration tell the class to play freely: it has nothing to say */
  ck_assert_str_eq (gtk_label_get_text (tl_test_app_child (window, "narration_label")), "");
}

START_TEST (test_window_banner_stays_in_bounds)
{
  tl_test_app_run_empty (banner_stays_in_bounds, FALSE);
}
END_TEST

/* The banner's text is selectable, to be copied into a mail to the
 * lesson's author; when it opens, nothing in it is selected (a selectable
 * label that takes the focus selects all its text, and the banner read as
 * one blue block). */
static void
banner_text_not_selected (TlWindow *window)
{
  g_autoptr(GFile) broken = tl_test_app_file (tmp_dir, "broken.lesson");
  GtkLabel *errors = tl_test_app_child (window, "errors_label");
  int start, end;

  ck_assert (gtk_revealer_get_reveal_child (tl_test_app_child (window, "errors_revealer")));
  ck_assert_msg (!gtk_label_get_selection_bounds (errors, &start, &end), "%d to %d selected",
                 start, end);
  tl_window_open_file (window, broken);
  tl_test_app_settle ();
  ck_assert_msg (!gtk_label_get_selection_bounds (errors, &start, &end), "%d to %d selected",
                 start, end);
}

START_TEST (test_window_banner_text_not_selected)
{
  g_autoptr(GFile) file = tl_test_app_file (tmp_dir, "broken.lesson");
  g_autofree char *path = g_file_get_path (file);

  tl_test_app_run (banner_text_not_selected, path, TRUE, NULL);
}
END_TEST

START_TEST (test_window_shows_bad_files_and_keeps_working)
{
  tl_test_app_run_empty (shows_bad_files_and_keeps_working, FALSE);
}
END_TEST

static void
picks_a_segment (TlWindow *window)
{
  TlSession *session = tl_window_get_session (window);
  g_autoptr(GFile) file = tl_test_app_file (tmp_dir, "handshake.lesson");
  TlViewWidget *ladder = tl_test_app_child (window, "ladder_view");
  TlRenderStyle style;
  int width, height;
  guint32 found = G_MAXUINT32;
  double fx = 0, fy = 0;

  tl_window_open_file (window, file);
  tl_session_set_time (session, 450000);
  /* The ladder is measured after the window has laid itself out for the
   * lesson (its panes change size when a lesson opens). */
  tl_test_app_settle ();
  width = gtk_widget_get_width (GTK_WIDGET (ladder));
  height = gtk_widget_get_height (GTK_WIDGET (ladder));
  ck_assert_int_gt (width, 100);
  ck_assert_int_gt (height, 100);

  /* Somewhere in the ladder there is an arrow. */
  tl_view_widget_get_style (ladder, &style);
  for (int y = 0; y < height && found == G_MAXUINT32; y += 2)
    for (int x = 0; x < width && found == G_MAXUINT32; x += 2)
      {
        found = tl_render_ladder_hit (tl_session_get_trace (session), 450000, width, height,
                                      &style, x, y);
        fx = x;
        fy = y;
      }
  ck_assert_uint_ne (found, G_MAXUINT32);
  ck_assert (tl_view_widget_pick_segment (ladder, fx, fy));
  ck_assert_uint_eq (tl_session_get_selected (session), found);
  ck_assert_int_eq (tl_trace_record (tl_session_get_trace (session), found)->kind, TL_REC_SEGMENT);
}

START_TEST (test_window_picks_a_segment_in_the_ladder)
{
  tl_test_app_run_empty (picks_a_segment, FALSE);
}
END_TEST

/* The client's FIN,ACK is on the wire from 300 to 350 ms: clicked at 325 ms,
 * "Drop this segment" loses it there, and the playhead stays. */
static void
drops_a_segment_in_flight (TlWindow *window)
{
  TlSession *session = tl_window_get_session (window);
  g_autoptr(GFile) file = tl_test_app_file (tmp_dir, "handshake.lesson");
  TlViewWidget *ladder = tl_test_app_child (window, "ladder_view");
  const gint64 t = 325000;
  const TlTrace *trace;
  const TlRecord *rec;
  TlRenderStyle style;
  GtkButton *drop;
  guint32 fin = G_MAXUINT32;
  int width, height;
  double fx = -1, fy = -1;

  tl_window_open_file (window, file);
  tl_session_set_time (session, t);
  tl_test_app_settle ();
  trace = tl_session_get_trace (session);
  for (guint i = 0; i < tl_trace_n_records (trace) && fin == G_MAXUINT32; i++)
    {
      rec = tl_trace_record (trace, i);
      if (rec->kind == TL_REC_SEGMENT && rec->host == 0
          && rec->u.seg.flags == (TL_FLAG_FIN | TL_FLAG_ACK))
        fin = i;
    }
  ck_assert_uint_ne (fin, G_MAXUINT32);

  width = gtk_widget_get_width (GTK_WIDGET (ladder));
  height = gtk_widget_get_height (GTK_WIDGET (ladder));
  tl_view_widget_get_style (ladder, &style);
  for (int y = 0; y < height && fx < 0; y += 2)
    for (int x = 0; x < width && fx < 0; x += 2)
      if (tl_render_ladder_hit (trace, t, width, height, &style, x, y) == fin)
        fx = x, fy = y;
  ck_assert (fx >= 0);
  ck_assert (tl_view_widget_pick_segment (ladder, fx, fy));
  ck_assert_ptr_null (tl_test_app_find_button (GTK_WIDGET (ladder),
                                               "Drop the next FIN,ACK from client to server"));
  drop = tl_test_app_find_button (GTK_WIDGET (ladder), "Drop this segment");
  ck_assert_ptr_nonnull (drop);
  ck_assert_ptr_nonnull (tl_test_app_find_button (GTK_WIDGET (ladder), "Duplicate this segment"));
  g_signal_emit_by_name (drop, "clicked");

  ck_assert_ptr_ne (tl_session_get_trace (session), trace);
  ck_assert_int_eq (tl_session_get_time (session), t);
  rec = tl_trace_record (tl_session_get_trace (session), fin);
  ck_assert_int_eq (rec->kind, TL_REC_SEGMENT);
  ck_assert_int_eq (rec->u.seg.fate, TL_FATE_LOST_SCRIPTED);
  ck_assert_uint_eq (rec->u.seg.delay_us, 25000);
}

/* A data segment's popover says the sender's congestion window when it
 * went: the first of the second flight (600 ms) after the first ACK grew
 * it to 11; a pure ACK's has no such row. */
static void
popover_shows_cwnd (TlWindow *window)
{
  TlSession *session = tl_window_get_session (window);
  g_autofree char *path = g_build_filename (tmp_dir, "bulk.lesson", NULL);
  g_autoptr(GFile) file = NULL;
  TlViewWidget *ladder = tl_test_app_child (window, "ladder_view");
  TlSegmentPopover *popover;
  const TlTrace *trace;
  guint32 data = G_MAXUINT32, ack = G_MAXUINT32;
  GtkLabel *label;

  ck_assert (g_file_set_contents (path, bulk_lesson, -1, NULL));
  file = g_file_new_for_path (path);
  tl_window_open_file (window, file);
  tl_test_app_settle ();
  trace = tl_session_get_trace (session);
  for (guint i = 0; i < tl_trace_n_records (trace); i++)
    {
      const TlRecord *rec = tl_trace_record (trace, i);

      if (rec->kind != TL_REC_SEGMENT || rec->time_us != 600000)
        continue;
      if (rec->host == 1 && rec->u.seg.len > 0 && data == G_MAXUINT32)
        data = i;
    }
  for (guint i = 0; i < tl_trace_n_records (trace) && ack == G_MAXUINT32; i++)
    {
      const TlRecord *rec = tl_trace_record (trace, i);

      if (rec->kind == TL_REC_SEGMENT && rec->host == 0 && rec->time_us == 550000)
        ack = i;
    }
  ck_assert_uint_ne (data, G_MAXUINT32);
  ck_assert_uint_ne (ack, G_MAXUINT32);
  popover = tl_segment_popover_new ();
  gtk_widget_set_parent (GTK_WIDGET (popover), GTK_WIDGET (ladder));
  tl_segment_popover_show (popover, session, data);
  ck_assert (tl_test_app_has_label (GTK_WIDGET (popover), "Congestion window"));
  ck_assert (tl_test_app_has_label (GTK_WIDGET (popover), "11 segments (ssthresh none yet)"));
  tl_session_set_time (session, 620000);
  gtk_popover_set_pointing_to (GTK_POPOVER (popover), &(GdkRectangle) { 150, 60, 1, 1 });
  gtk_popover_set_position (GTK_POPOVER (popover), GTK_POS_BOTTOM);
  gtk_popover_popup (GTK_POPOVER (popover));
  tl_test_app_settle ();
  tl_test_app_shot (window, "cwnd-popover.png");
  gtk_popover_popdown (GTK_POPOVER (popover));
  tl_segment_popover_show (popover, session, ack);
  label = tl_test_app_find_label (GTK_WIDGET (popover), "Congestion window");
  ck_assert (label == NULL || !gtk_widget_get_visible (GTK_WIDGET (label)));
  gtk_widget_unparent (GTK_WIDGET (popover));
}

START_TEST (test_window_popover_shows_cwnd)
{
  tl_test_app_run_empty (popover_shows_cwnd, FALSE);
}
END_TEST

START_TEST (test_window_drops_a_segment_in_flight)
{
  tl_test_app_run_empty (drops_a_segment_in_flight, FALSE);
}
END_TEST

/* At 250 ms the client's FIN,ACK (sent at 300 ms) is still to come (the
 * ladder does not draw it yet, so the popover is shown on it directly): it
 * offers the next one like it, and "Duplicate the next FIN,ACK" adds a
 * `duplicate next` statement, which makes that FIN,ACK, and nothing else,
 * arrive twice. */
static void
duplicates_the_next_segment (TlWindow *window)
{
  TlSession *session = tl_window_get_session (window);
  g_autoptr(GFile) file = tl_test_app_file (tmp_dir, "handshake.lesson");
  TlViewWidget *ladder = tl_test_app_child (window, "ladder_view");
  const gint64 t = 250000;
  const TlTrace *trace;
  const TlStmt *added = NULL;
  TlSegmentPopover *popover;
  GtkButton *dup;
  guint32 fin = G_MAXUINT32;
  guint copies = 0;

  tl_window_open_file (window, file);
  tl_session_set_time (session, t);
  tl_test_app_settle ();
  trace = tl_session_get_trace (session);
  for (guint i = 0; i < tl_trace_n_records (trace) && fin == G_MAXUINT32; i++)
    {
      const TlRecord *rec = tl_trace_record (trace, i);

      if (rec->kind == TL_REC_SEGMENT && rec->host == 0
          && rec->u.seg.flags == (TL_FLAG_FIN | TL_FLAG_ACK))
        fin = i;
    }
  ck_assert_uint_ne (fin, G_MAXUINT32);

  popover = tl_segment_popover_new ();
  gtk_widget_set_parent (GTK_WIDGET (popover), GTK_WIDGET (ladder));
  tl_segment_popover_show (popover, session, fin);
  ck_assert_ptr_null (tl_test_app_find_button (GTK_WIDGET (popover), "Drop this segment"));
  ck_assert_ptr_nonnull (tl_test_app_find_button (GTK_WIDGET (popover),
                                                  "Drop the next FIN,ACK from client to server"));
  dup = tl_test_app_find_button (GTK_WIDGET (popover),
                                 "Duplicate the next FIN,ACK from client to server");
  ck_assert_ptr_nonnull (dup);
  g_signal_emit_by_name (dup, "clicked");
  gtk_widget_unparent (GTK_WIDGET (popover));

  ck_assert_int_eq (tl_session_get_time (session), t);
  for (guint i = 0; i < tl_session_get_scenario (session)->stmts->len; i++)
    {
      const TlStmt *st = &g_array_index (tl_session_get_scenario (session)->stmts, TlStmt, i);

      ck_assert_int_ne (st->kind, TL_STMT_LINK);
      if (st->kind == TL_STMT_DUPLICATE_NEXT)
        added = st;
    }
  ck_assert_ptr_nonnull (added);
  ck_assert_int_eq (added->time_us, t);
  trace = tl_session_get_trace (session);
  for (guint i = 0; i < tl_trace_n_records (trace); i++)
    {
      const TlRecord *rec = tl_trace_record (trace, i);

      copies += rec->kind == TL_REC_SEGMENT && rec->u.seg.fate == TL_FATE_DUPLICATE;
    }
  ck_assert_uint_eq (copies, 1);
}

START_TEST (test_window_duplicates_the_next_segment)
{
  tl_test_app_run_empty (duplicates_the_next_segment, FALSE);
}
END_TEST

static void
plays_the_file_given (TlWindow *window)
{
  TlSession *session = tl_window_get_session (window);
  g_autoptr(GFile) file = tl_test_app_file (tmp_dir, "handshake.lesson");

  ck_assert_ptr_nonnull (tl_session_get_file (session));
  ck_assert (g_file_equal (tl_session_get_file (session), file));
  ck_assert_str_eq (tl_session_get_scenario (session)->title, "Test handshake");
}

START_TEST (test_window_opens_the_file_on_its_command_line)
{
  g_autoptr(GFile) file = tl_test_app_file (tmp_dir, "handshake.lesson");
  g_autofree char *path = g_file_get_path (file);

  tl_test_app_run (plays_the_file_given, path, FALSE, "TCP Lab");
}
END_TEST

Suite *
window_suite (void)
{
  Suite *s = suite_create ("window");
  TCase *tc = tcase_create ("ui");

  tcase_add_checked_fixture (tc, setup, teardown);
  tl_test_app_set_timeout (tc, 90);
  tcase_add_test (tc, test_cairo_renderer_skips_gl);
  tcase_add_test (tc, test_window_is_shown_and_quits);
  tcase_add_test (tc, test_window_lists_lessons_and_binds_keys);
  tcase_add_test (tc, test_window_playback_keys_spare_text_fields);
  tcase_add_test (tc, test_window_ipv6_capture_turns_whatifs_off);
  tcase_add_test (tc, test_window_text_size_scales_every_view);
  tcase_add_test (tc, test_window_steps_and_plays_a_lesson);
  tcase_add_test (tc, test_window_reduced_motion_stops_the_glide);
  tcase_add_test (tc, test_window_shows_errors_and_keeps_working);
  tcase_add_test (tc, test_window_shows_bad_files_and_keeps_working);
  tcase_add_test (tc, test_window_picks_a_segment_in_the_ladder);
  tcase_add_test (tc, test_window_drops_a_segment_in_flight);
  tcase_add_test (tc, test_window_popover_shows_cwnd);
  tcase_add_test (tc, test_window_duplicates_the_next_segment);
  tcase_add_test (tc, test_window_opens_the_file_on_its_command_line);
  tcase_add_test (tc, test_window_banner_stays_in_bounds);
  tcase_add_test (tc, test_window_banner_text_not_selected);
  suite_add_tcase (s, tc);
  return s;
}
