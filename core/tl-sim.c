/* tl-sim.c: the run loop.  Scenario statements become events at their times;
 * each event is a statement, a segment's arrival, a timer or a flood's next
 * SYN.  Expectations are not run here: the checker reads the trace. */
#include "tl-sim-private.h"

#include <string.h>

TlRecord *
tl_sim_record (TlSim        *sim,
               TlRecordKind  kind,
               guint         host,
               guint32       conn)
{
  TlRecord *rec = tl_trace_append (sim->trace, kind, tl_sim_time (sim));

  rec->host = (guint8) host;
  rec->stmt = MIN (sim->cur_stmt, (1u << 24) - 1);
  rec->conn = conn;
  return rec;
}

void
tl_sim_record_app (TlSim   *sim,
                   guint    host,
                   guint32  conn,
                   TlCall   call,
                   guint64  value,
                   TlError  error)
{
  TlRecord *rec = tl_sim_record (sim, TL_REC_APP, host, conn);

  rec->u.app.call = call;
  rec->u.app.value = value;
  rec->u.app.error = error;
}

TlTcb *
tl_sim_alloc_tcb (TlSim *sim)
{
  TlTcb *tcb = sim->free_tcbs->len > 0
               ? g_ptr_array_steal_index_fast (sim->free_tcbs, sim->free_tcbs->len - 1)
               : (sim->n_tcbs++, g_new (TlTcb, 1));

  memset (tcb, 0, sizeof *tcb);
  return tcb;
}

void
tl_sim_release_tcb (TlSim *sim,
                    TlTcb *tcb)
{
  g_clear_pointer (&tcb->rtx, g_array_unref);
  tl_tcp_rcvbuf_free (tcb);
  g_ptr_array_add (sim->free_tcbs, tcb);
}

static void
record_segment (TlSim           *sim,
                TlRecordKind     kind,
                guint            host,
                const TlSegment *seg,
                TlFate           fate,
                gint64           delay_us)
{
  TlRecord *rec = tl_sim_record (sim, kind, host, seg->conn);
  TlTraceSegment *shared;
  guint32 a = sim->hosts[0].addr;
  guint32 b = sim->hosts[1].addr;

  rec->u.seg.id = seg->id;
  rec->u.seg.seq = seg->seq;
  rec->u.seg.delay_us = (guint32) CLAMP (delay_us, 0, G_MAXUINT32);
  rec->u.seg.len = seg->len;
  rec->u.seg.flags = seg->flags;
  rec->u.seg.fate = fate;
  if (kind != TL_REC_SEGMENT || fate == TL_FATE_DUPLICATE)
    return;  /* its TL_REC_SEGMENT described it */
  shared = tl_trace_segment_mut (sim->trace, seg->id);
  shared->ack = seg->ack;
  shared->win = seg->win;
  shared->mss = seg->mss;
  shared->src_port = seg->src_port;
  shared->dst_port = seg->dst_port;
  if (seg->src_addr != a && seg->src_addr != b)
    tl_trace_set_segment_peer (sim->trace, seg->id, seg->src_addr);
  else if (seg->dst_addr != a && seg->dst_addr != b)
    tl_trace_set_segment_peer (sim->trace, seg->id, seg->dst_addr);
}

/* Puts seg on the wire until delay_us from now; rec is its segment record. */
static void
schedule_arrival (TlSim           *sim,
                  const TlSegment *seg,
                  gint64           delay_us,
                  guint            rec)
{
  gint64 now = tl_sim_time (sim);
  TlFlight flight = { *seg, 0, now, now + delay_us, rec };
  guint32 slot;

  if (sim->free_segs->len > 0)
    {
      slot = g_array_index (sim->free_segs, guint32, sim->free_segs->len - 1);
      g_array_set_size (sim->free_segs, sim->free_segs->len - 1);
    }
  else
    {
      slot = sim->segs->len;
      g_array_set_size (sim->segs, slot + 1);
    }
  flight.arrival = tl_event_queue_push (sim->queue, flight.arrive_us, TL_EV_ARRIVE, slot, NULL);
  g_array_index (sim->segs, TlFlight, slot) = flight;
}

static void
free_slot (TlSim   *sim,
           guint32  slot)
{
  g_array_index (sim->segs, TlFlight, slot).arrival = 0;
  g_array_append_val (sim->free_segs, slot);
}

void
tl_sim_transmit (TlSim     *sim,
                 guint      host,
                 TlSegment *seg)
{
  TlLinkVerdict v;
  guint to = 1 - host;
  TlFate fate;

  seg->id = sim->next_seg_id++;
  seg->to_host = (guint8) to;
  /* what the trace cannot tell from the connection (tl_trace_segment_options) */
  if (seg->conn == TL_NO_CONN)
    tl_trace_set_loose_options (sim->trace, seg->id,
                                (seg->sack_perm ? TL_OPT_SACK_PERM : 0) | (seg->ts ? TL_OPT_TS : 0)
                                | (seg->ws ? TL_OPT_WSCALE : 0),
                                seg->wscale, seg->tsval, seg->tsecr);
  else if (seg->ts)
    tl_trace_set_tsecr (sim->trace, seg->id, seg->tsecr);
  tl_trace_set_sack (sim->trace, seg->id, seg->n_sack, seg->sack);
  tl_link_send (&sim->link, &sim->rng, (int) host, seg->flags, tl_sim_time (sim), &v);
  fate = v.fate;
  /* Nobody lives at a flood's spoofed address: the segment crosses the link
   * and is gone. */
  if (fate == TL_FATE_DELIVERED && seg->dst_addr != sim->hosts[to].addr)
    fate = TL_FATE_DISCARDED;

  record_segment (sim, TL_REC_SEGMENT, host, seg, fate, v.delay_us);
  if (fate != TL_FATE_DELIVERED)
    return;
  schedule_arrival (sim, seg, v.delay_us, tl_trace_n_records (sim->trace) - 1);
  if (v.duplicated)
    {
      record_segment (sim, TL_REC_SEGMENT, host, seg, TL_FATE_DUPLICATE, v.delay_us);
      schedule_arrival (sim, seg, v.delay_us, tl_trace_n_records (sim->trace) - 1);
    }
}

static void
arrive (TlSim   *sim,
        guint32  slot)
{
  TlSegment seg = g_array_index (sim->segs, TlFlight, slot).seg;
  guint from = 1 - seg.to_host;
  gboolean down = sim->hosts[seg.to_host].crashed;

  free_slot (sim, slot);
  record_segment (sim, TL_REC_ARRIVE, from, &seg,
                  down ? TL_FATE_LOST_HOST_DOWN : TL_FATE_DELIVERED, 0);
  if (!down)
    tl_host_receive (sim, seg.to_host, &seg);
}

static void
end (TlSim       *sim,
     TlEndReason  reason,
     gint64       time_us)
{
  TlRecord *rec = tl_trace_append (sim->trace, TL_REC_END, time_us);

  rec->u.end.reason = reason;
  rec->u.end.stmt = sim->last_stmt;
  rec->u.end.limit = reason == TL_END_EVENT_LIMIT ? sim->limits.events
                     : reason == TL_END_RECORD_LIMIT ? sim->limits.records
                     : reason == TL_END_MEMORY_LIMIT ? sim->limits.bytes : 0;
  sim->ended = TRUE;
}

static void
flood_send (TlSim   *sim,
            guint32  index)
{
  TlFlood *f = &g_array_index (sim->floods, TlFlood, index);
  guint from = 1 - f->target;
  guint32 saved = sim->cur_stmt;
  TlSegment syn = {
    .dst_addr = sim->hosts[f->target].addr,
    .dst_port = f->port,
    .flags = TL_FLAG_SYN,
    .win = 64240,
    .mss = 1460,
    .conn = TL_NO_CONN,
  };

  /* Drawn in a fixed order: address, port, ISN. */
  syn.src_addr = f->net_addr | (guint32) (tl_rng_next (&sim->rng) & f->host_mask);
  syn.src_port = (guint16) (1024 + tl_rng_below (&sim->rng, 65536 - 1024));
  syn.seq = (guint32) tl_rng_next (&sim->rng);

  sim->cur_stmt = sim->last_stmt = f->stmt;
  tl_sim_transmit (sim, from, &syn);
  sim->cur_stmt = saved;

  f->sent++;
  if (f->sent < f->count)
    {
      gint64 at = f->start_us + (gint64) ((guint64) f->sent * TL_USEC_PER_SEC / f->rate_per_s);

      tl_event_queue_push (sim->queue, MAX (at, tl_sim_time (sim)), TL_EV_FLOOD, index, NULL);
    }
}

static gint
flight_cmp_id (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  const TlFlight *segs = user_data;
  guint32 ia = segs[*(const guint32 *) a].seg.id;
  guint32 ib = segs[*(const guint32 *) b].seg.id;

  return (ia > ib) - (ia < ib);
}

/* `lose` and `duplicate`: every segment sent in dir before now that has not
 * arrived yet (one arriving now has: world_at(now) no longer shows it), with
 * these flags.  A lost one's record is corrected: lost now, after the time
 * it travelled; a duplicated one gets a copy that enters the wire now (one
 * copy per segment, whatever copies the link already made).  The link's rule
 * takes the segments sent in the rest of this microsecond.  Returns how many
 * segments were lost or copied. */
static guint
wire_stmt (TlSim        *sim,
           const TlStmt *stmt,
           gboolean      lose)
{
  int dir = stmt->u.wire.dir;
  gint64 now = tl_sim_time (sim);
  g_autoptr(GArray) hits = g_array_new (FALSE, FALSE, sizeof (guint32));
  guint n = 0;

  for (guint32 slot = 0; slot < sim->segs->len; slot++)
    {
      const TlFlight *f = &g_array_index (sim->segs, TlFlight, slot);

      if (f->arrival != 0 && (dir == TL_DIR_BOTH || f->seg.to_host != dir) && f->arrive_us > now
          && tl_link_flags_match (stmt->u.wire.flags, stmt->u.wire.any, f->seg.flags))
        g_array_append_val (hits, slot);
    }
  /* in the order they were sent, whatever slots they took */
  g_array_sort_with_data (hits, flight_cmp_id, sim->segs->data);

  for (guint i = 0; i < hits->len; i++)
    {
      guint32 slot = g_array_index (hits, guint32, i);
      TlFlight f = g_array_index (sim->segs, TlFlight, slot);
      TlRecord *rec = tl_trace_record_mut (sim->trace, f.record);

      if (lose)
        {
          tl_event_queue_cancel (sim->queue, f.arrival);
          free_slot (sim, slot);
          rec->u.seg.fate = TL_FATE_LOST_SCRIPTED;
          rec->u.seg.delay_us = (guint32) CLAMP (now - f.sent_us, 0, G_MAXUINT32);
          n++;
        }
      else if (rec->u.seg.fate != TL_FATE_DUPLICATE)
        {
          guint from = 1 - f.seg.to_host;
          gint64 arrival = tl_link_copy_arrival (&sim->link, (int) from, now);

          record_segment (sim, TL_REC_SEGMENT, from, &f.seg, TL_FATE_DUPLICATE, arrival - now);
          schedule_arrival (sim, &f.seg, arrival - now, tl_trace_n_records (sim->trace) - 1);
          n++;
        }
    }
  for (int d = 0; d < 2; d++)
    if (dir == TL_DIR_BOTH || dir == d)
      tl_link_add_wire_rule (&sim->link, d, stmt->u.wire.flags, stmt->u.wire.any, lose, now);
  return n;
}

static void
run_stmt (TlSim *sim,
          guint  index)
{
  const TlStmt *stmt = &g_array_index (sim->scenario->stmts, TlStmt, index);
  TlRecord *rec;
  TlTcb *tcb;

  sim->cur_stmt = sim->last_stmt = index + 1;
  switch ((TlStmtKind) stmt->kind)
    {
    case TL_STMT_LISTEN:
      if (tl_tcp_user_host_up (sim, stmt, TL_CALL_LISTEN))
        tl_tcp_user_listen (sim, stmt);
      break;
    case TL_STMT_UNLISTEN:
      if (tl_tcp_user_host_up (sim, stmt, TL_CALL_UNLISTEN))
        tl_tcp_user_unlisten (sim, stmt);
      break;
    case TL_STMT_CONNECT:
      if (tl_tcp_user_host_up (sim, stmt, TL_CALL_CONNECT))
        tl_tcp_user_connect (sim, stmt);
      break;
    case TL_STMT_ACCEPT:
      if (tl_tcp_user_host_up (sim, stmt, TL_CALL_ACCEPT))
        tl_tcp_user_accept (sim, stmt);
      break;
    case TL_STMT_CRASH:
      /* of a host already down: seen, nothing done */
      if (tl_tcp_user_host_up (sim, stmt, TL_CALL_CRASH))
        tl_host_crash (sim, stmt->host);
      break;
    case TL_STMT_REBOOT:
      tl_host_reboot (sim, stmt->host);
      break;
    case TL_STMT_SEND:
      if ((tcb = tl_tcp_user_tcb (sim, stmt, TL_CALL_SEND)) != NULL)
        tl_tcp_user_send (sim, tcb, stmt->u.data.bytes);
      break;
    case TL_STMT_READ:
      if ((tcb = tl_tcp_user_tcb (sim, stmt, TL_CALL_READ)) != NULL)
        tl_tcp_user_read (sim, tcb, stmt->u.data.bytes);
      break;
    case TL_STMT_CLOSE:
      if ((tcb = tl_tcp_user_tcb (sim, stmt, TL_CALL_CLOSE)) != NULL)
        tl_tcp_user_close (sim, tcb, TRUE);
      break;
    case TL_STMT_SHUTDOWN:
      if ((tcb = tl_tcp_user_tcb (sim, stmt, TL_CALL_SHUTDOWN)) != NULL)
        tl_tcp_user_close (sim, tcb, FALSE);
      break;
    case TL_STMT_ABORT:
      if ((tcb = tl_tcp_user_tcb (sim, stmt, TL_CALL_ABORT)) != NULL)
        tl_tcp_user_abort (sim, tcb);
      break;
    case TL_STMT_LINK:
      for (guint i = 0; i < stmt->u.link.n_settings; i++)
        {
          const TlLinkSetting *ls = &stmt->u.link.settings[i];

          tl_link_apply (&sim->link, stmt->u.link.dir, ls);
          rec = tl_sim_record (sim, TL_REC_LINK, 0, TL_NO_CONN);
          rec->u.link.dir = (gint8) stmt->u.link.dir;
          rec->u.link.param = ls->param;
          rec->u.link.value = ls->value;
        }
      break;
    case TL_STMT_SET:
      for (guint h = 0; h < 2; h++)
        if (stmt->u.set.host < 0 || (guint) stmt->u.set.host == h)
          for (guint i = 0; i < stmt->u.set.n_settings; i++)
            tl_settings_apply (&sim->hosts[h].settings, &stmt->u.set.settings[i]);
      break;
    case TL_STMT_DROP:
    case TL_STMT_DUPLICATE_NEXT:
      tl_link_add_drop (&sim->link, stmt->u.drop.dir, stmt->u.drop.flags, stmt->u.drop.any,
                        MAX (stmt->u.drop.count, 1), stmt->kind == TL_STMT_DUPLICATE_NEXT);
      rec = tl_sim_record (sim, TL_REC_LINK, 0, TL_NO_CONN);
      rec->u.link.dir = (gint8) stmt->u.drop.dir;
      rec->u.link.param = stmt->kind == TL_STMT_DROP ? TL_LINK_REC_DROP_NEXT
                                                     : TL_LINK_REC_DUPLICATE_NEXT;
      rec->u.link.value = MAX (stmt->u.drop.count, 1);
      break;
    case TL_STMT_HOLD_NEXT:
      tl_link_add_hold (&sim->link, stmt->u.drop.dir, stmt->u.drop.flags, stmt->u.drop.any,
                        stmt->u.drop.delay_us);
      rec = tl_sim_record (sim, TL_REC_LINK, 0, TL_NO_CONN);
      rec->u.link.dir = (gint8) stmt->u.drop.dir;
      rec->u.link.param = TL_LINK_REC_HOLD_NEXT;
      rec->u.link.value = stmt->u.drop.delay_us;
      break;
    case TL_STMT_LOSE:
    case TL_STMT_DUPLICATE:
      {
        gboolean lose = stmt->kind == TL_STMT_LOSE;
        guint n = wire_stmt (sim, stmt, lose);

        /* recorded also when it met nothing on the wire (value 0) */
        rec = tl_sim_record (sim, TL_REC_LINK, 0, TL_NO_CONN);
        rec->u.link.dir = (gint8) stmt->u.wire.dir;
        rec->u.link.param = lose ? TL_LINK_REC_LOSE : TL_LINK_REC_DUPLICATE;
        rec->u.link.value = n;
      }
      break;
    case TL_STMT_FLOOD:
      if (stmt->u.flood.count > 0 && stmt->u.flood.target < 2)
        {
          guint8 prefix = MIN (stmt->u.flood.prefix_len, 32);
          TlFlood f = {
            .target = stmt->u.flood.target,
            .port = stmt->u.flood.port,
            .stmt = sim->cur_stmt,
            .count = stmt->u.flood.count,
            .rate_per_s = MAX (stmt->u.flood.rate_per_s, 1),
            .host_mask = prefix == 0 ? G_MAXUINT32 : (guint32) ((G_GUINT64_CONSTANT (1) << (32 - prefix)) - 1),
            .start_us = tl_sim_time (sim),
          };

          f.net_addr = stmt->u.flood.net_addr & ~f.host_mask;
          g_array_append_val (sim->floods, f);
          tl_event_queue_push (sim->queue, tl_sim_time (sim), TL_EV_FLOOD, sim->floods->len - 1, NULL);
        }
      break;
    case TL_STMT_SAY:
      {
        guint32 text = tl_trace_add_text (sim->trace, stmt->u.say.locale, stmt->u.say.text);

        rec = tl_sim_record (sim, TL_REC_SAY, 0, TL_NO_CONN);
        rec->u.text.text = text;
      }
      break;
    case TL_STMT_PAUSE:
      {
        guint32 text = stmt->u.pause.question != NULL
                       ? tl_trace_add_text (sim->trace, stmt->u.pause.locale,
                                            stmt->u.pause.question)
                       : TL_NO_TEXT;

        rec = tl_sim_record (sim, TL_REC_PAUSE, 0, TL_NO_CONN);
        rec->u.text.text = text;
      }
      break;
    case TL_STMT_END:
      end (sim, TL_END_STATEMENT, tl_sim_time (sim));
      break;
    case TL_STMT_CHOICE:
    case TL_STMT_EXPLAIN:
      /* Classroom text the window reads from the scenario (tl-question.h). */
      break;
    case TL_STMT_EXPECT_STATE:
    case TL_STMT_EXPECT_SOCKETS:
    case TL_STMT_EXPECT_SEGMENTS:
    case TL_STMT_EXPECT_ERROR:
      break;   /* the checker's, on the trace */
    }
  sim->cur_stmt = 0;
}

/* When the statement at position pos of stmt_order runs. */
static inline gint64
stmt_time (const TlSim *sim,
           guint        pos)
{
  return MAX (g_array_index (sim->scenario->stmts, TlStmt, sim->stmt_order[pos]).time_us, 0);
}

static gint
compare_stmt_time (gconstpointer a,
                   gconstpointer b,
                   gpointer      user_data)
{
  const GArray *stmts = user_data;
  gint64 ta = MAX (g_array_index (stmts, TlStmt, *(const guint32 *) a).time_us, 0);
  gint64 tb = MAX (g_array_index (stmts, TlStmt, *(const guint32 *) b).time_us, 0);

  return (ta > tb) - (ta < tb);
}

/* copy FALSE: the caller keeps the scenario alive and unchanged while the
 * simulator runs (tl_simulate), which spares a copy of a long lesson. */
static TlSim *
sim_new (const TlScenario *scenario,
         gboolean          copy)
{
  TlSim *sim;
  const char *names[2];
  guint32 addrs[2];
  gboolean sorted = TRUE;
  guint64 flood_syns = 0;

  sim = g_new0 (TlSim, 1);
  sim->scenario_owned = copy;
  sim->scenario = copy ? tl_scenario_copy (scenario) : (TlScenario *) scenario;
  sim->queue = tl_event_queue_new ();
  for (guint h = 0; h < 2; h++)
    {
      names[h] = scenario->hosts[h].name;
      addrs[h] = scenario->hosts[h].addr;
    }
  sim->trace = tl_trace_new (names, addrs);
  tl_rng_init (&sim->rng, scenario->seed);
  tl_link_init (&sim->link, scenario->link);
  for (guint h = 0; h < 2; h++)
    tl_host_init (&sim->hosts[h], h, addrs[h], &scenario->settings[h], tl_rng_next (&sim->rng));
  sim->segs = g_array_new (FALSE, FALSE, sizeof (TlFlight));
  sim->free_segs = g_array_new (FALSE, FALSE, sizeof (guint32));
  sim->floods = g_array_new (FALSE, FALSE, sizeof (TlFlood));
  sim->free_tcbs = g_ptr_array_new_with_free_func (g_free);
  sim->next_seg_id = 1;
  tl_budget_init_limits (&sim->limits);

  sim->stmt_order = g_new (guint32, MAX (sim->scenario->stmts->len, 1));
  for (guint i = 0; i < sim->scenario->stmts->len; i++)
    {
      const TlStmt *stmt = &g_array_index (sim->scenario->stmts, TlStmt, i);

      if (stmt->kind == TL_STMT_FLOOD)
        flood_syns += stmt->u.flood.count;
      /* the checker's, on the trace */
      if (!tl_stmt_kind_is_expectation (stmt->kind))
        {
          if (sim->n_stmt_order > 0 && stmt_time (sim, sim->n_stmt_order - 1) > MAX (stmt->time_us, 0))
            sorted = FALSE;
          sim->stmt_order[sim->n_stmt_order++] = i;
        }
    }
  /* A scenario made by hand may list its statements out of time order:
   * stable, so that equal times keep the order of the list. */
  if (!sorted)
    g_qsort_with_data (sim->stmt_order, sim->n_stmt_order, sizeof (guint32),
                       compare_stmt_time, sim->scenario->stmts);
  /* A flood's SYN is two records (on the wire, its arrival) and a reply
   * a third (a cookie's SYN,ACK, a RST): room for those, within the
   * budget's records, from the start. */
  flood_syns = MIN (flood_syns, sim->limits.records / 3);
  if (flood_syns > 0)
    tl_trace_reserve (sim->trace, (guint) (3 * flood_syns + 64), (guint) (2 * flood_syns + 64));
  if (scenario->end_us >= 0)
    tl_event_queue_push (sim->queue, scenario->end_us, TL_EV_END, 0, NULL);
  return sim;
}

TlSim *
tl_sim_new (const TlScenario *scenario)
{
  g_return_val_if_fail (scenario != NULL, NULL);

  return sim_new (scenario, TRUE);
}

static void
free_sockets (TlSim *sim)
{
  for (guint h = 0; h < 2; h++)
    {
      TlTcb *t = sim->hosts[h].first;

      while (t != NULL)
        {
          TlTcb *next = t->next;

          g_clear_pointer (&t->rtx, g_array_unref);
          tl_tcp_rcvbuf_free (t);
          g_free (t);
          t = next;
        }
      sim->hosts[h].first = sim->hosts[h].last = NULL;
      tl_host_clear (&sim->hosts[h]);
    }
}

void
tl_sim_free (TlSim *sim)
{
  if (sim == NULL)
    return;
  free_sockets (sim);
  g_clear_pointer (&sim->free_tcbs, g_ptr_array_unref);
  g_clear_pointer (&sim->segs, g_array_unref);
  g_clear_pointer (&sim->free_segs, g_array_unref);
  g_clear_pointer (&sim->floods, g_array_unref);
  tl_link_clear (&sim->link);
  g_clear_pointer (&sim->trace, tl_trace_free);
  g_clear_pointer (&sim->queue, tl_event_queue_free);
  g_clear_pointer (&sim->stmt_order, g_free);
  if (sim->scenario_owned)
    g_clear_pointer (&sim->scenario, tl_scenario_free);
  g_free (sim);
}

/* The trace and the simulator's own state: segments on the wire, socket
 * blocks, the event queue (about one event per segment, timer and flood). */
static guint64
memory_bytes (TlSim *sim)
{
  return tl_trace_memory_bytes (sim->trace)
         + (guint64) sim->segs->len * (sizeof (TlFlight) + 2 * sizeof (TlEvent))
         + sim->n_tcbs * (sizeof (TlTcb) + TL_N_TIMERS * sizeof (TlEvent));
}

/* The time of the next thing to do, statement or queued event; FALSE if
 * nothing is left.  *is_stmt: the next is a statement (which goes first at
 * equal times, as they were scheduled before anything else). */
static gboolean
next_time (TlSim    *sim,
           gint64   *time_us,
           gboolean *is_stmt)
{
  gint64 tq = 0;
  gboolean have_q = tl_event_queue_peek_time (sim->queue, &tq);

  *is_stmt = sim->next_stmt < sim->n_stmt_order
             && (!have_q || stmt_time (sim, sim->next_stmt) <= tq);
  *time_us = *is_stmt ? stmt_time (sim, sim->next_stmt) : tq;
  return *is_stmt || have_q;
}

gboolean
tl_sim_step (TlSim *sim)
{
  TlEvent ev;
  gint64 t;
  gboolean is_stmt;

  g_return_val_if_fail (sim != NULL, FALSE);

  if (sim->ended)
    return FALSE;
  if (!next_time (sim, &t, &is_stmt))
    {
      end (sim, TL_END_NOTHING_LEFT, tl_sim_time (sim));
      return FALSE;
    }
  if (t > TL_SIM_MAX_TIME_US)
    {
      end (sim, TL_END_TIME_LIMIT, TL_SIM_MAX_TIME_US);
      return FALSE;
    }
  if (sim->n_events >= sim->limits.events)
    {
      end (sim, TL_END_EVENT_LIMIT, tl_sim_time (sim));
      return FALSE;
    }
  /* An event makes a handful of records at most, so checking before each
   * keeps a run within its budget but for those few. */
  if (tl_trace_n_records (sim->trace) >= sim->limits.records)
    {
      end (sim, TL_END_RECORD_LIMIT, tl_sim_time (sim));
      return FALSE;
    }
  if (memory_bytes (sim) >= sim->limits.bytes)
    {
      end (sim, TL_END_MEMORY_LIMIT, tl_sim_time (sim));
      return FALSE;
    }

  sim->n_events++;
  if (is_stmt)
    {
      tl_event_queue_advance (sim->queue, t);
      run_stmt (sim, sim->stmt_order[sim->next_stmt++]);
      return !sim->ended;
    }
  tl_event_queue_pop (sim->queue, &ev);
  switch ((TlEventKind) ev.kind)
    {
    case TL_EV_ARRIVE:
      arrive (sim, ev.arg);
      break;
    case TL_EV_TIMER:
      tl_tcp_timer_fire (sim, ev.data, ev.arg);
      break;
    case TL_EV_FLOOD:
      flood_send (sim, ev.arg);
      break;
    case TL_EV_END:
      end (sim, TL_END_STATEMENT, ev.time_us);
      break;
    }
  return !sim->ended;
}

void
tl_sim_run_until (TlSim  *sim,
                  gint64  time_us)
{
  gint64 t;
  gboolean is_stmt;

  g_return_if_fail (sim != NULL);

  while (!sim->ended && next_time (sim, &t, &is_stmt) && t <= time_us)
    tl_sim_step (sim);
}

void
tl_sim_run (TlSim *sim)
{
  g_return_if_fail (sim != NULL);

  while (tl_sim_step (sim))
    ;
}

void
tl_sim_set_max_events (TlSim   *sim,
                       guint64  max_events)
{
  g_return_if_fail (sim != NULL);
  g_return_if_fail (sim->n_events == 0);

  sim->limits.events = max_events;
}

void
tl_sim_set_limits (TlSim          *sim,
                   const TlBudget *limits)
{
  g_return_if_fail (sim != NULL && limits != NULL);
  g_return_if_fail (sim->n_events == 0);

  sim->limits = *limits;
}

gint64
tl_sim_now (TlSim *sim)
{
  g_return_val_if_fail (sim != NULL, 0);
  return tl_sim_time (sim);
}

guint64
tl_sim_n_events (TlSim *sim)
{
  g_return_val_if_fail (sim != NULL, 0);
  return sim->n_events;
}

guint64
tl_sim_n_probes (TlSim *sim)
{
  g_return_val_if_fail (sim != NULL, 0);
  return sim->hosts[0].probes + sim->hosts[1].probes;
}

const TlTrace *
tl_sim_peek_trace (TlSim *sim)
{
  g_return_val_if_fail (sim != NULL, NULL);
  return sim->trace;
}

TlTrace *
tl_sim_steal_trace (TlSim *sim)
{
  g_return_val_if_fail (sim != NULL, NULL);
  g_return_val_if_fail (sim->trace != NULL, NULL);

  tl_sim_run (sim);
  /* The run is over and the trace leaves: the sockets, the segments on the
   * wire and the statements' order go before the seal builds its indexes,
   * not after (at 100,000 connections the peak is the seal's). */
  free_sockets (sim);
  g_clear_pointer (&sim->free_tcbs, g_ptr_array_unref);
  g_clear_pointer (&sim->segs, g_array_unref);
  g_clear_pointer (&sim->free_segs, g_array_unref);
  g_clear_pointer (&sim->stmt_order, g_free);
  sim->n_stmt_order = sim->next_stmt = 0;
  tl_trace_seal (sim->trace);
  return g_steal_pointer (&sim->trace);
}

TlTrace *
tl_simulate (const TlScenario *scenario)
{
  g_autoptr (TlSim) sim = NULL;

  g_return_val_if_fail (scenario != NULL, NULL);

  sim = sim_new (scenario, FALSE);
  return tl_sim_steal_trace (sim);
}
