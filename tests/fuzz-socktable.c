/* fuzz-socktable.c: one input, the whole path a saved ss or netstat table
 * takes: parsed (tl-socktable.c), and if it reads, counted and diagnosed
 * (tl-diagnose.c) and written as tcplab-cli diagnose writes it, text and
 * JSON; if not, each problem worded with its FILE:LINE:COLUMN.  Built as a
 * libFuzzer target with -Dfuzzing=true (clang); test-fuzz-regressions-
 * socktable replays tests/fuzz/socktable-inputs (inputs that once failed)
 * and tests/fuzz/socktable-corpus in the normal build. */
#include <stdint.h>
#include <string.h>

#include "tl-diagnose-text.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check_addr (const TlSockAddr *addr)
{
  g_assert (memchr (addr->addr, '\0', sizeof addr->addr) != NULL);
  g_assert (g_utf8_validate (addr->addr, -1, NULL));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(TlSockTable) table = NULL;
  g_autoptr(TlDiagnosis) diagnosis = NULL;
  GString *out;
  guint sum = 0;

  table = tl_socktable_parse ((const char *) data, size, &problems, &error);
  if (table == NULL)
    {
      g_autofree char *text = NULL;

      /* A refusal has its problems, each at a place, and reads. */
      g_assert (error != NULL && problems != NULL);
      g_assert (problems->len >= 1 && problems->len <= TL_SOCKTABLE_MAX_PROBLEMS);
      for (guint i = 0; i < problems->len; i++)
        {
          const TlSockProblem *p = g_ptr_array_index (problems, i);

          g_assert (p->line >= 1 && p->column >= 1);
          g_assert (p->token == NULL || g_utf8_validate (p->token, -1, NULL));
          g_assert (p->token == NULL || g_utf8_strlen (p->token, -1) <= 43);
        }
      text = tl_socktable_error_to_string (error, problems, "fuzz.txt");
      g_assert (text != NULL && g_utf8_validate (text, -1, NULL));
      return 0;
    }

  g_assert (error == NULL);
  for (guint i = 0; i < table->entries->len; i++)
    {
      const TlSockEntry *e = &g_array_index (table->entries, TlSockEntry, i);

      g_assert ((guint) e->state < TL_N_STATES);
      g_assert (e->line >= 1);
      check_addr (&e->local);
      check_addr (&e->peer);
      g_assert (e->process == NULL || g_utf8_validate (e->process, -1, NULL));
    }

  diagnosis = tl_diagnose (table);
  g_assert (diagnosis->n_sockets == table->entries->len);
  for (guint s = 0; s < TL_N_STATES; s++)
    sum += diagnosis->counts[s];
  g_assert (sum == diagnosis->n_sockets);
  for (guint i = 0; i < diagnosis->findings->len; i++)
    {
      const TlFinding *f = g_ptr_array_index (diagnosis->findings, i);

      /* accept-queue-full counts the queue (Recv-Q), the others sockets */
      g_assert (f->count >= 1);
      g_assert (f->id == TL_FINDING_ACCEPT_QUEUE_FULL || f->count <= diagnosis->n_sockets);
      g_assert (f->peers == NULL || f->peers->len <= TL_DIAG_MAX_PEERS);
    }

  out = g_string_new (NULL);
  tl_diagnosis_write_text (diagnosis, table, "fuzz.txt", out);
  g_assert (g_utf8_validate (out->str, out->len, NULL));
  g_string_truncate (out, 0);
  tl_diagnosis_write_json (diagnosis, table, "fuzz.txt", out);
  g_assert (g_utf8_validate (out->str, out->len, NULL));
  g_string_free (out, TRUE);
  return 0;
}
