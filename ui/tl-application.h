#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TL_TYPE_APPLICATION (tl_application_get_type ())
G_DECLARE_FINAL_TYPE (TlApplication, tl_application, TL, APPLICATION, AdwApplication)

TlApplication *tl_application_new (void);
/* Before GTK starts: GTK's cairo renderer unless GSK_RENDERER says
 * otherwise (measured for this app: README, "Benchmarks"), and with it GDK
 * asked not to load GL (GDK_DEBUG=gl-disable), which it would load only to
 * pick a visual. */
void           tl_application_choose_renderer (void);

G_END_DECLS
