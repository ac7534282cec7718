/* tl-pcap.c: the segments of a trace as a pcap capture.
 *
 * The classic format (microsecond timestamps, magic 0xa1b2c3d4, written
 * little-endian), link type 101 (LINKTYPE_RAW: each packet starts with its
 * IP header: IPv4, or IPv6 for an imported IPv6 capture's trace).  Each TL_REC_SEGMENT becomes a packet at its send time,
 * whatever its fate: a capture taken at the sender.  The payload is zeros:
 * the simulator counts bytes, it does not carry them.
 */
#include "tl-pcap.h"

#include <string.h>

#include "tl-out-file.h"

#define PCAP_MAGIC       0xa1b2c3d4u
#define LINKTYPE_RAW     101
#define SNAPLEN          65535
#define IPV4_HEADER_LEN  20
#define TCP_HEADER_LEN   20
#define MAX_OPTIONS_LEN  40

static void
put16 (guint8 *p, guint16 v)  /* network byte order */
{
  p[0] = v >> 8;
  p[1] = v & 0xff;
}

static void
put32 (guint8 *p, guint32 v)
{
  p[0] = v >> 24;
  p[1] = (v >> 16) & 0xff;
  p[2] = (v >> 8) & 0xff;
  p[3] = v & 0xff;
}

static void
append_le32 (GByteArray *out, guint32 v)
{
  guint8 b[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24 };

  g_byte_array_append (out, b, 4);
}

static void
append_le16 (GByteArray *out, guint16 v)
{
  guint8 b[2] = { v & 0xff, v >> 8 };

  g_byte_array_append (out, b, 2);
}

/* RFC 1071: the ones' complement sum of 16-bit words. */
static guint32
sum16 (guint32 sum, const guint8 *p, gsize len)
{
  for (gsize i = 0; i + 1 < len; i += 2)
    sum += (p[i] << 8) | p[i + 1];
  if (len % 2 == 1)
    sum += p[len - 1] << 8;
  return sum;
}

static guint16
fold (guint32 sum)
{
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  return ~sum & 0xffff;
}

static guint to_ipv6 (const TlTrace  *trace,
                      const TlRecord *r,
                      GByteArray     *out,
                      guint           start,
                      guint           total);

/* A flood's spoofed address is the source of its SYNs (a lone SYN) and the
 * destination of the target's replies (as in tl-trace-text.c). */
static void
segment_addrs (const TlTrace  *trace,
               const TlRecord *r,
               guint32        *src,
               guint32        *dst)
{
  guint32 peer = tl_trace_segment_peer (trace, r->u.seg.id);
  guint host = r->host < 2 ? r->host : 0;

  *src = tl_trace_host_addr (trace, host);
  *dst = tl_trace_host_addr (trace, 1 - host);
  if (peer == 0)
    return;
  if ((r->u.seg.flags & (TL_FLAG_SYN | TL_FLAG_ACK)) == TL_FLAG_SYN)
    *src = peer;
  else
    *dst = peer;
}

/* The options in the order and alignment Linux's tcp_options_write uses
 * (tcpdump shows them as "mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 10"
 * on a SYN, "nop,nop,TS val 2 ecr 1" after it): MSS; SACK-permitted and
 * timestamps together, or timestamps after two NOPs, or SACK-permitted
 * after two NOPs; NOP and window scale; two NOPs and the SACK blocks.
 * Returns the length, a multiple of 4. */
static guint
options_write (const TlSegmentOptions *o,
               guint8                 *p)
{
  guint n = 0;

  if (o->mss != 0)
    {
      p[n] = 2;                     /* kind: MSS (RFC 9293 section 3.2) */
      p[n + 1] = 4;
      put16 (p + n + 2, o->mss);
      n += 4;
    }
  if (o->bits & TL_OPT_TS)
    {
      if (o->bits & TL_OPT_SACK_PERM)
        {
          p[n] = 4;                 /* SACK-permitted (RFC 2018) */
          p[n + 1] = 2;
        }
      else
        p[n] = p[n + 1] = 1;        /* NOP */
      p[n + 2] = 8;                 /* timestamps (RFC 7323 section 3) */
      p[n + 3] = 10;
      put32 (p + n + 4, o->tsval);
      put32 (p + n + 8, o->tsecr);
      n += 12;
    }
  else if (o->bits & TL_OPT_SACK_PERM)
    {
      p[n] = p[n + 1] = 1;
      p[n + 2] = 4;
      p[n + 3] = 2;
      n += 4;
    }
  if (o->bits & TL_OPT_WSCALE)
    {
      p[n] = 1;
      p[n + 1] = 3;                 /* window scale (RFC 7323 section 2) */
      p[n + 2] = 3;
      p[n + 3] = o->wscale;
      n += 4;
    }
  if (o->n_sack > 0 && n + 4 + 8 * o->n_sack <= MAX_OPTIONS_LEN)
    {
      p[n] = p[n + 1] = 1;
      p[n + 2] = 5;                 /* SACK (RFC 2018 section 3) */
      p[n + 3] = 2 + 8 * o->n_sack;
      n += 4;
      for (guint b = 0; b < o->n_sack; b++, n += 8)
        {
          put32 (p + n, o->sack[b].start);
          put32 (p + n + 4, o->sack[b].end);
        }
    }
  return n;
}

guint
tl_pcap_packet_append (const TlTrace  *trace,
                       const TlRecord *r,
                       GByteArray     *out)
{
  const TlTraceSegment *sh;
  TlSegmentOptions opts;
  guint8 opt_bytes[MAX_OPTIONS_LEN];
  guint opt_len;
  guint tcp_len, payload, total;
  guint8 *ip, *tcp, pseudo[12];
  guint32 src, dst, sum;
  guint start;

  g_return_val_if_fail (trace != NULL && r != NULL && out != NULL, 0);

  sh = tl_trace_segment (trace, r->u.seg.id);
  if (!tl_trace_segment_options (trace, r, &opts))
    opts.mss = sh->mss;
  opt_len = options_write (&opts, opt_bytes);
  tcp_len = TCP_HEADER_LEN + opt_len;
  payload = MIN (r->u.seg.len, SNAPLEN - IPV4_HEADER_LEN - tcp_len);
  total = IPV4_HEADER_LEN + tcp_len + payload;

  start = out->len;
  g_byte_array_set_size (out, start + total);
  ip = out->data + start;
  memset (ip, 0, total);
  segment_addrs (trace, r, &src, &dst);

  /* RFC 791 section 3.1. */
  ip[0] = 0x45;                     /* version 4, 5 words */
  put16 (ip + 2, total);
  put16 (ip + 4, r->u.seg.id & 0xffff);
  put16 (ip + 6, 0x4000);           /* don't fragment */
  ip[8] = 64;                       /* TTL */
  ip[9] = 6;                        /* TCP */
  put32 (ip + 12, src);
  put32 (ip + 16, dst);
  put16 (ip + 10, fold (sum16 (0, ip, IPV4_HEADER_LEN)));

  /* RFC 9293 section 3.1. */
  tcp = ip + IPV4_HEADER_LEN;
  put16 (tcp, sh->src_port);
  put16 (tcp + 2, sh->dst_port);
  put32 (tcp + 4, r->u.seg.seq);
  put32 (tcp + 8, r->u.seg.flags & TL_FLAG_ACK ? sh->ack : 0);
  tcp[12] = (tcp_len / 4) << 4;
  /* TlFlags uses the header's bit positions: FIN 1, SYN 2, RST 4, PSH 8, ACK 16. */
  tcp[13] = r->u.seg.flags & 0x1f;
  put16 (tcp + 14, sh->win);        /* the field, scaled as on the wire */
  memcpy (tcp + TCP_HEADER_LEN, opt_bytes, opt_len);

  /* The checksum covers the pseudo-header (RFC 9293 section 3.1). */
  put32 (pseudo, src);
  put32 (pseudo + 4, dst);
  pseudo[8] = 0;
  pseudo[9] = 6;
  put16 (pseudo + 10, tcp_len + payload);
  sum = sum16 (0, pseudo, sizeof pseudo);
  sum = sum16 (sum, tcp, tcp_len + payload);
  put16 (tcp + 16, fold (sum));
  /* an IPv6 trace's: the same TCP segment behind an IPv6 header */
  if (tl_trace_is_v6 (trace))
    return to_ipv6 (trace, r, out, start, total);
  return total;
}

#define IPV6_HEADER_LEN  40

/* The IPv4 packet of r at start (total bytes, made above) as an IPv6
 * packet (RFC 8200 section 3: no traffic class or flow label, hop limit
 * 64), its TCP checksum over the IPv6 pseudo-header (section 8.1); its
 * new length. */
static guint
to_ipv6 (const TlTrace  *trace,
         const TlRecord *r,
         GByteArray     *out,
         guint           start,
         guint           total)
{
  guint tcp_total = MIN (total - IPV4_HEADER_LEN, SNAPLEN - IPV6_HEADER_LEN);
  const guint8 *a, *b;
  guint8 *ip, *tcp, pseudo[40];
  guint32 src, dst, sum;

  segment_addrs (trace, r, &src, &dst);
  a = tl_trace_addr6 (trace, src);
  b = tl_trace_addr6 (trace, dst);
  g_byte_array_set_size (out, start + IPV6_HEADER_LEN + tcp_total);
  ip = out->data + start;
  memmove (ip + IPV6_HEADER_LEN, ip + IPV4_HEADER_LEN, tcp_total);
  memset (ip, 0, IPV6_HEADER_LEN);
  ip[0] = 0x60;                     /* version 6 */
  put16 (ip + 4, tcp_total);        /* payload length */
  ip[6] = 6;                        /* next header: TCP */
  ip[7] = 64;                       /* hop limit */
  if (a != NULL)
    memcpy (ip + 8, a, 16);
  if (b != NULL)
    memcpy (ip + 24, b, 16);

  tcp = ip + IPV6_HEADER_LEN;
  put16 (tcp + 16, 0);
  memcpy (pseudo, ip + 8, 32);
  put32 (pseudo + 32, tcp_total);
  pseudo[36] = pseudo[37] = pseudo[38] = 0;
  pseudo[39] = 6;
  sum = sum16 (0, pseudo, sizeof pseudo);
  sum = sum16 (sum, tcp, tcp_total);
  put16 (tcp + 16, fold (sum));
  return IPV6_HEADER_LEN + tcp_total;
}

/* What is gathered before the sink gets it: memory stays bounded. */
#define PIECE_BYTES      (64 * 1024)

gboolean
tl_pcap_stream (const TlTrace *trace,
                TlTraceSink    sink,
                gpointer       user_data)
{
  g_autoptr(GByteArray) out = g_byte_array_sized_new (PIECE_BYTES + 2 * SNAPLEN);

  g_return_val_if_fail (trace != NULL, FALSE);
  g_return_val_if_fail (sink != NULL, FALSE);

  append_le32 (out, PCAP_MAGIC);
  append_le16 (out, 2);             /* version 2.4 */
  append_le16 (out, 4);
  append_le32 (out, 0);             /* thiszone */
  append_le32 (out, 0);             /* sigfigs */
  append_le32 (out, SNAPLEN);
  append_le32 (out, LINKTYPE_RAW);

  for (guint i = 0; i < tl_trace_n_records (trace); i++)
    {
      const TlRecord *r = tl_trace_record (trace, i);

      if (r->kind == TL_REC_SEGMENT)
        {
          guint at = out->len;
          guint total;

          /* the record header, its lengths filled in once the packet is made */
          append_le32 (out, r->time_us / G_USEC_PER_SEC);
          append_le32 (out, r->time_us % G_USEC_PER_SEC);
          append_le32 (out, 0);
          append_le32 (out, 0);
          total = tl_pcap_packet_append (trace, r, out);
          for (guint k = 0; k < 4; k++)
            out->data[at + 8 + k] = out->data[at + 12 + k] = (total >> (8 * k)) & 0xff;
          if (out->len >= PIECE_BYTES)
            {
              if (!sink ((const char *) out->data, out->len, user_data))
                return FALSE;
              g_byte_array_set_size (out, 0);
            }
        }
    }
  return out->len == 0 || sink ((const char *) out->data, out->len, user_data);
}

gboolean
tl_pcap_write (const TlTrace  *trace,
               const char     *path,
               GError        **error)
{
  TlOutFile *file;

  g_return_val_if_fail (trace != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  file = tl_out_file_new (path, error);
  if (file == NULL)
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }
  /* a failed write is kept by the file and reported by the commit; the
   * message names the file asked for, not the temporary one */
  tl_pcap_stream (trace, tl_out_file_write, file);
  if (!tl_out_file_commit (file, error))
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }
  return TRUE;
}
