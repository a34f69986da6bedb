/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pd-store.h"

G_BEGIN_DECLS

/* Fixtures for the app tests and tools: a store in a fresh temporary
 * directory, filled with generated personas through the PdStore API. */

/* Returns a new store on DIR/personas.db; *dir_out is the directory
 * (remove it with pd_test_remove_dir). */
PdStore *pd_test_store_new        (char       **dir_out);
void     pd_test_remove_dir       (const char  *dir);

/* Persona @i (0-based) of the generated population: "First<i> Last<i>",
 * p<i>@example.com, +1 202 555 <i mod 10000> (with the area code varied
 * beyond 10,000), points, loyalty, a source, a few tags/attributes. */
PdPersona *pd_test_make_persona   (guint        i);
/* Saves personas [first, first + n) and returns FALSE on the first error. */
gboolean pd_test_seed             (PdStore     *store,
                                   guint        first,
                                   guint        n,
                                   GError     **error);

G_END_DECLS
