/* tl-lesson-private.h: the lesson reader's state, shared by tl-lesson.c,
 * tl-lesson-lex.c, tl-lesson-values.c and tl-lesson-stmt.c; not for the rest
 * of the program (the functions are G_GNUC_INTERNAL for that reason).
 */
#pragma once

#include "tl-budget.h"
#include "tl-lesson.h"

G_BEGIN_DECLS

#define TL_LESSON_MAX_COUNT 1000000

typedef struct
{
  char    *text;      /* a string's text without quotes and escapes */
  guint    column;    /* 1-based, in characters */
  guint    n_chars;
  gboolean quoted;
} TlLessonWord;

typedef struct
{
  guint   number;
  GArray *words;      /* of TlLessonWord */
} TlLessonLine;

typedef struct
{
  const char         *filename;
  GPtrArray          *problems;
  gboolean            limit;
  gboolean            stopped;
  gboolean            too_many;    /* the last problem says the rest was not read */
  TlScenario         *scenario;
  guint               n_hosts;
  guint               first_timed_line;
  gboolean            timed_seen;
  gint64              last_time_us;
  gboolean            end_seen;
  gint64              end_us;
  guint               end_line;
  gboolean            title_seen;
  gboolean            summary_seen;
  gboolean            seed_seen;
  gboolean            group_seen;
  TlBudget            limits;      /* tl_budget_init_limits */
  /* `repeat N every D` */
  gboolean            has_repeat;
  gboolean            in_repeat;        /* reading a repeated statement: HOST#i allowed */
  gboolean            conn_per_repeat;  /* ... and it said HOST#i */
  gint64              repeat_last_us;   /* the last repetition of any line so far */
  guint               repeat_last_line;
  TlBudget            spent;       /* the least the statements so far cost */
  /* the line being read */
  const TlLessonLine *line;
  guint               pos;
} TlLessonParser;

/* Marks a message, a hint or a phrase for xgettext (po/meson.build lists
 * these keywords); core/ never translates, the front ends do. */
#ifndef N_
#define N_(s) (s)
#endif
/* A phrase of ours passed as a value ("a direction"): translated with the
 * message (TL_LESSON_PHRASE_MARK); a word of the lesson is passed bare. */
#define TL_PHRASE(s) ("\x1f" s)

/* tl-lesson-problem.c: problems, as codes (their formats) with arguments.
 * hint is a format without values, or one that tl_lesson_hint packed. */
G_GNUC_INTERNAL
void                tl_lesson_add_problem           (TlLessonParser      *p,
                                                     guint                column,
                                                     const char          *hint,
                                                     const char          *format,
                                                     ...) G_GNUC_PRINTF (4, 5);
G_GNUC_INTERNAL
void                tl_lesson_add_limit             (TlLessonParser      *p,
                                                     guint                column,
                                                     const char          *hint,
                                                     const char          *format,
                                                     ...) G_GNUC_PRINTF (4, 5);
G_GNUC_INTERNAL
TlLessonProblem    *tl_lesson_problem_new           (guint                line,
                                                     guint                column,
                                                     const char          *hint,
                                                     const char          *format,
                                                     ...) G_GNUC_PRINTF (4, 5);
/* The file's name in messages: "<lesson>" for text without a file. */
G_GNUC_INTERNAL
const char         *tl_lesson_display_name          (const char          *filename);
/* A hint with values: its format and values packed for tl_lesson_add_problem. */
G_GNUC_INTERNAL
char               *tl_lesson_hint                  (const char          *format,
                                                     ...) G_GNUC_PRINTF (1, 2);

/* tl-lesson-lex.c: lines and words */
G_GNUC_INTERNAL
GPtrArray          *tl_lesson_lex                   (TlLessonParser      *p,
                                                     const char          *text,
                                                     gsize                length);
G_GNUC_INTERNAL
const TlLessonWord *tl_lesson_lex_peek              (TlLessonParser      *p);
G_GNUC_INTERNAL
const TlLessonWord *tl_lesson_lex_take              (TlLessonParser      *p);
G_GNUC_INTERNAL
gboolean            tl_lesson_lex_is_word           (const TlLessonWord  *w,
                                                     const char          *keyword);
G_GNUC_INTERNAL
const TlLessonWord *tl_lesson_lex_need              (TlLessonParser      *p,
                                                     const char          *what);
G_GNUC_INTERNAL
gboolean            tl_lesson_lex_expect_line_end   (TlLessonParser      *p);

/* tl-lesson-values.c: one value */
G_GNUC_INTERNAL
guint               tl_lesson_value_edit_distance   (const char          *a,
                                                     const char          *b);
G_GNUC_INTERNAL
char               *tl_lesson_value_nearest_hint    (const char          *word,
                                                     const char *const   *candidates,
                                                     guint                n_candidates);
G_GNUC_INTERNAL
gboolean            tl_lesson_value_unquoted        (TlLessonParser      *p,
                                                     const TlLessonWord  *w,
                                                     const char          *what);
G_GNUC_INTERNAL
gboolean            tl_lesson_value_uint            (TlLessonParser      *p,
                                                     const TlLessonWord  *w,
                                                     const char          *what,
                                                     guint64              min,
                                                     guint64              max,
                                                     guint64             *out);
G_GNUC_INTERNAL
gboolean            tl_lesson_value_duration_text   (TlLessonParser      *p,
                                                     const char          *text,
                                                     guint                column,
                                                     const char          *what,
                                                     gint64               max_us,
                                                     gint64              *out);
G_GNUC_INTERNAL
gboolean            tl_lesson_value_duration        (TlLessonParser      *p,
                                                     const TlLessonWord  *w,
                                                     const char          *what,
                                                     gint64               max_us,
                                                     gint64              *out);
G_GNUC_INTERNAL
gboolean            tl_lesson_value_percent         (TlLessonParser      *p,
                                                     const TlLessonWord  *w,
                                                     const char          *what,
                                                     guint32             *ppm);
G_GNUC_INTERNAL
gboolean            tl_lesson_value_ipv4            (const char          *text,
                                                     gsize                len,
                                                     guint32             *out);
G_GNUC_INTERNAL
gboolean            tl_lesson_value_host            (TlLessonParser      *p,
                                                     const TlLessonWord  *w,
                                                     guint               *host);
G_GNUC_INTERNAL
gboolean            tl_lesson_value_conn            (TlLessonParser      *p,
                                                     const TlLessonWord  *w,
                                                     TlConnRef           *conn);
G_GNUC_INTERNAL
gboolean            tl_lesson_value_host_port       (TlLessonParser      *p,
                                                     const TlLessonWord  *w,
                                                     guint               *host,
                                                     guint16             *port);
G_GNUC_INTERNAL
gboolean            tl_lesson_value_port            (TlLessonParser      *p,
                                                     const TlLessonWord  *w,
                                                     guint16             *port);
G_GNUC_INTERNAL
gboolean            tl_lesson_value_dir             (TlLessonParser      *p,
                                                     const TlLessonWord  *w,
                                                     int                 *dir);
G_GNUC_INTERNAL
gboolean            tl_lesson_value_flags           (TlLessonParser      *p,
                                                     const TlLessonWord  *w,
                                                     guint8              *flags,
                                                     gboolean            *any);
G_GNUC_INTERNAL
gboolean            tl_lesson_value_state           (TlLessonParser      *p,
                                                     const TlLessonWord  *w,
                                                     TlState             *state);
G_GNUC_INTERNAL
gboolean            tl_lesson_value_cmp             (TlLessonParser      *p,
                                                     const TlLessonWord  *w,
                                                     TlCmp               *cmp);
G_GNUC_INTERNAL
gboolean            tl_lesson_value_string          (TlLessonParser      *p,
                                                     const TlLessonWord  *w,
                                                     const char          *after,
                                                     char               **out);
G_GNUC_INTERNAL
gboolean            tl_lesson_value_split_localized (TlLessonParser      *p,
                                                     const TlLessonWord  *w,
                                                     const char          *keyword,
                                                     char               **locale,
                                                     gboolean            *ok);
G_GNUC_INTERNAL
gboolean            tl_lesson_value_setting         (TlLessonParser      *p,
                                                     TlKey                key,
                                                     const TlLessonWord  *w,
                                                     gint64              *value);
G_GNUC_INTERNAL
gboolean            tl_lesson_value_valid_host_name (const char          *name);

/* tl-lesson-stmt.c: statements */
G_GNUC_INTERNAL
gboolean            tl_lesson_stmt_set              (TlLessonParser      *p,
                                                     int                 *host,
                                                     GArray              *settings);
G_GNUC_INTERNAL
gboolean            tl_lesson_stmt_link             (TlLessonParser      *p,
                                                     int                 *dir,
                                                     GArray              *settings);
G_GNUC_INTERNAL
gboolean            tl_lesson_stmt_is_setup_keyword (const TlLessonWord  *w);
G_GNUC_INTERNAL
gboolean            tl_lesson_stmt_parse            (TlLessonParser      *p,
                                                     const TlLessonWord  *first,
                                                     TlStmt              *stmt);

/* tl-lesson-question.c: multiple-choice questions */
G_GNUC_INTERNAL
gboolean            tl_lesson_question_parse        (TlLessonParser      *p,
                                                     const TlLessonWord  *first,
                                                     TlStmtKind           kind,
                                                     char                *locale,
                                                     TlStmt              *stmt);
/* Once every line is read: each question's choices are complete. */
G_GNUC_INTERNAL
void                tl_lesson_question_check        (TlLessonParser      *p);

G_END_DECLS
