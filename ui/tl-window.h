#pragma once

#include <gtk/gtk.h>

#include "tl-application.h"
#include "tl-session.h"

G_BEGIN_DECLS

#define TL_TYPE_WINDOW (tl_window_get_type ())
G_DECLARE_FINAL_TYPE (TlWindow, tl_window, TL, WINDOW, GtkApplicationWindow)

TlWindow  *tl_window_new         (TlApplication *app);
TlSession *tl_window_get_session (TlWindow      *self);
/* Lists the lesson (once) and plays it; its errors, if any, are shown. */
void       tl_window_open_file   (TlWindow      *self,
                                  GFile         *file);
/* The lessons folder: the source tree's when run from the build tree,
 * else the installed one; TL_LESSONS_DIR in the environment overrides both. */
char      *tl_window_lessons_dir (void);
/* The size of the views' text, times their own (property "text-scale"). */
double     tl_window_get_text_scale (TlWindow   *self);
/* A saved ss/netstat table in "This Machine" (tl-machine-window.h), or, when
 * it does not read, a dialog with its problems as FILE:LINE:COLUMN; the
 * window presented (transient for self). */
GtkWindow *tl_window_open_socket_table (TlWindow *self,
                                        GFile    *file);
void       tl_window_set_text_scale (TlWindow   *self,
                                     double      text_scale);

/* Switches the interface, the views and the narration to language ("en",
 * "zh_CN"; "" for the desktop's), remembered for the next start: a new
 * window replaces this one (destroyed), on the same lesson and time. */
void       tl_window_set_language   (TlWindow   *self,
                                     const char *language);

G_END_DECLS
