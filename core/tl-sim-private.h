/* tl-sim-private.h: the simulator's state, shared by tl-sim.c, tl-host.c and
 * the TCP files; not for the rest of the program. */
#pragma once

#include "tl-budget.h"
#include "tl-event-queue.h"
#include "tl-host.h"
#include "tl-link.h"
#include "tl-rng.h"
#include "tl-sim.h"
#include "tl-tcp.h"

G_BEGIN_DECLS

typedef enum
{
  TL_EV_ARRIVE,   /* arg: slot in segs */
  TL_EV_TIMER,    /* data: TlTcb, arg: TlTimerKind */
  TL_EV_FLOOD,    /* arg: index in floods */
  TL_EV_END,
} TlEventKind;

typedef struct
{
  guint   target;
  guint16 port;
  guint32 stmt;
  guint   count;
  guint   sent;
  guint32 rate_per_s;
  guint32 net_addr;
  guint32 host_mask;
  gint64  start_us;
} TlFlood;

/* A segment on the wire: its pending arrival, and its record to correct if
 * a `lose` takes it on the way. */
typedef struct
{
  TlSegment seg;
  TlEventId arrival;         /* 0: the slot is free */
  gint64    sent_us;
  gint64    arrive_us;
  guint     record;          /* its TL_REC_SEGMENT record */
} TlFlight;

struct _TlSim
{
  TlScenario   *scenario;    /* a copy, or (tl_simulate) the caller's */
  gboolean      scenario_owned;
  TlEventQueue *queue;
  TlTrace      *trace;
  TlRng         rng;
  TlLink        link;
  TlHost        hosts[2];

  GArray       *segs;        /* of TlFlight: segments in flight, by slot */
  GArray       *free_segs;   /* of guint32: free slots */
  GArray       *floods;      /* of TlFlood */
  GPtrArray    *free_tcbs;   /* freed blocks kept for reuse: no malloc per SYN */
  guint32      *stmt_order;  /* the statements to run (not expectations), by time then
                                file order: they run from this list, not the queue,
                                before any queued event of the same time (a lesson
                                of 300,000 statements keeps its queue small) */
  guint         n_stmt_order;
  guint         next_stmt;   /* in stmt_order */
  guint32       next_seg_id;
  guint32       cur_stmt;    /* index + 1 of the statement running, 0 if none */
  guint32       last_stmt;   /* index + 1 of the last statement started, 0 if none */
  guint64       n_events;
  TlBudget      limits;      /* events, records and memory of this run (tl-budget.h) */
  guint64       n_tcbs;      /* socket blocks allocated */
  gboolean      ended;
};

static inline gint64
tl_sim_time (TlSim *sim)
{
  return tl_event_queue_now (sim->queue);
}

/* A record of kind at the current time, stamped with the running statement. */
TlRecord *tl_sim_record       (TlSim           *sim,
                               TlRecordKind     kind,
                               guint            host,
                               guint32          conn);
void      tl_sim_record_app   (TlSim           *sim,
                               guint            host,
                               guint32          conn,
                               TlCall           call,
                               guint64          value,
                               TlError          error);
/* Puts a segment on the link from host: records it and schedules its arrival. */
void      tl_sim_transmit     (TlSim           *sim,
                               guint            host,
                               TlSegment       *seg);
TlTcb    *tl_sim_alloc_tcb    (TlSim           *sim);
void      tl_sim_release_tcb  (TlSim           *sim,
                               TlTcb           *tcb);

G_END_DECLS
