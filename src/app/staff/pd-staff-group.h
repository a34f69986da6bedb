/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-store.h"

G_BEGIN_DECLS

/* Preferences → Staff Accounts, the Owner's: on or off, the idle lock
 * time, and the accounts (add, change role or PIN, disable). */
#define PD_TYPE_STAFF_GROUP (pd_staff_group_get_type ())
G_DECLARE_FINAL_TYPE (PdStaffGroup, pd_staff_group, PD, STAFF_GROUP, AdwPreferencesGroup)

void pd_staff_group_set_store (PdStaffGroup *self,
                               PdStore      *store);

G_END_DECLS
