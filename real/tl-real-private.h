/* tl-real-private.h: the real runner's pieces, shared by its files and tests. */
#pragma once

#include "tl-real.h"

#include <sys/resource.h>

G_BEGIN_DECLS

/* ------------------------------------------------------------ namespaces */

/* The namespaces of one run: tcplab-PID-a, tcplab-PID-b, tcplab-PID-link. */
#define TL_REAL_NS_PREFIX "tcplab-"
#define TL_REAL_NETNS_DIR "/run/netns"

typedef struct
{
  int      fd[3];        /* host 0, host 1, the link; -1 when not made */
  char    *name[3];
  gboolean mounted[3];   /* bound under TL_REAL_NETNS_DIR */
  int      orig_fd;      /* the namespace the run started in */
} TlRealNet;

/* "tcplab-PID-a", "-b", "-link" (which: 0, 1, 2). */
char     *tl_real_ns_name         (int          pid,
                                   guint        which);
/* The PID a namespace's name carries, or -1 when the name is not one of ours. */
int       tl_real_ns_pid          (const char  *name);
/* Removes the namespaces of dead runs from dir; returns how many. */
guint     tl_real_ns_remove_stale (const char  *dir);

/* The namespaces, their link and addresses; each host's TCP hash table has
 * room for conns connections (1024 buckets at least). */
gboolean  tl_real_net_make        (TlRealNet   *net,
                                   const guint32 addrs[2],
                                   guint        conns,
                                   GError     **error);
void      tl_real_net_destroy     (TlRealNet   *net,
                                   gboolean     keep);
/* Runs in namespace which (0, 1, 2) for the next calls of this thread,
 * until tl_real_net_leave. */
gboolean  tl_real_net_enter       (TlRealNet   *net,
                                   guint        which);
void      tl_real_net_leave       (TlRealNet   *net);
/* A socket made in namespace which. */
int       tl_real_net_socket      (TlRealNet   *net,
                                   guint        which,
                                   int          domain,
                                   int          type,
                                   int          protocol);
/* Writes /proc/sys/KEY in namespace which ("net/ipv4/tcp_syn_retries"). */
gboolean  tl_real_net_sysctl      (TlRealNet   *net,
                                   guint        which,
                                   const char  *key,
                                   const char  *value,
                                   GError     **error);
/* A route on host which to net_addr/prefix_len through the link: through
 * via (a flood's made-up network), or direct (via 0: the other host's
 * address); initcwnd its metric (`ip route ... initcwnd`), 0 for none. */
gboolean  tl_real_net_route_via   (TlRealNet   *net,
                                   guint        which,
                                   guint32      net_addr,
                                   guint8       prefix_len,
                                   guint32      via,
                                   guint32      initcwnd,
                                   GError     **error);

/* ------------------------------------------------------------ sock_diag */

/* One TCP socket of a namespace, as sock_diag shows it (addresses in host
 * byte order; state a TlState, from the kernel's TCP_* value). */
typedef struct
{
  guint32 laddr, raddr;
  guint16 lport, rport;
  guint8  state;
  guint8  mini;          /* a request (SYN_RECV) or time-wait socket */
} TlRealSock;

/* The TCP sockets of the namespace of fd (a NETLINK_SOCK_DIAG socket) in
 * states (a mask of 1 << the kernel's TCP_* states).  Without listeners
 * (1 << 10) the kernel skips its listening table, which every namespace
 * shares: ~1 ms a dump on this machine, against microseconds. */
/* Every state but LISTEN: without the tracepoint the listeners come from
 * the program's calls (tl-real-build.c); the small sockets alone with it. */
#define TL_REAL_DIAG_ALL   (0xffffffffu & ~(1u << 10))
#define TL_REAL_DIAG_SMALL ((1u << 3) | (1u << 5) | (1u << 6) | (1u << 12))
gboolean  tl_real_diag_dump       (int          fd,
                                   guint32      states,
                                   GArray      *socks,
                                   GError     **error);
/* Destroys every TCP socket of that namespace (SOCK_DESTROY); how many. */
guint     tl_real_diag_destroy_all (int         fd);
/* The kernel's TCP_* state to ours (TCP_NEW_SYN_RECV is SYN_RCVD). */
gboolean  tl_real_state_from_kernel (int        kstate,
                                     TlState   *state);
gboolean  tl_real_state_from_name   (const char *name,
                                     TlState    *state);

/* ------------------------------------------------------------ what a run saw */

/* A state change the tracepoint reported; lport 0 before connect() chose one. */
typedef struct
{
  gint64  t;
  guint64 sk;            /* the socket's kernel address (0: not known) */
  guint8  host;
  guint8  from, to;      /* TlState */
  guint16 lport;
  guint32 raddr;         /* in the lesson's addresses */
  guint16 rport;
} TlRealStateEv;

/* One socket seen by one poll. */
typedef struct
{
  gint64     t;
  guint8     host;
  TlRealSock sock;       /* raddr in the lesson's addresses */
} TlRealPollEv;

/* A poll of a host finished at t (its sockets are the TlRealPollEv of t). */
typedef struct
{
  gint64 t;
  guint8 host;
} TlRealPollMark;

/* One segment put on the link, with its fate; arrive_us -1 if it did not. */
typedef struct
{
  gint64  sent_us;
  gint64  arrive_us;
  guint32 id;
  guint8  dir;           /* the sender */
  guint8  fate;          /* TlFate of the segment record */
  guint8  arrive_fate;   /* of its arrival: DELIVERED, or LOST_HOST_DOWN */
  gint64  delay_us;      /* to the arrival, or to the point of loss */
  guint8  flags;
  guint32 seq, ack;
  guint16 len, win, mss;
  guint16 sport, dport;
  guint32 peer_addr;     /* a flood's made-up address, else 0 */
  guint32 stmt;
} TlRealSeg;

/* An application's call or what it saw; lport 0: no connection (a listener
 * or a call that made none). */
typedef struct
{
  gint64  t;
  guint8  host;
  guint8  call;          /* TlCall */
  guint8  error;         /* TlError */
  guint64 value;
  guint16 lport;
  guint32 raddr;
  guint16 rport;
  guint32 stmt;
} TlRealAppEv;

typedef struct
{
  gboolean traced;       /* state changes from the tracepoint (else polls alone) */
  GArray  *states;       /* TlRealStateEv */
  GArray  *polls;        /* TlRealPollEv */
  GArray  *marks;        /* TlRealPollMark */
  GArray  *segs;         /* TlRealSeg */
  GArray  *apps;         /* TlRealAppEv */
  GArray  *others;       /* TlRecord: link, host, say, pause (conn TL_NO_CONN) */
  GPtrArray *texts;      /* per TL_REC_SAY/PAUSE in others: "locale\x1ftext" or NULL */
  gint64   end_us;
  /* The state changes up to here have all been read (G_MAXINT64 without
   * the tracepoint): a poll after it waits for the next read. */
  gint64   complete_us;
  /* tl_real_log_settle's progress: states[0, settled) are in time order
   * with their ports; the program's connects with a port, by host and
   * remote end (of guint16), apps[0, apps_settled) of them; how many of
   * the settled states are a connect()'s first change with a port, by
   * the same key.  generation counts the times an earlier change came
   * late and the whole log was sorted again. */
  guint        settled, apps_settled, generation;
  GHashTable  *connects;
  GHashTable  *connect_states;
} TlRealLog;

void      tl_real_log_init        (TlRealLog   *log);
void      tl_real_log_clear       (TlRealLog   *log);
/* Orders the state changes by time and gives a connect()'s first change,
 * told before its port was chosen (sport 0), the port connect() got. */
void      tl_real_log_settle      (TlRealLog   *log);
/* The trace of what a run saw: connections from the state changes and the
 * polls, segments and calls tied to them, sealed. */
TlTrace  *tl_real_build_trace     (const TlScenario *scenario,
                                   const TlRealLog  *log);
/* Why a connection changed state, from what happened on it then. */
TlCause   tl_real_guess_cause     (TlState      from,
                                   TlState      to,
                                   gboolean     app_abort,
                                   gboolean     app_shutdown,
                                   gboolean     crashed,
                                   gboolean     rst_arrived);

/* The connections so far, to name them (HOST#N) while the run goes on: the
 * numbering tl_real_build_trace gives, from a log that grows.  Each update
 * reads what the log gained since the last (after tl_real_log_settle), up
 * to log->complete_us; *conns is made on the first, and made again from the
 * start when the log's order changed under it. */
typedef struct _TlRealConns TlRealConns;
void      tl_real_conns_update    (TlRealConns     **conns,
                                   const TlScenario *scenario,
                                   const TlRealLog  *log);
void      tl_real_conns_free      (TlRealConns      *conns);
/* host's connection ordinal (0: the last made) at t, as tl_trace_resolve_conn
 * finds it in the trace; FALSE when there is none. */
gboolean  tl_real_conns_find      (const TlRealConns *conns,
                                   guint             host,
                                   guint             ordinal,
                                   gint64            t,
                                   guint16          *lport,
                                   guint32          *raddr,
                                   guint16          *rport);

/* ------------------------------------------------------------ settings */

/* The sysctl of a key ("net/ipv4/tcp_syn_retries") and its value for v, or
 * NULL key for one applied as a socket option (or not at all). */
gboolean  tl_real_key_sysctl      (TlKey        key,
                                   gint64       value,
                                   const char **sysctl,
                                   char       **text);
/* A key's value in s, as a TlSetting holds it. */
gint64    tl_real_settings_value  (const TlSettings *s,
                                   TlKey             key);
/* FALSE (and an error at the statement's place) for a scenario that asks
 * for what Linux has no setting for. */
gboolean  tl_real_check_supported (const TlScenario *scenario,
                                   GError          **error);

/* ------------------------------------------------------------ descriptors */

/* The descriptors a run holds whatever the lesson: stdio, the namespaces,
 * the link's packet sockets, sock_diag, tracefs, epoll, with room to spare. */
#define TL_REAL_FDS_BASE 64

/* How many file descriptors a lesson's programs may hold at once, at most:
 * TL_REAL_FDS_BASE and, statement by statement in time order, what each
 * may open (a connect: its socket and the one its peer accepts; a listen
 * or a flood: one) less what a close or abort gives back (its
 * connection's, once).  *over (may be NULL): the first statement that
 * takes the count past limit, NULL when none does. */
guint64   tl_real_fds_needed      (const TlScenario *scenario,
                                   guint64           limit,
                                   const TlStmt    **over);
/* Raises RLIMIT_NOFILE to what the lesson needs (the hard limit too, up to
 * fs.nr_open, where the process may); *old the limit to put back.  FALSE
 * (TL_REAL_ERROR_UNAVAILABLE, naming FILE:LINE:COLUMN of the statement
 * past the limit) when it cannot be raised that far. */
gboolean  tl_real_fds_raise       (const TlScenario *scenario,
                                   struct rlimit    *old,
                                   GError          **error);

/* Writes text to path (a /proc or tracefs file, in place); FALSE with
 * errno set when it could not. */
gboolean  tl_real_write_file       (const char *path,
                                    const char *text);
/* Parses one line of trace_pipe; FALSE if it is not an inet_sock_set_state
 * line of IPv4 TCP.  Addresses host byte order, t in us of CLOCK_MONOTONIC;
 * *sk the socket's address with the fields option, else 0. */
gboolean  tl_real_parse_trace_line (const char *line,
                                    gint64     *t_us,
                                    guint64    *sk,
                                    guint32    *saddr,
                                    guint16    *sport,
                                    guint32    *daddr,
                                    guint16    *dport,
                                    TlState    *from,
                                    TlState    *to);

G_END_DECLS
