/* tl-diagnose-text.c: the words of a diagnosis.
 *
 * core/tl-diagnose.c finds the facts; this file says them, through gettext,
 * so that tcplab-cli diagnose and the window's "This machine" speak alike.
 * The advice is the article's (SYN cookies and the backlog, the application
 * must close, keepalive, who closes first) and today's (tcp_tw_reuse,
 * TCP_USER_TIMEOUT, `ss -tanp` and `lsof -i:PORT` to find the process).
 */
#include "tl-config.h"

#include "tl-diagnose-text.h"

#include <string.h>

#include <glib/gi18n.h>

#include "tl-trace.h"

/* Linux's default ephemeral range, net.ipv4.ip_local_port_range 32768-60999. */
#define EPHEMERAL_PORTS 28232

static const char *
problem_message (const TlSockProblem *p,
                 char               **owned)
{
  const char *token = p->token != NULL ? p->token : "";

  switch (p->code)
    {
    case TL_SOCK_PROBLEM_NOT_TEXT:
      return _("this is not a text file (a NUL byte or invalid UTF-8 here): "
               "give the saved output of ss -tan or netstat -nat");
    case TL_SOCK_PROBLEM_TOO_LARGE:
      return *owned = g_strdup_printf (_("the file is larger than %d MiB, the limit of a socket table"),
                                       TL_SOCKTABLE_MAX_BYTES / (1024 * 1024));
    case TL_SOCK_PROBLEM_LINE_TOO_LONG:
      return *owned = g_strdup_printf (_("the line is longer than %d bytes"), TL_SOCKTABLE_MAX_LINE);
    case TL_SOCK_PROBLEM_EMPTY:
      return _("the file is empty: save the output of ss -tan or netstat -nat in it");
    case TL_SOCK_PROBLEM_NOT_A_SOCKET:
      return *owned = g_strdup_printf (_("'%s' does not start a socket line of ss -tan (a state "
                                         "such as ESTAB) or of netstat -nat (tcp or tcp6)"), token);
    case TL_SOCK_PROBLEM_STATE:
      return *owned = g_strdup_printf (_("unknown state '%s' (expected LISTEN, ESTAB, SYN-SENT, "
                                         "SYN-RECV, FIN-WAIT-1, FIN-WAIT-2, CLOSE-WAIT, CLOSING, "
                                         "LAST-ACK, TIME-WAIT or netstat's names)"), token);
    case TL_SOCK_PROBLEM_QUEUE:
      return *owned = g_strdup_printf (_("'%s' is not a queue length (Recv-Q and Send-Q are "
                                         "whole numbers)"), token);
    case TL_SOCK_PROBLEM_ADDRESS:
      return *owned = g_strdup_printf (_("'%s' is not an ADDRESS:PORT"), token);
    case TL_SOCK_PROBLEM_MISSING:
      return *owned = g_strdup_printf (_("the line ends before its %s column"), token);
    case TL_SOCK_PROBLEM_EXTRA:
      return *owned = g_strdup_printf (_("unexpected '%s' after the addresses"), token);
    case TL_SOCK_PROBLEM_TIMER:
      return *owned = g_strdup_printf (_("'%s' is not a timer as ss -o writes it, such as "
                                         "timer:(on,200ms,0)"), token);
    case TL_SOCK_PROBLEM_PROCESS:
      return *owned = g_strdup_printf (_("'%s' is not a process as ss -p writes it "
                                         "(users:((\"name\",pid=1,fd=3))) or netstat -p "
                                         "(1234/name)"), token);
    }
  return "?";
}

char *
tl_sock_problem_to_string (const TlSockProblem *problem,
                           const char          *filename)
{
  g_autofree char *owned = NULL;
  const char *message = problem_message (problem, &owned);

  return g_strdup_printf ("%s:%u:%u: %s: %s", filename, problem->line, problem->column,
                          _("error"), message);
}

char *
tl_socktable_error_to_string (const GError *error,
                              GPtrArray    *problems,
                              const char   *filename)
{
  GString *out;

  if (problems == NULL || problems->len == 0)
    {
      if (g_error_matches (error, TL_SOCKTABLE_ERROR, TL_SOCKTABLE_ERROR_NOT_FILE))
        return g_strdup_printf ("%s: %s: %s", filename, _("error"),
                                _("not a regular file: give a saved socket table"));
      return g_strdup_printf ("%s: %s: %s", filename, _("error"), error->message);
    }
  out = g_string_new (NULL);
  for (guint i = 0; i < problems->len; i++)
    {
      g_autofree char *line = tl_sock_problem_to_string (g_ptr_array_index (problems, i), filename);

      if (i > 0)
        g_string_append_c (out, '\n');
      g_string_append (out, line);
    }
  return g_string_free (out, FALSE);
}

const char *
tl_sock_format_name (TlSockFormat format)
{
  switch (format)
    {
    case TL_SOCK_FORMAT_NONE:    return _("no socket lines");
    case TL_SOCK_FORMAT_SS:      return "ss";
    case TL_SOCK_FORMAT_NETSTAT: return "netstat";
    case TL_SOCK_FORMAT_KERNEL:  return _("the kernel's sock_diag");
    }
  return "?";
}

static const char *
finding_label (TlFindingId id)
{
  switch (id)
    {
    case TL_FINDING_SYN_FLOOD:         return _("SYN flood");
    case TL_FINDING_ACCEPT_QUEUE_FULL: return _("Accept queue full");
    case TL_FINDING_CLOSE_WAIT_LEAK:   return _("CLOSE_WAIT leak");
    case TL_FINDING_TIME_WAIT_PILEUP:  return _("TIME_WAIT piling up");
    case TL_FINDING_SYN_SENT_STUCK:    return _("Stuck in SYN_SENT");
    case TL_FINDING_FIN_WAIT_2_STUCK:  return _("Stuck in FIN_WAIT_2");
    case TL_FINDING_HALF_OPEN_SUSPECT: return _("Half-open connections suspected");
    }
  return "?";
}

const char *
tl_finding_advice (TlFindingId id)
{
  switch (id)
    {
    case TL_FINDING_SYN_FLOOD:
      return _("Turn SYN cookies on (net.ipv4.tcp_syncookies = 1, Linux's default): with a "
               "full SYN queue the server then answers with a cookie and keeps no state. "
               "Raise the backlog (listen()'s argument, net.core.somaxconn, "
               "net.ipv4.tcp_max_syn_backlog), lower net.ipv4.tcp_synack_retries so that "
               "half-open requests go sooner, and filter the sources upstream.");
    case TL_FINDING_ACCEPT_QUEUE_FULL:
      return _("The application does not call accept() fast enough, or at all: find it with "
               "ss -ltnp or lsof -i:PORT and look at what its accepting thread does. While "
               "the queue is full Linux drops new SYNs and the final ACKs of handshakes, so "
               "clients wait and retry. A bigger backlog (listen() and net.core.somaxconn) "
               "only absorbs bursts.");
    case TL_FINDING_CLOSE_WAIT_LEAK:
      return _("The peers have closed; this side's application must close too: after read() "
               "returns 0 (the peer's FIN), call close(). CLOSE_WAIT never times out. Find "
               "the process with ss -tanp state close-wait or lsof -i:PORT, then the code "
               "path that forgets to close (an error path, a pool that never releases). "
               "Restarting the process only hides the leak.");
    case TL_FINDING_TIME_WAIT_PILEUP:
      return _("TIME_WAIT belongs to the side that closes first and keeps old segments out of "
               "the next connection on the same ports: do not shorten it. Reuse connections "
               "(HTTP keep-alive, connection pools) instead of one per request, let the "
               "client close first where the protocol allows, set net.ipv4.tcp_tw_reuse = 1 "
               "for outgoing connections and widen net.ipv4.ip_local_port_range.");
    case TL_FINDING_SYN_SENT_STUCK:
      return _("No SYN,ACK comes back: check the address and port, the route, and firewalls "
               "that drop SYNs (a closed port would answer with RST). Give connect() a "
               "timeout shorter than Linux's 127 s (net.ipv4.tcp_syn_retries = 6). SYN_SENT "
               "to many addresses at once can be a scan or malware: find the process with "
               "ss -tanp state syn-sent.");
    case TL_FINDING_FIN_WAIT_2_STUCK:
      return _("This side closed and the peer acknowledged, but the peer's application has "
               "not closed its end: the leak is on the other machine (look for CLOSE_WAIT "
               "there). Linux ends an orphaned FIN_WAIT_2 after net.ipv4.tcp_fin_timeout "
               "(60 s); a socket that called shutdown() and is still open waits for ever, so "
               "close it after a timeout.");
    case TL_FINDING_HALF_OPEN_SUSPECT:
      return _("The peer may have vanished without a FIN (a crash, a power cut, a broken "
               "link): this side only learns it by sending. Turn on keepalive (SO_KEEPALIVE "
               "with TCP_KEEPIDLE, TCP_KEEPINTVL and TCP_KEEPCNT), set TCP_USER_TIMEOUT, or "
               "use heartbeats and read timeouts in the application. Confirm with ss -tano: "
               "a retransmission timer whose count keeps growing.");
    }
  return "?";
}

char *
tl_finding_where (const TlFinding *f)
{
  g_autofree char *addr = NULL;
  TlSockAddr sa;

  if (!f->remote)
    return g_strdup_printf (_("port %u"), f->port);
  g_strlcpy (sa.addr, f->addr, sizeof sa.addr);
  sa.port = f->port;
  if (f->port != 0)
    addr = tl_sock_addr_to_string (&sa);
  else
    addr = g_strdup (f->addr);
  if (f->id == TL_FINDING_HALF_OPEN_SUSPECT)
    return f->port != 0 ? g_strdup_printf (_("peer %s on port %u"), f->addr, f->port)
                        : g_strdup_printf (_("peer %s"), f->addr);
  return g_strdup_printf (_("connections to %s"), addr);
}

char *
tl_finding_title (const TlFinding *f)
{
  g_autofree char *where = tl_finding_where (f);

  return g_strdup_printf ("%s: %s", finding_label (f->id), where);
}

char *
tl_finding_peers (const TlFinding *f)
{
  GString *out;

  if (f->peers->len == 0)
    return NULL;
  out = g_string_new (NULL);
  for (guint i = 0; i < f->peers->len; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      g_string_append (out, g_ptr_array_index (f->peers, i));
    }
  if (f->n_peers > f->peers->len)
    g_string_append_printf (out, _(" and %u more"), f->n_peers - f->peers->len);
  return g_string_free (out, FALSE);
}

char *
tl_finding_evidence (const TlFinding *f)
{
  GString *out = g_string_new (NULL);
  g_autofree char *bytes = g_strdup_printf ("%" G_GUINT64_FORMAT, f->bytes);

  switch (f->id)
    {
    case TL_FINDING_SYN_FLOOD:
      g_string_append_printf (out, ngettext ("%u half-open connections in SYN_RCVD from %u "
                                             "address (a finding from %u: a real client's "
                                             "handshake leaves SYN_RCVD within one round trip).",
                                             "%u half-open connections in SYN_RCVD from %u "
                                             "addresses (a finding from %u: a real client's "
                                             "handshake leaves SYN_RCVD within one round trip).",
                                             f->n_peers),
                              f->count, f->n_peers, f->threshold);
      if (f->backlog > 0)
        g_string_append_printf (out, _(" The listener's backlog is %u: Linux keeps at most "
                                       "backlog + 1 = %u requests, so new SYNs are dropped."),
                                f->backlog, f->backlog + 1);
      if (f->timers && f->max_retrans > 0)
        g_string_append_printf (out, ngettext (" SYN,ACKs were sent again up to %u time: "
                                               "nobody answers them.",
                                               " SYN,ACKs were sent again up to %u times: "
                                               "nobody answers them.", f->max_retrans),
                                f->max_retrans);
      break;
    case TL_FINDING_ACCEPT_QUEUE_FULL:
      if (f->backlog > 0)
        g_string_append_printf (out, _("%u connections wait for accept() on a listener whose "
                                       "backlog is %u: the accept queue is full."),
                                f->queued, f->backlog);
      else
        g_string_append_printf (out, _("%u connections wait for accept() (a finding from %u; "
                                       "netstat does not show the backlog, ss -ltn does, as "
                                       "Send-Q)."), f->queued, f->threshold);
      break;
    case TL_FINDING_CLOSE_WAIT_LEAK:
      g_string_append_printf (out, ngettext ("%u connections in CLOSE_WAIT from %u address "
                                             "(a finding from %u): their peers closed, and this "
                                             "side has not called close().",
                                             "%u connections in CLOSE_WAIT from %u addresses "
                                             "(a finding from %u): their peers closed, and this "
                                             "side has not called close().", f->n_peers),
                              f->count, f->n_peers, f->threshold);
      if (f->with_data > 0)
        g_string_append_printf (out, _(" %u of them still hold %s bytes nobody read."),
                                f->with_data, bytes);
      break;
    case TL_FINDING_TIME_WAIT_PILEUP:
      g_string_append_printf (out, _("%u connections in TIME_WAIT (a finding from %u): this "
                                     "side closed them first, and each stays 60 s."),
                              f->count, f->threshold);
      if (f->remote)
        g_string_append_printf (out, _(" Each holds a local port toward this service: %.1f%% "
                                       "of the %u ports of Linux's default range."),
                                100.0 * f->count / EPHEMERAL_PORTS, EPHEMERAL_PORTS);
      break;
    case TL_FINDING_SYN_SENT_STUCK:
      g_string_append_printf (out, _("%u connect() calls wait in SYN_SENT (a finding from %u): "
                                     "no SYN,ACK has come back."), f->count, f->threshold);
      if (f->timers && f->max_retrans > 0)
        g_string_append_printf (out, ngettext (" SYNs were sent again up to %u time.",
                                               " SYNs were sent again up to %u times.",
                                               f->max_retrans), f->max_retrans);
      break;
    case TL_FINDING_FIN_WAIT_2_STUCK:
      g_string_append_printf (out, _("%u connections in FIN_WAIT_2 (a finding from %u): this "
                                     "side's FIN was acknowledged, the peer's FIN has not "
                                     "come."), f->count, f->threshold);
      break;
    case TL_FINDING_HALF_OPEN_SUSPECT:
      if (f->timers)
        g_string_append_printf (out, _("%u of the %u ESTABLISHED connections with this peer "
                                       "get no answer (a finding from %u): retransmissions up "
                                       "to %u times, or keepalive probes unanswered."),
                                f->count, f->established, f->threshold, f->max_retrans);
      else
        g_string_append_printf (out, _("%u of the %u ESTABLISHED connections with this peer "
                                       "have data sent and not acknowledged (a finding from "
                                       "%u). Without timers (ss -o) this is a suspicion: a "
                                       "busy transfer looks the same."),
                                f->count, f->established, f->threshold);
      if (f->with_data > 0)
        g_string_append_printf (out, _(" %s bytes wait in their send queues."), bytes);
      break;
    }
  if (f->process != NULL)
    {
      if (f->pid > 0)
        g_string_append_printf (out, _(" Process: %s (pid %u)."), f->process, f->pid);
      else
        g_string_append_printf (out, _(" Process: %s."), f->process);
    }
  return g_string_free (out, FALSE);
}

/* "LISTEN 1, SYN_RCVD 129, ESTABLISHED 5" */
static void
append_counts (GString     *out,
               const guint *counts)
{
  gboolean first = TRUE;

  for (guint s = 0; s < TL_N_STATES; s++)
    if (counts[s] > 0)
      {
        g_string_append_printf (out, "%s%s %u", first ? "" : ", ", tl_state_name (s), counts[s]);
        first = FALSE;
      }
}

void
tl_diagnosis_write_text (const TlDiagnosis *d,
                         const TlSockTable *table,
                         const char        *source,
                         GString           *out)
{
  g_string_append_printf (out, ngettext ("Socket table: %s (%s), %u socket\n",
                                         "Socket table: %s (%s), %u sockets\n", d->n_sockets),
                          source, tl_sock_format_name (table->format), d->n_sockets);
  for (guint s = 0; s < TL_N_STATES; s++)
    if (d->counts[s] > 0)
      g_string_append_printf (out, "  %-12s %7u\n", tl_state_name (s), d->counts[s]);
  if (d->ports->len > 0)
    g_string_append_printf (out, "%s\n", _("Listening ports:"));
  for (guint i = 0; i < d->ports->len; i++)
    {
      const TlPortCounts *pc = &g_array_index (d->ports, TlPortCounts, i);

      g_string_append_printf (out, "  %-6u ", pc->port);
      append_counts (out, pc->counts);
      if (table->format != TL_SOCK_FORMAT_NETSTAT)
        g_string_append_printf (out, _(" (accept queue %u of %u)"), pc->queued, pc->backlog);
      else if (pc->queued > 0)
        g_string_append_printf (out, _(" (accept queue %u)"), pc->queued);
      g_string_append_c (out, '\n');
    }
  g_string_append_c (out, '\n');
  if (d->findings->len == 0)
    {
      g_string_append_printf (out, "%s\n", _("No trouble found."));
      return;
    }
  for (guint i = 0; i < d->findings->len; i++)
    {
      const TlFinding *f = g_ptr_array_index (d->findings, i);
      g_autofree char *title = tl_finding_title (f);
      g_autofree char *peers = tl_finding_peers (f);
      g_autofree char *evidence = tl_finding_evidence (f);

      g_string_append_printf (out, "[%s] %s\n", tl_finding_name (f->id), title);
      if (peers != NULL)
        g_string_append_printf (out, "  %s %s\n", _("peers:"), peers);
      g_string_append_printf (out, "  %s %s\n", _("why:"), evidence);
      g_string_append_printf (out, "  %s %s\n", _("what to do:"), tl_finding_advice (f->id));
      g_string_append_printf (out, "  %s %s\n", _("lesson:"), tl_finding_lesson (f->id));
      if (i + 1 < d->findings->len)
        g_string_append_c (out, '\n');
    }
}

static void
append_states_json (GString     *out,
                    const guint *counts,
                    gboolean     all)
{
  gboolean first = TRUE;

  g_string_append_c (out, '{');
  for (guint s = 0; s < TL_N_STATES; s++)
    if (all || counts[s] > 0)
      {
        g_string_append_printf (out, "%s\"%s\": %u", first ? "" : ", ", tl_state_name (s), counts[s]);
        first = FALSE;
      }
  g_string_append_c (out, '}');
}

static void
append_finding_json (GString         *out,
                     const TlFinding *f)
{
  g_autofree char *title = tl_finding_title (f);
  g_autofree char *evidence = tl_finding_evidence (f);

  g_string_append (out, "    {\"id\": ");
  tl_json_append_string (out, tl_finding_name (f->id));
  g_string_append (out, ", \"title\": ");
  tl_json_append_string (out, title);
  g_string_append_printf (out, ", \"port\": %u, \"remote\": %s, \"address\": ", f->port,
                          f->remote ? "true" : "false");
  tl_json_append_string (out, f->remote ? f->addr : NULL);
  g_string_append_printf (out, ", \"state\": \"%s\", \"count\": %u, \"threshold\": %u, "
                          "\"n_peers\": %u, \"peers\": [", tl_state_name (tl_finding_state (f->id)),
                          f->count, f->threshold, f->n_peers);
  for (guint i = 0; i < f->peers->len; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      tl_json_append_string (out, g_ptr_array_index (f->peers, i));
    }
  g_string_append_printf (out, "], \"numbers\": {\"backlog\": %u, \"queued\": %u, "
                          "\"established\": %u, \"max_retrans\": %u, \"with_data\": %u, "
                          "\"bytes\": %" G_GUINT64_FORMAT "}, \"process\": ",
                          f->backlog, f->queued, f->established, f->max_retrans, f->with_data,
                          f->bytes);
  tl_json_append_string (out, f->process);
  g_string_append (out, ", \"evidence\": ");
  tl_json_append_string (out, evidence);
  g_string_append (out, ", \"advice\": ");
  tl_json_append_string (out, tl_finding_advice (f->id));
  g_string_append (out, ", \"lesson\": ");
  tl_json_append_string (out, tl_finding_lesson (f->id));
  g_string_append_c (out, '}');
}

void
tl_diagnosis_write_json (const TlDiagnosis *d,
                         const TlSockTable *table,
                         const char        *source,
                         GString           *out)
{
  static const char * const formats[] = { "none", "ss", "netstat", "kernel" };

  g_string_append (out, "{\n  \"source\": ");
  tl_json_append_string (out, source);
  g_string_append_printf (out, ",\n  \"format\": \"%s\",\n  \"sockets\": %u,\n  \"states\": ",
                          formats[table->format], d->n_sockets);
  append_states_json (out, d->counts, TRUE);
  g_string_append (out, ",\n  \"ports\": [");
  for (guint i = 0; i < d->ports->len; i++)
    {
      const TlPortCounts *pc = &g_array_index (d->ports, TlPortCounts, i);

      g_string_append_printf (out, "%s\n    {\"port\": %u, \"queued\": %u, \"backlog\": %u, "
                              "\"states\": ", i > 0 ? "," : "", pc->port, pc->queued, pc->backlog);
      append_states_json (out, pc->counts, FALSE);
      g_string_append_c (out, '}');
    }
  g_string_append (out, d->ports->len > 0 ? "\n  ],\n  \"findings\": [" : "],\n  \"findings\": [");
  for (guint i = 0; i < d->findings->len; i++)
    {
      g_string_append (out, i > 0 ? ",\n" : "\n");
      append_finding_json (out, g_ptr_array_index (d->findings, i));
    }
  g_string_append (out, d->findings->len > 0 ? "\n  ]\n}\n" : "]\n}\n");
}
