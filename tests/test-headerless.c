/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A spreadsheet without a row of column names (issue 17): its first row is
 * a customer.  With PdSourceOptions.no_header (the CLI's --no-header) the
 * columns are mapped by what they hold and every row is a persona; without
 * it the file is refused as having no header (PD_ERROR_NO_HEADER). */
#include "config.h"

#include <string.h>

#include "pd-error.h"
#include "pd-mapping.h"
#include "pd-test-cli.h"
#include "pd-test-store-fixture.h"

#define N_ROWS 9989

static const char * const first_names[] = { "Ann", "Bob", "Chloé", "Dmitri", "Eve", "Farid", "Grace" };
static const char * const last_names[] = { "Lee", "Núñez", "O'Brien", "Smith-Jones", "Walker", "Kim" };
static const char * const cities[] = { "Austin", "San Antonio, TX", "Boston", "Paris" };

/* Rows like a POS export without its header: first name, last name, email,
 * phone (in several ways of writing it), city, points, an SMS flag and a
 * birth date, some cells empty. */
static char *
make_headerless_csv (guint n_rows)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n_rows; i++)
    {
      guint area = 200 + i % 700, line = i % 10000;

      g_string_append_printf (out, "%s,%s,%s.%s%u@example.com,",
                              first_names[i % G_N_ELEMENTS (first_names)],
                              last_names[i % G_N_ELEMENTS (last_names)],
                              i % 3 == 0 ? "ann" : "cust", i % 2 ? "x" : "y", i);
      if (i % 4 == 0)
        g_string_append_printf (out, "(%u) 555-%04u,", area, line);
      else if (i % 4 == 1)
        g_string_append_printf (out, "+1 %u 555 %04u,", area, line);
      else if (i % 4 == 2)
        g_string_append_printf (out, "%u.555.%04u,", area, line);
      else
        g_string_append (out, ",");
      g_string_append_printf (out, "\"%s\",%u,%s,%s%02u/%02u/19%02u\r\n",
                              cities[i % G_N_ELEMENTS (cities)], i % 500,
                              i % 2 ? "yes" : "no", "", 1 + i % 12, 1 + i % 28, 40 + i % 60);
    }
  return g_string_free (out, FALSE);
}

static void
test_content_mapping (void)
{
  const char * const cells[][8] = {
    { "Ann", "Lee", "ann@example.com", "(202) 555-0143", "Austin", "10", "yes", "12/15/1960" },
    { "Bob", "Núñez", "bob@example.com", "", "San Antonio, TX", "-5", "no", "1971-03-09" },
    { "Chloé", "O'Brien", "", "+1 202 555 0150", "Paris", "0", "", "" },
  };
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_row_free);
  g_autoptr(PdMapping) mapping = NULL;
  static const PdFieldId expected[] = { PD_FIELD_FIRST_NAME, PD_FIELD_LAST_NAME, PD_FIELD_EMAIL,
                                        PD_FIELD_PHONE, PD_FIELD_NONE, PD_FIELD_NONE,
                                        PD_FIELD_NONE, PD_FIELD_BIRTH_DATE };

  for (guint i = 0; i < G_N_ELEMENTS (cells); i++)
    g_ptr_array_add (rows, pd_row_new (i + 1, cells[i], 8));
  mapping = pd_mapping_new_from_content ((PdRow * const *) rows->pdata, rows->len);
  g_assert_cmpuint (pd_mapping_get_n_columns (mapping), ==, 8);
  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *name = pd_mapping_dup_column_name (mapping, i);

      g_assert_cmpint (pd_mapping_get_field (mapping, i), ==, expected[i]);
      /* no header: named by letter, and --map finds it by letter */
      g_assert_nonnull (strstr (name, (char[]) { 'A' + i, 0 }));
      g_assert_cmpint (pd_mapping_find_column (mapping, (char[]) { 'a' + i, 0 }), ==, i);
    }
  g_assert_true (pd_mapping_validate (mapping, NULL));

  /* one column of two-word names is a full name; recent dates sign-ups */
  {
    const char * const two[][2] = { { "Ann Lee", "2025-01-02" }, { "Bob Stone", "2024-11-30" },
                                    { "Cy", "2026-03-01" } };
    g_autoptr(GPtrArray) rows2 = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_row_free);
    g_autoptr(PdMapping) m = NULL;

    for (guint i = 0; i < G_N_ELEMENTS (two); i++)
      g_ptr_array_add (rows2, pd_row_new (i + 1, two[i], 2));
    m = pd_mapping_new_from_content ((PdRow * const *) rows2->pdata, rows2->len);
    g_assert_cmpint (pd_mapping_get_field (m, 0), ==, PD_FIELD_FULL_NAME);
    g_assert_cmpint (pd_mapping_get_field (m, 1), ==, PD_FIELD_SIGNUP_DATE);
  }
}

static PdImportJob *
import_file (Fixture   *f,
             const char *path,
             gboolean   no_header,
             GError   **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  PdSourceOptions source = { .n_threads = 2, .no_header = no_header };
  PdImportOptions options;
  PdImportJob *job;

  pd_import_options_init (&options);
  options.accept_terms = TRUE;
  job = pd_import_job_new (f->store, file, &source, &options);
  pd_import_job_run (job, NULL, error);
  return job;
}

/* 9,989 rows without a header: 9,989 personas, the first customer among
 * them; without no_header, refused before anything is written. */
static void
test_pipeline (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *contents = make_headerless_csv (N_ROWS);
  g_autofree char *path = g_build_filename (f->dir, "customers.csv", NULL);
  g_autoptr(PdImportJob) refused = NULL;
  g_autoptr(PdImportJob) job = NULL;
  g_autoptr(GError) error = NULL;
  PdPersonaQuery all = { .view = PD_PERSONA_VIEW_ACTIVE };
  gint64 id;

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));

  refused = import_file (f, path, FALSE, &error);
  g_assert_error (error, PD_ERROR, PD_ERROR_NO_HEADER);
  g_clear_error (&error);
  g_assert_cmpuint (pd_store_count_personas (f->store, &all, NULL), ==, 0);

  job = import_file (f, path, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pd_import_job_get_info (job)->total, ==, N_ROWS);
  g_assert_cmpuint (pd_import_job_get_info (job)->imported, ==, N_ROWS);
  g_assert_cmpuint (pd_store_count_personas (f->store, &all, NULL), ==, N_ROWS);

  /* the first row is a customer, with every mapped value */
  id = pd_store_find_persona (f->store, PD_FIELD_EMAIL, "ann.y0@example.com", &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  {
    g_autoptr(PdPersona) first = pd_store_get_persona (f->store, id, NULL);

    g_assert_cmpstr (pd_persona_get_value (first, PD_FIELD_FIRST_NAME), ==, "Ann");
    g_assert_cmpstr (pd_persona_get_value (first, PD_FIELD_LAST_NAME), ==, "Lee");
    g_assert_cmpstr (pd_persona_get_value (first, PD_FIELD_BIRTH_DATE), ==, "1940-01-01");
  }
}

static int G_GNUC_NULL_TERMINATED
cli_run (const char  *db,
                 char       **out,
                 char       **err,
                 const char  *first,
                 ...)
{
  va_list ap;
  int status;

  va_start (ap, first);
  status = pd_test_cli_run_valist (db, out, err, first, ap);
  va_end (ap);
  return status;
}

static void
test_cli (void)
{
  g_autofree char *dir = NULL, *db = NULL, *path = NULL, *contents = NULL;
  g_autofree char *out = NULL, *err = NULL;
  int status;

  if (g_getenv ("PD_CLI") == NULL)
    {
      g_test_skip ("PD_CLI is not set: run through meson test");
      return;
    }
  dir = g_dir_make_tmp ("pd-headerless-XXXXXX", NULL);
  db = g_build_filename (dir, "personas.db", NULL);
  contents = make_headerless_csv (N_ROWS);
  path = pd_test_cli_write_file (dir, "customers.csv", contents);

  /* the refusal says how to read the file */
  status = cli_run (db, NULL, &err, "analyze", path, NULL);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, "--no-header"));
  g_clear_pointer (&err, g_free);

  status = cli_run (db, &out, &err, "analyze", "--no-header", path, NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "9989 rows, 9989 valid"));
  g_assert_nonnull (strstr (out, "→ email"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* a column mapped by letter */
  status = cli_run (db, &out, &err, "import", "--accept-terms", "--no-header", "--map", "E=city",
                            path, NULL);
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  status = cli_run (db, &out, &err, "show", "--email", "ann.y0@example.com", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "Austin"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  status = cli_run (db, &out, &err, "history", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "9989"));

  pd_temp_remove_dir (dir);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/headerless/content-mapping", test_content_mapping);
  g_test_add ("/headerless/pipeline", Fixture, NULL, fixture_set_up, test_pipeline, fixture_tear_down);
  g_test_add_func ("/headerless/cli", test_cli);
  return g_test_run ();
}
