/* tl-render-sockets.c: each host's sockets as `ss -tan` shows them, with a
 * count per state: the view that links the lesson to a real server. */
#include "tl-config.h"

#include "tl-render-private.h"

#include <glib/gi18n.h>

/* Where the columns start, as fractions of a host's column. */
static const double col_at[5] = { 0.0, 0.29, 0.41, 0.53, 0.77 };

static void
draw_row (TlPainter  *p,
          const char *cells[5],
          double      x,
          double      y,
          double      width,
          double      size,
          gboolean    bold)
{
  for (guint c = 0; c < 5; c++)
    tl_painter_text (p, cells[c], x + col_at[c] * width, y, size, bold,
                     TL_ALIGN_START, TL_ALIGN_START, NULL, NULL);
}

static void
draw_host (TlPainter     *p,
           const TlTrace *trace,
           const TlWorld *world,
           guint          host,
           double         x,
           double         width,
           double         height)
{
  double fp = p->font_px;
  double size = fp * 0.8;
  double row_h = size * 1.45;
  double y = fp * 0.4;
  const char *header[5] = { _("State"), _("Recv-Q"), _("Send-Q"),
                            _("Local Address:Port"), _("Peer Address:Port") };
  GString *counts = g_string_new (NULL);
  guint n_sockets = 0, shown = 0;
  double th;

  tl_painter_set_rgb (p, &p->pal->host[host], 1.0);
  tl_painter_text (p, tl_trace_host_name (trace, host), x, y, fp * 1.1, TRUE,
                   TL_ALIGN_START, TL_ALIGN_START, NULL, &th);
  y += th + fp * 0.1;

  /* The count per state: what `ss -tan state syn-recv | wc -l` would say. */
  for (guint s = 0; s < TL_N_STATES; s++)
    if (world->counts[host][s] > 0)
      {
        g_string_append_printf (counts, "%s%s %u", counts->len > 0 ? "   " : "",
                                tl_state_name (s), world->counts[host][s]);
        n_sockets += world->counts[host][s];
      }
  if (world->crashed[host])
    g_string_assign (counts, _("crashed: no sockets"));
  else if (n_sockets == 0)
    g_string_assign (counts, _("no sockets"));
  tl_painter_set_rgb (p, &p->pal->ink, 1.0);
  tl_painter_text (p, counts->str, x, y, size, TRUE, TL_ALIGN_START, TL_ALIGN_START,
                   NULL, &th);
  y += th + fp * 0.35;
  g_string_free (counts, TRUE);

  if (n_sockets == 0)
    return;

  tl_painter_set_rgb (p, &p->pal->panel, 1.0);
  cairo_rectangle (p->cr, x - 4, y, width + 8, row_h);
  cairo_fill (p->cr);
  tl_painter_set_rgb (p, &p->pal->muted, 1.0);
  draw_row (p, header, x, y + size * 0.2, width, size * 0.9, TRUE);
  y += row_h;

  tl_painter_set_rgb (p, &p->pal->ink, 1.0);
  for (guint i = 0; i < world->sockets->len; i++)
    {
      const TlWorldSocket *sock = &g_array_index (world->sockets, TlWorldSocket, i);
      const TlTraceConn *conn = tl_trace_conn (trace, sock->conn);
      char recv_q[16], send_q[16], local[32], peer[32];
      const char *cells[5] = { tl_state_name (sock->state), recv_q, send_q, local, peer };

      if (conn->host != host)
        continue;
      if (y + row_h * (shown + 1 < n_sockets ? 2 : 1) > height)
        {
          g_autofree char *more = g_strdup_printf (_("… and %u more"), n_sockets - shown);

          tl_painter_set_rgb (p, &p->pal->muted, 1.0);
          tl_painter_text (p, more, x, y, size, FALSE, TL_ALIGN_START, TL_ALIGN_START,
                           NULL, NULL);
          break;
        }
      g_snprintf (recv_q, sizeof recv_q, "%u", sock->recv_q);
      g_snprintf (send_q, sizeof send_q, "%u", sock->send_q);
      tl_render_format_addr (local, sizeof local, conn->local_addr, conn->local_port);
      tl_render_format_addr (peer, sizeof peer, conn->remote_addr, conn->remote_port);
      draw_row (p, cells, x, y, width, size, FALSE);
      y += row_h;
      shown++;
    }
}

void
tl_render_sockets (cairo_t             *cr,
                   const TlTrace       *trace,
                   gint64               time_us,
                   double               width,
                   double               height,
                   const TlRenderStyle *style)
{
  TlPainter painter;
  TlWorld world;
  double margin, col_w;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (trace != NULL);
  g_return_if_fail (style != NULL);

  if (width < 1 || height < 1)
    return;

  tl_world_init (&world);
  tl_trace_world_at (trace, time_us, &world);
  cairo_save (cr);
  tl_painter_init (&painter, cr, style, width, height);
  tl_painter_background (&painter, width, height);

  margin = painter.font_px;
  col_w = (width - 3 * margin) / 2;
  for (guint h = 0; h < 2; h++)
    draw_host (&painter, trace, &world, h, margin + h * (col_w + margin), col_w, height);

  tl_painter_clear (&painter);
  cairo_restore (cr);
  tl_world_clear (&world);
}
