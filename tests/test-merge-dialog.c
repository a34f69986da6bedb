/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Merging in the app, driven in-process as a user would: two personas
 * selected in the list open the dialog through "Merge…", the survivor is
 * changed and a field's value chosen, the merge lands in the store, the
 * survivor's details list it and "Unmerge" takes it back; "Merge With…"
 * finds the other persona by search. */
#include "config.h"

#include <adwaita.h>

#include "pd-merge-dialog.h"
#include "pd-session.h"
#include "pd-store-staff.h"
#include "pd-store-merge.h"
#include "pd-test-gui.h"
#include "pd-test-personas.h"
#include "pd-window.h"
#include "pd-window-private.h"

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
  pd_test_seed (f->store, 0, 6, &error);
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

static PdMergeDialog *
find_dialog (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (PD_IS_MERGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

/* The combo row titled @title under @widget. */
static GtkWidget *
find_row (GtkWidget  *widget,
          const char *title)
{
  if (ADW_IS_COMBO_ROW (widget) && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_row (c, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The first button under @widget. */
static GtkWidget *
find_button (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_button (c);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gint64
id_at (Fixture *f,
       guint    position)
{
  g_autoptr(PdPersona) persona = g_list_model_get_item (G_LIST_MODEL (f->window->selection), position);

  return pd_persona_get_id (persona);
}

static void
test_merge_selected_then_unmerge (Fixture       *f,
                                  gconstpointer  data)
{
  GtkSelectionModel *selection = GTK_SELECTION_MODEL (f->window->selection);
  g_autoptr(PdPersona) survivor = NULL;
  PdMergeDialog *dialog;
  PdMergePlan *plan;
  PdMergeField *first_name = NULL;
  g_autofree char *chosen_name = NULL;
  gint64 a, b;

  WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (selection)) >= 6);
  a = id_at (f, 0);
  b = id_at (f, 1);
  /* one selected: no merge; two: the bar and the action */
  gtk_selection_model_select_item (selection, 0, TRUE);
  g_assert_false (gtk_revealer_get_reveal_child (f->window->selection_revealer));
  g_assert_false (gtk_widget_get_sensitive (find_button (GTK_WIDGET (f->window->selection_revealer))));
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.merge-selected", NULL);
  g_assert_null (find_dialog ());
  gtk_selection_model_select_item (selection, 1, FALSE);
  g_assert_true (gtk_revealer_get_reveal_child (f->window->selection_revealer));
  g_assert_true (gtk_widget_get_sensitive (find_button (GTK_WIDGET (f->window->selection_revealer))));
  /* keyboard: Tab from the list reaches "Merge…" */
  WAIT_UNTIL (gtk_revealer_get_child_revealed (f->window->selection_revealer));
  gtk_widget_grab_focus (GTK_WIDGET (f->window->list_view));
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (f->window->selection_revealer), GTK_DIR_TAB_FORWARD));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)),
                                        GTK_WIDGET (f->window->selection_revealer)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.merge-selected", NULL));
  dialog = find_dialog ();
  g_assert_nonnull (dialog);

  /* the oldest is the survivor by default; make it the other one */
  plan = pd_merge_dialog_get_plan (dialog);
  g_assert_cmpint (pd_merge_plan_get_survivor_id (plan), ==, MIN (a, b));
  pd_merge_dialog_set_survivor (dialog, MAX (a, b));
  plan = pd_merge_dialog_get_plan (dialog);
  g_assert_cmpint (pd_merge_plan_get_survivor_id (plan), ==, MAX (a, b));
  for (guint i = 0; i < plan->fields->len; i++)
    {
      PdMergeField *field = g_ptr_array_index (plan->fields, i);

      if (g_str_equal (field->key, "first_name"))
        first_name = field;
    }
  g_assert_nonnull (first_name);
  g_assert_cmpuint (first_name->kept, ==, 0);
  /* choose the other persona's first name in its row */
  {
    GtkWidget *group = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (dialog), PD_TYPE_MERGE_DIALOG,
                                                                    "fields_group");
    GtkWidget *row = find_row (group, first_name->label);
    g_assert_nonnull (row);
    adw_combo_row_set_selected (ADW_COMBO_ROW (row), 1);
    g_assert_cmpuint (first_name->chosen, ==, 1);
  }
  /* the plan goes with the dialog */
  chosen_name = g_strdup (g_ptr_array_index (first_name->values, 1));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "merge.merge", NULL));
  WAIT_UNTIL (find_dialog () == NULL);

  g_assert_cmpint (pd_store_get_survivor (f->store, MIN (a, b), NULL), ==, MAX (a, b));
  survivor = pd_store_get_persona (f->store, MAX (a, b), NULL);
  g_assert_cmpstr (pd_persona_get_value (survivor, PD_FIELD_FIRST_NAME), ==, chosen_name);
  WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (selection)) == 5);

  /* the survivor's details list the merge; Unmerge brings both back */
  g_assert_cmpint (pd_persona_detail_get_persona_id (pd_window_get_detail (f->window)), ==, MAX (a, b));
  {
    GtkWidget *merges = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (pd_window_get_detail (f->window)),
                                                                     PD_TYPE_PERSONA_DETAIL, "merges_group");
    gint64 merge_id = pd_store_find_merge_of (f->store, MIN (a, b), NULL);

    g_assert_true (gtk_widget_get_visible (merges));
    g_assert_cmpint (merge_id, >, 0);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.unmerge", "x", merge_id));
  }
  g_assert_cmpint (pd_store_get_survivor (f->store, MIN (a, b), NULL), ==, MIN (a, b));
  WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (selection)) == 6);
}

static void
test_merge_with_search (Fixture       *f,
                        gconstpointer  data)
{
  PdMergeDialog *dialog;
  GtkEditable *entry;
  GtkListBox *results;
  gint64 a;

  WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (f->window->selection)) >= 6);
  a = id_at (f, 0);
  pd_window_show_persona (f->window, a);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.merge-with", NULL));
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_null (pd_merge_dialog_get_plan (dialog));
  g_assert_false (gtk_widget_is_sensitive ((GtkWidget *) gtk_widget_get_template_child (
    GTK_WIDGET (dialog), PD_TYPE_MERGE_DIALOG, "merge_button")));

  entry = GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (dialog), PD_TYPE_MERGE_DIALOG, "search_entry"));
  results = GTK_LIST_BOX (gtk_widget_get_template_child (GTK_WIDGET (dialog), PD_TYPE_MERGE_DIALOG, "results"));
  gtk_editable_set_text (entry, "p3@example.com");
  WAIT_UNTIL (gtk_list_box_get_row_at_index (results, 0) != NULL);
  g_signal_emit_by_name (entry, "activate");
  g_assert_nonnull (pd_merge_dialog_get_plan (dialog));
  g_assert_cmpuint (pd_merge_dialog_get_plan (dialog)->personas->len, ==, 2);
  g_assert_cmpint (pd_merge_plan_get_survivor_id (pd_merge_dialog_get_plan (dialog)), ==, a);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* An Analyst (who may not edit) signed in: two rows selected show no
 * "Merge…", and the detail has no "Merge With…" (the store would refuse
 * them: test-merge's /merge/roles-and-audit). */
static void
test_analyst_sees_no_merge (void)
{
  const PdActor owner = { PD_SOURCE_MANUAL, "Olga", PD_ROLE_OWNER };
  PdStaffSettings settings = { TRUE, 5 };
  PdAccount analyst = { 0, (char *) "Ana", PD_ROLE_ANALYST };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(PdStore) store = pd_test_store_new (&dir);
  PdSession *session = pd_session_get_default ();
  GtkSelectionModel *selection;
  PdWindow *window;

  pd_test_seed (store, 0, 6, &error);
  g_assert_no_error (error);
  /* accounts go on only with an Owner account */
  g_assert_cmpint (pd_store_add_account (store, "Olga", PD_ROLE_OWNER, "olga-pass", &owner, &error), >, 0);
  g_assert_cmpint (pd_store_add_account (store, "Ana", PD_ROLE_ANALYST, "1357", &owner, &error), >, 0);
  g_assert_true (pd_store_set_staff_settings (store, &settings, &owner, &error));
  g_assert_no_error (error);
  window = g_object_ref_sink (pd_window_new (NULL, store));
  gtk_window_present (GTK_WINDOW (window));
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (window)));
  pd_session_sync (session, store);
  pd_session_sign_in (session, &analyst);
  g_assert_cmpint (pd_app_actor ()->role, ==, PD_ROLE_ANALYST);

  selection = GTK_SELECTION_MODEL (window->selection);
  WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (selection)) >= 6);
  gtk_selection_model_select_item (selection, 0, TRUE);
  gtk_selection_model_select_item (selection, 1, FALSE);
  g_assert_false (gtk_revealer_get_reveal_child (window->selection_revealer));
  g_assert_false (gtk_widget_get_sensitive (find_button (GTK_WIDGET (window->selection_revealer))));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.merge-with", NULL);
  g_assert_null (find_dialog ());

  pd_session_sign_out (session);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  g_clear_object (&store);
  pd_test_remove_dir (dir);
}

static void
skip_without_display (void)
{
  g_test_skip ("no display: run under xvfb-run");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  if (!pd_test_has_display ())
    {
      g_test_add_func ("/merge-dialog/skipped", skip_without_display);
      return g_test_run ();
    }
  gtk_init ();
  adw_init ();
  g_test_add ("/merge-dialog/merge-selected-then-unmerge", Fixture, NULL, fixture_setup,
              test_merge_selected_then_unmerge, fixture_teardown);
  g_test_add ("/merge-dialog/merge-with-search", Fixture, NULL, fixture_setup,
              test_merge_with_search, fixture_teardown);
  /* last: it signs in and out of the process's session */
  g_test_add_func ("/merge-dialog/analyst-sees-no-merge", test_analyst_sees_no_merge);
  return g_test_run ();
}
