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

/* The start-up benchmark (tests/bench-window.c).  TL_BENCH_FIRST_FRAME holds
 * the CLOCK_MONOTONIC time, in microseconds (g_get_monotonic_time), at which
 * the benchmark spawned this process.  At the end of the first frame in which
 * the window's surface rendered (GdkSurface "render", then GdkFrameClock
 * "after-paint"),
 * one line goes to stdout and the application quits:
 *   first_frame_us=MICROSECONDS_SINCE_SPAWN rss_kib=VMRSS rss_peak_kib=VMHWM
 * the memory being VmRSS and VmHWM of /proc/self/status.  Without the
 * variable nothing of this is connected. */
static guint64
status_kib (const char *status,
            const char *field)
{
  const char *p = strstr (status, field);

  return p != NULL ? g_ascii_strtoull (p + strlen (field), NULL, 10) : 0;
}

/* GTK's own handler of the surface's "render" stops the emission, so this
 * is an emission hook, which runs before any handler.  It marks the window
 * once its surface renders, and removes itself then. */
static gboolean
first_frame_render_hook (GSignalInvocationHint *hint,
                         guint                  n_params,
                         const GValue          *params,
                         gpointer               data)
{
  GtkWidget *window = data;

  if (g_value_get_object (&params[0]) != gtk_native_get_surface (GTK_NATIVE (window)))
    return TRUE;
  g_object_set_data (G_OBJECT (window), "tl-bench-rendered", GINT_TO_POINTER (TRUE));
  return FALSE;
}

static void
first_frame_after_paint_cb (GdkFrameClock *clock,
                            GtkWidget     *window)
{
  gint64 now_us = g_get_monotonic_time ();
  gint64 spawned_us;
  g_autofree char *status = NULL;

  if (!g_object_get_data (G_OBJECT (window), "tl-bench-rendered"))
    return;
  g_signal_handlers_disconnect_by_func (clock, first_frame_after_paint_cb, window);
  g_ascii_string_to_signed (g_getenv ("TL_BENCH_FIRST_FRAME"), 10, 0, G_MAXINT64,
                            &spawned_us, NULL);
  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    status = g_strdup ("");
  g_print ("first_frame_us=%" G_GINT64_FORMAT " rss_kib=%" G_GUINT64_FORMAT
           " rss_peak_kib=%" G_GUINT64_FORMAT "\n", now_us - spawned_us,
           status_kib (status, "VmRSS:"), status_kib (status, "VmHWM:"));
  g_application_quit (G_APPLICATION (gtk_window_get_application (GTK_WINDOW (window))));
}

static void
first_frame_realize_cb (GtkWidget *window)
{
  g_signal_add_emission_hook (g_signal_lookup ("render", GDK_TYPE_SURFACE), 0,
                              first_frame_render_hook, window, NULL);
  g_signal_connect_object (gtk_widget_get_frame_clock (window), "after-paint",
                           G_CALLBACK (first_frame_after_paint_cb), window, 0);
}

static void
watch_first_frame (GtkWindow *window)
{
  const char *spawned = g_getenv ("TL_BENCH_FIRST_FRAME");
  g_autoptr(GError) error = NULL;

  if (spawned == NULL)
    return;
  if (!g_ascii_string_to_signed (spawned, 10, 0, G_MAXINT64, NULL, &error))
    {
      g_printerr ("tcplab: TL_BENCH_FIRST_FRAME: %s\n", error->message);
      return;
    }
  g_signal_connect (window, "realize", G_CALLBACK (first_frame_realize_cb), NULL);
}

static void
tl_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      window = GTK_WINDOW (tl_window_new (TL_APPLICATION (app)));
      watch_first_frame (window);
    }
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
    {
      window = GTK_WINDOW (tl_window_new (TL_APPLICATION (app)));
      watch_first_frame (window);
    }
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
