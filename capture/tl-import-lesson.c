/* tl-import-lesson.c: an imported capture as a lesson to replay and vary.
 *
 * The application calls the import saw (listen, connect, send, close,
 * abort) become statements at their times, on the hosts' own connections
 * (client#N as the trace numbers them); the link gets the one-way delay
 * measured between the two hosts; SYNs from other addresses become a
 * `flood` line (and the listener's backlog the one their SYN cookies show);
 * each segment taken as lost becomes a `drop next` just before it was sent
 * (and a `hold next` of its retransmission when the kernel's timer came
 * late); and each state the import inferred
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
#include "tl-tcp.h"

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

/* Linux retransmits a lone segment that is no SYN at the earlier of its
 * tail loss probe (tcp_schedule_loss_probe: 2 * SRTT + TCP_RTO_MIN) and its
 * RTO (SRTT + rto_min, 200 ms, in whole jiffies rounded up): that long
 * after it was sent, SRTT the round trip, 2 * path_us, as the simulator
 * does, and run by the timer wheel at a tick after that (simultaneous-
 * close.pcap shows 207 ms for 204), which the simulator models with the
 * lesson's ticks from its time 0, not the capture's; the lesson holds the
 * retransmission on the link for what the capture shows later than the
 * simulator's tick, so that it arrives when the capture shows.  0 when
 * there is nothing to hold (it came no later than the simulator's, or by
 * another timer: more than 20 ms off). */
#define LINUX_RTO_MIN_US (200 * TL_USEC_PER_MSEC)
#define TIMER_SLACK_MAX  (20 * TL_USEC_PER_MSEC)

static gint64
retransmission_late_us (const TlImport *import,
                        guint32         seg)
{
  const TlImportSeg *orig = &g_array_index (import->segs, TlImportSeg, seg);

  for (guint j = seg + 1; j < import->segs->len; j++)
    {
      const TlImportSeg *s = &g_array_index (import->segs, TlImportSeg, j);
      gint64 late;

      if (s->prev != seg + 1)
        continue;
      late = s->send_us - tl_linux_timer_wheel_us (orig->send_us,
                                                   tl_linux_jiffies_us (2 * import->path_us
                                                                        + LINUX_RTO_MIN_US));
      return late > 0 && late <= TIMER_SLACK_MAX ? late : 0;
    }
  return 0;
}

/* SYNs from addresses that are neither host's (a flood) as a `flood` line:
 * as many, at their rate, from the smallest address block of at most /24
 * holding them all, timed to arrive when the first one did.  And the
 * listener's backlog: Linux keeps backlog + 1 requests before it answers
 * with cookies (inet_csk_reqsk_queue_is_full), so the requests kept before
 * the first cookie tell it. */
static void
add_flood (const TlImport *import,
           TlScenario     *scenario)
{
  TlStmt flood;
  guint n = 0, kept = 0;
  gboolean cookie_seen = FALSE;
  gint64 first = 0, last = 0;
  guint32 all_and = G_MAXUINT32, all_or = 0;
  guint prefix = 0;

  memset (&flood, 0, sizeof flood);
  for (guint i = 0; i < import->conns->len; i++)
    {
      const TlImportConn *c = &g_array_index (import->conns, TlImportConn, i);
      const TlImportSeg *syn;
      const TlImportEnd *e;
      guint32 a;

      if (!c->shown || !c->third[0] || c->third[1] || c->addr[0].v6 || c->segs->len == 0)
        continue;
      syn = &g_array_index (import->segs, TlImportSeg, g_array_index (c->segs, guint32, 0));
      if (syn->side != 0)
        continue;
      a = tl_addr_ipv4 (&c->addr[0]);
      if (n == 0)
        {
          first = syn->arrive_us;
          flood.u.flood.target = c->host[1];
          flood.u.flood.port = c->port[1];
        }
      else if (c->host[1] != flood.u.flood.target || c->port[1] != flood.u.flood.port)
        continue;  /* one flood line: the first target's */
      last = MAX (last, syn->arrive_us);
      all_and &= a;
      all_or |= a;
      n++;
      e = c->end[1] != TL_NO_CONN ? &g_array_index (import->ends, TlImportEnd, c->end[1]) : NULL;
      if (e != NULL && e->exists && !cookie_seen)
        kept++;
      else if (e != NULL && !e->exists)
        cookie_seen = TRUE;
    }
  if (n == 0)
    return;
  while (prefix < 24 && ((all_and ^ all_or) & (0x80000000u >> prefix)) == 0)
    prefix++;
  flood.kind = TL_STMT_FLOOD;
  flood.time_us = MAX (0, first - scenario->link[1 - flood.u.flood.target].delay_us);
  flood.host = 1 - flood.u.flood.target;
  flood.u.flood.count = n;
  flood.u.flood.rate_per_s = last > first
                             ? (guint32) CLAMP ((guint64) (n - 1) * TL_USEC_PER_SEC / (guint64) (last - first),
                                                1, 10000000)
                             : 1000;
  flood.u.flood.prefix_len = prefix;
  flood.u.flood.net_addr = prefix == 0 ? 0 : all_and & ~(G_MAXUINT32 >> prefix);
  add (scenario, &flood);
  if (cookie_seen && kept > 0)
    scenario->settings[flood.u.flood.target].backlog = kept - 1;
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
  add_flood (import, scenario);

  for (guint i = 0; i < tl_trace_n_records (trace); i++)
    {
      const TlRecord *r = tl_trace_record (trace, i);

      if (r->kind == TL_REC_APP && r->conn != TL_NO_CONN)
        add_call (scenario, trace, r);
      else if (r->kind == TL_REC_SEGMENT && r->u.seg.fate == TL_FATE_LOST_RANDOM
               && (r->u.seg.flags & ~TL_FLAG_PSH) != 0)
        {
          TlStmt drop;
          gint64 late;

          memset (&drop, 0, sizeof drop);
          drop.kind = TL_STMT_DROP;
          drop.time_us = MAX (0, r->time_us - 1);
          drop.u.drop.dir = r->host;
          drop.u.drop.flags = r->u.seg.flags & ~TL_FLAG_PSH;
          drop.u.drop.count = 1;
          add (scenario, &drop);
          if (!(r->u.seg.flags & TL_FLAG_SYN) && r->u.seg.id < import->segs->len
              && (late = retransmission_late_us (import, r->u.seg.id)) > 0)
            {
              TlStmt hold = drop;

              /* armed once the dropped one has gone: the next like it is
               * its retransmission */
              hold.kind = TL_STMT_HOLD_NEXT;
              hold.time_us = r->time_us + 1;
              hold.u.drop.delay_us = late;
              add (scenario, &hold);
            }
        }
      else if (r->kind == TL_REC_STATE && r->conn != TL_NO_CONN && n_expect < MAX_EXPECTATIONS
               && !tl_trace_conn (trace, r->conn)->listener && r->u.state.to != TL_STATE_CLOSED)
        {
          const TlTraceConn *c = tl_trace_conn (trace, r->conn);
          gint64 until = state_until (trace, i);
          TlStmt expect;

          if (until < 0)
            until = r->time_us + 2 * TL_USEC_PER_SEC;
          /* A state the capture shows for less than the one-way delay of the
           * lesson's link is not expected: which of two segments crossing
           * within that time comes first depends on the kernel's own
           * processing times, which a lesson's link does not give
           * (simultaneous-close.pcap: the client was in CLOSING for 10 us) */
          if (until - r->time_us < MAX (2, import->path_us))
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
