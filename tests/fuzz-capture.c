/* fuzz-capture.c: one input, the whole path a capture file takes: read as
 * pcap or pcapng (libpcap, from memory), and if it holds connections, both
 * ends' states inferred, the trace written as text, and the lesson made
 * from it read back.  Built as a libFuzzer target with -Dfuzzing=true
 * (clang); test-fuzz-regressions-capture replays tests/fuzz/capture-corpus
 * in the normal build. */
#include <stdint.h>

#include "tl-capture.h"
#include "tl-import.h"
#include "tl-lesson.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlImport) import = NULL;
  TlCapture *capture;
  GString *text;

  capture = tl_capture_read_bytes (data, size, &error);
  if (capture == NULL)
    {
      /* a refusal always says why, readably */
      g_assert (error != NULL && g_utf8_validate (error->message, -1, NULL));
      return 0;
    }
  import = tl_import_new (capture, NULL, &error);
  if (import == NULL)
    {
      g_assert (error != NULL && g_utf8_validate (error->message, -1, NULL));
      tl_capture_free (capture);
      return 0;
    }
  text = g_string_new (NULL);
  tl_trace_write_text (import->trace, text);
  g_string_free (text, TRUE);
  g_free (tl_import_describe (import));
  {
    g_autoptr(TlScenario) scenario = tl_import_to_scenario (import, "fuzz");
    g_autofree char *lesson = tl_scenario_to_lesson (scenario);
    g_autoptr(GError) parse_error = NULL;
    g_autoptr(TlScenario) again = tl_lesson_parse (lesson, -1, "import.lesson", NULL,
                                                   &parse_error);

    /* What import writes is read again.  A clock jump beyond a lesson's
     * hour, a connect to port 0, two hosts a lesson cannot tell apart and a
     * lost segment without flags (capture-corpus/) made lessons that did
     * not; the fuzzer may find more: the reader must refuse those cleanly,
     * each problem with its place. */
    if (again == NULL)
      g_assert (parse_error != NULL && g_utf8_validate (parse_error->message, -1, NULL));
  }
  tl_capture_free (capture);
  return 0;
}
