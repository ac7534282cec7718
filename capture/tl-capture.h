/* tl-capture.h: the TCP segments of a capture file (pcap or pcapng), read
 * with libpcap.
 *
 * Link types: Ethernet (with 802.1Q/802.1ad tags), Linux cooked v1 and v2,
 * raw IP, and BSD loopback (null/loop); IPv4 and IPv6.  A packet cut short by
 * the capture's snap length keeps what its headers say (the IP total length
 * gives the segment's length), so `tcpdump -s 96` captures import whole.
 * Anything else (other protocols, fragments, headers cut off) is counted and
 * skipped.  A file cut short in the middle of a packet keeps the packets
 * before it and says so (truncated).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TL_CAPTURE_ERROR (tl_capture_error_quark ())

typedef enum
{
  TL_CAPTURE_ERROR_OPEN,        /* cannot open or read the file */
  TL_CAPTURE_ERROR_NOT_REGULAR, /* a directory, a FIFO, a device */
  TL_CAPTURE_ERROR_FORMAT,      /* not a pcap or pcapng capture, or corrupt headers */
  TL_CAPTURE_ERROR_LINK_TYPE,   /* a link type we cannot read */
  TL_CAPTURE_ERROR_TOO_LARGE,   /* over TL_CAPTURE_MAX_SEGMENTS TCP segments */
  TL_CAPTURE_ERROR_NO_TCP,      /* a good capture without one TCP segment */
  TL_CAPTURE_ERROR_NO_LESSON,   /* a lesson cannot say it (IPv6 hosts) */
} TlCaptureError;

/* A bound that keeps memory finite: at most four trace records a segment
 * stay under the lesson budget's 10^7 records (core/tl-budget.h). */
#define TL_CAPTURE_MAX_SEGMENTS 2000000

/* An address: IPv4 in the first 4 bytes (v6 FALSE), or IPv6. */
typedef struct
{
  guint8   bytes[16];
  gboolean v6;
} TlAddr;

typedef struct
{
  gint64  time_us;      /* from the capture's first packet */
  TlAddr  src;
  TlAddr  dst;
  guint32 seq;
  guint32 ack;
  guint32 len;          /* payload bytes, from the IP length (not the snap length) */
  guint16 src_port;
  guint16 dst_port;
  guint16 win;
  guint16 mss;          /* the MSS option, 0 if none (or cut off) */
  guint8  flags;        /* TlFlags bits (FIN SYN RST PSH ACK) */
  guint8  opts;         /* TlOptBits (tl-trace.h): window scale, SACK-permitted and
                           timestamps options it carried (when captured) */
  guint8  wscale;       /* the window scale option's shift, with TL_OPT_WSCALE */
  guint32 tsval;        /* the timestamps option, with TL_OPT_TS */
  guint32 tsecr;
} TlPacket;

typedef struct
{
  GArray  *packets;        /* of TlPacket, in file order */
  gint64   start_us;       /* the first packet's absolute time (us since 1970) */
  int      link_type;      /* DLT_ value */
  guint64  n_frames;       /* every packet of the file */
  guint64  n_skipped;      /* not TCP, fragments, headers cut off */
  gboolean truncated;      /* the file ended inside a packet */
  gboolean time_backwards; /* a packet older than the one before it (taken in file order) */
} TlCapture;

GQuark      tl_capture_error_quark (void);
/* Reads path.  NULL with error if it is no capture, or has no TCP. */
TlCapture  *tl_capture_read        (const char     *path,
                                    GError        **error);
/* TRUE if path is a regular file that starts as a pcap or pcapng capture
 * does (its magic number): the window opens it as a capture, not a lesson. */
gboolean    tl_capture_sniff       (const char     *path);
/* The same from bytes in memory (the fuzzer). */
TlCapture  *tl_capture_read_bytes  (const guint8   *data,
                                    gsize           len,
                                    GError        **error);
void        tl_capture_free        (TlCapture      *capture);

/* "10.0.0.1", "fd18::1". */
char       *tl_addr_to_string      (const TlAddr   *addr);
gboolean    tl_addr_parse          (const char     *text,
                                    TlAddr         *addr);
gboolean    tl_addr_equal          (const TlAddr   *a,
                                    const TlAddr   *b);
/* IPv4 in host byte order, 0 for IPv6. */
guint32     tl_addr_ipv4           (const TlAddr   *addr);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlCapture, tl_capture_free)

G_END_DECLS
