/* tl-out-file.c: a file written through a temporary one and renamed. */
#include "tl-out-file.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <unistd.h>

struct _TlOutFile
{
  int   fd;
  int   error;        /* errno of the first failed write, 0 if none */
  char *path;
  char *tmp_path;
};

G_DEFINE_QUARK (tl-out-file-error-quark, tl_out_file_error)

static void
set_errno_error (GError         **error,
                 TlOutFileError   code,
                 int              saved)
{
  g_set_error_literal (error, TL_OUT_FILE_ERROR, code, g_strerror (saved));
}

TlOutFile *
tl_out_file_new (const char  *path,
                 GError     **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *tmp_name = NULL;
  TlOutFile *file;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  tmp_name = g_strdup_printf (".%s.XXXXXX", base);
  file = g_new0 (TlOutFile, 1);
  file->path = g_strdup (path);
  file->tmp_path = g_build_filename (dir, tmp_name, NULL);
  file->fd = g_mkstemp_full (file->tmp_path, O_WRONLY | O_CLOEXEC, 0644);
  if (file->fd < 0)
    {
      set_errno_error (error, TL_OUT_FILE_ERROR_CREATE, errno);
      g_free (file->path);
      g_free (file->tmp_path);
      g_free (file);
      return NULL;
    }
  return file;
}

gboolean
tl_out_file_write (const char *data,
                   gsize       len,
                   gpointer    out_file)
{
  TlOutFile *file = out_file;

  while (len > 0 && file->error == 0)
    {
      gssize n = write (file->fd, data, MIN (len, (gsize) G_MAXSSIZE));

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        file->error = n < 0 ? errno : EIO;
      else
        {
          data += n;
          len -= (gsize) n;
        }
    }
  return file->error == 0;
}

static void
file_free (TlOutFile *file)
{
  g_free (file->path);
  g_free (file->tmp_path);
  g_free (file);
}

gboolean
tl_out_file_commit (TlOutFile  *file,
                    GError    **error)
{
  gboolean ok = FALSE;

  g_return_val_if_fail (file != NULL, FALSE);

  /* close reports what the file system could not keep (NFS, quotas) */
  if (close (file->fd) != 0 && file->error == 0)
    file->error = errno != 0 ? errno : EIO;
  if (file->error != 0)
    {
      g_unlink (file->tmp_path);
      set_errno_error (error, TL_OUT_FILE_ERROR_WRITE, file->error);
    }
  else if (g_rename (file->tmp_path, file->path) != 0)
    {
      int saved = errno;

      g_unlink (file->tmp_path);
      set_errno_error (error, TL_OUT_FILE_ERROR_RENAME, saved);
    }
  else
    ok = TRUE;
  file_free (file);
  return ok;
}

void
tl_out_file_abort (TlOutFile *file)
{
  g_return_if_fail (file != NULL);

  close (file->fd);
  g_unlink (file->tmp_path);
  file_free (file);
}
