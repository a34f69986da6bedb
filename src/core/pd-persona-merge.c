/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The rules of merging personas: the plan (what differs, what is kept)
 * and the survivor it makes. */
#include "config.h"

#include <inttypes.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-field.h"
#include "pd-loyalty.h"
#include "pd-merge-rules.h"
#include "pd-persona-merge.h"
#include "pd-phone.h"

static void
merge_field_free (gpointer data)
{
  PdMergeField *field = data;

  g_free (field->key);
  g_free (field->label);
  g_ptr_array_unref (field->values);
  g_free (field);
}

void
pd_merge_plan_free (PdMergePlan *plan)
{
  if (plan == NULL)
    return;
  g_ptr_array_unref (plan->personas);
  g_ptr_array_unref (plan->fields);
  g_free (plan);
}

gint64
pd_merge_plan_get_survivor_id (PdMergePlan *plan)
{
  return pd_persona_get_id (g_ptr_array_index (plan->personas, 0));
}

/* The single-value fields a merge compares: not the lists, counters and
 * consent, which are combined, nor the mapping-only full name. */
static gboolean
is_merged_field (PdFieldId field)
{
  switch ((int) field)
    {
    case PD_FIELD_EMAIL:
    case PD_FIELD_PHONE:
    case PD_FIELD_TAGS:
    case PD_FIELD_POINTS:
    case PD_FIELD_LOYALTY:
    case PD_FIELD_EMAIL_OPT_IN:
    case PD_FIELD_SMS_OPT_IN:
    case PD_FIELD_SMS_OPT_OUT:
    case PD_FIELD_FULL_NAME:
      return FALSE;
    default:
      return pd_field_get_info (field) != NULL;
    }
}

/* Which persona's value the rules keep: a pinned value first (the
 * survivor's first), else the favorite store from the highest source
 * (the first among equals), a customer over a lead, else the first
 * value. */
static guint
rule_choice (GPtrArray *personas,
             GPtrArray *values,
             PdFieldId  field)
{
  guint kept = G_MAXUINT;

  if (field != PD_FIELD_ATTRIBUTE)
    for (guint i = 0; i < personas->len; i++)
      if (pd_persona_get_override (g_ptr_array_index (personas, i), field) != NULL)
        return i;

  for (guint i = 0; i < values->len; i++)
    {
      PdPersona *persona = g_ptr_array_index (personas, i);

      if (g_ptr_array_index (values, i) == NULL)
        continue;
      if (kept == G_MAXUINT)
        kept = i;
      else if (field == PD_FIELD_FAVORITE_STORE)
        {
          PdSource have = pd_persona_get_value_source (g_ptr_array_index (personas, kept), field);
          PdSource incoming = pd_persona_get_value_source (persona, field);

          if (pd_favorite_store_rank (incoming) > pd_favorite_store_rank (have))
            kept = i;
        }
      else if (field == PD_FIELD_PERSON_TYPE &&
               g_strcmp0 (g_ptr_array_index (values, i), "customer") == 0 &&
               g_strcmp0 (g_ptr_array_index (values, kept), "customer") != 0)
        kept = i;
    }
  return kept == G_MAXUINT ? 0 : kept;
}

static gboolean
all_same (GPtrArray *values)
{
  for (guint i = 1; i < values->len; i++)
    if (g_strcmp0 (g_ptr_array_index (values, 0), g_ptr_array_index (values, i)) != 0)
      return FALSE;
  return TRUE;
}

static void
add_field (PdMergePlan *plan,
           const char  *key,
           const char  *label,
           PdFieldId    field,
           GPtrArray   *values)
{
  PdMergeField *merge_field;

  if (all_same (values))
    return;
  merge_field = g_new0 (PdMergeField, 1);
  merge_field->key = g_strdup (key);
  merge_field->label = g_strdup (label);
  merge_field->field = field;
  merge_field->values = g_ptr_array_ref (values);
  merge_field->kept = merge_field->chosen = rule_choice (plan->personas, values, field);
  g_ptr_array_add (plan->fields, merge_field);
}

static gboolean
same_number (gconstpointer a,
             gconstpointer b)
{
  return pd_phone_same_number (a, b);
}

static guint
count_contacts (GPtrArray *personas)
{
  g_autoptr(GPtrArray) emails = g_ptr_array_new ();
  g_autoptr(GPtrArray) phones = g_ptr_array_new ();

  for (guint i = 0; i < personas->len; i++)
    {
      GPtrArray *have = pd_persona_get_emails (g_ptr_array_index (personas, i));

      for (guint k = 0; k < have->len; k++)
        if (!g_ptr_array_find_with_equal_func (emails, have->pdata[k], g_str_equal, NULL))
          g_ptr_array_add (emails, have->pdata[k]);
      have = pd_persona_get_phones (g_ptr_array_index (personas, i));
      for (guint k = 0; k < have->len; k++)
        if (!g_ptr_array_find_with_equal_func (phones, have->pdata[k], same_number, NULL))
          g_ptr_array_add (phones, have->pdata[k]);
    }
  return emails->len + phones->len;
}

PdMergePlan *
pd_merge_plan_new (GPtrArray  *personas,
                   GError    **error)
{
  g_autoptr(PdMergePlan) plan = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GHashTable) seen_names = NULL;

  g_return_val_if_fail (personas != NULL, NULL);

  if (personas->len < 2)
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID, _("A merge needs at least two personas"));
      return NULL;
    }
  for (guint i = 0; i < personas->len; i++)
    {
      PdPersona *persona = g_ptr_array_index (personas, i);
      gint64 id = pd_persona_get_id (persona);

      for (guint k = 0; k < i; k++)
        if (pd_persona_get_id (g_ptr_array_index (personas, k)) == id)
          {
            g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
                         _("Persona %" PRId64 " is given twice: a persona cannot be merged with itself"), id);
            return NULL;
          }
      if (pd_persona_get_blocklisted (persona))
        {
          g_set_error (error, PD_ERROR, PD_ERROR_CONFLICT, _("Persona %" PRId64 " is blocklisted"), id);
          return NULL;
        }
      if (pd_persona_get_archived (persona))
        {
          g_set_error (error, PD_ERROR, PD_ERROR_CONFLICT,
                       _("Persona %" PRId64 " is archived: restore it before merging it"), id);
          return NULL;
        }
    }

  plan = g_new0 (PdMergePlan, 1);
  plan->personas = g_ptr_array_new_with_free_func (g_object_unref);
  plan->fields = g_ptr_array_new_with_free_func (merge_field_free);
  for (guint i = 0; i < personas->len; i++)
    {
      g_ptr_array_add (plan->personas, g_object_ref (g_ptr_array_index (personas, i)));
      plan->points += pd_persona_get_points (g_ptr_array_index (personas, i));
    }

  for (int f = 0; f < PD_FIELD_N_BUILTIN; f++)
    {
      g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
      const PdFieldInfo *info = pd_field_get_info (f);

      if (!is_merged_field (f))
        continue;
      for (guint i = 0; i < personas->len; i++)
        g_ptr_array_add (values, g_strdup (pd_persona_get_value (g_ptr_array_index (personas, i), f)));
      add_field (plan, info->key, _(info->label), f, values);
    }

  /* Attributes, by name in order of first appearance (survivor first). */
  names = g_ptr_array_new_with_free_func (g_free);
  seen_names = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < personas->len; i++)
    {
      g_autoptr(GList) keys = g_hash_table_get_keys (pd_persona_get_attributes (g_ptr_array_index (personas, i)));

      keys = g_list_sort (keys, (GCompareFunc) strcmp);
      for (GList *l = keys; l != NULL; l = l->next)
        if (!g_hash_table_contains (seen_names, l->data))
          {
            char *name = g_strdup (l->data);

            g_ptr_array_add (names, name);
            g_hash_table_add (seen_names, name);
          }
    }
  for (guint n = 0; n < names->len; n++)
    {
      const char *name = g_ptr_array_index (names, n);
      g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *key = NULL;

      for (guint i = 0; i < personas->len; i++)
        g_ptr_array_add (values, g_strdup (g_hash_table_lookup (
          pd_persona_get_attributes (g_ptr_array_index (personas, i)), name)));
      /* a source ID is an attribute named "source:…"; others "attribute:…" */
      key = g_str_has_prefix (name, PD_SOURCE_ID_PREFIX) ? g_strdup (name)
                                                       : g_strconcat (PD_ATTRIBUTE_PREFIX, name, NULL);
      add_field (plan, key, name, PD_FIELD_ATTRIBUTE, values);
    }

  plan->n_contacts = count_contacts (personas);
  return g_steal_pointer (&plan);
}

gboolean
pd_merge_plan_choose (PdMergePlan  *plan,
                      const char   *key,
                      gint64        persona_id,
                      GError      **error)
{
  PdMergeField *field = NULL;
  guint index = G_MAXUINT;

  for (guint i = 0; i < plan->fields->len && field == NULL; i++)
    {
      PdMergeField *candidate = g_ptr_array_index (plan->fields, i);
      const PdFieldInfo *info = candidate->field != PD_FIELD_ATTRIBUTE ? pd_field_get_info (candidate->field) : NULL;

      /* a field by its key or label; an attribute by "attribute:NAME" or NAME */
      if (g_ascii_strcasecmp (candidate->key, key) == 0 ||
          (info != NULL && g_ascii_strcasecmp (info->label, key) == 0) ||
          (candidate->field == PD_FIELD_ATTRIBUTE && g_strcmp0 (candidate->label, key) == 0))
        field = candidate;
    }
  if (field == NULL)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
                   _("“%s” is not a field where these personas differ"), key);
      return FALSE;
    }
  for (guint i = 0; i < plan->personas->len; i++)
    if (pd_persona_get_id (g_ptr_array_index (plan->personas, i)) == persona_id)
      index = i;
  if (index == G_MAXUINT)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
                   _("Persona %" PRId64 " is not one of the personas being merged"), persona_id);
      return FALSE;
    }
  if (g_ptr_array_index (field->values, index) == NULL)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
                   _("Persona %" PRId64 " has no value for “%s”"), persona_id, field->key);
      return FALSE;
    }
  /* The favorite store's precedence holds for a merge as for any write
   * (pd_favorite_store_may_replace()): a value from a lower source than
   * the survivor's cannot replace it. */
  if (field->field == PD_FIELD_FAVORITE_STORE && index != 0 && g_ptr_array_index (field->values, 0) != NULL)
    {
      PdPersona *survivor = g_ptr_array_index (plan->personas, 0);
      PdPersona *from = g_ptr_array_index (plan->personas, index);

      if (!pd_favorite_store_may_replace (pd_persona_get_value_source (survivor, field->field),
                                          pd_persona_get_value_source (from, field->field)))
        {
          g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
                       _("The favorite store of persona %" PRId64 " comes from a lower source (%s) than the "
                         "survivor's (%s): it cannot replace it"), persona_id,
                       pd_source_to_string (pd_persona_get_value_source (from, field->field)),
                       pd_source_to_string (pd_persona_get_value_source (survivor, field->field)));
          return FALSE;
        }
    }
  field->chosen = index;
  return TRUE;
}

gboolean
pd_merge_plan_choose_text (PdMergePlan  *plan,
                           const char   *text,
                           GError      **error)
{
  const char *eq = strrchr (text, '=');
  g_autofree char *key = NULL;
  gint64 id;
  char *end = NULL;

  if (eq == NULL || eq == text)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_INVALID, _("“%s” is not FIELD=ID"), text);
      return FALSE;
    }
  id = g_ascii_strtoll (eq + 1, &end, 10);
  if (id <= 0 || end == eq + 1 || *end != '\0')
    {
      g_set_error (error, PD_ERROR, PD_ERROR_INVALID, _("“%s” is not FIELD=ID"), text);
      return FALSE;
    }
  key = g_strndup (text, eq - text);
  return pd_merge_plan_choose (plan, g_strstrip (key), id, error);
}

PdPersona *
pd_merge_plan_build (PdMergePlan  *plan,
                     GError      **error)
{
  PdPersona *survivor = g_ptr_array_index (plan->personas, 0);
  g_autoptr(PdPersona) merged = NULL;
  gboolean opt_out = FALSE, email_opt_in = FALSE, loyalty = FALSE;
  PdSmsConsent consent = PD_SMS_CONSENT_NONE;

  if (plan->n_contacts > PD_MAX_CONTACTS)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
                   _("The merged persona would have %u emails and phones; at most %u are allowed"),
                   plan->n_contacts, PD_MAX_CONTACTS);
      return NULL;
    }

  merged = pd_persona_copy (survivor);
  for (guint i = 0; i < plan->fields->len; i++)
    {
      PdMergeField *field = g_ptr_array_index (plan->fields, i);
      PdPersona *from = g_ptr_array_index (plan->personas, field->chosen);
      const char *value = g_ptr_array_index (field->values, field->chosen);

      if (field->field == PD_FIELD_ATTRIBUTE)
        {
          pd_persona_set_attribute (merged, field->label, value);
          continue;
        }
      pd_persona_set_value (merged, field->field, value);
      pd_persona_set_value_source (merged, field->field, pd_persona_get_value_source (from, field->field));
      /* a value pinned on the persona it comes from stays pinned; a
       * pinned value that was not chosen is not */
      pd_persona_set_override (merged, field->field, pd_persona_get_override (from, field->field));
    }

  for (guint i = 0; i < plan->personas->len; i++)
    {
      PdPersona *persona = g_ptr_array_index (plan->personas, i);
      GHashTableIter iter;
      gpointer name, value;

      if (i > 0)
        {
          GPtrArray *list = pd_persona_get_emails (persona);

          for (guint k = 0; k < list->len; k++)
            pd_persona_add_email (merged, list->pdata[k]);
          list = pd_persona_get_phones (persona);
          for (guint k = 0; k < list->len; k++)
            if (!g_ptr_array_find_with_equal_func (pd_persona_get_phones (merged), list->pdata[k],
                                                   same_number, NULL))
              pd_persona_add_phone (merged, list->pdata[k]);
          list = pd_persona_get_tags (persona);
          for (guint k = 0; k < list->len; k++)
            pd_persona_add_tag (merged, list->pdata[k]);
          /* attributes only one persona has were not in the plan */
          g_hash_table_iter_init (&iter, pd_persona_get_attributes (persona));
          while (g_hash_table_iter_next (&iter, &name, &value))
            if (!g_hash_table_contains (pd_persona_get_attributes (merged), name))
              pd_persona_set_attribute (merged, name, value);
        }

      /* Consent: an explicit opt-out always wins; else the strongest
       * consent any of them gave.  Loyalty: a member stays one. */
      opt_out |= pd_persona_get_sms_opt_out (persona);
      if (pd_persona_get_sms_consent (persona) == PD_SMS_CONSENT_OPTED_IN)
        consent = PD_SMS_CONSENT_OPTED_IN;
      else if (pd_persona_get_sms_consent (persona) == PD_SMS_CONSENT_PENDING && consent == PD_SMS_CONSENT_NONE)
        consent = PD_SMS_CONSENT_PENDING;
      email_opt_in |= pd_persona_get_email_opt_in (persona);
      loyalty |= pd_persona_get_loyalty (persona);
      if (pd_persona_get_signup_source (merged) == NULL && pd_persona_get_signup_source (persona) != NULL)
        pd_persona_set_signup_source (merged, pd_persona_get_signup_source (persona));
    }
  pd_persona_set_sms_opt_out (merged, opt_out);
  pd_persona_set_sms_consent (merged, opt_out ? PD_SMS_CONSENT_NONE : consent);
  /* an address that opted out keeps the merged persona out: the store's
   * email consent rule, on every write */
  pd_persona_set_email_opt_in (merged, email_opt_in);
  pd_persona_set_loyalty (merged, loyalty);
  pd_persona_set_points (merged, plan->points);
  return g_steal_pointer (&merged);
}

static void
restore_list (GPtrArray *now,
              GPtrArray *before,
              GPtrArray *after,
              gboolean (*remove) (PdPersona *, const char *),
              PdPersona *persona)
{
  /* what the merge added (in after, not before) goes; what came since stays */
  for (guint i = 0; i < after->len; i++)
    if (!g_ptr_array_find_with_equal_func (before, after->pdata[i], g_str_equal, NULL) &&
        g_ptr_array_find_with_equal_func (now, after->pdata[i], g_str_equal, NULL))
      remove (persona, after->pdata[i]);
}

PdPersona *
pd_merge_restore_survivor (PdPersona *before,
                           PdPersona *after,
                           PdPersona *now,
                           gint64     points_moved)
{
  PdPersona *restored = pd_persona_copy (now);
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTable *attrs[3] = { pd_persona_get_attributes (before), pd_persona_get_attributes (after),
                           pd_persona_get_attributes (now) };
  g_autoptr(GList) keys = NULL;

  for (int f = 0; f < PD_FIELD_N_BUILTIN; f++)
    {
      if (!is_merged_field (f))
        continue;
      if (g_strcmp0 (pd_persona_get_value (now, f), pd_persona_get_value (after, f)) == 0 &&
          pd_persona_get_value_source (now, f) == pd_persona_get_value_source (after, f))
        {
          pd_persona_set_value (restored, f, pd_persona_get_value (before, f));
          pd_persona_set_value_source (restored, f, pd_persona_get_value_source (before, f));
        }
      if (g_strcmp0 (pd_persona_get_override (now, f), pd_persona_get_override (after, f)) == 0)
        pd_persona_set_override (restored, f, pd_persona_get_override (before, f));
    }
  restore_list (pd_persona_get_emails (now), pd_persona_get_emails (before), pd_persona_get_emails (after),
                pd_persona_remove_email, restored);
  restore_list (pd_persona_get_phones (now), pd_persona_get_phones (before), pd_persona_get_phones (after),
                pd_persona_remove_phone, restored);
  restore_list (pd_persona_get_tags (now), pd_persona_get_tags (before), pd_persona_get_tags (after),
                pd_persona_remove_tag, restored);

  for (int i = 0; i < 3; i++)
    {
      GHashTableIter iter;
      gpointer name;

      g_hash_table_iter_init (&iter, attrs[i]);
      while (g_hash_table_iter_next (&iter, &name, NULL))
        g_hash_table_add (names, name);
    }
  keys = g_hash_table_get_keys (names);
  for (GList *l = keys; l != NULL; l = l->next)
    if (g_strcmp0 (g_hash_table_lookup (attrs[2], l->data), g_hash_table_lookup (attrs[1], l->data)) == 0)
      {
        g_autofree char *name = g_strdup (l->data);

        pd_persona_set_attribute (restored, name, g_hash_table_lookup (attrs[0], name));
      }

#define THREE_WAY(get, set) \
  if (get (now) == get (after)) \
    set (restored, get (before))
  THREE_WAY (pd_persona_get_loyalty, pd_persona_set_loyalty);
  THREE_WAY (pd_persona_get_email_opt_in, pd_persona_set_email_opt_in);
  THREE_WAY (pd_persona_get_sms_consent, pd_persona_set_sms_consent);
  THREE_WAY (pd_persona_get_sms_opt_out, pd_persona_set_sms_opt_out);
#undef THREE_WAY
  if (g_strcmp0 (pd_persona_get_signup_source (now), pd_persona_get_signup_source (after)) == 0)
    pd_persona_set_signup_source (restored, pd_persona_get_signup_source (before));
  pd_persona_set_points (restored, pd_persona_get_points (now) - points_moved);
  return restored;
}

static gboolean
same_strings (GPtrArray *a,
              GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (g_strcmp0 (a->pdata[i], b->pdata[i]) != 0)
      return FALSE;
  return TRUE;
}

gboolean
pd_merge_unchanged_since (PdPersona *after,
                          PdPersona *now)
{
  GHashTable *a = pd_persona_get_attributes (after), *b = pd_persona_get_attributes (now);
  GHashTableIter iter;
  gpointer name, value;

  for (int f = 0; f < PD_FIELD_N_BUILTIN; f++)
    if (is_merged_field (f) &&
        (g_strcmp0 (pd_persona_get_value (after, f), pd_persona_get_value (now, f)) != 0 ||
        pd_persona_get_value_source (after, f) != pd_persona_get_value_source (now, f) ||
         g_strcmp0 (pd_persona_get_override (after, f), pd_persona_get_override (now, f)) != 0))
      return FALSE;
  if (g_hash_table_size (a) != g_hash_table_size (b))
    return FALSE;
  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &name, &value))
    if (g_strcmp0 (g_hash_table_lookup (b, name), value) != 0)
      return FALSE;
  return same_strings (pd_persona_get_emails (after), pd_persona_get_emails (now)) &&
         same_strings (pd_persona_get_phones (after), pd_persona_get_phones (now)) &&
         same_strings (pd_persona_get_tags (after), pd_persona_get_tags (now)) &&
         pd_persona_get_points (after) == pd_persona_get_points (now) &&
         pd_persona_get_loyalty (after) == pd_persona_get_loyalty (now) &&
         pd_persona_get_email_opt_in (after) == pd_persona_get_email_opt_in (now) &&
         pd_persona_get_sms_consent (after) == pd_persona_get_sms_consent (now) &&
         pd_persona_get_sms_opt_out (after) == pd_persona_get_sms_opt_out (now) &&
         pd_persona_get_archived (after) == pd_persona_get_archived (now) &&
         g_strcmp0 (pd_persona_get_signup_source (after), pd_persona_get_signup_source (now)) == 0;
}
