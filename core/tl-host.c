/* tl-host.c: a host's sockets.  Connections are found by their 4-tuple in a
 * hash table keyed by one 64-bit integer (the local address is the host's);
 * every socket is also on a list in creation order, which is the order a
 * crash walks, so that no hash-table order reaches the trace.
 *
 * Listeners follow Linux's tcp_conn_request: a request queue (half-open
 * SYN_RCVD), an accept queue holding backlog + 1, SYN cookies when the
 * request queue is full (or always), and no state at all for a cookie until
 * the final ACK comes back. */
#include "tl-sim-private.h"

/* splitmix64's finalizer: a keyed mix for ISNs and cookies. */
static guint64
mix64 (guint64 z)
{
  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

/* Linux secure_tcp_ts_off: an offset per address pair, keyed by a secret
 * drawn at boot (RFC 7323 section 5.4 asks for one per connection). */
static guint32
ts_off_of (const TlHost *host,
           guint32       remote_addr)
{
  return (guint32) mix64 (host->cookie_secret ^ G_GUINT64_CONSTANT (0x74735f6f6666)
                          ^ ((guint64) host->boots << 48) ^ ((guint64) host->addr << 32 | remote_addr));
}

void
tl_host_init (TlHost           *host,
              guint             index,
              guint32           addr,
              const TlSettings *settings,
              guint64           cookie_secret)
{
  *host = (TlHost) {
    .index = index,
    .addr = addr,
    .settings = *settings,
    .conns = g_hash_table_new (g_int64_hash, g_int64_equal),
    .by_conn = g_hash_table_new (NULL, NULL),
    .listeners = g_hash_table_new (NULL, NULL),
    .held_closed = g_hash_table_new (NULL, NULL),
    .metrics = g_hash_table_new (NULL, NULL),
    .port_use = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL),
    .use_first = settings->port_first,
    .use_last = settings->port_last,
    .cookie_secret = cookie_secret,
    .challenge_second = -1,
  };
  g_queue_init (&host->listen_order);
}

void
tl_host_clear (TlHost *host)
{
  g_clear_pointer (&host->conns, g_hash_table_unref);
  g_clear_pointer (&host->by_conn, g_hash_table_unref);
  g_clear_pointer (&host->listeners, g_hash_table_unref);
  g_clear_pointer (&host->held_closed, g_hash_table_unref);
  g_clear_pointer (&host->metrics, g_hash_table_unref);
  g_clear_pointer (&host->port_use, g_hash_table_unref);
  g_queue_init (&host->listen_order);   /* its links live in the sockets */
}

/* How many connections to a remote address and port hold an ephemeral
 * port: when it is the whole range, connect() needs no search to fail. */
static void
count_port_use (TlHost *host,
                TlTcb  *tcb,
                int     delta)
{
  guint64 dest = ((guint64) tcb->remote_addr << 16) | tcb->remote_port;
  gpointer n;

  if (tcb->local_port < host->use_first || tcb->local_port > host->use_last)
    return;
  n = g_hash_table_lookup (host->port_use, &dest);
  if (GPOINTER_TO_UINT (n) + delta == 0)
    g_hash_table_remove (host->port_use, &dest);
  else
    g_hash_table_insert (host->port_use, g_memdup2 (&dest, sizeof dest),
                         GUINT_TO_POINTER (GPOINTER_TO_UINT (n) + delta));
}

TlTcb *
tl_host_new_socket (TlSim   *sim,
                    guint    h,
                    gboolean listener,
                    guint16  local_port,
                    guint32  remote_addr,
                    guint16  remote_port,
                    TlTcb   *parent)
{
  TlHost *host = &sim->hosts[h];
  TlTcb *tcb = tl_sim_alloc_tcb (sim);
  TlTraceConn tc = { 0 };

  tcb->host = h;
  tcb->state = TL_STATE_CLOSED;
  tcb->settings = host->settings;
  tcb->local_addr = host->addr;
  tcb->local_port = local_port;
  tcb->remote_addr = remote_addr;
  tcb->remote_port = remote_port;
  tcb->key = tl_host_key (remote_addr, remote_port, local_port);
  tcb->parent = parent;
  tcb->backlog = host->settings.backlog;
  tcb->rto_us = host->settings.rto_initial_us;
  tcb->snd_mss = (guint16) MIN (host->settings.mss, G_MAXUINT16);
  tcb->last_rcv_us = tl_sim_time (sim);
  tcb->accept_link.data = tcb;
  tcb->ts_off = ts_off_of (host, remote_addr);

  tc.host = h;
  tc.listener = listener;
  tc.ordinal = listener ? 0 : ++host->n_ordinals;
  tc.local_addr = host->addr;
  tc.remote_addr = remote_addr;
  tc.local_port = local_port;
  tc.remote_port = remote_port;
  tc.parent = parent != NULL ? parent->conn : TL_NO_CONN;
  tc.backlog = listener ? host->settings.backlog : 0;
  tc.created_us = tl_sim_time (sim);
  tc.opt_offer = (tl_tcp_wants_sack (&host->settings) ? TL_OPT_SACK_PERM : 0)
                 | (host->settings.timestamps ? TL_OPT_TS : 0)
                 | (host->settings.window_scaling ? TL_OPT_WSCALE : 0);
  tc.wscale = tl_tcp_wscale_of (&host->settings);
  tc.ts_off = tcb->ts_off;
  tcb->conn = tl_trace_add_conn (sim->trace, &tc);

  if (!listener)
    {
      g_hash_table_insert (host->conns, &tcb->key, tcb);
      count_port_use (host, tcb, 1);
    }
  else
    {
      /* app_listen makes none on a port that has one */
      g_assert (!g_hash_table_contains (host->listeners, GUINT_TO_POINTER (local_port)));
      g_hash_table_insert (host->listeners, GUINT_TO_POINTER (local_port), tcb);
      tcb->listen_link.data = tcb;
      g_queue_push_tail_link (&host->listen_order, &tcb->listen_link);
    }
  if (parent != NULL)
    parent->n_children++;
  g_hash_table_insert (host->by_conn, GUINT_TO_POINTER (tcb->conn), tcb);
  tcb->prev = host->last;
  if (host->last != NULL)
    host->last->next = tcb;
  else
    host->first = tcb;
  host->last = tcb;
  return tcb;
}

void
tl_host_free_socket (TlSim *sim,
                     TlTcb *tcb)
{
  TlHost *host = &sim->hosts[tcb->host];
  TlTcb *parent = tcb->parent;

  if (parent != NULL)
    {
      if (tcb->place == TL_CHILD_SYN_QUEUE)
        {
          parent->syn_qlen--;
          if (tcb->synack_timeouts == 0)
            parent->syn_young--;
        }
      else if (tcb->place == TL_CHILD_ACCEPT_QUEUE)
        {
          g_queue_unlink (&parent->accept_queue, &tcb->accept_link);
          tl_tcb_accept_queue_changed (sim, parent);
        }
      parent->n_children--;
    }
  if (g_hash_table_lookup (host->conns, &tcb->key) == tcb)
    {
      g_hash_table_remove (host->conns, &tcb->key);
      count_port_use (host, tcb, -1);
    }
  g_hash_table_remove (host->by_conn, GUINT_TO_POINTER (tcb->conn));
  if (tcb->app_owned && !tcb->orphan && !host->crashed && tcb->listen_link.data == NULL)
    g_hash_table_add (host->held_closed, GUINT_TO_POINTER (tcb->conn));
  if (tcb->listen_link.data != NULL)
    {
      g_hash_table_remove (host->listeners, GUINT_TO_POINTER (tcb->local_port));
      g_queue_unlink (&host->listen_order, &tcb->listen_link);
    }
  /* A listener's children outlive it only for the moment of a crash; the
   * walk is made only when it has any (it was O(n^2) over a run). */
  for (TlTcb *t = host->first; t != NULL && tcb->n_children > 0; t = t->next)
    if (t->parent == tcb)
      {
        t->parent = NULL;
        tcb->n_children--;
      }

  if (tcb->prev != NULL)
    tcb->prev->next = tcb->next;
  else
    host->first = tcb->next;
  if (tcb->next != NULL)
    tcb->next->prev = tcb->prev;
  else
    host->last = tcb->prev;
  tl_sim_release_tcb (sim, tcb);
}

TlTcb *
tl_host_listener (TlHost  *host,
                  guint16  port)
{
  TlTcb *t = port == 0 ? g_queue_peek_head (&host->listen_order)
                       : g_hash_table_lookup (host->listeners, GUINT_TO_POINTER (port));

  host->probes++;
  return t != NULL && t->state == TL_STATE_LISTEN ? t : NULL;
}

TlTcb *
tl_host_by_conn (TlHost  *host,
                 guint32  conn)
{
  return g_hash_table_lookup (host->by_conn, GUINT_TO_POINTER (conn));
}

/* The ephemeral range changed (a timed `set port_range`): port_use counts
 * the connections in the new one.  The counts do not depend on the order
 * the table is walked in. */
static void
recount_port_use (TlHost *host)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_remove_all (host->port_use);
  host->use_first = host->settings.port_first;
  host->use_last = host->settings.port_last;
  g_hash_table_iter_init (&iter, host->conns);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    count_port_use (host, value, 1);
}

/* A free port of the host's port_range (Linux's ip_local_port_range,
 * 32768 to 60999) for a connection to remote_addr:remote_port, or 0 when
 * every one holds a connection there. */
guint16
tl_host_ephemeral_port (TlSim   *sim,
                        guint    h,
                        guint32  remote_addr,
                        guint16  remote_port)
{
  TlHost *host = &sim->hosts[h];
  guint64 dest = ((guint64) remote_addr << 16) | remote_port;
  guint16 port = 0;
  guint first, n;

  if (host->use_first != host->settings.port_first || host->use_last != host->settings.port_last)
    recount_port_use (host);
  first = host->use_first;
  n = (guint) host->use_last - first + 1;
  if (GPOINTER_TO_UINT (g_hash_table_lookup (host->port_use, &dest)) >= n)
    return 0;
  /* Drawn from the seed; when the range is nearly full, the search goes on
   * from the last port drawn, as Linux's __inet_hash_connect walks on from
   * its random offset: a few steps on average, not a scan of the range. */
  for (guint tries = 0; tries < 64; tries++)
    {
      guint64 key;

      port = (guint16) (first + tl_rng_below (&sim->rng, n));
      key = tl_host_key (remote_addr, remote_port, port);
      host->probes++;
      if (!g_hash_table_contains (host->conns, &key))
        return port;
    }
  for (guint i = 1; i < n; i++)
    {
      guint p = first + (port - first + i) % n;
      guint64 key = tl_host_key (remote_addr, remote_port, (guint16) p);

      host->probes++;
      if (!g_hash_table_contains (host->conns, &key))
        return (guint16) p;
    }
  return 0;
}

guint32
tl_host_new_isn (TlSim            *sim,
                 guint             h,
                 const TlSettings *settings,
                 guint64           key)
{
  const TlHost *host = &sim->hosts[h];
  gint64 now = tl_sim_time (sim);
  guint32 clock;

  if (!settings->isn_random)
    return settings->isn;
  /* RFC 9293 section 3.4.1 (RFC 6528): ISN = M + F(4-tuple, secret), M a
   * clock; Linux's secure_tcp_seq ticks every 64 ns, the RFC's every 4 us.
   * So a connection that comes back on the same 4-tuple starts above the
   * old one, which is what lets a TIME_WAIT give way to its SYN. */
  if (settings->profile == TL_PROFILE_LINUX)
    clock = (guint32) ((guint64) now * 1000 / 64);
  else
    clock = (guint32) (now / 4);
  return (guint32) mix64 (host->cookie_secret ^ G_GUINT64_CONSTANT (0x5bd1e995) ^ key) + clock;
}

static guint32
cookie_of (const TlHost *host,
           guint64       key,
           guint32       peer_isn)
{
  /* A keyed mix of the 4-tuple and the peer's ISN: the ISN of a SYN,ACK
   * whose connection the host does not keep.  As Linux's
   * secure_tcp_syn_cookie adds the peer's ISN, an ACK is checked against
   * its own seq - 1: one that does not start right after the SYN (a
   * keepalive probe <SEQ=ISN> after the final ACK was lost) fails and is
   * reset (for a client MSS of 1460, its mssind 3 decodes as 4, outside
   * msstab), instead of making a connection that expects the byte before
   * the data. */
  return (guint32) mix64 ((host->cookie_secret ^ key) + peer_isn * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));
}

static gboolean
accept_queue_full (const TlTcb *listener)
{
  /* Linux sk_acceptq_is_full: ack_backlog > max_ack_backlog. */
  return listener->accept_queue.length > listener->backlog;
}

/* Linux cookie_init_timestamp: with timestamps, a SYN cookie keeps the
 * peer's window scale (0xf: none) and SACK-permitted in the low 6 bits of
 * its TSval, which the final ACK echoes. */
#define COOKIE_TS_BITS      6
#define COOKIE_TS_NO_WSCALE 0xf
#define COOKIE_TS_SACK      0x10

static guint32
cookie_tsval (const TlHost    *host,
              const TlSegment *syn,
              gboolean         sack,
              gint64           now_us)
{
  guint32 now = (guint32) (now_us / TL_USEC_PER_MSEC);
  guint32 ts = (now >> COOKIE_TS_BITS) << COOKIE_TS_BITS;

  ts |= (syn->ws ? MIN (syn->wscale, 14) : COOKIE_TS_NO_WSCALE) | (sack ? COOKIE_TS_SACK : 0);
  if (TL_SEQ_GT (ts, now))
    ts -= 1u << COOKIE_TS_BITS;
  return ts + ts_off_of (host, syn->src_addr);
}

static void
send_cookie_synack (TlSim           *sim,
                    TlTcb           *listener,
                    const TlSegment *syn)
{
  TlHost *host = &sim->hosts[listener->host];
  /* Linux tcp_conn_request: a cookie without timestamps keeps no option
   * but MSS (tcp_clear_options) */
  gboolean ts = listener->settings.timestamps && syn->ts;
  gboolean sack = ts && tl_tcp_wants_sack (&listener->settings) && syn->sack_perm;
  gboolean ws = ts && listener->settings.window_scaling && syn->ws;
  TlSegment synack = {
    .src_addr = host->addr,
    .dst_addr = syn->src_addr,
    .src_port = syn->dst_port,
    .dst_port = syn->src_port,
    .seq = cookie_of (host, tl_host_key (syn->src_addr, syn->src_port, syn->dst_port), syn->seq),
    .ack = syn->seq + 1,
    .win = (guint16) MIN (listener->settings.window, G_MAXUINT16),
    .mss = (guint16) MIN (listener->settings.mss, G_MAXUINT16),
    .flags = TL_FLAG_SYN | TL_FLAG_ACK,
    .conn = TL_NO_CONN,
    .sack_perm = sack,
    .ws = ws,
    .wscale = tl_tcp_wscale_of (&listener->settings),
    .ts = ts,
    .tsval = ts ? cookie_tsval (host, syn, sack, tl_sim_time (sim)) : 0,
    .tsecr = ts ? syn->tsval : 0,
  };

  tl_sim_transmit (sim, listener->host, &synack);
}

void
tl_host_listen_syn (TlSim           *sim,
                    TlTcb           *listener,
                    const TlSegment *seg,
                    guint32          tw_isn)
{
  const TlSettings *s = &sim->hosts[listener->host].settings;
  gboolean full;
  gboolean want_cookie = FALSE;
  TlTcb *child;

  /* Linux: the request queue is full beyond `backlog` requests
   * (inet_csk_reqsk_queue_is_full; the lab shows backlog + 1 of them in
   * SYN_RCVD before cookies start); the RFC profile uses syn_queue. */
  if (s->profile == TL_PROFILE_LINUX)
    full = listener->syn_qlen > listener->backlog;
  else
    full = listener->syn_qlen >= s->syn_queue;

  /* A SYN that a TIME_WAIT gave way to is never answered with a cookie
   * (tcp_conn_request: "&& !isn"). */
  if ((s->syncookies == TL_SYNCOOKIES_ALWAYS || full) && tw_isn == 0)
    {
      if (s->syncookies == TL_SYNCOOKIES_OFF)
        return;
      want_cookie = TRUE;
    }
  if (accept_queue_full (listener))
    return;
  /* Linux without cookies keeps the last quarter of tcp_max_syn_backlog
   * for peers it knows: with 16, the 14th request is dropped. */
  if (!want_cookie && s->profile == TL_PROFILE_LINUX && s->syncookies == TL_SYNCOOKIES_OFF
      && s->syn_queue - MIN (listener->syn_qlen, s->syn_queue) < (s->syn_queue >> 2))
    return;

  if (want_cookie)
    {
      send_cookie_synack (sim, listener, seg);
      return;
    }

  child = tl_host_new_socket (sim, listener->host, FALSE, listener->local_port,
                              seg->src_addr, seg->src_port, listener);
  child->place = TL_CHILD_SYN_QUEUE;
  listener->syn_qlen++;
  listener->syn_young++;
  child->irs = seg->seq;
  child->rcv_nxt = seg->seq + 1;
  child->iss = tw_isn != 0 ? tw_isn : tl_host_new_isn (sim, listener->host, &child->settings, child->key);
  child->snd_una = child->iss;
  child->snd_nxt = child->iss + 1;
  child->data_end = child->iss + 1;
  tl_tcp_take_window (child, seg);
  tl_tcp_negotiate (sim, child, seg);
  child->rtt_pending = TRUE;
  child->rtt_seq = child->iss;
  child->rtt_sent_us = tl_sim_time (sim);
  {
    TlTraceConn *tc = tl_trace_conn_mut (sim->trace, child->conn);

    tc->iss = child->iss;
    tc->irs = child->irs;
  }
  /* Figure 5: LISTEN --rcv SYN / snd SYN,ACK--> SYN_RCVD, for the new
   * connection the listener spawns. */
  child->state = TL_STATE_LISTEN;
  tl_tcb_set_state (sim, child, TL_STATE_SYN_RCVD, TL_CAUSE_RCV_SYN);
  tl_tcp_send_syn (sim, child);
  tl_tcp_timer_arm (sim, child, TL_TIMER_SYNACK, child->settings.rto_initial_us);
}

/* The final ACK of a cookie handshake: the connection starts to exist now. */
static void
listen_ack (TlSim           *sim,
            TlTcb           *listener,
            const TlSegment *seg)
{
  TlHost *host = &sim->hosts[listener->host];
  guint64 key = tl_host_key (seg->src_addr, seg->src_port, seg->dst_port);
  TlTcb *child;

  if (host->settings.syncookies == TL_SYNCOOKIES_OFF
      || (seg->flags & (TL_FLAG_SYN | TL_FLAG_RST | TL_FLAG_FIN)) != 0
      || seg->ack - 1 != cookie_of (host, key, seg->seq - 1))
    {
      tl_tcp_send_reset_reply (sim, listener->host, seg);
      return;
    }
  if (accept_queue_full (listener))
    return;

  child = tl_host_new_socket (sim, listener->host, FALSE, listener->local_port,
                              seg->src_addr, seg->src_port, listener);
  child->place = TL_CHILD_NONE;
  child->iss = seg->ack - 1;
  child->irs = seg->seq - 1;
  child->snd_una = seg->ack;
  child->snd_nxt = seg->ack;
  child->data_end = seg->ack;
  child->rcv_nxt = seg->seq;
  {
    /* Linux cookie_timestamp_decode: the options the SYN had, from the
     * TSecr (without timestamps: none but MSS) */
    guint32 opts = seg->ts ? seg->tsecr - child->ts_off : COOKIE_TS_NO_WSCALE;
    TlSegment syn = {
      .mss = (guint16) MIN (child->settings.mss, G_MAXUINT16),
      .ts = seg->ts,
      .tsval = seg->tsval,
      .sack_perm = seg->ts && (opts & COOKIE_TS_SACK) != 0,
      .ws = seg->ts && (opts & COOKIE_TS_NO_WSCALE) != COOKIE_TS_NO_WSCALE,
      .wscale = opts & COOKIE_TS_NO_WSCALE,
    };

    tl_tcp_negotiate (sim, child, &syn);
  }
  tl_tcp_take_window (child, seg);
  {
    TlTraceConn *tc = tl_trace_conn_mut (sim->trace, child->conn);

    tc->iss = child->iss;
    tc->irs = child->irs;
  }
  /* Not an edge of Figure 5: the SYN_RCVD part happened without state. */
  tl_tcb_set_state (sim, child, TL_STATE_ESTABLISHED, TL_CAUSE_RCV_ACK);
  tl_tcb_established (sim, child);
}

void
tl_host_receive (TlSim           *sim,
                 guint            h,
                 const TlSegment *seg)
{
  TlHost *host = &sim->hosts[h];
  guint64 key = tl_host_key (seg->src_addr, seg->src_port, seg->dst_port);
  TlTcb *tcb = g_hash_table_lookup (host->conns, &key);
  TlTcb *listener;

  if (tcb != NULL)
    {
      tl_tcp_input (sim, tcb, seg);
      return;
    }
  listener = seg->dst_port != 0 ? tl_host_listener (host, seg->dst_port) : NULL;
  if (listener == NULL)
    {
      tl_tcp_send_reset_reply (sim, h, seg);
      return;
    }
  /* RFC 9293 section 3.10.7.2: in LISTEN, ignore a RST, answer an ACK with a
   * RST (unless it is a SYN cookie's), take a SYN. */
  if (seg->flags & TL_FLAG_RST)
    return;
  if (seg->flags & TL_FLAG_ACK)
    {
      listen_ack (sim, listener, seg);
      return;
    }
  if (seg->flags & TL_FLAG_SYN)
    tl_host_listen_syn (sim, listener, seg, 0);
}

TlTcb *
tl_host_accept (TlSim  *sim,
                TlTcb  *listener,
                TlCall  call)
{
  GList *link = g_queue_pop_head_link (&listener->accept_queue);
  TlTcb *child;

  if (link == NULL)
    return NULL;
  child = link->data;
  child->place = TL_CHILD_ACCEPTED;
  child->parent = NULL;
  listener->n_children--;
  tl_tcb_accept_queue_changed (sim, listener);
  child->app_owned = TRUE;
  tl_sim_record_app (sim, child->host, child->conn, call, child->local_port, TL_ERR_NONE);
  /* what arrived before accept() is there to read */
  tl_tcb_deliver_to_app (sim, child);
  return child;
}

void
tl_host_close_listener (TlSim   *sim,
                        TlTcb   *listener,
                        TlCause  cause)
{
  TlHost *host = &sim->hosts[listener->host];
  TlTcb *t = listener->n_children > 0 ? host->first : NULL;

  /* Linux inet_csk_listen_stop: connections waiting in the accept queue
   * are reset.  A half-open request stays in the connection table (seen on
   * the lab: SYN_RCVD until its SYN,ACK timer fires, then gone without a
   * word; a segment that reaches it first finds no socket). */
  while (t != NULL)
    {
      TlTcb *next = t->next;

      if (t->parent == listener && t->place == TL_CHILD_SYN_QUEUE
          && t->settings.profile == TL_PROFILE_LINUX)
        {
          listener->syn_qlen--;
          if (t->synack_timeouts == 0)
            listener->syn_young--;
          t->place = TL_CHILD_NONE;
          t->parent = NULL;
          t->listener_gone = TRUE;
        }
      else if (t->parent == listener)
        {
          if (t->place == TL_CHILD_ACCEPT_QUEUE
              && (t->state == TL_STATE_ESTABLISHED || t->state == TL_STATE_CLOSE_WAIT))
            tl_tcp_send_ctl (sim, t, t->snd_nxt, TL_FLAG_RST | TL_FLAG_ACK);
          tl_tcb_close (sim, t, cause);
        }
      t = next;
    }
  tl_tcb_close (sim, listener, cause);
}

void
tl_host_crash (TlSim *sim,
               guint  h)
{
  TlHost *host = &sim->hosts[h];
  TlRecord *rec;

  rec = tl_sim_record (sim, TL_REC_HOST, h, TL_NO_CONN);
  rec->u.app.call = TL_CALL_CRASH;
  host->crashed = TRUE;
  /* Silent: nothing is sent, every socket is gone (children after their
   * listener, which is why freeing a listener clears their parent), and
   * the application with them. */
  while (host->first != NULL)
    tl_tcb_close (sim, host->first, TL_CAUSE_CRASH);
  g_hash_table_remove_all (host->held_closed);
  g_hash_table_remove_all (host->metrics);
}

void
tl_host_reboot (TlSim *sim,
                guint  h)
{
  TlRecord *rec = tl_sim_record (sim, TL_REC_HOST, h, TL_NO_CONN);

  rec->u.app.call = TL_CALL_REBOOT;
  sim->hosts[h].crashed = FALSE;
  sim->hosts[h].boots++;
}
