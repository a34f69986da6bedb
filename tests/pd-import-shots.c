/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <xlsxwriter.h>
#include <locale.h>
#include <stdlib.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "pd-import-assistant.h"
#include "pd-import-headers-window.h"
#include "pd-import-history.h"
#include "pd-import-same-file-group.h"
#include "pd-test-shots.h"
#include "pd-test-personas.h"

/* Screenshots of the import assistant's pages and of the history with
 * three imports, for review:
 *
 *   pd-import-shots [OUT_DIR]        (default /tmp/pd-shots)
 *
 * Real files, a real temporary database (a few hundred personas, so that
 * rows match), the real widgets.  Run under xvfb-run; without a display it
 * exits 77 (skipped). */

static const char customers_csv[] =
  "First Name,Last Name,E-mail Address,Mobile Phone,Points,Birthday,Outlet,Tags\r\n"
  "Ada,Lovelace,ada@example.com,(202) 555-0143,120,12/10/1985,Downtown,vip;newsletter\r\n"
  "Alan,Turing,alan@example.com,+1 202.555.0144,35,23/06/1990,Uptown,\r\n"
  /* nothing identifies her (an email without its domain's end, a phone too
   * short): the row that fails, opened for correction */
  "Grace,Hopper,grace@example,555-0145,0,09/12/1986,Downtown,newsletter\r\n"
  "Katherine,Johnson,p1@example.com,202 555 0146,50,26/08/1988,Harbor,\r\n"
  "Edsger,Dijkstra,edsger@example.com,12345,10,11/05/1990,Uptown,\r\n"
  "Barbara,Liskov,barbara@example.com,202 555 0148,75,07/11/1979,Harbor,vip\r\n"
  "Donald,Knuth,p2@example.com,202 555 0149,5,10/01/1988,Downtown,\r\n"
  "Margaret,Hamilton,margaret@example.com,202 555 0150,15,17/08/1986,Harbor,\r\n"
  /* issue 20: a household phone (Ada's), a month-name date, a number the
   * 2022 phone data does not know, an extension */
  "Charles,Babbage,charles@example.com,(202) 555-0143,5,March 5 1991,Uptown,\r\n"
  "Mary,Somerville,mary@example.com,645-284-3358,8,N/A,Harbor,\r\n"
  "Ida,Rhodes,ida@example.com,786-284-3358x62152,3,31/31/1990,Downtown,\r\n";

/* Generous: the machine that makes them may be busy with other work. */
#define WAIT_UNTIL(cond) WAIT_UNTIL_FOR (cond, 300)
#define WAIT_UNTIL_FOR(cond, seconds)                                      \
  G_STMT_START {                                                           \
    gint64 end_ = g_get_monotonic_time () + (seconds) * G_USEC_PER_SEC;    \
    while (!(cond) && g_get_monotonic_time () < end_)                      \
      g_main_context_iteration (NULL, FALSE);                              \
    if (!(cond))                                                           \
      g_error ("timed out waiting for %s", #cond);                         \
  } G_STMT_END

/* The Analyze page's failed rows and warnings are below its counts. */
static void
scroll_to_end (GtkWidget *page)
{
  GtkWidget *child = gtk_widget_get_first_child (page);
  GtkAdjustment *adjustment;

  while (child != NULL && !GTK_IS_SCROLLED_WINDOW (child))
    child = gtk_widget_get_first_child (child);
  if (child == NULL)
    return;
  pd_test_spin (300);  /* the opened row's editors get their size */
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (child));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
}

static char *
write_file (const char *dir,
            const char *name,
            const char *text,
            gssize      len)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  if (!g_file_set_contents (path, text, len, &error))
    g_error ("%s", error->message);
  return path;
}

static char *
write_big_file (const char *dir,
                guint       rows)
{
  g_autoptr(GString) text = g_string_new ("Email,Phone,First Name,Last Name,City\n");

  for (guint i = 0; i < rows; i++)
    g_string_append_printf (text, "walkin%u@example.org,+1 303 %03u %04u,Walk,In%u,Denver\n",
                            i, 200 + i / 10000 % 800, i % 10000, i);
  return write_file (dir, "walk-ins.csv", text->str, text->len);
}

static PdImportAssistant *
new_assistant (PdStore *store)
{
  PdImportAssistant *assistant = pd_import_assistant_new (NULL, store);
  /* PD_SHOTS_WIDTH: the assistant at another width (narrow windows). */
  const char *width = g_getenv ("PD_SHOTS_WIDTH");

  gtk_window_set_default_size (GTK_WINDOW (assistant), width ? atoi (width) : 860, 720);
  gtk_window_present (GTK_WINDOW (assistant));
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (assistant)));
  return assistant;
}

int
main (int   argc,
      char *argv[])
{
  const char *out = argc > 1 ? argv[1] : "/tmp/pd-shots";
  g_autofree char *dir = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *big = NULL;
  g_autofree char *pdf = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  PdImportAssistant *assistant;
  PdImportMapPage *map;
  PdImportOptionsPage *options;
  PdImportAnalyzePage *analyze;
  PdImportProgressPage *progress;

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_printerr ("pd-import-shots: no display; run under xvfb-run\n");
      return 77;
    }
  setlocale (LC_ALL, "");
  /* This build tree's translations, so that a language can be looked at
   * before installing: LANGUAGE=de (with a de_DE locale for its dates and
   * numbers) shows the German window. */
  bindtextdomain (GETTEXT_PACKAGE, PD_BUILD_ROOT "/po");
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  adw_init ();
  /* What AdwApplication loads from the resource base path in the app. */
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, "/org/personadesk/PersonaDesk/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }
  g_mkdir_with_parents (out, 0755);

  store = pd_test_store_new (&dir);
  if (!pd_test_seed (store, 0, 300, &error))
    g_error ("%s", error->message);
  csv = write_file (dir, "spring-customers.csv", customers_csv, -1);
  pdf = write_file (dir, "scan.pdf", "%PDF-1.4\n", -1);

  /* 1. File step, empty and refusing */
  assistant = new_assistant (store);
  pd_test_shoot (GTK_WIDGET (assistant), out, "import-1-file.png", 300);
  file = g_file_new_for_path (pdf);
  pd_import_assistant_open_file (assistant, file);
  pd_test_shoot (GTK_WIDGET (assistant), out, "import-1-file-refused.png", 300);
  g_clear_object (&file);

  /* A workbook with two sheets: which one? */
  {
    g_autofree char *xlsx = g_build_filename (dir, "export.xlsx", NULL);
    lxw_workbook *book = workbook_new (xlsx);
    lxw_worksheet *stores = workbook_add_worksheet (book, "Stores");
    lxw_worksheet *people = workbook_add_worksheet (book, "Customers 2025");

    worksheet_write_string (stores, 0, 0, "Store", NULL);
    worksheet_write_string (stores, 1, 0, "Downtown", NULL);
    worksheet_write_string (people, 0, 0, "Email", NULL);
    worksheet_write_string (people, 1, 0, "ann@example.com", NULL);
    workbook_close (book);
    file = g_file_new_for_path (xlsx);
    pd_import_assistant_open_file (assistant, file);
    WAIT_UNTIL (!pd_import_file_page_is_loading (pd_import_assistant_get_file_page (assistant)));
    pd_test_shoot (GTK_WIDGET (assistant), out, "import-1-file-sheets.png", 300);
    g_clear_object (&file);
  }

  /* 2. Map columns: auto-mapped, one left to choose, one conflict shown */
  file = g_file_new_for_path (csv);
  pd_import_assistant_open_file (assistant, file);
  WAIT_UNTIL (pd_import_assistant_get_step (assistant) == PD_IMPORT_STEP_MAP);
  map = pd_import_assistant_get_map_page (assistant);
  pd_test_shoot (GTK_WIDGET (assistant), out, "import-2-map.png", 500);
  pd_import_column_row_choose_field (pd_import_map_page_get_row (map, 7), "city");
  pd_import_column_row_choose_field (pd_import_map_page_get_row (map, 6), "city");
  pd_test_shoot (GTK_WIDGET (assistant), out, "import-2-map-conflict.png", 300);
  pd_import_column_row_choose_field (pd_import_map_page_get_row (map, 7), "tags");
  pd_import_column_row_choose_field (pd_import_map_page_get_row (map, 6), "favorite_store");

  /* 3. Options */
  pd_import_assistant_next (assistant);
  options = pd_import_assistant_get_options_page (assistant);
  pd_test_shoot (GTK_WIDGET (assistant), out, "import-3-options.png", 500);
  pd_import_options_page_set_terms_accepted (options, TRUE);

  /* 4. Analyze, a failed row opened for correction */
  pd_import_assistant_next (assistant);
  analyze = pd_import_assistant_get_analyze_page (assistant);
  WAIT_UNTIL (!pd_import_analyze_page_is_running (analyze));
  pd_test_shoot (GTK_WIDGET (assistant), out, "import-4-analyze.png", 500);
  scroll_to_end (GTK_WIDGET (analyze));
  pd_test_shoot (GTK_WIDGET (assistant), out, "import-4-analyze-warnings.png", 500);
  if (!pd_import_analyze_page_open_row (analyze, 4))
    g_error ("row 4 should fail: nothing identifies the customer");
  scroll_to_end (GTK_WIDGET (analyze));
  pd_test_shoot (GTK_WIDGET (assistant), out, "import-4-analyze-correct.png", 500);

  /* 5. Summary */
  pd_import_assistant_next (assistant);
  progress = pd_import_assistant_get_progress_page (assistant);
  WAIT_UNTIL (!pd_import_progress_page_is_running (progress));
  pd_test_shoot (GTK_WIDGET (assistant), out, "import-6-summary.png", 500);
  gtk_window_destroy (GTK_WINDOW (assistant));

  /* 4. Analyze asks about a date column the whole file leaves ambiguous */
  {
    g_autofree char *dates = write_file (dir, "birthdays.csv",
                                         "Email,Name,Birthday\r\n"
                                         "ann@example.com,Ann Lee,05/03/1990\r\n"
                                         "bob@example.com,Bob Ray,11/04/1985\r\n"
                                         "cy@example.com,Cy Young,07/07/2000\r\n"
                                         "di@example.com,Di Fox,02/10/1979\r\n", -1);

    g_clear_object (&file);
    file = g_file_new_for_path (dates);
    assistant = new_assistant (store);
    pd_import_assistant_open_file (assistant, file);
    WAIT_UNTIL (pd_import_assistant_get_step (assistant) == PD_IMPORT_STEP_MAP);
    pd_import_assistant_next (assistant);
    pd_import_options_page_set_terms_accepted (pd_import_assistant_get_options_page (assistant), TRUE);
    pd_import_assistant_next (assistant);
    analyze = pd_import_assistant_get_analyze_page (assistant);
    WAIT_UNTIL (pd_import_assistant_can_go_next (assistant));
    pd_test_shoot (GTK_WIDGET (assistant), out, "import-4-analyze-dates.png", 500);
    gtk_window_destroy (GTK_WINDOW (assistant));
  }

  /* 5. Progress, mid-run on a bigger file */
  big = write_big_file (dir, 80000);
  g_clear_object (&file);
  file = g_file_new_for_path (big);
  assistant = new_assistant (store);
  pd_import_file_page_set_max_size (pd_import_assistant_get_file_page (assistant), G_MAXUINT64);
  pd_import_assistant_open_file (assistant, file);
  WAIT_UNTIL (pd_import_assistant_get_step (assistant) == PD_IMPORT_STEP_MAP);
  pd_import_assistant_next (assistant);
  options = pd_import_assistant_get_options_page (assistant);
  pd_import_options_page_set_terms_accepted (options, TRUE);
  pd_import_assistant_next (assistant);
  /* The analysis of a big file shows its first rows before it is done;
   * Import is offered only then, after the dry run of every row: on two
   * cores shared with other work, minutes. */
  WAIT_UNTIL_FOR (pd_import_assistant_can_go_next (assistant), 600);
  pd_import_assistant_next (assistant);
  progress = pd_import_assistant_get_progress_page (assistant);
  g_assert_nonnull (pd_import_progress_page_get_job (progress));
  WAIT_UNTIL (pd_import_job_get_rows_done (pd_import_progress_page_get_job (progress)) > 30000
              || !pd_import_progress_page_is_running (progress));
  pd_test_shoot (GTK_WIDGET (assistant), out, "import-5-progress.png", 1200);
  WAIT_UNTIL (!pd_import_progress_page_is_running (progress));
  gtk_window_destroy (GTK_WINDOW (assistant));

  /* A third import, cancelled, so the history shows the statuses */
  assistant = new_assistant (store);
  g_clear_object (&file);
  file = g_file_new_for_path (csv);
  pd_import_assistant_open_file (assistant, file);
  WAIT_UNTIL (pd_import_assistant_get_step (assistant) == PD_IMPORT_STEP_MAP);
  pd_import_assistant_next (assistant);
  pd_import_options_page_set_terms_accepted (pd_import_assistant_get_options_page (assistant), TRUE);
  pd_import_options_page_set_name (pd_import_assistant_get_options_page (assistant), "Spring customers, again");
  pd_import_assistant_next (assistant);
  /* the same file again: Import waits for what to do with its points */
  analyze = pd_import_assistant_get_analyze_page (assistant);
  WAIT_UNTIL (pd_import_analyze_page_needs_same_file_choice (analyze));
  pd_test_shoot (GTK_WIDGET (assistant), out, "import-4-analyze-same-file.png", 500);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (gtk_widget_get_template_child (
    GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (analyze), PD_TYPE_IMPORT_ANALYZE_PAGE, "same_file_group")),
    PD_TYPE_IMPORT_SAME_FILE_GROUP, "skip_points_check")), TRUE);
  WAIT_UNTIL (pd_import_assistant_can_go_next (assistant));
  pd_import_assistant_next (assistant);
  progress = pd_import_assistant_get_progress_page (assistant);
  WAIT_UNTIL (!pd_import_progress_page_is_running (progress));
  pd_import_progress_page_undo (progress);
  WAIT_UNTIL (pd_import_progress_page_get_undone (progress));
  gtk_window_destroy (GTK_WINDOW (assistant));

  /* 7. History with three imports */
  {
    PdImportHistory *history = pd_import_history_new (NULL, store);

    gtk_window_set_default_size (GTK_WINDOW (history), 820, 520);
    gtk_window_present (GTK_WINDOW (history));
    WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (history)));
    pd_test_shoot (GTK_WIDGET (history), out, "import-7-history.png", 500);
    gtk_window_destroy (GTK_WINDOW (history));
  }

  /* All headers */
  {
    PdImportHeadersWindow *headers = pd_import_headers_window_new (NULL);

    gtk_window_present (GTK_WINDOW (headers));
    WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (headers)));
    pd_test_shoot (GTK_WIDGET (headers), out, "import-8-all-headers.png", 300);
    gtk_window_destroy (GTK_WINDOW (headers));
  }

  g_clear_object (&store);
  pd_test_remove_dir (dir);
  return 0;
}
