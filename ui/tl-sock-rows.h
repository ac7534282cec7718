/* tl-sock-rows.h: a socket table's rows for a GtkListView or GtkColumnView,
 * filtered by port, state, address or process.
 *
 * The table is replaced every second and may hold 10,000 sockets: a row is
 * made only when the view asks for it (the rows on screen), and a row stands
 * for a position, not a socket.  A new table or filter announces only the
 * change in the number of rows (items-changed at the end), and each row
 * alive takes its position's new socket and emits "changed", so the view
 * redraws what it shows and no more. */
#pragma once

#include <gio/gio.h>

#include "tl-socktable.h"

G_BEGIN_DECLS

#define TL_TYPE_SOCK_ROW (tl_sock_row_get_type ())
G_DECLARE_FINAL_TYPE (TlSockRow, tl_sock_row, TL, SOCK_ROW, GObject)

#define TL_TYPE_SOCK_ROWS (tl_sock_rows_get_type ())
G_DECLARE_FINAL_TYPE (TlSockRows, tl_sock_rows, TL, SOCK_ROWS, GObject)

/* The socket at the row's position (a copy; its process name the row's). */
const TlSockEntry *tl_sock_row_get_entry (TlSockRow         *self);

TlSockRows        *tl_sock_rows_new      (void);
/* Shows table's sockets that pass the filter: text (NULL or "": all) is a
 * port (local or peer) if a number, a state if a state's name (ss's,
 * netstat's or the RFC's), else a part of an address or a process name;
 * state a TlState, or -1 for all.  The table must outlive the next call (or
 * the rows): the rows read it. */
void               tl_sock_rows_set      (TlSockRows        *self,
                                          const TlSockTable *table,
                                          const char        *text,
                                          int                state);

G_END_DECLS
