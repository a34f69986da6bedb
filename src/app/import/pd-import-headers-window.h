/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* "All Headers": every persona field with its label, key, type and the
 * header spellings that map to it, straight from the field catalogue. */

#define PD_TYPE_IMPORT_HEADERS_WINDOW (pd_import_headers_window_get_type ())
G_DECLARE_FINAL_TYPE (PdImportHeadersWindow, pd_import_headers_window, PD, IMPORT_HEADERS_WINDOW, AdwWindow)

PdImportHeadersWindow *pd_import_headers_window_new (GtkWindow *parent);

G_END_DECLS
