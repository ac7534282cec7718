/* tl-socktable.h: a TCP socket table as `ss` or `netstat` shows it.
 *
 * A socket table is not a trace: it is one moment of a real machine, read
 * from the saved output of `ss -tan`, `ss -tanp`, `ss -tanpo`, `netstat -nat`
 * or `netstat -natp` (recognised line by line, with or without the headers,
 * IPv4 and IPv6), or from this machine's kernel (diagnose/tl-sockdiag.c).
 * tl-diagnose.c counts it and looks for trouble.
 *
 * Untrusted input: the parser collects its problems with their places
 * (codes, not text: diagnose/tl-diagnose-text.c words them in the user's
 * language) and gives no table when there is any.
 */
#pragma once

#include <glib.h>

#include "tl-types.h"

G_BEGIN_DECLS

#define TL_SOCKTABLE_ERROR (tl_socktable_error_quark ())

typedef enum
{
  TL_SOCKTABLE_ERROR_SYNTAX,   /* one or more problems; see the TlSockProblem list */
  TL_SOCKTABLE_ERROR_IO,       /* the file could not be read; the message is strerror's */
  TL_SOCKTABLE_ERROR_NOT_FILE, /* a directory, FIFO or device: not read */
} TlSocktableError;

/* Limits, so that a hostile file gets an error and not a hang or a huge
 * allocation.  A busy server's `ss -tanpo` is about 150 bytes a socket:
 * 64 MiB holds some 400,000 sockets. */
#define TL_SOCKTABLE_MAX_BYTES    (64 * 1024 * 1024)
#define TL_SOCKTABLE_MAX_LINE     4096
#define TL_SOCKTABLE_MAX_PROBLEMS 20

typedef enum
{
  TL_SOCK_FORMAT_NONE    = 0,   /* no socket line seen (an empty table) */
  TL_SOCK_FORMAT_SS      = 1,
  TL_SOCK_FORMAT_NETSTAT = 2,
  TL_SOCK_FORMAT_KERNEL  = 3,   /* read from this machine by sock_diag */
} TlSockFormat;

/* The timer `ss -o` shows: timer:(NAME,EXPIRES,RETRANS). */
typedef enum
{
  TL_SOCK_TIMER_NONE      = 0,
  TL_SOCK_TIMER_ON        = 1,  /* retransmission (or SYN) timer */
  TL_SOCK_TIMER_KEEPALIVE = 2,
  TL_SOCK_TIMER_TIMEWAIT  = 3,
  TL_SOCK_TIMER_PERSIST   = 4,
  TL_SOCK_TIMER_OTHER     = 5,
} TlSockTimer;

#define TL_SOCK_ADDR_LEN 64

typedef struct
{
  char    addr[TL_SOCK_ADDR_LEN];  /* as inet_ntop writes it, no brackets; "*" for any */
  guint16 port;                    /* 0 for "*" */
} TlSockAddr;

typedef struct
{
  TlState     state;
  guint32     recv_q;        /* a listener: connections waiting for accept() */
  guint32     send_q;        /* a listener under ss: its backlog */
  TlSockAddr  local;
  TlSockAddr  peer;
  TlSockTimer timer;
  guint32     timer_ms;      /* time left on the timer */
  guint32     retrans;       /* retransmissions, or keepalive probes, so far */
  const char *process;       /* first process name, or NULL (owned by the table) */
  guint32     pid;           /* its pid, 0 if unknown */
  guint32     line;          /* line in the file, 0 when read from the kernel */
} TlSockEntry;

typedef struct
{
  GArray       *entries;       /* of TlSockEntry, in the order read */
  GStringChunk *strings;       /* process names */
  TlSockFormat  format;        /* of the first socket line */
  gboolean      has_processes; /* the source could name processes (-p) */
  gboolean      has_timers;    /* the source shows timers (ss -o, or the kernel) */
} TlSockTable;

typedef enum
{
  TL_SOCK_PROBLEM_NOT_TEXT,      /* NUL byte or invalid UTF-8; token unused */
  TL_SOCK_PROBLEM_TOO_LARGE,     /* file over TL_SOCKTABLE_MAX_BYTES; line 1 column 1 */
  TL_SOCK_PROBLEM_LINE_TOO_LONG, /* over TL_SOCKTABLE_MAX_LINE bytes */
  TL_SOCK_PROBLEM_EMPTY,         /* nothing at all in the file */
  TL_SOCK_PROBLEM_NOT_A_SOCKET,  /* a line that is neither an ss nor a netstat socket line */
  TL_SOCK_PROBLEM_STATE,         /* token: the unknown state */
  TL_SOCK_PROBLEM_QUEUE,         /* token: what stands where Recv-Q or Send-Q should */
  TL_SOCK_PROBLEM_ADDRESS,       /* token: what stands where ADDRESS:PORT should */
  TL_SOCK_PROBLEM_MISSING,       /* the line ends early; token: the missing column's name */
  TL_SOCK_PROBLEM_EXTRA,         /* token: something unexpected after the addresses */
  TL_SOCK_PROBLEM_TIMER,         /* token: a timer:(...) that does not read */
  TL_SOCK_PROBLEM_PROCESS,       /* token: a users:(...) or PID/Program that does not read */
} TlSockProblemCode;

typedef struct
{
  guint             line;
  guint             column;    /* 1-based, in characters */
  TlSockProblemCode code;
  char             *token;     /* what was found (at most 40 characters, made printable), or NULL */
} TlSockProblem;

GQuark       tl_socktable_error_quark (void);

TlSockTable *tl_socktable_new         (TlSockFormat format);
void         tl_socktable_free        (TlSockTable *table);
/* Appends a copy of entry; its process name is copied into the table. */
void         tl_socktable_add         (TlSockTable       *table,
                                       const TlSockEntry *entry);

/* Parses text (length bytes, or up to a NUL if length < 0).  Returns NULL
 * and sets error (TL_SOCKTABLE_ERROR_SYNTAX) when there is any problem; then
 * *problems (if not NULL) receives a GPtrArray of TlSockProblem, in the order
 * of the file, at most TL_SOCKTABLE_MAX_PROBLEMS.  The error's message is a
 * plain English summary for logs; tl_diagnose_text words problems for users. */
TlSockTable *tl_socktable_parse       (const char  *text,
                                       gssize       length,
                                       GPtrArray  **problems,
                                       GError     **error);
/* Reads a regular file (never blocks on a FIFO or device) of at most
 * TL_SOCKTABLE_MAX_BYTES and parses it.  TL_SOCKTABLE_ERROR_IO carries
 * the errno text. */
TlSockTable *tl_socktable_parse_file  (const char  *path,
                                       GPtrArray  **problems,
                                       GError     **error);
void         tl_sock_problem_free     (TlSockProblem *problem);

/* "ESTAB", "SYN-RECV"... as ss names states; and netstat's "SYN_RECV". */
const char  *tl_sock_state_ss_name      (TlState state);
const char  *tl_sock_state_netstat_name (TlState state);
/* Any of ss's, netstat's or RFC 9293's names ("SYN_RCVD"), any case. */
gboolean     tl_sock_state_from_name    (const char *name,
                                         TlState    *state);
/* An IPv4-mapped IPv6 address ("::ffff:192.0.2.1", as ss shows a dual-stack
 * socket's) as the IPv4 address it is (as netstat shows it), so that both
 * tools' tables group alike. */
void         tl_sock_addr_normalize     (TlSockAddr *addr);
/* "192.0.2.1:80", "[2001:db8::1]:80", "*:*" as ss writes an address. */
char        *tl_sock_addr_to_string     (const TlSockAddr *addr);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlSockTable, tl_socktable_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlSockProblem, tl_sock_problem_free)

G_END_DECLS
