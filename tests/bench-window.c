/* bench-window.c: GUI start to first frame, and the window's resident
 * memory then (DESIGN.md: under 0.5 s; under 100 MB).
 *
 * Usage: bench-window TCPLAB LESSONS_DIR, on a display (tests/meson.build
 * runs it under xvfb-run with GDK_BACKEND=x11 GSK_RENDERER=cairo).  For the
 * three-way-handshake lesson, the SYN-flood lesson and no lesson, TCPLAB is
 * started several times, each a fresh process.  Just before each spawn the
 * time is read from CLOCK_MONOTONIC and handed to the child in
 * TL_BENCH_FIRST_FRAME; at the end of the window's first painted frame the
 * application prints the time elapsed since then and its VmRSS and VmHWM,
 * and quits (tl-application.c, watch_first_frame).  The figure thus holds
 * fork and exec, the dynamic loader, GTK's start, the X connection, building
 * the window, reading and simulating the lesson, and painting.
 *
 * One line per case (form in tl-bench.c): first frame median and best in ms,
 * VmRSS and VmHWM at the first frame (median and largest) in KiB, and the
 * budgets; within_budget is about the median time, rss_within_budget about
 * the median VmRSS. */
#include <stdio.h>

#include "tl-bench.h"
#include "tl-test-needs.h"

#define BUDGET_MS      500
#define BUDGET_RSS_KIB (100 * 1024)

typedef struct
{
  const char *name;
  const char *lesson; /* NULL: none */
} Case;

static const Case cases[] = {
  { "window-first-frame-three-way-handshake", "three-way-handshake.lesson" },
  { "window-first-frame-syn-flood", "syn-flood.lesson" },
  { "window-first-frame-no-lesson", NULL },
};

/* One start of tcplab: FALSE with a message on stderr if it did not report. */
static gboolean
start_once (const char *tcplab,
            const char *lesson_path,
            double     *ms,
            double     *rss_kib,
            double     *peak_kib)
{
  const char *argv[] = { tcplab, lesson_path, NULL };
  g_auto(GStrv) envp = g_get_environ ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  gint64 first_us;
  guint64 rss, peak;
  int status;
  char spawned[32];

  g_snprintf (spawned, sizeof spawned, "%" G_GINT64_FORMAT, g_get_monotonic_time ());
  envp = g_environ_setenv (envp, "TL_BENCH_FIRST_FRAME", spawned, TRUE);
  if (!g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL,
                     &out, &err, &status, &error)
      || !g_spawn_check_wait_status (status, &error))
    {
      g_printerr ("bench-window: %s: %s\n%s", tcplab, error->message, err != NULL ? err : "");
      return FALSE;
    }
  if (sscanf (out, "first_frame_us=%" G_GINT64_FORMAT " rss_kib=%" G_GUINT64_FORMAT
              " rss_peak_kib=%" G_GUINT64_FORMAT, &first_us, &rss, &peak) != 3)
    {
      g_printerr ("bench-window: %s reported no first frame; its output:\n%s%s", tcplab, out, err);
      return FALSE;
    }
  *ms = first_us / 1000.0;
  *rss_kib = rss;
  *peak_kib = peak;
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  guint reps = tl_bench_reps (5);
  g_autofree double *ms = g_new (double, reps);
  g_autofree double *rss = g_new (double, reps);
  g_autofree double *peak = g_new (double, reps);

  tl_test_needs (&argc, argv);
  if (argc != 3)
    {
      g_printerr ("usage: bench-window TCPLAB LESSONS_DIR\n");
      return 2;
    }
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autofree char *path = cases[c].lesson != NULL
                              ? g_build_filename (argv[2], cases[c].lesson, NULL) : NULL;
      TlBenchLine *line;
      double ms_median, rss_median;

      for (guint i = 0; i < reps; i++)
        if (!start_once (argv[1], path, &ms[i], &rss[i], &peak[i]))
          return 1;

      line = tl_bench_line_new (cases[c].name);
      tl_bench_line_add_uint (line, "reps", reps);
      tl_bench_line_add_stats (line, "first_frame_ms", ms, reps, FALSE, 1);
      ms_median = tl_bench_median (ms, reps);
      /* tl_bench_median sorts: the last sample is then the largest */
      rss_median = tl_bench_median (rss, reps);
      tl_bench_line_add_uint (line, "rss_kib_median", (guint64) rss_median);
      tl_bench_line_add_uint (line, "rss_kib_max", (guint64) rss[reps - 1]);
      tl_bench_line_add_uint (line, "rss_peak_kib_median", (guint64) tl_bench_median (peak, reps));
      tl_bench_line_add_uint (line, "rss_peak_kib_max", (guint64) peak[reps - 1]);
      tl_bench_line_add_uint (line, "budget_ms", BUDGET_MS);
      tl_bench_line_add_word (line, "within_budget", ms_median < BUDGET_MS ? "yes" : "no");
      tl_bench_line_add_uint (line, "budget_rss_kib", BUDGET_RSS_KIB);
      tl_bench_line_add_word (line, "rss_within_budget",
                              rss_median < BUDGET_RSS_KIB ? "yes" : "no");
      tl_bench_line_print (line);
    }
  return 0;
}
