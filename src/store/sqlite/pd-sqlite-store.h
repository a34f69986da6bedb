/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pd-store.h"

G_BEGIN_DECLS

/* PdSqliteStore: the PdStore kept in one SQLite database file.  One object
 * is one connection and belongs to one thread. */

#define PD_TYPE_SQLITE_STORE (pd_sqlite_store_get_type ())
G_DECLARE_FINAL_TYPE (PdSqliteStore, pd_sqlite_store, PD, SQLITE_STORE, GObject)

PdSqliteStore *pd_sqlite_store_new      (const char    *path,
                                         GError       **error);
const char    *pd_sqlite_store_get_path (PdSqliteStore *self);

G_END_DECLS
