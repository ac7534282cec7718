/* bench-capture.c: a capture of 10^6 packets read and imported (time and
 * peak memory), and a trace's segments written as pcap by core's writer
 * (bytes in memory, g_file_set_contents) and through libpcap's dumper
 * (write_with_libpcap below: a temporary file renamed), the same trace, the
 * median of several runs.  libpcap's was no faster (README.md, Benchmarks), so
 * one writer, core's, serves `run --pcap` and `import --pcap`.
 * The capture is synthetic, written with libpcap: one connection's
 * handshake, 499,996 data segments each acknowledged, and its close. */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "tl-bench.h"
#include "tl-capture.h"
#include "tl-import.h"
#include "tl-pcap.h"

#define N_PACKETS 1000000

static void
put16 (guint8 *p, guint16 v)
{
  p[0] = v >> 8;
  p[1] = v & 0xff;
}

static void
put32 (guint8 *p, guint32 v)
{
  put16 (p, v >> 16);
  put16 (p + 2, v & 0xffff);
}

static void
dump (pcap_dumper_t *dumper, gint64 t, gboolean from_client, guint8 flags,
      guint32 seq, guint32 ack, guint16 len)
{
  guint8 pkt[40 + 100] = { 0 };
  struct pcap_pkthdr hdr;

  pkt[0] = 0x45;
  put16 (pkt + 2, 40 + len);
  pkt[8] = 64;
  pkt[9] = 6;
  put32 (pkt + 12, from_client ? 0x0a000001 : 0x0a000002);
  put32 (pkt + 16, from_client ? 0x0a000002 : 0x0a000001);
  put16 (pkt + 20, from_client ? 40000 : 80);
  put16 (pkt + 22, from_client ? 80 : 40000);
  put32 (pkt + 24, seq);
  put32 (pkt + 28, ack);
  pkt[32] = 5 << 4;
  pkt[33] = flags;
  put16 (pkt + 34, 65535);
  hdr.ts.tv_sec = t / 1000000;
  hdr.ts.tv_usec = t % 1000000;
  hdr.caplen = hdr.len = 40 + len;
  pcap_dump ((u_char *) dumper, &hdr, pkt);
}

static void
write_capture (const char *path)
{
  pcap_t *dead = pcap_open_dead (DLT_RAW, 65535);
  pcap_dumper_t *dumper = pcap_dump_open (dead, path);
  guint32 c = 1000, s = 5000;
  gint64 t = 0;

  g_assert (dumper != NULL);
  dump (dumper, t += 10, TRUE, 0x02, c, 0, 0);
  dump (dumper, t += 1000, FALSE, 0x12, s, c + 1, 0);
  dump (dumper, t += 1000, TRUE, 0x10, c + 1, s + 1, 0);
  c++, s++;
  for (guint i = 0; i < (N_PACKETS - 7) / 2; i++)
    {
      dump (dumper, t += 10, TRUE, 0x18, c, s, 100);
      c += 100;
      dump (dumper, t += 10, FALSE, 0x10, s, c, 0);
    }
  dump (dumper, t += 10, TRUE, 0x11, c, s, 0);
  dump (dumper, t += 1000, FALSE, 0x11, s, c + 1, 0);
  dump (dumper, t += 1000, TRUE, 0x10, c + 1, s + 1, 0);
  dump (dumper, t += 10, TRUE, 0x10, c + 1, s + 1, 0);
  pcap_dump_close (dumper);
  pcap_close (dead);
}

static gboolean
write_with_libpcap (const TlTrace  *trace,
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
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: %s", path,
                   g_strerror (saved));
      return FALSE;
    }
  /* LINKTYPE_RAW: each packet starts with its IPv4 header */
  dead = pcap_open_dead_with_tstamp_precision (DLT_RAW, 65535, PCAP_TSTAMP_PRECISION_MICRO);
  dumper = pcap_dump_fopen (dead, file);
  if (dumper == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: %s", path,
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
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: %s", path,
                   g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

int
main (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tl-bench-capture-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "big.pcap", NULL);
  g_autofree char *out = g_build_filename (dir, "out.pcap", NULL);
  guint reps = tl_bench_reps (3);
  g_autofree double *core_ms = g_new (double, reps);
  g_autofree double *libpcap_ms = g_new (double, reps);
  g_autoptr(GError) error = NULL;
  g_autoptr(TlCapture) capture = NULL;
  g_autoptr(TlImport) import = NULL;
  TlBenchLine *line;
  gint64 t0, t1, t2;

  write_capture (path);
  t0 = tl_bench_now_ns ();
  capture = tl_capture_read (path, &error);
  g_assert_no_error (error);
  t1 = tl_bench_now_ns ();
  import = tl_import_new (capture, NULL, &error);
  g_assert_no_error (error);
  t2 = tl_bench_now_ns ();

  line = tl_bench_line_new ("capture-import");
  tl_bench_line_add_uint (line, "packets", capture->packets->len);
  tl_bench_line_add_uint (line, "records", tl_trace_n_records (import->trace));
  tl_bench_line_add_double (line, "read_ms", (t1 - t0) / 1e6, 1);
  tl_bench_line_add_double (line, "import_ms", (t2 - t1) / 1e6, 1);
  tl_bench_line_add_uint (line, "peak_rss_kib", tl_bench_peak_rss_kib ());
  tl_bench_line_print (line);

  for (guint r = 0; r < reps; r++)
    {
      gint64 a = tl_bench_now_ns ();

      g_assert (tl_pcap_write (import->trace, out, NULL));
      core_ms[r] = (tl_bench_now_ns () - a) / 1e6;
      g_unlink (out);
      a = tl_bench_now_ns ();
      g_assert (write_with_libpcap (import->trace, out, NULL));
      libpcap_ms[r] = (tl_bench_now_ns () - a) / 1e6;
      g_unlink (out);
    }
  line = tl_bench_line_new ("pcap-write");
  tl_bench_line_add_uint (line, "segments", capture->packets->len);
  tl_bench_line_add_stats (line, "core_ms", core_ms, reps, FALSE, 1);
  tl_bench_line_add_stats (line, "libpcap_ms", libpcap_ms, reps, FALSE, 1);
  tl_bench_line_print (line);

  g_unlink (path);
  g_rmdir (dir);
  return 0;
}
