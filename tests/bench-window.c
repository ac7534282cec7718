/* bench-window.c: the window as users run it (DESIGN.md: first frame under
 * 0.5 s and under 100 MB, as the desktop file starts it; playback of a
 * 10^6-record trace keeps up with the frame clock, p99 frame under 16 ms).
 *
 * Usage: bench-window TCPLAB LESSONS_DIR, on a display (tests/meson.build
 * runs it under tests/run-xvfb with GDK_BACKEND=x11).  TCPLAB is started as the
 * desktop file starts it: GSK_RENDERER and GDK_DEBUG are removed from its
 * environment, so the renderer is the one the program picks itself; the
 * same cases run again with GTK's GL renderer (GSK_RENDERER=ngl), the
 * figures the choice was made on (tl-application.c).  Each line names the
 * renderer tcplab reported.
 *
 * First frame: for the three-way-handshake lesson, the SYN-flood lesson and
 * no lesson, TCPLAB is started several times, each a fresh process.  Just
 * before each spawn the time is read from CLOCK_MONOTONIC and handed to the
 * child in TL_BENCH_FIRST_FRAME; at the end of the window's first painted
 * frame the application prints the time elapsed since then, its VmRSS and
 * VmHWM and its renderer, and quits (tl-application.c, watch_first_frame).
 * The figure thus holds fork and exec, the dynamic loader, GTK's start, the
 * X connection, building the window, reading and simulating the lesson, and
 * painting.  The process's CPU time then (user and system) is printed too:
 * on a shared machine the wall time stretches with the load, the CPU time
 * does not.
 *
 * Playback: a flood lesson of about 10^6 trace records (written to a
 * temporary folder) played at 1x and 10x with TL_BENCH_PLAYBACK=FRAMES,SPEED:
 * tcplab times each frame of its frame clock from "before-paint" to the end
 * of "after-paint" and prints the 50th and 99th percentiles and the largest,
 * in wall time and in the CPU time of its thread (which a loaded machine
 * does not inflate).
 *
 * TL_BENCH_QUICK=1 (the window-first-frame test): one start of the first
 * case only, with the program's renderer; it fails when tcplab does not
 * report, never on speed.
 *
 * Line form in tl-bench.c; within_budget is about the median time (first
 * frame) or the p99 frame time (playback), rss_within_budget about the
 * median VmRSS. */
#include <stdio.h>
#include <glib/gstdio.h>

#include "tl-bench.h"
#include "tl-test-needs.h"

#define BUDGET_MS       500
#define BUDGET_RSS_KIB  (100 * 1024)
#define BUDGET_FRAME_MS 16.0
#define PLAYBACK_FRAMES 600
/* 3.2 records a SYN with cookies on: about 10^6 records */
#define FLOOD_COUNT     320000

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
/* Runs tcplab once with one more variable in its environment; its stdout,
 * or NULL with a message on stderr.  renderer NULL: as the desktop file
 * starts it (no GSK_RENDERER, no GDK_DEBUG). */
static char *
run_tcplab (const char *tcplab,
            const char *lesson_path,
            const char *renderer,
            const char *variable,
            const char *value)
{
  const char *argv[] = { tcplab, lesson_path, NULL };
  g_auto(GStrv) envp = g_get_environ ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  envp = g_environ_unsetenv (envp, "GSK_RENDERER");
  envp = g_environ_unsetenv (envp, "GDK_DEBUG");
  if (renderer != NULL)
    envp = g_environ_setenv (envp, "GSK_RENDERER", renderer, TRUE);
  envp = g_environ_setenv (envp, variable, value, TRUE);
  if (!g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL,
                     &out, &err, &status, &error)
      || !g_spawn_check_wait_status (status, &error))
    {
      g_printerr ("bench-window: %s: %s\n%s", tcplab, error->message, err != NULL ? err : "");
      return NULL;
    }
  return g_steal_pointer (&out);
}

/* One start of tcplab: FALSE with a message on stderr if it did not report. */
static gboolean
start_once (const char *tcplab,
            const char *lesson_path,
            const char *renderer,
            double     *ms,
            double     *rss_kib,
            double     *peak_kib,
            double     *cpu_ms,
            char        used[32])
{
  g_autofree char *out = NULL;
  gint64 first_us;
  guint64 rss, peak;
  char spawned[32];

  g_snprintf (spawned, sizeof spawned, "%" G_GINT64_FORMAT, g_get_monotonic_time ());
  out = run_tcplab (tcplab, lesson_path, renderer, "TL_BENCH_FIRST_FRAME", spawned);
  if (out == NULL)
    return FALSE;
  if (sscanf (out, "first_frame_us=%" G_GINT64_FORMAT " rss_kib=%" G_GUINT64_FORMAT
              " rss_peak_kib=%" G_GUINT64_FORMAT " renderer=%31s cpu_ms=%lf", &first_us, &rss,
              &peak, used, cpu_ms) != 5)
    {
      g_printerr ("bench-window: %s reported no first frame; its output:\n%s", tcplab, out);
      return FALSE;
    }
  *ms = first_us / 1000.0;
  *rss_kib = rss;
  *peak_kib = peak;
  return TRUE;
}

/* The case's line name: NAME, or NAME-gl when the renderer was forced. */
static char *
case_name (const char *name,
           const char *renderer)
{
  return renderer != NULL ? g_strdup_printf ("%s-gl", name) : g_strdup (name);
}

static gboolean
bench_first_frame (const char *tcplab,
                   const char *lessons,
                   const Case *c,
                   const char *renderer,
                   guint       reps)
{
  g_autofree char *path = c->lesson != NULL ? g_build_filename (lessons, c->lesson, NULL) : NULL;
  g_autofree char *name = case_name (c->name, renderer);
  g_autofree double *ms = g_new (double, reps);
  g_autofree double *rss = g_new (double, reps);
  g_autofree double *peak = g_new (double, reps);
  g_autofree double *cpu = g_new (double, reps);
  char used[32] = "";
  TlBenchLine *line;
  double ms_median, rss_median;

  for (guint i = 0; i < reps; i++)
    if (!start_once (tcplab, path, renderer, &ms[i], &rss[i], &peak[i], &cpu[i], used))
      return FALSE;

  line = tl_bench_line_new (name);
  tl_bench_line_add_word (line, "renderer", used);
  tl_bench_line_add_uint (line, "reps", reps);
  tl_bench_line_add_stats (line, "first_frame_ms", ms, reps, FALSE, 1);
  ms_median = tl_bench_median (ms, reps);
  /* the process's CPU time to its first frame: what the wall time would be
   * on an idle machine, give or take the X server's share */
  tl_bench_line_add_double (line, "first_frame_cpu_ms_median", tl_bench_median (cpu, reps), 1);
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
  return TRUE;
}

/* Plays the flood lesson at speed; one line. */
static gboolean
bench_playback (const char *tcplab,
                const char *lesson_path,
                const char *renderer,
                double      speed)
{
  g_autofree char *spec = g_strdup_printf ("%u,%g", PLAYBACK_FRAMES, speed);
  g_autofree char *base = g_strdup_printf ("window-playback-flood-1m-speed-%g", speed);
  g_autofree char *name = case_name (base, renderer);
  g_autofree char *out = run_tcplab (tcplab, lesson_path, renderer, "TL_BENCH_PLAYBACK", spec);
  guint frames;
  double p50, p99, max, i50, i99, c50, c99;
  char used[32];
  TlBenchLine *line;

  if (out == NULL)
    return FALSE;
  if (sscanf (out, "playback_frames=%u frame_ms_p50=%lf frame_ms_p99=%lf frame_ms_max=%lf "
              "interval_ms_p50=%lf interval_ms_p99=%lf cpu_ms_p50=%lf cpu_ms_p99=%lf "
              "renderer=%31s", &frames, &p50, &p99, &max, &i50, &i99, &c50, &c99, used) != 9)
    {
      g_printerr ("bench-window: %s reported no playback; its output:\n%s", tcplab, out);
      return FALSE;
    }
  line = tl_bench_line_new (name);
  tl_bench_line_add_word (line, "renderer", used);
  tl_bench_line_add_double (line, "speed", speed, 2);
  tl_bench_line_add_uint (line, "syns", FLOOD_COUNT);
  tl_bench_line_add_uint (line, "frames", frames);
  tl_bench_line_add_double (line, "frame_ms_p50", p50, 2);
  tl_bench_line_add_double (line, "frame_ms_p99", p99, 2);
  tl_bench_line_add_double (line, "frame_ms_max", max, 2);
  tl_bench_line_add_double (line, "interval_ms_p50", i50, 2);
  tl_bench_line_add_double (line, "interval_ms_p99", i99, 2);
  tl_bench_line_add_double (line, "cpu_ms_p50", c50, 2);
  tl_bench_line_add_double (line, "cpu_ms_p99", c99, 2);
  tl_bench_line_add_double (line, "budget_frame_ms_p99", BUDGET_FRAME_MS, 0);
  tl_bench_line_add_word (line, "within_budget", p99 < BUDGET_FRAME_MS ? "yes" : "no");
  tl_bench_line_print (line);
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  gboolean quick = g_strcmp0 (g_getenv ("TL_BENCH_QUICK"), "1") == 0;
  guint reps = quick ? 1 : tl_bench_reps (5);
  /* NULL: the program's own choice; then GTK's GL renderer, for comparison */
  const char *renderers[] = { NULL, "ngl" };
  g_autofree char *dir = NULL;
  g_autofree char *flood = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok = TRUE;

  tl_test_needs (&argc, argv);
  if (argc != 3)
    {
      g_printerr ("usage: bench-window TCPLAB LESSONS_DIR\n");
      return 2;
    }
  for (guint r = 0; r < (quick ? 1 : G_N_ELEMENTS (renderers)); r++)
    for (guint c = 0; c < (quick ? 1 : G_N_ELEMENTS (cases)); c++)
      if (!bench_first_frame (argv[1], argv[2], &cases[c], renderers[r], reps))
        return 1;
  if (quick)
    return 0;

  dir = g_dir_make_tmp ("bench-window-XXXXXX", &error);
  if (dir == NULL)
    {
      g_printerr ("bench-window: %s\n", error->message);
      return 1;
    }
  flood = g_build_filename (dir, "flood-1m.lesson", NULL);
  text = g_strdup_printf ("title \"A flood of %u SYNs\"\n"
                          "host client 10.0.0.1\nhost server 10.0.0.2\nlink delay 10ms\n"
                          "0ms server listen 80\n"
                          "10ms flood server:80 count %u rate 100000/s\n",
                          FLOOD_COUNT, FLOOD_COUNT);
  if (!g_file_set_contents (flood, text, -1, &error))
    {
      g_printerr ("bench-window: %s\n", error->message);
      return 1;
    }
  ok = bench_playback (argv[1], flood, NULL, 1.0)
       && bench_playback (argv[1], flood, NULL, 10.0)
       && bench_playback (argv[1], flood, "ngl", 10.0);
  g_unlink (flood);
  g_rmdir (dir);
  return ok ? 0 : 1;
}
