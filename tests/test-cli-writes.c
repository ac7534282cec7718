/* test-cli-writes.c: every write of tcplab-cli is checked.  A full disk is
 * made with RLIMIT_FSIZE (writes past the size fail with EFBIG, SIGXFSZ
 * ignored) and /dev/full (ENOSPC): a failed write exits 2 with a message,
 * and a picture or capture that was there stays as it was, with no
 * temporary file left beside it.  Also: a name taken by a symbolic link,
 * even a dangling one, is not replaced without --force; a picture's size is
 * bounded. */
#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "tl-test-cli.h"
#include "tl-test-files.h"

#define HOSTS "host client 10.0.0.1\nhost server 10.0.0.2\n"

static char *dir;

static void
setup (void)
{
  dir = g_dir_make_tmp ("tl-cli-writes-XXXXXX", NULL);
  ck_assert_ptr_nonnull (dir);
}

static void
teardown (void)
{
  tl_test_remove_tree (dir);
  g_clear_pointer (&dir, g_free);
}

static char *
path_in_dir (const char *name)
{
  return g_build_filename (dir, name, NULL);
}

static char *
write_lesson (const char *name,
              const char *text)
{
  char *path = path_in_dir (name);

  ck_assert (g_file_set_contents (path, text, -1, NULL));
  return path;
}

/* Runs tcplab-cli with argv (NULL-terminated, after the program), its
 * standard output into stdout_path, its files limited to fsize bytes if
 * not 0. */
static CliResult
run_cli (const char  *stdout_path,
         rlim_t       fsize,
         const char **args)
{
  CliResult r = { 0 };
  const char *argv[16] = { TL_CLI_PATH };
  int err_pipe[2];
  GString *err = g_string_new (NULL);
  char buf[4096];
  gssize n;
  int status;
  pid_t pid;
  guint i;

  for (i = 0; args[i] != NULL; i++)
    argv[i + 1] = args[i];
  argv[i + 1] = NULL;
  ck_assert_int_eq (pipe (err_pipe), 0);
  pid = fork ();
  ck_assert_int_ge (pid, 0);
  if (pid == 0)
    {
      int out = open (stdout_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

      if (fsize > 0)
        {
          struct rlimit limit = { fsize, fsize };

          signal (SIGXFSZ, SIG_IGN);
          setrlimit (RLIMIT_FSIZE, &limit);
        }
      dup2 (out, 1);
      dup2 (err_pipe[1], 2);
      close (err_pipe[0]);
      setenv ("LC_ALL", "C", 1);
      unsetenv ("LANGUAGE");
      execv (TL_CLI_PATH, (char **) argv);
      _exit (127);
    }
  close (err_pipe[1]);
  while ((n = read (err_pipe[0], buf, sizeof buf)) > 0)
    g_string_append_len (err, buf, n);
  close (err_pipe[0]);
  ck_assert_int_eq (waitpid (pid, &status, 0), pid);
  ck_assert (WIFEXITED (status));
  r.status = WEXITSTATUS (status);
  r.err = g_string_free (err, FALSE);
  return r;
}

#define RUN(out, fsize, ...) run_cli (out, fsize, (const char *[]) { __VA_ARGS__, NULL })

/* `run > /dev/full` exited 0; so did `check`. */
START_TEST (test_stdout_full)
{
  g_autofree char *lesson = write_lesson ("l.lesson", HOSTS "0ms server listen 80\n"
                                          "10ms client connect server:80\n"
                                          "1s expect client ESTABLISHED\n");
  CliResult r[3];

  r[0] = RUN ("/dev/full", 0, "run", lesson);
  r[1] = RUN ("/dev/full", 0, "run", "--trace", "json", lesson);
  r[2] = RUN ("/dev/full", 0, "check", lesson);
  for (guint i = 0; i < G_N_ELEMENTS (r); i++)
    {
      ck_assert_int_eq (r[i].status, 2);
      ck_assert_msg (strstr (r[i].err, "cannot write to standard output") != NULL, "%s",
                     r[i].err);
      g_free (r[i].err);
    }
}
END_TEST

/* On a full disk the JSON trace was cut at 64 KiB with exit 0. */
START_TEST (test_stdout_file_too_large)
{
  g_autofree char *lesson = write_lesson ("f.lesson", HOSTS "0ms server listen 80\n"
                                          "0ms flood server:80 count 5000 rate 100000/s\n");
  g_autofree char *out = path_in_dir ("trace.json");
  CliResult r = RUN (out, 64 * 1024, "run", "--trace", "json", lesson);

  ck_assert_int_eq (r.status, 2);
  ck_assert_str_eq (r.err, "tcplab-cli run: cannot write to standard output: File too large\n");
  g_free (r.err);
  /* without the limit the same run succeeds, and writes more than that */
  r = RUN (out, 0, "run", "--trace", "json", lesson);
  ck_assert_int_eq (r.status, 0);
  g_free (r.err);
  {
    GStatBuf st;

    ck_assert_int_eq (g_stat (out, &st), 0);
    ck_assert_int_gt (st.st_size, 64 * 1024);
  }
}
END_TEST

/* The target written by good_args, then full_args with the files limited
 * to fsize bytes: exit 2 naming the error, the target as it was, no file
 * left beside it. */
static void
assert_kept_on_full_disk (const char  *target,
                          rlim_t       fsize,
                          const char **good_args,
                          const char **full_args)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize len_before, len_after;
  guint n_files;
  CliResult r;

  r = run_cli ("/dev/null", 0, good_args);
  ck_assert_msg (r.status == 0, "%s", r.err);
  g_free (r.err);
  ck_assert (g_file_get_contents (target, &before, &len_before, NULL));
  ck_assert_uint_gt (len_before, 1024);
  n_files = tl_test_count_files (dir);

  r = run_cli ("/dev/null", fsize, full_args);
  ck_assert_int_eq (r.status, 2);
  ck_assert_msg (strstr (r.err, "File too large") != NULL, "%s", r.err);
  g_free (r.err);
  ck_assert (g_file_get_contents (target, &after, &len_after, NULL));
  ck_assert_uint_eq (len_after, len_before);
  ck_assert (memcmp (before, after, len_before) == 0);
  ck_assert_uint_eq (tl_test_count_files (dir), n_files);
}

/* A PDF on a full disk: cairo's stdio stream lost the error of its last
 * flush, and a truncated file was renamed over a good one with exit 0.
 * PNG and SVG, and the pcap of `run`, the same way. */
START_TEST (test_pictures_and_pcap_kept_on_full_disk)
{
  g_autofree char *lesson = write_lesson ("h.lesson", HOSTS "0ms server listen 80\n"
                                          "0ms flood server:80 count 200 rate 1000/s\n"
                                          "10ms client connect server:80\n");
  const char *names[] = { "out.pdf", "out.svg", "out.png" };

  /* The audit's case itself: a PDF smaller than stdio's buffer (the socket
   * table at 16x16, 919 bytes) is written only by the final flush, the one
   * whose error cairo's stdio stream lost: with the disk full at 512 bytes,
   * a PDF cut there replaced the good one with exit 0.  (The cases
   * below fail in the middle of the writing, which cairo's stream saw.) */
  {
    g_autofree char *target = path_in_dir ("small.pdf");

    assert_kept_on_full_disk (target, 512,
                              (const char *[]) { "render", lesson, "--at", "100ms",
                                                 "--out", target, "--force", NULL },
                              (const char *[]) { "render", lesson, "--at", "100ms",
                                                 "--view", "sockets", "--size", "16x16",
                                                 "--out", target, "--force", NULL });
  }
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *target = path_in_dir (names[i]);

      assert_kept_on_full_disk (target, 1024,
                                (const char *[]) { "render", lesson, "--at", "100ms",
                                                   "--out", target, "--force", NULL },
                                (const char *[]) { "render", lesson, "--at", "100ms",
                                                   "--out", target, "--force", NULL });
    }
  {
    g_autofree char *pcap = path_in_dir ("out.pcap");

    assert_kept_on_full_disk (pcap, 1024,
                              (const char *[]) { "run", lesson, "--pcap", pcap, "--force", NULL },
                              (const char *[]) { "run", lesson, "--pcap", pcap, "--force", NULL });
  }
}
END_TEST

/* A dangling symbolic link was replaced without --force; a device is never
 * replaced. */
START_TEST (test_taken_names_not_replaced)
{
  g_autofree char *lesson = write_lesson ("h.lesson", HOSTS "0ms server listen 80\n");
  g_autofree char *link_pcap = path_in_dir ("dangling.pcap");
  g_autofree char *link_png = path_in_dir ("dangling.png");
  g_autofree char *target = NULL;
  CliResult r;

  ck_assert_int_eq (symlink ("nowhere/x.pcap", link_pcap), 0);
  ck_assert_int_eq (symlink ("nowhere/x.png", link_png), 0);
  r = RUN ("/dev/null", 0, "run", lesson, "--pcap", link_pcap);
  ck_assert_int_eq (r.status, 2);
  ck_assert_msg (strstr (r.err, "exists; add --force to replace it") != NULL, "%s", r.err);
  g_free (r.err);
  r = RUN ("/dev/null", 0, "render", lesson, "--at", "0ms", "--out", link_png);
  ck_assert_int_eq (r.status, 2);
  ck_assert_msg (strstr (r.err, "exists; add --force to replace it") != NULL, "%s", r.err);
  g_free (r.err);
  target = g_file_read_link (link_pcap, NULL);
  ck_assert_str_eq (target, "nowhere/x.pcap");

  r = RUN ("/dev/null", 0, "run", lesson, "--pcap", "/dev/null", "--force");
  ck_assert_int_eq (r.status, 2);
  ck_assert_str_eq (r.err, "tcplab-cli run: /dev/null is not a regular file; it is not "
                    "replaced\n");
  g_free (r.err);
}
END_TEST

/* 16384x16384 took 1.5 GB. */
START_TEST (test_render_size_bounded)
{
  g_autofree char *lesson = write_lesson ("h.lesson", HOSTS "0ms server listen 80\n");
  g_autofree char *png = path_in_dir ("big.png");
  CliResult r = RUN ("/dev/null", 0, "render", lesson, "--at", "0ms", "--out", png,
                     "--size", "16384x16384");

  ck_assert_int_eq (r.status, 2);
  ck_assert_msg (strstr (r.err, "--size needs WIDTHxHEIGHT in pixels (1 to 8192 a side)") != NULL,
                 "%s", r.err);
  g_free (r.err);
  r = RUN ("/dev/null", 0, "render", lesson, "--at", "0ms", "--out", png, "--size", "8000x8000");
  ck_assert_int_eq (r.status, 2);
  ck_assert_msg (strstr (r.err, "is out of range (1 to 8192 pixels a side, 33177600 pixels "
                         "in all") != NULL, "%s", r.err);
  g_free (r.err);
  ck_assert (!g_file_test (png, G_FILE_TEST_EXISTS));
}
END_TEST

Suite *
cli_writes_suite (void)
{
  Suite *suite = suite_create ("cli-writes");
  TCase *tc = tcase_create ("writes");

  tcase_set_timeout (tc, 60);
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_stdout_full);
  tcase_add_test (tc, test_stdout_file_too_large);
  tcase_add_test (tc, test_pictures_and_pcap_kept_on_full_disk);
  tcase_add_test (tc, test_taken_names_not_replaced);
  tcase_add_test (tc, test_render_size_bounded);
  suite_add_tcase (suite, tc);
  return suite;
}
