/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-store-staff.h"

G_BEGIN_DECLS

/* Adds a staff account (@account NULL) or changes one: name, role, PIN or
 * password, disabled.  "Save" writes through the store as the session's
 * actor and emits "saved"; a refusal is shown in a dialog of its own. */
#define PD_TYPE_ACCOUNT_DIALOG (pd_account_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PdAccountDialog, pd_account_dialog, PD, ACCOUNT_DIALOG, AdwMessageDialog)

PdAccountDialog *pd_account_dialog_new (GtkWindow       *parent,
                                        PdStore         *store,
                                        const PdAccount *account);

G_END_DECLS
