/* test-layout.c: the window on a classroom projector's screen.  meson runs
 * this program under Xvfb at 1280x720 and at 1024x768 (tests/meson.build):
 * the window fits the screen, the diagram and the ladder get most of it, the
 * timers, sockets, free play and lesson list fold away and come back, and the
 * narration and the question follow the text size. */
#include <check.h>
#include <glib/gstdio.h>
#include <adwaita.h>

#include "tl-test-app.h"
#include "tl-view-widget.h"
#include "tl-window.h"

static const char lesson[] =
  "title \"Layout\"\n"
  "host client 10.0.0.1\n"
  "host server 10.0.0.2\n"
  "link delay 50ms\n"
  "0ms     server listen 80\n"
  "10ms    client connect server:80\n"
  "10ms    say \"The client sends SYN and waits in SYN_SENT for the answer.\"\n"
  "100ms   pause \"Which state is the server in now?\"\n"
  "300ms   client close\n";

static char *tmp_dir;

static void
setup (void)
{
  g_autofree char *path = NULL;

  tmp_dir = g_dir_make_tmp ("tl-layout-XXXXXX", NULL);
  ck_assert_ptr_nonnull (tmp_dir);
  path = g_build_filename (tmp_dir, "layout.lesson", NULL);
  ck_assert (g_file_set_contents (path, lesson, -1, NULL));
  g_setenv ("TL_LESSONS_DIR", tmp_dir, TRUE);
}

static void
teardown (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "layout.lesson", NULL);

  g_unlink (path);
  g_rmdir (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);
}

static GtkWidget *
child (TlWindow   *window,
       const char *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), TL_TYPE_WINDOW, name));
}

static void
screen_size (TlWindow *window,
             int      *width,
             int      *height)
{
  GListModel *monitors = gdk_display_get_monitors (gtk_widget_get_display (GTK_WIDGET (window)));
  g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, 0);
  GdkRectangle geometry;

  ck_assert_ptr_nonnull (monitor);
  gdk_monitor_get_geometry (monitor, &geometry);
  *width = geometry.width;
  *height = geometry.height;
}

/* Runs `tcplab layout.lesson` and body in its window once it is shown and
 * has laid itself out. */
static void
run_window (TlTestWindowBody body)
{
  g_autofree char *path = g_build_filename (tmp_dir, "layout.lesson", NULL);

  tl_test_app_run (body, path, TRUE, NULL);
}

static void
views_get_the_room (TlWindow *window)
{
  GtkWidget *diagram = child (window, "diagram_view");
  GtkWidget *ladder = child (window, "ladder_view");
  GtkWidget *tables = child (window, "tables_box");
  GtkWidget *free_play = child (window, "freeplay_box");
  int screen_w, screen_h, win_w, win_h;

  screen_size (window, &screen_w, &screen_h);
  ck_assert_int_lt (screen_h, 860);  /* the projector sizes this test is run at */
  win_w = gtk_widget_get_width (GTK_WIDGET (window));
  win_h = gtk_widget_get_height (GTK_WIDGET (window));
  /* No window manager maximizes it: it fits by itself. */
  ck_assert_int_le (win_w, screen_w);
  ck_assert_int_le (win_h, screen_h);
  ck_assert_int_ge (win_w, screen_w * 9 / 10);
  ck_assert_int_ge (win_h, screen_h * 9 / 10);

  /* Folded: the tables, free play, the lesson list. */
  ck_assert (!gtk_widget_get_visible (tables));
  ck_assert (!gtk_widget_get_visible (free_play));
  ck_assert (adw_flap_get_folded (ADW_FLAP (child (window, "flap"))));
  ck_assert (!adw_flap_get_reveal_flap (ADW_FLAP (child (window, "flap"))));

  /* The diagram takes most of the height and more than half the width; the
   * ladder the rest of the width, wide enough for its states' names. */
  ck_assert_msg (gtk_widget_get_height (diagram) >= win_h * 55 / 100,
                 "diagram %d of %d px high", gtk_widget_get_height (diagram), win_h);
  ck_assert_msg (gtk_widget_get_width (diagram) >= win_w * 55 / 100,
                 "diagram %d of %d px wide", gtk_widget_get_width (diagram), win_w);
  ck_assert_int_le (gtk_widget_get_width (diagram), win_w * 65 / 100);
  ck_assert_msg (gtk_widget_get_width (ladder) >= win_w * 35 / 100,
                 "ladder %d of %d px wide", gtk_widget_get_width (ladder), win_w);
  ck_assert_int_eq (gtk_widget_get_height (ladder), gtk_widget_get_height (diagram));

  /* F7 brings the tables back below the views, which keep the larger part. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-tables", NULL);
  tl_test_app_settle ();
  ck_assert (gtk_widget_get_visible (tables));
  ck_assert_int_ge (gtk_widget_get_height (tables), 100);
  ck_assert_msg (gtk_widget_get_height (diagram) >= 2 * gtk_widget_get_height (tables),
                 "diagram %d px, tables %d px", gtk_widget_get_height (diagram),
                 gtk_widget_get_height (tables));
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-tables", NULL);
  tl_test_app_settle ();
  ck_assert (!gtk_widget_get_visible (tables));

  /* F9 shows the lesson list over the views, F8 free play below them, and
   * the window still fits the screen. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-lessons", NULL);
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-free-play", NULL);
  tl_test_app_settle ();
  ck_assert (adw_flap_get_reveal_flap (ADW_FLAP (child (window, "flap"))));
  ck_assert (gtk_widget_get_visible (free_play));
  ck_assert_int_le (gtk_widget_get_width (GTK_WIDGET (window)), screen_w);
  ck_assert_int_le (gtk_widget_get_height (GTK_WIDGET (window)), screen_h);
}

START_TEST (test_layout_gives_the_views_a_small_screen)
{
  run_window (views_get_the_room);
}
END_TEST

static int
label_height (GtkWidget *label,
              int        width)
{
  int height;

  gtk_widget_measure (label, GTK_ORIENTATION_VERTICAL, width, NULL, &height, NULL, NULL);
  return height;
}

static void
text_size_scales_the_words (TlWindow *window)
{
  GtkWidget *narration = child (window, "narration_label");
  GtkWidget *question = child (window, "question_label");
  int narration_1, question_1;

  /* At the pause both show. */
  for (guint i = 0; i < 10 && tl_session_get_time (tl_window_get_session (window)) < 100000; i++)
    g_action_group_activate_action (G_ACTION_GROUP (window), "step-forward", NULL);
  ck_assert_int_eq (tl_session_get_time (tl_window_get_session (window)), 100000);
  ck_assert (gtk_widget_get_visible (question));
  narration_1 = label_height (narration, 4000);
  question_1 = label_height (question, 4000);

  tl_window_set_text_scale (window, 1.5);
  ck_assert_int_ge (label_height (narration, 4000), narration_1 * 14 / 10);
  ck_assert_int_ge (label_height (question, 4000), question_1 * 14 / 10);
  tl_window_set_text_scale (window, 0.7);
  ck_assert_int_le (label_height (narration, 4000), narration_1 * 8 / 10);
  ck_assert_int_le (label_height (question, 4000), question_1 * 8 / 10);
  g_action_group_activate_action (G_ACTION_GROUP (window), "text-reset", NULL);
  ck_assert_int_eq (label_height (narration, 4000), narration_1);
  ck_assert_int_eq (label_height (question, 4000), question_1);
}

START_TEST (test_layout_text_size_scales_narration_and_question)
{
  run_window (text_size_scales_the_words);
}
END_TEST

Suite *
layout_suite (void)
{
  Suite *s = suite_create ("layout");
  TCase *tc = tcase_create ("ui");

  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_set_timeout (tc, 90);
  tcase_add_test (tc, test_layout_gives_the_views_a_small_screen);
  tcase_add_test (tc, test_layout_text_size_scales_narration_and_question);
  suite_add_tcase (s, tc);
  return s;
}
