/* tl-rng.h: the simulator's one random generator (xoshiro256**, seeded by
 * splitmix64).  Every draw happens in event order, so a seed fixes a run. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint64 s[4];
} TlRng;

void    tl_rng_init      (TlRng   *rng,
                          guint64  seed);
guint64 tl_rng_next      (TlRng   *rng);
/* Uniform in [0, n); n > 0. */
guint64 tl_rng_below     (TlRng   *rng,
                          guint64  n);
/* TRUE with probability ppm / 1e6; draws nothing when ppm is 0 or 1e6. */
gboolean tl_rng_chance_ppm (TlRng  *rng,
                            guint32 ppm);

G_END_DECLS
