/* tl-trace-diff.h: where two traces of the same lesson part ways.
 *
 * Made for the simulation beside the real kernel (tcplab-cli real --compare,
 * the window's "Real Linux"), it works on any two traces: the same lesson
 * under two profiles, or with and without a drop; and, exact, for a what-if
 * beside the lesson as written (tl_trace_first_difference).
 */
#pragma once

#include <glib.h>

#include "tl-trace.h"

G_BEGIN_DECLS

typedef enum
{
  TL_DIFF_CONN_MISSING,     /* a connection one run has and the other lacks */
  TL_DIFF_SEGMENT_MISSING,  /* a segment one run sends and the other does not */
  TL_DIFF_SEGMENT_TIME,     /* the same segment, sent more than the tolerance apart */
  TL_DIFF_SEGMENT_FATE,     /* the same segment, delivered in one run and lost in the other */
  TL_DIFF_STATE_MISSING,    /* a state change one run makes and the other does not */
  TL_DIFF_STATE_TIME,       /* the same state change, more than the tolerance apart */
  TL_DIFF_ERROR,            /* a different error reported to the application */
  TL_DIFF_FINAL_STATE,      /* the connection ends in a different state */
} TlDiffKind;

#define TL_N_DIFF_KINDS (TL_DIFF_FINAL_STATE + 1)

/* The tolerance on times: a record of b matches one of a when they are at
 * most max (min_us, (t - t_prev) >> slack_shift) apart, t - t_prev being the
 * time since the connection's previous record (the longer of the two runs'),
 * so a timer that waited long may fire a little later.  The defaults, 5 ms
 * and 1/8, are what the kernel promises: jiffies of 4 ms (CONFIG_HZ=250) plus
 * a real-time runner's scheduling, and the timer wheel, which batches a
 * timeout of t to as much as t/8 later (kernel/time/timer.c): TIME_WAIT's
 * 60 s may end 2 s late on a real kernel, and that is no difference. */
typedef struct
{
  gint64 min_us;
  guint  slack_shift;
} TlDiffOptions;

#define TL_DIFF_DEFAULT_MIN_US      G_GINT64_CONSTANT (5000)
#define TL_DIFF_DEFAULT_SLACK_SHIFT 3

typedef struct
{
  gint64     time_us;     /* where it shows: the earlier of the two records' times */
  TlDiffKind kind;
  guint32    conn_a;      /* the connection in each trace, TL_NO_CONN where it has none */
  guint32    conn_b;      /* (both TL_NO_CONN: segments that belong to no connection) */
  guint8     host;        /* the host of the connection, or the segment's sender */
  gint       record_a;    /* the record in each trace, -1 where that run lacks it */
  gint       record_b;
} TlDiff;

void    tl_diff_options_init (TlDiffOptions       *options);
/* The differences between a and b (sealed traces), ordered by time, then
 * connection: a GArray of TlDiff, empty when they agree.  Connections are
 * matched by host, addresses and ports, the nth such in one trace with the
 * nth in the other; those left over by host and ordinal (HOST#N).  Within a
 * pair, segments by flags, length, and seq/ack relative to iss and irs,
 * state changes by from and to (the first by its `to` alone: a listener's
 * child is born from LISTEN in the RFC, from CLOSED in the kernel), both in
 * order; errors in order.  Segments of no connection (a flood's) by flags,
 * length and port: their spoofed addresses are each run's own. */
GArray *tl_trace_diff        (const TlTrace       *a,
                              const TlTrace       *b,
                              const TlDiffOptions *options);
/* The same walk, exact (tolerance 0, every field of every record the same:
 * tl_trace_records_same), for a what-if and the lesson as written.  The
 * first place two traces tell different stories: *ia and *ib receive
 * the first records that differ (a trace's n_records where it ran out).
 * TL_REC_LINK records are passed over: they are a change to the link or a
 * scripted drop being armed, the change itself, not what it did.  FALSE
 * (and both set to the records' counts) when the stories are the same. */
gboolean tl_trace_first_difference  (const TlTrace  *a,
                                     const TlTrace  *b,
                                     guint          *ia,
                                     guint          *ib);

/* "segment_missing": the kind's name for programs (the views say it in words). */
const char *tl_diff_kind_name    (TlDiffKind           kind);

G_END_DECLS
