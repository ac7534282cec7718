/* test-trace-diff.c: two traces of one lesson compared (tl-trace-diff.c):
 * the same lesson under a small change (a drop, a slower link, a port
 * nobody listens on) differs exactly where the change shows. */
#include <check.h>

#include "tl-lesson.h"
#include "tl-sim.h"
#include "tl-trace-diff.h"
#include "tl-trace-file.h"
#include "tl-test-util.h"

#include <string.h>

#define HANDSHAKE \
  "host client 10.0.0.1\n" \
  "host server 10.0.0.2\n" \
  "link delay %s\n" \
  "set all isn %s\n" \
  "0ms server listen 80\n" \
  "%s" \
  "10ms client connect server:80 from %s\n" \
  "%s"

static TlTrace *
simulate (const char *delay,
          const char *isn,
          const char *before,
          const char *port,
          const char *after)
{
  g_autofree char *text = g_strdup_printf (HANDSHAKE, delay, isn, before, port, after);

  return tl_test_simulate_text (text);
}

static TlTrace *
handshake (void)
{
  return simulate ("50ms", "0", "", "40000", "");
}

/* The handshake with its first SYN dropped. */
static TlTrace *
dropped_syn (void)
{
  return simulate ("50ms", "0", "5ms drop next client->server SYN\n", "40000", "");
}

/* The two traces a test compares and their differences (compare), freed
 * after each test. */
static TlTrace *a;
static TlTrace *b;
static GArray  *diffs;

static void
compare (TlTrace *first,
         TlTrace *second)
{
  a = first;
  b = second;
  diffs = tl_trace_diff (a, b, NULL);
}

static void
teardown (void)
{
  g_clear_pointer (&a, tl_trace_free);
  g_clear_pointer (&b, tl_trace_free);
  g_clear_pointer (&diffs, g_array_unref);
}

/* The number of differences of this kind. */
static guint
count_kind (GArray     *diffs,
            TlDiffKind  kind)
{
  guint n = 0;

  for (guint i = 0; i < diffs->len; i++)
    n += g_array_index (diffs, TlDiff, i).kind == kind;
  return n;
}

static const TlDiff *
first_kind (GArray     *diffs,
            TlDiffKind  kind)
{
  for (guint i = 0; i < diffs->len; i++)
    if (g_array_index (diffs, TlDiff, i).kind == kind)
      return &g_array_index (diffs, TlDiff, i);
  return NULL;
}

START_TEST (test_the_same_lesson_twice_has_no_difference)
{
  compare (handshake (), handshake ());
  ck_assert_uint_eq (diffs->len, 0);
}
END_TEST

START_TEST (test_other_iss_and_ephemeral_port_are_no_difference)
{
  /* The kernel picks its own iss and, without `from`, its own port: the
   * numbers are compared relative to iss and irs, the connections paired
   * by HOST#N when their ports differ. */
  compare (handshake (), simulate ("50ms", "random", "", "41234", ""));
  ck_assert_uint_ne (tl_trace_conn (a, 1)->local_port, tl_trace_conn (b, 1)->local_port);
  ck_assert_uint_ne (tl_trace_conn (a, 1)->iss, tl_trace_conn (b, 1)->iss);
  ck_assert_uint_eq (diffs->len, 0);
}
END_TEST

START_TEST (test_a_dropped_syn_shows_as_lost_then_one_more_syn)
{
  const TlDiff *d;
  const TlRecord *r;

  compare (handshake (), dropped_syn ());
  ck_assert_uint_gt (diffs->len, 0);
  /* First, at 10 ms: the same SYN, delivered in a and lost in b. */
  d = &g_array_index (diffs, TlDiff, 0);
  ck_assert_int_eq (d->kind, TL_DIFF_SEGMENT_FATE);
  ck_assert_int_eq (d->time_us, 10000);
  ck_assert_uint_eq (d->host, 0);
  ck_assert_int_ge (d->record_a, 0);
  ck_assert_int_ge (d->record_b, 0);
  ck_assert_uint_eq (tl_trace_record (b, d->record_b)->u.seg.fate, TL_FATE_LOST_SCRIPTED);
  ck_assert_uint_eq (tl_trace_record (a, d->record_a)->u.seg.fate, TL_FATE_DELIVERED);

  /* Then b's retransmitted SYN, 1 s later (1.014 s: the timer wheel), which a lacks. */
  d = first_kind (diffs, TL_DIFF_SEGMENT_MISSING);
  ck_assert_ptr_nonnull (d);
  ck_assert_int_eq (d->record_a, -1);
  r = tl_trace_record (b, d->record_b);
  ck_assert_uint_eq (r->u.seg.flags, TL_FLAG_SYN);
  ck_assert_int_eq (r->time_us, 1024000);
  ck_assert_uint_eq (count_kind (diffs, TL_DIFF_SEGMENT_MISSING), 1);

  /* The client's ESTABLISHED comes 1 s later: a state change too late. */
  d = first_kind (diffs, TL_DIFF_STATE_TIME);
  ck_assert_ptr_nonnull (d);
  ck_assert_uint_eq (tl_trace_record (a, d->record_a)->u.state.to,
                     tl_trace_record (b, d->record_b)->u.state.to);
  ck_assert_int_ge (tl_trace_record (b, d->record_b)->time_us
                    - tl_trace_record (a, d->record_a)->time_us, 900000);
  /* Both end the same way, with no error. */
  ck_assert_uint_eq (count_kind (diffs, TL_DIFF_FINAL_STATE), 0);
  ck_assert_uint_eq (count_kind (diffs, TL_DIFF_ERROR), 0);
  ck_assert_uint_eq (count_kind (diffs, TL_DIFF_CONN_MISSING), 0);

  /* Ordered by time. */
  for (guint i = 1; i < diffs->len; i++)
    ck_assert_int_le (g_array_index (diffs, TlDiff, i - 1).time_us,
                      g_array_index (diffs, TlDiff, i).time_us);
}
END_TEST

START_TEST (test_the_comparison_is_symmetric)
{
  g_autoptr (GArray) ba = NULL;

  compare (handshake (), dropped_syn ());
  ba = tl_trace_diff (b, a, NULL);
  ck_assert_uint_eq (diffs->len, ba->len);
  for (guint k = 0; k < TL_N_DIFF_KINDS; k++)
    ck_assert_uint_eq (count_kind (diffs, k), count_kind (ba, k));
  ck_assert_int_eq (first_kind (ba, TL_DIFF_SEGMENT_MISSING)->record_b, -1);
}
END_TEST

START_TEST (test_times_within_the_tolerance_are_the_same)
{
  /* 1 ms more delay moves every record by 1 to 4 ms: within 5 ms. */
  compare (handshake (), simulate ("51ms", "0", "", "40000", ""));
  ck_assert_uint_eq (diffs->len, 0);
}
END_TEST

START_TEST (test_times_beyond_the_tolerance_differ_unless_it_is_wider)
{
  /* 30 ms more delay: the server's SYN_RCVD is 30 ms late, beyond 5 ms. */
  g_autoptr (GArray) wide = NULL;
  TlDiffOptions options;
  const TlDiff *d;

  compare (handshake (), simulate ("80ms", "0", "", "40000", ""));
  d = first_kind (diffs, TL_DIFF_STATE_TIME);
  ck_assert_ptr_nonnull (d);
  ck_assert_uint_eq (d->host, 1);
  ck_assert_uint_eq (tl_trace_record (a, d->record_a)->u.state.to, TL_STATE_SYN_RCVD);
  ck_assert_int_eq (d->time_us, 60000);
  ck_assert_uint_gt (count_kind (diffs, TL_DIFF_SEGMENT_TIME), 0);
  ck_assert_uint_eq (count_kind (diffs, TL_DIFF_SEGMENT_MISSING), 0);

  tl_diff_options_init (&options);
  ck_assert_int_eq (options.min_us, TL_DIFF_DEFAULT_MIN_US);
  options.min_us = 200000;
  wide = tl_trace_diff (a, b, &options);
  ck_assert_uint_eq (wide->len, 0);
}
END_TEST

#define WITH_MSL(msl) \
  "host client 10.0.0.1\nhost server 10.0.0.2\nlink delay 50ms\nset all isn 0\n" \
  "set client msl " msl "\n0ms server listen 80\n" \
  "10ms client connect server:80 from 40000\n500ms client close\n600ms server close\n"

START_TEST (test_a_long_wait_allows_the_timer_wheel_slack)
{
  /* TIME_WAIT's 60 s may end up to 1/8 later on a real kernel (the timer
   * wheel): 2 s later is no difference; 30 s sooner is one. */
  g_autoptr (TlTrace) later = tl_test_simulate_text (WITH_MSL ("31s"));
  g_autoptr (GArray) same = NULL;
  const TlDiff *d;

  compare (tl_test_simulate_text (WITH_MSL ("30s")), tl_test_simulate_text (WITH_MSL ("15s")));
  same = tl_trace_diff (a, later, NULL);
  ck_assert_uint_eq (same->len, 0);
  ck_assert_uint_eq (diffs->len, 1);
  d = &g_array_index (diffs, TlDiff, 0);
  ck_assert_int_eq (d->kind, TL_DIFF_STATE_TIME);
  ck_assert_uint_eq (tl_trace_record (a, d->record_a)->u.state.from, TL_STATE_TIME_WAIT);
  ck_assert_int_eq (tl_trace_record (b, d->record_b)->time_us, d->time_us);
}
END_TEST

START_TEST (test_a_refused_connection_differs_in_error_and_final_state)
{
  /* a: the server listens on 80; b: the client connects to 81, refused. */
  const TlDiff *d;

  compare (handshake (),
           tl_test_simulate_text ("host client 10.0.0.1\nhost server 10.0.0.2\n"
                                  "link delay 50ms\nset all isn 0\n0ms server listen 80\n"
                                  "10ms client connect server:81 from 40000\n"));
  d = first_kind (diffs, TL_DIFF_ERROR);
  ck_assert_ptr_nonnull (d);
  ck_assert_int_eq (d->record_a, -1);
  ck_assert_uint_eq (tl_trace_record (b, d->record_b)->u.app.error, TL_ERR_ECONNREFUSED);
  ck_assert_uint_eq (d->conn_a, 1);
  ck_assert_uint_eq (d->host, 0);
  /* a's client ends ESTABLISHED, b's CLOSED. */
  d = first_kind (diffs, TL_DIFF_FINAL_STATE);
  ck_assert_ptr_nonnull (d);
  ck_assert_uint_eq (d->conn_a, 1);
  ck_assert_uint_eq (tl_trace_record (a, d->record_a)->u.state.to, TL_STATE_ESTABLISHED);
  ck_assert_int_eq (tl_trace_record (b, d->record_b)->u.state.to, TL_STATE_CLOSED);
  /* The server's accepted connection is a's alone. */
  d = first_kind (diffs, TL_DIFF_CONN_MISSING);
  ck_assert_ptr_nonnull (d);
  ck_assert_uint_eq (d->conn_b, TL_NO_CONN);
  ck_assert_uint_eq (d->host, 1);
}
END_TEST

#define FLOOD(seed) \
  "host client 10.0.0.1\nhost server 10.0.0.2\nlink delay 50ms\nseed " seed "\n" \
  "set server backlog 4 syncookies off synack_retries 1\n0ms server listen 80\n" \
  "100ms flood server:80 count 8 rate 400/s\n"

START_TEST (test_a_flood_from_other_spoofed_addresses_is_the_same)
{
  /* Each run draws its own spoofed addresses and ports (the kernel's run
   * its own too): the flood's segments and the half-open requests match. */
  compare (tl_test_simulate_text (FLOOD ("1")), tl_test_simulate_text (FLOOD ("2")));
  ck_assert_uint_ne (tl_trace_conn (a, 1)->remote_addr, tl_trace_conn (b, 1)->remote_addr);
  ck_assert_uint_eq (diffs->len, 0);
}
END_TEST

START_TEST (test_a_child_born_from_closed_or_listen_is_the_same)
{
  /* The kernel's tracepoint shows a listener's child going CLOSED ->
   * SYN_RCVD, the RFC's diagram LISTEN -> SYN_RCVD: the same birth.  A
   * later change from another state is a difference. */
  g_autoptr (GString) file = g_string_new (NULL);
  g_autoptr (TlTrace) c = NULL;
  g_autoptr (GArray) later_diffs = NULL;
  g_autofree char *born = NULL;
  g_autofree char *later = NULL;
  char *at;

  a = handshake ();
  tl_trace_file_write (a, "0000000000000000000000000000000000000000000000000000000000000000", "", file);
  /* server#1 (conn 2): its first change, LISTEN (1) -> SYN_RCVD (3). */
  at = strstr (file->str, " state 1 2 0 1 3 ");
  ck_assert_ptr_nonnull (at);
  born = g_strdup (file->str);
  born[at - file->str + strlen (" state 1 2 0 ")] = '0';
  compare (a, tl_trace_file_read (born, strlen (born), "b.real", NULL, NULL, NULL));
  ck_assert_ptr_nonnull (b);
  ck_assert_uint_eq (diffs->len, 0);

  /* Its second, SYN_RCVD (3) -> ESTABLISHED (4), from CLOSED instead. */
  at = strstr (file->str, " state 1 2 0 3 4 ");
  ck_assert_ptr_nonnull (at);
  later = g_strdup (file->str);
  later[at - file->str + strlen (" state 1 2 0 ")] = '0';
  c = tl_trace_file_read (later, strlen (later), "c.real", NULL, NULL, NULL);
  ck_assert_ptr_nonnull (c);
  later_diffs = tl_trace_diff (a, c, NULL);
  ck_assert_uint_eq (later_diffs->len, 2);
  ck_assert_int_eq (g_array_index (later_diffs, TlDiff, 0).kind, TL_DIFF_STATE_MISSING);
}
END_TEST

START_TEST (test_kind_names)
{
  ck_assert_str_eq (tl_diff_kind_name (TL_DIFF_SEGMENT_MISSING), "segment_missing");
  ck_assert_str_eq (tl_diff_kind_name (TL_DIFF_FINAL_STATE), "final_state");
}
END_TEST

Suite *
trace_diff_suite (void)
{
  Suite *s = suite_create ("trace-diff");
  TCase *tc = tcase_create ("diff");

  tcase_add_checked_fixture (tc, NULL, teardown);

  tcase_add_test (tc, test_the_same_lesson_twice_has_no_difference);
  tcase_add_test (tc, test_other_iss_and_ephemeral_port_are_no_difference);
  tcase_add_test (tc, test_a_dropped_syn_shows_as_lost_then_one_more_syn);
  tcase_add_test (tc, test_the_comparison_is_symmetric);
  tcase_add_test (tc, test_times_within_the_tolerance_are_the_same);
  tcase_add_test (tc, test_times_beyond_the_tolerance_differ_unless_it_is_wider);
  tcase_add_test (tc, test_a_long_wait_allows_the_timer_wheel_slack);
  tcase_add_test (tc, test_a_refused_connection_differs_in_error_and_final_state);
  tcase_add_test (tc, test_a_flood_from_other_spoofed_addresses_is_the_same);
  tcase_add_test (tc, test_a_child_born_from_closed_or_listen_is_the_same);
  tcase_add_test (tc, test_kind_names);
  suite_add_tcase (s, tc);
  return s;
}
