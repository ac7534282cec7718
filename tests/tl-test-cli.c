/* tl-test-cli.c: see tl-test-cli.h. */
#include "tl-test-cli.h"

#include <check.h>
#include <sys/wait.h>

void
cli_result_clear (CliResult *r)
{
  g_free (r->out);
  g_free (r->err);
}

/* Runs tcplab-cli [COMMAND] FIRST ARGS... (NULL-terminated) with envp and
 * asserts that it exited (no crash); its status, stdout and stderr. */
CliResult
tl_test_cli_run_va (char      **envp,
                    const char *command,
                    const char *first,
                    va_list     args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  CliResult r = { 0 };
  int wait_status;

  g_ptr_array_add (argv, (char *) TL_CLI_PATH);
  if (command != NULL)
    g_ptr_array_add (argv, (char *) command);
  for (const char *a = first; a != NULL; a = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) a);
  g_ptr_array_add (argv, NULL);
  if (!g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                     &r.out, &r.err, &wait_status, &error))
    ck_abort_msg ("cannot run %s: %s", TL_CLI_PATH, error->message);
  ck_assert (WIFEXITED (wait_status));
  r.status = WEXITSTATUS (wait_status);
  return r;
}

CliResult
tl_test_cli_run (char      **envp,
                 const char *command,
                 const char *first,
                 ...)
{
  CliResult r;
  va_list args;

  va_start (args, first);
  r = tl_test_cli_run_va (envp, command, first, args);
  va_end (args);
  return r;
}

CliResult
tl_test_cli_run_in_va (const char *locale,
                       const char *locale_dir,
                       const char *command,
                       const char *first,
                       va_list     args)
{
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "LC_ALL", locale, TRUE);

  envp = g_environ_unsetenv (envp, "LANGUAGE");
  if (locale_dir != NULL)
    envp = g_environ_setenv (envp, "TL_LOCALEDIR", locale_dir, TRUE);
  return tl_test_cli_run_va (envp, command, first, args);
}

CliResult
tl_test_cli_run_in (const char *locale,
                    const char *locale_dir,
                    const char *command,
                    const char *first,
                    ...)
{
  CliResult r;
  va_list args;

  va_start (args, first);
  r = tl_test_cli_run_in_va (locale, locale_dir, command, first, args);
  va_end (args);
  return r;
}
