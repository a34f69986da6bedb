/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pd-error.h"
#include "pd-normalizer.h"

/* A normalizer over @headers (auto-mapped) and one record of @cells. */
static PdNormalizer *
make_normalizer (const char * const *headers,
                 guint               n)
{
  g_autoptr(PdMapping) mapping = pd_mapping_new (headers, n);
  g_autoptr(GError) error = NULL;
  PdNormalizer *normalizer = pd_normalizer_new (mapping, NULL, &error);

  g_assert_no_error (error);
  /* These tests are about reading values: a value that can't be read
   * fails its row, as --strict has it (the lenient default, values left
   * out with a warning, is tests/test-messy-cells.c's) */
  pd_normalizer_set_strict (normalizer, TRUE);
  return normalizer;
}

static PdRecord *
normalize (PdNormalizer       *normalizer,
           guint               number,
           const char * const *cells,
           guint               n)
{
  g_autoptr(PdRow) row = pd_row_new (number, cells, n);

  return pd_normalizer_normalize (normalizer, row);
}

static void
assert_has_reason (GPtrArray  *reasons,
                   const char *needle)
{
  for (guint i = 0; i < reasons->len; i++)
    if (strstr (g_ptr_array_index (reasons, i), needle) != NULL)
      return;
  for (guint i = 0; i < reasons->len; i++)
    g_printerr ("  reason: %s\n", (char *) g_ptr_array_index (reasons, i));
  g_error ("no reason contains “%s”", needle);
}

static const char *email_headers[] = { "Email", "Phone" };

static void
test_normalizer_email (void)
{
  g_autoptr(PdNormalizer) n = make_normalizer (email_headers, 2);
  g_autoptr(PdRecord) ok = normalize (n, 2, (const char *[]) { "  Bob.Smith@Example.COM ", "" }, 2);
  g_autoptr(PdRecord) bad = normalize (n, 7, (const char *[]) { "bob@", "" }, 2);
  g_autoptr(PdRecord) no_at = normalize (n, 8, (const char *[]) { "no at sign", "" }, 2);
  g_autoptr(PdRecord) two = normalize (n, 9, (const char *[]) { "a@x.com; B@Y.com", "" }, 2);
  g_autoptr(PdRecord) comma = normalize (n, 10, (const char *[]) { "a@x.com, b@y.com,a@x.com", "" }, 2);
  g_autoptr(PdRecord) not_list = normalize (n, 11, (const char *[]) { "bob@example,com", "" }, 2);

  g_assert_true (pd_record_is_valid (ok));
  g_assert_cmpuint (ok->emails->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (ok->emails, 0), ==, "bob.smith@example.com");

  g_assert_false (pd_record_is_valid (bad));
  g_assert_cmpuint (bad->errors->len, ==, 1);
  assert_has_reason (bad->errors, "Row 7, column “Email”");
  assert_has_reason (bad->errors, "bob@");

  g_assert_false (pd_record_is_valid (no_at));
  assert_has_reason (no_at->errors, "Row 8, column “Email”");

  g_assert_true (pd_record_is_valid (two));
  g_assert_cmpuint (two->emails->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (two->emails, 1), ==, "b@y.com");

  /* Duplicates within the cell collapse. */
  g_assert_true (pd_record_is_valid (comma));
  g_assert_cmpuint (comma->emails->len, ==, 2);

  /* A comma that is not a list separator: one wrong address. */
  g_assert_false (pd_record_is_valid (not_list));
  g_assert_cmpuint (not_list->errors->len, ==, 1);
  assert_has_reason (not_list->errors, "Row 11, column “Email”");
}

static void
test_normalizer_phone (void)
{
  static const char *good[] = { "(202) 555-0143", "+1 202.555.0143", "202-555-0143 ", "2025550143" };
  g_autoptr(PdNormalizer) n = make_normalizer (email_headers, 2);

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(PdRecord) record = normalize (n, 2, (const char *[]) { "", good[i] }, 2);

      g_assert_true (pd_record_is_valid (record));
      g_assert_cmpuint (record->phones->len, ==, 1);
      g_assert_cmpstr (g_ptr_array_index (record->phones, 0), ==, "+12025550143");
    }

  {
    g_autoptr(PdRecord) bad = normalize (n, 4, (const char *[]) { "", "12345" }, 2);

    g_assert_false (pd_record_is_valid (bad));
    assert_has_reason (bad->errors, "Row 4, column “Phone”");
    assert_has_reason (bad->errors, "12345");
  }
  {
    g_autoptr(PdRecord) two = normalize (n, 5, (const char *[]) { "", "202-555-0143; (202) 555-0144" }, 2);
    g_autoptr(PdRecord) comma = normalize (n, 5, (const char *[]) { "", "202-555-0143, 202 555 0144" }, 2);

    g_assert_true (pd_record_is_valid (two));
    g_assert_cmpuint (two->phones->len, ==, 2);
    g_assert_cmpstr (g_ptr_array_index (two->phones, 1), ==, "+12025550144");
    g_assert_true (pd_record_is_valid (comma));
    g_assert_cmpuint (comma->phones->len, ==, 2);
  }
}

static void
test_normalizer_phone_region (void)
{
  const char *headers[] = { "Phone" };
  g_autoptr(PdMapping) mapping = pd_mapping_new (headers, 1);
  g_autoptr(PdNormalizer) gb = NULL;
  g_autoptr(PdNormalizer) bad = NULL;
  g_autoptr(PdRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  pd_mapping_set_region (mapping, 0, "GB");
  gb = pd_normalizer_new (mapping, NULL, &error);
  g_assert_no_error (error);
  record = normalize (gb, 2, (const char *[]) { "020 7183 8750" }, 1);
  g_assert_true (pd_record_is_valid (record));
  g_assert_cmpstr (g_ptr_array_index (record->phones, 0), ==, "+442071838750");

  /* The default region of the normalizer applies to columns without one. */
  pd_mapping_set_region (mapping, 0, NULL);
  g_clear_object (&gb);
  gb = pd_normalizer_new (mapping, "GB", &error);
  g_assert_no_error (error);
  g_clear_pointer (&record, pd_record_free);
  record = normalize (gb, 2, (const char *[]) { "020 7183 8750" }, 1);
  g_assert_cmpstr (g_ptr_array_index (record->phones, 0), ==, "+442071838750");

  bad = pd_normalizer_new (mapping, "XX", &error);
  g_assert_null (bad);
  g_assert_error (error, PD_ERROR, PD_ERROR_MAPPING);
}

static void
test_normalizer_boolean (void)
{
  static const char *yes[] = { "TRUE", "true", "yes", "y", "1", " Yes " };
  static const char *no[] = { "FALSE", "false", "no", "n", "0", "No" };
  const char *headers[] = { "Email", "Opt-in SMS", "Explicit SMS Opt-out" };
  g_autoptr(PdNormalizer) n = make_normalizer (headers, 3);

  for (guint i = 0; i < G_N_ELEMENTS (yes); i++)
    {
      g_autoptr(PdRecord) record = normalize (n, 2, (const char *[]) { "a@b.com", yes[i], no[i] }, 3);

      g_assert_true (pd_record_is_valid (record));
      g_assert_cmpstr (record->values[PD_FIELD_SMS_OPT_IN], ==, "true");
      g_assert_cmpstr (record->values[PD_FIELD_SMS_OPT_OUT], ==, "false");
    }

  {
    g_autoptr(PdRecord) empty = normalize (n, 2, (const char *[]) { "a@b.com", "", "" }, 3);
    g_autoptr(PdRecord) bad = normalize (n, 3, (const char *[]) { "a@b.com", "maybe", "" }, 3);

    g_assert_true (pd_record_is_valid (empty));
    g_assert_null (empty->values[PD_FIELD_SMS_OPT_IN]);
    g_assert_false (pd_record_is_valid (bad));
    assert_has_reason (bad->errors, "Row 3, column “Opt-in SMS”");
    assert_has_reason (bad->errors, "maybe");
  }
}

static void
test_normalizer_points (void)
{
  static const char *cases[][2] = {
    { "120", "120" }, { "+12", "12" }, { "-5", "-5" }, { " 1,200 ", "1200" }, { "0", "0" },
  };
  const char *headers[] = { "Email", "Points" };
  g_autoptr(PdNormalizer) n = make_normalizer (headers, 2);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PdRecord) record = normalize (n, 2, (const char *[]) { "a@b.com", cases[i][0] }, 2);

      g_assert_true (pd_record_is_valid (record));
      g_assert_cmpstr (record->values[PD_FIELD_POINTS], ==, cases[i][1]);
    }

  {
    g_autoptr(PdRecord) bad = normalize (n, 6, (const char *[]) { "a@b.com", "lots" }, 2);

    g_assert_false (pd_record_is_valid (bad));
    assert_has_reason (bad->errors, "Row 6, column “Points”");
  }
}

static PdRow **
rows_of_column (const char * const *values,
                guint               n)
{
  PdRow **rows = g_new0 (PdRow *, n);

  for (guint i = 0; i < n; i++)
    rows[i] = pd_row_new (i + 2, (const char *[]) { "a@b.com", values[i] }, 2);
  return rows;
}

static void
free_rows (PdRow **rows,
           guint   n)
{
  for (guint i = 0; i < n; i++)
    pd_row_free (rows[i]);
  g_free (rows);
}

static void
test_normalizer_dates (void)
{
  const char *headers[] = { "Email", "Birth Date" };
  static const char *day_first[] = { "02/03/1991", "13/02/1990", "", "1985-07-04" };
  static const char *ambiguous[] = { "02/03/1991", "04/05/1990" };

  /* A column holding 13/02/1990 is day-first: 02/03/1991 is 2 March. */
  {
    g_autoptr(PdNormalizer) n = make_normalizer (headers, 2);
    PdRow **rows = rows_of_column (day_first, G_N_ELEMENTS (day_first));
    g_autoptr(PdRecord) a = NULL;
    g_autoptr(PdRecord) b = NULL;
    g_autoptr(PdRecord) c = NULL;

    pd_normalizer_detect_dates (n, rows, G_N_ELEMENTS (day_first));
    g_assert_cmpint (pd_normalizer_get_date_order (n, 1), ==, PD_DATE_ORDER_DMY);
    g_assert_cmpuint (pd_normalizer_get_warnings (n)->len, ==, 0);
    a = pd_normalizer_normalize (n, rows[0]);
    b = pd_normalizer_normalize (n, rows[1]);
    c = pd_normalizer_normalize (n, rows[3]);
    g_assert_cmpstr (a->values[PD_FIELD_BIRTH_DATE], ==, "1991-03-02");
    g_assert_cmpstr (b->values[PD_FIELD_BIRTH_DATE], ==, "1990-02-13");
    g_assert_cmpstr (c->values[PD_FIELD_BIRTH_DATE], ==, "1985-07-04");
    free_rows (rows, G_N_ELEMENTS (day_first));
  }

  /* Nothing decides: a warning naming the column, never a silent guess. */
  {
    g_autoptr(PdNormalizer) n = make_normalizer (headers, 2);
    PdRow **rows = rows_of_column (ambiguous, G_N_ELEMENTS (ambiguous));
    GPtrArray *warnings;

    pd_normalizer_detect_dates (n, rows, G_N_ELEMENTS (ambiguous));
    warnings = pd_normalizer_get_warnings (n);
    g_assert_cmpuint (warnings->len, ==, 1);
    assert_has_reason (warnings, "“Birth Date”");
    free_rows (rows, G_N_ELEMENTS (ambiguous));
  }

  /* A chosen format wins and silences the warning. */
  {
    g_autoptr(PdMapping) mapping = pd_mapping_new (headers, 2);
    g_autoptr(PdNormalizer) n = NULL;
    g_autoptr(GError) error = NULL;
    PdRow **rows = rows_of_column (ambiguous, G_N_ELEMENTS (ambiguous));
    g_autoptr(PdRecord) a = NULL;

    pd_mapping_set_date_format (mapping, 1, "DD/MM/YYYY");
    n = pd_normalizer_new (mapping, NULL, &error);
    g_assert_no_error (error);
    pd_normalizer_detect_dates (n, rows, G_N_ELEMENTS (ambiguous));
    g_assert_cmpuint (pd_normalizer_get_warnings (n)->len, ==, 0);
    a = pd_normalizer_normalize (n, rows[0]);
    g_assert_cmpstr (a->values[PD_FIELD_BIRTH_DATE], ==, "1991-03-02");
    free_rows (rows, G_N_ELEMENTS (ambiguous));

    pd_mapping_set_date_format (mapping, 1, "sometime");
    g_clear_object (&n);
    n = pd_normalizer_new (mapping, NULL, &error);
    g_assert_null (n);
    g_assert_error (error, PD_ERROR, PD_ERROR_MAPPING);
  }

  /* No 31 February. */
  {
    g_autoptr(PdNormalizer) n = make_normalizer (headers, 2);
    g_autoptr(PdRecord) bad = normalize (n, 9, (const char *[]) { "a@b.com", "1990-02-31" }, 2);

    g_assert_false (pd_record_is_valid (bad));
    assert_has_reason (bad->errors, "Row 9, column “Birth Date”");
  }
}

static void
test_normalizer_identifiers (void)
{
  const char *headers[] = { "Customer ID", "WhatsApp", "First Name", "City" };
  g_autoptr(PdNormalizer) n = make_normalizer (headers, 4);
  g_autoptr(PdRecord) record = normalize (n, 2, (const char *[]) {
    " 000123 ", "0044 7700 900123", "  José ", "San José" }, 4);

  g_assert_true (pd_record_is_valid (record));
  g_assert_cmpstr (record->values[PD_FIELD_EXTERNAL_ID], ==, "000123");
  g_assert_cmpstr (record->values[PD_FIELD_WHATSAPP], ==, "0044 7700 900123");
  g_assert_cmpstr (record->values[PD_FIELD_FIRST_NAME], ==, "José");
  g_assert_cmpstr (record->values[PD_FIELD_CITY], ==, "San José");
  g_assert_cmpuint (record->emails->len, ==, 0);
}

/* A "Name" column fills first and last name, but never over a column of
 * their own, whichever comes first. */
static void
test_normalizer_full_name (void)
{
  const char *headers[] = { "First Name", "Name", "Email", "Surname" };
  g_autoptr(PdNormalizer) n = make_normalizer (headers, 4);
  g_autoptr(PdRecord) both = normalize (n, 2, (const char *[]) {
    "Amazing", "Grace Hopper", "g@example.com", "" }, 4);
  g_autoptr(PdRecord) only = normalize (n, 3, (const char *[]) {
    "", "Hopper, Grace Brewster", "h@example.com", "" }, 4);
  g_autoptr(PdRecord) surname = normalize (n, 4, (const char *[]) {
    "", "Ludwig van Beethoven", "l@example.com", "B." }, 4);
  g_autoptr(PdRecord) blank = normalize (n, 5, (const char *[]) {
    "", "   ", "b@example.com", "" }, 4);

  g_assert_cmpstr (both->values[PD_FIELD_FIRST_NAME], ==, "Amazing");
  g_assert_cmpstr (both->values[PD_FIELD_LAST_NAME], ==, "Hopper");
  g_assert_cmpstr (only->values[PD_FIELD_FIRST_NAME], ==, "Grace Brewster");
  g_assert_cmpstr (only->values[PD_FIELD_LAST_NAME], ==, "Hopper");
  g_assert_cmpstr (surname->values[PD_FIELD_FIRST_NAME], ==, "Ludwig");
  g_assert_cmpstr (surname->values[PD_FIELD_LAST_NAME], ==, "B.");
  g_assert_null (blank->values[PD_FIELD_FIRST_NAME]);
  g_assert_null (blank->values[PD_FIELD_LAST_NAME]);
  /* never a value of its own: it is not stored */
  g_assert_null (both->values[PD_FIELD_FULL_NAME]);
}

static void
test_normalizer_choices (void)
{
  const char *headers[] = { "Email", "Customer Type", "Person Type" };
  g_autoptr(PdNormalizer) n = make_normalizer (headers, 3);
  g_autoptr(PdRecord) ok = normalize (n, 2, (const char *[]) { "a@b.com", "Medical", " LEAD " }, 3);
  g_autoptr(PdRecord) other = normalize (n, 3, (const char *[]) { "a@b.com", "Retail", "" }, 3);

  g_assert_true (pd_record_is_valid (ok));
  g_assert_cmpstr (ok->values[PD_FIELD_CUSTOMER_TYPE], ==, "medical");
  g_assert_cmpstr (ok->values[PD_FIELD_PERSON_TYPE], ==, "lead");

  /* Not a choice: the value is left out with a warning; the row stays. */
  g_assert_true (pd_record_is_valid (other));
  g_assert_null (other->values[PD_FIELD_CUSTOMER_TYPE]);
  g_assert_cmpuint (other->warnings->len, ==, 1);
  assert_has_reason (other->warnings, "Row 3, column “Customer Type”");
  assert_has_reason (other->warnings, "Retail");
}

static void
test_normalizer_tags_attributes (void)
{
  const char *headers[] = { "Email", "Tags", "attribute:Veteran", "Custom: Shoe Size", "Notes" };
  g_autoptr(PdMapping) mapping = pd_mapping_new (headers, 5);
  g_autoptr(PdNormalizer) n = make_normalizer (headers, 5);
  g_autoptr(PdNormalizer) piped = NULL;
  g_autoptr(PdRecord) record = normalize (n, 2, (const char *[]) {
    "a@b.com", " vip, newsletter,,VIP , ", "Yes", "42", "ignored" }, 5);
  g_autoptr(PdRecord) piped_record = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_record_is_valid (record));
  g_assert_cmpuint (record->tags->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (record->tags, 0), ==, "vip");
  g_assert_cmpstr (g_ptr_array_index (record->tags, 1), ==, "newsletter");
  g_assert_cmpuint (record->attribute_names->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (record->attribute_names, 0), ==, "Veteran");
  g_assert_cmpstr (g_ptr_array_index (record->attribute_values, 0), ==, "Yes");
  g_assert_cmpstr (g_ptr_array_index (record->attribute_names, 1), ==, "Shoe Size");
  g_assert_cmpstr (g_ptr_array_index (record->attribute_values, 1), ==, "42");

  pd_mapping_set_tag_delimiter (mapping, 1, "|");
  piped = pd_normalizer_new (mapping, NULL, &error);
  g_assert_no_error (error);
  piped_record = normalize (piped, 2, (const char *[]) { "a@b.com", "a, b|c", "", "", "" }, 5);
  g_assert_cmpuint (piped_record->tags->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (piped_record->tags, 0), ==, "a, b");
  g_assert_cmpstr (g_ptr_array_index (piped_record->tags, 1), ==, "c");
}

static void
test_normalizer_row_failures (void)
{
  const char *headers[] = { "Email", "Phone", "First Name" };
  g_autoptr(PdNormalizer) n = make_normalizer (headers, 3);
  g_autoptr(PdRow) broken = pd_row_new (12, (const char *[]) { "a@b.com", "", "x" }, 3);
  g_autoptr(PdRecord) broken_record = NULL;
  g_autoptr(PdRecord) no_id = normalize (n, 13, (const char *[]) { "  ", "", "Ann" }, 3);
  g_autoptr(PdRecord) short_row = normalize (n, 14, (const char *[]) { "a@b.com" }, 1);

  pd_row_set_error (broken, "invalid UTF-8 in the second cell");
  broken_record = pd_normalizer_normalize (n, broken);
  g_assert_false (pd_record_is_valid (broken_record));
  assert_has_reason (broken_record->errors, "Row 12");
  assert_has_reason (broken_record->errors, "invalid UTF-8");

  g_assert_false (pd_record_is_valid (no_id));
  assert_has_reason (no_id->errors, "Row 13");
  g_assert_cmpuint (no_id->row, ==, 13);

  /* A row shorter than the header: the missing cells are empty. */
  g_assert_true (pd_record_is_valid (short_row));
}

typedef struct {
  PdNormalizer *normalizer;
  PdRow       **rows;
  guint         n_rows;
  GPtrArray    *out;
} ThreadData;

static gpointer
normalize_all (gpointer data)
{
  ThreadData *td = data;

  for (guint i = 0; i < td->n_rows; i++)
    {
      g_autoptr(PdRecord) record = pd_normalizer_normalize (td->normalizer, td->rows[i]);
      GString *s = g_string_new (NULL);

      for (guint e = 0; e < record->emails->len; e++)
        g_string_append_printf (s, "%s;", (char *) record->emails->pdata[e]);
      for (guint e = 0; e < record->phones->len; e++)
        g_string_append_printf (s, "%s;", (char *) record->phones->pdata[e]);
      for (guint e = 0; e < record->errors->len; e++)
        g_string_append_printf (s, "%s;", (char *) record->errors->pdata[e]);
      g_string_append_printf (s, "%s", record->values[PD_FIELD_POINTS]);
      g_ptr_array_add (td->out, g_string_free (s, FALSE));
    }
  return NULL;
}

/* One normalizer, four threads, same answers as one thread. */
static void
test_normalizer_threads (void)
{
  const char *headers[] = { "Email", "Phone", "Points" };
  g_autoptr(PdNormalizer) n = make_normalizer (headers, 3);
  ThreadData td[4];
  GThread *threads[4];
  guint n_rows = 2000;
  PdRow **rows = g_new0 (PdRow *, n_rows);

  for (guint i = 0; i < n_rows; i++)
    {
      g_autofree char *email = g_strdup_printf (i % 7 ? "User%u@Example.com" : "user%u@", i);
      g_autofree char *phone = g_strdup_printf ("(202) 555-%04u", i % 10000);
      g_autofree char *points = g_strdup_printf ("%d", (int) i - 1000);

      rows[i] = pd_row_new (i + 2, (const char *[]) { email, phone, points }, 3);
    }

  for (guint t = 0; t < 4; t++)
    {
      td[t] = (ThreadData) { n, rows, n_rows, g_ptr_array_new_with_free_func (g_free) };
      threads[t] = g_thread_new ("normalize", normalize_all, &td[t]);
    }
  for (guint t = 0; t < 4; t++)
    g_thread_join (threads[t]);

  for (guint t = 1; t < 4; t++)
    for (guint i = 0; i < n_rows; i++)
      g_assert_cmpstr (td[0].out->pdata[i], ==, td[t].out->pdata[i]);

  for (guint t = 0; t < 4; t++)
    g_ptr_array_unref (td[t].out);
  free_rows (rows, n_rows);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/normalizer/email", test_normalizer_email);
  g_test_add_func ("/normalizer/phone", test_normalizer_phone);
  g_test_add_func ("/normalizer/phone-region", test_normalizer_phone_region);
  g_test_add_func ("/normalizer/boolean", test_normalizer_boolean);
  g_test_add_func ("/normalizer/points", test_normalizer_points);
  g_test_add_func ("/normalizer/dates", test_normalizer_dates);
  g_test_add_func ("/normalizer/identifiers", test_normalizer_identifiers);
  g_test_add_func ("/normalizer/full-name", test_normalizer_full_name);
  g_test_add_func ("/normalizer/choices", test_normalizer_choices);
  g_test_add_func ("/normalizer/tags-attributes", test_normalizer_tags_attributes);
  g_test_add_func ("/normalizer/row-failures", test_normalizer_row_failures);
  g_test_add_func ("/normalizer/threads", test_normalizer_threads);
  return g_test_run ();
}
