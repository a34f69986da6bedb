/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Small helpers for the JSON the core, the import pipeline and the CLI
 * build with JsonBuilder. */
#include "config.h"

#include "pd-json.h"

void
pd_json_add_nullable_string (JsonBuilder *builder,
                             const char  *name,
                             const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}
