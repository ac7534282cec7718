/* tl-render-sockets.c: each host's sockets as `ss -tan` shows them, with a
 * count per state: the view that links the lesson to a real server. */
#include "tl-config.h"

#include "tl-render-private.h"

#include <math.h>

#include <glib/gi18n.h>

#define N_COLS 6

/* The columns as `ss -tan` has them, after the connection's name in the
 * lesson (client#1); their widths are measured with Pango on the rows
 * shown, so a long address never runs into the next column. */
typedef struct
{
  char    cells[N_COLS][64];    /* "[IPv6]:port" is at most 53 */
  guint   covers;   /* the sockets it stands for */
} Row;

/* A listener's SYN queue: its children still in SYN_RCVD. */
static guint
syn_queue (const TlTrace *trace,
           const TlWorld *world,
           guint32        listener)
{
  guint n = 0;

  for (guint i = 0; i < world->sockets->len; i++)
    {
      const TlWorldSocket *sock = &g_array_index (world->sockets, TlWorldSocket, i);

      if (sock->state == TL_STATE_SYN_RCVD && tl_trace_conn (trace, sock->conn)->parent == listener)
        n++;
    }
  return n;
}

/* A host's rows, at most max_rows, and how many sockets it has.  When they
 * are more than the rows, the sockets of a state with several are grouped
 * into one row with their count (what `ss -tan state syn-recv | wc -l`
 * says); a state with one socket keeps its row. */
static void
collect_rows (const TlTrace *trace,
              const TlWorld *world,
              guint          host,
              GArray        *rows,
              guint          max_rows)
{
  guint n = 0;
  gboolean group, grouped[TL_N_STATES] = { FALSE };

  for (guint s = 0; s < TL_N_STATES; s++)
    n += world->counts[host][s];
  group = n > max_rows;
  for (guint i = 0; i < world->sockets->len && rows->len < max_rows; i++)
    {
      const TlWorldSocket *sock = &g_array_index (world->sockets, TlWorldSocket, i);
      const TlTraceConn *conn = tl_trace_conn (trace, sock->conn);
      guint count = world->counts[host][sock->state];
      g_autofree char *name = NULL;
      Row row;

      if (conn->host != host)
        continue;
      if (group && count > 1 && !conn->listener)
        {
          if (grouped[sock->state])
            continue;
          grouped[sock->state] = TRUE;
          /* TRANSLATORS: the name cell of a row standing for several sockets */
          g_snprintf (row.cells[0], sizeof row.cells[0], _("%u sockets"), count);
          row.cells[2][0] = row.cells[3][0] = '\0';
          tl_render_format_addr (row.cells[4], sizeof row.cells[4], trace, conn->local_addr,
                                 conn->local_port);
          /* TRANSLATORS: the peer cell of a row standing for several sockets */
          g_strlcpy (row.cells[5], _("(several)"), sizeof row.cells[5]);
          row.covers = count;
        }
      else
        {
          row.covers = 1;
          name = tl_render_conn_name (trace, sock->conn);
          g_strlcpy (row.cells[0], name, sizeof row.cells[0]);
          /* A listener's queues as `ss -ltn` shows them: Recv-Q the accept
           * queue, Send-Q the backlog; its SYN queue after its address. */
          g_snprintf (row.cells[2], sizeof row.cells[2], "%u", sock->recv_q);
          g_snprintf (row.cells[3], sizeof row.cells[3], "%u",
                      conn->listener ? conn->backlog : sock->send_q);
          tl_render_format_addr (row.cells[4], sizeof row.cells[4], trace, conn->local_addr,
                                 conn->local_port);
          tl_render_format_addr (row.cells[5], sizeof row.cells[5], trace, conn->remote_addr,
                                 conn->remote_port);
          if (conn->listener)
            {
              g_autofree char *syn = NULL;

              /* TRANSLATORS: after a listener's peer address "*:*" */
              syn = g_strdup_printf (_("%s  SYN queue %u"), row.cells[5],
                                     syn_queue (trace, world, sock->conn));
              g_strlcpy (row.cells[5], syn, sizeof row.cells[5]);
            }
        }
      g_strlcpy (row.cells[1], tl_render_ss_state (sock->state), sizeof row.cells[1]);
      g_array_append_val (rows, row);
    }
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
  const char *header[N_COLS] = { _("Socket"), _("State"), _("Recv-Q"), _("Send-Q"),
                                 _("Local Address:Port"), _("Peer Address:Port") };
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (Row));
  GString *counts = g_string_new (NULL);
  double widths[N_COLS], total, row_h, th, col_x;
  guint n_sockets = 0, n_rows, max_rows, covered = 0;
  g_autofree char *name = tl_render_host_name (trace, host);

  tl_painter_set_rgb (p, &p->pal->host[host], 1.0);
  tl_painter_text (p, name, x, y, fp * 1.05, TRUE,
                   TL_ALIGN_START, TL_ALIGN_START, &col_x, &th);

  /* The count per state, beside the name: what `ss -tan state syn-recv | wc -l` says. */
  for (guint s = 0; s < TL_N_STATES; s++)
    if (world->counts[host][s] > 0)
      {
        g_string_append_printf (counts, "%s%s %u", counts->len > 0 ? "   " : "",
                                tl_render_ss_state (s), world->counts[host][s]);
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
  /* The host's profile and what the lesson set otherwise, under its name. */
  if (p->style->host_settings[host] != NULL)
    {
      const char *text = p->style->host_settings[host];
      double line_h, sh;
      int lines = tl_painter_paragraph_lines (p, text, size, MAX (width, 1));

      guint kinds = 0;

      /* Only when all of it fits, and the rows still have room for the
       * column titles and a row a state (its sockets grouped): the sockets
       * come first (the tooltip has the settings too). */
      for (guint s = 0; s < TL_N_STATES; s++)
        kinds += world->counts[host][s] > 0;
      tl_painter_measure (p, text, size, FALSE, NULL, &line_h);
      if (y + lines * line_h + fp * 0.15 + (kinds > 0 ? (kinds + 1) * size * 1.4 : 0)
          <= y0 + height)
        {
          tl_painter_set_rgb (p, &p->pal->muted, 1.0);
          tl_painter_paragraph (p, text, x, y, size, MAX (width, 1), &sh);
          y += sh + fp * 0.15;
        }
    }
  if (n_sockets == 0)
    return y - y0;

  /* As many rows as fit under the column titles, keeping one for "… and N
   * more". */
  row_h = size * 1.4;
  max_rows = (guint) MAX (0.0, floor ((y0 + height - y - 2 * row_h) / row_h));
  /* No room for a row under the titles: the counts beside the name say it. */
  if (max_rows == 0)
    return y - y0;
  /* The "… and N more" line's place holds a row if nothing more is left. */
  collect_rows (trace, world, host, rows, max_rows + 1);
  for (guint r = 0; r < rows->len; r++)
    covered += g_array_index (rows, Row, r).covers;
  if (covered < n_sockets && rows->len > max_rows)
    {
      covered -= g_array_index (rows, Row, rows->len - 1).covers;
      g_array_set_size (rows, rows->len - 1);
    }
  n_rows = rows->len;

  /* Narrow: without the queues, then without the local address, then
   * without the names; the type keeps its size. */
  measure_columns (p, header, rows, size, widths, &total);
  if (total > width)
    {
      total -= widths[2] + widths[3] + 2 * size * 1.2;
      widths[2] = widths[3] = -1;
    }
  if (total > width)
    {
      total -= widths[4] + size * 1.2;
      widths[4] = -1;
    }
  if (total > width)
    {
      total -= widths[0] + size * 1.2;
      widths[0] = -1;
    }
  if (total > width)
    {
      /* Last, the peer's title as short as its addresses. */
      double w;

      header[5] = _("Peer");
      tl_painter_measure (p, header[5], size, TRUE, &w, NULL);
      for (guint r = 0; r < rows->len; r++)
        {
          double wr;

          tl_painter_measure (p, g_array_index (rows, Row, r).cells[5], size, FALSE, &wr, NULL);
          w = MAX (w, wr);
        }
      widths[5] = w;
    }

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
  if (covered < n_sockets)
    {
      g_autofree char *more = g_strdup_printf (_("… and %u more"), n_sockets - covered);

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
      double need[2], least[2];

      /* The first host takes what its rows need (with its name and titles)
       * but leaves the second what it needs, or at least its name, titles
       * and one row (its sockets grouped by state): a flood's table gets
       * what the other host does not use. */
      for (guint s = 0; s < TL_N_STATES; s++)
        for (guint h = 0; h < 2; h++)
          n[h] += world->counts[h][s];
      for (guint h = 0; h < 2; h++)
        {
          double head = p->font_px * 1.6 +
                        (p->style->host_settings[h] != NULL ? p->small_px * 1.4 : 0);

          need[h] = head + p->small_px * 1.4 * (MIN (n[h], 40) + 2);
          least[h] = n[h] == 0 ? head : head + p->small_px * 1.4 * 3;
        }
      for (guint h = 0; h < 2; h++)
        {
          double share = h == 0 ? MAX (MIN (need[0], room - least[1]), MIN (least[0], room / 2))
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
