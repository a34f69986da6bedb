/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "pd-import-format.h"
#include "pd-test-gui.h"
#include "pd-test-personas.h"
#include "pd-window.h"
#include "pd-window-private.h"

/* Issue 17, the app at the counter: nothing typed is thrown away.  The
 * real window, driven through its actions and entries; the questions it
 * asks are answered as a user would, through the dialog's responses. */

typedef struct {
  char     *dir;
  PdStore  *store;
  PdWindow *window;
} Fixture;

#define WAIT_UNTIL(cond) PD_TEST_WAIT_UNTIL (cond, 10)

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->store = pd_test_store_new (&f->dir);
  pd_test_seed (f->store, 0, GPOINTER_TO_UINT (data), &error);
  g_assert_no_error (error);
  f->window = g_object_ref_sink (pd_window_new (NULL, f->store));
  gtk_window_present (GTK_WINDOW (f->window));
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (f->window)));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->window);
  g_clear_object (&f->store);
  pd_test_remove_dir (f->dir);
  g_free (f->dir);
}

static PdPersonaDetail *
detail (Fixture *f)
{
  return pd_window_get_detail (f->window);
}

static void
activate (GtkWidget  *widget,
          const char *action)
{
  g_assert_true (gtk_widget_activate_action (widget, action, NULL));
}

static GtkEditable *
field (Fixture   *f,
       PdFieldId  id)
{
  GtkEditable *editable = pd_persona_detail_get_field_editable (detail (f), id);

  g_assert_nonnull (editable);
  return editable;
}

static void
type_into (Fixture    *f,
           PdFieldId   id,
           const char *text)
{
  g_assert_true (gtk_editable_get_editable (field (f, id)));
  gtk_editable_set_text (field (f, id), text);
}

static PdPersona *
stored (Fixture *f,
        gint64   id)
{
  g_autoptr(GError) error = NULL;
  PdPersona *p = pd_store_get_persona (f->store, id, &error);

  g_assert_no_error (error);
  return p;
}

static gint64
id_of (Fixture    *f,
       const char *email)
{
  g_autoptr(GError) error = NULL;
  gint64 id = pd_store_find_persona (f->store, PD_FIELD_EMAIL, email, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

/* The question on screen, or NULL. */
static AdwMessageDialog *
shown_dialog (void)
{
  g_autoptr(GList) windows = gtk_window_list_toplevels ();

  for (GList *l = windows; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static void
answer (const char *response)
{
  AdwMessageDialog *dialog;

  WAIT_UNTIL (shown_dialog () != NULL);
  dialog = shown_dialog ();
  g_assert_true (adw_message_dialog_has_response (dialog, response));
  /* as a click on its button does: the response, then the dialog closes */
  adw_message_dialog_response (dialog, response);
  gtk_window_close (GTK_WINDOW (dialog));
  WAIT_UNTIL (shown_dialog () == NULL);
  pd_test_spin (20);   /* the window's callback runs from an idle */
}

static void
edit_city (Fixture    *f,
           gint64      id,
           const char *city)
{
  pd_window_show_persona (f->window, id);
  activate (GTK_WIDGET (detail (f)), "detail.edit");
  g_assert_false (pd_persona_detail_has_changes (detail (f)));
  type_into (f, PD_FIELD_CITY, city);
  g_assert_true (pd_persona_detail_has_changes (detail (f)));
}

/* Escape with a change asks; Keep editing keeps it, Discard drops it,
 * Save writes it.  Without a change Escape closes at once. */
static void
test_escape_asks (Fixture       *f,
                  gconstpointer  data)
{
  gint64 id = id_of (f, "p1@example.com");

  pd_window_show_persona (f->window, id);
  activate (GTK_WIDGET (detail (f)), "detail.edit");
  activate (GTK_WIDGET (f->window), "win.close-detail");
  g_assert_null (shown_dialog ());
  g_assert_false (pd_window_get_detail_revealed (f->window));

  edit_city (f, id, "Lisbon");
  activate (GTK_WIDGET (f->window), "win.close-detail");
  answer ("keep");
  g_assert_true (pd_window_get_detail_revealed (f->window));
  g_assert_cmpint (pd_persona_detail_get_mode (detail (f)), ==, PD_PERSONA_DETAIL_EDIT);
  g_assert_cmpstr (gtk_editable_get_text (field (f, PD_FIELD_CITY)), ==, "Lisbon");

  activate (GTK_WIDGET (f->window), "win.close-detail");
  answer ("discard");
  g_assert_false (pd_window_get_detail_revealed (f->window));
  {
    g_autoptr(PdPersona) p = stored (f, id);
    g_assert_cmpstr (pd_persona_get_value (p, PD_FIELD_CITY), !=, "Lisbon");
  }

  edit_city (f, id, "Porto");
  activate (GTK_WIDGET (f->window), "win.close-detail");
  answer ("save");
  g_assert_false (pd_window_get_detail_revealed (f->window));
  {
    g_autoptr(PdPersona) p = stored (f, id);
    g_assert_cmpstr (pd_persona_get_value (p, PD_FIELD_CITY), ==, "Porto");
  }

  /* A new persona typed into is asked about too. */
  activate (GTK_WIDGET (f->window), "win.new-persona");
  type_into (f, PD_FIELD_FIRST_NAME, "Grace");
  activate (GTK_WIDGET (f->window), "win.close-detail");
  answer ("keep");
  g_assert_cmpint (pd_persona_detail_get_mode (detail (f)), ==, PD_PERSONA_DETAIL_CREATE);
  g_assert_cmpstr (gtk_editable_get_text (field (f, PD_FIELD_FIRST_NAME)), ==, "Grace");
}

/* Choosing another persona in the list mid-edit asks first. */
static void
test_select_other_asks (Fixture       *f,
                        gconstpointer  data)
{
  gint64 id = id_of (f, "p1@example.com");
  GtkSingleSelection *selection = f->window->selection;
  guint other = G_MAXUINT;

  edit_city (f, id, "Lisbon");
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (selection)) && other == G_MAXUINT; i++)
    {
      g_autoptr(PdPersona) row = g_list_model_get_item (G_LIST_MODEL (selection), i);

      if (pd_persona_get_id (row) != id)
        other = i;
    }
  g_assert_cmpuint (other, !=, G_MAXUINT);

  gtk_single_selection_set_selected (selection, other);
  answer ("keep");
  g_assert_cmpint (pd_persona_detail_get_persona_id (detail (f)), ==, id);
  g_assert_cmpstr (gtk_editable_get_text (field (f, PD_FIELD_CITY)), ==, "Lisbon");

  gtk_single_selection_set_selected (selection, other);
  answer ("discard");
  g_assert_cmpint (pd_persona_detail_get_persona_id (detail (f)), !=, id);
  g_assert_cmpint (pd_persona_detail_get_mode (detail (f)), ==, PD_PERSONA_DETAIL_VIEW);
}

/* Closing the window mid-edit asks; Save writes, then the window closes. */
static void
test_close_window_asks (Fixture       *f,
                        gconstpointer  data)
{
  gint64 id = id_of (f, "p2@example.com");

  edit_city (f, id, "Faro");
  gtk_window_close (GTK_WINDOW (f->window));
  WAIT_UNTIL (shown_dialog () != NULL);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window)));
  answer ("keep");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window)));

  gtk_window_close (GTK_WINDOW (f->window));
  answer ("save");
  WAIT_UNTIL (!gtk_widget_get_visible (GTK_WIDGET (f->window)));
  {
    g_autoptr(PdPersona) p = stored (f, id);
    g_assert_cmpstr (pd_persona_get_value (p, PD_FIELD_CITY), ==, "Faro");
  }
}

/* A new persona with someone's email: Back keeps every typed value; Open
 * shows that persona with the typed ones ready to add, saved by Save. */
static void
test_create_existing_keeps_values (Fixture       *f,
                                   gconstpointer  data)
{
  gint64 id = id_of (f, "p3@example.com");
  gint64 persona_count = pd_store_count_personas (f->store, &(PdPersonaQuery) { 0 }, NULL);
  g_autofree char *emails = NULL;
  g_autofree char *phones = NULL;
  g_autoptr(PdPersona) before = stored (f, id);
  const char *first_name = pd_persona_get_value (before, PD_FIELD_FIRST_NAME);

  g_assert_cmpstr (first_name, !=, "Bob");
  activate (GTK_WIDGET (f->window), "win.new-persona");
  type_into (f, PD_FIELD_FIRST_NAME, "Bob");
  type_into (f, PD_FIELD_EMAIL, "P3@example.com");
  type_into (f, PD_FIELD_PHONE, "(415) 555-0111");
  type_into (f, PD_FIELD_FAVORITE_STORE, "Harbour");
  activate (GTK_WIDGET (detail (f)), "detail.save");
  answer ("back");
  g_assert_cmpint (pd_persona_detail_get_mode (detail (f)), ==, PD_PERSONA_DETAIL_CREATE);
  g_assert_cmpstr (gtk_editable_get_text (field (f, PD_FIELD_FIRST_NAME)), ==, "Bob");
  g_assert_cmpstr (gtk_editable_get_text (field (f, PD_FIELD_EMAIL)), ==, "P3@example.com");
  g_assert_cmpstr (gtk_editable_get_text (field (f, PD_FIELD_PHONE)), ==, "(415) 555-0111");

  activate (GTK_WIDGET (detail (f)), "detail.save");
  answer ("open");
  g_assert_cmpint (pd_persona_detail_get_mode (detail (f)), ==, PD_PERSONA_DETAIL_EDIT);
  g_assert_cmpint (pd_persona_detail_get_persona_id (detail (f)), ==, id);
  /* the stored name stays (typed "Bob" is named in a toast); the phone
   * and the store typed are added */
  g_assert_cmpstr (gtk_editable_get_text (field (f, PD_FIELD_FIRST_NAME)), ==, first_name);
  emails = g_strdup (gtk_editable_get_text (field (f, PD_FIELD_EMAIL)));
  phones = g_strdup (gtk_editable_get_text (field (f, PD_FIELD_PHONE)));
  g_assert_nonnull (strstr (emails, "p3@example.com"));
  g_assert_nonnull (strstr (phones, "(415) 555-0111"));
  g_assert_cmpstr (gtk_editable_get_text (field (f, PD_FIELD_FAVORITE_STORE)), ==, "Harbour");
  g_assert_true (pd_persona_detail_has_changes (detail (f)));

  activate (GTK_WIDGET (detail (f)), "detail.save");
  g_assert_cmpint (pd_persona_detail_get_mode (detail (f)), ==, PD_PERSONA_DETAIL_VIEW);
  {
    g_autoptr(PdPersona) p = stored (f, id);
    g_autoptr(GError) error = NULL;

    g_assert_cmpstr (pd_persona_get_value (p, PD_FIELD_FAVORITE_STORE), ==, "Harbour");
    g_assert_cmpint (pd_store_find_persona (f->store, PD_FIELD_PHONE, "+14155550111", &error), ==, id);
    g_assert_cmpstr (pd_persona_get_value (p, PD_FIELD_FIRST_NAME), ==, first_name);
  }
  g_assert_cmpint (pd_store_count_personas (f->store, &(PdPersonaQuery) { 0 }, NULL), ==, persona_count);
}

/* Honest states: green ("success") only for an import with no failed row;
 * each number its own plural form. */
static void
test_honest_status (void)
{
  g_autoptr(PdImportInfo) info = pd_import_info_new ();
  g_autofree char *none = NULL, *one = NULL, *many = NULL, *cancelled = NULL, *failed = NULL;
  g_autofree char *summary_one = NULL, *summary_many = NULL;
  const char *style = NULL;

  none = pd_import_format_status (PD_IMPORT_STATUS_COMPLETED, 0, &style);
  g_assert_cmpstr (none, ==, "Completed");
  g_assert_cmpstr (style, ==, "success");
  one = pd_import_format_status (PD_IMPORT_STATUS_COMPLETED, 1, &style);
  g_assert_cmpstr (one, ==, "Completed with 1 failed row");
  g_assert_cmpstr (style, ==, "warning");
  many = pd_import_format_status (PD_IMPORT_STATUS_COMPLETED, 723, &style);
  g_assert_cmpstr (many, ==, "Completed with 723 failed rows");
  g_assert_cmpstr (style, ==, "warning");
  cancelled = pd_import_format_status (PD_IMPORT_STATUS_CANCELLED, 0, &style);
  g_assert_cmpstr (style, !=, "success");
  failed = pd_import_format_status (PD_IMPORT_STATUS_FAILED, 0, &style);
  g_assert_cmpstr (style, ==, "error");

  info->name = g_strdup ("Spring");
  info->total = 1;
  info->duration_ms = 0;
  summary_one = pd_import_format_summary (info);
  g_assert_nonnull (strstr (summary_one, "“Spring”: 1 row in "));
  g_assert_null (strstr (summary_one, "rows"));
  info->total = 100;
  info->failed = 1;
  summary_many = pd_import_format_summary (info);
  g_assert_nonnull (strstr (summary_many, "100 rows in "));
  g_assert_nonnull (strstr (summary_many, "1 row failed: Open Report lists it"));
}

static void
skip_without_display (void)
{
  g_test_skip ("no DISPLAY: the window tests run under xvfb-run (make test)");
}

#define ADD(path, n, fn) \
  g_test_add (path, Fixture, GUINT_TO_POINTER (n), fixture_setup, fn, fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/counter/honest-status", test_honest_status);
  if (!pd_test_has_display ())
    {
      g_test_add_func ("/counter/skipped", skip_without_display);
      return g_test_run ();
    }

  gtk_init ();
  adw_init ();

  ADD ("/counter/escape-asks", 10, test_escape_asks);
  ADD ("/counter/select-other-asks", 10, test_select_other_asks);
  ADD ("/counter/close-window-asks", 10, test_close_window_asks);
  ADD ("/counter/create-existing-keeps-values", 10, test_create_existing_keeps_values);

  return g_test_run ();
}
