/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* For tests and benchmarks: builds the fast path if not done yet and tells
 * how it went.  Returns FALSE when the fast path is off (then *failure says
 * why, and every number goes through libphonenumber). */
gboolean _pd_phone_get_fast_path_info (gint64   *build_usec,
                                       guint    *n_nodes,
                                       guint    *n_ask_leaves,
                                       guint    *n_oracle_calls,
                                       char    **failure);

/* For tests: whether the regions that pd_phone_format_for_display() knows
 * to be North American without libphonenumber are exactly libphonenumber's
 * regions of calling code 1; if not, *difference says how they differ. */
gboolean _pd_phone_check_display_regions (char **difference);

G_END_DECLS
