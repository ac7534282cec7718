/* tl-sock-rows.c: a socket table's rows (tl-sock-rows.h). */
#include "tl-sock-rows.h"

#include <string.h>

/* ---- a row: a position, and the socket there now ---- */

struct _TlSockRow
{
  GObject     parent_instance;
  TlSockRows *rows;          /* cleared when the rows go first */
  guint       position;
  TlSockEntry entry;         /* its process points into process_copy */
  char       *process_copy;
};

enum
{
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint row_signals[N_SIGNALS];

struct _TlSockRows
{
  GObject            parent_instance;
  const TlSockTable *table;
  GArray            *shown;  /* of guint: indices into table->entries */
  GPtrArray         *alive;  /* the rows given out and not yet finalized (not owned) */
};

G_DEFINE_FINAL_TYPE (TlSockRow, tl_sock_row, G_TYPE_OBJECT)

static void
tl_sock_row_finalize (GObject *object)
{
  TlSockRow *self = TL_SOCK_ROW (object);

  if (self->rows != NULL)
    g_ptr_array_remove_fast (self->rows->alive, self);
  g_free (self->process_copy);
  G_OBJECT_CLASS (tl_sock_row_parent_class)->finalize (object);
}

static void
tl_sock_row_class_init (TlSockRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tl_sock_row_finalize;
  row_signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                              G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                              G_TYPE_NONE, 0);
}

static void
tl_sock_row_init (TlSockRow *self)
{
}

/* The row takes the socket now at its position. */
static void
row_fill (TlSockRow *row)
{
  TlSockRows *rows = row->rows;

  g_assert (row->position < rows->shown->len);
  g_free (row->process_copy);
  row->entry = g_array_index (rows->table->entries, TlSockEntry,
                              g_array_index (rows->shown, guint, row->position));
  row->process_copy = g_strdup (row->entry.process);
  row->entry.process = row->process_copy;
}

const TlSockEntry *
tl_sock_row_get_entry (TlSockRow *self)
{
  g_return_val_if_fail (TL_IS_SOCK_ROW (self), NULL);
  return &self->entry;
}

/* ---- the rows ---- */

static GType
tl_sock_rows_get_item_type (GListModel *model)
{
  return TL_TYPE_SOCK_ROW;
}

static guint
tl_sock_rows_get_n_items (GListModel *model)
{
  return TL_SOCK_ROWS (model)->shown->len;
}

static gpointer
tl_sock_rows_get_item (GListModel *model,
                       guint       position)
{
  TlSockRows *self = TL_SOCK_ROWS (model);
  TlSockRow *row;

  if (position >= self->shown->len)
    return NULL;
  row = g_object_new (TL_TYPE_SOCK_ROW, NULL);
  row->rows = self;
  row->position = position;
  row_fill (row);
  g_ptr_array_add (self->alive, row);
  return row;
}

static void
tl_sock_rows_model_init (GListModelInterface *iface)
{
  iface->get_item_type = tl_sock_rows_get_item_type;
  iface->get_n_items = tl_sock_rows_get_n_items;
  iface->get_item = tl_sock_rows_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (TlSockRows, tl_sock_rows, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, tl_sock_rows_model_init))

static void
tl_sock_rows_finalize (GObject *object)
{
  TlSockRows *self = TL_SOCK_ROWS (object);

  for (guint i = 0; i < self->alive->len; i++)
    TL_SOCK_ROW (self->alive->pdata[i])->rows = NULL;
  g_ptr_array_unref (self->alive);
  g_array_unref (self->shown);
  G_OBJECT_CLASS (tl_sock_rows_parent_class)->finalize (object);
}

static void
tl_sock_rows_class_init (TlSockRowsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tl_sock_rows_finalize;
}

static void
tl_sock_rows_init (TlSockRows *self)
{
  self->shown = g_array_new (FALSE, FALSE, sizeof (guint));
  self->alive = g_ptr_array_new ();
}

TlSockRows *
tl_sock_rows_new (void)
{
  return g_object_new (TL_TYPE_SOCK_ROWS, NULL);
}

typedef struct
{
  const char *text;
  guint64     port;
  gboolean    is_port;
  TlState     state;
  gboolean    is_state;
  int         only;
} Filter;

static gboolean
filter_passes (const Filter      *f,
               const TlSockEntry *e)
{
  if (f->only >= 0 && (int) e->state != f->only)
    return FALSE;
  if (f->text == NULL || *f->text == '\0')
    return TRUE;
  if (f->is_port)
    return e->local.port == f->port || e->peer.port == f->port;
  if (f->is_state)
    return e->state == f->state;
  return strstr (e->local.addr, f->text) != NULL || strstr (e->peer.addr, f->text) != NULL
         || (e->process != NULL && strstr (e->process, f->text) != NULL);
}

void
tl_sock_rows_set (TlSockRows        *self,
                  const TlSockTable *table,
                  const char        *text,
                  int                state)
{
  guint old_n, new_n;
  Filter f = { .text = text, .only = state };
  g_autoptr(GPtrArray) alive = NULL;

  g_return_if_fail (TL_IS_SOCK_ROWS (self));
  g_return_if_fail (state >= -1 && state < TL_N_STATES);

  if (text != NULL && *text != '\0')
    {
      f.is_port = g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT16, &f.port, NULL);
      f.is_state = !f.is_port && tl_sock_state_from_name (text, &f.state);
    }
  old_n = self->shown->len;
  self->table = table;
  g_array_set_size (self->shown, 0);
  for (guint i = 0; table != NULL && i < table->entries->len; i++)
    if (filter_passes (&f, &g_array_index (table->entries, TlSockEntry, i)))
      g_array_append_val (self->shown, i);
  new_n = self->shown->len;

  /* The rows past the new end go; each row that stays shows its
   * position's socket now.  A row may be finalized while the view hears
   * of the change: walk a reference-holding copy. */
  if (new_n < old_n)
    g_list_model_items_changed (G_LIST_MODEL (self), new_n, old_n - new_n, 0);
  alive = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < self->alive->len; i++)
    if (TL_SOCK_ROW (self->alive->pdata[i])->position < new_n)
      g_ptr_array_add (alive, g_object_ref (self->alive->pdata[i]));
  for (guint i = 0; i < alive->len; i++)
    {
      row_fill (alive->pdata[i]);
      g_signal_emit (alive->pdata[i], row_signals[SIGNAL_CHANGED], 0);
    }
  if (new_n > old_n)
    g_list_model_items_changed (G_LIST_MODEL (self), old_n, 0, new_n - old_n);
}
