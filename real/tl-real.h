/* tl-real.h: a lesson played on the running Linux kernel, in real time.
 *
 * Three network namespaces of its own (the two hosts and the link between
 * them, named tcplab-PID-a, -b and -link), joined by veth pairs; the link is
 * this program's forwarder (AF_PACKET sockets in the link namespace), which
 * applies the lesson's link model and records every segment it is given;
 * the applications are real sockets driven by the lesson's statements; the
 * states come from the kernel (the tracepoint sock:inet_sock_set_state, or
 * sock_diag polling where tracing is not available).  The result is a trace
 * of the simulator's format (tl-trace.h), so every view, writer and
 * tl_check_expectations() reads it.
 *
 * Beside core/, which stays pure: this module reads the clock, makes
 * namespaces and sends packets.  It never prints; errors are GErrors in
 * the user's language.
 */
#pragma once

#include <gio/gio.h>

#include "tl-scenario.h"
#include "tl-trace.h"

G_BEGIN_DECLS

#define TL_REAL_ERROR (tl_real_error_quark ())

typedef enum
{
  TL_REAL_ERROR_UNAVAILABLE,   /* no privileges, namespaces or tracing: cannot start (exit 77) */
  TL_REAL_ERROR_UNSUPPORTED,   /* the lesson asks for what Linux has no setting for */
  TL_REAL_ERROR_SETUP,         /* a namespace, link or setting could not be made */
  TL_REAL_ERROR_CANCELLED,     /* the GCancellable fired (or SIGINT/SIGTERM) */
  TL_REAL_ERROR_FAILED,        /* the run itself went wrong */
} TlRealError;

typedef struct
{
  gboolean    keep_namespaces;   /* leave the namespaces after the run, for a look with `ip netns` */
  const char *pcap_path;         /* NULL, or a pcap file to write the trace's segments to
                                    (core's writer, tl-pcap.h; replaced if it exists) */
} TlRealOptions;

GQuark    tl_real_error_quark (void);

/* TRUE when a real run can start here: privileges (root, or CAP_NET_ADMIN
 * and CAP_NET_RAW, e.g. by `setcap cap_net_admin,cap_net_raw+ep`, or an
 * unprivileged user + network namespace), network namespaces, veth.  Else
 * FALSE and an error (TL_REAL_ERROR_UNAVAILABLE) that says what is needed. */
gboolean  tl_real_available   (GError          **error);

/* Plays scenario on the kernel, in real time (as long as the lesson, plus
 * about a second to set up), and returns a sealed trace.  Refuses, before
 * anything is made, a lesson that asks for a setting Linux does not have
 * (TL_REAL_ERROR_UNSUPPORTED, naming FILE:LINE:COLUMN, or FILE for a setup
 * line).  Cleans up on every path out; namespaces left by a run that died
 * are removed at the next start.  cancel may be NULL (it is looked at every
 * millisecond at least).  It may run in a worker thread (GTask): namespaces
 * are entered per thread, and the thread asks for real-time scheduling for
 * the run's length.  While it runs, SIGINT and SIGTERM stop it cleanly
 * instead of the process (the handlers before are put back).  Unprivileged,
 * through a user namespace, only a single-threaded process can start one
 * (unshare(2) refuses others). */
TlTrace  *tl_real_play        (const TlScenario     *scenario,
                               const TlRealOptions  *opts,
                               GCancellable         *cancel,
                               GError              **error);

G_END_DECLS
