/* tl-test-needs.h: a test that needs a program we may not find skips
 * (exits 77, meson's SKIP) instead of passing without having tested. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A first argument --needs=PROGRAM[,PROGRAM...]: prints "SKIP: PROGRAM is
 * not installed" and exits 77 when one of them is not in PATH (or, for
 * "locale:NAME", when that locale is not installed); else takes the
 * argument out of argv. */
void tl_test_needs (int   *argc,
                    char **argv);

G_END_DECLS
