/* tl-presentation.h: presentation mode (F5), the window as a class sees it. */
#pragma once

#include "tl-window.h"

G_BEGIN_DECLS

/* Adds the stateful action win.presentation and its keys (F5; Escape
 * leaves) to the window. */
void tl_presentation_init (TlWindow *window);

G_END_DECLS
