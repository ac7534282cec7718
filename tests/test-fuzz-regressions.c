/* test-fuzz-regressions.c: every input the fuzzer ever found a crash with,
 * and every input of the corpus kept from the fuzz runs, replayed through
 * the same path as the fuzz target (fuzz-lesson.c or fuzz-capture.c). */
#include <check.h>
#include <glib.h>
#include <stdint.h>

#include "tl-config.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

START_TEST (test_every_regression_input_runs)
{
  /* TL_FUZZ_DIRS: the folders of tests/fuzz to replay, ':' between them:
   * the inputs that once crashed, and the corpus the fuzz runs kept. */
  g_auto(GStrv) dirs = g_strsplit (TL_FUZZ_DIRS, ":", -1);
  guint n = 0;

  for (guint d = 0; dirs[d] != NULL; d++)
    {
      g_autofree char *dir_path = g_build_filename (TL_SOURCE_TESTS_DIR, "fuzz", dirs[d], NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(GDir) dir = g_dir_open (dir_path, 0, &error);
      const char *name;

      ck_assert_msg (dir != NULL, "%s", error ? error->message : "");
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (dir_path, name, NULL);
          g_autofree char *contents = NULL;
          gsize length;

          ck_assert (g_file_get_contents (path, &contents, &length, NULL));
          ck_assert_int_eq (LLVMFuzzerTestOneInput ((const uint8_t *) contents, length), 0);
          n++;
        }
    }
  ck_assert_uint_gt (n, 0);
}
END_TEST

Suite *
fuzz_regressions_suite (void)
{
  Suite *s = suite_create ("fuzz-regressions");
  TCase *tc = tcase_create ("core");

  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_every_regression_input_runs);
  suite_add_tcase (s, tc);
  return s;
}
