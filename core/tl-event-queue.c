/* tl-event-queue.c: a binary min-heap of events keyed by (time, sequence).
 *
 * Cancellation must be cheap and exact, because every timer of every
 * connection is an event that is usually cancelled before it fires (a
 * retransmission timer is re-armed on each ACK).  So each event owns a slot
 * that knows the event's position in the heap, and cancel removes it from the
 * heap at once in O(log n), rather than marking it and leaving a tombstone that
 * would keep memory growing with the number of cancelled timers.
 *
 * An id is (generation << 32 | slot): a slot is reused after its event ran or
 * was cancelled, and the generation tells a stale id from the current one.
 */
#include "tl-event-queue.h"

typedef struct
{
  gint64  time_us;
  guint64 seq;
  guint32 slot;
} HeapEntry;

typedef struct
{
  guint32  heap_pos;   /* G_MAXUINT32 when free */
  guint32  generation;
  guint32  kind;
  guint32  arg;
  gpointer data;
} Slot;

#define SLOT_FREE G_MAXUINT32

struct _TlEventQueue
{
  HeapEntry *heap;
  guint      heap_len;
  guint      heap_cap;

  Slot      *slots;
  guint      slots_len;
  guint      slots_cap;
  guint32   *free_slots;
  guint      free_len;

  guint64    next_seq;
  gint64     now_us;
};

TlEventQueue *
tl_event_queue_new (void)
{
  TlEventQueue *queue = g_new0 (TlEventQueue, 1);

  queue->heap_cap = 64;
  queue->heap = g_new (HeapEntry, queue->heap_cap);
  queue->slots_cap = 64;
  queue->slots = g_new (Slot, queue->slots_cap);
  queue->free_slots = g_new (guint32, queue->slots_cap);
  return queue;
}

void
tl_event_queue_free (TlEventQueue *queue)
{
  if (queue == NULL)
    return;
  g_free (queue->heap);
  g_free (queue->slots);
  g_free (queue->free_slots);
  g_free (queue);
}

static inline gboolean
entry_before (const HeapEntry *a,
              const HeapEntry *b)
{
  if (a->time_us != b->time_us)
    return a->time_us < b->time_us;
  return a->seq < b->seq;
}

static inline void
heap_place (TlEventQueue    *queue,
            guint            pos,
            const HeapEntry *entry)
{
  queue->heap[pos] = *entry;
  queue->slots[entry->slot].heap_pos = pos;
}

static void
sift_up (TlEventQueue *queue,
         guint         pos)
{
  HeapEntry entry = queue->heap[pos];

  while (pos > 0)
    {
      guint parent = (pos - 1) / 2;

      if (!entry_before (&entry, &queue->heap[parent]))
        break;
      heap_place (queue, pos, &queue->heap[parent]);
      pos = parent;
    }
  heap_place (queue, pos, &entry);
}

static void
sift_down (TlEventQueue *queue,
           guint         pos)
{
  HeapEntry entry = queue->heap[pos];
  guint len = queue->heap_len;

  for (;;)
    {
      guint child = 2 * pos + 1;

      if (child >= len)
        break;
      if (child + 1 < len && entry_before (&queue->heap[child + 1], &queue->heap[child]))
        child++;
      if (!entry_before (&queue->heap[child], &entry))
        break;
      heap_place (queue, pos, &queue->heap[child]);
      pos = child;
    }
  heap_place (queue, pos, &entry);
}

static guint32
slot_alloc (TlEventQueue *queue)
{
  if (queue->free_len > 0)
    return queue->free_slots[--queue->free_len];

  if (queue->slots_len == queue->slots_cap)
    {
      queue->slots_cap *= 2;
      queue->slots = g_renew (Slot, queue->slots, queue->slots_cap);
      queue->free_slots = g_renew (guint32, queue->free_slots, queue->slots_cap);
    }
  queue->slots[queue->slots_len].generation = 0;
  return queue->slots_len++;
}

static void
slot_release (TlEventQueue *queue,
              guint32       slot)
{
  queue->slots[slot].heap_pos = SLOT_FREE;
  queue->slots[slot].generation++;
  queue->free_slots[queue->free_len++] = slot;
}

static inline TlEventId
make_id (const TlEventQueue *queue,
         guint32             slot)
{
  /* +1 so that no id is ever 0 */
  return ((guint64) queue->slots[slot].generation << 32) | ((guint64) slot + 1);
}

/* Returns the slot an id names while its event is pending, else SLOT_FREE. */
static guint32
lookup (TlEventQueue *queue,
        TlEventId     id)
{
  guint64 slot_plus_one = id & G_MAXUINT32;
  guint32 generation = id >> 32;
  guint32 slot;

  if (slot_plus_one == 0 || slot_plus_one > queue->slots_len)
    return SLOT_FREE;
  slot = slot_plus_one - 1;
  if (queue->slots[slot].generation != generation ||
      queue->slots[slot].heap_pos == SLOT_FREE)
    return SLOT_FREE;
  return slot;
}

TlEventId
tl_event_queue_push (TlEventQueue *queue,
                     gint64        time_us,
                     guint32       kind,
                     guint32       arg,
                     gpointer      data)
{
  HeapEntry entry;
  guint32 slot;

  g_return_val_if_fail (queue != NULL, 0);
  /* Time never goes backwards: scheduling into the past is a programming error. */
  g_return_val_if_fail (time_us >= queue->now_us, 0);

  if (queue->heap_len == queue->heap_cap)
    {
      queue->heap_cap *= 2;
      queue->heap = g_renew (HeapEntry, queue->heap, queue->heap_cap);
    }

  slot = slot_alloc (queue);
  queue->slots[slot].kind = kind;
  queue->slots[slot].arg = arg;
  queue->slots[slot].data = data;

  entry.time_us = time_us;
  entry.seq = queue->next_seq++;
  entry.slot = slot;
  queue->heap[queue->heap_len] = entry;
  queue->slots[slot].heap_pos = queue->heap_len;
  queue->heap_len++;
  sift_up (queue, queue->heap_len - 1);

  return make_id (queue, slot);
}

static void
remove_at (TlEventQueue *queue,
           guint         pos)
{
  guint last = queue->heap_len - 1;

  slot_release (queue, queue->heap[pos].slot);
  queue->heap_len--;
  if (pos == last)
    return;

  heap_place (queue, pos, &queue->heap[last]);
  /* The moved entry may belong above or below its new place. */
  if (pos > 0 && entry_before (&queue->heap[pos], &queue->heap[(pos - 1) / 2]))
    sift_up (queue, pos);
  else
    sift_down (queue, pos);
}

/* Removes the earliest entry, bottom-up (Floyd): the hole at the root sinks
 * along the earlier child to a leaf, one comparison a level, and the last
 * entry rises from there.  The last entry is usually among the latest (an
 * event is mostly scheduled after those pending), so it rarely rises far,
 * where remove_at's sift_down would compare it twice a level on the way
 * down.  The same (time, sequence) order, so the same events in the same
 * order. */
static void
pop_root (TlEventQueue *queue)
{
  guint len = queue->heap_len - 1;
  HeapEntry last = queue->heap[len];
  guint hole = 0;

  slot_release (queue, queue->heap[0].slot);
  queue->heap_len = len;
  if (len == 0)
    return;
  for (;;)
    {
      guint child = 2 * hole + 1;

      if (child >= len)
        break;
      if (child + 1 < len && entry_before (&queue->heap[child + 1], &queue->heap[child]))
        child++;
      heap_place (queue, hole, &queue->heap[child]);
      hole = child;
    }
  while (hole > 0)
    {
      guint parent = (hole - 1) / 2;

      if (!entry_before (&last, &queue->heap[parent]))
        break;
      heap_place (queue, hole, &queue->heap[parent]);
      hole = parent;
    }
  heap_place (queue, hole, &last);
}

gboolean
tl_event_queue_cancel (TlEventQueue *queue,
                       TlEventId     id)
{
  guint32 slot;

  g_return_val_if_fail (queue != NULL, FALSE);

  slot = lookup (queue, id);
  if (slot == SLOT_FREE)
    return FALSE;
  remove_at (queue, queue->slots[slot].heap_pos);
  return TRUE;
}

gboolean
tl_event_queue_is_pending (TlEventQueue *queue,
                           TlEventId     id)
{
  g_return_val_if_fail (queue != NULL, FALSE);
  return lookup (queue, id) != SLOT_FREE;
}

gboolean
tl_event_queue_pop (TlEventQueue *queue,
                    TlEvent      *out)
{
  const HeapEntry *top;
  const Slot *slot;

  g_return_val_if_fail (queue != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (queue->heap_len == 0)
    return FALSE;

  top = &queue->heap[0];
  slot = &queue->slots[top->slot];
  g_assert (top->time_us >= queue->now_us);

  out->time_us = top->time_us;
  out->id = make_id (queue, top->slot);
  out->kind = slot->kind;
  out->arg = slot->arg;
  out->data = slot->data;
  queue->now_us = top->time_us;

  pop_root (queue);
  return TRUE;
}

gboolean
tl_event_queue_peek_time (TlEventQueue *queue,
                          gint64       *time_us)
{
  g_return_val_if_fail (queue != NULL, FALSE);

  if (queue->heap_len == 0)
    return FALSE;
  if (time_us != NULL)
    *time_us = queue->heap[0].time_us;
  return TRUE;
}

gint64
tl_event_queue_now (TlEventQueue *queue)
{
  g_return_val_if_fail (queue != NULL, 0);
  return queue->now_us;
}

void
tl_event_queue_advance (TlEventQueue *queue,
                        gint64        time_us)
{
  g_return_if_fail (queue != NULL);
  g_return_if_fail (time_us >= queue->now_us);
  g_return_if_fail (queue->heap_len == 0 || queue->heap[0].time_us >= time_us);

  queue->now_us = time_us;
}

guint
tl_event_queue_length (TlEventQueue *queue)
{
  g_return_val_if_fail (queue != NULL, 0);
  return queue->heap_len;
}
