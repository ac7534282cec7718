/* tl-session-private.h: what tl-session.c shares with
 * tl-session-interventions.c. */
#pragma once

#include "tl-session.h"

G_BEGIN_DECLS

/* Takes both; keeps the playhead where it is (clamped to the new end). */
void tl_session_replace_scenario (TlSession  *self,
                                  TlScenario *scenario,
                                  TlTrace    *trace);

G_END_DECLS
