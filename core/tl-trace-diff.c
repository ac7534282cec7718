/* tl-trace-diff.c: where two traces of the same lesson part ways.
 *
 * First the connections are paired (by host and 4-tuple, the nth with the
 * nth; what is left by HOST#N), then each pair's records are lined up, the
 * segments and the state changes each as a sequence: two records are "the
 * same" when their keys are equal (a segment's flags, length and relative
 * numbers; a state change's from and to), and the alignment walks both
 * sequences, taking a record that has no partner nearby as one run's alone.
 * The walk is greedy, not a longest common subsequence: it looks ahead (at
 * most LOOKAHEAD records) for the nearer partner, which finds the same
 * answer on the sequences a lesson makes (a few segments inserted or taken
 * away) in O(n) when they agree and O(n * LOOKAHEAD) at worst, with no
 * memory beyond the sequences; a run of more than LOOKAHEAD records one
 * side lacks shows as records both lack (each reported, none lost).
 *
 * Segments that belong to no connection (a flood's spoofed SYNs, a RST to a
 * port with no socket) are lined up per sender, by flags, ports, length and
 * spoofed address: their sequence numbers are the kernel's to choose.
 *
 * The same walk, exact, finds where a what-if departs from the lesson as
 * written (tl_trace_first_difference): its tolerance 0, its sequences the
 * two whole traces (links passed over), two records the same only when
 * every field is (tl_trace_records_same), and it stops at the first that
 * is not.  Two runs of one lesson share their past record for record, so
 * the cost is the records up to the departure, with no memory.
 */
#include "tl-trace-diff.h"

#include "tl-trace-compare.h"

#define LOOKAHEAD 256

static const char *const kind_names[] = {
  [TL_DIFF_CONN_MISSING]    = "conn_missing",
  [TL_DIFF_SEGMENT_MISSING] = "segment_missing",
  [TL_DIFF_SEGMENT_TIME]    = "segment_time",
  [TL_DIFF_SEGMENT_FATE]    = "segment_fate",
  [TL_DIFF_STATE_MISSING]   = "state_missing",
  [TL_DIFF_STATE_TIME]      = "state_time",
  [TL_DIFF_ERROR]           = "error",
  [TL_DIFF_FINAL_STATE]     = "final_state",
};

G_STATIC_ASSERT (G_N_ELEMENTS (kind_names) == TL_N_DIFF_KINDS);

const char *
tl_diff_kind_name (TlDiffKind kind)
{
  g_return_val_if_fail ((guint) kind < TL_N_DIFF_KINDS, NULL);

  return kind_names[kind];
}

void
tl_diff_options_init (TlDiffOptions *options)
{
  g_return_if_fail (options != NULL);

  options->min_us = TL_DIFF_DEFAULT_MIN_US;
  options->slack_shift = TL_DIFF_DEFAULT_SLACK_SHIFT;
}

/* One record of a sequence to line up, with what makes it "the same". */
typedef struct
{
  guint   index;       /* in its trace */
  gint64  time_us;
  gint64  prev_us;     /* the connection's previous record (any kind), or 0 */
  guint64 key;
} Item;

/* A trace's records, by connection: sequences to line up. */
typedef struct
{
  GArray *segs;        /* of Item */
  GArray *states;
  GArray *errors;
} Conn;

typedef struct
{
  const TlTrace *trace;
  Conn          *conns;       /* [n_conns + 2]: the last two, no connection, per sender */
  guint          n;
} Buckets;

/* A sequence to line up: items of a trace (a connection's segments, state
 * changes or errors), or, with items NULL, every record of the trace but
 * its TL_REC_LINKs (the exact walk). */
typedef struct
{
  const TlTrace *trace;
  GArray        *items;       /* of Item, or NULL */
} Seq;

typedef struct
{
  const TlTrace       *a;
  const TlTrace       *b;
  const TlDiffOptions *options;
  gboolean             exact;     /* tl_trace_first_difference's walk */
  GArray              *out;       /* of TlDiff; the exact walk stops instead */
  guint                first[2];  /* where the exact walk stopped, in a and in b */
} Differ;

/* The item at position *k of s, or, in a whole trace, the first record at
 * or after *k that is no link (*k moved to it); FALSE past the end. */
static gboolean
seq_item (const Seq *s,
          guint     *k,
          Item      *item)
{
  guint n;

  if (s->items != NULL)
    {
      if (*k >= s->items->len)
        return FALSE;
      *item = g_array_index (s->items, Item, *k);
      return TRUE;
    }
  n = tl_trace_n_records (s->trace);
  while (*k < n && tl_trace_record (s->trace, *k)->kind == TL_REC_LINK)
    (*k)++;
  if (*k == n)
    return FALSE;
  *item = (Item) { *k, tl_trace_record (s->trace, *k)->time_us, 0, 0 };
  return TRUE;
}

/* Whether ia (of a) and ib (of b) tell one event: exact, every field of the
 * two records; else their keys (their times judged apart, in align). */
static gboolean
same_event (const Differ *d,
            const Item   *ia,
            const Item   *ib)
{
  if (d->exact)
    return tl_trace_records_same (d->a, tl_trace_record (d->a, ia->index),
                                  d->b, tl_trace_record (d->b, ib->index));
  return ia->key == ib->key;
}

static void
add_diff (Differ     *d,
          TlDiffKind  kind,
          guint32     conn_a,
          guint32     conn_b,
          guint8      host,
          gint64      time_us,
          gint        record_a,
          gint        record_b)
{
  TlDiff diff = { 0 };

  diff.kind = kind;
  diff.conn_a = conn_a;
  diff.conn_b = conn_b;
  diff.host = host;
  diff.time_us = time_us;
  diff.record_a = record_a;
  diff.record_b = record_b;
  g_array_append_val (d->out, diff);
}

/* A record one run has alone (ia or ib NULL), or a pair. */
static void
add_items (Differ     *d,
           TlDiffKind  kind,
           guint32     conn_a,
           guint32     conn_b,
           const Item *ia,
           const Item *ib)
{
  const TlRecord *r = ia != NULL ? tl_trace_record (d->a, ia->index)
                                 : tl_trace_record (d->b, ib->index);
  gint64 time_us;

  if (ia != NULL && ib != NULL)
    time_us = MIN (ia->time_us, ib->time_us);
  else
    time_us = ia != NULL ? ia->time_us : ib->time_us;
  add_diff (d, kind, conn_a, conn_b, r->host, time_us,
            ia != NULL ? (gint) ia->index : -1, ib != NULL ? (gint) ib->index : -1);
}

static gint64
tolerance_us (const Differ *d,
              const Item   *ia,
              const Item   *ib)
{
  gint64 waited = MAX (ia->time_us - ia->prev_us, ib->time_us - ib->prev_us);

  return MAX (d->options->min_us, waited >> d->options->slack_shift);
}

static guint64
segment_key (const TlTrace  *trace,
             const TlRecord *r)
{
  const TlTraceSegment *seg;
  guint32 rel_seq = 0, rel_ack = 0;
  guint64 key;

  key = ((guint64) r->host << 63) | ((guint64) (r->u.seg.flags & 31) << 56)
        | ((guint64) r->u.seg.len << 40);
  if (r->conn != TL_NO_CONN && tl_trace_relative_numbers (trace, r, &rel_seq, &rel_ack))
    {
      if (!(r->u.seg.flags & TL_FLAG_ACK))
        rel_ack = 0;
      /* 20 bits of each: a lesson moves far less than a megabyte. */
      return key | ((guint64) (rel_seq & 0xfffff) << 20) | (rel_ack & 0xfffff);
    }
  /* A flood's spoofed address and port are each run's own draw: such a
   * segment is known by its flags and length, and the port it is for. */
  seg = tl_trace_segment (trace, r->u.seg.id);
  if (tl_trace_segment_peer (trace, r->u.seg.id) != 0)
    return key | (G_GUINT64_CONSTANT (1) << 39)
           | (r->host == 0 ? seg->dst_port : seg->src_port);
  return key | ((guint64) seg->src_port << 16) | seg->dst_port;
}

static gboolean
is_lost (guint8 fate)
{
  return fate != TL_FATE_DELIVERED && fate != TL_FATE_DUPLICATE;
}

/* Lines up sa (records of a) and sb (of b); kinds for a lone record and for
 * a pair too far apart in time.  The exact walk stops at the first record
 * that differs, its place in d->first, and returns TRUE; else FALSE. */
static gboolean
align (Differ     *d,
       const Seq  *sa,
       const Seq  *sb,
       guint32     conn_a,
       guint32     conn_b,
       TlDiffKind  missing,
       TlDiffKind  late,
       gboolean    segments)
{
  guint i = 0, j = 0;

  for (;;)
    {
      Item xa, xb;
      gboolean has_a = seq_item (sa, &i, &xa);
      gboolean has_b = seq_item (sb, &j, &xb);
      guint ii, jj, end_i, end_j;

      if (!has_a && !has_b)
        return FALSE;
      if (d->exact)
        {
          if (has_a && has_b && same_event (d, &xa, &xb))
            {
              i++;
              j++;
              continue;
            }
          d->first[0] = i;
          d->first[1] = j;
          return TRUE;
        }
      if (!has_a || !has_b)
        {
          add_items (d, missing, conn_a, conn_b, has_a ? &xa : NULL, has_b ? &xb : NULL);
          if (has_a)
            i++;
          else
            j++;
          continue;
        }
      if (!same_event (d, &xa, &xb))
        {
          /* The nearer partner: xb's in sa, or xa's in sb. */
          end_i = MIN (sa->items->len, i + LOOKAHEAD);
          end_j = MIN (sb->items->len, j + LOOKAHEAD);
          for (ii = i + 1; ii < end_i && !same_event (d, &g_array_index (sa->items, Item, ii), &xb);
               ii++)
            ;
          for (jj = j + 1; jj < end_j && !same_event (d, &xa, &g_array_index (sb->items, Item, jj));
               jj++)
            ;
          if (ii == end_i && jj == end_j)
            {
              add_items (d, missing, conn_a, conn_b, &xa, NULL);
              add_items (d, missing, conn_a, conn_b, NULL, &xb);
              i++;
              j++;
            }
          else if (jj < end_j && (ii == end_i || jj - j <= ii - i))
            add_items (d, missing, conn_a, conn_b, NULL, &g_array_index (sb->items, Item, j++));
          else
            add_items (d, missing, conn_a, conn_b, &g_array_index (sa->items, Item, i++), NULL);
          continue;
        }

      if (ABS (xa.time_us - xb.time_us) > tolerance_us (d, &xa, &xb))
        add_items (d, late, conn_a, conn_b, &xa, &xb);
      else if (segments
               && is_lost (tl_trace_record (d->a, xa.index)->u.seg.fate)
                  != is_lost (tl_trace_record (d->b, xb.index)->u.seg.fate))
        add_items (d, TL_DIFF_SEGMENT_FATE, conn_a, conn_b, &xa, &xb);
      i++;
      j++;
    }
}

/* One pass over the trace: each connection's segments, state changes and
 * errors, each record with the time of its connection's record before it. */
static void
buckets_init (Buckets       *bk,
              const TlTrace *trace)
{
  guint n = tl_trace_n_records (trace);
  g_autofree gint64 *prev_us = NULL;

  bk->trace = trace;
  bk->n = tl_trace_n_conns (trace) + 2;
  bk->conns = g_new0 (Conn, bk->n);
  prev_us = g_new0 (gint64, bk->n);
  for (guint c = 0; c < bk->n; c++)
    {
      bk->conns[c].segs = g_array_new (FALSE, FALSE, sizeof (Item));
      bk->conns[c].states = g_array_new (FALSE, FALSE, sizeof (Item));
      bk->conns[c].errors = g_array_new (FALSE, FALSE, sizeof (Item));
      if (c < bk->n - 2)
        prev_us[c] = tl_trace_conn (trace, c)->created_us;
    }
  for (guint i = 0; i < n; i++)
    {
      const TlRecord *r = tl_trace_record (trace, i);
      guint c = r->conn != TL_NO_CONN ? r->conn : bk->n - 2 + r->host;
      Item item = { i, r->time_us, prev_us[c], 0 };

      switch ((TlRecordKind) r->kind)
        {
        case TL_REC_SEGMENT:
          if (r->u.seg.fate == TL_FATE_DUPLICATE)
            continue;
          item.key = segment_key (trace, r);
          g_array_append_val (bk->conns[c].segs, item);
          break;
        case TL_REC_STATE:
          /* A connection's first change says where it was born: a
           * listener's child comes from LISTEN in the RFC's diagram, from
           * CLOSED in the kernel's tracepoint (a request socket is new). */
          item.key = bk->conns[c].states->len == 0
                     ? (G_GUINT64_CONSTANT (1) << 16) | r->u.state.to
                     : ((guint64) r->u.state.from << 8) | r->u.state.to;
          g_array_append_val (bk->conns[c].states, item);
          break;
        case TL_REC_APP:
          if (r->u.app.error == TL_ERR_NONE)
            continue;
          item.key = r->u.app.error;
          g_array_append_val (bk->conns[c].errors, item);
          break;
        case TL_REC_ARRIVE:
        case TL_REC_TIMER:
        case TL_REC_LINK:
        case TL_REC_HOST:
        case TL_REC_QUEUES:
        case TL_REC_CWND:
        case TL_REC_SAY:
        case TL_REC_PAUSE:
        case TL_REC_END:
          continue;
        }
      prev_us[c] = r->time_us;
    }
}

static void
buckets_clear (Buckets *bk)
{
  for (guint c = 0; c < bk->n; c++)
    {
      g_array_unref (bk->conns[c].segs);
      g_array_unref (bk->conns[c].states);
      g_array_unref (bk->conns[c].errors);
    }
  g_free (bk->conns);
}

/* The state conn ends in, and the last STATE record that took it there (or -1). */
static gint
final_record (const TlTrace *trace,
              const Conn    *c,
              guint32        conn,
              TlState       *state)
{
  *state = tl_trace_conn_state_at (trace, conn, tl_trace_end_time (trace));
  return c->states->len > 0 ? (gint) g_array_index (c->states, Item, c->states->len - 1).index : -1;
}

static void
diff_pair (Differ  *d,
           Buckets *ba,
           Buckets *bb,
           guint32  conn_a,
           guint32  conn_b)
{
  const Conn *ca = &ba->conns[conn_a], *cb = &bb->conns[conn_b];
  guint8 host = tl_trace_conn (d->a, conn_a)->host;
  TlState final_a, final_b;
  gint ra, rb;

  align (d, &(Seq) { d->a, ca->segs }, &(Seq) { d->b, cb->segs }, conn_a, conn_b,
         TL_DIFF_SEGMENT_MISSING, TL_DIFF_SEGMENT_TIME, TRUE);
  align (d, &(Seq) { d->a, ca->states }, &(Seq) { d->b, cb->states }, conn_a, conn_b,
         TL_DIFF_STATE_MISSING, TL_DIFF_STATE_TIME, FALSE);

  /* Errors in order, whenever they come: a different one, or one more. */
  for (guint i = 0; i < MAX (ca->errors->len, cb->errors->len); i++)
    {
      const Item *ia = i < ca->errors->len ? &g_array_index (ca->errors, Item, i) : NULL;
      const Item *ib = i < cb->errors->len ? &g_array_index (cb->errors, Item, i) : NULL;

      if (ia == NULL || ib == NULL || ia->key != ib->key)
        add_items (d, TL_DIFF_ERROR, conn_a, conn_b, ia, ib);
    }

  ra = final_record (d->a, ca, conn_a, &final_a);
  rb = final_record (d->b, cb, conn_b, &final_b);
  if (final_a != final_b)
    add_diff (d, TL_DIFF_FINAL_STATE, conn_a, conn_b, host,
              MIN (tl_trace_end_time (d->a), tl_trace_end_time (d->b)), ra, rb);
}

/* What pairs connections: host, kind, addresses and ports. */
static char *
tuple_key (const TlTraceConn *c)
{
  return g_strdup_printf ("%u %d %u:%u %u:%u", c->host, c->listener ? 1 : 0,
                          c->local_addr, c->local_port, c->remote_addr, c->remote_port);
}

/* pair[i]: the connection of b paired with connection i of a, or TL_NO_CONN. */
static guint32 *
pair_conns (const TlTrace *a,
            const TlTrace *b,
            gboolean     **taken_b)
{
  guint na = tl_trace_n_conns (a), nb = tl_trace_n_conns (b);
  guint32 *pair = g_new (guint32, MAX (na, 1));
  gboolean *taken = g_new0 (gboolean, MAX (nb, 1));
  g_autoptr (GHashTable) by_tuple = NULL;
  g_autoptr (GHashTable) by_ordinal = NULL;

  /* By 4-tuple, in order: the nth of a tuple in a with the nth in b (each
   * table holds a queue of b's connections in creation order). */
  by_tuple = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                    (GDestroyNotify) g_queue_free);
  for (guint j = 0; j < nb; j++)
    {
      char *key = tuple_key (tl_trace_conn (b, j));
      GQueue *q = g_hash_table_lookup (by_tuple, key);

      if (q == NULL)
        g_hash_table_insert (by_tuple, key, (q = g_queue_new ()));
      else
        g_free (key);
      g_queue_push_tail (q, GUINT_TO_POINTER (j));
    }
  for (guint i = 0; i < na; i++)
    {
      g_autofree char *key = tuple_key (tl_trace_conn (a, i));
      GQueue *q = g_hash_table_lookup (by_tuple, key);

      pair[i] = TL_NO_CONN;
      if (q != NULL && !g_queue_is_empty (q))
        {
          pair[i] = GPOINTER_TO_UINT (g_queue_pop_head (q));
          taken[pair[i]] = TRUE;
        }
    }

  /* The rest by HOST#N: an ephemeral port each run chose for itself. */
  by_ordinal = g_hash_table_new (g_direct_hash, g_direct_equal);
  for (guint j = 0; j < nb; j++)
    {
      const TlTraceConn *cb = tl_trace_conn (b, j);

      if (!taken[j] && !cb->listener && cb->ordinal < (1u << 30))
        g_hash_table_insert (by_ordinal, GUINT_TO_POINTER ((cb->ordinal << 1) | cb->host),
                             GUINT_TO_POINTER (j + 1));
    }
  for (guint i = 0; i < na; i++)
    {
      const TlTraceConn *ca = tl_trace_conn (a, i);
      guint j;

      if (pair[i] != TL_NO_CONN || ca->listener || ca->ordinal >= (1u << 30))
        continue;
      j = GPOINTER_TO_UINT (g_hash_table_lookup (by_ordinal,
                                                 GUINT_TO_POINTER ((ca->ordinal << 1) | ca->host)));
      if (j > 0 && !taken[j - 1])
        {
          pair[i] = j - 1;
          taken[j - 1] = TRUE;
        }
    }
  *taken_b = taken;
  return pair;
}

static gint
compare_diffs (gconstpointer x,
               gconstpointer y)
{
  const TlDiff *p = x, *q = y;

  if (p->time_us != q->time_us)
    return p->time_us < q->time_us ? -1 : 1;
  if (p->conn_a != q->conn_a)
    return p->conn_a < q->conn_a ? -1 : 1;
  if (p->conn_b != q->conn_b)
    return p->conn_b < q->conn_b ? -1 : 1;
  if (p->record_a != q->record_a)
    return p->record_a < q->record_a ? -1 : 1;
  if (p->record_b != q->record_b)
    return p->record_b < q->record_b ? -1 : 1;
  return (gint) p->kind - (gint) q->kind;
}

GArray *
tl_trace_diff (const TlTrace       *a,
               const TlTrace       *b,
               const TlDiffOptions *options)
{
  TlDiffOptions defaults;
  Differ d;
  Buckets ba, bb;
  g_autofree guint32 *pair = NULL;
  g_autofree gboolean *taken_b = NULL;

  g_return_val_if_fail (a != NULL && b != NULL, NULL);

  if (options == NULL)
    {
      tl_diff_options_init (&defaults);
      options = &defaults;
    }
  d.a = a;
  d.b = b;
  d.options = options;
  d.exact = FALSE;
  d.out = g_array_new (FALSE, FALSE, sizeof (TlDiff));
  buckets_init (&ba, a);
  buckets_init (&bb, b);

  pair = pair_conns (a, b, &taken_b);
  for (guint i = 0; i < tl_trace_n_conns (a); i++)
    if (pair[i] != TL_NO_CONN)
      diff_pair (&d, &ba, &bb, i, pair[i]);
    else
      add_diff (&d, TL_DIFF_CONN_MISSING, i, TL_NO_CONN, tl_trace_conn (a, i)->host,
                tl_trace_conn (a, i)->created_us, -1, -1);
  for (guint j = 0; j < tl_trace_n_conns (b); j++)
    if (!taken_b[j])
      add_diff (&d, TL_DIFF_CONN_MISSING, TL_NO_CONN, j, tl_trace_conn (b, j)->host,
                tl_trace_conn (b, j)->created_us, -1, -1);

  /* The segments of no connection, per sender. */
  for (guint h = 0; h < 2; h++)
    align (&d, &(Seq) { a, ba.conns[ba.n - 2 + h].segs }, &(Seq) { b, bb.conns[bb.n - 2 + h].segs },
           TL_NO_CONN, TL_NO_CONN, TL_DIFF_SEGMENT_MISSING, TL_DIFF_SEGMENT_TIME, TRUE);

  buckets_clear (&ba);
  buckets_clear (&bb);
  g_array_sort (d.out, compare_diffs);
  return d.out;
}

gboolean
tl_trace_first_difference (const TlTrace *a,
                           const TlTrace *b,
                           guint         *ia,
                           guint         *ib)
{
  Differ d = { a, b, NULL, TRUE, NULL, { 0, 0 } };

  g_return_val_if_fail (a != NULL && b != NULL && ia != NULL && ib != NULL, FALSE);

  if (!align (&d, &(Seq) { a, NULL }, &(Seq) { b, NULL }, TL_NO_CONN, TL_NO_CONN,
              TL_DIFF_SEGMENT_MISSING, TL_DIFF_SEGMENT_TIME, FALSE))
    {
      d.first[0] = tl_trace_n_records (a);
      d.first[1] = tl_trace_n_records (b);
    }
  *ia = d.first[0];
  *ib = d.first[1];
  return d.first[0] < tl_trace_n_records (a) || d.first[1] < tl_trace_n_records (b);
}
