#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TL_TYPE_APPLICATION (tl_application_get_type ())
G_DECLARE_FINAL_TYPE (TlApplication, tl_application, TL, APPLICATION, AdwApplication)

TlApplication *tl_application_new (void);
/* Before GTK starts: with GSK_RENDERER=cairo, asks GDK not to load GL
 * (GDK_DEBUG=gl-disable), which it would load only to pick a visual. */
void           tl_application_skip_unused_gl (void);

G_END_DECLS
