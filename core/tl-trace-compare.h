/* tl-trace-compare.h: two traces side by side: where they part, and what
 * caused a state change.
 *
 * A what-if (an intervention at the playhead, DESIGN.md Architecture point
 * 3) is simulated again from zero; being deterministic, its trace tells the
 * lesson's story as written up to a point, then another.  These functions
 * find that point, record by record, and, within one trace, the segment or
 * call that made a connection change state, which the trace records by
 * order: a segment's arrival, a call or a timer's expiry is written at its
 * instant just before the state changes it makes (or, for a call that first
 * closes a TIME_WAIT to reuse its port, just after).
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
/* The first place two traces tell different stories: *ia and *ib receive
 * the first records that differ (a trace's n_records where it ran out).
 * TL_REC_LINK records are passed over: they are a change to the link or a
 * scripted drop being armed, the change itself, not what it did.  FALSE
 * (and both set to the records' counts) when the stories are the same. */
gboolean tl_trace_first_difference  (const TlTrace  *a,
                                     const TlTrace  *b,
                                     guint          *ia,
                                     guint          *ib);

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
