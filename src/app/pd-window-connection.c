/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdWindow on a shared (PostgreSQL) database: it says when the connection
 * to the server is lost — a toast that stays until the connection is back,
 * since whatever the user saves meanwhile fails — and when it is back.
 * The store reconnects by itself, in a worker thread so that a server
 * that does not answer cannot freeze the window (pd-pg-store-connection.c);
 * meanwhile the window's reads and saves fail at once, and the lists
 * reload on its "reconnected" (pd-persona-list.c).  Nothing half-written
 * can show: the server rolled back whatever transaction the connection
 * took with it, and the lists only ever read committed rows. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-pg-store.h"
#include "pd-window-private.h"

#define LOST_TOAST_KEY "pd-connection-lost-toast"

static void
on_connection_lost (PdPgStore *store,
                    PdWindow  *self)
{
  AdwToast *toast;

  if (g_object_get_data (G_OBJECT (self), LOST_TOAST_KEY) != NULL)
    return;
  /* one line (a toast's title is ellipsized): the database's name and
   * host are in the error of a save tried meanwhile */
  toast = adw_toast_new (_("Lost the connection to the shared database. Trying again…"));
  adw_toast_set_timeout (toast, 0);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_object_set_data_full (G_OBJECT (self), LOST_TOAST_KEY, g_object_ref (toast), g_object_unref);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
on_reconnected (PdPgStore *store,
                PdWindow  *self)
{
  AdwToast *lost = g_object_get_data (G_OBJECT (self), LOST_TOAST_KEY);
  AdwToast *toast;

  if (lost != NULL)
    adw_toast_dismiss (lost);
  g_object_set_data (G_OBJECT (self), LOST_TOAST_KEY, NULL);
  toast = adw_toast_new (_("Connected to the shared database again"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
_pd_window_setup_connection (PdWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (!PD_IS_PG_STORE (self->store))
    return;
  /* the list listens already; this is for a window without one */
  if (!pd_pg_store_listen (PD_PG_STORE (self->store), &error))
    g_debug ("Not watching the connection: %s", error->message);
  g_signal_connect_object (self->store, "connection-lost", G_CALLBACK (on_connection_lost), self, 0);
  g_signal_connect_object (self->store, "reconnected", G_CALLBACK (on_reconnected), self, 0);
}

/* The toast of a lost connection on show, for tests. */
gboolean
_pd_window_shows_connection_lost (PdWindow *self)
{
  return g_object_get_data (G_OBJECT (self), LOST_TOAST_KEY) != NULL;
}

/* A shared database whose connection is lost, and which the store is
 * trying to connect again: what the list's "unavailable" page says. */
gboolean
_pd_window_is_reconnecting (PdWindow *self)
{
  return PD_IS_PG_STORE (self->store) && !pd_pg_store_is_connected (PD_PG_STORE (self->store));
}
