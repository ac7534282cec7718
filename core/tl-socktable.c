/* tl-socktable.c: the saved output of ss or netstat, read line by line.
 *
 * Each line decides for itself which tool wrote it, so a file may have its
 * headers or not, and `ss -tanpo` or `netstat -natp` columns or not:
 *
 *   ss:       [tcp] STATE RECV-Q SEND-Q LOCAL PEER [users:((...))] [timer:(...)] [key:value...]
 *   netstat:  tcp|tcp6 RECV-Q SEND-Q LOCAL FOREIGN STATE [PID/Program name]
 *
 * Headers ("State Recv-Q...", "Netid...", "Proto...", "Active Internet
 * connections") are skipped; lines of other protocols that `ss -an` or
 * `netstat -na` would add (udp, raw, unix...) are skipped, and netstat's
 * UNIX socket section ends the table.  Anything else is a problem at its
 * line and column.  Like gmarkup.c, the parser counts lines as it goes and
 * collects several problems before giving up.
 */
#include "tl-socktable.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

G_DEFINE_QUARK (tl-socktable-error-quark, tl_socktable_error)

#define MAX_TOKENS 32
#define TOKEN_SHOWN 40

static const char * const ss_names[TL_N_STATES] = {
  "UNCONN", "LISTEN", "SYN-SENT", "SYN-RECV", "ESTAB", "FIN-WAIT-1",
  "FIN-WAIT-2", "CLOSE-WAIT", "CLOSING", "LAST-ACK", "TIME-WAIT",
};

static const char * const netstat_names[TL_N_STATES] = {
  "CLOSE", "LISTEN", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT1",
  "FIN_WAIT2", "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT",
};

/* Other spellings met in the wild: RFC 9293's (tl_state_from_name), BSD's
 * and older netstat's "SYN_RCVD", Windows' "SYN_RECEIVED". */
static const struct
{
  const char *name;
  TlState     state;
} state_aliases[] = {
  { "SYN_RCVD",     TL_STATE_SYN_RCVD },
  { "SYN_RECEIVED", TL_STATE_SYN_RCVD },
  { "CLOSED",       TL_STATE_CLOSED },
};

/* First tokens of lines that belong to another protocol. */
static const char * const other_protocols[] = {
  "udp", "udp6", "udpl", "udplite", "raw", "raw6", "unix", "u_str", "u_dgr",
  "u_seq", "nl", "p_raw", "p_dgr", "v_str", "v_dgr", "sctp", "mptcp", "tipc",
  "xdp", "icmp6", "icmp",
};

static const char * const header_words[] = { "State", "Netid", "Proto", "Active" };

const char *
tl_sock_state_ss_name (TlState state)
{
  g_return_val_if_fail ((guint) state < TL_N_STATES, "?");
  return ss_names[state];
}

const char *
tl_sock_state_netstat_name (TlState state)
{
  g_return_val_if_fail ((guint) state < TL_N_STATES, "?");
  return netstat_names[state];
}

gboolean
tl_sock_state_from_name (const char *name,
                         TlState    *state)
{
  char norm[24];
  gsize n = strlen (name);
  int i;

  if (n == 0 || n >= sizeof norm)
    return FALSE;
  for (gsize k = 0; k <= n; k++)
    norm[k] = name[k] == '-' ? '_' : name[k];
  if ((i = tl_name_index (netstat_names, TL_N_STATES, norm)) >= 0
      || (i = tl_name_index (ss_names, TL_N_STATES, name)) >= 0)
    {
      *state = (TlState) i;
      return TRUE;
    }
  for (guint k = 0; k < G_N_ELEMENTS (state_aliases); k++)
    if (g_ascii_strcasecmp (norm, state_aliases[k].name) == 0)
      {
        *state = state_aliases[k].state;
        return TRUE;
      }
  /* "UNCONN" is ss's name for CLOSED, and tl_state_from_name knows RFC 9293's. */
  return tl_state_from_name (norm, state);
}

void
tl_sock_addr_normalize (TlSockAddr *addr)
{
  const gsize prefix = strlen ("::ffff:");

  if (g_ascii_strncasecmp (addr->addr, "::ffff:", prefix) == 0
      && strchr (addr->addr + prefix, '.') != NULL)
    memmove (addr->addr, addr->addr + prefix, strlen (addr->addr + prefix) + 1);
}

char *
tl_sock_addr_to_string (const TlSockAddr *addr)
{
  gboolean v6 = strchr (addr->addr, ':') != NULL;
  char port[8];

  if (addr->port == 0)
    g_strlcpy (port, "*", sizeof port);
  else
    g_snprintf (port, sizeof port, "%u", addr->port);
  return v6 ? g_strdup_printf ("[%s]:%s", addr->addr, port)
            : g_strdup_printf ("%s:%s", addr->addr, port);
}

TlSockTable *
tl_socktable_new (TlSockFormat format)
{
  TlSockTable *table = g_new0 (TlSockTable, 1);

  table->entries = g_array_new (FALSE, TRUE, sizeof (TlSockEntry));
  table->strings = g_string_chunk_new (4096);
  table->format = format;
  return table;
}

void
tl_socktable_free (TlSockTable *table)
{
  if (table == NULL)
    return;
  g_array_unref (table->entries);
  g_string_chunk_free (table->strings);
  g_free (table);
}

void
tl_socktable_add (TlSockTable       *table,
                  const TlSockEntry *entry)
{
  TlSockEntry copy = *entry;

  g_return_if_fail (table != NULL && entry != NULL);
  if (copy.process != NULL)
    copy.process = g_string_chunk_insert_const (table->strings, copy.process);
  g_array_append_val (table->entries, copy);
}

void
tl_sock_problem_free (TlSockProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->token);
  g_free (problem);
}

/* The parse of one file. */
typedef struct
{
  TlSockTable *table;
  GPtrArray   *problems;
  guint        line;
  const char  *line_start;
} Parser;

typedef struct
{
  const char *start;
  gsize       len;
} Token;

/* A token shown in a message: at most TOKEN_SHOWN characters, control
 * characters as '?', so that a hostile file cannot write to the terminal. */
static char *
printable (const char *start,
           gsize       len)
{
  GString *out = g_string_new (NULL);
  const char *p = start, *end = start + len;
  guint n = 0;

  while (p < end && n < TOKEN_SHOWN)
    {
      gunichar c = g_utf8_get_char (p);
      const char *next = g_utf8_next_char (p);

      if (g_unichar_iscntrl (c))
        g_string_append_c (out, '?');
      else
        g_string_append_len (out, p, next - p);
      p = next;
      n++;
    }
  if (p < end)
    g_string_append (out, "...");
  return g_string_free (out, FALSE);
}

static void
add_problem (Parser            *parser,
             const char        *at,
             TlSockProblemCode  code,
             const char        *token,
             gsize              token_len)
{
  TlSockProblem *problem;

  if (parser->problems->len >= TL_SOCKTABLE_MAX_PROBLEMS)
    return;
  problem = g_new0 (TlSockProblem, 1);
  problem->line = parser->line;
  problem->column = g_utf8_strlen (parser->line_start, at - parser->line_start) + 1;
  problem->code = code;
  problem->token = token != NULL ? printable (token, token_len) : NULL;
  g_ptr_array_add (parser->problems, problem);
}

static void
token_problem (Parser            *parser,
               const Token       *token,
               TlSockProblemCode  code)
{
  add_problem (parser, token->start, code, token->start, token->len);
}

/* Splits a line on blanks; a double-quoted stretch (a process name in
 * users:(("Web Content",...))) stays in one token.  Returns the count, at
 * most MAX_TOKENS (the rest stays in the last token's line, see rest_of). */
static guint
tokenize (const char *line,
          gsize       len,
          Token      *tokens)
{
  const char *p = line, *end = line + len;
  guint n = 0;

  while (n < MAX_TOKENS)
    {
      gboolean quoted = FALSE;

      while (p < end && (*p == ' ' || *p == '\t'))
        p++;
      if (p >= end)
        break;
      tokens[n].start = p;
      while (p < end && (quoted || (*p != ' ' && *p != '\t')))
        {
          if (*p == '"')
            quoted = !quoted;
          p++;
        }
      tokens[n].len = p - tokens[n].start;
      n++;
    }
  return n;
}

static gboolean
token_is (const Token *token,
          const char  *word)
{
  return token->len == strlen (word) && memcmp (token->start, word, token->len) == 0;
}

static gboolean
token_in (const Token        *token,
          const char * const *words,
          guint               n)
{
  for (guint i = 0; i < n; i++)
    if (token_is (token, words[i]))
      return TRUE;
  return FALSE;
}

static gboolean
token_state (const Token *token,
             TlState     *state)
{
  char name[24];

  if (token->len == 0 || token->len >= sizeof name)
    return FALSE;
  memcpy (name, token->start, token->len);
  name[token->len] = '\0';
  return tl_sock_state_from_name (name, state);
}

static gboolean
parse_uint (const char *start,
            gsize       len,
            guint64     max,
            guint64    *value)
{
  guint64 v = 0;

  if (len == 0 || len > 20)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (start[i]))
        return FALSE;
      v = v * 10 + (start[i] - '0');
      if (v > max)
        return FALSE;
    }
  *value = v;
  return TRUE;
}

static gboolean
token_queue (const Token *token,
             guint32     *value)
{
  guint64 v;

  if (!parse_uint (token->start, token->len, G_MAXUINT32, &v))
    return FALSE;
  *value = (guint32) v;
  return TRUE;
}

/* "192.0.2.1:80", "*:22", "0.0.0.0:*", "[::ffff:192.0.2.1]:80",
 * "[fe80::1]%eth0:22" (ss); ":::22", "::1:631" (netstat, whose long IPv6
 * addresses may be cut short: the port is always whole).  The interface of
 * a scoped address is left out. */
static gboolean
token_address (const Token *token,
               TlSockAddr  *addr)
{
  const char *start = token->start, *end = token->start + token->len;
  const char *colon = NULL, *host_end;
  guint64 port = 0;
  gsize host_len;

  for (const char *p = end; p > start; p--)
    if (p[-1] == ':')
      {
        colon = p - 1;
        break;
      }
  if (colon == NULL || colon == start)
    return FALSE;
  if (!(end - colon == 2 && colon[1] == '*')
      && !parse_uint (colon + 1, end - colon - 1, G_MAXUINT16, &port))
    return FALSE;
  host_end = colon;
  if (*start == '[')
    {
      const char *close = memchr (start, ']', host_end - start);

      if (close == NULL || (close + 1 != host_end && close[1] != '%'))
        return FALSE;
      start++;
      host_end = close;
    }
  else
    {
      const char *percent = memchr (start, '%', host_end - start);

      if (percent != NULL)
        host_end = percent;
    }
  host_len = host_end - start;
  if (host_len == 0 || host_len >= TL_SOCK_ADDR_LEN)
    return FALSE;
  for (gsize i = 0; i < host_len; i++)
    if (!g_ascii_isxdigit (start[i]) && start[i] != '.' && start[i] != ':' && start[i] != '*')
      return FALSE;
  memcpy (addr->addr, start, host_len);
  addr->addr[host_len] = '\0';
  addr->port = (guint16) port;
  tl_sock_addr_normalize (addr);
  return TRUE;
}

/* ss's print_ms_timer: "200ms", "59sec", "1min37sec", "1.500ms" (1.5 s),
 * "2min", with a leading '-' for an expired timer, and nothing at all for a
 * timer due now ("timer:(on,,0)", seen in a real table). */
static gboolean
parse_ms (const char *p,
          const char *end,
          guint32    *ms)
{
  const char *start = p;
  guint64 total = 0;
  gboolean any = FALSE;

  if (p < end && *p == '-')
    p++;
  while (p < end)
    {
      guint64 v = 0;
      const char *digits = p;

      while (p < end && g_ascii_isdigit (*p) && p - digits < 9)
        v = v * 10 + (*p++ - '0');
      if (p == digits)
        return FALSE;
      if (end - p >= 3 && memcmp (p, "min", 3) == 0)
        total += v * 60000, p += 3;
      else if (end - p >= 3 && memcmp (p, "sec", 3) == 0)
        total += v * 1000, p += 3;
      else if (end - p >= 2 && memcmp (p, "ms", 2) == 0)
        total += v, p += 2;
      else if (p < end && *p == '.')
        total += v * 1000, p++;
      else
        return FALSE;
      any = TRUE;
    }
  if ((!any && p != start) || total > G_MAXUINT32)
    return FALSE;
  *ms = (guint32) total;
  return TRUE;
}

/* timer:(on,200ms,0) */
static gboolean
token_timer (const Token *token,
             TlSockEntry *entry)
{
  static const char * const names[] = { "on", "keepalive", "timewait", "persist" };
  static const TlSockTimer timers[] = { TL_SOCK_TIMER_ON, TL_SOCK_TIMER_KEEPALIVE,
                                        TL_SOCK_TIMER_TIMEWAIT, TL_SOCK_TIMER_PERSIST };
  const char *p = token->start + strlen ("timer:("), *end = token->start + token->len;
  const char *comma1, *comma2;
  Token name;
  guint64 retrans;

  if (end - p < 5 || end[-1] != ')')
    return FALSE;
  end--;
  comma1 = memchr (p, ',', end - p);
  if (comma1 == NULL)
    return FALSE;
  comma2 = memchr (comma1 + 1, ',', end - comma1 - 1);
  if (comma2 == NULL || !parse_uint (comma2 + 1, end - comma2 - 1, G_MAXUINT32, &retrans)
      || !parse_ms (comma1 + 1, comma2, &entry->timer_ms))
    return FALSE;
  name.start = p;
  name.len = comma1 - p;
  entry->timer = TL_SOCK_TIMER_OTHER;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (token_is (&name, names[i]))
      entry->timer = timers[i];
  entry->retrans = (guint32) retrans;
  return TRUE;
}

/* users:(("nginx",pid=1234,fd=6),("nginx",pid=1235,fd=6)): the first one. */
static gboolean
token_users (Parser      *parser,
             const Token *token,
             TlSockEntry *entry)
{
  const char *p = token->start + strlen ("users:(("), *end = token->start + token->len;
  const char *close, *pid;
  guint64 v;

  if (end - p < 3 || *p != '"' || end[-1] != ')')
    return FALSE;
  close = memchr (p + 1, '"', end - p - 1);
  if (close == NULL)
    return FALSE;
  pid = g_strstr_len (close, end - close, ",pid=");
  if (pid != NULL)
    {
      const char *digits = pid + strlen (",pid=");
      const char *stop = digits;

      while (stop < end && g_ascii_isdigit (*stop))
        stop++;
      if (!parse_uint (digits, stop - digits, G_MAXUINT32, &v))
        return FALSE;
      entry->pid = (guint32) v;
    }
  entry->process = g_string_chunk_insert_len (parser->table->strings, p + 1, close - p - 1);
  return TRUE;
}

/* After ss's peer address: process, timer, and -e's key:value words. */
static void
ss_extras (Parser      *parser,
           const Token *tokens,
           guint        n,
           TlSockEntry *entry)
{
  for (guint i = 0; i < n; i++)
    {
      const Token *t = &tokens[i];

      if (t->len > 8 && g_str_has_prefix (t->start, "users:(("))
        {
          if (!token_users (parser, t, entry))
            token_problem (parser, t, TL_SOCK_PROBLEM_PROCESS);
        }
      else if (t->len > 7 && g_str_has_prefix (t->start, "timer:("))
        {
          if (!token_timer (t, entry))
            token_problem (parser, t, TL_SOCK_PROBLEM_TIMER);
          parser->table->has_timers = TRUE;
        }
      else if (token_is (t, "<->") || token_is (t, "-->") || token_is (t, "<--")
               || (memchr (t->start, ':', t->len) != NULL && g_ascii_isalpha (*t->start)))
        continue;   /* ss -e's ino:, sk:, uid:, cgroup: and shutdown arrows */
      else
        token_problem (parser, t, TL_SOCK_PROBLEM_EXTRA);
    }
}

/* Recv-Q, Send-Q, local and peer address: common to both tools.  FALSE after
 * a problem. */
static gboolean
queues_and_addresses (Parser      *parser,
                      const Token *tokens,
                      guint        n,
                      const char  *line_end,
                      TlSockEntry *entry)
{
  static const char * const names[] = { "Recv-Q", "Send-Q", "Local Address:Port",
                                        "Peer Address:Port" };

  if (n < 4)
    {
      add_problem (parser, line_end, TL_SOCK_PROBLEM_MISSING, names[n], strlen (names[n]));
      return FALSE;
    }
  if (!token_queue (&tokens[0], &entry->recv_q))
    token_problem (parser, &tokens[0], TL_SOCK_PROBLEM_QUEUE);
  else if (!token_queue (&tokens[1], &entry->send_q))
    token_problem (parser, &tokens[1], TL_SOCK_PROBLEM_QUEUE);
  else if (!token_address (&tokens[2], &entry->local))
    token_problem (parser, &tokens[2], TL_SOCK_PROBLEM_ADDRESS);
  else if (!token_address (&tokens[3], &entry->peer))
    token_problem (parser, &tokens[3], TL_SOCK_PROBLEM_ADDRESS);
  else
    return TRUE;
  return FALSE;
}

static void
add_entry (Parser       *parser,
           TlSockFormat  format,
           TlSockEntry  *entry)
{
  if (parser->table->format == TL_SOCK_FORMAT_NONE)
    parser->table->format = format;
  entry->line = parser->line;
  g_array_append_val (parser->table->entries, *entry);
}

/* "1234/nginx: worker" or "-": the rest of netstat -p's line. */
static void
netstat_process (Parser      *parser,
                 const Token *token,
                 const char  *line_end,
                 TlSockEntry *entry)
{
  const char *slash;
  guint64 pid;
  gsize len = line_end - token->start;

  while (len > 0 && (token->start[len - 1] == ' ' || token->start[len - 1] == '\t'))
    len--;
  parser->table->has_processes = TRUE;
  if (len == 1 && *token->start == '-')
    return;
  slash = memchr (token->start, '/', len);
  if (slash == NULL || !parse_uint (token->start, slash - token->start, G_MAXUINT32, &pid)
      || slash + 1 == token->start + len)
    {
      add_problem (parser, token->start, TL_SOCK_PROBLEM_PROCESS, token->start, len);
      return;
    }
  entry->pid = (guint32) pid;
  entry->process = g_string_chunk_insert_len (parser->table->strings, slash + 1,
                                              token->start + len - slash - 1);
}

/* tcp RECV-Q SEND-Q LOCAL FOREIGN STATE [PID/Program name] */
static void
netstat_line (Parser      *parser,
              const Token *tokens,
              guint        n,
              const char  *line_end)
{
  TlSockEntry entry = { 0 };

  if (!queues_and_addresses (parser, tokens + 1, n - 1, line_end, &entry))
    return;
  if (n < 6)
    {
      add_problem (parser, line_end, TL_SOCK_PROBLEM_MISSING, "State", 5);
      return;
    }
  if (!token_state (&tokens[5], &entry.state))
    {
      token_problem (parser, &tokens[5], TL_SOCK_PROBLEM_STATE);
      return;
    }
  if (n > 6)
    netstat_process (parser, &tokens[6], line_end, &entry);
  add_entry (parser, TL_SOCK_FORMAT_NETSTAT, &entry);
}

/* [tcp] STATE RECV-Q SEND-Q LOCAL PEER [extras] */
static void
ss_line (Parser      *parser,
         const Token *tokens,
         guint        n,
         const char  *line_end)
{
  TlSockEntry entry = { 0 };
  guint before = parser->problems->len;

  if (!token_state (&tokens[0], &entry.state))
    {
      token_problem (parser, &tokens[0], TL_SOCK_PROBLEM_STATE);
      return;
    }
  if (!queues_and_addresses (parser, tokens + 1, n - 1, line_end, &entry))
    return;
  ss_extras (parser, tokens + 5, n - 5, &entry);
  if (entry.process != NULL)
    parser->table->has_processes = TRUE;
  if (parser->problems->len == before)
    add_entry (parser, TL_SOCK_FORMAT_SS, &entry);
}

/* One line; FALSE when the table ends here (netstat's UNIX section). */
static gboolean
parse_line (Parser     *parser,
            const char *line,
            gsize       len)
{
  Token tokens[MAX_TOKENS];
  guint n = tokenize (line, len, tokens);
  const char *line_end = line + len;
  TlState state;

  if (n == 0 || token_in (&tokens[0], header_words, G_N_ELEMENTS (header_words)))
    return !(n >= 2 && token_is (&tokens[0], "Active") && token_is (&tokens[1], "UNIX"));
  if (token_in (&tokens[0], other_protocols, G_N_ELEMENTS (other_protocols)))
    return TRUE;
  if (token_is (&tokens[0], "tcp") || token_is (&tokens[0], "tcp6") || token_is (&tokens[0], "tcp4"))
    {
      /* ss -an's Netid column, or netstat's Proto: ss has the state next. */
      if (n >= 2 && token_state (&tokens[1], &state))
        ss_line (parser, tokens + 1, n - 1, line_end);
      else
        netstat_line (parser, tokens, n, line_end);
      return TRUE;
    }
  if (token_state (&tokens[0], &state))
    ss_line (parser, tokens, n, line_end);
  else
    token_problem (parser, &tokens[0], TL_SOCK_PROBLEM_NOT_A_SOCKET);
  return TRUE;
}

/* The place of the first NUL or invalid UTF-8 byte, if any. */
static gboolean
check_text (Parser     *parser,
            const char *text,
            gsize       len)
{
  const char *bad = memchr (text, '\0', len);
  const char *valid_end;

  if (!g_utf8_validate (text, bad != NULL ? bad - text : (gssize) len, &valid_end))
    bad = valid_end;
  if (bad == NULL)
    return TRUE;
  parser->line = 1;
  parser->line_start = text;
  for (const char *p = text; p < bad; p++)
    if (*p == '\n')
      {
        parser->line++;
        parser->line_start = p + 1;
      }
  add_problem (parser, bad, TL_SOCK_PROBLEM_NOT_TEXT, NULL, 0);
  return FALSE;
}

static TlSockTable *
finish (Parser     *parser,
        GPtrArray **problems,
        GError    **error)
{
  TlSockProblem *first;

  if (parser->problems->len == 0)
    {
      g_ptr_array_unref (parser->problems);
      return parser->table;
    }
  first = g_ptr_array_index (parser->problems, 0);
  g_set_error (error, TL_SOCKTABLE_ERROR, TL_SOCKTABLE_ERROR_SYNTAX,
               "%u problem%s in the socket table, the first at line %u column %u",
               parser->problems->len, parser->problems->len == 1 ? "" : "s",
               first->line, first->column);
  if (problems != NULL)
    *problems = parser->problems;
  else
    g_ptr_array_unref (parser->problems);
  tl_socktable_free (parser->table);
  return NULL;
}

TlSockTable *
tl_socktable_parse (const char  *text,
                    gssize       length,
                    GPtrArray  **problems,
                    GError     **error)
{
  Parser parser = { 0 };
  gsize len;
  const char *p, *end;
  gboolean any = FALSE;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  if (problems != NULL)
    *problems = NULL;
  len = length < 0 ? strlen (text) : (gsize) length;
  parser.table = tl_socktable_new (TL_SOCK_FORMAT_NONE);
  parser.problems = g_ptr_array_new_with_free_func ((GDestroyNotify) tl_sock_problem_free);
  parser.line_start = text;
  parser.line = 1;
  if (len > TL_SOCKTABLE_MAX_BYTES)
    {
      add_problem (&parser, text, TL_SOCK_PROBLEM_TOO_LARGE, NULL, 0);
      return finish (&parser, problems, error);
    }
  if (!check_text (&parser, text, len))
    return finish (&parser, problems, error);

  p = text;
  end = text + len;
  if (len >= 3 && memcmp (p, "\xEF\xBB\xBF", 3) == 0)
    p += 3;
  for (parser.line = 1; p < end && parser.problems->len < TL_SOCKTABLE_MAX_PROBLEMS; parser.line++)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *line_end = nl != NULL ? nl : end;
      gsize line_len = line_end - p;

      parser.line_start = p;
      if (line_len > 0 && p[line_len - 1] == '\r')
        line_len--;
      for (gsize i = 0; i < line_len && !any; i++)
        any = !g_ascii_isspace (p[i]);
      if (line_len > TL_SOCKTABLE_MAX_LINE)
        add_problem (&parser, p, TL_SOCK_PROBLEM_LINE_TOO_LONG, NULL, 0);
      else if (!parse_line (&parser, p, line_len))
        break;
      p = nl != NULL ? nl + 1 : end;
    }
  if (!any)
    {
      parser.line = 1;
      parser.line_start = text;
      add_problem (&parser, text, TL_SOCK_PROBLEM_EMPTY, NULL, 0);
    }
  return finish (&parser, problems, error);
}

TlSockTable *
tl_socktable_parse_file (const char  *path,
                         GPtrArray  **problems,
                         GError     **error)
{
  g_autofree char *text = NULL;
  struct stat st;
  gsize len = 0;
  int fd, saved_errno;

  g_return_val_if_fail (path != NULL, NULL);

  if (problems != NULL)
    *problems = NULL;
  /* O_NONBLOCK: opening a FIFO must not wait for a writer. */
  fd = open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    {
      saved_errno = errno;
      g_set_error (error, TL_SOCKTABLE_ERROR, TL_SOCKTABLE_ERROR_IO, "%s", g_strerror (saved_errno));
      return NULL;
    }
  if (fstat (fd, &st) != 0)
    {
      saved_errno = errno;
      close (fd);
      g_set_error (error, TL_SOCKTABLE_ERROR, TL_SOCKTABLE_ERROR_IO, "%s", g_strerror (saved_errno));
      return NULL;
    }
  if (!S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, TL_SOCKTABLE_ERROR, TL_SOCKTABLE_ERROR_NOT_FILE,
                   "not a regular file");
      return NULL;
    }
  /* Read at most one byte over the limit: a huge file costs no memory. */
  text = g_malloc (MIN ((gsize) st.st_size, TL_SOCKTABLE_MAX_BYTES) + 2);
  while (len <= TL_SOCKTABLE_MAX_BYTES && len <= (gsize) st.st_size)
    {
      gssize got = read (fd, text + len, MIN ((gsize) st.st_size, TL_SOCKTABLE_MAX_BYTES) + 1 - len);

      if (got < 0 && errno == EINTR)
        continue;
      if (got < 0)
        {
          saved_errno = errno;
          close (fd);
          g_set_error (error, TL_SOCKTABLE_ERROR, TL_SOCKTABLE_ERROR_IO, "%s",
                       g_strerror (saved_errno));
          return NULL;
        }
      if (got == 0)
        break;
      len += got;
    }
  close (fd);
  return tl_socktable_parse (text, len, problems, error);
}
