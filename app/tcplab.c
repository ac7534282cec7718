/* tcplab: the TCP Lab window. */
#include "tl-config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "tl-application.h"
#include "tl-paths.h"

/* --help and its kind print and exit before any window: no display needed. */
static gboolean
asks_for_help (int    argc,
               char **argv)
{
  for (int i = 1; i < argc; i++)
    if (g_str_has_prefix (argv[i], "--help") || g_str_equal (argv[i], "-h") ||
        g_str_equal (argv[i], "-?"))
      return TRUE;
  return FALSE;
}

static gboolean
have_display (void)
{
  const char *x11 = g_getenv ("DISPLAY");
  const char *wayland = g_getenv ("WAYLAND_DISPLAY");

  return (x11 != NULL && *x11 != '\0') || (wayland != NULL && *wayland != '\0');
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(TlApplication) app = NULL;

  setlocale (LC_ALL, "");
  tl_paths_bind_textdomain ();
  textdomain (GETTEXT_PACKAGE);

  /* Without a display GTK prints a stack of warnings; one clear line is kinder. */
  if (!have_display () && !asks_for_help (argc, argv))
    {
      g_printerr (_("tcplab: no display found (DISPLAY and WAYLAND_DISPLAY are unset); "
                    "run it in a desktop session, or use tcplab-cli for headless work\n"));
      return 1;
    }

  tl_application_choose_renderer ();
  app = tl_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
