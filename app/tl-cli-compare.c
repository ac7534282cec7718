/* tl-cli-compare.c: tcplab-cli real --compare and --save.
 *
 * --compare is what a developer chasing a fidelity bug reads: for each
 * connection, the first point where the simulation and the kernel part
 * ways (tl_trace_diff), with both traces' own text lines, so the two can be
 * put side by side with `run --trace text` and `real --trace text`.  Only
 * the first per connection: what follows it usually follows from it.
 */
#include "tl-config.h"

#include <string.h>
#include <sys/utsname.h>

#include <glib/gi18n.h>

#include "tl-cli-compare.h"
#include "tl-cli-output.h"
#include "tl-render.h"
#include "tl-trace-diff.h"
#include "tl-trace-file.h"

static const char *
translate (const char *msgid)
{
  return _(msgid);
}

static const char *
kind_text (TlDiffKind kind)
{
  switch (kind)
    {
    case TL_DIFF_CONN_MISSING:
      return _("a connection only one run made");
    case TL_DIFF_SEGMENT_MISSING:
      return _("a segment only one run sent");
    case TL_DIFF_SEGMENT_TIME:
      return _("the same segment, sent at another time");
    case TL_DIFF_SEGMENT_FATE:
      return _("the same segment, lost in one run only");
    case TL_DIFF_STATE_MISSING:
      return _("a state change only one run made");
    case TL_DIFF_STATE_TIME:
      return _("the same state change, at another time");
    case TL_DIFF_ERROR:
      return _("another error reported to the application");
    case TL_DIFF_FINAL_STATE:
      return _("another state at the end");
    }
  g_assert_not_reached ();
}

/* "client#1", or "segments of no connection, sent by server". */
static char *
conn_label (const TlTrace *sim,
            const TlTrace *real,
            const TlDiff  *d)
{
  if (d->conn_a != TL_NO_CONN)
    return tl_render_conn_name (sim, d->conn_a);
  if (d->conn_b != TL_NO_CONN)
    return tl_render_conn_name (real, d->conn_b);
  return g_strdup_printf (_("segments of no connection, sent by %s"),
                          tl_trace_host_name (sim, d->host));
}

static void
append_line (GString       *out,
             const char    *who,
             const TlTrace *trace,
             gint           record)
{
  g_autofree char *line = record >= 0 ? tl_trace_record_to_text (trace, record) : NULL;

  g_string_append_printf (out, "  %-12s %s\n", who, line != NULL ? line : _("(nothing)"));
}

gint64
tl_cli_compare_write (const TlTrace *sim,
                      const TlTrace *real)
{
  g_autoptr (GArray) diffs = tl_trace_diff (sim, real, NULL);
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GString) out = g_string_new (NULL);
  guint n_conns = 0;

  for (guint i = 0; i < diffs->len; i++)
    {
      const TlDiff *d = &g_array_index (diffs, TlDiff, i);
      g_autofree char *key = g_strdup_printf ("%u %u %u", d->conn_a, d->conn_b,
                                              d->conn_a == TL_NO_CONN && d->conn_b == TL_NO_CONN
                                              ? d->host : 0);
      g_autofree char *label = NULL;
      g_autofree char *at = NULL;

      if (g_hash_table_contains (seen, key))
        continue;
      g_hash_table_add (seen, g_steal_pointer (&key));
      n_conns++;
      label = conn_label (sim, real, d);
      at = tl_duration_to_string (d->time_us);
      /* TRANSLATORS: a connection, what differs, and when: "client#1: the same
       * segment, lost in one run only, at 10ms" */
      g_string_append_printf (out, _("%s: %s, at %s\n"), label, kind_text (d->kind), at);
      if (d->kind == TL_DIFF_FINAL_STATE)
        {
          /* TRANSLATORS: the two runs' final states: "simulated ESTABLISHED, real Linux CLOSED" */
          g_string_append_printf (out, _("  simulated %s, real Linux %s\n"),
                                  tl_state_name (tl_trace_conn_state_at (sim, d->conn_a, G_MAXINT64 / 2)),
                                  tl_state_name (tl_trace_conn_state_at (real, d->conn_b, G_MAXINT64 / 2)));
        }
      /* TRANSLATORS: before the simulation's line of the trace; 12 columns */
      append_line (out, _("simulated:"), sim, d->record_a);
      /* TRANSLATORS: before the kernel's line of the trace; 12 columns */
      append_line (out, _("real Linux:"), real, d->record_b);
    }
  if (diffs->len == 0)
    g_string_append (out, _("The simulation and the real run agree.\n"));
  else
    g_string_append_printf (out, ngettext ("%u difference in all, first shown for %u connection.\n",
                                           "%u differences in all, first shown for %u connections.\n",
                                           diffs->len),
                            diffs->len, n_conns);
  if (!tl_cli_write_stdout (out->str, out->len, NULL))
    return -1;
  return diffs->len;
}

TlTrace *
tl_cli_compare_load_real (const char *prgname,
                          const char *lesson_path,
                          const char *path)
{
  g_autofree char *sidecar = path != NULL ? g_strdup (path) : tl_trace_file_sidecar_path (lesson_path);
  g_autofree char *lesson = NULL;
  g_autoptr (GError) error = NULL;
  TlTraceFileInfo info = { 0 };
  TlTrace *real;
  gsize len = 0;

  real = tl_trace_file_load (sidecar, translate, &info, &error);
  if (real == NULL)
    {
      g_printerr ("%s: %s\n", prgname, error->message);
      return NULL;
    }
  if (!g_file_get_contents (lesson_path, &lesson, &len, &error)
      || !tl_trace_file_matches (&info, lesson, len))
    {
      g_printerr (_("%s: %s was recorded from another text of %s: record it again\n"),
                  prgname, sidecar, lesson_path);
      tl_trace_file_info_clear (&info);
      tl_trace_free (real);
      return NULL;
    }
  tl_trace_file_info_clear (&info);
  return real;
}

gboolean
tl_cli_compare_save (const char    *prgname,
                     const char    *lesson_path,
                     const TlTrace *real,
                     gboolean       force)
{
  g_autofree char *sidecar = tl_trace_file_sidecar_path (lesson_path);
  g_autofree char *lesson = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *origin = NULL;
  g_autoptr (GError) error = NULL;
  struct utsname un;
  gsize len = 0;

  if (!tl_cli_output_allowed (prgname, sidecar, force))
    return FALSE;
  if (!g_file_get_contents (lesson_path, &lesson, &len, &error))
    {
      g_printerr ("%s: %s\n", prgname, error->message);
      return FALSE;
    }
  hash = tl_trace_file_lesson_hash (lesson, len);
  origin = uname (&un) == 0 ? g_strdup_printf ("%s %s", un.sysname, un.release) : g_strdup ("");
  if (!tl_trace_file_save (sidecar, real, hash, origin, TRUE, &error))
    {
      g_printerr ("%s: %s\n", prgname, error->message);
      return FALSE;
    }
  return TRUE;
}
