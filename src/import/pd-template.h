/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The sample CSV template: one column per persona field headed by its
 * (translated) label, and one example row.  The labels map back to their
 * fields, so the template imports as is.  Shared by `persona-desk-cli
 * template` and the app's "Download template" so both save the same file. */

char *pd_template_build_csv (void);

G_END_DECLS
