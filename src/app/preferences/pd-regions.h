/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The regions a phone number can default to, as a chooser lists them:
 * libphonenumber's regions, each labelled with its name in the user's
 * language and its code ("United States (US)"), or its code alone where
 * iso-codes is not installed or does not know it; sorted by label, the
 * codes alone last. */

void  pd_regions_load  (GStrv *codes,
                       GStrv *labels);

G_END_DECLS
