/* tl-cli-output.h: what tcplab-cli writes, checked.  Standard output is
 * written as the text is made, every write's result looked at; an output
 * file is refused when its name is taken (by a symbolic link too, even one
 * that points nowhere) unless --force, and whenever it is not a regular
 * file. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A TlTraceSink writing to standard output; FALSE when the write failed
 * (its error is kept for tl_cli_output_finish). user_data is unused. */
gboolean tl_cli_write_stdout   (const char *data,
                                gsize       len,
                                gpointer    user_data);
/* Flushes standard output; FALSE, after printing "PRGNAME: cannot write to
 * standard output: WHY", when that or any write before failed. */
gboolean tl_cli_output_finish  (const char *prgname);
/* FALSE, after printing why, when path may not be written: it exists (or
 * is a symbolic link) and force is FALSE, or it is not a regular file. */
gboolean tl_cli_output_allowed (const char *prgname,
                                const char *path,
                                gboolean    force);

/* Prints why writing path failed, in the user's language: a
 * TL_OUT_FILE_ERROR (tl-out-file.h) by its stage, any other error as it is. */
void     tl_cli_print_write_error (const char   *prgname,
                                   const char   *path,
                                   const GError *error);

G_END_DECLS
