/* tl-presentation.c: presentation mode (F5) for a projector.
 *
 * The window goes full screen with the diagram and the ladder only, the
 * narration and the question large above them; the header bar, the
 * playback controls, the timers and tables, free play and the lesson list
 * go out of the way.  The playback keys still act (they are the window's,
 * tl-window-actions.c); F5 or Escape leaves, and what was shown before comes
 * back as it was.
 */
#include "tl-config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tl-presentation.h"
#include "tl-window-private.h"

/* What presentation mode hides, to show again as it was on leaving. */
typedef struct
{
  gboolean header;
  gboolean controls;
  gboolean tables;
  gboolean free_play;
  gboolean lessons;
  gboolean fullscreen;
} Shown;

#define SHOWN_KEY "tl-presentation-shown"

static void
enter (TlWindow *self)
{
  Shown *shown = g_new0 (Shown, 1);

  shown->header = gtk_widget_get_visible (GTK_WIDGET (self->header_bar));
  shown->controls = gtk_widget_get_visible (self->controls_box);
  shown->tables = gtk_widget_get_visible (self->tables_box);
  shown->free_play = gtk_widget_get_visible (self->freeplay_box);
  shown->lessons = adw_flap_get_reveal_flap (self->flap);
  shown->fullscreen = gtk_window_is_fullscreen (GTK_WINDOW (self));
  g_object_set_data_full (G_OBJECT (self), SHOWN_KEY, shown, g_free);

  gtk_widget_set_visible (GTK_WIDGET (self->header_bar), FALSE);
  gtk_widget_set_visible (self->controls_box, FALSE);
  gtk_widget_set_visible (self->tables_box, FALSE);
  gtk_widget_set_visible (self->freeplay_box, FALSE);
  adw_flap_set_reveal_flap (self->flap, FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (self), "presentation");
  tl_window_words_restyled (self);
  gtk_window_fullscreen (GTK_WINDOW (self));
  tl_window_toast (self, _("Presentation: Space plays, the arrows step, F5 or Esc leaves"));
}

static void
leave (TlWindow *self)
{
  const Shown *shown = g_object_get_data (G_OBJECT (self), SHOWN_KEY);

  g_assert (shown != NULL);
  gtk_widget_remove_css_class (GTK_WIDGET (self), "presentation");
  tl_window_words_restyled (self);
  gtk_widget_set_visible (GTK_WIDGET (self->header_bar), shown->header);
  gtk_widget_set_visible (self->controls_box, shown->controls);
  gtk_widget_set_visible (self->tables_box, shown->tables);
  gtk_widget_set_visible (self->freeplay_box, shown->free_play);
  adw_flap_set_reveal_flap (self->flap, shown->lessons);
  if (!shown->fullscreen)
    gtk_window_unfullscreen (GTK_WINDOW (self));
  g_object_set_data (G_OBJECT (self), SHOWN_KEY, NULL);
}

static void
presentation_change_cb (GSimpleAction *action,
                        GVariant      *value,
                        TlWindow      *self)
{
  gboolean on = g_variant_get_boolean (value);

  if (on == (g_object_get_data (G_OBJECT (self), SHOWN_KEY) != NULL))
    return;
  g_simple_action_set_state (action, value);
  if (on)
    enter (self);
  else
    leave (self);
}

/* Escape leaves presentation mode, and is left to others otherwise (a
 * popover, a dialog). */
static gboolean
escape_cb (GtkWidget *widget,
           GVariant  *args,
           gpointer   user_data)
{
  if (g_object_get_data (G_OBJECT (widget), SHOWN_KEY) == NULL)
    return FALSE;
  g_action_group_change_action_state (G_ACTION_GROUP (widget), "presentation",
                                      g_variant_new_boolean (FALSE));
  return TRUE;
}

void
tl_presentation_init (TlWindow *self)
{
  g_autoptr(GSimpleAction) action = NULL;
  GtkEventController *keys;

  g_return_if_fail (TL_IS_WINDOW (self));

  action = g_simple_action_new_stateful ("presentation", NULL, g_variant_new_boolean (FALSE));
  g_signal_connect (action, "change-state", G_CALLBACK (presentation_change_cb), self);
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (action));

  keys = gtk_shortcut_controller_new ();
  gtk_event_controller_set_name (keys, "tl-presentation-keys");
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
    gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_F5, 0),
                      gtk_named_action_new ("win.presentation")));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
    gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                      gtk_callback_action_new (escape_cb, NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}
