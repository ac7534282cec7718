/* tl-render-diagram.c: the state diagram of RFC 9293 section 3.3.2, Figure 5,
 * with one token per host on the state of its current connection.
 *
 * The figure is laid out on a fixed 1000 x 850 canvas, scaled uniformly into
 * the view, so that the boxes keep the places a student knows from the RFC.
 * As in the figure, CLOSED appears twice: at the top (where everything
 * starts) and at the bottom right (where TIME_WAIT and LAST_ACK end).
 */
#include "tl-config.h"

#include "tl-render-private.h"

#include <math.h>

#include <glib/gi18n.h>

#define CANVAS_W   1000.0
#define CANVAS_H    850.0
#define BOX_W       190.0
#define BOX_H        64.0
#define NAME_PX      22.0
#define LABEL_PX     17.5
#define TOKEN_R      13.0
/* A state change is lit for this long after it happened (simulated time). */
#define LIT_US       (2 * TL_USEC_PER_SEC)
/* How far back to look for a host's last state change, in records: bounded,
 * so that a frame of a flood costs the same as any other. */
#define LIT_SCAN     4096

/* A wide view spreads the three columns of boxes apart: the gaps between
 * columns stretch, the boxes and the text keep their size. */
static const double column_breaks[6] = { 20, 210, 405, 595, 790, 980 };
#define MAX_GAP_STRETCH 2.6
/* A small figure's text grows beyond the figure's scale, up to this factor
 * (font_scale included), so that a label stays readable from the back of a
 * classroom; beyond it the labels would bury the figure. */
#define MAX_TEXT_GROWTH 2.2

/* The twelve boxes: the eleven states and the second CLOSED. */
#define BOX_CLOSED_END TL_N_STATES
#define N_BOXES        (TL_N_STATES + 1)

static const struct { double x, y; } box_pos[N_BOXES] = {
  [TL_STATE_CLOSED]      = { 500,  40 },
  [TL_STATE_LISTEN]      = { 500, 185 },
  [TL_STATE_SYN_RCVD]    = { 115, 330 },
  [TL_STATE_SYN_SENT]    = { 885, 330 },
  [TL_STATE_ESTABLISHED] = { 500, 455 },
  [TL_STATE_FIN_WAIT_1]  = { 115, 580 },
  [TL_STATE_CLOSE_WAIT]  = { 885, 580 },
  [TL_STATE_FIN_WAIT_2]  = { 115, 700 },
  [TL_STATE_CLOSING]     = { 500, 700 },
  [TL_STATE_LAST_ACK]    = { 885, 700 },
  [TL_STATE_TIME_WAIT]   = { 500, 810 },
  [BOX_CLOSED_END]       = { 885, 810 },
};

typedef struct
{
  guint8      from;      /* TlState */
  guint8      to_box;    /* a TlState, or BOX_CLOSED_END */
  double      p[4][2];   /* a cubic Bézier from the source box to the target box */
  const char *label;     /* "event / action", as the figure writes it */
  double      lx, ly;    /* where the label is anchored */
  TlAlign     halign;
} Edge;

#define LINE(x0, y0, x1, y1) \
  { { x0, y0 }, { (2 * (x0) + (x1)) / 3.0, (2 * (y0) + (y1)) / 3.0 }, \
    { ((x0) + 2 * (x1)) / 3.0, ((y0) + 2 * (y1)) / 3.0 }, { x1, y1 } }

/* Every transition of Figure 5. */
static const Edge edges[] = {
  { TL_STATE_CLOSED, TL_STATE_LISTEN, LINE (478, 72, 478, 153),
    N_("passive OPEN / create TCB"), 468, 112, TL_ALIGN_END },
  { TL_STATE_LISTEN, TL_STATE_CLOSED, LINE (522, 153, 522, 72),
    N_("CLOSE / delete TCB"), 532, 112, TL_ALIGN_START },
  { TL_STATE_CLOSED, TL_STATE_SYN_SENT, { { 595, 28 }, { 870, 28 }, { 920, 120 }, { 920, 298 } },
    N_("active OPEN / create TCB, snd SYN"), 760, 12, TL_ALIGN_CENTER },
  { TL_STATE_SYN_SENT, TL_STATE_CLOSED, { { 860, 298 }, { 860, 160 }, { 760, 52 }, { 595, 52 } },
    N_("CLOSE / delete TCB"), 700, 85, TL_ALIGN_CENTER },
  { TL_STATE_LISTEN, TL_STATE_SYN_RCVD, { { 440, 217 }, { 380, 270 }, { 300, 300 }, { 210, 308 } },
    N_("rcv SYN / snd SYN,ACK"), 390, 245, TL_ALIGN_END },
  { TL_STATE_LISTEN, TL_STATE_SYN_SENT, { { 560, 217 }, { 620, 270 }, { 700, 300 }, { 790, 308 } },
    N_("SEND / snd SYN"), 610, 245, TL_ALIGN_START },
  { TL_STATE_SYN_SENT, TL_STATE_SYN_RCVD, LINE (790, 338, 210, 338),
    N_("rcv SYN / snd SYN,ACK"), 500, 350, TL_ALIGN_CENTER },
  { TL_STATE_SYN_RCVD, TL_STATE_LISTEN, { { 150, 298 }, { 150, 200 }, { 300, 185 }, { 405, 185 } },
    N_("rcv RST"), 200, 215, TL_ALIGN_START },
  { TL_STATE_SYN_RCVD, TL_STATE_ESTABLISHED, { { 210, 352 }, { 330, 365 }, { 430, 380 }, { 462, 423 } },
    N_("rcv ACK of SYN"), 250, 385, TL_ALIGN_START },
  { TL_STATE_SYN_SENT, TL_STATE_ESTABLISHED, { { 790, 352 }, { 670, 365 }, { 570, 380 }, { 538, 423 } },
    N_("rcv SYN,ACK / snd ACK"), 750, 385, TL_ALIGN_END },
  { TL_STATE_SYN_RCVD, TL_STATE_FIN_WAIT_1, LINE (80, 362, 80, 548),
    N_("CLOSE / snd FIN"), 90, 455, TL_ALIGN_START },
  { TL_STATE_ESTABLISHED, TL_STATE_FIN_WAIT_1, { { 440, 487 }, { 380, 540 }, { 300, 565 }, { 210, 572 } },
    N_("CLOSE / snd FIN"), 390, 510, TL_ALIGN_END },
  { TL_STATE_ESTABLISHED, TL_STATE_CLOSE_WAIT, { { 560, 487 }, { 620, 540 }, { 700, 565 }, { 790, 572 } },
    N_("rcv FIN / snd ACK"), 610, 510, TL_ALIGN_START },
  { TL_STATE_FIN_WAIT_1, TL_STATE_FIN_WAIT_2, LINE (80, 612, 80, 668),
    N_("rcv ACK of FIN"), 90, 640, TL_ALIGN_START },
  { TL_STATE_FIN_WAIT_1, TL_STATE_CLOSING, { { 210, 592 }, { 330, 600 }, { 440, 630 }, { 470, 668 } },
    N_("rcv FIN / snd ACK"), 300, 600, TL_ALIGN_START },
  { TL_STATE_CLOSE_WAIT, TL_STATE_LAST_ACK, LINE (885, 612, 885, 668),
    N_("CLOSE / snd FIN"), 875, 640, TL_ALIGN_END },
  { TL_STATE_FIN_WAIT_2, TL_STATE_TIME_WAIT, { { 115, 732 }, { 115, 790 }, { 300, 810 }, { 405, 810 } },
    N_("rcv FIN / snd ACK"), 150, 770, TL_ALIGN_START },
  { TL_STATE_CLOSING, TL_STATE_TIME_WAIT, LINE (500, 732, 500, 778),
    N_("rcv ACK of FIN"), 510, 755, TL_ALIGN_START },
  { TL_STATE_LAST_ACK, BOX_CLOSED_END, LINE (885, 732, 885, 778),
    N_("rcv ACK of FIN"), 875, 755, TL_ALIGN_END },
  { TL_STATE_TIME_WAIT, BOX_CLOSED_END, LINE (595, 810, 790, 810),
    N_("timeout=2MSL / delete TCB"), 692, 790, TL_ALIGN_CENTER },
};

typedef struct
{
  gboolean     lit;
  TlRecord     rec;       /* the host's last TL_REC_STATE, when lit */
  const Edge  *edge;      /* its edge in the figure, or NULL if Figure 5 has none */
  guint32      conn;      /* the token's connection, or TL_NO_CONN */
  TlState      state;     /* the token's state */
  guint        box;       /* the token's box */
} HostToken;

static const char *
cause_label (TlCause cause)
{
  switch (cause)
    {
    case TL_CAUSE_APP_LISTEN:
      return _("passive OPEN");
    case TL_CAUSE_APP_CONNECT:
      return _("active OPEN");
    case TL_CAUSE_APP_CLOSE:
    case TL_CAUSE_APP_SHUTDOWN:
      return _("CLOSE");
    case TL_CAUSE_APP_ABORT:
      return _("ABORT / snd RST");
    case TL_CAUSE_APP_UNLISTEN:
      return _("CLOSE / delete TCB");
    case TL_CAUSE_RCV_SYN:
      return _("rcv SYN");
    case TL_CAUSE_RCV_SYN_ACK:
      return _("rcv SYN,ACK");
    case TL_CAUSE_RCV_ACK:
      return _("rcv ACK");
    case TL_CAUSE_RCV_FIN:
      return _("rcv FIN");
    case TL_CAUSE_RCV_RST:
      return _("rcv RST");
    case TL_CAUSE_TIMEOUT:
      return _("retries exhausted");
    case TL_CAUSE_TIME_WAIT_DONE:
      return _("timeout=2MSL");
    case TL_CAUSE_FIN_WAIT_2_DONE:
      return _("FIN_WAIT_2 timeout");
    case TL_CAUSE_CRASH:
      return _("host crashed");
    case TL_CAUSE_QUEUE_OVERFLOW:
      return _("queue full");
    }
  return "";
}

static const Edge *
find_edge (TlState from,
           TlState to)
{
  for (guint i = 0; i < G_N_ELEMENTS (edges); i++)
    {
      guint to_state = edges[i].to_box == BOX_CLOSED_END ? TL_STATE_CLOSED : edges[i].to_box;

      if (edges[i].from == from && to_state == to)
        return &edges[i];
    }
  return NULL;
}

/* x on the canvas, spread by gap (1: as laid out). */
static double
fx (double gap,
    double x)
{
  double shift = 0;

  for (guint i = 1; i < G_N_ELEMENTS (column_breaks) - 1; i += 2)
    {
      double from = column_breaks[i], to = column_breaks[i + 1];

      if (x > from)
        shift += (MIN (x, to) - from) * (gap - 1);
    }
  return x + shift;
}

static void
bezier_at (const Edge *edge,
           double      gap,
           double      t,
           double     *x,
           double     *y)
{
  double u = 1.0 - t;
  double a = u * u * u, b = 3 * u * u * t, c = 3 * u * t * t, d = t * t * t;

  *x = a * fx (gap, edge->p[0][0]) + b * fx (gap, edge->p[1][0]) +
       c * fx (gap, edge->p[2][0]) + d * fx (gap, edge->p[3][0]);
  *y = a * edge->p[0][1] + b * edge->p[1][1] + c * edge->p[2][1] + d * edge->p[3][1];
}

/* Which state each host's token shows, and the change that lights an edge. */
static void
find_tokens (const TlTrace *trace,
             const TlWorld *world,
             HostToken      tokens[2])
{
  gboolean seen[2] = { FALSE, FALSE };
  guint stop = world->n_records > LIT_SCAN ? world->n_records - LIT_SCAN : 0;

  for (guint h = 0; h < 2; h++)
    {
      tokens[h].lit = FALSE;
      tokens[h].edge = NULL;
      tokens[h].conn = tl_render_current_conn (trace, world, h);
      tokens[h].state = TL_STATE_CLOSED;
      for (guint i = 0; tokens[h].conn != TL_NO_CONN && i < world->sockets->len; i++)
        {
          const TlWorldSocket *sock = &g_array_index (world->sockets, TlWorldSocket, i);

          if (sock->conn == tokens[h].conn)
            tokens[h].state = sock->state;
        }
      tokens[h].box = tokens[h].state;
    }

  for (guint i = world->n_records; i > stop && !(seen[0] && seen[1]); i--)
    {
      const TlRecord *rec = tl_trace_record (trace, i - 1);

      if (rec->time_us < world->time_us - LIT_US)
        break;
      if (rec->kind != TL_REC_STATE || rec->host > 1 || seen[rec->host])
        continue;
      seen[rec->host] = TRUE;
      tokens[rec->host].lit = TRUE;
      tokens[rec->host].rec = *rec;
      tokens[rec->host].edge = find_edge (rec->u.state.from, rec->u.state.to);
    }

  /* A connection that has just reached CLOSED through TIME_WAIT or LAST_ACK
   * sits in the figure's second CLOSED box, at the end of its edge. */
  for (guint h = 0; h < 2; h++)
    if (tokens[h].state == TL_STATE_CLOSED && tokens[h].lit && tokens[h].edge != NULL &&
        tokens[h].edge->to_box == BOX_CLOSED_END)
      tokens[h].box = BOX_CLOSED_END;
}

static const char *const widest_names[] = { "ESTABLISHED", "CLOSE_WAIT" };

static void
draw_box (TlPainter  *p,
          double      gap,
          double      text,
          guint       box,
          gboolean    occupied)
{
  const char *name = tl_state_name (box == BOX_CLOSED_END ? TL_STATE_CLOSED : box);
  cairo_t *cr = p->cr;
  double cx = fx (gap, box_pos[box].x);
  double x = cx - BOX_W / 2, y = box_pos[box].y - BOX_H / 2;
  double name_px = NAME_PX * MIN (text, 1.5), w = 0, h;

  tl_painter_round_rect (p, x, y, BOX_W, BOX_H, 14);
  tl_painter_set_rgb (p, &p->pal->panel, 1.0);
  cairo_fill_preserve (cr);
  tl_painter_set_rgb (p, occupied ? &p->pal->ink : &p->pal->edge, 1.0);
  cairo_set_line_width (cr, occupied ? 4.0 : 2.0);
  cairo_stroke (cr);
  /* The names grow less than the labels: all in one size, at which the
   * widest fits its box. */
  for (guint i = 0; i < G_N_ELEMENTS (widest_names); i++)
    {
      double wi;

      tl_painter_measure (p, widest_names[i], name_px, TRUE, &wi, &h);
      w = MAX (w, wi);
    }
  if (w > BOX_W - 16)
    name_px *= (BOX_W - 16) / w;
  tl_painter_set_rgb (p, &p->pal->ink, 1.0);
  tl_painter_text (p, name, cx, box_pos[box].y - 8, name_px, TRUE,
                   TL_ALIGN_CENTER, TL_ALIGN_CENTER, NULL, NULL);
}

static void
draw_edge (TlPainter   *p,
           double       gap,
           const Edge  *edge,
           const TlRgb *lit)
{
  cairo_t *cr = p->cr;
  double x[4];

  for (guint i = 0; i < 4; i++)
    x[i] = fx (gap, edge->p[i][0]);
  tl_painter_set_rgb (p, lit != NULL ? lit : &p->pal->edge, 1.0);
  cairo_set_line_width (cr, lit != NULL ? 6.0 : 2.0);
  cairo_new_path (cr);
  cairo_move_to (cr, x[0], edge->p[0][1]);
  cairo_curve_to (cr, x[1], edge->p[1][1], x[2], edge->p[2][1], x[3], edge->p[3][1]);
  cairo_stroke (cr);
  tl_painter_arrowhead (p, x[3], edge->p[3][1], x[3] - x[2], edge->p[3][1] - edge->p[2][1],
                        lit != NULL ? 20 : 14);
}

/* Drawn after the boxes: a label grown for a small figure may reach a box,
 * and must stay whole. */
static void
draw_edge_label (TlPainter   *p,
                 double       gap,
                 double       text,
                 const Edge  *edge,
                 const TlRgb *lit)
{
  cairo_t *cr = p->cr;
  double w, h;
  double lx = fx (gap, edge->lx), ly = edge->ly;

  /* The label on a plate of the ground colour, so crossing lines do not cut it. */
  tl_painter_measure (p, _(edge->label), LABEL_PX * text, lit != NULL, &w, &h);
  switch (edge->halign)
    {
    case TL_ALIGN_START:
      break;
    case TL_ALIGN_CENTER:
      lx -= w / 2;
      break;
    case TL_ALIGN_END:
      lx -= w;
      break;
    }
  /* A lit label covers the unlit one drawn before it (see draw_figure). */
  tl_painter_set_rgb (p, &p->pal->bg, lit != NULL ? 1.0 : 0.85);
  cairo_rectangle (cr, lx - 2, ly - h / 2, w + 4, h);
  cairo_fill (cr);
  tl_painter_set_rgb (p, lit != NULL ? lit : &p->pal->muted, 1.0);
  tl_painter_text (p, _(edge->label), lx, ly, LABEL_PX * text, lit != NULL,
                   TL_ALIGN_START, TL_ALIGN_CENTER, NULL, NULL);
}

/* A change Figure 5 does not draw (an abort, a reset, a timeout): a dashed
 * line straight from box to box, named by its cause. */
static void
draw_off_figure_change (TlPainter      *p,
                        double          gap,
                        double          text,
                        const TlRecord *rec,
                        const TlRgb    *lit)
{
  cairo_t *cr = p->cr;
  double x0 = fx (gap, box_pos[rec->u.state.from].x), y0 = box_pos[rec->u.state.from].y;
  double x1 = fx (gap, box_pos[rec->u.state.to].x), y1 = box_pos[rec->u.state.to].y;
  double dashes[] = { 14, 10 };
  double len = hypot (x1 - x0, y1 - y0);
  double ex, ey;

  if (len < 1)
    return;
  /* Stop at the target box's edge. */
  ex = x1 - (x1 - x0) / len * MIN (BOX_H / 2 / MAX (fabs (y1 - y0) / len, 1e-3),
                                   BOX_W / 2 / MAX (fabs (x1 - x0) / len, 1e-3));
  ey = y1 - (y1 - y0) / len * MIN (BOX_H / 2 / MAX (fabs (y1 - y0) / len, 1e-3),
                                   BOX_W / 2 / MAX (fabs (x1 - x0) / len, 1e-3));
  tl_painter_set_rgb (p, lit, 1.0);
  cairo_set_line_width (cr, 5.0);
  cairo_set_dash (cr, dashes, 2, 0);
  cairo_move_to (cr, x0, y0);
  cairo_line_to (cr, ex, ey);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  tl_painter_arrowhead (p, ex, ey, x1 - x0, y1 - y0, 20);
  tl_painter_text (p, cause_label (rec->u.state.cause), (x0 + ex) / 2 + 8, (y0 + ey) / 2,
                   (LABEL_PX + 2) * text, TRUE, TL_ALIGN_START, TL_ALIGN_CENTER, NULL, NULL);
}

static void
draw_token (TlPainter   *p,
            double       x,
            double       y,
            const TlRgb *colour,
            gboolean     crashed)
{
  cairo_t *cr = p->cr;

  cairo_new_path (cr);
  cairo_arc (cr, x, y, TOKEN_R, 0, 2 * G_PI);
  tl_painter_set_rgb (p, crashed ? &p->pal->muted : colour, 1.0);
  cairo_fill_preserve (cr);
  tl_painter_set_rgb (p, &p->pal->bg, 1.0);
  cairo_set_line_width (cr, 2.5);
  cairo_stroke (cr);
}

static void
draw_legend (TlPainter         *p,
             double             text_px,
             const TlTrace     *trace,
             const TlWorld     *world,
             const HostToken    tokens[2])
{
  for (guint h = 0; h < 2; h++)
    {
      g_autofree char *text = NULL;
      double y = text_px * (0.8 + h * 1.3);

      if (world->crashed[h])
        /* TRANSLATORS: the legend of the diagram: host name, "crashed" */
        text = g_strdup_printf (_("%s: crashed"), tl_trace_host_name (trace, h));
      else
        /* TRANSLATORS: the legend of the diagram: host name and its state */
        text = g_strdup_printf (_("%s: %s"), tl_trace_host_name (trace, h),
                                tl_state_name (tokens[h].state));
      draw_token (p, 14, y, &p->pal->host[h], world->crashed[h]);
      tl_painter_set_rgb (p, &p->pal->host[h], 1.0);
      tl_painter_text (p, text, 32, y, text_px, TRUE, TL_ALIGN_START, TL_ALIGN_CENTER,
                       NULL, NULL);
    }
}

/* The canvas's scale and offset in the view, and how much its gaps spread. */
static double
canvas_transform (double  width,
                  double  height,
                  double *dx,
                  double *dy,
                  double *gap)
{
  double gaps = (column_breaks[2] - column_breaks[1]) + (column_breaks[4] - column_breaks[3]);
  double scale = MIN (width / (CANVAS_W + 20), height / (CANVAS_H + 20));
  double canvas_w;

  /* As wide as the view allows at this scale, within reason. */
  *gap = CLAMP (1 + (width / scale - 20 - CANVAS_W) / gaps, 1.0, MAX_GAP_STRETCH);
  canvas_w = CANVAS_W + gaps * (*gap - 1);
  *dx = (width - canvas_w * scale) / 2;
  *dy = (height - CANVAS_H * scale) / 2;
  return scale;
}

/* How much the figure's text grows beyond its scale: enough for labels of
 * 0.7 of the renderers' text size (about 14 px in the diagram's part of a
 * 1080p window), within MAX_TEXT_GROWTH, times style->font_scale. */
static double
text_growth (const TlRenderStyle *style,
             double               width,
             double               height,
             double               scale)
{
  TlRenderStyle plain = *style;
  double font_scale = style->font_scale > 0 ? style->font_scale : 1.0;
  double growth;

  plain.font_scale = 1.0;
  growth = MAX (tl_render_font_px (&plain, width, height) * 0.7 / (LABEL_PX * scale), 1.0);
  return MIN (growth * font_scale, MAX (MAX_TEXT_GROWTH, font_scale));
}

/* The figure as it stands with no token on it: the ground, every edge
 * unlit and every box empty.  Lit edges and occupied boxes are drawn over it. */
static void
draw_figure (TlPainter *p,
             double     width,
             double     height,
             double     scale,
             double     dx,
             double     dy,
             double     gap,
             double     text)
{
  cairo_t *cr = p->cr;

  cairo_save (cr);
  tl_painter_background (p, width, height);
  cairo_translate (cr, dx, dy);
  cairo_scale (cr, scale, scale);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint i = 0; i < G_N_ELEMENTS (edges); i++)
    draw_edge (p, gap, &edges[i], NULL);
  for (guint s = 0; s < N_BOXES; s++)
    draw_box (p, gap, text, s, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (edges); i++)
    draw_edge_label (p, gap, text, &edges[i], NULL);
  cairo_restore (cr);
}

/* The empty figure is most of a frame's work (twenty curves, twelve boxes,
 * thirty strings) and the same in every frame, so on an image surface it is
 * drawn once and copied: a frame then costs a blit and the few things that
 * move.  Each thread keeps the figures of its last two sizes (the diagram
 * alone and in the "all" view), keyed by all a figure depends on: size,
 * style, and the language its labels were translated into. */
#define N_CACHED_FIGURES 2

typedef struct
{
  cairo_surface_t *surface;
  int              width, height;
  cairo_format_t   format;
  gboolean         dark;
  double           font_scale;
  char            *language;   /* the translation of the first edge's label */
  guint64          used;       /* when last painted, in frames */
} CachedFigure;

typedef struct
{
  CachedFigure figures[N_CACHED_FIGURES];
  guint64      frames;
} FigureCache;

static void
figure_cache_free (gpointer data)
{
  FigureCache *cache = data;

  for (guint i = 0; i < N_CACHED_FIGURES; i++)
    {
      g_clear_pointer (&cache->figures[i].surface, cairo_surface_destroy);
      g_free (cache->figures[i].language);
    }
  g_free (cache);
}

static GPrivate figure_cache_key = G_PRIVATE_INIT (figure_cache_free);

static gboolean
figure_matches (const CachedFigure  *figure,
                int                  width,
                int                  height,
                cairo_format_t       format,
                const TlRenderStyle *style,
                const char          *language)
{
  return figure->surface != NULL && figure->width == width && figure->height == height &&
         figure->format == format && figure->dark == style->dark &&
         figure->font_scale == style->font_scale && g_strcmp0 (figure->language, language) == 0;
}

static gboolean
paint_cached_figure (TlPainter *p,
                     double     width,
                     double     height,
                     double     scale,
                     double     dx,
                     double     dy,
                     double     gap,
                     double     text)
{
  cairo_t *cr = p->cr;
  cairo_surface_t *target = cairo_get_target (cr);
  FigureCache *cache = g_private_get (&figure_cache_key);
  const char *language = _(edges[0].label);
  CachedFigure *figure = NULL;
  cairo_matrix_t m;
  cairo_format_t format;
  int w = (int) width, h = (int) height;

  /* Only where copying pixels gives the same pixels: an image, at whole
   * pixels, unscaled.  Vector files and scaled views are drawn in full. */
  cairo_get_matrix (cr, &m);
  if (cairo_surface_get_type (target) != CAIRO_SURFACE_TYPE_IMAGE ||
      m.xx != 1.0 || m.yy != 1.0 || m.xy != 0.0 || m.yx != 0.0 ||
      m.x0 != floor (m.x0) || m.y0 != floor (m.y0) || w != width || h != height)
    return FALSE;
  format = cairo_image_surface_get_format (target);
  if (format != CAIRO_FORMAT_RGB24 && format != CAIRO_FORMAT_ARGB32)
    return FALSE;

  if (cache == NULL)
    {
      cache = g_new0 (FigureCache, 1);
      g_private_set (&figure_cache_key, cache);
    }
  for (guint i = 0; i < N_CACHED_FIGURES && figure == NULL; i++)
    if (figure_matches (&cache->figures[i], w, h, format, p->style, language))
      figure = &cache->figures[i];
  if (figure == NULL)
    {
      TlPainter painter;
      cairo_t *fcr;

      /* Replace the least recently painted. */
      figure = &cache->figures[0];
      for (guint i = 1; i < N_CACHED_FIGURES; i++)
        if (cache->figures[i].used < figure->used)
          figure = &cache->figures[i];
      g_clear_pointer (&figure->surface, cairo_surface_destroy);
      g_free (figure->language);
      figure->surface = cairo_image_surface_create (format, w, h);
      figure->width = w;
      figure->height = h;
      figure->format = format;
      figure->dark = p->style->dark;
      figure->font_scale = p->style->font_scale;
      figure->language = g_strdup (language);
      fcr = cairo_create (figure->surface);
      tl_painter_init (&painter, fcr, p->style, width, height);
      draw_figure (&painter, width, height, scale, dx, dy, gap, text);
      tl_painter_clear (&painter);
      cairo_destroy (fcr);
    }
  figure->used = ++cache->frames;

  cairo_save (cr);
  cairo_set_operator (cr, CAIRO_OPERATOR_SOURCE);
  cairo_set_source_surface (cr, figure->surface, 0, 0);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_fill (cr);
  cairo_restore (cr);
  return TRUE;
}

void
tl_render_diagram_box (TlState            state,
                       double             width,
                       double             height,
                       cairo_rectangle_t *rect)
{
  double dx, dy, gap, scale = canvas_transform (width, height, &dx, &dy, &gap);

  g_return_if_fail ((guint) state < TL_N_STATES);

  rect->x = dx + (fx (gap, box_pos[state].x) - BOX_W / 2) * scale;
  rect->y = dy + (box_pos[state].y - BOX_H / 2) * scale;
  rect->width = BOX_W * scale;
  rect->height = BOX_H * scale;
}

static void
draw_diagram (TlPainter     *p,
              const TlTrace *trace,
              const TlWorld *world,
              double         width,
              double         height)
{
  const TlRenderStyle *style = p->style;
  cairo_t *cr = p->cr;
  HostToken tokens[2];
  gboolean occupied[N_BOXES] = { FALSE };
  gboolean redraw[N_BOXES] = { FALSE };
  double scale, dx, dy, gap, text;

  find_tokens (trace, world, tokens);
  scale = canvas_transform (width, height, &dx, &dy, &gap);
  text = text_growth (style, width, height, scale);
  if (!paint_cached_figure (p, width, height, scale, dx, dy, gap, text))
    draw_figure (p, width, height, scale, dx, dy, gap, text);

  /* What changes from frame to frame, over the figure. */
  cairo_translate (cr, dx, dy);
  cairo_scale (cr, scale, scale);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint h = 0; h < 2; h++)
    if (tokens[h].lit && tokens[h].edge != NULL)
      {
        draw_edge (p, gap, tokens[h].edge, &p->pal->host[h]);
        redraw[tokens[h].edge->from] = TRUE;
        redraw[tokens[h].edge->to_box] = TRUE;
      }
  for (guint h = 0; h < 2; h++)
    occupied[tokens[h].box] = redraw[tokens[h].box] = TRUE;
  for (guint s = 0; s < N_BOXES; s++)
    if (redraw[s])
      draw_box (p, gap, text, s, occupied[s]);
  for (guint h = 0; h < 2; h++)
    if (tokens[h].lit && tokens[h].edge != NULL)
      draw_edge_label (p, gap, text, tokens[h].edge, &p->pal->host[h]);

  for (guint h = 0; h < 2; h++)
    if (tokens[h].lit && tokens[h].edge == NULL)
      draw_off_figure_change (p, gap, text, &tokens[h].rec, &p->pal->host[h]);

  for (guint h = 0; h < 2; h++)
    {
      double glide = CLAMP (style->glide[h], 0.0, 1.0);
      gboolean shared = tokens[0].box == tokens[1].box;
      double x = fx (gap, box_pos[tokens[h].box].x) + (shared ? (h == 0 ? -18 : 18) : 0);
      double y = box_pos[tokens[h].box].y + 15;

      /* On its way: along the edge just taken, if it leads to the token's box. */
      if (glide < 1.0 && tokens[h].lit && tokens[h].edge != NULL &&
          tokens[h].edge->to_box == tokens[h].box)
        bezier_at (tokens[h].edge, gap, glide, &x, &y);
      draw_token (p, x, y, &p->pal->host[h], world->crashed[h]);
    }

  draw_legend (p, (LABEL_PX + 2) * text, trace, world, tokens);
}

void
tl_render_diagram (cairo_t             *cr,
                   const TlTrace       *trace,
                   gint64               time_us,
                   double               width,
                   double               height,
                   const TlRenderStyle *style)
{
  g_return_if_fail (cr != NULL);
  g_return_if_fail (trace != NULL);
  g_return_if_fail (style != NULL);

  tl_render_world_view (cr, trace, time_us, width, height, style, draw_diagram);
}
