/* tl-application.c: the GtkApplication of TCP Lab: actions, accelerators,
 * the about window, one TlWindow per activation, and `tcplab FILE`. */
#include "tl-config.h"

#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <glib/gi18n.h>

#include "tl-application.h"
#include "tl-paths.h"
#include "tl-settings.h"
#include "tl-window.h"
#include "tl-window-state.h"
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
 *   renderer=NAME cpu_ms=PROCESS_CPU_MS
 * the memory being VmRSS and VmHWM of /proc/self/status, cpu_ms the CPU time
 * the process has used (user and system, getrusage): on a loaded machine the
 * wall time stretches, the CPU time does not.  Without the
 * variable nothing of this is connected. */
static guint64
status_kib (const char *status,
            const char *field)
{
  const char *p = strstr (status, field);

  return p != NULL ? g_ascii_strtoull (p + strlen (field), NULL, 10) : 0;
}

/* The renderer GTK uses for a window, as GSK_RENDERER names it: "cairo",
 * "gl", "ngl", "vulkan" (from the type: GskCairoRenderer, GskNglRenderer). */
static const char *
renderer_name (GtkNative *native)
{
  GskRenderer *renderer = gtk_native_get_renderer (native);
  const char *type = renderer != NULL ? G_OBJECT_TYPE_NAME (renderer) : "none";

  if (g_str_has_prefix (type, "Gsk") && g_str_has_suffix (type, "Renderer"))
    {
      static char name[32];

      g_strlcpy (name, type + 3, MIN (sizeof name, strlen (type) - 3 - 8 + 1));
      for (char *c = name; *c != '\0'; c++)
        *c = g_ascii_tolower (*c);
      return name;
    }
  return type;
}

/* The playback benchmark (tests/bench-window.c).  TL_BENCH_PLAYBACK holds
 * "FRAMES,SPEED": once the window shows, TCP Lab plays its lesson at SPEED
 * and times FRAMES frames of its frame clock (after 30 to warm up): each
 * frame's work from "before-paint" to the end of "after-paint" (GTK's
 * update, layout and paint of everything that changed), and the interval
 * between frames; and the CPU time of this thread over the same span, the
 * frame's cost whatever else the machine runs.  Then one line to stdout,
 * and it quits:
 *   playback_frames=N frame_ms_p50=.. frame_ms_p99=.. frame_ms_max=..
 *   interval_ms_p50=.. interval_ms_p99=.. cpu_ms_p50=.. cpu_ms_p99=.. renderer=NAME
 * Playback restarts from the beginning if it reaches the end first. */
#define PLAYBACK_WARMUP 30

typedef struct
{
  GtkWidget *window;
  guint      frames;        /* to measure */
  double     speed;
  guint      seen;          /* frames so far, warm-up included */
  gint64     began_us;      /* this frame's before-paint */
  gint64     began_cpu_ns;  /* and this thread's CPU time then */
  gint64     last_end_us;
  GArray    *work_ms;       /* of double */
  GArray    *interval_ms;   /* of double */
  GArray    *cpu_ms;        /* of double */
} Playback;

static gint64
thread_cpu_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* The q-quantile (0..1) of a sorted array, nearest rank. */
static double
quantile (const GArray *sorted,
          double        q)
{
  guint rank = (guint) (q * sorted->len + 0.999999);

  if (sorted->len == 0)
    return 0;
  return g_array_index (sorted, double, CLAMP (rank, 1, sorted->len) - 1);
}

static void
playback_before_paint_cb (GdkFrameClock *clock,
                          Playback      *pb)
{
  pb->began_us = g_get_monotonic_time ();
  pb->began_cpu_ns = thread_cpu_ns ();
}

static void
playback_after_paint_cb (GdkFrameClock *clock,
                         Playback      *pb)
{
  gint64 end_us = g_get_monotonic_time ();
  gint64 end_cpu_ns = thread_cpu_ns ();
  TlSession *session = tl_window_get_session (TL_WINDOW (pb->window));

  if (pb->seen == 0)
    {
      tl_session_set_speed (session, pb->speed);
      tl_session_set_playing (session, TRUE);
    }
  else if (!tl_session_get_playing (session))
    {
      /* the end (or a pause): from the start again */
      tl_session_set_time (session, 0);
      tl_session_set_playing (session, TRUE);
    }
  if (pb->seen > PLAYBACK_WARMUP && pb->began_us != 0)
    {
      double work = (end_us - pb->began_us) / 1000.0;
      double interval = (end_us - pb->last_end_us) / 1000.0;
      double cpu = (end_cpu_ns - pb->began_cpu_ns) / 1e6;

      g_array_append_val (pb->work_ms, work);
      g_array_append_val (pb->interval_ms, interval);
      g_array_append_val (pb->cpu_ms, cpu);
    }
  pb->seen++;
  pb->last_end_us = end_us;
  if (pb->work_ms->len < pb->frames)
    return;

  g_signal_handlers_disconnect_by_data (clock, pb);
  g_array_sort (pb->work_ms, compare_double);
  g_array_sort (pb->interval_ms, compare_double);
  g_array_sort (pb->cpu_ms, compare_double);
  g_print ("playback_frames=%u frame_ms_p50=%.2f frame_ms_p99=%.2f frame_ms_max=%.2f "
           "interval_ms_p50=%.2f interval_ms_p99=%.2f cpu_ms_p50=%.2f cpu_ms_p99=%.2f "
           "renderer=%s\n", pb->work_ms->len,
           quantile (pb->work_ms, 0.5), quantile (pb->work_ms, 0.99),
           quantile (pb->work_ms, 1.0), quantile (pb->interval_ms, 0.5),
           quantile (pb->interval_ms, 0.99), quantile (pb->cpu_ms, 0.5),
           quantile (pb->cpu_ms, 0.99), renderer_name (GTK_NATIVE (pb->window)));
  g_array_unref (pb->work_ms);
  g_array_unref (pb->interval_ms);
  g_array_unref (pb->cpu_ms);
  g_application_quit (G_APPLICATION (gtk_window_get_application (GTK_WINDOW (pb->window))));
  g_free (pb);
}

static void
playback_realize_cb (GtkWidget *window,
                     Playback  *pb)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  g_signal_connect (clock, "before-paint", G_CALLBACK (playback_before_paint_cb), pb);
  g_signal_connect (clock, "after-paint", G_CALLBACK (playback_after_paint_cb), pb);
}

static void
watch_playback (GtkWindow *window)
{
  const char *spec = g_getenv ("TL_BENCH_PLAYBACK");
  g_auto(GStrv) parts = NULL;
  guint64 frames;
  Playback *pb;

  if (spec == NULL)
    return;
  parts = g_strsplit (spec, ",", 2);
  if (g_strv_length (parts) != 2
      || !g_ascii_string_to_unsigned (parts[0], 10, 1, 100000, &frames, NULL)
      || g_ascii_strtod (parts[1], NULL) <= 0)
    {
      g_printerr ("tcplab: TL_BENCH_PLAYBACK: expected FRAMES,SPEED, got '%s'\n", spec);
      return;
    }
  pb = g_new0 (Playback, 1);
  pb->window = GTK_WIDGET (window);
  pb->frames = frames;
  pb->speed = g_ascii_strtod (parts[1], NULL);
  pb->work_ms = g_array_new (FALSE, FALSE, sizeof (double));
  pb->interval_ms = g_array_new (FALSE, FALSE, sizeof (double));
  pb->cpu_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_signal_connect (window, "realize", G_CALLBACK (playback_realize_cb), pb);
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
  struct rusage usage;
  double cpu_ms = -1;

  if (!g_object_get_data (G_OBJECT (window), "tl-bench-rendered"))
    return;
  g_signal_handlers_disconnect_by_func (clock, first_frame_after_paint_cb, window);
  g_ascii_string_to_signed (g_getenv ("TL_BENCH_FIRST_FRAME"), 10, 0, G_MAXINT64,
                            &spawned_us, NULL);
  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    status = g_strdup ("");
  if (getrusage (RUSAGE_SELF, &usage) == 0)
    cpu_ms = (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3
             + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3;
  g_print ("first_frame_us=%" G_GINT64_FORMAT " rss_kib=%" G_GUINT64_FORMAT
           " rss_peak_kib=%" G_GUINT64_FORMAT " renderer=%s cpu_ms=%.1f\n", now_us - spawned_us,
           status_kib (status, "VmRSS:"), status_kib (status, "VmHWM:"),
           renderer_name (GTK_NATIVE (window)), cpu_ms);
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
      /* No file given: the lesson played last time. */
      tl_window_state_reopen_last (TL_WINDOW (window));
      watch_first_frame (window);
      watch_playback (window);
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
      watch_playback (window);
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
  { "win.export",       { "<Control>e", NULL } },
  { "win.this-machine", { "<Control>m", NULL } },
  { "win.open-socket-table", { "<Control><Shift>o", NULL } },
};

static void
tl_application_startup (GApplication *app)
{
  g_autoptr(GSettings) settings = tl_settings_new ();

  G_APPLICATION_CLASS (tl_application_parent_class)->startup (app);
  /* Our selectable labels (the error banner, the expectations) are there to
   * copy a part from; one that takes the focus (the window's first focus,
   * Tab) must not select its whole text: the banner opened all selected. */
  g_object_set (gtk_settings_get_default (), "gtk-label-select-on-focus", FALSE, NULL);
  /* The language chosen in the window last time (empty: the desktop's). */
  if (settings != NULL)
    {
      g_autofree char *language = g_settings_get_string (settings, "language");

      if (*language != '\0')
        tl_paths_use_language (language);
    }

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

/* Every view of TCP Lab is drawn by cairo (gtk_snapshot_append_cairo), so
 * a GL renderer only uploads cairo's pictures as textures, after loading the
 * GL stack.  Measured with the desktop file's command under Xvfb (Mesa's
 * llvmpipe, as on a classroom PC without a GPU driver; bench-window, README
 * "Benchmarks"): GTK's default renderer (ngl) 0.8-1.0 s to the first frame
 * and 184 MB resident, the cairo renderer 0.3-0.4 s and 37 MB.  So TCP Lab
 * asks for cairo itself; GSK_RENDERER set by the user still wins.
 *
 * The cairo renderer draws without GL, yet GDK on X11 loads the GL stack at
 * start to pick a visual.  With Mesa's software GL that maps libLLVM and
 * llvmpipe's buffers: with the SYN-flood lesson 114 MB resident against
 * 48 MB without. */
void
tl_application_choose_renderer (void)
{
  const char *debug;
  g_autofree char *flags = NULL;

  if (g_getenv ("GSK_RENDERER") == NULL)
    g_setenv ("GSK_RENDERER", "cairo", TRUE);
  if (g_strcmp0 (g_getenv ("GSK_RENDERER"), "cairo") != 0)
    return;
  debug = g_getenv ("GDK_DEBUG");
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
