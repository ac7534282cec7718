/* tl-test-app.c: see tl-test-app.h. */
#include "tl-test-app.h"

#include <check.h>
#include <stdarg.h>
#include <string.h>

#include "tl-application.h"

/* GTK loads the system's EGL and Mesa libraries, built without frame pointers:
 * ASan's fast unwinder stops inside them, so their allocations kept for the
 * life of the process show up as leaks of an "<unknown module>" that
 * tests/lsan.supp cannot name.  The window tests unwind fully instead (slower,
 * but only here), so the suppressions see the library that kept the memory. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
const char *__asan_default_options (void);

const char *
__asan_default_options (void)
{
  return "fast_unwind_on_malloc=0:malloc_context_size=16";
}
#endif
#endif

typedef struct
{
  GApplication     *app;
  TlTestWindowBody  body;
  gboolean          settle;
  guint             body_id;
  guint             give_up_id;
  gboolean          ran;
  gboolean          timed_out;
  char             *title;
} WindowProbe;

/* At least least_ms, and then until the main loop has had nothing to do
 * for 150 ms (the layout and the paint have converged), at most 3 s. */
static void
settle (gint64 least_ms)
{
  const gint64 start = g_get_monotonic_time ();
  gint64 quiet_since = start;

  for (;;)
    {
      gint64 now;

      if (g_main_context_iteration (NULL, FALSE))
        {
          quiet_since = g_get_monotonic_time ();
          continue;
        }
      now = g_get_monotonic_time ();
      if (now - start >= 3 * G_TIME_SPAN_SECOND
          || (now - start >= least_ms * G_TIME_SPAN_MILLISECOND
              && now - quiet_since >= 150 * G_TIME_SPAN_MILLISECOND))
        break;
      g_usleep (2000);
    }
}

/* At least 400 ms, then quiet (settle): on a loaded machine or under the
 * sanitizers a fixed 400 ms left the panes half laid out; a window's own
 * size and the X server's answers may take that long. */
void
tl_test_app_settle (void)
{
  settle (400);
}

/* After the playhead alone moved (tl_session_set_time): what changes is
 * drawn and laid out in the process (the narration keeps its height, a
 * question's card lies over the ladder), never the window's size, so the
 * 150 ms of quiet is enough: half test-layout's time was the floor of the
 * settles after each seek. */
void
tl_test_app_settle_seek (void)
{
  settle (0);
}

/* Whether the windows animate (tl_test_app_set_animations). */
static gboolean animations = TRUE;

void
tl_test_app_set_animations (gboolean on)
{
  animations = on;
}

static gboolean
run_body (gpointer user_data)
{
  WindowProbe *probe = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (probe->app));

  if (window == NULL || !gtk_widget_get_mapped (GTK_WIDGET (window)))
    return G_SOURCE_CONTINUE;

  ck_assert (TL_IS_WINDOW (window));
  ck_assert (gtk_widget_get_visible (GTK_WIDGET (window)));
  probe->title = g_strdup (gtk_window_get_title (window));
  if (!animations)
    g_object_set (gtk_widget_get_settings (GTK_WIDGET (window)), "gtk-enable-animations", FALSE,
                  NULL);
  if (probe->settle)
    tl_test_app_settle ();
  if (probe->body != NULL)
    probe->body (TL_WINDOW (window));
  probe->ran = TRUE;
  probe->body_id = 0;
  g_application_quit (probe->app);
  return G_SOURCE_REMOVE;
}

static gboolean
give_up (gpointer user_data)
{
  WindowProbe *probe = user_data;

  probe->timed_out = TRUE;
  probe->give_up_id = 0;
  g_application_quit (probe->app);
  return G_SOURCE_REMOVE;
}

/* The test case's timeout in seconds, as set (tl_test_app_set_timeout):
 * inherited by the forked process of each test. */
static double case_timeout_s = 60;

void
tl_test_app_set_timeout (TCase *tc,
                         double seconds)
{
  tcase_set_timeout (tc, seconds);
  case_timeout_s = seconds;
}

/* A window gives up at 90% of what Check allows the test: its timeout,
 * scaled as Check scales it, so that a loaded machine (or the sanitizers,
 * with a multiplier) gets the time the test has, and the test still ends
 * with its own message before Check kills it. */
static guint
give_up_ms (void)
{
  const char *multiplier = g_getenv ("CK_TIMEOUT_MULTIPLIER");
  double scale = multiplier != NULL ? g_ascii_strtod (multiplier, NULL) : 1.0;

  if (!(scale > 0))
    scale = 1.0;
  return (guint) (case_timeout_s * scale * 900);
}

static void
on_shown (GApplication *app,
          WindowProbe  *probe)
{
  probe->body_id = g_timeout_add (20, run_body, probe);
  probe->give_up_id = g_timeout_add (give_up_ms (), give_up, probe);
}

static void
on_open (GApplication  *app,
         GFile        **files,
         int            n_files,
         const char    *hint,
         WindowProbe   *probe)
{
  on_shown (app, probe);
}

void
tl_test_app_run (TlTestWindowBody  body,
                 const char       *file,
                 gboolean          settle,
                 const char       *title)
{
  g_autoptr(TlApplication) app = tl_application_new ();
  WindowProbe probe = { G_APPLICATION (app), body, settle };
  char *argv[] = { (char *) "tcplab", (char *) file, NULL };
  int status;

  /* Connected after the class handlers, which create and present the window. */
  g_signal_connect_after (app, "activate", G_CALLBACK (on_shown), &probe);
  g_signal_connect_after (app, "open", G_CALLBACK (on_open), &probe);
  status = g_application_run (G_APPLICATION (app), file != NULL ? 2 : 1, argv);
  /* Neither may fire later on a probe that is gone. */
  g_clear_handle_id (&probe.body_id, g_source_remove);
  g_clear_handle_id (&probe.give_up_id, g_source_remove);

  ck_assert_int_eq (status, 0);
  ck_assert (!probe.timed_out);
  ck_assert (probe.ran);
  if (title != NULL)
    ck_assert_str_eq (probe.title, title);
  g_free (probe.title);
}

void
tl_test_app_run_empty (TlTestWindowBody body,
                       gboolean         settle)
{
  tl_test_app_run (body, NULL, settle, "TCP Lab");
}

TlWindow *
tl_test_app_switch_language (TlWindow   *window,
                             const char *language)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (window));
  TlWindow *fresh;

  tl_test_app_activate (window, "language", g_variant_new_string (language));
  tl_test_app_settle ();
  fresh = TL_WINDOW (gtk_application_get_active_window (app));
  ck_assert_ptr_ne (fresh, window);
  return fresh;
}

gpointer
tl_test_app_child (TlWindow   *window,
                   const char *name)
{
  gpointer widget = gtk_widget_get_template_child (GTK_WIDGET (window), TL_TYPE_WINDOW, name);

  ck_assert_msg (widget != NULL, "no template child %s", name);
  return widget;
}

void
tl_test_app_activate (TlWindow   *window,
                      const char *name,
                      GVariant   *parameter)
{
  g_action_group_activate_action (G_ACTION_GROUP (window), name, parameter);
}

char *
tl_test_app_lessons_dir (const char *template,
                         ...)
{
  char *dir = g_dir_make_tmp (template, NULL);
  const char *name;
  va_list args;

  ck_assert_ptr_nonnull (dir);
  va_start (args, template);
  while ((name = va_arg (args, const char *)) != NULL)
    {
      const char *text = va_arg (args, const char *);
      g_autofree char *path = g_build_filename (dir, name, NULL);

      ck_assert (g_file_set_contents (path, text, -1, NULL));
    }
  va_end (args);
  g_setenv ("TL_LESSONS_DIR", dir, TRUE);
  return dir;
}

GFile *
tl_test_app_file (const char *dir,
                  const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  return g_file_new_for_path (path);
}

GtkEventController *
tl_test_app_controller (GtkWidget  *widget,
                        const char *name)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (g_strcmp0 (gtk_event_controller_get_name (controller), name) == 0)
        return controller;
    }
  ck_abort_msg ("no controller %s", name);
  return NULL;
}

gboolean
tl_test_app_press (GtkWidget  *widget,
                   const char *controller,
                   const char *key)
{
  GListModel *shortcuts = G_LIST_MODEL (tl_test_app_controller (widget, controller));
  guint keyval = gdk_keyval_from_name (key);

  for (guint k = 0; k < g_list_model_get_n_items (shortcuts); k++)
    {
      g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (shortcuts, k);
      g_autofree char *triggers = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));
      g_auto(GStrv) names = g_strsplit (triggers, "|", -1);

      for (guint n = 0; names[n] != NULL; n++)
        {
          guint trigger_key;
          GdkModifierType mods;

          ck_assert (gtk_accelerator_parse (names[n], &trigger_key, &mods));
          if (trigger_key == keyval && mods == 0)
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut),
                                                 GTK_SHORTCUT_ACTION_EXCLUSIVE, widget, NULL);
        }
    }
  ck_abort_msg ("no shortcut for %s in %s", key, controller);
  return FALSE;
}

/* The first widget at or under widget (depth first) that matches text. */
static GtkWidget *
find_widget (GtkWidget  *widget,
             gboolean  (*matches) (GtkWidget *widget, const char *text),
             const char *text)
{
  if (matches (widget, text))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_widget (c, matches, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
is_button_labelled (GtkWidget  *widget,
                    const char *label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

static gboolean
is_label_holding (GtkWidget  *widget,
                  const char *text)
{
  return GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL;
}

GtkButton *
tl_test_app_find_button (GtkWidget  *widget,
                         const char *label)
{
  return GTK_BUTTON (find_widget (widget, is_button_labelled, label));
}

GtkLabel *
tl_test_app_find_label (GtkWidget  *widget,
                        const char *text)
{
  return GTK_LABEL (find_widget (widget, is_label_holding, text));
}

gboolean
tl_test_app_has_label (GtkWidget  *widget,
                       const char *text)
{
  return tl_test_app_find_label (widget, text) != NULL;
}

/* The whole screen, the window made as large as it first. */
static void
shoot_screen (TlWindow   *window,
              const char *path)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  GdkMonitor *monitor = gdk_display_get_monitor_at_surface (gdk_surface_get_display (surface),
                                                            surface);
  const char *argv[] = { "import", "-window", "root", path, NULL };
  g_autoptr(GError) error = NULL;
  GdkRectangle screen;
  int status = 0;

  gdk_monitor_get_geometry (monitor, &screen);
  gtk_window_set_default_size (GTK_WINDOW (window), screen.width, screen.height);
  tl_test_app_settle ();
  ck_assert_msg (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, NULL, &status, &error)
                 && g_spawn_check_wait_status (status, NULL),
                 "import -window root %s: %s", path, error != NULL ? error->message : "failed");
}

void
tl_test_app_shot (TlWindow   *window,
                  const char *name)
{
  const char *dir = g_getenv ("TL_TEST_SHOTS");
  GtkWidget *widget = GTK_WIDGET (window);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GtkSnapshot *snapshot;
  GskRenderNode *node;
  int w, h;

  if (dir == NULL)
    return;
  g_mkdir_with_parents (dir, 0755);
  path = g_build_filename (dir, name, NULL);
  tl_test_app_settle ();
  if (g_getenv ("TL_TEST_SHOTS_ROOT") != NULL)
    {
      shoot_screen (window, path);
      return;
    }
  w = gtk_widget_get_width (widget);
  h = gtk_widget_get_height (widget);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (snapshot);
  ck_assert_ptr_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, w, h));
  gsk_render_node_unref (node);
  ck_assert (gdk_texture_save_to_png (texture, path));
}
