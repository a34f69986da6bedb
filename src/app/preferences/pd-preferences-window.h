/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-store.h"

G_BEGIN_DECLS

/* Preferences: the default country for phone numbers and the defaults
 * every new import starts from (match keys, what to do on a match), each
 * control bound to the app's GSettings and saved as it changes; and the
 * loyalty settings, which live in the database (set_store). */

#define PD_TYPE_PREFERENCES_WINDOW (pd_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (PdPreferencesWindow, pd_preferences_window, PD, PREFERENCES_WINDOW, AdwWindow)

PdPreferencesWindow *pd_preferences_window_new (GtkWindow *parent,
                                                GSettings *settings);
void                 pd_preferences_window_set_store (PdPreferencesWindow *self,
                                                      PdStore             *store);
struct _PdPosService;
void                 pd_preferences_window_set_pos_service (PdPreferencesWindow  *self,
                                                            struct _PdPosService *pos);

G_END_DECLS
