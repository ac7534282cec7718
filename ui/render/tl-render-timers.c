/* tl-render-timers.c: every running timer of each host as a labelled bar
 * that drains towards its deadline. */
#include "tl-config.h"

#include "tl-render-private.h"

#include <glib/gi18n.h>

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
    case TL_N_TIMERS:
      break;
    }
  return "?";
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
  cairo_t *cr = p->cr;
  double fp = p->font_px;
  double size = p->small_px;
  double y = fp * 2.2;
  double left_w, left_h, label_h, bar_h = fp * 0.8;
  guint n_timers = 0, shown = 0;
  g_autofree char *name = tl_render_host_name (trace, host);

  tl_painter_set_rgb (p, &p->pal->host[host], 1.0);
  tl_painter_text (p, name, x, fp * 0.4, fp * 1.1, TRUE,
                   TL_ALIGN_START, TL_ALIGN_START, NULL, NULL);

  for (guint i = 0; i < world->timers->len; i++)
    if (tl_trace_conn (trace, g_array_index (world->timers, TlWorldTimer, i).conn)->host == host)
      n_timers++;

  for (guint i = 0; i < world->timers->len; i++)
    {
      const TlWorldTimer *timer = &g_array_index (world->timers, TlWorldTimer, i);
      const TlTraceConn *conn = tl_trace_conn (trace, timer->conn);
      gint64 total = MAX (timer->deadline_us - timer->armed_us, 1);
      gint64 left = CLAMP (timer->deadline_us - world->time_us, 0, total);
      g_autofree char *total_text = NULL;
      g_autofree char *left_text = NULL;
      g_autofree char *label = NULL;
      g_autofree char *left_label = NULL;
      g_autofree char *text = NULL;
      g_autofree char *name = NULL;
      g_autofree char *more = NULL;
      double more_h;

      if (conn->host != host)
        continue;

      total_text = tl_render_format_duration (total);
      left_text = tl_render_format_duration (left);
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
      label = g_strdup_printf (_("%s · %s"), name, text);
      /* TRANSLATORS: the time a timer has left */
      left_label = g_strdup_printf (_("%s left"), left_text);

      /* The name over the whole width (on two lines if it must), then the
       * bar with the time left at its right: the text keeps its size. */
      tl_painter_measure (p, left_label, size, FALSE, &left_w, &left_h);
      label_h = tl_painter_paragraph_lines (p, label, size, width) * left_h;
      /* Leave room for the "and N more" lines when not all fit. */
      more = g_strdup_printf (_("… and %u more"), n_timers - shown);
      more_h = tl_painter_paragraph_lines (p, more, size, width) * left_h;
      if (y + label_h + left_h * 1.2 + (shown + 1 < n_timers ? more_h : 0) > height)
        {
          tl_painter_set_rgb (p, &p->pal->muted, 1.0);
          tl_painter_paragraph (p, more, x, y, size, width, NULL);
          break;
        }
      tl_painter_set_rgb (p, &p->pal->ink, 1.0);
      tl_painter_paragraph (p, label, x, y, size, width, &label_h);
      y += label_h;

      tl_painter_set_rgb (p, &p->pal->muted, 1.0);
      tl_painter_text (p, left_label, x + width, y + left_h / 2, size, FALSE, TL_ALIGN_END,
                       TL_ALIGN_CENTER, NULL, NULL);
      width -= left_w + fp * 0.5;
      tl_painter_set_rgb (p, &p->pal->panel, 1.0);
      tl_painter_round_rect (p, x, y + (left_h - bar_h) / 2, width, bar_h, fp * 0.3);
      cairo_fill (cr);
      tl_painter_set_rgb (p, &p->pal->host[host], 1.0);
      tl_painter_round_rect (p, x, y + (left_h - bar_h) / 2, width * left / total, bar_h, fp * 0.3);
      cairo_fill (cr);
      tl_painter_set_rgb (p, &p->pal->grid, 1.0);
      cairo_set_line_width (cr, 1.5);
      tl_painter_round_rect (p, x, y + (left_h - bar_h) / 2, width, bar_h, fp * 0.3);
      cairo_stroke (cr);
      width += left_w + fp * 0.5;

      y += left_h * 1.2;
      shown++;
    }

  if (n_timers == 0)
    {
      tl_painter_set_rgb (p, &p->pal->muted, 1.0);
      tl_painter_paragraph (p, _("no timer running"), x, y, size, width, NULL);
    }
}

void
tl_render_timers_world (TlPainter     *p,
                        const TlTrace *trace,
                        const TlWorld *world,
                        double         width,
                        double         height)
{
  double margin = p->font_px;
  double col_w = (width - 3 * margin) / 2;

  tl_painter_background (p, width, height);
  for (guint h = 0; h < 2; h++)
    draw_host (p, trace, world, h, margin + h * (col_w + margin), col_w, height);
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
