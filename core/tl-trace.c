/* tl-trace.c: the trace's storage and its plain read/write API.
 *
 * Records live in one GArray (amortized O(1) append, no allocation per
 * record); the fields a segment's records share in another, by segment id;
 * connections in a third; narration texts in a table of (locale,
 * text).  tl_trace_seal() freezes the trace and builds the indexes of
 * tl-trace-index.c.
 */
#include "tl-trace-private.h"

#include <arpa/inet.h>
#include <string.h>

/* 48 bytes until the segment's shared fields moved to the segment table:
 * 100,000 connections' 4.3 million records went from 206 MB to 138 MB. */
G_STATIC_ASSERT (sizeof (TlRecord) == 32);
G_STATIC_ASSERT (sizeof (TlTraceSegment) == 12);
G_STATIC_ASSERT (sizeof (TlTraceConn) == 48);

static const TlTraceSegment no_segment;

static void
clear_text (gpointer data)
{
  TlTraceText *text = data;

  g_free (text->locale);
  g_free (text->text);
}

TlTrace *
tl_trace_new (const char * const host_names[2],
              const guint32      host_addrs[2])
{
  TlTrace *trace;

  g_return_val_if_fail (host_names != NULL, NULL);
  g_return_val_if_fail (host_addrs != NULL, NULL);

  trace = g_new0 (TlTrace, 1);
  for (guint h = 0; h < 2; h++)
    {
      trace->host_names[h] = g_strdup (host_names[h] != NULL ? host_names[h] : "");
      trace->host_addrs[h] = host_addrs[h];
      trace->host_conns[h] = g_array_new (FALSE, FALSE, sizeof (guint32));
      trace->host_conns_ordered[h] = TRUE;
    }
  trace->records = g_array_new (FALSE, TRUE, sizeof (TlRecord));
  trace->segments = g_array_new (FALSE, TRUE, sizeof (TlTraceSegment));
  trace->conns = g_array_new (FALSE, TRUE, sizeof (TlTraceConn));
  trace->texts = g_array_new (FALSE, TRUE, sizeof (TlTraceText));
  g_array_set_clear_func (trace->texts, clear_text);
  return trace;
}

typedef struct
{
  guint8 bytes[16];
} Addr6;

static guint
addr6_hash (gconstpointer key)
{
  const guint8 *b = key;
  guint h = 5381;

  for (guint i = 0; i < 16; i++)
    h = h * 33 + b[i];
  return h;
}

static gboolean
addr6_equal (gconstpointer a,
             gconstpointer b)
{
  return memcmp (a, b, 16) == 0;
}

guint32
tl_trace_add_addr6 (TlTrace      *trace,
                    const guint8 *addr)
{
  gpointer id;
  Addr6 *copy;

  g_return_val_if_fail (trace != NULL && trace->addrs6 != NULL && addr != NULL, 0);
  g_return_val_if_fail (!trace->sealed, 0);

  if (g_hash_table_lookup_extended (trace->addr6_ids, addr, NULL, &id))
    return GPOINTER_TO_UINT (id);
  copy = g_new (Addr6, 1);
  memcpy (copy->bytes, addr, 16);
  g_array_append_val (trace->addrs6, *copy);
  g_hash_table_insert (trace->addr6_ids, copy, GUINT_TO_POINTER (trace->addrs6->len));
  return trace->addrs6->len;
}

TlTrace *
tl_trace_new_v6 (const char * const host_names[2],
                 const guint8       host_addrs[2][16])
{
  const guint32 ids[2] = { 1, 2 };
  TlTrace *trace;

  g_return_val_if_fail (host_addrs != NULL, NULL);

  trace = tl_trace_new (host_names, ids);
  trace->addrs6 = g_array_new (FALSE, FALSE, sizeof (Addr6));
  trace->addr6_ids = g_hash_table_new_full (addr6_hash, addr6_equal, g_free, NULL);
  /* two hosts with one address still get their numbers 1 and 2 */
  for (guint h = 0; h < 2; h++)
    {
      Addr6 a;

      memcpy (a.bytes, host_addrs[h], 16);
      g_array_append_val (trace->addrs6, a);
      if (!g_hash_table_contains (trace->addr6_ids, host_addrs[h]))
        g_hash_table_insert (trace->addr6_ids, g_memdup2 (host_addrs[h], 16),
                             GUINT_TO_POINTER (h + 1));
    }
  return trace;
}

gboolean
tl_trace_is_v6 (const TlTrace *trace)
{
  g_return_val_if_fail (trace != NULL, FALSE);

  return trace->addrs6 != NULL;
}

const guint8 *
tl_trace_addr6 (const TlTrace *trace,
                guint32        addr)
{
  g_return_val_if_fail (trace != NULL, NULL);

  if (trace->addrs6 == NULL || addr == 0 || addr > trace->addrs6->len)
    return NULL;
  return g_array_index (trace->addrs6, Addr6, addr - 1).bytes;
}

void
tl_trace_format_addr (const TlTrace *trace,
                      guint32        addr,
                      char           buf[TL_ADDR_STRLEN])
{
  g_return_if_fail (trace != NULL && buf != NULL);

  if (trace->addrs6 == NULL)
    g_snprintf (buf, TL_ADDR_STRLEN, "%u.%u.%u.%u", addr >> 24, (addr >> 16) & 0xff,
                (addr >> 8) & 0xff, addr & 0xff);
  else if (tl_trace_addr6 (trace, addr) == NULL
           || inet_ntop (AF_INET6, tl_trace_addr6 (trace, addr), buf, TL_ADDR_STRLEN) == NULL)
    g_strlcpy (buf, "?", TL_ADDR_STRLEN);
}

void
tl_trace_free (TlTrace *trace)
{
  if (trace == NULL)
    return;

  tl_trace_index_free (trace->index);
  if (trace->addrs6 != NULL)
    g_array_unref (trace->addrs6);
  if (trace->addr6_ids != NULL)
    g_hash_table_unref (trace->addr6_ids);
  for (guint h = 0; h < 2; h++)
    {
      g_free (trace->host_names[h]);
      g_array_unref (trace->host_conns[h]);
    }
  g_array_unref (trace->records);
  g_array_unref (trace->segments);
  g_array_unref (trace->conns);
  g_array_unref (trace->texts);
  g_clear_pointer (&trace->tsecr, g_array_unref);
  g_clear_pointer (&trace->peers, g_array_unref);
  g_clear_pointer (&trace->sacks, g_array_unref);
  g_clear_pointer (&trace->loose_opts, g_array_unref);
  g_free (trace);
}

guint32
tl_trace_add_conn (TlTrace           *trace,
                   const TlTraceConn *conn)
{
  guint32 index;

  g_return_val_if_fail (trace != NULL, TL_NO_CONN);
  g_return_val_if_fail (conn != NULL, TL_NO_CONN);
  g_return_val_if_fail (!trace->sealed, TL_NO_CONN);
  g_return_val_if_fail (conn->host < 2, TL_NO_CONN);

  index = trace->conns->len;
  if (!conn->listener)
    {
      GArray *list = trace->host_conns[conn->host];

      if (conn->ordinal != list->len + 1
          || (list->len > 0
              && conn->created_us < g_array_index (trace->conns, TlTraceConn,
                                                   g_array_index (list, guint32, list->len - 1)).created_us))
        trace->host_conns_ordered[conn->host] = FALSE;
      g_array_append_val (list, index);
    }
  g_array_append_vals (trace->conns, conn, 1);
  return index;
}

TlTraceConn *
tl_trace_conn_mut (TlTrace *trace,
                   guint32  conn)
{
  g_return_val_if_fail (trace != NULL, NULL);
  g_return_val_if_fail (!trace->sealed, NULL);
  g_return_val_if_fail (conn < trace->conns->len, NULL);

  return &g_array_index (trace->conns, TlTraceConn, conn);
}

/* The pointer is valid until the next append. */
TlRecord *
tl_trace_record_mut (TlTrace *trace,
                     guint    index)
{
  g_return_val_if_fail (trace != NULL, NULL);
  g_return_val_if_fail (!trace->sealed, NULL);
  g_return_val_if_fail (index < trace->records->len, NULL);

  return &g_array_index (trace->records, TlRecord, index);
}

/* The pointer is valid until the next append. */
TlRecord *
tl_trace_append (TlTrace      *trace,
                 TlRecordKind  kind,
                 gint64        time_us)
{
  TlRecord *rec;
  guint n;

  g_return_val_if_fail (trace != NULL, NULL);
  g_return_val_if_fail (!trace->sealed, NULL);

  n = trace->records->len;
  g_return_val_if_fail (n == 0
                        || g_array_index (trace->records, TlRecord, n - 1).time_us <= time_us,
                        NULL);

  /* The array was made with clear_ = TRUE: the new record is zeroed. */
  g_array_set_size (trace->records, n + 1);
  rec = &g_array_index (trace->records, TlRecord, n);
  rec->time_us = time_us;
  rec->kind = kind;
  rec->conn = TL_NO_CONN;
  return rec;
}

void
tl_trace_reserve (TlTrace *trace,
                  guint    n_records,
                  guint    n_segments)
{
  g_return_if_fail (trace != NULL);
  g_return_if_fail (!trace->sealed);

  /* Only while empty: a new array of that capacity replaces the empty one
   * (GArray reserves only when made), and the pages stay untouched until
   * records are written. */
  if (trace->records->len == 0 && n_records > 0)
    {
      g_array_unref (trace->records);
      trace->records = g_array_sized_new (FALSE, TRUE, sizeof (TlRecord), n_records);
    }
  if (trace->segments->len == 0 && n_segments > 0)
    {
      g_array_unref (trace->segments);
      trace->segments = g_array_sized_new (FALSE, TRUE, sizeof (TlTraceSegment), n_segments);
      if (trace->peers == NULL)
        trace->peers = g_array_sized_new (FALSE, TRUE, sizeof (guint32), n_segments);
    }
}

TlTraceSegment *
tl_trace_segment_mut (TlTrace *trace,
                      guint32  id)
{
  g_return_val_if_fail (trace != NULL, NULL);
  g_return_val_if_fail (!trace->sealed, NULL);
  g_return_val_if_fail (id < G_MAXUINT32, NULL);

  /* The simulator numbers segments from 1 and a capture's import from 0, in
   * order: the table grows by one entry at a time (zeroed: clear_ TRUE). */
  if (id >= trace->segments->len)
    g_array_set_size (trace->segments, id + 1);
  return &g_array_index (trace->segments, TlTraceSegment, id);
}

guint32
tl_trace_add_text (TlTrace    *trace,
                   const char *locale,
                   const char *text)
{
  TlTraceText entry;

  g_return_val_if_fail (trace != NULL, TL_NO_TEXT);
  g_return_val_if_fail (text != NULL, TL_NO_TEXT);
  g_return_val_if_fail (!trace->sealed, TL_NO_TEXT);

  entry.locale = g_strdup (locale);
  entry.text = g_strdup (text);
  g_array_append_val (trace->texts, entry);
  trace->text_bytes += sizeof entry + strlen (text) + 1 + (locale != NULL ? strlen (locale) + 1 : 0);
  return trace->texts->len - 1;
}

void
tl_trace_seal (TlTrace *trace)
{
  g_return_if_fail (trace != NULL);
  g_return_if_fail (!trace->sealed);

  trace->sealed = TRUE;
  tl_trace_index_build (trace);
}

guint
tl_trace_n_records (const TlTrace *trace)
{
  g_return_val_if_fail (trace != NULL, 0);

  return trace->records->len;
}

const TlRecord *
tl_trace_record (const TlTrace *trace,
                 guint          index)
{
  g_return_val_if_fail (trace != NULL, NULL);
  g_return_val_if_fail (index < trace->records->len, NULL);

  return &g_array_index (trace->records, TlRecord, index);
}

const TlRecord *
tl_trace_cwnd_before (const TlTrace *trace,
                      guint          index)
{
  guint32 conn, rec;

  g_return_val_if_fail (trace != NULL && trace->sealed, NULL);
  g_return_val_if_fail (index < trace->records->len, NULL);

  conn = g_array_index (trace->records, TlRecord, index).conn;
  if (conn == TL_NO_CONN)
    return NULL;
  rec = tl_trace_index_cwnd_before (trace, conn, index + 1);
  return rec == G_MAXUINT32 ? NULL : &g_array_index (trace->records, TlRecord, rec);
}

guint
tl_trace_n_conns (const TlTrace *trace)
{
  g_return_val_if_fail (trace != NULL, 0);

  return trace->conns->len;
}

const TlTraceConn *
tl_trace_conn (const TlTrace *trace,
               guint32        conn)
{
  g_return_val_if_fail (trace != NULL, NULL);
  g_return_val_if_fail (conn < trace->conns->len, NULL);

  return &g_array_index (trace->conns, TlTraceConn, conn);
}

const TlTraceSegment *
tl_trace_segment (const TlTrace *trace,
                  guint32        id)
{
  g_return_val_if_fail (trace != NULL, &no_segment);

  if (id >= trace->segments->len)
    return &no_segment;
  return &g_array_index (trace->segments, TlTraceSegment, id);
}

const char *
tl_trace_host_name (const TlTrace *trace,
                    guint          host)
{
  g_return_val_if_fail (trace != NULL, NULL);
  g_return_val_if_fail (host < 2, NULL);

  return trace->host_names[host];
}

guint32
tl_trace_host_addr (const TlTrace *trace,
                    guint          host)
{
  g_return_val_if_fail (trace != NULL, 0);
  g_return_val_if_fail (host < 2, 0);

  return trace->host_addrs[host];
}

const char *
tl_trace_text (const TlTrace  *trace,
               guint32         text,
               const char    **locale)
{
  const TlTraceText *entry;

  g_return_val_if_fail (trace != NULL, NULL);

  if (text >= trace->texts->len)
    {
      if (locale != NULL)
        *locale = NULL;
      return NULL;
    }
  entry = &g_array_index (trace->texts, TlTraceText, text);
  if (locale != NULL)
    *locale = entry->locale;
  return entry->text;
}

gint64
tl_trace_end_time (const TlTrace *trace)
{
  guint n;

  g_return_val_if_fail (trace != NULL, 0);

  n = trace->records->len;
  return n == 0 ? 0 : g_array_index (trace->records, TlRecord, n - 1).time_us;
}

TlEndReason
tl_trace_end_reason (const TlTrace *trace,
                     gint          *stmt)
{
  const TlRecord *last;
  guint n;

  if (stmt != NULL)
    *stmt = -1;
  g_return_val_if_fail (trace != NULL, TL_END_NOTHING_LEFT);

  n = trace->records->len;
  last = n > 0 ? &g_array_index (trace->records, TlRecord, n - 1) : NULL;
  if (last == NULL || last->kind != TL_REC_END)
    return TL_END_NOTHING_LEFT;
  if (stmt != NULL)
    *stmt = (gint) last->u.end.stmt - 1;
  return last->u.end.reason;
}

guint64
tl_trace_memory_bytes (const TlTrace *trace)
{
  guint64 bytes;

  g_return_val_if_fail (trace != NULL, 0);

  /* an IPv6 trace's addresses: an entry, its key and the hash table's node */
  bytes = trace->addrs6 != NULL
          ? (guint64) trace->addrs6->len * (sizeof (Addr6) * 2 + 3 * sizeof (gpointer)) : 0;
  bytes += (guint64) trace->records->len * sizeof (TlRecord)
          + (guint64) trace->segments->len * sizeof (TlTraceSegment)
          + (guint64) trace->conns->len * (sizeof (TlTraceConn) + sizeof (guint32))
          + trace->text_bytes;
  if (trace->tsecr != NULL)
    bytes += (guint64) trace->tsecr->len * sizeof (guint32);
  if (trace->peers != NULL)
    bytes += (guint64) trace->peers->len * sizeof (guint32);
  if (trace->sacks != NULL)
    bytes += (guint64) trace->sacks->len * sizeof (TlTraceSack);
  if (trace->loose_opts != NULL)
    bytes += (guint64) trace->loose_opts->len * sizeof (TlTraceLooseOpts);
  return bytes;
}

guint
tl_trace_records_until (const TlTrace *trace,
                        gint64         time_us)
{
  const TlRecord *recs;
  guint lo = 0;
  guint hi;

  g_return_val_if_fail (trace != NULL, 0);

  /* The first record with time > time_us: records are ordered by time. */
  recs = (const TlRecord *) trace->records->data;
  hi = trace->records->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (recs[mid].time_us <= time_us)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* For a host whose connections are ordered (see host_conns_ordered): the
 * Nth is at N - 1, and the most recent at time_us is found by binary search
 * on creation times.  O(1) and O(log n): the simulator resolves a lesson's
 * name on each of its statements, thousands in a long lesson. */
static guint32
resolve_ordered (const TlTrace *trace,
                 const GArray  *list,
                 guint          ordinal,
                 gint64         time_us)
{
  const guint32 *conns = (const guint32 *) list->data;
  guint lo = 0;
  guint hi = list->len;

  if (ordinal != 0)
    {
      if (ordinal > list->len
          || g_array_index (trace->conns, TlTraceConn, conns[ordinal - 1]).created_us > time_us)
        return TL_NO_CONN;
      return conns[ordinal - 1];
    }
  /* the first created after time_us; the one before it is the answer */
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (trace->conns, TlTraceConn, conns[mid]).created_us <= time_us)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo == 0 ? TL_NO_CONN : conns[lo - 1];
}

guint32
tl_trace_resolve_conn (const TlTrace *trace,
                       guint          host,
                       guint          ordinal,
                       gint64         time_us)
{
  const GArray *list;
  guint32 best = TL_NO_CONN;

  g_return_val_if_fail (trace != NULL, TL_NO_CONN);
  g_return_val_if_fail (host < 2, TL_NO_CONN);

  list = trace->host_conns[host];
  if (trace->host_conns_ordered[host])
    return resolve_ordered (trace, list, ordinal, time_us);

  /* A trace made otherwise (by hand, in tests): a linear scan. */
  for (guint i = 0; i < list->len; i++)
    {
      guint32 index = g_array_index (list, guint32, i);
      const TlTraceConn *c = &g_array_index (trace->conns, TlTraceConn, index);
      const TlTraceConn *b;

      if (c->created_us > time_us)
        continue;
      if (ordinal != 0)
        {
          if (c->ordinal == ordinal)
            return index;
          continue;
        }
      if (best == TL_NO_CONN)
        {
          best = index;
          continue;
        }
      b = &g_array_index (trace->conns, TlTraceConn, best);
      if (c->created_us > b->created_us
          || (c->created_us == b->created_us && c->ordinal > b->ordinal))
        best = index;
    }
  return best;
}

/* Segment options.  The side tables are appended in id order (the simulator
 * numbers segments as it sends them), so a lookup is a binary search. */

/* Sets id's value in a table of guint32 by segment id (tsecr, peers), made
 * when a first value that is not 0 comes; an id beyond it reads as 0. */
static void
set_by_id (GArray  **table,
           guint32   id,
           guint32   value)
{
  if (value == 0 && (*table == NULL || id >= (*table)->len))
    return;
  if (*table == NULL)
    *table = g_array_new (FALSE, TRUE, sizeof (guint32));
  if ((*table)->len <= id)
    g_array_set_size (*table, id + 1);
  g_array_index (*table, guint32, id) = value;
}

guint32
tl_trace_segment_peer (const TlTrace *trace,
                       guint32        id)
{
  g_return_val_if_fail (trace != NULL, 0);

  if (trace->peers == NULL || id >= trace->peers->len)
    return 0;
  return g_array_index (trace->peers, guint32, id);
}

void
tl_trace_set_segment_peer (TlTrace *trace,
                           guint32  id,
                           guint32  addr)
{
  g_return_if_fail (trace != NULL);
  g_return_if_fail (!trace->sealed);
  g_return_if_fail (id < G_MAXUINT32);

  set_by_id (&trace->peers, id, addr);
}

void
tl_trace_set_tsecr (TlTrace *trace,
                    guint32  id,
                    guint32  tsecr)
{
  g_return_if_fail (trace != NULL);
  g_return_if_fail (!trace->sealed);

  if (tsecr == 0)
    return;
  set_by_id (&trace->tsecr, id, tsecr);
}

static gboolean
ids_ascend (const GArray *array,
            gsize         stride,
            guint32       id)
{
  return array->len == 0 || *(const guint32 *) (array->data + (array->len - 1) * stride) < id;
}

void
tl_trace_set_sack (TlTrace           *trace,
                   guint32            id,
                   guint              n_blocks,
                   const TlSackBlock *blocks)
{
  TlTraceSack sack = { id, MIN (n_blocks, TL_SACK_MAX), { { 0, 0 } } };

  g_return_if_fail (trace != NULL);
  g_return_if_fail (!trace->sealed);

  if (n_blocks == 0)
    return;
  if (trace->sacks == NULL)
    trace->sacks = g_array_new (FALSE, TRUE, sizeof (TlTraceSack));
  g_return_if_fail (ids_ascend (trace->sacks, sizeof (TlTraceSack), id));
  memcpy (sack.blocks, blocks, sack.n * sizeof (TlSackBlock));
  g_array_append_val (trace->sacks, sack);
}

void
tl_trace_set_loose_options (TlTrace *trace,
                            guint32  id,
                            guint8   bits,
                            guint8   wscale,
                            guint32  tsval,
                            guint32  tsecr)
{
  TlTraceLooseOpts o = { id, bits, wscale, tsval, tsecr };

  g_return_if_fail (trace != NULL);
  g_return_if_fail (!trace->sealed);

  if (bits == 0)
    return;
  if (trace->loose_opts == NULL)
    trace->loose_opts = g_array_new (FALSE, TRUE, sizeof (TlTraceLooseOpts));
  g_return_if_fail (ids_ascend (trace->loose_opts, sizeof (TlTraceLooseOpts), id));
  g_array_append_val (trace->loose_opts, o);
}

/* The entry of id in an array of entries that start with their id, or NULL. */
static gconstpointer
find_by_id (const GArray *array,
            gsize         stride,
            guint32       id)
{
  guint lo = 0;
  guint hi;

  if (array == NULL)
    return NULL;
  hi = array->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      guint32 at = *(const guint32 *) (array->data + mid * stride);

      if (at == id)
        return array->data + mid * stride;
      if (at < id)
        lo = mid + 1;
      else
        hi = mid;
    }
  return NULL;
}

/* A segment (sent or arrived) of a connection whose SYNs both carried the
 * window scale option has its window field scaled, but for the SYNs (RFC
 * 7323 section 2.2). */
static guint8
win_shift (const TlTrace  *trace,
           const TlRecord *r)
{
  const TlTraceConn *c;

  if (r->conn >= trace->conns->len || (r->u.seg.flags & TL_FLAG_SYN))
    return 0;
  c = &g_array_index (trace->conns, TlTraceConn, r->conn);
  return (c->opt_agreed & TL_OPT_WSCALE) ? c->wscale : 0;
}

gboolean
tl_trace_segment_options (const TlTrace    *trace,
                          const TlRecord   *r,
                          TlSegmentOptions *o)
{
  guint8 flags;
  guint32 id;
  const TlTraceSack *sack;

  g_return_val_if_fail (trace != NULL && r != NULL && o != NULL, FALSE);

  memset (o, 0, sizeof *o);
  if (r->kind != TL_REC_SEGMENT)
    return FALSE;
  flags = r->u.seg.flags;
  id = r->u.seg.id;
  o->mss = tl_trace_segment (trace, id)->mss;
  if (r->conn < trace->conns->len)
    {
      const TlTraceConn *c = &g_array_index (trace->conns, TlTraceConn, r->conn);

      if (flags & TL_FLAG_SYN)
        o->bits = (flags & TL_FLAG_ACK) ? c->opt_agreed : c->opt_offer;
      else
        o->bits = c->opt_agreed & TL_OPT_TS;
      if (o->bits & TL_OPT_TS)
        {
          /* a copy made later carries its original's TSval: only a copy
           * is a duplicate, or a segment `lose` took on the wire */
          gint64 sent_us = r->u.seg.fate == TL_FATE_DUPLICATE || r->u.seg.fate == TL_FATE_LOST_SCRIPTED
                           ? tl_trace_index_first_sent_us (trace, r) : r->time_us;

          o->tsval = c->ts_off + (guint32) (sent_us / TL_USEC_PER_MSEC);
          if (trace->tsecr != NULL && id < trace->tsecr->len)
            o->tsecr = g_array_index (trace->tsecr, guint32, id);
        }
      o->wscale = c->wscale;
      o->win_shift = win_shift (trace, r);
    }
  else
    {
      const TlTraceLooseOpts *l = find_by_id (trace->loose_opts, sizeof (TlTraceLooseOpts), id);

      if (l != NULL)
        {
          o->bits = l->bits;
          o->wscale = l->wscale;
          o->tsval = l->tsval;
          o->tsecr = l->tsecr;
        }
    }
  if (!(o->bits & TL_OPT_WSCALE))
    o->wscale = 0;
  sack = find_by_id (trace->sacks, sizeof (TlTraceSack), id);
  if (sack != NULL)
    {
      o->n_sack = sack->n;
      memcpy (o->sack, sack->blocks, sack->n * sizeof (TlSackBlock));
    }
  return TRUE;
}

guint32
tl_trace_segment_window (const TlTrace  *trace,
                         const TlRecord *r)
{
  g_return_val_if_fail (trace != NULL && r != NULL, 0);

  return (guint32) tl_trace_segment (trace, r->u.seg.id)->win << win_shift (trace, r);
}

void
tl_trace_options_write (const TlTrace *trace,
                        GString       *out)
{
  if (trace->tsecr != NULL)
    for (guint id = 0; id < trace->tsecr->len; id++)
      if (g_array_index (trace->tsecr, guint32, id) != 0)
        g_string_append_printf (out, "tsecr %u %u\n", id, g_array_index (trace->tsecr, guint32, id));
  if (trace->sacks != NULL)
    for (guint i = 0; i < trace->sacks->len; i++)
      {
        const TlTraceSack *k = &g_array_index (trace->sacks, TlTraceSack, i);

        g_string_append_printf (out, "sack %u %u", k->id, k->n);
        for (guint b = 0; b < k->n; b++)
          g_string_append_printf (out, " %u %u", k->blocks[b].start, k->blocks[b].end);
        g_string_append_c (out, '\n');
      }
  if (trace->loose_opts != NULL)
    for (guint i = 0; i < trace->loose_opts->len; i++)
      {
        const TlTraceLooseOpts *l = &g_array_index (trace->loose_opts, TlTraceLooseOpts, i);

        g_string_append_printf (out, "options %u %u %u %u %u\n", l->id, l->bits, l->wscale,
                                l->tsval, l->tsecr);
      }
}

gboolean
tl_trace_options_id_ascends (const TlTrace *trace,
                             const char    *keyword,
                             guint32        id)
{
  if (strcmp (keyword, "tsecr") == 0)
    return trace->tsecr == NULL || id >= trace->tsecr->len;
  if (strcmp (keyword, "sack") == 0)
    return trace->sacks == NULL || ids_ascend (trace->sacks, sizeof (TlTraceSack), id);
  if (strcmp (keyword, "options") == 0)
    return trace->loose_opts == NULL || ids_ascend (trace->loose_opts, sizeof (TlTraceLooseOpts), id);
  return TRUE;
}
