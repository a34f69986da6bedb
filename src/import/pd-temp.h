/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Temporary folders that hold customers' data (an unpacked .zip, a report
 * to open) carry the process id in their name, so that what a crashed
 * process left behind can be told apart and removed by the next one. */

char    *pd_temp_make_dir     (const char  *kind,
                               GError     **error);
gboolean pd_temp_remove_dir   (const char  *path);
guint    pd_temp_remove_stale (void);

G_END_DECLS
