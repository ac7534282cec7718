/* tl-cli-explain.h: `tcplab-cli explain`, the TCP states explained for a
 * terminal, in English or another language (--lang zh_CN). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* argv[0] names the subcommand; argv[1], if given, is a state.  Returns the
 * exit status: 0 printed, 2 a usage error (with a message on stderr). */
int tl_cli_explain (int    argc,
                    char **argv);

G_END_DECLS
