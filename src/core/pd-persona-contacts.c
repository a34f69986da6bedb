/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdPersona's values that come several to a persona: emails and phones
 * (primary first), tags and custom attributes.  The object: pd-persona.c. */
#include "config.h"

#include <string.h>

#include "pd-persona-private.h"
#include "pd-phone.h"

/**
 * pd_persona_get_emails:
 *
 * Returns: (transfer none) (element-type utf8): the emails, primary first
 */
GPtrArray *
pd_persona_get_emails (PdPersona *self)
{
  g_return_val_if_fail (PD_IS_PERSONA (self), NULL);
  return self->emails;
}

/**
 * pd_persona_get_phones:
 *
 * Returns: (transfer none) (element-type utf8): the E.164 phones, primary first
 */
GPtrArray *
pd_persona_get_phones (PdPersona *self)
{
  g_return_val_if_fail (PD_IS_PERSONA (self), NULL);
  return self->phones;
}

/**
 * pd_persona_get_tags:
 *
 * Returns: (transfer none) (element-type utf8): the tags
 */
GPtrArray *
pd_persona_get_tags (PdPersona *self)
{
  g_return_val_if_fail (PD_IS_PERSONA (self), NULL);
  return self->tags;
}

static gboolean
add_unique (GPtrArray  *array,
            const char *value)
{
  if (value == NULL || *value == '\0')
    return FALSE;
  for (guint i = 0; i < array->len; i++)
    if (g_str_equal (g_ptr_array_index (array, i), value))
      return FALSE;
  g_ptr_array_add (array, g_strdup (value));
  return TRUE;
}

/* Returns FALSE when the persona already has the email. */
gboolean
pd_persona_add_email (PdPersona  *self,
                      const char *email)
{
  g_return_val_if_fail (PD_IS_PERSONA (self), FALSE);

  if (!add_unique (self->emails, email))
    return FALSE;
  if (self->emails->len == 1)
    _pd_persona_notify_display_name (self);
  _pd_persona_emit_changed (self, PD_FIELD_EMAIL);
  return TRUE;
}

/* Returns FALSE when the persona already has the phone.  The same number
 * is the same phone, extensions aside (it is what matches a persona):
 * "+1…;ext=5" takes the place of a "+1…" the persona has, and "+1…" adds
 * nothing to a "+1…;ext=5"; of two extensions, the first one stays. */
gboolean
pd_persona_add_phone (PdPersona  *self,
                      const char *phone)
{
  g_return_val_if_fail (PD_IS_PERSONA (self), FALSE);

  if (phone == NULL || *phone == '\0')
    return FALSE;
  for (guint i = 0; i < self->phones->len; i++)
    {
      const char *have = g_ptr_array_index (self->phones, i);

      if (!pd_phone_same_number (have, phone))
        continue;
      if (strchr (have, ';') != NULL || strchr (phone, ';') == NULL)
        return FALSE;
      g_free (self->phones->pdata[i]);
      self->phones->pdata[i] = g_strdup (phone);
      if (i == 0)
        _pd_persona_notify_display_name (self);
      _pd_persona_emit_changed (self, PD_FIELD_PHONE);
      return TRUE;
    }
  if (!add_unique (self->phones, phone))
    return FALSE;
  if (self->phones->len == 1)
    _pd_persona_notify_display_name (self);
  _pd_persona_emit_changed (self, PD_FIELD_PHONE);
  return TRUE;
}

/* Tags compare without case: "VIP" and "vip" are one tag. */
gboolean
pd_persona_add_tag (PdPersona  *self,
                    const char *tag)
{
  g_return_val_if_fail (PD_IS_PERSONA (self), FALSE);

  if (tag == NULL || *tag == '\0')
    return FALSE;
  for (guint i = 0; i < self->tags->len; i++)
    {
      g_autofree char *a = g_utf8_casefold (g_ptr_array_index (self->tags, i), -1);
      g_autofree char *b = g_utf8_casefold (tag, -1);

      if (g_str_equal (a, b))
        return FALSE;
    }
  g_ptr_array_add (self->tags, g_strdup (tag));
  _pd_persona_emit_changed (self, PD_FIELD_TAGS);
  return TRUE;
}

static gboolean
remove_value (GPtrArray  *array,
              const char *value,
              gboolean    fold)
{
  g_autofree char *folded = fold ? g_utf8_casefold (value, -1) : NULL;

  for (guint i = 0; i < array->len; i++)
    {
      g_autofree char *have = fold ? g_utf8_casefold (g_ptr_array_index (array, i), -1) : NULL;

      if (fold ? g_str_equal (have, folded) : g_str_equal (g_ptr_array_index (array, i), value))
        {
          g_ptr_array_remove_index (array, i);
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
pd_persona_remove_email (PdPersona  *self,
                         const char *email)
{
  g_return_val_if_fail (PD_IS_PERSONA (self), FALSE);
  g_return_val_if_fail (email != NULL, FALSE);

  if (!remove_value (self->emails, email, FALSE))
    return FALSE;
  _pd_persona_notify_display_name (self);
  _pd_persona_emit_changed (self, PD_FIELD_EMAIL);
  return TRUE;
}

gboolean
pd_persona_remove_phone (PdPersona  *self,
                         const char *phone)
{
  g_return_val_if_fail (PD_IS_PERSONA (self), FALSE);
  g_return_val_if_fail (phone != NULL, FALSE);

  if (!remove_value (self->phones, phone, FALSE))
    return FALSE;
  _pd_persona_notify_display_name (self);
  _pd_persona_emit_changed (self, PD_FIELD_PHONE);
  return TRUE;
}

gboolean
pd_persona_remove_tag (PdPersona  *self,
                       const char *tag)
{
  g_return_val_if_fail (PD_IS_PERSONA (self), FALSE);
  g_return_val_if_fail (tag != NULL, FALSE);

  if (!remove_value (self->tags, tag, TRUE))
    return FALSE;
  _pd_persona_emit_changed (self, PD_FIELD_TAGS);
  return TRUE;
}

/**
 * pd_persona_get_attributes:
 *
 * Returns: (transfer none) (element-type utf8 utf8): custom attributes
 */
GHashTable *
pd_persona_get_attributes (PdPersona *self)
{
  g_return_val_if_fail (PD_IS_PERSONA (self), NULL);
  return self->attributes;
}

/* A NULL or empty value removes the attribute. */
void
pd_persona_set_attribute (PdPersona  *self,
                          const char *name,
                          const char *value)
{
  const char *old;

  g_return_if_fail (PD_IS_PERSONA (self));
  g_return_if_fail (name != NULL && *name != '\0');

  old = g_hash_table_lookup (self->attributes, name);
  if (value == NULL || *value == '\0')
    {
      if (!g_hash_table_remove (self->attributes, name))
        return;
    }
  else
    {
      if (g_strcmp0 (old, value) == 0)
        return;
      g_hash_table_insert (self->attributes, g_strdup (name), g_strdup (value));
    }
  _pd_persona_emit_changed (self, PD_FIELD_ATTRIBUTE);
}
