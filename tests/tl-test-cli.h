/* tl-test-cli.h: tcplab-cli run as a user runs it, for the tests of its
 * commands (the program is TL_CLI_PATH, given by tests/meson.build). */
#pragma once

#include <stdarg.h>

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  int   status;   /* the exit code */
  char *out;
  char *err;
} CliResult;

void      cli_result_clear   (CliResult  *r);
CliResult tl_test_cli_run_va (char      **envp,
                              const char *command,
                              const char *first,
                              va_list     args);

G_END_DECLS
