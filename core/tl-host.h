/* tl-host.h: one host: its settings, its sockets (demultiplexed by the
 * 4-tuple), its listeners with their SYN and accept queues, SYN cookies,
 * crash and reboot. */
#pragma once

#include <glib.h>

#include "tl-tcp.h"

G_BEGIN_DECLS

typedef struct
{
  guint       index;
  guint32     addr;
  TlSettings  settings;
  gboolean    crashed;
  GHashTable *conns;          /* guint64 key -> TlTcb: connections (not listeners) */
  GHashTable *by_conn;        /* trace connection index -> TlTcb: every socket */
  GHashTable *listeners;      /* port -> TlTcb: listeners */
  GHashTable *metrics;        /* peer address -> its RTT in us scaled by 8 (guint32):
                                 Linux's TCP metrics cache (tl-tcp-metrics.c) */
  GHashTable *held_closed;    /* trace connection indexes: connections gone while the
                                 application still holds their socket (reset, timed
                                 out, refused, TIME_WAIT over), until it closes it */
  GQueue      listen_order;   /* of TlTcb: listeners in creation order */
  GHashTable *port_use;       /* guint64 (remote addr << 16 | remote port) -> number of
                                 connections to it from a port of use_first..use_last */
  guint16     use_first;      /* the ephemeral range port_use counts: the settings' */
  guint16     use_last;       /* port_range, counted again when a `set` changes it */
  TlTcb      *first;          /* every socket, listeners too, in creation order */
  TlTcb      *last;
  guint32     n_ordinals;     /* connections created so far: HOST#N */
  guint64     cookie_secret;
  guint       boots;          /* reboots so far: a new boot, new timestamp offsets */
  /* the host-wide challenge ACK limit (Linux's tcp_challenge_timestamp and
   * tcp_challenge_count): the second they were drawn for, -1 before any */
  gint64      challenge_second;
  guint32     challenge_left;
  guint64     probes;         /* listeners and ports looked at by tl_host_listener and
                                 tl_host_ephemeral_port: their work (tl_sim_n_probes) */
} TlHost;

static inline guint64
tl_host_key (guint32 remote_addr,
             guint16 remote_port,
             guint16 local_port)
{
  return ((guint64) remote_addr << 32) | ((guint64) remote_port << 16) | local_port;
}

void     tl_host_init          (TlHost          *host,
                                guint            index,
                                guint32          addr,
                                const TlSettings *settings,
                                guint64          cookie_secret);
void     tl_host_clear         (TlHost          *host);

/* A new socket on host, linked in its list (and in its table when it is a
 * connection), with a trace connection of its own. */
TlTcb   *tl_host_new_socket    (TlSim           *sim,
                                guint            host,
                                gboolean         listener,
                                guint16          local_port,
                                guint32          remote_addr,
                                guint16          remote_port,
                                TlTcb           *parent);
/* Unlinks and frees; the caller has closed it (tl_tcb_close). */
void     tl_host_free_socket   (TlSim           *sim,
                                TlTcb           *tcb);
/* The listener on port (0: the first one made), or NULL; constant time. */
TlTcb   *tl_host_listener      (TlHost          *host,
                                guint16          port);
TlTcb   *tl_host_by_conn       (TlHost          *host,
                                guint32          conn);
/* A free local port in the ephemeral range for a connection to remote
 * (Linux's ip_local_port_range), or 0 when every one is taken (connect()
 * fails with EADDRNOTAVAIL).  Constant time when the range is full,
 * expected constant time otherwise. */
guint16  tl_host_ephemeral_port (TlSim          *sim,
                                 guint           host,
                                 guint32         remote_addr,
                                 guint16         remote_port);
/* The ISN of a new connection of host h on the 4-tuple key. */
guint32  tl_host_new_isn       (TlSim           *sim,
                                guint            h,
                                const TlSettings *settings,
                                guint64          key);
/* A SYN for a listener (RFC 9293 section 3.10.7.2): a request in its SYN
 * queue, or a cookie.  tw_isn: the ISN a TIME_WAIT gave way with, or 0. */
void     tl_host_listen_syn    (TlSim           *sim,
                                TlTcb           *listener,
                                const TlSegment *seg,
                                guint32          tw_isn);

/* A segment reached host: demultiplex it, or answer it as 3.10.7.1 says. */
void     tl_host_receive       (TlSim           *sim,
                                guint            host,
                                const TlSegment *seg);
void     tl_host_crash         (TlSim           *sim,
                                guint            host);
void     tl_host_reboot        (TlSim           *sim,
                                guint            host);
/* A listener closes: its requests and unaccepted connections are reset. */
void     tl_host_close_listener (TlSim          *sim,
                                 TlTcb          *listener,
                                 TlCause         cause);
/* The application takes one connection from the accept queue, or NULL;
 * recorded as call (TL_CALL_ACCEPT, or TL_CALL_ACCEPTED for autoaccept). */
TlTcb   *tl_host_accept        (TlSim           *sim,
                                TlTcb           *listener,
                                TlCall           call);

G_END_DECLS
