/* tl-text-cache.c: the Pango layouts of the renderers, kept from frame to
 * frame.
 *
 * Laid-out strings survive from frame to frame: a frame mostly shows the
 * strings of the one before.  Layouts belong to a Pango context, which
 * follows the cairo context drawn into (the linear part of its transformation
 * and the surface's font options), and Pango lays every string of a context
 * out again when either changes.  The diagram draws scaled and the other
 * views do not, so the cache keeps a context per transformation (the few
 * last used), each with its layouts.
 */
#include "tl-text-cache.h"

#define TEXT_CONTEXTS        4
#define TEXT_LAYOUTS_MAX  2048

typedef struct
{
  PangoContext *context;
  GHashTable   *layouts;   /* "SIZE|WEIGHT|TEXT" -> PangoLayout */
  GHashTable   *older;     /* the generation before, emptied as it is used */
  double        xx, yx, xy, yy;
  guint64       used;
} TlTextContext;

struct _TlTextCache
{
  TlTextContext         contexts[TEXT_CONTEXTS];
  TlTextContext        *current;   /* the one for the cairo context drawn into */
  guint64               uses;
  PangoFontDescription *font;
  cairo_font_options_t *options;   /* the target's, as set on every context */
  GString              *key;
};

static void
text_cache_free (gpointer data)
{
  TlTextCache *cache = data;

  for (guint i = 0; i < TEXT_CONTEXTS; i++)
    {
      g_clear_pointer (&cache->contexts[i].layouts, g_hash_table_unref);
      g_clear_pointer (&cache->contexts[i].older, g_hash_table_unref);
      g_clear_object (&cache->contexts[i].context);
    }
  pango_font_description_free (cache->font);
  cairo_font_options_destroy (cache->options);
  g_string_free (cache->key, TRUE);
  g_free (cache);
}

static GPrivate text_cache_key = G_PRIVATE_INIT (text_cache_free);

TlTextCache *
tl_text_cache_get (void)
{
  TlTextCache *cache = g_private_get (&text_cache_key);

  if (cache != NULL)
    return cache;
  cache = g_new0 (TlTextCache, 1);
  cache->font = pango_font_description_from_string ("Sans");
  cache->options = cairo_font_options_create ();
  cache->key = g_string_new (NULL);
  g_private_set (&text_cache_key, cache);
  return cache;
}

/* Picks the context for cr's transformation and font options; cheap when
 * nothing changed, which is every string but the first of a view. */
void
tl_text_cache_follow (TlTextCache *cache,
                      cairo_t     *cr)
{
  cairo_font_options_t *options = cairo_font_options_create ();
  TlTextContext *tc = NULL;
  cairo_matrix_t m;

  cairo_surface_get_font_options (cairo_get_target (cr), options);
  if (!cairo_font_options_equal (options, cache->options))
    {
      cairo_font_options_destroy (cache->options);
      cache->options = options;
      for (guint i = 0; i < TEXT_CONTEXTS; i++)
        if (cache->contexts[i].context != NULL)
          pango_cairo_context_set_font_options (cache->contexts[i].context, options);
    }
  else
    cairo_font_options_destroy (options);

  /* The translation does not change how glyphs are shaped or hinted: leaving
   * it out keeps layouts valid wherever a view is placed. */
  cairo_get_matrix (cr, &m);
  if (cache->current != NULL && cache->current->xx == m.xx && cache->current->yx == m.yx &&
      cache->current->xy == m.xy && cache->current->yy == m.yy)
    tc = cache->current;
  for (guint i = 0; i < TEXT_CONTEXTS && tc == NULL; i++)
    if (cache->contexts[i].context != NULL && cache->contexts[i].xx == m.xx &&
        cache->contexts[i].yx == m.yx && cache->contexts[i].xy == m.xy &&
        cache->contexts[i].yy == m.yy)
      tc = &cache->contexts[i];
  if (tc == NULL)
    {
      PangoMatrix pm = { m.xx, m.xy, m.yx, m.yy, 0, 0 };

      /* A new transformation takes the place of the least recently used. */
      tc = &cache->contexts[0];
      for (guint i = 1; i < TEXT_CONTEXTS; i++)
        if (cache->contexts[i].used < tc->used)
          tc = &cache->contexts[i];
      if (tc->context == NULL)
        {
          tc->context = pango_font_map_create_context (pango_cairo_font_map_get_default ());
          tc->layouts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
          tc->older = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
          pango_cairo_context_set_font_options (tc->context, cache->options);
        }
      else
        {
          g_hash_table_remove_all (tc->layouts);
          g_hash_table_remove_all (tc->older);
        }
      pango_context_set_matrix (tc->context, &pm);
      tc->xx = m.xx;
      tc->yx = m.yx;
      tc->xy = m.xy;
      tc->yy = m.yy;
    }
  tc->used = ++cache->uses;
  cache->current = tc;
}

PangoLayout *
tl_text_cache_layout (TlTextCache *cache,
                      const char  *text,
                      double       size_px,
                      gboolean     bold,
                      double       wrap_px)
{
  TlTextContext *tc = cache->current;
  PangoLayout *layout;
  char *key;
  int size = (int) (size_px * PANGO_SCALE + 0.5);
  int wrap = wrap_px > 0 ? (int) (wrap_px * PANGO_SCALE) : -1;

  g_string_printf (cache->key, "%d|%d|%d|%s", size, bold, wrap, text);
  layout = g_hash_table_lookup (tc->layouts, cache->key->str);
  if (layout != NULL)
    return layout;

  /* Bounded, in two generations: when the current one is full it becomes
   * the older, and what is still drawn moves back from there, so a flood's
   * ever-new strings never make a frame lay out all its strings anew. */
  if (g_hash_table_size (tc->layouts) >= TEXT_LAYOUTS_MAX)
    {
      GHashTable *full = tc->layouts;

      tc->layouts = tc->older;
      tc->older = full;
      g_hash_table_remove_all (tc->layouts);
    }
  if (g_hash_table_steal_extended (tc->older, cache->key->str, (gpointer *) &key,
                                   (gpointer *) &layout))
    {
      g_hash_table_insert (tc->layouts, key, layout);
      return layout;
    }
  layout = pango_layout_new (tc->context);
  pango_font_description_set_absolute_size (cache->font, size);
  pango_font_description_set_weight (cache->font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (layout, cache->font);
  pango_layout_set_text (layout, text, -1);
  pango_layout_set_width (layout, wrap);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  g_hash_table_insert (tc->layouts, g_strdup (cache->key->str), layout);
  return layout;
}
