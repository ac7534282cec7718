/* tl-cli-explain.c: `tcplab-cli explain [STATE] [--lang LANG]`: the states
 * explained (core/tl-states-explained.c) for a terminal, in the user's
 * language or the one asked for, wrapped to 78 columns.
 */
#include "tl-config.h"

#include "tl-cli-explain.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "tl-cli-render.h"
#include "tl-paths.h"
#include "tl-states-explained.h"

#define EXIT_USAGE 2
#define WRAP_COLUMNS 78

/* Appends text wrapped at WRAP_COLUMNS, the first line indented by indent
 * spaces and the others by hang.  A wide (CJK) character takes two columns, and a line may break
 * before one; other text breaks at spaces. */
static void
append_wrapped (GString    *out,
                const char *text,
                guint       indent,
                guint       hang)
{
  const char *line = text;

  while (*line != '\0')
    {
      const char *p = line, *cut = NULL;
      guint width = line == text ? indent : hang;

      while (*p != '\0')
        {
          gunichar c = g_utf8_get_char (p);
          guint w = g_unichar_iswide (c) ? 2 : 1;

          if (c == ' ' || (g_unichar_iswide (c) && p != line))
            cut = p;
          if (width + w > WRAP_COLUMNS && cut != NULL)
            break;
          width += w;
          p = g_utf8_next_char (p);
        }
      if (*p == '\0')
        cut = p;
      g_string_append_printf (out, "%*s", line == text ? indent : hang, "");
      g_string_append_len (out, line, cut - line);
      g_string_append_c (out, '\n');
      line = cut;
      while (*line == ' ')
        line++;
    }
}

static void
append_heading (GString    *out,
                const char *heading,
                const char *text)
{
  g_string_append_printf (out, "  %s\n", heading);
  append_wrapped (out, text, 4, 4);
}

static void
append_edges (GString    *out,
              const char *heading,
              TlState     state,
              gboolean    in)
{
  guint n;
  const TlStateEdge *edges = tl_state_edges (&n);

  g_string_append_printf (out, "  %s\n", heading);
  for (guint i = 0; i < n; i++)
    {
      const TlStateEdge *edge = &edges[i];
      g_autofree char *line = NULL;

      if ((in ? edge->to : edge->from) != state)
        continue;
      line = g_strdup_printf ("%s -> %s: %s",
                              edge->from < TL_N_STATES ? tl_state_name (edge->from) : "*",
                              tl_state_name (edge->to), _(edge->event));
      append_wrapped (out, line, 4, 6);
    }
}

/* The whole explanation of one state, translated. */
static void
append_state (GString *out,
              TlState  state)
{
  const TlStateExplained *ex = tl_state_explained (state);
  g_auto(GStrv) lessons = g_strsplit (ex->lessons, " ", 0);
  g_autoptr(GString) roles = g_string_new (NULL);
  g_autofree char *role_line = NULL;
  g_autoptr(GString) files = g_string_new (NULL);

  for (guint r = 0; r < TL_N_ROLES; r++)
    if (ex->roles & (1u << r))
      {
        if (roles->len > 0)
          g_string_append (roles, _(", "));
        g_string_append (roles, _(tl_role_name (1u << r)));
      }
  for (guint i = 0; lessons[i] != NULL; i++)
    g_string_append_printf (files, "%slessons/%s", i > 0 ? " " : "", lessons[i]);

  g_string_append_printf (out, "%s\n", tl_state_name (state));
  append_heading (out, _("What it means"), _(ex->meaning));
  append_heading (out, _("Who passes through it"), _(ex->who));
  /* TRANSLATORS: the roles of a state, "Role: passive closer (closes second: either side)" */
  role_line = g_strdup_printf (_("Role: %s"), roles->str);
  append_wrapped (out, role_line, 4, 4);
  append_edges (out, _("How a connection gets here"), state, TRUE);
  append_edges (out, _("How it leaves"), state, FALSE);
  append_heading (out, _("How long it lasts"), _(ex->lasts));
  append_heading (out, _("Many of them on a real server"), _(ex->on_server));
  append_heading (out, _("Lessons that show it"), files->str);
}

int
tl_cli_explain (int    argc,
                char **argv)
{
  g_autofree char *lang = NULL;
  const GOptionEntry entries[] = {
    { "lang", 0, 0, G_OPTION_ARG_STRING, &lang,
      N_("Explain in this language (zh_CN, or en for English)"), N_("LANG") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  const char *prgname;
  TlState state;

  g_return_val_if_fail (argc >= 1, EXIT_USAGE);

  prgname = g_get_prgname () != NULL ? g_get_prgname () : argv[0];
  tl_paths_bind_textdomain ();
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (_("[STATE] - explain the TCP states"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Explains a TCP state, or all eleven without STATE: what it means, which\n"
      "side passes through it, the transitions in and out, how long it lasts,\n"
      "what many of them on a real server mean and what to do, and the lessons\n"
      "that show it.  STATE as ss or netstat write it: TIME_WAIT, time-wait,\n"
      "SYN_RECV.  Exit status: 0 printed, 2 a usage error."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s: %s\n", prgname, error->message);
      return EXIT_USAGE;
    }
  if (!tl_cli_language_allowed (prgname, lang))
    return EXIT_USAGE;
  if (lang != NULL)
    tl_cli_use_language (lang);
  if (argc > 2)
    {
      g_printerr (_("%s: give one state, or none for all eleven (try --help)\n"), prgname);
      return EXIT_USAGE;
    }
  if (argc == 2 && !tl_state_from_name (argv[1], &state))
    {
      g_printerr (_("%s: unknown state '%s'; the states are CLOSED LISTEN SYN_SENT SYN_RCVD "
                    "ESTABLISHED FIN_WAIT_1 FIN_WAIT_2 CLOSE_WAIT CLOSING LAST_ACK TIME_WAIT\n"),
                  prgname, argv[1]);
      return EXIT_USAGE;
    }

  if (argc == 2)
    append_state (out, state);
  else
    for (guint s = 0; s < TL_N_STATES; s++)
      {
        if (s > 0)
          g_string_append_c (out, '\n');
        append_state (out, s);
      }
  fwrite (out->str, 1, out->len, stdout);
  return EXIT_SUCCESS;
}
