/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pd-analyzer.h"
#include "pd-error.h"

static char *tmp_dir;

static GFile *
write_fixture (const char *name,
               const char *contents,
               gssize      len)
{
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, len, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

static PdAnalysis *
analyze (GFile                 *file,
         const PdSourceOptions *options,
         GError               **error)
{
  g_autoptr(PdAnalyzer) analyzer = pd_analyzer_new (file, options);

  return pd_analyzer_run (analyzer, NULL, error);
}

static PdAnalysisRow *
failed_row (PdAnalysis *analysis,
            guint       i)
{
  GPtrArray *rows = pd_analysis_get_failed_rows (analysis);

  g_assert_cmpuint (i, <, rows->len);
  return g_ptr_array_index (rows, i);
}

static gboolean
strv_contains_substring (char       **strv,
                         const char  *needle)
{
  for (guint i = 0; strv[i] != NULL; i++)
    if (strstr (strv[i], needle) != NULL)
      return TRUE;
  return FALSE;
}

static gboolean
array_contains_substring (GPtrArray  *array,
                          const char *needle)
{
  for (guint i = 0; i < array->len; i++)
    if (strstr (g_ptr_array_index (array, i), needle) != NULL)
      return TRUE;
  return FALSE;
}

static void
test_analyzer_counts (void)
{
  g_autoptr(GFile) file = write_fixture ("counts.csv",
    "First Name,Last Name,Email,Phone,Points,Veteran\r\n"          /* 1 */
    "Ann,Lee,ann@example.com,(202) 555-0143,10,Yes\r\n"            /* 2 */
    "Bob,Ray,bob@,202-555-0144,5,No\r\n"                            /* 3: bad email */
    ",,,,,\r\n"                                                     /* 4: blank */
    "Cy,Oh,CY@example.com,12345,x,\r\n"                             /* 5: bad phone + points */
    "Ann,Lee,Ann@Example.com,,3,\r\n"                               /* 6: dup of 2 by email */
    "Dee,Ng,,+1 202.555.0143,1,\r\n"                                /* 7: dup of 2 by phone */
    "Eve,Ko,,,,\r\n", -1);                                          /* 8: no identifier */
  g_autoptr(GError) error = NULL;
  g_autoptr(PdAnalysis) analysis = analyze (file, NULL, &error);
  g_autoptr(JsonNode) json = NULL;
  GPtrArray *warnings;
  PdMapping *mapping;

  g_assert_no_error (error);
  g_assert_cmpuint (pd_analysis_get_total (analysis), ==, 6);
  g_assert_null (failed_row (analysis, 0)->source);
  /* Rows 3 and 5 keep their customer by the identifier that is valid;
   * what can't be read is left out with a warning.  Only row 8, with
   * nothing that identifies a customer, fails. */
  g_assert_cmpuint (pd_analysis_get_valid (analysis), ==, 5);
  g_assert_cmpuint (pd_analysis_get_failed (analysis), ==, 1);
  g_assert_cmpuint (pd_analysis_get_duplicates (analysis), ==, 2);
  g_assert_cmpuint (pd_analysis_get_warned (analysis), ==, 4);

  g_assert_cmpuint (failed_row (analysis, 0)->row, ==, 8);

  /* The left-out values and the duplicates are warnings on the rows, not
   * failures. */
  {
    GPtrArray *warned = pd_analysis_get_warned_rows (analysis);
    PdAnalysisRow *bob = g_ptr_array_index (warned, 0);
    PdAnalysisRow *cy = g_ptr_array_index (warned, 1);
    PdAnalysisRow *first = g_ptr_array_index (warned, 2);
    PdAnalysisRow *second = g_ptr_array_index (warned, 3);

    g_assert_cmpuint (bob->row, ==, 3);
    g_assert_true (strv_contains_substring (bob->reasons, "Row 3, column “Email”"));
    g_assert_true (strv_contains_substring (bob->reasons, "left out"));
    g_assert_cmpuint (cy->row, ==, 5);
    g_assert_cmpuint (g_strv_length (cy->reasons), ==, 2);
    g_assert_true (strv_contains_substring (cy->reasons, "column “Phone”"));
    g_assert_true (strv_contains_substring (cy->reasons, "column “Points”"));
    g_assert_cmpuint (first->row, ==, 6);
    g_assert_true (strv_contains_substring (first->reasons, "duplicate of row 2"));
    g_assert_cmpuint (second->row, ==, 7);
    g_assert_true (strv_contains_substring (second->reasons, "duplicate of row 2"));
  }
  warnings = pd_analysis_get_warnings (analysis);
  g_assert_true (array_contains_substring (warnings, "row 6 repeats row 2"));

  mapping = pd_analysis_get_mapping (analysis);
  g_assert_cmpint (pd_mapping_get_field (mapping, 5), ==, PD_FIELD_NONE);

  /* The streamed JSON is the tree's JSON. */
  {
    g_autoptr(JsonNode) tree = pd_analysis_to_json (analysis);
    g_autoptr(JsonNode) streamed = NULL;
    g_autofree char *text = NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream (&buf, &len);

    g_assert_true (pd_analysis_write_json (analysis, mem));
    fclose (mem);
    streamed = json_from_string (buf, &error);
    g_assert_no_error (error);
    g_assert_true (json_node_equal (tree, streamed));
    free (buf);
  }

  json = pd_analysis_to_json (analysis);
  {
    JsonObject *o = json_node_get_object (json);
    JsonObject *m = json_object_get_object_member (o, "mapping");
    JsonArray *rows = json_object_get_array_member (o, "rows");

    g_assert_cmpint (json_object_get_int_member (o, "total"), ==, 6);
    g_assert_cmpint (json_object_get_int_member (o, "valid"), ==, 5);
    g_assert_cmpint (json_object_get_int_member (o, "failed"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (o, "warned"), ==, 4);
    g_assert_cmpstr (json_object_get_string_member (m, "Email"), ==, "email");
    g_assert_true (json_object_get_null_member (m, "Veteran"));
    g_assert_cmpuint (json_array_get_length (rows), ==, 1);
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (rows, 0), "row"), ==, 8);
    rows = json_object_get_array_member (o, "warned_rows");
    g_assert_cmpuint (json_array_get_length (rows), ==, 4);
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (rows, 1), "row"), ==, 5);
    g_assert_nonnull (json_object_get_array_member (o, "warnings"));
  }
}

/* Two title rows: the header is row 3; a quoted cell spanning lines is one
 * record, so row numbers stay those a spreadsheet shows. */
static void
test_analyzer_row_numbers (void)
{
  g_autoptr(GFile) file = write_fixture ("titled.csv",
    "Customer export\r\n"                                       /* 1 */
    "Generated 2024-05-01\r\n"                                  /* 2 */
    "Email,City\r\n"                                            /* 3 */
    "a@example.com,\"Two\nlines\"\r\n"                          /* 4 */
    "bad@,Denver\r\n"                                           /* 5 */
    "\r\n"                                                      /* 6: blank */
    "worse@@example.com,Austin\r\n", -1);                      /* 7 */
  PdSourceOptions options = { .skip_rows = 2 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PdAnalyzer) analyzer = pd_analyzer_new (file, &options);
  g_autoptr(PdAnalysis) analysis = NULL;

  pd_analyzer_set_keep_sources (analyzer, TRUE);
  analysis = pd_analyzer_run (analyzer, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (pd_analysis_get_total (analysis), ==, 3);
  g_assert_cmpuint (pd_analysis_get_failed (analysis), ==, 2);
  g_assert_cmpuint (failed_row (analysis, 0)->row, ==, 5);
  g_assert_true (strv_contains_substring (failed_row (analysis, 0)->reasons, "Row 5, column “Email”"));
  g_assert_nonnull (failed_row (analysis, 0)->source);
  g_assert_cmpstr (pd_row_get_cell (failed_row (analysis, 0)->source, 1), ==, "Denver");
  g_assert_cmpuint (failed_row (analysis, 1)->row, ==, 7);

  /* A file without a row of column names is refused for that, not only
   * for mapping no identifier: by the email in its first row, or the
   * phone number (as written, valid or not). */
  {
    g_autoptr(GFile) bare = write_fixture ("bare.csv", "Ann,Lee,ann@example.com\r\nBob,Ray,bob@example.com\r\n", -1);
    g_autoptr(GFile) phones = write_fixture ("phones.csv", "Ann,(202) 555-0101\r\n", -1);
    g_autoptr(GFile) names = write_fixture ("names.csv", "Ann,Lee\r\n", -1);
    g_autoptr(PdAnalysis) none = analyze (bare, NULL, &error);

    g_assert_null (none);
    g_assert_error (error, PD_ERROR, PD_ERROR_NO_HEADER);
    g_assert_nonnull (strstr (error->message, "bare.csv"));
    g_assert_nonnull (strstr (error->message, "“ann@example.com”, an email address"));
    g_clear_error (&error);
    g_assert_null (analyze (phones, NULL, &error));
    g_assert_error (error, PD_ERROR, PD_ERROR_NO_HEADER);
    g_assert_nonnull (strstr (error->message, "“(202) 555-0101”, a phone number"));
    g_clear_error (&error);
    /* nothing that says "customer": the plain refusal */
    g_assert_null (analyze (names, NULL, &error));
    g_assert_error (error, PD_ERROR, PD_ERROR_NO_IDENTIFIER);
    g_clear_error (&error);
  }

  /* Without skipping, the title is the header and nothing identifies. */
  {
    g_autoptr(PdAnalysis) none = analyze (file, NULL, &error);

    g_assert_null (none);
    g_assert_error (error, PD_ERROR, PD_ERROR_NO_IDENTIFIER);
    g_assert_nonnull (strstr (error->message, "titled.csv"));
  }
}

static void
test_analyzer_overrides (void)
{
  g_autoptr(GFile) file = write_fixture ("overrides.csv",
    "Contact,Mail,Vet\r\n"
    "(202) 555-0143,not-an-email,Yes\r\n", -1);
  const char *map[] = { "Contact=phone", "Vet=attribute:Veteran", NULL };
  const char *ignore[] = { "Mail", NULL };
  PdSourceOptions options = { .map = map, .ignore = ignore };
  g_autoptr(GError) error = NULL;
  g_autoptr(PdAnalysis) analysis = analyze (file, &options, &error);
  PdMapping *mapping;

  g_assert_no_error (error);
  g_assert_cmpuint (pd_analysis_get_valid (analysis), ==, 1);
  mapping = pd_analysis_get_mapping (analysis);
  g_assert_cmpint (pd_mapping_get_field (mapping, 0), ==, PD_FIELD_PHONE);
  g_assert_true (pd_mapping_is_ignored (mapping, 1));
  g_assert_cmpstr (pd_mapping_get_attribute_name (mapping, 2), ==, "Veteran");

  /* Two columns on one field of one value: refused, naming both (a
   * field of several values, email or phone, takes both). */
  {
    const char *twice[] = { "Contact=city", "Mail=city", NULL };
    PdSourceOptions bad = { .map = twice };
    g_autoptr(PdAnalysis) none = analyze (file, &bad, &error);

    g_assert_null (none);
    g_assert_error (error, PD_ERROR, PD_ERROR_MAPPING);
    g_assert_nonnull (strstr (error->message, "“Contact”"));
    g_assert_nonnull (strstr (error->message, "“Mail”"));
    g_clear_error (&error);
  }
  /* A header that is not there. */
  {
    const char *missing[] = { "Nope=email", NULL };
    PdSourceOptions bad = { .map = missing };
    g_autoptr(PdAnalysis) none = analyze (file, &bad, &error);

    g_assert_null (none);
    g_assert_error (error, PD_ERROR, PD_ERROR_MAPPING);
    g_assert_nonnull (strstr (error->message, "Nope"));
  }
}

static void
test_analyzer_refused (void)
{
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(GFile) file = write_fixture ("empty.csv", "", 0);
    g_autoptr(PdAnalysis) none = analyze (file, NULL, &error);

    g_assert_null (none);
    g_assert_error (error, PD_ERROR, PD_ERROR_EMPTY);
    g_assert_nonnull (strstr (error->message, "empty.csv"));
    g_clear_error (&error);
  }
  {
    g_autoptr(GFile) file = write_fixture ("people.pdf", "%PDF-1.4", -1);
    g_autoptr(PdAnalysis) none = analyze (file, NULL, &error);

    g_assert_null (none);
    g_assert_error (error, PD_ERROR, PD_ERROR_UNSUPPORTED_FORMAT);
    g_clear_error (&error);
  }
  {
    g_autoptr(GFile) file = write_fixture ("names.csv", "First Name,City\r\nAnn,Oslo\r\n", -1);
    g_autoptr(PdAnalysis) none = analyze (file, NULL, &error);

    g_assert_null (none);
    g_assert_error (error, PD_ERROR, PD_ERROR_NO_IDENTIFIER);
    g_clear_error (&error);
  }
}

/* Many batches: order kept across threads, duplicates found across
 * batches, counts exact. */
static GFile *
write_big (guint n_rows)
{
  GString *s = g_string_new ("Email,Phone,Points,Birth Date\r\n");
  g_autoptr(GFile) file = NULL;

  for (guint i = 0; i < n_rows; i++)
    {
      guint row = i + 2;

      if (row % 1000 == 0)
        g_string_append_printf (s, "broken%u@,,1,\r\n", row);
      else if (row % 777 == 0)
        g_string_append_printf (s, "USER%u@example.com,,2,\r\n", row / 2);  /* dup of an earlier row */
      else if (row < 10000)
        g_string_append_printf (s, "user%u@example.com,(202) 555-%04u,%d,%02u/%02u/1990\r\n",
                                row, row, (int) (row % 50) - 25, row % 12 + 1, row % 28 + 1);
      else
        g_string_append_printf (s, "user%u@example.com,,%d,%02u/%02u/1990\r\n",
                                row, (int) (row % 50) - 25, row % 12 + 1, row % 28 + 1);
    }
  file = write_fixture ("big.csv", s->str, s->len);
  g_string_free (s, TRUE);
  return g_steal_pointer (&file);
}

static void
test_analyzer_big (void)
{
  guint n_rows = 30000;
  g_autoptr(GFile) file = write_big (n_rows);
  guint expected_failed = 0, expected_dups = 0;
  GPtrArray *rows;
  g_autoptr(GError) error = NULL;

  for (guint threads = 1; threads <= 3; threads++)
    {
      PdSourceOptions options = { .n_threads = threads };
      g_autoptr(PdAnalysis) analysis = analyze (file, &options, &error);

      g_assert_no_error (error);
      expected_failed = 0;
      expected_dups = 0;
      for (guint row = 2; row < n_rows + 2; row++)
        {
          if (row % 1000 == 0)
            expected_failed++;
          else if (row % 777 == 0 && (row / 2) % 1000 != 0 && (row / 2) % 777 != 0)
            expected_dups++;   /* repeats row / 2, when that one is plain */
        }
      g_assert_cmpuint (pd_analysis_get_total (analysis), ==, n_rows);
      g_assert_cmpuint (pd_analysis_get_failed (analysis), ==, expected_failed);
      g_assert_cmpuint (pd_analysis_get_valid (analysis), ==, n_rows - expected_failed);
      g_assert_cmpuint (pd_analysis_get_duplicates (analysis), ==, expected_dups);

      rows = pd_analysis_get_failed_rows (analysis);
      for (guint i = 0; i < rows->len; i++)
        g_assert_cmpuint (((PdAnalysisRow *) rows->pdata[i])->row, ==, (i + 1) * 1000);
      /* 2/13/1990 decides month-first: no ambiguity warning. */
      g_assert_false (array_contains_substring (pd_analysis_get_warnings (analysis), "Birth Date"));
    }
}

static char *
json_text (PdAnalysis *analysis)
{
  char *text = NULL;
  size_t len = 0;
  FILE *mem = open_memstream (&text, &len);

  g_assert_nonnull (mem);
  g_assert_true (pd_analysis_write_json (analysis, mem));
  fclose (mem);
  return text;
}

static gboolean
collect_row (const PdAnalysisRow *row,
             gpointer             user_data)
{
  GString *out = user_data;

  g_string_append_printf (out, "%u:", row->row);
  for (guint r = 0; row->reasons[r] != NULL; r++)
    g_string_append_printf (out, "%s|", row->reasons[r]);
  g_string_append_c (out, '\n');
  return TRUE;
}

/* Spooling the failed rows to a temporary file changes where they are
 * kept, never what comes out: the same rows, reasons and JSON. */
static void
test_analyzer_spool (void)
{
  g_autoptr(GFile) file = write_big (30000);
  g_autoptr(PdAnalyzer) kept_analyzer = pd_analyzer_new (file, NULL);
  g_autoptr(PdAnalyzer) spool_analyzer = pd_analyzer_new (file, NULL);
  g_autoptr(PdAnalysis) kept = NULL;
  g_autoptr(PdAnalysis) spooled = NULL;
  g_autoptr(GString) kept_rows = g_string_new (NULL);
  g_autoptr(GString) spooled_rows = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *kept_json = NULL;
  g_autofree char *spooled_json = NULL;

  kept = pd_analyzer_run (kept_analyzer, NULL, &error);
  g_assert_no_error (error);
  pd_analyzer_set_spool_failed_rows (spool_analyzer, TRUE);
  spooled = pd_analyzer_run (spool_analyzer, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (pd_analysis_get_failed (kept), ==, 30);
  g_assert_cmpuint (pd_analysis_get_failed (spooled), ==, 30);
  g_assert_cmpuint (pd_analysis_get_failed_rows (kept)->len, ==, 30);
  g_assert_cmpuint (pd_analysis_get_failed_rows (spooled)->len, ==, 0);

  g_assert_true (pd_analysis_foreach_failed_row (kept, collect_row, kept_rows, &error));
  g_assert_no_error (error);
  g_assert_true (pd_analysis_foreach_failed_row (spooled, collect_row, spooled_rows, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (spooled_rows->str, ==, kept_rows->str);
  g_assert_true (g_str_has_prefix (spooled_rows->str, "1000:Row 1000, column"));

  /* Twice: reading the spool back does not use it up. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(JsonNode) kept_tree = pd_analysis_to_json (kept);
      g_autoptr(JsonNode) spooled_tree = pd_analysis_to_json (spooled);

      g_clear_pointer (&kept_json, g_free);
      g_clear_pointer (&spooled_json, g_free);
      kept_json = json_text (kept);
      spooled_json = json_text (spooled);
      g_assert_cmpstr (spooled_json, ==, kept_json);
      g_assert_true (json_node_equal (spooled_tree, kept_tree));
    }
}

static void
cancel_on_progress (guint    rows,
                    guint64  position,
                    guint64  size,
                    gpointer user_data)
{
  g_cancellable_cancel (user_data);
}

static void
test_analyzer_cancel (void)
{
  g_autoptr(GFile) file = write_big (40000);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(PdAnalyzer) analyzer = pd_analyzer_new (file, NULL);
  g_autoptr(PdAnalysis) analysis = NULL;
  g_autoptr(GError) error = NULL;

  pd_analyzer_set_progress_func (analyzer, cancel_on_progress, cancellable, NULL);
  analysis = pd_analyzer_run (analyzer, cancellable, &error);
  g_assert_null (analysis);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* Cancelled before it starts. */
  analysis = pd_analyzer_run (analyzer, cancellable, &error);
  g_assert_null (analysis);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

typedef struct {
  GMainLoop  *loop;
  PdAnalysis *analysis;
  GError     *error;
  guint       progress_calls;
  guint       last_rows;
  GThread    *main_thread;
} AsyncData;

static void
count_progress (guint    rows,
                guint64  position,
                guint64  size,
                gpointer user_data)
{
  AsyncData *data = user_data;

  /* Progress comes to the caller's main context, not the worker. */
  g_assert_true (g_thread_self () == data->main_thread);
  g_assert_cmpuint (rows, >=, data->last_rows);
  g_assert_cmpuint (position, <=, size);
  data->last_rows = rows;
  data->progress_calls++;
}

static void
on_analyzed (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  AsyncData *data = user_data;

  data->analysis = pd_analyzer_run_finish (PD_ANALYZER (object), result, &data->error);
  g_main_loop_quit (data->loop);
}

static void
test_analyzer_async (void)
{
  g_autoptr(GFile) file = write_big (20000);
  g_autoptr(PdAnalyzer) analyzer = pd_analyzer_new (file, NULL);
  AsyncData data = { g_main_loop_new (NULL, FALSE), NULL, NULL, 0, 0, g_thread_self () };

  pd_analyzer_set_progress_func (analyzer, count_progress, &data, NULL);
  pd_analyzer_run_async (analyzer, NULL, on_analyzed, &data);
  g_main_loop_run (data.loop);

  g_assert_no_error (data.error);
  g_assert_nonnull (data.analysis);
  g_assert_cmpuint (pd_analysis_get_total (data.analysis), ==, 20000);

  /* Queued progress calls run before the loop is done with them. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (data.progress_calls, >=, 1);
  g_assert_cmpuint (data.last_rows, ==, 20000);

  g_object_unref (data.analysis);
  g_main_loop_unref (data.loop);
}

/* The generator's headers: every column but Veteran maps; its customer
 * types are not medical/recreational and are reported once, not per row. */
static void
test_analyzer_generator_shape (void)
{
  g_autoptr(GFile) file = write_fixture ("gen.csv",
    "First Name,Last Name,Email,Phone,City,Points,Opt-in SMS,Explicit SMS Opt-out,"
    "Customer Type,Birth Date,Veteran\r\n"
    "José,García,Jose.Garcia1@Gmail.Com,(202) 555-0143,\"San José, CA\",+12,yes,,Retail,02/13/1990,Y\r\n"
    "Zoë,Müller, zoe2@example.com,1-202-555-0144,Denver,-5,FALSE,TRUE,VIP ,1985-07-04,\r\n"
    "Ann,Lee,ann3@example.com,2025550145,Austin,0,Y,N,recreational,,No\r\n", -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdAnalysis) analysis = analyze (file, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (pd_analysis_get_total (analysis), ==, 3);
  g_assert_cmpuint (pd_analysis_get_valid (analysis), ==, 3);
  g_assert_true (array_contains_substring (pd_analysis_get_warnings (analysis),
                                           "Column “Customer Type”: 2 values"));
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("pd-analyzer-XXXXXX", NULL);

  g_test_add_func ("/analyzer/counts", test_analyzer_counts);
  g_test_add_func ("/analyzer/row-numbers", test_analyzer_row_numbers);
  g_test_add_func ("/analyzer/overrides", test_analyzer_overrides);
  g_test_add_func ("/analyzer/refused", test_analyzer_refused);
  g_test_add_func ("/analyzer/big", test_analyzer_big);
  g_test_add_func ("/analyzer/spool", test_analyzer_spool);
  g_test_add_func ("/analyzer/cancel", test_analyzer_cancel);
  g_test_add_func ("/analyzer/async", test_analyzer_async);
  g_test_add_func ("/analyzer/generator-shape", test_analyzer_generator_shape);
  ret = g_test_run ();

  {
    g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
        g_unlink (path);
      }
    g_rmdir (tmp_dir);
  }
  g_free (tmp_dir);
  return ret;
}
