/* tl-real-build.c: what a real run saw, made into a trace.
 *
 * The kernel tells state changes in two ways.  The tracepoint
 * sock:inet_sock_set_state gives every change of a full socket, timed to
 * the microsecond, but it is silent about the kernel's small sockets: a
 * request (a SYN received, SYN_RCVD, before the handshake completes) and a
 * time-wait socket (the tracepoint says CLOSE where the connection goes to
 * TIME_WAIT, or to FIN_WAIT_2 once its program has closed it).  The polls
 * (sock_diag every few milliseconds) see those: a request seen makes a
 * SYN_RCVD connection from the arrival of the SYN it answers; a time-wait
 * socket seen turns the CLOSE before it into TIME_WAIT (or FIN_WAIT_2); a
 * small socket gone from a poll is CLOSED then.  Without the tracepoint the
 * polls alone give every change, at poll times.
 *
 * Connections are keyed by host and 4-tuple (a listener's remote half is
 * zero); a key's connection ends at CLOSED and the next change on it starts
 * a new one.  Segments and calls are tied to the connection of their key
 * at their time.  The records are collected, sorted by time and appended
 * through the trace's public API by the collector the capture import uses
 * too (core/tl-trace-collect.h).
 */
#include "tl-config.h"

#include "tl-real-private.h"
#include "tl-trace-collect.h"

#include <string.h>

typedef struct
{
  gint64  t;
  guint8  from, to;
} Change;

typedef struct
{
  guint8   host;
  gboolean listener;
  guint16  lport;
  guint32  raddr;
  guint16  rport;
  gint64   created;
  guint8   state;
  GArray  *changes;      /* of Change */
  guint32  iss, irs;
  gboolean has_iss, has_irs;
  guint32  index;        /* in the trace */
} Conn;

/* The connections made so far, from a log that grows (tl_real_conns_update
 * goes on from where it stopped); tl_real_build_trace makes a trace from
 * them. */
struct _TlRealConns
{
  const TlScenario *scenario;
  const TlRealLog  *log;
  GArray           *conns;      /* of Conn */
  GHashTable       *by_key;     /* key -> GArray of guint (conns of that key, in order) */
  GHashTable       *current;    /* key -> conn + 1 while not CLOSED */
  GHashTable       *last_closed;/* key -> conn + 1: closed by the tracepoint, may be a time-wait */
  GHashTable       *by_sk;      /* a live full socket's address -> conn + 1, or 0: not a connection */
  GHashTable       *small;      /* conn -> itself: not closed, in SYN_RCVD, TIME_WAIT or FIN_WAIT_2 */
  /* Indices by key_of (the receiver, its port, the sender's address and
   * port), in log order: a run may hold 56,000 connections, and a walk over
   * every segment or call for each of them would take minutes. */
  GHashTable       *syns;       /* of log->segs: SYN without ACK (a flood's from its address) */
  GHashTable       *fins;       /* of log->segs: FIN */
  GHashTable       *rsts;       /* of log->segs: RST */
  /* In the order of their creation times (ties: the order they were
   * made in): every connection (the trace's order), and each host's that
   * are not listeners (HOST#N is the Nth). */
  GArray           *order;      /* of guint */
  GArray           *numbered[2];/* of guint */
  /* How far the log has been read. */
  guint             states_done, marks_done, polls_done, segs_done;
  guint             apps_done, others_done;   /* for listener_events */
  GHashTable       *open;       /* listeners of the program's calls: host << 16 | port */
  gint64            last_state_t, last_mark_t;
  guint             generation; /* the log's, when read */
  /* For the trace (tl_real_build_trace) only. */
  TlTraceCollector *pending;    /* the records, appended in order at the end */
  TlTrace          *trace;      /* being made */
  GHashTable       *calls;      /* of log->apps: abort and shutdown, by the caller's key */
};
typedef struct _TlRealConns Build;

static guint64
key_of (guint   host,
        guint16 lport,
        guint32 raddr,
        guint16 rport)
{
  return ((guint64) host << 63) ^ ((guint64) lport << 48) ^ ((guint64) raddr << 16) ^ rport;
}

/* A key's hash from all of its bits: GLib's g_int64_hash (2.74) keeps the
 * low 32 alone, where key_of has the local port above them, and every
 * connection of a host to one server's port would share a slot. */
static guint
key_hash (gconstpointer v)
{
  guint64 k = *(const guint64 *) v;

  return (guint) ((k * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15)) >> 32);
}

static guint64 *
key_new (guint64 k)
{
  return g_memdup2 (&k, sizeof k);
}

static Conn *
conn_at (Build *b,
         guint  i)
{
  return &g_array_index (b->conns, Conn, i);
}

static int
current_of (Build  *b,
            guint64 k)
{
  return GPOINTER_TO_INT (g_hash_table_lookup (b->current, &k)) - 1;
}

static void
change (Build  *b,
        guint   ci,
        gint64  t,
        TlState to)
{
  Conn *c = conn_at (b, ci);
  Change ch = { MAX (t, c->created), c->state, to };

  if (to == TL_STATE_SYN_RCVD || to == TL_STATE_TIME_WAIT || to == TL_STATE_FIN_WAIT_2)
    g_hash_table_add (b->small, GUINT_TO_POINTER (ci));
  else
    g_hash_table_remove (b->small, GUINT_TO_POINTER (ci));
  if (c->state == to)
    return;
  g_array_append_val (c->changes, ch);
  c->state = to;
}

/* When c last changed state, or was made. */
static gint64
last_change_t (const Conn *c)
{
  return c->changes->len > 0 ? g_array_index (c->changes, Change, c->changes->len - 1).t : c->created;
}

/* Puts ci into list, ordered by creation time, after those made at the
 * same time: at the end but for a request dated back to its SYN. */
static void
insert_by_created (Build  *b,
                   GArray *list,
                   guint   ci)
{
  gint64 t = conn_at (b, ci)->created;
  guint lo = 0, hi = list->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (conn_at (b, g_array_index (list, guint, mid))->created <= t)
        lo = mid + 1;
      else
        hi = mid;
    }
  g_array_insert_val (list, lo, ci);
}

static guint
conn_new (Build   *b,
          guint    host,
          guint16  lport,
          guint32  raddr,
          guint16  rport,
          gint64   t,
          TlState  state)
{
  Conn c = { 0 };
  guint64 k = key_of (host, lport, raddr, rport);
  GArray *list = g_hash_table_lookup (b->by_key, &k);
  guint ci = b->conns->len;

  c.host = host;
  c.listener = state == TL_STATE_LISTEN;
  c.lport = lport;
  c.raddr = raddr;
  c.rport = rport;
  c.created = t;
  c.state = TL_STATE_CLOSED;
  c.changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_array_append_val (b->conns, c);
  if (list == NULL)
    {
      list = g_array_new (FALSE, FALSE, sizeof (guint));
      g_hash_table_insert (b->by_key, key_new (k), list);
    }
  g_array_append_val (list, ci);
  g_hash_table_insert (b->current, key_new (k), GINT_TO_POINTER (ci + 1));
  g_hash_table_remove (b->last_closed, &k);
  change (b, ci, t, state);
  insert_by_created (b, b->order, ci);
  if (!c.listener)
    insert_by_created (b, b->numbered[host], ci);
  return ci;
}

static void
conn_closed (Build  *b,
             guint64 k,
             guint   ci,
             gint64  t,
             gboolean maybe_small)
{
  change (b, ci, t, TL_STATE_CLOSED);
  g_hash_table_remove (b->current, &k);
  if (maybe_small)
    g_hash_table_insert (b->last_closed, key_new (k), GINT_TO_POINTER (ci + 1));
}

static void
index_add (GHashTable *index,
           guint64     k,
           guint       i)
{
  GArray *list = g_hash_table_lookup (index, &k);

  if (list == NULL)
    {
      list = g_array_new (FALSE, FALSE, sizeof (guint));
      g_hash_table_insert (index, key_new (k), list);
    }
  g_array_append_val (list, i);
}

static GHashTable *
index_new (void)
{
  return g_hash_table_new_full (key_hash, g_int64_equal, g_free, (GDestroyNotify) g_array_unref);
}

/* The log's segments put on the link since the last call, in the indices
 * of SYNs (without ACK), FINs and RSTs by their receiver's key. */
static void
index_segs (Build *b)
{
  const TlRealLog *log = b->log;

  for (; b->segs_done < log->segs->len; b->segs_done++)
    {
      guint i = b->segs_done;
      const TlRealSeg *s = &g_array_index (log->segs, TlRealSeg, i);
      guint32 from = b->scenario->hosts[s->dir].addr;

      if ((s->flags & (TL_FLAG_SYN | TL_FLAG_ACK)) == TL_FLAG_SYN)
        index_add (b->syns, key_of (1 - s->dir, s->dport, s->peer_addr != 0 ? s->peer_addr : from,
                                    s->sport), i);
      if (s->flags & TL_FLAG_FIN)
        index_add (b->fins, key_of (1 - s->dir, s->dport, from, s->sport), i);
      if (s->flags & TL_FLAG_RST)
        index_add (b->rsts, key_of (1 - s->dir, s->dport, from, s->sport), i);
    }
}

/* The log's segments or calls of one key (an empty list for none). */
static const GArray *
index_get (GHashTable *index,
           guint64     k)
{
  static const GArray none = { NULL, 0 };
  const GArray *list = g_hash_table_lookup (index, &k);

  return list != NULL ? list : &none;
}

/* When the SYN that made a request on host reached it: the last SYN
 * delivered to host on that tuple at or before t, else t. */
static gint64
syn_arrival (Build   *b,
             guint    host,
             guint16  lport,
             guint32  raddr,
             guint16  rport,
             gint64   t)
{
  const GArray *list = index_get (b->syns, key_of (host, lport, raddr, rport));
  gint64 best = -1;

  for (guint j = 0; j < list->len; j++)
    {
      const TlRealSeg *s = &g_array_index (b->log->segs, TlRealSeg, g_array_index (list, guint, j));
      guint32 src = s->peer_addr != 0 ? s->peer_addr : b->scenario->hosts[s->dir].addr;

      if (s->arrive_us < 0 || s->arrive_us > t)
        continue;
      if ((s->flags & (TL_FLAG_SYN | TL_FLAG_ACK)) == TL_FLAG_SYN && s->dir != host
          && s->dport == lport && s->sport == rport && src == raddr)
        best = MAX (best, s->arrive_us);
    }
  return best >= 0 ? best : t;
}

/* The first segment of index (of SYNs or FINs, by receiver) to host on that
 * tuple whose time is in (after, t]: when it was delivered, or when it was
 * sent; else t. */
static gint64
first_to (Build      *b,
          GHashTable *index,
          guint       host,
          guint16     lport,
          guint32     raddr,
          guint16     rport,
          gboolean    delivered,
          gint64      after,
          gint64      t)
{
  const GArray *list = index_get (index, key_of (host, lport, raddr, rport));

  for (guint j = 0; j < list->len; j++)
    {
      const TlRealSeg *s = &g_array_index (b->log->segs, TlRealSeg, g_array_index (list, guint, j));
      gint64 when = delivered ? s->arrive_us : s->sent_us;

      if (s->dir != host && s->peer_addr == 0 && s->dport == lport && s->sport == rport
          && b->scenario->hosts[s->dir].addr == raddr && when > after && when <= t
          && (!delivered || s->arrive_fate == TL_FATE_DELIVERED))
        return when;
    }
  return t;
}

/* When the FIN that took host's connection of key to TIME_WAIT arrived:
 * the first FIN delivered to it in (after, t], else t. */
static gint64
fin_arrival (Build   *b,
             guint    host,
             guint16  lport,
             guint32  raddr,
             guint16  rport,
             gint64   after,
             gint64   t)
{
  return first_to (b, b->fins, host, lport, raddr, rport, TRUE, after, t);
}

/* When host sent its first SYN on that tuple in (after, t]: the connect()
 * that made the connection; else t. */
static gint64
syn_departure (Build   *b,
               guint    host,
               guint16  lport,
               guint32  raddr,
               guint16  rport,
               gint64   after,
               gint64   t)
{
  return first_to (b, b->syns, 1 - host, rport, b->scenario->hosts[host].addr, lport, FALSE, after, t);
}

static void
on_state (Build               *b,
          const TlRealStateEv *e)
{
  guint64 k = key_of (e->host, e->lport, e->raddr, e->rport);
  int ci = current_of (b, k);
  gpointer known = NULL;

  /* A connect() that found no port (tl_real_log_settle left it without
   * one): never a connection. */
  if (e->lport == 0 && e->from == TL_STATE_CLOSED && e->to == TL_STATE_SYN_SENT)
    {
      if (e->sk != 0)
        g_hash_table_insert (b->by_sk, g_memdup2 (&e->sk, sizeof e->sk), GINT_TO_POINTER (0));
      return;
    }
  /* With the sockets' addresses: a socket seen before is its connection,
   * whatever else holds its tuple now. */
  if (e->sk != 0 && g_hash_table_lookup_extended (b->by_sk, &e->sk, NULL, &known))
    {
      int sci = GPOINTER_TO_INT (known) - 1;

      if (e->to == TL_STATE_CLOSED)
        g_hash_table_remove (b->by_sk, &e->sk);
      if (sci < 0)
        return;   /* a socket that never was a connection */
      if (e->to == TL_STATE_CLOSED && sci == ci)
        conn_closed (b, k, ci, e->t,
                     e->from == TL_STATE_FIN_WAIT_2 || e->from == TL_STATE_FIN_WAIT_1
                     || e->from == TL_STATE_CLOSING);
      else if (e->to != TL_STATE_CLOSED)
        {
          /* connect()'s first change came before its port (tl_real_log_settle
           * gave it one); a later change with another key is the same socket. */
          if (sci != ci)
            g_hash_table_insert (b->current, key_new (k), GINT_TO_POINTER (sci + 1));
          change (b, sci, e->t, e->to);
        }
      return;
    }
  if (e->to == TL_STATE_CLOSED)
    {
      if (ci >= 0 && e->sk == 0)
        conn_closed (b, k, ci, e->t,
                     e->from == TL_STATE_FIN_WAIT_2 || e->from == TL_STATE_FIN_WAIT_1
                     || e->from == TL_STATE_CLOSING);
      return;
    }
  /* A second socket on a tuple a live socket holds: a connect() from a
   * port in use, which fails at once (EADDRNOTAVAIL) and makes no
   * connection. */
  if (e->sk != 0 && ci >= 0 && e->from == TL_STATE_CLOSED)
    {
      GHashTableIter it;
      gpointer v;
      gboolean held = FALSE;

      g_hash_table_iter_init (&it, b->by_sk);
      while (g_hash_table_iter_next (&it, NULL, &v))
        held |= GPOINTER_TO_INT (v) - 1 == ci;
      if (held)
        {
          g_hash_table_insert (b->by_sk, g_memdup2 (&e->sk, sizeof e->sk), GINT_TO_POINTER (0));
          return;
        }
    }
  /* RFC 9293 section 3.10.7.4 as Linux does it: a new SYN on a tuple in
   * TIME_WAIT ends the old connection and starts a new one, from the SYN;
   * so does a connect() from the port (the time-wait socket gives way). */
  if (ci >= 0 && conn_at (b, ci)->state == TL_STATE_TIME_WAIT
      && (e->from == TL_STATE_LISTEN || e->from == TL_STATE_CLOSED))
    {
      conn_closed (b, k, ci, e->from == TL_STATE_LISTEN
                             ? syn_arrival (b, e->host, e->lport, e->raddr,
                                            e->rport, e->t)
                             : e->t, FALSE);
      ci = -1;
    }
  if (ci < 0)
    {
      gint64 t = e->t;

      /* A child socket the listener made: its request began at the SYN. */
      if (e->to == TL_STATE_SYN_RCVD || (e->from == TL_STATE_LISTEN))
        t = syn_arrival (b, e->host, e->lport, e->raddr, e->rport, e->t);
      conn_new (b, e->host, e->lport, e->raddr, e->rport, t,
                e->to == TL_STATE_ESTABLISHED && e->from == TL_STATE_LISTEN
                ? TL_STATE_SYN_RCVD : e->to);
      ci = current_of (b, k);
    }
  if (e->sk != 0)
    g_hash_table_insert (b->by_sk, g_memdup2 (&e->sk, sizeof e->sk), GINT_TO_POINTER (ci + 1));
  change (b, ci, e->t, e->to);
}

/* The keys of a poll's sockets, polls[first, first + n). */
static GHashTable *
poll_keys (const TlRealLog *log,
           guint            first,
           guint            n)
{
  GHashTable *keys = g_hash_table_new_full (key_hash, g_int64_equal, g_free, NULL);

  for (guint i = first; i < first + n; i++)
    {
      const TlRealPollEv *p = &g_array_index (log->polls, TlRealPollEv, i);

      g_hash_table_add (keys, key_new (key_of (p->host, p->sock.lport, p->sock.raddr, p->sock.rport)));
    }
  return keys;
}

/* One poll of host at t: its sockets are polls[first, first + n). */
static void
on_poll (Build  *b,
         guint   host,
         gint64  t,
         guint   first,
         guint   n)
{
  const TlRealLog *log = b->log;
  GHashTableIter it;
  gpointer key, value;
  g_autoptr(GArray) gone = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autoptr(GHashTable) present = NULL;

  for (guint i = first; i < first + n; i++)
    {
      const TlRealPollEv *p = &g_array_index (log->polls, TlRealPollEv, i);
      const TlRealSock *s = &p->sock;
      guint64 k = key_of (host, s->lport, s->raddr, s->rport);
      int ci = current_of (b, k);

      if (log->traced && !s->mini)
        continue;   /* the tracepoint told it, exactly */
      if (ci < 0 && s->mini && s->state != TL_STATE_SYN_RCVD)
        {
          int last = GPOINTER_TO_INT (g_hash_table_lookup (b->last_closed, &k)) - 1;

          if (last >= 0)
            {
              /* The CLOSE the tracepoint told was a move to a time-wait
               * socket: the connection lives on, in FIN_WAIT_2 (an orphan)
               * or TIME_WAIT; from FIN_WAIT_2 it reaches TIME_WAIT when
               * the peer's FIN arrives. */
              Conn *c = conn_at (b, last);
              Change ch = g_array_index (c->changes, Change, c->changes->len - 1);

              g_array_set_size (c->changes, c->changes->len - 1);
              c->state = ch.from;
              g_hash_table_insert (b->current, key_new (k), GINT_TO_POINTER (last + 1));
              g_hash_table_remove (b->last_closed, &k);
              if (ch.from == TL_STATE_FIN_WAIT_2 && s->state == TL_STATE_TIME_WAIT)
                change (b, last, fin_arrival (b, host, s->lport, s->raddr,
                                              s->rport, ch.t, t), s->state);
              else
                change (b, last, ch.t, s->state);
              continue;
            }
        }
      if (ci >= 0 && s->state == TL_STATE_SYN_RCVD && conn_at (b, ci)->state == TL_STATE_TIME_WAIT)
        {
          /* A new SYN on a tuple in TIME_WAIT: the old connection ends there. */
          conn_closed (b, k, ci, syn_arrival (b, host, s->lport, s->raddr,
                                              s->rport, t), FALSE);
          ci = -1;
        }
      if (ci >= 0 && s->mini && s->state == TL_STATE_TIME_WAIT
          && conn_at (b, ci)->state == TL_STATE_FIN_WAIT_2)
        {
          const Conn *c = conn_at (b, ci);
          gint64 since = last_change_t (c);

          change (b, ci, fin_arrival (b, host, s->lport, s->raddr, s->rport,
                                      since, t), s->state);
          continue;
        }
      if (ci < 0)
        {
          /* A poll that comes late (the program's loop held up) sees many
           * new connections at once, in the kernel's table order: each is
           * dated back to the SYN that began it, so that HOST#N follows the
           * order they were made in.  An active opener began at its
           * connect()'s SYN, a listener's child at the SYN it was made
           * from (a request until the handshake ended). */
          const GArray *before = g_hash_table_lookup (b->by_key, &k);
          const Conn *last = before != NULL && before->len > 0
                             ? conn_at (b, g_array_index (before, guint, before->len - 1)) : NULL;
          gint64 after = last == NULL ? G_MININT64 : last_change_t (last);
          gint64 start = syn_departure (b, host, s->lport, s->raddr, s->rport, after, t);
          TlState began = TL_STATE_SYN_SENT;

          if (start == t && s->state != TL_STATE_SYN_SENT)
            {
              start = syn_arrival (b, host, s->lport, s->raddr, s->rport, t);
              if (start < after)
                start = t;   /* the SYN of a connection before it */
              began = TL_STATE_SYN_RCVD;
            }
          conn_new (b, host, s->lport, s->raddr, s->rport, start, start < t ? began : s->state);
          change (b, current_of (b, k), t, s->state);
        }
      else
        change (b, ci, t, s->state);
    }
  /* What the poll no longer shows has gone.  With the tracepoint only a
   * small socket can go unseen by it: those alone are looked at. */
  g_hash_table_iter_init (&it, log->traced ? b->small : b->current);
  while (g_hash_table_iter_next (&it, &key, &value))
    {
      guint ci = log->traced ? GPOINTER_TO_UINT (key) : (guint) GPOINTER_TO_INT (value) - 1;
      Conn *c = conn_at (b, ci);
      guint64 k = log->traced ? key_of (c->host, c->lport, c->raddr, c->rport) : *(guint64 *) key;

      if (c->host != host || c->created > t || c->listener || current_of (b, k) != (int) ci)
        continue;
      if (present == NULL)
        present = poll_keys (log, first, n);
      if (g_hash_table_contains (present, &k))
        continue;
      if (log->traced && c->state != TL_STATE_SYN_RCVD && c->state != TL_STATE_TIME_WAIT
          && c->state != TL_STATE_FIN_WAIT_2)
        continue;
      /* A request whose child the tracepoint has not told yet is kept. */
      if (log->traced && c->state == TL_STATE_FIN_WAIT_2 && c->changes->len > 0
          && g_array_index (c->changes, Change, c->changes->len - 1).t > t)
        continue;
      g_array_append_val (gone, k);
    }
  for (guint i = 0; i < gone->len; i++)
    {
      guint64 k = g_array_index (gone, guint64, i);

      conn_closed (b, k, current_of (b, k), t, FALSE);
    }
}

static int
state_ev_time_cmp (gconstpointer a,
                   gconstpointer b)
{
  const TlRealStateEv *x = a, *y = b;

  return (x->t > y->t) - (x->t < y->t);
}

/* Without the tracepoint, the listeners from the program's calls: the polls
 * leave listeners out (asking for them makes the kernel walk the listening
 * table every namespace shares, a millisecond or more each time), and a
 * listener lives from listen() to its close or the host's crash.  Those of
 * the calls since the last, appended to evs. */
static void
listener_events (Build  *b,
                 GArray *evs)
{
  const TlRealLog *log = b->log;

  while (b->apps_done < log->apps->len || b->others_done < log->others->len)
    {
      const TlRealAppEv *a = b->apps_done < log->apps->len
                             ? &g_array_index (log->apps, TlRealAppEv, b->apps_done) : NULL;
      const TlRecord *o = b->others_done < log->others->len
                          ? &g_array_index (log->others, TlRecord, b->others_done) : NULL;
      TlRealStateEv e = { 0 };

      if (a != NULL && (o == NULL || a->t <= o->time_us))
        {
          guint key = (guint) a->host << 16 | (guint) (a->value & 0xffff);

          b->apps_done++;
          if (a->error != TL_ERR_NONE || (a->call != TL_CALL_LISTEN && a->call != TL_CALL_UNLISTEN)
              || (a->call == TL_CALL_LISTEN) == g_hash_table_contains (b->open, GUINT_TO_POINTER (key)))
            continue;
          e.t = a->t;
          e.host = a->host;
          e.lport = (guint16) a->value;
          e.from = a->call == TL_CALL_LISTEN ? TL_STATE_CLOSED : TL_STATE_LISTEN;
          e.to = a->call == TL_CALL_LISTEN ? TL_STATE_LISTEN : TL_STATE_CLOSED;
          if (a->call == TL_CALL_LISTEN)
            g_hash_table_add (b->open, GUINT_TO_POINTER (key));
          else
            g_hash_table_remove (b->open, GUINT_TO_POINTER (key));
          g_array_append_val (evs, e);
          continue;
        }
      b->others_done++;
      if (o->kind != TL_REC_HOST || o->u.app.call != TL_CALL_CRASH)
        continue;
      {
        GHashTableIter it;
        gpointer k;

        g_hash_table_iter_init (&it, b->open);
        while (g_hash_table_iter_next (&it, &k, NULL))
          if ((GPOINTER_TO_UINT (k) >> 16) == o->host)
            {
              e.t = o->time_us;
              e.host = o->host;
              e.lport = GPOINTER_TO_UINT (k) & 0xffff;
              e.from = TL_STATE_LISTEN;
              e.to = TL_STATE_CLOSED;
              g_array_append_val (evs, e);
              g_hash_table_iter_remove (&it);
            }
      }
    }
}

/* The connections, from the state changes (settled) and polls since the
 * last call up to until, in time order.  FALSE, having read nothing, when
 * one of them comes before what was read already (the caller starts
 * again). */
static gboolean
advance (Build  *b,
         gint64  until)
{
  const TlRealLog *log = b->log;
  g_autoptr(GArray) states = g_array_new (FALSE, FALSE, sizeof (TlRealStateEv));
  guint si = 0, mi = b->marks_done, pi = b->polls_done, n = b->states_done;

  if (log->generation != b->generation)
    return FALSE;
  if (!log->traced)
    listener_events (b, states);
  while (n < log->states->len && g_array_index (log->states, TlRealStateEv, n).t <= until)
    n++;
  if (n > b->states_done)
    g_array_append_vals (states, &g_array_index (log->states, TlRealStateEv, b->states_done), n - b->states_done);
  if (!log->traced)
    g_array_sort (states, state_ev_time_cmp);
  /* A change at a poll's time comes before it. */
  if ((states->len > 0 && (g_array_index (states, TlRealStateEv, 0).t < b->last_state_t
                           || g_array_index (states, TlRealStateEv, 0).t <= b->last_mark_t))
      || (mi < log->marks->len && g_array_index (log->marks, TlRealPollMark, mi).t < b->last_state_t))
    return FALSE;
  b->states_done = n;
  index_segs (b);
  for (;;)
    {
      const TlRealStateEv *se = si < states->len ? &g_array_index (states, TlRealStateEv, si) : NULL;
      const TlRealPollMark *pm = mi < log->marks->len && g_array_index (log->marks, TlRealPollMark, mi).t <= until
                                 ? &g_array_index (log->marks, TlRealPollMark, mi) : NULL;

      if (se == NULL && pm == NULL)
        break;
      if (se != NULL && (pm == NULL || se->t <= pm->t))
        {
          on_state (b, se);
          b->last_state_t = se->t;
          si++;
        }
      else
        {
          guint first = pi;

          while (pi < log->polls->len
                 && g_array_index (log->polls, TlRealPollEv, pi).t == pm->t
                 && g_array_index (log->polls, TlRealPollEv, pi).host == pm->host)
            pi++;
          on_poll (b, pm->host, pm->t, first, pi - first);
          b->last_mark_t = pm->t;
          mi++;
        }
    }
  b->marks_done = mi;
  b->polls_done = pi;
  return TRUE;
}

static Build *
build_new (const TlScenario *scenario,
           const TlRealLog  *log)
{
  Build *b = g_new0 (Build, 1);

  b->scenario = scenario;
  b->log = log;
  b->conns = g_array_new (FALSE, FALSE, sizeof (Conn));
  b->by_key = index_new ();
  b->current = g_hash_table_new_full (key_hash, g_int64_equal, g_free, NULL);
  b->last_closed = g_hash_table_new_full (key_hash, g_int64_equal, g_free, NULL);
  b->by_sk = g_hash_table_new_full (key_hash, g_int64_equal, g_free, NULL);
  b->small = g_hash_table_new (NULL, NULL);
  b->syns = index_new ();
  b->fins = index_new ();
  b->rsts = index_new ();
  b->order = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint h = 0; h < 2; h++)
    b->numbered[h] = g_array_new (FALSE, FALSE, sizeof (guint));
  b->open = g_hash_table_new (NULL, NULL);
  b->last_state_t = b->last_mark_t = G_MININT64;
  b->generation = log->generation;
  return b;
}

void
tl_real_conns_free (TlRealConns *b)
{
  if (b == NULL)
    return;
  for (guint i = 0; i < b->conns->len; i++)
    g_array_unref (conn_at (b, i)->changes);
  g_array_unref (b->conns);
  g_hash_table_unref (b->by_key);
  g_hash_table_unref (b->current);
  g_hash_table_unref (b->last_closed);
  g_hash_table_unref (b->by_sk);
  g_hash_table_unref (b->small);
  g_hash_table_unref (b->syns);
  g_hash_table_unref (b->fins);
  g_hash_table_unref (b->rsts);
  g_array_unref (b->order);
  for (guint h = 0; h < 2; h++)
    g_array_unref (b->numbered[h]);
  g_hash_table_unref (b->open);
  g_clear_pointer (&b->calls, g_hash_table_unref);
  g_clear_pointer (&b->pending, tl_trace_collector_free);
  g_free (b);
}

void
tl_real_conns_update (TlRealConns     **conns,
                      const TlScenario *scenario,
                      const TlRealLog  *log)
{
  if (*conns != NULL)
    {
      (*conns)->log = log;
      if (advance (*conns, log->complete_us))
        return;
      tl_real_conns_free (*conns);
    }
  *conns = build_new (scenario, log);
  advance (*conns, log->complete_us);
}

gboolean
tl_real_conns_find (const TlRealConns *b,
                    guint              host,
                    guint              ordinal,
                    gint64             t,
                    guint16           *lport,
                    guint32           *raddr,
                    guint16           *rport)
{
  const GArray *list = b->numbered[host];
  const Conn *c;
  guint lo = 0, hi = list->len;

#define CREATED(i) MAX (g_array_index (b->conns, Conn, g_array_index (list, guint, (i))).created, 0)
  if (ordinal != 0)
    {
      if (ordinal > list->len || CREATED (ordinal - 1) > t)
        return FALSE;
      lo = ordinal;
    }
  else
    while (lo < hi)
      {
        guint mid = lo + (hi - lo) / 2;

        if (CREATED (mid) <= t)
          lo = mid + 1;
        else
          hi = mid;
      }
#undef CREATED
  if (lo == 0)
    return FALSE;
  c = &g_array_index (b->conns, Conn, g_array_index (list, guint, lo - 1));
  *lport = c->lport;
  *raddr = c->raddr;
  *rport = c->rport;
  return TRUE;
}

/* The connection of key at time t: the last made at or before it. */
static guint32
find_conn (Build   *b,
           guint    host,
           guint16  lport,
           guint32  raddr,
           guint16  rport,
           gint64   t)
{
  guint64 k = key_of (host, lport, raddr, rport);
  GArray *list = g_hash_table_lookup (b->by_key, &k);

  if (list == NULL)
    return TL_NO_CONN;
  for (guint i = list->len; i-- > 0;)
    {
      guint ci = g_array_index (list, guint, i);

      if (conn_at (b, ci)->created <= t)
        return ci;
    }
  return TL_NO_CONN;
}

/* A record to fill in (valid until the next); ties at one time keep the
 * order they were made in. */
static TlRecord *
pend (Build        *b,
      TlRecordKind  kind,
      gint64        t,
      guint         host,
      guint32       conn)
{
  TlRecord r = { 0 };

  r.time_us = MAX (t, 0);
  r.kind = kind;
  r.host = host;
  r.conn = conn;
  return tl_trace_collector_get (b->pending, tl_trace_collector_add (b->pending, &r, 0));
}

TlCause
tl_real_guess_cause (TlState  from,
                     TlState  to,
                     gboolean app_abort,
                     gboolean app_shutdown,
                     gboolean crashed,
                     gboolean rst_arrived)
{
  if (to == TL_STATE_CLOSED)
    {
      if (crashed)
        return TL_CAUSE_CRASH;
      if (app_abort)
        return TL_CAUSE_APP_ABORT;
      if (rst_arrived)
        return TL_CAUSE_RCV_RST;
      switch (from)
        {
        case TL_STATE_LISTEN:
          return TL_CAUSE_APP_UNLISTEN;
        case TL_STATE_TIME_WAIT:
          return TL_CAUSE_TIME_WAIT_DONE;
        case TL_STATE_FIN_WAIT_2:
          return TL_CAUSE_FIN_WAIT_2_DONE;
        case TL_STATE_LAST_ACK:
          return TL_CAUSE_RCV_ACK;
        case TL_STATE_CLOSED:
        case TL_STATE_SYN_SENT:
        case TL_STATE_SYN_RCVD:
        case TL_STATE_ESTABLISHED:
        case TL_STATE_FIN_WAIT_1:
        case TL_STATE_CLOSE_WAIT:
        case TL_STATE_CLOSING:
          return TL_CAUSE_TIMEOUT;
        }
      return TL_CAUSE_TIMEOUT;
    }
  switch (to)
    {
    case TL_STATE_LISTEN:
      return TL_CAUSE_APP_LISTEN;
    case TL_STATE_SYN_SENT:
      return TL_CAUSE_APP_CONNECT;
    case TL_STATE_SYN_RCVD:
      return TL_CAUSE_RCV_SYN;
    case TL_STATE_ESTABLISHED:
      return from == TL_STATE_SYN_SENT ? TL_CAUSE_RCV_SYN_ACK : TL_CAUSE_RCV_ACK;
    case TL_STATE_FIN_WAIT_1:
      return app_shutdown ? TL_CAUSE_APP_SHUTDOWN : TL_CAUSE_APP_CLOSE;
    case TL_STATE_LAST_ACK:
      return TL_CAUSE_APP_CLOSE;
    case TL_STATE_FIN_WAIT_2:
      return TL_CAUSE_RCV_ACK;
    case TL_STATE_CLOSE_WAIT:
    case TL_STATE_CLOSING:
      return TL_CAUSE_RCV_FIN;
    case TL_STATE_TIME_WAIT:
      return from == TL_STATE_CLOSING ? TL_CAUSE_RCV_ACK : TL_CAUSE_RCV_FIN;
    case TL_STATE_CLOSED:
      break;
    }
  return TL_CAUSE_TIMEOUT;
}

#define NEAR_US 3000

static gboolean
app_near (Build      *b,
          const Conn *c,
          TlCall      call,
          gint64      t)
{
  const GArray *list = index_get (b->calls, key_of (c->host, c->lport, c->raddr, c->rport));

  for (guint j = 0; j < list->len; j++)
    {
      const TlRealAppEv *a = &g_array_index (b->log->apps, TlRealAppEv, g_array_index (list, guint, j));

      if (a->call == call && a->host == c->host && a->lport == c->lport && a->raddr == c->raddr
          && a->rport == c->rport && ABS (a->t - t) <= NEAR_US)
        return TRUE;
    }
  return FALSE;
}

static gboolean
crash_near (const TlRealLog *log,
            guint            host,
            gint64           t)
{
  for (guint i = 0; i < log->others->len; i++)
    {
      const TlRecord *r = &g_array_index (log->others, TlRecord, i);

      if (r->kind == TL_REC_HOST && r->host == host && r->u.app.call == TL_CALL_CRASH
          && ABS (r->time_us - t) <= NEAR_US)
        return TRUE;
    }
  return FALSE;
}

static gboolean
rst_near (Build      *b,
          const Conn *c,
          gint64      t)
{
  const GArray *list = index_get (b->rsts, key_of (c->host, c->lport, c->raddr, c->rport));

  for (guint j = 0; j < list->len; j++)
    {
      const TlRealSeg *s = &g_array_index (b->log->segs, TlRealSeg, g_array_index (list, guint, j));

      if ((s->flags & TL_FLAG_RST) && s->dir != c->host && s->arrive_us >= 0
          && s->dport == c->lport && s->sport == c->rport
          && b->scenario->hosts[s->dir].addr == c->raddr && ABS (s->arrive_us - t) <= NEAR_US)
        return TRUE;
    }
  return FALSE;
}

static void
pend_states (Build *b)
{
  for (guint i = 0; i < b->conns->len; i++)
    {
      Conn *c = conn_at (b, i);

      for (guint j = 0; j < c->changes->len; j++)
        {
          const Change *ch = &g_array_index (c->changes, Change, j);
          TlRecord *r = pend (b, TL_REC_STATE, ch->t, c->host, c->index);

          r->u.state.from = ch->from;
          r->u.state.to = ch->to;
          r->u.state.cause = tl_real_guess_cause (ch->from, ch->to,
                                                  app_near (b, c, TL_CALL_ABORT, ch->t),
                                                  app_near (b, c, TL_CALL_SHUTDOWN, ch->t),
                                                  crash_near (b->log, c->host, ch->t),
                                                  rst_near (b, c, ch->t));
        }
    }
}

static int
seg_cmp (gconstpointer a,
         gconstpointer b,
         gpointer      data)
{
  const GArray *segs = data;
  const TlRealSeg *x = &g_array_index (segs, TlRealSeg, *(const guint *) a);
  const TlRealSeg *y = &g_array_index (segs, TlRealSeg, *(const guint *) b);

  if (x->sent_us != y->sent_us)
    return x->sent_us < y->sent_us ? -1 : 1;
  return (*(const guint *) a > *(const guint *) b) - (*(const guint *) a < *(const guint *) b);
}

/* The trace numbers segments in the order they were put on the link (its
 * index counts a record whose id is not above every earlier one's as a
 * copy), and the link's two sides are read in turns: numbered again here,
 * by the kernel's stamps.  A copy keeps its original's number. */
static void
pend_segments (Build *b)
{
  const TlScenario *sc = b->scenario;
  g_autoptr(GArray) order = g_array_sized_new (FALSE, FALSE, sizeof (guint), b->log->segs->len);
  g_autoptr(GHashTable) ids = g_hash_table_new (NULL, NULL);
  guint32 next_id = 1;

  for (guint i = 0; i < b->log->segs->len; i++)
    g_array_append_val (order, i);
  g_array_sort_with_data (order, seg_cmp, b->log->segs);
  for (guint oi = 0; oi < order->len; oi++)
    {
      const TlRealSeg *s = &g_array_index (b->log->segs, TlRealSeg, g_array_index (order, guint, oi));
      guint32 id = GPOINTER_TO_UINT (g_hash_table_lookup (ids, GUINT_TO_POINTER (s->id + 1)));
      guint from = s->dir, to = 1 - s->dir;
      guint32 src = sc->hosts[from].addr, dst = sc->hosts[to].addr;
      guint32 conn, peer_conn;
      TlRecord *r;

      if (id == 0)
        {
          id = next_id++;
          g_hash_table_insert (ids, GUINT_TO_POINTER (s->id + 1), GUINT_TO_POINTER (id));
        }
      /* A flood's SYN comes from a made-up address: no connection sent it;
       * a reply to one goes to that address. */
      if (s->peer_addr != 0 && (s->flags & (TL_FLAG_SYN | TL_FLAG_ACK)) == TL_FLAG_SYN)
        {
          src = s->peer_addr;
          conn = TL_NO_CONN;
          peer_conn = find_conn (b, to, s->dport, src, s->sport, MAX (s->arrive_us, s->sent_us));
        }
      else
        {
          if (s->peer_addr != 0)
            dst = s->peer_addr;
          conn = find_conn (b, from, s->sport, dst, s->dport, s->sent_us);
          peer_conn = s->peer_addr != 0 ? TL_NO_CONN
                      : find_conn (b, to, s->dport, src, s->sport, MAX (s->arrive_us, s->sent_us));
        }
      if (s->flags & TL_FLAG_SYN)
        {
          if (conn != TL_NO_CONN && !conn_at (b, conn)->has_iss)
            conn_at (b, conn)->iss = s->seq, conn_at (b, conn)->has_iss = TRUE;
          if (peer_conn != TL_NO_CONN && !conn_at (b, peer_conn)->has_irs)
            conn_at (b, peer_conn)->irs = s->seq, conn_at (b, peer_conn)->has_irs = TRUE;
        }
      for (guint k = 0; k < 2; k++)
        {
          gint64 t = k == 0 ? s->sent_us : s->arrive_us;

          if (k == 1 && s->arrive_us < 0)
            break;
          r = pend (b, k == 0 ? TL_REC_SEGMENT : TL_REC_ARRIVE, t, from,
                    conn != TL_NO_CONN ? conn_at (b, conn)->index : TL_NO_CONN);
          r->stmt = s->stmt;
          r->u.seg.id = id;
          r->u.seg.seq = s->seq;
          r->u.seg.delay_us = (guint32) CLAMP (s->delay_us, 0, G_MAXUINT32);
          r->u.seg.len = s->len;
          r->u.seg.flags = s->flags;
          r->u.seg.fate = k == 0 ? s->fate : s->arrive_fate;
        }
      /* The header fields its records share, once per segment. */
      if (s->fate != TL_FATE_DUPLICATE)
        {
          TlTraceSegment *shared = tl_trace_segment_mut (b->trace, id);

          shared->ack = s->ack;
          tl_trace_set_segment_peer (b->trace, id, s->peer_addr);
          shared->win = s->win;
          shared->mss = s->mss;
          shared->src_port = s->sport;
          shared->dst_port = s->dport;
        }
    }
}

static void
pend_apps (Build *b)
{
  for (guint i = 0; i < b->log->apps->len; i++)
    {
      const TlRealAppEv *a = &g_array_index (b->log->apps, TlRealAppEv, i);
      guint32 conn = a->lport == 0 && a->rport == 0 ? TL_NO_CONN
                     : find_conn (b, a->host, a->lport, a->raddr, a->rport, a->t);
      TlRecord *r = pend (b, TL_REC_APP, a->t, a->host,
                          conn != TL_NO_CONN ? conn_at (b, conn)->index : TL_NO_CONN);

      r->stmt = a->stmt;
      r->u.app.call = a->call;
      r->u.app.error = a->error;
      r->u.app.value = a->value;
    }
}

TlTrace *
tl_real_build_trace (const TlScenario *scenario,
                     const TlRealLog  *log)
{
  const char *names[2] = { scenario->hosts[0].name, scenario->hosts[1].name };
  guint32 addrs[2] = { scenario->hosts[0].addr, scenario->hosts[1].addr };
  g_autoptr(GArray) listeners = g_array_new (FALSE, FALSE, sizeof (guint));   /* in order */
  TlTrace *trace = tl_trace_new (names, addrs);
  Build *b = build_new (scenario, log);
  guint32 ordinal[2] = { 0, 0 };
  GArray *order;
  gint64 last;

  advance (b, G_MAXINT64);
  b->trace = trace;
  b->pending = tl_trace_collector_new ();
  b->calls = index_new ();
  for (guint i = 0; i < log->apps->len; i++)
    {
      const TlRealAppEv *a = &g_array_index (log->apps, TlRealAppEv, i);

      if (a->call == TL_CALL_ABORT || a->call == TL_CALL_SHUTDOWN)
        index_add (b->calls, key_of (a->host, a->lport, a->raddr, a->rport), i);
    }
  order = b->order;

  /* Numbered in the order they were made (HOST#N), listeners aside. */
  for (guint i = 0; i < order->len; i++)
    {
      conn_at (b, g_array_index (order, guint, i))->index = i;
      if (conn_at (b, g_array_index (order, guint, i))->listener)
        g_array_append_val (listeners, g_array_index (order, guint, i));
    }
  pend_segments (b);
  for (guint i = 0; i < order->len; i++)
    {
      Conn *c = conn_at (b, g_array_index (order, guint, i));
      TlTraceConn tc = { 0 };
      guint32 raddr = c->raddr;

      tc.host = c->host;
      tc.listener = c->listener;
      tc.ordinal = c->listener ? 0 : ++ordinal[c->host];
      tc.local_addr = scenario->hosts[c->host].addr;
      tc.remote_addr = raddr;
      tc.local_port = c->lport;
      tc.remote_port = c->rport;
      tc.iss = c->iss;
      tc.irs = c->irs;
      tc.parent = TL_NO_CONN;
      tc.created_us = MAX (c->created, 0);
      if (!c->listener)
        for (guint j = 0; j < listeners->len; j++)
          {
            const Conn *l = conn_at (b, g_array_index (listeners, guint, j));

            if (l->listener && l->host == c->host && l->lport == c->lport && l->created <= c->created)
              tc.parent = l->index;
          }
      tl_trace_add_conn (trace, &tc);
    }
  pend_states (b);
  pend_apps (b);
  for (guint i = 0; i < log->others->len; i++)
    {
      const TlRecord *o = &g_array_index (log->others, TlRecord, i);
      const char *t = g_ptr_array_index (log->texts, i);
      TlRecord *r = pend (b, o->kind, o->time_us, o->host, TL_NO_CONN);

      r->stmt = o->stmt;
      r->u = o->u;
      if (t != NULL)
        {
          const char *sep = strchr (t, '\x1f');
          g_autofree char *locale = g_strndup (t, sep - t);

          r->u.text.text = tl_trace_add_text (trace, *locale != '\0' ? locale : NULL, sep + 1);
        }
    }
  last = tl_trace_collector_flush (b->pending, trace, NULL, 0, 0);
  {
    TlRecord *r = tl_trace_append (trace, TL_REC_END, MAX (last, log->end_us));

    r->u.end.reason = TL_END_STATEMENT;
  }
  tl_trace_seal (trace);
  tl_real_conns_free (b);
  return trace;
}

static guint64
connect_key (guint   host,
             guint32 raddr,
             guint16 rport)
{
  return (guint64) host << 48 | (guint64) raddr << 16 | rport;
}

static gboolean
is_connect_state (const TlRealStateEv *e)
{
  return e->to == TL_STATE_SYN_SENT && e->from == TL_STATE_CLOSED;
}

/* The port of a connect()'s first change, told before the port was chosen
 * (lport 0): the same socket's next change with a port, when the
 * tracepoint told it; back to CLOSE without one means the connect() found
 * none (EADDRNOTAVAIL): it stays 0, no connection (on_state leaves it
 * out).  tcp_v4_connect sets SYN_SENT before inet_hash_connect looks for a
 * port.  Else the port of the program's connect() to that end whose turn
 * it is: the nth, n the changes of this kind with a port before it. */
static void
settle_port (TlRealLog *log,
             guint      i,
             guint      nth)
{
  TlRealStateEv *e = &g_array_index (log->states, TlRealStateEv, i);
  GArray *ports;

  for (guint j = i + 1; e->sk != 0 && j < log->states->len; j++)
    {
      const TlRealStateEv *o = &g_array_index (log->states, TlRealStateEv, j);

      if (o->sk == e->sk && o->lport != 0)
        {
          e->lport = o->lport;
          return;
        }
      if (o->sk == e->sk && o->to == TL_STATE_CLOSED)
        return;
    }
  ports = g_hash_table_lookup (log->connects, &(guint64) { connect_key (e->host, e->raddr, e->rport) });
  if (ports != NULL && nth < ports->len)
    e->lport = g_array_index (ports, guint16, nth);
}

static int
state_ev_time_cmp_data (gconstpointer a,
                        gconstpointer b,
                        gpointer      data)
{
  return state_ev_time_cmp (a, b);
}

/* What settle has not read yet, from its last call on: the changes since
 * in time order (all of them again, if one came before a settled one),
 * each connect()'s with its port. */
void
tl_real_log_settle (TlRealLog *log)
{
  guint from = log->settled;
  TlRealStateEv *ev;

  for (; log->apps_settled < log->apps->len; log->apps_settled++)
    {
      const TlRealAppEv *a = &g_array_index (log->apps, TlRealAppEv, log->apps_settled);
      guint64 k = connect_key (a->host, a->raddr, a->rport);
      GArray *ports;

      if (a->call != TL_CALL_CONNECT || a->lport == 0)
        continue;
      ports = g_hash_table_lookup (log->connects, &k);
      if (ports == NULL)
        {
          ports = g_array_new (FALSE, FALSE, sizeof (guint16));
          g_hash_table_insert (log->connects, key_new (k), ports);
        }
      g_array_append_val (ports, a->lport);
    }
  if (from == log->states->len)
    return;
  ev = (TlRealStateEv *) (void *) log->states->data;
  g_qsort_with_data (ev + from, (gint) (log->states->len - from), sizeof *ev, state_ev_time_cmp_data, NULL);
  if (from > 0 && ev[from].t < ev[from - 1].t)
    {
      /* A change read late, before one already settled: all again. */
      g_array_sort (log->states, state_ev_time_cmp);
      g_hash_table_remove_all (log->connect_states);
      log->generation++;
      from = 0;
    }
  for (guint i = from; i < log->states->len; i++)
    {
      TlRealStateEv *e = &g_array_index (log->states, TlRealStateEv, i);
      guint64 k = connect_key (e->host, e->raddr, e->rport);
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (log->connect_states, &k));

      if (!is_connect_state (e))
        continue;
      if (e->lport == 0)
        settle_port (log, i, n);
      if (e->lport != 0)
        g_hash_table_insert (log->connect_states, key_new (k), GUINT_TO_POINTER (n + 1));
    }
  log->settled = log->states->len;
}

void
tl_real_log_init (TlRealLog *log)
{
  memset (log, 0, sizeof *log);
  log->states = g_array_new (FALSE, FALSE, sizeof (TlRealStateEv));
  log->polls = g_array_new (FALSE, FALSE, sizeof (TlRealPollEv));
  log->marks = g_array_new (FALSE, FALSE, sizeof (TlRealPollMark));
  log->segs = g_array_new (FALSE, FALSE, sizeof (TlRealSeg));
  log->apps = g_array_new (FALSE, FALSE, sizeof (TlRealAppEv));
  log->others = g_array_new (FALSE, FALSE, sizeof (TlRecord));
  log->texts = g_ptr_array_new_with_free_func (g_free);
  log->complete_us = G_MAXINT64;
  log->connects = index_new ();
  log->connect_states = g_hash_table_new_full (key_hash, g_int64_equal, g_free, NULL);
}

void
tl_real_log_clear (TlRealLog *log)
{
  g_clear_pointer (&log->states, g_array_unref);
  g_clear_pointer (&log->polls, g_array_unref);
  g_clear_pointer (&log->marks, g_array_unref);
  g_clear_pointer (&log->segs, g_array_unref);
  g_clear_pointer (&log->apps, g_array_unref);
  g_clear_pointer (&log->others, g_array_unref);
  g_clear_pointer (&log->texts, g_ptr_array_unref);
  g_clear_pointer (&log->connects, g_hash_table_unref);
  g_clear_pointer (&log->connect_states, g_hash_table_unref);
}
