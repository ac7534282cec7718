/* tl-lesson.h: lesson text (LESSON-FORMAT.md) to a scenario.
 *
 * Every mistake of a file is collected in one pass, each with its place, and
 * no scenario is returned when there is any.
 */
#pragma once

#include <glib.h>

#include "tl-scenario.h"

G_BEGIN_DECLS

#define TL_LESSON_ERROR (tl_lesson_error_quark ())

typedef enum
{
  TL_LESSON_ERROR_SYNTAX,   /* one or more mistakes; see the TlLessonProblem list */
  TL_LESSON_ERROR_LIMIT,    /* too big: file size, line length, statements, time */
  TL_LESSON_ERROR_IO,       /* the file could not be read */
} TlLessonError;

/* Limits, so that a hostile file gets an error and not a hang. */
#define TL_LESSON_MAX_BYTES      (4 * 1024 * 1024)
#define TL_LESSON_MAX_LINE       4096
#define TL_LESSON_MAX_FLOOD      10000000   /* = TL_BUDGET_RECORDS: one SYN makes a record */
/* The statements, events, records and memory of a run: tl-budget.h. */

/* A problem as core/ knows it: a code and its arguments, which the
 * front ends put into words in the user's language (core/ never
 * translates).  The code is the untranslated message format, a msgid of the
 * tcplab domain ("unknown state '%s'"); its arguments are strings, the words
 * as the lesson wrote them, except those that begin with
 * TL_LESSON_PHRASE_MARK: phrases of ours ("a direction") that are
 * translated too.  message and hint are the English text. */
typedef struct
{
  guint   line;
  guint   column;       /* 1-based, in characters */
  char   *message;      /* "unknown state 'ESTABLISHD'" */
  char   *hint;         /* "did you mean ESTABLISHED?", or NULL */
  char   *format;       /* "unknown state '%s'" */
  char  **args;         /* { "ESTABLISHD", NULL } */
  char   *hint_format;  /* "did you mean %s?", or NULL */
  char  **hint_args;    /* { "ESTABLISHED", NULL } */
} TlLessonProblem;

#define TL_LESSON_PHRASE_MARK '\x1f'

/* A msgid to its translation; the front end's gettext. */
typedef const char *(*TlTranslateFunc) (const char *msgid);

GQuark      tl_lesson_error_quark   (void);

/* Returns NULL and sets error when the text has mistakes; then *problems (if
 * not NULL) receives a GPtrArray of TlLessonProblem, and the error message is
 * every problem formatted as "FILE:LINE:COLUMN: error: WHAT (HINT)", one a line. */
TlScenario *tl_lesson_parse         (const char  *text,
                                     gssize       length,
                                     const char  *filename,
                                     GPtrArray  **problems,
                                     GError     **error);
TlScenario *tl_lesson_parse_file    (const char  *path,
                                     GPtrArray  **problems,
                                     GError     **error);
void        tl_lesson_problem_free  (TlLessonProblem *problem);
/* A duration as a lesson writes it ("250ms", "1.5s", "2min"), for options
 * such as tcplab-cli's --until.  FALSE when it is not one. */
gboolean    tl_lesson_parse_duration (const char     *text,
                                      gint64         *us);
/* "FILE:LINE:COLUMN: error: WHAT\n  hint: HINT", in English. */
char       *tl_lesson_problem_format (const TlLessonProblem *problem,
                                      const char            *filename);
/* The same with every text (the frame, the message, the hint and the
 * phrases among their arguments) through translate: the user's language. */
char       *tl_lesson_problem_format_translated (const TlLessonProblem *problem,
                                                 const char            *filename,
                                                 TlTranslateFunc        translate);
/* Every problem so, one a line, for a window or a terminal. */
char       *tl_lesson_problems_format_translated (GPtrArray          *problems,
                                                  const char         *filename,
                                                  TlTranslateFunc     translate);

G_END_DECLS
