/* test-cli-explain.c: `tcplab-cli explain` as a user runs it: all eleven
 * states with every part of their explanation, in English and, with the
 * build's catalogue, in Simplified Chinese; one state by any name ss or
 * netstat give it; mistakes refused with exit 2. */
#include <check.h>
#include <string.h>
#include <sys/wait.h>

#include <glib.h>

#include "tl-test-cli.h"

static const char *const state_names[] = {
  "CLOSED", "LISTEN", "SYN_SENT", "SYN_RCVD", "ESTABLISHED", "FIN_WAIT_1",
  "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT",
};

static const char *const en_headings[] = {
  "What it means", "Who passes through it", "How a connection gets here", "How it leaves",
  "How long it lasts", "Many of them on a real server", "Lessons that show it",
};

static const char *const zh_headings[] = {
  "含义", "谁会经过这个状态", "怎样进入", "怎样离开", "持续多久", "真实服务器上出现很多时",
  "演示它的课程",
};


/* tcplab-cli explain ARGS... (NULL-terminated) in the C locale, with the
 * build's translations. */
#define run_explain(...) tl_test_cli_run_in ("C", TL_BUILD_PO_DIR, "explain", __VA_ARGS__)

static guint
count (const char *haystack,
       const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

/* Each state is a line of its own, in order, followed by the seven headings. */
static void
assert_all_states (const char               *out,
                   const char *const        *headings)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", 0);
  guint state = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    if (state < G_N_ELEMENTS (state_names) && strcmp (lines[i], state_names[state]) == 0)
      {
        guint h = 0;

        for (guint j = i + 1; lines[j] != NULL && h < G_N_ELEMENTS (en_headings); j++)
          if (strcmp (lines[j], "") == 0)
            break;
          else if (g_str_has_prefix (lines[j], "  ") && !g_str_has_prefix (lines[j], "   ")
                   && strcmp (lines[j] + 2, headings[h]) == 0)
            h++;
        ck_assert_msg (h == G_N_ELEMENTS (en_headings), "%s has %u of the headings",
                       state_names[state], h);
        state++;
      }
  ck_assert_uint_eq (state, G_N_ELEMENTS (state_names));
}

START_TEST (test_all_eleven_states_in_english)
{
  CliResult r = run_explain (NULL);
  g_autoptr(GRegex) space = g_regex_new ("\\s+", 0, 0, NULL);
  g_autofree char *flat = NULL;

  ck_assert_msg (r.status == 0, "%s", r.err);
  assert_all_states (r.out, en_headings);
  flat = g_regex_replace_literal (space, r.out, -1, 0, " ", 0, NULL);
  /* The troubles a server shows, and the commands that find them. */
  ck_assert (strstr (flat, "SYN cookies") != NULL);
  ck_assert (strstr (flat, "ss -tanp state close-wait") != NULL);
  ck_assert (strstr (flat, "lsof -i") != NULL);
  ck_assert (strstr (flat, "are not a leak") != NULL);
  ck_assert (strstr (flat, "keepalive") != NULL);
  ck_assert (strstr (flat, "lessons/close-wait-leak.lesson") != NULL);
  /* No line wider than 78 columns. */
  {
    g_auto(GStrv) lines = g_strsplit (r.out, "\n", 0);

    for (guint i = 0; lines[i] != NULL; i++)
      ck_assert_msg (g_utf8_strlen (lines[i], -1) <= 78, "too wide: %s", lines[i]);
  }
  cli_result_clear (&r);
}
END_TEST

START_TEST (test_all_eleven_states_in_chinese)
{
  CliResult r = run_explain ("--lang", "zh_CN", NULL);
  g_auto(GStrv) lines = NULL;
  guint paragraphs = 0;

  ck_assert_msg (r.status == 0, "%s", r.err);
  assert_all_states (r.out, zh_headings);
  for (guint h = 0; h < G_N_ELEMENTS (en_headings); h++)
    ck_assert_uint_eq (count (r.out, en_headings[h]), 0);
  /* Every paragraph under a heading other than the lessons' is translated:
   * its first line has a Chinese character. */
  lines = g_strsplit (r.out, "\n", 0);
  for (guint i = 1; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i - 1], "  ") && !g_str_has_prefix (lines[i - 1], "   ")
        && strcmp (lines[i - 1] + 2, "演示它的课程") != 0
        && g_str_has_prefix (lines[i], "    "))
      {
        gboolean cjk = FALSE;

        for (const char *p = lines[i]; *p != '\0'; p = g_utf8_next_char (p))
          cjk |= g_unichar_iswide (g_utf8_get_char (p));
        ck_assert_msg (cjk, "untranslated: %s", lines[i]);
        paragraphs++;
      }
  ck_assert_uint_eq (paragraphs, 6 * G_N_ELEMENTS (state_names));
  cli_result_clear (&r);
}
END_TEST

START_TEST (test_one_state_by_the_names_ss_prints)
{
  CliResult a = run_explain ("SYN_RCVD", NULL);
  CliResult b = run_explain ("syn-recv", NULL);

  ck_assert_int_eq (a.status, 0);
  ck_assert_int_eq (b.status, 0);
  ck_assert_str_eq (a.out, b.out);
  ck_assert (g_str_has_prefix (a.out, "SYN_RCVD\n"));
  ck_assert_uint_eq (count (a.out, "What it means"), 1);
  /* Its edges: in from LISTEN and SYN_SENT, out to ESTABLISHED. */
  ck_assert (strstr (a.out, "LISTEN -> SYN_RCVD") != NULL);
  ck_assert (strstr (a.out, "SYN_SENT -> SYN_RCVD") != NULL);
  ck_assert (strstr (a.out, "SYN_RCVD -> ESTABLISHED") != NULL);
  cli_result_clear (&a);
  cli_result_clear (&b);
}
END_TEST

START_TEST (test_mistakes_exit_2)
{
  CliResult unknown = run_explain ("TIME_WIAT", NULL);
  CliResult two = run_explain ("LISTEN", "CLOSED", NULL);
  CliResult lang = run_explain ("--lang", "zh CN", NULL);

  ck_assert_int_eq (unknown.status, 2);
  ck_assert (strstr (unknown.err, "TIME_WIAT") != NULL);
  ck_assert_int_eq (two.status, 2);
  ck_assert_int_eq (lang.status, 2);
  ck_assert (strstr (lang.err, "zh CN") != NULL);
  cli_result_clear (&unknown);
  cli_result_clear (&two);
  cli_result_clear (&lang);
}
END_TEST

Suite *
cli_explain_suite (void)
{
  Suite *s = suite_create ("cli-explain");
  TCase *tc = tcase_create ("core");

  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_all_eleven_states_in_english);
  tcase_add_test (tc, test_all_eleven_states_in_chinese);
  tcase_add_test (tc, test_one_state_by_the_names_ss_prints);
  tcase_add_test (tc, test_mistakes_exit_2);
  suite_add_tcase (s, tc);
  return s;
}
