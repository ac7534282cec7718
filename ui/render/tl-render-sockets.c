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
  char     cells[N_COLS][64];  /* "[IPv6]:port" is at most 53 */
  gboolean group;              /* stands for the sockets of one state */
  guint8   state;
  char     syn[48];            /* a listener's "SYN queue 9", or "" */
} Row;

/* A state of a host with at least this many sockets is one row with their
 * count ("SYN-RECV  ▸ 1000 sockets") when the rows do not all fit, until
 * the user opens it: then the row is there and its sockets under it. */
#define GROUP_MIN 3

/* How one go over the tables places, draws or hit-tests the rows: the
 * tables are laid out whole, as tall as their rows, and shown scrolled by
 * scroll pixels in a view of height view_h; only what is in view is drawn
 * (a flood's thousand rows cost what the visible ones cost). */
typedef struct
{
  gboolean draw;
  gboolean group;              /* group the states of many sockets */
  gboolean settings;           /* show each host's settings under its name */
  double   scroll;
  double   view_h;
  double   hit_y;              /* a group row under it is hit; < 0: none */
  double   hit_x;
  int      hit_host;           /* the group row hit, or -1 */
  int      hit_state;
} Pass;

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

static gboolean
grouped (const TlWorld       *world,
         const Pass          *pass,
         guint                host,
         guint                state)
{
  return pass->group && world->counts[host][state] >= GROUP_MIN;
}

static gboolean
expanded (const TlRenderStyle *style,
          guint                host,
          guint                state)
{
  return (style->sockets_expanded[host] & (1u << state)) != 0;
}

static void
socket_row (const TlTrace       *trace,
            const TlWorld       *world,
            const TlWorldSocket *sock,
            GArray              *rows)
{
  const TlTraceConn *conn = tl_trace_conn (trace, sock->conn);
  g_autofree char *name = tl_render_conn_name (trace, sock->conn);
  Row row = { .group = FALSE, .state = sock->state, .syn = "" };

  g_strlcpy (row.cells[0], name, sizeof row.cells[0]);
  g_strlcpy (row.cells[1], tl_render_ss_state (sock->state), sizeof row.cells[1]);
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
      guint n = syn_queue (trace, world, sock->conn);

      /* TRANSLATORS: after a listener's peer address "*:*" */
      syn = g_strdup_printf (_("%s  SYN queue %u"), row.cells[5], n);
      g_strlcpy (row.cells[5], syn, sizeof row.cells[5]);
      /* TRANSLATORS: a listener's SYN queue where its peer "*:*" has no room */
      g_snprintf (row.syn, sizeof row.syn, _("SYN queue %u"), n);
    }
  g_array_append_val (rows, row);
}

/* A host's rows: every socket, except that a grouped state is one row
 * (where its first socket is), followed by its sockets if opened. */
static void
collect_rows (const TlTrace       *trace,
              const TlWorld       *world,
              const TlRenderStyle *style,
              const Pass          *pass,
              guint                host,
              GArray              *rows)
{
  gboolean done[TL_N_STATES] = { FALSE };

  for (guint i = 0; i < world->sockets->len; i++)
    {
      const TlWorldSocket *sock = &g_array_index (world->sockets, TlWorldSocket, i);
      const TlTraceConn *conn = tl_trace_conn (trace, sock->conn);
      guint count = world->counts[host][sock->state];
      Row row = { .group = TRUE, .state = sock->state, .syn = "" };

      if (conn->host != host)
        continue;
      if (conn->listener || !grouped (world, pass, host, sock->state))
        {
          socket_row (trace, world, sock, rows);
          continue;
        }
      if (done[sock->state])
        continue;
      done[sock->state] = TRUE;
      /* TRANSLATORS: the name cell of a row standing for several sockets,
       * after a triangle that opens or closes it */
      g_snprintf (row.cells[0], sizeof row.cells[0], _("%u sockets"), count);
      {
        g_autofree char *mark = g_strdup_printf ("%s %s", expanded (style, host, sock->state)
                                                 ? "▾" : "▸", row.cells[0]);

        g_strlcpy (row.cells[0], mark, sizeof row.cells[0]);
      }
      g_strlcpy (row.cells[1], tl_render_ss_state (sock->state), sizeof row.cells[1]);
      row.cells[2][0] = row.cells[3][0] = '\0';
      tl_render_format_addr (row.cells[4], sizeof row.cells[4], trace, conn->local_addr,
                             conn->local_port);
      /* TRANSLATORS: the peer cell of a row standing for several sockets */
      g_strlcpy (row.cells[5], _("(several)"), sizeof row.cells[5]);
      g_array_append_val (rows, row);
      if (expanded (style, host, sock->state))
        for (guint j = i; j < world->sockets->len; j++)
          {
            const TlWorldSocket *other = &g_array_index (world->sockets, TlWorldSocket, j);
            const TlTraceConn *oconn = tl_trace_conn (trace, other->conn);

            if (oconn->host == host && other->state == sock->state && !oconn->listener)
              socket_row (trace, world, other, rows);
          }
    }
}

/* In view: the content's band [y, y + h) wholly shown. */
static gboolean
in_view (const Pass *pass,
         double      y,
         double      h)
{
  return tl_render_band_in_view (pass->scroll, pass->view_h, y, h);
}

/* Each column's width at this size, on the titles and the rows in view;
 * the total with gaps in *total. */
static void
measure_columns (TlPainter   *p,
                 const Pass  *pass,
                 const char  *header[N_COLS],
                 GArray      *rows,
                 double       y_first,
                 double       row_h,
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
          double y = y_first + r * row_h;

          if (y + row_h - pass->scroll < 0)
            continue;
          if (y - pass->scroll > pass->view_h)
            break;
          tl_painter_measure (p, g_array_index (rows, Row, r).cells[c], size,
                              g_array_index (rows, Row, r).group, &w, NULL);
          widths[c] = MAX (widths[c], w);
        }
      *total += widths[c] + (c > 0 ? size * 1.2 : 0);
    }
}

/* One host's table at (x, y0) in the content, width wide: draws what is in
 * view (pass->draw) and finds a group row hit; returns the height it
 * takes. */
static double
draw_host (TlPainter     *p,
           const TlTrace *trace,
           const TlWorld *world,
           guint          host,
           double         x,
           double         y0,
           double         width,
           Pass          *pass)
{
  double fp = p->font_px;
  double size = p->small_px;
  double y = y0, s = pass->scroll;
  const char *header[N_COLS] = { _("Socket"), _("State"), _("Recv-Q"), _("Send-Q"),
                                 _("Local Address:Port"), _("Peer Address:Port") };
  g_autoptr(GArray) rows = NULL;
  GString *counts = g_string_new (NULL);
  double widths[N_COLS], total, row_h, th, col_x, w_name, rows_top;
  guint n_sockets = 0, n_rows;
  g_autofree char *name = tl_render_host_name (trace, host);

  tl_painter_measure (p, name, fp * 1.05, TRUE, &w_name, &th);
  col_x = w_name;

  /* The count per state, beside the name: what `ss -tan state syn-recv | wc -l` says. */
  for (guint st = 0; st < TL_N_STATES; st++)
    if (world->counts[host][st] > 0)
      {
        g_string_append_printf (counts, "%s%s %u", counts->len > 0 ? "   " : "",
                                tl_render_ss_state (st), world->counts[host][st]);
        n_sockets += world->counts[host][st];
      }
  if (world->crashed[host])
    g_string_assign (counts, _("crashed: no sockets"));
  else if (n_sockets == 0)
    g_string_assign (counts, _("no sockets"));
  /* Beside the name, on as many lines as it needs. */
  {
    double cw, ch, wrap = width - col_x - fp * 0.8, top = 0;
    gboolean one_line;

    tl_painter_measure (p, counts->str, size, TRUE, &cw, &ch);
    one_line = cw <= wrap;
    if (!one_line)
      {
        top = MAX ((th - ch) / 2, 0);
        ch = tl_painter_paragraph_lines (p, counts->str, size, MAX (wrap, 1)) * ch;
      }
    if (pass->draw && in_view (pass, y, MAX (th, top + ch)))
      {
        tl_painter_set_rgb (p, &p->pal->host[host], 1.0);
        tl_painter_text (p, name, x, y - s, fp * 1.05, TRUE,
                         TL_ALIGN_START, TL_ALIGN_START, NULL, NULL);
        tl_painter_set_rgb (p, &p->pal->ink, 1.0);
        if (one_line)
          tl_painter_text (p, counts->str, x + col_x + fp * 0.8, y - s + th / 2, size, TRUE,
                           TL_ALIGN_START, TL_ALIGN_CENTER, NULL, NULL);
        else
          tl_painter_paragraph (p, counts->str, x + col_x + fp * 0.8, y - s + top, size,
                                MAX (wrap, 1), NULL);
      }
    if (!one_line)
      th = MAX (th, top + ch);
  }
  g_string_free (counts, TRUE);
  y += th + fp * 0.15;
  /* The host's profile and what the lesson set otherwise, under its name. */
  if (p->style->host_settings[host] != NULL && pass->settings)
    {
      const char *text = p->style->host_settings[host];
      double line_h;
      int lines = tl_painter_paragraph_lines (p, text, size, MAX (width, 1));

      tl_painter_measure (p, text, size, FALSE, NULL, &line_h);
      if (pass->draw && in_view (pass, y, lines * line_h))
        {
          tl_painter_set_rgb (p, &p->pal->muted, 1.0);
          tl_painter_paragraph (p, text, x, y - s, size, MAX (width, 1), NULL);
        }
      y += lines * line_h + fp * 0.15;
    }
  if (n_sockets == 0)
    return y - y0;

  /* A row a line of its text with room around it: Chinese titles' lines
   * are taller than 1.4 times the size. */
  row_h = size * 1.4;
  for (guint c = 0; c < N_COLS; c++)
    {
      double h;

      tl_painter_measure (p, header[c], size, TRUE, NULL, &h);
      row_h = MAX (row_h, h + size * 0.2);
    }
  if (!pass->draw && pass->hit_y < 0)
    {
      /* Only the height: the titles and a row per socket or group. */
      guint n = 0;

      if (!pass->group)
        n = n_sockets;
      else
        for (guint st = 0; st < TL_N_STATES; st++)
          n += !grouped (world, pass, host, st) ? world->counts[host][st]
               : 1 + (expanded (p->style, host, st) ? world->counts[host][st] : 0);
      return y + (n + 1) * row_h - y0;
    }
  rows = g_array_new (FALSE, FALSE, sizeof (Row));
  collect_rows (trace, world, p->style, pass, host, rows);
  n_rows = rows->len;
  /* A group row's triangle and count open or close it. */
  if (pass->hit_y >= 0 && pass->hit_y + s >= y + row_h &&
      pass->hit_y + s < y + (n_rows + 1) * row_h && pass->hit_x >= x && pass->hit_x < x + width)
    {
      const Row *row = &g_array_index (rows, Row, (guint) ((pass->hit_y + s - y) / row_h) - 1);

      if (row->group)
        {
          pass->hit_host = host;
          pass->hit_state = row->state;
        }
    }
  if (!pass->draw)
    return y + (n_rows + 1) * row_h - y0;

  /* Narrow: first the peer's title as short as its addresses, then
   * without the local address (a server's is its listener's), then without
   * the queues, then without the names; the type keeps its size.  A
   * listener's queues are what a class compares with `ss -ltn`: they go
   * late. */
  measure_columns (p, pass, header, rows, y + row_h, row_h, size, widths, &total);
  if (total > width)
    {
      double w;

      header[5] = _("Peer");
      tl_painter_measure (p, header[5], size, TRUE, &w, NULL);
      for (guint r = 0; r < rows->len; r++)
        {
          double wr;

          if (!in_view (pass, y + (r + 1) * row_h, row_h))
            continue;
          tl_painter_measure (p, g_array_index (rows, Row, r).cells[5], size,
                              g_array_index (rows, Row, r).group, &wr, NULL);
          w = MAX (w, wr);
        }
      total -= widths[5] - w;
      widths[5] = w;
    }
  if (total > width)
    {
      total -= widths[4] + size * 1.2;
      widths[4] = -1;
    }
  if (total > width)
    {
      total -= widths[2] + widths[3] + 2 * size * 1.2;
      widths[2] = widths[3] = -1;
    }
  if (total > width)
    {
      /* A group row's count and triangle take its peer's place. */
      total -= widths[0] + size * 1.2;
      widths[0] = -1;
      for (guint r = 0; r < rows->len; r++)
        {
          Row *row = &g_array_index (rows, Row, r);
          double w;

          if (!row->group)
            continue;
          g_strlcpy (row->cells[5], row->cells[0], sizeof row->cells[5]);
          if (!in_view (pass, y + (r + 1) * row_h, row_h))
            continue;
          tl_painter_measure (p, row->cells[5], size, TRUE, &w, NULL);
          total += MAX (w - widths[5], 0);
          widths[5] = MAX (widths[5], w);
        }
    }
  if (total > width)
    {
      /* Last, a listener's peer "*:*" gives way to its SYN queue. */
      double w = 0;

      for (guint r = 0; r < rows->len; r++)
        {
          Row *row = &g_array_index (rows, Row, r);
          double wr;

          if (row->syn[0] != '\0')
            g_strlcpy (row->cells[5], row->syn, sizeof row->cells[5]);
          if (!in_view (pass, y + (r + 1) * row_h, row_h))
            continue;
          tl_painter_measure (p, row->cells[5], size, row->group, &wr, NULL);
          w = MAX (w, wr);
        }
      tl_painter_measure (p, header[5], size, TRUE, &widths[5], NULL);
      widths[5] = MAX (widths[5], w);
    }

  rows_top = y;
  for (guint r = 0; r <= n_rows; r++, y += row_h)
    {
      const char *cells[N_COLS];
      gboolean group = r > 0 && g_array_index (rows, Row, r - 1).group;

      if (y + row_h - s < 0)
        continue;
      if (y - s > pass->view_h)
        break;
      if (r == 0 || group)
        {
          tl_painter_set_rgb (p, &p->pal->panel, 1.0);
          cairo_rectangle (p->cr, x - 4, y - s, width + 8, row_h);
          cairo_fill (p->cr);
        }
      /* A row the scroll cuts at the view's edge is drawn, but is no text
       * the class reads there (style->labels): the scroll brings it in. */
      p->hidden = !in_view (pass, y, row_h);
      for (guint c = 0; c < N_COLS; c++)
        cells[c] = r == 0 ? header[c] : g_array_index (rows, Row, r - 1).cells[c];
      tl_painter_set_rgb (p, r == 0 ? &p->pal->muted : &p->pal->ink, 1.0);
      col_x = x;
      for (guint c = 0; c < N_COLS; c++)
        {
          if (widths[c] < 0)
            continue;
          tl_painter_text (p, cells[c], col_x, y - s + row_h / 2, size,
                           r == 0 || group, TL_ALIGN_START, TL_ALIGN_CENTER, NULL, NULL);
          col_x += widths[c] + size * 1.2;
        }
      p->hidden = FALSE;
    }
  return rows_top + (n_rows + 1) * row_h - y0;
}

/* Lays the two tables out (side by side when each gets room for its
 * addresses, about 30 characters a line, else one above the other), draws
 * or hit-tests them as pass says; returns the height they take. */
static double
layout_sockets (TlPainter     *p,
                const TlTrace *trace,
                const TlWorld *world,
                double         width,
                Pass          *pass)
{
  double margin = p->font_px * 0.8;
  double col_w = (width - 3 * margin) / 2;
  double y = margin * 0.5, tallest = 0;

  if (col_w >= p->small_px * 30)
    {
      for (guint h = 0; h < 2; h++)
        {
          double used = draw_host (p, trace, world, h, margin + h * (col_w + margin), y,
                                   col_w, pass);

          tallest = MAX (tallest, used);
        }
      return y + tallest + margin * 0.5;
    }
  for (guint h = 0; h < 2; h++)
    y += draw_host (p, trace, world, h, margin, y, width - 2 * margin, pass) + margin * 0.6;
  return y;
}

/* The layouts fit_pass tries, in order: { group, settings }. */
static const gboolean tries[][2] = { { FALSE, TRUE }, { TRUE, TRUE }, { TRUE, FALSE } };

/* The tables' height laid out as try t says (tl_render_fit_tries). */
static double
measure_try (const TlRenderFit *fit,
             guint              t,
             double            *tallest)
{
  Pass try = { .draw = FALSE, .group = tries[t][0], .settings = tries[t][1],
               .view_h = fit->height, .hit_y = -1 };

  return layout_sockets (fit->p, fit->trace, fit->world, fit->width, &try);
}

/* How the tables fit a view this tall: a row a socket if they all fit, else
 * the states of many sockets grouped; and the hosts' settings under their
 * names only if the rows still fit with them (the tooltip has them too).
 * What does not fit then scrolls. */
static void
fit_pass (TlPainter     *p,
          const TlTrace *trace,
          const TlWorld *world,
          double         width,
          double         height,
          Pass          *pass)
{
  TlRenderFit fit = { p, trace, world, width, height };
  double heights[G_N_ELEMENTS (tries)], tallest[G_N_ELEMENTS (tries)];
  guint t = tl_render_fit_tries (&fit, G_N_ELEMENTS (tries) - 1, height, measure_try, heights,
                                 tallest);

  pass->group = tries[t][0];
  pass->settings = tries[t][1];
}

void
tl_render_sockets_world (TlPainter     *p,
                         const TlTrace *trace,
                         const TlWorld *world,
                         double         width,
                         double         height)
{
  Pass pass = { .draw = TRUE, .view_h = height, .hit_y = -1 };

  tl_painter_background (p, width, height);
  fit_pass (p, trace, world, width, height, &pass);
  pass.scroll = MAX (p->style->sockets_scroll_px, 0);
  cairo_save (p->cr);
  cairo_rectangle (p->cr, 0, 0, width, height);
  cairo_clip (p->cr);
  layout_sockets (p, trace, world, width, &pass);
  cairo_restore (p->cr);
}

/* The world at time_us and a painter that measures, for the functions
 * below. */
static double
sockets_pass (const TlTrace       *trace,
              gint64               time_us,
              double               width,
              double               height,
              const TlRenderStyle *style,
              Pass                *pass)
{
  TlPainter painter;
  TlWorld world;
  double content;

  tl_world_init (&world);
  tl_trace_world_at (trace, time_us, &world);
  tl_painter_init_scratch (&painter, style, width, height);
  pass->view_h = height;
  fit_pass (&painter, trace, &world, width, height, pass);
  content = layout_sockets (&painter, trace, &world, width, pass);
  tl_painter_clear_scratch (&painter);
  tl_world_clear (&world);
  return content;
}

double
tl_render_sockets_height (const TlTrace       *trace,
                          gint64               time_us,
                          double               width,
                          double               height,
                          const TlRenderStyle *style)
{
  Pass pass = { .draw = FALSE, .hit_y = -1 };

  g_return_val_if_fail (trace != NULL, 0);
  g_return_val_if_fail (style != NULL, 0);

  if (width < 1 || height < 1)
    return 0;
  return sockets_pass (trace, time_us, width, height, style, &pass);
}

gboolean
tl_render_sockets_hit_group (const TlTrace       *trace,
                             gint64               time_us,
                             double               width,
                             double               height,
                             const TlRenderStyle *style,
                             double               x,
                             double               y,
                             guint               *host,
                             TlState             *state)
{
  Pass pass = { .draw = FALSE, .hit_x = x, .hit_y = MAX (y, 0), .hit_host = -1 };

  g_return_val_if_fail (trace != NULL, FALSE);
  g_return_val_if_fail (style != NULL, FALSE);

  if (width < 1 || height < 1 || y < 0 || y >= height)
    return FALSE;
  pass.scroll = MAX (style->sockets_scroll_px, 0);
  sockets_pass (trace, time_us, width, height, style, &pass);
  if (pass.hit_host < 0)
    return FALSE;
  if (host != NULL)
    *host = (guint) pass.hit_host;
  if (state != NULL)
    *state = (TlState) pass.hit_state;
  return TRUE;
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

  tl_render_world_view (cr, trace, time_us, width, height, style, tl_render_sockets_world, NULL);
}
