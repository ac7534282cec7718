/* test-lesson.c: the lesson parser: every statement form, every class of
 * mistake with its message and place, limits, UTF-8; and the writer's round trip. */
#include <check.h>
#include <string.h>
#include <glib/gstdio.h>

#include "tl-budget.h"
#include "tl-lesson.h"
#include "tl-sim.h"

#define HOSTS "host client 10.0.0.1\nhost server 10.0.0.2\n"

static TlScenario *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  TlScenario *scenario = tl_lesson_parse (text, -1, "t.lesson", NULL, &error);

  if (scenario == NULL)
    ck_abort_msg ("unexpected error: %s", error->message);
  return scenario;
}

static const TlStmt *
stmt_at (const TlScenario *scenario,
         guint             i)
{
  ck_assert_uint_lt (i, scenario->stmts->len);
  return &g_array_index (scenario->stmts, TlStmt, i);
}

/* The one statement of HOSTS + line. */
static TlScenario *
parse_one (const char *line)
{
  g_autofree char *text = g_strconcat (HOSTS, line, "\n", NULL);
  TlScenario *scenario = parse_ok (text);

  ck_assert_uint_eq (scenario->stmts->len, 1);
  return scenario;
}

/* The error message of a text that must not parse, and its problems. */
static char *
parse_error (const char  *text,
             GPtrArray  **problems,
             gint         code)
{
  g_autoptr(GError) error = NULL;
  TlScenario *scenario = tl_lesson_parse (text, -1, "t.lesson", problems, &error);

  ck_assert_ptr_null (scenario);
  ck_assert_ptr_nonnull (error);
  ck_assert (g_error_matches (error, TL_LESSON_ERROR, code));
  if (problems != NULL)
    ck_assert_ptr_nonnull (*problems);
  return g_strdup (error->message);
}

static void
assert_error (const char *text,
              const char *expected)
{
  g_autofree char *message = parse_error (text, NULL, TL_LESSON_ERROR_SYNTAX);

  ck_assert_str_eq (message, expected);
}

START_TEST (test_setup_lines)
{
  g_autoptr(TlScenario) s = parse_ok (
    "# a comment\n"
    "title \"Simultaneous close\"\n"
    "title.zh_CN \"同时关闭\"\n"
    "summary \"Both \\\"close\\\" at once;\\nboth pass \\\\ CLOSING.\"\n"
    "summary.zh_CN \"双方同时关闭。\"\n"
    "SEED 42\n"
    "host alice 192.168.1.10   # the client\n"
    "host bob 192.168.1.20\n"
    "link delay 50ms jitter 1.5ms\n"
    "link bob->alice loss 0.5% duplicate 100%\n"
    "link alice->bob down\n"
    "set all isn 0 msl 1s\n"
    "set bob profile rfc rto_min 2s syncookies always keepalive on autoaccept off isn 7\n"
    "set alice isn random window 1000 mss 536 keepalive_idle 120min\n");

  ck_assert_str_eq (s->title, "Simultaneous close");
  ck_assert_str_eq (s->summary, "Both \"close\" at once;\nboth pass \\ CLOSING.");
  ck_assert_str_eq (tl_scenario_title (s, "zh_CN.UTF-8"), "同时关闭");
  ck_assert_str_eq (tl_scenario_summary (s, "zh_CN"), "双方同时关闭。");
  ck_assert_uint_eq (s->seed, 42);
  ck_assert_str_eq (s->hosts[0].name, "alice");
  ck_assert_uint_eq (s->hosts[0].addr, 0xC0A8010A);
  ck_assert_str_eq (s->hosts[1].name, "bob");
  ck_assert_int_eq (s->link[0].delay_us, 50000);
  ck_assert_int_eq (s->link[1].jitter_us, 1500);
  ck_assert_uint_eq (s->link[0].loss_ppm, 0);
  ck_assert_uint_eq (s->link[1].loss_ppm, 5000);
  ck_assert_uint_eq (s->link[1].duplicate_ppm, 1000000);
  ck_assert (s->link[0].down);
  ck_assert (!s->link[1].down);
  ck_assert (s->settings[0].isn_random);   /* `isn random` after `isn 0` */
  ck_assert (!s->settings[1].isn_random);
  ck_assert_uint_eq (s->settings[1].isn, 7);
  ck_assert_int_eq (s->settings[1].profile, TL_PROFILE_RFC);
  ck_assert_int_eq (s->settings[1].msl_us, 120 * TL_USEC_PER_SEC);   /* rfc reset msl */
  ck_assert_int_eq (s->settings[0].msl_us, TL_USEC_PER_SEC);
  ck_assert_int_eq (s->settings[1].rto_min_us, 2 * TL_USEC_PER_SEC);
  ck_assert_int_eq (s->settings[1].syncookies, TL_SYNCOOKIES_ALWAYS);
  ck_assert (s->settings[1].keepalive);
  ck_assert (!s->settings[1].autoaccept);
  ck_assert_uint_eq (s->settings[0].window, 1000);
  ck_assert_uint_eq (s->settings[0].mss, 536);
  ck_assert_int_eq (s->settings[0].keepalive_idle_us, 7200 * TL_USEC_PER_SEC);
  ck_assert_uint_eq (s->stmts->len, 0);
  ck_assert_int_eq (s->end_us, -1);
}
END_TEST

START_TEST (test_application_statements)
{
  g_autoptr(TlScenario) s = parse_ok (
    HOSTS
    "0ms server listen 80\n"
    "+10ms client connect server:80\n"
    "20ms client connect server:8080 from 40000\n"
    "30ms server accept\n"
    "30ms server accept 80\n"
    "1.5s client#2 send 1000\n"
    "2s server READ 500\n"
    "2s server#1 read\n"
    "3s client close\n"
    "3s client#1 shutdown\n"
    "3s server abort\n"
    "4s server unlisten 80\n"
    "5s server crash\n"
    "1min server reboot\n");
  const TlStmt *st;

  st = stmt_at (s, 0);
  ck_assert_int_eq (st->kind, TL_STMT_LISTEN);
  ck_assert_uint_eq (st->host, 1);
  ck_assert_uint_eq (st->u.listen.port, 80);
  ck_assert_uint_eq (st->line, 3);
  ck_assert_uint_eq (st->column, 5);
  st = stmt_at (s, 1);
  ck_assert_int_eq (st->kind, TL_STMT_CONNECT);
  ck_assert_int_eq (st->time_us, 10000);
  ck_assert_uint_eq (st->host, 0);
  ck_assert_uint_eq (st->u.connect.peer, 1);
  ck_assert_uint_eq (st->u.connect.port, 80);
  ck_assert_uint_eq (st->u.connect.from_port, 0);
  st = stmt_at (s, 2);
  ck_assert_uint_eq (st->u.connect.port, 8080);
  ck_assert_uint_eq (st->u.connect.from_port, 40000);
  st = stmt_at (s, 3);
  ck_assert_int_eq (st->kind, TL_STMT_ACCEPT);
  ck_assert_uint_eq (st->u.listen.port, 0);
  ck_assert_uint_eq (stmt_at (s, 4)->u.listen.port, 80);
  st = stmt_at (s, 5);
  ck_assert_int_eq (st->kind, TL_STMT_SEND);
  ck_assert_int_eq (st->time_us, 1500000);
  ck_assert_uint_eq (st->conn.host, 0);
  ck_assert_uint_eq (st->conn.ordinal, 2);
  ck_assert_uint_eq (st->u.data.bytes, 1000);
  st = stmt_at (s, 6);
  ck_assert_int_eq (st->kind, TL_STMT_READ);
  ck_assert_uint_eq (st->conn.host, 1);
  ck_assert_uint_eq (st->conn.ordinal, 0);
  ck_assert_uint_eq (st->u.data.bytes, 500);
  st = stmt_at (s, 7);
  ck_assert_uint_eq (st->conn.ordinal, 1);
  ck_assert_uint_eq (st->u.data.bytes, 0);
  ck_assert_int_eq (stmt_at (s, 8)->kind, TL_STMT_CLOSE);
  ck_assert_int_eq (stmt_at (s, 9)->kind, TL_STMT_SHUTDOWN);
  ck_assert_uint_eq (stmt_at (s, 9)->conn.ordinal, 1);
  ck_assert_int_eq (stmt_at (s, 10)->kind, TL_STMT_ABORT);
  ck_assert_int_eq (stmt_at (s, 11)->kind, TL_STMT_UNLISTEN);
  ck_assert_uint_eq (stmt_at (s, 11)->u.listen.port, 80);
  ck_assert_int_eq (stmt_at (s, 12)->kind, TL_STMT_CRASH);
  ck_assert_uint_eq (stmt_at (s, 12)->host, 1);
  ck_assert_int_eq (stmt_at (s, 13)->kind, TL_STMT_REBOOT);
  ck_assert_int_eq (stmt_at (s, 13)->time_us, 60 * TL_USEC_PER_SEC);
}
END_TEST

START_TEST (test_network_statements)
{
  g_autoptr(TlScenario) s = parse_ok (
    HOSTS
    "1s link loss 5%\n"
    "1s link server->client delay 250us up\n"
    "2s set server syn_queue 8 backlog 4 syncookies off\n"
    "2s set all isn random\n"
    "3s drop next client->server\n"
    "3s drop next server->client SYN,ACK\n"
    "3s drop next client->server FIN,ACK count 3\n"
    "3s drop next client->server count 2\n"
    "4s flood server:80 count 100000 rate 1000/s\n"
    "4s flood server:443 count 5 rate 10/s from 203.0.113.0/25\n"
    "5s lose server->client FIN,ACK\n"
    "5s lose client->server\n"
    "5s duplicate client->server any\n"
    "5s duplicate server->client SYN,ACK\n"
    "6s duplicate next client->server\n"
    "6s duplicate next server->client FIN,ACK count 2\n");
  const TlStmt *st;

  st = stmt_at (s, 0);
  ck_assert_int_eq (st->kind, TL_STMT_LINK);
  ck_assert_int_eq (st->u.link.dir, TL_DIR_BOTH);
  ck_assert_uint_eq (st->u.link.n_settings, 1);
  ck_assert_int_eq (st->u.link.settings[0].param, TL_LINK_LOSS);
  ck_assert_int_eq (st->u.link.settings[0].value, 50000);
  st = stmt_at (s, 1);
  ck_assert_int_eq (st->u.link.dir, 1);
  ck_assert_uint_eq (st->u.link.n_settings, 2);
  ck_assert_int_eq (st->u.link.settings[0].param, TL_LINK_DELAY);
  ck_assert_int_eq (st->u.link.settings[0].value, 250);
  ck_assert_int_eq (st->u.link.settings[1].param, TL_LINK_UP);
  st = stmt_at (s, 2);
  ck_assert_int_eq (st->kind, TL_STMT_SET);
  ck_assert_int_eq (st->u.set.host, 1);
  ck_assert_uint_eq (st->u.set.n_settings, 3);
  ck_assert_int_eq (st->u.set.settings[0].key, TL_KEY_SYN_QUEUE);
  ck_assert_int_eq (st->u.set.settings[0].value, 8);
  ck_assert_int_eq (st->u.set.settings[1].key, TL_KEY_BACKLOG);
  ck_assert_int_eq (st->u.set.settings[2].key, TL_KEY_SYNCOOKIES);
  ck_assert_int_eq (st->u.set.settings[2].value, TL_SYNCOOKIES_OFF);
  st = stmt_at (s, 3);
  ck_assert_int_eq (st->u.set.host, -1);
  ck_assert_int_eq (st->u.set.settings[0].key, TL_KEY_ISN);
  ck_assert_int_eq (st->u.set.settings[0].value, -1);
  st = stmt_at (s, 4);
  ck_assert_int_eq (st->kind, TL_STMT_DROP);
  ck_assert_int_eq (st->u.drop.dir, 0);
  ck_assert (st->u.drop.any);
  ck_assert_uint_eq (st->u.drop.count, 1);
  st = stmt_at (s, 5);
  ck_assert_int_eq (st->u.drop.dir, 1);
  ck_assert (!st->u.drop.any);
  ck_assert_uint_eq (st->u.drop.flags, TL_FLAG_SYN | TL_FLAG_ACK);
  st = stmt_at (s, 6);
  ck_assert_uint_eq (st->u.drop.flags, TL_FLAG_FIN | TL_FLAG_ACK);
  ck_assert_uint_eq (st->u.drop.count, 3);
  st = stmt_at (s, 7);
  ck_assert (st->u.drop.any);
  ck_assert_uint_eq (st->u.drop.count, 2);
  st = stmt_at (s, 8);
  ck_assert_int_eq (st->kind, TL_STMT_FLOOD);
  ck_assert_uint_eq (st->u.flood.target, 1);
  ck_assert_uint_eq (st->u.flood.port, 80);
  ck_assert_uint_eq (st->u.flood.count, 100000);
  ck_assert_uint_eq (st->u.flood.rate_per_s, 1000);
  ck_assert_uint_eq (st->u.flood.net_addr, 0xC6336400);
  ck_assert_uint_eq (st->u.flood.prefix_len, 24);
  st = stmt_at (s, 9);
  ck_assert_uint_eq (st->u.flood.net_addr, 0xCB007100);
  ck_assert_uint_eq (st->u.flood.prefix_len, 25);
  st = stmt_at (s, 10);
  ck_assert_int_eq (st->kind, TL_STMT_LOSE);
  ck_assert_int_eq (st->time_us, 5 * TL_USEC_PER_SEC);
  ck_assert_int_eq (st->u.wire.dir, 1);
  ck_assert (!st->u.wire.any);
  ck_assert_uint_eq (st->u.wire.flags, TL_FLAG_FIN | TL_FLAG_ACK);
  st = stmt_at (s, 11);
  ck_assert_int_eq (st->kind, TL_STMT_LOSE);
  ck_assert_int_eq (st->u.wire.dir, 0);
  ck_assert (st->u.wire.any);
  st = stmt_at (s, 12);
  ck_assert_int_eq (st->kind, TL_STMT_DUPLICATE);
  ck_assert_int_eq (st->u.wire.dir, 0);
  ck_assert (st->u.wire.any);
  st = stmt_at (s, 13);
  ck_assert_int_eq (st->kind, TL_STMT_DUPLICATE);
  ck_assert_int_eq (st->u.wire.dir, 1);
  ck_assert (!st->u.wire.any);
  ck_assert_uint_eq (st->u.wire.flags, TL_FLAG_SYN | TL_FLAG_ACK);
  st = stmt_at (s, 14);
  ck_assert_int_eq (st->kind, TL_STMT_DUPLICATE_NEXT);
  ck_assert_int_eq (st->u.drop.dir, 0);
  ck_assert (st->u.drop.any);
  ck_assert_uint_eq (st->u.drop.count, 1);
  st = stmt_at (s, 15);
  ck_assert_int_eq (st->kind, TL_STMT_DUPLICATE_NEXT);
  ck_assert_int_eq (st->u.drop.dir, 1);
  ck_assert (!st->u.drop.any);
  ck_assert_uint_eq (st->u.drop.flags, TL_FLAG_FIN | TL_FLAG_ACK);
  ck_assert_uint_eq (st->u.drop.count, 2);
}
END_TEST

START_TEST (test_classroom_and_expectations)
{
  g_autoptr(TlScenario) s = parse_ok (
    HOSTS
    "0ms say \"Both FINs\"\n"
    "0ms say.zh_CN \"双方的 FIN\"\n"
    "320ms pause \"What now?\"\n"
    "320ms pause\n"
    "360ms expect client closing\n"
    "360ms expect server#1 syn-recv\n"
    "400ms expect server sockets SYN_RCVD >= 100\n"
    "400ms expect client sockets time-wait = 0\n"
    "400ms expect segments client->server FIN,ACK = 1\n"
    "400ms expect segments server->client any <= 7\n"
    "400ms expect client error ECONNREFUSED\n"
    "400ms expect client#2 error none\n"
    "500ms end\n");
  const TlStmt *st;

  st = stmt_at (s, 0);
  ck_assert_int_eq (st->kind, TL_STMT_SAY);
  ck_assert_str_eq (st->u.say.text, "Both FINs");
  ck_assert_ptr_null (st->u.say.locale);
  st = stmt_at (s, 1);
  ck_assert_str_eq (st->u.say.text, "双方的 FIN");
  ck_assert_str_eq (st->u.say.locale, "zh_CN");
  ck_assert_str_eq (stmt_at (s, 2)->u.pause.question, "What now?");
  ck_assert_int_eq (stmt_at (s, 3)->kind, TL_STMT_PAUSE);
  ck_assert_ptr_null (stmt_at (s, 3)->u.pause.question);
  st = stmt_at (s, 4);
  ck_assert_int_eq (st->kind, TL_STMT_EXPECT_STATE);
  ck_assert_int_eq (st->u.expect_state.state, TL_STATE_CLOSING);
  st = stmt_at (s, 5);
  ck_assert_int_eq (st->u.expect_state.state, TL_STATE_SYN_RCVD);
  ck_assert_uint_eq (st->conn.host, 1);
  ck_assert_uint_eq (st->conn.ordinal, 1);
  st = stmt_at (s, 6);
  ck_assert_int_eq (st->kind, TL_STMT_EXPECT_SOCKETS);
  ck_assert_uint_eq (st->host, 1);
  ck_assert_int_eq (st->u.expect_sockets.state, TL_STATE_SYN_RCVD);
  ck_assert_int_eq (st->u.expect_sockets.cmp, TL_CMP_GE);
  ck_assert_uint_eq (st->u.expect_sockets.n, 100);
  st = stmt_at (s, 7);
  ck_assert_int_eq (st->u.expect_sockets.state, TL_STATE_TIME_WAIT);
  ck_assert_int_eq (st->u.expect_sockets.cmp, TL_CMP_EQ);
  st = stmt_at (s, 8);
  ck_assert_int_eq (st->kind, TL_STMT_EXPECT_SEGMENTS);
  ck_assert_int_eq (st->u.expect_segments.dir, 0);
  ck_assert_uint_eq (st->u.expect_segments.flags, TL_FLAG_FIN | TL_FLAG_ACK);
  ck_assert (!st->u.expect_segments.any);
  ck_assert_uint_eq (st->u.expect_segments.n, 1);
  st = stmt_at (s, 9);
  ck_assert_int_eq (st->u.expect_segments.dir, 1);
  ck_assert (st->u.expect_segments.any);
  ck_assert_int_eq (st->u.expect_segments.cmp, TL_CMP_LE);
  ck_assert_uint_eq (st->u.expect_segments.n, 7);
  st = stmt_at (s, 10);
  ck_assert_int_eq (st->kind, TL_STMT_EXPECT_ERROR);
  ck_assert_int_eq (st->u.expect_error.error, TL_ERR_ECONNREFUSED);
  ck_assert_int_eq (stmt_at (s, 11)->u.expect_error.error, TL_ERR_NONE);
  ck_assert_int_eq (stmt_at (s, 12)->kind, TL_STMT_END);
  ck_assert_int_eq (s->end_us, 500000);
}
END_TEST

/* pause.LOCALE: a translation of the question of the `pause` just before it. */
START_TEST (test_pause_translations)
{
  g_autoptr(TlScenario) s = parse_ok (
    HOSTS
    "320ms pause \"What now?\"\n"
    "320ms pause.zh_CN \"现在呢？\"\n"
    "320ms pause.de \"Und jetzt?\"\n"
    "400ms pause\n");
  const TlStmt *st;

  st = stmt_at (s, 0);
  ck_assert_int_eq (st->kind, TL_STMT_PAUSE);
  ck_assert_str_eq (st->u.pause.question, "What now?");
  ck_assert_ptr_null (st->u.pause.locale);
  st = stmt_at (s, 1);
  ck_assert_int_eq (st->kind, TL_STMT_PAUSE);
  ck_assert_str_eq (st->u.pause.question, "现在呢？");
  ck_assert_str_eq (st->u.pause.locale, "zh_CN");
  ck_assert_str_eq (stmt_at (s, 2)->u.pause.locale, "de");
  ck_assert_ptr_null (stmt_at (s, 3)->u.pause.locale);

  assert_error (HOSTS "320ms pause.zh_CN \"现在呢？\"\n",
                "t.lesson:3:7: error: 'pause.zh_CN' translates the 'pause' just before it at "
                "the same time, and there is none (put it on the line after its 'pause', at "
                "the same time)");
  assert_error (HOSTS "300ms pause \"What now?\"\n320ms pause.zh_CN \"现在呢？\"\n",
                "t.lesson:4:7: error: 'pause.zh_CN' translates the 'pause' just before it at "
                "the same time, and there is none (put it on the line after its 'pause', at "
                "the same time)");
  assert_error (HOSTS "320ms pause \"What now?\"\n320ms say \"x\"\n"
                "320ms pause.zh_CN \"现在呢？\"\n",
                "t.lesson:5:7: error: 'pause.zh_CN' translates the 'pause' just before it at "
                "the same time, and there is none (put it on the line after its 'pause', at "
                "the same time)");
  assert_error (HOSTS "320ms pause\n320ms pause.zh_CN \"现在呢？\"\n",
                "t.lesson:4:7: error: 'pause.zh_CN' translates a question, and the 'pause' on "
                "line 3 has none (give that 'pause' a question first)");
  assert_error (HOSTS "320ms pause \"What now?\"\n320ms pause.zh_CN \"现在呢？\"\n"
                "320ms pause.zh_CN \"又是？\"\n",
                "t.lesson:5:7: error: a second 'pause.zh_CN' for the pause on line 4");
  assert_error (HOSTS "320ms pause \"What now?\"\n320ms pause.zh_CN\n",
                "t.lesson:4:19: error: expected a quoted question after 'pause.zh_CN'");
  assert_error (HOSTS "320ms pause \"What now?\"\n320ms pause.zh-CN \"x\"\n",
                "t.lesson:4:13: error: bad locale 'zh-CN' (a locale looks like zh_CN or de)");
}
END_TEST

START_TEST (test_lexical_rules)
{
  g_autoptr(TlScenario) a = parse_one ("\t10MS   client#2 CLOSE # bye");
  g_autoptr(TlScenario) c = parse_one ("0ms say \"not # a comment\"  # but this is");
  g_autoptr(TlScenario) d = parse_one ("2.000001s client close");
  g_autofree char *message = NULL;

  /* Host names are case-sensitive, keywords are not. */
  message = parse_error (HOSTS "10ms CLIENT close\n", NULL, TL_LESSON_ERROR_SYNTAX);
  ck_assert_str_eq (message, "t.lesson:3:6: error: unknown host 'CLIENT' "
                    "(the hosts are client and server)");
  ck_assert_str_eq (c->hosts[0].name, "client");
  ck_assert_str_eq (stmt_at (c, 0)->u.say.text, "not # a comment");
  ck_assert_int_eq (stmt_at (d, 0)->time_us, 2000001);
  ck_assert_int_eq (stmt_at (a, 0)->time_us, 10000);
  ck_assert_int_eq (stmt_at (a, 0)->kind, TL_STMT_CLOSE);
  ck_assert_uint_eq (stmt_at (a, 0)->conn.ordinal, 2);
}
END_TEST

START_TEST (test_durations)
{
  static const struct { const char *text; gint64 us; } cases[] = {
    { "0ms", 0 }, { "250us", 250 }, { "250ms", 250000 }, { "1.5s", 1500000 },
    { "2min", 120000000 }, { "0.001ms", 1 }, { "1.250000s", 1250000 }, { "60min", 3600000000 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *line = g_strdup_printf ("%s client close", cases[i].text);
      g_autoptr(TlScenario) s = parse_one (line);

      ck_assert_int_eq (stmt_at (s, 0)->time_us, cases[i].us);
    }
}
END_TEST

START_TEST (test_error_messages_and_positions)
{
  assert_error (HOSTS "420ms expect client ESTABLISHD\n",
                "t.lesson:3:21: error: unknown state 'ESTABLISHD' (did you mean ESTABLISHED?)");
  assert_error (HOSTS "0ms clinet connect server:80\n",
                "t.lesson:3:5: error: unknown host 'clinet' (the hosts are client and server)");
  assert_error (HOSTS "0ms client connect sever:80\n",
                "t.lesson:3:20: error: unknown host 'sever' (the hosts are client and server)");
  assert_error (HOSTS "0ms server lisen 80\n",
                "t.lesson:3:12: error: unknown statement 'lisen' (did you mean listen?)");
  assert_error (HOSTS "0ms pase \"Why?\"\n",
                "t.lesson:3:5: error: unknown statement 'pase' (did you mean pause?)");
  assert_error ("titel \"x\"\n" HOSTS,
                "t.lesson:1:1: error: unknown keyword 'titel' (did you mean title?)");
  assert_error (HOSTS "set all rto_mn 1s\n",
                "t.lesson:3:9: error: unknown key 'rto_mn' (did you mean rto_min?)");
  assert_error (HOSTS "link dely 5ms\n",
                "t.lesson:3:6: error: unknown link parameter 'dely' (did you mean delay?)");
  assert_error (HOSTS "0ms server listen\n",
                "t.lesson:3:19: error: expected a port after 'listen'");
  assert_error (HOSTS "0ms server listen 70000\n",
                "t.lesson:3:19: error: port 70000 is out of range (1 to 65535)");
  assert_error (HOSTS "0ms client close now\n",
                "t.lesson:3:18: error: unexpected 'now' at the end of the statement");
  assert_error (HOSTS "10 client close\n",
                "t.lesson:3:1: error: time '10' needs a unit (the units are us, ms, s and min)");
  assert_error (HOSTS "1.0000001s client close\n",
                "t.lesson:3:1: error: time '1.0000001s' is finer than a microsecond");
  assert_error (HOSTS "300ms client close\n200ms client close\n",
                "t.lesson:4:1: error: time 200ms goes back before 300ms "
                "(lines come in the order of their times)");
  assert_error (HOSTS "0ms say \"abc\n",
                "t.lesson:3:9: error: unterminated string (close the string with '\"')");
  assert_error (HOSTS "0ms say \"a\\tb\"\n",
                "t.lesson:3:11: error: unknown escape '\\t' in a string (write \\\" \\\\ or \\n)");
  assert_error (HOSTS "0ms say hello\n",
                "t.lesson:3:9: error: expected a quoted text after 'say', got 'hello' "
                "(put the text in double quotes)");
  assert_error (HOSTS "link loss 101%\n",
                "t.lesson:3:11: error: loss '101%' is more than 100%");
  assert_error (HOSTS "0ms drop next client->server SYN,AK\n",
                "t.lesson:3:30: error: bad flags 'SYN,AK' (flags are SYN, FIN, RST, PSH and "
                "ACK joined by commas (SYN,ACK), or any)");
  assert_error (HOSTS "0ms lose client->server FIN,AK\n",
                "t.lesson:3:25: error: bad flags 'FIN,AK' (flags are SYN, FIN, RST, PSH and "
                "ACK joined by commas (SYN,ACK), or any)");
  assert_error (HOSTS "0ms lose\n",
                "t.lesson:3:10: error: expected a direction after 'lose'");
  assert_error (HOSTS "0ms duplicate client\n",
                "t.lesson:3:15: error: expected a direction A->B, got 'client' "
                "(write a direction as client->server)");
  assert_error (HOSTS "0ms duplicate server->server\n",
                "t.lesson:3:15: error: a direction goes from one host to the other, "
                "not 'server->server'");
  assert_error (HOSTS "0ms lose client->server FIN,ACK count 2\n",
                "t.lesson:3:33: error: unexpected 'count' at the end of the statement");
  assert_error (HOSTS "0ms loose client->server\n",
                "t.lesson:3:5: error: unknown statement 'loose' (did you mean lose?)");
  assert_error (HOSTS "0ms expect segments client->client SYN = 1\n",
                "t.lesson:3:21: error: a direction goes from one host to the other, "
                "not 'client->client'");
  assert_error (HOSTS "0ms expect client sockets LISTEN == 1\n",
                "t.lesson:3:34: error: expected a comparison, got '==' "
                "(compare with =, >= or <=)");
  assert_error (HOSTS "0ms expect client error ECONNRESTE\n",
                "t.lesson:3:25: error: unknown error 'ECONNRESTE' (did you mean ECONNRESET?)");
  assert_error (HOSTS "0ms client#0 close\n",
                "t.lesson:3:12: error: bad connection number in 'client#0' "
                "(connections are counted from 1: client#1, client#2, ...)");
  assert_error (HOSTS "0ms client#2 listen 80\n",
                "t.lesson:3:5: error: 'listen' is done by a host: write 'client' without #N");
  assert_error (HOSTS "0ms client connect client:80\n",
                "t.lesson:3:20: error: a host connects to the other host, not to itself");
  assert_error (HOSTS "0ms client close\nseed 3\n",
                "t.lesson:4:1: error: setup line 'seed' after the first timed line "
                "(put setup lines before the first timed line)");
  assert_error (HOSTS "0ms client close\nlink loss 1%\n",
                "t.lesson:4:1: error: 'link' after the first timed line needs a time "
                "(write the time in front, e.g. +0ms)");
  assert_error ("host client 10.0.0.1\n0ms client close\n",
                "t.lesson:2:1: error: a lesson declares two hosts before its first timed "
                "line; found 1 (e.g. host client 10.0.0.1 and host server 10.0.0.2)");
  assert_error (HOSTS "host third 10.0.0.3\n",
                "t.lesson:3:1: error: a third host 'third': a lesson has exactly two");
  assert_error ("host client 10.0.0.1\nhost server 10.0.0.256\n",
                "t.lesson:2:13: error: bad IPv4 address '10.0.0.256' (e.g. 10.0.0.1)\n"
                "t.lesson:3:1: error: a lesson declares two hosts before its first timed "
                "line; found 1 (e.g. host client 10.0.0.1 and host server 10.0.0.2)");
  assert_error (HOSTS "1s end\n2s client close\n",
                "t.lesson:4:1: error: this line is after the 'end' at 1s (line 3) "
                "and would never happen");
  assert_error (HOSTS "set server syncookies maybe\n",
                "t.lesson:3:23: error: bad value 'maybe' for syncookies "
                "(syncookies is off or on or always)");
  assert_error (HOSTS "set client port_range 40010-40000\n",
                "t.lesson:3:23: error: bad value '40010-40000' for port_range "
                "(port_range is FIRST-LAST (32768-60999))");
  assert_error (HOSTS "set client port_range 40000\n",
                "t.lesson:3:23: error: bad value '40000' for port_range "
                "(port_range is FIRST-LAST (32768-60999))");
  assert_error (HOSTS "set client port_range 40000-70000\n",
                "t.lesson:3:29: error: port 70000 is out of range (1 to 65535)");
  assert_error (HOSTS "0ms flood server:80 count 10 rate 5\n",
                "t.lesson:3:35: error: bad rate '5' (write the rate in SYNs per second, "
                "e.g. 1000/s)");
  assert_error (HOSTS "0ms flood server:80 count 10 rate 5/s from 10.1.1.1/24\n",
                "t.lesson:3:44: error: '10.1.1.1/24' has bits set after its /24 prefix");
}
END_TEST

START_TEST (test_problem_list_and_hint_format)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *message = parse_error (HOSTS "420ms expect client ESTABLISHD\n",
                                          &problems, TL_LESSON_ERROR_SYNTAX);
  const TlLessonProblem *problem;
  g_autofree char *formatted = NULL;

  ck_assert_uint_eq (problems->len, 1);
  ck_assert_ptr_nonnull (strstr (message, ":3:21: error: unknown state 'ESTABLISHD'"));
  problem = g_ptr_array_index (problems, 0);
  ck_assert_uint_eq (problem->line, 3);
  ck_assert_uint_eq (problem->column, 21);
  ck_assert_str_eq (problem->message, "unknown state 'ESTABLISHD'");
  ck_assert_str_eq (problem->hint, "did you mean ESTABLISHED?");
  formatted = tl_lesson_problem_format (problem, "t.lesson");
  ck_assert_str_eq (formatted, "t.lesson:3:21: error: unknown state 'ESTABLISHD'\n"
                    "  hint: did you mean ESTABLISHED?");
}
END_TEST

START_TEST (test_several_errors_in_one_pass)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *message = parse_error (
    HOSTS
    "0ms server listen 80\n"
    "10ms client conect server:80\n"
    "20ms expect client ESTABLISHED\n"
    "30ms expect client ESTABLISHD\n"
    "40ms expect clint CLOSED\n",
    &problems, TL_LESSON_ERROR_SYNTAX);

  ck_assert_uint_eq (problems->len, 3);
  ck_assert_str_eq (message,
                    "t.lesson:4:13: error: unknown statement 'conect' (did you mean connect?)\n"
                    "t.lesson:6:20: error: unknown state 'ESTABLISHD' "
                    "(did you mean ESTABLISHED?)\n"
                    "t.lesson:7:13: error: unknown host 'clint' "
                    "(the hosts are client and server)");
}
END_TEST

START_TEST (test_utf8_passes_through)
{
  g_autoptr(TlScenario) s = parse_one ("0ms say.zh_CN \"三次握手：SYN、SYN,ACK、ACK。\\n第二行\"");
  g_autofree char *message = NULL;

  ck_assert_str_eq (stmt_at (s, 0)->u.say.text, "三次握手：SYN、SYN,ACK、ACK。\n第二行");
  /* Columns count characters, not bytes. */
  message = parse_error (HOSTS "0ms say \"握手\" 额外\n", NULL, TL_LESSON_ERROR_SYNTAX);
  ck_assert_str_eq (message, "t.lesson:3:14: error: unexpected '额外' at the end of the statement");
}
END_TEST

START_TEST (test_invalid_utf8_position)
{
  g_autofree char *message = parse_error (HOSTS "0ms say \"握手\xff\"\n5ms clint close\n", NULL,
                                          TL_LESSON_ERROR_SYNTAX);

  ck_assert_str_eq (message, "t.lesson:3:12: error: invalid UTF-8 (byte 0xFF) "
                    "(save the file as UTF-8)\n"
                    "t.lesson:4:5: error: unknown host 'clint' (the hosts are client and server)");
}
END_TEST

START_TEST (test_limits)
{
  g_autofree char *big = g_malloc (TL_LESSON_MAX_BYTES + 2);
  g_autofree char *message = NULL;
  g_autofree char *long_line = NULL;
  GString *many = g_string_new (HOSTS);

  memset (big, '#', TL_LESSON_MAX_BYTES + 1);
  big[TL_LESSON_MAX_BYTES + 1] = '\0';
  message = parse_error (big, NULL, TL_LESSON_ERROR_LIMIT);
  ck_assert_str_eq (message, "t.lesson:1:1: error: the file is 4194305 bytes; a lesson may "
                    "have at most 4194304");
  g_clear_pointer (&message, g_free);

  long_line = g_strnfill (TL_LESSON_MAX_LINE + 1, 'x');
  message = parse_error (long_line, NULL, TL_LESSON_ERROR_LIMIT);
  ck_assert (g_str_has_prefix (message, "t.lesson:1:1: error: line is 4097 bytes long; "
                               "the limit is 4096\n"));
  g_clear_pointer (&message, g_free);

  message = parse_error (HOSTS "61min client close\n", NULL, TL_LESSON_ERROR_LIMIT);
  ck_assert_str_eq (message, "t.lesson:3:1: error: time '61min' is beyond the limit of 60min");
  g_clear_pointer (&message, g_free);
  message = parse_error (HOSTS "59min client close\n+2min client close\n", NULL,
                         TL_LESSON_ERROR_LIMIT);
  ck_assert_str_eq (message, "t.lesson:4:1: error: time 2min after the previous line is "
                    "beyond the limit of 1 hour");
  g_clear_pointer (&message, g_free);
  message = parse_error (HOSTS "0ms flood server:80 count 10000001 rate 1/s\n", NULL,
                         TL_LESSON_ERROR_LIMIT);
  ck_assert_str_eq (message, "t.lesson:3:27: error: a flood of 10000001 SYNs is more than "
                    "the limit of 10000000");
  g_clear_pointer (&message, g_free);
  message = parse_error (HOSTS "99999999999999999999s client close\n", NULL,
                         TL_LESSON_ERROR_LIMIT);
  ck_assert_str_eq (message, "t.lesson:3:1: error: time '99999999999999999999s' is too large");
  g_clear_pointer (&message, g_free);

  /* the budget's statements, lines and repetitions counted alike (the
   * repeats themselves: test_repeat_mistakes_and_limits) */
  g_string_append_printf (many, "0ms repeat %" G_GUINT64_FORMAT " every 1us client close\n",
                          TL_BUDGET_STATEMENTS - 2);
  for (guint i = 0; i < 3; i++)
    g_string_append (many, "+0ms client close\n");
  message = parse_error (many->str, NULL, TL_LESSON_ERROR_LIMIT);
  ck_assert_str_eq (message, "t.lesson:6:1: error: more than 1000000 statements");
  g_string_free (many, TRUE);
}
END_TEST

START_TEST (test_garbage_stops_at_many_problems)
{
  GString *garbage = g_string_new (HOSTS);
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *message = NULL;

  for (guint i = 0; i < 5000; i++)
    g_string_append (garbage, "bogus line\n");
  message = parse_error (garbage->str, &problems, TL_LESSON_ERROR_SYNTAX);
  ck_assert_uint_eq (problems->len, 1001);
  ck_assert_str_eq (((TlLessonProblem *) g_ptr_array_index (problems, 1000))->message,
                    "more than 1000 mistakes; the rest of the file was not read");
  g_string_free (garbage, TRUE);
}
END_TEST

START_TEST (test_parse_file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "tl-test-lesson.lesson", NULL);
  g_autoptr(TlScenario) s = NULL;

  ck_assert (g_file_set_contents (path, HOSTS "5ms client close\r\n", -1, NULL));
  s = tl_lesson_parse_file (path, NULL, &error);
  ck_assert_ptr_nonnull (s);
  ck_assert_str_eq (s->filename, path);
  ck_assert_int_eq (stmt_at (s, 0)->kind, TL_STMT_CLOSE);
  g_unlink (path);
  ck_assert_ptr_null (tl_lesson_parse_file (path, NULL, &error));
  ck_assert (g_error_matches (error, TL_LESSON_ERROR, TL_LESSON_ERROR_IO));
}
END_TEST

static void
assert_texts_equal (const GArray *a,
                    const GArray *b)
{
  ck_assert_uint_eq (a->len, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      ck_assert_str_eq (g_array_index (a, TlText, i).locale, g_array_index (b, TlText, i).locale);
      ck_assert_str_eq (g_array_index (a, TlText, i).text, g_array_index (b, TlText, i).text);
    }
}

/* Field by field: the structs have padding, which memcmp would read. */
static void
assert_settings_equal (const TlSettings *a,
                       const TlSettings *b)
{
  ck_assert_int_eq (a->profile, b->profile);
  ck_assert_int_eq (a->isn_random, b->isn_random);
  ck_assert_uint_eq (a->isn, b->isn);
  ck_assert_uint_eq (a->backlog, b->backlog);
  ck_assert_uint_eq (a->syn_queue, b->syn_queue);
  ck_assert_int_eq (a->syncookies, b->syncookies);
  ck_assert_uint_eq (a->syn_retries, b->syn_retries);
  ck_assert_uint_eq (a->syn_linear_timeouts, b->syn_linear_timeouts);
  ck_assert_uint_eq (a->synack_retries, b->synack_retries);
  ck_assert_uint_eq (a->retries, b->retries);
  ck_assert_int_eq (a->rto_initial_us, b->rto_initial_us);
  ck_assert_int_eq (a->rto_min_us, b->rto_min_us);
  ck_assert_int_eq (a->rto_max_us, b->rto_max_us);
  ck_assert_int_eq (a->msl_us, b->msl_us);
  ck_assert_int_eq (a->fin_timeout_us, b->fin_timeout_us);
  ck_assert_int_eq (a->nodelay, b->nodelay);
  ck_assert_int_eq (a->invalid_ratelimit_us, b->invalid_ratelimit_us);
  ck_assert_uint_eq (a->challenge_ack_limit, b->challenge_ack_limit);
  ck_assert_uint_eq (a->initcwnd, b->initcwnd);
  ck_assert_uint_eq (a->comp_sack_nr, b->comp_sack_nr);
  ck_assert_int_eq (a->comp_sack_delay_us, b->comp_sack_delay_us);
  ck_assert_int_eq (a->frto, b->frto);
  ck_assert_int_eq (a->keepalive, b->keepalive);
  ck_assert_int_eq (a->keepalive_idle_us, b->keepalive_idle_us);
  ck_assert_int_eq (a->keepalive_interval_us, b->keepalive_interval_us);
  ck_assert_uint_eq (a->keepalive_probes, b->keepalive_probes);
  ck_assert_int_eq (a->autoaccept, b->autoaccept);
  ck_assert_int_eq (a->autoread, b->autoread);
  ck_assert_uint_eq (a->window, b->window);
  ck_assert_uint_eq (a->mss, b->mss);
}

/* Equal as the simulator sees them: everything but where a statement was written. */
static void
assert_scenarios_equal (const TlScenario *a,
                        const TlScenario *b)
{
  ck_assert_str_eq (a->title, b->title);
  ck_assert_str_eq (a->summary, b->summary);
  assert_texts_equal (a->title_l10n, b->title_l10n);
  assert_texts_equal (a->summary_l10n, b->summary_l10n);
  ck_assert_uint_eq (a->seed, b->seed);
  ck_assert_int_eq (a->end_us, b->end_us);
  for (guint h = 0; h < 2; h++)
    {
      ck_assert_str_eq (a->hosts[h].name, b->hosts[h].name);
      ck_assert_uint_eq (a->hosts[h].addr, b->hosts[h].addr);
      assert_settings_equal (&a->settings[h], &b->settings[h]);
      ck_assert_int_eq (a->link[h].delay_us, b->link[h].delay_us);
      ck_assert_int_eq (a->link[h].jitter_us, b->link[h].jitter_us);
      ck_assert_uint_eq (a->link[h].loss_ppm, b->link[h].loss_ppm);
      ck_assert_uint_eq (a->link[h].duplicate_ppm, b->link[h].duplicate_ppm);
      ck_assert_int_eq (a->link[h].down, b->link[h].down);
    }
  ck_assert_uint_eq (a->stmts->len, b->stmts->len);
  for (guint i = 0; i < a->stmts->len; i++)
    {
      TlStmt x = g_array_index (a->stmts, TlStmt, i);
      TlStmt y = g_array_index (b->stmts, TlStmt, i);

      ck_assert_int_eq (x.kind, y.kind);
      ck_assert_int_eq (x.time_us, y.time_us);
      ck_assert_uint_eq (x.host, y.host);
      ck_assert_uint_eq (x.conn.host, y.conn.host);
      ck_assert_uint_eq (x.conn.ordinal, y.conn.ordinal);
      if (x.kind == TL_STMT_LINK)
        {
          ck_assert_int_eq (x.u.link.dir, y.u.link.dir);
          ck_assert_uint_eq (x.u.link.n_settings, y.u.link.n_settings);
          for (guint k = 0; k < x.u.link.n_settings; k++)
            {
              ck_assert_int_eq (x.u.link.settings[k].param, y.u.link.settings[k].param);
              ck_assert_int_eq (x.u.link.settings[k].value, y.u.link.settings[k].value);
            }
        }
      else if (x.kind == TL_STMT_SET)
        {
          ck_assert_int_eq (x.u.set.host, y.u.set.host);
          ck_assert_uint_eq (x.u.set.n_settings, y.u.set.n_settings);
          for (guint k = 0; k < x.u.set.n_settings; k++)
            {
              ck_assert_int_eq (x.u.set.settings[k].key, y.u.set.settings[k].key);
              ck_assert_int_eq (x.u.set.settings[k].value, y.u.set.settings[k].value);
            }
        }
      else if (x.kind == TL_STMT_SAY)
        {
          ck_assert_str_eq (x.u.say.text, y.u.say.text);
          ck_assert_pstr_eq (x.u.say.locale, y.u.say.locale);
        }
      else if (x.kind == TL_STMT_PAUSE)
        {
          ck_assert_pstr_eq (x.u.pause.question, y.u.pause.question);
          ck_assert_pstr_eq (x.u.pause.locale, y.u.pause.locale);
        }
      else
        {
          /* plain values, zeroed by the parser where unused (a kind that
           * owns memory and is missing above fails here on its pointers) */
          ck_assert (memcmp (&x.u, &y.u, sizeof x.u) == 0);
        }
    }
}

/* Every statement form and setup line: parse, write, parse again. */
START_TEST (test_writer_round_trip)
{
  g_autoptr(TlScenario) first = parse_ok (
    "title \"Every \\\"form\\\"\\\\ here\\nand there\"\n"
    "title.zh_CN \"每一种\"\n"
    "summary \"All of them.\"\n"
    "summary.zh_CN \"全部。\"\n"
    "seed 77\n"
    "host alice 192.168.7.1\n"
    "host bob 192.168.7.2\n"
    "link delay 25ms\n"
    "link bob->alice loss 0.25% duplicate 1% jitter 3ms down\n"
    "set all isn 1000 msl 1s\n"
    "set bob profile rfc syn_queue 4 backlog 2 syncookies always syn_retries 2 "
    "synack_retries 3 retries 4 rto_initial 3s rto_min 300ms rto_max 30s fin_timeout 5s "
    "keepalive on keepalive_idle 120min keepalive_interval 1s keepalive_probes 3 "
    "autoaccept off autoread off window 1000 mss 536 syn_linear_timeouts 3\n"
    "set alice nodelay on invalid_ratelimit 250ms challenge_ack_limit 100 initcwnd 4\n"
    "set alice comp_sack_nr 5 comp_sack_delay 500us frto off\n"
    "0ms bob listen 80\n"
    "0ms say \"Go.\"\n"
    "0ms say.zh_CN \"开始。\"\n"
    "10ms alice connect bob:80\n"
    "10ms alice connect bob:81 from 5000\n"
    "20ms bob accept\n"
    "20ms bob accept 80\n"
    "1.5s alice#2 send 1000\n"
    "1.5s bob read 10\n"
    "1.5s bob#1 read\n"
    "2s alice close\n"
    "2s alice#1 shutdown\n"
    "2s bob abort\n"
    "2s bob unlisten 80\n"
    "3s link loss 5% delay 1ms up\n"
    "3s link alice->bob down\n"
    "3s set alice isn random keepalive off\n"
    "3s set all profile linux\n"
    "3s drop next alice->bob\n"
    "3s drop next bob->alice SYN,ACK count 2\n"
    "3s lose alice->bob FIN,ACK\n"
    "3s lose bob->alice any\n"
    "3s duplicate bob->alice SYN,ACK\n"
    "3s duplicate alice->bob any\n"
    "3s duplicate next alice->bob PSH,ACK count 2\n"
    "4s flood bob:80 count 100 rate 1000/s\n"
    "4s flood bob:80 count 5 rate 1/s from 203.0.113.0/24\n"
    "5s bob crash\n"
    "6s bob reboot\n"
    "6s pause \"Why?\"\n"
    "6s pause.zh_CN \"为什么？\"\n"
    "6s pause\n"
    "7s expect alice CLOSED\n"
    "7s expect alice#1 time-wait\n"
    "7s expect bob sockets SYN_RCVD >= 10\n"
    "7s expect bob sockets LISTEN <= 1\n"
    "7s expect segments alice->bob FIN,ACK = 1\n"
    "7s expect segments bob->alice any >= 3\n"
    "7s expect alice error ETIMEDOUT\n"
    "7s expect alice#2 error none\n"
    "1.000001min end\n");
  g_autofree char *text = tl_scenario_to_lesson (first);
  g_autoptr(TlScenario) second = parse_ok (text);
  g_autofree char *again = tl_scenario_to_lesson (second);

  assert_scenarios_equal (first, second);
  ck_assert_str_eq (text, again);
  ck_assert_uint_eq (second->stmts->len, 41);
  ck_assert (strstr (text, "3s duplicate next alice->bob PSH,ACK count 2\n") != NULL);
  ck_assert (strstr (text, "3s lose alice->bob FIN,ACK\n") != NULL);
  ck_assert (strstr (text, "3s duplicate alice->bob any\n") != NULL);
  ck_assert (strstr (text, "pause.zh_CN \"为什么？\"\n") != NULL);
  ck_assert_uint_eq (first->settings[1].syn_linear_timeouts, 3);
  ck_assert_uint_eq (first->settings[0].syn_linear_timeouts, 4);
  ck_assert_ptr_nonnull (strstr (text, " syn_linear_timeouts 3"));
  ck_assert (first->settings[0].nodelay && !first->settings[1].nodelay);
  ck_assert_int_eq (first->settings[0].invalid_ratelimit_us, 250 * TL_USEC_PER_MSEC);
  ck_assert_uint_eq (first->settings[0].challenge_ack_limit, 100);
  ck_assert_ptr_nonnull (strstr (text, " nodelay on invalid_ratelimit 250ms challenge_ack_limit 100 initcwnd 4"));
  ck_assert_uint_eq (first->settings[0].initcwnd, 4);
  ck_assert_uint_eq (first->settings[1].initcwnd, 0);   /* rfc: RFC 5681's formula */
  ck_assert_ptr_nonnull (strstr (text, " initcwnd 4 comp_sack_nr 5 comp_sack_delay 500us"));
  ck_assert_uint_eq (first->settings[0].comp_sack_nr, 5);
  ck_assert_int_eq (first->settings[0].comp_sack_delay_us, 500);
  ck_assert_uint_eq (first->settings[1].comp_sack_nr, 0);   /* rfc: each at once */
  ck_assert_ptr_nonnull (strstr (text, " comp_sack_delay 500us frto off"));
  ck_assert (!first->settings[0].frto);
  ck_assert (!first->settings[1].frto);   /* rfc: RFC 5681's timeout */
}
END_TEST

/* `repeat N every D`: the repetitions are plain statements, in time order
 * among the other lines (equal times in the order of the lines), and
 * HOST#i counts the repetitions. */
START_TEST (test_repeat_expands_in_time_order)
{
  g_autoptr(TlScenario) sc = parse_ok (HOSTS
                                       "0ms server listen 80\n"
                                       "0ms repeat 3 every 10ms client connect server:80\n"
                                       "5ms repeat 3 every 10ms client#i close\n"
                                       "10ms say \"between\"\n"
                                       "15ms repeat 2 every 1ms server#i+1 close\n");
  /* listen 0, connect 0, close#1 5, connect 10, say 10, close#2 15, server#2 15,
   * server#3 16, connect 20, close#3 25 */
  static const struct { TlStmtKind kind; gint64 t; guint host; guint ordinal; } want[] = {
    { TL_STMT_LISTEN, 0, 1, 0 }, { TL_STMT_CONNECT, 0, 0, 0 }, { TL_STMT_CLOSE, 5000, 0, 1 },
    { TL_STMT_CONNECT, 10000, 0, 0 }, { TL_STMT_SAY, 10000, 0, 0 }, { TL_STMT_CLOSE, 15000, 0, 2 },
    { TL_STMT_CLOSE, 15000, 1, 2 }, { TL_STMT_CLOSE, 16000, 1, 3 }, { TL_STMT_CONNECT, 20000, 0, 0 },
    { TL_STMT_CLOSE, 25000, 0, 3 },
  };

  ck_assert_uint_eq (sc->stmts->len, G_N_ELEMENTS (want));
  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    {
      const TlStmt *st = stmt_at (sc, i);

      ck_assert_int_eq (st->kind, want[i].kind);
      ck_assert_int_eq (st->time_us, want[i].t);
      ck_assert_uint_eq (st->host, want[i].host);
      if (st->kind == TL_STMT_CLOSE)
        ck_assert_uint_eq (st->conn.ordinal, want[i].ordinal);
      /* each repetition says where it was written */
      ck_assert_uint_eq (st->line, st->kind == TL_STMT_LISTEN ? 3 : st->kind == TL_STMT_SAY ? 6
                         : st->kind == TL_STMT_CONNECT ? 4 : st->host == 0 ? 5 : 7);
    }
}
END_TEST

START_TEST (test_repeat_mistakes_and_limits)
{
  g_autofree char *message = NULL;

  assert_error (HOSTS "0ms client#i close\n",
                "t.lesson:3:12: error: 'client#i' outside a repeat (#i counts the repetitions of "
                "a line that starts with 'repeat N every D')");
  assert_error (HOSTS "0ms repeat 5 each 1ms client close\n",
                "t.lesson:3:14: error: expected 'every' after 'repeat 5', got 'each' "
                "(e.g. 0ms repeat 100 every 1ms client connect server:80)");
  assert_error (HOSTS "0ms repeat 0 every 1ms client close\n",
                "t.lesson:3:12: error: repeat count 0 is out of range (1 to 1000000)");
  assert_error (HOSTS "0ms repeat 5 every 0ms client close\n",
                "t.lesson:3:20: error: the interval of a repeat must be more than 0");
  assert_error (HOSTS "0ms repeat 5 every 1ms end\n",
                "t.lesson:3:24: error: 'end' cannot repeat (write 'end' on a line of its own)");
  assert_error (HOSTS "0ms repeat 5 every 1s client close\n2s end\n",
                "t.lesson:4:4: error: the repeat on line 3 goes on until 4s, after this 'end' "
                "(move the 'end' after the last repetition)");
  assert_error (HOSTS "1s end\n1s repeat 5 every 1s client close\n",
                "t.lesson:4:11: error: the last repetition, at 5s, is after the 'end' at 1s "
                "(line 3) and would never happen");
  assert_error (HOSTS "0ms repeat 5 every 1ms client#i+x close\n",
                "t.lesson:3:33: error: bad connection number in 'client#i+x' (e.g. client#i+10: "
                "the 11th connection in the first repetition)");

  message = parse_error (HOSTS "1min repeat 61 every 1min client close\n", NULL,
                         TL_LESSON_ERROR_LIMIT);
  ck_assert_str_eq (message, "t.lesson:3:13: error: the last of 61 repetitions would come after "
                    "the limit of 1 hour (fewer repetitions, or closer together)");
  g_clear_pointer (&message, g_free);
  /* each repetition counts towards the limit of statements: the line that
   * goes past it is named, at its count */
  message = parse_error (HOSTS "0ms repeat 600000 every 1us client close\n"
                         "1s repeat 400000 every 1us client close\n"
                         "2s client close\n", NULL, TL_LESSON_ERROR_LIMIT);
  ck_assert_str_eq (message, "t.lesson:5:1: error: more than 1000000 statements");
  g_clear_pointer (&message, g_free);
  message = parse_error (HOSTS "0ms repeat 600000 every 1us client close\n"
                         "1s repeat 400001 every 1us client close\n", NULL, TL_LESSON_ERROR_LIMIT);
  ck_assert_str_eq (message, "t.lesson:4:11: error: repeat 400001 brings the lesson to 1000001 "
                    "statements, more than the limit of 1000000 (each repetition counts as a "
                    "statement)");
}
END_TEST

/* The writer folds the repetitions back into their line, and the trace of a
 * repeat is the trace of the same statements written one by one. */
START_TEST (test_repeat_round_trip_and_trace)
{
  GString *long_form = g_string_new ("title \"t\"\nsummary \"s\"\n" HOSTS
                                     "link delay 5ms\n0ms server listen 80\n");
  g_autoptr(TlScenario) first = parse_ok ("title \"t\"\nsummary \"s\"\n" HOSTS
                                          "link delay 5ms\n"
                                          "0ms server listen 80\n"
                                          "0ms repeat 20 every 1ms client connect server:80\n"
                                          "10.5ms repeat 20 every 1ms client#i close\n"
                                          "15.5ms repeat 20 every 1ms server#i close\n"
                                          "100ms expect client sockets TIME_WAIT = 20\n");
  g_autofree char *text = tl_scenario_to_lesson (first);
  g_autoptr(TlScenario) second = parse_ok (text);
  g_autoptr(TlScenario) written = NULL;
  g_autoptr(TlTrace) a = NULL;
  g_autoptr(TlTrace) b = NULL;
  g_autoptr(GString) json_a = g_string_new (NULL);
  g_autoptr(GString) json_b = g_string_new (NULL);

  assert_scenarios_equal (first, second);
  ck_assert_uint_eq (first->stmts->len, 62);
  ck_assert_ptr_nonnull (strstr (text, "\n10.5ms repeat 20 every 1ms client#i close\n"));
  ck_assert_ptr_nonnull (strstr (text, "\n15.5ms repeat 20 every 1ms server#i close\n"));

  /* the same, one line each, in time order */
  for (guint t = 0; t < 40; t++)
    {
      if (t < 20)
        g_string_append_printf (long_form, "%ums client connect server:80\n", t);
      if (t >= 10 && t < 30)
        g_string_append_printf (long_form, "%u.5ms client#%u close\n", t, t - 9);
      if (t >= 15 && t < 35)
        g_string_append_printf (long_form, "%u.5ms server#%u close\n", t, t - 14);
    }
  g_string_append (long_form, "100ms expect client sockets TIME_WAIT = 20\n");
  written = parse_ok (long_form->str);
  a = tl_simulate (first);
  b = tl_simulate (written);
  tl_trace_write_json (a, json_a);
  tl_trace_write_json (b, json_b);
  ck_assert_uint_gt (tl_trace_n_conns (a), 40);
  ck_assert_str_eq (json_a->str, json_b->str);
  g_string_free (long_form, TRUE);
}
END_TEST

START_TEST (test_writer_default_scenario)
{
  g_autoptr(TlScenario) scenario = tl_scenario_new ();
  g_autofree char *text = NULL;
  g_autoptr(TlScenario) back = NULL;
  TlStmt stmt = { .kind = TL_STMT_CONNECT, .time_us = 5, .host = 0,
                  .u.connect = { .peer = 1, .port = 80 } };

  scenario->title = g_strdup ("Free play");
  scenario->summary = g_strdup ("Saved from the GUI.");
  tl_scenario_insert (scenario, &stmt);
  scenario->end_us = 2 * TL_USEC_PER_SEC;
  text = tl_scenario_to_lesson (scenario);
  back = parse_ok (text);
  ck_assert_str_eq (text,
                    "title \"Free play\"\n"
                    "summary \"Saved from the GUI.\"\n"
                    "seed 1\n"
                    "host client 10.0.0.1\n"
                    "host server 10.0.0.2\n"
                    "link client->server delay 10ms\n"
                    "link server->client delay 10ms\n"
                    "\n"
                    "5us client connect server:80\n"
                    "2s end\n");
  ck_assert_int_eq (back->end_us, 2 * TL_USEC_PER_SEC);
  ck_assert_uint_eq (back->stmts->len, 2);
}
END_TEST

Suite *
lesson_suite (void)
{
  Suite *suite = suite_create ("lesson");
  TCase *tc = tcase_create ("parser");

  tcase_add_test (tc, test_setup_lines);
  tcase_add_test (tc, test_application_statements);
  tcase_add_test (tc, test_network_statements);
  tcase_add_test (tc, test_classroom_and_expectations);
  tcase_add_test (tc, test_pause_translations);
  tcase_add_test (tc, test_lexical_rules);
  tcase_add_test (tc, test_durations);
  tcase_add_test (tc, test_error_messages_and_positions);
  tcase_add_test (tc, test_problem_list_and_hint_format);
  tcase_add_test (tc, test_several_errors_in_one_pass);
  tcase_add_test (tc, test_utf8_passes_through);
  tcase_add_test (tc, test_invalid_utf8_position);
  tcase_add_test (tc, test_limits);
  tcase_add_test (tc, test_garbage_stops_at_many_problems);
  tcase_add_test (tc, test_parse_file);
  suite_add_tcase (suite, tc);
  tc = tcase_create ("writer");
  tcase_add_test (tc, test_writer_round_trip);
  tcase_add_test (tc, test_writer_default_scenario);
  tcase_add_test (tc, test_repeat_expands_in_time_order);
  tcase_add_test (tc, test_repeat_mistakes_and_limits);
  tcase_add_test (tc, test_repeat_round_trip_and_trace);
  suite_add_tcase (suite, tc);
  return suite;
}
