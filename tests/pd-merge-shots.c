/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Screenshots of merging for review (run by hand):
 *
 *   xvfb-run -a tests/pd-merge-shots [OUT_DIR]     (default /tmp/pd-shots)
 *
 * two personas of one customer selected in the list, the merge dialog at
 * 1280 and 700 px wide, "Merge With…" asking for the other persona, and
 * the survivor's details listing the merge with "Unmerge". */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "pd-merge-dialog.h"
#include "pd-persona-detail.h"
#include "pd-test-shots.h"
#include "pd-test-personas.h"
#include "pd-window.h"

static PdMergeDialog *
find_dialog (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (PD_IS_MERGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static gint64
save (PdStore    *store,
      const char *first,
      const char *last,
      const char *email,
      const char *phone,
      const char *city,
      const char *birth,
      const char *store_name,
      PdSource    store_source,
      gint64      points)
{
  g_autoptr(PdPersona) persona = pd_persona_new ();
  g_autoptr(GError) error = NULL;

  pd_persona_set_value (persona, PD_FIELD_FIRST_NAME, first);
  pd_persona_set_value (persona, PD_FIELD_LAST_NAME, last);
  pd_persona_add_email (persona, email);
  if (phone != NULL)
    pd_persona_add_phone (persona, phone);
  pd_persona_set_value (persona, PD_FIELD_CITY, city);
  pd_persona_set_value (persona, PD_FIELD_BIRTH_DATE, birth);
  pd_persona_set_value (persona, PD_FIELD_FAVORITE_STORE, store_name);
  pd_persona_set_value_source (persona, PD_FIELD_FAVORITE_STORE, store_source);
  pd_persona_add_tag (persona, "newsletter");
  if (!pd_store_save_persona (store, persona, PD_SOURCE_MANUAL, &error))
    g_error ("saving: %s", error->message);
  if (points != 0)
    pd_store_adjust_points (store, pd_persona_get_id (persona), points, "Welcome", PD_SOURCE_MANUAL, NULL);
  return pd_persona_get_id (persona);
}

int
main (int   argc,
      char *argv[])
{
  const char *out = argc > 1 ? argv[1] : "/tmp/pd-shots";
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(PdStore) store = NULL;
  GtkSelectionModel *selection;
  PdMergeDialog *dialog;
  PdWindow *window;
  gint64 maria, mary;

  if (!pd_test_has_display ())
    {
      g_printerr ("pd-merge-shots: no display; run it under xvfb-run\n");
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
  /* one customer twice: a form at the counter, then the wallet app */
  maria = save (store, "Maria", "Garcia", "maria.garcia@example.com", "+12025550143", NULL, "1985-03-14",
                "Downtown", PD_SOURCE_MANUAL, 120);
  mary = save (store, "Mary", "Garcia Lopez", "mgarcia@example.net", "+12025550177", "Austin", "1985-03-14",
               "Riverside", PD_SOURCE_WALLET, 35);
  if (!pd_test_seed (store, 0, 40, &error))
    g_error ("seeding: %s", error->message);

  window = pd_window_new (NULL, store);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);
  pd_test_spin (300);

  selection = GTK_SELECTION_MODEL (gtk_widget_get_template_child (GTK_WIDGET (window), PD_TYPE_WINDOW, "selection"));
  gtk_selection_model_select_item (selection, 0, TRUE);
  gtk_selection_model_select_item (selection, 1, FALSE);
  pd_test_shoot (GTK_WIDGET (window), out, "merge-list-selected.png", 500);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.merge-selected", NULL);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  gtk_window_set_default_size (GTK_WINDOW (dialog), 1280, 800);
  pd_test_shoot (GTK_WIDGET (dialog), out, "merge-dialog-1280.png", 500);
  gtk_window_set_default_size (GTK_WINDOW (dialog), 700, 760);
  pd_test_shoot (GTK_WIDGET (dialog), out, "merge-dialog-700.png", 500);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "merge.merge", NULL);
  pd_test_spin (300);

  /* the survivor's details: the merge, with Unmerge */
  pd_window_show_persona (window, maria);
  {
    GtkWidget *detail = GTK_WIDGET (pd_window_get_detail (window));
    GtkWidget *merges = (GtkWidget *) gtk_widget_get_template_child (detail, PD_TYPE_PERSONA_DETAIL, "merges_group");
    GtkScrolledWindow *scroller = GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (merges, GTK_TYPE_SCROLLED_WINDOW));
    GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (scroller);
    graphene_point_t at;

    pd_test_spin (300);
    if (gtk_widget_compute_point (merges, GTK_WIDGET (scroller), &GRAPHENE_POINT_INIT (0, 0), &at))
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + at.y - 200);
  }
  pd_test_shoot (GTK_WIDGET (window), out, "merge-detail-merges.png", 500);

  /* "Merge With…": the other persona by search */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.merge-with", NULL);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  {
    GtkEditable *entry = GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (dialog), PD_TYPE_MERGE_DIALOG,
                                                                      "search_entry"));

    gtk_editable_set_text (entry, "a");
    pd_test_spin (400);   /* search-changed comes after a delay */
  }
  pd_test_shoot (GTK_WIDGET (dialog), out, "merge-with-find.png", 500);
  gtk_window_destroy (GTK_WINDOW (dialog));
  (void) mary;

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&store);
  pd_test_remove_dir (dir);
  return 0;
}
