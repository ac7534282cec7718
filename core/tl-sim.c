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
  rec->stmt = sim->cur_stmt;
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
               : g_new (TlTcb, 1);

  memset (tcb, 0, sizeof *tcb);
  return tcb;
}

void
tl_sim_release_tcb (TlSim *sim,
                    TlTcb *tcb)
{
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
  guint32 a = sim->hosts[0].addr;
  guint32 b = sim->hosts[1].addr;

  rec->u.seg.id = seg->id;
  rec->u.seg.seq = seg->seq;
  rec->u.seg.ack = seg->ack;
  rec->u.seg.delay_us = (guint32) CLAMP (delay_us, 0, G_MAXUINT32);
  rec->u.seg.len = seg->len;
  rec->u.seg.win = seg->win;
  rec->u.seg.mss = seg->mss;
  rec->u.seg.src_port = seg->src_port;
  rec->u.seg.dst_port = seg->dst_port;
  rec->u.seg.flags = seg->flags;
  rec->u.seg.fate = fate;
  if (seg->src_addr != a && seg->src_addr != b)
    rec->u.seg.peer_addr = seg->src_addr;
  else if (seg->dst_addr != a && seg->dst_addr != b)
    rec->u.seg.peer_addr = seg->dst_addr;
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
  sim->ended = TRUE;
}

/* ---- the application's calls (RFC 9293 section 3.10.1 to 3.10.5) ---- */

static void
app_connect (TlSim        *sim,
             const TlStmt *stmt)
{
  guint h = stmt->host;
  guint peer = stmt->u.connect.peer < 2 ? stmt->u.connect.peer : 1 - h;
  guint32 raddr = sim->hosts[peer].addr;
  guint16 rport = stmt->u.connect.port;
  guint16 lport = stmt->u.connect.from_port;
  guint64 key;
  TlTcb *tcb;

  if (lport == 0)
    lport = tl_host_ephemeral_port (sim, h, raddr, rport);
  key = tl_host_key (raddr, rport, lport);
  if (lport == 0 || g_hash_table_contains (sim->hosts[h].conns, &key))
    {
      /* the 4-tuple is taken (Linux: EADDRINUSE, which TlError lacks): a
       * visible no-op */
      tl_sim_record_app (sim, h, TL_NO_CONN, TL_CALL_CONNECT, rport, TL_ERR_NONE);
      return;
    }

  tcb = tl_host_new_socket (sim, h, FALSE, lport, raddr, rport, NULL);
  tcb->active_open = TRUE;
  tcb->app_owned = TRUE;
  tcb->iss = tl_host_new_isn (sim, &tcb->settings);
  tcb->snd_una = tcb->iss;
  tcb->snd_nxt = tcb->iss + 1;
  tcb->data_end = tcb->iss + 1;
  tcb->rtt_pending = TRUE;
  tcb->rtt_seq = tcb->iss;
  tcb->rtt_sent_us = tl_sim_time (sim);
  tl_trace_conn_mut (sim->trace, tcb->conn)->iss = tcb->iss;

  tl_sim_record_app (sim, h, tcb->conn, TL_CALL_CONNECT, rport, TL_ERR_NONE);
  tl_tcb_set_state (sim, tcb, TL_STATE_SYN_SENT, TL_CAUSE_APP_CONNECT);
  tl_tcp_send_syn (sim, tcb);
  tl_tcp_timer_arm (sim, tcb, TL_TIMER_RETRANSMIT, tcb->rto_us);
}

static void
app_send (TlSim   *sim,
          TlTcb   *tcb,
          guint64  bytes)
{
  TlError error = TL_ERR_NONE;

  switch (tcb->state)
    {
    case TL_STATE_SYN_SENT:
    case TL_STATE_SYN_RCVD:
    case TL_STATE_ESTABLISHED:
    case TL_STATE_CLOSE_WAIT:
      if (tcb->shut_wr)
        {
          error = TL_ERR_EPIPE;
          break;
        }
      /* The send buffer is unbounded here, within 2^30 bytes so that the
       * sequence space never wraps onto unacknowledged data. */
      bytes = MIN (bytes, (guint64) (1u << 30) - tcb->send_q);
      tcb->data_end += (guint32) bytes;
      tcb->send_q += (guint32) bytes;
      break;
    case TL_STATE_FIN_WAIT_1:
    case TL_STATE_FIN_WAIT_2:
    case TL_STATE_CLOSING:
    case TL_STATE_LAST_ACK:
    case TL_STATE_TIME_WAIT:
    case TL_STATE_CLOSED:
    case TL_STATE_LISTEN:
      error = TL_ERR_EPIPE;
      break;
    }
  tl_sim_record_app (sim, tcb->host, tcb->conn, TL_CALL_SEND, error ? 0 : bytes, error);
  if (error == TL_ERR_NONE && bytes > 0)
    {
      tl_tcb_queues_changed (sim, tcb);
      tl_tcp_output (sim, tcb);
    }
}

static void
app_read (TlSim   *sim,
          TlTcb   *tcb,
          guint64  bytes)
{
  guint16 old_wnd = tl_tcp_window (tcb);
  guint32 n = bytes == 0 ? tcb->recv_q : (guint32) MIN (bytes, tcb->recv_q);

  tcb->recv_q -= n;
  tl_sim_record_app (sim, tcb->host, tcb->conn, TL_CALL_READ, n, TL_ERR_NONE);
  if (n > 0)
    tl_tcb_queues_changed (sim, tcb);
  if (tcb->recv_q == 0 && tcb->fin_rcvd && !tcb->eof_seen)
    {
      tcb->eof_seen = TRUE;
      tl_sim_record_app (sim, tcb->host, tcb->conn, TL_CALL_EOF, 0, TL_ERR_NONE);
    }
  if (n > 0)
    tl_tcp_window_opened (sim, tcb, old_wnd);
}

/* close() (orphan TRUE) and shutdown(SHUT_WR) (orphan FALSE). */
static void
app_close (TlSim    *sim,
           TlTcb    *tcb,
           gboolean  orphan)
{
  TlCause cause = orphan ? TL_CAUSE_APP_CLOSE : TL_CAUSE_APP_SHUTDOWN;

  tl_sim_record_app (sim, tcb->host, tcb->conn, orphan ? TL_CALL_CLOSE : TL_CALL_SHUTDOWN,
                     0, TL_ERR_NONE);
  if (orphan)
    {
      tcb->orphan = TRUE;
      tcb->app_owned = FALSE;
      if (tcb->recv_q > 0 && tcb->state != TL_STATE_SYN_SENT)
        {
          /* RFC 2525 section 2.17, and Linux tcp_close(): data left unread
           * is lost, so the peer must learn it: RST, not FIN. */
          tl_tcp_send_ctl (sim, tcb, tcb->snd_nxt, TL_FLAG_RST | TL_FLAG_ACK);
          tl_tcb_close (sim, tcb, cause);
          return;
        }
    }

  switch (tcb->state)
    {
    case TL_STATE_SYN_SENT:
      /* RFC 9293 section 3.10.4: delete the TCB (Linux does so for shutdown too) */
      tl_tcb_close (sim, tcb, cause);
      return;
    case TL_STATE_SYN_RCVD:
    case TL_STATE_ESTABLISHED:
      tcb->shut_wr = TRUE;
      tl_tcb_set_state (sim, tcb, TL_STATE_FIN_WAIT_1, cause);
      tl_tcp_timer_cancel (sim, tcb, TL_TIMER_KEEPALIVE);
      tl_tcp_output (sim, tcb);
      return;
    case TL_STATE_CLOSE_WAIT:
      tcb->shut_wr = TRUE;
      tl_tcb_set_state (sim, tcb, TL_STATE_LAST_ACK, cause);
      tl_tcp_timer_cancel (sim, tcb, TL_TIMER_KEEPALIVE);
      tl_tcp_output (sim, tcb);
      return;
    case TL_STATE_FIN_WAIT_2:
      /* shutdown() first, close() now: the orphan's clock starts. */
      if (orphan && tcb->settings.fin_timeout_us > 0)
        tl_tcp_timer_arm (sim, tcb, TL_TIMER_FIN_WAIT_2, tcb->settings.fin_timeout_us);
      return;
    case TL_STATE_FIN_WAIT_1:
    case TL_STATE_CLOSING:
    case TL_STATE_LAST_ACK:
    case TL_STATE_TIME_WAIT:
    case TL_STATE_CLOSED:
    case TL_STATE_LISTEN:
      return;
    }
}

static void
app_abort (TlSim *sim,
           TlTcb *tcb)
{
  tl_sim_record_app (sim, tcb->host, tcb->conn, TL_CALL_ABORT, 0, TL_ERR_NONE);
  /* SO_LINGER 0: Linux tcp_disconnect sends a RST where tcp_need_reset says so. */
  switch (tcb->state)
    {
    case TL_STATE_SYN_RCVD:
    case TL_STATE_ESTABLISHED:
    case TL_STATE_FIN_WAIT_1:
    case TL_STATE_FIN_WAIT_2:
    case TL_STATE_CLOSE_WAIT:
      tl_tcp_send_ctl (sim, tcb, tcb->snd_nxt, TL_FLAG_RST | TL_FLAG_ACK);
      break;
    case TL_STATE_CLOSED:
    case TL_STATE_LISTEN:
    case TL_STATE_SYN_SENT:
    case TL_STATE_CLOSING:
    case TL_STATE_LAST_ACK:
    case TL_STATE_TIME_WAIT:
      break;
    }
  tl_tcb_close (sim, tcb, TL_CAUSE_APP_ABORT);
}

/* The TCB a connection's statement acts on, or NULL when there is none to
 * act on: then the call is recorded as seen, and nothing is done. */
static TlTcb *
app_tcb (TlSim        *sim,
         const TlStmt *stmt,
         TlCall        call)
{
  guint h = stmt->conn.host;
  guint32 conn = tl_trace_resolve_conn (sim->trace, h, stmt->conn.ordinal, tl_sim_time (sim));
  TlTcb *tcb = conn != TL_NO_CONN ? tl_host_by_conn (&sim->hosts[h], conn) : NULL;

  if (tcb == NULL || !tcb->app_owned || tcb->orphan || sim->hosts[h].crashed)
    {
      /* A connection that does not exist, is gone, or that the application
       * does not hold (not accepted, closed): Linux would say EBADF, which
       * TlError lacks.  Recorded with no error and nothing done, so that the
       * trace shows the statement was seen. */
      tl_sim_record_app (sim, h, conn, call, 0, TL_ERR_NONE);
      return NULL;
    }
  return tcb;
}

/* FALSE when the statement's host has crashed: a crashed host runs no
 * application, so the call is recorded as seen, and nothing is done. */
static gboolean
app_host_up (TlSim        *sim,
             const TlStmt *stmt,
             TlCall        call)
{
  if (!sim->hosts[stmt->host].crashed)
    return TRUE;
  tl_sim_record_app (sim, stmt->host, TL_NO_CONN, call, 0, TL_ERR_NONE);
  return FALSE;
}

static void
app_listen (TlSim        *sim,
            const TlStmt *stmt)
{
  guint h = stmt->host;
  TlTcb *listener;

  if (tl_host_listener (&sim->hosts[h], stmt->u.listen.port) != NULL || stmt->u.listen.port == 0)
    {
      tl_sim_record_app (sim, h, TL_NO_CONN, TL_CALL_LISTEN, stmt->u.listen.port, TL_ERR_NONE);
      return;
    }
  listener = tl_host_new_socket (sim, h, TRUE, stmt->u.listen.port, 0, 0, NULL);
  listener->app_owned = TRUE;
  tl_sim_record_app (sim, h, listener->conn, TL_CALL_LISTEN, stmt->u.listen.port, TL_ERR_NONE);
  tl_tcb_set_state (sim, listener, TL_STATE_LISTEN, TL_CAUSE_APP_LISTEN);
}

static void
app_unlisten (TlSim        *sim,
              const TlStmt *stmt)
{
  guint h = stmt->host;
  TlTcb *listener = stmt->u.listen.port != 0
                    ? tl_host_listener (&sim->hosts[h], stmt->u.listen.port) : NULL;

  tl_sim_record_app (sim, h, listener ? listener->conn : TL_NO_CONN, TL_CALL_UNLISTEN,
                     stmt->u.listen.port, TL_ERR_NONE);
  if (listener != NULL)
    tl_host_close_listener (sim, listener, TL_CAUSE_APP_UNLISTEN);
}

static void
app_accept (TlSim        *sim,
            const TlStmt *stmt)
{
  guint h = stmt->host;
  TlTcb *listener = tl_host_listener (&sim->hosts[h], stmt->u.listen.port);

  if (listener == NULL || tl_host_accept (sim, listener, TL_CALL_ACCEPT) == NULL)
    {
      /* Linux: EAGAIN on a non-blocking accept(); nothing happens */
      tl_sim_record_app (sim, h, TL_NO_CONN, TL_CALL_ACCEPT, stmt->u.listen.port, TL_ERR_NONE);
    }
}

static void
flood_send (TlSim   *sim,
            guint32  index)
{
  TlFlood *f = &g_array_index (sim->floods, TlFlood, index);
  guint from = 1 - f->target;
  guint16 saved = sim->cur_stmt;
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

  sim->cur_stmt = f->stmt;
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

  sim->cur_stmt = (guint16) MIN (index + 1, G_MAXUINT16);
  switch (stmt->kind)
    {
    case TL_STMT_LISTEN:
      if (app_host_up (sim, stmt, TL_CALL_LISTEN))
        app_listen (sim, stmt);
      break;
    case TL_STMT_UNLISTEN:
      if (app_host_up (sim, stmt, TL_CALL_UNLISTEN))
        app_unlisten (sim, stmt);
      break;
    case TL_STMT_CONNECT:
      if (app_host_up (sim, stmt, TL_CALL_CONNECT))
        app_connect (sim, stmt);
      break;
    case TL_STMT_ACCEPT:
      if (app_host_up (sim, stmt, TL_CALL_ACCEPT))
        app_accept (sim, stmt);
      break;
    case TL_STMT_CRASH:
      /* of a host already down: seen, nothing done */
      if (app_host_up (sim, stmt, TL_CALL_CRASH))
        tl_host_crash (sim, stmt->host);
      break;
    case TL_STMT_REBOOT:
      tl_host_reboot (sim, stmt->host);
      break;
    case TL_STMT_SEND:
      if ((tcb = app_tcb (sim, stmt, TL_CALL_SEND)) != NULL)
        app_send (sim, tcb, stmt->u.data.bytes);
      break;
    case TL_STMT_READ:
      if ((tcb = app_tcb (sim, stmt, TL_CALL_READ)) != NULL)
        app_read (sim, tcb, stmt->u.data.bytes);
      break;
    case TL_STMT_CLOSE:
      if ((tcb = app_tcb (sim, stmt, TL_CALL_CLOSE)) != NULL)
        app_close (sim, tcb, TRUE);
      break;
    case TL_STMT_SHUTDOWN:
      if ((tcb = app_tcb (sim, stmt, TL_CALL_SHUTDOWN)) != NULL)
        app_close (sim, tcb, FALSE);
      break;
    case TL_STMT_ABORT:
      if ((tcb = app_tcb (sim, stmt, TL_CALL_ABORT)) != NULL)
        app_abort (sim, tcb);
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
      tl_link_add_drop (&sim->link, stmt->u.drop.dir, stmt->u.drop.flags, stmt->u.drop.any,
                        MAX (stmt->u.drop.count, 1));
      rec = tl_sim_record (sim, TL_REC_LINK, 0, TL_NO_CONN);
      rec->u.link.dir = (gint8) stmt->u.drop.dir;
      rec->u.link.param = TL_LINK_REC_DROP_NEXT;
      rec->u.link.value = MAX (stmt->u.drop.count, 1);
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
    case TL_STMT_EXPECT_STATE:
    case TL_STMT_EXPECT_SOCKETS:
    case TL_STMT_EXPECT_SEGMENTS:
    case TL_STMT_EXPECT_ERROR:
      break;   /* the checker's, on the trace */
    }
  sim->cur_stmt = 0;
}

TlSim *
tl_sim_new (const TlScenario *scenario)
{
  TlSim *sim;
  const char *names[2];
  guint32 addrs[2];

  g_return_val_if_fail (scenario != NULL, NULL);

  sim = g_new0 (TlSim, 1);
  sim->scenario = tl_scenario_copy (scenario);
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
  sim->max_events = TL_SIM_MAX_EVENTS;

  for (guint i = 0; i < sim->scenario->stmts->len; i++)
    {
      const TlStmt *stmt = &g_array_index (sim->scenario->stmts, TlStmt, i);

      /* the checker's, on the trace */
      if (!tl_stmt_kind_is_expectation (stmt->kind))
        tl_event_queue_push (sim->queue, MAX (stmt->time_us, 0), TL_EV_STMT, i, NULL);
    }
  if (scenario->end_us >= 0)
    tl_event_queue_push (sim->queue, scenario->end_us, TL_EV_END, 0, NULL);
  return sim;
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
  g_clear_pointer (&sim->scenario, tl_scenario_free);
  g_free (sim);
}

gboolean
tl_sim_step (TlSim *sim)
{
  TlEvent ev;
  gint64 t;

  g_return_val_if_fail (sim != NULL, FALSE);

  if (sim->ended)
    return FALSE;
  if (!tl_event_queue_peek_time (sim->queue, &t))
    {
      end (sim, TL_END_NOTHING_LEFT, tl_sim_time (sim));
      return FALSE;
    }
  if (t > TL_SIM_MAX_TIME_US)
    {
      end (sim, TL_END_TIME_LIMIT, TL_SIM_MAX_TIME_US);
      return FALSE;
    }
  if (sim->n_events >= sim->max_events)
    {
      end (sim, TL_END_EVENT_LIMIT, tl_sim_time (sim));
      return FALSE;
    }

  tl_event_queue_pop (sim->queue, &ev);
  sim->n_events++;
  switch ((TlEventKind) ev.kind)
    {
    case TL_EV_STMT:
      run_stmt (sim, ev.arg);
      break;
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

  g_return_if_fail (sim != NULL);

  while (!sim->ended && tl_event_queue_peek_time (sim->queue, &t) && t <= time_us)
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

  sim->max_events = max_events;
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
  tl_trace_seal (sim->trace);
  return g_steal_pointer (&sim->trace);
}

TlTrace *
tl_simulate (const TlScenario *scenario)
{
  g_autoptr (TlSim) sim = tl_sim_new (scenario);

  return tl_sim_steal_trace (sim);
}
