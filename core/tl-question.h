/* tl-question.h: the questions of a lesson, as the window and the ladder
 * show them: each `pause` with a question, in the language asked for, with
 * its choices, the right one and the explanation when it has them. */
#pragma once

#include <glib.h>

#include "tl-scenario.h"

G_BEGIN_DECLS

/* Number keys 1 to 9 answer. */
#define TL_QUESTION_MAX_CHOICES 9

typedef struct
{
  guint        stmt;          /* the pause, an index in scenario->stmts */
  gint64       time_us;
  guint        line;          /* where it is written; 0 if made by the GUI */
  const char  *question;      /* in the language asked for, else as written */
  guint        n_choices;     /* 0: an open question */
  const char  *choices[TL_QUESTION_MAX_CHOICES];
  guint        right;         /* index in choices */
  const char  *explanation;   /* NULL for an open question */
} TlQuestion;

/* Every pause with a question, in file order (a GArray of TlQuestion).  The
 * strings belong to the scenario.  locale: "zh_CN", or NULL for the text as
 * written; a translation is taken for "zh_CN.UTF-8", "zh_CN" or "zh". */
GArray  *tl_scenario_questions    (const TlScenario *scenario,
                                   const char       *locale);
/* The question of the pause at exactly time_us; FALSE if there is none. */
gboolean tl_scenario_question_at  (const TlScenario *scenario,
                                   gint64            time_us,
                                   const char       *locale,
                                   TlQuestion       *question);

G_END_DECLS
