/* tl-causes.c: causes of state changes, in words (tl-causes.h). */
#include "tl-config.h"

#include "tl-causes.h"

#include <glib/gi18n.h>

#include "tl-trace-compare.h"
#include "tl-render.h"

static char *
format_ms (gint64 us)
{
  return g_strdup_printf (_("%.0f ms"), (double) us / TL_USEC_PER_MSEC);
}

char *
tl_causes_state_heading (const TlTrace *trace,
                         guint          record)
{
  const TlRecord *rec = tl_trace_record (trace, record);
  g_autofree char *when = format_ms (rec->time_us);
  g_autofree char *host = tl_render_host_name (trace, rec->host);

  /* TRANSLATORS: "client: FIN_WAIT_1 → FIN_WAIT_2 at 700 ms" */
  return g_strdup_printf (_("%s: %s → %s at %s"), host,
                          tl_state_name (rec->u.state.from), tl_state_name (rec->u.state.to),
                          when);
}

/* The TL_REC_SEGMENT record an arrival is the end of: the latest sent
 * before it with its id from its host. */
static guint32
segment_of_arrival (const TlTrace *trace,
                    guint          arrive)
{
  const TlRecord *a = tl_trace_record (trace, arrive);

  for (guint i = arrive; i > 0; i--)
    {
      const TlRecord *r = tl_trace_record (trace, i - 1);

      if (r->kind == TL_REC_SEGMENT && r->host == a->host && r->u.seg.id == a->u.seg.id)
        return i - 1;
    }
  return G_MAXUINT32;
}

guint32
tl_causes_segment_of_state (const TlTrace *trace,
                            guint          record)
{
  guint cause = tl_trace_state_cause (trace, record);

  if (cause == G_MAXUINT || tl_trace_record (trace, cause)->kind != TL_REC_ARRIVE)
    return G_MAXUINT32;
  return segment_of_arrival (trace, cause);
}

static const char *
timer_name (TlTimerKind timer)
{
  switch (timer)
    {
    case TL_TIMER_RETRANSMIT: return _("retransmission");
    case TL_TIMER_SYNACK: return _("SYN,ACK retransmission");
    case TL_TIMER_TIME_WAIT: return "TIME_WAIT";
    case TL_TIMER_FIN_WAIT_2: return "FIN_WAIT_2";
    case TL_TIMER_KEEPALIVE: return _("keepalive");
    case TL_TIMER_DELACK: return _("delayed ACK");
    case TL_TIMER_PERSIST: return _("persist");
    case TL_TIMER_COMP_SACK: return _("compressed SACK");
    case TL_N_TIMERS: break;
    }
  return "";
}

const char *
tl_causes_call_name (TlCall call)
{
  switch (call)
    {
    case TL_CALL_LISTEN: return "listen()";
    case TL_CALL_UNLISTEN: return _("close() on its listener");
    case TL_CALL_CONNECT: return "connect()";
    case TL_CALL_CLOSE: return "close()";
    case TL_CALL_SHUTDOWN: return "shutdown()";
    case TL_CALL_ABORT: return _("close() with SO_LINGER 0");
    case TL_CALL_ACCEPT:
    case TL_CALL_SEND:
    case TL_CALL_READ:
    case TL_CALL_CRASH:
    case TL_CALL_REBOOT:
    case TL_CALL_CONNECTED:
    case TL_CALL_ACCEPTED:
    case TL_CALL_RECEIVED:
    case TL_CALL_EOF:
    case TL_CALL_ERROR:
      break;
    }
  return NULL;
}

char *
tl_causes_of_state (const TlTrace *trace,
                    guint          record)
{
  const TlRecord *rec = tl_trace_record (trace, record);
  guint cause = tl_trace_state_cause (trace, record);
  g_autofree char *host = NULL;
  const TlRecord *c;

  if (cause == G_MAXUINT)
    {
      if (rec->u.state.flags & TL_STATE_FLAG_INFERRED)
        return g_strdup (_("Inferred from the capture: no segment confirms it."));
      if (rec->u.state.cause == TL_CAUSE_QUEUE_OVERFLOW)
        return g_strdup (_("Caused by a full queue: the request was dropped."));
      return g_strdup (_("The trace does not say what caused it."));
    }
  c = tl_trace_record (trace, cause);
  host = tl_render_host_name (trace, c->host);
  switch ((TlRecordKind) c->kind)
    {
    case TL_REC_ARRIVE:
      {
        guint32 seg = segment_of_arrival (trace, cause);
        g_autofree char *sent = seg != G_MAXUINT32
                                ? format_ms (tl_trace_record (trace, seg)->time_us) : NULL;
        g_autofree char *arrived = format_ms (c->time_us);
        char flags[24];

        tl_flags_to_string (c->u.seg.flags, flags);
        if (sent == NULL)
          return g_strdup_printf (_("Caused by the %s from %s, arriving at %s."), flags,
                                  host, arrived);
        return g_strdup_printf (_("Caused by the %s from %s, sent at %s, arriving at %s."),
                                flags, host, sent, arrived);
      }
    case TL_REC_APP:
      if (tl_causes_call_name (c->u.app.call) == NULL)
        break;
      return g_strdup_printf (_("Caused by %s's application calling %s."),
                              host, tl_causes_call_name (c->u.app.call));
    case TL_REC_TIMER:
      return g_strdup_printf (_("Caused by the %s timer expiring."),
                              timer_name (c->u.timer.timer));
    case TL_REC_HOST:
      return g_strdup_printf (_("Caused by %s crashing."), host);
    case TL_REC_SEGMENT:
    case TL_REC_STATE:
    case TL_REC_LINK:
    case TL_REC_QUEUES:
    case TL_REC_CWND:
    case TL_REC_SAY:
    case TL_REC_PAUSE:
    case TL_REC_END:
      break;
    }
  return g_strdup (_("The trace does not say what caused it."));
}

char *
tl_causes_of_segment (const TlTrace *trace,
                      guint          record)
{
  g_autoptr(GArray) states = g_array_new (FALSE, FALSE, sizeof (guint));
  GString *text;

  tl_trace_segment_effects (trace, record, states);
  if (states->len == 0)
    return NULL;
  text = g_string_new (NULL);
  for (guint i = 0; i < states->len; i++)
    {
      const TlRecord *rec = tl_trace_record (trace, g_array_index (states, guint, i));
      g_autofree char *host = tl_render_host_name (trace, rec->host);

      if (text->len > 0)
        g_string_append_c (text, '\n');
      /* TRANSLATORS: what a segment's arrival did: "On arrival: server
       * ESTABLISHED → CLOSE_WAIT." */
      g_string_append_printf (text, _("On arrival: %s %s → %s."), host,
                              tl_state_name (rec->u.state.from), tl_state_name (rec->u.state.to));
    }
  return g_string_free (text, FALSE);
}

GtkWidget *
tl_causes_popover_new (void)
{
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *heading = gtk_label_new (NULL);
  GtkWidget *cause = gtk_label_new (NULL);

  gtk_widget_add_css_class (box, "segment-details");
  gtk_widget_add_css_class (heading, "title-3");
  /* Wrapped at one width given to both, as the states' explanations are:
   * left to choose its own, the cause's Chinese text was measured one line
   * high and drawn on two, its second cut off. */
  for (guint i = 0; i < 2; i++)
    {
      GtkLabel *label = GTK_LABEL (i == 0 ? heading : cause);

      gtk_label_set_wrap (label, TRUE);
      gtk_label_set_wrap_mode (label, PANGO_WRAP_WORD_CHAR);
      gtk_label_set_max_width_chars (label, 30);
      gtk_label_set_xalign (label, 0.0);
    }
  gtk_box_append (GTK_BOX (box), heading);
  gtk_box_append (GTK_BOX (box), cause);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  return popover;
}

void
tl_causes_popover_show (GtkWidget     *popover,
                        const TlTrace *trace,
                        guint          record)
{
  GtkWidget *box = gtk_popover_get_child (GTK_POPOVER (popover));
  GtkWidget *heading = gtk_widget_get_first_child (box);
  GtkWidget *cause = gtk_widget_get_next_sibling (heading);
  g_autofree char *h = tl_causes_state_heading (trace, record);
  g_autofree char *c = tl_causes_of_state (trace, record);

  gtk_label_set_text (GTK_LABEL (heading), h);
  gtk_label_set_text (GTK_LABEL (cause), c);
}
