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

void      cli_result_clear      (CliResult  *r);
CliResult tl_test_cli_run_va    (char      **envp,
                                 const char *command,
                                 const char *first,
                                 va_list     args);
CliResult tl_test_cli_run       (char      **envp,
                                 const char *command,
                                 const char *first,
                                 ...);
/* As a user in that locale runs it: LC_ALL=locale, LANGUAGE unset, and
 * TL_LOCALEDIR=locale_dir unless locale_dir is NULL. */
CliResult tl_test_cli_run_in_va (const char *locale,
                                 const char *locale_dir,
                                 const char *command,
                                 const char *first,
                                 va_list     args);
CliResult tl_test_cli_run_in    (const char *locale,
                                 const char *locale_dir,
                                 const char *command,
                                 const char *first,
                                 ...);

G_END_DECLS
