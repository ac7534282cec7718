/* tl-text-cache.h: a per-thread cache of Pango layouts keyed by string,
 * size, weight and wrap width, so that a string drawn in the last frame is
 * not shaped again (DESIGN.md: a frame in under 4 ms). */
#pragma once

#include <pango/pangocairo.h>

G_BEGIN_DECLS

typedef struct _TlTextCache TlTextCache;

/* This thread's cache, freed when the thread ends. */
TlTextCache *tl_text_cache_get    (void);
/* Picks the Pango context for cr's transformation and font options; call
 * before laying out text for cr. */
void         tl_text_cache_follow (TlTextCache *cache,
                                   cairo_t     *cr);
/* The layout of text in the context last followed; owned by the cache,
 * valid until the next call. */
PangoLayout *tl_text_cache_layout (TlTextCache *cache,
                                   const char  *text,
                                   double       size_px,
                                   gboolean     bold,
                                   double       wrap_px);

G_END_DECLS
