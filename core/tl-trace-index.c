/* tl-trace-index.c: "the world at time t", read fast from a sealed trace.
 *
 * tl_trace_seal() replays the whole trace once and keeps:
 * - keyframes: the socket states, running timers, per-state counts and
 *   crashed hosts just before record `start`.  A keyframe is taken once at
 *   least max (TL_KEYFRAME_RECORDS, live sockets + timers) records have
 *   passed since the last one, so the snapshots together hold at most about
 *   as many entries as there are records (memory O(records)), and a query
 *   replays at most that many records: work proportional to its answer.
 *   (Four times fewer keyframes saved 50 MB at 100,000 connections but made
 *   a query four times slower: bench-world's 30,000 live sockets went from
 *   a few ms to 50 ms.)  A snapshot's socket takes 4 bytes, its timer 4 (the
 *   index of the record that armed it): at 100,000 connections the keyframes
 *   went from about 70 MB to 17 MB.  They are kept as deltas in LEB128
 *   varints (a socket: its conn's distance from the one before, and its
 *   state; a timer: its record's distance from the one before): live
 *   connections lie close together, so most entries take a byte or two, and
 *   a query decodes its keyframe's in one pass (tests/perf's 100,000
 *   connections: 17 MB to about 6 MB).
 * - per connection, the records that changed its state, its last error and
 *   its queues (compressed rows: one offsets array, one records array), for
 *   tl_trace_conn_state_at() and friends by binary search;
 * - the segment records, in blocks of SEG_BLOCK: each block's first record
 *   and the distances from one to the next as varints (mostly a byte: at
 *   100,000 connections 0.7 MB, not 2.8 MB of 4-byte indices), and how many
 *   segments of each direction and flags came before it, for
 *   tl_trace_count_segments(): a count is a block's plus a scan of at most
 *   SEG_BLOCK records (a list of every segment by direction and flags took
 *   another 2.8 MB);
 * - the SAY and PAUSE records, for tl_trace_narration_at() and
 *   tl_trace_question_at();
 * - the longest delay of any segment: a segment in flight at t was sent
 *   after t - max_delay, so a binary search on send time bounds the scan.
 *
 * The replay rules, the same at seal time and at query time (one function,
 * apply_record): a STATE record sets its connection's state; a crash
 * (TL_REC_HOST, TL_CALL_CRASH) makes every socket of that host CLOSED; a
 * socket entering CLOSED stops its timers; a timer runs from ARMED to
 * CANCELLED or FIRED.
 */
#include "tl-trace-private.h"

#include <string.h>

#define TL_KEYFRAME_RECORDS 2048

/* A keyframe's socket in 4 bytes (a trace has far fewer than 2^28
 * connections: each costs records, and records are at most 10^7). */
typedef struct
{
  guint32 conn  : 28;
  guint32 state : 4;     /* TlState */
} SnapSocket;

typedef struct
{
  guint    start;                       /* records [0, start) are applied */
  guint    counts[2][TL_N_STATES];
  gboolean crashed[2];
  gsize    sockets_offset;              /* in index->snap_bytes: n_sockets SnapSockets,
                                           sorted by conn, as varints */
  guint    n_sockets;
  guint    n_timers;                    /* after the sockets: the records that armed the
                                           running timers, by conn then kind, as varints */
} Keyframe;

/* Segment records SEG_BLOCK * b and on: the first's record index, where
 * the others' distances start in index->seg_bytes; and what came before
 * them: the counted segments by direction and flags, the highest segment id. */
#define SEG_BLOCK 256

typedef struct
{
  guint32 first_rec;
  guint32 max_seg_id;
  gsize   bytes_offset;
  guint32 counts[2][32];
} SegBlock;

/* Compressed rows: the record indices of row r are recs[offsets[r], offsets[r+1]). */
typedef struct
{
  guint32 *offsets;
  guint32 *recs;
} Rows;

struct _TlTraceIndex
{
  GArray  *keyframes;       /* of Keyframe, by start */
  GByteArray *snap_bytes;   /* the keyframes' sockets and timers, as varints (see
                               take_keyframe); a timer is the TL_REC_TIMER record that armed
                               it, which says all of it */
  Rows     states;          /* per conn: STATE records, and the crashes that closed it */
  Rows     errors;          /* per conn: APP records with an error */
  Rows     queues;          /* per conn: QUEUES records */
  Rows     cwnds;           /* per conn: CWND records */
  guint    n_segments;      /* TL_REC_SEGMENT records */
  GArray  *seg_blocks;      /* of SegBlock: one per SEG_BLOCK of them */
  GByteArray *seg_bytes;    /* the distances from one segment record to the next */
  GArray  *says;            /* of guint32: every TL_REC_SAY record */
  GArray  *pauses;          /* of guint32: every TL_REC_PAUSE record */
  guint32  max_delay_us;
};

typedef struct
{
  gboolean running;
  TlWorldTimer timer;
} TimerSlot;

/* A set of small integers in bits, with a summary bit per word that is not
 * zero: walking it in order costs a word per 4096 numbers plus one per member,
 * so a keyframe reads the live sockets of a million connections sorted, at
 * once, instead of sorting a hash table's keys (seal time). */
typedef struct
{
  guint64 *words;
  guint64 *summary;
  guint    n_words;
  guint    n_members;
} BitSet;

#define BITSET_NONE G_MAXUINT

/* The running timers' arming records, by conn * TL_N_TIMERS + kind: open
 * addressing with linear probing, holding only what runs (a few thousand
 * entries, where a table of every connection's every timer took 5.6 MB at
 * 100,000 connections). */
typedef struct
{
  guint32 *keys;      /* key + 1; 0: empty */
  guint32 *values;
  guint32  mask;      /* capacity - 1, a power of two */
  guint32  n;
} LiveMap;

static void
live_map_init (LiveMap *map)
{
  map->mask = 1023;
  map->n = 0;
  map->keys = g_new0 (guint32, map->mask + 1);
  map->values = g_new (guint32, map->mask + 1);
}

static void
live_map_clear (LiveMap *map)
{
  g_free (map->keys);
  g_free (map->values);
}

static guint32
live_map_slot (const LiveMap *map,
               guint32        key)
{
  guint32 i = (key * 2654435761u) & map->mask;

  while (map->keys[i] != 0 && map->keys[i] != key + 1)
    i = (i + 1) & map->mask;
  return i;
}

static guint32
live_map_get (const LiveMap *map,
              guint32        key)
{
  return map->values[live_map_slot (map, key)];
}

static void live_map_put (LiveMap *map, guint32 key, guint32 value);

static void
live_map_grow (LiveMap *map)
{
  LiveMap bigger = { NULL, NULL, map->mask * 2 + 1, 0 };

  bigger.keys = g_new0 (guint32, bigger.mask + 1);
  bigger.values = g_new (guint32, bigger.mask + 1);
  for (guint32 i = 0; i <= map->mask; i++)
    if (map->keys[i] != 0)
      live_map_put (&bigger, map->keys[i] - 1, map->values[i]);
  live_map_clear (map);
  *map = bigger;
}

static void
live_map_put (LiveMap *map,
              guint32  key,
              guint32  value)
{
  guint32 i;

  if ((map->n + 1) * 2 > map->mask + 1)
    live_map_grow (map);
  i = live_map_slot (map, key);
  if (map->keys[i] == 0)
    map->n++;
  map->keys[i] = key + 1;
  map->values[i] = value;
}

/* Removes key; the entries after it in its run move back (no tombstones). */
static void
live_map_remove (LiveMap *map,
                 guint32  key)
{
  guint32 i = live_map_slot (map, key);
  guint32 j = i;

  if (map->keys[i] == 0)
    return;
  map->n--;
  for (;;)
    {
      guint32 home;

      map->keys[i] = 0;
      do
        {
          j = (j + 1) & map->mask;
          if (map->keys[j] == 0)
            return;
          home = ((map->keys[j] - 1) * 2654435761u) & map->mask;
        }
      /* keep j where it is if its home lies cyclically in (i, j] */
      while (i <= j ? (i < home && home <= j) : (i < home || home <= j));
      map->keys[i] = map->keys[j];
      map->values[i] = map->values[j];
      i = j;
    }
}

/* What the seal-time replay holds, every entry live: flat tables by conn. */
typedef struct
{
  guint8  *states;            /* per conn: TlState (CLOSED: 0) */
  LiveMap  timer_recs;        /* conn * TL_N_TIMERS + kind of a running timer -> its arming record */
  BitSet   live_sockets;      /* conns not CLOSED */
  BitSet   live_timers;       /* conn * TL_N_TIMERS + kind of running timers */
} FlatTables;

/* A replay in progress: at query time the states that differ from a base
 * keyframe (hash tables: a few thousand records); at seal time everything
 * live, in flat tables (the whole trace, millions of records). */
typedef struct
{
  const TlTrace  *trace;
  const Keyframe *base;       /* NULL at seal time: then flat holds everything live */
  SnapSocket     *base_socks; /* the base keyframe's sockets and timers, decoded */
  guint32        *base_timers;
  FlatTables     *flat;       /* at seal time, else NULL */
  GHashTable     *sockets;    /* conn + 1 -> state + 1 (query time) */
  GHashTable     *timers;     /* conn * TL_N_TIMERS + kind + 1 -> TimerSlot (query time) */
  guint           counts[2][TL_N_STATES];
  gboolean        crashed[2];
  GArray         *crash_closes;   /* at seal time: (conn, record) pairs, else NULL */
} Replay;

typedef struct
{
  guint32 conn;
  guint32 rec;
} ConnRec;

#define SOCKET_KEY(conn) GUINT_TO_POINTER ((conn) + 1)
#define TIMER_KEY(conn, kind) GSIZE_TO_POINTER ((gsize) (conn) * TL_N_TIMERS + (kind) + 1)

static void
bitset_init (BitSet *set,
             gsize   n_bits)
{
  set->n_words = (n_bits + 63) / 64;
  set->words = g_new0 (guint64, MAX (set->n_words, 1));
  set->summary = g_new0 (guint64, MAX ((set->n_words + 63) / 64, 1));
  set->n_members = 0;
}

static void
bitset_clear (BitSet *set)
{
  g_free (set->words);
  g_free (set->summary);
}

static void
bitset_add (BitSet *set,
            gsize   i)
{
  guint64 bit = G_GUINT64_CONSTANT (1) << (i % 64);

  if (set->words[i / 64] & bit)
    return;
  set->words[i / 64] |= bit;
  set->summary[i / 4096] |= G_GUINT64_CONSTANT (1) << ((i / 64) % 64);
  set->n_members++;
}

static void
bitset_remove (BitSet *set,
               gsize   i)
{
  guint64 bit = G_GUINT64_CONSTANT (1) << (i % 64);

  if (!(set->words[i / 64] & bit))
    return;
  set->words[i / 64] &= ~bit;
  if (set->words[i / 64] == 0)
    set->summary[i / 4096] &= ~(G_GUINT64_CONSTANT (1) << ((i / 64) % 64));
  set->n_members--;
}

/* The first member at or after `from`, or BITSET_NONE. */
static guint
bitset_next (const BitSet *set,
             guint         from)
{
  guint w = from / 64;
  guint64 bits;

  if (w >= set->n_words)
    return BITSET_NONE;
  bits = set->words[w] & (~G_GUINT64_CONSTANT (0) << (from % 64));
  if (bits != 0)
    return w * 64 + __builtin_ctzll (bits);
  /* the next non-zero word, by the summary */
  w++;
  while (w < set->n_words)
    {
      guint64 sum = set->summary[w / 64] & (~G_GUINT64_CONSTANT (0) << (w % 64));

      if (sum != 0)
        {
          w = (w / 64) * 64 + __builtin_ctzll (sum);
          return w * 64 + __builtin_ctzll (set->words[w]);
        }
      w = (w / 64 + 1) * 64;
    }
  return BITSET_NONE;
}

static FlatTables *
flat_new (guint n_conns)
{
  FlatTables *flat = g_new0 (FlatTables, 1);

  flat->states = g_new0 (guint8, MAX (n_conns, 1));
  live_map_init (&flat->timer_recs);
  bitset_init (&flat->live_sockets, n_conns);
  bitset_init (&flat->live_timers, (gsize) n_conns * TL_N_TIMERS);
  return flat;
}

static void
flat_free (FlatTables *flat)
{
  g_free (flat->states);
  live_map_clear (&flat->timer_recs);
  bitset_clear (&flat->live_sockets);
  bitset_clear (&flat->live_timers);
  g_free (flat);
}

static void
flat_stop_timer (FlatTables *flat,
                 gsize       key)
{
  live_map_remove (&flat->timer_recs, key);
  bitset_remove (&flat->live_timers, key);
}

static void
flat_arm_timer (FlatTables *flat,
                gsize       key,
                guint32     rec)
{
  live_map_put (&flat->timer_recs, key, rec);
  bitset_add (&flat->live_timers, key);
}

/* LEB128: seven bits a byte, low first, the high bit set on all but the last. */
static void
varint_put (GByteArray *bytes,
            guint64     v)
{
  guint8 buf[10];
  guint n = 0;

  do
    {
      buf[n] = v & 0x7f;
      v >>= 7;
      if (v != 0)
        buf[n] |= 0x80;
      n++;
    }
  while (v != 0);
  g_byte_array_append (bytes, buf, n);
}

static guint64
varint_get (const guint8 **p)
{
  guint64 v = 0;
  guint shift = 0;
  guint8 b;

  do
    {
      b = *(*p)++;
      v |= (guint64) (b & 0x7f) << shift;
      shift += 7;
    }
  while (b & 0x80);
  return v;
}

/* A keyframe's sockets and timers, as take_keyframe wrote them (g_free both). */
static void
snap_decode (const TlTraceIndex *index,
             const Keyframe     *kf,
             SnapSocket        **socks,
             guint32           **timers)
{
  const guint8 *p = index->snap_bytes->data + kf->sockets_offset;
  guint conn = 0;
  guint32 rec = kf->start;

  /* never NULL, so that a keyframe without sockets reads as an empty array */
  *socks = g_new (SnapSocket, MAX (kf->n_sockets, 1));
  *timers = g_new (guint32, MAX (kf->n_timers, 1));
  for (guint i = 0; i < kf->n_sockets; i++)
    {
      guint64 v = varint_get (&p);

      conn += (guint) (v >> 4);
      (*socks)[i].conn = conn;
      (*socks)[i].state = v & 15;
    }
  for (guint i = 0; i < kf->n_timers; i++)
    {
      guint64 z = varint_get (&p);

      rec = (guint32) ((gint64) rec + ((z & 1) ? -(gint64) (z >> 1) - 1 : (gint64) (z >> 1)));
      (*timers)[i] = rec;
    }
}

static void
replay_init (Replay         *replay,
             const TlTrace  *trace,
             const Keyframe *base)
{
  memset (replay, 0, sizeof *replay);
  replay->trace = trace;
  replay->base = base;
  if (base == NULL)
    {
      replay->flat = flat_new (trace->conns->len);
      return;
    }
  replay->sockets = g_hash_table_new (g_direct_hash, g_direct_equal);
  replay->timers = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  memcpy (replay->counts, base->counts, sizeof replay->counts);
  memcpy (replay->crashed, base->crashed, sizeof replay->crashed);
  snap_decode (trace->index, base, &replay->base_socks, &replay->base_timers);
}

static void
replay_clear (Replay *replay)
{
  g_clear_pointer (&replay->flat, flat_free);
  g_clear_pointer (&replay->sockets, g_hash_table_unref);
  g_clear_pointer (&replay->timers, g_hash_table_unref);
  g_clear_pointer (&replay->base_socks, g_free);
  g_clear_pointer (&replay->base_timers, g_free);
}

static const SnapSocket *
base_sockets (const Replay *replay)
{
  return replay->base_socks;
}

/* The record that armed the base keyframe's timer i. */
static const TlRecord *
base_timer_record (const Replay *replay,
                   guint         i)
{
  return &g_array_index (replay->trace->records, TlRecord, replay->base_timers[i]);
}

/* A running timer as the record that armed it says. */
static void
timer_from_record (const TlRecord *r,
                   TlWorldTimer   *t)
{
  t->conn = r->conn;
  t->timer = r->u.timer.timer;
  t->attempt = r->u.timer.attempt;
  t->armed_us = r->time_us;
  t->deadline_us = r->u.timer.deadline_us;
}

static TlState
base_state (const Replay *replay,
            guint32       conn)
{
  const SnapSocket *socks;
  guint lo = 0, hi;

  if (replay->base == NULL)
    return TL_STATE_CLOSED;
  socks = base_sockets (replay);
  hi = replay->base->n_sockets;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (socks[mid].conn == conn)
        return socks[mid].state;
      if (socks[mid].conn < conn)
        lo = mid + 1;
      else
        hi = mid;
    }
  return TL_STATE_CLOSED;
}

/* The first of the base keyframe's timers at or after (conn, kind). */
static guint
base_timer_lower_bound (const Replay *replay,
                        guint32       conn,
                        guint         kind)
{
  guint lo = 0, hi = replay->base->n_timers;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      const TlRecord *t = base_timer_record (replay, mid);

      if (t->conn < conn || (t->conn == conn && t->u.timer.timer < kind))
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static TlState
replay_state (const Replay *replay,
              guint32       conn)
{
  gpointer value;

  if (replay->flat != NULL)
    return replay->flat->states[conn];
  value = g_hash_table_lookup (replay->sockets, SOCKET_KEY (conn));

  if (value != NULL)
    return GPOINTER_TO_UINT (value) - 1;
  return base_state (replay, conn);
}

/* Stops conn's timers of the given kind, or all of them (kind TL_N_TIMERS). */
static void
replay_stop_timers (Replay  *replay,
                    guint32  conn,
                    guint    kind)
{
  guint first = kind == TL_N_TIMERS ? 0 : kind;
  guint last = kind == TL_N_TIMERS ? TL_N_TIMERS - 1 : kind;
  gboolean in_base[TL_N_TIMERS] = { FALSE };

  if (replay->flat != NULL)
    {
      for (guint k = first; k <= last; k++)
        flat_stop_timer (replay->flat, (gsize) conn * TL_N_TIMERS + k);
      return;
    }

  /* One binary search finds the base's timers of this connection. */
  for (guint i = base_timer_lower_bound (replay, conn, first);
       i < replay->base->n_timers; i++)
    {
      const TlRecord *t = base_timer_record (replay, i);

      if (t->conn != conn || t->u.timer.timer > last)
        break;
      in_base[t->u.timer.timer] = TRUE;
    }
  for (guint k = first; k <= last; k++)
    {
      TimerSlot *slot = g_hash_table_lookup (replay->timers, TIMER_KEY (conn, k));

      if (slot != NULL)
        slot->running = FALSE;
      else if (in_base[k])
        g_hash_table_insert (replay->timers, TIMER_KEY (conn, k), g_new0 (TimerSlot, 1));
    }
}

static void
replay_set_state (Replay  *replay,
                  guint32  conn,
                  TlState  to)
{
  TlState from = replay_state (replay, conn);
  guint host = g_array_index (replay->trace->conns, TlTraceConn, conn).host;

  if (from != TL_STATE_CLOSED)
    replay->counts[host][from]--;
  if (to != TL_STATE_CLOSED)
    replay->counts[host][to]++;

  if (replay->flat != NULL)
    {
      replay->flat->states[conn] = to;
      if (to == TL_STATE_CLOSED)
        bitset_remove (&replay->flat->live_sockets, conn);
      else
        bitset_add (&replay->flat->live_sockets, conn);
    }
  else
    g_hash_table_insert (replay->sockets, SOCKET_KEY (conn), GUINT_TO_POINTER (to + 1));

  if (to == TL_STATE_CLOSED)
    replay_stop_timers (replay, conn, TL_N_TIMERS);
}

/* A crash loses all of the host's state: every socket it had is CLOSED. */
static void
replay_crash (Replay *replay,
              guint   host,
              guint   rec)
{
  g_autoptr(GArray) victims = g_array_new (FALSE, FALSE, sizeof (guint32));
  GHashTableIter iter;
  gpointer key, value;

  if (replay->flat != NULL)
    {
      for (guint c = bitset_next (&replay->flat->live_sockets, 0); c != BITSET_NONE;
           c = bitset_next (&replay->flat->live_sockets, c + 1))
        g_array_append_val (victims, c);
    }
  else
    {
      const SnapSocket *socks = base_sockets (replay);

      for (guint i = 0; i < replay->base->n_sockets; i++)
        {
          guint32 conn = socks[i].conn;

          g_array_append_val (victims, conn);
        }
      g_hash_table_iter_init (&iter, replay->sockets);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          guint32 conn = GPOINTER_TO_UINT (key) - 1;

          g_array_append_val (victims, conn);
        }
    }

  for (guint i = 0; i < victims->len; i++)
    {
      guint32 conn = g_array_index (victims, guint32, i);

      if (g_array_index (replay->trace->conns, TlTraceConn, conn).host != host
          || replay_state (replay, conn) == TL_STATE_CLOSED)
        continue;
      replay_set_state (replay, conn, TL_STATE_CLOSED);
      if (replay->crash_closes != NULL)
        {
          ConnRec pair = { conn, rec };

          g_array_append_val (replay->crash_closes, pair);
        }
    }
}

static void
apply_record (Replay         *replay,
              const TlRecord *r,
              guint           rec)
{
  gboolean has_conn = r->conn < replay->trace->conns->len;

  switch ((TlRecordKind) r->kind)
    {
    case TL_REC_STATE:
      if (has_conn && r->u.state.to < TL_N_STATES)
        replay_set_state (replay, r->conn, r->u.state.to);
      break;

    case TL_REC_TIMER:
      if (!has_conn || r->u.timer.timer >= TL_N_TIMERS)
        break;
      if (r->u.timer.action == TL_TIMER_ARMED)
        {
          gpointer key;
          TimerSlot *slot;

          if (replay->flat != NULL)
            {
              flat_arm_timer (replay->flat, (gsize) r->conn * TL_N_TIMERS + r->u.timer.timer, rec);
              break;
            }
          key = TIMER_KEY (r->conn, r->u.timer.timer);
          slot = g_hash_table_lookup (replay->timers, key);
          if (slot == NULL)
            {
              slot = g_new0 (TimerSlot, 1);
              g_hash_table_insert (replay->timers, key, slot);
            }
          slot->running = TRUE;
          timer_from_record (r, &slot->timer);
        }
      else
        replay_stop_timers (replay, r->conn, r->u.timer.timer);
      break;

    case TL_REC_HOST:
      if (r->host >= 2)
        break;
      if (r->u.app.call == TL_CALL_CRASH)
        {
          replay->crashed[r->host] = TRUE;
          replay_crash (replay, r->host, rec);
        }
      else if (r->u.app.call == TL_CALL_REBOOT)
        replay->crashed[r->host] = FALSE;
      break;

    case TL_REC_SEGMENT:
    case TL_REC_ARRIVE:
    case TL_REC_APP:
    case TL_REC_LINK:
    case TL_REC_QUEUES:
    case TL_REC_CWND:
    case TL_REC_SAY:
    case TL_REC_PAUSE:
    case TL_REC_END:
      break;
    }
}

static gint
compare_snap_socket (gconstpointer a,
                     gconstpointer b)
{
  const SnapSocket *sa = a, *sb = b;

  return sa->conn < sb->conn ? -1 : sa->conn > sb->conn;
}

static gint
compare_timer (gconstpointer a,
               gconstpointer b)
{
  const TlWorldTimer *ta = a, *tb = b;

  if (ta->conn != tb->conn)
    return ta->conn < tb->conn ? -1 : 1;
  return (ta->timer > tb->timer) - (ta->timer < tb->timer);
}

/* The sockets the replay changed (state CLOSED included), sorted by conn. */
static GArray *
replay_changed_sockets (const Replay *replay)
{
  GArray *out = g_array_sized_new (FALSE, FALSE, sizeof (SnapSocket),
                                   g_hash_table_size (replay->sockets));
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, replay->sockets);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      SnapSocket s = { GPOINTER_TO_UINT (key) - 1, GPOINTER_TO_UINT (value) - 1 };

      g_array_append_val (out, s);
    }
  g_array_sort (out, compare_snap_socket);
  return out;
}

/* The timers the replay changed, sorted by conn then kind; a stopped one
 * has deadline_us -1. */
static GArray *
replay_changed_timers (const Replay *replay)
{
  GArray *out = g_array_sized_new (FALSE, FALSE, sizeof (TlWorldTimer),
                                   g_hash_table_size (replay->timers));
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, replay->timers);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const TimerSlot *slot = value;
      gsize k = GPOINTER_TO_SIZE (key) - 1;
      TlWorldTimer t = slot->timer;

      /* A stopped slot made by replay_stop_timers() is zeroed: its key names it. */
      t.conn = k / TL_N_TIMERS;
      t.timer = k % TL_N_TIMERS;
      if (!slot->running)
        t.deadline_us = -1;
      g_array_append_val (out, t);
    }
  g_array_sort (out, compare_timer);
  return out;
}

/* At seal time: everything live, read in order from the flat tables' bit
 * sets straight into the index (no sorting, no copy in between). */
static void
take_keyframe (TlTraceIndex *index,
               const Replay *replay,
               guint         start)
{
  const FlatTables *flat = replay->flat;
  Keyframe kf = { 0 };
  guint prev_conn = 0;
  guint32 prev_rec = start;

  kf.start = start;
  memcpy (kf.counts, replay->counts, sizeof kf.counts);
  memcpy (kf.crashed, replay->crashed, sizeof kf.crashed);
  kf.sockets_offset = index->snap_bytes->len;
  kf.n_sockets = flat->live_sockets.n_members;
  kf.n_timers = flat->live_timers.n_members;
  /* a socket: (its conn - the one before) << 4 | its state */
  for (guint c = bitset_next (&flat->live_sockets, 0); c != BITSET_NONE;
       c = bitset_next (&flat->live_sockets, c + 1))
    {
      varint_put (index->snap_bytes, (guint64) (c - prev_conn) << 4 | flat->states[c]);
      prev_conn = c;
    }
  /* a timer: its arming record - the one before (the first: - start), zigzag */
  for (guint k = bitset_next (&flat->live_timers, 0); k != BITSET_NONE;
       k = bitset_next (&flat->live_timers, k + 1))
    {
      guint32 rec = live_map_get (&flat->timer_recs, k);
      gint64 d = (gint64) rec - prev_rec;

      varint_put (index->snap_bytes, d >= 0 ? (guint64) d << 1 : ((guint64) -d << 1) - 1);
      prev_rec = rec;
    }
  g_array_append_val (index->keyframes, kf);
}

/* Builds compressed rows from (conn, record) pairs given in record order;
 * none: no arrays (offsets NULL), where n_conns + 1 offsets of zero took
 * 0.8 MB each for errors and queues at 100,000 connections. */
static void
rows_build (Rows         *rows,
            const GArray *pairs,
            guint         n_conns)
{
  guint32 *fill;

  if (pairs->len == 0)
    {
      rows->offsets = rows->recs = NULL;
      return;
    }
  rows->offsets = g_new0 (guint32, n_conns + 1);
  rows->recs = g_new (guint32, MAX (pairs->len, 1));
  for (guint i = 0; i < pairs->len; i++)
    rows->offsets[g_array_index (pairs, ConnRec, i).conn + 1]++;
  for (guint c = 0; c < n_conns; c++)
    rows->offsets[c + 1] += rows->offsets[c];
  fill = g_memdup2 (rows->offsets, sizeof (guint32) * (n_conns + 1));
  for (guint i = 0; i < pairs->len; i++)
    {
      const ConnRec *p = &g_array_index (pairs, ConnRec, i);

      rows->recs[fill[p->conn]++] = p->rec;
    }
  g_free (fill);
}

/* The rows of the STATE records, counted in a first pass so that they are
 * filled in place as the replay meets them (no (conn, record) pairs: 8 MB
 * fewer at 100,000 connections); *fill is where each row's next goes. */
static void
rows_begin_states (Rows            *rows,
                   const TlRecord  *recs,
                   guint            n,
                   guint            n_conns,
                   guint32        **fill)
{
  rows->offsets = g_new0 (guint32, n_conns + 1);
  for (guint i = 0; i < n; i++)
    if (recs[i].kind == TL_REC_STATE && recs[i].conn < n_conns)
      rows->offsets[recs[i].conn + 1]++;
  for (guint c = 0; c < n_conns; c++)
    rows->offsets[c + 1] += rows->offsets[c];
  rows->recs = g_new (guint32, MAX (rows->offsets[n_conns], 1));
  *fill = g_memdup2 (rows->offsets, sizeof (guint32) * (n_conns + 1));
}

/* The last record of conn's row before record n, or G_MAXUINT32. */
static guint32
rows_last_before (const Rows *rows,
                  guint32     conn,
                  guint       n)
{
  guint lo, hi, first;

  if (rows->offsets == NULL)
    return G_MAXUINT32;
  lo = first = rows->offsets[conn];
  hi = rows->offsets[conn + 1];

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (rows->recs[mid] < n)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo == first ? G_MAXUINT32 : rows->recs[lo - 1];
}

/* The simulator numbers segments from 1 as it sends them, so a segment
 * record whose id is not above every earlier one's (max_seg_id) is a copy: a
 * duplicate, or a copy that `lose` took on the wire.  Copies are not counted. */
static gboolean
segment_counted (const TlRecord *r,
                 guint32         max_seg_id)
{
  return r->host < 2 && r->u.seg.fate != TL_FATE_DUPLICATE
         && (r->u.seg.id == 0 || r->u.seg.id > max_seg_id);
}

static gint
compare_conn_rec (gconstpointer a,
                  gconstpointer b)
{
  const ConnRec *pa = a, *pb = b;

  return pa->rec < pb->rec ? -1 : pa->rec > pb->rec;
}

void
tl_trace_index_build (TlTrace *trace)
{
  TlTraceIndex *index = g_new0 (TlTraceIndex, 1);
  const TlRecord *recs = (const TlRecord *) trace->records->data;
  guint n = trace->records->len;
  guint n_conns = trace->conns->len;
  g_autofree guint32 *state_fill = NULL;
  g_autoptr(GArray) error_pairs = g_array_new (FALSE, FALSE, sizeof (ConnRec));
  g_autoptr(GArray) queue_pairs = g_array_new (FALSE, FALSE, sizeof (ConnRec));
  g_autoptr(GArray) cwnd_pairs = g_array_new (FALSE, FALSE, sizeof (ConnRec));
  g_autoptr(GArray) crash_closes = g_array_new (FALSE, FALSE, sizeof (ConnRec));
  Replay replay;
  guint last_kf = 0;
  guint32 max_seg_id = 0;
  SegBlock block = { 0 };   /* the counts so far */
  guint32 prev_seg_rec = 0;

  trace->index = index;
  index->keyframes = g_array_new (FALSE, FALSE, sizeof (Keyframe));
  /* Sized, so that its data is never NULL: a keyframe with nothing live
   * reads from offset 0 of an allocated array, not of a null pointer. */
  index->snap_bytes = g_byte_array_sized_new (64);
  index->seg_bytes = g_byte_array_sized_new (64);
  index->says = g_array_new (FALSE, FALSE, sizeof (guint32));
  index->pauses = g_array_new (FALSE, FALSE, sizeof (guint32));
  index->seg_blocks = g_array_new (FALSE, FALSE, sizeof (SegBlock));

  rows_begin_states (&index->states, recs, n, n_conns, &state_fill);
  replay_init (&replay, trace, NULL);
  replay.crash_closes = crash_closes;
  take_keyframe (index, &replay, 0);

  for (guint i = 0; i < n; i++)
    {
      const TlRecord *r = &recs[i];
      guint live = replay.flat->live_sockets.n_members + replay.flat->live_timers.n_members;
      gboolean has_conn = r->conn < n_conns;
      ConnRec pair = { r->conn, i };

      if (i - last_kf >= MAX (TL_KEYFRAME_RECORDS, live))
        {
          take_keyframe (index, &replay, i);
          last_kf = i;
        }
      apply_record (&replay, r, i);

      switch ((TlRecordKind) r->kind)
        {
        case TL_REC_SEGMENT:
          if (index->n_segments % SEG_BLOCK == 0)
            {
              block.first_rec = i;
              block.max_seg_id = max_seg_id;
              block.bytes_offset = index->seg_bytes->len;
              g_array_append_val (index->seg_blocks, block);
            }
          else
            varint_put (index->seg_bytes, i - prev_seg_rec);
          prev_seg_rec = i;
          index->n_segments++;
          index->max_delay_us = MAX (index->max_delay_us, r->u.seg.delay_us);
          if (segment_counted (r, max_seg_id))
            block.counts[r->host][r->u.seg.flags & 31]++;
          max_seg_id = MAX (max_seg_id, r->u.seg.id);
          break;
        case TL_REC_STATE:
          if (has_conn)
            index->states.recs[state_fill[r->conn]++] = i;
          break;
        case TL_REC_APP:
          if (has_conn && r->u.app.error != TL_ERR_NONE)
            g_array_append_val (error_pairs, pair);
          break;
        case TL_REC_QUEUES:
          if (has_conn)
            g_array_append_val (queue_pairs, pair);
          break;
        case TL_REC_CWND:
          if (has_conn)
            g_array_append_val (cwnd_pairs, pair);
          break;
        case TL_REC_SAY:
          g_array_append_val (index->says, i);
          break;
        case TL_REC_PAUSE:
          g_array_append_val (index->pauses, i);
          break;
        case TL_REC_ARRIVE:
        case TL_REC_TIMER:
        case TL_REC_LINK:
        case TL_REC_HOST:
        case TL_REC_END:
          break;
        }
    }
  replay_clear (&replay);

  /* Merge the crashes' closes into the state rows, in record order (a
   * crash's closes come after the STATE records before the crash). */
  if (crash_closes->len > 0)
    {
      /* A crash closed sockets without STATE records: its rows are made
       * again with the crash in them, in record order. */
      g_autoptr(GArray) state_pairs = g_array_new (FALSE, FALSE, sizeof (ConnRec));

      for (guint32 c = 0; c < n_conns; c++)
        for (guint k = index->states.offsets[c]; k < index->states.offsets[c + 1]; k++)
          {
            ConnRec pair = { c, index->states.recs[k] };

            g_array_append_val (state_pairs, pair);
          }
      g_array_append_vals (state_pairs, crash_closes->data, crash_closes->len);
      g_array_sort (state_pairs, compare_conn_rec);
      g_free (index->states.offsets);
      g_free (index->states.recs);
      rows_build (&index->states, state_pairs, n_conns);
    }
  rows_build (&index->errors, error_pairs, n_conns);
  rows_build (&index->queues, queue_pairs, n_conns);
  rows_build (&index->cwnds, cwnd_pairs, n_conns);
}

void
tl_trace_index_free (TlTraceIndex *index)
{
  if (index == NULL)
    return;
  g_array_unref (index->keyframes);
  g_byte_array_unref (index->snap_bytes);
  g_free (index->states.offsets);
  g_free (index->states.recs);
  g_free (index->errors.offsets);
  g_free (index->errors.recs);
  g_free (index->queues.offsets);
  g_free (index->queues.recs);
  g_free (index->cwnds.offsets);
  g_free (index->cwnds.recs);
  g_byte_array_unref (index->seg_bytes);
  g_array_unref (index->says);
  g_array_unref (index->pauses);
  g_array_unref (index->seg_blocks);
  g_free (index);
}

void
tl_world_init (TlWorld *world)
{
  g_return_if_fail (world != NULL);

  memset (world, 0, sizeof *world);
  world->sockets = g_array_new (FALSE, FALSE, sizeof (TlWorldSocket));
  world->in_flight = g_array_new (FALSE, FALSE, sizeof (guint));
  world->timers = g_array_new (FALSE, FALSE, sizeof (TlWorldTimer));
}

void
tl_world_clear (TlWorld *world)
{
  g_return_if_fail (world != NULL);

  g_clear_pointer (&world->sockets, g_array_unref);
  g_clear_pointer (&world->in_flight, g_array_unref);
  g_clear_pointer (&world->timers, g_array_unref);
}

static const TlRecord *
rec_at (const TlTrace *trace,
        guint          i)
{
  return &g_array_index (trace->records, TlRecord, i);
}

static TlError
error_before (const TlTrace *trace,
              guint32        conn,
              guint          n)
{
  guint32 rec = rows_last_before (&trace->index->errors, conn, n);

  return rec == G_MAXUINT32 ? TL_ERR_NONE : rec_at (trace, rec)->u.app.error;
}

guint32
tl_trace_index_cwnd_before (const TlTrace *trace,
                            guint32        conn,
                            guint          n)
{
  return rows_last_before (&trace->index->cwnds, conn, n);
}

static void
add_world_socket (const TlTrace *trace,
                  TlWorld       *world,
                  guint32        conn,
                  TlState        state)
{
  TlWorldSocket s = { 0 };
  guint32 q = rows_last_before (&trace->index->queues, conn, world->n_records);

  s.conn = conn;
  s.state = state;
  s.last_error = error_before (trace, conn, world->n_records);
  if (q != G_MAXUINT32)
    {
      s.send_q = rec_at (trace, q)->u.queues.send_q;
      s.recv_q = rec_at (trace, q)->u.queues.recv_q;
    }
  g_array_append_val (world->sockets, s);
}

/* Sockets and timers: the base keyframe's, overridden by the replay's. */
static void
merge_world (const Replay *replay,
             TlWorld      *world)
{
  const TlTrace *trace = replay->trace;
  g_autoptr(GArray) socks = replay_changed_sockets (replay);
  g_autoptr(GArray) timers = replay_changed_timers (replay);
  const SnapSocket *bs = base_sockets (replay);
  TlWorldTimer base_timer;
  guint i = 0, j = 0;

  while (i < replay->base->n_sockets || j < socks->len)
    {
      const SnapSocket *a = i < replay->base->n_sockets ? &bs[i] : NULL;
      const SnapSocket *b = j < socks->len ? &g_array_index (socks, SnapSocket, j) : NULL;
      const SnapSocket *pick;

      if (b == NULL || (a != NULL && a->conn < b->conn))
        pick = &bs[i++];
      else
        {
          if (a != NULL && a->conn == b->conn)
            i++;
          pick = b;
          j++;
        }
      if (pick->state != TL_STATE_CLOSED)
        add_world_socket (trace, world, pick->conn, pick->state);
    }

  i = j = 0;
  while (i < replay->base->n_timers || j < timers->len)
    {
      const TlWorldTimer *a = NULL;
      const TlWorldTimer *b = j < timers->len ? &g_array_index (timers, TlWorldTimer, j) : NULL;
      const TlWorldTimer *pick;

      if (i < replay->base->n_timers)
        {
          timer_from_record (base_timer_record (replay, i), &base_timer);
          a = &base_timer;
        }
      if (b == NULL || (a != NULL && compare_timer (a, b) < 0))
        {
          pick = a;
          i++;
        }
      else
        {
          if (a != NULL && compare_timer (a, b) == 0)
            i++;
          pick = b;
          j++;
        }
      if (pick->deadline_us >= 0)
        g_array_append_vals (world->timers, pick, 1);
    }
}

static guint
keyframe_for (const TlTraceIndex *index,
              guint               n)
{
  const Keyframe *kfs = (const Keyframe *) index->keyframes->data;
  guint lo = 0, hi = index->keyframes->len;

  /* The last keyframe with start <= n; the first one starts at 0. */
  while (hi - lo > 1)
    {
      guint mid = lo + (hi - lo) / 2;

      if (kfs[mid].start <= n)
        lo = mid;
      else
        hi = mid;
    }
  return lo;
}

/* Walks the segment records in order: k-th of them is record rec. */
typedef struct
{
  const TlTraceIndex *index;
  guint         k;
  guint32       rec;
  const guint8 *p;      /* the next distance in its block */
} SegIter;

/* At the k-th segment record (k < index->n_segments). */
static void
seg_iter_at (SegIter            *it,
             const TlTraceIndex *index,
             guint               k)
{
  const SegBlock *b = &g_array_index (index->seg_blocks, SegBlock, k / SEG_BLOCK);

  it->index = index;
  it->k = k / SEG_BLOCK * SEG_BLOCK;
  it->rec = b->first_rec;
  it->p = index->seg_bytes->data + b->bytes_offset;
  while (it->k < k)
    {
      it->rec += (guint32) varint_get (&it->p);
      it->k++;
    }
}

/* To the next; FALSE after the last. */
static gboolean
seg_iter_next (SegIter *it)
{
  if (++it->k >= it->index->n_segments)
    return FALSE;
  if (it->k % SEG_BLOCK == 0)
    seg_iter_at (it, it->index, it->k);
  else
    it->rec += (guint32) varint_get (&it->p);
  return TRUE;
}

/* How many segment blocks, from the first, have their first record (by_id
 * FALSE), or every segment id before them (by_id TRUE), below bound. */
static guint
blocks_below (const TlTraceIndex *index,
              gboolean            by_id,
              guint32             bound)
{
  const SegBlock *blocks = (const SegBlock *) index->seg_blocks->data;
  guint lo = 0, hi = index->seg_blocks->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if ((by_id ? blocks[mid].max_seg_id : blocks[mid].first_rec) < bound)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* How many segment records come before record n. */
static guint
segments_before (const TlTraceIndex *index,
                 guint               n)
{
  /* the blocks whose first record is before n: the last of them holds the answer */
  guint lo = blocks_below (index, FALSE, n);
  SegIter it;

  if (lo == 0)
    return 0;
  seg_iter_at (&it, index, (lo - 1) * SEG_BLOCK);
  do
    if (it.rec >= n)
      return it.k;
  while (seg_iter_next (&it));
  return index->n_segments;
}

/* When the segment of record r was first put on the link: its first
 * segment record.  A copy (the link's duplicate, a `duplicate` line's, one
 * that `lose` then took) comes later with its original's id, and carries
 * what the original carried: the TSval of the time it was sent.  Ids ascend
 * as segments are sent (segment_counted), so the original lies in the last
 * block whose earlier ids are all below its own; without an index (a trace
 * not sealed yet), the records before r are read from the start. */
gint64
tl_trace_index_first_sent_us (const TlTrace  *trace,
                              const TlRecord *r)
{
  const TlTraceIndex *index = trace->index;
  guint32 id = r->u.seg.id;

  if (index == NULL || index->n_segments == 0)
    {
      for (guint i = 0; i < trace->records->len; i++)
        {
          const TlRecord *s = rec_at (trace, i);

          if (s == r)
            break;
          if (s->kind == TL_REC_SEGMENT && s->u.seg.id == id)
            return s->time_us;
        }
      return r->time_us;
    }
  else
    {
      guint lo = blocks_below (index, TRUE, id);
      SegIter it;

      seg_iter_at (&it, index, (lo > 0 ? lo - 1 : 0) * SEG_BLOCK);
      do
        {
          const TlRecord *s = rec_at (trace, it.rec);

          if (s == r)
            break;
          if (s->u.seg.id == id)
            return s->time_us;
        }
      while (seg_iter_next (&it));
      return r->time_us;
    }
}

static void
find_in_flight (const TlTrace *trace,
                TlWorld       *world)
{
  const TlTraceIndex *index = trace->index;
  gint64 t = world->time_us;
  guint first = tl_trace_records_until (trace, t - (gint64) index->max_delay_us);
  /* The first segment record at or after `first`: nothing sent before
   * t - max_delay can still be on the link at t. */
  guint k = segments_before (index, first);
  SegIter it;

  if (k >= index->n_segments)
    return;
  seg_iter_at (&it, index, k);
  do
    {
      const TlRecord *r;

      if (it.rec >= world->n_records)
        break;
      r = rec_at (trace, it.rec);
      if (r->time_us + (gint64) r->u.seg.delay_us > t)
        {
          guint rec = it.rec;

          g_array_append_val (world->in_flight, rec);
        }
    }
  while (seg_iter_next (&it));
}

void
tl_trace_world_at (const TlTrace *trace,
                   gint64         time_us,
                   TlWorld       *world)
{
  const TlTraceIndex *index;
  const Keyframe *kf;
  Replay replay;

  g_return_if_fail (trace != NULL);
  g_return_if_fail (trace->index != NULL);
  g_return_if_fail (world != NULL && world->sockets != NULL);

  index = trace->index;
  g_array_set_size (world->sockets, 0);
  g_array_set_size (world->in_flight, 0);
  g_array_set_size (world->timers, 0);
  world->time_us = time_us;
  world->n_records = tl_trace_records_until (trace, time_us);

  kf = &g_array_index (index->keyframes, Keyframe, keyframe_for (index, world->n_records));
  replay_init (&replay, trace, kf);
  for (guint i = kf->start; i < world->n_records; i++)
    apply_record (&replay, rec_at (trace, i), i);

  memcpy (world->counts, replay.counts, sizeof world->counts);
  memcpy (world->crashed, replay.crashed, sizeof world->crashed);
  merge_world (&replay, world);
  replay_clear (&replay);

  find_in_flight (trace, world);
}

const TlRecord *
tl_trace_conn_state_record_at (const TlTrace *trace,
                               guint32        conn,
                               gint64         time_us)
{
  guint32 rec;
  const TlRecord *r;

  g_return_val_if_fail (trace != NULL && trace->index != NULL, NULL);

  if (conn >= trace->conns->len)
    return NULL;
  rec = rows_last_before (&trace->index->states, conn, tl_trace_records_until (trace, time_us));
  if (rec == G_MAXUINT32)
    return NULL;
  r = rec_at (trace, rec);
  /* The row holds STATE records and the crashes that closed the socket. */
  return r->kind == TL_REC_STATE && r->u.state.to != TL_STATE_CLOSED ? r : NULL;
}

TlState
tl_trace_conn_state_at (const TlTrace *trace,
                        guint32        conn,
                        gint64         time_us)
{
  const TlRecord *r;

  g_return_val_if_fail (trace != NULL && trace->index != NULL, TL_STATE_CLOSED);

  r = tl_trace_conn_state_record_at (trace, conn, time_us);
  return r != NULL ? r->u.state.to : TL_STATE_CLOSED;
}

TlError
tl_trace_conn_error_at (const TlTrace *trace,
                        guint32        conn,
                        gint64         time_us)
{
  g_return_val_if_fail (trace != NULL && trace->index != NULL, TL_ERR_NONE);

  if (conn >= trace->conns->len)
    return TL_ERR_NONE;
  return error_before (trace, conn, tl_trace_records_until (trace, time_us));
}

static guint
count_before (const GArray *recs,
              guint         n)
{
  const guint32 *a = (const guint32 *) recs->data;
  guint lo = 0, hi = recs->len;

  if (a == NULL)
    return 0;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (a[mid] < n)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

guint64
tl_trace_count_segments (const TlTrace *trace,
                         int            dir,
                         guint8         flags,
                         gboolean       any,
                         gint64         time_us)
{
  const TlTraceIndex *index;
  const SegBlock *block;
  SegIter it;
  guint n, p;
  guint32 max_seg_id;
  guint64 total = 0;

  g_return_val_if_fail (trace != NULL && trace->index != NULL, 0);
  g_return_val_if_fail (dir == 0 || dir == 1, 0);

  index = trace->index;
  n = tl_trace_records_until (trace, time_us);
  p = segments_before (index, n);
  if (p == 0)
    return 0;
  /* the block of the last segment before n: its counts, then its records */
  block = &g_array_index (index->seg_blocks, SegBlock, (p - 1) / SEG_BLOCK);
  max_seg_id = block->max_seg_id;
  for (guint f = 0; f < 32; f++)
    if (any || f == (flags & 31u))
      total += block->counts[dir][f];
  seg_iter_at (&it, index, (p - 1) / SEG_BLOCK * SEG_BLOCK);
  do
    {
      const TlRecord *r = rec_at (trace, it.rec);

      if (segment_counted (r, max_seg_id) && r->host == (guint) dir
          && (any || (r->u.seg.flags & 31u) == (flags & 31u)))
        total++;
      max_seg_id = MAX (max_seg_id, r->u.seg.id);
    }
  while (seg_iter_next (&it) && it.k < p);
  return total;
}

/* The text of the records of recs (SAY or PAUSE) at the greatest time <=
 * time_us, in the language asked for, else their untranslated text; NULL if
 * none, or with exact, if that time is not time_us. */
static const char *
text_at (const TlTrace *trace,
         const GArray  *recs,
         gint64         time_us,
         gboolean       exact,
         const char    *locale)
{
  g_auto(GStrv) variants = locale != NULL ? g_get_locale_variants (locale) : NULL;
  guint n_variants = variants != NULL ? g_strv_length (variants) : 0;
  guint last = count_before (recs, tl_trace_records_until (trace, time_us));
  guint first;
  gint64 t;

  if (last == 0)
    return NULL;
  t = rec_at (trace, g_array_index (recs, guint32, last - 1))->time_us;
  if (exact && t != time_us)
    return NULL;
  first = last - 1;
  while (first > 0 && rec_at (trace, g_array_index (recs, guint32, first - 1))->time_us == t)
    first--;
  /* each variant of the locale in turn ("zh_CN", "zh"), then the
   * untranslated text (locale NULL) */
  for (guint v = 0; v <= n_variants; v++)
    for (guint n = first; n < last; n++)
      {
        const char *text_locale;
        const char *text = tl_trace_text (trace, rec_at (trace, g_array_index (recs, guint32, n))->u.text.text,
                                          &text_locale);

        if (text != NULL && g_strcmp0 (text_locale, v < n_variants ? variants[v] : NULL) == 0)
          return text;
      }
  return NULL;
}

/* The SAY records at the greatest time <= time_us. */
const char *
tl_trace_narration_at (const TlTrace *trace,
                       gint64         time_us,
                       const char    *locale)
{
  g_return_val_if_fail (trace != NULL && trace->index != NULL, NULL);

  return text_at (trace, trace->index->says, time_us, FALSE, locale);
}

/* The PAUSE records at time_us: a `pause` and its translations. */
const char *
tl_trace_question_at (const TlTrace *trace,
                      gint64         time_us,
                      const char    *locale)
{
  g_return_val_if_fail (trace != NULL && trace->index != NULL, NULL);

  return text_at (trace, trace->index->pauses, time_us, TRUE, locale);
}
