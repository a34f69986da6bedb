/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "pd-import-session.h"
#include "pd-test-gui.h"
#include "pd-test-personas.h"
#include "pd-application.h"
#include "pd-window.h"
#include "pd-window-private.h"

/* The real window and widgets, driven in-process as a user would through
 * their actions and entries, with the database checked after each step:
 * create a persona in the slide-out, find it by a differently formatted
 * phone, edit its traits, archive and unarchive it, and the consent rules. */

typedef struct {
  char     *dir;
  PdStore  *store;
  PdWindow *window;
} Fixture;

/* Runs the main loop until @cond holds, failing after a few seconds. */
#define spin pd_test_spin
#define WAIT_UNTIL(cond) PD_TEST_WAIT_UNTIL (cond, 10)

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint n = GPOINTER_TO_UINT (data);

  f->store = pd_test_store_new (&f->dir);
  pd_test_seed (f->store, 0, n, &error);
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
type_into (Fixture    *f,
           PdFieldId   field,
           const char *text)
{
  GtkEditable *editable = pd_persona_detail_get_field_editable (detail (f), field);

  g_assert_nonnull (editable);
  g_assert_true (gtk_editable_get_editable (editable));
  gtk_editable_set_text (editable, text);
}

/* The template child @name of @widget or of a widget inside it: the pane
 * is made of groups, each with its own template. */
static GObject *
find_template_child (GtkWidget  *widget,
                     const char *name)
{
  GObject *child = gtk_widget_get_template_child (widget, G_OBJECT_TYPE (widget), name);

  for (GtkWidget *w = gtk_widget_get_first_child (widget);
       child == NULL && w != NULL;
       w = gtk_widget_get_next_sibling (w))
    child = find_template_child (w, name);
  return child;
}

static GtkWidget *
detail_child (Fixture    *f,
              const char *name)
{
  GObject *child = find_template_child (GTK_WIDGET (detail (f)), name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

static void
activate (GtkWidget  *widget,
          const char *action)
{
  g_assert_true (gtk_widget_activate_action (widget, action, NULL));
}

static guint
n_listed (Fixture *f)
{
  return g_list_model_get_n_items (G_LIST_MODEL (pd_window_get_persona_list (f->window)));
}

static void
search (Fixture    *f,
        const char *text)
{
  GtkEditable *entry = pd_window_get_search_entry (f->window);

  activate (GTK_WIDGET (f->window), "win.search");
  gtk_editable_set_text (entry, text);
  /* The entry reports after its search delay; the list follows. */
  WAIT_UNTIL (g_strcmp0 (pd_persona_list_get_search (pd_window_get_persona_list (f->window)),
                         text[0] ? text : NULL) == 0);
}

static PdPersona *
stored (Fixture *f,
        gint64   id)
{
  g_autoptr(GError) error = NULL;
  PdPersona *p = pd_store_get_persona (f->store, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (p);
  return p;
}

static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  GtkWidget *stack;

  g_assert_cmpuint (n_listed (f), ==, 0);
  stack = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (f->window), PD_TYPE_WINDOW,
                                                     "content_stack"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "empty");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (f->window)), ==, "Persona Desk");

  /* Issue 5 wired the import assistant: the button is enabled (changed by
   * the assistant helper). */
  g_assert_true (gtk_widget_get_sensitive (
    GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (f->window), PD_TYPE_WINDOW,
                                               "empty_import_button"))));
}

static void
test_lifecycle (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(PdPersona) created = NULL;
  g_autoptr(PdPersona) edited = NULL;
  g_autoptr(PdPersona) archived = NULL;
  g_autoptr(PdPersona) back = NULL;
  g_autoptr(PdPersona) listed = NULL;
  g_autoptr(GError) error = NULL;
  guint before = n_listed (f);
  gint64 id;

  /* 1. Create through the slide-out. */
  activate (GTK_WIDGET (f->window), "win.new-persona");
  g_assert_true (pd_window_get_detail_revealed (f->window));
  g_assert_cmpint (pd_persona_detail_get_mode (detail (f)), ==, PD_PERSONA_DETAIL_CREATE);

  /* Nothing typed: refused, with the reason shown. */
  activate (GTK_WIDGET (detail (f)), "detail.save");
  g_assert_cmpint (pd_persona_detail_get_mode (detail (f)), ==, PD_PERSONA_DETAIL_CREATE);
  g_assert_nonnull (pd_persona_detail_get_error_text (detail (f)));

  type_into (f, PD_FIELD_FIRST_NAME, "Ada");
  type_into (f, PD_FIELD_LAST_NAME, "Lovelace");
  type_into (f, PD_FIELD_EMAIL, "bob@");
  type_into (f, PD_FIELD_PHONE, "(415) 555-0199");
  activate (GTK_WIDGET (detail (f)), "detail.save");
  /* A bad email is refused inline, with the core's reason. */
  g_assert_cmpint (pd_persona_detail_get_mode (detail (f)), ==, PD_PERSONA_DETAIL_CREATE);
  g_assert_nonnull (strstr (pd_persona_detail_get_error_text (detail (f)), "bob@"));
  g_assert_true (gtk_widget_has_css_class (detail_child (f, "emails_row"), "error"));
  g_assert_cmpuint (pd_store_count_personas (f->store, &(PdPersonaQuery) { 0 }, NULL), ==, before);

  type_into (f, PD_FIELD_EMAIL, "  Ada@Example.COM ");
  activate (GTK_WIDGET (detail (f)), "detail.save");
  g_assert_null (pd_persona_detail_get_error_text (detail (f)));
  g_assert_cmpint (pd_persona_detail_get_mode (detail (f)), ==, PD_PERSONA_DETAIL_VIEW);
  id = pd_persona_detail_get_persona_id (detail (f));
  g_assert_cmpint (id, >, 0);

  g_assert_cmpint (pd_store_find_persona (f->store, PD_FIELD_PHONE, "+14155550199", &error), ==, id);
  g_assert_no_error (error);
  created = stored (f, id);
  g_assert_cmpstr (pd_persona_get_value (created, PD_FIELD_FIRST_NAME), ==, "Ada");
  g_assert_cmpstr (pd_persona_get_primary_email (created), ==, "ada@example.com");
  g_assert_cmpstr (pd_persona_get_primary_phone (created), ==, "+14155550199");
  g_assert_cmpstr (pd_persona_get_signup_source (created), ==, "Manual");
  g_assert_true (pd_persona_get_loyalty (created));
  g_assert_cmpuint (n_listed (f), ==, before + 1);

  /* The same phone again: nothing written, the user is asked what to do
   * with what was typed (answered in test-counter.c); closing the
   * question goes back to the form. */
  activate (GTK_WIDGET (f->window), "win.new-persona");
  type_into (f, PD_FIELD_PHONE, "415.555.0199");
  activate (GTK_WIDGET (detail (f)), "detail.save");
  g_assert_cmpint (pd_persona_detail_get_mode (detail (f)), ==, PD_PERSONA_DETAIL_CREATE);
  g_assert_cmpuint (n_listed (f), ==, before + 1);
  {
    g_autoptr(GList) windows = gtk_window_list_toplevels ();

    for (GList *l = windows; l != NULL; l = l->next)
      if (ADW_IS_MESSAGE_DIALOG (l->data))
        gtk_window_close (l->data);
  }
  activate (GTK_WIDGET (detail (f)), "detail.cancel");

  /* 2. Find it by a differently formatted phone. */
  search (f, "+1 415-555-0199");
  g_assert_cmpuint (n_listed (f), ==, 1);
  listed = g_list_model_get_item (G_LIST_MODEL (pd_window_get_persona_list (f->window)), 0);
  g_assert_cmpint (pd_persona_get_id (listed), ==, id);
  search (f, "(415) 555");
  g_assert_cmpuint (n_listed (f), >=, 1);
  search (f, "");
  g_assert_cmpuint (n_listed (f), ==, before + 1);

  /* 3. Edit traits: a bad date is refused inline, then a good edit saves. */
  pd_window_show_persona (f->window, id);
  activate (GTK_WIDGET (detail (f)), "detail.edit");
  g_assert_cmpint (pd_persona_detail_get_mode (detail (f)), ==, PD_PERSONA_DETAIL_EDIT);
  type_into (f, PD_FIELD_CITY, "Seattle");
  type_into (f, PD_FIELD_PHONE, "(415) 555-0199, 206 555 0100");
  type_into (f, PD_FIELD_BIRTH_DATE, "1990-02-31");
  type_into (f, PD_FIELD_TAGS, "vip, counter");
  gtk_editable_set_text (GTK_EDITABLE (detail_child (f, "new_attribute_name_row")), "veteran");
  gtk_editable_set_text (GTK_EDITABLE (detail_child (f, "new_attribute_value_row")), "yes");
  activate (GTK_WIDGET (detail (f)), "detail.add-attribute");
  gtk_editable_set_text (GTK_EDITABLE (detail_child (f, "new_attribute_name_row")), "shoe size");
  gtk_editable_set_text (GTK_EDITABLE (detail_child (f, "new_attribute_value_row")), "42");
  activate (GTK_WIDGET (detail (f)), "detail.add-attribute");
  activate (GTK_WIDGET (detail (f)), "detail.save");
  g_assert_cmpint (pd_persona_detail_get_mode (detail (f)), ==, PD_PERSONA_DETAIL_EDIT);
  g_assert_true (gtk_widget_has_css_class (detail_child (f, "birth_date_row"), "error"));
  {
    g_autoptr(PdPersona) unchanged = stored (f, id);
    g_assert_null (pd_persona_get_value (unchanged, PD_FIELD_CITY));
  }

  type_into (f, PD_FIELD_BIRTH_DATE, "1990-02-13");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (detail (f)), "detail.remove-attribute",
                                             "s", "shoe size"));
  gtk_switch_set_active (GTK_SWITCH (detail_child (f, "email_opt_in_switch")), TRUE);
  activate (GTK_WIDGET (detail (f)), "detail.save");
  g_assert_null (pd_persona_detail_get_error_text (detail (f)));
  g_assert_cmpint (pd_persona_detail_get_mode (detail (f)), ==, PD_PERSONA_DETAIL_VIEW);

  edited = stored (f, id);
  g_assert_cmpstr (pd_persona_get_value (edited, PD_FIELD_CITY), ==, "Seattle");
  g_assert_cmpstr (pd_persona_get_value (edited, PD_FIELD_BIRTH_DATE), ==, "1990-02-13");
  g_assert_cmpuint (pd_persona_get_phones (edited)->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (pd_persona_get_phones (edited), 1), ==, "+12065550100");
  /* shown as staff write them, stored in E.164 */
  g_assert_cmpstr (gtk_editable_get_text (pd_persona_detail_get_field_editable (detail (f), PD_FIELD_PHONE)),
                   ==, "(415) 555-0199, (206) 555-0100");
  g_assert_cmpuint (pd_persona_get_tags (edited)->len, ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (pd_persona_get_attributes (edited), "veteran"), ==, "yes");
  g_assert_null (g_hash_table_lookup (pd_persona_get_attributes (edited), "shoe size"));
  g_assert_true (pd_persona_get_email_opt_in (edited));
  g_assert_cmpstr (pd_persona_get_value (edited, PD_FIELD_FIRST_NAME), ==, "Ada");

  /* Renaming an attribute that was saved: the value goes with it; a
   * name that is empty or taken is refused where the rows are. */
  activate (GTK_WIDGET (detail (f)), "detail.edit");
  gtk_editable_set_text (GTK_EDITABLE (detail_child (f, "new_attribute_name_row")), "size");
  gtk_editable_set_text (GTK_EDITABLE (detail_child (f, "new_attribute_value_row")), "M");
  activate (GTK_WIDGET (detail (f)), "detail.add-attribute");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (detail (f)), "detail.rename-attribute",
                                             "(ss)", "veteran", "size"));
  g_assert_true (gtk_widget_get_visible (detail_child (f, "attribute_error_label")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (detail (f)), "detail.rename-attribute",
                                             "(ss)", "veteran", "  "));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (detail (f)), "detail.rename-attribute",
                                             "(ss)", "veteran", " service "));
  g_assert_false (gtk_widget_get_visible (detail_child (f, "attribute_error_label")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (detail (f)), "detail.remove-attribute",
                                             "s", "size"));
  activate (GTK_WIDGET (detail (f)), "detail.save");
  g_assert_null (pd_persona_detail_get_error_text (detail (f)));
  {
    g_autoptr(PdPersona) p = stored (f, id);
    g_assert_cmpuint (g_hash_table_size (pd_persona_get_attributes (p)), ==, 1);
    g_assert_cmpstr (g_hash_table_lookup (pd_persona_get_attributes (p), "service"), ==, "yes");
  }

  /* Removing an attribute that was saved. */
  activate (GTK_WIDGET (detail (f)), "detail.edit");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (detail (f)), "detail.remove-attribute",
                                             "s", "service"));
  activate (GTK_WIDGET (detail (f)), "detail.save");
  {
    g_autoptr(PdPersona) p = stored (f, id);
    g_assert_cmpuint (g_hash_table_size (pd_persona_get_attributes (p)), ==, 0);
  }

  /* 4. Archive: gone from the list, in the archived view. */
  activate (GTK_WIDGET (detail (f)), "detail.archive");
  archived = stored (f, id);
  g_assert_true (pd_persona_get_archived (archived));
  g_assert_cmpuint (n_listed (f), ==, before);
  activate (GTK_WIDGET (f->window), "win.show-archived");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pd_archived_view_get_list (pd_window_get_archived_view (f->window)))), ==, 1);

  /* 5. Unarchive from the archived view. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (pd_window_get_archived_view (f->window)),
                                             "archived.unarchive", "x", id));
  back = stored (f, id);
  g_assert_false (pd_persona_get_archived (back));
  g_assert_cmpuint (n_listed (f), ==, before + 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pd_archived_view_get_list (pd_window_get_archived_view (f->window)))), ==, 0);
  activate (GTK_WIDGET (f->window), "win.show-personas");

  /* Escape closes the slide-out. */
  activate (GTK_WIDGET (f->window), "win.close-detail");
  g_assert_false (pd_window_get_detail_revealed (f->window));
}

static void
test_double_opt_in (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(PdPersona) pending = NULL;
  g_autoptr(PdPersona) confirmed = NULL;
  gint64 id;

  activate (GTK_WIDGET (f->window), "win.new-persona");
  type_into (f, PD_FIELD_PHONE, "503-555-0123");
  gtk_switch_set_active (GTK_SWITCH (detail_child (f, "double_opt_in_switch")), TRUE);
  /* The SMS switch cannot be on while the opt-in is pending. */
  g_assert_false (gtk_widget_get_sensitive (detail_child (f, "sms_switch")));
  activate (GTK_WIDGET (detail (f)), "detail.save");
  id = pd_persona_detail_get_persona_id (detail (f));
  g_assert_cmpint (id, >, 0);

  pending = stored (f, id);
  g_assert_cmpint (pd_persona_get_sms_consent (pending), ==, PD_SMS_CONSENT_PENDING);
  g_assert_true (gtk_widget_get_visible (detail_child (f, "sms_confirm_row")));

  /* the confirmation text waits in the outbox */
  {
    g_autoptr(GPtrArray) outbox = pd_store_list_outbox (f->store, TRUE, NULL);

    g_assert_cmpuint (outbox->len, ==, 1);
    g_assert_cmpint (((PdOutboxMessage *) outbox->pdata[0])->persona_id, ==, id);
  }

  /* Cancel request: back to not opted in; asked again, then confirmed */
  activate (GTK_WIDGET (detail (f)), "detail.cancel-sms-request");
  g_clear_object (&pending);
  pending = stored (f, id);
  g_assert_cmpint (pd_persona_get_sms_consent (pending), ==, PD_SMS_CONSENT_NONE);
  g_assert_false (pd_persona_get_sms_opt_out (pending));
  g_assert_false (gtk_widget_get_visible (detail_child (f, "sms_confirm_row")));
  g_assert_true (pd_store_sms_opt_in (f->store, "+15035550123", PD_SMS_OPT_IN_DOUBLE,
                                      &(PdActor) { PD_SOURCE_MANUAL, NULL }, &(PdConsentChange) { 0 }, NULL));
  pd_window_show_persona (f->window, id);
  g_assert_true (gtk_widget_get_visible (detail_child (f, "sms_confirm_row")));

  activate (GTK_WIDGET (detail (f)), "detail.confirm-sms");
  confirmed = stored (f, id);
  g_assert_cmpint (pd_persona_get_sms_consent (confirmed), ==, PD_SMS_CONSENT_OPTED_IN);
  g_assert_true (pd_persona_get_loyalty (confirmed));
  g_assert_false (gtk_widget_get_visible (detail_child (f, "sms_confirm_row")));
}

static GtkWidget *
find_message_dialog (void)
{
  GList *toplevels = gtk_window_list_toplevels ();
  GtkWidget *dialog = NULL;

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      dialog = l->data;
  g_list_free (toplevels);
  return dialog;
}

/* The points dialog: amount and reason, the store's rule (not below zero)
 * refusing with the reason shown, nothing written. */
static void
adjust_in_dialog (const char *amount,
                  const char *reason)
{
  GtkWidget *dialog = find_message_dialog ();

  g_assert_nonnull (dialog);
  gtk_editable_set_text (GTK_EDITABLE (g_object_get_data (G_OBJECT (dialog), "amount")), amount);
  gtk_editable_set_text (GTK_EDITABLE (g_object_get_data (G_OBJECT (dialog), "reason")), reason);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "adjust");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_adjust_points (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(PdPersona) p = pd_test_make_persona (1000);
  g_autoptr(PdPersona) after = NULL;
  g_autoptr(GPtrArray) ledger = NULL;
  gint64 id;

  pd_persona_set_points (p, 0);
  g_assert_true (pd_store_save_persona (f->store, p, PD_SOURCE_MANUAL, NULL));
  id = pd_persona_get_id (p);
  pd_window_show_persona (f->window, id);

  activate (GTK_WIDGET (detail (f)), "detail.adjust-points");
  adjust_in_dialog ("+25", "Welcome gift");
  after = stored (f, id);
  g_assert_cmpint (pd_persona_get_points (after), ==, 25);
  g_assert_true (pd_persona_get_loyalty (after));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (detail_child (f, "balance_label"))), ==, "25");
  ledger = pd_store_list_ledger (f->store, id, NULL);
  g_assert_cmpuint (ledger->len, ==, 1);
  g_assert_cmpstr (((PdLedgerEntry *) ledger->pdata[0])->reason, ==, "Welcome gift");
  g_assert_cmpstr (((PdLedgerEntry *) ledger->pdata[0])->actor, ==, g_get_user_name ());

  /* refused: below zero, not a number, no reason */
  activate (GTK_WIDGET (detail (f)), "detail.adjust-points");
  adjust_in_dialog ("-30", "Redeemed");
  activate (GTK_WIDGET (detail (f)), "detail.adjust-points");
  adjust_in_dialog ("lots", "Redeemed");
  activate (GTK_WIDGET (detail (f)), "detail.adjust-points");
  adjust_in_dialog ("5", " ");
  g_clear_object (&after);
  after = stored (f, id);
  g_assert_cmpint (pd_persona_get_points (after), ==, 25);
}

/* An import (in this window, another one or the CLI) holds the database:
 * a save fails soon with the reason shown and the typed values kept, and
 * succeeds once the import has ended. */
static void
test_save_while_in_use (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) importer = pd_store_open_another (f->store, &error);
  g_autoptr(PdImportInfo) info = pd_import_info_new ();
  GtkEditable *phone;
  gint64 start;

  g_assert_no_error (error);
  info->name = g_strdup ("holding the database");
  g_assert_cmpint (pd_store_begin_import (importer, info, NULL, &error), >, 0);
  g_assert_no_error (error);

  activate (GTK_WIDGET (f->window), "win.new-persona");
  type_into (f, PD_FIELD_PHONE, "503-555-0188");
  start = g_get_monotonic_time ();
  activate (GTK_WIDGET (detail (f)), "detail.save");
  /* not a timing test: the default wait is 10 s, this is meant to be brief */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpint (pd_persona_detail_get_mode (detail (f)), ==, PD_PERSONA_DETAIL_CREATE);
  g_assert_nonnull (strstr (pd_persona_detail_get_error_text (detail (f)), "is in use"));
  phone = pd_persona_detail_get_field_editable (detail (f), PD_FIELD_PHONE);
  g_assert_cmpstr (gtk_editable_get_text (phone), ==, "503-555-0188");

  pd_store_abort_import (importer, info);
  activate (GTK_WIDGET (detail (f)), "detail.save");
  g_assert_cmpint (pd_persona_detail_get_mode (detail (f)), ==, PD_PERSONA_DETAIL_VIEW);
  g_assert_cmpint (pd_store_find_persona (f->store, PD_FIELD_PHONE, "+15035550188", NULL), ==,
                   pd_persona_detail_get_persona_id (detail (f)));
}

static void
test_opt_out_stays (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(PdPersona) p = pd_test_make_persona (1000);
  g_autoptr(PdPersona) after = NULL;
  g_autoptr(GError) error = NULL;

  pd_persona_set_sms_opt_out (p, TRUE);
  pd_persona_set_sms_consent (p, PD_SMS_CONSENT_NONE);
  g_assert_true (pd_store_save_persona (f->store, p, PD_SOURCE_IMPORT, &error));
  g_assert_no_error (error);

  pd_window_show_persona (f->window, pd_persona_get_id (p));
  activate (GTK_WIDGET (detail (f)), "detail.edit");
  g_assert_false (gtk_widget_get_sensitive (detail_child (f, "sms_switch")));
  /* Even if the switch is forced on, saving does not opt them in. */
  gtk_switch_set_active (GTK_SWITCH (detail_child (f, "sms_switch")), TRUE);
  activate (GTK_WIDGET (detail (f)), "detail.save");

  after = stored (f, pd_persona_get_id (p));
  g_assert_true (pd_persona_get_sms_opt_out (after));
  g_assert_cmpint (pd_persona_get_sms_consent (after), !=, PD_SMS_CONSENT_OPTED_IN);
}

/* The persona at @position once read: pages past the first are read in a
 * thread and hold empty personas until then. */
static PdPersona *
listed (Fixture *f,
        guint    position)
{
  PdPersonaList *list = pd_window_get_persona_list (f->window);
  g_autoptr(PdPersona) asked = NULL;

  WAIT_UNTIL (!pd_persona_list_is_counting (list));
  /* asking starts the read of its page */
  asked = g_list_model_get_item (G_LIST_MODEL (list), position);
  WAIT_UNTIL (pd_persona_list_get_n_loading_pages (list) == 0);
  return g_list_model_get_item (G_LIST_MODEL (list), position);
}

static void
assert_sorted_by_points (Fixture  *f,
                         gboolean  descending)
{
  g_autoptr(PdPersona) previous = listed (f, 0);

  g_assert_cmpuint (n_listed (f), ==, 300);
  for (guint i = 1; i < n_listed (f); i++)
    {
      g_autoptr(PdPersona) p = listed (f, i);

      if (descending)
        g_assert_cmpint (pd_persona_get_points (p), <=, pd_persona_get_points (previous));
      else
        g_assert_cmpint (pd_persona_get_points (p), >=, pd_persona_get_points (previous));
      g_set_object (&previous, p);
    }
}

static void
test_sort_by_column (Fixture       *f,
                     gconstpointer  data)
{
  PdPersonaHeader *header = pd_window_get_list_header (f->window);
  GtkWidget *points = pd_persona_header_get_button (header, PD_PERSONA_COLUMN_POINTS);
  GtkWidget *name = pd_persona_header_get_button (header, PD_PERSONA_COLUMN_NAME);
  PdPersonaList *list = pd_window_get_persona_list (f->window);
  gboolean descending;

  /* What a click on the Points title does: ascending, then turned round. */
  g_signal_emit_by_name (points, "clicked");
  g_assert_cmpint (pd_persona_list_get_sort (list, &descending), ==, PD_PERSONA_SORT_POINTS);
  g_assert_false (descending);
  assert_sorted_by_points (f, FALSE);

  g_signal_emit_by_name (points, "clicked");
  g_assert_cmpint (pd_persona_list_get_sort (list, &descending), ==, PD_PERSONA_SORT_POINTS);
  g_assert_true (descending);
  assert_sorted_by_points (f, TRUE);

  /* Another column starts ascending again. */
  g_signal_emit_by_name (name, "clicked");
  g_assert_cmpint (pd_persona_list_get_sort (list, &descending), ==, PD_PERSONA_SORT_NAME);
  g_assert_false (descending);
}

static gboolean
row_shown (Fixture    *f,
           const char *email)
{
  GtkWidget *view = GTK_WIDGET (pd_window_get_list_view (f->window));

  for (GtkWidget *item = gtk_widget_get_first_child (view); item != NULL;
       item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *child = gtk_widget_get_first_child (item);

      if (PD_IS_PERSONA_ROW (child)
          && g_strcmp0 (pd_persona_row_get_text (PD_PERSONA_ROW (child), PD_PERSONA_COLUMN_EMAIL), email) == 0)
        return gtk_widget_get_mapped (child);
    }
  return FALSE;
}

static void
test_rows_show_personas (Fixture       *f,
                         gconstpointer  data)
{
  GListModel *list = G_LIST_MODEL (pd_window_get_persona_list (f->window));
  g_autoptr(PdPersona) first = g_list_model_get_item (list, 0);
  g_autoptr(PdPersona) found = NULL;

  /* The first persona's row shows its email in the email column... */
  WAIT_UNTIL (row_shown (f, pd_persona_get_primary_email (first)));
  /* ...and after a search, the one found is the row shown. */
  search (f, "p7@example.com");
  g_assert_cmpuint (n_listed (f), ==, 1);
  found = g_list_model_get_item (list, 0);
  WAIT_UNTIL (row_shown (f, pd_persona_get_primary_email (found)));
  g_assert_false (row_shown (f, pd_persona_get_primary_email (first)));
}

static int
title_width (PdPersonaHeader *header,
             PdPersonaColumn  column)
{
  return gtk_widget_get_width (pd_persona_header_get_button (header, column));
}

/* Dragging the edge between two column titles resizes the columns, in
 * the header and in the rows (both placed by the header's columns); the
 * email column gives or takes, never below its minimum. */
static void
test_resize_column (Fixture       *f,
                    gconstpointer  data)
{
  PdPersonaHeader *header = pd_window_get_list_header (f->window);
  PdPersonaColumns *columns = pd_persona_header_get_columns (header);
  GListModel *list = G_LIST_MODEL (pd_window_get_persona_list (f->window));
  g_autoptr(PdPersona) first = g_list_model_get_item (list, 0);
  GtkWidget *name_button = pd_persona_header_get_button (header, PD_PERSONA_COLUMN_NAME);
  int name, email, phone, points, width;
  int x[PD_PERSONA_N_COLUMNS], w[PD_PERSONA_N_COLUMNS], x0[PD_PERSONA_N_COLUMNS], w0[PD_PERSONA_N_COLUMNS];
  graphene_rect_t bounds;
  PdPersonaColumn edge;

  WAIT_UNTIL (row_shown (f, pd_persona_get_primary_email (first)));
  WAIT_UNTIL (gtk_widget_get_width (GTK_WIDGET (header)) > 0);
  name = title_width (header, PD_PERSONA_COLUMN_NAME);
  email = title_width (header, PD_PERSONA_COLUMN_EMAIL);
  phone = title_width (header, PD_PERSONA_COLUMN_PHONE);
  points = title_width (header, PD_PERSONA_COLUMN_POINTS);
  width = gtk_widget_get_width (GTK_WIDGET (header));
  pd_persona_columns_place (columns, width, x0, w0);

  /* the edge is where the name's title ends; the title's middle is not */
  g_assert_true (gtk_widget_compute_bounds (name_button, GTK_WIDGET (header), &bounds));
  g_assert_true (pd_persona_header_edge_at (header, bounds.origin.x + bounds.size.width + 2, &edge));
  g_assert_cmpint (edge, ==, PD_PERSONA_COLUMN_NAME);
  g_assert_false (pd_persona_header_edge_at (header, bounds.origin.x + bounds.size.width / 2, &edge));

  /* the name 60 px wider: the email gives them */
  pd_persona_header_drag_edge (header, PD_PERSONA_COLUMN_NAME, 60);
  WAIT_UNTIL (title_width (header, PD_PERSONA_COLUMN_NAME) == name + 60);
  g_assert_cmpint (title_width (header, PD_PERSONA_COLUMN_EMAIL), ==, email - 60);
  g_assert_cmpint (title_width (header, PD_PERSONA_COLUMN_PHONE), ==, phone);
  /* the rows, as wide as the header, place their columns the same */
  pd_persona_columns_place (columns, width, x, w);
  g_assert_cmpint (w[PD_PERSONA_COLUMN_NAME], ==, w0[PD_PERSONA_COLUMN_NAME] + 60);
  g_assert_cmpint (x[PD_PERSONA_COLUMN_EMAIL], ==, x0[PD_PERSONA_COLUMN_EMAIL] + 60);
  g_assert_cmpint (x[PD_PERSONA_COLUMN_PHONE], ==, x0[PD_PERSONA_COLUMN_PHONE]);

  /* the email's edge 30 px back: the phone takes them, the name stays */
  pd_persona_header_drag_edge (header, PD_PERSONA_COLUMN_EMAIL, -30);
  WAIT_UNTIL (title_width (header, PD_PERSONA_COLUMN_PHONE) == phone + 30);
  g_assert_cmpint (title_width (header, PD_PERSONA_COLUMN_NAME), ==, name + 60);
  g_assert_cmpint (title_width (header, PD_PERSONA_COLUMN_EMAIL), ==, email - 90);

  /* between two fixed columns, the next one gives; and no further than
   * its minimum */
  pd_persona_header_drag_edge (header, PD_PERSONA_COLUMN_PHONE, 10000);
  WAIT_UNTIL (title_width (header, PD_PERSONA_COLUMN_PHONE) > phone + 30);
  pd_persona_columns_place (columns, width, x, w);
  g_assert_cmpint (w[PD_PERSONA_COLUMN_POINTS], ==, PD_PERSONA_COLUMN_MIN_WIDTH);
  g_assert_cmpint (w[PD_PERSONA_COLUMN_PHONE], ==, w0[PD_PERSONA_COLUMN_PHONE] + 30 + w0[PD_PERSONA_COLUMN_POINTS]
                                                   - PD_PERSONA_COLUMN_MIN_WIDTH);
  g_assert_cmpint (x[PD_PERSONA_COLUMN_LOYALTY], ==, x0[PD_PERSONA_COLUMN_LOYALTY]);

  /* the name cannot squeeze the email below its minimum */
  pd_persona_header_drag_edge (header, PD_PERSONA_COLUMN_NAME, 10000);
  pd_persona_columns_place (columns, width, x, w);
  g_assert_cmpint (w[PD_PERSONA_COLUMN_EMAIL], ==, 120);

  /* remembered when the window closes, for the next one */
  {
    g_autoptr(GSettings) settings = pd_application_dup_settings ();
    g_autoptr(PdWindow) next = NULL;
    PdPersonaHeader *next_header;
    int before[PD_PERSONA_N_COLUMNS], after[PD_PERSONA_N_COLUMNS];
    gboolean handled = FALSE;

    g_assert_nonnull (settings);
    pd_persona_columns_get_widths (columns, before);
    g_signal_emit_by_name (f->window, "close-request", &handled);
    next = g_object_ref_sink (pd_window_new (NULL, f->store));
    next_header = pd_window_get_list_header (next);
    pd_persona_columns_get_widths (pd_persona_header_get_columns (next_header), after);
    g_assert_cmpmem (before, sizeof before, after, sizeof after);
    gtk_window_destroy (GTK_WINDOW (next));
    /* the other tests' windows start as new */
    g_settings_reset (settings, "column-widths");
  }

  /* a double click on an edge undoes what was done to it */
  pd_persona_columns_reset_edge (columns, PD_PERSONA_COLUMN_PHONE);
  pd_persona_columns_reset_edge (columns, PD_PERSONA_COLUMN_EMAIL);
  WAIT_UNTIL (title_width (header, PD_PERSONA_COLUMN_NAME) == name);
  g_assert_cmpint (title_width (header, PD_PERSONA_COLUMN_EMAIL), ==, email);
  g_assert_cmpint (title_width (header, PD_PERSONA_COLUMN_PHONE), ==, phone);
  g_assert_cmpint (title_width (header, PD_PERSONA_COLUMN_POINTS), ==, points);
}

static void
test_select_opens_detail (Fixture       *f,
                          gconstpointer  data)
{
  GObject *selection = gtk_widget_get_template_child (GTK_WIDGET (f->window), PD_TYPE_WINDOW, "selection");
  g_autoptr(PdPersona) third = g_list_model_get_item (G_LIST_MODEL (pd_window_get_persona_list (f->window)), 2);

  gtk_selection_model_select_item (GTK_SELECTION_MODEL (selection), 2, TRUE);
  g_assert_true (pd_window_get_detail_revealed (f->window));
  g_assert_cmpint (pd_persona_detail_get_persona_id (detail (f)), ==, pd_persona_get_id (third));
  spin (300);
}

static void
test_imports_shown (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(PdImportInfo) info = pd_import_info_new ();
  g_autoptr(PdPersona) p = pd_test_make_persona (500);
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_build_filename (f->dir, "spring.csv", NULL);
  gint64 import_id;

  g_file_set_contents (file, "Email\np500@example.com\n", -1, NULL);
  info->name = g_strdup ("Spring promo");
  import_id = pd_store_begin_import (f->store, info, file, &error);
  g_assert_no_error (error);
  g_assert_true (pd_store_import_write (f->store, import_id, p, NULL, NULL, &error));
  g_assert_no_error (error);
  info->total = info->imported = 1;
  g_assert_true (pd_store_finish_import (f->store, info, &error));
  g_assert_no_error (error);

  pd_window_reload (f->window);
  pd_window_show_persona (f->window, pd_persona_get_id (p));
  g_assert_true (gtk_widget_get_visible (detail_child (f, "imports_group")));

  /* A persona no import touched has no such section. */
  activate (GTK_WIDGET (f->window), "win.new-persona");
  g_assert_false (gtk_widget_get_visible (detail_child (f, "imports_group")));

  /* The import's audience, counted off the main thread, and back. */
  _pd_window_set_audience (f->window, import_id);
  WAIT_UNTIL (n_listed (f) == 1);
  {
    g_autoptr(PdPersona) only = g_list_model_get_item (G_LIST_MODEL (pd_window_get_persona_list (f->window)), 0);

    g_assert_cmpint (pd_persona_get_id (only), ==, pd_persona_get_id (p));
  }
  activate (GTK_WIDGET (f->window), "win.show-all-personas");
  WAIT_UNTIL (n_listed (f) == 6);
}

/* A refresh must read what is on screen, not the database: GTK 4.8 looks
 * every added item up after a combined items-changed. */
static void
test_refresh_reads_little (Fixture       *f,
                           gconstpointer  data)
{
  PdPersonaList *list = pd_window_get_persona_list (f->window);
  guint before;

  pd_persona_list_set_page_size (list, 20, 8);
  pd_window_reload (f->window);
  spin (300);
  before = pd_persona_list_get_n_page_loads (list);

  for (guint i = 0; i < 3; i++)
    {
      pd_window_reload (f->window);
      spin (100);
    }
  search (f, "p1");
  spin (100);
  search (f, "");
  spin (100);

  /* 1,500 personas are 75 pages.  GTK 4.8 keeps up to 200 rows realized
   * around the visible ones, so a refresh reads about 10 pages of 20, not
   * the 75 a lookup of every added item costs. */
  g_assert_cmpuint (pd_persona_list_get_n_page_loads (list) - before, <=, 5 * 12);
  g_assert_cmpuint (n_listed (f), ==, 1500);
}

/* The list view starts with the first page (GTK 4.8 would make 200 rows
 * before the first frame) and sees the whole list once the window has
 * painted a few frames; the search and the count still drive it. */
static void
test_view_grows (Fixture       *f,
                 gconstpointer  data)
{
  GObject *selection = gtk_widget_get_template_child (GTK_WIDGET (f->window), PD_TYPE_WINDOW, "selection");
  GListModel *view = G_LIST_MODEL (selection);
  g_autoptr(PdPersona) last_seen = NULL;
  g_autoptr(PdPersona) last = NULL;

  WAIT_UNTIL (g_list_model_get_n_items (view) == 1500);
  g_assert_cmpuint (n_listed (f), ==, 1500);
  last_seen = g_list_model_get_item (view, 1499);
  last = g_list_model_get_item (G_LIST_MODEL (pd_window_get_persona_list (f->window)), 1499);
  g_assert_true (last_seen == last);

  search (f, "p1");
  WAIT_UNTIL (g_list_model_get_n_items (view) == n_listed (f)
              && !pd_persona_list_is_counting (pd_window_get_persona_list (f->window)));
  g_assert_cmpuint (n_listed (f), >, 0);
  g_assert_cmpuint (n_listed (f), <, 1500);
  search (f, "");
  WAIT_UNTIL (g_list_model_get_n_items (view) == 1500);
}

static void
record_loading (GtkSearchEntry *entry,
                gboolean       *loading)
{
  PdWindow *window = PD_WINDOW (gtk_widget_get_root (GTK_WIDGET (entry)));

  *loading = pd_persona_list_is_loading (pd_window_get_persona_list (window));
}

/* While an import runs, a search's first page is read in a thread: the
 * import's commit made a read on the main thread wait for the disk. */
static void
test_search_during_import (Fixture       *f,
                           gconstpointer  data)
{
  PdPersonaList *list = pd_window_get_persona_list (f->window);
  g_autoptr(GFile) file = g_file_new_for_path ("/nonexistent.csv");
  PdSourceOptions source = { 0 };
  PdImportOptions options = { 0 };
  g_autoptr(PdImportJob) job = NULL;

  gboolean loading_after_search = FALSE;

  pd_import_options_init (&options);
  job = pd_import_job_new (f->store, file, &source, &options);
  pd_import_session_add (job);   /* as the progress page does; never run */
  g_signal_connect_after (pd_window_get_search_entry (f->window), "search-changed",
                          G_CALLBACK (record_loading), &loading_after_search);

  /* when the window's handler returns, the page is still being read */
  search (f, "p7@example.com");
  g_assert_true (loading_after_search);
  WAIT_UNTIL (!pd_persona_list_is_loading (list));
  g_assert_cmpuint (n_listed (f), ==, 1);

  /* no import: read at once, as ever */
  pd_import_session_job_finished (job);
  search (f, "p8@example.com");
  g_assert_false (loading_after_search);
  g_assert_false (pd_persona_list_is_loading (list));
  g_assert_cmpuint (n_listed (f), ==, 1);
}

static void
skip_without_display (void)
{
  g_test_skip ("no DISPLAY: the window tests run under xvfb-run (make test)");
}

#define ADD(path, n, fn) \
  g_test_add (path, Fixture, GUINT_TO_POINTER (n), fixture_setup, fn, fixture_teardown)

/* Issue 17: a phone-width window leaves Source and Loyalty out rather
 * than squeezing every column to an ellipsis. */
static void
test_columns_narrow (void)
{
  g_autoptr(PdPersonaColumns) columns = pd_persona_columns_new ();
  int x[PD_PERSONA_N_COLUMNS], w[PD_PERSONA_N_COLUMNS];

  pd_persona_columns_place (columns, 1000, x, w);
  for (int i = 0; i < PD_PERSONA_N_COLUMNS; i++)
    g_assert_cmpint (w[i], >, 0);

  pd_persona_columns_place (columns, 450, x, w);
  g_assert_cmpint (w[PD_PERSONA_COLUMN_SOURCE], ==, 0);
  g_assert_cmpint (w[PD_PERSONA_COLUMN_LOYALTY], ==, 0);
  g_assert_cmpint (w[PD_PERSONA_COLUMN_NAME], >=, 100);
  g_assert_cmpint (w[PD_PERSONA_COLUMN_EMAIL], >=, 100);
  g_assert_cmpint (w[PD_PERSONA_COLUMN_PHONE], >=, 120);
  g_assert_cmpint (x[PD_PERSONA_COLUMN_POINTS] + w[PD_PERSONA_COLUMN_POINTS], <=, 450);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/window/columns-narrow", test_columns_narrow);

  if (!pd_test_has_display ())
    {
      g_test_add_func ("/window/skipped", skip_without_display);
      return g_test_run ();
    }

  gtk_init ();
  adw_init ();

  ADD ("/window/empty", 0, test_empty);
  ADD ("/window/lifecycle", 40, test_lifecycle);
  ADD ("/window/double-opt-in", 10, test_double_opt_in);
  ADD ("/window/opt-out-stays", 10, test_opt_out_stays);
  ADD ("/window/adjust-points", 10, test_adjust_points);
  ADD ("/window/save-while-in-use", 10, test_save_while_in_use);
  ADD ("/window/sort-by-column", 300, test_sort_by_column);
  ADD ("/window/rows-show-personas", 30, test_rows_show_personas);
  ADD ("/window/resize-column", 30, test_resize_column);
  ADD ("/window/search-during-import", 30, test_search_during_import);
  ADD ("/window/select-opens-detail", 30, test_select_opens_detail);
  ADD ("/window/imports-shown", 5, test_imports_shown);
  ADD ("/window/refresh-reads-little", 1500, test_refresh_reads_little);
  ADD ("/window/view-grows", 1500, test_view_grows);

  return g_test_run ();
}
