/* tl-trace-file.h: a trace saved as a file and read back, whole.
 *
 * What it is for: the real kernel's run of a lesson, recorded once as root,
 * kept beside the lesson (the sidecar FILE.lesson.real) so a class without
 * root plays it like any trace.  Unlike the JSON writer's lines, the file
 * holds everything a TlTrace holds (hosts, connection table, texts, every
 * field of every record), so write -> read -> write gives the same bytes,
 * and the SHA-256 of the lesson text it was recorded from, so a sidecar of
 * a lesson edited since is known to be stale.  The format is in
 * lessons/README.md ("The real run beside a lesson").
 */
#pragma once

#include <glib.h>

#include "tl-lesson.h"
#include "tl-trace.h"

G_BEGIN_DECLS

#define TL_TRACE_FILE_ERROR (tl_trace_file_error_quark ())

typedef enum
{
  TL_TRACE_FILE_ERROR_IO,        /* the file cannot be read or written (errno text) */
  TL_TRACE_FILE_ERROR_SYNTAX,    /* the message is FILE:LINE:COLUMN: WHAT */
  TL_TRACE_FILE_ERROR_VERSION,   /* written by a newer TCP Lab */
  TL_TRACE_FILE_ERROR_EXISTS,    /* saving over a file that is there, not asked to */
} TlTraceFileError;

/* The sidecar's name: the lesson's path with this after it. */
#define TL_TRACE_FILE_SIDECAR_SUFFIX ".real"
/* At most this many bytes are read: 10^7 records (TL_BUDGET_RECORDS) of
 * about 60 bytes. */
#define TL_TRACE_FILE_MAX_BYTES (G_GUINT64_CONSTANT (1) << 30)

typedef struct
{
  char *lesson_sha256;   /* 64 hex digits */
  char *origin;          /* where it was recorded ("Linux 6.18.0 ..."), or "" */
} TlTraceFileInfo;

GQuark    tl_trace_file_error_quark  (void);

/* The SHA-256 of a lesson's text, as the file stores it (64 hex digits). */
char     *tl_trace_file_lesson_hash  (const char          *lesson_text,
                                      gsize                length);
/* lesson_path + TL_TRACE_FILE_SIDECAR_SUFFIX. */
char     *tl_trace_file_sidecar_path (const char          *lesson_path);

/* Appends trace (sealed) as a file to out. */
void      tl_trace_file_write        (const TlTrace       *trace,
                                      const char          *lesson_sha256,
                                      const char          *origin,
                                      GString             *out);
/* Reads what tl_trace_file_write wrote into a sealed trace; on a mistake
 * NULL and TL_TRACE_FILE_ERROR_SYNTAX (or _VERSION) with the message
 * "FILENAME:LINE:COLUMN: WHAT", WHAT passed through translate (may be NULL).
 * info (may be NULL) receives the header; clear it with tl_trace_file_info_clear. */
TlTrace  *tl_trace_file_read         (const char          *data,
                                      gsize                length,
                                      const char          *filename,
                                      TlTranslateFunc      translate,
                                      TlTraceFileInfo     *info,
                                      GError             **error);
/* The same from a file of at most TL_TRACE_FILE_MAX_BYTES. */
TlTrace  *tl_trace_file_load         (const char          *path,
                                      TlTranslateFunc      translate,
                                      TlTraceFileInfo     *info,
                                      GError             **error);
/* Writes atomically (a temporary file renamed over path); an existing path
 * only when overwrite is TRUE, else TL_TRACE_FILE_ERROR_EXISTS. */
gboolean  tl_trace_file_save         (const char          *path,
                                      const TlTrace       *trace,
                                      const char          *lesson_sha256,
                                      const char          *origin,
                                      gboolean             overwrite,
                                      GError             **error);
/* TRUE when info was recorded from exactly this lesson text. */
gboolean  tl_trace_file_matches      (const TlTraceFileInfo *info,
                                      const char          *lesson_text,
                                      gsize                length);
void      tl_trace_file_info_clear   (TlTraceFileInfo     *info);

G_END_DECLS
