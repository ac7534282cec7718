/* tl-capture.c: a capture file's TCP segments, read with libpcap.
 *
 * libpcap reads the file (pcap in either byte order and time precision,
 * pcapng) and checks its framing; this file only peels the link header
 * (one function per link type), the IP header and the TCP header.  Every
 * length is checked against what was captured before a byte is read: the
 * file is untrusted input.
 */
#include "tl-config.h"

#include "tl-capture.h"
#include "tl-trace.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tl-types.h"

G_DEFINE_QUARK (tl-capture-error-quark, tl_capture_error)

/* Link types by their DLT_ values (pcap/dlt.h); LINKTYPE_RAW (101) reads
 * back as DLT_RAW. */
#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif
#ifndef DLT_IPV4
#define DLT_IPV4 228
#endif
#ifndef DLT_IPV6
#define DLT_IPV6 229
#endif

/* Stamps past this (year 2^38 or so) are corrupt: microseconds overflow. */
#define MAX_STAMP_S      (G_GINT64_CONSTANT (1) << 42)

#define ETHERTYPE_IPV4   0x0800
#define ETHERTYPE_IPV6   0x86dd
#define ETHERTYPE_VLAN   0x8100
#define ETHERTYPE_QINQ   0x88a8
#define IPPROTO_TCP_NUM  6

static guint16
get16 (const guint8 *p)
{
  return (p[0] << 8) | p[1];
}

static guint32
get32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

/* The network-layer protocol and where its header starts, or FALSE. */
typedef struct
{
  const guint8 *data;
  guint         len;    /* bytes captured from data on */
  guint         wire;   /* bytes on the wire from data on */
  int           family; /* 4 or 6, 0 if unknown */
} Layer;

static gboolean
ethertype_family (guint16 type,
                  int    *family)
{
  if (type == ETHERTYPE_IPV4)
    *family = 4;
  else if (type == ETHERTYPE_IPV6)
    *family = 6;
  else
    return FALSE;
  return TRUE;
}

static gboolean
skip (Layer *l,
      guint  n)
{
  if (l->len < n)
    return FALSE;
  l->data += n;
  l->len -= n;
  l->wire = l->wire >= n ? l->wire - n : 0;
  return TRUE;
}

/* Peels the link header off, per link type. */
static gboolean
peel_link (int    link_type,
           Layer *l)
{
  switch (link_type)
    {
    case DLT_EN10MB:
      {
        guint16 type;

        if (l->len < 14)
          return FALSE;
        type = get16 (l->data + 12);
        skip (l, 14);
        /* 802.1Q and 802.1ad tags, two deep at most */
        for (guint i = 0; i < 2 && (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ); i++)
          {
            if (l->len < 4)
              return FALSE;
            type = get16 (l->data + 2);
            skip (l, 4);
          }
        return ethertype_family (type, &l->family);
      }
    case DLT_LINUX_SLL:       /* 16 bytes, the protocol at 14 */
      if (l->len < 16)
        return FALSE;
      if (!ethertype_family (get16 (l->data + 14), &l->family))
        return FALSE;
      return skip (l, 16);
    case DLT_LINUX_SLL2:      /* 20 bytes, the protocol first */
      if (l->len < 20)
        return FALSE;
      if (!ethertype_family (get16 (l->data), &l->family))
        return FALSE;
      return skip (l, 20);
    case DLT_NULL:
    case DLT_LOOP:
      {
        /* A 4-byte address family: host order for NULL, network order
         * for LOOP; AF_INET is 2 everywhere, AF_INET6 24, 28 or 30. */
        guint32 af;

        if (l->len < 4)
          return FALSE;
        af = link_type == DLT_LOOP ? get32 (l->data)
             : (guint32) l->data[0] | ((guint32) l->data[1] << 8)
               | ((guint32) l->data[2] << 16) | ((guint32) l->data[3] << 24);
        if (link_type == DLT_NULL && af > 0xffff)
          af = get32 (l->data);     /* written on a host of the other byte order */
        if (af == 2)
          l->family = 4;
        else if (af == 24 || af == 28 || af == 30)
          l->family = 6;
        else
          return FALSE;
        return skip (l, 4);
      }
    case DLT_RAW:
    case DLT_IPV4:
    case DLT_IPV6:
      if (l->len < 1)
        return FALSE;
      l->family = l->data[0] >> 4;
      return l->family == 4 || l->family == 6;
    default:
      return FALSE;
    }
}

static gboolean
link_type_known (int link_type)
{
  return link_type == DLT_EN10MB || link_type == DLT_LINUX_SLL
         || link_type == DLT_LINUX_SLL2 || link_type == DLT_NULL || link_type == DLT_LOOP
         || link_type == DLT_RAW || link_type == DLT_IPV4 || link_type == DLT_IPV6;
}

/* The IP header: addresses, and the TCP header's place and length on the
 * wire.  Fragments other than the first carry no TCP header: skipped. */
static gboolean
peel_ip (Layer    *l,
         TlPacket *p,
         guint    *tcp_wire)
{
  if (l->family == 4)
    {
      guint ihl, total;

      if (l->len < 20 || (l->data[0] >> 4) != 4)
        return FALSE;
      ihl = (l->data[0] & 0x0f) * 4;
      total = get16 (l->data + 2);
      if (ihl < 20 || total < ihl || l->data[9] != IPPROTO_TCP_NUM
          || (get16 (l->data + 6) & 0x1fff) != 0)
        return FALSE;
      memset (&p->src, 0, sizeof p->src);
      memset (&p->dst, 0, sizeof p->dst);
      memcpy (p->src.bytes, l->data + 12, 4);
      memcpy (p->dst.bytes, l->data + 16, 4);
      *tcp_wire = total - ihl;
      return skip (l, ihl);
    }
  if (l->family == 6)
    {
      guint next, payload;

      if (l->len < 40 || (l->data[0] >> 4) != 6)
        return FALSE;
      payload = get16 (l->data + 4);
      next = l->data[6];
      p->src.v6 = p->dst.v6 = TRUE;
      memcpy (p->src.bytes, l->data + 8, 16);
      memcpy (p->dst.bytes, l->data + 24, 16);
      skip (l, 40);
      /* Hop-by-hop, routing and destination options (RFC 8200 section 4). */
      for (guint i = 0; i < 8 && (next == 0 || next == 43 || next == 60); i++)
        {
          guint ext;

          if (l->len < 8)
            return FALSE;
          ext = (l->data[1] + 1) * 8;
          if (payload < ext)
            return FALSE;
          next = l->data[0];
          payload -= ext;
          if (!skip (l, ext))
            return FALSE;
        }
      if (next != IPPROTO_TCP_NUM)
        return FALSE;
      *tcp_wire = payload;
      return TRUE;
    }
  return FALSE;
}

/* RFC 9293 section 3.1: the header and its options (when captured): MSS,
 * RFC 7323's window scale and timestamps, RFC 2018's SACK-permitted. */
static gboolean
peel_tcp (Layer    *l,
          guint     tcp_wire,
          TlPacket *p)
{
  guint off;

  if (l->len < 20)
    return FALSE;
  off = (l->data[12] >> 4) * 4;
  if (off < 20 || tcp_wire < off)
    return FALSE;
  p->src_port = get16 (l->data);
  p->dst_port = get16 (l->data + 2);
  p->seq = get32 (l->data + 4);
  p->ack = get32 (l->data + 8);
  p->flags = l->data[13] & (TL_FLAG_FIN | TL_FLAG_SYN | TL_FLAG_RST | TL_FLAG_PSH | TL_FLAG_ACK);
  p->win = get16 (l->data + 14);
  p->len = tcp_wire - off;
  p->mss = 0;
  for (guint i = 20; i < off && i < l->len; )
    {
      guint8 kind = l->data[i];
      guint len;

      if (kind == 0)
        break;
      if (kind == 1)
        {
          i++;
          continue;
        }
      if (i + 1 >= off || i + 1 >= l->len || l->data[i + 1] < 2)
        break;
      len = l->data[i + 1];
      if (i + len > MIN (off, l->len))
        break;  /* cut off by the snap length, or corrupt */
      if (kind == 2 && len == 4)
        p->mss = get16 (l->data + i + 2);
      else if (kind == 3 && len == 3)
        {
          p->opts |= TL_OPT_WSCALE;
          p->wscale = MIN (l->data[i + 2], 14);  /* RFC 7323 section 2.3: at most 14 */
        }
      else if (kind == 4 && len == 2)
        p->opts |= TL_OPT_SACK_PERM;
      else if (kind == 8 && len == 10)
        {
          p->opts |= TL_OPT_TS;
          p->tsval = get32 (l->data + i + 2);
          p->tsecr = get32 (l->data + i + 6);
        }
      i += len;
    }
  return TRUE;
}

static gboolean
read_packet (int                        link_type,
             const struct pcap_pkthdr  *hdr,
             const guint8              *data,
             TlPacket                  *p)
{
  Layer l = { data, hdr->caplen, MAX (hdr->len, hdr->caplen), 0 };
  guint tcp_wire = 0;

  memset (p, 0, sizeof *p);
  return peel_link (link_type, &l) && peel_ip (&l, p, &tcp_wire) && peel_tcp (&l, tcp_wire, p);
}

static TlCapture *
read_pcap (pcap_t  *pcap,
           GError **error)
{
  g_autoptr(TlCapture) capture = g_new0 (TlCapture, 1);
  struct pcap_pkthdr *hdr;
  const u_char *data;
  gint64 last_us = G_MININT64;
  int rc;

  capture->packets = g_array_new (FALSE, FALSE, sizeof (TlPacket));
  capture->link_type = pcap_datalink (pcap);
  if (!link_type_known (capture->link_type))
    {
      const char *name = pcap_datalink_val_to_name (capture->link_type);

      g_set_error (error, TL_CAPTURE_ERROR, TL_CAPTURE_ERROR_LINK_TYPE,
                   _("its link type %s (%d) is not one TCP Lab reads (Ethernet, Linux "
                     "cooked, raw IP, loopback)"),
                   name != NULL ? name : "?", capture->link_type);
      return NULL;
    }

  while ((rc = pcap_next_ex (pcap, &hdr, &data)) == 1)
    {
      TlPacket p;
      gint64 t;

      /* pcapng's 64-bit stamps may overflow microseconds: such a packet
       * keeps the time of the one before it (as a clock stepping back does) */
      if (hdr->ts.tv_sec < 0 || hdr->ts.tv_sec > MAX_STAMP_S || hdr->ts.tv_usec < 0)
        t = last_us != G_MININT64 ? last_us : 0;
      else
        t = (gint64) hdr->ts.tv_sec * TL_USEC_PER_SEC + hdr->ts.tv_usec;

      capture->n_frames++;
      if (!read_packet (capture->link_type, hdr, data, &p))
        {
          capture->n_skipped++;
          continue;
        }
      if (capture->packets->len == 0)
        capture->start_us = t;
      if (capture->packets->len >= TL_CAPTURE_MAX_SEGMENTS)
        {
          g_set_error (error, TL_CAPTURE_ERROR, TL_CAPTURE_ERROR_TOO_LARGE,
                       _("it holds more than %u TCP segments"), TL_CAPTURE_MAX_SEGMENTS);
          return NULL;
        }
      /* File order is the order of events; a clock stepping back (several
       * interfaces, a clock adjusted) keeps the time of the packet before. */
      if (t < last_us)
        {
          capture->time_backwards = TRUE;
          t = last_us;
        }
      last_us = t;
      p.time_us = t - capture->start_us;
      g_array_append_val (capture->packets, p);
    }
  if (rc == PCAP_ERROR)
    capture->truncated = TRUE;      /* a packet cut short: keep those before it */

  if (capture->packets->len == 0)
    {
      g_autofree char *frames = g_strdup_printf ("%" G_GUINT64_FORMAT, capture->n_frames);

      g_set_error (error, TL_CAPTURE_ERROR, TL_CAPTURE_ERROR_NO_TCP,
                   capture->truncated ? _("it holds no TCP segment (%s packets read, then the "
                                          "file is cut short)")
                                      : _("it holds no TCP segment (%s packets read)"), frames);
      return NULL;
    }
  return g_steal_pointer (&capture);
}

static TlCapture *
read_file (FILE    *file,
           GError **error)
{
  char errbuf[PCAP_ERRBUF_SIZE] = "";
  pcap_t *pcap;
  TlCapture *capture;

  pcap = pcap_fopen_offline_with_tstamp_precision (file, PCAP_TSTAMP_PRECISION_MICRO, errbuf);
  if (pcap == NULL)
    {
      fclose (file);
      g_set_error (error, TL_CAPTURE_ERROR, TL_CAPTURE_ERROR_FORMAT,
                   _("it is not a pcap or pcapng capture, or its header is damaged (%s)"),
                   errbuf);
      return NULL;
    }
  capture = read_pcap (pcap, error);
  pcap_close (pcap);      /* closes file too */
  return capture;
}

/* Regular files only: a FIFO or a device would block or never end. */
TlCapture *
tl_capture_read (const char  *path,
                 GError     **error)
{
  g_autoptr(GError) local = NULL;
  struct stat st;
  TlCapture *capture;
  FILE *file;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  fd = open (path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, TL_CAPTURE_ERROR, TL_CAPTURE_ERROR_OPEN, "%s: %s", path,
                   g_strerror (saved));
      return NULL;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, TL_CAPTURE_ERROR, TL_CAPTURE_ERROR_NOT_REGULAR,
                   _("%s: not a regular file"), path);
      return NULL;
    }
  file = fdopen (fd, "rb");
  if (file == NULL)
    {
      close (fd);
      g_set_error (error, TL_CAPTURE_ERROR, TL_CAPTURE_ERROR_OPEN, "%s: %s", path,
                   g_strerror (errno));
      return NULL;
    }
  capture = read_file (file, &local);
  if (capture == NULL)
    g_set_error (error, TL_CAPTURE_ERROR, local->code, "%s: %s", path, local->message);
  return capture;
}

gboolean
tl_capture_sniff (const char *path)
{
  static const guint32 magics[] = {
    0xa1b2c3d4, 0xd4c3b2a1,   /* pcap, microseconds, either byte order */
    0xa1b23c4d, 0x4d3cb2a1,   /* pcap, nanoseconds */
    0x0a0d0d0a,               /* pcapng section header block */
  };
  guint8 head[4];
  struct stat st;
  gssize n;
  int fd;

  g_return_val_if_fail (path != NULL, FALSE);

  fd = open (path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    return FALSE;
  n = fstat (fd, &st) == 0 && S_ISREG (st.st_mode) ? read (fd, head, sizeof head) : -1;
  close (fd);
  if (n != sizeof head)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (magics); i++)
    if (get32 (head) == magics[i])
      return TRUE;
  return FALSE;
}

TlCapture *
tl_capture_read_bytes (const guint8  *data,
                       gsize          len,
                       GError       **error)
{
  FILE *file;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (len == 0)
    {
      g_set_error (error, TL_CAPTURE_ERROR, TL_CAPTURE_ERROR_FORMAT,
                   _("it is not a pcap or pcapng capture, or its header is damaged (%s)"),
                   _("empty"));
      return NULL;
    }
  file = fmemopen ((void *) data, len, "rb");
  if (file == NULL)
    {
      g_set_error (error, TL_CAPTURE_ERROR, TL_CAPTURE_ERROR_OPEN, "%s", g_strerror (errno));
      return NULL;
    }
  return read_file (file, error);
}

void
tl_capture_free (TlCapture *capture)
{
  if (capture == NULL)
    return;
  g_clear_pointer (&capture->packets, g_array_unref);
  g_free (capture);
}

char *
tl_addr_to_string (const TlAddr *addr)
{
  char buf[INET6_ADDRSTRLEN];

  g_return_val_if_fail (addr != NULL, NULL);

  if (inet_ntop (addr->v6 ? AF_INET6 : AF_INET, addr->bytes, buf, sizeof buf) == NULL)
    return g_strdup ("?");
  return g_strdup (buf);
}

gboolean
tl_addr_parse (const char *text,
               TlAddr     *addr)
{
  g_return_val_if_fail (text != NULL && addr != NULL, FALSE);

  memset (addr, 0, sizeof *addr);
  if (inet_pton (AF_INET, text, addr->bytes) == 1)
    return TRUE;
  addr->v6 = TRUE;
  return inet_pton (AF_INET6, text, addr->bytes) == 1;
}

gboolean
tl_addr_equal (const TlAddr *a,
               const TlAddr *b)
{
  return a->v6 == b->v6 && memcmp (a->bytes, b->bytes, a->v6 ? 16 : 4) == 0;
}

guint32
tl_addr_ipv4 (const TlAddr *addr)
{
  return addr->v6 ? 0 : get32 (addr->bytes);
}
