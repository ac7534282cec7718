/* tl-explain.h: the states explained in the window.
 *
 * A click on a state of the diagram (or the key E, for the state the
 * client's connection is in) opens its explanation in a popover, with the
 * edges in and out of it lit in the diagram; Up and Down go to the previous
 * and next state.  "Roles" (the key R) colours the diagram's edges by the
 * role that takes them.  The text is core/tl-states-explained.c's, translated.
 */
#pragma once

#include "tl-window.h"

G_BEGIN_DECLS

/* Adds the actions win.explain-state (int32: a TlState, -1 closes the
 * explanation), win.explain (the state the client's connection is in now)
 * and win.role-colours (boolean state), the click on the diagram and the
 * Roles button in the header bar. */
void        tl_explain_init             (TlWindow   *window);
/* The state explained now, or -1. */
int         tl_explain_get_state        (TlWindow   *window);
/* The popover showing it (for tests), or NULL before the first one. */
GtkWidget  *tl_explain_get_popover      (TlWindow   *window);

G_END_DECLS
