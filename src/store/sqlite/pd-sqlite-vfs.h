/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The SQLite VFS every connection of the project opens databases with:
 * locks that belong to the connection, not to the process (see
 * pd-sqlite-vfs.c and HACKING.md, "Locks"). */
#define PD_SQLITE_VFS_NAME "pd-ofd"

const char *pd_sqlite_vfs_register (void);

G_END_DECLS
