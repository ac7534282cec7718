/* tl-lesson-problem.c: a lesson's problems as codes with arguments.
 *
 * core/ never translates (STYLE.md): a problem keeps the untranslated format
 * of its message and hint (the code, a msgid that xgettext extracts from the
 * reader's calls) and the values it was given, each as a string.  The front
 * ends format it through their gettext; with no translation the text is the
 * English one, the same that the problem's message and hint hold.
 *
 * Formats are printf's, so that the compiler checks every call; a
 * translation may reorder the values ("%2$s ... %1$s").  Values are turned
 * into strings once, here, in the order of the format.
 */
#include "tl-lesson-private.h"

#include <string.h>

/* Beyond this many problems the rest of the file is not worth reading. */
#define MAX_PROBLEMS 1000
/* Values in one message or hint; the reader's use at most four. */
#define MAX_ARGS 8

/* One conversion of a printf format, read at *s (just after its '%'). */
typedef struct
{
  guint    position;    /* n of "%n$...", 0 if none */
  gboolean star_width;
  gboolean star_precision;
  char     length[3];   /* "", "h", "hh", "l", "ll", "z", "j", "t", "L" */
  char     conversion;
  char     spec[32];    /* the conversion without its position, for printf */
} Conversion;

static const char *
read_conversion (const char *s,
                 Conversion *c)
{
  const char *start = s;
  gsize n = 0;

  memset (c, 0, sizeof *c);
  if (g_ascii_isdigit (*s))
    {
      const char *d = s;
      guint pos = 0;

      while (g_ascii_isdigit (*d))
        pos = pos * 10 + (guint) (*d++ - '0');
      if (*d == '$')
        {
          c->position = pos;
          s = start = d + 1;
        }
    }
  while (*s != '\0' && strchr ("-+ #0'", *s) != NULL)
    s++;
  if (*s == '*')
    c->star_width = TRUE, s++;
  while (g_ascii_isdigit (*s))
    s++;
  if (*s == '.')
    {
      s++;
      if (*s == '*')
        c->star_precision = TRUE, s++;
      while (g_ascii_isdigit (*s))
        s++;
    }
  while (*s != '\0' && strchr ("hlLqjzt", *s) != NULL && n < 2)
    c->length[n++] = *s++;
  c->conversion = *s;
  if (*s != '\0')
    s++;
  c->spec[0] = '%';
  memcpy (c->spec + 1, start, MIN ((gsize) (s - start), sizeof c->spec - 2));
  return s;
}

/* The values of format's conversions, each printed alone as the format
 * prints it ("%02X" of 7 is "07"), into args (NULL-terminated). */
static void
capture_args (const char  *format,
              va_list      ap,
              char       **args)
{
  guint n = 0;

  for (const char *s = format; *s != '\0' && n < MAX_ARGS; )
    {
      Conversion c;
      int width = 0, precision = 0;
      char *value;

      if (*s++ != '%')
        continue;
      if (*s == '%')
        {
          s++;
          continue;
        }
      s = read_conversion (s, &c);
      g_assert (c.position == 0);   /* the reader's formats are in order */
      if (c.star_width)
        width = va_arg (ap, int);
      if (c.star_precision)
        precision = va_arg (ap, int);
#define PRINT(type) \
      (c.star_width && c.star_precision ? g_strdup_printf (c.spec, width, precision, va_arg (ap, type)) \
       : c.star_width ? g_strdup_printf (c.spec, width, va_arg (ap, type)) \
       : c.star_precision ? g_strdup_printf (c.spec, precision, va_arg (ap, type)) \
       : g_strdup_printf (c.spec, va_arg (ap, type)))
      switch (c.conversion)
        {
        case 's':
          value = PRINT (const char *);
          break;
        case 'd': case 'i': case 'u': case 'x': case 'X': case 'o': case 'c':
          if (strcmp (c.length, "l") == 0)
            value = PRINT (long);
          else if (strcmp (c.length, "ll") == 0 || strcmp (c.length, "q") == 0
                   || strcmp (c.length, "j") == 0)
            value = PRINT (long long);
          else if (strcmp (c.length, "z") == 0 || strcmp (c.length, "t") == 0)
            value = PRINT (gssize);
          else
            value = PRINT (int);
          break;
        case 'f': case 'g': case 'e':
          value = PRINT (double);
          break;
        default:
          g_assert_not_reached ();
        }
#undef PRINT
      args[n++] = value;
    }
  args[n] = NULL;
}

/* format with its conversions replaced by args (in order, or by their
 * "%n$" positions), each phrase (TL_LESSON_PHRASE_MARK) through translate. */
static void
expand (GString         *out,
        const char      *format,
        char *const     *args,
        TlTranslateFunc  translate)
{
  guint n_args = args != NULL ? g_strv_length ((char **) args) : 0;
  guint next = 0;

  for (const char *s = format; *s != '\0'; )
    {
      Conversion c;
      guint index;
      const char *value;

      if (*s != '%')
        {
          g_string_append_c (out, *s++);
          continue;
        }
      s++;
      if (*s == '%')
        {
          g_string_append_c (out, *s++);
          continue;
        }
      s = read_conversion (s, &c);
      index = c.position > 0 ? c.position - 1 : next++;
      value = index < n_args ? args[index] : "";
      if (value[0] == TL_LESSON_PHRASE_MARK)
        value = translate != NULL ? translate (value + 1) : value + 1;
      g_string_append (out, value);
    }
}

static char *
expand_new (const char      *format,
            char *const     *args,
            TlTranslateFunc  translate)
{
  GString *out = g_string_new (NULL);

  expand (out, translate != NULL ? translate (format) : format, args, translate);
  return g_string_free (out, FALSE);
}

char *
tl_lesson_hint (const char *format,
                ...)
{
  char *args[MAX_ARGS + 1];
  g_autofree char *joined = NULL;
  va_list ap;

  va_start (ap, format);
  capture_args (format, ap, args);
  va_end (ap);
  joined = g_strjoinv ("\x1e", args);
  for (guint i = 0; args[i] != NULL; i++)
    g_free (args[i]);
  return args[0] != NULL || joined[0] != '\0' ? g_strconcat (format, "\x1e", joined, NULL)
                                               : g_strdup (format);
}

/* Puts a hint (a format, or one packed by tl_lesson_hint) in problem. */
static void
set_hint (TlLessonProblem *problem,
          const char      *hint)
{
  char **parts;

  if (hint == NULL)
    return;
  parts = g_strsplit (hint, "\x1e", -1);
  problem->hint_format = parts[0];
  problem->hint_args = g_new0 (char *, g_strv_length (parts));
  for (guint i = 1; parts[i] != NULL; i++)
    problem->hint_args[i - 1] = parts[i];
  g_free (parts);
  problem->hint = expand_new (problem->hint_format, problem->hint_args, NULL);
}

static TlLessonProblem *
problem_new (guint        line,
             guint        column,
             const char  *hint,
             const char  *format,
             va_list      ap)
{
  TlLessonProblem *problem = g_new0 (TlLessonProblem, 1);

  problem->line = line;
  problem->column = column;
  problem->format = g_strdup (format);
  problem->args = g_new0 (char *, MAX_ARGS + 1);
  capture_args (format, ap, problem->args);
  problem->message = expand_new (format, problem->args, NULL);
  set_hint (problem, hint);
  return problem;
}

TlLessonProblem *
tl_lesson_problem_new (guint        line,
                       guint        column,
                       const char  *hint,
                       const char  *format,
                       ...)
{
  TlLessonProblem *problem;
  va_list ap;

  va_start (ap, format);
  problem = problem_new (line, column, hint, format, ap);
  va_end (ap);
  return problem;
}

void
tl_lesson_problem_free (TlLessonProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->message);
  g_free (problem->hint);
  g_free (problem->format);
  g_strfreev (problem->args);
  g_free (problem->hint_format);
  g_strfreev (problem->hint_args);
  g_free (problem);
}

static void
add (TlLessonParser *p,
     guint           column,
     const char     *hint,
     const char     *format,
     va_list         ap)
{
  if (p->stopped)
    return;
  g_ptr_array_add (p->problems, problem_new (p->line->number, column, hint, format, ap));
  if (p->problems->len >= MAX_PROBLEMS)
    {
      g_ptr_array_add (p->problems,
                       tl_lesson_problem_new (p->line->number, column, NULL,
                                              N_("more than %d mistakes; the rest of the file "
                                                 "was not read"), MAX_PROBLEMS));
      p->stopped = TRUE;
      p->too_many = TRUE;
    }
}

void
tl_lesson_add_problem (TlLessonParser *p,
                       guint           column,
                       const char     *hint,
                       const char     *format,
                       ...)
{
  va_list ap;

  va_start (ap, format);
  add (p, column, hint, format, ap);
  va_end (ap);
}

void
tl_lesson_add_limit (TlLessonParser *p,
                     guint           column,
                     const char     *hint,
                     const char     *format,
                     ...)
{
  va_list ap;

  va_start (ap, format);
  add (p, column, hint, format, ap);
  va_end (ap);
  p->limit = TRUE;
}

const char *
tl_lesson_display_name (const char *filename)
{
  return filename != NULL ? filename : "<lesson>";
}

char *
tl_lesson_problem_format_translated (const TlLessonProblem *problem,
                                     const char            *filename,
                                     TlTranslateFunc        translate)
{
  g_autofree char *message = NULL;
  g_autofree char *hint = NULL;
  g_autofree char *line = g_strdup_printf ("%u", problem->line);
  g_autofree char *column = g_strdup_printf ("%u", problem->column);

  g_return_val_if_fail (problem != NULL, NULL);

  message = expand_new (problem->format, problem->args, translate);
  /* line 0: the file as a whole (it cannot be read), no place in it */
  if (problem->line == 0)
    {
      char *args[] = { (char *) tl_lesson_display_name (filename), message, NULL };

      if (filename != NULL && filename[0] == '\0')
        return expand_new (N_("error: %s"), args + 1, translate);
      return expand_new (N_("%s: error: %s"), args, translate);
    }
  if (problem->hint_format != NULL)
    {
      char *args[] = { (char *) tl_lesson_display_name (filename), line, column, message, NULL, NULL };

      hint = expand_new (problem->hint_format, problem->hint_args, translate);
      args[4] = hint;
      return expand_new (N_("%s:%s:%s: error: %s\n  hint: %s"), args, translate);
    }
  else
    {
      char *args[] = { (char *) tl_lesson_display_name (filename), line, column, message, NULL };

      return expand_new (N_("%s:%s:%s: error: %s"), args, translate);
    }
}

char *
tl_lesson_problem_format (const TlLessonProblem *problem,
                          const char            *filename)
{
  return tl_lesson_problem_format_translated (problem, filename, NULL);
}

char *
tl_lesson_problems_format_translated (GPtrArray       *problems,
                                      const char      *filename,
                                      TlTranslateFunc  translate)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (problems != NULL, NULL);

  for (guint i = 0; i < problems->len; i++)
    {
      g_autofree char *line = tl_lesson_problem_format_translated (g_ptr_array_index (problems, i),
                                                                   filename, translate);

      if (i > 0)
        g_string_append_c (out, '\n');
      g_string_append (out, line);
    }
  return g_string_free (out, FALSE);
}
