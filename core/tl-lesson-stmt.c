/* tl-lesson-stmt.c: the lesson reader's statements: `set` and `link` (setup
 * or timed), and the timed ones (expect, flood, drop, lose, duplicate, say,
 * pause, end, and what a host or connection does).
 */
#include "tl-lesson-private.h"

#include <string.h>

#include "tl-sim.h"

#define MAX_BYTES G_GUINT64_CONSTANT (4294967295)

static const char *const timed_keywords[] = {
  "link", "set", "drop", "lose", "duplicate", "hold", "flood", "say", "pause", "end", "expect",
  "choice", "explain",
};
static const char *const host_verbs[] = {
  "listen", "unlisten", "connect", "accept", "crash", "reboot",
};
static const char *const conn_verbs[] = {
  "send", "read", "close", "shutdown", "abort",
};
static const char *const link_params[TL_N_LINK_PARAMS] = {
  [TL_LINK_DELAY]     = "delay",
  [TL_LINK_JITTER]    = "jitter",
  [TL_LINK_LOSS]      = "loss",
  [TL_LINK_DUPLICATE] = "duplicate",
  [TL_LINK_DOWN]      = "down",
  [TL_LINK_UP]        = "up",
};

/* set HOST|all KEY VALUE [KEY VALUE]... */
gboolean
tl_lesson_stmt_set (TlLessonParser *p,
                    int            *host,
                    GArray         *settings)
{
  const TlLessonWord *w = tl_lesson_lex_need (p, TL_PHRASE ("a host or all"));

  if (w == NULL)
    return FALSE;
  if (tl_lesson_lex_is_word (w, "all"))
    *host = -1;
  else
    {
      guint h;

      if (!tl_lesson_value_host (p, w, &h))
        return FALSE;
      *host = h;
    }
  if (tl_lesson_lex_peek (p) == NULL)
    return tl_lesson_lex_need (p, TL_PHRASE ("a key and its value")) != NULL;
  while ((w = tl_lesson_lex_take (p)) != NULL)
    {
      TlSetting setting;
      const TlLessonWord *v;

      if (w->quoted || !tl_key_from_name (w->text, &setting.key))
        {
          const char *names[TL_N_KEYS];
          g_autofree char *hint = NULL;

          for (guint i = 0; i < TL_N_KEYS; i++)
            names[i] = tl_key_name (i);
          hint = tl_lesson_value_nearest_hint (w->text, names, TL_N_KEYS);
          tl_lesson_add_problem (p, w->column, hint, "unknown key '%s'", w->text);
          return FALSE;
        }
      v = tl_lesson_lex_need (p, TL_PHRASE ("a value"));
      if (v == NULL || !tl_lesson_value_setting (p, setting.key, v, &setting.value))
        return FALSE;
      g_array_append_val (settings, setting);
    }
  return TRUE;
}

/* link [DIR] PARAM VALUE [PARAM VALUE]... */
gboolean
tl_lesson_stmt_link (TlLessonParser *p,
                     int            *dir,
                     GArray         *settings)
{
  const TlLessonWord *w = tl_lesson_lex_peek (p);

  *dir = TL_DIR_BOTH;
  if (w != NULL && !w->quoted && strstr (w->text, "->") != NULL)
    {
      if (!tl_lesson_value_dir (p, tl_lesson_lex_take (p), dir))
        return FALSE;
    }
  if (tl_lesson_lex_peek (p) == NULL)
    return tl_lesson_lex_need (p, TL_PHRASE ("a link parameter (delay, jitter, loss, duplicate, down, up)")) != NULL;
  while ((w = tl_lesson_lex_take (p)) != NULL)
    {
      TlLinkSetting setting = { 0 };
      guint param = TL_N_LINK_PARAMS;
      const TlLessonWord *v = NULL;
      guint32 ppm;

      for (guint i = 0; i < TL_N_LINK_PARAMS; i++)
        if (tl_lesson_lex_is_word (w, link_params[i]))
          param = i;
      if (param == TL_N_LINK_PARAMS)
        {
          g_autofree char *hint = tl_lesson_value_nearest_hint (w->text, link_params, TL_N_LINK_PARAMS);

          if (p->pos >= 2 && (tl_lesson_lex_is_word (w - 1, "down") || tl_lesson_lex_is_word (w - 1, "up")))
            tl_lesson_add_problem (p, w->column, NULL, "unexpected '%s': '%s' takes no value",
                                   w->text, (w - 1)->text);
          else
            {
              if (hint == NULL && strpbrk (w->text, "->") != NULL)
                hint = g_strdup (N_("write a direction as A->B, e.g. client->server"));
              tl_lesson_add_problem (p, w->column, hint, "unknown link parameter '%s'", w->text);
            }
          return FALSE;
        }
      setting.param = param;
      if (param != TL_LINK_DOWN && param != TL_LINK_UP)
        {
          v = tl_lesson_lex_need (p, TL_PHRASE ("a value"));
          if (v == NULL)
            return FALSE;
        }
      switch (setting.param)
        {
        case TL_LINK_DELAY:
        case TL_LINK_JITTER:
          if (!tl_lesson_value_duration (p, v, link_params[param], TL_SIM_MAX_TIME_US, &setting.value))
            return FALSE;
          break;
        case TL_LINK_LOSS:
        case TL_LINK_DUPLICATE:
          if (!tl_lesson_value_percent (p, v, link_params[param], &ppm))
            return FALSE;
          setting.value = ppm;
          break;
        case TL_LINK_DOWN:
        case TL_LINK_UP:
          break;
        case TL_N_LINK_PARAMS:
          g_assert_not_reached ();
        }
      g_array_append_val (settings, setting);
    }
  return TRUE;
}

/* Timed lines */

/* title, summary, seed, host, title.LOCALE, summary.LOCALE */
gboolean
tl_lesson_stmt_is_setup_keyword (const TlLessonWord *w)
{
  return !w->quoted && (tl_lesson_lex_is_word (w, "title") || tl_lesson_lex_is_word (w, "summary")
                        || tl_lesson_lex_is_word (w, "seed") || tl_lesson_lex_is_word (w, "host")
                        || g_str_has_prefix (w->text, "title.")
                        || g_str_has_prefix (w->text, "summary."));
}

static gboolean
parse_expect (TlLessonParser *p,
              TlStmt         *stmt)
{
  const TlLessonWord *w = tl_lesson_lex_need (p, TL_PHRASE ("what to expect"));
  const TlLessonWord *subject;

  if (w == NULL)
    return FALSE;
  if (tl_lesson_lex_is_word (w, "segments"))
    {
      const TlLessonWord *d = tl_lesson_lex_need (p, TL_PHRASE ("a direction"));
      const TlLessonWord *f = d != NULL && tl_lesson_value_dir (p, d, &stmt->u.expect_segments.dir)
                      ? tl_lesson_lex_need (p, TL_PHRASE ("flags")) : NULL;
      const TlLessonWord *op = f != NULL && tl_lesson_value_flags (p, f, &stmt->u.expect_segments.flags,
                                                                   &stmt->u.expect_segments.any)
                       ? tl_lesson_lex_need (p, TL_PHRASE ("a comparison")) : NULL;
      const TlLessonWord *n = op != NULL && tl_lesson_value_cmp (p, op, &stmt->u.expect_segments.cmp)
                      ? tl_lesson_lex_need (p, TL_PHRASE ("a number")) : NULL;

      stmt->kind = TL_STMT_EXPECT_SEGMENTS;
      return n != NULL && tl_lesson_value_uint (p, n, "count", 0, G_MAXUINT32, &stmt->u.expect_segments.n);
    }
  subject = w;
  if (!subject->quoted && tl_scenario_host_by_name (p->scenario, subject->text) < 0
      && tl_lesson_value_edit_distance (subject->text, "segments") <= 2)
    {
      tl_lesson_add_problem (p, subject->column, N_("did you mean segments?"), "unknown host '%s'",
                             subject->text);
      return FALSE;
    }
  if (!tl_lesson_value_conn (p, subject, &stmt->conn))
    return FALSE;
  stmt->host = stmt->conn.host;
  w = tl_lesson_lex_need (p, TL_PHRASE ("a state, 'sockets' or 'error'"));
  if (w == NULL)
    return FALSE;
  if (tl_lesson_lex_is_word (w, "sockets"))
    {
      const TlLessonWord *s, *op, *n;

      if (stmt->conn.ordinal != 0)
        {
          tl_lesson_add_problem (p, subject->column, NULL,
                                 "'sockets' counts a host's sockets: write the host without #N");
          return FALSE;
        }
      stmt->kind = TL_STMT_EXPECT_SOCKETS;
      s = tl_lesson_lex_need (p, TL_PHRASE ("a state"));
      op = s != NULL && tl_lesson_value_state (p, s, &stmt->u.expect_sockets.state)
           ? tl_lesson_lex_need (p, TL_PHRASE ("a comparison")) : NULL;
      n = op != NULL && tl_lesson_value_cmp (p, op, &stmt->u.expect_sockets.cmp)
          ? tl_lesson_lex_need (p, TL_PHRASE ("a number")) : NULL;
      return n != NULL && tl_lesson_value_uint (p, n, "count", 0, G_MAXUINT32, &stmt->u.expect_sockets.n);
    }
  if (tl_lesson_lex_is_word (w, "error"))
    {
      const TlLessonWord *e = tl_lesson_lex_need (p, TL_PHRASE ("an error name"));

      stmt->kind = TL_STMT_EXPECT_ERROR;
      if (e == NULL)
        return FALSE;
      if (e->quoted || !tl_error_from_name (e->text, &stmt->u.expect_error.error))
        {
          const char *names[TL_N_ERRORS];
          g_autofree char *hint = NULL;

          for (guint i = 0; i < TL_N_ERRORS; i++)
            names[i] = tl_error_name (i);
          hint = tl_lesson_value_nearest_hint (e->text, names, TL_N_ERRORS);
          if (hint == NULL)
            hint = g_strdup (N_("the errors are none, ECONNREFUSED, ECONNRESET, ETIMEDOUT, EPIPE, "
                                "EADDRNOTAVAIL, ENOTCONN, EADDRINUSE"));
          tl_lesson_add_problem (p, e->column, hint, "unknown error '%s'", e->text);
          return FALSE;
        }
      return TRUE;
    }
  stmt->kind = TL_STMT_EXPECT_STATE;
  {
    static const char *const forms[] = { "sockets", "error" };
    g_autofree char *hint = tl_lesson_value_nearest_hint (w->text, forms, G_N_ELEMENTS (forms));
    TlState state;

    if (hint != NULL && !w->quoted && !tl_state_from_name (w->text, &state))
      {
        tl_lesson_add_problem (p, w->column, hint, "expected a state, 'sockets' or 'error', got '%s'",
                               w->text);
        return FALSE;
      }
  }
  return tl_lesson_value_state (p, w, &stmt->u.expect_state.state);
}

static gboolean
parse_flood (TlLessonParser *p,
             TlStmt         *stmt)
{
  const TlLessonWord *w = tl_lesson_lex_need (p, "HOST:PORT");
  guint64 n;

  stmt->kind = TL_STMT_FLOOD;
  stmt->u.flood.net_addr = 0xC6336400;   /* 198.51.100.0/24, RFC 5737 TEST-NET-2 */
  stmt->u.flood.prefix_len = 24;
  if (w == NULL || !tl_lesson_value_host_port (p, w, &stmt->u.flood.target, &stmt->u.flood.port))
    return FALSE;
  w = tl_lesson_lex_need (p, "'count N'");
  if (w == NULL)
    return FALSE;
  if (!tl_lesson_lex_is_word (w, "count"))
    {
      tl_lesson_add_problem (p, w->column, NULL, "expected 'count', got '%s'", w->text);
      return FALSE;
    }
  w = tl_lesson_lex_need (p, TL_PHRASE ("a number"));
  if (w == NULL)
    return FALSE;
  /* A count beyond 64 bits is beyond the flood limit too: name that limit. */
  if (!w->quoted && w->text[0] != '\0' && strspn (w->text, "0123456789") == strlen (w->text)
      && !g_ascii_string_to_unsigned (w->text, 10, 0, G_MAXUINT64, &n, NULL))
    {
      tl_lesson_add_limit (p, w->column, NULL, "a flood of %s SYNs is more than the limit of %d",
                           w->text, TL_LESSON_MAX_FLOOD);
      return FALSE;
    }
  if (!tl_lesson_value_uint (p, w, "count", 0, G_MAXUINT64, &n))
    return FALSE;
  if (n == 0)
    {
      tl_lesson_add_problem (p, w->column, NULL, "count 0 is out of range (1 to %d)", TL_LESSON_MAX_FLOOD);
      return FALSE;
    }
  if (n > TL_LESSON_MAX_FLOOD)
    {
      tl_lesson_add_limit (p, w->column, NULL, "a flood of %llu SYNs is more than the "
                           "limit of %d", (unsigned long long) n, TL_LESSON_MAX_FLOOD);
      return FALSE;
    }
  stmt->u.flood.count = n;
  w = tl_lesson_lex_need (p, "'rate R/s'");
  if (w == NULL)
    return FALSE;
  if (!tl_lesson_lex_is_word (w, "rate"))
    {
      tl_lesson_add_problem (p, w->column, NULL, "expected 'rate', got '%s'", w->text);
      return FALSE;
    }
  w = tl_lesson_lex_need (p, TL_PHRASE ("a rate such as 1000/s"));
  if (w == NULL)
    return FALSE;
  {
    gsize len = strlen (w->text);
    g_autofree char *number = NULL;

    if (w->quoted || len < 3 || g_ascii_strcasecmp (w->text + len - 2, "/s") != 0)
      {
        tl_lesson_add_problem (p, w->column, N_("write the rate in SYNs per second, e.g. 1000/s"),
                               "bad rate '%s'", w->text);
        return FALSE;
      }
    number = g_strndup (w->text, len - 2);
    if (!g_ascii_isdigit (number[0])
        || !g_ascii_string_to_unsigned (number, 10, 1, 10000000, &n, NULL))
      {
        tl_lesson_add_problem (p, w->column, NULL, "bad rate '%s' (1/s to 10000000/s)", w->text);
        return FALSE;
      }
    stmt->u.flood.rate_per_s = n;
  }
  w = tl_lesson_lex_take (p);
  if (w == NULL)
    return TRUE;
  if (!tl_lesson_lex_is_word (w, "from"))
    {
      tl_lesson_add_problem (p, w->column, NULL, "expected 'from CIDR' or the end, got '%s'", w->text);
      return FALSE;
    }
  w = tl_lesson_lex_need (p, TL_PHRASE ("an address block such as 198.51.100.0/24"));
  if (w == NULL)
    return FALSE;
  {
    const char *slash = strchr (w->text, '/');
    guint32 addr;
    guint64 prefix;

    if (w->quoted || slash == NULL || !tl_lesson_value_ipv4 (w->text, slash - w->text, &addr)
        || !g_ascii_isdigit (slash[1])
        || !g_ascii_string_to_unsigned (slash + 1, 10, 1, 32, &prefix, NULL))
      {
        tl_lesson_add_problem (p, w->column, N_("write an address block, e.g. 198.51.100.0/24"),
                               "bad address block '%s'", w->text);
        return FALSE;
      }
    if (prefix < 32 && (addr & (G_MAXUINT32 >> prefix)) != 0)
      {
        tl_lesson_add_problem (p, w->column, NULL, "'%s' has bits set after its /%u prefix",
                               w->text, (guint) prefix);
        return FALSE;
      }
    stmt->u.flood.net_addr = addr;
    stmt->u.flood.prefix_len = prefix;
  }
  return TRUE;
}

/* `drop next DIR [FLAGS] [count N]` and its twin `duplicate next ...`, after
 * the 'next'. */
static gboolean
parse_next (TlLessonParser *p,
            TlStmtKind      kind,
            TlStmt         *stmt)
{
  const TlLessonWord *w;
  guint64 count = 1;

  stmt->kind = kind;
  stmt->u.drop.any = TRUE;
  w = tl_lesson_lex_need (p, TL_PHRASE ("a direction"));
  if (w == NULL || !tl_lesson_value_dir (p, w, &stmt->u.drop.dir))
    return FALSE;
  w = tl_lesson_lex_take (p);
  if (w != NULL && !tl_lesson_lex_is_word (w, "count"))
    {
      if (!tl_lesson_value_flags (p, w, &stmt->u.drop.flags, &stmt->u.drop.any))
        return FALSE;
      w = tl_lesson_lex_take (p);
    }
  if (w != NULL)
    {
      const TlLessonWord *n;

      if (!tl_lesson_lex_is_word (w, "count"))
        {
          tl_lesson_add_problem (p, w->column, NULL, "expected 'count N' or the end, got '%s'", w->text);
          return FALSE;
        }
      n = tl_lesson_lex_need (p, TL_PHRASE ("a number"));
      if (n == NULL || !tl_lesson_value_uint (p, n, "count", 1, TL_LESSON_MAX_COUNT, &count))
        return FALSE;
    }
  stmt->u.drop.count = count;
  return TRUE;
}

static gboolean
parse_drop (TlLessonParser *p,
            TlStmt         *stmt)
{
  const TlLessonWord *w = tl_lesson_lex_need (p, "'next'");

  stmt->kind = TL_STMT_DROP;
  if (w == NULL)
    return FALSE;
  if (!tl_lesson_lex_is_word (w, "next"))
    {
      tl_lesson_add_problem (p, w->column, NULL, "expected 'next', got '%s'", w->text);
      return FALSE;
    }
  return parse_next (p, TL_STMT_DROP, stmt);
}

/* `hold next DIR [FLAGS] DURATION`: the next matching segment arrives
 * DURATION later than the link's delay would bring it. */
static gboolean
parse_hold (TlLessonParser *p,
            TlStmt         *stmt)
{
  const TlLessonWord *w = tl_lesson_lex_need (p, "'next'");

  stmt->kind = TL_STMT_HOLD_NEXT;
  stmt->u.drop.any = TRUE;
  stmt->u.drop.count = 1;
  if (w == NULL)
    return FALSE;
  if (!tl_lesson_lex_is_word (w, "next"))
    {
      tl_lesson_add_problem (p, w->column, NULL, "expected 'next', got '%s'", w->text);
      return FALSE;
    }
  w = tl_lesson_lex_need (p, TL_PHRASE ("a direction"));
  if (w == NULL || !tl_lesson_value_dir (p, w, &stmt->u.drop.dir))
    return FALSE;
  w = tl_lesson_lex_need (p, TL_PHRASE ("how long to hold it, such as 2s"));
  if (w == NULL)
    return FALSE;
  if (!w->quoted && !g_ascii_isdigit (w->text[0]))
    {
      if (!tl_lesson_value_flags (p, w, &stmt->u.drop.flags, &stmt->u.drop.any))
        return FALSE;
      w = tl_lesson_lex_need (p, TL_PHRASE ("how long to hold it, such as 2s"));
      if (w == NULL)
        return FALSE;
    }
  return tl_lesson_value_duration (p, w, "hold", TL_SIM_MAX_TIME_US, &stmt->u.drop.delay_us);
}

/* `lose DIR [FLAGS]` and `duplicate DIR [FLAGS]`: the segments on the wire
 * at the statement's time. */
static gboolean
parse_wire (TlLessonParser *p,
            TlStmtKind      kind,
            TlStmt         *stmt)
{
  const TlLessonWord *w = tl_lesson_lex_need (p, TL_PHRASE ("a direction"));

  stmt->kind = kind;
  stmt->u.wire.any = TRUE;
  if (w == NULL || !tl_lesson_value_dir (p, w, &stmt->u.wire.dir))
    return FALSE;
  w = tl_lesson_lex_take (p);
  return w == NULL || tl_lesson_value_flags (p, w, &stmt->u.wire.flags, &stmt->u.wire.any);
}

static gboolean
find_verb (const char        *word,
           const char *const *verbs,
           guint              n_verbs)
{
  for (guint i = 0; i < n_verbs; i++)
    if (g_ascii_strcasecmp (word, verbs[i]) == 0)
      return TRUE;
  return FALSE;
}

/* HOST VERB ... or CONN VERB ... */
static gboolean
parse_action (TlLessonParser     *p,
              const TlLessonWord *subject,
              TlStmt             *stmt)
{
  const TlLessonWord *verb = tl_lesson_lex_need (p, TL_PHRASE ("what the host does (listen, connect, close, ...)"));
  const TlLessonWord *w;
  guint64 n;

  if (verb == NULL || !tl_lesson_value_conn (p, subject, &stmt->conn))
    return FALSE;
  stmt->host = stmt->conn.host;
  if (find_verb (verb->text, host_verbs, G_N_ELEMENTS (host_verbs)) && stmt->conn.ordinal != 0)
    {
      tl_lesson_add_problem (p, subject->column, NULL, "'%s' is done by a host: write '%s' without #N",
                             verb->text, p->scenario->hosts[stmt->host].name);
      return FALSE;
    }
  if (tl_lesson_lex_is_word (verb, "listen") || tl_lesson_lex_is_word (verb, "unlisten"))
    {
      stmt->kind = tl_lesson_lex_is_word (verb, "listen") ? TL_STMT_LISTEN : TL_STMT_UNLISTEN;
      w = tl_lesson_lex_need (p, TL_PHRASE ("a port"));
      return w != NULL && tl_lesson_value_port (p, w, &stmt->u.listen.port);
    }
  if (tl_lesson_lex_is_word (verb, "connect"))
    {
      stmt->kind = TL_STMT_CONNECT;
      w = tl_lesson_lex_need (p, "HOST:PORT");
      if (w == NULL || !tl_lesson_value_host_port (p, w, &stmt->u.connect.peer, &stmt->u.connect.port))
        return FALSE;
      if (stmt->u.connect.peer == stmt->host)
        {
          tl_lesson_add_problem (p, w->column, NULL, "a host connects to the other host, not to itself");
          return FALSE;
        }
      w = tl_lesson_lex_take (p);
      if (w == NULL)
        return TRUE;
      if (!tl_lesson_lex_is_word (w, "from"))
        {
          tl_lesson_add_problem (p, w->column, NULL, "expected 'from PORT' or the end, got '%s'", w->text);
          return FALSE;
        }
      w = tl_lesson_lex_need (p, TL_PHRASE ("a port"));
      return w != NULL && tl_lesson_value_port (p, w, &stmt->u.connect.from_port);
    }
  if (tl_lesson_lex_is_word (verb, "accept"))
    {
      stmt->kind = TL_STMT_ACCEPT;
      w = tl_lesson_lex_take (p);
      return w == NULL || tl_lesson_value_port (p, w, &stmt->u.listen.port);
    }
  if (tl_lesson_lex_is_word (verb, "send"))
    {
      stmt->kind = TL_STMT_SEND;
      w = tl_lesson_lex_need (p, TL_PHRASE ("a number of bytes"));
      if (w == NULL || !tl_lesson_value_uint (p, w, "bytes", 1, MAX_BYTES, &n))
        return FALSE;
      stmt->u.data.bytes = n;
      return TRUE;
    }
  if (tl_lesson_lex_is_word (verb, "read"))
    {
      stmt->kind = TL_STMT_READ;
      w = tl_lesson_lex_take (p);
      if (w != NULL && !tl_lesson_value_uint (p, w, "bytes", 1, MAX_BYTES, &n))
        return FALSE;
      stmt->u.data.bytes = w != NULL ? n : 0;
      return TRUE;
    }
  if (tl_lesson_lex_is_word (verb, "close"))
    stmt->kind = TL_STMT_CLOSE;
  else if (tl_lesson_lex_is_word (verb, "shutdown"))
    stmt->kind = TL_STMT_SHUTDOWN;
  else if (tl_lesson_lex_is_word (verb, "abort"))
    stmt->kind = TL_STMT_ABORT;
  else if (tl_lesson_lex_is_word (verb, "crash"))
    stmt->kind = TL_STMT_CRASH;
  else if (tl_lesson_lex_is_word (verb, "reboot"))
    stmt->kind = TL_STMT_REBOOT;
  else
    {
      const char *verbs[G_N_ELEMENTS (host_verbs) + G_N_ELEMENTS (conn_verbs)];
      g_autofree char *hint = NULL;

      for (guint i = 0; i < G_N_ELEMENTS (host_verbs); i++)
        verbs[i] = host_verbs[i];
      for (guint i = 0; i < G_N_ELEMENTS (conn_verbs); i++)
        verbs[G_N_ELEMENTS (host_verbs) + i] = conn_verbs[i];
      hint = tl_lesson_value_nearest_hint (verb->text, verbs, G_N_ELEMENTS (verbs));
      tl_lesson_add_problem (p, verb->column, hint, "unknown statement '%s'", verb->text);
      return FALSE;
    }
  return TRUE;
}

/* A `pause.LOCALE` translates the `pause` with a question just before it, at
 * the same time (its other translations may come between, once per locale). */
static gboolean
check_pause_translation (TlLessonParser     *p,
                         const TlLessonWord *w,
                         gint64              time_us,
                         const char         *locale)
{
  GArray *stmts = p->scenario->stmts;

  for (guint i = stmts->len; i > 0; i--)
    {
      const TlStmt *prev = &g_array_index (stmts, TlStmt, i - 1);

      if (prev->time_us != time_us || prev->kind != TL_STMT_PAUSE)
        break;
      if (prev->u.pause.locale == NULL)
        {
          if (prev->u.pause.question != NULL)
            return TRUE;
          tl_lesson_add_problem (p, w->column, N_("give that 'pause' a question first"),
                                 "'%s' translates a question, and the 'pause' on line %u has none",
                                 w->text, prev->line);
          return FALSE;
        }
      if (g_ascii_strcasecmp (prev->u.pause.locale, locale) == 0)
        {
          tl_lesson_add_problem (p, w->column, NULL, "a second '%s' for the pause on line %u",
                                 w->text, prev->line);
          return FALSE;
        }
    }
  tl_lesson_add_problem (p, w->column, N_("put it on the line after its 'pause', at the same time"),
                         "'%s' translates the 'pause' just before it at the same time, and there is "
                         "none", w->text);
  return FALSE;
}

/* The statement after the time; FALSE (with a problem) if it is wrong. */
gboolean
tl_lesson_stmt_parse (TlLessonParser     *p,
                      const TlLessonWord *first,
                      TlStmt             *stmt)
{
  char *locale;
  gboolean ok;

  if (tl_lesson_lex_is_word (first, "link"))
    {
      g_autoptr(GArray) settings = g_array_new (FALSE, FALSE, sizeof (TlLinkSetting));

      stmt->kind = TL_STMT_LINK;
      if (!tl_lesson_stmt_link (p, &stmt->u.link.dir, settings))
        return FALSE;
      stmt->u.link.n_settings = settings->len;
      stmt->u.link.settings = g_memdup2 (settings->data, settings->len * sizeof (TlLinkSetting));
      return TRUE;
    }
  if (tl_lesson_lex_is_word (first, "set"))
    {
      g_autoptr(GArray) settings = g_array_new (FALSE, FALSE, sizeof (TlSetting));

      stmt->kind = TL_STMT_SET;
      if (!tl_lesson_stmt_set (p, &stmt->u.set.host, settings))
        return FALSE;
      stmt->u.set.n_settings = settings->len;
      stmt->u.set.settings = g_memdup2 (settings->data, settings->len * sizeof (TlSetting));
      return TRUE;
    }
  if (tl_lesson_lex_is_word (first, "drop"))
    return parse_drop (p, stmt);
  if (tl_lesson_lex_is_word (first, "lose"))
    return parse_wire (p, TL_STMT_LOSE, stmt);
  if (tl_lesson_lex_is_word (first, "hold"))
    return parse_hold (p, stmt);
  if (tl_lesson_lex_is_word (first, "duplicate"))
    {
      const TlLessonWord *w = tl_lesson_lex_peek (p);

      if (w != NULL && tl_lesson_lex_is_word (w, "next"))
        {
          tl_lesson_lex_take (p);
          return parse_next (p, TL_STMT_DUPLICATE_NEXT, stmt);
        }
      return parse_wire (p, TL_STMT_DUPLICATE, stmt);
    }
  if (tl_lesson_lex_is_word (first, "flood"))
    return parse_flood (p, stmt);
  if (tl_lesson_value_split_localized (p, first, "say", &locale, &ok))
    {
      const TlLessonWord *w;

      stmt->kind = TL_STMT_SAY;
      stmt->u.say.locale = locale;
      if (!ok)
        return FALSE;
      w = tl_lesson_lex_need (p, TL_PHRASE ("a quoted text"));
      return w != NULL && tl_lesson_value_string (p, w, first->text, &stmt->u.say.text);
    }
  if (tl_lesson_value_split_localized (p, first, "pause", &locale, &ok))
    {
      const TlLessonWord *w;

      stmt->kind = TL_STMT_PAUSE;
      stmt->u.pause.locale = locale;
      if (!ok)
        return FALSE;
      if (locale == NULL)
        {
          w = tl_lesson_lex_take (p);
          return w == NULL || tl_lesson_value_string (p, w, first->text, &stmt->u.pause.question);
        }
      if (!check_pause_translation (p, first, stmt->time_us, locale))
        return FALSE;
      w = tl_lesson_lex_need (p, TL_PHRASE ("a quoted question"));
      return w != NULL && tl_lesson_value_string (p, w, first->text, &stmt->u.pause.question);
    }
  if (tl_lesson_value_split_localized (p, first, "choice", &locale, &ok))
    return ok && tl_lesson_question_parse (p, first, TL_STMT_CHOICE, locale, stmt);
  if (tl_lesson_value_split_localized (p, first, "explain", &locale, &ok))
    return ok && tl_lesson_question_parse (p, first, TL_STMT_EXPLAIN, locale, stmt);
  if (tl_lesson_lex_is_word (first, "end"))
    {
      stmt->kind = TL_STMT_END;
      return TRUE;
    }
  if (tl_lesson_lex_is_word (first, "expect"))
    return parse_expect (p, stmt);
  if (tl_lesson_stmt_is_setup_keyword (first))
    {
      tl_lesson_add_problem (p, first->column, N_("put setup lines before the first timed line"),
                             "'%s' is a setup line and takes no time", first->text);
      return FALSE;
    }

  /* HOST or CONN: a host name, or a mistake in a keyword or a host name. */
  {
    const TlLessonWord *verb = tl_lesson_lex_peek (p);
    const char *hash = strchr (first->text, '#');
    g_autofree char *name = g_strndup (first->text, hash != NULL ? (gsize) (hash - first->text)
                                                                 : strlen (first->text));

    if (!first->quoted && tl_scenario_host_by_name (p->scenario, name) >= 0)
      return parse_action (p, first, stmt);
    if (verb == NULL || (!find_verb (verb->text, host_verbs, G_N_ELEMENTS (host_verbs))
                         && !find_verb (verb->text, conn_verbs, G_N_ELEMENTS (conn_verbs))))
      {
        g_autofree char *hint = tl_lesson_value_nearest_hint (first->text, timed_keywords,
                                                              G_N_ELEMENTS (timed_keywords));

        if (hint == NULL && p->n_hosts == 2)
          {
            const char *names[2] = { p->scenario->hosts[0].name, p->scenario->hosts[1].name };

            hint = tl_lesson_value_nearest_hint (name, names, 2);
          }
        tl_lesson_add_problem (p, first->column, hint, "unknown statement '%s'", first->text);
        return FALSE;
      }
    return parse_action (p, first, stmt);
  }
}
