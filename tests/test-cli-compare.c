/* test-cli-compare.c: tcplab-cli real --compare with --real-trace (a real
 * run kept as a sidecar, so no root is needed): per connection, the first
 * point where the simulation and the kernel differ, with both traces' lines;
 * exit 0 when they agree, 1 when they differ, 2 for a sidecar that is stale,
 * broken or missing; and --save refusing to replace a sidecar unasked. */
#include <check.h>
#include <string.h>
#include <glib/gstdio.h>

#include "tl-lesson.h"
#include "tl-sim.h"
#include "tl-test-cli.h"
#include "tl-trace-file.h"

#define LESSON \
  "host client 10.0.0.1\n" \
  "host server 10.0.0.2\n" \
  "link delay 50ms\n" \
  "%s" \
  "0ms     server listen 80\n" \
  "10ms    client connect server:80\n"

static char *tmp_dir;
static char *lesson_path;
static char *sidecar_path;

/* tcplab-cli real ARGS... (NULL-terminated) in the C locale. */
#define run_real(...) tl_test_cli_run_in ("C", NULL, "real", __VA_ARGS__)

/* The lesson, and as its sidecar the simulation of text_of_run (the lesson
 * itself, or another), saved with the hash of hash_of. */
static void
write_files (const char *extra_of_run,
             gboolean    stale)
{
  g_autofree char *text = g_strdup_printf (LESSON, "");
  g_autofree char *run = g_strdup_printf (LESSON, extra_of_run);
  g_autofree char *hash = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TlTrace) trace = NULL;
  TlScenario *scenario;

  tmp_dir = g_dir_make_tmp ("tl-cli-compare-XXXXXX", NULL);
  lesson_path = g_build_filename (tmp_dir, "c.lesson", NULL);
  sidecar_path = tl_trace_file_sidecar_path (lesson_path);
  ck_assert (g_file_set_contents (lesson_path, text, -1, NULL));
  scenario = tl_lesson_parse (run, -1, "run.lesson", NULL, &error);
  ck_assert_ptr_nonnull (scenario);
  trace = tl_simulate (scenario);
  tl_scenario_free (scenario);
  hash = stale ? tl_trace_file_lesson_hash ("another lesson", 14)
               : tl_trace_file_lesson_hash (text, strlen (text));
  ck_assert (tl_trace_file_save (sidecar_path, trace, hash, "Linux test", FALSE, &error));
}

static void
teardown (void)
{
  g_unlink (sidecar_path);
  g_unlink (lesson_path);
  g_rmdir (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);
  g_clear_pointer (&lesson_path, g_free);
  g_clear_pointer (&sidecar_path, g_free);
}

START_TEST (test_the_same_run_agrees)
{
  CliResult r;

  write_files ("", FALSE);
  r = run_real ("--compare", "--real-trace", sidecar_path, lesson_path, NULL);
  ck_assert_msg (r.status == 0, "%d: %s%s", r.status, r.out, r.err);
  ck_assert_str_eq (r.out, "The simulation and the real run agree.\n");
  cli_result_clear (&r);
}
END_TEST

START_TEST (test_a_lost_syn_is_the_first_difference_with_both_lines)
{
  CliResult r;
  const char *first;

  write_files ("0ms drop next client->server SYN\n", FALSE);
  r = run_real ("--compare", "--real-trace", sidecar_path, lesson_path, NULL);
  ck_assert_msg (r.status == 1, "%d: %s%s", r.status, r.out, r.err);
  /* The client's connection first: its SYN was lost in one run only. */
  first = strstr (r.out, "client#1: the same segment, lost in one run only, at 10ms\n");
  ck_assert_msg (first == r.out, "%s", r.out);
  ck_assert_msg (strstr (r.out, "  simulated:       10.000ms  client -> server  SYN") != NULL,
                 "%s", r.out);
  ck_assert_msg (strstr (r.out, "  real Linux:      10.000ms  client -> server  SYN") != NULL,
                 "%s", r.out);
  ck_assert (strstr (r.out, "lost (scripted)") != NULL);
  /* Once per connection, then the count. */
  ck_assert_ptr_null (strstr (first + 1, "client#1:"));
  ck_assert (strstr (r.out, "server#1:") != NULL);
  ck_assert (strstr (r.out, "differences in all, first shown for 2 connections.\n") != NULL);
  cli_result_clear (&r);
}
END_TEST

START_TEST (test_a_stale_or_broken_sidecar_is_refused)
{
  CliResult r;

  write_files ("", TRUE);
  r = run_real ("--compare", "--real-trace", sidecar_path, lesson_path, NULL);
  ck_assert_int_eq (r.status, 2);
  ck_assert_msg (strstr (r.err, "was recorded from another text of") != NULL, "%s", r.err);
  ck_assert_str_eq (r.out, "");
  cli_result_clear (&r);

  ck_assert (g_file_set_contents (sidecar_path, "tcplab-trace 1\nlesson 12\n", -1, NULL));
  r = run_real ("--compare", "--real-trace", sidecar_path, lesson_path, NULL);
  ck_assert_int_eq (r.status, 2);
  ck_assert_msg (strstr (r.err, "c.lesson.real:2:8: ") != NULL, "%s", r.err);
  cli_result_clear (&r);

  /* A sidecar that is not there. */
  g_unlink (sidecar_path);
  r = run_real ("--compare", "--real-trace", sidecar_path, lesson_path, NULL);
  ck_assert_int_eq (r.status, 2);
  ck_assert (strstr (r.err, "c.lesson.real") != NULL);
  cli_result_clear (&r);
}
END_TEST

START_TEST (test_real_trace_goes_with_compare)
{
  CliResult r;

  write_files ("", FALSE);
  r = run_real ("--real-trace", sidecar_path, lesson_path, NULL);
  ck_assert_int_eq (r.status, 2);
  ck_assert (strstr (r.err, "--real-trace") != NULL);
  cli_result_clear (&r);
  r = run_real ("--save", "--compare", "--real-trace", sidecar_path, lesson_path, NULL);
  ck_assert_int_eq (r.status, 2);
  ck_assert (strstr (r.err, "--save") != NULL);
  cli_result_clear (&r);
}
END_TEST

Suite *
cli_compare_suite (void)
{
  Suite *s = suite_create ("cli-compare");
  TCase *tc = tcase_create ("compare");

  tcase_add_checked_fixture (tc, NULL, teardown);
  tcase_add_test (tc, test_the_same_run_agrees);
  tcase_add_test (tc, test_a_lost_syn_is_the_first_difference_with_both_lines);
  tcase_add_test (tc, test_a_stale_or_broken_sidecar_is_refused);
  tcase_add_test (tc, test_real_trace_goes_with_compare);
  suite_add_tcase (s, tc);
  return s;
}
