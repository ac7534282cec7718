/* tcplab: the TCP Lab window. */
#include "tl-config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "tl-application.h"
#include "tl-paths.h"

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
  if (!have_display ())
    {
      g_printerr (_("tcplab: no display found (DISPLAY and WAYLAND_DISPLAY are unset); "
                    "run it in a desktop session, or use tcplab-cli for headless work\n"));
      return 1;
    }

  tl_application_choose_renderer ();
  app = tl_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
