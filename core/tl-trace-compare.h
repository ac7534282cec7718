/* tl-trace-compare.h: when two records tell the same event, and what
 * caused a state change.
 *
 * A what-if (an intervention at the playhead, DESIGN.md Architecture point
 * 3) is simulated again from zero; being deterministic, its trace tells the
 * lesson's story as written up to a point, then another
 * (tl_trace_first_difference, tl-trace-diff.h, finds that point with
 * tl_trace_records_same).  Within one trace, these functions find the
 * segment or call that made a connection change state, which the trace
 * records by order: a segment's arrival, a call or a timer's expiry is
 * written at its instant just before the state changes it makes (or, for a
 * call that first closes a TIME_WAIT to reuse its port, just after).
 */
#pragma once

#include <glib.h>

#include "tl-trace.h"

G_BEGIN_DECLS

/* TRUE when two records tell the same event: kind, time, host, connection
 * and content.  Not compared: the statement that caused them (indices move
 * when a statement is inserted) and a segment's id (the count of segments
 * sent before it); texts by their content. */
gboolean tl_trace_records_same      (const TlTrace  *a,
                                     const TlRecord *ra,
                                     const TlTrace  *b,
                                     const TlRecord *rb);
/* The record that caused the TL_REC_STATE record at index: the segment's
 * TL_REC_ARRIVE, the TL_REC_APP call, the TL_REC_TIMER that fired or the
 * TL_REC_HOST crash its u.state.cause names; G_MAXUINT when the trace holds
 * none (an imported capture's inferred states, a request dropped from a
 * full queue). */
guint    tl_trace_state_cause       (const TlTrace  *trace,
                                     guint           index);
/* The TL_REC_STATE records a TL_REC_SEGMENT record caused on arrival,
 * appended to states (a GArray of guint), in order; none for a segment
 * lost, discarded or still on the wire at the end. */
void     tl_trace_segment_effects   (const TlTrace  *trace,
                                     guint           index,
                                     GArray         *states);

G_END_DECLS
