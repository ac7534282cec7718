/* tl-narration.h: the narration and the question keep their room. */
#pragma once

#include "tl-window.h"

G_BEGIN_DECLS

/* The box of the narration and the question is given, for each lesson,
 * the height its longest narration and question need, so the views below
 * do not jump when a question appears or the narration grows. */
void tl_narration_init (TlWindow *window);

G_END_DECLS
