/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-store-staff.h"

G_BEGIN_DECLS

/* The Owner's view of the audit log: when, who, what action, which
 * persona and what changed, newest first, a page at a time. */
#define PD_TYPE_AUDIT_WINDOW (pd_audit_window_get_type ())
G_DECLARE_FINAL_TYPE (PdAuditWindow, pd_audit_window, PD, AUDIT_WINDOW, AdwWindow)

PdAuditWindow *pd_audit_window_new       (GtkWindow      *parent,
                                          PdStore        *store);
/* The words of an entry, for the row and for tests: (transfer full) */
char          *pd_audit_entry_dup_title  (const PdAuditEntry *entry);
char          *pd_audit_entry_dup_changes (const PdAuditEntry *entry);

G_END_DECLS
