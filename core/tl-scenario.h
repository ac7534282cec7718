/* tl-scenario.h: a lesson as plain data, what the simulator takes as input.
 *
 * The parser (tl-lesson.c) makes one from text; the GUI copies one and adds
 * statements at the playhead for free play (DESIGN.md, Architecture point 3);
 * tl_scenario_to_lesson() writes one back as lesson text.  Nothing here runs.
 */
#pragma once

#include <glib.h>

#include "tl-types.h"

G_BEGIN_DECLS

typedef enum
{
  TL_PROFILE_LINUX = 0,
  TL_PROFILE_RFC   = 1,
} TlProfile;

typedef enum
{
  TL_SYNCOOKIES_OFF    = 0,
  TL_SYNCOOKIES_ON     = 1,
  TL_SYNCOOKIES_ALWAYS = 2,
} TlSyncookies;

/* The receive window of both profiles when a lesson sets none. */
#define TL_DEFAULT_WINDOW 65535

/* A host's TCP settings (LESSON-FORMAT.md, "Host keys").  Durations in us. */
typedef struct
{
  TlProfile    profile;
  gboolean     isn_random;
  guint32      isn;                    /* when !isn_random */
  guint        backlog;
  guint        syn_queue;
  TlSyncookies syncookies;
  guint        syn_retries;
  guint        syn_linear_timeouts;    /* SYN retransmissions before backoff */
  guint        synack_retries;
  guint        retries;                /* tcp_retries2 */
  gint64       rto_initial_us;
  gint64       rto_min_us;
  gint64       rto_max_us;
  gint64       msl_us;
  gint64       fin_timeout_us;
  gboolean     keepalive;
  gint64       keepalive_idle_us;
  gint64       keepalive_interval_us;
  guint        keepalive_probes;
  gboolean     autoaccept;
  gboolean     autoread;
  guint32      window;
  gboolean     window_set;             /* a lesson set `window`: SO_RCVBUF, whose size
                                          Linux's window scale then follows */
  guint32      mss;
  gboolean     sack;                   /* net.ipv4.tcp_sack: SACK-permitted on SYNs */
  gboolean     timestamps;             /* net.ipv4.tcp_timestamps: RFC 7323 TSval/TSecr */
  gboolean     window_scaling;         /* net.ipv4.tcp_window_scaling: RFC 7323 window scale */
  guint16      port_first;             /* net.ipv4.ip_local_port_range: connect()'s ports, */
  guint16      port_last;              /* port_first to port_last included */
  gboolean     nodelay;                /* TCP_NODELAY: no Nagle algorithm */
  gint64       invalid_ratelimit_us;   /* net.ipv4.tcp_invalid_ratelimit (0: none) */
  guint32      challenge_ack_limit;    /* net.ipv4.tcp_challenge_ack_limit, per second
                                          and host (TL_CHALLENGE_ACK_UNLIMITED: none) */
  guint32      initcwnd;               /* the initial congestion window in segments
                                          (linux: `ip route ... initcwnd`, 10 by default;
                                          0: RFC 5681's formula, the rfc profile's) */
  gboolean     metrics_save;           /* net.ipv4.tcp_no_metrics_save 0: the host keeps
                                          a peer's RTT for its next connections */
  guint        comp_sack_nr;           /* net.ipv4.tcp_comp_sack_nr: duplicate ACKs a
                                          receiver may hold back at once (0: none) */
  gint64       comp_sack_delay_us;     /* net.ipv4.tcp_comp_sack_delay_ns: their
                                          longest wait */
  gboolean     frto;                   /* net.ipv4.tcp_frto: F-RTO (RFC 5682) after a
                                          retransmission timeout */
} TlSettings;

/* net.ipv4.tcp_challenge_ack_limit's INT_MAX: no host-wide limit (Linux 6.0's default). */
#define TL_CHALLENGE_ACK_UNLIMITED 2147483647u

/* Every key a `set` line may name, in the order of the format's table. */
typedef enum
{
  TL_KEY_PROFILE,
  TL_KEY_ISN,
  TL_KEY_BACKLOG,
  TL_KEY_SYN_QUEUE,
  TL_KEY_SYNCOOKIES,
  TL_KEY_SYN_RETRIES,
  TL_KEY_SYNACK_RETRIES,
  TL_KEY_RETRIES,
  TL_KEY_RTO_INITIAL,
  TL_KEY_RTO_MIN,
  TL_KEY_RTO_MAX,
  TL_KEY_MSL,
  TL_KEY_FIN_TIMEOUT,
  TL_KEY_KEEPALIVE,
  TL_KEY_KEEPALIVE_IDLE,
  TL_KEY_KEEPALIVE_INTERVAL,
  TL_KEY_KEEPALIVE_PROBES,
  TL_KEY_AUTOACCEPT,
  TL_KEY_AUTOREAD,
  TL_KEY_WINDOW,
  TL_KEY_MSS,
  TL_KEY_SYN_LINEAR_TIMEOUTS,  /* added after the format's table */
  TL_KEY_SACK,
  TL_KEY_TIMESTAMPS,
  TL_KEY_WINDOW_SCALING,
  TL_KEY_PORT_RANGE,
  TL_KEY_NODELAY,
  TL_KEY_INVALID_RATELIMIT,
  TL_KEY_CHALLENGE_ACK_LIMIT,
  TL_KEY_INITCWND,
  TL_KEY_METRICS_SAVE,
  TL_KEY_COMP_SACK_NR,
  TL_KEY_COMP_SACK_DELAY,
  TL_KEY_FRTO,
  TL_N_KEYS
} TlKey;

/* One key = value of a `set` line.  value is the number, the duration in us,
 * or the enum (TlProfile, TlSyncookies, gboolean); for isn, -1 means random;
 * for port_range, first << 16 | last. */
typedef struct
{
  TlKey  key;
  gint64 value;
} TlSetting;

void        tl_settings_init_profile (TlSettings       *settings,
                                      TlProfile         profile);
/* Applies one setting.  `profile` resets every other key to that profile's
 * default, so in `set all profile rfc rto_min 1s` the rto_min still holds. */
void        tl_settings_apply        (TlSettings       *settings,
                                      const TlSetting  *setting);
const char *tl_key_name              (TlKey             key);
gboolean    tl_key_from_name         (const char       *name,
                                      TlKey            *key);

typedef enum
{
  TL_LINK_DELAY,
  TL_LINK_JITTER,
  TL_LINK_LOSS,        /* value: parts per million (5% = 50000) */
  TL_LINK_DUPLICATE,   /* value: parts per million */
  TL_LINK_DOWN,        /* no value */
  TL_LINK_UP,          /* no value */
  TL_N_LINK_PARAMS
} TlLinkParam;

typedef struct
{
  TlLinkParam param;
  gint64      value;
} TlLinkSetting;

/* One direction of the link. */
typedef struct
{
  gint64   delay_us;
  gint64   jitter_us;
  guint32  loss_ppm;
  guint32  duplicate_ppm;
  gboolean down;
} TlLinkDir;

/* Directions: 0 is host 0 -> host 1, 1 is host 1 -> host 0. */
#define TL_DIR_BOTH (-1)

typedef enum
{
  /* applications */
  TL_STMT_LISTEN,
  TL_STMT_UNLISTEN,
  TL_STMT_CONNECT,
  TL_STMT_ACCEPT,
  TL_STMT_SEND,
  TL_STMT_READ,
  TL_STMT_CLOSE,
  TL_STMT_SHUTDOWN,
  TL_STMT_ABORT,
  TL_STMT_CRASH,
  TL_STMT_REBOOT,
  /* network */
  TL_STMT_LINK,
  TL_STMT_SET,
  TL_STMT_DROP,
  TL_STMT_DUPLICATE_NEXT, /* `drop next`'s twin: the next matching segments arrive twice */
  TL_STMT_HOLD_NEXT,   /* the next matching segment arrives delay_us later than the link's delay */
  TL_STMT_FLOOD,
  TL_STMT_LOSE,        /* the matching segments on the wire now are lost now */
  TL_STMT_DUPLICATE,   /* the matching segments on the wire now arrive twice */
  /* classroom */
  TL_STMT_SAY,
  TL_STMT_PAUSE,
  TL_STMT_END,
  TL_STMT_CHOICE,      /* an answer to offer at the pause before it (tl-question.h) */
  TL_STMT_EXPLAIN,     /* why the right answer is right, shown once answered */
  /* expectations */
  TL_STMT_EXPECT_STATE,
  TL_STMT_EXPECT_SOCKETS,
  TL_STMT_EXPECT_SEGMENTS,
  TL_STMT_EXPECT_ERROR,
} TlStmtKind;

typedef enum
{
  TL_CMP_EQ,
  TL_CMP_GE,
  TL_CMP_LE,
} TlCmp;

/* A connection as a lesson names it: HOST (ordinal 0: the most recent at
 * that time) or HOST#N (the Nth created on that host, from 1). */
typedef struct
{
  guint host;
  guint ordinal;
} TlConnRef;

/* 64 bytes: a lesson of 300,000 statements (`repeat` written out) takes 18 MiB,
 * not the 25 MiB of its 88-byte layout (tests/perf's 100,000 connections). */
typedef struct
{
  guint      kind : 8;         /* TlStmtKind */
  guint      host : 3;         /* the acting host (and TlConnRef.host for CONN statements) */
  /* A `repeat N every D` line is N statements, D apart (the parser writes
   * each out, in time order among the others); the writer folds them back. */
  guint      conn_per_repeat : 1;   /* HOST#i: conn.ordinal is one more for each repetition */
  guint      repeat_count : 20;     /* N, on each of them (at most TL_LESSON_MAX_COUNT,
                                       10^6 < 2^20); 0 for a line without repeat */
  guint      line;      /* where it was written, for messages; 0 if made by the GUI */
  guint      column;
  guint      repeat_index;     /* 0 for the first, up to N - 1 */
  TlConnRef  conn;
  gint64     time_us;
  gint64     repeat_every_us;  /* D */

  union
  {
    struct { guint16 port; } listen;                      /* LISTEN, UNLISTEN, ACCEPT (0: any) */
    struct { guint peer; guint16 port; guint16 from_port; } connect;  /* from_port 0: ephemeral */
    struct { guint64 bytes; } data;                      /* SEND, READ (READ: 0 = all) */
    struct { int dir; TlLinkSetting *settings; guint n_settings; } link;   /* dir: 0, 1, TL_DIR_BOTH */
    struct { int host; TlSetting *settings; guint n_settings; } set;      /* host -1: all */
    /* `drop next`, `duplicate next` and `hold next` (count 1, delay_us) */
    struct { int dir; guint8 flags; gboolean any; guint count; gint64 delay_us; } drop;
    struct { int dir; guint8 flags; gboolean any; } wire;  /* LOSE, DUPLICATE */
    struct { guint target; guint16 port; guint count; guint32 rate_per_s;
             guint32 net_addr; guint8 prefix_len; } flood;
    struct { char *text; char *locale; } say;            /* locale NULL: the untranslated text */
    struct { char *question; char *locale; } pause;      /* question may be NULL; locale NULL:
                                                          * untranslated, else a translation
                                                          * of the pause just before it */
    struct { char *text; char *locale; gboolean right; } answer;   /* CHOICE, EXPLAIN; locale as
                                                                * for `say`, a translation of
                                                                * the one just before */
    struct { TlState state; } expect_state;
    struct { TlState state; TlCmp cmp; guint64 n; } expect_sockets;
    struct { int dir; guint8 flags; gboolean any; TlCmp cmp; guint64 n; } expect_segments;
    struct { TlError error; } expect_error;
  } u;
} TlStmt;

typedef struct
{
  char   *name;
  guint32 addr;         /* IPv4, host byte order */
} TlHostDecl;

/* A translation of title or summary: ("zh_CN", "同时关闭"). */
typedef struct
{
  char *locale;
  char *text;
} TlText;

/* Where a lesson stands in the teaching order (`group NAME N`): the lesson
 * list shows the groups in this order, each lesson by its N. */
typedef enum
{
  TL_GROUP_NONE,      /* no `group` line: listed last, by file name */
  TL_GROUP_OPENING,   /* "opening": setting a connection up */
  TL_GROUP_CLOSING,   /* "closing": taking it down */
  TL_GROUP_TROUBLE,   /* "trouble": trouble on a server */
  TL_GROUP_TIMERS,    /* "timers": timers and limits */
  TL_N_GROUPS
} TlLessonGroup;

/* The name a lesson writes ("closing"), NULL for TL_GROUP_NONE; and back. */
const char *tl_lesson_group_name      (TlLessonGroup  group);
gboolean    tl_lesson_group_from_name (const char    *name,
                                       TlLessonGroup *group);

typedef struct
{
  char       *filename;  /* for messages; may be NULL */
  char       *title;
  char       *summary;
  GArray     *title_l10n;    /* of TlText */
  GArray     *summary_l10n;  /* of TlText */
  guint64     seed;
  TlLessonGroup group;       /* from `group NAME N`, with its N (1..999) */
  guint       group_order;
  TlHostDecl  hosts[2];
  TlSettings  settings[2];   /* after the setup `set` lines */
  TlLinkDir   link[2];       /* after the setup `link` lines */
  GArray     *stmts;         /* of TlStmt, in file order; times never go backwards */
  gint64      end_us;        /* from `end`, or -1: run until nothing is left, at most 1 hour */
} TlScenario;

TlScenario *tl_scenario_new          (void);   /* two hosts client 10.0.0.1, server 10.0.0.2, defaults */
TlScenario *tl_scenario_copy         (const TlScenario *scenario);
void        tl_scenario_free         (TlScenario       *scenario);
/* Appends a copy of stmt (deep: strings and arrays are copied), keeping the
 * statements ordered by time: after every statement at or before its time. */
void        tl_scenario_insert       (TlScenario       *scenario,
                                      const TlStmt     *stmt);
void        tl_stmt_clear            (TlStmt           *stmt);
/* A deep copy of src into dst (strings and arrays are copied). */
void        tl_stmt_copy             (TlStmt           *dst,
                                      const TlStmt     *src);
/* TRUE for the expect statements: read by the checker on the trace, not run. */
gboolean    tl_stmt_kind_is_expectation (TlStmtKind     kind);
/* The lesson text of a scenario, which the parser reads back to an equal scenario. */
char       *tl_scenario_to_lesson    (const TlScenario *scenario);
/* A host's settings as a lesson writes them, for a class to read: the
 * profile ("linux" or "rfc"), then each key that differs from that
 * profile's defaults ("rfc: backlog 4, syncookies off"). */
char       *tl_settings_describe     (const TlSettings *settings);
/* One statement as its lesson line ("548ms client close\n"). */
char       *tl_stmt_to_lesson_line   (const TlScenario *scenario,
                                      const TlStmt     *stmt);
/* A lesson file changed in the GUI, written back without reformatting it:
 * original (the text written was read from) byte for byte, with the
 * statements changed has and written lacks (line 0: added by the GUI)
 * each on a line of its own after the last statement of the file at or
 * before its time (before the first timed line if none), and the `end`
 * lines changed no longer has left out. */
char       *tl_lesson_merge          (const char       *original,
                                      const TlScenario *written,
                                      const TlScenario *changed);
int         tl_scenario_host_by_name (const TlScenario *scenario,
                                      const char       *name);
/* The title or summary in a language ("zh_CN", "zh"), else the untranslated one. */
const char *tl_scenario_title        (const TlScenario *scenario,
                                      const char       *locale);
const char *tl_scenario_summary      (const TlScenario *scenario,
                                      const char       *locale);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlScenario, tl_scenario_free)

G_END_DECLS
