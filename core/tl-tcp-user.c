/* tl-tcp-user.c: the application's calls on a socket, RFC 9293 sections
 * 3.10.1 to 3.10.5 (OPEN, SEND, RECEIVE, CLOSE, ABORT) as the Berkeley socket
 * API names them: listen, connect, accept, send, read, close, shutdown and
 * abort (SO_LINGER 0).  The run loop in tl-sim.c calls them for a lesson's
 * statements; each records the call in the trace. */
#include "tl-sim-private.h"

void
tl_tcp_user_connect (TlSim        *sim,
                     const TlStmt *stmt)
{
  guint h = stmt->host;
  guint peer = stmt->u.connect.peer < 2 ? stmt->u.connect.peer : 1 - h;
  guint32 raddr = sim->hosts[peer].addr;
  guint16 rport = stmt->u.connect.port;
  guint16 lport = stmt->u.connect.from_port;
  guint64 key;
  guint32 tw_isn = 0;
  TlTcb *tcb;

  if (lport != 0 && tl_host_listener (&sim->hosts[h], lport) != NULL)
    {
      /* The lab's program binds the port (SO_REUSEADDR) before connect():
       * a listener of its host on that port refuses it (Linux
       * inet_csk_bind_conflict: SO_REUSEADDR does not pass a socket in
       * LISTEN), bind() fails with EADDRINUSE, nothing is sent (seen on the
       * lab, tests/sweep/bound-port.lesson). */
      tl_sim_record_app (sim, h, TL_NO_CONN, TL_CALL_CONNECT, rport, TL_ERR_EADDRINUSE);
      return;
    }
  if (lport == 0)
    lport = tl_host_ephemeral_port (sim, h, raddr, rport);
  key = tl_host_key (raddr, rport, lport);
  tcb = lport != 0 ? g_hash_table_lookup (sim->hosts[h].conns, &key) : NULL;
  if (tcb != NULL && stmt->u.connect.from_port != 0 && tcb->state == TL_STATE_TIME_WAIT
      && tcb->settings.profile == TL_PROFILE_LINUX)
    {
      /* Linux tcp_twsk_unique, for a port the application bound: with
       * timestamps (on by default) the new connection takes over the
       * host's own TIME_WAIT, starting at its snd_nxt + 65537 (seen on the
       * lab: connect() from the port succeeds).  Ephemeral ports never do
       * (tcp_tw_reuse 2 is for loopback only). */
      tw_isn = tcb->snd_nxt + 65535 + 2;
      tl_tcb_close (sim, tcb, TL_CAUSE_APP_CONNECT);
      tcb = NULL;
    }
  if (lport == 0 || tcb != NULL)
    {
      /* Linux inet_hash_connect: every ephemeral port to this destination
       * taken (TIME_WAIT included: tcp_tw_reuse helps only on loopback), or
       * the port given (bound with SO_REUSEADDR) already in this 4-tuple:
       * connect() fails with EADDRNOTAVAIL and no connection exists. */
      tl_sim_record_app (sim, h, TL_NO_CONN, TL_CALL_CONNECT, rport, TL_ERR_EADDRNOTAVAIL);
      return;
    }

  tcb = tl_host_new_socket (sim, h, FALSE, lport, raddr, rport, NULL);
  tcb->active_open = TRUE;
  tcb->app_owned = TRUE;
  tcb->iss = tw_isn != 0 ? tw_isn : tl_host_new_isn (sim, h, &tcb->settings, tcb->key);
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

void
tl_tcp_user_send (TlSim   *sim,
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
      /* The rfc profile's send buffer is unbounded, within 2^30 bytes so
       * that the sequence space never wraps onto unacknowledged data; the
       * linux profile's is Linux's (tl-tcp-sndbuf.c). */
      if (tcb->settings.profile != TL_PROFILE_LINUX)
        bytes = MIN (bytes, (guint64) (1u << 30) - tcb->send_q);
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
  if (error == TL_ERR_NONE)
    tl_tcp_sndbuf_send (sim, tcb, bytes);
}

void
tl_tcp_user_read (TlSim   *sim,
                  TlTcb   *tcb,
                  guint64  bytes)
{
  guint32 n = bytes == 0 ? tcb->recv_q : (guint32) MIN (bytes, tcb->recv_q);

  tl_sim_record_app (sim, tcb->host, tcb->conn, TL_CALL_READ, n, TL_ERR_NONE);
  tl_tcp_app_read (sim, tcb, n);
  if (n > 0)
    tl_tcb_queues_changed (sim, tcb);
  if (tcb->recv_q == 0 && tcb->fin_rcvd && !tcb->eof_seen)
    {
      tcb->eof_seen = TRUE;
      tl_sim_record_app (sim, tcb->host, tcb->conn, TL_CALL_EOF, 0, TL_ERR_NONE);
    }
}

void
tl_tcp_app_read (TlSim   *sim,
                 TlTcb   *tcb,
                 guint32  n)
{
  /* Linux's buffer: the lab's program reads 16 KiB a call (recv() in
   * real/tl-real-app.c), and each call may send a window update
   * (tcp_cleanup_rbuf); otherwise one read */
  guint32 chunk = tl_tcp_rcvbuf_linux (tcb) ? TL_APP_READ_CHUNK : n;

  while (n > 0)
    {
      guint32 old_wnd = tl_tcp_window (tcb);
      guint32 c = MIN (n, chunk);

      tcb->recv_q -= c;
      n -= c;
      tl_tcp_rcvbuf_read (tcb, c, tl_sim_time (sim));
      tl_tcp_window_opened (sim, tcb, old_wnd);
    }
}

/* close() (orphan TRUE) and shutdown(SHUT_WR) (orphan FALSE). */
void
tl_tcp_user_close (TlSim    *sim,
                   TlTcb    *tcb,
                   gboolean  orphan)
{
  TlCause cause = orphan ? TL_CAUSE_APP_CLOSE : TL_CAUSE_APP_SHUTDOWN;
  /* Linux tcp_time_wait hands the 4-tuple to a timewait mini socket and
   * leaves the application's own socket CLOSE: inet_shutdown fails with
   * ENOTCONN there (seen on the lab, tests/sweep/time-wait-app.lesson). */
  TlError error = !orphan && tcb->state == TL_STATE_TIME_WAIT
                  && tcb->settings.profile == TL_PROFILE_LINUX ? TL_ERR_ENOTCONN : TL_ERR_NONE;

  tl_sim_record_app (sim, tcb->host, tcb->conn, orphan ? TL_CALL_CLOSE : TL_CALL_SHUTDOWN,
                     0, error);
  /* What the lab's program had not yet written is lost: close() takes the
   * socket, and after shutdown() its next send() fails with EPIPE
   * (real/tl-real-app.c writes on, non-blocking). */
  if (tl_tcp_sndbuf_drop (tcb) > 0 && !orphan)
    tl_tcb_report_error (sim, tcb, TL_ERR_EPIPE);
  if (orphan)
    {
      tcb->orphan = TRUE;
      tcb->app_owned = FALSE;
      /* Not in TIME_WAIT: the connection is over, there is nothing to tell
       * the peer (RFC 9293 section 3.10.4: "connection closing"; Linux's
       * own socket is CLOSE by then, tcp_close sends nothing). */
      if (tcb->recv_q > 0 && tcb->state != TL_STATE_SYN_SENT && tcb->state != TL_STATE_TIME_WAIT)
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
      if (!orphan && tcb->settings.profile == TL_PROFILE_LINUX)
        {
          /* Linux tcp_shutdown leaves SYN_RECV alone; the FIN goes when
           * the handshake completes (tcp_rcv_state_process: "if
           * (sk->sk_shutdown & SEND_SHUTDOWN) tcp_shutdown"), seen on the
           * lab (tests/sweep/syn-rcvd-close.lesson).  close() sends it at
           * once, as RFC 9293 section 3.10.4 does for both. */
          tcb->shut_wr = TRUE;
          return;
        }
      G_GNUC_FALLTHROUGH;
    case TL_STATE_ESTABLISHED:
      tcb->shut_wr = TRUE;
      tl_tcb_set_state (sim, tcb, TL_STATE_FIN_WAIT_1, cause);
      /* after shutdown() the keepalive timer runs on (keepalive_timeout) */
      if (orphan)
        tl_tcp_timer_cancel (sim, tcb, TL_TIMER_KEEPALIVE);
      tl_tcp_output (sim, tcb);
      return;
    case TL_STATE_CLOSE_WAIT:
      tcb->shut_wr = TRUE;
      tl_tcb_set_state (sim, tcb, TL_STATE_LAST_ACK, cause);
      if (orphan)
        tl_tcp_timer_cancel (sim, tcb, TL_TIMER_KEEPALIVE);
      tl_tcp_output (sim, tcb);
      return;
    case TL_STATE_FIN_WAIT_2:
      /* shutdown() first, close() now: the orphan's clock starts. */
      if (orphan)
        tl_tcb_orphan_fin_wait_2 (sim, tcb);
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

void
tl_tcp_user_abort (TlSim *sim,
                   TlTcb *tcb)
{
  tl_sim_record_app (sim, tcb->host, tcb->conn, TL_CALL_ABORT, 0, TL_ERR_NONE);
  tl_tcp_sndbuf_drop (tcb);
  tcb->app_owned = FALSE;
  if (tcb->state == TL_STATE_TIME_WAIT && tcb->settings.profile == TL_PROFILE_LINUX)
    {
      /* Linux tcp_time_wait hands the connection to a timewait mini socket
       * and leaves the application's socket CLOSE: closing that, with
       * SO_LINGER 0 or not, leaves the TIME_WAIT its 60 s (seen on the lab,
       * tests/sweep/time-wait-app.lesson).  RFC 9293 section 3.10.5 deletes
       * the TCB. */
      tcb->orphan = TRUE;
      return;
    }
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
TlTcb *
tl_tcp_user_tcb (TlSim        *sim,
                 const TlStmt *stmt,
                 TlCall        call)
{
  guint h = stmt->conn.host;
  guint32 conn = tl_trace_resolve_conn (sim->trace, h, stmt->conn.ordinal, tl_sim_time (sim));
  TlTcb *tcb = conn != TL_NO_CONN ? tl_host_by_conn (&sim->hosts[h], conn) : NULL;

  if (tcb == NULL || !tcb->app_owned || tcb->orphan || sim->hosts[h].crashed)
    {
      TlError error = TL_ERR_NONE;

      /* The application still holds the socket of a connection that is
       * over (reset, timed out, refused, its TIME_WAIT done): the socket is
       * CLOSE, shutdown() fails with ENOTCONN (Linux inet_shutdown, and
       * RFC 9293 section 3.10.4's "connection does not exist"); close()
       * and abort let it go.  Any other connection that does not exist,
       * or that the application does not hold (not accepted, closed):
       * Linux would say EBADF, which TlError lacks.  Recorded with no error
       * and nothing done, so that the trace shows the statement was seen. */
      if (tcb == NULL && conn != TL_NO_CONN && !sim->hosts[h].crashed
          && g_hash_table_contains (sim->hosts[h].held_closed, GUINT_TO_POINTER (conn)))
        {
          if (call == TL_CALL_SHUTDOWN)
            error = TL_ERR_ENOTCONN;
          else if (call == TL_CALL_CLOSE || call == TL_CALL_ABORT)
            g_hash_table_remove (sim->hosts[h].held_closed, GUINT_TO_POINTER (conn));
        }
      tl_sim_record_app (sim, h, conn, call, 0, error);
      return NULL;
    }
  return tcb;
}

/* FALSE when the statement's host has crashed: a crashed host runs no
 * application, so the call is recorded as seen, and nothing is done. */
gboolean
tl_tcp_user_host_up (TlSim        *sim,
                     const TlStmt *stmt,
                     TlCall        call)
{
  if (!sim->hosts[stmt->host].crashed)
    return TRUE;
  tl_sim_record_app (sim, stmt->host, TL_NO_CONN, call, 0, TL_ERR_NONE);
  return FALSE;
}

void
tl_tcp_user_listen (TlSim        *sim,
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

void
tl_tcp_user_unlisten (TlSim        *sim,
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

void
tl_tcp_user_accept (TlSim        *sim,
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
