/* test-trace-file.c: a trace saved as a file (the sidecar FILE.lesson.real)
 * and read back: every shipped lesson's trace writes, reads and writes the
 * same bytes and the same text trace; a changed lesson is told from the one
 * recorded; broken files get FILE:LINE:COLUMN, never a crash. */
#include <check.h>
#include <string.h>
#include <glib/gstdio.h>

#include "tl-lesson.h"
#include "tl-sim.h"
#include "tl-trace-file.h"

static TlTrace *
simulate_file (const char *path,
               char      **text)
{
  g_autoptr (GError) error = NULL;
  TlScenario *scenario;
  TlTrace *trace;
  gsize len;

  ck_assert_msg (g_file_get_contents (path, text, &len, &error), "%s", error ? error->message : "");
  scenario = tl_lesson_parse (*text, len, path, NULL, &error);
  ck_assert_msg (scenario != NULL, "%s", error != NULL ? error->message : "?");
  trace = tl_simulate (scenario);
  tl_scenario_free (scenario);
  return trace;
}

static char *
write_file (const TlTrace *trace,
            const char    *hash)
{
  GString *out = g_string_new (NULL);

  tl_trace_file_write (trace, hash, "test \"origin\"\n", out);
  return g_string_free (out, FALSE);
}

static char *
text_of (const TlTrace *trace,
         gboolean       json)
{
  GString *out = g_string_new (NULL);

  if (json)
    tl_trace_write_json (trace, out);
  else
    tl_trace_write_text (trace, out);
  return g_string_free (out, FALSE);
}

static GPtrArray *
shipped_lessons (void)
{
  g_autoptr (GDir) dir = g_dir_open (TL_LESSONS_DIR, 0, NULL);
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  ck_assert_ptr_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".lesson"))
      g_ptr_array_add (paths, g_build_filename (TL_LESSONS_DIR, name, NULL));
  ck_assert_uint_ge (paths->len, 20);
  return paths;
}

START_TEST (test_every_shipped_lesson_round_trips_byte_for_byte)
{
  g_autoptr (GPtrArray) paths = shipped_lessons ();

  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);
      g_autofree char *lesson = NULL;
      g_autoptr (TlTrace) trace = simulate_file (path, &lesson);
      g_autofree char *hash = tl_trace_file_lesson_hash (lesson, strlen (lesson));
      g_autofree char *first = write_file (trace, hash);
      g_autoptr (GError) error = NULL;
      TlTraceFileInfo info = { 0 };
      g_autoptr (TlTrace) back = tl_trace_file_read (first, strlen (first), "x.real", NULL,
                                                     &info, &error);
      g_autofree char *second = NULL;
      g_autofree char *text_a = NULL, *text_b = NULL, *json_a = NULL, *json_b = NULL;

      ck_assert_msg (back != NULL, "%s: %s", path, error != NULL ? error->message : "?");
      second = write_file (back, info.lesson_sha256);
      ck_assert_msg (strcmp (first, second) == 0, "%s: written again, not the same", path);
      ck_assert_str_eq (info.origin, "test \"origin\"\n");
      ck_assert (tl_trace_file_matches (&info, lesson, strlen (lesson)));

      /* What the views read is the same: every record, relative numbers,
       * narration, connection names, the world at the end. */
      text_a = text_of (trace, FALSE);
      text_b = text_of (back, FALSE);
      ck_assert_str_eq (text_a, text_b);
      json_a = text_of (trace, TRUE);
      json_b = text_of (back, TRUE);
      ck_assert_str_eq (json_a, json_b);
      ck_assert_int_eq (tl_trace_end_time (trace), tl_trace_end_time (back));
      ck_assert_str_eq (tl_trace_host_name (back, 1), tl_trace_host_name (trace, 1));
      for (guint32 c = 0; c < tl_trace_n_conns (trace); c++)
        ck_assert_int_eq (tl_trace_conn_state_at (trace, c, G_MAXINT64 / 2),
                          tl_trace_conn_state_at (back, c, G_MAXINT64 / 2));
      tl_trace_file_info_clear (&info);
    }
}
END_TEST

START_TEST (test_the_shipped_recordings_are_their_lessons_own)
{
  /* A lesson edited since its real run was recorded fails here: record it
   * again as root (tcplab-cli real FILE --save --force) or remove it. */
  g_autoptr (GDir) dir = g_dir_open (TL_LESSONS_DIR, 0, NULL);
  const char *name;
  guint n = 0;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *lesson_path = NULL;
      g_autofree char *lesson = NULL;
      g_autoptr (GError) error = NULL;
      g_autoptr (TlTrace) trace = NULL;
      TlTraceFileInfo info = { 0 };
      gsize len = 0;

      if (!g_str_has_suffix (name, ".lesson" TL_TRACE_FILE_SIDECAR_SUFFIX))
        continue;
      n++;
      path = g_build_filename (TL_LESSONS_DIR, name, NULL);
      lesson_path = g_strndup (path, strlen (path) - strlen (TL_TRACE_FILE_SIDECAR_SUFFIX));
      trace = tl_trace_file_load (path, NULL, &info, &error);
      ck_assert_msg (trace != NULL, "%s", error != NULL ? error->message : "?");
      ck_assert_msg (g_file_get_contents (lesson_path, &lesson, &len, NULL), "%s has no lesson", name);
      ck_assert_msg (tl_trace_file_matches (&info, lesson, len),
                     "%s is stale: its lesson changed since it was recorded", name);
      ck_assert (g_str_has_prefix (info.origin, "Linux "));
      tl_trace_file_info_clear (&info);
    }
  ck_assert_uint_ge (n, 1);
}
END_TEST

START_TEST (test_a_changed_lesson_makes_the_sidecar_stale)
{
  const char *lesson = "host a 10.0.0.1\nhost b 10.0.0.2\n0ms b listen 80\n";
  g_autofree char *hash = tl_trace_file_lesson_hash (lesson, strlen (lesson));
  TlTraceFileInfo info = { 0 };

  ck_assert_uint_eq (strlen (hash), 64);
  info.lesson_sha256 = g_strdup (hash);
  ck_assert (tl_trace_file_matches (&info, lesson, strlen (lesson)));
  /* One byte more (a space) is another lesson. */
  ck_assert (!tl_trace_file_matches (&info, "host a 10.0.0.1\nhost b 10.0.0.2\n0ms b listen 80 \n",
                                     strlen (lesson) + 1));
  tl_trace_file_info_clear (&info);
  /* SHA-256 of "abc" (FIPS 180-2). */
  g_free (hash);
  hash = tl_trace_file_lesson_hash ("abc", 3);
  ck_assert_str_eq (hash, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
END_TEST

START_TEST (test_save_is_atomic_and_never_over_a_file_unasked)
{
  g_autofree char *lesson = NULL;
  g_autoptr (TlTrace) trace = simulate_file (TL_LESSONS_DIR "/three-way-handshake.lesson", &lesson);
  g_autofree char *dir = g_dir_make_tmp ("tl-trace-file-XXXXXX", NULL);
  g_autofree char *lesson_path = g_build_filename (dir, "h.lesson", NULL);
  g_autofree char *path = tl_trace_file_sidecar_path (lesson_path);
  g_autofree char *hash = tl_trace_file_lesson_hash (lesson, strlen (lesson));
  g_autofree char *saved = NULL;
  g_autofree char *expected = write_file (trace, hash);
  g_autoptr (GError) error = NULL;
  g_autoptr (TlTrace) back = NULL;

  ck_assert (g_str_has_suffix (path, "/h.lesson.real"));
  ck_assert (g_file_set_contents (path, "keep me", -1, NULL));
  ck_assert (!tl_trace_file_save (path, trace, hash, "test \"origin\"\n", FALSE, &error));
  ck_assert (g_error_matches (error, TL_TRACE_FILE_ERROR, TL_TRACE_FILE_ERROR_EXISTS));
  ck_assert (g_file_get_contents (path, &saved, NULL, NULL));
  ck_assert_str_eq (saved, "keep me");
  g_clear_pointer (&saved, g_free);
  g_clear_error (&error);

  ck_assert (tl_trace_file_save (path, trace, hash, "test \"origin\"\n", TRUE, &error));
  ck_assert (g_file_get_contents (path, &saved, NULL, NULL));
  ck_assert_str_eq (saved, expected);
  back = tl_trace_file_load (path, NULL, NULL, &error);
  ck_assert_ptr_nonnull (back);
  ck_assert_uint_eq (tl_trace_n_records (back), tl_trace_n_records (trace));

  ck_assert_int_eq (g_unlink (path), 0);
  ck_assert_ptr_null (tl_trace_file_load (path, NULL, NULL, &error));
  ck_assert_int_eq (g_rmdir (dir), 0);
}
END_TEST

/* A small valid file, for the broken ones. */
static const char good[] =
  "tcplab-trace 1\n"
  "lesson 0000000000000000000000000000000000000000000000000000000000000000\n"
  "origin \"\"\n"
  "host \"client\" 10.0.0.1\n"
  "host \"server\" 10.0.0.2\n"
  "texts 1\n"
  "text zh_CN \"\xe4\xbd\xa0\xe5\xa5\xbd \\\"x\\\"\"\n"
  "conns 2\n"
  "conn 1 1 0 10.0.0.2 80 0.0.0.0 0 0 0 - 8 0\n"
  "conn 0 0 1 10.0.0.1 40000 10.0.0.2 80 1000 0 - 0 10000\n"
  "records 4\n"
  "0 say 0 - 0 0\n"
  "10000 state 0 1 2 0 2 1 0\n"
  "10000 segment 0 1 2 1 1000 0 50000 - 0 65535 1460 40000 80 SYN 0\n"
  "10000 end 0 - 0 0 0 0\n"
  "end\n";

START_TEST (test_the_small_file_reads)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TlTrace) trace = tl_trace_file_read (good, strlen (good), "g.real", NULL, NULL, &error);
  const char *locale;

  ck_assert_msg (trace != NULL, "%s", error != NULL ? error->message : "?");
  ck_assert_uint_eq (tl_trace_n_records (trace), 4);
  ck_assert_str_eq (tl_trace_text (trace, 0, &locale), "\xe4\xbd\xa0\xe5\xa5\xbd \"x\"");
  ck_assert_str_eq (locale, "zh_CN");
  ck_assert_uint_eq (tl_trace_record (trace, 2)->u.seg.flags, TL_FLAG_SYN);
  ck_assert_uint_eq (tl_trace_conn (trace, 1)->local_port, 40000);
  ck_assert_int_eq (tl_trace_conn_state_at (trace, 1, 20000), TL_STATE_SYN_SENT);
}
END_TEST

/* good with the first occurrence of from replaced by to. */
static char *
broken (const char *from,
        const char *to)
{
  const char *at = strstr (good, from);

  ck_assert_ptr_nonnull (at);
  return g_strdup_printf ("%.*s%s%s", (int) (at - good), good, to, at + strlen (from));
}

static void
assert_error (const char *text,
              const char *prefix,
              const char *words)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TlTrace) trace = tl_trace_file_read (text, strlen (text), "b.real", NULL, NULL, &error);

  ck_assert_ptr_null (trace);
  ck_assert_ptr_nonnull (error);
  ck_assert_msg (g_str_has_prefix (error->message, prefix), "'%s' is not at %s", error->message, prefix);
  ck_assert_msg (strstr (error->message, words) != NULL, "'%s' does not say %s", error->message, words);
}

START_TEST (test_broken_files_say_where)
{
  struct { const char *from, *to, *prefix, *words; } cases[] = {
    { "tcplab-trace 1", "tcplab-lesson 1", "b.real:1:1: ", "not a TCP Lab trace" },
    { "tcplab-trace 1", "tcplab-trace 7", "b.real:1:14: ", "'7'" },
    { "lesson 00", "lesson 0g", "b.real:2:8: ", "SHA-256" },
    { "host \"server\" 10.0.0.2", "host \"server\" 10.0.0.256", "b.real:5:15: ", "IPv4" },
    { "\\\"x", "\\qx", "b.real:7:16: ", "escape" },
    { "conns 2", "conns 3", "b.real:11:1: ", "'conn' was expected" },
    { "0 - 8 0", "0 5 8 0", "b.real:9:38: ", "parent" },
    { "10000 state 0 1 2 0 2 1 0", "10000 state 0 1 2 0 11 1 0", "b.real:13:21: ", "from 0 to 10" },
    { "10000 state 0 1", "10000 state 0 7", "b.real:13:15: ", "conn" },
    { "10000 segment", "9999 segment", "b.real:14:1: ", "backwards" },
    { "80 SYN 0", "80 SYN,XYZ 0", "b.real:14:60: ", "SYN,XYZ" },
    { "0 say 0 - 0 0", "0 shout 0 - 0 0", "b.real:12:3: ", "shout" },
    { "0 say 0 - 0 0", "0 say 0 - 0 1", "b.real:12:13: ", "text" },
    { "0 say 0 - 0 0", "0 say 0 - 0 0 0", "b.real:12:14: ", "end here" },
    { "0 say 0 - 0 0", "0 say 0 - 0 -1", "b.real:12:13: ", "-1" },
    { "0 say 0 - 0 0", "0 say 0 - 0 00", "b.real:12:13: ", "00" },
    { "10000 end 0 - 0 0 0 0", "10000 arrive 1 1 2 1 1000 5 50000 - 0 65535 1460 40000 80 SYN 0",
      "b.real:15:20: ", "differ from its first" },
    { "10000 segment 0 1 2 1 ", "10000 segment 0 1 2 4 ", "b.real:14:21: ", "from 0 to 3" },
    { "records 4", "records 5", "b.real:16:1: ", "says 5 records, but only 4" },
    { "end\n", "end\nmore\n", "b.real:17:1: ", "after the end" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = broken (cases[i].from, cases[i].to);

      assert_error (text, cases[i].prefix, cases[i].words);
    }
  /* The version error has its own code: a newer TCP Lab wrote it. */
  {
    g_autofree char *text = broken ("tcplab-trace 1", "tcplab-trace 2");
    g_autoptr (GError) error = NULL;

    ck_assert_ptr_null (tl_trace_file_read (text, strlen (text), "b.real", NULL, NULL, &error));
    ck_assert (g_error_matches (error, TL_TRACE_FILE_ERROR, TL_TRACE_FILE_ERROR_VERSION));
  }
  assert_error ("", "b.real:1:1: ", "ends early");
  assert_error ("tcplab-trace 1\n\xff\n", "b.real:2:1: ", "UTF-8");
  {
    g_autofree char *nul = g_strdup (good);
    g_autoptr (GError) error = NULL;

    nul[20] = '\0';
    ck_assert_ptr_null (tl_trace_file_read (nul, strlen (good), "b.real", NULL, NULL, &error));
    ck_assert (g_str_has_prefix (error->message, "b.real:2:"));
  }
}
END_TEST

static const char *
shout (const char *msgid)
{
  return strstr (msgid, "backwards") != NULL ? "TIME REVERSED" : msgid;
}

START_TEST (test_the_words_go_through_the_translation)
{
  g_autofree char *text = broken ("10000 segment", "9999 segment");

  g_autoptr (GError) error = NULL;
  ck_assert_ptr_null (tl_trace_file_read (text, strlen (text), "b.real", shout, NULL, &error));
  ck_assert_str_eq (error->message, "b.real:14:1: TIME REVERSED");
}
END_TEST

START_TEST (test_every_cut_and_every_byte_changed_is_refused_or_read)
{
  /* The file cut at every byte, and each byte replaced by characters the
   * format gives meaning to: an error with a place, or a trace, never a
   * crash (ASan/UBSan build) nor a trace that was cut short. */
  static const char replacements[] = { ' ', '-', '"', '\\', '\n', '0', '9', 'x', ',' };
  gsize len = strlen (good);

  for (gsize cut = 0; cut < len; cut++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (TlTrace) trace = tl_trace_file_read (good, cut, "b.real", NULL, NULL, &error);

      /* Only the last newline may go. */
      if (cut == len - 1)
        ck_assert_ptr_nonnull (trace);
      else
        {
          ck_assert_ptr_null (trace);
          ck_assert (g_str_has_prefix (error->message, "b.real:"));
        }
    }
  for (gsize at = 0; at < len; at++)
    for (guint k = 0; k < G_N_ELEMENTS (replacements); k++)
      {
        g_autofree char *text = g_strdup (good);
        g_autoptr (GError) error = NULL;
        g_autoptr (TlTrace) trace = NULL;

        text[at] = replacements[k];
        trace = tl_trace_file_read (text, len, "b.real", NULL, NULL, &error);
        if (trace == NULL)
          ck_assert (g_str_has_prefix (error->message, "b.real:"));
        else
          ck_assert_uint_eq (tl_trace_n_records (trace), 4);
      }
}
END_TEST

Suite *
trace_file_suite (void)
{
  Suite *s = suite_create ("trace-file");
  TCase *tc = tcase_create ("round trip");

  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_every_shipped_lesson_round_trips_byte_for_byte);
  tcase_add_test (tc, test_the_shipped_recordings_are_their_lessons_own);
  tcase_add_test (tc, test_a_changed_lesson_makes_the_sidecar_stale);
  tcase_add_test (tc, test_save_is_atomic_and_never_over_a_file_unasked);
  suite_add_tcase (s, tc);

  tc = tcase_create ("bad input");
  tcase_add_test (tc, test_the_small_file_reads);
  tcase_add_test (tc, test_broken_files_say_where);
  tcase_add_test (tc, test_the_words_go_through_the_translation);
  tcase_add_test (tc, test_every_cut_and_every_byte_changed_is_refused_or_read);
  suite_add_tcase (s, tc);
  return s;
}
