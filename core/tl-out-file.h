/* tl-out-file.h: a file written as it is made, atomically.
 *
 * The bytes go to a temporary file beside the target (".NAME.XXXXXX"),
 * every write's result looked at; tl_out_file_commit closes it (close
 * reports what the file system could not keep) and renames it over the
 * target.  On any failure the temporary file is removed and the target is
 * untouched: a reader never sees half a file, and a good file already
 * there is kept.  Memory stays bounded whatever is written.
 *
 * An error is in TL_OUT_FILE_ERROR, its code the stage that failed and its
 * message the system's reason alone (strerror), so that the front ends put
 * it into words in the user's language (core/ never translates):
 * tl_cli_out_file_error and the window's own.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TL_OUT_FILE_ERROR (tl_out_file_error_quark ())

typedef enum
{
  TL_OUT_FILE_ERROR_CREATE,   /* the temporary file could not be made beside the target */
  TL_OUT_FILE_ERROR_WRITE,    /* a write (or the close) failed: full disk, quota, I/O */
  TL_OUT_FILE_ERROR_RENAME,   /* it could not be renamed over the target */
} TlOutFileError;

typedef struct _TlOutFile TlOutFile;

GQuark          tl_out_file_error_quark (void);
/* NULL (and error) if the temporary file cannot be made. */
TlOutFile      *tl_out_file_new     (const char      *path,
                                     GError         **error);
/* A TlTraceSink (tl-trace.h): appends data; FALSE once any write has failed
 * (the error is kept for tl_out_file_commit). */
gboolean        tl_out_file_write   (const char      *data,
                                     gsize            len,
                                     gpointer         out_file);
/* Closes, and renames into place if every write succeeded; else removes the
 * temporary file.  Frees file either way.  FALSE with error on failure. */
gboolean        tl_out_file_commit  (TlOutFile       *file,
                                     GError         **error);
/* Removes the temporary file (the writer gave up) and frees file. */
void            tl_out_file_abort   (TlOutFile       *file);

G_END_DECLS
