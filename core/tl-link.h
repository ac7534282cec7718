/* tl-link.h: the wire between the two hosts, one TlLinkDir per direction,
 * with the scripted rules of `drop next` and `duplicate next`.  It decides each segment's fate and
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
  gint64   hold_us;        /* `hold next`: the extra delay */
} TlDropRule;

/* A `lose` or `duplicate` of the current microsecond: it also takes the
 * segments sent later in that microsecond, which are on the wire at that
 * time too (the simulator takes those already on the wire). */
typedef struct
{
  guint8   flags;
  gboolean any;
  gboolean lose;           /* FALSE: duplicate */
  gint64   time_us;
} TlWireRule;

typedef struct
{
  TlLinkDir dir[2];
  gint64    last_arrival_us[2];   /* the latest arrival: a `duplicate` copy comes after it */
  GArray   *drops[2];             /* of TlDropRule, oldest first */
  GArray   *dups[2];              /* of TlDropRule: `duplicate next`, oldest first */
  GArray   *holds[2];             /* of TlDropRule: `hold next`, oldest first */
  GArray   *wire[2];              /* of TlWireRule, all of one time */
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
/* `drop next` (duplicate FALSE) or `duplicate next` (TRUE): the next count
 * segments entering dir with these flags are lost, or arrive twice. */
void tl_link_add_drop (TlLink   *link,
                       int       dir,
                       guint8    flags,
                       gboolean  any,
                       guint     count,
                       gboolean  duplicate);
/* `hold next`: the next segment in dir with these flags arrives hold_us
 * later than the link's delay would bring it. */
void tl_link_add_hold (TlLink  *link,
                       int      dir,
                       guint8   flags,
                       gboolean any,
                       gint64   hold_us);
/* A `lose` (lose TRUE) or `duplicate` at now_us, for the rest of now_us. */
void tl_link_add_wire_rule (TlLink   *link,
                            int       dir,
                            guint8    flags,
                            gboolean  any,
                            gboolean  lose,
                            gint64    now_us);
/* When a copy that `duplicate` makes at now_us of a segment on the wire in
 * dir arrives: one delay later, and never before a segment already sent in
 * dir (the copy enters the wire at now_us, after everything on it). */
gint64 tl_link_copy_arrival (TlLink *link,
                             int     dir,
                             gint64  now_us);
/* TRUE when a segment with seg_flags is one that flags/any name. */
static inline gboolean
tl_link_flags_match (guint8   flags,
                     gboolean any,
                     guint8   seg_flags)
{
  return any || flags == seg_flags;
}
/* The fate of a segment with these flags entering dir at now_us.  Checks in
 * the order of the format: link down, then a `lose` of this microsecond,
 * then drop rules (a segment lost to a down link or to `lose` uses up no
 * drop), then random loss; a `duplicate` of this microsecond, a `duplicate
 * next` (used up only by a segment that is delivered) or the link's random
 * duplication duplicates it.
 * A crashed receiver is the simulator's check, at arrival. */
void tl_link_send    (TlLink          *link,
                      TlRng           *rng,
                      int              dir,
                      guint8           flags,
                      gint64           now_us,
                      TlLinkVerdict   *verdict);

G_END_DECLS
