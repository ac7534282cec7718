/* tl-trace-collect.h: records made out of order, appended to a trace in
 * order.
 *
 * The simulator appends its records as they happen.  The import of a
 * capture (capture/tl-import.c) and the trace of a real run
 * (real/tl-real-build.c) find theirs otherwise: one connection end, or one
 * kind of kernel event, at a time.  Both collect them here, correct some
 * before the end (a state found inferred later), and append them all to the
 * trace at once, sorted by time; records of one time keep the order of
 * their key (the caller's: the capture's packet that caused them), then the
 * order they were added.
 */
#pragma once

#include <glib.h>

#include "tl-trace.h"

G_BEGIN_DECLS

typedef struct _TlTraceCollector TlTraceCollector;

TlTraceCollector *tl_trace_collector_new   (void);
void              tl_trace_collector_free  (TlTraceCollector  *collector);
/* A copy of record, with its tie key; its conn is the caller's number of
 * the connection (mapped at the flush), or TL_NO_CONN.  Returns its index. */
guint             tl_trace_collector_add   (TlTraceCollector  *collector,
                                            const TlRecord    *record,
                                            guint64            key);
/* The record added as index, to correct before the flush; valid until the
 * next add. */
TlRecord         *tl_trace_collector_get   (TlTraceCollector  *collector,
                                            guint              index);
guint             tl_trace_collector_len   (const TlTraceCollector *collector);
/* Appends every record to trace, sorted (time, key, order added), with
 * its conn mapped through conn_map (n_map entries; a conn past it, or
 * TL_NO_CONN, is kept as it is) when conn_map is not NULL, and its time
 * never before not_before nor the record before it (a clock gone wild).
 * Empties the collector.  Returns the last time appended (not_before if
 * none). */
gint64            tl_trace_collector_flush (TlTraceCollector  *collector,
                                            TlTrace           *trace,
                                            const guint32     *conn_map,
                                            guint              n_map,
                                            gint64             not_before);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlTraceCollector, tl_trace_collector_free)

G_END_DECLS
