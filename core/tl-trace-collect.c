/* tl-trace-collect.c: records made out of order, appended to a trace in
 * order (tl-trace-collect.h).  A sort of n records: O(n log n), once. */
#include "tl-trace-collect.h"

typedef struct
{
  TlRecord record;
  guint64  key;
  guint    order;
} Collected;

struct _TlTraceCollector
{
  GArray *records;   /* of Collected */
};

TlTraceCollector *
tl_trace_collector_new (void)
{
  TlTraceCollector *collector = g_new0 (TlTraceCollector, 1);

  collector->records = g_array_new (FALSE, FALSE, sizeof (Collected));
  return collector;
}

void
tl_trace_collector_free (TlTraceCollector *collector)
{
  if (collector == NULL)
    return;
  g_array_unref (collector->records);
  g_free (collector);
}

guint
tl_trace_collector_add (TlTraceCollector *collector,
                        const TlRecord   *record,
                        guint64           key)
{
  Collected c;

  g_return_val_if_fail (collector != NULL && record != NULL, 0);

  c.record = *record;
  c.key = key;
  c.order = collector->records->len;
  g_array_append_val (collector->records, c);
  return c.order;
}

TlRecord *
tl_trace_collector_get (TlTraceCollector *collector,
                        guint             index)
{
  g_return_val_if_fail (collector != NULL && index < collector->records->len, NULL);

  return &g_array_index (collector->records, Collected, index).record;
}

guint
tl_trace_collector_len (const TlTraceCollector *collector)
{
  g_return_val_if_fail (collector != NULL, 0);

  return collector->records->len;
}

static int
compare_collected (gconstpointer a,
                   gconstpointer b)
{
  const Collected *x = a, *y = b;

  if (x->record.time_us != y->record.time_us)
    return x->record.time_us < y->record.time_us ? -1 : 1;
  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  return (x->order > y->order) - (x->order < y->order);
}

gint64
tl_trace_collector_flush (TlTraceCollector *collector,
                          TlTrace          *trace,
                          const guint32    *conn_map,
                          guint             n_map,
                          gint64            not_before)
{
  gint64 last = not_before;

  g_return_val_if_fail (collector != NULL && trace != NULL, not_before);

  g_array_sort (collector->records, compare_collected);
  for (guint i = 0; i < collector->records->len; i++)
    {
      const TlRecord *src = &g_array_index (collector->records, Collected, i).record;
      gint64 t = MAX (src->time_us, last);
      TlRecord *r = tl_trace_append (trace, src->kind, t);

      *r = *src;
      r->time_us = t;
      if (conn_map != NULL && src->conn != TL_NO_CONN && src->conn < n_map)
        r->conn = conn_map[src->conn];
      last = t;
    }
  g_array_set_size (collector->records, 0);
  return last;
}
