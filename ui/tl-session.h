/* tl-session.h: what the window plays: a scenario, its trace, the playhead.
 *
 * The session owns the TlScenario and the TlTrace simulated from it, the
 * playhead (a simulated time) and the lesson file it came from, and notifies
 * the widgets (properties) when any of them changes.  It never steps a live
 * simulator (DESIGN.md, Architecture point 2): playback moves the playhead
 * along a sealed trace, and an intervention simulates a new scenario from
 * zero (point 3).
 */
#pragma once

#include <gio/gio.h>

#include "tl-render.h"
#include "tl-scenario.h"
#include "tl-trace.h"

G_BEGIN_DECLS

#define TL_TYPE_SESSION (tl_session_get_type ())
G_DECLARE_FINAL_TYPE (TlSession, tl_session, TL, SESSION, GObject)

#define TL_SESSION_ERROR (tl_session_error_quark ())

typedef enum
{
  TL_SESSION_ERROR_NO_SEGMENT,   /* no such segment after the playhead */
  TL_SESSION_ERROR_NOT_LOCAL,    /* a lesson can be saved to a local file only */
  TL_SESSION_ERROR_WHATIFS_OFF,  /* no what-if here (tl_session_get_whatifs_off) */
} TlSessionError;

/* Playback never spends more than this much wall time on one stretch
 * between two records: a 60 s TIME_WAIT is crossed in 2 s. */
#define TL_SESSION_IDLE_WALL_US (2 * G_USEC_PER_SEC)

GQuark            tl_session_error_quark     (void);
TlSession        *tl_session_new             (void);

const TlScenario *tl_session_get_scenario    (TlSession        *self);
const TlTrace    *tl_session_get_trace       (TlSession        *self);
GFile            *tl_session_get_file        (TlSession        *self);
/* The problems of the file as last read ("FILE:LINE:COLUMN: error: ..."
 * lines), or NULL when it was read without error. */
const char       *tl_session_get_errors      (TlSession        *self);
/* Why the trace ends early: "FILE:LINE:COLUMN: the run was stopped at the
 * limit of ... (tl-budget.h)", or NULL when it ran to its end. */
const char       *tl_session_get_stopped     (TlSession        *self);
/* The user's language for lesson text ("zh_CN"), or NULL for untranslated. */
const char       *tl_session_get_locale      (TlSession        *self);

/* Plays a scenario that has no file (free play); takes ownership. */
void              tl_session_load_scenario   (TlSession        *self,
                                              TlScenario       *scenario);
/* Reads, simulates and plays a lesson file, and reloads it whenever it
 * changes on disk.  On errors the last good scenario keeps playing, the
 * errors are exposed (tl_session_get_errors) and FALSE is returned. */
gboolean          tl_session_load_file       (TlSession        *self,
                                              GFile            *file,
                                              GError          **error);
gboolean          tl_session_reload          (TlSession        *self,
                                              GError          **error);

/* The playhead, in [0, end time]. */
gint64            tl_session_get_time        (TlSession        *self);
void              tl_session_set_time        (TlSession        *self,
                                              gint64            time_us);
gint64            tl_session_get_end_time    (TlSession        *self);
/* The question of a pause at the playhead, or NULL. */
const char       *tl_session_get_question    (TlSession        *self);

gboolean          tl_session_get_playing     (TlSession        *self);
void              tl_session_set_playing     (TlSession        *self,
                                              gboolean          playing);
/* Simulated time per wall time: 0.1 plays ten times slower than real time. */
double            tl_session_get_speed       (TlSession        *self);
void              tl_session_set_speed       (TlSession        *self,
                                              double            speed);
void              tl_session_faster          (TlSession        *self);
void              tl_session_slower          (TlSession        *self);
/* Moves the playhead by wall_us of wall time at the current speed, crossing
 * idle stretches quickly; stops at a pause and at the end.  Called by the
 * window from its frame clock. */
void              tl_session_advance         (TlSession        *self,
                                              gint64            wall_us);
/* The next or previous event (tl_render_ladder_step_time: a flood's
 * records only one per 40th of the ladder's window, style ladder's zoom;
 * NULL: the window that follows the playhead). */
void              tl_session_step            (TlSession           *self,
                                              int                  direction,
                                              const TlRenderStyle *ladder);
void              tl_session_step_forward    (TlSession        *self);
void              tl_session_step_back       (TlSession        *self);
void              tl_session_restart         (TlSession        *self);

/* The TL_REC_SEGMENT record the user picked, or G_MAXUINT32. */
guint32           tl_session_get_selected    (TlSession        *self);
void              tl_session_set_selected    (TlSession        *self,
                                              guint32           record);

/* Why no what-if can re-run what plays, in the user's language, or NULL
 * when they can: an IPv6 capture, whose lesson (a lesson's hosts are IPv4)
 * would re-run it between made-up addresses.  Set when a file is loaded,
 * before notify::scenario. */
const char       *tl_session_get_whatifs_off (TlSession       *self);

/* Interventions: a statement at the playhead (its time_us is ignored), added
 * to a copy of the scenario, which is simulated again from zero; the
 * playhead stays where it is.  None while tl_session_get_whatifs_off says
 * why not. */
void              tl_session_intervene       (TlSession        *self,
                                              const TlStmt     *stmt);
/* The next segment sent in dir (0: host 0 -> host 1) with exactly these
 * flags after the playhead is lost (`drop next`), or arrives twice
 * (`duplicate next`).
 * FALSE (TL_SESSION_ERROR_NO_SEGMENT) when no such segment comes. */
gboolean          tl_session_drop_next       (TlSession        *self,
                                              int               dir,
                                              guint8            flags,
                                              GError          **error);
gboolean          tl_session_duplicate_next  (TlSession        *self,
                                              int               dir,
                                              guint8            flags,
                                              GError          **error);

/* The segments on the wire at the playhead in dir with exactly these flags
 * are lost there (`lose`), or arrive twice (`duplicate`).  FALSE
 * (TL_SESSION_ERROR_NO_SEGMENT) when no such segment is on the wire. */
gboolean          tl_session_lose_on_wire    (TlSession        *self,
                                              int               dir,
                                              guint8            flags,
                                              GError          **error);
gboolean          tl_session_duplicate_on_wire (TlSession      *self,
                                              int               dir,
                                              guint8            flags,
                                              GError          **error);
/* How many segments (a copy the link made counts) are on the wire at the
 * playhead in dir with exactly these flags, that a `lose` would take. */
guint             tl_session_count_on_wire   (TlSession        *self,
                                              int               dir,
                                              guint8            flags);

/* What-ifs.  The lesson as written (the file as read, or the scenario
 * loaded) and its trace are kept while the user changes it; each change can
 * be undone, or all of them at once. */
typedef struct
{
  gint64 change_us;   /* the earliest change the user made */
  gint64 time_us;     /* when the story departs: the first record that differs, not
                         before change_us (a `lose` rewrites a segment sent before it) */
  guint  written;     /* the first record that differs in the written trace */
  guint  changed;     /* and in the trace playing (a trace's n_records where it ended) */
} TlSessionDeparture;

/* TRUE once the user changed the lesson ("modified" property). */
gboolean          tl_session_get_modified    (TlSession        *self);
/* How many changes Undo can take back. */
guint             tl_session_get_n_changes   (TlSession        *self);
/* The trace of the lesson as written (the trace playing while unchanged). */
const TlTrace    *tl_session_get_written_trace (TlSession      *self);
/* FALSE while the run playing tells the lesson's story (unchanged, or a
 * change that changed nothing); else where it departs. */
gboolean          tl_session_get_departure   (TlSession        *self,
                                              TlSessionDeparture *departure);
/* Takes back the last change; FALSE if there is none. */
gboolean          tl_session_undo            (TlSession        *self);
/* Takes back every change: the lesson as written plays again. */
void              tl_session_back_to_written (TlSession        *self);

/* Writes the scenario as a lesson, atomically; an existing file is
 * replaced only when overwrite is TRUE (else G_IO_ERROR_EXISTS). */
gboolean          tl_session_save_lesson     (TlSession        *self,
                                              GFile            *file,
                                              gboolean          overwrite,
                                              GError          **error);

G_END_DECLS
