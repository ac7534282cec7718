/* tl-import.c: a capture to a trace, each end's states inferred.
 *
 * Four passes over the capture's segments:
 * 1. group them into connections by 4-tuple (a new SYN on a tuple whose
 *    connection ended, or with another initial sequence number, starts a
 *    new connection), and count connections per pair of addresses;
 * 2. choose the two hosts, and estimate the one-way delay from the capture
 *    point to each from the handshakes: SYN to SYN,ACK is the way to the
 *    server and back, SYN,ACK to ACK the way to the client and back;
 * 3. give each segment a send time at its sender and an arrival time at its
 *    receiver (an ACK sent cannot precede the arrival of what it
 *    acknowledges), and mark retransmissions, and the originals that no ACK
 *    covered before the retransmission as lost;
 * 4. replay each end: its own segments at their send times, its peer's at
 *    their arrival times, by RFC 9293 section 3.10; a state in which the end
 *    sent nothing is marked inferred.
 * The records are collected with a running order, sorted by time and
 * appended to a trace through its public API.
 */
#include "tl-config.h"

#include "tl-import-private.h"

#include <glib/gi18n.h>
#include <string.h>

#define SEQ_LT(a, b)  ((gint32) ((a) - (b)) < 0)
#define SEQ_LEQ(a, b) ((gint32) ((a) - (b)) <= 0)

/* Both hosts this close to the capture point: times taken as captured. */
#define CLOSE_US 200

/* ------------------------------------------------------------ 1. grouping */

typedef struct
{
  TlAddr  a, b;
  guint16 pa, pb;
} TupleKey;

static guint
key_hash (gconstpointer p)
{
  const TupleKey *k = p;
  const guint8 *b = (const guint8 *) k;
  guint h = 5381;

  for (gsize i = 0; i < sizeof *k; i++)
    h = h * 33 + b[i];
  return h;
}

static gboolean
key_equal (gconstpointer a,
           gconstpointer b)
{
  return memcmp (a, b, sizeof (TupleKey)) == 0;
}

static int
addr_port_cmp (const TlAddr *a,
               guint16       pa,
               const TlAddr *b,
               guint16       pb)
{
  int c = memcmp (a, b, sizeof *a);

  return c != 0 ? c : (pa > pb) - (pa < pb);
}

/* The key of a packet's tuple, the same both ways.  Zeroed first: it is
 * hashed and compared as bytes. */
static void
tuple_key (const TlPacket *p,
           TupleKey       *k,
           gboolean        pair_only)
{
  guint16 sp = pair_only ? 0 : p->src_port, dp = pair_only ? 0 : p->dst_port;

  memset (k, 0, sizeof *k);
  if (addr_port_cmp (&p->src, sp, &p->dst, dp) <= 0)
    {
      k->a = p->src, k->pa = sp, k->b = p->dst, k->pb = dp;
    }
  else
    {
      k->a = p->dst, k->pa = dp, k->b = p->src, k->pb = sp;
    }
}

static guint32
seg_end (const TlPacket *p)
{
  return p->seq + p->len + ((p->flags & TL_FLAG_SYN) ? 1 : 0) + ((p->flags & TL_FLAG_FIN) ? 1 : 0);
}

static gboolean
takes_seq (const TlPacket *p)
{
  return p->len > 0 || (p->flags & (TL_FLAG_SYN | TL_FLAG_FIN)) != 0;
}

static void
conn_clear (gpointer data)
{
  TlImportConn *c = data;

  g_clear_pointer (&c->segs, g_array_unref);
}

/* Which side of c sent p: 0 (c->addr[0], c->port[0]) or 1. */
static guint
side_of (const TlImportConn *c,
         const TlPacket     *p)
{
  return tl_addr_equal (&p->src, &c->addr[0]) && p->src_port == c->port[0] ? 0 : 1;
}

static void
group (TlImport *import)
{
  const GArray *packets = import->capture->packets;
  g_autoptr(GHashTable) tuples = g_hash_table_new_full (key_hash, key_equal, g_free, NULL);

  for (guint i = 0; i < packets->len; i++)
    {
      const TlPacket *p = &g_array_index (packets, TlPacket, i);
      TupleKey k;
      gpointer value;
      TlImportConn *c = NULL;
      guint ci = G_MAXUINT;
      guint side;
      gboolean pure_syn = (p->flags & (TL_FLAG_SYN | TL_FLAG_ACK)) == TL_FLAG_SYN;
      TlImportSeg s = { 0 };

      tuple_key (p, &k, FALSE);
      if (g_hash_table_lookup_extended (tuples, &k, NULL, &value))
        {
          ci = GPOINTER_TO_UINT (value);
          c = &g_array_index (import->conns, TlImportConn, ci);
          side = side_of (c, p);
          /* RFC 9293 section 3.10.7.4: a SYN on an ended connection (or
           * one with a new ISN) opens a new incarnation of the tuple. */
          if (pure_syn && (c->ended || (c->has_syn[side] && c->syn_seq[side] != p->seq)
                           || c->has_syn[1 - side]))
            c = NULL;
        }
      if (c == NULL)
        {
          TlImportConn fresh = { 0 };
          guint prev = ci;

          fresh.addr[0] = p->src;
          fresh.port[0] = p->src_port;
          fresh.addr[1] = p->dst;
          fresh.port[1] = p->dst_port;
          fresh.segs = g_array_new (FALSE, FALSE, sizeof (guint32));
          fresh.prev = prev;
          fresh.next = G_MAXUINT;
          fresh.first_pkt = i;
          ci = import->conns->len;
          g_array_append_val (import->conns, fresh);
          if (prev != G_MAXUINT)
            g_array_index (import->conns, TlImportConn, prev).next = ci;
          g_hash_table_replace (tuples, g_memdup2 (&k, sizeof k), GUINT_TO_POINTER (ci));
          c = &g_array_index (import->conns, TlImportConn, ci);
        }
      side = side_of (c, p);
      if (pure_syn && !c->has_syn[side])
        {
          c->has_syn[side] = TRUE;
          c->syn_seq[side] = p->seq;
        }
      if (p->flags & TL_FLAG_FIN)
        c->fin[side] = TRUE;
      if ((p->flags & TL_FLAG_RST) || (c->fin[0] && c->fin[1]))
        c->ended = TRUE;
      if (!(p->flags & TL_FLAG_SYN) || (p->flags & TL_FLAG_ACK))
        c->sent_more[side] = TRUE;

      s.pkt = i;
      s.conn = ci;
      s.side = side;
      g_array_append_val (c->segs, import->segs->len);
      g_array_append_val (import->segs, s);
    }
}

/* ------------------------------------------------------ 2. hosts, delays */

/* A pair's weight: its connections that both ends spoke on, then all its
 * connections, then its segments (a flood's pairs have one SYN each). */
typedef struct
{
  guint two_way;
  guint conns;
  guint segments;
} PairScore;

static gboolean
score_better (const PairScore *a,
              const PairScore *b)
{
  if (a->two_way != b->two_way)
    return a->two_way > b->two_way;
  if (a->conns != b->conns)
    return a->conns > b->conns;
  return a->segments > b->segments;
}

static PairScore *
pair_score (GHashTable         *pairs,
            const TlImportConn *c)
{
  TlPacket p = { 0 };
  TupleKey k;
  PairScore *score;

  p.src = c->addr[0];
  p.dst = c->addr[1];
  tuple_key (&p, &k, TRUE);
  score = g_hash_table_lookup (pairs, &k);
  if (score == NULL)
    {
      score = g_new0 (PairScore, 1);
      g_hash_table_insert (pairs, g_memdup2 (&k, sizeof k), score);
    }
  return score;
}

/* The pair with the best score; ties go to the pair seen first. */
static gboolean
choose_hosts (TlImport *import,
              GError  **error)
{
  g_autoptr(GHashTable) pairs = g_hash_table_new_full (key_hash, key_equal, g_free, g_free);
  PairScore best = { 0, 0, 0 };

  for (guint i = 0; i < import->conns->len; i++)
    {
      const TlImportConn *c = &g_array_index (import->conns, TlImportConn, i);
      PairScore *score;
      gboolean spoke[2] = { FALSE, FALSE };

      if (tl_addr_equal (&c->addr[0], &c->addr[1]))
        continue;
      score = pair_score (pairs, c);
      for (guint j = 0; j < c->segs->len; j++)
        spoke[g_array_index (import->segs, TlImportSeg,
                             g_array_index (c->segs, guint32, j)).side] = TRUE;
      score->two_way += spoke[0] && spoke[1];
      score->conns++;
      score->segments += c->segs->len;
    }
  for (guint i = 0; i < import->conns->len; i++)
    {
      const TlImportConn *c = &g_array_index (import->conns, TlImportConn, i);
      const PairScore *score;

      if (tl_addr_equal (&c->addr[0], &c->addr[1]))
        continue;
      score = pair_score (pairs, c);
      if (score_better (score, &best))
        {
          best = *score;
          import->hosts[0] = c->addr[0];
          import->hosts[1] = c->addr[1];
        }
    }
  if (best.conns == 0)
    {
      g_set_error (error, TL_CAPTURE_ERROR, TL_CAPTURE_ERROR_NO_TCP,
                   _("it holds no TCP connection between two hosts"));
      return FALSE;
    }
  return TRUE;
}

/* Host 0 is the one that sent the first SYN between the two (the client). */
static void
order_hosts (TlImport *import)
{
  for (guint i = 0; i < import->conns->len; i++)
    {
      const TlImportConn *c = &g_array_index (import->conns, TlImportConn, i);

      for (guint s = 0; s < 2; s++)
        if (c->has_syn[s] && tl_addr_equal (&c->addr[s], &import->hosts[1])
            && tl_addr_equal (&c->addr[1 - s], &import->hosts[0]))
          {
            TlAddr t = import->hosts[0];

            import->hosts[0] = import->hosts[1];
            import->hosts[1] = t;
            return;
          }
        else if (c->has_syn[s] && tl_addr_equal (&c->addr[s], &import->hosts[0])
                 && tl_addr_equal (&c->addr[1 - s], &import->hosts[1]))
          return;
    }
}

static int
host_of (const TlImport *import,
         const TlAddr   *addr)
{
  for (int h = 0; h < 2; h++)
    if (tl_addr_equal (addr, &import->hosts[h]))
      return h;
  return -1;
}

/* Which host each side of each connection is, and which connections the
 * trace shows: between the two hosts, or SYNs from elsewhere to one of them
 * that never went further (a flood, IPv4 or IPv6). */
static void
classify (TlImport *import)
{
  for (guint i = 0; i < import->conns->len; i++)
    {
      TlImportConn *c = &g_array_index (import->conns, TlImportConn, i);
      int h0 = host_of (import, &c->addr[0]);
      int h1 = host_of (import, &c->addr[1]);

      c->shown = FALSE;
      if (h0 >= 0 && h1 >= 0 && h0 != h1)
        {
          c->host[0] = h0;
          c->host[1] = h1;
          c->shown = TRUE;
          import->n_conns++;
        }
      else if ((h0 >= 0) != (h1 >= 0))
        {
          guint third = h0 >= 0 ? 1 : 0;
          int h = h0 >= 0 ? h0 : h1;

          if (c->has_syn[third] && !c->sent_more[third])
            {
              c->host[1 - third] = h;
              c->host[third] = 1 - h;
              c->third[third] = TRUE;
              c->shown = TRUE;
              import->n_half_open++;
            }
        }
      if (!c->shown)
        import->n_left_out++;
    }
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static gint64
median (GArray *values)
{
  if (values->len == 0)
    return 0;
  g_array_sort (values, compare_gint64);
  return g_array_index (values, gint64, values->len / 2);
}

static const TlPacket *
packet (const TlImport *import,
        const TlImportSeg      *s)
{
  return &g_array_index (import->capture->packets, TlPacket, s->pkt);
}

static TlImportSeg *
conn_seg (TlImport           *import,
          const TlImportConn *c,
          guint               i)
{
  return &g_array_index (import->segs, TlImportSeg, g_array_index (c->segs, guint32, i));
}

/* Without a handshake, the round trip of a SYN answered by a RST (a refused
 * connect), halved: the one-way delay a lesson's link needs (the capture
 * point stays unknown).  The median over such connections, 0 if none. */
static gint64
refused_path_us (TlImport *import)
{
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < import->conns->len; i++)
    {
      TlImportConn *c = &g_array_index (import->conns, TlImportConn, i);
      const TlPacket *syn, *reply;
      const TlImportSeg *s0, *s1;

      if (!c->shown || c->third[0] || c->third[1] || c->segs->len < 2)
        continue;
      s0 = conn_seg (import, c, 0);
      s1 = conn_seg (import, c, 1);
      syn = packet (import, s0);
      reply = packet (import, s1);
      if ((syn->flags & (TL_FLAG_SYN | TL_FLAG_ACK | TL_FLAG_RST)) == TL_FLAG_SYN
          && s1->side != s0->side && (reply->flags & TL_FLAG_RST) != 0
          && reply->time_us >= syn->time_us)
        {
          gint64 half = (reply->time_us - syn->time_us) / 2;

          g_array_append_val (samples, half);
        }
    }
  return median (samples);
}

/* From clean handshakes only: the first SYN, one SYN,ACK, the ACK of it,
 * none of them sent twice before the next. */
static void
estimate_delays (TlImport *import)
{
  g_autoptr(GArray) samples0 = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) samples1 = g_array_new (FALSE, FALSE, sizeof (gint64));
  GArray *samples[2] = { samples0, samples1 };

  for (guint i = 0; i < import->conns->len; i++)
    {
      TlImportConn *c = &g_array_index (import->conns, TlImportConn, i);
      const TlPacket *syn = NULL, *synack = NULL, *ack = NULL;
      guint client = 0;
      gboolean clean = TRUE;

      if (!c->shown || c->third[0] || c->third[1])
        continue;
      for (guint j = 0; j < c->segs->len && clean && ack == NULL; j++)
        {
          const TlImportSeg *s = conn_seg (import, c, j);
          const TlPacket *p = packet (import, s);
          guint8 f = p->flags & (TL_FLAG_SYN | TL_FLAG_ACK | TL_FLAG_RST);

          if (syn == NULL)
            {
              if (f != TL_FLAG_SYN)
                break;
              syn = p;
              client = s->side;
            }
          else if (synack == NULL)
            {
              if (s->side == client)
                clean = FALSE;
              else if (f == (TL_FLAG_SYN | TL_FLAG_ACK) && p->ack == syn->seq + 1)
                synack = p;
              else
                clean = FALSE;
            }
          else if (s->side == 1 - client)
            clean = FALSE;
          else if (f == TL_FLAG_ACK && p->ack == synack->seq + 1)
            ack = p;
          else
            clean = FALSE;
        }
      if (ack == NULL || !clean)
        continue;
      import->n_handshakes++;
      {
        gint64 to_server = (synack->time_us - syn->time_us) / 2;
        gint64 to_client = (ack->time_us - synack->time_us) / 2;

        g_array_append_val (samples[c->host[1 - client]], to_server);
        g_array_append_val (samples[c->host[client]], to_client);
      }
    }
  for (guint h = 0; h < 2; h++)
    import->delay_us[h] = median (samples[h]);
  import->path_us = import->delay_us[0] + import->delay_us[1];
  if (import->n_handshakes == 0)
    import->path_us = refused_path_us (import);

  if (import->n_handshakes == 0)
    import->point = TL_CAPTURE_POINT_UNKNOWN;
  else if (import->delay_us[0] <= CLOSE_US && import->delay_us[1] <= CLOSE_US)
    {
      import->point = TL_CAPTURE_POINT_CLOSE;
      import->delay_us[0] = import->delay_us[1] = 0;
    }
  else if (import->delay_us[0] * 10 <= import->delay_us[1])
    import->point = TL_CAPTURE_POINT_HOST0;
  else if (import->delay_us[1] * 10 <= import->delay_us[0])
    import->point = TL_CAPTURE_POINT_HOST1;
  else
    import->point = TL_CAPTURE_POINT_MIDDLE;
}

/* ------------------------------------------------- 3. times, retransmissions */

static void
time_segments (TlImport *import)
{
  gint64 base = MAX (import->delay_us[0], import->delay_us[1]);

  import->base_us = base;
  for (guint i = 0; i < import->segs->len; i++)
    {
      TlImportSeg *s = &g_array_index (import->segs, TlImportSeg, i);
      const TlImportConn *c = &g_array_index (import->conns, TlImportConn, s->conn);
      const TlPacket *p = packet (import, s);

      if (!c->shown)
        continue;
      s->send_us = base + p->time_us - import->delay_us[c->host[s->side]];
      s->arrive_us = base + p->time_us + import->delay_us[c->host[1 - s->side]];
      s->fate = c->third[1 - s->side] ? TL_FATE_DISCARDED : TL_FATE_DELIVERED;
    }
}

/* An ACK sent cannot precede the arrival of what it acknowledges: the
 * delays are medians, and one connection's may be shorter. */
static void
order_causes (TlImport     *import,
              TlImportConn *c,
              guint         side)
{
  g_autoptr(GArray) queue = g_array_new (FALSE, FALSE, sizeof (guint32));
  guint head = 0;

  for (guint j = 0; j < c->segs->len; j++)
    {
      guint32 si = g_array_index (c->segs, guint32, j);
      TlImportSeg *s = &g_array_index (import->segs, TlImportSeg, si);
      const TlPacket *p = packet (import, s);

      if (s->side != side)
        {
          if (takes_seq (p) && s->fate == TL_FATE_DELIVERED)
            g_array_append_val (queue, si);
          continue;
        }
      if (!(p->flags & TL_FLAG_ACK))
        continue;
      while (head < queue->len)
        {
          TlImportSeg *q = &g_array_index (import->segs, TlImportSeg, g_array_index (queue, guint32, head));

          if (!SEQ_LEQ (seg_end (packet (import, q)), p->ack))
            break;
          q->arrive_us = MIN (q->arrive_us, s->send_us);
          q->send_us = MIN (q->send_us, q->arrive_us);
          head++;
        }
    }
}

/* A segment whose sequence space was all sent before is a retransmission;
 * the copy before it is lost if nothing the receiver sent acknowledged it
 * in between (unless the capture is at the receiver, which saw it arrive). */
static void
mark_retransmissions (TlImport     *import,
                      TlImportConn *c)
{
  guint32 snd_max[2] = { 0, 0 }, max_ack[2] = { 0, 0 };
  gboolean have_max[2] = { FALSE, FALSE }, have_ack[2] = { FALSE, FALSE };

  for (guint j = 0; j < c->segs->len; j++)
    {
      TlImportSeg *s = conn_seg (import, c, j);
      const TlPacket *p = packet (import, s);
      guint d = s->side;

      if (p->flags & TL_FLAG_ACK)
        {
          if (!have_ack[d] || SEQ_LT (max_ack[d], p->ack))
            max_ack[d] = p->ack;
          have_ack[d] = TRUE;
        }
      if (!takes_seq (p) || (p->flags & TL_FLAG_RST))
        continue;
      if (have_max[d] && SEQ_LEQ (seg_end (p), snd_max[d]))
        {
          gboolean at_receiver = (import->point == TL_CAPTURE_POINT_HOST0 && c->host[1 - d] == 0)
                                 || (import->point == TL_CAPTURE_POINT_HOST1 && c->host[1 - d] == 1);

          s->retrans = TRUE;
          import->n_retransmitted++;
          /* the previous copy of the same sequence number */
          for (guint k = j; k-- > 0 && j - k <= 256; )
            {
              TlImportSeg *o = conn_seg (import, c, k);
              const TlPacket *op = packet (import, o);

              if (o->side != d || op->seq != p->seq || !takes_seq (op))
                continue;
              s->prev = g_array_index (c->segs, guint32, k) + 1;
              if (o->fate == TL_FATE_DELIVERED && !at_receiver
                  && (!have_ack[1 - d] || SEQ_LT (max_ack[1 - d], seg_end (op))))
                {
                  o->fate = TL_FATE_LOST_RANDOM;
                  import->n_lost++;
                }
              break;
            }
          continue;
        }
      if (!have_max[d] || SEQ_LT (snd_max[d], seg_end (p)))
        snd_max[d] = seg_end (p);
      have_max[d] = TRUE;
    }
}

/* ------------------------------------------------------ 4. the ends replayed */

/* Records at one time are ordered by the segment that caused them
 * (import->cause: its place in the capture, its sending before its
 * arrival), then as made. */
static guint
pend (TlImport       *import,
      const TlRecord *r)
{
  return tl_trace_collector_add (import->pending, r, import->cause);
}

static TlRecord
rec_new (TlRecordKind kind,
         gint64       time_us,
         guint        host,
         guint32      end)
{
  TlRecord r;

  memset (&r, 0, sizeof r);
  r.kind = kind;
  r.time_us = time_us;
  r.host = host;
  r.conn = end;
  return r;
}

static guint32
end_new (TlImport *import,
         guint     host,
         gboolean  listener)
{
  TlImportEnd e = { 0 };

  e.host = host;
  e.listener = listener;
  e.parent = TL_NO_CONN;
  e.changes = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_array_append_val (import->ends, e);
  return import->ends->len - 1;
}

static TlImportEnd *
end_get (TlImport *import,
         guint32   end)
{
  return &g_array_index (import->ends, TlImportEnd, end);
}

static void
change (TlImport *import,
        guint32   end,
        gint64    time_us,
        TlState   to,
        TlCause   cause,
        guint8    flags)
{
  TlImportEnd *e = end_get (import, end);
  TlRecord r = rec_new (TL_REC_STATE, time_us, e->host, end);
  guint32 index;

  if (!e->exists)
    {
      e->exists = TRUE;
      e->created_us = time_us;
    }
  r.u.state.from = e->state;
  r.u.state.to = to;
  r.u.state.cause = cause;
  r.u.state.flags = flags;
  e->state = to;
  index = pend (import, &r);
  g_array_append_val (e->changes, index);
}

static void
app (TlImport *import,
     guint32   end,
     gint64    time_us,
     TlCall    call,
     guint64   value,
     TlError   error)
{
  TlRecord r = rec_new (TL_REC_APP, time_us, end_get (import, end)->host, end);

  r.u.app.call = call;
  r.u.app.value = value;
  r.u.app.error = error;
  pend (import, &r);
}

static void
timer (TlImport      *import,
       guint32        end,
       gint64         time_us,
       TlTimerKind    kind,
       TlTimerAction  action,
       gint64         deadline_us,
       guint          attempt)
{
  TlRecord r = rec_new (TL_REC_TIMER, time_us, end_get (import, end)->host, end);

  r.u.timer.timer = kind;
  r.u.timer.action = action;
  r.u.timer.deadline_us = deadline_us;
  r.u.timer.attempt = MIN (attempt, G_MAXUINT16);
  pend (import, &r);
}

static guint32
listener_for (TlImport *import,
              guint     host,
              guint16   port)
{
  guint key = host << 16 | port;
  gpointer value;
  guint32 end;
  guint64 cause;
  gint64 t = 0;

  if (g_hash_table_lookup_extended (import->listeners, GUINT_TO_POINTER (key), NULL, &value))
    return GPOINTER_TO_UINT (value);
  end = end_new (import, host, TRUE);
  end_get (import, end)->local_port = port;
  cause = import->cause;
  import->cause = 0;
  app (import, end, t, TL_CALL_LISTEN, port, TL_ERR_NONE);
  /* listen() came before the capture: when, it cannot tell */
  change (import, end, t, TL_STATE_LISTEN, TL_CAUSE_APP_LISTEN, TL_STATE_FLAG_INFERRED);
  import->cause = cause;
  g_hash_table_insert (import->listeners, GUINT_TO_POINTER (key), GUINT_TO_POINTER (end));
  return end;
}

/* A segment sent, or arrived: both records name the sender's connection. */
static void
record_segment (TlImport           *import,
                const TlImportConn *c,
                const TlImportSeg  *s,
                TlRecordKind        kind)
{
  const TlPacket *p = packet (import, s);
  TlRecord r = rec_new (kind, kind == TL_REC_SEGMENT ? s->send_us : s->arrive_us,
                        c->host[s->side], c->end[s->side]);

  TlTraceSegment *shared;
  guint32 id = s - (const TlImportSeg *) import->segs->data;

  r.u.seg.id = id;
  r.u.seg.seq = p->seq;
  r.u.seg.len = MIN (p->len, G_MAXUINT16);
  r.u.seg.flags = p->flags;
  r.u.seg.fate = kind == TL_REC_SEGMENT ? s->fate : TL_FATE_DELIVERED;
  if (s->fate == TL_FATE_DELIVERED || s->fate == TL_FATE_DISCARDED)
    r.u.seg.delay_us = (guint32) CLAMP (s->arrive_us - s->send_us, 0, G_MAXUINT32);
  else  /* lost past the capture point, half way to the receiver */
    r.u.seg.delay_us = (guint32) CLAMP ((s->arrive_us - s->send_us) / 2, 0, G_MAXUINT32);
  /* what its records share, by id, for the trace's segment table */
  if (id >= import->shared->len)
    {
      g_array_set_size (import->shared, id + 1);
      g_array_set_size (import->peers, id + 1);
    }
  shared = &g_array_index (import->shared, TlTraceSegment, id);
  shared->ack = p->ack;
  shared->win = p->win;
  shared->mss = p->mss;
  shared->src_port = p->src_port;
  shared->dst_port = p->dst_port;
  for (guint side = 0; side < 2; side++)
    if (c->third[side])
      /* the trace's number of an IPv6 one is given in build_trace */
      g_array_index (import->peers, guint32, id) = c->addr[side].v6 ? 1 : tl_addr_ipv4 (&c->addr[side]);
  import->n_segments += kind == TL_REC_SEGMENT;
  pend (import, &r);
}

typedef struct
{
  gint64  time_us;
  guint32 seg;
  gboolean own;
} Event;

static int
compare_event (gconstpointer a,
               gconstpointer b)
{
  const Event *x = a, *y = b;

  if (x->time_us != y->time_us)
    return x->time_us < y->time_us ? -1 : 1;
  return (x->seg > y->seg) - (x->seg < y->seg);
}

static gboolean
synchronized (TlState s)
{
  return s == TL_STATE_ESTABLISHED || s == TL_STATE_FIN_WAIT_1 || s == TL_STATE_FIN_WAIT_2
         || s == TL_STATE_CLOSE_WAIT || s == TL_STATE_CLOSING || s == TL_STATE_LAST_ACK;
}

static void
enter_time_wait (TlImport *import,
                 guint32   end,
                 gint64    t,
                 TlCause   cause)
{
  change (import, end, t, TL_STATE_TIME_WAIT, cause, 0);
  end_get (import, end)->time_wait_us = t;
  timer (import, end, t, TL_TIMER_TIME_WAIT, TL_TIMER_ARMED, t + TL_IMPORT_TIME_WAIT_US, 0);
}

/* What an end does with a segment it sent. */
static void
own_segment (TlImport           *import,
             const TlImportConn *c,
             guint32             end,
             const TlImportSeg          *s,
             const TlPacket     *p)
{
  TlImportEnd *e = end_get (import, end);
  gint64 t = s->send_us;
  guint8 f = p->flags;

  if ((f & (TL_FLAG_SYN | TL_FLAG_ACK)) == TL_FLAG_SYN && e->state == TL_STATE_CLOSED)
    {
      e->iss = p->seq;
      e->active = TRUE;
      app (import, end, t, TL_CALL_CONNECT, p->dst_port, TL_ERR_NONE);
      change (import, end, t, TL_STATE_SYN_SENT, TL_CAUSE_APP_CONNECT, 0);
    }
  else if ((f & (TL_FLAG_SYN | TL_FLAG_ACK)) == (TL_FLAG_SYN | TL_FLAG_ACK))
    {
      e->iss = p->seq;
      if (e->state == TL_STATE_CLOSED && !e->cookie)
        {
          /* its SYN arrived unseen (lost, or before the capture) */
          guint32 listener = listener_for (import, e->host, p->src_port);

          e = end_get (import, end);    /* the table may have moved */
          e->irs = p->ack - 1;
          e->parent = listener;
          e->state = TL_STATE_LISTEN;
          change (import, end, t, TL_STATE_SYN_RCVD, TL_CAUSE_RCV_SYN, 0);
        }
    }
  else if (e->state == TL_STATE_CLOSED && !e->exists && !(f & TL_FLAG_RST))
    {
      /* joined: the handshake was before the capture */
      e->iss = p->seq - 1;
      e->irs = p->ack - 1;
      change (import, end, t, TL_STATE_ESTABLISHED, TL_CAUSE_RCV_ACK, TL_STATE_FLAG_JOINED);
      e->joined = TRUE;
    }

  if (f & TL_FLAG_RST)
    {
      if (e->state != TL_STATE_CLOSED && e->state != TL_STATE_TIME_WAIT
          && e->state != TL_STATE_LISTEN)
        {
          app (import, end, t, TL_CALL_ABORT, 0, TL_ERR_NONE);
          change (import, end, t, TL_STATE_CLOSED, TL_CAUSE_APP_ABORT, 0);
        }
    }
  else if ((f & TL_FLAG_FIN) && !e->fin_sent)
    {
      e->fin_sent = TRUE;
      e->fin_seq = p->seq + p->len;
      if (p->len > 0)
        app (import, end, t, TL_CALL_SEND, p->len, TL_ERR_NONE);
      switch ((TlState) e->state)
        {
        case TL_STATE_ESTABLISHED:
        case TL_STATE_SYN_RCVD:
          app (import, end, t, TL_CALL_CLOSE, 0, TL_ERR_NONE);
          change (import, end, t, TL_STATE_FIN_WAIT_1, TL_CAUSE_APP_CLOSE, 0);
          break;
        case TL_STATE_CLOSE_WAIT:
          app (import, end, t, TL_CALL_CLOSE, 0, TL_ERR_NONE);
          change (import, end, t, TL_STATE_LAST_ACK, TL_CAUSE_APP_CLOSE, 0);
          break;
        case TL_STATE_CLOSED:
        case TL_STATE_LISTEN:
        case TL_STATE_SYN_SENT:
        case TL_STATE_FIN_WAIT_1:
        case TL_STATE_FIN_WAIT_2:
        case TL_STATE_CLOSING:
        case TL_STATE_LAST_ACK:
        case TL_STATE_TIME_WAIT:
          break;
        }
    }
  else if (p->len > 0 && !s->retrans)
    app (import, end, t, TL_CALL_SEND, p->len, TL_ERR_NONE);

  /* A retransmission: the timer of the copy before it fired now. */
  if (s->retrans && s->prev != 0)
    {
      const TlImportSeg *o = &g_array_index (import->segs, TlImportSeg, s->prev - 1);
      TlTimerKind kind = (f & TL_FLAG_SYN) && (f & TL_FLAG_ACK) ? TL_TIMER_SYNACK
                                                                   : TL_TIMER_RETRANSMIT;

      e->attempt++;
      timer (import, end, o->send_us, kind, TL_TIMER_ARMED, t, e->attempt - 1);
      timer (import, end, t, kind, TL_TIMER_FIRED, t, e->attempt);
    }
  record_segment (import, c, s, TL_REC_SEGMENT);
}

/* What an end does with a segment that arrived (RFC 9293 section 3.10.7). */
static void
peer_segment (TlImport           *import,
              const TlImportConn *c,
              guint32             end,
              const TlImportSeg          *s,
              const TlPacket     *p)
{
  TlImportEnd *e = end_get (import, end);
  gint64 t = s->arrive_us;
  guint8 f = p->flags;

  if (e->state == TL_STATE_CLOSED && e->exists && !(f & TL_FLAG_SYN))
    return;                      /* after the end: a stray segment */

  if ((f & (TL_FLAG_SYN | TL_FLAG_ACK)) == TL_FLAG_SYN && !(f & TL_FLAG_RST))
    {
      e->irs = p->seq;
      if (e->state == TL_STATE_CLOSED && !e->exists)
        {
          /* A SYN to a port: a listener made this connection, if the end
           * answers with SYN,ACK; an RST means no listener (refused).  A
           * cookie's makes it only at the ACK (cookie_while_full). */
          if (c->answered[1 - s->side] && !e->cookie)
            {
              guint32 listener = listener_for (import, e->host, p->dst_port);

              e = end_get (import, end);    /* the table may have moved */
              e->parent = listener;
              e->state = TL_STATE_LISTEN;
              change (import, end, t, TL_STATE_SYN_RCVD, TL_CAUSE_RCV_SYN, 0);
            }
        }
      else if (e->state == TL_STATE_SYN_SENT)
        change (import, end, t, TL_STATE_SYN_RCVD, TL_CAUSE_RCV_SYN, 0);
      return;
    }
  if ((f & (TL_FLAG_SYN | TL_FLAG_ACK)) == (TL_FLAG_SYN | TL_FLAG_ACK) && !(f & TL_FLAG_RST))
    {
      e->irs = p->seq;
      if (e->state == TL_STATE_CLOSED && !e->exists)
        {
          /* its SYN went before the capture */
          e->iss = p->ack - 1;
          e->active = TRUE;
          change (import, end, t, TL_STATE_SYN_SENT, TL_CAUSE_APP_CONNECT,
                  TL_STATE_FLAG_JOINED | TL_STATE_FLAG_INFERRED);
        }
      if (e->state == TL_STATE_SYN_SENT)
        {
          change (import, end, t, TL_STATE_ESTABLISHED, TL_CAUSE_RCV_SYN_ACK, 0);
          app (import, end, t, TL_CALL_CONNECTED, p->src_port, TL_ERR_NONE);
        }
      else if (e->state == TL_STATE_SYN_RCVD)
        change (import, end, t, TL_STATE_ESTABLISHED, TL_CAUSE_RCV_SYN_ACK, 0);
      return;
    }
  if (f & TL_FLAG_RST)
    {
      if (e->state == TL_STATE_SYN_SENT)
        {
          change (import, end, t, TL_STATE_CLOSED, TL_CAUSE_RCV_RST, 0);
          app (import, end, t, TL_CALL_ERROR, 0, TL_ERR_ECONNREFUSED);
        }
      else if (e->state == TL_STATE_SYN_RCVD)
        change (import, end, t, TL_STATE_CLOSED, TL_CAUSE_RCV_RST, 0);
      else if (synchronized (e->state))
        {
          change (import, end, t, TL_STATE_CLOSED, TL_CAUSE_RCV_RST, 0);
          app (import, end, t, TL_CALL_ERROR, 0, TL_ERR_ECONNRESET);
        }
      else if (e->state == TL_STATE_TIME_WAIT)
        {
          /* Linux lets an RST end TIME_WAIT (tcp_rfc1337 is 0) */
          timer (import, end, t, TL_TIMER_TIME_WAIT, TL_TIMER_CANCELLED, 0, 0);
          change (import, end, t, TL_STATE_CLOSED, TL_CAUSE_RCV_RST, 0);
          e->time_wait_us = -1;
        }
      return;
    }

  if (e->state == TL_STATE_CLOSED && !e->exists && e->cookie && (f & TL_FLAG_ACK))
    {
      /* the ACK of a cookie: Linux makes the connection from the listener
       * now, in SYN_RCVD, and it is ESTABLISHED at once */
      guint32 listener = listener_for (import, e->host, p->dst_port);

      e = end_get (import, end);    /* the table may have moved */
      e->parent = listener;
      e->state = TL_STATE_LISTEN;
      e->cookie = FALSE;
      change (import, end, t, TL_STATE_SYN_RCVD, TL_CAUSE_RCV_ACK, 0);
      change (import, end, t, TL_STATE_ESTABLISHED, TL_CAUSE_RCV_ACK, 0);
      app (import, end, t, TL_CALL_ACCEPTED, p->dst_port, TL_ERR_NONE);
    }
  else if (e->state == TL_STATE_CLOSED && !e->exists)
    {
      /* joined: the handshake was before the capture */
      e->iss = p->ack - 1;
      e->irs = p->seq - 1;
      e->joined = TRUE;
      change (import, end, t, TL_STATE_ESTABLISHED, TL_CAUSE_RCV_ACK, TL_STATE_FLAG_JOINED);
    }

  if (f & TL_FLAG_ACK)
    {
      gboolean fin_acked = e->fin_sent && SEQ_LEQ (e->fin_seq + 1, p->ack);

      if (e->state == TL_STATE_SYN_RCVD && SEQ_LEQ (e->iss + 1, p->ack))
        {
          change (import, end, t, TL_STATE_ESTABLISHED, TL_CAUSE_RCV_ACK, 0);
          if (!e->active)
            app (import, end, t, TL_CALL_ACCEPTED, p->dst_port, TL_ERR_NONE);
        }
      else if (e->state == TL_STATE_FIN_WAIT_1 && fin_acked)
        change (import, end, t, TL_STATE_FIN_WAIT_2, TL_CAUSE_RCV_ACK, 0);
      else if (e->state == TL_STATE_CLOSING && fin_acked)
        enter_time_wait (import, end, t, TL_CAUSE_RCV_ACK);
      else if (e->state == TL_STATE_LAST_ACK && fin_acked)
        change (import, end, t, TL_STATE_CLOSED, TL_CAUSE_RCV_ACK, 0);
    }
  if (p->len > 0 && !s->retrans)
    app (import, end, t, TL_CALL_RECEIVED, p->len, TL_ERR_NONE);
  if ((f & TL_FLAG_FIN) && !e->fin_rcvd)
    {
      e->fin_rcvd = TRUE;
      switch ((TlState) e->state)
        {
        case TL_STATE_SYN_RCVD:
        case TL_STATE_ESTABLISHED:
          change (import, end, t, TL_STATE_CLOSE_WAIT, TL_CAUSE_RCV_FIN, 0);
          app (import, end, t, TL_CALL_EOF, 0, TL_ERR_NONE);
          break;
        case TL_STATE_FIN_WAIT_1:
          change (import, end, t, TL_STATE_CLOSING, TL_CAUSE_RCV_FIN, 0);
          app (import, end, t, TL_CALL_EOF, 0, TL_ERR_NONE);
          break;
        case TL_STATE_FIN_WAIT_2:
          enter_time_wait (import, end, t, TL_CAUSE_RCV_FIN);
          app (import, end, t, TL_CALL_EOF, 0, TL_ERR_NONE);
          break;
        case TL_STATE_CLOSED:
        case TL_STATE_LISTEN:
        case TL_STATE_SYN_SENT:
        case TL_STATE_CLOSE_WAIT:
        case TL_STATE_CLOSING:
        case TL_STATE_LAST_ACK:
        case TL_STATE_TIME_WAIT:
          e->fin_rcvd = FALSE;    /* not accepted here: a retransmission may be */
          break;
        }
    }
}

/* The first moment a connection of the same tuple touches this host. */
static gint64
next_incarnation_us (TlImport           *import,
                     const TlImportConn *c,
                     guint               side)
{
  const TlImportConn *n;
  const TlImportSeg *s;

  if (c->next == G_MAXUINT)
    return G_MAXINT64;
  n = &g_array_index (import->conns, TlImportConn, c->next);
  if (n->segs->len == 0 || !n->shown)
    return G_MAXINT64;
  s = conn_seg (import, n, 0);
  return s->side == side ? s->send_us : s->arrive_us;
}

static void
replay_end (TlImport     *import,
            TlImportConn *c,
            guint         side)
{
  g_autoptr(GArray) events = g_array_new (FALSE, FALSE, sizeof (Event));
  guint32 end = c->end[side];
  TlImportEnd *e;

  for (guint j = 0; j < c->segs->len; j++)
    {
      guint32 si = g_array_index (c->segs, guint32, j);
      const TlImportSeg *s = &g_array_index (import->segs, TlImportSeg, si);
      Event ev = { s->side == side ? s->send_us : s->arrive_us, si, s->side == side };

      if (!ev.own && s->fate != TL_FATE_DELIVERED)
        continue;
      g_array_append_val (events, ev);
    }
  g_array_sort (events, compare_event);

  for (guint j = 0; j < events->len; j++)
    {
      const Event *ev = &g_array_index (events, Event, j);
      const TlImportSeg *s = &g_array_index (import->segs, TlImportSeg, ev->seg);
      const TlPacket *p = packet (import, s);

      import->cause = ((guint64) s->pkt + 1) * 2 + (ev->own ? 0 : 1);
      if (ev->own)
        own_segment (import, c, end, s, p);
      else
        {
          record_segment (import, c, s, TL_REC_ARRIVE);
          peer_segment (import, c, end, s, p);
        }
    }

  /* TIME_WAIT lasts 2*MSL, unless the tuple is used again sooner. */
  import->cause = G_MAXUINT64;
  e = end_get (import, end);
  if (e->state == TL_STATE_TIME_WAIT)
    {
      gint64 done = e->time_wait_us + TL_IMPORT_TIME_WAIT_US;
      gint64 reuse = next_incarnation_us (import, c, side);

      if (reuse < done)
        {
          timer (import, end, reuse, TL_TIMER_TIME_WAIT, TL_TIMER_CANCELLED, 0, 0);
          change (import, end, reuse, TL_STATE_CLOSED, TL_CAUSE_RCV_SYN, 0);
        }
      else
        {
          timer (import, end, done, TL_TIMER_TIME_WAIT, TL_TIMER_FIRED, done, 0);
          change (import, end, done, TL_STATE_CLOSED, TL_CAUSE_TIME_WAIT_DONE, 0);
        }
    }
}

/* A state in which the end sent nothing is inferred from the peer's
 * segments alone.  own: the end's send times, ascending. */
static void
mark_inferred (TlImport *import,
               TlImportEnd      *e,
               GArray   *own)
{
  guint k = 0;

  for (guint i = 0; i < e->changes->len; i++)
    {
      gint64 from = tl_trace_collector_get (import->pending,
                                            g_array_index (e->changes, guint32, i))->time_us;
      gint64 until = i + 1 < e->changes->len
                     ? tl_trace_collector_get (import->pending,
                                               g_array_index (e->changes, guint32, i + 1))->time_us
                     : G_MAXINT64;
      gboolean sent = FALSE;

      while (k < own->len && g_array_index (own, gint64, k) < from)
        k++;
      for (guint m = k; m < own->len && g_array_index (own, gint64, m) < until; m++)
        {
          sent = TRUE;
          break;
        }
      /* a state entered at the moment the end sent a segment counts as
       * confirmed, and so does an empty interval */
      if (!sent && until > from)
        tl_trace_collector_get (import->pending, g_array_index (e->changes, guint32, i))->u.state.flags
          |= TL_STATE_FLAG_INFERRED;
    }
}

/* The first SYN side sent on c, or NULL (a connection joined midway). */
static const TlImportSeg *
first_syn (const TlImport     *import,
           const TlImportConn *c,
           guint               side)
{
  for (guint j = 0; j < c->segs->len; j++)
    {
      const TlImportSeg *s = conn_seg ((TlImport *) import, c, j);

      if (s->side == side && (packet (import, s)->flags & TL_FLAG_SYN))
        return s;
    }
  return NULL;
}

/* Linux answers a SYN with a cookie while the listener's request queue is
 * full (tcp_conn_request): once it answered an earlier SYN with one, until
 * a request it kept leaves the queue (its handshake completes, or an RST
 * ends it; requests that time out, after tcp_synack_retries, are not
 * followed).  A cookie keeps no state: the connection is made when its
 * ACK comes back (cookie_v4_check), if it does.  syn-flood.pcap: the
 * client's SYN after the flood's cookies, its handshake completed. */
static gboolean syn_cookie (TlImport *import, const TlImportConn *c, guint side);

static gboolean
cookie_while_full (TlImport           *import,
                   const TlImportConn *c,
                   guint               side)
{
  const TlImportSeg *syn = first_syn (import, c, 1 - side);
  gint64 cookie_us = -1, freed_us = -1;

  if (!c->answered[side] || syn == NULL || (packet (import, syn)->flags & TL_FLAG_ACK))
    return FALSE;
  for (guint i = 0; i < import->conns->len; i++)
    {
      const TlImportConn *d = &g_array_index (import->conns, TlImportConn, i);
      const TlImportSeg *dsyn;
      guint x;

      if (d == c)
        break;
      if (!d->shown)
        continue;
      for (x = 0; x < 2; x++)
        if (!d->third[x] && d->answered[x] && d->port[x] == c->port[side]
            && tl_addr_equal (&d->addr[x], &c->addr[side]))
          break;
      if (x == 2 || (dsyn = first_syn (import, d, 1 - x)) == NULL
          || dsyn->arrive_us >= syn->arrive_us)
        continue;
      if (syn_cookie (import, d, x))
        cookie_us = MAX (cookie_us, dsyn->arrive_us);
      else
        for (guint j = 0; j < d->segs->len; j++)
          {
            const TlImportSeg *s = conn_seg (import, d, j);

            /* the request leaves the queue at its ACK or an RST */
            if (s->side == 1 - x && !(packet (import, s)->flags & TL_FLAG_SYN))
              {
                if (s->arrive_us < syn->arrive_us)
                  freed_us = MAX (freed_us, s->arrive_us);
                break;
              }
          }
    }
  return cookie_us >= 0 && freed_us < cookie_us;
}

/* Linux answers a SYN with a SYN cookie when its SYN queue is full
 * (tcp_syncookies 1): it keeps no state, so it never retransmits that
 * SYN,ACK.  A lone SYN,ACK to a peer that said nothing more, with the
 * capture going on past the first retransmission's time (TCP_TIMEOUT_INIT,
 * 1 s, and a margin), was a cookie. */
#define SYNACK_RETRANSMIT_US (G_GINT64_CONSTANT (1200) * TL_USEC_PER_MSEC)

static gboolean
syn_cookie (TlImport           *import,
            const TlImportConn *c,
            guint               side)
{
  const TlPacket *synack = NULL;

  if (!c->answered[side] || c->sent_more[1 - side])
    return FALSE;
  for (guint j = 0; j < c->segs->len; j++)
    {
      const TlImportSeg *s = conn_seg (import, c, j);
      const TlPacket *p = packet (import, s);

      if (s->side != side)
        continue;
      if (synack != NULL || (p->flags & (TL_FLAG_SYN | TL_FLAG_ACK | TL_FLAG_RST))
                            != (TL_FLAG_SYN | TL_FLAG_ACK))
        return FALSE;
      synack = p;
    }
  return synack != NULL && import->capture_end_us - synack->time_us >= SYNACK_RETRANSMIT_US;
}

static void
replay (TlImport *import)
{
  for (guint i = 0; i < import->conns->len; i++)
    {
      TlImportConn *c = &g_array_index (import->conns, TlImportConn, i);

      c->end[0] = c->end[1] = TL_NO_CONN;
      if (!c->shown)
        continue;
      for (guint side = 0; side < 2; side++)
        for (guint j = 0; j < c->segs->len; j++)
          {
            const TlImportSeg *s = conn_seg (import, c, j);

            if (s->side == side && (packet (import, s)->flags & (TL_FLAG_SYN | TL_FLAG_ACK))
                                   == (TL_FLAG_SYN | TL_FLAG_ACK))
              {
                c->answered[side] = TRUE;
                break;
              }
          }
      for (guint side = 0; side < 2; side++)
        if (!c->third[side])
          c->end[side] = end_new (import, c->host[side], FALSE);
      for (guint side = 0; side < 2; side++)
        {
          g_autoptr(GArray) own = g_array_new (FALSE, FALSE, sizeof (gint64));

          if (c->third[side])
            {
              /* nobody there to replay: the segments alone */
              for (guint j = 0; j < c->segs->len; j++)
                {
                  const TlImportSeg *s = conn_seg (import, c, j);

                  if (s->side != side)
                    continue;
                  import->cause = ((guint64) s->pkt + 1) * 2;
                  record_segment (import, c, s, TL_REC_SEGMENT);
                }
              continue;
            }
          if (syn_cookie (import, c, side))
            {
              /* no state kept: the segments alone */
              import->n_cookies++;
              for (guint j = 0; j < c->segs->len; j++)
                {
                  const TlImportSeg *s = conn_seg (import, c, j);

                  import->cause = ((guint64) s->pkt + 1) * 2;
                  if (s->side == side)
                    record_segment (import, c, s, TL_REC_SEGMENT);
                  else if (s->fate == TL_FATE_DELIVERED)
                    record_segment (import, c, s, TL_REC_ARRIVE);
                }
              continue;
            }
          end_get (import, c->end[side])->cookie = cookie_while_full (import, c, side);
          replay_end (import, c, side);
          for (guint j = 0; j < c->segs->len; j++)
            {
              const TlImportSeg *s = conn_seg (import, c, j);

              if (s->side == side)
                g_array_append_val (own, s->send_us);
            }
          g_array_sort (own, compare_gint64);
          mark_inferred (import, end_get (import, c->end[side]), own);
          if (end_get (import, c->end[side])->joined)
            import->n_joined++;
        }
    }
}

/* ------------------------------------------------------------- the trace */

static int
compare_end_creation (gconstpointer a,
                      gconstpointer b,
                      gpointer      data)
{
  const TlImportEnd *ends = data;
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;

  if (ends[x].listener != ends[y].listener)
    return ends[x].listener ? -1 : 1;
  if (ends[x].created_us != ends[y].created_us)
    return ends[x].created_us < ends[y].created_us ? -1 : 1;
  return (x > y) - (x < y);
}

/* addr as the trace holds it: IPv4 itself, or its number in an IPv6 trace. */
static guint32
trace_addr (TlImport     *import,
            const TlAddr *addr)
{
  if (tl_trace_is_v6 (import->trace))
    return addr->v6 ? tl_trace_add_addr6 (import->trace, addr->bytes) : 0;
  return tl_addr_ipv4 (addr);
}

static void
build_trace (TlImport *import)
{
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autofree guint32 *conn_of = g_new (guint32, import->ends->len + 1);
  const char *names[2] = { "client", "server" };
  guint32 addrs[2];
  guint ordinal[2] = { 0, 0 };
  g_autofree char *about = tl_import_describe (import);
  gint64 last;
  TlRecord *r;

  /* An IPv6 capture makes an IPv6 trace: its addresses are numbers of the
   * trace's address table (tl-trace.h), the hosts 1 and 2. */
  if (import->hosts[0].v6)
    {
      guint8 bytes[2][16];

      memcpy (bytes[0], import->hosts[0].bytes, 16);
      memcpy (bytes[1], import->hosts[1].bytes, 16);
      import->trace = tl_trace_new_v6 (names, (const guint8 (*)[16]) bytes);
    }
  else
    import->trace = tl_trace_new (names, (const guint32[2]) { tl_addr_ipv4 (&import->hosts[0]),
                                                              tl_addr_ipv4 (&import->hosts[1]) });
  addrs[0] = tl_trace_host_addr (import->trace, 0);
  addrs[1] = tl_trace_host_addr (import->trace, 1);

  /* Connections in order of creation, as the simulator makes them. */
  for (guint32 i = 0; i < import->ends->len; i++)
    {
      conn_of[i] = TL_NO_CONN;
      if (end_get (import, i)->exists)
        g_array_append_val (order, i);
    }
  g_array_sort_with_data (order, compare_end_creation, import->ends->data);
  for (guint i = 0; i < order->len; i++)
    {
      guint32 ei = g_array_index (order, guint32, i);
      const TlImportEnd *e = end_get (import, ei);
      TlTraceConn tc = { 0 };

      tc.host = e->host;
      tc.listener = e->listener;
      tc.ordinal = e->listener ? 0 : ++ordinal[e->host];
      tc.local_addr = addrs[e->host];
      tc.local_port = e->local_port;
      tc.remote_addr = trace_addr (import, &e->remote_addr);
      tc.remote_port = e->remote_port;
      tc.iss = e->iss;
      tc.irs = e->irs;
      tc.parent = e->parent != TL_NO_CONN ? conn_of[e->parent] : TL_NO_CONN;
      tc.created_us = e->created_us;
      tc.opt_offer = e->opt_offer;
      tc.opt_agreed = e->opt_agreed;
      tc.wscale = e->wscale;
      tc.ts_off = e->ts_off;
      conn_of[ei] = tl_trace_add_conn (import->trace, &tc);
    }

  for (guint32 id = 0; id < import->shared->len; id++)
    {
      TlTraceSegment *sh = tl_trace_segment_mut (import->trace, id);
      guint32 peer = g_array_index (import->peers, guint32, id);

      *sh = g_array_index (import->shared, TlTraceSegment, id);
      /* a flood's address: only now has the trace its table */
      if (peer != 0 && id < import->segs->len)
        {
          const TlImportSeg *seg = &g_array_index (import->segs, TlImportSeg, id);
          const TlImportConn *c = &g_array_index (import->conns, TlImportConn, seg->conn);

          peer = trace_addr (import, &c->addr[c->third[0] ? 0 : 1]);
        }
      tl_trace_set_segment_peer (import->trace, id, peer);
      if (id < import->segs->len)
        {
          const TlPacket *p = packet (import, &g_array_index (import->segs, TlImportSeg, id));

          if (p->opts & TL_OPT_TS)
            tl_trace_set_tsecr (import->trace, id, p->tsecr);
        }
    }
  r = tl_trace_append (import->trace, TL_REC_SAY, 0);
  r->u.text.text = tl_trace_add_text (import->trace, NULL, about);
  /* sorted by time, none before the narration at 0 (a stamp gone wild
   * could have put one there) */
  last = tl_trace_collector_flush (import->pending, import->trace, conn_of, import->ends->len, 0);
  last = MAX (last, import->base_us + import->capture_end_us);
  r = tl_trace_append (import->trace, TL_REC_END, last);
  r->u.end.reason = TL_END_NOTHING_LEFT;
  tl_trace_seal (import->trace);
}

/* Where each end lives: ports and the peer's address, from its connection;
 * and the options its SYN carried.  RFC 7323 section 2.2 and RFC 2018:
 * window scale and SACK hold only when both SYNs carried them, timestamps
 * too (section 3.2); a connection joined midway shows no SYN, and its
 * windows stay as their fields say. */
static void
fill_ends (TlImport *import)
{
  for (guint i = 0; i < import->conns->len; i++)
    {
      const TlImportConn *c = &g_array_index (import->conns, TlImportConn, i);
      const TlImportSeg *syn[2] = { first_syn (import, c, 0), first_syn (import, c, 1) };
      guint8 agreed = 0;

      if (syn[0] != NULL && syn[1] != NULL)
        agreed = packet (import, syn[0])->opts & packet (import, syn[1])->opts;
      for (guint side = 0; side < 2; side++)
        {
          TlImportEnd *e;

          if (!c->shown || c->third[side] || c->end[side] == TL_NO_CONN)
            continue;
          e = end_get (import, c->end[side]);
          e->local_port = c->port[side];
          e->remote_port = c->port[1 - side];
          e->remote_addr = c->addr[1 - side];
          if (syn[side] != NULL)
            {
              const TlPacket *p = packet (import, syn[side]);

              e->opt_offer = p->opts;
              e->opt_agreed = agreed;
              e->wscale = p->wscale;
              /* TSval counts the sender's milliseconds (RFC 7323 section
               * 5.4): later ones are this offset plus their send times */
              e->ts_off = p->tsval - (guint32) (syn[side]->send_us / TL_USEC_PER_MSEC);
            }
        }
    }
}

TlImport *
tl_import_new (const TlCapture  *capture,
               const TlAddr     *hosts,
               GError          **error)
{
  g_autoptr(TlImport) import = NULL;

  g_return_val_if_fail (capture != NULL && capture->packets->len > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  import = g_new0 (TlImport, 1);
  import->capture = capture;
  import->conns = g_array_new (FALSE, TRUE, sizeof (TlImportConn));
  g_array_set_clear_func (import->conns, conn_clear);
  import->segs = g_array_new (FALSE, TRUE, sizeof (TlImportSeg));
  import->ends = g_array_new (FALSE, TRUE, sizeof (TlImportEnd));
  import->pending = tl_trace_collector_new ();
  import->shared = g_array_new (FALSE, TRUE, sizeof (TlTraceSegment));
  import->peers = g_array_new (FALSE, TRUE, sizeof (guint32));
  import->listeners = g_hash_table_new (g_direct_hash, g_direct_equal);
  import->capture_end_us = g_array_index (capture->packets, TlPacket,
                                          capture->packets->len - 1).time_us;

  group (import);
  if (hosts != NULL)
    {
      import->hosts[0] = hosts[0];
      import->hosts[1] = hosts[1];
    }
  else
    {
      if (!choose_hosts (import, error))
        return NULL;
      order_hosts (import);
    }
  classify (import);
  if (import->n_conns == 0 && import->n_half_open == 0)
    {
      g_autofree char *a = tl_addr_to_string (&import->hosts[0]);
      g_autofree char *b = tl_addr_to_string (&import->hosts[1]);

      g_set_error (error, TL_CAPTURE_ERROR, TL_CAPTURE_ERROR_NO_TCP,
                   _("it holds no TCP connection between %s and %s"), a, b);
      return NULL;
    }
  estimate_delays (import);
  time_segments (import);
  for (guint i = 0; i < import->conns->len; i++)
    {
      TlImportConn *c = &g_array_index (import->conns, TlImportConn, i);

      if (!c->shown)
        continue;
      mark_retransmissions (import, c);
      order_causes (import, c, 0);
      order_causes (import, c, 1);
    }
  replay (import);
  fill_ends (import);
  build_trace (import);
  return g_steal_pointer (&import);
}

void
tl_import_free (TlImport *import)
{
  if (import == NULL)
    return;
  g_clear_pointer (&import->trace, tl_trace_free);
  g_clear_pointer (&import->conns, g_array_unref);
  g_clear_pointer (&import->segs, g_array_unref);
  if (import->ends != NULL)
    for (guint i = 0; i < import->ends->len; i++)
      g_array_unref (end_get (import, i)->changes);
  g_clear_pointer (&import->ends, g_array_unref);
  g_clear_pointer (&import->pending, tl_trace_collector_free);
  g_clear_pointer (&import->shared, g_array_unref);
  g_clear_pointer (&import->peers, g_array_unref);
  g_clear_pointer (&import->listeners, g_hash_table_unref);
  g_free (import);
}

char *
tl_import_describe (const TlImport *import)
{
  g_autofree char *a = tl_addr_to_string (&import->hosts[0]);
  g_autofree char *b = tl_addr_to_string (&import->hosts[1]);
  /* milliseconds with one decimal, as a class reads them (not "10167us") */
  g_autofree char *d0 = g_strdup_printf (_("%.1f ms"), (double) import->delay_us[0] / 1000.0);
  g_autofree char *d1 = g_strdup_printf (_("%.1f ms"), (double) import->delay_us[1] / 1000.0);
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, _("Imported capture: client %s, server %s; connections: %u"),
                          a, b, import->n_conns);
  if (import->n_joined > 0)
    g_string_append_printf (out, _(" (ends joined after the handshake: %u)"), import->n_joined);
  if (import->n_half_open > 0)
    g_string_append_printf (out, _("; SYNs from other addresses: %u"), import->n_half_open);
  if (import->n_cookies > 0)
    g_string_append_printf (out, _(", of them answered with a SYN cookie (no state kept): %u"),
                            import->n_cookies);
  /* TRANSLATORS: ends the first sentence of an imported capture's description */
  g_string_append (out, _(". "));
  switch (import->point)
    {
    case TL_CAPTURE_POINT_UNKNOWN:
      g_string_append (out, _("No complete handshake: where the capture was taken is unknown, "
                               "and times are as captured."));
      break;
    case TL_CAPTURE_POINT_CLOSE:
      g_string_append (out, _("Both hosts were within 0.2 ms of the capture point: times are as "
                               "captured."));
      break;
    case TL_CAPTURE_POINT_HOST0:
    case TL_CAPTURE_POINT_HOST1:
    case TL_CAPTURE_POINT_MIDDLE:
      g_string_append_printf (out,
                              import->point == TL_CAPTURE_POINT_HOST0
                              ? _("Captured at the client: ")
                              : import->point == TL_CAPTURE_POINT_HOST1
                              ? _("Captured at the server: ")
                              : _("Captured between the hosts: "));
      g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE,
                                                "one-way delay %s to the client and %s to the "
                                                "server, measured on %u handshake; the far "
                                                "side's segments are shown as they would have "
                                                "arrived.",
                                                "one-way delay %s to the client and %s to the "
                                                "server, measured on %u handshakes; the far "
                                                "side's segments are shown as they would have "
                                                "arrived.", import->n_handshakes),
                              d0, d1, import->n_handshakes);
      break;
    }
  if (import->n_lost > 0)
    g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE,
                                              " Retransmitted unacknowledged, so shown as lost: "
                                              "%u segment.",
                                              " Retransmitted unacknowledged, so shown as lost: "
                                              "%u segments.", import->n_lost), import->n_lost);
  g_string_append (out, _(" States no segment confirms are marked inferred."));
  return g_string_free (out, FALSE);
}
