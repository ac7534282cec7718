/* tl-real-settings.c: a lesson's `set` keys as the Linux settings they
 * mirror (lessons/README.md, "Host settings"), and what a real run refuses:
 * a key Linux has no setting for, or a value it cannot take. */
#include "tl-config.h"

#include "tl-real-private.h"

#include <glib/gi18n.h>
#include <string.h>

/* Linux's fixed values: TCP_TIMEOUT_INIT and TCP_TIMEWAIT_LEN / 2. */
#define LINUX_RTO_INITIAL_US (1 * TL_USEC_PER_SEC)
#define LINUX_MSL_US         (30 * TL_USEC_PER_SEC)

/* The keys that are sysctls (lessons/README.md, "Host settings"), and the
 * unit each takes: the value in us divided by it (1 for counts). */
static const struct
{
  TlKey       key;
  const char *sysctl;
  gint64      unit_us;
} sysctls[] = {
  { TL_KEY_SYN_QUEUE, "net/ipv4/tcp_max_syn_backlog", 1 },
  { TL_KEY_SYNCOOKIES, "net/ipv4/tcp_syncookies", 1 },
  { TL_KEY_SYN_RETRIES, "net/ipv4/tcp_syn_retries", 1 },
  { TL_KEY_SYN_LINEAR_TIMEOUTS, "net/ipv4/tcp_syn_linear_timeouts", 1 },
  { TL_KEY_SYNACK_RETRIES, "net/ipv4/tcp_synack_retries", 1 },
  { TL_KEY_RETRIES, "net/ipv4/tcp_retries2", 1 },
  { TL_KEY_SACK, "net/ipv4/tcp_sack", 1 },
  { TL_KEY_TIMESTAMPS, "net/ipv4/tcp_timestamps", 1 },
  { TL_KEY_WINDOW_SCALING, "net/ipv4/tcp_window_scaling", 1 },
  { TL_KEY_RTO_MIN, "net/ipv4/tcp_rto_min_us", 1 },
  { TL_KEY_RTO_MAX, "net/ipv4/tcp_rto_max_ms", TL_USEC_PER_MSEC },
  { TL_KEY_FIN_TIMEOUT, "net/ipv4/tcp_fin_timeout", TL_USEC_PER_SEC },
  { TL_KEY_INVALID_RATELIMIT, "net/ipv4/tcp_invalid_ratelimit", TL_USEC_PER_MSEC },
  { TL_KEY_CHALLENGE_ACK_LIMIT, "net/ipv4/tcp_challenge_ack_limit", 1 },
  { TL_KEY_COMP_SACK_NR, "net/ipv4/tcp_comp_sack_nr", 1 },
};

gboolean
tl_real_key_sysctl (TlKey        key,
                    gint64       value,
                    const char **sysctl,
                    char       **text)
{
  *sysctl = NULL;
  *text = NULL;
  if (key == TL_KEY_PORT_RANGE)
    {
      /* per network namespace, as "FIRST LAST" */
      *sysctl = "net/ipv4/ip_local_port_range";
      *text = g_strdup_printf ("%u %u", (guint) (value >> 16) & 0xffff, (guint) value & 0xffff);
      return TRUE;
    }
  if (key == TL_KEY_COMP_SACK_DELAY)
    {
      /* in nanoseconds */
      *sysctl = "net/ipv4/tcp_comp_sack_delay_ns";
      *text = g_strdup_printf ("%" G_GINT64_FORMAT, value * 1000);
      return TRUE;
    }
  if (key == TL_KEY_FRTO)
    {
      /* F-RTO's own value, 2 (1 does the same since Linux 4.10) */
      *sysctl = "net/ipv4/tcp_frto";
      *text = g_strdup (value != 0 ? "2" : "0");
      return TRUE;
    }
  if (key == TL_KEY_METRICS_SAVE)
    {
      /* the key says what is done, the sysctl what is not */
      *sysctl = "net/ipv4/tcp_no_metrics_save";
      *text = g_strdup (value != 0 ? "0" : "1");
      return TRUE;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (sysctls); i++)
    if (sysctls[i].key == key)
      {
        *sysctl = sysctls[i].sysctl;
        *text = g_strdup_printf ("%" G_GINT64_FORMAT, value / sysctls[i].unit_us);
        return TRUE;
      }
  return FALSE;   /* socket options, the program's behaviour, or nothing */
}

gint64
tl_real_settings_value (const TlSettings *s,
                        TlKey             key)
{
  switch (key)
    {
    case TL_KEY_PROFILE: return s->profile;
    case TL_KEY_ISN: return s->isn_random ? -1 : (gint64) s->isn;
    case TL_KEY_BACKLOG: return s->backlog;
    case TL_KEY_SYN_QUEUE: return s->syn_queue;
    case TL_KEY_SYNCOOKIES: return s->syncookies;
    case TL_KEY_SYN_RETRIES: return s->syn_retries;
    case TL_KEY_SYNACK_RETRIES: return s->synack_retries;
    case TL_KEY_RETRIES: return s->retries;
    case TL_KEY_RTO_INITIAL: return s->rto_initial_us;
    case TL_KEY_RTO_MIN: return s->rto_min_us;
    case TL_KEY_RTO_MAX: return s->rto_max_us;
    case TL_KEY_MSL: return s->msl_us;
    case TL_KEY_FIN_TIMEOUT: return s->fin_timeout_us;
    case TL_KEY_KEEPALIVE: return s->keepalive;
    case TL_KEY_KEEPALIVE_IDLE: return s->keepalive_idle_us;
    case TL_KEY_KEEPALIVE_INTERVAL: return s->keepalive_interval_us;
    case TL_KEY_KEEPALIVE_PROBES: return s->keepalive_probes;
    case TL_KEY_AUTOACCEPT: return s->autoaccept;
    case TL_KEY_AUTOREAD: return s->autoread;
    case TL_KEY_WINDOW: return s->window;
    case TL_KEY_MSS: return s->mss;
    case TL_KEY_SYN_LINEAR_TIMEOUTS: return s->syn_linear_timeouts;
    case TL_KEY_SACK: return s->sack;
    case TL_KEY_TIMESTAMPS: return s->timestamps;
    case TL_KEY_WINDOW_SCALING: return s->window_scaling;
    case TL_KEY_PORT_RANGE: return (gint64) s->port_first << 16 | s->port_last;
    case TL_KEY_NODELAY: return s->nodelay;
    case TL_KEY_INVALID_RATELIMIT: return s->invalid_ratelimit_us;
    case TL_KEY_CHALLENGE_ACK_LIMIT: return s->challenge_ack_limit;
    case TL_KEY_INITCWND: return s->initcwnd;
    case TL_KEY_METRICS_SAVE: return s->metrics_save;
    case TL_KEY_COMP_SACK_NR: return s->comp_sack_nr;
    case TL_KEY_COMP_SACK_DELAY: return s->comp_sack_delay_us;
    case TL_KEY_FRTO: return s->frto;
    case TL_N_KEYS: break;
    }
  return 0;
}

/* Why Linux cannot do setting, or NULL when it can. */
static const char *
refusal (const TlSetting *setting)
{
  gint64 v = setting->value;

  switch (setting->key)
    {
    case TL_KEY_PROFILE:
      return v == TL_PROFILE_LINUX ? NULL
             : _("the rfc profile is the RFCs' timers, not the kernel's: only the simulator plays it");
    case TL_KEY_ISN:
      return v < 0 ? NULL : _("Linux chooses its initial sequence numbers itself: only isn random can be played");
    case TL_KEY_RTO_INITIAL:
      return v == LINUX_RTO_INITIAL_US ? NULL
             : _("Linux's first retransmission timeout is fixed at 1s (TCP_TIMEOUT_INIT)");
    case TL_KEY_MSL:
      return v == LINUX_MSL_US ? NULL
             : _("Linux's TIME_WAIT is fixed at 60s (TCP_TIMEWAIT_LEN): msl can only be 30s");
    case TL_KEY_FIN_TIMEOUT:
    case TL_KEY_KEEPALIVE_IDLE:
    case TL_KEY_KEEPALIVE_INTERVAL:
      return v % TL_USEC_PER_SEC == 0 && v > 0 ? NULL
             : _("Linux sets this in whole seconds, at least 1s");
    case TL_KEY_RTO_MAX:
      return v % TL_USEC_PER_MSEC == 0 ? NULL : _("Linux sets rto_max in whole milliseconds");
    case TL_KEY_INVALID_RATELIMIT:
      return v % TL_USEC_PER_MSEC == 0 ? NULL
             : _("Linux sets invalid_ratelimit in whole milliseconds");
    case TL_KEY_WINDOW:
      return v == 65535 ? NULL
             : _("Linux has no setting for the advertised window (SO_RCVBUF only bounds it)");
    case TL_KEY_BACKLOG:
    case TL_KEY_SYN_QUEUE:
    case TL_KEY_SYNCOOKIES:
    case TL_KEY_SYN_RETRIES:
    case TL_KEY_SYNACK_RETRIES:
    case TL_KEY_RETRIES:
    case TL_KEY_RTO_MIN:
    case TL_KEY_KEEPALIVE:
    case TL_KEY_KEEPALIVE_PROBES:
    case TL_KEY_AUTOACCEPT:
    case TL_KEY_AUTOREAD:
    case TL_KEY_MSS:
    case TL_KEY_SYN_LINEAR_TIMEOUTS:
    case TL_KEY_SACK:
    case TL_KEY_TIMESTAMPS:
    case TL_KEY_WINDOW_SCALING:
    case TL_KEY_PORT_RANGE:
    case TL_KEY_NODELAY:
    case TL_KEY_CHALLENGE_ACK_LIMIT:
    case TL_KEY_INITCWND:
    case TL_KEY_METRICS_SAVE:
    case TL_KEY_COMP_SACK_NR:
    case TL_KEY_COMP_SACK_DELAY:
    case TL_KEY_FRTO:
    case TL_N_KEYS:
      break;
    }
  return NULL;
}

gboolean
tl_real_check_supported (const TlScenario *scenario,
                         GError          **error)
{
  const char *file = scenario->filename != NULL ? scenario->filename : "-";

  /* The setup `set` lines are folded into settings[]: check what they made. */
  for (guint h = 0; h < 2; h++)
    for (guint k = 0; k < TL_N_KEYS; k++)
      {
        TlSetting probe = { k, tl_real_settings_value (&scenario->settings[h], k) };
        const char *why = refusal (&probe);

        if (why != NULL)
          {
            g_set_error (error, TL_REAL_ERROR, TL_REAL_ERROR_UNSUPPORTED,
                         /* TRANSLATORS: FILE: error: HOST's KEY: why */
                         _("%s: error: %s's %s cannot be played on Linux: %s"),
                         file, scenario->hosts[h].name, tl_key_name (k), why);
            return FALSE;
          }
      }
  for (guint i = 0; i < scenario->stmts->len; i++)
    {
      const TlStmt *st = &g_array_index (scenario->stmts, TlStmt, i);

      if (st->kind != TL_STMT_SET)
        continue;
      for (guint j = 0; j < st->u.set.n_settings; j++)
        {
          const char *why = refusal (&st->u.set.settings[j]);

          if (why != NULL)
            {
              g_set_error (error, TL_REAL_ERROR, TL_REAL_ERROR_UNSUPPORTED,
                           _("%s:%u:%u: error: %s cannot be played on Linux: %s"),
                           file, st->line, st->column, tl_key_name (st->u.set.settings[j].key), why);
              return FALSE;
            }
        }
    }
  return TRUE;
}

/* ------------------------------------------------------------ descriptors */

/* The connection a statement names on its host: HOST#N, or HOST (the most
 * recent then, of made[host] made so far); 0 if none. */
static guint
conn_number (const TlStmt *st,
             const guint  *made,
             guint         n_hosts)
{
  return st->conn.ordinal != 0 ? st->conn.ordinal : st->host < n_hosts ? made[st->host] : 0;
}

guint64
tl_real_fds_needed (const TlScenario *scenario,
                    guint64           limit,
                    const TlStmt    **over)
{
  guint64 held = TL_REAL_FDS_BASE, most = held;
  guint made[G_N_ELEMENTS (scenario->hosts)] = { 0 };
  /* (host << 32 | number) of each connection whose descriptor is closed */
  g_autoptr (GHashTable) closed = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  if (over != NULL)
    *over = NULL;
  /* in time order: a connect opens its socket and the one its peer
   * accepts, each numbered on its host; a close or abort gives back the
   * descriptor of its connection (the TIME_WAIT or orphan after it holds
   * none), once. */
  for (guint i = 0; i < scenario->stmts->len; i++)
    {
      const TlStmt *st = &g_array_index (scenario->stmts, TlStmt, i);
      guint number;
      gint64 key;

      switch (st->kind)
        {
        case TL_STMT_CONNECT:
          held += 2;
          for (guint h = 0; h < G_N_ELEMENTS (made); h++)
            made[h] += h == st->host || h == st->u.connect.peer;
          break;
        case TL_STMT_LISTEN:
        case TL_STMT_FLOOD:
          held++;
          break;
        case TL_STMT_CLOSE:
        case TL_STMT_ABORT:
          number = conn_number (st, made, G_N_ELEMENTS (made));
          key = (gint64) st->host << 32 | number;
          if (number != 0 && held > TL_REAL_FDS_BASE && !g_hash_table_contains (closed, &key))
            {
              g_hash_table_add (closed, g_memdup2 (&key, sizeof key));
              held--;
            }
          break;
        default:
          break;
        }
      most = MAX (most, held);
      if (over != NULL && *over == NULL && held > limit)
        *over = st;
    }
  return most;
}

/* fs.nr_open: the most a hard limit may be raised to (0: unknown). */
static guint64
nr_open (void)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents ("/proc/sys/fs/nr_open", &text, NULL, NULL))
    return 0;
  return g_ascii_strtoull (text, NULL, 10);
}

gboolean
tl_real_fds_raise (const TlScenario *scenario,
                   struct rlimit    *old,
                   GError          **error)
{
  guint64 need = tl_real_fds_needed (scenario, G_MAXUINT64, NULL);
  guint64 kernel_max = nr_open ();
  struct rlimit want;
  const TlStmt *over;

  memset (old, 0, sizeof *old);
  if (getrlimit (RLIMIT_NOFILE, old) != 0)
    return TRUE;   /* nothing known (nothing to put back): the run meets EMFILE if it must */
  if (old->rlim_cur != RLIM_INFINITY && need > old->rlim_cur)
    {
      want.rlim_cur = need;
      want.rlim_max = old->rlim_max == RLIM_INFINITY ? RLIM_INFINITY : MAX (old->rlim_max, need);
      if (setrlimit (RLIMIT_NOFILE, &want) == 0)
        return TRUE;
      /* The hard limit stays: no run, rather than one that meets EMFILE. */
      tl_real_fds_needed (scenario, old->rlim_max, &over);
      g_set_error (error, TL_REAL_ERROR, TL_REAL_ERROR_UNAVAILABLE,
                   /* TRANSLATORS: FILE:LINE:COLUMN: error: ... the N file descriptors ...
                    * (the lesson needs M; ... fs.nr_open, K) */
                   _("%s:%u:%u: error: the programs' sockets up to this statement need more than "
                     "the %llu file descriptors this process may open (the lesson needs %llu; only "
                     "a process with CAP_SYS_RESOURCE may raise RLIMIT_NOFILE's hard limit, up to "
                     "fs.nr_open, %llu)"),
                   scenario->filename != NULL ? scenario->filename : "-",
                   over != NULL ? over->line : 0, over != NULL ? over->column : 0,
                   (unsigned long long) old->rlim_max, (unsigned long long) need,
                   (unsigned long long) kernel_max);
      return FALSE;
    }
  return TRUE;
}
