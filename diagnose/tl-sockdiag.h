/* tl-sockdiag.h: this machine's TCP sockets, read from the kernel as ss does
 * (NETLINK_SOCK_DIAG, Linux only).  No privilege is needed for the table;
 * process names come from /proc/PID/fd where this user may look. */
#pragma once

#include <glib.h>

#include "tl-socktable.h"

G_BEGIN_DECLS

#define TL_SOCKDIAG_ERROR (tl_sockdiag_error_quark ())

typedef enum
{
  TL_SOCKDIAG_ERROR_UNSUPPORTED,  /* not Linux, or no sock_diag in this kernel */
  TL_SOCKDIAG_ERROR_FAILED,       /* the kernel refused; the message is strerror's */
} TlSockdiagError;

GQuark       tl_sockdiag_error_quark (void);
/* Linux's TCP state s (include/net/tcp_states.h; TCP_NEW_SYN_RECV, a
 * request, is SYN_RCVD) as RFC 9293's; FALSE for a number that is none. */
gboolean     tl_sockdiag_linux_state (guint8     s,
                                      TlState   *state);

/* Every IPv4 and IPv6 TCP socket of this network namespace, in all states,
 * with queues and timers; with_processes: names and pids too (a walk of
 * /proc, the costly part).  Format TL_SOCK_FORMAT_KERNEL. */
TlSockTable *tl_sockdiag_read        (gboolean   with_processes,
                                      GError   **error);

G_END_DECLS
