/* tl-event-queue.h: the simulation clock and its pending events.
 *
 * Time is integer microseconds.  Events are ordered by (time, insertion order),
 * so two events scheduled for the same microsecond run in the order they were
 * scheduled: that is where non-determinism would otherwise hide.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* 0 is never a valid id: a connection with no timer armed stores 0. */
typedef guint64 TlEventId;

typedef struct
{
  gint64    time_us;
  TlEventId id;
  guint32   kind;      /* what the owner of the queue does with it */
  guint32   arg;
  gpointer  data;
} TlEvent;

typedef struct _TlEventQueue TlEventQueue;

TlEventQueue *tl_event_queue_new        (void);
void          tl_event_queue_free       (TlEventQueue *queue);
TlEventId     tl_event_queue_push       (TlEventQueue *queue,
                                         gint64        time_us,
                                         guint32       kind,
                                         guint32       arg,
                                         gpointer      data);
gboolean      tl_event_queue_cancel     (TlEventQueue *queue,
                                         TlEventId     id);
gboolean      tl_event_queue_is_pending (TlEventQueue *queue,
                                         TlEventId     id);
gboolean      tl_event_queue_pop        (TlEventQueue *queue,
                                         TlEvent      *out);
gboolean      tl_event_queue_peek_time  (TlEventQueue *queue,
                                         gint64       *time_us);
gint64        tl_event_queue_now        (TlEventQueue *queue);
/* Moves the clock to time_us for work done outside the queue (the
 * simulator's statements): never backwards, never past a pending event. */
void          tl_event_queue_advance    (TlEventQueue *queue,
                                         gint64        time_us);
guint         tl_event_queue_length     (TlEventQueue *queue);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlEventQueue, tl_event_queue_free)

G_END_DECLS
