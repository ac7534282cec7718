/* tl-window.c: the main window of TCP Lab, built from tl-window.ui. */
#include "tl-config.h"

#include <glib/gi18n.h>

#include "tl-window.h"

struct _TlWindow
{
  GtkApplicationWindow parent_instance;

  GtkHeaderBar *header_bar;
};

G_DEFINE_FINAL_TYPE (TlWindow, tl_window, GTK_TYPE_APPLICATION_WINDOW)

static void
tl_window_class_init (TlWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tcplab/TcpLab/tl-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TlWindow, header_bar);
}

static void
tl_window_init (TlWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

TlWindow *
tl_window_new (TlApplication *app)
{
  return g_object_new (TL_TYPE_WINDOW, "application", app, NULL);
}
