/* tl-window-actions.c: the window's GActions ("win.play", ...), the bare
 * playback keys that activate them, and the free-play buttons.
 *
 * The keyboard, the buttons and the tests drive the window through these
 * actions only, so they all run the same code.
 */
#include "tl-config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "tl-machine-window.h"
#include "tl-render.h"
#include "tl-window-private.h"

/* What a free-play connect aims at when the peer listens nowhere yet, and
 * what listen opens. */
#define FREE_PLAY_PORT 80
#define FREE_PLAY_SEND_BYTES 1000

/* The host actions of free play, as buttons per host. */
static const struct
{
  TlStmtKind  kind;
  const char *label;
  const char *tooltip;
} free_play[] = {
  { TL_STMT_LISTEN,   N_("Listen"),   N_("Open a listener on port 80") },
  { TL_STMT_CONNECT,  N_("Connect"),  N_("Connect to the other host") },
  { TL_STMT_SEND,     N_("Send"),     N_("Write 1000 bytes on the latest connection") },
  { TL_STMT_CLOSE,    N_("Close"),    N_("close() the latest connection") },
  { TL_STMT_SHUTDOWN, N_("Shutdown"), N_("shutdown(SHUT_WR): half-close the latest connection") },
  { TL_STMT_ABORT,    N_("Abort"),    N_("Close with SO_LINGER 0: send RST") },
  { TL_STMT_CRASH,    N_("Crash"),    N_("The host stops at once and forgets every connection") },
  { TL_STMT_REBOOT,   N_("Reboot"),   N_("A crashed host comes back with no connections") },
};

/* The port host listens on at time_us (its latest `listen`), else 80. */
static guint16
listening_port (const TlScenario *scenario,
                guint             host,
                gint64            time_us)
{
  guint16 port = FREE_PLAY_PORT;

  for (guint i = 0; i < scenario->stmts->len; i++)
    {
      const TlStmt *stmt = &g_array_index (scenario->stmts, TlStmt, i);

      if (stmt->time_us > time_us)
        break;
      if (stmt->kind == TL_STMT_LISTEN && stmt->host == host)
        port = stmt->u.listen.port;
    }
  return port;
}

static void
free_play_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  TlWindow *self = user_data;
  const TlScenario *scenario = tl_session_get_scenario (self->session);
  gint64 time_us = tl_session_get_time (self->session);
  TlStmt stmt = { 0 };
  guint8 host;
  guint32 index;
  g_autofree char *now = NULL;
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;

  g_variant_get (parameter, "(yu)", &host, &index);
  g_return_if_fail (host < 2 && index < G_N_ELEMENTS (free_play));

  stmt.kind = free_play[index].kind;
  stmt.host = host;
  stmt.conn.host = host;
  stmt.conn.ordinal = 0;
  if (stmt.kind == TL_STMT_LISTEN)
    stmt.u.listen.port = FREE_PLAY_PORT;
  else if (stmt.kind == TL_STMT_CONNECT)
    {
      stmt.u.connect.peer = 1 - host;
      stmt.u.connect.port = listening_port (scenario, 1 - host, time_us);
    }
  else if (stmt.kind == TL_STMT_SEND)
    stmt.u.data.bytes = FREE_PLAY_SEND_BYTES;
  /* This replaces the scenario: `scenario` is not to be used after it. */
  tl_session_intervene (self->session, &stmt);

  now = tl_window_format_time (time_us);
  name = tl_render_cut_name (tl_session_get_scenario (self->session)->hosts[host].name);
  /* TRANSLATORS: "client: Close at 1.200 s" */
  text = g_strdup_printf (_("%s: %s at %s"), name, _(free_play[index].label), now);
  tl_window_toast (self, text);
}

/* "Free Play": a new play with two hosts and no lesson, its buttons shown. */
static void
free_play_new_activated (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  TlWindow *self = user_data;

  gtk_list_box_unselect_all (self->lesson_list);
  tl_session_load_scenario (self->session, tl_scenario_new ());
  gtk_widget_set_visible (self->freeplay_box, TRUE);
}

static void
play_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  TlWindow *self = user_data;

  tl_session_set_playing (self->session, !tl_session_get_playing (self->session));
}

static void
step_forward_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  TlWindow *self = user_data;
  TlRenderStyle style;

  /* through a flood at the pace of the ladder's zoom */
  tl_view_widget_get_style (self->ladder_view, &style);
  tl_session_step (self->session, 1, &style);
}

static void
step_back_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  TlWindow *self = user_data;
  TlRenderStyle style;

  tl_view_widget_get_style (self->ladder_view, &style);
  tl_session_step (self->session, -1, &style);
}

static void
restart_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  tl_session_restart (TL_WINDOW (user_data)->session);
}

static void
faster_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  tl_session_faster (TL_WINDOW (user_data)->session);
}

static void
slower_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  tl_session_slower (TL_WINDOW (user_data)->session);
}

static void
fullscreen_activated (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  GtkWindow *window = GTK_WINDOW (user_data);

  if (gtk_window_is_fullscreen (window))
    gtk_window_unfullscreen (window);
  else
    gtk_window_fullscreen (window);
}

static GtkFileFilter *
lesson_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Lessons"));
  gtk_file_filter_add_pattern (filter, "*.lesson");
  return filter;
}

/* What Open takes: lessons, and captures (tcpdump, Wireshark) to import. */
static GtkFileFilter *
open_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Lessons and captures"));
  gtk_file_filter_add_pattern (filter, "*.lesson");
  gtk_file_filter_add_pattern (filter, "*.pcap");
  gtk_file_filter_add_pattern (filter, "*.pcapng");
  gtk_file_filter_add_pattern (filter, "*.cap");
  return filter;
}

static void
open_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  TlWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (g_object_get_data (G_OBJECT (dialog), "tl-socket-table") != NULL)
        tl_window_open_socket_table (self, file);
      else
        tl_window_open_file (self, file);
    }
  g_clear_object (&self->chooser);
}

/* win.open: a lesson or a capture; win.open-socket-table: a saved ss or
 * netstat table (any name: they are plain text). */
static void
open_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  TlWindow *self = user_data;
  gboolean table = g_str_equal (g_action_get_name (G_ACTION (action)), "open-socket-table");

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (table ? _("Open a Socket Table") : _("Open a Lesson"),
                                               GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Open"), _("_Cancel"));
  if (table)
    g_object_set_data (G_OBJECT (self->chooser), "tl-socket-table", GINT_TO_POINTER (TRUE));
  else
    {
      g_autoptr(GtkFileFilter) filter = open_filter ();

      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
    }
  g_signal_connect (self->chooser, "response", G_CALLBACK (open_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
save_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  TlWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GError) error = NULL;
      g_autofree char *name = g_file_get_basename (file);
      g_autofree char *text = NULL;

      /* The chooser has asked before replacing an existing file. */
      if (tl_session_save_lesson (self->session, file, TRUE, &error))
        text = g_strdup_printf (_("Saved as %s"), name);
      else
        text = g_strdup_printf (_("Could not save the lesson: %s"), error->message);
      tl_window_toast (self, text);
    }
  g_clear_object (&self->chooser);
}

static void
save_as_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  TlWindow *self = user_data;
  g_autoptr(GtkFileFilter) filter = lesson_filter ();
  GFile *current = tl_session_get_file (self->session);

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Save as Lesson"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  if (current != NULL)
    {
      g_autofree char *base = g_file_get_basename (current);
      g_autofree char *stem = g_strndup (base, strcspn (base, "."));
      g_autofree char *name = g_strdup_printf (_("%s-played.lesson"), stem);

      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
    }
  else
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), _("free-play.lesson"));
  g_signal_connect (self->chooser, "response", G_CALLBACK (save_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

GtkWindow *
tl_window_open_socket_table (TlWindow *self,
                             GFile    *file)
{
  g_autofree char *message = NULL;
  TlMachineWindow *machine;
  GtkWidget *dialog;

  g_return_val_if_fail (TL_IS_WINDOW (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  machine = tl_machine_window_open_file (self, file, &message);
  if (machine != NULL)
    {
      gtk_window_present (GTK_WINDOW (machine));
      return GTK_WINDOW (machine);
    }
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("This socket table could not be read"),
                                   message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WINDOW (dialog);
}

/* "This Machine": the live socket table. */
static void
this_machine_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  gtk_window_present (GTK_WINDOW (tl_machine_window_new_live (TL_WINDOW (user_data))));
}

static void
text_larger_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  TlWindow *self = user_data;

  for (guint i = 0; i < TL_WINDOW_N_TEXT_SCALES; i++)
    if (tl_window_text_scales[i] > self->text_scale + 1e-9)
      {
        tl_window_set_text_scale (self, tl_window_text_scales[i]);
        return;
      }
}

static void
text_smaller_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  TlWindow *self = user_data;

  for (guint i = TL_WINDOW_N_TEXT_SCALES; i > 0; i--)
    if (tl_window_text_scales[i - 1] < self->text_scale - 1e-9)
      {
        tl_window_set_text_scale (self, tl_window_text_scales[i - 1]);
        return;
      }
}

static void
text_reset_activated (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  tl_window_set_text_scale (TL_WINDOW (user_data), 1.0);
}

static void
ladder_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  TlWindow *self = user_data;
  const char *name = g_action_get_name (G_ACTION (action));

  if (g_str_equal (name, "ladder-zoom-in"))
    tl_view_widget_ladder_zoom (self->ladder_view, 1.5);
  else if (g_str_equal (name, "ladder-zoom-out"))
    tl_view_widget_ladder_zoom (self->ladder_view, 1 / 1.5);
  else if (g_str_equal (name, "ladder-earlier"))
    tl_view_widget_ladder_scroll (self->ladder_view, -0.5);
  else if (g_str_equal (name, "ladder-later"))
    tl_view_widget_ladder_scroll (self->ladder_view, 0.5);
  else
    tl_view_widget_ladder_fit (self->ladder_view);
}

static const GActionEntry win_actions[] = {
  { .name = "ladder-zoom-in", .activate = ladder_activated },
  { .name = "ladder-zoom-out", .activate = ladder_activated },
  { .name = "ladder-earlier", .activate = ladder_activated },
  { .name = "ladder-later", .activate = ladder_activated },
  { .name = "ladder-fit", .activate = ladder_activated },
  { .name = "text-larger", .activate = text_larger_activated },
  { .name = "text-smaller", .activate = text_smaller_activated },
  { .name = "text-reset", .activate = text_reset_activated },
  { .name = "play", .activate = play_activated },
  { .name = "step-forward", .activate = step_forward_activated },
  { .name = "step-back", .activate = step_back_activated },
  { .name = "restart", .activate = restart_activated },
  { .name = "faster", .activate = faster_activated },
  { .name = "slower", .activate = slower_activated },
  { .name = "fullscreen", .activate = fullscreen_activated },
  { .name = "open", .activate = open_activated },
  { .name = "save-as", .activate = save_as_activated },
  { .name = "this-machine", .activate = this_machine_activated },
  { .name = "open-socket-table", .activate = open_activated },
  { .name = "free-play", .activate = free_play_activated, .parameter_type = "(yu)" },
  { .name = "free-play-new", .activate = free_play_new_activated },
};

/* The playback keys are bare keys that a text field needs too (the link's
 * delay and loss): they are window shortcuts, not accelerators, and act
 * before the focused widget (so a focused button or the time slider does not
 * take Space or the arrows) except when the focus is in an editable, which
 * then gets the key. */
static const struct
{
  const char *trigger;
  const char *action;
} playback_keys[] = {
  { "space", "win.play" },
  { "Right", "win.step-forward" },
  { "Left", "win.step-back" },
  { "Home", "win.restart" },
  { "plus|equal|KP_Add", "win.faster" },
  { "minus|KP_Subtract", "win.slower" },
  { "z", "win.ladder-zoom-in" },
  { "<Shift>z", "win.ladder-zoom-out" },
  /* the bare Page keys are the questions' (issue 13): the ladder scrolls
   * with Shift, or the wheel */
  { "<Shift>Page_Up", "win.ladder-earlier" },
  { "<Shift>Page_Down", "win.ladder-later" },
  { "f", "win.ladder-fit" },
  { "e", "win.explain" },
  { "r", "win.role-colours" },
  { "p", "win.predict" },
  { "Page_Down|bracketright|<Control>Page_Down", "win.next-question" },
  { "Page_Up|bracketleft|<Control>Page_Up", "win.previous-question" },
};

gboolean
tl_window_focus_is_editable (TlWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  for (GtkWidget *w = focus; w != NULL; w = gtk_widget_get_parent (w))
    if (GTK_IS_EDITABLE (w))
      return TRUE;
  return FALSE;
}

static gboolean
playback_key_cb (GtkWidget *widget,
                 GVariant  *args,
                 gpointer   user_data)
{
  const char *action = user_data;

  if (tl_window_focus_is_editable (TL_WINDOW (widget)))
    return FALSE;
  return gtk_widget_activate_action (widget, action, NULL);
}

static void
add_playback_keys (TlWindow *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_event_controller_set_name (controller, "tl-playback-keys");
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < G_N_ELEMENTS (playback_keys); i++)
    gtk_shortcut_controller_add_shortcut (
      GTK_SHORTCUT_CONTROLLER (controller),
      gtk_shortcut_new (gtk_shortcut_trigger_parse_string (playback_keys[i].trigger),
                        gtk_callback_action_new (playback_key_cb, (gpointer) playback_keys[i].action,
                                                 NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

static void
build_free_play (TlWindow *self)
{
  for (guint h = 0; h < 2; h++)
    {
      self->host_labels[h] = GTK_LABEL (gtk_label_new (NULL));
      gtk_label_set_xalign (self->host_labels[h], 1.0);
      gtk_widget_add_css_class (GTK_WIDGET (self->host_labels[h]), "host-name");
      gtk_widget_add_css_class (GTK_WIDGET (self->host_labels[h]), h == 0 ? "host-0" : "host-1");
      gtk_grid_attach (self->freeplay_grid, GTK_WIDGET (self->host_labels[h]), 0, h, 1, 1);
      for (guint i = 0; i < G_N_ELEMENTS (free_play); i++)
        {
          GtkWidget *button = gtk_button_new_with_label (_(free_play[i].label));

          gtk_widget_set_tooltip_text (button, _(free_play[i].tooltip));
          gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.free-play");
          gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "(yu)", (guint8) h, (guint32) i);
          /* Clicking keeps the focus where it was, so Space still plays. */
          gtk_widget_set_focus_on_click (button, FALSE);
          gtk_grid_attach (self->freeplay_grid, button, i + 1, h, 1, 1);
        }
    }
}

void
tl_window_actions_init (TlWindow *self)
{
  g_autoptr(GPropertyAction) show_lessons = NULL;
  g_autoptr(GPropertyAction) show_free_play = NULL;
  g_autoptr(GPropertyAction) show_tables = NULL;

  g_assert (TL_IS_WINDOW (self));

  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions,
                                   G_N_ELEMENTS (win_actions), self);
  /* Hiding the lesson list gives the views the whole width of a projector;
   * on a narrow one it folds away by itself. */
  show_lessons = g_property_action_new ("show-lessons", self->flap, "reveal-flap");
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (show_lessons));
  show_free_play = g_property_action_new ("show-free-play", self->freeplay_box, "visible");
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (show_free_play));
  show_tables = g_property_action_new ("show-tables", self->tables_box, "visible");
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (show_tables));
  add_playback_keys (self);
  build_free_play (self);
}
