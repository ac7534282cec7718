/* tl-random-scenario.c: see tl-random-scenario.h.
 *
 * The draws come from one GRand seeded with the scenario's seed, in a fixed
 * order, so a seed names one scenario on every machine.  The choices lean
 * towards what makes TCP work hard: a listener and a connect early, ports
 * that a few statements share (so that connects meet listeners, and both
 * hosts connecting to each other's ports make a simultaneous open), and
 * connection names (HOST, HOST#1..3) that hit live connections often.
 */
#include "tl-random-scenario.h"

#define MS(x) ((gint64) (x) * TL_USEC_PER_MSEC)

/* Two well-known ports and two client ports: few enough that they meet. */
static const guint16 listen_ports[] = { 80, 81 };
static const guint16 client_ports[] = { 40000, 40001 };

static gint64
rand_ms (GRand *r,
         guint  lo,
         guint  hi)
{
  return MS (g_rand_int_range (r, lo, hi + 1));
}

static gboolean
chance (GRand   *r,
        gdouble  p)
{
  return g_rand_double (r) < p;
}

static guint
pick (GRand *r,
      guint  n)
{
  return (guint) g_rand_int_range (r, 0, (gint32) n);
}

/* Timers small enough that a run of a few seconds sees them fire. */
static void
random_settings (GRand      *r,
                 TlSettings *s)
{
  tl_settings_init_profile (s, chance (r, 0.25) ? TL_PROFILE_RFC : TL_PROFILE_LINUX);
  s->backlog = 1 + pick (r, 6);
  s->syn_queue = 1 + pick (r, 8);
  s->syncookies = (TlSyncookies) pick (r, 3);
  s->syn_retries = 1 + pick (r, 4);
  s->synack_retries = 1 + pick (r, 4);
  s->retries = 1 + pick (r, 5);
  s->rto_initial_us = rand_ms (r, 50, 600);
  s->rto_min_us = rand_ms (r, 10, 200);
  s->rto_max_us = rand_ms (r, 400, 3000);
  s->msl_us = rand_ms (r, 20, 800);
  s->fin_timeout_us = rand_ms (r, 100, 2000);
  s->keepalive = chance (r, 0.3);
  s->keepalive_idle_us = rand_ms (r, 200, 2000);
  s->keepalive_interval_us = rand_ms (r, 50, 500);
  s->keepalive_probes = 1 + pick (r, 3);
  s->autoaccept = chance (r, 0.8);
  s->autoread = chance (r, 0.75);
  s->window = chance (r, 0.2) ? 200 + pick (r, 2000) : 65535;
  s->mss = chance (r, 0.3) ? 100 + pick (r, 900) : 1460;
}

static TlSetting
random_setting (GRand *r)
{
  TlSetting s = { 0 };

  switch (pick (r, 12))
    {
    case 0:  s = (TlSetting) { TL_KEY_SYNCOOKIES, pick (r, 3) }; break;
    case 1:  s = (TlSetting) { TL_KEY_BACKLOG, 1 + pick (r, 6) }; break;
    case 2:  s = (TlSetting) { TL_KEY_SYN_QUEUE, 1 + pick (r, 8) }; break;
    case 3:  s = (TlSetting) { TL_KEY_SYN_RETRIES, 1 + pick (r, 4) }; break;
    case 4:  s = (TlSetting) { TL_KEY_RETRIES, 1 + pick (r, 5) }; break;
    case 5:  s = (TlSetting) { TL_KEY_KEEPALIVE, chance (r, 0.5) }; break;
    case 6:  s = (TlSetting) { TL_KEY_AUTOACCEPT, chance (r, 0.5) }; break;
    case 7:  s = (TlSetting) { TL_KEY_AUTOREAD, chance (r, 0.5) }; break;
    case 8:  s = (TlSetting) { TL_KEY_MSL, rand_ms (r, 20, 800) }; break;
    case 9:  s = (TlSetting) { TL_KEY_FIN_TIMEOUT, rand_ms (r, 100, 2000) }; break;
    case 10: s = (TlSetting) { TL_KEY_WINDOW, 200 + pick (r, 65335) }; break;
    default: s = (TlSetting) { TL_KEY_RTO_INITIAL, rand_ms (r, 50, 600) }; break;
    }
  return s;
}

static TlLinkSetting
random_link_setting (GRand *r)
{
  switch (pick (r, 6))
    {
    case 0:  return (TlLinkSetting) { TL_LINK_DELAY, rand_ms (r, 1, 60) };
    case 1:  return (TlLinkSetting) { TL_LINK_JITTER, chance (r, 0.5) ? 0 : rand_ms (r, 1, 20) };
    case 2:  return (TlLinkSetting) { TL_LINK_LOSS, chance (r, 0.4) ? 0 : 10000 * (1 + pick (r, 30)) };
    case 3:  return (TlLinkSetting) { TL_LINK_DUPLICATE, chance (r, 0.5) ? 0 : 10000 * (1 + pick (r, 15)) };
    case 4:  return (TlLinkSetting) { TL_LINK_DOWN, 0 };
    default: return (TlLinkSetting) { TL_LINK_UP, 0 };
    }
}

static int
random_dir (GRand *r)
{
  return chance (r, 0.3) ? TL_DIR_BOTH : (int) pick (r, 2);
}

static guint8
random_flags (GRand    *r,
              gboolean *any)
{
  static const guint8 flag_sets[] = {
    TL_FLAG_SYN,
    TL_FLAG_SYN | TL_FLAG_ACK,
    TL_FLAG_ACK,
    TL_FLAG_PSH | TL_FLAG_ACK,
    TL_FLAG_FIN | TL_FLAG_ACK,
    TL_FLAG_FIN | TL_FLAG_PSH | TL_FLAG_ACK,
    TL_FLAG_RST,
    TL_FLAG_RST | TL_FLAG_ACK,
  };

  *any = chance (r, 0.25);
  return *any ? 0 : flag_sets[pick (r, G_N_ELEMENTS (flag_sets))];
}

static void
random_stmt (GRand  *r,
             TlStmt *s)
{
  guint h = pick (r, 2);

  s->host = h;
  s->conn.host = h;
  /* 0: the most recent; 1..3: HOST#N */
  s->conn.ordinal = chance (r, 0.6) ? 0 : 1 + pick (r, 3);

  switch (pick (r, 42))
    {
    case 0: case 1: case 2:
      s->kind = TL_STMT_LISTEN;
      s->u.listen.port = listen_ports[pick (r, 2)];
      break;
    case 3:
      s->kind = TL_STMT_UNLISTEN;
      s->u.listen.port = listen_ports[pick (r, 2)];
      break;
    case 4: case 5: case 6: case 7:
      s->kind = TL_STMT_CONNECT;
      s->u.connect.peer = 1 - h;
      if (chance (r, 0.3))
        {
          /* to the peer's client port, from ours: half of a simultaneous open */
          s->u.connect.port = client_ports[1 - h];
          s->u.connect.from_port = client_ports[h];
        }
      else
        {
          s->u.connect.port = listen_ports[pick (r, 2)];
          s->u.connect.from_port = chance (r, 0.2) ? client_ports[h] : 0;
        }
      break;
    case 8: case 9:
      s->kind = TL_STMT_ACCEPT;
      s->u.listen.port = chance (r, 0.5) ? 0 : listen_ports[pick (r, 2)];
      break;
    case 10: case 11: case 12: case 13: case 14: case 15:
      s->kind = TL_STMT_SEND;
      s->u.data.bytes = 1 + pick (r, chance (r, 0.7) ? 2000 : 20000);
      break;
    case 16: case 17: case 18:
      s->kind = TL_STMT_READ;
      s->u.data.bytes = chance (r, 0.5) ? 0 : 1 + pick (r, 3000);
      break;
    case 19: case 20: case 21: case 22:
      s->kind = TL_STMT_CLOSE;
      break;
    case 23: case 24:
      s->kind = TL_STMT_SHUTDOWN;
      break;
    case 25:
      s->kind = TL_STMT_ABORT;
      break;
    case 26:
      s->kind = TL_STMT_CRASH;
      break;
    case 27: case 28:
      s->kind = TL_STMT_REBOOT;
      break;
    case 29: case 30: case 31: case 32:
      s->kind = TL_STMT_LINK;
      s->u.link.dir = random_dir (r);
      s->u.link.n_settings = 1 + pick (r, 2);
      s->u.link.settings = g_new (TlLinkSetting, s->u.link.n_settings);
      for (guint i = 0; i < s->u.link.n_settings; i++)
        s->u.link.settings[i] = random_link_setting (r);
      break;
    case 33: case 34:
      s->kind = TL_STMT_SET;
      s->u.set.host = chance (r, 0.3) ? -1 : (int) h;
      s->u.set.n_settings = 1 + pick (r, 2);
      s->u.set.settings = g_new (TlSetting, s->u.set.n_settings);
      for (guint i = 0; i < s->u.set.n_settings; i++)
        s->u.set.settings[i] = random_setting (r);
      break;
    case 35: case 36: case 37:
      {
        guint k = pick (r, 4);

        s->kind = k == 0 ? TL_STMT_DUPLICATE_NEXT : k == 1 ? TL_STMT_HOLD_NEXT : TL_STMT_DROP;
        s->u.drop.dir = (int) pick (r, 2);
        s->u.drop.flags = random_flags (r, &s->u.drop.any);
        s->u.drop.count = s->kind == TL_STMT_HOLD_NEXT ? 1 : 1 + pick (r, 3);
        if (s->kind == TL_STMT_HOLD_NEXT)
          s->u.drop.delay_us = (gint64) pick (r, 3000) * TL_USEC_PER_MSEC;
      }
      break;
    case 40: case 41:
      s->kind = pick (r, 2) == 0 ? TL_STMT_LOSE : TL_STMT_DUPLICATE;
      s->u.wire.dir = (int) pick (r, 2);
      s->u.wire.flags = random_flags (r, &s->u.wire.any);
      break;
    default:
      s->kind = TL_STMT_FLOOD;
      s->host = 1 - h;
      s->u.flood.target = h;
      s->u.flood.port = listen_ports[pick (r, 2)];
      s->u.flood.count = 1 + pick (r, 40);
      s->u.flood.rate_per_s = 20 + pick (r, 2000);
      s->u.flood.net_addr = (198u << 24) | (51u << 16) | (100u << 8);
      s->u.flood.prefix_len = 24 + pick (r, 9);
      s->u.flood.net_addr &= s->u.flood.prefix_len == 32 ? G_MAXUINT32
                             : ~(G_MAXUINT32 >> s->u.flood.prefix_len);
      break;
    }
}

static void
insert (TlScenario *sc,
        TlStmt     *s)
{
  tl_scenario_insert (sc, s);
  tl_stmt_clear (s);
}

TlScenario *
tl_random_scenario (guint64 seed)
{
  TlScenario *sc = tl_scenario_new ();
  g_autoptr(GRand) r = g_rand_new_with_seed ((guint32) (seed ^ (seed >> 32)));
  gint64 end_us = rand_ms (r, 500, (guint) (TL_RANDOM_MAX_END_US / TL_USEC_PER_MSEC));
  guint n = 3 + pick (r, 30);
  TlStmt s;

  sc->seed = seed;
  for (guint h = 0; h < 2; h++)
    {
      random_settings (r, &sc->settings[h]);
      if (chance (r, 0.5))
        {
          sc->settings[h].isn_random = FALSE;
          /* near the wrap now and then: comparisons must be wrap-safe */
          sc->settings[h].isn = chance (r, 0.5) ? g_rand_int (r) : G_MAXUINT32 - pick (r, 3000);
        }
    }
  for (guint d = 0; d < 2; d++)
    {
      sc->link[d].delay_us = rand_ms (r, 1, 60);
      sc->link[d].jitter_us = chance (r, 0.2) ? rand_ms (r, 1, 20) : 0;
      sc->link[d].loss_ppm = chance (r, 0.4) ? 10000 * (1 + pick (r, 25)) : 0;
      sc->link[d].duplicate_ppm = chance (r, 0.2) ? 10000 * (1 + pick (r, 10)) : 0;
    }

  /* Most scenarios open a connection early; what follows may undo it. */
  if (chance (r, 0.85))
    {
      s = (TlStmt) { .kind = TL_STMT_LISTEN, .time_us = 0, .host = 1, .conn.host = 1 };
      s.u.listen.port = listen_ports[0];
      insert (sc, &s);
    }
  if (chance (r, 0.85))
    {
      s = (TlStmt) { .kind = TL_STMT_CONNECT, .time_us = rand_ms (r, 0, 100), .host = 0 };
      s.u.connect.peer = 1;
      s.u.connect.port = listen_ports[0];
      insert (sc, &s);
    }
  for (guint i = 0; i < n; i++)
    {
      s = (TlStmt) { 0 };
      random_stmt (r, &s);
      /* times on a millisecond grid, so that some statements coincide */
      s.time_us = rand_ms (r, 0, (guint) (end_us / TL_USEC_PER_MSEC) - 1);
      insert (sc, &s);
    }
  s = (TlStmt) { .kind = TL_STMT_END, .time_us = end_us };
  insert (sc, &s);
  sc->end_us = end_us;
  return sc;
}
