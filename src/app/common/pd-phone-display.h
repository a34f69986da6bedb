/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *pd_phone_display                (const char *e164);
/* pd_phone_display(), with "(not in phone data 2022)" after a number the
 * phone data does not know (pd_phone_is_in_data()): for read-only text. */
char *pd_phone_display_marked         (const char *e164);
/* (nullable): why @phones' numbers the phone data does not know are
 * marked, naming them; NULL when it knows them all.  For a tooltip. */
char *pd_phone_describe_not_in_data   (GPtrArray  *phones);

G_END_DECLS
