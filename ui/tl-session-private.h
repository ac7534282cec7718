/* tl-session-private.h: what tl-session.c shares with
 * tl-session-interventions.c. */
#pragma once

#include "tl-session.h"

G_BEGIN_DECLS

/* Takes both; keeps the playhead where it is (clamped to the new end). */
void tl_session_replace_scenario (TlSession  *self,
                                  TlScenario *scenario,
                                  TlTrace    *trace);

/* A change the user made (DESIGN.md point 3): scenario (taken) replaces the
 * one playing, which goes on the undo stack; change_us is when it was made. */
void tl_session_change_scenario  (TlSession  *self,
                                  TlScenario *scenario,
                                  gint64      change_us);

G_END_DECLS
