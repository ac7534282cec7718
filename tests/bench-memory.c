/* bench-memory.c: bytes per trace record and peak memory on floods of
 * 10,000, 100,000 and 1,000,000 SYNs, SYN cookies on and off, and whether
 * the simulator's own memory is bounded by its queues rather than by the
 * number of SYNs (DESIGN.md, "Performance budget").  Line form in tl-bench.c.
 *
 * Each flood runs in a child process of its own, so that its peak RSS
 * (VmHWM) is its own.  The simulator's memory is the heap in use (glibc's
 * mallinfo2) minus what it was before the run, minus the blocks the trace
 * holds (malloc_usable_size of its arrays), sampled every 256 events: what
 * the event queue, the segments in flight, the sockets and the hosts' tables
 * take, excluding the trace that a longer flood must make longer. */
#include <malloc.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tl-bench.h"
/* the trace's arrays and the queue's length: what is measured */
#include "tl-sim-private.h"
#include "tl-trace-private.h"

#define N_SIZES 3

static const guint sizes[N_SIZES] = { 10000, 100000, 1000000 };
static const char *const size_names[N_SIZES] = { "10k", "100k", "1m" };

static guint64
heap_in_use (void)
{
  struct mallinfo2 mi = mallinfo2 ();

  return mi.uordblks + mi.hblkhd;
}

static guint64
array_bytes (GArray *array)
{
  return array->data != NULL ? malloc_usable_size (array->data) : 0;
}

static guint64
trace_bytes (TlTrace *trace)
{
  return array_bytes (trace->records) + array_bytes (trace->conns)
         + array_bytes (trace->host_conns[0]) + array_bytes (trace->host_conns[1])
         + array_bytes (trace->texts);
}

/* In the child: runs one flood, prints its line, returns the simulator's peak. */
static guint64
measure (const char   *name,
         TlSyncookies  cookies,
         guint         count)
{
  g_autoptr(TlScenario) sc = tl_bench_flood_scenario (cookies, count);
  guint64 base = heap_in_use ();
  g_autoptr(TlSim) sim = tl_sim_new (sc);
  guint64 sim_peak = 0;
  guint queue_peak = 0;
  guint segs_peak = 0;
  guint64 trace_final;
  TlBenchLine *line;

  do
    {
      if (sim->n_events % 256 == 0)
        {
          gint64 in_use = (gint64) heap_in_use () - (gint64) base - (gint64) trace_bytes (sim->trace);

          sim_peak = MAX (sim_peak, (guint64) MAX (in_use, 0));
        }
      queue_peak = MAX (queue_peak, tl_event_queue_length (sim->queue));
      segs_peak = MAX (segs_peak, sim->segs->len);
    }
  while (tl_sim_step (sim));
  trace_final = trace_bytes (sim->trace);

  line = tl_bench_line_new (name);
  tl_bench_line_add_uint (line, "syns", count);
  tl_bench_line_add_uint (line, "events", tl_sim_n_events (sim));
  tl_bench_line_add_uint (line, "records", tl_trace_n_records (sim->trace));
  tl_bench_line_add_uint (line, "conns", tl_trace_n_conns (sim->trace));
  tl_bench_line_add_uint (line, "bytes_per_record", sizeof (TlRecord));
  tl_bench_line_add_uint (line, "budget_bytes_per_record", 32);
  tl_bench_line_add_uint (line, "trace_kib", trace_final / 1024);
  tl_bench_line_add_uint (line, "sim_peak_kib", sim_peak / 1024);
  tl_bench_line_add_uint (line, "queue_peak", queue_peak);
  tl_bench_line_add_uint (line, "segs_in_flight_peak", segs_peak);
  tl_bench_line_add_uint (line, "peak_rss_kib", tl_bench_peak_rss_kib ());
  tl_bench_line_print (line);
  return sim_peak;
}

static void
bench (TlSyncookies cookies)
{
  const char *suffix = cookies == TL_SYNCOOKIES_ON ? "cookies-on" : "cookies-off";
  guint64 peaks[N_SIZES] = { 0 };
  TlBenchLine *line;
  g_autofree char *summary = g_strdup_printf ("memory-bounded-%s", suffix);

  for (guint i = 0; i < N_SIZES; i++)
    {
      g_autofree char *name = g_strdup_printf ("memory-flood-%s-syn-%s", size_names[i], suffix);
      int fds[2];
      pid_t pid;
      int status;

      if (pipe (fds) != 0)
        g_error ("pipe failed");
      fflush (stdout);
      pid = fork ();
      if (pid < 0)
        g_error ("fork failed");
      if (pid == 0)
        {
          guint64 peak = measure (name, cookies, sizes[i]);

          close (fds[0]);
          if (write (fds[1], &peak, sizeof peak) != sizeof peak)
            _exit (1);
          _exit (0);
        }
      close (fds[1]);
      if (read (fds[0], &peaks[i], sizeof peaks[i]) != sizeof peaks[i])
        g_error ("%s: the child gave no figure", name);
      close (fds[0]);
      waitpid (pid, &status, 0);
    }

  /* Bounded: a hundred times the SYNs, not noticeably more simulator memory
   * (within a factor of 2 and 1 MiB of the smallest flood's). */
  line = tl_bench_line_new (summary);
  for (guint i = 0; i < N_SIZES; i++)
    {
      g_autofree char *key = g_strdup_printf ("sim_peak_kib_%s", size_names[i]);

      tl_bench_line_add_uint (line, key, peaks[i] / 1024);
    }
  tl_bench_line_add_double (line, "growth_1m_over_10k",
                            peaks[0] > 0 ? (double) peaks[2] / peaks[0] : 0, 2);
  tl_bench_line_add_word (line, "bounded",
                          peaks[2] <= 2 * peaks[0] + 1024 * 1024 ? "yes" : "no");
  tl_bench_line_print (line);
}

int
main (void)
{
  bench (TL_SYNCOOKIES_ON);
  bench (TL_SYNCOOKIES_OFF);
  return 0;
}
