/* tl-session-interventions.c: the user's "what if?" at the playhead.  Each
 * is a lesson statement added to a copy of the scenario, which is simulated
 * again from zero (DESIGN.md, Architecture point 3): a statement typed by
 * hand, `drop next` and duplicating the next segment, and `lose` or
 * `duplicate` of the segments on the wire. */
#include "tl-config.h"

#include <glib/gi18n.h>

#include "tl-session-private.h"
#include "tl-render.h"
#include "tl-sim.h"

/* A copy of stmt at the playhead is added to a copy of the scenario, which
 * is played.  A statement after the lesson's `end` would never run, so an
 * intervention there lifts the `end`. */
void
tl_session_intervene (TlSession    *self,
                      const TlStmt *stmt)
{
  TlScenario *scenario;
  TlStmt copy;

  g_return_if_fail (TL_IS_SESSION (self));
  g_return_if_fail (stmt != NULL);

  if (tl_session_get_whatifs_off (self) != NULL)
    return;  /* the window says why (an IPv6 capture) */
  copy = *stmt;
  copy.time_us = tl_session_get_time (self);
  copy.line = 0;
  copy.column = 0;

  scenario = tl_scenario_copy (tl_session_get_scenario (self));
  if (scenario->end_us >= 0 && copy.time_us >= scenario->end_us)
    {
      for (guint j = scenario->stmts->len; j > 0; j--)
        if (g_array_index (scenario->stmts, TlStmt, j - 1).kind == TL_STMT_END)
          g_array_remove_index (scenario->stmts, j - 1);
      scenario->end_us = -1;
    }
  tl_scenario_insert (scenario, &copy);
  tl_session_change_scenario (self, scenario, copy.time_us);
}

/* The next segment sent in dir with exactly these flags after the playhead
 * in the present trace (the past does not change with an intervention, so
 * it is the one an intervention at the playhead will meet), or NULL. */
static const TlRecord *
find_next_segment (TlSession  *self,
                   int         dir,
                   guint8      flags,
                   GError    **error)
{
  const TlScenario *scenario = tl_session_get_scenario (self);
  const TlTrace *trace = tl_session_get_trace (self);
  guint n = tl_trace_n_records (trace);
  char buf[24];

  for (guint i = tl_trace_records_until (trace, tl_session_get_time (self)); i < n; i++)
    {
      const TlRecord *rec = tl_trace_record (trace, i);

      if (rec->kind == TL_REC_SEGMENT && rec->host == dir && rec->u.seg.flags == flags
          && rec->u.seg.fate != TL_FATE_DUPLICATE && tl_trace_segment_peer (trace, rec->u.seg.id) == 0)
        return rec;
    }
  {
    g_autofree char *from = tl_render_cut_name (scenario->hosts[dir].name);
    g_autofree char *to = tl_render_cut_name (scenario->hosts[1 - dir].name);

    g_set_error (error, TL_SESSION_ERROR, TL_SESSION_ERROR_NO_SEGMENT,
                 _("No %s segment from %s to %s is sent after this moment"),
                 tl_flags_to_string (flags, buf), from, to);
  }
  return NULL;
}

/* FALSE, with why, when no what-if can re-run what plays. */
static gboolean
whatifs_on (TlSession  *self,
            GError    **error)
{
  const char *off = tl_session_get_whatifs_off (self);

  if (off == NULL)
    return TRUE;
  g_set_error_literal (error, TL_SESSION_ERROR, TL_SESSION_ERROR_WHATIFS_OFF, off);
  return FALSE;
}

/* `drop next` (TL_STMT_DROP) or `duplicate next` of that one segment. */
static gboolean
intervene_next (TlSession   *self,
                TlStmtKind   kind,
                int          dir,
                guint8       flags,
                GError     **error)
{
  TlStmt stmt = { .kind = kind };

  if (!whatifs_on (self, error) || find_next_segment (self, dir, flags, error) == NULL)
    return FALSE;
  stmt.host = dir;
  stmt.u.drop.dir = dir;
  stmt.u.drop.flags = flags;
  stmt.u.drop.any = FALSE;
  stmt.u.drop.count = 1;
  tl_session_intervene (self, &stmt);
  return TRUE;
}

gboolean
tl_session_drop_next (TlSession  *self,
                      int         dir,
                      guint8      flags,
                      GError    **error)
{
  g_return_val_if_fail (TL_IS_SESSION (self), FALSE);
  g_return_val_if_fail (dir == 0 || dir == 1, FALSE);

  return intervene_next (self, TL_STMT_DROP, dir, flags, error);
}

gboolean
tl_session_duplicate_next (TlSession  *self,
                           int         dir,
                           guint8      flags,
                           GError    **error)
{
  g_return_val_if_fail (TL_IS_SESSION (self), FALSE);
  g_return_val_if_fail (dir == 0 || dir == 1, FALSE);

  return intervene_next (self, TL_STMT_DUPLICATE_NEXT, dir, flags, error);
}

guint
tl_session_count_on_wire (TlSession *self,
                          int        dir,
                          guint8     flags)
{
  const TlTrace *trace;
  TlWorld world;
  guint n = 0;

  g_return_val_if_fail (TL_IS_SESSION (self), 0);

  /* world_at's "in flight" is the simulator's "on the wire": sent at or
   * before the playhead and not arrived by it.  A segment the link already
   * lost is drawn until the point of loss, but is no longer there to take. */
  trace = tl_session_get_trace (self);
  tl_world_init (&world);
  tl_trace_world_at (trace, tl_session_get_time (self), &world);
  for (guint i = 0; i < world.in_flight->len; i++)
    {
      const TlRecord *rec = tl_trace_record (trace, g_array_index (world.in_flight, guint, i));

      n += rec->host == dir && rec->u.seg.flags == flags && tl_trace_segment_peer (trace, rec->u.seg.id) == 0
           && (rec->u.seg.fate == TL_FATE_DELIVERED || rec->u.seg.fate == TL_FATE_DUPLICATE);
    }
  tl_world_clear (&world);
  return n;
}

static gboolean
intervene_on_wire (TlSession   *self,
                   TlStmtKind   kind,
                   int          dir,
                   guint8       flags,
                   GError     **error)
{
  const TlScenario *scenario = tl_session_get_scenario (self);
  TlStmt stmt = { .kind = kind };
  char buf[24];

  if (!whatifs_on (self, error))
    return FALSE;
  if (tl_session_count_on_wire (self, dir, flags) == 0)
    {
      g_autofree char *from = tl_render_cut_name (scenario->hosts[dir].name);
      g_autofree char *to = tl_render_cut_name (scenario->hosts[1 - dir].name);

      g_set_error (error, TL_SESSION_ERROR, TL_SESSION_ERROR_NO_SEGMENT,
                   _("No %s segment from %s to %s is on the wire at this moment"),
                   tl_flags_to_string (flags, buf), from, to);
      return FALSE;
    }
  stmt.u.wire.dir = dir;
  stmt.u.wire.flags = flags;
  stmt.u.wire.any = FALSE;
  tl_session_intervene (self, &stmt);
  return TRUE;
}

gboolean
tl_session_lose_on_wire (TlSession  *self,
                         int         dir,
                         guint8      flags,
                         GError    **error)
{
  g_return_val_if_fail (TL_IS_SESSION (self), FALSE);
  g_return_val_if_fail (dir == 0 || dir == 1, FALSE);

  return intervene_on_wire (self, TL_STMT_LOSE, dir, flags, error);
}

gboolean
tl_session_duplicate_on_wire (TlSession  *self,
                              int         dir,
                              guint8      flags,
                              GError    **error)
{
  g_return_val_if_fail (TL_IS_SESSION (self), FALSE);
  g_return_val_if_fail (dir == 0 || dir == 1, FALSE);

  return intervene_on_wire (self, TL_STMT_DUPLICATE, dir, flags, error);
}
