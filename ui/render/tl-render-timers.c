/* tl-render-timers.c: every running timer of each host as a labelled bar
 * that drains towards its deadline.  Nothing is left out: when a host's rows
 * do not all fit, the timers of a kind with several running are one row with
 * their count (a SYN flood's SYN,ACK retransmissions), and what still does
 * not fit scrolls (style->timers_scroll_px; the content's height is
 * tl_render_timers_height), as the socket tables do. */
#include "tl-config.h"

#include "tl-render-private.h"

#include <glib/gi18n.h>

/* A kind of timer with at least this many running on a host is one row when
 * the rows do not all fit. */
#define GROUP_MIN 3

/* A row: a timer, or the timers of one kind (count > 1) shown by the one
 * that ends first. */
typedef struct
{
  const TlWorldTimer *timer;
  guint               count;
} Row;

/* How one go over the timers places or draws them: laid out whole, as tall
 * as their rows, shown scrolled by scroll pixels in a view view_h high.
 * Measuring (not draw), it stops past limit: a flood's thousand timers cost
 * what a view of them costs. */
typedef struct
{
  gboolean draw;
  gboolean group;
  gboolean stacked;      /* the hosts one above the other, each the whole width */
  double   scroll;
  double   view_h;
  double   limit;
  double   tallest_row;  /* out: the tallest row laid out */
} Pass;

static const char *
timer_name (TlTimerKind kind)
{
  switch (kind)
    {
    case TL_TIMER_RETRANSMIT:
      return _("retransmission");
    case TL_TIMER_SYNACK:
      return _("SYN,ACK retransmission");
    case TL_TIMER_TIME_WAIT:
      return _("TIME_WAIT");
    case TL_TIMER_FIN_WAIT_2:
      return _("FIN_WAIT_2");
    case TL_TIMER_KEEPALIVE:
      return _("keepalive");
    case TL_TIMER_DELACK:
      return _("delayed ACK");
    case TL_TIMER_PERSIST:
      return _("persist");
    case TL_TIMER_COMP_SACK:
      return _("compressed SACK");
    case TL_N_TIMERS:
      break;
    }
  return "?";
}

/* host's rows: a timer each, or with group each kind with GROUP_MIN timers
 * or more one row (where its first timer is). */
static void
collect_rows (const TlTrace *trace,
              const TlWorld *world,
              guint          host,
              gboolean       group,
              GArray        *rows)
{
  guint n_kind[TL_N_TIMERS] = { 0 };
  int at[TL_N_TIMERS];

  for (guint k = 0; k < TL_N_TIMERS; k++)
    at[k] = -1;
  for (guint i = 0; i < world->timers->len; i++)
    {
      const TlWorldTimer *timer = &g_array_index (world->timers, TlWorldTimer, i);

      if (tl_trace_conn (trace, timer->conn)->host == host)
        n_kind[timer->timer]++;
    }
  for (guint i = 0; i < world->timers->len; i++)
    {
      const TlWorldTimer *timer = &g_array_index (world->timers, TlWorldTimer, i);
      Row row = { timer, 1 };

      if (tl_trace_conn (trace, timer->conn)->host != host)
        continue;
      if (group && n_kind[timer->timer] >= GROUP_MIN)
        {
          Row *first;

          if (at[timer->timer] < 0)
            {
              at[timer->timer] = (int) rows->len;
              row.count = n_kind[timer->timer];
              g_array_append_val (rows, row);
              continue;
            }
          first = &g_array_index (rows, Row, at[timer->timer]);
          if (timer->deadline_us < first->timer->deadline_us)
            first->timer = timer;
          continue;
        }
      g_array_append_val (rows, row);
    }
}

/* A row's name: "client#1 · TIME_WAIT 60 s", or "9 × SYN,ACK
 * retransmission" (short: on a projector the rows have room for one line). */
static char *
row_label (const TlTrace *trace,
           const Row     *row)
{
  const TlWorldTimer *timer = row->timer;
  gint64 total = MAX (timer->deadline_us - timer->armed_us, 1);
  g_autofree char *total_text = tl_render_format_duration (total);
  g_autofree char *text = NULL;
  g_autofree char *name = NULL;

  if (row->count > 1)
    /* TRANSLATORS: a row of the timers standing for several connections'
     * timers of one kind: "9 × SYN,ACK retransmission" */
    return g_strdup_printf (_("%u × %s"), row->count, timer_name (timer->timer));
  if (timer->attempt > 0)
    /* TRANSLATORS: a timer bar: "retransmission 1.0 s, attempt 2" */
    text = g_strdup_printf (_("%s %s, attempt %u"), timer_name (timer->timer),
                            total_text, timer->attempt + 1u);
  else
    /* TRANSLATORS: a timer bar: "TIME_WAIT 60 s" */
    text = g_strdup_printf (_("%s %s"), timer_name (timer->timer), total_text);
  /* The connection as the lesson names it, then the timer. */
  name = tl_render_conn_name (trace, timer->conn);
  /* TRANSLATORS: a timer bar: connection name, then the timer: "client#1 · TIME_WAIT 60 s" */
  return g_strdup_printf (_("%s · %s"), name, text);
}

/* Draws a band of the content at y, h high, if it is in view at all; as a
 * label the class reads only if it is wholly in view (the scroll brings
 * the rest in).  FALSE: out of view, nothing to draw. */
static gboolean
begin_band (TlPainter  *p,
            const Pass *pass,
            double      y,
            double      h)
{
  if (!pass->draw || y + h - pass->scroll < 0 || y - pass->scroll > pass->view_h)
    return FALSE;
  p->hidden = !tl_render_band_in_view (pass->scroll, pass->view_h, y, h);
  return TRUE;
}

/* One host's column at (x, y0) in the content, width wide: its name, then
 * its rows; draws what is in view (pass->draw); returns where it ends. */
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
  cairo_t *cr = p->cr;
  double fp = p->font_px;
  double size = p->small_px;
  double s = pass->scroll;
  double y, name_h, line_h = 0, bar_h = fp * 0.8;
  double wrap = MAX (width, 1);
  g_autofree char *name = tl_render_host_name (trace, host);
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (Row));

  tl_painter_measure (p, name, fp * 1.1, TRUE, NULL, &name_h);
  if (begin_band (p, pass, y0, name_h))
    {
      tl_painter_set_rgb (p, &p->pal->host[host], 1.0);
      tl_painter_text (p, name, x, y0 - s, fp * 1.1, TRUE,
                       TL_ALIGN_START, TL_ALIGN_START, NULL, NULL);
      p->hidden = FALSE;
    }
  y = y0 + MAX (fp * 1.8, name_h + fp * 0.2);

  collect_rows (trace, world, host, pass->group, rows);
  if (rows->len == 0)
    {
      const char *none = _("no timer running");
      double h;

      tl_painter_measure (p, none, size, FALSE, NULL, &line_h);
      h = tl_painter_paragraph_lines (p, none, size, wrap) * line_h;
      if (begin_band (p, pass, y, h))
        {
          tl_painter_set_rgb (p, &p->pal->muted, 1.0);
          tl_painter_paragraph (p, none, x, y - s, size, wrap, NULL);
          p->hidden = FALSE;
        }
      return y + h;
    }

  for (guint r = 0; r < rows->len; r++)
    {
      const Row *row = &g_array_index (rows, Row, r);
      const TlWorldTimer *timer = row->timer;
      gint64 total = MAX (timer->deadline_us - timer->armed_us, 1);
      gint64 left = CLAMP (timer->deadline_us - world->time_us, 0, total);
      g_autofree char *label = row_label (trace, row);
      g_autofree char *left_text = tl_render_format_duration (left);
      g_autofree char *left_label = NULL;
      double left_w, label_h, row_h, bar_w, bar_y;

      if (row->count > 1)
        /* TRANSLATORS: the time the first of several timers has left */
        left_label = g_strdup_printf (_("next: %s left"), left_text);
      else
        /* TRANSLATORS: the time a timer has left */
        left_label = g_strdup_printf (_("%s left"), left_text);
      /* The name over the whole width (on two lines if it must), then the
       * bar with the time left at its right: the text keeps its size. */
      tl_painter_measure (p, left_label, size, FALSE, &left_w, &line_h);
      label_h = tl_painter_paragraph_lines (p, label, size, wrap) * line_h;
      row_h = label_h + line_h * 1.2;
      pass->tallest_row = MAX (pass->tallest_row, row_h);
      if (!pass->draw && y > pass->limit)
        return y;
      if (!begin_band (p, pass, y, row_h))
        {
          y += row_h;
          continue;
        }
      tl_painter_set_rgb (p, &p->pal->ink, 1.0);
      tl_painter_paragraph (p, label, x, y - s, size, wrap, NULL);
      y += label_h;
      tl_painter_set_rgb (p, &p->pal->muted, 1.0);
      tl_painter_text (p, left_label, x + width, y - s + line_h / 2, size, FALSE, TL_ALIGN_END,
                       TL_ALIGN_CENTER, NULL, NULL);
      p->hidden = FALSE;
      bar_w = MAX (width - left_w - fp * 0.5, 1);
      bar_y = y - s + (line_h - bar_h) / 2;
      tl_painter_set_rgb (p, &p->pal->panel, 1.0);
      tl_painter_round_rect (p, x, bar_y, bar_w, bar_h, fp * 0.3);
      cairo_fill (cr);
      tl_painter_set_rgb (p, &p->pal->host[host], 1.0);
      tl_painter_round_rect (p, x, bar_y, bar_w * left / total, bar_h, fp * 0.3);
      cairo_fill (cr);
      tl_painter_set_rgb (p, &p->pal->grid, 1.0);
      cairo_set_line_width (cr, 1.5);
      tl_painter_round_rect (p, x, bar_y, bar_w, bar_h, fp * 0.3);
      cairo_stroke (cr);
      y += line_h * 1.2;
    }
  return y;
}

/* A host with no timer, on one line under the other's rows: its name and
 * "no timer running" beside it (wrapped if it must); returns where it ends. */
static double
draw_idle_host (TlPainter     *p,
                const TlTrace *trace,
                guint          host,
                double         x,
                double         y,
                double         width,
                const Pass    *pass)
{
  const char *none = _("no timer running");
  double fp = p->font_px, size = p->small_px, s = pass->scroll;
  double name_w, name_h, line_h, wrap, none_h, top;
  g_autofree char *name = tl_render_host_name (trace, host);

  tl_painter_measure (p, name, fp * 1.1, TRUE, &name_w, &name_h);
  tl_painter_measure (p, none, size, FALSE, NULL, &line_h);
  wrap = MAX (width - name_w - fp * 0.8, 1);
  none_h = tl_painter_paragraph_lines (p, none, size, wrap) * line_h;
  top = MAX ((name_h - line_h) / 2, 0);
  if (begin_band (p, pass, y, MAX (name_h, top + none_h)))
    {
      tl_painter_set_rgb (p, &p->pal->host[host], 1.0);
      tl_painter_text (p, name, x, y - s, fp * 1.1, TRUE, TL_ALIGN_START, TL_ALIGN_START,
                       NULL, NULL);
      tl_painter_set_rgb (p, &p->pal->muted, 1.0);
      tl_painter_paragraph (p, none, x + name_w + fp * 0.8, y - s + top, size, wrap, NULL);
      p->hidden = FALSE;
    }
  return y + MAX (name_h, top + none_h);
}

/* The hosts' timers: side by side, or stacked (pass->stacked), when both
 * have some (or neither); else the one with timers over the whole width,
 * its rows on one line where they can be, and the other on a line under
 * them.  Returns the height they take. */
static double
layout_timers (TlPainter     *p,
               const TlTrace *trace,
               const TlWorld *world,
               double         width,
               Pass          *pass)
{
  double margin = p->font_px, top = p->font_px * 0.4;
  double col_w = (width - 3 * margin) / 2, tallest = 0;
  guint n[2] = { 0, 0 };

  for (guint i = 0; i < world->timers->len; i++)
    {
      guint host = tl_trace_conn (trace, g_array_index (world->timers, TlWorldTimer, i).conn)->host;

      if (host < 2)
        n[host]++;
    }
  if ((n[0] > 0) != (n[1] > 0))
    {
      guint busy = n[0] > 0 ? 0 : 1;
      double y = draw_host (p, trace, world, busy, margin, top, width - 2 * margin, pass);

      y = draw_idle_host (p, trace, 1 - busy, margin, y + margin * 0.2, width - 2 * margin, pass);
      return y + margin * 0.5;
    }
  if (pass->stacked)
    {
      double y = draw_host (p, trace, world, 0, margin, top, width - 2 * margin, pass);

      y = draw_host (p, trace, world, 1, margin, y + margin * 0.4, width - 2 * margin, pass);
      return y + margin * 0.5;
    }
  for (guint h = 0; h < 2; h++)
    {
      double used = draw_host (p, trace, world, h, margin + h * (col_w + margin), top, col_w,
                               pass);

      tallest = MAX (tallest, used);
    }
  return tallest + margin * 0.5;
}

/* The layouts fit_pass tries, in order: { group, stacked }. */
static const gboolean tries[][2] = { { FALSE, FALSE }, { FALSE, TRUE }, { TRUE, FALSE },
                                     { TRUE, TRUE } };

/* The timers' height laid out as try t says (tl_render_fit_tries). */
static double
measure_try (const TlRenderFit *fit,
             guint              t,
             double            *tallest)
{
  Pass try = { .draw = FALSE, .group = tries[t][0], .stacked = tries[t][1],
               .view_h = fit->height, .limit = tries[t][0] ? G_MAXDOUBLE : fit->height };
  double h = layout_timers (fit->p, fit->trace, fit->world, fit->width, &try);

  *tallest = try.tallest_row;
  return h;
}

/* A row a timer if they all fit the view, the hosts side by side or else
 * stacked (a row's name then on one line); if they do not, the kinds of
 * many grouped, in the shorter of the two layouts whose rows each fit the
 * view; what still does not fit scrolls. */
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
  guint best = tl_render_fit_tries (&fit, G_N_ELEMENTS (tries), height + 0.5, measure_try,
                                    heights, tallest);

  if (best == G_N_ELEMENTS (tries))
    {
      /* grouped: the layout whose rows fit, the shorter one */
      gboolean fits2 = tallest[2] <= height, fits3 = tallest[3] <= height;

      best = fits2 != fits3 ? (fits2 ? 2 : 3)
             : fits2 ? (heights[2] <= heights[3] ? 2 : 3)
             : (tallest[2] <= tallest[3] ? 2 : 3);
    }
  pass->view_h = height;
  pass->group = tries[best][0];
  pass->stacked = tries[best][1];
  pass->limit = G_MAXDOUBLE;
}

void
tl_render_timers_world (TlPainter     *p,
                        const TlTrace *trace,
                        const TlWorld *world,
                        double         width,
                        double         height)
{
  Pass pass = { .draw = TRUE };

  tl_painter_background (p, width, height);
  fit_pass (p, trace, world, width, height, &pass);
  pass.scroll = MAX (p->style->timers_scroll_px, 0);
  cairo_save (p->cr);
  cairo_rectangle (p->cr, 0, 0, width, height);
  cairo_clip (p->cr);
  layout_timers (p, trace, world, width, &pass);
  cairo_restore (p->cr);
}

double
tl_render_timers_height (const TlTrace       *trace,
                         gint64               time_us,
                         double               width,
                         double               height,
                         const TlRenderStyle *style)
{
  Pass pass = { .draw = FALSE };
  TlPainter painter;
  TlWorld world;
  double content;

  g_return_val_if_fail (trace != NULL, 0);
  g_return_val_if_fail (style != NULL, 0);

  if (width < 1 || height < 1)
    return 0;
  tl_world_init (&world);
  tl_trace_world_at (trace, time_us, &world);
  tl_painter_init_scratch (&painter, style, width, height);
  fit_pass (&painter, trace, &world, width, height, &pass);
  content = layout_timers (&painter, trace, &world, width, &pass);
  tl_painter_clear_scratch (&painter);
  tl_world_clear (&world);
  return content;
}

void
tl_render_timers (cairo_t             *cr,
                  const TlTrace       *trace,
                  gint64               time_us,
                  double               width,
                  double               height,
                  const TlRenderStyle *style)
{
  g_return_if_fail (cr != NULL);
  g_return_if_fail (trace != NULL);
  g_return_if_fail (style != NULL);

  tl_render_world_view (cr, trace, time_us, width, height, style, tl_render_timers_world, NULL);
}
