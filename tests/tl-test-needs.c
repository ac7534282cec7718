/* tl-test-needs.c: the --needs=PROGRAM argument of the test programs. */
#include "tl-test-needs.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
tl_test_needs (int   *argc,
               char **argv)
{
  g_auto(GStrv) programs = NULL;

  if (*argc < 2 || !g_str_has_prefix (argv[1], "--needs="))
    return;
  programs = g_strsplit (argv[1] + strlen ("--needs="), ",", -1);
  for (guint i = 0; programs[i] != NULL; i++)
    {
      const char *locale = g_str_has_prefix (programs[i], "locale:")
                           ? programs[i] + strlen ("locale:") : NULL;
      g_autofree char *path = locale == NULL ? g_find_program_in_path (programs[i]) : NULL;

      /* a locale: one that setlocale() knows (locale-gen made it) */
      if (locale != NULL && setlocale (LC_ALL, locale) != NULL)
        {
          setlocale (LC_ALL, "C");
          continue;
        }
      if (path == NULL)
        {
          fprintf (stderr, "SKIP: %s is not installed\n", locale != NULL ? locale : programs[i]);
          exit (77);
        }
    }
  for (int i = 1; i < *argc; i++)
    argv[i] = argv[i + 1];
  (*argc)--;
}
