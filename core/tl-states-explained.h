/* tl-states-explained.h: the eleven states explained, as data.
 *
 * What each state means, which role passes through it, the transitions in
 * and out of it, how long it lasts, what many of them on a real server mean
 * and what to do, and the shipped lessons that show it.  The text is written
 * once here, in English, marked for translation: ui/ and app/ show it through
 * gettext (core/ never translates nor prints).
 */
#pragma once

#include <glib.h>

#include "tl-types.h"

G_BEGIN_DECLS

/* The four roles of connection management.  The client is the usual active
 * opener and the server the passive opener; either side may close first. */
typedef enum
{
  TL_ROLE_ACTIVE_OPENER  = 1 << 0,   /* calls connect(): usually the client */
  TL_ROLE_PASSIVE_OPENER = 1 << 1,   /* calls listen(): the server */
  TL_ROLE_ACTIVE_CLOSER  = 1 << 2,   /* closes first: client or server */
  TL_ROLE_PASSIVE_CLOSER = 1 << 3,   /* closes second, after the peer's FIN */
} TlRole;

#define TL_N_ROLES 4
#define TL_ROLE_ANY 0xf

/* A transition.  from == TL_N_STATES means "any state" (an RST, abort()). */
typedef struct
{
  guint8      from;
  guint8      to;
  guint8      roles;       /* TlRole bits of who takes it */
  const char *event;       /* untranslated: "rcv SYN / snd SYN,ACK" */
} TlStateEdge;

typedef struct
{
  TlState     state;
  guint8      roles;       /* TlRole bits of who passes through it */
  const char *meaning;     /* untranslated paragraphs, as the rest */
  const char *who;
  const char *lasts;
  const char *on_server;   /* many of them on a real server, and what to do */
  const char *lessons;     /* lesson file names, space-separated (not translated) */
} TlStateExplained;

const TlStateExplained *tl_state_explained     (TlState      state);
/* Every transition, in a fixed order; *n receives their number. */
const TlStateEdge      *tl_state_edges         (guint       *n);
/* The roles that take the transition from -> to (TL_ROLE_ANY for the
 * any-state transitions to CLOSED), or 0 when there is none. */
guint                   tl_state_edge_roles    (TlState      from,
                                                TlState      to);
/* "active opener (usually the client)", untranslated. */
const char             *tl_role_name           (TlRole       role);

G_END_DECLS
