/* tl-paths.c: see tl-paths.h. */
#include "tl-config.h"

#include "tl-paths.h"

#include <locale.h>
#include <string.h>

#include <glib/gi18n.h>

gboolean
tl_paths_in_build_tree (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *build_root = g_path_get_dirname (TL_BUILD_LOCALEDIR);
  g_autofree char *prefix = g_strconcat (build_root, G_DIR_SEPARATOR_S, NULL);

  return exe != NULL && g_str_has_prefix (exe, prefix);
}

static char *
from_env_or (const char *name,
             const char *build,
             const char *installed)
{
  const char *env = g_getenv (name);

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_strdup (tl_paths_in_build_tree () ? build : installed);
}

char *
tl_paths_locale_dir (void)
{
  return from_env_or ("TL_LOCALEDIR", TL_BUILD_LOCALEDIR, TL_LOCALEDIR);
}

char *
tl_paths_lessons_dir (void)
{
  return from_env_or ("TL_LESSONS_DIR", TL_SOURCE_LESSONS_DIR, TL_LESSONS_DIR);
}

char *
tl_paths_schema_dir (void)
{
  return g_strdup (tl_paths_in_build_tree () ? TL_BUILD_SCHEMADIR : TL_SCHEMADIR);
}

void
tl_paths_bind_textdomain (void)
{
  g_autofree char *dir = tl_paths_locale_dir ();

  bindtextdomain (GETTEXT_PACKAGE, dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

const char *
tl_paths_translate (const char *msgid)
{
  return g_dgettext (GETTEXT_PACKAGE, msgid);
}

/* glibc's count of loaded catalogues: raising it makes gettext look its
 * translations up again after LANGUAGE changed. */
extern int _nl_msg_cat_cntr;

void
tl_paths_use_language (const char *language)
{
  const char *messages;

  if (language == NULL || *language == '\0')
    {
      g_unsetenv ("LANGUAGE");
      setlocale (LC_MESSAGES, "");
    }
  else
    {
      g_autofree char *utf8 = g_strdup_printf ("%s.UTF-8", language);

      g_setenv ("LANGUAGE", language, TRUE);
      if (setlocale (LC_MESSAGES, utf8) == NULL)
        {
          messages = setlocale (LC_MESSAGES, NULL);
          if (messages == NULL || strcmp (messages, "C") == 0 || strcmp (messages, "POSIX") == 0)
            setlocale (LC_MESSAGES, "C.UTF-8");
        }
    }
  /* Found where this program runs from, in UTF-8 (drawn with Pango, which
   * wants UTF-8 whatever the terminal's locale). */
  tl_paths_bind_textdomain ();
  ++_nl_msg_cat_cntr;
}

static const char *const languages[] = { "en", "zh_CN", NULL };

const char *const *
tl_paths_languages (void)
{
  return languages;
}

const char *
tl_paths_language_name (const char *language)
{
  /* Each in its own language, as a language menu shows them. */
  if (g_strcmp0 (language, "zh_CN") == 0)
    return "简体中文";
  if (g_strcmp0 (language, "en") == 0)
    return "English";
  return NULL;
}
