/* test-cli-import.c: `tcplab-cli import` as a user runs it on the real
 * captures of tests/captures/: the trace with its inferred states, the
 * ladder, a lesson written from a capture whose expect lines hold on it
 * (--lesson, then --check), files never replaced without --force, and
 * clear errors for files that are no capture. */
#include <check.h>
#include <string.h>
#include <sys/wait.h>
#include <glib/gstdio.h>

#include "tl-test-cli.h"


/* Runs tcplab-cli import with args (NULL-terminated) in the C locale. */
#define run_import(...) tl_test_cli_run_in ("C", NULL, "import", __VA_ARGS__)

static char *
capture (const char *name)
{
  return g_build_filename (TL_CAPTURES_DIR, name, NULL);
}

START_TEST (test_import_prints_trace_with_inferred_states)
{
  g_autofree char *path = capture ("client-first-close.pcap");
  CliResult r = run_import (path, NULL);

  ck_assert_int_eq (r.status, 0);
  ck_assert_msg (strstr (r.out, "client#1  FIN_WAIT_1 -> FIN_WAIT_2  (rcv ACK)  inferred\n") != NULL,
                 "%s", r.out);
  ck_assert (strstr (r.out, "client#1  FIN_WAIT_2 -> TIME_WAIT  (rcv FIN)\n") != NULL);
  ck_assert (strstr (r.err, "Both hosts were within 0.2 ms of the capture point") != NULL);
  cli_result_clear (&r);
}
END_TEST

START_TEST (test_import_json_marks_inferred)
{
  g_autofree char *path = capture ("lost-fin.pcap");
  CliResult r = run_import (path, "--trace", "json", "-q", NULL);

  ck_assert_int_eq (r.status, 0);
  ck_assert_str_eq (r.err, "");
  ck_assert (strstr (r.out, "\"from\":\"FIN_WAIT_1\",\"to\":\"FIN_WAIT_2\",\"cause\":\"rcv_ack\","
                            "\"inferred\":true") != NULL);
  ck_assert (strstr (r.out, "\"fate\":\"lost_random\"") != NULL);
  cli_result_clear (&r);
}
END_TEST

START_TEST (test_import_ladder_shows_the_lost_fin)
{
  g_autofree char *path = capture ("lost-fin.pcap");
  CliResult r = run_import (path, "--ladder", "-q", NULL);

  ck_assert_int_eq (r.status, 0);
  /* the first FIN ends in a cross; the server stays ESTABLISHED until the
   * retransmission arrives */
  ck_assert_msg (strstr (r.out, "FIN_WAIT_1  | FIN,ACK seq=6 ack=1 --------------x| ESTABLISHED\n")
                 != NULL, "%s", r.out);
  ck_assert (strstr (r.out, "client#1 retransmission timer fires") != NULL);
  cli_result_clear (&r);
}
END_TEST

START_TEST (test_import_lesson_checks_against_its_capture)
{
  g_autofree char *path = capture ("lost-fin.pcap");
  g_autofree char *dir = g_dir_make_tmp ("tl-import-XXXXXX", NULL);
  g_autofree char *lesson = g_build_filename (dir, "lost-fin.lesson", NULL);
  g_autofree char *text = NULL;
  CliResult r = run_import (path, "--lesson", lesson, "-q", NULL);

  ck_assert_int_eq (r.status, 0);
  ck_assert (g_file_get_contents (lesson, &text, NULL, NULL));
  ck_assert (strstr (text, "client connect server:8018 from ") != NULL);
  ck_assert (strstr (text, " drop next client->server FIN,ACK count 1\n") != NULL);
  ck_assert (strstr (text, " expect server#1 CLOSE_WAIT\n") != NULL);
  cli_result_clear (&r);

  /* not replaced without --force */
  r = run_import (path, "--lesson", lesson, NULL);
  ck_assert_int_eq (r.status, 2);
  ck_assert (strstr (r.err, "exists; add --force") != NULL);
  cli_result_clear (&r);

  /* its expect lines hold on the capture */
  r = run_import (path, "--check", lesson, "-q", NULL);
  ck_assert_int_eq (r.status, 0);
  ck_assert (g_str_has_suffix (r.out, "lost-fin.lesson: ok, 8 expectations\n"));
  cli_result_clear (&r);

  /* and a lesson for another capture does not */
  g_free (path);
  path = capture ("client-first-close.pcap");
  r = run_import (path, "--check", lesson, "-q", NULL);
  ck_assert_int_eq (r.status, 1);
  ck_assert (strstr (r.err, "expected server#1 CLOSE_WAIT") != NULL);
  cli_result_clear (&r);
  g_unlink (lesson);
  g_rmdir (dir);
}
END_TEST

START_TEST (test_import_refuses_what_is_no_capture)
{
  g_autofree char *lesson = g_build_filename (TL_CAPTURES_DIR, "..", "data", "good.lesson", NULL);
  CliResult r = run_import (lesson, NULL);

  ck_assert_int_eq (r.status, 2);
  ck_assert_msg (g_str_has_prefix (r.err, "tcplab-cli import: ") && strstr (r.err, "good.lesson: "
                 "it is not a pcap or pcapng capture") != NULL, "%s", r.err);
  ck_assert_str_eq (r.out, "");
  cli_result_clear (&r);

  r = run_import (TL_CAPTURES_DIR, NULL);
  ck_assert_int_eq (r.status, 2);
  ck_assert (strstr (r.err, "not a regular file") != NULL);
  cli_result_clear (&r);

  r = run_import ("/nonexistent/x.pcap", NULL);
  ck_assert_int_eq (r.status, 2);
  ck_assert (strstr (r.err, "/nonexistent/x.pcap: No such file or directory") != NULL);
  cli_result_clear (&r);
}
END_TEST

START_TEST (test_import_hosts_must_be_in_the_capture)
{
  g_autofree char *path = capture ("refused.pcap");
  CliResult r = run_import (path, "--hosts", "10.9.9.9,10.9.9.8", NULL);

  ck_assert_int_eq (r.status, 2);
  ck_assert (strstr (r.err, "no TCP connection between 10.9.9.9 and 10.9.9.8") != NULL);
  cli_result_clear (&r);
  r = run_import (path, "--hosts", "nonsense", NULL);
  ck_assert_int_eq (r.status, 2);
  ck_assert (strstr (r.err, "--hosts needs two different addresses") != NULL);
  cli_result_clear (&r);
  /* given the other way round, 10.18.0.2 is host 0 */
  r = run_import (path, "--hosts", "10.18.0.2,10.18.0.1", "-q", NULL);
  ck_assert_int_eq (r.status, 0);
  ck_assert (strstr (r.out, "server#1  CLOSED -> SYN_SENT  (connect)\n") != NULL);
  cli_result_clear (&r);
}
END_TEST

/* A lesson made from a capture replays it: run in the simulator, its own
 * expect lines hold, for all six captures.  They did not: with both hosts
 * close to the capture point its link had no delay at all (the measured
 * tens of microseconds were taken as 0), and a refused connect, with no
 * handshake to measure, none either: the handshake, the RST and each state
 * came at once; the simultaneous close's FINs were retransmitted 7 ms
 * early, and the flood's spoofed SYNs were not in the lesson. */
START_TEST (test_import_lesson_replays_in_the_simulator)
{
  const char *names[] = { "client-first-close", "server-first-close", "lost-fin", "refused",
                          "simultaneous-close", "syn-flood" };
  g_autofree char *dir = g_dir_make_tmp ("tl-import-replay-XXXXXX", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *name = g_strdup_printf ("%s.pcap", names[i]);
      g_autofree char *path = capture (name);
      g_autofree char *lesson = g_strdup_printf ("%s/%s.lesson", dir, names[i]);
      g_autofree char *text = NULL;
      g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "LC_ALL", "C", TRUE);
      CliResult r = run_import (path, "--lesson", lesson, "-q", NULL);

      ck_assert_msg (r.status == 0, "%s", r.err);
      cli_result_clear (&r);
      ck_assert (g_file_get_contents (lesson, &text, NULL, NULL));
      ck_assert_msg (strstr (text, "link client->server delay 0ms") == NULL, "%s", text);
      /* the flood's spoofed SYNs, as many at their rate from their block,
       * and the backlog its cookies show (4: five requests kept) */
      if (strcmp (names[i], "syn-flood") == 0)
        ck_assert_msg (strstr (text, "\nset server backlog 4\n") != NULL
                       && strstr (text, " flood server:8018 count 12 rate ") != NULL
                       && strstr (text, "/s from 10.18.1.0/24\n") != NULL, "%s", text);
      /* each lost FIN's retransmission held what the kernel's timer came
       * after the simulator's: its RTO (200.06 ms, in jiffies 51: 204 ms)
       * from 162.1 ms, which the timer wheel runs at the tick after (jiffy
       * 40 + 51, and one: 368 ms); the capture shows 207 ms after the FIN,
       * 369.6 ms: 1.6 ms (3 ms before the wheel was modelled) */
      if (strcmp (names[i], "simultaneous-close") == 0)
        ck_assert_msg (strstr (text, "hold next server->client FIN,ACK 1584us") != NULL
                       && strstr (text, "hold next client->server FIN,ACK 1527us") != NULL, "%s", text);
      r = tl_test_cli_run (envp, "check", lesson, NULL);
      ck_assert_msg (r.status == 0, "%s: %s", names[i], r.err);
      ck_assert_msg (strstr (r.out, ": ok, ") != NULL, "%s", r.out);
      cli_result_clear (&r);
      g_unlink (lesson);
    }
  g_rmdir (dir);
}
END_TEST

/* An IPv6 capture (made on the kernel, tests/captures/make-captures) keeps
 * its addresses through the trace, the ladder and the pcap writer (written
 * as IPv6 and read back the same); --lesson is refused, saying why, and
 * writes nothing. */
START_TEST (test_import_ipv6_keeps_its_addresses)
{
  g_autofree char *path = capture ("handshake-ipv6.pcapng");
  g_autofree char *dir = g_dir_make_tmp ("tl-import-v6-XXXXXX", NULL);
  g_autofree char *pcap = g_build_filename (dir, "again.pcap", NULL);
  g_autofree char *lesson = g_build_filename (dir, "v6.lesson", NULL);
  CliResult r = run_import (path, "--trace", "json", NULL);

  ck_assert_int_eq (r.status, 0);
  ck_assert_msg (strstr (r.err, "client fd18::1, server fd18::2") != NULL, "%s", r.err);
  ck_assert (strstr (r.out, "client fd18::1, server fd18::2") != NULL);
  cli_result_clear (&r);

  r = run_import (path, "--pcap", pcap, "-q", NULL);
  ck_assert_msg (r.status == 0, "%s", r.err);
  cli_result_clear (&r);
  r = run_import (pcap, "--ladder", NULL);
  ck_assert_msg (r.status == 0, "%s", r.err);
  ck_assert_msg (strstr (r.err, "client fd18::1, server fd18::2; connections: 1") != NULL, "%s",
                 r.err);
  ck_assert (strstr (r.out, "FIN_WAIT_2") != NULL);
  cli_result_clear (&r);

  r = run_import (path, "--lesson", lesson, NULL);
  ck_assert_int_eq (r.status, 2);
  ck_assert_msg (strstr (r.err, "no lesson is written: the hosts fd18::1 and fd18::2 are IPv6, "
                         "and a lesson's hosts have IPv4 addresses") != NULL, "%s", r.err);
  ck_assert_str_eq (r.out, "");
  ck_assert (!g_file_test (lesson, G_FILE_TEST_EXISTS));
  cli_result_clear (&r);
  g_unlink (pcap);
  g_rmdir (dir);
}
END_TEST

Suite *
cli_import_suite (void)
{
  Suite *s = suite_create ("cli-import");
  TCase *tc = tcase_create ("cli-import");

  tcase_add_test (tc, test_import_prints_trace_with_inferred_states);
  tcase_add_test (tc, test_import_json_marks_inferred);
  tcase_add_test (tc, test_import_ladder_shows_the_lost_fin);
  tcase_add_test (tc, test_import_lesson_checks_against_its_capture);
  tcase_add_test (tc, test_import_refuses_what_is_no_capture);
  tcase_add_test (tc, test_import_hosts_must_be_in_the_capture);
  tcase_add_test (tc, test_import_ipv6_keeps_its_addresses);
  tcase_add_test (tc, test_import_lesson_replays_in_the_simulator);
  suite_add_tcase (s, tc);
  return s;
}
