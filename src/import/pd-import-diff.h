/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pd-import-job.h"
#include "pd-persona.h"

G_BEGIN_DECLS

void pd_import_diff_personas (GPtrArray *changes,
                              guint     *n_changes,
                              guint      row,
                              PdPersona *before,
                              PdPersona *after);

G_END_DECLS
