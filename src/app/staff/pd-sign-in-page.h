/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-store-staff.h"

G_BEGIN_DECLS

/* The sign-in screen the window shows instead of its content while staff
 * accounts are on and no one is signed in (at start, after the idle time,
 * on Switch User).  Emits "signed-in" with the verified PdAccount. */
#define PD_TYPE_SIGN_IN_PAGE (pd_sign_in_page_get_type ())
G_DECLARE_FINAL_TYPE (PdSignInPage, pd_sign_in_page, PD, SIGN_IN_PAGE, AdwBin)

GtkWidget *pd_sign_in_page_new    (PdStore      *store);
/* Lists the enabled accounts again, empties the password, and selects
 * @name (nullable: the first). */
void       pd_sign_in_page_reset  (PdSignInPage *self,
                                   const char   *name);

G_END_DECLS
