/* tl-machine-window.h: "This Machine": a socket table as the state diagram
 * counts it, as an ss-style table filtered by port or state, and its
 * findings (tl-diagnose.h) as cards that open the lesson explaining each.
 * Live, this machine's own table is read again every second in a thread
 * (diagnose/tl-sockdiag.c); or a saved ss/netstat table, not live. */
#pragma once

#include <gtk/gtk.h>

#include "tl-diagnose.h"
#include "tl-sock-rows.h"
#include "tl-window.h"

G_BEGIN_DECLS

#define TL_TYPE_MACHINE_WINDOW (tl_machine_window_get_type ())
G_DECLARE_FINAL_TYPE (TlMachineWindow, tl_machine_window, TL, MACHINE_WINDOW, GtkWindow)

/* The refresh period of the live table. */
#define TL_MACHINE_REFRESH_MS 1000

/* This machine, live; parent is the window whose lessons the cards open
 * (NULL, as in the benchmark: the cards open nothing). */
TlMachineWindow   *tl_machine_window_new_live       (TlWindow        *parent);
/* A saved table (taken), named by name (the file's), not live. */
TlMachineWindow   *tl_machine_window_new_for_table  (TlWindow        *parent,
                                                     TlSockTable     *table,
                                                     const char      *name);
/* Reads a saved ss/netstat file: the window, or NULL and *message set to
 * the problems, one a line, each as FILE:LINE:COLUMN (translated). */
TlMachineWindow   *tl_machine_window_open_file      (TlWindow        *parent,
                                                     GFile           *file,
                                                     char           **message);

/* What the window shows, for tests and the benchmark. */
const TlSockTable *tl_machine_window_get_table      (TlMachineWindow *self);
const TlDiagnosis *tl_machine_window_get_diagnosis  (TlMachineWindow *self);
/* The table's rows as shown (after the filter), items of TlSockRow. */
GListModel        *tl_machine_window_get_rows       (TlMachineWindow *self);
/* The filter: text (a port, an address, a process; a state's name), and a
 * state (-1 for all). */
void               tl_machine_window_set_filter     (TlMachineWindow *self,
                                                     const char      *text,
                                                     int              state);
/* The findings' cards, each a button that opens its lesson. */
guint              tl_machine_window_get_n_cards    (TlMachineWindow *self);
GtkWidget         *tl_machine_window_get_card       (TlMachineWindow *self,
                                                     guint            index);
/* Times (µs) the main thread spent on each of the last refreshes, oldest
 * first, at most 64; and how many refreshes there have been. */
GArray            *tl_machine_window_get_refresh_us (TlMachineWindow *self);
guint              tl_machine_window_get_n_refreshes (TlMachineWindow *self);

G_END_DECLS
