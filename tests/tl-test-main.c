/* tl-test-main.c: the main() shared by every Check test program.  Each test
 * file defines one suite getter; meson passes its name as TL_TEST_SUITE. */
#include <stdlib.h>
#include <check.h>

Suite *TL_TEST_SUITE (void);

int
main (void)
{
  SRunner *runner = srunner_create (TL_TEST_SUITE ());
  int failed;

  srunner_run_all (runner, CK_NORMAL);
  failed = srunner_ntests_failed (runner);
  srunner_free (runner);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
