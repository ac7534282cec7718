/* tl-scenario.c: the scenario as plain data: defaults, copies, insertion. */
#include "tl-scenario.h"

#include <string.h>

#include "tl-lesson-private.h"

/* TlStmt's packed fields hold what they are given */
G_STATIC_ASSERT (sizeof (TlStmt) == 64);
G_STATIC_ASSERT (TL_STMT_EXPECT_ERROR < 256);
G_STATIC_ASSERT (TL_LESSON_MAX_COUNT < (1u << 20));

static const char *const key_names[TL_N_KEYS] = {
  [TL_KEY_PROFILE]            = "profile",
  [TL_KEY_ISN]                = "isn",
  [TL_KEY_BACKLOG]            = "backlog",
  [TL_KEY_SYN_QUEUE]          = "syn_queue",
  [TL_KEY_SYNCOOKIES]         = "syncookies",
  [TL_KEY_SYN_RETRIES]        = "syn_retries",
  [TL_KEY_SYNACK_RETRIES]     = "synack_retries",
  [TL_KEY_RETRIES]            = "retries",
  [TL_KEY_RTO_INITIAL]        = "rto_initial",
  [TL_KEY_RTO_MIN]            = "rto_min",
  [TL_KEY_RTO_MAX]            = "rto_max",
  [TL_KEY_MSL]                = "msl",
  [TL_KEY_FIN_TIMEOUT]        = "fin_timeout",
  [TL_KEY_KEEPALIVE]          = "keepalive",
  [TL_KEY_KEEPALIVE_IDLE]     = "keepalive_idle",
  [TL_KEY_KEEPALIVE_INTERVAL] = "keepalive_interval",
  [TL_KEY_KEEPALIVE_PROBES]   = "keepalive_probes",
  [TL_KEY_AUTOACCEPT]         = "autoaccept",
  [TL_KEY_AUTOREAD]           = "autoread",
  [TL_KEY_WINDOW]             = "window",
  [TL_KEY_MSS]                = "mss",
  [TL_KEY_SYN_LINEAR_TIMEOUTS] = "syn_linear_timeouts",
  [TL_KEY_SACK]               = "sack",
  [TL_KEY_TIMESTAMPS]         = "timestamps",
  [TL_KEY_WINDOW_SCALING]     = "window_scaling",
  [TL_KEY_PORT_RANGE]         = "port_range",
  [TL_KEY_NODELAY]            = "nodelay",
  [TL_KEY_INVALID_RATELIMIT]  = "invalid_ratelimit",
  [TL_KEY_CHALLENGE_ACK_LIMIT] = "challenge_ack_limit",
  [TL_KEY_INITCWND]           = "initcwnd",
  [TL_KEY_METRICS_SAVE]       = "metrics_save",
  [TL_KEY_COMP_SACK_NR]       = "comp_sack_nr",
  [TL_KEY_COMP_SACK_DELAY]    = "comp_sack_delay",
  [TL_KEY_FRTO]               = "frto",
};

void
tl_settings_init_profile (TlSettings *settings,
                          TlProfile   profile)
{
  g_return_if_fail (settings != NULL);

  /* The `linux` column of LESSON-FORMAT.md's table: the kernel's defaults. */
  *settings = (TlSettings) {
    .profile = profile,
    .isn_random = TRUE,
    .isn = 0,
    .backlog = 128,
    .syn_queue = 128,
    .syncookies = TL_SYNCOOKIES_ON,
    .syn_retries = 6,
    /* net.ipv4.tcp_syn_linear_timeouts (Linux 6.10 and later) */
    .syn_linear_timeouts = 4,
    .synack_retries = 5,
    .retries = 15,
    .rto_initial_us = 1 * TL_USEC_PER_SEC,
    .rto_min_us = 200 * TL_USEC_PER_MSEC,
    .rto_max_us = 120 * TL_USEC_PER_SEC,
    .msl_us = 30 * TL_USEC_PER_SEC,
    .fin_timeout_us = 60 * TL_USEC_PER_SEC,
    .keepalive = FALSE,
    .keepalive_idle_us = 7200 * TL_USEC_PER_SEC,
    .keepalive_interval_us = 75 * TL_USEC_PER_SEC,
    .keepalive_probes = 9,
    .autoaccept = TRUE,
    .autoread = TRUE,
    .window = TL_DEFAULT_WINDOW,
    .mss = 1460,
    .sack = TRUE,
    .timestamps = TRUE,
    .window_scaling = TRUE,
    /* net.ipv4.ip_local_port_range; the RFC profile keeps it too (RFC
     * 6056 leaves the range to the host) */
    .port_first = 32768,
    .port_last = 60999,
    .nodelay = FALSE,
    /* net.ipv4.tcp_invalid_ratelimit (HZ / 2), and the host-wide challenge
     * ACK limit off (tcp_challenge_ack_limit INT_MAX since Linux 6.0) */
    .invalid_ratelimit_us = 500 * TL_USEC_PER_MSEC,
    .challenge_ack_limit = TL_CHALLENGE_ACK_UNLIMITED,
    /* TCP_INIT_CWND (RFC 6928) */
    .initcwnd = 10,
    /* net.ipv4.tcp_no_metrics_save 0: Linux's TCP metrics cache */
    .metrics_save = TRUE,
    /* SACK compression (tcp_input.c, __tcp_ack_snd_check) */
    .comp_sack_nr = 44,
    .comp_sack_delay_us = 1 * TL_USEC_PER_MSEC,
    /* net.ipv4.tcp_frto 2 */
    .frto = TRUE,
  };

  if (profile == TL_PROFILE_RFC)
    {
      /* RFC 6298 section 2.4: RTO rounded up to 1 s; section 2.5: a maximum of at least 60 s. */
      settings->rto_min_us = 1 * TL_USEC_PER_SEC;
      settings->rto_max_us = 60 * TL_USEC_PER_SEC;
      /* RFC 9293 section 3.4.2: MSL is 2 minutes. */
      settings->msl_us = 120 * TL_USEC_PER_SEC;
      /* The RFC knows no FIN_WAIT_2 timeout (0: none) and no SYN cookies. */
      settings->fin_timeout_us = 0;
      settings->syncookies = TL_SYNCOOKIES_OFF;
      /* RFC 6298 (5.5): every retransmission doubles the timer. */
      settings->syn_linear_timeouts = 0;
      /* RFC 9293 requires no SACK (RFC 2018) */
      settings->sack = FALSE;
      /* nor timestamps and window scaling (RFC 7323 is an option, RFC
       * 9293 section 3.7 requires only MSS) */
      settings->timestamps = FALSE;
      settings->window_scaling = FALSE;
      /* RFC 5961 section 7 leaves ACK throttling to the implementation:
       * every out-of-window segment and challenge is answered */
      settings->invalid_ratelimit_us = 0;
      /* RFC 5681 section 3.1's initial window, from the SMSS */
      settings->initcwnd = 0;
      /* RFC 6298 section 2.1 starts every connection at the initial RTO
       * (sharing state between connections is RFC 9040's, an option) */
      settings->metrics_save = FALSE;
      /* RFC 5681 section 4.2: an immediate duplicate ACK for each
       * segment out of order */
      settings->comp_sack_nr = 0;
      /* RFC 5681's timeout (F-RTO, RFC 5682, is experimental) */
      settings->frto = FALSE;
    }
}

void
tl_settings_apply (TlSettings      *settings,
                   const TlSetting *setting)
{
  g_return_if_fail (settings != NULL);
  g_return_if_fail (setting != NULL);

  switch (setting->key)
    {
    case TL_KEY_PROFILE:
      tl_settings_init_profile (settings, (TlProfile) setting->value);
      break;
    case TL_KEY_ISN:
      settings->isn_random = setting->value < 0;
      settings->isn = setting->value < 0 ? 0 : (guint32) setting->value;
      break;
    case TL_KEY_BACKLOG:            settings->backlog = setting->value; break;
    case TL_KEY_SYN_QUEUE:          settings->syn_queue = setting->value; break;
    case TL_KEY_SYNCOOKIES:         settings->syncookies = (TlSyncookies) setting->value; break;
    case TL_KEY_SYN_RETRIES:        settings->syn_retries = setting->value; break;
    case TL_KEY_SYNACK_RETRIES:     settings->synack_retries = setting->value; break;
    case TL_KEY_RETRIES:            settings->retries = setting->value; break;
    case TL_KEY_RTO_INITIAL:        settings->rto_initial_us = setting->value; break;
    case TL_KEY_RTO_MIN:            settings->rto_min_us = setting->value; break;
    case TL_KEY_RTO_MAX:            settings->rto_max_us = setting->value; break;
    case TL_KEY_MSL:                settings->msl_us = setting->value; break;
    case TL_KEY_FIN_TIMEOUT:        settings->fin_timeout_us = setting->value; break;
    case TL_KEY_KEEPALIVE:          settings->keepalive = setting->value != 0; break;
    case TL_KEY_KEEPALIVE_IDLE:     settings->keepalive_idle_us = setting->value; break;
    case TL_KEY_KEEPALIVE_INTERVAL: settings->keepalive_interval_us = setting->value; break;
    case TL_KEY_KEEPALIVE_PROBES:   settings->keepalive_probes = setting->value; break;
    case TL_KEY_AUTOACCEPT:         settings->autoaccept = setting->value != 0; break;
    case TL_KEY_AUTOREAD:           settings->autoread = setting->value != 0; break;
    case TL_KEY_WINDOW:
      settings->window = setting->value;
      settings->window_set = TRUE;
      break;
    case TL_KEY_MSS:                settings->mss = setting->value; break;
    case TL_KEY_SYN_LINEAR_TIMEOUTS: settings->syn_linear_timeouts = setting->value; break;
    case TL_KEY_SACK:               settings->sack = setting->value != 0; break;
    case TL_KEY_TIMESTAMPS:         settings->timestamps = setting->value != 0; break;
    case TL_KEY_WINDOW_SCALING:     settings->window_scaling = setting->value != 0; break;
    case TL_KEY_PORT_RANGE:
      settings->port_first = (guint16) (setting->value >> 16);
      settings->port_last = (guint16) setting->value;
      break;
    case TL_KEY_NODELAY:            settings->nodelay = setting->value != 0; break;
    case TL_KEY_INVALID_RATELIMIT:  settings->invalid_ratelimit_us = setting->value; break;
    case TL_KEY_CHALLENGE_ACK_LIMIT: settings->challenge_ack_limit = (guint32) setting->value; break;
    case TL_KEY_INITCWND:           settings->initcwnd = (guint32) setting->value; break;
    case TL_KEY_METRICS_SAVE:       settings->metrics_save = setting->value != 0; break;
    case TL_KEY_COMP_SACK_NR:       settings->comp_sack_nr = (guint) setting->value; break;
    case TL_KEY_COMP_SACK_DELAY:    settings->comp_sack_delay_us = setting->value; break;
    case TL_KEY_FRTO:               settings->frto = setting->value != 0; break;
    case TL_N_KEYS:
      g_return_if_reached ();
    }
}

const char *
tl_key_name (TlKey key)
{
  g_return_val_if_fail ((guint) key < TL_N_KEYS, "?");
  return key_names[key];
}

gboolean
tl_key_from_name (const char *name,
                  TlKey      *key)
{
  int index = tl_name_index (key_names, TL_N_KEYS, name);

  if (index < 0)
    return FALSE;
  *key = index;
  return TRUE;
}

static void
text_clear (gpointer data)
{
  TlText *text = data;

  g_free (text->locale);
  g_free (text->text);
}

static GArray *
text_array_new (void)
{
  GArray *array = g_array_new (FALSE, TRUE, sizeof (TlText));

  g_array_set_clear_func (array, text_clear);
  return array;
}

/* A block of memory a statement owns: a string, or an array of size bytes. */
typedef struct
{
  gpointer *ptr;
  gboolean  string;
  gsize     size;
} OwnedBlock;

/* The blocks stmt owns (at most two), for clearing and copying: the one
 * list of what each kind of statement holds beyond plain values. */
static guint
stmt_owned (TlStmt     *stmt,
            OwnedBlock  owned[2])
{
  switch ((TlStmtKind) stmt->kind)
    {
    case TL_STMT_LINK:
      owned[0] = (OwnedBlock) { (gpointer *) &stmt->u.link.settings, FALSE,
                                stmt->u.link.n_settings * sizeof (TlLinkSetting) };
      return 1;
    case TL_STMT_SET:
      owned[0] = (OwnedBlock) { (gpointer *) &stmt->u.set.settings, FALSE,
                                stmt->u.set.n_settings * sizeof (TlSetting) };
      return 1;
    case TL_STMT_SAY:
      owned[0] = (OwnedBlock) { (gpointer *) &stmt->u.say.text, TRUE, 0 };
      owned[1] = (OwnedBlock) { (gpointer *) &stmt->u.say.locale, TRUE, 0 };
      return 2;
    case TL_STMT_PAUSE:
      owned[0] = (OwnedBlock) { (gpointer *) &stmt->u.pause.question, TRUE, 0 };
      owned[1] = (OwnedBlock) { (gpointer *) &stmt->u.pause.locale, TRUE, 0 };
      return 2;
    case TL_STMT_CHOICE:
    case TL_STMT_EXPLAIN:
      owned[0] = (OwnedBlock) { (gpointer *) &stmt->u.answer.text, TRUE, 0 };
      owned[1] = (OwnedBlock) { (gpointer *) &stmt->u.answer.locale, TRUE, 0 };
      return 2;
    case TL_STMT_LISTEN:
    case TL_STMT_UNLISTEN:
    case TL_STMT_CONNECT:
    case TL_STMT_ACCEPT:
    case TL_STMT_SEND:
    case TL_STMT_READ:
    case TL_STMT_CLOSE:
    case TL_STMT_SHUTDOWN:
    case TL_STMT_ABORT:
    case TL_STMT_CRASH:
    case TL_STMT_REBOOT:
    case TL_STMT_DROP:
    case TL_STMT_DUPLICATE_NEXT:
    case TL_STMT_HOLD_NEXT:
    case TL_STMT_FLOOD:
    case TL_STMT_LOSE:
    case TL_STMT_DUPLICATE:
    case TL_STMT_END:
    case TL_STMT_EXPECT_STATE:
    case TL_STMT_EXPECT_SOCKETS:
    case TL_STMT_EXPECT_SEGMENTS:
    case TL_STMT_EXPECT_ERROR:
      break;
    }
  return 0;
}

void
tl_stmt_clear (TlStmt *stmt)
{
  OwnedBlock owned[2];
  guint n = stmt_owned (stmt, owned);

  for (guint i = 0; i < n; i++)
    g_clear_pointer (owned[i].ptr, g_free);
}

static void
stmt_clear_func (gpointer data)
{
  tl_stmt_clear (data);
}

/* A deep copy of src into dst. */
void
tl_stmt_copy (TlStmt       *dst,
              const TlStmt *src)
{
  OwnedBlock owned[2];
  guint n;

  *dst = *src;
  n = stmt_owned (dst, owned);
  for (guint i = 0; i < n; i++)
    *owned[i].ptr = owned[i].string ? g_strdup (*owned[i].ptr)
                                    : g_memdup2 (*owned[i].ptr, owned[i].size);
}

gboolean
tl_stmt_kind_is_expectation (TlStmtKind kind)
{
  /* Written out rather than compared by order, so that a new kind is
   * placed here (-Wswitch-enum). */
  switch (kind)
    {
    case TL_STMT_EXPECT_STATE:
    case TL_STMT_EXPECT_SOCKETS:
    case TL_STMT_EXPECT_SEGMENTS:
    case TL_STMT_EXPECT_ERROR:
      return TRUE;
    case TL_STMT_LISTEN:
    case TL_STMT_UNLISTEN:
    case TL_STMT_CONNECT:
    case TL_STMT_ACCEPT:
    case TL_STMT_SEND:
    case TL_STMT_READ:
    case TL_STMT_CLOSE:
    case TL_STMT_SHUTDOWN:
    case TL_STMT_ABORT:
    case TL_STMT_CRASH:
    case TL_STMT_REBOOT:
    case TL_STMT_LINK:
    case TL_STMT_SET:
    case TL_STMT_DROP:
    case TL_STMT_DUPLICATE_NEXT:
    case TL_STMT_HOLD_NEXT:
    case TL_STMT_FLOOD:
    case TL_STMT_LOSE:
    case TL_STMT_DUPLICATE:
    case TL_STMT_SAY:
    case TL_STMT_PAUSE:
    case TL_STMT_END:
    case TL_STMT_CHOICE:
    case TL_STMT_EXPLAIN:
      return FALSE;
    }
  return FALSE;
}

TlScenario *
tl_scenario_new (void)
{
  TlScenario *scenario = g_new0 (TlScenario, 1);

  scenario->title_l10n = text_array_new ();
  scenario->summary_l10n = text_array_new ();
  scenario->seed = 1;
  scenario->hosts[0].name = g_strdup ("client");
  scenario->hosts[0].addr = 0x0a000001;
  scenario->hosts[1].name = g_strdup ("server");
  scenario->hosts[1].addr = 0x0a000002;
  for (guint i = 0; i < 2; i++)
    {
      tl_settings_init_profile (&scenario->settings[i], TL_PROFILE_LINUX);
      scenario->link[i] = (TlLinkDir) { .delay_us = 10 * TL_USEC_PER_MSEC };
    }
  scenario->stmts = g_array_new (FALSE, TRUE, sizeof (TlStmt));
  g_array_set_clear_func (scenario->stmts, stmt_clear_func);
  scenario->end_us = -1;
  return scenario;
}

static void
copy_texts (GArray       *dst,
            const GArray *src)
{
  for (guint i = 0; i < src->len; i++)
    {
      const TlText *t = &g_array_index (src, TlText, i);
      TlText copy = { g_strdup (t->locale), g_strdup (t->text) };

      g_array_append_val (dst, copy);
    }
}

TlScenario *
tl_scenario_copy (const TlScenario *scenario)
{
  TlScenario *copy;

  g_return_val_if_fail (scenario != NULL, NULL);

  copy = tl_scenario_new ();
  copy->filename = g_strdup (scenario->filename);
  copy->title = g_strdup (scenario->title);
  copy->summary = g_strdup (scenario->summary);
  copy_texts (copy->title_l10n, scenario->title_l10n);
  copy_texts (copy->summary_l10n, scenario->summary_l10n);
  copy->seed = scenario->seed;
  copy->group = scenario->group;
  copy->group_order = scenario->group_order;
  for (guint i = 0; i < 2; i++)
    {
      g_free (copy->hosts[i].name);
      copy->hosts[i].name = g_strdup (scenario->hosts[i].name);
      copy->hosts[i].addr = scenario->hosts[i].addr;
      copy->settings[i] = scenario->settings[i];
      copy->link[i] = scenario->link[i];
    }
  g_array_set_size (copy->stmts, scenario->stmts->len);
  for (guint i = 0; i < scenario->stmts->len; i++)
    tl_stmt_copy (&g_array_index (copy->stmts, TlStmt, i),
               &g_array_index (scenario->stmts, TlStmt, i));
  copy->end_us = scenario->end_us;
  return copy;
}

void
tl_scenario_free (TlScenario *scenario)
{
  if (scenario == NULL)
    return;
  g_free (scenario->filename);
  g_free (scenario->title);
  g_free (scenario->summary);
  g_array_unref (scenario->title_l10n);
  g_array_unref (scenario->summary_l10n);
  for (guint i = 0; i < 2; i++)
    g_free (scenario->hosts[i].name);
  g_array_unref (scenario->stmts);
  g_free (scenario);
}

void
tl_scenario_insert (TlScenario   *scenario,
                    const TlStmt *stmt)
{
  TlStmt copy;
  guint pos;

  g_return_if_fail (scenario != NULL);
  g_return_if_fail (stmt != NULL);

  /* After every statement at or before its time: the file's order for ties. */
  pos = scenario->stmts->len;
  while (pos > 0 && g_array_index (scenario->stmts, TlStmt, pos - 1).time_us > stmt->time_us)
    pos--;
  tl_stmt_copy (&copy, stmt);
  g_array_insert_val (scenario->stmts, pos, copy);
}

int
tl_scenario_host_by_name (const TlScenario *scenario,
                          const char       *name)
{
  g_return_val_if_fail (scenario != NULL, -1);
  g_return_val_if_fail (name != NULL, -1);

  for (guint i = 0; i < 2; i++)
    if (g_strcmp0 (scenario->hosts[i].name, name) == 0)
      return i;
  return -1;
}

/* "zh_CN.UTF-8" matches "zh_CN", and then "zh". */
static const char *
lookup_text (const GArray *texts,
             const char   *locale,
             const char   *fallback)
{
  g_auto(GStrv) variants = NULL;

  if (locale == NULL)
    return fallback;
  variants = g_get_locale_variants (locale);
  for (guint v = 0; variants[v] != NULL; v++)
    for (guint i = 0; i < texts->len; i++)
      {
        const TlText *t = &g_array_index (texts, TlText, i);

        if (strcmp (t->locale, variants[v]) == 0)
          return t->text;
      }
  return fallback;
}

const char *
tl_scenario_title (const TlScenario *scenario,
                   const char       *locale)
{
  g_return_val_if_fail (scenario != NULL, NULL);
  return lookup_text (scenario->title_l10n, locale, scenario->title);
}

const char *
tl_scenario_summary (const TlScenario *scenario,
                     const char       *locale)
{
  g_return_val_if_fail (scenario != NULL, NULL);
  return lookup_text (scenario->summary_l10n, locale, scenario->summary);
}

static const char *const group_names[TL_N_GROUPS] = {
  [TL_GROUP_NONE] = NULL,
  [TL_GROUP_OPENING] = "opening",
  [TL_GROUP_CLOSING] = "closing",
  [TL_GROUP_TROUBLE] = "trouble",
  [TL_GROUP_TIMERS] = "timers",
};

const char *
tl_lesson_group_name (TlLessonGroup group)
{
  g_return_val_if_fail (group < TL_N_GROUPS, NULL);
  return group_names[group];
}

gboolean
tl_lesson_group_from_name (const char    *name,
                           TlLessonGroup *group)
{
  for (guint g = TL_GROUP_NONE + 1; g < TL_N_GROUPS; g++)
    if (g_strcmp0 (name, group_names[g]) == 0)
      {
        *group = g;
        return TRUE;
      }
  return FALSE;
}
