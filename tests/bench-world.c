/* bench-world.c: the time of tl_trace_world_at() at random times in a trace
 * of 10^6 records (DESIGN.md: a frame, world included, under 4 ms).
 * The trace is synthetic: a SYN flood's pattern of half-open requests,
 * each with its SYN, SYN,ACK, state changes and timer; 1,024 of them alive
 * at once (a full SYN queue of Linux's default size), then 30,000 (a hard
 * case: a real SYN queue holds far fewer).  Each query is timed: the line
 * (form in tl-bench.c) gives the median, the best and the worst. */
#include <stdio.h>

#include "tl-bench.h"
#include "tl-trace.h"

#define N_RECORDS 1000000
#define N_QUERIES 2000

static void
add_record (TlTrace *trace, TlRecordKind kind, gint64 t, guint host, guint32 conn,
            TlRecord **out)
{
  TlRecord *r = tl_trace_append (trace, kind, t);

  r->host = host;
  r->conn = conn;
  *out = r;
}

static TlTrace *
make_flood_trace (guint32 alive)
{
  static const char *const names[2] = { "client", "server" };
  static const guint32 addrs[2] = { 0x0a000001, 0x0a000002 };
  TlTrace *trace = tl_trace_new (names, addrs);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  TlTraceConn lis = { .host = 1, .listener = TRUE, .parent = TL_NO_CONN };
  guint32 listener = tl_trace_add_conn (trace, &lis);
  TlRecord *r;
  gint64 t = 0;
  guint32 ordinal = 0;

  add_record (trace, TL_REC_STATE, 0, 1, listener, &r);
  r->u.state.to = TL_STATE_LISTEN;
  /* 10,000 SYNs a second; each request turns SYN_RCVD about 100 SYNs
   * later (10 ms) and times out `alive` SYNs after that. */
  while (tl_trace_n_records (trace) < N_RECORDS)
    {
      TlTraceConn c = { .host = 1, .parent = listener, .ordinal = ++ordinal, .created_us = t };
      guint32 conn = tl_trace_add_conn (trace, &c);

      t += g_rand_int_range (rand, 50, 150);
      add_record (trace, TL_REC_SEGMENT, t, 1, TL_NO_CONN, &r);
      r->u.seg.id = ordinal;
      r->u.seg.flags = TL_FLAG_SYN;
      r->u.seg.delay_us = 10000;
      tl_trace_set_segment_peer (trace, r->u.seg.id, 0xc0a80000 + ordinal);
      if (conn > 100)
        {
          add_record (trace, TL_REC_STATE, t, 1, conn - 100, &r);
          r->u.state.to = TL_STATE_SYN_RCVD;
          add_record (trace, TL_REC_SEGMENT, t, 1, conn - 100, &r);
          r->u.seg.flags = TL_FLAG_SYN | TL_FLAG_ACK;
          r->u.seg.delay_us = 10000;
          r->u.seg.fate = TL_FATE_DISCARDED;
          add_record (trace, TL_REC_TIMER, t, 1, conn - 100, &r);
          r->u.timer.timer = TL_TIMER_SYNACK;
          r->u.timer.deadline_us = t + alive * 100;
        }
      if (conn > alive + 100)
        {
          add_record (trace, TL_REC_TIMER, t, 1, conn - alive - 100, &r);
          r->u.timer.timer = TL_TIMER_SYNACK;
          r->u.timer.action = TL_TIMER_FIRED;
          add_record (trace, TL_REC_STATE, t, 1, conn - alive - 100, &r);
          r->u.state.from = TL_STATE_SYN_RCVD;
          r->u.state.to = TL_STATE_CLOSED;
          r->u.state.cause = TL_CAUSE_TIMEOUT;
        }
    }
  return trace;
}

static void
bench (guint32 alive)
{
  g_autoptr(TlTrace) trace = make_flood_trace (alive);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autofree double *us = g_new (double, N_QUERIES);
  g_autofree char *name = g_strdup_printf ("world-1m-records-%u-alive", alive);
  gint64 end = tl_trace_end_time (trace);
  gint64 t0;
  double seal_ms, worst = 0;
  guint live = 0;
  TlWorld world;
  TlBenchLine *line;

  t0 = tl_bench_now_ns ();
  tl_trace_seal (trace);
  seal_ms = (tl_bench_now_ns () - t0) / 1e6;

  tl_world_init (&world);
  for (guint i = 0; i < N_QUERIES; i++)
    {
      gint64 t = (gint64) (g_rand_double (rand) * end);

      t0 = tl_bench_now_ns ();
      tl_trace_world_at (trace, t, &world);
      us[i] = (tl_bench_now_ns () - t0) / 1e3;
      worst = MAX (worst, us[i]);
      live = MAX (live, world.sockets->len);
    }
  tl_world_clear (&world);

  line = tl_bench_line_new (name);
  tl_bench_line_add_uint (line, "records", tl_trace_n_records (trace));
  tl_bench_line_add_uint (line, "conns", tl_trace_n_conns (trace));
  tl_bench_line_add_double (line, "seal_ms", seal_ms, 1);
  tl_bench_line_add_uint (line, "queries", N_QUERIES);
  tl_bench_line_add_uint (line, "live_sockets_peak", live);
  tl_bench_line_add_stats (line, "world_us", us, N_QUERIES, FALSE, 1);
  tl_bench_line_add_double (line, "world_us_worst", worst, 1);
  /* the world is part of a frame: a frame's budget bounds it */
  tl_bench_line_add_double (line, "budget_us", 4000, 0);
  tl_bench_line_add_word (line, "within_budget",
                          tl_bench_median (us, N_QUERIES) < 4000 ? "yes" : "no");
  tl_bench_line_add_uint (line, "peak_rss_kib", tl_bench_peak_rss_kib ());
  tl_bench_line_print (line);
}

int
main (void)
{
  bench (1024);
  bench (30000);
  return 0;
}
