/* tl-narration.c: the words above the views keep one height for a lesson.
 *
 * The narration changes with the playhead and a pause's question appears
 * and goes; if the box that holds them took only what the moment needs,
 * the diagram and the ladder below would jump up and down in front of the
 * class.  So the box asks for the height of the longest narration plus the
 * longest question of the lesson (measured with the labels themselves, at
 * the box's width and the text size), and never less than the most it has
 * needed since the lesson was opened (a question's choice buttons).
 */
#include "tl-config.h"

#include "tl-narration.h"
#include "tl-question.h"
#include "tl-window-private.h"

#define RESERVED_KEY "tl-narration-reserved"

static GtkWidget *
words_box (TlWindow *self)
{
  return gtk_widget_get_parent (GTK_WIDGET (self->narration_label));
}

static int
natural_height (GtkWidget *box,
                int        width)
{
  int natural = 0;

  gtk_widget_measure (box, GTK_ORIENTATION_VERTICAL, width, NULL, &natural, NULL, NULL);
  return natural;
}

static void
reserve (TlWindow *self,
         int       height)
{
  GtkWidget *box = words_box (self);

  g_object_set_data (G_OBJECT (box), RESERVED_KEY, GINT_TO_POINTER (height));
  gtk_widget_set_size_request (box, -1, height);
}

/* A row of buttons as tl-questions.c shows a question's choices (the same
 * style classes, so the same sizes), to measure; NULL for an open question. */
static GtkWidget *
choices_like (const TlQuestion *q)
{
  GtkWidget *row;

  if (q->n_choices == 0)
    return NULL;
  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  gtk_widget_add_css_class (row, "choices");
  for (guint c = 0; c < q->n_choices; c++)
    {
      g_autofree char *label = g_strdup_printf ("%u  %s", c + 1, q->choices[c]);
      GtkWidget *button = gtk_button_new_with_label (label);

      gtk_widget_add_css_class (button, "choice");
      gtk_label_set_wrap (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button))), TRUE);
      gtk_box_append (GTK_BOX (row), button);
    }
  return row;
}

/* The longest narration and the longest question, each measured in its label. */
static void
measure_lesson (TlWindow *self)
{
  GtkWidget *box = words_box (self);
  int width = gtk_widget_get_width (box);
  const TlTrace *trace = tl_session_get_trace (self->session);
  const char *locale = tl_session_get_locale (self->session);
  g_autoptr(GArray) questions = NULL;
  g_autofree char *narration = NULL;
  g_autofree char *question = NULL;
  gboolean question_shown;
  int base, longest_say = 0, longest_question = 0;

  if (width <= 1)
    return;
  narration = g_strdup (gtk_label_get_text (self->narration_label));
  question = g_strdup (gtk_label_get_text (self->question_label));
  question_shown = gtk_widget_get_visible (GTK_WIDGET (self->question_label));

  gtk_widget_set_size_request (box, -1, -1);
  gtk_widget_set_visible (GTK_WIDGET (self->question_label), FALSE);
  gtk_label_set_text (self->narration_label, "");
  base = natural_height (box, width);
  for (guint i = 0; i < tl_trace_n_records (trace); i++)
    {
      const TlRecord *rec = tl_trace_record (trace, i);
      const char *text;

      if (rec->kind != TL_REC_SAY)
        continue;
      text = tl_trace_narration_at (trace, rec->time_us, locale);
      if (text == NULL)
        continue;
      gtk_label_set_text (self->narration_label, text);
      longest_say = MAX (longest_say, natural_height (box, width) - base);
    }
  gtk_label_set_text (self->narration_label, narration);
  longest_say = MAX (longest_say, natural_height (box, width) - base);

  questions = tl_scenario_questions (tl_session_get_scenario (self->session), locale);
  gtk_label_set_text (self->narration_label, "");
  gtk_widget_set_visible (GTK_WIDGET (self->question_label), TRUE);
  for (guint i = 0; i < questions->len; i++)
    {
      const TlQuestion *q = &g_array_index (questions, TlQuestion, i);
      GtkWidget *choices = choices_like (q);

      gtk_label_set_text (self->question_label, q->question);
      if (choices != NULL)
        gtk_box_append (GTK_BOX (box), choices);
      longest_question = MAX (longest_question, natural_height (box, width) - base);
      if (choices != NULL)
        gtk_box_remove (GTK_BOX (box), choices);
    }
  gtk_label_set_text (self->narration_label, narration);
  gtk_label_set_text (self->question_label, question);
  gtk_widget_set_visible (GTK_WIDGET (self->question_label), question_shown);

  reserve (self, base + longest_say + longest_question);
}

/* What the moment needs beyond that (a question's choices) is kept too. */
static void
keep_the_most (TlWindow *self)
{
  GtkWidget *box = words_box (self);
  int width = gtk_widget_get_width (box);
  int reserved = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (box), RESERVED_KEY));
  int needed;

  if (width <= 1)
    return;
  gtk_widget_set_size_request (box, -1, -1);
  needed = natural_height (box, width);
  reserve (self, MAX (needed, reserved));
}

static gboolean
measure_idle (gpointer user_data)
{
  TlWindow *self = user_data;

  g_object_steal_data (G_OBJECT (self), "tl-narration-idle");
  /* A window closed in the meantime has let its session go. */
  if (self->session != NULL)
    measure_lesson (self);
  return G_SOURCE_REMOVE;
}

/* After the change has been laid out, at the box's new width. */
static void
measure_later (TlWindow *self)
{
  guint id;

  if (g_object_get_data (G_OBJECT (self), "tl-narration-idle") != NULL)
    return;
  id = g_idle_add_full (G_PRIORITY_LOW, measure_idle, g_object_ref (self), g_object_unref);
  g_object_set_data (G_OBJECT (self), "tl-narration-idle", GUINT_TO_POINTER (id));
}

static gboolean
keep_idle (gpointer user_data)
{
  TlWindow *self = user_data;

  if (self->session != NULL)
    keep_the_most (self);
  return G_SOURCE_REMOVE;
}

/* Once the question's own widgets (its choices) have followed it. */
static void
keep_later (TlWindow *self)
{
  g_idle_add_full (G_PRIORITY_LOW, keep_idle, g_object_ref (self), g_object_unref);
}

void
tl_narration_init (TlWindow *self)
{
  g_return_if_fail (TL_IS_WINDOW (self));

  /* A lesson opened, the text size, the window's size or mode changed. */
  g_signal_connect_object (self->session, "notify::file", G_CALLBACK (measure_later), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::scenario", G_CALLBACK (measure_later), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::question", G_CALLBACK (keep_later), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect (self, "notify::text-scale", G_CALLBACK (measure_later), NULL);
  g_signal_connect (self, "notify::default-width", G_CALLBACK (measure_later), NULL);
  g_signal_connect (self, "notify::maximized", G_CALLBACK (measure_later), NULL);
  g_signal_connect (self, "notify::fullscreened", G_CALLBACK (measure_later), NULL);
  g_signal_connect_swapped (words_box (self), "map", G_CALLBACK (measure_later), self);
}
