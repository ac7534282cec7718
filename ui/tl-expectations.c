/* tl-expectations.c: the lesson's expect lines in the window
 * (tl-expectations.h).
 *
 * Beside the window, as tl-questions.c is.  The results are computed once
 * per trace (tl_check_expectations walks the trace once per line); the
 * playhead only decides which of them are shown as settled.
 */
#include "tl-config.h"

#include "tl-expectations.h"

#include <glib/gi18n.h>

#include "tl-check.h"
#include "tl-render.h"
#include "tl-window-private.h"

#define EXPECTATIONS_KEY "tl-expectations"

typedef struct
{
  TlWindow  *window;    /* not owned */
  GtkWidget *panel;
  GtkWidget *summary;
  GtkWidget *list;
  GArray    *results;   /* of TlExpectResult, for the trace playing */
  GPtrArray *rows;      /* of GtkLabel, one per result */
  GPtrArray *marks;     /* of GtkLabel: the tick, cross or dot */
  guint      n_passed, n_failed, n_pending;
} Expectations;

static Expectations *
expectations_of (TlWindow *window)
{
  return g_object_get_data (G_OBJECT (window), EXPECTATIONS_KEY);
}

static void
expectations_free (Expectations *e)
{
  g_clear_pointer (&e->results, g_array_unref);
  g_ptr_array_unref (e->rows);
  g_ptr_array_unref (e->marks);
  g_free (e);
}

static const TlStmt *
stmt_of (const TlScenario     *scenario,
         const TlExpectResult *result)
{
  return &g_array_index (scenario->stmts, TlStmt, result->stmt);
}

/* Ticks and crosses for the playhead: a line is settled once the playhead
 * is at its time. */
static void
update_marks (Expectations *e)
{
  TlSession *session = e->window->session;
  const TlScenario *scenario = tl_session_get_scenario (session);
  const TlTrace *trace = tl_session_get_trace (session);
  gint64 now = tl_session_get_time (session);
  g_autofree char *summary = NULL;

  e->n_passed = e->n_failed = e->n_pending = 0;
  for (guint i = 0; i < e->results->len; i++)
    {
      const TlExpectResult *r = &g_array_index (e->results, TlExpectResult, i);
      const TlStmt *stmt = stmt_of (scenario, r);
      GtkWidget *mark = g_ptr_array_index (e->marks, i);
      const char *css;

      if (stmt->time_us > now)
        {
          e->n_pending++;
          gtk_label_set_text (GTK_LABEL (mark), "•");
          css = "pending";
        }
      else if (!tl_check_is_checkable (scenario, trace, r->stmt))
        {
          /* after the point a limit stopped the run: nobody knows */
          e->n_pending++;
          gtk_label_set_text (GTK_LABEL (mark), "?");
          css = "pending";
        }
      else if (r->ok)
        {
          e->n_passed++;
          gtk_label_set_text (GTK_LABEL (mark), "✓");
          css = "passed";
        }
      else
        {
          e->n_failed++;
          gtk_label_set_text (GTK_LABEL (mark), "✗");
          css = "failed";
        }
      gtk_widget_remove_css_class (mark, "pending");
      gtk_widget_remove_css_class (mark, "passed");
      gtk_widget_remove_css_class (mark, "failed");
      gtk_widget_add_css_class (mark, css);
    }
  if (e->results->len == 0)
    summary = g_strdup (_("This lesson has no expect lines."));
  else
    /* TRANSLATORS: the counts of the lesson's expect lines that held,
     * failed and are still to come at the playhead */
    summary = g_strdup_printf (_("Expectations: %u ✓  %u ✗  %u to come"),
                               e->n_passed, e->n_failed, e->n_pending);
  gtk_label_set_text (GTK_LABEL (e->summary), summary);
}

/* "normal-close.lesson:31: client TIME_WAIT at 548 ms", and for one that
 * fails, what the run showed. */
/* The row of r, its long host names cut as the views cut them. */
static char *
row_text (const TlScenario     *scenario,
          const TlTrace        *trace,
          const TlExpectResult *r)
{
  const TlStmt *stmt = stmt_of (scenario, r);
  g_autofree char *base = scenario->filename != NULL ? g_path_get_basename (scenario->filename)
                                                     : g_strdup (_("lesson"));
  g_autofree char *when = g_strdup_printf (_("%.0f ms"), (double) stmt->time_us / TL_USEC_PER_MSEC);
  g_autofree char *text = NULL;

  if (r->ok)
    /* TRANSLATORS: FILE:LINE: what is expected at when */
    text = g_strdup_printf (_("%s:%u: %s at %s"), base, stmt->line, r->expected, when);
  else
    /* TRANSLATORS: FILE:LINE: what is expected at when, and what the run showed */
    text = g_strdup_printf (_("%s:%u: %s at %s; found %s"), base, stmt->line, r->expected, when,
                            r->actual);
  return tl_render_cut_host_names (trace, text);
}

static void
rebuild (Expectations *e)
{
  TlSession *session = e->window->session;
  const TlScenario *scenario = tl_session_get_scenario (session);
  GtkWidget *child;

  g_clear_pointer (&e->results, g_array_unref);
  e->results = tl_check_expectations (scenario, tl_session_get_trace (session));
  g_ptr_array_set_size (e->rows, 0);
  g_ptr_array_set_size (e->marks, 0);
  while ((child = gtk_widget_get_first_child (e->list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (e->list), child);

  for (guint i = 0; i < e->results->len; i++)
    {
      const TlExpectResult *r = &g_array_index (e->results, TlExpectResult, i);
      g_autofree char *text = row_text (scenario, tl_session_get_trace (session), r);
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      GtkWidget *mark = gtk_label_new (NULL);
      GtkWidget *label = gtk_label_new (text);

      gtk_widget_add_css_class (mark, "expect-mark");
      gtk_label_set_width_chars (GTK_LABEL (mark), 2);
      gtk_widget_set_valign (mark, GTK_ALIGN_START);
      gtk_label_set_xalign (GTK_LABEL (label), 0.0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_box_append (GTK_BOX (box), mark);
      gtk_box_append (GTK_BOX (box), label);
      gtk_list_box_append (GTK_LIST_BOX (e->list), box);
      g_ptr_array_add (e->rows, label);
      g_ptr_array_add (e->marks, mark);
    }
  gtk_widget_set_visible (e->list, e->results->len > 0);
  update_marks (e);
}

static void
trace_changed_cb (TlWindow *window)
{
  rebuild (expectations_of (window));
}

static void
time_changed_cb (TlWindow *window)
{
  update_marks (expectations_of (window));
}

/* A click on a line moves the playhead to its time. */
static void
row_activated_cb (GtkListBox    *list,
                  GtkListBoxRow *row,
                  Expectations  *e)
{
  const TlScenario *scenario = tl_session_get_scenario (e->window->session);
  int i = gtk_list_box_row_get_index (row);

  if (i < 0 || (guint) i >= e->results->len)
    return;
  tl_session_set_playing (e->window->session, FALSE);
  tl_session_set_time (e->window->session,
                       stmt_of (scenario, &g_array_index (e->results, TlExpectResult, i))->time_us);
}

void
tl_expectations_init (TlWindow *window)
{
  Expectations *e = g_new0 (Expectations, 1);
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *paned = gtk_paned_new (GTK_ORIENTATION_VERTICAL);
  GtkWidget *lessons = GTK_WIDGET (window->lesson_scroller);

  g_return_if_fail (TL_IS_WINDOW (window));

  e->window = window;
  e->rows = g_ptr_array_new ();
  e->marks = g_ptr_array_new ();
  g_object_set_data_full (G_OBJECT (window), EXPECTATIONS_KEY, e,
                          (GDestroyNotify) expectations_free);

  e->panel = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_add_css_class (e->panel, "expectations");
  gtk_widget_add_css_class (e->panel, "background");
  e->summary = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (e->summary), 0.0);
  gtk_label_set_wrap (GTK_LABEL (e->summary), TRUE);
  gtk_widget_add_css_class (e->summary, "heading");
  e->list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (e->list), GTK_SELECTION_NONE);
  gtk_list_box_set_activate_on_single_click (GTK_LIST_BOX (e->list), TRUE);
  g_signal_connect (e->list, "row-activated", G_CALLBACK (row_activated_cb), e);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), e->list);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_box_append (GTK_BOX (e->panel), e->summary);
  gtk_box_append (GTK_BOX (e->panel), scroller);

  /* The lesson list above, the expectations below, in the side panel. */
  g_object_ref (lessons);
  adw_flap_set_flap (window->flap, NULL);
  gtk_paned_set_start_child (GTK_PANED (paned), lessons);
  gtk_paned_set_end_child (GTK_PANED (paned), e->panel);
  gtk_paned_set_shrink_start_child (GTK_PANED (paned), FALSE);
  gtk_paned_set_shrink_end_child (GTK_PANED (paned), FALSE);
  gtk_paned_set_position (GTK_PANED (paned), 380);
  adw_flap_set_flap (window->flap, paned);
  g_object_unref (lessons);

  g_signal_connect_object (window->session, "notify::trace", G_CALLBACK (trace_changed_cb),
                           window, G_CONNECT_SWAPPED);
  g_signal_connect_object (window->session, "notify::time", G_CALLBACK (time_changed_cb),
                           window, G_CONNECT_SWAPPED);
  rebuild (e);
}

void
tl_expectations_count (TlWindow *window,
                       guint    *passed,
                       guint    *failed,
                       guint    *pending)
{
  Expectations *e = expectations_of (window);

  *passed = e != NULL ? e->n_passed : 0;
  *failed = e != NULL ? e->n_failed : 0;
  *pending = e != NULL ? e->n_pending : 0;
}

const char *
tl_expectations_row_text (TlWindow *window,
                          guint     i)
{
  Expectations *e = expectations_of (window);

  if (e == NULL || i >= e->rows->len)
    return NULL;
  return gtk_label_get_text (GTK_LABEL (g_ptr_array_index (e->rows, i)));
}
