/* test-cli.c: tcplab-cli as a user runs it: exit codes and messages of
 * `check`, the JSON trace and the ladder of `run`, and a pcap file that
 * tshark reads back with the same flags and numbers as the trace. */
#include <check.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <glib/gstdio.h>

#include "tl-test-cli.h"


/* Runs tcplab-cli with args (NULL-terminated) in the C locale, or in
 * locale (LC_ALL). */
#define run_cli(...) tl_test_cli_run_in ("C", NULL, NULL, __VA_ARGS__)
#define run_cli_in(locale, ...) tl_test_cli_run_in (locale, NULL, NULL, __VA_ARGS__)

static char *
data_path (const char *name)
{
  return g_build_filename (TL_TEST_DATA_DIR, name, NULL);
}

START_TEST (test_check_good_lesson_exits_0)
{
  g_autofree char *good = data_path ("good.lesson");
  g_autofree char *expected = g_strdup_printf ("%s: ok, 4 expectations\n", good);
  CliResult r = run_cli ("check", good, NULL);

  ck_assert_int_eq (r.status, 0);
  ck_assert_str_eq (r.out, expected);
  ck_assert_str_eq (r.err, "");
  cli_result_clear (&r);
}
END_TEST

START_TEST (test_check_failed_expectation_exits_1)
{
  g_autofree char *good = data_path ("good.lesson");
  g_autofree char *failing = data_path ("failing.lesson");
  g_autofree char *expected = g_strdup_printf ("%s:10: expected client ESTABLISHED at 50ms, "
                                               "was SYN_SENT\n", failing);
  CliResult r = run_cli ("check", good, failing, NULL);

  ck_assert_int_eq (r.status, 1);
  ck_assert_str_eq (r.err, expected);
  /* The good file is still reported; the failing one has no "ok" line. */
  ck_assert (strstr (r.out, "good.lesson: ok, 4 expectations\n") != NULL);
  ck_assert (strstr (r.out, "failing.lesson: ok") == NULL);
  cli_result_clear (&r);
}
END_TEST

START_TEST (test_check_parse_error_exits_2)
{
  g_autofree char *broken = data_path ("broken.lesson");
  g_autofree char *failing = data_path ("failing.lesson");
  g_autofree char *expected = g_strdup_printf (
    "%s:5:16: error: unknown statement 'conect'\n"
    "  hint: did you mean connect?\n"
    "%s:6:23: error: unknown state 'ESTABLISHD'\n"
    "  hint: did you mean ESTABLISHED?\n", broken, broken);
  CliResult r = run_cli ("check", broken, NULL);

  ck_assert_int_eq (r.status, 2);
  ck_assert_str_eq (r.err, expected);
  ck_assert_str_eq (r.out, "");
  cli_result_clear (&r);

  /* A parse error outranks a failed expectation. */
  r = run_cli ("check", failing, broken, NULL);
  ck_assert_int_eq (r.status, 2);
  cli_result_clear (&r);
}
END_TEST

START_TEST (test_usage_errors_exit_2)
{
  CliResult r = run_cli ("check", NULL);

  ck_assert_int_eq (r.status, 2);
  ck_assert_str_eq (r.err, "tcplab-cli check: no lesson file given (try --help)\n");
  cli_result_clear (&r);

  r = run_cli ("frobnicate", NULL);
  ck_assert_int_eq (r.status, 2);
  ck_assert (g_str_has_prefix (r.err, "tcplab-cli: unknown command 'frobnicate'\n"));
  cli_result_clear (&r);

  r = run_cli ("check", "/nonexistent/x.lesson", NULL);
  ck_assert_int_eq (r.status, 2);
  ck_assert_str_eq (r.err, "/nonexistent/x.lesson: error: cannot read: "
                    "No such file or directory\n");
  cli_result_clear (&r);

  r = run_cli ("run", "--trace", "xml", "x.lesson", NULL);
  ck_assert_int_eq (r.status, 2);
  ck_assert_str_eq (r.err, "tcplab-cli run: --trace must be text or json, not 'xml'\n");
  cli_result_clear (&r);

  r = run_cli ("run", "--until", "soon", "x.lesson", NULL);
  ck_assert_int_eq (r.status, 2);
  ck_assert_str_eq (r.err, "tcplab-cli run: --until needs a time such as 500ms or 2s, "
                    "not 'soon'\n");
  cli_result_clear (&r);

  r = run_cli ("run", "--bogus", NULL);
  ck_assert_int_eq (r.status, 2);
  ck_assert_str_eq (r.err, "tcplab-cli: Unknown option --bogus\n");
  cli_result_clear (&r);
}
END_TEST

START_TEST (test_help_on_every_subcommand)
{
  const char *const commands[] = { "check", "run" };
  CliResult r = run_cli ("--help", NULL);

  ck_assert_int_eq (r.status, 0);
  ck_assert (strstr (r.out, "  check    run lessons headless") != NULL);
  ck_assert (strstr (r.out, "  run      print a lesson's trace") != NULL);
  cli_result_clear (&r);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *usage = g_strdup_printf ("Usage:\n  tcplab-cli %s [OPTION", commands[i]);

      r = run_cli (commands[i], "--help", NULL);
      ck_assert_int_eq (r.status, 0);
      ck_assert_msg (g_str_has_prefix (r.out, usage), "%s", r.out);
      cli_result_clear (&r);
    }
}
END_TEST

/* The segments of a JSON trace as "flags seq ack len" lines. */
static GString *
json_segments (const char *json)
{
  g_auto(GStrv) lines = g_strsplit (json, "\n", -1);
  GString *out = g_string_new (NULL);
  g_autoptr(GRegex) re = g_regex_new ("\"kind\":\"segment\".*\"seq\":(\\d+),\"ack\":(\\d+),"
                                      ".*\"flags\":\"([A-Z,]+)\",\"len\":(\\d+)", 0, 0, NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GMatchInfo) match = NULL;

      if (g_regex_match (re, lines[i], 0, &match))
        {
          g_autofree char *seq = g_match_info_fetch (match, 1);
          g_autofree char *ack = g_match_info_fetch (match, 2);
          g_autofree char *flags = g_match_info_fetch (match, 3);
          g_autofree char *len = g_match_info_fetch (match, 4);

          g_string_append_printf (out, "%s %s %s %s\n", flags, seq, ack, len);
        }
    }
  return out;
}

START_TEST (test_run_json_trace)
{
  g_autofree char *good = data_path ("good.lesson");
  CliResult r = run_cli ("run", good, "--trace", "json", NULL);
  g_auto(GStrv) lines = NULL;
  GString *segments;

  ck_assert_int_eq (r.status, 0);
  lines = g_strsplit (r.out, "\n", -1);
  ck_assert (g_str_has_prefix (lines[0], "{\"t_us\":"));
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    ck_assert_msg (g_str_has_prefix (lines[i], "{") && g_str_has_suffix (lines[i], "}"),
                   "not a JSON object: %s", lines[i]);
  segments = json_segments (r.out);
  /* isn 0 on both sides: the handshake, then the client's FIN and the close. */
  ck_assert_msg (g_str_has_prefix (segments->str, "SYN 0 0 0\nSYN,ACK 0 1 0\nACK 1 1 0\n"),
                 "%s", segments->str);
  ck_assert (strstr (segments->str, "FIN,ACK 1 1 0\n") != NULL);
  g_string_free (segments, TRUE);
  cli_result_clear (&r);
}
END_TEST

/* With ISNs drawn from the seed, the ladder still shows relative numbers,
 * as Wireshark does (and as DESIGN.md asks of every ladder). */
START_TEST (test_run_ladder_shows_relative_numbers)
{
  g_autofree char *lesson = data_path ("random-isn.lesson");
  CliResult r = run_cli ("run", lesson, "--ladder", NULL);

  ck_assert_int_eq (r.status, 0);
  ck_assert_msg (strstr (r.out, "| SYN seq=0 --") != NULL, "%s", r.out);
  ck_assert_msg (strstr (r.out, "SYN,ACK seq=0 ack=1 |") != NULL, "%s", r.out);
  ck_assert_msg (strstr (r.out, "| ACK seq=1 ack=1 --") != NULL, "%s", r.out);
  cli_result_clear (&r);
}
END_TEST

START_TEST (test_run_ladder_fits_80_columns)
{
  g_autofree char *good = data_path ("good.lesson");
  CliResult r = run_cli ("run", good, "--ladder", NULL);
  g_auto(GStrv) lines = NULL;
  gboolean syn_seen = FALSE, synack_seen = FALSE;

  ck_assert_int_eq (r.status, 0);
  lines = g_strsplit (r.out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      ck_assert_msg (strlen (lines[i]) <= 80, "too wide: %s", lines[i]);
      for (const char *s = lines[i]; *s != '\0'; s++)
        ck_assert_msg ((guchar) *s < 0x80, "not ASCII in the C locale: %s", lines[i]);
      if (strstr (lines[i], "SYN_SENT    | SYN seq=0 ----") != NULL
          && g_str_has_prefix (lines[i], "     10.000ms") && strstr (lines[i], "->| ") != NULL)
        syn_seen = TRUE;
      if (strstr (lines[i], "|<---") != NULL && strstr (lines[i], "SYN,ACK seq=0 ack=1") != NULL)
        synack_seen = TRUE;
    }
  ck_assert_msg (syn_seen, "%s", r.out);
  ck_assert_msg (synack_seen, "%s", r.out);
  cli_result_clear (&r);
}
END_TEST

/* The ladder names each connection as the lesson does (client#1,
 * client#2), prints the narration at its time and the question with its
 * choices under the pause, wrapped within 80 columns, in --lang's language. */
START_TEST (test_run_ladder_tells_the_story)
{
  g_autofree char *narrated = data_path ("narrated.lesson");
  CliResult r = run_cli ("run", narrated, "--ladder", NULL);
  CliResult zh = run_cli_in ("C.UTF-8", "run", narrated, "--ladder", "--lang", "zh_CN", NULL);
  CliResult bad = run_cli ("run", narrated, "--ladder", "--lang", "xx", NULL);
  g_auto(GStrv) lines = NULL;

  ck_assert_msg (r.status == 0, "%s", r.err);
  ck_assert_msg (strstr (r.out, "| client#1: SYN_SENT ") != NULL, "%s", r.out);
  ck_assert_msg (strstr (r.out, "| client#2 connect() ") != NULL, "%s", r.out);
  ck_assert_msg (strstr (r.out, "| server#2: SYN_RCVD ") != NULL, "%s", r.out);
  ck_assert_msg (strstr (r.out, "| server: LISTEN ") != NULL, "%s", r.out);
  ck_assert_msg (strstr (r.out, "     10.000ms  > The client sends a SYN and waits in SYN_SENT "
                                "for the answer\n                 of the server") != NULL,
                 "%s", r.out);
  ck_assert_msg (strstr (r.out, "| (pause)                            | SYN_RCVD\n"
                                "               Which state is the server in now?\n"
                                "                 1) ESTABLISHED\n"
                                "                 2) SYN_RCVD\n"
                                "               answer: 2) Its SYN,ACK is not yet") != NULL,
                 "%s", r.out);
  lines = g_strsplit (r.out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    ck_assert_msg (strlen (lines[i]) <= 80, "too wide: %s", lines[i]);

  ck_assert_msg (zh.status == 0, "%s", zh.err);
  ck_assert_msg (strstr (zh.out, "     10.000ms  > 客户端发出 SYN") != NULL, "%s", zh.out);
  ck_assert_msg (strstr (zh.out, "               服务器现在处于哪个状态？\n") != NULL, "%s", zh.out);
  ck_assert_msg (strstr (zh.out, "The client sends") == NULL, "%s", zh.out);

  ck_assert_int_eq (bad.status, 2);
  ck_assert_msg (strstr (bad.err, "--lang must be one of en, zh_CN, not 'xx'") != NULL, "%s",
                 bad.err);
  cli_result_clear (&r);
  cli_result_clear (&zh);
  cli_result_clear (&bad);
}
END_TEST

START_TEST (test_run_until_stops_early)
{
  g_autofree char *good = data_path ("good.lesson");
  CliResult r = run_cli ("run", good, "--trace", "json", "--until", "100ms", NULL);
  GString *segments;

  ck_assert_int_eq (r.status, 0);
  segments = json_segments (r.out);
  /* The SYN (10ms) and SYN,ACK (60ms) are out; the ACK leaves at 110ms. */
  ck_assert_str_eq (segments->str, "SYN 0 0 0\nSYN,ACK 0 1 0\n");
  g_string_free (segments, TRUE);
  cli_result_clear (&r);
}
END_TEST

/* A lesson's mistakes in the user's language: the message, the hint, a
 * phrase of ours given as a value ("a direction") and the frame are
 * translated, the lesson's words are not (a test of its own, tagged
 * "zh_CN": it needs the zh_CN.UTF-8 locale). */
START_TEST (test_check_tells_mistakes_in_chinese)
{
  g_autofree char *broken = data_path ("broken.lesson");
  g_autofree char *values = data_path ("broken-values.lesson");
  g_autofree char *expected = g_strdup_printf (
    "%s:5:16: 错误：未知的语句“conect”\n"
    "  提示：你是想写 connect 吗？\n"
    "%s:6:23: 错误：未知的状态“ESTABLISHD”\n"
    "  提示：你是想写 ESTABLISHED 吗？\n", broken, broken);
  g_autofree char *expected_values = g_strdup_printf (
    "%s:3:15: 错误：“next”之后应为一个方向\n"
    "%s:4:16: 错误：delay“5”需要单位\n"
    "  提示：单位有 us、ms、s 和 min\n", values, values);
  CliResult r = run_cli_in ("zh_CN.UTF-8", "check", broken, NULL);

  ck_assert_int_eq (r.status, 2);
  ck_assert_str_eq (r.err, expected);
  cli_result_clear (&r);
  r = run_cli_in ("zh_CN.UTF-8", "check", values, NULL);
  ck_assert_int_eq (r.status, 2);
  ck_assert_str_eq (r.err, expected_values);
  cli_result_clear (&r);
  /* and in English under C, as tests/bad expects */
  r = run_cli ("check", values, NULL);
  ck_assert_int_eq (r.status, 2);
  ck_assert (strstr (r.err, "3:15: error: expected a direction after 'next'\n") != NULL);
  cli_result_clear (&r);
}
END_TEST

/* Runs tcplab-cli with LANGUAGE=zh_CN in the C.UTF-8 locale (where
 * gettext follows LANGUAGE). */
static CliResult
run_cli_language_zh_CN (const char *first,
                        ...)
{
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "LC_ALL", "C.UTF-8", TRUE);
  CliResult r;
  va_list args;

  envp = g_environ_setenv (envp, "LANGUAGE", "zh_CN", TRUE);
  va_start (args, first);
  r = tl_test_cli_run_va (envp, NULL, first, args);
  va_end (args);
  return r;
}

/* A file that cannot be read (a FIFO, a folder, no such file, no name) and
 * a run stopped by the budget were told in English whatever the language:
 * core/ wrote the sentences.  Now they are codes that tcplab-cli words. */
START_TEST (test_file_and_budget_errors_in_chinese)
{
  g_autofree char *dir = g_dir_make_tmp ("tl-cli-zh-XXXXXX", NULL);
  g_autofree char *fifo = g_build_filename (dir, "fifo.lesson", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.lesson", NULL);
  g_autofree char *cut = g_build_filename (TL_TEST_DATA_DIR, "..", "bad",
                                           "hostile-flood-cut.lesson", NULL);
  g_autofree char *want = NULL;
  CliResult r;

  ck_assert_int_eq (mkfifo (fifo, 0600), 0);
  r = run_cli_language_zh_CN ("check", fifo, NULL);
  ck_assert_int_eq (r.status, 2);
  want = g_strdup_printf ("%s: 错误：无法读取：它是FIFO（命名管道），不是普通文件\n", fifo);
  ck_assert_str_eq (r.err, want);
  cli_result_clear (&r);
  g_free (want);

  r = run_cli_language_zh_CN ("run", dir, NULL);
  ck_assert_int_eq (r.status, 2);
  want = g_strdup_printf ("%s: 错误：无法读取：它是文件夹，不是普通文件\n", dir);
  ck_assert_str_eq (r.err, want);
  cli_result_clear (&r);
  g_free (want);

  r = run_cli_language_zh_CN ("check", missing, NULL);
  ck_assert_int_eq (r.status, 2);
  want = g_strdup_printf ("%s: 错误：无法读取：", missing);
  ck_assert_msg (g_str_has_prefix (r.err, want), "%s", r.err);
  cli_result_clear (&r);
  g_free (want);

  r = run_cli_language_zh_CN ("check", "", NULL);
  ck_assert_int_eq (r.status, 2);
  ck_assert_str_eq (r.err, "错误：课程文件名为空\n");
  cli_result_clear (&r);

  /* FILE:LINE:COLUMN of the statement running when the budget stopped it */
  r = run_cli_language_zh_CN ("check", cut, NULL);
  ck_assert_int_eq (r.status, 2);
  want = g_strdup_printf ("%s:8:5: 错误：运行达到10000000 条跟踪记录的上限，于 ", cut);
  ck_assert_msg (g_str_has_prefix (r.err, want), "%s", r.err);
  ck_assert_msg (strstr (r.err, "从那时起的期望没有检查\n") != NULL, "%s", r.err);
  cli_result_clear (&r);

  g_unlink (fifo);
  g_rmdir (dir);
}
END_TEST

/* Never over an existing file without --force. */
START_TEST (test_pcap_replaced_only_with_force)
{
  g_autofree char *good = data_path ("good.lesson");
  g_autofree char *dir = g_dir_make_tmp ("tl-cli-XXXXXX", NULL);
  g_autofree char *pcap = g_build_filename (dir, "out.pcap", NULL);
  CliResult r;

  r = run_cli ("run", good, "--pcap", pcap, NULL);
  ck_assert_int_eq (r.status, 0);
  cli_result_clear (&r);
  r = run_cli ("run", good, "--pcap", pcap, NULL);
  ck_assert_int_eq (r.status, 2);
  ck_assert (g_str_has_suffix (r.err, "out.pcap exists; add --force to replace it\n"));
  cli_result_clear (&r);
  r = run_cli ("run", good, "--pcap", pcap, "--force", NULL);
  ck_assert_int_eq (r.status, 0);
  ck_assert_str_eq (r.out, "");
  cli_result_clear (&r);
  g_unlink (pcap);
  g_rmdir (dir);
}
END_TEST

/* tshark reads the pcap back with the trace's flags and numbers (a test of
 * its own, tagged "tshark": skipped, not passed, without tshark). */
START_TEST (test_pcap_matches_trace)
{
  g_autofree char *good = data_path ("good.lesson");
  g_autofree char *dir = g_dir_make_tmp ("tl-cli-XXXXXX", NULL);
  g_autofree char *pcap = g_build_filename (dir, "out.pcap", NULL);
  g_autofree char *tshark = g_find_program_in_path ("tshark");
  CliResult r;
  GString *from_trace, *from_pcap;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;
  int wait_status;

  ck_assert_msg (tshark != NULL, "tshark is not installed (run: test-cli --needs tshark)");
  r = run_cli ("run", good, "--trace", "json", "--pcap", pcap, NULL);
  ck_assert_int_eq (r.status, 0);
  from_trace = json_segments (r.out);
  cli_result_clear (&r);

  {
    const char *argv[] = { tshark, "-n", "-r", pcap, "-o", "tcp.relative_sequence_numbers:FALSE",
                           "-T", "fields", "-E", "separator=/s", "-e", "tcp.flags",
                           "-e", "tcp.seq", "-e", "tcp.ack", "-e", "tcp.len", NULL };

    ck_assert (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                             &out, &err, &wait_status, NULL));
    ck_assert_msg (WIFEXITED (wait_status) && WEXITSTATUS (wait_status) == 0, "%s", err);
  }
  /* tshark gives flags as a hex byte; turn it into the trace's names. */
  from_pcap = g_string_new (NULL);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], " ", -1);
      guint64 bits = g_ascii_strtoull (f[0], NULL, 16);
      static const struct { guint bit; const char *name; } names[] = {
        { 0x02, "SYN" }, { 0x01, "FIN" }, { 0x04, "RST" }, { 0x08, "PSH" }, { 0x10, "ACK" },
      };
      GString *flags = g_string_new (NULL);

      ck_assert_uint_eq (g_strv_length (f), 4);
      for (guint n = 0; n < G_N_ELEMENTS (names); n++)
        if (bits & names[n].bit)
          g_string_append_printf (flags, "%s%s", flags->len > 0 ? "," : "", names[n].name);
      /* Without the ACK flag the trace's ack field is 0 and tshark shows none. */
      g_string_append_printf (from_pcap, "%s %s %s %s\n", flags->str, f[1],
                              (bits & 0x10) ? f[2] : "0", f[3]);
      g_string_free (flags, TRUE);
    }
  ck_assert_uint_gt (from_trace->len, 0);
  ck_assert_str_eq (from_pcap->str, from_trace->str);
  g_string_free (from_trace, TRUE);
  g_string_free (from_pcap, TRUE);
  g_unlink (pcap);
  g_rmdir (dir);
}
END_TEST

Suite *
cli_suite (void)
{
  Suite *suite = suite_create ("cli");
  TCase *tc = tcase_create ("check");

  tcase_add_test (tc, test_check_good_lesson_exits_0);
  tcase_add_test (tc, test_check_failed_expectation_exits_1);
  tcase_add_test (tc, test_check_parse_error_exits_2);
  tcase_add_test (tc, test_usage_errors_exit_2);
  tcase_add_test (tc, test_help_on_every_subcommand);
  suite_add_tcase (suite, tc);
  tc = tcase_create ("run");
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_run_json_trace);
  tcase_add_test (tc, test_run_ladder_fits_80_columns);
  tcase_add_test (tc, test_run_ladder_shows_relative_numbers);
  tcase_add_test (tc, test_run_ladder_tells_the_story);
  tcase_add_test (tc, test_run_until_stops_early);
  tcase_add_test (tc, test_pcap_replaced_only_with_force);
  suite_add_tcase (suite, tc);
  tc = tcase_create ("zh_CN");
  tcase_set_tags (tc, "zh_CN");
  tcase_add_test (tc, test_check_tells_mistakes_in_chinese);
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_file_and_budget_errors_in_chinese);
  suite_add_tcase (suite, tc);
  tc = tcase_create ("tshark");
  tcase_set_tags (tc, "tshark");
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_pcap_matches_trace);
  suite_add_tcase (suite, tc);
  return suite;
}
