/* bench-hostile.c: tcplab-cli on the hostile inputs (tests/bad/hostile-*,
 * and those generated here: a FIFO, 99,990 connects, 65,535 listeners), each
 * a fresh process, its wall time and peak memory (ru_maxrss) against the
 * bound this file gives it.  A bound is what a classroom machine should
 * spend on one such file, well inside the budget of tl-budget.h; it is
 * printed as budget_ms and budget_kib with within_budget, and never fails
 * the run (DESIGN.md: speed is measured, not tested).  The output and exit
 * code of each are the tests' (test-bad-lessons). */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "tl-bench.h"

typedef struct
{
  const char *name;
  const char *file;        /* in tests/bad, or generated in the temporary folder */
  const char *args[4];     /* after the file: extra options of `run` */
  const char *command;     /* "check" or "run" */
  double      budget_ms;
  guint64     budget_kib;
} Case;

static const Case cases[] = {
  { "hostile-flood-giant", "hostile-flood-giant.lesson", { NULL }, "check", 100, 50 * 1024 },
  { "hostile-flood-hundred", "hostile-flood-hundred.lesson", { NULL }, "check", 100, 50 * 1024 },
  { "hostile-flood-count", "hostile-flood-count.lesson", { NULL }, "check", 100, 50 * 1024 },
  /* at the record budget: 10^7 records of 32 bytes (and 16 per segment), and the arrays' growth */
  { "hostile-flood-cut", "hostile-flood-cut.lesson", { NULL }, "check", 10000, 1024 * 1024 },
  { "hostile-flood-cut-json", "hostile-flood-cut.lesson", { "--trace", "json", NULL }, "run",
    60000, 1024 * 1024 },
  { "hostile-fifo", "fifo.lesson", { NULL }, "check", 100, 50 * 1024 },
  { "hostile-connects-99990", "connects.lesson", { NULL }, "check", 3000, 300 * 1024 },
  { "hostile-listeners-65535", "listeners.lesson", { NULL }, "check", 3000, 300 * 1024 },
};

static void
write_generated (const char *dir)
{
  g_autofree char *fifo = g_build_filename (dir, "fifo.lesson", NULL);
  g_autofree char *connects = g_build_filename (dir, "connects.lesson", NULL);
  g_autofree char *listeners = g_build_filename (dir, "listeners.lesson", NULL);
  GString *text = g_string_new ("host client 10.0.0.1\nhost server 10.0.0.2\n"
                                "0ms server listen 80\n");

  /* 99,990 connects to one port: the ephemeral ports (28,232) run out, and
   * every connect after that used to scan the whole range. */
  for (guint i = 0; i < 99990; i++)
    g_string_append (text, "+0ms client connect server:80\n");
  g_assert (g_file_set_contents (connects, text->str, text->len, NULL));
  g_string_assign (text, "host client 10.0.0.1\nhost server 10.0.0.2\n");
  /* 65,535 listeners: each listen looked for its port in a list. */
  for (guint port = 1; port <= 65535; port++)
    g_string_append_printf (text, "+0ms server listen %u\n", port);
  g_assert (g_file_set_contents (listeners, text->str, text->len, NULL));
  g_string_free (text, TRUE);
  g_assert (mkfifo (fifo, 0600) == 0);
}

static void
run_case (const Case *c,
          const char *dir)
{
  const char *argv[10] = { TL_CLI_PATH, c->command, c->file };
  g_autofree char *bad = g_build_filename (TL_BAD_DIR, c->file, NULL);
  guint n = 3;
  struct rusage usage;
  gint64 start;
  double ms;
  int status;
  pid_t pid;
  TlBenchLine *line;

  for (guint i = 0; c->args[i] != NULL; i++)
    argv[n++] = c->args[i];
  argv[n] = NULL;
  start = tl_bench_now_ns ();
  pid = fork ();
  g_assert (pid >= 0);
  if (pid == 0)
    {
      int null = open ("/dev/null", O_WRONLY);

      if (chdir (g_file_test (bad, G_FILE_TEST_EXISTS) ? TL_BAD_DIR : dir) != 0)
        _exit (127);
      dup2 (null, 1);
      dup2 (null, 2);
      execv (TL_CLI_PATH, (char **) argv);
      _exit (127);
    }
  g_assert (wait4 (pid, &status, 0, &usage) == pid);
  ms = (tl_bench_now_ns () - start) / 1e6;
  line = tl_bench_line_new (c->name);
  tl_bench_line_add_word (line, "command", c->command);
  tl_bench_line_add_uint (line, "exit", WIFEXITED (status) ? WEXITSTATUS (status) : 255);
  tl_bench_line_add_double (line, "time_ms", ms, 1);
  tl_bench_line_add_uint (line, "peak_rss_kib", (guint64) usage.ru_maxrss);
  tl_bench_line_add_double (line, "budget_ms", c->budget_ms, 0);
  tl_bench_line_add_uint (line, "budget_kib", c->budget_kib);
  tl_bench_line_add_word (line, "within_budget",
                          ms <= c->budget_ms && (guint64) usage.ru_maxrss <= c->budget_kib
                          ? "yes" : "no");
  tl_bench_line_print (line);
}

int
main (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tl-bench-hostile-XXXXXX", NULL);

  g_assert (dir != NULL);
  write_generated (dir);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    run_case (&cases[i], dir);
  for (const char *const *f = (const char *const[]) { "fifo.lesson", "connects.lesson",
                                                      "listeners.lesson", NULL }; *f; f++)
    {
      g_autofree char *path = g_build_filename (dir, *f, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
  return 0;
}
