/* tl-bench.h: what every benchmark of tests/ shares: the line it prints,
 * the clock, medians, peak memory, the SYN flood they measure, and a bare
 * binary heap to compare the simulator with.  The line form is documented
 * in tl-bench.c. */
#pragma once

#include <glib.h>

#include "tl-scenario.h"

G_BEGIN_DECLS

typedef struct _TlBenchLine TlBenchLine;

TlBenchLine *tl_bench_line_new        (const char  *name);
void         tl_bench_line_add_uint   (TlBenchLine *line,
                                       const char  *key,
                                       guint64      value);
void         tl_bench_line_add_double (TlBenchLine *line,
                                       const char  *key,
                                       double       value,
                                       int          decimals);
void         tl_bench_line_add_word   (TlBenchLine *line,
                                       const char  *key,
                                       const char  *word);
/* Adds KEY_median and KEY_best, best being the smallest (times) or, with
 * higher_is_better, the largest (rates). */
void         tl_bench_line_add_stats  (TlBenchLine *line,
                                       const char  *key,
                                       const double *samples,
                                       guint        n,
                                       gboolean     higher_is_better,
                                       int          decimals);
/* Prints the line on stdout and frees it. */
void         tl_bench_line_print      (TlBenchLine *line);

/* CLOCK_MONOTONIC in nanoseconds. */
gint64       tl_bench_now_ns          (void);
/* The median of n samples (sorts them). */
double       tl_bench_median          (double      *samples,
                                       guint        n);
/* Repetitions of a timed run: TL_BENCH_REPS from the environment, else default_reps. */
guint        tl_bench_reps            (guint        default_reps);

/* Peak and current resident memory of this process (VmHWM, VmRSS of
 * /proc/self/status), in KiB; 0 when unreadable. */
guint64      tl_bench_peak_rss_kib    (void);
guint64      tl_bench_rss_kib         (void);

/* The same work as a simulator's event loop on a bare binary heap of
 * (time, seq): `pairs` times, pop the earliest and push one later, the heap
 * holding `size` entries throughout (the "hold" model of event-queue
 * benchmarks).  Returns nanoseconds per pop+push pair. */
double       tl_bench_heap_hold_ns    (guint64      pairs,
                                       guint        size);

/* The flood the benchmarks measure: server listening on port 80; from 10 ms,
 * count SYNs at 100,000 a second from 198.51.0.0/16; syncookies on the server. */
TlScenario  *tl_bench_flood_scenario  (TlSyncookies cookies,
                                       guint        count);

G_END_DECLS
