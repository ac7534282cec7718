/* tl-render-private.h: what the view renderers share: the palette, a painter
 * that keeps one Pango layout per frame, text, arrows and geometry. */
#pragma once

#include <pango/pangocairo.h>

#include "tl-render.h"
#include "tl-text-cache.h"

G_BEGIN_DECLS

typedef struct
{
  double r, g, b;
} TlRgb;

typedef struct
{
  TlRgb bg;          /* the ground */
  TlRgb panel;       /* a box or table row */
  TlRgb ink;         /* main text and lines */
  TlRgb muted;       /* labels and axes */
  TlRgb grid;        /* faint guides */
  TlRgb edge;        /* diagram transitions */
  TlRgb accent;      /* the playhead, a selection */
  TlRgb lost;        /* a lost segment's cross */
  TlRgb host[2];     /* the two hosts' colours */
} TlPalette;

/* One per drawing call.  Text is laid out through the per-thread cache of
 * Pango layouts of tl-text-cache.c. */
typedef struct
{
  cairo_t              *cr;
  TlTextCache          *text;
  const TlPalette      *pal;
  const TlRenderStyle  *style;
  double                font_px;   /* the view's body text size */
  double                small_px;  /* the smallest text it draws */
  double                name_px;   /* the smallest state name it draws */
  TlLabelKind           kind;      /* what the text drawn now is (style->labels) */
  gboolean              hidden;    /* the text drawn now is cut by the view's edge:
                                      not listed in style->labels */
} TlPainter;

typedef enum
{
  TL_ALIGN_START,
  TL_ALIGN_CENTER,
  TL_ALIGN_END,
} TlAlign;

const TlPalette *tl_render_palette      (const TlRenderStyle *style);
void             tl_painter_init        (TlPainter           *painter,
                                         cairo_t             *cr,
                                         const TlRenderStyle *style,
                                         double               width,
                                         double               height);
void             tl_painter_clear       (TlPainter           *painter);
/* A painter on a scratch surface of its own, to measure text where nothing
 * is drawn (hit testing, geometry); cleared with tl_painter_clear_scratch. */
void             tl_painter_init_scratch  (TlPainter           *painter,
                                           const TlRenderStyle *style,
                                           double               width,
                                           double               height);
void             tl_painter_clear_scratch (TlPainter           *painter);
void             tl_painter_set_rgb     (TlPainter           *painter,
                                         const TlRgb         *rgb,
                                         double               alpha);
void             tl_painter_background  (TlPainter           *painter,
                                         double               width,
                                         double               height);
/* Lays out text at size_px, bold or not, and shows it with its anchor
 * (x, y) placed by halign and valign; returns its size in *w, *h (may be NULL). */
void             tl_painter_text        (TlPainter           *painter,
                                         const char          *text,
                                         double               x,
                                         double               y,
                                         double               size_px,
                                         gboolean             bold,
                                         TlAlign              halign,
                                         TlAlign              valign,
                                         double              *w,
                                         double              *h);
/* A paragraph wrapped at wrap_px, its top left at (x, y); its height in *h. */
void             tl_painter_paragraph   (TlPainter           *painter,
                                         const char          *text,
                                         double               x,
                                         double               y,
                                         double               size_px,
                                         double               wrap_px,
                                         double              *h);
int              tl_painter_paragraph_lines (TlPainter       *painter,
                                         const char          *text,
                                         double               size_px,
                                         double               wrap_px);
/* Measures without drawing. */
void             tl_painter_measure     (TlPainter           *painter,
                                         const char          *text,
                                         double               size_px,
                                         gboolean             bold,
                                         double              *w,
                                         double              *h);
/* An opaque plate now covers (x, y, w, h) in user space: the labels drawn
 * under it are no longer seen (style->labels). */
void             tl_painter_cover       (TlPainter           *painter,
                                         double               x,
                                         double               y,
                                         double               w,
                                         double               h);
void             tl_painter_arrowhead   (TlPainter           *painter,
                                         double               x,
                                         double               y,
                                         double               dx,
                                         double               dy,
                                         double               size);
/* The bounding box of the arrowhead tl_painter_arrowhead draws with these
 * arguments, in the same space: what a label placed beside it avoids. */
void             tl_render_arrowhead_rect (double              x,
                                           double              y,
                                           double              dx,
                                           double              dy,
                                           double              size,
                                           cairo_rectangle_t  *rect);
void             tl_painter_round_rect  (TlPainter           *painter,
                                         double               x,
                                         double               y,
                                         double               w,
                                         double               h,
                                         double               radius);

/* The body text size of a view of this size, in pixels. */
double           tl_render_font_px      (const TlRenderStyle *style,
                                         double               width,
                                         double               height);
/* "10.0.0.1:80", "[fd00::1]:80" (an IPv6 trace's, as ss writes it), or
 * "*:*" parts for zero. */
void             tl_render_format_addr  (char                *buf,
                                         gsize                size,
                                         const TlTrace       *trace,
                                         guint32              addr,
                                         guint16              port);
/* A band [y, y + h) of a view's content, scrolled by scroll pixels in a
 * view view_h high, wholly in view (half a pixel of rounding allowed). */
gboolean         tl_render_band_in_view (double               scroll,
                                         double               view_h,
                                         double               y,
                                         double               h);
/* Fit by tries (the timers' and the tables' layouts: a row each, grouped,
 * ...) in a view fit->width x fit->height: measures try 0, 1, ... n - 1 in
 * turn (measure: the content's height laid out that way, its tallest row
 * in *tallest) until one is no taller than height, and returns it; n when
 * none is.  Each try measured leaves its height and tallest row in
 * heights[] and tallest[] (n each). */
typedef struct
{
  TlPainter     *p;
  const TlTrace *trace;
  const TlWorld *world;
  double         width, height;
} TlRenderFit;
typedef double (*TlRenderMeasureTry) (const TlRenderFit *fit,
                                      guint              try,
                                      double            *tallest);
guint            tl_render_fit_tries    (const TlRenderFit   *fit,
                                         guint                n,
                                         double               height,
                                         TlRenderMeasureTry   measure,
                                         double              *heights,
                                         double              *tallest);
/* A duration for people: "1.0 s", "200 ms", "60 s". */
char            *tl_render_format_duration (gint64            us);
/* The connection a host's token follows at this moment: its most recent
 * socket that is not CLOSED, else its listener; TL_NO_CONN if none. */
guint32          tl_render_current_conn (const TlTrace       *trace,
                                         const TlWorld       *world,
                                         guint                host);

/* What the diagram, timers and sockets views draw, background included:
 * the hosts' world at world->time_us, in (0, 0, width, height). */
typedef void   (*TlWorldViewFunc)       (TlPainter           *painter,
                                         const TlTrace       *trace,
                                         const TlWorld       *world,
                                         double               width,
                                         double               height);
/* The frame of those views: nothing for an empty size; else the world at
 * time_us (world, if not NULL: the "all" picture finds it once for its
 * three), and draw called with a painter on cr, cr's state saved around it. */
void             tl_render_world_view   (cairo_t             *cr,
                                         const TlTrace       *trace,
                                         gint64               time_us,
                                         double               width,
                                         double               height,
                                         const TlRenderStyle *style,
                                         TlWorldViewFunc      draw,
                                         const TlWorld       *world);
/* Those views' drawing (tl_render_diagram, _timers, _sockets). */
void             tl_render_diagram_world (TlPainter          *painter,
                                          const TlTrace      *trace,
                                          const TlWorld      *world,
                                          double              width,
                                          double              height);
void             tl_render_timers_world  (TlPainter          *painter,
                                          const TlTrace      *trace,
                                          const TlWorld      *world,
                                          double              width,
                                          double              height);
void             tl_render_sockets_world (TlPainter          *painter,
                                          const TlTrace      *trace,
                                          const TlWorld      *world,
                                          double              width,
                                          double              height);

/* Geometry, for hit testing in the widgets and for tests. */
/* A state's box in the diagram drawn at this size (the top one for CLOSED). */
void             tl_render_diagram_box  (TlState              state,
                                         double               width,
                                         double               height,
                                         const TlRenderStyle *style,
                                         cairo_rectangle_t   *rect);
/* The line a TL_REC_SEGMENT record is drawn along in the ladder at this size
 * and time (sent, to where it is drawn: arrival, loss or now); FALSE if it
 * is not in view. */
gboolean         tl_render_ladder_line  (const TlTrace       *trace,
                                         gint64               time_us,
                                         double               width,
                                         double               height,
                                         const TlRenderStyle *style,
                                         guint                index,
                                         double               line[4]);

/* The real run's token around a token of radius r at (x, y): a ring in the
 * host's colour (grey when the host crashed), with a light gap between. */
void             tl_render_real_token   (TlPainter           *painter,
                                         double               x,
                                         double               y,
                                         double               r,
                                         const TlRgb         *colour,
                                         gboolean             crashed);

/* The ladder's time axis as drawn at this size and time: the two timelines'
 * x, the y of t0_us (top) and of t0_us + span_us (bottom). */
typedef struct
{
  double x[2];
  double top, bottom;
  gint64 t0_us, span_us;
} TlLadderAxis;

void             tl_render_ladder_axis  (const TlTrace       *trace,
                                         gint64               time_us,
                                         double               width,
                                         double               height,
                                         const TlRenderStyle *style,
                                         TlLadderAxis        *axis);

G_END_DECLS
