/* tl-test-files.h: the temporary folders of tests that write files. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Removes path and everything below it; what cannot be removed is left. */
void tl_test_remove_tree (const char *path);

G_END_DECLS
