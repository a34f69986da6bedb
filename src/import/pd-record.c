/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "pd-record.h"

G_DEFINE_BOXED_TYPE (PdRecord, pd_record, pd_record_copy, pd_record_free)

PdRecord *
pd_record_new (guint row)
{
  PdRecord *record = g_new0 (PdRecord, 1);

  record->row = row;
  record->emails = g_ptr_array_new_with_free_func (g_free);
  record->phones = g_ptr_array_new_with_free_func (g_free);
  record->tags = g_ptr_array_new_with_free_func (g_free);
  record->attribute_names = g_ptr_array_new_with_free_func (g_free);
  record->attribute_values = g_ptr_array_new_with_free_func (g_free);
  record->errors = g_ptr_array_new_with_free_func (g_free);
  record->warnings = g_ptr_array_new_with_free_func (g_free);

  return record;
}

static void
copy_strings (GPtrArray *to,
              GPtrArray *from)
{
  for (guint i = 0; i < from->len; i++)
    g_ptr_array_add (to, g_strdup (g_ptr_array_index (from, i)));
}

PdRecord *
pd_record_copy (const PdRecord *record)
{
  PdRecord *copy = pd_record_new (record->row);

  for (guint i = 0; i < PD_FIELD_N_BUILTIN; i++)
    copy->values[i] = g_strdup (record->values[i]);
  copy_strings (copy->emails, record->emails);
  copy_strings (copy->phones, record->phones);
  copy_strings (copy->tags, record->tags);
  copy_strings (copy->attribute_names, record->attribute_names);
  copy_strings (copy->attribute_values, record->attribute_values);
  copy_strings (copy->errors, record->errors);
  copy_strings (copy->warnings, record->warnings);
  if (record->source != NULL)
    copy->source = pd_row_copy (record->source);

  return copy;
}

void
pd_record_free (PdRecord *record)
{
  if (record == NULL)
    return;

  for (guint i = 0; i < PD_FIELD_N_BUILTIN; i++)
    g_free (record->values[i]);
  g_ptr_array_unref (record->emails);
  g_ptr_array_unref (record->phones);
  g_ptr_array_unref (record->tags);
  g_ptr_array_unref (record->attribute_names);
  g_ptr_array_unref (record->attribute_values);
  g_ptr_array_unref (record->errors);
  g_ptr_array_unref (record->warnings);
  g_clear_pointer (&record->source, pd_row_free);
  g_free (record);
}

/**
 * pd_record_reset:
 * @row: the new row number
 *
 * Empties @record as pd_record_new() makes it, keeping its arrays (and
 * their room), so that a pipeline can reuse records instead of allocating
 * eight blocks a row: see pd_record_source_recycle_batch().
 */
void
pd_record_reset (PdRecord *record,
                 guint     row)
{
  record->row = row;
  for (guint i = 0; i < PD_FIELD_N_BUILTIN; i++)
    g_clear_pointer (&record->values[i], g_free);
  g_ptr_array_set_size (record->emails, 0);
  g_ptr_array_set_size (record->phones, 0);
  g_ptr_array_set_size (record->tags, 0);
  g_ptr_array_set_size (record->attribute_names, 0);
  g_ptr_array_set_size (record->attribute_values, 0);
  g_ptr_array_set_size (record->errors, 0);
  g_ptr_array_set_size (record->warnings, 0);
  g_clear_pointer (&record->source, pd_row_free);
}

gboolean
pd_record_is_valid (const PdRecord *record)
{
  return record->errors->len == 0;
}

void
pd_record_set_value (PdRecord   *record,
                     PdFieldId   field,
                     const char *value)
{
  g_return_if_fail (field >= 0 && field < PD_FIELD_N_BUILTIN);

  g_free (record->values[field]);
  record->values[field] = g_strdup (value);
}

void
pd_record_add_error (PdRecord   *record,
                     const char *reason)
{
  g_ptr_array_add (record->errors, g_strdup (reason));
}

void
pd_record_add_warning (PdRecord   *record,
                       const char *warning)
{
  g_ptr_array_add (record->warnings, g_strdup (warning));
}

void
pd_record_set_attribute (PdRecord   *record,
                         const char *name,
                         const char *value)
{
  for (guint i = 0; i < record->attribute_names->len; i++)
    if (g_ascii_strcasecmp (g_ptr_array_index (record->attribute_names, i), name) == 0)
      {
        g_free (record->attribute_values->pdata[i]);
        record->attribute_values->pdata[i] = g_strdup (value);
        return;
      }
  g_ptr_array_add (record->attribute_names, g_strdup (name));
  g_ptr_array_add (record->attribute_values, g_strdup (value));
}
