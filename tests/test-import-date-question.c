/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "pd-import-assistant.h"
#include "pd-import-format.h"
#include "pd-mapping.h"
#include "pd-test-gui.h"
#include "pd-test-personas.h"

/* The Analyze step asks about a date column whose day/month order nothing
 * in the whole file decides (issue 20): the samples read both ways, a
 * choice that sets the column's date format, analyzes again without the
 * warnings, and is what the import reads.  The readings' wording is tested
 * without a display. */

#define WAIT_UNTIL(cond) PD_TEST_WAIT_UNTIL (cond, 60)

/* Every birth date reads both ways; the default region (US) reads them
 * month first. */
static const char ambiguous_csv[] =
  "Email,Birth Date\r\n"
  "ann@example.com,05/03/1990\r\n"
  "bob@example.com,11/04/1985\r\n"
  "cy@example.com,07/07/2000\r\n";

/* ---- pure logic ---- */

static void
test_readings (void)
{
  const char * const samples[] = { "05/03/1990", "11/04/1985", "not a date", NULL };
  g_autofree char *day = pd_import_format_date_reading ("05/03/1990", PD_DATE_ORDER_DMY);
  g_autofree char *month = pd_import_format_date_reading ("05/03/1990", PD_DATE_ORDER_MDY);
  g_autofree char *both = pd_import_format_date_readings (samples, PD_DATE_ORDER_DMY);

  g_assert_cmpstr (day, ==, "5 March 1990");
  g_assert_cmpstr (month, ==, "May 3, 1990");
  g_assert_null (pd_import_format_date_reading ("13/25/1990", PD_DATE_ORDER_DMY));
  /* what does not read as a date is left out */
  g_assert_cmpstr (both, ==, "05/03/1990 = 5 March 1990, 11/04/1985 = 11 April 1985");
}

/* ---- the assistant ---- */

typedef struct {
  char              *dir;
  PdStore           *store;
  PdImportAssistant *assistant;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->store = pd_test_store_new (&f->dir);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->assistant != NULL)
    gtk_window_destroy (GTK_WINDOW (f->assistant));
  g_clear_object (&f->assistant);
  g_clear_object (&f->store);
  pd_test_remove_dir (f->dir);
}

static char *
birth_date_of (Fixture    *f,
               const char *email)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPersona) persona = NULL;
  gint64 id = pd_store_find_persona (f->store, PD_FIELD_EMAIL, email, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  persona = pd_store_get_persona (f->store, id, &error);
  g_assert_no_error (error);
  return g_strdup (pd_persona_get_value (persona, PD_FIELD_BIRTH_DATE));
}

static void
test_date_question (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "birthdays.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *ann = NULL, *bob = NULL;
  PdImportAnalyzePage *analyze;
  PdImportDateQuestion *question;
  PdImportProgressPage *progress;
  PdMapping *mapping;
  PdAnalysis *analysis;
  const char *subtitle;
  int column;

  if (!pd_test_has_display ())
    {
      g_test_skip ("no display: run under xvfb-run (make test does)");
      return;
    }

  g_assert_true (g_file_set_contents (path, ambiguous_csv, -1, NULL));
  f->assistant = g_object_ref_sink (pd_import_assistant_new (NULL, f->store));
  gtk_window_present (GTK_WINDOW (f->assistant));
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (f->assistant)));
  pd_import_assistant_open_file (f->assistant, file);
  WAIT_UNTIL (pd_import_assistant_get_step (f->assistant) == PD_IMPORT_STEP_MAP);
  mapping = pd_import_map_page_get_mapping (pd_import_assistant_get_map_page (f->assistant));
  column = pd_mapping_find_column (mapping, "Birth Date");
  g_assert_cmpint (column, ==, 1);
  g_assert_null (pd_mapping_get_date_format (mapping, column));
  pd_import_assistant_next (f->assistant);
  pd_import_options_page_set_terms_accepted (pd_import_assistant_get_options_page (f->assistant), TRUE);
  pd_import_assistant_next (f->assistant);
  analyze = pd_import_assistant_get_analyze_page (f->assistant);
  WAIT_UNTIL (pd_import_assistant_can_go_next (f->assistant));

  /* asked, with the samples read both ways; read month first until then,
   * every row that reads two ways warned (07/07 does not) */
  analysis = pd_import_analyze_page_get_analysis (analyze);
  g_assert_cmpuint (pd_analysis_get_warned (analysis), ==, 2);
  question = pd_import_analyze_page_get_date_question (analyze, column);
  g_assert_nonnull (question);
  g_assert_true (gtk_widget_is_drawable (GTK_WIDGET (question)));
  g_assert_cmpint (pd_import_date_question_get_chosen (question), ==, PD_DATE_ORDER_UNKNOWN);
  subtitle = adw_action_row_get_subtitle (pd_import_date_question_get_row (question, PD_DATE_ORDER_DMY));
  g_assert_nonnull (strstr (subtitle, "05/03/1990 = 5 March 1990"));
  g_assert_nonnull (strstr (subtitle, "11/04/1985 = 11 April 1985"));
  subtitle = adw_action_row_get_subtitle (pd_import_date_question_get_row (question, PD_DATE_ORDER_MDY));
  g_assert_nonnull (strstr (subtitle, "05/03/1990 = May 3, 1990"));

  /* "Day first", as a click does: the column's format, analyzed again */
  g_assert_true (gtk_widget_activate (GTK_WIDGET (pd_import_date_question_get_row (question, PD_DATE_ORDER_DMY))));
  g_assert_false (pd_import_assistant_can_go_next (f->assistant));
  g_assert_cmpstr (pd_mapping_get_date_format (mapping, column), ==, "DD/MM/YYYY");
  WAIT_UNTIL (pd_import_assistant_can_go_next (f->assistant));
  analysis = pd_import_analyze_page_get_analysis (analyze);
  g_assert_cmpuint (pd_analysis_get_warned (analysis), ==, 0);
  g_assert_cmpuint (pd_analysis_get_date_questions (analysis)->len, ==, 0);
  g_assert_cmpuint (pd_analysis_get_valid (analysis), ==, 3);
  /* the question stays, answered, and can still be changed */
  question = pd_import_analyze_page_get_date_question (analyze, column);
  g_assert_nonnull (question);
  g_assert_cmpint (pd_import_date_question_get_chosen (question), ==, PD_DATE_ORDER_DMY);

  pd_import_assistant_next (f->assistant);
  progress = pd_import_assistant_get_progress_page (f->assistant);
  WAIT_UNTIL (!pd_import_progress_page_is_running (progress));
  g_assert_true (pd_import_progress_page_get_succeeded (progress));
  g_assert_cmpuint (pd_import_job_get_info (pd_import_progress_page_get_job (progress))->imported, ==, 3);
  ann = birth_date_of (f, "ann@example.com");
  bob = birth_date_of (f, "bob@example.com");
  g_assert_cmpstr (ann, ==, "1990-03-05");
  g_assert_cmpstr (bob, ==, "1985-04-11");
}

int
main (int   argc,
      char *argv[])
{
  /* the readings' month names are the C locale's */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_test_init (&argc, &argv, NULL);
  if (pd_test_has_display ())
    adw_init ();

  g_test_add_func ("/import-date-question/readings", test_readings);
  g_test_add ("/import-date-question/ask", Fixture, NULL,
              fixture_setup, test_date_question, fixture_teardown);
  return g_test_run ();
}
