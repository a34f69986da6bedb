/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Member @name of the object being built: @value, or null. */
void pd_json_add_nullable_string (JsonBuilder *builder,
                                  const char  *name,
                                  const char  *value);

G_END_DECLS
