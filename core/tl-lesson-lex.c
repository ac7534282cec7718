/* tl-lesson-lex.c: the lesson reader's first step, text to lines of words.
 *
 * Lines are cut at LF (or CRLF), checked for UTF-8 and invisible characters,
 * and cut into words (strings with their escapes, comments dropped) while the
 * column is counted in characters; the word helpers walk a line for the
 * statement readers.
 */
#include "tl-lesson-private.h"

#include <string.h>

/* Words */

const TlLessonWord *
tl_lesson_lex_peek (TlLessonParser *p)
{
  if (p->pos >= p->line->words->len)
    return NULL;
  return &g_array_index (p->line->words, TlLessonWord, p->pos);
}

const TlLessonWord *
tl_lesson_lex_take (TlLessonParser *p)
{
  const TlLessonWord *w = tl_lesson_lex_peek (p);

  if (w != NULL)
    p->pos++;
  return w;
}

/* The column where a missing word would stand: one space after the last. */
static guint
end_column (TlLessonParser *p)
{
  const TlLessonWord *last;

  if (p->line->words->len == 0)
    return 1;
  last = &g_array_index (p->line->words, TlLessonWord, p->line->words->len - 1);
  return last->column + last->n_chars + 1;
}

gboolean
tl_lesson_lex_is_word (const TlLessonWord *w,
                       const char         *keyword)
{
  return w != NULL && !w->quoted && g_ascii_strcasecmp (w->text, keyword) == 0;
}

/* Takes the next word, or reports "expected WHAT after 'PREV'". */
const TlLessonWord *
tl_lesson_lex_need (TlLessonParser *p,
                    const char     *what)
{
  const TlLessonWord *w = tl_lesson_lex_take (p);

  if (w == NULL)
    {
      const TlLessonWord *prev = &g_array_index (p->line->words, TlLessonWord, p->pos - 1);

      tl_lesson_add_problem (p, end_column (p), NULL, "expected %s after '%s'", what, prev->text);
    }
  return w;
}

gboolean
tl_lesson_lex_expect_line_end (TlLessonParser *p)
{
  const TlLessonWord *w = tl_lesson_lex_peek (p);

  if (w == NULL)
    return TRUE;
  tl_lesson_add_problem (p, w->column, NULL, "unexpected '%s' at the end of the statement", w->text);
  return FALSE;
}

static void
word_clear (gpointer data)
{
  g_free (((TlLessonWord *) data)->text);
}

static void
line_free (gpointer data)
{
  TlLessonLine *line = data;

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
lex_line (TlLessonParser *p,
          const char     *text,
          gsize           len,
          GArray         *words)
{
  const char *s = text, *end = text + len;
  guint column = 1;

  while (s < end)
    {
      TlLessonWord word = { 0 };
      const char *start;

      if (*s == ' ' || *s == '\t')
        {
          s++;
          column++;
          continue;
        }
      /* A no-break space (an editor's Option+Space) looks like a space and
       * is not one: named, then taken as a space, so nothing else is said. */
      if (s + 1 < end && (guchar) s[0] == 0xC2 && (guchar) s[1] == 0xA0)
        {
          tl_lesson_add_problem (p, column, N_("type a plain space instead"),
                                 "a no-break space (U+00A0) between words");
          s += 2;
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

                      tl_lesson_add_problem (p, column + count_chars (start, s), N_("write \\\" \\\\ or \\n"),
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
              tl_lesson_add_problem (p, column, N_("close the string with '\"'"), "unterminated string");
              g_string_free (str, TRUE);
              g_array_set_size (words, 0);
              return;
            }
          s++;
          if (s < end && *s != ' ' && *s != '\t')
            {
              tl_lesson_add_problem (p, column + count_chars (start, s), NULL,
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
          while (s < end && *s != ' ' && *s != '\t'
                 && !(s + 1 < end && (guchar) s[0] == 0xC2 && (guchar) s[1] == 0xA0))
            s++;
          word.text = g_strndup (start, s - start);
        }
      word.n_chars = count_chars (start, s);
      column += word.n_chars;
      g_array_append_val (words, word);
    }
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
report_control (TlLessonParser *p,
                const char     *line,
                const char     *bad)
{
  guint column = count_chars (line, bad) + 1;

  if (*bad == '\r')
    tl_lesson_add_problem (p, column, N_("save the file with LF (Unix) or CRLF (Windows) line ends"),
                           "a carriage return (CR) inside a line");
  else if (*bad == '\xEF')
    tl_lesson_add_problem (p, column, N_("delete it: it comes from joining files that each began with one"),
                           "an invisible byte order mark (U+FEFF) inside the file");
  else
    tl_lesson_add_problem (p, column, N_("delete it: most editors do not show it"),
                           "an invisible control character (0x%02X)", (guchar) *bad);
}

/* Splits the text into lines and words; lines too long or not UTF-8 become problems. */
GPtrArray *
tl_lesson_lex (TlLessonParser *p,
               const char     *text,
               gsize           length)
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
      TlLessonLine first = { 1, NULL };

      p->line = &first;
      tl_lesson_add_problem (p, 1, N_("save the file as UTF-8"), "the file is in UTF-16, not UTF-8");
      p->stopped = TRUE;
    }
  while (s < end && !p->stopped)
    {
      const char *nl = memchr (s, '\n', end - s);
      const char *line_end = nl != NULL ? nl : end;
      gsize len = line_end - s;
      const char *bad;
      TlLessonLine *line = g_new0 (TlLessonLine, 1);
      TlLessonLine probe = { ++number, NULL };

      line->number = number;
      line->words = g_array_new (FALSE, TRUE, sizeof (TlLessonWord));
      g_array_set_clear_func (line->words, word_clear);
      p->line = &probe;
      if (len > 0 && s[len - 1] == '\r')
        len--;
      if (len > TL_LESSON_MAX_LINE)
        tl_lesson_add_limit (p, 1, NULL, "line is %llu bytes long; the limit is %d",
                             (unsigned long long) len, TL_LESSON_MAX_LINE);
      else if (!g_utf8_validate (s, len, &bad))
        tl_lesson_add_problem (p, count_chars (s, bad) + 1, N_("save the file as UTF-8"),
                               *bad == '\0' ? N_("a NUL byte") : N_("invalid UTF-8 (byte 0x%02X)"),
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
