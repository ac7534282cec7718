/* tl-trace-private.h: the trace's insides, shared by the files of the trace
 * module (storage, index, writers). */
#pragma once

#include "tl-trace.h"

G_BEGIN_DECLS

typedef struct
{
  char *locale;   /* NULL: the untranslated text */
  char *text;
} TlTraceText;

typedef struct
{
  guint32     id;
  guint32     n;
  TlSackBlock blocks[TL_SACK_MAX];
} TlTraceSack;

typedef struct
{
  guint32 id;
  guint8  bits;
  guint8  wscale;
  guint32 tsval;
  guint32 tsecr;
} TlTraceLooseOpts;

typedef struct _TlTraceIndex TlTraceIndex;

struct _TlTrace
{
  char     *host_names[2];
  guint32   host_addrs[2];
  GArray     *addrs6;       /* of 16-byte IPv6 addresses, NULL in an IPv4 trace */
  GHashTable *addr6_ids;    /* an address's bytes (in addrs6) -> its number */
  GArray   *records;        /* of TlRecord, ordered by time */
  GArray   *segments;       /* of TlTraceSegment, by segment id */
  GArray   *conns;          /* of TlTraceConn */
  GArray   *host_conns[2];  /* of guint32: each host's connections (not listeners) */
  gboolean  host_conns_ordered[2];  /* ordinals 1, 2, 3... and creation times never
                                       decreasing along host_conns, as the simulator
                                       makes them: a lookup needs no scan */
  GArray   *texts;          /* of TlTraceText */
  guint64   text_bytes;     /* what the texts take */
  /* segment options the connections cannot tell (tl_trace_set_tsecr ...) */
  GArray   *tsecr;          /* of guint32, by segment id; NULL until a TSecr */
  GArray   *peers;          /* of guint32, by segment id; NULL until a segment has
                               a peer address (tl_trace_segment_peer) */
  GArray   *sacks;          /* of TlTraceSack, by id */
  GArray   *loose_opts;     /* of TlTraceLooseOpts, by id */
  gboolean  sealed;
  TlTraceIndex *index;      /* built by tl_trace_seal() */
};

/* tl-trace.c: the segment options' side tables as trace-file lines (tsecr,
 * sack, options), and whether id may come next in the table keyword names. */
void     tl_trace_options_write      (const TlTrace *trace,
                                      GString       *out);
gboolean tl_trace_options_id_ascends (const TlTrace *trace,
                                      const char    *keyword,
                                      guint32        id);

/* tl-trace-index.c */
void tl_trace_index_build (TlTrace      *trace);
void tl_trace_index_free  (TlTraceIndex *index);
/* The last TL_REC_CWND record of conn before record n, or G_MAXUINT32. */
guint32 tl_trace_index_cwnd_before (const TlTrace *trace,
                                    guint32        conn,
                                    guint          n);
/* When the segment of r (a TL_REC_SEGMENT record of trace) was first sent. */
gint64 tl_trace_index_first_sent_us (const TlTrace  *trace,
                                     const TlRecord *r);

G_END_DECLS
