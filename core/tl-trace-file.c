/* tl-trace-file.c: a trace saved as a file and read back, whole.
 *
 * One line per item, words separated by one space, text in double quotes
 * as a JSON string (RFC 8259 section 7; tl_json_append_string):
 *
 *   tcplab-trace 1
 *   lesson 3f2a...(64 hex digits: the SHA-256 of the lesson text)
 *   origin "Linux 6.18.0 (tcplab-cli real)"
 *   host "client" 10.0.0.1
 *   host "server" 10.0.0.2
 *   texts N
 *   text LOCALE|- "the narration"                           (N lines)
 *   conns N
 *   conn HOST LISTENER ORDINAL LOCAL LPORT REMOTE RPORT ISS IRS PARENT|- BACKLOG CREATED_US
 *        [OPT_OFFER OPT_AGREED WSCALE TS_OFF]                (TCP options: TlOptBits)
 *   records N
 *   T_US KIND HOST CONN|- STMT FIELDS...                     (N lines)
 *   tsecr ID TSECR                                           (any number of these
 *   sack ID N START END ...                                   three, ids ascending in
 *   options ID BITS WSCALE TSVAL TSECR                        each: tl_trace_set_tsecr...)
 *   end
 *
 * and the FIELDS of each kind, the TlRecord's own in the order of tl-trace.h:
 *   segment, arrive  ID SEQ ACK DELAY_US PEER|- LEN WIN MSS SPORT DPORT FLAGS FATE
 *   state            FROM TO CAUSE STATEFLAGS
 *   timer            DEADLINE_US TIMER ACTION ATTEMPT
 *   app, host        VALUE CALL ERROR
 *   link             VALUE DIR PARAM
 *   queues           SEND_Q RECV_Q
 *   say, pause       TEXT|-
 *   end              LIMIT STMT REASON
 * Enumerations are written as their numbers (tl-trace.h), flags as
 * "SYN,ACK"; the counts let a reader find a file cut short, and the `end`
 * line one that was not written to the end.
 *
 * The reader trusts nothing: every number is checked against its field's
 * range, every reference (connection, text, parent) against its table, times
 * never go backwards, and the first mistake is reported with its line and
 * column.  Nothing is allocated ahead from a count the file gives.
 */
#include "tl-trace-file.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "tl-budget.h"
#include "tl-scenario.h"
#include "tl-trace-private.h"

#define N_(s) (s)

#define MAGIC "tcplab-trace"
#define VERSION 1
/* Times and durations: at most a day (the lesson's own limit is an hour). */
#define MAX_TIME_US (G_GINT64_CONSTANT (24) * 3600 * TL_USEC_PER_SEC)

G_DEFINE_QUARK (tl-trace-file-error-quark, tl_trace_file_error)

char *
tl_trace_file_lesson_hash (const char *lesson_text,
                           gsize       length)
{
  g_return_val_if_fail (lesson_text != NULL || length == 0, NULL);

  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) lesson_text, length);
}

char *
tl_trace_file_sidecar_path (const char *lesson_path)
{
  g_return_val_if_fail (lesson_path != NULL, NULL);

  return g_strconcat (lesson_path, TL_TRACE_FILE_SIDECAR_SUFFIX, NULL);
}

gboolean
tl_trace_file_matches (const TlTraceFileInfo *info,
                       const char            *lesson_text,
                       gsize                  length)
{
  g_autofree char *hash = NULL;

  g_return_val_if_fail (info != NULL, FALSE);

  hash = tl_trace_file_lesson_hash (lesson_text, length);
  return info->lesson_sha256 != NULL && g_strcmp0 (hash, info->lesson_sha256) == 0;
}

void
tl_trace_file_info_clear (TlTraceFileInfo *info)
{
  g_return_if_fail (info != NULL);

  g_clear_pointer (&info->lesson_sha256, g_free);
  g_clear_pointer (&info->origin, g_free);
}

/* ------------------------------------------------------------------ writer */

/* An address as its text: "10.0.0.1", or "fd18::1" in an IPv6 trace. */
static void
append_addr (GString       *out,
             const TlTrace *trace,
             guint32        addr)
{
  char text[TL_ADDR_STRLEN];

  if (addr == 0 && tl_trace_is_v6 (trace))
    g_strlcpy (text, "::", sizeof text);  /* no address (a listener's remote) */
  else
    tl_trace_format_addr (trace, addr, text);
  g_string_append_c (out, ' ');
  g_string_append (out, text);
}

static void
append_index (GString *out,
              guint32  index,
              guint32  none)
{
  if (index == none)
    g_string_append (out, " -");
  else
    g_string_append_printf (out, " %u", index);
}

static void
append_record (GString        *out,
               const TlTrace  *trace,
               const TlRecord *r)
{
  const TlTraceSegment *seg;
  char flags[24];

  g_string_append_printf (out, "%" G_GINT64_FORMAT " %s %u", r->time_us,
                          tl_record_kind_name (r->kind), r->host);
  append_index (out, r->conn, TL_NO_CONN);
  g_string_append_printf (out, " %u", r->stmt);
  switch ((TlRecordKind) r->kind)
    {
    case TL_REC_SEGMENT:
    case TL_REC_ARRIVE:
      /* The fields a segment's records share (tl_trace_segment) on each. */
      seg = tl_trace_segment (trace, r->u.seg.id);
      g_string_append_printf (out, " %u %u %u %u", r->u.seg.id, r->u.seg.seq, seg->ack,
                              r->u.seg.delay_us);
      if (tl_trace_segment_peer (trace, r->u.seg.id) == 0)
        g_string_append (out, " -");
      else
        append_addr (out, trace, tl_trace_segment_peer (trace, r->u.seg.id));
      g_string_append_printf (out, " %u %u %u %u %u %s %u", r->u.seg.len, seg->win,
                              seg->mss, seg->src_port, seg->dst_port,
                              tl_flags_to_string (r->u.seg.flags, flags), r->u.seg.fate);
      break;
    case TL_REC_STATE:
      g_string_append_printf (out, " %u %u %u %u", r->u.state.from, r->u.state.to,
                              r->u.state.cause, r->u.state.flags);
      break;
    case TL_REC_TIMER:
      g_string_append_printf (out, " %" G_GINT64_FORMAT " %u %u %u", r->u.timer.deadline_us,
                              r->u.timer.timer, r->u.timer.action, r->u.timer.attempt);
      break;
    case TL_REC_APP:
    case TL_REC_HOST:
      g_string_append_printf (out, " %" G_GUINT64_FORMAT " %u %u", r->u.app.value,
                              r->u.app.call, r->u.app.error);
      break;
    case TL_REC_LINK:
      g_string_append_printf (out, " %" G_GINT64_FORMAT " %d %u", r->u.link.value,
                              r->u.link.dir, r->u.link.param);
      break;
    case TL_REC_QUEUES:
      g_string_append_printf (out, " %u %u", r->u.queues.send_q, r->u.queues.recv_q);
      break;
    case TL_REC_CWND:
      g_string_append_printf (out, " %u %u %u", r->u.cwnd.cwnd, r->u.cwnd.ssthresh, r->u.cwnd.bytes);
      break;
    case TL_REC_SAY:
    case TL_REC_PAUSE:
      append_index (out, r->u.text.text, TL_NO_TEXT);
      break;
    case TL_REC_END:
      g_string_append_printf (out, " %" G_GUINT64_FORMAT " %u %u", r->u.end.limit,
                              r->u.end.stmt, r->u.end.reason);
      break;
    }
  g_string_append_c (out, '\n');
}

void
tl_trace_file_write (const TlTrace *trace,
                     const char    *lesson_sha256,
                     const char    *origin,
                     GString       *out)
{
  guint n_texts = 0;

  g_return_if_fail (trace != NULL);
  g_return_if_fail (lesson_sha256 != NULL);
  g_return_if_fail (out != NULL);

  g_string_append_printf (out, MAGIC " %d\nlesson %s\norigin ", VERSION, lesson_sha256);
  tl_json_append_string (out, origin != NULL ? origin : "");
  g_string_append_c (out, '\n');
  for (guint h = 0; h < 2; h++)
    {
      g_string_append (out, "host ");
      tl_json_append_string (out, tl_trace_host_name (trace, h));
      append_addr (out, trace, tl_trace_host_addr (trace, h));
      g_string_append_c (out, '\n');
    }

  /* The text table: tl_trace_text answers NULL past its end. */
  while (tl_trace_text (trace, n_texts, NULL) != NULL)
    n_texts++;
  g_string_append_printf (out, "texts %u\n", n_texts);
  for (guint i = 0; i < n_texts; i++)
    {
      const char *locale;
      const char *text = tl_trace_text (trace, i, &locale);

      g_string_append_printf (out, "text %s ", locale != NULL ? locale : "-");
      tl_json_append_string (out, text);
      g_string_append_c (out, '\n');
    }

  g_string_append_printf (out, "conns %u\n", tl_trace_n_conns (trace));
  for (guint i = 0; i < tl_trace_n_conns (trace); i++)
    {
      const TlTraceConn *c = tl_trace_conn (trace, i);

      g_string_append_printf (out, "conn %u %u %u", c->host, c->listener ? 1 : 0, c->ordinal);
      append_addr (out, trace, c->local_addr);
      g_string_append_printf (out, " %u", c->local_port);
      append_addr (out, trace, c->remote_addr);
      g_string_append_printf (out, " %u %u %u", c->remote_port, c->iss, c->irs);
      append_index (out, c->parent, TL_NO_CONN);
      g_string_append_printf (out, " %u %" G_GINT64_FORMAT " %u %u %u %u\n", c->backlog, c->created_us,
                              c->opt_offer, c->opt_agreed, c->wscale, c->ts_off);
    }

  g_string_append_printf (out, "records %u\n", tl_trace_n_records (trace));
  for (guint i = 0; i < tl_trace_n_records (trace); i++)
    append_record (out, trace, tl_trace_record (trace, i));
  tl_trace_options_write (trace, out);
  g_string_append (out, "end\n");
}

gboolean
tl_trace_file_save (const char    *path,
                    const TlTrace *trace,
                    const char    *lesson_sha256,
                    const char    *origin,
                    gboolean       overwrite,
                    GError       **error)
{
  g_autoptr (GString) out = NULL;
  g_autoptr (GError) local = NULL;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (trace != NULL, FALSE);

  if (!overwrite && g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, TL_TRACE_FILE_ERROR, TL_TRACE_FILE_ERROR_EXISTS,
                   "%s exists", path);
      return FALSE;
    }
  out = g_string_new (NULL);
  tl_trace_file_write (trace, lesson_sha256, origin, out);
  /* g_file_set_contents writes a temporary file and renames it. */
  if (!g_file_set_contents (path, out->str, out->len, &local))
    {
      g_set_error (error, TL_TRACE_FILE_ERROR, TL_TRACE_FILE_ERROR_IO, "%s", local->message);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------ reader */

typedef struct
{
  const char      *filename;
  TlTranslateFunc  translate;
  const char      *end;         /* of the data */
  const char      *line_start;
  const char      *line_end;
  const char      *p;           /* the next word */
  const char      *word;        /* the word being read, for the column */
  guint            line;
  GError         **error;
  gboolean         failed;
} Reader;

static const char *
tr (const Reader *rd,
    const char   *msgid)
{
  return rd->translate != NULL ? rd->translate (msgid) : msgid;
}

/* The first mistake, at the word being read (at the end of the line when none). */
G_GNUC_PRINTF (3, 4)
static gboolean
fail (Reader     *rd,
      const char *at,
      const char *format,
      ...)
{
  va_list args;
  g_autofree char *what = NULL;
  glong column;

  if (rd->failed)
    return FALSE;
  rd->failed = TRUE;
  if (at == NULL)
    at = rd->line_end;
  column = g_utf8_strlen (rd->line_start, at - rd->line_start) + 1;
  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (rd->error, TL_TRACE_FILE_ERROR, TL_TRACE_FILE_ERROR_SYNTAX, "%s:%u:%ld: %s",
               rd->filename, rd->line, column, what);
  return FALSE;
}

/* Moves to the next line; FALSE (and a mistake) at the end of the data. */
static gboolean
next_line (Reader *rd)
{
  const char *nl;

  if (rd->line > 0)
    rd->line_start = rd->line_end < rd->end ? rd->line_end + 1 : rd->end;
  rd->line++;
  if (rd->line_start >= rd->end)
    {
      rd->line_end = rd->end;
      rd->p = rd->end;
      return fail (rd, rd->end, "%s", tr (rd, N_("the file ends early: it was not written "
                                                 "to the end")));
    }
  nl = memchr (rd->line_start, '\n', rd->end - rd->line_start);
  rd->line_end = nl != NULL ? nl : rd->end;
  rd->p = rd->line_start;
  return TRUE;
}

/* The one space between a word and the one before it on its line. */
static gboolean
space_before (Reader     *rd,
              const char *what)
{
  if (rd->p < rd->line_end && rd->p > rd->line_start)
    {
      if (*rd->p != ' ')
        return fail (rd, rd->p, tr (rd, N_("a space was expected before %s")), what);
      rd->p++;
    }
  return TRUE;
}

/* The next word (bare, up to a space), NULL (and a mistake) if the line ended. */
static char *
next_word (Reader     *rd,
           const char *what)
{
  const char *start;

  if (rd->failed)
    return NULL;
  if (!space_before (rd, what))
    return NULL;
  start = rd->p;
  rd->word = start;
  while (rd->p < rd->line_end && *rd->p != ' ')
    rd->p++;
  if (rd->p == start)
    {
      fail (rd, start, tr (rd, N_("%s was expected here")), what);
      return NULL;
    }
  return g_strndup (start, rd->p - start);
}

/* The line must end here. */
static gboolean
end_of_line (Reader *rd)
{
  if (rd->failed)
    return FALSE;
  if (rd->p != rd->line_end)
    return fail (rd, rd->p, "%s", tr (rd, N_("the line should end here")));
  return TRUE;
}

static gboolean
expect_keyword (Reader     *rd,
                const char *keyword)
{
  g_autofree char *word = next_word (rd, keyword);

  if (word == NULL)
    return FALSE;
  if (strcmp (word, keyword) != 0)
    return fail (rd, rd->word, tr (rd, N_("'%s' was expected, not '%s'")), keyword, word);
  return TRUE;
}

static gboolean
read_number (Reader     *rd,
             const char *what,
             gint64      min,
             gint64      max,
             gint64     *value)
{
  g_autofree char *word = next_word (rd, what);
  g_autofree char *min_s = NULL, *max_s = NULL;
  guint64 u;
  gint64 s;
  const char *digits;

  if (word == NULL)
    return FALSE;
  digits = word[0] == '-' ? word + 1 : word;
  if (digits[0] != '\0' && (digits[0] != '0' || digits[1] == '\0')
      && strspn (digits, "0123456789") == strlen (digits))
    {
      if (word[0] == '-')
        {
          if (g_ascii_string_to_signed (word, 10, min, max, &s, NULL))
            {
              *value = s;
              return TRUE;
            }
        }
      else if (g_ascii_string_to_unsigned (word, 10, 0, (guint64) MAX (max, 0), &u, NULL)
               && (gint64) u >= min)
        {
          *value = (gint64) u;
          return TRUE;
        }
    }
  min_s = g_strdup_printf ("%" G_GINT64_FORMAT, min);
  max_s = g_strdup_printf ("%" G_GINT64_FORMAT, max);
  return fail (rd, rd->word, tr (rd, N_("%s: a whole number from %s to %s was expected, not '%s'")),
               what, min_s, max_s, word);
}

/* A field of at most max into *out, of the type the macro names. */
#define READ_FIELD(rd, what, min, max, out) \
  G_STMT_START { gint64 v_; if (!read_number (rd, what, min, max, &v_)) return FALSE; (out) = v_; } G_STMT_END

/* A number, or '-' for none. */
static gboolean
read_index (Reader     *rd,
            const char *what,
            guint32     count,
            guint32     none,
            guint32    *index)
{
  gint64 v;

  if (rd->failed)
    return FALSE;
  if (rd->p < rd->line_end && rd->p + 1 < rd->line_end && rd->p[1] == '-'
      && (rd->p + 2 == rd->line_end || rd->p[2] == ' '))
    {
      g_free (next_word (rd, what));
      *index = none;
      return TRUE;
    }
  if (count == 0)
    {
      g_autofree char *word = next_word (rd, what);

      if (word == NULL)
        return FALSE;
      return fail (rd, rd->word, tr (rd, N_("%s: '-' was expected (the table is empty), "
                                            "not '%s'")), what, word);
    }
  if (!read_number (rd, what, 0, (gint64) count - 1, &v))
    return FALSE;
  *index = (guint32) v;
  return TRUE;
}

/* An address as the file writes it: IPv4, or IPv6 in the trace of an
 * IPv6 capture. */
typedef struct
{
  gboolean v6;
  guint32  v4;          /* host byte order */
  guint8   bytes[16];   /* IPv6, network order */
} FileAddr;

static gboolean
parse_ipv4 (const char *word,
            guint32    *addr)
{
  g_auto (GStrv) parts = g_strsplit (word, ".", -1);
  guint32 a = 0;

  if (g_strv_length (parts) != 4)
    return FALSE;
  for (guint i = 0; i < 4; i++)
    {
      guint64 octet;

      if (parts[i][0] == '\0' || strspn (parts[i], "0123456789") != strlen (parts[i])
          || !g_ascii_string_to_unsigned (parts[i], 10, 0, 255, &octet, NULL))
        return FALSE;
      a = (a << 8) | (guint32) octet;
    }
  *addr = a;
  return TRUE;
}

/* One address word; in the header (trace NULL) either family, after it the
 * trace's own: an IPv6 one is given its number in the trace's table. */
static gboolean
read_addr_word (Reader     *rd,
                TlTrace    *trace,
                const char *what,
                gboolean    none_ok,
                guint32    *addr,
                FileAddr   *header_addr)
{
  g_autofree char *word = next_word (rd, what);
  gboolean want_v6 = trace != NULL && tl_trace_is_v6 (trace);
  FileAddr a = { 0 };

  if (word == NULL)
    return FALSE;
  if (none_ok && strcmp (word, "-") == 0)
    {
      *addr = 0;
      return TRUE;
    }
  if (strchr (word, ':') != NULL && (trace == NULL || want_v6)
      && strlen (word) < TL_ADDR_STRLEN && inet_pton (AF_INET6, word, a.bytes) == 1)
    a.v6 = TRUE;
  else if ((trace == NULL || !want_v6) && parse_ipv4 (word, &a.v4))
    a.v6 = FALSE;
  else if (want_v6)
    return fail (rd, rd->word, tr (rd, N_("%s: an IPv6 address was expected, not '%s'")),
                 what, word);
  else
    return fail (rd, rd->word, tr (rd, N_("%s: an IPv4 address was expected, not '%s'")),
                 what, word);
  if (header_addr != NULL)
    *header_addr = a;
  if (!a.v6)
    *addr = a.v4;
  else if (trace == NULL)
    *addr = 0;
  else
    {
      static const guint8 none[16] = { 0 };

      *addr = memcmp (a.bytes, none, 16) == 0 ? 0 : tl_trace_add_addr6 (trace, a.bytes);
    }
  return TRUE;
}

static gboolean
read_addr (Reader     *rd,
           TlTrace    *trace,
           const char *what,
           gboolean    none_ok,
           guint32    *addr)
{
  return read_addr_word (rd, trace, what, none_ok, addr, NULL);
}

/* A quoted text, unescaped; NULL (and a mistake) if it does not read. */
static char *
read_quoted (Reader     *rd,
             const char *what)
{
  g_autoptr (GString) out = NULL;
  const char *q;

  if (rd->failed)
    return NULL;
  if (!space_before (rd, what))
    return NULL;
  rd->word = rd->p;
  if (rd->p >= rd->line_end || *rd->p != '"')
    {
      fail (rd, rd->p, tr (rd, N_("%s: a text in double quotes was expected")), what);
      return NULL;
    }
  out = g_string_new (NULL);
  for (q = rd->p + 1; q < rd->line_end && *q != '"'; q++)
    {
      if (*q != '\\')
        {
          g_string_append_c (out, *q);
          continue;
        }
      if (q + 1 >= rd->line_end)
        break;
      q++;
      switch (*q)
        {
        case '"':  g_string_append_c (out, '"'); break;
        case '\\': g_string_append_c (out, '\\'); break;
        case 'n':  g_string_append_c (out, '\n'); break;
        case 'r':  g_string_append_c (out, '\r'); break;
        case 't':  g_string_append_c (out, '\t'); break;
        case 'u':
          /* What tl_json_append_string writes for a control character;
           * any character but NUL and the surrogates. */
          if (q + 4 < rd->line_end && g_ascii_isxdigit (q[1]) && g_ascii_isxdigit (q[2])
              && g_ascii_isxdigit (q[3]) && g_ascii_isxdigit (q[4]))
            {
              gunichar c = (g_ascii_xdigit_value (q[1]) << 12) | (g_ascii_xdigit_value (q[2]) << 8)
                           | (g_ascii_xdigit_value (q[3]) << 4) | g_ascii_xdigit_value (q[4]);

              if (c != 0 && (c < 0xd800 || c > 0xdfff))
                {
                  char buf[6];

                  g_string_append_len (out, buf, g_unichar_to_utf8 (c, buf));
                  q += 4;
                  break;
                }
            }
          G_GNUC_FALLTHROUGH;
        default:
          fail (rd, q - 1, "%s", tr (rd, N_("an unknown escape in a text (\\\" \\\\ \\n \\r \\t "
                                            "and \\uXXXX are known)")));
          return NULL;
        }
    }
  if (q >= rd->line_end)
    {
      fail (rd, rd->word, "%s", tr (rd, N_("a text in double quotes does not end on its line")));
      return NULL;
    }
  rd->p = q + 1;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* "KEYWORD COUNT" on a line of its own. */
static gboolean
read_count (Reader     *rd,
            const char *keyword,
            guint64     max,
            guint32    *count)
{
  if (!next_line (rd) || !expect_keyword (rd, keyword))
    return FALSE;
  READ_FIELD (rd, keyword, 0, (gint64) max, *count);
  return end_of_line (rd);
}

static gboolean
read_header (Reader          *rd,
             TlTraceFileInfo *info,
             char            *host_names[2],
             FileAddr         host_addrs[2])
{
  g_autofree char *version = NULL;
  g_autofree char *hash = NULL;

  if (!next_line (rd))
    return FALSE;
  if ((gsize) (rd->line_end - rd->line_start) < strlen (MAGIC " ")
      || memcmp (rd->line_start, MAGIC " ", strlen (MAGIC " ")) != 0)
    return fail (rd, rd->line_start, tr (rd, N_("not a TCP Lab trace file (its first line "
                                                "must be \"%s %d\")")), MAGIC, VERSION);
  rd->p = rd->line_start + strlen (MAGIC);
  version = next_word (rd, "version");
  if (version == NULL)
    return FALSE;
  if (strcmp (version, G_STRINGIFY (VERSION)) != 0)
    {
      fail (rd, rd->word, tr (rd, N_("trace file format '%s' is not one this TCP Lab reads "
                                     "(it reads %d)")), version, VERSION);
      if (rd->error != NULL && *rd->error != NULL)
        (*rd->error)->code = TL_TRACE_FILE_ERROR_VERSION;
      return FALSE;
    }
  if (!end_of_line (rd))
    return FALSE;

  if (!next_line (rd) || !expect_keyword (rd, "lesson") || (hash = next_word (rd, "lesson")) == NULL)
    return FALSE;
  if (strlen (hash) != 64 || strspn (hash, "0123456789abcdef") != 64)
    return fail (rd, rd->word, "%s", tr (rd, N_("the lesson's SHA-256 was expected: 64 "
                                                "hexadecimal digits in lower case")));
  if (!end_of_line (rd))
    return FALSE;
  info->lesson_sha256 = g_steal_pointer (&hash);

  if (!next_line (rd) || !expect_keyword (rd, "origin")
      || (info->origin = read_quoted (rd, "origin")) == NULL || !end_of_line (rd))
    return FALSE;

  for (guint h = 0; h < 2; h++)
    if (!next_line (rd) || !expect_keyword (rd, "host")
        || (host_names[h] = read_quoted (rd, "host")) == NULL
        || !read_addr_word (rd, NULL, "host", FALSE, &(guint32) { 0 }, &host_addrs[h])
        || !end_of_line (rd))
      return FALSE;
  if (host_addrs[0].v6 != host_addrs[1].v6)
    return fail (rd, rd->word, "%s", tr (rd, N_("the two hosts' addresses must both be IPv4 "
                                                "or both IPv6")));
  return TRUE;
}

static gboolean
read_texts (Reader  *rd,
            TlTrace *trace,
            guint32 *n_texts)
{
  if (!read_count (rd, "texts", TL_BUDGET_STATEMENTS, n_texts))
    return FALSE;
  for (guint32 i = 0; i < *n_texts; i++)
    {
      g_autofree char *locale = NULL;
      g_autofree char *text = NULL;

      if (!next_line (rd) || !expect_keyword (rd, "text")
          || (locale = next_word (rd, "locale")) == NULL)
        return FALSE;
      if (strcmp (locale, "-") != 0
          && (strlen (locale) > 16 || strspn (locale, "abcdefghijklmnopqrstuvwxyz"
                                              "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-@.")
                                      != strlen (locale)))
        return fail (rd, rd->word, tr (rd, N_("a locale such as zh_CN, or '-', was expected, "
                                              "not '%s'")), locale);
      if ((text = read_quoted (rd, "text")) == NULL || !end_of_line (rd))
        return FALSE;
      tl_trace_add_text (trace, strcmp (locale, "-") == 0 ? NULL : locale, text);
    }
  return TRUE;
}

static gboolean
read_conns (Reader  *rd,
            TlTrace *trace,
            guint32 *n_conns)
{
  if (!read_count (rd, "conns", TL_BUDGET_RECORDS, n_conns))
    return FALSE;
  for (guint32 i = 0; i < *n_conns; i++)
    {
      TlTraceConn c = { 0 };
      guint listener;

      if (!next_line (rd) || !expect_keyword (rd, "conn"))
        return FALSE;
      READ_FIELD (rd, "host", 0, 1, c.host);
      READ_FIELD (rd, "listener", 0, 1, listener);
      c.listener = listener != 0;
      READ_FIELD (rd, "ordinal", 0, G_MAXUINT32, c.ordinal);
      if (!read_addr (rd, trace, "local", FALSE, &c.local_addr))
        return FALSE;
      READ_FIELD (rd, "lport", 0, G_MAXUINT16, c.local_port);
      if (!read_addr (rd, trace, "remote", FALSE, &c.remote_addr))
        return FALSE;
      READ_FIELD (rd, "rport", 0, G_MAXUINT16, c.remote_port);
      READ_FIELD (rd, "iss", 0, G_MAXUINT32, c.iss);
      READ_FIELD (rd, "irs", 0, G_MAXUINT32, c.irs);
      if (!read_index (rd, "parent", *n_conns, TL_NO_CONN, &c.parent))
        return FALSE;
      READ_FIELD (rd, "backlog", 0, G_MAXUINT32, c.backlog);
      READ_FIELD (rd, "created_us", 0, MAX_TIME_US, c.created_us);
      /* the TCP options, which a file of an older TCP Lab does not give */
      if (rd->p < rd->line_end)
        {
          READ_FIELD (rd, "opt_offer", 0, TL_OPT_ALL, c.opt_offer);
          READ_FIELD (rd, "opt_agreed", 0, TL_OPT_ALL, c.opt_agreed);
          READ_FIELD (rd, "wscale", 0, 14, c.wscale);
          READ_FIELD (rd, "ts_off", 0, G_MAXUINT32, c.ts_off);
        }
      if (!end_of_line (rd))
        return FALSE;
      tl_trace_add_conn (trace, &c);
    }
  return TRUE;
}

/* The segment ids described so far (a bit each), to check that every record
 * of a segment gives the fields they share alike. */
typedef struct
{
  GArray  *described;   /* of guint8 */
  guint32  index;       /* of the record being read */
} Segments;

static gboolean
read_record (Reader   *rd,
             TlTrace  *trace,
             guint32   n_conns,
             guint32   n_texts,
             Segments *segments,
             gint64   *last_us)
{
  TlTraceSegment shared = { 0 };
  guint32 peer = 0;
  const char *id_at = NULL;
  g_autofree char *kind_name = NULL;
  g_autofree char *flags_s = NULL;
  TlRecordKind kind;
  TlRecord r = { 0 };
  TlRecord *out;
  guint32 conn;
  gint64 v;
  const char *time_at = rd->p;

  READ_FIELD (rd, "time", 0, MAX_TIME_US, r.time_us);
  if (r.time_us < *last_us)
    return fail (rd, time_at, "%s", tr (rd, N_("time goes backwards: a record's time is before "
                                               "the one before it")));
  *last_us = r.time_us;
  if ((kind_name = next_word (rd, "kind")) == NULL)
    return FALSE;
  if (!tl_record_kind_from_name (kind_name, &kind) || strcmp (tl_record_kind_name (kind), kind_name) != 0)
    return fail (rd, rd->word, tr (rd, N_("unknown kind of record '%s'")), kind_name);
  READ_FIELD (rd, "host", 0, 1, r.host);
  if (!read_index (rd, "conn", n_conns, TL_NO_CONN, &conn))
    return FALSE;
  r.conn = conn;
  READ_FIELD (rd, "stmt", 0, (1 << 24) - 1, r.stmt);

  switch (kind)
    {
    case TL_REC_SEGMENT:
    case TL_REC_ARRIVE:
      /* Ids count segments from 0 or 1 as they are sent: never above the
       * number of records so far, so the segment table stays that small. */
      id_at = rd->p + 1;
      READ_FIELD (rd, "id", 0, (gint64) segments->index + 1, r.u.seg.id);
      READ_FIELD (rd, "seq", 0, G_MAXUINT32, r.u.seg.seq);
      READ_FIELD (rd, "ack", 0, G_MAXUINT32, shared.ack);
      READ_FIELD (rd, "delay_us", 0, MAX_TIME_US, r.u.seg.delay_us);
      if (!read_addr (rd, trace, "peer", TRUE, &peer))
        return FALSE;
      READ_FIELD (rd, "len", 0, G_MAXUINT16, r.u.seg.len);
      READ_FIELD (rd, "win", 0, G_MAXUINT16, shared.win);
      READ_FIELD (rd, "mss", 0, G_MAXUINT16, shared.mss);
      READ_FIELD (rd, "sport", 0, G_MAXUINT16, shared.src_port);
      READ_FIELD (rd, "dport", 0, G_MAXUINT16, shared.dst_port);
      if ((flags_s = next_word (rd, "flags")) == NULL)
        return FALSE;
      if (strcmp (flags_s, "none") == 0)
        r.u.seg.flags = 0;
      else if (!tl_flags_from_string (flags_s, &r.u.seg.flags))
        return fail (rd, rd->word, tr (rd, N_("flags such as SYN,ACK (or none) were expected, "
                                              "not '%s'")), flags_s);
      READ_FIELD (rd, "fate", 0, TL_FATE_DISCARDED, r.u.seg.fate);
      break;
    case TL_REC_STATE:
      READ_FIELD (rd, "from", 0, TL_N_STATES - 1, r.u.state.from);
      READ_FIELD (rd, "to", 0, TL_N_STATES - 1, r.u.state.to);
      READ_FIELD (rd, "cause", 0, TL_CAUSE_QUEUE_OVERFLOW, r.u.state.cause);
      READ_FIELD (rd, "flags", 0, TL_STATE_FLAG_INFERRED | TL_STATE_FLAG_JOINED, r.u.state.flags);
      break;
    case TL_REC_TIMER:
      READ_FIELD (rd, "deadline_us", 0, MAX_TIME_US, r.u.timer.deadline_us);
      READ_FIELD (rd, "timer", 0, TL_N_TIMERS - 1, r.u.timer.timer);
      READ_FIELD (rd, "action", 0, TL_TIMER_FIRED, r.u.timer.action);
      READ_FIELD (rd, "attempt", 0, G_MAXUINT16, r.u.timer.attempt);
      break;
    case TL_REC_APP:
    case TL_REC_HOST:
      /* The value is bytes or a port: at most a gint64 is what the lesson says. */
      READ_FIELD (rd, "value", 0, G_MAXINT64, r.u.app.value);
      READ_FIELD (rd, "call", 0, TL_CALL_ERROR, r.u.app.call);
      READ_FIELD (rd, "error", 0, TL_N_ERRORS - 1, r.u.app.error);
      break;
    case TL_REC_LINK:
      READ_FIELD (rd, "value", G_MININT64, G_MAXINT64, r.u.link.value);
      if (!read_number (rd, "dir", TL_DIR_BOTH, 1, &v))
        return FALSE;
      r.u.link.dir = (gint8) v;
      READ_FIELD (rd, "param", 0, TL_LINK_REC_HOLD_NEXT, r.u.link.param);
      break;
    case TL_REC_QUEUES:
      READ_FIELD (rd, "send_q", 0, G_MAXUINT32, r.u.queues.send_q);
      READ_FIELD (rd, "recv_q", 0, G_MAXUINT32, r.u.queues.recv_q);
      break;
    case TL_REC_CWND:
      READ_FIELD (rd, "cwnd", 0, G_MAXUINT32, r.u.cwnd.cwnd);
      READ_FIELD (rd, "ssthresh", 0, G_MAXUINT32, r.u.cwnd.ssthresh);
      READ_FIELD (rd, "bytes", 0, 1, r.u.cwnd.bytes);
      break;
    case TL_REC_SAY:
    case TL_REC_PAUSE:
      if (!read_index (rd, "text", n_texts, TL_NO_TEXT, &r.u.text.text))
        return FALSE;
      break;
    case TL_REC_END:
      READ_FIELD (rd, "limit", 0, G_MAXINT64, r.u.end.limit);
      READ_FIELD (rd, "stmt", 0, (1 << 24) - 1, r.u.end.stmt);
      READ_FIELD (rd, "reason", 0, TL_END_MEMORY_LIMIT, r.u.end.reason);
      break;
    }
  if (!end_of_line (rd))
    return FALSE;
  if (kind == TL_REC_SEGMENT || kind == TL_REC_ARRIVE)
    {
      TlTraceSegment *seg = tl_trace_segment_mut (trace, r.u.seg.id);

      if (r.u.seg.id >= segments->described->len)
        g_array_set_size (segments->described, r.u.seg.id + 1);
      if (!g_array_index (segments->described, guint8, r.u.seg.id))
        {
          *seg = shared;
          tl_trace_set_segment_peer (trace, r.u.seg.id, peer);
          g_array_index (segments->described, guint8, r.u.seg.id) = 1;
        }
      else if (memcmp (seg, &shared, sizeof shared) != 0
               || tl_trace_segment_peer (trace, r.u.seg.id) != peer)
        return fail (rd, id_at, tr (rd, N_("segment %u: its ack, window, MSS, ports or "
                                           "address differ from its first record's")),
                     r.u.seg.id);
    }
  r.kind = kind;
  out = tl_trace_append (trace, kind, r.time_us);
  *out = r;
  return TRUE;
}

/* One line of the segment options (tsecr, sack, options), ids ascending
 * and below the number of records, as the writer gives them. */
static gboolean
read_options_line (Reader  *rd,
                   TlTrace *trace,
                   guint32  n_records)
{
  g_autofree char *keyword = next_word (rd, "tsecr, sack, options or end");
  const char *id_at;
  guint32 id, tsecr;

  if (keyword == NULL)
    return FALSE;
  id_at = rd->p + 1;
  READ_FIELD (rd, "id", 0, n_records, id);
  if (!tl_trace_options_id_ascends (trace, keyword, id))
    return fail (rd, id_at, tr (rd, N_("segment %u: its %s line comes after a later one's")),
                 id, keyword);
  if (strcmp (keyword, "tsecr") == 0)
    {
      READ_FIELD (rd, "tsecr", 1, G_MAXUINT32, tsecr);
      tl_trace_set_tsecr (trace, id, tsecr);
    }
  else if (strcmp (keyword, "sack") == 0)
    {
      TlSackBlock blocks[TL_SACK_MAX];
      guint n;

      READ_FIELD (rd, "blocks", 1, TL_SACK_MAX, n);
      for (guint b = 0; b < n; b++)
        {
          READ_FIELD (rd, "start", 0, G_MAXUINT32, blocks[b].start);
          READ_FIELD (rd, "end", 0, G_MAXUINT32, blocks[b].end);
        }
      tl_trace_set_sack (trace, id, n, blocks);
    }
  else if (strcmp (keyword, "options") == 0)
    {
      guint8 bits, wscale;
      guint32 tsval;

      READ_FIELD (rd, "bits", 1, TL_OPT_ALL, bits);
      READ_FIELD (rd, "wscale", 0, 14, wscale);
      READ_FIELD (rd, "tsval", 0, G_MAXUINT32, tsval);
      READ_FIELD (rd, "tsecr", 0, G_MAXUINT32, tsecr);
      tl_trace_set_loose_options (trace, id, bits, wscale, tsval, tsecr);
    }
  else
    return fail (rd, rd->word, tr (rd, N_("'%s' was expected, not '%s'")),
                 "tsecr, sack, options, end", keyword);
  return end_of_line (rd);
}

TlTrace *
tl_trace_file_read (const char       *data,
                    gsize             length,
                    const char       *filename,
                    TlTranslateFunc   translate,
                    TlTraceFileInfo  *info,
                    GError          **error)
{
  Reader rd = { 0 };
  TlTraceFileInfo header = { 0 };
  g_autoptr (TlTrace) trace = NULL;
  char *host_names[2] = { NULL, NULL };
  FileAddr host_addrs[2] = { { 0 }, { 0 } };
  guint32 n_texts = 0, n_conns = 0, n_records = 0;
  const char *bad = NULL;
  g_autoptr (GArray) described = g_array_new (FALSE, TRUE, sizeof (guint8));
  Segments segments = { described, 0 };
  gint64 last_us = 0;
  gboolean ok = FALSE;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (filename != NULL, NULL);

  rd.filename = filename;
  rd.translate = translate;
  rd.end = data + length;
  rd.line_start = data;
  rd.line_end = data;
  rd.error = error;

  /* Text first: UTF-8, no NUL (a line's column is counted in characters). */
  if (!g_utf8_validate_len (data, length, &bad))
    {
      for (const char *p = data; p < bad; p++)
        if (*p == '\n')
          {
            rd.line++;
            rd.line_start = p + 1;
          }
      rd.line++;
      rd.line_end = bad;
      fail (&rd, bad, "%s", tr (&rd, N_("the file is not UTF-8 text")));
      return NULL;
    }

  if (!read_header (&rd, &header, host_names, host_addrs))
    goto out;
  if (host_addrs[0].v6)
    {
      guint8 bytes[2][16];

      memcpy (bytes[0], host_addrs[0].bytes, 16);
      memcpy (bytes[1], host_addrs[1].bytes, 16);
      trace = tl_trace_new_v6 ((const char * const *) host_names, (const guint8 (*)[16]) bytes);
    }
  else
    trace = tl_trace_new ((const char * const *) host_names,
                          (const guint32[2]) { host_addrs[0].v4, host_addrs[1].v4 });
  if (!read_texts (&rd, trace, &n_texts) || !read_conns (&rd, trace, &n_conns)
      || !read_count (&rd, "records", TL_BUDGET_RECORDS, &n_records))
    goto out;
  for (guint32 i = 0; i < n_records; i++)
    {
      if (!next_line (&rd))
        goto out;
      if (rd.line_end - rd.line_start == 3 && memcmp (rd.line_start, "end", 3) == 0)
        {
          fail (&rd, rd.line_start, tr (&rd, N_("the records line says %u records, but only %u "
                                                "come before the end")), n_records, i);
          goto out;
        }
      segments.index = i;
      if (!read_record (&rd, trace, n_conns, n_texts, &segments, &last_us))
        goto out;
    }
  for (;;)
    {
      if (!next_line (&rd))
        goto out;
      if (rd.line_end - rd.line_start == 3 && memcmp (rd.line_start, "end", 3) == 0)
        break;
      if (!read_options_line (&rd, trace, n_records))
        goto out;
    }
  if (!expect_keyword (&rd, "end") || !end_of_line (&rd))
    goto out;
  if (rd.line_end < rd.end && rd.line_end + 1 < rd.end)
    {
      next_line (&rd);
      fail (&rd, rd.line_start, "%s", tr (&rd, N_("text after the end line")));
      goto out;
    }
  ok = TRUE;

out:
  g_free (host_names[0]);
  g_free (host_names[1]);
  if (!ok)
    {
      tl_trace_file_info_clear (&header);
      return NULL;
    }
  tl_trace_seal (trace);
  if (info != NULL)
    *info = header;
  else
    tl_trace_file_info_clear (&header);
  return g_steal_pointer (&trace);
}

TlTrace *
tl_trace_file_load (const char       *path,
                    TlTranslateFunc   translate,
                    TlTraceFileInfo  *info,
                    GError          **error)
{
  g_autoptr (GMappedFile) file = NULL;
  GError *local = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, TL_TRACE_FILE_ERROR, TL_TRACE_FILE_ERROR_IO, "%s: %s", path,
                   g_file_test (path, G_FILE_TEST_EXISTS)
                   ? (translate != NULL ? translate (N_("not a regular file")) : "not a regular file")
                   : g_strerror (ENOENT));
      return NULL;
    }
  file = g_mapped_file_new (path, FALSE, &local);
  if (file == NULL)
    {
      g_set_error (error, TL_TRACE_FILE_ERROR, TL_TRACE_FILE_ERROR_IO, "%s", local->message);
      g_error_free (local);
      return NULL;
    }
  if (g_mapped_file_get_length (file) > TL_TRACE_FILE_MAX_BYTES)
    {
      g_set_error (error, TL_TRACE_FILE_ERROR, TL_TRACE_FILE_ERROR_IO, "%s: %s", path,
                   translate != NULL ? translate (N_("the file is larger than 1 GiB"))
                                     : "the file is larger than 1 GiB");
      return NULL;
    }
  return tl_trace_file_read (g_mapped_file_get_contents (file), g_mapped_file_get_length (file),
                             path, translate, info, error);
}
