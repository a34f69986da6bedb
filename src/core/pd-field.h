/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The catalogue of persona fields: the one source of truth for
 * auto-mapping, the "all headers" list, the sample template, validation
 * and the store's columns.  Custom attributes are not in the table: they
 * are any key of the form "attribute:NAME". */

typedef enum {
  PD_FIELD_TYPE_TEXT,
  PD_FIELD_TYPE_IDENTIFIER,  /* text kept verbatim: leading zeros stay */
  PD_FIELD_TYPE_EMAIL,
  PD_FIELD_TYPE_PHONE,
  PD_FIELD_TYPE_DATE,
  PD_FIELD_TYPE_INTEGER,
  PD_FIELD_TYPE_BOOLEAN,
  PD_FIELD_TYPE_CHOICE,      /* one of a fixed list (customer_type, person_type) */
  PD_FIELD_TYPE_TAGS,
  PD_FIELD_TYPE_FULL_NAME,   /* "Grace Hopper", "Hopper, Grace": split into first and last name */
} PdFieldType;

/* Stable ids, so that a normalized record is an array and not a hash. */
typedef enum {
  PD_FIELD_FIRST_NAME,
  PD_FIELD_LAST_NAME,
  PD_FIELD_EMAIL,
  PD_FIELD_PHONE,
  PD_FIELD_EXTERNAL_ID,
  PD_FIELD_CITY,
  PD_FIELD_BIRTH_DATE,
  PD_FIELD_POINTS,
  PD_FIELD_LOYALTY,
  PD_FIELD_EMAIL_OPT_IN,
  PD_FIELD_SMS_OPT_IN,
  PD_FIELD_SMS_OPT_OUT,
  PD_FIELD_CUSTOMER_TYPE,
  PD_FIELD_PERSON_TYPE,
  PD_FIELD_SIGNUP_DATE,
  PD_FIELD_SIGNUP_OVERRIDE_DATE,
  PD_FIELD_FAVORITE_STORE,
  PD_FIELD_FAVORITE_STORE_OVERRIDE,
  PD_FIELD_TAGS,
  PD_FIELD_FACEBOOK,
  PD_FIELD_WHATSAPP,
  PD_FIELD_INSTAGRAM,
  PD_FIELD_TELEGRAM,
  PD_FIELD_VIBER,
  PD_FIELD_LINKEDIN,
  PD_FIELD_TWITTER,
  PD_FIELD_YOUTUBE,
  PD_FIELD_WEB,
  PD_FIELD_FULL_NAME,        /* a mapping target only: never stored, see pd_value_split_full_name() */
  PD_FIELD_N_BUILTIN,
  PD_FIELD_ATTRIBUTE = PD_FIELD_N_BUILTIN, /* "attribute:NAME" */
  PD_FIELD_NONE = -1,
} PdFieldId;

typedef struct {
  PdFieldId           id;
  const char         *key;        /* "first_name"; used by the CLI, JSON and the store */
  const char         *label;      /* translatable (N_()), translate with _() when shown */
  PdFieldType         type;
  gboolean            multi;      /* several values per persona (email, phone, tags) */
  gboolean            identifier; /* can identify a persona: email, phone, external and channel IDs */
  PdFieldId           overrides;  /* an override column replaces this field; else PD_FIELD_NONE */
  const char * const *synonyms;   /* NULL-terminated, written as people write headers */
  const char * const *choices;    /* PD_FIELD_TYPE_CHOICE only, NULL-terminated */
  const char         *example;    /* the sample template's value */
} PdFieldInfo;

#define PD_ATTRIBUTE_PREFIX "attribute:"
/* A source ID ("source:pos") is kept as the attribute of that name. */
#define PD_SOURCE_ID_PREFIX "source:"

guint              pd_field_get_count        (void);
const PdFieldInfo *pd_field_get_info         (PdFieldId id);
const PdFieldInfo *pd_field_lookup           (const char *key);
gboolean           pd_field_is_attribute_key (const char *key);
const char        *pd_field_type_to_string   (PdFieldType type);

G_END_DECLS
