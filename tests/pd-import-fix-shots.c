/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <locale.h>

#include "pd-import-assistant.h"
#include "pd-import-history.h"
#include "pd-test-shots.h"
#include "pd-test-personas.h"

/* Screenshots of the screens issue 17's import fixes changed, each at 1280
 * and 700 px wide, for review:
 *
 *   pd-import-fix-shots [OUT_DIR]        (default /tmp/pd-shots)
 *
 * A file without column names (the File step offers "The first row is a
 * customer", the Map step maps by content), rows imported before in
 * another file (the Analyze step's question), and an undo refused because
 * of later edits (the history names the personas and offers to undo the
 * rest; the import then "Partly undone").  Exits 77 without a display. */

#define WAIT_UNTIL(cond)                                                   \
  G_STMT_START {                                                           \
    gint64 end_ = g_get_monotonic_time () + 300 * G_USEC_PER_SEC;          \
    while (!(cond) && g_get_monotonic_time () < end_)                      \
      g_main_context_iteration (NULL, FALSE);                              \
    if (!(cond))                                                           \
      g_error ("timed out waiting for %s", #cond);                         \
  } G_STMT_END

static const int widths[] = { 1280, 700 };

static const char headerless_csv[] =
  "Ada,Lovelace,ada@example.com,(202) 555-0143,120,12/10/1985,Downtown\r\n"
  "Alan,Turing,alan@example.com,+1 202.555.0144,35,06/23/1990,Uptown\r\n"
  "Grace,Hopper,grace@example.com,202 555 0145,0,12/09/1986,Downtown\r\n"
  "Katherine,Johnson,katherine@example.com,202 555 0146,50,08/26/1988,Harbor\r\n";

static const char first_csv[] =
  "Email,First Name,Last Name,Points\r\n"
  "ada@example.com,Ada,Lovelace,120\r\n"
  "alan@example.com,Alan,Turing,35\r\n"
  "barbara@example.com,Barbara,Liskov,75\r\n";

/* The same export re-saved with its columns in another order, plus a row */
static const char again_csv[] =
  "Points,Last Name,First Name,E-mail Address\r\n"
  "120,Lovelace,Ada,ada@example.com\r\n"
  "35,Turing,Alan,alan@example.com\r\n"
  "75,Liskov,Barbara,barbara@example.com\r\n"
  "10,Knuth,Donald,donald@example.com\r\n";

static void
shoot (GtkWidget  *window,
       const char *dir,
       const char *name,
       int         width)
{
  g_autofree char *file = g_strdup_printf ("%s-%d.png", name, width);

  pd_test_shoot (window, dir, file, 500);  /* stack transitions, sizes */
}

/* The Analyze step's question is below its counts. */
static void
scroll_to_end (GtkWidget *page)
{
  GtkWidget *child = gtk_widget_get_first_child (page);
  GtkAdjustment *adjustment;

  while (child != NULL && !GTK_IS_SCROLLED_WINDOW (child))
    child = gtk_widget_get_first_child (child);
  if (child == NULL)
    return;
  pd_test_spin (300);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (child));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
}

static char *
write_file (const char *dir,
            const char *name,
            const char *text)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  if (!g_file_set_contents (path, text, -1, &error))
    g_error ("%s", error->message);
  return path;
}

static PdImportAssistant *
new_assistant (PdStore *store,
               int      width)
{
  PdImportAssistant *assistant = pd_import_assistant_new (NULL, store);

  gtk_window_set_default_size (GTK_WINDOW (assistant), width, 720);
  gtk_window_present (GTK_WINDOW (assistant));
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (assistant)));
  return assistant;
}

static gint64
import_csv (PdStore    *store,
            const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PdImportJob) job = NULL;
  g_autoptr(GError) error = NULL;
  PdImportOptions options;

  pd_import_options_init (&options);
  options.accept_terms = TRUE;
  options.same_file = PD_SAME_FILE_IMPORT_ANYWAY;
  job = pd_import_job_new (store, file, NULL, &options);
  if (!pd_import_job_run (job, NULL, &error))
    g_error ("%s", error->message);
  return pd_import_job_get_info (job)->id;
}

static void
shoot_headerless (PdStore    *store,
                  const char *dir,
                  const char *out,
                  int         width)
{
  g_autofree char *path = write_file (dir, "pos-export.csv", headerless_csv);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  PdImportAssistant *assistant = new_assistant (store, width);
  PdImportFilePage *page = pd_import_assistant_get_file_page (assistant);

  pd_import_assistant_open_file (assistant, file);
  WAIT_UNTIL (!pd_import_file_page_is_loading (page) && pd_import_file_page_get_no_header_offered (page));
  shoot (GTK_WIDGET (assistant), out, "import-fix-1-headerless-file", width);
  pd_import_file_page_set_no_header (page, TRUE);
  WAIT_UNTIL (pd_import_assistant_get_step (assistant) == PD_IMPORT_STEP_MAP);
  shoot (GTK_WIDGET (assistant), out, "import-fix-2-headerless-map", width);
  gtk_window_destroy (GTK_WINDOW (assistant));
}

static void
shoot_same_rows (PdStore    *store,
                 const char *dir,
                 const char *out,
                 int         width)
{
  g_autofree char *path = write_file (dir, "pos-export-resaved.csv", again_csv);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  PdImportAssistant *assistant = new_assistant (store, width);
  PdImportAnalyzePage *analyze;

  pd_import_assistant_open_file (assistant, file);
  WAIT_UNTIL (pd_import_assistant_get_step (assistant) == PD_IMPORT_STEP_MAP);
  pd_import_assistant_next (assistant);
  pd_import_options_page_set_terms_accepted (pd_import_assistant_get_options_page (assistant), TRUE);
  pd_import_assistant_next (assistant);
  analyze = pd_import_assistant_get_analyze_page (assistant);
  WAIT_UNTIL (pd_import_analyze_page_needs_same_file_choice (analyze));
  scroll_to_end (GTK_WIDGET (analyze));
  /* the page grows as its last rows get their size */
  scroll_to_end (GTK_WIDGET (analyze));
  shoot (GTK_WIDGET (assistant), out, "import-fix-3-same-rows", width);
  gtk_window_destroy (GTK_WINDOW (assistant));
}

static void
shoot_undo_rest (PdStore    *store,
                 gint64      id,
                 const char *out,
                 int         width,
                 gboolean    undo)
{
  PdImportHistory *history = pd_import_history_new (NULL, store);
  AdwMessageDialog *dialog;

  gtk_window_set_default_size (GTK_WINDOW (history), width, 560);
  gtk_window_present (GTK_WINDOW (history));
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (history)));
  pd_import_history_undo (history, id);
  WAIT_UNTIL (!pd_import_history_is_busy (history) && pd_import_history_get_undo_rest_dialog (history) != NULL);
  dialog = pd_import_history_get_undo_rest_dialog (history);
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (dialog)));
  shoot (GTK_WIDGET (dialog), out, "import-fix-4-undo-rest-dialog", width);
  if (undo)
    {
      adw_message_dialog_response (dialog, "rest");
      gtk_window_destroy (GTK_WINDOW (dialog));
      WAIT_UNTIL (!pd_import_history_is_busy (history));
      shoot (GTK_WIDGET (history), out, "import-fix-5-history-partly-undone", width);
    }
  else
    {
      adw_message_dialog_response (dialog, "cancel");
      gtk_window_destroy (GTK_WINDOW (dialog));
    }
  gtk_window_destroy (GTK_WINDOW (history));
}

int
main (int   argc,
      char *argv[])
{
  const char *out = argc > 1 ? argv[1] : "/tmp/pd-shots";
  g_autofree char *dir = NULL;
  g_autofree char *first = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_printerr ("pd-import-fix-shots: no display; run under xvfb-run\n");
      return 77;
    }
  setlocale (LC_ALL, "");
  adw_init ();
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, "/org/personadesk/PersonaDesk/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }
  g_mkdir_with_parents (out, 0755);

  store = pd_test_store_new (&dir);
  first = write_file (dir, "pos-export-monday.csv", first_csv);
  id = import_csv (store, first);
  /* a later edit: Alan's city */
  {
    gint64 alan = pd_store_find_persona (store, PD_FIELD_EMAIL, "alan@example.com", &error);
    g_autoptr(PdPersona) persona = pd_store_get_persona (store, alan, &error);

    if (persona == NULL)
      g_error ("%s", error->message);
    pd_persona_set_value (persona, PD_FIELD_CITY, "Manchester");
    if (!pd_store_save_persona (store, persona, PD_SOURCE_MANUAL, &error))
      g_error ("%s", error->message);
  }

  for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
    {
      shoot_headerless (store, dir, out, widths[w]);
      shoot_same_rows (store, dir, out, widths[w]);
      /* the last width undoes it */
      shoot_undo_rest (store, id, out, widths[w], w == G_N_ELEMENTS (widths) - 1);
    }
  /* the history at the first width too, now that the import is partly undone */
  {
    PdImportHistory *history = pd_import_history_new (NULL, store);

    gtk_window_set_default_size (GTK_WINDOW (history), widths[0], 560);
    gtk_window_present (GTK_WINDOW (history));
    WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (history)));
    shoot (GTK_WIDGET (history), out, "import-fix-5-history-partly-undone", widths[0]);
    gtk_window_destroy (GTK_WINDOW (history));
  }

  g_clear_object (&store);
  pd_test_remove_dir (dir);
  return 0;
}
