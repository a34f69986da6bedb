/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "pd-error.h"
#include "pd-mapping.h"
#include "pd-normalizer.h"

static void
assert_maps (const char *header,
             const char *key)
{
  const char *headers[] = { header };
  g_autoptr(PdMapping) mapping = pd_mapping_new (headers, 1);
  g_autofree char *got = pd_mapping_dup_field_key (mapping, 0);

  if (g_strcmp0 (got, key) != 0)
    g_error ("header “%s” mapped to %s, expected %s", header, got ? got : "(null)",
             key ? key : "(null)");
  if (key != NULL)
    g_assert_true (pd_mapping_is_automatic (mapping, 0));
}

static void
test_mapping_headers (void)
{
  /* Every header the issue names. */
  assert_maps ("phoneNumber", "phone");
  assert_maps ("Mobile Phone", "phone");
  assert_maps ("E-mail Address", "email");
  assert_maps ("Opt-in SMS", "sms_opt_in");
  assert_maps ("Explicit SMS Opt-out", "sms_opt_out");
  assert_maps ("Signup Override Date", "signup_override_date");
  assert_maps ("First name", "first_name");
  assert_maps ("attribute:veteran", "attribute:veteran");
  assert_maps ("Attribute: Veteran", "attribute:Veteran");
  assert_maps ("Custom: Veteran", "attribute:Veteran");
  assert_maps ("custom attribute veteran", "attribute:veteran");
  assert_maps ("Custom Attribute: Shoe Size", "attribute:Shoe Size");

  /* More spellings as files write them. */
  assert_maps ("PHONE_NUMBER", "phone");
  assert_maps ("  Mobile  ", "phone");
  assert_maps ("Cell", "phone");
  assert_maps ("Tel.", "phone");
  assert_maps ("SMS", "phone");
  assert_maps ("Email Address", "email");
  assert_maps ("e_mail", "email");
  assert_maps ("SMS Opt In", "sms_opt_in");
  assert_maps ("Text Opt-in", "sms_opt_in");
  assert_maps ("SMS Opt Out", "sms_opt_out");
  assert_maps ("Unsubscribed SMS", "sms_opt_out");
  assert_maps ("Customer ID", "external_id");
  assert_maps ("Customer Number", "external_id");
  assert_maps ("Member ID", "external_id");
  assert_maps ("ID", "external_id");
  assert_maps ("first_name", "first_name");
  assert_maps ("firstName", "first_name");
  assert_maps ("Name", "full_name");
  assert_maps ("Customer Name", "full_name");
  assert_maps ("Prénom", "first_name");
  assert_maps ("Date of Birth", "birth_date");
  assert_maps ("DOB", "birth_date");
  assert_maps ("Signup Date Override", "signup_override_date");
  assert_maps ("Favorite Store Override", "favorite_store_override");
  assert_maps ("Preferred Store", "favorite_store");
  assert_maps ("Customer Type", "customer_type");
  assert_maps ("Website", "web");
  assert_maps ("Phone 1", "phone");

  /* Not fields. */
  assert_maps ("Veteran", NULL);
  assert_maps ("Index", NULL);
  assert_maps ("Company", NULL);
  assert_maps ("", NULL);
  assert_maps ("山田", NULL);
  assert_maps ("Customer", NULL);
  assert_maps ("Attributes", NULL);
  assert_maps ("attribute:", NULL);
}

/* The headers of ../shared/bench/gen-personas.py. */
static void
test_mapping_generator (void)
{
  static const char *headers[] = {
    "First Name", "Last Name", "Email", "Phone", "City", "Points", "Opt-in SMS",
    "Explicit SMS Opt-out", "Customer Type", "Birth Date", "Veteran",
  };
  static const char *keys[] = {
    "first_name", "last_name", "email", "phone", "city", "points", "sms_opt_in",
    "sms_opt_out", "customer_type", "birth_date", NULL,
  };
  g_autoptr(PdMapping) mapping = pd_mapping_new (headers, G_N_ELEMENTS (headers));
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (headers); i++)
    {
      g_autofree char *key = pd_mapping_dup_field_key (mapping, i);

      g_assert_cmpstr (key, ==, keys[i]);
    }
  g_assert_true (pd_mapping_validate (mapping, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pd_mapping_get_column_for_field (mapping, PD_FIELD_PHONE), ==, 3);
  g_assert_cmpint (pd_mapping_get_column_for_field (mapping, PD_FIELD_WEB), ==, -1);
}

/* The datablist corpus: "Phone 1" and "Phone 2" both look like phones, and
 * a persona holds several: both are mapped to Phone (issue 17). */
static void
test_mapping_datablist (void)
{
  const char *dir = g_getenv ("PD_SHARED_DIR");
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) headers = NULL;
  g_autoptr(PdMapping) mapping = NULL;
  g_autoptr(GError) error = NULL;

  if (dir == NULL)
    {
      g_test_skip ("PD_SHARED_DIR is not set: no corpora");
      return;
    }
  path = g_build_filename (dir, "corpora", "datablist-customers", "customers-100.csv", NULL);
  if (!g_file_get_contents (path, &contents, NULL, NULL))
    {
      g_test_skip ("datablist-customers/customers-100.csv is missing");
      return;
    }
  lines = g_strsplit (contents, "\n", 2);
  g_strchomp (lines[0]);
  headers = g_strsplit (lines[0], ",", -1);
  mapping = pd_mapping_new ((const char * const *) headers, g_strv_length (headers));

  for (guint i = 0; headers[i] != NULL; i++)
    {
      g_autofree char *key = pd_mapping_dup_field_key (mapping, i);
      const char *expected = NULL;

      if (g_str_equal (headers[i], "Customer Id"))
        expected = "external_id";
      else if (g_str_equal (headers[i], "First Name"))
        expected = "first_name";
      else if (g_str_equal (headers[i], "Last Name"))
        expected = "last_name";
      else if (g_str_equal (headers[i], "City"))
        expected = "city";
      else if (g_str_equal (headers[i], "Phone 1") || g_str_equal (headers[i], "Phone 2"))
        expected = "phone";
      else if (g_str_equal (headers[i], "Email"))
        expected = "email";
      else if (g_str_equal (headers[i], "Subscription Date"))
        expected = "signup_date";
      else if (g_str_equal (headers[i], "Website"))
        expected = "web";
      g_assert_cmpstr (key, ==, expected);
    }
  g_assert_true (pd_mapping_validate (mapping, &error));
}

/* A better match wins over an earlier column for a field of one value;
 * a field of several values (phone, email) takes every column that looks
 * like it, and the normalizer keeps the values of all (issue 17). */
static void
test_mapping_priority (void)
{
  const char *headers[] = { "Mobile", "Phone", "Email 2", "Email", "First Name", "Given name" };
  const char *cells[] = { "(202) 555-0101", "202 555 0102", "a@example.com", "b@example.com", "Ada", "Augusta" };
  g_autoptr(PdMapping) mapping = pd_mapping_new (headers, 6);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdNormalizer) normalizer = NULL;
  PdRow *row;
  PdRecord *record;

  g_assert_cmpint (pd_mapping_get_field (mapping, 0), ==, PD_FIELD_PHONE);
  g_assert_cmpint (pd_mapping_get_field (mapping, 1), ==, PD_FIELD_PHONE);
  g_assert_cmpint (pd_mapping_get_field (mapping, 2), ==, PD_FIELD_EMAIL);
  g_assert_cmpint (pd_mapping_get_field (mapping, 3), ==, PD_FIELD_EMAIL);
  g_assert_cmpint (pd_mapping_get_field (mapping, 4), ==, PD_FIELD_FIRST_NAME);
  g_assert_cmpint (pd_mapping_get_field (mapping, 5), !=, PD_FIELD_FIRST_NAME);
  g_assert_true (pd_mapping_validate (mapping, &error));
  g_assert_no_error (error);

  normalizer = pd_normalizer_new (mapping, "US", &error);
  g_assert_no_error (error);
  row = pd_row_new (2, cells, G_N_ELEMENTS (cells));
  record = pd_normalizer_normalize (normalizer, row);
  g_assert_true (pd_record_is_valid (record));
  g_assert_cmpuint (record->phones->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (record->phones, 0), ==, "+12025550101");
  g_assert_cmpstr (g_ptr_array_index (record->phones, 1), ==, "+12025550102");
  g_assert_cmpuint (record->emails->len, ==, 2);
  pd_record_free (record);
  pd_row_free (row);
}

static void
test_mapping_manual (void)
{
  const char *headers[] = { "Mail", "Contact", "Veteran", "Notes" };
  g_autoptr(PdMapping) mapping = pd_mapping_new (headers, 4);
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;

  g_assert_cmpint (pd_mapping_find_column (mapping, "Contact"), ==, 1);
  g_assert_cmpint (pd_mapping_find_column (mapping, "contact"), ==, 1);
  g_assert_cmpint (pd_mapping_find_column (mapping, "Nope"), ==, -1);

  g_assert_true (pd_mapping_set_field (mapping, 1, "phone", &error));
  g_assert_no_error (error);
  g_assert_false (pd_mapping_is_automatic (mapping, 1));
  g_assert_cmpint (pd_mapping_get_column_for_field (mapping, PD_FIELD_PHONE), ==, 1);

  g_assert_true (pd_mapping_set_field (mapping, 2, "attribute:Veteran", &error));
  g_assert_cmpstr (pd_mapping_get_attribute_name (mapping, 2), ==, "Veteran");
  g_assert_cmpint (pd_mapping_get_column_for_attribute (mapping, "veteran"), ==, 2);
  key = pd_mapping_dup_field_key (mapping, 2);
  g_assert_cmpstr (key, ==, "attribute:Veteran");

  g_assert_false (pd_mapping_set_field (mapping, 3, "shoe_size", &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_MAPPING);
  g_assert_nonnull (strstr (error->message, "shoe_size"));
  g_clear_error (&error);

  /* Ignoring hides the field; un-ignoring restores it. */
  pd_mapping_set_ignored (mapping, 1, TRUE);
  g_assert_true (pd_mapping_is_ignored (mapping, 1));
  g_assert_cmpint (pd_mapping_get_field (mapping, 1), ==, PD_FIELD_NONE);
  g_assert_cmpint (pd_mapping_get_column_for_field (mapping, PD_FIELD_PHONE), ==, -1);
  pd_mapping_set_ignored (mapping, 1, FALSE);
  g_assert_cmpint (pd_mapping_get_field (mapping, 1), ==, PD_FIELD_PHONE);

  g_assert_true (pd_mapping_set_field (mapping, 1, NULL, &error));
  g_assert_cmpint (pd_mapping_get_field (mapping, 1), ==, PD_FIELD_NONE);

  pd_mapping_set_region (mapping, 1, "gb");
  g_assert_cmpstr (pd_mapping_get_region (mapping, 1), ==, "GB");
  pd_mapping_set_region (mapping, 1, NULL);
  g_assert_null (pd_mapping_get_region (mapping, 1));
}

static void
test_mapping_duplicates (void)
{
  const char *headers[] = { "Email", "Work Email", "Veteran", "Custom: veteran", "" };
  g_autoptr(PdMapping) mapping = pd_mapping_new (headers, 5);
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_mapping_validate (mapping, &error));

  /* Several columns on a field of several values: fine (issue 17). */
  g_assert_true (pd_mapping_set_field (mapping, 1, "email", &error));
  g_assert_true (pd_mapping_validate (mapping, &error));
  g_assert_no_error (error);

  /* On a field of one value: refused, naming both. */
  g_assert_true (pd_mapping_set_field (mapping, 0, "city", &error));
  g_assert_true (pd_mapping_set_field (mapping, 2, "city", &error));
  g_assert_false (pd_mapping_validate (mapping, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_MAPPING);
  g_assert_nonnull (strstr (error->message, "“Email”"));
  g_assert_nonnull (strstr (error->message, "“Veteran”"));
  g_clear_error (&error);

  pd_mapping_set_ignored (mapping, 2, TRUE);
  g_assert_true (pd_mapping_set_field (mapping, 0, "email", &error));
  g_assert_true (pd_mapping_validate (mapping, &error));
  pd_mapping_set_ignored (mapping, 2, FALSE);

  /* Custom attributes: same name, any case. */
  g_assert_true (pd_mapping_set_field (mapping, 2, "attribute:Veteran", &error));
  g_assert_false (pd_mapping_validate (mapping, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_MAPPING);
  g_assert_nonnull (strstr (error->message, "“Veteran”"));
  g_assert_nonnull (strstr (error->message, "“Custom: veteran”"));
  g_clear_error (&error);

  /* A column without a header is named by its letter. */
  g_assert_true (pd_mapping_set_field (mapping, 2, "city", &error));
  g_assert_true (pd_mapping_set_field (mapping, 4, "city", &error));
  g_assert_false (pd_mapping_validate (mapping, &error));
  g_assert_nonnull (strstr (error->message, "E"));
  g_assert_nonnull (strstr (error->message, "“Veteran”"));
}

static void
test_mapping_no_identifier (void)
{
  const char *headers[] = { "First Name", "Last Name", "City", "Points" };
  g_autoptr(PdMapping) mapping = pd_mapping_new (headers, 4);
  g_autoptr(GError) error = NULL;

  g_assert_false (pd_mapping_validate (mapping, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_NO_IDENTIFIER);
  g_assert_nonnull (strstr (error->message, "Email"));
  g_assert_nonnull (strstr (error->message, "Phone"));
  g_assert_nonnull (strstr (error->message, "External ID"));
  g_assert_nonnull (strstr (error->message, "WhatsApp"));
  g_clear_error (&error);

  /* A channel ID is enough. */
  g_assert_true (pd_mapping_set_field (mapping, 2, "instagram", &error));
  g_assert_true (pd_mapping_validate (mapping, &error));
  g_assert_no_error (error);

  /* An ignored identifier column does not count. */
  pd_mapping_set_ignored (mapping, 2, TRUE);
  g_assert_false (pd_mapping_validate (mapping, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_NO_IDENTIFIER);
}

static void
test_mapping_json (void)
{
  const char *headers[] = { "E-mail", "Mobile", "Veteran", "Birthday", "Groups", "Notes" };
  g_autoptr(PdMapping) mapping = pd_mapping_new (headers, G_N_ELEMENTS (headers));
  g_autoptr(PdMapping) copy = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) reparsed = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_mapping_set_field (mapping, 2, "attribute:Veteran", &error));
  pd_mapping_set_ignored (mapping, 5, TRUE);
  pd_mapping_set_region (mapping, 1, "GB");
  pd_mapping_set_date_format (mapping, 3, "DD/MM/YYYY");
  pd_mapping_set_tag_delimiter (mapping, 4, "|");

  node = pd_mapping_to_json (mapping);
  text = json_to_string (node, FALSE);
  reparsed = json_from_string (text, &error);
  g_assert_no_error (error);
  copy = pd_mapping_new_from_json (reparsed, &error);
  g_assert_no_error (error);
  g_assert_nonnull (copy);

  g_assert_cmpuint (pd_mapping_get_n_columns (copy), ==, G_N_ELEMENTS (headers));
  for (guint i = 0; i < G_N_ELEMENTS (headers); i++)
    {
      g_autofree char *a = pd_mapping_dup_field_key (mapping, i);
      g_autofree char *b = pd_mapping_dup_field_key (copy, i);

      g_assert_cmpstr (pd_mapping_get_header (copy, i), ==, headers[i]);
      g_assert_cmpstr (a, ==, b);
      g_assert_cmpint (pd_mapping_is_ignored (mapping, i), ==, pd_mapping_is_ignored (copy, i));
      g_assert_cmpint (pd_mapping_is_automatic (mapping, i), ==, pd_mapping_is_automatic (copy, i));
    }
  g_assert_cmpstr (pd_mapping_get_region (copy, 1), ==, "GB");
  g_assert_cmpstr (pd_mapping_get_date_format (copy, 3), ==, "DD/MM/YYYY");
  g_assert_cmpstr (pd_mapping_get_tag_delimiter (copy, 4), ==, "|");
  g_assert_cmpstr (pd_mapping_get_signature (copy), ==, pd_mapping_get_signature (mapping));

  /* Garbage is refused. */
  {
    g_autoptr(JsonNode) bad = json_from_string ("{\"version\": 99, \"columns\": []}", NULL);
    g_autoptr(PdMapping) none = pd_mapping_new_from_json (bad, &error);

    g_assert_null (none);
    g_assert_error (error, PD_ERROR, PD_ERROR_MAPPING);
  }
}

static void
test_mapping_signature (void)
{
  const char *a[] = { "First Name", "E-mail" };
  const char *b[] = { "first_name", "EMAIL" };
  const char *c[] = { "E-mail", "First Name" };
  const char *d[] = { "FirstName", "" , "E-mail" };
  g_autofree char *sa = pd_mapping_compute_signature (a, 2);
  g_autofree char *sb = pd_mapping_compute_signature (b, 2);
  g_autofree char *sc = pd_mapping_compute_signature (c, 2);
  g_autofree char *sd = pd_mapping_compute_signature (d, 3);

  g_assert_cmpstr (sa, ==, sb);
  g_assert_cmpstr (sa, !=, sc);
  g_assert_cmpstr (sa, !=, sd);
  g_assert_cmpuint (strlen (sa), ==, 64);
}

static void
test_mapping_fold (void)
{
  static const char *cases[][2] = {
    { "E-mail Address", "emailaddress" },
    { "phoneNumber", "phonenumber" },
    { "  Opt-in SMS ", "optinsms" },
    { "Prénom", "prenom" },
    { "SIGNUP_OVERRIDE_DATE", "signupoverridedate" },
    { "Tel.", "tel" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *folded = pd_mapping_fold_header (cases[i][0]);

      g_assert_cmpstr (folded, ==, cases[i][1]);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/mapping/headers", test_mapping_headers);
  g_test_add_func ("/mapping/generator", test_mapping_generator);
  g_test_add_func ("/mapping/datablist", test_mapping_datablist);
  g_test_add_func ("/mapping/priority", test_mapping_priority);
  g_test_add_func ("/mapping/manual", test_mapping_manual);
  g_test_add_func ("/mapping/duplicates", test_mapping_duplicates);
  g_test_add_func ("/mapping/no-identifier", test_mapping_no_identifier);
  g_test_add_func ("/mapping/json", test_mapping_json);
  g_test_add_func ("/mapping/signature", test_mapping_signature);
  g_test_add_func ("/mapping/fold", test_mapping_fold);
  return g_test_run ();
}
