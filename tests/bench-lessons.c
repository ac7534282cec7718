/* bench-lessons.c: simulating each shipped lesson again, as the GUI does on
 * every intervention (DESIGN.md: under 1 ms).  Each lesson is parsed once;
 * tl_simulate (simulation and sealing, indexes included) is then timed
 * several times.  The lessons are the .lesson files of lessons/ in the source tree, or
 * those of the directory given as argv[1].  Line form in tl-bench.c. */
#include <stdio.h>
#include <string.h>

#include "tl-bench.h"
#include "tl-config.h"
#include "tl-lesson.h"
#include "tl-sim.h"

#define BUDGET_US 1000.0

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

int
main (int   argc,
      char *argv[])
{
  const char *dir_path = argc > 1 ? argv[1] : TL_SOURCE_LESSONS_DIR;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, &error);
  guint reps = tl_bench_reps (31);
  g_autofree double *us = g_new (double, reps);
  double worst = 0;
  const char *worst_name = "none";
  guint n_ok = 0;
  guint n_failed = 0;
  TlBenchLine *line;
  const char *name;

  if (dir == NULL)
    g_error ("%s", error->message);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".lesson"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      const char *file = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (dir_path, file, NULL);
      g_autofree char *stem = g_strndup (file, strlen (file) - strlen (".lesson"));
      g_autofree char *bench_name = g_strconcat ("lesson-", stem, NULL);
      g_autoptr(GError) parse_error = NULL;
      g_autoptr(TlScenario) sc = tl_lesson_parse_file (path, NULL, &parse_error);
      guint records = 0;
      guint64 events = 0;
      double median;

      line = tl_bench_line_new (bench_name);
      if (sc == NULL)
        {
          /* reported, not timed: `meson test --suite lessons` says why */
          tl_bench_line_add_word (line, "parsed", "no");
          tl_bench_line_print (line);
          n_failed++;
          continue;
        }
      /* one run untimed: the first touches cold code and pages */
      tl_trace_free (tl_simulate (sc));
      for (guint r = 0; r < reps; r++)
        {
          gint64 t0 = tl_bench_now_ns ();
          g_autoptr(TlTrace) trace = tl_simulate (sc);

          us[r] = (tl_bench_now_ns () - t0) / 1e3;
          records = tl_trace_n_records (trace);
        }
      {
        g_autoptr(TlSim) sim = tl_sim_new (sc);

        tl_sim_run (sim);
        events = tl_sim_n_events (sim);
      }
      tl_bench_line_add_word (line, "parsed", "yes");
      tl_bench_line_add_uint (line, "reps", reps);
      tl_bench_line_add_uint (line, "events", events);
      tl_bench_line_add_uint (line, "records", records);
      tl_bench_line_add_stats (line, "simulate_us", us, reps, FALSE, 1);
      tl_bench_line_add_double (line, "budget_us", BUDGET_US, 0);
      median = tl_bench_median (us, reps);
      tl_bench_line_add_word (line, "within_budget", median < BUDGET_US ? "yes" : "no");
      tl_bench_line_print (line);
      n_ok++;
      if (median > worst)
        {
          worst = median;
          worst_name = g_ptr_array_index (names, i);
        }
    }

  line = tl_bench_line_new ("lessons");
  tl_bench_line_add_uint (line, "lessons", n_ok);
  tl_bench_line_add_uint (line, "not_parsed", n_failed);
  tl_bench_line_add_double (line, "worst_simulate_us_median", worst, 1);
  tl_bench_line_add_word (line, "worst", worst_name);
  tl_bench_line_add_double (line, "budget_us", BUDGET_US, 0);
  tl_bench_line_add_word (line, "within_budget", worst < BUDGET_US ? "yes" : "no");
  tl_bench_line_add_uint (line, "peak_rss_kib", tl_bench_peak_rss_kib ());
  tl_bench_line_print (line);
  return 0;
}
