/* tl-capture-write.c: a trace's segments written as a pcap capture through
 * libpcap's dumper (the packets made by core's tl_pcap_packet_append), to a
 * temporary file renamed over the target: a reader never sees half a file.
 */
#include "tl-config.h"

#include "tl-capture.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <unistd.h>

#include "tl-pcap.h"

gboolean
tl_capture_write_trace (const TlTrace  *trace,
                        const char     *path,
                        GError        **error)
{
  g_autofree char *tmp = NULL;
  g_autoptr(GByteArray) packet = g_byte_array_new ();
  pcap_t *dead;
  pcap_dumper_t *dumper;
  FILE *file;
  int fd;
  gboolean ok;

  g_return_val_if_fail (trace != NULL && path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  tmp = g_strconcat (path, ".XXXXXX", NULL);
  fd = g_mkstemp (tmp);
  if (fd < 0 || (file = fdopen (fd, "wb")) == NULL)
    {
      int saved = errno;

      if (fd >= 0)
        {
          close (fd);
          g_unlink (tmp);
        }
      g_set_error (error, TL_CAPTURE_ERROR, TL_CAPTURE_ERROR_OPEN, "%s: %s", path,
                   g_strerror (saved));
      return FALSE;
    }
  /* LINKTYPE_RAW: each packet starts with its IPv4 header */
  dead = pcap_open_dead_with_tstamp_precision (DLT_RAW, 65535, PCAP_TSTAMP_PRECISION_MICRO);
  dumper = pcap_dump_fopen (dead, file);
  if (dumper == NULL)
    {
      g_set_error (error, TL_CAPTURE_ERROR, TL_CAPTURE_ERROR_OPEN, "%s: %s", path,
                   pcap_geterr (dead));
      fclose (file);
      pcap_close (dead);
      g_unlink (tmp);
      return FALSE;
    }
  for (guint i = 0; i < tl_trace_n_records (trace); i++)
    {
      const TlRecord *r = tl_trace_record (trace, i);
      struct pcap_pkthdr hdr;

      if (r->kind != TL_REC_SEGMENT)
        continue;
      g_byte_array_set_size (packet, 0);
      hdr.caplen = hdr.len = tl_pcap_packet_append (trace, r, packet);
      hdr.ts.tv_sec = r->time_us / TL_USEC_PER_SEC;
      hdr.ts.tv_usec = r->time_us % TL_USEC_PER_SEC;
      pcap_dump ((u_char *) dumper, &hdr, packet->data);
    }
  ok = pcap_dump_flush (dumper) == 0 && !ferror (file);
  pcap_dump_close (dumper);       /* closes file */
  pcap_close (dead);
  if (!ok || g_rename (tmp, path) != 0)
    {
      int saved = errno;

      g_unlink (tmp);
      g_set_error (error, TL_CAPTURE_ERROR, TL_CAPTURE_ERROR_OPEN, "%s: %s", path,
                   g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}
