/* tl-settings.c: see tl-settings.h. */
#include "tl-config.h"

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include "tl-paths.h"
#include "tl-settings.h"

/* GIO falls back to a store in memory when no other is installed: what was
 * set would be lost at the end of the run. */
static GSettingsBackend *
lasting_backend (void)
{
  GSettingsBackend *backend = g_settings_backend_get_default ();
  g_autofree char *path = NULL;

  if (g_getenv ("GSETTINGS_BACKEND") != NULL ||
      g_strcmp0 (G_OBJECT_TYPE_NAME (backend), "GMemorySettingsBackend") != 0)
    return backend;
  g_object_unref (backend);
  path = g_build_filename (g_get_user_config_dir (), "tcplab", "settings.ini", NULL);
  return g_keyfile_settings_backend_new (path, "/io/github/tcplab/TcpLab/", NULL);
}

GSettings *
tl_settings_new (void)
{
  g_autofree char *dir = tl_paths_schema_dir ();
  GSettingsSchemaSource *parent = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchemaSource) source = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsBackend) backend = NULL;

  if (g_file_test (dir, G_FILE_TEST_IS_DIR))
    source = g_settings_schema_source_new_from_directory (dir, parent, FALSE, NULL);
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, TL_APP_ID, TRUE);
  else if (parent != NULL)
    schema = g_settings_schema_source_lookup (parent, TL_APP_ID, TRUE);
  if (schema == NULL)
    {
      g_warning ("The settings schema %s is not installed: settings will not be remembered",
                 TL_APP_ID);
      return NULL;
    }
  backend = lasting_backend ();
  return g_settings_new_full (schema, backend, NULL);
}
