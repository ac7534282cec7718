/* tl-render-ladder.c: the ladder (time-sequence) diagram: a timeline per
 * host, time going down, each segment an arrow from its sending to its
 * arrival, a window of time that scrolls with the playhead (keeping at
 * least the last LAST_EVENTS events in view, or the whole lesson if it
 * fits), or that the user zoomed and scrolled (TlRenderStyle.ladder_*).
 * An overview strip at the right shows the whole lesson: the window, the
 * pauses and the playhead.  A flood's segments (from or to spoofed
 * addresses) are drawn as a band with a count; the real hosts' segments
 * stay arrows.
 *
 * Cost is bounded by the view, not the trace: the visible records are found
 * by binary search (tl_trace_records_until).  When they are too many for
 * the pixels (a flood), the flood's segments are counted into their bands
 * from a summary of each block of records (TraceFacts), the two hosts' own
 * events are found in an index of them and drawn one by one (or, if they
 * too are thousands, sampled into thin unlabelled lines), and the flood's
 * state changes are sampled a few per pixel row, again by binary search.
 */
#include "tl-config.h"

#include "tl-render-private.h"
#include "tl-trace-compare.h"

#include <arpa/inet.h>

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

/* The playhead sits this far down the window once the window scrolls. */
#define PLAYHEAD_AT  0.8
/* Following the playhead, the window keeps at least this many events; a
 * short ladder (TlRenderStyle.ladder_view_h) one per EVENT_LINES lines of
 * its text, at least MIN_EVENTS. */
#define LAST_EVENTS  8
#define MIN_EVENTS   2
#define EVENT_LINES  2.0
/* More records than this in the window: a flood.  Its segments are drawn
 * as bands (from FloodBlock), the hosts' own events one by one if there are
 * at most OWN_RECORDS of them, and its other records by sampling. */
#define DENSE_RECORDS 400
#define OWN_RECORDS   200
/* In a flood: one sample per this many pixels, looking at most this many
 * records from each sample's start. */
#define DENSE_ROW_PX  6.0
#define DENSE_LOOK    24
/* A click in a flood reads at most this many records around its time. */
#define HIT_LOOK      (1u << 17)
/* Stepping the playhead through a flood: at most one stop per this share
 * of the ladder's window (a line of text), besides each of the hosts' own
 * events (tl_render_ladder_step_time). */
#define FLOOD_STEPS   40
/* A state's name beside its timeline: at least this far from the line (an
 * arrowhead's width from it, g->note_gap), at most this
 * share of the view's width on each side (a narrow ladder shrinks them). */
#define NOTE_GAP_PX   10.0
#define NOTE_MARGIN   6.0
#define NOTE_SHARE    0.36

typedef struct
{
  double  width, height, font_px;
  double  note_px;          /* the size of the states' names */
  double  note_gap;         /* their distance from their timeline */
  double  label_px;         /* the size of segments' labels and the time scale */
  double  title_px;         /* the size of the hosts' names over their timelines */
  double  title_x[2];       /* where each name is centred */
  double  addr_y;           /* the top of the addresses under the names */
  double  header_bottom;    /* the bottom of the addresses */
  double  strip_x, strip_w; /* the overview strip at the right */
  gboolean numbered[2];     /* the host made several connections: notes say which */
  double  top, bottom;      /* the timelines' extent */
  double  x[2];             /* the two timelines */
  gint64  time_us;          /* the playhead */
  gint64  t0;               /* the window's first instant */
  gint64  span_us;          /* its length */
  gint64  delay_us;         /* the link's one-way delay, for the slope of lost segments */
  guint   lo, hi;           /* records [lo, hi) may show */
  gboolean dense;
  /* When dense: the hosts' own events among them, TraceFacts.own[own_lo,
   * own_hi); texture: too many to draw one by one, they are sampled too. */
  guint   own_lo, own_hi;
  gboolean texture;
} Geom;

typedef struct
{
  double   x0, y0;          /* where it left */
  double   x1, y1;          /* where it is drawn to: arrival, loss, or now */
  double   xe, ye;          /* where it ends: arrival or loss, even if later than now */
  gboolean in_flight;
  gboolean lost;
  gboolean discarded;
} SegGeom;

/* The size of a segment's arrowhead. */
static double
head_px (const Geom *g)
{
  return g->font_px * 0.75;
}

static double
y_of (const Geom *g,
      gint64      time_us)
{
  return g->top + (double) (time_us - g->t0) / g->span_us * (g->bottom - g->top);
}

static gint64
time_of (const Geom *g,
         double      y)
{
  return g->t0 + (gint64) ((y - g->top) / (g->bottom - g->top) * g->span_us);
}

/* The link's delay, from the first segment that arrived: one value for the
 * whole trace, so the window's scale does not jump while playing. */
static gint64
nominal_delay (const TlTrace *trace)
{
  guint n = MIN (tl_trace_n_records (trace), 4096);

  for (guint i = 0; i < n; i++)
    {
      const TlRecord *rec = tl_trace_record (trace, i);

      if (rec->kind == TL_REC_SEGMENT && rec->u.seg.fate == TL_FATE_DELIVERED &&
          rec->u.seg.delay_us > 0)
        return rec->u.seg.delay_us;
    }
  return 50 * TL_USEC_PER_MSEC;
}

/* An event of the two hosts' own connections, which the ladder draws one by
 * one even in a flood: a segment between them (not to or from a flood's
 * spoofed address), a state change of a listener or of a connection between
 * them, a crash or a reboot. */
static gboolean
own_event (const TlTrace  *trace,
           const TlRecord *rec)
{
  const TlTraceConn *conn;

  switch ((TlRecordKind) rec->kind)
    {
    case TL_REC_SEGMENT:
      return tl_trace_segment_peer (trace, rec->u.seg.id) == 0;
    case TL_REC_STATE:
      if (rec->conn == TL_NO_CONN)
        return TRUE;
      conn = tl_trace_conn (trace, rec->conn);
      return conn->listener
             || conn->remote_addr == tl_trace_host_addr (trace, 1 - (conn->host & 1));
    case TL_REC_HOST:
      return TRUE;
    case TL_REC_ARRIVE:
    case TL_REC_TIMER:
    case TL_REC_APP:
    case TL_REC_LINK:
    case TL_REC_QUEUES:
    case TL_REC_CWND:
    case TL_REC_SAY:
    case TL_REC_PAUSE:
    case TL_REC_END:
      break;
    }
  return FALSE;
}

/* A flood's segments sent by one host in a block of FLOOD_BLOCK records, in
 * short: a window full of them is drawn as bands from these, and only the
 * blocks at its edges are read record by record. */
#define FLOOD_BLOCK 512

typedef struct
{
  guint32 first, last;        /* the first and last one's record; G_MAXUINT32: none */
  gint64  first_us, last_us;  /* their times (reading a record of each block is a cache miss) */
  guint32 count;
  guint8  flags_or, flags_and;
  gint64  max_gap_us;         /* the longest time between two in the block */
  gint64  min_end_us;         /* the earliest and latest arrival (or loss) */
  gint64  max_end_us;
} FloodBlock;

/* What the ladder needs of the whole trace, found once per trace (a scan of
 * every record and connection: a flood's million would cost each frame):
 * the times of the lesson's pauses (for the overview strip), how many
 * connections each host made (host_conns), the records of the hosts' own
 * events (own_event) and a flood's blocks.  Kept per thread for the last
 * two traces drawn (the Real Linux view draws two in each frame). */
typedef struct
{
  const TlTrace *trace;
  guint          n_records;
  guint          n_conns;
  gint64         end_us;
  GArray        *times;       /* of gint64 */
  guint          host_conns[2];
  GArray        *own;         /* of guint32: record indices */
  GArray        *blocks;      /* of FloodBlock, two a block (by sending host); empty: no flood */
} TraceFacts;

typedef struct
{
  TraceFacts entry[2];        /* [0] the most recently used */
} FactsCache;

static void
facts_cache_free (gpointer data)
{
  FactsCache *cache = data;

  for (guint k = 0; k < G_N_ELEMENTS (cache->entry); k++)
    {
      g_clear_pointer (&cache->entry[k].times, g_array_unref);
      g_clear_pointer (&cache->entry[k].own, g_array_unref);
      g_clear_pointer (&cache->entry[k].blocks, g_array_unref);
    }
  g_free (cache);
}

static GPrivate trace_facts_key = G_PRIVATE_INIT (facts_cache_free);

static gboolean
facts_are_of (const TraceFacts *facts,
              const TlTrace    *trace)
{
  return facts->trace == trace && facts->n_records == tl_trace_n_records (trace)
         && facts->n_conns == tl_trace_n_conns (trace)
         && facts->end_us == tl_trace_end_time (trace);
}

static void
flood_block_add (FloodBlock     *fb,
                 guint           index,
                 const TlRecord *rec)
{
  gint64 end_us = rec->time_us + rec->u.seg.delay_us;

  if (fb->count == 0)
    {
      fb->first = index;
      fb->first_us = rec->time_us;
      fb->flags_or = fb->flags_and = rec->u.seg.flags;
      fb->min_end_us = fb->max_end_us = end_us;
    }
  else
    fb->max_gap_us = MAX (fb->max_gap_us, rec->time_us - fb->last_us);
  fb->last = index;
  fb->last_us = rec->time_us;
  fb->count++;
  fb->flags_or |= rec->u.seg.flags;
  fb->flags_and &= rec->u.seg.flags;
  fb->min_end_us = MIN (fb->min_end_us, end_us);
  fb->max_end_us = MAX (fb->max_end_us, end_us);
}

static void
facts_find (TraceFacts    *facts,
            const TlTrace *trace)
{
  guint n = tl_trace_n_records (trace);
  const FloodBlock none = { .first = G_MAXUINT32, .last = G_MAXUINT32 };
  gboolean flood = FALSE;

  facts->trace = trace;
  facts->n_records = n;
  facts->n_conns = tl_trace_n_conns (trace);
  facts->end_us = tl_trace_end_time (trace);
  g_array_set_size (facts->times, 0);
  g_array_set_size (facts->own, 0);
  g_array_set_size (facts->blocks, 0);
  for (guint i = 0; i < n; i++)
    {
      const TlRecord *rec = tl_trace_record (trace, i);

      if (rec->kind == TL_REC_PAUSE &&
          (facts->times->len == 0 ||
           g_array_index (facts->times, gint64, facts->times->len - 1) != rec->time_us))
        g_array_append_val (facts->times, rec->time_us);
      if (own_event (trace, rec))
        g_array_append_val (facts->own, i);
      else if (rec->kind == TL_REC_SEGMENT)
        {
          if (!flood)
            {
              /* blocks from the first record on, so that i / FLOOD_BLOCK is its block */
              g_array_set_size (facts->blocks, 2 * ((n + FLOOD_BLOCK - 1) / FLOOD_BLOCK));
              for (guint b = 0; b < facts->blocks->len; b++)
                g_array_index (facts->blocks, FloodBlock, b) = none;
              flood = TRUE;
            }
          flood_block_add (&g_array_index (facts->blocks, FloodBlock,
                                           2 * (i / FLOOD_BLOCK) + (rec->host & 1)),
                           i, rec);
        }
    }
  for (guint h = 0; h < 2; h++)
    facts->host_conns[h] = 0;
  /* Connections are numbered as they are created: the last one's
   * ordinal is the count. */
  for (guint i = 0; i < facts->n_conns; i++)
    {
      const TlTraceConn *conn = tl_trace_conn (trace, i);

      if (!conn->listener)
        facts->host_conns[conn->host & 1] = conn->ordinal;
    }
}

static const TraceFacts *
trace_facts (const TlTrace *trace)
{
  FactsCache *cache = g_private_get (&trace_facts_key);
  TraceFacts swap;

  if (cache == NULL)
    {
      cache = g_new0 (FactsCache, 1);
      for (guint k = 0; k < G_N_ELEMENTS (cache->entry); k++)
        {
          cache->entry[k].times = g_array_new (FALSE, FALSE, sizeof (gint64));
          cache->entry[k].own = g_array_new (FALSE, FALSE, sizeof (guint32));
          cache->entry[k].blocks = g_array_new (FALSE, FALSE, sizeof (FloodBlock));
        }
      g_private_set (&trace_facts_key, cache);
    }
  if (facts_are_of (&cache->entry[0], trace))
    return &cache->entry[0];
  /* The other entry becomes the most recent, found again if it is not of trace. */
  swap = cache->entry[0];
  cache->entry[0] = cache->entry[1];
  cache->entry[1] = swap;
  if (!facts_are_of (&cache->entry[0], trace))
    facts_find (&cache->entry[0], trace);
  return &cache->entry[0];
}

/* The first index k of the sorted records in own with own[k] >= index. */
static guint
own_lower_bound (const GArray *own,
                 guint         index)
{
  guint lo = 0, hi = own->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (own, guint32, mid) < index)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* A record of a flood rather than of the hosts' own connections: a segment
 * (or its arrival) to or from a spoofed address, or anything of a
 * connection with one (its state changes, timers, queues).  Only a trace
 * with a flood (TraceFacts.blocks) has any. */
static gboolean
flood_record (const TlTrace  *trace,
              const TlRecord *rec)
{
  const TlTraceConn *conn;

  if (trace_facts (trace)->blocks->len == 0)
    return FALSE;
  if (rec->kind == TL_REC_SEGMENT || rec->kind == TL_REC_ARRIVE)
    return tl_trace_segment_peer (trace, rec->u.seg.id) != 0;
  if (rec->kind == TL_REC_HOST || rec->conn == TL_NO_CONN)
    return FALSE;
  conn = tl_trace_conn (trace, rec->conn);
  return !conn->listener
         && conn->remote_addr != tl_trace_host_addr (trace, 1 - (conn->host & 1));
}

/* A state change's note: the state, after the connection's number when
 * its host has several ("#2 ESTABLISHED", as client#2 in the tables). */
static char *
state_note (const TlTrace  *trace,
            const TlRecord *rec,
            gboolean        numbered)
{
  const TlTraceConn *conn = rec->conn != TL_NO_CONN ? tl_trace_conn (trace, rec->conn) : NULL;

  if (!numbered || conn == NULL || conn->listener)
    return g_strdup (tl_state_name (rec->u.state.to));
  return g_strdup_printf ("#%u %s", conn->ordinal, tl_state_name (rec->u.state.to));
}

/* A state of a what-if's original run, as the ladder names it where the
 * run playing differs. */
static char *
ghost_note (const char *note)
{
  /* TRANSLATORS: a state of the original run in the ladder,
   * where a what-if's run differs ("(CLOSE_WAIT)") */
  return g_strdup_printf (_("(%s)"), note);
}

/* The widest note a timeline can carry (a state's name, "crashed",
 * "rebooted"), at size_px. */
static double
widest_note (TlPainter *p,
             double     size_px,
             gboolean   numbered,
             gboolean   ghosts)
{
  const char *extra[] = { _("crashed"), _("rebooted") };
  double widest = 0, w;

  for (guint s = 0; s < TL_N_STATES; s++)
    {
      g_autofree char *name = g_strdup_printf ("%s%s", numbered ? "#9 " : "",
                                               tl_state_name ((TlState) s));
      g_autofree char *text = ghosts ? ghost_note (name) : g_strdup (name);

      tl_painter_measure (p, text, size_px, TRUE, &w, NULL);
      widest = MAX (widest, w);
    }
  for (guint i = 0; i < G_N_ELEMENTS (extra); i++)
    {
      tl_painter_measure (p, extra[i], size_px, TRUE, &w, NULL);
      widest = MAX (widest, w);
    }
  return widest;
}

/* The timelines stand a quarter of the way in from each side, or further in
 * so that the states' names written outside them are never cut by the
 * view's edge; in a view too narrow for that, the names shrink. */
static void
geom_init (Geom                *g,
           TlPainter           *p,
           const TlTrace       *trace,
           gint64               time_us,
           double               width,
           double               height,
           const TlRenderStyle *style)
{
  double note_w, room, reserve;

  g->font_px = tl_render_font_px (style, width, height);
  /* The overview strip takes the right edge; the rest is the ladder's. */
  g->strip_w = MAX (12.0, g->font_px * 0.7);
  g->strip_x = width - g->strip_w - 2;
  width = g->strip_x - 6;
  g->width = width;
  g->height = height;
  g->bottom = height - g->font_px * 0.6;
  g->note_px = p->name_px;
  g->label_px = p->small_px;
  /* clear of an arrowhead at the timeline: its back corners spread 0.45 of
   * its size to each side of its line (tl_painter_arrowhead) */
  g->note_gap = MAX (NOTE_GAP_PX, head_px (g) * 0.5 + 5);
  g->numbered[0] = trace_facts (trace)->host_conns[0] > 1;
  g->numbered[1] = trace_facts (trace)->host_conns[1] > 1;
  /* a what-if's ghosts in their brackets too */
  note_w = widest_note (p, g->note_px, g->numbered[0] || g->numbered[1], style->ghost != NULL);
  room = width * NOTE_SHARE - g->note_gap - NOTE_MARGIN;
  if (note_w > room && note_w > 0)
    {
      /* Never below the smallest a class reads a state's name in. */
      double px = MAX (g->note_px * MAX (room, 0) / note_w, TL_RENDER_STATE_MIN_PX + 0.5);

      note_w *= px / g->note_px;
      g->note_px = px;
      /* Still too wide (a large text size in a narrow ladder): the names
       * without their connection's number ("#1 "), whose width pushed the
       * timelines past each other. */
      if (note_w > room && (g->numbered[0] || g->numbered[1]))
        {
          g->numbered[0] = g->numbered[1] = FALSE;
          note_w = widest_note (p, g->note_px, FALSE, style->ghost != NULL);
        }
    }
  /* The segments' labels and the addresses no larger than the states'
   * names shrunk to fit, nor the hosts' names smaller (below): the sizes
   * keep their order, names over states over labels. */
  g->label_px = MIN (g->label_px, g->note_px);
  reserve = note_w + g->note_gap + NOTE_MARGIN;
  /* on whole pixels: the timelines are then boxes, filled fast */
  g->x[0] = round (MAX (width * 0.25, reserve));
  g->x[1] = round (MIN (width * 0.75, width - reserve));

  /* The hosts' names over their timelines, smaller if they would meet
   * (never below a state's name), kept inside the view. */
  g->title_px = g->font_px * 1.2;
  for (guint pass = 0; pass < 2; pass++)
    {
      double w[2], th, ah, aw;

      for (guint h = 0; h < 2; h++)
        {
          char addr[TL_ADDR_STRLEN];
          g_autofree char *name = tl_render_host_name (trace, h);

          tl_trace_format_addr (trace, tl_trace_host_addr (trace, h), addr);
          tl_painter_measure (p, name, g->title_px, TRUE, &w[h], &th);
          tl_painter_measure (p, addr, g->label_px, FALSE, &aw, NULL);
          w[h] = MAX (w[h], aw);
        }
      if (pass == 0 && (w[0] + w[1]) / 2 + g->font_px > g->x[1] - g->x[0])
        {
          g->title_px = MAX (g->title_px * (g->x[1] - g->x[0] - g->font_px) / ((w[0] + w[1]) / 2),
                             g->note_px);
          continue;
        }
      g->title_x[0] = MAX (g->x[0], w[0] / 2 + 2);
      g->title_x[1] = MIN (g->x[1], width - w[1] / 2 - 2);
      if (g->title_x[1] - g->title_x[0] < (w[0] + w[1]) / 2 + 4)
        {
          /* Still too close: each name moves off the other. */
          g->title_x[0] = w[0] / 2 + 2;
          g->title_x[1] = width - w[1] / 2 - 2;
        }
      tl_painter_measure (p, "0.0.0.0", g->label_px, FALSE, NULL, &ah);
      g->addr_y = g->font_px * 0.2 + th;
      g->header_bottom = g->addr_y + ah;
      g->top = g->addr_y + ah +
               g->note_px * 0.75 + 4;
      break;
    }
  /* Above what covers the bottom (a question's card), keeping room for a
   * few lines of time. */
  if (style->ladder_cover_px > 0)
    {
      /* its text (the playhead's time) above the cover too */
      g->height = MIN (height, MAX (height - style->ladder_cover_px,
                                    g->top + g->font_px * 4.6));
      g->bottom = MIN (g->bottom, g->height - g->font_px * 0.6);
    }
  g->time_us = time_us;
  g->delay_us = nominal_delay (trace);
  tl_render_ladder_window (trace, time_us, style, &g->t0, &g->span_us);
  /* Segments sent a little before the window may still cross into it. */
  g->lo = tl_trace_records_until (trace, g->t0 - g->delay_us * 4 - 1);
  g->hi = tl_trace_records_until (trace, time_us);
  g->dense = g->hi - g->lo > DENSE_RECORDS;
  g->own_lo = g->own_hi = 0;
  g->texture = FALSE;
  if (g->dense)
    {
      const GArray *own = trace_facts (trace)->own;

      g->own_lo = own_lower_bound (own, g->lo);
      g->own_hi = own_lower_bound (own, g->hi);
      g->texture = g->own_hi - g->own_lo > OWN_RECORDS;
    }
}

/* The least of 1, 2 and 5 times a power of ten that is at least us: the
 * window's length in steps a class can read off the grid. */
static gint64
round_span (gint64 us)
{
  gint64 step = 1;

  while (step * 10 < us)
    step *= 10;
  if (step >= us)
    return step;
  if (step * 2 >= us)
    return step * 2;
  if (step * 5 >= us)
    return step * 5;
  return step * 10;
}

/* The last events the window following the playhead keeps: as many as
 * the ladder's height above its cover holds (its timelines get what the
 * hosts' names, about four lines, leave), at most LAST_EVENTS. */
static guint
kept_events (const TlRenderStyle *style)
{
  double font_px, lines;

  if (style->ladder_view_h <= 0 || style->ladder_view_w <= 0)
    return LAST_EVENTS;
  font_px = tl_render_font_px (style, style->ladder_view_w, style->ladder_view_h);
  lines = (style->ladder_view_h - MAX (style->ladder_cover_px, 0) - font_px * 4) / (font_px * 1.2);
  return (guint) CLAMP (lines / EVENT_LINES, MIN_EVENTS, LAST_EVENTS);
}

void
tl_render_ladder_window (const TlTrace       *trace,
                         gint64               time_us,
                         const TlRenderStyle *style,
                         gint64              *t0_us,
                         gint64              *span_us)
{
  gint64 end = tl_trace_end_time (trace);
  gint64 delay = nominal_delay (trace);
  gint64 first = time_us, span;
  guint i = tl_trace_records_until (trace, time_us);
  guint stop = i > 4096 ? i - 4096 : 0, n = 0, keep;

  g_return_if_fail (trace != NULL && style != NULL);

  if (style->ladder_span_us > 0)
    {
      *span_us = style->ladder_span_us;
      *t0_us = style->ladder_t0_us >= 0 ? style->ladder_t0_us
                                        : MAX (0, time_us - (gint64) (*span_us * PLAYHEAD_AT));
      return;
    }
  /* A dozen crossings at least (fewer in a short ladder): arrows slope
   * clearly and a handshake with its teardown fits; more to keep the last
   * events in view (bounded search: a flood has its events close together). */
  keep = kept_events (style);
  for (; i > stop && n < keep; i--)
    {
      const TlRecord *rec = tl_trace_record (trace, i - 1);

      if (rec->kind == TL_REC_SEGMENT || rec->kind == TL_REC_STATE)
        {
          n++;
          first = rec->time_us;
        }
    }
  span = MAX (CLAMP (delay * 12, 100 * TL_USEC_PER_MSEC, 120 * TL_USEC_PER_SEC) * keep / LAST_EVENTS,
              (gint64) ((time_us - first) / PLAYHEAD_AT * 1.1));
  span = MIN (round_span (span), 600 * TL_USEC_PER_SEC);
  /* The whole lesson when it fits. */
  if (end > 0 && end * 21 / 20 <= span)
    {
      *t0_us = 0;
      *span_us = MAX (end * 21 / 20, 1);
      return;
    }
  *span_us = span;
  *t0_us = MAX (0, time_us - (gint64) (span * PLAYHEAD_AT));
}

/* Hit testing has no cairo context: the names are measured on a scratch one,
 * so that its geometry is the drawing's. */
static void
geom_init_unpainted (Geom                *g,
                     const TlTrace       *trace,
                     gint64               time_us,
                     double               width,
                     double               height,
                     const TlRenderStyle *style)
{
  TlPainter painter;

  tl_painter_init_scratch (&painter, style, width, height);
  geom_init (g, &painter, trace, time_us, width, height, style);
  tl_painter_clear_scratch (&painter);
}

void
tl_render_ladder_axis (const TlTrace       *trace,
                       gint64               time_us,
                       double               width,
                       double               height,
                       const TlRenderStyle *style,
                       TlLadderAxis        *axis)
{
  Geom g;

  geom_init_unpainted (&g, trace, time_us, width, height, style);
  axis->x[0] = g.x[0];
  axis->x[1] = g.x[1];
  axis->top = g.top;
  axis->bottom = g.bottom;
  axis->t0_us = g.t0;
  axis->span_us = g.span_us;
}

double
tl_render_ladder_least_height (const TlTrace       *trace,
                               gint64               time_us,
                               double               width,
                               double               height,
                               const TlRenderStyle *style)
{
  TlRenderStyle covered;
  Geom g;

  g_return_val_if_fail (trace != NULL, 0);
  g_return_val_if_fail (style != NULL, 0);

  if (width < 1 || height < 1)
    return 0;
  covered = *style;
  covered.ladder_cover_px = height;
  geom_init_unpainted (&g, trace, time_us, width, height, &covered);
  return g.height;
}

static void
seg_geom (const Geom     *g,
          const TlRecord *rec,
          SegGeom        *sg)
{
  guint from = rec->host & 1, to = 1 - from;
  gint64 end_us = rec->time_us + rec->u.seg.delay_us;
  double frac = 1.0;

  sg->lost = FALSE;
  sg->discarded = FALSE;
  switch ((TlFate) rec->u.seg.fate)
    {
    case TL_FATE_DELIVERED:
    case TL_FATE_DUPLICATE:
    case TL_FATE_LOST_HOST_DOWN:
      break;
    case TL_FATE_LOST_RANDOM:
    case TL_FATE_LOST_SCRIPTED:
    case TL_FATE_LOST_LINK_DOWN:
      /* Lost on the way: as far across as the link's delay says it got. */
      sg->lost = TRUE;
      frac = CLAMP ((double) rec->u.seg.delay_us / MAX (g->delay_us, 1), 0.1, 0.9);
      break;
    case TL_FATE_DISCARDED:
      sg->discarded = TRUE;
      frac = 0.7;
      break;
    }

  sg->x0 = g->x[from];
  sg->y0 = y_of (g, rec->time_us);
  sg->x1 = g->x[from] + (g->x[to] - g->x[from]) * frac;
  sg->y1 = y_of (g, end_us);
  sg->xe = sg->x1;
  sg->ye = sg->y1;
  sg->in_flight = end_us > g->time_us;
  if (sg->in_flight)
    {
      double done = rec->u.seg.delay_us > 0
                    ? (double) (g->time_us - rec->time_us) / rec->u.seg.delay_us : 1.0;

      sg->x1 = sg->x0 + (sg->x1 - sg->x0) * done;
      sg->y1 = sg->y0 + (sg->y1 - sg->y0) * done;
    }
}

typedef void (*SegmentFunc) (const Geom     *g,
                             guint           index,
                             const TlRecord *rec,
                             gpointer        data);

/* Every record that may show; in a flood the hosts' own events, one by
 * one unless they too are a texture (visit_sampled samples them then).
 * visit_own and visit_sampled are the walks that drawing and hit testing
 * share (visit_segments); a flood's segments are its bands (collect_bands). */
static void
visit_own (const Geom    *g,
           const TlTrace *trace,
           SegmentFunc    func,
           gpointer       data)
{
  const GArray *own;

  if (!g->dense)
    {
      for (guint i = g->lo; i < g->hi; i++)
        func (g, i, tl_trace_record (trace, i), data);
      return;
    }
  if (g->texture)
    return;
  own = trace_facts (trace)->own;
  for (guint k = g->own_lo; k < g->own_hi; k++)
    {
      guint i = g_array_index (own, guint32, k);

      func (g, i, tl_trace_record (trace, i), data);
    }
}

/* The first record after time_us, at or after record from (whose earlier
 * records are at or before time_us) and at most hi: a search that gallops
 * out from from, then halves.  The rows of visit_sampled are a few
 * thousand records apart in a million: a binary search over the whole
 * trace for each row read twenty records far apart, this a dozen close by. */
static guint
records_until_from (const TlTrace *trace,
                    guint          from,
                    guint          hi,
                    gint64         time_us)
{
  guint lo = from, step = 1;

  while (lo < hi && tl_trace_record (trace, lo)->time_us <= time_us)
    {
      guint next = MIN (lo + step, hi);

      if (next == hi || tl_trace_record (trace, next)->time_us > time_us)
        {
          /* the answer is in (lo, next] */
          guint a = lo + 1, b = next;

          while (a < b)
            {
              guint mid = a + (b - a) / 2;

              if (tl_trace_record (trace, mid)->time_us <= time_us)
                a = mid + 1;
              else
                b = mid;
            }
          return a;
        }
      lo = next;
      step *= 2;
    }
  return lo;
}

/* In a flood, a few records per pixel row, found by binary search: its
 * state changes, and the hosts' own events when they are a texture (one
 * segment per host and row). */
static void
visit_sampled (const Geom    *g,
               const TlTrace *trace,
               SegmentFunc    func,
               gpointer       data)
{
  const GArray *owns = trace_facts (trace)->own;
  guint k = g->own_lo;   /* owns[k]: the next own event at or after the record read */
  guint row_start = 0;
  gboolean first_row = TRUE;
  double y_start, y_end;

  if (!g->dense)
    return;
  y_start = y_of (g, g->t0 - g->delay_us * 4);
  y_end = y_of (g, g->time_us);
  for (double y = y_start; y <= y_end; y += DENSE_ROW_PX)
    {
      gint64 from_us = time_of (g, y), to_us = time_of (g, y + DENSE_ROW_PX);
      /* rows later in time: each starts at or after the last one's start */
      guint i = first_row ? tl_trace_records_until (trace, from_us - 1)
                          : records_until_from (trace, row_start, MAX (row_start, g->hi),
                                                from_us - 1);
      guint stop = MIN (g->hi, i + DENSE_LOOK);
      gboolean seen[2] = { FALSE, FALSE };

      first_row = FALSE;
      row_start = i;

      for (; i < stop; i++)
        {
          const TlRecord *rec = tl_trace_record (trace, i);
          gboolean own;

          if (rec->time_us >= to_us)
            break;
          while (k < g->own_hi && g_array_index (owns, guint32, k) < i)
            k++;
          own = k < g->own_hi && g_array_index (owns, guint32, k) == i;
          /* a flood's segment is in its band; an own event visited already */
          if ((rec->kind == TL_REC_SEGMENT && !own) || (own && !g->texture))
            continue;
          if (rec->kind == TL_REC_SEGMENT)
            {
              if (seen[rec->host & 1])
                continue;
              seen[rec->host & 1] = TRUE;
            }
          func (g, i, rec, data);
        }
    }
}

/* The segments that may show, for a walk that reads segments only
 * (drawing their arrows, hit testing): the sampled rows hold none unless
 * the hosts' own are a texture, so they are read only then (each row a
 * search in a million records: a tenth of a flood's frame, for nothing). */
static void
visit_segments (const Geom    *g,
                const TlTrace *trace,
                SegmentFunc    func,
                gpointer       data)
{
  visit_own (g, trace, func, data);
  if (g->texture)
    visit_sampled (g, trace, func, data);
}

/* In a flood the sampled lines are gathered by colour and stroked together
 * without antialiasing: they make a texture, not lines to read one by one,
 * and antialiased coverage of a few hundred long diagonals was most of a
 * frame's time (measured: 6 to 11 ms a frame, 2 ms aliased). */
enum
{
  DENSE_HOST_0,
  DENSE_HOST_1,
  DENSE_DISCARDED_0,
  DENSE_DISCARDED_1,
  DENSE_LOST,
  N_DENSE,
};

typedef struct
{
  double x0, y0, x1, y1;
} DenseLine;

/* A timeline's note held back to be drawn in time order with the others:
 * a what-if's ghosts among the run's own notes, so that they stack, one
 * under the other, instead of meeting. */
typedef struct
{
  const TlRecord *rec;
  char           *text;
  const TlRgb    *colour;
  gboolean        ghost;     /* at one instant, after the run's own */
  gboolean        focused;
  guint           seq;
} HeldNote;

typedef struct
{
  TlPainter     *p;
  const TlTrace *trace;
  GArray        *dense[N_DENSE]; /* of DenseLine: lines of a flood, by colour */
  GArray        *labels;       /* of cairo_rectangle_t: label plates drawn so far */
  double         last_note_bottom[2];
  double         last_dot_y[2];  /* the last dot drawn on each timeline */
  double         noted_y[2][TL_N_STATES];  /* in a flood: where each state was last named */
  double         note_h;         /* a note's height (one line at note_px) */
  char           last_note[2][64];  /* the text of the last note on each timeline */
  GArray        *held;         /* of HeldNote: notes to draw later; NULL: at once */
  guint32        selected;
  guint32        focus;        /* the keyboard's record (style->focus_record) */
  cairo_rectangle_t focus_box;  /* where its ring goes, drawn over everything */
  gboolean       has_focus_box;
  gboolean       notes;        /* this pass draws the timelines' notes, else segments */
  gboolean       ghost;        /* this pass draws style->ghost, the original run */
  gboolean       give_way;     /* a note drawn now is a flood's: only where it meets no label */
  const TlRgb   *dots;         /* the colour of the dots in cr's path, not yet filled */
  const Geom    *g;
  GArray        *bands;        /* of Band: a flood's segments, gathered */
  GArray        *arrows;       /* of DenseLine: the hosts' own segments drawn as arrows */
  GArray        *ends;         /* of cairo_rectangle_t: their heads and tails */
  GArray        *pending;      /* of PendingLabel: their labels, placed once all are drawn */
} DrawData;

/* A segment's label waiting for its place (place_segment_labels). */
typedef struct
{
  guint           index;       /* its record */
  guint           arrow;       /* its line in DrawData.arrows */
  double          x0, y0, x1, y1;
  const TlRgb    *colour;
  gboolean        selected, focused;
} PendingLabel;

/* A flood's segments in one direction close together in time: drawn as one
 * band from the first sent to the last arrived, with their count. */
typedef struct
{
  guint    from;               /* the sending host's side */
  gint64   first_us, last_us;  /* sent */
  guint    last;               /* the last one's record (band_finish reads its geometry) */
  double   y0[2], y1[2];       /* the first's sending and end, the last's */
  double   x1;                 /* how far across they go (SegGeom.xe) */
  guint    count;
  guint8   flags;              /* of the first; mixed: all are counted as segments */
  gboolean mixed;
  gboolean discarded;
  guint32  prefix;             /* the spoofed addresses' /24; in an IPv6 trace the
                                  first address (band_prefix gives its /64) */
} Band;

/* How much of r lies on the labels drawn so far, in square pixels. */
static double
overlap_area (const DrawData          *d,
              const cairo_rectangle_t *r)
{
  double area = 0;

  for (guint i = 0; i < d->labels->len; i++)
    {
      const cairo_rectangle_t *o = &g_array_index (d->labels, cairo_rectangle_t, i);
      double w = MIN (r->x + r->width, o->x + o->width) - MAX (r->x, o->x);
      double h = MIN (r->y + r->height, o->y + o->height) - MAX (r->y, o->y);

      if (w > 0 && h > 0)
        area += w * h;
    }
  return area;
}

/* Does r meet a label drawn so far, or leave the timelines' part of the view? */
static gboolean
overlaps (const DrawData          *d,
          const cairo_rectangle_t *r)
{
  GArray *labels = d->labels;

  if (r->x < 0 || r->x + r->width > d->g->width || r->y < d->g->header_bottom ||
      r->y + r->height > d->g->height)
    return TRUE;
  for (guint i = 0; i < labels->len; i++)
    {
      const cairo_rectangle_t *o = &g_array_index (labels, cairo_rectangle_t, i);

      if (r->x < o->x + o->width && o->x < r->x + r->width &&
          r->y < o->y + o->height && o->y < r->y + r->height)
        return TRUE;
    }
  return FALSE;
}

static void
segment_label (const TlTrace  *trace,
               const TlRecord *rec,
               char           *buf,
               gsize           size)
{
  char flags[24];
  guint32 seq = rec->u.seg.seq, ack = tl_trace_segment (trace, rec->u.seg.id)->ack;
  GString *s;

  tl_trace_relative_numbers (trace, rec, &seq, &ack);
  tl_flags_to_string (rec->u.seg.flags, flags);
  s = g_string_new (flags);
  g_string_append_printf (s, "  seq=%u", seq);
  if (rec->u.seg.flags & TL_FLAG_ACK)
    g_string_append_printf (s, " ack=%u", ack);
  if (rec->u.seg.len > 0)
    g_string_append_printf (s, " len=%u", rec->u.seg.len);
  g_strlcpy (buf, s->str, size);
  g_string_free (s, TRUE);
}

static void
draw_cross (TlPainter *p,
            double     x,
            double     y,
            double     r)
{
  cairo_t *cr = p->cr;

  tl_painter_set_rgb (p, &p->pal->lost, 1.0);
  cairo_set_line_width (cr, MAX (3.0, r / 3));
  cairo_move_to (cr, x - r, y - r);
  cairo_line_to (cr, x + r, y + r);
  cairo_move_to (cr, x - r, y + r);
  cairo_line_to (cr, x + r, y - r);
  cairo_stroke (cr);
}

/* The keyboard's focus on an event of the ladder: a ring in the accent
 * colour around its label's plate (a state's dot when its name did not
 * fit), drawn last, over the labels that may have had to cover it. */
static void
draw_focus_ring (const Geom *g,
                 DrawData   *d)
{
  TlPainter *p = d->p;
  const cairo_rectangle_t *box = &d->focus_box;
  double pad = MAX (3.0, g->font_px / 8);

  if (!d->has_focus_box)
    return;
  tl_painter_set_rgb (p, &p->pal->accent, 1.0);
  cairo_set_line_width (p->cr, MAX (2.5, g->font_px / 8));
  tl_painter_round_rect (p, box->x - pad, box->y - pad, box->width + 2 * pad,
                         box->height + 2 * pad, pad + 3);
  cairo_stroke (p->cr);
}

/* A flood's segments sent by host from, from record first (sent at
 * first_us) to record last (at last_us), count of them with these flags
 * or'ed and and'ed together: they join the host's last band, or start one
 * after a pause of an eighth of the window.  Where the band ends is read
 * once it is whole (band_finish). */
static void
band_join (const Geom *g,
           DrawData   *d,
           guint       from,
           guint       first,
           gint64      first_us,
           guint       last,
           gint64      last_us,
           guint       count,
           guint8      flags_or,
           guint8      flags_and)
{
  Band *band = NULL;

  for (guint i = d->bands->len; i > 0 && band == NULL; i--)
    if (g_array_index (d->bands, Band, i - 1).from == from)
      band = &g_array_index (d->bands, Band, i - 1);
  if (band == NULL || first_us - band->last_us > g->span_us / 8)
    {
      const TlRecord *a = tl_trace_record (d->trace, first);
      guint32 peer_addr = tl_trace_segment_peer (d->trace, a->u.seg.id);
      Band fresh = { .from = from, .first_us = first_us, .flags = a->u.seg.flags,
                     .prefix = tl_trace_is_v6 (d->trace) ? peer_addr : peer_addr & 0xffffff00u };
      SegGeom sg;

      seg_geom (g, a, &sg);
      fresh.y0[0] = sg.y0;
      fresh.y0[1] = sg.ye;
      g_array_append_val (d->bands, fresh);
      band = &g_array_index (d->bands, Band, d->bands->len - 1);
    }
  band->last = last;
  band->last_us = last_us;
  band->count += count;
  band->mixed = band->mixed || flags_or != band->flags || flags_and != band->flags;
}

/* Each band's end: where its last segment is drawn. */
static void
band_finish (const Geom *g,
             DrawData   *d)
{
  for (guint i = 0; i < d->bands->len; i++)
    {
      Band *band = &g_array_index (d->bands, Band, i);
      SegGeom sg;

      seg_geom (g, tl_trace_record (d->trace, band->last), &sg);
      band->y1[0] = sg.y0;
      band->y1[1] = sg.ye;
      band->x1 = sg.xe;
      band->discarded = sg.discarded;
    }
}

/* A flood's segment that shows joins its band. */
static void
band_record (const Geom     *g,
             guint           index,
             const TlRecord *rec,
             gpointer        data)
{
  DrawData *d = data;
  SegGeom sg;

  if (rec->kind != TL_REC_SEGMENT || tl_trace_segment_peer (d->trace, rec->u.seg.id) == 0)
    return;
  seg_geom (g, rec, &sg);
  if (MAX (sg.y0, sg.y1) < g->top - g->font_px || MIN (sg.y0, sg.y1) > g->bottom)
    return;
  band_join (g, d, rec->host & 1, index, rec->time_us, index, rec->time_us, 1,
             rec->u.seg.flags, rec->u.seg.flags);
}

/* A flood's segments in bands (d->bands): each one that shows; in a window
 * too full to read them one by one, the same bands from the flood's blocks
 * (TraceFacts), reading record by record only the blocks at the window's
 * edges or with a pause inside. */
static void
collect_bands (const Geom *g,
               DrawData   *d)
{
  const TlTrace *trace = d->trace;
  const GArray *blocks = trace_facts (trace)->blocks;
  guint n = tl_trace_n_records (trace);
  /* sent after the window: under it; arrived before top_us: over it */
  guint hi = MIN (g->hi, tl_trace_records_until (trace, g->t0 + g->span_us));
  gint64 top_us = time_of (g, g->top - g->font_px);

  if (!g->dense)
    {
      visit_own (g, trace, band_record, d);
      return;
    }
  for (guint h = 0; h < 2 && blocks->len > 0; h++)
    for (guint b = g->lo / FLOOD_BLOCK; b * FLOOD_BLOCK < hi; b++)
      {
        const FloodBlock *fb = &g_array_index (blocks, FloodBlock, 2 * b + h);
        guint b0 = b * FLOOD_BLOCK, b1 = MIN (b0 + FLOOD_BLOCK, n);

        if (fb->count == 0 || MIN (fb->max_end_us, g->time_us) < top_us - 1)
          continue;
        if (b0 >= g->lo && b1 <= hi && fb->max_gap_us <= g->span_us / 8
            && MIN (fb->min_end_us, g->time_us) > top_us)
          {
            band_join (g, d, h, fb->first, fb->first_us, fb->last, fb->last_us, fb->count,
                       fb->flags_or, fb->flags_and);
            continue;
          }
        for (guint i = MAX (b0, g->lo); i < MIN (b1, hi); i++)
          {
            const TlRecord *rec = tl_trace_record (trace, i);

            if ((rec->host & 1) == h)
              band_record (g, i, rec, d);
          }
      }
}

static gboolean
rect_meets_line (const cairo_rectangle_t *r,
                 double                   pad,
                 const DenseLine         *l)
{
  double dx = l->x1 - l->x0, dy = l->y1 - l->y0, t0 = 0, t1 = 1;
  double p[4] = { -dx, dx, -dy, dy };
  double q[4] = { l->x0 - (r->x - pad), r->x + r->width + pad - l->x0,
                  l->y0 - (r->y - pad), r->y + r->height + pad - l->y0 };

  for (guint k = 0; k < 4; k++)
    {
      if (p[k] == 0)
        {
          if (q[k] < 0)
            return FALSE;
          continue;
        }
      if (p[k] < 0)
        t0 = MAX (t0, q[k] / p[k]);
      else
        t1 = MIN (t1, q[k] / p[k]);
    }
  return t0 <= t1;
}

static void
draw_segment (const Geom     *g,
              const TlRecord *rec,
              guint           index,
              DrawData       *d)
{
  TlPainter *p = d->p;
  cairo_t *cr = p->cr;
  const TlRgb *colour = &p->pal->host[rec->host & 1];
  gboolean selected = index == d->selected;
  gboolean focused = index == d->focus && !d->ghost;
  SegGeom sg;

  seg_geom (g, rec, &sg);
  if (MAX (sg.y0, sg.y1) < g->top - g->font_px || MIN (sg.y0, sg.y1) > g->bottom)
    return;

  /* a flood's: in its band (band_record) */
  if (tl_trace_segment_peer (d->trace, rec->u.seg.id) != 0)
    return;

  if (g->texture)
    {
      /* Too many to read one by one: thin lines, no heads, no labels,
       * stroked by draw_dense. */
      DenseLine line = { sg.x0, sg.y0, sg.x1, sg.y1 };
      guint bucket = sg.lost ? DENSE_LOST
                     : (sg.discarded ? DENSE_DISCARDED_0 : DENSE_HOST_0) + (rec->host & 1);

      g_array_append_val (d->dense[bucket], line);
      return;
    }

  if (d->ghost)
    {
      /* The original run where it differs: dashed and faint, no label. */
      double dash = g->font_px * 0.4;

      tl_painter_set_rgb (p, colour, 0.45);
      cairo_save (cr);
      cairo_set_dash (cr, &dash, 1, 0);
      cairo_set_line_width (cr, MAX (2.0, g->font_px / 8));
      cairo_move_to (cr, sg.x0, sg.y0);
      cairo_line_to (cr, sg.x1, sg.y1);
      cairo_stroke (cr);
      cairo_restore (cr);
      if (sg.lost && !sg.in_flight)
        draw_cross (p, sg.x1, sg.y1, g->font_px * 0.5);
      else
        {
          tl_painter_set_rgb (p, colour, 0.45);
          tl_painter_arrowhead (p, sg.x1, sg.y1, sg.x1 - sg.x0, sg.y1 - sg.y0,
                                head_px (g));
        }
      return;
    }

  if (selected)
    {
      tl_painter_set_rgb (p, &p->pal->accent, 0.45);
      cairo_set_line_width (cr, g->font_px * 0.7);
      cairo_move_to (cr, sg.x0, sg.y0);
      cairo_line_to (cr, sg.x1, sg.y1);
      cairo_stroke (cr);
    }

  if (sg.discarded)
    {
      /* To a spoofed address nobody answers from: it fades out. */
      cairo_pattern_t *fade = cairo_pattern_create_linear (sg.x0, sg.y0, sg.x1, sg.y1);

      cairo_pattern_add_color_stop_rgba (fade, 0, colour->r, colour->g, colour->b, 0.9);
      cairo_pattern_add_color_stop_rgba (fade, 1, colour->r, colour->g, colour->b, 0.0);
      cairo_set_source (cr, fade);
      cairo_pattern_destroy (fade);
    }
  else
    tl_painter_set_rgb (p, colour, 1.0);
  cairo_set_line_width (cr, MAX (2.0, g->font_px / 8));
  cairo_move_to (cr, sg.x0, sg.y0);
  cairo_line_to (cr, sg.x1, sg.y1);
  cairo_stroke (cr);
  {
    DenseLine arrow = { sg.x0, sg.y0, sg.x1, sg.y1 };

    g_array_append_val (d->arrows, arrow);
  }

  if (sg.lost && !sg.in_flight)
    draw_cross (p, sg.x1, sg.y1, g->font_px * 0.5);
  else if (!sg.discarded)
    {
      tl_painter_set_rgb (p, colour, 1.0);
      tl_painter_arrowhead (p, sg.x1, sg.y1, sg.x1 - sg.x0, sg.y1 - sg.y0, head_px (g));
    }

  {
    PendingLabel pending = { index, d->arrows->len - 1, sg.x0, sg.y0, sg.x1, sg.y1, colour,
                             selected, focused };
    double r = g->font_px * 0.3;
    cairo_rectangle_t tail = { sg.x0 - r, sg.y0 - r, 2 * r, 2 * r }, head;

    tl_render_arrowhead_rect (sg.x1, sg.y1, sg.x1 - sg.x0, sg.y1 - sg.y0, head_px (g),
                              &head);
    g_array_append_val (d->ends, tail);
    if (!sg.discarded)
      g_array_append_val (d->ends, head);
    g_array_append_val (d->pending, pending);
  }
}

/* Where along its arrow a segment's label may sit, in order of preference:
 * the middle, then further out, both ways in turn. */
static const double along[] = { 0.5, 0.35, 0.65, 0.2, 0.8 };

/* Is plate, the place of a label of arrow (in DrawData.arrows; G_MAXUINT:
 * none), free: no label nor state name under it, off every arrow's head
 * and tail, and off every other arrow's line (cross: off its fifths at
 * each end)? */
static gboolean
label_place_free (const DrawData          *d,
                  const cairo_rectangle_t *plate,
                  guint                    arrow,
                  gboolean                 cross)
{
  if (overlaps (d, plate))
    return FALSE;
  for (guint i = 0; i < d->ends->len; i++)
    {
      const cairo_rectangle_t *o = &g_array_index (d->ends, cairo_rectangle_t, i);

      if (plate->x < o->x + o->width && o->x < plate->x + plate->width &&
          plate->y < o->y + o->height && o->y < plate->y + plate->height)
        return FALSE;
    }
  for (guint i = 0; i < d->arrows->len; i++)
    {
      const DenseLine *l = &g_array_index (d->arrows, DenseLine, i);
      double dx = l->x1 - l->x0, dy = l->y1 - l->y0;
      /* crossing, only its middle: a fifth of it at each end stays clear */
      DenseLine first = { l->x0, l->y0, l->x0 + dx * 0.2, l->y0 + dy * 0.2 };
      DenseLine last = { l->x0 + dx * 0.8, l->y0 + dy * 0.8, l->x1, l->y1 };

      if (i == arrow)
        continue;
      if (cross ? rect_meets_line (plate, 2, &first) || rect_meets_line (plate, 2, &last)
                : rect_meets_line (plate, 2, l))
        return FALSE;
    }
  return TRUE;
}

/* A label's plate w x h at place k on its arrow: along[k / 3] of the way,
 * centred on the line (k % 3 == 0), or beside it (a steep line's), ending
 * before the line (1) or starting after it (2), clear of its own line. */
static void
label_plate (const PendingLabel *pl,
             guint               k,
             double              w,
             double              h,
             cairo_rectangle_t  *plate)
{
  double t = along[k / 3];
  double x = pl->x0 + (pl->x1 - pl->x0) * t, y = pl->y0 + (pl->y1 - pl->y0) * t;

  plate->width = w;
  plate->height = h;
  plate->x = k % 3 == 0 ? x - w / 2 : (k % 3 == 1 ? x - w - 4 : x + 4);
  plate->y = y - h / 2;
}

static void
draw_segment_label (const Geom              *g,
                    DrawData                *d,
                    const PendingLabel      *pl,
                    const char              *text,
                    const cairo_rectangle_t *plate)
{
  TlPainter *p = d->p;

  g_array_append_val (d->labels, *plate);
  tl_painter_set_rgb (p, &p->pal->bg, 1.0);
  tl_painter_round_rect (p, plate->x, plate->y, plate->width, plate->height, 4);
  cairo_fill (p->cr);
  tl_painter_cover (p, plate->x, plate->y, plate->width, plate->height);
  tl_painter_set_rgb (p, pl->selected ? &p->pal->accent : pl->colour, 1.0);
  tl_painter_text (p, text, plate->x + 4, plate->y, g->label_px, pl->selected,
                   TL_ALIGN_START, TL_ALIGN_START, NULL, NULL);
  if (pl->focused)
    d->focus_box = *plate, d->has_focus_box = TRUE;
}

/* Each segment's label on a plate by its arrow, once every arrow is drawn
 * (two segments in flight at once cross: a label placed before the other
 * arrow was drawn sat on its line or its head).  In turns, so that no label
 * takes a place another needs more: first every whole label where it meets
 * no other label, state name, arrow's end or other arrow's line, on its
 * line in the middle or further along, or beside it; then the flags alone
 * ("FIN,ACK") of those left, in the same places; then their flags over the
 * middle of another arrow's line (never its ends).  A label with no place
 * is left out, unless it is selected or focused: then the whole label
 * where it covers the least of the others. */
static void
place_segment_labels (const Geom *g,
                      DrawData   *d)
{
  TlPainter *p = d->p;
  guint n = d->pending->len;
  g_autofree gboolean *done = g_new0 (gboolean, n);

  for (guint tier = 0; tier < 3; tier++)
    for (guint i = 0; i < n; i++)
      {
        const PendingLabel *pl = &g_array_index (d->pending, PendingLabel, i);
        const TlRecord *rec = tl_trace_record (d->trace, pl->index);
        char text[96];
        double lw, lh;

        if (done[i])
          continue;
        if (tier == 0)
          segment_label (d->trace, rec, text, sizeof text);
        else
          tl_flags_to_string (rec->u.seg.flags, text);
        tl_painter_measure (p, text, g->label_px, pl->selected, &lw, &lh);
        for (guint k = 0; k < 3 * G_N_ELEMENTS (along) && !done[i]; k++)
          {
            cairo_rectangle_t plate;

            label_plate (pl, k, lw + 8, lh, &plate);
            /* between the timelines, never over one */
            if (plate.x >= g->x[0] + 3 && plate.x + plate.width <= g->x[1] - 3 &&
                label_place_free (d, &plate, k % 3 == 0 ? pl->arrow : G_MAXUINT, tier == 2))
              {
                draw_segment_label (g, d, pl, text, &plate);
                done[i] = TRUE;
              }
          }
      }
  for (guint i = 0; i < n; i++)
    {
      const PendingLabel *pl = &g_array_index (d->pending, PendingLabel, i);
      double lw, lh, least = G_MAXDOUBLE;
      cairo_rectangle_t plate, best = { 0 };
      char text[96];

      if (done[i] || (!pl->selected && !pl->focused))
        continue;
      segment_label (d->trace, tl_trace_record (d->trace, pl->index), text, sizeof text);
      tl_painter_measure (p, text, g->label_px, pl->selected, &lw, &lh);
      for (guint k = 0; k < 3 * G_N_ELEMENTS (along); k += 3)
        {
          double area;

          label_plate (pl, k, lw + 8, lh, &plate);
          area = overlap_area (d, &plate);
          if (area < least)
            least = area, best = plate;
        }
      draw_segment_label (g, d, pl, text, &best);
    }
  g_array_set_size (d->pending, 0);
}

/* A flood band's source as a network: the /24 of an IPv4 address, the /64
 * of an IPv6 one's (a band keeps its first address). */
static void
band_prefix (const TlTrace *trace,
             guint32        prefix,
             char          *buf,
             gsize          size)
{
  char text[TL_ADDR_STRLEN];
  const guint8 *a6 = tl_trace_addr6 (trace, prefix);

  if (a6 != NULL)
    {
      guint8 net[16] = { 0 };

      memcpy (net, a6, 8);
      if (inet_ntop (AF_INET6, net, text, sizeof text) == NULL)
        g_strlcpy (text, "?", sizeof text);
      g_snprintf (buf, size, "%s/64", text);
      return;
    }
  tl_trace_format_addr (trace, prefix, text);
  g_snprintf (buf, size, "%s/24", text);
}

static void
band_path (cairo_t    *cr,
           const Geom *g,
           const Band *b)
{
  double xs = g->x[b->from];

  cairo_move_to (cr, xs, b->y0[0]);
  cairo_line_to (cr, b->x1, b->y0[1]);
  cairo_line_to (cr, b->x1, MAX (b->y1[1], b->y0[1] + 3));
  cairo_line_to (cr, xs, MAX (b->y1[0], b->y0[0] + 3));
  cairo_close_path (cr);
}

/* A band's tint over what is under it: its host's colour, light for
 * segments to nobody (a flood's replies). */
static TlRgb
band_tint (const TlPalette *pal,
           const Band      *b,
           const TlRgb     *under)
{
  const TlRgb *c = &pal->host[b->from];
  double a = b->discarded ? 0.15 : 0.3;

  return (TlRgb) { under->r + (c->r - under->r) * a, under->g + (c->g - under->g) * a,
                   under->b + (c->b - under->b) * a };
}

/* The bands under everything else, the grid and the timelines included, so
 * that the hosts' own segments and states stay whole over a flood: each the
 * segments' arrows from the first's to the last's, as far as they got by
 * now (the playhead's line).  Tinted as if seen through, but painted opaque
 * on the plain ground: blending a band as large as the view cost a
 * millisecond a frame (cairo's image surface), an opaque fill a quarter of
 * that.  Host 0's bands first, then host 1's, and where one of host 1's
 * lies over one of host 0's, the two tints. */
static void
draw_band_shapes (DrawData *d)
{
  TlPainter *p = d->p;
  const Geom *g = d->g;
  cairo_t *cr = p->cr;

  if (d->bands->len == 0)
    return;
  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, g->width, y_of (g, g->time_us));
  cairo_clip (cr);
  for (guint from = 0; from < 2; from++)
    for (guint i = 0; i < d->bands->len; i++)
      {
        const Band *b = &g_array_index (d->bands, Band, i);
        TlRgb tint = band_tint (p->pal, b, &p->pal->bg);

        if (b->from != from)
          continue;
        band_path (cr, g, b);
        tl_painter_set_rgb (p, &tint, 1.0);
        cairo_fill (cr);
        /* host 1's: where it lies over one of host 0's */
        for (guint k = 0; k < d->bands->len && from == 1; k++)
          {
            const Band *under = &g_array_index (d->bands, Band, k);
            TlRgb under_tint = band_tint (p->pal, under, &p->pal->bg);

            if (under->from != 0)
              continue;
            tint = band_tint (p->pal, b, &under_tint);
            cairo_save (cr);
            band_path (cr, g, under);
            cairo_clip (cr);
            band_path (cr, g, b);
            tl_painter_set_rgb (p, &tint, 1.0);
            cairo_fill (cr);
            cairo_restore (cr);
          }
      }
  cairo_set_line_width (cr, 2.0);
  for (guint i = 0; i < d->bands->len; i++)
    {
      const Band *b = &g_array_index (d->bands, Band, i);

      band_path (cr, g, b);
      tl_painter_set_rgb (p, &p->pal->host[b->from], b->discarded ? 0.5 : 1.0);
      cairo_stroke (cr);
    }
  cairo_restore (cr);
}

/* Whether the rectangle r, grown by pad, meets the line (Liang-Barsky). */
/* Where a band's text w wide and h high meets no other label nor the hosts'
 * own arrows: in the middle of the band as shown, or a line above or under
 * it, further out to its ends; centred on the band, or (wider than the
 * band, beside the states' names of one host) ending at its far end, or
 * starting at its near end, out over the other host's side.  FALSE: none. */
static gboolean
place_band_text (DrawData          *d,
                 const Band        *b,
                 double             w,
                 double             h,
                 cairo_rectangle_t *plate)
{
  const Geom *g = d->g;
  double xs = g->x[b->from];
  double y_min = MAX (b->y0[0], g->top);
  double y_max = MIN (MIN (b->y1[1], y_of (g, g->time_us)), g->bottom);
  double cy = (y_min + MAX (y_max, y_min)) / 2;
  const double xs_at[3] = { (xs + b->x1) / 2 - w / 2 - 4,
                            MAX (xs, b->x1) - w - 8 - g->font_px * 0.4,
                            MIN (xs, b->x1) + g->font_px * 0.4 };

  *plate = (cairo_rectangle_t) { xs_at[0], 0, w + 8, h };
  for (guint k = 0; k < 64; k++)
    {
      double off = (k % 2 == 0 ? 1 : -1) * (double) ((k + 1) / 2) * h;

      /* k = 0 the middle; then ever further out, while in the band */
      if (k > 0 && (cy + off < y_min - h || cy + off > y_max + h))
        {
          if (fabs (off) > (y_max - y_min) / 2 + h)
            break;
          continue;
        }
      plate->y = cy + off - h / 2;
      for (guint x = 0; x < G_N_ELEMENTS (xs_at); x++)
        {
          plate->x = xs_at[x];
          if (label_place_free (d, plate, G_MAXUINT, FALSE))
            return TRUE;
        }
    }
  return FALSE;
}

/* Each band's count with the flood's network, where it meets no other
 * label (place_band_text), drawn after the segments' labels and the states'
 * names; where it has no room (a narrow ladder), the count alone. */
static void
draw_band_labels (DrawData *d)
{
  TlPainter *p = d->p;
  const Geom *g = d->g;
  cairo_t *cr = p->cr;

  for (guint i = 0; i < d->bands->len; i++)
    {
      const Band *b = &g_array_index (d->bands, Band, i);
      char flags[24], prefix[TL_ADDR_STRLEN + 4];
      g_autofree char *text = NULL;
      cairo_rectangle_t plate;
      gboolean placed = FALSE;

      tl_flags_to_string (b->flags, flags);
      band_prefix (d->trace, b->prefix, prefix, sizeof prefix);
      for (guint form = 0; form < 2 && !placed; form++)
        {
          double w, h;

          g_clear_pointer (&text, g_free);
          if (form == 1)
            /* TRANSLATORS: a flood's band in the ladder where its network
             * has no room: "16 segments" */
            text = b->mixed ? g_strdup_printf (ngettext ("%u segment", "%u segments", b->count),
                                               b->count)
                            /* TRANSLATORS: a flood's band in the ladder where
                             * its network has no room: "16 SYN" */
                            : g_strdup_printf (_("%u %s"), b->count, flags);
          else if (b->mixed)
            /* TRANSLATORS: a flood's band in the ladder: "16 segments from 198.51.100.0/24" */
            text = g_strdup_printf (b->from == 0 ? _("%u segments from %s")
                                                 : _("%u segments to %s"), b->count, prefix);
          else
            /* TRANSLATORS: a flood's band in the ladder: "16 SYN from 198.51.100.0/24" */
            text = g_strdup_printf (b->from == 0 ? _("%u %s from %s") : _("%u %s to %s"),
                                    b->count, flags, prefix);
          tl_painter_measure (p, text, g->label_px, TRUE, &w, &h);
          placed = place_band_text (d, b, w, h, &plate);
        }
      if (!placed)
        continue;
      g_array_append_val (d->labels, plate);
      tl_painter_set_rgb (p, &p->pal->bg, 1.0);
      tl_painter_round_rect (p, plate.x, plate.y, plate.width, plate.height, 4);
      cairo_fill (cr);
      tl_painter_set_rgb (p, &p->pal->host[b->from], 1.0);
      tl_painter_text (p, text, plate.x + 4, plate.y, g->label_px, TRUE, TL_ALIGN_START,
                       TL_ALIGN_START, NULL, NULL);
    }
}

static double
strip_y (const Geom    *g,
         const TlTrace *trace,
         gint64         time_us)
{
  gint64 end = MAX (tl_trace_end_time (trace), 1);

  return g->top + (double) CLAMP (time_us, 0, end) / end * (g->bottom - g->top);
}

/* The whole lesson at the right edge: the window shown, the pauses, the
 * playhead.  A click there seeks (tl_render_ladder_overview_time). */
static void
draw_overview (TlPainter     *p,
               const Geom    *g,
               const TlTrace *trace)
{
  cairo_t *cr = p->cr;
  GArray *pauses = trace_facts (trace)->times;
  double y0 = strip_y (g, trace, g->t0), y1 = strip_y (g, trace, g->t0 + g->span_us);

  tl_painter_set_rgb (p, &p->pal->panel, 1.0);
  tl_painter_round_rect (p, g->strip_x, g->top, g->strip_w, g->bottom - g->top, 3);
  cairo_fill (cr);
  tl_painter_set_rgb (p, &p->pal->muted, 0.35);
  cairo_rectangle (cr, g->strip_x, y0, g->strip_w, MAX (y1 - y0, 2.0));
  cairo_fill (cr);
  tl_painter_set_rgb (p, &p->pal->ink, 1.0);
  cairo_set_line_width (cr, 3.0);
  for (guint i = 0; i < pauses->len; i++)
    {
      double y = strip_y (g, trace, g_array_index (pauses, gint64, i));

      cairo_move_to (cr, g->strip_x + g->strip_w * 0.2, y);
      cairo_line_to (cr, g->strip_x + g->strip_w * 0.8, y);
    }
  cairo_stroke (cr);
  tl_painter_set_rgb (p, &p->pal->accent, 1.0);
  cairo_set_line_width (cr, 4.0);
  cairo_move_to (cr, g->strip_x - 2, strip_y (g, trace, g->time_us));
  cairo_line_to (cr, g->strip_x + g->strip_w + 2, strip_y (g, trace, g->time_us));
  cairo_stroke (cr);
}

static void
draw_dense (DrawData *d)
{
  TlPainter *p = d->p;

  cairo_save (p->cr);
  cairo_set_antialias (p->cr, CAIRO_ANTIALIAS_NONE);
  cairo_set_line_width (p->cr, 1.5);
  for (guint b = 0; b < N_DENSE; b++)
    {
      if (d->dense[b]->len == 0)
        continue;
      for (guint i = 0; i < d->dense[b]->len; i++)
        {
          const DenseLine *line = &g_array_index (d->dense[b], DenseLine, i);

          cairo_move_to (p->cr, line->x0, line->y0);
          cairo_line_to (p->cr, line->x1, line->y1);
        }
      switch (b)
        {
        case DENSE_HOST_0:
        case DENSE_HOST_1:
          tl_painter_set_rgb (p, &p->pal->host[b - DENSE_HOST_0], 1.0);
          break;
        case DENSE_DISCARDED_0:
        case DENSE_DISCARDED_1:
          tl_painter_set_rgb (p, &p->pal->host[b - DENSE_DISCARDED_0], 0.35);
          break;
        case DENSE_LOST:
          tl_painter_set_rgb (p, &p->pal->lost, 1.0);
          break;
        }
      cairo_stroke (p->cr);
    }
  cairo_restore (p->cr);
}

/* The dots in cr's path (d->dots), filled in their colour. */
static void
flush_dots (DrawData *d)
{
  if (d->dots == NULL)
    return;
  tl_painter_set_rgb (d->p, d->dots, 1.0);
  cairo_fill (d->p->cr);
  d->dots = NULL;
}

/* The dot of a change on host h's timeline at y; none where one is drawn
 * already (a flood's thousand changes).  The dots of one colour are one
 * path, filled at once (flush_dots): a fill each was much of a flood's
 * frame. */
static void
draw_dot (const Geom  *g,
          DrawData    *d,
          guint        h,
          double       y,
          const TlRgb *colour)
{
  if (fabs (y - d->last_dot_y[h]) < g->font_px * 0.3)
    return;
  d->last_dot_y[h] = y;
  if (d->dots != colour)
    flush_dots (d);
  d->dots = colour;
  cairo_new_sub_path (d->p->cr);
  cairo_arc (d->p->cr, g->x[h], y, g->font_px * 0.3, 0, 2 * G_PI);
}

/* A state change, or a crash or reboot, written beside its host's timeline
 * on a plate, so the time grid's labels under it do not show through. */
static void
draw_timeline_note (const Geom     *g,
                    const TlRecord *rec,
                    gboolean        focused,
                    DrawData       *d,
                    const char     *text,
                    const TlRgb    *colour)
{
  TlPainter *p = d->p;
  guint h = rec->host & 1;
  double y = y_of (g, rec->time_us);
  double x = g->x[h] + (h == 0 ? -g->note_gap : g->note_gap);
  double w, th, ty;
  cairo_rectangle_t plate;

  if (y < g->top || y > g->bottom)
    return;
  if (d->held != NULL)
    {
      HeldNote held = { rec, g_strdup (text), colour, d->ghost, focused, d->held->len };

      g_array_append_val (d->held, held);
      return;
    }
  /* Every note is one line of the same height: known before its text is
   * laid out, so that a flood's thousand state changes that only get a dot
   * cost no Pango layout (they were most of a flood's frame). */
  th = d->note_h;
  /* Changes close in time (CLOSING then TIME_WAIT at one instant) are
   * stacked, each under the one before, as far as two lines down. */
  ty = MAX (y, d->last_note_bottom[h] + th / 2);
  /* The same name again right under itself (a flood's many SYN_RCVD) says
   * nothing new: the dot on the timeline is enough. */
  if (ty - y > th * 2 || ty + th / 2 > g->height ||
      (ty > y && g_strcmp0 (d->last_note[h], text) == 0))
    {
      draw_dot (g, d, h, y, colour);
      if (focused)
        {
          d->focus_box = (cairo_rectangle_t) { g->x[h] - g->font_px * 0.3, y - g->font_px * 0.3,
                                               g->font_px * 0.6, g->font_px * 0.6 };
          d->has_focus_box = TRUE;
        }
      return;
    }
  tl_painter_measure (p, text, g->note_px, TRUE, &w, &th);
  plate = (cairo_rectangle_t) { h == 0 ? x - w - 3 : x - 3, ty - th / 2, w + 6, th };
  /* A flood's note gives way to the hosts' own, drawn before it. */
  if (d->give_way && overlaps (d, &plate))
    {
      draw_dot (g, d, h, y, colour);
      return;
    }
  flush_dots (d);
  d->last_dot_y[h] = y;
  d->last_note_bottom[h] = ty + th / 2;
  g_strlcpy (d->last_note[h], text, sizeof d->last_note[h]);
  tl_painter_set_rgb (p, colour, 1.0);
  cairo_arc (p->cr, g->x[h], y, g->font_px * 0.3, 0, 2 * G_PI);
  cairo_fill (p->cr);
  g_array_append_val (d->labels, plate);
  tl_painter_set_rgb (p, &p->pal->bg, 1.0);
  tl_painter_round_rect (p, plate.x, plate.y, plate.width, plate.height, 3);
  cairo_fill (p->cr);
  tl_painter_set_rgb (p, colour, 1.0);
  p->kind = TL_LABEL_STATE;
  tl_painter_text (p, text, x, ty, g->note_px, TRUE, h == 0 ? TL_ALIGN_END : TL_ALIGN_START,
                   TL_ALIGN_CENTER, NULL, NULL);
  p->kind = TL_LABEL_TEXT;
  if (focused)
    d->focus_box = plate, d->has_focus_box = TRUE;
}

static void
draw_record (const Geom     *g,
             guint           index,
             const TlRecord *rec,
             gpointer        data)
{
  DrawData *d = data;

  /* The notes first, so that segments' labels make way for them. */
  if ((rec->kind == TL_REC_SEGMENT) == d->notes)
    return;
  switch ((TlRecordKind) rec->kind)
    {
    case TL_REC_SEGMENT:
      draw_segment (g, rec, index, d);
      break;
    case TL_REC_STATE:
      {
        g_autofree char *note = NULL;
        guint h = rec->host & 1;
        double y = y_of (g, rec->time_us);

        /* In a flood a state is named once in a while; the changes between
         * are dots (one per few pixels), and no text is laid out for them:
         * the frame's cost follows the pixels, not the records.  The
         * hosts' own changes are named each (unless they too are many). */
        if (g->dense && !d->ghost && (g->texture || !own_event (d->trace, rec)))
          {
            if (y < g->top || y > g->bottom)
              break;
            if (fabs (y - d->noted_y[h][rec->u.state.to]) < d->note_h * 8)
              {
                draw_dot (g, d, h, y, rec->u.state.flags & TL_STATE_FLAG_INFERRED
                                      ? &d->p->pal->muted : &d->p->pal->ink);
                break;
              }
            d->noted_y[h][rec->u.state.to] = y;
          }
        note = state_note (d->trace, rec, g->numbered[h]);

        if (d->ghost)
          {
            g_autofree char *ghost = ghost_note (note);

            draw_timeline_note (g, rec, FALSE, d, ghost, &d->p->pal->muted);
            break;
          }
        /* a state an imported capture infers, no segment confirming it, in
         * the muted ink of what is not fact */
        draw_timeline_note (g, rec, index == d->focus, d, note,
                            rec->u.state.flags & TL_STATE_FLAG_INFERRED ? &d->p->pal->muted
                                                                        : &d->p->pal->ink);
      }
      break;
    case TL_REC_HOST:
      draw_timeline_note (g, rec, index == d->focus, d,
                          rec->u.app.call == TL_CALL_CRASH ? _("crashed") : _("rebooted"),
                          &d->p->pal->lost);
      break;
    case TL_REC_ARRIVE:
    case TL_REC_TIMER:
    case TL_REC_APP:
    case TL_REC_LINK:
    case TL_REC_QUEUES:
    case TL_REC_CWND:
    case TL_REC_SAY:
    case TL_REC_PAUSE:
    case TL_REC_END:
      break;
    }
}

static int
held_note_cmp (gconstpointer a,
               gconstpointer b)
{
  const HeldNote *x = a, *y = b;

  if (x->rec->time_us != y->rec->time_us)
    return x->rec->time_us < y->rec->time_us ? -1 : 1;
  if (x->ghost != y->ghost)
    return x->ghost ? 1 : -1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The notes held back (d->held), drawn in time order. */
static void
draw_held_notes (const Geom *g,
                 DrawData   *d)
{
  GArray *held = g_steal_pointer (&d->held);

  g_array_sort (held, held_note_cmp);
  for (guint i = 0; i < held->len; i++)
    {
      HeldNote *n = &g_array_index (held, HeldNote, i);

      draw_timeline_note (g, n->rec, n->focused, d, n->text, n->colour);
      g_free (n->text);
    }
  g_array_unref (held);
}

/* Whether trace has a record the same as the ghost's rec (same instant). */
static gboolean
has_same (const TlTrace  *trace,
          const TlTrace  *ghost,
          const TlRecord *rec)
{
  guint n = tl_trace_n_records (trace);

  for (guint i = tl_trace_records_until (trace, rec->time_us - 1); i < n; i++)
    {
      const TlRecord *r = tl_trace_record (trace, i);

      if (r->time_us > rec->time_us)
        break;
      if (tl_trace_records_same (trace, r, ghost, rec))
        return TRUE;
    }
  return FALSE;
}

/* The original run of a what-if (style->ghost), from where it departs to
 * the playhead, where the trace drawn differs: under the run drawn, and
 * not in a flood (whose texture would hide it).  Its states' notes are
 * held (d->held) to be drawn among the run's. */
static void
draw_ghost (const Geom          *g,
            const TlRenderStyle *style,
            DrawData            *d)
{
  const TlTrace *ghost = style->ghost;
  guint lo = MAX (style->ghost_from,
                  tl_trace_records_until (ghost, g->t0 - g->delay_us * 4 - 1));
  guint hi = tl_trace_records_until (ghost, g->time_us);
  const TlTrace *trace = d->trace;

  if (g->dense || hi <= lo || hi - lo > DENSE_RECORDS)
    return;
  d->ghost = TRUE;
  for (guint pass = 0; pass < 2; pass++)
    {
      d->notes = pass == 0;
      for (guint i = lo; i < hi; i++)
        {
          const TlRecord *rec = tl_trace_record (ghost, i);

          if ((rec->kind == TL_REC_SEGMENT || rec->kind == TL_REC_STATE)
              && (rec->kind == TL_REC_SEGMENT) != d->notes && !has_same (trace, ghost, rec))
            {
              d->trace = ghost;
              draw_record (g, i, rec, d);
              d->trace = trace;
            }
        }
    }
  d->ghost = FALSE;
}

/* A round step of time for the grid: 1, 2 or 5 times a power of ten. */
static gint64
grid_step (gint64 span_us)
{
  gint64 step = 1;

  while (step * 10 <= span_us / 5)
    step *= 10;
  if (step * 5 <= span_us / 5)
    return step * 5;
  if (step * 2 <= span_us / 5)
    return step * 2;
  return step;
}

static char *
format_time (gint64 us)
{
  if (us % TL_USEC_PER_SEC == 0)
    return g_strdup_printf (_("%d s"), (int) (us / TL_USEC_PER_SEC));
  if (us >= TL_USEC_PER_SEC)
    return g_strdup_printf (_("%.3g s"), (double) us / TL_USEC_PER_SEC);
  return g_strdup_printf (_("%.4g ms"), (double) us / TL_USEC_PER_MSEC);
}

/* A text on a plate of the ground, if its place is free; TRUE if drawn. */
static gboolean
draw_free_text (DrawData    *d,
                const char  *text,
                double       x,
                double       y,
                double       size_px,
                gboolean     bold,
                TlAlign      halign,
                TlAlign      valign,
                const TlRgb *colour)
{
  TlPainter *p = d->p;
  cairo_rectangle_t plate;
  double w, h;

  tl_painter_measure (p, text, size_px, bold, &w, &h);
  plate.x = x - (halign == TL_ALIGN_END ? w : halign == TL_ALIGN_CENTER ? w / 2 : 0) - 2;
  plate.y = y - (valign == TL_ALIGN_END ? h : valign == TL_ALIGN_CENTER ? h / 2 : 0);
  plate.width = w + 4;
  plate.height = h;
  if (!label_place_free (d, &plate, G_MAXUINT, TRUE))
    return FALSE;
  g_array_append_val (d->labels, plate);
  tl_painter_set_rgb (p, &p->pal->bg, 1.0);
  cairo_rectangle (p->cr, plate.x, plate.y, plate.width, plate.height);
  cairo_fill (p->cr);
  tl_painter_set_rgb (p, colour, 1.0);
  tl_painter_text (p, text, x, y, size_px, bold, halign, valign, NULL, NULL);
  return TRUE;
}

/* The grid's times at the left and the playhead's at the right, drawn last,
 * where the notes and the segments' labels left room. */
static void
draw_times (DrawData *d)
{
  const Geom *g = d->g;
  gint64 step = grid_step (g->span_us);
  double y_now = y_of (g, g->time_us);
  g_autofree char *now = format_time (g->time_us);
  /* TRANSLATORS: the playhead's time in the ladder */
  g_autofree char *now_label = g_strdup_printf (_("t = %s"), now);

  if (!draw_free_text (d, now_label, g->width - 8, y_now + 3, g->label_px, TRUE, TL_ALIGN_END,
                       TL_ALIGN_START, &d->p->pal->accent))
    draw_free_text (d, now_label, g->width - 8, y_now - 3, g->label_px, TRUE, TL_ALIGN_END,
                    TL_ALIGN_END, &d->p->pal->accent);
  for (gint64 t = (g->t0 + step - 1) / step * step; t <= g->t0 + g->span_us; t += step)
    {
      g_autofree char *text = format_time (t);

      draw_free_text (d, text, 6, y_of (g, t) - 2, g->label_px, FALSE, TL_ALIGN_START,
                      TL_ALIGN_END, &d->p->pal->muted);
    }
}

static void
draw_frame (TlPainter     *p,
            const Geom    *g,
            const TlTrace *trace)
{
  cairo_t *cr = p->cr;
  gint64 step = grid_step (g->span_us);
  double y_now = y_of (g, g->time_us);

  /* The lines across and along are rectangles on whole pixels: what
   * cairo's image surface fills fastest (an antialiased stroke of the
   * timelines was a tenth of a flood's frame).  The grid; its times are
   * drawn last (draw_times). */
  tl_painter_set_rgb (p, &p->pal->grid, 1.0);
  for (gint64 t = (g->t0 + step - 1) / step * step; t <= g->t0 + g->span_us; t += step)
    cairo_rectangle (cr, 0, floor (y_of (g, t)), g->width, 1);
  cairo_fill (cr);

  for (guint h = 0; h < 2; h++)
    {
      char addr[TL_ADDR_STRLEN];
      g_autofree char *name = tl_render_host_name (trace, h);

      tl_trace_format_addr (trace, tl_trace_host_addr (trace, h), addr);
      tl_painter_set_rgb (p, &p->pal->host[h], 1.0);
      tl_painter_text (p, name, g->title_x[h], g->font_px * 0.2,
                       g->title_px, TRUE, TL_ALIGN_CENTER, TL_ALIGN_START, NULL, NULL);
      tl_painter_set_rgb (p, &p->pal->muted, 1.0);
      tl_painter_text (p, addr, g->title_x[h], g->addr_y, g->label_px, FALSE,
                       TL_ALIGN_CENTER, TL_ALIGN_START, NULL, NULL);
      /* The past solid, the future faint. */
      tl_painter_set_rgb (p, &p->pal->host[h], 1.0);
      cairo_rectangle (cr, g->x[h] - 2, floor (g->top), 4,
                       MAX (floor (MIN (y_now, g->bottom)) - floor (g->top), 0));
      cairo_fill (cr);
      tl_painter_set_rgb (p, &p->pal->host[h], 0.3);
      cairo_rectangle (cr, g->x[h] - 2, floor (MIN (y_now, g->bottom)), 4,
                       MAX (floor (g->bottom) - floor (MIN (y_now, g->bottom)), 0));
      cairo_fill (cr);
    }

  /* The playhead. */
  tl_painter_set_rgb (p, &p->pal->accent, 1.0);
  cairo_rectangle (cr, 0, floor (y_now) - 1, g->width, 3);
  cairo_fill (cr);
}

void
tl_render_ladder (cairo_t             *cr,
                  const TlTrace       *trace,
                  gint64               time_us,
                  double               width,
                  double               height,
                  const TlRenderStyle *style)
{
  TlPainter painter;
  DrawData d;
  Geom g;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (trace != NULL);
  g_return_if_fail (style != NULL);

  if (width < 1 || height < 1)
    return;

  cairo_save (cr);
  tl_painter_init (&painter, cr, style, width, height);
  geom_init (&g, &painter, trace, time_us, width, height, style);
  tl_painter_background (&painter, width, height);
  /* Covered whole (a question's card on a small screen): no text under it. */
  if (style->ladder_cover_px > 0 && g.height > height - style->ladder_cover_px + 2)
    {
      tl_painter_clear (&painter);
      cairo_restore (cr);
      return;
    }
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  /* Shapes antialiased the fast way (text keeps its own): long diagonal
   * arrows and the flood's bands cost a third of the default's. */
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_FAST);

  d.p = &painter;
  d.trace = trace;
  d.labels = g_array_new (FALSE, FALSE, sizeof (cairo_rectangle_t));
  for (guint b = 0; b < N_DENSE; b++)
    d.dense[b] = g_array_new (FALSE, FALSE, sizeof (DenseLine));
  d.last_note_bottom[0] = d.last_note_bottom[1] = -G_MAXDOUBLE;
  d.last_dot_y[0] = d.last_dot_y[1] = -G_MAXDOUBLE;
  for (guint h = 0; h < 2; h++)
    for (guint s = 0; s < TL_N_STATES; s++)
      d.noted_y[h][s] = -G_MAXDOUBLE;
  d.last_note[0][0] = d.last_note[1][0] = '\0';
  tl_painter_measure (&painter, tl_state_name (TL_STATE_SYN_RCVD), g.note_px, TRUE, NULL,
                      &d.note_h);
  d.selected = style->selected_record;
  d.focus = style->focus_record;
  d.has_focus_box = FALSE;
  d.g = &g;
  d.bands = g_array_new (FALSE, FALSE, sizeof (Band));
  d.arrows = g_array_new (FALSE, FALSE, sizeof (DenseLine));
  d.ends = g_array_new (FALSE, FALSE, sizeof (cairo_rectangle_t));
  d.pending = g_array_new (FALSE, FALSE, sizeof (PendingLabel));
  d.ghost = FALSE;
  d.give_way = FALSE;
  d.dots = NULL;
  /* Segments sent before the window start above it: keep them off the names. */
  cairo_save (cr);
  cairo_rectangle (cr, 0, MAX (g.top - g.font_px * 0.5, g.header_bottom), width, height);
  cairo_clip (cr);
  collect_bands (&g, &d);
  band_finish (&g, &d);
  draw_band_shapes (&d);
  cairo_restore (cr);
  draw_frame (&painter, &g, trace);
  cairo_save (cr);
  cairo_rectangle (cr, 0, MAX (g.top - g.font_px * 0.5, g.header_bottom), width, height);
  cairo_clip (cr);
  d.held = NULL;
  if (style->ghost != NULL)
    {
      d.held = g_array_new (FALSE, FALSE, sizeof (HeldNote));
      draw_ghost (&g, style, &d);
    }
  d.notes = TRUE;
  visit_own (&g, trace, draw_record, &d);
  if (g.dense && !g.texture)
    {
      /* A flood's notes after the hosts' own, in time order among
       * themselves, where they leave room. */
      flush_dots (&d);
      d.last_note_bottom[0] = d.last_note_bottom[1] = -G_MAXDOUBLE;
      d.last_dot_y[0] = d.last_dot_y[1] = -G_MAXDOUBLE;
      d.last_note[0][0] = d.last_note[1][0] = '\0';
      d.give_way = TRUE;
    }
  visit_sampled (&g, trace, draw_record, &d);
  d.give_way = FALSE;
  if (d.held != NULL)
    draw_held_notes (&g, &d);
  flush_dots (&d);
  d.notes = FALSE;
  visit_segments (&g, trace, draw_record, &d);
  place_segment_labels (&g, &d);
  draw_dense (&d);
  draw_band_labels (&d);
  draw_times (&d);
  draw_focus_ring (&g, &d);
  cairo_restore (cr);
  draw_overview (&painter, &g, trace);
  g_array_unref (d.labels);
  g_array_unref (d.bands);
  g_array_unref (d.arrows);
  g_array_unref (d.ends);
  g_array_unref (d.pending);
  for (guint b = 0; b < N_DENSE; b++)
    g_array_unref (d.dense[b]);

  tl_painter_clear (&painter);
  cairo_restore (cr);
}

typedef struct
{
  double  x, y;
  double  best;       /* distance of the nearest so far */
  guint32 index;
} HitData;

static void
hit_record (const Geom     *g,
            guint           index,
            const TlRecord *rec,
            gpointer        data)
{
  HitData *hit = data;
  SegGeom sg;
  double dx, dy, len2, u, dist;

  if (rec->kind != TL_REC_SEGMENT)
    return;
  seg_geom (g, rec, &sg);
  dx = sg.x1 - sg.x0;
  dy = sg.y1 - sg.y0;
  len2 = dx * dx + dy * dy;
  u = len2 > 0 ? CLAMP (((hit->x - sg.x0) * dx + (hit->y - sg.y0) * dy) / len2, 0.0, 1.0) : 0.0;
  dist = hypot (hit->x - (sg.x0 + u * dx), hit->y - (sg.y0 + u * dy));
  if (dist < hit->best)
    {
      hit->best = dist;
      hit->index = index;
    }
}

guint32
tl_render_ladder_hit (const TlTrace       *trace,
                      gint64               time_us,
                      double               width,
                      double               height,
                      const TlRenderStyle *style,
                      double               x,
                      double               y)
{
  HitData hit;
  Geom g;

  g_return_val_if_fail (trace != NULL, G_MAXUINT32);
  g_return_val_if_fail (style != NULL, G_MAXUINT32);

  if (width < 1 || height < 1)
    return G_MAXUINT32;
  geom_init_unpainted (&g, trace, time_us, width, height, style);
  hit.x = x;
  hit.y = y;
  /* Within half a line of text: easy to hit on a touchpad, hard to miss. */
  hit.best = MAX (8.0, g.font_px * 0.5);
  hit.index = G_MAXUINT32;
  visit_segments (&g, trace, hit_record, &hit);
  if (hit.index == G_MAXUINT32 && g.dense)
    {
      /* Inside a flood's band: the flood's segment under the pointer, of
       * those sent at most four delays before the pointer's time (binary
       * search, then at most HIT_LOOK records). */
      gint64 at_us = time_of (&g, y + hit.best);
      guint i = MAX (g.lo, tl_trace_records_until (trace, at_us - g.delay_us * 4 - 1));
      guint stop = MIN (MIN (g.hi, tl_trace_records_until (trace, at_us)), i + HIT_LOOK);

      for (; i < stop; i++)
        {
          const TlRecord *rec = tl_trace_record (trace, i);

          if (rec->kind == TL_REC_SEGMENT && flood_record (trace, rec))
            hit_record (&g, i, rec, &hit);
        }
    }
  return hit.index;
}

/* The ladder's geometry for finding its events one by one: FALSE when it
 * has no room. */
static gboolean
events_geom (Geom                *g,
             const TlTrace       *trace,
             gint64               time_us,
             double               width,
             double               height,
             const TlRenderStyle *style)
{
  if (width < 1 || height < 1)
    return FALSE;
  geom_init_unpainted (g, trace, time_us, width, height, style);
  return TRUE;
}

/* The records that may be the ladder's events one by one, in the trace's
 * order: those in view, or in a flood the hosts' own among them (the
 * flood's segments are its bands).  The k-th of n; n_events gives n. */
static guint
n_events (const Geom *g)
{
  return g->dense ? g->own_hi - g->own_lo : g->hi - g->lo;
}

static guint
event_at (const Geom    *g,
          const TlTrace *trace,
          guint          k)
{
  return g->dense ? g_array_index (trace_facts (trace)->own, guint32, g->own_lo + k) : g->lo + k;
}

/* The position among them of the first record at or after index. */
static guint
event_lower_bound (const Geom    *g,
                   const TlTrace *trace,
                   guint          index)
{
  if (!g->dense)
    return CLAMP (index, g->lo, g->hi) - g->lo;
  return CLAMP (own_lower_bound (trace_facts (trace)->own, index), g->own_lo, g->own_hi)
         - g->own_lo;
}

guint32
tl_render_ladder_hit_state (const TlTrace       *trace,
                            gint64               time_us,
                            double               width,
                            double               height,
                            const TlRenderStyle *style,
                            double               x,
                            double               y)
{
  guint32 best = G_MAXUINT32;
  double best_dy;
  Geom g;

  g_return_val_if_fail (trace != NULL, G_MAXUINT32);
  g_return_val_if_fail (style != NULL, G_MAXUINT32);

  if (!events_geom (&g, trace, time_us, width, height, style))
    return G_MAXUINT32;
  /* A note sits on its host's outer side at the change's height, or up to
   * two lines under it when changes close in time are stacked: the nearest
   * change on that side within that reach.  In a flood, the hosts' own
   * first; then a flood's change (a dot, or its name now and then) only if
   * nearer, found by binary search around the pointer's time. */
  best_dy = g.note_px * 2.5;
  for (guint pass = 0; pass < (g.dense ? 2 : 1); pass++)
    {
      guint k = 0, n = n_events (&g), stop = n;

      if (pass == 1)
        {
          k = MAX (g.lo, tl_trace_records_until (trace, time_of (&g, y - best_dy) - 1));
          stop = MIN (MIN (g.hi, tl_trace_records_until (trace, time_of (&g, y + best_dy))),
                      k + HIT_LOOK);
        }
      for (; k < stop; k++)
        {
          guint i = pass == 0 ? event_at (&g, trace, k) : k;
          const TlRecord *rec = tl_trace_record (trace, i);
          guint h = rec->host & 1;
          double dy = y - y_of (&g, rec->time_us);
          gboolean side = h == 0 ? x <= g.x[0] + g.font_px * 0.5 : x >= g.x[1] - g.font_px * 0.5;

          if (rec->kind != TL_REC_STATE || !side || dy < -g.note_px * 0.7 || fabs (dy) >= best_dy)
            continue;
          best_dy = fabs (dy);
          best = i;
        }
    }
  return best;
}

gboolean
tl_render_ladder_overview_time (const TlTrace       *trace,
                                gint64               time_us,
                                double               width,
                                double               height,
                                const TlRenderStyle *style,
                                double               x,
                                double               y,
                                gint64              *at_us)
{
  Geom g;

  g_return_val_if_fail (trace != NULL, FALSE);
  g_return_val_if_fail (style != NULL, FALSE);

  if (width < 1 || height < 1)
    return FALSE;
  geom_init_unpainted (&g, trace, time_us, width, height, style);
  if (x < g.strip_x - 4 || x > g.strip_x + g.strip_w + 4 || y < g.top - 4 || y > g.bottom + 4)
    return FALSE;
  *at_us = (gint64) (CLAMP ((y - g.top) / MAX (g.bottom - g.top, 1), 0.0, 1.0) *
                     tl_trace_end_time (trace));
  return TRUE;
}

gboolean
tl_render_ladder_line (const TlTrace       *trace,
                       gint64               time_us,
                       double               width,
                       double               height,
                       const TlRenderStyle *style,
                       guint                index,
                       double               line[4])
{
  const TlRecord *rec;
  SegGeom sg;
  Geom g;

  g_return_val_if_fail (trace != NULL, FALSE);
  g_return_val_if_fail (index < tl_trace_n_records (trace), FALSE);

  rec = tl_trace_record (trace, index);
  if (rec->kind != TL_REC_SEGMENT || width < 1 || height < 1)
    return FALSE;
  geom_init_unpainted (&g, trace, time_us, width, height, style);
  if (index < g.lo || index >= g.hi)
    return FALSE;
  seg_geom (&g, rec, &sg);
  line[0] = sg.x0;
  line[1] = sg.y0;
  line[2] = sg.x1;
  line[3] = sg.y1;
  return TRUE;
}

/* Whether record index is one of the keyboard's events in the ladder g
 * (tl_render_ladder_step). */
static gboolean
is_keyboard_event (const Geom    *g,
                   const TlTrace *trace,
                   guint          index)
{
  const TlRecord *rec = tl_trace_record (trace, index);
  SegGeom sg;
  double y;

  switch ((TlRecordKind) rec->kind)
    {
    case TL_REC_STATE:
      y = y_of (g, rec->time_us);
      return y >= g->top && y <= g->bottom;
    case TL_REC_SEGMENT:
      if (tl_trace_segment_peer (trace, rec->u.seg.id) != 0)
        return FALSE;
      seg_geom (g, rec, &sg);
      return MAX (sg.y0, sg.y1) >= g->top && MIN (sg.y0, sg.y1) <= g->bottom;
    case TL_REC_ARRIVE:
    case TL_REC_TIMER:
    case TL_REC_APP:
    case TL_REC_HOST:
    case TL_REC_LINK:
    case TL_REC_QUEUES:
    case TL_REC_CWND:
    case TL_REC_SAY:
    case TL_REC_PAUSE:
    case TL_REC_END:
      break;
    }
  return FALSE;
}

guint32
tl_render_ladder_step (const TlTrace       *trace,
                       gint64               time_us,
                       double               width,
                       double               height,
                       const TlRenderStyle *style,
                       guint32              from,
                       int                  direction)
{
  guint n, k;
  Geom g;

  g_return_val_if_fail (trace != NULL, G_MAXUINT32);
  g_return_val_if_fail (style != NULL, G_MAXUINT32);

  if (!events_geom (&g, trace, time_us, width, height, style))
    return G_MAXUINT32;
  n = n_events (&g);
  k = from == G_MAXUINT32 ? n : event_lower_bound (&g, trace, from);
  if (k >= n || event_at (&g, trace, k) != from || !is_keyboard_event (&g, trace, from))
    {
      for (k = n; k > 0; k--)
        if (is_keyboard_event (&g, trace, event_at (&g, trace, k - 1)))
          return event_at (&g, trace, k - 1);
      return G_MAXUINT32;
    }
  if (direction > 0)
    {
      for (k++; k < n; k++)
        if (is_keyboard_event (&g, trace, event_at (&g, trace, k)))
          return event_at (&g, trace, k);
    }
  else if (direction < 0)
    {
      for (; k > 0; k--)
        if (is_keyboard_event (&g, trace, event_at (&g, trace, k - 1)))
          return event_at (&g, trace, k - 1);
    }
  return from;
}

gboolean
tl_render_ladder_event_point (const TlTrace       *trace,
                              gint64               time_us,
                              double               width,
                              double               height,
                              const TlRenderStyle *style,
                              guint32              index,
                              double              *x,
                              double              *y)
{
  const TlRecord *rec;
  SegGeom sg;
  Geom g;
  guint k;

  g_return_val_if_fail (trace != NULL, FALSE);
  g_return_val_if_fail (style != NULL, FALSE);

  if (!events_geom (&g, trace, time_us, width, height, style))
    return FALSE;
  k = event_lower_bound (&g, trace, index);
  if (k >= n_events (&g) || event_at (&g, trace, k) != index
      || !is_keyboard_event (&g, trace, index))
    return FALSE;
  rec = tl_trace_record (trace, index);
  if (rec->kind == TL_REC_STATE)
    {
      guint h = rec->host & 1;

      *x = g.x[h] + (h == 0 ? -g.note_gap : g.note_gap);
      *y = y_of (&g, rec->time_us);
      return TRUE;
    }
  seg_geom (&g, rec, &sg);
  *x = (sg.x0 + sg.x1) / 2;
  *y = CLAMP ((sg.y0 + sg.y1) / 2, g.top, g.bottom);
  return TRUE;
}

gint64
tl_render_ladder_step_time (const TlTrace       *trace,
                            gint64               time_us,
                            const TlRenderStyle *style,
                            int                  direction)
{
  guint n, i;
  gint64 t0, span, gap;

  g_return_val_if_fail (trace != NULL, time_us);
  g_return_val_if_fail (style != NULL, time_us);

  n = tl_trace_n_records (trace);
  tl_render_ladder_window (trace, time_us, style, &t0, &span);
  gap = MAX (span / FLOOD_STEPS, 1);
  if (direction > 0)
    {
      /* The first record after the playhead that is not a flood's, or the
       * first of a flood's a gap or more later. */
      for (i = tl_trace_records_until (trace, time_us); i < n; i++)
        {
          const TlRecord *rec = tl_trace_record (trace, i);

          if (rec->time_us >= time_us + gap || !flood_record (trace, rec))
            return rec->time_us;
        }
      return MAX (tl_trace_end_time (trace), time_us);
    }
  if (direction < 0)
    {
      for (i = time_us > 0 ? tl_trace_records_until (trace, time_us - 1) : 0; i > 0; i--)
        {
          const TlRecord *rec = tl_trace_record (trace, i - 1);

          if (rec->time_us <= time_us - gap || !flood_record (trace, rec))
            return rec->time_us;
        }
      return 0;
    }
  return time_us;
}
