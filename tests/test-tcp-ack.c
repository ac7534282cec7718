/* test-tcp-ack.c: when an ACK goes out at once and when it waits (delayed
 * ACK, SACK compression).  The linux profile against Linux 6.18 captures from the lab (link
 * delay 20 ms); the RFC profile ACKs at once. */
#include "tl-test-util.h"

/* Linux (lab, delack.lesson): data in the quick-ack mode at the start of a
 * connection is ACKed at once; a FIN arriving after data in ESTABLISHED
 * (close()) is ACKed 40 ms later (interactive mode, ATO 40 ms); the peer's
 * FIN in FIN_WAIT_2 at once. */
START_TEST (test_fin_after_data_delayed)
{
  g_autoptr (TlScenario) sc = tl_test_scenario ();
  g_autoptr (TlTrace) trace = NULL;
  g_autoptr (GPtrArray) segs = NULL;
  g_autoptr (GArray) armed = NULL;

  tl_test_open (sc);
  tl_test_conn (sc, TL_MS (200), TL_STMT_SEND, TL_CLIENT, 0, 100);
  tl_test_conn (sc, TL_MS (300), TL_STMT_SEND, TL_CLIENT, 0, 100);
  tl_test_conn (sc, TL_MS (600), TL_STMT_CLOSE, TL_CLIENT, 0, 0);
  tl_test_conn (sc, TL_MS (900), TL_STMT_CLOSE, TL_SERVER, 0, 0);
  trace = tl_simulate (sc);
  segs = tl_test_segments (trace, -1);

  ck_assert_uint_eq (segs->len, 11);
  tl_test_assert_seg (segs, 3, TL_CLIENT, TL_FLAG_PSH | TL_FLAG_ACK, 1, 1);
  tl_test_assert_seg (segs, 4, TL_SERVER, TL_FLAG_ACK, 1, 101);
  ck_assert_int_eq (tl_test_seg (segs, 4)->time_us, TL_MS (220));
  tl_test_assert_seg (segs, 6, TL_SERVER, TL_FLAG_ACK, 1, 201);
  ck_assert_int_eq (tl_test_seg (segs, 6)->time_us, TL_MS (320));
  tl_test_assert_seg (segs, 7, TL_CLIENT, TL_FLAG_FIN | TL_FLAG_ACK, 201, 1);
  tl_test_assert_seg (segs, 8, TL_SERVER, TL_FLAG_ACK, 1, 202);
  /* the ATO's 10 jiffies from jiffy 155, and one more: the timer wheel */
  ck_assert_int_eq (tl_test_seg (segs, 8)->time_us, TL_MS (620) + TL_MS (44));
  tl_test_assert_seg (segs, 9, TL_SERVER, TL_FLAG_FIN | TL_FLAG_ACK, 1, 202);
  tl_test_assert_seg (segs, 10, TL_CLIENT, TL_FLAG_ACK, 202, 2);
  ck_assert_int_eq (tl_test_seg (segs, 10)->time_us, TL_MS (920));
  /* the wait is a visible timer */
  armed = tl_test_timer_times (trace, TL_SERVER, TL_TIMER_DELACK, TL_TIMER_ARMED);
  ck_assert_uint_eq (armed->len, 1);
  ck_assert_int_eq (g_array_index (armed, gint64, 0), TL_MS (620));
}
END_TEST

/* Linux (lab, c-lostack.lesson): a FIN with no data before it is ACKed at
 * the next tick (the ATO is still 0: the delayed-ACK timer armed for now,
 * which the timer wheel runs at the next jiffy, 224 ms for a FIN at 220;
 * the kernel's timer:timer_start shows timeout=0, bucket_expiry one jiffy
 * on); the retransmitted FIN that reaches TIME_WAIT after a lost final ACK
 * is ACKed at once. */
START_TEST (test_fin_without_data_and_time_wait_at_once)
{
  g_autoptr (TlScenario) sc = tl_test_scenario ();
  g_autoptr (TlTrace) trace = NULL;
  g_autoptr (GPtrArray) segs = NULL;
  g_autoptr (GArray) armed = NULL;

  tl_test_open (sc);
  tl_test_conn (sc, TL_MS (200), TL_STMT_CLOSE, TL_CLIENT, 0, 0);
  tl_test_conn (sc, TL_MS (400), TL_STMT_CLOSE, TL_SERVER, 0, 0);
  tl_test_drop (sc, TL_MS (410), 0, TL_FLAG_ACK, 1);
  trace = tl_simulate (sc);
  segs = tl_test_segments (trace, -1);

  ck_assert_uint_eq (segs->len, 9);
  tl_test_assert_seg (segs, 4, TL_SERVER, TL_FLAG_ACK, 1, 2);
  ck_assert_int_eq (tl_test_seg (segs, 4)->time_us, TL_MS (224));
  tl_test_assert_seg (segs, 6, TL_CLIENT, TL_FLAG_ACK, 2, 2);
  ck_assert_int_eq (tl_test_seg (segs, 6)->time_us, TL_MS (420));
  tl_test_assert_seg (segs, 7, TL_SERVER, TL_FLAG_FIN | TL_FLAG_ACK, 1, 2);
  tl_test_assert_seg (segs, 8, TL_CLIENT, TL_FLAG_ACK, 2, 2);
  ck_assert_int_eq (tl_test_seg (segs, 8)->time_us, tl_test_seg (segs, 7)->time_us + TL_MS (20));
  armed = tl_test_timer_times (trace, TL_CLIENT, TL_TIMER_DELACK, TL_TIMER_ARMED);
  ck_assert_uint_eq (armed->len, 0);
}
END_TEST

/* Linux (lab, delack.lesson connection 3): data then close() on the server
 * (PSH,ACK then FIN,ACK); the client ACKs the data at once and the FIN 40 ms
 * later; its own close() a little after that sends a FIN,ACK alone.  If the
 * client closes within the 40 ms, its FIN carries the ACK and no separate
 * ACK goes out. */
START_TEST (test_delayed_ack_piggybacked_on_fin)
{
  for (guint early = 0; early < 2; early++)
    {
      g_autoptr (TlScenario) sc = tl_test_scenario ();
      g_autoptr (TlTrace) trace = NULL;
      g_autoptr (GPtrArray) segs = NULL;

      tl_test_open (sc);
      tl_test_conn (sc, TL_MS (200), TL_STMT_SEND, TL_SERVER, 0, 100);
      tl_test_conn (sc, TL_MS (200), TL_STMT_CLOSE, TL_SERVER, 0, 0);
      tl_test_conn (sc, early ? TL_MS (240) : TL_MS (300), TL_STMT_CLOSE, TL_CLIENT, 0, 0);
      trace = tl_simulate (sc);
      segs = tl_test_segments (trace, -1);

      tl_test_assert_seg (segs, 3, TL_SERVER, TL_FLAG_PSH | TL_FLAG_ACK, 1, 1);
      tl_test_assert_seg (segs, 4, TL_SERVER, TL_FLAG_FIN | TL_FLAG_ACK, 101, 1);
      tl_test_assert_seg (segs, 5, TL_CLIENT, TL_FLAG_ACK, 1, 101);
      ck_assert_int_eq (tl_test_seg (segs, 5)->time_us, TL_MS (220));
      if (early)
        {
          ck_assert_uint_eq (segs->len, 8);
          tl_test_assert_seg (segs, 6, TL_CLIENT, TL_FLAG_FIN | TL_FLAG_ACK, 1, 102);
          ck_assert_int_eq (tl_test_seg (segs, 6)->time_us, TL_MS (240));
        }
      else
        {
          ck_assert_uint_eq (segs->len, 9);
          tl_test_assert_seg (segs, 6, TL_CLIENT, TL_FLAG_ACK, 1, 102);
          /* the ATO (10 jiffies) from jiffy 55, and one: the timer wheel */
          ck_assert_int_eq (tl_test_seg (segs, 6)->time_us, TL_MS (264));
          tl_test_assert_seg (segs, 7, TL_CLIENT, TL_FLAG_FIN | TL_FLAG_ACK, 1, 102);
        }
    }
}
END_TEST

/* RFC profile: no delayed ACK; the FIN after data is ACKed on arrival. */
START_TEST (test_rfc_acks_at_once)
{
  g_autoptr (TlScenario) sc = tl_test_scenario ();
  g_autoptr (TlTrace) trace = NULL;
  g_autoptr (GPtrArray) segs = NULL;

  tl_test_rfc_profile (sc, TL_SERVER);
  tl_test_open (sc);
  tl_test_conn (sc, TL_MS (200), TL_STMT_SEND, TL_CLIENT, 0, 100);
  tl_test_conn (sc, TL_MS (600), TL_STMT_CLOSE, TL_CLIENT, 0, 0);
  trace = tl_simulate (sc);
  segs = tl_test_segments (trace, -1);

  tl_test_assert_seg (segs, 6, TL_SERVER, TL_FLAG_ACK, 1, 102);
  ck_assert_int_eq (tl_test_seg (segs, 6)->time_us, TL_MS (620));
}
END_TEST

/* Out-of-order arrival (RFC 9293 section 3.10.7.4: segments beyond
 * RCV.NXT are held for later processing).  The first of three data
 * segments is lost: the other two are held and each answered at once with
 * a duplicate ACK (Linux tcp_data_queue_ofo); the retransmission fills the
 * hole and one ACK at once covers all 4000 bytes, which the application
 * gets together.  Then data and FIN with the data lost: the FIN is held,
 * dup-ACKed, and taken when the data comes again.  Both profiles. */
START_TEST (test_out_of_order_held)
{
  for (guint profile = 0; profile < 2; profile++)
    {
      g_autoptr (TlScenario) sc = tl_test_scenario ();
      g_autoptr (TlTrace) trace = NULL;
      g_autoptr (GPtrArray) server = NULL;
      g_autoptr (GPtrArray) client = NULL;
      guint32 received = 0;
      guint data_segs = 0;

      if (profile == TL_PROFILE_RFC)
        {
          for (guint h = 0; h < 2; h++)
            tl_test_rfc_profile (sc, h);
          /* the RFC's Nagle would hold the last 1104 bytes behind the two
           * full segments in flight (Linux's holds only behind a small one) */
          sc->settings[TL_CLIENT].nodelay = TRUE;
        }
      tl_test_open (sc);
      tl_test_drop (sc, TL_MS (190), 0, TL_FLAG_ACK, 1);
      tl_test_conn (sc, TL_MS (200), TL_STMT_SEND, TL_CLIENT, 0, 4000);
      tl_test_drop (sc, TL_MS (3000), 0, TL_FLAG_PSH | TL_FLAG_ACK, 1);
      tl_test_conn (sc, TL_MS (3010), TL_STMT_SEND, TL_CLIENT, 0, 100);
      tl_test_conn (sc, TL_MS (3010), TL_STMT_CLOSE, TL_CLIENT, 0, 0);
      sc->end_us = TL_S (9);
      trace = tl_simulate (sc);
      server = tl_test_segments (trace, TL_SERVER);
      client = tl_test_segments (trace, TL_CLIENT);

      /* SYN,ACK; two duplicate ACKs on arrival of the held segments; the
       * ACK of everything when the hole is filled */
      tl_test_assert_seg (server, 1, TL_SERVER, TL_FLAG_ACK, 1, 1);
      ck_assert_int_eq (tl_test_seg (server, 1)->time_us, TL_MS (220));
      tl_test_assert_seg (server, 2, TL_SERVER, TL_FLAG_ACK, 1, 1);
      ck_assert_int_eq (tl_test_seg (server, 2)->time_us, TL_MS (220));
      tl_test_assert_seg (server, 3, TL_SERVER, TL_FLAG_ACK, 1, 4001);
      ck_assert_int_eq (tl_test_seg (server, 3)->time_us, tl_test_seg (client, 5)->time_us + TL_MS (20));
      /* only the lost segment is sent again */
      tl_test_assert_seg (client, 5, TL_CLIENT, TL_FLAG_ACK, 1, 1);
      for (guint i = 0; i < client->len; i++)
        {
          const TlRecord *r = tl_test_seg (client, i);

          if (r->u.seg.len > 0 && r->time_us < TL_S (3))
            data_segs++;
        }
      ck_assert_uint_eq (data_segs, 4);
      for (guint i = 0; i < tl_trace_n_records (trace); i++)
        {
          const TlRecord *r = tl_trace_record (trace, i);

          if (r->kind == TL_REC_APP && r->host == TL_SERVER && r->u.app.call == TL_CALL_RECEIVED)
            {
              ck_assert_uint_eq (r->u.app.value, received == 0 ? 4000 : 100);
              received += r->u.app.value;
            }
        }
      ck_assert_uint_eq (received, 4100);

      /* the FIN beyond the lost data: held, a duplicate ACK at once; the
       * data again is ACKed at once, and CLOSE_WAIT.  The RFC profile sends
       * the data (with the FIN) again at the RTO; Linux's duplicate ACK
       * carries a SACK block for the FIN, and RACK sends the data alone
       * again 58 ms after it was first sent (RTT 40 + min_rtt / 4 +
       * TCP_TIMEOUT_MIN, as on the lab: lessons/lost-data-then-fin.lesson). */
      tl_test_assert_seg (server, 4, TL_SERVER, TL_FLAG_ACK, 1, 4001);
      ck_assert_int_eq (tl_test_seg (server, 4)->time_us, TL_MS (3030));
      tl_test_assert_seg (server, 5, TL_SERVER, TL_FLAG_ACK, 1, 4102);
      if (profile == TL_PROFILE_LINUX)
        {
          tl_test_assert_seg (client, client->len - 1, TL_CLIENT, TL_FLAG_PSH | TL_FLAG_ACK, 4001, 1);
          /* the RACK timer's 18 ms (5 jiffies) from jiffy 762, and one */
          ck_assert_int_eq (tl_test_seg (client, client->len - 1)->time_us, TL_MS (3072));
          ck_assert_int_eq (tl_test_seg (server, 5)->time_us, TL_MS (3092));
        }
      else
        {
          ck_assert_int_eq (tl_test_state (trace, TL_SERVER, 1, TL_MS (3100)), TL_STATE_ESTABLISHED);
        }
      ck_assert_int_eq (tl_test_state (trace, TL_SERVER, 1, tl_test_seg (server, 5)->time_us), TL_STATE_CLOSE_WAIT);
    }
}
END_TEST

/* Found by test-property (seed 468412): an out-of-order segment whose ACK
 * field reopens a closed window (the window update before it was lost)
 * lets the waiting data go at once; it used to stop the persist timer and
 * send nothing, leaving the data to wait for the hole to be filled (and for
 * ever if it never was). */
START_TEST (test_out_of_order_segment_opens_the_window)
{
  g_autoptr (TlScenario) sc = tl_test_scenario ();
  g_autoptr (TlTrace) trace = NULL;
  g_autoptr (GPtrArray) s = NULL;
  g_autoptr (GArray) cancelled = NULL;
  const TlRecord *r;

  sc->settings[TL_CLIENT].window = 1000;
  sc->settings[TL_CLIENT].autoread = FALSE;
  tl_test_open (sc);
  tl_test_conn (sc, TL_MS (100), TL_STMT_SEND, TL_SERVER, 0, 1500);
  /* lost: the window update of the read, and the client's first segment */
  tl_test_drop (sc, TL_MS (150), 0, TL_FLAG_ACK, 2);
  tl_test_conn (sc, TL_MS (200), TL_STMT_READ, TL_CLIENT, 0, 0);
  tl_test_conn (sc, TL_MS (210), TL_STMT_SEND, TL_CLIENT, 0, 2000);
  /* before 288 ms, when the client's retransmission (RACK, after the
   * server's SACK) is acknowledged */
  tl_test_host (sc, TL_MS (280), TL_STMT_END, TL_CLIENT);
  sc->end_us = TL_MS (280);
  trace = tl_simulate (sc);

  cancelled = tl_test_timer_times (trace, TL_SERVER, TL_TIMER_PERSIST, TL_TIMER_CANCELLED);
  ck_assert_uint_eq (cancelled->len, 1);
  ck_assert_int_eq (g_array_index (cancelled, gint64, 0), TL_MS (230));
  s = tl_test_segments (trace, TL_SERVER);
  /* the 1000 bytes in two segments (half the window: tcp_bound_to_half_wnd),
   * at 230 ms the duplicate ACK of the held segment, then the 500 bytes */
  ck_assert_uint_eq (s->len, 5);
  tl_test_assert_seg (s, 3, TL_SERVER, TL_FLAG_ACK, 1001, 1);
  tl_test_assert_seg (s, 4, TL_SERVER, TL_FLAG_PSH | TL_FLAG_ACK, 1001, 1);
  r = tl_test_seg (s, 4);
  ck_assert_int_eq (r->time_us, TL_MS (230));
  ck_assert_uint_eq (r->u.seg.len, 500);
}
END_TEST

/* How many of the client's ACKs in [from_ms, to_ms). */
static guint
n_client_acks (const TlTrace *trace,
               gint64         from_ms,
               gint64         to_ms)
{
  g_autofree char *acks = tl_test_acks_in (trace, TL_CLIENT, from_ms, to_ms, TL_TEST_ACKS_MS);
  g_auto (GStrv) each = g_strsplit (acks, " ", -1);

  return acks[0] == '\0' ? 0 : g_strv_length (each);
}

/* A first flight of 40 segments at 500 ms (initcwnd 40), its first lost:
 * 39 arrive out of order at 550 ms (the write of 56928 bytes is 40
 * segments on the kernel too, tests/sweep/sack-compress.lesson). */
static TlTrace *
first_flight_hole (const char *setup)
{
  g_autofree char *all = g_strconcat (setup, "set server initcwnd 40\n", NULL);

  return tl_test_simulate_pair (all, "450ms drop next server->client\n"
                                     "500ms server send 56928\n");
}

/* Linux 6.18's SACK compression (__tcp_ack_snd_check), as the kernel did
 * it (tests/sweep/sack-compress.lesson, `tcplab-cli real`): of the 39
 * segments after the hole, the first five grow the window (tcp_grow_window
 * in tcp_data_queue_ofo, which asks for a quick ACK: fields 66, 69, 72,
 * 75, 75), the next three get the duplicate ACKs that fast retransmit
 * counts, and the other 31 one ACK 1.1 ms later (min(comp_sack_delay
 * 1 ms, 5 % of the RTT) + 100 us of the hrtimer's slack) that SACKs all
 * 39.  Each got an ACK at once before. */
START_TEST (test_linux_sack_compression)
{
  g_autoptr (TlTrace) trace = first_flight_hole ("");
  g_autofree char *acks = tl_test_acks_in (trace, TL_CLIENT, 545, 600, TL_TEST_ACKS_USEC | TL_TEST_ACKS_SACK);
  g_autoptr (GArray) armed = tl_test_timer_times (trace, TL_CLIENT, TL_TIMER_COMP_SACK, TL_TIMER_ARMED);
  g_autoptr (GArray) fired = tl_test_timer_times (trace, TL_CLIENT, TL_TIMER_COMP_SACK, TL_TIMER_FIRED);

  ck_assert_str_eq (acks, "550.000:66[1449-2897] 550.000:69[1449-4345] 550.000:72[1449-5793] "
                          "550.000:75[1449-7241] 550.000:75[1449-8689] 550.000:75[1449-10137] "
                          "550.000:75[1449-11585] 550.000:75[1449-13033] 551.100:75[1449-56929]");
  ck_assert_uint_ge (armed->len, 1);
  ck_assert_int_eq (g_array_index (armed, gint64, 0), TL_MS (550));
  ck_assert_int_eq (g_array_index (fired, gint64, 0), TL_MS (550) + 1100);
}
END_TEST

/* The keys: comp_sack_nr (net.ipv4.tcp_comp_sack_nr) 0 sends each at once
 * (the kernel: 39 ACKs); 5 lets five wait, the sixth sending them (8 at
 * once, then 31 as five times five and one, the last held one by the
 * timer); comp_sack_delay (tcp_comp_sack_delay_ns) is the longest wait,
 * 5 % of the RTT the longest too (a link of 400 ms: the RTT 800 ms, so
 * 30 ms waits 30, 100 ms waits 40; the kernel: 30.15 ms after). */
START_TEST (test_linux_comp_sack_keys)
{
  g_autoptr (TlTrace) off = first_flight_hole ("set client comp_sack_nr 0\n");
  g_autoptr (TlTrace) five = first_flight_hole ("set client comp_sack_nr 5\n");
  g_autoptr (TlTrace) slow = NULL;
  g_autoptr (TlTrace) capped = NULL;
  g_autoptr (GArray) none = tl_test_timer_times (off, TL_CLIENT, TL_TIMER_COMP_SACK, TL_TIMER_ARMED);
  g_autofree char *slow_acks = NULL;
  g_autofree char *capped_acks = NULL;
  const char *far = "1500ms drop next server->client\n1500ms server send 56928\n";

  ck_assert_uint_eq (n_client_acks (off, 545, 600), 39);
  ck_assert_uint_eq (n_client_acks (off, 550, 551), 39);
  ck_assert_uint_eq (none->len, 0);
  ck_assert_uint_eq (n_client_acks (five, 550, 551), 13);
  ck_assert_uint_eq (n_client_acks (five, 551, 600), 1);
  ck_assert_uint_eq (n_client_acks (five, 551, 552), 1);

  slow = tl_test_simulate_pair ("link delay 400ms\nset server initcwnd 40\n"
                                "set client comp_sack_delay 30ms\n", far);
  capped = tl_test_simulate_pair ("link delay 400ms\nset server initcwnd 40\n"
                                  "set client comp_sack_delay 100ms\n", far);
  slow_acks = tl_test_acks_in (slow, TL_CLIENT, 1901, 2000, TL_TEST_ACKS_USEC | TL_TEST_ACKS_SACK);
  capped_acks = tl_test_acks_in (capped, TL_CLIENT, 1901, 2000, TL_TEST_ACKS_USEC | TL_TEST_ACKS_SACK);
  ck_assert_uint_eq (n_client_acks (slow, 1900, 1901), 8);
  ck_assert_str_eq (slow_acks, "1930.100:75[1449-56929]");
  ck_assert_str_eq (capped_acks, "1940.100:75[1449-56929]");
}
END_TEST

/* The rfc profile ACKs each segment out of order at once (RFC 5681
 * section 4.2), SACK or not, whatever comp_sack_nr says. */
START_TEST (test_rfc_no_sack_compression)
{
  g_autoptr (TlTrace) trace = first_flight_hole ("set all profile rfc sack on comp_sack_nr 44\n");
  g_autoptr (GPtrArray) data = tl_test_data_segments (trace, TL_SERVER);
  g_autoptr (GArray) none = tl_test_timer_times (trace, TL_CLIENT, TL_TIMER_COMP_SACK, TL_TIMER_ARMED);
  guint first_flight = 0;

  for (guint i = 0; i < data->len; i++)
    if (tl_test_seg (data, i)->time_us == TL_MS (500))
      first_flight++;
  ck_assert_uint_ge (first_flight, 30);
  ck_assert_uint_eq (n_client_acks (trace, 545, 600), first_flight - 1);
  ck_assert_uint_eq (none->len, 0);
}
END_TEST

/* A segment that extends neither of the first two SACK blocks sends the
 * ACKs held back at once, with the blocks as they were, and gets no ACK of
 * its own (tcp_sack_new_ofo_skb, TCP_SACK_BLOCKS_EXPECTED 2), as the kernel
 * did (tests/sweep/sack-compress.lesson's fourth connection): 10 after a
 * hole at 1901 ms (8 ACKs at once, 2 held for 30 ms), a second block at
 * 1910 ms (held), a third at 1920 ms: its ACK then, the timer cancelled. */
START_TEST (test_linux_third_sack_block_sends_held_acks)
{
  g_autoptr (TlTrace) trace = tl_test_simulate_pair (
    "link delay 400ms\nset server initcwnd 40\nset client comp_sack_delay 30ms\n",
    "1500ms drop next server->client\n1500ms server send 1448\n"
    "1501ms server send 14480\n"
    "1505ms drop next server->client\n1505ms server send 1448\n"
    "1510ms server send 1448\n"
    "1515ms drop next server->client\n1515ms server send 1448\n"
    "1520ms server send 1448\n");
  g_autofree char *acks = tl_test_acks_in (trace, TL_CLIENT, 1902, 2100,
                                           TL_TEST_ACKS_USEC | TL_TEST_ACKS_SACK);
  g_autoptr (GArray) cancelled = tl_test_timer_times (trace, TL_CLIENT, TL_TIMER_COMP_SACK,
                                                      TL_TIMER_CANCELLED);

  ck_assert_uint_eq (n_client_acks (trace, 1901, 1902), 8);
  ck_assert_str_eq (acks, "1920.000:75[17377-18825][1449-15929]");
  ck_assert_uint_eq (cancelled->len, 1);
  ck_assert_int_eq (g_array_index (cancelled, gint64, 0), TL_MS (1920));
}
END_TEST


/* Linux's tcp_send_delayed_ack caps an ATO above TCP_DELACK_MIN (40 ms) by
 * the smoothed RTT, at least TCP_DELACK_MIN: writes of 100 bytes every
 * 30 ms over a link of 10 ms one way raise the ATO towards 60 ms
 * (tcp_event_data_recv), yet after the 16 quick ACKs the timer is armed
 * for 10 jiffies (seen with the tracepoint timer:timer_start on the lab)
 * and an ACK goes every two segments, every 60 ms from 720 ms; uncapped,
 * the ATO's doubling after each missed delayed ACK gave 744, 840, 930 and
 * 1020 ms (tests/sweep/delack-srtt.lesson). */
START_TEST (test_linux_ato_capped_by_srtt)
{
  g_autoptr (GString) text = g_string_new (
    "host client 10.0.0.1\nhost server 10.0.0.2\nlink delay 10ms\n"
    "set client autoread off\nset server nodelay on\n"
    "0ms server listen 80\n100ms client connect server:80\n");
  g_autoptr (TlTrace) trace = NULL;
  g_autoptr (GPtrArray) c = NULL;
  static const int after[] = { 720, 780, 840, 900, 960, 1020, 1080 };

  for (int i = 0; i < 30; i++)
    g_string_append_printf (text, "%dms server send 100\n", 200 + 30 * i);
  trace = tl_test_simulate_text (text->str);
  c = tl_test_segments (trace, TL_CLIENT);
  /* SYN, the handshake's ACK, 16 quick ACKs, then one every 60 ms */
  ck_assert_uint_eq (c->len, 2 + 16 + G_N_ELEMENTS (after));
  for (guint i = 0; i < G_N_ELEMENTS (after); i++)
    ck_assert_int_eq (tl_test_seg (c, 18 + i)->time_us, TL_MS (after[i]));
}
END_TEST

Suite *
tcp_ack_suite (void)
{
  Suite *s = suite_create ("tcp-ack");
  TCase *tc = tcase_create ("core");

  tcase_add_test (tc, test_fin_after_data_delayed);
  tcase_add_test (tc, test_fin_without_data_and_time_wait_at_once);
  tcase_add_test (tc, test_delayed_ack_piggybacked_on_fin);
  tcase_add_test (tc, test_rfc_acks_at_once);
  tcase_add_test (tc, test_out_of_order_held);
  tcase_add_test (tc, test_out_of_order_segment_opens_the_window);
  tcase_add_test (tc, test_linux_sack_compression);
  tcase_add_test (tc, test_linux_comp_sack_keys);
  tcase_add_test (tc, test_rfc_no_sack_compression);
  tcase_add_test (tc, test_linux_third_sack_block_sends_held_acks);
  tcase_add_test (tc, test_linux_ato_capped_by_srtt);
  suite_add_tcase (s, tc);
  return s;
}
