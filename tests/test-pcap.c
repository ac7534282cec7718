/* test-pcap.c: the pcap writer, read back by tshark: same flags, numbers,
 * addresses and good checksums; and streamed: pieces of bounded size, the
 * first failed piece stops it, the file written atomically. */
#include <check.h>
#include <string.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "tl-lesson.h"
#include "tl-pcap.h"
#include "tl-sim.h"

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
  tl_trace_set_segment_peer (trace, r->u.seg.id, peer_addr);
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

/* tshark's fields of every packet of path, one line each, or fails. */
static char *
tshark_fields (const char *path,
               const char *const *fields)
{
  g_autofree char *tshark = g_find_program_in_path ("tshark");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *envp[] = { "HOME=/nonexistent", "LC_ALL=C", NULL };
  const char *const fixed[] = { "-n", "-r", path, "-o", "tcp.check_checksum:TRUE",
                                "-o", "tcp.relative_sequence_numbers:FALSE",
                                "-T", "fields", "-E", "separator=|" };
  char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  ck_assert_ptr_nonnull (tshark);   /* run with --needs tshark: a skip without it */
  g_ptr_array_add (argv, tshark);
  for (guint i = 0; i < G_N_ELEMENTS (fixed); i++)
    g_ptr_array_add (argv, (char *) fixed[i]);
  for (guint i = 0; fields[i] != NULL; i++)
    {
      g_ptr_array_add (argv, (char *) "-e");
      g_ptr_array_add (argv, (char *) fields[i]);
    }
  g_ptr_array_add (argv, NULL);
  ck_assert (g_spawn_sync (NULL, (char **) argv->pdata, (char **) envp, G_SPAWN_DEFAULT,
                           NULL, NULL, &out, &err, &status, &error));
  ck_assert_msg (g_spawn_check_wait_status (status, NULL), "tshark failed: %s", err);
  return out;
}

/* A linux-profile run's options as Wireshark decodes them: MSS, SACK
 * permitted, timestamps, window scale on the SYNs; timestamps, the scaled
 * window and a SACK block after (the data is lost, the FIN arrives first). */
START_TEST (test_tshark_decodes_the_options)
{
  static const char lesson[] =
    "host client 10.0.0.1\n"
    "host server 10.0.0.2\n"
    "link delay 50ms\n"
    "0ms server listen 80\n"
    "100ms client connect server:80\n"
    "1s drop next client->server PSH,ACK\n"
    "1s client send 100\n"
    "1s client close\n";
  static const char *const fields[] = {
    "tcp.flags", "tcp.options.mss_val", "tcp.options.sack_perm", "tcp.options.timestamp.tsval",
    "tcp.options.timestamp.tsecr", "tcp.options.wscale.shift", "tcp.window_size",
    "tcp.options.sack_le", "tcp.options.sack_re", "tcp.checksum.status", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(TlScenario) sc = tl_lesson_parse (lesson, -1, "options.lesson", NULL, &error);
  g_autoptr(TlTrace) trace = NULL;
  g_autoptr(GString) want = g_string_new (NULL);
  g_autofree char *dir = g_dir_make_tmp ("test-pcap-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  guint n_sack = 0;

  ck_assert_ptr_nonnull (sc);
  ck_assert_ptr_nonnull (dir);
  trace = tl_simulate (sc);
  path = g_build_filename (dir, "options.pcap", NULL);
  ck_assert (tl_pcap_write (trace, path, &error));
  out = tshark_fields (path, fields);

  for (guint i = 0; i < tl_trace_n_records (trace); i++)
    {
      const TlRecord *r = tl_trace_record (trace, i);
      TlSegmentOptions o;

      if (!tl_trace_segment_options (trace, r, &o))
        continue;
      g_string_append_printf (want, "0x%04x|", r->u.seg.flags);
      if (o.mss != 0)
        g_string_append_printf (want, "%u", o.mss);
      /* tshark shows SACK-permitted as its bytes: kind 4, length 2 */
      g_string_append_printf (want, "|%s|", (o.bits & TL_OPT_SACK_PERM) ? "0402" : "");
      ck_assert (o.bits & TL_OPT_TS);
      g_string_append_printf (want, "%u|%u|", o.tsval, o.tsecr);
      if (o.bits & TL_OPT_WSCALE)
        g_string_append_printf (want, "%u", o.wscale);
      g_string_append_printf (want, "|%u|", tl_trace_segment_window (trace, r));
      if (o.n_sack > 0)
        g_string_append_printf (want, "%u|%u", o.sack[0].start, o.sack[0].end);
      else
        g_string_append (want, "|");
      g_string_append (want, "|1\n");
      n_sack += o.n_sack;
    }
  ck_assert_uint_eq (n_sack, 1);
  ck_assert_str_eq (out, want->str);
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

/* A trace of n data segments (each 1000 bytes of payload on the wire). */
static TlTrace *
make_long_trace (guint n)
{
  TlTrace *trace = tl_trace_new (host_names, host_addrs);

  for (guint i = 0; i < n; i++)
    add_segment (trace, 1000 + i * 100, i % 2, TL_FLAG_ACK, 1000 + i * 1000, 1, 1000, 0, 0);
  tl_trace_seal (trace);
  return trace;
}

typedef struct
{
  guint    calls;
  gsize    largest;
  guint    fail_at;     /* the call that fails, from 1; 0 never */
  GString *all;
} Pieces;

static gboolean
count_piece (const char *data,
             gsize       len,
             gpointer    user_data)
{
  Pieces *p = user_data;

  p->calls++;
  p->largest = MAX (p->largest, len);
  g_string_append_len (p->all, data, len);
  return p->fail_at == 0 || p->calls < p->fail_at;
}

/* `run --pcap` built the whole capture in memory before writing it (a
 * flood's capture took as much memory again as its trace): now it goes
 * out in pieces of about 64 KiB, and a failed write stops it at once. */
START_TEST (test_stream_in_bounded_pieces)
{
  g_autoptr(TlTrace) trace = make_long_trace (20000);    /* about 21 MB */
  g_autofree char *dir = g_dir_make_tmp ("tl-pcap-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "t.pcap", NULL);
  g_autofree char *written = NULL;
  gsize len;
  Pieces p = { 0, 0, 0, g_string_new (NULL) };
  Pieces failing = { 0, 0, 2, g_string_new (NULL) };

  ck_assert (tl_pcap_stream (trace, count_piece, &p));
  ck_assert_uint_gt (p.all->len, 20000u * 1000);
  ck_assert_uint_gt (p.calls, 300);
  /* a piece is 64 KiB and at most one packet (with its header) more */
  ck_assert_uint_le (p.largest, 64 * 1024 + 16 + 65535);

  ck_assert (!tl_pcap_stream (trace, count_piece, &failing));
  ck_assert_uint_eq (failing.calls, 2);

  /* the file holds exactly the streamed bytes, and nothing else is left */
  ck_assert (tl_pcap_write (trace, path, NULL));
  ck_assert (g_file_get_contents (path, &written, &len, NULL));
  ck_assert_uint_eq (len, p.all->len);
  ck_assert (memcmp (written, p.all->str, len) == 0);
  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    guint n = 0;

    while (g_dir_read_name (d) != NULL)
      n++;
    ck_assert_uint_eq (n, 1);
  }
  g_unlink (path);
  g_rmdir (dir);
  g_string_free (p.all, TRUE);
  g_string_free (failing.all, TRUE);
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

  /* the tests that read with tshark are tagged: tests/meson.build runs
   * them as pcap-tshark, with --needs tshark (a skip when it is missing) */
  tcase_add_test (tc, test_tshark_reads_back_flags_numbers_and_good_checksums);
  tcase_add_test (tc, test_tshark_decodes_the_options);
  tcase_add_test (tc, test_unwritable_path_is_an_error);
  tcase_set_tags (tc, "tshark");
  suite_add_tcase (s, tc);
  tc = tcase_create ("stream");
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_stream_in_bounded_pieces);
  suite_add_tcase (s, tc);
  return s;
}
