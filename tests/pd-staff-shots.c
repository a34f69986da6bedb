/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "pd-application.h"
#include "pd-audit-window.h"
#include "pd-preferences-window.h"
#include "pd-session.h"
#include "pd-sign-in-page.h"
#include "pd-store-staff.h"
#include "pd-test-personas.h"
#include "pd-window.h"
#include "pd-test-shots.h"

/* Screenshots of staff accounts for review (issue 16):
 *
 *   pd-staff-shots [OUT_DIR]        (default /tmp/pd-shots)
 *
 * the sign-in page and the Owner's Audit Log, each 1280 and 700 pixels
 * wide, on a temporary database where three staff members made changes
 * through the store API.  Run under xvfb-run; without a display it exits
 * 77 (skipped). */

static void
present_at (GtkWindow *window,
            int        width,
            int        height)
{
  gtk_window_set_default_size (window, width, height);
  gtk_window_present (window);
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);
}

/* What staff did: edits, points, consent, an archive, accounts. */
static void
make_history (PdStore *store)
{
  const PdActor owner = { PD_SOURCE_MANUAL, "Olivia", PD_ROLE_OWNER };
  const PdActor sam = { PD_SOURCE_MANUAL, "Sam", PD_ROLE_STAFF };
  const PdActor max = { PD_SOURCE_MANUAL, "Max", PD_ROLE_MANAGER };
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPersona) p = NULL;
  PdConsentChange change;
  PdStaffSettings settings = { TRUE, 5 };

  pd_store_add_account (store, "Olivia", PD_ROLE_OWNER, "olivia-pass", &owner, &error);
  pd_store_add_account (store, "Max", PD_ROLE_MANAGER, "2468", &owner, &error);
  pd_store_add_account (store, "Sam", PD_ROLE_STAFF, "1357", &owner, &error);
  pd_store_add_account (store, "Ana", PD_ROLE_ANALYST, "9999", &owner, &error);
  g_assert_no_error (error);
  pd_store_set_staff_settings (store, &settings, &owner, &error);
  g_assert_no_error (error);

  p = pd_store_get_persona (store, 12, &error);
  g_assert_no_error (error);
  pd_persona_set_value (p, PD_FIELD_LAST_NAME, "Martin");
  pd_persona_set_value (p, PD_FIELD_CITY, "Lyon");
  pd_store_save_persona_as (store, p, &sam, &error);
  pd_store_adjust_points_as (store, 12, 25, "Birthday bonus", &sam, NULL, &error);
  pd_store_adjust_points_as (store, 40, -30, "Redeemed: free coffee", &max, NULL, &error);
  /* some generated personas opted out: the first that did not */
  for (gint64 id = 13; id < 40; id++)
    {
      g_autoptr(PdPersona) q = pd_store_get_persona (store, id, NULL);

      if (q != NULL && pd_persona_get_primary_phone (q) != NULL &&
          pd_store_sms_opt_in (store, pd_persona_get_primary_phone (q), PD_SMS_OPT_IN_DOUBLE, &sam, &change, NULL))
        break;
    }
  pd_store_set_archived_as (store, 9, TRUE, &max, &error);
  g_clear_object (&p);
  p = pd_store_get_persona (store, 21, &error);
  pd_persona_set_attribute (p, "shoe size", "38");
  pd_store_save_persona_as (store, p, &max, &error);
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  const char *out = argc > 1 ? argv[1] : "/tmp/pd-shots";
  const int widths[] = { 1280, 700 };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(PdStore) store = NULL;

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_printerr ("pd-staff-shots: no display; run it under xvfb-run\n");
      return 77;
    }
  gtk_init ();
  adw_init ();
  g_mkdir_with_parents (out, 0755);
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, "/org/personadesk/PersonaDesk/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  store = pd_test_store_new (&dir);
  if (!pd_test_seed (store, 0, 120, &error))
    g_error ("seeding: %s", error->message);
  make_history (store);

  for (guint i = 0; i < G_N_ELEMENTS (widths); i++)
    {
      g_autofree char *sign_in = g_strdup_printf ("staff-sign-in-%d.png", widths[i]);
      g_autofree char *audit = g_strdup_printf ("staff-audit-log-%d.png", widths[i]);
      g_autoptr(PdAccount) account = NULL;
      PdWindow *window;
      PdAuditWindow *log;
      GtkWidget *page;

      /* a fresh start: accounts on, no one signed in */
      pd_session_sign_out (pd_session_get_default ());
      window = pd_window_new (NULL, store);
      present_at (GTK_WINDOW (window), widths[i], 800);
      page = adw_application_window_get_content (ADW_APPLICATION_WINDOW (window));
      g_assert_true (PD_IS_SIGN_IN_PAGE (page));
      pd_test_shoot (GTK_WIDGET (window), out, sign_in, 400);

      account = pd_store_verify_account (store, "Olivia", "olivia-pass", &error);
      g_assert_no_error (error);
      g_signal_emit_by_name (page, "signed-in", account);
      g_assert_false (PD_IS_SIGN_IN_PAGE (adw_application_window_get_content (ADW_APPLICATION_WINDOW (window))));

      log = pd_audit_window_new (GTK_WINDOW (window), store);
      present_at (GTK_WINDOW (log), widths[i], 800);
      pd_test_shoot (GTK_WIDGET (log), out, audit, 400);
      gtk_window_destroy (GTK_WINDOW (log));

      /* Preferences, tall enough for the Owner's Staff Accounts group */
      if (i == 0)
        {
          g_autoptr(GSettings) settings = pd_application_dup_settings ();
          PdPreferencesWindow *preferences = pd_preferences_window_new (GTK_WINDOW (window), settings);

          pd_preferences_window_set_store (preferences, store);
          present_at (GTK_WINDOW (preferences), 640, 1500);
          pd_test_shoot (GTK_WIDGET (preferences), out, "staff-preferences.png", 400);
          gtk_window_destroy (GTK_WINDOW (preferences));
        }
      gtk_window_destroy (GTK_WINDOW (window));
      pd_test_spin (100);
    }

  g_clear_object (&store);
  pd_test_remove_dir (dir);
  return 0;
}
