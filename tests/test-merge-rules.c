/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The merge rules on their own: personas and records built here. */
#include "config.h"

#include "pd-error.h"
#include "pd-merge-rules.h"

static PdPersona *
existing (void)
{
  PdPersona *p = pd_persona_new ();

  pd_persona_set_id (p, 7);
  pd_persona_set_value (p, PD_FIELD_FIRST_NAME, "Ann");
  pd_persona_set_value (p, PD_FIELD_CITY, "Austin");
  pd_persona_set_value (p, PD_FIELD_SIGNUP_DATE, "2020-01-01");
  pd_persona_add_email (p, "ann@example.com");
  pd_persona_add_phone (p, "+12025550143");
  pd_persona_add_tag (p, "old");
  pd_persona_set_attribute (p, "veteran", "no");
  pd_persona_set_points (p, 100);
  pd_persona_set_value (p, PD_FIELD_PERSON_TYPE, "lead");
  return p;
}

static PdRecord *
row (void)
{
  PdRecord *r = pd_record_new (2);

  pd_record_set_value (r, PD_FIELD_FIRST_NAME, "Annie");
  pd_record_set_value (r, PD_FIELD_LAST_NAME, "Lee");
  pd_record_set_value (r, PD_FIELD_CITY, "Boston");
  pd_record_add_email (r, "ann@example.com");
  pd_record_add_email (r, "ann2@example.com");
  pd_record_add_phone (r, "+13125550000");
  pd_record_add_tag (r, "new");
  pd_record_set_attribute (r, "veteran", "yes");
  pd_record_set_attribute (r, "shoe", "42");
  return r;
}

static PdPersona *
apply (PdMatchAction action,
       PdPersona    *p,
       PdRecord     *r,
       gboolean      is_new,
       gint64       *delta,
       GPtrArray    *warnings)
{
  PdMergeOptions options = { .action = action, .signup_source = "file.csv" };
  g_autoptr(GError) error = NULL;
  gint64 d;
  g_autoptr(GPtrArray) w = g_ptr_array_new_with_free_func (g_free);

  g_assert_true (pd_merge_apply (p, r, is_new, &options, delta ? delta : &d, warnings ? warnings : w, &error));
  g_assert_no_error (error);
  return p;
}

static void
test_actions (void)
{
  g_autoptr(PdRecord) r = row ();

  {
    g_autoptr(PdPersona) p = apply (PD_MATCH_ACTION_UPDATE, existing (), r, FALSE, NULL, NULL);
    g_assert_cmpstr (pd_persona_get_value (p, PD_FIELD_FIRST_NAME), ==, "Ann");
    g_assert_cmpstr (pd_persona_get_value (p, PD_FIELD_LAST_NAME), ==, "Lee");   /* was empty */
    g_assert_cmpstr (pd_persona_get_value (p, PD_FIELD_CITY), ==, "Austin");
    g_assert_cmpuint (pd_persona_get_emails (p)->len, ==, 1);                 /* not empty: kept */
    g_assert_cmpstr (g_hash_table_lookup (pd_persona_get_attributes (p), "veteran"), ==, "no");
    g_assert_cmpstr (g_hash_table_lookup (pd_persona_get_attributes (p), "shoe"), ==, "42");
  }
  {
    g_autoptr(PdPersona) p = apply (PD_MATCH_ACTION_APPEND, existing (), r, FALSE, NULL, NULL);
    g_assert_cmpstr (pd_persona_get_value (p, PD_FIELD_FIRST_NAME), ==, "Annie");
    g_assert_cmpstr (pd_persona_get_value (p, PD_FIELD_CITY), ==, "Boston");
    g_assert_cmpuint (pd_persona_get_emails (p)->len, ==, 2);
    g_assert_cmpuint (pd_persona_get_phones (p)->len, ==, 2);
    g_assert_cmpuint (pd_persona_get_tags (p)->len, ==, 2);
    g_assert_cmpstr (g_hash_table_lookup (pd_persona_get_attributes (p), "veteran"), ==, "yes");
  }
  {
    g_autoptr(PdPersona) p = apply (PD_MATCH_ACTION_REPLACE, existing (), r, FALSE, NULL, NULL);
    g_assert_cmpstr (pd_persona_get_value (p, PD_FIELD_FIRST_NAME), ==, "Annie");
    g_assert_cmpuint (pd_persona_get_phones (p)->len, ==, 1);
    g_assert_cmpstr (pd_persona_get_primary_phone (p), ==, "+13125550000");
    g_assert_cmpuint (pd_persona_get_tags (p)->len, ==, 1);
    g_assert_cmpstr (pd_persona_get_primary_email (p), ==, "ann@example.com");
    g_assert_cmpint (pd_persona_get_id (p), ==, 7);          /* identity stays */
    g_assert_cmpint (pd_persona_get_points (p), ==, 100);    /* balance stays */
  }
  {
    g_autoptr(PdPersona) p = apply (PD_MATCH_ACTION_MERGE, existing (), r, FALSE, NULL, NULL);
    g_assert_cmpstr (pd_persona_get_value (p, PD_FIELD_FIRST_NAME), ==, "Ann");  /* first wins */
    g_assert_cmpstr (pd_persona_get_value (p, PD_FIELD_LAST_NAME), ==, "Lee");
    g_assert_cmpstr (pd_persona_get_value (p, PD_FIELD_CITY), ==, "Austin");
    g_assert_cmpuint (pd_persona_get_emails (p)->len, ==, 2);                   /* multi gains */
    g_assert_cmpuint (pd_persona_get_phones (p)->len, ==, 2);
    g_assert_cmpuint (pd_persona_get_tags (p)->len, ==, 2);
    g_assert_cmpstr (g_hash_table_lookup (pd_persona_get_attributes (p), "veteran"), ==, "no");
  }
  {
    g_autoptr(PdPersona) p = apply (PD_MATCH_ACTION_MERGE, pd_persona_new (), r, TRUE, NULL, NULL);
    g_assert_cmpstr (pd_persona_get_value (p, PD_FIELD_FIRST_NAME), ==, "Annie");
    g_assert_cmpint (pd_persona_get_value_source (p, PD_FIELD_FIRST_NAME), ==, PD_SOURCE_IMPORT);
    g_assert_cmpstr (pd_persona_get_signup_source (p), ==, "file.csv");
    g_assert_cmpuint (pd_persona_get_emails (p)->len, ==, 2);
  }
}

static void
test_overrides (void)
{
  g_autoptr(PdRecord) r = pd_record_new (2);

  pd_record_set_value (r, PD_FIELD_SIGNUP_DATE, "2023-03-03");
  pd_record_set_value (r, PD_FIELD_SIGNUP_OVERRIDE_DATE, "2019-09-09");
  pd_record_set_value (r, PD_FIELD_FAVORITE_STORE_OVERRIDE, "Uptown");
  pd_record_add_email (r, "ann@example.com");
  for (PdMatchAction a = PD_MATCH_ACTION_UPDATE; a <= PD_MATCH_ACTION_MERGE; a++)
    {
      g_autoptr(PdPersona) p = existing ();

      pd_persona_set_value (p, PD_FIELD_FAVORITE_STORE, "Downtown");
      apply (a, p, r, FALSE, NULL, NULL);
      g_assert_cmpstr (pd_persona_get_value (p, PD_FIELD_SIGNUP_DATE), ==, "2019-09-09");
      g_assert_cmpstr (pd_persona_get_value (p, PD_FIELD_FAVORITE_STORE), ==, "Uptown");
    }
}

static void
test_points_and_loyalty (void)
{
  g_autoptr(PdRecord) r = pd_record_new (2);
  g_autoptr(PdRecord) r2 = pd_record_new (3);
  g_autoptr(PdPersona) p = existing ();
  gint64 delta;

  pd_record_set_value (r, PD_FIELD_POINTS, "-30");
  pd_record_set_value (r, PD_FIELD_LOYALTY, "false");
  pd_record_add_email (r, "ann@example.com");
  for (PdMatchAction a = PD_MATCH_ACTION_UPDATE; a <= PD_MATCH_ACTION_MERGE; a++)
    {
      g_autoptr(PdPersona) q = existing ();

      apply (a, q, r, FALSE, &delta, NULL);
      g_assert_cmpint (delta, ==, -30);
      g_assert_cmpint (pd_persona_get_points (q), ==, 70);   /* adds, never sets */
      g_assert_true (pd_persona_get_loyalty (q));             /* non-zero points enrol */
    }

  /* loyalty=false never removes */
  pd_persona_set_loyalty (p, TRUE);
  pd_record_set_value (r2, PD_FIELD_LOYALTY, "false");
  pd_record_add_email (r2, "ann@example.com");
  apply (PD_MATCH_ACTION_REPLACE, p, r2, FALSE, &delta, NULL);
  g_assert_true (pd_persona_get_loyalty (p));
  g_assert_cmpint (delta, ==, 0);
}

static void
test_consent (void)
{
  g_autoptr(PdRecord) in = pd_record_new (2);
  g_autoptr(PdRecord) out = pd_record_new (3);
  g_autoptr(PdRecord) both = pd_record_new (4);
  g_autoptr(PdRecord) false_in = pd_record_new (5);
  g_autoptr(PdPersona) p = existing ();
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  PdMergeOptions all = { .action = PD_MATCH_ACTION_MERGE, .opt_in_all_sms = TRUE, .opt_in_all_email = TRUE };
  gint64 delta;

  pd_record_set_value (in, PD_FIELD_SMS_OPT_IN, "true");
  pd_record_set_value (out, PD_FIELD_SMS_OPT_OUT, "true");
  pd_record_set_value (both, PD_FIELD_SMS_OPT_IN, "true");
  pd_record_set_value (both, PD_FIELD_SMS_OPT_OUT, "true");
  pd_record_set_value (false_in, PD_FIELD_SMS_OPT_IN, "false");

  apply (PD_MATCH_ACTION_MERGE, p, in, FALSE, NULL, warnings);
  g_assert_cmpint (pd_persona_get_sms_consent (p), ==, PD_SMS_CONSENT_OPTED_IN);
  g_assert_true (pd_persona_get_loyalty (p));        /* an SMS opt-in enrols */
  apply (PD_MATCH_ACTION_MERGE, p, false_in, FALSE, NULL, warnings);
  g_assert_cmpint (pd_persona_get_sms_consent (p), ==, PD_SMS_CONSENT_OPTED_IN);  /* FALSE changes nothing */
  apply (PD_MATCH_ACTION_UPDATE, p, out, FALSE, NULL, warnings);
  g_assert_cmpint (pd_persona_get_sms_consent (p), ==, PD_SMS_CONSENT_NONE);
  g_assert_true (pd_persona_get_sms_opt_out (p));
  g_assert_cmpuint (warnings->len, ==, 0);

  /* an opted-out number is never opted in again, by a file or by opt-in-all */
  apply (PD_MATCH_ACTION_APPEND, p, in, FALSE, NULL, warnings);
  g_assert_cmpint (pd_persona_get_sms_consent (p), ==, PD_SMS_CONSENT_NONE);
  g_assert_cmpuint (warnings->len, ==, 1);
  g_assert_true (pd_merge_apply (p, false_in, FALSE, &all, &delta, warnings, NULL));
  g_assert_cmpint (pd_persona_get_sms_consent (p), ==, PD_SMS_CONSENT_NONE);
  g_assert_true (pd_persona_get_email_opt_in (p));
  g_assert_cmpuint (warnings->len, ==, 2);

  /* both columns TRUE is an opt-out */
  {
    g_autoptr(PdPersona) q = apply (PD_MATCH_ACTION_MERGE, pd_persona_new (), both, TRUE, NULL, NULL);
    g_assert_true (pd_persona_get_sms_opt_out (q));
    g_assert_cmpint (pd_persona_get_sms_consent (q), ==, PD_SMS_CONSENT_NONE);
  }
  /* opt-in-all on a new persona */
  {
    g_autoptr(PdPersona) q = pd_persona_new ();
    g_assert_true (pd_merge_apply (q, false_in, TRUE, &all, &delta, warnings, NULL));
    g_assert_cmpint (pd_persona_get_sms_consent (q), ==, PD_SMS_CONSENT_OPTED_IN);
  }
}

static void
test_person_type (void)
{
  g_autoptr(PdRecord) r = pd_record_new (2);
  PdMergeOptions lead = { .action = PD_MATCH_ACTION_REPLACE, .person_type = "lead" };
  PdMergeOptions customer = { .action = PD_MATCH_ACTION_MERGE, .person_type = "customer" };
  g_autoptr(GPtrArray) w = g_ptr_array_new_with_free_func (g_free);
  gint64 d;

  pd_record_add_email (r, "ann@example.com");
  {
    g_autoptr(PdPersona) q = pd_persona_new ();
    g_assert_true (pd_merge_apply (q, r, TRUE, &lead, &d, w, NULL));
    g_assert_cmpstr (pd_persona_get_value (q, PD_FIELD_PERSON_TYPE), ==, "lead");
  }
  {
    g_autoptr(PdPersona) q = existing ();  /* a lead */
    pd_persona_set_value (q, PD_FIELD_PERSON_TYPE, "customer");
    g_assert_true (pd_merge_apply (q, r, FALSE, &lead, &d, w, NULL));
    g_assert_cmpstr (pd_persona_get_value (q, PD_FIELD_PERSON_TYPE), ==, "customer");  /* never demoted */
  }
  {
    g_autoptr(PdPersona) q = existing ();
    g_assert_true (pd_merge_apply (q, r, FALSE, &customer, &d, w, NULL));
    g_assert_cmpstr (pd_persona_get_value (q, PD_FIELD_PERSON_TYPE), ==, "customer");  /* promoted */
  }
}

static void
test_contacts_cap (void)
{
  g_autoptr(PdPersona) p = existing ();
  g_autoptr(PdRecord) r = pd_record_new (2);
  g_autoptr(PdRecord) ok = pd_record_new (3);
  g_autoptr(GPtrArray) w = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  PdMergeOptions merge = { .action = PD_MATCH_ACTION_MERGE };
  gint64 d;

  for (guint i = 0; i < 97; i++)
    {
      char email[32];

      g_snprintf (email, sizeof email, "e%u@example.com", i);
      pd_persona_add_email (p, email);   /* 98 emails + 1 phone */
    }
  pd_record_add_phone (ok, "+13125550001");          /* 100: allowed */
  g_assert_true (pd_merge_apply (p, ok, FALSE, &merge, &d, w, &error));
  g_assert_no_error (error);
  pd_record_add_email (r, "one.more@example.com");
  pd_record_add_email (r, "ann@example.com");          /* already there: not counted */
  pd_record_set_value (r, PD_FIELD_CITY, "Nowhere");
  g_assert_false (pd_merge_apply (p, r, FALSE, &merge, &d, w, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_INVALID);
  g_assert_null (pd_persona_get_value (p, PD_FIELD_LAST_NAME));
  g_assert_cmpstr (pd_persona_get_value (p, PD_FIELD_CITY), ==, "Austin");
}

/* The same number with and without an extension is one phone: the
 * extension is kept whichever comes first, in the first one's place; of
 * two extensions the first stays; the contact cap counts it once. */
static void
test_phone_extension (void)
{
  g_autoptr(PdPersona) p = existing ();          /* +12025550143 */
  g_autoptr(PdPersona) q = pd_persona_new ();
  g_autoptr(PdRecord) r = pd_record_new (2);
  g_autoptr(PdRecord) full = pd_record_new (3);
  g_autoptr(GPtrArray) w = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  PdMergeOptions merge = { .action = PD_MATCH_ACTION_MERGE };
  GPtrArray *phones;
  gint64 d;

  pd_persona_add_phone (p, "+13125550000");
  g_assert_true (pd_persona_add_phone (p, "+12025550143;ext=62"));
  g_assert_false (pd_persona_add_phone (p, "+12025550143"));
  g_assert_false (pd_persona_add_phone (p, "+12025550143;ext=99"));
  g_assert_false (pd_persona_add_phone (p, "+12025550143;ext=62"));
  phones = pd_persona_get_phones (p);
  g_assert_cmpuint (phones->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (phones, 0), ==, "+12025550143;ext=62");   /* still primary */
  g_assert_cmpstr (g_ptr_array_index (phones, 1), ==, "+13125550000");
  /* a longer number is another number */
  g_assert_true (pd_persona_add_phone (p, "+120255501431"));
  g_assert_cmpuint (phones->len, ==, 3);

  /* the same through the merge rules, extension second */
  pd_persona_add_email (q, "bo@example.com");
  pd_persona_add_phone (q, "+17862843358");
  pd_record_add_phone (r, "+17862843358;ext=5");
  apply (PD_MATCH_ACTION_MERGE, q, r, FALSE, NULL, NULL);
  phones = pd_persona_get_phones (q);
  g_assert_cmpuint (phones->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (phones, 0), ==, "+17862843358;ext=5");

  /* at the cap (99 emails + 1 phone), the same number is no new contact */
  for (guint i = 0; i < 99; i++)
    {
      char email[32];

      g_snprintf (email, sizeof email, "e%u@example.com", i);
      pd_persona_add_email (q, email);
    }
  pd_persona_remove_email (q, "bo@example.com");
  pd_record_add_phone (full, "+17862843358");
  g_assert_true (pd_merge_apply (q, full, FALSE, &merge, &d, w, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pd_persona_get_phones (q)->len, ==, 1);
}

static void
test_parse (void)
{
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (PdFieldId));
  g_autoptr(GError) error = NULL;
  PdMatchAction action;

  g_assert_true (pd_match_keys_parse ("email, phone,external_id,facebook,email", keys, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (keys->len, ==, 4);
  g_assert_cmpint (g_array_index (keys, PdFieldId, 3), ==, PD_FIELD_FACEBOOK);
  g_assert_false (pd_match_keys_parse ("city", keys, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_INVALID);
  g_assert_true (pd_match_action_from_string ("discard", &action));
  g_assert_cmpint (action, ==, PD_MATCH_ACTION_IGNORE);
  g_assert_false (pd_match_action_from_string ("smash", &action));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/merge-rules/actions", test_actions);
  g_test_add_func ("/merge-rules/overrides", test_overrides);
  g_test_add_func ("/merge-rules/points-loyalty", test_points_and_loyalty);
  g_test_add_func ("/merge-rules/consent", test_consent);
  g_test_add_func ("/merge-rules/person-type", test_person_type);
  g_test_add_func ("/merge-rules/contacts-cap", test_contacts_cap);
  g_test_add_func ("/merge-rules/phone-extension", test_phone_extension);
  g_test_add_func ("/merge-rules/parse", test_parse);

  return g_test_run ();
}
