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
