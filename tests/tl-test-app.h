/* tl-test-app.h: runs the TCP Lab application in a GUI test and a body in
 * its window once that window is shown (tests/meson.build runs these under
 * Xvfb). */
#pragma once

#include <check.h>

#include "tl-window.h"

G_BEGIN_DECLS

typedef void (*TlTestWindowBody) (TlWindow *window);

/* The test case's timeout (tcase_set_timeout), which the windows' give-up
 * follows: set the case's timeout with this in a test of windows. */
void tl_test_app_set_timeout (TCase *tc,
                              double seconds);

/* Runs `tcplab [FILE]` (file may be NULL) and, once its window is mapped,
 * body on it (body may be NULL), then quits; fails the test when the window
 * has not shown and run body within 90% of the test's timeout
 * (tl_test_app_set_timeout, times CK_TIMEOUT_MULTIPLIER as Check does; 60 s
 * if unset), or the application exits with an error.  With
 * settle the window first lays itself out and draws (tl_test_app_settle);
 * with title non-NULL, the window's title must be title. */
void tl_test_app_run    (TlTestWindowBody  body,
                         const char       *file,
                         gboolean          settle,
                         const char       *title);

/* Runs `tcplab` with no file and body in its window, titled "TCP Lab";
 * with settle, once it has laid itself out (tl_test_app_run). */
void tl_test_app_run_empty (TlTestWindowBody body,
                            gboolean         settle);

/* Switches the application to language ("zh_CN"; "" the desktop's) by the
 * window's action, which replaces the window: the new one, once settled. */
TlWindow *tl_test_app_switch_language (TlWindow   *window,
                                       const char *language);

/* The window's template child NAME (ui/tl-window.ui). */
gpointer tl_test_app_child    (TlWindow   *window,
                               const char *name);

/* Activates the window's action NAME with parameter (may be NULL). */
void     tl_test_app_activate (TlWindow   *window,
                               const char *name,
                               GVariant   *parameter);

/* A new temporary folder named after template (g_dir_make_tmp) holding
 * the lessons given as pairs of file name and text, NULL-terminated;
 * TL_LESSONS_DIR names it, so the window lists them.  Free it with
 * tl_test_remove_tree and g_free. */
char    *tl_test_app_lessons_dir (const char *template,
                                  ...) G_GNUC_NULL_TERMINATED;

/* The file NAME in the folder dir. */
GFile   *tl_test_app_file     (const char *dir,
                               const char *name);

/* widget's event controller named name (gtk_event_controller_set_name);
 * fails the test when it has none.  Owned by widget. */
GtkEventController *tl_test_app_controller (GtkWidget  *widget,
                                            const char *name);

/* A bare key ("space", "Down") pressed as widget's shortcut controller
 * named controller would take it: its shortcut's action activated on
 * widget.  TRUE if the action took the key, FALSE if it let it go on;
 * fails the test when the controller has no shortcut for key. */
gboolean tl_test_app_press    (GtkWidget  *widget,
                               const char *controller,
                               const char *key);

/* The first label at or under widget that contains text, or NULL; TRUE
 * when there is one. */
GtkLabel *tl_test_app_find_label (GtkWidget  *widget,
                                  const char *text);
gboolean tl_test_app_has_label (GtkWidget  *widget,
                                const char *text);

/* The button at or under widget whose label is label, or NULL. */
GtkButton *tl_test_app_find_button (GtkWidget  *widget,
                                    const char *label);

/* Lets the window lay itself out and draw: the main loop until it is quiet
 * (at least 400 ms, at most 3 s). */
void tl_test_app_settle (void);

/* The same after the playhead alone moved: 150 ms of quiet, no floor. */
void tl_test_app_settle_seek (void);

/* Whether the windows run_body gets animate (GtkSettings'
 * gtk-enable-animations, TRUE unless set): off, a seek settles as soon as it
 * is laid out, not after the diagram's tokens have glided (0.7 s). */
void tl_test_app_set_animations (gboolean on);

/* With TL_TEST_SHOTS set to a folder, the window as drawn now is written
 * there as NAME (a PNG), after it settled; without it, nothing happens.
 * With TL_TEST_SHOTS_ROOT set too, the window is first made as large as
 * its screen and the whole screen is taken (ImageMagick's import), popovers
 * included, which are surfaces of their own.  For looking at the GUI as a
 * class would (README.md, Tests), never an assertion. */
void tl_test_app_shot   (TlWindow         *window,
                         const char       *name);

G_END_DECLS
