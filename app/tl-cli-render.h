/* tl-cli-render.h: `tcplab-cli render`, a view of a lesson at a moment as a
 * PNG, SVG or PDF file, drawn by the same renderers as the window. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* argv[0] names the subcommand ("render"); the rest are its options and the
 * lesson file.  Returns the exit status: 0 written, 2 a usage, lesson or
 * file error (with a message on stderr that names what was wrong). */
int tl_cli_render (int    argc,
                   char **argv);

G_END_DECLS
