/* tl-cli-diagnose.c: `tcplab-cli diagnose [FILE|-]`.
 *
 * FILE (or - for standard input) is the saved output of ss -tan, -tanp or
 * -tanpo, or of netstat -nat or -natp; without it, this machine's sockets are
 * read from the kernel.  The counts and findings are core's (tl-diagnose.c),
 * their words diagnose/tl-diagnose-text.c's.
 */
#include "tl-config.h"

#include "tl-cli-diagnose.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "tl-cli-render.h"
#include "tl-diagnose-text.h"
#include "tl-paths.h"
#include "tl-sockdiag.h"

#define EXIT_FINDINGS 1
#define EXIT_USAGE    2

/* Standard input, at most one byte over the limit (the parser refuses it). */
static char *
read_stdin (gsize   *len,
            GError **error)
{
  GString *text = g_string_new (NULL);
  char buf[65536];

  for (;;)
    {
      gssize n = read (STDIN_FILENO, buf, sizeof buf);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          g_set_error (error, TL_SOCKTABLE_ERROR, TL_SOCKTABLE_ERROR_IO, "%s",
                       g_strerror (saved_errno));
          g_string_free (text, TRUE);
          return NULL;
        }
      if (n == 0)
        break;
      g_string_append_len (text, buf, MIN ((gsize) n, TL_SOCKTABLE_MAX_BYTES + 1 - text->len));
      if (text->len > TL_SOCKTABLE_MAX_BYTES)
        break;
    }
  *len = text->len;
  return g_string_free (text, FALSE);
}

static TlSockTable *
load_table (const char  *prgname,
            const char  *path,
            const char **source)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  TlSockTable *table;

  if (path == NULL)
    {
      *source = _("this machine");
      table = tl_sockdiag_read (TRUE, &error);
      if (table == NULL)
        g_printerr (_("%s: cannot read this machine's sockets: %s\n"), prgname, error->message);
      return table;
    }
  if (strcmp (path, "-") == 0)
    {
      gsize len = 0;
      g_autofree char *text = read_stdin (&len, &error);

      *source = _("standard input");
      table = text != NULL ? tl_socktable_parse (text, len, &problems, &error) : NULL;
    }
  else
    {
      *source = path;
      table = tl_socktable_parse_file (path, &problems, &error);
    }
  if (table == NULL)
    {
      g_autofree char *message = tl_socktable_error_to_string (error, problems, *source);

      g_printerr ("%s\n", message);
    }
  return table;
}

int
tl_cli_diagnose (int    argc,
                 char **argv)
{
  gboolean json = FALSE;
  g_autofree char *lang = NULL;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object instead of text"), NULL },
    { "lang", 0, 0, G_OPTION_ARG_STRING, &lang, N_("Language of the report, e.g. zh_CN"), N_("LANG") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TlSockTable) table = NULL;
  g_autoptr(TlDiagnosis) diagnosis = NULL;
  const char *prgname, *source = NULL;
  GString *out;

  g_return_val_if_fail (argc >= 1, EXIT_USAGE);

  prgname = g_get_prgname () != NULL ? g_get_prgname () : argv[0];
  tl_paths_bind_textdomain ();
  textdomain (GETTEXT_PACKAGE);
  /* --lang before the rest, so that every message of this run follows it. */
  for (int i = 1; i < argc; i++)
    if (g_str_has_prefix (argv[i], "--lang=") && tl_cli_valid_language (argv[i] + 7))
      tl_cli_use_language (argv[i] + 7);
    else if (strcmp (argv[i], "--lang") == 0 && i + 1 < argc && tl_cli_valid_language (argv[i + 1]))
      tl_cli_use_language (argv[i + 1]);

  context = g_option_context_new (_("[FILE|-] - explain a socket table"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Reads the saved output of ss -tan, ss -tanp, ss -tanpo, netstat -nat or\n"
      "netstat -natp (FILE, or - for standard input), or without FILE this\n"
      "machine's own TCP sockets, and prints the count per state and per\n"
      "listening port, then each trouble found: its id (syn-flood,\n"
      "accept-queue-full, close-wait-leak, time-wait-pileup, syn-sent-stuck,\n"
      "fin-wait-2-stuck, half-open-suspect), the numbers behind it, what to\n"
      "do, and the lesson that shows it.  Exit status: 0 no trouble found,\n"
      "1 findings, 2 a usage or input error."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s: %s\n", prgname, error->message);
      return EXIT_USAGE;
    }
  if (!tl_cli_language_allowed (prgname, lang))
    return EXIT_USAGE;
  if (argc > 2)
    {
      g_printerr (_("%s: give at most one socket table (try --help)\n"), prgname);
      return EXIT_USAGE;
    }

  table = load_table (prgname, argc == 2 ? argv[1] : NULL, &source);
  if (table == NULL)
    return EXIT_USAGE;
  diagnosis = tl_diagnose (table);
  out = g_string_new (NULL);
  if (json)
    tl_diagnosis_write_json (diagnosis, table, source, out);
  else
    tl_diagnosis_write_text (diagnosis, table, source, out);
  fwrite (out->str, 1, out->len, stdout);
  g_string_free (out, TRUE);
  return diagnosis->findings->len > 0 ? EXIT_FINDINGS : EXIT_SUCCESS;
}
