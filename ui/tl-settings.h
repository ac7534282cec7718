/* tl-settings.h: what the window remembers between runs (GSettings schema
 * io.github.tcplab.TcpLab, data/io.github.tcplab.TcpLab.gschema.xml). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The settings, with the schema found in the build tree when run from
 * there, else installed; NULL (with a warning) if no schema is found, and
 * then nothing is remembered.  Where no desktop settings store (dconf) is
 * installed they are kept in a key file in the user's configuration folder,
 * unless GSETTINGS_BACKEND chooses another store. */
GSettings *tl_settings_new (void);

G_END_DECLS
