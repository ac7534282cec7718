/* tl-test-files.h: the temporary folders of tests that write files. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Removes path and everything below it; what cannot be removed is left. */
void      tl_test_remove_tree      (const char *path);
/* Whether the file at path begins with magic (and has more after it): a
 * PNG, SVG or PDF written whole, as a reader would tell it. */
gboolean  tl_test_file_starts_with (const char *path,
                                    const char *magic);
/* How many entries dir has: a failed write leaves no temporary file. */
guint     tl_test_count_files      (const char *dir);

G_END_DECLS
