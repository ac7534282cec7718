/* bench-flood.c: core throughput (DESIGN.md, "Performance budget"): events
 * per second and ns per event on a flood of 100,000 SYNs, SYN cookies on and
 * off, and on 10,000 connections opened and closed one after another; in the
 * same run, as many pop+push pairs on a bare binary heap held at the
 * simulator's mean queue length, and the ratio of the two.  Line form in
 * tl-bench.c.  A benchmark, not a test: it prints and does not fail on speed.
 *
 * Times: `run` is tl_sim_new and tl_sim_run (the events); `total` adds
 * tl_sim_steal_trace, which seals the trace (its indexes), as tl_simulate
 * does for the GUI. */
#include <stdio.h>
#include <string.h>

#include "tl-bench.h"
#include "tl-lesson.h"
/* the queue's length, to size the bare heap alike */
#include "tl-sim-private.h"

#define BUDGET_EVENTS_PER_S 5e6
#define BUDGET_FLOOD_MS     100.0

/* 10,000 connections, one every 10 ms: the client connects, closes 4 ms
 * later, the server closes 1 ms after that; TIME_WAIT (60 s) piles up. */
static TlScenario *
open_close_scenario (guint n)
{
  g_autoptr(GString) text = g_string_new ("host client 10.0.0.1\n"
                                          "host server 10.0.0.2\n"
                                          "link delay 1ms\n"
                                          "0ms server listen 80\n");
  g_autoptr(GError) error = NULL;
  TlScenario *sc;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (text,
                            "%ums client connect server:80\n"
                            "%ums client#%u close\n"
                            "%ums server#%u close\n",
                            10 * i + 1, 10 * i + 5, i + 1, 10 * i + 6, i + 1);
  sc = tl_lesson_parse (text->str, text->len, "open-close", NULL, &error);
  if (sc == NULL)
    g_error ("open-close scenario: %s", error->message);
  return sc;
}

/* The simulator's mean queue length over its events, stepping once untimed. */
static guint
mean_queue_length (const TlScenario *sc)
{
  g_autoptr(TlSim) sim = tl_sim_new (sc);
  guint64 sum = 0;
  guint64 n = 0;

  while (tl_sim_step (sim))
    {
      sum += tl_event_queue_length (sim->queue);
      n++;
    }
  return n > 0 ? (guint) ((sum + n / 2) / n) : 1;
}

/* argv[1], when given, runs only the benchmarks whose name contains it
 * (for a profiler: perf record ./bench-flood open-close). */
static const char *only;

static void
bench (const char       *name,
       const TlScenario *sc)
{
  guint reps = tl_bench_reps (7);
  g_autofree double *run_ms = g_new (double, reps);
  g_autofree double *total_ms = g_new (double, reps);
  g_autofree double *ns_per_event = g_new (double, reps);
  g_autofree double *events_per_s = g_new (double, reps);
  g_autofree double *heap_ns = g_new (double, reps);
  g_autofree double *ratio = g_new (double, reps);
  guint64 events = 0;
  guint records = 0;
  guint conns = 0;
  guint queue;
  TlBenchLine *line;

  if (only != NULL && strstr (name, only) == NULL)
    return;
  queue = mean_queue_length (sc);

  for (guint r = 0; r < reps; r++)
    {
      g_autoptr(TlSim) sim = NULL;
      g_autoptr(TlTrace) trace = NULL;
      gint64 t0, t1, t2;

      t0 = tl_bench_now_ns ();
      sim = tl_sim_new (sc);
      tl_sim_run (sim);
      t1 = tl_bench_now_ns ();
      trace = tl_sim_steal_trace (sim);
      t2 = tl_bench_now_ns ();

      events = tl_sim_n_events (sim);
      records = tl_trace_n_records (trace);
      conns = tl_trace_n_conns (trace);
      run_ms[r] = (t1 - t0) / 1e6;
      total_ms[r] = (t2 - t0) / 1e6;
      ns_per_event[r] = (double) (t1 - t0) / events;
      events_per_s[r] = events / ((t1 - t0) / 1e9);
      /* the heap right after, on the same core and caches */
      heap_ns[r] = tl_bench_heap_hold_ns (events, queue);
      ratio[r] = ns_per_event[r] / heap_ns[r];
    }

  line = tl_bench_line_new (name);
  tl_bench_line_add_uint (line, "reps", reps);
  tl_bench_line_add_uint (line, "events", events);
  tl_bench_line_add_uint (line, "records", records);
  tl_bench_line_add_uint (line, "conns", conns);
  tl_bench_line_add_uint (line, "bytes_per_record", sizeof (TlRecord));
  tl_bench_line_add_stats (line, "run_ms", run_ms, reps, FALSE, 2);
  tl_bench_line_add_stats (line, "total_ms", total_ms, reps, FALSE, 2);
  tl_bench_line_add_stats (line, "ns_per_event", ns_per_event, reps, FALSE, 1);
  tl_bench_line_add_stats (line, "events_per_s", events_per_s, reps, TRUE, 0);
  tl_bench_line_add_uint (line, "heap_size", queue);
  tl_bench_line_add_stats (line, "heap_ns_per_op", heap_ns, reps, FALSE, 1);
  for (guint r = 0; r < reps; r++)
    heap_ns[r] = 1e9 / heap_ns[r];
  tl_bench_line_add_stats (line, "heap_ops_per_s", heap_ns, reps, TRUE, 0);
  tl_bench_line_add_stats (line, "sim_over_heap", ratio, reps, FALSE, 2);
  tl_bench_line_add_double (line, "budget_events_per_s", BUDGET_EVENTS_PER_S, 0);
  if (g_str_has_prefix (name, "flood"))
    tl_bench_line_add_double (line, "budget_total_ms", BUDGET_FLOOD_MS, 0);
  tl_bench_line_add_word (line, "within_budget",
                          tl_bench_median (events_per_s, reps) >= BUDGET_EVENTS_PER_S
                          && (!g_str_has_prefix (name, "flood")
                              || tl_bench_median (total_ms, reps) < BUDGET_FLOOD_MS)
                          ? "yes" : "no");
  tl_bench_line_add_uint (line, "peak_rss_kib", tl_bench_peak_rss_kib ());
  tl_bench_line_print (line);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(TlScenario) on = tl_bench_flood_scenario (TL_SYNCOOKIES_ON, 100000);
  g_autoptr(TlScenario) off = tl_bench_flood_scenario (TL_SYNCOOKIES_OFF, 100000);
  g_autoptr(TlScenario) open_close = open_close_scenario (10000);

  only = argc > 1 ? argv[1] : NULL;

  bench ("flood-100k-syn-cookies-on", on);
  bench ("flood-100k-syn-cookies-off", off);
  bench ("open-close-10k", open_close);
  return 0;
}
