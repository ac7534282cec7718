/* test-trace-compare.c: where two runs of a lesson part, and what caused a
 * state change (core/tl-trace-compare.c). */
#include <check.h>
#include <string.h>

#include "tl-lesson.h"
#include "tl-sim.h"
#include "tl-test-util.h"
#include "tl-trace-compare.h"
#include "tl-trace-diff.h"

/* A close over a 100 ms link: the client's FIN at 500 ms arrives at 600 ms. */
static const char close_lesson[] =
  "host client 10.0.0.1\n"
  "host server 10.0.0.2\n"
  "link delay 100ms\n"
  "0ms     server listen 80\n"
  "100ms   client connect server:80\n"
  "500ms   client close\n"
  "1000ms  server close\n";

/* The same with the client's FIN dropped by `drop next` armed at 300 ms. */
static const char dropped_lesson[] =
  "host client 10.0.0.1\n"
  "host server 10.0.0.2\n"
  "link delay 100ms\n"
  "0ms     server listen 80\n"
  "100ms   client connect server:80\n"
  "300ms   drop next client->server FIN,ACK\n"
  "500ms   client close\n"
  "1000ms  server close\n";

/* The record index of the first state change on host to state, or G_MAXUINT. */
static guint
find_state (const TlTrace *trace,
            guint          host,
            TlState        state)
{
  for (guint i = 0; i < tl_trace_n_records (trace); i++)
    {
      const TlRecord *rec = tl_trace_record (trace, i);

      if (rec->kind == TL_REC_STATE && rec->host == host && rec->u.state.to == state)
        return i;
    }
  return G_MAXUINT;
}

static guint
find_segment (const TlTrace *trace,
              guint          host,
              guint8         flags)
{
  for (guint i = 0; i < tl_trace_n_records (trace); i++)
    {
      const TlRecord *rec = tl_trace_record (trace, i);

      if (rec->kind == TL_REC_SEGMENT && rec->host == host && rec->u.seg.flags == flags)
        return i;
    }
  return G_MAXUINT;
}

START_TEST (test_same_lesson_runs_tell_the_same_story)
{
  g_autoptr(TlTrace) a = tl_test_simulate_text (close_lesson);
  g_autoptr(TlTrace) b = tl_test_simulate_text (close_lesson);
  guint ia, ib;

  ck_assert (!tl_trace_first_difference (a, b, &ia, &ib));
  ck_assert_uint_eq (ia, tl_trace_n_records (a));
  ck_assert_uint_eq (ib, tl_trace_n_records (b));
}
END_TEST

/* `drop next` armed at 300 ms writes a link record there (passed over: it
 * is the change, not its effect); the stories part at the FIN it drops. */
START_TEST (test_runs_part_at_the_dropped_fin)
{
  g_autoptr(TlTrace) a = tl_test_simulate_text (close_lesson);
  g_autoptr(TlTrace) b = tl_test_simulate_text (dropped_lesson);
  const TlRecord *ra, *rb;
  guint ia, ib;

  ck_assert (tl_trace_first_difference (a, b, &ia, &ib));
  ra = tl_trace_record (a, ia);
  rb = tl_trace_record (b, ib);
  ck_assert_int_eq (ra->kind, TL_REC_SEGMENT);
  ck_assert_int_eq (rb->kind, TL_REC_SEGMENT);
  ck_assert_int_eq (ra->time_us, 500000);
  ck_assert_uint_eq (ra->u.seg.flags, TL_FLAG_FIN | TL_FLAG_ACK);
  ck_assert_int_eq (ra->u.seg.fate, TL_FATE_DELIVERED);
  ck_assert_int_eq (rb->u.seg.fate, TL_FATE_LOST_SCRIPTED);
  /* everything before is the same, record for record (but the link's) */
  ck_assert_uint_eq (ib, ia + 1);
  ck_assert (tl_trace_records_same (a, tl_trace_record (a, ia - 1), b,
                                    tl_trace_record (b, ib - 1)));
}
END_TEST

/* One walk (tl-trace-diff.c) serves the what-if and the real kernel: exact,
 * it parts where the tolerant diff sees the drop, on the same two records;
 * and a link 1 ms slower parts the exact walk at the first segment (its
 * delay) while the tolerant one (5 ms) sees no difference at all. */
START_TEST (test_exact_walk_is_the_diff_at_tolerance_zero)
{
  g_autoptr(TlTrace) a = tl_test_simulate_text (close_lesson);
  g_autoptr(TlTrace) b = tl_test_simulate_text (dropped_lesson);
  g_autofree char *slower_text = g_strdup (close_lesson);
  g_autoptr(TlTrace) slower = NULL;
  g_autoptr(GArray) diffs = tl_trace_diff (a, b, NULL);
  g_autoptr(GArray) none = NULL;
  const TlDiff *first;
  guint ia, ib;

  ck_assert (tl_trace_first_difference (a, b, &ia, &ib));
  ck_assert_uint_gt (diffs->len, 0);
  first = &g_array_index (diffs, TlDiff, 0);
  ck_assert_int_eq (first->kind, TL_DIFF_SEGMENT_FATE);
  ck_assert_int_eq (first->record_a, (gint) ia);
  ck_assert_int_eq (first->record_b, (gint) ib);

  memcpy (strstr (slower_text, "delay 100ms"), "delay 101ms", strlen ("delay 101ms"));
  slower = tl_test_simulate_text (slower_text);
  none = tl_trace_diff (a, slower, NULL);
  ck_assert_uint_eq (none->len, 0);
  ck_assert (tl_trace_first_difference (a, slower, &ia, &ib));
  ck_assert_int_eq (tl_trace_record (a, ia)->kind, TL_REC_SEGMENT);
  ck_assert_int_eq (tl_trace_record (a, ia)->time_us, 100000);
  ck_assert_int_eq (tl_trace_record (a, ia)->u.seg.delay_us + 1000,
                    tl_trace_record (slower, ib)->u.seg.delay_us);
}
END_TEST

/* The server's CLOSE_WAIT was caused by the client's FIN arriving; the
 * client's FIN_WAIT_1 by its close(); the FIN's popover names CLOSE_WAIT. */
START_TEST (test_state_changes_name_their_cause)
{
  g_autoptr(TlTrace) trace = tl_test_simulate_text (close_lesson);
  guint close_wait = find_state (trace, 1, TL_STATE_CLOSE_WAIT);
  guint fin_wait_1 = find_state (trace, 0, TL_STATE_FIN_WAIT_1);
  guint time_wait = find_state (trace, 0, TL_STATE_TIME_WAIT);
  guint fin = find_segment (trace, 0, TL_FLAG_FIN | TL_FLAG_ACK);
  guint syn = find_segment (trace, 0, TL_FLAG_SYN);
  guint cause;
  g_autoptr(GArray) effects = g_array_new (FALSE, FALSE, sizeof (guint));

  ck_assert_uint_ne (close_wait, G_MAXUINT);
  cause = tl_trace_state_cause (trace, close_wait);
  ck_assert_uint_ne (cause, G_MAXUINT);
  ck_assert_int_eq (tl_trace_record (trace, cause)->kind, TL_REC_ARRIVE);
  ck_assert_uint_eq (tl_trace_record (trace, cause)->u.seg.id,
                     tl_trace_record (trace, fin)->u.seg.id);

  cause = tl_trace_state_cause (trace, fin_wait_1);
  ck_assert_int_eq (tl_trace_record (trace, cause)->kind, TL_REC_APP);
  ck_assert_int_eq (tl_trace_record (trace, cause)->u.app.call, TL_CALL_CLOSE);

  /* TIME_WAIT's end: the timer that fired */
  {
    guint closed = G_MAXUINT;

    for (guint i = time_wait + 1; i < tl_trace_n_records (trace); i++)
      {
        const TlRecord *rec = tl_trace_record (trace, i);

        if (rec->kind == TL_REC_STATE && rec->host == 0 && rec->u.state.to == TL_STATE_CLOSED)
          closed = i;
      }
    ck_assert_uint_ne (closed, G_MAXUINT);
    cause = tl_trace_state_cause (trace, closed);
    ck_assert_int_eq (tl_trace_record (trace, cause)->kind, TL_REC_TIMER);
    ck_assert_int_eq (tl_trace_record (trace, cause)->u.timer.timer, TL_TIMER_TIME_WAIT);
  }

  tl_trace_segment_effects (trace, fin, effects);
  ck_assert_uint_eq (effects->len, 1);
  ck_assert_uint_eq (g_array_index (effects, guint, 0), close_wait);
  g_array_set_size (effects, 0);
  tl_trace_segment_effects (trace, syn, effects);
  ck_assert_uint_eq (effects->len, 1);
  ck_assert_int_eq (tl_trace_record (trace, g_array_index (effects, guint, 0))->u.state.to,
                    TL_STATE_SYN_RCVD);
}
END_TEST

Suite *
trace_compare_suite (void)
{
  Suite *s = suite_create ("trace-compare");
  TCase *tc = tcase_create ("trace-compare");

  tcase_add_test (tc, test_same_lesson_runs_tell_the_same_story);
  tcase_add_test (tc, test_runs_part_at_the_dropped_fin);
  tcase_add_test (tc, test_exact_walk_is_the_diff_at_tolerance_zero);
  tcase_add_test (tc, test_state_changes_name_their_cause);
  suite_add_tcase (s, tc);
  return s;
}
