/* tl-cli-real.c: `tcplab-cli real`: a lesson on the running kernel.
 *
 * The lesson is played once, in real time (real/tl-real.c); the trace it
 * gives goes through the same writers as `run` (text, JSON, ladder, pcap)
 * and the same checker as `check`.  A run that cannot start here (no
 * privileges, no namespaces) exits 77 with one message saying what is
 * needed, so that a test suite counts it as skipped, never as passed.
 */
#include "tl-config.h"

#include "tl-cli-real.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "tl-check.h"
#include "tl-cli-compare.h"
#include "tl-cli-import.h"
#include "tl-cli-output.h"
#include "tl-cli-render.h"
#include "tl-paths.h"
#include "tl-pcap.h"
#include "tl-real.h"
#include "tl-sim.h"

#define EXIT_FAILED 1
#define EXIT_USAGE  2

/* What `--out DIR` holds: the trace as text and JSON, and the capture. */
static gboolean
write_out_dir (const char    *prgname,
               const char    *dir,
               const char    *lesson,
               const TlTrace *trace,
               gboolean       force)
{
  g_autofree char *base = g_path_get_basename (lesson);
  g_autofree char *stem = g_str_has_suffix (base, ".lesson")
                          ? g_strndup (base, strlen (base) - strlen (".lesson")) : g_strdup (base);
  g_autofree char *text_name = g_strconcat (stem, ".real.txt", NULL);
  g_autofree char *json_name = g_strconcat (stem, ".real.json", NULL);
  g_autofree char *pcap_name = g_strconcat (stem, ".real.pcap", NULL);
  g_autofree char *text_path = g_build_filename (dir, text_name, NULL);
  g_autofree char *json_path = g_build_filename (dir, json_name, NULL);
  g_autofree char *pcap_path = g_build_filename (dir, pcap_name, NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) json = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      g_printerr (_("%s: cannot make %s: %s\n"), prgname, dir, g_strerror (errno));
      return FALSE;
    }
  if (!tl_cli_output_allowed (prgname, text_path, force)
      || !tl_cli_output_allowed (prgname, json_path, force)
      || !tl_cli_output_allowed (prgname, pcap_path, force))
    return FALSE;
  tl_trace_write_text (trace, text);
  tl_trace_write_json (trace, json);
  /* g_file_set_contents writes to a temporary file and renames it. */
  if (!g_file_set_contents (text_path, text->str, text->len, &error)
      || !g_file_set_contents (json_path, json->str, json->len, &error)
      || !tl_pcap_write (trace, pcap_path, &error))
    {
      g_printerr ("%s: %s\n", prgname, error->message);
      return FALSE;
    }
  return TRUE;
}

int
tl_cli_real (int    argc,
             char **argv)
{
  gboolean check = FALSE, ladder = FALSE, force = FALSE, keep = FALSE;
  gboolean compare = FALSE, save = FALSE;
  g_autofree char *real_trace = NULL;
  g_autofree char *trace_format = NULL;
  g_autofree char *pcap_path = NULL;
  g_autofree char *out_dir = NULL;
  g_autofree char *lang = NULL;
  const GOptionEntry entries[] = {
    { "check", 0, 0, G_OPTION_ARG_NONE, &check,
      N_("Check the lesson's expect lines on the real run, as check does"), NULL },
    { "trace", 0, 0, G_OPTION_ARG_STRING, &trace_format,
      N_("Print the trace as text or json"), N_("text|json") },
    { "ladder", 0, 0, G_OPTION_ARG_NONE, &ladder, N_("Draw a ladder diagram, one line per event"), NULL },
    { "pcap", 0, 0, G_OPTION_ARG_FILENAME, &pcap_path,
      N_("Write the segments the link carried as a pcap file"), N_("OUT.pcap") },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out_dir,
      N_("Write the trace (text and JSON) and the capture into this folder"), N_("DIR") },
    { "compare", 0, 0, G_OPTION_ARG_NONE, &compare,
      N_("Simulate the lesson too, and print per connection the first point where the "
         "simulation and the kernel differ, with both traces' lines (exit 1 when they do)"), NULL },
    { "real-trace", 0, 0, G_OPTION_ARG_FILENAME, &real_trace,
      N_("With --compare: the real run from this recording (FILE.lesson.real) instead of "
         "playing it; no privileges needed"), N_("FILE") },
    { "save", 0, 0, G_OPTION_ARG_NONE, &save,
      N_("Keep the real run beside the lesson as FILE.lesson.real, which the window's Real "
         "Linux view plays"), NULL },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, N_("Replace files that exist"), NULL },
    { "keep-namespaces", 0, 0, G_OPTION_ARG_NONE, &keep,
      N_("Leave the network namespaces after the run, to look at them with ip netns"), NULL },
    { "lang", 0, 0, G_OPTION_ARG_STRING, &lang,
      N_("Messages in this language (zh_CN, or en for English)"), N_("LANG") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TlScenario) scenario = NULL;
  g_autoptr(TlTrace) trace = NULL;
  TlRealOptions opts = { FALSE, NULL };
  const char *prgname = g_get_prgname () != NULL ? g_get_prgname () : argv[0];
  gboolean written = TRUE;
  gint64 differences = 0;

  tl_paths_bind_textdomain ();
  textdomain (GETTEXT_PACKAGE);
  context = g_option_context_new (_("FILE - play a lesson on the running Linux kernel"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Plays a lesson on this machine's kernel, in real time, in three network\n"
      "namespaces of its own: the two hosts, and the link between them, where the\n"
      "program's forwarder applies the lesson's delay, loss and scripted drops.\n"
      "The states come from the kernel.  The trace is printed as run prints it;\n"
      "--check checks the expect lines as check does.  Needs root, or the\n"
      "capabilities cap_sys_admin, cap_net_admin and cap_net_raw.  Exit status:\n"
      "0 played (and every expectation held), 1 an expectation failed, 2 a usage,\n"
      "lesson or run error, 77 a real run cannot start here."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s: %s\n", prgname, error->message);
      return EXIT_USAGE;
    }
  if (!tl_cli_language_allowed (prgname, lang))
    return EXIT_USAGE;
  if (lang != NULL)
    tl_cli_use_language (lang);
  if (argc != 2)
    {
      g_printerr (_("%s: give exactly one lesson file (try --help)\n"), prgname);
      return EXIT_USAGE;
    }
  if (trace_format != NULL && strcmp (trace_format, "text") != 0
      && strcmp (trace_format, "json") != 0)
    {
      g_printerr (_("%s: --trace must be text or json, not '%s'\n"), prgname, trace_format);
      return EXIT_USAGE;
    }
  if (pcap_path != NULL && !tl_cli_output_allowed (prgname, pcap_path, force))
    return EXIT_USAGE;
  if (real_trace != NULL && !compare)
    {
      g_printerr (_("%s: --real-trace goes with --compare\n"), prgname);
      return EXIT_USAGE;
    }
  if (real_trace != NULL && save)
    {
      g_printerr (_("%s: --save keeps a run played here, not one read with --real-trace\n"),
                  prgname);
      return EXIT_USAGE;
    }
  scenario = tl_cli_load_lesson (argv[1]);
  if (scenario == NULL)
    return EXIT_USAGE;
  if (real_trace != NULL)
    {
      /* A recording: compared without privileges. */
      trace = tl_cli_compare_load_real (prgname, argv[1], real_trace);
      if (trace == NULL)
        return EXIT_USAGE;
    }
  else
    {
      if (!tl_real_available (&error))
        {
          g_printerr ("%s: %s\n", prgname, error->message);
          return TL_CLI_EXIT_SKIP;
        }
      opts.keep_namespaces = keep;
      trace = tl_real_play (scenario, &opts, NULL, &error);
      if (trace == NULL)
        {
          g_printerr ("%s: %s\n", prgname, error->message);
          return g_error_matches (error, TL_REAL_ERROR, TL_REAL_ERROR_UNAVAILABLE) ? TL_CLI_EXIT_SKIP
                                                                                 : EXIT_USAGE;
        }
      if (save && !tl_cli_compare_save (prgname, argv[1], trace, force))
        return EXIT_USAGE;
    }
  if (trace_format != NULL && strcmp (trace_format, "json") == 0)
    written = tl_trace_stream_json (trace, tl_cli_write_stdout, NULL);
  else if (trace_format != NULL
           || (!ladder && !check && !compare && !save && pcap_path == NULL && out_dir == NULL))
    written = tl_trace_stream_text (trace, tl_cli_write_stdout, NULL);
  if (written && ladder)
    written = tl_cli_write_ladder (scenario, trace, lang, tl_cli_write_stdout, NULL);
  if (!written || !tl_cli_output_finish (prgname))
    return EXIT_USAGE;
  if (pcap_path != NULL && !tl_pcap_write (trace, pcap_path, &error))
    {
      g_printerr ("%s: %s\n", prgname, error->message);
      return EXIT_USAGE;
    }
  if (out_dir != NULL && !write_out_dir (prgname, out_dir, argv[1], trace, force))
    return EXIT_USAGE;
  if (compare)
    {
      g_autoptr (TlTrace) sim = tl_simulate (scenario);

      differences = tl_cli_compare_write (sim, trace);
      if (differences < 0 || !tl_cli_output_finish (prgname))
        return EXIT_USAGE;
    }
  if (check)
    {
      int status = tl_cli_report_check (scenario, trace, argv[1]);

      return status == EXIT_SUCCESS && differences > 0 ? EXIT_FAILED : status;
    }
  return differences > 0 ? EXIT_FAILED : EXIT_SUCCESS;
}
