/* bench-flood.c: the performance budget of DESIGN.md on a flood of 100,000
 * SYNs: events per second, ns per event, records and bytes per record, peak
 * memory.  A benchmark, not a test: it prints and does not fail on speed. */
#include <stdio.h>
#include <sys/resource.h>

#include "tl-sim.h"

static void
run (TlSyncookies cookies)
{
  g_autoptr (TlScenario) sc = tl_scenario_new ();
  g_autoptr (TlSim) sim = NULL;
  g_autoptr (TlTrace) trace = NULL;
  TlStmt listen = { 0 };
  TlStmt flood = { 0 };
  gint64 t0, t1;
  guint64 events;
  struct rusage ru;

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
  flood.u.flood.count = 100000;
  flood.u.flood.rate_per_s = 100000;
  flood.u.flood.net_addr = (198u << 24) | (51u << 16);
  flood.u.flood.prefix_len = 16;
  tl_scenario_insert (sc, &flood);

  t0 = g_get_monotonic_time ();
  sim = tl_sim_new (sc);
  tl_sim_run (sim);
  events = tl_sim_n_events (sim);
  trace = tl_sim_steal_trace (sim);
  t1 = g_get_monotonic_time ();
  getrusage (RUSAGE_SELF, &ru);

  printf ("flood 100000 SYNs, syncookies %s: %.1f ms, %" G_GUINT64_FORMAT " events, "
          "%.2f M events/s, %.0f ns/event, %u records of %zu bytes, %u connections, "
          "peak RSS %ld MiB\n",
          cookies == TL_SYNCOOKIES_OFF ? "off" : "on",
          (t1 - t0) / 1000.0, events, events / (double) (t1 - t0),
          (t1 - t0) * 1000.0 / (double) events, tl_trace_n_records (trace), sizeof (TlRecord),
          tl_trace_n_conns (trace), ru.ru_maxrss / 1024);
}

int
main (void)
{
  run (TL_SYNCOOKIES_ON);
  run (TL_SYNCOOKIES_OFF);
  return 0;
}
