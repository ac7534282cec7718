/* bench-machine.c: "This Machine" live with 10,000 sockets.
 *
 *   bench-machine [SOCKETS]      (under Xvfb: tests/meson.build runs it so)
 *
 * Opens SOCKETS / 2 loopback connections (both ends: SOCKETS sockets, and
 * the listener) in a network namespace of its own when it may make one (as
 * root), else in this one, then shows the live window for TL_BENCH_SECONDS
 * (default 12) while a tick callback keeps frames coming.  Prints the
 * main thread's time for the first table (an empty view filled) and for each
 * refresh after it (the table swapped in, the rows filtered, the cards), the
 * time between frames from the first refresh on (a refresh that stalls
 * the main loop shows as a long frame), and the thread's dump (with process
 * names) and diagnosis of the table, alone. */
#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <gtk/gtk.h>

#include "tl-bench.h"
#include "tl-machine-window.h"
#include "tl-sockdiag.h"

/* A namespace of our own with its loopback up; FALSE if not permitted. */
static gboolean
own_namespace (void)
{
  struct ifreq ifr = { 0 };
  int fd;

  if (unshare (CLONE_NEWNET) != 0)
    return FALSE;
  fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  g_strlcpy (ifr.ifr_name, "lo", sizeof ifr.ifr_name);
  if (fd < 0 || ioctl (fd, SIOCGIFFLAGS, &ifr) != 0)
    g_error ("lo: %s", g_strerror (errno));
  ifr.ifr_flags |= IFF_UP;
  if (ioctl (fd, SIOCSIFFLAGS, &ifr) != 0)
    g_error ("lo up: %s", g_strerror (errno));
  close (fd);
  return TRUE;
}

/* n connections to a listener on 127.0.0.1, each accepted: 2n + 1 sockets. */
static void
open_connections (guint n)
{
  struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t len = sizeof sin;
  struct rlimit rl;
  int listener;

  if (getrlimit (RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 2 * n + 256)
    {
      rl.rlim_cur = MIN (rl.rlim_max, 2 * n + 256);
      setrlimit (RLIMIT_NOFILE, &rl);
    }
  listener = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listener < 0 || bind (listener, (struct sockaddr *) &sin, sizeof sin) != 0
      || listen (listener, 128) != 0
      || getsockname (listener, (struct sockaddr *) &sin, &len) != 0)
    g_error ("listener: %s", g_strerror (errno));
  for (guint i = 0; i < n; i++)
    {
      int c = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

      if (c < 0 || connect (c, (struct sockaddr *) &sin, sizeof sin) != 0)
        g_error ("connection %u: %s", i, g_strerror (errno));
      if (accept (listener, NULL, NULL) < 0)
        g_error ("accept %u: %s", i, g_strerror (errno));
    }
}

typedef struct
{
  TlMachineWindow *window;
  GArray          *frame_us;   /* of double: time between frames, from the first refresh on */
  gint64           last;
} Frames;

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  Frames *frames = user_data;
  gint64 now = g_get_monotonic_time ();

  if (frames->last != 0 && tl_machine_window_get_n_refreshes (frames->window) >= 2)
    {
      double us = (double) (now - frames->last);

      g_array_append_val (frames->frame_us, us);
    }
  frames->last = now;
  gtk_widget_queue_draw (widget);
  return G_SOURCE_CONTINUE;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

int
main (int    argc,
      char **argv)
{
  guint sockets = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 10000;
  const char *seconds_env = g_getenv ("TL_BENCH_SECONDS");
  guint seconds = seconds_env != NULL ? (guint) g_ascii_strtoull (seconds_env, NULL, 10) : 12;
  gboolean namespaced = own_namespace ();
  Frames frames = { NULL, g_array_new (FALSE, FALSE, sizeof (double)), 0 };
  TlMachineWindow *window;
  TlBenchLine *line;
  GArray *refresh;
  double dump_ms[5], refresh_ms[64];
  guint n_refresh;
  gint64 deadline;

  if (!gtk_init_check ())
    {
      printf ("SKIP: no display\n");
      return 77;
    }
  open_connections (sockets / 2);

  /* The thread's work, alone: the dump with process names, the diagnosis. */
  for (guint i = 0; i < G_N_ELEMENTS (dump_ms); i++)
    {
      gint64 t0 = tl_bench_now_ns ();
      g_autoptr(GError) error = NULL;
      g_autoptr(TlSockTable) table = tl_sockdiag_read (TRUE, &error);
      g_autoptr(TlDiagnosis) diagnosis = NULL;

      if (table == NULL)
        {
          printf ("SKIP: %s\n", error->message);
          return 77;
        }
      diagnosis = tl_diagnose (table);
      dump_ms[i] = (tl_bench_now_ns () - t0) / 1e6;
    }

  window = frames.window = tl_machine_window_new_live (NULL);
  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_add_tick_callback (GTK_WIDGET (window), tick_cb, &frames, NULL);
  deadline = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  /* The first table fills an empty view (every row new): apart from the
   * refreshes, which replace a table by the next. */
  refresh = tl_machine_window_get_refresh_us (window);
  n_refresh = refresh->len > 1 ? MIN (refresh->len - 1, G_N_ELEMENTS (refresh_ms)) : 0;
  for (guint i = 0; i < n_refresh; i++)
    refresh_ms[i] = g_array_index (refresh, gint64, i + 1) / 1e3;
  g_array_sort (frames.frame_us, compare_doubles);

  line = tl_bench_line_new ("machine-live");
  tl_bench_line_add_uint (line, "sockets", tl_machine_window_get_table (window) != NULL
                          ? tl_machine_window_get_table (window)->entries->len : 0);
  tl_bench_line_add_word (line, "namespace", namespaced ? "own" : "this");
  tl_bench_line_add_uint (line, "refreshes", tl_machine_window_get_n_refreshes (window));
  if (refresh->len > 0)
    tl_bench_line_add_double (line, "first_table_ms", g_array_index (refresh, gint64, 0) / 1e3, 2);
  if (n_refresh > 0)
    {
      double worst = 0;

      for (guint i = 0; i < n_refresh; i++)
        worst = MAX (worst, refresh_ms[i]);
      tl_bench_line_add_stats (line, "main_thread_ms", refresh_ms, n_refresh, FALSE, 2);
      tl_bench_line_add_double (line, "main_thread_ms_max", worst, 2);
    }
  tl_bench_line_add_stats (line, "thread_dump_ms", dump_ms, G_N_ELEMENTS (dump_ms), FALSE, 1);
  if (frames.frame_us->len > 0)
    {
      guint n = frames.frame_us->len;

      tl_bench_line_add_uint (line, "frames", n);
      tl_bench_line_add_double (line, "frame_ms_p50",
                                g_array_index (frames.frame_us, double, n / 2) / 1e3, 1);
      tl_bench_line_add_double (line, "frame_ms_p99",
                                g_array_index (frames.frame_us, double, (n * 99) / 100) / 1e3, 1);
      tl_bench_line_add_double (line, "frame_ms_max",
                                g_array_index (frames.frame_us, double, n - 1) / 1e3, 1);
    }
  tl_bench_line_print (line);
  gtk_window_destroy (GTK_WINDOW (window));
  g_array_unref (frames.frame_us);
  return 0;
}
