/* tl-pcap.h: a trace's segments as a classic pcap capture for Wireshark. */
#pragma once

#include <glib.h>

#include "tl-trace.h"

G_BEGIN_DECLS

/* Writes one raw IP packet (LINKTYPE_RAW) per TL_REC_SEGMENT at its send
 * time, with real IP (v4, or v6 for an IPv6 trace) and TCP headers and checksums, as it goes (bounded
 * memory), every write checked, atomically (tl-out-file.h: the target is
 * untouched on failure; the error is a TL_OUT_FILE_ERROR, its message
 * "PATH: REASON"). */
gboolean tl_pcap_write (const TlTrace  *trace,
                        const char     *path,
                        GError        **error);
/* The same capture, to sink in pieces of about 64 KiB; FALSE as soon as the
 * sink returns FALSE. */
gboolean tl_pcap_stream (const TlTrace  *trace,
                         TlTraceSink     sink,
                         gpointer        user_data);

/* Appends the IP packet (header, TCP header, zero payload) of a
 * TL_REC_SEGMENT record to out; returns its length. */
guint    tl_pcap_packet_append (const TlTrace  *trace,
                                const TlRecord *r,
                                GByteArray     *out);

G_END_DECLS
