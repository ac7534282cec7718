/* tl-link.c: delay, jitter, loss, duplication, cuts and scripted drops. */
#include "tl-link.h"

void
tl_link_init (TlLink          *link,
              const TlLinkDir  initial[2])
{
  for (guint d = 0; d < 2; d++)
    {
      link->dir[d] = initial[d];
      link->last_arrival_us[d] = 0;
      link->drops[d] = g_array_new (FALSE, FALSE, sizeof (TlDropRule));
      link->dups[d] = g_array_new (FALSE, FALSE, sizeof (TlDropRule));
      link->holds[d] = g_array_new (FALSE, FALSE, sizeof (TlDropRule));
      link->wire[d] = g_array_new (FALSE, FALSE, sizeof (TlWireRule));
    }
}

void
tl_link_clear (TlLink *link)
{
  for (guint d = 0; d < 2; d++)
    {
      g_clear_pointer (&link->drops[d], g_array_unref);
      g_clear_pointer (&link->dups[d], g_array_unref);
      g_clear_pointer (&link->holds[d], g_array_unref);
      g_clear_pointer (&link->wire[d], g_array_unref);
    }
}

static void
apply_one (TlLinkDir           *dir,
           const TlLinkSetting *setting)
{
  switch ((TlLinkParam) setting->param)
    {
    case TL_LINK_DELAY:
      dir->delay_us = MAX (setting->value, 0);
      break;
    case TL_LINK_JITTER:
      dir->jitter_us = MAX (setting->value, 0);
      break;
    case TL_LINK_LOSS:
      dir->loss_ppm = (guint32) CLAMP (setting->value, 0, 1000000);
      break;
    case TL_LINK_DUPLICATE:
      dir->duplicate_ppm = (guint32) CLAMP (setting->value, 0, 1000000);
      break;
    case TL_LINK_DOWN:
      dir->down = TRUE;
      break;
    case TL_LINK_UP:
      dir->down = FALSE;
      break;
    case TL_N_LINK_PARAMS:
      g_assert_not_reached ();
    }
}

void
tl_link_apply (TlLink              *link,
               int                  dir,
               const TlLinkSetting *setting)
{
  for (int d = 0; d < 2; d++)
    if (dir == TL_DIR_BOTH || dir == d)
      apply_one (&link->dir[d], setting);
}

void
tl_link_add_hold (TlLink   *link,
                  int       dir,
                  guint8    flags,
                  gboolean  any,
                  gint64    hold_us)
{
  TlDropRule rule = { flags, any, 1, MAX (hold_us, 0) };

  for (int d = 0; d < 2; d++)
    if (dir == TL_DIR_BOTH || dir == d)
      g_array_append_val (link->holds[d], rule);
}

void
tl_link_add_drop (TlLink   *link,
                  int       dir,
                  guint8    flags,
                  gboolean  any,
                  guint     count,
                  gboolean  duplicate)
{
  TlDropRule rule = { flags, any, count, 0 };

  for (int d = 0; d < 2; d++)
    if (dir == TL_DIR_BOTH || dir == d)
      g_array_append_val (duplicate ? link->dups[d] : link->drops[d], rule);
}

void
tl_link_add_wire_rule (TlLink   *link,
                       int       dir,
                       guint8    flags,
                       gboolean  any,
                       gboolean  lose,
                       gint64    now_us)
{
  TlWireRule rule = { flags, any, lose, now_us };
  GArray *rules = link->wire[dir];

  /* Rules of an earlier time are spent: time never goes backwards. */
  if (rules->len > 0 && g_array_index (rules, TlWireRule, 0).time_us != now_us)
    g_array_set_size (rules, 0);
  g_array_append_val (rules, rule);
}

gint64
tl_link_copy_arrival (TlLink *link,
                      int     dir,
                      gint64  now_us)
{
  gint64 arrival = MAX (now_us + link->dir[dir].delay_us, link->last_arrival_us[dir]);

  link->last_arrival_us[dir] = arrival;
  return arrival;
}

/* What the `lose` and `duplicate` rules of now_us do to a segment. */
static void
wire_rules (GArray   *rules,
            guint8    flags,
            gint64    now_us,
            gboolean *lose,
            gboolean *duplicate)
{
  *lose = *duplicate = FALSE;
  for (guint i = 0; i < rules->len; i++)
    {
      const TlWireRule *rule = &g_array_index (rules, TlWireRule, i);

      if (rule->time_us == now_us && tl_link_flags_match (rule->flags, rule->any, flags))
        {
          *lose |= rule->lose;
          *duplicate |= !rule->lose;
        }
    }
}

/* The extra delay of the first `hold next` rule that takes this segment. */
static gint64
take_hold (GArray *holds,
           guint8  flags)
{
  for (guint i = 0; i < holds->len; i++)
    {
      const TlDropRule *rule = &g_array_index (holds, TlDropRule, i);

      if (tl_link_flags_match (rule->flags, rule->any, flags))
        {
          gint64 extra = rule->hold_us;

          g_array_remove_index (holds, i);
          return extra;
        }
    }
  return 0;
}

static gboolean
take_drop (GArray *drops,
           guint8  flags)
{
  for (guint i = 0; i < drops->len; i++)
    {
      TlDropRule *rule = &g_array_index (drops, TlDropRule, i);

      if (tl_link_flags_match (rule->flags, rule->any, flags))
        {
          if (--rule->remaining == 0)
            g_array_remove_index (drops, i);
          return TRUE;
        }
    }
  return FALSE;
}

void
tl_link_send (TlLink        *link,
              TlRng         *rng,
              int            dir,
              guint8         flags,
              gint64         now_us,
              TlLinkVerdict *verdict)
{
  const TlLinkDir *d = &link->dir[dir];
  gint64 delay = d->delay_us;
  gint64 arrival;
  gboolean lose, duplicate;

  verdict->duplicated = FALSE;

  if (d->down)
    {
      verdict->fate = TL_FATE_LOST_LINK_DOWN;
      verdict->delay_us = 0;          /* it never leaves the sender's side */
      return;
    }
  wire_rules (link->wire[dir], flags, now_us, &lose, &duplicate);
  if (lose)
    {
      verdict->fate = TL_FATE_LOST_SCRIPTED;
      verdict->delay_us = 0;          /* lost the moment it entered the wire */
      return;
    }
  if (link->drops[dir]->len > 0 && take_drop (link->drops[dir], flags))
    {
      verdict->fate = TL_FATE_LOST_SCRIPTED;
      verdict->delay_us = delay / 2;  /* drawn as lost half-way */
      return;
    }
  if (tl_rng_chance_ppm (rng, d->loss_ppm))
    {
      verdict->fate = TL_FATE_LOST_RANDOM;
      verdict->delay_us = delay / 2;
      return;
    }

  if (d->jitter_us > 0)
    delay += (gint64) tl_rng_below (rng, 2 * (guint64) d->jitter_us + 1) - d->jitter_us;
  delay = MAX (delay, 0);
  if (link->holds[dir]->len > 0)
    delay += take_hold (link->holds[dir], flags);
  /* A segment keeps the delay it was given when it entered the wire, as on
   * a real path (and the lab's link): a shorter delay later, a jitter draw
   * or a `hold` lets one segment overtake another. */
  arrival = now_us + delay;
  link->last_arrival_us[dir] = MAX (link->last_arrival_us[dir], arrival);

  verdict->fate = TL_FATE_DELIVERED;
  verdict->delay_us = arrival - now_us;
  /* the random draw first, whatever the rules say: the generator is drawn
   * in a fixed order */
  verdict->duplicated = tl_rng_chance_ppm (rng, d->duplicate_ppm);
  if (link->dups[dir]->len > 0 && take_drop (link->dups[dir], flags))
    verdict->duplicated = TRUE;
  verdict->duplicated |= duplicate;
}
