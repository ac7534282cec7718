/* tl-lesson-private.h: the lesson reader's state, shared by tl-lesson.c,
 * tl-lesson-lex.c, tl-lesson-values.c and tl-lesson-stmt.c; not for the rest
 * of the program (the functions are G_GNUC_INTERNAL for that reason).
 */
#pragma once

#include "tl-lesson.h"

G_BEGIN_DECLS

#define MAX_COUNT 1000000

typedef struct
{
  char    *text;      /* a string's text without quotes and escapes */
  guint    column;    /* 1-based, in characters */
  guint    n_chars;
  gboolean quoted;
} Word;

typedef struct
{
  guint   number;
  GArray *words;      /* of Word */
} Line;

typedef struct
{
  const char  *filename;
  GPtrArray   *problems;
  gboolean     limit;
  gboolean     stopped;
  gboolean     too_many;    /* the last problem says the rest was not read */
  TlScenario  *scenario;
  guint        n_hosts;
  guint        first_timed_line;
  gboolean     timed_seen;
  gint64       last_time_us;
  gboolean     end_seen;
  gint64       end_us;
  guint        end_line;
  gboolean     title_seen;
  gboolean     summary_seen;
  gboolean     seed_seen;
  /* the line being read */
  const Line  *line;
  guint        pos;
} Parser;

/* tl-lesson.c: problems */
G_GNUC_INTERNAL
void        add_problem         (Parser            *p,
                                 guint              column,
                                 const char        *hint,
                                 const char        *format,
                                 ...) G_GNUC_PRINTF (4, 5);
G_GNUC_INTERNAL
void        add_limit           (Parser            *p,
                                 guint              column,
                                 const char        *hint,
                                 const char        *format,
                                 ...) G_GNUC_PRINTF (4, 5);

/* tl-lesson-lex.c: lines and words */
G_GNUC_INTERNAL
GPtrArray  *lex                 (Parser            *p,
                                 const char        *text,
                                 gsize              length);
G_GNUC_INTERNAL
const Word *peek                (Parser            *p);
G_GNUC_INTERNAL
const Word *take                (Parser            *p);
G_GNUC_INTERNAL
gboolean    is_word             (const Word        *w,
                                 const char        *keyword);
G_GNUC_INTERNAL
const Word *need                (Parser            *p,
                                 const char        *what);
G_GNUC_INTERNAL
gboolean    expect_line_end     (Parser            *p);

/* tl-lesson-values.c: one value */
G_GNUC_INTERNAL
guint       edit_distance       (const char        *a,
                                 const char        *b);
G_GNUC_INTERNAL
char       *nearest_hint        (const char        *word,
                                 const char *const *candidates,
                                 guint              n_candidates);
G_GNUC_INTERNAL
gboolean    unquoted            (Parser            *p,
                                 const Word        *w,
                                 const char        *what);
G_GNUC_INTERNAL
gboolean    parse_uint          (Parser            *p,
                                 const Word        *w,
                                 const char        *what,
                                 guint64            min,
                                 guint64            max,
                                 guint64           *out);
G_GNUC_INTERNAL
gboolean    parse_duration_text (Parser            *p,
                                 const char        *text,
                                 guint              column,
                                 const char        *what,
                                 gint64             max_us,
                                 gint64            *out);
G_GNUC_INTERNAL
gboolean    parse_duration      (Parser            *p,
                                 const Word        *w,
                                 const char        *what,
                                 gint64             max_us,
                                 gint64            *out);
G_GNUC_INTERNAL
gboolean    parse_percent       (Parser            *p,
                                 const Word        *w,
                                 const char        *what,
                                 guint32           *ppm);
G_GNUC_INTERNAL
gboolean    parse_ipv4          (const char        *text,
                                 gsize              len,
                                 guint32           *out);
G_GNUC_INTERNAL
gboolean    parse_host          (Parser            *p,
                                 const Word        *w,
                                 guint             *host);
G_GNUC_INTERNAL
gboolean    parse_conn          (Parser            *p,
                                 const Word        *w,
                                 TlConnRef         *conn);
G_GNUC_INTERNAL
gboolean    parse_host_port     (Parser            *p,
                                 const Word        *w,
                                 guint             *host,
                                 guint16           *port);
G_GNUC_INTERNAL
gboolean    parse_port          (Parser            *p,
                                 const Word        *w,
                                 guint16           *port);
G_GNUC_INTERNAL
gboolean    parse_dir           (Parser            *p,
                                 const Word        *w,
                                 int               *dir);
G_GNUC_INTERNAL
gboolean    parse_flags         (Parser            *p,
                                 const Word        *w,
                                 guint8            *flags,
                                 gboolean          *any);
G_GNUC_INTERNAL
gboolean    parse_state         (Parser            *p,
                                 const Word        *w,
                                 TlState           *state);
G_GNUC_INTERNAL
gboolean    parse_cmp           (Parser            *p,
                                 const Word        *w,
                                 TlCmp             *cmp);
G_GNUC_INTERNAL
gboolean    parse_string        (Parser            *p,
                                 const Word        *w,
                                 const char        *after,
                                 char             **out);
G_GNUC_INTERNAL
gboolean    split_localized     (Parser            *p,
                                 const Word        *w,
                                 const char        *keyword,
                                 char             **locale,
                                 gboolean          *ok);
G_GNUC_INTERNAL
gboolean    parse_setting_value (Parser            *p,
                                 TlKey              key,
                                 const Word        *w,
                                 gint64            *value);
G_GNUC_INTERNAL
gboolean    valid_host_name     (const char        *name);

/* tl-lesson-stmt.c: statements */
G_GNUC_INTERNAL
gboolean    parse_set           (Parser            *p,
                                 int               *host,
                                 GArray            *settings);
G_GNUC_INTERNAL
gboolean    parse_link          (Parser            *p,
                                 int               *dir,
                                 GArray            *settings);
G_GNUC_INTERNAL
gboolean    is_setup_keyword    (const Word        *w);
G_GNUC_INTERNAL
gboolean    parse_statement     (Parser            *p,
                                 const Word        *first,
                                 TlStmt            *stmt);

G_END_DECLS
