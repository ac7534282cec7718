/* test-trace.c: the trace's storage, its index ("the world at time t") and its writers. */
#include <check.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "tl-scenario.h"
#include "tl-trace.h"

static const char *const host_names[2] = { "client", "server" };
static const guint32 host_addrs[2] = { 0x0a000001, 0x0a000002 };

static guint32
add_conn (TlTrace *trace,
          guint    host,
          gboolean listener,
          guint32  ordinal,
          gint64   created_us)
{
  TlTraceConn c = { 0 };

  c.host = host;
  c.listener = listener;
  c.ordinal = ordinal;
  c.local_addr = host_addrs[host];
  c.remote_addr = listener ? 0 : host_addrs[1 - host];
  c.local_port = listener ? 80 : 40000 + ordinal;
  c.remote_port = listener ? 0 : 80;
  c.parent = TL_NO_CONN;
  c.created_us = created_us;
  return tl_trace_add_conn (trace, &c);
}

START_TEST (test_append_keeps_records_in_order_and_zeroed)
{
  g_autoptr(TlTrace) trace = tl_trace_new (host_names, host_addrs);
  TlRecord *rec;

  ck_assert_uint_eq (tl_trace_n_records (trace), 0);
  ck_assert_int_eq (tl_trace_end_time (trace), 0);
  for (guint i = 0; i < 100000; i++)
    {
      rec = tl_trace_append (trace, TL_REC_SEGMENT, i / 3);
      ck_assert_uint_eq (rec->u.seg.seq, 0);
      ck_assert_uint_eq (rec->conn, TL_NO_CONN);
      rec->u.seg.seq = i;
    }
  tl_trace_seal (trace);
  ck_assert_uint_eq (tl_trace_n_records (trace), 100000);
  ck_assert_int_eq (tl_trace_end_time (trace), 99999 / 3);
  ck_assert_uint_eq (tl_trace_record (trace, 4242)->u.seg.seq, 4242);
  ck_assert_int_eq (tl_trace_record (trace, 4242)->time_us, 1414);
  ck_assert_int_eq (tl_trace_record (trace, 4242)->kind, TL_REC_SEGMENT);

  ck_assert_uint_eq (tl_trace_records_until (trace, -1), 0);
  ck_assert_uint_eq (tl_trace_records_until (trace, 0), 3);
  ck_assert_uint_eq (tl_trace_records_until (trace, 1414), 1415 * 3);
  ck_assert_uint_eq (tl_trace_records_until (trace, G_MAXINT64), 100000);
}
END_TEST

/* A segment's header fields live once, by id: its SEGMENT and ARRIVE records
 * (and a simulated run's) read the same entry; an id never described reads
 * as zeros; the text and JSON writers show them on both records. */
START_TEST (test_segment_table_is_shared_by_a_segments_records)
{
  g_autoptr(TlTrace) trace = tl_trace_new (host_names, host_addrs);
  g_autoptr(GString) json = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  TlTraceSegment *sh;
  TlRecord *rec;

  rec = tl_trace_append (trace, TL_REC_SEGMENT, 10);
  rec->u.seg.id = 7, rec->u.seg.flags = TL_FLAG_SYN | TL_FLAG_ACK;
  sh = tl_trace_segment_mut (trace, 7);
  sh->ack = 4242, sh->win = 1000, sh->mss = 1460, sh->src_port = 80, sh->dst_port = 40001;
  rec = tl_trace_append (trace, TL_REC_ARRIVE, 20);
  rec->u.seg.id = 7, rec->u.seg.flags = TL_FLAG_SYN | TL_FLAG_ACK;
  tl_trace_seal (trace);

  ck_assert_uint_eq (sizeof (TlRecord), 32);
  ck_assert_uint_eq (tl_trace_segment (trace, tl_trace_record (trace, 1)->u.seg.id)->ack, 4242);
  ck_assert_uint_eq (tl_trace_segment (trace, 7)->dst_port, 40001);
  ck_assert_uint_eq (tl_trace_segment (trace, 3)->ack, 0);
  ck_assert_uint_eq (tl_trace_segment (trace, G_MAXUINT32)->win, 0);
  tl_trace_write_json (trace, json);
  lines = g_strsplit (json->str, "\n", -1);
  ck_assert_ptr_nonnull (strstr (lines[1], "\"kind\":\"arrive\""));
  for (guint i = 0; i < 2; i++)
    {
      ck_assert_ptr_nonnull (strstr (lines[i], "\"ack\":4242"));
      ck_assert_ptr_nonnull (strstr (lines[i], "\"win\":1000,\"window\":1000,\"mss\":1460,\"src_port\":80,"
                                               "\"dst_port\":40001"));
    }
}
END_TEST

START_TEST (test_hosts_conns_and_texts_read_back)
{
  g_autoptr(TlTrace) trace = tl_trace_new (host_names, host_addrs);
  const char *locale = "x";
  guint32 c, t0, t1;

  c = add_conn (trace, 0, FALSE, 1, 0);
  ck_assert_uint_eq (c, 0);
  tl_trace_conn_mut (trace, c)->irs = 777;
  t0 = tl_trace_add_text (trace, NULL, "Hello");
  t1 = tl_trace_add_text (trace, "zh_CN", "你好");
  tl_trace_seal (trace);

  ck_assert_str_eq (tl_trace_host_name (trace, 1), "server");
  ck_assert_uint_eq (tl_trace_host_addr (trace, 0), 0x0a000001);
  ck_assert_uint_eq (tl_trace_n_conns (trace), 1);
  ck_assert_uint_eq (tl_trace_conn (trace, c)->irs, 777);
  ck_assert_str_eq (tl_trace_text (trace, t0, &locale), "Hello");
  ck_assert_ptr_null (locale);
  ck_assert_str_eq (tl_trace_text (trace, t1, &locale), "你好");
  ck_assert_str_eq (locale, "zh_CN");
  ck_assert_ptr_null (tl_trace_text (trace, TL_NO_TEXT, &locale));
}
END_TEST

START_TEST (test_resolve_conn_by_ordinal_and_most_recent)
{
  g_autoptr(TlTrace) trace = tl_trace_new (host_names, host_addrs);
  guint32 listener, c1, c2, s1;

  listener = add_conn (trace, 1, TRUE, 0, 0);
  c1 = add_conn (trace, 0, FALSE, 1, 100);
  s1 = add_conn (trace, 1, FALSE, 1, 150);
  c2 = add_conn (trace, 0, FALSE, 2, 5000);
  tl_trace_seal (trace);

  ck_assert_uint_ne (listener, TL_NO_CONN);
  ck_assert_uint_eq (tl_trace_resolve_conn (trace, 0, 0, 99), TL_NO_CONN);
  ck_assert_uint_eq (tl_trace_resolve_conn (trace, 0, 0, 100), c1);
  ck_assert_uint_eq (tl_trace_resolve_conn (trace, 0, 0, 4999), c1);
  ck_assert_uint_eq (tl_trace_resolve_conn (trace, 0, 0, 5000), c2);
  ck_assert_uint_eq (tl_trace_resolve_conn (trace, 0, 1, 9000), c1);
  ck_assert_uint_eq (tl_trace_resolve_conn (trace, 0, 2, 4000), TL_NO_CONN);
  ck_assert_uint_eq (tl_trace_resolve_conn (trace, 0, 3, 9000), TL_NO_CONN);
  /* The listener is not a connection a lesson can name. */
  ck_assert_uint_eq (tl_trace_resolve_conn (trace, 1, 0, 120), TL_NO_CONN);
  ck_assert_uint_eq (tl_trace_resolve_conn (trace, 1, 0, 150), s1);
}
END_TEST

/* Two connections created in one microsecond: the later one is the most
 * recent; and a trace whose connections were not added in the order of their
 * numbers (not the simulator's) resolves the same names by scanning. */
START_TEST (test_resolve_conn_with_ties_and_out_of_order)
{
  g_autoptr(TlTrace) ordered = tl_trace_new (host_names, host_addrs);
  g_autoptr(TlTrace) shuffled = tl_trace_new (host_names, host_addrs);
  guint32 a1, a2, a3, b1, b2, b3;

  a1 = add_conn (ordered, 0, FALSE, 1, 100);
  a2 = add_conn (ordered, 0, FALSE, 2, 100);
  a3 = add_conn (ordered, 0, FALSE, 3, 200);
  tl_trace_seal (ordered);
  ck_assert_uint_eq (tl_trace_resolve_conn (ordered, 0, 0, 150), a2);
  ck_assert_uint_eq (tl_trace_resolve_conn (ordered, 0, 0, 200), a3);
  ck_assert_uint_eq (tl_trace_resolve_conn (ordered, 0, 1, 150), a1);
  ck_assert_uint_eq (tl_trace_resolve_conn (ordered, 0, 3, 199), TL_NO_CONN);

  b3 = add_conn (shuffled, 0, FALSE, 3, 200);
  b1 = add_conn (shuffled, 0, FALSE, 1, 100);
  b2 = add_conn (shuffled, 0, FALSE, 2, 100);
  tl_trace_seal (shuffled);
  ck_assert_uint_eq (tl_trace_resolve_conn (shuffled, 0, 0, 150), b2);
  ck_assert_uint_eq (tl_trace_resolve_conn (shuffled, 0, 0, 200), b3);
  ck_assert_uint_eq (tl_trace_resolve_conn (shuffled, 0, 1, 150), b1);
  ck_assert_uint_eq (tl_trace_resolve_conn (shuffled, 0, 3, 200), b3);
  ck_assert_uint_eq (tl_trace_resolve_conn (shuffled, 0, 3, 199), TL_NO_CONN);
}
END_TEST

/* Mostly the recent connections, so that many stay alive. */
static guint32
recent_conn (GRand *rand, guint32 n_conns)
{
  guint32 back = g_rand_int_range (rand, 0, 60);

  return n_conns - 1 - MIN (back, n_conns - 1);
}

/* A random but well-formed trace: connections appear, change state, arm and
 * stop timers, see errors; segments fly with random delays and fates; hosts
 * crash and reboot.  Records are appended in time order. */
static TlTrace *
make_random_trace (guint32 seed,
                   guint   n_records,
                   guint   max_conns)
{
  TlTrace *trace = tl_trace_new (host_names, host_addrs);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint32 ordinals[2] = { 0, 0 };
  gint64 t = 0;
  guint32 n_conns = 0;

  while (tl_trace_n_records (trace) < n_records)
    {
      guint pick = g_rand_int_range (rand, 0, 100);
      TlRecord *r;

      t += g_rand_int_range (rand, 0, 3) == 0 ? 0 : g_rand_int_range (rand, 1, 2000);
      if (n_conns == 0 || (pick < 12 && n_conns < max_conns))
        {
          guint host = g_rand_int_range (rand, 0, 2);
          gboolean listener = g_rand_int_range (rand, 0, 10) == 0;
          guint32 c = add_conn (trace, host, listener, listener ? 0 : ++ordinals[host], t);

          n_conns++;
          r = tl_trace_append (trace, TL_REC_STATE, t);
          r->host = host;
          r->conn = c;
          r->u.state.from = TL_STATE_CLOSED;
          r->u.state.to = listener ? TL_STATE_LISTEN : TL_STATE_SYN_SENT;
          continue;
        }
      if (pick < 40)
        {
          guint32 c = recent_conn (rand, n_conns);

          r = tl_trace_append (trace, TL_REC_STATE, t);
          r->conn = c;
          r->host = tl_trace_conn (trace, c)->host;
          r->u.state.to = g_rand_int_range (rand, 0, 5) == 0 ? TL_STATE_CLOSED
                                                             : g_rand_int_range (rand, 1, TL_N_STATES);
        }
      else if (pick < 60)
        {
          guint32 c = recent_conn (rand, n_conns);

          r = tl_trace_append (trace, TL_REC_TIMER, t);
          r->conn = c;
          r->host = tl_trace_conn (trace, c)->host;
          r->u.timer.timer = g_rand_int_range (rand, 0, TL_N_TIMERS);
          r->u.timer.action = g_rand_int_range (rand, 0, 3) == 0 ? g_rand_int_range (rand, 1, 3)
                                                                  : TL_TIMER_ARMED;
          r->u.timer.attempt = g_rand_int_range (rand, 0, 6);
          r->u.timer.deadline_us = t + g_rand_int_range (rand, 1, 1000000);
        }
      else if (pick < 66)
        {
          r = tl_trace_append (trace, TL_REC_QUEUES, t);
          r->conn = g_rand_int_range (rand, 0, n_conns);
          r->u.queues.send_q = g_rand_int_range (rand, 0, 100000);
          r->u.queues.recv_q = g_rand_int_range (rand, 0, 100000);
        }
      else if (pick < 70)
        {
          r = tl_trace_append (trace, TL_REC_APP, t);
          r->conn = g_rand_int_range (rand, 0, n_conns);
          r->u.app.call = TL_CALL_ERROR;
          r->u.app.error = g_rand_int_range (rand, 0, TL_N_ERRORS);
        }
      else if (pick < 99)
        {
          r = tl_trace_append (trace, TL_REC_SEGMENT, t);
          r->host = g_rand_int_range (rand, 0, 2);
          r->conn = g_rand_int_range (rand, 0, 4) == 0 ? TL_NO_CONN : (guint32) g_rand_int_range (rand, 0, n_conns);
          r->u.seg.id = tl_trace_n_records (trace);
          r->u.seg.seq = g_rand_int (rand);
          r->u.seg.flags = g_rand_int_range (rand, 0, 32);
          r->u.seg.fate = g_rand_int_range (rand, 0, TL_FATE_DISCARDED + 1);
          r->u.seg.delay_us = g_rand_int_range (rand, 0, 5) == 0 ? 0 : g_rand_int_range (rand, 1, 80000);
        }
      else
        {
          r = tl_trace_append (trace, TL_REC_HOST, t);
          r->host = g_rand_int_range (rand, 0, 2);
          r->u.app.call = g_rand_boolean (rand) ? TL_CALL_CRASH : TL_CALL_REBOOT;
        }
    }
  tl_trace_seal (trace);
  return trace;
}

/* The reference: a plain replay of every record from the start, written
 * from the rules in tl-trace.h, independently of the index. */
typedef struct
{
  const TlTrace *trace;
  guint          next;
  guint8        *state;
  guint8        *error;
  guint32       *send_q;
  guint32       *recv_q;
  TlWorldTimer  *timers;     /* conn * TL_N_TIMERS + kind; deadline -1: stopped */
  gboolean       crashed[2];
} Naive;

static void
naive_init (Naive *naive, const TlTrace *trace)
{
  guint n = tl_trace_n_conns (trace);

  memset (naive, 0, sizeof *naive);
  naive->trace = trace;
  naive->state = g_new0 (guint8, n);
  naive->error = g_new0 (guint8, n);
  naive->send_q = g_new0 (guint32, n);
  naive->recv_q = g_new0 (guint32, n);
  naive->timers = g_new0 (TlWorldTimer, (gsize) n * TL_N_TIMERS);
  for (guint i = 0; i < n * TL_N_TIMERS; i++)
    naive->timers[i].deadline_us = -1;
}

static void
naive_clear (Naive *naive)
{
  g_free (naive->state);
  g_free (naive->error);
  g_free (naive->send_q);
  g_free (naive->recv_q);
  g_free (naive->timers);
}

static void
naive_close (Naive *naive, guint32 c)
{
  naive->state[c] = TL_STATE_CLOSED;
  for (guint k = 0; k < TL_N_TIMERS; k++)
    naive->timers[c * TL_N_TIMERS + k].deadline_us = -1;
}

static void
naive_advance (Naive *naive, guint n)
{
  for (; naive->next < n; naive->next++)
    {
      const TlRecord *r = tl_trace_record (naive->trace, naive->next);
      TlWorldTimer *tm;

      switch (r->kind)
        {
        case TL_REC_STATE:
          if (r->u.state.to == TL_STATE_CLOSED)
            naive_close (naive, r->conn);
          else
            naive->state[r->conn] = r->u.state.to;
          break;
        case TL_REC_TIMER:
          tm = &naive->timers[r->conn * TL_N_TIMERS + r->u.timer.timer];
          if (r->u.timer.action == TL_TIMER_ARMED)
            {
              tm->conn = r->conn;
              tm->timer = r->u.timer.timer;
              tm->attempt = r->u.timer.attempt;
              tm->armed_us = r->time_us;
              tm->deadline_us = r->u.timer.deadline_us;
            }
          else
            tm->deadline_us = -1;
          break;
        case TL_REC_QUEUES:
          naive->send_q[r->conn] = r->u.queues.send_q;
          naive->recv_q[r->conn] = r->u.queues.recv_q;
          break;
        case TL_REC_APP:
          if (r->u.app.error != TL_ERR_NONE)
            naive->error[r->conn] = r->u.app.error;
          break;
        case TL_REC_HOST:
          naive->crashed[r->host] = r->u.app.call == TL_CALL_CRASH;
          if (r->u.app.call == TL_CALL_CRASH)
            for (guint c = 0; c < tl_trace_n_conns (naive->trace); c++)
              if (tl_trace_conn (naive->trace, c)->host == r->host && naive->state[c] != TL_STATE_CLOSED)
                naive_close (naive, c);
          break;
        default:
          break;
        }
    }
}

static void
assert_world_matches (const TlTrace *trace, Naive *naive, gint64 t, TlWorld *world)
{
  guint n = tl_trace_records_until (trace, t);
  guint counts[2][TL_N_STATES] = { { 0 } };
  guint si = 0, ti = 0, fi = 0;

  naive_advance (naive, n);
  tl_trace_world_at (trace, t, world);
  ck_assert_uint_eq (world->n_records, n);
  ck_assert_int_eq (world->time_us, t);

  for (guint c = 0; c < tl_trace_n_conns (trace); c++)
    {
      ck_assert_uint_eq (tl_trace_conn_state_at (trace, c, t), naive->state[c]);
      ck_assert_uint_eq (tl_trace_conn_error_at (trace, c, t), naive->error[c]);
      if (naive->state[c] != TL_STATE_CLOSED)
        {
          const TlWorldSocket *s;

          ck_assert_uint_lt (si, world->sockets->len);
          s = &g_array_index (world->sockets, TlWorldSocket, si++);
          ck_assert_uint_eq (s->conn, c);
          ck_assert_uint_eq (s->state, naive->state[c]);
          ck_assert_uint_eq (s->last_error, naive->error[c]);
          ck_assert_uint_eq (s->send_q, naive->send_q[c]);
          ck_assert_uint_eq (s->recv_q, naive->recv_q[c]);
          counts[tl_trace_conn (trace, c)->host][naive->state[c]]++;
        }
      for (guint k = 0; k < TL_N_TIMERS; k++)
        {
          const TlWorldTimer *want = &naive->timers[c * TL_N_TIMERS + k];
          const TlWorldTimer *got;

          if (want->deadline_us < 0)
            continue;
          ck_assert_uint_lt (ti, world->timers->len);
          got = &g_array_index (world->timers, TlWorldTimer, ti++);
          ck_assert_uint_eq (got->conn, c);
          ck_assert_uint_eq (got->timer, k);
          ck_assert_uint_eq (got->attempt, want->attempt);
          ck_assert_int_eq (got->armed_us, want->armed_us);
          ck_assert_int_eq (got->deadline_us, want->deadline_us);
        }
    }
  ck_assert_uint_eq (si, world->sockets->len);
  ck_assert_uint_eq (ti, world->timers->len);
  ck_assert_mem_eq (counts, world->counts, sizeof counts);
  ck_assert_int_eq (world->crashed[0], naive->crashed[0]);
  ck_assert_int_eq (world->crashed[1], naive->crashed[1]);

  for (guint i = 0; i < n; i++)
    {
      const TlRecord *r = tl_trace_record (trace, i);

      if (r->kind != TL_REC_SEGMENT || r->time_us + (gint64) r->u.seg.delay_us <= t)
        continue;
      ck_assert_uint_lt (fi, world->in_flight->len);
      ck_assert_uint_eq (g_array_index (world->in_flight, guint, fi), i);
      fi++;
    }
  ck_assert_uint_eq (fi, world->in_flight->len);
}

static gint
compare_time (gconstpointer a, gconstpointer b)
{
  gint64 ta = *(const gint64 *) a, tb = *(const gint64 *) b;

  return ta < tb ? -1 : ta > tb;
}

static void
check_world_at_random_times (guint32 seed, guint n_records, guint max_conns, guint n_times)
{
  g_autoptr(TlTrace) trace = make_random_trace (seed, n_records, max_conns);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed + 1);
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 end = tl_trace_end_time (trace);
  TlWorld world;
  Naive naive;
  guint busy = 0;

  /* Exact record times (ties inside), just before and after, and anywhere. */
  for (guint i = 0; i < n_times; i++)
    {
      gint64 t = tl_trace_record (trace, g_rand_int_range (rand, 0, n_records))->time_us;

      switch (i % 4)
        {
        case 0: break;
        case 1: t -= 1; break;
        case 2: t += 1; break;
        default: t = g_rand_int_range (rand, -10, 10) + (gint64) (g_rand_double (rand) * (end + 100000)); break;
        }
      g_array_append_val (times, t);
    }
  g_array_sort (times, compare_time);

  tl_world_init (&world);
  naive_init (&naive, trace);
  for (guint i = 0; i < times->len; i++)
    {
      assert_world_matches (trace, &naive, g_array_index (times, gint64, i), &world);
      busy += world.sockets->len > 0 && world.timers->len > 0 && world.in_flight->len > 0;
    }
  /* The comparisons were not all of empty worlds. */
  ck_assert_uint_gt (busy, n_times / 2);
  naive_clear (&naive);
  tl_world_clear (&world);
}

START_TEST (test_world_at_matches_a_full_replay)
{
  check_world_at_random_times (7, 30000, 400, 400);
  check_world_at_random_times (8, 5000, 40, 400);
}
END_TEST

START_TEST (test_world_at_matches_a_full_replay_on_a_million_records)
{
  check_world_at_random_times (1234, 1000000, 100000, 60);
}
END_TEST

START_TEST (test_crash_closes_sockets_without_state_records)
{
  g_autoptr(TlTrace) trace = tl_trace_new (host_names, host_addrs);
  guint32 lis = add_conn (trace, 1, TRUE, 0, 0);
  guint32 c = add_conn (trace, 0, FALSE, 1, 10);
  guint32 s = add_conn (trace, 1, FALSE, 1, 20);
  TlRecord *r;
  TlWorld world;

  r = tl_trace_append (trace, TL_REC_STATE, 0);
  r->conn = lis, r->host = 1, r->u.state.to = TL_STATE_LISTEN;
  r = tl_trace_append (trace, TL_REC_STATE, 10);
  r->conn = c, r->u.state.to = TL_STATE_ESTABLISHED;
  r = tl_trace_append (trace, TL_REC_STATE, 20);
  r->conn = s, r->host = 1, r->u.state.to = TL_STATE_ESTABLISHED;
  r = tl_trace_append (trace, TL_REC_TIMER, 20);
  r->conn = s, r->host = 1, r->u.timer.timer = TL_TIMER_KEEPALIVE, r->u.timer.deadline_us = 7200;
  r = tl_trace_append (trace, TL_REC_HOST, 30);
  r->host = 1, r->u.app.call = TL_CALL_CRASH;
  r = tl_trace_append (trace, TL_REC_HOST, 40);
  r->host = 1, r->u.app.call = TL_CALL_REBOOT;
  tl_trace_seal (trace);

  tl_world_init (&world);
  tl_trace_world_at (trace, 29, &world);
  ck_assert_uint_eq (world.counts[1][TL_STATE_LISTEN], 1);
  ck_assert_uint_eq (world.counts[1][TL_STATE_ESTABLISHED], 1);
  ck_assert_uint_eq (world.timers->len, 1);
  ck_assert_int_eq (world.crashed[1], FALSE);

  tl_trace_world_at (trace, 30, &world);
  ck_assert_uint_eq (world.sockets->len, 1);
  ck_assert_uint_eq (g_array_index (world.sockets, TlWorldSocket, 0).conn, c);
  ck_assert_uint_eq (world.counts[1][TL_STATE_LISTEN], 0);
  ck_assert_uint_eq (world.counts[1][TL_STATE_ESTABLISHED], 0);
  ck_assert_uint_eq (world.counts[0][TL_STATE_ESTABLISHED], 1);
  ck_assert_uint_eq (world.timers->len, 0);
  ck_assert_int_eq (world.crashed[1], TRUE);
  ck_assert_uint_eq (tl_trace_conn_state_at (trace, s, 29), TL_STATE_ESTABLISHED);
  ck_assert_uint_eq (tl_trace_conn_state_at (trace, s, 30), TL_STATE_CLOSED);
  ck_assert_uint_eq (tl_trace_conn_state_at (trace, lis, 100), TL_STATE_CLOSED);
  ck_assert_uint_eq (tl_trace_conn_state_at (trace, c, 100), TL_STATE_ESTABLISHED);
  ck_assert_uint_eq (tl_trace_conn_state_at (trace, c, 9), TL_STATE_CLOSED);

  tl_trace_world_at (trace, 40, &world);
  ck_assert_int_eq (world.crashed[1], FALSE);
  tl_world_clear (&world);
}
END_TEST

static void
append_segment (TlTrace *trace, gint64 t, guint host, guint8 flags, TlFate fate)
{
  TlRecord *r = tl_trace_append (trace, TL_REC_SEGMENT, t);

  r->host = host;
  r->u.seg.flags = flags;
  r->u.seg.fate = fate;
  r->u.seg.delay_us = 50000;
}

START_TEST (test_count_segments_skips_duplicates_and_counts_losses)
{
  g_autoptr(TlTrace) trace = tl_trace_new (host_names, host_addrs);
  const guint8 fin_ack = TL_FLAG_FIN | TL_FLAG_ACK;

  append_segment (trace, 0, 0, TL_FLAG_SYN, TL_FATE_DELIVERED);
  append_segment (trace, 0, 0, TL_FLAG_SYN, TL_FATE_LOST_RANDOM);
  append_segment (trace, 10, 1, TL_FLAG_SYN | TL_FLAG_ACK, TL_FATE_DELIVERED);
  append_segment (trace, 10, 1, TL_FLAG_SYN | TL_FLAG_ACK, TL_FATE_DUPLICATE);
  append_segment (trace, 20, 0, fin_ack, TL_FATE_DELIVERED);
  append_segment (trace, 30, 0, fin_ack, TL_FATE_LOST_SCRIPTED);
  /* A flood's SYN from a spoofed address, entering on the server's side. */
  append_segment (trace, 40, 1, TL_FLAG_SYN, TL_FATE_DELIVERED);
  tl_trace_seal (trace);

  ck_assert_uint_eq (tl_trace_count_segments (trace, 0, TL_FLAG_SYN, FALSE, -1), 0);
  ck_assert_uint_eq (tl_trace_count_segments (trace, 0, TL_FLAG_SYN, FALSE, 0), 2);
  ck_assert_uint_eq (tl_trace_count_segments (trace, 1, TL_FLAG_SYN | TL_FLAG_ACK, FALSE, 100), 1);
  ck_assert_uint_eq (tl_trace_count_segments (trace, 0, fin_ack, FALSE, 29), 1);
  ck_assert_uint_eq (tl_trace_count_segments (trace, 0, fin_ack, FALSE, 30), 2);
  ck_assert_uint_eq (tl_trace_count_segments (trace, 0, 0, TRUE, 100), 4);
  ck_assert_uint_eq (tl_trace_count_segments (trace, 1, 0, TRUE, 100), 2);
  ck_assert_uint_eq (tl_trace_count_segments (trace, 1, TL_FLAG_SYN, FALSE, 40), 1);
  ck_assert_uint_eq (tl_trace_count_segments (trace, 1, TL_FLAG_SYN, FALSE, 39), 0);
}
END_TEST

/* Segment records are kept in blocks (tl-trace-index.c, SEG_BLOCK): over
 * thousands of segments with copies (ids not above the highest so far,
 * duplicates) among them, every count and every set of segments in flight
 * agrees with reading the records. */
START_TEST (test_count_segments_over_blocks_agrees_with_the_records)
{
  g_autoptr(TlTrace) trace = tl_trace_new (host_names, host_addrs);
  g_autoptr(GRand) rand = g_rand_new_with_seed (15);
  const guint8 kinds[4] = { TL_FLAG_SYN, TL_FLAG_SYN | TL_FLAG_ACK, TL_FLAG_ACK,
                            TL_FLAG_FIN | TL_FLAG_ACK };
  guint32 next_id = 1;
  TlWorld world;

  for (guint i = 0; i < 3000; i++)
    {
      TlRecord *r = tl_trace_append (trace, TL_REC_SEGMENT, i / 3);
      guint copy = g_rand_int_range (rand, 0, 10);

      r->host = g_rand_int_range (rand, 0, 2);
      r->conn = TL_NO_CONN;
      r->u.seg.flags = kinds[g_rand_int_range (rand, 0, 4)];
      r->u.seg.delay_us = 50;
      /* one in ten a copy of an earlier id, one in ten a duplicate */
      r->u.seg.id = copy == 0 && next_id > 1 ? (guint32) g_rand_int_range (rand, 1, (gint32) next_id) : next_id++;
      r->u.seg.fate = copy == 1 ? TL_FATE_DUPLICATE : TL_FATE_DELIVERED;
    }
  tl_trace_seal (trace);

  for (gint64 t = -1; t <= 1000; t += 7)
    for (int dir = 0; dir < 2; dir++)
      for (guint k = 0; k <= 4; k++)
        {
          guint64 want = 0;
          guint32 max_id = 0;

          for (guint i = 0; i < tl_trace_n_records (trace); i++)
            {
              const TlRecord *r = tl_trace_record (trace, i);

              if (r->time_us > t)
                break;
              if (r->host == (guint) dir && r->u.seg.fate != TL_FATE_DUPLICATE
                  && r->u.seg.id > max_id && (k == 4 || r->u.seg.flags == kinds[k]))
                want++;
              max_id = MAX (max_id, r->u.seg.id);
            }
          ck_assert_uint_eq (tl_trace_count_segments (trace, dir, k == 4 ? 0 : kinds[k], k == 4, t),
                             want);
        }

  /* the segments in flight, read from the same blocks */
  tl_world_init (&world);
  for (gint64 t = -1; t <= 1000; t += 7)
    {
      guint n_want = 0;

      tl_trace_world_at (trace, t, &world);
      for (guint i = 0; i < tl_trace_n_records (trace); i++)
        {
          const TlRecord *r = tl_trace_record (trace, i);

          if (r->time_us > t)
            break;
          if (r->time_us + (gint64) r->u.seg.delay_us > t)
            {
              ck_assert_uint_lt (n_want, world.in_flight->len);
              ck_assert_uint_eq (g_array_index (world.in_flight, guint, n_want), i);
              n_want++;
            }
        }
      ck_assert_uint_eq (world.in_flight->len, n_want);
    }
  tl_world_clear (&world);
}
END_TEST

static void
append_say (TlTrace *trace, gint64 t, const char *locale, const char *text)
{
  TlRecord *r = tl_trace_append (trace, TL_REC_SAY, t);

  r->u.text.text = tl_trace_add_text (trace, locale, text);
}

START_TEST (test_narration_picks_the_locale_else_the_untranslated_text)
{
  g_autoptr(TlTrace) trace = tl_trace_new (host_names, host_addrs);

  append_say (trace, 100, NULL, "The client sends a SYN.");
  append_say (trace, 100, "zh_CN", "客户端发送 SYN。");
  tl_trace_append (trace, TL_REC_STATE, 150)->conn = TL_NO_CONN;
  append_say (trace, 200, NULL, "Only in English.");
  append_say (trace, 300, "zh", "仅中文。");
  append_say (trace, 300, NULL, "Untranslated.");
  tl_trace_seal (trace);

  ck_assert_ptr_null (tl_trace_narration_at (trace, 99, NULL));
  ck_assert_str_eq (tl_trace_narration_at (trace, 100, NULL), "The client sends a SYN.");
  ck_assert_str_eq (tl_trace_narration_at (trace, 199, "zh_CN"), "客户端发送 SYN。");
  ck_assert_str_eq (tl_trace_narration_at (trace, 150, "zh_CN.UTF-8"), "客户端发送 SYN。");
  ck_assert_str_eq (tl_trace_narration_at (trace, 150, "fr_FR"), "The client sends a SYN.");
  ck_assert_str_eq (tl_trace_narration_at (trace, 250, "zh_CN"), "Only in English.");
  /* zh_CN falls back to zh before the untranslated text. */
  ck_assert_str_eq (tl_trace_narration_at (trace, 300, "zh_CN"), "仅中文。");
  ck_assert_str_eq (tl_trace_narration_at (trace, 9999, NULL), "Untranslated.");
}
END_TEST

static void
append_pause (TlTrace *trace, gint64 t, const char *locale, const char *question)
{
  TlRecord *r = tl_trace_append (trace, TL_REC_PAUSE, t);

  r->u.text.text = question != NULL ? tl_trace_add_text (trace, locale, question) : TL_NO_TEXT;
}

START_TEST (test_question_is_the_pause_at_that_time_in_the_locale)
{
  g_autoptr(TlTrace) trace = tl_trace_new (host_names, host_addrs);

  append_pause (trace, 100, NULL, "Who answers?");
  append_pause (trace, 100, "zh_CN", "谁来回答？");
  append_say (trace, 100, NULL, "Between.");
  append_pause (trace, 200, NULL, NULL);
  append_pause (trace, 300, NULL, "Only in English?");
  tl_trace_seal (trace);

  ck_assert_ptr_null (tl_trace_question_at (trace, 99, NULL));
  ck_assert_str_eq (tl_trace_question_at (trace, 100, NULL), "Who answers?");
  ck_assert_str_eq (tl_trace_question_at (trace, 100, "zh_CN.UTF-8"), "谁来回答？");
  ck_assert_str_eq (tl_trace_question_at (trace, 100, "fr_FR"), "Who answers?");
  /* Only at the pause's very time, unlike the narration. */
  ck_assert_ptr_null (tl_trace_question_at (trace, 101, "zh_CN"));
  ck_assert_ptr_null (tl_trace_question_at (trace, 200, NULL));
  ck_assert_str_eq (tl_trace_question_at (trace, 300, "zh_CN"), "Only in English?");
  ck_assert_ptr_null (tl_trace_question_at (trace, 301, NULL));
}
END_TEST

/* A handshake and a few other records, as the simulator would write them. */
static TlTrace *
make_handshake_trace (void)
{
  TlTrace *trace = tl_trace_new (host_names, host_addrs);
  guint32 c = add_conn (trace, 0, FALSE, 1, 0);
  guint32 s = add_conn (trace, 1, FALSE, 1, 50000);
  TlRecord *r;

  tl_trace_conn_mut (trace, c)->iss = 1000;
  tl_trace_conn_mut (trace, c)->irs = 5000;
  tl_trace_conn_mut (trace, s)->iss = 5000;
  tl_trace_conn_mut (trace, s)->irs = 1000;

  r = tl_trace_append (trace, TL_REC_SEGMENT, 10000);
  r->host = 0, r->conn = c, r->stmt = 2;
  r->u.seg.id = 1, r->u.seg.seq = 1000, r->u.seg.flags = TL_FLAG_SYN, tl_trace_segment_mut (trace, r->u.seg.id)->win = 65535;
  tl_trace_segment_mut (trace, r->u.seg.id)->mss = 1460, r->u.seg.delay_us = 50000, tl_trace_segment_mut (trace, r->u.seg.id)->src_port = 40000, tl_trace_segment_mut (trace, r->u.seg.id)->dst_port = 80;
  r = tl_trace_append (trace, TL_REC_SEGMENT, 60000);
  r->host = 1, r->conn = s;
  r->u.seg.id = 2, r->u.seg.seq = 5000, tl_trace_segment_mut (trace, r->u.seg.id)->ack = 1001, r->u.seg.flags = TL_FLAG_SYN | TL_FLAG_ACK;
  tl_trace_segment_mut (trace, r->u.seg.id)->win = 65535, tl_trace_segment_mut (trace, r->u.seg.id)->mss = 1460, r->u.seg.delay_us = 50000;
  tl_trace_segment_mut (trace, r->u.seg.id)->src_port = 80, tl_trace_segment_mut (trace, r->u.seg.id)->dst_port = 40000;
  r = tl_trace_append (trace, TL_REC_STATE, 110000);
  r->host = 0, r->conn = c;
  r->u.state.from = TL_STATE_SYN_SENT, r->u.state.to = TL_STATE_ESTABLISHED;
  r->u.state.cause = TL_CAUSE_RCV_SYN_ACK;
  r = tl_trace_append (trace, TL_REC_SEGMENT, 110000);
  r->host = 0, r->conn = c;
  r->u.seg.id = 3, r->u.seg.seq = 1001, tl_trace_segment_mut (trace, r->u.seg.id)->ack = 5001, r->u.seg.flags = TL_FLAG_ACK;
  tl_trace_segment_mut (trace, r->u.seg.id)->win = 65535, r->u.seg.delay_us = 50000, tl_trace_segment_mut (trace, r->u.seg.id)->src_port = 40000, tl_trace_segment_mut (trace, r->u.seg.id)->dst_port = 80;
  r = tl_trace_append (trace, TL_REC_TIMER, 110000);
  r->host = 0, r->conn = c;
  r->u.timer.timer = TL_TIMER_RETRANSMIT, r->u.timer.action = TL_TIMER_ARMED;
  r->u.timer.deadline_us = 1110000, r->u.timer.attempt = 2;
  r = tl_trace_append (trace, TL_REC_APP, 120000);
  r->host = 0, r->conn = c, r->u.app.call = TL_CALL_SEND, r->u.app.error = TL_ERR_EPIPE;
  r->u.app.value = 100;
  r = tl_trace_append (trace, TL_REC_SAY, 120000);
  r->u.text.text = tl_trace_add_text (trace, "zh_CN", "他说 \"再见\"\n\t\\ \x01");
  r = tl_trace_append (trace, TL_REC_SEGMENT, 130000);
  r->host = 0;
  r->u.seg.seq = 77, r->u.seg.flags = TL_FLAG_SYN, tl_trace_set_segment_peer (trace, r->u.seg.id, 0xc0a80007);
  r->u.seg.fate = TL_FATE_LOST_RANDOM;
  r = tl_trace_append (trace, TL_REC_LINK, 140000);
  r->u.link.dir = TL_DIR_BOTH, r->u.link.param = TL_LINK_LOSS, r->u.link.value = 50000;
  r = tl_trace_append (trace, TL_REC_END, 150000);
  r->u.end.reason = TL_END_NOTHING_LEFT;
  tl_trace_seal (trace);
  return trace;
}

START_TEST (test_text_lines_show_relative_numbers)
{
  g_autoptr(TlTrace) trace = make_handshake_trace ();
  g_autoptr(GString) out = g_string_new (NULL);
  static const char expected[] =
    "    10.000ms  client -> server  SYN  seq=0 win=65535 len=0 mss=1460  delivered\n"
    "    60.000ms  server -> client  SYN,ACK  seq=0 ack=1 win=65535 len=0 mss=1460  delivered\n"
    "   110.000ms  client#1  SYN_SENT -> ESTABLISHED  (rcv SYN,ACK)\n"
    "   110.000ms  client -> server  ACK  seq=1 ack=1 win=65535 len=0  delivered\n"
    "   110.000ms  client#1  timer retransmit armed, fires in 1s (attempt 2)\n"
    "   120.000ms  client#1  send 100 -> EPIPE\n"
    "   120.000ms  say.zh_CN \"他说 \"再见\"\n\t\\ \x01\"\n"
    "   130.000ms  192.168.0.7 -> server  SYN  seq=77 win=0 len=0  lost (link loss)\n"
    "   140.000ms  link loss 50000\n"
    "   150.000ms  end (nothing_left)\n";
  g_autofree char *line = NULL;

  tl_trace_write_text (trace, out);
  ck_assert_str_eq (out->str, expected);
  line = tl_trace_record_to_text (trace, 3);
  ck_assert_str_eq (line, "   110.000ms  client -> server  ACK  seq=1 ack=1 win=65535 len=0  delivered");
}
END_TEST

START_TEST (test_json_lines_have_the_documented_fields)
{
  g_autoptr(TlTrace) trace = make_handshake_trace ();
  g_autoptr(GString) out = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;

  tl_trace_write_json (trace, out);
  lines = g_strsplit (out->str, "\n", -1);
  ck_assert_uint_eq (g_strv_length (lines), 11);
  ck_assert_str_eq (lines[0],
                    "{\"t_us\":10000,\"kind\":\"segment\",\"host\":0,\"conn\":0,"
                    "\"local_addr\":\"10.0.0.1\",\"remote_addr\":\"10.0.0.2\",\"stmt\":2,"
                    "\"id\":1,\"seq\":1000,\"ack\":0,\"rel_seq\":0,"
                    "\"flags\":\"SYN\",\"len\":0,\"win\":65535,\"window\":65535,\"mss\":1460,"
                    "\"src_port\":40000,\"dst_port\":80,\"delay_us\":50000,\"fate\":\"delivered\","
                    "\"peer_addr\":null,\"options\":{\"sack_perm\":false,\"sack\":[],\"win_shift\":0}}");
  /* the SYN,ACK has the ACK flag: its ack is the client's ISN + 1 */
  ck_assert_ptr_nonnull (strstr (lines[1], ",\"rel_seq\":0,\"rel_ack\":1,"));
  ck_assert_str_eq (lines[2],
                    "{\"t_us\":110000,\"kind\":\"state\",\"host\":0,\"conn\":0,"
                    "\"local_addr\":\"10.0.0.1\",\"remote_addr\":\"10.0.0.2\",\"stmt\":0,"
                    "\"from\":\"SYN_SENT\",\"to\":\"ESTABLISHED\",\"cause\":\"rcv_syn_ack\"}");
  ck_assert_str_eq (lines[4],
                    "{\"t_us\":110000,\"kind\":\"timer\",\"host\":0,\"conn\":0,"
                    "\"local_addr\":\"10.0.0.1\",\"remote_addr\":\"10.0.0.2\",\"stmt\":0,"
                    "\"timer\":\"retransmit\",\"action\":\"armed\",\"attempt\":2,\"deadline_us\":1110000}");
  ck_assert_str_eq (lines[6],
                    "{\"t_us\":120000,\"kind\":\"say\",\"host\":0,\"conn\":null,\"stmt\":0,"
                    "\"text\":\"他说 \\\"再见\\\"\\n\\t\\\\ \\u0001\",\"locale\":\"zh_CN\"}");
}
END_TEST

/* A real JSON parser (Python's) reads every line back (a test of its own,
 * tagged "python3": skipped, not passed, without python3). */
START_TEST (test_json_lines_read_back_by_python)
{
  g_autoptr(TlTrace) trace = make_handshake_trace ();
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *path = NULL;
  g_autofree char *stdout_text = NULL;
  int fd, status;
  const char *argv[] = { "python3", "-c",
    "import json, sys\n"
    "for line in open(sys.argv[1], encoding='utf-8'):\n"
    "    o = json.loads(line)\n"
    "    print(o['kind'], o['t_us'], o['host'], o['conn'], o.get('rel_seq'), o.get('rel_ack'),"
    " o.get('flags'),"
    " o.get('text'), o.get('peer_addr'), o.get('dir'))\n",
    NULL, NULL };

  tl_trace_write_json (trace, out);
  fd = g_file_open_tmp ("test-trace-XXXXXX.jsonl", &path, NULL);
  ck_assert_int_ge (fd, 0);
  close (fd);
  ck_assert (g_file_set_contents (path, out->str, -1, NULL));
  argv[3] = path;
  ck_assert (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                           &stdout_text, NULL, &status, NULL));
  g_unlink (path);
  ck_assert (g_spawn_check_wait_status (status, NULL));
  ck_assert_str_eq (stdout_text,
                    "segment 10000 0 0 0 None SYN None None None\n"
                    "segment 60000 1 1 0 1 SYN,ACK None None None\n"
                    "state 110000 0 0 None None None None None None\n"
                    "segment 110000 0 0 1 1 ACK None None None\n"
                    "timer 110000 0 0 None None None None None None\n"
                    "app 120000 0 0 None None None None None None\n"
                    "say 120000 0 None None None None 他说 \"再见\"\n\t\\ \x01 None None\n"
                    "segment 130000 0 None None None SYN None 192.168.0.7 None\n"
                    "link 140000 0 None None None None None None both\n"
                    "end 150000 0 None None None None None None None\n");
}
END_TEST

Suite *
trace_suite (void)
{
  Suite *s = suite_create ("trace");
  TCase *tc = tcase_create ("storage");

  tcase_add_test (tc, test_append_keeps_records_in_order_and_zeroed);
  tcase_add_test (tc, test_hosts_conns_and_texts_read_back);
  tcase_add_test (tc, test_segment_table_is_shared_by_a_segments_records);
  tcase_add_test (tc, test_resolve_conn_by_ordinal_and_most_recent);
  tcase_add_test (tc, test_resolve_conn_with_ties_and_out_of_order);
  suite_add_tcase (s, tc);

  tc = tcase_create ("index");
  tcase_set_timeout (tc, 250);  /* the million-record cases, on a loaded shared machine */
  tcase_add_test (tc, test_world_at_matches_a_full_replay);
  tcase_add_test (tc, test_world_at_matches_a_full_replay_on_a_million_records);
  tcase_add_test (tc, test_crash_closes_sockets_without_state_records);
  tcase_add_test (tc, test_count_segments_skips_duplicates_and_counts_losses);
  tcase_add_test (tc, test_count_segments_over_blocks_agrees_with_the_records);
  tcase_add_test (tc, test_narration_picks_the_locale_else_the_untranslated_text);
  tcase_add_test (tc, test_question_is_the_pause_at_that_time_in_the_locale);
  suite_add_tcase (s, tc);

  tc = tcase_create ("writers");
  tcase_add_test (tc, test_text_lines_show_relative_numbers);
  tcase_add_test (tc, test_json_lines_have_the_documented_fields);
  suite_add_tcase (s, tc);

  tc = tcase_create ("python3");
  tcase_set_tags (tc, "python3");
  tcase_add_test (tc, test_json_lines_read_back_by_python);
  suite_add_tcase (s, tc);
  return s;
}
