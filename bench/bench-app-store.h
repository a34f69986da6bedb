/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The store's part of what bench-app's window does, timed on a connection
 * of its own: each search's first page and count, the list's count, far
 * pages of each order (bench-app-store.c). */
void bench_app_store_alone (const char *db,
                            int         runs);
