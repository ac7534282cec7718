/* tl-render.c: what every view shares (style, palette, text, arrows), the
 * view switch, and headless rendering to PNG, SVG and PDF files.
 *
 * Drawn for a classroom projector: large type, strong contrast, few colours.
 * Host 0 is blue and host 1 orange in both styles, so a class can follow
 * "the blue host" from the diagram to the ladder to the tables.
 */
#include "tl-config.h"

#include "tl-render-private.h"

#include "tl-out-file.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

/* Every text's colour is at least 4.5:1 against the ground it is drawn on
 * (WCAG 2, 1.4.3; tests/test-layout.c measures it), and the labels a class
 * reads most, the diagram's unlit ones, far more: a projector in a lit
 * room shows less contrast than a monitor, and a light grey on white washes
 * out first.  (The server's orange was 3.6:1 on white, the unlit labels'
 * grey 7.5:1; now 5.2:1 and 10.3:1.) */
static const TlPalette light_palette = {
  .bg     = { 1.000, 1.000, 1.000 },
  .panel  = { 0.945, 0.953, 0.961 },
  .ink    = { 0.067, 0.094, 0.153 },
  .muted  = { 0.216, 0.255, 0.318 },
  .grid   = { 0.820, 0.835, 0.859 },
  .edge   = { 0.294, 0.333, 0.388 },
  .accent = { 0.486, 0.227, 0.929 },
  .lost   = { 0.863, 0.149, 0.149 },
  .host   = { { 0.114, 0.306, 0.847 }, { 0.761, 0.255, 0.047 } },
};

static const TlPalette dark_palette = {
  .bg     = { 0.067, 0.078, 0.094 },
  .panel  = { 0.122, 0.141, 0.169 },
  .ink    = { 0.953, 0.957, 0.965 },
  .muted  = { 0.796, 0.816, 0.847 },
  .grid   = { 0.224, 0.255, 0.294 },
  .edge   = { 0.667, 0.698, 0.741 },
  .accent = { 0.769, 0.710, 0.992 },
  .lost   = { 0.973, 0.443, 0.443 },
  .host   = { { 0.376, 0.647, 0.980 }, { 0.984, 0.573, 0.235 } },
};

void
tl_render_style_init (TlRenderStyle *style)
{
  g_return_if_fail (style != NULL);

  memset (style, 0, sizeof *style);
  style->dark = FALSE;
  style->font_scale = 1.0;
  style->selected_record = G_MAXUINT32;
  style->focus_record = G_MAXUINT32;
  style->glide[0] = 1.0;
  style->glide[1] = 1.0;
  style->locale = NULL;
  style->ladder_t0_us = -1;
  style->ladder_span_us = 0;
  style->explained_state = -1;
  style->role_colours = FALSE;
}

const TlPalette *
tl_render_palette (const TlRenderStyle *style)
{
  return style->dark ? &dark_palette : &light_palette;
}

double
tl_render_font_px (const TlRenderStyle *style,
                   double               width,
                   double               height)
{
  /* 1920x1080 gives 26 px, which a projector shows at the back of a room;
   * a quarter of that screen still gets 19 px. */
  double px = sqrt (MAX (width, 1.0) * MAX (height, 1.0)) / 40.0;

  /* Never below 19 px: the smallest text is 0.85 of it, 16 px
   * (TL_RENDER_TEXT_MIN_PX), lines of 18 px. */
  return CLAMP (px, 19.0, 28.0) * (style->font_scale > 0 ? style->font_scale : 1.0);
}

static void
label_clear (gpointer data)
{
  g_free (((TlRenderLabel *) data)->text);
}

GArray *
tl_render_labels_new (void)
{
  GArray *labels = g_array_new (FALSE, TRUE, sizeof (TlRenderLabel));

  g_array_set_clear_func (labels, label_clear);
  return labels;
}

/* The device rectangle of (x, y, w, h) in cr's user space. */
static void
device_rect (cairo_t *cr,
             double   x,
             double   y,
             double   w,
             double   h,
             double   rect[4])
{
  double xs[4] = { x, x + w, x, x + w }, ys[4] = { y, y, y + h, y + h };
  double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;

  for (guint i = 0; i < 4; i++)
    {
      cairo_user_to_device (cr, &xs[i], &ys[i]);
      x0 = MIN (x0, xs[i]);
      y0 = MIN (y0, ys[i]);
      x1 = MAX (x1, xs[i]);
      y1 = MAX (y1, ys[i]);
    }
  rect[0] = x0;
  rect[1] = y0;
  rect[2] = x1 - x0;
  rect[3] = y1 - y0;
}

/* The colour cr draws in now; black for a gradient. */
static void
source_rgb (cairo_t *cr,
            double   rgb[3])
{
  double a;

  rgb[0] = rgb[1] = rgb[2] = 0;
  cairo_pattern_get_rgba (cairo_get_source (cr), &rgb[0], &rgb[1], &rgb[2], &a);
}

static void
record_label (TlPainter   *painter,
              PangoLayout *layout,
              const char  *text,
              double       x,
              double       y,
              double       w,
              double       h)
{
  TlRenderLabel label;
  double rect[4], ux = 0, uy;
  int lines;

  if (painter->style->labels == NULL || *text == '\0' || painter->hidden)
    return;
  device_rect (painter->cr, x, y, w, h, rect);
  lines = MAX (pango_layout_get_line_count (layout), 1);
  uy = h / lines;
  cairo_user_to_device_distance (painter->cr, &ux, &uy);
  label.x = rect[0];
  label.y = rect[1];
  label.width = rect[2];
  label.height = rect[3];
  label.line_px = hypot (ux, uy);
  label.kind = painter->kind;
  label.text = g_strdup (text);
  source_rgb (painter->cr, label.ink);
  g_array_append_val (painter->style->labels, label);
}

void
tl_painter_cover (TlPainter *painter,
                  double     x,
                  double     y,
                  double     w,
                  double     h)
{
  GArray *labels = painter->style->labels;
  double rect[4];

  if (labels == NULL)
    return;
  device_rect (painter->cr, x, y, w, h, rect);
  for (guint i = labels->len; i > 0; i--)
    {
      const TlRenderLabel *l = &g_array_index (labels, TlRenderLabel, i - 1);

      if (l->x >= rect[0] - 0.5 && l->y >= rect[1] - 0.5 &&
          l->x + l->width <= rect[0] + rect[2] + 0.5 && l->y + l->height <= rect[1] + rect[3] + 0.5)
        g_array_remove_index (labels, i - 1);
    }
}

void
tl_painter_init (TlPainter           *painter,
                 cairo_t             *cr,
                 const TlRenderStyle *style,
                 double               width,
                 double               height)
{
  g_assert (painter != NULL);

  painter->cr = cr;
  painter->style = style;
  painter->pal = tl_render_palette (style);
  painter->text = tl_text_cache_get ();
  painter->font_px = tl_render_font_px (style, width, height);
  painter->small_px = painter->font_px * 0.85;
  painter->name_px = painter->font_px * 0.95;
  painter->kind = TL_LABEL_TEXT;
  painter->hidden = FALSE;
}

void
tl_painter_clear (TlPainter *painter)
{
  painter->text = NULL;
}

void
tl_painter_init_scratch (TlPainter           *painter,
                         const TlRenderStyle *style,
                         double               width,
                         double               height)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 1, 1);

  tl_painter_init (painter, cairo_create (surface), style, width, height);
  cairo_surface_destroy (surface);
}

void
tl_painter_clear_scratch (TlPainter *painter)
{
  tl_painter_clear (painter);
  g_clear_pointer (&painter->cr, cairo_destroy);
}

void
tl_painter_set_rgb (TlPainter   *painter,
                    const TlRgb *rgb,
                    double       alpha)
{
  cairo_set_source_rgba (painter->cr, rgb->r, rgb->g, rgb->b, alpha);
}

void
tl_painter_background (TlPainter *painter,
                       double     width,
                       double     height)
{
  tl_painter_set_rgb (painter, &painter->pal->bg, 1.0);
  cairo_rectangle (painter->cr, 0, 0, width, height);
  cairo_fill (painter->cr);
}

static PangoLayout *
painter_layout (TlPainter  *painter,
                const char *text,
                double      size_px,
                gboolean    bold,
                double      wrap_px,
                double     *w,
                double     *h)
{
  PangoLayout *layout;
  int pw, ph;

  tl_text_cache_follow (painter->text, painter->cr);
  layout = tl_text_cache_layout (painter->text, text, size_px, bold, wrap_px);
  pango_layout_get_size (layout, &pw, &ph);
  if (w != NULL)
    *w = (double) pw / PANGO_SCALE;
  if (h != NULL)
    *h = (double) ph / PANGO_SCALE;
  return layout;
}

void
tl_painter_measure (TlPainter  *painter,
                    const char *text,
                    double      size_px,
                    gboolean    bold,
                    double     *w,
                    double     *h)
{
  painter_layout (painter, text, size_px, bold, -1, w, h);
}

void
tl_painter_paragraph (TlPainter  *painter,
                      const char *text,
                      double      x,
                      double      y,
                      double      size_px,
                      double      wrap_px,
                      double     *h)
{
  double tw, th;
  PangoLayout *layout = painter_layout (painter, text, size_px, FALSE, wrap_px, &tw, &th);

  cairo_move_to (painter->cr, x, y);
  pango_cairo_show_layout (painter->cr, layout);
  cairo_new_path (painter->cr);
  record_label (painter, layout, text, x, y, tw, th);
  if (h != NULL)
    *h = th;
}

int
tl_painter_paragraph_lines (TlPainter  *painter,
                            const char *text,
                            double      size_px,
                            double      wrap_px)
{
  return pango_layout_get_line_count (painter_layout (painter, text, size_px, FALSE, wrap_px,
                                                      NULL, NULL));
}

static double
align_offset (TlAlign align,
              double  extent)
{
  switch (align)
    {
    case TL_ALIGN_START:
      return 0.0;
    case TL_ALIGN_CENTER:
      return -extent / 2.0;
    case TL_ALIGN_END:
      return -extent;
    }
  g_assert_not_reached ();
}

char *
tl_render_cut_name (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  if (g_utf8_strlen (name, -1) <= TL_RENDER_NAME_CHARS)
    return g_strdup (name);
  {
    const char *cut = g_utf8_offset_to_pointer (name, TL_RENDER_NAME_CHARS - 1);
    g_autofree char *head = g_strndup (name, cut - name);

    return g_strconcat (head, "…", NULL);
  }
}

char *
tl_render_breakable (const char *text)
{
  GString *out;
  guint run = 0;

  g_return_val_if_fail (text != NULL, NULL);

  out = g_string_sized_new (strlen (text));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      GUnicodeBreakType type = g_unichar_break_type (g_utf8_get_char (p));

      if (type != G_UNICODE_BREAK_ALPHABETIC && type != G_UNICODE_BREAK_NUMERIC)
        run = 0;
      else if (++run > TL_RENDER_WORD_RUN)
        {
          g_string_append_unichar (out, 0x200B);
          run = 1;
        }
      g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }
  return g_string_free (out, FALSE);
}

char *
tl_render_host_name (const TlTrace *trace,
                     guint          host)
{
  return tl_render_cut_name (tl_trace_host_name (trace, host));
}

char *
tl_render_cut_host_names (const TlTrace *trace,
                          const char    *text)
{
  const char *names[2] = { tl_trace_host_name (trace, 0), tl_trace_host_name (trace, 1) };
  GString *cut = g_string_new (NULL);
  /* the longer first: one name may begin the other */
  guint first = strlen (names[1]) > strlen (names[0]);

  g_return_val_if_fail (text != NULL, NULL);

  for (const char *p = text; *p != '\0'; )
    {
      gboolean done = FALSE;

      for (guint i = 0; i < 2 && !done; i++)
        {
          const char *name = names[first ^ i];
          gsize len = strlen (name);

          if (g_utf8_strlen (name, -1) > TL_RENDER_NAME_CHARS && strncmp (p, name, len) == 0)
            {
              g_autofree char *short_name = tl_render_cut_name (name);

              g_string_append (cut, short_name);
              p += len;
              done = TRUE;
            }
        }
      if (!done)
        g_string_append_c (cut, *p++);
    }
  return g_string_free (cut, FALSE);
}


void
tl_painter_text (TlPainter  *painter,
                 const char *text,
                 double      x,
                 double      y,
                 double      size_px,
                 gboolean    bold,
                 TlAlign     halign,
                 TlAlign     valign,
                 double     *w,
                 double     *h)
{
  double tw, th;

  /* painter_layout follows the transformation, which may have changed since
   * the last string (the diagram scales its drawing). */
  PangoLayout *layout = painter_layout (painter, text, size_px, bold, -1, &tw, &th);

  x += align_offset (halign, tw);
  y += align_offset (valign, th);
  cairo_move_to (painter->cr, x, y);
  pango_cairo_show_layout (painter->cr, layout);
  /* Leave no current point behind, or the next arc would start with a line. */
  cairo_new_path (painter->cr);
  record_label (painter, layout, text, x, y, tw, th);
  if (w != NULL)
    *w = tw;
  if (h != NULL)
    *h = th;
}

/* The three corners of an arrowhead of this size with its tip at (x, y),
 * pointing along (dx, dy); FALSE for no direction. */
static gboolean
arrowhead_corners (double x,
                   double y,
                   double dx,
                   double dy,
                   double size,
                   double corners[3][2])
{
  double len = hypot (dx, dy);
  double ux, uy;

  if (len <= 0.0)
    return FALSE;
  ux = dx / len;
  uy = dy / len;
  corners[0][0] = x;
  corners[0][1] = y;
  corners[1][0] = x - size * ux + size * 0.45 * uy;
  corners[1][1] = y - size * uy - size * 0.45 * ux;
  corners[2][0] = x - size * ux - size * 0.45 * uy;
  corners[2][1] = y - size * uy + size * 0.45 * ux;
  return TRUE;
}

void
tl_render_arrowhead_rect (double             x,
                          double             y,
                          double             dx,
                          double             dy,
                          double             size,
                          cairo_rectangle_t *rect)
{
  double c[3][2];

  if (!arrowhead_corners (x, y, dx, dy, size, c))
    {
      *rect = (cairo_rectangle_t) { x, y, 0, 0 };
      return;
    }
  rect->x = MIN (c[0][0], MIN (c[1][0], c[2][0]));
  rect->y = MIN (c[0][1], MIN (c[1][1], c[2][1]));
  rect->width = MAX (c[0][0], MAX (c[1][0], c[2][0])) - rect->x;
  rect->height = MAX (c[0][1], MAX (c[1][1], c[2][1])) - rect->y;
}

void
tl_painter_arrowhead (TlPainter *painter,
                      double     x,
                      double     y,
                      double     dx,
                      double     dy,
                      double     size)
{
  double c[3][2];

  if (!arrowhead_corners (x, y, dx, dy, size, c))
    return;
  cairo_move_to (painter->cr, c[0][0], c[0][1]);
  cairo_line_to (painter->cr, c[1][0], c[1][1]);
  cairo_line_to (painter->cr, c[2][0], c[2][1]);
  cairo_close_path (painter->cr);
  if (painter->style->marks != NULL)
    {
      TlRenderLabel mark = { .kind = TL_LABEL_ARROWHEAD, .text = g_strdup ("▶") };
      cairo_rectangle_t r;
      double rect[4];

      double cx0, cy0, cx1, cy1;

      /* what the clip leaves of it (the ladder clips segments that start
       * above its window off its hosts' names) */
      tl_render_arrowhead_rect (x, y, dx, dy, size, &r);
      cairo_clip_extents (painter->cr, &cx0, &cy0, &cx1, &cy1);
      cx0 = MAX (cx0, r.x);
      cy0 = MAX (cy0, r.y);
      cx1 = MIN (cx1, r.x + r.width);
      cy1 = MIN (cy1, r.y + r.height);
      if (cx1 <= cx0 || cy1 <= cy0)
        {
          g_free (mark.text);
          cairo_fill (painter->cr);
          return;
        }
      device_rect (painter->cr, cx0, cy0, cx1 - cx0, cy1 - cy0, rect);
      mark.x = rect[0];
      mark.y = rect[1];
      mark.width = rect[2];
      mark.height = rect[3];
      source_rgb (painter->cr, mark.ink);
      g_array_append_val (painter->style->marks, mark);
    }
  cairo_fill (painter->cr);
}

void
tl_painter_round_rect (TlPainter *painter,
                       double     x,
                       double     y,
                       double     w,
                       double     h,
                       double     radius)
{
  cairo_t *cr = painter->cr;

  radius = MIN (radius, MIN (w, h) / 2.0);
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - radius, y + radius, radius, -G_PI / 2, 0);
  cairo_arc (cr, x + w - radius, y + h - radius, radius, 0, G_PI / 2);
  cairo_arc (cr, x + radius, y + h - radius, radius, G_PI / 2, G_PI);
  cairo_arc (cr, x + radius, y + radius, radius, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

void
tl_render_format_addr (char          *buf,
                       gsize          size,
                       const TlTrace *trace,
                       guint32        addr,
                       guint16        port)
{
  char port_text[8];
  char addr_text[TL_ADDR_STRLEN];

  if (port == 0)
    g_strlcpy (port_text, "*", sizeof port_text);
  else
    g_snprintf (port_text, sizeof port_text, "%u", port);

  tl_trace_format_addr (trace, addr, addr_text);
  if (addr == 0)
    g_snprintf (buf, size, "*:%s", port_text);
  else if (tl_trace_is_v6 (trace))     /* as ss writes it */
    g_snprintf (buf, size, "[%s]:%s", addr_text, port_text);
  else
    g_snprintf (buf, size, "%s:%s", addr_text, port_text);
}

gboolean
tl_render_band_in_view (double scroll,
                        double view_h,
                        double y,
                        double h)
{
  return y - scroll > -0.5 && y + h - scroll < view_h + 0.5;
}

guint
tl_render_fit_tries (const TlRenderFit  *fit,
                     guint               n,
                     double              height,
                     TlRenderMeasureTry  measure,
                     double             *heights,
                     double             *tallest)
{
  for (guint t = 0; t < n; t++)
    {
      tallest[t] = 0;
      heights[t] = measure (fit, t, &tallest[t]);
      if (heights[t] <= height)
        return t;
    }
  return n;
}

char *
tl_render_format_duration (gint64 us)
{
  /* TRANSLATORS: durations in the timer bars */
  if (us >= 10 * TL_USEC_PER_SEC)
    return g_strdup_printf (_("%.0f s"), (double) us / TL_USEC_PER_SEC);
  if (us >= TL_USEC_PER_SEC)
    return g_strdup_printf (_("%.1f s"), (double) us / TL_USEC_PER_SEC);
  return g_strdup_printf (_("%.0f ms"), (double) us / TL_USEC_PER_MSEC);
}

/* As ss(8) spells the states (its sstate_name table). */
/* Each state as `ss -tan` spells it and as RFC 9293 names it (section
 * 3.3.2), which ss shortens. */
static const struct
{
  const char *ss;
  const char *rfc;
} state_names[TL_N_STATES] = {
  [TL_STATE_CLOSED]      = { "UNCONN",     "CLOSED" },
  [TL_STATE_LISTEN]      = { "LISTEN",     "LISTEN" },
  [TL_STATE_SYN_SENT]    = { "SYN-SENT",   "SYN-SENT" },
  [TL_STATE_SYN_RCVD]    = { "SYN-RECV",   "SYN-RECEIVED" },
  [TL_STATE_ESTABLISHED] = { "ESTAB",      "ESTABLISHED" },
  [TL_STATE_FIN_WAIT_1]  = { "FIN-WAIT-1", "FIN-WAIT-1" },
  [TL_STATE_FIN_WAIT_2]  = { "FIN-WAIT-2", "FIN-WAIT-2" },
  [TL_STATE_CLOSE_WAIT]  = { "CLOSE-WAIT", "CLOSE-WAIT" },
  [TL_STATE_CLOSING]     = { "CLOSING",    "CLOSING" },
  [TL_STATE_LAST_ACK]    = { "LAST-ACK",   "LAST-ACK" },
  [TL_STATE_TIME_WAIT]   = { "TIME-WAIT",  "TIME-WAIT" },
};

const char *
tl_render_ss_state (TlState state)
{
  g_return_val_if_fail ((guint) state < TL_N_STATES, "");
  return state_names[state].ss;
}

char *
tl_render_sockets_tooltip (const TlTrace *trace,
                           gint64         time_us)
{
  GString *text = g_string_new (NULL);
  gboolean present[TL_N_STATES] = { FALSE };
  TlWorld world;

  g_return_val_if_fail (trace != NULL, NULL);

  tl_world_init (&world);
  tl_trace_world_at (trace, time_us, &world);
  for (guint h = 0; h < 2; h++)
    for (guint s = 0; s < TL_N_STATES; s++)
      present[s] = present[s] || world.counts[h][s] > 0;
  tl_world_clear (&world);
  for (guint s = 0; s < TL_N_STATES; s++)
    if (present[s])
      {
        if (text->len > 0)
          g_string_append_c (text, '\n');
        /* TRANSLATORS: "SYN-RECV: SYN-RECEIVED in RFC 9293, SYN_RCVD in the diagram" */
        g_string_append_printf (text, _("%s: %s in RFC 9293, %s in the diagram"),
                                state_names[s].ss, state_names[s].rfc, tl_state_name (s));
      }
  if (text->len == 0)
    {
      g_string_free (text, TRUE);
      return NULL;
    }
  g_string_prepend (text, _("The states as ss -tan spells them:\n"));
  return g_string_free (text, FALSE);
}

gboolean
tl_render_state_from_ss (const char *name,
                         TlState    *state)
{
  for (guint s = 0; s < TL_N_STATES; s++)
    if (g_strcmp0 (state_names[s].ss, name) == 0)
      {
        *state = (TlState) s;
        return TRUE;
      }
  return FALSE;
}

char *
tl_render_conn_name (const TlTrace *trace,
                     guint32        conn)
{
  const TlTraceConn *c = tl_trace_conn (trace, conn);
  char *name = tl_render_host_name (trace, c->host);
  char *named;

  if (c->listener)
    return name;
  named = g_strdup_printf ("%s#%u", name, c->ordinal);
  g_free (name);
  return named;
}

guint32
tl_render_current_conn (const TlTrace *trace,
                        const TlWorld *world,
                        guint          host)
{
  guint32 listener = TL_NO_CONN;

  /* world->sockets is in connection order, and connections are numbered as
   * they are created: the last match is the most recent. */
  for (guint i = world->sockets->len; i > 0; i--)
    {
      const TlWorldSocket *sock = &g_array_index (world->sockets, TlWorldSocket, i - 1);
      const TlTraceConn *conn = tl_trace_conn (trace, sock->conn);

      if (conn->host != host || sock->state == TL_STATE_CLOSED)
        continue;
      if (!conn->listener)
        return sock->conn;
      if (listener == TL_NO_CONN)
        listener = sock->conn;
    }
  return listener;
}

/* A view drawn into a pane of the "all" picture, its body text at text_px
 * whatever the pane's size: one type size across the picture, large enough
 * for the back of a classroom.  The ladder by render, the others by draw on
 * the world the picture found once. */
static void
render_in (cairo_t             *cr,
           void               (*render) (cairo_t *, const TlTrace *, gint64, double, double,
                                         const TlRenderStyle *),
           TlWorldViewFunc      draw,
           const TlTrace       *trace,
           const TlWorld       *world,
           double               x,
           double               y,
           double               width,
           double               height,
           const TlRenderStyle *style,
           double               text_px)
{
  TlRenderStyle pane = *style;

  if (width < 1 || height < 1)
    return;
  pane.font_scale = 1.0;
  pane.font_scale = text_px / tl_render_font_px (&pane, width, height);
  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);
  if (render != NULL)
    render (cr, trace, world->time_us, width, height, &pane);
  else
    tl_render_world_view (cr, trace, world->time_us, width, height, &pane, draw, world);
  cairo_restore (cr);
}

/* The lesson's words for this moment, as subtitles across the bottom, in
 * the language asked for: the narration, and below it the question of a
 * pause at this very time.  Lines of each, at most four in all. */
static void
band_lines (TlPainter  *p,
            const char *narration,
            const char *question,
            double      width,
            double      text_px,
            int        *narration_lines,
            int        *question_lines)
{
  *narration_lines = narration != NULL && *narration != '\0'
                     ? tl_painter_paragraph_lines (p, narration, text_px, width - 2 * text_px)
                     : 0;
  *question_lines = question != NULL && *question != '\0'
                    ? tl_painter_paragraph_lines (p, question, text_px, width - 2 * text_px)
                    : 0;
  *question_lines = MIN (*question_lines, 2);
  *narration_lines = MIN (*narration_lines, 4 - *question_lines);
}

/* The band's height, 0 if it has no text.  By lines, not by the text's own
 * height, which differs from script to script: the panes above keep their
 * places whatever the language. */
static double
band_height (int    lines,
             double text_px)
{
  return lines > 0 ? lines * text_px * 1.5 + text_px : 0;
}

static void
draw_band (TlPainter  *p,
           const char *narration,
           const char *question,
           int         narration_lines,
           double      y,
           double      width,
           double      band_h,
           double      text_px)
{
  cairo_t *cr = p->cr;

  tl_painter_set_rgb (p, &p->pal->panel, 1.0);
  cairo_rectangle (cr, 0, y, width, band_h);
  cairo_fill (cr);
  tl_painter_set_rgb (p, &p->pal->accent, 1.0);
  cairo_rectangle (cr, 0, y, text_px * 0.3, band_h);
  cairo_fill (cr);
  cairo_save (cr);
  cairo_rectangle (cr, 0, y, width, band_h);
  cairo_clip (cr);
  y += text_px * 0.5;
  if (narration_lines > 0)
    {
      cairo_save (cr);
      cairo_rectangle (cr, 0, y, width, narration_lines * text_px * 1.5);
      cairo_clip (cr);
      tl_painter_set_rgb (p, &p->pal->ink, 1.0);
      tl_painter_paragraph (p, narration, text_px, y, text_px, width - 2 * text_px, NULL);
      cairo_restore (cr);
      y += narration_lines * text_px * 1.5;
    }
  if (question != NULL && *question != '\0')
    {
      tl_painter_set_rgb (p, &p->pal->accent, 1.0);
      tl_painter_paragraph (p, question, text_px, y, text_px, width - 2 * text_px, NULL);
    }
  cairo_restore (cr);
}

static void
render_all (cairo_t             *cr,
            const TlTrace       *trace,
            gint64               time_us,
            double               width,
            double               height,
            const TlRenderStyle *style)
{
  const char *narration = tl_trace_narration_at (trace, time_us, style->locale);
  const char *question = tl_trace_question_at (trace, time_us, style->locale);
  double text_px = MAX (tl_render_font_px (style, width, height) * 0.8,
                        19.0 * (style->font_scale > 0 ? style->font_scale : 1.0));
  double left_w = floor (width * 0.56);
  double band_h, bottom_h, top_h;
  int narration_lines, question_lines;
  TlWorld world;
  TlPainter p;

  /* The diagram large on the left, the ladder on the right, the two tables
   * in a strip below (they hold a few rows), the narration at the bottom. */
  tl_painter_init (&p, cr, style, width, height);
  band_lines (&p, narration, question, width, text_px * 1.1, &narration_lines, &question_lines);
  band_h = ceil (band_height (narration_lines + question_lines, text_px * 1.1));
  /* The tables need their rows whatever the height: a larger share of a
   * small picture. */
  bottom_h = floor ((height - band_h) * (height < 900 ? 0.31 : 0.27));
  top_h = height - band_h - bottom_h;

  /* the world at time_us found once for the three views of it */
  tl_world_init (&world);
  tl_trace_world_at (trace, time_us, &world);
  render_in (cr, NULL, tl_render_diagram_world, trace, &world, 0, 0, left_w, top_h, style,
             text_px);
  render_in (cr, tl_render_ladder, NULL, trace, &world, left_w, 0, width - left_w, top_h, style,
             text_px);
  render_in (cr, NULL, tl_render_timers_world, trace, &world, 0, top_h, left_w, bottom_h, style,
             text_px);
  render_in (cr, NULL, tl_render_sockets_world, trace, &world, left_w, top_h, width - left_w,
             bottom_h, style, text_px);
  tl_world_clear (&world);
  if (band_h > 0)
    draw_band (&p, narration, question, narration_lines, top_h + bottom_h, width, band_h,
               text_px * 1.1);

  tl_painter_set_rgb (&p, &p.pal->grid, 1.0);
  cairo_set_line_width (cr, 2.0);
  cairo_move_to (cr, left_w, 0);
  cairo_line_to (cr, left_w, top_h + bottom_h);
  cairo_move_to (cr, 0, top_h);
  cairo_line_to (cr, width, top_h);
  cairo_stroke (cr);
  tl_painter_clear (&p);
}

void
tl_render_world_view (cairo_t             *cr,
                      const TlTrace       *trace,
                      gint64               time_us,
                      double               width,
                      double               height,
                      const TlRenderStyle *style,
                      TlWorldViewFunc      draw,
                      const TlWorld       *world)
{
  TlPainter painter;
  TlWorld own;

  if (width < 1 || height < 1)
    return;

  if (world == NULL)
    {
      tl_world_init (&own);
      tl_trace_world_at (trace, time_us, &own);
    }
  cairo_save (cr);
  tl_painter_init (&painter, cr, style, width, height);
  draw (&painter, trace, world != NULL ? world : &own, width, height);
  tl_painter_clear (&painter);
  cairo_restore (cr);
  if (world == NULL)
    tl_world_clear (&own);
}

void
tl_render_view (cairo_t             *cr,
                TlView               view,
                const TlTrace       *trace,
                gint64               time_us,
                double               width,
                double               height,
                const TlRenderStyle *style)
{
  g_return_if_fail (cr != NULL);
  g_return_if_fail (trace != NULL);
  g_return_if_fail (style != NULL);

  switch (view)
    {
    case TL_VIEW_DIAGRAM:
      tl_render_diagram (cr, trace, time_us, width, height, style);
      break;
    case TL_VIEW_LADDER:
      tl_render_ladder (cr, trace, time_us, width, height, style);
      break;
    case TL_VIEW_TIMERS:
      tl_render_timers (cr, trace, time_us, width, height, style);
      break;
    case TL_VIEW_SOCKETS:
      tl_render_sockets (cr, trace, time_us, width, height, style);
      break;
    case TL_VIEW_ALL:
      render_all (cr, trace, time_us, width, height, style);
      break;
    }
}

typedef enum
{
  FORMAT_PNG,
  FORMAT_SVG,
  FORMAT_PDF,
} FileFormat;

static gboolean
format_from_path (const char *path,
                  FileFormat *format)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  if (g_str_has_suffix (lower, ".png"))
    *format = FORMAT_PNG;
  else if (g_str_has_suffix (lower, ".svg"))
    *format = FORMAT_SVG;
  else if (g_str_has_suffix (lower, ".pdf"))
    *format = FORMAT_PDF;
  else
    return FALSE;
  return TRUE;
}

/* Where cairo's output goes: the output file (tl-out-file.h), so that
 * every write's error is seen.  (cairo's stdio stream for PDF lost the error
 * of its final flush: a full disk gave a truncated PDF and success.) */
typedef struct
{
  TlOutFile *file;
  gboolean   failed;   /* a write failed */
} FileStream;

static cairo_status_t
stream_write (void                *closure,
              const unsigned char *data,
              unsigned int         length)
{
  FileStream *stream = closure;

  if (!tl_out_file_write ((const char *) data, length, stream->file))
    stream->failed = TRUE;
  return stream->failed ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

static cairo_status_t
draw_to (FileStream          *stream,
         FileFormat           format,
         TlView               view,
         const TlTrace       *trace,
         gint64               time_us,
         int                  width,
         int                  height,
         const TlRenderStyle *style)
{
  cairo_surface_t *surface = NULL;
  cairo_status_t status;
  cairo_t *cr;

  switch (format)
    {
    case FORMAT_PNG:
      surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
      break;
    case FORMAT_SVG:
      surface = cairo_svg_surface_create_for_stream (stream_write, stream, width, height);
      break;
    case FORMAT_PDF:
      surface = cairo_pdf_surface_create_for_stream (stream_write, stream, width, height);
      break;
    }

  cr = cairo_create (surface);
  tl_render_view (cr, view, trace, time_us, width, height, style);
  status = cairo_status (cr);
  cairo_destroy (cr);

  if (status == CAIRO_STATUS_SUCCESS && format == FORMAT_PNG)
    status = cairo_surface_write_to_png_stream (surface, stream_write, stream);
  /* finish writes what a PDF or SVG still holds; its errors land in the
   * surface's status, and ours in the stream */
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status == CAIRO_STATUS_SUCCESS && stream->failed)
    status = CAIRO_STATUS_WRITE_ERROR;
  return status;
}

gboolean
tl_render_to_file (TlView               view,
                   const TlTrace       *trace,
                   gint64               time_us,
                   int                  width,
                   int                  height,
                   const TlRenderStyle *style,
                   const char          *path,
                   GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  cairo_status_t status;
  FileStream stream = { NULL, FALSE };
  FileFormat format;

  g_return_val_if_fail (trace != NULL, FALSE);
  g_return_val_if_fail (style != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!format_from_path (path, &format))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("%s: unknown image type; the name must end in .png, .svg or .pdf"),
                   path);
      return FALSE;
    }
  /* 16384x16384 took 1.5 GB: a picture is at most 8K UHD's pixels. */
  if (width < 1 || height < 1 || width > TL_RENDER_MAX_SIDE || height > TL_RENDER_MAX_SIDE
      || (gint64) width * height > TL_RENDER_MAX_PIXELS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("%s: size %d×%d is out of range (1 to %d pixels a side, %d pixels in "
                     "all: 7680×4320 at most)"),
                   path, width, height, TL_RENDER_MAX_SIDE, TL_RENDER_MAX_PIXELS);
      return FALSE;
    }

  /* Written beside the target and renamed over it, so that a reader never
   * sees half a picture and a failure leaves the old file alone. */
  stream.file = tl_out_file_new (path, &local_error);
  if (stream.file == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("%s: cannot create a file beside it: %s"), path, local_error->message);
      return FALSE;
    }
  status = draw_to (&stream, format, view, trace, time_us, width, height, style);
  if (status != CAIRO_STATUS_SUCCESS && !stream.failed)
    {
      tl_out_file_abort (stream.file);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("%s: cannot write the image: %s"), path, cairo_status_to_string (status));
      return FALSE;
    }
  if (!tl_out_file_commit (stream.file, &local_error))
    {
      if (local_error->code == TL_OUT_FILE_ERROR_RENAME)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                     _("%s: cannot rename the image into place: %s"), path, local_error->message);
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                     _("%s: cannot write the image: %s"), path, local_error->message);
      return FALSE;
    }
  return TRUE;
}
