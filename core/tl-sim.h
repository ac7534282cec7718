/* tl-sim.h: the discrete-event simulator: a scenario in, a trace out.
 *
 * Deterministic: no clock, no global state, one generator seeded from the
 * scenario and drawn in a fixed order.  Two runs of one scenario give
 * byte-identical traces.
 */
#pragma once

#include <glib.h>

#include "tl-budget.h"
#include "tl-scenario.h"
#include "tl-trace.h"

G_BEGIN_DECLS

/* Bounds that keep any scenario, however hostile, finite. */
#define TL_SIM_MAX_TIME_US     (G_GINT64_CONSTANT (3600) * TL_USEC_PER_SEC)
/* The events, records and memory of a run: tl-budget.h. */

typedef struct _TlSim TlSim;

TlSim         *tl_sim_new          (const TlScenario *scenario);
void           tl_sim_free         (TlSim            *sim);
/* The event budget (default TL_BUDGET_EVENTS), set before running: when it
 * is spent the run ends with TL_END_EVENT_LIMIT.  0 ends it at once. */
void           tl_sim_set_max_events (TlSim          *sim,
                                      guint64         max_events);
/* Every limit of the run (default tl_budget_init_limits), set before
 * running; the statements figure is the reader's.  A run that reaches one
 * ends with TL_END_EVENT_LIMIT, TL_END_RECORD_LIMIT or TL_END_MEMORY_LIMIT. */
void           tl_sim_set_limits   (TlSim            *sim,
                                    const TlBudget   *limits);
/* Runs one event.  FALSE when the simulation has ended. */
gboolean       tl_sim_step         (TlSim            *sim);
/* Runs every event at or before time_us. */
void           tl_sim_run_until    (TlSim            *sim,
                                    gint64            time_us);
/* Runs to the end: `end`, nothing left, or a limit. */
void           tl_sim_run          (TlSim            *sim);
gint64         tl_sim_now          (TlSim            *sim);
guint64        tl_sim_n_events     (TlSim            *sim);
/* Listeners and ephemeral ports the hosts' tables looked at so far: the
 * work of finding a socket, which grows with the lesson's statements and
 * segments, not with their square (a test's measure, not a clock). */
guint64        tl_sim_n_probes     (TlSim            *sim);
/* The trace so far (not sealed). */
const TlTrace *tl_sim_peek_trace   (TlSim            *sim);
/* Runs to the end if needed, seals the trace and hands it over. */
TlTrace       *tl_sim_steal_trace  (TlSim            *sim);

/* Convenience: simulate a scenario to the end. */
TlTrace       *tl_simulate         (const TlScenario *scenario);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlSim, tl_sim_free)

G_END_DECLS
