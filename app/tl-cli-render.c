/* tl-cli-render.c: `tcplab-cli render`: parse a lesson, simulate it, and
 * write one view at one moment as a picture, for slides, handouts and tests.
 *
 * Every mistake on the command line is named with the option and the value
 * given, and exits with status 2 before anything is simulated or written.
 */
#include "tl-config.h"

#include "tl-cli-render.h"
#include "tl-cli-output.h"

#include <locale.h>
#include <string.h>

#include <glib/gi18n.h>

#include "tl-lesson.h"
#include "tl-paths.h"
#include "tl-render.h"
#include "tl-sim.h"

#define EXIT_USAGE 2

typedef struct
{
  const char *name;
  TlView      view;
} ViewName;

static const ViewName view_names[] = {
  { "diagram", TL_VIEW_DIAGRAM },
  { "ladder",  TL_VIEW_LADDER },
  { "timers",  TL_VIEW_TIMERS },
  { "sockets", TL_VIEW_SOCKETS },
  { "all",     TL_VIEW_ALL },
};

static gboolean
parse_view (const char *text,
            TlView     *view)
{
  for (guint i = 0; i < G_N_ELEMENTS (view_names); i++)
    if (strcmp (text, view_names[i].name) == 0)
      {
        *view = view_names[i].view;
        return TRUE;
      }
  return FALSE;
}

/* "1920x1080": both sides 1 to TL_RENDER_MAX_SIDE pixels; tl_render_to_file
 * refuses more than TL_RENDER_MAX_PIXELS in all. */
static gboolean
parse_size (const char *text,
            int        *width,
            int        *height)
{
  g_auto(GStrv) parts = g_strsplit (text, "x", 0);
  guint64 w, h;

  if (g_strv_length (parts) != 2
      || !g_ascii_string_to_unsigned (parts[0], 10, 1, TL_RENDER_MAX_SIDE, &w, NULL)
      || !g_ascii_string_to_unsigned (parts[1], 10, 1, TL_RENDER_MAX_SIDE, &h, NULL))
    return FALSE;
  *width = (int) w;
  *height = (int) h;
  return TRUE;
}

/* One of the languages TCP Lab speaks (tl_paths_languages). */
gboolean
tl_cli_valid_language (const char *lang)
{
  return g_strv_contains (tl_paths_languages (), lang);
}

/* TRUE when lang is NULL (not given) or a language TCP Lab speaks; else
 * prints "PRGNAME: --lang must be one of en, zh_CN, not 'LANG'". */
gboolean
tl_cli_language_allowed (const char *prgname,
                         const char *lang)
{
  g_autofree char *known = NULL;

  if (lang == NULL || tl_cli_valid_language (lang))
    return TRUE;
  known = g_strjoinv (", ", (char **) tl_paths_languages ());
  g_printerr (_("%s: --lang must be one of %s, not '%s'\n"), prgname, known, lang);
  return FALSE;
}

void
tl_cli_use_language (const char *lang)
{
  tl_paths_use_language (lang);
}

/* The lesson, or NULL after printing each of its mistakes as
 * FILE:LINE:COLUMN: error: WHAT with its hint. */
static TlScenario *
load_lesson (const char *prgname,
             const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  TlScenario *scenario = tl_lesson_parse_file (path, &problems, &error);

  if (scenario != NULL)
    return scenario;
  if (problems == NULL)
    g_printerr ("%s: %s\n", prgname, error->message);
  else
    {
      g_autofree char *text = tl_lesson_problems_format_translated (problems, path,
                                                                    tl_paths_translate);

      g_printerr ("%s\n", text);
    }
  return NULL;
}

int
tl_cli_render (int    argc,
               char **argv)
{
  g_autofree char *at = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *view_text = NULL;
  g_autofree char *out = NULL;
  g_autofree char *size = NULL;
  g_autofree char *lang = NULL;
  gboolean dark = FALSE;
  gboolean force = FALSE;
  const GOptionEntry entries[] = {
    { "at", 0, 0, G_OPTION_ARG_STRING, &at,
      N_("The moment to draw, as a lesson writes a time (e.g. 250ms, 1.5s)"), N_("TIME") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from,
      N_("With --to: draw the ladder over this range of time, from here"), N_("TIME") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to,
      N_("With --from: the end of the ladder's range of time"), N_("TIME") },
    { "view", 0, 0, G_OPTION_ARG_STRING, &view_text,
      N_("What to draw (default: all)"), "diagram|ladder|timers|sockets|all" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out,
      N_("The picture to write; its type by the name's ending"), N_("FILE.png|.svg|.pdf") },
    { "size", 0, 0, G_OPTION_ARG_STRING, &size,
      N_("Width and height in pixels (default: 1920x1080)"), N_("WxH") },
    { "dark", 0, 0, G_OPTION_ARG_NONE, &dark,
      N_("Light ink on a dark ground"), NULL },
    { "lang", 0, 0, G_OPTION_ARG_STRING, &lang,
      N_("Draw the labels and the lesson's text in this language"), N_("LANG") },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force,
      N_("Replace the picture if it exists"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TlScenario) scenario = NULL;
  g_autoptr(TlTrace) trace = NULL;
  g_autoptr(GError) error = NULL;
  const char *prgname;
  char *host_settings[2];
  gboolean written;
  TlRenderStyle style;
  TlView view = TL_VIEW_ALL;
  gint64 at_us = 0;
  gint64 from_us = -1;
  gint64 to_us = -1;
  int width = 1920;
  int height = 1080;

  g_return_val_if_fail (argc >= 1, EXIT_USAGE);

  prgname = g_get_prgname () != NULL ? g_get_prgname () : argv[0];
  tl_paths_bind_textdomain ();
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (_("FILE.lesson - draw a lesson at a moment"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Simulates a lesson and draws one view of it at the time given by --at:\n"
      "the state diagram, the ladder of segments, the running timers, the\n"
      "socket tables, or all four as the window shows them; or the ladder over\n"
      "the range of time from --from to --to.  The picture is\n"
      "written whole or not at all.  Exit status: 0 written, 2 a usage,\n"
      "lesson or file error."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s: %s\n", prgname, error->message);
      return EXIT_USAGE;
    }

  if (argc != 2)
    {
      g_printerr ("%s: %s\n", prgname,
                  argc < 2 ? _("no lesson file given (try --help)")
                           : _("give exactly one lesson file (try --help)"));
      return EXIT_USAGE;
    }
  if ((from == NULL) != (to == NULL))
    {
      g_printerr (_("%s: --from and --to go together: give both, e.g. --from 0ms --to 2s\n"),
                  prgname);
      return EXIT_USAGE;
    }
  if (from != NULL && !tl_lesson_parse_duration (from, &from_us))
    {
      g_printerr (_("%s: --from needs a time such as 250ms or 1.5s, not '%s'\n"), prgname, from);
      return EXIT_USAGE;
    }
  if (to != NULL && !tl_lesson_parse_duration (to, &to_us))
    {
      g_printerr (_("%s: --to needs a time such as 250ms or 1.5s, not '%s'\n"), prgname, to);
      return EXIT_USAGE;
    }
  if (from != NULL && from_us >= to_us)
    {
      g_printerr (_("%s: --from %s must be before --to %s\n"), prgname, from, to);
      return EXIT_USAGE;
    }
  if (from != NULL && at != NULL)
    {
      g_printerr (_("%s: --at and --from/--to do not go together: a range is drawn up to "
                    "its end\n"), prgname);
      return EXIT_USAGE;
    }
  if (at == NULL && from == NULL)
    {
      g_printerr (_("%s: --at is missing: say which moment to draw, e.g. --at 1.5s\n"), prgname);
      return EXIT_USAGE;
    }
  if (at != NULL && !tl_lesson_parse_duration (at, &at_us))
    {
      g_printerr (_("%s: --at needs a time such as 250ms or 1.5s, not '%s'\n"), prgname, at);
      return EXIT_USAGE;
    }
  if (view_text != NULL && !parse_view (view_text, &view))
    {
      g_printerr (_("%s: --view must be diagram, ladder, timers, sockets or all, not '%s'\n"),
                  prgname, view_text);
      return EXIT_USAGE;
    }
  if (from != NULL && view_text == NULL)
    view = TL_VIEW_LADDER;
  else if (from != NULL && view != TL_VIEW_LADDER)
    {
      g_printerr (_("%s: --from and --to draw the ladder: --view must be ladder, not '%s'\n"),
                  prgname, view_text);
      return EXIT_USAGE;
    }
  if (out == NULL)
    {
      g_printerr (_("%s: --out is missing: name the picture to write, e.g. --out step.png\n"),
                  prgname);
      return EXIT_USAGE;
    }
  if (size != NULL && !parse_size (size, &width, &height))
    {
      g_printerr (_("%s: --size needs WIDTHxHEIGHT in pixels (1 to %d a side), e.g. 1920x1080, "
                    "not '%s'\n"), prgname, TL_RENDER_MAX_SIDE, size);
      return EXIT_USAGE;
    }
  if (!tl_cli_language_allowed (prgname, lang))
    return EXIT_USAGE;
  if (!tl_cli_output_allowed (prgname, out, force))
    return EXIT_USAGE;

  if (lang != NULL)
    tl_cli_use_language (lang);

  scenario = load_lesson (prgname, argv[1]);
  if (scenario == NULL)
    return EXIT_USAGE;
  trace = tl_simulate (scenario);
  if (from != NULL && to_us > tl_trace_end_time (trace))
    {
      g_printerr (_("%s: --to %s is after the end of the lesson, at %.3f s: give a range "
                    "from 0 to there\n"), prgname, to,
                  (double) tl_trace_end_time (trace) / TL_USEC_PER_SEC);
      return EXIT_USAGE;
    }
  if (at_us > tl_trace_end_time (trace))
    {
      g_printerr (_("%s: --at %s is after the end of the lesson, at %.3f s: give a time "
                    "from 0 to there\n"), prgname, at,
                  (double) tl_trace_end_time (trace) / TL_USEC_PER_SEC);
      return EXIT_USAGE;
    }

  tl_render_style_init (&style);
  style.dark = dark;
  style.locale = lang;
  for (guint h = 0; h < 2; h++)
    host_settings[h] = tl_settings_describe (&scenario->settings[h]);
  style.host_settings[0] = host_settings[0];
  style.host_settings[1] = host_settings[1];
  if (from != NULL)
    {
      /* The ladder over the range, every event in it drawn. */
      style.ladder_t0_us = from_us;
      style.ladder_span_us = to_us - from_us;
      at_us = to_us;
    }
  written = tl_render_to_file (view, trace, at_us, width, height, &style, out, &error);
  g_free (host_settings[0]);
  g_free (host_settings[1]);
  if (!written)
    {
      g_printerr ("%s: %s\n", prgname, error->message);
      return EXIT_USAGE;
    }
  return EXIT_SUCCESS;
}
