/* tl-lesson-values.c: the lesson reader's values, one word each: numbers,
 * durations, percentages, addresses, hosts and connections, directions,
 * flags, states, comparisons, texts, locales and settings, and the "did you
 * mean" hints for a word that is nearly right.
 */
#include "tl-lesson-private.h"

#include <string.h>

/* Settings durations (keepalive_idle is 2 hours by default) may exceed a lesson's hour. */
#define MAX_SETTING_US (G_GINT64_CONSTANT (24) * 3600 * TL_USEC_PER_SEC)

/* Words a host may not be called, so that no line reads two ways. */
static const char *const reserved_names[] = {
  "title", "summary", "seed", "host", "link", "set", "drop", "lose", "duplicate", "hold",
  "flood", "say", "pause", "end", "expect", "segments", "all", "next", "count", "rate",
  "repeat", "every",
  "from", "choice", "explain",
};

/* Optimal string alignment distance (a transposition is one edit), ASCII case ignored. */
guint
tl_lesson_value_edit_distance (const char *a,
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
char *
tl_lesson_value_nearest_hint (const char        *word,
                              const char *const *candidates,
                              guint              n_candidates)
{
  const char *best = NULL;
  guint best_distance = G_MAXUINT;

  for (guint i = 0; i < n_candidates; i++)
    {
      guint d = tl_lesson_value_edit_distance (word, candidates[i]);
      guint allowed = CLAMP (strlen (candidates[i]) / 3, 1, 3);

      if (d <= allowed && d < best_distance)
        {
          best = candidates[i];
          best_distance = d;
        }
    }
  return best != NULL ? tl_lesson_hint (N_("did you mean %s?"), best) : NULL;
}

/* Values */

/* A value, name or keyword is written without quotes: "80" is a text, not a port. */
gboolean
tl_lesson_value_unquoted (TlLessonParser     *p,
                          const TlLessonWord *w,
                          const char         *what)
{
  if (!w->quoted)
    return TRUE;
  tl_lesson_add_problem (p, w->column, N_("write it without the quotes"), "expected %s, got the text \"%s\"",
                         what, w->text);
  return FALSE;
}

/* A decimal integer in [min, max]; what names the value in messages. */
gboolean
tl_lesson_value_uint (TlLessonParser     *p,
                      const TlLessonWord *w,
                      const char         *what,
                      guint64             min,
                      guint64             max,
                      guint64            *out)
{
  guint64 value = 0;
  gboolean digits;

  if (!tl_lesson_value_unquoted (p, w, what))
    return FALSE;
  digits = w->text[0] != '\0' && strspn (w->text, "0123456789") == strlen (w->text);
  if (!digits)
    {
      tl_lesson_add_problem (p, w->column, NULL, "expected %s (a whole number), got '%s'", what, w->text);
      return FALSE;
    }
  /* Only digits, so a failure is a number beyond 64 bits: out of range. */
  if (!g_ascii_string_to_unsigned (w->text, 10, 0, G_MAXUINT64, &value, NULL)
      || value < min || value > max)
    {
      tl_lesson_add_problem (p, w->column, NULL, "%s %s is out of range (%llu to %llu)", what, w->text,
                             (unsigned long long) min, (unsigned long long) max);
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

gboolean
tl_lesson_value_duration_text (TlLessonParser *p,
                               const char     *text,
                               guint           column,
                               const char     *what,
                               gint64          max_us,
                               gint64         *out)
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
            tl_lesson_add_problem (p, column, NULL, "%s '%s' is finer than a microsecond", what, text);
          else if (num_len > 12)
            tl_lesson_add_limit (p, column, NULL, "%s '%s' is too large", what, text);
          else
            tl_lesson_add_problem (p, column, N_("write a number and a unit, e.g. 250ms or 1.5s"),
                                   "bad %s '%s'", what, text);
          return FALSE;
        }
      if (us > max_us)
        {
          g_autofree char *max = tl_duration_to_string (max_us);

          tl_lesson_add_limit (p, column, NULL, "%s '%s' is beyond the limit of %s", what, text, max);
          return FALSE;
        }
      *out = us;
      return TRUE;
    }
  if (num_len == strlen (text) && num_len > 0)
    tl_lesson_add_problem (p, column, N_("the units are us, ms, s and min"),
                           "%s '%s' needs a unit", what, text);
  else if (num_len > 0 && g_ascii_isdigit (text[0]) && g_ascii_isalpha (text[num_len]))
    tl_lesson_add_problem (p, column, N_("the units are us, ms, s and min"),
                           "unknown unit '%s' in %s '%s'", text + num_len, what, text);
  else
    tl_lesson_add_problem (p, column, N_("write a number and a unit, e.g. 250ms or 1.5s"),
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

gboolean
tl_lesson_value_duration (TlLessonParser     *p,
                          const TlLessonWord *w,
                          const char         *what,
                          gint64              max_us,
                          gint64             *out)
{
  if (!tl_lesson_value_unquoted (p, w, what))
    return FALSE;
  return tl_lesson_value_duration_text (p, w->text, w->column, what, max_us, out);
}

/* "5%", "0.5%": parts per million, at most 100%. */
gboolean
tl_lesson_value_percent (TlLessonParser     *p,
                         const TlLessonWord *w,
                         const char         *what,
                         guint32            *ppm)
{
  gsize len = strlen (w->text);
  gint64 value;
  gboolean too_fine;

  if (!tl_lesson_value_unquoted (p, w, what))
    return FALSE;
  if (len < 2 || w->text[len - 1] != '%'
      || !parse_fixed (w->text, len - 1, 4, 10000, &value, &too_fine))
    {
      if (len >= 2 && w->text[len - 1] == '%')
        parse_fixed (w->text, len - 1, 4, 10000, &value, &too_fine);
      else
        too_fine = FALSE;
      if (too_fine)
        tl_lesson_add_problem (p, w->column, NULL, "%s '%s' is finer than 0.0001%%", what, w->text);
      else
        tl_lesson_add_problem (p, w->column, N_("write a percentage, e.g. 5%% or 0.5%%"),
                               "expected %s as a percentage, got '%s'", what, w->text);
      return FALSE;
    }
  if (value > 1000000)
    {
      tl_lesson_add_problem (p, w->column, NULL, "%s '%s' is more than 100%%", what, w->text);
      return FALSE;
    }
  *ppm = value;
  return TRUE;
}

/* A dotted IPv4 address, host byte order. */
gboolean
tl_lesson_value_ipv4 (const char *text,
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
hosts_hint (TlLessonParser *p)
{
  if (p->n_hosts == 2)
    return tl_lesson_hint (N_("the hosts are %s and %s"), p->scenario->hosts[0].name,
                           p->scenario->hosts[1].name);
  return g_strdup (N_("declare two hosts with 'host NAME ADDRESS' lines"));
}

static gboolean
host_of_text (TlLessonParser *p,
              const char     *name,
              guint           column,
              guint          *host)
{
  for (guint i = 0; i < p->n_hosts; i++)
    if (strcmp (p->scenario->hosts[i].name, name) == 0)
      {
        *host = i;
        return TRUE;
      }
  {
    g_autofree char *hint = hosts_hint (p);

    tl_lesson_add_problem (p, column, hint, "unknown host '%s'", name);
  }
  return FALSE;
}

gboolean
tl_lesson_value_host (TlLessonParser     *p,
                      const TlLessonWord *w,
                      guint              *host)
{
  return tl_lesson_value_unquoted (p, w, TL_PHRASE ("a host"))
         && host_of_text (p, w->text, w->column, host);
}

/* HOST or HOST#N. */
gboolean
tl_lesson_value_conn (TlLessonParser     *p,
                      const TlLessonWord *w,
                      TlConnRef          *conn)
{
  const char *hash = strchr (w->text, '#');
  g_autofree char *name = g_strndup (w->text, hash != NULL ? (gsize) (hash - w->text)
                                                           : strlen (w->text));
  guint64 ordinal = 0;

  if (!tl_lesson_value_unquoted (p, w, TL_PHRASE ("a host"))
      || !host_of_text (p, name, w->column, &conn->host))
    return FALSE;
  /* HOST#i, HOST#i+K: the connection of each repetition of a `repeat` */
  if (hash != NULL && hash[1] == 'i' && (hash[2] == '\0' || hash[2] == '+'))
    {
      guint64 offset = 0;

      if (!p->in_repeat)
        {
          tl_lesson_add_problem (p, w->column + g_utf8_strlen (name, -1) + 1,
                                 N_("#i counts the repetitions of a line that starts with 'repeat N every D'"),
                                 "'%s' outside a repeat", w->text);
          return FALSE;
        }
      if (hash[2] == '+'
          && (!g_ascii_isdigit (hash[3])
              || !g_ascii_string_to_unsigned (hash + 3, 10, 0, TL_LESSON_MAX_COUNT, &offset, NULL)))
        {
          tl_lesson_add_problem (p, w->column + g_utf8_strlen (name, -1) + 3,
                                 N_("e.g. client#i+10: the 11th connection in the first repetition"),
                                 "bad connection number in '%s'", w->text);
          return FALSE;
        }
      conn->ordinal = 1 + offset;
      p->conn_per_repeat = TRUE;
      return TRUE;
    }
  if (hash != NULL
      && (!g_ascii_isdigit (hash[1])
          || !g_ascii_string_to_unsigned (hash + 1, 10, 1, TL_LESSON_MAX_COUNT, &ordinal, NULL)))
    {
      tl_lesson_add_problem (p, w->column + g_utf8_strlen (name, -1) + 1,
                             N_("connections are counted from 1: client#1, client#2, ..."),
                             "bad connection number in '%s'", w->text);
      return FALSE;
    }
  conn->ordinal = ordinal;
  return TRUE;
}

/* HOST:PORT */
gboolean
tl_lesson_value_host_port (TlLessonParser     *p,
                           const TlLessonWord *w,
                           guint              *host,
                           guint16            *port)
{
  const char *colon = strrchr (w->text, ':');
  g_autofree char *name = NULL;
  guint64 value;

  if (!tl_lesson_value_unquoted (p, w, "HOST:PORT"))
    return FALSE;
  if (colon == NULL || colon == w->text)
    {
      tl_lesson_add_problem (p, w->column, N_("write HOST:PORT, e.g. server:80"),
                             "expected HOST:PORT, got '%s'", w->text);
      return FALSE;
    }
  name = g_strndup (w->text, colon - w->text);
  if (!host_of_text (p, name, w->column, host))
    return FALSE;
  if (colon[1] == '\0')
    {
      tl_lesson_add_problem (p, w->column + g_utf8_strlen (name, -1) + 1, N_("write HOST:PORT, e.g. server:80"),
                             "expected a port after '%s'", w->text);
      return FALSE;
    }
  if (!g_ascii_isdigit (colon[1])
      || !g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &value, NULL))
    {
      tl_lesson_add_problem (p, w->column + g_utf8_strlen (name, -1) + 1, NULL,
                             "bad port '%s' (1 to 65535)", colon + 1);
      return FALSE;
    }
  *port = value;
  return TRUE;
}

gboolean
tl_lesson_value_port (TlLessonParser     *p,
                      const TlLessonWord *w,
                      guint16            *port)
{
  guint64 value;

  if (!tl_lesson_value_uint (p, w, TL_PHRASE ("port"), 1, 65535, &value))
    return FALSE;
  *port = value;
  return TRUE;
}

/* A->B: 0 when A is host 0. */
gboolean
tl_lesson_value_dir (TlLessonParser     *p,
                     const TlLessonWord *w,
                     int                *dir)
{
  const char *arrow = w->quoted ? NULL : strstr (w->text, "->");
  g_autofree char *from = NULL;
  guint a, b;

  if (!tl_lesson_value_unquoted (p, w, TL_PHRASE ("a direction")))
    return FALSE;
  /* "->server", "client->": a host is missing on one side. */
  if (arrow == NULL || arrow == w->text || arrow[2] == '\0')
    {
      g_autofree char *hint = NULL;

      if (p->n_hosts == 2)
        hint = tl_lesson_hint (N_("write a direction as %s->%s"), p->scenario->hosts[0].name,
                               p->scenario->hosts[1].name);
      tl_lesson_add_problem (p, w->column, hint, "expected a direction A->B, got '%s'", w->text);
      return FALSE;
    }
  from = g_strndup (w->text, arrow - w->text);
  if (!host_of_text (p, from, w->column, &a)
      || !host_of_text (p, arrow + 2, w->column + g_utf8_strlen (from, -1) + 2, &b))
    return FALSE;
  if (a == b)
    {
      tl_lesson_add_problem (p, w->column, NULL, "a direction goes from one host to the other, "
                             "not '%s'", w->text);
      return FALSE;
    }
  *dir = a;
  return TRUE;
}

/* A flag set or `any`. */
gboolean
tl_lesson_value_flags (TlLessonParser     *p,
                       const TlLessonWord *w,
                       guint8             *flags,
                       gboolean           *any)
{
  if (tl_lesson_lex_is_word (w, "any"))
    {
      *flags = 0;
      *any = TRUE;
      return TRUE;
    }
  if (!tl_lesson_value_unquoted (p, w, TL_PHRASE ("flags")))
    return FALSE;
  if (!tl_flags_from_string (w->text, flags))
    {
      tl_lesson_add_problem (p, w->column, N_("flags are SYN, FIN, RST, PSH and ACK joined by commas "
                             "(SYN,ACK), or any"), "bad flags '%s'", w->text);
      return FALSE;
    }
  *any = FALSE;
  return TRUE;
}

gboolean
tl_lesson_value_state (TlLessonParser     *p,
                       const TlLessonWord *w,
                       TlState            *state)
{
  const char *names[TL_N_STATES];
  g_autofree char *hint = NULL;

  if (!tl_lesson_value_unquoted (p, w, TL_PHRASE ("a state")))
    return FALSE;
  if (tl_state_from_name (w->text, state))
    return TRUE;
  for (guint i = 0; i < TL_N_STATES; i++)
    names[i] = tl_state_name (i);
  hint = tl_lesson_value_nearest_hint (w->text, names, TL_N_STATES);
  if (hint == NULL)
    hint = g_strdup (N_("the states are CLOSED, LISTEN, SYN_SENT, SYN_RCVD, ESTABLISHED, "
                        "FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT"));
  tl_lesson_add_problem (p, w->column, hint, "unknown state '%s'", w->text);
  return FALSE;
}

gboolean
tl_lesson_value_cmp (TlLessonParser     *p,
                     const TlLessonWord *w,
                     TlCmp              *cmp)
{
  if (!tl_lesson_value_unquoted (p, w, TL_PHRASE ("a comparison")))
    return FALSE;
  if (g_strcmp0 (w->text, "=") == 0 && !w->quoted)
    *cmp = TL_CMP_EQ;
  else if (g_strcmp0 (w->text, ">=") == 0 && !w->quoted)
    *cmp = TL_CMP_GE;
  else if (g_strcmp0 (w->text, "<=") == 0 && !w->quoted)
    *cmp = TL_CMP_LE;
  else
    {
      tl_lesson_add_problem (p, w->column, N_("compare with =, >= or <="),
                             "expected a comparison, got '%s'", w->text);
      return FALSE;
    }
  return TRUE;
}

gboolean
tl_lesson_value_string (TlLessonParser      *p,
                        const TlLessonWord  *w,
                        const char          *after,
                        char               **out)
{
  if (!w->quoted)
    {
      tl_lesson_add_problem (p, w->column, N_("put the text in double quotes"),
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
gboolean
tl_lesson_value_split_localized (TlLessonParser      *p,
                                 const TlLessonWord  *w,
                                 const char          *keyword,
                                 char               **locale,
                                 gboolean            *ok)
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
      tl_lesson_add_problem (p, w->column + klen + 1, N_("a locale looks like zh_CN or de"),
                             "bad locale '%s'", w->text + klen + 1);
      *ok = FALSE;
      return TRUE;
    }
  *locale = g_strdup (w->text + klen + 1);
  return TRUE;
}

/* Settings */

static gboolean
parse_choice (TlLessonParser     *p,
              const TlLessonWord *w,
              const char         *key,
              const char *const  *names,
              guint               n_names,
              gint64             *value)
{
  g_autofree char *choices = NULL;
  g_autofree char *hint = NULL;

  if (!tl_lesson_value_unquoted (p, w, key))
    return FALSE;
  for (guint i = 0; i < n_names; i++)
    if (tl_lesson_lex_is_word (w, names[i]))
      {
        *value = i;
        return TRUE;
      }
  choices = g_strjoinv (" or ", (char **) names);
  hint = tl_lesson_hint (N_("%s is %s"), key, choices);
  tl_lesson_add_problem (p, w->column, hint, "bad value '%s' for %s", w->text, key);
  return FALSE;
}

/* FIRST-LAST, two ports with first <= last (Linux's ip_local_port_range
 * takes "FIRST LAST"; one word here, as every value is). */
static gboolean
parse_port_range (TlLessonParser     *p,
                  const TlLessonWord *w,
                  const char         *key,
                  gint64             *value)
{
  const char *dash = w->quoted ? NULL : strchr (w->text, '-');
  g_autofree char *first_text = NULL;
  g_autofree char *hint = NULL;
  TlLessonWord first, last;
  guint64 a = 0, b = 0;

  if (dash != NULL && dash != w->text)
    {
      first_text = g_strndup (w->text, dash - w->text);
      first = (TlLessonWord) { first_text, w->column, (guint) (dash - w->text), FALSE };
      last = (TlLessonWord) { (char *) dash + 1, w->column + first.n_chars + 1,
                              w->n_chars - first.n_chars - 1, FALSE };
      if (!tl_lesson_value_uint (p, &first, TL_PHRASE ("port"), 1, 65535, &a)
          || !tl_lesson_value_uint (p, &last, TL_PHRASE ("port"), 1, 65535, &b))
        return FALSE;
      if (a <= b)
        {
          *value = (gint64) (a << 16 | b);
          return TRUE;
        }
    }
  hint = tl_lesson_hint (N_("%s is %s"), key, "FIRST-LAST (32768-60999)");
  tl_lesson_add_problem (p, w->column, hint, "bad value '%s' for %s", w->text, key);
  return FALSE;
}

gboolean
tl_lesson_value_setting (TlLessonParser     *p,
                         TlKey               key,
                         const TlLessonWord *w,
                         gint64             *value)
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
    case TL_KEY_SACK:
    case TL_KEY_TIMESTAMPS:
    case TL_KEY_WINDOW_SCALING:
    case TL_KEY_NODELAY:
    case TL_KEY_METRICS_SAVE:
    case TL_KEY_FRTO:
      return parse_choice (p, w, name, on_off, 2, value);
    case TL_KEY_ISN:
      if (tl_lesson_lex_is_word (w, "random"))
        {
          *value = -1;
          return TRUE;
        }
      if (!tl_lesson_value_uint (p, w, name, 0, G_MAXUINT32, &n))
        return FALSE;
      *value = n;
      return TRUE;
    case TL_KEY_BACKLOG:
    case TL_KEY_SYN_QUEUE:
      if (!tl_lesson_value_uint (p, w, name, 1, TL_LESSON_MAX_COUNT, &n))
        return FALSE;
      *value = n;
      return TRUE;
    case TL_KEY_SYN_RETRIES:
    case TL_KEY_SYNACK_RETRIES:
    case TL_KEY_RETRIES:
    case TL_KEY_KEEPALIVE_PROBES:
    case TL_KEY_SYN_LINEAR_TIMEOUTS:
    case TL_KEY_COMP_SACK_NR:
      if (!tl_lesson_value_uint (p, w, name, 0, 255, &n))
        return FALSE;
      *value = n;
      return TRUE;
    case TL_KEY_WINDOW:
      if (!tl_lesson_value_uint (p, w, name, 0, 65535, &n))
        return FALSE;
      *value = n;
      return TRUE;
    case TL_KEY_MSS:
      if (!tl_lesson_value_uint (p, w, name, 1, 65495, &n))
        return FALSE;
      *value = n;
      return TRUE;
    case TL_KEY_CHALLENGE_ACK_LIMIT:
      if (!tl_lesson_value_uint (p, w, name, 1, TL_CHALLENGE_ACK_UNLIMITED, &n))
        return FALSE;
      *value = n;
      return TRUE;
    case TL_KEY_INITCWND:
      /* Linux's route metric takes up to 1023 (RTAX_INITCWND); 0 is the
       * rfc profile's RFC 5681 formula */
      if (!tl_lesson_value_uint (p, w, name, 0, 1023, &n))
        return FALSE;
      *value = n;
      return TRUE;
    case TL_KEY_MSL:
    case TL_KEY_FIN_TIMEOUT:
    case TL_KEY_INVALID_RATELIMIT:
    case TL_KEY_COMP_SACK_DELAY:
      return tl_lesson_value_duration (p, w, name, MAX_SETTING_US, value);
    case TL_KEY_RTO_INITIAL:
    case TL_KEY_RTO_MIN:
    case TL_KEY_RTO_MAX:
    case TL_KEY_KEEPALIVE_IDLE:
    case TL_KEY_KEEPALIVE_INTERVAL:
      if (!tl_lesson_value_duration (p, w, name, MAX_SETTING_US, value))
        return FALSE;
      if (*value == 0)
        {
          tl_lesson_add_problem (p, w->column, NULL, "%s must be more than 0", name);
          return FALSE;
        }
      return TRUE;
    case TL_KEY_PORT_RANGE:
      return parse_port_range (p, w, name, value);
    case TL_N_KEYS:
      break;
    }
  g_assert_not_reached ();
}

gboolean
tl_lesson_value_valid_host_name (const char *name)
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
