/* tl-lesson-groups.c: the lesson list in teaching order (tl-lesson-groups.h). */
#include "tl-config.h"

#include "tl-lesson-groups.h"

#include <glib/gi18n.h>

#define GROUP_KEY "tl-lesson-group"
#define ORDER_KEY "tl-lesson-group-order"
#define NAME_KEY  "tl-lesson-name"

const char *
tl_lesson_groups_heading (TlLessonGroup group)
{
  switch (group)
    {
    case TL_GROUP_OPENING: return _("Opening a connection");
    case TL_GROUP_CLOSING: return _("Closing a connection");
    case TL_GROUP_TROUBLE: return _("Trouble on a server");
    case TL_GROUP_TIMERS: return _("Timers and limits");
    case TL_GROUP_NONE:
    case TL_N_GROUPS:
      break;
    }
  return _("Other lessons");
}

void
tl_lesson_groups_mark_row (GtkWidget        *row,
                           const TlScenario *scenario,
                           const char       *name)
{
  g_return_if_fail (GTK_IS_LIST_BOX_ROW (row));

  g_object_set_data (G_OBJECT (row), GROUP_KEY,
                     GUINT_TO_POINTER (scenario != NULL ? scenario->group : TL_GROUP_NONE));
  g_object_set_data (G_OBJECT (row), ORDER_KEY,
                     GUINT_TO_POINTER (scenario != NULL ? scenario->group_order : 0));
  g_object_set_data_full (G_OBJECT (row), NAME_KEY, g_strdup (name), g_free);
}

/* The groups in order, the lessons without one last. */
static guint
rank_of (GtkListBoxRow *row)
{
  TlLessonGroup group = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), GROUP_KEY));

  return group == TL_GROUP_NONE ? TL_N_GROUPS : group;
}

static int
sort_rows (GtkListBoxRow *a,
           GtkListBoxRow *b,
           gpointer       user_data)
{
  guint ra = rank_of (a), rb = rank_of (b);
  guint oa = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (a), ORDER_KEY));
  guint ob = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (b), ORDER_KEY));

  if (ra != rb)
    return ra < rb ? -1 : 1;
  if (oa != ob)
    return oa < ob ? -1 : 1;
  return g_strcmp0 (g_object_get_data (G_OBJECT (a), NAME_KEY),
                    g_object_get_data (G_OBJECT (b), NAME_KEY));
}

static void
head_rows (GtkListBoxRow *row,
           GtkListBoxRow *before,
           gpointer       user_data)
{
  guint rank = rank_of (row);
  GtkWidget *header;

  if (before != NULL && rank_of (before) == rank)
    {
      gtk_list_box_row_set_header (row, NULL);
      return;
    }
  header = gtk_label_new (tl_lesson_groups_heading (rank == TL_N_GROUPS ? TL_GROUP_NONE : rank));
  gtk_label_set_xalign (GTK_LABEL (header), 0.0);
  gtk_widget_add_css_class (header, "lesson-group");
  gtk_list_box_row_set_header (row, header);
}

void
tl_lesson_groups_init (GtkListBox *list)
{
  g_return_if_fail (GTK_IS_LIST_BOX (list));

  gtk_list_box_set_sort_func (list, sort_rows, NULL, NULL);
  gtk_list_box_set_header_func (list, head_rows, NULL, NULL);
}
