/* tl-tcp-metrics.c: Linux's TCP metrics cache (net/ipv4/tcp_metrics.c),
 * the linux profile with the key metrics_save (net.ipv4.tcp_no_metrics_save
 * 0).  A connection that ends well leaves its smoothed RTT with the host,
 * per peer address; the next connection to that peer starts its first RTO
 * from it when it is longer than what the handshake measured.  Seen on the
 * lab (tests/sweep/metrics.lesson): after a connection over a 100 ms link,
 * one over a 50 ms link sent its first retransmission 623 ms after the data
 * (600 ms from the cached 200 ms), not 300 ms.
 *
 * Of the other metrics, Linux 6.18 saves ssthresh only when
 * net.ipv4.tcp_no_ssthresh_metrics_save is 0 (it is 1 by default), uses
 * the cached cwnd only when a route locks it, and never reads the cached
 * RTT variance back: with the defaults, the RTT is the whole of it. */
#include "tl-sim-private.h"

/* tcp_update_metrics: called when the connection enters TIME_WAIT (an
 * orphan's FIN_WAIT_2 too, which tcp_time_wait makes a mini socket), or
 * when the ACK of its FIN ends LAST_ACK.  The RTT is kept scaled by 8, in
 * microseconds, as Linux's srtt_us is. */
void
tl_tcp_metrics_save (TlSim *sim,
                     TlTcb *tcb)
{
  TlHost *host = &sim->hosts[tcb->host];
  GHashTable *cache = host->metrics;
  gpointer peer = GUINT_TO_POINTER (tcb->remote_addr);
  gint64 srtt8, rtt8, m;

  /* the sysctl as it is now (READ_ONCE at the save) */
  if (tcb->settings.profile != TL_PROFILE_LINUX || !host->settings.metrics_save)
    return;
  if (tcb->retransmits > 0 || !tcb->have_rtt)
    {
      /* "This session failed to estimate rtt": the peer's RTT is forgotten */
      g_hash_table_remove (cache, peer);
      return;
    }
  srtt8 = MIN (tcb->srtt8_us, G_MAXUINT32);
  rtt8 = GPOINTER_TO_UINT (g_hash_table_lookup (cache, peer));
  m = rtt8 - srtt8;
  /* a longer RTT replaces the saved one, a shorter one moves it by an
   * eighth of the difference: "rtt overestimation is always better than
   * underestimation" */
  if (m <= 0)
    rtt8 = srtt8;
  else
    rtt8 -= m >> 3;
  g_hash_table_insert (cache, peer, GUINT_TO_POINTER ((guint32) rtt8));
}

/* tcp_init_metrics, when the handshake completes (tcp_init_transfer): a
 * cached RTT longer than the handshake's sample sets the RTO as
 * tcp_rtt_estimator would from it, and only the RTO: the first data sample
 * replaces it.  tcp_no_metrics_save stops the saving, not this. */
void
tl_tcp_metrics_init (TlSim *sim,
                     TlTcb *tcb)
{
  const TlSettings *s = &tcb->settings;
  gint64 crtt8, crtt;

  if (s->profile != TL_PROFILE_LINUX)
    return;
  crtt8 = GPOINTER_TO_UINT (g_hash_table_lookup (sim->hosts[tcb->host].metrics,
                                                 GUINT_TO_POINTER (tcb->remote_addr)));
  if (crtt8 <= (tcb->have_rtt ? tcb->srtt8_us : 0))
    return;
  crtt = crtt8 / 8;
  tcb->rto_us = MIN (crtt + MAX (2 * crtt, s->rto_min_us), s->rto_max_us);
}
