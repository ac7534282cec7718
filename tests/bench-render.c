/* bench-render.c: milliseconds per view at 1920x1080 at random playhead
 * positions, for a synthetic trace of 10^6 records and for the largest
 * shipped lesson (DESIGN.md: under 4 ms a frame).  One line per view and
 * trace (form in tl-bench.c): median, best and worst frame; the budget is
 * met when the worst frame is under it.  Lessons are those of lessons/ in
 * the source tree, or of the directory given as argv[1].  TL_BENCH_ONLY
 * (e.g. "view-ladder-flood") measures only the lines whose names start so.
 * TL_BENCH_DUMP=DIR also writes the first frames of each line as DIR/LINE-K.png
 * (not timed): two builds' pictures compared (cmp) tell whether a change
 * made for speed changed the drawing.
 *
 * The trace is a SYN flood from spoofed addresses: a SYN every 20 us, the
 * server's SYN,ACK to nobody, and a SYN queue of 1,024 that drops its oldest
 * request when full: five records a SYN; and through it, every half second,
 * the real client's handshake, whose segments the ladder draws one by one. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <glib/gi18n.h>

#include "tl-bench.h"
#include "tl-config.h"
#include "tl-lesson.h"
#include "tl-render.h"
#include "tl-sim.h"

#define N_SYNS      200000
#define QUEUE       1024
#define GAP_US      20
#define DELAY_US    50000
#define CLIENT_EVERY 25000  /* SYNs of the flood between two real handshakes */
#define N_POSITIONS 120
/* frames at one moment (a few microseconds apart) */
#define N_MOMENT    40

static TlRecord *
add (TlTrace      *trace,
     TlRecordKind  kind,
     gint64        t,
     guint         host,
     guint32       conn)
{
  TlRecord *rec = tl_trace_append (trace, kind, t);

  rec->host = host;
  rec->conn = conn;
  return rec;
}

/* The real client's handshake that starts at SYN number i, at time t:
 * step 0 its SYN, 1 the server's SYN,ACK, 2 its ACK, 3 the server's
 * ESTABLISHED, each a one-way delay after the one before. */
static void
client_step (TlTrace *trace,
             guint    step,
             guint    i,
             gint64   t,
             guint32  conns[2])
{
  guint k = i / CLIENT_EVERY;
  guint32 id = 2 * N_SYNS + 3 * k + 1;
  TlRecord *rec;

  switch (step)
    {
    case 0:
      {
        TlTraceConn client = { .host = 0, .ordinal = k + 1, .local_addr = 0x0a000001,
                               .remote_addr = 0x0a000002, .local_port = 50000 + k,
                               .remote_port = 80, .iss = 1000, .parent = TL_NO_CONN,
                               .created_us = t };

        conns[0] = tl_trace_add_conn (trace, &client);
        rec = add (trace, TL_REC_STATE, t, 0, conns[0]);
        rec->u.state.to = TL_STATE_SYN_SENT;
        rec->u.state.cause = TL_CAUSE_APP_CONNECT;
        rec = add (trace, TL_REC_SEGMENT, t, 0, conns[0]);
        rec->u.seg.id = id;
        rec->u.seg.seq = 1000;
        rec->u.seg.flags = TL_FLAG_SYN;
        rec->u.seg.delay_us = DELAY_US;
      }
      break;
    case 1:
      {
        TlTraceConn child = { .host = 1, .ordinal = 0, .local_addr = 0x0a000002,
                              .remote_addr = 0x0a000001, .local_port = 80,
                              .remote_port = 50000 + k, .iss = 9000, .irs = 1000,
                              .parent = 0, .created_us = t };

        conns[1] = tl_trace_add_conn (trace, &child);
        rec = add (trace, TL_REC_STATE, t, 1, conns[1]);
        rec->u.state.from = TL_STATE_LISTEN;
        rec->u.state.to = TL_STATE_SYN_RCVD;
        rec->u.state.cause = TL_CAUSE_RCV_SYN;
        rec = add (trace, TL_REC_SEGMENT, t, 1, conns[1]);
        rec->u.seg.id = id + 1;
        rec->u.seg.seq = 9000;
        rec->u.seg.flags = TL_FLAG_SYN | TL_FLAG_ACK;
        rec->u.seg.delay_us = DELAY_US;
        tl_trace_segment_mut (trace, id + 1)->ack = 1001;
      }
      break;
    case 2:
      rec = add (trace, TL_REC_STATE, t, 0, conns[0]);
      rec->u.state.from = TL_STATE_SYN_SENT;
      rec->u.state.to = TL_STATE_ESTABLISHED;
      rec->u.state.cause = TL_CAUSE_RCV_SYN_ACK;
      rec = add (trace, TL_REC_SEGMENT, t, 0, conns[0]);
      rec->u.seg.id = id + 2;
      rec->u.seg.seq = 1001;
      rec->u.seg.flags = TL_FLAG_ACK;
      rec->u.seg.delay_us = DELAY_US;
      tl_trace_segment_mut (trace, id + 2)->ack = 9001;
      break;
    default:
      rec = add (trace, TL_REC_STATE, t, 1, conns[1]);
      rec->u.state.from = TL_STATE_SYN_RCVD;
      rec->u.state.to = TL_STATE_ESTABLISHED;
      rec->u.state.cause = TL_CAUSE_RCV_ACK;
      break;
    }
}

static TlTrace *
make_flood (void)
{
  static const char *const names[2] = { "client", "server" };
  static const guint32 addrs[2] = { 0x0a000001, 0x0a000002 };
  TlTrace *trace = tl_trace_new (names, addrs);
  TlTraceConn listener = { .host = 1, .listener = TRUE, .local_addr = 0x0a000002,
                           .local_port = 80, .parent = TL_NO_CONN };
  g_autofree guint32 *children = g_new (guint32, N_SYNS);
  guint lag = DELAY_US / GAP_US;
  guint32 conns[2] = { TL_NO_CONN, TL_NO_CONN };
  TlRecord *rec;

  tl_trace_add_conn (trace, &listener);
  rec = add (trace, TL_REC_STATE, 0, 1, 0);
  rec->u.state.to = TL_STATE_LISTEN;
  for (guint i = 0; i < N_SYNS + lag; i++)
    {
      gint64 t = 1000 + (gint64) i * GAP_US;

      for (guint step = 0; step < 4; step++)
        if (i >= step * lag && (i - step * lag) % CLIENT_EVERY == CLIENT_EVERY / 2
            && i - step * lag < N_SYNS)
          client_step (trace, step, i - step * lag, t, conns);
      if (i < N_SYNS)
        {
          rec = add (trace, TL_REC_SEGMENT, t, 0, TL_NO_CONN);
          rec->u.seg.id = i + 1;
          rec->u.seg.seq = 1000 * i;
          rec->u.seg.flags = TL_FLAG_SYN;
          rec->u.seg.delay_us = DELAY_US;
          tl_trace_set_segment_peer (trace, rec->u.seg.id, 0xc0000000 + i);
        }
      if (i >= lag)
        {
          guint j = i - lag;
          TlTraceConn child = { .host = 1, .ordinal = j + 1, .local_addr = 0x0a000002,
                                .remote_addr = 0xc0000000 + j, .local_port = 80,
                                .remote_port = 40000, .iss = 7 * j, .irs = 1000 * j,
                                .parent = 0, .created_us = t };
          guint32 conn = tl_trace_add_conn (trace, &child);

          children[j] = conn;
          rec = add (trace, TL_REC_ARRIVE, t, 0, TL_NO_CONN);
          rec->u.seg.id = j + 1;
          if (j >= QUEUE)
            {
              rec = add (trace, TL_REC_STATE, t, 1, children[j - QUEUE]);
              rec->u.state.from = TL_STATE_SYN_RCVD;
              rec->u.state.to = TL_STATE_CLOSED;
              rec->u.state.cause = TL_CAUSE_QUEUE_OVERFLOW;
            }
          rec = add (trace, TL_REC_STATE, t, 1, conn);
          rec->u.state.from = TL_STATE_LISTEN;
          rec->u.state.to = TL_STATE_SYN_RCVD;
          rec->u.state.cause = TL_CAUSE_RCV_SYN;
          rec = add (trace, TL_REC_SEGMENT, t, 1, conn);
          rec->u.seg.id = N_SYNS + j + 1;
          rec->u.seg.seq = 7 * j;
          tl_trace_segment_mut (trace, rec->u.seg.id)->ack = 1000 * j + 1;
          rec->u.seg.flags = TL_FLAG_SYN | TL_FLAG_ACK;
          rec->u.seg.delay_us = DELAY_US;
          rec->u.seg.fate = TL_FATE_DISCARDED;
          tl_trace_set_segment_peer (trace, rec->u.seg.id, 0xc0000000 + j);
        }
    }
  tl_trace_seal (trace);
  return trace;
}

/* The shipped lesson with the most records, simulated; NULL if none. */
static TlTrace *
largest_lesson (const char  *dir_path,
                char       **stem)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  TlTrace *best = NULL;
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autoptr(TlScenario) sc = NULL;
      TlTrace *trace;

      if (!g_str_has_suffix (name, ".lesson"))
        continue;
      path = g_build_filename (dir_path, name, NULL);
      sc = tl_lesson_parse_file (path, NULL, NULL);
      if (sc == NULL)
        continue;
      trace = tl_simulate (sc);
      if (best == NULL || tl_trace_n_records (trace) > tl_trace_n_records (best)
          || (tl_trace_n_records (trace) == tl_trace_n_records (best) && strcmp (name, *stem) < 0))
        {
          g_clear_pointer (&best, tl_trace_free);
          g_free (*stem);
          best = trace;
          *stem = g_strndup (name, strlen (name) - strlen (".lesson"));
        }
      else
        tl_trace_free (trace);
    }
  return best;
}

/* This thread's CPU time in nanoseconds: on the shared machine a frame's
 * wall time also holds the time other processes had the core. */
static gint64
thread_cpu_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The nearest-rank percentile q (0..100) of n samples, sorted in place. */
static double
percentile (double *samples,
            guint   n,
            guint   q)
{
  tl_bench_median (samples, n);
  return samples[MAX ((n * q + 99) / 100, 1) - 1];
}

/* Frames of one view at the times given (in that order), in a line: the
 * median, the 99th percentile and the worst frame, in wall time (frame_ms)
 * and in this thread's CPU time (cpu_ms).  The budget (DESIGN.md: under
 * 4 ms) is judged on the worst frame, which bounds the median and the 99th
 * percentile: within_budget on its wall time, cpu_within_budget on its CPU
 * time (what the frame costs whatever else the machine runs). */
static void
bench_times (cairo_t             *cr,
             TlView               view,
             const TlTrace       *trace,
             const TlRenderStyle *style,
             const char          *name,
             const gint64        *times,
             guint                n)
{
  cairo_surface_t *surface = cairo_get_target (cr);
  const char *only = g_getenv ("TL_BENCH_ONLY");
  g_autofree double *ms = g_new (double, n);
  g_autofree double *cpu = g_new (double, n);
  g_autofree double *sorted = NULL;
  double worst = 0, cpu_worst = 0;
  gint64 worst_t = 0;
  TlBenchLine *line;

  if (only != NULL && !g_str_has_prefix (name, only))
    return;
  for (guint k = 0; k < n; k++)
    {
      gint64 start = tl_bench_now_ns (), cpu_start = thread_cpu_ns ();

      tl_render_view (cr, view, trace, times[k], 1920, 1080, style);
      cairo_surface_flush (surface);
      ms[k] = (tl_bench_now_ns () - start) / 1e6;
      cpu[k] = (thread_cpu_ns () - cpu_start) / 1e6;
      if (g_getenv ("TL_BENCH_DUMP") != NULL && k < 8)
        {
          g_autofree char *file = g_strdup_printf ("%s-%u.png", name, k);
          g_autofree char *path = g_build_filename (g_getenv ("TL_BENCH_DUMP"), file, NULL);

          if (cairo_surface_write_to_png (surface, path) != CAIRO_STATUS_SUCCESS)
            g_printerr ("bench-render: cannot write %s\n", path);
        }
      cpu_worst = MAX (cpu_worst, cpu[k]);
      if (ms[k] > worst)
        {
          worst = ms[k];
          worst_t = times[k];
        }
    }
  sorted = g_memdup2 (ms, n * sizeof (double));
  line = tl_bench_line_new (name);
  /* the views' own drawing, on a cairo image surface: what GTK's cairo
   * renderer composites (the window's frames: bench-window) */
  tl_bench_line_add_word (line, "renderer", "cairo-image");
  tl_bench_line_add_uint (line, "records", tl_trace_n_records (trace));
  tl_bench_line_add_uint (line, "width", 1920);
  tl_bench_line_add_uint (line, "height", 1080);
  tl_bench_line_add_uint (line, "positions", n);
  tl_bench_line_add_stats (line, "frame_ms", ms, n, FALSE, 2);
  tl_bench_line_add_double (line, "frame_ms_p99", percentile (sorted, n, 99), 2);
  tl_bench_line_add_double (line, "frame_ms_worst", worst, 2);
  tl_bench_line_add_double (line, "worst_at_s", worst_t / 1e6, 3);
  memcpy (sorted, cpu, n * sizeof (double));
  tl_bench_line_add_double (line, "cpu_ms_median", tl_bench_median (sorted, n), 2);
  tl_bench_line_add_double (line, "cpu_ms_p99", percentile (sorted, n, 99), 2);
  tl_bench_line_add_double (line, "cpu_ms_worst", cpu_worst, 2);
  tl_bench_line_add_double (line, "budget_ms", 4, 0);
  tl_bench_line_add_word (line, "budget_on", "worst");
  tl_bench_line_add_word (line, "within_budget", worst < 4.0 ? "yes" : "no");
  tl_bench_line_add_word (line, "cpu_within_budget", cpu_worst < 4.0 ? "yes" : "no");
  tl_bench_line_add_uint (line, "peak_rss_kib", tl_bench_peak_rss_kib ());
  tl_bench_line_print (line);
}

/* The playhead where the ladder's window (following the playhead) holds the
 * most records: a flood's densest moment. */
static gint64
densest_time (const TlTrace       *trace,
              const TlRenderStyle *style)
{
  gint64 end = tl_trace_end_time (trace), best_t = end;
  guint best = 0;

  for (guint k = 0; k <= 200; k++)
    {
      gint64 t = end * k / 200, t0, span;
      guint n;

      tl_render_ladder_window (trace, t, style, &t0, &span);
      n = tl_trace_records_until (trace, t) - tl_trace_records_until (trace, t0 - 1);
      if (n > best)
        {
          best = n;
          best_t = t;
        }
    }
  return best_t;
}

/* Each view at random playheads (view-VIEW-TRACE); at the densest moment
 * and at the end, a few microseconds apart (-densest, -end); the ladder and
 * the four views together also zoomed out to the whole lesson, at random
 * playheads, the densest moment and the end (-fit). */
static void
bench_views (cairo_t       *cr,
             const TlTrace *trace,
             const char    *trace_name)
{
  static const char *const names[] = { "diagram", "ladder", "timers", "sockets", "all" };
  gint64 end = tl_trace_end_time (trace);
  gint64 times[N_POSITIONS], densest;
  TlRenderStyle style, fit;

  tl_render_style_init (&style);
  fit = style;
  fit.ladder_t0_us = 0;
  fit.ladder_span_us = MAX (end * 21 / 20, 1);
  densest = densest_time (trace, &style);
  /* One frame of each view first, so that loading fonts, drawing the
   * diagram's cached figure (once per size and style) and what the ladder
   * finds once per trace are not counted. */
  for (guint v = TL_VIEW_DIAGRAM; v <= TL_VIEW_ALL; v++)
    tl_render_view (cr, v, trace, end / 2, 1920, 1080, &style);

  for (guint v = TL_VIEW_DIAGRAM; v <= TL_VIEW_ALL; v++)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (42 + v);
      g_autofree char *name = g_strdup_printf ("view-%s-%s", names[v], trace_name);
      g_autofree char *at_densest = g_strconcat (name, "-densest", NULL);
      g_autofree char *at_end = g_strconcat (name, "-end", NULL);
      g_autofree char *zoomed = g_strconcat (name, "-fit", NULL);

      for (guint k = 0; k < N_POSITIONS; k++)
        times[k] = (gint64) (g_rand_double (rand) * (end + 1));
      bench_times (cr, v, trace, &style, name, times, N_POSITIONS);
      for (guint k = 0; k < N_MOMENT; k++)
        times[k] = MAX (densest - (gint64) k * 7, 0);
      bench_times (cr, v, trace, &style, at_densest, times, N_MOMENT);
      for (guint k = 0; k < N_MOMENT; k++)
        times[k] = MAX (end - (gint64) k * 7, 0);
      bench_times (cr, v, trace, &style, at_end, times, N_MOMENT);
      if (v != TL_VIEW_LADDER && v != TL_VIEW_ALL)
        continue;
      /* random playheads, then the densest moment's and the end's */
      for (guint k = 0; k < N_POSITIONS; k++)
        times[k] = k % 3 == 0 ? (gint64) (g_rand_double (rand) * (end + 1))
                   : MAX ((k % 3 == 1 ? densest : end) - (gint64) k, 0);
      bench_times (cr, v, trace, &fit, zoomed, times, N_POSITIONS);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(TlTrace) flood = make_flood ();
  g_autofree char *stem = NULL;
  g_autoptr(TlTrace) lesson = largest_lesson (argc > 1 ? argv[1] : TL_SOURCE_LESSONS_DIR, &stem);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 1920, 1080);
  cairo_t *cr = cairo_create (surface);

  bench_views (cr, flood, "flood-1m");
  if (lesson != NULL)
    {
      g_autofree char *name = g_strconcat ("lesson-", stem, NULL);

      bench_views (cr, lesson, name);
    }
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return 0;
}
