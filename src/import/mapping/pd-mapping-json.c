/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdMapping as JSON, as a mapping is saved and read back.  The object:
 * pd-mapping.c. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-json.h"
#include "pd-mapping-private.h"

#define MAPPING_JSON_VERSION 1

/**
 * pd_mapping_to_json:
 *
 * {"version": 1, "signature": "…", "columns": [{"header", "field" (key or
 * null), "ignored", "automatic", "region", "date_format",
 * "tag_delimiter"}]}
 *
 * Returns: (transfer full): the mapping as a JSON object
 */
JsonNode *
pd_mapping_to_json (PdMapping *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (PD_IS_MAPPING (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, MAPPING_JSON_VERSION);
  json_builder_set_member_name (builder, "signature");
  json_builder_add_string_value (builder, self->signature);
  json_builder_set_member_name (builder, "columns");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->columns->len; i++)
    {
      const Column *c = get_column (self, i);
      g_autofree char *key = NULL;

      /* The field is kept even when ignored, as the object keeps it. */
      if (c->field == PD_FIELD_ATTRIBUTE)
        key = g_strconcat (PD_ATTRIBUTE_PREFIX, c->attribute, NULL);
      else if (c->field != PD_FIELD_NONE)
        key = g_strdup (pd_field_get_info (c->field)->key);

      json_builder_begin_object (builder);
      pd_json_add_nullable_string (builder, "header", c->header);
      pd_json_add_nullable_string (builder, "field", key);
      json_builder_set_member_name (builder, "ignored");
      json_builder_add_boolean_value (builder, c->ignored);
      json_builder_set_member_name (builder, "automatic");
      json_builder_add_boolean_value (builder, c->automatic);
      pd_json_add_nullable_string (builder, "region", c->region);
      pd_json_add_nullable_string (builder, "date_format", c->date_format);
      pd_json_add_nullable_string (builder, "tag_delimiter", c->tag_delimiter);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static const char *
get_nullable_string (JsonObject *object,
                     const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/**
 * pd_mapping_new_from_json:
 * @node: what pd_mapping_to_json() gave
 *
 * Returns: (transfer full) (nullable): the mapping, or %NULL with
 *   PD_ERROR_MAPPING when @node is not a mapping this version understands
 */
PdMapping *
pd_mapping_new_from_json (JsonNode  *node,
                          GError   **error)
{
  g_autoptr(PdMapping) self = NULL;
  g_autoptr(GPtrArray) headers = g_ptr_array_new ();
  JsonObject *object;
  JsonArray *columns;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) ||
      (object = json_node_get_object (node)) == NULL ||
      json_object_get_int_member_with_default (object, "version", 0) != MAPPING_JSON_VERSION ||
      !json_object_has_member (object, "columns") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "columns")))
    goto invalid;

  columns = json_object_get_array_member (object, "columns");
  for (guint i = 0; i < json_array_get_length (columns); i++)
    {
      JsonNode *element = json_array_get_element (columns, i);
      const char *header;

      if (!JSON_NODE_HOLDS_OBJECT (element) ||
          (header = get_nullable_string (json_node_get_object (element), "header")) == NULL)
        goto invalid;
      g_ptr_array_add (headers, (gpointer) header);
    }

  self = _pd_mapping_new_unmapped ((const char * const *) headers->pdata, headers->len);
  for (guint i = 0; i < json_array_get_length (columns); i++)
    {
      JsonObject *c = json_array_get_object_element (columns, i);
      Column *column = get_column (self, i);

      if (!pd_mapping_set_field (self, i, get_nullable_string (c, "field"), error))
        return NULL;
      column->ignored = json_object_get_boolean_member_with_default (c, "ignored", FALSE);
      column->automatic = json_object_get_boolean_member_with_default (c, "automatic", FALSE);
      pd_mapping_set_region (self, i, get_nullable_string (c, "region"));
      pd_mapping_set_date_format (self, i, get_nullable_string (c, "date_format"));
      pd_mapping_set_tag_delimiter (self, i, get_nullable_string (c, "tag_delimiter"));
    }

  return g_steal_pointer (&self);

invalid:
  g_set_error_literal (error, PD_ERROR, PD_ERROR_MAPPING,
                       _("The saved column mapping is damaged or from a newer version"));
  return NULL;
}
