/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>

#include "pd-merge-dialog.h"
#include "pd-session.h"
#include "pd-store-merge.h"

struct _PdMergeDialog
{
  AdwWindow        parent_instance;

  PdStore         *store;
  GArray          *ids;           /* the personas, in the order given */
  gint64           survivor_id;
  PdMergePlan     *plan;        /* NULL while picking the other persona */
  GPtrArray       *field_rows;    /* AdwComboRow, children of fields_group */
  gboolean         building;      /* rows being filled: not the user's choice */

  /* template children */
  GtkStack             *stack;
  GtkWidget            *merge_button;
  GtkSearchEntry       *search_entry;
  GtkListBox           *results;
  AdwComboRow          *survivor_row;
  AdwPreferencesGroup  *fields_group;
  AdwActionRow         *points_row;
  AdwActionRow         *contacts_row;
  GtkLabel             *error_label;
};

G_DEFINE_FINAL_TYPE (PdMergeDialog, pd_merge_dialog, ADW_TYPE_WINDOW)

enum {
  MERGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
persona_label (PdPersona *persona)
{
  g_autofree char *name = pd_persona_dup_display_name (persona);

  /* TRANSLATORS: a persona in a list: "Ann Lee (#12)" */
  return g_strdup_printf (_("%s (#%" PRId64 ")"), name, pd_persona_get_id (persona));
}

static void
show_error (PdMergeDialog *self,
            const char    *message)
{
  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
update_summary (PdMergeDialog *self)
{
  g_autofree char *points = g_strdup_printf (_("%" PRId64 " in all, one ledger entry for each persona merged in"),
                                             self->plan->points);
  g_autofree char *contacts = g_strdup_printf (_("%u (at most 100)"), self->plan->n_contacts);

  adw_action_row_set_subtitle (self->points_row, points);
  adw_action_row_set_subtitle (self->contacts_row, contacts);
  if (self->plan->n_contacts > 100)
    show_error (self, _("These personas have more than 100 emails and phones together: they cannot be merged."));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "merge.merge", self->plan->n_contacts <= 100);
}

static void
on_field_selected (AdwComboRow   *row,
                   GParamSpec    *pspec,
                   PdMergeDialog *self)
{
  PdMergeField *field = g_object_get_data (G_OBJECT (row), "pd-field");
  GArray *owners = g_object_get_data (G_OBJECT (row), "pd-owners");
  guint selected = adw_combo_row_get_selected (row);

  g_autoptr(GError) error = NULL;
  PdPersona *persona;

  if (self->building || field == NULL || selected >= owners->len)
    return;
  /* the rules may refuse a choice (the favorite store's precedence): say
   * why and show the value kept */
  persona = g_ptr_array_index (self->plan->personas, g_array_index (owners, guint, selected));
  if (!pd_merge_plan_choose (self->plan, field->key, pd_persona_get_id (persona), &error))
    {
      show_error (self, error->message);
      self->building = TRUE;
      for (guint i = 0; i < owners->len; i++)
        if (g_array_index (owners, guint, i) == field->chosen)
          adw_combo_row_set_selected (row, i);
      self->building = FALSE;
      return;
    }
  show_error (self, NULL);
  update_summary (self);
}

static GtkWidget *
make_field_row (PdMergeDialog *self,
                PdMergeField  *field)
{
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) values = gtk_string_list_new (NULL);
  GArray *owners = g_array_new (FALSE, FALSE, sizeof (guint));
  const char *kept = g_ptr_array_index (field->values, field->kept);
  g_autofree char *subtitle = NULL;
  guint selected = 0;

  for (guint p = 0; p < self->plan->personas->len; p++)
    {
      const char *value = g_ptr_array_index (field->values, p);
      g_autofree char *text = NULL;

      if (value == NULL)
        continue;
      /* TRANSLATORS: a field's value and the persona it comes from */
      text = g_strdup_printf (_("%s — from #%" PRId64), value,
                              pd_persona_get_id (g_ptr_array_index (self->plan->personas, p)));
      if (p == field->chosen)
        selected = owners->len;
      gtk_string_list_append (values, text);
      g_array_append_val (owners, p);
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), field->label);
  /* TRANSLATORS: under a field of the merge dialog */
  subtitle = g_strdup_printf (_("The rules keep “%s”"), kept != NULL ? kept : "");
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (values));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, field->label, -1);
  g_object_set_data (G_OBJECT (row), "pd-field", field);
  g_object_set_data_full (G_OBJECT (row), "pd-owners", owners, (GDestroyNotify) g_array_unref);
  g_signal_connect (row, "notify::selected", G_CALLBACK (on_field_selected), self);
  return row;
}

/* The plan with the survivor first, the others in the order given. */
static void
build_plan (PdMergeDialog *self)
{
  g_autoptr(GArray) ordered = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;

  self->building = TRUE;
  for (guint i = 0; i < self->field_rows->len; i++)
    adw_preferences_group_remove (self->fields_group, g_ptr_array_index (self->field_rows, i));
  g_ptr_array_set_size (self->field_rows, 0);
  g_clear_pointer (&self->plan, pd_merge_plan_free);
  show_error (self, NULL);

  g_array_append_val (ordered, self->survivor_id);
  for (guint i = 0; i < self->ids->len; i++)
    if (g_array_index (self->ids, gint64, i) != self->survivor_id)
      g_array_append_val (ordered, g_array_index (self->ids, gint64, i));
  self->plan = pd_store_plan_merge (self->store, (const gint64 *) ordered->data, ordered->len, &error);
  if (self->plan == NULL)
    {
      show_error (self, error->message);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "merge.merge", FALSE);
      self->building = FALSE;
      return;
    }
  for (guint i = 0; i < self->plan->fields->len; i++)
    {
      GtkWidget *row = make_field_row (self, g_ptr_array_index (self->plan->fields, i));

      adw_preferences_group_add (self->fields_group, row);
      g_ptr_array_add (self->field_rows, row);
    }
  if (self->plan->fields->len == 0)
    adw_preferences_group_set_description (self->fields_group, _("No field differs."));
  update_summary (self);
  self->building = FALSE;
}

/* The survivor choices, in the order given, and the plan. */
static void
show_plan (PdMergeDialog *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint selected = 0;

  self->building = TRUE;
  for (guint i = 0; i < self->ids->len; i++)
    {
      gint64 id = g_array_index (self->ids, gint64, i);
      g_autoptr(PdPersona) persona = pd_store_get_persona (self->store, id, NULL);
      g_autofree char *label = persona != NULL ? persona_label (persona) : g_strdup_printf ("#%" PRId64, id);

      gtk_string_list_append (names, label);
      if (id == self->survivor_id)
        selected = i;
    }
  adw_combo_row_set_model (self->survivor_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->survivor_row, selected);
  self->building = FALSE;
  gtk_stack_set_visible_child_name (self->stack, "plan");
  build_plan (self);
}

static void
on_survivor_selected (AdwComboRow   *row,
                      GParamSpec    *pspec,
                      PdMergeDialog *self)
{
  guint selected = adw_combo_row_get_selected (row);

  if (self->building || selected >= self->ids->len)
    return;
  self->survivor_id = g_array_index (self->ids, gint64, selected);
  build_plan (self);
}

static void
on_search_changed (GtkSearchEntry *entry,
                   PdMergeDialog  *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  PdPersonaQuery query = { PD_PERSONA_VIEW_ACTIVE, text };
  g_autoptr(GPtrArray) found = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->results))) != NULL)
    gtk_list_box_remove (self->results, child);
  if (*text == '\0')
    return;
  /* one small page, as the list's first page of a search */
  found = pd_store_list_personas (self->store, &query, 0, 20, NULL);
  for (guint i = 0; found != NULL && i < found->len; i++)
    {
      PdPersona *persona = g_ptr_array_index (found, i);
      g_autofree char *title = NULL;
      const char *email = pd_persona_get_primary_email (persona);
      const char *phone = pd_persona_get_primary_phone (persona);
      g_autofree char *subtitle = g_strjoin (" · ", email != NULL ? email : "", phone != NULL ? phone : "", NULL);
      GtkWidget *row;

      if (pd_persona_get_id (persona) == g_array_index (self->ids, gint64, 0))
        continue;
      title = persona_label (persona);
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "pd-persona-id", g_memdup2 (&(gint64) { pd_persona_get_id (persona) },
                                                                          sizeof (gint64)), g_free);
      gtk_list_box_append (self->results, row);
    }
}

static void
pick (PdMergeDialog *self,
      gint64         id)
{
  g_array_append_val (self->ids, id);
  self->survivor_id = pd_merge_default_survivor ((const gint64 *) self->ids->data, self->ids->len);
  show_plan (self);
}

static void
on_result_activated (GtkListBox    *box,
                     GtkListBoxRow *row,
                     PdMergeDialog *self)
{
  gint64 *id = g_object_get_data (G_OBJECT (row), "pd-persona-id");

  if (id != NULL)
    pick (self, *id);
}

static void
on_search_activate (GtkSearchEntry *entry,
                    PdMergeDialog  *self)
{
  GtkListBoxRow *first = gtk_list_box_get_row_at_index (self->results, 0);

  if (first != NULL)
    on_result_activated (self->results, first, self);
}

static void
merge_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  PdMergeDialog *self = PD_MERGE_DIALOG (widget);
  g_autoptr(GError) error = NULL;
  gint64 merge_id = 0;

  if (self->plan == NULL)
    return;
  /* who works at the desk: the store checks the role and audits */
  if (!pd_store_merge_personas (self->store, self->plan, pd_app_actor (), &merge_id, &error))
    {
      show_error (self, error->message);
      return;
    }
  g_signal_emit (self, signals[MERGED], 0, pd_merge_plan_get_survivor_id (self->plan), merge_id);
  gtk_window_close (GTK_WINDOW (self));
}

static void
pd_merge_dialog_dispose (GObject *object)
{
  PdMergeDialog *self = PD_MERGE_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_MERGE_DIALOG);
  g_clear_object (&self->store);
  g_clear_pointer (&self->ids, g_array_unref);
  g_clear_pointer (&self->plan, pd_merge_plan_free);
  g_clear_pointer (&self->field_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (pd_merge_dialog_parent_class)->dispose (object);
}

static void
pd_merge_dialog_class_init (PdMergeDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_merge_dialog_dispose;

  signals[MERGED] = g_signal_new ("merged", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                  G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/personadesk/PersonaDesk/ui/personas/pd-merge-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PdMergeDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, PdMergeDialog, merge_button);
  gtk_widget_class_bind_template_child (widget_class, PdMergeDialog, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PdMergeDialog, results);
  gtk_widget_class_bind_template_child (widget_class, PdMergeDialog, survivor_row);
  gtk_widget_class_bind_template_child (widget_class, PdMergeDialog, fields_group);
  gtk_widget_class_bind_template_child (widget_class, PdMergeDialog, points_row);
  gtk_widget_class_bind_template_child (widget_class, PdMergeDialog, contacts_row);
  gtk_widget_class_bind_template_child (widget_class, PdMergeDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_survivor_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_result_activated);

  gtk_widget_class_install_action (widget_class, "merge.merge", NULL, merge_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
pd_merge_dialog_init (PdMergeDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->field_rows = g_ptr_array_new ();
}

/**
 * pd_merge_dialog_new:
 * @ids: the personas to merge; one for "Merge with…" (the dialog asks for
 *   the other)
 */
PdMergeDialog *
pd_merge_dialog_new (GtkWindow    *parent,
                     PdStore      *store,
                     const gint64 *ids,
                     guint         n_ids)
{
  PdMergeDialog *self = g_object_new (PD_TYPE_MERGE_DIALOG, "transient-for", parent, NULL);

  self->store = g_object_ref (store);
  g_array_append_vals (self->ids, ids, n_ids);
  if (n_ids < 2)
    {
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "merge.merge", FALSE);
      gtk_stack_set_visible_child_name (self->stack, "find");
      gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
      return self;
    }
  self->survivor_id = pd_merge_default_survivor (ids, n_ids);
  show_plan (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->survivor_row));
  return self;
}

PdMergePlan *
pd_merge_dialog_get_plan (PdMergeDialog *self)
{
  g_return_val_if_fail (PD_IS_MERGE_DIALOG (self), NULL);
  return self->plan;
}

void
pd_merge_dialog_set_survivor (PdMergeDialog *self,
                              gint64         id)
{
  g_return_if_fail (PD_IS_MERGE_DIALOG (self));

  for (guint i = 0; i < self->ids->len; i++)
    if (g_array_index (self->ids, gint64, i) == id)
      adw_combo_row_set_selected (self->survivor_row, i);
}
