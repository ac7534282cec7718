/* test-pcap.c: the pcap writer, read back by tshark: same flags, numbers,
 * addresses and good checksums. */
#include <check.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "tl-pcap.h"

static const char *const host_names[2] = { "client", "server" };
static const guint32 host_addrs[2] = { 0x0a000001, 0x0a000002 };

static void
add_segment (TlTrace *trace, gint64 t, guint host, guint8 flags, guint32 seq, guint32 ack,
             guint16 len, guint16 mss, guint32 peer_addr)
{
  TlRecord *r = tl_trace_append (trace, TL_REC_SEGMENT, t);

  r->host = host;
  r->u.seg.id = tl_trace_n_records (trace);
  r->u.seg.flags = flags;
  r->u.seg.seq = seq;
  tl_trace_segment_mut (trace, r->u.seg.id)->ack = ack;
  r->u.seg.len = len;
  tl_trace_segment_mut (trace, r->u.seg.id)->mss = mss;
  tl_trace_segment_mut (trace, r->u.seg.id)->win = 64240;
  r->u.seg.delay_us = 50000;
  tl_trace_segment_mut (trace, r->u.seg.id)->peer_addr = peer_addr;
  tl_trace_segment_mut (trace, r->u.seg.id)->src_port = host == 0 ? 40000 : 80;
  tl_trace_segment_mut (trace, r->u.seg.id)->dst_port = host == 0 ? 80 : 40000;
}

static TlTrace *
make_trace (void)
{
  TlTrace *trace = tl_trace_new (host_names, host_addrs);
  TlRecord *r;

  add_segment (trace, 10000, 0, TL_FLAG_SYN, 1000, 0, 0, 1460, 0);
  add_segment (trace, 60000, 1, TL_FLAG_SYN | TL_FLAG_ACK, 3000000000u, 1001, 0, 1460, 0);
  add_segment (trace, 110000, 0, TL_FLAG_ACK, 1001, 3000000001u, 0, 0, 0);
  r = tl_trace_append (trace, TL_REC_STATE, 110000);
  r->u.state.to = TL_STATE_ESTABLISHED;
  add_segment (trace, 1500000, 0, TL_FLAG_PSH | TL_FLAG_ACK, 1001, 3000000001u, 101, 0, 0);
  add_segment (trace, 2000000, 0, TL_FLAG_FIN | TL_FLAG_ACK, 1102, 3000000001u, 0, 0, 0);
  add_segment (trace, 2050000, 1, TL_FLAG_RST, 3000000001u, 0, 0, 0, 0);
  /* A flood's spoofed SYN, and the target's reply to the spoofed address. */
  add_segment (trace, 3000000, 0, TL_FLAG_SYN, 77, 0, 0, 0, 0xc0a80107);
  add_segment (trace, 3050000, 1, TL_FLAG_SYN | TL_FLAG_ACK, 99, 78, 0, 1460, 0xc0a80107);
  tl_trace_seal (trace);
  return trace;
}

START_TEST (test_tshark_reads_back_flags_numbers_and_good_checksums)
{
  g_autoptr(TlTrace) trace = make_trace ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *tshark = g_find_program_in_path ("tshark");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  ck_assert_ptr_nonnull (tshark);   /* run with --needs tshark: a skip without it */
  dir = g_dir_make_tmp ("test-pcap-XXXXXX", &error);
  ck_assert_ptr_nonnull (dir);
  path = g_build_filename (dir, "trace.pcap", NULL);
  ck_assert (tl_pcap_write (trace, path, &error));

  {
    const char *argv[] = { tshark, "-n", "-r", path, "-o", "tcp.check_checksum:TRUE",
                           "-o", "ip.check_checksum:TRUE",
                           "-o", "tcp.relative_sequence_numbers:FALSE",
                           "-T", "fields", "-E", "separator=|",
                           "-e", "frame.time_epoch", "-e", "ip.src", "-e", "ip.dst",
                           "-e", "ip.checksum.status", "-e", "tcp.srcport", "-e", "tcp.dstport",
                           "-e", "tcp.flags", "-e", "tcp.seq_raw", "-e", "tcp.ack_raw",
                           "-e", "tcp.len", "-e", "tcp.options.mss_val",
                           "-e", "tcp.checksum.status", NULL };
    const char *envp[] = { "HOME=/nonexistent", "LC_ALL=C", NULL };

    ck_assert (g_spawn_sync (NULL, (char **) argv, (char **) envp, G_SPAWN_DEFAULT,
                             NULL, NULL, &out, &err, &status, &error));
  }
  ck_assert_msg (g_spawn_check_wait_status (status, NULL), "tshark failed: %s", err);

  /* Checksum status 1 is "Good" (0 bad, 2 unverified: Wireshark's
   * PROTO_CHECKSUM_E_*); ack is 0 where the ACK flag is off. */
  ck_assert_str_eq (out,
    "0.010000000|10.0.0.1|10.0.0.2|1|40000|80|0x0002|1000|0|0|1460|1\n"
    "0.060000000|10.0.0.2|10.0.0.1|1|80|40000|0x0012|3000000000|1001|0|1460|1\n"
    "0.110000000|10.0.0.1|10.0.0.2|1|40000|80|0x0010|1001|3000000001|0||1\n"
    "1.500000000|10.0.0.1|10.0.0.2|1|40000|80|0x0018|1001|3000000001|101||1\n"
    "2.000000000|10.0.0.1|10.0.0.2|1|40000|80|0x0011|1102|3000000001|0||1\n"
    "2.050000000|10.0.0.2|10.0.0.1|1|80|40000|0x0004|3000000001|0|0||1\n"
    "3.000000000|192.168.1.7|10.0.0.2|1|40000|80|0x0002|77|0|0||1\n"
    "3.050000000|10.0.0.2|192.168.1.7|1|80|40000|0x0012|99|78|0|1460|1\n");

  g_unlink (path);
  g_rmdir (dir);
}
END_TEST

START_TEST (test_unwritable_path_is_an_error)
{
  g_autoptr(TlTrace) trace = make_trace ();
  g_autoptr(GError) error = NULL;

  ck_assert (!tl_pcap_write (trace, "/nonexistent-dir/trace.pcap", &error));
  ck_assert_ptr_nonnull (error);
  /* It names the file asked for, not the temporary one written first. */
  ck_assert_msg (g_str_has_prefix (error->message, "/nonexistent-dir/trace.pcap: "), "%s",
                 error->message);
  ck_assert_msg (strstr (error->message, ".trace.pcap.") == NULL, "%s", error->message);
}
END_TEST

Suite *
pcap_suite (void)
{
  Suite *s = suite_create ("pcap");
  TCase *tc = tcase_create ("tshark");

  /* tshark takes a few seconds to start on a busy machine (Check's default
   * allows 4): a hang is still caught, a slow start is not a failure. */
  tcase_set_timeout (tc, 60);

  /* every test here reads with tshark: tests/meson.build runs this
   * program with --needs tshark, a skip when it is missing */
  tcase_add_test (tc, test_tshark_reads_back_flags_numbers_and_good_checksums);
  tcase_add_test (tc, test_unwritable_path_is_an_error);
  suite_add_tcase (s, tc);
  return s;
}
