/* tl-test-main.c: the main() shared by every Check test program.  Each test
 * file defines one suite getter; meson passes its name as TL_TEST_SUITE.
 *
 *   test-NAME [--needs=PROGRAM[,PROGRAM...]]
 *
 * With --needs, the program exits 77 (meson's SKIP) when one of those
 * programs is not in PATH, instead of passing without having tested
 * anything.  Check cannot skip a single test, so tests/meson.build runs the
 * test cases that need a program (tagged with its name) as a test of their
 * own, and the rest without them (CK_INCLUDE_TAGS, CK_EXCLUDE_TAGS). */
#include <stdlib.h>
#include <check.h>

#include "tl-test-needs.h"

Suite *TL_TEST_SUITE (void);

int
main (int    argc,
      char **argv)
{
  SRunner *runner;
  int failed;

  tl_test_needs (&argc, argv);
  runner = srunner_create (TL_TEST_SUITE ());
  srunner_run_all (runner, CK_NORMAL);
  failed = srunner_ntests_failed (runner);
  srunner_free (runner);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
