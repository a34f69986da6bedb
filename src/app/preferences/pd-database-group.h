/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-store.h"

G_BEGIN_DECLS

/* Preferences' "Database" group: which database is open, and the switch to
 * a PostgreSQL database shared by several desks (its password kept in the
 * keyring) or back to this computer's own. */

#define PD_TYPE_DATABASE_GROUP (pd_database_group_get_type ())
G_DECLARE_FINAL_TYPE (PdDatabaseGroup, pd_database_group, PD, DATABASE_GROUP, AdwPreferencesGroup)

/* @store: (nullable): the open database, to name it */
void   pd_database_group_set_store   (PdDatabaseGroup *self,
                                      PdStore         *store);
/* Connects to the address and password typed, as the Connect button does;
 * tests wait for the window on the new database. */
void   pd_database_group_connect     (PdDatabaseGroup *self);

G_END_DECLS
