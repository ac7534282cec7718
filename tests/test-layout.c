/* test-layout.c: the window on a classroom projector's screen.  meson runs
 * this program under Xvfb at 1280x720, 1024x768 and 1920x1080
 * (tests/meson.build): the window fits the screen, the diagram and the
 * ladder get most of it, the timers, sockets, free play and lesson list fold
 * away and come back, the narration and the question follow the text size,
 * and every text the views draw is large enough for the back of a classroom
 * and clear of every other, at the default text size and the largest the
 * screen is made for. */
#include "tl-config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <glib/gstdio.h>
#include <adwaita.h>

#include "tl-application.h"
#include "tl-lesson.h"
#include "tl-question.h"
#include "tl-render.h"
#include "tl-test-app.h"
#include "tl-view-widget.h"
#include "tl-window.h"

/* Below this screen height the timers and the tables fold away (tl-window.c). */
#define COMPACT_HEIGHT 860
/* The least share of its height the ladder keeps above a question's card
 * for its hosts' names and its last events (tl-window.c keeps 0.45, or
 * 0.35 where the card would not fit at 1x). */
#define LADDER_KEEPS_SHARE 0.33

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
  /* the layout, not the tokens' glide: each seek settles at once */
  tl_test_app_set_animations (FALSE);
}

static void
teardown (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "layout.lesson", NULL);
  g_autofree char *question = g_build_filename (tmp_dir, "question.lesson", NULL);

  g_unlink (path);
  g_unlink (question);
  g_rmdir (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);
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
  GtkWidget *diagram = tl_test_app_child (window, "diagram_view");
  GtkWidget *ladder = tl_test_app_child (window, "ladder_view");
  GtkWidget *tables = tl_test_app_child (window, "tables_box");
  GtkWidget *free_play = tl_test_app_child (window, "freeplay_box");
  int screen_w, screen_h, win_w, win_h;

  screen_size (window, &screen_w, &screen_h);
  win_w = gtk_widget_get_width (GTK_WIDGET (window));
  win_h = gtk_widget_get_height (GTK_WIDGET (window));
  if (screen_h >= COMPACT_HEIGHT)
    {
      /* A full HD screen has room for the tables from the start: as
       * much as their rows take, the views keeping 60% at least. */
      ck_assert_int_le (win_w, screen_w);
      ck_assert_int_le (win_h, screen_h);
      ck_assert (gtk_widget_get_visible (tables));
      ck_assert_msg (gtk_widget_get_height (diagram) * 2 >= 3 * gtk_widget_get_height (tables),
                     "diagram %d px, tables %d px", gtk_widget_get_height (diagram),
                     gtk_widget_get_height (tables));
      return;
    }
  /* No window manager maximizes it: it fits by itself. */
  ck_assert_int_le (win_w, screen_w);
  ck_assert_int_le (win_h, screen_h);
  ck_assert_int_ge (win_w, screen_w * 9 / 10);
  ck_assert_int_ge (win_h, screen_h * 9 / 10);

  /* Folded: the tables, free play, the lesson list. */
  ck_assert (!gtk_widget_get_visible (tables));
  ck_assert (!gtk_widget_get_visible (free_play));
  ck_assert (adw_flap_get_folded (ADW_FLAP (tl_test_app_child (window, "flap"))));
  ck_assert (!adw_flap_get_reveal_flap (ADW_FLAP (tl_test_app_child (window, "flap"))));

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
  ck_assert (adw_flap_get_reveal_flap (ADW_FLAP (tl_test_app_child (window, "flap"))));
  ck_assert (gtk_widget_get_visible (free_play));
  ck_assert_int_le (gtk_widget_get_width (GTK_WIDGET (window)), screen_w);
  ck_assert_int_le (gtk_widget_get_height (GTK_WIDGET (window)), screen_h);
}

START_TEST (test_layout_gives_the_views_a_small_screen)
{
  run_window (views_get_the_room);
}
END_TEST

/* Free play, which `tcplab` opens with no lesson, is made to act with its
 * buttons: they never fold away, not even on a projector's 1280x720 where a
 * lesson folds them, and the narration that points at them is above them;
 * the diagram keeps the larger part of the height. */
static void
free_play_keeps_its_buttons (TlWindow *window)
{
  GtkWidget *free_play = tl_test_app_child (window, "freeplay_box");
  GtkWidget *diagram = tl_test_app_child (window, "diagram_view");
  GtkWidget *narration = tl_test_app_child (window, "narration_label");
  GtkListBox *lessons = tl_test_app_child (window, "lesson_list");
  int screen_w, screen_h;
  graphene_point_t top;

  screen_size (window, &screen_w, &screen_h);
  ck_assert (gtk_widget_get_visible (free_play));
  ck_assert_int_gt (gtk_widget_get_height (free_play), 0);
  ck_assert_int_le (gtk_widget_get_height (GTK_WIDGET (window)), screen_h);
  ck_assert (gtk_widget_compute_point (free_play, GTK_WIDGET (window), &GRAPHENE_POINT_INIT (0, 0),
                                       &top));
  ck_assert_msg (top.y + gtk_widget_get_height (free_play)
                   <= gtk_widget_get_height (GTK_WIDGET (window)),
                 "free play at %g, %d px high, in a window %d px high", top.y,
                 gtk_widget_get_height (free_play), gtk_widget_get_height (GTK_WIDGET (window)));
  ck_assert (strstr (gtk_label_get_text (GTK_LABEL (narration)), "buttons below") != NULL);
  ck_assert_msg (gtk_widget_get_height (diagram) >= gtk_widget_get_height (GTK_WIDGET (window)) / 2,
                 "diagram %d px high", gtk_widget_get_height (diagram));
  /* F8 still hides them, and brings them back. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-free-play", NULL);
  tl_test_app_settle ();
  ck_assert (!gtk_widget_get_visible (free_play));
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-free-play", NULL);
  tl_test_app_settle ();
  ck_assert (gtk_widget_get_visible (free_play));
  /* A lesson from the list folds them away on a small screen, as a lesson
   * opened from the start would (a large one keeps them); "Free Play"
   * brings them back. */
  g_signal_emit_by_name (lessons, "row-activated", gtk_list_box_get_row_at_index (lessons, 0));
  tl_test_app_settle ();
  ck_assert (gtk_widget_get_visible (free_play) == (screen_h >= COMPACT_HEIGHT));
  g_action_group_activate_action (G_ACTION_GROUP (window), "free-play-new", NULL);
  tl_test_app_settle ();
  ck_assert (gtk_widget_get_visible (free_play));
}

START_TEST (test_layout_free_play_keeps_its_buttons)
{
  tl_test_app_run_empty (free_play_keeps_its_buttons, TRUE);
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
  GtkWidget *narration = tl_test_app_child (window, "narration_label");
  GtkWidget *question = tl_test_app_child (window, "question_label");
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

/* The moments a class is shown: three lessons, three moments each, and
 * the moments two segments cross. */
static const struct
{
  const char *lesson;
  gint64      times_ms[6];   /* 0: none */
} moments[] = {
  { "syn-flood",          { 450, 2000, 9500 } },
  /* (at 400 and 450 ms the legend had no room for the names; from 600 to
   * 700 ms the FINs and then the ACKs cross, their labels side by side) */
  { "simultaneous-close", { 250, 330, 400, 600, 650, 800 } },
  /* the SYNs cross, then the SYN,ACKs */
  { "simultaneous-open",  { 200, 250, 300 } },
  { "time-wait-pileup",   { 450, 700, 1900, 3100 } },
};

static gboolean
labels_meet (const TlRenderLabel *a,
             const TlRenderLabel *b)
{
  /* Half a pixel of antialiasing is not an overlap. */
  return a->x + 0.5 < b->x + b->width && b->x + 0.5 < a->x + a->width &&
         a->y + 0.5 < b->y + b->height && b->y + 0.5 < a->y + a->height;
}

/* WCAG 2's relative luminance of an sRGB colour. */
static double
luminance (const double rgb[3])
{
  double l[3];

  for (guint i = 0; i < 3; i++)
    l[i] = rgb[i] <= 0.04045 ? rgb[i] / 12.92 : pow ((rgb[i] + 0.055) / 1.055, 2.4);
  return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
}

/* The least contrast of a label's colour against its ground: WCAG 2's
 * 4.5:1 for text (1.4.3).  A projector in a lit room shows less contrast
 * than the monitor the lesson was prepared on, so text needs at least
 * this much where it is made. */
#define LEAST_CONTRAST 4.5

static double
contrast (const double a[3],
          const double b[3])
{
  double la = luminance (a), lb = luminance (b);

  return (MAX (la, lb) + 0.05) / (MIN (la, lb) + 0.05);
}

/* The ground a label is drawn on: the colour most of its rectangle's
 * corners and sides' middles have in surface. */
static void
label_ground (cairo_surface_t     *surface,
              const TlRenderLabel *l,
              double               rgb[3])
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  int sw = cairo_image_surface_get_width (surface), sh = cairo_image_surface_get_height (surface);
  guint32 px[8];
  guint best = 0, best_n = 0;

  cairo_surface_flush (surface);
  for (guint i = 0; i < 8; i++)
    {
      const double fx[] = { 0, 0.5, 1, 0, 1, 0, 0.5, 1 }, fy[] = { 0, 0, 0, 0.5, 0.5, 1, 1, 1 };
      int x = CLAMP ((int) (l->x + 1 + fx[i] * (l->width - 3)), 0, sw - 1);
      int y = CLAMP ((int) (l->y + 1 + fy[i] * (l->height - 3)), 0, sh - 1);

      px[i] = *(const guint32 *) (data + y * stride + x * 4) & 0xffffff;
    }
  for (guint i = 0; i < 8; i++)
    {
      guint n = 0;

      for (guint j = 0; j < 8; j++)
        n += px[j] == px[i];
      if (n > best_n)
        best_n = n, best = i;
    }
  rgb[0] = ((px[best] >> 16) & 0xff) / 255.0;
  rgb[1] = ((px[best] >> 8) & 0xff) / 255.0;
  rgb[2] = (px[best] & 0xff) / 255.0;
}

/* In the ladder the hosts' names over their timelines are its largest
 * text, and their addresses as large as the segments' labels: a class
 * reads the same sizes for the same kinds of things. */
static void
assert_ladder_sizes_consistent (const TlTrace *trace,
                                GArray        *labels,
                                const char    *where)
{
  double title_px = G_MAXDOUBLE, addr_px = 0, largest = 0;
  const char *largest_text = "";

  for (guint h = 0; h < 2; h++)
    {
      g_autofree char *name = tl_render_host_name (trace, h);
      char addr[TL_ADDR_STRLEN];

      tl_trace_format_addr (trace, tl_trace_host_addr (trace, h), addr);
      for (guint i = 0; i < labels->len; i++)
        {
          const TlRenderLabel *l = &g_array_index (labels, TlRenderLabel, i);

          if (g_str_equal (l->text, name))
            title_px = MIN (title_px, l->line_px);
          else if (g_str_equal (l->text, addr))
            addr_px = MAX (addr_px, l->line_px);
        }
    }
  if (title_px == G_MAXDOUBLE)
    return;
  for (guint i = 0; i < labels->len; i++)
    {
      const TlRenderLabel *l = &g_array_index (labels, TlRenderLabel, i);

      if (l->line_px > largest && l->kind == TL_LABEL_TEXT && strstr (l->text, "seq=") != NULL)
        largest = l->line_px, largest_text = l->text;
    }
  ck_assert_msg (largest <= title_px + 0.5,
                 "%s: the ladder's '%s' in lines of %.1f px, its hosts' names %.1f px", where,
                 largest_text, largest, title_px);
  ck_assert_msg (largest <= addr_px + 0.5,
                 "%s: the ladder's '%s' in lines of %.1f px, its hosts' addresses %.1f px",
                 where, largest_text, largest, addr_px);
}

/* Draws view as its widget does, listing its labels, and checks them: each
 * line at least 18 px high (a state's name 20 px), inside the view, no two
 * overlapping, none over an arrow's head, each in colours that a projector
 * still shows apart; the ladder's sizes consistent. */
static void
assert_view_legible (TlViewWidget *view,
                     gboolean      sizes,
                     const char   *where)
{
  int w = gtk_widget_get_width (GTK_WIDGET (view));
  int h = gtk_widget_get_height (GTK_WIDGET (view));
  TlSession *session = tl_view_widget_get_session (view);
  g_autoptr(GArray) labels = tl_render_labels_new ();
  g_autoptr(GArray) marks = tl_render_labels_new ();
  cairo_surface_t *surface;
  TlRenderStyle style;
  cairo_t *cr;
  int kind;

  if (!gtk_widget_get_mapped (GTK_WIDGET (view)) || w <= 1 || h <= 1)
    return;
  g_object_get (view, "view", &kind, NULL);
  tl_view_widget_get_style (view, &style);
  style.labels = labels;
  style.marks = marks;
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, w, h);
  cr = cairo_create (surface);
  tl_render_view (cr, kind, tl_session_get_trace (session), tl_session_get_time (session),
                  w, h, &style);
  cairo_destroy (cr);
  for (guint i = 0; i < labels->len; i++)
    {
      const TlRenderLabel *a = &g_array_index (labels, TlRenderLabel, i);
      double ground[3];

      for (guint j = 0; j < marks->len; j++)
        {
          const TlRenderLabel *m = &g_array_index (marks, TlRenderLabel, j);

          ck_assert_msg (!labels_meet (a, m),
                         "%s, view %d (%dx%d): '%s' (%.0f,%.0f %.0fx%.0f) is over an arrow's "
                         "head (%.0f,%.0f %.0fx%.0f)", where, kind, w, h, a->text, a->x, a->y,
                         a->width, a->height, m->x, m->y, m->width, m->height);
        }
      label_ground (surface, a, ground);
      ck_assert_msg (contrast (a->ink, ground) >= LEAST_CONTRAST,
                     "%s, view %d (%dx%d): '%s' in %.2f,%.2f,%.2f on %.2f,%.2f,%.2f: contrast "
                     "%.1f:1", where, kind, w, h, a->text, a->ink[0], a->ink[1],
                     a->ink[2], ground[0], ground[1], ground[2],
                     contrast (a->ink, ground));
    }
  cairo_surface_destroy (surface);
  if (kind == TL_VIEW_LADDER)
    assert_ladder_sizes_consistent (tl_session_get_trace (session), labels, where);

  /* The ladder draws nothing under a question's card that covers it whole
   * (a small screen, a large text size: the card never covers the diagram). */
  ck_assert_msg (labels->len > 0 ||
                 (kind == TL_VIEW_LADDER && style.ladder_cover_px > 0 &&
                  h - style.ladder_cover_px < tl_render_ladder_least_height (tl_session_get_trace (session),
                                                                             tl_session_get_time (session),
                                                                             w, h, &style)),
                 "%s, view %d: no text", where, kind);
  for (guint i = 0; i < labels->len; i++)
    {
      const TlRenderLabel *a = &g_array_index (labels, TlRenderLabel, i);

      ck_assert_msg (!sizes || a->line_px >= (a->kind == TL_LABEL_STATE ? 20.0 : 18.0),
                     "%s, view %d (%dx%d): '%s' has lines of %.1f px", where, kind, w, h,
                     a->text, a->line_px);
      ck_assert_msg (a->x >= -0.5 && a->y >= -0.5 && a->x + a->width <= w + 0.5 &&
                     a->y + a->height <= h + 0.5,
                     "%s, view %d (%dx%d): '%s' at %.0f,%.0f %.0fx%.0f is cut by the edge",
                     where, kind, w, h, a->text, a->x, a->y, a->width, a->height);
      for (guint j = i + 1; j < labels->len; j++)
        {
          const TlRenderLabel *b = &g_array_index (labels, TlRenderLabel, j);

          ck_assert_msg (!labels_meet (a, b),
                         "%s, view %d (%dx%d): '%s' (%.0f,%.0f %.0fx%.0f) overlaps '%s' "
                         "(%.0f,%.0f %.0fx%.0f)", where, kind, w, h, a->text, a->x, a->y,
                         a->width, a->height, b->text, b->x, b->y, b->width, b->height);
        }
    }
}

static GArray *view_labels (TlViewWidget *view);

/* The diagram's legend says whose colour is whose: each host's name is
 * drawn (alone or with its state), whatever room the diagram has. */
static void
assert_legend_names_hosts (TlWindow   *window,
                           const char *where)
{
  TlViewWidget *diagram = TL_VIEW_WIDGET (tl_test_app_child (window, "diagram_view"));
  const TlTrace *trace = tl_session_get_trace (tl_window_get_session (window));
  g_autoptr(GArray) labels = view_labels (diagram);

  for (guint h = 0; h < 2; h++)
    {
      g_autofree char *name = tl_render_host_name (trace, h);
      gboolean found = FALSE;

      for (guint i = 0; i < labels->len && !found; i++)
        {
          const char *text = g_array_index (labels, TlRenderLabel, i).text;

          found = g_str_has_prefix (text, name) &&
                  (text[strlen (name)] == '\0' || !g_ascii_isalnum (text[strlen (name)]));
        }
      ck_assert_msg (found, "%s: the diagram (%dx%d) does not name %s", where,
                     gtk_widget_get_width (GTK_WIDGET (diagram)),
                     gtk_widget_get_height (GTK_WIDGET (diagram)), name);
    }
}

static void
assert_all_views_legible (TlWindow   *window,
                          gboolean    sizes,
                          const char *where)
{
  const char *names[] = { "diagram_view", "ladder_view", "timers_view", "sockets_view" };

  /* The diagram and the ladder are always there to be checked. */
  ck_assert_msg (gtk_widget_get_mapped (tl_test_app_child (window, "diagram_view")) &&
                 gtk_widget_get_mapped (tl_test_app_child (window, "ladder_view")),
                 "%s: the diagram or the ladder is not shown", where);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    assert_view_legible (TL_VIEW_WIDGET (tl_test_app_child (window, names[i])), sizes, where);
  assert_legend_names_hosts (window, where);
}

/* The largest text size each screen is made for: 1.5 on a projector's
 * 1280x720 or 1024x768, 2 on full HD. */
static double
largest_text_scale (TlWindow *window)
{
  int screen_w, screen_h;

  screen_size (window, &screen_w, &screen_h);
  return screen_h >= COMPACT_HEIGHT ? 2.0 : 1.5;
}

static void
every_text_is_legible (TlWindow *window)
{
  const double scales[] = { 1.0, largest_text_scale (window) };

  for (guint m = 0; m < G_N_ELEMENTS (moments); m++)
    {
      g_autofree char *name = g_strconcat (moments[m].lesson, ".lesson", NULL);
      g_autofree char *path = g_build_filename (TL_SOURCE_LESSONS_DIR, name, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);

      tl_window_open_file (window, file);
      ck_assert_ptr_null (tl_session_get_errors (tl_window_get_session (window)));
      for (guint s = 0; s < G_N_ELEMENTS (scales); s++)
        for (guint tables = 0; tables < 2; tables++)
          {
            tl_window_set_text_scale (window, scales[s]);
            /* With the timers and tables shown as well as folded away. */
            if (tables == 1)
              g_action_group_activate_action (G_ACTION_GROUP (window), "show-tables", NULL);
            for (guint t = 0; t < G_N_ELEMENTS (moments[m].times_ms) && moments[m].times_ms[t] > 0; t++)
              {
                g_autofree char *where = g_strdup_printf ("%s at %" G_GINT64_FORMAT " ms, "
                                                          "text size %.2f%s",
                                                          moments[m].lesson,
                                                          moments[m].times_ms[t], scales[s],
                                                          tables ? ", tables toggled" : "");

                tl_session_set_time (tl_window_get_session (window),
                                     moments[m].times_ms[t] * 1000);
                /* the first moment after a change of size or tables: all of it */
                if (t == 0)
                  tl_test_app_settle ();
                else
                  tl_test_app_settle_seek ();
                /* The sizes hold with the timers and tables brought back on a
                 * small screen at the largest text size too. */
                assert_all_views_legible (window, TRUE, where);
              }
            if (tables == 1)
              g_action_group_activate_action (G_ACTION_GROUP (window), "show-tables", NULL);
          }
      tl_window_set_text_scale (window, 1.0);
    }
}

START_TEST (test_layout_every_text_is_legible_and_clear)
{
  run_window (every_text_is_legible);
}
END_TEST

/* z zooms the ladder in, f shows the whole lesson and again follows the
 * playhead, Page_Up scrolls back in time. */
static void
ladder_zooms_fits_and_follows (TlWindow *window)
{
  TlViewWidget *ladder = TL_VIEW_WIDGET (tl_test_app_child (window, "ladder_view"));
  TlSession *session = tl_window_get_session (window);
  TlRenderStyle style;
  gint64 t0, span, zoomed_t0, zoomed_span;

  tl_session_set_time (session, 300000);
  tl_view_widget_get_style (ladder, &style);
  tl_render_ladder_window (tl_session_get_trace (session), 300000, &style, &t0, &span);
  ck_assert (tl_view_widget_ladder_follows (ladder));

  g_action_group_activate_action (G_ACTION_GROUP (window), "ladder-zoom-in", NULL);
  tl_view_widget_get_style (ladder, &style);
  tl_render_ladder_window (tl_session_get_trace (session), 300000, &style, &zoomed_t0,
                           &zoomed_span);
  ck_assert_int_lt (zoomed_span, span);
  ck_assert_int_le (zoomed_t0, 300000);

  g_action_group_activate_action (G_ACTION_GROUP (window), "ladder-fit", NULL);
  ck_assert (!tl_view_widget_ladder_follows (ladder));
  tl_view_widget_get_style (ladder, &style);
  tl_render_ladder_window (tl_session_get_trace (session), 300000, &style, &t0, &span);
  ck_assert_int_eq (t0, 0);
  ck_assert_int_ge (span, tl_session_get_end_time (session));
  g_action_group_activate_action (G_ACTION_GROUP (window), "ladder-fit", NULL);
  ck_assert (tl_view_widget_ladder_follows (ladder));

  g_action_group_activate_action (G_ACTION_GROUP (window), "ladder-earlier", NULL);
  ck_assert (!tl_view_widget_ladder_follows (ladder));
}

START_TEST (test_layout_ladder_zooms_fits_and_follows)
{
  run_window (ladder_zooms_fits_and_follows);
}
END_TEST

/* The language switch replaces the window with one in the language chosen,
 * on the same lesson at the same time: its labels, its views' labels and
 * the lesson's narration change at once. */
static void
language_switches_everything (TlWindow *window)
{
  g_autofree char *path = g_build_filename (TL_SOURCE_LESSONS_DIR, "syn-flood.lesson", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  TlWindow *fresh;
  GtkLabel *narration;
  TlViewWidget *timers;
  g_autoptr(GArray) labels = tl_render_labels_new ();
  TlRenderStyle style;
  cairo_surface_t *surface;
  cairo_t *cr;
  gboolean chinese = FALSE;

  tl_window_open_file (window, file);
  tl_session_set_time (tl_window_get_session (window), 450000);
  fresh = tl_test_app_switch_language (window, "zh_CN");
  ck_assert_int_eq (tl_session_get_time (tl_window_get_session (fresh)), 450000);
  narration = GTK_LABEL (tl_test_app_child (fresh, "narration_label"));
  ck_assert_msg (g_str_has_prefix (gtk_label_get_text (narration), "九个请求"),
                 "narration: %s", gtk_label_get_text (narration));

  /* The views' own labels too: the timers say "no timer running" in Chinese. */
  timers = TL_VIEW_WIDGET (tl_test_app_child (fresh, "timers_view"));
  tl_view_widget_get_style (timers, &style);
  style.labels = labels;
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 800, 400);
  cr = cairo_create (surface);
  tl_render_view (cr, TL_VIEW_TIMERS, tl_session_get_trace (tl_window_get_session (fresh)),
                  50000, 800, 400, &style);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  for (guint i = 0; i < labels->len; i++)
    chinese = chinese || g_str_equal (g_array_index (labels, TlRenderLabel, i).text,
                                      "没有运行中的定时器");
  ck_assert (chinese);

  /* Back to the desktop's language (C here). */
  fresh = tl_test_app_switch_language (fresh, "");
  narration = GTK_LABEL (tl_test_app_child (fresh, "narration_label"));
  ck_assert_msg (g_str_has_prefix (gtk_label_get_text (narration), "Nine requests"),
                 "narration: %s", gtk_label_get_text (narration));
}

START_TEST (test_layout_language_switches_everything)
{
  run_window (language_switches_everything);
}
END_TEST

/* F5: the diagram and the ladder fill the screen under the narration and the
 * question, made larger; the controls, the tables, free play and the lesson
 * list make way, the playback actions still act, and F5 again brings back
 * what was shown. */
static void
presentation_shows_the_views_only (TlWindow *window)
{
  GtkWidget *diagram = tl_test_app_child (window, "diagram_view");
  GtkWidget *ladder = tl_test_app_child (window, "ladder_view");
  GtkWidget *narration = tl_test_app_child (window, "narration_label");
  GtkWidget *question = tl_test_app_child (window, "question_label");
  GtkWidget *controls = tl_test_app_child (window, "controls_box");
  GtkWidget *header = tl_test_app_child (window, "header_bar");
  TlSession *session = tl_window_get_session (window);
  gboolean tables_before = gtk_widget_get_visible (tl_test_app_child (window, "tables_box"));
  g_autoptr(GVariant) state = NULL;
  int narration_before, question_before, win_h;

  for (guint i = 0; i < 10 && tl_session_get_time (session) < 100000; i++)
    g_action_group_activate_action (G_ACTION_GROUP (window), "step-forward", NULL);
  ck_assert (gtk_widget_get_visible (question));
  narration_before = label_height (narration, 4000);
  question_before = label_height (question, 4000);

  g_action_group_activate_action (G_ACTION_GROUP (window), "presentation", NULL);
  tl_test_app_settle ();
  state = g_action_group_get_action_state (G_ACTION_GROUP (window), "presentation");
  ck_assert (g_variant_get_boolean (state));
  ck_assert (!gtk_widget_get_visible (controls));
  ck_assert (!gtk_widget_get_visible (header));
  ck_assert (!gtk_widget_get_visible (tl_test_app_child (window, "tables_box")));
  ck_assert (!gtk_widget_get_visible (tl_test_app_child (window, "freeplay_box")));
  ck_assert (!adw_flap_get_reveal_flap (ADW_FLAP (tl_test_app_child (window, "flap"))));
  ck_assert (gtk_widget_get_mapped (diagram) && gtk_widget_get_mapped (ladder));
  ck_assert (gtk_widget_get_mapped (question));
  ck_assert_int_ge (label_height (narration, 4000), narration_before * 13 / 10);
  ck_assert_int_ge (label_height (question, 4000), question_before * 13 / 10);
  /* The views have what the narration and the question leave. */
  win_h = gtk_widget_get_height (GTK_WIDGET (window));
  ck_assert_msg (gtk_widget_get_height (diagram) >= win_h * 55 / 100,
                 "diagram %d of %d px high", gtk_widget_get_height (diagram), win_h);
  ck_assert_int_eq (gtk_widget_get_height (ladder), gtk_widget_get_height (diagram));
  assert_all_views_legible (window, TRUE, "presentation");

  /* The playback keys' actions still play. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "step-forward", NULL);
  ck_assert_int_gt (tl_session_get_time (session), 100000);

  g_action_group_activate_action (G_ACTION_GROUP (window), "presentation", NULL);
  tl_test_app_settle ();
  ck_assert (gtk_widget_get_visible (controls));
  ck_assert (gtk_widget_get_visible (header));
  ck_assert_int_eq (gtk_widget_get_visible (tl_test_app_child (window, "tables_box")), tables_before);
  ck_assert_int_eq (label_height (narration, 4000), narration_before);
}

START_TEST (test_layout_presentation_shows_the_views_only)
{
  run_window (presentation_shows_the_views_only);
}
END_TEST

/* Toasts show over the views: never over the playback controls or the
 * free-play buttons. */
static void
toasts_leave_the_controls_free (TlWindow *window)
{
  const char *controls[] = { "controls_box", "freeplay_box" };
  graphene_rect_t toasts;

  g_action_group_activate_action (G_ACTION_GROUP (window), "show-free-play", NULL);
  tl_test_app_settle ();
  ck_assert (gtk_widget_compute_bounds (tl_test_app_child (window, "toast_overlay"), GTK_WIDGET (window),
                                        &toasts));
  for (guint i = 0; i < G_N_ELEMENTS (controls); i++)
    {
      graphene_rect_t bounds;

      if (!gtk_widget_get_visible (tl_test_app_child (window, controls[i])))
        continue;
      ck_assert (gtk_widget_compute_bounds (tl_test_app_child (window, controls[i]), GTK_WIDGET (window),
                                            &bounds));
      ck_assert_msg (!graphene_rect_intersection (&toasts, &bounds, NULL),
                     "toasts over %s", controls[i]);
    }
}

START_TEST (test_layout_toasts_leave_the_controls_free)
{
  run_window (toasts_leave_the_controls_free);
}
END_TEST

/* The labels view draws as its widget does now. */
static GArray *
view_labels (TlViewWidget *view)
{
  int w = gtk_widget_get_width (GTK_WIDGET (view));
  int h = gtk_widget_get_height (GTK_WIDGET (view));
  TlSession *session = tl_view_widget_get_session (view);
  GArray *labels = tl_render_labels_new ();
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, MAX (w, 1),
                                                         MAX (h, 1));
  cairo_t *cr = cairo_create (surface);
  TlRenderStyle style;
  int kind;

  g_object_get (view, "view", &kind, NULL);
  tl_view_widget_get_style (view, &style);
  style.labels = labels;
  tl_render_view (cr, kind, tl_session_get_trace (session), tl_session_get_time (session),
                  w, h, &style);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return labels;
}

static const TlRenderLabel *
find_label (GArray     *labels,
            const char *prefix)
{
  for (guint i = 0; i < labels->len; i++)
    if (g_str_has_prefix (g_array_index (labels, TlRenderLabel, i).text, prefix))
      return &g_array_index (labels, TlRenderLabel, i);
  return NULL;
}

/* Scrolls the tables until a label starting with prefix is in view; the
 * labels drawn there (the label found in *found, NULL if none). */
static GArray *
scroll_to_label (TlViewWidget         *view,
                 GtkAdjustment        *vadj,
                 const char           *prefix,
                 const TlRenderLabel **found)
{
  GArray *labels = NULL;

  for (double v = 0;; v += gtk_adjustment_get_page_size (vadj) / 2)
    {
      gtk_adjustment_set_value (vadj, v);
      tl_test_app_settle ();
      g_clear_pointer (&labels, g_array_unref);
      labels = view_labels (view);
      *found = find_label (labels, prefix);
      if (*found != NULL ||
          v >= gtk_adjustment_get_upper (vadj) - gtk_adjustment_get_page_size (vadj))
        return labels;
    }
}

/* The socket tables of the SYN flood, shown: no row elided, the SYN-RECV
 * sockets one row with their count that a click opens, the rows then
 * scrolled to the last; the timers pane gives its room to the tables when
 * no timer runs, and the tables have room for rows, not only the counts. */
static void
tables_take_the_room (TlWindow *window)
{
  g_autofree char *path = g_build_filename (TL_SOURCE_LESSONS_DIR, "syn-flood.lesson", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  TlViewWidget *sockets = TL_VIEW_WIDGET (tl_test_app_child (window, "sockets_view"));
  GtkWidget *timers = tl_test_app_child (window, "timers_scroll");
  GtkWidget *tables = tl_test_app_child (window, "tables_box");
  TlSession *session = tl_window_get_session (window);
  const gint64 moments_ms[] = { 2000, 9500 };
  int screen_w, screen_h;

  screen_size (window, &screen_w, &screen_h);
  tl_window_open_file (window, file);
  ck_assert_ptr_null (tl_session_get_errors (session));
  if (!gtk_widget_get_visible (tables))
    g_action_group_activate_action (G_ACTION_GROUP (window), "show-tables", NULL);
  for (guint m = 0; m < G_N_ELEMENTS (moments_ms); m++)
    {
      g_autoptr(GArray) labels = NULL;
      g_autofree char *shot = NULL;
      const TlRenderLabel *group;
      GtkAdjustment *vadj;
      TlWorld world;
      double closed_upper;
      guint n_timers, n_sockets, syn_recv;

      tl_session_set_time (session, moments_ms[m] * 1000);
      tl_test_app_settle ();
      shot = g_strdup_printf ("syn-flood-tables-%dx%d-%" G_GINT64_FORMAT "ms.png", screen_w,
                              screen_h, moments_ms[m]);
      tl_test_app_shot (window, shot);
      tl_world_init (&world);
      tl_trace_world_at (tl_session_get_trace (session), moments_ms[m] * 1000, &world);
      n_timers = world.timers->len;
      n_sockets = world.sockets->len;
      syn_recv = world.counts[1][TL_STATE_SYN_RCVD];
      tl_world_clear (&world);

      /* A pane with nothing to show gives the other its room. */
      ck_assert_int_eq (gtk_widget_get_visible (timers), n_timers > 0 || n_sockets == 0);
      if (n_timers == 0)
        ck_assert_int_ge (gtk_widget_get_width (GTK_WIDGET (sockets)),
                          gtk_widget_get_width (tables) * 9 / 10);
      else
        ck_assert_int_ge (gtk_widget_get_width (GTK_WIDGET (sockets)),
                          gtk_widget_get_width (tables) * 4 / 10);

      labels = view_labels (sockets);
      for (guint i = 0; i < labels->len; i++)
        ck_assert_msg (!g_str_has_prefix (g_array_index (labels, TlRenderLabel, i).text,
                                          "… and"), "a row elided: %s",
                       g_array_index (labels, TlRenderLabel, i).text);
      /* Rows, not only the counts: the titles and the listener's row. */
      ck_assert_msg (find_label (labels, "Recv-Q") != NULL || find_label (labels, "Peer") != NULL,
                     "%dx%d at %" G_GINT64_FORMAT " ms: no room for the rows", screen_w,
                     screen_h, moments_ms[m]);
      ck_assert_ptr_nonnull (find_label (labels, "LISTEN"));
      if (syn_recv < 3)
        continue;

      /* Many SYN-RECV sockets: a group row, in view or scrolled to; a
       * click opens it. */
      vadj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (sockets));
      ck_assert_ptr_nonnull (vadj);
      g_clear_pointer (&labels, g_array_unref);
      labels = scroll_to_label (sockets, vadj, "▸ ", &group);
      if (group == NULL)
        {
          /* Not grouped: they fit, a row each, the last scrolled to. */
          ck_assert_ptr_nonnull (find_label (labels, "198.51.100."));
          ck_assert_double_le (gtk_adjustment_get_upper (vadj),
                               gtk_adjustment_get_page_size (vadj) + 0.5);
          gtk_adjustment_set_value (vadj, 0);
          continue;
        }
      closed_upper = gtk_adjustment_get_upper (vadj);
      ck_assert (tl_view_widget_toggle_group_at (sockets, group->x + 2, group->y + group->height / 2));
      tl_test_app_settle ();
      ck_assert_double_gt (gtk_adjustment_get_upper (vadj), closed_upper);
      g_clear_pointer (&labels, g_array_unref);
      labels = view_labels (sockets);
      ck_assert_ptr_nonnull (find_label (labels, "▾ "));
      /* Scrolled to the end: the last rows in view, none cut. */
      gtk_adjustment_set_value (vadj, gtk_adjustment_get_upper (vadj));
      tl_test_app_settle ();
      g_free (shot);
      shot = g_strdup_printf ("syn-flood-tables-open-%dx%d-%" G_GINT64_FORMAT "ms.png",
                              screen_w, screen_h, moments_ms[m]);
      tl_test_app_shot (window, shot);
      g_clear_pointer (&labels, g_array_unref);
      labels = view_labels (sockets);
      ck_assert_ptr_nonnull (find_label (labels, "198.51.100."));
      assert_view_legible (sockets, TRUE, "the tables scrolled to their end");
      /* Closed again. */
      g_clear_pointer (&labels, g_array_unref);
      labels = scroll_to_label (sockets, vadj, "▾ ", &group);
      ck_assert_ptr_nonnull (group);
      ck_assert (tl_view_widget_toggle_group_at (sockets, group->x + 2, group->y + group->height / 2));
      gtk_adjustment_set_value (vadj, 0);
    }
}

START_TEST (test_layout_tables_take_the_room)
{
  run_window (tables_take_the_room);
}
END_TEST

static void
count_parsing_error (GtkCssProvider *provider,
                     GtkCssSection  *section,
                     GError         *error,
                     guint          *n_errors)
{
  g_autofree char *where = gtk_css_section_to_string (section);

  g_printerr ("style.css: %s: %s\n", where, error->message);
  (*n_errors)++;
}

/* The window's style sheet parses whole: a rule left open by a merge (the
 * tooltips' one) made GTK drop every rule after it, the what-if's marks
 * among them, with only a warning on the terminal. */
START_TEST (test_layout_style_sheet_parses)
{
  g_autoptr(GtkCssProvider) provider = NULL;
  guint n_errors = 0;

  gtk_init ();
  /* the application registers the resources the style sheet is in */
  g_object_unref (tl_application_new ());
  provider = gtk_css_provider_new ();
  g_signal_connect (provider, "parsing-error", G_CALLBACK (count_parsing_error), &n_errors);
  gtk_css_provider_load_from_resource (provider, "/io/github/tcplab/TcpLab/style.css");
  ck_assert_uint_eq (n_errors, 0);
}
END_TEST

/* A lesson whose narrations differ in length and whose question has
 * choices and an explanation. */
static const char question_lesson[] =
  "title \"Question\"\n"
  "host client 10.0.0.1\n"
  "host server 10.0.0.2\n"
  "link delay 50ms\n"
  "0ms     server listen 80\n"
  "10ms    client connect server:80\n"
  "10ms    say \"Short.\"\n"
  "100ms   say \"A longer narration, which takes more room than the first one did: on a "
  "projector's screen it wraps to a second line, and at the largest text size to a third, "
  "so that a box as tall as its text would grow here.\"\n"
  "150ms   pause \"Which state is the server in now, after the SYN arrived and its SYN,ACK "
  "left?\"\n"
  "150ms   choice right \"SYN_RCVD\"\n"
  "150ms   choice \"LISTEN\"\n"
  "150ms   choice \"ESTABLISHED\"\n"
  "150ms   choice \"SYN_SENT\"\n"
  "150ms   explain \"It answered the SYN with its SYN,ACK and waits for the ACK.\"\n"
  "300ms   client close\n";

static void
bounds_in_window (TlWindow        *window,
                  const char      *name,
                  graphene_rect_t *bounds)
{
  ck_assert (gtk_widget_compute_bounds (tl_test_app_child (window, name), GTK_WIDGET (window),
                                        bounds));
}

static GtkWidget *
first_choice (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget) && gtk_widget_has_css_class (widget, "choice"))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = first_choice (c);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The diagram and the ladder keep their size and place when a question
 * with choices shows, is answered and goes: the narration keeps the height
 * of the lesson's longest, the question is a card over the bottom of the
 * views, the ladder drawing its timelines above the card; the card
 * readable (assert_card_readable). */
static void
question_keeps_the_views_in_place (TlWindow *window)
{
  g_autofree char *path = g_build_filename (tmp_dir, "question.lesson", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  TlSession *session = tl_window_get_session (window);
  GtkWidget *card = tl_test_app_child (window, "question_card");
  TlViewWidget *ladder = TL_VIEW_WIDGET (tl_test_app_child (window, "ladder_view"));
  const gint64 moments_us[] = { 50000, 120000, 150000, 150000, 250000 };
  graphene_rect_t diagram0, ladder0, diagram, lad, card_b;
  int screen_w, screen_h;

  ck_assert (g_file_set_contents (path, question_lesson, -1, NULL));
  screen_size (window, &screen_w, &screen_h);
  tl_window_open_file (window, file);
  ck_assert_ptr_null (tl_session_get_errors (session));
  tl_session_set_time (session, 0);
  tl_test_app_settle ();
  bounds_in_window (window, "diagram_view", &diagram0);
  bounds_in_window (window, "ladder_view", &ladder0);
  for (guint m = 0; m < G_N_ELEMENTS (moments_us); m++)
    {
      gboolean asking = moments_us[m] == 150000;

      tl_session_set_time (session, moments_us[m]);
      tl_test_app_settle ();
      if (asking && m == 3)
        {
          /* Answered: the verdict and the explanation show too. */
          GtkWidget *choice = first_choice (card);

          ck_assert_ptr_nonnull (choice);
          g_signal_emit_by_name (choice, "clicked");
          tl_test_app_settle ();
        }
      bounds_in_window (window, "diagram_view", &diagram);
      bounds_in_window (window, "ladder_view", &lad);
      ck_assert_msg (graphene_rect_equal (&diagram, &diagram0) && graphene_rect_equal (&lad, &ladder0),
                     "%dx%d at %" G_GINT64_FORMAT " us: the diagram at %.0f,%.0f %.0fx%.0f "
                     "(was %.0f,%.0f %.0fx%.0f), the ladder at %.0f,%.0f %.0fx%.0f (was %.0f,%.0f "
                     "%.0fx%.0f)", screen_w, screen_h, moments_us[m], diagram.origin.x,
                     diagram.origin.y, diagram.size.width, diagram.size.height, diagram0.origin.x,
                     diagram0.origin.y, diagram0.size.width, diagram0.size.height, lad.origin.x,
                     lad.origin.y, lad.size.width, lad.size.height, ladder0.origin.x,
                     ladder0.origin.y, ladder0.size.width, ladder0.size.height);
      ck_assert_int_eq (gtk_widget_get_mapped (card), asking);
      if (!asking)
        continue;
      {
        g_autofree char *shot = g_strdup_printf ("question-%dx%d-%s.png", screen_w, screen_h,
                                                 m == 3 ? "answered" : "asked");
        g_autoptr(GArray) labels = view_labels (ladder);
        double card_top;

        tl_test_app_shot (window, shot);
        /* The card over the views, below the ladder's top, and no ladder
         * text under it. */
        bounds_in_window (window, "question_card", &card_b);
        ck_assert_double_ge (card_b.origin.x, diagram.origin.x);
        ck_assert_double_le (card_b.origin.x + card_b.size.width, lad.origin.x + lad.size.width + 0.5);
        ck_assert_double_ge (card_b.origin.y, lad.origin.y);
        ck_assert_double_le (card_b.origin.y + card_b.size.height,
                             gtk_widget_get_height (GTK_WIDGET (window)));
        card_top = card_b.origin.y - lad.origin.y;
        for (guint i = 0; i < labels->len; i++)
          {
            const TlRenderLabel *l = &g_array_index (labels, TlRenderLabel, i);

            ck_assert_msg (l->y + l->height <= card_top + 0.5, "'%s' (%.0f..%.0f) under the "
                           "question's card (from %.0f)", l->text, l->y, l->y + l->height,
                           card_top);
          }
      }
    }
}

START_TEST (test_layout_question_keeps_the_views_in_place)
{
  run_window (question_keeps_the_views_in_place);
}
END_TEST

/* Each widget at or under widget with css class cls, in a list. */
static void
collect_with_class (GtkWidget  *widget,
                    const char *cls,
                    GPtrArray  *found)
{
  if (gtk_widget_has_css_class (widget, cls))
    g_ptr_array_add (found, widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    collect_with_class (c, cls, found);
}

/* widget wholly inside rect (half a pixel of rounding allowed). */
static gboolean
inside (GtkWidget             *widget,
        TlWindow              *window,
        const graphene_rect_t *rect)
{
  graphene_rect_t b;

  ck_assert (gtk_widget_compute_bounds (widget, GTK_WIDGET (window), &b));
  return b.origin.x >= rect->origin.x - 0.5 && b.origin.y >= rect->origin.y - 0.5 &&
         b.origin.x + b.size.width <= rect->origin.x + rect->size.width + 0.5 &&
         b.origin.y + b.size.height <= rect->origin.y + rect->size.height + 0.5;
}

/* The factor label's attributes (the window's text size as the card
 * applies it) scale its text by, measured from Pango layouts: a line of
 * its text as laid out, against the same line at the size its style gives. */
static double
label_text_scale (GtkWidget *label)
{
  PangoLayout *base = gtk_widget_create_pango_layout (label, "Xg");
  PangoLayout *scaled = gtk_widget_create_pango_layout (label, "Xg");
  PangoRectangle b, s;

  pango_layout_set_attributes (scaled, gtk_label_get_attributes (GTK_LABEL (label)));
  pango_layout_get_extents (base, NULL, &b);
  pango_layout_get_extents (scaled, NULL, &s);
  g_object_unref (base);
  g_object_unref (scaled);
  return (double) s.height / MAX (b.height, 1);
}

/* A text on the question's card as a class reads it: whole (no ellipsis,
 * all its lines in its label), in lines of 18 px at least, never smaller
 * than its size at 1x (or at the text size, where that is smaller), in
 * view on the card from side to side and from top to bottom (nothing
 * scrolled away). */
static void
assert_card_text_whole (TlWindow              *window,
                        GtkWidget             *label,
                        const graphene_rect_t *card,
                        const char            *where)
{
  PangoLayout *layout = gtk_label_get_layout (GTK_LABEL (label));
  const char *text = gtk_label_get_text (GTK_LABEL (label));
  double least = MIN (tl_window_get_text_scale (window), 1.0), scale = label_text_scale (label);
  int w, h, lines;

  pango_layout_get_pixel_size (layout, &w, &h);
  lines = pango_layout_get_line_count (layout);
  ck_assert_msg (!pango_layout_is_ellipsized (layout), "%s: '%s' cut with an ellipsis", where,
                 text);
  ck_assert_msg (h >= 18 * lines, "%s: '%s' in %d lines of %d px", where, text, lines, h);
  ck_assert_msg (scale >= least - 0.02, "%s: '%s' at %.2f times its size, the least %.2f", where,
                 text, scale, least);
  ck_assert_msg (w <= gtk_widget_get_width (label) + 1 && h <= gtk_widget_get_height (label) + 1,
                 "%s: '%s' (%dx%d px) in a label of %dx%d", where, text, w, h,
                 gtk_widget_get_width (label), gtk_widget_get_height (label));
  ck_assert_msg (inside (label, window, card), "%s: '%s' not in view on the card", where, text);
}

/* The question's card at a question, asked or answered: every text on it
 * whole, large and in view (assert_card_text_whole): the question and
 * every choice, and once answered the verdict with the explanation, all at
 * once, nothing to scroll; over the views (the diagram's lower rows and
 * the ladder's), inside them and on the screen; the ladder keeping
 * LADDER_KEEPS_SHARE of its height above it (or, with the card's text at
 * 1x, the card over the diagram's column only), where it still shows
 * states' names, all of its text legible, clear of each other and of the
 * card. */
static void
assert_card_readable (TlWindow   *window,
                      const char *where)
{
  GtkWidget *card = tl_test_app_child (window, "question_card");
  GtkWidget *question = tl_test_app_child (window, "question_label");
  GtkScrolledWindow *scroll = GTK_SCROLLED_WINDOW (tl_test_app_child (window, "question_scroll"));
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (scroll);
  TlViewWidget *ladder = TL_VIEW_WIDGET (tl_test_app_child (window, "ladder_view"));
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  g_autoptr(GArray) labels = NULL;
  graphene_rect_t card_b, lad, views;
  guint states = 0;
  gboolean beside;
  int screen_w, screen_h;

  screen_size (window, &screen_w, &screen_h);
  ck_assert_msg (gtk_widget_get_mapped (card), "%s: no card", where);
  bounds_in_window (window, "question_card", &card_b);
  bounds_in_window (window, "ladder_view", &lad);
  bounds_in_window (window, "question_overlay", &views);

  ck_assert_msg (gtk_widget_get_mapped (question) ||
                 tl_session_get_question (tl_window_get_session (window)) == NULL,
                 "%s: the question not shown", where);
  if (gtk_widget_get_mapped (question))
    g_ptr_array_add (parts, question);
  collect_with_class (card, "choice", parts);
  collect_with_class (card, "verdict", parts);
  for (guint i = 0; i < parts->len; i++)
    {
      GtkWidget *part = parts->pdata[i];

      if (!gtk_widget_get_mapped (part))
        continue;
      if (GTK_IS_BUTTON (part))
        part = gtk_button_get_child (GTK_BUTTON (part));
      assert_card_text_whole (window, part, &card_b, where);
    }
  /* nothing scrolled out of view: the card holds all of it */
  ck_assert_msg (gtk_adjustment_get_upper (adj) - gtk_adjustment_get_lower (adj)
                 <= gtk_adjustment_get_page_size (adj) + 1 && gtk_adjustment_get_value (adj) <= 0.5,
                 "%s: the card scrolls (%.0f px of text in %.0f px, at %.0f)", where,
                 gtk_adjustment_get_upper (adj) - gtk_adjustment_get_lower (adj),
                 gtk_adjustment_get_page_size (adj), gtk_adjustment_get_value (adj));

  ck_assert_msg (inside (card, window, &views), "%s: the card (%.0f,%.0f %.0fx%.0f) off the views",
                 where, card_b.origin.x, card_b.origin.y, card_b.size.width, card_b.size.height);
  ck_assert_msg (card_b.origin.y + card_b.size.height <= screen_h, "%s: the card ends at %.0f",
                 where, card_b.origin.y + card_b.size.height);

  /* The ladder's top keeps its story, legible, none of it under the card;
   * or, where the card at 1x needs more of the views' height than that
   * leaves, the card is over the diagram's column only, the ladder whole
   * beside it. */
  beside = card_b.origin.x + card_b.size.width <= lad.origin.x + 0.5;
  if (beside)
    ck_assert_msg (label_text_scale (question) <= MIN (tl_window_get_text_scale (window), 1.0)
                   + 0.02, "%s: the card over the diagram's column at %.2f times its size", where,
                   label_text_scale (question));
  else
    ck_assert_msg (card_b.origin.y - lad.origin.y >= LADDER_KEEPS_SHARE * lad.size.height,
                   "%s: the card from %.0f px down the ladder, %.0f px high", where,
                   card_b.origin.y - lad.origin.y, lad.size.height);
  assert_view_legible (ladder, TRUE, where);
  labels = view_labels (ladder);
  for (guint i = 0; i < labels->len; i++)
    {
      const TlRenderLabel *lb = &g_array_index (labels, TlRenderLabel, i);

      ck_assert_msg (beside || lb->y + lb->height <= card_b.origin.y - lad.origin.y + 0.5,
                     "%s: '%s' (%.0f..%.0f) under the card (from %.0f)", where, lb->text, lb->y,
                     lb->y + lb->height, card_b.origin.y - lad.origin.y);
      states += lb->kind == TL_LABEL_STATE;
    }
  ck_assert_msg (states > 0, "%s: the ladder above the card names no state", where);
}

/* file opened again (no question answered yet) at text size scale, the
 * timers and tables shown or folded. */
static void
open_at (TlWindow *window,
         GFile    *file,
         double    scale,
         gboolean  tables_shown)
{
  GtkWidget *tables = tl_test_app_child (window, "tables_box");

  tl_window_open_file (window, file);
  ck_assert_ptr_null (tl_session_get_errors (tl_window_get_session (window)));
  tl_window_set_text_scale (window, scale);
  if (gtk_widget_get_visible (tables) != tables_shown)
    g_action_group_activate_action (G_ACTION_GROUP (window), "show-tables", NULL);
}

/* label's text's line height in pixels, as laid out. */
static double
line_px (GtkWidget *label)
{
  PangoLayout *layout = gtk_label_get_layout (GTK_LABEL (label));
  int h;

  pango_layout_get_pixel_size (layout, NULL, &h);
  return (double) h / MAX (pango_layout_get_line_count (layout), 1);
}

/* F5 at a question answered: the choices and the explanation made larger
 * as the question is (at 1x: 1.3 times their height at least), the card
 * still readable whole (assert_card_readable), at 1x and at the screen's
 * largest text size. */
static void
presentation_enlarges_the_card (TlWindow *window)
{
  g_autofree char *path = g_build_filename (tmp_dir, "question.lesson", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  const double scales[] = { 1.0, largest_text_scale (window) };
  TlSession *session = tl_window_get_session (window);
  GtkWidget *card = tl_test_app_child (window, "question_card");
  GtkWidget *question = tl_test_app_child (window, "question_label");
  int screen_w, screen_h;

  ck_assert (g_file_set_contents (path, question_lesson, -1, NULL));
  screen_size (window, &screen_w, &screen_h);
  for (guint s = 0; s < G_N_ELEMENTS (scales); s++)
    {
      g_autofree char *where = g_strdup_printf ("%dx%d presentation, text size %.2f", screen_w,
                                                screen_h, scales[s]);
      g_autofree char *shot = g_strdup_printf ("presentation-%dx%d-%.2f.png", screen_w, screen_h,
                                               scales[s]);
      g_autoptr(GPtrArray) verdicts = g_ptr_array_new ();
      GtkWidget *choice, *verdict;
      double before[3];

      open_at (window, file, scales[s], gtk_widget_get_visible (tl_test_app_child (window, "tables_box")));
      tl_session_set_time (session, 150000);
      tl_test_app_settle ();
      g_signal_emit_by_name (first_choice (card), "clicked");
      tl_test_app_settle ();
      collect_with_class (card, "verdict", verdicts);
      ck_assert_uint_eq (verdicts->len, 1);
      verdict = verdicts->pdata[0];
      choice = gtk_button_get_child (GTK_BUTTON (first_choice (card)));
      before[0] = line_px (question);
      before[1] = line_px (choice);
      before[2] = line_px (verdict);

      g_action_group_activate_action (G_ACTION_GROUP (window), "presentation", NULL);
      tl_test_app_settle ();
      tl_test_app_shot (window, shot);
      assert_card_readable (window, where);
      choice = gtk_button_get_child (GTK_BUTTON (first_choice (card)));
      if (scales[s] == 1.0)
        {
          ck_assert_msg (line_px (question) >= before[0] * 1.3, "%s: the question in lines of "
                         "%.0f px, was %.0f", where, line_px (question), before[0]);
          ck_assert_msg (line_px (choice) >= before[1] * 1.3, "%s: the choices in lines of "
                         "%.0f px, was %.0f", where, line_px (choice), before[1]);
          ck_assert_msg (line_px (verdict) >= before[2] * 1.3, "%s: the explanation in lines of "
                         "%.0f px, was %.0f", where, line_px (verdict), before[2]);
        }
      g_action_group_activate_action (G_ACTION_GROUP (window), "presentation", NULL);
      tl_test_app_settle ();
    }
  tl_window_set_text_scale (window, 1.0);
}

START_TEST (test_layout_presentation_enlarges_the_card)
{
  run_window (presentation_enlarges_the_card);
}
END_TEST

/* The syn-flood lesson's questions, asked and answered, in each language,
 * with the tables shown and folded, at 1x and the largest text size: the
 * whole question, each choice and the verdict on the card and in view; the
 * card never over the diagram; the diagram and the ladder where they were. */
static void
questions_hide_nothing (TlWindow   *window,
                        const char *language,
                        gboolean    largest)
{
  const char *languages[] = { language };
  const double scales[] = { largest ? largest_text_scale (window) : 1.0 };
  const gint64 questions_ms[] = { 400, 9500 };
  g_autofree char *path = g_build_filename (TL_SOURCE_LESSONS_DIR, "syn-flood.lesson", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  int screen_w, screen_h;

  screen_size (window, &screen_w, &screen_h);
  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    {
      TlSession *session;
      GtkWidget *card;

      if (*languages[l] != '\0')
        window = tl_test_app_switch_language (window, languages[l]);
      session = tl_window_get_session (window);
      card = tl_test_app_child (window, "question_card");
      for (guint s = 0; s < G_N_ELEMENTS (scales); s++)
        for (guint t = 0; t < 2; t++)
          {
            graphene_rect_t diagram0, ladder0, diagram, lad;

            open_at (window, file, scales[s], t == 1);
            for (guint q = 0; q < G_N_ELEMENTS (questions_ms); q++)
              for (guint answered = 0; answered < 2; answered++)
                {
                  g_autofree char *where = g_strdup_printf ("%dx%d %s, text size %.2f, tables %s, "
                                                            "question at %" G_GINT64_FORMAT " ms%s",
                                                            screen_w, screen_h,
                                                            *languages[l] ? languages[l] : "en",
                                                            scales[s], t ? "shown" : "folded",
                                                            questions_ms[q],
                                                            answered ? ", answered" : "");
                  GtkWidget *choice;

                  /* the views just before the question */
                  tl_session_set_time (session, (questions_ms[q] - 50) * 1000);
                  if (q == 0 && answered == 0)
                    tl_test_app_settle ();
                  else
                    tl_test_app_settle_seek ();
                  bounds_in_window (window, "diagram_view", &diagram0);
                  bounds_in_window (window, "ladder_view", &ladder0);
                  tl_session_set_time (session, questions_ms[q] * 1000);
                  tl_test_app_settle_seek ();
                  choice = first_choice (card);
                  if (answered && choice == NULL)
                    continue;
                  if (answered)
                    {
                      g_signal_emit_by_name (choice, "clicked");
                      tl_test_app_settle ();
                    }
                  bounds_in_window (window, "diagram_view", &diagram);
                  bounds_in_window (window, "ladder_view", &lad);
                  {
                    g_autofree char *shot = g_strdup_printf ("q-%dx%d-%s-%.2f-%s-%" G_GINT64_FORMAT "%s.png",
                                                             screen_w, screen_h,
                                                             *languages[l] ? languages[l] : "en",
                                                             scales[s], t ? "tables" : "folded",
                                                             questions_ms[q], answered ? "-answered" : "");
                    tl_test_app_shot (window, shot);
                  }
                  ck_assert_msg (graphene_rect_equal (&diagram, &diagram0) &&
                                 graphene_rect_equal (&lad, &ladder0),
                                 "%s: the views moved: the diagram %.0f,%.0f %.0fx%.0f (was "
                                 "%.0f,%.0f %.0fx%.0f), the ladder %.0f,%.0f %.0fx%.0f (was "
                                 "%.0f,%.0f %.0fx%.0f)", where, diagram.origin.x, diagram.origin.y,
                                 diagram.size.width, diagram.size.height, diagram0.origin.x,
                                 diagram0.origin.y, diagram0.size.width, diagram0.size.height,
                                 lad.origin.x, lad.origin.y, lad.size.width, lad.size.height,
                                 ladder0.origin.x, ladder0.origin.y, ladder0.size.width,
                                 ladder0.size.height);
                  assert_card_readable (window, where);
                }
            if (t == 1)
              g_action_group_activate_action (G_ACTION_GROUP (window), "show-tables", NULL);
          }
      tl_window_set_text_scale (window, 1.0);
    }
}

static void
questions_hide_nothing_en (TlWindow *window)
{
  questions_hide_nothing (window, "", FALSE);
}

static void
questions_hide_nothing_en_largest (TlWindow *window)
{
  questions_hide_nothing (window, "", TRUE);
}

static void
questions_hide_nothing_zh (TlWindow *window)
{
  questions_hide_nothing (window, "zh_CN", FALSE);
}

static void
questions_hide_nothing_zh_largest (TlWindow *window)
{
  questions_hide_nothing (window, "zh_CN", TRUE);
}

/* One window each (a window's body has a minute). */
START_TEST (test_layout_questions_hide_nothing_en)
{
  run_window (questions_hide_nothing_en);
  run_window (questions_hide_nothing_en_largest);
}
END_TEST

START_TEST (test_layout_questions_hide_nothing_zh_CN)
{
  run_window (questions_hide_nothing_zh);
  run_window (questions_hide_nothing_zh_largest);
}
END_TEST

/* Where the ladder's column can hold the card, the diagram stays whole:
 * at 1280x720 and 1920x1080, 1x, the timers and tables folded,
 * time-wait-pileup's question at 1.9 s lay across the whole width over the
 * diagram's lower rows, the lit TIME_WAIT among them. */
static void
card_leaves_the_diagram (TlWindow *window)
{
  g_autofree char *path = g_build_filename (TL_SOURCE_LESSONS_DIR, "time-wait-pileup.lesson", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  graphene_rect_t card, diagram, inter;
  int screen_w, screen_h;

  screen_size (window, &screen_w, &screen_h);
  if (screen_w < 1280)
    return;
  open_at (window, file, 1.0, FALSE);
  tl_session_set_time (tl_window_get_session (window), 1900 * 1000);
  tl_test_app_settle_seek ();
  ck_assert (gtk_widget_get_visible (tl_test_app_child (window, "question_card")));
  bounds_in_window (window, "question_card", &card);
  bounds_in_window (window, "diagram_view", &diagram);
  ck_assert_msg (!graphene_rect_intersection (&card, &diagram, &inter),
                 "%dx%d: the card %.0f,%.0f %.0fx%.0f over the diagram %.0f,%.0f %.0fx%.0f",
                 screen_w, screen_h, card.origin.x, card.origin.y, card.size.width,
                 card.size.height, diagram.origin.x, diagram.origin.y, diagram.size.width,
                 diagram.size.height);
}

START_TEST (test_layout_card_leaves_the_diagram)
{
  run_window (card_leaves_the_diagram);
}
END_TEST

/* text as wide as label (its attributes: the text size) lays it out on one
 * line, in pixels. */
static int
text_width (GtkWidget  *label,
            const char *text)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (label, text);
  int w;

  pango_layout_set_attributes (layout, gtk_label_get_attributes (GTK_LABEL (label)));
  pango_layout_get_pixel_size (layout, &w, NULL);
  g_object_unref (layout);
  return w;
}

static void
append_quoted (GString    *lesson,
               const char *text)
{
  g_string_append_c (lesson, '"');
  for (const char *c = text; *c != '\0'; c++)
    {
      if (*c == '"' || *c == '\\')
        g_string_append_c (lesson, '\\');
      g_string_append_c (lesson, *c);
    }
  g_string_append (lesson, "\"\n");
}

/* A lesson whose one question is the longest question of the shipped
 * lessons in the window's language, with the longest set of choices (the
 * widest together) and the longest explanation of them (measured with
 * Pango as the question's label lays text out), after a handshake and the
 * start of a close. */
static char *
longest_question_lesson (TlWindow *window)
{
  GtkWidget *label = tl_test_app_child (window, "question_label");
  const char *locale = tl_session_get_locale (tl_window_get_session (window));
  g_autoptr(GDir) dir = g_dir_open (TL_SOURCE_LESSONS_DIR, 0, NULL);
  g_autoptr(GPtrArray) scenarios = g_ptr_array_new_with_free_func ((GDestroyNotify) tl_scenario_free);
  const TlQuestion *question = NULL, *choices = NULL, *explained = NULL;
  int question_w = 0, choices_w = 0, explained_w = 0;
  GString *lesson = g_string_new ("title \"Longest\"\n"
                                  "host client 10.0.0.1\n"
                                  "host server 10.0.0.2\n"
                                  "link delay 50ms\n"
                                  "0ms     server listen 80\n"
                                  "10ms    client connect server:80\n"
                                  "250ms   client close\n"
                                  "330ms   pause ");
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  const char *name;

  ck_assert_ptr_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (TL_SOURCE_LESSONS_DIR, name, NULL);
      TlScenario *scenario;
      GArray *questions;

      if (!g_str_has_suffix (name, ".lesson"))
        continue;
      scenario = tl_lesson_parse_file (path, NULL, NULL);
      ck_assert_msg (scenario != NULL, "%s does not parse", name);
      g_ptr_array_add (scenarios, scenario);
      questions = tl_scenario_questions (scenario, locale);
      g_ptr_array_add (all, questions);
      for (guint i = 0; i < questions->len; i++)
        {
          const TlQuestion *q = &g_array_index (questions, TlQuestion, i);
          int w = text_width (label, q->question), sum = 0;

          if (w > question_w)
            question_w = w, question = q;
          if (q->n_choices == 0)
            continue;
          for (guint c = 0; c < q->n_choices; c++)
            sum += text_width (label, q->choices[c]);
          if (sum > choices_w)
            choices_w = sum, choices = q;
          if ((w = text_width (label, q->explanation)) > explained_w)
            explained_w = w, explained = q;
        }
    }
  ck_assert (question != NULL && choices != NULL && explained != NULL);
  append_quoted (lesson, question->question);
  for (guint c = 0; c < choices->n_choices; c++)
    {
      g_string_append_printf (lesson, "330ms   choice %s", c == choices->right ? "right " : "");
      append_quoted (lesson, choices->choices[c]);
    }
  g_string_append (lesson, "330ms   explain ");
  append_quoted (lesson, explained->explanation);
  return g_string_free (lesson, FALSE);
}

/* The longest question, choices and explanation shipped, in the window's
 * language, on the card at 1x and the screen's largest text size, with
 * the tables folded and shown, asked and answered (wrong, then right):
 * every word on the card and in view or scrolled to, the ladder's story
 * above it (assert_card_readable); the views where they were. */
static void
longest_question_readable (TlWindow   *window,
                           const char *language)
{
  g_autofree char *path = g_build_filename (tmp_dir, "question.lesson", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *text = NULL;
  const double scales[] = { 1.0, largest_text_scale (window) };
  TlSession *session;
  GtkWidget *card, *tables;
  int screen_w, screen_h;

  screen_size (window, &screen_w, &screen_h);
  if (*language != '\0')
    window = tl_test_app_switch_language (window, language);
  session = tl_window_get_session (window);
  card = tl_test_app_child (window, "question_card");
  tables = tl_test_app_child (window, "tables_box");
  text = longest_question_lesson (window);
  ck_assert (g_file_set_contents (path, text, -1, NULL));
  for (guint s = 0; s < G_N_ELEMENTS (scales); s++)
    for (guint t = 0; t < 2; t++)
      for (guint answered = 0; answered < 2; answered++)
        {
          g_autofree char *where = g_strdup_printf ("%dx%d %s, text size %.2f, tables %s, the "
                                                    "longest question%s", screen_w, screen_h,
                                                    *language ? language : "en", scales[s],
                                                    t ? "shown" : "folded",
                                                    answered ? ", answered" : "");
          g_autofree char *shot = g_strdup_printf ("card-%dx%d-%s-%.2f-%s%s.png", screen_w,
                                                   screen_h, *language ? language : "en",
                                                   scales[s], t ? "tables" : "folded",
                                                   answered ? "-answered" : "");
          graphene_rect_t diagram0, ladder0, diagram, lad;

          open_at (window, file, scales[s], t == 1);
          tl_session_set_time (session, 300000);
          tl_test_app_settle ();
          bounds_in_window (window, "diagram_view", &diagram0);
          bounds_in_window (window, "ladder_view", &ladder0);
          tl_session_set_time (session, 330000);
          tl_test_app_settle_seek ();
          if (answered)
            {
              /* the first choice: wrong when it is not the right one, the
               * verdict then longest */
              g_signal_emit_by_name (first_choice (card), "clicked");
              tl_test_app_settle ();
            }
          tl_test_app_shot (window, shot);
          bounds_in_window (window, "diagram_view", &diagram);
          bounds_in_window (window, "ladder_view", &lad);
          ck_assert_msg (graphene_rect_equal (&diagram, &diagram0) &&
                         graphene_rect_equal (&lad, &ladder0), "%s: the views moved", where);
          assert_card_readable (window, where);
        }
  if (gtk_widget_get_visible (tables))
    g_action_group_activate_action (G_ACTION_GROUP (window), "show-tables", NULL);
  tl_window_set_text_scale (window, 1.0);
}

static void
longest_question_en (TlWindow *window)
{
  longest_question_readable (window, "");
}

static void
longest_question_zh (TlWindow *window)
{
  longest_question_readable (window, "zh_CN");
}

START_TEST (test_layout_longest_question_is_read_whole)
{
  run_window (longest_question_en);
  run_window (longest_question_zh);
}
END_TEST

/* The timers and the socket tables of the SYN flood and the TIME_WAIT
 * pile-up, shown under the views (a third of a small screen): every
 * running timer and every socket is a row wholly in view, or counted in its
 * kind's or state's group row, here or scrolled to; no "… and N more"; the
 * text as large as everywhere else. */
static const struct
{
  const char *lesson;
  gint64      times_ms[3];
} pane_moments[] = {
  { "syn-flood",          { 400, 2000, 5000 } },
  { "time-wait-pileup",   { 700, 1900, 3100 } },
  /* mid-lesson: the FINs crossing, both in CLOSING (two moments only:
   * this case takes ~2 min under ASan on a loaded machine) */
  { "simultaneous-close", { 550, 650 } },
};

/* A pane whose rows do not all fit scrolls, and shows it: its scrollbar is
 * on the screen, not an overlay that appears only under the pointer. */
static void
assert_pane_shows_its_scroll (TlWindow     *window,
                              const char   *scroll_name,
                              TlViewWidget *view,
                              const char   *where)
{
  GtkScrolledWindow *scroll = GTK_SCROLLED_WINDOW (tl_test_app_child (window, scroll_name));
  GtkAdjustment *vadj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view));

  if (!gtk_widget_get_mapped (GTK_WIDGET (view)) ||
      gtk_adjustment_get_upper (vadj) <= gtk_adjustment_get_page_size (vadj) + 0.5)
    return;
  ck_assert_msg (gtk_widget_get_mapped (gtk_scrolled_window_get_vscrollbar (scroll)) &&
                 !gtk_scrolled_window_get_overlay_scrolling (scroll),
                 "%s: %s holds %.0f px in %.0f px without a scrollbar shown", where,
                 scroll_name, gtk_adjustment_get_upper (vadj), gtk_adjustment_get_page_size (vadj));
}

/* view's labels from its top to its end, the scroll moved 4 px at a time;
 * each page legible and clear.  A label that shows on several pages (at
 * one height in the content, in one half of the view) is listed once. */
static GPtrArray *
scroll_through (TlViewWidget *view,
                const char   *where)
{
  GtkAdjustment *vadj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view));
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *found = g_ptr_array_new_with_free_func (g_free);
  int w = gtk_widget_get_width (GTK_WIDGET (view));

  ck_assert_msg (vadj != NULL, "%s: the pane does not scroll", where);
  for (double v = 0;; v += 4)
    {
      g_autoptr(GArray) labels = NULL;
      double at;

      /* drawn as the widget draws at this scroll (no need to wait for it) */
      gtk_adjustment_set_value (vadj, v);
      at = gtk_adjustment_get_value (vadj);
      labels = view_labels (view);
      /* (a page may cut the only rows it shows: they are seen whole on
       * the pages around it) */
      if (labels->len > 0)
        assert_view_legible (view, TRUE, where);
      for (guint i = 0; i < labels->len; i++)
        {
          const TlRenderLabel *l = &g_array_index (labels, TlRenderLabel, i);
          /* (the tables' columns follow the rows in view: a cell moves
           * sideways as they scroll, but stays in its half) */
          char *key = g_strdup_printf ("%d:%.0f:%s", l->x >= w / 2.0, l->y + at, l->text);

          ck_assert_msg (!g_str_has_prefix (l->text, "…"), "%s: elided: %s", where, l->text);
          if (g_hash_table_contains (seen, key))
            {
              g_free (key);
              continue;
            }
          g_hash_table_add (seen, key);
          g_ptr_array_add (found, g_strdup (l->text));
        }
      if (at >= gtk_adjustment_get_upper (vadj) - gtk_adjustment_get_page_size (vadj) - 0.5)
        break;
    }
  gtk_adjustment_set_value (vadj, 0);
  return found;
}

/* The timers the timers pane shows, through its scroll: a row each
 * ("client#1 · TIME_WAIT 60 s"), or a group row's count ("9 × SYN,ACK
 * retransmission"). */
static guint
count_timers_shown (TlViewWidget *timers,
                    const char   *where)
{
  g_autoptr(GPtrArray) labels = scroll_through (timers, where);
  guint counted = 0;

  for (guint i = 0; i < labels->len; i++)
    {
      const char *text = labels->pdata[i];
      char *end;
      guint64 n = g_ascii_strtoull (text, &end, 10);

      if (end != text && g_str_has_prefix (end, " × "))
        counted += n;
      else if (strstr (text, " · ") != NULL)
        counted++;
    }
  return counted;
}

/* The sockets the tables show, through their scroll: a row's State cell
 * ("SYN-RECV") stands for one socket, except on a group row, whose other
 * cell ("▸ 9 sockets") says how many. */
static guint
count_sockets_shown (TlViewWidget *sockets,
                     const char   *where)
{
  g_autoptr(GPtrArray) labels = scroll_through (sockets, where);
  guint rows = 0, groups = 0, grouped = 0;

  for (guint i = 0; i < labels->len; i++)
    {
      const char *text = labels->pdata[i];
      TlState state;

      if (tl_render_state_from_ss (text, &state))
        rows++;
      else if (g_str_has_prefix (text, "▸ ") || g_str_has_prefix (text, "▾ "))
        {
          const char *count = text + strlen ("▸ ");
          char *end;

          grouped += g_ascii_strtoull (count, &end, 10);
          ck_assert_msg (end != count, "%s: '%s' has no count", where, text);
          groups++;
        }
    }
  ck_assert_uint_ge (rows, groups);
  return rows - groups + grouped;
}

static void
panes_show_everything (TlWindow   *window,
                       const char *language,
                       double      scale)
{
  TlSession *session;
  TlViewWidget *timers, *sockets;
  GtkWidget *tables;
  int screen_w, screen_h;

  screen_size (window, &screen_w, &screen_h);
  if (*language != '\0')
    window = tl_test_app_switch_language (window, language);
  session = tl_window_get_session (window);
  timers = TL_VIEW_WIDGET (tl_test_app_child (window, "timers_view"));
  sockets = TL_VIEW_WIDGET (tl_test_app_child (window, "sockets_view"));
  tables = tl_test_app_child (window, "tables_box");
  for (guint m = 0; m < G_N_ELEMENTS (pane_moments); m++)
    {
      g_autofree char *name = g_strconcat (pane_moments[m].lesson, ".lesson", NULL);
      g_autofree char *path = g_build_filename (TL_SOURCE_LESSONS_DIR, name, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);

      tl_window_open_file (window, file);
      ck_assert_ptr_null (tl_session_get_errors (session));
      tl_window_set_text_scale (window, scale);
      if (!gtk_widget_get_visible (tables))
        g_action_group_activate_action (G_ACTION_GROUP (window), "show-tables", NULL);
      for (guint t = 0; t < G_N_ELEMENTS (pane_moments[m].times_ms); t++)
        {
          gint64 at_ms = pane_moments[m].times_ms[t];
          g_autofree char *where = g_strdup_printf ("%dx%d %s, %s at %" G_GINT64_FORMAT " ms, "
                                                    "text size %.2f", screen_w, screen_h,
                                                    *language ? language : "en",
                                                    pane_moments[m].lesson, at_ms, scale);
          g_autofree char *shot = g_strdup_printf ("panes-%dx%d-%s-%s-%" G_GINT64_FORMAT "-%.2f.png",
                                                   screen_w, screen_h, *language ? language : "en",
                                                   pane_moments[m].lesson, at_ms, scale);
          guint n_timers, n_sockets;
          TlWorld world;

          tl_session_set_time (session, at_ms * 1000);
          tl_test_app_settle ();
          tl_test_app_shot (window, shot);
          assert_legend_names_hosts (window, where);
          tl_world_init (&world);
          tl_trace_world_at (tl_session_get_trace (session), at_ms * 1000, &world);
          n_timers = world.timers->len;
          n_sockets = world.sockets->len;
          tl_world_clear (&world);
          if (n_timers > 0)
            {
              guint shown;

              ck_assert_msg (gtk_widget_get_mapped (GTK_WIDGET (timers)), "%s: no timers pane",
                             where);
              shown = count_timers_shown (timers, where);
              ck_assert_msg (shown == n_timers, "%s: %u of %u timers shown", where, shown,
                             n_timers);
            }
          assert_pane_shows_its_scroll (window, "timers_scroll", timers, where);
          assert_pane_shows_its_scroll (window, "sockets_scroll", sockets, where);
          if (n_sockets > 0)
            {
              guint shown;

              ck_assert_msg (gtk_widget_get_mapped (GTK_WIDGET (sockets)), "%s: no tables",
                             where);
              shown = count_sockets_shown (sockets, where);
              ck_assert_msg (shown == n_sockets, "%s: %u of %u sockets shown", where, shown,
                             n_sockets);
            }
        }
    }
  tl_window_set_text_scale (window, 1.0);
}

static void
panes_en (TlWindow *window)
{
  panes_show_everything (window, "", 1.0);
}

static void
panes_en_largest (TlWindow *window)
{
  panes_show_everything (window, "", largest_text_scale (window));
}

static void
panes_zh (TlWindow *window)
{
  panes_show_everything (window, "zh_CN", 1.0);
}

static void
panes_zh_largest (TlWindow *window)
{
  panes_show_everything (window, "zh_CN", largest_text_scale (window));
}

START_TEST (test_layout_panes_show_every_timer_and_socket_en)
{
  run_window (panes_en);
  run_window (panes_en_largest);
}
END_TEST

START_TEST (test_layout_panes_show_every_timer_and_socket_zh_CN)
{
  run_window (panes_zh);
  run_window (panes_zh_largest);
}
END_TEST

/* The longest narration of the shipped lessons, in the window's language,
 * shown at the largest text sizes (the screen's and 2x): whole, not cut,
 * in lines of 18 px at least, inside its label and on the screen, the
 * diagram keeping room.  (At 2x on a small screen its text steps down to
 * what the views leave.) */
static void
longest_narration_whole (TlWindow   *window,
                         const char *language)
{
  g_autoptr(GDir) dir = g_dir_open (TL_SOURCE_LESSONS_DIR, 0, NULL);
  GtkWidget *label;
  TlSession *session;
  g_autofree char *longest_path = NULL;
  g_autofree char *longest = NULL;
  gint64 longest_us = 0;
  int longest_w = 0, screen_w, screen_h;
  const double scales[] = { largest_text_scale (window), 2.0 };
  const char *name;

  screen_size (window, &screen_w, &screen_h);
  if (*language != '\0')
    window = tl_test_app_switch_language (window, language);
  session = tl_window_get_session (window);
  label = tl_test_app_child (window, "narration_label");
  ck_assert_ptr_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (TL_SOURCE_LESSONS_DIR, name, NULL);
      g_autoptr(GFile) file = NULL;
      const TlTrace *trace;

      if (!g_str_has_suffix (name, ".lesson"))
        continue;
      file = g_file_new_for_path (path);
      tl_window_open_file (window, file);
      ck_assert_msg (tl_session_get_errors (session) == NULL, "%s does not open", name);
      trace = tl_session_get_trace (session);
      for (guint i = 0; i < tl_trace_n_records (trace); i++)
        {
          gint64 at_us = tl_trace_record (trace, i)->time_us;
          const char *text;
          int w;

          if (tl_trace_record (trace, i)->kind != TL_REC_SAY)
            continue;
          text = tl_trace_narration_at (trace, at_us, tl_session_get_locale (session));
          if (text == NULL || (w = text_width (label, text)) <= longest_w)
            continue;
          longest_w = w;
          g_free (longest);
          longest = g_strdup (text);
          g_free (longest_path);
          longest_path = g_strdup (path);
          longest_us = at_us;
        }
    }
  ck_assert_ptr_nonnull (longest);
  {
    g_autoptr(GFile) file = g_file_new_for_path (longest_path);

    tl_window_open_file (window, file);
  }
  for (guint s = 0; s < G_N_ELEMENTS (scales); s++)
    {
      g_autofree char *where = g_strdup_printf ("%dx%d %s, text size %.2f, %s at %" G_GINT64_FORMAT
                                                " us", screen_w, screen_h,
                                                *language ? language : "en", scales[s],
                                                longest_path, longest_us);
      g_autofree char *shot = g_strdup_printf ("narration-%dx%d-%s-%.2f.png", screen_w, screen_h,
                                               *language ? language : "en", scales[s]);
      PangoLayout *layout;
      int h, lines;

      tl_window_set_text_scale (window, scales[s]);
      tl_session_set_time (session, longest_us);
      tl_test_app_settle ();
      tl_test_app_shot (window, shot);
      ck_assert_str_eq (gtk_label_get_text (GTK_LABEL (label)), longest);
      layout = gtk_label_get_layout (GTK_LABEL (label));
      ck_assert_msg (!pango_layout_is_ellipsized (layout), "%s: the narration cut", where);
      pango_layout_get_pixel_size (layout, NULL, &h);
      lines = pango_layout_get_line_count (layout);
      ck_assert_msg (h >= 18 * lines, "%s: %d lines in %d px", where, lines, h);
      ck_assert_msg (h <= gtk_widget_get_height (label), "%s: %d px of text in a label %d px "
                     "high", where, h, gtk_widget_get_height (label));
      {
        graphene_rect_t b;

        ck_assert (gtk_widget_compute_bounds (label, GTK_WIDGET (window), &b));
        ck_assert_msg (b.origin.y + b.size.height <= screen_h && b.origin.x >= 0 &&
                       b.origin.x + b.size.width <= screen_w, "%s: the narration off the screen",
                       where);
      }
      /* the views keep room to be read */
      ck_assert_msg (gtk_widget_get_height (tl_test_app_child (window, "diagram_view")) >= 200,
                     "%s: the diagram %d px high", where,
                     gtk_widget_get_height (tl_test_app_child (window, "diagram_view")));
    }
  tl_window_set_text_scale (window, 1.0);
}

static void
longest_narration_whole_en (TlWindow *window)
{
  longest_narration_whole (window, "");
}

static void
longest_narration_whole_zh (TlWindow *window)
{
  longest_narration_whole (window, "zh_CN");
}

START_TEST (test_layout_longest_narration_is_never_cut)
{
  run_window (longest_narration_whole_en);
  run_window (longest_narration_whole_zh);
}
END_TEST

/* The timers and the tables share their row's width by what they show:
 * where some share of it holds both panes' rows whole (as the renderers
 * lay them out), neither scrolls; a pane scrolls only when the other has
 * no width to spare that would hold it. */
static void
assert_panes_share (TlWindow   *window,
                    const char *where)
{
  TlViewWidget *timers = TL_VIEW_WIDGET (tl_test_app_child (window, "timers_view"));
  TlViewWidget *sockets = TL_VIEW_WIDGET (tl_test_app_child (window, "sockets_view"));
  GtkWidget *tables = tl_test_app_child (window, "tables_box");
  TlSession *session = tl_window_get_session (window);
  const TlTrace *trace = tl_session_get_trace (session);
  gint64 now = tl_session_get_time (session);
  double w = gtk_widget_get_width (tables), h = gtk_widget_get_height (tables);
  gboolean fits = FALSE;
  TlRenderStyle ts, ss;

  if (!gtk_widget_get_mapped (GTK_WIDGET (timers)) || !gtk_widget_get_mapped (GTK_WIDGET (sockets)))
    return;
  tl_view_widget_get_style (timers, &ts);
  tl_view_widget_get_style (sockets, &ss);
  for (double share = 0.25; share <= 0.501 && !fits; share += 0.05)
    fits = tl_render_timers_height (trace, now, w * share, h, &ts) <= h &&
           tl_render_sockets_height (trace, now, w * (1 - share), h, &ss) <= h;
  if (!fits)
    return;
  for (guint i = 0; i < 2; i++)
    {
      TlViewWidget *pane = i == 0 ? timers : sockets;
      GtkAdjustment *vadj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (pane));

      ck_assert_msg (gtk_adjustment_get_upper (vadj) <= gtk_adjustment_get_page_size (vadj) + 0.5,
                     "%s: the %s scroll (%.0f px of rows in %.0f, %d px wide of %.0f) where a "
                     "share of the width holds both", where, i == 0 ? "timers" : "tables",
                     gtk_adjustment_get_upper (vadj), gtk_adjustment_get_page_size (vadj),
                     gtk_widget_get_width (GTK_WIDGET (pane)), w);
    }
}

/* The rectangle of widget in window's coordinates. */
static void
widget_bounds (TlWindow        *window,
               GtkWidget       *widget,
               graphene_rect_t *bounds)
{
  ck_assert (gtk_widget_compute_bounds (widget, GTK_WIDGET (window), bounds));
}

/* Nothing the class reads lies under the playback controls: the views'
 * and the panes' rectangles and every row the timers and the tables draw
 * end above the controls; a pane that scrolls shows its scrollbar; the
 * timers and the tables share the width so that neither scrolls where a
 * share holds both (time-wait-pileup at 450 ms at 1920x1080: the server's
 * rows below the first were cut by the controls' edge while the timers had
 * room).  With the tables shown, as the window opens and as large as the
 * screen, at 1x and the largest text size, the lesson list shown and
 * folded. */
static void
nothing_under_the_controls (TlWindow *window)
{
  const char *panes[] = { "diagram_view", "ladder_view", "timers_view", "sockets_view" };
  const gint64 at_ms[] = { 450, 3100 };
  const double scales[] = { 1.0, largest_text_scale (window) };
  g_autofree char *path = g_build_filename (TL_SOURCE_LESSONS_DIR, "time-wait-pileup.lesson", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  TlSession *session = tl_window_get_session (window);
  AdwFlap *flap = ADW_FLAP (tl_test_app_child (window, "flap"));
  int screen_w, screen_h;

  screen_size (window, &screen_w, &screen_h);
  tl_window_open_file (window, file);
  ck_assert_ptr_null (tl_session_get_errors (session));
  if (!gtk_widget_get_visible (tl_test_app_child (window, "tables_box")))
    g_action_group_activate_action (G_ACTION_GROUP (window), "show-tables", NULL);
  for (guint full = 0; full < 2; full++)
    for (guint s = 0; s < G_N_ELEMENTS (scales); s++)
      for (guint lessons = 0; lessons < 2; lessons++)
        for (guint t = 0; t < G_N_ELEMENTS (at_ms); t++)
          {
            g_autofree char *where = g_strdup_printf ("%dx%d%s, text size %.2f, lesson list %s, "
                                                      "time-wait-pileup at %" G_GINT64_FORMAT " ms",
                                                      screen_w, screen_h,
                                                      full ? " (the window as large)" : "",
                                                      scales[s], lessons ? "shown" : "folded",
                                                      at_ms[t]);
            graphene_rect_t controls;

            /* as it opens, then made as large as the screen (maximized) */
            if (full)
              gtk_window_set_default_size (GTK_WINDOW (window), screen_w, screen_h);
            tl_window_set_text_scale (window, scales[s]);
            adw_flap_set_reveal_flap (flap, lessons == 1);
            tl_session_set_time (session, at_ms[t] * 1000);
            tl_test_app_settle ();
            ck_assert_msg (gtk_widget_get_height (GTK_WIDGET (window)) <= screen_h,
                           "%s: the window %d px high", where,
                           gtk_widget_get_height (GTK_WIDGET (window)));
            widget_bounds (window, tl_test_app_child (window, "controls_box"), &controls);
            for (guint i = 0; i < G_N_ELEMENTS (panes); i++)
              {
                GtkWidget *pane = tl_test_app_child (window, panes[i]);
                GtkWidget *shown = gtk_widget_get_parent (pane);
                g_autoptr(GArray) labels = NULL;
                graphene_rect_t b;

                if (!gtk_widget_get_mapped (pane))
                  continue;
                /* a table's rows show through its scrolled window */
                if (!GTK_IS_SCROLLED_WINDOW (shown))
                  shown = pane;
                widget_bounds (window, shown, &b);
                ck_assert_msg (b.origin.y + b.size.height <= controls.origin.y + 0.5,
                               "%s: %s ends at %.0f, under the controls (from %.0f)", where,
                               panes[i], b.origin.y + b.size.height, controls.origin.y);
                /* a pane that scrolls shows its scrollbar: rows out of
                 * view are seen to be */
                if (shown != pane)
                  {
                    GtkAdjustment *vadj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (pane));

                    if (gtk_adjustment_get_upper (vadj) > gtk_adjustment_get_page_size (vadj) + 0.5)
                      ck_assert_msg (!gtk_scrolled_window_get_overlay_scrolling (GTK_SCROLLED_WINDOW (shown)) &&
                                     gtk_widget_get_mapped (gtk_scrolled_window_get_vscrollbar (GTK_SCROLLED_WINDOW (shown))),
                                     "%s: %s scrolls with no scrollbar shown", where, panes[i]);
                  }
                widget_bounds (window, pane, &b);
                labels = view_labels (TL_VIEW_WIDGET (pane));
                for (guint l = 0; l < labels->len; l++)
                  {
                    const TlRenderLabel *lb = &g_array_index (labels, TlRenderLabel, l);

                    ck_assert_msg (b.origin.y + lb->y + lb->height <= controls.origin.y + 0.5,
                                   "%s: %s's '%s' (%.0f..%.0f) under the controls (from %.0f)",
                                   where, panes[i], lb->text, b.origin.y + lb->y,
                                   b.origin.y + lb->y + lb->height, controls.origin.y);
                  }
              }
            assert_panes_share (window, where);
            /* On a full HD screen at 1x their rows take less than the
             * views leave (45%): every row in view, none scrolled away
             * (with the lesson list shown the server's rows were cut at
             * the controls, the tables a fifth of the screen and the
             * views keeping the rest). */
            if (screen_h >= COMPACT_HEIGHT && scales[s] == 1.0)
              for (guint i = 2; i < G_N_ELEMENTS (panes); i++)
                {
                  GtkWidget *pane = tl_test_app_child (window, panes[i]);
                  GtkAdjustment *vadj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (pane));

                  ck_assert_msg (!gtk_widget_get_mapped (pane) ||
                                 gtk_adjustment_get_upper (vadj) <= gtk_adjustment_get_page_size (vadj) + 0.5,
                                 "%s: %s scrolls (%.0f px of rows in %.0f)", where, panes[i],
                                 gtk_adjustment_get_upper (vadj),
                                 gtk_adjustment_get_page_size (vadj));
                }
          }
  tl_window_set_text_scale (window, 1.0);
}

START_TEST (test_layout_nothing_under_the_controls)
{
  run_window (nothing_under_the_controls);
}
END_TEST

/* The window as shown now asks for no more than the screen has, and is
 * no larger. */
static void
assert_window_fits (TlWindow   *window,
                    const char *where)
{
  int screen_w, screen_h, min_w, min_h;

  screen_size (window, &screen_w, &screen_h);
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &min_w, NULL, NULL,
                      NULL);
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_VERTICAL, -1, &min_h, NULL, NULL,
                      NULL);
  ck_assert_msg (min_w <= screen_w && min_h <= screen_h &&
                 gtk_widget_get_width (GTK_WIDGET (window)) <= screen_w &&
                 gtk_widget_get_height (GTK_WIDGET (window)) <= screen_h,
                 "%s: the window asks for %dx%d at least and is %dx%d on a %dx%d screen", where,
                 min_w, min_h, gtk_widget_get_width (GTK_WIDGET (window)),
                 gtk_widget_get_height (GTK_WIDGET (window)), screen_w, screen_h);
}

/* The window fits its screen at every text size the screen is made for,
 * with the lesson list, the timers and tables, free play each shown and
 * folded: at 1920x1080, 2x, the lesson list and the tables shown, a lesson
 * of long narrations (six lines) made the window 14 px taller than the
 * screen; at 1280x720 with the tables and free play shown it asked for 780
 * px at 1x (free play's buttons measured at no width, a line each) and at
 * 1024x768, 1.5x, with the tables, for 769.  Each shipped lesson, at the
 * largest text size with all shown, too. */
static void
window_fits_at_every_size (TlWindow *window)
{
  g_autoptr(GDir) dir = g_dir_open (TL_SOURCE_LESSONS_DIR, 0, NULL);
  g_autofree char *path = g_build_filename (TL_SOURCE_LESSONS_DIR, "lost-syn-ack.lesson", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  AdwFlap *flap = ADW_FLAP (tl_test_app_child (window, "flap"));
  GtkWidget *tables = tl_test_app_child (window, "tables_box");
  GtkWidget *free_play = tl_test_app_child (window, "freeplay_box");
  double largest = largest_text_scale (window);
  int screen_w, screen_h;
  const char *name;

  screen_size (window, &screen_w, &screen_h);
  tl_window_open_file (window, file);
  ck_assert_ptr_null (tl_session_get_errors (tl_window_get_session (window)));
  /* each size Ctrl+plus steps to from 1x */
  g_action_group_activate_action (G_ACTION_GROUP (window), "text-reset", NULL);
  for (double scale = 1.0; scale <= largest + 0.001; )
    {
      for (guint shown = 0; shown < 8; shown++)
        {
          gboolean lessons = shown & 1, panes = (shown & 2) != 0, play = (shown & 4) != 0;
          g_autofree char *where = NULL;

          adw_flap_set_reveal_flap (flap, lessons);
          gtk_widget_set_visible (tables, panes);
          gtk_widget_set_visible (free_play, play);
          tl_test_app_settle ();
          where = g_strdup_printf ("text size %.2f, lesson list %s, tables %s, free play %s",
                                   scale, lessons ? "shown" : "folded", panes ? "shown" : "folded",
                                   play ? "shown" : "folded");
          assert_window_fits (window, where);
        }
      g_action_group_activate_action (G_ACTION_GROUP (window), "text-larger", NULL);
      if (tl_window_get_text_scale (window) <= scale)
        break;
      scale = tl_window_get_text_scale (window);
    }

  tl_window_set_text_scale (window, largest);
  adw_flap_set_reveal_flap (flap, TRUE);
  gtk_widget_set_visible (tables, TRUE);
  gtk_widget_set_visible (free_play, TRUE);
  ck_assert_ptr_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *lesson = g_build_filename (TL_SOURCE_LESSONS_DIR, name, NULL);
      g_autoptr(GFile) lesson_file = g_file_new_for_path (lesson);
      g_autofree char *where = g_strdup_printf ("%s at text size %.2f, all shown", name, largest);

      if (!g_str_has_suffix (name, ".lesson"))
        continue;
      tl_window_open_file (window, lesson_file);
      tl_test_app_settle ();
      assert_window_fits (window, where);
    }
  tl_window_set_text_scale (window, 1.0);
}

START_TEST (test_layout_window_fits_at_every_size)
{
  run_window (window_fits_at_every_size);
}
END_TEST

/* A test case of s with the windows' fixture and timeout; with own, run
 * as a test of its own (tests/meson.build's own_cases), tagged with its
 * name. */
static TCase *
add_case (Suite      *s,
          const char *name,
          gboolean    own)
{
  TCase *tc = tcase_create (name);

  if (own)
    tcase_set_tags (tc, name);
  tcase_add_checked_fixture (tc, setup, teardown);
  tl_test_app_set_timeout (tc, 240);
  suite_add_tcase (s, tc);
  return tc;
}

Suite *
layout_suite (void)
{
  Suite *s = suite_create ("layout");
  TCase *tc = add_case (s, "ui", FALSE);

  tcase_add_test (tc, test_layout_gives_the_views_a_small_screen);
  tcase_add_test (tc, test_layout_free_play_keeps_its_buttons);
  tcase_add_test (tc, test_layout_text_size_scales_narration_and_question);
  tcase_add_test (tc, test_layout_ladder_zooms_fits_and_follows);
  tcase_add_test (tc, test_layout_language_switches_everything);
  tcase_add_test (tc, test_layout_presentation_shows_the_views_only);
  tcase_add_test (tc, test_layout_toasts_leave_the_controls_free);
  tcase_add_test (tc, test_layout_tables_take_the_room);
  tcase_add_test (tc, test_layout_style_sheet_parses);
  tcase_add_test (tc, test_layout_question_keeps_the_views_in_place);
  tcase_add_test (tc, test_layout_presentation_enlarges_the_card);
  /* tests of their own (tests/meson.build: layout-SCREEN-questions,
   * layout-SCREEN-panes, layout-SCREEN-legible, layout-SCREEN-narration,
   * layout-SCREEN-card, layout-SCREEN-fits), their cases tagged so */
  tc = add_case (s, "questions", TRUE);
  tcase_add_test (tc, test_layout_questions_hide_nothing_en);
  tcase_add_test (tc, test_layout_questions_hide_nothing_zh_CN);
  tcase_add_test (tc, test_layout_card_leaves_the_diagram);
  tc = add_case (s, "panes", TRUE);
  tcase_add_test (tc, test_layout_panes_show_every_timer_and_socket_en);
  tcase_add_test (tc, test_layout_panes_show_every_timer_and_socket_zh_CN);
  tc = add_case (s, "legible", TRUE);
  tcase_add_test (tc, test_layout_every_text_is_legible_and_clear);
  tc = add_case (s, "narration", TRUE);
  tcase_add_test (tc, test_layout_longest_narration_is_never_cut);
  tc = add_case (s, "card", TRUE);
  tcase_add_test (tc, test_layout_longest_question_is_read_whole);
  tc = add_case (s, "fits", TRUE);
  tcase_add_test (tc, test_layout_window_fits_at_every_size);
  tcase_add_test (tc, test_layout_nothing_under_the_controls);
  return s;
}
