/* test-bad-lessons.c: `tcplab-cli check` on every broken lesson of
 * tests/bad/ (see tests/bad/README.md), output and exit code compared
 * exactly with NAME.expected; and on the broken files too big to commit
 * (over the size limit, over the mistake limit), written here. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "tl-test-files.h"

/* The corpus, read once when the suite is built: one loop test a file. */
static GPtrArray *lesson_names;

typedef struct
{
  int   status;
  char *out;
  char *err;
} CliResult;

static void
cli_result_clear (CliResult *r)
{
  g_free (r->out);
  g_free (r->err);
}

/* Runs `tcplab-cli check NAME` in dir and in the C locale, so that the file
 * names in the messages are as the .expected files have them. */
static CliResult
run_check (const char *dir,
           const char *name)
{
  char *argv[] = { (char *) TL_CLI_PATH, (char *) "check", (char *) name, NULL };
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "LC_ALL", "C", TRUE);
  g_autoptr(GError) error = NULL;
  CliResult r = { 0 };
  int wait_status;

  if (!g_spawn_sync (dir, argv, envp, G_SPAWN_DEFAULT, NULL, NULL, &r.out, &r.err,
                     &wait_status, &error))
    ck_abort_msg ("cannot run %s: %s", TL_CLI_PATH, error->message);
  ck_assert_msg (WIFEXITED (wait_status), "%s: tcplab-cli did not exit (crashed?)", name);
  r.status = WEXITSTATUS (wait_status);
  return r;
}

static GPtrArray *
list_lessons (void)
{
  g_autoptr(GDir) dir = g_dir_open (TL_BAD_DIR, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".lesson"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_ascii_strcasecmp);
  return names;
}

START_TEST (test_corpus_file)
{
  const char *name = g_ptr_array_index (lesson_names, _i);
  g_autofree char *stem = g_strndup (name, strlen (name) - strlen (".lesson"));
  g_autofree char *expected_path = g_strdup_printf ("%s/%s.expected", TL_BAD_DIR, stem);
  g_autofree char *expected = NULL;
  g_autofree char *actual = NULL;
  CliResult r;

  ck_assert_msg (g_file_get_contents (expected_path, &expected, NULL, NULL),
                 "%s has no %s.expected (tests/bad/update-expected writes it)", name, stem);
  r = run_check (TL_BAD_DIR, name);
  actual = g_strdup_printf ("exit %d\n%s%s", r.status, r.err, r.out);
  ck_assert_msg (strcmp (actual, expected) == 0,
                 "%s: tcplab-cli check printed\n%s\nbut %s.expected has\n%s",
                 name, actual, stem, expected);
  /* A broken lesson never prints "ok"; a lesson that parses never errors. */
  ck_assert (r.status == 0 || r.status == 2);
  ck_assert_str_eq (r.status == 0 ? r.err : r.out, "");
  cli_result_clear (&r);
}
END_TEST

/* Every .expected has its lesson, and the corpus is all there. */
START_TEST (test_corpus_is_complete)
{
  g_autoptr(GDir) dir = g_dir_open (TL_BAD_DIR, 0, NULL);
  const char *name;
  guint n_expected = 0;

  ck_assert_ptr_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".expected"))
      {
        g_autofree char *stem = g_strndup (name, strlen (name) - strlen (".expected"));
        g_autofree char *lesson = g_strdup_printf ("%s/%s.lesson", TL_BAD_DIR, stem);

        ck_assert_msg (g_file_test (lesson, G_FILE_TEST_EXISTS), "%s has no lesson", name);
        n_expected++;
      }
  ck_assert_uint_eq (n_expected, lesson_names->len);
  ck_assert_uint_ge (lesson_names->len, 45);
}
END_TEST

static char *tmp_dir;

static void
setup (void)
{
  tmp_dir = g_dir_make_tmp ("tl-bad-XXXXXX", NULL);
  ck_assert_ptr_nonnull (tmp_dir);
}

static void
teardown (void)
{
  tl_test_remove_tree (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);
}

#define GOOD_LESSON \
  "host client 10.0.0.1\n" \
  "host server 10.0.0.2\n" \
  "0ms server listen 80\n" \
  "10ms client connect server:80\n" \
  "1s expect client ESTABLISHED\n"

/* A good lesson padded with comment lines to exactly size bytes. */
static void
write_padded (const char *path,
              gsize       size)
{
  GString *text = g_string_new (GOOD_LESSON);
  g_autofree char *line = g_strnfill (99, 'x');

  while (text->len + 101 <= size)
    g_string_append_printf (text, "#%s\n", line);
  while (text->len < size - 1)
    g_string_append_c (text, '#');
  g_string_append_c (text, '\n');
  ck_assert_uint_eq (text->len, size);
  ck_assert (g_file_set_contents (path, text->str, text->len, NULL));
  g_string_free (text, TRUE);
}

/* 4 MiB parses; one byte more is refused at once, without reading it all. */
START_TEST (test_size_limit)
{
  g_autofree char *at = g_build_filename (tmp_dir, "at-limit.lesson", NULL);
  g_autofree char *over = g_build_filename (tmp_dir, "over-limit.lesson", NULL);
  CliResult r;

  write_padded (at, 4 * 1024 * 1024);
  r = run_check (tmp_dir, "at-limit.lesson");
  ck_assert_int_eq (r.status, 0);
  ck_assert_str_eq (r.out, "at-limit.lesson: ok, 1 expectation\n");
  ck_assert_str_eq (r.err, "");
  cli_result_clear (&r);

  write_padded (over, 4 * 1024 * 1024 + 1);
  r = run_check (tmp_dir, "over-limit.lesson");
  ck_assert_int_eq (r.status, 2);
  ck_assert_str_eq (r.err, "over-limit.lesson:1:1: error: the file is more than 4194304 "
                    "bytes, the limit of a lesson\n");
  ck_assert_str_eq (r.out, "");
  cli_result_clear (&r);
}
END_TEST

/* 600 unknown statements, then 600 lines of Latin-1: the lexer reports the
 * second run before the parser reads the first, yet the messages come in the
 * order of the file, and the 1001st says the rest was not read. */
START_TEST (test_mistake_limit)
{
  g_autofree char *path = g_build_filename (tmp_dir, "many.lesson", NULL);
  GString *text = g_string_new ("host client 10.0.0.1\nhost server 10.0.0.2\n");
  g_auto(GStrv) lines = NULL;
  CliResult r;

  for (guint i = 0; i < 600; i++)
    g_string_append (text, "10ms bogus\n");
  for (guint i = 0; i < 600; i++)
    g_string_append (text, "10ms say \"caf\xE9\"\n");
  ck_assert (g_file_set_contents (path, text->str, text->len, NULL));
  g_string_free (text, TRUE);

  r = run_check (tmp_dir, "many.lesson");
  ck_assert_int_eq (r.status, 2);
  lines = g_strsplit (r.err, "\n", -1);
  /* 1000 problems with a line each, the 600 Latin-1 ones with a hint, the last, "". */
  ck_assert_uint_eq (g_strv_length (lines), 1000 + 600 + 1 + 1);
  ck_assert_str_eq (lines[0], "many.lesson:3:6: error: unknown statement 'bogus'");
  ck_assert_str_eq (lines[399], "many.lesson:402:6: error: unknown statement 'bogus'");
  ck_assert_str_eq (lines[400], "many.lesson:603:14: error: invalid UTF-8 (byte 0xE9)");
  ck_assert_str_eq (lines[401], "  hint: save the file as UTF-8");
  ck_assert_str_eq (lines[1598], "many.lesson:1202:14: error: invalid UTF-8 (byte 0xE9)");
  ck_assert_str_eq (lines[1600], "many.lesson:402:6: error: more than 1000 mistakes; the rest "
                    "of the file was not read");
  ck_assert_str_eq (lines[1601], "");
  cli_result_clear (&r);
}
END_TEST

/* What is not a file: an error with the name, exit 2. */
START_TEST (test_unreadable)
{
  CliResult r = run_check (tmp_dir, "missing.lesson");

  ck_assert_int_eq (r.status, 2);
  ck_assert_str_eq (r.err, "missing.lesson: error: cannot read: No such file or directory\n");
  cli_result_clear (&r);

  r = run_check (tmp_dir, ".");
  ck_assert_int_eq (r.status, 2);
  ck_assert_str_eq (r.err, ".: error: cannot read: it is a folder, not a regular file\n");
  cli_result_clear (&r);

  r = run_check (tmp_dir, "");
  ck_assert_int_eq (r.status, 2);
  ck_assert_str_eq (r.err, "error: the lesson file name is empty\n");
  cli_result_clear (&r);

  r = run_check (tmp_dir, "/dev/null");
  ck_assert_int_eq (r.status, 2);
  ck_assert_str_eq (r.err, "/dev/null: error: cannot read: it is a device, not a regular file\n");
  cli_result_clear (&r);
}
END_TEST

/* A FIFO named like a lesson blocked open() for ever (nobody writes to it);
 * a socket could not be read either.  Both are refused at once. */
START_TEST (test_fifo_and_socket_refused)
{
  g_autofree char *fifo = g_build_filename (tmp_dir, "fifo.lesson", NULL);
  g_autofree char *sock_path = g_build_filename (tmp_dir, "socket.lesson", NULL);
  struct sockaddr_un address = { .sun_family = AF_UNIX };
  int sock = socket (AF_UNIX, SOCK_STREAM, 0);
  CliResult r;

  ck_assert_int_eq (mkfifo (fifo, 0600), 0);
  r = run_check (tmp_dir, "fifo.lesson");
  ck_assert_int_eq (r.status, 2);
  ck_assert_str_eq (r.err, "fifo.lesson: error: cannot read: it is a FIFO (named pipe), "
                    "not a regular file\n");
  ck_assert_str_eq (r.out, "");
  cli_result_clear (&r);

  ck_assert_uint_lt (strlen (sock_path), sizeof address.sun_path);
  strcpy (address.sun_path, sock_path);
  ck_assert (sock >= 0 && bind (sock, (struct sockaddr *) &address, sizeof address) == 0);
  r = run_check (tmp_dir, "socket.lesson");
  ck_assert_int_eq (r.status, 2);
  ck_assert_str_eq (r.err, "socket.lesson: error: cannot read: it is a socket, not a "
                    "regular file\n");
  cli_result_clear (&r);
  close (sock);
}
END_TEST

static void
free_names (void)
{
  g_clear_pointer (&lesson_names, g_ptr_array_unref);
}

Suite *
bad_lessons_suite (void)
{
  Suite *suite = suite_create ("bad-lessons");
  TCase *tc = tcase_create ("corpus");

  lesson_names = list_lessons ();
  atexit (free_names);
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_corpus_is_complete);
  tcase_add_loop_test (tc, test_corpus_file, 0, lesson_names->len);
  suite_add_tcase (suite, tc);
  tc = tcase_create ("generated");
  tcase_set_timeout (tc, 60);
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_size_limit);
  tcase_add_test (tc, test_mistake_limit);
  tcase_add_test (tc, test_unreadable);
  tcase_add_test (tc, test_fifo_and_socket_refused);
  suite_add_tcase (suite, tc);
  return suite;
}
