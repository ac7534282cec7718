/* tl-real-settings.c: a lesson's `set` keys as the Linux settings they
 * mirror (lessons/README.md, "Host settings"), and what a real run refuses:
 * a key Linux has no setting for, or a value it cannot take. */
#include "tl-config.h"

#include "tl-real-private.h"

#include <glib/gi18n.h>

/* Linux's fixed values: TCP_TIMEOUT_INIT and TCP_TIMEWAIT_LEN / 2. */
#define LINUX_RTO_INITIAL_US (1 * TL_USEC_PER_SEC)
#define LINUX_MSL_US         (30 * TL_USEC_PER_SEC)

gboolean
tl_real_key_sysctl (TlKey        key,
                    gint64       value,
                    const char **sysctl,
                    char       **text)
{
  *sysctl = NULL;
  *text = NULL;
  switch (key)
    {
    case TL_KEY_SYN_QUEUE:
      *sysctl = "net/ipv4/tcp_max_syn_backlog";
      break;
    case TL_KEY_SYNCOOKIES:
      *sysctl = "net/ipv4/tcp_syncookies";
      break;
    case TL_KEY_SYN_RETRIES:
      *sysctl = "net/ipv4/tcp_syn_retries";
      break;
    case TL_KEY_SYN_LINEAR_TIMEOUTS:
      *sysctl = "net/ipv4/tcp_syn_linear_timeouts";
      break;
    case TL_KEY_SYNACK_RETRIES:
      *sysctl = "net/ipv4/tcp_synack_retries";
      break;
    case TL_KEY_RETRIES:
      *sysctl = "net/ipv4/tcp_retries2";
      break;
    case TL_KEY_SACK:
      *sysctl = "net/ipv4/tcp_sack";
      break;
    case TL_KEY_RTO_MIN:
      *sysctl = "net/ipv4/tcp_rto_min_us";
      *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);
      return TRUE;
    case TL_KEY_RTO_MAX:
      *sysctl = "net/ipv4/tcp_rto_max_ms";
      *text = g_strdup_printf ("%" G_GINT64_FORMAT, value / TL_USEC_PER_MSEC);
      return TRUE;
    case TL_KEY_FIN_TIMEOUT:
      *sysctl = "net/ipv4/tcp_fin_timeout";
      *text = g_strdup_printf ("%" G_GINT64_FORMAT, value / TL_USEC_PER_SEC);
      return TRUE;
    case TL_KEY_PROFILE:
    case TL_KEY_ISN:
    case TL_KEY_BACKLOG:
    case TL_KEY_RTO_INITIAL:
    case TL_KEY_MSL:
    case TL_KEY_KEEPALIVE:
    case TL_KEY_KEEPALIVE_IDLE:
    case TL_KEY_KEEPALIVE_INTERVAL:
    case TL_KEY_KEEPALIVE_PROBES:
    case TL_KEY_AUTOACCEPT:
    case TL_KEY_AUTOREAD:
    case TL_KEY_WINDOW:
    case TL_KEY_MSS:
    case TL_N_KEYS:
      return FALSE;   /* socket options, the program's behaviour, or nothing */
    }
  *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);
  return TRUE;
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
    {
      const TlSettings *s = &scenario->settings[h];
      TlSetting probe[] = {
        { TL_KEY_PROFILE, s->profile }, { TL_KEY_ISN, s->isn_random ? -1 : (gint64) s->isn },
        { TL_KEY_RTO_INITIAL, s->rto_initial_us }, { TL_KEY_MSL, s->msl_us },
        { TL_KEY_FIN_TIMEOUT, s->fin_timeout_us }, { TL_KEY_KEEPALIVE_IDLE, s->keepalive_idle_us },
        { TL_KEY_KEEPALIVE_INTERVAL, s->keepalive_interval_us }, { TL_KEY_RTO_MAX, s->rto_max_us },
        { TL_KEY_WINDOW, s->window },
      };

      for (guint i = 0; i < G_N_ELEMENTS (probe); i++)
        {
          const char *why = refusal (&probe[i]);

          if (why != NULL)
            {
              g_set_error (error, TL_REAL_ERROR, TL_REAL_ERROR_UNSUPPORTED,
                           /* TRANSLATORS: FILE: error: HOST's KEY: why */
                           _("%s: error: %s's %s cannot be played on Linux: %s"),
                           file, scenario->hosts[h].name, tl_key_name (probe[i].key), why);
              return FALSE;
            }
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
