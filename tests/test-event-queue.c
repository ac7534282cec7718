/* test-event-queue.c: the clock and the event queue: ordering, ties, cancellation. */
#include <check.h>

#include "tl-event-queue.h"

static gint64
pop_time (TlEventQueue *q, guint32 *arg)
{
  TlEvent ev;

  ck_assert (tl_event_queue_pop (q, &ev));
  if (arg != NULL)
    *arg = ev.arg;
  return ev.time_us;
}

START_TEST (test_pops_in_time_order)
{
  g_autoptr(TlEventQueue) q = tl_event_queue_new ();
  gint64 times[] = { 500, 20, 7000, 1, 300, 300, 999999, 0, 42 };
  gint64 last = -1;

  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    tl_event_queue_push (q, times[i], 0, i, NULL);
  ck_assert_uint_eq (tl_event_queue_length (q), G_N_ELEMENTS (times));

  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      gint64 t = pop_time (q, NULL);
      ck_assert_int_ge (t, last);
      ck_assert_int_eq (tl_event_queue_now (q), t);
      last = t;
    }
  ck_assert_int_eq (last, 999999);
  ck_assert_uint_eq (tl_event_queue_length (q), 0);
}
END_TEST

START_TEST (test_ties_run_in_insertion_order)
{
  g_autoptr(TlEventQueue) q = tl_event_queue_new ();
  guint32 arg;

  /* Interleave two times so that heap moves would scramble an unstable order. */
  for (guint i = 0; i < 100; i++)
    tl_event_queue_push (q, (i % 2) ? 10 : 5, 0, i, NULL);

  for (guint i = 0; i < 100; i += 2)
    {
      ck_assert_int_eq (pop_time (q, &arg), 5);
      ck_assert_uint_eq (arg, i);
    }
  for (guint i = 1; i < 100; i += 2)
    {
      ck_assert_int_eq (pop_time (q, &arg), 10);
      ck_assert_uint_eq (arg, i);
    }
}
END_TEST

START_TEST (test_events_pushed_while_running_keep_order)
{
  g_autoptr(TlEventQueue) q = tl_event_queue_new ();
  guint32 arg;

  tl_event_queue_push (q, 10, 0, 1, NULL);
  tl_event_queue_push (q, 10, 0, 2, NULL);
  ck_assert_int_eq (pop_time (q, &arg), 10);
  ck_assert_uint_eq (arg, 1);
  /* An event scheduled "now" by a handler runs after those already due now. */
  tl_event_queue_push (q, 10, 0, 3, NULL);
  ck_assert_int_eq (pop_time (q, &arg), 10);
  ck_assert_uint_eq (arg, 2);
  ck_assert_int_eq (pop_time (q, &arg), 10);
  ck_assert_uint_eq (arg, 3);
}
END_TEST

START_TEST (test_cancel_removes_only_that_event)
{
  g_autoptr(TlEventQueue) q = tl_event_queue_new ();
  TlEventId ids[10];
  guint32 arg;

  for (guint i = 0; i < 10; i++)
    ids[i] = tl_event_queue_push (q, 100 * (i + 1), 0, i, NULL);

  ck_assert (tl_event_queue_cancel (q, ids[0]));
  ck_assert (tl_event_queue_cancel (q, ids[5]));
  ck_assert (tl_event_queue_cancel (q, ids[9]));
  ck_assert (!tl_event_queue_cancel (q, ids[5]));
  ck_assert (!tl_event_queue_is_pending (q, ids[5]));
  ck_assert (tl_event_queue_is_pending (q, ids[4]));
  ck_assert_uint_eq (tl_event_queue_length (q), 7);

  for (guint i = 1; i < 9; i++)
    {
      if (i == 5)
        continue;
      ck_assert_int_eq (pop_time (q, &arg), 100 * (i + 1));
      ck_assert_uint_eq (arg, i);
    }
  ck_assert (!tl_event_queue_pop (q, &(TlEvent) { 0 }));
}
END_TEST

START_TEST (test_stale_id_does_not_cancel_reused_slot)
{
  g_autoptr(TlEventQueue) q = tl_event_queue_new ();
  TlEventId old_id, new_id;
  guint32 arg;

  old_id = tl_event_queue_push (q, 5, 0, 1, NULL);
  ck_assert_int_eq (pop_time (q, &arg), 5);
  ck_assert (!tl_event_queue_is_pending (q, old_id));

  new_id = tl_event_queue_push (q, 6, 0, 2, NULL);
  ck_assert (old_id != new_id);
  ck_assert (!tl_event_queue_cancel (q, old_id));
  ck_assert (tl_event_queue_is_pending (q, new_id));
  ck_assert (!tl_event_queue_cancel (q, 0));
  ck_assert_int_eq (pop_time (q, &arg), 6);
  ck_assert_uint_eq (arg, 2);
}
END_TEST

START_TEST (test_random_against_sorted_reference)
{
  g_autoptr(TlEventQueue) q = tl_event_queue_new ();
  GRand *rand = g_rand_new_with_seed (7);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (TlEventId));
  g_autofree gboolean *cancelled = g_new0 (gboolean, 5000);
  gint64 last_time = -1;
  guint32 last_arg = 0;
  guint popped = 0, n_cancelled = 0;
  TlEvent ev;

  for (guint i = 0; i < 5000; i++)
    {
      TlEventId id = tl_event_queue_push (q, g_rand_int_range (rand, 0, 300), 0, i, NULL);
      g_array_append_val (ids, id);
    }
  for (guint i = 0; i < 5000; i += 3)
    {
      ck_assert (tl_event_queue_cancel (q, g_array_index (ids, TlEventId, i)));
      cancelled[i] = TRUE;
      n_cancelled++;
    }

  while (tl_event_queue_pop (q, &ev))
    {
      ck_assert (!cancelled[ev.arg]);
      ck_assert_int_ge (ev.time_us, last_time);
      if (ev.time_us == last_time)
        ck_assert_uint_gt (ev.arg, last_arg);
      last_time = ev.time_us;
      last_arg = ev.arg;
      popped++;
    }
  ck_assert_uint_eq (popped + n_cancelled, 5000);
  g_rand_free (rand);
}
END_TEST

Suite *
event_queue_suite (void)
{
  Suite *s = suite_create ("event-queue");
  TCase *tc = tcase_create ("core");

  tcase_add_test (tc, test_pops_in_time_order);
  tcase_add_test (tc, test_ties_run_in_insertion_order);
  tcase_add_test (tc, test_events_pushed_while_running_keep_order);
  tcase_add_test (tc, test_cancel_removes_only_that_event);
  tcase_add_test (tc, test_stale_id_does_not_cancel_reused_slot);
  tcase_add_test (tc, test_random_against_sorted_reference);
  suite_add_tcase (s, tc);
  return s;
}
