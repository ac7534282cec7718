/* tl-lesson-merge.c: a lesson changed in the GUI written back into its own
 * text (tl_lesson_merge, tl-scenario.h).
 *
 * An instructor's file is theirs: its comments, blank lines, spacing and
 * order stay byte for byte; only the statements the GUI added appear, each
 * where it belongs by time, written as tl-lesson-writer.c writes a line.
 */
#include "tl-scenario.h"

#include <string.h>

static gboolean
has_end (const TlScenario *scenario)
{
  for (guint i = 0; i < scenario->stmts->len; i++)
    if (g_array_index (scenario->stmts, TlStmt, i).kind == TL_STMT_END)
      return TRUE;
  return FALSE;
}

char *
tl_lesson_merge (const char       *original,
                 const TlScenario *written,
                 const TlScenario *changed)
{
  g_autoptr(GArray) anchors = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GHashTable) dropped = g_hash_table_new (NULL, NULL);
  GString *out;
  GPtrArray *lines;
  guint first_line = G_MAXUINT;
  gboolean end_lifted;
  const char *p;

  g_return_val_if_fail (original != NULL && written != NULL && changed != NULL, NULL);

  /* the file's own statements keep their line numbers through a change */
  for (guint i = 0; i < changed->stmts->len; i++)
    {
      const TlStmt *s = &g_array_index (changed->stmts, TlStmt, i);

      if (s->line > 0)
        first_line = MIN (first_line, s->line);
    }
  for (guint i = 0; i < changed->stmts->len; i++)
    {
      const TlStmt *s = &g_array_index (changed->stmts, TlStmt, i);
      guint anchor = 0;

      if (s->line > 0 || s->repeat_index > 0)
        continue;
      for (guint j = 0; j < changed->stmts->len; j++)
        {
          const TlStmt *o = &g_array_index (changed->stmts, TlStmt, j);

          if (o->line > 0 && o->time_us <= s->time_us)
            anchor = MAX (anchor, o->line);
        }
      if (anchor == 0)
        anchor = first_line != G_MAXUINT ? first_line - 1 : G_MAXUINT;
      g_array_append_val (anchors, anchor);
      g_array_append_val (anchors, i);
    }
  /* a change after the lesson's `end` lifted it */
  end_lifted = has_end (written) && !has_end (changed);
  if (end_lifted)
    for (guint i = 0; i < written->stmts->len; i++)
      {
        const TlStmt *s = &g_array_index (written->stmts, TlStmt, i);

        if (s->kind == TL_STMT_END)
          g_hash_table_add (dropped, GUINT_TO_POINTER (s->line));
      }

  /* the file's lines, each with its end of line ("\r\n" stays) */
  lines = g_ptr_array_new_with_free_func (g_free);
  for (p = original; *p != '\0'; )
    {
      const char *nl = strchr (p, '\n');
      gsize len = nl != NULL ? (gsize) (nl - p + 1) : strlen (p);

      g_ptr_array_add (lines, g_strndup (p, len));
      p += len;
    }

  out = g_string_new (NULL);
  for (guint k = 0; k <= lines->len; k++)
    {
      if (k > 0 && !g_hash_table_contains (dropped, GUINT_TO_POINTER (k)))
        g_string_append (out, g_ptr_array_index (lines, k - 1));
      /* the new statements that go after line k (0: before the first) */
      for (guint a = 0; a < anchors->len; a += 2)
        if (MIN (g_array_index (anchors, guint, a), lines->len) == k)
          {
            const TlStmt *s = &g_array_index (changed->stmts, TlStmt,
                                              g_array_index (anchors, guint, a + 1));
            g_autofree char *text = tl_stmt_to_lesson_line (changed, s);

            if (out->len > 0 && out->str[out->len - 1] != '\n')
              g_string_append_c (out, '\n');
            g_string_append (out, text);
          }
    }
  g_ptr_array_unref (lines);
  return g_string_free (out, FALSE);
}
