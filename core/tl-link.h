/* tl-link.h: the wire between the two hosts, one TlLinkDir per direction,
 * with the scripted drops of `drop next`.  It decides each segment's fate and
 * its arrival time; it knows nothing of TCP. */
#pragma once

#include <glib.h>

#include "tl-rng.h"
#include "tl-scenario.h"
#include "tl-trace.h"

G_BEGIN_DECLS

typedef struct
{
  guint8   flags;
  gboolean any;
  guint    remaining;
} TlDropRule;

typedef struct
{
  TlLinkDir dir[2];
  gint64    last_arrival_us[2];   /* jitter never reorders a direction */
  GArray   *drops[2];             /* of TlDropRule, oldest first */
} TlLink;

/* What the link does with one segment. */
typedef struct
{
  TlFate   fate;           /* DELIVERED or one of the LOST_ fates */
  gint64   delay_us;       /* to the arrival, or to the point of loss */
  gboolean duplicated;     /* a second copy arrives at the same time, after the first */
} TlLinkVerdict;

void tl_link_init    (TlLink          *link,
                      const TlLinkDir  initial[2]);
void tl_link_clear   (TlLink          *link);
/* Applies one `link` parameter to dir (0, 1 or TL_DIR_BOTH). */
void tl_link_apply   (TlLink              *link,
                      int                  dir,
                      const TlLinkSetting *setting);
void tl_link_add_drop (TlLink *link,
                       int     dir,
                       guint8  flags,
                       gboolean any,
                       guint   count);
/* The fate of a segment with these flags entering dir at now_us.  Checks in
 * the order of the format: link down, then drop rules (a segment lost to a
 * down link uses up no drop), then random loss.  A crashed receiver is the
 * simulator's check, at arrival. */
void tl_link_send    (TlLink          *link,
                      TlRng           *rng,
                      int              dir,
                      guint8           flags,
                      gint64           now_us,
                      TlLinkVerdict   *verdict);

G_END_DECLS
