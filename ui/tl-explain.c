/* tl-explain.c: the states explained in the window (tl-explain.h).
 *
 * Kept beside the window rather than in it: the window only calls
 * tl_explain_init(); what this file needs of it (the diagram view, the
 * header bar, the session) it reads from the window's parts.  Its own state
 * hangs on the window as object data.
 */
#include "tl-config.h"

#include "tl-explain.h"

#include <glib/gi18n.h>

#include "tl-lesson.h"
#include "tl-questions.h"
#include "tl-render-private.h"
#include "tl-states-explained.h"
#include "tl-window-private.h"

#define EXPLAIN_KEY "tl-explain"
/* The popover's text, wider than a table cell, narrower than a slide. */
#define TEXT_WIDTH_CHARS 46
#define TEXT_WIDTH_PX    460

typedef struct
{
  TlWindow        *window;      /* not owned: the data lives as long as it */
  GtkWidget       *popover;
  GtkToggleButton *roles_button;
  gboolean         popover_made;
  int              state;       /* explained, or -1 */
  gboolean         role_colours;
} Explain;

static Explain *
explain_of (TlWindow *window)
{
  return g_object_get_data (G_OBJECT (window), EXPLAIN_KEY);
}

static void
update_marks (Explain *ex)
{
  /* Not while the window takes itself apart. */
  if (ex->window->diagram_view != NULL)
    tl_view_widget_set_diagram_marks (ex->window->diagram_view, ex->state, ex->role_colours);
}

static GtkWidget *
text_label (const char *text,
            const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (label), TEXT_WIDTH_CHARS);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static void
add_section (GtkBox     *box,
             const char *heading,
             const char *text)
{
  gtk_box_append (box, text_label (heading, "explain-heading"));
  gtk_box_append (box, text_label (text, NULL));
}

static void
add_edges (GtkBox     *box,
           const char *heading,
           TlState     state,
           gboolean    in)
{
  guint n;
  const TlStateEdge *edges = tl_state_edges (&n);

  gtk_box_append (box, text_label (heading, "explain-heading"));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *line = NULL;

      if ((in ? edges[i].to : edges[i].from) != state)
        continue;
      /* TRANSLATORS: a transition: "FIN_WAIT_2 → TIME_WAIT: rcv FIN / snd ACK" */
      line = g_strdup_printf (_("%s → %s: %s"),
                              edges[i].from < TL_N_STATES ? tl_state_name (edges[i].from) : "*",
                              tl_state_name (edges[i].to), _(edges[i].event));
      gtk_box_append (box, text_label (line, NULL));
    }
}

static void
lesson_clicked_cb (GtkButton *button,
                   Explain   *ex)
{
  GFile *file = g_object_get_data (G_OBJECT (button), "file");

  gtk_popover_popdown (GTK_POPOVER (ex->popover));
  tl_window_open_file (ex->window, file);
}

/* A button per lesson that shows the state, named by its title. */
static void
add_lessons (Explain                *ex,
             GtkBox                 *box,
             const TlStateExplained *exp)
{
  g_autofree char *dir = tl_window_lessons_dir ();
  g_auto(GStrv) names = g_strsplit (exp->lessons, " ", 0);
  GtkWidget *flow = gtk_flow_box_new ();

  gtk_box_append (box, text_label (_("Lessons that show it"), "explain-heading"));
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), 2);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_autoptr(TlScenario) scenario = tl_lesson_parse_file (path, NULL, NULL);
      const char *title;
      GtkWidget *button;

      /* A lesson that is not installed (another lessons folder) is left out. */
      if (scenario == NULL)
        continue;
      title = tl_scenario_title (scenario, tl_session_get_locale (ex->window->session));
      button = gtk_button_new_with_label (title != NULL ? title : names[i]);
      gtk_label_set_wrap (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button))), TRUE);
      g_object_set_data_full (G_OBJECT (button), "file", g_file_new_for_path (path), g_object_unref);
      g_signal_connect (button, "clicked", G_CALLBACK (lesson_clicked_cb), ex);
      gtk_flow_box_append (GTK_FLOW_BOX (flow), button);
    }
  gtk_box_append (box, flow);
}

static void step_clicked_cb (GtkButton *button, Explain *ex);

static GtkWidget *
explanation_new (Explain *ex,
                 TlState  state)
{
  const TlStateExplained *exp = tl_state_explained (state);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *title = gtk_label_new (tl_state_name (state));
  GtkWidget *prev = gtk_button_new_from_icon_name ("go-up-symbolic");
  GtkWidget *next = gtk_button_new_from_icon_name ("go-down-symbolic");
  GtkWidget *scroller = gtk_scrolled_window_new ();
  g_autoptr(GString) roles = g_string_new (NULL);
  g_autofree char *role_line = NULL;
  PangoAttrList *attrs;

  gtk_widget_add_css_class (title, "explain-title");
  gtk_widget_set_hexpand (title, TRUE);
  gtk_label_set_xalign (GTK_LABEL (title), 0.0);
  gtk_widget_set_tooltip_text (prev, _("The previous state (Up)"));
  gtk_widget_set_tooltip_text (next, _("The next state (Down)"));
  g_object_set_data (G_OBJECT (prev), "step", GINT_TO_POINTER (-1));
  g_object_set_data (G_OBJECT (next), "step", GINT_TO_POINTER (1));
  g_signal_connect (prev, "clicked", G_CALLBACK (step_clicked_cb), ex);
  g_signal_connect (next, "clicked", G_CALLBACK (step_clicked_cb), ex);
  gtk_box_append (GTK_BOX (top), title);
  gtk_box_append (GTK_BOX (top), prev);
  gtk_box_append (GTK_BOX (top), next);

  for (guint r = 0; r < TL_N_ROLES; r++)
    if (exp->roles & (1u << r))
      {
        if (roles->len > 0)
          g_string_append (roles, _(", "));
        g_string_append (roles, _(tl_role_name (1u << r)));
      }
  role_line = g_strdup_printf (_("Role: %s"), roles->str);

  add_section (GTK_BOX (box), _("What it means"), _(exp->meaning));
  add_section (GTK_BOX (box), _("Who passes through it"), _(exp->who));
  gtk_box_append (GTK_BOX (box), text_label (role_line, "dim-label"));
  add_edges (GTK_BOX (box), _("How a connection gets here"), state, TRUE);
  add_edges (GTK_BOX (box), _("How it leaves"), state, FALSE);
  add_section (GTK_BOX (box), _("How long it lasts"), _(exp->lasts));
  add_section (GTK_BOX (box), _("Many of them on a real server"), _(exp->on_server));
  add_lessons (ex, GTK_BOX (box), exp);

  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), box);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller),
                                              MAX (gtk_widget_get_height (GTK_WIDGET (ex->window)) * 2 / 3,
                                                   300));
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_widget_set_size_request (scroller, TEXT_WIDTH_PX * tl_window_get_text_scale (ex->window), -1);

  /* The text size the class chose (Ctrl+plus) applies here too. */
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 10);
  attrs = pango_attr_list_new ();
  pango_attr_list_insert (attrs, pango_attr_scale_new (tl_window_get_text_scale (ex->window)));
  gtk_label_set_attributes (GTK_LABEL (title), attrs);
  pango_attr_list_unref (attrs);
  gtk_widget_add_css_class (box, "explain");
  gtk_box_append (GTK_BOX (box), top);
  gtk_box_append (GTK_BOX (box), scroller);
  return box;
}

static void popover_closed_cb (GtkPopover *popover, Explain *ex);
static void diagram_destroy_cb (GtkWidget *diagram, Explain *ex);
static gboolean step_key_cb (GtkWidget *widget, GVariant *args, gpointer user_data);

/* The popover, made the first time a state is explained. */
static void
ensure_popover (Explain *ex)
{
  GtkWidget *diagram = GTK_WIDGET (ex->window->diagram_view);
  GtkEventController *keys;

  if (ex->popover != NULL || ex->popover_made)
    return;
  ex->popover_made = TRUE;
  keys = gtk_shortcut_controller_new ();
  ex->popover = gtk_popover_new ();
  /* The diagram may take its popover down with it (a window replaced on a
   * language switch): then the pointer is cleared, not left dangling. */
  g_object_add_weak_pointer (G_OBJECT (ex->popover), (gpointer *) &ex->popover);
  gtk_widget_set_parent (ex->popover, diagram);
  g_signal_connect (ex->popover, "closed", G_CALLBACK (popover_closed_cb), ex);
  g_signal_connect (diagram, "destroy", G_CALLBACK (diagram_destroy_cb), ex);
  /* Up goes back a state, Down forward: the shortcuts' arguments. */
  for (int step = -1; step <= 1; step += 2)
    {
      GtkShortcut *shortcut =
        gtk_shortcut_new (gtk_shortcut_trigger_parse_string (step < 0 ? "Up|KP_Up" : "Down|KP_Down"),
                          gtk_callback_action_new (step_key_cb, ex, NULL));

      gtk_shortcut_set_arguments (shortcut, g_variant_new_int32 (step));
      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys), shortcut);
    }
  gtk_widget_add_controller (ex->popover, keys);
}

/* The popover points at the state's box in the diagram (the first CLOSED),
 * from the side with more room. */
static void
show_state (Explain *ex,
            int      state)
{
  GtkWidget *diagram = GTK_WIDGET (ex->window->diagram_view);
  TlRenderStyle style;
  cairo_rectangle_t box;

  ex->state = state;
  update_marks (ex);
  if (state >= 0 && ex->window->diagram_view != NULL)
    ensure_popover (ex);
  if (ex->popover == NULL)
    return;
  if (state < 0)
    {
      if (ex->popover != NULL)
        gtk_popover_popdown (GTK_POPOVER (ex->popover));
      return;
    }
  tl_view_widget_get_style (ex->window->diagram_view, &style);
  tl_render_diagram_box (state, gtk_widget_get_width (diagram), gtk_widget_get_height (diagram),
                         &style, &box);
  gtk_popover_set_child (GTK_POPOVER (ex->popover), explanation_new (ex, state));
  gtk_popover_set_position (GTK_POPOVER (ex->popover),
                            box.x + box.width / 2 > gtk_widget_get_width (diagram) / 2.0
                            ? GTK_POS_LEFT : GTK_POS_RIGHT);
  gtk_popover_set_pointing_to (GTK_POPOVER (ex->popover),
                               &(GdkRectangle) { box.x, box.y, MAX (box.width, 1),
                                                 MAX (box.height, 1) });
  gtk_popover_popup (GTK_POPOVER (ex->popover));
}

static void
step_clicked_cb (GtkButton *button,
                 Explain   *ex)
{
  int step = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "step"));

  show_state (ex, ((ex->state < 0 ? 0 : ex->state) + step + TL_N_STATES) % TL_N_STATES);
}

static gboolean
step_key_cb (GtkWidget *widget,
             GVariant  *args,
             gpointer   user_data)
{
  Explain *ex = user_data;

  show_state (ex, ((ex->state < 0 ? 0 : ex->state) + g_variant_get_int32 (args) + TL_N_STATES)
                  % TL_N_STATES);
  return TRUE;
}

static void
popover_closed_cb (GtkPopover *popover,
                   Explain    *ex)
{
  ex->state = -1;
  update_marks (ex);
}

static void
explain_state_activated (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  Explain *ex = user_data;
  int state = g_variant_get_int32 (parameter);

  g_return_if_fail (state >= -1 && state < TL_N_STATES);
  show_state (ex, state);
}

/* E: the state the client's connection is in at the playhead. */
static void
explain_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  Explain *ex = user_data;
  const TlTrace *trace = tl_session_get_trace (ex->window->session);
  TlWorld world;
  guint32 conn;
  TlState state = TL_STATE_CLOSED;

  tl_world_init (&world);
  tl_trace_world_at (trace, tl_session_get_time (ex->window->session), &world);
  conn = tl_render_current_conn (trace, &world, 0);
  for (guint i = 0; conn != TL_NO_CONN && i < world.sockets->len; i++)
    {
      const TlWorldSocket *sock = &g_array_index (world.sockets, TlWorldSocket, i);

      if (sock->conn == conn)
        state = sock->state;
    }
  tl_world_clear (&world);
  show_state (ex, state);
}

static void
role_colours_changed (GSimpleAction *action,
                      GVariant      *value,
                      gpointer       user_data)
{
  Explain *ex = user_data;

  g_simple_action_set_state (action, value);
  ex->role_colours = g_variant_get_boolean (value);
  update_marks (ex);
}

static void
diagram_pressed_cb (GtkGestureClick *gesture,
                    int              n_press,
                    double           x,
                    double           y,
                    Explain         *ex)
{
  GtkWidget *diagram = GTK_WIDGET (ex->window->diagram_view);
  TlRenderStyle style;
  int state;

  tl_view_widget_get_style (ex->window->diagram_view, &style);
  state = tl_render_diagram_hit (gtk_widget_get_width (diagram), gtk_widget_get_height (diagram),
                                 &style, x, y);

  /* In prediction mode a click on a state answers. */
  if (state >= 0 && !tl_questions_take_state (ex->window, state))
    show_state (ex, state);
}

static void
diagram_destroy_cb (GtkWidget *diagram,
                    Explain   *ex)
{
  if (ex->popover != NULL)
    {
      GtkWidget *popover = ex->popover;

      g_object_remove_weak_pointer (G_OBJECT (popover), (gpointer *) &ex->popover);
      ex->popover = NULL;
      gtk_widget_unparent (popover);
    }
}

static const GActionEntry explain_actions[] = {
  { .name = "explain-state", .activate = explain_state_activated, .parameter_type = "i" },
  { .name = "explain", .activate = explain_activated },
  { .name = "role-colours", .state = "false", .change_state = role_colours_changed },
};

void
tl_explain_init (TlWindow *window)
{
  Explain *ex = g_new0 (Explain, 1);
  GtkWidget *diagram = GTK_WIDGET (window->diagram_view);
  GtkGesture *click = gtk_gesture_click_new ();
  GtkWidget *roles = gtk_toggle_button_new_with_label (_("Roles"));

  g_return_if_fail (TL_IS_WINDOW (window));

  ex->window = window;
  ex->state = -1;
  g_object_set_data_full (G_OBJECT (window), EXPLAIN_KEY, ex, g_free);
  g_action_map_add_action_entries (G_ACTION_MAP (window), explain_actions,
                                   G_N_ELEMENTS (explain_actions), ex);

  g_signal_connect (click, "pressed", G_CALLBACK (diagram_pressed_cb), ex);
  gtk_widget_add_controller (diagram, GTK_EVENT_CONTROLLER (click));


  ex->roles_button = GTK_TOGGLE_BUTTON (roles);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (roles), "win.role-colours");
  gtk_widget_set_tooltip_text (roles, _("Colour the diagram's paths by the role that takes them: "
                                        "opener, closer (R); click a state to explain it (E)"));
  gtk_widget_set_focus_on_click (roles, FALSE);
  gtk_header_bar_pack_end (window->header_bar, roles);
}

int
tl_explain_get_state (TlWindow *window)
{
  Explain *ex;

  g_return_val_if_fail (TL_IS_WINDOW (window), -1);
  ex = explain_of (window);
  return ex != NULL ? ex->state : -1;
}

GtkWidget *
tl_explain_get_popover (TlWindow *window)
{
  Explain *ex;

  g_return_val_if_fail (TL_IS_WINDOW (window), NULL);
  ex = explain_of (window);
  return ex != NULL ? ex->popover : NULL;
}
