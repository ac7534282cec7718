/* tl-render-sockets.c: each host's sockets as `ss -tan` shows them, with a
 * count per state: the view that links the lesson to a real server. */
#include "tl-config.h"

#include "tl-render-private.h"

#include <math.h>

#include <glib/gi18n.h>

#define N_COLS 5

/* The columns as `ss -tan` has them; their widths are measured with Pango
 * on the rows shown, so a long address never runs into the next column. */
typedef struct
{
  char    cells[N_COLS][40];
} Row;

/* The rows of a host's table that fit in max_rows, and how many sockets it has. */
static guint
collect_rows (const TlTrace *trace,
              const TlWorld *world,
              guint          host,
              GArray        *rows,
              guint          max_rows)
{
  guint n = 0;

  for (guint i = 0; i < world->sockets->len; i++)
    {
      const TlWorldSocket *sock = &g_array_index (world->sockets, TlWorldSocket, i);
      const TlTraceConn *conn = tl_trace_conn (trace, sock->conn);
      Row row;

      if (conn->host != host)
        continue;
      n++;
      if (rows->len >= max_rows)
        continue;
      g_strlcpy (row.cells[0], tl_state_name (sock->state), sizeof row.cells[0]);
      g_snprintf (row.cells[1], sizeof row.cells[1], "%u", sock->recv_q);
      g_snprintf (row.cells[2], sizeof row.cells[2], "%u", sock->send_q);
      tl_render_format_addr (row.cells[3], sizeof row.cells[3], conn->local_addr,
                             conn->local_port);
      tl_render_format_addr (row.cells[4], sizeof row.cells[4], conn->remote_addr,
                             conn->remote_port);
      g_array_append_val (rows, row);
    }
  return n;
}

/* Each column's width at this size; the total with gaps in *total. */
static void
measure_columns (TlPainter   *p,
                 const char  *header[N_COLS],
                 GArray      *rows,
                 double       size,
                 double       widths[N_COLS],
                 double      *total)
{
  *total = 0;
  for (guint c = 0; c < N_COLS; c++)
    {
      double w;

      tl_painter_measure (p, header[c], size, TRUE, &widths[c], NULL);
      for (guint r = 0; r < rows->len; r++)
        {
          tl_painter_measure (p, g_array_index (rows, Row, r).cells[c], size, FALSE, &w, NULL);
          widths[c] = MAX (widths[c], w);
        }
      *total += widths[c] + (c > 0 ? size * 1.2 : 0);
    }
}

/* Draws one host's table in (x, y, width, height); returns the height used. */
static double
draw_host (TlPainter     *p,
           const TlTrace *trace,
           const TlWorld *world,
           guint          host,
           double         x,
           double         y0,
           double         width,
           double         height)
{
  double fp = p->font_px;
  double size = p->small_px;
  double y = y0;
  const char *header[N_COLS] = { _("State"), _("Recv-Q"), _("Send-Q"),
                                 _("Local Address:Port"), _("Peer Address:Port") };
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (Row));
  GString *counts = g_string_new (NULL);
  double widths[N_COLS], total, row_h, th, col_x;
  guint n_sockets = 0, n_rows, max_rows;

  tl_painter_set_rgb (p, &p->pal->host[host], 1.0);
  tl_painter_text (p, tl_trace_host_name (trace, host), x, y, fp * 1.05, TRUE,
                   TL_ALIGN_START, TL_ALIGN_START, &col_x, &th);

  /* The count per state, beside the name: what `ss -tan state syn-recv | wc -l` says. */
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
  /* Beside the name, on as many lines as it needs. */
  tl_painter_set_rgb (p, &p->pal->ink, 1.0);
  {
    double cw, ch, wrap = width - col_x - fp * 0.8;

    tl_painter_measure (p, counts->str, size, TRUE, &cw, &ch);
    if (cw <= wrap)
      tl_painter_text (p, counts->str, x + col_x + fp * 0.8, y + th / 2, size, TRUE,
                       TL_ALIGN_START, TL_ALIGN_CENTER, NULL, NULL);
    else
      {
        double top = MAX ((th - ch) / 2, 0);

        tl_painter_paragraph (p, counts->str, x + col_x + fp * 0.8, y + top, size,
                              MAX (wrap, 1), &ch);
        th = MAX (th, top + ch);
      }
  }
  g_string_free (counts, TRUE);
  y += th + fp * 0.15;
  if (n_sockets == 0)
    return y - y0;

  /* As many rows as fit under the column titles, keeping one for "… and N
   * more". */
  row_h = size * 1.4;
  max_rows = (guint) MAX (0.0, floor ((y0 + height - y - 2 * row_h) / row_h));
  /* No room for a row under the titles: the counts beside the name say it. */
  if (max_rows == 0)
    return y - y0;
  n_sockets = collect_rows (trace, world, host, rows, max_rows);
  if (rows->len < n_sockets && rows->len > 0)
    g_array_set_size (rows, rows->len - 1);
  n_rows = rows->len;

  /* Narrow: without the queues, then without the local address; the type
   * keeps its size. */
  measure_columns (p, header, rows, size, widths, &total);
  if (total > width)
    {
      total -= widths[1] + widths[2] + 2 * size * 1.2;
      widths[1] = widths[2] = -1;
    }
  if (total > width)
    widths[3] = -1;

  tl_painter_set_rgb (p, &p->pal->panel, 1.0);
  cairo_rectangle (p->cr, x - 4, y, width + 8, row_h);
  cairo_fill (p->cr);
  for (guint r = 0; r <= n_rows; r++)
    {
      const char *cells[N_COLS];

      for (guint c = 0; c < N_COLS; c++)
        cells[c] = r == 0 ? header[c] : g_array_index (rows, Row, r - 1).cells[c];
      tl_painter_set_rgb (p, r == 0 ? &p->pal->muted : &p->pal->ink, 1.0);
      col_x = x;
      for (guint c = 0; c < N_COLS; c++)
        {
          if (widths[c] < 0)
            continue;
          tl_painter_text (p, cells[c], col_x, y + row_h / 2, size,
                           r == 0, TL_ALIGN_START, TL_ALIGN_CENTER, NULL, NULL);
          col_x += widths[c] + size * 1.2;
        }
      y += row_h;
    }
  if (n_rows < n_sockets)
    {
      g_autofree char *more = g_strdup_printf (_("… and %u more"), n_sockets - n_rows);

      tl_painter_set_rgb (p, &p->pal->muted, 1.0);
      tl_painter_text (p, more, x, y + row_h / 2, size, FALSE, TL_ALIGN_START,
                       TL_ALIGN_CENTER, NULL, NULL);
      y += row_h;
    }
  return y - y0;
}

static void
draw_sockets (TlPainter     *p,
              const TlTrace *trace,
              const TlWorld *world,
              double         width,
              double         height)
{
  double margin, col_w;

  tl_painter_background (p, width, height);
  /* Side by side when each table gets room for its addresses (about 30
   * characters a line), else one above the other, each in half the height. */
  margin = p->font_px * 0.8;
  col_w = (width - 3 * margin) / 2;
  if (col_w >= p->small_px * 30)
    for (guint h = 0; h < 2; h++)
      draw_host (p, trace, world, h, margin + h * (col_w + margin), margin * 0.5, col_w,
                 height - margin);
  else
    {
      double room = height - margin, y = margin * 0.5;
      guint n[2] = { 0, 0 };
      double need[2];

      /* The first host takes what its rows need (with its name and header)
       * but leaves the second at least half, or all it needs: a flood's
       * table gets what the other host does not use. */
      for (guint s = 0; s < TL_N_STATES; s++)
        for (guint h = 0; h < 2; h++)
          n[h] += world->counts[h][s];
      for (guint h = 0; h < 2; h++)
        need[h] = p->font_px * (1.6 + 1.2 * (MIN (n[h], 40) + 1));
      for (guint h = 0; h < 2; h++)
        {
          double share = h == 0 ? MIN (need[0], MAX (room / 2, room - need[1]))
                                : margin * 0.5 + room - y;

          y += draw_host (p, trace, world, h, margin, y, width - 2 * margin, share) +
               margin * 0.6;
        }
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
  g_return_if_fail (cr != NULL);
  g_return_if_fail (trace != NULL);
  g_return_if_fail (style != NULL);

  tl_render_world_view (cr, trace, time_us, width, height, style, draw_sockets);
}
