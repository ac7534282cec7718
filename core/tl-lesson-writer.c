/* tl-lesson-writer.c: a scenario back to lesson text (tl_scenario_to_lesson).
 *
 * What "Save as lesson" writes after free play.  The text parses to an equal
 * scenario: setup lines give the hosts, links and settings as they stand, and
 * every statement is written at its absolute time.
 */
#include "tl-scenario.h"

#include <string.h>

static void
append_quoted (GString    *out,
               const char *text)
{
  g_string_append_c (out, '"');
  for (const char *s = text; *s != '\0'; s++)
    switch (*s)
      {
      case '"':  g_string_append (out, "\\\""); break;
      case '\\': g_string_append (out, "\\\\"); break;
      case '\n': g_string_append (out, "\\n"); break;
      default:   g_string_append_c (out, *s); break;
      }
  g_string_append_c (out, '"');
}

static void
append_duration (GString *out,
                 gint64   us)
{
  g_autofree char *text = tl_duration_to_string (us);

  g_string_append (out, text);
}

/* Parts per million as a percentage: 5000 -> "0.5%". */
static void
append_percent (GString *out,
                guint32  ppm)
{
  g_string_append_printf (out, "%u", ppm / 10000);
  if (ppm % 10000 != 0)
    {
      char frac[8];
      gsize len;

      g_snprintf (frac, sizeof frac, "%04u", ppm % 10000);
      len = strlen (frac);
      while (frac[len - 1] == '0')
        frac[--len] = '\0';
      g_string_append_printf (out, ".%s", frac);
    }
  g_string_append_c (out, '%');
}

static void
append_addr (GString *out,
             guint32  addr)
{
  g_string_append_printf (out, "%u.%u.%u.%u", addr >> 24, (addr >> 16) & 0xff,
                          (addr >> 8) & 0xff, addr & 0xff);
}

static void
append_dir (GString          *out,
            const TlScenario *scenario,
            int               dir)
{
  g_string_append_printf (out, "%s->%s", scenario->hosts[dir].name,
                          scenario->hosts[1 - dir].name);
}

static void
append_flags (GString  *out,
              guint8    flags,
              gboolean  any)
{
  char buf[24];

  g_string_append (out, any ? "any" : tl_flags_to_string (flags, buf));
}

static void
append_conn (GString          *out,
             const TlScenario *scenario,
             const TlStmt     *stmt)
{
  const TlConnRef *conn = &stmt->conn;
  gboolean conn_per_repeat = stmt->conn_per_repeat;

  g_string_append (out, scenario->hosts[conn->host].name);
  if (conn_per_repeat)
    {
      /* the first repetition's ordinal: #i is 1 there */
      if (conn->ordinal > 1)
        g_string_append_printf (out, "#i+%u", conn->ordinal - 1);
      else
        g_string_append (out, "#i");
    }
  else if (conn->ordinal != 0)
    g_string_append_printf (out, "#%u", conn->ordinal);
}

static void
append_cmp (GString *out,
            TlCmp    cmp,
            guint64  n)
{
  const char *op = "=";

  switch (cmp)
    {
    case TL_CMP_EQ: op = "="; break;
    case TL_CMP_GE: op = ">="; break;
    case TL_CMP_LE: op = "<="; break;
    }
  g_string_append_printf (out, " %s %" G_GUINT64_FORMAT, op, n);
}

static void
append_setting (GString         *out,
                const TlSetting *setting)
{
  static const char *const on_off[] = { "off", "on" };
  static const char *const profiles[] = { "linux", "rfc" };
  static const char *const cookies[] = { "off", "on", "always" };

  g_string_append_printf (out, " %s ", tl_key_name (setting->key));
  switch (setting->key)
    {
    case TL_KEY_PROFILE:
      g_string_append (out, profiles[setting->value != 0]);
      break;
    case TL_KEY_SYNCOOKIES:
      g_string_append (out, cookies[CLAMP (setting->value, 0, 2)]);
      break;
    case TL_KEY_KEEPALIVE:
    case TL_KEY_AUTOACCEPT:
    case TL_KEY_AUTOREAD:
    case TL_KEY_SACK:
    case TL_KEY_TIMESTAMPS:
    case TL_KEY_WINDOW_SCALING:
    case TL_KEY_NODELAY:
    case TL_KEY_METRICS_SAVE:
    case TL_KEY_FRTO:
      g_string_append (out, on_off[setting->value != 0]);
      break;
    case TL_KEY_ISN:
      if (setting->value < 0)
        g_string_append (out, "random");
      else
        g_string_append_printf (out, "%" G_GINT64_FORMAT, setting->value);
      break;
    case TL_KEY_RTO_INITIAL:
    case TL_KEY_RTO_MIN:
    case TL_KEY_RTO_MAX:
    case TL_KEY_MSL:
    case TL_KEY_FIN_TIMEOUT:
    case TL_KEY_KEEPALIVE_IDLE:
    case TL_KEY_KEEPALIVE_INTERVAL:
    case TL_KEY_INVALID_RATELIMIT:
    case TL_KEY_COMP_SACK_DELAY:
      append_duration (out, setting->value);
      break;
    case TL_KEY_BACKLOG:
    case TL_KEY_SYN_QUEUE:
    case TL_KEY_SYN_RETRIES:
    case TL_KEY_SYNACK_RETRIES:
    case TL_KEY_RETRIES:
    case TL_KEY_KEEPALIVE_PROBES:
    case TL_KEY_SYN_LINEAR_TIMEOUTS:
    case TL_KEY_WINDOW:
    case TL_KEY_MSS:
    case TL_KEY_CHALLENGE_ACK_LIMIT:
    case TL_KEY_INITCWND:
    case TL_KEY_COMP_SACK_NR:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, setting->value);
      break;
    case TL_KEY_PORT_RANGE:
      g_string_append_printf (out, "%u-%u", (guint) (setting->value >> 16) & 0xffff,
                              (guint) setting->value & 0xffff);
      break;
    case TL_N_KEYS:
      g_assert_not_reached ();
    }
}

static void
append_link_setting (GString             *out,
                     const TlLinkSetting *setting)
{
  switch (setting->param)
    {
    case TL_LINK_DELAY:
      g_string_append (out, " delay ");
      append_duration (out, setting->value);
      break;
    case TL_LINK_JITTER:
      g_string_append (out, " jitter ");
      append_duration (out, setting->value);
      break;
    case TL_LINK_LOSS:
      g_string_append (out, " loss ");
      append_percent (out, setting->value);
      break;
    case TL_LINK_DUPLICATE:
      g_string_append (out, " duplicate ");
      append_percent (out, setting->value);
      break;
    case TL_LINK_DOWN:
      g_string_append (out, " down");
      break;
    case TL_LINK_UP:
      g_string_append (out, " up");
      break;
    case TL_N_LINK_PARAMS:
      g_assert_not_reached ();
    }
}

/* A key's value in settings, as a `set` line writes it (isn: -1 for random). */
static gint64
setting_value (const TlSettings *settings,
               TlKey             key)
{
  switch (key)
    {
    case TL_KEY_PROFILE:            return settings->profile;
    case TL_KEY_ISN:                return settings->isn_random ? -1 : (gint64) settings->isn;
    case TL_KEY_BACKLOG:            return settings->backlog;
    case TL_KEY_SYN_QUEUE:          return settings->syn_queue;
    case TL_KEY_SYNCOOKIES:         return settings->syncookies;
    case TL_KEY_SYN_RETRIES:        return settings->syn_retries;
    case TL_KEY_SYNACK_RETRIES:     return settings->synack_retries;
    case TL_KEY_RETRIES:            return settings->retries;
    case TL_KEY_RTO_INITIAL:        return settings->rto_initial_us;
    case TL_KEY_RTO_MIN:            return settings->rto_min_us;
    case TL_KEY_RTO_MAX:            return settings->rto_max_us;
    case TL_KEY_MSL:                return settings->msl_us;
    case TL_KEY_FIN_TIMEOUT:        return settings->fin_timeout_us;
    case TL_KEY_KEEPALIVE:          return settings->keepalive;
    case TL_KEY_KEEPALIVE_IDLE:     return settings->keepalive_idle_us;
    case TL_KEY_KEEPALIVE_INTERVAL: return settings->keepalive_interval_us;
    case TL_KEY_KEEPALIVE_PROBES:   return settings->keepalive_probes;
    case TL_KEY_AUTOACCEPT:         return settings->autoaccept;
    case TL_KEY_AUTOREAD:           return settings->autoread;
    case TL_KEY_WINDOW:             return settings->window;
    case TL_KEY_MSS:                return settings->mss;
    case TL_KEY_SYN_LINEAR_TIMEOUTS: return settings->syn_linear_timeouts;
    case TL_KEY_SACK:               return settings->sack;
    case TL_KEY_TIMESTAMPS:         return settings->timestamps;
    case TL_KEY_WINDOW_SCALING:     return settings->window_scaling;
    case TL_KEY_PORT_RANGE:         return (gint64) settings->port_first << 16 | settings->port_last;
    case TL_KEY_NODELAY:            return settings->nodelay;
    case TL_KEY_INVALID_RATELIMIT:  return settings->invalid_ratelimit_us;
    case TL_KEY_CHALLENGE_ACK_LIMIT: return settings->challenge_ack_limit;
    case TL_KEY_INITCWND:           return settings->initcwnd;
    case TL_KEY_METRICS_SAVE:       return settings->metrics_save;
    case TL_KEY_COMP_SACK_NR:       return settings->comp_sack_nr;
    case TL_KEY_COMP_SACK_DELAY:    return settings->comp_sack_delay_us;
    case TL_KEY_FRTO:               return settings->frto;
    case TL_N_KEYS:                 break;
    }
  g_assert_not_reached ();
}

/* The keys that differ from the profile's defaults, as `set` writes them. */
static void
append_differences (GString          *out,
                    const TlSettings *settings)
{
  TlSettings defaults;

  tl_settings_init_profile (&defaults, settings->profile);
  for (guint k = TL_KEY_ISN; k < TL_N_KEYS; k++)
    {
      TlSetting s = { k, setting_value (settings, k) };

      /* a window set to its default value still sets SO_RCVBUF */
      if (s.value != setting_value (&defaults, k) || (k == TL_KEY_WINDOW && settings->window_set))
        append_setting (out, &s);
    }
}

/* The settings as `set` keys: the profile, then what differs from its defaults. */
static void
append_settings_diff (GString          *out,
                      const TlSettings *settings)
{
  if (settings->profile != TL_PROFILE_LINUX)
    append_setting (out, &(TlSetting) { TL_KEY_PROFILE, settings->profile });
  append_differences (out, settings);
}

char *
tl_settings_describe (const TlSettings *settings)
{
  GString *out;

  g_return_val_if_fail (settings != NULL, NULL);

  GString *keys = g_string_new (NULL);

  out = g_string_new (settings->profile == TL_PROFILE_LINUX ? "linux" : "rfc");
  append_differences (keys, settings);
  /* " backlog 4 syncookies off" -> ": backlog 4, syncookies off" */
  if (keys->len > 0)
    {
      g_auto(GStrv) words = g_strsplit (keys->str + 1, " ", -1);

      for (guint i = 0; words[i] != NULL; i++)
        g_string_append_printf (out, "%s%s", i == 0 ? ": " : i % 2 == 0 ? ", " : " ",
                                words[i]);
    }
  g_string_free (keys, TRUE);
  return g_string_free (out, FALSE);
}

static void
append_link_dir (GString         *out,
                 const TlLinkDir *dir)
{
  g_string_append (out, " delay ");
  append_duration (out, dir->delay_us);
  if (dir->jitter_us != 0)
    {
      g_string_append (out, " jitter ");
      append_duration (out, dir->jitter_us);
    }
  if (dir->loss_ppm != 0)
    {
      g_string_append (out, " loss ");
      append_percent (out, dir->loss_ppm);
    }
  if (dir->duplicate_ppm != 0)
    {
      g_string_append (out, " duplicate ");
      append_percent (out, dir->duplicate_ppm);
    }
  if (dir->down)
    g_string_append (out, " down");
}

static void
append_setup (GString          *out,
              const TlScenario *scenario)
{
  char *settings[2];

  if (scenario->title != NULL)
    {
      g_string_append (out, "title ");
      append_quoted (out, scenario->title);
      g_string_append_c (out, '\n');
    }
  for (guint i = 0; i < scenario->title_l10n->len; i++)
    {
      const TlText *t = &g_array_index (scenario->title_l10n, TlText, i);

      g_string_append_printf (out, "title.%s ", t->locale);
      append_quoted (out, t->text);
      g_string_append_c (out, '\n');
    }
  if (scenario->summary != NULL)
    {
      g_string_append (out, "summary ");
      append_quoted (out, scenario->summary);
      g_string_append_c (out, '\n');
    }
  for (guint i = 0; i < scenario->summary_l10n->len; i++)
    {
      const TlText *t = &g_array_index (scenario->summary_l10n, TlText, i);

      g_string_append_printf (out, "summary.%s ", t->locale);
      append_quoted (out, t->text);
      g_string_append_c (out, '\n');
    }
  g_string_append_printf (out, "seed %" G_GUINT64_FORMAT "\n", scenario->seed);
  if (scenario->group != TL_GROUP_NONE)
    g_string_append_printf (out, "group %s %u\n", tl_lesson_group_name (scenario->group),
                            scenario->group_order);
  for (guint h = 0; h < 2; h++)
    {
      g_string_append_printf (out, "host %s ", scenario->hosts[h].name);
      append_addr (out, scenario->hosts[h].addr);
      g_string_append_c (out, '\n');
    }
  for (int d = 0; d < 2; d++)
    {
      g_string_append (out, "link ");
      append_dir (out, scenario, d);
      append_link_dir (out, &scenario->link[d]);
      g_string_append_c (out, '\n');
    }
  for (guint h = 0; h < 2; h++)
    {
      GString *keys = g_string_new (NULL);

      append_settings_diff (keys, &scenario->settings[h]);
      settings[h] = g_string_free (keys, FALSE);
    }
  if (strcmp (settings[0], settings[1]) == 0)
    {
      if (settings[0][0] != '\0')
        g_string_append_printf (out, "set all%s\n", settings[0]);
    }
  else
    for (guint h = 0; h < 2; h++)
      if (settings[h][0] != '\0')
        g_string_append_printf (out, "set %s%s\n", scenario->hosts[h].name, settings[h]);
  g_free (settings[0]);
  g_free (settings[1]);
}

static void
append_stmt (GString          *out,
             const TlScenario *scenario,
             const TlStmt     *stmt)
{
  const char *host = scenario->hosts[stmt->host].name;

  append_duration (out, stmt->time_us);
  g_string_append_c (out, ' ');
  if (stmt->repeat_count > 0)
    {
      g_string_append_printf (out, "repeat %u every ", stmt->repeat_count);
      append_duration (out, stmt->repeat_every_us);
      g_string_append_c (out, ' ');
    }
  switch ((TlStmtKind) stmt->kind)
    {
    case TL_STMT_LISTEN:
      g_string_append_printf (out, "%s listen %u", host, stmt->u.listen.port);
      break;
    case TL_STMT_UNLISTEN:
      g_string_append_printf (out, "%s unlisten %u", host, stmt->u.listen.port);
      break;
    case TL_STMT_CONNECT:
      g_string_append_printf (out, "%s connect %s:%u", host,
                              scenario->hosts[stmt->u.connect.peer].name, stmt->u.connect.port);
      if (stmt->u.connect.from_port != 0)
        g_string_append_printf (out, " from %u", stmt->u.connect.from_port);
      break;
    case TL_STMT_ACCEPT:
      g_string_append_printf (out, "%s accept", host);
      if (stmt->u.listen.port != 0)
        g_string_append_printf (out, " %u", stmt->u.listen.port);
      break;
    case TL_STMT_SEND:
    case TL_STMT_READ:
      append_conn (out, scenario, stmt);
      g_string_append (out, stmt->kind == TL_STMT_SEND ? " send" : " read");
      if (stmt->u.data.bytes != 0)
        g_string_append_printf (out, " %" G_GUINT64_FORMAT, stmt->u.data.bytes);
      break;
    case TL_STMT_CLOSE:
      append_conn (out, scenario, stmt);
      g_string_append (out, " close");
      break;
    case TL_STMT_SHUTDOWN:
      append_conn (out, scenario, stmt);
      g_string_append (out, " shutdown");
      break;
    case TL_STMT_ABORT:
      append_conn (out, scenario, stmt);
      g_string_append (out, " abort");
      break;
    case TL_STMT_CRASH:
      g_string_append_printf (out, "%s crash", host);
      break;
    case TL_STMT_REBOOT:
      g_string_append_printf (out, "%s reboot", host);
      break;
    case TL_STMT_LINK:
      g_string_append (out, "link");
      if (stmt->u.link.dir != TL_DIR_BOTH)
        {
          g_string_append_c (out, ' ');
          append_dir (out, scenario, stmt->u.link.dir);
        }
      for (guint i = 0; i < stmt->u.link.n_settings; i++)
        append_link_setting (out, &stmt->u.link.settings[i]);
      break;
    case TL_STMT_SET:
      g_string_append_printf (out, "set %s", stmt->u.set.host < 0
                              ? "all" : scenario->hosts[stmt->u.set.host].name);
      for (guint i = 0; i < stmt->u.set.n_settings; i++)
        append_setting (out, &stmt->u.set.settings[i]);
      break;
    case TL_STMT_DROP:
    case TL_STMT_DUPLICATE_NEXT:
      g_string_append (out, stmt->kind == TL_STMT_DROP ? "drop next " : "duplicate next ");
      append_dir (out, scenario, stmt->u.drop.dir);
      g_string_append_c (out, ' ');
      append_flags (out, stmt->u.drop.flags, stmt->u.drop.any);
      g_string_append_printf (out, " count %u", stmt->u.drop.count);
      break;
    case TL_STMT_HOLD_NEXT:
      {
        g_autofree char *d = tl_duration_to_string (stmt->u.drop.delay_us);

        g_string_append (out, "hold next ");
        append_dir (out, scenario, stmt->u.drop.dir);
        g_string_append_c (out, ' ');
        append_flags (out, stmt->u.drop.flags, stmt->u.drop.any);
        g_string_append_printf (out, " %s", d);
      }
      break;
    case TL_STMT_LOSE:
    case TL_STMT_DUPLICATE:
      g_string_append (out, stmt->kind == TL_STMT_LOSE ? "lose " : "duplicate ");
      append_dir (out, scenario, stmt->u.wire.dir);
      g_string_append_c (out, ' ');
      append_flags (out, stmt->u.wire.flags, stmt->u.wire.any);
      break;
    case TL_STMT_FLOOD:
      g_string_append_printf (out, "flood %s:%u count %u rate %u/s from ",
                              scenario->hosts[stmt->u.flood.target].name, stmt->u.flood.port,
                              stmt->u.flood.count, stmt->u.flood.rate_per_s);
      append_addr (out, stmt->u.flood.net_addr);
      g_string_append_printf (out, "/%u", stmt->u.flood.prefix_len);
      break;
    case TL_STMT_SAY:
      g_string_append (out, "say");
      if (stmt->u.say.locale != NULL)
        g_string_append_printf (out, ".%s", stmt->u.say.locale);
      g_string_append_c (out, ' ');
      append_quoted (out, stmt->u.say.text);
      break;
    case TL_STMT_PAUSE:
      g_string_append (out, "pause");
      if (stmt->u.pause.locale != NULL)
        g_string_append_printf (out, ".%s", stmt->u.pause.locale);
      if (stmt->u.pause.question != NULL)
        {
          g_string_append_c (out, ' ');
          append_quoted (out, stmt->u.pause.question);
        }
      break;
    case TL_STMT_END:
      g_string_append (out, "end");
      break;
    case TL_STMT_CHOICE:
    case TL_STMT_EXPLAIN:
      g_string_append (out, stmt->kind == TL_STMT_CHOICE ? "choice" : "explain");
      if (stmt->u.answer.locale != NULL)
        g_string_append_printf (out, ".%s", stmt->u.answer.locale);
      if (stmt->u.answer.right)
        g_string_append (out, " right");
      g_string_append_c (out, ' ');
      append_quoted (out, stmt->u.answer.text);
      break;
    case TL_STMT_EXPECT_STATE:
      g_string_append (out, "expect ");
      append_conn (out, scenario, stmt);
      g_string_append_printf (out, " %s", tl_state_name (stmt->u.expect_state.state));
      break;
    case TL_STMT_EXPECT_SOCKETS:
      g_string_append_printf (out, "expect %s sockets %s", host,
                              tl_state_name (stmt->u.expect_sockets.state));
      append_cmp (out, stmt->u.expect_sockets.cmp, stmt->u.expect_sockets.n);
      break;
    case TL_STMT_EXPECT_SEGMENTS:
      g_string_append (out, "expect segments ");
      append_dir (out, scenario, stmt->u.expect_segments.dir);
      g_string_append_c (out, ' ');
      append_flags (out, stmt->u.expect_segments.flags, stmt->u.expect_segments.any);
      append_cmp (out, stmt->u.expect_segments.cmp, stmt->u.expect_segments.n);
      break;
    case TL_STMT_EXPECT_ERROR:
      g_string_append (out, "expect ");
      append_conn (out, scenario, stmt);
      g_string_append_printf (out, " error %s", tl_error_name (stmt->u.expect_error.error));
      break;
    }
  g_string_append_c (out, '\n');
}

char *
tl_stmt_to_lesson_line (const TlScenario *scenario,
                        const TlStmt     *stmt)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (scenario != NULL && stmt != NULL, NULL);
  append_stmt (out, scenario, stmt);
  return g_string_free (out, FALSE);
}

char *
tl_scenario_to_lesson (const TlScenario *scenario)
{
  GString *out;
  gboolean end_written = FALSE;

  g_return_val_if_fail (scenario != NULL, NULL);

  out = g_string_new (NULL);
  append_setup (out, scenario);
  g_string_append_c (out, '\n');
  for (guint i = 0; i < scenario->stmts->len; i++)
    {
      const TlStmt *stmt = &g_array_index (scenario->stmts, TlStmt, i);

      /* What comes after the end never happens, and the parser refuses it. */
      if (scenario->end_us >= 0 && stmt->time_us > scenario->end_us)
        continue;
      /* A repeat line is written once, at its first repetition. */
      if (stmt->repeat_index > 0)
        continue;
      if (stmt->kind == TL_STMT_END)
        {
          if (end_written)
            continue;
          end_written = TRUE;
        }
      append_stmt (out, scenario, stmt);
    }
  /* A scenario made by the GUI may carry end_us without an `end` statement. */
  if (!end_written && scenario->end_us >= 0)
    {
      append_duration (out, scenario->end_us);
      g_string_append (out, " end\n");
    }
  return g_string_free (out, FALSE);
}
