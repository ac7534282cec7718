/* tcplab-cli: TCP Lab without a display: check lessons, print traces,
 * write pcap files, draw a ladder diagram on a text console.
 *
 * Each subcommand is a row of the table below: a name, a function taking the
 * subcommand's own argv (argv[0] is "tcplab-cli NAME"), and a one-line summary.
 * Exit codes: 0 all well, 1 an expectation failed, 2 a usage or lesson error.
 */
#include "tl-config.h"

#include <locale.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <string.h>

#include "tl-check.h"
#include "tl-cli-diagnose.h"
#include "tl-cli-explain.h"
#include "tl-cli-import.h"
#include "tl-cli-output.h"
#include "tl-cli-real.h"
#include "tl-cli-render.h"
#include "tl-lesson.h"
#include "tl-paths.h"
#include "tl-pcap.h"
#include "tl-question.h"
#include "tl-render.h"
#include "tl-sim.h"

#define EXIT_FAILED 1
#define EXIT_USAGE  2

typedef struct
{
  const char *name;
  int       (*run) (int argc, char **argv);
  const char *summary;
} TlCliCommand;

static int cli_check (int argc, char **argv);
static int cli_run   (int argc, char **argv);

static const TlCliCommand commands[] = {
  { "check", cli_check, "run lessons headless and check their expect lines" },
  { "run",   cli_run,   "print a lesson's trace, write a pcap file, draw a ladder diagram" },
  { "render", tl_cli_render, "draw a lesson at a moment as a PNG, SVG or PDF picture" },
  { "import", tl_cli_import, "read a capture (pcap, pcapng) as a trace, both ends' states inferred" },
  { "explain", tl_cli_explain, "explain a TCP state (or all eleven) and what many of them mean" },
  { "diagnose", tl_cli_diagnose, "explain a socket table (ss/netstat output, or this machine's)" },
  { "real", tl_cli_real, "play a lesson on the running Linux kernel, in network namespaces" },
};

/* Parses a subcommand's options (GLib answers --help itself and exits). */
static gboolean
parse_options (GOptionContext  *context,
               int             *argc,
               char          ***argv,
               int             *exit_code)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("tcplab-cli: %s\n", error->message);
      *exit_code = EXIT_USAGE;
      return FALSE;
    }
  return TRUE;
}

/* The lesson's problems, one line each as FILE:LINE:COLUMN: error: WHAT. */
TlScenario *
tl_cli_load_lesson (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  TlScenario *scenario = tl_lesson_parse_file (path, &problems, &error);

  if (scenario != NULL)
    return scenario;
  if (problems == NULL)
    g_printerr ("%s\n", error->message);
  else
    {
      g_autofree char *text = tl_lesson_problems_format_translated (problems, path,
                                                                    tl_paths_translate);

      g_printerr ("%s\n", text);
    }
  return NULL;
}

/* Checks the lesson's expect lines on trace: one line per failure, or
 * "NAME: ok, N expectations". */
int
tl_cli_report_check (const TlScenario *scenario,
                     const TlTrace    *trace,
                     const char       *name)
{
  g_autoptr(GArray) results = tl_check_expectations (scenario, trace);
  g_autofree char *cut = NULL;
  guint n_failed = 0;

  /* A run stopped by a limit says so, and only the expectations before the
   * stop are compared: the rest never happened. */
  cut = tl_check_format_cut_translated (scenario, trace, tl_paths_translate);
  if (cut != NULL)
    g_printerr ("%s\n", cut);
  for (guint i = 0; i < results->len; i++)
    {
      const TlExpectResult *result = &g_array_index (results, TlExpectResult, i);

      if (!result->ok && tl_check_is_checkable (scenario, trace, result->stmt))
        {
          g_autofree char *line = tl_check_format_failure (scenario, result);

          g_printerr ("%s\n", line);
          n_failed++;
        }
    }
  if (cut != NULL)
    return EXIT_USAGE;
  if (n_failed > 0)
    return EXIT_FAILED;
  g_print ("%s: ok, %u expectation%s\n", name, results->len, results->len == 1 ? "" : "s");
  return EXIT_SUCCESS;
}

static int
check_one (const char *path)
{
  g_autoptr(TlScenario) scenario = tl_cli_load_lesson (path);
  g_autoptr(TlTrace) trace = NULL;

  if (scenario == NULL)
    return EXIT_USAGE;
  trace = tl_simulate (scenario);
  return tl_cli_report_check (scenario, trace, path);
}

static int
cli_check (int    argc,
           char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE... - check lessons");
  int exit_code = EXIT_SUCCESS;

  g_option_context_set_summary (context,
    "Runs each lesson headless and checks its expect lines.  Prints\n"
    "\"FILE: ok, N expectations\" for a lesson whose expectations all hold,\n"
    "one line per failed expectation, and the mistakes of a lesson that does\n"
    "not parse.  Exit status: 0 all hold, 1 an expectation failed, 2 a usage\n"
    "or lesson error.");
  if (!parse_options (context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc < 2)
    {
      g_printerr ("tcplab-cli check: no lesson file given (try --help)\n");
      return EXIT_USAGE;
    }
  for (int i = 1; i < argc; i++)
    {
      int code = check_one (argv[i]);

      exit_code = MAX (exit_code, code);
    }
  return exit_code;
}

/* The ladder diagram: one line per event, the two hosts' states in columns on
 * either side, segments as arrows between them.  78 characters wide. */

#define LADDER_MIDDLE 36

typedef struct
{
  gboolean    utf8;
  const char *bar;
  const char *dash;
  const char *head_right;
  const char *head_left;
  const char *lost;
} LadderStyle;

static void
ladder_style_init (LadderStyle *style)
{
  style->utf8 = g_get_charset (NULL);
  style->bar = style->utf8 ? "│" : "|";
  style->dash = style->utf8 ? "─" : "-";
  style->head_right = style->utf8 ? "▶" : ">";
  style->head_left = style->utf8 ? "◀" : "<";
  style->lost = style->utf8 ? "✕" : "x";
}

/* Appends text and pads it with fill to width characters (cutting it if longer). */
static void
append_padded (GString    *out,
               const char *text,
               guint       width,
               const char *fill)
{
  glong n = g_utf8_strlen (text, -1);

  if ((guint) n > width)
    {
      const char *cut = g_utf8_offset_to_pointer (text, width);

      g_string_append_len (out, text, cut - text);
      return;
    }
  g_string_append (out, text);
  for (guint i = n; i < width; i++)
    g_string_append (out, fill);
}

static char *
segment_label (const TlTrace  *trace,
               const TlRecord *rec)
{
  GString *label = g_string_new (NULL);
  const TlTraceSegment *sh = tl_trace_segment (trace, rec->u.seg.id);
  guint32 seq = rec->u.seg.seq, ack = sh->ack;
  char flags[24];

  tl_trace_relative_numbers (trace, rec, &seq, &ack);
  g_string_append_printf (label, "%s seq=%u", tl_flags_to_string (rec->u.seg.flags, flags), seq);
  if (rec->u.seg.flags & TL_FLAG_ACK)
    g_string_append_printf (label, " ack=%u", ack);
  if (rec->u.seg.len > 0)
    g_string_append_printf (label, " len=%u", rec->u.seg.len);
  if (tl_trace_segment_peer (trace, rec->u.seg.id) != 0)
    {
      char addr[TL_ADDR_STRLEN];

      tl_trace_format_addr (trace, tl_trace_segment_peer (trace, rec->u.seg.id), addr);
      g_string_append_printf (label, " %s %s", rec->host == 0 ? "to" : "from", addr);
    }
  return g_string_free (label, FALSE);
}

/* " SYN seq=0 ------▶" or "◀------ SYN,ACK seq=0 ack=1 ", lost ones end in ✕. */
static void
append_arrow (GString           *out,
              const LadderStyle *style,
              const char        *label,
              gboolean           rightwards,
              gboolean           lost)
{
  const char *head = lost ? style->lost : rightwards ? style->head_right : style->head_left;
  glong n = MIN (g_utf8_strlen (label, -1), LADDER_MIDDLE - 5);
  GString *text = g_string_new (NULL);

  append_padded (text, label, n, " ");
  if (rightwards)
    {
      g_string_append_c (out, ' ');
      g_string_append (out, text->str);
      g_string_append_c (out, ' ');
      for (glong i = n + 3; i < LADDER_MIDDLE; i++)
        g_string_append (out, style->dash);
      g_string_append (out, head);
    }
  else
    {
      g_string_append (out, head);
      for (glong i = n + 3; i < LADDER_MIDDLE; i++)
        g_string_append (out, style->dash);
      g_string_append_c (out, ' ');
      g_string_append (out, text->str);
      g_string_append_c (out, ' ');
    }
  g_string_free (text, TRUE);
}

static const char *
call_name (TlCall call)
{
  switch (call)
    {
    case TL_CALL_LISTEN:    return "listen()";
    case TL_CALL_UNLISTEN:  return "close(listener)";
    case TL_CALL_CONNECT:   return "connect()";
    case TL_CALL_ACCEPT:    return "accept()";
    case TL_CALL_SEND:      return "send()";
    case TL_CALL_READ:      return "read()";
    case TL_CALL_CLOSE:     return "close()";
    case TL_CALL_SHUTDOWN:  return "shutdown()";
    case TL_CALL_ABORT:     return "abort (RST)";
    case TL_CALL_CRASH:     return "crashes";
    case TL_CALL_REBOOT:    return "reboots";
    case TL_CALL_CONNECTED: return "connect() returns";
    case TL_CALL_ACCEPTED:  return "accept() returns";
    case TL_CALL_RECEIVED:  return "read data";
    case TL_CALL_EOF:       return "read() returns 0";
    case TL_CALL_ERROR:     return "error";
    }
  return "?";
}

static const char *
timer_name (TlTimerKind timer)
{
  switch (timer)
    {
    case TL_TIMER_RETRANSMIT: return "retransmission timer";
    case TL_TIMER_SYNACK:     return "SYN,ACK timer";
    case TL_TIMER_TIME_WAIT:  return "TIME_WAIT timer";
    case TL_TIMER_FIN_WAIT_2: return "FIN_WAIT_2 timer";
    case TL_TIMER_KEEPALIVE:  return "keepalive timer";
    case TL_TIMER_DELACK:     return "delayed ACK timer";
    case TL_TIMER_PERSIST:    return "persist timer";
    case TL_TIMER_COMP_SACK:  return "compressed SACK timer";
    case TL_N_TIMERS:         break;
    }
  return "timer";
}

/* The middle of one event's line, or FALSE for records the ladder leaves out. */
static gboolean
ladder_middle (const TlTrace     *trace,
               const TlRecord    *rec,
               const LadderStyle *style,
               GString           *middle)
{
  g_autofree char *note = NULL;
  g_autofree char *who = rec->conn != TL_NO_CONN ? tl_render_conn_name (trace, rec->conn)
                                                 : g_strdup (tl_trace_host_name (trace, rec->host));

  switch ((TlRecordKind) rec->kind)
    {
    case TL_REC_SEGMENT:
      {
        g_autofree char *label = segment_label (trace, rec);
        gboolean lost = rec->u.seg.fate != TL_FATE_DELIVERED && rec->u.seg.fate != TL_FATE_DUPLICATE;

        if (rec->u.seg.fate == TL_FATE_DUPLICATE)
          {
            char *dup = g_strconcat (label, " (dup)", NULL);

            g_free (label);
            label = dup;
          }
        append_arrow (middle, style, label, rec->host == 0, lost);
        return TRUE;
      }
    case TL_REC_STATE:
      /* which connection it is, as the lesson names it (client#1) */
      note = g_strdup_printf ("%s: %s", who, tl_state_name (rec->u.state.to));
      break;
    case TL_REC_APP:
    case TL_REC_HOST:
      if (rec->u.app.call == TL_CALL_ERROR)
        note = g_strdup_printf ("%s: %s", who, tl_error_name (rec->u.app.error));
      else
        note = g_strdup_printf ("%s %s", who, call_name (rec->u.app.call));
      break;
    case TL_REC_TIMER:
      if (rec->u.timer.action != TL_TIMER_FIRED)
        return FALSE;
      note = g_strdup_printf ("%s %s fires", who, timer_name (rec->u.timer.timer));
      break;
    case TL_REC_PAUSE:
      /* One line per pause, not one per translation of its question. */
      if (rec->u.text.text != TL_NO_TEXT)
        {
          const char *locale;

          tl_trace_text (trace, rec->u.text.text, &locale);
          if (locale != NULL)
            return FALSE;
        }
      note = g_strdup ("(pause)");
      break;
    case TL_REC_END:
      note = g_strdup ("end");
      break;
    case TL_REC_ARRIVE:
    case TL_REC_LINK:
    case TL_REC_QUEUES:
    case TL_REC_CWND:
    case TL_REC_SAY:   /* printed under its line (append_narration) */
      return FALSE;
    }
  g_string_append_c (middle, ' ');
  append_padded (middle, note, LADDER_MIDDLE - 1, " ");
  return TRUE;
}

/* The ladder's lines are at most this many columns. */
#define LADDER_COLUMNS 78

/* text after first (on the first line) or indent (on the next), wrapped at
 * LADDER_COLUMNS: at a space, or anywhere between two wide (CJK) characters,
 * which take two columns each. */
static void
append_wrapped (GString    *out,
                const char *first,
                guint       indent,
                const char *text)
{
  const char *line = text;
  guint start = g_utf8_strlen (first, -1);

  g_string_append (out, first);
  while (*line != '\0')
    {
      const char *p = line, *cut = NULL;
      guint columns = start;

      while (*p != '\0')
        {
          gunichar c = g_utf8_get_char (p);
          guint w = g_unichar_iswide (c) ? 2 : 1;

          if (columns + w > LADDER_COLUMNS && p != line)
            break;
          if (c == ' ' || g_unichar_iswide (c))
            cut = c == ' ' ? p : g_utf8_next_char (p);
          columns += w;
          p = g_utf8_next_char (p);
        }
      if (*p == '\0' || cut == NULL || cut == line)
        cut = p;
      g_string_append_len (out, line, cut - line);
      g_string_append_c (out, '\n');
      line = cut;
      while (*line == ' ')
        line++;
      if (*line != '\0')
        g_string_append_printf (out, "%*s", indent, "");
      start = indent;
    }
}

/* Under a pause's line: its question, and its choices numbered as the
 * window's number keys answer them, then the answer and why. */
static void
append_question (GString          *out,
                 const TlScenario *scenario,
                 gint64            time_us,
                 const char       *locale)
{
  TlQuestion q;

  if (!tl_scenario_question_at (scenario, time_us, locale, &q))
    return;
  append_wrapped (out, "               ", 15, q.question);
  for (guint c = 0; c < q.n_choices; c++)
    {
      g_autofree char *number = g_strdup_printf ("%17s%u) ", "", c + 1);

      append_wrapped (out, number, 20, q.choices[c]);
    }
  if (q.n_choices > 0)
    {
      g_autofree char *answer = g_strdup_printf ("%15sanswer: %u) ", "", q.right + 1);

      append_wrapped (out, answer, 15, q.explanation != NULL ? q.explanation : "");
    }
}

/* The narration a `say` starts, in the language asked for, once per
 * moment: a say's translations and the says before the last one at its
 * time are not shown by the window either. */
static void
append_narration (GString       *out,
                  const TlTrace *trace,
                  guint          index,
                  const char    *locale)
{
  const TlRecord *rec = tl_trace_record (trace, index);
  const char *text;

  for (guint i = index + 1; i < tl_trace_n_records (trace); i++)
    {
      const TlRecord *next = tl_trace_record (trace, i);

      if (next->time_us != rec->time_us)
        break;
      if (next->kind == TL_REC_SAY)
        return;
    }
  text = tl_trace_narration_at (trace, rec->time_us, locale);
  if (text != NULL)
    {
      g_autofree char *first = g_strdup_printf ("%11.3fms  > ", rec->time_us / 1000.0);

      append_wrapped (out, first, 17, text);
    }
}

gboolean
tl_cli_write_ladder (const TlScenario *scenario,
                     const TlTrace    *trace,
                     const char       *locale,
                     TlTraceSink       sink,
                     gpointer          user_data)
{
  LadderStyle style;
  const char *state[2] = { "CLOSED", "CLOSED" };
  char time[32];
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) middle = g_string_new (NULL);

  ladder_style_init (&style);
  g_string_append_printf (out, "%13s  ", "");
  append_padded (out, tl_trace_host_name (trace, 0), 11, " ");
  g_string_append_printf (out, " %s", style.bar);
  append_padded (out, "", LADDER_MIDDLE, " ");
  g_string_append_printf (out, "%s ", style.bar);
  g_string_append (out, tl_trace_host_name (trace, 1));
  g_string_append_c (out, '\n');
  for (guint i = 0; i < tl_trace_n_records (trace); i++)
    {
      const TlRecord *rec = tl_trace_record (trace, i);

      if (rec->kind == TL_REC_STATE)
        state[rec->host] = tl_state_name (rec->u.state.to);
      if (rec->kind == TL_REC_SAY)
        append_narration (out, trace, i, locale);
      g_string_truncate (middle, 0);
      if (!ladder_middle (trace, rec, &style, middle))
        continue;
      if (middle->len == 0)
        append_padded (middle, "", LADDER_MIDDLE, " ");
      g_snprintf (time, sizeof time, "%.3fms", rec->time_us / 1000.0);
      g_string_append_printf (out, "%13s  ", time);
      append_padded (out, state[0], 11, " ");
      g_string_append_printf (out, " %s%s%s %s\n", style.bar, middle->str, style.bar, state[1]);
      if (rec->kind == TL_REC_PAUSE && scenario != NULL)
        append_question (out, scenario, rec->time_us, locale);
      /* written as it goes, in bounded memory */
      if (out->len >= 64 * 1024)
        {
          if (!sink (out->str, out->len, user_data))
            return FALSE;
          g_string_truncate (out, 0);
        }
    }
  return sink (out->str, out->len, user_data);
}

static int
cli_run (int    argc,
         char **argv)
{
  gint64 seed = -1;
  g_autofree char *until = NULL;
  g_autofree char *trace_format = NULL;
  g_autofree char *pcap_path = NULL;
  gboolean ladder = FALSE;
  gboolean force = FALSE;
  g_autofree char *lang = NULL;
  const GOptionEntry entries[] = {
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Seed of the random numbers, instead of the lesson's", "N" },
    { "until", 0, 0, G_OPTION_ARG_STRING, &until, "Stop the simulation at this time (e.g. 2s)", "TIME" },
    { "trace", 0, 0, G_OPTION_ARG_STRING, &trace_format, "Print the trace as text (default) or json", "text|json" },
    { "pcap", 0, 0, G_OPTION_ARG_FILENAME, &pcap_path, "Write the segments as a pcap file", "OUT.pcap" },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, "Replace the pcap file if it exists", NULL },
    { "ladder", 0, 0, G_OPTION_ARG_NONE, &ladder, "Draw a ladder diagram, one line per event", NULL },
    { "lang", 0, 0, G_OPTION_ARG_STRING, &lang, "The ladder's narration and questions in this language", "LANG" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE - run one lesson");
  g_autoptr(TlScenario) scenario = NULL;
  g_autoptr(TlTrace) trace = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cut = NULL;
  gboolean written = TRUE;
  int exit_code = EXIT_SUCCESS;
  gint64 until_us = -1;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context,
    "Simulates a lesson and prints its trace: text, one readable line per\n"
    "record, or json, one object per line (fields in lessons/README.md).\n"
    "--pcap writes the segments as a capture that Wireshark opens; --ladder\n"
    "draws the exchange for a text console, with the lesson's narration (>)\n"
    "and questions in --lang's language.  The trace is printed unless only\n"
    "--ladder or --pcap is asked for.");
  if (!parse_options (context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 2)
    {
      g_printerr ("tcplab-cli run: %s (try --help)\n",
                  argc < 2 ? "no lesson file given" : "give exactly one lesson file");
      return EXIT_USAGE;
    }
  if (trace_format != NULL && strcmp (trace_format, "text") != 0
      && strcmp (trace_format, "json") != 0)
    {
      g_printerr ("tcplab-cli run: --trace must be text or json, not '%s'\n", trace_format);
      return EXIT_USAGE;
    }
  if (until != NULL && !tl_lesson_parse_duration (until, &until_us))
    {
      g_printerr ("tcplab-cli run: --until needs a time such as 500ms or 2s, not '%s'\n", until);
      return EXIT_USAGE;
    }
  if (seed < -1)
    {
      g_printerr ("tcplab-cli run: --seed must be 0 or more\n");
      return EXIT_USAGE;
    }
  if (!tl_cli_language_allowed ("tcplab-cli run", lang))
    return EXIT_USAGE;
  if (pcap_path != NULL && !tl_cli_output_allowed ("tcplab-cli run", pcap_path, force))
    return EXIT_USAGE;

  scenario = tl_cli_load_lesson (argv[1]);
  if (scenario == NULL)
    return EXIT_USAGE;
  if (seed >= 0)
    scenario->seed = seed;
  if (until_us >= 0 && (scenario->end_us < 0 || until_us < scenario->end_us))
    scenario->end_us = until_us;
  trace = tl_simulate (scenario);

  /* Streamed: a failed write stops it (tl_cli_output_finish says why). */
  if (trace_format != NULL && strcmp (trace_format, "json") == 0)
    written = tl_trace_stream_json (trace, tl_cli_write_stdout, NULL);
  else if (trace_format != NULL || (!ladder && pcap_path == NULL))
    written = tl_trace_stream_text (trace, tl_cli_write_stdout, NULL);
  if (written && ladder)
    written = tl_cli_write_ladder (scenario, trace, lang, tl_cli_write_stdout, NULL);
  if (!written || !tl_cli_output_finish ("tcplab-cli run"))
    return EXIT_USAGE;

  if (pcap_path != NULL && !tl_pcap_write (trace, pcap_path, &error))
    {
      tl_cli_print_write_error ("tcplab-cli run", pcap_path, error);
      return EXIT_USAGE;
    }
  /* what was written is the run so far: say that it was cut */
  cut = tl_check_format_cut_translated (scenario, trace, tl_paths_translate);
  if (cut != NULL)
    {
      g_printerr ("%s\n", cut);
      return EXIT_USAGE;
    }
  return EXIT_SUCCESS;
}

static void
print_usage (FILE *stream)
{
  fprintf (stream, "Usage: tcplab-cli COMMAND [OPTION...] FILE...\n\nCommands:\n");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (stream, "  %-8s %s\n", commands[i].name, commands[i].summary);
  fprintf (stream, "\n'tcplab-cli COMMAND --help' describes a command's options.\n");
}

int
main (int   argc,
      char *argv[])
{
#ifdef __GLIBC__
  /* Big arrays (a trace's records, its indexes, a lesson's statements) in
   * their own mappings, grown by mremap and returned when freed: glibc's
   * default raises the threshold after the first such free, and then they
   * grow by copying inside the heap.  100,000 connections' peak went from
   * 244 to 231 MB (tests/perf). */
  mallopt (M_MMAP_THRESHOLD, 128 * 1024);
#endif
  setlocale (LC_ALL, "");
  /* a lesson's problems are told in the user's language */
  tl_paths_bind_textdomain ();

  if (argc < 2)
    {
      print_usage (stderr);
      return EXIT_USAGE;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0
      || strcmp (argv[1], "help") == 0)
    {
      print_usage (stdout);
      return EXIT_SUCCESS;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      printf ("tcplab-cli %s\n", TL_VERSION);
      return EXIT_SUCCESS;
    }
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      {
        g_autofree char *prgname = g_strdup_printf ("tcplab-cli %s", commands[i].name);

        int code;

        g_set_prgname (prgname);
        argv[1] = prgname;
        code = commands[i].run (argc - 1, argv + 1);
        /* whatever the command printed must have reached its reader */
        if (!tl_cli_output_finish (prgname))
          code = MAX (code, EXIT_USAGE);
        return code;
      }
  fprintf (stderr, "tcplab-cli: unknown command '%s'\n", argv[1]);
  print_usage (stderr);
  return EXIT_USAGE;
}
