/* tl-real-run.h: one real run's state, shared by the files of the loop:
 * tl-real.c (set-up, statements, the loop), tl-real-link.c (the
 * forwarder and floods), tl-real-app.c (the programs' sockets),
 * tl-real-tracefs.c (the kernel's state changes). */
#pragma once

#include "tl-real-private.h"

#include "tl-link.h"
#include "tl-rng.h"

G_BEGIN_DECLS

#define TL_REAL_MAX_FRAME 2048

typedef enum
{
  TL_REAL_SOCK_LISTENER,
  TL_REAL_SOCK_CONNECTING,
  TL_REAL_SOCK_CONN,
} TlRealSockKind;

typedef struct
{
  int      fd;
  TlRealSockKind kind;
  guint16  lport;
  guint32  raddr;        /* the lesson's address */
  guint16  rport;
  gboolean eof;
  gboolean dead;
  gboolean hup;          /* POLLHUP: both ways shut; asked again only at the polls */
  guint64  pending;      /* bytes the program still has to write */
  gboolean watched;      /* in the run's epoll set, for events */
  gboolean hup_listed;   /* in its host's hups */
  guint32  events;
} TlRealAppSock;

typedef struct
{
  TlSettings settings;
  GArray    *socks;      /* of TlRealAppSock */
  GArray    *listeners;  /* indices in socks of the listeners, in order */
  GArray    *hups;       /* indices in socks of those shut both ways (hup) */
  int        diag;       /* NETLINK_SOCK_DIAG in its namespace */
  gboolean   crashed;
  gint64     next_poll;
  gint64     poll_took;  /* the last dump's time, us */
  guint      poll_socks; /* and how many sockets it had */
} TlRealHost;

typedef struct
{
  gint64  due;
  guint   seg;           /* index in log.segs */
  guint8  to;
  guint16 len;
  guint8  frame[TL_REAL_MAX_FRAME];
} TlRealFlight;

typedef struct
{
  guint    target;
  guint16  port;
  guint    count, sent;
  guint32  rate;
  gint64   start;
  guint32  net_addr, host_mask;
  guint32  stmt;
  int      fd;           /* raw, in the other host's namespace */
} TlRealFlood;

typedef struct
{
  const TlScenario *sc;
  TlRealNet   net;
  gboolean    net_made;
  TlRealLog   log;
  TlRealConns *conns;    /* the connections so far, to name them (NULL until the first name) */
  guint32     addr[2];   /* the kernel's */
  gint64      t0_ns;
  gint64      rt_offset_ns;  /* CLOCK_REALTIME - CLOCK_MONOTONIC, for packet stamps */
  int         pkt[2];
  int         epfd;      /* the programs' sockets (epoll: 56,000 of them, one port range both ways) */
  TlLink      link;
  TlRng       rng;
  GPtrArray  *flights;   /* of TlRealFlight*, unordered */
  guint32     next_id;
  TlRealHost        host[2];
  GArray     *floods;
  TlRng       flood_rng;
  int         trace_fd;
  char       *instance;
  char       *tracefs_mount; /* our own mount of tracefs, where none was */
  GString    *trace_buf;
  guint       next_stmt;
  guint32     cur_stmt;  /* index + 1 */
  gint64      end_us;
  gboolean    ended;
} TlRealRun;

gint64         tl_real_now_us        (const TlRealRun *run);
/* The lesson's address of a kernel's one (a flood's made-up ones stay). */
guint32        tl_real_lesson_addr   (const TlRealRun *run,
                                      guint32          addr);
int            tl_real_host_of_addr  (const TlRealRun *run,
                                      guint32          addr);
void           tl_real_poll_host     (TlRealRun       *run,
                                      guint            h);
typedef enum
{
  TL_REAL_POLL_IF_DUE,     /* its time has come (POLL_US, or further apart
                            * for a dump that takes long) */
  TL_REAL_POLL_IF_CHEAP,   /* that, or its dumps take no time to speak of */
  TL_REAL_POLL_NOW,        /* whatever it costs */
} TlRealPollWhen;

void           tl_real_poll_due      (TlRealRun       *run,
                                      guint            h,
                                      TlRealPollWhen   when);

/* tl-real-tracefs.c: an instance of our own for sock:inet_sock_set_state. */
gboolean       tl_real_tracefs_start (TlRealRun       *run);
void           tl_real_tracefs_stop  (TlRealRun       *run);
void           tl_real_tracefs_read  (TlRealRun       *run);

/* tl-real-link.c: frames between the link's two ends, floods. */
void           tl_real_link_read     (TlRealRun       *run,
                                      guint            from);
void           tl_real_link_deliver  (TlRealRun       *run,
                                      gint64           now);
guint          tl_real_link_wire     (TlRealRun       *run,
                                      const TlStmt    *st,
                                      gint64           now);
void           tl_real_floods_run    (TlRealRun       *run,
                                      gint64           now,
                                      gint64          *next);

/* tl-real-app.c: the programs, as the lesson's statements drive them. */
void           tl_real_app_record    (TlRealRun           *run,
                                      guint                h,
                                      TlCall               call,
                                      TlError              error,
                                      guint64              value,
                                      const TlRealAppSock *s);
TlRealAppSock *tl_real_app_listener  (TlRealRun       *run,
                                      guint            h,
                                      guint16          port);
void           tl_real_app_close     (TlRealAppSock   *s);
gboolean       tl_real_app_accept    (TlRealRun       *run,
                                      guint            h,
                                      guint16          port,
                                      TlCall           call);
void           tl_real_app_listen    (TlRealRun       *run,
                                      guint            h,
                                      const TlStmt    *st);
void           tl_real_app_connect   (TlRealRun       *run,
                                      guint            h,
                                      const TlStmt    *st);
void           tl_real_app_conn_stmt (TlRealRun       *run,
                                      const TlStmt    *st);
void           tl_real_app_wipe      (TlRealRun       *run,
                                      guint            h);
/* Puts s in the run's epoll set for what its program waits for now, or
 * takes it out (closed, dead, or shut both ways: then in its host's hups). */
void           tl_real_app_watch     (TlRealRun       *run,
                                      guint            h,
                                      TlRealAppSock   *s);
/* What s's program waits for now (POLLIN, POLLOUT; 0: errors alone). */
short          tl_real_app_wants     (const TlRealRun     *run,
                                      guint                h,
                                      const TlRealAppSock *s);
void           tl_real_app_event     (TlRealRun       *run,
                                      guint            h,
                                      guint            i,
                                      short            revents);

G_END_DECLS
