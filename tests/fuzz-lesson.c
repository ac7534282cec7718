/* fuzz-lesson.c: one input, the whole path a lesson file takes: parse, and if
 * it parses, simulate (within a bounded number of events) and check its
 * expectations.  Built as a libFuzzer target with -Dfuzzing=true (clang), and
 * linked into test-fuzz-regressions, which replays every input that ever
 * crashed (tests/fuzz/inputs/) in the normal build. */
#include <stdint.h>

#include "tl-check.h"
#include "tl-lesson.h"
#include "tl-sim.h"

/* A fuzzed lesson may ask for a flood of ten million SYNs; the fuzzer wants
 * many executions a second, so each run stops after this many events. */
#define FUZZ_MAX_EVENTS 20000

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(TlScenario) scenario = NULL;
  g_autoptr(TlSim) sim = NULL;
  g_autoptr(TlTrace) trace = NULL;
  g_autoptr(GArray) results = NULL;
  GString *text;

  scenario = tl_lesson_parse ((const char *) data, size, "fuzz.lesson", &problems, &error);
  if (scenario == NULL)
    {
      /* Every failure must come with its problems, each with a place. */
      g_assert (error != NULL);
      g_assert (problems != NULL && problems->len > 0);
      for (guint i = 0; i < problems->len; i++)
        {
          const TlLessonProblem *p = g_ptr_array_index (problems, i);

          g_assert (p->line >= 1 && p->column >= 1);
          g_assert (g_utf8_validate (p->message, -1, NULL));
        }
      return 0;
    }

  /* What the GUI's "Save as lesson" writes must parse again. */
  {
    g_autofree char *written = tl_scenario_to_lesson (scenario);
    g_autoptr(TlScenario) again = tl_lesson_parse (written, -1, "written.lesson", NULL, NULL);

    g_assert (again != NULL);
    g_assert_cmpuint (again->stmts->len, ==, scenario->stmts->len);
  }

  sim = tl_sim_new (scenario);
  tl_sim_set_max_events (sim, FUZZ_MAX_EVENTS);
  tl_sim_run (sim);
  trace = tl_sim_steal_trace (sim);
  results = tl_check_expectations (scenario, trace);
  g_assert (results != NULL);

  text = g_string_new (NULL);
  tl_trace_write_text (trace, text);
  g_string_free (text, TRUE);
  return 0;
}
