/* tl-render-compare.c: the simulation beside the real kernel's run of the
 * same lesson, on one time axis with one playhead.
 *
 * Left, the state diagram with both runs' tokens (the real one a ring,
 * TlRenderStyle's real_trace); right, the two ladders, "Simulated" and
 * "Real Linux", drawn over the same window of time (the simulation's), so a
 * segment sent at the same moment sits at the same height in both; and
 * every difference tl_trace_diff found that the playhead has passed, marked
 * on both ladders: a filled diamond on the record a run has, a hollow one
 * where the other run lacks it, on the timeline of the host concerned.  A
 * legend under the titles says what the shapes mean.
 */
#include "tl-config.h"

#include "tl-render-private.h"
#include "tl-trace-diff.h"

#include <math.h>

#include <glib/gi18n.h>

/* The diagram's share of the width. */
#define DIAGRAM_SHARE 0.38

/* The colour of a difference mark: orange, apart from both hosts' colours
 * and from a loss's red. */
static const TlRgb diff_light = { 0.85, 0.40, 0.00 };
static const TlRgb diff_dark = { 1.00, 0.62, 0.20 };

void
tl_render_real_token (TlPainter   *p,
                      double       x,
                      double       y,
                      double       r,
                      const TlRgb *colour,
                      gboolean     crashed)
{
  cairo_t *cr = p->cr;
  double w = MAX (2.5, r * 0.35);

  cairo_new_path (cr);
  cairo_arc (cr, x, y, r * 1.35 + w / 2, 0, 2 * G_PI);
  tl_painter_set_rgb (p, &p->pal->bg, 1.0);
  cairo_set_line_width (cr, w + 3);
  cairo_stroke_preserve (cr);
  tl_painter_set_rgb (p, crashed ? &p->pal->muted : colour, 1.0);
  cairo_set_line_width (cr, w);
  cairo_stroke (cr);
}

static void
diamond (cairo_t  *cr,
         double    x,
         double    y,
         double    r)
{
  cairo_new_path (cr);
  cairo_move_to (cr, x, y - r);
  cairo_line_to (cr, x + r, y);
  cairo_line_to (cr, x, y + r);
  cairo_line_to (cr, x - r, y);
  cairo_close_path (cr);
}

/* A mark: filled on the record this run has, hollow where it lacks one. */
static void
draw_mark (TlPainter *p,
           double     x,
           double     y,
           double     r,
           gboolean   filled)
{
  cairo_t *cr = p->cr;
  const TlRgb *colour = p->style->dark ? &diff_dark : &diff_light;

  diamond (cr, x, y, r);
  tl_painter_set_rgb (p, filled ? colour : &p->pal->bg, 1.0);
  cairo_fill_preserve (cr);
  tl_painter_set_rgb (p, colour, 1.0);
  cairo_set_line_width (cr, MAX (2.0, r * 0.3));
  cairo_stroke (cr);
}

/* The differences the playhead has passed, on the ladder of one run (b:
 * the real one) drawn at (x0, y0) in w x h; how many. */
static guint
draw_marks (TlPainter           *p,
            const TlTrace       *trace,
            const GArray        *diffs,
            gboolean             b,
            gint64               time_us,
            double               x0,
            double               y0,
            double               w,
            double               h,
            const TlRenderStyle *style)
{
  TlLadderAxis axis;
  double r = MAX (7.0, p->font_px * 0.38);
  guint drawn = 0;

  tl_render_ladder_axis (trace, time_us, w, h, style, &axis);
  if (axis.span_us <= 0)
    return 0;
  for (guint i = 0; i < diffs->len; i++)
    {
      const TlDiff *d = &g_array_index (diffs, TlDiff, i);
      gint record = b ? d->record_b : d->record_a;
      gint64 at = record >= 0 ? tl_trace_record (trace, record)->time_us : d->time_us;
      double y;

      if (at > time_us || at < axis.t0_us || at > axis.t0_us + axis.span_us)
        continue;
      y = axis.top + (double) (at - axis.t0_us) / axis.span_us * (axis.bottom - axis.top);
      draw_mark (p, x0 + axis.x[d->host & 1], y0 + y, r, record >= 0);
      drawn++;
    }
  return drawn;
}

/* The titles' row over the ladders and the legend under it; its height. */
static double
draw_header (TlPainter *p,
             double     lx,
             double     lw,
             double     width)
{
  double title_px = p->font_px * 1.05;
  double small = p->small_px;
  double th, lh, x, y, tw;
  double r = MAX (7.0, p->font_px * 0.38);
  const TlRgb *ink = &p->pal->ink;

  tl_painter_set_rgb (p, ink, 1.0);
  /* TRANSLATORS: the title over the simulation's ladder, beside "Real Linux" */
  tl_painter_text (p, _("Simulated"), lx + lw / 4, 4, title_px, TRUE, TL_ALIGN_CENTER,
                   TL_ALIGN_START, NULL, &th);
  /* TRANSLATORS: the title over the ladder of the lesson played on this machine's kernel */
  tl_painter_text (p, _("Real Linux"), lx + lw * 3 / 4, 4, title_px, TRUE, TL_ALIGN_CENTER,
                   TL_ALIGN_START, NULL, NULL);

  /* The legend: a filled token, a ring, the two marks. */
  y = 4 + th + 4;
  tl_painter_measure (p, "M", small, FALSE, NULL, &lh);
  x = 8;
  {
    const char *texts[4] = {
      /* TRANSLATORS: the legend of the side-by-side view: the filled token */
      _("simulated"),
      /* TRANSLATORS: the legend of the side-by-side view: the ring token */
      _("real Linux"),
      /* TRANSLATORS: the legend: a filled diamond marks where the runs differ */
      _("differs"),
      /* TRANSLATORS: the legend: a hollow diamond marks what this run lacks */
      _("missing here"),
    };

    for (guint k = 0; k < 4 && x < width; k++)
      {
        double cx = x + r * 1.4, cy = y + lh / 2;

        switch (k)
          {
          case 0:
            cairo_new_path (p->cr);
            cairo_arc (p->cr, cx, cy, r * 0.9, 0, 2 * G_PI);
            tl_painter_set_rgb (p, &p->pal->host[0], 1.0);
            cairo_fill (p->cr);
            break;
          case 1:
            tl_render_real_token (p, cx, cy, r * 0.75, &p->pal->host[0], FALSE);
            break;
          default:
            draw_mark (p, cx, cy, r, k == 2);
            break;
          }
        tl_painter_set_rgb (p, ink, 1.0);
        tl_painter_text (p, texts[k], x + r * 3.2, cy, small, FALSE, TL_ALIGN_START,
                         TL_ALIGN_CENTER, &tw, NULL);
        x += r * 3.2 + tw + p->font_px;
      }
  }
  return y + lh + 6;
}

guint
tl_render_compare (cairo_t             *cr,
                   const TlTrace       *sim,
                   const TlTrace       *real,
                   const GArray        *diffs,
                   gint64               time_us,
                   double               width,
                   double               height,
                   const TlRenderStyle *style)
{
  TlRenderStyle s;
  TlPainter p;
  double dw, lx, lw, top, lh;
  gint64 t0, span;
  guint drawn = 0;

  g_return_val_if_fail (cr != NULL, 0);
  g_return_val_if_fail (sim != NULL && real != NULL, 0);
  g_return_val_if_fail (style != NULL, 0);

  if (width < 1 || height < 1)
    return 0;

  cairo_save (cr);
  tl_painter_init (&p, cr, style, width, height);
  tl_painter_background (&p, width, height);
  dw = floor (width * DIAGRAM_SHARE);
  lx = dw + 6;
  lw = width - lx;
  top = draw_header (&p, lx, lw, width);
  lh = height - top;

  /* The diagram, with the real run's rings. */
  s = *style;
  s.real_trace = real;
  cairo_save (cr);
  cairo_translate (cr, 0, top);
  tl_render_diagram (cr, sim, time_us, dw, lh, &s);
  cairo_restore (cr);

  /* Both ladders on the simulation's window of time. */
  s = *style;
  s.real_trace = NULL;
  tl_render_ladder_window (sim, time_us, style, &t0, &span);
  s.ladder_t0_us = t0;
  s.ladder_span_us = span;
  for (guint k = 0; k < 2; k++)
    {
      const TlTrace *trace = k == 0 ? sim : real;
      double x = lx + k * lw / 2;

      cairo_save (cr);
      cairo_translate (cr, x, top);
      cairo_rectangle (cr, 0, 0, lw / 2, lh);
      cairo_clip (cr);
      /* The selection is a record of the simulation's. */
      if (k == 1)
        s.selected_record = G_MAXUINT32;
      tl_render_ladder (cr, trace, time_us, lw / 2, lh, &s);
      cairo_restore (cr);
      if (diffs != NULL)
        drawn += draw_marks (&p, trace, diffs, k == 1, time_us, x, top, lw / 2, lh, &s);
    }

  /* The rules between the three. */
  tl_painter_set_rgb (&p, &p.pal->grid, 1.0);
  cairo_set_line_width (cr, 2.0);
  cairo_move_to (cr, dw + 3, top);
  cairo_line_to (cr, dw + 3, height);
  cairo_move_to (cr, lx + lw / 2, 0);
  cairo_line_to (cr, lx + lw / 2, height);
  cairo_stroke (cr);
  tl_painter_clear (&p);
  cairo_restore (cr);
  return drawn;
}
