/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-store.h"

G_BEGIN_DECLS

#define PD_TYPE_PRIVACY_WINDOW (pd_privacy_window_get_type ())
G_DECLARE_FINAL_TYPE (PdPrivacyWindow, pd_privacy_window, PD, PRIVACY_WINDOW, AdwWindow)

/* @persona: (nullable): "Forget this customer…": its first phone and
 * email filled in and checked at once */
PdPrivacyWindow *pd_privacy_window_new (GtkWindow *parent,
                                        PdStore   *store,
                                        PdPersona *persona);
/* Tests: the status line as shown */
const char      *pd_privacy_window_get_status (PdPrivacyWindow *self);

G_END_DECLS
