/* test-window-machine.c: "This Machine" under Xvfb (see tests/meson.build):
 * a saved socket table opened from the window (its name in the title, the
 * diagram's counts, the rows and their filter, the findings' cards opening
 * their lesson), a table that does not read (its problems at FILE:LINE), and
 * this machine's own table, live, refreshed in a thread. */
#include <check.h>
#include <string.h>
#include <unistd.h>
#include <adwaita.h>
#include <glib/gstdio.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "tl-config.h"
#include "tl-machine-window.h"
#include "tl-render.h"
#include "tl-sockdiag.h"
#include "tl-test-app.h"
#include "tl-window.h"

static char *tmp_dir;

static void
setup (void)
{
  tmp_dir = g_dir_make_tmp ("tl-machine-XXXXXX", NULL);
  ck_assert_ptr_nonnull (tmp_dir);
  /* the cards open the shipped lessons */
  g_setenv ("TL_LESSONS_DIR", TL_SOURCE_LESSONS_DIR, TRUE);
}

static void
teardown (void)
{
  g_autofree char *bad = g_build_filename (tmp_dir, "bad.txt", NULL);

  g_remove (bad);
  g_rmdir (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);
}

static GFile *
socktable (const char *scenario,
           const char *name)
{
  g_autofree char *path = g_build_filename (TL_SOURCE_TESTS_DIR, "socktables", scenario, name, NULL);

  return g_file_new_for_path (path);
}

static void
iterate_for (gint64 us)
{
  gint64 deadline = g_get_monotonic_time () + us;

  while (g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
}

static void
opens_a_saved_table (TlWindow *window)
{
  g_autoptr(GFile) file = socktable ("syn-flood", "ss-tanpo.txt");
  GtkWindow *shown = tl_window_open_socket_table (window, file);
  TlMachineWindow *machine;
  const TlDiagnosis *diagnosis;
  GListModel *rows;
  GtkWidget *card;
  GFile *playing;
  g_autofree char *playing_name = NULL;

  ck_assert (TL_IS_MACHINE_WINDOW (shown));
  machine = TL_MACHINE_WINDOW (shown);
  ck_assert_str_eq (gtk_window_get_title (shown), "ss-tanpo.txt");
  iterate_for (200000);

  /* The counts the diagram draws: the flood's SYN_RCVD and its listener. */
  diagnosis = tl_machine_window_get_diagnosis (machine);
  ck_assert_ptr_nonnull (diagnosis);
  ck_assert_uint_gt (diagnosis->counts[TL_STATE_SYN_RCVD], 100);
  ck_assert_uint_eq (diagnosis->counts[TL_STATE_LISTEN], 1);

  /* Every socket a row; the filter by port, by the dropdown's state, by a
   * state's name typed. */
  rows = tl_machine_window_get_rows (machine);
  ck_assert_uint_eq (g_list_model_get_n_items (rows), diagnosis->n_sockets);
  tl_machine_window_set_filter (machine, NULL, TL_STATE_LISTEN);
  ck_assert_uint_eq (g_list_model_get_n_items (rows), 1);
  {
    g_autoptr(TlSockRow) row = g_list_model_get_item (rows, 0);

    ck_assert_int_eq (tl_sock_row_get_entry (row)->state, TL_STATE_LISTEN);
    ck_assert_uint_eq (tl_sock_row_get_entry (row)->local.port, 9502);
  }
  tl_machine_window_set_filter (machine, "SYN-RECV", -1);
  ck_assert_uint_eq (g_list_model_get_n_items (rows), diagnosis->counts[TL_STATE_SYN_RCVD]);
  tl_machine_window_set_filter (machine, "9502", -1);
  ck_assert_uint_eq (g_list_model_get_n_items (rows), diagnosis->n_sockets);
  tl_machine_window_set_filter (machine, "9503", -1);
  ck_assert_uint_eq (g_list_model_get_n_items (rows), 0);
  tl_machine_window_set_filter (machine, NULL, -1);
  ck_assert_uint_eq (g_list_model_get_n_items (rows), diagnosis->n_sockets);

  /* One card, the SYN flood's; it opens its lesson in the main window. */
  ck_assert_uint_eq (tl_machine_window_get_n_cards (machine), 1);
  card = tl_machine_window_get_card (machine, 0);
  ck_assert_ptr_nonnull (card);
  g_signal_emit_by_name (card, "clicked");
  iterate_for (200000);
  playing = tl_session_get_file (tl_window_get_session (window));
  ck_assert_ptr_nonnull (playing);
  playing_name = g_file_get_basename (playing);
  ck_assert_str_eq (playing_name, "syn-flood.lesson");
  gtk_window_destroy (shown);
}

START_TEST (test_machine_opens_a_saved_table)
{
  tl_test_app_run_empty (opens_a_saved_table, FALSE);
}
END_TEST

static void
shows_why_a_table_does_not_read (TlWindow *window)
{
  g_autofree char *path = g_build_filename (tmp_dir, "bad.txt", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *where = g_strdup_printf ("%s:2:", path);
  GtkWindow *shown;
  const char *body;

  ck_assert (g_file_set_contents (path, "LISTEN 0 128 0.0.0.0:80 0.0.0.0:*\n"
                                        "ESTAB 0 0 10.0.0.1:80 banana\n", -1, NULL));
  shown = tl_window_open_socket_table (window, file);
  ck_assert (ADW_IS_MESSAGE_DIALOG (shown));
  body = adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (shown));
  ck_assert_msg (strstr (body, where) != NULL, "%s", body);
  gtk_window_destroy (shown);
}

START_TEST (test_machine_shows_why_a_table_does_not_read)
{
  tl_test_app_run_empty (shows_why_a_table_does_not_read, FALSE);
}
END_TEST

static TlMachineWindow *
find_machine_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (TL_IS_MACHINE_WINDOW (w))
        return TL_MACHINE_WINDOW (w);
    }
  return NULL;
}

static void
shows_this_machine_live (TlWindow *window)
{
  struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t len = sizeof sin;
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  g_autofree char *port = NULL;
  TlMachineWindow *machine;
  gint64 deadline;
  GListModel *rows;

  ck_assert_int_ge (fd, 0);
  ck_assert_int_eq (bind (fd, (struct sockaddr *) &sin, sizeof sin), 0);
  ck_assert_int_eq (listen (fd, 5), 0);
  ck_assert_int_eq (getsockname (fd, (struct sockaddr *) &sin, &len), 0);
  port = g_strdup_printf ("%u", ntohs (sin.sin_port));

  tl_test_app_activate (window, "this-machine", NULL);
  machine = find_machine_window ();
  ck_assert_ptr_nonnull (machine);
  /* The first table, then a second a period later: read again, live. */
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (tl_machine_window_get_n_refreshes (machine) < 2 && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  ck_assert_uint_ge (tl_machine_window_get_n_refreshes (machine), 2);
  ck_assert_uint_ge (tl_machine_window_get_diagnosis (machine)->counts[TL_STATE_LISTEN], 1);
  rows = tl_machine_window_get_rows (machine);
  tl_machine_window_set_filter (machine, port, -1);
  ck_assert_uint_eq (g_list_model_get_n_items (rows), 1);
  {
    g_autoptr(TlSockRow) row = g_list_model_get_item (rows, 0);

    ck_assert_int_eq (tl_sock_row_get_entry (row)->state, TL_STATE_LISTEN);
    ck_assert_int_eq (tl_sock_row_get_entry (row)->pid, getpid ());
  }
  ck_assert_uint_ge (tl_machine_window_get_refresh_us (machine)->len, 2);
  gtk_window_destroy (GTK_WINDOW (machine));
  close (fd);
}

START_TEST (test_machine_shows_this_machine_live)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlSockTable) probe = tl_sockdiag_read (FALSE, &error);

  if (probe == NULL)
    {
      /* no sock_diag here: the live view has nothing to show */
      ck_assert (g_error_matches (error, TL_SOCKDIAG_ERROR, TL_SOCKDIAG_ERROR_UNSUPPORTED));
      return;
    }
  tl_test_app_run_empty (shows_this_machine_live, FALSE);
}
END_TEST

/* The diagram of counts: each count drawn in its box, at least 16 px at a
 * 1280x720 window's diagram. */
START_TEST (test_machine_diagram_draws_each_count)
{
  guint counts[TL_N_STATES] = { 0 };
  g_autoptr(GArray) labels = tl_render_labels_new ();
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 860, 400);
  cairo_t *cr = cairo_create (surface);
  TlRenderStyle style;
  gboolean seen_129 = FALSE, seen_1 = FALSE, seen_20000 = FALSE;

  counts[TL_STATE_LISTEN] = 1;
  counts[TL_STATE_SYN_RCVD] = 129;
  counts[TL_STATE_ESTABLISHED] = 20000;
  tl_render_style_init (&style);
  style.font_scale = 1.25;
  style.labels = labels;
  tl_render_diagram_counts (cr, counts, 860, 400, &style);
  for (guint i = 0; i < labels->len; i++)
    {
      const TlRenderLabel *l = &g_array_index (labels, TlRenderLabel, i);

      ck_assert_msg (l->line_px >= 16.0, "%s is %.1f px", l->text, l->line_px);
      seen_129 |= strcmp (l->text, "129") == 0;
      seen_1 |= strcmp (l->text, "1") == 0;
      seen_20000 |= strcmp (l->text, "20000") == 0;
    }
  ck_assert (seen_129 && seen_1 && seen_20000);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}
END_TEST

Suite *
window_machine_suite (void)
{
  Suite *s = suite_create ("window-machine");
  TCase *tc = tcase_create ("ui");

  tcase_add_checked_fixture (tc, setup, teardown);
  tl_test_app_set_timeout (tc, 90);
  tcase_add_test (tc, test_machine_opens_a_saved_table);
  tcase_add_test (tc, test_machine_shows_why_a_table_does_not_read);
  tcase_add_test (tc, test_machine_shows_this_machine_live);
  tcase_add_test (tc, test_machine_diagram_draws_each_count);
  suite_add_tcase (s, tc);
  return s;
}
