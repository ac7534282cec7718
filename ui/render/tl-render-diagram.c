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
#include "tl-states-explained.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#define CANVAS_W   1000.0
#define CANVAS_H    850.0
#define BOX_W       190.0
#define BOX_H        64.0
/* A state change is lit for this long after it happened (simulated time). */
#define LIT_US       (2 * TL_USEC_PER_SEC)
/* How far back to look for a host's last state change, in records: bounded,
 * so that a frame of a flood costs the same as any other. */
#define LIT_SCAN     4096

/* The canvas's columns: [20, 210] the left boxes, [405, 595] the middle,
 * [790, 980] the right, gaps between.  A wide view spreads the gaps, at most
 * by this factor. */
static const double column_breaks[6] = { 20, 210, 405, 595, 790, 980 };
#define MAX_GAP_STRETCH 2.6

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
  gboolean     inferred;  /* an imported capture infers the state: no segment confirms it */
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

/* Where the figure lands in the view.  The canvas's y is scaled uniformly;
 * its x piecewise, by column: each column of boxes is as wide as its widest
 * state name at the view's text size, and the gaps between columns take the
 * rest of the width.  Text is never scaled with the figure: it is laid out
 * at the view's own sizes, in pixels, so that a name or a label is as large
 * on a small view as the class needs it. */
typedef struct
{
  double dst[6];       /* the pixel x of each of column_breaks */
  double s;            /* canvas units to pixels */
  double dy;           /* the pixel y of canvas y 0 */
  double box_h;        /* a box's height, in pixels */
  double name_px;      /* the size of the states' names */
  double label_px;     /* the size of the edges' labels */
  double token_r;      /* a token's radius */
  double line_w;       /* an unlit edge's width */
} Layout;

/* The boxes of each column, for its width. */
static guint
box_column (guint box)
{
  return box_pos[box].x < 300 ? 0 : (box_pos[box].x < 700 ? 1 : 2);
}

static double
lx_of (const Layout *L,
       double        x)
{
  if (x <= column_breaks[0])
    return L->dst[0] - (column_breaks[0] - x) * L->s;
  for (guint i = 1; i < G_N_ELEMENTS (column_breaks); i++)
    if (x <= column_breaks[i])
      return L->dst[i - 1] + (x - column_breaks[i - 1]) / (column_breaks[i] - column_breaks[i - 1]) *
                             (L->dst[i] - L->dst[i - 1]);
  return L->dst[5] + (x - column_breaks[5]) * L->s;
}

static double
ly_of (const Layout *L,
       double        y)
{
  return L->dy + y * L->s;
}

static void
box_rect (const Layout      *L,
          guint              box,
          cairo_rectangle_t *r)
{
  guint c = box_column (box);

  r->x = L->dst[2 * c];
  r->width = L->dst[2 * c + 1] - L->dst[2 * c];
  r->y = ly_of (L, box_pos[box].y) - L->box_h / 2;
  r->height = L->box_h;
}

/* The size of a lit edge's arrowhead (an unlit one's is smaller). */
static double
lit_head_px (const Layout *L)
{
  return MAX (14.0, 20 * L->s);
}

/* The least distance between two rows of boxes, in canvas units
 * (TIME_WAIT under CLOSING). */
#define ROW_PITCH 110.0

/* The height a box may take: its row's pitch less room for an arrowhead
 * between it and the next row's box, so that no arrow's head reaches into
 * a box, under its state's name. */
static double
box_room (const Layout *L)
{
  return ROW_PITCH * L->s - lit_head_px (L);
}

static void
layout_init (Layout              *L,
             TlPainter           *p,
             double               width,
             double               height)
{
  double bw[3] = { 0, 0, 0 }, margin, gap, total, x, h = 0;

  L->name_px = p->name_px;
  L->label_px = p->small_px;
  for (guint pass = 0; pass < 2; pass++)
    {
      bw[0] = bw[1] = bw[2] = 0;
      for (guint b = 0; b < N_BOXES; b++)
        {
          double w;

          tl_painter_measure (p, tl_state_name (b == BOX_CLOSED_END ? TL_STATE_CLOSED : b),
                              L->name_px, TRUE, &w, &h);
          bw[box_column (b)] = MAX (bw[box_column (b)], w);
        }
      L->s = MIN (width / (CANVAS_W + 20), height / (CANVAS_H + 20));
      L->token_r = MAX (L->name_px * 0.42, 6.0);
      /* The name between the two hosts' tokens. */
      for (guint c = 0; c < 3; c++)
        bw[c] = MAX (bw[c] + 6 * L->token_r + L->name_px * 0.4, BOX_W * L->s);
      margin = MAX (6.0, 10 * L->s);
      gap = (width - 2 * margin - bw[0] - bw[1] - bw[2]) / 2;
      /* Text too large for the view (a large text size on a small screen):
       * the names shrink just enough for the three columns to stand apart
       * and the rows to keep a gap an arrowhead fits in (box_room). */
      if ((gap >= L->name_px * 0.5 && h * 1.2 <= box_room (L)) || pass == 1)
        break;
      /* (never below the smallest a class reads a state's name in) */
      L->name_px = MAX (L->name_px * MIN ((width - 2 * margin - L->name_px * 0.5 * 2) /
                                          (bw[0] + bw[1] + bw[2]),
                                          box_room (L) / (h * 1.2)),
                        MAX (L->name_px * 0.4, TL_RENDER_STATE_MIN_PX + 0.5));
    }
  gap = CLAMP (gap, 4.0, (column_breaks[2] - column_breaks[1]) * L->s * MAX_GAP_STRETCH);
  total = bw[0] + bw[1] + bw[2] + 2 * gap;
  x = (width - total) / 2;
  L->dst[0] = x;
  L->dst[1] = x + bw[0];
  L->dst[2] = L->dst[1] + gap;
  L->dst[3] = L->dst[2] + bw[1];
  L->dst[4] = L->dst[3] + gap;
  L->dst[5] = L->dst[4] + bw[2];
  L->box_h = MIN (MAX (BOX_H * L->s, h + L->name_px * 0.3), box_room (L));
  L->dy = (height - CANVAS_H * L->s) / 2;
  L->line_w = CLAMP (2.0 * L->s, 1.5, 3.0);
}

static void
bezier_at (const Layout *L,
           const Edge   *edge,
           double        t,
           double       *x,
           double       *y)
{
  double u = 1.0 - t;
  double a = u * u * u, b = 3 * u * u * t, c = 3 * u * t * t, d = t * t * t;

  *x = lx_of (L, a * edge->p[0][0] + b * edge->p[1][0] + c * edge->p[2][0] + d * edge->p[3][0]);
  *y = ly_of (L, a * edge->p[0][1] + b * edge->p[1][1] + c * edge->p[2][1] + d * edge->p[3][1]);
}

static gboolean
in_rect (const cairo_rectangle_t *r,
         double                   x,
         double                   y)
{
  return x > r->x && x < r->x + r->width && y > r->y && y < r->y + r->height;
}

#define EDGE_STEPS 48

/* An edge as drawn: the curve between where it leaves its box and where it
 * reaches the next (the boxes are as wide as their names). */
static guint
edge_points (const Layout *L,
             const Edge   *edge,
             double        pts[EDGE_STEPS + 1][2])
{
  cairo_rectangle_t from, to;
  guint n = 0;

  box_rect (L, edge->from, &from);
  box_rect (L, edge->to_box, &to);
  for (guint i = 0; i <= EDGE_STEPS; i++)
    {
      double x, y;

      bezier_at (L, edge, (double) i / EDGE_STEPS, &x, &y);
      if ((n == 0 && in_rect (&from, x, y)) || in_rect (&to, x, y))
        continue;
      pts[n][0] = x;
      pts[n][1] = y;
      n++;
    }
  return n;
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
      if (tokens[h].conn != TL_NO_CONN)
        {
          const TlRecord *r = tl_trace_conn_state_record_at (trace, tokens[h].conn,
                                                             world->time_us);

          tokens[h].inferred = r != NULL && (r->u.state.flags & TL_STATE_FLAG_INFERRED);
        }
      else
        tokens[h].inferred = FALSE;
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

/* Where each label goes: the lit edges' first, then the others while room
 * is left.  A label sits at its place in the figure or, if that is taken,
 * beside its edge; one with no free place is left out (a small view shows
 * the labels of the edges just taken, a large one every label). */
#define N_EDGES G_N_ELEMENTS (edges)

typedef struct
{
  Layout            L;
  double            width, height;
  cairo_rectangle_t boxes[N_BOXES];
  GArray           *taken;               /* of cairo_rectangle_t */
  gboolean          shown[N_EDGES];
  cairo_rectangle_t plate[N_EDGES];      /* the label's plate, if shown */
  gboolean          cause_shown[2];
  cairo_rectangle_t cause_plate[2];      /* an off-figure change's label */
  gboolean          legend_named;        /* the hosts' states beside their names */
  gboolean          legend_shown;
  cairo_rectangle_t legend[2];
  cairo_rectangle_t badge[TL_N_STATES];  /* a socket table's count, if any */
} Places;

#define PLATE_PAD 3.0

static gboolean
rects_meet (const cairo_rectangle_t *a,
            const cairo_rectangle_t *b)
{
  return a->x < b->x + b->width && b->x < a->x + a->width &&
         a->y < b->y + b->height && b->y < a->y + a->height;
}

static gboolean
place_free (const Places            *pl,
            const cairo_rectangle_t *r)
{
  if (r->x < 1 || r->y < 1 || r->x + r->width > pl->width - 1 ||
      r->y + r->height > pl->height - 1)
    return FALSE;
  for (guint b = 0; b < N_BOXES; b++)
    if (rects_meet (r, &pl->boxes[b]))
      return FALSE;
  for (guint i = 0; i < pl->taken->len; i++)
    if (rects_meet (r, &g_array_index (pl->taken, cairo_rectangle_t, i)))
      return FALSE;
  return TRUE;
}

/* A w x h plate near (x, y) aligned by halign, or along the line
 * pts[0..n): the first free place, taken; FALSE if none is. */
static gboolean
place_label (Places            *pl,
             double             x,
             double             y,
             TlAlign            halign,
             double             pts[][2],
             guint              n,
             double             w,
             double             h,
             gboolean           must,
             cairo_rectangle_t *plate)
{
  static const double along[] = { 0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8 };

  w += 2 * PLATE_PAD;
  h += PLATE_PAD;
  *plate = (cairo_rectangle_t) { x - PLATE_PAD, y - h / 2, w, h };
  if (halign == TL_ALIGN_CENTER)
    plate->x -= w / 2 - PLATE_PAD;
  else if (halign == TL_ALIGN_END)
    plate->x -= w - 2 * PLATE_PAD;
  for (guint k = 0; !place_free (pl, plate); k++)
    {
      double px, py;

      if (n == 0 || k >= G_N_ELEMENTS (along) * 4)
        {
          /* A lit edge's label must show: the free place nearest its edge's
           * middle, in rings of half a line. */
          double mx = n > 0 ? pts[n / 2][0] : x, my = n > 0 ? pts[n / 2][1] : y;

          for (int ring = 1; must && ring < 24; ring++)
            for (int i = -ring; i <= ring; i++)
              for (int j = -ring; j <= ring; j++)
                {
                  if (MAX (ABS (i), ABS (j)) != ring)
                    continue;
                  *plate = (cairo_rectangle_t) { mx + i * h * 0.75 - w / 2, my + j * h * 0.5 - h / 2,
                                                 w, h };
                  if (place_free (pl, plate))
                    {
                      g_array_append_val (pl->taken, *plate);
                      return TRUE;
                    }
                }
          return FALSE;
        }
      px = pts[(guint) (along[k / 4] * (n - 1))][0];
      py = pts[(guint) (along[k / 4] * (n - 1))][1];
      switch (k % 4)
        {
        case 0: *plate = (cairo_rectangle_t) { px + 6, py - h / 2, w, h }; break;
        case 1: *plate = (cairo_rectangle_t) { px - 6 - w, py - h / 2, w, h }; break;
        case 2: *plate = (cairo_rectangle_t) { px - w / 2, py - h - 4, w, h }; break;
        default: *plate = (cairo_rectangle_t) { px - w / 2, py + 4, w, h }; break;
        }
    }
  g_array_append_val (pl->taken, *plate);
  return TRUE;
}

/* A host's line of the legend: its name and its state, or with named
 * FALSE its name alone (its token in its box says the state). */
static char *
legend_text (const TlTrace   *trace,
             const TlWorld   *world,
             const HostToken  tokens[2],
             guint            h,
             gboolean         named)
{
  g_autofree char *name = tl_render_host_name (trace, h);

  if (!named)
    return g_steal_pointer (&name);
  if (world->crashed[h])
    /* TRANSLATORS: the legend of the diagram: host name, "crashed" */
    return g_strdup_printf (_("%s: crashed"), name);
  if (tokens[h].inferred)
    /* TRANSLATORS: the legend of the diagram: host name and its state, which
     * an imported capture infers (no segment confirms it) */
    return g_strdup_printf (_("%s: %s (inferred)"), name, tl_state_name (tokens[h].state));
  /* TRANSLATORS: the legend of the diagram: host name and its state */
  return g_strdup_printf (_("%s: %s"), name, tl_state_name (tokens[h].state));
}

/* A count's badge at the top right corner of its box, mostly above it so
 * that the state's name stays clear. */
static void
badge_rect (TlPainter         *p,
            const Layout      *L,
            guint              box,
            guint              count,
            cairo_rectangle_t *badge)
{
  char number[16];
  cairo_rectangle_t r;
  double w, h;

  g_snprintf (number, sizeof number, "%u", count);
  tl_painter_measure (p, number, L->label_px, TRUE, &w, &h);
  box_rect (L, box, &r);
  badge->width = w + L->label_px * 0.8;
  badge->height = h;
  badge->x = r.x + r.width - badge->width - L->label_px * 0.3;
  badge->y = r.y - h * 0.7;
}

/* counts: a socket table's (tl_render_diagram_counts), whose badges the
 * edges' labels make way for; else NULL. */
static void
places_init (Places          *pl,
             TlPainter       *p,
             const TlTrace   *trace,
             const TlWorld   *world,
             const HostToken  tokens[2],
             const guint     *counts,
             double           width,
             double           height)
{
  const Layout *L = &pl->L;
  double pts[EDGE_STEPS + 1][2];

  memset (pl, 0, sizeof *pl);
  layout_init (&pl->L, p, width, height);
  pl->width = width;
  pl->height = height;
  pl->taken = g_array_new (FALSE, FALSE, sizeof (cairo_rectangle_t));
  for (guint b = 0; b < N_BOXES; b++)
    {
      box_rect (L, b, &pl->boxes[b]);
      pl->boxes[b].x -= 2;
      pl->boxes[b].y -= 2;
      pl->boxes[b].width += 4;
      pl->boxes[b].height += 4;
    }

  for (guint st = 0; counts != NULL && st < TL_N_STATES; st++)
    if (counts[st] > 0)
      {
        badge_rect (p, L, st, counts[st], &pl->badge[st]);
        g_array_append_val (pl->taken, pl->badge[st]);
      }

  /* No label over an arrow's head (where the class reads which way an
   * edge goes), at the size a lit edge's head has, so that lighting never
   * moves a label. */
  for (guint i = 0; i < N_EDGES; i++)
    {
      guint n = edge_points (L, &edges[i], pts);
      cairo_rectangle_t head;

      if (n < 2)
        continue;
      tl_render_arrowhead_rect (pts[n - 1][0], pts[n - 1][1], pts[n - 1][0] - pts[n - 2][0],
                                pts[n - 1][1] - pts[n - 2][1], lit_head_px (L), &head);
      g_array_append_val (pl->taken, head);
    }

  /* The legend, which says whose colour is whose: in the top left corner,
   * else the top right one, the hosts' states beside their names if they
   * fit there, else their names alone; the names always (a socket table's
   * counts have no hosts: no legend). */
  for (guint t = 0; trace != NULL && t < 5 && !pl->legend_shown; t++)
    {
      gboolean named = t < 2, right = t % 2 == 1, fits = TRUE;

      for (guint h = 0; h < 2; h++)
        {
          g_autofree char *text = legend_text (trace, world, tokens, h, named);
          double w, th;

          tl_painter_measure (p, text, L->label_px, TRUE, &w, &th);
          w += 2 * L->token_r + 8;
          pl->legend[h] = (cairo_rectangle_t) { right ? width - 4 - w : 4, 4 + h * th * 1.15, w, th };
          fits = fits && place_free (pl, &pl->legend[h]);
        }
      /* the last try, the names on the left, whatever they meet */
      if (fits || t == 4)
        {
          pl->legend_shown = TRUE;
          pl->legend_named = named;
          for (guint h = 0; h < 2; h++)
            g_array_append_val (pl->taken, pl->legend[h]);
        }
    }

  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < N_EDGES; i++)
      {
        const Edge *edge = &edges[i];
        gboolean lit = (tokens[0].lit && tokens[0].edge == edge) ||
                       (tokens[1].lit && tokens[1].edge == edge);
        double w, h;
        guint n;

        if (lit != (pass == 0))
          continue;
        /* Room for the bold, lit label, so that lighting never moves it. */
        tl_painter_measure (p, _(edge->label), L->label_px, TRUE, &w, &h);
        n = edge_points (L, edge, pts);
        pl->shown[i] = place_label (pl, lx_of (L, edge->lx), ly_of (L, edge->ly), edge->halign,
                                    pts, n, w, h, lit, &pl->plate[i]);
      }
  for (guint h = 0; h < 2; h++)
    if (tokens[h].lit && tokens[h].edge == NULL)
      {
        const TlRecord *rec = &tokens[h].rec;
        double x0 = lx_of (L, box_pos[rec->u.state.from].x), y0 = ly_of (L, box_pos[rec->u.state.from].y);
        double x1 = lx_of (L, box_pos[rec->u.state.to].x), y1 = ly_of (L, box_pos[rec->u.state.to].y);
        double w, th;

        for (guint k = 0; k <= EDGE_STEPS; k++)
          {
            pts[k][0] = x0 + (x1 - x0) * k / EDGE_STEPS;
            pts[k][1] = y0 + (y1 - y0) * k / EDGE_STEPS;
          }
        tl_painter_measure (p, cause_label (rec->u.state.cause), L->label_px, TRUE, &w, &th);
        pl->cause_shown[h] = place_label (pl, (x0 + x1) / 2 + 8, (y0 + y1) / 2, TL_ALIGN_START,
                                          pts, EDGE_STEPS + 1, w, th, TRUE, &pl->cause_plate[h]);
      }
}

static void
places_clear (Places *pl)
{
  g_clear_pointer (&pl->taken, g_array_unref);
}

static void
draw_box (TlPainter    *p,
          const Layout *L,
          guint         box,
          gboolean      occupied)
{
  const char *name = tl_state_name (box == BOX_CLOSED_END ? TL_STATE_CLOSED : box);
  cairo_t *cr = p->cr;
  cairo_rectangle_t r;

  box_rect (L, box, &r);
  tl_painter_round_rect (p, r.x, r.y, r.width, r.height, MIN (14 * L->s, r.height / 3));
  tl_painter_set_rgb (p, &p->pal->panel, 1.0);
  cairo_fill_preserve (cr);
  tl_painter_cover (p, r.x, r.y, r.width, r.height);
  tl_painter_set_rgb (p, occupied ? &p->pal->ink : &p->pal->edge, 1.0);
  cairo_set_line_width (cr, occupied ? MAX (3.0, L->line_w * 2) : L->line_w);
  cairo_stroke (cr);
  tl_painter_set_rgb (p, &p->pal->ink, 1.0);
  p->kind = TL_LABEL_STATE;
  tl_painter_text (p, name, r.x + r.width / 2, r.y + r.height / 2, L->name_px, TRUE,
                   TL_ALIGN_CENTER, TL_ALIGN_CENTER, NULL, NULL);
  p->kind = TL_LABEL_TEXT;
}

static void
draw_edge (TlPainter    *p,
           const Layout *L,
           const Edge   *edge,
           const TlRgb  *lit)
{
  cairo_t *cr = p->cr;
  double pts[EDGE_STEPS + 1][2];
  guint n = edge_points (L, edge, pts);

  if (n < 2)
    return;
  tl_painter_set_rgb (p, lit != NULL ? lit : &p->pal->edge, 1.0);
  cairo_set_line_width (cr, lit != NULL ? MAX (4.0, L->line_w * 2.5) : L->line_w);
  cairo_new_path (cr);
  cairo_move_to (cr, pts[0][0], pts[0][1]);
  for (guint i = 1; i < n; i++)
    cairo_line_to (cr, pts[i][0], pts[i][1]);
  cairo_stroke (cr);
  tl_painter_arrowhead (p, pts[n - 1][0], pts[n - 1][1], pts[n - 1][0] - pts[n - 2][0],
                        pts[n - 1][1] - pts[n - 2][1],
                        lit != NULL ? lit_head_px (L) : MAX (10.0, 14 * L->s));
}

static void
draw_plate_label (TlPainter               *p,
                  const Layout            *L,
                  const cairo_rectangle_t *plate,
                  const char              *text,
                  const TlRgb             *lit)
{
  tl_painter_set_rgb (p, &p->pal->bg, 1.0);
  cairo_rectangle (p->cr, plate->x, plate->y, plate->width, plate->height);
  cairo_fill (p->cr);
  tl_painter_cover (p, plate->x, plate->y, plate->width, plate->height);
  tl_painter_set_rgb (p, lit != NULL ? lit : &p->pal->muted, 1.0);
  tl_painter_text (p, text, plate->x + PLATE_PAD, plate->y + plate->height / 2, L->label_px,
                   lit != NULL, TL_ALIGN_START, TL_ALIGN_CENTER, NULL, NULL);
}

/* A change Figure 5 does not draw (an abort, a reset, a timeout): a dashed
 * line straight from box to box, named by its cause. */
static void
draw_off_figure_change (TlPainter      *p,
                        const Places   *pl,
                        guint           h,
                        const TlRecord *rec,
                        const TlRgb    *lit)
{
  const Layout *L = &pl->L;
  cairo_t *cr = p->cr;
  double x0 = lx_of (L, box_pos[rec->u.state.from].x), y0 = ly_of (L, box_pos[rec->u.state.from].y);
  double x1 = lx_of (L, box_pos[rec->u.state.to].x), y1 = ly_of (L, box_pos[rec->u.state.to].y);
  double dashes[] = { 14, 10 };
  cairo_rectangle_t to;
  double ex = x1, ey = y1;

  if (hypot (x1 - x0, y1 - y0) < 1)
    return;
  /* Stop at the target box's edge. */
  box_rect (L, rec->u.state.to, &to);
  for (guint k = EDGE_STEPS; k > 0 && in_rect (&to, ex, ey); k--)
    {
      ex = x0 + (x1 - x0) * k / EDGE_STEPS;
      ey = y0 + (y1 - y0) * k / EDGE_STEPS;
    }
  tl_painter_set_rgb (p, lit, 1.0);
  cairo_set_line_width (cr, MAX (4.0, L->line_w * 2.5));
  cairo_set_dash (cr, dashes, 2, 0);
  cairo_move_to (cr, x0, y0);
  cairo_line_to (cr, ex, ey);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  tl_painter_arrowhead (p, ex, ey, x1 - x0, y1 - y0, lit_head_px (L));
  if (pl->cause_shown[h])
    draw_plate_label (p, L, &pl->cause_plate[h], cause_label (rec->u.state.cause), lit);
}

/* A token, filled; an inferred state's token is a dashed ring: the capture
 * does not show the host in it. */
static void
draw_token (TlPainter   *p,
            double       x,
            double       y,
            double       r,
            const TlRgb *colour,
            gboolean     crashed,
            gboolean     inferred)
{
  cairo_t *cr = p->cr;

  cairo_new_path (cr);
  cairo_arc (cr, x, y, r, 0, 2 * G_PI);
  if (inferred && !crashed)
    {
      double dash = MAX (3.0, r * 0.5);

      tl_painter_set_rgb (p, &p->pal->bg, 1.0);
      cairo_fill_preserve (cr);
      tl_painter_set_rgb (p, colour, 1.0);
      cairo_set_line_width (cr, MAX (2.0, r * 0.3));
      cairo_set_dash (cr, &dash, 1, 0);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
      return;
    }
  tl_painter_set_rgb (p, crashed ? &p->pal->muted : colour, 1.0);
  cairo_fill_preserve (cr);
  tl_painter_set_rgb (p, &p->pal->bg, 1.0);
  cairo_set_line_width (cr, 2.0);
  cairo_stroke (cr);
}

/* The real run's tokens (TlRenderStyle's real_trace): a ring in the host's
 * colour at the place the simulation's token takes in that state, so a ring
 * around a filled token says "both runs are here", a ring alone "the kernel
 * is here, the simulation is not".  No glide: the real run is only read. */
static void
draw_real_tokens (TlPainter    *p,
                  const Layout *L,
                  const TlTrace *real,
                  gint64        time_us)
{
  TlWorld world;
  HostToken tokens[2];

  tl_world_init (&world);
  tl_trace_world_at (real, time_us, &world);
  find_tokens (real, &world, tokens);
  for (guint h = 0; h < 2; h++)
    {
      cairo_rectangle_t r;
      double x, y;

      box_rect (L, tokens[h].box, &r);
      x = h == 0 ? r.x + L->token_r * 1.4 : r.x + r.width - L->token_r * 1.4;
      y = r.y + r.height / 2;
      tl_render_real_token (p, x, y, L->token_r, &p->pal->host[h], world.crashed[h]);
    }
  tl_world_clear (&world);
}

static void
draw_legend (TlPainter       *p,
             const Places    *pl,
             const TlTrace   *trace,
             const TlWorld   *world,
             const HostToken  tokens[2])
{
  if (!pl->legend_shown)
    return;
  for (guint h = 0; h < 2; h++)
    {
      g_autofree char *text = legend_text (trace, world, tokens, h, pl->legend_named);
      const cairo_rectangle_t *r = &pl->legend[h];

      draw_token (p, r->x + pl->L.token_r, r->y + r->height / 2, pl->L.token_r,
                  &p->pal->host[h], world->crashed[h], tokens[h].inferred);
      tl_painter_set_rgb (p, &p->pal->host[h], 1.0);
      tl_painter_text (p, text, r->x + 2 * pl->L.token_r + 8, r->y + r->height / 2,
                       pl->L.label_px, TRUE, TL_ALIGN_START, TL_ALIGN_CENTER, NULL, NULL);
    }
}

static gboolean
edge_lit (const HostToken  tokens[2],
          const Edge      *edge)
{
  return (tokens[0].lit && tokens[0].edge == edge) || (tokens[1].lit && tokens[1].edge == edge);
}

/* The figure as it stands with no token on it: the ground, every edge
 * unlit, every box empty.  The edges' labels, lit edges and occupied boxes
 * are drawn over it. */
static void
draw_figure (TlPainter    *p,
             const Places *pl)
{
  cairo_t *cr = p->cr;

  cairo_save (cr);
  tl_painter_background (p, pl->width, pl->height);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint i = 0; i < N_EDGES; i++)
    draw_edge (p, &pl->L, &edges[i], NULL);
  for (guint s = 0; s < N_BOXES; s++)
    draw_box (p, &pl->L, s, FALSE);
  cairo_restore (cr);
}

/* The labels of the edges not lit that have room: which have room depends
 * on the edges lit (whose labels they make way for), so they are drawn in
 * each frame over the figure, not kept in it. */
static void
draw_unlit_labels (TlPainter       *p,
                   const Places    *pl,
                   const HostToken  tokens[2])
{
  for (guint i = 0; i < N_EDGES; i++)
    if (pl->shown[i] && !edge_lit (tokens, &edges[i]))
      draw_plate_label (p, &pl->L, &pl->plate[i], _(edges[i].label), NULL);
}

/* The empty figure is most of a frame's work (twenty curves, twelve boxes)
 * and the same in every frame, so on an image surface it is drawn once and
 * copied: a frame then costs a blit, the edges' labels and the few things
 * that move.  Each thread keeps the figures of its last two sizes (the
 * diagram alone and in the "all" view), keyed by all a figure depends on:
 * size, style and the language its boxes' names are in.  (Keyed also by
 * the edges lit, with the labels in it, the figure was drawn again at every
 * state change: a frame of 5 ms.) */
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
         figure->font_scale == style->font_scale &&
         g_strcmp0 (figure->language, language) == 0;
}

static gboolean
paint_cached_figure (TlPainter    *p,
                     const Places *pl)
{
  cairo_t *cr = p->cr;
  cairo_surface_t *target = cairo_get_target (cr);
  FigureCache *cache = g_private_get (&figure_cache_key);
  const char *language = _(edges[0].label);
  CachedFigure *figure = NULL;
  cairo_matrix_t m;
  cairo_format_t format;
  int w = (int) pl->width, h = (int) pl->height;

  /* Only where copying pixels gives the same pixels: an image, at whole
   * pixels, unscaled.  Vector files and scaled views are drawn in full, and
   * so is a figure whose labels are being listed. */
  cairo_get_matrix (cr, &m);
  if (p->style->labels != NULL || p->style->marks != NULL ||
      cairo_surface_get_type (target) != CAIRO_SURFACE_TYPE_IMAGE ||
      m.xx != 1.0 || m.yy != 1.0 || m.xy != 0.0 || m.yx != 0.0 ||
      m.x0 != floor (m.x0) || m.y0 != floor (m.y0) || w != pl->width || h != pl->height)
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
      tl_painter_init (&painter, fcr, p->style, pl->width, pl->height);
      draw_figure (&painter, pl);
      tl_painter_clear (&painter);
      cairo_destroy (fcr);
    }
  figure->used = ++cache->frames;

  cairo_save (cr);
  cairo_set_operator (cr, CAIRO_OPERATOR_SOURCE);
  cairo_set_source_surface (cr, figure->surface, 0, 0);
  cairo_rectangle (cr, 0, 0, pl->width, pl->height);
  cairo_fill (cr);
  cairo_restore (cr);
  return TRUE;
}

/* The colours of the four roles (TlRole bits, in order): the openers in the
 * hosts' colours, as the client usually opens actively and the server
 * passively; the closers, either side, in two colours of their own. */
static void
role_colour (const TlPainter *p,
             guint            role_index,
             TlRgb           *rgb)
{
  static const TlRgb closers[2][2] = {
    { { 0.082, 0.502, 0.239 }, { 0.659, 0.133, 0.522 } },   /* light */
    { { 0.290, 0.871, 0.502 }, { 0.957, 0.447, 0.714 } },   /* dark */
  };

  if (role_index < 2)
    *rgb = p->pal->host[role_index];
  else
    *rgb = closers[p->style->dark ? 1 : 0][role_index - 2];
}

static guint
edge_roles (const Edge *edge)
{
  return tl_state_edge_roles (edge->from,
                              edge->to_box == BOX_CLOSED_END ? TL_STATE_CLOSED : edge->to_box);
}

/* Every edge in the colour of the first role that takes it, dashed over
 * with the second's where two roles take it (simultaneous open), and its
 * label (where the figure has room for it) in the first. */
static void
draw_role_edges (TlPainter    *p,
                 const Places *pl)
{
  cairo_t *cr = p->cr;
  double dashes[] = { 12, 12 };

  for (guint i = 0; i < N_EDGES; i++)
    {
      guint roles = edge_roles (&edges[i]);
      guint n = 0;

      for (guint r = 0; r < TL_N_ROLES && n < 2; r++)
        if (roles & (1u << r))
          {
            TlRgb rgb;

            role_colour (p, r, &rgb);
            if (n == 1)
              cairo_set_dash (cr, dashes, 2, 0);
            draw_edge (p, &pl->L, &edges[i], &rgb);
            cairo_set_dash (cr, NULL, 0, 0);
            n++;
          }
    }
  for (guint s = 0; s < N_BOXES; s++)
    draw_box (p, &pl->L, s, FALSE);
  for (guint i = 0; i < N_EDGES; i++)
    {
      guint roles = edge_roles (&edges[i]);
      guint r = 0;
      TlRgb rgb;

      while (r < TL_N_ROLES - 1 && !(roles & (1u << r)))
        r++;
      role_colour (p, r, &rgb);
      if (pl->shown[i])
        draw_plate_label (p, &pl->L, &pl->plate[i], _(edges[i].label), &rgb);
    }
}

/* The roles' legend, short, under the hosts' legend in the top left corner. */
static const char *const role_legend[TL_N_ROLES] = {
  N_("connect(): opens (client)"),
  N_("listen(): opens (server)"),
  N_("closes first (either)"),
  N_("closes second (either)"),
};

static void
draw_role_legend (TlPainter    *p,
                  const Places *pl)
{
  const Layout *L = &pl->L;
  cairo_t *cr = p->cr;
  double top = pl->legend_shown ? pl->legend[1].y + pl->legend[1].height * 1.6 : 6;

  for (guint r = 0; r < TL_N_ROLES; r++)
    {
      double w, h, y;
      TlRgb rgb;

      tl_painter_measure (p, _(role_legend[r]), L->label_px, TRUE, &w, &h);
      y = top + h * 1.15 * r + h / 2;
      tl_painter_set_rgb (p, &p->pal->bg, 0.9);
      cairo_rectangle (cr, 4, y - h / 2, 2 * L->token_r + 12 + w, h);
      cairo_fill (cr);
      role_colour (p, r, &rgb);
      tl_painter_set_rgb (p, &rgb, 1.0);
      cairo_set_line_width (cr, MAX (4.0, L->line_w * 2.5));
      cairo_move_to (cr, 6, y);
      cairo_line_to (cr, 6 + 2 * L->token_r, y);
      cairo_stroke (cr);
      tl_painter_text (p, _(role_legend[r]), 2 * L->token_r + 12, y, L->label_px, TRUE,
                       TL_ALIGN_START, TL_ALIGN_CENTER, NULL, NULL);
    }
}

/* The state being explained: every edge in or out of it lit in the accent
 * colour (an edge into CLOSED counts for both CLOSED boxes), and its box
 * ringed. */
static void
draw_explained (TlPainter    *p,
                const Places *pl,
                TlState       state)
{
  const Layout *L = &pl->L;
  cairo_t *cr = p->cr;

  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < N_EDGES; i++)
      {
        guint to = edges[i].to_box == BOX_CLOSED_END ? TL_STATE_CLOSED : edges[i].to_box;

        if (edges[i].from != state && to != state)
          continue;
        if (pass == 0)
          draw_edge (p, L, &edges[i], &p->pal->accent);
        else if (pl->shown[i])
          draw_plate_label (p, L, &pl->plate[i], _(edges[i].label), &p->pal->accent);
      }
  for (guint b = 0; b < N_BOXES; b++)
    {
      cairo_rectangle_t r;

      if ((b == BOX_CLOSED_END ? TL_STATE_CLOSED : b) != state)
        continue;
      draw_box (p, L, b, TRUE);
      box_rect (L, b, &r);
      tl_painter_round_rect (p, r.x - 5, r.y - 5, r.width + 10, r.height + 10,
                             MIN (18 * L->s, (r.height + 10) / 3));
      tl_painter_set_rgb (p, &p->pal->accent, 1.0);
      cairo_set_line_width (cr, MAX (4.0, L->line_w * 2.5));
      cairo_stroke (cr);
    }
}

/* The layout of the figure at this size and style, measured on a scratch
 * surface as the drawing measures its names. */
static void
measure_layout (double               width,
                double               height,
                const TlRenderStyle *style,
                Layout              *L)
{
  TlPainter painter;

  tl_painter_init_scratch (&painter, style, width, height);
  layout_init (L, &painter, width, height);
  tl_painter_clear_scratch (&painter);
}

int
tl_render_diagram_hit (double               width,
                       double               height,
                       const TlRenderStyle *style,
                       double               x,
                       double               y)
{
  Layout L;

  g_return_val_if_fail (style != NULL, -1);

  measure_layout (width, height, style, &L);
  for (guint b = 0; b < N_BOXES; b++)
    {
      cairo_rectangle_t r;

      box_rect (&L, b, &r);
      if (in_rect (&r, x, y))
        return b == BOX_CLOSED_END ? TL_STATE_CLOSED : (int) b;
    }
  return -1;
}

void
tl_render_diagram_box (TlState              state,
                       double               width,
                       double               height,
                       const TlRenderStyle *style,
                       cairo_rectangle_t   *rect)
{
  Layout L;

  g_return_if_fail ((guint) state < TL_N_STATES);
  g_return_if_fail (style != NULL);

  measure_layout (width, height, style, &L);
  box_rect (&L, state, rect);
}

void
tl_render_diagram_world (TlPainter     *p,
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
  Places pl;
  const Layout *L = &pl.L;

  find_tokens (trace, world, tokens);
  places_init (&pl, p, trace, world, tokens, NULL, width, height);
  if (!paint_cached_figure (p, &pl))
    draw_figure (p, &pl);
  draw_unlit_labels (p, &pl, tokens);

  /* What changes from frame to frame, over the figure. */
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  if (style->role_colours)
    draw_role_edges (p, &pl);
  for (guint h = 0; h < 2; h++)
    if (tokens[h].lit && tokens[h].edge != NULL)
      {
        draw_edge (p, L, tokens[h].edge, &p->pal->host[h]);
        redraw[tokens[h].edge->from] = TRUE;
        redraw[tokens[h].edge->to_box] = TRUE;
      }
  for (guint h = 0; h < 2; h++)
    occupied[tokens[h].box] = redraw[tokens[h].box] = TRUE;
  for (guint s = 0; s < N_BOXES; s++)
    if (redraw[s])
      draw_box (p, L, s, occupied[s]);
  if (style->explained_state >= 0 && style->explained_state < TL_N_STATES)
    draw_explained (p, &pl, style->explained_state);
  for (guint h = 0; h < 2; h++)
    if (tokens[h].lit && tokens[h].edge != NULL && pl.shown[tokens[h].edge - edges])
      draw_plate_label (p, L, &pl.plate[tokens[h].edge - edges], _(tokens[h].edge->label),
                        &p->pal->host[h]);

  for (guint h = 0; h < 2; h++)
    if (tokens[h].lit && tokens[h].edge == NULL)
      draw_off_figure_change (p, &pl, h, &tokens[h].rec, &p->pal->host[h]);

  /* Each host's token at its own end of the box, the client's at the left as
   * in the ladder: two hosts in one state never hide each other. */
  for (guint h = 0; h < 2; h++)
    {
      double glide = CLAMP (style->glide[h], 0.0, 1.0);
      cairo_rectangle_t r;
      double x, y;

      box_rect (L, tokens[h].box, &r);
      x = h == 0 ? r.x + L->token_r * 1.4 : r.x + r.width - L->token_r * 1.4;
      y = r.y + r.height / 2;
      /* On its way: along the edge just taken, if it leads to the token's box. */
      if (glide < 1.0 && tokens[h].lit && tokens[h].edge != NULL &&
          tokens[h].edge->to_box == tokens[h].box)
        bezier_at (L, tokens[h].edge, glide, &x, &y);
      draw_token (p, x, y, L->token_r, &p->pal->host[h], world->crashed[h], tokens[h].inferred);
    }
  if (style->real_trace != NULL)
    draw_real_tokens (p, L, style->real_trace, world->time_us);

  draw_legend (p, &pl, trace, world, tokens);
  if (style->role_colours)
    draw_role_legend (p, &pl);
  places_clear (&pl);
}

/* A socket table's count in state's box: the box shaded by its share of
 * the largest count (on a logarithmic scale, so that 3 CLOSE_WAIT still
 * show beside 10,000 ESTABLISHED), its name, and the number on its badge. */
static void
draw_count_box (TlPainter               *p,
                const Layout            *L,
                guint                    box,
                guint                    count,
                guint                    max_count,
                const cairo_rectangle_t *badge)
{
  cairo_t *cr = p->cr;
  double shade = 0.15 + 0.45 * log1p (count) / log1p (MAX (max_count, 1));
  const TlRgb *panel = &p->pal->panel, *accent = &p->pal->accent;
  TlRgb fill = { panel->r + (accent->r - panel->r) * shade,
                 panel->g + (accent->g - panel->g) * shade,
                 panel->b + (accent->b - panel->b) * shade };
  char number[16];
  cairo_rectangle_t r;

  box_rect (L, box, &r);
  tl_painter_round_rect (p, r.x, r.y, r.width, r.height, MIN (14 * L->s, r.height / 3));
  tl_painter_set_rgb (p, &fill, 1.0);
  cairo_fill_preserve (cr);
  tl_painter_cover (p, r.x, r.y, r.width, r.height);
  tl_painter_set_rgb (p, &p->pal->ink, 1.0);
  cairo_set_line_width (cr, MAX (3.0, L->line_w * 2));
  cairo_stroke (cr);
  p->kind = TL_LABEL_STATE;
  tl_painter_text (p, tl_state_name (box), r.x + r.width / 2, r.y + r.height / 2, L->name_px,
                   TRUE, TL_ALIGN_CENTER, TL_ALIGN_CENTER, NULL, NULL);
  p->kind = TL_LABEL_TEXT;

  g_snprintf (number, sizeof number, "%u", count);
  tl_painter_round_rect (p, badge->x, badge->y, badge->width, badge->height, badge->height / 2);
  tl_painter_set_rgb (p, &p->pal->ink, 1.0);
  cairo_fill (cr);
  tl_painter_cover (p, badge->x, badge->y, badge->width, badge->height);
  tl_painter_set_rgb (p, &p->pal->bg, 1.0);
  tl_painter_text (p, number, badge->x + badge->width / 2, badge->y + badge->height / 2,
                   L->label_px, TRUE, TL_ALIGN_CENTER, TL_ALIGN_CENTER, NULL, NULL);
}

static void
draw_counts (TlPainter   *p,
             const guint  counts[TL_N_STATES],
             double       width,
             double       height)
{
  HostToken tokens[2];
  guint max_count = 0;
  Places pl;

  /* The edges' labels make way for the badges, so the figure is drawn in
   * full, not copied from the cache (once a second, for a live table). */
  memset (tokens, 0, sizeof tokens);
  places_init (&pl, p, NULL, NULL, tokens, counts, width, height);
  draw_figure (p, &pl);
  draw_unlit_labels (p, &pl, tokens);
  for (guint s = 0; s < TL_N_STATES; s++)
    max_count = MAX (max_count, counts[s]);
  for (guint s = 0; s < TL_N_STATES; s++)
    if (counts[s] > 0)
      draw_count_box (p, &pl.L, s, counts[s], max_count, &pl.badge[s]);
  places_clear (&pl);
}

void
tl_render_diagram_counts (cairo_t             *cr,
                          const guint          counts[TL_N_STATES],
                          double               width,
                          double               height,
                          const TlRenderStyle *style)
{
  TlPainter painter;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (counts != NULL);
  g_return_if_fail (style != NULL);

  if (width < 1 || height < 1)
    return;
  cairo_save (cr);
  tl_painter_init (&painter, cr, style, width, height);
  draw_counts (&painter, counts, width, height);
  tl_painter_clear (&painter);
  cairo_restore (cr);
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

  tl_render_world_view (cr, trace, time_us, width, height, style, tl_render_diagram_world, NULL);
}
