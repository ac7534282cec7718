/* tl-random-scenario.h: random scenarios for the simulator's property test.
 *
 * A scenario is a pure function of its seed: both hosts' applications act at
 * random times, the link changes, drops and small floods come and go, the
 * settings are random but with timers short enough that a run ends quickly,
 * and an `end` closes it at a bounded time.  Every statement is one a lesson
 * can write, so tl_scenario_to_lesson() prints it and the parser reads it back.
 */
#pragma once

#include "tl-scenario.h"

G_BEGIN_DECLS

/* The latest `end` a random scenario has. */
#define TL_RANDOM_MAX_END_US (G_GINT64_CONSTANT (12) * TL_USEC_PER_SEC)

TlScenario *tl_random_scenario (guint64 seed);

G_END_DECLS
