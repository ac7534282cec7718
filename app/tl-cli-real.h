/* tl-cli-real.h: `tcplab-cli real FILE [--check] [--pcap OUT] [--trace
 * text|json] [--ladder] [--out DIR] [--lang LANG]`: a lesson played on the
 * running kernel (real/tl-real.h), its trace written as `run` writes one
 * and checked as `check` checks one. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The exit status of a run that could not start (no privileges, no
 * namespaces): 77, which meson and automake count as a skip. */
#define TL_CLI_EXIT_SKIP 77

/* argv[0] names the subcommand.  Exit status: 0 played (and, with --check,
 * every expectation held), 1 an expectation failed, 2 a usage, lesson or
 * run error, 77 a real run cannot start here. */
int tl_cli_real (int    argc,
                 char **argv);

G_END_DECLS
