/* tl-render.h: the views as plain cairo functions of (trace, time, size, style).
 *
 * They depend on cairo and Pango only, never on GTK, so the widgets and
 * `tcplab-cli render` draw the same pixels, with or without a display.
 * Text is drawn with Pango (pangocairo), never with cairo's toy text API.
 */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "tl-trace.h"

G_BEGIN_DECLS

/* The largest picture tl_render_to_file draws: 8K UHD's 7680x4320 pixels
 * (133 MB as an image), each side at most 8192. */
#define TL_RENDER_MAX_SIDE   8192
#define TL_RENDER_MAX_PIXELS (7680 * 4320)

/* What a label is, for the legibility rules (DESIGN.md: readable from the
 * back of a classroom) that tests check on every label drawn. */
typedef enum
{
  TL_LABEL_TEXT,    /* any other text the class reads */
  TL_LABEL_STATE,   /* a TCP state's name */
  TL_LABEL_ARROWHEAD, /* no text: an arrow's head (TlRenderStyle.marks) */
} TlLabelKind;

/* One text as drawn, in the target's pixels. */
typedef struct
{
  double       x, y, width, height;   /* its logical rectangle */
  double       line_px;               /* the height of one of its lines */
  TlLabelKind  kind;
  char        *text;
  double       ink[3];                /* the colour it is drawn in (r, g, b, 0..1) */
} TlRenderLabel;

/* An array of TlRenderLabel that frees their text. */
GArray *tl_render_labels_new (void);

/* The smallest sizes the views draw text in at font_scale 1, in pixels
 * (the font's size; DejaVu Sans and Noto Sans CJK give lines of at least
 * 18 and 20 px at these sizes). */
#define TL_RENDER_TEXT_MIN_PX  16.0
#define TL_RENDER_STATE_MIN_PX 17.5

typedef struct
{
  gboolean dark;            /* dark style: light ink on a dark ground */
  double   font_scale;      /* 1.0 normal; larger for a projector */
  guint32  selected_record; /* a TL_REC_SEGMENT record to highlight, or G_MAXUINT32 */
  /* The ladder: the event (a TL_REC_SEGMENT or TL_REC_STATE record) the
   * keyboard is on, ringed in the accent colour; G_MAXUINT32: none. */
  guint32  focus_record;
  /* Animation, supplied by the widget from its frame clock: how far (0..1)
   * each host's token has glided along the edge of its last state change.
   * Headless renders pass 1.0 (the token sits in its state). */
  double   glide[2];
  const char *locale;       /* for lesson text; NULL: untranslated */
  /* If not NULL, every text drawn and left visible is appended to it (a
   * TlRenderLabel array from tl_render_labels_new()); for tests. */
  GArray     *labels;
  /* If not NULL, every arrowhead drawn is appended to it (its bounding box
   * as a TL_LABEL_ARROWHEAD TlRenderLabel, text "▶"): tests check that no
   * text is drawn over an arrow's end. */
  GArray     *marks;
  /* The ladder's window of time: ladder_span_us 0 follows the playhead
   * (tl_render_ladder_window); else that long, from ladder_t0_us, or placed
   * around the playhead if ladder_t0_us is negative. */
  gint64      ladder_t0_us;
  gint64      ladder_span_us;
  /* The diagram: a state being explained (its box and the edges in and out
   * of it lit), or -1; and the edges coloured by the role that takes them
   * (tl-states-explained.h), with a legend. */
  int      explained_state;
  gboolean role_colours;
  /* Each host's profile and the settings that differ from its defaults
   * (tl_settings_describe: "rfc: backlog 4"), shown with its socket table;
   * NULL: not shown. */
  const char *host_settings[2];
  /* The ladder: a what-if's original run (the lesson as written), whose
   * records from index ghost_from on are drawn ghosted (dashed, faint, the
   * states' names in brackets) where the trace drawn differs; NULL for none. */
  const TlTrace *ghost;
  guint          ghost_from;
  /* The diagram: the real kernel's run of the same lesson (a sidecar's), its
   * tokens drawn as rings, around the simulation's where both agree; NULL: none. */
  const TlTrace *real_trace;
  /* The socket tables: scrolled by this many pixels (their whole height
   * is tl_render_sockets_height), and per host a bit (1 << TlState) for
   * each state whose group row is opened to show its sockets. */
  double   sockets_scroll_px;
  guint32  sockets_expanded[2];
  /* The timers: scrolled by this many pixels (their whole height is
   * tl_render_timers_height). */
  double   timers_scroll_px;
  /* The ladder: this many pixels at its bottom are covered (the window's
   * question card): its timelines end above them.  0: none. */
  double   ladder_cover_px;
  /* The ladder's size on the screen (its widget's): the window that follows
   * the playhead keeps as many of the last events as the height left above
   * the cover has lines for (tl_render_ladder_window).  0: the last 8,
   * whatever the height. */
  double   ladder_view_w;
  double   ladder_view_h;
} TlRenderStyle;

void tl_render_style_init (TlRenderStyle *style);

typedef enum
{
  TL_VIEW_DIAGRAM,
  TL_VIEW_LADDER,
  TL_VIEW_TIMERS,
  TL_VIEW_SOCKETS,
  TL_VIEW_ALL,       /* the four together, as the window shows them */
} TlView;

/* Each draws into the rectangle (0, 0, width, height) of cr, background included. */
void tl_render_diagram (cairo_t             *cr,
                        const TlTrace       *trace,
                        gint64               time_us,
                        double               width,
                        double               height,
                        const TlRenderStyle *style);
/* The diagram as a socket table sees it (tl-socktable.h): no tokens, each
 * state's box with the number of sockets in it (counts[TL_N_STATES]; CLOSED
 * on the top box), shaded by that number. */
void tl_render_diagram_counts (cairo_t             *cr,
                               const guint          counts[TL_N_STATES],
                               double               width,
                               double               height,
                               const TlRenderStyle *style);
void tl_render_ladder  (cairo_t             *cr,
                        const TlTrace       *trace,
                        gint64               time_us,
                        double               width,
                        double               height,
                        const TlRenderStyle *style);
void tl_render_timers  (cairo_t             *cr,
                        const TlTrace       *trace,
                        gint64               time_us,
                        double               width,
                        double               height,
                        const TlRenderStyle *style);
void tl_render_sockets (cairo_t             *cr,
                        const TlTrace       *trace,
                        gint64               time_us,
                        double               width,
                        double               height,
                        const TlRenderStyle *style);
void tl_render_view    (cairo_t             *cr,
                        TlView               view,
                        const TlTrace       *trace,
                        gint64               time_us,
                        double               width,
                        double               height,
                        const TlRenderStyle *style);

/* The simulation and the real kernel's run of one lesson side by side, on
 * one time axis with one playhead: the diagram with both runs' tokens, the
 * two ladders, and diffs (TlDiff of tl_trace_diff (sim, real), may be NULL)
 * marked on both ladders once the playhead has passed them.  Returns the
 * number of marks drawn. */
guint tl_render_compare (cairo_t             *cr,
                         const TlTrace       *sim,
                         const TlTrace       *real,
                         const GArray        *diffs,
                         gint64               time_us,
                         double               width,
                         double               height,
                         const TlRenderStyle *style);

/* Hit testing in the ladder as last drawn at this size and time: the
 * TL_REC_SEGMENT record under (x, y) (inside a flood's band, the flood's
 * segment there), or G_MAXUINT32. */
guint32 tl_render_ladder_hit (const TlTrace       *trace,
                              gint64               time_us,
                              double               width,
                              double               height,
                              const TlRenderStyle *style,
                              double               x,
                              double               y);

/* The same for the state changes written beside the timelines: the
 * TL_REC_STATE record whose note or dot is under (x, y), or G_MAXUINT32. */
guint32 tl_render_ladder_hit_state (const TlTrace       *trace,
                                    gint64               time_us,
                                    double               width,
                                    double               height,
                                    const TlRenderStyle *style,
                                    double               x,
                                    double               y);

/* The keyboard's way through the ladder drawn at this size and time: its
 * events are the state changes and the segments' arrows in view (in a
 * flood the hosts' own, not the flood's bands), in the trace's order.  The next one after from
 * (direction > 0) or before it (direction < 0); from itself when there is
 * none that way; the last one at the playhead when from is not in view
 * (or G_MAXUINT32); G_MAXUINT32 when there is none. */
guint32  tl_render_ladder_step  (const TlTrace       *trace,
                                 gint64               time_us,
                                 double               width,
                                 double               height,
                                 const TlRenderStyle *style,
                                 guint32              from,
                                 int                  direction);
/* Where the playhead steps to from time_us (the window's Left and Right):
 * the next record's time (direction > 0) or the one before (< 0), as the
 * trace has them one by one; but a flood's records (to or from spoofed
 * addresses, and their connections') only one per 40th of the ladder's
 * window (style's zoom), while every record of the hosts' own connections,
 * narration and pauses stays a step.  The lesson's end, or 0, past the last. */
gint64   tl_render_ladder_step_time (const TlTrace       *trace,
                                     gint64               time_us,
                                     const TlRenderStyle *style,
                                     int                  direction);
/* Where such an event is drawn, for a popover to point at: the middle of a
 * segment's arrow, a state change's place beside its timeline.  FALSE when
 * index is none of them in view. */
gboolean tl_render_ladder_event_point (const TlTrace       *trace,
                                       gint64               time_us,
                                       double               width,
                                       double               height,
                                       const TlRenderStyle *style,
                                       guint32              index,
                                       double              *x,
                                       double              *y);

/* A state as `ss -tan` spells it (ESTAB, SYN-RECV, TIME-WAIT, ...), and
 * back: FALSE if name is no ss state. */
const char *tl_render_ss_state      (TlState        state);
gboolean    tl_render_state_from_ss (const char    *name,
                                     TlState       *state);
/* What the socket tables' ss spellings stand for, for the states shown at
 * time_us: "SYN-RECV: SYN-RECEIVED in RFC 9293, SYN_RCVD in the diagram",
 * a line each; NULL if no socket is open.  Free it. */
char       *tl_render_sockets_tooltip (const TlTrace *trace,
                                       gint64         time_us);
/* The socket tables' whole height in a view of width x height: a row for
 * every socket, except that when they do not all fit, the sockets of a
 * state with several are one row with their count, and under it its
 * sockets if opened (style->sockets_expanded); each host's settings under
 * its name when the rows fit with them.  Nothing is left out: a view
 * shorter than this scrolls (style->sockets_scroll_px). */
double      tl_render_sockets_height (const TlTrace       *trace,
                                      gint64               time_us,
                                      double               width,
                                      double               height,
                                      const TlRenderStyle *style);
/* The timers' whole height in a view of width x height: a row for every
 * timer, except that when they do not all fit, the timers of a kind with
 * several running on a host are one row with their count.  Nothing is left
 * out: a view shorter than this scrolls (style->timers_scroll_px). */
double      tl_render_timers_height  (const TlTrace       *trace,
                                      gint64               time_us,
                                      double               width,
                                      double               height,
                                      const TlRenderStyle *style);
/* The group row under (x, y) in the socket tables as drawn: TRUE, with its
 * host and state; FALSE if (x, y) is on no group row. */
gboolean    tl_render_sockets_hit_group (const TlTrace       *trace,
                                         gint64               time_us,
                                         double               width,
                                         double               height,
                                         const TlRenderStyle *style,
                                         double               x,
                                         double               y,
                                         guint               *host,
                                         TlState             *state);
/* A name as the views draw it and the window writes it: at most
 * TL_RENDER_NAME_CHARS characters, a longer one cut with an ellipsis (a
 * lesson's host name may be 4000 characters long, and was drawn across every
 * view and grew every label that said it).  tl_render_host_name: a host of
 * the trace; tl_render_cut_host_names: text (an expectation as the checker
 * words it) with each of the trace's long host names in it cut.  Free them. */
#define TL_RENDER_NAME_CHARS 20
char       *tl_render_cut_name       (const char    *name);
char       *tl_render_host_name      (const TlTrace *trace,
                                      guint          host);
char       *tl_render_cut_host_names (const TlTrace *trace,
                                      const char    *text);
/* A lesson's text for a wrapping label: a zero-width space after each
 * TL_RENDER_WORD_RUN letters or digits of one word.  Pango wraps a word
 * longer than its line letter by letter, in time that grows as the square
 * of its length (one 3000-letter word: 0.7 s for a label's least width, a
 * question card with four such texts measured in 1.3 s); the spaces let it
 * break as between words.  Text without such a word comes back the same. */
#define TL_RENDER_WORD_RUN 40
char       *tl_render_breakable      (const char    *text);
/* A connection as the lesson names it: "client#1"; a listener by its host.
 * The host's name is cut as the views draw it (at most 20 characters). */
char       *tl_render_conn_name     (const TlTrace *trace,
                                     guint32        conn);

/* The ladder's window of time at time_us: the style's, or the one that
 * follows the playhead, keeping the last events in view (or the whole
 * lesson if it fits). */
void    tl_render_ladder_window (const TlTrace       *trace,
                                 gint64               time_us,
                                 const TlRenderStyle *style,
                                 gint64              *t0_us,
                                 gint64              *span_us);
/* The height at the top of a ladder this size that it keeps for its hosts'
 * names and a few lines of time above what covers its bottom
 * (style->ladder_cover_px); covered higher, it draws nothing. */
double  tl_render_ladder_least_height (const TlTrace       *trace,
                                       gint64               time_us,
                                       double               width,
                                       double               height,
                                       const TlRenderStyle *style);
/* The time under (x, y) in the ladder's overview strip; FALSE if (x, y) is
 * not in the strip. */
gboolean tl_render_ladder_overview_time (const TlTrace       *trace,
                                         gint64               time_us,
                                         double               width,
                                         double               height,
                                         const TlRenderStyle *style,
                                         double               x,
                                         double               y,
                                         gint64              *at_us);
/* Hit testing in the diagram at this size: the state whose box is under
 * (x, y), or -1. */
int     tl_render_diagram_hit (double               width,
                               double               height,
                               const TlRenderStyle *style,
                               double               x,
                               double               y);

/* Writes a view to FILE.png, .svg or .pdf (by the extension), atomically
 * (a temporary file renamed into place). */
gboolean tl_render_to_file (TlView               view,
                            const TlTrace       *trace,
                            gint64               time_us,
                            int                  width,
                            int                  height,
                            const TlRenderStyle *style,
                            const char          *path,
                            GError             **error);

G_END_DECLS
