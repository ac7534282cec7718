/* tl-cli-import.c: `tcplab-cli import CAPTURE`: a pcap or pcapng capture read
 * as a trace with both ends' states inferred (capture/tl-import.c), printed,
 * drawn as a ladder, checked against a lesson's expect lines, written back
 * as pcap, or written as a lesson that replays it.
 */
#include "tl-config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "tl-capture.h"
#include "tl-cli-import.h"
#include "tl-cli-output.h"
#include "tl-import.h"
#include "tl-pcap.h"

#define EXIT_FAILED 1
#define EXIT_USAGE  2

static gboolean
parse_hosts (const char *text,
             TlAddr      hosts[2])
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);

  return g_strv_length (parts) == 2 && tl_addr_parse (g_strstrip (parts[0]), &hosts[0])
         && tl_addr_parse (g_strstrip (parts[1]), &hosts[1])
         && !tl_addr_equal (&hosts[0], &hosts[1]);
}

/* Refuses to replace a file unless --force. */
static gboolean
may_write (const char *path,
           gboolean    force)
{
  return path == NULL || tl_cli_output_allowed ("tcplab-cli import", path, force);
}

static gboolean
write_lesson (const TlImport *import,
              const char     *capture_path,
              const char     *path)
{
  g_autofree char *base = g_path_get_basename (capture_path);
  g_autofree char *title = g_strdup_printf (_("Capture %s"), base);
  g_autoptr(TlScenario) scenario = tl_import_to_scenario (import, title);
  g_autofree char *text = tl_scenario_to_lesson (scenario);
  g_autoptr(GError) error = NULL;

  if (!g_file_set_contents (path, text, -1, &error))
    {
      g_printerr ("tcplab-cli import: %s\n", error->message);
      return FALSE;
    }
  return TRUE;
}

int
tl_cli_import (int    argc,
               char **argv)
{
  g_autofree char *hosts_text = NULL;
  g_autofree char *trace_format = NULL;
  g_autofree char *pcap_path = NULL;
  g_autofree char *lesson_path = NULL;
  g_autofree char *check_path = NULL;
  gboolean ladder = FALSE, force = FALSE, quiet = FALSE;
  const GOptionEntry entries[] = {
    { "hosts", 0, 0, G_OPTION_ARG_STRING, &hosts_text,
      N_("The two hosts to show, client first (default: the pair with the most connections)"),
      N_("A,B") },
    { "trace", 0, 0, G_OPTION_ARG_STRING, &trace_format,
      N_("Print the trace as text (default) or json"), "text|json" },
    { "ladder", 0, 0, G_OPTION_ARG_NONE, &ladder,
      N_("Draw a ladder diagram, one line per event"), NULL },
    { "pcap", 0, 0, G_OPTION_ARG_FILENAME, &pcap_path,
      N_("Write the trace's segments as a pcap file"), N_("OUT.pcap") },
    { "lesson", 0, 0, G_OPTION_ARG_FILENAME, &lesson_path,
      N_("Write a lesson that replays the capture's calls and link"), N_("OUT.lesson") },
    { "check", 0, 0, G_OPTION_ARG_FILENAME, &check_path,
      N_("Check a lesson's expect lines against the capture"), N_("LESSON") },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force,
      N_("Replace the files written if they exist"), NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet,
      N_("Do not say where the capture was taken"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TlCapture) capture = NULL;
  g_autoptr(TlImport) import = NULL;
  TlAddr hosts[2];
  gboolean written = TRUE;
  int exit_code = EXIT_SUCCESS;

  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("TL_LOCALEDIR") != NULL && *g_getenv ("TL_LOCALEDIR")
                                   ? g_getenv ("TL_LOCALEDIR") : TL_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  context = g_option_context_new (_("CAPTURE - import a capture"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Reads a pcap or pcapng capture (tcpdump -w, Wireshark) and makes a trace of\n"
      "the connections between two hosts, with the states each end was in:\n"
      "its own segments at the capture's times, the other end's as they would\n"
      "have arrived (the one-way delay estimated from the handshakes).  States\n"
      "no segment confirms are marked inferred.  Prints the trace (text or\n"
      "json) unless only --ladder, --pcap, --lesson or --check is asked for.\n"
      "Exit status: 0 all well, 1 an expectation of --check failed, 2 a usage\n"
      "or capture error."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("tcplab-cli import: %s\n", error->message);
      return EXIT_USAGE;
    }
  if (argc != 2)
    {
      g_printerr ("tcplab-cli import: %s\n",
                  argc < 2 ? _("no capture file given (try --help)")
                           : _("give exactly one capture file"));
      return EXIT_USAGE;
    }
  if (trace_format != NULL && strcmp (trace_format, "text") != 0
      && strcmp (trace_format, "json") != 0)
    {
      g_printerr (_("tcplab-cli import: --trace must be text or json, not '%s'\n"), trace_format);
      return EXIT_USAGE;
    }
  if (hosts_text != NULL && !parse_hosts (hosts_text, hosts))
    {
      g_printerr (_("tcplab-cli import: --hosts needs two different addresses such as "
                    "10.0.0.1,10.0.0.2, not '%s'\n"), hosts_text);
      return EXIT_USAGE;
    }
  if (!may_write (pcap_path, force) || !may_write (lesson_path, force))
    return EXIT_USAGE;

  capture = tl_capture_read (argv[1], &error);
  if (capture != NULL)
    import = tl_import_new (capture, hosts_text != NULL ? hosts : NULL, &error);
  if (import == NULL)
    {
      if (capture == NULL)
        g_printerr ("tcplab-cli import: %s\n", error->message);
      else
        g_printerr ("tcplab-cli import: %s: %s\n", argv[1], error->message);
      return EXIT_USAGE;
    }
  /* refused before anything is written */
  if (lesson_path != NULL && !tl_import_lesson_possible (import, &error))
    {
      g_printerr ("tcplab-cli import: %s: %s\n", argv[1], error->message);
      return EXIT_USAGE;
    }
  if (!quiet)
    {
      g_autofree char *about = tl_import_describe (import);

      if (capture->truncated)
        g_printerr (_("tcplab-cli import: %s: warning: the file is cut short inside a packet; "
                      "the %u segments before it are imported\n"),
                    argv[1], capture->packets->len);
      g_printerr ("%s: %s\n", argv[1], about);
    }

  if (trace_format != NULL && strcmp (trace_format, "json") == 0)
    written = tl_trace_stream_json (import->trace, tl_cli_write_stdout, NULL);
  else if (trace_format != NULL
           || (!ladder && pcap_path == NULL && lesson_path == NULL && check_path == NULL))
    written = tl_trace_stream_text (import->trace, tl_cli_write_stdout, NULL);
  if (written && ladder)
    written = tl_cli_write_ladder (NULL, import->trace, NULL, tl_cli_write_stdout, NULL);
  if (!written || !tl_cli_output_finish ("tcplab-cli import"))
    return EXIT_USAGE;

  if (pcap_path != NULL && !tl_pcap_write (import->trace, pcap_path, &error))
    {
      tl_cli_print_write_error ("tcplab-cli import", pcap_path, error);
      return EXIT_USAGE;
    }
  if (lesson_path != NULL && !write_lesson (import, argv[1], lesson_path))
    return EXIT_USAGE;
  if (check_path != NULL)
    {
      g_autoptr(TlScenario) scenario = tl_cli_load_lesson (check_path);

      if (scenario == NULL)
        return EXIT_USAGE;
      exit_code = tl_cli_report_check (scenario, import->trace, check_path);
    }
  return exit_code;
}
