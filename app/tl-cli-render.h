/* tl-cli-render.h: `tcplab-cli render`, a view of a lesson at a moment as a
 * PNG, SVG or PDF file, drawn by the same renderers as the window. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* argv[0] names the subcommand ("render"); the rest are its options and the
 * lesson file.  Returns the exit status: 0 written, 2 a usage, lesson or
 * file error (with a message on stderr that names what was wrong). */
int         tl_cli_render         (int         argc,
                                   char      **argv);

/* Shared by the subcommands that print or draw translated text. */
/* One of the languages TCP Lab speaks: en, zh_CN (tl_paths_languages). */
gboolean    tl_cli_valid_language (const char *lang);
/* Messages in lang from now on, whatever the locale of the terminal
 * (tl_paths_use_language). */
void        tl_cli_use_language   (const char *lang);
/* TRUE for no --lang or a valid one; else prints what is valid (on stderr,
 * prefixed by prgname) and returns FALSE. */
gboolean    tl_cli_language_allowed (const char *prgname,
                                     const char *lang);

G_END_DECLS
