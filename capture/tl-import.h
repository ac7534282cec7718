/* tl-import.h: a capture turned into a trace, with both ends' states inferred.
 *
 * The segments are grouped into connections by their 4-tuple (a SYN on a
 * tuple whose connection has ended starts a new one); two hosts are chosen
 * (the pair of addresses with the most connections, or the caller's); the
 * one-way delay from the capture point to each host is estimated from the
 * handshakes, so that each segment gets a send time at its sender and an
 * arrival time at its receiver; then each end's states are replayed from
 * its own segments (at their send times) and its peer's (at their arrival
 * times), by RFC 9293's rules.  The trace is of the simulator's format, so
 * every view, checker and writer works on it.
 */
#pragma once

#include <glib.h>

#include "tl-capture.h"
#include "tl-scenario.h"
#include "tl-trace.h"

G_BEGIN_DECLS

typedef enum
{
  TL_CAPTURE_POINT_UNKNOWN,   /* no complete handshake: times taken as captured */
  TL_CAPTURE_POINT_CLOSE,     /* both hosts within 0.2 ms of the capture point */
  TL_CAPTURE_POINT_HOST0,     /* at (or near) host 0 */
  TL_CAPTURE_POINT_HOST1,
  TL_CAPTURE_POINT_MIDDLE,    /* on the path between them */
} TlCapturePoint;

/* Linux's TIME_WAIT (TCP_TIMEWAIT_LEN): 2*MSL with MSL 30 s. */
#define TL_IMPORT_TIME_WAIT_US (G_GINT64_CONSTANT (60) * TL_USEC_PER_SEC)


typedef struct
{
  TlAddr          hosts[2];        /* host 0 opened the first connection */
  gint64          delay_us[2];     /* one way, from the capture point to each host */
  gint64          path_us;         /* one way between the hosts as measured (the sum of
                                      the two delays, kept when they are taken as 0
                                      for a capture close to both): the lesson's link */
  TlCapturePoint  point;
  guint           n_handshakes;    /* the complete handshakes the delays come from */
  guint           n_conns;         /* connections between the two hosts */
  guint           n_joined;        /* of those, joined after their handshake */
  guint           n_half_open;     /* SYNs from other addresses (a flood) */
  guint           n_cookies;       /* SYNs answered with a SYN cookie: no state kept */
  guint           n_left_out;      /* connections of other pairs, not shown */
  guint           n_segments;      /* segments in the trace */
  guint           n_retransmitted;
  guint           n_lost;          /* segments taken as lost (retransmitted unacknowledged) */
  gint64          capture_end_us;  /* the last packet's time */
  TlTrace        *trace;           /* sealed; steal it with g_steal_pointer */

  /* private (tl-import-private.h) */
  const TlCapture *capture;        /* not owned */
  gint64          base_us;         /* trace time of the capture's first packet */
  GArray         *conns;           /* of TlImportConn */
  GArray         *segs;            /* of TlImportSeg */
  GArray         *ends;            /* of TlImportEnd */
  struct _TlTraceCollector *pending; /* the records before sorting (core/tl-trace-collect.h) */
  GArray         *shared;          /* of TlTraceSegment, by segment id: what its records share */
  GArray         *peers;           /* of guint32, by segment id: a third address (a flood's;
                                      1 for an IPv6 one until build_trace numbers it), or 0 */
  GHashTable     *listeners;       /* host << 16 | port -> end */
  guint64         cause;           /* of the records being made (TlImportPending) */
} TlImport;

/* hosts: NULL to choose, or the two addresses (host 0 first).  FALSE (and
 * an error) if the capture holds no connection between two hosts, or none
 * with those addresses. */
TlImport   *tl_import_new          (const TlCapture  *capture,
                                    const TlAddr     *hosts,
                                    GError          **error);
void        tl_import_free         (TlImport         *import);
/* A lesson that replays the capture's application calls (listen, connect,
 * send, close, abort at their times) on a link with the delay measured and
 * the losses seen.  Its expectations are the states the import inferred. */
TlScenario *tl_import_to_scenario  (const TlImport   *import,
                                    const char       *title);
/* FALSE, with why (TL_CAPTURE_ERROR_NO_LESSON), when no lesson can say the
 * capture: its hosts are IPv6, and a lesson's hosts have IPv4 addresses
 * (lessons/README.md).  tl_import_to_scenario would give them the lesson's
 * own IPv4 addresses, which is no replay of the capture. */
gboolean    tl_import_lesson_possible (const TlImport *import,
                                       GError        **error);
/* One line for people: where the capture was taken and what it holds. */
char       *tl_import_describe     (const TlImport   *import);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlImport, tl_import_free)

G_END_DECLS
