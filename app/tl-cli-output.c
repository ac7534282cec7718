/* tl-cli-output.c: what tcplab-cli writes, checked (see tl-cli-output.h).
 * `tcplab-cli run > /dev/full` used to exit 0: the writes' results were not
 * looked at, nor was the final flush of standard output. */
#include "tl-config.h"

#include "tl-cli-output.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gi18n.h>

#include "tl-out-file.h"

/* The error of the first write that failed: the program's one stream. */
static int stdout_error;

gboolean
tl_cli_write_stdout (const char *data,
                     gsize       len,
                     gpointer    user_data)
{
  if (stdout_error != 0)
    return FALSE;
  if (fwrite (data, 1, len, stdout) == len)
    return TRUE;
  stdout_error = errno != 0 ? errno : EIO;
  return FALSE;
}

gboolean
tl_cli_output_finish (const char *prgname)
{
  if (stdout_error == 0 && fflush (stdout) != 0)
    stdout_error = errno != 0 ? errno : EIO;
  if (stdout_error == 0 && ferror (stdout))
    stdout_error = EIO;
  if (stdout_error == 0)
    return TRUE;
  g_printerr (_("%s: cannot write to standard output: %s\n"), prgname,
              g_strerror (stdout_error));
  return FALSE;
}

gboolean
tl_cli_output_allowed (const char *prgname,
                       const char *path,
                       gboolean    force)
{
  struct stat st;

  /* lstat: a symbolic link is a name taken, wherever it points */
  if (lstat (path, &st) != 0)
    return TRUE;
  if (!force)
    {
      g_printerr (_("%s: %s exists; add --force to replace it\n"), prgname, path);
      return FALSE;
    }
  if (!S_ISREG (st.st_mode) && !S_ISLNK (st.st_mode))
    {
      g_printerr (_("%s: %s is not a regular file; it is not replaced\n"), prgname, path);
      return FALSE;
    }
  return TRUE;
}

void
tl_cli_print_write_error (const char   *prgname,
                          const char   *path,
                          const GError *error)
{
  const char *reason = error->message;

  if (error->domain != TL_OUT_FILE_ERROR)
    {
      g_printerr ("%s: %s\n", prgname, error->message);
      return;
    }
  /* a writer may have put the path before the reason already */
  if (g_str_has_prefix (reason, path) && g_str_has_prefix (reason + strlen (path), ": "))
    reason += strlen (path) + 2;
  switch ((TlOutFileError) error->code)
    {
    case TL_OUT_FILE_ERROR_CREATE:
      g_printerr (_("%s: %s: cannot create a file beside it: %s\n"), prgname, path, reason);
      break;
    case TL_OUT_FILE_ERROR_WRITE:
      g_printerr (_("%s: %s: cannot write: %s; the file is not replaced\n"), prgname, path,
                  reason);
      break;
    case TL_OUT_FILE_ERROR_RENAME:
      g_printerr (_("%s: %s: cannot rename the new file into place: %s\n"), prgname, path,
                  reason);
      break;
    }
}
