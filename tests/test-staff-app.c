/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>

#include "pd-account-dialog.h"
#include "pd-audit-window.h"
#include "pd-session.h"
#include "pd-sign-in-page.h"
#include "pd-store-staff.h"
#include "pd-test-gui.h"
#include "pd-test-personas.h"
#include "pd-window.h"
#include "pd-window-private.h"

/* Staff accounts in the app (issue 16), driven in-process: the sign-in
 * page in place of the window's content while accounts are on, a wrong
 * PIN refused, the right one signing in as that account (the app's actor,
 * which every write passes to the store), what the role may not do hidden,
 * and Switch User back to the sign-in page. */

#define WAIT_UNTIL(cond) PD_TEST_WAIT_UNTIL (cond, 20)

static void
skip_without_display (void)
{
  g_test_skip ("no display: run under xvfb-run");
}

static GtkWidget *
content (PdWindow *window)
{
  return adw_application_window_get_content (ADW_APPLICATION_WINDOW (window));
}

static guint
n_audit_windows (void)
{
  g_autoptr(GListModel) toplevels = g_object_ref (gtk_window_get_toplevels ());
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      n += PD_IS_AUDIT_WINDOW (window) && gtk_widget_get_visible (GTK_WIDGET (window));
    }
  return n;
}

static void
sign_in_with (GtkWidget  *page,
              guint       account_index,
              const char *password)
{
  AdwComboRow *account_row = ADW_COMBO_ROW (gtk_widget_get_template_child (page, PD_TYPE_SIGN_IN_PAGE,
                                                                           "account_row"));
  GtkEditable *password_row = GTK_EDITABLE (gtk_widget_get_template_child (page, PD_TYPE_SIGN_IN_PAGE,
                                                                           "password_row"));

  adw_combo_row_set_selected (account_row, account_index);
  gtk_editable_set_text (password_row, password);
  g_assert_true (gtk_widget_activate_action (page, "sign-in.sign-in", NULL));
}

static void
test_sign_in (void)
{
  const PdActor owner = { PD_SOURCE_MANUAL, "Olga", PD_ROLE_OWNER };
  PdStaffSettings settings = { TRUE, 5 };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(PdStore) store = pd_test_store_new (&dir);
  PdSession *session = pd_session_get_default ();
  GtkWidget *page, *error_label;
  PdWindow *window;

  pd_test_seed (store, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_store_add_account (store, "Olga", PD_ROLE_OWNER, "olga-pass", &owner, &error), >, 0);
  g_assert_cmpint (pd_store_add_account (store, "Sam", PD_ROLE_STAFF, "2468", &owner, &error), >, 0);
  g_assert_true (pd_store_set_staff_settings (store, &settings, &owner, &error));
  g_assert_no_error (error);

  window = g_object_ref_sink (pd_window_new (NULL, store));
  gtk_window_present (GTK_WINDOW (window));
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (window)));

  /* no one signed in: no customers shown, every write refused */
  page = content (window);
  g_assert_true (PD_IS_SIGN_IN_PAGE (page));
  g_assert_cmpint (pd_app_actor ()->role, ==, PD_ROLE_NOBODY);

  /* a wrong PIN: still the sign-in page, with the reason */
  error_label = GTK_WIDGET (gtk_widget_get_template_child (page, PD_TYPE_SIGN_IN_PAGE, "error_label"));
  sign_in_with (page, 1, "0000");
  WAIT_UNTIL (gtk_widget_get_visible (error_label));
  g_assert_true (content (window) == page);
  g_assert_null (pd_session_get_account_name (session));

  /* Sam's PIN: the window's content, acting as Sam (Staff) */
  sign_in_with (page, 1, "2468");
  WAIT_UNTIL (content (window) != page);
  g_assert_cmpstr (pd_app_actor ()->who, ==, "Sam");
  g_assert_cmpint (pd_app_actor ()->role, ==, PD_ROLE_STAFF);
  /* Staff may not import nor read the audit log: the actions are off (a
   * disabled action does nothing when activated); may create */
  g_assert_false (pd_app_may (PD_PERMISSION_IMPORT));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.audit-log", NULL);
  pd_test_spin (50);
  g_assert_cmpuint (n_audit_windows (), ==, 0);
  g_assert_true (pd_app_may (PD_PERMISSION_EDIT));

  /* Switch User: back to the sign-in page, no one signed in */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.switch-user", NULL));
  g_assert_true (content (window) == page);
  g_assert_null (pd_session_get_account_name (session));

  /* the Owner: the audit log opens */
  sign_in_with (page, 0, "olga-pass");
  WAIT_UNTIL (content (window) != page);
  g_assert_cmpstr (pd_app_actor ()->who, ==, "Olga");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.audit-log", NULL);
  WAIT_UNTIL (n_audit_windows () == 1);

  /* the lock hides it; the same Owner finds it again */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.switch-user", NULL));
  g_assert_cmpuint (n_audit_windows (), ==, 0);
  sign_in_with (page, 0, "olga-pass");
  WAIT_UNTIL (content (window) != page);
  g_assert_cmpuint (n_audit_windows (), ==, 1);
  /* someone else does not */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.switch-user", NULL));
  sign_in_with (page, 1, "2468");
  WAIT_UNTIL (content (window) != page);
  pd_test_spin (50);
  g_assert_cmpuint (n_audit_windows (), ==, 0);

  /* left alone past the lock time (5 minutes): locked, no one signed in */
  window->last_activity_us = g_get_monotonic_time () - 6 * 60 * G_USEC_PER_SEC;
  WAIT_UNTIL (content (window) == page);
  g_assert_null (pd_session_get_account_name (session));

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  pd_test_spin (50);
  g_clear_object (&store);
  pd_test_remove_dir (dir);
}

static void
edit_city (PdWindow   *window,
           gint64      id,
           const char *city)
{
  PdPersonaDetail *detail;

  pd_window_show_persona (window, id);
  detail = _pd_window_ensure_detail (window);
  WAIT_UNTIL (pd_persona_detail_get_persona_id (detail) == id);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (detail), "detail.edit", NULL));
  g_assert_cmpint (pd_persona_detail_get_mode (detail), ==, PD_PERSONA_DETAIL_EDIT);
  gtk_editable_set_text (pd_persona_detail_get_field_editable (detail, PD_FIELD_CITY), city);
  g_assert_true (pd_persona_detail_has_changes (detail));
}

/* Unsaved edits belong to who typed them: the same account finds them
 * after the lock, another does not (they would be saved, and audited,
 * under the wrong name). */
static void
test_switch_user_edits (void)
{
  const PdActor owner = { PD_SOURCE_MANUAL, "Olga", PD_ROLE_OWNER };
  PdStaffSettings settings = { TRUE, 5 };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(PdStore) store = pd_test_store_new (&dir);
  g_autoptr(PdPersona) stored = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  PdPersonaQuery query = { .view = PD_PERSONA_VIEW_ACTIVE };
  PdPersonaDetail *detail;
  GtkWidget *page;
  PdWindow *window;
  gint64 id;

  g_assert_true (pd_test_seed (store, 0, 3, &error));
  listed = pd_store_list_personas (store, &query, 0, 1, &error);
  g_assert_no_error (error);
  id = pd_persona_get_id (g_ptr_array_index (listed, 0));
  g_assert_cmpint (pd_store_add_account (store, "Olga", PD_ROLE_OWNER, "olga-pass", &owner, &error), >, 0);
  g_assert_cmpint (pd_store_add_account (store, "Sam", PD_ROLE_STAFF, "2468", &owner, &error), >, 0);
  g_assert_true (pd_store_set_staff_settings (store, &settings, &owner, &error));

  window = g_object_ref_sink (pd_window_new (NULL, store));
  gtk_window_present (GTK_WINDOW (window));
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (window)));
  page = content (window);
  sign_in_with (page, 1, "2468");
  WAIT_UNTIL (content (window) != page);

  /* Sam types, locks, signs in again: the edit is still there */
  edit_city (window, id, "Lisbon");
  detail = _pd_window_ensure_detail (window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.switch-user", NULL));
  sign_in_with (page, 1, "2468");
  WAIT_UNTIL (content (window) != page);
  g_assert_true (pd_persona_detail_has_changes (detail));
  g_assert_cmpint (pd_persona_detail_get_mode (detail), ==, PD_PERSONA_DETAIL_EDIT);

  /* Olga signs in after Sam's lock: Sam's edit is gone, nothing saved */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.switch-user", NULL));
  sign_in_with (page, 0, "olga-pass");
  WAIT_UNTIL (content (window) != page);
  g_assert_false (pd_persona_detail_has_changes (detail));
  g_assert_cmpint (pd_persona_detail_get_mode (detail), ==, PD_PERSONA_DETAIL_VIEW);
  stored = pd_store_get_persona (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pd_persona_get_value (stored, PD_FIELD_CITY), !=, "Lisbon");

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  pd_test_spin (50);
  g_clear_object (&store);
  pd_test_remove_dir (dir);
}

/* Preferences' account dialog writes through the store as the session's
 * actor: the Owner (accounts off) adds one, then gives it another role. */
static void
test_account_dialog (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(PdStore) store = pd_test_store_new (&dir);
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(PdAccount) account = NULL;
  PdAccountDialog *dialog;

  pd_session_sync (pd_session_get_default (), store);
  g_assert_cmpint (pd_app_actor ()->role, ==, PD_ROLE_OWNER);

  dialog = pd_account_dialog_new (NULL, store, NULL);
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (dialog), PD_TYPE_ACCOUNT_DIALOG,
                                                                      "name_row")), "Kim");
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (dialog), PD_TYPE_ACCOUNT_DIALOG,
                                                                      "password_row")), "8642");
  adw_combo_row_set_selected (ADW_COMBO_ROW (gtk_widget_get_template_child (GTK_WIDGET (dialog),
                                                                            PD_TYPE_ACCOUNT_DIALOG, "role_row")),
                              PD_ROLE_MARKETING);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "save");
  pd_test_spin (50);

  account = pd_store_verify_account (store, "Kim", "8642", &error);
  g_assert_no_error (error);
  g_assert_cmpint (account->role, ==, PD_ROLE_MARKETING);

  dialog = pd_account_dialog_new (NULL, store, account);
  adw_combo_row_set_selected (ADW_COMBO_ROW (gtk_widget_get_template_child (GTK_WIDGET (dialog),
                                                                            PD_TYPE_ACCOUNT_DIALOG, "role_row")),
                              PD_ROLE_ANALYST);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "save");
  pd_test_spin (50);
  accounts = pd_store_list_accounts (store, &error);
  g_assert_cmpuint (accounts->len, ==, 1);
  g_assert_cmpint (((PdAccount *) accounts->pdata[0])->role, ==, PD_ROLE_ANALYST);
  /* an empty password kept the old one */
  g_clear_pointer (&account, pd_account_free);
  account = pd_store_verify_account (store, "Kim", "8642", &error);
  g_assert_no_error (error);

  g_clear_object (&store);
  pd_test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (!pd_test_has_display ())
    {
      g_test_add_func ("/staff-app/skipped", skip_without_display);
      return g_test_run ();
    }
  gtk_init ();
  adw_init ();
  g_test_add_func ("/staff-app/account-dialog", test_account_dialog);
  g_test_add_func ("/staff-app/sign-in", test_sign_in);
  g_test_add_func ("/staff-app/switch-user-edits", test_switch_user_edits);
  return g_test_run ();
}
