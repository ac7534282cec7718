/* test-window-teaching.c: the window's teaching interactions under Xvfb (see
 * tests/meson.build): a state explained from the diagram, with its edges
 * lit and the diagram's paths coloured by role; a multiple-choice question
 * answered, and the navigation between questions; prediction mode; a
 * what-if that says where it departs from "Normal close", ghosts the
 * original run, judges the lesson's expectations and is undone. */
#include <check.h>
#include <math.h>
#include <string.h>
#include <adwaita.h>

#include "tl-expectations.h"
#include "tl-causes.h"
#include "tl-explain.h"
#include "tl-questions.h"
#include "tl-render-private.h"
#include "tl-test-app.h"
#include "tl-test-files.h"
#include "tl-view-widget.h"
#include "tl-whatif.h"
#include "tl-window.h"

static const char handshake_lesson[] =
  "title \"Test handshake\"\n"
  "host client 10.0.0.1\n"
  "host server 10.0.0.2\n"
  "link delay 50ms\n"
  "set all isn 0\n"
  "0ms     server listen 80\n"
  "10ms    client connect server:80\n"
  "300ms   client close\n"
  "400ms   server close\n";

static const char question_lesson[] =
  "title \"Test question\"\n"
  "host client 10.0.0.1\n"
  "host server 10.0.0.2\n"
  "link delay 50ms\n"
  "0ms     server listen 80\n"
  "10ms    client connect server:80\n"
  "200ms   pause \"Which state is the client in?\"\n"
  "200ms   choice \"SYN_SENT\"\n"
  "200ms   choice right \"ESTABLISHED\"\n"
  "200ms   choice \"LISTEN\"\n"
  "200ms   explain \"The SYN,ACK came back at 110 ms.\"\n"
  "300ms   pause \"An open question.\"\n";

static char *tmp_dir;

static void
setup (void)
{
  /* zz-opening.lesson: last by name, first by its group */
  tmp_dir = tl_test_app_lessons_dir ("tl-teaching-XXXXXX",
                                     "handshake.lesson", handshake_lesson,
                                     "question.lesson", question_lesson,
                                     "zz-opening.lesson",
                                     "title \"An opening\"\ngroup opening 1\n"
                                     "host client 10.0.0.1\nhost server 10.0.0.2\n"
                                     "0ms server listen 80\n",
                                     NULL);
}

static void
teardown (void)
{
  tl_test_remove_tree (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);
}

/* Pixels of the diagram, drawn as the view draws it now, within 0.02 of rgb. */
static guint
diagram_pixels_of (TlViewWidget *diagram,
                   TlSession    *session,
                   double        r,
                   double        g,
                   double        b)
{
  const int w = 1000, h = 800;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, w, h);
  cairo_t *cr = cairo_create (surface);
  TlRenderStyle style;
  guint n = 0;

  tl_view_widget_get_style (diagram, &style);
  style.dark = FALSE;
  tl_render_diagram (cr, tl_session_get_trace (session), tl_session_get_time (session), w, h, &style);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  for (int y = 0; y < h; y++)
    {
      const guint32 *row = (const guint32 *) (cairo_image_surface_get_data (surface)
                                              + y * cairo_image_surface_get_stride (surface));

      for (int x = 0; x < w; x++)
        n += fabs (((row[x] >> 16) & 0xff) / 255.0 - r) < 0.02
             && fabs (((row[x] >> 8) & 0xff) / 255.0 - g) < 0.02
             && fabs ((row[x] & 0xff) / 255.0 - b) < 0.02;
    }
  cairo_surface_destroy (surface);
  return n;
}

static void
explains_a_state (TlWindow *window)
{
  TlSession *session = tl_window_get_session (window);
  g_autoptr(GFile) file = tl_test_app_file (tmp_dir, "handshake.lesson");
  TlViewWidget *diagram = tl_test_app_child (window, "diagram_view");
  GtkWidget *popover;
  TlRenderStyle style;
  cairo_rectangle_t box;
  /* The light palette's accent and the passive closer's colour. */
  const double accent[3] = { 0.486, 0.227, 0.929 };
  const double passive_closer[3] = { 0.659, 0.133, 0.522 };
  guint plain_accent;

  tl_window_open_file (window, file);
  tl_session_set_time (session, 250000);
  plain_accent = diagram_pixels_of (diagram, session, accent[0], accent[1], accent[2]);

  /* E: the state the client is in, explained, its edges lit in the accent. */
  tl_test_app_activate (window, "explain", NULL);
  ck_assert_int_eq (tl_explain_get_state (window), TL_STATE_ESTABLISHED);
  popover = tl_explain_get_popover (window);
  ck_assert (gtk_widget_get_visible (popover));
  ck_assert (tl_test_app_has_label (popover, "ESTABLISHED"));
  ck_assert (tl_test_app_has_label (popover, "The handshake is done"));
  ck_assert (tl_test_app_has_label (popover, "SYN_SENT → ESTABLISHED: rcv SYN,ACK / snd ACK"));
  ck_assert (tl_test_app_has_label (popover, "keepalive"));
  tl_view_widget_get_style (diagram, &style);
  ck_assert_int_eq (style.explained_state, TL_STATE_ESTABLISHED);
  ck_assert_uint_gt (diagram_pixels_of (diagram, session, accent[0], accent[1], accent[2]),
                     plain_accent + 2000);

  /* A click on the TIME_WAIT box explains TIME_WAIT. */
  tl_test_app_settle ();
  tl_view_widget_get_style (diagram, &style);
  tl_render_diagram_box (TL_STATE_TIME_WAIT, gtk_widget_get_width (GTK_WIDGET (diagram)),
                         gtk_widget_get_height (GTK_WIDGET (diagram)), &style, &box);
  ck_assert_int_eq (tl_render_diagram_hit (gtk_widget_get_width (GTK_WIDGET (diagram)),
                                           gtk_widget_get_height (GTK_WIDGET (diagram)), &style,
                                           box.x + box.width / 2, box.y + box.height / 2),
                    TL_STATE_TIME_WAIT);
  tl_test_app_activate (window, "explain-state", g_variant_new_int32 (TL_STATE_TIME_WAIT));
  ck_assert (tl_test_app_has_label (popover, "not a leak"));
  ck_assert (tl_test_app_has_label (popover, "The side that closes first"));
  tl_test_app_shot (window, "explain.png");

  /* Closing it unlights the diagram. */
  tl_test_app_activate (window, "explain-state", g_variant_new_int32 (-1));
  tl_view_widget_get_style (diagram, &style);
  ck_assert_int_eq (style.explained_state, -1);
  ck_assert_uint_eq (diagram_pixels_of (diagram, session, accent[0], accent[1], accent[2]),
                     plain_accent);

  /* Roles: the closing paths in the closers' colours, and back. */
  ck_assert_uint_eq (diagram_pixels_of (diagram, session, passive_closer[0], passive_closer[1],
                                        passive_closer[2]), 0);
  g_action_group_change_action_state (G_ACTION_GROUP (window), "role-colours",
                                      g_variant_new_boolean (TRUE));
  tl_view_widget_get_style (diagram, &style);
  ck_assert (style.role_colours);
  ck_assert_uint_gt (diagram_pixels_of (diagram, session, passive_closer[0], passive_closer[1],
                                        passive_closer[2]), 500);
  tl_test_app_activate (window, "role-colours", NULL);
  tl_view_widget_get_style (diagram, &style);
  ck_assert (!style.role_colours);
}

START_TEST (test_window_explains_a_state)
{
  tl_test_app_run_empty (explains_a_state, TRUE);
}
END_TEST

static guint
count_buttons (GtkWidget  *widget,
               const char *css_class)
{
  guint n = GTK_IS_BUTTON (widget) && (css_class == NULL || gtk_widget_has_css_class (widget, css_class));

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    n += count_buttons (c, css_class);
  return n;
}

static void
answers_a_question (TlWindow *window)
{
  TlSession *session = tl_window_get_session (window);
  g_autoptr(GFile) file = tl_test_app_file (tmp_dir, "question.lesson");
  GtkWidget *box = tl_questions_get_box (window);
  guint right, asked;

  tl_window_open_file (window, file);
  ck_assert (!gtk_widget_get_visible (box));

  /* Page Down: the next question; its choices as numbered buttons. */
  tl_test_app_activate (window, "next-question", NULL);
  ck_assert_int_eq (tl_session_get_time (session), 200000);
  ck_assert (gtk_widget_get_visible (box));
  ck_assert_uint_eq (count_buttons (box, "choice"), 3);
  ck_assert (tl_test_app_has_label (box, "2  ESTABLISHED"));
  ck_assert (!tl_test_app_has_label (box, "110 ms"));

  /* A wrong answer (key 1): marked, the right one shown, and why. */
  tl_test_app_activate (window, "answer", g_variant_new_uint32 (0));
  ck_assert_uint_eq (count_buttons (box, "choice-wrong"), 1);
  ck_assert_uint_eq (count_buttons (box, "choice-right"), 1);
  ck_assert (tl_test_app_has_label (box, "Not quite. The SYN,ACK came back at 110 ms."));
  tl_questions_get_score (window, &right, &asked);
  ck_assert_uint_eq (right, 0);
  ck_assert_uint_eq (asked, 1);
  /* Answered once only. */
  tl_test_app_activate (window, "answer", g_variant_new_uint32 (1));
  tl_questions_get_score (window, &right, &asked);
  ck_assert_uint_eq (asked, 1);

  /* An open question has no choices; Page Up goes back, the answer kept. */
  tl_test_app_activate (window, "next-question", NULL);
  ck_assert_int_eq (tl_session_get_time (session), 300000);
  ck_assert (!gtk_widget_get_visible (box));
  tl_test_app_activate (window, "previous-question", NULL);
  ck_assert_int_eq (tl_session_get_time (session), 200000);
  ck_assert_uint_eq (count_buttons (box, "choice-wrong"), 1);

  /* Reloaded, the question can be answered again: right this time. */
  ck_assert (tl_session_reload (session, NULL));
  tl_test_app_activate (window, "answer", g_variant_new_uint32 (1));
  ck_assert (tl_test_app_has_label (box, "Right. The SYN,ACK came back at 110 ms."));
  tl_questions_get_score (window, &right, &asked);
  ck_assert_uint_eq (right, 1);
  ck_assert_uint_eq (asked, 2);
}

START_TEST (test_window_answers_a_multiple_choice_question)
{
  tl_test_app_run_empty (answers_a_question, TRUE);
}
END_TEST

/* Prediction mode stops before each change of the two hosts' connections,
 * offers the states the connection can go to, and keeps a score. */
static void
predicts_state_changes (TlWindow *window)
{
  TlSession *session = tl_window_get_session (window);
  g_autoptr(GFile) file = tl_test_app_file (tmp_dir, "handshake.lesson");
  const TlTrace *trace;
  const TlRecord *rec;
  guint32 pending;
  guint right, asked;

  tl_window_open_file (window, file);
  g_action_group_change_action_state (G_ACTION_GROUP (window), "predict",
                                      g_variant_new_boolean (TRUE));
  trace = tl_session_get_trace (session);

  /* A jump to 500 ms stops 1 us before the client's connect. */
  tl_session_set_time (session, 500000);
  pending = tl_questions_get_pending (window);
  ck_assert_uint_ne (pending, G_MAXUINT32);
  rec = tl_trace_record (trace, pending);
  ck_assert_int_eq (rec->kind, TL_REC_STATE);
  ck_assert_int_eq (rec->host, 0);
  ck_assert_int_eq (rec->u.state.to, TL_STATE_SYN_SENT);
  ck_assert_int_eq (tl_session_get_time (session), 9999);
  ck_assert (tl_test_app_has_label (tl_questions_get_box (window), "client is in CLOSED"));
  ck_assert (tl_test_app_has_label (tl_questions_get_box (window), "SYN_SENT"));

  /* Answered by a click on SYN_SENT: right, and the change is played. */
  ck_assert (tl_questions_take_state (window, TL_STATE_SYN_SENT));
  ck_assert_int_eq (tl_session_get_time (session), 10000);
  tl_questions_get_score (window, &right, &asked);
  ck_assert_uint_eq (right, 1);
  ck_assert_uint_eq (asked, 1);
  ck_assert (tl_test_app_has_label (tl_questions_get_box (window), "Score: 1 of 1"));
  tl_test_app_shot (window, "prediction-answered.png");

  /* The next change, answered wrong with a number key (the first choice). */
  tl_test_app_activate (window, "step-forward", NULL);
  tl_session_set_time (session, 500000);
  pending = tl_questions_get_pending (window);
  ck_assert_uint_ne (pending, G_MAXUINT32);
  rec = tl_trace_record (trace, pending);
  ck_assert_int_gt (rec->time_us, 10000);
  ck_assert_int_eq (tl_session_get_time (session), rec->time_us - 1);
  if (rec->u.state.to == TL_STATE_CLOSED)
    tl_test_app_activate (window, "answer", g_variant_new_uint32 (1));
  else
    ck_assert (tl_questions_take_state (window, TL_STATE_CLOSED));
  tl_questions_get_score (window, &right, &asked);
  ck_assert_uint_eq (asked, 2);
  ck_assert_uint_eq (right, 1);
  ck_assert_int_eq (tl_session_get_time (session), rec->time_us);
  ck_assert_uint_eq (tl_questions_get_pending (window), G_MAXUINT32);

  /* Off, playback no longer stops. */
  tl_test_app_activate (window, "predict", NULL);
  tl_session_set_time (session, 500000);
  ck_assert_uint_eq (tl_questions_get_pending (window), G_MAXUINT32);
  ck_assert_int_eq (tl_session_get_time (session), 500000);
}

START_TEST (test_window_predicts_state_changes)
{
  tl_test_app_run_empty (predicts_state_changes, TRUE);
}
END_TEST


/* The ladder at the playhead drawn with style at width x height. */
static cairo_surface_t *
draw_ladder (TlSession           *session,
             const TlRenderStyle *style,
             int                  width,
             int                  height)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_t *cr = cairo_create (surface);

  tl_render_ladder (cr, tl_session_get_trace (session), tl_session_get_time (session), width,
                    height, style);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

/* The texts the ladder draws now, as the view draws it at width x height. */
static GArray *
ladder_labels (TlViewWidget *ladder,
               TlSession    *session,
               int           width,
               int           height)
{
  GArray *labels = tl_render_labels_new ();
  TlRenderStyle style;

  tl_view_widget_get_style (ladder, &style);
  style.labels = labels;
  cairo_surface_destroy (draw_ladder (session, &style, width, height));
  return labels;
}

static gboolean
ladder_draws (TlViewWidget *ladder,
              TlSession    *session,
              const char   *text)
{
  g_autoptr(GArray) labels = ladder_labels (ladder, session, 1000, 800);
  gboolean found = FALSE;

  for (guint i = 0; i < labels->len; i++)
    found = found || g_strcmp0 (g_array_index (labels, TlRenderLabel, i).text, text) == 0;
  return found;
}

/* Asserts that no two states' names the ladder draws now meet, nor leave
 * it (its overview strip at the right edge), at a projector's size and
 * small ones; returns how many ghosts it drew. */
static guint
assert_state_names_apart (TlViewWidget *ladder,
                          TlSession    *session)
{
  static const int sizes[][2] = { { 1000, 800 }, { 640, 420 }, { 1600, 500 } };
  guint ghosts = 0;

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autoptr(GArray) labels = ladder_labels (ladder, session, sizes[s][0], sizes[s][1]);

      for (guint i = 0; i < labels->len; i++)
        {
          const TlRenderLabel *a = &g_array_index (labels, TlRenderLabel, i);

          if (a->kind != TL_LABEL_STATE)
            continue;
          ghosts += a->text[0] == '(';
          /* and inside the view, a ghost's brackets too */
          ck_assert_msg (a->x >= 0 && a->x + a->width <= sizes[s][0] * 0.97,
                         "\"%s\" (%.0f, %.0f wide) leaves the %d px ladder", a->text, a->x,
                         a->width, sizes[s][0]);
          for (guint j = i + 1; j < labels->len; j++)
            {
              const TlRenderLabel *b = &g_array_index (labels, TlRenderLabel, j);

              if (b->kind == TL_LABEL_STATE)
                ck_assert_msg (a->x + a->width <= b->x || b->x + b->width <= a->x
                               || a->y + a->height <= b->y || b->y + b->height <= a->y,
                               "at %d ms, %dx%d: \"%s\" (%.0f,%.0f %.0fx%.0f) meets \"%s\" "
                               "(%.0f,%.0f %.0fx%.0f)",
                               (int) (tl_session_get_time (session) / 1000), sizes[s][0],
                               sizes[s][1], a->text, a->x, a->y, a->width, a->height, b->text,
                               b->x, b->y, b->width, b->height);
            }
        }
    }
  return ghosts;
}

/* "Normal close" with its FIN lost on the wire at 548 ms: the line says
 * where the run departs, the narration from there is the original story,
 * marked; the ladder ghosts the server's CLOSE_WAIT that no longer comes;
 * the lesson's expectations, all ticked as written, are crossed where the
 * new run breaks them; Ctrl+Z and "Back to the lesson as written" undo. */
static void
whatif_departs_from_normal_close (TlWindow *window)
{
  TlSession *session = tl_window_get_session (window);
  g_autoptr(GFile) file = g_file_new_for_path (TL_LESSONS_SRC "/normal-close.lesson");
  AdwWindowTitle *title = tl_test_app_child (window, "window_title");
  GtkWidget *narration = tl_test_app_child (window, "narration_label");
  TlViewWidget *ladder = tl_test_app_child (window, "ladder_view");
  g_autoptr(GError) error = NULL;
  guint passed, failed, pending, passed_written;
  TlStmt crash = { .kind = TL_STMT_CRASH, .host = 1 };
  gboolean found_failure = FALSE;

  tl_window_open_file (window, file);
  ck_assert_ptr_null (tl_whatif_get_line (window));

  /* As written: every expectation is still to come, then all hold. */
  tl_expectations_count (window, &passed, &failed, &pending);
  ck_assert_uint_eq (passed + failed, 0);
  ck_assert_uint_gt (pending, 20);
  ck_assert_ptr_nonnull (strstr (tl_expectations_row_text (window, 0),
                                 "normal-close.lesson:"));
  tl_session_set_time (session, tl_session_get_end_time (session));
  tl_expectations_count (window, &passed_written, &failed, &pending);
  ck_assert_uint_eq (failed, 0);
  ck_assert_uint_eq (pending, 0);
  tl_session_set_time (session, 700000);
  tl_expectations_count (window, &passed, &failed, &pending);
  ck_assert_uint_gt (passed, 0);
  ck_assert_uint_gt (pending, 0);
  ck_assert_uint_eq (failed, 0);

  /* The FIN in flight at 548 ms is lost there. */
  tl_session_set_time (session, 548000);
  ck_assert_msg (tl_session_lose_on_wire (session, 0, TL_FLAG_FIN | TL_FLAG_ACK, &error), "%s",
                 error != NULL ? error->message : "");
  ck_assert_str_eq (tl_whatif_get_line (window),
                    "Your change at 548 ms: the FIN,ACK from client was lost. From here the "
                    "lesson's text describes the original run.");
  ck_assert_ptr_nonnull (strstr (adw_window_title_get_subtitle (title), "(changed)"));

  /* 700 ms: the narration tells the original story, marked; the server's
   * CLOSE_WAIT of the lesson is a ghost on the ladder. */
  tl_session_set_time (session, 700000);
  ck_assert (gtk_widget_has_css_class (narration, "as-written"));
  ck_assert (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (narration)), "As written: The FIN "
                                                                               "reaches the server"));
  ck_assert (ladder_draws (ladder, session, "(CLOSE_WAIT)"));
  ck_assert (!ladder_draws (ladder, session, "CLOSE_WAIT"));
  tl_expectations_count (window, &passed, &failed, &pending);
  ck_assert_uint_gt (failed, 0);
  for (guint i = 0; tl_expectations_row_text (window, i) != NULL; i++)
    found_failure = found_failure
                    || strstr (tl_expectations_row_text (window, i),
                               "server CLOSE_WAIT at 650 ms; found ESTABLISHED") != NULL;
  ck_assert (found_failure);
  tl_test_app_shot (window, "whatif-normal-close.png");

  /* The original run's states beside the new run's, never over them. */
  {
    guint ghosts = 0;

    for (gint64 t = 560000; t <= 2000000; t += 20000)
      {
        tl_session_set_time (session, t);
        ghosts += assert_state_names_apart (ladder, session);
      }
    ck_assert_uint_gt (ghosts, 0);
  }
  tl_session_set_time (session, 1300000);
  g_action_group_change_action_state (G_ACTION_GROUP (window), "show-lessons",
                                      g_variant_new_boolean (TRUE));
  tl_test_app_shot (window, "whatif-expectations.png");
  g_action_group_change_action_state (G_ACTION_GROUP (window), "show-lessons",
                                      g_variant_new_boolean (FALSE));

  /* Before the change, the lesson as written. */
  tl_session_set_time (session, 400000);
  ck_assert (!gtk_widget_has_css_class (narration, "as-written"));
  ck_assert_ptr_nonnull (strstr (tl_whatif_get_line (window), "departs from the lesson as "
                                                              "written at 548 ms"));

  /* Ctrl+Z takes the change back: all expectations hold again. */
  tl_test_app_activate (window, "undo", NULL);
  ck_assert (!tl_session_get_modified (session));
  ck_assert_ptr_null (tl_whatif_get_line (window));
  ck_assert_ptr_null (strstr (adw_window_title_get_subtitle (title), "(changed)"));
  tl_session_set_time (session, tl_session_get_end_time (session));
  tl_expectations_count (window, &passed, &failed, &pending);
  ck_assert_uint_eq (passed, passed_written);
  ck_assert_uint_eq (failed, 0);
  ck_assert (!ladder_draws (ladder, session, "(CLOSE_WAIT)"));

  /* Two changes, taken back together. */
  tl_session_set_time (session, 548000);
  ck_assert (tl_session_lose_on_wire (session, 0, TL_FLAG_FIN | TL_FLAG_ACK, NULL));
  tl_session_intervene (session, &crash);
  ck_assert_uint_eq (tl_session_get_n_changes (session), 2);
  tl_test_app_activate (window, "back-to-lesson", NULL);
  ck_assert (!tl_session_get_modified (session));
  ck_assert (!g_action_group_get_action_enabled (G_ACTION_GROUP (window), "undo"));
}

START_TEST (test_window_whatif_departs_from_normal_close)
{
  tl_test_app_run_empty (whatif_departs_from_normal_close, TRUE);
}
END_TEST


/* In "Normal close" at 700 ms: a click on the server's CLOSE_WAIT names
 * the client's FIN as its cause and picks it; the FIN's own popover names
 * the CLOSE_WAIT its arrival made. */
static void
names_causes (TlWindow *window)
{
  TlSession *session = tl_window_get_session (window);
  g_autoptr(GFile) file = g_file_new_for_path (TL_LESSONS_SRC "/normal-close.lesson");
  TlViewWidget *ladder = tl_test_app_child (window, "ladder_view");
  GtkWidget *widget = GTK_WIDGET (ladder);
  const TlTrace *trace;
  TlRenderStyle style;
  guint32 state = G_MAXUINT32, fin = G_MAXUINT32;
  double x, y = 0, line[4];
  int w, h;

  tl_window_open_file (window, file);
  tl_session_set_time (session, 700000);
  tl_test_app_settle ();
  trace = tl_session_get_trace (session);
  w = gtk_widget_get_width (widget);
  h = gtk_widget_get_height (widget);
  tl_view_widget_get_style (ladder, &style);

  /* the server's note, right of its timeline */
  x = w - w / 12.0;
  for (y = 0; y < h && state == G_MAXUINT32; y += 2)
    {
      guint32 r = tl_render_ladder_hit_state (trace, 700000, w, h, &style, x, y);

      if (r != G_MAXUINT32 && tl_trace_record (trace, r)->u.state.to == TL_STATE_CLOSE_WAIT)
        state = r;
    }
  ck_assert_uint_ne (state, G_MAXUINT32);
  ck_assert (tl_view_widget_pick_state (ladder, x, y - 2));
  ck_assert (tl_test_app_has_label (widget, "server: ESTABLISHED → CLOSE_WAIT at 600 ms"));
  ck_assert (tl_test_app_has_label (widget, "Caused by the FIN,ACK from client, sent at 500 ms, "
                                            "arriving at 600 ms."));
  tl_test_app_shot (window, "causes.png");
  fin = tl_session_get_selected (session);
  ck_assert_uint_ne (fin, G_MAXUINT32);
  ck_assert_int_eq (tl_trace_record (trace, fin)->kind, TL_REC_SEGMENT);
  ck_assert_uint_eq (tl_trace_record (trace, fin)->u.seg.flags, TL_FLAG_FIN | TL_FLAG_ACK);
  ck_assert_int_eq (tl_trace_record (trace, fin)->time_us, 500000);

  /* the FIN's popover: what its arrival did */
  ck_assert (tl_render_ladder_line (trace, 700000, w, h, &style, fin, line));
  ck_assert (tl_view_widget_pick_segment (ladder, (line[0] + line[2]) / 2,
                                          (line[1] + line[3]) / 2));
  ck_assert_uint_eq (tl_session_get_selected (session), fin);
  ck_assert (tl_test_app_has_label (widget, "On arrival: server ESTABLISHED → CLOSE_WAIT."));

  /* the client's close() made FIN_WAIT_1 */
  {
    guint32 fw1 = G_MAXUINT32;
    g_autofree char *cause = NULL;

    for (guint i = 0; i < tl_trace_n_records (trace) && fw1 == G_MAXUINT32; i++)
      if (tl_trace_record (trace, i)->kind == TL_REC_STATE
          && tl_trace_record (trace, i)->u.state.to == TL_STATE_FIN_WAIT_1)
        fw1 = i;
    cause = tl_causes_of_state (trace, fw1);
    ck_assert_str_eq (cause, "Caused by client's application calling close().");
  }
}

START_TEST (test_window_names_causes)
{
  tl_test_app_run_empty (names_causes, TRUE);
}
END_TEST

/* The ladder's pixels that differ between its drawing with the style now
 * and with no event focused. */
static guint
focus_ring_pixels (TlViewWidget *ladder,
                   TlSession    *session)
{
  const int w = 800, h = 700;
  cairo_surface_t *surface[2];
  TlRenderStyle style;
  guint n = 0;

  tl_view_widget_get_style (ladder, &style);
  surface[0] = draw_ladder (session, &style, w, h);
  style.focus_record = G_MAXUINT32;
  surface[1] = draw_ladder (session, &style, w, h);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      n += ((guint32 *) (cairo_image_surface_get_data (surface[0])
                         + y * cairo_image_surface_get_stride (surface[0])))[x]
           != ((guint32 *) (cairo_image_surface_get_data (surface[1])
                            + y * cairo_image_surface_get_stride (surface[1])))[x];
  cairo_surface_destroy (surface[0]);
  cairo_surface_destroy (surface[1]);
  return n;
}

/* How many of widget's popovers are shown. */
static guint
shown_popovers (GtkWidget *widget)
{
  guint n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    n += GTK_IS_POPOVER (c) && gtk_widget_get_visible (c);
  return n;
}

/* In "Normal close" at 700 ms, with the keyboard alone: the ladder takes
 * the focus, Down rings the last event at the playhead, Up goes back to the
 * server's CLOSE_WAIT, Enter names its cause as a click does, Escape
 * closes that; Down then Enter opens a segment's fields. */
static void
keys_reach_ladder_events (TlWindow *window)
{
  TlSession *session = tl_window_get_session (window);
  g_autoptr(GFile) file = g_file_new_for_path (TL_LESSONS_SRC "/normal-close.lesson");
  TlViewWidget *ladder = tl_test_app_child (window, "ladder_view");
  GtkWidget *widget = GTK_WIDGET (ladder);
  const TlTrace *trace;
  const TlRecord *rec;
  TlRenderStyle style;
  guint32 cursor, last;
  guint steps = 0;

  tl_window_open_file (window, file);
  tl_session_set_time (session, 700000);
  tl_test_app_settle ();
  trace = tl_session_get_trace (session);

  ck_assert (gtk_widget_get_focusable (widget));
  ck_assert (!gtk_widget_get_focusable (tl_test_app_child (window, "diagram_view")));
  ck_assert (gtk_widget_grab_focus (widget));
  ck_assert (gtk_widget_has_focus (widget));
  ck_assert_uint_eq (tl_view_widget_get_cursor (ladder), G_MAXUINT32);
  /* nothing open: Escape is left to the window (presentation mode) */
  ck_assert (!tl_test_app_press (widget, "tl-ladder-keys", "Escape"));

  /* Down: the last event at the playhead, ringed */
  ck_assert (tl_test_app_press (widget, "tl-ladder-keys", "Down"));
  last = tl_view_widget_get_cursor (ladder);
  ck_assert_uint_ne (last, G_MAXUINT32);
  ck_assert_int_le (tl_trace_record (trace, last)->time_us, 700000);
  tl_view_widget_get_style (ladder, &style);
  ck_assert_uint_eq (style.focus_record, last);
  ck_assert_uint_gt (focus_ring_pixels (ladder, session), 200);
  /* no later one: Down stays */
  ck_assert (tl_test_app_press (widget, "tl-ladder-keys", "Down"));
  ck_assert_uint_eq (tl_view_widget_get_cursor (ladder), last);

  /* Up, event by event, to the server's CLOSE_WAIT */
  do
    {
      ck_assert (tl_test_app_press (widget, "tl-ladder-keys", "Up"));
      cursor = tl_view_widget_get_cursor (ladder);
      rec = tl_trace_record (trace, cursor);
      ck_assert (rec->kind == TL_REC_STATE || rec->kind == TL_REC_SEGMENT);
      ck_assert_uint_lt (++steps, 20);
    }
  while (rec->kind != TL_REC_STATE || rec->u.state.to != TL_STATE_CLOSE_WAIT);
  ck_assert_uint_gt (focus_ring_pixels (ladder, session), 200);

  /* Enter: its cause, as a click shows it, and the FIN that caused it picked */
  ck_assert (tl_test_app_press (widget, "tl-ladder-keys", "Return"));
  ck_assert_uint_eq (shown_popovers (widget), 1);
  ck_assert (tl_test_app_has_label (widget, "server: ESTABLISHED → CLOSE_WAIT at 600 ms"));
  ck_assert (tl_test_app_has_label (widget, "Caused by the FIN,ACK from client, sent at 500 ms"));
  ck_assert_uint_eq (tl_trace_record (trace, tl_session_get_selected (session))->u.seg.flags,
                     TL_FLAG_FIN | TL_FLAG_ACK);
  ck_assert_uint_eq (tl_view_widget_get_cursor (ladder), cursor);
  tl_test_app_shot (window, "ladder-keyboard-cause.png");
  /* Escape closes it */
  ck_assert (tl_test_app_press (widget, "tl-ladder-keys", "Escape"));
  ck_assert_uint_eq (shown_popovers (widget), 0);

  /* a segment: its fields */
  while (tl_trace_record (trace, tl_view_widget_get_cursor (ladder))->kind != TL_REC_SEGMENT)
    ck_assert (tl_test_app_press (widget, "tl-ladder-keys", "Down"));
  ck_assert (tl_test_app_press (widget, "tl-ladder-keys", "Return"));
  ck_assert_uint_eq (tl_session_get_selected (session), tl_view_widget_get_cursor (ladder));
  ck_assert_uint_eq (shown_popovers (widget), 1);
  ck_assert (tl_test_app_has_label (widget, "Sequence number"));
  ck_assert (tl_test_app_press (widget, "tl-ladder-keys", "Escape"));
  ck_assert_uint_eq (shown_popovers (widget), 0);

  /* Another run: the keyboard starts again at the playhead. */
  ck_assert (tl_session_reload (session, NULL));
  ck_assert_uint_eq (tl_view_widget_get_cursor (ladder), G_MAXUINT32);
}

START_TEST (test_window_keys_reach_ladder_events)
{
  tl_test_app_run_empty (keys_reach_ladder_events, TRUE);
}
END_TEST

/* The teaching scenes in Chinese: a state of "Normal close" explained, a
 * state change's cause named (from the keyboard), then its FIN lost at
 * 548 ms: the departure line, the narration marked as written, the
 * expectations crossed, each in the other language. */
static void
teaches_in_chinese (TlWindow *window)
{
  g_autoptr(GFile) file = g_file_new_for_path (TL_LESSONS_SRC "/normal-close.lesson");
  TlWindow *zh = tl_test_app_switch_language (window, "zh_CN");
  TlSession *session = tl_window_get_session (zh);
  TlViewWidget *ladder = tl_test_app_child (zh, "ladder_view");
  GtkWidget *narration = tl_test_app_child (zh, "narration_label");
  GtkWidget *popover;
  const TlRecord *rec;
  guint passed, failed, pending, steps = 0;

  tl_window_open_file (zh, file);

  /* TIME_WAIT explained */
  tl_session_set_time (session, 1300000);
  tl_test_app_activate (zh, "explain-state", g_variant_new_int32 (TL_STATE_TIME_WAIT));
  popover = tl_explain_get_popover (zh);
  ck_assert (gtk_widget_get_visible (popover));
  ck_assert (tl_test_app_has_label (popover, "TIME_WAIT"));
  ck_assert (tl_test_app_has_label (popover, "含义"));
  ck_assert (!tl_test_app_has_label (popover, "not a leak"));
  tl_test_app_shot (zh, "zh_CN-explain.png");
  tl_test_app_activate (zh, "explain-state", g_variant_new_int32 (-1));

  /* the server's CLOSE_WAIT: its cause, reached with the keys */
  tl_session_set_time (session, 700000);
  tl_test_app_settle ();
  ck_assert (gtk_widget_grab_focus (GTK_WIDGET (ladder)));
  ck_assert (tl_test_app_press (GTK_WIDGET (ladder), "tl-ladder-keys", "Down"));
  do
    {
      ck_assert (tl_test_app_press (GTK_WIDGET (ladder), "tl-ladder-keys", "Up"));
      rec = tl_trace_record (tl_session_get_trace (session), tl_view_widget_get_cursor (ladder));
      ck_assert_uint_lt (++steps, 20);
    }
  while (rec->kind != TL_REC_STATE || rec->u.state.to != TL_STATE_CLOSE_WAIT);
  ck_assert (tl_test_app_press (GTK_WIDGET (ladder), "tl-ladder-keys", "Return"));
  ck_assert (tl_test_app_has_label (GTK_WIDGET (ladder), "ESTABLISHED → CLOSE_WAIT"));
  ck_assert (!tl_test_app_has_label (GTK_WIDGET (ladder), "Caused by"));
  tl_test_app_shot (zh, "zh_CN-causes.png");
  ck_assert (tl_test_app_press (GTK_WIDGET (ladder), "tl-ladder-keys", "Escape"));

  /* the FIN lost at 548 ms */
  tl_session_set_time (session, 548000);
  ck_assert (tl_session_lose_on_wire (session, 0, TL_FLAG_FIN | TL_FLAG_ACK, NULL));
  ck_assert_ptr_nonnull (strstr (tl_whatif_get_line (zh), "548"));
  ck_assert (!g_str_has_prefix (tl_whatif_get_line (zh), "Your change"));
  tl_session_set_time (session, 1000000);
  ck_assert (gtk_widget_has_css_class (narration, "as-written"));
  ck_assert (!g_str_has_prefix (gtk_label_get_text (GTK_LABEL (narration)), "As written"));
  /* the ghosts in their brackets inside the ladder too */
  ck_assert_uint_gt (assert_state_names_apart (ladder, session), 0);
  tl_expectations_count (zh, &passed, &failed, &pending);
  ck_assert_uint_gt (failed, 0);
  tl_test_app_shot (zh, "zh_CN-whatif-normal-close.png");
  tl_session_set_time (session, 1300000);
  g_action_group_change_action_state (G_ACTION_GROUP (zh), "show-lessons",
                                      g_variant_new_boolean (TRUE));
  tl_test_app_shot (zh, "zh_CN-whatif-expectations.png");
}

START_TEST (test_window_teaches_in_chinese)
{
  tl_test_app_run_empty (teaches_in_chinese, TRUE);
}
END_TEST

/* The lesson list follows the lessons' `group` lines: the one in a group
 * first under its heading, the others after, under "Other lessons". */
static void
lists_lessons_in_groups (TlWindow *window)
{
  GtkListBox *list = tl_test_app_child (window, "lesson_list");
  GtkListBoxRow *first = gtk_list_box_get_row_at_index (list, 0);
  GtkListBoxRow *second = gtk_list_box_get_row_at_index (list, 1);
  GtkListBoxRow *third = gtk_list_box_get_row_at_index (list, 2);

  ck_assert_ptr_nonnull (third);
  ck_assert (tl_test_app_has_label (GTK_WIDGET (first), "An opening"));
  ck_assert_ptr_nonnull (gtk_list_box_row_get_header (first));
  ck_assert (tl_test_app_has_label (gtk_list_box_row_get_header (first), "Opening a connection"));
  ck_assert (tl_test_app_has_label (GTK_WIDGET (second), "Test handshake"));
  ck_assert (tl_test_app_has_label (gtk_list_box_row_get_header (second), "Other lessons"));
  ck_assert (tl_test_app_has_label (GTK_WIDGET (third), "Test question"));
  ck_assert_ptr_null (gtk_list_box_row_get_header (third));
}

START_TEST (test_window_lists_lessons_in_groups)
{
  tl_test_app_run_empty (lists_lessons_in_groups, TRUE);
}
END_TEST

Suite *
window_teaching_suite (void)
{
  Suite *s = suite_create ("window-teaching");
  TCase *tc = tcase_create ("ui");

  tl_test_app_set_timeout (tc, 90);
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_window_explains_a_state);
  tcase_add_test (tc, test_window_answers_a_multiple_choice_question);
  tcase_add_test (tc, test_window_predicts_state_changes);
  tcase_add_test (tc, test_window_whatif_departs_from_normal_close);
  tcase_add_test (tc, test_window_names_causes);
  tcase_add_test (tc, test_window_keys_reach_ladder_events);
  tcase_add_test (tc, test_window_teaches_in_chinese);
  tcase_add_test (tc, test_window_lists_lessons_in_groups);
  suite_add_tcase (s, tc);
  return s;
}
