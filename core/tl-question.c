/* tl-question.c: a lesson's questions (tl-question.h), read from its
 * statements: a pause with a question, its translations, then its choices
 * and explanation, each followed by its translations (tl-lesson-question.c
 * keeps a lesson to that order). */
#include "tl-question.h"

#include <string.h>

/* How well a translation's locale fits the one asked for: the index of its
 * variant ("zh_CN" before "zh"), or G_MAXUINT when it does not. */
static guint
fit (const char *const *variants,
     const char        *locale)
{
  for (guint v = 0; variants != NULL && variants[v] != NULL; v++)
    if (g_ascii_strcasecmp (variants[v], locale) == 0)
      return v;
  return G_MAXUINT;
}

/* stmts[i] (untranslated) in the language asked for: the best of the
 * translations that follow it; *next receives the index after them. */
static const char *
translated (const GArray      *stmts,
            guint              i,
            const char *const *variants,
            guint             *next)
{
  const TlStmt *base = &g_array_index (stmts, TlStmt, i);
  const char *text = base->kind == TL_STMT_PAUSE ? base->u.pause.question : base->u.answer.text;
  guint best = G_MAXUINT;

  for (i++; i < stmts->len; i++)
    {
      const TlStmt *s = &g_array_index (stmts, TlStmt, i);
      const char *locale = s->kind == TL_STMT_PAUSE ? s->u.pause.locale : s->u.answer.locale;
      guint f;

      if (s->kind != base->kind || s->time_us != base->time_us || locale == NULL)
        break;
      f = fit (variants, locale);
      if (f < best)
        {
          best = f;
          text = s->kind == TL_STMT_PAUSE ? s->u.pause.question : s->u.answer.text;
        }
    }
  *next = i;
  return text;
}

/* The question whose pause is stmts[i], which must be an untranslated
 * pause with a question. */
static void
read_question (const TlScenario  *scenario,
               guint              i,
               const char *const *variants,
               TlQuestion        *q)
{
  const GArray *stmts = scenario->stmts;
  const TlStmt *pause = &g_array_index (stmts, TlStmt, i);
  guint next;

  memset (q, 0, sizeof *q);
  q->stmt = i;
  q->time_us = pause->time_us;
  q->line = pause->line;
  q->question = translated (stmts, i, variants, &next);
  while (next < stmts->len)
    {
      const TlStmt *s = &g_array_index (stmts, TlStmt, next);

      if (s->time_us != pause->time_us
          || (s->kind != TL_STMT_CHOICE && s->kind != TL_STMT_EXPLAIN)
          || s->u.answer.locale != NULL)
        break;
      if (s->kind == TL_STMT_EXPLAIN)
        q->explanation = translated (stmts, next, variants, &next);
      else if (q->n_choices < TL_QUESTION_MAX_CHOICES)
        {
          if (s->u.answer.right)
            q->right = q->n_choices;
          q->choices[q->n_choices++] = translated (stmts, next, variants, &next);
        }
      else
        next++;
    }
}

static gboolean
is_question (const TlStmt *s)
{
  return s->kind == TL_STMT_PAUSE && s->u.pause.locale == NULL && s->u.pause.question != NULL;
}

GArray *
tl_scenario_questions (const TlScenario *scenario,
                       const char       *locale)
{
  g_auto(GStrv) variants = locale != NULL ? g_get_locale_variants (locale) : NULL;
  GArray *questions = g_array_new (FALSE, FALSE, sizeof (TlQuestion));

  g_return_val_if_fail (scenario != NULL, questions);

  for (guint i = 0; i < scenario->stmts->len; i++)
    if (is_question (&g_array_index (scenario->stmts, TlStmt, i)))
      {
        TlQuestion q;

        read_question (scenario, i, (const char *const *) variants, &q);
        g_array_append_val (questions, q);
      }
  return questions;
}

gboolean
tl_scenario_question_at (const TlScenario *scenario,
                         gint64            time_us,
                         const char       *locale,
                         TlQuestion       *question)
{
  g_auto(GStrv) variants = NULL;
  guint lo = 0, hi;

  g_return_val_if_fail (scenario != NULL, FALSE);
  g_return_val_if_fail (question != NULL, FALSE);

  /* Statements are in time order: the first at time_us by bisection. */
  hi = scenario->stmts->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (scenario->stmts, TlStmt, mid).time_us < time_us)
        lo = mid + 1;
      else
        hi = mid;
    }
  for (guint i = lo; i < scenario->stmts->len; i++)
    {
      const TlStmt *s = &g_array_index (scenario->stmts, TlStmt, i);

      if (s->time_us > time_us)
        break;
      if (s->time_us == time_us && is_question (s))
        {
          variants = locale != NULL ? g_get_locale_variants (locale) : NULL;
          read_question (scenario, i, (const char *const *) variants, question);
          return TRUE;
        }
    }
  return FALSE;
}
