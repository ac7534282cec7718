/* tl-segment-popover.h: the fields of a segment picked in the ladder, and
 * what the user may do to it (drop it, duplicate it) at the playhead. */
#pragma once

#include <gtk/gtk.h>

#include "tl-session.h"

G_BEGIN_DECLS

#define TL_TYPE_SEGMENT_POPOVER (tl_segment_popover_get_type ())
G_DECLARE_FINAL_TYPE (TlSegmentPopover, tl_segment_popover, TL, SEGMENT_POPOVER, GtkPopover)

TlSegmentPopover *tl_segment_popover_new     (void);
/* Shows the TL_REC_SEGMENT record of the session's trace: its fields, and
 * the interventions that fit where it is at the playhead.  After one, the
 * popover pops down and emits "notice" with what was done, or why not. */
void              tl_segment_popover_show    (TlSegmentPopover *self,
                                              TlSession        *session,
                                              guint32           record);

G_END_DECLS
