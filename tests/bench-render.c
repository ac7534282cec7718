/* bench-render.c: milliseconds per view at 1920x1080 at many playhead
 * positions, for a synthetic trace of 10^6 records (DESIGN.md: under 4 ms).
 *
 * The trace is a SYN flood from spoofed addresses: a SYN every 20 us, the
 * server's SYN,ACK to nobody, and a SYN queue of 1,024 that drops its oldest
 * request when full: five records a SYN. */
#include <stdio.h>

#include <glib/gi18n.h>

#include "tl-render.h"

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
          rec->u.seg.peer_addr = 0xc0000000 + i;
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
          rec->u.seg.ack = 1000 * j + 1;
          rec->u.seg.flags = TL_FLAG_SYN | TL_FLAG_ACK;
          rec->u.seg.delay_us = DELAY_US;
          rec->u.seg.fate = TL_FATE_DISCARDED;
          rec->u.seg.peer_addr = 0xc0000000 + j;
        }
    }
  tl_trace_seal (trace);
  return trace;
}

int
main (void)
{
  static const char *const names[] = { "diagram", "ladder", "timers", "sockets", "all" };
  g_autoptr(TlTrace) trace = make_flood ();
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 1920, 1080);
  cairo_t *cr = cairo_create (surface);
  gint64 end = tl_trace_end_time (trace);
  TlRenderStyle style;
  int over = 0;

  tl_render_style_init (&style);
  printf ("%u records, %u connections, %.2f s simulated\n", tl_trace_n_records (trace),
          tl_trace_n_conns (trace), end / 1e6);
  /* One frame of each view first, so that loading fonts and drawing the
   * diagram's cached figure (once per size and style) are not counted. */
  for (guint v = TL_VIEW_DIAGRAM; v <= TL_VIEW_ALL; v++)
    tl_render_view (cr, v, trace, end / 2, 1920, 1080, &style);

  for (guint v = TL_VIEW_DIAGRAM; v <= TL_VIEW_ALL; v++)
    {
      double total = 0, worst = 0;
      gint64 worst_t = 0;

      for (guint k = 0; k < N_POSITIONS; k++)
        {
          gint64 t = end / N_POSITIONS * k + 137;
          gint64 start = g_get_monotonic_time ();
          double ms;

          tl_render_view (cr, v, trace, t, 1920, 1080, &style);
          cairo_surface_flush (surface);
          ms = (g_get_monotonic_time () - start) / 1000.0;
          total += ms;
          if (ms > worst)
            {
              worst = ms;
              worst_t = t;
            }
        }
      printf ("%-8s mean %.2f ms, worst %.2f ms (at t = %.3f s) at 1920x1080 (budget 4 ms)\n",
              names[v], total / N_POSITIONS, worst, worst_t / 1e6);
      over += worst > 4.0;
    }
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return over > 0 ? 1 : 0;
}
