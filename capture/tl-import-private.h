/* tl-import-private.h: the import's working tables, shared by its files. */
#pragma once

#include "tl-import.h"
#include "tl-trace-collect.h"

G_BEGIN_DECLS

/* One segment of the capture, on its connection. */
typedef struct
{
  guint32  pkt;          /* index in capture->packets */
  guint32  conn;         /* index in import->conns */
  guint32  prev;         /* a retransmission: index + 1 of the copy before it, else 0 */
  guint8   side;         /* which side of its connection sent it */
  guint8   fate;         /* TlFate */
  gboolean retrans;
  gint64   send_us;      /* trace times */
  gint64   arrive_us;
} TlImportSeg;

/* One incarnation of a 4-tuple.  Side 0 sent its first segment. */
typedef struct
{
  TlAddr   addr[2];
  guint16  port[2];
  guint    host[2];      /* the trace's host of each side (when shown) */
  gboolean third[2];     /* this side is neither host: a flood's address */
  gboolean shown;        /* in the trace */
  gboolean has_syn[2];
  guint32  syn_seq[2];
  gboolean sent_more[2]; /* anything but a SYN */
  gboolean answered[2];  /* sent a SYN,ACK */
  gboolean fin[2];
  gboolean ended;        /* RST, or FINs both ways */
  guint    prev, next;   /* incarnations of the same tuple, or G_MAXUINT */
  guint    first_pkt;
  guint32  end[2];       /* index in import->ends, or TL_NO_CONN */
  GArray  *segs;         /* of guint32: indices in import->segs, capture order */
} TlImportConn;

/* One end of a connection (or a listener) being replayed. */
typedef struct
{
  guint    host;
  gboolean listener;
  gboolean exists;       /* left CLOSED once: a connection in the trace */
  gboolean joined;
  gboolean active;       /* sent the SYN */
  gboolean cookie;       /* its SYN,ACK was a SYN cookie: no state until the ACK */
  guint8   state;        /* TlState */
  gboolean fin_sent, fin_rcvd;
  guint32  fin_seq;
  guint32  iss, irs;
  guint    attempt;      /* retransmissions so far */
  gint64   created_us;
  gint64   time_wait_us;
  guint32  parent;       /* the listener's end, or TL_NO_CONN */
  guint16  local_port, remote_port;
  TlAddr   remote_addr;
  guint8   opt_offer;    /* TlOptBits its SYN (or SYN,ACK) carried, if captured */
  guint8   opt_agreed;   /* those both SYNs carried */
  guint8   wscale;
  guint32  ts_off;       /* its SYN's TSval less its send time in ms */
  GArray  *changes;      /* of guint32: its STATE records in import->pending (their
                            conn an end's index, mapped when the trace is built) */
} TlImportEnd;

G_END_DECLS
