/* tl-lesson.c: lesson text (LESSON-FORMAT.md) to a scenario.
 *
 * Two steps, as gmarkup.c does it: each line is cut into words while line and
 * column (in characters) are counted, then each line is read as a statement.
 * A mistake ends the reading of its line, not of the file, so that one pass
 * reports every line that is wrong.  The host lines are read first, so that a
 * `set client ...` may stand before `host client ...`.
 *
 * This file holds the problems, the setup lines, the two passes over the
 * lines and the public API; the reader is split by concern:
 * tl-lesson-lex.c cuts lines into words, tl-lesson-values.c reads one value,
 * tl-lesson-stmt.c reads a statement.
 */
#include "tl-lesson-private.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "tl-sim.h"

static const char *const setup_keywords[] = {
  "title", "summary", "seed", "group", "host", "link", "set",
};

static const char *const group_words[] = { "opening", "closing", "trouble", "timers" };

G_DEFINE_QUARK (tl-lesson-error-quark, tl_lesson_error)

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
add_text (TlLessonParser      *p,
          const TlLessonWord  *w,
          GArray              *texts,
          char               **untranslated,
          gboolean            *seen,
          const char          *keyword,
          char                *locale)
{
  const TlLessonWord *v = tl_lesson_lex_need (p, TL_PHRASE ("a quoted text"));
  char *text = NULL;

  if (v == NULL || !tl_lesson_value_string (p, v, w->text, &text) || !tl_lesson_lex_expect_line_end (p))
    {
      g_free (text);
      g_free (locale);
      return;
    }
  if (locale == NULL)
    {
      if (*seen)
        {
          tl_lesson_add_problem (p, w->column, NULL, "a second '%s' line", keyword);
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
        tl_lesson_add_problem (p, w->column, NULL, "a second '%s.%s' line", keyword, locale);
        g_free (text);
        g_free (locale);
        return;
      }
  {
    TlText t = { locale, text };

    g_array_append_val (texts, t);
  }
}

/* host NAME ADDRESS (the first pass). */
static void
parse_host_line (TlLessonParser     *p,
                 const TlLessonWord *kw)
{
  const TlLessonWord *name = tl_lesson_lex_need (p, TL_PHRASE ("a host name"));
  const TlLessonWord *addr = name != NULL ? tl_lesson_lex_need (p, TL_PHRASE ("an IPv4 address")) : NULL;
  guint32 a;

  if (addr == NULL || !tl_lesson_value_unquoted (p, name, TL_PHRASE ("a host name")))
    return;
  if (!tl_lesson_value_valid_host_name (name->text))
    {
      tl_lesson_add_problem (p, name->column, N_("a host name is a letter then letters, digits or _, "
                             "and not a keyword"), "bad host name '%s'", name->text);
      return;
    }
  if (addr->quoted || !tl_lesson_value_ipv4 (addr->text, strlen (addr->text), &a))
    {
      tl_lesson_add_problem (p, addr->column, N_("e.g. 10.0.0.1"), "bad IPv4 address '%s'", addr->text);
      return;
    }
  if (!tl_lesson_lex_expect_line_end (p))
    return;
  if (p->n_hosts == 2)
    {
      tl_lesson_add_problem (p, kw->column, NULL, "a third host '%s': a lesson has exactly two",
                             name->text);
      return;
    }
  if (p->n_hosts == 1 && strcmp (p->scenario->hosts[0].name, name->text) == 0)
    {
      tl_lesson_add_problem (p, name->column, NULL, "host '%s' is declared twice", name->text);
      return;
    }
  if (p->n_hosts == 1 && p->scenario->hosts[0].addr == a)
    {
      tl_lesson_add_problem (p, addr->column, NULL, "both hosts have the address %s", addr->text);
      return;
    }
  g_free (p->scenario->hosts[p->n_hosts].name);
  p->scenario->hosts[p->n_hosts].name = g_strdup (name->text);
  p->scenario->hosts[p->n_hosts].addr = a;
  p->n_hosts++;
}

static void
parse_setup_line (TlLessonParser     *p,
                  const TlLessonWord *kw)
{
  char *locale;
  gboolean ok;

  if (tl_lesson_value_split_localized (p, kw, "title", &locale, &ok))
    {
      if (ok)
        add_text (p, kw, p->scenario->title_l10n, &p->scenario->title, &p->title_seen,
                  "title", locale);
    }
  else if (tl_lesson_value_split_localized (p, kw, "summary", &locale, &ok))
    {
      if (ok)
        add_text (p, kw, p->scenario->summary_l10n, &p->scenario->summary,
                  &p->summary_seen, "summary", locale);
    }
  else if (tl_lesson_lex_is_word (kw, "seed"))
    {
      const TlLessonWord *v = tl_lesson_lex_need (p, TL_PHRASE ("a number"));
      guint64 seed;

      if (v == NULL || !tl_lesson_value_uint (p, v, "seed", 0, G_MAXUINT64, &seed)
          || !tl_lesson_lex_expect_line_end (p))
        return;
      if (p->seed_seen)
        {
          tl_lesson_add_problem (p, kw->column, NULL, "a second 'seed' line");
          return;
        }
      p->seed_seen = TRUE;
      p->scenario->seed = seed;
    }
  else if (tl_lesson_lex_is_word (kw, "group"))
    {
      const TlLessonWord *name = tl_lesson_lex_need (p, TL_PHRASE ("a group: opening, closing, "
                                                                   "trouble or timers"));
      const TlLessonWord *v;
      TlLessonGroup group;
      guint64 order;

      if (name == NULL)
        return;
      if (!tl_lesson_group_from_name (name->text, &group))
        {
          g_autofree char *hint = tl_lesson_value_nearest_hint (name->text, group_words,
                                                                G_N_ELEMENTS (group_words));

          tl_lesson_add_problem (p, name->column,
                                 hint != NULL ? hint
                                 : N_("the groups are opening, closing, trouble and timers"),
                                 "unknown group '%s'", name->text);
          return;
        }
      v = tl_lesson_lex_need (p, TL_PHRASE ("the lesson's place in its group, a number"));
      if (v == NULL || !tl_lesson_value_uint (p, v, "group", 1, 999, &order)
          || !tl_lesson_lex_expect_line_end (p))
        return;
      if (p->group_seen)
        {
          tl_lesson_add_problem (p, kw->column, NULL, "a second 'group' line");
          return;
        }
      p->group_seen = TRUE;
      p->scenario->group = group;
      p->scenario->group_order = order;
    }
  else if (tl_lesson_lex_is_word (kw, "host"))
    return;   /* read in the first pass */
  else if (tl_lesson_lex_is_word (kw, "link"))
    {
      g_autoptr(GArray) settings = g_array_new (FALSE, FALSE, sizeof (TlLinkSetting));
      int dir;

      if (!tl_lesson_stmt_link (p, &dir, settings))
        return;
      for (guint i = 0; i < settings->len; i++)
        for (guint d = 0; d < 2; d++)
          if (dir == TL_DIR_BOTH || dir == (int) d)
            link_dir_apply (&p->scenario->link[d], &g_array_index (settings, TlLinkSetting, i));
    }
  else if (tl_lesson_lex_is_word (kw, "set"))
    {
      g_autoptr(GArray) settings = g_array_new (FALSE, FALSE, sizeof (TlSetting));
      int host;

      if (!tl_lesson_stmt_set (p, &host, settings))
        return;
      for (guint i = 0; i < settings->len; i++)
        for (guint h = 0; h < 2; h++)
          if (host == -1 || host == (int) h)
            tl_settings_apply (&p->scenario->settings[h], &g_array_index (settings, TlSetting, i));
    }
  else
    {
      g_autofree char *hint = tl_lesson_value_nearest_hint (kw->text, setup_keywords,
                                                            G_N_ELEMENTS (setup_keywords));

      if (hint == NULL && (tl_scenario_host_by_name (p->scenario, kw->text) >= 0
                           || strchr (kw->text, '#') != NULL))
        hint = g_strdup (N_("a statement needs a time in front, e.g. 0ms"));
      tl_lesson_add_problem (p, kw->column, hint, "unknown keyword '%s'", kw->text);
    }
}

/* Timed lines */

/* The one way a statement enters the scenario: charged to the lesson's
 * budget (tl-budget.h) first.  A lesson that cannot fit is refused at the
 * statement that goes over, naming the limit; the rest is not read.  Takes
 * stmt's contents in either case. */
static void
append_charged (TlLessonParser *p,
                TlStmt         *stmt,
                guint           column)
{
  TlBudget cost;
  TlLimit limit;
  guint n = MAX (stmt->repeat_count, 1);

  tl_budget_stmt_cost (stmt, &cost);
  /* a `repeat` line is its N statements (tl_lesson_parse writes them out) */
  cost.statements *= n;
  cost.events *= n;
  cost.records *= n;
  cost.bytes *= n;
  limit = tl_budget_charge (&p->spent, &cost, &p->limits);
  switch (limit)
    {
    case TL_LIMIT_NONE:
      g_array_append_vals (p->scenario->stmts, stmt, 1);
      return;
    case TL_LIMIT_STATEMENTS:
      if (stmt->repeat_count > 0)
        tl_lesson_add_limit (p, column, N_("each repetition counts as a statement"),
                             "repeat %u brings the lesson to %llu statements, "
                             "more than the limit of %llu", stmt->repeat_count,
                             (unsigned long long) p->spent.statements,
                             (unsigned long long) p->limits.statements);
      else
        tl_lesson_add_limit (p, column, NULL, "more than %llu statements",
                             (unsigned long long) p->limits.statements);
      break;
    case TL_LIMIT_EVENTS:
      tl_lesson_add_limit (p, column, N_("see 'Limits' in lessons/README.md"),
                           "with this statement the lesson needs at least %llu events, "
                           "more than the limit of %llu",
                           (unsigned long long) p->spent.events, (unsigned long long) p->limits.events);
      break;
    case TL_LIMIT_RECORDS:
      tl_lesson_add_limit (p, column, N_("see 'Limits' in lessons/README.md"),
                           "with this statement the lesson makes at least %llu trace records, "
                           "more than the limit of %llu",
                           (unsigned long long) p->spent.records, (unsigned long long) p->limits.records);
      break;
    case TL_LIMIT_MEMORY:
      tl_lesson_add_limit (p, column, N_("see 'Limits' in lessons/README.md"),
                           "with this statement the lesson needs at least %llu MiB, "
                           "more than the limit of %llu MiB",
                           (unsigned long long) ((p->spent.bytes + (1 << 20) - 1) >> 20),
                           (unsigned long long) (p->limits.bytes >> 20));
      break;
    }
  tl_stmt_clear (stmt);
  p->stopped = TRUE;
}

void
tl_lesson_append_stmt (TlLessonParser *p,
                       TlStmt         *stmt,
                       guint           column)
{
  append_charged (p, stmt, column);
}

/* `repeat N every D` in front of a statement: N and D into stmt.  FALSE
 * after a problem. */
static gboolean
parse_repeat (TlLessonParser *p,
              gint64          start_us,
              TlStmt         *stmt)
{
  const TlLessonWord *n_word = tl_lesson_lex_need (p, TL_PHRASE ("a number of repetitions after 'repeat'"));
  const TlLessonWord *w;
  guint64 n;
  gint64 every, last;

  if (n_word == NULL
      || !tl_lesson_value_uint (p, n_word, TL_PHRASE ("repeat count"), 1, TL_LESSON_MAX_COUNT, &n))
    return FALSE;
  w = tl_lesson_lex_need (p, TL_PHRASE ("'every' after the number of repetitions"));
  if (w == NULL)
    return FALSE;
  if (!tl_lesson_lex_is_word (w, "every"))
    {
      tl_lesson_add_problem (p, w->column, N_("e.g. 0ms repeat 100 every 1ms client connect server:80"),
                             "expected 'every' after 'repeat %s', got '%s'", n_word->text, w->text);
      return FALSE;
    }
  w = tl_lesson_lex_need (p, TL_PHRASE ("a duration after 'every'"));
  if (w == NULL || !tl_lesson_value_duration (p, w, TL_PHRASE ("interval"), TL_SIM_MAX_TIME_US, &every))
    return FALSE;
  if (every <= 0)
    {
      tl_lesson_add_problem (p, w->column, NULL, "the interval of a repeat must be more than 0");
      return FALSE;
    }
  last = start_us + (gint64) (n - 1) * every;
  if (n > 1 && (every > TL_SIM_MAX_TIME_US / (gint64) (n - 1) || last > TL_SIM_MAX_TIME_US))
    {
      tl_lesson_add_limit (p, n_word->column, N_("fewer repetitions, or closer together"),
                           "the last of %llu repetitions would come after the "
                           "limit of 1 hour", (unsigned long long) n);
      return FALSE;
    }
  if (p->end_seen && last > p->end_us)
    {
      g_autofree char *at = tl_duration_to_string (last);
      g_autofree char *end = tl_duration_to_string (p->end_us);

      tl_lesson_add_problem (p, n_word->column, NULL, "the last repetition, at %s, is after the "
                             "'end' at %s (line %u) and would never happen", at, end, p->end_line);
      return FALSE;
    }
  stmt->repeat_count = n;
  stmt->repeat_every_us = every;
  if (last > p->repeat_last_us || p->repeat_last_line == 0)
    {
      p->repeat_last_us = last;
      p->repeat_last_line = p->line->number;
    }
  return TRUE;
}

static void
parse_timed_line (TlLessonParser     *p,
                  const TlLessonWord *time_word)
{
  const TlLessonWord *first;
  TlStmt stmt = { 0 };
  guint repeat_column = 0;
  gboolean relative = time_word->text[0] == '+';
  gint64 us;

  if (!tl_lesson_value_duration_text (p, time_word->text + relative, time_word->column + relative,
                                      "time", TL_SIM_MAX_TIME_US, &us))
    return;
  if (relative)
    {
      us += p->last_time_us;
      if (us > TL_SIM_MAX_TIME_US)
        {
          tl_lesson_add_limit (p, time_word->column, NULL, "time %s after the previous line is beyond "
                               "the limit of 1 hour", time_word->text + 1);
          return;
        }
    }
  else if (us < p->last_time_us)
    {
      g_autofree char *prev = tl_duration_to_string (p->last_time_us);

      tl_lesson_add_problem (p, time_word->column, N_("lines come in the order of their times"),
                             "time %s goes back before %s", time_word->text, prev);
      return;
    }
  p->last_time_us = us;
  if (p->end_seen && us > p->end_us)
    {
      g_autofree char *end = tl_duration_to_string (p->end_us);

      tl_lesson_add_problem (p, time_word->column, NULL, "this line is after the 'end' at %s "
                             "(line %u) and would never happen", end, p->end_line);
      return;
    }
  first = tl_lesson_lex_need (p, TL_PHRASE ("a statement"));
  if (first == NULL)
    return;
  if (tl_lesson_lex_is_word (first, "repeat") && !first->quoted)
    {
      repeat_column = first->column;
      if (!parse_repeat (p, us, &stmt))
        return;
      first = tl_lesson_lex_need (p, TL_PHRASE ("a statement to repeat"));
      if (first == NULL)
        return;
    }
  stmt.time_us = us;
  stmt.line = p->line->number;
  stmt.column = first->column;
  p->in_repeat = stmt.repeat_count > 0;
  p->conn_per_repeat = FALSE;
  if (!tl_lesson_stmt_parse (p, first, &stmt) || !tl_lesson_lex_expect_line_end (p))
    {
      p->in_repeat = FALSE;
      tl_stmt_clear (&stmt);
      return;
    }
  p->in_repeat = FALSE;
  stmt.conn_per_repeat = p->conn_per_repeat;
  if (stmt.kind == TL_STMT_END && stmt.repeat_count > 0)
    {
      tl_lesson_add_problem (p, first->column, N_("write 'end' on a line of its own"),
                             "'end' cannot repeat");
      return;
    }
  if (stmt.kind == TL_STMT_END)
    {
      if (p->end_seen)
        {
          tl_lesson_add_problem (p, first->column, NULL, "a second 'end' (the first is on line %u)",
                                 p->end_line);
          return;
        }
      if (p->repeat_last_line != 0 && p->repeat_last_us > us)
        {
          g_autofree char *at = tl_duration_to_string (p->repeat_last_us);

          tl_lesson_add_problem (p, first->column, N_("move the 'end' after the last repetition"),
                                 "the repeat on line %u goes on until %s, after this 'end'",
                                 p->repeat_last_line, at);
          return;
        }
      p->end_seen = TRUE;
      p->end_us = us;
      p->end_line = p->line->number;
      p->scenario->end_us = us;
    }
  if (stmt.repeat_count > 0)
    {
      p->has_repeat = TRUE;
      append_charged (p, &stmt, repeat_column + strlen ("repeat "));
      return;
    }
  tl_lesson_append_stmt (p, &stmt, time_word->column);
}

/* Repeats: a stream of a repeat line's statements still to come. */
typedef struct
{
  gint64 next_us;
  guint  line_index;   /* in the lines' statements: ties go in the order of the file */
  guint  k;            /* the repetition that comes next */
} RepeatStream;

static gboolean
stream_before (const RepeatStream *a,
               const RepeatStream *b)
{
  return a->next_us < b->next_us || (a->next_us == b->next_us && a->line_index < b->line_index);
}

static void
stream_sift_down (RepeatStream *heap,
                  guint         len,
                  guint         i)
{
  for (;;)
    {
      guint least = i;

      if (2 * i + 1 < len && stream_before (&heap[2 * i + 1], &heap[least]))
        least = 2 * i + 1;
      if (2 * i + 2 < len && stream_before (&heap[2 * i + 2], &heap[least]))
        least = 2 * i + 2;
      if (least == i)
        return;
      RepeatStream tmp = heap[i];
      heap[i] = heap[least];
      heap[least] = tmp;
      i = least;
    }
}

static void
stream_push (GArray       *heap,
             RepeatStream  s)
{
  RepeatStream *h;
  guint i;

  g_array_append_val (heap, s);
  h = (RepeatStream *) heap->data;
  for (i = heap->len - 1; i > 0 && stream_before (&h[i], &h[(i - 1) / 2]); i = (i - 1) / 2)
    {
      RepeatStream tmp = h[i];
      h[i] = h[(i - 1) / 2];
      h[(i - 1) / 2] = tmp;
    }
}

/* Repetition k of the line statement proto, appended to out. */
static void
emit_repetition (GArray       *out,
                 const TlStmt *proto,
                 guint         k)
{
  TlStmt *stmt;

  g_array_set_size (out, out->len + 1);
  stmt = &g_array_index (out, TlStmt, out->len - 1);
  tl_stmt_copy (stmt, proto);
  stmt->time_us = proto->time_us + (gint64) k * proto->repeat_every_us;
  stmt->repeat_index = k;
  if (proto->conn_per_repeat)
    stmt->conn.ordinal += k;
}

/* Writes each repeat line out as its N statements, in time order among the
 * others (at equal times, in the order of the lines): the simulator, the
 * checker and the GUI see plain statements.  O(statements x log(repeat lines)). */
static void
expand_repeats (TlLessonParser *p)
{
  GArray *lines = p->scenario->stmts;
  g_autoptr(GArray) heap = g_array_new (FALSE, FALSE, sizeof (RepeatStream));
  GArray *out = g_array_sized_new (FALSE, TRUE, sizeof (TlStmt), p->spent.statements);

  g_array_set_clear_func (out, (GDestroyNotify) tl_stmt_clear);
  for (guint i = 0; i <= lines->len; i++)
    {
      gint64 until = i < lines->len ? g_array_index (lines, TlStmt, i).time_us : G_MAXINT64;

      while (heap->len > 0 && g_array_index (heap, RepeatStream, 0).next_us <= until)
        {
          RepeatStream *top = &g_array_index (heap, RepeatStream, 0);
          const TlStmt *proto = &g_array_index (lines, TlStmt, top->line_index);

          emit_repetition (out, proto, top->k);
          if (++top->k < proto->repeat_count)
            top->next_us += proto->repeat_every_us;
          else
            {
              *top = g_array_index (heap, RepeatStream, heap->len - 1);
              g_array_set_size (heap, heap->len - 1);
            }
          stream_sift_down ((RepeatStream *) heap->data, heap->len, 0);
        }
      if (i == lines->len)
        break;
      emit_repetition (out, &g_array_index (lines, TlStmt, i), 0);
      if (g_array_index (lines, TlStmt, i).repeat_count > 1)
        {
          RepeatStream s = { until + g_array_index (lines, TlStmt, i).repeat_every_us, i, 1 };

          stream_push (heap, s);
        }
    }
  g_array_unref (lines);
  p->scenario->stmts = out;
}

static gboolean
is_timed (const TlLessonLine *line)
{
  const TlLessonWord *w;

  if (line->words->len == 0)
    return FALSE;
  w = &g_array_index (line->words, TlLessonWord, 0);
  return !w->quoted && (g_ascii_isdigit (w->text[0]) || w->text[0] == '+' || w->text[0] == '.');
}

static void
parse_lines (TlLessonParser *p,
             GPtrArray      *lines)
{
  guint first_timed = lines->len;

  /* First pass: the hosts, so that names are known wherever they are used. */
  for (guint i = 0; i < lines->len && !p->stopped; i++)
    {
      const TlLessonLine *line = g_ptr_array_index (lines, i);

      if (is_timed (line))
        {
          first_timed = i;
          break;
        }
      p->line = line;
      p->pos = 0;
      if (line->words->len > 0 && tl_lesson_lex_is_word (tl_lesson_lex_peek (p), "host"))
        parse_host_line (p, tl_lesson_lex_take (p));
    }
  if (p->n_hosts < 2 && !p->stopped)
    {
      TlLessonLine at = { first_timed < lines->len
                  ? ((const TlLessonLine *) g_ptr_array_index (lines, first_timed))->number
                  : lines->len + 1, NULL };

      p->line = &at;
      tl_lesson_add_problem (p, 1, N_("e.g. host client 10.0.0.1 and host server 10.0.0.2"),
                             "a lesson declares two hosts before its first timed line; found %u",
                             p->n_hosts);
    }

  for (guint i = 0; i < lines->len && !p->stopped; i++)
    {
      const TlLessonLine *line = g_ptr_array_index (lines, i);
      const TlLessonWord *first;

      p->line = line;
      p->pos = 0;
      first = tl_lesson_lex_take (p);
      if (first == NULL)
        continue;
      if (is_timed (line))
        {
          p->timed_seen = TRUE;
          parse_timed_line (p, first);
        }
      else if (p->timed_seen)
        {
          if (tl_lesson_lex_is_word (first, "link") || tl_lesson_lex_is_word (first, "set"))
            tl_lesson_add_problem (p, first->column, N_("write the time in front, e.g. +0ms"),
                                   "'%s' after the first timed line needs a time", first->text);
          else if (!tl_lesson_stmt_is_setup_keyword (first))
            tl_lesson_add_problem (p, first->column, N_("write the time in front, e.g. 10ms or +50ms"),
                                   "expected a time at the start of the line, got '%s'", first->text);
          else
            tl_lesson_add_problem (p, first->column, N_("put setup lines before the first timed line"),
                                   "setup line '%s' after the first timed line", first->text);
        }
      else
        parse_setup_line (p, first);
    }
  tl_lesson_question_check (p);
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
sort_problems (TlLessonParser *p)
{
  TlLessonProblem *too_many = NULL;

  if (p->too_many)
    too_many = g_ptr_array_steal_index (p->problems, p->problems->len - 1);
  g_ptr_array_sort (p->problems, compare_problems);
  if (too_many != NULL)
    g_ptr_array_add (p->problems, too_many);
}

static void
build_error (TlLessonParser  *p,
             GError         **error)
{
  GString *message = g_string_new (NULL);

  for (guint i = 0; i < p->problems->len; i++)
    {
      const TlLessonProblem *problem = g_ptr_array_index (p->problems, i);

      if (i > 0)
        g_string_append_c (message, '\n');
      g_string_append_printf (message, "%s:%u:%u: error: %s", tl_lesson_display_name (p->filename),
                              problem->line, problem->column, problem->message);
      if (problem->hint != NULL)
        g_string_append_printf (message, " (%s)", problem->hint);
    }
  g_set_error_literal (error, TL_LESSON_ERROR,
                       p->limit ? TL_LESSON_ERROR_LIMIT : TL_LESSON_ERROR_SYNTAX, message->str);
  g_string_free (message, TRUE);
}

/* Takes problem, the only one of the file. */
static TlScenario *
fail_with_problem (const char       *filename,
                   guint             code,
                   TlLessonProblem  *problem,
                   GPtrArray       **problems,
                   GError          **error)
{
  g_autofree char *text = tl_lesson_problem_format (problem, filename);

  g_set_error_literal (error, TL_LESSON_ERROR, code, text);
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
  TlLessonParser p = { 0 };
  g_autoptr(GPtrArray) lines = NULL;
  gsize len;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (problems != NULL)
    *problems = NULL;
  len = length < 0 ? strlen (text) : (gsize) length;
  if (len > TL_LESSON_MAX_BYTES)
    return fail_with_problem (filename, TL_LESSON_ERROR_LIMIT,
                              tl_lesson_problem_new (1, 1, NULL,
                                                     N_("the file is %llu bytes; a lesson may have "
                                                        "at most %d"),
                                                     (unsigned long long) len, TL_LESSON_MAX_BYTES),
                              problems, error);

  p.filename = filename;
  tl_budget_init_limits (&p.limits);
  p.problems = g_ptr_array_new_with_free_func ((GDestroyNotify) tl_lesson_problem_free);
  p.scenario = tl_scenario_new ();
  p.scenario->filename = g_strdup (filename);
  lines = tl_lesson_lex (&p, text, len);
  parse_lines (&p, lines);
  if (p.problems->len == 0 && p.has_repeat)
    expand_repeats (&p);

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

/* The file's own problem (it cannot be read): line 0, no place in it. */
static TlScenario *
fail_to_read (const char  *path,
              GPtrArray  **problems,
              GError     **error,
              const char  *format,
              const char  *arg)
{
  return fail_with_problem (path, TL_LESSON_ERROR_IO,
                            tl_lesson_problem_new (0, 0, NULL, format, arg), problems, error);
}

/* Opens path for reading if it is a regular file; NULL with the problem
 * said.  O_NONBLOCK: a FIFO or a device must not block the open (a FIFO
 * would until someone writes, and the window would freeze); fstat on the
 * descriptor then refuses anything but a regular file (a device or socket
 * is no lesson either), with no window between the check and the read. */
static FILE *
open_regular (const char  *path,
              GPtrArray  **problems,
              GError     **error)
{
  struct stat st;
  const char *what;
  FILE *file;
  int fd;

  if (path[0] == '\0')
    {
      fail_with_problem (path, TL_LESSON_ERROR_IO,
                         tl_lesson_problem_new (0, 0, NULL, N_("the lesson file name is empty")),
                         problems, error);
      return NULL;
    }
  fd = g_open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      /* A socket cannot be opened at all (ENXIO): say what it is. */
      if (saved_errno != ENXIO || stat (path, &st) != 0 || S_ISREG (st.st_mode))
        {
          fail_to_read (path, problems, error, N_("cannot read: %s"), g_strerror (saved_errno));
          return NULL;
        }
    }
  else if (fstat (fd, &st) != 0)
    st.st_mode = 0;
  if (fd < 0 || !S_ISREG (st.st_mode))
    {
      what = S_ISDIR (st.st_mode) ? TL_PHRASE ("a folder")
             : S_ISFIFO (st.st_mode) ? TL_PHRASE ("a FIFO (named pipe)")
             : S_ISSOCK (st.st_mode) ? TL_PHRASE ("a socket")
             : S_ISCHR (st.st_mode) || S_ISBLK (st.st_mode) ? TL_PHRASE ("a device")
             : TL_PHRASE ("a special file");
      fail_to_read (path, problems, error, N_("cannot read: it is %s, not a regular file"), what);
      if (fd >= 0)
        close (fd);
      return NULL;
    }
  /* Reads of a regular file do not block; back to plain reads. */
  fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) & ~O_NONBLOCK);
  file = fdopen (fd, "rb");
  if (file == NULL)
    {
      fail_to_read (path, problems, error, N_("cannot read: %s"), g_strerror (errno));
      close (fd);
    }
  return file;
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
  file = open_regular (path, problems, error);
  if (file == NULL)
    return NULL;
  text = g_malloc (TL_LESSON_MAX_BYTES + 2);
  len = fread (text, 1, TL_LESSON_MAX_BYTES + 1, file);
  saved_errno = errno;
  if (ferror (file))
    {
      fclose (file);
      return fail_to_read (path, problems, error, N_("cannot read: %s"), g_strerror (saved_errno));
    }
  fclose (file);
  if (len > TL_LESSON_MAX_BYTES)
    return fail_with_problem (path, TL_LESSON_ERROR_LIMIT,
                              tl_lesson_problem_new (1, 1, NULL,
                                                     N_("the file is more than %d bytes, the "
                                                        "limit of a lesson"),
                                                     TL_LESSON_MAX_BYTES),
                              problems, error);
  text[len] = '\0';
  return tl_lesson_parse (text, len, path, problems, error);
}
