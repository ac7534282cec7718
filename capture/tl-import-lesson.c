/* tl-import-lesson.c: an imported capture as a lesson to replay and vary.
 *
 * The application calls the import saw (listen, connect, send, close,
 * abort) become statements at their times, on the hosts' own connections
 * (client#N as the trace numbers them); the link gets the one-way delay
 * measured between the two hosts; each segment taken as lost becomes a
 * `drop next` just before it was sent; and each state the import inferred
 * becomes an `expect` half way through it, so that
 * `tcplab-cli import CAPTURE --check LESSON` holds and `tcplab-cli check
 * LESSON` shows where the simulator parts from the capture.
 */
#include "tl-config.h"

#include "tl-import-private.h"

#include <string.h>

#include <glib/gi18n.h>

#include "tl-budget.h"
#include "tl-sim.h"

/* Expectations past this are left out: the lesson stays readable. */
#define MAX_EXPECTATIONS 2000

/* What a lesson can say: no more statements than its budget, none past its
 * hour (a capture's clock may jump by days). */
static void
add (TlScenario *scenario,
     TlStmt     *stmt)
{
  if (scenario->stmts->len < TL_BUDGET_STATEMENTS && stmt->time_us <= TL_SIM_MAX_TIME_US)
    tl_scenario_insert (scenario, stmt);
}

static void
add_call (TlScenario     *scenario,
          const TlTrace  *trace,
          const TlRecord *r)
{
  const TlTraceConn *c = tl_trace_conn (trace, r->conn);
  TlStmt stmt;

  /* port 0 is no port a lesson can name (it is a capture's, refused by
   * connect() and listen() alike): that connection's calls are left out */
  if (c->local_port == 0 || (!c->listener && c->remote_port == 0))
    return;
  memset (&stmt, 0, sizeof stmt);
  stmt.time_us = r->time_us;
  stmt.host = c->host;
  stmt.conn.host = c->host;
  stmt.conn.ordinal = c->ordinal;
  switch ((TlCall) r->u.app.call)
    {
    case TL_CALL_LISTEN:
      stmt.kind = TL_STMT_LISTEN;
      stmt.u.listen.port = c->local_port;
      break;
    case TL_CALL_CONNECT:
      stmt.kind = TL_STMT_CONNECT;
      stmt.u.connect.peer = 1 - c->host;
      stmt.u.connect.port = c->remote_port;
      stmt.u.connect.from_port = c->local_port;
      break;
    case TL_CALL_SEND:
      stmt.kind = TL_STMT_SEND;
      stmt.u.data.bytes = r->u.app.value;
      break;
    case TL_CALL_CLOSE:
      stmt.kind = TL_STMT_CLOSE;
      break;
    case TL_CALL_ABORT:
      stmt.kind = TL_STMT_ABORT;
      break;
    case TL_CALL_UNLISTEN:
    case TL_CALL_ACCEPT:
    case TL_CALL_READ:
    case TL_CALL_SHUTDOWN:
    case TL_CALL_CRASH:
    case TL_CALL_REBOOT:
    case TL_CALL_CONNECTED:
    case TL_CALL_ACCEPTED:
    case TL_CALL_RECEIVED:
    case TL_CALL_EOF:
    case TL_CALL_ERROR:
    default:
      return;
    }
  add (scenario, &stmt);
}

/* The next STATE record of the same connection after index i, or -1. */
static gint64
state_until (const TlTrace *trace,
             guint          i)
{
  const TlRecord *r = tl_trace_record (trace, i);

  for (guint j = i + 1; j < tl_trace_n_records (trace); j++)
    {
      const TlRecord *n = tl_trace_record (trace, j);

      if (n->kind == TL_REC_STATE && n->conn == r->conn)
        return n->time_us;
    }
  return -1;
}

gboolean
tl_import_lesson_possible (const TlImport  *import,
                           GError         **error)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  g_return_val_if_fail (import != NULL, FALSE);

  if (!import->hosts[0].v6 && !import->hosts[1].v6)
    return TRUE;
  a = tl_addr_to_string (&import->hosts[0]);
  b = tl_addr_to_string (&import->hosts[1]);
  g_set_error (error, TL_CAPTURE_ERROR, TL_CAPTURE_ERROR_NO_LESSON,
               _("no lesson is written: the hosts %s and %s are IPv6, and a lesson's hosts "
                 "have IPv4 addresses (lessons/README.md, 'host NAME ADDRESS'); the trace, "
                 "--ladder and --pcap show the capture with its IPv6 addresses"), a, b);
  return FALSE;
}

TlScenario *
tl_import_to_scenario (const TlImport *import,
                       const char     *title)
{
  const TlTrace *trace = import->trace;
  TlScenario *scenario = tl_scenario_new ();
  guint n_expect = 0;
  TlStmt say;

  g_return_val_if_fail (import->trace != NULL, NULL);

  g_free (scenario->title);
  scenario->title = g_strdup (title);
  for (guint h = 0; h < 2; h++)
    {
      guint32 a = tl_addr_ipv4 (&import->hosts[0]), b = tl_addr_ipv4 (&import->hosts[1]);

      /* the capture's addresses if a lesson can say them (two IPv4, not the
       * same), else the lesson's own two */
      if (a != 0 && b != 0 && a != b)
        scenario->hosts[h].addr = h == 0 ? a : b;
      /* the measured delay, also when the capture's times are taken as
       * they are (both hosts close to it): tens of microseconds on a LAN,
       * and a handshake that takes no time at all would not replay it */
      scenario->link[h].delay_us = MIN (import->path_us, TL_SIM_MAX_TIME_US);
    }
  memset (&say, 0, sizeof say);
  say.kind = TL_STMT_SAY;
  say.u.say.text = tl_import_describe (import);
  add (scenario, &say);
  g_free (say.u.say.text);

  for (guint i = 0; i < tl_trace_n_records (trace); i++)
    {
      const TlRecord *r = tl_trace_record (trace, i);

      if (r->kind == TL_REC_APP && r->conn != TL_NO_CONN)
        add_call (scenario, trace, r);
      else if (r->kind == TL_REC_SEGMENT && r->u.seg.fate == TL_FATE_LOST_RANDOM
               && (r->u.seg.flags & ~TL_FLAG_PSH) != 0)
        {
          TlStmt drop;

          memset (&drop, 0, sizeof drop);
          drop.kind = TL_STMT_DROP;
          drop.time_us = MAX (0, r->time_us - 1);
          drop.u.drop.dir = r->host;
          drop.u.drop.flags = r->u.seg.flags & ~TL_FLAG_PSH;
          drop.u.drop.count = 1;
          add (scenario, &drop);
        }
      else if (r->kind == TL_REC_STATE && r->conn != TL_NO_CONN && n_expect < MAX_EXPECTATIONS
               && !tl_trace_conn (trace, r->conn)->listener && r->u.state.to != TL_STATE_CLOSED)
        {
          const TlTraceConn *c = tl_trace_conn (trace, r->conn);
          gint64 until = state_until (trace, i);
          TlStmt expect;

          if (until < 0)
            until = r->time_us + 2 * TL_USEC_PER_SEC;
          if (until - r->time_us < 2)
            continue;
          memset (&expect, 0, sizeof expect);
          expect.kind = TL_STMT_EXPECT_STATE;
          expect.time_us = r->time_us + (until - r->time_us) / 2;
          expect.host = c->host;
          expect.conn.host = c->host;
          expect.conn.ordinal = c->ordinal;
          expect.u.expect_state.state = r->u.state.to;
          add (scenario, &expect);
          n_expect++;
        }
    }
  return scenario;
}
