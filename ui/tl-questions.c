/* tl-questions.c: questions for a class in the window (tl-questions.h).
 *
 * Beside the window, as tl-explain.c is: tl_questions_init() puts a box
 * under the question label and two buttons in the header bar; the state
 * lives on the window as object data.  Everything it shows is a function of
 * the session (scenario, trace, playhead) and of the answers given so far.
 */
#include "tl-config.h"

#include "tl-questions.h"

#include <glib/gi18n.h>

#include "tl-question.h"
#include "tl-states-explained.h"
#include "tl-window-private.h"
#include "tl-render.h"

#define QUESTIONS_KEY "tl-questions"
#define NO_RECORD G_MAXUINT32
/* A choice's button around its text: style.css's padding and border. */
#define CHOICE_PADDING_PX 26

typedef struct
{
  TlWindow       *window;       /* not owned */
  GtkWidget      *box;          /* under the question label */
  GtkWidget      *prompt;       /* a prediction's question */
  GtkWidget      *choices;      /* the buttons, in a grid */
  GtkWidget      *verdict;      /* right or wrong, and why */
  GtkWidget      *list;         /* the Questions menu's rows */
  GtkMenuButton  *list_button;

  /* As the window fitted the card (tl_questions_fit). */
  double          scale;
  int             width;
  guint           columns;      /* of the choices (fit_choices) */
  gboolean        show_end;     /* answered: the card scrolled to the verdict */

  GHashTable     *answers;      /* a question's pause (stmt index) -> choice + 1 */

  /* Prediction mode. */
  gboolean        predicting;
  guint32         pending;      /* the STATE record asked about, or NO_RECORD */
  TlState         candidates[TL_QUESTION_MAX_CHOICES];
  guint           n_candidates;
  gint64          asked_until;  /* changes at or before this time are not asked */
  gint64          last_time;
  gboolean        resume;       /* playback was running when it stopped to ask */
  gboolean        moving;       /* the playhead is being moved from here */
  char           *last_verdict;
  guint           n_right;
  guint           n_asked;
} Questions;

static Questions *
questions_of (TlWindow *window)
{
  return g_object_get_data (G_OBJECT (window), QUESTIONS_KEY);
}

static void
questions_free (Questions *q)
{
  g_hash_table_unref (q->answers);
  g_free (q->last_verdict);
  g_free (q);
}

static void
clear_choices (Questions *q)
{
  GtkWidget *c;

  while ((c = gtk_widget_get_first_child (q->choices)) != NULL)
    gtk_grid_remove (GTK_GRID (q->choices), c);
}

static void choice_clicked_cb (GtkButton *button, Questions *q);

/* The choices side by side, as many a row (up to MAX_COLUMNS) as take the
 * fewest rows with each one's text on one line in its share of the card;
 * else one a row, each as wide as the card (the text of a long choice
 * wraps on fewer lines).  Their text and the verdict's at the card's size,
 * the question's. */
#define MAX_COLUMNS 4
static void
fit_choices (Questions *q)
{
  int widest = 0, spacing = gtk_grid_get_column_spacing (GTK_GRID (q->choices));
  guint columns = 1, n = 0;
  g_autoptr(GPtrArray) buttons = g_ptr_array_new_with_free_func (g_object_unref);

  tl_window_scale_label (GTK_LABEL (q->prompt), q->scale);
  tl_window_scale_label (GTK_LABEL (q->verdict), q->scale);
  for (GtkWidget *c = gtk_widget_get_first_child (q->choices); c != NULL;
       c = gtk_widget_get_next_sibling (c), n++)
    {
      GtkWidget *label = gtk_button_get_child (GTK_BUTTON (c));
      PangoLayout *layout;
      int w;

      tl_window_scale_label (GTK_LABEL (label), q->scale);
      layout = gtk_widget_create_pango_layout (label, gtk_label_get_text (GTK_LABEL (label)));
      pango_layout_set_attributes (layout, gtk_label_get_attributes (GTK_LABEL (label)));
      pango_layout_get_pixel_size (layout, &w, NULL);
      g_object_unref (layout);
      widest = MAX (widest, w + CHOICE_PADDING_PX);
    }
  /* the fewest rows, and of those the fewest columns (4 choices: 2 x 2
   * rather than 3 + 1) */
  for (guint c = MIN (n, MAX_COLUMNS); c > 1 && q->width > 0; c--)
    if (widest * (int) c + spacing * (int) (c - 1) <= q->width &&
        (columns == 1 || (n + c - 1) / c == (n + columns - 1) / columns))
      columns = c;
  if (columns == q->columns)
    return;
  q->columns = columns;
  /* in their order, row by row */
  for (GtkWidget *c = gtk_widget_get_first_child (q->choices); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    g_ptr_array_add (buttons, g_object_ref (c));
  for (guint i = 0; i < buttons->len; i++)
    {
      GtkWidget *button = buttons->pdata[i];

      gtk_grid_remove (GTK_GRID (q->choices), button);
      gtk_grid_attach (GTK_GRID (q->choices), button, i % columns, i / columns, 1, 1);
    }
}

/* "1  SYN,ACK"; marked right or wrong once the question is answered. */
static void
add_choice (Questions  *q,
            guint       index,
            const char *text,
            gboolean    answered,
            gboolean    chosen,
            gboolean    right)
{
  g_autofree char *shown = tl_render_breakable (text);
  g_autofree char *label = g_strdup_printf ("%u  %s", index + 1, shown);
  GtkWidget *button = gtk_button_new_with_label (label);
  guint before = 0;

  gtk_widget_add_css_class (button, "choice");
  if (answered && right)
    gtk_widget_add_css_class (button, "choice-right");
  else if (answered && chosen)
    gtk_widget_add_css_class (button, "choice-wrong");
  gtk_widget_set_focus_on_click (button, FALSE);
  /* word-char: a lesson's word may be 3000 letters long, and must not widen the window */
  gtk_label_set_wrap (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button))), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button))),
                           PANGO_WRAP_WORD_CHAR);
  /* never cut: the card scrolls what its room does not hold */
  gtk_label_set_xalign (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button))), 0.0);
  g_object_set_data (G_OBJECT (button), "choice", GUINT_TO_POINTER (index));
  g_signal_connect (button, "clicked", G_CALLBACK (choice_clicked_cb), q);
  gtk_widget_set_hexpand (button, TRUE);
  for (GtkWidget *c = gtk_widget_get_first_child (q->choices); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    before++;
  gtk_grid_attach (GTK_GRID (q->choices), button, before % q->columns, before / q->columns, 1, 1);
}

static char *
score_text (Questions *q)
{
  /* TRANSLATORS: the predictions and answers right so far, of those given */
  return g_strdup_printf (_("Score: %u of %u"), q->n_right, q->n_asked);
}

/* What the box shows: a pending prediction, else the lesson's question at
 * the playhead if it has choices, else (in prediction mode) the last
 * verdict and the score. */
static void
refresh (Questions *q)
{
  TlSession *session = q->window->session;
  const TlScenario *scenario = tl_session_get_scenario (session);
  TlQuestion question;
  gboolean shown = FALSE;

  clear_choices (q);
  gtk_widget_set_visible (q->prompt, FALSE);
  gtk_widget_set_visible (q->verdict, FALSE);

  if (q->pending != NO_RECORD)
    {
      const TlTrace *trace = tl_session_get_trace (session);
      const TlRecord *rec = tl_trace_record (trace, q->pending);
      g_autofree char *host = tl_render_host_name (trace, rec->host);
      g_autofree char *prompt = NULL;

      /* TRANSLATORS: prediction mode: host name and its state now */
      prompt = g_strdup_printf (_("Predict: %s is in %s. Where does it go next? "
                                  "Click a state or press its number."), host,
                                tl_state_name (rec->u.state.from));
      gtk_label_set_text (GTK_LABEL (q->prompt), prompt);
      gtk_widget_set_visible (q->prompt, TRUE);
      for (guint i = 0; i < q->n_candidates; i++)
        add_choice (q, i, tl_state_name (q->candidates[i]), FALSE, FALSE, FALSE);
      shown = TRUE;
    }
  else if (tl_scenario_question_at (scenario, tl_session_get_time (session),
                                    tl_session_get_locale (session), &question)
           && question.n_choices > 0)
    {
      guint answer = GPOINTER_TO_UINT (g_hash_table_lookup (q->answers,
                                                            GUINT_TO_POINTER (question.stmt)));

      /* Answered: the right choice and the one chosen, the others gone
       * (the card then has room for why) */
      for (guint i = 0; i < question.n_choices; i++)
        if (answer == 0 || answer == i + 1 || i == question.right)
          add_choice (q, i, question.choices[i], answer != 0, answer == i + 1,
                      i == question.right);
      if (answer != 0)
        {
          g_autofree char *explanation =
            tl_render_breakable (question.explanation != NULL ? question.explanation : "");
          g_autofree char *text =
            g_strdup_printf ("%s %s", answer == question.right + 1 ? _("Right.") : _("Not quite."),
                             explanation);

          gtk_label_set_text (GTK_LABEL (q->verdict), text);
          gtk_widget_set_visible (q->verdict, TRUE);
        }
      q->show_end = answer != 0;
      shown = TRUE;
    }
  if (!shown && q->predicting && q->last_verdict != NULL)
    {
      gtk_label_set_text (GTK_LABEL (q->verdict), q->last_verdict);
      gtk_widget_set_visible (q->verdict, TRUE);
      shown = TRUE;
    }
  if (!shown || q->pending != NO_RECORD)
    q->show_end = FALSE;
  fit_choices (q);
  gtk_widget_set_visible (q->choices, gtk_widget_get_first_child (q->choices) != NULL);
  gtk_widget_set_visible (q->box, shown);
}

/* Answered, the card shows its end, the verdict and the explanation, as
 * it is laid out again (a new size, a new text size): a class reads why
 * without scrolling.  Before, it shows its start. */
static void
card_scroll_changed_cb (GtkAdjustment *adjustment,
                        Questions     *q)
{
  gtk_adjustment_set_value (adjustment, q->show_end ? gtk_adjustment_get_upper (adjustment)
                                                      - gtk_adjustment_get_page_size (adjustment)
                                                    : gtk_adjustment_get_lower (adjustment));
}

/* Prediction mode */

/* A change of one of the two hosts' connections with each other (not a
 * listener opening, not a flood's made-up peer). */
static gboolean
worth_asking (const TlTrace  *trace,
              const TlRecord *rec)
{
  const TlTraceConn *conn;

  if (rec->kind != TL_REC_STATE || rec->host > 1 || rec->conn == TL_NO_CONN)
    return FALSE;
  conn = tl_trace_conn (trace, rec->conn);
  return !conn->listener && conn->remote_addr == tl_trace_host_addr (trace, 1 - rec->host);
}

/* The states a connection in `from` can go to (the transitions out of it),
 * with the one it does go to among them. */
static void
find_candidates (Questions *q,
                 TlState    from,
                 TlState    to)
{
  guint n;
  const TlStateEdge *edges = tl_state_edges (&n);
  gboolean has_to = FALSE;

  q->n_candidates = 0;
  for (guint i = 0; i < n && q->n_candidates < TL_QUESTION_MAX_CHOICES - 1; i++)
    {
      gboolean seen = FALSE;

      if (edges[i].from != from)
        continue;
      for (guint c = 0; c < q->n_candidates; c++)
        seen |= q->candidates[c] == edges[i].to;
      if (seen)
        continue;
      q->candidates[q->n_candidates++] = edges[i].to;
      has_to |= edges[i].to == to;
    }
  /* An abort, a reset or a timeout takes a connection to CLOSED from
   * anywhere; CLOSED is then offered too. */
  if (!has_to)
    q->candidates[q->n_candidates++] = to;
}

static void
move_playhead (Questions *q,
               gint64     time_us)
{
  q->moving = TRUE;
  tl_session_set_time (q->window->session, time_us);
  q->last_time = tl_session_get_time (q->window->session);
  q->moving = FALSE;
}

/* The playhead moved: in prediction mode, the first change worth asking
 * about that it passed stops it just before that change. */
static void
time_changed (Questions *q)
{
  TlSession *session = q->window->session;
  const TlTrace *trace = tl_session_get_trace (session);
  gint64 now = tl_session_get_time (session);
  gint64 from = MAX (q->last_time, q->asked_until);

  if (q->moving)
    return;
  if (now < q->last_time)
    q->asked_until = now;
  if (q->pending != NO_RECORD && now >= tl_trace_record (trace, q->pending)->time_us)
    {
      /* Stepped or played past it without an answer: it is skipped. */
      q->asked_until = tl_trace_record (trace, q->pending)->time_us;
      q->pending = NO_RECORD;
    }
  q->last_time = now;
  if (q->predicting && q->pending == NO_RECORD && now > from)
    {
      guint last = tl_trace_records_until (trace, now);

      for (guint i = tl_trace_records_until (trace, from); i < last; i++)
        {
          const TlRecord *rec = tl_trace_record (trace, i);

          /* A change at 0 has no "just before" to stop at. */
          if (!worth_asking (trace, rec) || rec->time_us == 0)
            continue;
          q->pending = i;
          q->resume = tl_session_get_playing (session);
          find_candidates (q, rec->u.state.from, rec->u.state.to);
          tl_session_set_playing (session, FALSE);
          move_playhead (q, rec->time_us - 1);
          break;
        }
    }
  refresh (q);
}

static void
answer_prediction (Questions *q,
                   TlState    state)
{
  TlSession *session = q->window->session;
  const TlTrace *trace = tl_session_get_trace (session);
  const TlRecord *rec = tl_trace_record (trace, q->pending);
  gboolean right = state == rec->u.state.to;
  g_autofree char *score = NULL;
  g_autofree char *what = NULL;
  g_autofree char *host = tl_render_host_name (trace, rec->host);

  q->n_asked++;
  q->n_right += right;
  score = score_text (q);
  if (right)
    /* TRANSLATORS: a prediction was right: "client: FIN_WAIT_1 → FIN_WAIT_2" */
    what = g_strdup_printf (_("Right: %s went %s → %s."), host,
                            tl_state_name (rec->u.state.from), tl_state_name (rec->u.state.to));
  else
    what = g_strdup_printf (_("Not %s: %s went %s → %s."), tl_state_name (state), host,
                            tl_state_name (rec->u.state.from), tl_state_name (rec->u.state.to));
  g_free (q->last_verdict);
  q->last_verdict = g_strdup_printf ("%s %s", what, score);

  /* Play the change: every change at that moment is shown, none asked again. */
  q->asked_until = rec->time_us;
  q->pending = NO_RECORD;
  move_playhead (q, rec->time_us);
  refresh (q);
  if (q->resume)
    tl_session_set_playing (session, TRUE);
}

/* Multiple choice */

static gboolean
answer (Questions *q,
        guint      choice)
{
  TlSession *session = q->window->session;
  TlQuestion question;

  if (q->pending != NO_RECORD)
    {
      if (choice >= q->n_candidates)
        return FALSE;
      answer_prediction (q, q->candidates[choice]);
      return TRUE;
    }
  if (!tl_scenario_question_at (tl_session_get_scenario (session), tl_session_get_time (session),
                                tl_session_get_locale (session), &question)
      || choice >= question.n_choices
      || g_hash_table_contains (q->answers, GUINT_TO_POINTER (question.stmt)))
    return FALSE;
  g_hash_table_insert (q->answers, GUINT_TO_POINTER (question.stmt), GUINT_TO_POINTER (choice + 1));
  q->n_asked++;
  q->n_right += choice == question.right;
  refresh (q);
  return TRUE;
}

static void
choice_clicked_cb (GtkButton *button,
                   Questions *q)
{
  answer (q, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "choice")));
}

static gboolean
number_key_cb (GtkWidget *widget,
               GVariant  *args,
               gpointer   user_data)
{
  Questions *q = user_data;

  if (tl_window_focus_is_editable (q->window))
    return FALSE;
  return answer (q, g_variant_get_uint32 (args));
}

static void
answer_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  answer (user_data, g_variant_get_uint32 (parameter));
}

/* Navigation */

static void
jump_to (Questions *q,
         gint64     time_us)
{
  tl_session_set_playing (q->window->session, FALSE);
  tl_session_set_time (q->window->session, time_us);
}

static void
step_question (Questions *q,
               gboolean   forward)
{
  TlSession *session = q->window->session;
  g_autoptr(GArray) all = tl_scenario_questions (tl_session_get_scenario (session), NULL);
  gint64 now = tl_session_get_time (session);

  if (forward)
    {
      for (guint i = 0; i < all->len; i++)
        if (g_array_index (all, TlQuestion, i).time_us > now)
          {
            jump_to (q, g_array_index (all, TlQuestion, i).time_us);
            return;
          }
    }
  else
    for (guint i = all->len; i > 0; i--)
      if (g_array_index (all, TlQuestion, i - 1).time_us < now)
        {
          jump_to (q, g_array_index (all, TlQuestion, i - 1).time_us);
          return;
        }
  gtk_widget_error_bell (GTK_WIDGET (q->window));
}

static void
next_question_activated (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  step_question (user_data, TRUE);
}

static void
previous_question_activated (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  step_question (user_data, FALSE);
}

static void
jump_question_activated (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  Questions *q = user_data;
  g_autoptr(GArray) all = tl_scenario_questions (tl_session_get_scenario (q->window->session), NULL);
  guint index = g_variant_get_uint32 (parameter);

  if (index < all->len)
    jump_to (q, g_array_index (all, TlQuestion, index).time_us);
  gtk_menu_button_popdown (q->list_button);
}

static void
list_row_activated_cb (GtkListBox    *box,
                       GtkListBoxRow *row,
                       Questions     *q)
{
  gtk_widget_activate_action (GTK_WIDGET (q->window), "win.jump-question", "u",
                              (guint32) gtk_list_box_row_get_index (row));
}

/* The Questions menu: one row per question, "0.060 s  What does ...". */
static void
rebuild_list (Questions *q)
{
  TlSession *session = q->window->session;
  g_autoptr(GArray) all = tl_scenario_questions (tl_session_get_scenario (session),
                                                 tl_session_get_locale (session));
  GtkWidget *row;

  while ((row = gtk_widget_get_first_child (q->list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (q->list), row);
  for (guint i = 0; i < all->len; i++)
    {
      const TlQuestion *question = &g_array_index (all, TlQuestion, i);
      g_autofree char *time = tl_window_format_time (question->time_us);
      g_autofree char *text = g_strdup_printf ("%s  %s%s", time, question->question,
                                               question->n_choices > 0 ? " ☐" : "");
      GtkWidget *label = gtk_label_new (text);

      gtk_label_set_xalign (GTK_LABEL (label), 0.0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_lines (GTK_LABEL (label), 3);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 50);
      gtk_widget_set_margin_top (label, 6);
      gtk_widget_set_margin_bottom (label, 6);
      gtk_list_box_append (GTK_LIST_BOX (q->list), label);
    }
  gtk_widget_set_sensitive (GTK_WIDGET (q->list_button), all->len > 0);
}

static void
scenario_changed (Questions *q)
{
  /* A new run: its answers and predictions start afresh. */
  g_hash_table_remove_all (q->answers);
  q->pending = NO_RECORD;
  q->asked_until = q->last_time = tl_session_get_time (q->window->session);
  rebuild_list (q);
  refresh (q);
}

static void
predict_changed (GSimpleAction *action,
                 GVariant      *value,
                 gpointer       user_data)
{
  Questions *q = user_data;

  g_simple_action_set_state (action, value);
  q->predicting = g_variant_get_boolean (value);
  q->pending = NO_RECORD;
  q->asked_until = q->last_time = tl_session_get_time (q->window->session);
  g_clear_pointer (&q->last_verdict, g_free);
  if (q->predicting)
    {
      q->n_right = q->n_asked = 0;
      q->last_verdict = g_strdup (_("Prediction mode: playback stops before each state change."));
    }
  refresh (q);
}

static void
session_time_cb (TlWindow *window)
{
  Questions *q = questions_of (window);

  if (q != NULL)
    time_changed (q);
}

static void
session_scenario_cb (TlWindow *window)
{
  Questions *q = questions_of (window);

  if (q != NULL)
    scenario_changed (q);
}

static const GActionEntry question_actions[] = {
  { .name = "answer", .activate = answer_activated, .parameter_type = "u" },
  { .name = "next-question", .activate = next_question_activated },
  { .name = "previous-question", .activate = previous_question_activated },
  { .name = "jump-question", .activate = jump_question_activated, .parameter_type = "u" },
  { .name = "predict", .state = "false", .change_state = predict_changed },
};

void
tl_questions_init (TlWindow *window)
{
  Questions *q = g_new0 (Questions, 1);
  GtkWidget *question_parent = gtk_widget_get_parent (GTK_WIDGET (window->question_label));
  GtkEventController *keys = gtk_shortcut_controller_new ();
  GtkWidget *predict = gtk_toggle_button_new_with_label (_("Predict"));
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();

  g_return_if_fail (TL_IS_WINDOW (window));

  q->window = window;
  q->pending = NO_RECORD;
  q->scale = 1.0;
  q->columns = 1;
  q->answers = g_hash_table_new (NULL, NULL);
  g_object_set_data_full (G_OBJECT (window), QUESTIONS_KEY, q, (GDestroyNotify) questions_free);
  g_action_map_add_action_entries (G_ACTION_MAP (window), question_actions,
                                   G_N_ELEMENTS (question_actions), q);

  q->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  q->prompt = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (q->prompt), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (q->prompt), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (q->prompt), 0.0);
  gtk_widget_add_css_class (q->prompt, "question");
  /* in rows as wide as the question's card, up to four a row (fit_choices) */
  q->choices = gtk_grid_new ();
  gtk_grid_set_column_homogeneous (GTK_GRID (q->choices), TRUE);
  gtk_grid_set_column_spacing (GTK_GRID (q->choices), 8);
  gtk_grid_set_row_spacing (GTK_GRID (q->choices), 6);
  gtk_widget_add_css_class (q->choices, "choices");
  q->verdict = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (q->verdict), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (q->verdict), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (q->verdict), 0.0);
  gtk_widget_add_css_class (q->verdict, "verdict");
  gtk_box_append (GTK_BOX (q->box), q->prompt);
  gtk_box_append (GTK_BOX (q->box), q->choices);
  gtk_box_append (GTK_BOX (q->box), q->verdict);
  gtk_widget_set_visible (q->box, FALSE);
  gtk_box_insert_child_after (GTK_BOX (question_parent), q->box,
                              GTK_WIDGET (window->question_label));
  g_signal_connect (gtk_scrolled_window_get_vadjustment (window->question_scroll), "changed",
                    G_CALLBACK (card_scroll_changed_cb), q);

  /* 1 to 9 answer, unless a text field has the keyboard. */
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < TL_QUESTION_MAX_CHOICES; i++)
    {
      g_autofree char *trigger = g_strdup_printf ("%u|KP_%u", i + 1, i + 1);
      GtkShortcut *shortcut = gtk_shortcut_new (gtk_shortcut_trigger_parse_string (trigger),
                                                gtk_callback_action_new (number_key_cb, q, NULL));

      gtk_shortcut_set_arguments (shortcut, g_variant_new_uint32 (i));
      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys), shortcut);
    }
  gtk_widget_add_controller (GTK_WIDGET (window), keys);

  q->list = gtk_list_box_new ();
  gtk_list_box_set_activate_on_single_click (GTK_LIST_BOX (q->list), TRUE);
  g_signal_connect (q->list, "row-activated", G_CALLBACK (list_row_activated_cb), q);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), q->list);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 480);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_popover_set_child (GTK_POPOVER (popover), scroller);
  q->list_button = GTK_MENU_BUTTON (gtk_menu_button_new ());
  gtk_menu_button_set_label (q->list_button, _("Questions"));
  gtk_menu_button_set_popover (q->list_button, popover);
  gtk_widget_set_tooltip_text (GTK_WIDGET (q->list_button),
                               _("The lesson's questions; Page Down and Page Up (or ] and [) go to the next and previous"));
  gtk_header_bar_pack_end (window->header_bar, GTK_WIDGET (q->list_button));

  gtk_actionable_set_action_name (GTK_ACTIONABLE (predict), "win.predict");
  gtk_widget_set_tooltip_text (predict, _("Prediction mode: stop before each state change and ask "
                                          "where the connection goes next (P)"));
  gtk_widget_set_focus_on_click (predict, FALSE);
  gtk_header_bar_pack_end (window->header_bar, predict);

  /* Through the window, so that they end with it. */
  g_signal_connect_object (window->session, "notify::time", G_CALLBACK (session_time_cb), window,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (window->session, "notify::scenario", G_CALLBACK (session_scenario_cb),
                           window, G_CONNECT_SWAPPED);
  rebuild_list (q);
}

gboolean
tl_questions_take_state (TlWindow *window,
                         TlState   state)
{
  Questions *q = questions_of (window);

  if (q == NULL || q->pending == NO_RECORD)
    return FALSE;
  answer_prediction (q, state);
  return TRUE;
}

guint32
tl_questions_get_pending (TlWindow *window)
{
  Questions *q = questions_of (window);

  return q != NULL ? q->pending : NO_RECORD;
}

void
tl_questions_get_score (TlWindow *window,
                        guint    *right,
                        guint    *asked)
{
  Questions *q = questions_of (window);

  *right = q != NULL ? q->n_right : 0;
  *asked = q != NULL ? q->n_asked : 0;
}

GtkWidget *
tl_questions_get_box (TlWindow *window)
{
  Questions *q = questions_of (window);

  return q != NULL ? q->box : NULL;
}

void
tl_questions_fit (TlWindow *window,
                  double    scale,
                  int       width)
{
  Questions *q = questions_of (window);

  g_return_if_fail (TL_IS_WINDOW (window));

  if (q == NULL || (q->scale == scale && q->width == width))
    return;
  q->scale = scale;
  q->width = width;
  fit_choices (q);
}
