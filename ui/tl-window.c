/* tl-window.c: the main window of TCP Lab, built from tl-window.ui.
 *
 * A lesson list, the four views, the narration and the pause question, the
 * playback controls and the free-play buttons, all around one TlSession.
 * Every control is a GAction ("win.play", ...) so that the keyboard, the
 * buttons and the tests drive the same code; the actions, the playback keys
 * and the free-play buttons are in tl-window-actions.c.
 */
#include "tl-config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "tl-capture.h"
#include "tl-expectations.h"
#include "tl-explain.h"
#include "tl-export.h"
#include "tl-lesson.h"
#include "tl-lesson-groups.h"
#include "tl-paths.h"
#include "tl-presentation.h"
#include "tl-real-view.h"
#include "tl-render.h"
#include "tl-questions.h"
#include "tl-whatif.h"
#include "tl-settings.h"
#include "tl-window-state.h"
#include "tl-window-private.h"

/* A frame late by more than this (the window was hidden) does not make the
 * playhead jump. */
#define MAX_FRAME_US (100 * G_TIME_SPAN_MILLISECOND)

/* A classroom projector is often 1280x720 or 1024x768.  Below this height
 * the timers, the socket tables and, in a lesson, free play fold away (F7,
 * F8 bring them back; free play's buttons stay in a free play, which has
 * nothing else), so the diagram and the ladder get the height; below this width the
 * lesson list folds away (F9). */
#define COMPACT_HEIGHT 860
#define NARROW_WIDTH   1400
/* The diagram's share of the views' width, and the diagram and ladder's
 * share of their height above the tables; kept as the window resizes
 * (GtkPaned scales a position it was given). */
#define DIAGRAM_SHARE  0.6
#define VIEWS_SHARE    0.74
#define SMALL_VIEWS_SHARE 0.67
/* The window asks for this much of a larger screen. */
#define DEFAULT_WIDTH  1600
#define DEFAULT_HEIGHT 1000
/* The timers and tables' least height at text size 1, and on any screen. */
#define TABLES_HEIGHT     190
#define TABLES_HEIGHT_MIN 120

enum
{
  PROP_0,
  PROP_TEXT_SCALE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The text sizes Ctrl+plus and Ctrl+minus step through. */
const double tl_window_text_scales[] = { 0.7, 0.85, 1.0, 1.15, 1.3, 1.5, 1.75, 2.0 };

G_DEFINE_FINAL_TYPE (TlWindow, tl_window, GTK_TYPE_APPLICATION_WINDOW)

char *
tl_window_format_time (gint64 time_us)
{
  return g_strdup_printf (_("%.3f s"), (double) time_us / G_USEC_PER_SEC);
}

void
tl_window_toast (TlWindow   *self,
                 const char *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

/* The link from host 0 to host 1 at time_us: setup, then `link` lines. */
static void
link_at (const TlScenario *scenario,
         gint64            time_us,
         gint64           *delay_us,
         guint32          *loss_ppm)
{
  *delay_us = scenario->link[0].delay_us;
  *loss_ppm = scenario->link[0].loss_ppm;
  for (guint i = 0; i < scenario->stmts->len; i++)
    {
      const TlStmt *stmt = &g_array_index (scenario->stmts, TlStmt, i);

      if (stmt->time_us > time_us)
        break;
      if (stmt->kind != TL_STMT_LINK || stmt->u.link.dir == 1)
        continue;
      for (guint s = 0; s < stmt->u.link.n_settings; s++)
        {
          const TlLinkSetting *set = &stmt->u.link.settings[s];

          if (set->param == TL_LINK_DELAY)
            *delay_us = set->value;
          else if (set->param == TL_LINK_LOSS)
            *loss_ppm = set->value;
        }
    }
}

/* The timers' share of the tables' width tried, the half first: never
 * more than half, whose columns the tables need at the largest text size
 * (narrower, they cut a flood's addresses), while the timers' rows wrap. */
static const double timers_shares[] = { 0.5, 0.45, 0.4, 0.35, 0.3, 0.25 };

/* The heights of the timers' rows at width timers_w and the tables' at
 * sockets_w at time_us, laid out for panes of height h. */
static void
panes_heights (TlWindow *self,
               gint64    time_us,
               double    timers_w,
               double    sockets_w,
               double    h,
               double   *timers_h,
               double   *sockets_h)
{
  const TlTrace *trace = tl_session_get_trace (self->session);
  TlRenderStyle style;

  tl_view_widget_get_style (self->timers_view, &style);
  *timers_h = tl_render_timers_height (trace, time_us, timers_w, h, &style);
  tl_view_widget_get_style (self->sockets_view, &style);
  *sockets_h = tl_render_sockets_height (trace, time_us, sockets_w, h, &style);
}

/* How far the timers' rows at width timers_w and the tables' at
 * sockets_w run past the panes' height h now, in pixels. */
static double
tables_overflow (TlWindow *self,
                 double    timers_w,
                 double    sockets_w,
                 double    h)
{
  double timers_h, sockets_h;

  panes_heights (self, tl_session_get_time (self->session), timers_w, sockets_w, h, &timers_h,
                 &sockets_h);
  return MAX (timers_h - h, 0) + MAX (sockets_h - h, 0);
}

/* The timers and the socket tables share their row by what they show now:
 * the timers get the width, half or less, where the fewest rows of either
 * pane go out of view (the nearest the half of those), the tables the
 * rest, so that the tables scroll only when the timers have no width to
 * spare (three sockets a host beside five TIME_WAIT timers: the tables
 * side by side, the timers' rows narrower).  A pane with nothing to show gives its room to
 * the other: no timer running, the tables take the whole width (a flood's
 * rows need it), and the other way round.  Measured again only when what
 * they show or their size changed. */
static void
share_tables (TlWindow *self)
{
  TlWorld world;
  guint n_timers, n_sockets;
  int width = gtk_widget_get_width (self->tables_box);
  int height = gtk_widget_get_height (self->tables_box);
  GString *key;

  if (!gtk_widget_get_visible (self->tables_box))
    {
      /* their divider placed again when they are shown again */
      g_object_set_data (G_OBJECT (self->tables_paned), "tl-placed", NULL);
      g_clear_pointer (&self->tables_key, g_free);
      return;
    }
  tl_world_init (&world);
  tl_trace_world_at (tl_session_get_trace (self->session), tl_session_get_time (self->session),
                     &world);
  n_timers = world.timers->len;
  n_sockets = world.sockets->len;
  gtk_widget_set_visible (self->timers_scroll, n_timers > 0 || n_sockets == 0);
  gtk_widget_set_visible (self->sockets_scroll, n_sockets > 0 || n_timers == 0);
  gtk_widget_set_hexpand (self->timers_scroll, !gtk_widget_get_visible (self->sockets_scroll));
  key = g_string_new (NULL);
  g_string_printf (key, "%p %dx%d %g %u:", (void *) tl_session_get_trace (self->session), width,
                   height, self->text_scale, n_timers);
  for (guint i = 0; i < n_timers; i++)
    g_string_append_printf (key, " %u", g_array_index (world.timers, TlWorldTimer, i).timer);
  for (guint h = 0; h < 2; h++)
    for (guint st = 0; st < TL_N_STATES; st++)
      g_string_append_printf (key, " %u", world.counts[h][st]);
  tl_world_clear (&world);
  if (width <= 1 || height <= 1 || g_strcmp0 (key->str, self->share_key) == 0 ||
      n_timers == 0 || n_sockets == 0)
    {
      g_string_free (key, TRUE);
      return;
    }
  g_free (self->share_key);
  self->share_key = g_string_free (key, FALSE);
  {
    double best_over = G_MAXDOUBLE, best = 0.5;

    for (guint i = 0; i < G_N_ELEMENTS (timers_shares) && best_over > 0; i++)
      {
        double over = tables_overflow (self, width * timers_shares[i],
                                       width * (1 - timers_shares[i]), height);

        if (over < best_over - 0.5)
          {
            best_over = over;
            best = timers_shares[i];
          }
      }
    tl_view_widget_set_natural_width (self->timers_view, (int) (width * best));
  }
}

static gboolean
later_cb (gpointer data)
{
  TlWindowLater *work = data;

  work->id = 0;
  work->run (work->window);
  return G_SOURCE_REMOVE;
}

/* work done once the window has its new size or content (the narration
 * measured, the card fitted, the tables' width shared), not while it lays
 * itself out; once however often it is asked for meanwhile */
static void
run_later (TlWindowLater *work)
{
  if (work->id == 0)
    work->id = g_idle_add (later_cb, work);
}

/* Free play: no lesson, the hosts made to act with free play's buttons. */
static gboolean
in_free_play (TlWindow *self)
{
  return tl_session_get_scenario (self->session)->title == NULL
         && tl_session_get_file (self->session) == NULL;
}

static void
update_time (TlWindow *self)
{
  gint64 time_us = tl_session_get_time (self->session);
  gint64 end_us = tl_session_get_end_time (self->session);
  const char *narration = tl_trace_narration_at (tl_session_get_trace (self->session), time_us,
                                                 tl_session_get_locale (self->session));
  g_autofree char *now = tl_window_format_time (time_us);
  g_autofree char *end = tl_window_format_time (end_us);
  g_autofree char *label = g_strdup_printf (_("%s / %s"), now, end);
  gint64 delay_us;
  guint32 loss_ppm;

  self->updating = TRUE;
  gtk_adjustment_configure (self->time_adjustment, (double) time_us / 1000.0, 0.0,
                            MAX ((double) end_us / 1000.0, 1.0), 1.0, 100.0, 0.0);
  gtk_label_set_text (self->time_label, label);
  /* Before the first `say`, the lesson's summary sets the scene. */
  if (narration == NULL)
    narration = tl_scenario_summary (tl_session_get_scenario (self->session),
                                     tl_session_get_locale (self->session));
  if (narration == NULL && in_free_play (self))
    narration = _("Free play: make each host act with the buttons below, then save it as a lesson.");
  {
    g_autofree char *shown = tl_render_breakable (narration != NULL ? narration : "");

    gtk_label_set_text (self->narration_label, shown);
  }
  tl_whatif_mark_narration (self);
  link_at (tl_session_get_scenario (self->session), time_us, &delay_us, &loss_ppm);
  gtk_spin_button_set_value (self->delay_spin, (double) delay_us / 1000.0);
  gtk_spin_button_set_value (self->loss_spin, (double) loss_ppm / 10000.0);
  share_tables (self);
  self->updating = FALSE;
}

/* The narration and the question keep their sizes of style.css, times the
 * text size. */
void
tl_window_scale_label (GtkLabel *label,
                       double    scale)
{
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_scale_new (scale));
  gtk_label_set_attributes (label, attrs);
  pango_attr_list_unref (attrs);
}

static void fit_tables_height  (TlWindow *self);

/* A lesson's narration this long or shorter is never cut: it is text
 * someone wrote to be read (the longest shipped one has 279 characters).
 * A longer one (a lesson from anywhere may say 4000 letters) is cut with
 * an ellipsis after as many lines as the longest of the others takes, and
 * at least NARRATION_CUT_LINES. */
#define NARRATION_WHOLE_CHARS 500
#define NARRATION_CUT_LINES   6
/* The narration takes the height the window can give it on the screen
 * while the views (and the tables under them) keep at least this share of
 * it: where the lesson's longest would take more at the text size (2x on a
 * small screen), the narration's text steps down to the size where it fits,
 * never below NARRATION_MIN_SCALE (times its 18 pt: lines of 20 px). */
#define NARRATION_VIEWS_SHARE 0.45
#define NARRATION_MIN_SCALE   0.7

/* text laid out as the narration's label lays it out at width, cut after
 * lines lines (0: never); its height in pixels and its number of lines. */
static int
narration_height (TlWindow   *self,
                  const char *text,
                  int         width,
                  int         lines,
                  int        *n_lines)
{
  GtkLabel *label = self->narration_label;
  g_autofree char *shown = tl_render_breakable (text);
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (label), shown);
  int h;

  pango_layout_set_attributes (layout, gtk_label_get_attributes (label));
  pango_layout_set_width (layout, width * PANGO_SCALE);
  pango_layout_set_wrap (layout, gtk_label_get_wrap_mode (label));
  if (lines > 0)
    {
      pango_layout_set_ellipsize (layout, gtk_label_get_ellipsize (label));
      pango_layout_set_height (layout, -lines);
    }
  pango_layout_get_pixel_size (layout, NULL, &h);
  if (n_lines != NULL)
    *n_lines = pango_layout_get_line_count (layout);
  g_object_unref (layout);
  return h;
}

/* The lesson's words the narration shows: its summary, then each `say`,
 * in the session's language; NULL after the last. */
static const char *
nth_narration (TlWindow *self,
               guint    *i)
{
  const TlTrace *trace = tl_session_get_trace (self->session);
  const char *locale = tl_session_get_locale (self->session);
  guint n = tl_trace_n_records (trace);

  if (*i == 0)
    {
      const char *summary = tl_scenario_summary (tl_session_get_scenario (self->session), locale);

      (*i)++;
      if (summary != NULL)
        return summary;
    }
  for (; *i <= n; (*i)++)
    if (tl_trace_record (trace, *i - 1)->kind == TL_REC_SAY)
      {
        const char *text = tl_trace_narration_at (trace, tl_trace_record (trace, *i - 1)->time_us,
                                                  locale);

        (*i)++;
        if (text != NULL)
          return text;
      }
  return NULL;
}

/* The narration keeps the height of the lesson's longest (at this width
 * and text size, measured with Pango as the label lays it out), so the
 * views under it do not move from one `say` to the next; its text at the
 * largest size up to the text size where the lesson's narrations fit their
 * share of the screen whole. */
/* The height the narration may take: the screen's, less the header's,
 * what the rest of the window's column needs at least (controls, free
 * play) and what the views keep (at least their minimum, with the tables
 * when shown).  The column's least height is the one the window asks for:
 * AdwFlap measures it for no width in particular, where free play's
 * buttons wrap to more lines than at the column's width (88 px more at
 * 1920x1080, which at 2x with the lesson list shown made the window 14 px
 * taller than the screen). */
static int
narration_budget (TlWindow *self)
{
  GtkWidget *column = adw_flap_get_content (self->flap);
  GtkWidget *views = GTK_WIDGET (self->question_overlay);
  GtkWidget *label = GTK_WIDGET (self->narration_label);
  int window_min, column_min, views_min, label_min, play_more = 0;

  if (self->screen_height <= 0 || column == NULL || gtk_widget_get_width (column) <= 0)
    return G_MAXINT;
  /* the window's least height past its column's: the header and, drawn
   * by the window itself, its frame (10 px without a window manager) */
  gtk_widget_measure (GTK_WIDGET (self), GTK_ORIENTATION_VERTICAL, -1, &window_min, NULL, NULL,
                      NULL);
  gtk_widget_measure (column, GTK_ORIENTATION_VERTICAL, -1, &column_min, NULL, NULL, NULL);
  /* the column's parts measured as the column is, for no width (the
   * label's height then its size request, not its text's at its width) */
  gtk_widget_measure (views, GTK_ORIENTATION_VERTICAL, -1, &views_min, NULL, NULL, NULL);
  gtk_widget_measure (label, GTK_ORIENTATION_VERTICAL, -1, &label_min, NULL, NULL, NULL);
  /* free play as tall as its buttons are at its width, not as little as
   * its scroller asks for */
  if (gtk_widget_get_visible (self->freeplay_scroll) && gtk_widget_get_width (self->freeplay_scroll) > 0)
    {
      int play_min, play;

      gtk_widget_measure (self->freeplay_scroll, GTK_ORIENTATION_VERTICAL, -1, &play_min, NULL,
                          NULL, NULL);
      gtk_widget_measure (self->freeplay_box, GTK_ORIENTATION_VERTICAL,
                          gtk_widget_get_width (self->freeplay_scroll), NULL, &play, NULL, NULL);
      play_more = MAX (play - play_min, 0);
    }
  return self->screen_height - MAX (window_min - column_min, 0)
         - (column_min - label_min - views_min) - play_more
         - MAX (views_min, (int) (self->screen_height * NARRATION_VIEWS_SHARE));
}

static void
reserve_narration_room (TlWindow *self)
{
  GtkWidget *label = GTK_WIDGET (self->narration_label);
  int width = gtk_widget_get_width (label), tallest = 0, whole_lines = 0;
  int budget = narration_budget (self);
  double scale = self->text_scale;
  const char *text;
  guint i;

  self->narration_width = width;
  if (width <= 0)
    return;
  for (guint s = TL_WINDOW_N_TEXT_SCALES + 1; s-- > 0; )
    {
      int whole = 0;

      scale = s > 0 ? tl_window_text_scales[s - 1] : NARRATION_MIN_SCALE;
      if (scale > self->text_scale)
        continue;
      tl_window_scale_label (self->narration_label, scale);
      whole_lines = 0;
      for (i = 0; (text = nth_narration (self, &i)) != NULL; )
        if (g_utf8_strlen (text, -1) <= NARRATION_WHOLE_CHARS)
          {
            int lines;

            whole = MAX (whole, narration_height (self, text, width, 0, &lines));
            whole_lines = MAX (whole_lines, lines);
          }
      if (whole <= budget || scale <= NARRATION_MIN_SCALE)
        break;
    }
  self->narration_scale = scale;
  gtk_label_set_lines (self->narration_label, MAX (whole_lines, NARRATION_CUT_LINES));
  for (i = 0; (text = nth_narration (self, &i)) != NULL; )
    tallest = MAX (tallest, narration_height (self, text, width,
                                              gtk_label_get_lines (self->narration_label), NULL));
  gtk_widget_set_size_request (label, -1, tallest > 0 ? tallest : -1);
}

void
tl_window_words_restyled (TlWindow *self)
{
  g_return_if_fail (TL_IS_WINDOW (self));

  run_later (&self->reserve);
  run_later (&self->fit);
}

/* The question's card: what a class reads at a pause, the question, every
 * choice and once answered the verdict and why, all of it on the screen at
 * once, never scrolled, at the text size or as near it as the room allows
 * and never below 1x (CARD_MIN_SCALE).  It lies over the views, which keep
 * their size and place, at the bottom of the band under the narration
 * (tl-window.c: card_rooms); in the first room that holds it, in this
 * order (fit_question_card):
 *   - the ladder's column below what the ladder keeps at its top (its hosts'
 *     names, a few lines of time and its last events: CARD_LADDER_KEEPS of
 *     its height at least), the diagram's states in view beside it;
 *   - the same column down over the timers and tables when they are shown;
 *   - the whole width over the timers and tables;
 *   - the ladder's column below what the ladder keeps at least
 *     (CARD_LADDER_LEAST, or what its drawing needs), and the tables under
 *     it: the diagram whole beside it (at 1280x720, 1x, time-wait-pileup's
 *     question at 1.9 s covered the diagram's lower rows, the lit
 *     TIME_WAIT among them, where the ladder had room);
 *   - the whole width below what the ladder keeps (the diagram's lower rows
 *     under it),
 * at the text size, then a step smaller, down to CARD_MIN_SCALE; then at
 * that size the whole width below CARD_LADDER_LEAST of the ladder (or
 * below what its drawing needs to show anything, tl_render_ladder_least_height),
 * then the diagram's column, up to its whole height (the ladder whole
 * beside it, the diagram's top rows above it), and at last the whole
 * height and width of the views.  Only what does not fit even there
 * (a lesson's thousand-word explanation) scrolls on the card. */
#define CARD_MARGIN 8
#define CARD_LADDER_KEEPS 0.45
#define CARD_LADDER_LEAST 0.35
/* The card's frame around its text: style.css's padding and border. */
#define CARD_PADDING_X 26
#define CARD_PADDING_Y 18
/* The card's text never smaller than its size at 1x (the question's 20 pt,
 * the choices' and the verdict's 15 pt: lines of 23 px at least), unless
 * the text size itself is smaller. */
#define CARD_MIN_SCALE 1.0

typedef enum
{
  CARD_OVER_LADDER,
  CARD_OVER_TABLES,     /* the ladder's column and the tables under it */
  CARD_BAND_TABLES,     /* the whole width, over the tables only */
  CARD_LADDER_MORE,     /* the ladder's column below what it keeps at least, and the tables */
  CARD_BAND,            /* the whole width below what the ladder keeps */
  CARD_BAND_MORE,       /* ... below what it keeps at least: the smallest size only */
  CARD_OVER_DIAGRAM,    /* the diagram's column, its whole height: the smallest size only */
  CARD_BAND_ALL,        /* the views' whole height: the smallest size only */
  N_CARD_ROOMS
} CardRoom;

typedef struct
{
  int x, width, top, bottom;
} CardRect;

/* Each room of the card in overlay's coordinates (a room the window has
 * not, the tables' when they are folded, with no height). */
static gboolean
card_rooms (TlWindow *self,
            CardRect  rooms[N_CARD_ROOMS])
{
  GtkWidget *overlay = GTK_WIDGET (self->question_overlay);
  GtkWidget *under = GTK_WIDGET (self->ladder_view);
  graphene_rect_t column, tables, left;
  double keeps = 0, least = 0, below, tables_top;
  int band_x = CARD_MARGIN, band_w = MAX (gtk_widget_get_width (overlay) - 2 * CARD_MARGIN, 1);
  int col_x, col_w;

  if (!gtk_widget_get_mapped (under))
    under = gtk_paned_get_start_child (self->tables_paned);
  if (under == NULL || !gtk_widget_compute_bounds (under, overlay, &column))
    return FALSE;
  if (under != GTK_WIDGET (self->ladder_view))
    {
      column.origin.x += column.size.width * 0.5;
      column.size.width *= 0.5;
    }
  else if (column.size.width >= 1 && column.size.height >= 1)
    {
      TlRenderStyle style;

      tl_view_widget_get_style (self->ladder_view, &style);
      least = tl_render_ladder_least_height (tl_session_get_trace (self->session),
                                             tl_session_get_time (self->session),
                                             column.size.width, column.size.height, &style) + 6;
      keeps = MAX (least, column.size.height * CARD_LADDER_KEEPS);
      least = MAX (least, column.size.height * CARD_LADDER_LEAST);
    }
  below = tables_top = column.origin.y + column.size.height;
  if (gtk_widget_get_mapped (self->tables_box) &&
      gtk_widget_compute_bounds (self->tables_box, overlay, &tables))
    {
      below = MAX (below, tables.origin.y + tables.size.height);
      tables_top = tables.origin.y;
    }
  col_x = (int) (column.origin.x + CARD_MARGIN);
  col_w = MAX ((int) (column.size.width - 2 * CARD_MARGIN), 1);
  rooms[CARD_OVER_LADDER] = (CardRect) { col_x, col_w, (int) (column.origin.y + keeps),
                                         (int) (column.origin.y + column.size.height - CARD_MARGIN) };
  rooms[CARD_OVER_TABLES] = (CardRect) { col_x, col_w, (int) (column.origin.y + keeps),
                                         (int) (below - CARD_MARGIN) };
  rooms[CARD_BAND_TABLES] = (CardRect) { band_x, band_w, (int) tables_top + CARD_MARGIN,
                                         (int) (below - CARD_MARGIN) };
  rooms[CARD_LADDER_MORE] = (CardRect) { col_x, col_w,
                                         (int) (column.origin.y + (least > 0 ? least : keeps)),
                                         (int) (below - CARD_MARGIN) };
  rooms[CARD_BAND] = (CardRect) { band_x, band_w, (int) (column.origin.y + keeps),
                                  (int) (below - CARD_MARGIN) };
  rooms[CARD_BAND_MORE] = (CardRect) { band_x, band_w, (int) (column.origin.y + least),
                                       (int) (below - CARD_MARGIN) };
  rooms[CARD_BAND_ALL] = (CardRect) { band_x, band_w, CARD_MARGIN, (int) (below - CARD_MARGIN) };
  rooms[CARD_OVER_DIAGRAM] = rooms[CARD_BAND_ALL];
  if (under == GTK_WIDGET (self->ladder_view) &&
      gtk_widget_compute_bounds (GTK_WIDGET (self->diagram_view), overlay, &left))
    {
      rooms[CARD_OVER_DIAGRAM].x = (int) (left.origin.x + CARD_MARGIN);
      rooms[CARD_OVER_DIAGRAM].width = MAX ((int) (left.size.width - 2 * CARD_MARGIN), 1);
    }
  for (guint r = 0; r < N_CARD_ROOMS; r++)
    rooms[r].bottom = MAX (rooms[r].bottom, rooms[r].top + 1);
  return TRUE;
}

/* The card's height at width, all its text wrapped: its text's, measured
 * at the width it is laid out at (GTK 4.8's scrolled window measures its
 * child at no width), and its frame. */
static int
card_height (TlWindow *self,
             int       width)
{
  int natural;

  gtk_widget_measure (self->question_box, GTK_ORIENTATION_VERTICAL,
                      MAX (width - CARD_PADDING_X, 1), NULL, &natural, NULL, NULL);
  return natural + CARD_PADDING_Y;
}

static gboolean
place_question_card (GtkOverlay   *overlay,
                     GtkWidget    *card,
                     GdkRectangle *allocation,
                     TlWindow     *self)
{
  CardRect rooms[N_CARD_ROOMS], *room = &rooms[self->card_room];
  int natural, height;

  if (card != self->question_card || !card_rooms (self, rooms))
    return FALSE;
  natural = card_height (self, room->width);
  height = MAX (MIN (natural, room->bottom - room->top), 1);
  allocation->x = room->x;
  allocation->y = room->bottom - height;
  allocation->width = room->width;
  allocation->height = height;
  /* Another size or other text (answered) than fit_question_card fitted:
   * again. */
  if (room->width != self->card_width || room->bottom - room->top != self->card_room_height ||
      natural != self->card_natural)
    run_later (&self->fit);
  gtk_widget_queue_draw (GTK_WIDGET (self->ladder_view));
  return TRUE;
}

/* The card's text at scale times its size, at width. */
static void
scale_card (TlWindow *self,
            double    scale,
            int       width)
{
  tl_window_scale_label (self->question_label, scale);
  tl_questions_fit (self, scale, width > 0 ? width - CARD_PADDING_X : -1);
}

/* The card at scale in room: TRUE if the room holds it whole. */
static gboolean
card_fits (TlWindow       *self,
           double          scale,
           const CardRect *room)
{
  if (room->bottom - room->top <= 1)
    return FALSE;
  scale_card (self, scale, room->width);
  self->card_natural = card_height (self, room->width);
  return self->card_natural <= room->bottom - room->top;
}

/* The card in the first of its rooms that holds it, at the largest text
 * size that one does (see above the rooms). */
static void
fit_question_card (TlWindow *self)
{
  CardRect rooms[N_CARD_ROOMS];
  CardRoom room = CARD_OVER_LADDER;
  double least = MIN (self->text_scale, CARD_MIN_SCALE), scale = least;
  gboolean fitted = FALSE;

  self->card_width = -1;
  if (!gtk_widget_get_visible (self->question_card) || !card_rooms (self, rooms))
    {
      self->card_room = CARD_OVER_LADDER;
      if (self->question_scale != self->text_scale)
        {
          self->question_scale = self->text_scale;
          scale_card (self, self->text_scale, -1);
        }
      return;
    }
  /* the text sizes from the text size down to the least, in the rooms
   * that keep the ladder's top */
  for (guint i = TL_WINDOW_N_TEXT_SCALES; i-- > 0 && !fitted; )
    {
      scale = tl_window_text_scales[i];
      if (scale > self->text_scale || scale < least)
        continue;
      for (room = CARD_OVER_LADDER; room <= CARD_BAND && !fitted; room++)
        fitted = card_fits (self, scale, &rooms[room]);
    }
  /* then at the least, over more of the views; where even their whole
   * height does not hold it, what it does not scrolls */
  if (!fitted)
    for (scale = least, room = CARD_BAND_MORE; room < N_CARD_ROOMS && !fitted; room++)
      fitted = card_fits (self, scale, &rooms[room]);
  if (fitted)
    room--;
  else
    room = CARD_BAND_ALL;
  if (!fitted)
    card_fits (self, scale, &rooms[room]);
  self->card_room = room;
  self->card_width = rooms[room].width;
  self->card_room_height = rooms[room].bottom - rooms[room].top;
  self->question_scale = scale;
}

/* The card shows when something on it does. */
static void
sync_question_card (TlWindow *self)
{
  gboolean shown = FALSE;

  for (GtkWidget *c = gtk_widget_get_first_child (self->question_box); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    shown = shown || gtk_widget_get_visible (c);
  gtk_widget_set_visible (self->question_card, shown);
  run_later (&self->fit);
  gtk_widget_queue_draw (GTK_WIDGET (self->ladder_view));
}

static void
update_question (TlWindow *self)
{
  const char *question = tl_session_get_question (self->session);
  g_autofree char *shown = tl_render_breakable (question != NULL ? question : "");

  gtk_label_set_text (self->question_label, shown);
  gtk_widget_set_visible (GTK_WIDGET (self->question_label), question != NULL);
  sync_question_card (self);
}

/* What-ifs off (an IPv6 capture): said in a line above the views, and on
 * each control that would make one, greyed (the link's delay and loss, the
 * free-play buttons, Save as Lesson; the segment's popover does the same). */
static void
update_whatifs_off (TlWindow *self)
{
  const char *off = tl_session_get_whatifs_off (self->session);
  static const char *const actions[] = { "free-play", "free-play-new", "save-as" };

  gtk_label_set_text (self->whatifs_off_label, off != NULL ? off : "");
  gtk_revealer_set_reveal_child (self->whatifs_off_revealer, off != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->delay_spin), off == NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->loss_spin), off == NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->delay_spin), off);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->loss_spin), off);
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), actions[i]);

      if (action != NULL)
        g_simple_action_set_enabled (G_SIMPLE_ACTION (action), off == NULL);
    }
}

static void
update_scenario (TlWindow *self)
{
  const TlScenario *scenario = tl_session_get_scenario (self->session);
  const char *title = tl_scenario_title (scenario, tl_session_get_locale (self->session));

  GFile *file = tl_session_get_file (self->session);
  g_autofree char *basename = file != NULL ? g_file_get_basename (file) : NULL;

  /* A lesson without a title is named by its file; only a scenario without
   * a file is free play. */
  const char *name = title != NULL ? title : basename != NULL ? basename : _("Free play");
  g_autofree char *changed = g_strdup_printf (_("%s (changed)"), name);

  adw_window_title_set_subtitle (self->window_title,
                                 tl_session_get_modified (self->session) ? changed : name);
  for (guint h = 0; h < 2; h++)
    {
      /* a host name may be 4000 characters long: cut as the views cut it */
      g_autofree char *name = tl_render_cut_name (scenario->hosts[h].name);

      gtk_label_set_ellipsize (self->host_labels[h], PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (self->host_labels[h], TL_RENDER_NAME_CHARS);
      gtk_label_set_text (self->host_labels[h], name);
    }
  /* On a small screen free play's buttons come with a free play and fold
   * away with a lesson; while neither changes, F8 decides. */
  if (in_free_play (self) != self->was_free_play)
    {
      self->was_free_play = in_free_play (self);
      if (self->height_class == SIZE_SMALL)
        gtk_widget_set_visible (self->freeplay_box, self->was_free_play);
    }
  update_whatifs_off (self);
  update_time (self);
  reserve_narration_room (self);
  run_later (&self->place);
}

/* The banner shows this many problems at most, then how many more. */
#define BANNER_MAX_PROBLEMS 20

/* The lesson's errors (or else why its run stopped early) above the views:
 * the first BANNER_MAX_PROBLEMS problems and a count of the rest, in a
 * scrolled area, so that a file of a thousand errors neither hides the
 * controls nor grows the window. */
static void
update_errors (TlWindow *self)
{
  const char *errors = tl_session_get_errors (self->session);
  const char *stopped = tl_session_get_stopped (self->session);
  const char *text = errors != NULL ? errors : stopped;
  GString *shown;
  guint n_problems = 0;

  gtk_revealer_set_reveal_child (self->errors_revealer, text != NULL);
  if (text == NULL)
    return;
  gtk_label_set_text (self->errors_heading,
                      errors != NULL
                      ? _("This lesson has errors. The last good version keeps playing until "
                          "they are fixed.")
                      : _("This run was stopped by a limit of what a lesson may cost: the "
                          "views show what happened until then."));
  /* A problem is a line "FILE:LINE:COLUMN: ..."; its hint lines start with spaces. */
  shown = g_string_new (NULL);
  for (const char *line = text; *line != '\0'; )
    {
      const char *end = strchr (line, '\n');
      gsize len = end != NULL ? (gsize) (end - line) : strlen (line);

      if (*line != ' ')
        n_problems++;
      if (n_problems <= BANNER_MAX_PROBLEMS)
        {
          if (shown->len > 0)
            g_string_append_c (shown, '\n');
          g_string_append_len (shown, line, len);
        }
      line += len + (end != NULL);
    }
  if (n_problems > BANNER_MAX_PROBLEMS)
    {
      guint more = n_problems - BANNER_MAX_PROBLEMS;

      g_string_append_c (shown, '\n');
      g_string_append_printf (shown, g_dngettext (GETTEXT_PACKAGE, "… and %u more error",
                                                  "… and %u more errors", more), more);
    }
  gtk_label_set_text (self->errors_label, shown->str);
  g_string_free (shown, TRUE);
}

static void
update_speed (TlWindow *self)
{
  g_autofree char *text = g_strdup_printf (_("%g×"), tl_session_get_speed (self->session));

  gtk_label_set_text (self->speed_label, text);
}

static gboolean
play_tick (GtkWidget     *widget,
           GdkFrameClock *clock,
           gpointer       user_data)
{
  TlWindow *self = TL_WINDOW (widget);
  gint64 now = gdk_frame_clock_get_frame_time (clock);

  if (self->last_frame_us != 0)
    tl_session_advance (self->session, MIN (now - self->last_frame_us, MAX_FRAME_US));
  self->last_frame_us = now;
  if (tl_session_get_playing (self->session))
    return G_SOURCE_CONTINUE;
  self->tick_id = 0;
  return G_SOURCE_REMOVE;
}

static void
update_playing (TlWindow *self)
{
  gboolean playing = tl_session_get_playing (self->session);

  gtk_button_set_icon_name (self->play_button, playing ? "media-playback-pause-symbolic"
                                                       : "media-playback-start-symbolic");
  /* The tick stops itself once playback has stopped. */
  if (playing && self->tick_id == 0)
    {
      self->last_frame_us = 0;
      self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), play_tick, NULL, NULL);
    }
}

static void
time_changed_cb (GtkAdjustment *adjustment,
                 TlWindow      *self)
{
  if (self->updating)
    return;
  tl_session_set_time (self->session, (gint64) (gtk_adjustment_get_value (adjustment) * 1000.0));
}

static void
link_changed_cb (GtkSpinButton *spin,
                 TlWindow      *self)
{
  TlLinkSetting setting;
  TlStmt stmt = { .kind = TL_STMT_LINK };
  g_autofree char *now = NULL;
  g_autofree char *text = NULL;

  if (self->updating)
    return;
  if (spin == self->delay_spin)
    setting = (TlLinkSetting) { TL_LINK_DELAY, (gint64) gtk_spin_button_get_value (spin) * 1000 };
  else
    setting = (TlLinkSetting) { TL_LINK_LOSS, (gint64) (gtk_spin_button_get_value (spin) * 10000.0) };
  stmt.u.link.dir = TL_DIR_BOTH;
  stmt.u.link.settings = &setting;
  stmt.u.link.n_settings = 1;
  tl_session_intervene (self->session, &stmt);

  now = tl_window_format_time (tl_session_get_time (self->session));
  if (spin == self->delay_spin)
    text = g_strdup_printf (_("The link delay is %d ms from %s on"),
                            gtk_spin_button_get_value_as_int (spin), now);
  else
    text = g_strdup_printf (_("The link loses %d%% of segments from %s on"),
                            gtk_spin_button_get_value_as_int (spin), now);
  tl_window_toast (self, text);
}

static TlViewWidget **
views_of (TlWindow *self,
          TlViewWidget *views[4])
{
  views[0] = self->diagram_view;
  views[1] = self->ladder_view;
  views[2] = self->timers_view;
  views[3] = self->sockets_view;
  return views;
}

void
tl_window_set_text_scale (TlWindow *self,
                          double    text_scale)
{
  TlViewWidget *views[4];

  g_return_if_fail (TL_IS_WINDOW (self));

  text_scale = CLAMP (text_scale, tl_window_text_scales[0],
                      tl_window_text_scales[TL_WINDOW_N_TEXT_SCALES - 1]);
  if (text_scale == self->text_scale)
    return;
  self->text_scale = text_scale;
  views_of (self, views);
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    tl_view_widget_set_font_scale (views[i], self->view_font_scale[i] * text_scale);
  tl_window_scale_label (self->narration_label, text_scale);
  scale_card (self, text_scale, -1);
  self->question_scale = text_scale;
  run_later (&self->fit);
  /* the tables' new height first: the narration's room is what the views
   * and the tables leave */
  fit_tables_height (self);
  run_later (&self->place);
  reserve_narration_room (self);
  /* and again once the window is laid out at this size (what the rest of
   * it takes then) */
  run_later (&self->reserve);
  if (self->settings != NULL)
    g_settings_set_double (self->settings, "text-size", text_scale);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT_SCALE]);
}

double
tl_window_get_text_scale (TlWindow *self)
{
  g_return_val_if_fail (TL_IS_WINDOW (self), 1.0);
  return self->text_scale;
}

static GtkWidget *
lesson_row_new (GFile      *file,
                const char *locale)
{
  g_autofree char *path = g_file_get_path (file);
  gboolean capture = path != NULL && tl_capture_sniff (path);
  g_autoptr(TlScenario) scenario = path != NULL && !capture
                                   ? tl_lesson_parse_file (path, NULL, NULL) : NULL;
  g_autofree char *base = g_file_get_basename (file);
  const char *title = scenario != NULL ? tl_scenario_title (scenario, locale) : NULL;
  const char *summary = capture ? _("A capture: both ends' states inferred from its segments.")
                        : scenario != NULL ? tl_scenario_summary (scenario, locale)
                        : _("This lesson has errors: open it to see them.");
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *title_label = gtk_label_new (title != NULL ? title : base);
  GtkWidget *summary_label = gtk_label_new (summary);

  gtk_label_set_xalign (GTK_LABEL (title_label), 0.0);
  /* a title from anywhere: one word of 3000 letters is cut, not as wide as that */
  gtk_label_set_wrap (GTK_LABEL (title_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (title_label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (title_label), 3);
  gtk_label_set_ellipsize (GTK_LABEL (title_label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (title_label, "lesson-title");
  gtk_label_set_xalign (GTK_LABEL (summary_label), 0.0);
  gtk_label_set_wrap (GTK_LABEL (summary_label), TRUE);
  gtk_label_set_lines (GTK_LABEL (summary_label), 3);
  gtk_label_set_ellipsize (GTK_LABEL (summary_label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (summary_label, "dim-label");
  gtk_widget_set_visible (summary_label, summary != NULL);
  gtk_box_append (GTK_BOX (box), title_label);
  gtk_box_append (GTK_BOX (box), summary_label);
  tl_lesson_groups_mark_row (row, scenario, base);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "file", g_object_ref (file), g_object_unref);
  return row;
}

static GtkListBoxRow *
find_lesson_row (TlWindow *self,
                 GFile    *file)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->lesson_list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GFile *row_file = g_object_get_data (G_OBJECT (row), "file");

      if (row_file != NULL && g_file_equal (row_file, file))
        return GTK_LIST_BOX_ROW (row);
    }
  return NULL;
}

static void
lesson_activated_cb (GtkListBox    *box,
                     GtkListBoxRow *row,
                     TlWindow      *self)
{
  GFile *file = g_object_get_data (G_OBJECT (row), "file");

  /* On a narrow screen the list covers the views: it makes way. */
  if (adw_flap_get_folded (self->flap))
    adw_flap_set_reveal_flap (self->flap, FALSE);
  if (!tl_session_load_file (self->session, file, NULL))
    tl_window_toast (self, _("This lesson has errors; they are shown above the views"));
}

/* The list shows the lesson just opened, on the first frame after it has
 * been laid out. */
static gboolean
scroll_tick (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       user_data)
{
  TlWindow *self = user_data;
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->lesson_list);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->lesson_scroller);
  graphene_point_t top;
  double bottom;

  if (row == NULL)
    return G_SOURCE_REMOVE;
  if (gtk_widget_get_height (GTK_WIDGET (row)) == 0
      || !gtk_widget_compute_point (GTK_WIDGET (row), GTK_WIDGET (self->lesson_list),
                                    &GRAPHENE_POINT_INIT (0, 0), &top))
    return G_SOURCE_CONTINUE;
  /* Set, not clamp_page(), which animates from a frame clock not yet running. */
  bottom = top.y + gtk_widget_get_height (GTK_WIDGET (row));
  if (bottom > gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment))
    gtk_adjustment_set_value (adjustment, bottom - gtk_adjustment_get_page_size (adjustment));
  return G_SOURCE_REMOVE;
}

char *
tl_window_lessons_dir (void)
{
  return tl_paths_lessons_dir ();
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
list_lessons (TlWindow *self)
{
  g_autofree char *dir_path = tl_window_lessons_dir ();
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".lesson"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir_path, names->pdata[i], NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);

      gtk_list_box_append (self->lesson_list,
                           lesson_row_new (file, tl_session_get_locale (self->session)));
    }
}

static void
view_notice_cb (TlViewWidget *view,
                const char   *text,
                TlWindow     *self)
{
  tl_window_toast (self, text);
}

/* Without a window manager (a kiosk, Xvfb) "maximized" does nothing: the
 * window asks for no more than the screen it is on. */
static void
fit_default_size (TlWindow *self)
{
  GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (self));
  GListModel *monitors = gdk_display_get_monitors (display);
  g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, 0);
  GdkRectangle geometry;

  if (monitor == NULL)
    return;
  gdk_monitor_get_geometry (monitor, &geometry);
  gtk_window_set_default_size (GTK_WINDOW (self), MIN (DEFAULT_WIDTH, geometry.width),
                               MIN (DEFAULT_HEIGHT, geometry.height));
  self->screen_height = geometry.height;
}

/* The timers and tables keep room for a few rows as the text grows, but
 * never ask for more than a fifth of the screen (the window would outgrow
 * it): they scroll, and their divider gives them more where there is room. */
static void
fit_tables_height (TlWindow *self)
{
  int height = (int) (TABLES_HEIGHT * MAX (self->text_scale, 1.0));

  if (self->screen_height > 0)
    height = MIN (height, MAX (self->screen_height / 5, TABLES_HEIGHT_MIN));
  gtk_widget_set_size_request (self->tables_box, -1, height);
}

/* The timers and the tables take at most this share of the height they
 * share with the views.  On a small screen they keep their third: the
 * views need the rest (and the timers of a flood at 1.5x, given more,
 * wrapped their rows beside each other). */
#define TABLES_MOST_SHARE 0.4
/* The most moments of a lesson measured for the tables' height: evenly
 * spread over its state changes and timers (a flood's thousands of them
 * repeat a few kinds of rows). */
#define TABLES_MOMENTS 100

/* The height the timers and the tables need at time_us at width, their
 * width shared as share_tables shares it, each laid out for a pane of
 * height cap (where their rows do not fit it, grouped). */
static double
tables_need_at (TlWindow *self,
                gint64    time_us,
                double    width,
                double    cap,
                guint     n_timers,
                guint     n_sockets)
{
  double best = G_MAXDOUBLE, timers_h, sockets_h;

  /* a pane with nothing to show gives the other the whole width */
  if (n_timers == 0 || n_sockets == 0)
    {
      panes_heights (self, time_us, width, width, cap, &timers_h, &sockets_h);
      return (n_timers > 0 ? timers_h : 0) + (n_sockets > 0 ? sockets_h : 0);
    }
  for (guint i = 0; i < G_N_ELEMENTS (timers_shares); i++)
    {
      panes_heights (self, time_us, width * timers_shares[i], width * (1 - timers_shares[i]), cap,
                     &timers_h, &sockets_h);
      best = MIN (best, MAX (timers_h, sockets_h));
    }
  return best;
}

/* The most height the timers and the tables need over the lesson (at most
 * cap): measured at each moment their rows change (a state, a timer, a
 * crash), once for each set of rows (the sockets per state and the timers
 * per kind on each host). */
static double
tables_need (TlWindow *self,
             double    width,
             double    cap)
{
  const TlTrace *trace = tl_session_get_trace (self->session);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GArray) moments = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint n = tl_trace_n_records (trace);
  double need = 0;

  for (guint i = 0; i < n; i++)
    {
      const TlRecord *rec = tl_trace_record (trace, i);

      if ((rec->kind == TL_REC_STATE || rec->kind == TL_REC_TIMER || rec->kind == TL_REC_HOST) &&
          (moments->len == 0 ||
           g_array_index (moments, gint64, moments->len - 1) != rec->time_us))
        g_array_append_val (moments, rec->time_us);
    }
  for (guint m = 0; m < MIN (moments->len, TABLES_MOMENTS) && need < cap; m++)
    {
      gint64 time_us = g_array_index (moments, gint64,
                                      moments->len <= TABLES_MOMENTS ? m
                                      : (guint) ((guint64) m * moments->len / TABLES_MOMENTS));
      GString *key = g_string_new (NULL);
      TlWorld world;
      guint n_timers, n_sockets;

      tl_world_init (&world);
      tl_trace_world_at (trace, time_us, &world);
      n_timers = world.timers->len;
      n_sockets = world.sockets->len;
      for (guint h = 0; h < 2; h++)
        {
          g_string_append_printf (key, "%d:", world.crashed[h]);
          for (guint st = 0; st < TL_N_STATES; st++)
            g_string_append_printf (key, " %u", world.counts[h][st]);
        }
      for (guint t = 0; t < n_timers; t++)
        {
          const TlWorldTimer *timer = &g_array_index (world.timers, TlWorldTimer, t);

          g_string_append_printf (key, " %u.%u", tl_trace_conn (trace, timer->conn)->host,
                                  timer->timer);
        }
      tl_world_clear (&world);
      if (!g_hash_table_contains (seen, key->str))
        need = MAX (need, tables_need_at (self, time_us, width, cap, n_timers, n_sockets));
      g_hash_table_add (seen, g_string_free (key, FALSE));
    }
  return MIN (need, cap);
}

/* The timers and the tables get the height their rows take at the
 * lesson's fullest moment, as the narration gets its longest's (the views
 * do not move while it plays), at least their share of it and at most
 * TABLES_MOST_SHARE (there the rows group, or scroll).  Measured again
 * for another lesson, text size or size of their pane: the time-wait
 * pile-up's server rows were cut at the controls at 1920x1080 with the
 * lesson list shown, its tables a fifth of the screen and stacked. */
static void
place_tables (TlWindow *self)
{
  GtkPaned *paned = self->tables_paned;
  int max_position, end_min, total, width = gtk_widget_get_width (self->tables_box);
  double share = self->height_class == SIZE_SMALL ? SMALL_VIEWS_SHARE : VIEWS_SHARE;
  double need;
  g_autofree char *key = NULL;

  if (!gtk_widget_get_visible (self->tables_box) || width <= 1)
    return;
  g_object_get (paned, "max-position", &max_position, NULL);
  if (max_position <= 0)
    return;
  gtk_widget_measure (self->tables_box, GTK_ORIENTATION_VERTICAL, -1, &end_min, NULL, NULL, NULL);
  total = max_position + end_min;
  key = g_strdup_printf ("%p %d %d %g", (void *) tl_session_get_trace (self->session), width,
                         total, self->text_scale);
  if (g_strcmp0 (key, self->tables_key) == 0)
    return;
  g_free (self->tables_key);
  self->tables_key = g_steal_pointer (&key);
  need = self->height_class == SIZE_SMALL ? 0
         : tables_need (self, width, floor (total * TABLES_MOST_SHARE));
  gtk_paned_set_position (paned, (int) MIN (total * share + 0.5, total - ceil (need)));
}

/* A divider is placed at its share the first time its pane is laid out with
 * both sides shown (the tables' each time they are shown again); from then
 * on GtkPaned keeps the proportion as the window resizes, and where the
 * user dragged it.  On a small screen the tables get a third of the height
 * they share with the views, room for a server's rows, grouped. */
static void
place_divider_cb (GtkPaned   *paned,
                  GParamSpec *pspec,
                  TlWindow   *self)
{
  double share = paned == self->views_paned ? DIAGRAM_SHARE
                 : self->height_class == SIZE_SMALL ? SMALL_VIEWS_SHARE : VIEWS_SHARE;
  int max_position, end_min;

  if (g_object_get_data (G_OBJECT (paned), "tl-placed") != NULL ||
      !gtk_widget_get_visible (gtk_paned_get_end_child (paned)))
    return;
  if (paned == self->tables_paned)
    {
      run_later (&self->place);
      return;
    }
  g_object_get (paned, "max-position", &max_position, NULL);
  if (max_position <= 0)
    return;
  /* The room both sides share: the divider's furthest place, plus what the
   * end child keeps (neither side shrinks below its minimum). */
  gtk_widget_measure (gtk_paned_get_end_child (paned),
                      gtk_orientable_get_orientation (GTK_ORIENTABLE (paned)), -1,
                      &end_min, NULL, NULL, NULL);
  g_object_set_data (G_OBJECT (paned), "tl-placed", GINT_TO_POINTER (TRUE));
  gtk_paned_set_position (paned, (int) ((max_position + end_min) * share + 0.5));
}

/* When the window crosses COMPACT_HEIGHT or NARROW_WIDTH (a projector's
 * size, the first allocation or full screen), what folds away there is
 * folded or brought back; in between, what the user shows or hides stays. */
static void
fit_size_class (TlWindow *self,
                int       width,
                int       height)
{
  SizeClass height_class = height < COMPACT_HEIGHT ? SIZE_SMALL : SIZE_LARGE;
  SizeClass width_class = width < NARROW_WIDTH ? SIZE_SMALL : SIZE_LARGE;

  if (height_class != self->height_class)
    {
      self->height_class = height_class;
      gtk_widget_set_visible (self->tables_box, height_class == SIZE_LARGE);
      /* Free play's buttons are all a free play has: they stay. */
      gtk_widget_set_visible (self->freeplay_box, height_class == SIZE_LARGE || in_free_play (self));
    }
  if (width_class != self->width_class)
    {
      self->width_class = width_class;
      adw_flap_set_fold_policy (self->flap, width_class == SIZE_SMALL ? ADW_FLAP_FOLD_POLICY_ALWAYS
                                                                      : ADW_FLAP_FOLD_POLICY_AUTO);
      adw_flap_set_reveal_flap (self->flap, width_class == SIZE_LARGE);
    }
}

/* Free play at its width: the link's settings beside the hosts' buttons
 * where both fit on a line, else under them (a box, not a flow box: GTK
 * 4.8's flow box measured one line at 990 px and laid out two); its
 * scroller as tall as the box then is (a scrolled window measures its
 * child at no width). */
#define FREE_PLAY_SPACING 24
static void
fit_free_play (TlWindow *self)
{
  GtkScrolledWindow *scroll = GTK_SCROLLED_WINDOW (self->freeplay_scroll);
  GtkBox *box = GTK_BOX (self->freeplay_box);
  int width = gtk_widget_get_width (self->freeplay_scroll), hosts, link, natural;
  gboolean beside;

  if (width <= 0)
    return;
  gtk_widget_measure (GTK_WIDGET (self->freeplay_grid), GTK_ORIENTATION_HORIZONTAL, -1, NULL,
                      &hosts, NULL, NULL);
  gtk_widget_measure (self->link_grid, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &link, NULL, NULL);
  beside = hosts + FREE_PLAY_SPACING + link + gtk_widget_get_margin_start (self->freeplay_box)
           + gtk_widget_get_margin_end (self->freeplay_box) <= width;
  gtk_orientable_set_orientation (GTK_ORIENTABLE (box), beside ? GTK_ORIENTATION_HORIZONTAL
                                                               : GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (box, beside ? FREE_PLAY_SPACING : 8);
  gtk_widget_measure (self->freeplay_box, GTK_ORIENTATION_VERTICAL, width, NULL, &natural, NULL,
                      NULL);
  if (natural != gtk_scrolled_window_get_max_content_height (scroll))
    {
      gtk_scrolled_window_set_max_content_height (scroll, natural);
      /* the narration has what free play leaves */
      run_later (&self->reserve);
    }
}

static void
tl_window_size_allocate (GtkWidget *widget,
                         int        width,
                         int        height,
                         int        baseline)
{
  TlWindow *self = TL_WINDOW (widget);

  fit_size_class (self, width, height);
  GTK_WIDGET_CLASS (tl_window_parent_class)->size_allocate (widget, width, height, baseline);
  if (gtk_widget_get_width (GTK_WIDGET (self->narration_label)) != self->narration_width)
    run_later (&self->reserve);
  /* the tables' width shared again at their new size (not while the
   * window lays itself out) */
  if (gtk_widget_get_visible (self->tables_box))
    {
      run_later (&self->share);
      run_later (&self->place);
    }
  if (gtk_widget_get_visible (self->freeplay_scroll) &&
      gtk_widget_get_width (self->freeplay_scroll) != self->free_play_width)
    {
      self->free_play_width = gtk_widget_get_width (self->freeplay_scroll);
      run_later (&self->free_play);
    }
}

static void
tl_window_dispose (GObject *object)
{
  TlWindow *self = TL_WINDOW (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_handle_id (&self->reserve.id, g_source_remove);
  g_clear_handle_id (&self->fit.id, g_source_remove);
  g_clear_handle_id (&self->share.id, g_source_remove);
  g_clear_handle_id (&self->free_play.id, g_source_remove);
  g_clear_handle_id (&self->place.id, g_source_remove);
  g_clear_pointer (&self->tables_key, g_free);
  g_clear_pointer (&self->share_key, g_free);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  /* The header bar and the content are the template's and the window's
   * own: taken from the window first, so that GtkWindow forgets them.
   * gtk_widget_dispose_template unparents a template child that is a
   * direct child itself, behind GtkWindow's back, which then unparented
   * the freed header bar again (a Gtk-CRITICAL at every window closed, as
   * on a language switch). */
  gtk_window_set_titlebar (GTK_WINDOW (self), NULL);
  gtk_window_set_child (GTK_WINDOW (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TL_TYPE_WINDOW);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tl_window_parent_class)->dispose (object);
}

static void
tl_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  TlWindow *self = TL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_TEXT_SCALE:
      g_value_set_double (value, self->text_scale);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tl_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  TlWindow *self = TL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_TEXT_SCALE:
      tl_window_set_text_scale (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tl_window_class_init (TlWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tl_window_dispose;
  object_class->get_property = tl_window_get_property;
  object_class->set_property = tl_window_set_property;
  widget_class->size_allocate = tl_window_size_allocate;

  /* The size of the views' text (Ctrl+plus, Ctrl+minus, Ctrl+0): 1.0 is
   * the views' own; larger for the back of a classroom. */
  properties[PROP_TEXT_SCALE] =
    g_param_spec_double ("text-scale", NULL, NULL, tl_window_text_scales[0],
                         tl_window_text_scales[TL_WINDOW_N_TEXT_SCALES - 1], 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TL_TYPE_VIEW_WIDGET);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tcplab/TcpLab/tl-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TlWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, tables_paned);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, views_paned);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, tables_box);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, sockets_scroll);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, timers_scroll);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, question_overlay);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, question_card);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, question_scroll);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, question_box);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, lesson_scroller);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, lesson_list);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, errors_revealer);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, whatifs_off_revealer);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, whatifs_off_label);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, errors_heading);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, errors_label);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, narration_label);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, question_label);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, diagram_view);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, ladder_view);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, timers_view);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, sockets_view);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, play_button);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, speed_label);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, time_adjustment);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, time_label);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, controls_box);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, freeplay_scroll);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, freeplay_box);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, freeplay_grid);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, link_grid);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, delay_spin);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, loss_spin);
}

/* The language switch: the interface, every view and the narration change
 * at once.  A window's labels are translated as it is built, so a new
 * window takes this one's place, on the same lesson at the same time. */
void
tl_window_set_language (TlWindow   *self,
                        const char *language)
{
  GtkApplication *app;
  TlWindow *fresh;

  g_return_if_fail (TL_IS_WINDOW (self));
  g_return_if_fail (language != NULL);

  app = gtk_window_get_application (GTK_WINDOW (self));
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "language", language);
  tl_paths_use_language (language);
  fresh = tl_window_new (TL_APPLICATION (app));
  /* The lesson or the free play, with its interventions, at its time. */
  tl_window_state_carry (self, fresh);
  gtk_window_present (GTK_WINDOW (fresh));
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
language_change_cb (GSimpleAction *action,
                    GVariant      *value,
                    TlWindow      *self)
{
  const char *language = g_variant_get_string (value, NULL);

  if (*language != '\0' && tl_paths_language_name (language) == NULL)
    return;
  g_simple_action_set_state (action, value);
  tl_window_set_language (self, language);
}

/* A lesson or a capture dropped on the window opens as Open would. */
static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         TlWindow      *self)
{
  GSList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;
  files = g_value_get_boxed (value);
  if (files == NULL)
    return FALSE;
  tl_window_open_file (self, files->data);
  return TRUE;
}

static void
tl_window_init (TlWindow *self)
{
  g_autoptr(GSimpleAction) language = NULL;
  TlViewWidget *views[4];
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->session = tl_session_new ();
  self->text_scale = 1.0;
  self->reserve = (TlWindowLater) { 0, self, reserve_narration_room };
  self->fit = (TlWindowLater) { 0, self, fit_question_card };
  self->share = (TlWindowLater) { 0, self, share_tables };
  self->place = (TlWindowLater) { 0, self, place_tables };
  self->free_play = (TlWindowLater) { 0, self, fit_free_play };
  views_of (self, views);
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      tl_view_widget_set_session (views[i], self->session);
      g_object_get (views[i], "font-scale", &self->view_font_scale[i], NULL);
    }
  g_signal_connect (self->ladder_view, "notice", G_CALLBACK (view_notice_cb), self);

  g_signal_connect (self->views_paned, "notify::max-position", G_CALLBACK (place_divider_cb), self);
  g_signal_connect (self->tables_paned, "notify::max-position", G_CALLBACK (place_divider_cb), self);
  g_object_bind_property (self->freeplay_box, "visible", self->freeplay_scroll, "visible",
                          G_BINDING_SYNC_CREATE);
  fit_default_size (self);
  fit_tables_height (self);
  tl_window_actions_init (self);
  tl_explain_init (self);
  tl_questions_init (self);
  /* The question's card: what tl_questions_init put on it shows it too. */
  for (GtkWidget *c = gtk_widget_get_first_child (self->question_box); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    g_signal_connect_swapped (c, "notify::visible", G_CALLBACK (sync_question_card), self);
  g_signal_connect (self->question_overlay, "get-child-position",
                    G_CALLBACK (place_question_card), self);
  tl_view_widget_set_cover (self->ladder_view, self->question_card);
  tl_presentation_init (self);
  tl_real_view_add_to_window (self);
  tl_export_init (self);
  tl_whatif_init (self);
  tl_expectations_init (self);

  g_signal_connect_swapped (self->session, "notify::time", G_CALLBACK (update_time), self);
  g_signal_connect_swapped (self->tables_box, "notify::visible", G_CALLBACK (share_tables), self);
  /* the narration's room is what the views, the tables and free play leave */
  g_signal_connect_swapped (self->tables_box, "notify::visible", G_CALLBACK (run_later),
                            &self->reserve);
  g_signal_connect_swapped (self->freeplay_box, "notify::visible", G_CALLBACK (run_later),
                            &self->reserve);
  g_signal_connect_swapped (self->session, "notify::scenario", G_CALLBACK (update_scenario), self);
  g_signal_connect_swapped (self->session, "notify::modified", G_CALLBACK (update_scenario), self);
  g_signal_connect_swapped (self->session, "notify::question", G_CALLBACK (update_question), self);
  g_signal_connect_swapped (self->session, "notify::errors", G_CALLBACK (update_errors), self);
  g_signal_connect_swapped (self->session, "notify::stopped", G_CALLBACK (update_errors), self);
  g_signal_connect_swapped (self->session, "notify::speed", G_CALLBACK (update_speed), self);
  g_signal_connect_swapped (self->session, "notify::playing", G_CALLBACK (update_playing), self);
  g_signal_connect (self->time_adjustment, "value-changed", G_CALLBACK (time_changed_cb), self);
  g_signal_connect (self->delay_spin, "value-changed", G_CALLBACK (link_changed_cb), self);
  g_signal_connect (self->loss_spin, "value-changed", G_CALLBACK (link_changed_cb), self);
  g_signal_connect (self->lesson_list, "row-activated", G_CALLBACK (lesson_activated_cb), self);
  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  tl_lesson_groups_init (self->lesson_list);
  list_lessons (self);
  update_scenario (self);
  update_question (self);
  update_errors (self);
  update_speed (self);
  update_playing (self);

  self->settings = tl_settings_new ();
  if (self->settings != NULL)
    tl_window_set_text_scale (self, g_settings_get_double (self->settings, "text-size"));
  tl_window_state_init (self);
  language = g_simple_action_new_stateful (
    "language", G_VARIANT_TYPE_STRING,
    g_variant_new_take_string (self->settings != NULL
                               ? g_settings_get_string (self->settings, "language")
                               : g_strdup ("")));
  g_signal_connect (language, "change-state", G_CALLBACK (language_change_cb), self);
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (language));
}

TlWindow *
tl_window_new (TlApplication *app)
{
  return g_object_new (TL_TYPE_WINDOW, "application", app, NULL);
}

TlSession *
tl_window_get_session (TlWindow *self)
{
  g_return_val_if_fail (TL_IS_WINDOW (self), NULL);
  return self->session;
}

void
tl_window_open_file (TlWindow *self,
                     GFile    *file)
{
  GtkListBoxRow *row;

  g_return_if_fail (TL_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  row = find_lesson_row (self, file);
  if (row == NULL)
    {
      row = GTK_LIST_BOX_ROW (lesson_row_new (file, tl_session_get_locale (self->session)));
      gtk_list_box_append (self->lesson_list, GTK_WIDGET (row));
    }
  gtk_list_box_select_row (self->lesson_list, row);
  gtk_widget_add_tick_callback (GTK_WIDGET (self->lesson_list), scroll_tick, self, NULL);
  lesson_activated_cb (self->lesson_list, row, self);
}
