/* tl-lesson.c: lesson text (LESSON-FORMAT.md) to a scenario.
 *
 * Two steps, as gmarkup.c does it: each line is cut into words while line and
 * column (in characters) are counted, then each line is read as a statement.
 * A mistake ends the reading of its line, not of the file, so that one pass
 * reports every line that is wrong.  The host lines are read first, so that a
 * `set client ...` may stand before `host client ...`.
 */
#include "tl-lesson.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tl-sim.h"

/* Beyond this many problems the rest of the file is not worth reading. */
#define MAX_PROBLEMS 1000
/* Settings durations (keepalive_idle is 2 hours by default) may exceed a lesson's hour. */
#define MAX_SETTING_US (G_GINT64_CONSTANT (24) * 3600 * TL_USEC_PER_SEC)
#define MAX_COUNT 1000000
#define MAX_BYTES G_GUINT64_CONSTANT (4294967295)

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

static const char *const setup_keywords[] = {
  "title", "summary", "seed", "host", "link", "set",
};
static const char *const timed_keywords[] = {
  "link", "set", "drop", "lose", "duplicate", "flood", "say", "pause", "end", "expect",
};
static const char *const host_verbs[] = {
  "listen", "unlisten", "connect", "accept", "crash", "reboot",
};
static const char *const conn_verbs[] = {
  "send", "read", "close", "shutdown", "abort",
};
/* Words a host may not be called, so that no line reads two ways. */
static const char *const reserved_names[] = {
  "title", "summary", "seed", "host", "link", "set", "drop", "lose", "duplicate",
  "flood", "say", "pause", "end", "expect", "segments", "all", "next", "count", "rate",
  "from",
};
static const char *const link_params[TL_N_LINK_PARAMS] = {
  [TL_LINK_DELAY]     = "delay",
  [TL_LINK_JITTER]    = "jitter",
  [TL_LINK_LOSS]      = "loss",
  [TL_LINK_DUPLICATE] = "duplicate",
  [TL_LINK_DOWN]      = "down",
  [TL_LINK_UP]        = "up",
};

G_DEFINE_QUARK (tl-lesson-error-quark, tl_lesson_error)

void
tl_lesson_problem_free (TlLessonProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->message);
  g_free (problem->hint);
  g_free (problem);
}

static const char *
display_name (const char *filename)
{
  return filename != NULL ? filename : "<lesson>";
}

char *
tl_lesson_problem_format (const TlLessonProblem *problem,
                          const char            *filename)
{
  g_return_val_if_fail (problem != NULL, NULL);

  if (problem->hint != NULL)
    return g_strdup_printf ("%s:%u:%u: error: %s\n  hint: %s", display_name (filename),
                            problem->line, problem->column, problem->message, problem->hint);
  return g_strdup_printf ("%s:%u:%u: error: %s", display_name (filename),
                          problem->line, problem->column, problem->message);
}

/* Problems */

static void G_GNUC_PRINTF (4, 5)
add_problem (Parser     *p,
             guint       column,
             const char *hint,
             const char *format,
             ...)
{
  TlLessonProblem *problem;
  va_list args;

  if (p->stopped)
    return;
  problem = g_new0 (TlLessonProblem, 1);
  problem->line = p->line->number;
  problem->column = column;
  va_start (args, format);
  problem->message = g_strdup_vprintf (format, args);
  va_end (args);
  problem->hint = g_strdup (hint);
  g_ptr_array_add (p->problems, problem);
  if (p->problems->len >= MAX_PROBLEMS)
    {
      problem = g_new0 (TlLessonProblem, 1);
      problem->line = p->line->number;
      problem->column = column;
      problem->message = g_strdup_printf ("more than %d mistakes; the rest of the file "
                                          "was not read", MAX_PROBLEMS);
      g_ptr_array_add (p->problems, problem);
      p->stopped = TRUE;
      p->too_many = TRUE;
    }
}

static void G_GNUC_PRINTF (4, 5)
add_limit (Parser     *p,
           guint       column,
           const char *hint,
           const char *format,
           ...)
{
  va_list args;
  char *message;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  add_problem (p, column, hint, "%s", message);
  g_free (message);
  p->limit = TRUE;
}

/* Optimal string alignment distance (a transposition is one edit), ASCII case ignored. */
static guint
edit_distance (const char *a,
               const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  guint d[33][33];

  if (la > 32 || lb > 32)
    return G_MAXUINT;
  for (gsize i = 0; i <= la; i++)
    d[i][0] = i;
  for (gsize j = 0; j <= lb; j++)
    d[0][j] = j;
  for (gsize i = 1; i <= la; i++)
    for (gsize j = 1; j <= lb; j++)
      {
        guint cost = g_ascii_tolower (a[i - 1]) != g_ascii_tolower (b[j - 1]);
        guint best = MIN (d[i - 1][j] + 1, d[i][j - 1] + 1);

        best = MIN (best, d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1
            && g_ascii_tolower (a[i - 1]) == g_ascii_tolower (b[j - 2])
            && g_ascii_tolower (a[i - 2]) == g_ascii_tolower (b[j - 1]))
          best = MIN (best, d[i - 2][j - 2] + 1);
        d[i][j] = best;
      }
  return d[la][lb];
}

/* "did you mean X?" for the nearest candidate, or NULL when none is near. */
static char *
nearest_hint (const char        *word,
              const char *const *candidates,
              guint              n_candidates)
{
  const char *best = NULL;
  guint best_distance = G_MAXUINT;

  for (guint i = 0; i < n_candidates; i++)
    {
      guint d = edit_distance (word, candidates[i]);
      guint allowed = CLAMP (strlen (candidates[i]) / 3, 1, 3);

      if (d <= allowed && d < best_distance)
        {
          best = candidates[i];
          best_distance = d;
        }
    }
  return best != NULL ? g_strdup_printf ("did you mean %s?", best) : NULL;
}

/* Words */

static const Word *
peek (Parser *p)
{
  if (p->pos >= p->line->words->len)
    return NULL;
  return &g_array_index (p->line->words, Word, p->pos);
}

static const Word *
take (Parser *p)
{
  const Word *w = peek (p);

  if (w != NULL)
    p->pos++;
  return w;
}

/* The column where a missing word would stand: one space after the last. */
static guint
end_column (Parser *p)
{
  const Word *last;

  if (p->line->words->len == 0)
    return 1;
  last = &g_array_index (p->line->words, Word, p->line->words->len - 1);
  return last->column + last->n_chars + 1;
}

static gboolean
is_word (const Word *w,
         const char *keyword)
{
  return w != NULL && !w->quoted && g_ascii_strcasecmp (w->text, keyword) == 0;
}

/* Takes the next word, or reports "expected WHAT after 'PREV'". */
static const Word *
need (Parser     *p,
      const char *what)
{
  const Word *w = take (p);

  if (w == NULL)
    {
      const Word *prev = &g_array_index (p->line->words, Word, p->pos - 1);

      add_problem (p, end_column (p), NULL, "expected %s after '%s'", what, prev->text);
    }
  return w;
}

static gboolean
expect_line_end (Parser *p)
{
  const Word *w = peek (p);

  if (w == NULL)
    return TRUE;
  add_problem (p, w->column, NULL, "unexpected '%s' at the end of the statement", w->text);
  return FALSE;
}

static void
word_clear (gpointer data)
{
  g_free (((Word *) data)->text);
}

static void
line_free (gpointer data)
{
  Line *line = data;

  g_array_unref (line->words);
  g_free (line);
}

static guint
count_chars (const char *start,
             const char *end)
{
  guint n = 0;

  for (const char *s = start; s < end; s++)
    if (((guchar) *s & 0xC0) != 0x80)
      n++;
  return n;
}

/* Cuts one line (valid UTF-8, no newline) into words.  When a string is
 * not closed or has an unknown escape: a problem, and no words. */
static void
lex_line (Parser     *p,
          const char *text,
          gsize       len,
          GArray     *words)
{
  const char *s = text, *end = text + len;
  guint column = 1;

  while (s < end)
    {
      Word word = { 0 };
      const char *start;

      if (*s == ' ' || *s == '\t')
        {
          s++;
          column++;
          continue;
        }
      if (*s == '#')
        break;
      word.column = column;
      start = s;
      if (*s == '"')
        {
          GString *str = g_string_new (NULL);

          s++;
          while (s < end && *s != '"')
            {
              if (*s == '\\')
                {
                  char c = s + 1 < end ? s[1] : '\0';

                  if (c == '"' || c == '\\')
                    g_string_append_c (str, c);
                  else if (c == 'n')
                    g_string_append_c (str, '\n');
                  else
                    {
                      const char *bad = s + 1 < end ? g_utf8_next_char (s + 1) : s + 1;

                      add_problem (p, column + count_chars (start, s), "write \\\" \\\\ or \\n",
                                   "unknown escape '%.*s' in a string", (int) (bad - s), s);
                      g_string_free (str, TRUE);
                      g_array_set_size (words, 0);
                      return;
                    }
                  s += 2;
                }
              else
                g_string_append_c (str, *s++);
            }
          if (s >= end)
            {
              add_problem (p, column, "close the string with '\"'", "unterminated string");
              g_string_free (str, TRUE);
              g_array_set_size (words, 0);
              return;
            }
          s++;
          if (s < end && *s != ' ' && *s != '\t')
            {
              add_problem (p, column + count_chars (start, s), NULL,
                           "expected a space after the closing '\"'");
              g_string_free (str, TRUE);
              g_array_set_size (words, 0);
              return;
            }
          word.text = g_string_free (str, FALSE);
          word.quoted = TRUE;
        }
      else
        {
          while (s < end && *s != ' ' && *s != '\t')
            s++;
          word.text = g_strndup (start, s - start);
        }
      word.n_chars = count_chars (start, s);
      column += word.n_chars;
      g_array_append_val (words, word);
    }
}

/* Values */

/* A value, name or keyword is written without quotes: "80" is a text, not a port. */
static gboolean
unquoted (Parser     *p,
          const Word *w,
          const char *what)
{
  if (!w->quoted)
    return TRUE;
  add_problem (p, w->column, "write it without the quotes", "expected %s, got the text \"%s\"",
               what, w->text);
  return FALSE;
}

/* A decimal integer in [min, max]; what names the value in messages. */
static gboolean
parse_uint (Parser     *p,
            const Word *w,
            const char *what,
            guint64     min,
            guint64     max,
            guint64    *out)
{
  guint64 value = 0;
  gboolean digits;

  if (!unquoted (p, w, what))
    return FALSE;
  digits = w->text[0] != '\0' && strspn (w->text, "0123456789") == strlen (w->text);
  if (!digits)
    {
      add_problem (p, w->column, NULL, "expected %s (a whole number), got '%s'", what, w->text);
      return FALSE;
    }
  /* Only digits, so a failure is a number beyond 64 bits: out of range. */
  if (!g_ascii_string_to_unsigned (w->text, 10, 0, G_MAXUINT64, &value, NULL)
      || value < min || value > max)
    {
      add_problem (p, w->column, NULL, "%s %s is out of range (%" G_GUINT64_FORMAT
                   " to %" G_GUINT64_FORMAT ")", what, w->text, min, max);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

/* A decimal number "12.345" scaled by 10^decimals; FALSE if it has more
 * decimals than that (*too_fine) or is not a number. */
static gboolean
parse_fixed (const char *text,
             gsize       len,
             guint       decimals,
             gint64      scale,
             gint64     *out,
             gboolean   *too_fine)
{
  gint64 whole = 0, frac = 0, frac_scale = 1;
  gsize i = 0;
  guint n_int = 0, n_frac = 0;

  *too_fine = FALSE;
  for (; i < len && g_ascii_isdigit (text[i]); i++, n_int++)
    {
      if (n_int >= 12)
        return FALSE;
      whole = whole * 10 + (text[i] - '0');
    }
  if (i < len && text[i] == '.')
    {
      for (i++; i < len && g_ascii_isdigit (text[i]); i++, n_frac++)
        {
          if (n_frac >= decimals)
            {
              if (text[i] != '0')
                *too_fine = TRUE;
              continue;
            }
          frac = frac * 10 + (text[i] - '0');
          frac_scale *= 10;
        }
      if (n_frac == 0)
        return FALSE;
    }
  if (i != len || n_int == 0 || *too_fine)
    return FALSE;
  /* scale / frac_scale is exact: scale is 10^decimals times a whole number. */
  *out = whole * scale + frac * (scale / frac_scale);
  return TRUE;
}

static const struct { const char *unit; gint64 us; } duration_units[] = {
  { "us",  1 },
  { "ms",  TL_USEC_PER_MSEC },
  { "s",   TL_USEC_PER_SEC },
  { "min", 60 * TL_USEC_PER_SEC },
};

/* The unit of "250ms": its index in duration_units, or -1; *num_len the number's length. */
static int
duration_unit (const char *text,
               gsize      *num_len)
{
  gsize len = strlen (text), n = 0;

  while (n < len && (g_ascii_isdigit (text[n]) || text[n] == '.'))
    n++;
  *num_len = n;
  for (guint u = 0; u < G_N_ELEMENTS (duration_units); u++)
    if (n > 0 && g_ascii_strcasecmp (text + n, duration_units[u].unit) == 0)
      return u;
  return -1;
}

static gboolean
parse_duration_text (Parser     *p,
                     const char *text,
                     guint       column,
                     const char *what,
                     gint64      max_us,
                     gint64     *out)
{
  gsize num_len;
  int u = duration_unit (text, &num_len);
  gint64 us;
  gboolean too_fine;

  if (u >= 0)
    {
      if (!parse_fixed (text, num_len, 6, duration_units[u].us, &us, &too_fine))
        {
          if (too_fine)
            add_problem (p, column, NULL, "%s '%s' is finer than a microsecond", what, text);
          else if (num_len > 12)
            add_limit (p, column, NULL, "%s '%s' is too large", what, text);
          else
            add_problem (p, column, "write a number and a unit, e.g. 250ms or 1.5s",
                         "bad %s '%s'", what, text);
          return FALSE;
        }
      if (us > max_us)
        {
          g_autofree char *max = tl_duration_to_string (max_us);

          add_limit (p, column, NULL, "%s '%s' is beyond the limit of %s", what, text, max);
          return FALSE;
        }
      *out = us;
      return TRUE;
    }
  if (num_len == strlen (text) && num_len > 0)
    add_problem (p, column, "the units are us, ms, s and min",
                 "%s '%s' needs a unit", what, text);
  else if (num_len > 0 && g_ascii_isdigit (text[0]) && g_ascii_isalpha (text[num_len]))
    add_problem (p, column, "the units are us, ms, s and min",
                 "unknown unit '%s' in %s '%s'", text + num_len, what, text);
  else
    add_problem (p, column, "write a number and a unit, e.g. 250ms or 1.5s",
                 "bad %s '%s'", what, text);
  return FALSE;
}

gboolean
tl_lesson_parse_duration (const char *text,
                          gint64     *us)
{
  gsize num_len;
  int u;
  gboolean too_fine;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (us != NULL, FALSE);

  u = duration_unit (text, &num_len);
  return u >= 0 && parse_fixed (text, num_len, 6, duration_units[u].us, us, &too_fine);
}

static gboolean
parse_duration (Parser     *p,
                const Word *w,
                const char *what,
                gint64      max_us,
                gint64     *out)
{
  if (!unquoted (p, w, what))
    return FALSE;
  return parse_duration_text (p, w->text, w->column, what, max_us, out);
}

/* "5%", "0.5%": parts per million, at most 100%. */
static gboolean
parse_percent (Parser     *p,
               const Word *w,
               const char *what,
               guint32    *ppm)
{
  gsize len = strlen (w->text);
  gint64 value;
  gboolean too_fine;

  if (!unquoted (p, w, what))
    return FALSE;
  if (len < 2 || w->text[len - 1] != '%'
      || !parse_fixed (w->text, len - 1, 4, 10000, &value, &too_fine))
    {
      if (len >= 2 && w->text[len - 1] == '%')
        parse_fixed (w->text, len - 1, 4, 10000, &value, &too_fine);
      else
        too_fine = FALSE;
      if (too_fine)
        add_problem (p, w->column, NULL, "%s '%s' is finer than 0.0001%%", what, w->text);
      else
        add_problem (p, w->column, "write a percentage, e.g. 5% or 0.5%",
                     "expected %s as a percentage, got '%s'", what, w->text);
      return FALSE;
    }
  if (value > 1000000)
    {
      add_problem (p, w->column, NULL, "%s '%s' is more than 100%%", what, w->text);
      return FALSE;
    }
  *ppm = value;
  return TRUE;
}

/* A dotted IPv4 address, host byte order. */
static gboolean
parse_ipv4 (const char *text,
            gsize       len,
            guint32    *out)
{
  guint32 addr = 0;
  guint n_parts = 0;
  gsize i = 0;

  while (n_parts < 4)
    {
      guint part = 0, digits = 0;

      for (; i < len && g_ascii_isdigit (text[i]) && digits < 4; i++, digits++)
        part = part * 10 + (text[i] - '0');
      if (digits == 0 || digits > 3 || part > 255)
        return FALSE;
      addr = (addr << 8) | part;
      n_parts++;
      if (n_parts < 4)
        {
          if (i >= len || text[i] != '.')
            return FALSE;
          i++;
        }
    }
  if (i != len)
    return FALSE;
  *out = addr;
  return TRUE;
}

static char *
hosts_hint (Parser *p)
{
  if (p->n_hosts == 2)
    return g_strdup_printf ("the hosts are %s and %s", p->scenario->hosts[0].name,
                            p->scenario->hosts[1].name);
  return g_strdup ("declare two hosts with 'host NAME ADDRESS' lines");
}

static gboolean
host_of_text (Parser     *p,
              const char *name,
              guint       column,
              guint      *host)
{
  for (guint i = 0; i < p->n_hosts; i++)
    if (strcmp (p->scenario->hosts[i].name, name) == 0)
      {
        *host = i;
        return TRUE;
      }
  {
    g_autofree char *hint = hosts_hint (p);

    add_problem (p, column, hint, "unknown host '%s'", name);
  }
  return FALSE;
}

static gboolean
parse_host (Parser     *p,
            const Word *w,
            guint      *host)
{
  return unquoted (p, w, "a host") && host_of_text (p, w->text, w->column, host);
}

/* HOST or HOST#N. */
static gboolean
parse_conn (Parser     *p,
            const Word *w,
            TlConnRef  *conn)
{
  const char *hash = strchr (w->text, '#');
  g_autofree char *name = g_strndup (w->text, hash != NULL ? (gsize) (hash - w->text)
                                                           : strlen (w->text));
  guint64 ordinal = 0;

  if (!unquoted (p, w, "a host") || !host_of_text (p, name, w->column, &conn->host))
    return FALSE;
  if (hash != NULL
      && (!g_ascii_isdigit (hash[1])
          || !g_ascii_string_to_unsigned (hash + 1, 10, 1, MAX_COUNT, &ordinal, NULL)))
    {
      add_problem (p, w->column + g_utf8_strlen (name, -1) + 1,
                   "connections are counted from 1: client#1, client#2, ...",
                   "bad connection number in '%s'", w->text);
      return FALSE;
    }
  conn->ordinal = ordinal;
  return TRUE;
}

/* HOST:PORT */
static gboolean
parse_host_port (Parser     *p,
                 const Word *w,
                 guint      *host,
                 guint16    *port)
{
  const char *colon = strrchr (w->text, ':');
  g_autofree char *name = NULL;
  guint64 value;

  if (!unquoted (p, w, "HOST:PORT"))
    return FALSE;
  if (colon == NULL || colon == w->text)
    {
      add_problem (p, w->column, "write HOST:PORT, e.g. server:80",
                   "expected HOST:PORT, got '%s'", w->text);
      return FALSE;
    }
  name = g_strndup (w->text, colon - w->text);
  if (!host_of_text (p, name, w->column, host))
    return FALSE;
  if (colon[1] == '\0')
    {
      add_problem (p, w->column + g_utf8_strlen (name, -1) + 1, "write HOST:PORT, e.g. server:80",
                   "expected a port after '%s'", w->text);
      return FALSE;
    }
  if (!g_ascii_isdigit (colon[1])
      || !g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &value, NULL))
    {
      add_problem (p, w->column + g_utf8_strlen (name, -1) + 1, NULL,
                   "bad port '%s' (1 to 65535)", colon + 1);
      return FALSE;
    }
  *port = value;
  return TRUE;
}

static gboolean
parse_port (Parser     *p,
            const Word *w,
            guint16    *port)
{
  guint64 value;

  if (!parse_uint (p, w, "port", 1, 65535, &value))
    return FALSE;
  *port = value;
  return TRUE;
}

/* A->B: 0 when A is host 0. */
static gboolean
parse_dir (Parser     *p,
           const Word *w,
           int        *dir)
{
  const char *arrow = w->quoted ? NULL : strstr (w->text, "->");
  g_autofree char *from = NULL;
  guint a, b;

  if (!unquoted (p, w, "a direction"))
    return FALSE;
  /* "->server", "client->": a host is missing on one side. */
  if (arrow == NULL || arrow == w->text || arrow[2] == '\0')
    {
      g_autofree char *hint = NULL;

      if (p->n_hosts == 2)
        hint = g_strdup_printf ("write a direction as %s->%s", p->scenario->hosts[0].name,
                                p->scenario->hosts[1].name);
      add_problem (p, w->column, hint, "expected a direction A->B, got '%s'", w->text);
      return FALSE;
    }
  from = g_strndup (w->text, arrow - w->text);
  if (!host_of_text (p, from, w->column, &a)
      || !host_of_text (p, arrow + 2, w->column + g_utf8_strlen (from, -1) + 2, &b))
    return FALSE;
  if (a == b)
    {
      add_problem (p, w->column, NULL, "a direction goes from one host to the other, "
                   "not '%s'", w->text);
      return FALSE;
    }
  *dir = a;
  return TRUE;
}

/* A flag set or `any`. */
static gboolean
parse_flags (Parser     *p,
             const Word *w,
             guint8     *flags,
             gboolean   *any)
{
  if (is_word (w, "any"))
    {
      *flags = 0;
      *any = TRUE;
      return TRUE;
    }
  if (!unquoted (p, w, "flags"))
    return FALSE;
  if (!tl_flags_from_string (w->text, flags))
    {
      add_problem (p, w->column, "flags are SYN, FIN, RST, PSH and ACK joined by commas "
                   "(SYN,ACK), or any", "bad flags '%s'", w->text);
      return FALSE;
    }
  *any = FALSE;
  return TRUE;
}

static gboolean
parse_state (Parser     *p,
             const Word *w,
             TlState    *state)
{
  const char *names[TL_N_STATES];
  g_autofree char *hint = NULL;

  if (!unquoted (p, w, "a state"))
    return FALSE;
  if (tl_state_from_name (w->text, state))
    return TRUE;
  for (guint i = 0; i < TL_N_STATES; i++)
    names[i] = tl_state_name (i);
  hint = nearest_hint (w->text, names, TL_N_STATES);
  if (hint == NULL)
    hint = g_strdup ("the states are CLOSED, LISTEN, SYN_SENT, SYN_RCVD, ESTABLISHED, "
                     "FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT");
  add_problem (p, w->column, hint, "unknown state '%s'", w->text);
  return FALSE;
}

static gboolean
parse_cmp (Parser     *p,
           const Word *w,
           TlCmp      *cmp)
{
  if (!unquoted (p, w, "a comparison"))
    return FALSE;
  if (g_strcmp0 (w->text, "=") == 0 && !w->quoted)
    *cmp = TL_CMP_EQ;
  else if (g_strcmp0 (w->text, ">=") == 0 && !w->quoted)
    *cmp = TL_CMP_GE;
  else if (g_strcmp0 (w->text, "<=") == 0 && !w->quoted)
    *cmp = TL_CMP_LE;
  else
    {
      add_problem (p, w->column, "compare with =, >= or <=",
                   "expected a comparison, got '%s'", w->text);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_string (Parser     *p,
              const Word *w,
              const char *after,
              char      **out)
{
  if (!w->quoted)
    {
      add_problem (p, w->column, "put the text in double quotes",
                   "expected a quoted text after '%s', got '%s'", after, w->text);
      return FALSE;
    }
  *out = g_strdup (w->text);
  return TRUE;
}

/* "zh_CN", "pt_BR", "de": letters, then _ and letters or digits. */
static gboolean
valid_locale (const char *locale)
{
  gsize i = 0;

  while (g_ascii_isalpha (locale[i]))
    i++;
  if (i < 2 || i > 3)
    return FALSE;
  if (locale[i] == '\0')
    return TRUE;
  if (locale[i] != '_' || locale[i + 1] == '\0')
    return FALSE;
  for (i++; locale[i] != '\0'; i++)
    if (!g_ascii_isalnum (locale[i]))
      return FALSE;
  return TRUE;
}

/* KEYWORD or KEYWORD.LOCALE: TRUE if w is keyword, with *locale the part after the dot. */
static gboolean
split_localized (Parser     *p,
                 const Word *w,
                 const char *keyword,
                 char      **locale,
                 gboolean   *ok)
{
  gsize klen = strlen (keyword);

  *locale = NULL;
  *ok = TRUE;
  if (w->quoted || g_ascii_strncasecmp (w->text, keyword, klen) != 0)
    return FALSE;
  if (w->text[klen] == '\0')
    return TRUE;
  if (w->text[klen] != '.')
    return FALSE;
  if (!valid_locale (w->text + klen + 1))
    {
      add_problem (p, w->column + klen + 1, "a locale looks like zh_CN or de",
                   "bad locale '%s'", w->text + klen + 1);
      *ok = FALSE;
      return TRUE;
    }
  *locale = g_strdup (w->text + klen + 1);
  return TRUE;
}

/* Settings */

static gboolean
parse_choice (Parser            *p,
              const Word        *w,
              const char        *key,
              const char *const *names,
              guint              n_names,
              gint64            *value)
{
  g_autofree char *choices = NULL;
  g_autofree char *hint = NULL;

  if (!unquoted (p, w, key))
    return FALSE;
  for (guint i = 0; i < n_names; i++)
    if (is_word (w, names[i]))
      {
        *value = i;
        return TRUE;
      }
  choices = g_strjoinv (" or ", (char **) names);
  hint = g_strdup_printf ("%s is %s", key, choices);
  add_problem (p, w->column, hint, "bad value '%s' for %s", w->text, key);
  return FALSE;
}

static gboolean
parse_setting_value (Parser     *p,
                     TlKey       key,
                     const Word *w,
                     gint64     *value)
{
  static const char *const on_off[] = { "off", "on", NULL };
  static const char *const profiles[] = { "linux", "rfc", NULL };
  static const char *const cookies[] = { "off", "on", "always", NULL };
  const char *name = tl_key_name (key);
  guint64 n;

  switch (key)
    {
    case TL_KEY_PROFILE:
      return parse_choice (p, w, name, profiles, 2, value);
    case TL_KEY_SYNCOOKIES:
      return parse_choice (p, w, name, cookies, 3, value);
    case TL_KEY_KEEPALIVE:
    case TL_KEY_AUTOACCEPT:
    case TL_KEY_AUTOREAD:
      return parse_choice (p, w, name, on_off, 2, value);
    case TL_KEY_ISN:
      if (is_word (w, "random"))
        {
          *value = -1;
          return TRUE;
        }
      if (!parse_uint (p, w, name, 0, G_MAXUINT32, &n))
        return FALSE;
      *value = n;
      return TRUE;
    case TL_KEY_BACKLOG:
    case TL_KEY_SYN_QUEUE:
      if (!parse_uint (p, w, name, 1, MAX_COUNT, &n))
        return FALSE;
      *value = n;
      return TRUE;
    case TL_KEY_SYN_RETRIES:
    case TL_KEY_SYNACK_RETRIES:
    case TL_KEY_RETRIES:
    case TL_KEY_KEEPALIVE_PROBES:
    case TL_KEY_SYN_LINEAR_TIMEOUTS:
      if (!parse_uint (p, w, name, 0, 255, &n))
        return FALSE;
      *value = n;
      return TRUE;
    case TL_KEY_WINDOW:
      if (!parse_uint (p, w, name, 0, 65535, &n))
        return FALSE;
      *value = n;
      return TRUE;
    case TL_KEY_MSS:
      if (!parse_uint (p, w, name, 1, 65495, &n))
        return FALSE;
      *value = n;
      return TRUE;
    case TL_KEY_MSL:
    case TL_KEY_FIN_TIMEOUT:
      return parse_duration (p, w, name, MAX_SETTING_US, value);
    case TL_KEY_RTO_INITIAL:
    case TL_KEY_RTO_MIN:
    case TL_KEY_RTO_MAX:
    case TL_KEY_KEEPALIVE_IDLE:
    case TL_KEY_KEEPALIVE_INTERVAL:
      if (!parse_duration (p, w, name, MAX_SETTING_US, value))
        return FALSE;
      if (*value == 0)
        {
          add_problem (p, w->column, NULL, "%s must be more than 0", name);
          return FALSE;
        }
      return TRUE;
    case TL_N_KEYS:
      break;
    }
  g_assert_not_reached ();
}

/* set HOST|all KEY VALUE [KEY VALUE]... */
static gboolean
parse_set (Parser  *p,
           int     *host,
           GArray  *settings)
{
  const Word *w = need (p, "a host or all");

  if (w == NULL)
    return FALSE;
  if (is_word (w, "all"))
    *host = -1;
  else
    {
      guint h;

      if (!parse_host (p, w, &h))
        return FALSE;
      *host = h;
    }
  if (peek (p) == NULL)
    return need (p, "a key and its value") != NULL;
  while ((w = take (p)) != NULL)
    {
      TlSetting setting;
      const Word *v;

      if (w->quoted || !tl_key_from_name (w->text, &setting.key))
        {
          const char *names[TL_N_KEYS];
          g_autofree char *hint = NULL;

          for (guint i = 0; i < TL_N_KEYS; i++)
            names[i] = tl_key_name (i);
          hint = nearest_hint (w->text, names, TL_N_KEYS);
          add_problem (p, w->column, hint, "unknown key '%s'", w->text);
          return FALSE;
        }
      v = need (p, "a value");
      if (v == NULL || !parse_setting_value (p, setting.key, v, &setting.value))
        return FALSE;
      g_array_append_val (settings, setting);
    }
  return TRUE;
}

/* link [DIR] PARAM VALUE [PARAM VALUE]... */
static gboolean
parse_link (Parser *p,
            int    *dir,
            GArray *settings)
{
  const Word *w = peek (p);

  *dir = TL_DIR_BOTH;
  if (w != NULL && !w->quoted && strstr (w->text, "->") != NULL)
    {
      if (!parse_dir (p, take (p), dir))
        return FALSE;
    }
  if (peek (p) == NULL)
    return need (p, "a link parameter (delay, jitter, loss, duplicate, down, up)") != NULL;
  while ((w = take (p)) != NULL)
    {
      TlLinkSetting setting = { 0 };
      guint param = TL_N_LINK_PARAMS;
      const Word *v = NULL;
      guint32 ppm;

      for (guint i = 0; i < TL_N_LINK_PARAMS; i++)
        if (is_word (w, link_params[i]))
          param = i;
      if (param == TL_N_LINK_PARAMS)
        {
          g_autofree char *hint = nearest_hint (w->text, link_params, TL_N_LINK_PARAMS);

          if (p->pos >= 2 && (is_word (w - 1, "down") || is_word (w - 1, "up")))
            add_problem (p, w->column, NULL, "unexpected '%s': '%s' takes no value",
                         w->text, (w - 1)->text);
          else
            {
              if (hint == NULL && strpbrk (w->text, "->") != NULL)
                hint = g_strdup ("write a direction as A->B, e.g. client->server");
              add_problem (p, w->column, hint, "unknown link parameter '%s'", w->text);
            }
          return FALSE;
        }
      setting.param = param;
      if (param != TL_LINK_DOWN && param != TL_LINK_UP)
        {
          v = need (p, "a value");
          if (v == NULL)
            return FALSE;
        }
      switch (setting.param)
        {
        case TL_LINK_DELAY:
        case TL_LINK_JITTER:
          if (!parse_duration (p, v, link_params[param], TL_SIM_MAX_TIME_US, &setting.value))
            return FALSE;
          break;
        case TL_LINK_LOSS:
        case TL_LINK_DUPLICATE:
          if (!parse_percent (p, v, link_params[param], &ppm))
            return FALSE;
          setting.value = ppm;
          break;
        case TL_LINK_DOWN:
        case TL_LINK_UP:
          break;
        case TL_N_LINK_PARAMS:
          g_assert_not_reached ();
        }
      g_array_append_val (settings, setting);
    }
  return TRUE;
}

static void
link_dir_apply (TlLinkDir           *dir,
                const TlLinkSetting *setting)
{
  switch (setting->param)
    {
    case TL_LINK_DELAY:     dir->delay_us = setting->value; break;
    case TL_LINK_JITTER:    dir->jitter_us = setting->value; break;
    case TL_LINK_LOSS:      dir->loss_ppm = setting->value; break;
    case TL_LINK_DUPLICATE: dir->duplicate_ppm = setting->value; break;
    case TL_LINK_DOWN:      dir->down = TRUE; break;
    case TL_LINK_UP:        dir->down = FALSE; break;
    case TL_N_LINK_PARAMS:  g_assert_not_reached ();
    }
}

/* Setup lines */

static void
add_text (Parser     *p,
          const Word *w,
          GArray     *texts,
          char      **untranslated,
          gboolean   *seen,
          const char *keyword,
          char       *locale)
{
  const Word *v = need (p, "a quoted text");
  char *text = NULL;

  if (v == NULL || !parse_string (p, v, w->text, &text) || !expect_line_end (p))
    {
      g_free (text);
      g_free (locale);
      return;
    }
  if (locale == NULL)
    {
      if (*seen)
        {
          add_problem (p, w->column, NULL, "a second '%s' line", keyword);
          g_free (text);
          return;
        }
      *seen = TRUE;
      *untranslated = text;
      return;
    }
  for (guint i = 0; i < texts->len; i++)
    if (strcmp (g_array_index (texts, TlText, i).locale, locale) == 0)
      {
        add_problem (p, w->column, NULL, "a second '%s.%s' line", keyword, locale);
        g_free (text);
        g_free (locale);
        return;
      }
  {
    TlText t = { locale, text };

    g_array_append_val (texts, t);
  }
}

static gboolean
valid_host_name (const char *name)
{
  if (!g_ascii_isalpha (name[0]))
    return FALSE;
  for (const char *s = name; *s != '\0'; s++)
    if (!g_ascii_isalnum (*s) && *s != '_')
      return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (reserved_names); i++)
    if (g_ascii_strcasecmp (name, reserved_names[i]) == 0)
      return FALSE;
  return TRUE;
}

/* host NAME ADDRESS (the first pass). */
static void
parse_host_line (Parser     *p,
                 const Word *kw)
{
  const Word *name = need (p, "a host name");
  const Word *addr = name != NULL ? need (p, "an IPv4 address") : NULL;
  guint32 a;

  if (addr == NULL || !unquoted (p, name, "a host name"))
    return;
  if (!valid_host_name (name->text))
    {
      add_problem (p, name->column, "a host name is a letter then letters, digits or _, "
                   "and not a keyword", "bad host name '%s'", name->text);
      return;
    }
  if (addr->quoted || !parse_ipv4 (addr->text, strlen (addr->text), &a))
    {
      add_problem (p, addr->column, "e.g. 10.0.0.1", "bad IPv4 address '%s'", addr->text);
      return;
    }
  if (!expect_line_end (p))
    return;
  if (p->n_hosts == 2)
    {
      add_problem (p, kw->column, NULL, "a third host '%s': a lesson has exactly two",
                   name->text);
      return;
    }
  if (p->n_hosts == 1 && strcmp (p->scenario->hosts[0].name, name->text) == 0)
    {
      add_problem (p, name->column, NULL, "host '%s' is declared twice", name->text);
      return;
    }
  if (p->n_hosts == 1 && p->scenario->hosts[0].addr == a)
    {
      add_problem (p, addr->column, NULL, "both hosts have the address %s", addr->text);
      return;
    }
  g_free (p->scenario->hosts[p->n_hosts].name);
  p->scenario->hosts[p->n_hosts].name = g_strdup (name->text);
  p->scenario->hosts[p->n_hosts].addr = a;
  p->n_hosts++;
}

static void
parse_setup_line (Parser     *p,
                  const Word *kw)
{
  char *locale;
  gboolean ok;

  if (split_localized (p, kw, "title", &locale, &ok))
    {
      if (ok)
        add_text (p, kw, p->scenario->title_l10n, &p->scenario->title, &p->title_seen,
                  "title", locale);
    }
  else if (split_localized (p, kw, "summary", &locale, &ok))
    {
      if (ok)
        add_text (p, kw, p->scenario->summary_l10n, &p->scenario->summary,
                  &p->summary_seen, "summary", locale);
    }
  else if (is_word (kw, "seed"))
    {
      const Word *v = need (p, "a number");
      guint64 seed;

      if (v == NULL || !parse_uint (p, v, "seed", 0, G_MAXUINT64, &seed) || !expect_line_end (p))
        return;
      if (p->seed_seen)
        {
          add_problem (p, kw->column, NULL, "a second 'seed' line");
          return;
        }
      p->seed_seen = TRUE;
      p->scenario->seed = seed;
    }
  else if (is_word (kw, "host"))
    return;   /* read in the first pass */
  else if (is_word (kw, "link"))
    {
      g_autoptr(GArray) settings = g_array_new (FALSE, FALSE, sizeof (TlLinkSetting));
      int dir;

      if (!parse_link (p, &dir, settings))
        return;
      for (guint i = 0; i < settings->len; i++)
        for (guint d = 0; d < 2; d++)
          if (dir == TL_DIR_BOTH || dir == (int) d)
            link_dir_apply (&p->scenario->link[d], &g_array_index (settings, TlLinkSetting, i));
    }
  else if (is_word (kw, "set"))
    {
      g_autoptr(GArray) settings = g_array_new (FALSE, FALSE, sizeof (TlSetting));
      int host;

      if (!parse_set (p, &host, settings))
        return;
      for (guint i = 0; i < settings->len; i++)
        for (guint h = 0; h < 2; h++)
          if (host == -1 || host == (int) h)
            tl_settings_apply (&p->scenario->settings[h], &g_array_index (settings, TlSetting, i));
    }
  else
    {
      g_autofree char *hint = nearest_hint (kw->text, setup_keywords,
                                            G_N_ELEMENTS (setup_keywords));

      if (hint == NULL && (tl_scenario_host_by_name (p->scenario, kw->text) >= 0
                           || strchr (kw->text, '#') != NULL))
        hint = g_strdup ("a statement needs a time in front, e.g. 0ms");
      add_problem (p, kw->column, hint, "unknown keyword '%s'", kw->text);
    }
}

/* Timed lines */

/* title, summary, seed, host, title.LOCALE, summary.LOCALE */
static gboolean
is_setup_keyword (const Word *w)
{
  return !w->quoted && (is_word (w, "title") || is_word (w, "summary") || is_word (w, "seed")
                        || is_word (w, "host") || g_str_has_prefix (w->text, "title.")
                        || g_str_has_prefix (w->text, "summary."));
}

static gboolean
parse_expect (Parser *p,
              TlStmt *stmt)
{
  const Word *w = need (p, "what to expect");
  const Word *subject;

  if (w == NULL)
    return FALSE;
  if (is_word (w, "segments"))
    {
      const Word *d = need (p, "a direction");
      const Word *f = d != NULL && parse_dir (p, d, &stmt->u.expect_segments.dir)
                      ? need (p, "flags") : NULL;
      const Word *op = f != NULL && parse_flags (p, f, &stmt->u.expect_segments.flags,
                                                 &stmt->u.expect_segments.any)
                       ? need (p, "a comparison") : NULL;
      const Word *n = op != NULL && parse_cmp (p, op, &stmt->u.expect_segments.cmp)
                      ? need (p, "a number") : NULL;

      stmt->kind = TL_STMT_EXPECT_SEGMENTS;
      return n != NULL && parse_uint (p, n, "count", 0, G_MAXUINT32, &stmt->u.expect_segments.n);
    }
  subject = w;
  if (!subject->quoted && tl_scenario_host_by_name (p->scenario, subject->text) < 0
      && edit_distance (subject->text, "segments") <= 2)
    {
      add_problem (p, subject->column, "did you mean segments?", "unknown host '%s'",
                   subject->text);
      return FALSE;
    }
  if (!parse_conn (p, subject, &stmt->conn))
    return FALSE;
  stmt->host = stmt->conn.host;
  w = need (p, "a state, 'sockets' or 'error'");
  if (w == NULL)
    return FALSE;
  if (is_word (w, "sockets"))
    {
      const Word *s, *op, *n;

      if (stmt->conn.ordinal != 0)
        {
          add_problem (p, subject->column, NULL,
                       "'sockets' counts a host's sockets: write the host without #N");
          return FALSE;
        }
      stmt->kind = TL_STMT_EXPECT_SOCKETS;
      s = need (p, "a state");
      op = s != NULL && parse_state (p, s, &stmt->u.expect_sockets.state)
           ? need (p, "a comparison") : NULL;
      n = op != NULL && parse_cmp (p, op, &stmt->u.expect_sockets.cmp)
          ? need (p, "a number") : NULL;
      return n != NULL && parse_uint (p, n, "count", 0, G_MAXUINT32, &stmt->u.expect_sockets.n);
    }
  if (is_word (w, "error"))
    {
      const Word *e = need (p, "an error name");

      stmt->kind = TL_STMT_EXPECT_ERROR;
      if (e == NULL)
        return FALSE;
      if (e->quoted || !tl_error_from_name (e->text, &stmt->u.expect_error.error))
        {
          const char *names[TL_N_ERRORS];
          g_autofree char *hint = NULL;

          for (guint i = 0; i < TL_N_ERRORS; i++)
            names[i] = tl_error_name (i);
          hint = nearest_hint (e->text, names, TL_N_ERRORS);
          if (hint == NULL)
            hint = g_strdup ("the errors are none, ECONNREFUSED, ECONNRESET, ETIMEDOUT, EPIPE");
          add_problem (p, e->column, hint, "unknown error '%s'", e->text);
          return FALSE;
        }
      return TRUE;
    }
  stmt->kind = TL_STMT_EXPECT_STATE;
  {
    static const char *const forms[] = { "sockets", "error" };
    g_autofree char *hint = nearest_hint (w->text, forms, G_N_ELEMENTS (forms));
    TlState state;

    if (hint != NULL && !w->quoted && !tl_state_from_name (w->text, &state))
      {
        add_problem (p, w->column, hint, "expected a state, 'sockets' or 'error', got '%s'",
                     w->text);
        return FALSE;
      }
  }
  return parse_state (p, w, &stmt->u.expect_state.state);
}

static gboolean
parse_flood (Parser *p,
             TlStmt *stmt)
{
  const Word *w = need (p, "HOST:PORT");
  guint64 n;

  stmt->kind = TL_STMT_FLOOD;
  stmt->u.flood.net_addr = 0xC6336400;   /* 198.51.100.0/24, RFC 5737 TEST-NET-2 */
  stmt->u.flood.prefix_len = 24;
  if (w == NULL || !parse_host_port (p, w, &stmt->u.flood.target, &stmt->u.flood.port))
    return FALSE;
  w = need (p, "'count N'");
  if (w == NULL)
    return FALSE;
  if (!is_word (w, "count"))
    {
      add_problem (p, w->column, NULL, "expected 'count', got '%s'", w->text);
      return FALSE;
    }
  w = need (p, "a number");
  if (w == NULL || !parse_uint (p, w, "count", 0, G_MAXUINT64, &n))
    return FALSE;
  if (n == 0)
    {
      add_problem (p, w->column, NULL, "count 0 is out of range (1 to %d)", TL_LESSON_MAX_FLOOD);
      return FALSE;
    }
  if (n > TL_LESSON_MAX_FLOOD)
    {
      add_limit (p, w->column, NULL, "a flood of %" G_GUINT64_FORMAT " SYNs is more than the "
                 "limit of %d", n, TL_LESSON_MAX_FLOOD);
      return FALSE;
    }
  stmt->u.flood.count = n;
  w = need (p, "'rate R/s'");
  if (w == NULL)
    return FALSE;
  if (!is_word (w, "rate"))
    {
      add_problem (p, w->column, NULL, "expected 'rate', got '%s'", w->text);
      return FALSE;
    }
  w = need (p, "a rate such as 1000/s");
  if (w == NULL)
    return FALSE;
  {
    gsize len = strlen (w->text);
    g_autofree char *number = NULL;

    if (w->quoted || len < 3 || g_ascii_strcasecmp (w->text + len - 2, "/s") != 0)
      {
        add_problem (p, w->column, "write the rate in SYNs per second, e.g. 1000/s",
                     "bad rate '%s'", w->text);
        return FALSE;
      }
    number = g_strndup (w->text, len - 2);
    if (!g_ascii_isdigit (number[0])
        || !g_ascii_string_to_unsigned (number, 10, 1, 10000000, &n, NULL))
      {
        add_problem (p, w->column, NULL, "bad rate '%s' (1/s to 10000000/s)", w->text);
        return FALSE;
      }
    stmt->u.flood.rate_per_s = n;
  }
  w = take (p);
  if (w == NULL)
    return TRUE;
  if (!is_word (w, "from"))
    {
      add_problem (p, w->column, NULL, "expected 'from CIDR' or the end, got '%s'", w->text);
      return FALSE;
    }
  w = need (p, "an address block such as 198.51.100.0/24");
  if (w == NULL)
    return FALSE;
  {
    const char *slash = strchr (w->text, '/');
    guint32 addr;
    guint64 prefix;

    if (w->quoted || slash == NULL || !parse_ipv4 (w->text, slash - w->text, &addr)
        || !g_ascii_isdigit (slash[1])
        || !g_ascii_string_to_unsigned (slash + 1, 10, 1, 32, &prefix, NULL))
      {
        add_problem (p, w->column, "write an address block, e.g. 198.51.100.0/24",
                     "bad address block '%s'", w->text);
        return FALSE;
      }
    if (prefix < 32 && (addr & (G_MAXUINT32 >> prefix)) != 0)
      {
        add_problem (p, w->column, NULL, "'%s' has bits set after its /%u prefix",
                     w->text, (guint) prefix);
        return FALSE;
      }
    stmt->u.flood.net_addr = addr;
    stmt->u.flood.prefix_len = prefix;
  }
  return TRUE;
}

static gboolean
parse_drop (Parser *p,
            TlStmt *stmt)
{
  const Word *w = need (p, "'next'");
  guint64 count = 1;

  stmt->kind = TL_STMT_DROP;
  stmt->u.drop.any = TRUE;
  if (w == NULL)
    return FALSE;
  if (!is_word (w, "next"))
    {
      add_problem (p, w->column, NULL, "expected 'next', got '%s'", w->text);
      return FALSE;
    }
  w = need (p, "a direction");
  if (w == NULL || !parse_dir (p, w, &stmt->u.drop.dir))
    return FALSE;
  w = take (p);
  if (w != NULL && !is_word (w, "count"))
    {
      if (!parse_flags (p, w, &stmt->u.drop.flags, &stmt->u.drop.any))
        return FALSE;
      w = take (p);
    }
  if (w != NULL)
    {
      const Word *n;

      if (!is_word (w, "count"))
        {
          add_problem (p, w->column, NULL, "expected 'count N' or the end, got '%s'", w->text);
          return FALSE;
        }
      n = need (p, "a number");
      if (n == NULL || !parse_uint (p, n, "count", 1, MAX_COUNT, &count))
        return FALSE;
    }
  stmt->u.drop.count = count;
  return TRUE;
}

/* `lose DIR [FLAGS]` and `duplicate DIR [FLAGS]`: the segments on the wire
 * at the statement's time. */
static gboolean
parse_wire (Parser     *p,
            TlStmtKind  kind,
            TlStmt     *stmt)
{
  const Word *w = need (p, "a direction");

  stmt->kind = kind;
  stmt->u.wire.any = TRUE;
  if (w == NULL || !parse_dir (p, w, &stmt->u.wire.dir))
    return FALSE;
  w = take (p);
  return w == NULL || parse_flags (p, w, &stmt->u.wire.flags, &stmt->u.wire.any);
}

static gboolean
find_verb (const char        *word,
           const char *const *verbs,
           guint              n_verbs)
{
  for (guint i = 0; i < n_verbs; i++)
    if (g_ascii_strcasecmp (word, verbs[i]) == 0)
      return TRUE;
  return FALSE;
}

/* HOST VERB ... or CONN VERB ... */
static gboolean
parse_action (Parser     *p,
              const Word *subject,
              TlStmt     *stmt)
{
  const Word *verb = need (p, "what the host does (listen, connect, close, ...)");
  const Word *w;
  guint64 n;

  if (verb == NULL || !parse_conn (p, subject, &stmt->conn))
    return FALSE;
  stmt->host = stmt->conn.host;
  if (find_verb (verb->text, host_verbs, G_N_ELEMENTS (host_verbs)) && stmt->conn.ordinal != 0)
    {
      add_problem (p, subject->column, NULL, "'%s' is done by a host: write '%s' without #N",
                   verb->text, p->scenario->hosts[stmt->host].name);
      return FALSE;
    }
  if (is_word (verb, "listen") || is_word (verb, "unlisten"))
    {
      stmt->kind = is_word (verb, "listen") ? TL_STMT_LISTEN : TL_STMT_UNLISTEN;
      w = need (p, "a port");
      return w != NULL && parse_port (p, w, &stmt->u.listen.port);
    }
  if (is_word (verb, "connect"))
    {
      stmt->kind = TL_STMT_CONNECT;
      w = need (p, "HOST:PORT");
      if (w == NULL || !parse_host_port (p, w, &stmt->u.connect.peer, &stmt->u.connect.port))
        return FALSE;
      if (stmt->u.connect.peer == stmt->host)
        {
          add_problem (p, w->column, NULL, "a host connects to the other host, not to itself");
          return FALSE;
        }
      w = take (p);
      if (w == NULL)
        return TRUE;
      if (!is_word (w, "from"))
        {
          add_problem (p, w->column, NULL, "expected 'from PORT' or the end, got '%s'", w->text);
          return FALSE;
        }
      w = need (p, "a port");
      return w != NULL && parse_port (p, w, &stmt->u.connect.from_port);
    }
  if (is_word (verb, "accept"))
    {
      stmt->kind = TL_STMT_ACCEPT;
      w = take (p);
      return w == NULL || parse_port (p, w, &stmt->u.listen.port);
    }
  if (is_word (verb, "send"))
    {
      stmt->kind = TL_STMT_SEND;
      w = need (p, "a number of bytes");
      if (w == NULL || !parse_uint (p, w, "bytes", 1, MAX_BYTES, &n))
        return FALSE;
      stmt->u.data.bytes = n;
      return TRUE;
    }
  if (is_word (verb, "read"))
    {
      stmt->kind = TL_STMT_READ;
      w = take (p);
      if (w != NULL && !parse_uint (p, w, "bytes", 1, MAX_BYTES, &n))
        return FALSE;
      stmt->u.data.bytes = w != NULL ? n : 0;
      return TRUE;
    }
  if (is_word (verb, "close"))
    stmt->kind = TL_STMT_CLOSE;
  else if (is_word (verb, "shutdown"))
    stmt->kind = TL_STMT_SHUTDOWN;
  else if (is_word (verb, "abort"))
    stmt->kind = TL_STMT_ABORT;
  else if (is_word (verb, "crash"))
    stmt->kind = TL_STMT_CRASH;
  else if (is_word (verb, "reboot"))
    stmt->kind = TL_STMT_REBOOT;
  else
    {
      const char *verbs[G_N_ELEMENTS (host_verbs) + G_N_ELEMENTS (conn_verbs)];
      g_autofree char *hint = NULL;

      for (guint i = 0; i < G_N_ELEMENTS (host_verbs); i++)
        verbs[i] = host_verbs[i];
      for (guint i = 0; i < G_N_ELEMENTS (conn_verbs); i++)
        verbs[G_N_ELEMENTS (host_verbs) + i] = conn_verbs[i];
      hint = nearest_hint (verb->text, verbs, G_N_ELEMENTS (verbs));
      add_problem (p, verb->column, hint, "unknown statement '%s'", verb->text);
      return FALSE;
    }
  return TRUE;
}

/* A `pause.LOCALE` translates the `pause` with a question just before it, at
 * the same time (its other translations may come between, once per locale). */
static gboolean
check_pause_translation (Parser     *p,
                         const Word *w,
                         gint64      time_us,
                         const char *locale)
{
  GArray *stmts = p->scenario->stmts;

  for (guint i = stmts->len; i > 0; i--)
    {
      const TlStmt *prev = &g_array_index (stmts, TlStmt, i - 1);

      if (prev->time_us != time_us || prev->kind != TL_STMT_PAUSE)
        break;
      if (prev->u.pause.locale == NULL)
        {
          if (prev->u.pause.question != NULL)
            return TRUE;
          add_problem (p, w->column, "give that 'pause' a question first",
                       "'%s' translates a question, and the 'pause' on line %u has none",
                       w->text, prev->line);
          return FALSE;
        }
      if (g_ascii_strcasecmp (prev->u.pause.locale, locale) == 0)
        {
          add_problem (p, w->column, NULL, "a second '%s' for the pause on line %u",
                       w->text, prev->line);
          return FALSE;
        }
    }
  add_problem (p, w->column, "put it on the line after its 'pause', at the same time",
               "'%s' translates the 'pause' just before it at the same time, and there is "
               "none", w->text);
  return FALSE;
}

/* The statement after the time; FALSE (with a problem) if it is wrong. */
static gboolean
parse_statement (Parser     *p,
                 const Word *first,
                 TlStmt     *stmt)
{
  char *locale;
  gboolean ok;

  if (is_word (first, "link"))
    {
      g_autoptr(GArray) settings = g_array_new (FALSE, FALSE, sizeof (TlLinkSetting));

      stmt->kind = TL_STMT_LINK;
      if (!parse_link (p, &stmt->u.link.dir, settings))
        return FALSE;
      stmt->u.link.n_settings = settings->len;
      stmt->u.link.settings = g_memdup2 (settings->data, settings->len * sizeof (TlLinkSetting));
      return TRUE;
    }
  if (is_word (first, "set"))
    {
      g_autoptr(GArray) settings = g_array_new (FALSE, FALSE, sizeof (TlSetting));

      stmt->kind = TL_STMT_SET;
      if (!parse_set (p, &stmt->u.set.host, settings))
        return FALSE;
      stmt->u.set.n_settings = settings->len;
      stmt->u.set.settings = g_memdup2 (settings->data, settings->len * sizeof (TlSetting));
      return TRUE;
    }
  if (is_word (first, "drop"))
    return parse_drop (p, stmt);
  if (is_word (first, "lose"))
    return parse_wire (p, TL_STMT_LOSE, stmt);
  if (is_word (first, "duplicate"))
    return parse_wire (p, TL_STMT_DUPLICATE, stmt);
  if (is_word (first, "flood"))
    return parse_flood (p, stmt);
  if (split_localized (p, first, "say", &locale, &ok))
    {
      const Word *w;

      stmt->kind = TL_STMT_SAY;
      stmt->u.say.locale = locale;
      if (!ok)
        return FALSE;
      w = need (p, "a quoted text");
      return w != NULL && parse_string (p, w, first->text, &stmt->u.say.text);
    }
  if (split_localized (p, first, "pause", &locale, &ok))
    {
      const Word *w;

      stmt->kind = TL_STMT_PAUSE;
      stmt->u.pause.locale = locale;
      if (!ok)
        return FALSE;
      if (locale == NULL)
        {
          w = take (p);
          return w == NULL || parse_string (p, w, first->text, &stmt->u.pause.question);
        }
      if (!check_pause_translation (p, first, stmt->time_us, locale))
        return FALSE;
      w = need (p, "a quoted question");
      return w != NULL && parse_string (p, w, first->text, &stmt->u.pause.question);
    }
  if (is_word (first, "end"))
    {
      stmt->kind = TL_STMT_END;
      return TRUE;
    }
  if (is_word (first, "expect"))
    return parse_expect (p, stmt);
  if (is_setup_keyword (first))
    {
      add_problem (p, first->column, "put setup lines before the first timed line",
                   "'%s' is a setup line and takes no time", first->text);
      return FALSE;
    }

  /* HOST or CONN: a host name, or a mistake in a keyword or a host name. */
  {
    const Word *verb = peek (p);
    const char *hash = strchr (first->text, '#');
    g_autofree char *name = g_strndup (first->text, hash != NULL ? (gsize) (hash - first->text)
                                                                 : strlen (first->text));

    if (!first->quoted && tl_scenario_host_by_name (p->scenario, name) >= 0)
      return parse_action (p, first, stmt);
    if (verb == NULL || (!find_verb (verb->text, host_verbs, G_N_ELEMENTS (host_verbs))
                         && !find_verb (verb->text, conn_verbs, G_N_ELEMENTS (conn_verbs))))
      {
        g_autofree char *hint = nearest_hint (first->text, timed_keywords,
                                              G_N_ELEMENTS (timed_keywords));

        if (hint == NULL && p->n_hosts == 2)
          {
            const char *names[2] = { p->scenario->hosts[0].name, p->scenario->hosts[1].name };

            hint = nearest_hint (name, names, 2);
          }
        add_problem (p, first->column, hint, "unknown statement '%s'", first->text);
        return FALSE;
      }
    return parse_action (p, first, stmt);
  }
}

static void
parse_timed_line (Parser     *p,
                  const Word *time_word)
{
  const Word *first;
  TlStmt stmt = { 0 };
  gboolean relative = time_word->text[0] == '+';
  gint64 us;

  if (!parse_duration_text (p, time_word->text + relative, time_word->column + relative,
                            "time", TL_SIM_MAX_TIME_US, &us))
    return;
  if (relative)
    {
      us += p->last_time_us;
      if (us > TL_SIM_MAX_TIME_US)
        {
          add_limit (p, time_word->column, NULL, "time %s after the previous line is beyond "
                     "the limit of 1 hour", time_word->text + 1);
          return;
        }
    }
  else if (us < p->last_time_us)
    {
      g_autofree char *prev = tl_duration_to_string (p->last_time_us);

      add_problem (p, time_word->column, "lines come in the order of their times",
                   "time %s goes back before %s", time_word->text, prev);
      return;
    }
  p->last_time_us = us;
  if (p->end_seen && us > p->end_us)
    {
      g_autofree char *end = tl_duration_to_string (p->end_us);

      add_problem (p, time_word->column, NULL, "this line is after the 'end' at %s "
                   "(line %u) and would never happen", end, p->end_line);
      return;
    }
  first = need (p, "a statement");
  if (first == NULL)
    return;
  stmt.time_us = us;
  stmt.line = p->line->number;
  stmt.column = first->column;
  if (!parse_statement (p, first, &stmt) || !expect_line_end (p))
    {
      tl_stmt_clear (&stmt);
      return;
    }
  if (stmt.kind == TL_STMT_END)
    {
      if (p->end_seen)
        {
          add_problem (p, first->column, NULL, "a second 'end' (the first is on line %u)",
                       p->end_line);
          return;
        }
      p->end_seen = TRUE;
      p->end_us = us;
      p->end_line = p->line->number;
      p->scenario->end_us = us;
    }
  if (p->scenario->stmts->len >= TL_LESSON_MAX_STATEMENTS)
    {
      add_limit (p, time_word->column, NULL, "more than %d statements",
                 TL_LESSON_MAX_STATEMENTS);
      tl_stmt_clear (&stmt);
      p->stopped = TRUE;
      return;
    }
  g_array_append_val (p->scenario->stmts, stmt);
}

static gboolean
is_timed (const Line *line)
{
  const Word *w;

  if (line->words->len == 0)
    return FALSE;
  w = &g_array_index (line->words, Word, 0);
  return !w->quoted && (g_ascii_isdigit (w->text[0]) || w->text[0] == '+' || w->text[0] == '.');
}

/* A control character other than tab, or a byte order mark (U+FEFF) after
 * the start of the file: invisible in an editor, so never part of a word. */
static const char *
find_control (const char *text,
              gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (((guchar) text[i] < 0x20 && text[i] != '\t') || text[i] == 0x7F
        || (i + 2 < len && memcmp (text + i, "\xEF\xBB\xBF", 3) == 0))
      return text + i;
  return NULL;
}

static void
report_control (Parser     *p,
                const char *line,
                const char *bad)
{
  guint column = count_chars (line, bad) + 1;

  if (*bad == '\r')
    add_problem (p, column, "save the file with LF (Unix) or CRLF (Windows) line ends",
                 "a carriage return (CR) inside a line");
  else if (*bad == '\xEF')
    add_problem (p, column, "delete it: it comes from joining files that each began with one",
                 "an invisible byte order mark (U+FEFF) inside the file");
  else
    add_problem (p, column, "delete it: most editors do not show it",
                 "an invisible control character (0x%02X)", (guchar) *bad);
}

/* Splits the text into lines and words; lines too long or not UTF-8 become problems. */
static GPtrArray *
lex (Parser     *p,
     const char *text,
     gsize       length)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (line_free);
  const char *s = text, *end = text + length;
  guint number = 0;

  /* A byte order mark some editors write. */
  if (length >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0)
    s += 3;
  /* Notepad's "Unicode": every other byte a NUL; one problem, not one a line. */
  else if (length >= 2 && (memcmp (text, "\xFF\xFE", 2) == 0 || memcmp (text, "\xFE\xFF", 2) == 0))
    {
      Line first = { 1, NULL };

      p->line = &first;
      add_problem (p, 1, "save the file as UTF-8", "the file is in UTF-16, not UTF-8");
      p->stopped = TRUE;
    }
  while (s < end && !p->stopped)
    {
      const char *nl = memchr (s, '\n', end - s);
      const char *line_end = nl != NULL ? nl : end;
      gsize len = line_end - s;
      const char *bad;
      Line *line = g_new0 (Line, 1);
      Line probe = { ++number, NULL };

      line->number = number;
      line->words = g_array_new (FALSE, TRUE, sizeof (Word));
      g_array_set_clear_func (line->words, word_clear);
      p->line = &probe;
      if (len > 0 && s[len - 1] == '\r')
        len--;
      if (len > TL_LESSON_MAX_LINE)
        add_limit (p, 1, NULL, "line is %" G_GSIZE_FORMAT " bytes long; the limit is %d",
                   len, TL_LESSON_MAX_LINE);
      else if (!g_utf8_validate (s, len, &bad))
        add_problem (p, count_chars (s, bad) + 1, "save the file as UTF-8",
                     *bad == '\0' ? "a NUL byte" : "invalid UTF-8 (byte 0x%02X)",
                     (guchar) *bad);
      else if ((bad = find_control (s, len)) != NULL)
        report_control (p, s, bad);
      else
        lex_line (p, s, len, line->words);
      g_ptr_array_add (lines, line);
      s = nl != NULL ? nl + 1 : end;
    }
  return lines;
}

static void
parse_lines (Parser    *p,
             GPtrArray *lines)
{
  guint first_timed = lines->len;

  /* First pass: the hosts, so that names are known wherever they are used. */
  for (guint i = 0; i < lines->len && !p->stopped; i++)
    {
      const Line *line = g_ptr_array_index (lines, i);

      if (is_timed (line))
        {
          first_timed = i;
          break;
        }
      p->line = line;
      p->pos = 0;
      if (line->words->len > 0 && is_word (peek (p), "host"))
        parse_host_line (p, take (p));
    }
  if (p->n_hosts < 2 && !p->stopped)
    {
      Line at = { first_timed < lines->len
                  ? ((const Line *) g_ptr_array_index (lines, first_timed))->number
                  : lines->len + 1, NULL };

      p->line = &at;
      add_problem (p, 1, "e.g. host client 10.0.0.1 and host server 10.0.0.2",
                   "a lesson declares two hosts before its first timed line; found %u",
                   p->n_hosts);
    }

  for (guint i = 0; i < lines->len && !p->stopped; i++)
    {
      const Line *line = g_ptr_array_index (lines, i);
      const Word *first;

      p->line = line;
      p->pos = 0;
      first = take (p);
      if (first == NULL)
        continue;
      if (is_timed (line))
        {
          p->timed_seen = TRUE;
          parse_timed_line (p, first);
        }
      else if (p->timed_seen)
        {
          if (is_word (first, "link") || is_word (first, "set"))
            add_problem (p, first->column, "write the time in front, e.g. +0ms",
                         "'%s' after the first timed line needs a time", first->text);
          else if (!is_setup_keyword (first))
            add_problem (p, first->column, "write the time in front, e.g. 10ms or +50ms",
                         "expected a time at the start of the line, got '%s'", first->text);
          else
            add_problem (p, first->column, "put setup lines before the first timed line",
                         "setup line '%s' after the first timed line", first->text);
        }
      else
        parse_setup_line (p, first);
    }
}

static int
compare_problems (gconstpointer a,
                  gconstpointer b)
{
  const TlLessonProblem *pa = *(TlLessonProblem *const *) a;
  const TlLessonProblem *pb = *(TlLessonProblem *const *) b;

  if (pa->line != pb->line)
    return pa->line < pb->line ? -1 : 1;
  return pa->column < pb->column ? -1 : pa->column > pb->column;
}

/* The lines are cut into words first and read next, so their problems come
 * in two runs; an instructor reads them in the order of the file.  (A stable
 * sort; "more than N mistakes" stays last.) */
static void
sort_problems (Parser *p)
{
  TlLessonProblem *too_many = NULL;

  if (p->too_many)
    too_many = g_ptr_array_steal_index (p->problems, p->problems->len - 1);
  g_ptr_array_sort (p->problems, compare_problems);
  if (too_many != NULL)
    g_ptr_array_add (p->problems, too_many);
}

static void
build_error (Parser  *p,
             GError **error)
{
  GString *message = g_string_new (NULL);

  for (guint i = 0; i < p->problems->len; i++)
    {
      const TlLessonProblem *problem = g_ptr_array_index (p->problems, i);

      if (i > 0)
        g_string_append_c (message, '\n');
      g_string_append_printf (message, "%s:%u:%u: error: %s", display_name (p->filename),
                              problem->line, problem->column, problem->message);
      if (problem->hint != NULL)
        g_string_append_printf (message, " (%s)", problem->hint);
    }
  g_set_error_literal (error, TL_LESSON_ERROR,
                       p->limit ? TL_LESSON_ERROR_LIMIT : TL_LESSON_ERROR_SYNTAX, message->str);
  g_string_free (message, TRUE);
}

static TlScenario *
fail_with_problem (const char  *filename,
                   guint        code,
                   char        *message,
                   GPtrArray  **problems,
                   GError     **error)
{
  TlLessonProblem *problem = g_new0 (TlLessonProblem, 1);

  problem->line = 1;
  problem->column = 1;
  problem->message = message;
  g_set_error (error, TL_LESSON_ERROR, code, "%s:1:1: error: %s", display_name (filename),
               message);
  if (problems != NULL)
    {
      *problems = g_ptr_array_new_with_free_func ((GDestroyNotify) tl_lesson_problem_free);
      g_ptr_array_add (*problems, problem);
    }
  else
    tl_lesson_problem_free (problem);
  return NULL;
}

TlScenario *
tl_lesson_parse (const char  *text,
                 gssize       length,
                 const char  *filename,
                 GPtrArray  **problems,
                 GError     **error)
{
  Parser p = { 0 };
  g_autoptr(GPtrArray) lines = NULL;
  gsize len;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (problems != NULL)
    *problems = NULL;
  len = length < 0 ? strlen (text) : (gsize) length;
  if (len > TL_LESSON_MAX_BYTES)
    return fail_with_problem (filename, TL_LESSON_ERROR_LIMIT,
                              g_strdup_printf ("the file is %" G_GSIZE_FORMAT " bytes; a lesson "
                                               "may have at most %d", len, TL_LESSON_MAX_BYTES),
                              problems, error);

  p.filename = filename;
  p.problems = g_ptr_array_new_with_free_func ((GDestroyNotify) tl_lesson_problem_free);
  p.scenario = tl_scenario_new ();
  p.scenario->filename = g_strdup (filename);
  lines = lex (&p, text, len);
  parse_lines (&p, lines);

  if (p.problems->len > 0)
    {
      sort_problems (&p);
      build_error (&p, error);
      tl_scenario_free (p.scenario);
      if (problems != NULL)
        *problems = p.problems;
      else
        g_ptr_array_unref (p.problems);
      return NULL;
    }
  g_ptr_array_unref (p.problems);
  return p.scenario;
}

TlScenario *
tl_lesson_parse_file (const char  *path,
                      GPtrArray  **problems,
                      GError     **error)
{
  g_autofree char *text = NULL;
  FILE *file;
  gsize len;
  int saved_errno;

  g_return_val_if_fail (path != NULL, NULL);

  if (problems != NULL)
    *problems = NULL;
  /* Read at most one byte more than the limit, so a huge file costs no memory. */
  file = fopen (path, "rb");
  if (file == NULL)
    {
      saved_errno = errno;
      g_set_error (error, TL_LESSON_ERROR, TL_LESSON_ERROR_IO, "%s: error: cannot read: %s",
                   path, g_strerror (saved_errno));
      return NULL;
    }
  text = g_malloc (TL_LESSON_MAX_BYTES + 2);
  len = fread (text, 1, TL_LESSON_MAX_BYTES + 1, file);
  saved_errno = errno;
  if (ferror (file))
    {
      fclose (file);
      g_set_error (error, TL_LESSON_ERROR, TL_LESSON_ERROR_IO, "%s: error: cannot read: %s",
                   path, g_strerror (saved_errno));
      return NULL;
    }
  fclose (file);
  if (len > TL_LESSON_MAX_BYTES)
    return fail_with_problem (path, TL_LESSON_ERROR_LIMIT,
                              g_strdup_printf ("the file is more than %d bytes, the limit "
                                               "of a lesson", TL_LESSON_MAX_BYTES),
                              problems, error);
  text[len] = '\0';
  return tl_lesson_parse (text, len, path, problems, error);
}
