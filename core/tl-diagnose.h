/* tl-diagnose.h: counts a socket table and names its troubles.
 *
 * The findings have fixed ids (the set below, documented in README.md's
 * "Diagnosing a real socket table"), each with the service it concerns, the
 * numbers that make it, and the lesson that shows it.  The words are the
 * caller's (diagnose/tl-diagnose-text.c); here are only the facts.
 *
 * A "service" is where the sockets meet: a port this machine listens on
 * (local), or, for this machine's own connections out, the peer's address and
 * port (remote).  A table without its listeners (`ss -tn` without -a) has
 * only remote services.
 */
#pragma once

#include <glib.h>

#include "tl-socktable.h"

G_BEGIN_DECLS

typedef enum
{
  TL_FINDING_SYN_FLOOD         = 0,
  TL_FINDING_ACCEPT_QUEUE_FULL = 1,
  TL_FINDING_CLOSE_WAIT_LEAK   = 2,
  TL_FINDING_TIME_WAIT_PILEUP  = 3,
  TL_FINDING_SYN_SENT_STUCK    = 4,
  TL_FINDING_FIN_WAIT_2_STUCK  = 5,
  TL_FINDING_HALF_OPEN_SUSPECT = 6,
} TlFindingId;

#define TL_N_FINDINGS 7

/* Thresholds, from the real tables of tests/socktables/ (its README.md says
 * what each healthy and troubled table held). */
/* SYN_RCVD lasts one round trip for a real client: the healthy busy server
 * (200 clients, 300 new connections in 4 s) showed none; a flood fills the
 * SYN queue to backlog + 1 (129 for listen(fd, 128)). */
#define TL_DIAG_SYN_FLOOD_MIN      32
/* Without a backlog in the table (netstat shows a listener's Send-Q as 0):
 * this many connections waiting for accept() at one moment; a listener whose
 * application accepts shows 0. */
#define TL_DIAG_ACCEPT_QUEUE_MIN   8
/* CLOSE_WAIT lasts from the peer's FIN to the application's close(): none
 * in the healthy tables. */
#define TL_DIAG_CLOSE_WAIT_MIN     10
/* TIME_WAIT lasts 60 s on Linux: 500 toward one service is a new connection
 * every 120 ms closed first by this side; 1.8% of the 28,232 ports of the
 * default ephemeral range (32768-60999).  The healthy client held 300. */
#define TL_DIAG_TIME_WAIT_MIN      500
/* A connect() to a live peer leaves SYN_SENT within a round trip. */
#define TL_DIAG_SYN_SENT_MIN       3
/* An orphaned FIN_WAIT_2 lasts tcp_fin_timeout (60 s); many toward one
 * service mean the peer application does not close: its CLOSE_WAIT leak. */
#define TL_DIAG_FIN_WAIT_2_MIN     10
/* ESTABLISHED connections to one peer address that look dead: with timers
 * (ss -o, the kernel), at least TL_DIAG_HALF_OPEN_RETRANS retransmissions or
 * TL_DIAG_HALF_OPEN_PROBES unanswered keepalive probes; without, unsent data
 * waiting (Send-Q > 0), which a busy transfer shows too: a suspicion. */
#define TL_DIAG_HALF_OPEN_MIN      3
#define TL_DIAG_HALF_OPEN_RETRANS  3
#define TL_DIAG_HALF_OPEN_PROBES   2

/* Peers listed in a finding; the rest are counted. */
#define TL_DIAG_MAX_PEERS 5

typedef struct
{
  TlFindingId id;
  gboolean    remote;           /* the service is a peer's (this machine connects to it) */
  char        addr[TL_SOCK_ADDR_LEN]; /* remote service's or half-open peer's address, else "" */
  guint16     port;             /* the service's port; 0 when the sockets go to several */
  guint       count;            /* sockets that make the finding */
  guint       threshold;        /* the count (or queue) it took */
  guint       n_peers;          /* distinct peer addresses among them */
  GPtrArray  *peers;            /* up to TL_DIAG_MAX_PEERS "ADDR:PORT" (ss's form), most frequent address first */
  /* Evidence; 0 where it does not apply or is unknown. */
  guint       backlog;          /* the listener's backlog (ss's Send-Q of LISTEN) */
  guint       queued;           /* the listener's accept queue (Recv-Q of LISTEN) */
  guint       established;      /* ESTABLISHED sockets of the same service */
  guint       max_retrans;      /* highest retransmission or probe count (timers known) */
  guint       with_data;        /* of count: sockets with data queued (Send-Q, or CLOSE_WAIT's unread Recv-Q) */
  guint64     bytes;            /* those bytes, summed */
  gboolean    timers;           /* the table showed timers (ss -o or the kernel) */
  const char *process;          /* a process of the service, or NULL (owned by the table) */
  guint       pid;
} TlFinding;

typedef struct
{
  guint16 port;
  guint   counts[TL_N_STATES];  /* sockets on this local port, by state */
  guint   queued;               /* summed over its listeners */
  guint   backlog;
} TlPortCounts;

typedef struct
{
  guint      n_sockets;
  guint      counts[TL_N_STATES];
  GArray    *ports;             /* of TlPortCounts, each listening port, ascending */
  GPtrArray *findings;          /* of TlFinding, by id, then by count (most first) */
} TlDiagnosis;

/* The table must outlive the diagnosis (process names are the table's). */
TlDiagnosis *tl_diagnose              (const TlSockTable *table);
void         tl_diagnosis_free        (TlDiagnosis       *diagnosis);
/* "syn-flood", ... */
const char  *tl_finding_name          (TlFindingId        id);
gboolean     tl_finding_from_name     (const char        *name,
                                       TlFindingId       *id);
/* The shipped lesson that shows it: "syn-flood.lesson". */
const char  *tl_finding_lesson        (TlFindingId        id);
/* The state whose sockets make it. */
TlState      tl_finding_state         (TlFindingId        id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlDiagnosis, tl_diagnosis_free)

G_END_DECLS
