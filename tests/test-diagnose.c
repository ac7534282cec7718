/* test-diagnose.c: socket tables read and diagnosed.  The real tables of
 * tests/socktables/ (made on Linux in namespaces by make-tables) give exactly
 * their expected findings in all five formats, through the API and through
 * tcplab-cli diagnose in text, JSON and Chinese; the parser names the place of
 * every kind of garbage; each threshold holds at its edge. */
#include "tl-config.h"

#include <check.h>
#include <string.h>
#include <sys/wait.h>
#include <glib/gstdio.h>

#include "tl-diagnose.h"
#include "tl-test-cli.h"

static const char * const formats[] = {
  "ss-tan", "ss-tanp", "ss-tanpo", "netstat-nat", "netstat-natp",
};


/* tcplab-cli diagnose ARGS in the C locale (sh -c, so that stdin may be
 * redirected: the command line is quoted word by word). */
static CliResult
run_diagnose (const char *stdin_path,
              const char *first,
              ...)
{
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "LC_ALL", "C", TRUE);
  g_autoptr(GString) cmd = g_string_new ("exec ");
  g_autoptr(GError) error = NULL;
  g_autofree char *cli = g_shell_quote (TL_CLI_PATH);
  const char *argv[] = { "/bin/sh", "-c", NULL, NULL };
  CliResult r = { 0 };
  int wait_status;
  va_list args;

  envp = g_environ_unsetenv (envp, "LANGUAGE");
  envp = g_environ_setenv (envp, "TL_LOCALEDIR", TL_BUILD_LOCALEDIR, TRUE);
  g_string_append_printf (cmd, "%s diagnose", cli);
  va_start (args, first);
  for (const char *a = first; a != NULL; a = va_arg (args, const char *))
    {
      g_autofree char *q = g_shell_quote (a);

      g_string_append_printf (cmd, " %s", q);
    }
  va_end (args);
  if (stdin_path != NULL)
    {
      g_autofree char *q = g_shell_quote (stdin_path);

      g_string_append_printf (cmd, " < %s", q);
    }
  argv[2] = cmd->str;
  if (!g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL,
                     &r.out, &r.err, &wait_status, &error))
    ck_abort_msg ("cannot run %s: %s", TL_CLI_PATH, error->message);
  ck_assert (WIFEXITED (wait_status));
  r.status = WEXITSTATUS (wait_status);
  return r;
}

static char *
table_path (const char *scenario,
            const char *format)
{
  g_autofree char *name = g_strdup_printf ("%s.txt", format);

  return g_build_filename (TL_SOCKTABLES_DIR, scenario, name, NULL);
}

/* The scenarios: every folder of tests/socktables with an expected file. */
static GPtrArray *
scenarios (void)
{
  g_autoptr(GDir) dir = g_dir_open (TL_SOCKTABLES_DIR, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  ck_assert (dir != NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *expected = g_build_filename (TL_SOCKTABLES_DIR, name, "expected", NULL);

      if (g_file_test (expected, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (names, g_strdup (name));
    }
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  return names;
}

static char *
expected_of (const char *scenario)
{
  g_autofree char *path = g_build_filename (TL_SOCKTABLES_DIR, scenario, "expected", NULL);
  char *text = NULL;

  ck_assert (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

/* "syn-flood 9502\n" for each finding, in order. */
static char *
findings_of (const TlDiagnosis *d)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < d->findings->len; i++)
    {
      const TlFinding *f = g_ptr_array_index (d->findings, i);

      g_string_append_printf (out, "%s %u\n", tl_finding_name (f->id), f->port);
    }
  return g_string_free (out, FALSE);
}

static TlDiagnosis *
diagnose_text (const char    *text,
               TlSockTable  **table_out)
{
  g_autoptr(GError) error = NULL;
  TlSockTable *table = tl_socktable_parse (text, -1, NULL, &error);

  ck_assert_msg (table != NULL, "%s", error != NULL ? error->message : "");
  *table_out = table;
  return tl_diagnose (table);
}

START_TEST (test_real_tables_give_exactly_their_findings)
{
  g_autoptr(GPtrArray) names = scenarios ();
  guint healthy = 0;

  ck_assert_uint_ge (names->len, 9);
  for (guint i = 0; i < names->len; i++)
    {
      const char *scenario = g_ptr_array_index (names, i);
      g_autofree char *expected = expected_of (scenario);

      healthy += expected[0] == '\0';
      for (guint k = 0; k < G_N_ELEMENTS (formats); k++)
        {
          g_autofree char *path = table_path (scenario, formats[k]);
          g_autoptr(GError) error = NULL;
          g_autoptr(TlSockTable) table = tl_socktable_parse_file (path, NULL, &error);
          g_autoptr(TlDiagnosis) d = NULL;
          g_autofree char *found = NULL;

          ck_assert_msg (table != NULL, "%s: %s", path, error != NULL ? error->message : "");
          ck_assert_int_eq (table->format, g_str_has_prefix (formats[k], "ss")
                                           ? TL_SOCK_FORMAT_SS : TL_SOCK_FORMAT_NETSTAT);
          ck_assert_uint_gt (table->entries->len, 0);
          /* Only ss -o shows timers (and only if some socket has one). */
          ck_assert (!table->has_timers || strcmp (formats[k], "ss-tanpo") == 0);
          ck_assert (!table->has_processes || g_str_has_suffix (formats[k], "p")
                     || g_str_has_suffix (formats[k], "po"));
          d = tl_diagnose (table);
          found = findings_of (d);
          ck_assert_msg (strcmp (found, expected) == 0, "%s: found\n%s\nexpected\n%s",
                         path, found, expected);
        }
    }
  ck_assert_uint_ge (healthy, 2);
}
END_TEST

/* The ids of the "[id] title" lines of a text report, as "id\n" lines. */
static char *
text_ids (const char *out)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  GString *ids = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] == '[')
      {
        const char *end = strchr (lines[i], ']');

        ck_assert (end != NULL);
        g_string_append_len (ids, lines[i] + 1, end - lines[i] - 1);
        g_string_append_c (ids, '\n');
      }
  return g_string_free (ids, FALSE);
}

/* "id port" lines of a JSON report, from its findings array. */
static char *
json_ids (const char *out)
{
  g_autoptr(GRegex) re = g_regex_new ("\\{\"id\": \"([a-z0-9-]+)\", \"title\": \"[^\"]*\", "
                                      "\"port\": ([0-9]+),", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  GString *ids = g_string_new (NULL);

  g_regex_match (re, out, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *id = g_match_info_fetch (match, 1);
      g_autofree char *port = g_match_info_fetch (match, 2);

      g_string_append_printf (ids, "%s %s\n", id, port);
      g_match_info_next (match, NULL);
    }
  return g_string_free (ids, FALSE);
}

static char *
only_ids (const char *expected)
{
  g_auto(GStrv) lines = g_strsplit (expected, "\n", -1);
  GString *ids = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      {
        g_auto(GStrv) words = g_strsplit (lines[i], " ", 2);

        g_string_append_printf (ids, "%s\n", words[0]);
      }
  return g_string_free (ids, FALSE);
}

START_TEST (test_cli_text_json_and_chinese_on_real_tables)
{
  g_autoptr(GPtrArray) names = scenarios ();

  for (guint i = 0; i < names->len; i++)
    {
      const char *scenario = g_ptr_array_index (names, i);
      g_autofree char *expected = expected_of (scenario);
      g_autofree char *ids = only_ids (expected);
      int status = expected[0] == '\0' ? 0 : 1;

      for (guint k = 0; k < G_N_ELEMENTS (formats); k++)
        {
          g_autofree char *path = table_path (scenario, formats[k]);
          CliResult text = run_diagnose (NULL, path, NULL);
          CliResult json = run_diagnose (NULL, path, "--json", NULL);
          CliResult zh = run_diagnose (NULL, path, "--lang", "zh_CN", NULL);
          CliResult zh_json = run_diagnose (NULL, path, "--json", "--lang=zh_CN", NULL);
          g_autofree char *text_found = text_ids (text.out);
          g_autofree char *json_found = json_ids (json.out);
          g_autofree char *zh_found = text_ids (zh.out);
          g_autofree char *zh_json_found = json_ids (zh_json.out);

          ck_assert_msg (text.status == status, "%s: exit %d: %s", path, text.status, text.err);
          ck_assert_int_eq (json.status, status);
          ck_assert_int_eq (zh.status, status);
          ck_assert_str_eq (text.err, "");
          ck_assert_str_eq (text_found, ids);
          ck_assert_str_eq (zh_found, ids);
          ck_assert_msg (strcmp (json_found, expected) == 0, "%s: JSON findings\n%s", path, json.out);
          ck_assert_str_eq (zh_json_found, expected);
          ck_assert (g_str_has_prefix (json.out, "{\n  \"source\": "));
          ck_assert (g_str_has_suffix (json.out, "}\n"));
          if (status == 0)
            {
              ck_assert (strstr (json.out, "\"findings\": []") != NULL);
              ck_assert (strstr (text.out, "No trouble found.") != NULL);
              ck_assert (strstr (zh.out, "未发现问题。") != NULL);
            }
          else
            {
              ck_assert (strstr (text.out, "  what to do: ") != NULL);
              ck_assert (strstr (json.out, "\"lesson\": \"") != NULL);
              ck_assert (strstr (json.out, "\"evidence\": \"") != NULL);
              ck_assert (strstr (json.out, "\"advice\": \"") != NULL);
              ck_assert_msg (strstr (zh.out, "  怎么办：") != NULL, "%s", zh.out);
              ck_assert (strstr (zh.out, "what to do") == NULL);
              ck_assert (strstr (zh_json.out, "\"advice\": \"") != NULL);
            }
          cli_result_clear (&text);
          cli_result_clear (&json);
          cli_result_clear (&zh);
          cli_result_clear (&zh_json);
        }
    }
}
END_TEST

START_TEST (test_headers_may_be_missing_and_stdin_reads)
{
  g_autofree char *path = table_path ("syn-flood", "netstat-natp");
  g_autofree char *text = NULL;
  g_autoptr(TlSockTable) with = NULL;
  g_autoptr(TlSockTable) without = NULL;
  g_autoptr(TlDiagnosis) d = NULL;
  const char *body;
  CliResult r;

  ck_assert (g_file_get_contents (path, &text, NULL, NULL));
  body = strstr (text, "\ntcp");
  ck_assert (body != NULL);
  d = diagnose_text (text, &with);
  tl_diagnosis_free (d);
  d = diagnose_text (body + 1, &without);
  ck_assert_uint_eq (with->entries->len, without->entries->len);
  ck_assert_uint_eq (d->counts[TL_STATE_SYN_RCVD], 129);

  r = run_diagnose (path, "-", NULL);
  ck_assert_int_eq (r.status, 1);
  ck_assert (g_str_has_prefix (r.out, "Socket table: standard input (netstat), 135 sockets\n"));
  ck_assert (strstr (r.out, "[syn-flood] SYN flood: port 9502\n") != NULL);
  cli_result_clear (&r);
}
END_TEST

START_TEST (test_addresses_timers_and_processes_read_as_ss_and_netstat_write_them)
{
  const char *text =
    "\xEF\xBB\xBFState Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\r\n"
    "ESTAB 0 155 [::ffff:192.0.2.2]:9502 [2001:db8::1]:53018 users:((\"Web Content\",pid=42,fd=6)) timer:(on,1.880ms,4)\r\n"
    "LISTEN 0 4096 *:80 *:* users:((\"nginx\",pid=7,fd=3),(\"nginx\",pid=8,fd=3))\n"
    "TIME-WAIT 0 0 192.0.2.1:47888 192.0.2.2:7000 timer:(timewait,1min37sec,0)\n"
    "SYN-RECV 0 0 192.0.2.2:9502 198.18.0.1:1234 timer:(on,,0)\n"
    "SYN-RECV 0 0 [fe80::1]%eth0:22 [fe80::2]%eth0:40000 timer:(keepalive,119min,2) ino:0 sk:3c <->\n"
    "tcp   FIN-WAIT-2 0 0 10.1.2.3%lo:5 10.1.2.4:6\n"
    "udp   UNCONN 0 0 0.0.0.0:53 0.0.0.0:*\n"
    "tcp6       0      0 :::22                   :::*                    LISTEN      715/sshd: /usr/sbin\n"
    "tcp        1      0 192.0.2.2:7000          192.0.2.1:48426         CLOSE_WAIT  -\n"
    "tcp        0      0 10.0.0.2:9502           10.0.0.9:1234           SYN_RCVD\n"
    "Active UNIX domain sockets (servers and established)\n"
    "Proto RefCnt Flags       Type       State         I-Node   Path\n"
    "unix  2      [ ACC ]     STREAM     LISTENING     20473    /run/systemd/private\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(TlSockTable) table = tl_socktable_parse (text, -1, NULL, &error);
  const TlSockEntry *e;

  ck_assert_msg (table != NULL, "%s", error != NULL ? error->message : "");
  ck_assert_uint_eq (table->entries->len, 9);
  ck_assert_int_eq (table->format, TL_SOCK_FORMAT_SS);
  ck_assert (table->has_timers && table->has_processes);

  e = &g_array_index (table->entries, TlSockEntry, 0);
  ck_assert_int_eq (e->state, TL_STATE_ESTABLISHED);
  ck_assert_uint_eq (e->send_q, 155);
  ck_assert_str_eq (e->local.addr, "192.0.2.2");
  ck_assert_uint_eq (e->local.port, 9502);
  ck_assert_str_eq (e->peer.addr, "2001:db8::1");
  ck_assert_str_eq (e->process, "Web Content");
  ck_assert_uint_eq (e->pid, 42);
  ck_assert_int_eq (e->timer, TL_SOCK_TIMER_ON);
  ck_assert_uint_eq (e->timer_ms, 1880);
  ck_assert_uint_eq (e->retrans, 4);
  ck_assert_uint_eq (e->line, 2);

  e = &g_array_index (table->entries, TlSockEntry, 1);
  ck_assert_str_eq (e->local.addr, "*");
  ck_assert_uint_eq (e->peer.port, 0);
  ck_assert_str_eq (e->process, "nginx");
  e = &g_array_index (table->entries, TlSockEntry, 2);
  ck_assert_uint_eq (e->timer_ms, 97000);
  e = &g_array_index (table->entries, TlSockEntry, 3);
  ck_assert_int_eq (e->timer, TL_SOCK_TIMER_ON);
  ck_assert_uint_eq (e->timer_ms, 0);
  e = &g_array_index (table->entries, TlSockEntry, 4);
  ck_assert_int_eq (e->state, TL_STATE_SYN_RCVD);
  ck_assert_str_eq (e->local.addr, "fe80::1");
  ck_assert_uint_eq (e->local.port, 22);
  ck_assert_uint_eq (e->timer_ms, 119 * 60000);
  ck_assert_int_eq (e->timer, TL_SOCK_TIMER_KEEPALIVE);
  e = &g_array_index (table->entries, TlSockEntry, 5);
  ck_assert_int_eq (e->state, TL_STATE_FIN_WAIT_2);
  ck_assert_str_eq (e->local.addr, "10.1.2.3");
  e = &g_array_index (table->entries, TlSockEntry, 6);
  ck_assert_str_eq (e->local.addr, "::");
  ck_assert_uint_eq (e->local.port, 22);
  ck_assert_str_eq (e->process, "sshd: /usr/sbin");
  ck_assert_uint_eq (e->pid, 715);
  e = &g_array_index (table->entries, TlSockEntry, 7);
  ck_assert_int_eq (e->state, TL_STATE_CLOSE_WAIT);
  ck_assert_uint_eq (e->recv_q, 1);
  ck_assert (e->process == NULL);
  e = &g_array_index (table->entries, TlSockEntry, 8);
  ck_assert_int_eq (e->state, TL_STATE_SYN_RCVD);
  ck_assert_uint_eq (e->line, 11);
}
END_TEST

typedef struct
{
  const char *text;
  const char *message;   /* the CLI's first line, after "FILE:" */
} Garbage;

static const Garbage garbage[] = {
  { "State Recv-Q\nESTAB 0 zero 1.2.3.4:5 6.7.8.9:10\n",
    "2:9: error: 'zero' is not a queue length (Recv-Q and Send-Q are whole numbers)" },
  { "hello world\n", "1:1: error: 'hello' does not start a socket line of ss -tan (a state "
    "such as ESTAB) or of netstat -nat (tcp or tcp6)" },
  { "tcp 0 0 1.2.3.4:5 6.7.8.9:10 ESTABLISHD\n", "1:30: error: unknown state 'ESTABLISHD' "
    "(expected LISTEN, ESTAB, SYN-SENT, SYN-RECV, FIN-WAIT-1, FIN-WAIT-2, CLOSE-WAIT, CLOSING, "
    "LAST-ACK, TIME-WAIT or netstat's names)" },
  { "ESTAB 0 0 1.2.3.4 6.7.8.9:10\n", "1:11: error: '1.2.3.4' is not an ADDRESS:PORT" },
  { "ESTAB 0 0 1.2.3.4:70000 6.7.8.9:10\n", "1:11: error: '1.2.3.4:70000' is not an ADDRESS:PORT" },
  { "ESTAB 0 0 host.example:80 6.7.8.9:10\n", "1:11: error: 'host.example:80' is not an ADDRESS:PORT" },
  { "ESTAB 0 0 1.2.3.4:5\n", "1:20: error: the line ends before its Peer Address:Port column" },
  { "tcp 0 0 1.2.3.4:5 6.7.8.9:10\n", "1:29: error: the line ends before its State column" },
  { "ESTAB 0 0 1.2.3.4:5 6.7.8.9:10 oops\n", "1:32: error: unexpected 'oops' after the addresses" },
  { "ESTAB 0 0 1.2.3.4:5 6.7.8.9:10 timer:(on,soon,0)\n",
    "1:32: error: 'timer:(on,soon,0)' is not a timer as ss -o writes it, such as timer:(on,200ms,0)" },
  { "tcp 0 0 1.2.3.4:5 6.7.8.9:10 ESTABLISHED nginx\n",
    "1:42: error: 'nginx' is not a process as ss -p writes it (users:((\"name\",pid=1,fd=3))) "
    "or netstat -p (1234/name)" },
  { "LISTEN 0 1 *:1 *:*\nLIS\001TEN\n", "2:1: error: 'LIS?TEN' does not start a socket line "
    "of ss -tan (a state such as ESTAB) or of netstat -nat (tcp or tcp6)" },
  { "  \n\n", "1:1: error: the file is empty: save the output of ss -tan or netstat -nat in it" },
  { "LISTEN 0 1 *:1 *:*\nESTAB \xff\n", "2:7: error: this is not a text file (a NUL byte or "
    "invalid UTF-8 here): give the saved output of ss -tan or netstat -nat" },
};

START_TEST (test_garbage_is_named_with_its_place)
{
  g_autofree char *dir = g_dir_make_tmp ("test-diagnose-XXXXXX", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (garbage); i++)
    {
      g_autofree char *path = g_build_filename (dir, "table.txt", NULL);
      g_autofree char *expected = g_strdup_printf ("%s:%s\n", path, garbage[i].message);
      g_autoptr(GPtrArray) problems = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(TlSockTable) table = tl_socktable_parse (garbage[i].text, -1, &problems, &error);
      CliResult r;

      ck_assert_msg (table == NULL, "garbage %u parsed", i);
      ck_assert (g_error_matches (error, TL_SOCKTABLE_ERROR, TL_SOCKTABLE_ERROR_SYNTAX));
      ck_assert (problems != NULL && problems->len == 1);
      ck_assert (g_file_set_contents (path, garbage[i].text, -1, NULL));
      r = run_diagnose (NULL, path, NULL);
      ck_assert_int_eq (r.status, 2);
      ck_assert_str_eq (r.out, "");
      ck_assert_str_eq (r.err, expected);
      cli_result_clear (&r);
      g_unlink (path);
    }
  g_rmdir (dir);
}
END_TEST

START_TEST (test_nul_long_lines_and_many_problems_are_bounded)
{
  g_autoptr(GString) text = g_string_new ("LISTEN 0 1 *:1 *:*\nESTAB 0 0");
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(TlSockTable) table = NULL;
  const TlSockProblem *p;

  g_string_append_len (text, "\0x", 2);
  table = tl_socktable_parse (text->str, text->len, &problems, NULL);
  ck_assert (table == NULL);
  p = g_ptr_array_index (problems, 0);
  ck_assert_int_eq (p->code, TL_SOCK_PROBLEM_NOT_TEXT);
  ck_assert_uint_eq (p->line, 2);
  ck_assert_uint_eq (p->column, 10);
  g_clear_pointer (&problems, g_ptr_array_unref);

  g_string_assign (text, "ESTAB 0 0 1.2.3.4:5 6.7.8.9:10 ");
  for (guint i = 0; i < TL_SOCKTABLE_MAX_LINE; i++)
    g_string_append_c (text, 'x');
  g_string_append (text, "\n");
  for (guint i = 0; i < 1000; i++)
    g_string_append (text, "garbage\n");
  table = tl_socktable_parse (text->str, text->len, &problems, NULL);
  ck_assert (table == NULL);
  ck_assert_uint_eq (problems->len, TL_SOCKTABLE_MAX_PROBLEMS);
  p = g_ptr_array_index (problems, 0);
  ck_assert_int_eq (p->code, TL_SOCK_PROBLEM_LINE_TOO_LONG);
  p = g_ptr_array_index (problems, 1);
  ck_assert_int_eq (p->code, TL_SOCK_PROBLEM_NOT_A_SOCKET);
  ck_assert_uint_eq (p->line, 2);
}
END_TEST

START_TEST (test_files_that_are_not_tables)
{
  CliResult r = run_diagnose (NULL, "/nonexistent/table.txt", NULL);

  ck_assert_int_eq (r.status, 2);
  ck_assert_str_eq (r.err, "/nonexistent/table.txt: error: No such file or directory\n");
  cli_result_clear (&r);
  r = run_diagnose (NULL, TL_SOCKTABLES_DIR, NULL);
  ck_assert_int_eq (r.status, 2);
  ck_assert (g_str_has_suffix (r.err, ": error: not a regular file: give a saved socket table\n"));
  cli_result_clear (&r);
  r = run_diagnose (NULL, "--lang", "zh CN", "-", NULL);
  ck_assert_int_eq (r.status, 2);
  cli_result_clear (&r);
}
END_TEST

/* n sockets in state at one service, plus a listener and filler. */
static char *
table_with (const char *state,
            guint       n,
            const char *local,
            const char *extra)
{
  GString *out = g_string_new ("LISTEN 0 128 0.0.0.0:80 0.0.0.0:*\n");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (out, "%s 0 0 %s 192.0.2.%u:%u%s\n", state, local, 1 + i % 200,
                            10000 + i, extra);
  for (guint i = 0; i < 50; i++)
    g_string_append_printf (out, "ESTAB 0 0 192.0.2.254:80 198.51.100.%u:%u\n", 1 + i, 20000 + i);
  return g_string_free (out, FALSE);
}

/* Below its threshold no finding, at it one: the thresholds of tl-diagnose.h. */
START_TEST (test_each_threshold_holds_at_its_edge)
{
  static const struct
  {
    const char *state;
    const char *local;
    const char *extra;
    guint       threshold;
    const char *finding;
  } cases[] = {
    { "SYN-RECV", "192.0.2.254:80", "", TL_DIAG_SYN_FLOOD_MIN, "syn-flood 80\n" },
    { "CLOSE-WAIT", "192.0.2.254:80", "", TL_DIAG_CLOSE_WAIT_MIN, "close-wait-leak 80\n" },
    { "TIME-WAIT", "192.0.2.254:80", "", TL_DIAG_TIME_WAIT_MIN, "time-wait-pileup 80\n" },
    { "FIN-WAIT-2", "192.0.2.254:80", "", TL_DIAG_FIN_WAIT_2_MIN, "fin-wait-2-stuck 80\n" },
    { "ESTAB", "192.0.2.254:80", " timer:(on,1sec,3)", TL_DIAG_HALF_OPEN_MIN, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (guint below = 0; below <= 1; below++)
      {
        g_autofree char *text = table_with (cases[i].state, cases[i].threshold - below,
                                            cases[i].local, cases[i].extra);
        g_autoptr(TlSockTable) table = NULL;
        g_autoptr(TlDiagnosis) d = diagnose_text (text, &table);
        g_autofree char *found = findings_of (d);

        if (cases[i].finding == NULL)   /* half-open: spread over 200 peers, none reaches 3 */
          ck_assert_str_eq (found, "");
        else
          ck_assert_str_eq (found, below ? "" : cases[i].finding);
      }
}
END_TEST

START_TEST (test_half_open_syn_sent_and_accept_queue_edges)
{
  const char *dead = "ESTAB 0 10 192.0.2.254:80 192.0.2.9:1 timer:(on,1sec,3)\n"
                     "ESTAB 0 10 192.0.2.254:80 192.0.2.9:2 timer:(on,1sec,3)\n"
                     "ESTAB 0 0 192.0.2.254:80 192.0.2.9:3 timer:(keepalive,1sec,2)\n"
                     "ESTAB 0 10 192.0.2.254:80 192.0.2.9:4 timer:(on,1sec,2)\n";
  const char *alive = "ESTAB 0 10 192.0.2.254:80 192.0.2.9:1 timer:(on,1sec,3)\n"
                      "ESTAB 0 10 192.0.2.254:80 192.0.2.9:2 timer:(on,1sec,2)\n"
                      "ESTAB 0 0 192.0.2.254:80 192.0.2.9:3 timer:(keepalive,1sec,1)\n";
  const char *syn_sent = "SYN-SENT 0 1 192.0.2.1:1 198.51.100.7:443\n"
                         "SYN-SENT 0 1 192.0.2.1:2 198.51.100.7:443\n"
                         "SYN-SENT 0 1 192.0.2.1:3 198.51.100.8:443\n"
                         "SYN-SENT 0 1 192.0.2.1:4 198.51.100.7:22\n";
  const char *full = "LISTEN 17 16 0.0.0.0:8080 0.0.0.0:*\n";
  const char *nearly = "LISTEN 15 16 0.0.0.0:8080 0.0.0.0:*\n";
  const char *netstat_long = "tcp 8 0 0.0.0.0:8080 0.0.0.0:* LISTEN\n";
  const char *netstat_short = "tcp 7 0 0.0.0.0:8080 0.0.0.0:* LISTEN\n";
  const struct
  {
    const char *text;
    const char *found;
  } cases[] = {
    { dead, "half-open-suspect 80\n" }, { alive, "" },
    { syn_sent, "syn-sent-stuck 0\n" }, { full, "accept-queue-full 8080\n" }, { nearly, "" },
    { netstat_long, "accept-queue-full 8080\n" }, { netstat_short, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TlSockTable) table = NULL;
      g_autoptr(TlDiagnosis) d = diagnose_text (cases[i].text, &table);
      g_autofree char *found = findings_of (d);

      ck_assert_msg (strcmp (found, cases[i].found) == 0, "case %u: %s", i, found);
    }
}
END_TEST

Suite *
diagnose_suite (void)
{
  Suite *s = suite_create ("diagnose");
  TCase *tc = tcase_create ("core");

  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_real_tables_give_exactly_their_findings);
  tcase_add_test (tc, test_cli_text_json_and_chinese_on_real_tables);
  tcase_add_test (tc, test_headers_may_be_missing_and_stdin_reads);
  tcase_add_test (tc, test_addresses_timers_and_processes_read_as_ss_and_netstat_write_them);
  tcase_add_test (tc, test_garbage_is_named_with_its_place);
  tcase_add_test (tc, test_nul_long_lines_and_many_problems_are_bounded);
  tcase_add_test (tc, test_files_that_are_not_tables);
  tcase_add_test (tc, test_each_threshold_holds_at_its_edge);
  tcase_add_test (tc, test_half_open_syn_sent_and_accept_queue_edges);
  suite_add_tcase (s, tc);
  return s;
}
