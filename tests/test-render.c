/* test-render.c: the cairo views, headless: sizes, and the pixels that say
 * the drawing is right (a token in its state's box, an arrow along each
 * segment, a cross where a segment was lost, a bar that drains). */
#include "tl-config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

#include "tl-lesson.h"
#include "tl-render-enums.h"
#include "tl-render-private.h"
#include "tl-sim.h"
#include "tl-test-util.h"

#define MS TL_USEC_PER_MSEC
#define W  1920
#define H  1080

/* Building synthetic traces with the append API. */

static guint32 seg_id;

static TlRecord *
add (TlTrace      *trace,
     TlRecordKind  kind,
     gint64        time_us,
     guint         host,
     guint32       conn)
{
  TlRecord *rec = tl_trace_append (trace, kind, time_us);

  rec->host = host;
  rec->conn = conn;
  return rec;
}

static guint
add_seg (TlTrace *trace,
         gint64   time_us,
         guint    host,
         guint32  conn,
         guint8   flags,
         guint32  seq,
         guint32  ack,
         guint16  len,
         gint64   delay_us,
         TlFate   fate)
{
  TlRecord *rec = add (trace, TL_REC_SEGMENT, time_us, host, conn);

  rec->u.seg.id = ++seg_id;
  rec->u.seg.seq = seq;
  tl_trace_segment_mut (trace, rec->u.seg.id)->ack = ack;
  rec->u.seg.len = len;
  tl_trace_segment_mut (trace, rec->u.seg.id)->win = 64240;
  rec->u.seg.flags = flags;
  rec->u.seg.fate = fate;
  rec->u.seg.delay_us = delay_us;
  tl_trace_segment_mut (trace, rec->u.seg.id)->src_port = host == 0 ? 50000 : 80;
  tl_trace_segment_mut (trace, rec->u.seg.id)->dst_port = host == 0 ? 80 : 50000;
  return tl_trace_n_records (trace) - 1;
}

static void
add_state (TlTrace *trace,
           gint64   time_us,
           guint    host,
           guint32  conn,
           TlState  from,
           TlState  to,
           TlCause  cause)
{
  TlRecord *rec = add (trace, TL_REC_STATE, time_us, host, conn);

  rec->u.state.from = from;
  rec->u.state.to = to;
  rec->u.state.cause = cause;
}

static void
add_timer (TlTrace       *trace,
           gint64         time_us,
           guint          host,
           guint32        conn,
           TlTimerKind    kind,
           TlTimerAction  action,
           gint64         deadline_us,
           guint16        attempt)
{
  TlRecord *rec = add (trace, TL_REC_TIMER, time_us, host, conn);

  rec->u.timer.timer = kind;
  rec->u.timer.action = action;
  rec->u.timer.deadline_us = deadline_us;
  rec->u.timer.attempt = attempt;
}

static TlTrace *
new_trace (void)
{
  const char *names[2] = { "client", "server" };
  const guint32 addrs[2] = { 0x0a000001, 0x0a000002 };

  return tl_trace_new (names, addrs);
}

static guint32
add_conn (TlTrace  *trace,
          guint     host,
          gboolean  listener,
          guint32   iss,
          guint32   irs,
          gint64    created_us)
{
  TlTraceConn conn = { 0 };

  conn.host = host;
  conn.listener = listener;
  conn.ordinal = listener ? 0 : 1;
  conn.local_addr = host == 0 ? 0x0a000001 : 0x0a000002;
  conn.local_port = host == 0 ? 50000 : 80;
  conn.remote_addr = listener ? 0 : (host == 0 ? 0x0a000002 : 0x0a000001);
  conn.remote_port = listener ? 0 : (host == 0 ? 80 : 50000);
  conn.iss = iss;
  conn.irs = irs;
  conn.parent = TL_NO_CONN;
  conn.created_us = created_us;
  return tl_trace_add_conn (trace, &conn);
}

/* The indices of the interesting segments of the handshake trace. */
static guint syn_index, data_lost_index, data_again_index, fin_index;

/* A handshake, 100 bytes lost once and sent again, a close from the client,
 * and TIME_WAIT: one-way delay 50 ms. */
static TlTrace *
handshake_trace (void)
{
  TlTrace *trace = new_trace ();
  guint32 listener = add_conn (trace, 1, TRUE, 0, 0, 0);
  guint32 client, server;

  add_state (trace, 0, 1, listener, TL_STATE_CLOSED, TL_STATE_LISTEN, TL_CAUSE_APP_LISTEN);
  client = add_conn (trace, 0, FALSE, 1000, 5000, 100 * MS);
  add_state (trace, 100 * MS, 0, client, TL_STATE_CLOSED, TL_STATE_SYN_SENT, TL_CAUSE_APP_CONNECT);
  syn_index = add_seg (trace, 100 * MS, 0, client, TL_FLAG_SYN, 1000, 0, 0, 50 * MS,
                       TL_FATE_DELIVERED);
  add_timer (trace, 100 * MS, 0, client, TL_TIMER_RETRANSMIT, TL_TIMER_ARMED, 1100 * MS, 0);
  server = add_conn (trace, 1, FALSE, 5000, 1000, 150 * MS);
  add_state (trace, 150 * MS, 1, server, TL_STATE_LISTEN, TL_STATE_SYN_RCVD, TL_CAUSE_RCV_SYN);
  add_seg (trace, 150 * MS, 1, server, TL_FLAG_SYN | TL_FLAG_ACK, 5000, 1001, 0, 50 * MS,
           TL_FATE_DELIVERED);
  add_timer (trace, 200 * MS, 0, client, TL_TIMER_RETRANSMIT, TL_TIMER_CANCELLED, 0, 0);
  add_state (trace, 200 * MS, 0, client, TL_STATE_SYN_SENT, TL_STATE_ESTABLISHED,
             TL_CAUSE_RCV_SYN_ACK);
  add_seg (trace, 200 * MS, 0, client, TL_FLAG_ACK, 1001, 5001, 0, 50 * MS, TL_FATE_DELIVERED);
  add_state (trace, 250 * MS, 1, server, TL_STATE_SYN_RCVD, TL_STATE_ESTABLISHED,
             TL_CAUSE_RCV_ACK);
  data_lost_index = add_seg (trace, 300 * MS, 0, client, TL_FLAG_PSH | TL_FLAG_ACK, 1001, 5001,
                             100, 25 * MS, TL_FATE_LOST_RANDOM);
  add_timer (trace, 300 * MS, 0, client, TL_TIMER_RETRANSMIT, TL_TIMER_ARMED, 500 * MS, 0);
  add_timer (trace, 500 * MS, 0, client, TL_TIMER_RETRANSMIT, TL_TIMER_FIRED, 0, 0);
  data_again_index = add_seg (trace, 500 * MS, 0, client, TL_FLAG_PSH | TL_FLAG_ACK, 1001, 5001,
                              100, 50 * MS, TL_FATE_DELIVERED);
  add_timer (trace, 500 * MS, 0, client, TL_TIMER_RETRANSMIT, TL_TIMER_ARMED, 900 * MS, 1);
  add_seg (trace, 550 * MS, 1, server, TL_FLAG_ACK, 5001, 1101, 0, 50 * MS, TL_FATE_DELIVERED);
  add_timer (trace, 600 * MS, 0, client, TL_TIMER_RETRANSMIT, TL_TIMER_CANCELLED, 0, 0);
  add_state (trace, 700 * MS, 0, client, TL_STATE_ESTABLISHED, TL_STATE_FIN_WAIT_1,
             TL_CAUSE_APP_CLOSE);
  fin_index = add_seg (trace, 700 * MS, 0, client, TL_FLAG_FIN | TL_FLAG_ACK, 1101, 5001, 0,
                       50 * MS, TL_FATE_DELIVERED);
  add_state (trace, 750 * MS, 1, server, TL_STATE_ESTABLISHED, TL_STATE_CLOSE_WAIT,
             TL_CAUSE_RCV_FIN);
  add_seg (trace, 750 * MS, 1, server, TL_FLAG_ACK, 5001, 1102, 0, 50 * MS, TL_FATE_DELIVERED);
  add_state (trace, 800 * MS, 0, client, TL_STATE_FIN_WAIT_1, TL_STATE_FIN_WAIT_2,
             TL_CAUSE_RCV_ACK);
  add_state (trace, 900 * MS, 1, server, TL_STATE_CLOSE_WAIT, TL_STATE_LAST_ACK,
             TL_CAUSE_APP_CLOSE);
  add_seg (trace, 900 * MS, 1, server, TL_FLAG_FIN | TL_FLAG_ACK, 5001, 1102, 0, 50 * MS,
           TL_FATE_DELIVERED);
  add_state (trace, 950 * MS, 0, client, TL_STATE_FIN_WAIT_2, TL_STATE_TIME_WAIT,
             TL_CAUSE_RCV_FIN);
  add_seg (trace, 950 * MS, 0, client, TL_FLAG_ACK, 1102, 5002, 0, 50 * MS, TL_FATE_DELIVERED);
  add_timer (trace, 950 * MS, 0, client, TL_TIMER_TIME_WAIT, TL_TIMER_ARMED, 60950 * MS, 0);
  add_state (trace, 1000 * MS, 1, server, TL_STATE_LAST_ACK, TL_STATE_CLOSED, TL_CAUSE_RCV_ACK);
  add_timer (trace, 60950 * MS, 0, client, TL_TIMER_TIME_WAIT, TL_TIMER_FIRED, 0, 0);
  add_state (trace, 60950 * MS, 0, client, TL_STATE_TIME_WAIT, TL_STATE_CLOSED,
             TL_CAUSE_TIME_WAIT_DONE);
  tl_trace_append (trace, TL_REC_END, 60950 * MS);
  tl_trace_seal (trace);
  return trace;
}

/* A SYN flood from spoofed addresses: every 20 us a SYN to the server, which
 * answers 50 ms later with a SYN,ACK nobody receives.  Four records a SYN. */
#define FLOOD_GAP_US 20

static TlTrace *
flood_trace (guint n_syns)
{
  TlTrace *trace = new_trace ();
  guint32 listener = add_conn (trace, 1, TRUE, 0, 0, 0);
  guint lag = 50 * MS / FLOOD_GAP_US;

  add_state (trace, 0, 1, listener, TL_STATE_CLOSED, TL_STATE_LISTEN, TL_CAUSE_APP_LISTEN);
  for (guint i = 0; i < n_syns + lag; i++)
    {
      gint64 t = 1000 + (gint64) i * FLOOD_GAP_US;

      if (i < n_syns)
        add_seg (trace, t, 0, TL_NO_CONN, TL_FLAG_SYN, 3000 + i, 0, 0, 50 * MS,
                 TL_FATE_DELIVERED);
      if (i >= lag)
        {
          guint j = i - lag;
          guint32 child = add_conn (trace, 1, FALSE, 7000 + j, 3000 + j, t);

          add (trace, TL_REC_ARRIVE, t, 0, TL_NO_CONN)->u.seg.id = j + 1;
          add_state (trace, t, 1, child, TL_STATE_LISTEN, TL_STATE_SYN_RCVD, TL_CAUSE_RCV_SYN);
          add_seg (trace, t, 1, child, TL_FLAG_SYN | TL_FLAG_ACK, 7000 + j, 3001 + j, 0,
                   50 * MS, TL_FATE_DISCARDED);
        }
    }
  tl_trace_seal (trace);
  return trace;
}

/* The same flood from spoofed addresses in 192.0.2.0/24 (the server's
 * SYN,ACKs go to them), and through it the real client's handshake: its SYN
 * at 200 ms, the server's SYN,ACK at 250 ms, its ACK at 300 ms.  The
 * indices of the client's three segments in *client. */
#define SPOOFED(i) (0xc0000200u + ((i) & 0xff))

static TlTrace *
spoofed_flood_trace (guint n_syns,
                     guint client[3])
{
  TlTrace *trace = new_trace ();
  guint32 listener = add_conn (trace, 1, TRUE, 0, 0, 0);
  guint lag = 50 * MS / FLOOD_GAP_US;
  guint32 conn[2] = { 0, 0 };
  guint step = 0;

  add_state (trace, 0, 1, listener, TL_STATE_CLOSED, TL_STATE_LISTEN, TL_CAUSE_APP_LISTEN);
  for (guint i = 0; i < n_syns + lag; i++)
    {
      gint64 t = 1000 + (gint64) i * FLOOD_GAP_US;

      if (step < 4 && t >= (200 + 50 * (gint64) step) * MS)
        {
          gint64 at = (200 + 50 * (gint64) step) * MS;

          switch (step++)
            {
            case 0:
              conn[0] = add_conn (trace, 0, FALSE, 1000, 5000, at);
              add_state (trace, at, 0, conn[0], TL_STATE_CLOSED, TL_STATE_SYN_SENT,
                         TL_CAUSE_APP_CONNECT);
              client[0] = add_seg (trace, at, 0, conn[0], TL_FLAG_SYN, 1000, 0, 0, 50 * MS,
                                   TL_FATE_DELIVERED);
              break;
            case 1:
              conn[1] = add_conn (trace, 1, FALSE, 5000, 1000, at);
              add_state (trace, at, 1, conn[1], TL_STATE_LISTEN, TL_STATE_SYN_RCVD,
                         TL_CAUSE_RCV_SYN);
              client[1] = add_seg (trace, at, 1, conn[1], TL_FLAG_SYN | TL_FLAG_ACK, 5000, 1001,
                                   0, 50 * MS, TL_FATE_DELIVERED);
              break;
            case 2:
              add_state (trace, at, 0, conn[0], TL_STATE_SYN_SENT, TL_STATE_ESTABLISHED,
                         TL_CAUSE_RCV_SYN_ACK);
              client[2] = add_seg (trace, at, 0, conn[0], TL_FLAG_ACK, 1001, 5001, 0, 50 * MS,
                                   TL_FATE_DELIVERED);
              break;
            default:
              add_state (trace, at, 1, conn[1], TL_STATE_SYN_RCVD, TL_STATE_ESTABLISHED,
                         TL_CAUSE_RCV_ACK);
              break;
            }
        }
      if (i < n_syns)
        {
          guint index = add_seg (trace, t, 0, TL_NO_CONN, TL_FLAG_SYN, 3000 + i, 0, 0, 50 * MS,
                                 TL_FATE_DELIVERED);

          tl_trace_set_segment_peer (trace, tl_trace_record (trace, index)->u.seg.id, SPOOFED (i));
        }
      if (i >= lag)
        {
          guint j = i - lag;
          guint32 child = add_conn (trace, 1, FALSE, 7000 + j, 3000 + j, t);
          guint index;

          tl_trace_conn_mut (trace, child)->remote_addr = SPOOFED (j);
          add_state (trace, t, 1, child, TL_STATE_LISTEN, TL_STATE_SYN_RCVD, TL_CAUSE_RCV_SYN);
          index = add_seg (trace, t, 1, child, TL_FLAG_SYN | TL_FLAG_ACK, 7000 + j, 3001 + j, 0,
                           50 * MS, TL_FATE_DISCARDED);
          tl_trace_set_segment_peer (trace, tl_trace_record (trace, index)->u.seg.id, SPOOFED (j));
        }
    }
  tl_trace_seal (trace);
  return trace;
}

/* Pixels. */

static cairo_surface_t *
render (TlView               view,
        const TlTrace       *trace,
        gint64               time_us,
        int                  width,
        int                  height,
        const TlRenderStyle *style)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_t *cr = cairo_create (surface);

  tl_render_view (cr, view, trace, time_us, width, height, style);
  ck_assert_int_eq (cairo_status (cr), CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

static gboolean
pixel_is (cairo_surface_t *surface,
          int              x,
          int              y,
          const TlRgb     *rgb)
{
  const unsigned char *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  guint32 px;

  if (x < 0 || y < 0 || x >= cairo_image_surface_get_width (surface) ||
      y >= cairo_image_surface_get_height (surface))
    return FALSE;
  px = *(const guint32 *) (data + y * stride + x * 4);
  return fabs (((px >> 16) & 0xff) / 255.0 - rgb->r) < 0.1 &&
         fabs (((px >> 8) & 0xff) / 255.0 - rgb->g) < 0.1 &&
         fabs ((px & 0xff) / 255.0 - rgb->b) < 0.1;
}

static guint
count_in (cairo_surface_t         *surface,
          const cairo_rectangle_t *r,
          const TlRgb             *rgb)
{
  guint n = 0;

  for (int y = (int) r->y; y < (int) (r->y + r->height); y++)
    for (int x = (int) r->x; x < (int) (r->x + r->width); x++)
      n += pixel_is (surface, x, y, rgb);
  return n;
}

/* Some pixel of this colour within radius of (x, y). */
static gboolean
colour_near (cairo_surface_t *surface,
             double           x,
             double           y,
             int              radius,
             const TlRgb     *rgb)
{
  cairo_rectangle_t r = { x - radius, y - radius, 2 * radius + 1, 2 * radius + 1 };

  return count_in (surface, &r, rgb) > 0;
}

/* The point at fraction f along a ladder line (x0, y0, x1, y1). */
static void
point_along (const double  line[4],
             double        f,
             double       *x,
             double       *y)
{
  *x = line[0] + f * (line[2] - line[0]);
  *y = line[1] + f * (line[3] - line[1]);
}

/* Some pixel of this colour within radius of the point at fraction f along line. */
static gboolean
colour_along (cairo_surface_t *surface,
              const double     line[4],
              double           f,
              int              radius,
              const TlRgb     *rgb)
{
  double x, y;

  point_along (line, f, &x, &y);
  return colour_near (surface, x, y, radius, rgb);
}

/* Segment record index is drawn in its sender's colour along its line, from
 * fraction `from` to 0.15 (clear of the label in the middle), wherever that
 * is below the host names. */
static void
assert_segment_colour (cairo_surface_t *surface,
                       const TlTrace   *trace,
                       const TlPalette *pal,
                       guint            index,
                       const double     line[4],
                       double           from,
                       gint64           time_us)
{
  const TlRecord *rec = tl_trace_record (trace, index);

  for (double f = from; f < 0.15; f += 0.03)
    if (line[1] + f * (line[3] - line[1]) > H * 0.1)
      ck_assert_msg (colour_along (surface, line, f, 2, &pal->host[rec->host]),
                     "segment %u at %.2f of its line, t=%" G_GINT64_FORMAT, index, f, time_us);
}

static guint
count_in_box (cairo_surface_t     *surface,
              TlState              state,
              const TlRenderStyle *style,
              const TlRgb         *rgb)
{
  cairo_rectangle_t r;

  tl_render_diagram_box (state, cairo_image_surface_get_width (surface),
                         cairo_image_surface_get_height (surface), style, &r);
  return count_in (surface, &r, rgb);
}

/* A style as tl_render_style_init makes it (light), and its palette. */
static const TlPalette *
light_style (TlRenderStyle *style)
{
  tl_render_style_init (style);
  return tl_render_palette (style);
}

/* A token is some 500 pixels of its host's colour; an edge that touches a
 * box, a few dozen. */
#define TOKEN_PIXELS 200
#define STRAY_PIXELS 100

static void
assert_tokens (const TlTrace *trace,
               gint64         time_us,
               TlState        client,
               TlState        server,
               gboolean       dark)
{
  TlRenderStyle style;
  const TlPalette *pal;
  cairo_surface_t *surface;

  tl_render_style_init (&style);
  style.dark = dark;
  pal = tl_render_palette (&style);
  surface = render (TL_VIEW_DIAGRAM, trace, time_us, W, H, &style);
  for (guint s = 0; s < TL_N_STATES; s++)
    {
      guint n0 = count_in_box (surface, s, &style, &pal->host[0]);
      guint n1 = count_in_box (surface, s, &style, &pal->host[1]);

      if (s == client)
        ck_assert_msg (n0 > TOKEN_PIXELS, "t=%" G_GINT64_FORMAT ": client token not in %s (%u)",
                       time_us, tl_state_name (s), n0);
      else
        ck_assert_msg (n0 < STRAY_PIXELS, "t=%" G_GINT64_FORMAT ": client colour in %s (%u)",
                       time_us, tl_state_name (s), n0);
      if (s == server)
        ck_assert_msg (n1 > TOKEN_PIXELS, "t=%" G_GINT64_FORMAT ": server token not in %s (%u)",
                       time_us, tl_state_name (s), n1);
      else
        ck_assert_msg (n1 < STRAY_PIXELS, "t=%" G_GINT64_FORMAT ": server colour in %s (%u)",
                       time_us, tl_state_name (s), n1);
    }
  cairo_surface_destroy (surface);
}

START_TEST (test_tokens_sit_in_their_states)
{
  g_autoptr(TlTrace) trace = handshake_trace ();

  assert_tokens (trace, 50 * MS, TL_STATE_CLOSED, TL_STATE_LISTEN, FALSE);
  assert_tokens (trace, 120 * MS, TL_STATE_SYN_SENT, TL_STATE_LISTEN, FALSE);
  assert_tokens (trace, 220 * MS, TL_STATE_ESTABLISHED, TL_STATE_SYN_RCVD, FALSE);
  assert_tokens (trace, 720 * MS, TL_STATE_FIN_WAIT_1, TL_STATE_ESTABLISHED, TL_STATE_ESTABLISHED);
  assert_tokens (trace, 850 * MS, TL_STATE_FIN_WAIT_2, TL_STATE_CLOSE_WAIT, TRUE);
  assert_tokens (trace, 920 * MS, TL_STATE_FIN_WAIT_2, TL_STATE_LAST_ACK, FALSE);
  /* The server's connection is gone; its listener remains. */
  assert_tokens (trace, 30000 * MS, TL_STATE_TIME_WAIT, TL_STATE_LISTEN, TRUE);
}
END_TEST

/* A small diagram does not shrink its text with the figure: every name and
 * label keeps the classroom's sizes, and font_scale makes them larger. */
static double
smallest_line (const TlTrace *trace,
               TlLabelKind    kind,
               double         font_scale)
{
  g_autoptr(GArray) labels = tl_render_labels_new ();
  TlRenderStyle style;
  cairo_surface_t *surface;
  double smallest = G_MAXDOUBLE;

  light_style (&style);
  style.font_scale = font_scale;
  style.labels = labels;
  surface = render (TL_VIEW_DIAGRAM, trace, 220 * MS, 960, 360, &style);
  cairo_surface_destroy (surface);
  for (guint i = 0; i < labels->len; i++)
    if (g_array_index (labels, TlRenderLabel, i).kind == kind)
      smallest = MIN (smallest, g_array_index (labels, TlRenderLabel, i).line_px);
  ck_assert_double_lt (smallest, G_MAXDOUBLE);
  return smallest;
}

START_TEST (test_diagram_text_keeps_its_size_when_small_and_grows_with_font_scale)
{
  g_autoptr(TlTrace) trace = handshake_trace ();
  cairo_rectangle_t box;
  TlRenderStyle style;

  light_style (&style);
  /* The figure is drawn at 0.4 of its size here, its text not. */
  tl_render_diagram_box (TL_STATE_LISTEN, 960, 360, &style, &box);
  ck_assert_double_lt (box.height, 64 * 0.6);
  ck_assert_double_ge (smallest_line (trace, TL_LABEL_STATE, 1.0), 20.0);
  ck_assert_double_ge (smallest_line (trace, TL_LABEL_TEXT, 1.0), 18.0);
  ck_assert_double_ge (smallest_line (trace, TL_LABEL_TEXT, 1.3),
                       smallest_line (trace, TL_LABEL_TEXT, 1.0) * 1.25);
}
END_TEST

START_TEST (test_two_tokens_in_one_state_sit_side_by_side)
{
  g_autoptr(TlTrace) trace = handshake_trace ();
  TlRenderStyle style;
  cairo_rectangle_t box, left, right;
  cairo_surface_t *surface;
  const TlPalette *pal;

  pal = light_style (&style);
  surface = render (TL_VIEW_DIAGRAM, trace, 400 * MS, W, H, &style);
  tl_render_diagram_box (TL_STATE_ESTABLISHED, W, H, &style, &box);
  left = box;
  left.width /= 2;
  right = left;
  right.x += left.width;
  ck_assert_uint_gt (count_in (surface, &left, &pal->host[0]), TOKEN_PIXELS);
  ck_assert_uint_lt (count_in (surface, &right, &pal->host[0]), STRAY_PIXELS);
  ck_assert_uint_gt (count_in (surface, &right, &pal->host[1]), TOKEN_PIXELS);
  ck_assert_uint_lt (count_in (surface, &left, &pal->host[1]), STRAY_PIXELS);
  cairo_surface_destroy (surface);
}
END_TEST

START_TEST (test_token_glides_along_the_edge_taken)
{
  g_autoptr(TlTrace) trace = handshake_trace ();
  TlRenderStyle style;
  cairo_rectangle_t from, to, between;
  cairo_surface_t *surface;
  const TlPalette *pal;

  /* Half way from SYN_SENT to ESTABLISHED: in neither box, between them. */
  pal = light_style (&style);
  style.glide[0] = 0.5;
  surface = render (TL_VIEW_DIAGRAM, trace, 210 * MS, W, H, &style);
  tl_render_diagram_box (TL_STATE_SYN_SENT, W, H, &style, &from);
  tl_render_diagram_box (TL_STATE_ESTABLISHED, W, H, &style, &to);
  ck_assert_uint_lt (count_in (surface, &to, &pal->host[0]), STRAY_PIXELS);
  between.x = to.x + to.width;
  between.width = from.x - between.x;
  between.y = from.y + from.height;
  between.height = to.y - between.y;
  /* The lit edge and the token: far more than a plain edge would give. */
  ck_assert_uint_gt (count_in (surface, &between, &pal->host[0]), 3 * TOKEN_PIXELS);
  cairo_surface_destroy (surface);
}
END_TEST

START_TEST (test_ladder_draws_an_arrow_per_segment)
{
  g_autoptr(TlTrace) trace = handshake_trace ();
  const gint64 times[] = { 260 * MS, 600 * MS, 1000 * MS };
  TlRenderStyle style;
  const TlPalette *pal;

  pal = light_style (&style);
  for (guint k = 0; k < G_N_ELEMENTS (times); k++)
    {
      cairo_surface_t *surface = render (TL_VIEW_LADDER, trace, times[k], W, H, &style);
      guint n_seen = 0;

      for (guint i = 0; i < tl_trace_n_records (trace); i++)
        {
          const TlRecord *rec = tl_trace_record (trace, i);
          double line[4], x, y;

          if (!tl_render_ladder_line (trace, times[k], W, H, &style, i, line))
            continue;
          n_seen++;
          assert_segment_colour (surface, trace, pal, i, line, 0.04, times[k]);
          /* Goes from the sender's side towards the other. */
          ck_assert (rec->host == 0 ? line[2] > line[0] : line[2] < line[0]);
          ck_assert (line[3] > line[1]);
          point_along (line, 0.2, &x, &y);
          if (y > H * 0.1)
            ck_assert_uint_eq (tl_render_ladder_hit (trace, times[k], W, H, &style, x, y), i);
          if (i == data_lost_index)
            ck_assert (colour_near (surface, line[2], line[3], 4, &pal->lost));
        }
      ck_assert_uint_gt (n_seen, 2);
      cairo_surface_destroy (surface);
    }
}
END_TEST

START_TEST (test_ladder_moves_segments_in_flight)
{
  g_autoptr(TlTrace) trace = handshake_trace ();
  TlRenderStyle style;
  double at_send[4], half[4], done[4];
  cairo_surface_t *surface;
  const TlPalette *pal;

  pal = light_style (&style);
  ck_assert (tl_render_ladder_line (trace, 100 * MS, W, H, &style, syn_index, at_send));
  ck_assert (tl_render_ladder_line (trace, 125 * MS, W, H, &style, syn_index, half));
  ck_assert (tl_render_ladder_line (trace, 160 * MS, W, H, &style, syn_index, done));
  ck_assert_double_eq_tol (at_send[2], at_send[0], 1.0);
  ck_assert_double_eq_tol (half[2] - half[0], (done[2] - done[0]) / 2, 2.0);
  ck_assert_double_eq_tol (half[3] - half[1], (done[3] - done[1]) / 2, 2.0);

  /* Drawn up to where it is, and not beyond. */
  surface = render (TL_VIEW_LADDER, trace, 125 * MS, W, H, &style);
  ck_assert (colour_along (surface, half, 0.9, 2, &pal->host[0]));
  ck_assert (!colour_along (surface, half, 1.6, 3, &pal->host[0]));
  cairo_surface_destroy (surface);

  /* A lost segment stops where it was lost, and ends in a cross. */
  ck_assert (tl_render_ladder_line (trace, 400 * MS, W, H, &style, data_lost_index, done));
  ck_assert (tl_render_ladder_line (trace, 400 * MS, W, H, &style, data_again_index - 0, half) == FALSE);
  ck_assert (done[2] < W * 0.6);
}
END_TEST

START_TEST (test_ladder_selection_is_highlighted)
{
  g_autoptr(TlTrace) trace = handshake_trace ();
  TlRenderStyle style;
  double line[4];
  cairo_surface_t *surface;
  const TlPalette *pal;
  double nx, ny, len;

  pal = light_style (&style);
  style.selected_record = fin_index;
  surface = render (TL_VIEW_LADDER, trace, 1000 * MS, W, H, &style);
  ck_assert (tl_render_ladder_line (trace, 1000 * MS, W, H, &style, fin_index, line));
  len = hypot (line[2] - line[0], line[3] - line[1]);
  nx = -(line[3] - line[1]) / len;
  ny = (line[2] - line[0]) / len;
  /* A halo beside the line, in the accent colour (blended over the ground). */
  ck_assert (!pixel_is (surface, line[0] + 0.2 * (line[2] - line[0]) + 6 * nx,
                        line[1] + 0.2 * (line[3] - line[1]) + 6 * ny, &pal->bg));
  cairo_surface_destroy (surface);
}
END_TEST

/* A ladder as narrow as a small projector's window gives it: the states'
 * names stay whole inside the view, not cut by its left or right edge. */
START_TEST (test_ladder_state_names_stay_inside_a_narrow_view)
{
  g_autoptr(TlTrace) trace = handshake_trace ();
  const int widths[] = { 360, 280 };
  TlRenderStyle style;
  const TlPalette *pal;

  pal = light_style (&style);
  style.font_scale = 1.25;
  for (guint k = 0; k < G_N_ELEMENTS (widths); k++)
    {
      int w = widths[k], h = 500;
      cairo_surface_t *surface = render (TL_VIEW_LADDER, trace, 300 * MS, w, h, &style);
      cairo_rectangle_t left_edge = { 0, 0, 2, h }, right_edge = { w - 2, 0, 2, h };
      cairo_rectangle_t left = { 0, 0, w * 0.3, h }, right = { w * 0.7, 0, w * 0.3, h };

      /* ESTABLISHED is written on both sides; nothing of it on the edges. */
      ck_assert_uint_gt (count_in (surface, &left, &pal->ink), 100);
      ck_assert_uint_gt (count_in (surface, &right, &pal->ink), 100);
      ck_assert_uint_eq (count_in (surface, &left_edge, &pal->ink), 0);
      ck_assert_uint_eq (count_in (surface, &right_edge, &pal->ink), 0);
      cairo_surface_destroy (surface);
    }
}
END_TEST

START_TEST (test_ladder_survives_a_flood)
{
  g_autoptr(TlTrace) trace = flood_trace (20000);
  TlRenderStyle style;
  cairo_surface_t *surface;
  const TlPalette *pal;
  cairo_rectangle_t middle = { W * 0.3, H * 0.2, W * 0.4, H * 0.5 };

  pal = light_style (&style);
  surface = render (TL_VIEW_LADDER, trace, 300 * MS, W, H, &style);
  /* Thin lines, one every few pixel rows: the middle is full of them. */
  ck_assert_uint_gt (count_in (surface, &middle, &pal->host[0]), 10000);
  cairo_surface_destroy (surface);
  surface = render (TL_VIEW_ALL, trace, 300 * MS, W, H, &style);
  cairo_surface_destroy (surface);
}
END_TEST

/* In a flood the ladder names a state once in a while and marks the
 * changes between with dots: it lays out text for what is visible, not
 * for every one of the thousands of changes in the window (each was a
 * Pango layout: 55 ms a frame at 10^6 records, tests/bench-render.c). */
START_TEST (test_ladder_flood_names_states_sparsely)
{
  g_autoptr(TlTrace) trace = flood_trace (20000);
  g_autoptr(GArray) labels = tl_render_labels_new ();
  TlRenderStyle style;
  cairo_surface_t *surface;
  guint states = 0;

  light_style (&style);
  style.labels = labels;
  surface = render (TL_VIEW_LADDER, trace, 300 * MS, W, H, &style);
  cairo_surface_destroy (surface);
  for (guint i = 0; i < labels->len; i++)
    states += g_array_index (labels, TlRenderLabel, i).kind == TL_LABEL_STATE;
  /* SYN_RCVD named at least once, at most once per eight lines of the
   * view's height. */
  ck_assert_uint_ge (states, 1);
  ck_assert_uint_le (states, H / (8 * 20) + 1);
}
END_TEST

START_TEST (test_timer_bar_drains)
{
  g_autoptr(TlTrace) trace = handshake_trace ();
  TlRenderStyle style;
  const TlPalette *pal;
  cairo_rectangle_t all = { 0, 0, W, H };
  guint previous = G_MAXUINT;

  pal = light_style (&style);
  for (gint64 t = 1 * TL_USEC_PER_SEC; t <= 60 * TL_USEC_PER_SEC; t += 15 * TL_USEC_PER_SEC)
    {
      cairo_surface_t *surface = render (TL_VIEW_TIMERS, trace, t, W, H, &style);
      guint n = count_in (surface, &all, &pal->host[0]);

      ck_assert_uint_lt (n, previous);
      previous = n;
      cairo_surface_destroy (surface);
    }
}
END_TEST

/* The socket tables of trace at 150 ms, drawn with style: their labels in
 * labels (emptied first), each whole inside the view, and no row elided
 * ("… and 9 more"): what every case of the grouped tables asserts. */
static void
render_sockets_whole (const TlTrace *trace,
                      TlRenderStyle *style,
                      GArray        *labels)
{
  cairo_surface_t *surface;

  g_array_set_size (labels, 0);
  style->labels = labels;
  surface = render (TL_VIEW_SOCKETS, trace, 150 * MS, W, H, style);
  cairo_surface_destroy (surface);
  for (guint i = 0; i < labels->len; i++)
    {
      const TlRenderLabel *l = &g_array_index (labels, TlRenderLabel, i);

      ck_assert_msg (l->y >= -0.5 && l->y + l->height <= H + 0.5, "'%s' cut", l->text);
      ck_assert_msg (!g_str_has_prefix (l->text, "… and"), "'%s': a row elided", l->text);
    }
}

START_TEST (test_sockets_table_stays_in_view_in_a_flood)
{
  g_autoptr(TlTrace) trace = flood_trace (5000);
  g_autoptr(GArray) labels = tl_render_labels_new ();
  gboolean grouped = FALSE, listener = FALSE;
  TlRenderStyle style;

  light_style (&style);
  /* The SYN-RECV sockets are one row with their count, beside the listener's
   * own row; every label inside the view. */
  render_sockets_whole (trace, &style, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      const TlRenderLabel *l = &g_array_index (labels, TlRenderLabel, i);

      grouped = grouped || (g_str_has_prefix (l->text, "▸ ")
                            && g_str_has_suffix (l->text, " sockets")
                            && atoi (l->text + strlen ("▸ ")) > 100);
      listener = listener || g_str_has_prefix (l->text, "*:*  SYN queue ");
    }
  ck_assert (grouped);
  ck_assert (listener);
}
END_TEST

/* Nothing is left out of the tables: a group row opens to show its sockets
 * (style.sockets_expanded, what a click on it does), the tables grow as
 * tall as their rows, and scrolled to the end they show the last one. */
static guint
count_labels (GArray     *labels,
              const char *prefix)
{
  guint n = 0;

  for (guint i = 0; i < labels->len; i++)
    n += g_str_has_prefix (g_array_index (labels, TlRenderLabel, i).text, prefix);
  return n;
}

static guint
count_cells (GArray     *labels,
             const char *text)
{
  guint n = 0;

  for (guint i = 0; i < labels->len; i++)
    n += g_str_equal (g_array_index (labels, TlRenderLabel, i).text, text);
  return n;
}

START_TEST (test_sockets_group_opens_and_scrolls)
{
  g_autoptr(TlTrace) trace = flood_trace (5000);
  g_autoptr(GArray) labels = tl_render_labels_new ();
  TlRenderStyle style;
  double closed_h, open_h, row_y = -1, row_x = 0;
  TlState state;
  guint host, n_syn_recv;
  TlWorld world;

  light_style (&style);
  tl_world_init (&world);
  tl_trace_world_at (trace, 150 * MS, &world);
  n_syn_recv = world.counts[1][TL_STATE_SYN_RCVD];
  tl_world_clear (&world);
  ck_assert_uint_gt (n_syn_recv, 100);

  /* Closed: the whole table fits; the group row is hit where it is drawn. */
  closed_h = tl_render_sockets_height (trace, 150 * MS, W, H, &style);
  ck_assert_double_le (closed_h, H);
  render_sockets_whole (trace, &style, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      const TlRenderLabel *l = &g_array_index (labels, TlRenderLabel, i);

      if (g_str_has_prefix (l->text, "▸ "))
        {
          row_x = l->x + l->width / 2;
          row_y = l->y + l->height / 2;
        }
    }
  ck_assert_double_ge (row_y, 0);
  ck_assert (tl_render_sockets_hit_group (trace, 150 * MS, W, H, &style, row_x, row_y,
                                          &host, &state));
  ck_assert_uint_eq (host, 1);
  ck_assert_int_eq (state, TL_STATE_SYN_RCVD);
  ck_assert (!tl_render_sockets_hit_group (trace, 150 * MS, W, H, &style, row_x, 2, NULL, NULL));
  ck_assert_uint_eq (count_cells (labels, "SYN-RECV"), 1);

  /* Open: a row a socket, the table taller than the view, scrolled in it. */
  style.sockets_expanded[host] |= 1u << state;
  open_h = tl_render_sockets_height (trace, 150 * MS, W, H, &style);
  ck_assert_double_gt (open_h, closed_h + (n_syn_recv - 1) * 10.0);
  render_sockets_whole (trace, &style, labels);
  ck_assert_uint_eq (count_labels (labels, "▾ "), 1);
  ck_assert_uint_gt (count_cells (labels, "SYN-RECV"), 10);
  /* At the end: the last rows in view, the titles scrolled away, nothing
   * drawn cut by the edges listed. */
  style.sockets_scroll_px = open_h - H;
  render_sockets_whole (trace, &style, labels);
  ck_assert_uint_gt (count_cells (labels, "SYN-RECV"), 10);
  ck_assert_uint_eq (count_labels (labels, "Recv-Q"), 0);
}
END_TEST

/* A listener's Recv-Q is its accept queue and Send-Q its backlog, as
 * `ss -ltn` shows them. */
static const char accept_queue_lesson[] =
  "host client 10.0.0.1\n"
  "host server 10.0.0.2\n"
  "link delay 10ms\n"
  "set server autoaccept off backlog 7\n"
  "0ms     server listen 80\n"
  "10ms    client connect server:80\n"
  "10ms    client connect server:80\n"
  "10ms    client connect server:80\n";

START_TEST (test_sockets_listener_queues_as_ss_ltn)
{
  g_autoptr(TlTrace) trace = tl_test_simulate_text (accept_queue_lesson);
  g_autoptr(GArray) labels = tl_render_labels_new ();
  TlRenderStyle style;
  cairo_surface_t *surface;
  double listen_y = -1;
  gboolean recv_q = FALSE, send_q = FALSE;

  light_style (&style);
  style.labels = labels;
  surface = render (TL_VIEW_SOCKETS, trace, 40 * MS, W, H, &style);
  cairo_surface_destroy (surface);
  for (guint i = 0; i < labels->len; i++)
    if (g_str_equal (g_array_index (labels, TlRenderLabel, i).text, "LISTEN"))
      listen_y = g_array_index (labels, TlRenderLabel, i).y;
  ck_assert_double_ge (listen_y, 0);
  /* On the listener's row: three connections queued, the backlog 7. */
  for (guint i = 0; i < labels->len; i++)
    {
      const TlRenderLabel *l = &g_array_index (labels, TlRenderLabel, i);

      if (fabs (l->y - listen_y) > 2)
        continue;
      recv_q = recv_q || g_str_equal (l->text, "3");
      send_q = send_q || g_str_equal (l->text, "7");
    }
  ck_assert (recv_q);
  ck_assert (send_q);
}
END_TEST

/* Each host's table shows its profile and the settings the lesson changed
 * (as the lesson writes them), and the tooltip says what each ss spelling
 * shown stands for in RFC 9293 and in the diagram. */
static const char settings_lesson[] =
  "host client 10.0.0.1\n"
  "host server 10.0.0.2\n"
  "link delay 100ms\n"
  "set server profile rfc backlog 4\n"
  "set client syncookies off\n"
  "0ms     server listen 80\n"
  "100ms   client connect server:80\n";

START_TEST (test_sockets_show_settings_and_rfc_names)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlScenario) scenario = tl_lesson_parse (settings_lesson, -1, "test.lesson", NULL,
                                                    &error);
  g_autoptr(TlTrace) trace = NULL;
  g_autoptr(GArray) labels = tl_render_labels_new ();
  g_autofree char *client = NULL;
  g_autofree char *server = NULL;
  g_autofree char *tooltip = NULL;
  gboolean client_seen = FALSE, server_seen = FALSE;
  TlRenderStyle style;
  cairo_surface_t *surface;

  ck_assert_msg (scenario != NULL, "%s", error != NULL ? error->message : "");
  trace = tl_simulate (scenario);
  client = tl_settings_describe (&scenario->settings[0]);
  server = tl_settings_describe (&scenario->settings[1]);
  ck_assert_str_eq (client, "linux: syncookies off");
  ck_assert_str_eq (server, "rfc: backlog 4");

  light_style (&style);
  style.labels = labels;
  style.host_settings[0] = client;
  style.host_settings[1] = server;
  surface = render (TL_VIEW_SOCKETS, trace, 250 * MS, W, H, &style);
  cairo_surface_destroy (surface);
  for (guint i = 0; i < labels->len; i++)
    {
      const TlRenderLabel *l = &g_array_index (labels, TlRenderLabel, i);

      client_seen = client_seen || g_str_equal (l->text, client);
      server_seen = server_seen || g_str_equal (l->text, server);
    }
  ck_assert (client_seen);
  ck_assert (server_seen);

  /* At 250 ms the server has its listener and a SYN-RECV child; the client
   * is in SYN-SENT. */
  tooltip = tl_render_sockets_tooltip (trace, 250 * MS);
  ck_assert_ptr_nonnull (tooltip);
  ck_assert_msg (strstr (tooltip, "SYN-RECV: SYN-RECEIVED in RFC 9293, SYN_RCVD in the diagram")
                 != NULL, "%s", tooltip);
  ck_assert_msg (strstr (tooltip, "SYN-SENT: SYN-SENT in RFC 9293, SYN_SENT in the diagram")
                 != NULL, "%s", tooltip);
  ck_assert (strstr (tooltip, "ESTAB") == NULL);
}
END_TEST

START_TEST (test_files_by_extension_written_atomically)
{
  g_autoptr(TlTrace) trace = handshake_trace ();
  g_autofree char *dir = g_dir_make_tmp ("tl-render-XXXXXX", NULL);
  const char *names[] = { "all.png", "all.svg", "all.pdf" };
  const char *magic[] = { "\x89PNG", "<?xml", "%PDF" };
  TlRenderStyle style;
  GDir *listing;
  guint n_files = 0;

  tl_render_style_init (&style);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_autofree char *contents = NULL;
      g_autoptr(GError) error = NULL;
      gsize length;

      ck_assert (tl_render_to_file (TL_VIEW_ALL, trace, 500 * MS, 1280, 720, &style, path, &error));
      ck_assert_ptr_null (error);
      ck_assert (g_file_get_contents (path, &contents, &length, NULL));
      ck_assert (g_str_has_prefix (contents, magic[i]));
      if (i == 0)
        {
          cairo_surface_t *png = cairo_image_surface_create_from_png (path);

          ck_assert_int_eq (cairo_image_surface_get_width (png), 1280);
          ck_assert_int_eq (cairo_image_surface_get_height (png), 720);
          cairo_surface_destroy (png);
        }
    }

  /* No temporary file left beside them. */
  listing = g_dir_open (dir, 0, NULL);
  for (const char *name; (name = g_dir_read_name (listing)) != NULL; n_files++)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_dir_close (listing);
  g_rmdir (dir);
  ck_assert_uint_eq (n_files, 3);
}
END_TEST

START_TEST (test_file_with_unknown_extension_is_refused)
{
  g_autoptr(TlTrace) trace = handshake_trace ();
  g_autoptr(GError) error = NULL;
  TlRenderStyle style;

  tl_render_style_init (&style);
  ck_assert (!tl_render_to_file (TL_VIEW_DIAGRAM, trace, 0, 640, 480, &style,
                                 "/nonexistent/x.gif", &error));
  ck_assert (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT));
  ck_assert_ptr_nonnull (strstr (error->message, "x.gif"));
  g_clear_error (&error);
  ck_assert (!tl_render_to_file (TL_VIEW_DIAGRAM, trace, 0, 640, 480, &style,
                                 "/nonexistent/dir/x.png", &error));
  ck_assert_ptr_nonnull (strstr (error->message, "/nonexistent/dir"));
}
END_TEST

/* Real lessons: parsed from text, simulated, drawn. */

/* One-way delay 100 ms: SYN arrives at 200 ms, SYN,ACK at 300, ACK at 400;
 * the client closes at 600 ms (FIN arrives at 700, its ACK at 800), the
 * server at 750 ms (FIN arrives at 850, the last ACK at 950: the server's
 * token is back on its listener). */
static const char handshake_lesson[] =
  "title \"Handshake and close\"\n"
  "host client 10.0.0.1\n"
  "host server 10.0.0.2\n"
  "link delay 100ms\n"
  "set all isn 0\n"
  "0ms     server listen 80\n"
  "100ms   client connect server:80\n"
  "600ms   client close\n"
  "750ms   server close\n";

START_TEST (test_lesson_tokens_follow_the_handshake_and_close)
{
  g_autoptr(TlTrace) trace = tl_test_simulate_text (handshake_lesson);

  assert_tokens (trace, 50 * MS, TL_STATE_CLOSED, TL_STATE_LISTEN, FALSE);
  assert_tokens (trace, 150 * MS, TL_STATE_SYN_SENT, TL_STATE_LISTEN, FALSE);
  assert_tokens (trace, 250 * MS, TL_STATE_SYN_SENT, TL_STATE_SYN_RCVD, TRUE);
  assert_tokens (trace, 350 * MS, TL_STATE_ESTABLISHED, TL_STATE_SYN_RCVD, FALSE);
  assert_tokens (trace, 650 * MS, TL_STATE_FIN_WAIT_1, TL_STATE_ESTABLISHED, TRUE);
  assert_tokens (trace, 720 * MS, TL_STATE_FIN_WAIT_1, TL_STATE_CLOSE_WAIT, FALSE);
  assert_tokens (trace, 760 * MS, TL_STATE_FIN_WAIT_1, TL_STATE_LAST_ACK, TRUE);
  assert_tokens (trace, 820 * MS, TL_STATE_FIN_WAIT_2, TL_STATE_LAST_ACK, FALSE);
  assert_tokens (trace, 900 * MS, TL_STATE_TIME_WAIT, TL_STATE_LAST_ACK, FALSE);
  assert_tokens (trace, 1000 * MS, TL_STATE_TIME_WAIT, TL_STATE_LISTEN, FALSE);
}
END_TEST

/* Every segment sent by time t has its line in the ladder, in its sender's
 * colour, and there are exactly as many as the trace has segments. */
START_TEST (test_lesson_ladder_has_one_arrow_per_segment)
{
  g_autoptr(TlTrace) trace = tl_test_simulate_text (handshake_lesson);
  const gint64 times[] = { 250 * MS, 450 * MS, 1100 * MS };
  TlRenderStyle style;
  const TlPalette *pal;

  pal = light_style (&style);
  for (guint k = 0; k < G_N_ELEMENTS (times); k++)
    {
      cairo_surface_t *surface = render (TL_VIEW_LADDER, trace, times[k], W, H, &style);
      guint n_segments = 0, n_lines = 0;

      for (guint i = 0; i < tl_trace_records_until (trace, times[k]); i++)
        {
          const TlRecord *rec = tl_trace_record (trace, i);
          double line[4];

          if (rec->kind != TL_REC_SEGMENT)
            continue;
          n_segments++;
          if (!tl_render_ladder_line (trace, times[k], W, H, &style, i, line))
            continue;
          n_lines++;
          assert_segment_colour (surface, trace, pal, i, line, 0.03, times[k]);
        }
      ck_assert_uint_eq (n_lines, n_segments);
      ck_assert_uint_eq (n_segments, k == 0 ? 2 : k == 1 ? 3 : 7);
      cairo_surface_destroy (surface);
    }
}
END_TEST

/* A lost SYN (scripted drop) ends in a cross. */
START_TEST (test_lesson_lost_syn_ends_in_a_cross)
{
  g_autoptr(TlTrace) trace = tl_test_simulate_text (
    "host client 10.0.0.1\n"
    "host server 10.0.0.2\n"
    "link delay 100ms\n"
    "0ms     server listen 80\n"
    "0ms     drop next client->server SYN\n"
    "100ms   client connect server:80\n");
  TlRenderStyle style;
  const TlPalette *pal;
  cairo_surface_t *surface;
  guint n_lost = 0;

  pal = light_style (&style);
  surface = render (TL_VIEW_LADDER, trace, 600 * MS, W, H, &style);
  for (guint i = 0; i < tl_trace_records_until (trace, 600 * MS); i++)
    {
      const TlRecord *rec = tl_trace_record (trace, i);
      double line[4];

      if (rec->kind != TL_REC_SEGMENT || rec->u.seg.fate != TL_FATE_LOST_SCRIPTED)
        continue;
      n_lost++;
      ck_assert (tl_render_ladder_line (trace, 600 * MS, W, H, &style, i, line));
      ck_assert (colour_near (surface, line[2], line[3], 4, &pal->lost));
    }
  ck_assert_uint_eq (n_lost, 1);
  cairo_surface_destroy (surface);
}
END_TEST

/* TlView is a registered enum type (TL_TYPE_VIEW), so a .ui file names a
 * view by its nick and GObject refuses a value that is not a view. */
/* The lesson of handshake_lesson's kind with the client named name. */
static TlTrace *
simulate_with_client_named (const char *name)
{
  g_autofree char *text = g_strdup_printf ("host %s 10.0.0.1\nhost server 10.0.0.2\n"
                                           "link delay 100ms\nset all isn 0\n"
                                           "0ms server listen 80\n"
                                           "100ms %s connect server:80\n", name, name);

  return tl_test_simulate_text (text);
}

/* A host name of 4000 characters was drawn across every view (issue 19,
 * 05552a1): each view draws at most TL_RENDER_NAME_CHARS characters of a
 * name and an ellipsis, so two names that share that many first characters
 * draw the same pixels, however long either is. */
/* A lesson's word of 3000 letters gets a zero-width space after each 40
 * letters (Pango wraps a long word letter by letter, in time that grows as
 * the square of its length: the window-names case measured its question
 * card for 16 s, over 6 min under AddressSanitizer); ordinary text, a
 * sysctl's name and Chinese come back as they were. */
START_TEST (test_long_words_get_break_points)
{
  GString *word = g_string_new (NULL);
  g_autofree char *shown = NULL;
  const char *const same[] = {
    "The server's kernel answers with a challenge ACK.",
    "net.ipv4.tcp_max_syn_backlog and tcp_abort_on_overflow",
    "服务器的内核以挑战 ACK 回应，客户端随后发送 RST 并重新发起连接。",
    "",
  };
  const char *p;
  guint letters = 0, spaces = 0;

  for (guint i = 0; i < G_N_ELEMENTS (same); i++)
    {
      g_autofree char *text = tl_render_breakable (same[i]);

      ck_assert_str_eq (text, same[i]);
    }
  for (guint i = 0; i < 3000; i++)
    g_string_append_c (word, (char) ('a' + i % 26));
  g_string_append (word, " end");
  shown = tl_render_breakable (word->str);
  for (p = shown; *p != '\0'; p = g_utf8_next_char (p))
    if (g_utf8_get_char (p) == 0x200B)
      {
        ck_assert_uint_eq (letters, TL_RENDER_WORD_RUN);
        spaces++;
        letters = 0;
      }
    else if (*p != ' ')
      letters++;
    else
      break;
  ck_assert_uint_eq (spaces, 3000 / TL_RENDER_WORD_RUN - 1);
  ck_assert_str_eq (p, " end");
  g_string_free (word, TRUE);
}
END_TEST

START_TEST (test_long_host_names_are_cut_in_every_view)
{
  GString *long_name = g_string_new (NULL);
  g_autoptr(TlTrace) trace_long = NULL;
  g_autoptr(TlTrace) trace_short = NULL;
  TlRenderStyle style;

  for (guint i = 0; i < 4000; i++)
    g_string_append_c (long_name, 'a' + i % 26);
  trace_long = simulate_with_client_named (long_name->str);
  /* 30 characters: fits every view whole if it is not cut */
  g_string_truncate (long_name, 30);
  trace_short = simulate_with_client_named (long_name->str);
  g_string_free (long_name, TRUE);
  light_style (&style);
  for (TlView view = TL_VIEW_DIAGRAM; view <= TL_VIEW_SOCKETS; view++)
    {
      cairo_surface_t *a = render (view, trace_long, 250 * MS, 1280, 720, &style);
      cairo_surface_t *b = render (view, trace_short, 250 * MS, 1280, 720, &style);
      gsize size = (gsize) cairo_image_surface_get_stride (a) * 720;

      ck_assert_msg (memcmp (cairo_image_surface_get_data (a), cairo_image_surface_get_data (b),
                             size) == 0, "view %d draws the long name otherwise", view);
      cairo_surface_destroy (a);
      cairo_surface_destroy (b);
    }
}
END_TEST

/* The diagram copies its empty figure from a cache (on an image, when no
 * labels are listed) and draws the edges' labels over it in each frame:
 * the same pixels as drawn in full, from moment to moment as the lit edge
 * and the labels making way for it change. */
START_TEST (test_diagram_from_its_cache_draws_what_it_draws_in_full)
{
  g_autoptr(TlTrace) trace = handshake_trace ();
  const gint64 times[] = { 100 * MS, 160 * MS, 260 * MS, 100 * MS, 760 * MS, 960 * MS, 1010 * MS };
  TlRenderStyle cached, full;

  light_style (&cached);
  light_style (&full);
  for (guint k = 0; k < G_N_ELEMENTS (times); k++)
    {
      g_autoptr(GArray) labels = tl_render_labels_new ();
      cairo_surface_t *a = render (TL_VIEW_DIAGRAM, trace, times[k], 1280, 720, &cached);
      cairo_surface_t *b;
      gsize size = (gsize) cairo_image_surface_get_stride (a) * 720;

      full.labels = labels;
      b = render (TL_VIEW_DIAGRAM, trace, times[k], 1280, 720, &full);
      ck_assert_msg (memcmp (cairo_image_surface_get_data (a), cairo_image_surface_get_data (b),
                             size) == 0, "at %" G_GINT64_FORMAT " us", times[k]);
      cairo_surface_destroy (a);
      cairo_surface_destroy (b);
    }
}
END_TEST

START_TEST (test_view_kind_is_an_enum_type)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (TL_TYPE_VIEW);
  static const char *const nicks[] = { "diagram", "ladder", "timers", "sockets", "all" };

  ck_assert (G_TYPE_IS_ENUM (TL_TYPE_VIEW));
  ck_assert_uint_eq (klass->n_values, G_N_ELEMENTS (nicks));
  for (guint i = 0; i < G_N_ELEMENTS (nicks); i++)
    ck_assert_int_eq (g_enum_get_value_by_nick (klass, nicks[i])->value, TL_VIEW_DIAGRAM + (int) i);
  ck_assert_int_eq (g_enum_get_value_by_nick (klass, "ladder")->value, TL_VIEW_LADDER);
  ck_assert_ptr_null (g_enum_get_value (klass, TL_VIEW_ALL + 1));
}
END_TEST

static TlTrace *
shipped_lesson (const char *name)
{
  g_autofree char *path = g_build_filename (TL_SOURCE_LESSONS_DIR, name, NULL);
  g_autofree char *text = NULL;

  ck_assert (g_file_get_contents (path, &text, NULL, NULL));
  return tl_test_simulate_text (text);
}

/* No two labels listed (style.labels) meet. */
static void
assert_labels_apart (GArray *labels)
{
  for (guint i = 0; i < labels->len; i++)
    for (guint k = i + 1; k < labels->len; k++)
      {
        const TlRenderLabel *a = &g_array_index (labels, TlRenderLabel, i);
        const TlRenderLabel *b = &g_array_index (labels, TlRenderLabel, k);

        ck_assert_msg (a->x + a->width <= b->x + 0.5 || b->x + b->width <= a->x + 0.5 ||
                       a->y + a->height <= b->y + 0.5 || b->y + b->height <= a->y + 0.5,
                       "'%s' meets '%s'", a->text, b->text);
      }
}

/* A flood too dense to draw one by one (20,000 SYNs, 80,000 records in
 * view) is a band with its count for each direction, counted to the
 * segment as far as the playhead, while the real client's segments through
 * it are arrows with their labels, its states named, its segments hit by a
 * click; no label meets another. */
START_TEST (test_ladder_dense_flood_is_bands_with_the_client_whole)
{
  guint client[3];
  g_autoptr(TlTrace) trace = spoofed_flood_trace (20000, client);
  const gint64 times[] = { 300 * MS, 375 * MS, tl_trace_end_time (trace) };
  TlRenderStyle style;
  const TlPalette *pal;

  pal = light_style (&style);
  /* the whole flood in view */
  style.ladder_t0_us = 0;
  style.ladder_span_us = 600 * MS;
  for (guint k = 0; k < G_N_ELEMENTS (times); k++)
    {
      g_autoptr(GArray) labels = tl_render_labels_new ();
      g_autofree char *syns = NULL;
      g_autofree char *replies = NULL;
      guint n_syn = 0, n_reply = 0;
      gboolean syn_band = FALSE, reply_band = FALSE, syn_sent = FALSE, established = FALSE;
      const char *client_labels[] = { "SYN  seq=0", "SYN,ACK  seq=0 ack=1", "ACK  seq=1 ack=1" };
      gboolean seen[3] = { FALSE, FALSE, FALSE };
      cairo_surface_t *surface;

      /* what has been sent by then: every one shows */
      for (guint i = 0; i < tl_trace_records_until (trace, times[k]); i++)
        {
          const TlRecord *rec = tl_trace_record (trace, i);

          if (rec->kind == TL_REC_SEGMENT && tl_trace_segment_peer (trace, rec->u.seg.id) != 0)
            n_syn += rec->host == 0, n_reply += rec->host == 1;
        }
      syns = g_strdup_printf ("%u SYN from 192.0.2.0/24", n_syn);
      replies = g_strdup_printf ("%u SYN,ACK to 192.0.2.0/24", n_reply);
      style.labels = labels;
      surface = render (TL_VIEW_LADDER, trace, times[k], W, H, &style);
      for (guint i = 0; i < labels->len; i++)
        {
          const TlRenderLabel *l = &g_array_index (labels, TlRenderLabel, i);

          syn_band = syn_band || g_str_equal (l->text, syns);
          reply_band = reply_band || g_str_equal (l->text, replies);
          syn_sent = syn_sent || (l->kind == TL_LABEL_STATE && g_str_equal (l->text, "SYN_SENT"));
          established = established || (l->kind == TL_LABEL_STATE &&
                                         g_str_equal (l->text, "ESTABLISHED"));
          for (guint c = 0; c < 3; c++)
            seen[c] = seen[c] || g_str_equal (l->text, client_labels[c]);
          ck_assert_msg (!g_str_has_prefix (l->text, "SYN  seq=3") &&
                         !g_str_has_prefix (l->text, "SYN,ACK  seq=7"),
                         "a flood's segment drawn alone: %s", l->text);
        }
      ck_assert_msg (syn_band, "no '%s' at %" G_GINT64_FORMAT " us", syns, times[k]);
      ck_assert_msg (n_reply == 0 || reply_band, "no '%s' at %" G_GINT64_FORMAT " us", replies,
                     times[k]);
      ck_assert (syn_sent);
      ck_assert (established);
      /* each of the client's segments sent by then: labelled, in its
       * host's colour along its line, hit where it is drawn */
      for (guint c = 0; c < 3; c++)
        {
          double line[4], x, y;

          if (tl_trace_record (trace, client[c])->time_us + 50 * MS > times[k])
            continue;
          ck_assert_msg (seen[c], "'%s' not drawn", client_labels[c]);
          ck_assert (tl_render_ladder_line (trace, times[k], W, H, &style, client[c], line));
          assert_segment_colour (surface, trace, pal, client[c], line, 0.04, times[k]);
          point_along (line, 0.2, &x, &y);
          ck_assert_uint_eq (tl_render_ladder_hit (trace, times[k], W, H, &style, x, y),
                             client[c]);
        }
      assert_labels_apart (labels);
      cairo_surface_destroy (surface);
      style.labels = NULL;
    }
}
END_TEST

/* Left and Right through a dense flood (20,000 SYNs, 20 us apart): every
 * record of the real client's handshake is a stop (its segments' sending and
 * arrival, its states), and the flood between them is crossed a 40th of the
 * ladder's window at a time: neither 20 us a key nor over a client's
 * segment.  Before, a step was the next record's time: 22,500 stops. */
START_TEST (test_ladder_steps_through_a_flood_by_the_clients_events)
{
  guint client[3];
  g_autoptr(TlTrace) trace = spoofed_flood_trace (20000, client);
  gint64 end = tl_trace_end_time (trace);
  TlRenderStyle style;

  light_style (&style);
  for (int direction = 1; direction >= -1; direction -= 2)
    {
      g_autoptr(GArray) stops = g_array_new (FALSE, FALSE, sizeof (gint64));
      gint64 t = direction > 0 ? 0 : end;

      g_array_append_val (stops, t);
      for (guint n = 0; n < 5000; n++)
        {
          gint64 next = tl_render_ladder_step_time (trace, t, &style, direction);
          gint64 t0, span;

          if (next == t)
            break;
          ck_assert_int_eq (next > t, direction > 0);
          tl_render_ladder_window (trace, MIN (t, next), &style, &t0, &span);
          /* in the flood (records every 20 us) no longer than a 40th of the window */
          if (MIN (t, next) > 2 * MS && MAX (t, next) < 400 * MS)
            ck_assert_msg (ABS (next - t) <= span / 40 + FLOOD_GAP_US,
                           "a step of %" G_GINT64_FORMAT " us at %" G_GINT64_FORMAT
                           " us (window %" G_GINT64_FORMAT " us)", ABS (next - t), t, span);
          t = next;
          g_array_append_val (stops, t);
        }
      ck_assert_int_eq (t, direction > 0 ? end : 0);
      ck_assert_msg (stops->len < 400, "%u stops", stops->len);
      /* every record of the client's connection and the server's child for it */
      for (guint i = 0; i < tl_trace_n_records (trace); i++)
        {
          const TlRecord *rec = tl_trace_record (trace, i);
          gboolean own = rec->kind == TL_REC_STATE
                         || (rec->kind == TL_REC_SEGMENT
                             && tl_trace_segment_peer (trace, rec->u.seg.id) == 0);
          gboolean found = FALSE;

          if (!own || (rec->kind == TL_REC_STATE && rec->conn != TL_NO_CONN
                       && (tl_trace_conn (trace, rec->conn)->remote_addr & 0xffffff00u)
                          == 0xc0000200u))
            continue;
          for (guint k = 0; k < stops->len && !found; k++)
            found = g_array_index (stops, gint64, k) == rec->time_us
                    || (rec->kind == TL_REC_SEGMENT
                        && g_array_index (stops, gint64, k) == rec->time_us + rec->u.seg.delay_us);
          ck_assert_msg (found, "record %u at %" G_GINT64_FORMAT " us stepped over", i, rec->time_us);
          for (guint k = 0; k < stops->len && rec->kind == TL_REC_SEGMENT; k++)
            if (g_array_index (stops, gint64, k) == rec->time_us + rec->u.seg.delay_us)
              found = FALSE;
          ck_assert_msg (rec->kind != TL_REC_SEGMENT || !found,
                         "the arrival of segment %u stepped over", i);
        }
    }
}
END_TEST

/* In a dense flood the keyboard's Up and Down go through the real hosts'
 * own events in view (not none, as before), and a click selects what is
 * under the pointer: the client's state by its name, its segment by its
 * arrow, and inside a band the flood's segment there (before: nothing). */
START_TEST (test_ladder_keys_and_clicks_find_events_in_a_flood)
{
  guint client[3];
  g_autoptr(TlTrace) trace = spoofed_flood_trace (20000, client);
  gint64 at = 375 * MS;
  TlRenderStyle style;
  guint32 k, last, n = 0;
  gboolean seen[3] = { FALSE, FALSE, FALSE };
  guint states = 0;
  double line[4], x, y;

  light_style (&style);
  style.ladder_t0_us = 0;
  style.ladder_span_us = 600 * MS;
  last = tl_render_ladder_step (trace, at, W, H, &style, G_MAXUINT32, 0);
  ck_assert_uint_ne (last, G_MAXUINT32);
  for (k = last; n < 100; n++)
    {
      const TlRecord *rec = tl_trace_record (trace, k);
      guint32 prev;

      ck_assert_msg (rec->kind == TL_REC_STATE || rec->kind == TL_REC_SEGMENT, "record %u", k);
      ck_assert_msg (rec->kind != TL_REC_SEGMENT
                     || tl_trace_segment_peer (trace, rec->u.seg.id) == 0,
                     "a flood's segment %u is a key's stop", k);
      ck_assert (tl_render_ladder_event_point (trace, at, W, H, &style, k, &x, &y));
      if (rec->kind == TL_REC_STATE)
        {
          ck_assert (rec->conn == TL_NO_CONN || tl_trace_conn (trace, rec->conn)->listener
                     || (tl_trace_conn (trace, rec->conn)->remote_addr & 0xffffff00u)
                        != 0xc0000200u);
          ck_assert_uint_eq (tl_render_ladder_hit_state (trace, at, W, H, &style, x, y), k);
          states++;
        }
      else
        {
          for (guint c = 0; c < 3; c++)
            seen[c] = seen[c] || client[c] == k;
          ck_assert_uint_eq (tl_render_ladder_hit (trace, at, W, H, &style, x, y), k);
        }
      prev = tl_render_ladder_step (trace, at, W, H, &style, k, -1);
      if (prev == k)
        break;
      ck_assert_uint_lt (prev, k);
      ck_assert_uint_eq (tl_render_ladder_step (trace, at, W, H, &style, prev, 1), k);
      k = prev;
    }
  ck_assert (seen[0] && seen[1] && seen[2]);
  /* LISTEN, SYN_SENT, SYN_RCVD, ESTABLISHED twice */
  ck_assert_uint_eq (states, 5);

  /* A flood's SYN sent at 100 ms, far from the client's arrows: a click in
   * the middle of its line picks a flood's segment passing there. */
  for (k = tl_trace_records_until (trace, 100 * MS); ; k++)
    if (tl_trace_record (trace, k)->kind == TL_REC_SEGMENT)
      break;
  ck_assert (tl_render_ladder_line (trace, at, W, H, &style, k, line));
  point_along (line, 0.5, &x, &y);
  {
    guint32 hit = tl_render_ladder_hit (trace, at, W, H, &style, x, y);
    const TlRecord *rec;
    double l2[4], px, py;

    ck_assert_uint_ne (hit, G_MAXUINT32);
    rec = tl_trace_record (trace, hit);
    ck_assert_int_eq (rec->kind, TL_REC_SEGMENT);
    ck_assert_uint_ne (tl_trace_segment_peer (trace, rec->u.seg.id), 0);
    ck_assert (tl_render_ladder_line (trace, at, W, H, &style, hit, l2));
    point_along (l2, CLAMP ((x - l2[0]) / (l2[2] - l2[0]), 0.0, 1.0), &px, &py);
    ck_assert_msg (fabs (py - y) < 3, "picked a segment %.1f px away", fabs (py - y));
  }
}
END_TEST

/* A ladder as narrow as at 1280x720 (490 px), where the states' names
 * leave about a hundred pixels between the timelines: a segment whose whole
 * label has no room still says what crossed, by its flags ("FIN,ACK");
 * before, the time-wait-pileup lesson at 1.07 s labelled one of the seven
 * segments that had crossed. */
START_TEST (test_ladder_narrow_keeps_the_segments_flags)
{
  g_autoptr(TlTrace) trace = shipped_lesson ("time-wait-pileup.lesson");
  g_autoptr(GArray) labels = tl_render_labels_new ();
  gint64 at = 1070 * MS;
  guint sent = 0, named = 0;
  TlRenderStyle style;
  gint64 t0, span;

  light_style (&style);
  style.labels = labels;
  cairo_surface_destroy (render (TL_VIEW_LADDER, trace, at, 490, 460, &style));
  tl_render_ladder_window (trace, at, &style, &t0, &span);
  for (guint i = tl_trace_records_until (trace, t0); i < tl_trace_records_until (trace, at); i++)
    {
      const TlRecord *rec = tl_trace_record (trace, i);

      sent += rec->kind == TL_REC_SEGMENT && rec->time_us + rec->u.seg.delay_us <= at;
    }
  for (guint i = 0; i < labels->len; i++)
    {
      const TlRenderLabel *l = &g_array_index (labels, TlRenderLabel, i);

      named += l->kind != TL_LABEL_STATE && (g_str_has_prefix (l->text, "SYN")
                                             || g_str_has_prefix (l->text, "FIN")
                                             || g_str_has_prefix (l->text, "ACK"));
    }
  ck_assert_uint_ge (sent, 6);
  ck_assert_msg (named * 2 >= sent, "%u of %u segments labelled", named, sent);
  assert_labels_apart (labels);
}
END_TEST

/* Following the playhead the ladder keeps the last 8 events (segments sent,
 * state changes) in its window, and shows a lesson that fits whole. */
START_TEST (test_ladder_window_keeps_the_last_events)
{
  g_autoptr(TlTrace) pileup = shipped_lesson ("time-wait-pileup.lesson");
  g_autoptr(TlTrace) close = shipped_lesson ("simultaneous-close.lesson");
  TlRenderStyle style;
  gint64 t0, span;

  light_style (&style);
  for (gint64 t = 300 * MS; t <= 3100 * MS; t += 400 * MS)
    {
      guint n = 0, i = tl_trace_records_until (pileup, t);

      tl_render_ladder_window (pileup, t, &style, &t0, &span);
      ck_assert_int_le (t0, t);
      ck_assert_int_ge (t0 + span, t);
      for (; i > 0 && n < 8; i--)
        {
          const TlRecord *rec = tl_trace_record (pileup, i - 1);

          if (rec->kind != TL_REC_SEGMENT && rec->kind != TL_REC_STATE)
            continue;
          n++;
          ck_assert_msg (rec->time_us >= t0, "at %" G_GINT64_FORMAT " us, event %u back at %"
                         G_GINT64_FORMAT " us is before the window (%" G_GINT64_FORMAT ")",
                         t, n, rec->time_us, t0);
        }
    }
  /* 0.9 s of lesson fits: the whole of it at any time. */
  tl_render_ladder_window (close, 100 * MS, &style, &t0, &span);
  ck_assert_int_eq (t0, 0);
  ck_assert_int_ge (span, tl_trace_end_time (close));
  /* Zoomed by the user: the style's window. */
  style.ladder_span_us = 50 * MS;
  style.ladder_t0_us = 200 * MS;
  tl_render_ladder_window (close, 220 * MS, &style, &t0, &span);
  ck_assert_int_eq (t0, 200 * MS);
  ck_assert_int_eq (span, 50 * MS);
}
END_TEST

/* The events (segments sent, state changes) in the ladder's window at t. */
static guint
events_in_window (const TlTrace       *trace,
                  gint64               t,
                  const TlRenderStyle *style)
{
  gint64 t0, span;
  guint n = 0;

  tl_render_ladder_window (trace, t, style, &t0, &span);
  for (guint i = tl_trace_records_until (trace, t0 - 1); i < tl_trace_records_until (trace, t); i++)
    n += tl_trace_record (trace, i)->kind == TL_REC_SEGMENT
         || tl_trace_record (trace, i)->kind == TL_REC_STATE;
  return n;
}

/* A ladder left short by the question's card (time-wait-pileup's first
 * question at 1280x720: 540 px, the card over all but 240) keeps fewer of
 * the last events in its window, as many as its lines hold, so that their
 * names stand by their events; before, it kept the last 8 whatever its
 * height (the window of a ladder of unknown height), and about 14 names
 * were stacked down its 150 px of timelines. */
START_TEST (test_ladder_window_follows_the_height)
{
  g_autoptr(TlTrace) trace = shipped_lesson ("time-wait-pileup.lesson");
  g_autoptr(GArray) labels = tl_render_labels_new ();
  gint64 at = 1900 * MS;
  TlRenderStyle style;
  guint any, tall, covered;

  light_style (&style);
  style.font_scale = 1.25;
  style.ladder_cover_px = 300;
  any = events_in_window (trace, at, &style);
  style.ladder_view_w = 500;
  style.ladder_view_h = 540;
  covered = events_in_window (trace, at, &style);
  style.ladder_cover_px = 0;
  tall = events_in_window (trace, at, &style);
  ck_assert_msg (covered >= 2 && covered * 3 <= any * 2 && tall >= any,
                 "%u events in the window above the card, %u without it, %u at any height",
                 covered, tall, any);
  /* its names and labels apart */
  style.ladder_cover_px = 300;
  style.labels = labels;
  cairo_surface_destroy (render (TL_VIEW_LADDER, trace, at, 500, 540, &style));
  assert_labels_apart (labels);
}
END_TEST

/* The flood of syn-flood.lesson is a band with its count, and the real
 * client's SYN an arrow with its own label; the overview strip seeks. */
START_TEST (test_ladder_draws_a_flood_as_a_band_with_a_count)
{
  g_autoptr(TlTrace) trace = shipped_lesson ("syn-flood.lesson");
  g_autoptr(GArray) labels = tl_render_labels_new ();
  gboolean band = FALSE, client_syn = FALSE;
  cairo_surface_t *surface;
  TlRenderStyle style;
  gint64 at;

  light_style (&style);
  style.labels = labels;
  surface = render (TL_VIEW_LADDER, trace, 600 * MS, 960, 1000, &style);
  cairo_surface_destroy (surface);
  for (guint i = 0; i < labels->len; i++)
    {
      const char *text = g_array_index (labels, TlRenderLabel, i).text;

      band = band || g_str_equal (text, "16 SYN from 198.51.100.0/24");
      client_syn = client_syn || g_str_has_prefix (text, "SYN  seq=0");
      ck_assert_msg (!g_str_has_prefix (text, "SYN,ACK  seq="), "a flood reply drawn alone: %s",
                     text);
    }
  ck_assert (band);
  ck_assert (client_syn);

  /* At the first question (400 ms), in a ladder as small as the card leaves
   * it at 1280x720: the counts, wider than the band, beside the server's
   * SYN_RCVD names (before: no count at all); narrower still, the count
   * without the network. */
  for (guint k = 0; k < 2; k++)
    {
      const char *count = k == 0 ? "16 SYN from 198.51.100.0/24" : "16 SYN";

      g_array_set_size (labels, 0);
      band = FALSE;
      cairo_surface_destroy (render (TL_VIEW_LADDER, trace, 400 * MS, k == 0 ? 620 : 400, 330,
                                     &style));
      for (guint i = 0; i < labels->len; i++)
        band = band || g_str_equal (g_array_index (labels, TlRenderLabel, i).text, count);
      ck_assert_msg (band, "no '%s' at 400 ms", count);
      assert_labels_apart (labels);
    }

  ck_assert (!tl_render_ladder_overview_time (trace, 600 * MS, 960, 1000, &style, 480, 500, &at));
  ck_assert (tl_render_ladder_overview_time (trace, 600 * MS, 960, 1000, &style, 950, 999, &at) ||
             tl_render_ladder_overview_time (trace, 600 * MS, 960, 1000, &style, 950, 980, &at));
  ck_assert_int_gt (at, tl_trace_end_time (trace) * 9 / 10);
}
END_TEST

Suite *
render_suite (void)
{
  Suite *s = suite_create ("render");
  TCase *tc = tcase_create ("views");

  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_view_kind_is_an_enum_type);
  tcase_add_test (tc, test_tokens_sit_in_their_states);
  tcase_add_test (tc, test_two_tokens_in_one_state_sit_side_by_side);
  tcase_add_test (tc, test_diagram_text_keeps_its_size_when_small_and_grows_with_font_scale);
  tcase_add_test (tc, test_token_glides_along_the_edge_taken);
  tcase_add_test (tc, test_ladder_draws_an_arrow_per_segment);
  tcase_add_test (tc, test_ladder_moves_segments_in_flight);
  tcase_add_test (tc, test_ladder_selection_is_highlighted);
  tcase_add_test (tc, test_ladder_state_names_stay_inside_a_narrow_view);
  tcase_add_test (tc, test_ladder_survives_a_flood);
  tcase_add_test (tc, test_timer_bar_drains);
  tcase_add_test (tc, test_ladder_flood_names_states_sparsely);
  tcase_add_test (tc, test_sockets_table_stays_in_view_in_a_flood);
  tcase_add_test (tc, test_sockets_show_settings_and_rfc_names);
  tcase_add_test (tc, test_sockets_group_opens_and_scrolls);
  tcase_add_test (tc, test_sockets_listener_queues_as_ss_ltn);
  tcase_add_test (tc, test_files_by_extension_written_atomically);
  tcase_add_test (tc, test_file_with_unknown_extension_is_refused);
  tcase_add_test (tc, test_lesson_tokens_follow_the_handshake_and_close);
  tcase_add_test (tc, test_lesson_ladder_has_one_arrow_per_segment);
  tcase_add_test (tc, test_lesson_lost_syn_ends_in_a_cross);
  tcase_add_test (tc, test_ladder_window_keeps_the_last_events);
  tcase_add_test (tc, test_ladder_window_follows_the_height);
  tcase_add_test (tc, test_ladder_draws_a_flood_as_a_band_with_a_count);
  tcase_add_test (tc, test_ladder_dense_flood_is_bands_with_the_client_whole);
  tcase_add_test (tc, test_ladder_steps_through_a_flood_by_the_clients_events);
  tcase_add_test (tc, test_ladder_keys_and_clicks_find_events_in_a_flood);
  tcase_add_test (tc, test_ladder_narrow_keeps_the_segments_flags);
  tcase_add_test (tc, test_long_words_get_break_points);
  tcase_add_test (tc, test_long_host_names_are_cut_in_every_view);
  tcase_add_test (tc, test_diagram_from_its_cache_draws_what_it_draws_in_full);
  suite_add_tcase (s, tc);
  return s;
}
