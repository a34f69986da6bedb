/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The field changes of a dry run: persona before → after, as the Analyze
 * step and `import --dry-run` show them. */
#include "config.h"

#include <inttypes.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "pd-import-diff.h"

typedef struct {
  GPtrArray *changes;
  guint     *n_changes;
} Diff;

static void
add_change (Diff        *self,
            guint        row,
            gint64       persona_id,
            const char  *field,
            const char  *old_value,
            const char  *new_value)
{
  PdImportFieldChange *change;

  if (g_strcmp0 (old_value, new_value) == 0)
    return;
  if ((*self->n_changes)++ >= PD_IMPORT_MAX_CHANGES)
    return;
  change = g_new0 (PdImportFieldChange, 1);
  change->row = row;
  change->persona_id = persona_id;
  change->field = g_strdup (field);
  change->old_value = g_strdup (old_value);
  change->new_value = g_strdup (new_value);
  g_ptr_array_add (self->changes, change);
}

static char *
join_values (GPtrArray *values)
{
  GString *out;

  if (values->len == 0)
    return NULL;
  out = g_string_new (NULL);
  for (guint i = 0; i < values->len; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      g_string_append (out, g_ptr_array_index (values, i));
    }
  return g_string_free (out, FALSE);
}

static const char *
consent_to_string (PdSmsConsent consent)
{
  switch (consent)
    {
    case PD_SMS_CONSENT_PENDING:
      return "pending";
    case PD_SMS_CONSENT_OPTED_IN:
      return "true";
    case PD_SMS_CONSENT_NONE:
    default:
      return "false";
    }
}

/**
 * pd_import_diff_personas:
 * @changes: (element-type PdImportFieldChange): where the changes go, up
 *   to %PD_IMPORT_MAX_CHANGES of them
 * @n_changes: (inout): counts every change, also those past the cap
 *
 * What the merge (and the store's write) changed on a matched persona,
 * field by field, for the preview of a dry run.
 */
void
pd_import_diff_personas (GPtrArray *changes,
                         guint     *n_changes,
                         guint      row,
                         PdPersona *before,
                         PdPersona *after)
{
  Diff diff = { changes, n_changes };
  Diff *self = &diff;
  gint64 id = pd_persona_get_id (before);
  GHashTable *old_attributes = pd_persona_get_attributes (before);
  GHashTable *new_attributes = pd_persona_get_attributes (after);
  g_autoptr(GList) names = NULL;
  GHashTableIter iter;
  gpointer key;

  for (int f = 0; f < PD_FIELD_N_BUILTIN; f++)
    {
      const char *field = pd_field_get_info (f)->key;

      switch (f)
        {
        case PD_FIELD_EMAIL:
        case PD_FIELD_PHONE:
        case PD_FIELD_TAGS:
          {
            GPtrArray *(*get) (PdPersona *) = f == PD_FIELD_EMAIL ? pd_persona_get_emails
                                              : f == PD_FIELD_PHONE ? pd_persona_get_phones
                                              : pd_persona_get_tags;
            g_autofree char *old_value = join_values (get (before));
            g_autofree char *new_value = join_values (get (after));

            add_change (self, row, id, field, old_value, new_value);
          }
          break;
        case PD_FIELD_POINTS:
          {
            g_autofree char *old_value = g_strdup_printf ("%" PRId64, pd_persona_get_points (before));
            g_autofree char *new_value = g_strdup_printf ("%" PRId64, pd_persona_get_points (after));

            add_change (self, row, id, field, old_value, new_value);
          }
          break;
        case PD_FIELD_LOYALTY:
          add_change (self, row, id, field, pd_persona_get_loyalty (before) ? "true" : "false",
                      pd_persona_get_loyalty (after) ? "true" : "false");
          break;
        case PD_FIELD_EMAIL_OPT_IN:
          add_change (self, row, id, field, pd_persona_get_email_opt_in (before) ? "true" : "false",
                      pd_persona_get_email_opt_in (after) ? "true" : "false");
          break;
        case PD_FIELD_SMS_OPT_IN:
          add_change (self, row, id, field, consent_to_string (pd_persona_get_sms_consent (before)),
                      consent_to_string (pd_persona_get_sms_consent (after)));
          break;
        case PD_FIELD_SMS_OPT_OUT:
          add_change (self, row, id, field, pd_persona_get_sms_opt_out (before) ? "true" : "false",
                      pd_persona_get_sms_opt_out (after) ? "true" : "false");
          break;
        default:
          add_change (self, row, id, field, pd_persona_get_value (before, f), pd_persona_get_value (after, f));
          break;
        }
    }

  /* attributes: every name either side has, in a stable order */
  g_hash_table_iter_init (&iter, old_attributes);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    names = g_list_prepend (names, key);
  g_hash_table_iter_init (&iter, new_attributes);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (old_attributes, key))
      names = g_list_prepend (names, key);
  names = g_list_sort (names, (GCompareFunc) g_strcmp0);
  for (GList *l = names; l != NULL; l = l->next)
    {
      g_autofree char *field = g_strconcat (PD_ATTRIBUTE_PREFIX, l->data, NULL);

      add_change (self, row, id, field, g_hash_table_lookup (old_attributes, l->data),
                  g_hash_table_lookup (new_attributes, l->data));
    }
}

void
pd_import_field_change_free (PdImportFieldChange *change)
{
  if (change == NULL)
    return;
  g_free (change->field);
  g_free (change->old_value);
  g_free (change->new_value);
  g_free (change);
}
