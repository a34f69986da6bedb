/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdPersona: one customer as the store keeps it, as a value object with
 * change notification so that the app can bind widgets to it. */
#include "config.h"


#include "pd-persona-private.h"


G_DEFINE_FINAL_TYPE (PdPersona, pd_persona, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_POINTS,
  PROP_LOYALTY,
  PROP_EMAIL_OPT_IN,
  PROP_SMS_CONSENT,
  PROP_SMS_OPT_OUT,
  PROP_ARCHIVED,
  PROP_BLOCKLISTED,
  PROP_SIGNUP_SOURCE,
  PROP_DISPLAY_NAME,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

void
_pd_persona_emit_changed (PdPersona *self,
                          PdFieldId  field)
{
  g_signal_emit (self, signals[CHANGED], 0, (int) field);
}

void
_pd_persona_notify_display_name (PdPersona *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISPLAY_NAME]);
}

static void
pd_persona_finalize (GObject *object)
{
  PdPersona *self = PD_PERSONA (object);

  for (guint i = 0; i < PD_FIELD_N_BUILTIN; i++)
    {
      g_free (self->values[i]);
      g_free (self->pins[i]);
    }
  g_ptr_array_unref (self->emails);
  g_ptr_array_unref (self->phones);
  g_ptr_array_unref (self->tags);
  g_hash_table_unref (self->attributes);
  g_free (self->signup_source);

  G_OBJECT_CLASS (pd_persona_parent_class)->finalize (object);
}

static void
pd_persona_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  PdPersona *self = PD_PERSONA (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_POINTS:
      g_value_set_int64 (value, self->points);
      break;
    case PROP_LOYALTY:
      g_value_set_boolean (value, self->loyalty);
      break;
    case PROP_EMAIL_OPT_IN:
      g_value_set_boolean (value, self->email_opt_in);
      break;
    case PROP_SMS_CONSENT:
      g_value_set_int (value, self->sms_consent);
      break;
    case PROP_SMS_OPT_OUT:
      g_value_set_boolean (value, self->sms_opt_out);
      break;
    case PROP_ARCHIVED:
      g_value_set_boolean (value, self->archived);
      break;
    case PROP_BLOCKLISTED:
      g_value_set_boolean (value, self->blocklisted);
      break;
    case PROP_SIGNUP_SOURCE:
      g_value_set_string (value, self->signup_source);
      break;
    case PROP_DISPLAY_NAME:
      g_value_take_string (value, pd_persona_dup_display_name (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_persona_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  PdPersona *self = PD_PERSONA (object);

  switch (prop_id)
    {
    case PROP_ID:
      pd_persona_set_id (self, g_value_get_int64 (value));
      break;
    case PROP_POINTS:
      pd_persona_set_points (self, g_value_get_int64 (value));
      break;
    case PROP_LOYALTY:
      pd_persona_set_loyalty (self, g_value_get_boolean (value));
      break;
    case PROP_EMAIL_OPT_IN:
      pd_persona_set_email_opt_in (self, g_value_get_boolean (value));
      break;
    case PROP_SMS_CONSENT:
      pd_persona_set_sms_consent (self, g_value_get_int (value));
      break;
    case PROP_SMS_OPT_OUT:
      pd_persona_set_sms_opt_out (self, g_value_get_boolean (value));
      break;
    case PROP_ARCHIVED:
      pd_persona_set_archived (self, g_value_get_boolean (value));
      break;
    case PROP_BLOCKLISTED:
      pd_persona_set_blocklisted (self, g_value_get_boolean (value));
      break;
    case PROP_SIGNUP_SOURCE:
      pd_persona_set_signup_source (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_persona_class_init (PdPersonaClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pd_persona_finalize;
  object_class->get_property = pd_persona_get_property;
  object_class->set_property = pd_persona_set_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_POINTS] =
    g_param_spec_int64 ("points", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOYALTY] =
    g_param_spec_boolean ("loyalty", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EMAIL_OPT_IN] =
    g_param_spec_boolean ("email-opt-in", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SMS_CONSENT] =
    g_param_spec_int ("sms-consent", NULL, NULL,
                      PD_SMS_CONSENT_NONE, PD_SMS_CONSENT_OPTED_IN, PD_SMS_CONSENT_NONE,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SMS_OPT_OUT] =
    g_param_spec_boolean ("sms-opt-out", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ARCHIVED] =
    g_param_spec_boolean ("archived", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BLOCKLISTED] =
    g_param_spec_boolean ("blocklisted", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SIGNUP_SOURCE] =
    g_param_spec_string ("signup-source", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PdPersona::changed:
   * @field: the PdFieldId that changed, or PD_FIELD_NONE for state that is
   *   not a field (id, archived, blocklisted, signup source, attributes)
   *
   * Emitted after any change, so that a view can refresh what it shows.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
}

static void
pd_persona_init (PdPersona *self)
{
  self->emails = g_ptr_array_new_with_free_func (g_free);
  self->phones = g_ptr_array_new_with_free_func (g_free);
  self->tags = g_ptr_array_new_with_free_func (g_free);
  self->attributes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->values[PD_FIELD_POINTS] = g_strdup ("0");
  self->values[PD_FIELD_LOYALTY] = g_strdup ("false");
  self->values[PD_FIELD_EMAIL_OPT_IN] = g_strdup ("false");
  self->values[PD_FIELD_SMS_OPT_IN] = g_strdup ("false");
  self->values[PD_FIELD_SMS_OPT_OUT] = g_strdup ("false");
}

PdPersona *
pd_persona_new (void)
{
  return g_object_new (PD_TYPE_PERSONA, NULL);
}

static void
copy_strv (GPtrArray *to,
           GPtrArray *from)
{
  for (guint i = 0; i < from->len; i++)
    g_ptr_array_add (to, g_strdup (g_ptr_array_index (from, i)));
}

/**
 * pd_persona_copy:
 *
 * Returns: (transfer full): a deep copy, with the same id
 */
PdPersona *
pd_persona_copy (PdPersona *self)
{
  PdPersona *copy;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (PD_IS_PERSONA (self), NULL);

  copy = pd_persona_new ();
  copy->id = self->id;
  for (guint i = 0; i < PD_FIELD_N_BUILTIN; i++)
    {
      g_free (copy->values[i]);
      copy->values[i] = g_strdup (self->values[i]);
      copy->sources[i] = self->sources[i];
      copy->pins[i] = g_strdup (self->pins[i]);
    }
  copy_strv (copy->emails, self->emails);
  copy_strv (copy->phones, self->phones);
  copy_strv (copy->tags, self->tags);
  g_hash_table_iter_init (&iter, self->attributes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy->attributes, g_strdup (key), g_strdup (value));
  copy->points = self->points;
  copy->sms_consent = self->sms_consent;
  copy->loyalty = self->loyalty;
  copy->email_opt_in = self->email_opt_in;
  copy->sms_opt_out = self->sms_opt_out;
  copy->archived = self->archived;
  copy->blocklisted = self->blocklisted;
  copy->signup_source = g_strdup (self->signup_source);

  return copy;
}

gint64
pd_persona_get_id (PdPersona *self)
{
  g_return_val_if_fail (PD_IS_PERSONA (self), 0);
  return self->id;
}

void
pd_persona_set_id (PdPersona *self,
                   gint64     id)
{
  g_return_if_fail (PD_IS_PERSONA (self));

  if (self->id == id)
    return;
  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
  _pd_persona_emit_changed (self, PD_FIELD_NONE);
}

static gboolean
is_single_value_field (PdFieldId field)
{
  return field >= 0 && field < PD_FIELD_N_BUILTIN &&
         field != PD_FIELD_EMAIL && field != PD_FIELD_PHONE && field != PD_FIELD_TAGS;
}

/**
 * pd_persona_get_value:
 *
 * Returns: (nullable): the normalized text of a single-value field; the
 *   typed fields read as "true"/"false" and decimal integers
 */
const char *
pd_persona_get_value (PdPersona *self,
                      PdFieldId  field)
{
  g_return_val_if_fail (PD_IS_PERSONA (self), NULL);
  g_return_val_if_fail (is_single_value_field (field), NULL);

  return self->values[field];
}

/* Stores the text of a field without touching the typed members. */
static gboolean
replace_text (PdPersona  *self,
              PdFieldId   field,
              const char *value)
{
  if (g_strcmp0 (self->values[field], value) == 0)
    return FALSE;
  g_free (self->values[field]);
  self->values[field] = g_strdup (value);
  return TRUE;
}

static gboolean
text_is_true (const char *value)
{
  return value != NULL && (g_ascii_strcasecmp (value, "true") == 0 || g_str_equal (value, "1"));
}

void
pd_persona_set_value (PdPersona  *self,
                      PdFieldId   field,
                      const char *value)
{
  g_return_if_fail (PD_IS_PERSONA (self));
  g_return_if_fail (is_single_value_field (field));

  if (value != NULL && *value == '\0')
    value = NULL;

  switch ((int) field)
    {
    case PD_FIELD_POINTS:
      pd_persona_set_points (self, value ? g_ascii_strtoll (value, NULL, 10) : 0);
      return;
    case PD_FIELD_LOYALTY:
      pd_persona_set_loyalty (self, text_is_true (value));
      return;
    case PD_FIELD_EMAIL_OPT_IN:
      pd_persona_set_email_opt_in (self, text_is_true (value));
      return;
    case PD_FIELD_SMS_OPT_IN:
      if (text_is_true (value))
        pd_persona_set_sms_consent (self, PD_SMS_CONSENT_OPTED_IN);
      else if (value != NULL && g_str_equal (value, "pending"))
        pd_persona_set_sms_consent (self, PD_SMS_CONSENT_PENDING);
      else
        pd_persona_set_sms_consent (self, PD_SMS_CONSENT_NONE);
      return;
    case PD_FIELD_SMS_OPT_OUT:
      pd_persona_set_sms_opt_out (self, text_is_true (value));
      return;
    default:
      break;
    }

  if (!replace_text (self, field, value))
    return;
  if (field == PD_FIELD_FIRST_NAME || field == PD_FIELD_LAST_NAME)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISPLAY_NAME]);
  _pd_persona_emit_changed (self, field);
}

PdSource
pd_persona_get_value_source (PdPersona *self,
                             PdFieldId  field)
{
  g_return_val_if_fail (PD_IS_PERSONA (self), PD_SOURCE_NONE);
  g_return_val_if_fail (field >= 0 && field < PD_FIELD_N_BUILTIN, PD_SOURCE_NONE);

  return self->sources[field];
}

void
pd_persona_set_value_source (PdPersona *self,
                             PdFieldId  field,
                             PdSource   source)
{
  g_return_if_fail (PD_IS_PERSONA (self));
  g_return_if_fail (field >= 0 && field < PD_FIELD_N_BUILTIN);

  if (self->sources[field] == source)
    return;
  self->sources[field] = source;
  _pd_persona_emit_changed (self, field);
}

gint64
pd_persona_get_points (PdPersona *self)
{
  g_return_val_if_fail (PD_IS_PERSONA (self), 0);
  return self->points;
}

void
pd_persona_set_points (PdPersona *self,
                       gint64     points)
{
  char buf[32];

  g_return_if_fail (PD_IS_PERSONA (self));

  if (self->points == points)
    return;
  self->points = points;
  g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, points);
  replace_text (self, PD_FIELD_POINTS, buf);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POINTS]);
  _pd_persona_emit_changed (self, PD_FIELD_POINTS);
}

#define DEFINE_BOOLEAN(name, member, field, prop)                       \
  gboolean                                                              \
  pd_persona_get_##name (PdPersona *self)                               \
  {                                                                     \
    g_return_val_if_fail (PD_IS_PERSONA (self), FALSE);                 \
    return self->member;                                                \
  }                                                                     \
  void                                                                  \
  pd_persona_set_##name (PdPersona *self,                               \
                         gboolean   value)                              \
  {                                                                     \
    g_return_if_fail (PD_IS_PERSONA (self));                            \
    value = !!value;                                                    \
    if (self->member == (guint) value)                                  \
      return;                                                           \
    self->member = value;                                               \
    if ((int) (field) != PD_FIELD_NONE)                                 \
      replace_text (self, (field), value ? "true" : "false");           \
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);       \
    _pd_persona_emit_changed (self, (field));                                       \
  }

DEFINE_BOOLEAN (loyalty, loyalty, PD_FIELD_LOYALTY, PROP_LOYALTY)
DEFINE_BOOLEAN (email_opt_in, email_opt_in, PD_FIELD_EMAIL_OPT_IN, PROP_EMAIL_OPT_IN)
DEFINE_BOOLEAN (sms_opt_out, sms_opt_out, PD_FIELD_SMS_OPT_OUT, PROP_SMS_OPT_OUT)
DEFINE_BOOLEAN (archived, archived, PD_FIELD_NONE, PROP_ARCHIVED)
DEFINE_BOOLEAN (blocklisted, blocklisted, PD_FIELD_NONE, PROP_BLOCKLISTED)

PdSmsConsent
pd_persona_get_sms_consent (PdPersona *self)
{
  g_return_val_if_fail (PD_IS_PERSONA (self), PD_SMS_CONSENT_NONE);
  return self->sms_consent;
}

void
pd_persona_set_sms_consent (PdPersona    *self,
                            PdSmsConsent  consent)
{
  g_return_if_fail (PD_IS_PERSONA (self));

  if (self->sms_consent == consent)
    return;
  self->sms_consent = consent;
  /* "pending" is not an opt-in: the text reads "false" until the YES. */
  replace_text (self, PD_FIELD_SMS_OPT_IN, consent == PD_SMS_CONSENT_OPTED_IN ? "true" : "false");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SMS_CONSENT]);
  _pd_persona_emit_changed (self, PD_FIELD_SMS_OPT_IN);
}

const char *
pd_persona_get_signup_source (PdPersona *self)
{
  g_return_val_if_fail (PD_IS_PERSONA (self), NULL);
  return self->signup_source;
}

void
pd_persona_set_signup_source (PdPersona  *self,
                              const char *source)
{
  g_return_if_fail (PD_IS_PERSONA (self));

  if (source != NULL && *source == '\0')
    source = NULL;
  if (g_strcmp0 (self->signup_source, source) == 0)
    return;
  g_free (self->signup_source);
  self->signup_source = g_strdup (source);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNUP_SOURCE]);
  _pd_persona_emit_changed (self, PD_FIELD_NONE);
}

/**
 * pd_persona_dup_display_name:
 *
 * Returns: (transfer full): "First Last", else the first email, else the
 *   first phone, else ""
 */
char *
pd_persona_dup_display_name (PdPersona *self)
{
  const char *first, *last;

  g_return_val_if_fail (PD_IS_PERSONA (self), NULL);

  first = self->values[PD_FIELD_FIRST_NAME];
  last = self->values[PD_FIELD_LAST_NAME];
  if (first != NULL && last != NULL)
    return g_strdup_printf ("%s %s", first, last);
  if (first != NULL || last != NULL)
    return g_strdup (first != NULL ? first : last);
  if (self->emails->len > 0)
    return g_strdup (g_ptr_array_index (self->emails, 0));
  if (self->phones->len > 0)
    return g_strdup (g_ptr_array_index (self->phones, 0));
  return g_strdup ("");
}

const char *
pd_persona_get_primary_email (PdPersona *self)
{
  g_return_val_if_fail (PD_IS_PERSONA (self), NULL);
  return self->emails->len > 0 ? g_ptr_array_index (self->emails, 0) : NULL;
}

const char *
pd_persona_get_primary_phone (PdPersona *self)
{
  g_return_val_if_fail (PD_IS_PERSONA (self), NULL);
  return self->phones->len > 0 ? g_ptr_array_index (self->phones, 0) : NULL;
}

/**
 * pd_persona_get_override:
 *
 * Returns: (nullable): the value @field is pinned to, or NULL
 */
const char *
pd_persona_get_override (PdPersona *self,
                         PdFieldId  field)
{
  g_return_val_if_fail (PD_IS_PERSONA (self), NULL);
  g_return_val_if_fail (field >= 0 && field < PD_FIELD_N_BUILTIN, NULL);

  return self->pins[field];
}

/* Pins @field to @value (and sets it), or unpins it when @value is NULL
 * (the value stays).  Which fields may be pinned is the store's and the
 * merge rules' business (pd_field_can_override()). */
void
pd_persona_set_override (PdPersona  *self,
                         PdFieldId   field,
                         const char *value)
{
  g_return_if_fail (PD_IS_PERSONA (self));
  g_return_if_fail (field >= 0 && field < PD_FIELD_N_BUILTIN);

  if (g_strcmp0 (self->pins[field], value) == 0)
    return;
  g_free (self->pins[field]);
  self->pins[field] = g_strdup (value);
  if (value != NULL)
    pd_persona_set_value (self, field, value);
  _pd_persona_emit_changed (self, field);
}
