/* tl-cli-diagnose.h: `tcplab-cli diagnose`, a socket table (a saved ss or
 * netstat output, or this machine's) counted and explained. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* argv[0] names the subcommand.  Returns the exit status: 0 no trouble
 * found, 1 findings, 2 a usage or input error. */
int tl_cli_diagnose (int    argc,
                     char **argv);

G_END_DECLS
