/* tl-diagnose.c: per-state counts of a socket table and its findings.
 *
 * Each finding is a count of sockets in one state at one service, over a
 * threshold (tl-diagnose.h says why each threshold is what it is), with the
 * numbers that back it.  The table is walked a few times: once to count,
 * once per state to group, and once per finding for its evidence; that is
 * O(sockets) each, about a millisecond for 10,000 sockets, so the window can
 * diagnose its live table every second.
 */
#include "tl-diagnose.h"

#include <string.h>

typedef struct
{
  const char *name;
  const char *lesson;
  TlState     state;
} FindingInfo;

static const FindingInfo finding_info[TL_N_FINDINGS] = {
  [TL_FINDING_SYN_FLOOD]         = { "syn-flood", "syn-flood.lesson", TL_STATE_SYN_RCVD },
  [TL_FINDING_ACCEPT_QUEUE_FULL] = { "accept-queue-full", "accept-queue-full.lesson", TL_STATE_LISTEN },
  [TL_FINDING_CLOSE_WAIT_LEAK]   = { "close-wait-leak", "close-wait-leak.lesson", TL_STATE_CLOSE_WAIT },
  [TL_FINDING_TIME_WAIT_PILEUP]  = { "time-wait-pileup", "time-wait-pileup.lesson", TL_STATE_TIME_WAIT },
  [TL_FINDING_SYN_SENT_STUCK]    = { "syn-sent-stuck", "connect-timeout.lesson", TL_STATE_SYN_SENT },
  [TL_FINDING_FIN_WAIT_2_STUCK]  = { "fin-wait-2-stuck", "orphan-fin-wait-2.lesson", TL_STATE_FIN_WAIT_2 },
  [TL_FINDING_HALF_OPEN_SUSPECT] = { "half-open-suspect", "half-open-keepalive.lesson", TL_STATE_ESTABLISHED },
};

const char *
tl_finding_name (TlFindingId id)
{
  g_return_val_if_fail ((guint) id < TL_N_FINDINGS, "?");
  return finding_info[id].name;
}

gboolean
tl_finding_from_name (const char  *name,
                      TlFindingId *id)
{
  for (guint i = 0; i < TL_N_FINDINGS; i++)
    if (strcmp (name, finding_info[i].name) == 0)
      {
        *id = (TlFindingId) i;
        return TRUE;
      }
  return FALSE;
}

const char *
tl_finding_lesson (TlFindingId id)
{
  g_return_val_if_fail ((guint) id < TL_N_FINDINGS, NULL);
  return finding_info[id].lesson;
}

TlState
tl_finding_state (TlFindingId id)
{
  g_return_val_if_fail ((guint) id < TL_N_FINDINGS, TL_STATE_CLOSED);
  return finding_info[id].state;
}

static void
finding_free (TlFinding *finding)
{
  g_ptr_array_unref (finding->peers);
  g_free (finding);
}

void
tl_diagnosis_free (TlDiagnosis *diagnosis)
{
  if (diagnosis == NULL)
    return;
  g_array_unref (diagnosis->ports);
  g_ptr_array_unref (diagnosis->findings);
  g_free (diagnosis);
}

/* Where a socket meets its peers.  by_host: the peer's address alone (a
 * connect() scan or a vanished client shows on several ports). */
typedef struct
{
  gboolean remote;
  guint16  port;
  char     addr[TL_SOCK_ADDR_LEN];
} Service;

typedef struct
{
  const TlSockTable *table;
  const guint8      *listening;   /* 65536 flags: a LISTEN socket has this local port */
  TlDiagnosis       *diagnosis;
} Ctx;

static void
service_of (const Ctx         *ctx,
            const TlSockEntry *entry,
            gboolean           by_host,
            Service           *service)
{
  memset (service, 0, sizeof *service);
  if (by_host)
    {
      service->remote = TRUE;
      g_strlcpy (service->addr, entry->peer.addr, sizeof service->addr);
    }
  else if (entry->state == TL_STATE_SYN_RCVD || ctx->listening[entry->local.port])
    service->port = entry->local.port;
  else
    {
      service->remote = TRUE;
      service->port = entry->peer.port;
      g_strlcpy (service->addr, entry->peer.addr, sizeof service->addr);
    }
}

static guint
service_hash (gconstpointer key)
{
  const Service *s = key;

  return g_str_hash (s->addr) ^ ((guint) s->port << 1) ^ (guint) s->remote;
}

static gboolean
service_equal (gconstpointer a,
               gconstpointer b)
{
  const Service *x = a, *y = b;

  return x->remote == y->remote && x->port == y->port && strcmp (x->addr, y->addr) == 0;
}

typedef struct
{
  Service service;
  guint   count;
} Group;

static int
compare_groups (gconstpointer a,
                gconstpointer b)
{
  const Group *x = a, *y = b;
  int c;

  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  if (x->service.remote != y->service.remote)
    return x->service.remote ? 1 : -1;
  if ((c = strcmp (x->service.addr, y->service.addr)) != 0)
    return c;
  return (int) x->service.port - (int) y->service.port;
}

typedef gboolean (*Counts) (const Ctx *ctx, const TlSockEntry *entry);

/* The services of the sockets that pass counts (or are in state), with how
 * many each, most first. */
static GArray *
group (const Ctx *ctx,
       TlState    state,
       Counts     counts,
       gboolean   by_host)
{
  g_autoptr(GHashTable) groups = g_hash_table_new_full (service_hash, service_equal, NULL, g_free);
  GArray *out = g_array_new (FALSE, FALSE, sizeof (Group));
  GHashTableIter iter;
  gpointer value;

  for (guint i = 0; i < ctx->table->entries->len; i++)
    {
      const TlSockEntry *e = &g_array_index (ctx->table->entries, TlSockEntry, i);
      Group key, *g;

      if (e->state != state || (counts != NULL && !counts (ctx, e)))
        continue;
      service_of (ctx, e, by_host, &key.service);
      g = g_hash_table_lookup (groups, &key.service);
      if (g == NULL)
        {
          g = g_new0 (Group, 1);
          g->service = key.service;
          g_hash_table_insert (groups, &g->service, g);
        }
      g->count++;
    }
  g_hash_table_iter_init (&iter, groups);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_array_append_vals (out, value, 1);
  g_array_sort (out, compare_groups);
  return out;
}

typedef struct
{
  const char *addr;
  guint       count;
} PeerCount;

static int
compare_peers (gconstpointer a,
               gconstpointer b)
{
  const PeerCount *x = a, *y = b;

  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return strcmp (x->addr, y->addr);
}

/* A finding for the sockets of one service in state (that pass counts):
 * their peers and the evidence. */
static TlFinding *
make_finding (const Ctx    *ctx,
              TlFindingId   id,
              const Group  *g,
              TlState       state,
              Counts        counts,
              gboolean      by_host,
              guint         threshold)
{
  g_autoptr(GHashTable) peers = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) sorted = g_array_new (FALSE, FALSE, sizeof (PeerCount));
  TlFinding *f = g_new0 (TlFinding, 1);
  gboolean one_port = TRUE;
  guint16 port;
  GHashTableIter iter;
  gpointer key, value;

  f->id = id;
  f->remote = g->service.remote;
  f->port = g->service.port;
  g_strlcpy (f->addr, g->service.addr, sizeof f->addr);
  f->threshold = threshold;
  f->timers = ctx->table->has_timers;
  f->peers = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < ctx->table->entries->len; i++)
    {
      const TlSockEntry *e = &g_array_index (ctx->table->entries, TlSockEntry, i);
      Service s;

      if (e->state != state && e->state != TL_STATE_ESTABLISHED && e->state != TL_STATE_LISTEN)
        continue;
      service_of (ctx, e, by_host, &s);
      if (e->state == TL_STATE_LISTEN)
        {
          if (!f->remote && e->local.port == f->port && f->process == NULL)
            f->process = e->process, f->pid = e->pid;
          continue;
        }
      if (!service_equal (&s, &g->service))
        continue;
      if (e->state == TL_STATE_ESTABLISHED)
        f->established++;
      if (e->state != state || (counts != NULL && !counts (ctx, e)))
        continue;
      f->count++;
      /* By host: the port the sockets share, the peer's (a connect()) or
       * this side's (a served connection), if they share one. */
      port = e->state == TL_STATE_SYN_SENT ? e->peer.port : e->local.port;
      if (by_host && f->count > 1 && port != f->port)
        one_port = FALSE;
      if (by_host && f->count == 1)
        f->port = port;
      f->max_retrans = MAX (f->max_retrans, e->retrans);
      if (state == TL_STATE_CLOSE_WAIT ? e->recv_q > 0 : e->send_q > 0)
        {
          f->with_data++;
          f->bytes += state == TL_STATE_CLOSE_WAIT ? e->recv_q : e->send_q;
        }
      if (f->process == NULL && e->process != NULL)
        f->process = e->process, f->pid = e->pid;
      value = g_hash_table_lookup (peers, e->peer.addr);
      g_hash_table_insert (peers, (gpointer) e->peer.addr, GUINT_TO_POINTER (GPOINTER_TO_UINT (value) + 1));
    }
  if (by_host && !one_port)
    f->port = 0;
  f->n_peers = g_hash_table_size (peers);
  g_hash_table_iter_init (&iter, peers);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      PeerCount pc = { key, GPOINTER_TO_UINT (value) };

      g_array_append_val (sorted, pc);
    }
  g_array_sort (sorted, compare_peers);
  for (guint i = 0; i < sorted->len && i < TL_DIAG_MAX_PEERS; i++)
    g_ptr_array_add (f->peers, g_strdup (g_array_index (sorted, PeerCount, i).addr));
  return f;
}

static const TlPortCounts *
port_counts (const Ctx *ctx,
             guint16    port)
{
  for (guint i = 0; i < ctx->diagnosis->ports->len; i++)
    {
      const TlPortCounts *pc = &g_array_index (ctx->diagnosis->ports, TlPortCounts, i);

      if (pc->port == port)
        return pc;
    }
  return NULL;
}

/* One finding per service whose count reaches threshold. */
static void
find (const Ctx   *ctx,
      TlFindingId  id,
      Counts       counts,
      gboolean     by_host,
      guint        threshold)
{
  TlState state = finding_info[id].state;
  g_autoptr(GArray) groups = group (ctx, state, counts, by_host);

  for (guint i = 0; i < groups->len; i++)
    {
      const Group *g = &g_array_index (groups, Group, i);
      guint needed = threshold;
      const TlPortCounts *pc = NULL;
      TlFinding *f;

      /* A full SYN queue is a flood too when the backlog is small: Linux
       * keeps at most backlog + 1 requests (reqsk_queue_is_full). */
      if (id == TL_FINDING_SYN_FLOOD && (pc = port_counts (ctx, g->service.port)) != NULL
          && pc->backlog > 0 && pc->backlog + 1 < needed)
        needed = MAX (pc->backlog + 1, 4);
      if (g->count < needed)
        continue;
      f = make_finding (ctx, id, g, state, counts, by_host, needed);
      if (pc != NULL)
        {
          f->backlog = pc->backlog;
          f->queued = pc->queued;
        }
      g_ptr_array_add (ctx->diagnosis->findings, f);
    }
}

/* A listener whose accept queue is full (ss, the kernel: Recv-Q reaches the
 * backlog in Send-Q; Linux's sk_acceptq_is_full is queue > backlog, so a full
 * queue reads backlog + 1) or long (netstat, no backlog shown). */
static void
find_accept_queue (const Ctx *ctx)
{
  gboolean backlog_known = ctx->table->format != TL_SOCK_FORMAT_NETSTAT;

  for (guint i = 0; i < ctx->diagnosis->ports->len; i++)
    {
      const TlPortCounts *pc = &g_array_index (ctx->diagnosis->ports, TlPortCounts, i);
      guint needed = backlog_known ? MAX (pc->backlog, 1) : TL_DIAG_ACCEPT_QUEUE_MIN;
      TlFinding *f;

      if (pc->queued < needed)
        continue;
      f = g_new0 (TlFinding, 1);
      f->id = TL_FINDING_ACCEPT_QUEUE_FULL;
      f->port = pc->port;
      f->count = pc->queued;
      f->queued = pc->queued;
      f->backlog = backlog_known ? pc->backlog : 0;
      f->threshold = needed;
      f->established = pc->counts[TL_STATE_ESTABLISHED];
      f->timers = ctx->table->has_timers;
      f->peers = g_ptr_array_new_with_free_func (g_free);
      for (guint k = 0; k < ctx->table->entries->len; k++)
        {
          const TlSockEntry *e = &g_array_index (ctx->table->entries, TlSockEntry, k);

          if (e->state == TL_STATE_LISTEN && e->local.port == pc->port && e->process != NULL)
            {
              f->process = e->process;
              f->pid = e->pid;
              break;
            }
        }
      g_ptr_array_add (ctx->diagnosis->findings, f);
    }
}

/* An ESTABLISHED connection that looks dead (see TL_DIAG_HALF_OPEN_*). */
static gboolean
looks_dead (const Ctx         *ctx,
            const TlSockEntry *e)
{
  if (!ctx->table->has_timers)
    return e->send_q > 0;
  return (e->timer == TL_SOCK_TIMER_ON && e->retrans >= TL_DIAG_HALF_OPEN_RETRANS)
         || (e->timer == TL_SOCK_TIMER_KEEPALIVE && e->retrans >= TL_DIAG_HALF_OPEN_PROBES);
}

static void
count_ports (Ctx      *ctx,
             guint8   *listening)
{
  const GArray *entries = ctx->table->entries;
  TlDiagnosis *d = ctx->diagnosis;
  g_autofree guint16 *index = g_new0 (guint16, 65536);   /* port -> place in d->ports + 1 */

  for (guint i = 0; i < entries->len; i++)
    {
      const TlSockEntry *e = &g_array_index (entries, TlSockEntry, i);

      d->counts[e->state]++;
      if (e->state == TL_STATE_LISTEN)
        listening[e->local.port] = 1;
    }
  for (guint port = 0; port < 65536; port++)
    if (listening[port])
      {
        TlPortCounts pc = { 0 };

        pc.port = port;
        g_array_append_val (d->ports, pc);
        index[port] = d->ports->len;
      }
  for (guint i = 0; i < entries->len; i++)
    {
      const TlSockEntry *e = &g_array_index (entries, TlSockEntry, i);
      TlPortCounts *pc;

      if (index[e->local.port] == 0)
        continue;
      pc = &g_array_index (d->ports, TlPortCounts, index[e->local.port] - 1);
      pc->counts[e->state]++;
      if (e->state == TL_STATE_LISTEN)
        {
          /* The fullest listener of the port speaks for it (a port may have
           * an IPv4 and an IPv6 listener, or several with SO_REUSEPORT). */
          if (e->recv_q > pc->queued || (e->recv_q == pc->queued && e->send_q > pc->backlog))
            {
              pc->queued = e->recv_q;
              pc->backlog = e->send_q;
            }
        }
    }
}

TlDiagnosis *
tl_diagnose (const TlSockTable *table)
{
  g_autofree guint8 *listening = g_new0 (guint8, 65536);
  TlDiagnosis *d = g_new0 (TlDiagnosis, 1);
  Ctx ctx = { table, listening, d };

  g_return_val_if_fail (table != NULL, NULL);

  d->n_sockets = table->entries->len;
  d->ports = g_array_new (FALSE, TRUE, sizeof (TlPortCounts));
  d->findings = g_ptr_array_new_with_free_func ((GDestroyNotify) finding_free);
  count_ports (&ctx, listening);

  find (&ctx, TL_FINDING_SYN_FLOOD, NULL, FALSE, TL_DIAG_SYN_FLOOD_MIN);
  find_accept_queue (&ctx);
  find (&ctx, TL_FINDING_CLOSE_WAIT_LEAK, NULL, FALSE, TL_DIAG_CLOSE_WAIT_MIN);
  find (&ctx, TL_FINDING_TIME_WAIT_PILEUP, NULL, FALSE, TL_DIAG_TIME_WAIT_MIN);
  find (&ctx, TL_FINDING_SYN_SENT_STUCK, NULL, TRUE, TL_DIAG_SYN_SENT_MIN);
  find (&ctx, TL_FINDING_FIN_WAIT_2_STUCK, NULL, FALSE, TL_DIAG_FIN_WAIT_2_MIN);
  find (&ctx, TL_FINDING_HALF_OPEN_SUSPECT, looks_dead, TRUE, TL_DIAG_HALF_OPEN_MIN);
  return d;
}
