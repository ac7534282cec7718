/* test-wire.c: `lose` and `duplicate`, on segments already on the wire:
 * what the trace says of them, and what TCP does next. */
#include "tl-test-util.h"

#define FIN_ACK (TL_FLAG_FIN | TL_FLAG_ACK)

/* Handshake over by 70 ms; the client's FIN,ACK leaves at 200 ms and, with
 * the link's 20 ms, would arrive at 220 ms. */
static TlScenario *
closing_scenario (void)
{
  TlScenario *sc = tl_test_scenario ();

  tl_test_open (sc);
  tl_test_conn (sc, TL_MS (200), TL_STMT_CLOSE, TL_CLIENT, 0, 0);
  return sc;
}

/* The index of the record of kind with the segment id, from index `from`, or -1. */
static int
find_seg_record (const TlTrace *trace, TlRecordKind kind, guint32 id, guint from)
{
  for (guint i = from; i < tl_trace_n_records (trace); i++)
    {
      const TlRecord *r = tl_trace_record (trace, i);

      if (r->kind == kind && r->u.seg.id == id)
        return (int) i;
    }
  return -1;
}

static guint
count_arrivals (const TlTrace *trace, guint32 id)
{
  guint n = 0;

  for (guint i = 0; i < tl_trace_n_records (trace); i++)
    {
      const TlRecord *r = tl_trace_record (trace, i);

      n += r->kind == TL_REC_ARRIVE && r->u.seg.id == id;
    }
  return n;
}

/* The TL_REC_LINK record a `lose`/`duplicate` left, checked. */
static void
assert_wire_record (const TlTrace *trace, gint64 t, guint param, gint64 value)
{
  for (guint i = 0; i < tl_trace_n_records (trace); i++)
    {
      const TlRecord *r = tl_trace_record (trace, i);

      if (r->kind == TL_REC_LINK && r->u.link.param == param)
        {
          ck_assert_int_eq (r->time_us, t);
          ck_assert_int_eq (r->u.link.value, value);
          ck_assert_uint_ne (r->stmt, 0);
          return;
        }
    }
  ck_abort_msg ("no link record %u", param);
}

/* RFC 9293 section 3.10.7.4 / RFC 6298: a FIN lost half-way is sent again
 * when the retransmission timer fires; the trace shows the first one lost
 * at 210 ms, 10 ms out, and its arrival never happens. */
START_TEST (test_fin_lost_in_flight_is_retransmitted)
{
  g_autoptr (TlScenario) sc = closing_scenario ();
  g_autoptr (TlTrace) trace = NULL;
  g_autoptr (GPtrArray) segs = NULL;
  g_autoptr (GArray) fired = NULL;
  g_autoptr (GPtrArray) server = NULL;
  const TlRecord *fin, *again;
  TlWorld world;

  tl_test_wire (sc, TL_MS (210), TL_STMT_LOSE, TL_CLIENT, FIN_ACK, FALSE);
  trace = tl_simulate (sc);
  segs = tl_test_segments (trace, TL_CLIENT);

  tl_test_assert_seg (segs, 2, TL_CLIENT, FIN_ACK, 1, 1);
  fin = tl_test_seg (segs, 2);
  ck_assert_int_eq (fin->time_us, TL_MS (200));
  ck_assert_int_eq (fin->u.seg.fate, TL_FATE_LOST_SCRIPTED);
  ck_assert_uint_eq (fin->u.seg.delay_us, TL_MS (10));
  ck_assert_uint_eq (count_arrivals (trace, fin->u.seg.id), 0);
  assert_wire_record (trace, TL_MS (210), TL_LINK_REC_LOSE, 1);

  /* sent again, the same FIN, when the retransmission timer fires */
  fired = tl_test_timer_times (trace, TL_CLIENT, TL_TIMER_RETRANSMIT, TL_TIMER_FIRED);
  ck_assert_uint_ge (fired->len, 1);
  tl_test_assert_seg (segs, 3, TL_CLIENT, FIN_ACK, 1, 1);
  again = tl_test_seg (segs, 3);
  ck_assert_int_eq (again->time_us, g_array_index (fired, gint64, 0));
  ck_assert_int_gt (again->time_us, TL_MS (210));
  ck_assert_int_eq (again->u.seg.fate, TL_FATE_DELIVERED);
  ck_assert_uint_eq (count_arrivals (trace, again->u.seg.id), 1);

  /* the server sees only the second, and ACKs it */
  server = tl_test_segments (trace, TL_SERVER);
  ck_assert_uint_eq (server->len, 2);
  tl_test_assert_seg (server, 1, TL_SERVER, TL_FLAG_ACK, 1, 2);
  /* at the tick after it arrives (the ATO still 0: the delayed-ACK timer
   * armed for now, which the timer wheel runs at the next jiffy) */
  ck_assert_int_eq (tl_test_seg (server, 1)->time_us, again->time_us + TL_MS (24));
  ck_assert_int_eq (tl_test_state (trace, TL_SERVER, 1, TL_MS (300)), TL_STATE_ESTABLISHED);
  ck_assert_int_eq (tl_test_state (trace, TL_CLIENT, 1, again->time_us + TL_MS (50)),
                    TL_STATE_FIN_WAIT_2);
  /* `expect segments` counts both FINs: the lost one was sent */
  ck_assert_uint_eq (tl_trace_count_segments (trace, TL_CLIENT, FIN_ACK, FALSE, TL_S (10)), 2);

  /* the world: on the wire at 205 ms, gone at 210 ms */
  tl_world_init (&world);
  tl_trace_world_at (trace, TL_MS (205), &world);
  ck_assert_uint_eq (world.in_flight->len, 1);
  ck_assert_ptr_eq (tl_trace_record (trace, g_array_index (world.in_flight, guint, 0)), fin);
  tl_trace_world_at (trace, TL_MS (210), &world);
  ck_assert_uint_eq (world.in_flight->len, 0);
  tl_world_clear (&world);
}
END_TEST

/* A `lose` takes only its direction and flags, and one at the moment of
 * arrival finds the segment already arrived: recorded, nothing lost. */
START_TEST (test_lose_matches_direction_flags_and_time)
{
  g_autoptr (TlScenario) sc = closing_scenario ();
  g_autoptr (TlTrace) trace = NULL;
  g_autoptr (GPtrArray) segs = NULL;

  tl_test_wire (sc, TL_MS (210), TL_STMT_LOSE, TL_SERVER, FIN_ACK, FALSE);
  tl_test_wire (sc, TL_MS (210), TL_STMT_LOSE, TL_CLIENT, TL_FLAG_ACK, FALSE);
  tl_test_wire (sc, TL_MS (220), TL_STMT_LOSE, TL_CLIENT, 0, TRUE);
  trace = tl_simulate (sc);
  segs = tl_test_segments (trace, TL_CLIENT);

  tl_test_assert_seg (segs, 2, TL_CLIENT, FIN_ACK, 1, 1);
  ck_assert_int_eq (tl_test_seg (segs, 2)->u.seg.fate, TL_FATE_DELIVERED);
  ck_assert_uint_eq (count_arrivals (trace, tl_test_seg (segs, 2)->u.seg.id), 1);
  ck_assert_uint_eq (segs->len, 3);
  ck_assert_int_eq (tl_test_state (trace, TL_SERVER, 1, TL_MS (220)), TL_STATE_CLOSE_WAIT);
  for (guint i = 0; i < tl_trace_n_records (trace); i++)
    {
      const TlRecord *r = tl_trace_record (trace, i);

      if (r->kind == TL_REC_LINK)
        {
          ck_assert_int_eq (r->u.link.param, TL_LINK_REC_LOSE);
          ck_assert_int_eq (r->u.link.value, 0);
        }
    }
}
END_TEST

/* A segment sent in the same microsecond as the `lose`, before or after it,
 * is on the wire at that time: lost where it started. */
START_TEST (test_lose_takes_segments_of_its_microsecond)
{
  for (guint before = 0; before < 2; before++)
    {
      g_autoptr (TlScenario) sc = tl_test_scenario ();
      g_autoptr (TlTrace) trace = NULL;
      g_autoptr (GPtrArray) segs = NULL;

      tl_test_open (sc);
      if (before)
        tl_test_wire (sc, TL_MS (200), TL_STMT_LOSE, TL_CLIENT, FIN_ACK, FALSE);
      tl_test_conn (sc, TL_MS (200), TL_STMT_CLOSE, TL_CLIENT, 0, 0);
      if (!before)
        tl_test_wire (sc, TL_MS (200), TL_STMT_LOSE, TL_CLIENT, FIN_ACK, FALSE);
      trace = tl_simulate (sc);
      segs = tl_test_segments (trace, TL_CLIENT);

      tl_test_assert_seg (segs, 2, TL_CLIENT, FIN_ACK, 1, 1);
      ck_assert_int_eq (tl_test_seg (segs, 2)->time_us, TL_MS (200));
      ck_assert_int_eq (tl_test_seg (segs, 2)->u.seg.fate, TL_FATE_LOST_SCRIPTED);
      ck_assert_uint_eq (tl_test_seg (segs, 2)->u.seg.delay_us, 0);
      /* the retransmission is later, and gets through */
      tl_test_assert_seg (segs, 3, TL_CLIENT, FIN_ACK, 1, 1);
      ck_assert_int_eq (tl_test_seg (segs, 3)->u.seg.fate, TL_FATE_DELIVERED);
      assert_wire_record (trace, TL_MS (200), TL_LINK_REC_LOSE, before ? 0 : 1);
    }
}
END_TEST

/* RFC 9293 section 3.10.7.4: the copy of a FIN arrives after the FIN was
 * taken; its sequence number is old, so the server sends an ACK again and
 * stays in CLOSE_WAIT.  The copy enters the wire at 210 ms and arrives one
 * delay later, at 230 ms. */
START_TEST (test_duplicated_fin_in_flight_is_acked_again)
{
  g_autoptr (TlScenario) sc = closing_scenario ();
  g_autoptr (TlTrace) trace = NULL;
  g_autoptr (GPtrArray) server = NULL;
  g_autoptr (GPtrArray) client = NULL;
  const TlRecord *fin, *copy;
  int copy_index;

  tl_test_wire (sc, TL_MS (210), TL_STMT_DUPLICATE, TL_CLIENT, FIN_ACK, FALSE);
  trace = tl_simulate (sc);
  client = tl_test_segments (trace, TL_CLIENT);
  server = tl_test_segments (trace, TL_SERVER);

  fin = tl_test_seg (client, 2);
  tl_test_assert_seg (client, 2, TL_CLIENT, FIN_ACK, 1, 1);
  ck_assert_int_eq (fin->u.seg.fate, TL_FATE_DELIVERED);
  copy_index = find_seg_record (trace, TL_REC_SEGMENT, fin->u.seg.id,
                                (guint) (fin - tl_trace_record (trace, 0)) + 1);
  ck_assert_int_ge (copy_index, 0);
  copy = tl_trace_record (trace, copy_index);
  ck_assert_int_eq (copy->u.seg.fate, TL_FATE_DUPLICATE);
  ck_assert_int_eq (copy->time_us, TL_MS (210));
  ck_assert_uint_eq (copy->u.seg.delay_us, TL_MS (20));
  ck_assert_uint_eq (count_arrivals (trace, fin->u.seg.id), 2);
  assert_wire_record (trace, TL_MS (210), TL_LINK_REC_DUPLICATE, 1);

  /* ACK of the FIN at the tick after it, 224 ms (the ATO 0, the timer
   * wheel), and the same ACK again at 230 ms at once (a duplicate) */
  tl_test_assert_seg (server, 1, TL_SERVER, TL_FLAG_ACK, 1, 2);
  ck_assert_int_eq (tl_test_seg (server, 1)->time_us, TL_MS (224));
  tl_test_assert_seg (server, 2, TL_SERVER, TL_FLAG_ACK, 1, 2);
  ck_assert_int_eq (tl_test_seg (server, 2)->time_us, TL_MS (230));
  ck_assert_uint_eq (server->len, 3);
  ck_assert_int_eq (tl_test_state (trace, TL_SERVER, 1, TL_MS (300)), TL_STATE_CLOSE_WAIT);
  ck_assert_int_eq (tl_test_state (trace, TL_CLIENT, 1, TL_MS (300)), TL_STATE_FIN_WAIT_2);
  /* a copy is not a segment sent */
  ck_assert_uint_eq (tl_trace_count_segments (trace, TL_CLIENT, FIN_ACK, FALSE, TL_S (1)), 1);
}
END_TEST

/* Duplicated, then lost: the FIN and its copy are both on the wire, and
 * both are lost; the copy still does not count as a segment sent. */
START_TEST (test_lose_takes_the_copies_too)
{
  g_autoptr (TlScenario) sc = closing_scenario ();
  g_autoptr (TlTrace) trace = NULL;
  g_autoptr (GPtrArray) client = NULL;
  const TlRecord *fin, *copy;

  tl_test_wire (sc, TL_MS (205), TL_STMT_DUPLICATE, TL_CLIENT, FIN_ACK, FALSE);
  tl_test_wire (sc, TL_MS (215), TL_STMT_LOSE, TL_CLIENT, FIN_ACK, FALSE);
  trace = tl_simulate (sc);
  client = tl_test_segments (trace, TL_CLIENT);

  fin = tl_test_seg (client, 2);
  ck_assert_int_eq (fin->u.seg.fate, TL_FATE_LOST_SCRIPTED);
  ck_assert_uint_eq (fin->u.seg.delay_us, TL_MS (15));
  copy = tl_trace_record (trace, find_seg_record (trace, TL_REC_SEGMENT, fin->u.seg.id,
                                                  (guint) (fin - tl_trace_record (trace, 0)) + 1));
  ck_assert_int_eq (copy->time_us, TL_MS (205));
  ck_assert_int_eq (copy->u.seg.fate, TL_FATE_LOST_SCRIPTED);
  ck_assert_uint_eq (copy->u.seg.delay_us, TL_MS (10));
  ck_assert_uint_eq (count_arrivals (trace, fin->u.seg.id), 0);
  assert_wire_record (trace, TL_MS (215), TL_LINK_REC_LOSE, 2);
  /* the FIN and its retransmission; not the lost copy */
  ck_assert_uint_eq (tl_trace_count_segments (trace, TL_CLIENT, FIN_ACK, FALSE, TL_S (10)), 2);
}
END_TEST

/* `duplicate next`, the twin of `drop next`: three segments leave the
 * client in one microsecond (3000 bytes in segments of 1448 (MSS 1460 less
 * timestamps): ACK, PSH,ACK (the end of a GSO packet of two, as Linux
 * marks it), PSH,ACK (the end of the write)); only the first PSH,ACK
 * arrives twice, and the rule is then spent, so the next arrive once.  The link's own duplication (set to 0%
 * here, and never touched) is what the rest of the lesson keeps. */
START_TEST (test_duplicate_next_doubles_that_segment_only)
{
  g_autoptr (TlScenario) sc = tl_test_scenario ();
  g_autoptr (TlTrace) trace = NULL;
  guint8 psh_ack = TL_FLAG_PSH | TL_FLAG_ACK;
  guint copies = 0;

  tl_test_open (sc);
  tl_test_next (sc, TL_MS (100), TL_STMT_DUPLICATE_NEXT, TL_CLIENT, psh_ack, 1);
  tl_test_conn (sc, TL_MS (200), TL_STMT_SEND, TL_CLIENT, 0, 3000);
  tl_test_conn (sc, TL_MS (400), TL_STMT_SEND, TL_CLIENT, 0, 100);
  trace = tl_simulate (sc);

  for (guint i = 0; i < tl_trace_n_records (trace); i++)
    {
      const TlRecord *r = tl_trace_record (trace, i);

      if (r->kind != TL_REC_SEGMENT || r->host != TL_CLIENT)
        continue;
      if (r->u.seg.fate == TL_FATE_DUPLICATE)
        {
          copies++;
          ck_assert_uint_eq (r->u.seg.flags, psh_ack);
          ck_assert_int_eq (r->time_us, TL_MS (200));
          ck_assert_uint_eq (r->u.seg.len, 1448);
          ck_assert_uint_eq (count_arrivals (trace, r->u.seg.id), 2);
        }
      else
        ck_assert_uint_eq (count_arrivals (trace, r->u.seg.id),
                           r->u.seg.flags == psh_ack && r->time_us == TL_MS (200)
                           && r->u.seg.len == 1448 ? 2 : 1);
    }
  ck_assert_uint_eq (copies, 1);
  /* the handshake's ACK and the first of 200 ms; the PSH,ACKs: two of
   * 200 ms and that of 400 ms */
  ck_assert_uint_eq (tl_trace_count_segments (trace, TL_CLIENT, TL_FLAG_ACK, FALSE, TL_MS (201)), 2);
  ck_assert_uint_eq (tl_trace_count_segments (trace, TL_CLIENT, psh_ack, FALSE, TL_S (1)), 3);
  assert_wire_record (trace, TL_MS (100), TL_LINK_REC_DUPLICATE_NEXT, 1);
}
END_TEST

/* A segment the link loses does not use up a `duplicate next`: it cannot
 * arrive twice.  The FIN,ACK is dropped by `drop next`, and its
 * retransmission is the one that arrives twice. */
START_TEST (test_duplicate_next_waits_for_a_delivered_segment)
{
  g_autoptr (TlScenario) sc = closing_scenario ();
  g_autoptr (TlTrace) trace = NULL;
  g_autoptr (GPtrArray) client = NULL;
  const TlRecord *first, *again;

  tl_test_drop (sc, TL_MS (100), TL_CLIENT, FIN_ACK, 1);
  tl_test_next (sc, TL_MS (100), TL_STMT_DUPLICATE_NEXT, TL_CLIENT, FIN_ACK, 1);
  trace = tl_simulate (sc);
  client = tl_test_segments (trace, TL_CLIENT);

  first = tl_test_seg (client, 2);
  again = tl_test_seg (client, 3);
  ck_assert_uint_eq (first->u.seg.flags, FIN_ACK);
  ck_assert_int_eq (first->u.seg.fate, TL_FATE_LOST_SCRIPTED);
  ck_assert_uint_eq (count_arrivals (trace, first->u.seg.id), 0);
  ck_assert_uint_eq (again->u.seg.flags, FIN_ACK);
  ck_assert_int_eq (again->u.seg.fate, TL_FATE_DELIVERED);
  ck_assert_uint_eq (count_arrivals (trace, again->u.seg.id), 2);
}
END_TEST

Suite *
wire_suite (void)
{
  Suite *suite = suite_create ("wire");
  TCase *tc = tcase_create ("lose and duplicate");

  tcase_add_test (tc, test_fin_lost_in_flight_is_retransmitted);
  tcase_add_test (tc, test_lose_matches_direction_flags_and_time);
  tcase_add_test (tc, test_lose_takes_segments_of_its_microsecond);
  tcase_add_test (tc, test_duplicated_fin_in_flight_is_acked_again);
  tcase_add_test (tc, test_lose_takes_the_copies_too);
  tcase_add_test (tc, test_duplicate_next_doubles_that_segment_only);
  tcase_add_test (tc, test_duplicate_next_waits_for_a_delivered_segment);
  suite_add_tcase (suite, tc);
  return suite;
}
