/* tl-rng.c: xoshiro256** (Blackman and Vigna), seeded with splitmix64 so that
 * any 64-bit seed, 0 included, gives a well-mixed state.  Small and fast: the
 * flood benchmark draws a few numbers per SYN. */
#include "tl-rng.h"

static guint64
splitmix64 (guint64 *x)
{
  guint64 z = (*x += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static inline guint64
rotl (guint64 x,
      int     k)
{
  return (x << k) | (x >> (64 - k));
}

void
tl_rng_init (TlRng   *rng,
             guint64  seed)
{
  guint64 x = seed;

  for (guint i = 0; i < 4; i++)
    rng->s[i] = splitmix64 (&x);
}

guint64
tl_rng_next (TlRng *rng)
{
  guint64 *s = rng->s;
  guint64 result = rotl (s[1] * 5, 7) * 9;
  guint64 t = s[1] << 17;

  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);
  return result;
}

guint64
tl_rng_below (TlRng   *rng,
              guint64  n)
{
  g_assert (n > 0);
  /* The modulo bias is below 2^-40 for the ranges we draw (ports, ppm,
   * jitter in us): not worth a rejection loop that would make the number of
   * draws depend on the values. */
  return tl_rng_next (rng) % n;
}

gboolean
tl_rng_chance_ppm (TlRng   *rng,
                   guint32  ppm)
{
  if (ppm == 0)
    return FALSE;
  if (ppm >= 1000000)
    return TRUE;
  return tl_rng_below (rng, 1000000) < ppm;
}
