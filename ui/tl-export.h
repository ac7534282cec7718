/* tl-export.h: the window's views written as pictures (PNG, SVG, PDF). */
#pragma once

#include "tl-window.h"

G_BEGIN_DECLS

typedef enum
{
  TL_EXPORT_ALL,          /* the four views at the playhead */
  TL_EXPORT_DIAGRAM,      /* one view at the playhead, as it is shown */
  TL_EXPORT_LADDER,
  TL_EXPORT_TIMERS,
  TL_EXPORT_SOCKETS,
  TL_EXPORT_LADDER_SHOWN, /* the ladder over the time it shows now */
  TL_EXPORT_LADDER_WHOLE, /* the ladder over the whole lesson */
} TlExportWhat;

/* Adds win.export (Ctrl+E): a file chooser that asks what to export and
 * where, and asks before replacing a file. */
void     tl_export_init  (TlWindow      *window);

/* Writes what to file (its type by the name's ending: .png, .svg or .pdf)
 * atomically, as tl_render_to_file does; errors name file. */
gboolean tl_export_write (TlWindow      *window,
                          TlExportWhat   what,
                          GFile         *file,
                          GError       **error);

G_END_DECLS
