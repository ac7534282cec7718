/* tl-window-state.h: what the window remembers between runs and carries
 * over to the window that replaces it on a language switch. */
#pragma once

#include "tl-window.h"

G_BEGIN_DECLS

/* Restores the window's last size (within the screen) and keeps the size
 * and the lesson playing in the settings as they change. */
void     tl_window_state_init         (TlWindow *window);
/* Opens the lesson last played, if it is still there; FALSE if none. */
gboolean tl_window_state_reopen_last  (TlWindow *window);
/* What plays in from continues in to: the lesson file (or the capture), the
 * interventions made on it or the free play without a file, the time, and
 * whether the window is maximized. */
void     tl_window_state_carry        (TlWindow *from,
                                       TlWindow *to);

G_END_DECLS
