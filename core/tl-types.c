/* tl-types.c: names of states, flags and errors, both ways. */
#include "tl-types.h"

#include <string.h>

static const char *const state_names[TL_N_STATES] = {
  [TL_STATE_CLOSED]      = "CLOSED",
  [TL_STATE_LISTEN]      = "LISTEN",
  [TL_STATE_SYN_SENT]    = "SYN_SENT",
  [TL_STATE_SYN_RCVD]    = "SYN_RCVD",
  [TL_STATE_ESTABLISHED] = "ESTABLISHED",
  [TL_STATE_FIN_WAIT_1]  = "FIN_WAIT_1",
  [TL_STATE_FIN_WAIT_2]  = "FIN_WAIT_2",
  [TL_STATE_CLOSE_WAIT]  = "CLOSE_WAIT",
  [TL_STATE_CLOSING]     = "CLOSING",
  [TL_STATE_LAST_ACK]    = "LAST_ACK",
  [TL_STATE_TIME_WAIT]   = "TIME_WAIT",
};

/* The names netstat and ss print, after '-' has become '_'. */
static const struct { const char *alias; TlState state; } state_aliases[] = {
  { "SYN_RECV",  TL_STATE_SYN_RCVD },
  { "FIN_WAIT1", TL_STATE_FIN_WAIT_1 },
  { "FIN_WAIT2", TL_STATE_FIN_WAIT_2 },
};

static const char *const error_names[TL_N_ERRORS] = {
  [TL_ERR_NONE]         = "none",
  [TL_ERR_ECONNREFUSED] = "ECONNREFUSED",
  [TL_ERR_ECONNRESET]   = "ECONNRESET",
  [TL_ERR_ETIMEDOUT]    = "ETIMEDOUT",
  [TL_ERR_EPIPE]        = "EPIPE",
  [TL_ERR_EADDRNOTAVAIL] = "EADDRNOTAVAIL",
  [TL_ERR_ENOTCONN]     = "ENOTCONN",
  [TL_ERR_EADDRINUSE]   = "EADDRINUSE",
};

/* In the order the format writes them. */
static const struct { TlFlags flag; const char *name; } flag_names[] = {
  { TL_FLAG_SYN, "SYN" },
  { TL_FLAG_FIN, "FIN" },
  { TL_FLAG_RST, "RST" },
  { TL_FLAG_PSH, "PSH" },
  { TL_FLAG_ACK, "ACK" },
};

int
tl_name_index (const char * const *names,
               guint               n,
               const char         *name)
{
  g_return_val_if_fail (name != NULL, -1);

  for (guint i = 0; i < n; i++)
    if (g_ascii_strcasecmp (name, names[i]) == 0)
      return i;
  return -1;
}

const char *
tl_state_name (TlState state)
{
  g_return_val_if_fail ((guint) state < TL_N_STATES, "?");
  return state_names[state];
}

gboolean
tl_state_from_name (const char *name,
                    TlState    *state)
{
  char canon[32];
  gsize len;
  int index;

  g_return_val_if_fail (name != NULL, FALSE);

  len = strlen (name);
  if (len == 0 || len >= sizeof canon)
    return FALSE;
  /* Case does not matter for state names, and '-' may stand for '_'. */
  for (gsize i = 0; i <= len; i++)
    canon[i] = name[i] == '-' ? '_' : g_ascii_toupper (name[i]);

  index = tl_name_index (state_names, TL_N_STATES, canon);
  if (index >= 0)
    {
      *state = index;
      return TRUE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (state_aliases); i++)
    if (strcmp (canon, state_aliases[i].alias) == 0)
      {
        *state = state_aliases[i].state;
        return TRUE;
      }
  return FALSE;
}

const char *
tl_error_name (TlError error)
{
  g_return_val_if_fail ((guint) error < TL_N_ERRORS, "?");
  return error_names[error];
}

gboolean
tl_error_from_name (const char *name,
                    TlError    *error)
{
  int index = tl_name_index (error_names, TL_N_ERRORS, name);

  if (index < 0)
    return FALSE;
  *error = index;
  return TRUE;
}

const char *
tl_flags_to_string (guint8  flags,
                    char   *buf)
{
  char *p = buf;

  *p = '\0';
  for (guint i = 0; i < G_N_ELEMENTS (flag_names); i++)
    if (flags & flag_names[i].flag)
      {
        if (p != buf)
          *p++ = ',';
        p = g_stpcpy (p, flag_names[i].name);
      }
  if (p == buf)
    strcpy (buf, "none");
  return buf;
}

gboolean
tl_flags_from_string (const char *text,
                      guint8     *flags)
{
  g_auto(GStrv) parts = NULL;
  guint8 result = 0;

  g_return_val_if_fail (text != NULL, FALSE);

  parts = g_strsplit (text, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      guint8 bit = 0;

      for (guint j = 0; j < G_N_ELEMENTS (flag_names); j++)
        if (g_ascii_strcasecmp (parts[i], flag_names[j].name) == 0)
          bit = flag_names[j].flag;
      if (bit == 0 || (result & bit))
        return FALSE;
      result |= bit;
    }
  if (result == 0)
    return FALSE;
  *flags = result;
  return TRUE;
}

/* us in a unit of `per` microseconds, with as many decimals as it takes. */
static char *
spell_decimal (gint64      us,
               gint64      per,
               const char *unit)
{
  gint64 whole = us / per;
  gint64 frac = us % per;
  int digits = 0;

  if (frac == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT "%s", whole, unit);
  for (gint64 p = per; p > 1; p /= 10)
    digits++;
  while (frac % 10 == 0)
    {
      frac /= 10;
      digits--;
    }
  return g_strdup_printf ("%" G_GINT64_FORMAT ".%0*" G_GINT64_FORMAT "%s", whole, digits, frac, unit);
}

char *
tl_duration_to_string (gint64 us)
{
  char *best;
  char *other[2];

  if (us == 0)
    return g_strdup ("0ms");
  if (us < 0)
    {
      g_autofree char *pos = tl_duration_to_string (-us);

      return g_strconcat ("-", pos, NULL);
    }
  /* The shortest of whole minutes, seconds (from 1s: "0.1s" reads worse
   * than "100ms"), milliseconds and microseconds; on a tie the one without a
   * decimal point, then the larger unit: 2.5s, 420ms, 2min, 1.5ms, 250us. */
  if (us % (60 * TL_USEC_PER_SEC) == 0)
    best = g_strdup_printf ("%" G_GINT64_FORMAT "min", us / (60 * TL_USEC_PER_SEC));
  else if (us >= TL_USEC_PER_SEC)
    best = spell_decimal (us, TL_USEC_PER_SEC, "s");
  else
    best = spell_decimal (us, TL_USEC_PER_MSEC, "ms");
  other[0] = spell_decimal (us, TL_USEC_PER_MSEC, "ms");
  other[1] = g_strdup_printf ("%" G_GINT64_FORMAT "us", us);
  for (guint i = 0; i < G_N_ELEMENTS (other); i++)
    {
      gsize lb = strlen (best), lo = strlen (other[i]);
      gboolean best_dot = strchr (best, '.') != NULL;
      gboolean other_dot = strchr (other[i], '.') != NULL;

      if (lo < lb || (lo == lb && best_dot && !other_dot))
        {
          g_free (best);
          best = other[i];
        }
      else
        g_free (other[i]);
    }
  return best;
}
