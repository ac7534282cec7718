/* tl-diagnose-text.h: a diagnosis in words, in the user's language (gettext),
 * as text for a terminal, as JSON, or piece by piece for the window's cards. */
#pragma once

#include <glib.h>

#include "tl-diagnose.h"

G_BEGIN_DECLS

/* "FILE:LINE:COLUMN: error: WHAT" */
char *tl_sock_problem_to_string   (const TlSockProblem *problem,
                                   const char          *filename);
/* A table that could not be read: the problems one a line, or the error. */
char *tl_socktable_error_to_string (const GError *error,
                                    GPtrArray    *problems,
                                    const char   *filename);
/* "SYN flood: port 9502" */
char *tl_finding_title            (const TlFinding *finding);
/* "port 9502", "connections to 192.0.2.2:8000", "peer 2001:db8::1" */
char *tl_finding_where            (const TlFinding *finding);
/* The numbers that make it, in a sentence or three. */
char *tl_finding_evidence         (const TlFinding *finding);
/* What to do about it. */
const char *tl_finding_advice     (TlFindingId      id);
/* "198.18.3.4, 198.19.0.7 and 127 more"; NULL when there is no peer. */
char *tl_finding_peers            (const TlFinding *finding);
/* The source's kind: "ss", "netstat", "this machine (sock_diag)". */
const char *tl_sock_format_name   (TlSockFormat     format);

/* The report as tcplab-cli diagnose prints it: the source, the counts per
 * state and per listening port, then each finding (or that there is none). */
void  tl_diagnosis_write_text     (const TlDiagnosis *diagnosis,
                                   const TlSockTable *table,
                                   const char        *source,
                                   GString           *out);
/* One JSON object: source, format, sockets, states, ports, findings (each
 * with id, title, port, remote, address, count, threshold, peers, n_peers,
 * numbers, evidence, advice, lesson). */
void  tl_diagnosis_write_json     (const TlDiagnosis *diagnosis,
                                   const TlSockTable *table,
                                   const char        *source,
                                   GString           *out);

G_END_DECLS
