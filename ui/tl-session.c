/* tl-session.c: the scenario, trace and playhead the window plays.
 *
 * Everything the widgets show is a function of (trace, playhead); this object
 * only decides where the playhead is and which trace it runs along.  Playback
 * is driven from outside (tl_session_advance, from the window's frame clock),
 * so the session holds no timer and tests can play it frame by frame.
 */
#include "tl-config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "tl-check.h"
#include "tl-capture.h"
#include "tl-import.h"
#include "tl-lesson.h"
#include "tl-paths.h"
#include "tl-session-private.h"
#include "tl-sim.h"
#include "tl-trace-compare.h"
#include "tl-trace-diff.h"

struct _TlSession
{
  GObject       parent_instance;

  TlScenario   *scenario;
  TlTrace      *trace;
  GFile        *file;
  GFileMonitor *monitor;
  char         *errors;
  char         *stopped;      /* why the trace was cut short, or NULL */
  char         *locale;
  char         *question;
  char         *whatifs_off;  /* why no what-if can re-run what plays, or NULL */

  gint64        time_us;
  gboolean      playing;
  guint         speed_index;
  guint32       selected;

  /* What-ifs: the lesson as written and the changes made to it.  Both
   * traces are kept, immutable; the written one only while changed (else it
   * is trace). */
  TlTrace      *written_trace;
  GPtrArray    *undo;         /* of TlScenario: the scenario before each change */
  GArray       *change_times; /* of gint64: when each change was made */
  gboolean      departs;
  TlSessionDeparture departure;
};

G_DEFINE_FINAL_TYPE (TlSession, tl_session, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_SCENARIO,
  PROP_TRACE,
  PROP_FILE,
  PROP_ERRORS,
  PROP_STOPPED,
  PROP_TIME,
  PROP_END_TIME,
  PROP_QUESTION,
  PROP_PLAYING,
  PROP_SPEED,
  PROP_SELECTED,
  PROP_MODIFIED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Simulated time per wall time.  Lessons happen in milliseconds, so even the
 * fastest step is slow motion; 0.1 shows a 10 ms hop in a tenth of a second. */
static const double speeds[] = { 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0 };
#define DEFAULT_SPEED_INDEX 3

G_DEFINE_QUARK (tl-session-error-quark, tl_session_error)

static void
update_question (TlSession *self)
{
  /* The pause at the playhead's very time, in the user's language. */
  const char *question = tl_trace_question_at (self->trace, self->time_us, self->locale);

  if (g_strcmp0 (question, self->question) == 0)
    return;
  g_free (self->question);
  self->question = g_strdup (question);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUESTION]);
}

static void
set_time_internal (TlSession *self,
                   gint64     time_us)
{
  time_us = CLAMP (time_us, 0, tl_session_get_end_time (self));
  if (time_us == self->time_us)
    return;
  self->time_us = time_us;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIME]);
  update_question (self);
}

/* "FILE:LINE:COLUMN: the run was stopped ..." for a trace cut by a limit of
 * the budget (tl-budget.h), in the user's language; NULL for a whole run. */
static char *
stopped_message (const TlScenario *scenario,
                 const TlTrace    *trace)
{
  g_autofree char *when = NULL;
  g_autofree char *what = NULL;
  guint line = 1, column = 1;
  guint64 limit = 0;
  TlEndReason reason = tl_check_cut (scenario, trace, &line, &column, &limit);

  what = tl_check_format_limit (reason, limit, tl_paths_translate);
  if (what == NULL)
    return NULL;
  when = tl_duration_to_string (tl_trace_end_time (trace));
  return g_strdup_printf (_("%s:%u:%u: the run was stopped at %s, at %s, while this statement "
                            "ran; nothing after that is shown"),
                          scenario->filename != NULL ? scenario->filename : "",
                          line, column, what, when);
}

/* Where the run leaves the lesson as written: the first record that
 * differs, but never before the earliest change (a `lose` rewrites the fate
 * of a segment sent before it). */
static void
update_departure (TlSession *self)
{
  TlSessionDeparture *d = &self->departure;
  gint64 change_us = G_MAXINT64;

  self->departs = FALSE;
  if (self->written_trace == NULL)
    return;
  self->departs = tl_trace_first_difference (self->written_trace, self->trace,
                                             &d->written, &d->changed);
  if (!self->departs)
    return;
  for (guint i = 0; i < self->change_times->len; i++)
    change_us = MIN (change_us, g_array_index (self->change_times, gint64, i));
  d->change_us = change_us;
  d->time_us = G_MAXINT64;
  if (d->written < tl_trace_n_records (self->written_trace))
    d->time_us = tl_trace_record (self->written_trace, d->written)->time_us;
  if (d->changed < tl_trace_n_records (self->trace))
    d->time_us = MIN (d->time_us, tl_trace_record (self->trace, d->changed)->time_us);
  d->time_us = MAX (d->time_us, change_us);
}

/* Forgets the what-ifs: the scenario now playing is the lesson as written. */
static void
forget_changes (TlSession *self)
{
  gboolean was = self->undo->len > 0;

  g_clear_pointer (&self->written_trace, tl_trace_free);
  g_ptr_array_set_size (self->undo, 0);
  g_array_set_size (self->change_times, 0);
  if (was)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
}

void
tl_session_replace_scenario (TlSession  *self,
                             TlScenario *scenario,
                             TlTrace    *trace)
{
  g_clear_pointer (&self->scenario, tl_scenario_free);
  g_clear_pointer (&self->trace, tl_trace_free);
  self->scenario = scenario;
  self->trace = trace;
  self->selected = G_MAXUINT32;
  update_departure (self);
  g_object_freeze_notify (G_OBJECT (self));
  {
    g_autofree char *stopped = stopped_message (scenario, trace);

    if (g_strcmp0 (stopped, self->stopped) != 0)
      {
        g_free (self->stopped);
        self->stopped = g_steal_pointer (&stopped);
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STOPPED]);
      }
  }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCENARIO]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRACE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_END_TIME]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
  g_object_thaw_notify (G_OBJECT (self));
  /* The playhead moved back into a shorter lesson after the trace's
   * listeners have seen the new trace: frozen with them, GLib notified the
   * time first, and the expectations' marks read the old lesson's results
   * against the new lesson's statements (a critical, past their end). */
  if (self->time_us > tl_session_get_end_time (self))
    {
      self->time_us = tl_session_get_end_time (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIME]);
    }
  update_question (self);
}

static void
set_errors (TlSession  *self,
            const char *errors)
{
  if (g_strcmp0 (errors, self->errors) == 0)
    return;
  g_free (self->errors);
  g_free (self->stopped);
  self->errors = g_strdup (errors);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERRORS]);
}

static void
tl_session_dispose (GObject *object)
{
  TlSession *self = TL_SESSION (object);

  if (self->monitor != NULL)
    g_file_monitor_cancel (self->monitor);
  g_clear_object (&self->monitor);
  g_clear_object (&self->file);

  G_OBJECT_CLASS (tl_session_parent_class)->dispose (object);
}

static void
tl_session_finalize (GObject *object)
{
  TlSession *self = TL_SESSION (object);

  g_clear_pointer (&self->scenario, tl_scenario_free);
  g_clear_pointer (&self->trace, tl_trace_free);
  g_clear_pointer (&self->written_trace, tl_trace_free);
  g_ptr_array_unref (self->undo);
  g_array_unref (self->change_times);
  g_free (self->errors);
  g_free (self->locale);
  g_free (self->question);
  g_free (self->whatifs_off);

  G_OBJECT_CLASS (tl_session_parent_class)->finalize (object);
}

static void
tl_session_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  TlSession *self = TL_SESSION (object);

  switch (prop_id)
    {
    case PROP_SCENARIO:
      g_value_set_pointer (value, self->scenario);
      break;
    case PROP_TRACE:
      g_value_set_pointer (value, self->trace);
      break;
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_ERRORS:
      g_value_set_string (value, self->errors);
      break;
    case PROP_STOPPED:
      g_value_set_string (value, self->stopped);
      break;
    case PROP_TIME:
      g_value_set_int64 (value, self->time_us);
      break;
    case PROP_END_TIME:
      g_value_set_int64 (value, tl_session_get_end_time (self));
      break;
    case PROP_QUESTION:
      g_value_set_string (value, self->question);
      break;
    case PROP_PLAYING:
      g_value_set_boolean (value, self->playing);
      break;
    case PROP_SPEED:
      g_value_set_double (value, tl_session_get_speed (self));
      break;
    case PROP_SELECTED:
      g_value_set_uint (value, self->selected);
      break;
    case PROP_MODIFIED:
      g_value_set_boolean (value, self->undo->len > 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tl_session_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  TlSession *self = TL_SESSION (object);

  switch (prop_id)
    {
    case PROP_TIME:
      tl_session_set_time (self, g_value_get_int64 (value));
      break;
    case PROP_PLAYING:
      tl_session_set_playing (self, g_value_get_boolean (value));
      break;
    case PROP_SPEED:
      tl_session_set_speed (self, g_value_get_double (value));
      break;
    case PROP_SELECTED:
      tl_session_set_selected (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tl_session_class_init (TlSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tl_session_dispose;
  object_class->finalize = tl_session_finalize;
  object_class->get_property = tl_session_get_property;
  object_class->set_property = tl_session_set_property;

  properties[PROP_SCENARIO] =
    g_param_spec_pointer ("scenario", NULL, NULL,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TRACE] =
    g_param_spec_pointer ("trace", NULL, NULL,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERRORS] =
    g_param_spec_string ("errors", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STOPPED] =
    g_param_spec_string ("stopped", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIME] =
    g_param_spec_int64 ("time", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_END_TIME] =
    g_param_spec_int64 ("end-time", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_QUESTION] =
    g_param_spec_string ("question", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PLAYING] =
    g_param_spec_boolean ("playing", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SPEED] =
    g_param_spec_double ("speed", NULL, NULL, speeds[0], speeds[G_N_ELEMENTS (speeds) - 1],
                         speeds[DEFAULT_SPEED_INDEX],
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED] =
    g_param_spec_uint ("selected", NULL, NULL, 0, G_MAXUINT32, G_MAXUINT32,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_MODIFIED] =
    g_param_spec_boolean ("modified", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

/* The first language the user asked for ("zh_CN.UTF-8"), or NULL for C. */
static char *
user_locale (void)
{
  const char * const *names = g_get_language_names ();

  if (names[0] == NULL || strcmp (names[0], "C") == 0 || strcmp (names[0], "POSIX") == 0)
    return NULL;
  return g_strdup (names[0]);
}

static void
tl_session_init (TlSession *self)
{
  self->speed_index = DEFAULT_SPEED_INDEX;
  self->selected = G_MAXUINT32;
  self->locale = user_locale ();
  self->undo = g_ptr_array_new_with_free_func ((GDestroyNotify) tl_scenario_free);
  self->change_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->scenario = tl_scenario_new ();
  self->trace = tl_simulate (self->scenario);
}

TlSession *
tl_session_new (void)
{
  return g_object_new (TL_TYPE_SESSION, NULL);
}

const TlScenario *
tl_session_get_scenario (TlSession *self)
{
  g_return_val_if_fail (TL_IS_SESSION (self), NULL);
  return self->scenario;
}

const TlTrace *
tl_session_get_trace (TlSession *self)
{
  g_return_val_if_fail (TL_IS_SESSION (self), NULL);
  return self->trace;
}

GFile *
tl_session_get_file (TlSession *self)
{
  g_return_val_if_fail (TL_IS_SESSION (self), NULL);
  return self->file;
}

const char *
tl_session_get_errors (TlSession *self)
{
  g_return_val_if_fail (TL_IS_SESSION (self), NULL);
  return self->errors;
}

const char *
tl_session_get_stopped (TlSession *self)
{
  g_return_val_if_fail (TL_IS_SESSION (self), NULL);
  return self->stopped;
}

const char *
tl_session_get_locale (TlSession *self)
{
  g_return_val_if_fail (TL_IS_SESSION (self), NULL);
  return self->locale;
}

const char *
tl_session_get_whatifs_off (TlSession *self)
{
  g_return_val_if_fail (TL_IS_SESSION (self), NULL);
  return self->whatifs_off;
}

void
tl_session_load_scenario (TlSession  *self,
                          TlScenario *scenario)
{
  g_return_if_fail (TL_IS_SESSION (self));
  g_return_if_fail (scenario != NULL);

  if (self->monitor != NULL)
    g_file_monitor_cancel (self->monitor);
  g_clear_object (&self->monitor);
  if (self->file != NULL)
    {
      g_clear_object (&self->file);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
    }
  set_errors (self, NULL);
  tl_session_set_playing (self, FALSE);
  forget_changes (self);
  g_clear_pointer (&self->whatifs_off, g_free);
  tl_session_replace_scenario (self, scenario, tl_simulate (scenario));
  set_time_internal (self, 0);
}

static void
file_changed_cb (GFileMonitor      *monitor,
                 GFile             *file,
                 GFile             *other_file,
                 GFileMonitorEvent  event,
                 gpointer           user_data)
{
  TlSession *self = user_data;

  switch (event)
    {
    /* An editor writes in place (done when the file is closed) or renames
     * a new file over the old one. */
    case G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT:
    case G_FILE_MONITOR_EVENT_CREATED:
    case G_FILE_MONITOR_EVENT_MOVED_IN:
    case G_FILE_MONITOR_EVENT_RENAMED:
    case G_FILE_MONITOR_EVENT_MOVED:
      /* The errors are shown through the "errors" property. */
      tl_session_reload (self, NULL);
      break;
    case G_FILE_MONITOR_EVENT_CHANGED:
    case G_FILE_MONITOR_EVENT_DELETED:
    case G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED:
    case G_FILE_MONITOR_EVENT_PRE_UNMOUNT:
    case G_FILE_MONITOR_EVENT_UNMOUNTED:
    case G_FILE_MONITOR_EVENT_MOVED_OUT:
      break;
    }
}

gboolean
tl_session_load_file (TlSession  *self,
                      GFile      *file,
                      GError    **error)
{
  g_return_val_if_fail (TL_IS_SESSION (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (self->monitor != NULL)
    g_file_monitor_cancel (self->monitor);
  g_clear_object (&self->monitor);
  g_set_object (&self->file, file);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);

  /* Without a monitor the lesson still plays; it only is not reloaded. */
  self->monitor = g_file_monitor_file (file, G_FILE_MONITOR_WATCH_MOVES, NULL, NULL);
  if (self->monitor != NULL)
    g_signal_connect_object (self->monitor, "changed", G_CALLBACK (file_changed_cb), self, 0);

  tl_session_set_playing (self, FALSE);
  if (!tl_session_reload (self, error))
    return FALSE;
  set_time_internal (self, 0);
  return TRUE;
}

/* A capture imported (capture/tl-import.c): its trace plays as captured,
 * and its lesson (the calls, delay and losses seen) is what an
 * intervention simulates again.  An IPv6 capture has no such lesson (a
 * lesson's hosts are IPv4): whatifs_off says why its what-ifs are off,
 * rather than a re-run between made-up IPv4 addresses. */
static TlScenario *
import_capture (const char  *path,
                TlTrace    **trace,
                char       **whatifs_off,
                GError     **error)
{
  g_autoptr(TlCapture) capture = tl_capture_read (path, error);
  g_autoptr(TlImport) import = NULL;
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *title = g_strdup_printf (_("Capture %s"), base);
  TlScenario *scenario;

  if (capture == NULL)
    return NULL;
  import = tl_import_new (capture, NULL, error);
  if (import == NULL)
    {
      g_prefix_error (error, "%s: ", path);
      return NULL;
    }
  if (!tl_import_lesson_possible (import, NULL))
    {
      g_autofree char *a = tl_addr_to_string (&import->hosts[0]);
      g_autofree char *b = tl_addr_to_string (&import->hosts[1]);

      *whatifs_off = g_strdup_printf (_("What-ifs are off for this capture: its hosts %s and %s "
                                        "have IPv6 addresses, and a lesson's hosts are IPv4, so "
                                        "a re-run would not be this exchange. It plays as "
                                        "captured."), a, b);
    }
  scenario = tl_import_to_scenario (import, title);
  *trace = g_steal_pointer (&import->trace);
  return scenario;
}

gboolean
tl_session_reload (TlSession  *self,
                   GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *path = NULL;
  g_autofree char *whatifs_off = NULL;
  TlScenario *scenario;
  TlTrace *trace = NULL;

  g_return_val_if_fail (TL_IS_SESSION (self), FALSE);
  g_return_val_if_fail (self->file != NULL, FALSE);

  path = g_file_get_path (self->file);
  if (path == NULL)
    {
      g_set_error (&local_error, TL_SESSION_ERROR, TL_SESSION_ERROR_NOT_LOCAL,
                   _("%s is not a local file"), g_file_peek_path (self->file));
      scenario = NULL;
    }
  else if (tl_capture_sniff (path))
    scenario = import_capture (path, &trace, &whatifs_off, &local_error);
  else
    scenario = tl_lesson_parse_file (path, &problems, &local_error);

  if (scenario == NULL)
    {
      /* the lesson's problems in the user's language; else (it could not
       * be read) the error as it is */
      g_autofree char *text = problems != NULL
                              ? tl_lesson_problems_format_translated (problems, path,
                                                                      tl_paths_translate)
                              : NULL;

      set_errors (self, text != NULL ? text : local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  set_errors (self, NULL);
  /* the lesson as written changed: the what-ifs made on the old one go */
  forget_changes (self);
  g_free (self->whatifs_off);
  self->whatifs_off = g_steal_pointer (&whatifs_off);
  tl_session_replace_scenario (self, scenario, trace != NULL ? trace : tl_simulate (scenario));
  return TRUE;
}

gint64
tl_session_get_time (TlSession *self)
{
  g_return_val_if_fail (TL_IS_SESSION (self), 0);
  return self->time_us;
}

void
tl_session_set_time (TlSession *self,
                     gint64     time_us)
{
  g_return_if_fail (TL_IS_SESSION (self));
  set_time_internal (self, time_us);
}

gint64
tl_session_get_end_time (TlSession *self)
{
  g_return_val_if_fail (TL_IS_SESSION (self), 0);
  return MAX (tl_trace_end_time (self->trace), 0);
}

const char *
tl_session_get_question (TlSession *self)
{
  g_return_val_if_fail (TL_IS_SESSION (self), NULL);
  return self->question;
}

gboolean
tl_session_get_playing (TlSession *self)
{
  g_return_val_if_fail (TL_IS_SESSION (self), FALSE);
  return self->playing;
}

void
tl_session_set_playing (TlSession *self,
                        gboolean   playing)
{
  g_return_if_fail (TL_IS_SESSION (self));

  playing = !!playing;
  if (playing == self->playing)
    return;
  /* Play at the end starts again from the beginning. */
  if (playing && self->time_us >= tl_session_get_end_time (self))
    set_time_internal (self, 0);
  self->playing = playing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
}

double
tl_session_get_speed (TlSession *self)
{
  g_return_val_if_fail (TL_IS_SESSION (self), 0.0);
  return speeds[self->speed_index];
}

static void
set_speed_index (TlSession *self,
                 guint      index)
{
  if (index == self->speed_index)
    return;
  self->speed_index = index;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEED]);
}

void
tl_session_set_speed (TlSession *self,
                      double     speed)
{
  guint best = 0;

  g_return_if_fail (TL_IS_SESSION (self));

  /* The nearest of the steps, by ratio. */
  for (guint i = 1; i < G_N_ELEMENTS (speeds); i++)
    if (fabs (log (speeds[i] / speed)) < fabs (log (speeds[best] / speed)))
      best = i;
  set_speed_index (self, best);
}

void
tl_session_faster (TlSession *self)
{
  g_return_if_fail (TL_IS_SESSION (self));
  set_speed_index (self, MIN (self->speed_index + 1, G_N_ELEMENTS (speeds) - 1));
}

void
tl_session_slower (TlSession *self)
{
  g_return_if_fail (TL_IS_SESSION (self));
  set_speed_index (self, self->speed_index > 0 ? self->speed_index - 1 : 0);
}

void
tl_session_advance (TlSession *self,
                    gint64     wall_us)
{
  guint n, first, last;
  gint64 end, prev_us, next_us, to_us;
  double rate;

  g_return_if_fail (TL_IS_SESSION (self));

  if (!self->playing || wall_us <= 0)
    return;

  end = tl_session_get_end_time (self);
  n = tl_trace_n_records (self->trace);
  first = tl_trace_records_until (self->trace, self->time_us);

  /* The stretch between the records around the playhead: when it would take
   * longer than TL_SESSION_IDLE_WALL_US at this speed, it is crossed in that
   * time instead, at a steady rate, so a timer bar still drains visibly. */
  prev_us = first > 0 ? tl_trace_record (self->trace, first - 1)->time_us : 0;
  next_us = first < n ? tl_trace_record (self->trace, first)->time_us : end;
  rate = speeds[self->speed_index];
  if ((double) (next_us - prev_us) / rate > TL_SESSION_IDLE_WALL_US)
    rate = (double) (next_us - prev_us) / TL_SESSION_IDLE_WALL_US;
  to_us = self->time_us + MAX ((gint64) (wall_us * rate), 1);
  /* The rate changes at the next record: never overshoot it when hurrying. */
  if (rate > speeds[self->speed_index])
    to_us = MIN (to_us, next_us);
  to_us = MIN (to_us, end);

  /* Playback stops at each pause (the records in (time, to]). */
  last = tl_trace_records_until (self->trace, to_us);
  for (guint i = first; i < last; i++)
    {
      const TlRecord *rec = tl_trace_record (self->trace, i);

      if (rec->kind == TL_REC_PAUSE)
        {
          to_us = rec->time_us;
          tl_session_set_playing (self, FALSE);
          break;
        }
    }
  if (to_us >= end)
    tl_session_set_playing (self, FALSE);
  set_time_internal (self, to_us);
}

void
tl_session_step (TlSession           *self,
                 int                  direction,
                 const TlRenderStyle *ladder)
{
  TlRenderStyle follow;
  gint64 to_us;

  g_return_if_fail (TL_IS_SESSION (self));

  if (ladder == NULL)
    {
      tl_render_style_init (&follow);
      ladder = &follow;
    }
  tl_session_set_playing (self, FALSE);
  to_us = tl_render_ladder_step_time (self->trace, self->time_us, ladder, direction);
  set_time_internal (self, CLAMP (to_us, 0, tl_session_get_end_time (self)));
}

void
tl_session_step_forward (TlSession *self)
{
  tl_session_step (self, 1, NULL);
}

void
tl_session_step_back (TlSession *self)
{
  tl_session_step (self, -1, NULL);
}

void
tl_session_restart (TlSession *self)
{
  g_return_if_fail (TL_IS_SESSION (self));

  tl_session_set_playing (self, FALSE);
  set_time_internal (self, 0);
}

guint32
tl_session_get_selected (TlSession *self)
{
  g_return_val_if_fail (TL_IS_SESSION (self), G_MAXUINT32);
  return self->selected;
}

void
tl_session_set_selected (TlSession *self,
                         guint32    record)
{
  g_return_if_fail (TL_IS_SESSION (self));

  if (record == self->selected)
    return;
  self->selected = record;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

gboolean
tl_session_save_lesson (TlSession  *self,
                        GFile      *file,
                        gboolean    overwrite,
                        GError    **error)
{
  g_autoptr(TlScenario) scenario = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (TL_IS_SESSION (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_set_error (error, TL_SESSION_ERROR, TL_SESSION_ERROR_NOT_LOCAL,
                   _("A lesson can be saved to a local file only"));
      return FALSE;
    }
  if (!overwrite && g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   _("%s already exists"), path);
      return FALSE;
    }

  /* A free play has no title yet: the file's name serves. */
  scenario = tl_scenario_copy (self->scenario);
  if (scenario->title == NULL)
    {
      g_autofree char *base = g_path_get_basename (path);
      char *dot = strrchr (base, '.');

      if (dot != NULL && dot != base)
        *dot = '\0';
      scenario->title = g_strdup (base);
    }
  /* A lesson file keeps its own text, the changes added where they belong
   * by time (tl_lesson_merge); free play is written out whole. */
  if (self->file != NULL && g_file_peek_path (self->file) != NULL
      && !tl_capture_sniff (g_file_peek_path (self->file)))
    {
      g_autofree char *original = NULL;
      const TlScenario *written = self->undo->len > 0 ? g_ptr_array_index (self->undo, 0)
                                                      : self->scenario;

      if (g_file_get_contents (g_file_peek_path (self->file), &original, NULL, NULL)
          && g_utf8_validate (original, -1, NULL))
        text = tl_lesson_merge (original, written, self->scenario);
    }
  if (text == NULL)
    text = tl_scenario_to_lesson (scenario);
  return g_file_set_contents (path, text, -1, error);
}

void
tl_session_change_scenario (TlSession  *self,
                            TlScenario *scenario,
                            gint64      change_us)
{
  gboolean was = self->undo->len > 0;

  /* the scenario before the change goes on the undo stack; the lesson's
   * own trace is kept aside, the ones in between are simulated again on
   * undo */
  g_ptr_array_add (self->undo, g_steal_pointer (&self->scenario));
  g_array_append_val (self->change_times, change_us);
  if (self->written_trace == NULL)
    self->written_trace = g_steal_pointer (&self->trace);
  tl_session_replace_scenario (self, scenario, tl_simulate (scenario));
  if (!was)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
}

gboolean
tl_session_get_modified (TlSession *self)
{
  g_return_val_if_fail (TL_IS_SESSION (self), FALSE);
  return self->undo->len > 0;
}

guint
tl_session_get_n_changes (TlSession *self)
{
  g_return_val_if_fail (TL_IS_SESSION (self), 0);
  return self->undo->len;
}

const TlTrace *
tl_session_get_written_trace (TlSession *self)
{
  g_return_val_if_fail (TL_IS_SESSION (self), NULL);
  return self->written_trace != NULL ? self->written_trace : self->trace;
}

gboolean
tl_session_get_departure (TlSession          *self,
                          TlSessionDeparture *departure)
{
  g_return_val_if_fail (TL_IS_SESSION (self), FALSE);

  if (self->departs && departure != NULL)
    *departure = self->departure;
  return self->departs;
}

gboolean
tl_session_undo (TlSession *self)
{
  TlScenario *scenario;

  g_return_val_if_fail (TL_IS_SESSION (self), FALSE);

  if (self->undo->len == 0)
    return FALSE;
  scenario = g_ptr_array_steal_index (self->undo, self->undo->len - 1);
  g_array_set_size (self->change_times, self->change_times->len - 1);
  if (self->undo->len > 0)
    tl_session_replace_scenario (self, scenario, tl_simulate (scenario));
  else
    {
      TlTrace *written = g_steal_pointer (&self->written_trace);

      tl_session_replace_scenario (self, scenario, written);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
    }
  return TRUE;
}

void
tl_session_back_to_written (TlSession *self)
{
  TlScenario *scenario;
  TlTrace *written;

  g_return_if_fail (TL_IS_SESSION (self));

  if (self->undo->len == 0)
    return;
  scenario = g_ptr_array_steal_index (self->undo, 0);
  written = g_steal_pointer (&self->written_trace);
  forget_changes (self);
  tl_session_replace_scenario (self, scenario, written);
}
