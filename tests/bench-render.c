/* bench-render.c: milliseconds per view at 1920x1080 at random playhead
 * positions, for a synthetic trace of 10^6 records and for the largest
 * shipped lesson (DESIGN.md: under 4 ms a frame).  One line per view and
 * trace (form in tl-bench.c): median, best and worst frame; the budget is
 * met when the worst frame is under it.  Lessons are those of lessons/ in
 * the source tree, or of the directory given as argv[1].
 *
 * The trace is a SYN flood from spoofed addresses: a SYN every 20 us, the
 * server's SYN,ACK to nobody, and a SYN queue of 1,024 that drops its oldest
 * request when full: five records a SYN. */
#include <stdio.h>
#include <string.h>

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
#define N_POSITIONS 60

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

static TlTrace *
make_flood (void)
{
  static const char *const names[2] = { "attacker", "server" };
  static const guint32 addrs[2] = { 0x0a000001, 0x0a000002 };
  TlTrace *trace = tl_trace_new (names, addrs);
  TlTraceConn listener = { .host = 1, .listener = TRUE, .local_addr = 0x0a000002,
                           .local_port = 80, .parent = TL_NO_CONN };
  guint32 first_child = 0;
  guint lag = DELAY_US / GAP_US;
  TlRecord *rec;

  tl_trace_add_conn (trace, &listener);
  rec = add (trace, TL_REC_STATE, 0, 1, 0);
  rec->u.state.to = TL_STATE_LISTEN;
  for (guint i = 0; i < N_SYNS + lag; i++)
    {
      gint64 t = 1000 + (gint64) i * GAP_US;

      if (i < N_SYNS)
        {
          rec = add (trace, TL_REC_SEGMENT, t, 0, TL_NO_CONN);
          rec->u.seg.id = i + 1;
          rec->u.seg.seq = 1000 * i;
          rec->u.seg.flags = TL_FLAG_SYN;
          rec->u.seg.delay_us = DELAY_US;
          tl_trace_segment_mut (trace, rec->u.seg.id)->peer_addr = 0xc0000000 + i;
        }
      if (i >= lag)
        {
          guint j = i - lag;
          TlTraceConn child = { .host = 1, .ordinal = j + 1, .local_addr = 0x0a000002,
                                .remote_addr = 0xc0000000 + j, .local_port = 80,
                                .remote_port = 40000, .iss = 7 * j, .irs = 1000 * j,
                                .parent = 0, .created_us = t };
          guint32 conn = tl_trace_add_conn (trace, &child);

          if (j == 0)
            first_child = conn;
          rec = add (trace, TL_REC_ARRIVE, t, 0, TL_NO_CONN);
          rec->u.seg.id = j + 1;
          if (j >= QUEUE)
            {
              rec = add (trace, TL_REC_STATE, t, 1, first_child + j - QUEUE);
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
          tl_trace_segment_mut (trace, rec->u.seg.id)->peer_addr = 0xc0000000 + j;
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

static void
bench_views (cairo_t       *cr,
             const TlTrace *trace,
             const char    *trace_name)
{
  static const char *const names[] = { "diagram", "ladder", "timers", "sockets", "all" };
  cairo_surface_t *surface = cairo_get_target (cr);
  gint64 end = tl_trace_end_time (trace);
  double ms[N_POSITIONS];
  TlRenderStyle style;

  tl_render_style_init (&style);
  /* One frame of each view first, so that loading fonts and drawing the
   * diagram's cached figure (once per size and style) are not counted. */
  for (guint v = TL_VIEW_DIAGRAM; v <= TL_VIEW_ALL; v++)
    tl_render_view (cr, v, trace, end / 2, 1920, 1080, &style);

  for (guint v = TL_VIEW_DIAGRAM; v <= TL_VIEW_ALL; v++)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (42 + v);
      g_autofree char *name = g_strdup_printf ("view-%s-%s", names[v], trace_name);
      double worst = 0;
      gint64 worst_t = 0;
      TlBenchLine *line;

      for (guint k = 0; k < N_POSITIONS; k++)
        {
          gint64 t = (gint64) (g_rand_double (rand) * (end + 1));
          gint64 start = tl_bench_now_ns ();

          tl_render_view (cr, v, trace, t, 1920, 1080, &style);
          cairo_surface_flush (surface);
          ms[k] = (tl_bench_now_ns () - start) / 1e6;
          if (ms[k] > worst)
            {
              worst = ms[k];
              worst_t = t;
            }
        }
      line = tl_bench_line_new (name);
      /* the views' own drawing, on a cairo image surface: what GTK's cairo
       * renderer composites (the window's frames: bench-window) */
      tl_bench_line_add_word (line, "renderer", "cairo-image");
      tl_bench_line_add_uint (line, "records", tl_trace_n_records (trace));
      tl_bench_line_add_uint (line, "width", 1920);
      tl_bench_line_add_uint (line, "height", 1080);
      tl_bench_line_add_uint (line, "positions", N_POSITIONS);
      tl_bench_line_add_stats (line, "frame_ms", ms, N_POSITIONS, FALSE, 2);
      tl_bench_line_add_double (line, "frame_ms_worst", worst, 2);
      tl_bench_line_add_double (line, "worst_at_s", worst_t / 1e6, 3);
      tl_bench_line_add_double (line, "budget_ms", 4, 0);
      tl_bench_line_add_word (line, "within_budget", worst < 4.0 ? "yes" : "no");
      tl_bench_line_add_uint (line, "peak_rss_kib", tl_bench_peak_rss_kib ());
      tl_bench_line_print (line);
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
