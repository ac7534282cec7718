/* test-cli-render.c: `tcplab-cli render` as a user runs it: the pictures it
 * writes (type, size), every bad option refused with exit 2 and a message
 * that names it, and --lang switching both the drawn labels and the lesson's
 * narration and pause questions. */
#include <check.h>
#include <string.h>

#include <cairo.h>

#include "tl-test-cli.h"
#include "tl-test-files.h"

#define LESSON_START \
  "title \"Handshake\"\n" \
  "host client 10.0.0.1\n" \
  "host server 10.0.0.2\n" \
  "link delay 100ms\n" \
  "0ms     server listen 80\n" \
  "0ms     say \"The server waits in LISTEN.\"\n" \
  "0ms     say.zh_CN \"服务器在 LISTEN 状态等待。\"\n" \
  "100ms   client connect server:80\n"
/* It ends at 2 s: --at beyond is refused. */
#define LESSON LESSON_START "2s      end\n"

static char *dir;
static char *lesson;

static void
setup (void)
{
  g_autoptr(GError) error = NULL;

  dir = g_dir_make_tmp ("tl-cli-render-XXXXXX", &error);
  ck_assert_msg (dir != NULL, "%s", error != NULL ? error->message : "");
  lesson = g_build_filename (dir, "handshake.lesson", NULL);
  ck_assert (g_file_set_contents (lesson, LESSON, -1, NULL));
}

static void
teardown (void)
{
  tl_test_remove_tree (dir);
  g_clear_pointer (&lesson, g_free);
  g_clear_pointer (&dir, g_free);
}

/* Runs tcplab-cli render with args (first, then args up to a NULL) in the C
 * locale, with TL_LOCALEDIR set to locale_dir if not NULL. */
#define run_cli(locale_dir, ...) tl_test_cli_run_in ("C", locale_dir, "render", __VA_ARGS__)

/* As run_cli, and asserts that it succeeds. */
static void
run_ok (const char *locale_dir,
        const char *first,
        ...)
{
  CliResult r;
  va_list args;

  va_start (args, first);
  r = tl_test_cli_run_in_va ("C", locale_dir, "render", first, args);
  va_end (args);
  ck_assert_msg (r.status == 0, "%s", r.err);
  cli_result_clear (&r);
}

static char *
out_path (const char *name)
{
  return g_build_filename (dir, name, NULL);
}

/* The number of rows in [from, to) that differ between two PNG files of one size. */
static guint
rows_differing (const char *a,
                const char *b,
                int         from,
                int         to)
{
  cairo_surface_t *sa = cairo_image_surface_create_from_png (a);
  cairo_surface_t *sb = cairo_image_surface_create_from_png (b);
  int w = cairo_image_surface_get_width (sa), h = cairo_image_surface_get_height (sa);
  guint n = 0;

  ck_assert_int_eq (cairo_surface_status (sa), CAIRO_STATUS_SUCCESS);
  ck_assert_int_eq (cairo_surface_status (sb), CAIRO_STATUS_SUCCESS);
  ck_assert_int_eq (w, cairo_image_surface_get_width (sb));
  ck_assert_int_eq (h, cairo_image_surface_get_height (sb));
  for (int y = MAX (from, 0); y < MIN (to, h); y++)
    n += memcmp (cairo_image_surface_get_data (sa) + y * cairo_image_surface_get_stride (sa),
                 cairo_image_surface_get_data (sb) + y * cairo_image_surface_get_stride (sb),
                 (gsize) w * 4) != 0;
  cairo_surface_destroy (sa);
  cairo_surface_destroy (sb);
  return n;
}

START_TEST (test_png_of_the_default_size)
{
  g_autofree char *png = out_path ("all.png");
  CliResult r = run_cli (NULL, lesson, "--at", "250ms", "--out", png, NULL);
  cairo_surface_t *surface;

  ck_assert_msg (r.status == 0, "%s", r.err);
  ck_assert_str_eq (r.err, "");
  ck_assert (tl_test_file_starts_with (png, "\x89PNG\r\n"));
  surface = cairo_image_surface_create_from_png (png);
  ck_assert_int_eq (cairo_image_surface_get_width (surface), 1920);
  ck_assert_int_eq (cairo_image_surface_get_height (surface), 1080);
  cairo_surface_destroy (surface);
  cli_result_clear (&r);
}
END_TEST

START_TEST (test_every_view_and_type_with_a_size)
{
  static const char *const views[] = { "diagram", "ladder", "timers", "sockets", "all" };

  for (guint v = 0; v < G_N_ELEMENTS (views); v++)
    {
      g_autofree char *png_name = g_strdup_printf ("%s.png", views[v]);
      g_autofree char *png = out_path (png_name);
      g_autofree char *svg = out_path ("view.svg");
      g_autofree char *pdf = out_path ("view.pdf");
      CliResult r = run_cli (NULL, lesson, "--at", "1.5s", "--view", views[v], "--size",
                             "800x450", "--dark", "--out", png, NULL);
      cairo_surface_t *surface;

      ck_assert_msg (r.status == 0, "%s: %s", views[v], r.err);
      surface = cairo_image_surface_create_from_png (png);
      ck_assert_int_eq (cairo_image_surface_get_width (surface), 800);
      ck_assert_int_eq (cairo_image_surface_get_height (surface), 450);
      cairo_surface_destroy (surface);
      cli_result_clear (&r);

      run_ok (NULL, lesson, "--at", "1.5s", "--view", views[v], "--out", svg, "--force", NULL);
      ck_assert (tl_test_file_starts_with (svg, "<?xml"));
      run_ok (NULL, lesson, "--at", "1.5s", "--view", views[v], "--out", pdf, "--force", NULL);
      ck_assert (tl_test_file_starts_with (pdf, "%PDF-"));
    }
}
END_TEST

/* Each mistake: exit 2, a message naming the option and the value, no file. */
static void
assert_refused (const char *expected,
                const char *first,
                ...)
{
  g_autofree char *png = out_path ("refused.png");
  va_list args;
  CliResult r;

  va_start (args, first);
  r = tl_test_cli_run_in_va ("C", NULL, "render", first, args);
  va_end (args);
  ck_assert_int_eq (r.status, 2);
  ck_assert_msg (strstr (r.err, expected) != NULL, "expected '%s' in: %s", expected, r.err);
  ck_assert (!g_file_test (png, G_FILE_TEST_EXISTS));
  cli_result_clear (&r);
}

START_TEST (test_bad_options_exit_2_and_name_the_mistake)
{
  g_autofree char *png = out_path ("refused.png");
  g_autofree char *jpg = out_path ("refused.jpg");
  g_autofree char *missing = out_path ("missing.lesson");

  assert_refused ("--view must be diagram, ladder, timers, sockets or all, not 'ladders'",
                  lesson, "--at", "1s", "--view", "ladders", "--out", png, NULL);
  assert_refused ("--at needs a time such as 250ms or 1.5s, not '2'",
                  lesson, "--at", "2", "--out", png, NULL);
  assert_refused ("--at needs a time such as 250ms or 1.5s, not '-1s'",
                  lesson, "--at", "-1s", "--out", png, NULL);
  assert_refused ("--at is missing", lesson, "--out", png, NULL);
  assert_refused ("--out is missing", lesson, "--at", "1s", NULL);
  assert_refused ("--size needs WIDTHxHEIGHT", lesson, "--at", "1s", "--size", "1920",
                  "--out", png, NULL);
  assert_refused ("not '0x1080'", lesson, "--at", "1s", "--size", "0x1080", "--out", png, NULL);
  assert_refused ("--lang must be one of en, zh_CN, not 'zh CN'",
                  lesson, "--at", "1s", "--lang", "zh CN", "--out", png, NULL);
  assert_refused ("--lang must be one of en, zh_CN, not 'xx'",
                  lesson, "--at", "1s", "--lang", "xx", "--out", png, NULL);
  assert_refused ("--at 99s is after the end of the lesson",
                  lesson, "--at", "99s", "--out", png, NULL);
  assert_refused ("no lesson file given", "--at", "1s", "--out", png, NULL);
  assert_refused ("missing.lesson", missing, "--at", "1s", "--out", png, NULL);
  assert_refused ("unknown image type", lesson, "--at", "1s", "--out", jpg, NULL);
  ck_assert (!g_file_test (jpg, G_FILE_TEST_EXISTS));
}
END_TEST

START_TEST (test_lesson_mistakes_are_listed_with_their_place)
{
  g_autofree char *broken = g_build_filename (TL_TEST_DATA_DIR, "broken.lesson", NULL);
  g_autofree char *png = out_path ("broken.png");
  g_autofree char *place = g_strdup_printf ("%s:5:", broken);
  CliResult r = run_cli (NULL, broken, "--at", "1s", "--out", png, NULL);

  ck_assert_int_eq (r.status, 2);
  ck_assert_msg (strstr (r.err, place) != NULL, "%s", r.err);
  ck_assert (!g_file_test (png, G_FILE_TEST_EXISTS));
  cli_result_clear (&r);
}
END_TEST

START_TEST (test_an_existing_picture_needs_force)
{
  g_autofree char *png = out_path ("kept.png");
  g_autofree char *contents = NULL;
  CliResult r;

  ck_assert (g_file_set_contents (png, "mine", -1, NULL));
  r = run_cli (NULL, lesson, "--at", "1s", "--out", png, NULL);
  ck_assert_int_eq (r.status, 2);
  ck_assert (strstr (r.err, "exists; add --force to replace it") != NULL);
  ck_assert (g_file_get_contents (png, &contents, NULL, NULL));
  ck_assert_str_eq (contents, "mine");
  cli_result_clear (&r);

  run_ok (NULL, lesson, "--at", "1s", "--out", png, "--force", NULL);
  ck_assert (tl_test_file_starts_with (png, "\x89PNG"));
}
END_TEST

/* A catalogue of one string, made for the test: the drawn labels follow it. */
START_TEST (test_lang_switches_labels_and_narration)
{
  g_autofree char *locale_dir = out_path ("locale");
  g_autofree char *lc = g_build_filename (locale_dir, "zh_CN", "LC_MESSAGES", NULL);
  g_autofree char *po = out_path ("zh_CN.po");
  g_autofree char *mo = g_build_filename (lc, "tcplab.mo", NULL);
  g_autofree char *en = out_path ("en.png");
  g_autofree char *zh = out_path ("zh.png");
  g_autofree char *en_timers = out_path ("en-timers.png");
  g_autofree char *zh_timers = out_path ("zh-timers.png");
  const char *msgfmt[] = { "msgfmt", "-o", mo, po, NULL };
  g_autoptr(GError) error = NULL;
  int wait_status;

  ck_assert_int_eq (g_mkdir_with_parents (lc, 0755), 0);
  ck_assert (g_file_set_contents (po,
    "msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n\n"
    "msgid \"no timer running\"\nmsgstr \"没有运行中的计时器\"\n", -1, NULL));
  ck_assert_msg (g_spawn_sync (NULL, (char **) msgfmt, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, NULL, &wait_status, &error), "msgfmt: %s",
                 error != NULL ? error->message : "");
  ck_assert (g_file_test (mo, G_FILE_TEST_EXISTS));

  /* At 50 ms no timer runs: the timers view says so, in the language asked for. */
  run_ok (locale_dir, lesson, "--at", "50ms", "--view", "timers", "--out", en_timers, NULL);
  run_ok (locale_dir, lesson, "--at", "50ms", "--view", "timers", "--lang", "zh_CN",
          "--out", zh_timers, NULL);
  ck_assert_uint_gt (rows_differing (en_timers, zh_timers, 0, 1080), 5);

  /* Without TL_LOCALEDIR the build tree's catalogue is found: the labels
   * above the narration band are Chinese too, and the lesson's zh_CN text
   * is in the band at the bottom of the "all" view. */
  run_ok (NULL, lesson, "--at", "50ms", "--out", en, NULL);
  run_ok (NULL, lesson, "--at", "50ms", "--lang", "zh_CN", "--out", zh, NULL);
  ck_assert_uint_gt (rows_differing (en, zh, 0, 960), 10);
  ck_assert_uint_gt (rows_differing (en, zh, 960, 1080), 10);
}
END_TEST

/* The question of a pause at the time drawn is in the narration band, in
 * the language asked for (pause.LOCALE), else untranslated. */
START_TEST (test_band_shows_the_pause_question_in_the_language)
{
  g_autofree char *plain = out_path ("plain.lesson");
  g_autofree char *paused = out_path ("paused.lesson");
  g_autofree char *translated = out_path ("translated.lesson");
  g_autofree char *plain_png = out_path ("plain.png");
  g_autofree char *paused_png = out_path ("paused.png");
  g_autofree char *translated_png = out_path ("translated.png");
  g_autofree char *translated_en_png = out_path ("translated-en.png");

  ck_assert (g_file_set_contents (plain, LESSON, -1, NULL));
  ck_assert (g_file_set_contents (paused, LESSON_START "100ms pause \"Who answers?\"\n" "2s end\n", -1, NULL));
  ck_assert (g_file_set_contents (translated, LESSON_START "100ms pause \"Who answers?\"\n"
                                  "100ms pause.zh_CN \"谁来回答？\"\n" "2s end\n", -1, NULL));
  run_ok (NULL, plain, "--at", "100ms", "--lang", "zh_CN", "--out", plain_png, NULL);
  run_ok (NULL, paused, "--at", "100ms", "--lang", "zh_CN", "--out", paused_png, NULL);
  run_ok (NULL, translated, "--at", "100ms", "--lang", "zh_CN", "--out", translated_png,
          NULL);
  run_ok (NULL, translated, "--at", "100ms", "--out", translated_en_png, NULL);

  /* The question takes a line of the band; the translation changes that line. */
  ck_assert_uint_gt (rows_differing (plain_png, paused_png, 900, 1080), 10);
  ck_assert_uint_gt (rows_differing (paused_png, translated_png, 1000, 1080), 10);
  ck_assert_uint_eq (rows_differing (paused_png, translated_png, 0, 900), 0);
  /* Without --lang the untranslated question, as a lesson with no translation. */
  run_ok (NULL, paused, "--at", "100ms", "--force", "--out", paused_png, NULL);
  ck_assert_uint_eq (rows_differing (paused_png, translated_en_png, 0, 1080), 0);
}
END_TEST

/* --from and --to draw the ladder over that range: the handshake (100 to
 * 400 ms) fills a picture of 0 to 500 ms and is gone from one of 1 to 2 s;
 * a range backwards, half given or past the lesson's end is refused. */
START_TEST (test_ladder_over_a_range)
{
  g_autofree char *early = out_path ("early.png");
  g_autofree char *late = out_path ("late.png");
  g_autofree char *late_again = out_path ("late-again.png");
  g_autofree char *at = out_path ("at.png");
  g_autofree char *png = out_path ("refused.png");

  run_ok (NULL, lesson, "--from", "0ms", "--to", "500ms", "--out", early, NULL);
  run_ok (NULL, lesson, "--from", "1s", "--to", "2s", "--out", late, NULL);
  run_ok (NULL, lesson, "--from", "1s", "--to", "2s", "--view", "ladder", "--out", late_again,
          NULL);
  run_ok (NULL, lesson, "--at", "2s", "--view", "ladder", "--out", at, NULL);
  ck_assert_uint_gt (rows_differing (early, late, 0, 1080), 100);
  ck_assert_uint_eq (rows_differing (late, late_again, 0, 1080), 0);
  ck_assert_uint_gt (rows_differing (late, at, 0, 1080), 100);

  assert_refused ("--from 2s must be before --to 1s",
                  lesson, "--from", "2s", "--to", "1s", "--out", png, NULL);
  assert_refused ("--from 1s must be before --to 1s",
                  lesson, "--from", "1s", "--to", "1s", "--out", png, NULL);
  assert_refused ("--to 3s is after the end of the lesson, at 2.000 s",
                  lesson, "--from", "1s", "--to", "3s", "--out", png, NULL);
  assert_refused ("--from and --to go together", lesson, "--from", "1s", "--out", png, NULL);
  assert_refused ("--from and --to go together", lesson, "--to", "1s", "--out", png, NULL);
  assert_refused ("--view must be ladder, not 'diagram'",
                  lesson, "--from", "0s", "--to", "1s", "--view", "diagram", "--out", png, NULL);
  assert_refused ("--at and --from/--to do not go together",
                  lesson, "--at", "1s", "--from", "0s", "--to", "1s", "--out", png, NULL);
  assert_refused ("--to needs a time such as 250ms or 1.5s, not 'soon'",
                  lesson, "--from", "0s", "--to", "soon", "--out", png, NULL);
}
END_TEST

Suite *
cli_render_suite (void)
{
  Suite *s = suite_create ("cli-render");
  TCase *tc = tcase_create ("render");

  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_png_of_the_default_size);
  tcase_add_test (tc, test_every_view_and_type_with_a_size);
  tcase_add_test (tc, test_bad_options_exit_2_and_name_the_mistake);
  tcase_add_test (tc, test_lesson_mistakes_are_listed_with_their_place);
  tcase_add_test (tc, test_an_existing_picture_needs_force);
  tcase_add_test (tc, test_lang_switches_labels_and_narration);
  tcase_add_test (tc, test_band_shows_the_pause_question_in_the_language);
  tcase_add_test (tc, test_ladder_over_a_range);
  suite_add_tcase (s, tc);
  return s;
}
