/* tl-paths.h: where TCP Lab finds its files (translations, lessons, the
 * settings schema): in the build tree when the program runs from there, else
 * where it is installed, with no environment variable needed.  GLib only. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE when the running program is the one in the build tree. */
gboolean  tl_paths_in_build_tree (void);
/* The translations: TL_LOCALEDIR from the environment if set, else the
 * build tree's or the installed ones. */
char     *tl_paths_locale_dir    (void);
/* The shipped lessons: TL_LESSONS_DIR from the environment if set, else the
 * source tree's when run from the build tree, else the installed ones. */
char     *tl_paths_lessons_dir   (void);
/* The compiled settings schema: the build tree's, or the installed one. */
char     *tl_paths_schema_dir    (void);
/* Binds the "tcplab" text domain to tl_paths_locale_dir(), in UTF-8, and
 * makes it the program's. */
void      tl_paths_bind_textdomain (void);
/* msgid in the user's language, from the "tcplab" domain: the
 * TlTranslateFunc with which the front ends put core/'s codes (a lesson's
 * problems) into words. */
const char *tl_paths_translate   (const char *msgid);

/* Makes gettext speak language ("zh_CN"), or the desktop's language for ""
 * or NULL, from the next string translated on.  gettext takes the language
 * from LANGUAGE, but ignores it in the plain "C" locale, and the language's
 * own locale is often not installed: C.UTF-8 always is and lets LANGUAGE
 * work. */
void      tl_paths_use_language  (const char *language);

/* The languages TCP Lab speaks, as locale names ("en", "zh_CN"), NULL
 * terminated, and each one's name in its own language. */
const char *const *tl_paths_languages     (void);
const char        *tl_paths_language_name (const char *language);

G_END_DECLS
