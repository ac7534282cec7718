/* tl-application.c: the GtkApplication of TCP Lab: actions, accelerators,
 * the about window, one TlWindow per activation, and `tcplab FILE`. */
#include "tl-config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "tl-application.h"
#include "tl-window.h"
#include "tl-resources.h"

struct _TlApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (TlApplication, tl_application, ADW_TYPE_APPLICATION)

static void
tl_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (tl_window_new (TL_APPLICATION (app)));
  gtk_window_present (window);
}

static void
tl_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (tl_window_new (TL_APPLICATION (app)));
  for (int i = 0; i < n_files; i++)
    tl_window_open_file (TL_WINDOW (window), files[i]);
  gtk_window_present (window);
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  const char *developers[] = { "TCP Lab developers", NULL };

  adw_show_about_window (gtk_application_get_active_window (app),
                         "application-name", _("TCP Lab"),
                         "application-icon", TL_APP_ID,
                         "version", TL_VERSION,
                         "comments", _("A teaching simulator for TCP connection management"),
                         "developers", developers,
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static const GActionEntry app_actions[] = {
  { .name = "quit", .activate = quit_activated },
  { .name = "about", .activate = about_activated },
};

/* The keyboard of a classroom: everything the controls do.  The playback
 * keys (Space, the arrows, Home, plus and minus) are not here: accelerators
 * act before the focused widget, and a text field needs those keys; the
 * window binds them (tl-window.c, playback_keys). */
static const struct
{
  const char *action;
  const char *accels[4];
} accels[] = {
  { "app.quit",         { "<Control>q", NULL } },
  { "win.fullscreen",   { "F11", NULL } },
  { "win.text-larger",  { "<Control>plus", "<Control>equal", "<Control>KP_Add", NULL } },
  { "win.text-smaller", { "<Control>minus", "<Control>KP_Subtract", NULL } },
  { "win.text-reset",   { "<Control>0", "<Control>KP_0", NULL } },
  { "win.show-lessons", { "F9", NULL } },
  { "win.show-free-play", { "F8", NULL } },
  { "win.show-tables", { "F7", NULL } },
  { "win.open",         { "<Control>o", NULL } },
  { "win.save-as",      { "<Control>s", NULL } },
};

static void
tl_application_startup (GApplication *app)
{
  G_APPLICATION_CLASS (tl_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), accels[i].action,
                                           accels[i].accels);
}

static void
tl_application_class_init (TlApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = tl_application_activate;
  app_class->open = tl_application_open;
  app_class->startup = tl_application_startup;
}

static void
tl_application_init (TlApplication *self)
{
}

/* The cairo renderer draws without GL, yet GDK on X11 loads the GL stack at
 * start to pick a visual.  With Mesa's software GL (Xvfb, a classroom PC
 * without a GPU driver) that maps libLLVM and llvmpipe's buffers: with the
 * SYN-flood lesson 114 MB resident against 48 MB without, while the lesson,
 * its trace and the views' caches take about 4 MB. */
void
tl_application_skip_unused_gl (void)
{
  const char *debug = g_getenv ("GDK_DEBUG");
  g_autofree char *flags = NULL;

  if (g_strcmp0 (g_getenv ("GSK_RENDERER"), "cairo") != 0)
    return;
  if (debug != NULL && strstr (debug, "gl-disable") != NULL)
    return;
  flags = debug != NULL && *debug != '\0' ? g_strconcat (debug, ",gl-disable", NULL)
                                          : g_strdup ("gl-disable");
  g_setenv ("GDK_DEBUG", flags, TRUE);
}

TlApplication *
tl_application_new (void)
{
  static gsize registered;

  /* Registered by hand: a constructor in a static library may be dropped by the linker. */
  if (g_once_init_enter (&registered))
    {
      tl_register_resource ();
      g_once_init_leave (&registered, 1);
    }

  return g_object_new (TL_TYPE_APPLICATION,
                       "application-id", TL_APP_ID,
                       "flags", G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/tcplab/TcpLab",
                       NULL);
}
