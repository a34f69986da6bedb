/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-store.h"

G_BEGIN_DECLS

/* The application: parses --db, opens the store (creating the default
 * database when it does not exist yet), owns the settings and the app
 * actions (about, preferences, quit, shortcuts). */

#define PD_TYPE_APPLICATION (pd_application_get_type ())
G_DECLARE_FINAL_TYPE (PdApplication, pd_application, PD, APPLICATION, AdwApplication)

PdApplication *pd_application_new             (void);
/* nullable: NULL until the store was opened in activate */
PdStore       *pd_application_get_store       (PdApplication *self);
const char    *pd_application_get_db_path     (PdApplication *self);
void           pd_application_set_db_path     (PdApplication *self,
                                               const char    *path);
/* The Shortcuts window, its keys those of the application's accelerators.
 * Returns: (transfer none): owned by GTK, not shown yet */
GtkWindow     *pd_application_new_shortcuts_window (PdApplication *self);
void           pd_application_use_store       (PdApplication *self,
                                               PdStore       *store,
                                               const char    *target);
/* nullable: NULL when the schema is not installed (running uninstalled) */
GSettings     *pd_application_get_settings    (PdApplication *self);

/* The app's settings, looked up in the installed schemas and, when
 * running from the build tree, in the build's compiled schemas; those of
 * the running PdApplication once it has them.
 * Returns: (transfer full) (nullable) */
GSettings     *pd_application_dup_settings    (void);

G_END_DECLS
