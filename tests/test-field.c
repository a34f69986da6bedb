/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pd-field.h"
#include "pd-mapping.h"

static void
test_field_table (void)
{
  g_assert_cmpuint (pd_field_get_count (), ==, PD_FIELD_N_BUILTIN);

  for (PdFieldId id = 0; id < PD_FIELD_N_BUILTIN; id++)
    {
      const PdFieldInfo *info = pd_field_get_info (id);
      g_autofree char *upper = NULL;

      g_assert_nonnull (info);
      /* The table is indexed by id. */
      g_assert_cmpint (info->id, ==, id);
      g_assert_true (pd_field_lookup (info->key) == info);
      g_assert_nonnull (info->label);
      g_assert_nonnull (info->example);
      g_assert_nonnull (info->synonyms);
      g_assert_cmpstr (pd_field_type_to_string (info->type), !=, "unknown");
      g_assert_true ((info->type == PD_FIELD_TYPE_CHOICE) == (info->choices != NULL));
      /* Keys are lower-case identifiers. */
      for (const char *p = info->key; *p; p++)
        g_assert_true (g_ascii_islower (*p) || *p == '_');
    }

  g_assert_null (pd_field_get_info (PD_FIELD_NONE));
  g_assert_null (pd_field_get_info (PD_FIELD_ATTRIBUTE));
  g_assert_null (pd_field_lookup ("Email"));
  g_assert_null (pd_field_lookup ("nope"));
}

static void
test_field_keys (void)
{
  /* The keys are the enum names lower-cased. */
  static const struct { PdFieldId id; const char *key; } keys[] = {
    { PD_FIELD_FIRST_NAME, "first_name" }, { PD_FIELD_LAST_NAME, "last_name" },
    { PD_FIELD_EMAIL, "email" }, { PD_FIELD_PHONE, "phone" },
    { PD_FIELD_EXTERNAL_ID, "external_id" }, { PD_FIELD_CITY, "city" },
    { PD_FIELD_BIRTH_DATE, "birth_date" }, { PD_FIELD_POINTS, "points" },
    { PD_FIELD_LOYALTY, "loyalty" }, { PD_FIELD_EMAIL_OPT_IN, "email_opt_in" },
    { PD_FIELD_SMS_OPT_IN, "sms_opt_in" }, { PD_FIELD_SMS_OPT_OUT, "sms_opt_out" },
    { PD_FIELD_CUSTOMER_TYPE, "customer_type" }, { PD_FIELD_PERSON_TYPE, "person_type" },
    { PD_FIELD_SIGNUP_DATE, "signup_date" },
    { PD_FIELD_SIGNUP_OVERRIDE_DATE, "signup_override_date" },
    { PD_FIELD_FAVORITE_STORE, "favorite_store" },
    { PD_FIELD_FAVORITE_STORE_OVERRIDE, "favorite_store_override" },
    { PD_FIELD_TAGS, "tags" }, { PD_FIELD_FACEBOOK, "facebook" },
    { PD_FIELD_WHATSAPP, "whatsapp" }, { PD_FIELD_INSTAGRAM, "instagram" },
    { PD_FIELD_TELEGRAM, "telegram" }, { PD_FIELD_VIBER, "viber" },
    { PD_FIELD_LINKEDIN, "linkedin" }, { PD_FIELD_TWITTER, "twitter" },
    { PD_FIELD_YOUTUBE, "youtube" }, { PD_FIELD_WEB, "web" },
    { PD_FIELD_FULL_NAME, "full_name" },
  };

  g_assert_cmpuint (G_N_ELEMENTS (keys), ==, PD_FIELD_N_BUILTIN);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_assert_cmpstr (pd_field_get_info (keys[i].id)->key, ==, keys[i].key);
}

static void
test_field_kinds (void)
{
  const PdFieldInfo *info;

  for (PdFieldId id = 0; id < PD_FIELD_N_BUILTIN; id++)
    {
      gboolean multi = id == PD_FIELD_EMAIL || id == PD_FIELD_PHONE || id == PD_FIELD_TAGS;
      gboolean identifier = id == PD_FIELD_EMAIL || id == PD_FIELD_PHONE ||
                            id == PD_FIELD_EXTERNAL_ID ||
                            (id >= PD_FIELD_FACEBOOK && id <= PD_FIELD_WEB);

      info = pd_field_get_info (id);
      g_assert_cmpint (info->multi, ==, multi);
      g_assert_cmpint (info->identifier, ==, identifier);
      if (id == PD_FIELD_SIGNUP_OVERRIDE_DATE)
        g_assert_cmpint (info->overrides, ==, PD_FIELD_SIGNUP_DATE);
      else if (id == PD_FIELD_FAVORITE_STORE_OVERRIDE)
        g_assert_cmpint (info->overrides, ==, PD_FIELD_FAVORITE_STORE);
      else
        g_assert_cmpint (info->overrides, ==, PD_FIELD_NONE);
    }

  g_assert_cmpint (pd_field_get_info (PD_FIELD_EMAIL)->type, ==, PD_FIELD_TYPE_EMAIL);
  g_assert_cmpint (pd_field_get_info (PD_FIELD_PHONE)->type, ==, PD_FIELD_TYPE_PHONE);
  g_assert_cmpint (pd_field_get_info (PD_FIELD_POINTS)->type, ==, PD_FIELD_TYPE_INTEGER);
  g_assert_cmpint (pd_field_get_info (PD_FIELD_BIRTH_DATE)->type, ==, PD_FIELD_TYPE_DATE);
  g_assert_cmpint (pd_field_get_info (PD_FIELD_SMS_OPT_OUT)->type, ==, PD_FIELD_TYPE_BOOLEAN);
  g_assert_cmpint (pd_field_get_info (PD_FIELD_EXTERNAL_ID)->type, ==, PD_FIELD_TYPE_IDENTIFIER);
  g_assert_cmpint (pd_field_get_info (PD_FIELD_TAGS)->type, ==, PD_FIELD_TYPE_TAGS);

  info = pd_field_get_info (PD_FIELD_CUSTOMER_TYPE);
  g_assert_cmpstr (info->choices[0], ==, "medical");
  g_assert_cmpstr (info->choices[1], ==, "recreational");
  g_assert_null (info->choices[2]);
  info = pd_field_get_info (PD_FIELD_PERSON_TYPE);
  g_assert_cmpstr (info->choices[0], ==, "lead");
  g_assert_cmpstr (info->choices[1], ==, "customer");
  g_assert_null (info->choices[2]);
}

/* No folded key, label or synonym may point at two fields: the auto-mapper
 * would pick one silently. */
static void
test_field_names_unique (void)
{
  g_autoptr(GHashTable) owner = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (PdFieldId id = 0; id < PD_FIELD_N_BUILTIN; id++)
    {
      const PdFieldInfo *info = pd_field_get_info (id);
      g_autoptr(GPtrArray) names = g_ptr_array_new ();

      g_ptr_array_add (names, (gpointer) info->key);
      g_ptr_array_add (names, (gpointer) info->label);
      for (guint i = 0; info->synonyms[i] != NULL; i++)
        g_ptr_array_add (names, (gpointer) info->synonyms[i]);

      for (guint i = 0; i < names->len; i++)
        {
          char *folded = pd_mapping_fold_header (names->pdata[i]);
          gpointer other;

          g_assert_cmpstr (folded, !=, "");
          if (g_hash_table_lookup_extended (owner, folded, NULL, &other))
            {
              if (GPOINTER_TO_INT (other) != id + 1)
                g_error ("“%s” of %s also names %s", (char *) names->pdata[i], info->key,
                         pd_field_get_info (GPOINTER_TO_INT (other) - 1)->key);
              g_free (folded);
            }
          else
            g_hash_table_insert (owner, folded, GINT_TO_POINTER (id + 1));

          /* Every name of a field maps back to it. */
          g_assert_cmpint (pd_mapping_guess_field (names->pdata[i], NULL), ==, id);
        }
    }
}

static void
test_field_attribute_key (void)
{
  g_assert_true (pd_field_is_attribute_key ("attribute:veteran"));
  g_assert_true (pd_field_is_attribute_key ("attribute:Shoe size"));
  g_assert_false (pd_field_is_attribute_key ("attribute:"));
  g_assert_false (pd_field_is_attribute_key ("attribute:  "));
  g_assert_false (pd_field_is_attribute_key ("veteran"));
  g_assert_false (pd_field_is_attribute_key (NULL));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/field/table", test_field_table);
  g_test_add_func ("/field/keys", test_field_keys);
  g_test_add_func ("/field/kinds", test_field_kinds);
  g_test_add_func ("/field/names-unique", test_field_names_unique);
  g_test_add_func ("/field/attribute-key", test_field_attribute_key);
  return g_test_run ();
}
