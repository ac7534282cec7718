/* tl-lesson-groups.h: the lesson list in teaching order.
 *
 * Each lesson says where it stands (`group NAME N`, core/tl-lesson.c): the
 * list shows the groups in order (opening, closing, trouble on a server,
 * timers and limits), each under its heading, the lessons of a group by
 * their N, and the lessons without a group last, by name.
 */
#pragma once

#include <gtk/gtk.h>

#include "tl-scenario.h"

G_BEGIN_DECLS

/* Sorts and heads list. */
void        tl_lesson_groups_init     (GtkListBox       *list);
/* Records a row's place (scenario NULL: a capture or a broken lesson, listed
 * last); name breaks ties. */
void        tl_lesson_groups_mark_row (GtkWidget        *row,
                                       const TlScenario *scenario,
                                       const char       *name);
/* A group's heading in the user's language ("Closing a connection"). */
const char *tl_lesson_groups_heading  (TlLessonGroup     group);

G_END_DECLS
