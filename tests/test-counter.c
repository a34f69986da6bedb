/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "pd-import-format.h"
#include "pd-persona-fields.h"
#include "pd-test-gui.h"
#include "pd-test-personas.h"
#include "pd-application.h"
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

/* Folded, the flap hides itself on a click beside it or a swipe: with
 * changes it comes back and asks. */
static void
test_flap_hide_asks (Fixture       *f,
                     gconstpointer  data)
{
  gint64 id = id_of (f, "p1@example.com");

  edit_city (f, id, "Braga");
  adw_flap_set_reveal_flap (f->window->flap, FALSE);   /* as AdwFlap does */
  answer ("keep");
  g_assert_true (pd_window_get_detail_revealed (f->window));
  g_assert_cmpstr (gtk_editable_get_text (field (f, PD_FIELD_CITY)), ==, "Braga");

  adw_flap_set_reveal_flap (f->window->flap, FALSE);
  answer ("discard");
  g_assert_false (pd_window_get_detail_revealed (f->window));
  g_assert_cmpint (pd_persona_detail_get_mode (detail (f)), ==, PD_PERSONA_DETAIL_VIEW);
}

/* Choosing another persona in the list mid-edit asks first. */
static void
test_select_other_asks (Fixture       *f,
                        gconstpointer  data)
{
  gint64 id = id_of (f, "p1@example.com");
  GtkSelectionModel *selection = GTK_SELECTION_MODEL (f->window->selection);
  guint other = G_MAXUINT;

  edit_city (f, id, "Lisbon");
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (selection)) && other == G_MAXUINT; i++)
    {
      g_autoptr(PdPersona) row = g_list_model_get_item (G_LIST_MODEL (selection), i);

      if (pd_persona_get_id (row) != id)
        other = i;
    }
  g_assert_cmpuint (other, !=, G_MAXUINT);

  gtk_selection_model_select_item (selection, other, TRUE);
  answer ("keep");
  g_assert_cmpint (pd_persona_detail_get_persona_id (detail (f)), ==, id);
  g_assert_cmpstr (gtk_editable_get_text (field (f, PD_FIELD_CITY)), ==, "Lisbon");

  gtk_selection_model_select_item (selection, other, TRUE);
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

/* Tags round-trip whatever they hold: an import's name has a comma. */
static void
test_tags_round_trip (void)
{
  const char *tags[] = { "vip", "Spring customers.csv, 2026-12-06 01:37", "say \"hi\"", "a,b,,c", "\"" };
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  g_autofree char *text = NULL;
  g_auto(GStrv) back = NULL;
  g_auto(GStrv) typed = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (tags); i++)
    g_ptr_array_add (values, (gpointer) tags[i]);
  text = pd_persona_fields_join_quoted (values);
  g_test_message ("%s", text);
  back = pd_persona_fields_split_quoted (text);
  g_assert_cmpuint (g_strv_length (back), ==, G_N_ELEMENTS (tags));
  for (guint i = 0; i < G_N_ELEMENTS (tags); i++)
    g_assert_cmpstr (back[i], ==, tags[i]);

  /* typed as before: commas separate, spaces trimmed, empties dropped */
  typed = pd_persona_fields_split_quoted (" vip,  counter ,, \"new, old\" ");
  g_assert_cmpuint (g_strv_length (typed), ==, 3);
  g_assert_cmpstr (typed[0], ==, "vip");
  g_assert_cmpstr (typed[1], ==, "counter");
  g_assert_cmpstr (typed[2], ==, "new, old");
}

/* ...and through the detail pane: shown, saved unchanged, the same tags. */
static void
test_tags_survive_save (Fixture       *f,
                        gconstpointer  data)
{
  gint64 id = id_of (f, "p1@example.com");
  const char *tag = "Spring customers.csv, 2026-12-06 01:37";
  g_autoptr(PdPersona) p = stored (f, id);
  g_autoptr(GError) error = NULL;
  guint n;

  pd_persona_add_tag (p, tag);
  g_assert_true (pd_store_save_persona (f->store, p, PD_SOURCE_IMPORT, &error));
  g_assert_no_error (error);
  n = pd_persona_get_tags (p)->len;

  pd_window_show_persona (f->window, id);
  activate (GTK_WIDGET (detail (f)), "detail.edit");
  type_into (f, PD_FIELD_CITY, "Lisbon");   /* any change, so that it saves */
  activate (GTK_WIDGET (detail (f)), "detail.save");
  g_assert_cmpint (pd_persona_detail_get_mode (detail (f)), ==, PD_PERSONA_DETAIL_VIEW);
  {
    g_autoptr(PdPersona) after = stored (f, id);
    GPtrArray *tags = pd_persona_get_tags (after);
    gboolean found = FALSE;

    g_assert_cmpuint (tags->len, ==, n);
    for (guint i = 0; i < tags->len; i++)
      found |= g_strcmp0 (g_ptr_array_index (tags, i), tag) == 0;
    g_assert_true (found);
  }
}

/* Every stored field is shown and editable: the website and channel IDs
 * an import stored, and a new one typed in. */
static void
test_channels_shown_and_editable (Fixture       *f,
                                  gconstpointer  data)
{
  gint64 id = id_of (f, "p2@example.com");
  g_autoptr(PdPersona) p = stored (f, id);
  g_autoptr(GError) error = NULL;

  pd_persona_set_value (p, PD_FIELD_WEB, "https://example.com/ana");
  pd_persona_set_value (p, PD_FIELD_INSTAGRAM, "@ana.shop");
  g_assert_true (pd_store_save_persona (f->store, p, PD_SOURCE_IMPORT, &error));
  g_assert_no_error (error);

  pd_window_show_persona (f->window, id);
  g_assert_cmpstr (gtk_editable_get_text (field (f, PD_FIELD_WEB)), ==, "https://example.com/ana");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (field (f, PD_FIELD_WEB))));
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (field (f, PD_FIELD_INSTAGRAM))));
  /* empty ones are not shown while viewing */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (field (f, PD_FIELD_VIBER))));

  activate (GTK_WIDGET (detail (f)), "detail.edit");
  type_into (f, PD_FIELD_TELEGRAM, "@ana_t");
  type_into (f, PD_FIELD_WEB, "");
  activate (GTK_WIDGET (detail (f)), "detail.save");
  g_assert_cmpint (pd_persona_detail_get_mode (detail (f)), ==, PD_PERSONA_DETAIL_VIEW);
  {
    g_autoptr(PdPersona) after = stored (f, id);

    g_assert_cmpstr (pd_persona_get_value (after, PD_FIELD_TELEGRAM), ==, "@ana_t");
    g_assert_cmpstr (pd_persona_get_value (after, PD_FIELD_INSTAGRAM), ==, "@ana.shop");
    g_assert_null (pd_persona_get_value (after, PD_FIELD_WEB));
  }
}

static void
record_id (PdPersonaDetail *detail,
           gint64           id,
           gint64          *out)
{
  *out = id;
}

/* Issue 15: the window says how many double opt-ins wait for a YES. */
static void
test_pending_count (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPersona) p = NULL;
  PdActor actor = { PD_SOURCE_MANUAL, "test" };
  PdConsentChange change;
  const char *phone;

  /* a seeded persona with a phone and no SMS consent yet */
  for (gint64 id = 1; p == NULL && id <= 10; id++)
    {
      p = pd_store_get_persona (f->store, id, &error);
      g_assert_no_error (error);
      if (pd_persona_get_phones (p)->len == 0 || pd_persona_get_sms_opt_out (p) ||
          pd_persona_get_sms_consent (p) != PD_SMS_CONSENT_NONE)
        g_clear_object (&p);
    }
  g_assert_nonnull (p);
  phone = g_ptr_array_index (pd_persona_get_phones (p), 0);
  WAIT_UNTIL (pd_persona_list_get_n_pending_sms (f->window->personas) == 0);
  g_assert_null (strstr (adw_window_title_get_subtitle (f->window->window_title), "awaiting"));

  g_assert_true (pd_store_sms_opt_in (f->store, phone, PD_SMS_OPT_IN_DOUBLE, &actor, &change, &error));
  g_assert_no_error (error);
  _pd_window_reload_list (f->window, FALSE);
  WAIT_UNTIL (strstr (adw_window_title_get_subtitle (f->window->window_title), "1 awaiting SMS opt-in") != NULL);
  g_assert_nonnull (strstr (adw_window_title_get_subtitle (f->window->window_title), "10 personas"));
}

/* Archive asks nothing and offers Undo in its toast. */
static void
test_archive_undo (Fixture       *f,
                   gconstpointer  data)
{
  gint64 id = id_of (f, "p4@example.com");
  guint before = g_list_model_get_n_items (G_LIST_MODEL (pd_window_get_persona_list (f->window)));
  gint64 toast_id = 0;

  pd_window_show_persona (f->window, id);
  g_signal_connect (detail (f), "persona-archived", G_CALLBACK (record_id), &toast_id);
  activate (GTK_WIDGET (detail (f)), "detail.archive");
  g_assert_cmpint (toast_id, ==, id);
  {
    g_autoptr(PdPersona) p = stored (f, id);
    g_assert_true (pd_persona_get_archived (p));
  }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pd_window_get_persona_list (f->window))), ==, before - 1);

  /* the toast's button */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.unarchive-persona", "x", id));
  {
    g_autoptr(PdPersona) p = stored (f, id);
    g_assert_false (pd_persona_get_archived (p));
  }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pd_window_get_persona_list (f->window))), ==, before);
}

/* The archived view: found by a search, one set of window buttons with
 * the details open beside it. */
static void
test_archived_view (Fixture       *f,
                    gconstpointer  data)
{
  PdArchivedView *view = pd_window_get_archived_view (f->window);
  PdPersonaList *list = pd_archived_view_get_list (view);
  AdwHeaderBar *bar = ADW_HEADER_BAR (gtk_widget_get_template_child (GTK_WIDGET (view), PD_TYPE_ARCHIVED_VIEW,
                                                                      "header_bar"));
  gint64 a = id_of (f, "p5@example.com"), b = id_of (f, "p6@example.com");
  g_autoptr(PdPersona) pa = stored (f, a);
  g_autofree char *name = pd_persona_dup_display_name (pa);

  g_assert_true (pd_store_set_archived (f->store, a, TRUE, NULL));
  g_assert_true (pd_store_set_archived (f->store, b, TRUE, NULL));
  activate (GTK_WIDGET (f->window), "win.show-archived");
  WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (list)) == 2);

  gtk_editable_set_text (pd_archived_view_get_search_entry (view), "p5@example");
  WAIT_UNTIL (g_strcmp0 (pd_persona_list_get_search (list), "p5@example") == 0);
  WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (list)) == 1);
  {
    g_autoptr(PdPersona) found = g_list_model_get_item (G_LIST_MODEL (list), 0);
    g_assert_cmpint (pd_persona_get_id (found), ==, a);
  }

  g_assert_true (adw_header_bar_get_show_end_title_buttons (bar));
  g_signal_emit_by_name (view, "persona-activated", a);
  g_assert_true (pd_window_get_detail_revealed (f->window));
  g_assert_false (adw_header_bar_get_show_end_title_buttons (bar));
  g_assert_cmpstr (name, !=, NULL);
}

static gboolean
focus_within (GtkWidget *focus,
              GtkWidget *widget)
{
  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

/* Tab and Shift+Tab leave the list (it walked every row); Ctrl+E edits
 * the selected persona from the list. */
static void
test_list_keys (Fixture       *f,
                gconstpointer  data)
{
  GtkWidget *list = GTK_WIDGET (pd_window_get_list_view (f->window));
  GtkEventController *tab = NULL;
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (list);
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && tab == NULL; i++)
    {
      g_autoptr(GtkEventController) c = g_list_model_get_item (controllers, i);

      if (g_strcmp0 (gtk_event_controller_get_name (c), "pd-list-tab") == 0)
        tab = c;
    }
  g_assert_nonnull (tab);

  /* a key press as the list gets it, in the capture phase */
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (f->window->selection), 1, TRUE);
  g_assert_true (gtk_widget_child_focus (list, GTK_DIR_TAB_FORWARD));
  g_assert_true (focus_within (gtk_root_get_focus (GTK_ROOT (f->window)), list));
  g_signal_emit_by_name (tab, "key-pressed", GDK_KEY_Tab, 0, 0, &handled);
  g_assert_true (handled);
  g_assert_false (focus_within (gtk_root_get_focus (GTK_ROOT (f->window)), list));
  g_assert_true (focus_within (gtk_root_get_focus (GTK_ROOT (f->window)), GTK_WIDGET (detail (f))));

  g_assert_true (gtk_widget_child_focus (list, GTK_DIR_TAB_FORWARD));
  g_signal_emit_by_name (tab, "key-pressed", GDK_KEY_ISO_Left_Tab, 0, GDK_SHIFT_MASK, &handled);
  g_assert_true (handled);
  g_assert_false (focus_within (gtk_root_get_focus (GTK_ROOT (f->window)), list));

  /* Ctrl+E (win.edit-persona) with the focus in the list */
  g_assert_true (gtk_widget_child_focus (list, GTK_DIR_TAB_FORWARD));
  g_assert_cmpint (pd_persona_detail_get_mode (detail (f)), ==, PD_PERSONA_DETAIL_VIEW);
  g_assert_true (gtk_widget_activate_action (list, "win.edit-persona", NULL));
  g_assert_cmpint (pd_persona_detail_get_mode (detail (f)), ==, PD_PERSONA_DETAIL_EDIT);
  {
    g_autoptr(PdPersona) selected = g_list_model_get_item (G_LIST_MODEL (f->window->selection), 1);
    g_assert_cmpint (pd_persona_detail_get_persona_id (detail (f)), ==, pd_persona_get_id (selected));
  }
}

static void
collect_shortcuts (GtkWidget *widget,
                   GPtrArray *found)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_shortcuts (child, found);
}

/* What the shortcut shows: its GtkShortcutLabel's accelerator (the
 * shortcut's own property cannot be read). */
static const char *
shown_accelerator (GtkWidget *widget)
{
  const char *found = NULL;

  if (GTK_IS_SHORTCUT_LABEL (widget))
    return gtk_shortcut_label_get_accelerator (GTK_SHORTCUT_LABEL (widget));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL && found == NULL;
       child = gtk_widget_get_next_sibling (child))
    found = shown_accelerator (child);
  return found;
}

static gboolean
window_has_action (const char *name)
{
  GtkWidgetClass *klass = g_type_class_ref (PD_TYPE_WINDOW);
  gboolean found = FALSE;
  const char *action, *property;
  const GVariantType *type;
  GType owner;

  for (guint i = 0; !found && gtk_widget_class_query_action (klass, i, &owner, &action, &type, &property); i++)
    found = g_str_equal (action, name);
  g_type_class_unref (klass);
  return found;
}

/* The Shortcuts window shows the application's real accelerators, each
 * of an action that exists, and every accelerator the application has. */
static void
test_shortcuts_match_accels (void)
{
  g_autoptr(PdApplication) app = pd_application_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) shown = g_ptr_array_new ();
  g_auto(GStrv) actions = NULL;
  GtkWindow *window;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  window = pd_application_new_shortcuts_window (app);
  collect_shortcuts (GTK_WIDGET (window), shown);
  g_assert_cmpuint (shown->len, >, 0);
  for (guint i = 0; i < shown->len; i++)
    {
      g_autofree char *action = NULL;
      const char *accelerator = shown_accelerator (shown->pdata[i]);
      g_autofree char *title = NULL;
      g_auto(GStrv) accels = NULL;
      g_autofree char *joined = NULL;

      g_object_get (shown->pdata[i], "action-name", &action, "title", &title, NULL);
      g_test_message ("%s: %s = %s", title, action, accelerator);
      g_assert_nonnull (action);
      g_assert_null (strstr (title, "coming soon"));
      accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), action);
      g_assert_cmpuint (g_strv_length (accels), >, 0);
      joined = g_strjoinv (" ", accels);
      g_assert_cmpstr (accelerator, ==, joined);
      if (g_str_has_prefix (action, "win."))
        g_assert_true (window_has_action (action));
      else
        g_assert_true (g_action_map_lookup_action (G_ACTION_MAP (app), action + strlen ("app.")) != NULL);
    }

  actions = gtk_application_list_action_descriptions (GTK_APPLICATION (app));
  for (guint a = 0; actions[a] != NULL; a++)
    {
      gboolean listed = FALSE;

      for (guint i = 0; i < shown->len && !listed; i++)
        {
          g_autofree char *action = NULL;

          g_object_get (shown->pdata[i], "action-name", &action, NULL);
          listed = g_strcmp0 (action, actions[a]) == 0;
        }
      g_assert_true (listed);
    }
  gtk_window_destroy (window);
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
  g_test_add_func ("/counter/tags-round-trip", test_tags_round_trip);
  if (!pd_test_has_display ())
    {
      g_test_add_func ("/counter/skipped", skip_without_display);
      return g_test_run ();
    }

  gtk_init ();
  adw_init ();

  g_test_add_func ("/counter/shortcuts-match-accels", test_shortcuts_match_accels);
  ADD ("/counter/escape-asks", 10, test_escape_asks);
  ADD ("/counter/list-keys", 30, test_list_keys);
  ADD ("/counter/archive-undo", 10, test_archive_undo);
  ADD ("/counter/pending-count", 10, test_pending_count);
  ADD ("/counter/channels", 10, test_channels_shown_and_editable);
  ADD ("/counter/archived-view", 10, test_archived_view);
  ADD ("/counter/tags-survive-save", 10, test_tags_survive_save);
  ADD ("/counter/select-other-asks", 10, test_select_other_asks);
  ADD ("/counter/flap-hide-asks", 10, test_flap_hide_asks);
  ADD ("/counter/close-window-asks", 10, test_close_window_asks);
  ADD ("/counter/create-existing-keeps-values", 10, test_create_existing_keeps_values);

  return g_test_run ();
}
