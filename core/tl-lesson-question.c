/* tl-lesson-question.c: the lesson reader's multiple-choice questions.
 *
 *   320ms  pause "Where does the client go when the FIN arrives?"
 *   320ms  pause.zh_CN "..."
 *   320ms  choice "CLOSE_WAIT"
 *   320ms  choice.zh_CN "..."
 *   320ms  choice right "TIME_WAIT"
 *   320ms  explain "The client closed first: ..."
 *   320ms  explain.zh_CN "..."
 *
 * A `choice` belongs to the `pause` with a question before it at the same
 * time; a translation (`choice.LOCALE`, `explain.LOCALE`) to the line just
 * before it.  Once the whole file is read, each question with choices must
 * have 2 to TL_QUESTION_MAX_CHOICES of them, exactly one `right`, and one
 * `explain` after them.
 */
#include "tl-lesson-private.h"

#include "tl-question.h"

/* Walks back over the question block at time_us that the lines so far end
 * with: the index of its pause in stmts, or -1 when the last line is not
 * part of a question at that time.  *explained tells whether an `explain`
 * was seen, *n_choices counts the untranslated choices. */
static int
open_block (const TlLessonParser *p,
            gint64                time_us,
            gboolean             *explained,
            guint                *n_choices)
{
  GArray *stmts = p->scenario->stmts;

  *explained = FALSE;
  *n_choices = 0;
  for (guint i = stmts->len; i > 0; i--)
    {
      const TlStmt *prev = &g_array_index (stmts, TlStmt, i - 1);

      if (prev->time_us != time_us)
        return -1;
      /* Any other statement ends the block (new kinds too, so no switch). */
      if (prev->kind == TL_STMT_PAUSE)
        {
          if (prev->u.pause.locale == NULL)
            return prev->u.pause.question != NULL ? (int) (i - 1) : -1;
        }
      else if (prev->kind == TL_STMT_CHOICE)
        *n_choices += prev->u.answer.locale == NULL;
      else if (prev->kind == TL_STMT_EXPLAIN)
        *explained = TRUE;
      else
        return -1;
    }
  return -1;
}

/* A translation goes right after the line it translates (or after that
 * line's other translations), once per locale. */
static gboolean
check_translation (TlLessonParser     *p,
                   const TlLessonWord *w,
                   TlStmtKind          kind,
                   gint64              time_us,
                   const char         *locale)
{
  GArray *stmts = p->scenario->stmts;

  for (guint i = stmts->len; i > 0; i--)
    {
      const TlStmt *prev = &g_array_index (stmts, TlStmt, i - 1);

      if (prev->time_us != time_us || prev->kind != kind)
        break;
      if (prev->u.answer.locale == NULL)
        return TRUE;
      if (g_ascii_strcasecmp (prev->u.answer.locale, locale) == 0)
        {
          tl_lesson_add_problem (p, w->column, NULL, "a second '%s' for line %u",
                                 w->text, prev->line);
          return FALSE;
        }
    }
  tl_lesson_add_problem (p, w->column, N_ ("put it on the line after the one it translates, at the same time"),
                         "'%s' translates the '%s' just before it at the same time, and there is none",
                         w->text, kind == TL_STMT_CHOICE ? "choice" : "explain");
  return FALSE;
}

gboolean
tl_lesson_question_parse (TlLessonParser     *p,
                          const TlLessonWord *first,
                          TlStmtKind          kind,
                          char               *locale,
                          TlStmt             *stmt)
{
  const TlLessonWord *w;
  gboolean explained;
  guint n_choices;

  stmt->kind = kind;
  stmt->u.answer.locale = locale;
  if (locale != NULL)
    {
      if (!check_translation (p, first, kind, stmt->time_us, locale))
        return FALSE;
    }
  else if (open_block (p, stmt->time_us, &explained, &n_choices) < 0)
    {
      tl_lesson_add_problem (p, first->column, N_ ("put it after a 'pause' with a question, at the same time"),
                             "'%s' belongs to a question, and there is no 'pause' with a question "
                             "just before it at this time", first->text);
      return FALSE;
    }
  else if (explained)
    {
      tl_lesson_add_problem (p, first->column, N_ ("the choices come first, then one 'explain'"),
                             "'%s' after the question's 'explain'", first->text);
      return FALSE;
    }
  else if (kind == TL_STMT_EXPLAIN && n_choices == 0)
    {
      tl_lesson_add_problem (p, first->column, N_ ("write the 'choice' lines first"),
                             "'explain' tells why a choice is right, and this question has none");
      return FALSE;
    }

  w = tl_lesson_lex_need (p, TL_PHRASE ("a quoted text"));
  if (w == NULL)
    return FALSE;
  if (kind == TL_STMT_CHOICE && !w->quoted && tl_lesson_lex_is_word (w, "right"))
    {
      if (locale != NULL)
        {
          tl_lesson_add_problem (p, w->column, N_ ("mark the untranslated choice"),
                                 "a translation of a choice is not marked 'right'");
          return FALSE;
        }
      stmt->u.answer.right = TRUE;
      w = tl_lesson_lex_need (p, TL_PHRASE ("a quoted text"));
      if (w == NULL)
        return FALSE;
    }
  return tl_lesson_value_string (p, w, first->text, &stmt->u.answer.text);
}

void
tl_lesson_question_check (TlLessonParser *p)
{
  GArray *stmts = p->scenario->stmts;

  for (guint i = 0; i < stmts->len && !p->stopped; i++)
    {
      const TlStmt *pause = &g_array_index (stmts, TlStmt, i);
      guint n_choices = 0, n_right = 0, n_explain = 0;
      TlLessonLine at = { pause->line, NULL };

      if (pause->kind != TL_STMT_PAUSE || pause->u.pause.locale != NULL)
        continue;
      for (guint j = i + 1; j < stmts->len; j++)
        {
          const TlStmt *s = &g_array_index (stmts, TlStmt, j);

          if (s->time_us != pause->time_us
              || (s->kind == TL_STMT_PAUSE && s->u.pause.locale == NULL)
              || (s->kind != TL_STMT_PAUSE && s->kind != TL_STMT_CHOICE
                  && s->kind != TL_STMT_EXPLAIN))
            break;
          if (s->kind == TL_STMT_PAUSE || s->u.answer.locale != NULL)
            continue;
          n_choices += s->kind == TL_STMT_CHOICE;
          n_right += s->kind == TL_STMT_CHOICE && s->u.answer.right;
          n_explain += s->kind == TL_STMT_EXPLAIN;
        }
      if (n_choices == 0)
        continue;
      p->line = &at;
      if (n_choices < 2)
        tl_lesson_add_problem (p, pause->column, N_ ("add another 'choice'"),
                               "this question has only one choice; give it 2 to %d",
                               TL_QUESTION_MAX_CHOICES);
      else if (n_choices > TL_QUESTION_MAX_CHOICES)
        tl_lesson_add_problem (p, pause->column, N_ ("the number keys 1 to 9 answer"),
                               "this question has %u choices; give it 2 to %d",
                               n_choices, TL_QUESTION_MAX_CHOICES);
      if (n_right != 1)
        tl_lesson_add_problem (p, pause->column, N_ ("write 'choice right \"...\"' for the right one"),
                               "this question has %u choices marked right; mark exactly one", n_right);
      if (n_explain == 0)
        tl_lesson_add_problem (p, pause->column, N_ ("add 'explain \"...\"' after the choices"),
                               "this question's choices have no 'explain'");
    }
}
