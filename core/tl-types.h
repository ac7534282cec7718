/* tl-types.h: the vocabulary every module shares: TCP states, segment flags,
 * the errors an application sees, durations. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* RFC 9293 section 3.3.2, Figure 5.  Explicit values, with a name table beside. */
typedef enum
{
  TL_STATE_CLOSED      = 0,
  TL_STATE_LISTEN      = 1,
  TL_STATE_SYN_SENT    = 2,
  TL_STATE_SYN_RCVD    = 3,
  TL_STATE_ESTABLISHED = 4,
  TL_STATE_FIN_WAIT_1  = 5,
  TL_STATE_FIN_WAIT_2  = 6,
  TL_STATE_CLOSE_WAIT  = 7,
  TL_STATE_CLOSING     = 8,
  TL_STATE_LAST_ACK    = 9,
  TL_STATE_TIME_WAIT   = 10,
} TlState;

#define TL_N_STATES 11

/* Segment flags as bits.  The format writes a set in the order SYN,FIN,RST,PSH,ACK. */
typedef enum
{
  TL_FLAG_FIN = 1 << 0,
  TL_FLAG_SYN = 1 << 1,
  TL_FLAG_RST = 1 << 2,
  TL_FLAG_PSH = 1 << 3,
  TL_FLAG_ACK = 1 << 4,
} TlFlags;

/* What an application sees; the values are ours, the names are POSIX's. */
typedef enum
{
  TL_ERR_NONE         = 0,
  TL_ERR_ECONNREFUSED = 1,
  TL_ERR_ECONNRESET   = 2,
  TL_ERR_ETIMEDOUT    = 3,
  TL_ERR_EPIPE        = 4,
  TL_ERR_EADDRNOTAVAIL = 5,   /* connect(): no free local port, or the 4-tuple taken */
  TL_ERR_ENOTCONN     = 6,    /* shutdown() on a socket whose connection is over */
  TL_ERR_EADDRINUSE   = 7,    /* connect() from a port a listener of the host holds */
} TlError;

#define TL_N_ERRORS 8

#define TL_USEC_PER_MSEC G_GINT64_CONSTANT (1000)
#define TL_USEC_PER_SEC  G_GINT64_CONSTANT (1000000)

/* The index of name in a table of n names, ignoring ASCII case, or -1. */
int         tl_name_index        (const char * const *names,
                                  guint               n,
                                  const char         *name);
const char *tl_state_name        (TlState      state);
gboolean    tl_state_from_name   (const char  *name,
                                  TlState     *state);
const char *tl_error_name        (TlError      error);
gboolean    tl_error_from_name   (const char  *name,
                                  TlError     *error);
/* Writes "SYN,ACK" into buf (at least 24 bytes); "none" for no flags. */
const char *tl_flags_to_string   (guint8       flags,
                                  char        *buf);
/* Parses a comma-joined set; FALSE on an unknown flag or a repeated one. */
gboolean    tl_flags_from_string (const char  *text,
                                  guint8      *flags);
/* "420ms", "1.5s", "2min", "250us": the shortest exact spelling. */
char       *tl_duration_to_string (gint64      us);

G_END_DECLS
