/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Issue 20: no customer lost to a messy cell.  A value that can't be read
 * is left out with a warning naming row, column, value and why; a row
 * fails only when nothing identifies the customer; --strict (the
 * source option) restores failing the row.  Normalizer and import, end to
 * end into a fresh database. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "pd-error.h"
#include "pd-analyzer.h"
#include "pd-import-job.h"
#include "pd-normalizer.h"
#include "pd-report-writer.h"
#include "pd-sqlite-store.h"

static PdNormalizer *
make_normalizer (const char * const *headers,
                 guint               n,
                 gboolean            strict)
{
  g_autoptr(PdMapping) mapping = pd_mapping_new (headers, n);
  g_autoptr(GError) error = NULL;
  PdNormalizer *normalizer = pd_normalizer_new (mapping, NULL, &error);

  g_assert_no_error (error);
  pd_normalizer_set_strict (normalizer, strict);
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

static gboolean
has_reason (GPtrArray  *reasons,
            const char *needle)
{
  for (guint i = 0; i < reasons->len; i++)
    if (strstr (g_ptr_array_index (reasons, i), needle) != NULL)
      return TRUE;
  for (guint i = 0; i < reasons->len; i++)
    g_printerr ("  reason: %s\n", (char *) g_ptr_array_index (reasons, i));
  return FALSE;
}

static const char *headers[] = { "Email", "Phone", "Birthday", "Points", "External ID" };

/* An invalid identifier beside a valid one: the customer is kept by the
 * valid one, and the warning names row, column, value and why. */
static void
test_left_out_with_warning (void)
{
  g_autoptr(PdNormalizer) n = make_normalizer (headers, 5, FALSE);
  g_autoptr(PdRecord) bad_email = normalize (n, 4, (const char *[]) { "bob@", "202-555-0143", "", "", "" }, 5);
  g_autoptr(PdRecord) bad_phone = normalize (n, 5, (const char *[]) { "cy@example.com", "12345", "", "x", "" }, 5);
  g_autoptr(PdRecord) by_id = normalize (n, 6, (const char *[]) { "nope", "12", "", "", "C-17" }, 5);
  g_autoptr(PdRecord) bad_date = normalize (n, 7, (const char *[]) { "di@example.com", "", "31/31/1990", "", "" }, 5);

  g_assert_true (pd_record_is_valid (bad_email));
  g_assert_cmpuint (bad_email->emails->len, ==, 0);
  g_assert_cmpuint (bad_email->phones->len, ==, 1);
  g_assert_cmpuint (bad_email->warnings->len, ==, 1);
  g_assert_true (has_reason (bad_email->warnings, "Row 4, column “Email”"));
  g_assert_true (has_reason (bad_email->warnings, "bob@"));
  g_assert_true (has_reason (bad_email->warnings, "left out"));

  g_assert_true (pd_record_is_valid (bad_phone));
  g_assert_cmpuint (bad_phone->phones->len, ==, 0);
  g_assert_null (bad_phone->values[PD_FIELD_POINTS]);
  g_assert_cmpuint (bad_phone->warnings->len, ==, 2);
  g_assert_true (has_reason (bad_phone->warnings, "Row 5, column “Phone”"));
  g_assert_true (has_reason (bad_phone->warnings, "12345"));
  g_assert_true (has_reason (bad_phone->warnings, "Row 5, column “Points”"));

  /* an external ID is an identifier too */
  g_assert_true (pd_record_is_valid (by_id));
  g_assert_cmpstr (by_id->values[PD_FIELD_EXTERNAL_ID], ==, "C-17");
  g_assert_cmpuint (by_id->warnings->len, ==, 2);

  g_assert_true (pd_record_is_valid (bad_date));
  g_assert_null (bad_date->values[PD_FIELD_BIRTH_DATE]);
  g_assert_true (has_reason (bad_date->warnings, "Row 7, column “Birthday”"));
  g_assert_true (has_reason (bad_date->warnings, "31/31/1990"));
}

/* Nothing left that identifies the customer: the row fails, with the
 * reasons each identifier was left out. */
static void
test_nothing_identifies (void)
{
  g_autoptr(PdNormalizer) n = make_normalizer (headers, 5, FALSE);
  g_autoptr(PdRecord) none = normalize (n, 3, (const char *[]) { "bob@", "123", "1990-01-02", "", "" }, 5);
  g_autoptr(PdRecord) empty = normalize (n, 4, (const char *[]) { "", "", "1990-01-02", "5", "" }, 5);

  g_assert_false (pd_record_is_valid (none));
  g_assert_cmpuint (none->warnings->len, ==, 0);
  g_assert_cmpuint (none->errors->len, ==, 3);
  g_assert_true (has_reason (none->errors, "Row 3, column “Email”"));
  g_assert_true (has_reason (none->errors, "Row 3, column “Phone”"));
  g_assert_true (has_reason (none->errors, "no valid email, phone"));

  g_assert_false (pd_record_is_valid (empty));
  g_assert_true (has_reason (empty->errors, "no email, phone"));
}

/* A number from a range opened since the phone data (2022) is kept as
 * E.164 with a warning; an extension is kept with the number. */
static void
test_phone_not_in_data (void)
{
  g_autoptr(PdNormalizer) n = make_normalizer (headers, 5, FALSE);
  g_autoptr(PdNormalizer) strict = make_normalizer (headers, 5, TRUE);
  g_autoptr(PdRecord) miami = normalize (n, 2, (const char *[]) { "", "645-284-3358", "", "", "" }, 5);
  g_autoptr(PdRecord) ext = normalize (n, 3, (const char *[]) { "", "786-284-3358x62152", "", "", "" }, 5);
  g_autoptr(PdRecord) exported = normalize (n, 4, (const char *[]) { "", "+17862843358;ext=62152,+12025550143", "", "", "" }, 5);
  g_autoptr(PdRecord) miami_strict = normalize (strict, 2, (const char *[]) { "", "645-284-3358", "", "", "" }, 5);

  g_assert_true (pd_record_is_valid (miami));
  g_assert_cmpuint (miami->phones->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (miami->phones, 0), ==, "+16452843358");
  g_assert_cmpuint (miami->warnings->len, ==, 1);
  g_assert_true (has_reason (miami->warnings, "Row 2, column “Phone”: “645-284-3358” is not in the phone data"));
  g_assert_true (has_reason (miami->warnings, "2022"));

  g_assert_true (pd_record_is_valid (ext));
  g_assert_cmpuint (ext->warnings->len, ==, 0);
  g_assert_cmpstr (g_ptr_array_index (ext->phones, 0), ==, "+17862843358;ext=62152");

  /* as an export writes it: the ";ext=" is not a list separator */
  g_assert_true (pd_record_is_valid (exported));
  g_assert_cmpuint (exported->phones->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (exported->phones, 0), ==, "+17862843358;ext=62152");

  g_assert_false (pd_record_is_valid (miami_strict));
}

/* Dates: placeholders are empty (no warning), month names and dotted
 * dates are read, an unreadable one is left out with a warning. */
static void
test_dates (void)
{
  static const char *date_headers[] = { "Email", "Birth Date" };
  static const struct {
    const char *cell;
    const char *iso;      /* NULL: empty */
    guint       warnings;
  } table[] = {
    { "N/A", NULL, 0 }, { "n/a", NULL, 0 }, { "00/00/0000", NULL, 0 }, { "0/0/0000", NULL, 0 },
    { "0000-00-00", NULL, 0 }, { "-", NULL, 0 }, { "?", NULL, 0 }, { "unknown", NULL, 0 },
    { "TBD", NULL, 0 }, { "NULL", NULL, 0 }, { "none", NULL, 0 },
    { "March 5, 1990", "1990-03-05", 0 }, { "5 Mar 1990", "1990-03-05", 0 },
    { "05-Mar-90", "1990-03-05", 0 }, { "19900305", "1990-03-05", 0 },
    { "05.03.1990", "1990-03-05", 0 },
    { "sometime in spring", NULL, 1 },
  };
  g_autoptr(PdNormalizer) n = make_normalizer (date_headers, 2, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autoptr(PdRecord) r = normalize (n, 2, (const char *[]) { "a@example.com", table[i].cell }, 2);

      g_test_message ("%s", table[i].cell);
      g_assert_true (pd_record_is_valid (r));
      g_assert_cmpstr (r->values[PD_FIELD_BIRTH_DATE], ==, table[i].iso);
      g_assert_cmpuint (r->warnings->len, ==, table[i].warnings);
    }
}

/* A column of dotted dates with no day above 12 is day-first: nothing
 * ambiguous about it. */
static void
test_dotted_column (void)
{
  static const char *date_headers[] = { "Email", "Birth Date" };
  g_autoptr(PdNormalizer) n = make_normalizer (date_headers, 2, FALSE);
  g_autoptr(PdRow) a = pd_row_new (2, (const char *[]) { "a@example.com", "05.03.1990" }, 2);
  g_autoptr(PdRow) b = pd_row_new (3, (const char *[]) { "b@example.com", "01.02.1985" }, 2);
  PdRow *rows[] = { a, b };
  g_autoptr(PdRecord) r = NULL;

  pd_normalizer_detect_dates (n, rows, 2);
  g_assert_cmpuint (pd_normalizer_get_warnings (n)->len, ==, 0);
  r = pd_normalizer_normalize (n, b);
  g_assert_cmpstr (r->values[PD_FIELD_BIRTH_DATE], ==, "1985-02-01");
  g_assert_cmpuint (r->warnings->len, ==, 0);
}

/* --strict: the old behaviour, one unreadable value fails the row. */
static void
test_strict (void)
{
  g_autoptr(PdNormalizer) n = make_normalizer (headers, 5, TRUE);
  g_autoptr(PdRecord) bad_email = normalize (n, 4, (const char *[]) { "bob@", "202-555-0143", "", "", "" }, 5);
  g_autoptr(PdRecord) bad_date = normalize (n, 7, (const char *[]) { "di@example.com", "", "31/31/1990", "", "" }, 5);

  g_assert_false (pd_record_is_valid (bad_email));
  g_assert_cmpuint (bad_email->errors->len, ==, 1);
  g_assert_true (has_reason (bad_email->errors, "Row 4, column “Email”"));
  g_assert_false (pd_record_is_valid (bad_date));
  g_assert_cmpuint (bad_date->errors->len, ==, 1);
}

/* ---- end to end ----------------------------------------------------- */

typedef struct {
  char    *dir;
  PdStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;

  f->dir = g_dir_make_tmp ("pd-messy-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_build_filename (f->dir, "personas.db", NULL);
  f->store = (PdStore *) pd_sqlite_store_new (db, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  g_clear_object (&f->store);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_remove (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

static PdImportJob *
run_import (Fixture               *f,
            const char            *contents,
            gboolean               strict,
            const PdImportOptions *options_in)
{
  g_autofree char *path = g_build_filename (f->dir, "file.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  PdSourceOptions source = { .n_threads = 1, .strict = strict };
  PdImportOptions options;
  PdImportJob *job;

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  if (options_in != NULL)
    options = *options_in;
  else
    pd_import_options_init (&options);
  options.accept_terms = TRUE;
  job = pd_import_job_new (f->store, file, &source, &options);
  pd_import_job_run (job, NULL, &error);
  g_assert_no_error (error);
  return job;
}

static const char messy_file[] =
  "Name,Email,Phone,Birthday\r\n"
  "Ann Lee,ann@example.com,202-555-0143,1990-03-05\r\n"
  "Bob Ray,bob@example.com,12345,\r\n"
  "Cy Oh,cy@,202-555-0144,31/31/1990\r\n"
  "Di Wu,di@,123,\r\n";

/* The results report lists the rows imported with warnings, with their
 * cells, beside the failed ones; the summary counts them. */
static void
test_report_lists_warned_rows (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(PdImportJob) job = run_import (f, messy_file, FALSE, NULL);
  const PdImportInfo *info = pd_import_job_get_info (job);
  g_autofree char *report = g_build_filename (f->dir, "report.csv", NULL);
  g_autofree char *summary_path = pd_report_dup_summary_path (report);
  g_autofree char *text = NULL, *summary = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (info->imported, ==, 3);
  g_assert_cmpuint (info->failed, ==, 1);
  g_assert_cmpuint (pd_import_job_get_n_warning_rows (job), ==, 2);

  g_assert_true (pd_report_write_job (report, job, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (report, &text, NULL, NULL));
  g_assert_null (strstr (text, "Ann Lee"));
  g_assert_nonnull (strstr (text, "\r\nBob Ray,bob@example.com,12345,,3,imported,\"Row 3, column “Phone”"));
  g_assert_nonnull (strstr (text, "\r\nCy Oh,cy@,202-555-0144,31/31/1990,4,imported,"));
  g_assert_nonnull (strstr (text, "\r\nDi Wu,di@,123,,5,failed,"));
  g_assert_true (g_file_get_contents (summary_path, &summary, NULL, NULL));
  g_assert_nonnull (strstr (summary, "Imported or updated with warnings,2\r\n"));
  g_assert_nonnull (strstr (summary, "Failed,1\r\n"));
}

static char *
birth_date_of (Fixture    *f,
               const char *email)
{
  g_autoptr(GError) error = NULL;
  gint64 id = pd_store_find_persona (f->store, PD_FIELD_EMAIL, email, &error);
  g_autoptr(PdPersona) persona = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (id, !=, 0);
  persona = pd_store_get_persona (f->store, id, &error);
  g_assert_no_error (error);
  return g_strdup (pd_persona_get_value (persona, PD_FIELD_BIRTH_DATE));
}

/* The day/month order is settled by the whole column: thousands of rows
 * that read both ways, then one that can only be day-first. */
static void
test_whole_column_decides (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new ("Email,Birth Date\r\n");
  g_autoptr(PdImportJob) job = NULL;
  g_autofree char *first = NULL, *last = NULL;

  for (guint i = 0; i < 6000; i++)
    g_string_append_printf (text, "p%u@example.com,01/02/1990\r\n", i);
  g_string_append (text, "last@example.com,25/02/1990\r\n");
  job = run_import (f, text->str, FALSE, NULL);
  g_assert_cmpuint (pd_import_job_get_info (job)->imported, ==, 6001);
  g_assert_cmpuint (pd_import_job_get_n_warning_rows (job), ==, 0);
  first = birth_date_of (f, "p0@example.com");
  last = birth_date_of (f, "last@example.com");
  g_assert_cmpstr (first, ==, "1990-02-01");
  g_assert_cmpstr (last, ==, "1990-02-25");
}

/* Nothing in the whole column decides: the default region's order (US:
 * month first), and a warning on each such value naming --date-format. */
static void
test_ambiguous_column (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(PdImportJob) job = run_import (f, "Email,Birth Date\r\n"
                                              "a@example.com,01/02/1990\r\n"
                                              "b@example.com,05/05/1990\r\n", FALSE, NULL);
  g_autoptr(GPtrArray) results = NULL;
  g_autofree char *a = birth_date_of (f, "a@example.com");
  PdImportRowResult *r;

  g_assert_cmpstr (a, ==, "1990-01-02");
  g_assert_cmpuint (pd_import_job_get_n_warning_rows (job), ==, 1);
  results = g_ptr_array_ref (pd_import_job_get_row_results (job));
  r = g_ptr_array_index (results, 0);
  g_assert_cmpuint (r->row, ==, 2);
  g_assert_true (has_reason (r->reasons, "--date-format"));
  g_assert_true (has_reason (r->reasons, "Row 2, column “Birth Date”"));
}

static PdAnalysis *
analyze_text (Fixture    *f,
              const char *text)
{
  g_autofree char *path = g_build_filename (f->dir, "dates.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PdAnalyzer) analyzer = NULL;
  g_autoptr(GError) error = NULL;
  PdAnalysis *analysis;

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  analyzer = pd_analyzer_new (file, NULL);
  analysis = pd_analyzer_run (analyzer, NULL, &error);
  g_assert_no_error (error);
  return analysis;
}

/* The analysis says which column the whole file leaves ambiguous, in
 * which order it is read, and gives values that read two ways (not
 * 05/05, not the same one twice, at most PD_DATE_QUESTION_MAX_SAMPLES),
 * for the assistant to ask; a column the file decides is not asked about. */
static void
test_ambiguous_column_asked (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(PdAnalysis) analysis = analyze_text (f, "Email,Since,Birth Date\r\n"
                                                    "a@example.com,13/01/2020,01/02/1990\r\n"
                                                    "b@example.com,05/05/2020,05/05/1990\r\n"
                                                    "c@example.com,01/02/2020,01/02/1990\r\n"
                                                    "d@example.com,,11/04/1985\r\n"
                                                    "e@example.com,,03/07/2001\r\n"
                                                    "f@example.com,,10/09/1970\r\n");
  g_autoptr(PdAnalysis) decided = NULL;
  g_autoptr(JsonNode) json = NULL;
  GPtrArray *questions = pd_analysis_get_date_questions (analysis);
  PdDateQuestion *question;
  JsonObject *asked;

  g_assert_cmpuint (questions->len, ==, 1);
  question = g_ptr_array_index (questions, 0);
  g_assert_cmpuint (question->column, ==, 2);
  g_assert_cmpstr (question->name, ==, "Birth Date");
  g_assert_cmpint (question->order, ==, PD_DATE_ORDER_MDY);   /* the default region, US */
  g_assert_cmpuint (g_strv_length (question->samples), ==, PD_DATE_QUESTION_MAX_SAMPLES);
  g_assert_cmpstr (question->samples[0], ==, "01/02/1990");
  g_assert_cmpstr (question->samples[1], ==, "11/04/1985");
  g_assert_cmpstr (question->samples[2], ==, "03/07/2001");

  json = pd_analysis_to_json (analysis);
  asked = json_array_get_object_element (json_object_get_array_member (json_node_get_object (json),
                                                                        "date_questions"), 0);
  g_assert_cmpstr (json_object_get_string_member (asked, "column"), ==, "Birth Date");
  g_assert_cmpstr (json_object_get_string_member (asked, "read_as"), ==, "MM/DD/YYYY");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (asked, "samples")), ==, 3);

  /* one value that can only be day-first settles it: nothing to ask */
  decided = analyze_text (f, "Email,Birth Date\r\n"
                             "a@example.com,01/02/1990\r\n"
                             "b@example.com,25/02/1990\r\n");
  g_assert_cmpuint (pd_analysis_get_date_questions (decided)->len, ==, 0);
}

static PdPersona *
persona_of (Fixture    *f,
            const char *email)
{
  g_autoptr(GError) error = NULL;
  gint64 id = pd_store_find_persona (f->store, PD_FIELD_EMAIL, email, &error);
  PdPersona *persona;

  g_assert_no_error (error);
  g_assert_cmpint (id, !=, 0);
  persona = pd_store_get_persona (f->store, id, &error);
  g_assert_no_error (error);
  return persona;
}

/* A household phone: ann and bob share it.  Not merged by default: bob is
 * his own persona without the phone, and the warning names the persona
 * that keeps it; in the store and between rows of one file alike. */
static void
test_household_phone (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(PdImportJob) first = run_import (f, "Email,Phone,Points\r\n"
                                                "ann@example.com,202-555-0143,10\r\n", FALSE, NULL);
  g_autoptr(PdImportJob) second = run_import (f, "Email,Phone,Points\r\n"
                                                 "bob@example.com,(202) 555-0143,5\r\n"
                                                 "cy@example.com,202-555-0199,1\r\n"
                                                 "dee@example.com,202.555.0199,2\r\n", FALSE, NULL);
  g_autoptr(PdPersona) ann = persona_of (f, "ann@example.com");
  g_autoptr(PdPersona) bob = persona_of (f, "bob@example.com");
  g_autoptr(PdPersona) cy = persona_of (f, "cy@example.com");
  g_autoptr(PdPersona) dee = persona_of (f, "dee@example.com");
  g_autofree char *owner = g_strdup_printf ("persona %" G_GINT64_FORMAT " (ann@example.com)",
                                            pd_persona_get_id (ann));
  GPtrArray *results = pd_import_job_get_row_results (second);
  PdImportRowResult *r;

  g_assert_cmpuint (pd_import_job_get_info (second)->imported, ==, 3);
  g_assert_cmpuint (pd_import_job_get_info (second)->updated, ==, 0);
  g_assert_cmpuint (pd_import_job_get_n_shared_phones (second), ==, 2);
  g_assert_cmpuint (pd_persona_get_emails (ann)->len, ==, 1);
  g_assert_cmpint (pd_persona_get_points (ann), ==, 10);
  g_assert_cmpuint (pd_persona_get_phones (bob)->len, ==, 0);
  g_assert_cmpint (pd_persona_get_points (bob), ==, 5);
  g_assert_cmpuint (pd_persona_get_phones (cy)->len, ==, 1);
  g_assert_cmpuint (pd_persona_get_phones (dee)->len, ==, 0);

  g_assert_cmpuint (results->len, ==, 2);
  r = g_ptr_array_index (results, 0);
  g_assert_cmpuint (r->row, ==, 2);
  g_assert_cmpint (r->outcome, ==, PD_IMPORT_OUTCOME_IMPORTED);
  g_assert_true (has_reason (r->reasons, owner));
  g_assert_true (has_reason (r->reasons, "+12025550143"));
  r = g_ptr_array_index (results, 1);
  g_assert_cmpuint (r->row, ==, 4);
  g_assert_true (has_reason (r->reasons, "(cy@example.com)"));
}

/* Analyze counts the rows that share a phone with another customer of
 * the file, and names an example. */
static void
test_household_phone_analyzed (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "household.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PdAnalyzer) analyzer = NULL;
  g_autoptr(PdAnalysis) analysis = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *warned;
  PdAnalysisRow *row;

  g_assert_true (g_file_set_contents (path, "Email,Phone\r\n"
                                            "ann@example.com,202-555-0143\r\n"
                                            "bob@example.com,(202) 555-0143\r\n"
                                            "ANN@example.com,202-555-0143\r\n"   /* ann again */
                                            ",202.555.0143\r\n", -1, NULL));       /* no email */
  analyzer = pd_analyzer_new (file, NULL);
  analysis = pd_analyzer_run (analyzer, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pd_analysis_get_shared_phones (analysis), ==, 1);
  warned = pd_analysis_get_warned_rows (analysis);
  row = g_ptr_array_index (warned, 0);
  g_assert_cmpuint (row->row, ==, 3);
  g_assert_nonnull (strstr (row->reasons[0], "also row 2's"));
  g_assert_true (pd_analysis_get_warnings (analysis)->len > 0);
  {
    gboolean named = FALSE;

    for (guint i = 0; i < pd_analysis_get_warnings (analysis)->len; i++)
      named = named || strstr (g_ptr_array_index (pd_analysis_get_warnings (analysis), i),
                               "row 3 shares row 2's") != NULL;
    g_assert_true (named);
  }
}

/* A malformed CSV quote is read as before, and the row is warned naming
 * the column. */
static void
test_stray_quote (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(PdImportJob) job = run_import (f, "Name,Last,Email\r\n"
                                              "Bob,\"O\"Brien\",bob@example.com\r\n"
                                              "Ann,Lee,ann@example.com\r\n"
                                              "Cy,O\"Hara,cy@example.com\r\n", FALSE, NULL);
  GPtrArray *results = pd_import_job_get_row_results (job);
  PdImportRowResult *r;

  g_assert_cmpuint (pd_import_job_get_info (job)->imported, ==, 3);
  g_assert_cmpuint (results->len, ==, 2);
  r = g_ptr_array_index (results, 0);
  g_assert_cmpuint (r->row, ==, 2);
  g_assert_true (has_reason (r->reasons, "Row 2, column “Last”: a stray quote"));
  g_assert_true (has_reason (r->reasons, "OBrien\""));
  r = g_ptr_array_index (results, 1);
  g_assert_cmpuint (r->row, ==, 4);
  g_assert_true (has_reason (r->reasons, "Row 4, column “Last”: a stray quote"));
}

/* --on-conflict merge: as before, the row joins the persona of its phone */
static void
test_household_phone_merged (Fixture       *f,
                             gconstpointer  data)
{
  PdImportOptions merge;
  g_autoptr(PdImportJob) first = run_import (f, "Email,Phone,Points\r\n"
                                                "ann@example.com,202-555-0143,10\r\n", FALSE, NULL);
  g_autoptr(PdImportJob) second = NULL;
  g_autoptr(PdPersona) ann = NULL;

  pd_import_options_init (&merge);
  merge.merge_shared_phones = TRUE;
  second = run_import (f, "Email,Phone,Points\r\nbob@example.com,(202) 555-0143,5\r\n", FALSE, &merge);
  ann = persona_of (f, "ann@example.com");
  g_assert_cmpuint (pd_import_job_get_info (second)->updated, ==, 1);
  g_assert_cmpuint (pd_import_job_get_n_shared_phones (second), ==, 0);
  g_assert_cmpuint (pd_persona_get_emails (ann)->len, ==, 2);
  g_assert_cmpint (pd_persona_get_points (ann), ==, 15);
}

static void
test_import_strict (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(PdImportJob) job = run_import (f, messy_file, TRUE, NULL);
  const PdImportInfo *info = pd_import_job_get_info (job);

  g_assert_cmpuint (info->imported, ==, 1);
  g_assert_cmpuint (info->failed, ==, 3);
  g_assert_cmpuint (pd_import_job_get_n_warning_rows (job), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/messy/left-out-with-warning", test_left_out_with_warning);
  g_test_add_func ("/messy/nothing-identifies", test_nothing_identifies);
  g_test_add_func ("/messy/strict", test_strict);
  g_test_add_func ("/messy/dates", test_dates);
  g_test_add_func ("/messy/dotted-column", test_dotted_column);
  g_test_add ("/messy/whole-column-decides", Fixture, NULL, fixture_set_up,
              test_whole_column_decides, fixture_tear_down);
  g_test_add ("/messy/ambiguous-column", Fixture, NULL, fixture_set_up,
              test_ambiguous_column, fixture_tear_down);
  g_test_add ("/messy/ambiguous-column-asked", Fixture, NULL, fixture_set_up,
              test_ambiguous_column_asked, fixture_tear_down);
  g_test_add_func ("/messy/phone-not-in-data", test_phone_not_in_data);
  g_test_add ("/messy/report-lists-warned-rows", Fixture, NULL, fixture_set_up,
              test_report_lists_warned_rows, fixture_tear_down);
  g_test_add ("/messy/household-phone", Fixture, NULL, fixture_set_up,
              test_household_phone, fixture_tear_down);
  g_test_add ("/messy/household-phone-analyzed", Fixture, NULL, fixture_set_up,
              test_household_phone_analyzed, fixture_tear_down);
  g_test_add ("/messy/stray-quote", Fixture, NULL, fixture_set_up,
              test_stray_quote, fixture_tear_down);
  g_test_add ("/messy/household-phone-merged", Fixture, NULL, fixture_set_up,
              test_household_phone_merged, fixture_tear_down);
  g_test_add ("/messy/import-strict", Fixture, NULL, fixture_set_up,
              test_import_strict, fixture_tear_down);

  return g_test_run ();
}
