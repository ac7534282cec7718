/* test-session.c: the playhead, playback, interventions, reloads and saving
 * of the session the window plays. */
#include "tl-config.h"

#include <check.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <locale.h>
#include <string.h>

#include "tl-check.h"
#include "tl-lesson.h"
#include "tl-paths.h"
#include "tl-question.h"
#include "tl-session.h"
#include "tl-sim.h"
#include "tl-test-files.h"
#include "tl-whatif.h"

/* A handshake over a 50 ms link: SYN at 10 ms, SYN,ACK at 60 ms, ACK at
 * 110 ms; a pause at 200 ms; the client closes at 300 ms, the server at
 * 400 ms, and the client sits in TIME_WAIT for 2 * 30 s from 450 ms. */
static const char handshake_lesson[] =
  "title \"Test handshake\"\n"
  "title.zh_CN \"测试握手\"\n"
  "summary \"A handshake and a close.\"\n"
  "host client 10.0.0.1\n"
  "host server 10.0.0.2\n"
  "link delay 50ms\n"
  "set all isn 0\n"
  "\n"
  "0ms     server listen 80\n"
  "10ms    client connect server:80\n"
  "10ms    say \"The client sends SYN.\"\n"
  "200ms   pause \"Which states now?\"\n"
  "300ms   client close\n"
  "400ms   server close\n";

static char *tmp_dir;

static void
setup (void)
{
  tmp_dir = g_dir_make_tmp ("tl-session-XXXXXX", NULL);
  ck_assert_ptr_nonnull (tmp_dir);
}

static void
teardown (void)
{
  tl_test_remove_tree (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);
}

static GFile *
write_lesson (const char *name,
              const char *text)
{
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);

  ck_assert (g_file_set_contents (path, text, -1, NULL));
  return g_file_new_for_path (path);
}

/* A session playing text, written as name in the test's folder, at 0. */
static TlSession *
session_with (const char *name,
              const char *text)
{
  TlSession *session = tl_session_new ();
  g_autoptr(GFile) file = write_lesson (name, text);
  g_autoptr(GError) error = NULL;

  ck_assert_msg (tl_session_load_file (session, file, &error), "%s", error ? error->message : "");
  ck_assert_ptr_null (tl_session_get_errors (session));
  ck_assert_int_eq (tl_session_get_time (session), 0);
  return session;
}

static TlSession *
session_with_lesson (void)
{
  return session_with ("handshake.lesson", handshake_lesson);
}

/* The state of host's most recent connection at the playhead. */
static TlState
state_of (TlSession *session,
          guint      host)
{
  const TlTrace *trace = tl_session_get_trace (session);
  gint64 t = tl_session_get_time (session);
  guint32 conn = tl_trace_resolve_conn (trace, host, 0, t);

  return conn == TL_NO_CONN ? TL_STATE_CLOSED : tl_trace_conn_state_at (trace, conn, t);
}

/* Plays in 16 ms frames until playback stops; returns the wall time spent. */
static gint64
play_until_stopped (TlSession *session)
{
  gint64 wall = 0;

  tl_session_set_playing (session, TRUE);
  while (tl_session_get_playing (session))
    {
      gint64 before = tl_session_get_time (session);

      tl_session_advance (session, 16000);
      wall += 16000;
      ck_assert_int_ge (tl_session_get_time (session), before);
      ck_assert_int_lt (wall, 600 * G_USEC_PER_SEC);
    }
  return wall;
}

START_TEST (test_step_forward_and_back_visit_record_times)
{
  g_autoptr(TlSession) session = session_with_lesson ();

  tl_session_step_forward (session);
  ck_assert_int_eq (tl_session_get_time (session), 10000);
  ck_assert_int_eq (state_of (session, 0), TL_STATE_SYN_SENT);
  tl_session_step_forward (session);
  ck_assert_int_eq (tl_session_get_time (session), 60000);
  ck_assert_int_eq (state_of (session, 0), TL_STATE_SYN_SENT);
  tl_session_step_forward (session);
  ck_assert_int_eq (tl_session_get_time (session), 110000);
  ck_assert_int_eq (state_of (session, 0), TL_STATE_ESTABLISHED);
  tl_session_step_back (session);
  ck_assert_int_eq (tl_session_get_time (session), 60000);
  tl_session_step_back (session);
  tl_session_step_back (session);
  ck_assert_int_eq (tl_session_get_time (session), 0);
  tl_session_step_back (session);
  ck_assert_int_eq (tl_session_get_time (session), 0);
}
END_TEST

/* A flood of 20,000 SYNs at 50,000 a second (cookies on: the server
 * answers each), and a real client that connects through it at 200 ms:
 * Right reaches the client's SYN in a few dozen steps (before: one step per
 * record time, 10,000 of them), and stops at its sending and its arrival. */
#define MS 1000

static const char flood_lesson[] =
  "title \"Flood\"\n"
  "host client 10.0.0.1\n"
  "host server 10.0.0.2\n"
  "link delay 50ms\n"
  "set server syncookies on\n"
  "\n"
  "0ms     server listen 80\n"
  "1ms     flood server:80 count 20000 rate 50000/s\n"
  "200ms   client connect server:80\n"
  "600ms   end\n";

START_TEST (test_step_crosses_a_flood_stopping_at_the_client)
{
  g_autoptr(TlSession) session = session_with ("flood.lesson", flood_lesson);
  gboolean sent = FALSE, arrived = FALSE;
  guint n;

  for (n = 0; n < 200 && tl_session_get_time (session) < 260 * MS; n++)
    {
      tl_session_step_forward (session);
      sent = sent || tl_session_get_time (session) == 200 * MS;
      arrived = arrived || tl_session_get_time (session) == 250 * MS;
    }
  ck_assert_msg (n < 100, "%u steps to 260 ms", n);
  ck_assert (sent);
  ck_assert (arrived);
  ck_assert_int_eq (state_of (session, 0), TL_STATE_SYN_SENT);
  for (n = 0; n < 200 && tl_session_get_time (session) > 190 * MS; n++)
    {
      tl_session_step_back (session);
      ck_assert_int_ne (tl_session_get_time (session), 0);
      if (tl_session_get_time (session) == 200 * MS)
        break;
    }
  ck_assert_int_eq (tl_session_get_time (session), 200 * MS);
}
END_TEST

START_TEST (test_play_stops_at_pause_with_its_question)
{
  g_autoptr(TlSession) session = session_with_lesson ();
  gint64 end;

  ck_assert_ptr_null (tl_session_get_question (session));
  play_until_stopped (session);
  ck_assert_int_eq (tl_session_get_time (session), 200000);
  ck_assert_str_eq (tl_session_get_question (session), "Which states now?");
  ck_assert_int_eq (state_of (session, 1), TL_STATE_ESTABLISHED);

  /* Playing on passes the pause and runs to the end. */
  play_until_stopped (session);
  end = tl_session_get_end_time (session);
  ck_assert_int_gt (end, 300000);
  ck_assert_int_eq (tl_session_get_time (session), end);
  ck_assert_ptr_null (tl_session_get_question (session));
}
END_TEST

/* A pause.LOCALE shows in the user's language, and the pause stops playback
 * once, not once per translation. */
START_TEST (test_pause_question_in_the_users_language)
{
  const char *after_pause = strstr (handshake_lesson, "300ms");
  g_autofree char *before = g_strndup (handshake_lesson, after_pause - handshake_lesson);
  g_autofree char *text = g_strconcat (before, "200ms   pause.zh_CN \"现在是什么状态？\"\n",
                                       after_pause, NULL);
  g_autoptr(GFile) file = write_lesson ("translated.lesson", text);
  const char *languages[] = { "zh_CN", "fr_FR", NULL };
  const char *expected[] = { "现在是什么状态？", "Which states now?" };
  g_autofree char *saved = g_strdup (g_getenv ("LANGUAGE"));

  for (guint i = 0; languages[i] != NULL; i++)
    {
      g_autoptr(TlSession) session = NULL;
      g_autoptr(GError) error = NULL;

      g_setenv ("LANGUAGE", languages[i], TRUE);
      session = tl_session_new ();
      ck_assert_msg (tl_session_load_file (session, file, &error), "%s",
                     error ? error->message : "");
      play_until_stopped (session);
      ck_assert_int_eq (tl_session_get_time (session), 200000);
      ck_assert_str_eq (tl_session_get_question (session), expected[i]);
      play_until_stopped (session);
      ck_assert_int_eq (tl_session_get_time (session), tl_session_get_end_time (session));
    }
  if (saved != NULL)
    g_setenv ("LANGUAGE", saved, TRUE);
  else
    g_unsetenv ("LANGUAGE");
}
END_TEST

/* A run stopped by the budget is shown as such (the window's banner reads
 * tl_session_get_stopped); a whole run, and a file that reads again, clear it.
 * (The window used to play the cut trace as if the lesson had ended.) */
START_TEST (test_stopped_run_is_reported)
{
  g_autoptr(TlSession) session = tl_session_new ();
  g_autoptr(GFile) cut = g_file_new_for_path (TL_BAD_DIR "/hostile-flood-cut.lesson");
  g_autoptr(GFile) whole = write_lesson ("whole.lesson", handshake_lesson);
  g_autofree char *want = g_strdup_printf ("%s:8:5: the run was stopped at the limit of "
                                           "10000000 trace records, at ", TL_BAD_DIR
                                           "/hostile-flood-cut.lesson");

  g_unsetenv ("LANGUAGE");
  ck_assert (tl_session_load_file (session, cut, NULL));
  ck_assert_ptr_nonnull (tl_session_get_stopped (session));
  ck_assert_msg (g_str_has_prefix (tl_session_get_stopped (session), want), "%s",
                 tl_session_get_stopped (session));
  ck_assert_ptr_null (tl_session_get_errors (session));
  ck_assert (tl_session_load_file (session, whole, NULL));
  ck_assert_ptr_null (tl_session_get_stopped (session));
}
END_TEST

/* A FIFO renamed over the watched lesson froze the window: the reload
 * blocked in open() until someone wrote to it.  Now it is refused at once,
 * by name, and the last good lesson keeps playing. */
START_TEST (test_reload_refuses_a_fifo_over_the_lesson)
{
  g_autoptr(TlSession) session = tl_session_new ();
  g_autoptr(GFile) file = write_lesson ("watched.lesson", handshake_lesson);
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *fifo = g_build_filename (tmp_dir, "fifo", NULL);
  g_autoptr(GError) error = NULL;

  ck_assert (tl_session_load_file (session, file, NULL));
  ck_assert_int_eq (mkfifo (fifo, 0600), 0);
  ck_assert_int_eq (g_rename (fifo, path), 0);
  ck_assert (!tl_session_reload (session, &error));
  ck_assert_ptr_nonnull (tl_session_get_errors (session));
  ck_assert_msg (strstr (tl_session_get_errors (session), "FIFO") != NULL, "%s",
                 tl_session_get_errors (session));
  ck_assert_msg (strstr (tl_session_get_errors (session), path) != NULL, "%s",
                 tl_session_get_errors (session));
  ck_assert_str_eq (tl_session_get_scenario (session)->title, "Test handshake");
}
END_TEST

START_TEST (test_time_wait_is_crossed_in_about_two_seconds)
{
  g_autoptr(TlSession) session = session_with_lesson ();
  const TlTrace *trace;
  guint frames = 0;
  gint64 wall = 0, start_us, end_us;

  /* To the client's TIME_WAIT, then past the server's last ACK: from there
   * nothing happens until the 60 s timer fires. */
  tl_session_set_time (session, 300000);
  while (state_of (session, 0) != TL_STATE_TIME_WAIT)
    tl_session_step_forward (session);
  for (;;)
    {
      trace = tl_session_get_trace (session);
      guint next = tl_trace_records_until (trace, tl_session_get_time (session));

      ck_assert_uint_lt (next, tl_trace_n_records (trace));
      if (tl_trace_record (trace, next)->time_us - tl_session_get_time (session) > 10 * G_USEC_PER_SEC)
        break;
      tl_session_step_forward (session);
    }
  start_us = tl_session_get_time (session);
  ck_assert_int_eq (state_of (session, 0), TL_STATE_TIME_WAIT);

  tl_session_set_playing (session, TRUE);
  while (state_of (session, 0) == TL_STATE_TIME_WAIT)
    {
      tl_session_advance (session, 16000);
      wall += 16000;
      frames++;
      ck_assert (frames < 10000);
    }
  end_us = tl_session_get_time (session);
  /* 60 s of simulated time at speed 0.1 would be 10 minutes. */
  ck_assert_int_ge (end_us - start_us, 59 * G_USEC_PER_SEC);
  ck_assert_int_le (wall, TL_SESSION_IDLE_WALL_US + 100000);
  ck_assert_int_ge (wall, TL_SESSION_IDLE_WALL_US - 100000);
  /* The timer drains over many frames, not in one jump. */
  ck_assert_uint_ge (frames, 100);
}
END_TEST

START_TEST (test_speed_steps)
{
  g_autoptr(TlSession) session = tl_session_new ();
  double speed = tl_session_get_speed (session);

  tl_session_faster (session);
  ck_assert (tl_session_get_speed (session) > speed);
  tl_session_slower (session);
  tl_session_slower (session);
  ck_assert (tl_session_get_speed (session) < speed);
  for (guint i = 0; i < 20; i++)
    tl_session_slower (session);
  ck_assert (tl_session_get_speed (session) > 0.0);
}
END_TEST

/* Records [0, n) of both traces print the same. */
static void
assert_same_past (const TlTrace *a,
                  const TlTrace *b,
                  gint64         before_us)
{
  guint n = tl_trace_records_until (a, before_us);

  ck_assert_uint_eq (n, tl_trace_records_until (b, before_us));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *ta = tl_trace_record_to_text (a, i);
      g_autofree char *tb = tl_trace_record_to_text (b, i);

      ck_assert_str_eq (ta, tb);
    }
}

/* RST and RST,ACK from the client, up to 150 ms. */
static guint64
count_resets (const TlTrace *trace)
{
  return tl_trace_count_segments (trace, 0, TL_FLAG_RST, FALSE, 150000)
         + tl_trace_count_segments (trace, 0, TL_FLAG_RST | TL_FLAG_ACK, FALSE, 150000);
}

START_TEST (test_intervention_resimulates_and_keeps_playhead)
{
  g_autoptr(TlSession) session = session_with_lesson ();
  g_autoptr(TlScenario) before = tl_scenario_copy (tl_session_get_scenario (session));
  g_autoptr(TlTrace) old_trace = tl_simulate (before);
  TlStmt abort = { .kind = TL_STMT_ABORT, .host = 0, .conn = { 0, 0 } };
  const TlScenario *after;

  tl_session_set_time (session, 150000);
  ck_assert_int_eq (state_of (session, 0), TL_STATE_ESTABLISHED);
  ck_assert_uint_eq (tl_trace_count_segments (tl_session_get_trace (session), 0, TL_FLAG_RST | TL_FLAG_ACK,
                                              FALSE, G_MAXINT64), 0);

  tl_session_intervene (session, &abort);

  ck_assert_int_eq (tl_session_get_time (session), 150000);
  after = tl_session_get_scenario (session);
  ck_assert_uint_eq (after->stmts->len, before->stmts->len + 1);
  /* An abort sends RST at once: the connection is gone, the past the same. */
  ck_assert_int_eq (state_of (session, 0), TL_STATE_CLOSED);
  ck_assert_uint_eq (count_resets (tl_session_get_trace (session)) - count_resets (old_trace), 1);
  assert_same_past (old_trace, tl_session_get_trace (session), 149999);
}
END_TEST

/* The first segment record from host with these flags and this fate. */
static gboolean
has_segment (const TlTrace *trace,
             guint          host,
             guint8         flags,
             TlFate         fate)
{
  for (guint i = 0; i < tl_trace_n_records (trace); i++)
    {
      const TlRecord *rec = tl_trace_record (trace, i);

      if (rec->kind == TL_REC_SEGMENT && rec->host == host && rec->u.seg.flags == flags
          && rec->u.seg.fate == fate)
        return TRUE;
    }
  return FALSE;
}

START_TEST (test_drop_next_loses_that_segment)
{
  g_autoptr(TlSession) session = session_with_lesson ();
  g_autoptr(GError) error = NULL;
  guint8 fin_ack = TL_FLAG_FIN | TL_FLAG_ACK;
  const TlTrace *trace;

  tl_session_set_time (session, 250000);
  ck_assert (!has_segment (tl_session_get_trace (session), 0, fin_ack, TL_FATE_LOST_SCRIPTED));
  ck_assert (tl_session_drop_next (session, 0, fin_ack, NULL));
  ck_assert_int_eq (tl_session_get_time (session), 250000);
  ck_assert (has_segment (tl_session_get_trace (session), 0, fin_ack, TL_FATE_LOST_SCRIPTED));

  /* The server's SYN,ACK is long gone: nothing to drop, nothing changes. */
  trace = tl_session_get_trace (session);
  ck_assert (!tl_session_drop_next (session, 1, TL_FLAG_SYN | TL_FLAG_ACK, &error));
  ck_assert (g_error_matches (error, TL_SESSION_ERROR, TL_SESSION_ERROR_NO_SEGMENT));
  ck_assert_ptr_eq (tl_session_get_trace (session), trace);
}
END_TEST

START_TEST (test_duplicate_next_sends_it_twice)
{
  g_autoptr(TlSession) session = session_with_lesson ();
  g_autoptr(GError) error = NULL;
  guint8 fin_ack = TL_FLAG_FIN | TL_FLAG_ACK;

  tl_session_set_time (session, 250000);
  ck_assert (!has_segment (tl_session_get_trace (session), 0, fin_ack, TL_FATE_DUPLICATE));
  ck_assert (tl_session_duplicate_next (session, 0, fin_ack, &error));
  ck_assert_int_eq (tl_session_get_time (session), 250000);
  ck_assert (has_segment (tl_session_get_trace (session), 0, fin_ack, TL_FATE_DUPLICATE));

  /* Nobody sends another SYN: nothing to duplicate, and the trace stays. */
  ck_assert (!tl_session_duplicate_next (session, 0, TL_FLAG_SYN, &error));
  ck_assert (g_error_matches (error, TL_SESSION_ERROR, TL_SESSION_ERROR_NO_SEGMENT));
}
END_TEST

/* The scenario's first statement of kind, or NULL. */
static const TlStmt *
find_stmt (const TlScenario *scenario,
           TlStmtKind        kind)
{
  for (guint i = 0; i < scenario->stmts->len; i++)
    if (g_array_index (scenario->stmts, TlStmt, i).kind == kind)
      return &g_array_index (scenario->stmts, TlStmt, i);
  return NULL;
}

/* Three segments leave the client in one microsecond (ACK, ACK and PSH,ACK
 * of 3000 bytes); duplicating the next PSH,ACK adds one `duplicate next`
 * statement (no link change), which doubles that segment and nothing sent
 * beside it. */
START_TEST (test_duplicate_next_doubles_nothing_else)
{
  g_autoptr(TlSession) session = session_with ("data.lesson",
    "host client 10.0.0.1\n"
    "host server 10.0.0.2\n"
    "link delay 50ms\n"
    "0ms     server listen 80\n"
    "10ms    client connect server:80\n"
    "300ms   client send 3000\n");
  guint8 psh_ack = TL_FLAG_PSH | TL_FLAG_ACK;
  const TlScenario *scenario;
  const TlTrace *trace;
  const TlStmt *added;
  guint n_stmts, copies = 0;

  n_stmts = tl_session_get_scenario (session)->stmts->len;
  tl_session_set_time (session, 250000);
  ck_assert (tl_session_duplicate_next (session, 0, psh_ack, NULL));

  scenario = tl_session_get_scenario (session);
  ck_assert_uint_eq (scenario->stmts->len, n_stmts + 1);
  added = find_stmt (scenario, TL_STMT_DUPLICATE_NEXT);
  ck_assert_ptr_nonnull (added);
  ck_assert_int_eq (added->time_us, 250000);
  ck_assert_uint_eq (added->u.drop.flags, psh_ack);
  ck_assert_uint_eq (added->u.drop.count, 1);

  trace = tl_session_get_trace (session);
  for (guint i = 0; i < tl_trace_n_records (trace); i++)
    {
      const TlRecord *rec = tl_trace_record (trace, i);

      if (rec->kind == TL_REC_SEGMENT && rec->host == 0 && rec->u.seg.fate == TL_FATE_DUPLICATE)
        {
          ck_assert_uint_eq (rec->u.seg.flags, psh_ack);
          ck_assert_int_eq (rec->time_us, 300000);
          copies++;
        }
    }
  ck_assert_uint_eq (copies, 1);
}
END_TEST

/* The client's FIN,ACK leaves at 300 ms and would arrive at 350 ms. */
static const TlRecord *
client_fin (const TlTrace *trace)
{
  for (guint i = 0; i < tl_trace_n_records (trace); i++)
    {
      const TlRecord *rec = tl_trace_record (trace, i);

      if (rec->kind == TL_REC_SEGMENT && rec->host == 0
          && rec->u.seg.flags == (TL_FLAG_FIN | TL_FLAG_ACK))
        return rec;
    }
  return NULL;
}

static guint
count_arrivals (const TlTrace *trace,
                guint32        id)
{
  guint n = 0;

  for (guint i = 0; i < tl_trace_n_records (trace); i++)
    {
      const TlRecord *rec = tl_trace_record (trace, i);

      n += rec->kind == TL_REC_ARRIVE && rec->u.seg.id == id;
    }
  return n;
}

START_TEST (test_lose_on_wire_drops_the_fin_in_flight)
{
  g_autoptr(TlSession) session = session_with_lesson ();
  g_autoptr(GError) error = NULL;
  guint8 fin_ack = TL_FLAG_FIN | TL_FLAG_ACK;
  const TlTrace *before, *after;
  const TlRecord *fin;
  const TlScenario *scenario;
  const TlStmt *last;
  TlWorld world;

  tl_session_set_time (session, 325000);
  before = tl_session_get_trace (session);
  ck_assert_uint_eq (tl_session_count_on_wire (session, 0, fin_ack), 1);
  ck_assert_uint_eq (tl_session_count_on_wire (session, 1, fin_ack), 0);
  ck_assert_int_eq (client_fin (before)->u.seg.fate, TL_FATE_DELIVERED);

  ck_assert_msg (tl_session_lose_on_wire (session, 0, fin_ack, &error), "%s",
                 error ? error->message : "");
  after = tl_session_get_trace (session);
  ck_assert_ptr_ne (after, before);
  ck_assert_int_eq (tl_session_get_time (session), 325000);

  /* the statement, at the playhead */
  scenario = tl_session_get_scenario (session);
  last = find_stmt (scenario, TL_STMT_LOSE);
  ck_assert_ptr_nonnull (last);
  ck_assert_int_eq (last->time_us, 325000);
  ck_assert_int_eq (last->u.wire.dir, 0);
  ck_assert_uint_eq (last->u.wire.flags, fin_ack);
  ck_assert (!last->u.wire.any);

  /* the FIN sent at 300 ms is lost at 325 ms, half-way, and never arrives */
  fin = client_fin (after);
  ck_assert_int_eq (fin->time_us, 300000);
  ck_assert_int_eq (fin->u.seg.fate, TL_FATE_LOST_SCRIPTED);
  ck_assert_uint_eq (fin->u.seg.delay_us, 25000);
  ck_assert_uint_eq (count_arrivals (after, fin->u.seg.id), 0);
  ck_assert_int_eq (state_of (session, 1), TL_STATE_ESTABLISHED);
  /* before the playhead it is still on its way; at the playhead it is gone */
  tl_world_init (&world);
  tl_trace_world_at (after, 324999, &world);
  ck_assert_uint_eq (world.in_flight->len, 1);
  tl_trace_world_at (after, 325000, &world);
  ck_assert_uint_eq (world.in_flight->len, 0);
  tl_world_clear (&world);
  ck_assert_uint_eq (tl_session_count_on_wire (session, 0, fin_ack), 0);

  /* nothing left on the wire to lose: refused, the trace stays */
  ck_assert (!tl_session_lose_on_wire (session, 0, fin_ack, &error));
  ck_assert (g_error_matches (error, TL_SESSION_ERROR, TL_SESSION_ERROR_NO_SEGMENT));
  ck_assert_ptr_eq (tl_session_get_trace (session), after);
}
END_TEST

START_TEST (test_duplicate_on_wire_delivers_the_fin_twice)
{
  g_autoptr(TlSession) session = session_with_lesson ();
  g_autoptr(GError) error = NULL;
  guint8 fin_ack = TL_FLAG_FIN | TL_FLAG_ACK;
  const TlRecord *fin;

  tl_session_set_time (session, 325000);
  ck_assert (tl_session_duplicate_on_wire (session, 0, fin_ack, &error));
  ck_assert_int_eq (tl_session_get_time (session), 325000);
  fin = client_fin (tl_session_get_trace (session));
  ck_assert_int_eq (fin->u.seg.fate, TL_FATE_DELIVERED);
  ck_assert_uint_eq (count_arrivals (tl_session_get_trace (session), fin->u.seg.id), 2);
  ck_assert (has_segment (tl_session_get_trace (session), 0, fin_ack, TL_FATE_DUPLICATE));

  /* the SYN,ACK arrived long ago */
  ck_assert (!tl_session_duplicate_on_wire (session, 1, TL_FLAG_SYN | TL_FLAG_ACK, &error));
  ck_assert (g_error_matches (error, TL_SESSION_ERROR, TL_SESSION_ERROR_NO_SEGMENT));
}
END_TEST

static char *
trace_text (const TlTrace *trace)
{
  GString *out = g_string_new (NULL);

  tl_trace_write_text (trace, out);
  return g_string_free (out, FALSE);
}

START_TEST (test_save_as_lesson_round_trips)
{
  g_autoptr(TlSession) session = tl_session_new ();
  g_autofree char *path = g_build_filename (tmp_dir, "free-play.lesson", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(TlScenario) parsed = NULL;
  g_autoptr(TlTrace) replayed = NULL;
  g_autofree char *written = NULL;
  g_autofree char *again = NULL;
  g_autofree char *want = NULL;
  g_autofree char *got = NULL;
  TlStmt listen = { .kind = TL_STMT_LISTEN, .host = 1, .u.listen.port = 80 };
  TlStmt connect = { .kind = TL_STMT_CONNECT, .host = 0, .u.connect = { 1, 80, 0 } };
  TlStmt close = { .kind = TL_STMT_CLOSE, .host = 0, .conn = { 0, 0 } };

  /* A free play: listen and connect at 0, close once established. */
  tl_session_intervene (session, &listen);
  tl_session_intervene (session, &connect);
  play_until_stopped (session);
  ck_assert_int_eq (state_of (session, 0), TL_STATE_ESTABLISHED);
  tl_session_intervene (session, &close);

  ck_assert_msg (tl_session_save_lesson (session, file, FALSE, &error), "%s",
                 error ? error->message : "");
  parsed = tl_lesson_parse_file (path, NULL, &error);
  ck_assert_msg (parsed != NULL, "%s", error ? error->message : "");
  ck_assert_str_eq (parsed->title, "free-play");
  ck_assert_uint_eq (parsed->stmts->len, 3);
  written = tl_scenario_to_lesson (parsed);
  g_clear_pointer (&parsed->title, g_free);
  again = tl_scenario_to_lesson (parsed);
  want = tl_scenario_to_lesson (tl_session_get_scenario (session));
  ck_assert_str_eq (again, want);
  replayed = tl_simulate (parsed);
  g_free (want);
  want = trace_text (tl_session_get_trace (session));
  got = trace_text (replayed);
  ck_assert_str_eq (got, want);

  /* Never over an existing file without being told to. */
  ck_assert (!tl_session_save_lesson (session, file, FALSE, &error));
  ck_assert (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS));
  g_clear_error (&error);
  ck_assert (tl_session_save_lesson (session, file, TRUE, &error));
}
END_TEST

/* A `lose` made in the window is saved as a `lose` line, which reads back
 * to the same scenario and plays the same. */
START_TEST (test_save_as_lesson_writes_lose)
{
  g_autoptr(TlSession) session = session_with_lesson ();
  g_autofree char *path = g_build_filename (tmp_dir, "lost-fin.lesson", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(TlScenario) parsed = NULL;
  g_autoptr(TlTrace) replayed = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *want = NULL;
  g_autofree char *got = NULL;
  const TlStmt *last;

  tl_session_set_time (session, 325000);
  ck_assert (tl_session_lose_on_wire (session, 0, TL_FLAG_FIN | TL_FLAG_ACK, &error));
  ck_assert_msg (tl_session_save_lesson (session, file, FALSE, &error), "%s",
                 error ? error->message : "");
  ck_assert (g_file_get_contents (path, &contents, NULL, NULL));
  ck_assert_msg (strstr (contents, "\n325ms lose client->server FIN,ACK\n") != NULL, "%s", contents);

  parsed = tl_lesson_parse_file (path, NULL, &error);
  ck_assert_msg (parsed != NULL, "%s", error ? error->message : "");
  last = find_stmt (parsed, TL_STMT_LOSE);
  ck_assert_ptr_nonnull (last);
  ck_assert_int_eq (last->time_us, 325000);
  ck_assert_int_eq (last->u.wire.dir, 0);
  ck_assert_uint_eq (last->u.wire.flags, TL_FLAG_FIN | TL_FLAG_ACK);
  replayed = tl_simulate (parsed);
  want = trace_text (tl_session_get_trace (session));
  got = trace_text (replayed);
  ck_assert_str_eq (got, want);
}
END_TEST

START_TEST (test_broken_reload_keeps_last_good_version)
{
  g_autoptr(TlSession) session = session_with_lesson ();
  g_autoptr(GFile) file = g_object_ref (tl_session_get_file (session));
  g_autoptr(GError) error = NULL;
  const TlTrace *good = tl_session_get_trace (session);
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *place = g_strdup_printf ("%s:3:", path);

  tl_session_set_time (session, 110000);
  ck_assert (g_file_set_contents (path, "title \"x\"\nhost client 10.0.0.1\nhots server 10.0.0.2\n", -1, NULL));
  ck_assert (!tl_session_reload (session, &error));
  ck_assert_ptr_nonnull (tl_session_get_errors (session));
  ck_assert_msg (strstr (tl_session_get_errors (session), place) != NULL, "%s", tl_session_get_errors (session));
  ck_assert_ptr_eq (tl_session_get_trace (session), good);
  ck_assert_int_eq (tl_session_get_time (session), 110000);
  tl_session_step_forward (session);
  ck_assert_int_gt (tl_session_get_time (session), 110000);

  ck_assert (g_file_set_contents (path, handshake_lesson, -1, NULL));
  g_clear_error (&error);
  ck_assert (tl_session_reload (session, &error));
  ck_assert_ptr_null (tl_session_get_errors (session));
}
END_TEST

static void
notified (gboolean *flag)
{
  *flag = TRUE;
}

START_TEST (test_changed_file_is_reloaded)
{
  g_autoptr(TlSession) session = session_with_lesson ();
  g_autofree char *path = g_file_get_path (tl_session_get_file (session));
  g_autofree char *text = g_strdup (handshake_lesson);
  gboolean changed = FALSE;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_signal_connect_swapped (session, "notify::scenario", G_CALLBACK (notified), &changed);
  memcpy (strstr (text, "Test handshake"), "Fest", 4);
  /* As an editor saves: a new file renamed over the old one. */
  ck_assert (g_file_set_contents (path, text, -1, NULL));
  while (!changed && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  ck_assert (changed);
  ck_assert_str_eq (tl_session_get_scenario (session)->title, "Fest handshake");
}
END_TEST

/* A broken lesson's problems in the window are in the user's language: the
 * message, the hint and the frame, the lesson's words as written (a test of
 * its own, tagged "zh_CN": it needs the zh_CN.UTF-8 locale). */
START_TEST (test_errors_in_the_users_language)
{
  g_autoptr(TlSession) session = tl_session_new ();
  g_autoptr(GFile) file = write_lesson ("broken.lesson",
    "host client 10.0.0.1\n"
    "host server 10.0.0.2\n"
    "0ms     server listen 80\n"
    "200ms   expect client ESTABLISHD\n");
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *expected = g_strdup_printf ("%s:4:23: 错误：未知的状态“ESTABLISHD”\n"
                                               "  提示：你是想写 ESTABLISHED 吗？", path);

  ck_assert_ptr_nonnull (setlocale (LC_ALL, "zh_CN.UTF-8"));
  tl_paths_bind_textdomain ();
  ck_assert (!tl_session_load_file (session, file, NULL));
  ck_assert_str_eq (tl_session_get_errors (session), expected);
  /* a file that cannot be read too (it was English whatever the language) */
  {
    g_autofree char *fifo = g_build_filename (tmp_dir, "fifo.lesson", NULL);
    g_autoptr(GFile) fifo_file = g_file_new_for_path (fifo);
    g_autofree char *want = g_strdup_printf ("%s: 错误：无法读取：它是FIFO（命名管道），不是普通文件",
                                             fifo);

    ck_assert_int_eq (mkfifo (fifo, 0600), 0);
    ck_assert (!tl_session_load_file (session, fifo_file, NULL));
    ck_assert_str_eq (tl_session_get_errors (session), want);
  }
  setlocale (LC_ALL, "C");
}
END_TEST

/* A capture opens as a lesson does: its trace plays as captured (the
 * client's FIN_WAIT_2 inferred), under the capture's name. */
START_TEST (test_capture_opens_with_inferred_states)
{
  g_autoptr(TlSession) session = tl_session_new ();
  g_autofree char *path = g_build_filename (TL_SOURCE_TESTS_DIR, "captures", "lost-fin.pcap", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  const TlTrace *trace;
  gboolean inferred_fin_wait_2 = FALSE;

  ck_assert_msg (tl_session_load_file (session, file, &error), "%s", error ? error->message : "");
  ck_assert_str_eq (tl_session_get_scenario (session)->title, "Capture lost-fin.pcap");
  trace = tl_session_get_trace (session);
  for (guint i = 0; i < tl_trace_n_records (trace); i++)
    {
      const TlRecord *r = tl_trace_record (trace, i);

      if (r->kind == TL_REC_STATE && r->host == 0 && r->u.state.to == TL_STATE_FIN_WAIT_2)
        inferred_fin_wait_2 = (r->u.state.flags & TL_STATE_FLAG_INFERRED) != 0;
    }
  ck_assert (inferred_fin_wait_2);
  /* the lost FIN: a segment of the trace, not of a simulation */
  ck_assert_uint_eq (tl_trace_count_segments (trace, 0, TL_FLAG_FIN | TL_FLAG_ACK, FALSE,
                                              tl_trace_end_time (trace)), 2);
}
END_TEST


/* Asserts that the run playing departs from the lesson as written: at
 * time_us, for the change made at change_us (not checked if negative), and
 * that the what-if's line reads line (not checked if NULL).  The departure. */
static TlSessionDeparture
assert_departs (TlSession  *session,
                gint64      change_us,
                gint64      time_us,
                const char *line)
{
  TlSessionDeparture d;

  ck_assert (tl_session_get_departure (session, &d));
  if (change_us >= 0)
    ck_assert_int_eq (d.change_us, change_us);
  ck_assert_int_eq (d.time_us, time_us);
  if (line != NULL)
    {
      g_autofree char *described = tl_whatif_describe (session);

      ck_assert_str_eq (described, line);
    }
  return d;
}

/* A what-if knows where it departs: losing the client's FIN on the wire at
 * 325 ms (sent at 300 ms) parts the run from the lesson as written at the
 * change, not at the send; the line says so, and the written trace is kept
 * untouched beside the new one. */
START_TEST (test_whatif_departs_where_the_fin_is_lost)
{
  g_autoptr(TlSession) session = session_with_lesson ();
  g_autoptr(GError) error = NULL;
  const TlTrace *written = tl_session_get_trace (session);
  guint n_written = tl_trace_n_records (written);
  TlSessionDeparture d;

  ck_assert (!tl_session_get_modified (session));
  ck_assert (!tl_session_get_departure (session, &d));
  ck_assert_ptr_null (tl_whatif_describe (session));
  ck_assert_ptr_eq (tl_session_get_written_trace (session), written);

  tl_session_set_time (session, 325000);
  ck_assert (tl_session_lose_on_wire (session, 0, TL_FLAG_FIN | TL_FLAG_ACK, &error));
  ck_assert (tl_session_get_modified (session));
  ck_assert_uint_eq (tl_session_get_n_changes (session), 1);
  ck_assert_ptr_eq (tl_session_get_written_trace (session), written);
  ck_assert_uint_eq (tl_trace_n_records (written), n_written);
  d = assert_departs (session, 325000, 325000,
                      "Your change at 325 ms: the FIN,ACK from client was lost. From here "
                      "the lesson's text describes the original run.");
  /* the first records that differ: the FIN, delivered as written, lost now */
  ck_assert_int_eq (tl_trace_record (written, d.written)->kind, TL_REC_SEGMENT);
  ck_assert_int_eq (tl_trace_record (written, d.written)->time_us, 300000);
  ck_assert_int_eq (tl_trace_record (written, d.written)->u.seg.fate, TL_FATE_DELIVERED);
  ck_assert_int_eq (tl_trace_record (tl_session_get_trace (session), d.changed)->u.seg.fate,
                    TL_FATE_LOST_SCRIPTED);
}
END_TEST

/* A change the run does not feel (the link's loss set to 0 %, as it was,
 * after everything happened) marks the lesson changed but departs nowhere;
 * a crash departs at the crash. */
START_TEST (test_whatif_without_effect_departs_nowhere)
{
  g_autoptr(TlSession) session = session_with_lesson ();
  TlLinkSetting setting = { TL_LINK_LOSS, 0 };
  TlStmt link = { .kind = TL_STMT_LINK };
  TlStmt crash = { .kind = TL_STMT_CRASH, .host = 1 };
  TlSessionDeparture d;

  link.u.link.dir = TL_DIR_BOTH;
  link.u.link.settings = &setting;
  link.u.link.n_settings = 1;
  tl_session_set_time (session, 150000);
  tl_session_intervene (session, &link);
  ck_assert (tl_session_get_modified (session));
  ck_assert (!tl_session_get_departure (session, &d));

  tl_session_set_time (session, 250000);
  tl_session_intervene (session, &crash);
  assert_departs (session, 150000, 250000,
                  "Your change at 150 ms: server crashed. From here the lesson's text "
                  "describes the original run.");
}
END_TEST

/* Undo takes the changes back one at a time, the last one first; with none
 * left the lesson's own trace plays again (the same trace, not a copy).
 * "Back to the lesson as written" takes them all; a reload forgets them. */
START_TEST (test_whatif_undo_and_back_to_the_lesson)
{
  g_autoptr(TlSession) session = session_with_lesson ();
  const TlTrace *written = tl_session_get_trace (session);
  TlStmt crash = { .kind = TL_STMT_CRASH, .host = 1 };
  TlStmt abort_client = { .kind = TL_STMT_ABORT, .host = 0 };
  TlSessionDeparture d;
  guint n_stmts = tl_session_get_scenario (session)->stmts->len;

  ck_assert (!tl_session_undo (session));
  tl_session_set_time (session, 150000);
  tl_session_intervene (session, &abort_client);
  assert_departs (session, -1, 150000, NULL);
  tl_session_set_time (session, 120000);
  tl_session_intervene (session, &crash);
  ck_assert_uint_eq (tl_session_get_n_changes (session), 2);
  ck_assert_uint_eq (tl_session_get_scenario (session)->stmts->len, n_stmts + 2);
  assert_departs (session, -1, 120000, NULL);

  ck_assert (tl_session_undo (session));
  ck_assert_uint_eq (tl_session_get_n_changes (session), 1);
  ck_assert_uint_eq (tl_session_get_scenario (session)->stmts->len, n_stmts + 1);
  assert_departs (session, -1, 150000, NULL);
  ck_assert_int_eq (tl_session_get_time (session), 120000);

  ck_assert (tl_session_undo (session));
  ck_assert (!tl_session_get_modified (session));
  ck_assert_ptr_eq (tl_session_get_trace (session), written);
  ck_assert_uint_eq (tl_session_get_scenario (session)->stmts->len, n_stmts);
  ck_assert (!tl_session_get_departure (session, &d));
  ck_assert (!tl_session_undo (session));

  tl_session_intervene (session, &crash);
  tl_session_intervene (session, &abort_client);
  tl_session_back_to_written (session);
  ck_assert (!tl_session_get_modified (session));
  ck_assert_ptr_eq (tl_session_get_trace (session), written);
  ck_assert_uint_eq (tl_session_get_scenario (session)->stmts->len, n_stmts);

  tl_session_intervene (session, &crash);
  ck_assert (tl_session_reload (session, NULL));
  ck_assert (!tl_session_get_modified (session));
  ck_assert (!tl_session_get_departure (session, &d));
}
END_TEST

/* The number of the lesson's expect lines that fail on the run playing. */
static guint
failed_expectations (TlSession *session)
{
  g_autoptr(GArray) results = tl_check_expectations (tl_session_get_scenario (session),
                                                     tl_session_get_trace (session));
  guint failed = 0;

  for (guint i = 0; i < results->len; i++)
    failed += !g_array_index (results, TlExpectResult, i).ok;
  return failed;
}

/* A lesson's expect lines are judged on the run playing, a what-if's too,
 * and hold again when it is undone; its multiple-choice question stays
 * where it was, with its choices, the right one and why. */
START_TEST (test_whatif_judges_expectations_and_keeps_questions)
{
  g_autoptr(TlSession) session = tl_session_new ();
  g_autoptr(GFile) file = write_lesson ("choice.lesson",
    "title \"Choice\"\n"
    "host client 10.0.0.1\n"
    "host server 10.0.0.2\n"
    "link delay 100ms\n"
    "0ms     server listen 80\n"
    "10ms    client connect server:80\n"
    "300ms   client close\n"
    "450ms   pause \"Where is the server now?\"\n"
    "450ms   choice \"ESTABLISHED\"\n"
    "450ms   choice right \"CLOSE_WAIT\"\n"
    "450ms   explain \"The FIN arrived at 400 ms.\"\n"
    "450ms   expect server CLOSE_WAIT\n"
    "450ms   expect client FIN_WAIT_1\n");
  g_autoptr(GError) error = NULL;
  TlQuestion question;

  ck_assert_msg (tl_session_load_file (session, file, &error), "%s", error ? error->message : "");
  ck_assert_uint_eq (failed_expectations (session), 0);
  ck_assert (tl_scenario_question_at (tl_session_get_scenario (session), 450000, NULL, &question));
  ck_assert_uint_eq (question.n_choices, 2);
  ck_assert_uint_eq (question.right, 1);

  /* the FIN lost on its way: the server stays ESTABLISHED (the client is
   * in FIN_WAIT_1 either way, its ACK not back before 500 ms) */
  tl_session_set_time (session, 350000);
  ck_assert (tl_session_lose_on_wire (session, 0, TL_FLAG_FIN | TL_FLAG_ACK, &error));
  ck_assert_uint_eq (failed_expectations (session), 1);
  ck_assert (tl_scenario_question_at (tl_session_get_scenario (session), 450000, NULL, &question));
  ck_assert_str_eq (question.choices[question.right], "CLOSE_WAIT");
  ck_assert_str_eq (question.explanation, "The FIN arrived at 400 ms.");

  ck_assert (tl_session_undo (session));
  ck_assert_uint_eq (failed_expectations (session), 0);
}
END_TEST

/* Save as lesson keeps an instructor's file as it is (comments, blank
 * lines, spacing, a CRLF, order), byte for byte, adding each change on a
 * line of its own after the last statement at or before its time; a change
 * at the lesson's `end` takes the `end` line out (the run goes on). */
START_TEST (test_save_as_lesson_keeps_the_file_as_written)
{
  static const char original[] =
    "# A handshake, and a close   (comments stay)\n"
    "title \"Kept\"\n"
    "host client 10.0.0.1\n"
    "host server 10.0.0.2\n"
    "link delay 50ms\n"
    "\n"
    "# the setup\n"
    "0ms     server listen 80   # trailing comment\r\n"
    "10ms    client connect server:80\n"
    "\n"
    "\n"
    "200ms   say \"Established.\"\n"
    "# the end\n"
    "1s      end";
  static const char expected[] =
    "# A handshake, and a close   (comments stay)\n"
    "title \"Kept\"\n"
    "host client 10.0.0.1\n"
    "host server 10.0.0.2\n"
    "link delay 50ms\n"
    "\n"
    "# the setup\n"
    "0ms     server listen 80   # trailing comment\r\n"
    "10ms    client connect server:80\n"
    "\n"
    "\n"
    "200ms   say \"Established.\"\n"
    "250ms client close\n"
    "1s server crash\n"
    "# the end\n";
  g_autoptr(TlSession) session = session_with ("kept.lesson", original);
  g_autofree char *out_path = g_build_filename (tmp_dir, "kept-changed.lesson", NULL);
  g_autoptr(GFile) out = g_file_new_for_path (out_path);
  g_autofree char *same_path = g_build_filename (tmp_dir, "kept-same.lesson", NULL);
  g_autoptr(GFile) same = g_file_new_for_path (same_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(TlScenario) parsed = NULL;
  g_autofree char *text = NULL;
  TlStmt close = { .kind = TL_STMT_CLOSE, .host = 0, .conn = { 0, 0 } };
  TlStmt crash = { .kind = TL_STMT_CRASH, .host = 1 };

  /* unchanged: the same bytes */
  ck_assert (tl_session_save_lesson (session, same, FALSE, &error));
  ck_assert (g_file_get_contents (same_path, &text, NULL, NULL));
  ck_assert_str_eq (text, original);
  g_clear_pointer (&text, g_free);

  tl_session_set_time (session, 250000);
  tl_session_intervene (session, &close);
  tl_session_set_time (session, 1000000);
  ck_assert_int_eq (tl_session_get_time (session), 1000000);
  tl_session_intervene (session, &crash);
  ck_assert (tl_session_save_lesson (session, out, FALSE, &error));
  ck_assert (g_file_get_contents (out_path, &text, NULL, NULL));
  ck_assert_str_eq (text, expected);
  /* and it reads back to the scenario played */
  parsed = tl_lesson_parse_file (out_path, NULL, &error);
  ck_assert_msg (parsed != NULL, "%s", error != NULL ? error->message : "");
  ck_assert_uint_eq (parsed->stmts->len, tl_session_get_scenario (session)->stmts->len);
  ck_assert_int_eq (parsed->end_us, -1);
}
END_TEST

Suite *
session_suite (void)
{
  Suite *s = suite_create ("session");
  TCase *tc = tcase_create ("session");

  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_step_forward_and_back_visit_record_times);
  tcase_add_test (tc, test_step_crosses_a_flood_stopping_at_the_client);
  tcase_add_test (tc, test_stopped_run_is_reported);
  tcase_add_test (tc, test_reload_refuses_a_fifo_over_the_lesson);
  tcase_add_test (tc, test_capture_opens_with_inferred_states);
  tcase_add_test (tc, test_play_stops_at_pause_with_its_question);
  tcase_add_test (tc, test_time_wait_is_crossed_in_about_two_seconds);
  tcase_add_test (tc, test_speed_steps);
  tcase_add_test (tc, test_pause_question_in_the_users_language);
  tcase_add_test (tc, test_intervention_resimulates_and_keeps_playhead);
  tcase_add_test (tc, test_drop_next_loses_that_segment);
  tcase_add_test (tc, test_duplicate_next_sends_it_twice);
  tcase_add_test (tc, test_duplicate_next_doubles_nothing_else);
  tcase_add_test (tc, test_lose_on_wire_drops_the_fin_in_flight);
  tcase_add_test (tc, test_duplicate_on_wire_delivers_the_fin_twice);
  tcase_add_test (tc, test_whatif_departs_where_the_fin_is_lost);
  tcase_add_test (tc, test_whatif_without_effect_departs_nowhere);
  tcase_add_test (tc, test_whatif_undo_and_back_to_the_lesson);
  tcase_add_test (tc, test_whatif_judges_expectations_and_keeps_questions);
  tcase_add_test (tc, test_save_as_lesson_round_trips);
  tcase_add_test (tc, test_save_as_lesson_writes_lose);
  tcase_add_test (tc, test_save_as_lesson_keeps_the_file_as_written);
  tcase_add_test (tc, test_broken_reload_keeps_last_good_version);
  tcase_add_test (tc, test_changed_file_is_reloaded);
  suite_add_tcase (s, tc);

  tc = tcase_create ("zh_CN");
  tcase_set_tags (tc, "zh_CN");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_errors_in_the_users_language);
  suite_add_tcase (s, tc);
  return s;
}
