/* tl-test-util.h: building scenarios in C and finding what happened in the
 * trace, for the simulator's tests. */
#pragma once

#include <check.h>

#include "tl-sim.h"

#define TL_MS(x) ((gint64) (x) * TL_USEC_PER_MSEC)
#define TL_S(x)  ((gint64) (x) * TL_USEC_PER_SEC)

#define TL_CLIENT 0
#define TL_SERVER 1
#define TL_CLIENT_ISN 1000u
#define TL_SERVER_ISN 5000u

/* client 10.0.0.1 (ISN 1000), server 10.0.0.2 (ISN 5000), link delay 20 ms. */
TlScenario *tl_test_scenario      (void);
/* Host's settings to the RFC profile, keeping its test ISN. */
void        tl_test_rfc_profile   (TlScenario *sc, guint host);
/* The usual start: the server listens on port 80 at 0 ms, the client connects at 10 ms. */
void        tl_test_open          (TlScenario *sc);
void        tl_test_listen        (TlScenario *sc, gint64 t, guint host, guint16 port);
void        tl_test_connect       (TlScenario *sc, gint64 t, guint host, guint16 port, guint16 from_port);
/* SEND, READ, CLOSE, SHUTDOWN, ABORT on HOST#ordinal (0: the most recent). */
void        tl_test_conn          (TlScenario *sc, gint64 t, TlStmtKind kind, guint host,
                                   guint ordinal, guint64 bytes);
/* CRASH, REBOOT, ACCEPT (port 0), END */
void        tl_test_host          (TlScenario *sc, gint64 t, TlStmtKind kind, guint host);
void        tl_test_drop          (TlScenario *sc, gint64 t, int dir, guint8 flags, guint count);
/* `drop next` (TL_STMT_DROP) or `duplicate next` (TL_STMT_DUPLICATE_NEXT). */
void        tl_test_next          (TlScenario *sc, gint64 t, TlStmtKind kind, int dir,
                                   guint8 flags, guint count);
/* LOSE or DUPLICATE in dir: segments with flags (any: every segment) on the wire at t. */
void        tl_test_wire          (TlScenario *sc, gint64 t, TlStmtKind kind, int dir,
                                   guint8 flags, gboolean any);
void        tl_test_link_down     (TlScenario *sc, gint64 t, int dir, gboolean down);
void        tl_test_flood         (TlScenario *sc, gint64 t, guint target, guint16 port,
                                   guint count, guint32 rate);

/* Segment records (TL_REC_SEGMENT, not a copy of an earlier one) sent by host
 * (-1: both), in order. */
GPtrArray  *tl_test_segments      (const TlTrace *trace, int host);
/* Segment i of segs. */
const TlRecord *tl_test_seg       (GPtrArray *segs, guint i);
guint32     tl_test_seg_ack       (GPtrArray *segs, const TlRecord *r);
/* Asserts segment i of segs: flags, seq and ack relative to the ISNs. */
#define tl_test_assert_seg(segs, i, host, flags, rseq, rack) \
  tl_test_assert_seg_at (__FILE__, __LINE__, segs, i, host, flags, rseq, rack)
void        tl_test_assert_seg_at (const char *file, int line, GPtrArray *segs, guint i,
                                   guint host, guint8 flags, guint32 rseq, guint32 rack);
/* The state of HOST#ordinal at t. */
TlState     tl_test_state         (const TlTrace *trace, guint host, guint ordinal, gint64 t);
/* The first STATE record of host#ordinal going to `to`, its time, or -1. */
gint64      tl_test_state_time    (const TlTrace *trace, guint host, guint ordinal, TlState to);
/* The last app record with an error on HOST#ordinal, or TL_ERR_NONE. */
TlError     tl_test_error         (const TlTrace *trace, guint host, guint ordinal);
/* Times of TIMER records of this kind and action on host. */
GArray     *tl_test_timer_times   (const TlTrace *trace, guint host, TlTimerKind timer,
                                   TlTimerAction action);
char       *tl_test_trace_text    (const TlTrace *trace);
/* A lesson's text parsed as test.lesson, failing the test with the
 * parser's error when it does not parse. */
TlScenario *tl_test_parse         (const char *text);
/* The trace of a lesson's text (tl_test_parse). */
TlTrace    *tl_test_simulate_text (const char *text);
/* The trace of the sweep's usual lesson: client 10.0.0.1 and server
 * 10.0.0.2 over a 50 ms link, SETUP's lines (settings, a link line) after
 * the link's, the server listening on port 80 at 0 ms, the client
 * connecting at 100 ms, then TIMED's lines (each ending in a newline). */
TlTrace    *tl_test_simulate_pair (const char *setup, const char *timed);
/* How tl_test_acks_in writes each ACK. */
typedef enum
{
  TL_TEST_ACKS_MS   = 0,        /* "MS:WINDOW" */
  TL_TEST_ACKS_USEC = 1 << 0,   /* "MS.USEC:WINDOW" */
  TL_TEST_ACKS_SACK = 1 << 1,   /* its SACK blocks after it, [START-END] from the peer's ISN */
} TlTestAcks;
/* host's ACKs without data (flags ACK alone) sent in [from_ms, to_ms), each
 * with the window field its header carries, one after another with a space. */
char       *tl_test_acks_in       (const TlTrace *trace, guint host, gint64 from_ms, gint64 to_ms,
                                   TlTestAcks how);
/* The segments of tl_test_segments() that carry data, in order. */
GPtrArray  *tl_test_data_segments (const TlTrace *trace, int host);
