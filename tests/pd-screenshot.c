/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "pd-application.h"
#include "pd-database-group.h"
#include "pd-preferences-window.h"
#include "pd-test-personas.h"
#include "pd-window.h"
#include "pd-test-shots.h"

/* Screenshots of the real window for review:
 *
 *   pd-screenshot [OUT_DIR]        (default /tmp/pd-shots)
 *
 * on a temporary database of a few hundred generated personas: the list
 * with a persona's details open, the same while editing with a refused
 * value, a new persona, the archived view, the empty database, and a
 * search, and Preferences.  Run under xvfb-run; without a display it says so and exits 77
 * (skipped). */

#define N_PERSONAS 300

static PdWindow *
open_window (PdStore *store)
{
  PdWindow *window = pd_window_new (NULL, store);

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);
  return window;
}

int
main (int   argc,
      char *argv[])
{
  const char *out = argc > 1 ? argv[1] : "/tmp/pd-shots";
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *empty_dir = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autoptr(PdStore) empty = NULL;
  g_autoptr(PdPersona) shown = NULL;
  PdPersonaDetail *detail;
  PdWindow *window;
  gint64 id;

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_printerr ("pd-screenshot: no display; run it under xvfb-run\n");
      return 77;
    }

  gtk_init ();
  /* This build tree's translations, so that a language can be looked at
   * before installing: LANGUAGE=de (with a de_DE locale for its dates and
   * numbers) shows the German window. */
  bindtextdomain (GETTEXT_PACKAGE, PD_BUILD_ROOT "/po");
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  adw_init ();
  g_mkdir_with_parents (out, 0755);

  /* What AdwApplication loads from the resource base path in the app. */
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, "/org/personadesk/PersonaDesk/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  store = pd_test_store_new (&dir);
  if (!pd_test_seed (store, 0, N_PERSONAS, &error))
    g_error ("seeding: %s", error->message);

  /* One persona with a history worth showing. */
  id = 37 + 1;
  pd_store_adjust_points (store, id, 120, "Spring promo", PD_SOURCE_IMPORT, NULL);
  pd_store_adjust_points (store, id, -40, "Redeemed: free coffee", PD_SOURCE_API, NULL);
  pd_store_adjust_points (store, id, 15, "Birthday bonus", PD_SOURCE_MANUAL, NULL);
  shown = pd_store_get_persona (store, id, &error);
  g_assert_no_error (error);
  pd_persona_set_attribute (shown, "shoe size", "42");
  /* the customer chose it in the wallet app; the city is pinned */
  pd_persona_set_value (shown, PD_FIELD_FAVORITE_STORE, "Downtown");
  pd_persona_set_value_source (shown, PD_FIELD_FAVORITE_STORE, PD_SOURCE_WALLET);
  pd_persona_set_override (shown, PD_FIELD_CITY, "Lyon");
  pd_persona_set_value (shown, PD_FIELD_WEB, "https://grace.example.com");
  pd_persona_set_value (shown, PD_FIELD_INSTAGRAM, "@grace.bakes");
  pd_store_save_persona (store, shown, PD_SOURCE_MANUAL, NULL);
  /* pending since today: queued in the outbox, as staff would */
  if (pd_persona_get_phones (shown)->len > 0)
    {
      PdConsentChange change;

      pd_store_sms_opt_in (store, g_ptr_array_index (pd_persona_get_phones (shown), 0), PD_SMS_OPT_IN_DOUBLE,
                           &(PdActor) { PD_SOURCE_MANUAL, "screenshot" }, &change, NULL);
    }
  pd_store_set_archived (store, 5, TRUE, NULL);
  pd_store_set_archived (store, 9, TRUE, NULL);

  window = open_window (store);
  detail = pd_window_get_detail (window);
  pd_test_shoot (GTK_WIDGET (window), out, "list.png", 400);

  pd_window_show_persona (window, id);
  pd_test_shoot (GTK_WIDGET (window), out, "list-detail.png", 400);

  /* Points, consent (pending: Confirm / Cancel request) and membership
   * (favorite store with its source, pinned values), then the dialog. */
  {
    GtkWidget *points = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (detail), PD_TYPE_PERSONA_DETAIL,
                                                                     "points_group");
    GtkScrolledWindow *scroller = GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (points, GTK_TYPE_SCROLLED_WINDOW));
    GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (scroller);
    graphene_point_t at;
    GtkWidget *dialog;
    GList *toplevels;

    if (gtk_widget_compute_point (points, GTK_WIDGET (scroller), &GRAPHENE_POINT_INIT (0, 0), &at))
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + at.y - 12);
    pd_test_shoot (GTK_WIDGET (window), out, "detail-loyalty.png", 400);
    {
      GtkWidget *membership = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (detail),
                                                                           PD_TYPE_PERSONA_DETAIL,
                                                                           "membership_group");

      if (gtk_widget_compute_point (membership, GTK_WIDGET (scroller), &GRAPHENE_POINT_INIT (0, 0), &at))
        gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + at.y - 12);
      pd_test_shoot (GTK_WIDGET (window), out, "detail-membership.png", 400);
    }

    gtk_widget_activate_action (GTK_WIDGET (detail), "detail.adjust-points", NULL);
    toplevels = gtk_window_list_toplevels ();
    dialog = NULL;
    for (GList *l = toplevels; l != NULL; l = l->next)
      if (ADW_IS_MESSAGE_DIALOG (l->data))
        dialog = l->data;
    g_list_free (toplevels);
    g_assert_nonnull (dialog);
    while (!gtk_widget_get_mapped (dialog))
      g_main_context_iteration (NULL, TRUE);
    pd_test_shoot (dialog, out, "detail-adjust-points.png", 400);
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
    gtk_window_destroy (GTK_WINDOW (dialog));
    gtk_adjustment_set_value (adjustment, 0);
  }

  gtk_widget_activate_action (GTK_WIDGET (detail), "detail.edit", NULL);
  gtk_editable_set_text (pd_persona_detail_get_field_editable (detail, PD_FIELD_EMAIL), "bob@");
  gtk_editable_set_text (pd_persona_detail_get_field_editable (detail, PD_FIELD_PHONE), "12345");
  gtk_widget_activate_action (GTK_WIDGET (detail), "detail.save", NULL);
  pd_test_shoot (GTK_WIDGET (window), out, "detail-edit-error.png", 400);
  gtk_widget_activate_action (GTK_WIDGET (detail), "detail.cancel", NULL);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-persona", NULL);
  pd_test_shoot (GTK_WIDGET (window), out, "detail-new.png", 400);
  /* A new persona with someone's email: asked what to do with what was
   * typed (issue 17). */
  gtk_editable_set_text (pd_persona_detail_get_field_editable (detail, PD_FIELD_FIRST_NAME), "Bob");
  gtk_editable_set_text (pd_persona_detail_get_field_editable (detail, PD_FIELD_EMAIL), "p37@example.com");
  gtk_editable_set_text (pd_persona_detail_get_field_editable (detail, PD_FIELD_PHONE), "(415) 555-0111");
  gtk_widget_activate_action (GTK_WIDGET (detail), "detail.save", NULL);
  {
    g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

    for (GList *l = toplevels; l != NULL; l = l->next)
      if (ADW_IS_MESSAGE_DIALOG (l->data))
        {
          while (!gtk_widget_get_mapped (l->data))
            g_main_context_iteration (NULL, TRUE);
          pd_test_shoot (l->data, out, "create-existing-dialog.png", 400);
          adw_message_dialog_response (l->data, "open");
          gtk_window_close (l->data);
        }
  }
  pd_test_shoot (GTK_WIDGET (window), out, "create-existing-opened.png", 400);
  gtk_widget_activate_action (GTK_WIDGET (detail), "detail.cancel", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.close-detail", NULL);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL);
  gtk_editable_set_text (pd_window_get_search_entry (window), "(202) 555-01");
  pd_test_spin (300);
  pd_test_shoot (GTK_WIDGET (window), out, "search-phone.png", 400);
  gtk_editable_set_text (pd_window_get_search_entry (window), "");
  pd_test_spin (300);

  /* Sorted by phone: personas without one first, then the phones. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sort-by", "s", "phone");
  pd_test_shoot (GTK_WIDGET (window), out, "list-by-phone.png", 400);

  /* Sorted by points, highest first: the Points title twice. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sort-by", "s", "points");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sort-by", "s", "points");
  pd_test_shoot (GTK_WIDGET (window), out, "list-sorted.png", 400);

  /* The name column dragged 80 px narrower, the phone 40 px wider: what
   * a drag of the titles' edges does. */
  pd_persona_header_drag_edge (pd_window_get_list_header (window), PD_PERSONA_COLUMN_NAME, -80);
  pd_persona_header_drag_edge (pd_window_get_list_header (window), PD_PERSONA_COLUMN_EMAIL, -40);
  pd_test_shoot (GTK_WIDGET (window), out, "list-resized.png", 400);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-archived", NULL);
  pd_test_shoot (GTK_WIDGET (window), out, "archived.png", 400);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-personas", NULL);

  /* Leaving an edit with changes asks first (issue 17). */
  pd_window_show_persona (window, id);
  gtk_widget_activate_action (GTK_WIDGET (detail), "detail.edit", NULL);
  gtk_editable_set_text (pd_persona_detail_get_field_editable (detail, PD_FIELD_CITY), "Lisbon");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.close-detail", NULL);
  {
    g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

    for (GList *l = toplevels; l != NULL; l = l->next)
      if (ADW_IS_MESSAGE_DIALOG (l->data))
        {
          while (!gtk_widget_get_mapped (l->data))
            g_main_context_iteration (NULL, TRUE);
          pd_test_shoot (l->data, out, "leave-edit-dialog.png", 400);
          adw_message_dialog_response (l->data, "discard");
          gtk_window_close (l->data);
        }
  }
  pd_test_spin (100);

  /* The same window at four widths, the details open: beside the list
   * when there is room, over it (with its own background) when not. */
  {
    static const int widths[] = { 1280, 900, 700, 450 };

    for (guint i = 0; i < G_N_ELEMENTS (widths); i++)
      {
        g_autofree char *name = g_strdup_printf ("width-%d-detail.png", widths[i]);
        g_autofree char *list_name = g_strdup_printf ("width-%d-list.png", widths[i]);

        gtk_widget_activate_action (GTK_WIDGET (window), "win.close-detail", NULL);
        gtk_window_set_default_size (GTK_WINDOW (window), widths[i], 720);
        pd_test_spin (200);
        pd_test_shoot (GTK_WIDGET (window), out, list_name, 400);
        pd_window_show_persona (window, id);
        pd_test_shoot (GTK_WIDGET (window), out, name, 400);
      }
    gtk_widget_activate_action (GTK_WIDGET (window), "win.close-detail", NULL);
    gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  }

  /* What app.preferences opens; there is no application here to ask. */
  {
    g_autoptr(GSettings) settings = pd_application_dup_settings ();
    PdPreferencesWindow *preferences;

    g_assert_nonnull (settings);
    preferences = pd_preferences_window_new (GTK_WINDOW (window), settings);
    pd_preferences_window_set_store (preferences, store);
    /* Unfolded, so that the match keys are seen too. */
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (gtk_widget_get_template_child (
      GTK_WIDGET (preferences), PD_TYPE_PREFERENCES_WINDOW, "keys_row")), TRUE);
    gtk_window_set_default_size (GTK_WINDOW (preferences), 600, 720);
    gtk_window_present (GTK_WINDOW (preferences));
    while (!gtk_widget_get_mapped (GTK_WIDGET (preferences)))
      g_main_context_iteration (NULL, TRUE);
    pd_test_shoot (GTK_WIDGET (preferences), out, "preferences.png", 400);

    /* The shared database's address being typed (issue 19). */
    {
      GtkWidget *group = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (preferences),
                                                                      PD_TYPE_PREFERENCES_WINDOW, "database_group");
      GtkScrolledWindow *scroller = GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (group, GTK_TYPE_SCROLLED_WINDOW));
      GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (scroller);
      graphene_point_t at;

      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (gtk_widget_get_template_child (
        GTK_WIDGET (preferences), PD_TYPE_PREFERENCES_WINDOW, "keys_row")), FALSE);
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (gtk_widget_get_template_child (
        group, PD_TYPE_DATABASE_GROUP, "shared_row")), TRUE);
      gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (group, PD_TYPE_DATABASE_GROUP, "uri_row")),
                             "postgresql://desk3@crm.example.com/loyalty");
      pd_test_spin (400);
      if (gtk_widget_compute_point (group, GTK_WIDGET (scroller), &GRAPHENE_POINT_INIT (0, 0), &at))
        gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + at.y - 12);
      pd_test_shoot (GTK_WIDGET (preferences), out, "preferences-database.png", 400);
    }
    gtk_window_destroy (GTK_WINDOW (preferences));
  }
  gtk_window_destroy (GTK_WINDOW (window));

  empty = pd_test_store_new (&empty_dir);
  window = open_window (empty);
  pd_test_shoot (GTK_WIDGET (window), out, "empty.png", 400);
  gtk_window_destroy (GTK_WINDOW (window));

  g_clear_object (&store);
  g_clear_object (&empty);
  pd_test_remove_dir (dir);
  pd_test_remove_dir (empty_dir);
  return 0;
}
