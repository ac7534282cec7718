/* test-window-names.c: a lesson from a stranger with a host name of 4000
 * characters, and a title, narration, question, choices and explanation
 * each one word of 3000, under Xvfb (see tests/meson.build).  Every text of
 * the window that names the host (the segment's popover and its buttons, the
 * causes popover, the what-if's departure line, a prediction, the
 * expectations, a toast, the sockets view's tooltip) names it cut with an
 * ellipsis, and no label, popover or the window grows past the screen. */
#include "tl-config.h"

#include <check.h>
#include <string.h>
#include <adwaita.h>

#include "tl-expectations.h"
#include "tl-questions.h"
#include "tl-render-private.h"
#include "tl-segment-popover.h"
#include "tl-test-app.h"
#include "tl-test-files.h"
#include "tl-view-widget.h"
#include "tl-whatif.h"
#include "tl-window.h"

#define NAME_CHARS 4000
#define WORD_CHARS 3000

static char *tmp_dir;
/* the host's name, and the first 100 characters of it: no label may hold those */
static char *long_name;
static char *name_head;

/* A word of n letters, from first on ('a' to 'z' and round again). */
static char *
word (guint n,
      char  first)
{
  char *w = g_malloc (n + 1);

  for (guint i = 0; i < n; i++)
    w[i] = (char) ('a' + (first - 'a' + i) % 26);
  w[n] = '\0';
  return w;
}

static void
setup (void)
{
  g_autofree char *title = word (WORD_CHARS, 't');
  g_autofree char *say = word (WORD_CHARS, 's');
  g_autofree char *pause = word (WORD_CHARS, 'p');
  g_autofree char *choice = word (WORD_CHARS, 'c');
  g_autofree char *explain = word (WORD_CHARS, 'e');
  g_autofree char *text = NULL;

  /* "N0123456789012…": nothing else in the lesson has a digit */
  long_name = g_malloc (NAME_CHARS + 1);
  long_name[0] = 'N';
  for (guint i = 1; i < NAME_CHARS; i++)
    long_name[i] = (char) ('0' + (i - 1) % 10);
  long_name[NAME_CHARS] = '\0';
  name_head = g_strndup (long_name, 100);
  /* each line within the 4096 bytes of a lesson's line */
  text = g_strdup_printf ("title \"%s\"\n"
                          "host %s 10.0.0.1\n"
                          "host server 10.0.0.2\n"
                          "link delay 50ms\n"
                          "set all isn 0\n"
                          "0ms     server listen 80\n"
                          "10ms    %s connect server:80\n"
                          "10ms    say \"%s\"\n"
                          "200ms   pause \"%s\"\n"
                          "200ms   choice \"%s\"\n"
                          "200ms   choice right \"ESTABLISHED\"\n"
                          "200ms   explain \"%s\"\n"
                          "250ms   expect %s ESTABLISHED\n"
                          "300ms   %s close\n"
                          "400ms   server close\n",
                          title, long_name, long_name, say, pause, choice, explain, long_name,
                          long_name);
  tmp_dir = tl_test_app_lessons_dir ("tl-names-XXXXXX", "long.lesson", text, NULL);
}

static void
teardown (void)
{
  tl_test_remove_tree (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);
  g_clear_pointer (&long_name, g_free);
  g_clear_pointer (&name_head, g_free);
}

static int screen_width;
static int window_width;
static int window_height;

/* Every label at or under widget, popovers and toasts included: none
 * holds the long name whole, none is wider than the screen; returns how
 * many labels hold the name cut (its first characters, then "…"). */
static guint
assert_labels_bounded (GtkWidget  *widget,
                       const char *where)
{
  guint cut = 0;

  if (GTK_IS_LABEL (widget))
    {
      const char *text = gtk_label_get_text (GTK_LABEL (widget));
      g_autofree char *head = g_strndup (long_name, 8);

      ck_assert_msg (strstr (text, name_head) == NULL,
                     "%s: a label under a %s holds the long name: %.200s", where,
                     G_OBJECT_TYPE_NAME (gtk_widget_get_parent (widget)), text);
      ck_assert_msg (gtk_widget_get_width (widget) <= screen_width,
                     "%s: a label %d px wide: %.200s", where, gtk_widget_get_width (widget), text);
      cut += strstr (text, head) != NULL && strstr (text, "…") != NULL;
    }
  if (GTK_IS_NATIVE (widget))
    ck_assert_msg (gtk_widget_get_width (widget) <= screen_width, "%s: a %s %d px wide", where,
                   G_OBJECT_TYPE_NAME (widget), gtk_widget_get_width (widget));
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    cut += assert_labels_bounded (c, where);
  return cut;
}

/* The window settled, its labels bounded, its width what it was; returns
 * how many labels name the host cut. */
static guint
check_window (TlWindow   *window,
              const char *where)
{
  tl_test_app_settle ();
  ck_assert_msg (gtk_widget_get_width (GTK_WIDGET (window)) == window_width,
                 "%s: the window went from %d to %d px wide", where, window_width,
                 gtk_widget_get_width (GTK_WIDGET (window)));
  ck_assert_msg (gtk_widget_get_height (GTK_WIDGET (window)) == window_height,
                 "%s: the window went from %d to %d px high", where, window_height,
                 gtk_widget_get_height (GTK_WIDGET (window)));
  return assert_labels_bounded (GTK_WIDGET (window), where);
}

/* Clicks the close button of every toast shown at or under widget (its
 * only button with the window-close icon). */
static void
dismiss_toasts (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget)
      && g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (widget)), "window-close-symbolic") == 0)
    g_signal_emit_by_name (widget, "clicked");
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    dismiss_toasts (c);
}

/* The toast shown now holds part and names the host cut; it is dismissed,
 * so that the next one shows at once. */
static void
assert_toast (TlWindow   *window,
              const char *part)
{
  GtkWidget *overlay = tl_test_app_child (window, "toast_overlay");
  GtkLabel *label = tl_test_app_find_label (overlay, part);
  g_autofree char *cut = tl_render_cut_name (long_name);

  ck_assert_msg (label != NULL, "no toast says \"%s\"", part);
  ck_assert_msg (strstr (gtk_label_get_text (label), cut) != NULL, "%s", gtk_label_get_text (label));
  dismiss_toasts (overlay);
  tl_test_app_settle ();
}

/* The first record of host 0 of kind (a segment with flags, or a state
 * change to state). */
static guint32
find_record (const TlTrace *trace,
             TlRecordKind   kind,
             guint          flags,
             TlState        state)
{
  for (guint i = 0; i < tl_trace_n_records (trace); i++)
    {
      const TlRecord *rec = tl_trace_record (trace, i);

      if (rec->kind == kind && rec->host == 0
          && (kind != TL_REC_SEGMENT || rec->u.seg.flags == flags)
          && (kind != TL_REC_STATE || rec->u.state.to == state))
        return i;
    }
  ck_abort_msg ("no such record");
  return G_MAXUINT32;
}

static void
clips_long_names (TlWindow *window)
{
  TlSession *session = tl_window_get_session (window);
  g_autoptr(GFile) file = tl_test_app_file (tmp_dir, "long.lesson");
  TlViewWidget *ladder = tl_test_app_child (window, "ladder_view");
  TlViewWidget *sockets = tl_test_app_child (window, "sockets_view");
  GListModel *monitors = gdk_display_get_monitors (gtk_widget_get_display (GTK_WIDGET (window)));
  g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, 0);
  const TlTrace *trace;
  TlRenderStyle style;
  GdkRectangle geometry;
  guint32 syn, established;
  GtkButton *drop;
  double line[4];
  int w, h;

  gdk_monitor_get_geometry (monitor, &geometry);
  screen_width = geometry.width;
  tl_test_app_settle ();
  window_width = gtk_widget_get_width (GTK_WIDGET (window));
  window_height = gtk_widget_get_height (GTK_WIDGET (window));
  ck_assert_int_le (window_width, screen_width);
  ck_assert_int_le (window_height, geometry.height);

  /* Opened: the host labels, the title; 100 ms: the narration. */
  tl_window_open_file (window, file);
  ck_assert_uint_eq (strlen (tl_session_get_scenario (session)->hosts[0].name), NAME_CHARS);
  tl_session_set_time (session, 100000);
  ck_assert_uint_gt (check_window (window, "narration"), 0);
  tl_test_app_shot (window, "names-narration.png");

  /* The question, its choices; answered, its explanation. */
  tl_test_app_activate (window, "next-question", NULL);
  ck_assert_int_eq (tl_session_get_time (session), 200000);
  check_window (window, "question");
  tl_test_app_activate (window, "answer", g_variant_new_uint32 (0));
  check_window (window, "explanation");
  tl_test_app_shot (window, "names-question.png");

  /* The client's SYN picked on the wire: its popover, its buttons, what
   * its arrival did. */
  trace = tl_session_get_trace (session);
  syn = find_record (trace, TL_REC_SEGMENT, TL_FLAG_SYN, TL_STATE_CLOSED);
  tl_session_set_time (session, 40000);
  tl_test_app_settle ();
  w = gtk_widget_get_width (GTK_WIDGET (ladder));
  h = gtk_widget_get_height (GTK_WIDGET (ladder));
  tl_view_widget_get_style (ladder, &style);
  ck_assert (tl_render_ladder_line (trace, 40000, w, h, &style, syn, line));
  ck_assert (tl_view_widget_pick_segment (ladder, (line[0] + line[2]) / 2,
                                          (line[1] + line[3]) / 2));
  ck_assert_uint_eq (tl_session_get_selected (session), syn);
  ck_assert_uint_gt (check_window (window, "segment on the wire"), 0);
  tl_test_app_shot (window, "names-segment.png");
  /* dropped from there: the toast says which */
  drop = tl_test_app_find_button (GTK_WIDGET (ladder), "Drop this segment");
  ck_assert_ptr_nonnull (drop);
  g_signal_emit_by_name (drop, "clicked");
  ck_assert (tl_session_get_modified (session));
  check_window (window, "segment dropped");
  assert_toast (window, "to server is lost on the wire");
  tl_test_app_activate (window, "back-to-lesson", NULL);
  ck_assert (!tl_session_get_modified (session));
  trace = tl_session_get_trace (session);
  /* the client's FIN, not sent yet: its popover's buttons name the next one */
  {
    TlSegmentPopover *popover = tl_segment_popover_new ();

    gtk_widget_set_parent (GTK_WIDGET (popover), GTK_WIDGET (ladder));
    tl_segment_popover_show (popover, session,
                             find_record (trace, TL_REC_SEGMENT, TL_FLAG_FIN | TL_FLAG_ACK,
                                          TL_STATE_CLOSED));
    ck_assert_uint_ge (assert_labels_bounded (GTK_WIDGET (popover), "next segment"), 3);
    gtk_widget_unparent (GTK_WIDGET (popover));
  }

  /* The client's ESTABLISHED picked: its cause. */
  tl_session_set_time (session, 250000);
  tl_test_app_settle ();
  established = find_record (trace, TL_REC_STATE, 0, TL_STATE_ESTABLISHED);
  {
    gboolean picked = FALSE;

    for (int y = 0; y < h && !picked; y += 2)
      for (int x = 0; x < w / 2 && !picked; x += 2)
        if (tl_render_ladder_hit_state (trace, 250000, w, h, &style, x, y) == established)
          picked = tl_view_widget_pick_state (ladder, x, y);
    ck_assert (picked);
  }
  ck_assert_uint_gt (check_window (window, "causes"), 0);
  tl_test_app_shot (window, "names-causes.png");

  /* The expectations, and the sockets view's tooltip. */
  g_action_group_change_action_state (G_ACTION_GROUP (window), "show-lessons",
                                      g_variant_new_boolean (TRUE));
  ck_assert_ptr_nonnull (strstr (tl_expectations_row_text (window, 0), "…"));
  check_window (window, "expectations");
  g_action_group_change_action_state (G_ACTION_GROUP (window), "show-lessons",
                                      g_variant_new_boolean (FALSE));
  {
    g_autofree char *tip = tl_view_widget_get_tooltip_text (sockets);

    ck_assert_ptr_nonnull (tip);
    ck_assert_msg (strstr (tip, name_head) == NULL, "the tooltip holds the long name");
  }

  /* A what-if: the client's FIN lost on the wire; its departure line. */
  tl_session_set_time (session, 320000);
  ck_assert (tl_session_lose_on_wire (session, 0, TL_FLAG_FIN | TL_FLAG_ACK, NULL));
  ck_assert_ptr_nonnull (tl_whatif_get_line (window));
  ck_assert_msg (strstr (tl_whatif_get_line (window), name_head) == NULL,
                 "the departure line holds the long name");
  ck_assert_uint_gt (check_window (window, "what-if"), 0);
  tl_test_app_shot (window, "names-whatif.png");

  /* What-ifs that find no segment say so (a toast), the host cut. */
  {
    g_autofree char *cut = tl_render_cut_name (long_name);
    g_autoptr(GError) on_wire = NULL;
    g_autoptr(GError) next = NULL;

    ck_assert (!tl_session_lose_on_wire (session, 0, TL_FLAG_RST, &on_wire));
    ck_assert (!tl_session_drop_next (session, 1, TL_FLAG_SYN | TL_FLAG_FIN, &next));
    ck_assert_msg (strstr (on_wire->message, cut) != NULL, "%.200s", on_wire->message);
    ck_assert_msg (strstr (next->message, cut) != NULL, "%.200s", next->message);
  }

  /* Free play's Close for the client: its toast. */
  tl_test_app_activate (window, "free-play", g_variant_new ("(yu)", 0, 3));

  check_window (window, "free play toast");
  assert_toast (window, ": Close at ");

  /* Prediction: the client's next change asked. */
  tl_test_app_activate (window, "back-to-lesson", NULL);
  g_action_group_change_action_state (G_ACTION_GROUP (window), "predict",
                                      g_variant_new_boolean (TRUE));
  tl_session_set_time (session, 0);
  tl_session_set_time (session, 500000);
  ck_assert_uint_ne (tl_questions_get_pending (window), G_MAXUINT32);
  ck_assert_uint_gt (check_window (window, "prediction"), 0);
  tl_test_app_shot (window, "names-prediction.png");
}

START_TEST (test_window_clips_long_names)
{
  tl_test_app_run_empty (clips_long_names, TRUE);
}
END_TEST

Suite *
window_names_suite (void)
{
  Suite *s = suite_create ("window-names");
  TCase *tc = tcase_create ("ui");

  tcase_add_checked_fixture (tc, setup, teardown);
  tl_test_app_set_timeout (tc, 90);
  tcase_add_test (tc, test_window_clips_long_names);
  suite_add_tcase (s, tc);
  return s;
}
