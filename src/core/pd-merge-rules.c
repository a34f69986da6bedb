/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The merge rules: what one file row does to one persona. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-field.h"
#include "pd-merge-rules.h"
#include "pd-phone.h"

static const struct {
  const char    *name;
  PdMatchAction  action;
} action_names[] = {
  { "ignore", PD_MATCH_ACTION_IGNORE },
  { "discard", PD_MATCH_ACTION_IGNORE },
  { "update", PD_MATCH_ACTION_UPDATE },
  { "append", PD_MATCH_ACTION_APPEND },
  { "replace", PD_MATCH_ACTION_REPLACE },
  { "merge", PD_MATCH_ACTION_MERGE },
};

gboolean
pd_match_action_from_string (const char    *text,
                             PdMatchAction *action)
{
  for (guint i = 0; i < G_N_ELEMENTS (action_names); i++)
    if (g_ascii_strcasecmp (text, action_names[i].name) == 0)
      {
        *action = action_names[i].action;
        return TRUE;
      }
  return FALSE;
}

const char *
pd_match_action_to_string (PdMatchAction action)
{
  for (guint i = 0; i < G_N_ELEMENTS (action_names); i++)
    if (action_names[i].action == action)
      return action_names[i].name;
  return "merge";
}

gboolean
pd_match_keys_parse (const char  *text,
                     GArray      *keys,
                     GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *key = g_strstrip (parts[i]);
      const PdFieldInfo *info;
      PdFieldId id;

      if (*key == '\0')
        continue;
      info = pd_field_lookup (key);
      if (info == NULL || !info->identifier)
        {
          g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
                       _("“%s” cannot be used to match personas: use email, phone, external_id or a channel identifier"),
                       key);
          return FALSE;
        }
      id = info->id;
      for (guint k = 0; k < keys->len; k++)
        if (g_array_index (keys, PdFieldId, k) == id)
          id = PD_FIELD_NONE;
      if (id != PD_FIELD_NONE)
        g_array_append_val (keys, id);
    }
  if (keys->len == 0)
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID, _("No key to match personas on"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
record_boolean (const PdRecord *record,
                PdFieldId       field,
                gboolean       *value)
{
  const char *text = record->values[field];

  if (text == NULL)
    return FALSE;
  *value = g_ascii_strcasecmp (text, "true") == 0 || g_str_equal (text, "1");
  return TRUE;
}

/* Fields the generic loop leaves alone: lists, typed state with rules of
 * its own, and the override columns (applied to their target instead). */
static gboolean
is_plain_single_field (PdFieldId field)
{
  const PdFieldInfo *info;

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
    case PD_FIELD_PERSON_TYPE:
      return FALSE;
    default:
      break;
    }
  info = pd_field_get_info (field);
  /* an override column: a field that overrides another one */
  return info == NULL || info->overrides == PD_FIELD_NONE;
}

static void
set_value (PdPersona  *persona,
           PdFieldId   field,
           const char *value)
{
  pd_persona_set_value (persona, field, value);
  pd_persona_set_value_source (persona, field, value != NULL ? PD_SOURCE_IMPORT : PD_SOURCE_NONE);
}

static void
apply_single_values (PdPersona      *persona,
                     const PdRecord *record,
                     gboolean        is_new,
                     PdMatchAction   action)
{
  for (int f = 0; f < PD_FIELD_N_BUILTIN; f++)
    {
      const char *value = record->values[f];
      const char *have;

      /* a pinned value stays, whatever the action */
      if (!is_plain_single_field (f) || value == NULL || pd_persona_get_override (persona, f) != NULL)
        continue;
      have = pd_persona_get_value (persona, f);
      if (is_new || action == PD_MATCH_ACTION_APPEND || action == PD_MATCH_ACTION_REPLACE)
        {
          if (g_strcmp0 (have, value) != 0)
            set_value (persona, f, value);
        }
      else if (have == NULL)  /* update fills empty fields; merge: first value wins */
        set_value (persona, f, value);
    }

  /* An override column replaces its field whatever was there, in every
   * action (the loyalty program's explicit correction), and pins it. */
  for (int f = 0; f < PD_FIELD_N_BUILTIN; f++)
    {
      const PdFieldInfo *info = pd_field_get_info (f);

      if (info != NULL && info->overrides != PD_FIELD_NONE && record->values[f] != NULL)
        {
          set_value (persona, info->overrides, record->values[f]);
          /* and pins it, like `override set` (pd-loyalty.h) */
          pd_persona_set_override (persona, info->overrides, record->values[f]);
        }
    }
}

static void
apply_attributes (PdPersona      *persona,
                  const PdRecord *record,
                  gboolean        is_new,
                  PdMatchAction   action)
{
  GHashTable *attributes = pd_persona_get_attributes (persona);

  if (action == PD_MATCH_ACTION_REPLACE && !is_new && record->attribute_names->len > 0)
    g_hash_table_remove_all (attributes);
  for (guint i = 0; i < record->attribute_names->len; i++)
    {
      const char *name = g_ptr_array_index (record->attribute_names, i);
      const char *value = g_ptr_array_index (record->attribute_values, i);
      gboolean first_wins = !is_new && (action == PD_MATCH_ACTION_UPDATE || action == PD_MATCH_ACTION_MERGE);

      if (value == NULL || *value == '\0')
        continue;
      if (first_wins && g_hash_table_contains (attributes, name))
        continue;
      pd_persona_set_attribute (persona, name, value);
    }
}

typedef gboolean (*AddFunc) (PdPersona *persona, const char *value);
typedef gboolean (*RemoveFunc) (PdPersona *persona, const char *value);

static void
apply_list (PdPersona  *persona,
            GPtrArray  *have,
            GPtrArray  *values,
            gboolean    is_new,
            PdMatchAction action,
            AddFunc     add,
            RemoveFunc  remove)
{
  if (values->len == 0)
    return;
  if (!is_new && action == PD_MATCH_ACTION_UPDATE && have->len > 0)
    return;
  if (!is_new && action == PD_MATCH_ACTION_REPLACE)
    {
      g_autoptr(GPtrArray) old = g_ptr_array_new_with_free_func (g_free);

      for (guint i = 0; i < have->len; i++)
        g_ptr_array_add (old, g_strdup (g_ptr_array_index (have, i)));
      for (guint i = 0; i < old->len; i++)
        remove (persona, g_ptr_array_index (old, i));
    }
  for (guint i = 0; i < values->len; i++)
    add (persona, g_ptr_array_index (values, i));
}

static gboolean
same_number (gconstpointer a,
             gconstpointer b)
{
  return pd_phone_same_number (a, b);
}

gboolean
pd_merge_apply (PdPersona            *persona,
                const PdRecord       *record,
                gboolean              is_new,
                const PdMergeOptions *options,
                gint64               *points_delta,
                GPtrArray            *warnings,
                GError              **error)
{
  PdMatchAction action = options->action;
  gboolean opt_in = FALSE, opt_out = FALSE, loyalty = FALSE, email_opt_in = FALSE;
  gboolean has_opt_in, has_email_opt_in;
  gint64 delta = 0;
  const char *person_type;
  guint contacts;

  g_return_val_if_fail (is_new || action != PD_MATCH_ACTION_IGNORE, FALSE);

  *points_delta = 0;

  /* Contacts first: a row that would exceed the cap changes nothing. */
  {
    GPtrArray *emails = pd_persona_get_emails (persona);
    GPtrArray *phones = pd_persona_get_phones (persona);
    guint extra = 0;

    if (!is_new && action == PD_MATCH_ACTION_REPLACE)
      contacts = (record->emails->len > 0 ? record->emails->len : emails->len) +
                 (record->phones->len > 0 ? record->phones->len : phones->len);
    else if (!is_new && action == PD_MATCH_ACTION_UPDATE)
      contacts = (emails->len > 0 ? emails->len : record->emails->len) +
                 (phones->len > 0 ? phones->len : record->phones->len);
    else
      {
        for (guint i = 0; i < record->emails->len; i++)
          if (!g_ptr_array_find_with_equal_func (emails, record->emails->pdata[i], g_str_equal, NULL))
            extra++;
        /* the same number with or without an extension is one phone */
        for (guint i = 0; i < record->phones->len; i++)
          if (!g_ptr_array_find_with_equal_func (phones, record->phones->pdata[i], same_number, NULL))
            extra++;
        contacts = emails->len + phones->len + extra;
      }
    if (contacts > PD_MAX_CONTACTS)
      {
        g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
                     _("The persona would have %u emails and phones; at most %u are allowed"),
                     contacts, PD_MAX_CONTACTS);
        return FALSE;
      }
  }

  apply_single_values (persona, record, is_new, action);
  apply_list (persona, pd_persona_get_emails (persona), record->emails, is_new, action,
              pd_persona_add_email, pd_persona_remove_email);
  apply_list (persona, pd_persona_get_phones (persona), record->phones, is_new, action,
              pd_persona_add_phone, pd_persona_remove_phone);
  apply_list (persona, pd_persona_get_tags (persona), record->tags, is_new, action,
              pd_persona_add_tag, pd_persona_remove_tag);
  apply_attributes (persona, record, is_new, action);
  for (guint i = 0; options->tags != NULL && options->tags[i] != NULL; i++)
    pd_persona_add_tag (persona, options->tags[i]);

  if (is_new && options->signup_source != NULL && pd_persona_get_signup_source (persona) == NULL)
    pd_persona_set_signup_source (persona, options->signup_source);

  /* Points add to the balance, never set it. */
  if (record->values[PD_FIELD_POINTS] != NULL)
    delta = g_ascii_strtoll (record->values[PD_FIELD_POINTS], NULL, 10);
  if (delta != 0)
    pd_persona_set_points (persona, pd_persona_get_points (persona) + delta);
  *points_delta = delta;

  /* Consent is not "first value wins": an opt-in TRUE opts in, only the
   * explicit opt-out column opts out, and that one is for good. */
  has_opt_in = record_boolean (record, PD_FIELD_SMS_OPT_IN, &opt_in);
  record_boolean (record, PD_FIELD_SMS_OPT_OUT, &opt_out);
  if (options->opt_in_all_sms)
    opt_in = has_opt_in = TRUE;
  if (opt_out)
    {
      pd_persona_set_sms_opt_out (persona, TRUE);
      pd_persona_set_sms_consent (persona, PD_SMS_CONSENT_NONE);
    }
  else if (has_opt_in && opt_in)
    {
      if (pd_persona_get_sms_opt_out (persona))
        {
          if (pd_persona_get_sms_consent (persona) != PD_SMS_CONSENT_OPTED_IN)
            g_ptr_array_add (warnings,
                             g_strdup (_("Not opted in to SMS: this number explicitly opted out before")));
        }
      else
        pd_persona_set_sms_consent (persona, PD_SMS_CONSENT_OPTED_IN);
    }

  has_email_opt_in = record_boolean (record, PD_FIELD_EMAIL_OPT_IN, &email_opt_in);
  if (options->opt_in_all_email || (has_email_opt_in && email_opt_in))
    pd_persona_set_email_opt_in (persona, TRUE);

  /* Loyalty: TRUE enrols, FALSE never removes anyone; points or an SMS
   * opt-in enrol too. */
  record_boolean (record, PD_FIELD_LOYALTY, &loyalty);
  if (loyalty || delta != 0 || pd_persona_get_sms_consent (persona) == PD_SMS_CONSENT_OPTED_IN)
    pd_persona_set_loyalty (persona, TRUE);

  /* Person type: set on new personas; on existing ones only a promotion
   * from lead to customer. */
  person_type = options->person_type != NULL ? options->person_type : record->values[PD_FIELD_PERSON_TYPE];
  if (person_type != NULL)
    {
      if (is_new)
        set_value (persona, PD_FIELD_PERSON_TYPE, person_type);
      else if (g_str_equal (person_type, "customer") &&
               g_strcmp0 (pd_persona_get_value (persona, PD_FIELD_PERSON_TYPE), "lead") == 0)
        set_value (persona, PD_FIELD_PERSON_TYPE, "customer");
    }

  return TRUE;
}
