/* tl-bench.c: the benchmarks' shared helper.
 *
 * The line form.  A benchmark prints one line per measurement on stdout, and
 * nothing else there:
 *
 *   bench NAME: KEY=VALUE KEY=VALUE ...
 *
 * - NAME is [a-z0-9.-]+, unique across the suite and stable between runs
 *   (flood-100k-syn-cookies-on, lesson-three-way-handshake, view-ladder-flood).
 * - KEY is [a-z0-9_]+ and carries its unit: _ns, _us, _ms, _kib, _per_s; a
 *   key without a unit is a count (events, records) or a ratio (sim_over_heap).
 * - VALUE is a number, with "." as decimal point and no separators, or a
 *   word of [a-z0-9_.-] (yes, no, a view's name).
 * - A timed figure is measured over several repetitions (reps=N; the
 *   TL_BENCH_REPS environment variable overrides the default) and printed
 *   twice: KEY_median and KEY_best, best being the fastest repetition.
 * - budget_* is the budget of DESIGN.md for the figure the line is about,
 *   and within_budget=yes|no says whether the median meets it.  Benchmarks
 *   print; they never fail on speed (DESIGN.md: "never by a timed test").
 * - peak_rss_kib is VmHWM of /proc/self/status when the line is printed.
 * Keys may be added to a line in later versions; none is renamed or removed.
 * One line's fields, one a line:  sed -n 's/^bench NAME: //p' | tr ' ' '\n'
 */
#include "tl-bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct _TlBenchLine
{
  GString *text;
};

TlBenchLine *
tl_bench_line_new (const char *name)
{
  TlBenchLine *line = g_new (TlBenchLine, 1);

  line->text = g_string_new ("bench ");
  g_string_append_printf (line->text, "%s:", name);
  return line;
}

void
tl_bench_line_add_uint (TlBenchLine *line,
                        const char  *key,
                        guint64      value)
{
  g_string_append_printf (line->text, " %s=%" G_GUINT64_FORMAT, key, value);
}

void
tl_bench_line_add_double (TlBenchLine *line,
                          const char  *key,
                          double       value,
                          int          decimals)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  /* g_ascii_formatd: "." whatever the locale */
  g_ascii_formatd (buf, sizeof buf, decimals == 0 ? "%.0f"
                                    : decimals == 1 ? "%.1f"
                                    : decimals == 2 ? "%.2f" : "%.3f", value);
  g_string_append_printf (line->text, " %s=%s", key, buf);
}

void
tl_bench_line_add_word (TlBenchLine *line,
                        const char  *key,
                        const char  *word)
{
  g_string_append_printf (line->text, " %s=%s", key, word);
}

void
tl_bench_line_add_stats (TlBenchLine  *line,
                         const char   *key,
                         const double *samples,
                         guint         n,
                         gboolean      higher_is_better,
                         int           decimals)
{
  g_autofree double *sorted = g_memdup2 (samples, n * sizeof (double));
  g_autofree char *median_key = g_strconcat (key, "_median", NULL);
  g_autofree char *best_key = g_strconcat (key, "_best", NULL);
  double best = sorted[0];

  g_assert (n > 0);
  for (guint i = 1; i < n; i++)
    best = higher_is_better ? MAX (best, sorted[i]) : MIN (best, sorted[i]);
  tl_bench_line_add_double (line, median_key, tl_bench_median (sorted, n), decimals);
  tl_bench_line_add_double (line, best_key, best, decimals);
}

void
tl_bench_line_print (TlBenchLine *line)
{
  g_string_append_c (line->text, '\n');
  fputs (line->text->str, stdout);
  fflush (stdout);
  g_string_free (line->text, TRUE);
  g_free (line);
}

gint64
tl_bench_now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y;
}

double
tl_bench_median (double *samples,
                 guint   n)
{
  g_assert (n > 0);
  qsort (samples, n, sizeof (double), compare_doubles);
  return n % 2 == 1 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2;
}

guint
tl_bench_reps (guint default_reps)
{
  const char *env = g_getenv ("TL_BENCH_REPS");
  guint64 reps;

  if (env != NULL && g_ascii_string_to_unsigned (env, 10, 1, 10000, &reps, NULL))
    return (guint) reps;
  return default_reps;
}

static guint64
status_kib (const char *field)
{
  g_autofree char *status = NULL;
  const char *p;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  p = strstr (status, field);
  if (p == NULL)
    return 0;
  return g_ascii_strtoull (p + strlen (field), NULL, 10);
}

guint64
tl_bench_peak_rss_kib (void)
{
  return status_kib ("VmHWM:");
}

guint64
tl_bench_rss_kib (void)
{
  return status_kib ("VmRSS:");
}

/* ---- a bare binary heap of (time, seq), the simulator's queue without
 * its slots, ids, cancellation and payload ---- */

typedef struct
{
  gint64  time_us;
  guint64 seq;
} HeapKey;

static inline gboolean
key_before (HeapKey a,
            HeapKey b)
{
  return a.time_us < b.time_us || (a.time_us == b.time_us && a.seq < b.seq);
}

static void
heap_push (HeapKey *heap,
           guint   *len,
           HeapKey  key)
{
  guint pos = (*len)++;

  while (pos > 0 && key_before (key, heap[(pos - 1) / 2]))
    {
      heap[pos] = heap[(pos - 1) / 2];
      pos = (pos - 1) / 2;
    }
  heap[pos] = key;
}

static HeapKey
heap_pop (HeapKey *heap,
          guint   *len)
{
  HeapKey top = heap[0];
  HeapKey last = heap[--(*len)];
  guint pos = 0;

  for (;;)
    {
      guint child = 2 * pos + 1;

      if (child >= *len)
        break;
      if (child + 1 < *len && key_before (heap[child + 1], heap[child]))
        child++;
      if (!key_before (heap[child], last))
        break;
      heap[pos] = heap[child];
      pos = child;
    }
  heap[pos] = last;
  return top;
}

double
tl_bench_heap_hold_ns (guint64 pairs,
                       guint   size)
{
  g_autofree HeapKey *heap = g_new (HeapKey, size + 1);
  guint32 *delays = g_new (guint32, 65536);
  guint64 seq = 0;
  guint32 x = 2463534242u;
  guint len = 0;
  gint64 t0, t1;
  gint64 sink = 0;

  size = MAX (size, 1);
  /* xorshift32: increments drawn before timing, so only the heap is timed */
  for (guint i = 0; i < 65536; i++)
    {
      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
      delays[i] = 1 + x % (2 * size);
    }
  for (guint i = 0; i < size; i++)
    heap_push (heap, &len, (HeapKey) { delays[i & 65535], seq++ });

  t0 = tl_bench_now_ns ();
  for (guint64 i = 0; i < pairs; i++)
    {
      HeapKey top = heap_pop (heap, &len);

      sink += top.time_us;
      heap_push (heap, &len, (HeapKey) { top.time_us + delays[i & 65535], seq++ });
    }
  t1 = tl_bench_now_ns ();
  g_free (delays);
  /* keeps the loop from being optimized away */
  if (sink == -1)
    g_printerr ("%" G_GINT64_FORMAT "\n", sink);
  return pairs > 0 ? (double) (t1 - t0) / pairs : 0;
}

TlScenario *
tl_bench_flood_scenario (TlSyncookies cookies,
                         guint        count)
{
  TlScenario *sc = tl_scenario_new ();
  TlStmt listen = { 0 };
  TlStmt flood = { 0 };

  sc->settings[1].syncookies = cookies;
  listen.kind = TL_STMT_LISTEN;
  listen.host = 1;
  listen.u.listen.port = 80;
  tl_scenario_insert (sc, &listen);
  flood.kind = TL_STMT_FLOOD;
  flood.time_us = 10 * TL_USEC_PER_MSEC;
  flood.host = 0;
  flood.u.flood.target = 1;
  flood.u.flood.port = 80;
  flood.u.flood.count = count;
  flood.u.flood.rate_per_s = 100000;
  flood.u.flood.net_addr = (198u << 24) | (51u << 16);
  flood.u.flood.prefix_len = 16;
  tl_scenario_insert (sc, &flood);
  return sc;
}
