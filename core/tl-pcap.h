/* tl-pcap.h: a trace's segments as a classic pcap capture for Wireshark. */
#pragma once

#include <glib.h>

#include "tl-trace.h"

G_BEGIN_DECLS

/* Writes one raw IPv4 packet (LINKTYPE_RAW) per TL_REC_SEGMENT at its send
 * time, with real IPv4 and TCP headers and checksums, atomically. */
gboolean tl_pcap_write (const TlTrace  *trace,
                        const char     *path,
                        GError        **error);

G_END_DECLS
