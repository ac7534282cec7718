/* tl-machine-window.c: "This Machine" (tl-machine-window.h).
 *
 * Live, the kernel's table is dumped and diagnosed in a GTask thread, never
 * in the main loop; the main thread only swaps the result in: the counts
 * for the diagram (drawn by ui/render's diagram, tl_render_diagram_counts),
 * the filter over the rows (a loop over an index array), and the cards when
 * the findings' words change.  The rows (tl-sock-rows.c) are made only for
 * the screen and follow their position, so a table of 10,000 sockets costs
 * the main thread what a screenful does (tests/bench-machine.c measures it).
 * The next dump starts a period after the last one was shown, so a slow
 * dump never piles up.
 */
#include "tl-config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "tl-diagnose-text.h"
#include "tl-machine-window.h"
#include "tl-paths.h"
#include "tl-render.h"
#include "tl-sock-rows.h"
#include "tl-sockdiag.h"

#define N_REFRESH_TIMES 64

struct _TlMachineWindow
{
  GtkWindow       parent_instance;

  TlWindow       *parent;          /* weak: the cards open lessons there */
  gboolean        live;
  AdwWindowTitle *title;
  GtkLabel       *summary;
  GtkWidget      *diagram;
  GtkBox         *cards;
  GtkSearchEntry *search;
  GtkDropDown    *state_drop;
  GtkLabel       *shown_label;
  TlSockRows     *rows;
  char           *cards_key;       /* the findings' words as the cards show them */

  TlSockTable    *table;
  TlDiagnosis    *diagnosis;
  GCancellable   *cancellable;
  guint           refresh_id;
  GArray         *refresh_us;      /* of gint64 */
  guint           n_refreshes;
};

G_DEFINE_FINAL_TYPE (TlMachineWindow, tl_machine_window, GTK_TYPE_WINDOW)

static void
diagram_draw (GtkDrawingArea *area,
              cairo_t        *cr,
              int             width,
              int             height,
              gpointer        user_data)
{
  TlMachineWindow *self = user_data;
  static const guint none[TL_N_STATES] = { 0 };
  TlRenderStyle style;

  tl_render_style_init (&style);
  style.dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  style.font_scale = 1.25;
  tl_render_diagram_counts (cr, self->diagnosis != NULL ? self->diagnosis->counts : none,
                            width, height, &style);
}

static void
update_rows (TlMachineWindow *self)
{
  guint selected = gtk_drop_down_get_selected (self->state_drop);
  int only = selected == 0 || selected == GTK_INVALID_LIST_POSITION ? -1 : (int) selected - 1;
  g_autofree char *shown = NULL;
  guint total = self->table != NULL ? self->table->entries->len : 0;

  tl_sock_rows_set (self->rows, self->table, gtk_editable_get_text (GTK_EDITABLE (self->search)),
                    only);
  shown = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u socket", "%u of %u sockets",
                                        total),
                           g_list_model_get_n_items (G_LIST_MODEL (self->rows)), total);
  gtk_label_set_text (self->shown_label, shown);
}

static void
filter_changed_cb (TlMachineWindow *self)
{
  update_rows (self);
}

static void
card_clicked_cb (GtkButton       *button,
                 TlMachineWindow *self)
{
  const char *lesson = g_object_get_data (G_OBJECT (button), "lesson");
  g_autofree char *dir = tl_paths_lessons_dir ();
  g_autofree char *path = g_build_filename (dir, lesson, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  if (self->parent == NULL)
    return;
  tl_window_open_file (self->parent, file);
  gtk_window_present (GTK_WINDOW (self->parent));
}

static GtkWidget *
card_new (const TlFinding *f)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  g_autofree char *title = tl_finding_title (f);
  g_autofree char *evidence = tl_finding_evidence (f);
  g_autofree char *open = g_strdup_printf (_("Open the lesson: %s"), tl_finding_lesson (f->id));
  GtkWidget *labels[3] = { gtk_label_new (title), gtk_label_new (evidence), gtk_label_new (open) };
  static const char *const classes[3] = { "finding-title", "finding-evidence", "finding-lesson" };

  for (guint i = 0; i < 3; i++)
    {
      gtk_label_set_xalign (GTK_LABEL (labels[i]), 0.0);
      gtk_label_set_wrap (GTK_LABEL (labels[i]), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (labels[i]), PANGO_WRAP_WORD_CHAR);
      gtk_widget_add_css_class (labels[i], classes[i]);
      gtk_box_append (GTK_BOX (box), labels[i]);
    }
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_add_css_class (button, "card");
  gtk_widget_add_css_class (button, "finding");
  gtk_widget_set_tooltip_text (button, tl_finding_advice (f->id));
  g_object_set_data (G_OBJECT (button), "lesson", (gpointer) tl_finding_lesson (f->id));
  return button;
}

/* The cards are made again only when their words change: a card under the
 * pointer stays put while the counts behind it hold. */
static void
update_cards (TlMachineWindow *self)
{
  GString *key = g_string_new (NULL);
  GtkWidget *child;

  for (guint i = 0; i < self->diagnosis->findings->len; i++)
    {
      const TlFinding *f = g_ptr_array_index (self->diagnosis->findings, i);
      g_autofree char *title = tl_finding_title (f);
      g_autofree char *evidence = tl_finding_evidence (f);

      g_string_append_printf (key, "%s\n%s\n", title, evidence);
    }
  if (self->cards_key != NULL && strcmp (self->cards_key, key->str) == 0)
    {
      g_string_free (key, TRUE);
      return;
    }
  g_free (self->cards_key);
  self->cards_key = g_string_free (key, FALSE);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->cards))) != NULL)
    gtk_box_remove (self->cards, child);
  for (guint i = 0; i < self->diagnosis->findings->len; i++)
    {
      GtkWidget *card = card_new (g_ptr_array_index (self->diagnosis->findings, i));

      g_signal_connect (card, "clicked", G_CALLBACK (card_clicked_cb), self);
      gtk_box_append (self->cards, card);
    }
  if (self->diagnosis->findings->len == 0)
    {
      GtkWidget *none = gtk_label_new (_("No trouble found."));

      gtk_widget_add_css_class (none, "finding-title");
      gtk_widget_set_margin_top (none, 12);
      gtk_box_append (self->cards, none);
    }
}

static void
update_summary (TlMachineWindow *self)
{
  g_autofree char *text = NULL;
  guint n = self->diagnosis->n_sockets;

  if (self->live)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u TCP socket on this machine, read every second",
                                         "%u TCP sockets on this machine, read every second", n),
                            n);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u TCP socket, as %s saved them",
                                         "%u TCP sockets, as %s saved them", n),
                            n, tl_sock_format_name (self->table->format));
  gtk_label_set_text (self->summary, text);
}

/* Takes table and diagnosis: everything shown follows. */
static void
show_table (TlMachineWindow *self,
            TlSockTable     *table,
            TlDiagnosis     *diagnosis)
{
  gint64 start = g_get_monotonic_time ();
  TlSockTable *old_table = self->table;
  TlDiagnosis *old_diagnosis = self->diagnosis;

  self->table = table;
  self->diagnosis = diagnosis;
  update_rows (self);
  update_summary (self);
  update_cards (self);
  gtk_widget_queue_draw (self->diagram);
  /* The old diagnosis names the old table's processes: freed first. */
  g_clear_pointer (&old_diagnosis, tl_diagnosis_free);
  g_clear_pointer (&old_table, tl_socktable_free);

  if (self->refresh_us->len == N_REFRESH_TIMES)
    g_array_remove_index (self->refresh_us, 0);
  {
    gint64 spent = g_get_monotonic_time () - start;

    g_array_append_val (self->refresh_us, spent);
  }
  self->n_refreshes++;
}

typedef struct
{
  TlSockTable *table;
  TlDiagnosis *diagnosis;
} Snapshot;

static void
snapshot_free (gpointer data)
{
  Snapshot *snap = data;

  /* the diagnosis before the table whose names it borrows */
  g_clear_pointer (&snap->diagnosis, tl_diagnosis_free);
  g_clear_pointer (&snap->table, tl_socktable_free);
  g_free (snap);
}

static void
read_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  Snapshot *snap = g_new0 (Snapshot, 1);

  snap->table = tl_sockdiag_read (TRUE, &error);
  if (snap->table == NULL)
    {
      g_free (snap);
      g_task_return_error (task, error);
      return;
    }
  snap->diagnosis = tl_diagnose (snap->table);
  g_task_return_pointer (task, snap, snapshot_free);
}

static gboolean refresh_cb (gpointer user_data);

static void
read_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  TlMachineWindow *self = TL_MACHINE_WINDOW (source);
  g_autoptr(GError) error = NULL;
  Snapshot *snap = g_task_propagate_pointer (G_TASK (result), &error);

  if (snap == NULL)
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup_printf (_("Could not read this machine's sockets: %s"), error->message);
      gtk_label_set_text (self->summary, text);
    }
  else
    {
      show_table (self, g_steal_pointer (&snap->table), g_steal_pointer (&snap->diagnosis));
      snapshot_free (snap);
    }
  self->refresh_id = g_timeout_add (TL_MACHINE_REFRESH_MS, refresh_cb, self);
}

static gboolean
refresh_cb (gpointer user_data)
{
  TlMachineWindow *self = user_data;
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, read_done_cb, NULL);

  self->refresh_id = 0;
  g_task_set_source_tag (task, refresh_cb);
  g_task_run_in_thread (task, read_thread);
  return G_SOURCE_REMOVE;
}

/* ---- the table's columns ---- */

typedef enum
{
  COLUMN_STATE,
  COLUMN_RECV_Q,
  COLUMN_SEND_Q,
  COLUMN_LOCAL,
  COLUMN_PEER,
  COLUMN_PROCESS,
  N_COLUMNS
} Column;

static void
cell_setup (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);
  Column column = GPOINTER_TO_INT (user_data);

  gtk_label_set_xalign (GTK_LABEL (label), column == COLUMN_RECV_Q || column == COLUMN_SEND_Q ? 1.0 : 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "numeric");
  g_object_set_data (G_OBJECT (label), "column", user_data);
  gtk_list_item_set_child (item, label);
}

static void
cell_update (GtkLabel  *label,
             TlSockRow *row)
{
  const TlSockEntry *e = tl_sock_row_get_entry (row);
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (label), "column"));
  char text[32];

  switch (column)
    {
    case COLUMN_STATE:
      gtk_label_set_text (label, tl_sock_state_ss_name (e->state));
      break;
    case COLUMN_RECV_Q:
      g_snprintf (text, sizeof text, "%u", e->recv_q);
      gtk_label_set_text (label, text);
      break;
    case COLUMN_SEND_Q:
      g_snprintf (text, sizeof text, "%u", e->send_q);
      gtk_label_set_text (label, text);
      break;
    case COLUMN_LOCAL:
    case COLUMN_PEER:
      {
        g_autofree char *addr = tl_sock_addr_to_string (column == COLUMN_LOCAL ? &e->local : &e->peer);

        gtk_label_set_text (label, addr);
      }
      break;
    case COLUMN_PROCESS:
      if (e->process != NULL)
        {
          g_autofree char *p = g_strdup_printf ("%s (%u)", e->process, e->pid);

          gtk_label_set_text (label, p);
        }
      else
        gtk_label_set_text (label, "");
      break;
    case N_COLUMNS:
      g_assert_not_reached ();
    }
}

/* A row is a position: when the table changes under it, its cells follow. */
static void
cell_bind (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  TlSockRow *row = gtk_list_item_get_item (item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));

  cell_update (label, row);
  g_signal_connect_object (row, "changed", G_CALLBACK (cell_update), label, G_CONNECT_SWAPPED);
}

static void
cell_unbind (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  g_signal_handlers_disconnect_by_data (gtk_list_item_get_item (item),
                                        gtk_list_item_get_child (item));
}

static GtkWidget *
build_table (TlMachineWindow *self)
{
  static const char *const titles[N_COLUMNS] = {
    N_("State"), N_("Recv-Q"), N_("Send-Q"), N_("Local Address:Port"),
    N_("Peer Address:Port"), N_("Process"),
  };
  GtkNoSelection *selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->rows)));
  GtkWidget *view = gtk_column_view_new (GTK_SELECTION_MODEL (selection));
  GtkWidget *scroller = gtk_scrolled_window_new ();

  for (guint c = 0; c < N_COLUMNS; c++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkColumnViewColumn *column;

      g_signal_connect (factory, "setup", G_CALLBACK (cell_setup), GINT_TO_POINTER (c));
      g_signal_connect (factory, "bind", G_CALLBACK (cell_bind), NULL);
      g_signal_connect (factory, "unbind", G_CALLBACK (cell_unbind), NULL);
      column = gtk_column_view_column_new (_(titles[c]), factory);
      gtk_column_view_column_set_expand (column, c == COLUMN_LOCAL || c == COLUMN_PEER
                                                 || c == COLUMN_PROCESS);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_append_column (GTK_COLUMN_VIEW (view), column);
      g_object_unref (column);
    }
  gtk_column_view_set_show_row_separators (GTK_COLUMN_VIEW (view), FALSE);
  gtk_widget_add_css_class (view, "data-table");
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), view);
  gtk_widget_set_vexpand (scroller, TRUE);
  return scroller;
}

static GtkWidget *
build_state_drop (void)
{
  const char *names[TL_N_STATES + 2];

  names[0] = _("All states");
  for (guint s = 0; s < TL_N_STATES; s++)
    names[s + 1] = tl_state_name (s);
  names[TL_N_STATES + 1] = NULL;
  return gtk_drop_down_new_from_strings (names);
}

static gboolean
focus_filter_cb (GtkWidget *widget,
                 GVariant  *args,
                 gpointer   user_data)
{
  TlMachineWindow *self = user_data;

  return gtk_widget_grab_focus (GTK_WIDGET (self->search));
}

static void
tl_machine_window_dispose (GObject *object)
{
  TlMachineWindow *self = TL_MACHINE_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_weak_pointer (&self->parent);
  G_OBJECT_CLASS (tl_machine_window_parent_class)->dispose (object);
}

static void
tl_machine_window_finalize (GObject *object)
{
  TlMachineWindow *self = TL_MACHINE_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->rows);
  g_clear_pointer (&self->diagnosis, tl_diagnosis_free);
  g_clear_pointer (&self->table, tl_socktable_free);
  g_clear_pointer (&self->refresh_us, g_array_unref);
  g_free (self->cards_key);
  G_OBJECT_CLASS (tl_machine_window_parent_class)->finalize (object);
}

static void
tl_machine_window_class_init (TlMachineWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tl_machine_window_dispose;
  object_class->finalize = tl_machine_window_finalize;
}

static void
tl_machine_window_init (TlMachineWindow *self)
{
  GtkWidget *header = gtk_header_bar_new ();
  GtkWidget *outer = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *paned = gtk_paned_new (GTK_ORIENTATION_VERTICAL);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *bottom = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *filters = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *cards_scroller = gtk_scrolled_window_new ();
  GtkShortcutController *keys;

  self->cancellable = g_cancellable_new ();
  self->refresh_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->rows = tl_sock_rows_new ();

  self->title = ADW_WINDOW_TITLE (adw_window_title_new (_("This Machine"), NULL));
  gtk_header_bar_set_title_widget (GTK_HEADER_BAR (header), GTK_WIDGET (self->title));
  gtk_window_set_titlebar (GTK_WINDOW (self), header);
  gtk_window_set_default_size (GTK_WINDOW (self), 1280, 720);
  gtk_widget_add_css_class (GTK_WIDGET (self), "machine");

  self->summary = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->summary, 0.0);
  gtk_label_set_wrap (self->summary, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->summary), "machine-summary");
  gtk_widget_set_margin_start (GTK_WIDGET (self->summary), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (self->summary), 6);
  gtk_box_append (GTK_BOX (outer), GTK_WIDGET (self->summary));

  self->diagram = gtk_drawing_area_new ();
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->diagram), diagram_draw, self, NULL);
  gtk_widget_set_hexpand (self->diagram, TRUE);
  gtk_widget_set_vexpand (self->diagram, TRUE);
  gtk_widget_set_size_request (self->diagram, 480, 300);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (gtk_widget_queue_draw), self->diagram, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (top), self->diagram);

  self->cards = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 8));
  gtk_widget_set_margin_end (GTK_WIDGET (self->cards), 12);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (cards_scroller), GTK_WIDGET (self->cards));
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (cards_scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_size_request (cards_scroller, 380, -1);
  gtk_box_append (GTK_BOX (top), cards_scroller);

  self->search = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  g_object_set (self->search, "placeholder-text", _("Port, state, address or process"), NULL);
  gtk_widget_set_hexpand (GTK_WIDGET (self->search), TRUE);
  g_signal_connect_swapped (self->search, "search-changed", G_CALLBACK (filter_changed_cb), self);
  self->state_drop = GTK_DROP_DOWN (build_state_drop ());
  g_signal_connect_swapped (self->state_drop, "notify::selected", G_CALLBACK (filter_changed_cb), self);
  self->shown_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->shown_label), "numeric");
  gtk_box_append (GTK_BOX (filters), GTK_WIDGET (self->search));
  gtk_box_append (GTK_BOX (filters), GTK_WIDGET (self->state_drop));
  gtk_box_append (GTK_BOX (filters), GTK_WIDGET (self->shown_label));
  gtk_widget_set_margin_start (filters, 12);
  gtk_widget_set_margin_end (filters, 12);
  gtk_box_append (GTK_BOX (bottom), filters);
  gtk_box_append (GTK_BOX (bottom), build_table (self));

  gtk_paned_set_start_child (GTK_PANED (paned), top);
  gtk_paned_set_end_child (GTK_PANED (paned), bottom);
  gtk_paned_set_shrink_start_child (GTK_PANED (paned), FALSE);
  gtk_paned_set_shrink_end_child (GTK_PANED (paned), FALSE);
  gtk_paned_set_position (GTK_PANED (paned), 400);
  gtk_widget_set_vexpand (paned, TRUE);
  gtk_box_append (GTK_BOX (outer), paned);
  gtk_window_set_child (GTK_WINDOW (self), outer);

  /* Ctrl+F to the filter; Escape closes. */
  keys = GTK_SHORTCUT_CONTROLLER (gtk_shortcut_controller_new ());
  gtk_shortcut_controller_add_shortcut (keys, gtk_shortcut_new (
    gtk_shortcut_trigger_parse_string ("<Control>f"),
    gtk_callback_action_new (focus_filter_cb, self, NULL)));
  gtk_shortcut_controller_add_shortcut (keys, gtk_shortcut_new (
    gtk_shortcut_trigger_parse_string ("Escape"),
    gtk_named_action_new ("window.close")));
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (keys));
}

static TlMachineWindow *
machine_window_new (TlWindow *parent)
{
  TlMachineWindow *self = g_object_new (TL_TYPE_MACHINE_WINDOW, NULL);

  if (parent != NULL)
    {
      gtk_window_set_application (GTK_WINDOW (self), gtk_window_get_application (GTK_WINDOW (parent)));
      gtk_window_set_transient_for (GTK_WINDOW (self), GTK_WINDOW (parent));
      gtk_window_set_destroy_with_parent (GTK_WINDOW (self), TRUE);
      g_set_weak_pointer (&self->parent, parent);
    }
  return self;
}

TlMachineWindow *
tl_machine_window_new_live (TlWindow *parent)
{
  TlMachineWindow *self;

  g_return_val_if_fail (parent == NULL || TL_IS_WINDOW (parent), NULL);

  self = machine_window_new (parent);
  self->live = TRUE;
  adw_window_title_set_subtitle (self->title, _("Live"));
  gtk_label_set_text (self->summary, _("Reading this machine's sockets…"));
  refresh_cb (self);
  return self;
}

TlMachineWindow *
tl_machine_window_new_for_table (TlWindow    *parent,
                                 TlSockTable *table,
                                 const char  *name)
{
  TlMachineWindow *self;

  g_return_val_if_fail (TL_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  self = machine_window_new (parent);
  adw_window_title_set_title (self->title, name);
  adw_window_title_set_subtitle (self->title, _("A saved socket table"));
  gtk_window_set_title (GTK_WINDOW (self), name);
  show_table (self, table, tl_diagnose (table));
  return self;
}

TlMachineWindow *
tl_machine_window_open_file (TlWindow  *parent,
                             GFile     *file,
                             char     **message)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *name = g_file_get_basename (file);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  TlSockTable *table;

  g_return_val_if_fail (TL_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  if (path == NULL)
    {
      *message = g_strdup_printf (_("%s: only a local file can be read"), name);
      return NULL;
    }
  table = tl_socktable_parse_file (path, &problems, &error);
  if (table == NULL)
    {
      *message = tl_socktable_error_to_string (error, problems, path);
      return NULL;
    }
  return tl_machine_window_new_for_table (parent, table, name);
}

const TlSockTable *
tl_machine_window_get_table (TlMachineWindow *self)
{
  g_return_val_if_fail (TL_IS_MACHINE_WINDOW (self), NULL);
  return self->table;
}

const TlDiagnosis *
tl_machine_window_get_diagnosis (TlMachineWindow *self)
{
  g_return_val_if_fail (TL_IS_MACHINE_WINDOW (self), NULL);
  return self->diagnosis;
}

GListModel *
tl_machine_window_get_rows (TlMachineWindow *self)
{
  g_return_val_if_fail (TL_IS_MACHINE_WINDOW (self), NULL);
  return G_LIST_MODEL (self->rows);
}

void
tl_machine_window_set_filter (TlMachineWindow *self,
                              const char      *text,
                              int              state)
{
  g_return_if_fail (TL_IS_MACHINE_WINDOW (self));
  g_return_if_fail (state >= -1 && state < TL_N_STATES);

  gtk_editable_set_text (GTK_EDITABLE (self->search), text != NULL ? text : "");
  gtk_drop_down_set_selected (self->state_drop, (guint) (state + 1));
  /* search-changed comes after a delay: the rows follow now */
  update_rows (self);
}

guint
tl_machine_window_get_n_cards (TlMachineWindow *self)
{
  guint n = 0;

  g_return_val_if_fail (TL_IS_MACHINE_WINDOW (self), 0);
  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (self->cards)); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    n += GTK_IS_BUTTON (c);
  return n;
}

GtkWidget *
tl_machine_window_get_card (TlMachineWindow *self,
                            guint            index)
{
  g_return_val_if_fail (TL_IS_MACHINE_WINDOW (self), NULL);
  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (self->cards)); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    if (GTK_IS_BUTTON (c) && index-- == 0)
      return c;
  return NULL;
}

GArray *
tl_machine_window_get_refresh_us (TlMachineWindow *self)
{
  g_return_val_if_fail (TL_IS_MACHINE_WINDOW (self), NULL);
  return self->refresh_us;
}

guint
tl_machine_window_get_n_refreshes (TlMachineWindow *self)
{
  g_return_val_if_fail (TL_IS_MACHINE_WINDOW (self), 0);
  return self->n_refreshes;
}
