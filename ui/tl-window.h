#pragma once

#include <gtk/gtk.h>

#include "tl-application.h"

G_BEGIN_DECLS

#define TL_TYPE_WINDOW (tl_window_get_type ())
G_DECLARE_FINAL_TYPE (TlWindow, tl_window, TL, WINDOW, GtkApplicationWindow)

TlWindow *tl_window_new (TlApplication *app);

G_END_DECLS
